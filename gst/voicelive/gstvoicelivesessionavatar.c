/* gst-voicelive
 * The session's avatar video in WebSocket mode (protocol-2026.md §3.3):
 * response.video.delta payloads queued as one fragmented MP4 byte stream
 * (network thread), read by voiceliveavatarsrc (its reader thread); the
 * avatar's state, barge-in and a refused session.avatar as messages.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstvoicelivesession-private.h"

/* Bounds what an avatar src that stopped reading holds (about a minute
 * of the service's 2 Mbit/s video). */
#define MAX_VIDEO_QUEUED (16 * 1024 * 1024)

void
vl_session_video_reset_locked (GstVoiceLiveSession * self)
{
  g_queue_clear_full (&self->video, (GDestroyNotify) g_bytes_unref);
  self->video_queued = 0;
}

/* An ISO BMFF stream (re)starts with its ftyp box */
static gboolean
starts_init_segment (const guint8 * d, gsize len)
{
  return len >= 8 && memcmp (d + 4, "ftyp", 4) == 0;
}

static GstElement *
avatar_ref (GstVoiceLiveSession * self)
{
  GstElement *e;

  g_mutex_lock (&self->elem_lock);
  e = self->avatar ? gst_object_ref (self->avatar) : NULL;
  g_mutex_unlock (&self->elem_lock);
  return e;
}

static void
post_avatar (GstVoiceLiveSession * self, GstStructure * s)
{
  GstElement *e = avatar_ref (self);

  if (!e) {
    gst_structure_free (s);
    return;
  }
  gst_structure_set (s, "session-name", G_TYPE_STRING, self->name, NULL);
  gst_element_post_message (e, gst_message_new_element (GST_OBJECT (e), s));
  gst_object_unref (e);
}

gboolean
vl_session_video_frame (GstVoiceLiveSession * self, const gchar * data,
    gsize len)
{
  JsonNode *root;
  JsonObject *o;
  const gchar *b64;
  guint8 *bytes;
  gsize n = 0, b64_len;
  gboolean queued = FALSE;

  if (len < 40 || !g_strstr_len (data, MIN (len, 96), "response.video.delta"))
    return FALSE;
  if (!json_parser_load_from_data (self->parser, data, len, NULL))
    return FALSE;
  root = json_parser_get_root (self->parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  o = json_node_get_object (root);
  if (g_strcmp0 (json_object_get_string_member_with_default (o, "type", ""),
          "response.video.delta") != 0)
    return FALSE;
  b64 = json_object_get_string_member_with_default (o, "delta", NULL);
  b64_len = b64 ? strlen (b64) : 0;
  bytes = g_malloc (b64_len / 4 * 3 + 3);
  if (!b64 || !gst_voice_live_base64_decode (b64, b64_len, bytes, &n)) {
    GST_WARNING_OBJECT (self, "response.video.delta without valid base64");
    g_free (bytes);
    count_rx (self, len);
    return TRUE;
  }
  g_mutex_lock (&self->lock);
  self->stat_bytes_received += len;
  self->stat_video_bytes += n;
  /* After a barge-in, the rest of that answer's video is not shown */
  if (self->video_skip && starts_init_segment (bytes, n))
    self->video_skip = FALSE;
  if (self->avatar && !self->video_flushing && !self->video_skip
      && self->video_queued + n <= MAX_VIDEO_QUEUED) {
    g_queue_push_tail (&self->video, g_bytes_new_take (bytes, n));
    self->video_queued += n;
    queued = TRUE;
    wake_waiters (self);
  }
  g_mutex_unlock (&self->lock);
  if (!queued)
    g_free (bytes);
  return TRUE;
}

/* A paired avatar src and the avatar on (avatar-character, either output
 * protocol): its lip-synced audio track is the voice, as in Microsoft's
 * sample, which drops response.audio.delta then (protocol-2026.md §3.3).
 * A refused avatar gives the voice back to the src. */
gboolean
vl_session_avatar_voices_locked (GstVoiceLiveSession * self)
{
  return self->avatar && !self->avatar_failed
      && self->config.avatar_character && *self->config.avatar_character;
}

void
vl_session_avatar_event (GstVoiceLiveSession * self,
    const GstVoiceLiveEvent * ev)
{
  gboolean has_avatar, speaking, clear = FALSE;
  gsize dropped = 0;

  g_mutex_lock (&self->lock);
  has_avatar = self->avatar != NULL;
  speaking = self->avatar_speaking;
  g_mutex_unlock (&self->lock);
  if (!has_avatar || !ev->type)
    return;

  if (g_str_equal (ev->type, "session.avatar.switch_to_speaking")
      || g_str_equal (ev->type, "session.avatar.switch_to_idle")) {
    speaking = g_str_equal (ev->type, "session.avatar.switch_to_speaking");
    g_mutex_lock (&self->lock);
    self->avatar_speaking = speaking;
    g_mutex_unlock (&self->lock);
    post_avatar (self, gst_structure_new ("voicelive/avatar-state",
            "state", G_TYPE_STRING, speaking ? "speaking" : "idle", NULL));
  } else if (ev->kind == GST_VOICE_LIVE_EVENT_SPEECH_STARTED
      || g_str_equal (ev->type, "output_audio_buffer.cleared")) {
    /* Barge-in: what is queued is not shown; the avatar stops speaking
     * at the service once told (output_audio_buffer.clear, avatar mode
     * only) */
    g_mutex_lock (&self->lock);
    dropped = self->video_queued;
    vl_session_video_reset_locked (self);
    self->video_skip = TRUE;
    clear = speaking && ev->kind == GST_VOICE_LIVE_EVENT_SPEECH_STARTED;
    self->avatar_speaking = FALSE;
    wake_waiters (self);
    g_mutex_unlock (&self->lock);
    if (clear)
      gst_voice_live_session_send (self,
          g_strdup ("{\"type\":\"output_audio_buffer.clear\"}"), 0);
    if (speaking || dropped)
      post_avatar (self, gst_structure_new ("voicelive/avatar-interrupted",
              "dropped-bytes", G_TYPE_UINT64, (guint64) dropped, NULL));
  } else if (ev->kind == GST_VOICE_LIVE_EVENT_ERROR && ev->error_param
      && g_str_has_prefix (ev->error_param, "session.avatar")) {
    GstElement *e = avatar_ref (self);
    const gchar *prop = gst_voice_live_param_to_property (ev->error_param);

    g_mutex_lock (&self->lock);
    self->avatar_failed = TRUE;
    wake_waiters (self);
    g_mutex_unlock (&self->lock);
    if (e) {
      gst_element_message_full (e, GST_MESSAGE_ERROR, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_SETTINGS,
          g_strdup_printf ("The service refused the avatar settings "
              "(property '%s', %s): %s", prop ? prop : "avatar-character",
              ev->error_param, ev->error_message ? ev->error_message :
              "no message"), g_strdup_printf ("error code %s",
              ev->error_code ? ev->error_code : "(none)"), __FILE__,
          GST_FUNCTION, __LINE__);
      gst_object_unref (e);
    }
  }
}

GstVoiceLiveReadResult
gst_voice_live_session_read_video (GstVoiceLiveSession * self,
    gint64 deadline_us, GBytes ** out, gboolean * init)
{
  GstVoiceLiveReadResult res;

  *out = NULL;
  *init = FALSE;
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
    if (!g_queue_is_empty (&self->video)) {
      gsize n;
      const guint8 *d;

      *out = g_queue_pop_head (&self->video);
      d = g_bytes_get_data (*out, &n);
      self->video_queued -= n;
      *init = starts_init_segment (d, n);
      res = GST_VOICE_LIVE_READ_DATA;
      break;
    }
    /* The sink drained: no more answers */
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

void
gst_voice_live_session_set_video_flushing (GstVoiceLiveSession * self,
    gboolean flushing)
{
  g_mutex_lock (&self->lock);
  self->video_flushing = flushing;
  if (flushing)
    vl_session_video_reset_locked (self);
  else {
    self->video_skip = FALSE;
    self->avatar_failed = FALSE;
  }
  wake_waiters (self);
  g_mutex_unlock (&self->lock);
}

gboolean
gst_voice_live_session_has_avatar (GstVoiceLiveSession * self)
{
  gboolean has;

  g_mutex_lock (&self->elem_lock);
  has = self->avatar != NULL;
  g_mutex_unlock (&self->elem_lock);
  return has;
}
