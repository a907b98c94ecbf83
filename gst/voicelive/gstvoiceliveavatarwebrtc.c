/* gst-voicelive
 * voiceliveavatarsrc's WebRTC mode (protocol-2026.md §3.2): a webrtcbin
 * in the element, its offer sent as session.avatar.connect once the
 * session is up, the answer of session.avatar.connecting applied, and
 * the received H.264 and Opus depayloaded for the element's pads. The
 * signaling thread runs from READY->PAUSED to PAUSED->READY; webrtcbin's
 * signals come on its own threads and only take rtc->lock, briefly.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <json-glib/json-glib.h>
#define GST_USE_UNSTABLE_API    /* gst/webrtc: unstable API until 1.24 */
#include <gst/webrtc/webrtc.h>
#include <gst/sdp/sdp.h>
#include "gstvoiceliveavatarwebrtc.h"
#include "gstvoiceliveprotocol.h"

GST_DEBUG_CATEGORY_STATIC (avatar_rtc_debug);
#define GST_CAT_DEFAULT avatar_rtc_debug

/* How often the signaling thread looks at its stop flag */
#define POLL_US (50 * G_TIME_SPAN_MILLISECOND)
/* webrtcbin answers its own promises within milliseconds; this only
 * bounds a peer that went away */
#define PROMISE_TIMEOUT_US (10 * G_USEC_PER_SEC)
/* Gathering with TURN takes a few seconds; a relay that never answers
 * is given up by libnice well within this */
#define GATHER_TIMEOUT_US (60 * G_USEC_PER_SEC)

struct _VlAvatarRtc
{
  GstElement *element;          /* the avatar src (a bin): owns this */
  GstVoiceLiveSession *session;
  VlAvatarRtcExpose expose;
  GstElement *webrtc;
  gchar *ice_servers;           /* avatar-ice-servers, or NULL */
  GThread *thread;

  GMutex lock;
  GCond cond;
  gboolean stopping;
  gboolean failed;              /* the error is posted: once */
  GstPromise *pending;          /* the promise waited for */
  gboolean replied;
  GstStructure *reply;
  GPtrArray *added;             /* elements added after webrtcbin */
  gint refs;
};

static VlAvatarRtc *
rtc_ref (VlAvatarRtc * rtc)
{
  g_atomic_int_inc (&rtc->refs);
  return rtc;
}

static void
rtc_unref (gpointer data)
{
  VlAvatarRtc *rtc = data;

  if (!g_atomic_int_dec_and_test (&rtc->refs))
    return;
  g_clear_pointer (&rtc->reply, gst_structure_free);
  g_ptr_array_unref (rtc->added);
  g_free (rtc->ice_servers);
  g_mutex_clear (&rtc->lock);
  g_cond_clear (&rtc->cond);
  g_free (rtc);
}

/* A failed negotiation: one ERROR from the element, naming the property
 * that chose WebRTC. Any thread. */
static void
rtc_fail (VlAvatarRtc * rtc, const gchar * what, const gchar * debug)
{
  gboolean first;

  g_mutex_lock (&rtc->lock);
  first = !rtc->failed && !rtc->stopping;
  rtc->failed = TRUE;
  g_mutex_unlock (&rtc->lock);
  if (!first)
    return;
  gst_element_message_full (rtc->element, GST_MESSAGE_ERROR,
      GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_FAILED,
      g_strdup_printf ("The avatar's WebRTC connection failed "
          "(avatar-output-protocol=webrtc): %s", what),
      g_strdup (debug), __FILE__, GST_FUNCTION, __LINE__);
}

static gboolean
stopping (VlAvatarRtc * rtc)
{
  gboolean s;

  g_mutex_lock (&rtc->lock);
  s = rtc->stopping || rtc->failed;
  g_mutex_unlock (&rtc->lock);
  return s;
}

/* webrtcbin's thread */
static void
on_promise (GstPromise * promise, gpointer data)
{
  VlAvatarRtc *rtc = data;
  const GstStructure *r = NULL;

  if (gst_promise_wait (promise) == GST_PROMISE_RESULT_REPLIED)
    r = gst_promise_get_reply (promise);
  g_mutex_lock (&rtc->lock);
  if (rtc->pending == promise) {
    g_clear_pointer (&rtc->reply, gst_structure_free);
    rtc->reply = r ? gst_structure_copy (r) : NULL;
    rtc->replied = TRUE;
    g_cond_broadcast (&rtc->cond);
  }
  g_mutex_unlock (&rtc->lock);
}

static GstPromise *
new_promise (VlAvatarRtc * rtc)
{
  GstPromise *p = gst_promise_new_with_change_func (on_promise,
      rtc_ref (rtc), rtc_unref);

  g_mutex_lock (&rtc->lock);
  if (rtc->pending)
    gst_promise_unref (rtc->pending);
  rtc->pending = gst_promise_ref (p);
  rtc->replied = FALSE;
  g_clear_pointer (&rtc->reply, gst_structure_free);
  g_mutex_unlock (&rtc->lock);
  return p;
}

/* The reply of the pending promise (transfer full, may be NULL): FALSE
 * when stopping or when webrtcbin did not answer in time. */
static gboolean
wait_promise (VlAvatarRtc * rtc, GstStructure ** reply)
{
  gint64 deadline = g_get_monotonic_time () + PROMISE_TIMEOUT_US;
  gboolean ok;

  g_mutex_lock (&rtc->lock);
  while (!rtc->replied && !rtc->stopping && g_get_monotonic_time () < deadline)
    g_cond_wait_until (&rtc->cond, &rtc->lock,
        MIN (deadline, g_get_monotonic_time () + POLL_US));
  ok = rtc->replied && !rtc->stopping;
  *reply = rtc->reply;
  rtc->reply = NULL;
  g_clear_pointer (&rtc->pending, gst_promise_unref);
  g_mutex_unlock (&rtc->lock);
  if (!ok && *reply)
    g_clear_pointer (reply, gst_structure_free);
  return ok;
}

/* A reply's "error" (webrtcbin 1.22 puts the GError there) */
static gchar *
reply_error (const GstStructure * reply)
{
  GError *err = NULL;
  gchar *msg;

  if (!reply || !gst_structure_has_field (reply, "error"))
    return NULL;
  gst_structure_get (reply, "error", G_TYPE_ERROR, &err, NULL);
  msg = g_strdup (err ? err->message : "unknown error");
  g_clear_error (&err);
  return msg;
}

/* One ICE server of RTCIceServer JSON: each turn:/turns: URL as
 * turn(s)://user:credential@host:port (URL-encoded) for add-turn-server,
 * a stun: URL as stun-server. Logs hosts, never credentials. */
static guint
add_ice_server (VlAvatarRtc * rtc, JsonObject * server)
{
  JsonNode *urls = json_object_get_member (server, "urls");
  const gchar *user = json_object_get_string_member_with_default (server,
      "username", "");
  const gchar *cred = json_object_get_string_member_with_default (server,
      "credential", "");
  gchar *euser = g_uri_escape_string (user ? user : "", NULL, FALSE);
  gchar *ecred = g_uri_escape_string (cred ? cred : "", NULL, FALSE);
  GPtrArray *list = g_ptr_array_new ();
  guint i, added = 0;

  if (urls && JSON_NODE_HOLDS_VALUE (urls))
    g_ptr_array_add (list, (gpointer) json_node_get_string (urls));
  else if (urls && JSON_NODE_HOLDS_ARRAY (urls)) {
    JsonArray *a = json_node_get_array (urls);

    for (i = 0; i < json_array_get_length (a); i++) {
      JsonNode *n = json_array_get_element (a, i);

      if (JSON_NODE_HOLDS_VALUE (n))
        g_ptr_array_add (list, (gpointer) json_node_get_string (n));
    }
  }
  for (i = 0; i < list->len; i++) {
    const gchar *url = g_ptr_array_index (list, i);
    const gchar *host;
    gboolean turns = FALSE, ok = FALSE;

    if (!url)
      continue;
    if (g_str_has_prefix (url, "turns:"))
      turns = TRUE, host = url + 6;
    else if (g_str_has_prefix (url, "turn:"))
      host = url + 5;
    else if (g_str_has_prefix (url, "stun:")) {
      gchar *stun = g_strdup_printf ("stun://%s", url + 5);

      g_object_set (rtc->webrtc, "stun-server", stun, NULL);
      GST_INFO_OBJECT (rtc->element, "STUN server %s", url + 5);
      g_free (stun);
      added++;
      continue;
    } else {
      GST_WARNING_OBJECT (rtc->element, "ignoring ICE server URL of an "
          "unknown scheme");
      continue;
    }
    while (*host == '/')
      host++;
    {
      gchar *uri = g_strdup_printf ("%s://%s:%s@%s", turns ? "turns" : "turn",
          euser, ecred, host);

      g_signal_emit_by_name (rtc->webrtc, "add-turn-server", uri, &ok);
      memset (uri, 0, strlen (uri));
      g_free (uri);
    }
    if (ok) {
      GST_INFO_OBJECT (rtc->element, "TURN server %s", host);
      added++;
    } else {
      GST_WARNING_OBJECT (rtc->element, "webrtcbin refused the TURN "
          "server %s", host);
    }
  }
  g_ptr_array_unref (list);
  g_free (euser);
  g_free (ecred);
  return added;
}

static void
add_ice_servers (VlAvatarRtc * rtc, const gchar * json, const gchar * from)
{
  JsonNode *root = json ? json_from_string (json, NULL) : NULL;
  guint i, n = 0;

  if (root && JSON_NODE_HOLDS_ARRAY (root)) {
    JsonArray *a = json_node_get_array (root);

    for (i = 0; i < json_array_get_length (a); i++) {
      JsonNode *e = json_array_get_element (a, i);

      if (JSON_NODE_HOLDS_OBJECT (e))
        n += add_ice_server (rtc, json_node_get_object (e));
    }
  } else if (json) {
    GST_WARNING_OBJECT (rtc->element, "%s: ICE servers are not a JSON "
        "array", from);
  }
  GST_INFO_OBJECT (rtc->element, "%u ICE server URLs from %s", n, from);
  if (root)
    json_node_unref (root);
}

/* The offer's JSON (RTCSessionDescription), base64: client_sdp */
static gchar *
offer_b64 (GstWebRTCSessionDescription * desc)
{
  gchar *sdp = gst_sdp_message_as_text (desc->sdp);
  JsonBuilder *b = json_builder_new ();
  JsonNode *root;
  gchar *json, *b64;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "offer");
  json_builder_set_member_name (b, "sdp");
  json_builder_add_string_value (b, sdp);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);
  b64 = g_base64_encode ((const guchar *) json, strlen (json));
  json_node_unref (root);
  g_object_unref (b);
  g_free (json);
  g_free (sdp);
  return b64;
}

/* server_sdp: base64 of {"type":"answer","sdp":"..."}; NULL with *why */
static GstSDPMessage *
parse_answer (const gchar * b64, guint offer_media, gchar ** why)
{
  gsize len = b64 ? strlen (b64) : 0, n = 0;
  guint8 *bytes = g_malloc (len / 4 * 3 + 4);
  JsonNode *root = NULL;
  JsonObject *o;
  GstSDPMessage *msg = NULL;
  const gchar *sdp;
  guint i;

  if (!len || !gst_voice_live_base64_decode (b64, len, bytes, &n)) {
    *why = g_strdup ("server_sdp is not base64");
    goto out;
  }
  bytes[n] = 0;
  root = json_from_string ((const gchar *) bytes, NULL);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root)) {
    *why = g_strdup ("server_sdp is not base64 of a JSON object");
    goto out;
  }
  o = json_node_get_object (root);
  sdp = json_object_get_string_member_with_default (o, "sdp", NULL);
  if (g_strcmp0 (json_object_get_string_member_with_default (o, "type",
              NULL), "answer") != 0 || !sdp) {
    *why = g_strdup ("server_sdp is not an SDP answer "
        "({\"type\":\"answer\",\"sdp\":...})");
    goto out;
  }
  gst_sdp_message_new_from_text (sdp, &msg);
  /* The parser takes anything: an answer has our m-lines, with ICE */
  if (!msg || gst_sdp_message_medias_len (msg) != offer_media) {
    *why = g_strdup_printf ("the answer has %u media sections, the offer "
        "%u", msg ? gst_sdp_message_medias_len (msg) : 0, offer_media);
    goto bad;
  }
  for (i = 0; i < offer_media; i++) {
    const GstSDPMedia *m = gst_sdp_message_get_media (msg, i);

    if (!gst_sdp_media_get_attribute_val (m, "ice-ufrag")
        && !gst_sdp_message_get_attribute_val (msg, "ice-ufrag")) {
      *why = g_strdup_printf ("media section %u of the answer has no "
          "ICE credentials", i);
      goto bad;
    }
  }
  goto out;
bad:
  if (msg)
    gst_sdp_message_free (msg);
  msg = NULL;
out:
  if (root)
    json_node_unref (root);
  g_free (bytes);
  return msg;
}

typedef enum
{
  STEP_OK,
  STEP_STOP,                    /* stopping, flushing, EOS: quietly */
  STEP_EOS,
  STEP_FAILED,
} Step;

static Step
wait_signal (VlAvatarRtc * rtc, gboolean answer, gchar ** out)
{
  while (!stopping (rtc)) {
    switch (gst_voice_live_session_read_avatar_rtc (rtc->session,
            g_get_monotonic_time () + 2 * POLL_US, answer, out)) {
      case GST_VOICE_LIVE_READ_DATA:
        return STEP_OK;
      case GST_VOICE_LIVE_READ_EMPTY:
        break;
      case GST_VOICE_LIVE_READ_EOS:
        return STEP_EOS;
      default:
        /* flushing, or the session failed (its error is posted) */
        return STEP_STOP;
    }
  }
  return STEP_STOP;
}

static Step
negotiate (VlAvatarRtc * rtc)
{
  GstWebRTCSessionDescription *offer = NULL, *answer;
  GstWebRTCICEGatheringState gathering = GST_WEBRTC_ICE_GATHERING_STATE_NEW;
  GstStructure *reply = NULL;
  GstSDPMessage *sdp;
  GstPromise *p;
  gchar *ice = NULL, *b64, *why = NULL;
  gint64 deadline;
  guint media;
  Step step;

  /* 1. session.updated: the settings were taken; its TURN servers */
  if ((step = wait_signal (rtc, FALSE, &ice)) != STEP_OK)
    return step;
  if (rtc->ice_servers)
    add_ice_servers (rtc, rtc->ice_servers, "avatar-ice-servers");
  else
    add_ice_servers (rtc, ice, "session.updated");
  g_free (ice);

  /* 2. The offer, once gathering is complete (no trickle ICE). From
   * READY on webrtcbin runs its operations (it may still be on its way) */
  while (GST_STATE (rtc->webrtc) < GST_STATE_READY)
    if (stopping (rtc))
      return STEP_STOP;
    else
      g_usleep (POLL_US / 5);
  p = new_promise (rtc);
  g_signal_emit_by_name (rtc->webrtc, "create-offer", NULL, p);
  gst_promise_unref (p);
  if (!wait_promise (rtc, &reply))
    goto timeout;
  if (reply)
    gst_structure_get (reply, "offer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
        &offer, NULL);
  if (!offer) {
    why = reply_error (reply);
    rtc_fail (rtc, "webrtcbin could not create an offer", why);
    goto failed;
  }
  g_clear_pointer (&reply, gst_structure_free);
  media = gst_sdp_message_medias_len (offer->sdp);
  p = new_promise (rtc);
  g_signal_emit_by_name (rtc->webrtc, "set-local-description", offer, p);
  gst_promise_unref (p);
  gst_webrtc_session_description_free (offer);
  if (!wait_promise (rtc, &reply))
    goto timeout;
  if ((why = reply_error (reply))) {
    rtc_fail (rtc, "webrtcbin refused its own offer", why);
    goto failed;
  }
  g_clear_pointer (&reply, gst_structure_free);
  deadline = g_get_monotonic_time () + GATHER_TIMEOUT_US;
  while (!stopping (rtc)) {
    g_object_get (rtc->webrtc, "ice-gathering-state", &gathering, NULL);
    if (gathering == GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE)
      break;
    if (g_get_monotonic_time () > deadline) {
      rtc_fail (rtc, "ICE candidate gathering did not complete", NULL);
      return STEP_FAILED;
    }
    g_usleep (POLL_US / 5);
  }
  if (stopping (rtc))
    return STEP_STOP;
  g_object_get (rtc->webrtc, "local-description", &offer, NULL);
  if (!offer)
    goto timeout;
  b64 = offer_b64 (offer);
  gst_webrtc_session_description_free (offer);
  GST_INFO_OBJECT (rtc->element, "sending session.avatar.connect (%u media, "
      "%" G_GSIZE_FORMAT " bytes of base64)", media, strlen (b64));
  gst_voice_live_session_send (rtc->session,
      g_strdup_printf ("{\"type\":\"session.avatar.connect\","
          "\"client_sdp\":\"%s\"}", b64), 0);
  g_free (b64);

  /* 3. session.avatar.connecting: the answer */
  if ((step = wait_signal (rtc, TRUE, &b64)) != STEP_OK)
    return step;
  sdp = parse_answer (b64, media, &why);
  g_free (b64);
  if (!sdp) {
    rtc_fail (rtc, "the service's answer (session.avatar.connecting) is "
        "not usable", why);
    goto failed;
  }
  answer = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_ANSWER, sdp);
  p = new_promise (rtc);
  g_signal_emit_by_name (rtc->webrtc, "set-remote-description", answer, p);
  gst_promise_unref (p);
  gst_webrtc_session_description_free (answer);
  if (!wait_promise (rtc, &reply))
    goto timeout;
  if ((why = reply_error (reply))) {
    rtc_fail (rtc, "webrtcbin refused the service's answer "
        "(session.avatar.connecting)", why);
    goto failed;
  }
  g_clear_pointer (&reply, gst_structure_free);
  GST_INFO_OBJECT (rtc->element, "answer applied: connecting");
  return STEP_OK;

timeout:
  if (stopping (rtc))
    return STEP_STOP;
  rtc_fail (rtc, "webrtcbin did not answer", NULL);
failed:
  if (reply)
    gst_structure_free (reply);
  g_free (why);
  return STEP_FAILED;
}

/* The sink drained: the pads end */
static void
send_eos (VlAvatarRtc * rtc)
{
  GPtrArray *pads = g_ptr_array_new_with_free_func (gst_object_unref);
  guint i;

  g_mutex_lock (&rtc->lock);
  for (i = 0; i < rtc->added->len; i++) {
    GstPad *pad = gst_element_get_static_pad (g_ptr_array_index (rtc->added,
            i), "sink");

    if (pad)
      g_ptr_array_add (pads, pad);
  }
  g_mutex_unlock (&rtc->lock);
  GST_INFO_OBJECT (rtc->element, "the session drained: EOS on %u streams",
      pads->len);
  for (i = 0; i < pads->len; i++)
    gst_pad_send_event (g_ptr_array_index (pads, i), gst_event_new_eos ());
  g_ptr_array_unref (pads);
}

static gpointer
signaling_thread (gpointer data)
{
  VlAvatarRtc *rtc = data;
  Step step = negotiate (rtc);
  gchar *extra = NULL;

  /* Connected or not: the thread stays for the end of the session */
  while (step == STEP_OK) {
    step = wait_signal (rtc, TRUE, &extra);
    if (step == STEP_OK)
      GST_WARNING_OBJECT (rtc->element, "ignoring a second "
          "session.avatar.connecting");
    g_clear_pointer (&extra, g_free);
  }
  if (step == STEP_EOS)
    send_eos (rtc);
  return NULL;
}

/* webrtcbin's streaming thread: a received stream, depayloaded */
static void
on_pad_added (GstElement * webrtc, GstPad * pad, gpointer data)
{
  VlAvatarRtc *rtc = data;
  GstCaps *caps;
  GstStructure *s;
  const gchar *media, *enc, *depay_name = NULL;
  GstElement *depay;
  GstPad *sink, *src;
  gboolean video;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  caps = gst_pad_get_current_caps (pad);
  if (!caps)
    caps = gst_pad_query_caps (pad, NULL);
  s = gst_caps_get_size (caps) ? gst_caps_get_structure (caps, 0) : NULL;
  media = s ? gst_structure_get_string (s, "media") : NULL;
  enc = s ? gst_structure_get_string (s, "encoding-name") : NULL;
  video = g_strcmp0 (media, "video") == 0;
  if (video && enc && !g_ascii_strcasecmp (enc, "H264"))
    depay_name = "rtph264depay";
  else if (!video && enc && !g_ascii_strcasecmp (enc, "OPUS"))
    depay_name = "rtpopusdepay";
  GST_INFO_OBJECT (rtc->element, "received %s stream (%s)",
      media ? media : "?", enc ? enc : "?");
  gst_caps_unref (caps);
  /* Another codec than the service's H.264 and Opus: not output */
  depay = gst_element_factory_make (depay_name ? depay_name : "fakesink", NULL);
  if (!depay_name) {
    GST_ELEMENT_WARNING (rtc->element, STREAM, CODEC_NOT_FOUND,
        ("The avatar's %s stream is %s, not %s: not output",
            media ? media : "?", enc ? enc : "?", video ? "H264" : "OPUS"),
        (NULL));
    g_object_set (depay, "async", FALSE, "sync", FALSE, NULL);
  }
  g_mutex_lock (&rtc->lock);
  g_ptr_array_add (rtc->added, gst_object_ref (depay));
  g_mutex_unlock (&rtc->lock);
  gst_bin_add (GST_BIN (rtc->element), depay);
  GST_OBJECT_FLAG_UNSET (rtc->element, GST_ELEMENT_FLAG_SINK);
  gst_element_sync_state_with_parent (depay);
  sink = gst_element_get_static_pad (depay, "sink");
  gst_pad_link (pad, sink);
  gst_object_unref (sink);
  if (!depay_name)
    return;
  src = gst_element_get_static_pad (depay, "src");
  rtc->expose (rtc->element, video, src);
  gst_object_unref (src);
}

/* webrtcbin's threads: ICE or DTLS gave up */
static void
on_state (GObject * webrtc, GParamSpec * pspec, gpointer data)
{
  VlAvatarRtc *rtc = data;
  gint state = 0;

  if (g_str_equal (pspec->name, "ice-connection-state")) {
    g_object_get (webrtc, "ice-connection-state", &state, NULL);
    GST_INFO_OBJECT (rtc->element, "ICE connection state %d", state);
    if (state == GST_WEBRTC_ICE_CONNECTION_STATE_FAILED)
      rtc_fail (rtc, "ICE failed (no candidate pair with the service "
          "works: check the TURN servers, avatar-ice-servers)", NULL);
  } else {
    g_object_get (webrtc, "connection-state", &state, NULL);
    GST_INFO_OBJECT (rtc->element, "peer connection state %d", state);
    if (state == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED)
      rtc_fail (rtc, "the peer connection failed (DTLS)", NULL);
  }
}

static GstElement *
make_or_explain (const gchar * factory, const gchar * package, GError ** error)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  if (!e)
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "avatar-output-protocol=webrtc needs the GStreamer element '%s': "
        "install %s", factory, package);
  return e;
}

static gboolean
have_factory (const gchar * factory, const gchar * package, GError ** error)
{
  GstElementFactory *f = gst_element_factory_find (factory);

  if (!f) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "avatar-output-protocol=webrtc needs the GStreamer element '%s': "
        "install %s", factory, package);
    return FALSE;
  }
  gst_object_unref (f);
  return TRUE;
}

static void
add_transceiver (GstElement * webrtc, const gchar * caps_str)
{
  GstCaps *caps = gst_caps_from_string (caps_str);
  GstWebRTCRTPTransceiver *t = NULL;

  g_signal_emit_by_name (webrtc, "add-transceiver",
      GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, caps, &t);
  gst_caps_unref (caps);
  if (t)
    gst_object_unref (t);
}

VlAvatarRtc *
vl_avatar_rtc_start (GstElement * element, GstVoiceLiveSession * session,
    guint latency_ms, VlAvatarRtcExpose expose, GError ** error)
{
  VlAvatarRtc *rtc;
  GstElement *webrtc;

  if (!avatar_rtc_debug)
    GST_DEBUG_CATEGORY_INIT (avatar_rtc_debug, "voiceliveavatarwebrtc", 0,
        "voiceliveavatarsrc's WebRTC mode");
  if (!have_factory ("nicesrc", "gstreamer1.0-nice", error)
      || !have_factory ("nicesink", "gstreamer1.0-nice", error)
      || !have_factory ("rtph264depay", "gstreamer1.0-plugins-good", error)
      || !have_factory ("rtpopusdepay", "gstreamer1.0-plugins-base", error)
      || !(webrtc = make_or_explain ("webrtcbin", "gstreamer1.0-plugins-bad",
              error)))
    return NULL;

  rtc = g_new0 (VlAvatarRtc, 1);
  rtc->refs = 1;
  g_mutex_init (&rtc->lock);
  g_cond_init (&rtc->cond);
  rtc->added = g_ptr_array_new_with_free_func (gst_object_unref);
  rtc->element = element;
  rtc->session = gst_object_ref (session);
  rtc->expose = expose;
  rtc->webrtc = gst_object_ref (webrtc);
  gst_voice_live_session_avatar_webrtc (session, &rtc->ice_servers);
  gst_voice_live_session_avatar_rtc_reset (session);

  g_object_set (webrtc, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE,
      "latency", latency_ms, NULL);
  /* recvonly: the element sends nothing (the samples' sendrecv is a
   * browser habit; an answer to recvonly is sendonly) */
  add_transceiver (webrtc, "application/x-rtp, media=video, "
      "encoding-name=H264, clock-rate=90000, payload=96, "
      "packetization-mode=(string)1, profile-level-id=(string)42e01f, "
      "level-asymmetry-allowed=(string)1");
  add_transceiver (webrtc, "application/x-rtp, media=audio, "
      "encoding-name=OPUS, clock-rate=48000, payload=111, "
      "encoding-params=(string)2");
  g_signal_connect_data (webrtc, "pad-added", G_CALLBACK (on_pad_added),
      rtc_ref (rtc), (GClosureNotify) rtc_unref, 0);
  g_signal_connect_data (webrtc, "notify::ice-connection-state",
      G_CALLBACK (on_state), rtc_ref (rtc), (GClosureNotify) rtc_unref, 0);
  g_signal_connect_data (webrtc, "notify::connection-state",
      G_CALLBACK (on_state), rtc_ref (rtc), (GClosureNotify) rtc_unref, 0);
  gst_bin_add (GST_BIN (element), webrtc);
  /* webrtcbin holds sinks (nicesink) and GstBin made us one: a sink
   * never at EOS, so the pipeline would never be. We are a source. */
  GST_OBJECT_FLAG_UNSET (element, GST_ELEMENT_FLAG_SINK);
  rtc->thread = g_thread_new ("voiceliveavatarrtc", signaling_thread, rtc);
  return rtc;
}

void
vl_avatar_rtc_stop (VlAvatarRtc * rtc)
{
  g_mutex_lock (&rtc->lock);
  rtc->stopping = TRUE;
  g_cond_broadcast (&rtc->cond);
  g_mutex_unlock (&rtc->lock);
  if (rtc->thread)
    g_thread_join (rtc->thread);
  rtc->thread = NULL;
}

void
vl_avatar_rtc_free (VlAvatarRtc * rtc)
{
  GPtrArray *added;
  guint i;

  vl_avatar_rtc_stop (rtc);
  g_signal_handlers_disconnect_by_func (rtc->webrtc, on_pad_added, rtc);
  g_signal_handlers_disconnect_by_func (rtc->webrtc, on_state, rtc);
  gst_element_set_state (rtc->webrtc, GST_STATE_NULL);
  gst_bin_remove (GST_BIN (rtc->element), rtc->webrtc);
  g_mutex_lock (&rtc->lock);
  added = rtc->added;
  rtc->added = g_ptr_array_new_with_free_func (gst_object_unref);
  g_mutex_unlock (&rtc->lock);
  for (i = 0; i < added->len; i++) {
    GstElement *e = g_ptr_array_index (added, i);

    gst_element_set_state (e, GST_STATE_NULL);
    gst_bin_remove (GST_BIN (rtc->element), e);
  }
  g_ptr_array_unref (added);
  gst_object_unref (rtc->webrtc);
  gst_object_unref (rtc->session);
  rtc_unref (rtc);
}
