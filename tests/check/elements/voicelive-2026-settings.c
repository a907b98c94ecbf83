/* gst-voicelive: the Voice Live 2026-07-15 settings of voicelivesink
 * (protocol-2026.md §2): live changes send whole nested objects, fields are
 * gated by api-version, the service's refusals (emulated) reach the bus
 * with the property and advice. The wire JSON of each property is in the
 * table of elements/voicelivesink-properties.c.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <gst/check/gstcheck.h>
#include "vltest.h"

static GstElement *
start_sink (VlEmulator * emu, const gchar * props, GstBus ** bus)
{
  GstElement *p = vl_test_pipeline_new_pair (16000, "endpoint=%s %s",
      emu->url, props);

  vl_test_start_with_silence (p, 16000);
  if (bus)
    *bus = gst_element_get_bus (p);
  return p;
}

static GstElement *
sink_of (GstElement * p)
{
  return gst_bin_get_by_name (GST_BIN (p), "sink");
}

/* The session object of the @n-th (0-based) client session.update */
static gchar *
nth_session_update (VlEmulator * emu, guint n)
{
  GPtrArray *rec = vl_emulator_wait (emu, "client", "session.update", n + 1,
      10000);
  JsonNode *node;
  gchar *s;

  fail_unless (rec != NULL, "no session.update #%u", n + 1);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, json_object_get_object_member (vl_rec_event
          (vl_rec_find (rec, "client", "session.update", n)), "session"));
  s = json_to_string (node, FALSE);
  json_node_unref (node);
  g_ptr_array_unref (rec);
  return s;
}

#define TD "\"type\":\"azure_semantic_vad\""
#define EOU(t) "\"end_of_utterance_detection\":{\"model\":" \
    "\"semantic_detection_v1\",\"threshold_level\":\"default\"," \
    "\"timeout_ms\":" t "}"

/* Each change while PLAYING, and the session object the service must get:
 * the whole nested object as configured, not the one member. */
static const struct
{
  const gchar *prop, *value, *session;
} live[] = {
  {"vad-threshold", "0.7", "{\"turn_detection\":{" TD ",\"threshold\":0.7,"
        "\"silence_duration_ms\":600," EOU ("1000") "}}"},
  {"end-of-utterance-timeout-ms", "1500", "{\"turn_detection\":{" TD
        ",\"threshold\":0.7,\"silence_duration_ms\":600," EOU ("1500") "}}"},
  {"turn-detection-languages", "en,de", "{\"turn_detection\":{" TD
        ",\"threshold\":0.7,\"silence_duration_ms\":600,\"languages\":"
        "[\"en\",\"de\"]," EOU ("1500") "}}"},
  {"voice-rate", "1.3", "{\"voice\":{\"name\":\"en-US-AvaNeural\","
        "\"type\":\"azure-standard\",\"rate\":\"1.3\",\"style\":"
        "\"cheerful\"}}"},
  {"voice-pitch", "+5%", "{\"voice\":{\"name\":\"en-US-AvaNeural\","
        "\"type\":\"azure-standard\",\"rate\":\"1.3\",\"style\":"
        "\"cheerful\",\"pitch\":\"+5%\"}}"},
  {"transcription-language", "de-DE", "{\"input_audio_transcription\":"
        "{\"model\":\"azure-speech\",\"language\":\"de-DE\",\"phrase_list\":"
        "[\"Contoso\"]}}"},
  {"interim-response-latency-ms", "1500", "{\"interim_response\":{\"type\":"
        "\"static_interim_response\",\"triggers\":[\"latency\"],"
        "\"latency_threshold_ms\":1500,\"texts\":[\"One moment.\"]}}"},
};

GST_START_TEST (test_live_changes_send_whole_objects)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  GstBus *bus;
  GstElement *p = start_sink (emu, "turn-detection=azure-semantic-vad "
      "vad-threshold=0.4 silence-duration-ms=600 "
      "end-of-utterance-model=semantic-detection-v1 voice=en-US-AvaNeural "
      "voice-style=cheerful transcription-model=azure-speech "
      "transcription-language=en-US phrase-list=Contoso "
      "interim-response-type=static interim-response-texts=\"One moment.\"",
      &bus);
  GstElement *sink = sink_of (p);
  GstMessage *msg;
  guint i;

  fail_unless (vl_emulator_wait_for (emu, "server", "session.updated", 1,
          10000));
  for (i = 0; i < G_N_ELEMENTS (live); i++) {
    gchar *got;

    gst_util_set_object_arg (G_OBJECT (sink), live[i].prop, live[i].value);
    got = nth_session_update (emu, i + 1);
    fail_unless (vl_json_text_equal (got, live[i].session),
        "%s=%s:\n got: %s\nwant: %s", live[i].prop, live[i].value, got,
        live[i].session);
    g_free (got);
    /* the service took each one */
    fail_unless (vl_emulator_wait_for (emu, "server", "session.updated",
            i + 2, 10000), "%s refused", live[i].prop);
  }
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING | GST_MESSAGE_ERROR);
  fail_if (msg != NULL, "unexpected %" GST_PTR_FORMAT, msg);
  gst_object_unref (bus);
  gst_object_unref (sink);
  vl_test_stop_pipeline (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* A field set back to its unsent default still re-sends its object, so
 * the service drops the old value. */
GST_START_TEST (test_live_unset_resends_object)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  GstElement *p = start_sink (emu, "model=gpt-realtime "
      "turn-detection=semantic-vad eagerness=low", NULL);
  GstElement *sink = sink_of (p);
  gchar *got;

  fail_unless (vl_emulator_wait_for (emu, "server", "session.updated", 1,
          10000));
  gst_util_set_object_arg (G_OBJECT (sink), "eagerness", "auto");
  got = nth_session_update (emu, 1);
  fail_unless (vl_json_text_equal (got,
          "{\"turn_detection\":{\"type\":\"semantic_vad\"}}"), "%s", got);
  g_free (got);
  gst_object_unref (sink);
  vl_test_stop_pipeline (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* Each field that needs a newer api-version, the version, and the property
 * named */
static const struct
{
  const gchar *props, *needs, *property;
} gated[] = {
  {"end-of-utterance-model=smart-end-of-turn-detection",
      "2026-06-01-preview", "'end-of-utterance-model'"},
  {"parallel-tool-calls=false", "2026-06-01-preview",
      "'parallel-tool-calls'"},
  {"tools=[{\"type\":\"mcp\",\"server_label\":\"d\",\"server_url\":"
        "\"https://example.com/mcp\"}]", "2026-04-10", "'tools'"},
  {"voice=ava", "2026-01-01-preview", "'voice'"},
  {"voice=x voice-type=azure-realtime-native", "2026-01-01-preview",
      "'voice-type'"},
  {"interim-response-type=llm", "2026-01-01-preview",
      "'interim-response-type'"},
  {"interim-response-json={\"type\":\"llm_interim_response\"}",
      "2026-01-01-preview", "'interim-response-json'"},
};

static void
set_props (GstElement * e, const gchar * props)
{
  /* name=value pairs separated by spaces; values here hold none */
  gchar **kv = g_strsplit (props, " ", -1);
  guint i;

  for (i = 0; kv[i]; i++) {
    gchar *eq = strchr (kv[i], '=');

    *eq = '\0';
    gst_util_set_object_arg (G_OBJECT (e), kv[i], eq + 1);
  }
  g_strfreev (kv);
}

static GError *
ready_error (const gchar * api_version, const gchar * props)
{
  GstElement *sink = gst_element_factory_make ("voicelivesink", NULL);
  GError *err;

  g_object_set (sink, "endpoint", "ws://127.0.0.1:9", "api-version",
      api_version, NULL);
  set_props (sink, props);
  err = vl_test_ready_error (sink);
  gst_object_unref (sink);
  return err;
}

GST_START_TEST (test_api_version_gates_at_ready)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (gated); i++) {
    GError *err = ready_error ("2025-10-01", gated[i].props);
    GstElement *sink;

    fail_unless (err != NULL, "%s accepted on 2025-10-01", gated[i].props);
    fail_unless (strstr (err->message, gated[i].property) != NULL
        && strstr (err->message, gated[i].needs) != NULL, "%s: %s",
        gated[i].props, err->message);
    g_clear_error (&err);

    /* The version it needs, a later one, and a custom label: accepted */
    sink = gst_element_factory_make ("voicelivesink", NULL);
    g_object_set (sink, "endpoint", "ws://127.0.0.1:9", NULL);
    set_props (sink, gated[i].props);
    g_object_set (sink, "api-version", gated[i].needs, NULL);
    fail_unless (gst_element_set_state (sink, GST_STATE_READY) ==
        GST_STATE_CHANGE_SUCCESS, "%s refused on %s", gated[i].props,
        gated[i].needs);
    gst_element_set_state (sink, GST_STATE_NULL);
    g_object_set (sink, "api-version", "2026-07-15", NULL);
    fail_unless (gst_element_set_state (sink, GST_STATE_READY) ==
        GST_STATE_CHANGE_SUCCESS);
    gst_element_set_state (sink, GST_STATE_NULL);
    g_object_set (sink, "api-version", "private-build", NULL);
    fail_unless (gst_element_set_state (sink, GST_STATE_READY) ==
        GST_STATE_CHANGE_SUCCESS);
    gst_element_set_state (sink, GST_STATE_NULL);
    gst_object_unref (sink);
  }
  /* A preview sorts before the GA of its date */
  {
    GError *err = ready_error ("2026-04-10-preview", gated[2].props);

    fail_unless (err != NULL);
    g_clear_error (&err);
  }
}

GST_END_TEST;

GST_START_TEST (test_api_version_gates_live)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  GstBus *bus;
  GstElement *p = start_sink (emu, "api-version=2025-10-01", &bus);
  GstElement *sink = sink_of (p);
  GstMessage *msg;
  GError *err = NULL;
  gboolean parallel;

  fail_unless (vl_emulator_wait_for (emu, "server", "session.updated", 1,
          10000));
  g_object_set (sink, "parallel-tool-calls", FALSE, NULL);
  msg = vl_bus_wait (bus, GST_MESSAGE_WARNING, NULL, 5000);
  fail_unless (msg != NULL, "no warning");
  gst_message_parse_warning (msg, &err, NULL);
  fail_unless (strstr (err->message, "'parallel-tool-calls'") != NULL
      && strstr (err->message, "2026-06-01-preview") != NULL, "%s",
      err->message);
  g_clear_error (&err);
  gst_message_unref (msg);
  /* kept the old value, sent nothing */
  g_object_get (sink, "parallel-tool-calls", &parallel, NULL);
  fail_unless (parallel);
  g_object_set (sink, "instructions", "barrier", NULL);
  fail_unless (vl_emulator_wait_for (emu, "client", "session.update", 2,
          10000));
  fail_unless_equals_int (vl_emulator_count (emu, "client", "session.update"),
      2);
  gst_object_unref (bus);
  gst_object_unref (sink);
  vl_test_stop_pipeline (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* The service's warning for @props (with @model), as the bus shows it */
static GstMessage *
service_warning (VlEmulator * emu, const gchar * props, GstElement ** p)
{
  GstBus *bus;
  GstMessage *msg;

  *p = start_sink (emu, props, &bus);
  msg = vl_bus_wait (bus, GST_MESSAGE_WARNING, NULL, 10000);
  gst_object_unref (bus);
  return msg;
}

/* protocol-2026.md §2.1: text-based end of utterance on a speech-native
 * model fails the whole session.update; the warning says what to use. */
GST_START_TEST (test_text_eou_refused_on_gpt_realtime)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  GstElement *p;
  GstMessage *msg = service_warning (emu, "model=gpt-realtime "
      "end-of-utterance-model=semantic-detection-v1", &p);
  const GstStructure *details = NULL;
  GPtrArray *rec;
  JsonObject *error;
  GError *err = NULL;

  fail_unless (msg != NULL, "no warning");
  gst_message_parse_warning (msg, &err, NULL);
  gst_message_parse_warning_details (msg, &details);
  fail_unless (strstr (err->message, "'end-of-utterance-model'") != NULL
      && strstr (err->message, "smart-end-of-turn-detection") != NULL
      && strstr (err->message, "cascaded model") != NULL, "%s", err->message);
  fail_unless_equals_string (gst_structure_get_string (details, "param"),
      "session.turn_detection.end_of_utterance_detection");
  fail_unless_equals_string (gst_structure_get_string (details, "code"),
      "invalid_request_error");
  g_clear_error (&err);
  gst_message_unref (msg);

  /* The emulator's error is the service's, verbatim */
  rec = vl_emulator_wait (emu, "server", "error", 1, 5000);
  fail_unless (rec != NULL);
  error = json_object_get_object_member (vl_rec_event (vl_rec_find (rec,
              "server", "error", 0)), "error");
  fail_unless_equals_string (json_object_get_string_member (error,
          "message"), "Text-based end-of-utterance detection requires a "
      "local speech recognizer and is only supported on cascaded pipelines.");
  fail_unless_equals_string (json_object_get_string_member (error, "type"),
      "invalid_request_error");
  fail_unless (json_object_get_null_member (error, "event_id"));
  g_ptr_array_unref (rec);
  vl_test_stop_pipeline (p);

  /* Smart end of turn is taken on the same model */
  {
    GstBus *bus;

    p = start_sink (emu, "model=gpt-realtime "
        "end-of-utterance-model=smart-end-of-turn-detection", &bus);
    fail_unless (vl_emulator_wait_for (emu, "server", "session.updated", 1,
            10000));
    fail_unless_equals_int (vl_emulator_count (emu, "server", "error"), 1);
    gst_object_unref (bus);
    vl_test_stop_pipeline (p);
  }
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* Fields the emulator, like the service, refuses, and the param named */
static const struct
{
  const gchar *props, *param, *property;
} refused[] = {
  {"transcription-model=azure-speech transcription-prompt=Contoso",
      "session.input_audio_transcription.prompt", "transcription-prompt"},
  {"transcription-model=whisper-1 transcription-custom-speech=en-US=g1",
        "session.input_audio_transcription.custom_speech",
      "transcription-custom-speech"},
  {"voice=ava", "session.voice.type", "voice-type"},
  {"model=gpt-realtime interim-response-type=static "
        "interim-response-texts=Hm", "session.interim_response",
      "interim-response-json"},
  {"interim-response-json=\"{\\\"type\\\":\\\"static_interim_response\\\","
        "\\\"triggers\\\":[\\\"often\\\"]}\"",
      "session.interim_response.triggers", "interim-response-triggers"},
};

GST_START_TEST (test_emulator_refuses_fields)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (refused); i++) {
    VlEmulator *emu = vl_emulator_start (NULL);
    GstElement *p;
    GstMessage *msg = service_warning (emu, refused[i].props, &p);
    const GstStructure *details = NULL;

    fail_unless (msg != NULL, "%s: no warning", refused[i].props);
    gst_message_parse_warning_details (msg, &details);
    fail_unless_equals_string (gst_structure_get_string (details, "param"),
        refused[i].param);
    fail_unless_equals_string (gst_structure_get_string (details, "type"),
        "invalid_request_error");
    fail_unless_equals_string (gst_structure_get_string (details,
            "property"), refused[i].property);
    gst_message_unref (msg);
    vl_test_stop_pipeline (p);
    vl_emulator_stop (emu);
  }
}

GST_END_TEST;

/* §2.8 CONFLICT: the reference's hyphens are accepted too (raw update) */
GST_START_TEST (test_emulator_accepts_both_interim_spellings)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  GstElement *p = start_sink (emu, "", NULL);
  GstElement *sink = sink_of (p);
  gboolean ok = FALSE;

  fail_unless (vl_emulator_wait_for (emu, "server", "session.updated", 1,
          10000));
  g_signal_emit_by_name (sink, "update-session", "{\"interim-response\":"
      "{\"type\":\"static-interim-response\",\"triggers\":[\"tool\"],"
      "\"texts\":[\"One moment.\"]}}", &ok);
  fail_unless (ok);
  fail_unless (vl_emulator_wait_for (emu, "server", "session.updated", 2,
          10000));
  fail_unless_equals_int (vl_emulator_count (emu, "server", "error"), 0);
  gst_object_unref (sink);
  vl_test_stop_pipeline (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

GST_START_TEST (test_bad_values_refused_at_ready)
{
  static const gchar *const bad[][2] = {
    {"tools=[{\"type\":\"mcp\",\"server_label\":\"d\"}]", "tools"},
    {"tools=[{\"type\":\"foundry_agent\",\"agent_name\":\"a\"}]", "tools"},
    {"tools=[{\"type\":\"function\"}]", "tools"},
    {"transcription-model=azure-speech transcription-custom-speech=zh-CN",
        "transcription-custom-speech"},
    {"interim-response-json=[1]", "interim-response-json"},
    {"interim-response-type=static", "interim-response-texts"},
    {"interim-response-type=llm interim-response-triggers=0",
        "interim-response-triggers"},
    {"turn-detection=server-vad eagerness=low", "eagerness"},
    {"eagerness=high", "eagerness"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    GError *err = ready_error ("2026-07-15", bad[i][0]);

    fail_unless (err != NULL, "%s accepted", bad[i][0]);
    fail_unless (strstr (err->message, bad[i][1]) != NULL, "%s: %s",
        bad[i][0], err->message);
    g_clear_error (&err);
  }
  /* Tool types are checked by their own members; unknown types pass */
  {
    GstElement *sink = gst_element_factory_make ("voicelivesink", NULL);

    g_object_set (sink, "endpoint", "ws://127.0.0.1:9", "tools",
        "[{\"type\":\"foundry_agent\",\"agent_name\":\"a\","
        "\"project_name\":\"p\"},{\"type\":\"file_search\"}]", NULL);
    fail_unless (gst_element_set_state (sink, GST_STATE_READY) ==
        GST_STATE_CHANGE_SUCCESS);
    gst_element_set_state (sink, GST_STATE_NULL);
    gst_object_unref (sink);
  }
}

GST_END_TEST;

static Suite *
voicelive_2026_settings_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("voicelive-2026-settings", 180, &tc);

  tcase_add_test (tc, test_live_changes_send_whole_objects);
  tcase_add_test (tc, test_live_unset_resends_object);
  tcase_add_test (tc, test_api_version_gates_at_ready);
  tcase_add_test (tc, test_api_version_gates_live);
  tcase_add_test (tc, test_text_eou_refused_on_gpt_realtime);
  tcase_add_test (tc, test_emulator_refuses_fields);
  tcase_add_test (tc, test_emulator_accepts_both_interim_spellings);
  tcase_add_test (tc, test_bad_values_refused_at_ready);
  return s;
}

GST_CHECK_MAIN (voicelive_2026_settings);
