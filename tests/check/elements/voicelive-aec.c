/* gst-voicelive: echo-cancellation=client-reference. The stereo appends the
 * emulator records: channel 0 the microphone byte for byte, channel 1 what
 * voicelivesrc output (test clock) the output latency earlier, resampled,
 * or what came on the "reference" pad; the session.update, the URL flag,
 * the refusals, and a real-time acoustic loopback.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/check/gsttestclock.h>
#include <gst/app/gstappsrc.h>
#include "vltest.h"

#define CHUNK_MS 20
#define OUT_RATE 24000

/* What voicelivesrc output, by absolute sample index at OUT_RATE */
typedef struct
{
  GArray *samples;              /* gint16 from index 0 */
} Played;

static void
played_add (Played * p, GstBuffer * b)
{
  gint64 index = (gint64) gst_util_uint64_scale_round (GST_BUFFER_PTS (b),
      OUT_RATE, GST_SECOND);
  GstMapInfo map;
  guint i, n;

  fail_unless (gst_buffer_map (b, &map, GST_MAP_READ));
  n = map.size / 2;
  if (p->samples->len < index + n)
    g_array_set_size (p->samples, index + n);
  for (i = 0; i < n; i++)
    g_array_index (p->samples, gint16, index + i) =
        (gint16) GST_READ_UINT16_LE (map.data + i * 2);
  gst_buffer_unmap (b, &map);
}

static gint16
played_at (Played * p, gint64 i)
{
  return i >= 0 && i < p->samples->len ?
      g_array_index (p->samples, gint16, i) : 0;
}

/* The reference of input sample @m (absolute index at @rate): the src's
 * output @lat input samples earlier, linearly interpolated between the
 * two nearest output samples (the documented resampling) */
static gint16
expected_ref (Played * p, guint rate, gint64 m, gint64 lat)
{
  gint64 q = m - lat, num, pos, frac, a, b;

  if (q < 0)
    return 0;
  num = q * OUT_RATE;
  pos = num / rate;
  frac = num % rate;
  a = played_at (p, pos);
  b = frac ? played_at (p, pos + 1) : a;
  return (gint16) (a + (b - a) * frac / (gint64) rate);
}

/* voicelivesrc on a test clock, and a voicelivesink on the same clock fed
 * by the test (not synced: the test times the input by its PTS) */
typedef struct
{
  VlEmulator *emu;
  GstHarness *src;
  GstHarness *sink;
  GstBus *bus;
  Played played;
  guint rate;
  GByteArray *mic;              /* every microphone byte pushed */
  guint64 pushed;               /* input samples pushed */
} Fixture;

static void
fixture_start (Fixture * f, const gchar * name, guint rate,
    GstClockTime latency, const gchar * api_version)
{
  GstElement *sink;
  gchar *caps;

  memset (f, 0, sizeof (*f));
  f->rate = rate;
  f->mic = g_byte_array_new ();
  f->played.samples = g_array_new (FALSE, TRUE, sizeof (gint16));
  f->emu = vl_emulator_start ("--reply-ms", "3000", NULL);

  f->src = gst_harness_new ("voicelivesrc");
  g_object_set (f->src->element, "session-name", name, "pair-timeout", 0,
      "buffer-ms", CHUNK_MS, "prebuffer-ms", 0, NULL);
  gst_harness_use_testclock (f->src);

  /* configured before the harness takes it to READY */
  sink = gst_element_factory_make ("voicelivesink", NULL);
  g_object_set (sink, "session-name", name, "endpoint", f->emu->url, "sync",
      FALSE, "async", FALSE, "chunk-ms", CHUNK_MS, NULL);
  gst_util_set_object_arg (G_OBJECT (sink), "echo-cancellation",
      "client-reference");
  if (api_version)
    g_object_set (sink, "api-version", api_version, NULL);
  f->sink = gst_harness_new_with_element (sink, "sink", NULL);
  gst_object_unref (sink);
  f->bus = gst_bus_new ();
  gst_element_set_bus (f->sink->element, f->bus);
  gst_harness_play (f->src);
  /* One clock, one base time: the sink's running times are the src's */
  gst_element_set_clock (f->sink->element, GST_ELEMENT_CLOCK (f->src->element));
  gst_harness_play (f->sink);
  /* What a pipeline tells a src: its audio is heard @latency later */
  gst_harness_push_upstream_event (f->src, gst_event_new_latency (latency));
  caps = g_strdup_printf ("audio/x-raw, format=S16LE, layout=interleaved, "
      "channels=1, rate=%u", rate);
  gst_harness_set_src_caps_str (f->sink, caps);
  g_free (caps);
}

static void
fixture_stop (Fixture * f)
{
  gst_element_set_bus (f->sink->element, NULL);
  gst_harness_teardown (f->sink);
  gst_harness_teardown (f->src);
  gst_object_unref (f->bus);
  vl_emulator_stop (f->emu);
  g_byte_array_unref (f->mic);
  g_array_unref (f->played.samples);
}

/* One period of the src's output, kept */
static void
crank_src (Fixture * f)
{
  GstBuffer *b;

  fail_unless (gst_harness_crank_single_clock_wait (f->src));
  b = gst_harness_pull (f->src);
  played_add (&f->played, b);
  gst_buffer_unref (b);
}

/* The src plays until the clock reached @until */
static void
play_until (Fixture * f, GstClockTime until)
{
  guint i;

  for (i = 0; i < 2000; i++) {
    if (gst_clock_get_time (GST_ELEMENT_CLOCK (f->src->element)) >= until)
      return;
    crank_src (f);
  }
  fail ("clock stuck");
}

/* The next CHUNK_MS of microphone (voice 7 while @voiced), pushed once the
 * src has output past its end, so that its reference exists */
static void
push_mic (Fixture * f, gboolean voiced)
{
  guint n = f->rate * CHUNK_MS / 1000;
  GstClockTime pts = gst_util_uint64_scale_int (f->pushed, GST_SECOND,
      f->rate);
  GstBuffer *b = vl_test_speech (7, f->rate, f->pushed, voiced ? n : 0, n,
      "pcm16");
  GstMapInfo map;

  play_until (f, pts + CHUNK_MS * GST_MSECOND);
  GST_BUFFER_PTS (b) = pts;
  GST_BUFFER_DURATION (b) = CHUNK_MS * GST_MSECOND;
  gst_buffer_map (b, &map, GST_MAP_READ);
  g_byte_array_append (f->mic, map.data, map.size);
  gst_buffer_unmap (b, &map);
  f->pushed += n;
  fail_unless_equals_int (gst_harness_push (f->sink, b), GST_FLOW_OK);
}

static void
push_mic_ms (Fixture * f, gboolean voiced, guint ms)
{
  guint t;

  for (t = 0; t < ms; t += CHUNK_MS)
    push_mic (f, voiced);
}

/* The stereo the emulator got on connection 1, once it has @frames */
static GByteArray *
wait_stereo (Fixture * f, guint64 frames)
{
  GByteArray *audio = NULL;
  GPtrArray *rec = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  do {
    if (audio)
      g_byte_array_unref (audio);
    if (rec)
      g_ptr_array_unref (rec);
    rec = vl_emulator_record (f->emu);
    audio = vl_rec_appended_audio (rec, 1);
  } while (audio->len < frames * 4 && vl_test_poll_step (deadline, 20));
  g_ptr_array_unref (rec);
  fail_unless (audio->len >= frames * 4, "the emulator got %u of %"
      G_GUINT64_FORMAT " frames", audio->len / 4, frames);
  return audio;
}

/* Channel 0 is the microphone, byte for byte */
static void
assert_mic_channel (Fixture * f, GByteArray * stereo, guint64 frames)
{
  guint64 i;

  for (i = 0; i < frames; i++)
    fail_unless (memcmp (stereo->data + i * 4, f->mic->data + i * 2, 2) == 0,
        "channel 0 differs from the microphone at frame %" G_GUINT64_FORMAT, i);
}

static gint64
stat_i64 (Fixture * f, const gchar * field)
{
  gint64 v = -1;

  fail_unless (vl_test_get_stat_int64 (f->sink->element, field, &v),
      "no stats field %s", field);
  return v;
}

/* The user speaks, the answer comes and plays; with @barge_in the src's
 * clear-output cuts it after 300 ms. Channel 1 must be the src's output
 * shifted by exactly the latency (whole input samples), resampled. */
static void
run_auto (const gchar * name, guint rate, gboolean barge_in)
{
  Fixture f;
  GByteArray *stereo;
  GstClockTime latency = 60 * GST_MSECOND;
  gint64 lat_in, first_audio = -1, cut = -1, i;
  gboolean ok = FALSE;
  guint64 frames, nonzero_before = 0, nonzero_after = 0, nonzero = 0;

  fixture_start (&f, name, rate, latency, NULL);
  /* The first append waits for session.updated */
  push_mic (&f, FALSE);
  fail_unless (vl_emulator_wait_for (f.emu, "client",
          "input_audio_buffer.append", 1, 10000));
  push_mic_ms (&f, TRUE, 600);
  push_mic_ms (&f, FALSE, 700);
  fail_unless (vl_test_wait_stat_u64 (f.sink->element, "audio-ms-received",
          800, 10000));
  if (barge_in) {
    push_mic_ms (&f, FALSE, 300);
    g_signal_emit_by_name (f.src->element, "clear-output", &ok);
    fail_unless (ok);
    cut = f.played.samples->len;
    push_mic_ms (&f, FALSE, 600);
    /* the answer was playing when it was cut */
    for (i = cut - OUT_RATE * CHUNK_MS / 1000; i < cut; i++)
      if (played_at (&f.played, i))
        break;
    fail_unless (i < cut, "nothing was playing at the barge-in");
  } else {
    push_mic_ms (&f, FALSE, 1200);
  }
  /* where the answer started playing */
  for (first_audio = 0; first_audio < f.played.samples->len
      && !played_at (&f.played, first_audio); first_audio++);
  fail_unless (first_audio < f.played.samples->len, "no answer played");
  frames = f.pushed;
  stereo = wait_stereo (&f, frames);
  assert_mic_channel (&f, stereo, frames);

  lat_in = (gint64) gst_util_uint64_scale_round (latency, rate, GST_SECOND);
  fail_unless_equals_int64 (stat_i64 (&f, "reference-offset-ms"), 60);
  fail_unless_equals_uint64 (vl_test_get_stat_u64 (f.sink->element,
          "reference-underruns"), 0);
  for (i = 0; i < (gint64) frames; i++) {
    gint16 got = (gint16) GST_READ_UINT16_LE (stereo->data + i * 4 + 2);
    gint16 want = expected_ref (&f.played, rate, i, lat_in);
    /* the input index where the src's sample @first_audio is heard */
    gint64 out_index = (i - lat_in) * OUT_RATE / rate;

    fail_unless_equals_int (got, want);
    if (got)
      nonzero++;
    if (got && out_index < first_audio - 1)
      nonzero_before++;
    if (got && cut >= 0 && out_index > cut + OUT_RATE * CHUNK_MS / 1000)
      nonzero_after++;
  }
  /* The answer is in the reference, nothing before it, nothing after the
   * cut (the src played silence from the next period on) */
  fail_unless (nonzero > (guint64) rate / 10, "only %" G_GUINT64_FORMAT
      " samples of the answer in the reference", nonzero);
  fail_unless_equals_uint64 (nonzero_before, 0);
  fail_unless_equals_uint64 (nonzero_after, 0);
  g_byte_array_unref (stereo);
  fixture_stop (&f);
}

GST_START_TEST (test_auto_reference_24k)
{
  run_auto ("aec-24", 24000, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_auto_reference_16k_mic)
{
  run_auto ("aec-16", 16000, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_auto_reference_barge_in)
{
  run_auto ("aec-bi", 24000, TRUE);
}

GST_END_TEST;

/* The features= of the first connection's URL, or NULL */
static const gchar *
url_features (GPtrArray * rec)
{
  JsonNode *line = vl_rec_find (rec, "meta", "#connect", 0);

  fail_unless (line);
  return vl_json_member_string (json_node_get_object (line), "query",
      "features");
}

/* The wire: the session.update's client-reference object, the URL flag on
 * a preview api-version, every append stereo, the first after the
 * session.updated */
GST_START_TEST (test_wire)
{
  Fixture f;
  GPtrArray *rec;
  JsonNode *line;
  JsonObject *upd, *ec;
  gint updated, first_append;
  guint i;

  fixture_start (&f, "aec-wire", 24000, 20 * GST_MSECOND, "2026-06-01-preview");
  push_mic_ms (&f, FALSE, 100);
  fail_unless (vl_emulator_wait_for (f.emu, "client",
          "input_audio_buffer.append", 5, 10000));
  rec = vl_emulator_record (f.emu);
  fail_unless_equals_string (url_features (rec), "client_ec_reference:true");
  line = vl_rec_find (rec, "client", "session.update", 0);
  upd = json_object_get_object_member (vl_rec_event (line), "session");
  ec = json_object_get_object_member (upd, "input_audio_echo_cancellation");
  fail_unless_equals_string (json_object_get_string_member (ec, "type"),
      "server_echo_cancellation");
  fail_unless_equals_string (json_object_get_string_member (ec,
          "reference_source"), "client");
  fail_unless_equals_int (json_object_get_int_member (ec, "channels"), 2);
  updated = vl_rec_index (rec, "server", "session.updated", 0);
  first_append = vl_rec_index (rec, "client", "input_audio_buffer.append", 0);
  fail_unless (updated >= 0 && first_append > updated);
  for (i = 0; (line = vl_rec_find (rec, "client",
              "input_audio_buffer.append", i)); i++) {
    JsonObject *o = json_node_get_object (line);

    fail_unless_equals_int (json_object_get_int_member (o, "channels"), 2);
    fail_unless_equals_int (json_object_get_int_member (o,
            "audio_bytes") % 4, 0);
  }
  g_ptr_array_unref (rec);
  fixture_stop (&f);
}

GST_END_TEST;

/* A linked "reference" pad wins over the src: channel 1 is exactly what
 * came there, although the src plays tones meanwhile */
GST_START_TEST (test_reference_pad)
{
  Fixture f;
  GstPad *ref, *out;
  GstCaps *caps;
  GstSegment seg;
  GByteArray *stereo, *refdata = g_byte_array_new ();
  guint64 frames, i, differs = 0;
  guint k;
  gboolean ok = FALSE;

  fixture_start (&f, "aec-pad", 16000, 40 * GST_MSECOND, NULL);
  ref = gst_element_request_pad_simple (f.sink->element, "reference");
  fail_unless (ref);
  fail_unless_equals_string (GST_PAD_NAME (ref), "reference");
  out = gst_pad_new ("out", GST_PAD_SRC);
  fail_unless_equals_int (gst_pad_link (out, ref), GST_PAD_LINK_OK);
  gst_pad_set_active (out, TRUE);
  gst_pad_push_event (out, gst_event_new_stream_start ("ref"));
  caps = gst_caps_from_string ("audio/x-raw, format=S16LE, "
      "layout=interleaved, channels=1, rate=16000");
  gst_pad_push_event (out, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_segment_init (&seg, GST_FORMAT_TIME);
  gst_pad_push_event (out, gst_event_new_segment (&seg));
  /* A second source on the speaker: a sweep of its own, 1 s ahead */
  for (k = 0; k < 1000 / CHUNK_MS; k++) {
    guint n = 16000 * CHUNK_MS / 1000, j;
    GstBuffer *b = gst_buffer_new_allocate (NULL, n * 2, NULL);
    GstMapInfo map;

    gst_buffer_map (b, &map, GST_MAP_WRITE);
    for (j = 0; j < n; j++)
      GST_WRITE_UINT16_LE (map.data + j * 2, (guint16) (gint16) (((k * n +
                      j) * 37) % 20000 - 10000));
    g_byte_array_append (refdata, map.data, map.size);
    gst_buffer_unmap (b, &map);
    GST_BUFFER_PTS (b) = k * CHUNK_MS * GST_MSECOND;
    GST_BUFFER_DURATION (b) = CHUNK_MS * GST_MSECOND;
    fail_unless_equals_int (gst_pad_push (out, b), GST_FLOW_OK);
  }
  g_signal_emit_by_name (f.src->element, "send-dtmf", "1234", &ok);
  fail_unless (ok);
  push_mic_ms (&f, TRUE, 600);
  push_mic_ms (&f, FALSE, 200);
  frames = f.pushed;
  stereo = wait_stereo (&f, frames);
  assert_mic_channel (&f, stereo, frames);
  for (i = 0; i < frames; i++) {
    fail_unless (memcmp (stereo->data + i * 4 + 2, refdata->data + i * 2,
            2) == 0, "channel 1 is not the reference pad's at %"
        G_GUINT64_FORMAT, i);
    if (expected_ref (&f.played, 16000, i, 16000 * 40 / 1000) !=
        (gint16) GST_READ_UINT16_LE (refdata->data + i * 2))
      differs++;
  }
  /* the src did play something else */
  fail_unless (differs > frames / 2);
  {
    GstStructure *st;
    const gchar *source;

    g_object_get (f.sink->element, "stats", &st, NULL);
    source = gst_structure_get_string (st, "reference-source");
    fail_unless_equals_string (source, "pad");
    gst_structure_free (st);
  }
  g_byte_array_unref (stereo);
  g_byte_array_unref (refdata);
  gst_pad_set_active (out, FALSE);
  gst_pad_unlink (out, ref);
  gst_object_unref (out);
  gst_element_release_request_pad (f.sink->element, ref);
  gst_object_unref (ref);
  fixture_stop (&f);
}

GST_END_TEST;

static GstElement *
client_sink (const gchar * name, const gchar * props)
{
  GstElement *sink = gst_element_factory_make ("voicelivesink", NULL);
  gchar **kv = g_strsplit_set (props ? props : "", " =", -1);
  guint i;

  g_object_set (sink, "session-name", name, "endpoint", "ws://127.0.0.1:9",
      NULL);
  gst_util_set_object_arg (G_OBJECT (sink), "echo-cancellation",
      "client-reference");
  for (i = 0; kv[i] && kv[i + 1]; i += 2)
    gst_util_set_object_arg (G_OBJECT (sink), kv[i], kv[i + 1]);
  g_strfreev (kv);
  return sink;
}

static void
assert_names_property (GError * err, const gchar * also)
{
  fail_unless (err);
  fail_unless (strstr (err->message, "echo-cancellation") != NULL,
      "\"%s\" does not name the property", err->message);
  if (also)
    fail_unless (strstr (err->message, also) != NULL, "\"%s\" lacks \"%s\"",
        err->message, also);
  g_error_free (err);
}

/* Refused at READY: the openai dialect, an api-version before
 * 2026-06-01-preview, and a src in another pipeline */
GST_START_TEST (test_refused_at_ready)
{
  GstElement *sink, *pa, *pb, *src;

  sink = client_sink ("aec-r1", "protocol=openai");
  assert_names_property (vl_test_ready_error (sink), NULL);
  gst_object_unref (sink);

  sink = client_sink ("aec-r2", "api-version=2025-10-01");
  assert_names_property (vl_test_ready_error (sink), "2026-06-01-preview");
  gst_object_unref (sink);

  /* The src's pipeline first, then the sink's: two clocks */
  pb = gst_pipeline_new ("b");
  src = gst_element_factory_make ("voicelivesrc", NULL);
  g_object_set (src, "session-name", "aec-r3", NULL);
  gst_bin_add (GST_BIN (pb), src);
  fail_unless (gst_element_set_state (pb, GST_STATE_READY) ==
      GST_STATE_CHANGE_SUCCESS);
  pa = gst_pipeline_new ("a");
  sink = client_sink ("aec-r3", NULL);
  gst_bin_add (GST_BIN (pa), sink);
  {
    GstBus *bus = gst_element_get_bus (pa);
    GstMessage *msg;
    GError *err = NULL;

    fail_unless (gst_element_set_state (pa, GST_STATE_READY) ==
        GST_STATE_CHANGE_FAILURE);
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    fail_unless (msg);
    gst_message_parse_error (msg, &err, NULL);
    assert_names_property (err, "another pipeline");
    gst_message_unref (msg);
    gst_object_unref (bus);
  }
  gst_element_set_state (pa, GST_STATE_NULL);
  gst_element_set_state (pb, GST_STATE_NULL);
  gst_object_unref (pa);
  gst_object_unref (pb);
}

GST_END_TEST;

/* G.711 input is refused (the service's invalid_ec_channels_format), and
 * a change of echo-cancellation while streaming is refused with a warning
 * (change_in_ec_channels_not_allowed): the appends stay stereo */
GST_START_TEST (test_refused_format_and_change)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  GstElement *p;
  GstBus *bus;
  GstMessage *msg;
  GError *err = NULL;
  GstBuffer *b;
  Fixture f;
  GPtrArray *rec;
  JsonNode *line;
  guint i, n;

  p = vl_test_pipeline_new ("appsrc name=in format=time caps=audio/x-mulaw,"
      "rate=8000,channels=1 ! voicelivesink name=sink session-name=aec-g "
      "endpoint=%s echo-cancellation=client-reference", emu->url);
  bus = gst_element_get_bus (p);
  gst_element_set_state (p, GST_STATE_PLAYING);
  b = gst_buffer_new_allocate (NULL, 160, NULL);
  gst_buffer_memset (b, 0, 0xff, 160);
  GST_BUFFER_PTS (b) = 0;
  gst_app_src_push_buffer (GST_APP_SRC (vl_test_child (p, "in")), b);
  msg = vl_bus_wait (bus, GST_MESSAGE_ERROR, NULL, 10000);
  fail_unless (msg);
  gst_message_parse_error (msg, &err, NULL);
  assert_names_property (err, "pcm16");
  gst_message_unref (msg);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  vl_emulator_stop (emu);

  fixture_start (&f, "aec-chg", 24000, 20 * GST_MSECOND, NULL);
  push_mic_ms (&f, FALSE, 100);
  fail_unless (vl_emulator_wait_for (f.emu, "client",
          "input_audio_buffer.append", 2, 10000));
  gst_util_set_object_arg (G_OBJECT (f.sink->element), "echo-cancellation",
      "server");
  msg = gst_bus_pop_filtered (f.bus, GST_MESSAGE_WARNING);
  fail_unless (msg);
  gst_message_parse_warning (msg, &err, NULL);
  assert_names_property (err, "change_in_ec_channels_not_allowed");
  gst_message_unref (msg);
  push_mic_ms (&f, FALSE, 100);
  g_byte_array_unref (wait_stereo (&f, f.pushed));
  rec = vl_emulator_record (f.emu);
  fail_unless_equals_int (vl_rec_count (rec, "client", "session.update"), 1);
  n = vl_rec_count (rec, "client", "input_audio_buffer.append");
  for (i = 0; i < n; i++) {
    line = vl_rec_find (rec, "client", "input_audio_buffer.append", i);
    fail_unless_equals_int (json_object_get_int_member (json_node_get_object
            (line), "channels"), 2);
  }
  g_ptr_array_unref (rec);
  fixture_stop (&f);
}

GST_END_TEST;

/* The emulator refuses what the service refuses, with its codes */
static void
expect_service_error (Fixture * f, const gchar * update, const gchar * code,
    guint n)
{
  JsonNode *line;
  GPtrArray *rec = NULL;
  JsonObject *err;
  gboolean ok = FALSE;

  g_signal_emit_by_name (f->sink->element, "update-session", update, &ok);
  fail_unless (ok);
  fail_unless (VL_TEST_POLL_UNTIL ((line = vl_emulator_reread_find (f->emu,
                  &rec, "server", "error", n)) != NULL, 10, 10000),
      "no error %s", code);
  err = json_object_get_object_member (vl_rec_event (line), "error");
  fail_unless_equals_string (json_object_get_string_member (err, "code"), code);
  g_ptr_array_unref (rec);
}

GST_START_TEST (test_emulator_refusals)
{
  Fixture f;
  GPtrArray *rec;

  fixture_start (&f, "aec-emu", 24000, 20 * GST_MSECOND, NULL);
  push_mic_ms (&f, FALSE, 60);
  fail_unless (vl_emulator_wait_for (f.emu, "client",
          "input_audio_buffer.append", 1, 10000));
  /* the default api-version is GA 2026-07-15: no URL flag */
  rec = vl_emulator_record (f.emu);
  fail_unless (url_features (rec) == NULL);
  g_ptr_array_unref (rec);
  /* update-session merges: each update carries the earlier ones' fields */
  expect_service_error (&f, "{\"input_audio_format\":\"g711_ulaw\"}",
      "invalid_ec_channels_format", 0);
  expect_service_error (&f, "{\"input_audio_echo_cancellation\":{\"type\":"
      "\"server_echo_cancellation\",\"reference_source\":\"client\","
      "\"channels\":1}}", "invalid_ec_reference_channels", 1);
  expect_service_error (&f, "{\"input_audio_echo_cancellation\":{\"type\":"
      "\"server_echo_cancellation\",\"reference_source\":\"server\","
      "\"channels\":2}}", "invalid_ec_channels_requires_client", 2);
  expect_service_error (&f, "{\"input_audio_echo_cancellation\":{\"type\":"
      "\"server_echo_cancellation\",\"reference_source\":\"server\","
      "\"channels\":1}}", "change_in_ec_channels_not_allowed", 3);
  fixture_stop (&f);
}

GST_END_TEST;

/* Real time: the answer goes to a "speaker" and, 600 ms later (a pad
 * offset), into the "microphone" through audiomixer; the emulator finds
 * the echo in channel 0 at the lag where channel 1 (the reference, shifted
 * by the pipeline latency) matches: 600 ms minus that latency. */
GST_START_TEST (test_acoustic_loopback)
{
  VlEmulator *emu;
  GstElement *p, *sink;
  GstBus *bus;
  GPtrArray *rec = NULL;
  JsonNode *line;
  JsonObject *o;
  gint64 off_us = -1, lat_in, want;
  gboolean ok = FALSE;

  /* Real time means little under valgrind or ThreadSanitizer: audiomixer
   * drops what comes late, and the echo moves */
  if (g_getenv ("VL_UNDER_VALGRIND") || g_getenv ("TSAN_OPTIONS"))
    return;
  emu = vl_emulator_start ("--reply-ms", "1500", "--ec-lag-max-ms", "600",
      NULL);
  p = vl_test_pipeline_new ("audiotestsrc is-live=true wave=silence "
      "samplesperbuffer=480 ! audio/x-raw,format=S16LE,rate=24000,channels=1 "
      "! audiomixer name=mix latency=250000000 ! audio/x-raw,format=S16LE,"
      "rate=24000,channels=1 ! voicelivesink name=sink session-name=aec-loop "
      "endpoint=%s api-version=2026-06-01-preview turn-detection=none "
      "echo-cancellation=client-reference  voicelivesrc session-name=aec-loop "
      "buffer-ms=20 ! audio/x-raw,format=S16LE,rate=24000,channels=1 ! tee "
      "name=t  t. ! queue ! fakesink sync=true  t. ! queue ! identity "
      "name=delay ! mix.", emu->url);
  sink = vl_test_child (p, "sink");
  /* the speaker-to-microphone path: 400 ms later in running time */
  {
    GstPad *pad = gst_element_get_static_pad (vl_test_child (p, "delay"),
        "src");

    gst_pad_set_offset (pad, 600 * GST_MSECOND);
    gst_object_unref (pad);
  }
  bus = gst_element_get_bus (p);
  gst_element_set_state (p, GST_STATE_PLAYING);
  fail_unless (vl_emulator_wait_for (emu, "client",
          "input_audio_buffer.append", 1, 10000));
  g_signal_emit_by_name (sink, "create-response", NULL, &ok);
  fail_unless (ok);
  vl_test_wait_message (bus, "voicelive/playback-stopped", 15000);
  /* the echo reaches the microphone 600 ms later */
  fail_unless (VL_TEST_POLL_UNTIL (vl_test_get_stat_u64 (sink,
              "audio-ms-sent") > 3000, 20, 10000));
  fail_unless (vl_test_get_stat_int64 (sink, "reference-offset-us", &off_us));
  fail_unless_equals_uint64 (vl_test_get_stat_u64 (sink,
          "reference-underruns"), 0);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);

  /* the emulator reports when the connection closes */
  fail_unless (VL_TEST_POLL_UNTIL ((line = vl_emulator_reread_find (emu,
                  &rec, "meta", "#ec-lag", 0)) != NULL, 20, 10000));
  o = json_node_get_object (line);
  lat_in = (off_us * 24 + 500) / 1000;
  want = 600 * 24 - lat_in;
  fail_unless (off_us > 0 && want > 0, "offset %" G_GINT64_FORMAT " us",
      off_us);
  /* within 1 ms: audiomixer puts the start of each stream on its own
   * sample grid (the byte-exact alignment is checked on the test clock) */
  fail_unless (ABS (json_object_get_int_member (o, "lag_frames") - want) <= 24,
      "echo found at %" G_GINT64_FORMAT " frames, expected %" G_GINT64_FORMAT,
      json_object_get_int_member (o, "lag_frames"), want);
  fail_unless (json_object_get_int_member (o, "correlation_permille") > 800);
  g_ptr_array_unref (rec);
  gst_object_unref (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static Suite *
voicelive_aec_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("voicelive-aec", 120, &tc);

  tcase_add_test (tc, test_auto_reference_24k);
  tcase_add_test (tc, test_auto_reference_16k_mic);
  tcase_add_test (tc, test_auto_reference_barge_in);
  tcase_add_test (tc, test_wire);
  tcase_add_test (tc, test_reference_pad);
  tcase_add_test (tc, test_refused_at_ready);
  tcase_add_test (tc, test_refused_format_and_change);
  tcase_add_test (tc, test_emulator_refusals);
  tcase_add_test (tc, test_acoustic_loopback);
  return s;
}

GST_CHECK_MAIN (voicelive_aec);
