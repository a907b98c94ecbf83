/* gst-voicelive
 * The OpenAI Realtime GA dialect end to end against the emulator's GA
 * paths: the exact GA session on the wire for both endpoint forms, the
 * refusals, the fatal beta-shape error, a spoken turn, function calls,
 * barge-in and text-only output. Check's test thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>
#include "vltest.h"
#include "vlconv.h"

#define KEY "ga-test-key"

typedef struct
{
  const gchar *props;
  const gchar *session;         /* the whole GA session object sent */
} Row;

#define FMT "\"format\":{\"type\":\"audio/pcm\",\"rate\":24000}"
#define IN_ONLY "\"audio\":{\"input\":{" FMT "}}"

/* Every property that applies to GA, as the GA session carries it (no
 * voicelivesrc here: no output format). */
static const Row rows[] = {
  {"", "{\"type\":\"realtime\"," IN_ONLY "}"},
  {"instructions=\"Be brief.\"",
      "{\"type\":\"realtime\",\"instructions\":\"Be brief.\"," IN_ONLY "}"},
  {"modalities=text", "{\"type\":\"realtime\",\"output_modalities\":"
        "[\"text\"]," IN_ONLY "}"},
  {"modalities=text+audio", "{\"type\":\"realtime\",\"output_modalities\":"
        "[\"audio\"]," IN_ONLY "}"},
  {"max-response-output-tokens=512", "{\"type\":\"realtime\"," IN_ONLY
        ",\"max_output_tokens\":512}"},
  {"max-response-output-tokens=0", "{\"type\":\"realtime\"," IN_ONLY
        ",\"max_output_tokens\":\"inf\"}"},
  {"tools=\"[{\\\"type\\\":\\\"function\\\",\\\"name\\\":\\\"get_weather\\\"}]\" " "tool-choice=get_weather", "{\"type\":\"realtime\"," IN_ONLY ",\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\"}]," "\"tool_choice\":{\"type\":\"function\",\"name\":\"get_weather\"}}"},
  {"tool-choice=required", "{\"type\":\"realtime\"," IN_ONLY
        ",\"tool_choice\":\"required\"}"},
  {"transcription-model=gpt-4o-transcribe transcription-language=en",
      "{\"type\":\"realtime\",\"audio\":{\"input\":{" FMT
        ",\"transcription\":{\"model\":\"gpt-4o-transcribe\","
        "\"language\":\"en\"}}}}"},
  {"noise-reduction=far-field", "{\"type\":\"realtime\",\"audio\":{\"input\":{"
        FMT ",\"noise_reduction\":{\"type\":\"far_field\"}}}}"},
  {"turn-detection=none", "{\"type\":\"realtime\",\"audio\":{\"input\":{" FMT
        ",\"turn_detection\":null}}}"},
  {"vad-threshold=0.3 prefix-padding-ms=250 silence-duration-ms=600 "
        "idle-timeout-ms=8000 create-response=false interrupt-response=false",
      "{\"type\":\"realtime\",\"audio\":{\"input\":{" FMT
        ",\"turn_detection\":{\"type\":\"server_vad\",\"threshold\":0.3,"
        "\"prefix_padding_ms\":250,\"silence_duration_ms\":600,"
        "\"idle_timeout_ms\":8000,\"create_response\":false,"
        "\"interrupt_response\":false}}}}"},
  {"turn-detection=semantic-vad eagerness=high",
      "{\"type\":\"realtime\",\"audio\":{\"input\":{" FMT
        ",\"turn_detection\":{\"type\":\"semantic_vad\",\"eagerness\":"
        "\"high\"}}}}"},
  {"voice=marin speed=1.25", "{\"type\":\"realtime\",\"audio\":{\"input\":{"
        FMT "},\"output\":{\"voice\":\"marin\",\"speed\":1.25}}}"},
};

/* Properties with no GA equivalent, each with a value */
static const gchar *const refused[][2] = {
  {"temperature", "0.7"},
  {"voice-type", "azure-standard"},
  {"voice-temperature", "0.5"},
  {"voice-rate", "+10%"},
  {"voice-endpoint-id", "abc"},
  {"end-of-utterance-model", "semantic-detection-v1"},
  {"end-of-utterance-threshold", "high"},
  {"end-of-utterance-timeout-ms", "2000"},
  {"echo-cancellation", "server"},
  {"speech-duration-ms", "100"},
  {"remove-filler-words", "true"},
  {"auto-truncate", "true"},
  {"phrase-list", "a,b"},
  {"word-timestamps", "true"},
  {"visemes", "true"},
  /* Voice Live 2026 */
  {"turn-detection-languages", "en,de"},
  {"appended-text-after-truncation", " [cut]"},
  {"voice-pitch", "+5%"},
  {"voice-volume", "+10"},
  {"voice-style", "cheerful"},
  {"voice-locale", "en-US"},
  {"voice-prefer-locales", "en-GB,es-ES"},
  {"voice-custom-lexicon-url", "https://example.com/l.xml"},
  {"voice-custom-text-normalization-url", "https://example.com/n.json"},
  {"voice-model", "DragonLatestNeural"},
  {"transcription-prompt", "Contoso"},
  {"transcription-custom-speech", "zh-CN=g1"},
  {"include", "logprobs"},
  {"parallel-tool-calls", "false"},
  {"interim-response-type", "llm"},
  {"interim-response-triggers", "tool"},
  {"interim-response-latency-ms", "1500"},
  {"interim-response-texts", "One moment."},
  {"interim-response-instructions", "Be brief."},
  {"interim-response-json", "{\"type\":\"llm_interim_response\"}"},
  {"end-of-utterance-model", "smart-end-of-turn-detection"},
  /* values with no GA form */
  {"noise-reduction", "azure-deep-noise-suppression"},
  {"turn-detection", "azure-semantic-vad"},
};

/* A sink on the emulator's @suffix path, connecting */
static GstElement *
start_sink (VlEmulator * emu, const gchar * suffix, const gchar * props)
{
  return vl_test_start_pair (24000, "endpoint=%s%s api-key=" KEY " %s",
      emu->url, suffix, props);
}

static void
check_form (const gchar * suffix, const gchar * auth)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, NULL);
  guint r;

  for (r = 0; r < G_N_ELEMENTS (rows); r++) {
    GstElement *p = start_sink (emu, suffix, rows[r].props);
    GPtrArray *rec = vl_emulator_wait (emu, "server", "session.updated",
        r + 1, 10000);
    JsonNode *line, *conn;
    JsonNode *sess;
    gchar *got;

    fail_unless (rec != NULL, "%s row %u (%s): no session.updated (the "
        "emulator refused the session?)", suffix, r, rows[r].props);
    line = vl_rec_find (rec, "client", "session.update", r);
    sess = json_object_get_member (vl_rec_event (line), "session");
    got = json_to_string (sess, FALSE);
    fail_unless (vl_json_text_equal (got, rows[r].session),
        "%s row %u (%s):\n got: %s\nwant: %s", suffix, r, rows[r].props, got,
        rows[r].session);
    g_free (got);
    fail_unless_equals_int (vl_rec_count (rec, "server", "error"), 0);
    /* GA: no beta header, no api-version; bearer or api-key */
    conn = vl_rec_find (rec, "meta", "#connect", r);
    fail_unless (vl_json_member_string (json_node_get_object (conn),
            "headers", "openai-beta") == NULL);
    fail_unless (vl_json_member_string (json_node_get_object (conn),
            "query", "api-version") == NULL);
    fail_unless_equals_string (json_object_get_string_member
        (json_node_get_object (conn), "auth"), auth);
    g_ptr_array_unref (rec);
    gst_element_set_state (p, GST_STATE_NULL);
    gst_object_unref (p);
  }
  vl_emulator_stop (emu);
}

GST_START_TEST (test_ga_session_openai)
{
  check_form ("/v1/realtime?model=gpt-realtime", "bearer");
}

GST_END_TEST;

GST_START_TEST (test_ga_session_azure_openai)
{
  /* a deployment named like its model: the emulator gates semantic_vad on
   * the model name */
  check_form ("/openai/v1/realtime?model=gpt-realtime", "api-key");
}

GST_END_TEST;

GST_START_TEST (test_ga_refuses_properties)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (refused); i++) {
    GstElement *sink = gst_element_factory_make ("voicelivesink", NULL);
    GError *err;
    gchar *quoted = g_strdup_printf ("'%s'", refused[i][0]);

    g_object_set (sink, "endpoint",
        "wss://api.openai.com/v1/realtime?model=gpt-realtime", NULL);
    gst_util_set_object_arg (G_OBJECT (sink), refused[i][0], refused[i][1]);
    err = vl_test_ready_error (sink);
    fail_unless (err != NULL, "%s accepted in GA", refused[i][0]);
    fail_unless (strstr (err->message, quoted) != NULL
        && strstr (err->message, "openai") != NULL, "%s: %s", refused[i][0],
        err->message);
    g_clear_error (&err);
    g_free (quoted);

    /* The same value is fine in the voice-live dialect */
    g_object_set (sink, "endpoint", "ws://127.0.0.1:9", NULL);
    fail_unless_equals_int (gst_element_set_state (sink, GST_STATE_READY),
        GST_STATE_CHANGE_SUCCESS);
    gst_element_set_state (sink, GST_STATE_NULL);
    gst_object_unref (sink);
  }
}

GST_END_TEST;

GST_START_TEST (test_ga_live_change_refused)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  GstElement *p = start_sink (emu, "/v1/realtime?model=gpt-realtime", "");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (p), "sink");
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *msg;
  GError *err = NULL;
  gdouble t;

  fail_unless (vl_emulator_wait_for (emu, "server", "session.updated", 1,
          10000));
  g_object_set (sink, "temperature", 0.7, NULL);
  msg = vl_bus_wait (bus, GST_MESSAGE_WARNING, NULL, 5000);
  fail_unless (msg != NULL, "no warning for temperature in GA");
  gst_message_parse_warning (msg, &err, NULL);
  fail_unless (strstr (err->message, "'temperature'") != NULL, "%s",
      err->message);
  g_clear_error (&err);
  gst_message_unref (msg);
  g_object_get (sink, "temperature", &t, NULL);
  fail_unless (t == 0.8, "the refused value was kept");

  /* A GA property changes its whole nested object */
  g_object_set (sink, "vad-threshold", 0.6, NULL);
  fail_unless (vl_emulator_wait_for (emu, "client", "session.update", 2,
          10000));
  {
    GPtrArray *rec = vl_emulator_record (emu);
    JsonNode *line = vl_rec_find (rec, "client", "session.update", 1);
    gchar *got = json_to_string (json_object_get_member (vl_rec_event (line),
            "session"), FALSE);

    fail_unless (vl_json_text_equal (got, "{\"type\":\"realtime\",\"audio\":"
            "{\"input\":{\"turn_detection\":{\"type\":\"server_vad\","
            "\"threshold\":0.6}}}}"), "%s", got);
    g_free (got);
    g_ptr_array_unref (rec);
  }
  fail_unless (vl_emulator_wait_for (emu, "server", "session.updated", 2,
          10000));
  {
    gchar *proto = NULL;
    GstStructure *stats;

    g_object_get (sink, "stats", &stats, NULL);
    proto = g_strdup (gst_structure_get_string (stats, "protocol"));
    fail_unless_equals_string (proto, "openai");
    g_free (proto);
    gst_structure_free (stats);
  }
  gst_object_unref (bus);
  gst_object_unref (sink);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* protocol=voice-live forced on a GA path: one attempt, a clear error */
GST_START_TEST (test_ga_beta_shape_fatal)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  GstElement *p = vl_test_pipeline_new_pair (24000, "endpoint=%s/v1/realtime"
      "?model=gpt-realtime protocol=voice-live max-reconnect-attempts=3",
      emu->url);
  GstElement *in = gst_bin_get_by_name (GST_BIN (p), "in");
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *msg;
  GError *err = NULL;
  GPtrArray *rec;

  fail_unless (gst_element_set_state (p, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  vl_test_push_speech (in, 24000, 0, 100, 100);
  msg = vl_bus_wait (bus, GST_MESSAGE_ERROR, NULL, 10000);
  fail_unless (msg != NULL, "no error");
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (strstr (err->message, "beta_api_shape_disabled") != NULL
      && strstr (err->message, "protocol=openai") != NULL, "%s", err->message);
  g_clear_error (&err);
  gst_message_unref (msg);
  /* No reconnect loop: still one connection a while later */
  g_usleep (1500000);
  rec = vl_emulator_record (emu);
  fail_unless_equals_int (vl_rec_count (rec, "meta", "#connect"), 1);
  fail_unless_equals_int (vl_rec_count (rec, "server", "error"), 1);
  /* and closed with 4000, as api.openai.com does */
  {
    JsonNode *d = vl_rec_find (rec, "meta", "#disconnect", 0);

    fail_unless (d != NULL, "no #disconnect");
    fail_unless_equals_int (json_object_get_int_member (json_node_get_object
            (d), "code"), 4000);
    fail_unless_equals_string (json_object_get_string_member
        (json_node_get_object (d), "by"), "server");
  }
  g_ptr_array_unref (rec);
  gst_object_unref (in);
  gst_object_unref (bus);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* A spoken turn in GA: the answer sample-exact, its transcript, GA names */
GST_START_TEST (test_ga_spoken_turn)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "300", NULL);
  GstElement *p = vl_test_pipeline_new_pair (24000, "endpoint=%s/v1/realtime"
      "?model=gpt-realtime  voicelivesrc is-live=false ! "
      "appsink name=out sync=false", emu->url);
  GstElement *in = gst_bin_get_by_name (GST_BIN (p), "in");
  GstElement *out = gst_bin_get_by_name (GST_BIN (p), "out");
  GstBus *bus = gst_element_get_bus (p);
  GByteArray *answer = g_byte_array_new ();
  GstMessage *msg;
  GPtrArray *rec;
  gboolean final_transcript = FALSE;

  fail_unless (gst_element_set_state (p, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (vl_test_push_speech (in, 24000, 0, 400, 800),
      GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (in));
  while (vl_test_pull_append (out, answer, 30 * GST_SECOND));
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (out)));
  vl_test_assert_answer (answer->data, answer->len, 1, 300 * 24, 24000,
      "pcm16");

  while ((msg = vl_bus_wait (bus, GST_MESSAGE_ELEMENT, NULL, 1000))) {
    const GstStructure *s = gst_message_get_structure (msg);
    gboolean final = FALSE;

    if (gst_structure_has_name (s, "voicelive/response-transcript")
        && gst_structure_get_boolean (s, "final", &final) && final) {
      vl_docs_check_message (s);
      fail_unless_equals_string (gst_structure_get_string (s, "event-type"),
          "response.output_audio_transcript.done");
      final_transcript = TRUE;
    }
    gst_message_unref (msg);
    if (final_transcript)
      break;
  }
  fail_unless (final_transcript, "no final response-transcript");
  rec = vl_emulator_record (emu);
  fail_unless (vl_rec_count (rec, "server", "response.output_audio.delta")
      > 0);
  fail_unless_equals_int (vl_rec_count (rec, "server", "response.audio.delta"),
      0);
  fail_unless_equals_int (vl_rec_count (rec, "server", "error"), 0);
  g_ptr_array_unref (rec);

  g_byte_array_unref (answer);
  gst_object_unref (in);
  gst_object_unref (out);
  gst_object_unref (bus);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* Two calls in one response, both results, one response.create: the GA
 * wire (strict session, GA event names) end to end. */
GST_START_TEST (test_ga_function_round_trip)
{
  gchar *script = vl_script_write (VL_CONV_TWO_CALLS_SCRIPT);
  VlEmulator *emu = vl_emulator_start ("--script", script, NULL);
  VlConv *conv;
  GPtrArray *m, *rec;
  GByteArray *out;
  const GstStructure *s;
  JsonObject *item;
  gint out_t;

  vl_emulator_use_ga_path (emu);
  conv = vl_conv_new (emu, 24000, VL_CONV_TWO_CALLS_TOOLS, NULL, NULL);
  out = vl_conv_two_calls_run (conv);
  m = vl_conv_find (conv, "voicelive/function-call");
  s = gst_message_get_structure (g_ptr_array_index (m, 1));
  fail_unless_equals_string (gst_structure_get_string (s, "name"), "get_time");
  fail_unless_equals_string (gst_structure_get_string (s, "call-id"),
      "call_t1");
  g_ptr_array_unref (m);

  /* Both outputs, then one response.create after the first response */
  rec = vl_emulator_record (emu);
  fail_unless_equals_int (vl_rec_count (rec, "server",
          "response.function_call_arguments.done"), 2);
  /* GA: item.added/item.done, never the beta item.created */
  fail_unless (vl_rec_count (rec, "server", "conversation.item.added") > 0);
  fail_unless_equals_int (vl_rec_count (rec, "server",
          "conversation.item.created"), 0);
  vl_rec_assert_two_call_outputs (rec, &out_t);
  item = json_object_get_object_member (vl_rec_event (g_ptr_array_index (rec,
              out_t)), "item");
  fail_unless_equals_string (json_object_get_string_member (item, "call_id"),
      "call_t1");
  g_ptr_array_unref (rec);

  /* The answer after the results: response 2's audio, and its transcript */
  vl_conv_assert_two_call_answer (conv, out);

  g_byte_array_unref (out);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
  vl_script_remove (script);
}

GST_END_TEST;

/* modalities=text: output_modalities ["text"] on the wire, the answer as
 * response.output_text.* and voicelive/response-text, no audio. */
GST_START_TEST (test_ga_text_only)
{
  VlEmulator *emu = vl_emulator_start ("--reply-text", "Hi there, friend.",
      NULL);
  VlConv *conv;
  GPtrArray *rec, *m;
  JsonObject *ev;
  JsonArray *mods;
  gboolean ret = FALSE;
  guint i;

  vl_emulator_use_ga_path (emu);
  conv = vl_conv_new (emu, 24000, "modalities=text turn-detection=none",
      NULL, NULL);
  vl_conv_start (conv);
  vl_conv_speak (conv, 0, 0, 20, FALSE);
  fail_unless (vl_emulator_wait_for (emu, "server", "session.updated", 1,
          10000));
  g_signal_emit_by_name (conv->sink, "send-text", "Hello agent", &ret);
  fail_unless (ret);
  fail_unless (vl_conv_wait_message (conv, "voicelive/response-done", 1,
          10000));

  rec = vl_emulator_record (emu);
  ev = vl_rec_event (vl_rec_find (rec, "client", "session.update", 0));
  mods = json_object_get_array_member (json_object_get_object_member (ev,
          "session"), "output_modalities");
  fail_unless (mods != NULL && json_array_get_length (mods) == 1);
  fail_unless_equals_string (json_array_get_string_element (mods, 0), "text");
  fail_unless (vl_rec_count (rec, "server", "response.output_text.delta") > 0);
  fail_unless_equals_int (vl_rec_count (rec, "server",
          "response.output_text.done"), 1);
  fail_unless_equals_int (vl_rec_count (rec, "server",
          "response.output_audio.delta"), 0);
  fail_unless_equals_int (vl_rec_count (rec, "server", "response.text.delta"),
      0);
  fail_unless_equals_int (vl_rec_count (rec, "server", "error"), 0);
  /* Any response.create the element sent is GA-shaped too */
  for (i = 0; i < vl_rec_count (rec, "client", "response.create"); i++) {
    JsonObject *c = vl_rec_event (vl_rec_find (rec, "client",
            "response.create", i));
    JsonObject *r = json_object_has_member (c, "response") ?
        json_object_get_object_member (c, "response") : NULL;

    fail_if (r && json_object_has_member (r, "modalities"));
  }
  g_ptr_array_unref (rec);

  vl_conv_assert_text_answer (conv, "Hi there, friend.");
  m = vl_conv_find (conv, "voicelive/response-text");
  for (i = 0; i < m->len; i++) {
    const GstStructure *s =
        gst_message_get_structure (g_ptr_array_index (m, i));

    vl_docs_check_message (s);
    fail_unless (g_str_has_prefix (gst_structure_get_string (s,
                "event-type"), "response.output_text."), "%s",
        gst_structure_get_string (s, "event-type"));
  }
  g_ptr_array_unref (m);

  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* ---- barge-in in real time on the GA path ---- */

/* Talking over the answer: response.cancel, then the truncate at the
 * position the listener had heard, accepted by the GA emulator. */
GST_START_TEST (test_ga_barge_in_truncates_at_heard_audio)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "6000", "--realtime",
      NULL);
  GstElement *p;
  VlHeard *heard;
  GstBus *bus;
  GPtrArray *rec;
  JsonNode *started;
  JsonObject *trunc;
  gint64 speech_started_us;
  guint i;

  vl_emulator_use_ga_path (emu);
  p = vl_test_pipeline_new_mic (24000, emu->url, "", "prebuffer-ms=0");
  heard = vl_heard_new (vl_test_child (p, "out"));
  bus = gst_element_get_bus (p);
  /* The GA server cancels the answer by itself (interrupt_response):
   * when its response.done comes first the element has nothing to
   * cancel (seen under valgrind), so its barge-in is the truncate */
  vl_test_talk_over (emu, p, "voicelive/playback-started",
      "conversation.item.truncate");
  fail_unless (vl_emulator_wait_for (emu, "server",
          "conversation.item.truncated", 1, 10000), "no truncated");
  rec = vl_emulator_record (emu);
  started = vl_rec_find (rec, "server", "input_audio_buffer.speech_started", 1);
  fail_unless (started != NULL);
  speech_started_us = json_object_get_int_member (json_node_get_object
      (started), "mono_us");

  vl_heard_assert_truncate (heard, rec, speech_started_us, bus);
  trunc = vl_rec_event (vl_rec_find (rec, "client",
          "conversation.item.truncate", 0));
  fail_unless_equals_int (json_object_get_int_member (trunc,
          "content_index"), 0);
  /* the truncated item is the answer's, and the GA emulator took it */
  fail_unless_equals_string (json_object_get_string_member (trunc,
          "item_id"), json_object_get_string_member (vl_rec_event
          (vl_rec_find (rec, "server", "response.output_audio.delta", 0)),
          "item_id"));
  /* The server cancels on its own (interrupt_response), so the element's
   * response.cancel may find nothing active: the one benign error. */
  for (i = 0; i < vl_rec_count (rec, "server", "error"); i++) {
    JsonObject *e = json_object_get_object_member (vl_rec_event (vl_rec_find
            (rec, "server", "error", i)), "error");

    fail_unless_equals_string (json_object_get_string_member (e, "code"),
        "response_cancel_not_active");
  }
  g_ptr_array_unref (rec);

  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (p);
  vl_heard_free (heard);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* A reconnect with restore-conversation on the GA path: the conversation
 * replayed as GA items (the assistant's text an output_text part, which
 * the GA emulator checks like the service), before the new audio. */
GST_START_TEST (test_ga_reconnect_restores_ga_items)
{
  VlEmulator *emu = vl_emulator_start ("--drop-after-responses", "1",
      "--max-drops", "1", "--reply-ms", "300", NULL);
  VlConv *conv;
  GByteArray *out;
  GPtrArray *rec;
  gint i_user = -1, i_agent = -1, i_append2 = -1;
  guint i;

  vl_emulator_use_ga_path (emu);
  conv = vl_conv_new_named (emu, "garestore", 24000,
      "restore-conversation=true transcription-model=gpt-4o-transcribe",
      NULL, NULL);
  vl_conv_start (conv);
  vl_conv_speak (conv, 0, 600, 700, FALSE);
  fail_unless (vl_emulator_wait_for (emu, "meta", "#connect", 2, 15000));
  fail_unless (vl_conv_wait_message (conv, "voicelive/session-updated", 2,
          10000));
  vl_conv_speak (conv, 1300, 600, 700, TRUE);
  out = vl_conv_pull_all (conv, 30000);

  rec = vl_emulator_record (emu);
  fail_unless_equals_int (vl_rec_count (rec, "meta", "#drop"), 1);
  for (i = 0; i < rec->len; i++) {
    JsonNode *l = g_ptr_array_index (rec, i);
    JsonObject *item, *part;
    const gchar *role;

    if (vl_rec_conn (l) != 2 || g_strcmp0 (vl_rec_dir (l), "client") != 0)
      continue;
    if (i_append2 < 0
        && g_str_equal (vl_rec_type (l), "input_audio_buffer.append"))
      i_append2 = i;
    if (!g_str_equal (vl_rec_type (l), "conversation.item.create"))
      continue;
    item = json_object_get_object_member (vl_rec_event (l), "item");
    role = json_object_get_string_member (item, "role");
    part = json_array_get_object_element (json_object_get_array_member (item,
            "content"), 0);
    if (g_str_equal (role, "user")) {
      i_user = i;
      fail_unless_equals_string (json_object_get_string_member (part,
              "type"), "input_text");
    } else {
      i_agent = i;
      fail_unless_equals_string (role, "assistant");
      fail_unless_equals_string (json_object_get_string_member (part,
              "type"), "output_text");
      fail_unless_equals_string (json_object_get_string_member (part,
              "text"), "This is answer number 1 from the Voice Live "
          "emulator.");
    }
  }
  fail_unless (i_user >= 0 && i_agent > i_user, "user %d, assistant %d",
      i_user, i_agent);
  fail_unless (i_append2 > i_agent);
  /* the GA emulator took both items */
  fail_unless_equals_int (vl_rec_count (rec, "server", "error"), 0);
  g_ptr_array_unref (rec);

  g_byte_array_unref (out);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static Suite *
voicelive_ga_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("voicelive-ga", 120, &tc);

  tcase_add_test (tc, test_ga_session_openai);
  tcase_add_test (tc, test_ga_session_azure_openai);
  tcase_add_test (tc, test_ga_refuses_properties);
  tcase_add_test (tc, test_ga_live_change_refused);
  tcase_add_test (tc, test_ga_beta_shape_fatal);
  tcase_add_test (tc, test_ga_spoken_turn);
  tcase_add_test (tc, test_ga_function_round_trip);
  tcase_add_test (tc, test_ga_text_only);
  tcase_add_test (tc, test_ga_barge_in_truncates_at_heard_audio);
  tcase_add_test (tc, test_ga_reconnect_restores_ga_items);
  return s;
}

GST_CHECK_MAIN (voicelive_ga);
