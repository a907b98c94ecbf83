/* gst-voicelive emulator
 * The test avatar in WebRTC mode (protocol-2026.md §3.2): per connection
 * a webrtcbin peer (host candidates only, no STUN/TURN of its own) that
 * answers the client's session.avatar.connect and sends, in real time,
 * H.264 (openh264enc) frames of a solid colour per answer and the
 * answer's audio as Opus; black frames and silence between answers.
 * Main loop thread; webrtcbin's callbacks come on its threads and only
 * queue work for the main loop (g_idle_add).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#define GST_USE_UNSTABLE_API    /* gst/webrtc: unstable API until 1.24 */
#include <gst/gst.h>
#include <gst/app/gstappsrc.h>
#include <gst/webrtc/webrtc.h>
#include <gst/sdp/sdp.h>
#include "vl-emulator-webrtc.h"
#include "vl-emulator-avatar.h"
#include "vl-emulator-record.h"

#define FPS 10
#define TICK_MS 20
#define DEFAULT_WIDTH 320
#define DEFAULT_HEIGHT 180
#define IDLE_RATE 24000

typedef struct
{
  gint refs;                    /* the main loop's and webrtcbin's */
  VlEmuConn *conn;              /* main loop only; NULL once it is gone */
  GstElement *pipe, *webrtc, *vsrc, *asrc;
  gint width, height;
  guint rate;                   /* of asrc's caps */
  gint answered;                /* atomic: the answer was queued */

  /* The current answer (main loop) */
  gchar *turn_id;
  guint32 argb;
  guint frames_left;
  gint16 *pcm;
  guint64 samples, pos;
  gboolean speaking;

  guint tick_source;
  gint64 start_us;
  guint64 ticks;
} Rtc;

static GHashTable *
peers (void)
{
  static GHashTable *t;

  if (!t)
    t = g_hash_table_new (NULL, NULL);
  return t;
}

static Rtc *
rtc_of (VlEmuConn * conn)
{
  return g_hash_table_lookup (peers (), conn);
}

static Rtc *
rtc_ref (Rtc * r)
{
  g_atomic_int_inc (&r->refs);
  return r;
}

static void
rtc_unref (gpointer data)
{
  Rtc *r = data;

  if (!g_atomic_int_dec_and_test (&r->refs))
    return;
  if (r->pipe)
    gst_object_unref (r->pipe);
  g_free (r->turn_id);
  g_free (r->pcm);
  g_free (r);
}

static JsonObject *
avatar_of (JsonObject * session)
{
  JsonNode *n = json_object_get_member (session, "avatar");

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

gboolean
vl_emu_avatar_webrtc (JsonObject * session)
{
  JsonObject *a = avatar_of (session);

  return a && g_strcmp0 (json_object_get_string_member_with_default (a,
          "output_protocol", ""), "webrtc") == 0;
}

void
vl_emu_webrtc_fill_ice_servers (VlEmuConn * conn)
{
  JsonObject *a = avatar_of (conn->session);
  const gchar *ice = conn->server->opts.avatar_ice_servers;
  JsonNode *n;

  if (!a || !vl_emu_avatar_webrtc (conn->session)
      || json_object_has_member (a, "ice_servers") || !ice || !*ice)
    return;
  n = json_from_string (ice, NULL);
  if (n && JSON_NODE_HOLDS_ARRAY (n))
    json_object_set_member (a, "ice_servers", n);
  else if (n)
    json_node_unref (n);
}

static void
send_state (Rtc * r, const gchar * type)
{
  JsonObject *ev = vl_emu_conn_event_new (r->conn, type);

  json_object_set_string_member (ev, "turn_id", r->turn_id ? r->turn_id : "");
  vl_emu_conn_send (r->conn, ev, NULL);
}

static void
end_turn (Rtc * r)
{
  g_clear_pointer (&r->pcm, g_free);
  r->samples = r->pos = 0;
  r->frames_left = 0;
  if (r->speaking && r->conn)
    send_state (r, "session.avatar.switch_to_idle");
  r->speaking = FALSE;
}

static void
set_audio_caps (Rtc * r, guint rate)
{
  GstCaps *caps = gst_caps_new_simple ("audio/x-raw",
      "format", G_TYPE_STRING, "S16LE", "layout", G_TYPE_STRING,
      "interleaved", "channels", G_TYPE_INT, 1, "rate", G_TYPE_INT,
      (gint) rate, NULL);

  gst_app_src_set_caps (GST_APP_SRC (r->asrc), caps);
  gst_caps_unref (caps);
  r->rate = rate;
}

/* One tick: TICK_MS of audio, and a frame every 1/FPS s */
static void
push_tick (Rtc * r)
{
  guint n = r->rate * TICK_MS / 1000, i;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, n * 2, NULL);
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  memset (map.data, 0, map.size);
  for (i = 0; i < n && r->pcm && r->pos < r->samples; i++)
    GST_WRITE_UINT16_LE (map.data + 2 * i, (guint16) r->pcm[r->pos++]);
  gst_buffer_unmap (buf, &map);
  gst_app_src_push_buffer (GST_APP_SRC (r->asrc), buf);

  if (r->ticks % (1000 / TICK_MS / FPS) == 0) {
    gsize size = (gsize) r->width * r->height * 3;
    guint32 c = r->frames_left > 0 ? r->argb : 0xff000000;
    guint8 *px;
    gsize k;

    buf = gst_buffer_new_allocate (NULL, size, NULL);
    gst_buffer_map (buf, &map, GST_MAP_WRITE);
    px = map.data;
    for (k = 0; k < size; k += 3) {
      px[k] = (c >> 16) & 0xff;
      px[k + 1] = (c >> 8) & 0xff;
      px[k + 2] = c & 0xff;
    }
    gst_buffer_unmap (buf, &map);
    gst_app_src_push_buffer (GST_APP_SRC (r->vsrc), buf);
    if (r->frames_left > 0)
      r->frames_left--;
  }
  r->ticks++;
  if (r->speaking && r->frames_left == 0 && (!r->pcm || r->pos >= r->samples))
    end_turn (r);
}

static gboolean
on_tick (gpointer data)
{
  Rtc *r = data;
  guint64 due = (guint64) (g_get_monotonic_time () - r->start_us) /
      (TICK_MS * 1000);

  /* A stalled main loop catches up a little, not in a burst */
  if (due > r->ticks + 10)
    r->ticks = due - 10;
  while (r->ticks <= due)
    push_tick (r);
  return G_SOURCE_CONTINUE;
}

/* Main loop: the answer, with the candidates gathered */
static gboolean
send_answer (gpointer data)
{
  Rtc *r = data;
  GstWebRTCSessionDescription *desc = NULL;
  const gchar *mode;
  JsonObject *o, *ev;
  JsonNode *node;
  gchar *sdp, *json, *b64;

  if (!r->conn)
    return G_SOURCE_REMOVE;
  mode = r->conn->server->opts.avatar_sdp;
  /* --avatar-sdp none: the service never answers */
  if (g_strcmp0 (mode, "none") == 0)
    return G_SOURCE_REMOVE;
  g_object_get (r->webrtc, "local-description", &desc, NULL);
  if (!desc) {
    vl_emu_conn_send_error (r->conn, "avatar_connect_failed",
        "The emulator's WebRTC peer has no answer.", "client_sdp", NULL);
    return G_SOURCE_REMOVE;
  }
  sdp = gst_sdp_message_as_text (desc->sdp);
  gst_webrtc_session_description_free (desc);
  o = json_object_new ();
  json_object_set_string_member (o, "type", "answer");
  /* --avatar-sdp: a broken answer, for the client's error path */
  json_object_set_string_member (o, "sdp", g_strcmp0 (mode, "bad-sdp") == 0 ?
      "v=0\r\nthis is not an answer\r\n" : sdp);
  node = json_node_init_object (json_node_alloc (), o);
  json = g_strcmp0 (mode, "not-json") == 0 ? g_strdup ("<not json>") :
      json_to_string (node, FALSE);
  b64 = g_base64_encode ((const guchar *) json, strlen (json));
  ev = vl_emu_conn_event_new (r->conn, "session.avatar.connecting");
  json_object_set_string_member (ev, "server_sdp", b64);
  vl_emu_conn_send (r->conn, ev, NULL);
  /* Media from now on. Not before the answer: webrtcbin would answer
   * with the encoder's caps (profile-level-id 42d00b), not the offer's,
   * and refuse the video m-line (a=inactive). */
  r->start_us = g_get_monotonic_time ();
  r->tick_source = g_timeout_add (TICK_MS, on_tick, r);
  json_node_unref (node);
  json_object_unref (o);
  g_free (json);
  g_free (b64);
  g_free (sdp);
  return G_SOURCE_REMOVE;
}

/* webrtcbin's threads from here on */
static void
on_gathering (GObject * webrtc, GParamSpec * pspec, gpointer data)
{
  Rtc *r = data;
  GstWebRTCICEGatheringState state;

  g_object_get (webrtc, "ice-gathering-state", &state, NULL);
  if (state == GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE
      && g_atomic_int_compare_and_exchange (&r->answered, 0, 1))
    g_idle_add_full (G_PRIORITY_DEFAULT, send_answer, rtc_ref (r), rtc_unref);
}

static void
on_answer_created (GstPromise * p, gpointer data)
{
  Rtc *r = data;
  GstWebRTCSessionDescription *answer = NULL;
  const GstStructure *s = NULL;

  if (gst_promise_wait (p) == GST_PROMISE_RESULT_REPLIED)
    s = gst_promise_get_reply (p);
  if (s)
    gst_structure_get (s, "answer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
        &answer, NULL);
  if (!answer) {
    g_warning ("avatar: webrtcbin created no answer");
    return;
  }
  g_signal_emit_by_name (r->webrtc, "set-local-description", answer, NULL);
  gst_webrtc_session_description_free (answer);
  /* Gathering may be over already */
  on_gathering (G_OBJECT (r->webrtc), NULL, r);
}

static void
on_offer_set (GstPromise * p, gpointer data)
{
  Rtc *r = data;
  GstPromise *next = gst_promise_new_with_change_func (on_answer_created,
      rtc_ref (r), rtc_unref);

  g_signal_emit_by_name (r->webrtc, "create-answer", NULL, next);
  gst_promise_unref (next);
}

/* Back on the main loop */

static gint
side (JsonObject * session, const gchar * name, gint def)
{
  JsonObject *a = avatar_of (session);
  JsonNode *v = a ? json_object_get_member (a, "video") : NULL;
  JsonNode *res = v && JSON_NODE_HOLDS_OBJECT (v) ?
      json_object_get_member (json_node_get_object (v), "resolution") : NULL;

  if (!res || !JSON_NODE_HOLDS_OBJECT (res))
    return def;
  return (gint) json_object_get_int_member_with_default
      (json_node_get_object (res), name, def);
}

#define VIDEO_RTP "application/x-rtp,media=video,encoding-name=H264," \
  "payload=96,clock-rate=90000"
#define AUDIO_RTP "application/x-rtp,media=audio,encoding-name=OPUS," \
  "payload=111,clock-rate=48000,encoding-params=(string)2"

static void
link_with_caps (Rtc * r, const gchar * from, const gchar * caps_str)
{
  GstElement *q = gst_bin_get_by_name (GST_BIN (r->pipe), from);
  GstCaps *caps = gst_caps_from_string (caps_str);
  GstPadTemplate *t =
      gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (r->webrtc),
      "sink_%u");
  GstPad *sink = gst_element_request_pad (r->webrtc, t, NULL, caps);
  GstPad *src = gst_element_get_static_pad (q, "src");

  if (gst_pad_link (src, sink) != GST_PAD_LINK_OK)
    g_warning ("avatar: cannot link %s to webrtcbin", from);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_caps_unref (caps);
  gst_object_unref (q);
}

static Rtc *
peer_new (VlEmuConn * conn, GError ** error)
{
  Rtc *r = g_new0 (Rtc, 1);
  gchar *desc;
  GArray *transceivers = NULL;
  guint i;

  r->refs = 1;
  r->conn = conn;
  r->width = side (conn->session, "width", DEFAULT_WIDTH);
  r->height = side (conn->session, "height", DEFAULT_HEIGHT);
  /* Host candidates only: no STUN or TURN server */
  desc = g_strdup_printf ("webrtcbin name=w bundle-policy=max-bundle "
      "appsrc name=v is-live=true do-timestamp=true format=time "
      "caps=video/x-raw,format=RGB,width=%d,height=%d,framerate=%d/1 ! "
      "videoconvert ! video/x-raw,format=I420 ! openh264enc gop-size=%d "
      "bitrate=%d ! h264parse ! rtph264pay config-interval=-1 pt=96 "
      "aggregate-mode=zero-latency ! " VIDEO_RTP " ! queue name=vq "
      "appsrc name=a is-live=true do-timestamp=true format=time ! "
      "audioconvert ! audioresample ! audio/x-raw,rate=48000 ! opusenc ! "
      "rtpopuspay pt=111 ! " AUDIO_RTP " ! queue name=aq",
      r->width, r->height, FPS, FPS, MAX (r->width * r->height * 4, 128000));
  r->pipe = gst_parse_launch (desc, error);
  g_free (desc);
  if (!r->pipe) {
    rtc_unref (r);
    return NULL;
  }
  r->webrtc = gst_bin_get_by_name (GST_BIN (r->pipe), "w");
  r->vsrc = gst_bin_get_by_name (GST_BIN (r->pipe), "v");
  r->asrc = gst_bin_get_by_name (GST_BIN (r->pipe), "a");
  /* the bin keeps them */
  gst_object_unref (r->webrtc);
  gst_object_unref (r->vsrc);
  gst_object_unref (r->asrc);
  /* Pads requested with their caps: each transceiver knows its kind and
   * codec before the offer comes, so the offer's m-lines find them */
  link_with_caps (r, "vq", VIDEO_RTP);
  link_with_caps (r, "aq", AUDIO_RTP);
  set_audio_caps (r, IDLE_RATE);
  g_signal_emit_by_name (r->webrtc, "get-transceivers", &transceivers);
  for (i = 0; transceivers && i < transceivers->len; i++)
    g_object_set (g_array_index (transceivers, GstWebRTCRTPTransceiver *, i),
        "direction", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY, NULL);
  if (transceivers)
    g_array_unref (transceivers);
  g_signal_connect_data (r->webrtc, "notify::ice-gathering-state",
      G_CALLBACK (on_gathering), rtc_ref (r), (GClosureNotify) rtc_unref, 0);
  return r;
}

static gboolean
refuse (VlEmuConn * conn, const gchar * event_id, const gchar * why)
{
  vl_emu_conn_send_error (conn, "invalid_value", why, "client_sdp", event_id);
  return FALSE;
}

void
vl_emu_webrtc_connect (VlEmuConn * conn, JsonObject * ev,
    const gchar * event_id)
{
  const gchar *b64 = json_object_get_string_member_with_default (ev,
      "client_sdp", NULL);
  guchar *json = NULL;
  gsize len = 0;
  JsonNode *root = NULL;
  JsonObject *o;
  const gchar *sdp;
  GstSDPMessage *msg = NULL;
  GstWebRTCSessionDescription *offer;
  GstPromise *p;
  GError *err = NULL;
  Rtc *r;

  if (!vl_emu_avatar_webrtc (conn->session)) {
    refuse (conn, event_id, "session.avatar.connect needs an avatar with "
        "output_protocol webrtc");
    return;
  }
  if (rtc_of (conn)) {
    refuse (conn, event_id, "The avatar is already connected.");
    return;
  }
  if (b64)
    json = g_base64_decode (b64, &len);
  json = g_realloc (json, len + 1);
  json[len] = 0;
  root = len ? json_from_string ((const gchar *) json, NULL) : NULL;
  g_free (json);
  o = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) :
      NULL;
  sdp = o ? json_object_get_string_member_with_default (o, "sdp", NULL) : NULL;
  if (!o || g_strcmp0 (json_object_get_string_member_with_default (o, "type",
              NULL), "offer") || !sdp || gst_sdp_message_new_from_text (sdp,
          &msg) != GST_SDP_OK || gst_sdp_message_medias_len (msg) == 0) {
    refuse (conn, event_id, "client_sdp must be base64 of "
        "{\"type\":\"offer\",\"sdp\":...} with an SDP offer");
    if (msg)
      gst_sdp_message_free (msg);
    if (root)
      json_node_unref (root);
    return;
  }
  json_node_unref (root);
  gst_init (NULL, NULL);
  if (!(r = peer_new (conn, &err))) {
    g_warning ("avatar: no WebRTC peer: %s", err ? err->message : "?");
    vl_emu_conn_send_error (conn, "server_error", "The emulator cannot "
        "run its WebRTC peer (webrtcbin, openh264enc, opusenc needed).",
        NULL, event_id);
    g_clear_error (&err);
    gst_sdp_message_free (msg);
    return;
  }
  g_hash_table_insert (peers (), conn, r);
  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  offer = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_OFFER, msg);
  p = gst_promise_new_with_change_func (on_offer_set, rtc_ref (r), rtc_unref);
  g_signal_emit_by_name (r->webrtc, "set-remote-description", offer, p);
  gst_promise_unref (p);
  gst_webrtc_session_description_free (offer);
}

void
vl_emu_webrtc_play (VlEmuConn * conn, const gchar * turn_id, guint32 argb,
    const gint16 * pcm, guint64 samples, guint rate)
{
  Rtc *r = rtc_of (conn);

  if (!r)
    return;
  end_turn (r);
  g_free (r->turn_id);
  r->turn_id = g_strdup (turn_id);
  r->argb = argb;
  r->frames_left = (guint) MAX (1, (samples * FPS + rate - 1) / rate);
  r->pcm = g_memdup2 (pcm, samples * 2);
  r->samples = samples;
  r->pos = 0;
  if (rate != r->rate)
    set_audio_caps (r, rate);
  r->speaking = TRUE;
  send_state (r, "session.avatar.switch_to_speaking");
}

void
vl_emu_webrtc_stop_turn (VlEmuConn * conn)
{
  Rtc *r = rtc_of (conn);

  if (r)
    end_turn (r);
}

void
vl_emu_webrtc_free (VlEmuConn * conn)
{
  Rtc *r = rtc_of (conn);

  if (!r)
    return;
  g_hash_table_remove (peers (), conn);
  r->conn = NULL;
  if (r->tick_source)
    g_source_remove (r->tick_source);
  g_signal_handlers_disconnect_by_func (r->webrtc, on_gathering, r);
  gst_element_set_state (r->pipe, GST_STATE_NULL);
  rtc_unref (r);
}
