/* gst-voicelive: voiceliveavatarsrc, the talking avatar in WebSocket mode
 * against the emulator's test avatar (a solid colour per answer, the
 * answer audio as AAC): decoded frames (count, size, colour per turn),
 * the audio track, barge-in, and the service refusing the settings.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <string.h>
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>
#include "vltest.h"

#define RATE 24000
#define WIDTH 160
#define HEIGHT 120
/* The emulator renders 10 frames per second of answer */
#define FPS 10

/* voicelivesink with its default async=true: the pipeline plays before
 * the avatar's branches (decodebin) have anything to preroll on. The
 * appsinks do not hold EOS back until they are read (wait-on-eos). */
static GstElement *
avatar_pipeline (VlEmulator * emu, const gchar * name, const gchar * props)
{
  return vl_test_pipeline_new_pair (RATE, "endpoint=%s "
      "session-name=%s avatar-width=%d avatar-height=%d %s  "
      "voiceliveavatarsrc name=a session-name=%s "
      "a.video ! queue ! decodebin ! videoconvert ! "
      "video/x-raw,format=RGB ! appsink name=vout sync=false "
      "wait-on-eos=false a.audio ! queue ! decodebin ! audioconvert ! "
      "audioresample ! audio/x-raw,format=S16LE,channels=1,rate=%d ! "
      "appsink name=aout sync=false wait-on-eos=false", emu->url, name,
      WIDTH, HEIGHT, props, name, RATE);
}

typedef struct
{
  guint frames;
  gint width, height;
  guint8 rgb[3];                /* the centre pixel */
} Frame;

/* The pipeline's running time now */
static GstClockTime
running_time_now (GstElement * p)
{
  GstClock *clock = gst_element_get_clock (p);
  GstClockTime now;

  fail_unless (clock != NULL);
  now = gst_clock_get_time (clock) - gst_element_get_base_time (p);
  gst_object_unref (clock);
  return now;
}

static gboolean
pull_frame (GstElement * vout, guint timeout_ms, Frame * f)
{
  GstSample *s = gst_app_sink_try_pull_sample (GST_APP_SINK (vout),
      timeout_ms * GST_MSECOND);
  GstVideoInfo info;
  GstVideoFrame vf;
  const guint8 *px;

  if (!s)
    return FALSE;
  fail_unless (gst_video_info_from_caps (&info, gst_sample_get_caps (s)));
  fail_unless (gst_video_frame_map (&vf, &info, gst_sample_get_buffer (s),
          GST_MAP_READ));
  f->width = GST_VIDEO_INFO_WIDTH (&info);
  f->height = GST_VIDEO_INFO_HEIGHT (&info);
  px = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&vf, 0) +
      (f->height / 2) * GST_VIDEO_FRAME_PLANE_STRIDE (&vf, 0) +
      (f->width / 2) * 3;
  memcpy (f->rgb, px, 3);
  gst_video_frame_unmap (&vf);
  gst_sample_unref (s);
  f->frames++;
  return TRUE;
}

/* Colour 0xAARRGGBB within what H.264 leaves of a solid colour */
static void
assert_colour (const Frame * f, guint32 argb, guint index)
{
  guint8 want[3] = { (argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff };
  guint c;

  for (c = 0; c < 3; c++)
    fail_unless (ABS ((gint) f->rgb[c] - (gint) want[c]) <= 24,
        "frame %u: centre pixel %u,%u,%u, expected %u,%u,%u", index,
        f->rgb[0], f->rgb[1], f->rgb[2], want[0], want[1], want[2]);
}

/* Samples of the audio pad and their RMS, until EOS or @timeout_ms of
 * nothing */
static guint64
pull_audio (GstElement * aout, guint timeout_ms, gdouble * rms)
{
  guint64 n = 0;
  gdouble sum = 0;
  GstSample *s;

  while ((s = gst_app_sink_try_pull_sample (GST_APP_SINK (aout),
              timeout_ms * GST_MSECOND))) {
    GstMapInfo map;
    guint i;

    fail_unless (gst_buffer_map (gst_sample_get_buffer (s), &map,
            GST_MAP_READ));
    for (i = 0; i + 1 < map.size; i += 2) {
      gint16 v = (gint16) GST_READ_UINT16_LE (map.data + i);

      sum += (gdouble) v *v;
    }
    n += map.size / 2;
    gst_buffer_unmap (gst_sample_get_buffer (s), &map);
    gst_sample_unref (s);
  }
  *rms = n ? sqrt (sum / n) : 0;
  return n;
}

static void
wait_state (GstBus * bus, const gchar * state)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline) {
    GstMessage *m = vl_bus_wait (bus, 0,
        "voicelive/avatar-state", 1000);

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

/* Two answers: 10 red frames then 10 green ones of the requested size,
 * and one second of answer audio each on the audio pad. */
GST_START_TEST (test_frames_per_turn)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "1000", NULL);
  GstElement *p = avatar_pipeline (emu, "av1", "turn-detection=none "
      "avatar-character=lisa");
  GstElement *sink = vl_test_child (p, "sink");
  GstBus *bus = gst_element_get_bus (p);
  Frame f = { 0 };
  guint turn, i;
  gdouble rms;
  guint64 samples;
  gboolean ok = FALSE;

  vl_test_start_with_silence (p, RATE);
  /* The session is up before the first request */
  vl_test_wait_message (bus, "voicelive/session-updated", 10000);
  for (turn = 1; turn <= 2; turn++) {
    g_signal_emit_by_name (sink, "create-response", NULL, &ok);
    fail_unless (ok);
    wait_state (bus, "speaking");
    wait_state (bus, "idle");
    vl_test_wait_message (bus, "voicelive/response-done", 10000);
  }
  for (turn = 1; turn <= 2; turn++) {
    for (i = 0; i < FPS; i++) {
      fail_unless (pull_frame (vl_test_child (p, "vout"), 10000, &f),
          "turn %u: %u frames only", turn, i);
      fail_unless_equals_int (f.width, WIDTH);
      fail_unless_equals_int (f.height, HEIGHT);
      /* the emulator's colours: red, then green */
      assert_colour (&f, turn == 1 ? 0xffff0000 : 0xff00ff00, f.frames);
    }
  }
  fail_if (pull_frame (vl_test_child (p, "vout"), 500, &f),
      "more than %u frames", 2 * FPS);
  samples = pull_audio (vl_test_child (p, "aout"), 1000, &rms);
  /* 2 x 1 s of answer, give or take the AAC encoder's priming and the
   * decoder's last frame */
  fail_unless (samples >= 2 * RATE * 8 / 10 && samples <= 2 * RATE * 12 / 10,
      "%" G_GUINT64_FORMAT " audio samples", samples);
  /* the emulator's voice is a +-8000 triangle: not silence */
  fail_unless (rms > 1000, "audio RMS %f", rms);

  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* Speech over a long answer: the element tells the service
 * (output_audio_buffer.clear), posts voicelive/avatar-interrupted, and
 * the video stops well before the answer's 40 frames. */
GST_START_TEST (test_barge_in_stops_video)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "4000", "--realtime",
      NULL);
  GstElement *p = avatar_pipeline (emu, "av2", "avatar-character=lisa");
  GstElement *in = vl_test_child (p, "in");
  GstBus *bus = gst_element_get_bus (p);
  Frame f = { 0 };
  GstMessage *m;

  vl_test_start_with_silence (p, RATE);
  fail_unless_equals_int (vl_test_push_speech (in, RATE, 20, 600, 800),
      GST_FLOW_OK);
  wait_state (bus, "speaking");
  while (f.frames < 3)
    fail_unless (pull_frame (vl_test_child (p, "vout"), 10000, &f));
  /* Barge-in */
  fail_unless_equals_int (vl_test_push_speech (in, RATE, 1420, 600, 400),
      GST_FLOW_OK);
  m = vl_bus_wait (bus, 0, "voicelive/avatar-interrupted", 10000);
  fail_unless (m != NULL);
  vl_docs_check_message (gst_message_get_structure (m));
  gst_message_unref (m);
  fail_unless (vl_emulator_wait_for (emu, "client",
          "output_audio_buffer.clear", 1, 10000));
  while (pull_frame (vl_test_child (p, "vout"), 1500, &f));
  fail_unless (f.frames < 30, "%u frames after the barge-in", f.frames);

  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* The service refuses the avatar: an error from the avatar element that
 * names the property and carries the service's reason. */
GST_START_TEST (test_refused_settings)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  GstElement *p = avatar_pipeline (emu, "av3", "avatar-character=nobody");
  GstBus *bus = gst_element_get_bus (p);
  GstElement *a = vl_test_child (p, "a");
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  gboolean found = FALSE;

  vl_test_start_with_silence (p, RATE);
  while (!found && g_get_monotonic_time () < deadline) {
    GstMessage *m = vl_bus_wait (bus, GST_MESSAGE_ERROR, NULL, 1000);
    GError *err = NULL;

    if (!m)
      continue;
    gst_message_parse_error (m, &err, NULL);
    if (GST_MESSAGE_SRC (m) == GST_OBJECT (a)) {
      found = TRUE;
      fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
              GST_RESOURCE_ERROR_SETTINGS));
      fail_unless (strstr (err->message, "'avatar-character'") != NULL,
          "%s", err->message);
      fail_unless (strstr (err->message, "unknown avatar character") != NULL,
          "%s", err->message);
    }
    g_clear_error (&err);
    gst_message_unref (m);
  }
  fail_unless (found, "no error from voiceliveavatarsrc");

  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* A file question into voicelivesink (default async=true) and the avatar
 * through decodebin: the pipeline reaches PLAYING by itself, the answer's
 * frames arrive, and it ends (EOS) after the answer. */
GST_START_TEST (test_preroll_with_default_async)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "1000", NULL);
  gchar *wav = vl_test_file ("question.wav");
  GstElement *p = vl_test_pipeline_new ("filesrc location=%s ! wavparse ! "
      "audioconvert ! audioresample ! voicelivesink name=sink endpoint=%s "
      "session-name=av4 avatar-character=lisa avatar-width=%d "
      "avatar-height=%d  voiceliveavatarsrc name=a session-name=av4 "
      "a.video ! queue ! decodebin ! videoconvert ! video/x-raw,format=RGB ! "
      "appsink name=vout sync=false wait-on-eos=false "
      "a.audio ! queue ! decodebin ! fakesink sync=false", wav, emu->url,
      WIDTH, HEIGHT);
  GstBus *bus = gst_element_get_bus (p);
  gboolean async = FALSE;
  Frame f = { 0 };

  g_object_get (vl_test_child (p, "sink"), "async", &async, NULL);
  fail_unless (async, "voicelivesink's async is not the default");
  vl_test_set_state_wait (p, GST_STATE_PLAYING);
  while (f.frames < FPS) {
    fail_unless (pull_frame (vl_test_child (p, "vout"), 10000, &f),
        "%u frames only", f.frames);
    fail_unless_equals_int (f.width, WIDTH);
    assert_colour (&f, 0xffff0000, f.frames);
  }
  vl_test_wait_eos (bus, 20000);
  fail_if (pull_frame (vl_test_child (p, "vout"), 0, &f),
      "more than %u frames", FPS);
  /* the user's setting is back once the run is over */
  gst_element_set_state (p, GST_STATE_NULL);
  g_object_get (vl_test_child (p, "sink"), "async", &async, NULL);
  fail_unless (async);
  gst_object_unref (bus);
  gst_object_unref (p);
  g_free (wav);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* Three answers, then the sink's end of input (with turn-detection=none
 * it commits the input and asks for a fourth): both avatar pads end (EOS)
 * and the pipeline with them, with every frame of every turn (10 per
 * colour, in turn order) and every turn's audio. */
GST_START_TEST (test_eos_after_answers)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "1000", NULL);
  GstElement *p = avatar_pipeline (emu, "av5", "turn-detection=none "
      "avatar-character=lisa");
  GstElement *sink = vl_test_child (p, "sink");
  GstBus *bus = gst_element_get_bus (p);
  static const guint32 colours[] = { 0xffff0000, 0xff00ff00, 0xff0000ff,
    0xffffff00
  };
  guint per_colour[G_N_ELEMENTS (colours)] = { 0 };
  Frame f = { 0 };
  guint turn, c;
  gdouble rms;
  guint64 samples;
  gboolean ok = FALSE;

  vl_test_start_with_silence (p, RATE);
  vl_test_wait_message (bus, "voicelive/session-updated", 10000);
  for (turn = 1; turn <= 3; turn++) {
    g_signal_emit_by_name (sink, "create-response", NULL, &ok);
    fail_unless (ok);
    vl_test_wait_message (bus, "voicelive/response-done", 10000);
  }
  fail_unless_equals_int (gst_app_src_end_of_stream (GST_APP_SRC
          (vl_test_child (p, "in"))), GST_FLOW_OK);
  /* EOS of the pipeline: the sink and both appsinks got it */
  vl_test_wait_eos (bus, 20000);
  while (pull_frame (vl_test_child (p, "vout"), 0, &f)) {
    guint8 want[3];

    for (c = 0; c < G_N_ELEMENTS (colours); c++) {
      want[0] = (colours[c] >> 16) & 0xff;
      want[1] = (colours[c] >> 8) & 0xff;
      want[2] = colours[c] & 0xff;
      if (ABS (f.rgb[0] - want[0]) <= 24 && ABS (f.rgb[1] - want[1]) <= 24
          && ABS (f.rgb[2] - want[2]) <= 24)
        break;
    }
    fail_unless (c < G_N_ELEMENTS (colours), "frame %u: colour %u,%u,%u",
        f.frames, f.rgb[0], f.rgb[1], f.rgb[2]);
    /* turns in order */
    fail_unless (per_colour[c] == 0 || c == 0 || per_colour[c - 1] == FPS);
    per_colour[c]++;
  }
  for (c = 0; c < G_N_ELEMENTS (colours); c++)
    fail_unless_equals_int (per_colour[c], FPS);
  samples = pull_audio (vl_test_child (p, "aout"), 0, &rms);
  fail_unless (samples >= 4 * RATE * 8 / 10 && samples <= 4 * RATE * 12 / 10,
      "%" G_GUINT64_FORMAT " audio samples", samples);

  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* A voicelivesrc paired too: the avatar's audio track is the voice, so
 * voicelivesrc plays silence (GAP) through both answers, and the sink's
 * stats count what it left to the avatar. */
GST_START_TEST (test_no_double_voice)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "1000", NULL);
  GstElement *p = vl_test_pipeline_new_pair (RATE, "endpoint=%s "
      "session-name=av6 turn-detection=none avatar-character=lisa "
      "avatar-width=%d avatar-height=%d  voiceliveavatarsrc name=a "
      "session-name=av6 a.video ! queue ! fakesink sync=false "
      "a.audio ! queue ! decodebin ! audioconvert ! audioresample ! "
      "audio/x-raw,format=S16LE,channels=1,rate=%d ! appsink name=aout "
      "sync=false  voicelivesrc session-name=av6 ! "
      "audio/x-raw,format=S16LE,channels=1,rate=%d ! appsink name=out "
      "sync=false", emu->url, WIDTH, HEIGHT, RATE, RATE);
  GstElement *sink = vl_test_child (p, "sink");
  GstBus *bus = gst_element_get_bus (p);
  GstClockTime until = GST_CLOCK_TIME_NONE, end = 0;
  guint64 heard = 0, played = 0, samples;
  gdouble rms;
  guint turn;
  gboolean ok = FALSE;

  vl_test_start_with_silence (p, RATE);
  vl_test_wait_message (bus, "voicelive/session-updated", 10000);
  for (turn = 1; turn <= 2; turn++) {
    g_signal_emit_by_name (sink, "create-response", NULL, &ok);
    fail_unless (ok);
    vl_test_wait_message (bus, "voicelive/response-done", 10000);
  }
  /* voicelivesrc's output until 3 s past now (running time), by when it
   * would have played both answers */
  while (end < until) {
    GstSample *s = gst_app_sink_try_pull_sample (GST_APP_SINK
        (vl_test_child (p, "out")), 5 * GST_SECOND);
    GstBuffer *b;
    GstMapInfo map;
    gsize i;

    fail_unless (s != NULL, "voicelivesrc stopped at %" GST_TIME_FORMAT,
        GST_TIME_ARGS (end));
    b = gst_sample_get_buffer (s);
    if (!GST_CLOCK_TIME_IS_VALID (until))
      until = running_time_now (p) + 3 * GST_SECOND;
    end = GST_BUFFER_PTS (b) + GST_BUFFER_DURATION (b);
    fail_unless (gst_buffer_map (b, &map, GST_MAP_READ));
    for (i = 0; i + 1 < map.size; i += 2)
      heard += GST_READ_UINT16_LE (map.data + i) != 0;
    played += map.size / 2;
    gst_buffer_unmap (b, &map);
    gst_sample_unref (s);
  }
  fail_unless (played > 0);
  fail_unless (heard == 0, "voicelivesrc played %" G_GUINT64_FORMAT
      " answer samples", heard);
  /* the avatar's track carries both answers */
  samples = pull_audio (vl_test_child (p, "aout"), 1000, &rms);
  fail_unless (samples >= 2 * RATE * 8 / 10, "%" G_GUINT64_FORMAT
      " avatar audio samples", samples);
  fail_unless (rms > 1000, "avatar audio RMS %f", rms);
  fail_unless_equals_uint64 (vl_test_get_stat_u64 (sink, "output-ms-avatar"),
      2000);

  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static Suite *
voiceliveavatarsrc_suite (void)
{
  Suite *s = suite_create ("voiceliveavatarsrc");
  TCase *tc = tcase_create ("websocket");

  tcase_set_timeout (tc, 90);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_frames_per_turn);
  tcase_add_test (tc, test_barge_in_stops_video);
  tcase_add_test (tc, test_refused_settings);
  tcase_add_test (tc, test_preroll_with_default_async);
  tcase_add_test (tc, test_eos_after_answers);
  tcase_add_test (tc, test_no_double_voice);
  return s;
}

GST_CHECK_MAIN (voiceliveavatarsrc);
