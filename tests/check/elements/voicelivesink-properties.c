/* gst-voicelive: every voicelivesink property, as the service receives it
 * (the session fields are the rows of the sink's property table, linked in)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <gst/check/gstcheck.h>
#include "gstvoicelivesinkdtmf.h"
#include "gstvoicelivesinkprops.h"
#include "vltest.h"

#define KEY "props-key-42"

typedef struct
{
  const gchar *props;           /* name=value pairs, gst-launch syntax */
  const gchar *session;         /* the expected session object, minus formats */
} Row;

/* One row per property and per enum value: value set -> exact JSON. */
static const Row rows[] = {
  {"", "{}"},
  {"instructions=\"Be brief.\"", "{\"instructions\":\"Be brief.\"}"},
  {"instructions=\"\"", "{\"instructions\":\"\"}"},
  {"temperature=0.7", "{\"temperature\":0.7}"},
  {"max-response-output-tokens=512", "{\"max_response_output_tokens\":512}"},
  {"max-response-output-tokens=0", "{\"max_response_output_tokens\":\"inf\"}"},
  {"modalities=text", "{\"modalities\":[\"text\"]}"},
  {"modalities=text+audio", "{\"modalities\":[\"text\",\"audio\"]}"},
  {"tools=\"[{\\\"type\\\":\\\"function\\\",\\\"name\\\":\\\"get_weather\\\","
        "\\\"parameters\\\":{\\\"type\\\":\\\"object\\\"}}]\"",
      "{\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\","
        "\"parameters\":{\"type\":\"object\"}}]}"},
  {"tool-choice=auto", "{\"tool_choice\":\"auto\"}"},
  {"tool-choice=none", "{\"tool_choice\":\"none\"}"},
  {"tool-choice=required", "{\"tool_choice\":\"required\"}"},
  {"tool-choice=get_weather",
      "{\"tool_choice\":{\"type\":\"function\",\"name\":\"get_weather\"}}"},
  {"transcription-model=azure-speech",
      "{\"input_audio_transcription\":{\"model\":\"azure-speech\"}}"},
  {"transcription-model=azure-speech transcription-language=en-US "
        "phrase-list=\"Neo QLED TV, Contoso\"",
      "{\"input_audio_transcription\":{\"model\":\"azure-speech\","
        "\"language\":\"en-US\",\"phrase_list\":[\"Neo QLED TV\","
        "\"Contoso\"]}}"},
  {"transcription-model=\"\"", "{\"input_audio_transcription\":null}"},
  {"turn-detection=default", "{}"},
  {"turn-detection=none", "{\"turn_detection\":null}"},
  {"turn-detection=server-vad",
      "{\"turn_detection\":{\"type\":\"server_vad\"}}"},
  {"turn-detection=semantic-vad eagerness=low",
      "{\"turn_detection\":{\"type\":\"semantic_vad\",\"eagerness\":\"low\"}}"},
  {"turn-detection=semantic-vad",
      "{\"turn_detection\":{\"type\":\"semantic_vad\"}}"},
  {"turn-detection=azure-semantic-vad",
      "{\"turn_detection\":{\"type\":\"azure_semantic_vad\"}}"},
  {"turn-detection=azure-semantic-vad-en",
      "{\"turn_detection\":{\"type\":\"azure_semantic_vad_en\"}}"},
  {"turn-detection=azure-semantic-vad-multilingual",
      "{\"turn_detection\":{\"type\":\"azure_semantic_vad_multilingual\"}}"},
  {"vad-threshold=0.3", "{\"turn_detection\":{\"threshold\":0.3}}"},
  {"prefix-padding-ms=250",
      "{\"turn_detection\":{\"prefix_padding_ms\":250}}"},
  {"silence-duration-ms=600",
      "{\"turn_detection\":{\"silence_duration_ms\":600}}"},
  {"speech-duration-ms=120",
      "{\"turn_detection\":{\"speech_duration_ms\":120}}"},
  {"remove-filler-words=true",
      "{\"turn_detection\":{\"remove_filler_words\":true}}"},
  {"create-response=false",
      "{\"turn_detection\":{\"create_response\":false}}"},
  {"interrupt-response=false",
      "{\"turn_detection\":{\"interrupt_response\":false}}"},
  {"auto-truncate=true", "{\"turn_detection\":{\"auto_truncate\":true}}"},
  {"turn-detection=azure-semantic-vad vad-threshold=0.45 "
        "end-of-utterance-model=semantic-detection-v1",
      "{\"turn_detection\":{\"type\":\"azure_semantic_vad\","
        "\"threshold\":0.45,\"end_of_utterance_detection\":{\"model\":"
        "\"semantic_detection_v1\",\"threshold_level\":\"default\","
        "\"timeout_ms\":1000}}}"},
  {"end-of-utterance-model=none",
      "{\"turn_detection\":{\"end_of_utterance_detection\":null}}"},
  {"end-of-utterance-model=semantic-detection-v1-en",
      "{\"turn_detection\":{\"end_of_utterance_detection\":{\"model\":"
        "\"semantic_detection_v1_en\",\"threshold_level\":\"default\","
        "\"timeout_ms\":1000}}}"},
  {"end-of-utterance-model=semantic-detection-v1-multilingual "
        "end-of-utterance-threshold=low",
      "{\"turn_detection\":{\"end_of_utterance_detection\":{\"model\":"
        "\"semantic_detection_v1_multilingual\",\"threshold_level\":\"low\","
        "\"timeout_ms\":1000}}}"},
  {"end-of-utterance-model=semantic-detection-v1 "
        "end-of-utterance-threshold=medium end-of-utterance-timeout-ms=1500",
      "{\"turn_detection\":{\"end_of_utterance_detection\":{\"model\":"
        "\"semantic_detection_v1\",\"threshold_level\":\"medium\","
        "\"timeout_ms\":1500}}}"},
  {"end-of-utterance-model=semantic-detection-v1 "
        "end-of-utterance-threshold=high",
      "{\"turn_detection\":{\"end_of_utterance_detection\":{\"model\":"
        "\"semantic_detection_v1\",\"threshold_level\":\"high\","
        "\"timeout_ms\":1000}}}"},
  {"end-of-utterance-model=semantic-detection-v1 "
        "end-of-utterance-threshold=default",
      "{\"turn_detection\":{\"end_of_utterance_detection\":{\"model\":"
        "\"semantic_detection_v1\",\"threshold_level\":\"default\","
        "\"timeout_ms\":1000}}}"},
  /* The api-version that predates threshold_level/timeout_ms */
  {"api-version=2025-05-01-preview end-of-utterance-model="
        "semantic-detection-v1 end-of-utterance-threshold=medium "
        "end-of-utterance-timeout-ms=2000",
      "{\"turn_detection\":{\"end_of_utterance_detection\":{\"model\":"
        "\"semantic_detection_v1\",\"threshold\":0.01,\"timeout\":2}}}"},
  {"noise-reduction=none", "{\"input_audio_noise_reduction\":null}"},
  {"noise-reduction=azure-deep-noise-suppression",
      "{\"input_audio_noise_reduction\":{\"type\":"
        "\"azure_deep_noise_suppression\"}}"},
  {"noise-reduction=near-field",
      "{\"input_audio_noise_reduction\":{\"type\":\"near_field\"}}"},
  {"noise-reduction=far-field",
      "{\"input_audio_noise_reduction\":{\"type\":\"far_field\"}}"},
  {"echo-cancellation=none", "{\"input_audio_echo_cancellation\":null}"},
  {"echo-cancellation=server",
      "{\"input_audio_echo_cancellation\":{\"type\":"
        "\"server_echo_cancellation\"}}"},
  {"voice=alloy", "{\"voice\":{\"name\":\"alloy\",\"type\":\"openai\"}}"},
  {"voice=cedar", "{\"voice\":{\"name\":\"cedar\",\"type\":\"openai\"}}"},
  {"voice=en-US-AvaNeural",
      "{\"voice\":{\"name\":\"en-US-AvaNeural\",\"type\":\"azure-standard\"}}"},
  {"voice=en-US-Ava:DragonHDLatestNeural voice-temperature=0.7",
      "{\"voice\":{\"name\":\"en-US-Ava:DragonHDLatestNeural\","
        "\"type\":\"azure-standard\",\"temperature\":0.7}}"},
  {"voice=en-US-AvaNeural voice-rate=1.2",
      "{\"voice\":{\"name\":\"en-US-AvaNeural\",\"type\":\"azure-standard\","
        "\"rate\":\"1.2\"}}"},
  {"voice=MyVoiceNeural voice-endpoint-id=0c2b7e5a-1111-2222-3333-444455556666",
      "{\"voice\":{\"name\":\"MyVoiceNeural\",\"type\":\"azure-custom\","
        "\"endpoint_id\":\"0c2b7e5a-1111-2222-3333-444455556666\"}}"},
  {"voice=alloy voice-type=auto",
      "{\"voice\":{\"name\":\"alloy\",\"type\":\"openai\"}}"},
  {"voice=ash voice-type=openai",
      "{\"voice\":{\"name\":\"ash\",\"type\":\"openai\"}}"},
  {"voice=en-US-AndrewNeural voice-type=azure-standard",
      "{\"voice\":{\"name\":\"en-US-AndrewNeural\","
        "\"type\":\"azure-standard\"}}"},
  {"voice=Custom1 voice-type=azure-custom",
      "{\"voice\":{\"name\":\"Custom1\",\"type\":\"azure-custom\"}}"},
  {"voice=Personal1 voice-type=azure-personal",
      "{\"voice\":{\"name\":\"Personal1\",\"type\":\"azure-personal\"}}"},
  {"word-timestamps=true", "{\"output_audio_timestamp_types\":[\"word\"]}"},
  {"word-timestamps=false", "{\"output_audio_timestamp_types\":[]}"},
  {"visemes=true", "{\"animation\":{\"outputs\":[\"viseme_id\"]}}"},
  {"visemes=false", "{\"animation\":{\"outputs\":[]}}"},
  /* Voice Live 2026 (protocol-2026.md §2) */
  {"turn-detection=azure-semantic-vad silence-duration-ms=500 "
        "end-of-utterance-model=smart-end-of-turn-detection "
        "end-of-utterance-threshold=medium",
      "{\"turn_detection\":{\"type\":\"azure_semantic_vad\","
        "\"silence_duration_ms\":500,\"end_of_utterance_detection\":"
        "{\"model\":\"smart_end_of_turn_detection\",\"threshold_level\":"
        "\"medium\",\"timeout_ms\":1000}}}"},
  {"turn-detection=azure-semantic-vad-multilingual "
        "turn-detection-languages=\"en, de\" remove-filler-words=true "
        "interrupt-response=true auto-truncate=true "
        "appended-text-after-truncation=\" [The user interrupted me.]\"",
      "{\"turn_detection\":{\"type\":\"azure_semantic_vad_multilingual\","
        "\"languages\":[\"en\",\"de\"],\"remove_filler_words\":true,"
        "\"interrupt_response\":true,\"auto_truncate\":true,"
        "\"appended_text_after_truncation\":\" [The user interrupted me.]\"}}"},
  {"turn-detection=semantic-vad eagerness=high",
      "{\"turn_detection\":{\"type\":\"semantic_vad\",\"eagerness\":\"high\"}}"},
  {"turn-detection=semantic-vad eagerness=medium",
      "{\"turn_detection\":{\"type\":\"semantic_vad\","
        "\"eagerness\":\"medium\"}}"},
  {"voice=en-US-Ava:DragonHDLatestNeural voice-temperature=0.8 "
        "voice-locale=en-US voice-prefer-locales=\"en-GB,es-ES\" "
        "voice-style=cheerful voice-pitch=+5% voice-rate=1.1 "
        "voice-volume=+10 "
        "voice-custom-lexicon-url=https://example.com/lexicon.xml "
        "voice-custom-text-normalization-url=https://example.com/norm.json",
      "{\"voice\":{\"type\":\"azure-standard\",\"name\":"
        "\"en-US-Ava:DragonHDLatestNeural\",\"temperature\":0.8,"
        "\"locale\":\"en-US\",\"prefer_locales\":[\"en-GB\",\"es-ES\"],"
        "\"style\":\"cheerful\",\"pitch\":\"+5%\",\"rate\":\"1.1\","
        "\"volume\":\"+10\",\"custom_lexicon_url\":"
        "\"https://example.com/lexicon.xml\","
        "\"custom_text_normalization_url\":\"https://example.com/norm.json\"}}"},
  {"model=azure-realtime voice=ava",
      "{\"voice\":{\"name\":\"ava\",\"type\":\"azure-realtime-native\"}}"},
  {"model=azure-realtime voice=yunxi voice-type=azure-realtime-native",
      "{\"voice\":{\"name\":\"yunxi\",\"type\":\"azure-realtime-native\"}}"},
  {"voice=Personal1 voice-type=azure-personal voice-model=DragonLatestNeural",
      "{\"voice\":{\"name\":\"Personal1\",\"type\":\"azure-personal\","
        "\"model\":\"DragonLatestNeural\"}}"},
  {"transcription-model=azure-speech transcription-language=\"en,zh\" "
        "transcription-custom-speech=\"zh-CN=0c2b7e5a-0000-4000-8000-00000000000a\"",
      "{\"input_audio_transcription\":{\"model\":\"azure-speech\","
        "\"language\":\"en,zh\",\"custom_speech\":{\"zh-CN\":"
        "\"0c2b7e5a-0000-4000-8000-00000000000a\"}}}"},
  {"model=gpt-realtime transcription-model=gpt-4o-transcribe "
        "transcription-language=en "
        "transcription-prompt=\"Expected terms: Azure, WebSocket\"",
      "{\"input_audio_transcription\":{\"model\":\"gpt-4o-transcribe\","
        "\"language\":\"en\",\"prompt\":\"Expected terms: Azure, "
        "WebSocket\"}}"},
  {"include=logprobs+phrases",
      "{\"include\":[\"item.input_audio_transcription.logprobs\","
        "\"item.input_audio_transcription.phrases\"]}"},
  {"include=phrases",
      "{\"include\":[\"item.input_audio_transcription.phrases\"]}"},
  {"parallel-tool-calls=false", "{\"parallel_tool_calls\":false}"},
  {"parallel-tool-calls=true", "{\"parallel_tool_calls\":true}"},
  {"tools=\"[{\\\"type\\\":\\\"mcp\\\",\\\"server_label\\\":\\\"docs\\\","
        "\\\"server_url\\\":\\\"https://example.com/mcp\\\","
        "\\\"require_approval\\\":{\\\"never\\\":[\\\"search_docs\\\"]}},"
        "{\\\"type\\\":\\\"foundry_agent\\\",\\\"agent_name\\\":"
        "\\\"support-agent\\\",\\\"project_name\\\":\\\"my-project\\\"}]\"",
      "{\"tools\":[{\"type\":\"mcp\",\"server_label\":\"docs\","
        "\"server_url\":\"https://example.com/mcp\",\"require_approval\":"
        "{\"never\":[\"search_docs\"]}},{\"type\":\"foundry_agent\","
        "\"agent_name\":\"support-agent\",\"project_name\":\"my-project\"}]}"},
  {"interim-response-type=static interim-response-triggers=latency "
        "interim-response-texts=\"Let me check.|One moment, please.\"",
      "{\"interim_response\":{\"type\":\"static_interim_response\","
        "\"triggers\":[\"latency\"],\"latency_threshold_ms\":2000,"
        "\"texts\":[\"Let me check.\",\"One moment, please.\"]}}"},
  {"interim-response-type=llm interim-response-triggers=latency+tool "
        "interim-response-latency-ms=1500 interim-response-instructions="
        "\"Say briefly that you are working on it.\"",
      "{\"interim_response\":{\"type\":\"llm_interim_response\","
        "\"triggers\":[\"latency\",\"tool\"],\"latency_threshold_ms\":1500,"
        "\"instructions\":\"Say briefly that you are working on it.\"}}"},
  {"interim-response-type=none", "{\"interim_response\":null}"},
  {"interim-response-type=static interim-response-texts=Hm "
        "interim-response-json=\"{\\\"type\\\":\\\"llm_interim_response\\\","
        "\\\"model\\\":\\\"gpt-4.1-mini\\\",\\\"max_completion_tokens\\\":30}\"",
      "{\"interim_response\":{\"type\":\"llm_interim_response\","
        "\"model\":\"gpt-4.1-mini\",\"max_completion_tokens\":30}}"},
  {"avatar-character=lisa",
      "{\"avatar\":{\"type\":\"video-avatar\",\"character\":\"lisa\","
        "\"customized\":false,\"video\":{\"codec\":\"h264\"},"
        "\"output_protocol\":\"websocket\"}}"},
  {"avatar-character=lisa avatar-style=casual-sitting avatar-width=1920 "
        "avatar-height=1080 avatar-bitrate=2000000 "
        "avatar-crop=560,0,1360,1080 avatar-background-color=#00FF00FF "
        "avatar-output-protocol=webrtc avatar-ice-servers="
        "\"[{\\\"urls\\\":[\\\"turn:relay:3478\\\"],\\\"username\\\":"
        "\\\"u\\\",\\\"credential\\\":\\\"c\\\"}]\"",
      "{\"avatar\":{\"type\":\"video-avatar\",\"character\":\"lisa\","
        "\"style\":\"casual-sitting\",\"customized\":false,"
        "\"ice_servers\":[{\"urls\":[\"turn:relay:3478\"],\"username\":"
        "\"u\",\"credential\":\"c\"}],\"video\":{\"codec\":\"h264\","
        "\"bitrate\":2000000,\"resolution\":{\"width\":1920,"
        "\"height\":1080},\"crop\":{\"top_left\":[560,0],"
        "\"bottom_right\":[1360,1080]},\"background\":{\"color\":"
        "\"#00FF00FF\"}},\"output_protocol\":\"webrtc\"}}"},
  {"avatar-character=anna avatar-photo=true avatar-customized=true "
        "avatar-background-image=https://example.com/bg.png",
      "{\"avatar\":{\"type\":\"photo-avatar\",\"model\":\"vasa-1\","
        "\"character\":\"anna\",\"customized\":true,\"video\":"
        "{\"codec\":\"h264\",\"background\":{\"image_url\":"
        "\"https://example.com/bg.png\"}},\"output_protocol\":"
        "\"websocket\"}}"},
  {"avatar-style=x", "{\"avatar\":null}"},
};

/* The session field a property sets (its row in the sink's property
 * table), NULL for the rest: connection settings, covered by the
 * connection tests below and in elements/voicelive.c. */
static const GstVoiceLiveSinkProp *
session_field_row (const gchar * name)
{
  guint i;

  for (i = 0; i < gst_voice_live_sink_n_props; i++)
    if (g_str_equal (gst_voice_live_sink_props[i].name, name))
      return gst_voice_live_sink_props[i].field ?
          &gst_voice_live_sink_props[i] : NULL;
  return NULL;
}

/* Whether @json (a session object) has the member at @wire
 * ("session.a.b"). */
static gboolean
has_wire_path (const gchar * json, const gchar * wire)
{
  JsonNode *root = json_from_string (json, NULL);
  JsonNode *n = root;
  gchar **parts = g_strsplit (wire, ".", -1);
  guint i;

  /* parts[0] is "session", the root */
  for (i = 1; parts[i] && n; i++)
    n = JSON_NODE_HOLDS_OBJECT (n) && json_object_has_member
        (json_node_get_object (n), parts[i]) ?
        json_object_get_member (json_node_get_object (n), parts[i]) : NULL;
  g_strfreev (parts);
  if (root)
    json_node_unref (root);
  return n != NULL;
}

static GstElement *
start_sink (VlEmulator * emu, const gchar * endpoint_suffix,
    const gchar * props, GstBus ** bus_out)
{
  GstElement *p = vl_test_start_pair (16000, "%s%s%s %s",
      endpoint_suffix ? "endpoint=" : "", endpoint_suffix ? emu->url : "",
      endpoint_suffix ? endpoint_suffix : "", props);

  if (bus_out)
    *bus_out = gst_element_get_bus (p);
  return p;
}

static void
stop (GstElement * p)
{
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
}

static JsonObject *
session_of (JsonNode * line)
{
  return json_object_get_object_member (vl_rec_event (line), "session");
}

static gchar *
to_string_without_formats (JsonObject * session)
{
  JsonNode *copy = json_node_new (JSON_NODE_OBJECT);
  JsonObject *o = json_object_new ();
  GList *members = json_object_get_members (session), *l;
  gchar *s;

  for (l = members; l; l = l->next) {
    const gchar *m = l->data;

    if (g_str_equal (m, "input_audio_format")
        || g_str_equal (m, "input_audio_sampling_rate")
        || g_str_equal (m, "output_audio_format"))
      continue;
    json_object_set_member (o, m,
        json_node_copy (json_object_get_member (session, m)));
  }
  g_list_free (members);
  json_node_take_object (copy, o);
  s = json_to_string (copy, FALSE);
  json_node_unref (copy);
  return s;
}

GST_START_TEST (test_every_property_on_the_wire)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  GObjectClass *klass;
  GParamSpec **specs;
  guint n_specs, n_own = 0, i, r;

  for (r = 0; r < G_N_ELEMENTS (rows); r++) {
    GstElement *p = start_sink (emu, "", rows[r].props, NULL);
    GPtrArray *rec = vl_emulator_wait (emu, "client", "session.update", r + 1,
        10000);
    JsonNode *line;
    gchar *got;

    fail_unless (rec != NULL, "row %u (%s): no session.update", r,
        rows[r].props);
    line = vl_rec_find (rec, "client", "session.update", r);
    /* Each row is its own connection. */
    fail_unless_equals_int (vl_rec_conn (line), r + 1);
    got = to_string_without_formats (session_of (line));
    fail_unless (vl_json_text_equal (got, rows[r].session),
        "row %u (%s):\n got: %s\nwant: %s", r, rows[r].props, got,
        rows[r].session);
    g_free (got);
    g_ptr_array_unref (rec);
    stop (p);
  }

  /* Every session property of the sink has a row, and one of its rows
   * shows it where its table row says it goes on the wire. */
  klass = g_type_class_ref (g_type_from_name ("GstVoiceLiveSink"));
  specs = g_object_class_list_properties (klass, &n_specs);
  for (i = 0; i < n_specs; i++) {
    const gchar *name = specs[i]->name;
    const GstVoiceLiveSinkProp *field = session_field_row (name);
    gchar *needle = g_strdup_printf ("%s=", name);
    gchar *spaced = g_strdup_printf (" %s=", name);
    gboolean found = FALSE, on_wire = FALSE;

    if (specs[i]->owner_type == G_OBJECT_CLASS_TYPE (klass))
      n_own++;
    /* openai-only fields are on the GA wire: elements/voicelive-ga.c */
    if (specs[i]->owner_type != G_OBJECT_CLASS_TYPE (klass) || !field
        || (field->dialects && !(field->dialects &
                GST_VOICE_LIVE_DIALECT_MASK
                (GST_VOICE_LIVE_DIALECT_VOICE_LIVE)))) {
      g_free (needle);
      g_free (spaced);
      continue;
    }
    /* Only session fields may change while streaming. */
    fail_unless (specs[i]->flags & GST_PARAM_MUTABLE_PLAYING, "%s", name);
    for (r = 0; r < G_N_ELEMENTS (rows); r++) {
      gboolean sets = g_str_has_prefix (rows[r].props, needle)
          || strstr (rows[r].props, spaced) != NULL;

      found |= sets;
      on_wire |= sets && has_wire_path (rows[r].session, field->wire);
    }
    fail_unless (found, "property %s has no row", name);
    fail_unless (on_wire, "property %s: no row shows %s", name, field->wire);
    /* A service error about that member names the property. */
    fail_unless_equals_string (gst_voice_live_param_to_property (field->wire),
        name);
    g_free (needle);
    g_free (spaced);
  }
  /* The table is the sink's whole property list, but for the keypad
   * settings (element-local, gstvoicelivesinkdtmf.c). */
  fail_unless_equals_int (n_own, gst_voice_live_sink_n_props
      + GST_VOICE_LIVE_SINK_DTMF_N_PROPS);
  g_free (specs);
  g_type_class_unref (klass);
  vl_emulator_stop (emu);
}

GST_END_TEST;

GST_START_TEST (test_runtime_change_sends_only_that_field)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  GstBus *bus;
  GstElement *p = start_sink (emu, "", "instructions=A vad-threshold=0.4",
      &bus);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (p), "sink");
  GPtrArray *rec;
  GstMessage *msg;
  gchar *got;

  fail_unless (vl_emulator_wait_for (emu, "server", "session.updated", 1,
          10000));

  g_object_set (sink, "vad-threshold", 0.7, NULL);
  rec = vl_emulator_wait (emu, "client", "session.update", 2, 10000);
  fail_unless (rec != NULL, "no second session.update");
  got = to_string_without_formats (session_of (vl_rec_find (rec, "client",
              "session.update", 1)));
  fail_unless (vl_json_text_equal (got,
          "{\"turn_detection\":{\"threshold\":0.7}}"), "got %s", got);
  /* Not even the formats come again. */
  fail_if (json_object_has_member (session_of (vl_rec_find (rec, "client",
                  "session.update", 1)), "input_audio_format"));
  g_free (got);
  g_ptr_array_unref (rec);

  g_object_set (sink, "voice", "en-US-AndrewNeural", NULL);
  rec = vl_emulator_wait (emu, "client", "session.update", 3, 10000);
  fail_unless (rec != NULL);
  got = to_string_without_formats (session_of (vl_rec_find (rec, "client",
              "session.update", 2)));
  fail_unless (vl_json_text_equal (got, "{\"voice\":{\"name\":"
          "\"en-US-AndrewNeural\",\"type\":\"azure-standard\"}}"), "%s", got);
  g_free (got);
  g_ptr_array_unref (rec);

  /* A connection property is refused while PLAYING, with a warning. */
  g_object_set (sink, "model", "other-model", NULL);
  msg = vl_bus_wait (bus, GST_MESSAGE_WARNING, NULL, 5000);
  fail_unless (msg != NULL, "no warning for a READY-only property");
  {
    GError *err = NULL;

    gst_message_parse_warning (msg, &err, NULL);
    fail_unless (strstr (err->message, "'model'") != NULL, "%s", err->message);
    g_clear_error (&err);
  }
  gst_message_unref (msg);
  {
    gchar *model;

    g_object_get (sink, "model", &model, NULL);
    fail_unless_equals_string (model, "gpt-4o");
    g_free (model);
  }

  /* Exactly one update per change: wait a little for strays. */
  g_usleep (300000);
  rec = vl_emulator_record (emu);
  fail_unless_equals_int (vl_rec_count (rec, "client", "session.update"), 3);
  fail_unless_equals_int (vl_rec_count (rec, "meta", "#connect"), 1);
  g_ptr_array_unref (rec);

  gst_object_unref (sink);
  gst_object_unref (bus);
  stop (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static JsonObject *
connect_line (VlEmulator * emu, guint n)
{
  GPtrArray *rec = vl_emulator_wait (emu, "meta", "#connect", n, 10000);
  JsonObject *o;

  fail_unless (rec != NULL, "no connection #%u", n);
  o = json_object_ref (json_node_get_object (vl_rec_find (rec, "meta",
              "#connect", n - 1)));
  g_ptr_array_unref (rec);
  return o;
}

/* A sink as start_sink() makes it, and the record of its connection, the
 * @n-th of the test */
static JsonObject *
connect_sink (VlEmulator * emu, const gchar * endpoint_suffix,
    const gchar * props, guint n, GstElement ** p)
{
  *p = start_sink (emu, endpoint_suffix, props, NULL);
  return connect_line (emu, n);
}

static void
disconnect_sink (JsonObject * conn, GstElement * p)
{
  json_object_unref (conn);
  stop (p);
}

static const gchar *
q (JsonObject * conn, const gchar * name)
{
  return vl_json_member_string (conn, "query", name);
}

static const gchar *
h (JsonObject * conn, const gchar * name)
{
  return vl_json_member_string (conn, "headers", name);
}

GST_START_TEST (test_endpoint_forms_and_headers)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, NULL);
  GstElement *p;
  JsonObject *c;

  /* Voice Live base URL: path and query added, key in the header */
  c = connect_sink (emu, "", "api-key=" KEY, 1, &p);
  fail_unless_equals_string (json_object_get_string_member (c, "path"),
      "/voice-live/realtime");
  fail_unless_equals_string (q (c, "api-version"), "2026-07-15");
  fail_unless_equals_string (q (c, "model"), "gpt-4o");
  fail_unless_equals_string (json_object_get_string_member (c, "auth"),
      "api-key");
  fail_unless (q (c, "api-key") == NULL && h (c, "authorization") == NULL);
  fail_unless (h (c, "openai-beta") == NULL);
  fail_unless (h (c, "x-ms-client-request-id") != NULL);
  disconnect_sink (c, p);

  /* Values are URL-encoded; model and api-version from properties */
  c = connect_sink (emu, "", "api-key=" KEY " model=\"my model\" "
      "api-version=2025-10-01", 2, &p);
  fail_unless_equals_string (q (c, "model"), "my model");
  fail_unless_equals_string (q (c, "api-version"), "2025-10-01");
  disconnect_sink (c, p);

  /* Azure OpenAI realtime: the path and deployment are kept */
  c = connect_sink (emu, "/openai/realtime?deployment=dep1", "api-key=" KEY,
      3, &p);
  fail_unless_equals_string (json_object_get_string_member (c, "path"),
      "/openai/realtime");
  fail_unless_equals_string (q (c, "deployment"), "dep1");
  fail_unless_equals_string (q (c, "api-version"), "2026-07-15");
  fail_unless (q (c, "model") == NULL);
  disconnect_sink (c, p);

  /* OpenAI's path with the voice-live dialect forced: bearer token and
   * the beta header (the GA default is in elements/voicelive-ga.c) */
  c = connect_sink (emu, "/v1/realtime?model=gpt-realtime", "api-key=" KEY
      " protocol=voice-live", 4, &p);
  fail_unless_equals_string (json_object_get_string_member (c, "path"),
      "/v1/realtime");
  fail_unless_equals_string (q (c, "model"), "gpt-realtime");
  fail_unless_equals_string (json_object_get_string_member (c, "auth"),
      "bearer");
  fail_unless_equals_string (h (c, "openai-beta"), "realtime=v1");
  disconnect_sink (c, p);

  /* Agent mode: agent-name / agent-project-name instead of model; an
   * Entra ID token as bearer */
  c = connect_sink (emu, "", "access-token=" KEY " agent-name=agent1 "
      "agent-project-name=proj1 agent-version=3 conversation-id=conv_9 "
      "foundry-resource-override=res2 "
      "agent-authentication-identity-client-id=cid-1", 5, &p);
  fail_unless_equals_string (q (c, "agent-name"), "agent1");
  fail_unless_equals_string (q (c, "agent-project-name"), "proj1");
  fail_unless_equals_string (q (c, "agent-version"), "3");
  fail_unless_equals_string (q (c, "conversation-id"), "conv_9");
  fail_unless_equals_string (q (c, "foundry-resource-override"), "res2");
  fail_unless_equals_string (q (c, "agent-authentication-identity-client-id"),
      "cid-1");
  fail_unless (q (c, "model") == NULL);
  fail_unless_equals_string (json_object_get_string_member (c, "auth"),
      "bearer");
  disconnect_sink (c, p);

  vl_emulator_stop (emu);
}

GST_END_TEST;

GST_START_TEST (test_environment_fallbacks)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, NULL);
  GstElement *p;
  JsonObject *c;

  g_setenv ("AZURE_VOICE_LIVE_ENDPOINT", emu->url, TRUE);
  g_setenv ("AZURE_VOICE_LIVE_API_KEY", KEY, TRUE);
  g_setenv ("AZURE_VOICE_LIVE_API_VERSION", "2026-04-10", TRUE);
  g_setenv ("VOICE_LIVE_MODEL", "gpt-realtime", TRUE);
  c = connect_sink (emu, NULL, "", 1, &p);
  fail_unless_equals_string (q (c, "api-version"), "2026-04-10");
  fail_unless_equals_string (q (c, "model"), "gpt-realtime");
  fail_unless_equals_string (json_object_get_string_member (c, "auth"),
      "api-key");
  disconnect_sink (c, p);

  /* Properties win over the environment. */
  c = connect_sink (emu, NULL, "model=gpt-4.1 api-version=2025-10-01", 2, &p);
  fail_unless_equals_string (q (c, "model"), "gpt-4.1");
  disconnect_sink (c, p);

  g_unsetenv ("AZURE_VOICE_LIVE_ENDPOINT");
  g_unsetenv ("AZURE_VOICE_LIVE_API_KEY");
  g_unsetenv ("AZURE_VOICE_LIVE_API_VERSION");
  g_unsetenv ("VOICE_LIVE_MODEL");
  vl_emulator_stop (emu);
}

GST_END_TEST;

static void
check_refused_at_ready (const gchar * prop, const gchar * value,
    const gchar * needle)
{
  GstElement *sink = gst_element_factory_make ("voicelivesink", NULL);
  GError *err;

  g_object_set (sink, "endpoint", "ws://127.0.0.1:9", NULL);
  gst_util_set_object_arg (G_OBJECT (sink), prop, value);
  err = vl_test_ready_error (sink);
  fail_unless (err != NULL);
  fail_unless (strstr (err->message, needle) != NULL, "%s", err->message);
  g_clear_error (&err);
  gst_object_unref (sink);
}

GST_START_TEST (test_bad_values_refused)
{
  GstElement *sink = gst_element_factory_make ("voicelivesink", NULL);
  GError *err = NULL;
  GstElement *p;
  gdouble thr;

  check_refused_at_ready ("tools", "{\"type\":\"function\"}", "tools");
  check_refused_at_ready ("tools", "[{\"type\":\"function\"}]", "tools");
  check_refused_at_ready ("tools", "not json", "tools");
  check_refused_at_ready ("modalities", "audio", "modalities");

  /* GObject refuses out-of-range numbers, keeping the old value. */
  ASSERT_WARNING (g_object_set (sink, "vad-threshold", 1.5, NULL));
  g_object_get (sink, "vad-threshold", &thr, NULL);
  fail_unless (thr == 0.5);
  ASSERT_WARNING (g_object_set (sink, "temperature", 0.1, NULL));
  gst_object_unref (sink);

  /* An unknown enum nick does not parse. */
  p = gst_parse_launch ("fakesrc ! voicelivesink turn-detection=bogus", &err);
  fail_unless (err != NULL);
  fail_unless (strstr (err->message, "turn-detection") != NULL, "%s",
      err->message);
  g_clear_error (&err);
  if (p)
    gst_object_unref (p);
}

GST_END_TEST;

/* The emulator, like the service, refuses semantic_vad for models that are
 * not gpt-realtime: the warning names the property. */
GST_START_TEST (test_service_error_names_property)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  GstBus *bus;
  GstElement *p = start_sink (emu, "", "turn-detection=semantic-vad", &bus);
  GstMessage *msg = vl_bus_wait (bus, GST_MESSAGE_WARNING, NULL, 10000);
  const GstStructure *details = NULL;
  GError *err = NULL;

  fail_unless (msg != NULL, "no warning");
  gst_message_parse_warning (msg, &err, NULL);
  gst_message_parse_warning_details (msg, &details);
  fail_unless (details != NULL);
  fail_unless (gst_structure_has_name (details, "voicelive/error"));
  fail_unless_equals_string (gst_structure_get_string (details, "param"),
      "session.turn_detection.type");
  fail_unless_equals_string (gst_structure_get_string (details, "property"),
      "turn-detection");
  fail_unless (strstr (err->message, "'turn-detection'") != NULL, "%s",
      err->message);
  g_clear_error (&err);
  gst_message_unref (msg);
  gst_object_unref (bus);
  stop (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

GST_START_TEST (test_stats)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  GstElement *p = start_sink (emu, "", "", NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (p), "sink");
  GPtrArray *rec = vl_emulator_wait (emu, "client",
      "input_audio_buffer.append", 1, 10000);
  GstStructure *stats = NULL;
  guint64 ms = 0, bytes = 0;

  fail_unless (rec != NULL);
  g_ptr_array_unref (rec);
  g_object_get (sink, "stats", &stats, NULL);
  fail_unless (stats != NULL);
  fail_unless (gst_structure_has_name (stats, "voicelive/stats"));
  fail_unless (gst_structure_get_uint64 (stats, "audio-ms-sent", &ms));
  fail_unless (gst_structure_get_uint64 (stats, "bytes-sent", &bytes));
  fail_unless_equals_uint64 (ms, 20);
  fail_unless (bytes > 640 * 4 / 3);
  gst_structure_free (stats);
  gst_object_unref (sink);
  stop (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static Suite *
voicelivesink_properties_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("voicelivesink-properties", 180, &tc);

  tcase_add_test (tc, test_every_property_on_the_wire);
  tcase_add_test (tc, test_runtime_change_sends_only_that_field);
  tcase_add_test (tc, test_endpoint_forms_and_headers);
  tcase_add_test (tc, test_environment_fallbacks);
  tcase_add_test (tc, test_bad_values_refused);
  tcase_add_test (tc, test_service_error_names_property);
  tcase_add_test (tc, test_stats);
  return s;
}

GST_CHECK_MAIN (voicelivesink_properties);
