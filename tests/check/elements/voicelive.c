/* gst-voicelive: voicelivesink / voicelivesrc against the emulator
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>
#include "vltest.h"

#define KEY "test-key-0123456789"

/* Input: a loud tone with a per-sample hash (so every byte is distinct
 * enough to catch reordering), then silence. */
static GstBuffer *
make_input (guint rate, guint speech_ms, guint silence_ms)
{
  return vl_test_speech (7, rate, 0, rate * speech_ms / 1000,
      rate * (speech_ms + silence_ms) / 1000, "pcm16");
}

/* Push @buf (consumed) to appsrc in 10 ms pieces with timestamps, then
 * maybe EOS. */
static void
push_audio (GstElement * appsrc, GstBuffer * buf, guint rate, gboolean eos)
{
  gsize size = gst_buffer_get_size (buf), off = 0;
  gsize piece = rate / 100 * 2;

  while (off < size) {
    gsize n = MIN (piece, size - off);
    GstBuffer *b = gst_buffer_copy_region (buf, GST_BUFFER_COPY_ALL, off, n);

    GST_BUFFER_PTS (b) = gst_util_uint64_scale (off / 2, GST_SECOND, rate);
    GST_BUFFER_DURATION (b) = gst_util_uint64_scale (n / 2, GST_SECOND, rate);
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (appsrc), b),
        GST_FLOW_OK);
    off += n;
  }
  gst_buffer_unref (buf);
  if (eos)
    gst_app_src_end_of_stream (GST_APP_SRC (appsrc));
}

static GstElement *
get (GstElement * pipeline, const gchar * name)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), name);

  fail_unless (e != NULL, "no element %s", name);
  gst_object_unref (e);         /* the pipeline keeps it alive */
  return e;
}

static JsonObject *
session_update_of (GPtrArray * rec, guint n)
{
  JsonNode *l = vl_rec_find (rec, "client", "session.update", n);

  fail_unless (l != NULL, "no session.update #%u recorded", n);
  return json_object_get_object_member (vl_rec_event (l), "session");
}

static void
assert_json_equal (JsonObject * got, const gchar * expected)
{
  JsonNode *exp = json_from_string (expected, NULL);
  JsonNode *g = json_node_new (JSON_NODE_OBJECT);
  gchar *gs;

  json_node_set_object (g, got);
  gs = json_to_string (g, FALSE);
  fail_unless (exp != NULL, "bad expected JSON %s", expected);
  fail_unless (json_node_equal (exp, g), "JSON differs:\n got: %s\nwant: %s",
      gs, expected);
  g_free (gs);
  json_node_unref (exp);
  json_node_unref (g);
}

/* ---- sharing ---- */

GST_START_TEST (test_one_name_one_connection)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, NULL);
  GstElement *p = vl_test_pipeline_new_pair (24000, "session-name=one "
      "endpoint=%s api-key=" KEY "  voicelivesrc session-name=one ! fakesink",
      emu->url);

  fail_unless (gst_element_set_state (p, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  push_audio (get (p, "in"), make_input (24000, 100, 0), 24000, FALSE);
  fail_unless (vl_emulator_wait_for (emu, "client", "session.update", 1,
          10000), "no session.update within 10 s");
  /* Give a second connection every chance to show up. */
  g_usleep (300000);
  fail_unless_equals_int (vl_emulator_count (emu, "meta", "#connect"), 1);
  fail_unless_equals_int (vl_emulator_count (emu, "client", "session.update"),
      1);

  vl_test_stop_pipeline (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

GST_START_TEST (test_two_names_two_connections)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  GstElement *p =
      vl_test_pipeline_new
      ("appsrc name=a format=time caps=audio/x-raw,format=S16LE,channels=1,"
      "rate=24000,layout=interleaved ! voicelivesink session-name=a "
      "endpoint=%s instructions=A  voicelivesrc session-name=a ! fakesink "
      "appsrc name=b format=time caps=audio/x-raw,format=S16LE,channels=1,"
      "rate=24000,layout=interleaved ! voicelivesink session-name=b "
      "endpoint=%s instructions=B  voicelivesrc session-name=b ! fakesink",
      emu->url, emu->url);
  GPtrArray *rec;
  gboolean seen_a = FALSE, seen_b = FALSE;
  guint i;

  fail_unless (gst_element_set_state (p, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  push_audio (get (p, "a"), make_input (24000, 100, 0), 24000, FALSE);
  push_audio (get (p, "b"), make_input (24000, 100, 0), 24000, FALSE);
  fail_unless (vl_emulator_wait_for (emu, "client", "session.update", 2,
          10000), "not two session.updates within 10 s");
  g_usleep (300000);
  rec = vl_emulator_record (emu);
  fail_unless_equals_int (vl_rec_count (rec, "meta", "#connect"), 2);
  /* Each connection got its own configuration. */
  for (i = 0; i < 2; i++) {
    JsonNode *l = vl_rec_find (rec, "client", "session.update", i);
    const gchar *instr = json_object_get_string_member
        (json_object_get_object_member (vl_rec_event (l), "session"),
        "instructions");

    seen_a |= g_strcmp0 (instr, "A") == 0;
    seen_b |= g_strcmp0 (instr, "B") == 0;
    fail_unless (vl_rec_conn (l) ==
        vl_rec_conn (vl_rec_find (rec, "client", "session.update", 1 - i))
        ? FALSE : TRUE, "both updates on one connection");
  }
  fail_unless (seen_a && seen_b);
  g_ptr_array_unref (rec);

  vl_test_stop_pipeline (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

GST_START_TEST (test_second_sink_same_name_fails)
{
  GstElement *s1 = gst_element_factory_make ("voicelivesink", NULL);
  GstElement *s2 = gst_element_factory_make ("voicelivesink", NULL);
  GError *err;

  g_object_set (s1, "endpoint", "ws://127.0.0.1:9", "session-name", "dup",
      NULL);
  g_object_set (s2, "endpoint", "ws://127.0.0.1:9", "session-name", "dup",
      NULL);
  fail_unless_equals_int (gst_element_set_state (s1, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  err = vl_test_ready_error (s2);
  fail_unless (err != NULL);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_BUSY));
  fail_unless (strstr (err->message, "session-name") != NULL, "%s",
      err->message);
  fail_unless (strstr (err->message, "\"dup\"") != NULL, "%s", err->message);
  g_clear_error (&err);

  /* Once the first one is gone, the name is free again. */
  gst_element_set_state (s1, GST_STATE_NULL);
  fail_unless_equals_int (gst_element_set_state (s2, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  gst_element_set_state (s2, GST_STATE_NULL);
  gst_object_unref (s1);
  gst_object_unref (s2);
}

GST_END_TEST;

/* ---- configuration ---- */

static void
check_update (const gchar * props, const gchar * expected_session)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  GstElement *p = vl_test_pipeline_new_pair (16000, "endpoint=%s %s",
      emu->url, props);
  GPtrArray *rec;

  fail_unless (gst_element_set_state (p, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  push_audio (get (p, "in"), make_input (16000, 60, 0), 16000, FALSE);
  rec = vl_emulator_wait (emu, "client", "session.update", 1, 10000);
  fail_unless (rec != NULL, "no session.update within 10 s");
  assert_json_equal (session_update_of (rec, 0), expected_session);
  g_ptr_array_unref (rec);
  /* The service accepted it. */
  fail_unless (vl_emulator_wait_for (emu, "server", "session.updated", 1,
          5000), "update not accepted");

  vl_test_stop_pipeline (p);
  vl_emulator_stop (emu);
}

GST_START_TEST (test_update_nothing_set)
{
  /* Only what caps decide: every property left unset is omitted. No src,
   * so no output format is claimed either. */
  check_update ("", "{\"input_audio_format\":\"pcm16\","
      "\"input_audio_sampling_rate\":16000}");
}

GST_END_TEST;

GST_START_TEST (test_update_configured_fields)
{
  check_update ("instructions=\"Be brief.\" "
      "voice=en-US-Ava:DragonHDLatestNeural turn-detection=server-vad "
      "vad-threshold=0.25 prefix-padding-ms=200 silence-duration-ms=400",
      "{\"instructions\":\"Be brief.\","
      "\"voice\":{\"name\":\"en-US-Ava:DragonHDLatestNeural\","
      "\"type\":\"azure-standard\"},"
      "\"turn_detection\":{\"type\":\"server_vad\",\"threshold\":0.25,"
      "\"prefix_padding_ms\":200,\"silence_duration_ms\":400},"
      "\"input_audio_format\":\"pcm16\",\"input_audio_sampling_rate\":16000}");
}

GST_END_TEST;

GST_START_TEST (test_update_openai_voice_manual_turns)
{
  check_update ("voice=alloy turn-detection=none",
      "{\"voice\":{\"name\":\"alloy\",\"type\":\"openai\"},"
      "\"turn_detection\":null,"
      "\"input_audio_format\":\"pcm16\",\"input_audio_sampling_rate\":16000}");
}

GST_END_TEST;

/* ---- audio both ways, end of stream ---- */

/* appsrc (16 kHz) -> sink; src (not live) -> appsink. Returns the answer. */
static GByteArray *
run_turn (VlEmulator * emu, GstBuffer * input, guint rate,
    const gchar * sink_props, GPtrArray ** rec_out, GArray * pts_out)
{
  GstElement *p = vl_test_pipeline_new_pair (rate, "endpoint=%s api-key=" KEY
      " %s voicelivesrc is-live=false ! appsink name=out sync=false",
      emu->url, sink_props);
  GstElement *out = get (p, "out");
  GByteArray *answer = g_byte_array_new ();
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *msg;
  GstSample *sample;

  fail_unless (gst_element_set_state (p, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  push_audio (get (p, "in"), input, rate, TRUE);

  /* Pull everything until EOS; bounded by the appsink timeout. */
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (out),
              30 * GST_SECOND))) {
    GstBuffer *b = gst_sample_get_buffer (sample);
    GstMapInfo map;

    gst_buffer_map (b, &map, GST_MAP_READ);
    if (map.size > 0 && pts_out) {
      guint64 v[3] = { GST_BUFFER_PTS (b), GST_BUFFER_DURATION (b),
        answer->len
      };
      g_array_append_vals (pts_out, v, 3);
    }
    g_byte_array_append (answer, map.data, map.size);
    gst_buffer_unmap (b, &map);
    gst_sample_unref (sample);
  }
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (out)),
      "no EOS from voicelivesrc within 30 s");

  /* The whole pipeline ends by itself. */
  msg = vl_bus_wait (bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR, NULL, 30000);
  fail_unless (msg != NULL, "pipeline did not end within 30 s");
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_EOS);
  gst_message_unref (msg);
  gst_object_unref (bus);
  vl_test_stop_pipeline (p);

  *rec_out = vl_emulator_record (emu);
  return answer;
}

GST_START_TEST (test_audio_round_trip)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, "--reply-ms", "700",
      NULL);
  /* 1.51 s: not a whole number of 20 ms chunks, so the tail is flushed at
   * EOS as a shorter append. */
  GstBuffer *input = make_input (16000, 800, 710);
  GBytes *expected_in;
  GByteArray *answer, *appended;
  GBytes *expected;
  GPtrArray *rec;
  GArray *pts = g_array_new (FALSE, FALSE, sizeof (guint64));
  gsize in_size = gst_buffer_get_size (input), i;
  guint n_appends, n_short = 0;
  gconstpointer exp_data;
  gsize exp_size;

  {
    GstMapInfo map;

    gst_buffer_map (input, &map, GST_MAP_READ);
    expected_in = g_bytes_new (map.data, map.size);
    gst_buffer_unmap (input, &map);
  }
  answer = run_turn (emu, input, 16000, "", &rec, pts);

  /* Uplink: the appended audio is the input, byte for byte, followed only
   * by the trailing silence that closes the turn. */
  appended = vl_rec_appended_audio (rec, 1);
  fail_unless (appended->len > in_size, "appended %u of %" G_GSIZE_FORMAT,
      appended->len, in_size);
  fail_unless (memcmp (appended->data, g_bytes_get_data (expected_in, NULL),
          in_size) == 0, "appended audio differs from the input");
  for (i = in_size; i < appended->len; i++)
    fail_unless (appended->data[i] == 0, "non-silence after the input");
  /* Every append is one 20 ms chunk (640 bytes at 16 kHz), except the
   * flushed tail. */
  n_appends = vl_rec_count (rec, "client", "input_audio_buffer.append");
  for (i = 0; i < n_appends; i++) {
    JsonObject *l = json_node_get_object (vl_rec_find (rec, "client",
            "input_audio_buffer.append", i));
    gint64 bytes = json_object_get_int_member (l, "audio_bytes");

    if (bytes != 640) {
      n_short++;
      fail_unless_equals_int (bytes, in_size % 640);
    }
  }
  fail_unless_equals_int (n_short, 1);

  /* Formats from caps. */
  fail_unless_equals_string (json_object_get_string_member (session_update_of
          (rec, 0), "input_audio_format"), "pcm16");
  fail_unless_equals_int (json_object_get_int_member (session_update_of (rec,
              0), "input_audio_sampling_rate"), 16000);

  /* Downlink: exactly the emulator's deterministic answer, sample by
   * sample: no drop, duplicate or reorder. */
  expected = vl_expected_answer (1, 700 * 24, 24000, "pcm16");
  exp_data = g_bytes_get_data (expected, &exp_size);
  fail_unless_equals_int (answer->len, exp_size);
  for (i = 0; i + 1 < exp_size; i += 2)
    fail_unless (memcmp (answer->data + i, (const guint8 *) exp_data + i,
            2) == 0, "sample %" G_GSIZE_FORMAT " differs", i / 2);
  fail_unless_equals_int (vl_rec_count (rec, "server", "response.done"), 1);

  /* Timestamps from the sample counter, contiguous. */
  for (i = 0; i < pts->len; i += 3) {
    guint64 ts = g_array_index (pts, guint64, i);
    guint64 dur = g_array_index (pts, guint64, i + 1);
    guint64 off = g_array_index (pts, guint64, i + 2);

    fail_unless_equals_uint64 (ts, gst_util_uint64_scale (off / 2,
            GST_SECOND, 24000));
    if (i + 3 < pts->len)
      fail_unless_equals_uint64 (ts + dur, g_array_index (pts, guint64, i + 3));
  }

  g_array_unref (pts);
  g_bytes_unref (expected);
  g_bytes_unref (expected_in);
  g_byte_array_unref (appended);
  g_byte_array_unref (answer);
  g_ptr_array_unref (rec);
  vl_emulator_stop (emu);
}

GST_END_TEST;

GST_START_TEST (test_manual_turn_answered_at_eos)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "300", NULL);
  GByteArray *answer;
  GPtrArray *rec;
  JsonNode *commit, *create;
  guint i, i_commit = 0, i_create = 0, i_last_append = 0;

  /* Speech with no trailing silence: only the commit at EOS ends the turn. */
  answer = run_turn (emu, make_input (16000, 400, 0), 16000,
      "turn-detection=none", &rec, NULL);
  commit = vl_rec_find (rec, "client", "input_audio_buffer.commit", 0);
  create = vl_rec_find (rec, "client", "response.create", 0);
  fail_unless (commit && create, "no commit + response.create at EOS");
  for (i = 0; i < rec->len; i++) {
    JsonNode *l = g_ptr_array_index (rec, i);

    if (l == commit)
      i_commit = i;
    if (l == create)
      i_create = i;
    if (g_strcmp0 (vl_rec_type (l), "input_audio_buffer.append") == 0)
      i_last_append = i;
  }
  fail_unless (i_last_append < i_commit && i_commit < i_create);
  /* Manual turns: no trailing silence was added. */
  {
    GByteArray *appended = vl_rec_appended_audio (rec, 1);

    fail_unless_equals_int (appended->len, 16000 * 400 / 1000 * 2);
    g_byte_array_unref (appended);
  }
  vl_test_assert_answer (answer->data, answer->len, 1, 300 * 24, 24000,
      "pcm16");
  g_byte_array_unref (answer);
  g_ptr_array_unref (rec);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static gboolean
read_wav_data (const gchar * path, GBytes ** data)
{
  gchar *contents;
  gsize len, off = 12;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;
  while (off + 8 <= len) {
    guint32 size = GST_READ_UINT32_LE (contents + off + 4);

    if (memcmp (contents + off, "data", 4) == 0) {
      *data = g_bytes_new (contents + off + 8, MIN (size, len - off - 8));
      g_free (contents);
      return TRUE;
    }
    off += 8 + size + (size & 1);
  }
  g_free (contents);
  return FALSE;
}

/* The launch line of the README, as a user runs it. */
/* ---- many sessions in one process ---- */


#define MANY 40

/* 40 agents in one pipeline: more than one network thread's share, so the
 * sessions spread over threads created on demand; each still gets exactly
 * its own input on its own connection and exactly one whole answer. */
GST_START_TEST (test_many_sessions_each_their_own_audio)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, "--reply-ms", "300",
      NULL);
  GString *desc = g_string_new (NULL);
  GBytes *inputs[MANY], *expected;
  GstElement *p;
  GstBus *bus;
  GstMessage *msg;
  GPtrArray *rec;
  guint k, i, matched = 0;
  gchar *name;
  gsize exp_size;
  gconstpointer exp_data;

  for (k = 0; k < MANY; k++)
    g_string_append_printf (desc, "appsrc name=in%u format=time "
        "caps=audio/x-raw,format=S16LE,channels=1,rate=24000,"
        "layout=interleaved ! voicelivesink session-name=many%u "
        "instructions=many%u endpoint=%s api-key=" KEY " "
        "voicelivesrc session-name=many%u is-live=false ! "
        "appsink name=out%u sync=false wait-on-eos=false ", k, k, k, emu->url,
        k, k);
  p = vl_test_pipeline_new ("%s", desc->str);
  g_string_free (desc, TRUE);
  bus = gst_element_get_bus (p);

  fail_unless (gst_element_set_state (p, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  for (k = 0; k < MANY; k++) {
    /* A different voice for each agent: cross-talk would show. */
    GstBuffer *buf = vl_test_speech (100 + k, 24000, 0, 24000 * 6 / 10,
        24000 * 13 / 10, "pcm16");
    GstMapInfo map;

    gst_buffer_map (buf, &map, GST_MAP_READ);
    inputs[k] = g_bytes_new (map.data, map.size);
    gst_buffer_unmap (buf, &map);
    name = g_strdup_printf ("in%u", k);
    push_audio (get (p, name), buf, 24000, TRUE);
    g_free (name);
  }

  /* 80 streaming threads take valgrind about 100 s. */
  msg = vl_bus_wait (bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR, NULL,
      g_getenv ("VL_UNDER_VALGRIND") ? 300000 : 60000);
  fail_unless (msg != NULL, "%u sessions did not end in time", MANY);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err = NULL;

    gst_message_parse_error (msg, &err, NULL);
    fail ("error from %s: %s", GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)),
        err->message);
  }
  gst_message_unref (msg);
  /* One thread per core, then one per 16 sessions: at least 3. */
  fail_unless (vl_test_count_net_threads () >= 3, "%u sessions on %u network "
      "threads", MANY, vl_test_count_net_threads ());

  /* Downlink: every agent played exactly one whole answer. */
  expected = vl_expected_answer (1, 300 * 24, 24000, "pcm16");
  exp_data = g_bytes_get_data (expected, &exp_size);
  for (k = 0; k < MANY; k++) {
    GstElement *out;
    GByteArray *answer = g_byte_array_new ();

    name = g_strdup_printf ("out%u", k);
    out = gst_bin_get_by_name (GST_BIN (p), name);
    while (vl_test_pull_append (out, answer, 0));
    fail_unless_equals_int (answer->len, exp_size);
    fail_unless (memcmp (answer->data, exp_data, exp_size) == 0,
        "answer of %s differs", name);
    g_byte_array_unref (answer);
    gst_object_unref (out);
    g_free (name);
  }
  gst_object_unref (bus);
  vl_test_stop_pipeline (p);

  /* Uplink: one connection per agent, carrying that agent's input. */
  rec = vl_emulator_record (emu);
  fail_unless_equals_int (vl_rec_count (rec, "meta", "#connect"), MANY);
  for (i = 0; i < vl_rec_count (rec, "client", "session.update"); i++) {
    JsonNode *l = vl_rec_find (rec, "client", "session.update", i);
    JsonObject *session =
        json_object_get_object_member (vl_rec_event (l), "session");
    const gchar *instr = json_object_get_string_member_with_default (session,
        "instructions", NULL);
    GByteArray *appended;
    gsize in_size, j;
    gconstpointer in_data;

    if (!instr || sscanf (instr, "many%u", &k) != 1)
      continue;
    fail_unless (k < MANY);
    in_data = g_bytes_get_data (inputs[k], &in_size);
    appended = vl_rec_appended_audio (rec, vl_rec_conn (l));
    fail_unless (appended->len >= in_size, "%s: %u of %" G_GSIZE_FORMAT
        " bytes appended", instr, appended->len, in_size);
    fail_unless (memcmp (appended->data, in_data, in_size) == 0,
        "%s: appended audio is not its input", instr);
    for (j = in_size; j < appended->len; j++)
      fail_unless (appended->data[j] == 0, "%s: non-silence after input",
          instr);
    g_byte_array_unref (appended);
    matched++;
  }
  fail_unless_equals_int (matched, MANY);

  for (k = 0; k < MANY; k++)
    g_bytes_unref (inputs[k]);
  g_bytes_unref (expected);
  g_ptr_array_unref (rec);
  vl_emulator_stop (emu);
}

GST_END_TEST;


GST_START_TEST (test_gst_launch_file_to_file)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, NULL);
  gchar *question = vl_test_file ("question.wav");
  gchar *answer_path = g_build_filename (emu->dir, "answer.wav", NULL);
  gchar *loc_in = g_strdup_printf ("location=%s", question);
  gchar *loc_out = g_strdup_printf ("location=%s", answer_path);
  gchar *ep = g_strdup_printf ("endpoint=%s", emu->url);
  const gchar *argv[] = { "timeout", "60", "gst-launch-1.0", "-q",
    "filesrc", loc_in, "!", "wavparse", "!", "audioconvert", "!",
    "audioresample", "!", "voicelivesink", ep, "api-key=" KEY,
    "voicelivesrc", "is-live=false", "!", "wavenc", "!", "filesink", loc_out,
    NULL
  };
  gchar *out = NULL, *errout = NULL;
  gint status = -1;
  GError *err = NULL;
  GBytes *data = NULL, *expected;
  GPtrArray *rec;

  fail_unless (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH,
          NULL, NULL, &out, &errout, &status, &err), "%s",
      err ? err->message : "");
  fail_unless (g_spawn_check_wait_status (status, NULL),
      "gst-launch-1.0 failed (status %d): %s %s", status, out, errout);
  fail_unless (strstr (errout, KEY) == NULL && strstr (out, KEY) == NULL,
      "the key was printed");

  fail_unless (read_wav_data (answer_path, &data), "no data in answer.wav");
  rec = vl_emulator_record (emu);
  /* question.wav is one spoken turn: one answer, exactly the emulator's. */
  fail_unless_equals_int (vl_rec_count (rec, "server", "response.done"), 1);
  expected = vl_expected_answer (1, 1200 * 24, 24000, "pcm16");
  fail_unless (g_bytes_equal (data, expected),
      "answer.wav differs from the emulator's answer (%" G_GSIZE_FORMAT
      " vs %" G_GSIZE_FORMAT " bytes)", g_bytes_get_size (data),
      g_bytes_get_size (expected));

  g_ptr_array_unref (rec);
  g_bytes_unref (expected);
  g_bytes_unref (data);
  g_unlink (answer_path);
  g_free (out);
  g_free (errout);
  g_free (ep);
  g_free (loc_in);
  g_free (loc_out);
  g_free (answer_path);
  g_free (question);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* ---- errors ---- */

GST_START_TEST (test_wrong_key_is_an_error_without_retry)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, NULL);
  GstElement *p = vl_test_pipeline_new_pair (24000, "endpoint=%s "
      "api-key=wrong-secret-key", emu->url);
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL;
  gint64 t0 = g_get_monotonic_time ();

  gst_element_set_state (p, GST_STATE_PLAYING);
  push_audio (get (p, "in"), make_input (24000, 100, 0), 24000, FALSE);
  msg = vl_bus_wait (bus, GST_MESSAGE_ERROR, NULL, 10000);
  fail_unless (msg != NULL, "no error within 10 s");
  fail_unless (g_get_monotonic_time () - t0 < 5 * G_TIME_SPAN_SECOND);
  gst_message_parse_error (msg, &err, &dbg);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_NOT_AUTHORIZED), "%s", err->message);
  fail_unless (strstr (err->message, "401") != NULL, "%s", err->message);
  fail_unless (strstr (err->message, "api-key") != NULL, "%s", err->message);
  fail_unless (strstr (err->message, "wrong-secret-key") == NULL);
  fail_unless (dbg == NULL || strstr (dbg, "wrong-secret-key") == NULL);
  g_clear_error (&err);
  g_free (dbg);
  gst_message_unref (msg);

  /* No retry loop: one attempt, still one after a while. */
  g_usleep (1500000);
  fail_unless_equals_int (vl_emulator_count (emu, "meta", "#rejected"), 1);
  fail_unless_equals_int (vl_emulator_count (emu, "meta", "#connect"), 0);

  gst_object_unref (bus);
  vl_test_stop_pipeline (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static void
check_bad_endpoint (const gchar * endpoint, const gchar * must_contain)
{
  GstElement *sink = gst_element_factory_make ("voicelivesink", NULL);
  GError *err;

  g_unsetenv ("AZURE_VOICE_LIVE_ENDPOINT");
  if (endpoint)
    g_object_set (sink, "endpoint", endpoint, NULL);
  err = vl_test_ready_error (sink);
  fail_unless (err != NULL, "no error for endpoint %s", endpoint);
  fail_unless (strstr (err->message, "endpoint") != NULL,
      "error does not name the property: %s", err->message);
  fail_unless (strstr (err->message, must_contain) != NULL,
      "error does not say '%s': %s", must_contain, err->message);
  g_clear_error (&err);
  gst_object_unref (sink);
}

GST_START_TEST (test_bad_endpoints_fail_the_state_change)
{
  check_bad_endpoint (NULL, "AZURE_VOICE_LIVE_ENDPOINT");
  check_bad_endpoint ("not a url", "not a valid URL");
  check_bad_endpoint ("ftp://example.com", "scheme");
  check_bad_endpoint ("http://example.com", "loopback");
  check_bad_endpoint ("ws://10.1.2.3:8080", "loopback");
}

GST_END_TEST;

/* Caps the sink cannot take: the user is told what to insert. */
GST_START_TEST (test_unsupported_caps_hint)
{
  /* A demuxer (wavparse of a 44.1 kHz stereo file) pushes fixed caps the
   * same way appsrc does */
  GstElement *p = vl_test_pipeline_new ("appsrc name=in format=time "
      "caps=audio/x-raw,format=S16LE,rate=44100,channels=2,"
      "layout=interleaved ! voicelivesink endpoint=ws://127.0.0.1:9");
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *msg;
  GError *err = NULL;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 1764, NULL);

  gst_element_set_state (p, GST_STATE_PLAYING);
  gst_buffer_memset (buf, 0, 0, 1764);
  gst_app_src_push_buffer (GST_APP_SRC (get (p, "in")), buf);
  msg = vl_bus_wait (bus, GST_MESSAGE_WARNING, NULL, 10000);
  fail_unless (msg != NULL, "no hint");
  gst_message_parse_warning (msg, &err, NULL);
  fail_unless (strstr (err->message, "audioconvert ! audioresample") != NULL,
      "%s", err->message);
  fail_unless (strstr (err->message, "44100") != NULL, "%s", err->message);
  g_clear_error (&err);
  gst_message_unref (msg);
  /* and the stream then fails, as GStreamer does */
  msg = vl_bus_wait (bus, GST_MESSAGE_ERROR, NULL, 10000);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  gst_object_unref (bus);
  vl_test_stop_pipeline (p);
}

GST_END_TEST;

static Suite *
voicelive_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("voicelive", 120, &tc);

  tcase_add_test (tc, test_one_name_one_connection);
  tcase_add_test (tc, test_two_names_two_connections);
  tcase_add_test (tc, test_many_sessions_each_their_own_audio);
  tcase_add_test (tc, test_second_sink_same_name_fails);
  tcase_add_test (tc, test_update_nothing_set);
  tcase_add_test (tc, test_update_configured_fields);
  tcase_add_test (tc, test_update_openai_voice_manual_turns);
  tcase_add_test (tc, test_audio_round_trip);
  tcase_add_test (tc, test_manual_turn_answered_at_eos);
  tcase_add_test (tc, test_gst_launch_file_to_file);
  tcase_add_test (tc, test_wrong_key_is_an_error_without_retry);
  tcase_add_test (tc, test_bad_endpoints_fail_the_state_change);
  tcase_add_test (tc, test_unsupported_caps_hint);
  return s;
}

GST_CHECK_MAIN (voicelive);
