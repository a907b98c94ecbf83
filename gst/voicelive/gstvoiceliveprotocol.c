/* gst-voicelive: the agent configuration (GstVoiceLiveConfig) and the
 * session.update built from it, and the service's error param -> property
 * map. Pure; called from any thread (each call on its own data).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gio/gio.h>
#include "gstvoiceliveprotocol.h"
#include "gstvoiceliveprotocolga.h"
#include "gstvoicelivejson.h"

void
gst_voice_live_config_init (GstVoiceLiveConfig * cfg)
{
  memset (cfg, 0, sizeof (*cfg));
  cfg->temperature = GST_VOICE_LIVE_DEFAULT_TEMPERATURE;
  cfg->modalities = GST_VOICE_LIVE_MODALITIES_TEXT |
      GST_VOICE_LIVE_MODALITIES_AUDIO;
  cfg->turn_detection = GST_VOICE_LIVE_TURN_DETECTION_DEFAULT;
  cfg->vad_threshold = GST_VOICE_LIVE_DEFAULT_VAD_THRESHOLD;
  cfg->prefix_padding_ms = GST_VOICE_LIVE_DEFAULT_PREFIX_PADDING_MS;
  cfg->silence_duration_ms = GST_VOICE_LIVE_DEFAULT_SILENCE_DURATION_MS;
  cfg->speech_duration_ms = GST_VOICE_LIVE_DEFAULT_SPEECH_DURATION_MS;
  cfg->create_response = TRUE;
  cfg->interrupt_response = TRUE;
  cfg->eou_timeout_ms = GST_VOICE_LIVE_DEFAULT_EOU_TIMEOUT_MS;
  cfg->voice_temperature = -1.0;
  cfg->speed = 1.0;
}

void
gst_voice_live_config_clear (GstVoiceLiveConfig * cfg)
{
  g_free (cfg->instructions);
  g_free (cfg->tools);
  g_free (cfg->tool_choice);
  g_free (cfg->transcription_model);
  g_free (cfg->transcription_language);
  g_free (cfg->phrase_list);
  g_free (cfg->voice);
  g_free (cfg->voice_rate);
  g_free (cfg->voice_endpoint_id);
  gst_voice_live_config_init (cfg);
}

void
gst_voice_live_config_copy (GstVoiceLiveConfig * dest,
    const GstVoiceLiveConfig * src)
{
  if (dest == src)
    return;
  gst_voice_live_config_clear (dest);
  *dest = *src;
  dest->instructions = g_strdup (src->instructions);
  dest->tools = g_strdup (src->tools);
  dest->tool_choice = g_strdup (src->tool_choice);
  dest->transcription_model = g_strdup (src->transcription_model);
  dest->transcription_language = g_strdup (src->transcription_language);
  dest->phrase_list = g_strdup (src->phrase_list);
  dest->voice = g_strdup (src->voice);
  dest->voice_rate = g_strdup (src->voice_rate);
  dest->voice_endpoint_id = g_strdup (src->voice_endpoint_id);
}

gboolean
gst_voice_live_config_validate (const GstVoiceLiveConfig * cfg, GError ** error)
{
  if ((cfg->set & GST_VOICE_LIVE_FIELD_MODALITIES)
      && !(cfg->modalities & GST_VOICE_LIVE_MODALITIES_TEXT)) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "Invalid modalities property: the service takes \"text\" or "
        "\"text+audio\" (audio alone is not allowed)");
    return FALSE;
  }
  if ((cfg->set & GST_VOICE_LIVE_FIELD_TOOLS) && cfg->tools) {
    JsonNode *n = json_from_string (cfg->tools, NULL);
    gboolean ok = n && JSON_NODE_HOLDS_ARRAY (n);
    guint i;

    if (ok) {
      JsonArray *a = json_node_get_array (n);

      for (i = 0; ok && i < json_array_get_length (a); i++) {
        JsonNode *t = json_array_get_element (a, i);
        JsonObject *o = JSON_NODE_HOLDS_OBJECT (t) ?
            json_node_get_object (t) : NULL;
        JsonNode *type = o ? json_object_get_member (o, "type") : NULL;
        JsonNode *name = o ? json_object_get_member (o, "name") : NULL;

        ok = type && JSON_NODE_HOLDS_VALUE (type)
            && json_node_get_value_type (type) == G_TYPE_STRING
            && name && JSON_NODE_HOLDS_VALUE (name)
            && json_node_get_value_type (name) == G_TYPE_STRING;
      }
    }
    if (n)
      json_node_unref (n);
    if (!ok) {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          "Invalid tools property: expected a JSON array of tool objects, "
          "each with a string \"type\" and \"name\", e.g. "
          "[{\"type\":\"function\",\"name\":\"get_weather\","
          "\"parameters\":{...}}]");
      return FALSE;
    }
  }
  return TRUE;
}

static const gchar *openai_voices[] = {
  "alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse",
  "marin", "cedar", NULL
};

gboolean
gst_voice_live_voice_is_openai (const gchar * name)
{
  return name && g_strv_contains (openai_voices, name);
}

#define SET(f) ((cfg->set & fields) & GST_VOICE_LIVE_FIELD_##f)
static void
add_voice (JsonBuilder * b, const GstVoiceLiveConfig * cfg)
{
  GstVoiceLiveVoiceType type = cfg->voice_type;

  if (type == GST_VOICE_LIVE_VOICE_TYPE_AUTO) {
    if (cfg->voice_endpoint_id && *cfg->voice_endpoint_id)
      type = GST_VOICE_LIVE_VOICE_TYPE_AZURE_CUSTOM;
    else if (gst_voice_live_voice_is_openai (cfg->voice))
      type = GST_VOICE_LIVE_VOICE_TYPE_OPENAI;
    else
      type = GST_VOICE_LIVE_VOICE_TYPE_AZURE_STANDARD;
  }
  json_builder_set_member_name (b, "voice");
  json_builder_begin_object (b);
  if (cfg->voice)
    gst_voice_live_json_member_str (b, "name", cfg->voice);
  gst_voice_live_json_member_str (b, "type",
      gst_voice_live_voice_type_to_wire (type));
  if (cfg->voice_temperature >= 0)
    gst_voice_live_json_member_double (b, "temperature",
        cfg->voice_temperature);
  if (cfg->voice_rate && *cfg->voice_rate)
    gst_voice_live_json_member_str (b, "rate", cfg->voice_rate);
  if (cfg->voice_endpoint_id && *cfg->voice_endpoint_id)
    gst_voice_live_json_member_str (b, "endpoint_id", cfg->voice_endpoint_id);
  json_builder_end_object (b);
}

static void
add_transcription (JsonBuilder * b, const GstVoiceLiveConfig * cfg)
{
  gchar **phrases;
  guint i;

  if (!cfg->transcription_model || !*cfg->transcription_model) {
    gst_voice_live_json_member_null (b, "input_audio_transcription");
    return;
  }
  json_builder_set_member_name (b, "input_audio_transcription");
  json_builder_begin_object (b);
  gst_voice_live_json_member_str (b, "model", cfg->transcription_model);
  if (cfg->transcription_language && *cfg->transcription_language)
    gst_voice_live_json_member_str (b, "language", cfg->transcription_language);
  if (cfg->phrase_list && *cfg->phrase_list) {
    json_builder_set_member_name (b, "phrase_list");
    json_builder_begin_array (b);
    phrases = g_strsplit (cfg->phrase_list, ",", -1);
    for (i = 0; phrases[i]; i++) {
      g_strstrip (phrases[i]);
      if (*phrases[i])
        json_builder_add_string_value (b, phrases[i]);
    }
    g_strfreev (phrases);
    json_builder_end_array (b);
  }
  json_builder_end_object (b);
}

/* Legacy (2025-05-01-preview) end-of-utterance threshold is a float. */
static gdouble
legacy_eou_threshold (GstVoiceLiveEouThreshold t)
{
  switch (t) {
    case GST_VOICE_LIVE_EOU_THRESHOLD_LOW:
      return 0.005;
    case GST_VOICE_LIVE_EOU_THRESHOLD_HIGH:
      return 0.1;
    default:
      return 0.01;
  }
}

static void
add_turn_detection (JsonBuilder * b, const GstVoiceLiveConfig * cfg,
    guint fields)
{
  const gchar *type = NULL;
  guint sub = GST_VOICE_LIVE_FIELD_VAD_THRESHOLD |
      GST_VOICE_LIVE_FIELD_PREFIX_PADDING |
      GST_VOICE_LIVE_FIELD_SILENCE_DURATION |
      GST_VOICE_LIVE_FIELD_SPEECH_DURATION |
      GST_VOICE_LIVE_FIELD_REMOVE_FILLER |
      GST_VOICE_LIVE_FIELD_CREATE_RESPONSE |
      GST_VOICE_LIVE_FIELD_INTERRUPT_RESPONSE |
      GST_VOICE_LIVE_FIELD_AUTO_TRUNCATE | GST_VOICE_LIVE_FIELD_EOU |
      GST_VOICE_LIVE_FIELD_EAGERNESS;

  if (SET (TURN_TYPE)) {
    if (cfg->turn_detection == GST_VOICE_LIVE_TURN_DETECTION_NONE) {
      gst_voice_live_json_member_null (b, "turn_detection");
      return;
    }
    type = gst_voice_live_turn_detection_to_wire (cfg->turn_detection);
  }
  if (!type && !(cfg->set & fields & sub))
    return;
  /* Without a type the service merges the fields into its current turn
   * detection (session.update only changes what is present). */
  json_builder_set_member_name (b, "turn_detection");
  json_builder_begin_object (b);
  if (type)
    gst_voice_live_json_member_str (b, "type", type);
  if (SET (VAD_THRESHOLD))
    gst_voice_live_json_member_double (b, "threshold", cfg->vad_threshold);
  if (SET (PREFIX_PADDING))
    gst_voice_live_json_member_int (b, "prefix_padding_ms",
        cfg->prefix_padding_ms);
  if (SET (SILENCE_DURATION))
    gst_voice_live_json_member_int (b, "silence_duration_ms",
        cfg->silence_duration_ms);
  if (SET (SPEECH_DURATION))
    gst_voice_live_json_member_int (b, "speech_duration_ms",
        cfg->speech_duration_ms);
  if (SET (REMOVE_FILLER))
    gst_voice_live_json_member_bool (b, "remove_filler_words",
        cfg->remove_filler_words);
  if (SET (CREATE_RESPONSE))
    gst_voice_live_json_member_bool (b, "create_response",
        cfg->create_response);
  if (SET (INTERRUPT_RESPONSE))
    gst_voice_live_json_member_bool (b, "interrupt_response",
        cfg->interrupt_response);
  if (SET (AUTO_TRUNCATE))
    gst_voice_live_json_member_bool (b, "auto_truncate", cfg->auto_truncate);
  if (SET (EAGERNESS))
    gst_voice_live_json_member_str (b, "eagerness",
        gst_voice_live_eagerness_to_wire (cfg->eagerness));
  if (SET (EOU)) {
    const gchar *model = gst_voice_live_eou_model_to_wire (cfg->eou_model);

    json_builder_set_member_name (b, "end_of_utterance_detection");
    if (!model) {
      json_builder_add_null_value (b);
    } else {
      json_builder_begin_object (b);
      gst_voice_live_json_member_str (b, "model", model);
      if (cfg->legacy_eou) {
        gst_voice_live_json_member_double (b, "threshold",
            legacy_eou_threshold (cfg->eou_threshold));
        gst_voice_live_json_member_double (b, "timeout",
            cfg->eou_timeout_ms / 1000.0);
      } else {
        gst_voice_live_json_member_str (b, "threshold_level",
            gst_voice_live_eou_threshold_to_wire (cfg->eou_threshold));
        gst_voice_live_json_member_int (b, "timeout_ms", cfg->eou_timeout_ms);
      }
      json_builder_end_object (b);
    }
  }
  json_builder_end_object (b);
}

gchar *
gst_voice_live_build_session_update (const GstVoiceLiveConfig * cfg,
    guint fields, const gchar * event_id, gint in_format, gint out_format)
{
  return gst_voice_live_build_session_update_full (cfg, fields, event_id,
      in_format, out_format, NULL);
}

/* @name: {"type": @type}, or null when @type is NULL. */
static void
member_typed (JsonBuilder * b, const gchar * name, const gchar * type)
{
  json_builder_set_member_name (b, name);
  if (!type) {
    json_builder_add_null_value (b);
    return;
  }
  json_builder_begin_object (b);
  gst_voice_live_json_member_str (b, "type", type);
  json_builder_end_object (b);
}

/* @name: [@v1, @v2], leaving out the NULL ones. */
static void
member_array2 (JsonBuilder * b, const gchar * name, const gchar * v1,
    const gchar * v2)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  if (v1)
    json_builder_add_string_value (b, v1);
  if (v2)
    json_builder_add_string_value (b, v2);
  json_builder_end_array (b);
}

/* What the model does: modalities, instructions, voice, sampling. */
static void
add_model (JsonBuilder * b, const GstVoiceLiveConfig * cfg, guint fields)
{
  if (SET (MODALITIES))
    member_array2 (b, "modalities",
        (cfg->modalities & GST_VOICE_LIVE_MODALITIES_TEXT) ? "text" : NULL,
        (cfg->modalities & GST_VOICE_LIVE_MODALITIES_AUDIO) ? "audio" : NULL);
  if (SET (INSTRUCTIONS))
    gst_voice_live_json_member_str (b, "instructions",
        cfg->instructions ? cfg->instructions : "");
  if (SET (VOICE))
    add_voice (b, cfg);
  if (SET (TEMPERATURE))
    gst_voice_live_json_member_double (b, "temperature", cfg->temperature);
  if (SET (MAX_TOKENS)) {
    if (cfg->max_output_tokens > 0)
      gst_voice_live_json_member_int (b, "max_response_output_tokens",
          cfg->max_output_tokens);
    else
      gst_voice_live_json_member_str (b, "max_response_output_tokens", "inf");
  }
}

static void
add_tools (JsonBuilder * b, const GstVoiceLiveConfig * cfg, guint fields)
{
  if (SET (TOOLS) && cfg->tools) {
    JsonNode *tools = json_from_string (cfg->tools, NULL);

    /* validated when the element started */
    if (tools) {
      json_builder_set_member_name (b, "tools");
      json_builder_add_value (b, tools);
    }
  }
  if (SET (TOOL_CHOICE) && cfg->tool_choice) {
    if (g_strcmp0 (cfg->tool_choice, "auto") == 0
        || g_strcmp0 (cfg->tool_choice, "none") == 0
        || g_strcmp0 (cfg->tool_choice, "required") == 0) {
      gst_voice_live_json_member_str (b, "tool_choice", cfg->tool_choice);
    } else {
      json_builder_set_member_name (b, "tool_choice");
      json_builder_begin_object (b);
      gst_voice_live_json_member_str (b, "type", "function");
      gst_voice_live_json_member_str (b, "name", cfg->tool_choice);
      json_builder_end_object (b);
    }
  }
}

/* Input audio processing, output timestamps and visemes, and the formats
 * (@in_format / @out_format < 0: left out). */
static void
add_audio (JsonBuilder * b, const GstVoiceLiveConfig * cfg, guint fields,
    gint in_format, gint out_format)
{
  if (SET (NOISE_REDUCTION))
    member_typed (b, "input_audio_noise_reduction",
        gst_voice_live_noise_reduction_to_wire (cfg->noise_reduction));
  if (SET (ECHO_CANCELLATION))
    member_typed (b, "input_audio_echo_cancellation",
        cfg->echo_cancellation == GST_VOICE_LIVE_ECHO_CANCELLATION_SERVER ?
        "server_echo_cancellation" : NULL);
  if (SET (WORD_TIMESTAMPS))
    member_array2 (b, "output_audio_timestamp_types",
        cfg->word_timestamps ? "word" : NULL, NULL);
  if (SET (VISEMES)) {
    json_builder_set_member_name (b, "animation");
    json_builder_begin_object (b);
    member_array2 (b, "outputs", cfg->visemes ? "viseme_id" : NULL, NULL);
    json_builder_end_object (b);
  }
  if (in_format >= 0) {
    gst_voice_live_json_member_str (b, "input_audio_format",
        gst_voice_live_audio_format_input_wire (in_format));
    gst_voice_live_json_member_int (b, "input_audio_sampling_rate",
        gst_voice_live_audio_format_rate (in_format));
  }
  if (out_format >= 0)
    gst_voice_live_json_member_str (b, "output_audio_format",
        gst_voice_live_audio_format_output_wire (out_format));
}

gchar *
gst_voice_live_build_session_update_full (const GstVoiceLiveConfig * cfg,
    guint fields, const gchar * event_id, gint in_format, gint out_format,
    JsonObject * extra)
{
  JsonBuilder *b = gst_voice_live_json_begin_event ("session.update",
      event_id);
  JsonNode *root;
  gchar *s;

  json_builder_set_member_name (b, "session");
  json_builder_begin_object (b);
  add_model (b, cfg, fields);
  add_tools (b, cfg, fields);
  if (SET (TRANSCRIPTION))
    add_transcription (b, cfg);
  add_turn_detection (b, cfg, fields);
  add_audio (b, cfg, fields, in_format, out_format);
  json_builder_end_object (b);
  if (!extra)
    return gst_voice_live_json_end_event (b);

  json_builder_end_object (b);
  root = json_builder_get_root (b);
  gst_voice_live_json_merge (json_object_get_object_member
      (json_node_get_object (root), "session"), extra);
  s = gst_voice_live_json_node_to_string (root);
  json_node_unref (root);
  g_object_unref (b);
  return s;
}

#undef SET

typedef struct
{
  const gchar *param;
  const gchar *property;
} ParamMap;

/* Longest prefixes first */
static const ParamMap param_map[] = {
  {"session.turn_detection.type", "turn-detection"},
  {"session.turn_detection.threshold", "vad-threshold"},
  {"session.turn_detection.prefix_padding_ms", "prefix-padding-ms"},
  {"session.turn_detection.silence_duration_ms", "silence-duration-ms"},
  {"session.turn_detection.speech_duration_ms", "speech-duration-ms"},
  {"session.turn_detection.remove_filler_words", "remove-filler-words"},
  {"session.turn_detection.create_response", "create-response"},
  {"session.turn_detection.interrupt_response", "interrupt-response"},
  {"session.turn_detection.auto_truncate", "auto-truncate"},
  {"session.turn_detection.end_of_utterance_detection.model",
      "end-of-utterance-model"},
  {"session.turn_detection.end_of_utterance_detection.threshold",
      "end-of-utterance-threshold"},
  {"session.turn_detection.end_of_utterance_detection.timeout",
      "end-of-utterance-timeout-ms"},
  {"session.turn_detection.eagerness", "eagerness"},
  {"session.turn_detection", "turn-detection"},
  {"session.input_audio_transcription.model", "transcription-model"},
  {"session.input_audio_transcription.language", "transcription-language"},
  {"session.input_audio_transcription.phrase_list", "phrase-list"},
  {"session.input_audio_transcription", "transcription-model"},
  {"session.input_audio_noise_reduction", "noise-reduction"},
  {"session.input_audio_echo_cancellation", "echo-cancellation"},
  {"session.voice.type", "voice-type"},
  {"session.voice.temperature", "voice-temperature"},
  {"session.voice.rate", "voice-rate"},
  {"session.voice.endpoint_id", "voice-endpoint-id"},
  {"session.voice", "voice"},
  {"session.instructions", "instructions"},
  {"session.temperature", "temperature"},
  {"session.max_response_output_tokens", "max-response-output-tokens"},
  {"session.modalities", "modalities"},
  {"session.tools", "tools"},
  {"session.tool_choice", "tool-choice"},
  {"session.output_audio_timestamp_types", "word-timestamps"},
  {"session.animation", "visemes"},
  {"session.input_audio_format", "caps"},
  {"session.input_audio_sampling_rate", "caps"},
  {"session.output_audio_format", "caps"},
};

const gchar *
gst_voice_live_param_to_property (const gchar * param)
{
  guint i;

  if (!param)
    return NULL;
  for (i = 0; i < G_N_ELEMENTS (param_map); i++)
    if (g_str_has_prefix (param, param_map[i].param))
      return param_map[i].property;
  /* GA hook: session.audio.input.... */
  return gst_voice_live_ga_param_to_property (param);
}

gchar *
gst_voice_live_build_output_format_update (GstVoiceLiveAudioFormat f)
{
  return g_strdup_printf ("{\"type\":\"session.update\",\"session\":"
      "{\"output_audio_format\":\"%s\"}}",
      gst_voice_live_audio_format_output_wire (f));
}
