/* gst-voicelive: voicelivesrc output, live pacing, barge-in, formats
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/check/gsttestclock.h>
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>
#include "vltest.h"
#include "vlconv.h"

/* ---- live pacing on a test clock ---- */

static GstHarness *
live_src_harness (const gchar * session_name, guint buffer_ms,
    guint prebuffer_ms)
{
  GstHarness *h = gst_harness_new ("voicelivesrc");

  g_object_set (h->element, "session-name", session_name, "pair-timeout", 0,
      "buffer-ms", buffer_ms, "prebuffer-ms", prebuffer_ms, NULL);
  gst_harness_use_testclock (h);
  gst_harness_play (h);
  return h;
}

static GstBuffer *
crank_pull (GstHarness * h)
{
  fail_unless (gst_harness_crank_single_clock_wait (h));
  return gst_harness_pull (h);
}

static gboolean
all_zero (GstBuffer * b)
{
  GstMapInfo map;
  gsize i;
  gboolean zero = TRUE;

  gst_buffer_map (b, &map, GST_MAP_READ);
  for (i = 0; i < map.size && zero; i++)
    zero = map.data[i] == 0;
  gst_buffer_unmap (b, &map);
  return zero;
}

GST_START_TEST (test_live_gap_timestamps_latency)
{
  GstHarness *h = live_src_harness ("clock1", 20, 0);
  GstClockTime min = 0, max = 0;
  gboolean live = FALSE;
  GstQuery *q;
  guint i;

  for (i = 0; i < 50; i++) {
    GstBuffer *b = crank_pull (h);

    /* Running time from the sample counter, 20 ms each, silence as GAP */
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), i * 20 * GST_MSECOND);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (b), 20 * GST_MSECOND);
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (b), i * 480);
    fail_unless_equals_int (gst_buffer_get_size (b), 960);
    fail_unless (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP));
    fail_unless (all_zero (b));
    gst_buffer_unref (b);
  }

  q = gst_query_new_latency ();
  fail_unless (gst_element_query (h->element, q));
  gst_query_parse_latency (q, &live, &min, &max);
  fail_unless (live);
  fail_unless_equals_uint64 (min, 20 * GST_MSECOND);
  fail_unless (max == GST_CLOCK_TIME_NONE || max >= min);
  gst_query_unref (q);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_live_one_hour_no_drift)
{
  /* 1 s buffers at 16 kHz: an hour of output, every timestamp exact */
  GstHarness *h = gst_harness_new ("voicelivesrc");
  GstClockTime expected = 0;
  guint i;

  g_object_set (h->element, "session-name", "hour", "pair-timeout", 0,
      "buffer-ms", 1000, NULL);
  gst_harness_set_sink_caps_str (h, "audio/x-raw,format=S16LE,channels=1,"
      "rate=16000,layout=interleaved");
  gst_harness_use_testclock (h);
  gst_harness_play (h);
  for (i = 0; i < 3600; i++) {
    GstBuffer *b = crank_pull (h);

    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), expected);
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (b), (guint64) i * 16000);
    expected += GST_BUFFER_DURATION (b);
    gst_buffer_unref (b);
  }
  fail_unless_equals_uint64 (expected, 3600 * GST_SECOND);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A sink in its own (real-time) pipeline (vltest.c), sharing the session
 * with a src on a test clock. */
static void
sink_pipe_speak (VlSinkPipe * sp, guint start_ms, guint speech_ms,
    guint silence_ms)
{
  vl_test_push_speech (sp->appsrc, 16000, start_ms, speech_ms, silence_ms);
}

GST_START_TEST (test_live_plays_answer_exactly_then_gap)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "400", NULL);
  GstHarness *h = live_src_harness ("live2", 20, 0);
  VlSinkPipe *sp = vl_sink_pipe_new (emu, "live2", "");
  GBytes *expected = vl_expected_answer (1, 400 * 24, 24000, "pcm16");
  const guint8 *exp = g_bytes_get_data (expected, NULL);
  GByteArray *got = g_byte_array_new ();
  GstClockTime first_audio_pts = GST_CLOCK_TIME_NONE, pts = 0;
  guint i, gaps_after = 0;

  sink_pipe_speak (sp, 0, 600, 700);
  vl_sink_pipe_wait_received (sp, 400);

  for (i = 0; i < 200 && gaps_after < 10; i++) {
    GstBuffer *b = crank_pull (h);
    GstMapInfo map;

    /* timestamps never jump, whatever the content */
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), pts);
    pts += GST_BUFFER_DURATION (b);
    if (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP)) {
      fail_unless (all_zero (b));
      if (got->len > 0)
        gaps_after++;
    } else {
      fail_unless (got->len == 0 || gaps_after == 0, "audio after a gap");
      if (!GST_CLOCK_TIME_IS_VALID (first_audio_pts))
        first_audio_pts = GST_BUFFER_PTS (b);
      gst_buffer_map (b, &map, GST_MAP_READ);
      g_byte_array_append (got, map.data, map.size);
      gst_buffer_unmap (b, &map);
    }
    gst_buffer_unref (b);
  }
  /* 400 ms = 20 buffers of 20 ms: exactly the answer, sample by sample */
  fail_unless_equals_int (got->len, 400 * 24 * 2);
  fail_unless (memcmp (got->data, exp, got->len) == 0);
  fail_unless_equals_int (gaps_after, 10);

  g_byte_array_unref (got);
  g_bytes_unref (expected);
  gst_harness_teardown (h);
  vl_sink_pipe_free (sp);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static JsonObject *
wait_client_event (VlEmulator * emu, const gchar * type, guint timeout_ms)
{
  GPtrArray *rec = vl_emulator_wait (emu, "client", type, 1, timeout_ms);
  JsonObject *o;

  if (!rec)
    return NULL;
  o = json_object_ref (vl_rec_event (vl_rec_find (rec, "client", type, 0)));
  g_ptr_array_unref (rec);
  return o;
}

GST_START_TEST (test_barge_in_flush_within_one_buffer)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "3000", NULL);
  GstHarness *h = live_src_harness ("barge1", 20, 0);
  VlSinkPipe *sp = vl_sink_pipe_new (emu, "barge1", "");
  GstClockTime start_pts = GST_CLOCK_TIME_NONE, now;
  JsonObject *truncate;
  guint i, audio_after = 0;
  gint64 end_ms, expect_ms;

  sink_pipe_speak (sp, 0, 600, 700);
  vl_sink_pipe_wait_received (sp, 3000);

  /* Play 10 buffers (200 ms) of the answer */
  for (i = 0; i < 100; i++) {
    GstBuffer *b = crank_pull (h);
    gboolean gap = GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP);

    if (!gap && !GST_CLOCK_TIME_IS_VALID (start_pts))
      start_pts = GST_BUFFER_PTS (b);
    gst_buffer_unref (b);
    if (GST_CLOCK_TIME_IS_VALID (start_pts)
        && gst_clock_get_time (GST_ELEMENT_CLOCK (h->element)) >=
        start_pts + 180 * GST_MSECOND)
      break;
  }
  fail_unless (GST_CLOCK_TIME_IS_VALID (start_pts));
  now = gst_clock_get_time (GST_ELEMENT_CLOCK (h->element));

  /* The user talks over it: speech_started reaches the session while the
   * test clock stands still. */
  sink_pipe_speak (sp, 1300, 300, 0);
  truncate = wait_client_event (emu, "conversation.item.truncate", 10000);
  fail_unless (truncate != NULL, "no truncate");

  /* Rendered = what the clock has reached (the harness adds no latency) */
  end_ms = json_object_get_int_member (truncate, "audio_end_ms");
  expect_ms = (gint64) ((now - start_pts) / GST_MSECOND);
  fail_unless (end_ms == expect_ms, "truncated at %" G_GINT64_FORMAT
      " ms, heard %" G_GINT64_FORMAT " ms", end_ms, expect_ms);
  fail_unless_equals_int (json_object_get_int_member (truncate,
          "content_index"), 0);
  json_object_unref (truncate);

  /* At most the one buffer already made still carries audio; then GAP. */
  for (i = 0; i < 10; i++) {
    GstBuffer *b = crank_pull (h);

    if (!GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP))
      audio_after++;
    else
      fail_unless (all_zero (b));
    gst_buffer_unref (b);
  }
  fail_unless (audio_after <= 1, "%u audio buffers after barge-in",
      audio_after);

  gst_harness_teardown (h);
  vl_sink_pipe_free (sp);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* ---- barge-in in real time, as a user hears it ---- */

static void
barge_in_realtime (const gchar * src_props, const gchar * sink_props,
    gboolean expect_truncate)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "6000", "--realtime",
      NULL);
  GstElement *p = vl_test_pipeline_new_mic (16000, emu->url, sink_props,
      src_props);
  VlHeard *heard = vl_heard_new (vl_test_child (p, "out"));
  GstBus *bus = gst_element_get_bus (p);
  GPtrArray *rec;
  JsonNode *started;
  gint64 speech_started_us, late;
  guint n_started;

  vl_test_talk_over (emu, p, expect_truncate ? "voicelive/playback-started" :
      "voicelive/response-started", "response.cancel");
  g_usleep (300000);
  rec = vl_emulator_record (emu);
  n_started = vl_rec_count (rec, "server", "input_audio_buffer.speech_started");
  started = vl_rec_find (rec, "server", "input_audio_buffer.speech_started", 1);
  fail_unless (n_started >= 2 && started != NULL);
  speech_started_us = json_object_get_int_member (json_node_get_object
      (started), "mono_us");

  if (!expect_truncate) {
    fail_unless_equals_int (vl_rec_count (rec, "client",
            "conversation.item.truncate"), 0);
    g_ptr_array_unref (rec);
    goto done;
  }

  vl_heard_assert_truncate (heard, rec, speech_started_us, bus);
  g_ptr_array_unref (rec);

  /* Nothing of the interrupted answer is heard later than one buffer (and
   * the sink's latency) after the barge-in. */
  g_usleep (500000);
  late = vl_heard_first_audio_after (heard, speech_started_us + 60000);
  fail_unless (late < 0, "audio heard %" G_GINT64_FORMAT " ms after the "
      "barge-in", (late - speech_started_us) / 1000);

done:
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  vl_heard_free (heard);
  vl_emulator_stop (emu);
}

GST_START_TEST (test_barge_in_truncates_at_heard_audio)
{
  barge_in_realtime ("prebuffer-ms=0", "", TRUE);
}

GST_END_TEST;

GST_START_TEST (test_barge_in_nothing_heard_no_truncate)
{
  /* A cushion longer than what arrives: nothing played, nothing to cut */
  barge_in_realtime ("prebuffer-ms=2000", "", FALSE);
}

GST_END_TEST;

GST_START_TEST (test_barge_in_auto_truncate_sends_none)
{
  barge_in_realtime ("prebuffer-ms=0", "auto-truncate=true", FALSE);
}

GST_END_TEST;

/* ---- formats, both directions, sample by sample ---- */

static void
check_format (const gchar * caps, const gchar * wire, guint rate)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "500", NULL);
  gboolean pcm = g_str_equal (wire, "pcm16");
  GstElement *p = vl_test_pipeline_new ("appsrc name=in format=time caps=%s ! "
      "voicelivesink endpoint=%s  voicelivesrc is-live=false ! %s ! "
      "appsink name=out sync=false", caps, emu->url, caps);
  GstElement *in, *out;
  guint per = rate / 100, t;
  GByteArray *input = g_byte_array_new (), *got = g_byte_array_new ();
  GByteArray *appended;
  GPtrArray *rec;
  JsonObject *session;
  const gchar *out_wire;

  in = gst_bin_get_by_name (GST_BIN (p), "in");
  out = gst_bin_get_by_name (GST_BIN (p), "out");
  gst_element_set_state (p, GST_STATE_PLAYING);

  /* 600 ms of tone, 700 ms of silence, in the input format */
  for (t = 0; t < 1300; t += 10) {
    GstBuffer *b = vl_test_speech (7, rate, t * per / 10, t < 600 ? per : 0,
        per, wire);
    GstMapInfo map;

    gst_buffer_map (b, &map, GST_MAP_READ);
    g_byte_array_append (input, map.data, map.size);
    gst_buffer_unmap (b, &map);
    GST_BUFFER_PTS (b) = t * GST_MSECOND;
    GST_BUFFER_DURATION (b) = 10 * GST_MSECOND;
    gst_app_src_push_buffer (GST_APP_SRC (in), b);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (in));
  while (vl_test_pull_append (out, got, 20 * GST_SECOND));
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (out)));

  /* The session.update says what the caps say, without transcoding */
  rec = vl_emulator_record (emu);
  session = json_object_get_object_member (vl_rec_event (vl_rec_find (rec,
              "client", "session.update", 0)), "session");
  fail_unless_equals_string (json_object_get_string_member (session,
          "input_audio_format"), pcm ? "pcm16" : wire);
  fail_unless_equals_int (json_object_get_int_member (session,
          "input_audio_sampling_rate"), rate);
  out_wire = json_object_get_string_member (session, "output_audio_format");
  if (!pcm) {
    fail_unless_equals_string (out_wire, wire);
  } else if (rate == 24000) {
    fail_unless_equals_string (out_wire, "pcm16");
  } else {
    fail_unless (g_str_has_suffix (out_wire, rate == 16000 ? "_16000hz" :
            "_8000hz"), "%s", out_wire);
  }

  /* Uplink: our bytes, unchanged */
  appended = vl_rec_appended_audio (rec, 1);
  fail_unless (appended->len >= input->len);
  fail_unless (memcmp (appended->data, input->data, input->len) == 0);
  /* Downlink: the emulator's bytes, unchanged */
  vl_test_assert_answer (got->data, got->len, 1, 500 * rate / 1000, rate, wire);

  g_byte_array_unref (appended);
  g_ptr_array_unref (rec);
  g_byte_array_unref (input);
  g_byte_array_unref (got);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (in);
  gst_object_unref (out);
  gst_object_unref (p);
  vl_emulator_stop (emu);
}

GST_START_TEST (test_format_s16_24k)
{
  check_format ("audio/x-raw,format=S16LE,channels=1,rate=24000,"
      "layout=interleaved", "pcm16", 24000);
}

GST_END_TEST;

GST_START_TEST (test_format_s16_16k)
{
  check_format ("audio/x-raw,format=S16LE,channels=1,rate=16000,"
      "layout=interleaved", "pcm16", 16000);
}

GST_END_TEST;

GST_START_TEST (test_format_s16_8k)
{
  check_format ("audio/x-raw,format=S16LE,channels=1,rate=8000,"
      "layout=interleaved", "pcm16", 8000);
}

GST_END_TEST;

GST_START_TEST (test_format_mulaw)
{
  check_format ("audio/x-mulaw,channels=1,rate=8000", "g711_ulaw", 8000);
}

GST_END_TEST;

GST_START_TEST (test_format_alaw)
{
  check_format ("audio/x-alaw,channels=1,rate=8000", "g711_alaw", 8000);
}

GST_END_TEST;

/* Responses with several audio items play back to back, each item
 * announced and finished. */
GST_START_TEST (test_several_audio_items)
{
  gchar *script = vl_script_write ("{\"responses\":[{\"text\":\"Two parts\","
      "\"audio_ms\":300,\"audio_items\":2}]}");
  VlEmulator *emu = vl_emulator_start ("--script", script, NULL);
  VlConv *conv = vl_conv_new (emu, 16000, "", NULL, NULL);
  GByteArray *out;
  GPtrArray *m;

  vl_conv_start (conv);
  vl_conv_speak (conv, 0, 600, 700, TRUE);
  out = vl_conv_pull_all (conv, 30000);
  vl_test_assert_answer (out->data, out->len, 1, 2 * 300 * 24, 24000, "pcm16");
  m = vl_conv_find (conv, "voicelive/playback-started");
  fail_unless_equals_int (m->len, 2);
  fail_if (g_str_equal (gst_structure_get_string (gst_message_get_structure
              (g_ptr_array_index (m, 0)), "item-id"),
          gst_structure_get_string (gst_message_get_structure
              (g_ptr_array_index (m, 1)), "item-id")));
  g_ptr_array_unref (m);
  fail_unless_equals_int (vl_conv_count (conv, "voicelive/playback-stopped"),
      2);
  g_byte_array_unref (out);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
  vl_script_remove (script);
}

GST_END_TEST;

/* The live src's own output, seen by a probe: exact, gap-free timestamps */
static GstPadProbeReturn
record_pts (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GArray *pts = user_data;
  GstClockTime t = GST_BUFFER_PTS (GST_PAD_PROBE_INFO_BUFFER (info));

  g_array_append_val (pts, t);
  return GST_PAD_PROBE_OK;
}

/* The live src feeds a mixer and an RTP payloader: a continuous stream,
 * no discontinuity, while an answer plays in the middle. */
static void
check_continuous (const gchar * downstream, guint64 expected_step)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "600", NULL);
  GstElement *p = vl_test_pipeline_new_pair (16000, "endpoint=%s  "
      "voicelivesrc name=vsrc prebuffer-ms=0 ! %s ! appsink name=out sync=true",
      emu->url, downstream);
  GstElement *in = gst_bin_get_by_name (GST_BIN (p), "in");
  GstElement *out = gst_bin_get_by_name (GST_BIN (p), "out");
  GstElement *src = gst_bin_get_by_name (GST_BIN (p), "vsrc");
  GstPad *srcpad = gst_element_get_static_pad (src, "src");
  GArray *pts = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  guint64 n = 0;
  GstSample *sample;
  guint t, i;

  gst_pad_add_probe (srcpad, GST_PAD_PROBE_TYPE_BUFFER, record_pts, pts, NULL);
  gst_element_set_state (p, GST_STATE_PLAYING);
  for (t = 0; t < 1300; t += 10) {
    GstBuffer *b = gst_buffer_new_allocate (NULL, 320, NULL);
    GstMapInfo map;

    gst_buffer_map (b, &map, GST_MAP_WRITE);
    for (i = 0; i < 160; i++)
      ((gint16 *) map.data)[i] = t < 600 ? (i % 40 < 20 ? 12000 : -12000) : 0;
    gst_buffer_unmap (b, &map);
    GST_BUFFER_PTS (b) = t * GST_MSECOND;
    GST_BUFFER_DURATION (b) = 10 * GST_MSECOND;
    gst_app_src_push_buffer (GST_APP_SRC (in), b);
  }
  /* 3 s of output: the answer plays in it */
  while (n < 3 * GST_SECOND / expected_step
      && (sample = gst_app_sink_try_pull_sample (GST_APP_SINK (out),
              2 * GST_SECOND))) {
    /* downstream keeps producing; its own timing is its business */
    n++;
    gst_sample_unref (sample);
  }
  fail_unless (n >= 3 * GST_SECOND / expected_step, "only %" G_GUINT64_FORMAT
      " buffers", n);
  /* what voicelivesrc gave them: every period, exactly, answer included */
  gst_element_set_state (p, GST_STATE_NULL);
  fail_unless (pts->len >= 100, "only %u buffers from voicelivesrc", pts->len);
  for (i = 1; i < pts->len; i++)
    fail_unless_equals_uint64 (g_array_index (pts, GstClockTime, i) -
        g_array_index (pts, GstClockTime, i - 1), 20 * GST_MSECOND);
  g_array_unref (pts);
  gst_object_unref (srcpad);
  gst_object_unref (src);
  fail_unless_equals_int (vl_emulator_count (emu, "server", "response.done"),
      1);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (in);
  gst_object_unref (out);
  gst_object_unref (p);
  vl_emulator_stop (emu);
}

GST_START_TEST (test_feeds_audiomixer)
{
  check_continuous ("audiomixer output-buffer-duration=20000000 ! "
      "audio/x-raw,rate=24000,channels=1", 20 * GST_MSECOND);
}

GST_END_TEST;

GST_START_TEST (test_feeds_rtp_payloader)
{
  check_continuous ("audio/x-mulaw,rate=8000 ! rtppcmupay "
      "min-ptime=20000000 max-ptime=20000000", 20 * GST_MSECOND);
}

GST_END_TEST;

/* A src whose sink never comes errors out instead of waiting forever. */
GST_START_TEST (test_src_without_sink_times_out)
{
  GstElement *p = gst_parse_launch ("voicelivesrc session-name=lonely "
      "pair-timeout=300 ! fakesink", NULL);
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *msg;
  GError *err = NULL;

  gst_element_set_state (p, GST_STATE_PLAYING);
  msg = vl_bus_wait (bus, GST_MESSAGE_ERROR, NULL, 10000);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (strstr (err->message, "lonely") != NULL, "%s", err->message);
  fail_unless (strstr (err->message, "voicelivesink") != NULL);
  g_clear_error (&err);
  gst_message_unref (msg);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
}

GST_END_TEST;

static Suite *
voicelivesrc_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("voicelivesrc", 120, &tc);

  tcase_add_test (tc, test_live_gap_timestamps_latency);
  tcase_add_test (tc, test_live_one_hour_no_drift);
  tcase_add_test (tc, test_live_plays_answer_exactly_then_gap);
  tcase_add_test (tc, test_barge_in_flush_within_one_buffer);
  /* Barge-in against a real-time answer: what is "playing" depends on
   * real-time pacing, which memcheck's slowdown distorts; these run in the
   * plain and ASan runs (the test-clock barge-in test runs everywhere). */
  if (!g_getenv ("VL_UNDER_VALGRIND")) {
    tcase_add_test (tc, test_barge_in_truncates_at_heard_audio);
    tcase_add_test (tc, test_barge_in_nothing_heard_no_truncate);
    tcase_add_test (tc, test_barge_in_auto_truncate_sends_none);
  }
  tcase_add_test (tc, test_format_s16_24k);
  tcase_add_test (tc, test_format_s16_16k);
  tcase_add_test (tc, test_format_s16_8k);
  tcase_add_test (tc, test_format_mulaw);
  tcase_add_test (tc, test_format_alaw);
  tcase_add_test (tc, test_several_audio_items);
  tcase_add_test (tc, test_src_without_sink_times_out);
  /* Real-time continuity through live aggregators: meaningless at
   * memcheck's speed, so not under valgrind (plain and ASan runs only). */
  if (!g_getenv ("VL_UNDER_VALGRIND")) {
    tcase_add_test (tc, test_feeds_audiomixer);
    tcase_add_test (tc, test_feeds_rtp_payloader);
  }
  return s;
}

GST_CHECK_MAIN (voicelivesrc);
