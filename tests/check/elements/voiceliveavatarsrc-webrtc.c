/* gst-voicelive: voiceliveavatarsrc in WebRTC mode against the emulator's
 * webrtcbin peer (loopback, host candidates): the offer on the wire, the
 * decoded frames (size, count and colour per answer), the Opus audio,
 * barge-in, and a broken answer. The appsinks' callbacks (streaming
 * threads) count what arrives under one lock; the test thread reads it.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <string.h>
#include <gmodule.h>
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>
#include "vltest.h"

#define RATE 24000
#define WIDTH 160
#define HEIGHT 120
/* The emulator sends 10 frames per second of answer */
#define FPS 10

enum
{ BLACK, RED, GREEN, BLUE, OTHER, N_CLASSES };

typedef struct
{
  GMutex lock;
  guint frames[N_CLASSES];
  gint width, height;           /* of the last frame */
  gint bad_size;                /* frames of another size */
  guint first_of[N_CLASSES];    /* index of the first frame of a class */
  guint n_frames;
  guint bad_pts;                /* frames without a PTS, or going back */
  GstClockTime last_pts;
  guint64 samples;
  guint64 loud_blocks;          /* 10 ms blocks of audio with RMS > 1000 */
  guint64 block_n;
  gdouble block_sum;
} Seen;

/* What gst-voicelive's own debug categories printed (any thread) */
static GMutex log_lock;
static GString *log_text;

static void
capture_log (GstDebugCategory * cat, GstDebugLevel level, const gchar * file,
    const gchar * function, gint line, GObject * object, GstDebugMessage * msg,
    gpointer data)
{
  if (!g_str_has_prefix (gst_debug_category_get_name (cat), "voicelive"))
    return;
  g_mutex_lock (&log_lock);
  if (log_text) {
    g_string_append (log_text, gst_debug_message_get (msg));
    g_string_append_c (log_text, '\n');
  }
  g_mutex_unlock (&log_lock);
}

static void
log_start (void)
{
  g_mutex_lock (&log_lock);
  log_text = g_string_new (NULL);
  g_mutex_unlock (&log_lock);
  /* captured, not printed */
  gst_debug_remove_log_function (gst_debug_log_default);
  gst_debug_set_threshold_from_string ("voicelive*:7", FALSE);
  gst_debug_add_log_function (capture_log, NULL, NULL);
}

static gchar *
log_stop (void)
{
  gchar *text;

  gst_debug_remove_log_function (capture_log);
  gst_debug_set_threshold_from_string ("voicelive*:0", FALSE);
  gst_debug_add_log_function (gst_debug_log_default, NULL, NULL);
  g_mutex_lock (&log_lock);
  text = g_string_free (log_text, FALSE);
  log_text = NULL;
  g_mutex_unlock (&log_lock);
  return text;
}

static guint
classify (const guint8 * px)
{
  static const guint8 want[4][3] = {
    {0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}
  };
  guint k, c;

  for (k = 0; k < 4; k++) {
    for (c = 0; c < 3; c++)
      /* within what H.264 and the colour conversions leave of a solid
       * colour */
      if (ABS ((gint) px[c] - (gint) want[k][c]) > 24)
        break;
    if (c == 3)
      return k;
  }
  return OTHER;
}

static GstFlowReturn
on_video (GstAppSink * sink, gpointer data)
{
  Seen *seen = data;
  GstSample *s = gst_app_sink_pull_sample (sink);
  GstVideoInfo info;
  GstVideoFrame vf;
  guint cls;

  if (!s)
    return GST_FLOW_EOS;
  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (s))
      || !gst_video_frame_map (&vf, &info, gst_sample_get_buffer (s),
          GST_MAP_READ)) {
    gst_sample_unref (s);
    return GST_FLOW_ERROR;
  }
  g_mutex_lock (&seen->lock);
  {
    GstClockTime pts = GST_BUFFER_PTS (gst_sample_get_buffer (s));

    if (!GST_CLOCK_TIME_IS_VALID (pts) || (seen->n_frames
            && pts <= seen->last_pts))
      seen->bad_pts++;
    seen->last_pts = pts;
  }
  g_mutex_unlock (&seen->lock);
  cls = classify ((const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&vf, 0) +
      (info.height / 2) * GST_VIDEO_FRAME_PLANE_STRIDE (&vf, 0) +
      (info.width / 2) * 3);
  gst_video_frame_unmap (&vf);
  g_mutex_lock (&seen->lock);
  if (!seen->frames[cls])
    seen->first_of[cls] = seen->n_frames;
  seen->frames[cls]++;
  seen->n_frames++;
  seen->width = info.width;
  seen->height = info.height;
  if (info.width != WIDTH || info.height != HEIGHT)
    seen->bad_size++;
  g_mutex_unlock (&seen->lock);
  gst_sample_unref (s);
  return GST_FLOW_OK;
}

static GstFlowReturn
on_audio (GstAppSink * sink, gpointer data)
{
  Seen *seen = data;
  GstSample *s = gst_app_sink_pull_sample (sink);
  GstMapInfo map;
  gsize i;

  if (!s)
    return GST_FLOW_EOS;
  gst_buffer_map (gst_sample_get_buffer (s), &map, GST_MAP_READ);
  g_mutex_lock (&seen->lock);
  for (i = 0; i + 1 < map.size; i += 2) {
    gdouble v = (gint16) GST_READ_UINT16_LE (map.data + i);

    seen->block_sum += v * v;
    if (++seen->block_n == RATE / 100) {
      if (sqrt (seen->block_sum / seen->block_n) > 1000)
        seen->loud_blocks++;
      seen->block_n = 0;
      seen->block_sum = 0;
    }
  }
  seen->samples += map.size / 2;
  g_mutex_unlock (&seen->lock);
  gst_buffer_unmap (gst_sample_get_buffer (s), &map);
  gst_sample_unref (s);
  return GST_FLOW_OK;
}

static void
snapshot (Seen * seen, Seen * out)
{
  g_mutex_lock (&seen->lock);
  memcpy (out, seen, sizeof (*out));
  g_mutex_unlock (&seen->lock);
}

/* deps.sh installs these: a missing one fails, with what to install */
static void
require (const gchar * factory, const gchar * package)
{
  GstElementFactory *f = gst_element_factory_find (factory);

  fail_unless (f != NULL, "GStreamer element %s missing: install %s "
      "(bash scripts/deps.sh)", factory, package);
  gst_object_unref (f);
}

/* voicelivesink async=false: the avatar's branches (decodebin) cannot
 * preroll before media flows. latency-ms=1000: the jitterbuffer waits up
 * to a second for late packets, so that a loaded machine (valgrind
 * aside) loses no frame and the counts can be exact. */
static GstElement *
rtc_pipeline (VlEmulator * emu, const gchar * name, const gchar * props,
    Seen * seen)
{
  GstElement *p;

  require ("webrtcbin", "gstreamer1.0-plugins-bad");
  require ("nicesrc", "gstreamer1.0-nice");
  require ("openh264enc", "gstreamer1.0-plugins-bad");
  require ("openh264dec", "gstreamer1.0-plugins-bad");
  require ("opusenc", "gstreamer1.0-plugins-base");
  p = vl_test_pipeline_new_pair (RATE, "async=false "
      "endpoint=%s session-name=%s avatar-character=lisa "
      "avatar-output-protocol=webrtc avatar-width=%d avatar-height=%d %s  "
      "voiceliveavatarsrc name=a session-name=%s latency-ms=1000 "
      "a.video ! queue ! decodebin ! videoconvert ! "
      "video/x-raw,format=RGB ! appsink name=vout sync=false "
      "a.audio ! queue ! decodebin ! audioconvert ! audioresample ! "
      "audio/x-raw,format=S16LE,channels=1,rate=%d ! appsink name=aout "
      "sync=false", emu->url, name, WIDTH, HEIGHT, props, name, RATE);
  {
    GstAppSinkCallbacks vcb = { NULL, NULL, on_video };
    GstAppSinkCallbacks acb = { NULL, NULL, on_audio };

    g_mutex_init (&seen->lock);
    gst_app_sink_set_callbacks (GST_APP_SINK (vl_test_child (p, "vout")), &vcb,
        seen, NULL);
    gst_app_sink_set_callbacks (GST_APP_SINK (vl_test_child (p, "aout")), &acb,
        seen, NULL);
  }
  return p;
}

static void
wait_state (GstBus * bus, const gchar * state)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline) {
    GstMessage *m = vl_bus_wait (bus, 0, "voicelive/avatar-state", 1000);

    if (m && g_str_equal (gst_structure_get_string
            (gst_message_get_structure (m), "state"), state)) {
      vl_docs_check_message (gst_message_get_structure (m));
      gst_message_unref (m);
      return;
    }
    if (m)
      gst_message_unref (m);
  }
  fail ("no voicelive/avatar-state %s", state);
}

/* Until the idle avatar (black frames) shows: the peer connection is up */
static void
wait_black (Seen * seen, guint n)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  Seen now;

  do {
    snapshot (seen, &now);
    if (now.frames[BLACK] >= n)
      return;
  } while (vl_test_poll_step (deadline, 50));
  fail ("no idle avatar frames over WebRTC (%u frames)", now.n_frames);
}

static void
sleep_ms (guint ms)
{
  g_usleep (ms * 1000);
}

/* The wire: one session.avatar.connect, after session.updated, whose
 * client_sdp is base64 of {"type":"offer","sdp":...} with the gathered
 * candidates in it (no trickle: no other avatar event from the client) */
static void
check_offer (VlEmulator * emu)
{
  GPtrArray *rec = vl_emulator_record (emu);
  JsonNode *line = vl_rec_find (rec, "client", "session.avatar.connect", 0);
  const gchar *b64, *sdp;
  guchar *json;
  gsize len;
  JsonNode *root;
  JsonObject *o;
  guint i, avatar_events = 0;

  fail_unless (line != NULL, "no session.avatar.connect on the wire");
  fail_unless (vl_rec_index (rec, "server", "session.updated", 0) <
      vl_rec_index (rec, "client", "session.avatar.connect", 0));
  b64 = json_object_get_string_member (vl_rec_event (line), "client_sdp");
  json = g_base64_decode (b64, &len);
  json = g_realloc (json, len + 1);
  json[len] = 0;
  root = json_from_string ((const gchar *) json, NULL);
  fail_unless (root && JSON_NODE_HOLDS_OBJECT (root), "client_sdp: %s", json);
  o = json_node_get_object (root);
  fail_unless_equals_string (json_object_get_string_member (o, "type"),
      "offer");
  sdp = json_object_get_string_member (o, "sdp");
  fail_unless (strstr (sdp, "a=ice-ufrag:") != NULL, "%s", sdp);
  fail_unless (strstr (sdp, "a=candidate:") != NULL, "%s", sdp);
  fail_unless (strstr (sdp, "m=video") && strstr (sdp, "m=audio"), "%s", sdp);
  fail_unless (strstr (sdp, "H264") && strstr (sdp, "OPUS"), "%s", sdp);
  fail_unless (strstr (sdp, "a=recvonly") != NULL, "%s", sdp);
  fail_unless (strstr (sdp, "a=group:BUNDLE") != NULL, "%s", sdp);
  for (i = 0; i < rec->len; i++) {
    const gchar *t = vl_rec_type (g_ptr_array_index (rec, i));

    if (g_str_equal (vl_rec_dir (g_ptr_array_index (rec, i)), "client")
        && t && g_str_has_prefix (t, "session.avatar."))
      avatar_events++;
  }
  fail_unless_equals_int (avatar_events, 1);
  json_node_unref (root);
  g_free (json);
  g_ptr_array_unref (rec);
}

/* Two answers of one second: 10 red frames, then 10 green ones, of the
 * requested size, black ones around them; one second of loud audio each. */
GST_START_TEST (test_webrtc_frames_per_turn)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "1000", NULL);
  Seen seen = { 0 }, now;
  GstElement *p = rtc_pipeline (emu, "rtc1", "turn-detection=none", &seen);
  GstElement *sink = vl_test_child (p, "sink");
  GstBus *bus = gst_element_get_bus (p);
  guint turn;
  gboolean ok = FALSE;

  gchar *log;

  log_start ();
  vl_test_start_with_silence (p, RATE);
  wait_black (&seen, 3);
  check_offer (emu);
  /* The emulator's session.updated named a TURN server (user "emu user",
   * credential "p@ss:w/rd"): taken, and its credentials not logged */
  log = log_stop ();
  fail_unless (strstr (log, "TURN server 127.0.0.1:9") != NULL, "%s", log);
  fail_unless (strstr (log, "from session.updated") != NULL, "%s", log);
  fail_unless (strstr (log, "p@ss") == NULL && strstr (log, "p%40ss") == NULL
      && strstr (log, "emu user") == NULL && strstr (log, "emu%20user") ==
      NULL, "credentials in the log");
  g_free (log);
  for (turn = 1; turn <= 2; turn++) {
    g_signal_emit_by_name (sink, "create-response", NULL, &ok);
    fail_unless (ok);
    wait_state (bus, "speaking");
    /* the peer says idle once it has sent the answer (response.done
     * came long before: the emulator does not pace its events here) */
    wait_state (bus, "idle");
  }
  /* The jitterbuffer's latency and the decoders */
  sleep_ms (2500);
  snapshot (&seen, &now);
  fail_unless_equals_int (now.bad_size, 0);
  /* live: every frame stamped, in order */
  fail_unless_equals_int (now.bad_pts, 0);
  fail_unless_equals_int (now.width, WIDTH);
  fail_unless_equals_int (now.height, HEIGHT);
  /* Exactly the frames sent: loopback loses no RTP packet, the stream
   * (black) is up before the answers (a first frame lost to the RTP start
   * would be a black one) and late packets have a second */
  fail_unless_equals_int (now.frames[RED], FPS);
  fail_unless_equals_int (now.frames[GREEN], FPS);
  fail_unless_equals_int (now.frames[BLUE], 0);
  fail_unless (now.first_of[RED] < now.first_of[GREEN]);
  /* A frame blending two colours is a codec matter, not a lost frame:
   * at most one per change */
  fail_unless (now.frames[OTHER] <= 4, "%u frames of no known colour",
      now.frames[OTHER]);
  /* 2 x 1 s of the emulator's +-8000 triangle; Opus and the 10 ms blocks
   * blur the edges */
  fail_unless (now.loud_blocks >= 180 && now.loud_blocks <= 220,
      "%" G_GUINT64_FORMAT " loud 10 ms blocks", now.loud_blocks);

  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  g_mutex_clear (&seen.lock);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* (The other tests run without the emulator's unreachable relay: its
 * gathering costs seconds.) */

/* Speech over a 4 s answer: output_audio_buffer.clear on the wire,
 * voicelive/avatar-interrupted, and the peer goes idle: far fewer than
 * the answer's 40 red frames and 4 s of voice. */
GST_START_TEST (test_webrtc_barge_in)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "4000", "--realtime",
      "--avatar-ice-servers", "", NULL);
  Seen seen = { 0 }, now, later;
  GstElement *p = rtc_pipeline (emu, "rtc2", "", &seen);
  GstElement *in = vl_test_child (p, "in");
  GstBus *bus = gst_element_get_bus (p);
  gint64 deadline;
  GstMessage *m;

  vl_test_start_with_silence (p, RATE);
  wait_black (&seen, 3);
  fail_unless_equals_int (vl_test_push_speech (in, RATE, 20, 600, 800),
      GST_FLOW_OK);
  wait_state (bus, "speaking");
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  do
    snapshot (&seen, &now);
  while (now.frames[RED] < 3 && vl_test_poll_step (deadline, 50));
  fail_unless (now.frames[RED] >= 3, "no red frames");
  /* Barge-in */
  fail_unless_equals_int (vl_test_push_speech (in, RATE, 1420, 600, 400),
      GST_FLOW_OK);
  m = vl_bus_wait (bus, 0, "voicelive/avatar-interrupted", 10000);
  fail_unless (m != NULL);
  vl_docs_check_message (gst_message_get_structure (m));
  gst_message_unref (m);
  fail_unless (vl_emulator_wait_for (emu, "client",
          "output_audio_buffer.clear", 1, 10000));
  sleep_ms (2500);
  snapshot (&seen, &now);
  fail_unless (now.frames[RED] < 30, "%u red frames", now.frames[RED]);
  fail_unless (now.loud_blocks < 300, "%" G_GUINT64_FORMAT " loud blocks",
      now.loud_blocks);
  /* ... and idle: black frames go on, no more red, no more voice */
  sleep_ms (1500);
  snapshot (&seen, &later);
  fail_unless (later.frames[BLACK] > now.frames[BLACK]);
  fail_unless_equals_int (later.frames[RED], now.frames[RED]);
  fail_unless (later.loud_blocks <= now.loud_blocks + 2);

  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  g_mutex_clear (&seen.lock);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* A session.avatar.connecting whose server_sdp is not usable: an ERROR
 * from the avatar element naming avatar-output-protocol. */
static void
check_bad_answer (const gchar * mode, const gchar * name)
{
  VlEmulator *emu = vl_emulator_start ("--avatar-sdp", mode,
      "--avatar-ice-servers", "", NULL);
  Seen seen = { 0 };
  GstElement *p = rtc_pipeline (emu, name, "", &seen);
  GstElement *a = vl_test_child (p, "a");
  GstBus *bus = gst_element_get_bus (p);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gboolean found = FALSE;

  vl_test_start_with_silence (p, RATE);
  while (!found && g_get_monotonic_time () < deadline) {
    GstMessage *m = vl_bus_wait (bus, GST_MESSAGE_ERROR, NULL, 1000);
    GError *err = NULL;

    if (!m)
      continue;
    gst_message_parse_error (m, &err, NULL);
    fail_unless (GST_MESSAGE_SRC (m) == GST_OBJECT (a), "error from %s: %s",
        GST_OBJECT_NAME (GST_MESSAGE_SRC (m)), err->message);
    found = TRUE;
    fail_unless (strstr (err->message, "avatar-output-protocol") != NULL,
        "%s", err->message);
    fail_unless (strstr (err->message, "session.avatar.connecting") != NULL,
        "%s", err->message);
    g_clear_error (&err);
    gst_message_unref (m);
  }
  fail_unless (found, "%s: no error from voiceliveavatarsrc", mode);
  fail_unless (vl_emulator_count (emu, "client", "session.avatar.connect")
      == 1);

  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  g_mutex_clear (&seen.lock);
  vl_emulator_stop (emu);
}

GST_START_TEST (test_webrtc_bad_answer)
{
  check_bad_answer ("not-json", "rtc3");
  check_bad_answer ("bad-sdp", "rtc4");
}

GST_END_TEST;

/* avatar-ice-servers wins over the service's; going to NULL while the
 * offer waits for an answer that never comes does not hang (the check
 * timeout would catch a hang). */
GST_START_TEST (test_webrtc_stop_while_negotiating)
{
  VlEmulator *emu = vl_emulator_start ("--avatar-sdp", "none", NULL);
  Seen seen = { 0 };
  GstElement *p = rtc_pipeline (emu, "rtc5", "", &seen);
  GPtrArray *rec;
  JsonNode *line;
  gchar *log;

  g_object_set (vl_test_child (p, "sink"), "avatar-ice-servers",
      "[{\"urls\":\"turn:127.0.0.2:9\",\"username\":\"u:1\","
      "\"credential\":\"c@2\"}]", NULL);
  log_start ();
  vl_test_start_with_silence (p, RATE);
  fail_unless (vl_emulator_wait_for (emu, "client", "session.avatar.connect",
          1, 20000));
  log = log_stop ();
  fail_unless (strstr (log, "TURN server 127.0.0.2:9") != NULL, "%s", log);
  fail_unless (strstr (log, "from avatar-ice-servers") != NULL, "%s", log);
  fail_unless (strstr (log, "c@2") == NULL && strstr (log, "c%402") == NULL);
  g_free (log);
  /* sent as given: the service then sends none back (the emulator's
   * default relay is not added) */
  rec = vl_emulator_record (emu);
  line = vl_rec_find (rec, "server", "session.updated", 0);
  fail_unless (line != NULL);
  {
    JsonObject *sess = json_object_get_object_member (vl_rec_event (line),
        "session");
    JsonObject *av = json_object_get_object_member (sess, "avatar");
    JsonArray *ice = json_object_get_array_member (av, "ice_servers");

    fail_unless_equals_int (json_array_get_length (ice), 1);
    fail_unless_equals_string (json_object_get_string_member
        (json_array_get_object_element (ice, 0), "urls"), "turn:127.0.0.2:9");
  }
  g_ptr_array_unref (rec);
  fail_unless_equals_int (gst_element_set_state (p, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (p);
  g_mutex_clear (&seen.lock);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* The end of input drains the answer, then the avatar's pads end: the
 * pipeline reaches EOS (all its sinks, the avatar's appsinks too) */
GST_START_TEST (test_webrtc_eos)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "500",
      "--avatar-ice-servers", "", NULL);
  Seen seen = { 0 };
  GstElement *p = rtc_pipeline (emu, "rtc6", "turn-detection=none", &seen);
  GstElement *sink = vl_test_child (p, "sink");
  GstBus *bus = gst_element_get_bus (p);
  GstFlowReturn flow;
  GstMessage *m;
  gboolean ok = FALSE;

  vl_test_start_with_silence (p, RATE);
  wait_black (&seen, 3);
  g_signal_emit_by_name (sink, "create-response", NULL, &ok);
  fail_unless (ok);
  wait_state (bus, "idle");
  g_signal_emit_by_name (vl_test_child (p, "in"), "end-of-stream", &flow);
  m = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (m != NULL, "no EOS");
  fail_unless_equals_int (GST_MESSAGE_TYPE (m), GST_MESSAGE_EOS);
  gst_message_unref (m);

  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  g_mutex_clear (&seen.lock);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* A test's child process used to crash as it exited, after every check
 * had passed: a GStreamer task thread that had run DTLS ended inside
 * libcrypto's thread-exit destructor (core: __nptl_deallocate_tsd ->
 * libcrypto) while the main thread was in exit () -> gstcheck's
 * gst_deinit (); about 1 run in 100 under load. OpenSSL cleans up from
 * its own atexit handler, which runs before gstcheck's (registered
 * earlier) while threads are still ending. So: OpenSSL is initialised
 * without that handler before webrtcbin initialises it (the process
 * exits anyway), and the task threads are joined after each test. */
#define VL_OPENSSL_INIT_NO_ATEXIT 0x00080000L   /* openssl/crypto.h */

static void
openssl_no_atexit (void)
{
  GModule *crypto = g_module_open ("libcrypto.so.3", G_MODULE_BIND_LAZY);
  gint (*init) (guint64 opts, const void *settings) = NULL;

  if (!crypto)
    return;
  if (g_module_symbol (crypto, "OPENSSL_init_crypto", (gpointer *) & init))
    init (VL_OPENSSL_INIT_NO_ATEXIT, NULL);
  /* kept loaded: webrtcbin's DTLS uses it */
}

static void
join_task_threads (void)
{
  gst_task_cleanup_all ();
}

static Suite *
voiceliveavatarsrc_webrtc_suite (void)
{
  Suite *s = suite_create ("voiceliveavatarsrc-webrtc");
  TCase *tc = tcase_create ("webrtc");

  tcase_set_timeout (tc, 120);
  tcase_add_checked_fixture (tc, openssl_no_atexit, join_task_threads);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_webrtc_frames_per_turn);
  tcase_add_test (tc, test_webrtc_barge_in);
  tcase_add_test (tc, test_webrtc_bad_answer);
  tcase_add_test (tc, test_webrtc_stop_while_negotiating);
  tcase_add_test (tc, test_webrtc_eos);
  return s;
}

GST_CHECK_MAIN (voiceliveavatarsrc_webrtc);
