/* gst-voicelive
 * The session's side of the avatar's WebRTC signaling (protocol-2026.md
 * §3.2): session.updated (with the service's TURN servers) and
 * session.avatar.connecting (the answer) kept for voiceliveavatarsrc's
 * signaling thread (network thread writes, that thread reads).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstvoicelivesession-private.h"
#include "gstvoicelivejson.h"

void
vl_session_avatar_rtc_reset_locked (GstVoiceLiveSession * self)
{
  self->rtc_updated = FALSE;
  g_clear_pointer (&self->rtc_ice_servers, g_free);
  g_clear_pointer (&self->rtc_server_sdp, g_free);
}

static JsonNode *
path_member (JsonObject * o, const gchar * a, const gchar * b)
{
  JsonNode *n = o ? json_object_get_member (o, a) : NULL;

  if (!n || !JSON_NODE_HOLDS_OBJECT (n))
    return NULL;
  return json_object_get_member (json_node_get_object (n), b);
}

void
vl_session_avatar_rtc_event (GstVoiceLiveSession * self,
    const GstVoiceLiveEvent * ev)
{
  if (ev->kind == GST_VOICE_LIVE_EVENT_SESSION_CREATED) {
    /* A new service session: a new peer connection */
    g_mutex_lock (&self->lock);
    vl_session_avatar_rtc_reset_locked (self);
    g_mutex_unlock (&self->lock);
  } else if (ev->kind == GST_VOICE_LIVE_EVENT_SESSION_UPDATED) {
    JsonNode *s = ev->obj ? json_object_get_member (ev->obj, "session") : NULL;
    JsonNode *ice = s && JSON_NODE_HOLDS_OBJECT (s) ?
        path_member (json_node_get_object (s), "avatar", "ice_servers") : NULL;
    gchar *json = ice && JSON_NODE_HOLDS_ARRAY (ice) ?
        gst_voice_live_json_node_to_string (ice) : NULL;

    g_mutex_lock (&self->lock);
    self->rtc_updated = TRUE;
    g_free (self->rtc_ice_servers);
    self->rtc_ice_servers = json;
    wake_waiters (self);
    g_mutex_unlock (&self->lock);
  } else if (ev->type && g_str_equal (ev->type, "session.avatar.connecting")) {
    const gchar *sdp = ev->obj ?
        json_object_get_string_member_with_default (ev->obj, "server_sdp",
        NULL) : NULL;

    g_mutex_lock (&self->lock);
    g_free (self->rtc_server_sdp);
    /* An event without one is a bad answer too: the src says so */
    self->rtc_server_sdp = g_strdup (sdp ? sdp : "");
    wake_waiters (self);
    g_mutex_unlock (&self->lock);
  }
}

gboolean
gst_voice_live_session_avatar_webrtc (GstVoiceLiveSession * self,
    gchar ** ice_servers)
{
  GstElement *sink = NULL;
  gchar *character = NULL, *ice = NULL;
  gint output = GST_VOICE_LIVE_AVATAR_OUTPUT_WEBSOCKET;

  g_mutex_lock (&self->lock);
  if (self->started) {
    character = g_strdup (self->config.avatar_character);
    output = self->config.avatar_output;
    ice = g_strdup (self->config.avatar_ice_servers);
  } else if (self->sink) {
    sink = gst_object_ref (self->sink);
  }
  g_mutex_unlock (&self->lock);
  /* Not started yet (the sink connects on its first caps): its
   * properties are what it will send */
  if (sink) {
    g_object_get (sink, "avatar-character", &character,
        "avatar-output-protocol", &output, "avatar-ice-servers", &ice, NULL);
    gst_object_unref (sink);
  }
  if (!character || !*character
      || output != GST_VOICE_LIVE_AVATAR_OUTPUT_WEBRTC) {
    g_free (character);
    g_free (ice);
    return FALSE;
  }
  g_free (character);
  if (ice_servers && ice && *ice)
    *ice_servers = ice;
  else
    g_free (ice);
  return TRUE;
}

void
gst_voice_live_session_avatar_rtc_reset (GstVoiceLiveSession * self)
{
  g_mutex_lock (&self->lock);
  /* A session.updated of a connection that is up stays: the sink may
   * have connected before the src started */
  g_clear_pointer (&self->rtc_server_sdp, g_free);
  g_mutex_unlock (&self->lock);
}

GstVoiceLiveReadResult
gst_voice_live_session_read_avatar_rtc (GstVoiceLiveSession * self,
    gint64 deadline_us, gboolean answer, gchar ** out)
{
  GstVoiceLiveReadResult res;

  *out = NULL;
  g_mutex_lock (&self->lock);
  while (TRUE) {
    if (self->video_flushing) {
      res = GST_VOICE_LIVE_READ_FLUSHING;
      break;
    }
    if (self->failed || self->avatar_failed) {
      res = GST_VOICE_LIVE_READ_ERROR;
      break;
    }
    if (!answer && self->rtc_updated) {
      *out = g_strdup (self->rtc_ice_servers);
      res = GST_VOICE_LIVE_READ_DATA;
      break;
    }
    if (answer && self->rtc_server_sdp) {
      *out = self->rtc_server_sdp;
      self->rtc_server_sdp = NULL;
      res = GST_VOICE_LIVE_READ_DATA;
      break;
    }
    if (self->output_eos) {
      res = GST_VOICE_LIVE_READ_EOS;
      break;
    }
    if (!vl_session_wait_locked (self, deadline_us)) {
      res = GST_VOICE_LIVE_READ_EMPTY;
      break;
    }
  }
  g_mutex_unlock (&self->lock);
  return res;
}
