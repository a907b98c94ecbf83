/* gst-voicelive: the GA dialect of the pure protocol layer (dialect choice,
 * GA session.update, GA-only events and params, the restored conversation).
 * Check's test thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <gst/check/gstcheck.h>
#include "gstvoiceliveprotocolga.h"
#include "gstvoiceliveconversation.h"
#include "vltest.h"

GST_START_TEST (test_dialect_resolve)
{
  static const struct
  {
    GstVoiceLiveProtocol p;
    const gchar *url;
    GstVoiceLiveDialect want;
  } cases[] = {
    {GST_VOICE_LIVE_PROTOCOL_AUTO,
          "wss://api.openai.com/v1/realtime?model=gpt-realtime",
        GST_VOICE_LIVE_DIALECT_OPENAI},
    {GST_VOICE_LIVE_PROTOCOL_AUTO,
          "wss://r.openai.azure.com/openai/v1/realtime?model=dep",
        GST_VOICE_LIVE_DIALECT_OPENAI},
    {GST_VOICE_LIVE_PROTOCOL_AUTO, "ws://127.0.0.1:5/v1/realtime",
        GST_VOICE_LIVE_DIALECT_OPENAI},
    {GST_VOICE_LIVE_PROTOCOL_AUTO,
          "wss://r.openai.azure.com/openai/realtime?api-version=x&deployment=d",
        GST_VOICE_LIVE_DIALECT_VOICE_LIVE},
    {GST_VOICE_LIVE_PROTOCOL_AUTO,
          "wss://r.services.ai.azure.com/voice-live/realtime?api-version=x",
        GST_VOICE_LIVE_DIALECT_VOICE_LIVE},
    {GST_VOICE_LIVE_PROTOCOL_VOICE_LIVE,
          "wss://api.openai.com/v1/realtime",
        GST_VOICE_LIVE_DIALECT_VOICE_LIVE},
    {GST_VOICE_LIVE_PROTOCOL_OPENAI, "ws://127.0.0.1:5/voice-live/realtime",
        GST_VOICE_LIVE_DIALECT_OPENAI},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    fail_unless_equals_int (gst_voice_live_dialect_resolve (cases[i].p,
            cases[i].url), cases[i].want);
}

GST_END_TEST;

static void
assert_json (const gchar * got, const gchar * want)
{
  JsonNode *a = json_from_string (got, NULL), *b = json_from_string (want,
      NULL);

  fail_unless (a && b && json_node_equal (a, b), "\n got: %s\nwant: %s", got,
      want);
  json_node_unref (a);
  json_node_unref (b);
}

GST_START_TEST (test_ga_session_update_exact)
{
  GstVoiceLiveConfig cfg;
  gchar *s;

  gst_voice_live_config_init (&cfg);
  cfg.instructions = g_strdup ("Be brief.");
  cfg.modalities = GST_VOICE_LIVE_MODALITIES_TEXT |
      GST_VOICE_LIVE_MODALITIES_AUDIO;
  cfg.transcription_model = g_strdup ("whisper-1");
  cfg.noise_reduction = GST_VOICE_LIVE_NOISE_REDUCTION_NEAR_FIELD;
  cfg.vad_threshold = 0.1;
  cfg.idle_timeout_ms = 8000;
  cfg.voice = g_strdup ("voice_1234");
  cfg.speed = 0.9;
  cfg.max_output_tokens = 0;
  cfg.tool_choice = g_strdup ("auto");
  cfg.temperature = 1.0;        /* not a GA field: never sent */
  cfg.set = GST_VOICE_LIVE_FIELD_ALL;
  cfg.turn_detection = GST_VOICE_LIVE_TURN_DETECTION_SERVER_VAD;
  cfg.eou_model = GST_VOICE_LIVE_EOU_MODEL_NONE;
  s = gst_voice_live_ga_build_session_update (&cfg, GST_VOICE_LIVE_FIELD_ALL,
      "id1", GST_VOICE_LIVE_AUDIO_PCM16_24000, GST_VOICE_LIVE_AUDIO_G711_ULAW,
      NULL);
  assert_json (s, "{\"type\":\"session.update\",\"event_id\":\"id1\","
      "\"session\":{\"type\":\"realtime\",\"output_modalities\":[\"audio\"],"
      "\"instructions\":\"Be brief.\",\"audio\":{\"input\":{\"format\":"
      "{\"type\":\"audio/pcm\",\"rate\":24000},\"transcription\":{\"model\":"
      "\"whisper-1\"},\"noise_reduction\":{\"type\":\"near_field\"},"
      "\"turn_detection\":{\"type\":\"server_vad\",\"threshold\":0.1,"
      "\"prefix_padding_ms\":300,\"silence_duration_ms\":500,"
      "\"idle_timeout_ms\":8000,\"create_response\":true,"
      "\"interrupt_response\":true}},\"output\":{\"format\":{\"type\":"
      "\"audio/pcmu\"},\"voice\":{\"id\":\"voice_1234\"},\"speed\":0.9}},"
      "\"max_output_tokens\":\"inf\",\"tool_choice\":\"auto\"}}");
  /* doubles as typed */
  fail_unless (strstr (s, "\"threshold\":0.1,") != NULL, "%s", s);
  g_free (s);

  /* A live change of one turn field sends the whole turn_detection */
  s = gst_voice_live_ga_build_session_update (&cfg,
      GST_VOICE_LIVE_FIELD_VAD_THRESHOLD, NULL, -1, -1, NULL);
  fail_unless (strstr (s, "\"idle_timeout_ms\":8000") != NULL, "%s", s);
  fail_unless (strstr (s, "instructions") == NULL, "%s", s);
  g_free (s);

  s = gst_voice_live_dialect_barrier (GST_VOICE_LIVE_DIALECT_OPENAI, "b1");
  assert_json (s, "{\"type\":\"session.update\",\"event_id\":\"b1\","
      "\"session\":{\"type\":\"realtime\"}}");
  g_free (s);
  s = gst_voice_live_dialect_output_format_update
      (GST_VOICE_LIVE_DIALECT_OPENAI, GST_VOICE_LIVE_AUDIO_G711_ALAW);
  assert_json (s, "{\"type\":\"session.update\",\"session\":{\"type\":"
      "\"realtime\",\"audio\":{\"output\":{\"format\":{\"type\":"
      "\"audio/pcma\"}}}}}");
  g_free (s);
  gst_voice_live_config_clear (&cfg);
}

GST_END_TEST;

GST_START_TEST (test_ga_validate)
{
  GstVoiceLiveConfig cfg;
  GError *err = NULL;

  gst_voice_live_config_init (&cfg);
  cfg.set = GST_VOICE_LIVE_FIELD_NOISE_REDUCTION;
  cfg.noise_reduction = GST_VOICE_LIVE_NOISE_REDUCTION_AZURE_DEEP;
  fail_if (gst_voice_live_ga_config_validate (&cfg, &err));
  fail_unless (strstr (err->message, "'noise-reduction'") != NULL);
  g_clear_error (&err);
  cfg.set = GST_VOICE_LIVE_FIELD_TURN_TYPE | GST_VOICE_LIVE_FIELD_EAGERNESS;
  cfg.turn_detection = GST_VOICE_LIVE_TURN_DETECTION_SEMANTIC_VAD;
  fail_unless (gst_voice_live_ga_config_validate (&cfg, NULL));
  cfg.turn_detection = GST_VOICE_LIVE_TURN_DETECTION_SERVER_VAD;
  fail_if (gst_voice_live_ga_config_validate (&cfg, &err));
  fail_unless (strstr (err->message, "'eagerness'") != NULL);
  g_clear_error (&err);
  gst_voice_live_config_clear (&cfg);
}

GST_END_TEST;

GST_START_TEST (test_ga_events_and_params)
{
  JsonParser *parser = json_parser_new ();
  GstVoiceLiveEvent ev;
  const gchar *frame = "{\"type\":\"input_audio_buffer.timeout_triggered\","
      "\"event_id\":\"e\",\"item_id\":\"item_1\",\"audio_start_ms\":1200,"
      "\"audio_end_ms\":9200}";

  fail_unless (gst_voice_live_event_parse (&ev, parser, frame, -1, NULL));
  fail_unless_equals_int (ev.kind, GST_VOICE_LIVE_EVENT_INPUT_TIMEOUT);
  fail_unless_equals_string (ev.item_id, "item_1");
  fail_unless_equals_int64 (ev.audio_start_ms, 1200);
  fail_unless_equals_int64 (ev.audio_end_ms, 9200);
  gst_voice_live_event_clear (&ev);
  fail_unless (gst_voice_live_event_parse (&ev, parser,
          "{\"type\":\"conversation.item.added\"}", -1, NULL));
  fail_unless_equals_int (ev.kind, GST_VOICE_LIVE_EVENT_OTHER);
  gst_voice_live_event_clear (&ev);
  g_object_unref (parser);

  fail_unless_equals_string (gst_voice_live_param_to_property
      ("session.audio.input.turn_detection.threshold"), "vad-threshold");
  fail_unless_equals_string (gst_voice_live_param_to_property
      ("session.audio.output.voice"), "voice");
  fail_unless_equals_string (gst_voice_live_param_to_property
      ("session.output_modalities"), "modalities");
  fail_unless (gst_voice_live_error_is_dialect_fatal
      ("beta_api_shape_disabled"));
  fail_if (gst_voice_live_error_is_dialect_fatal ("invalid_value"));
}

GST_END_TEST;

/* The conversation replayed after a reconnect (restore-conversation), built
 * from GA events: the assistant's text is an output_text part in GA (the
 * service refuses the beta "text" there), text in Voice Live; the user's
 * is input_text in both. */
GST_START_TEST (test_ga_restore_conversation)
{
  static const gchar *const events[] = {
    "{\"type\":\"conversation.item.input_audio_transcription.completed\","
        "\"item_id\":\"u1\",\"transcript\":\"Weather in Oslo?\"}",
    "{\"type\":\"response.created\",\"response\":{\"id\":\"r1\"}}",
    "{\"type\":\"response.output_audio_transcript.done\",\"item_id\":\"a1\","
        "\"transcript\":\"Sunny, 21 degrees.\"}",
    "{\"type\":\"response.done\",\"response\":{\"id\":\"r1\","
        "\"status\":\"completed\"}}",
    "{\"type\":\"response.created\",\"response\":{\"id\":\"r2\"}}",
    "{\"type\":\"response.output_text.done\",\"item_id\":\"a2\","
        "\"text\":\"Anything else?\"}",
    "{\"type\":\"response.done\",\"response\":{\"id\":\"r2\","
        "\"status\":\"completed\"}}",
  };
  static const gchar *const want_ga[] = {
    "{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\","
        "\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
        "\"text\":\"Weather in Oslo?\"}]}}",
    "{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\","
        "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
        "\"text\":\"Sunny, 21 degrees.\"}]}}",
    "{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\","
        "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
        "\"text\":\"Anything else?\"}]}}",
  };
  GstVoiceLiveConversation conv;
  GstVoiceLiveConfig cfg;
  JsonParser *parser = json_parser_new_immutable ();
  GList *frames, *l;
  guint i;

  gst_voice_live_conversation_init (&conv);
  gst_voice_live_config_init (&cfg);
  gst_voice_live_conversation_configure (&conv, &cfg);
  gst_voice_live_config_clear (&cfg);
  gst_voice_live_conversation_reset (&conv);
  for (i = 0; i < G_N_ELEMENTS (events); i++) {
    GstVoiceLiveEvent ev;
    GstVoiceLiveConvResult r;

    fail_unless (gst_voice_live_event_parse (&ev, parser, events[i], -1,
            NULL), "%s", events[i]);
    gst_voice_live_conversation_handle_event (&conv, &ev, TRUE,
        g_get_monotonic_time (), &r);
    g_free (r.send);
    gst_voice_live_event_clear (&ev);
  }

  frames = gst_voice_live_conversation_restore_frames (&conv,
      GST_VOICE_LIVE_DIALECT_OPENAI);
  fail_unless_equals_int (g_list_length (frames), G_N_ELEMENTS (want_ga));
  for (l = frames, i = 0; l; l = l->next, i++)
    assert_json (l->data, want_ga[i]);
  g_list_free_full (frames, g_free);

  /* Voice Live keeps the beta part type */
  frames = gst_voice_live_conversation_restore_frames (&conv,
      GST_VOICE_LIVE_DIALECT_VOICE_LIVE);
  fail_unless_equals_int (g_list_length (frames), G_N_ELEMENTS (want_ga));
  fail_unless (strstr (frames->data, "\"input_text\"") != NULL);
  for (l = frames->next; l; l = l->next) {
    fail_unless (strstr (l->data, "\"type\":\"text\"") != NULL, "%s",
        (gchar *) l->data);
    fail_unless (strstr (l->data, "output_text") == NULL);
  }
  g_list_free_full (frames, g_free);

  gst_voice_live_conversation_clear (&conv);
  g_object_unref (parser);
}

GST_END_TEST;

static Suite *
protocol_ga_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("protocol-ga", 0, &tc);

  tcase_add_test (tc, test_dialect_resolve);
  tcase_add_test (tc, test_ga_session_update_exact);
  tcase_add_test (tc, test_ga_validate);
  tcase_add_test (tc, test_ga_events_and_params);
  tcase_add_test (tc, test_ga_restore_conversation);
  return s;
}

GST_CHECK_MAIN (protocol_ga);
