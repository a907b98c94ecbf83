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
#include "gstvoiceliveprotocol2026.h"
#include "gstvoicelivejson.h"

/* The string members of GstVoiceLiveConfig: copied and freed together */
static const gsize string_members[] = {
  G_STRUCT_OFFSET (GstVoiceLiveConfig, instructions),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, tools),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, tool_choice),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, transcription_model),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, transcription_language),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, phrase_list),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, voice),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, voice_rate),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, voice_endpoint_id),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, td_languages),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, appended_text),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, voice_pitch),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, voice_volume),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, voice_style),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, voice_locale),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, voice_prefer_locales),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, voice_lexicon_url),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, voice_normalization_url),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, voice_model),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, custom_speech),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, transcription_prompt),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, interim_texts),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, interim_instructions),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, interim_json),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, avatar_character),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, avatar_style),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, avatar_crop),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, avatar_background_color),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, avatar_background_image),
  G_STRUCT_OFFSET (GstVoiceLiveConfig, avatar_ice_servers),
};

#define STRING_MEMBER(cfg, i) \
  ((gchar **) G_STRUCT_MEMBER_P ((cfg), string_members[i]))

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
  cfg->parallel_tool_calls = TRUE;
  cfg->interim_triggers = GST_VOICE_LIVE_INTERIM_TRIGGERS_LATENCY;
  cfg->interim_latency_ms = GST_VOICE_LIVE_DEFAULT_INTERIM_LATENCY_MS;
}

void
gst_voice_live_config_clear (GstVoiceLiveConfig * cfg)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (string_members); i++)
    g_free (*STRING_MEMBER (cfg, i));
  gst_voice_live_config_init (cfg);
}

void
gst_voice_live_config_copy (GstVoiceLiveConfig * dest,
    const GstVoiceLiveConfig * src)
{
  guint i;

  if (dest == src)
    return;
  gst_voice_live_config_clear (dest);
  *dest = *src;
  for (i = 0; i < G_N_ELEMENTS (string_members); i++)
    *STRING_MEMBER (dest, i) = g_strdup (*STRING_MEMBER (src, i));
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
  /* tools by type, custom speech, interim response, eagerness */
  return gst_voice_live_config_validate_2026 (cfg, error);
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

/* protocol-2026.md §2.4: short lowercase names, no locale (diya is in
 * 2026-07-15's list, not in 06-01-preview's) */
static const gchar *realtime_native_voices[] = {
  "aarti", "andrew", "ava", "denise", "diya", "elsa", "florian", "francisca",
  "meera", "ximena", "xiaoxiao", "yunxi", NULL
};

gboolean
gst_voice_live_voice_is_realtime_native (const gchar * name)
{
  return name && g_strv_contains (realtime_native_voices, name);
}

GstVoiceLiveVoiceType
gst_voice_live_config_voice_type (const GstVoiceLiveConfig * cfg)
{
  if (cfg->voice_type != GST_VOICE_LIVE_VOICE_TYPE_AUTO)
    return cfg->voice_type;
  if (cfg->voice_endpoint_id && *cfg->voice_endpoint_id)
    return GST_VOICE_LIVE_VOICE_TYPE_AZURE_CUSTOM;
  if (gst_voice_live_voice_is_openai (cfg->voice))
    return GST_VOICE_LIVE_VOICE_TYPE_OPENAI;
  if (gst_voice_live_voice_is_realtime_native (cfg->voice))
    return GST_VOICE_LIVE_VOICE_TYPE_AZURE_REALTIME_NATIVE;
  return GST_VOICE_LIVE_VOICE_TYPE_AZURE_STANDARD;
}

guint
gst_voice_live_fields_whole_objects (guint fields)
{
  if (fields & GST_VOICE_LIVE_FIELD_TURN_GROUP)
    fields |= GST_VOICE_LIVE_FIELD_TURN_GROUP;
  return fields;
}

#define SET(f) ((cfg->set & fields) & GST_VOICE_LIVE_FIELD_##f)
static void
add_voice (JsonBuilder * b, const GstVoiceLiveConfig * cfg)
{
  GstVoiceLiveVoiceType type = gst_voice_live_config_voice_type (cfg);

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
  gst_voice_live_add_voice_2026 (b, cfg);
  json_builder_end_object (b);
}

static void
add_transcription (JsonBuilder * b, const GstVoiceLiveConfig * cfg)
{
  if (!cfg->transcription_model || !*cfg->transcription_model) {
    gst_voice_live_json_member_null (b, "input_audio_transcription");
    return;
  }
  json_builder_set_member_name (b, "input_audio_transcription");
  json_builder_begin_object (b);
  gst_voice_live_json_member_str (b, "model", cfg->transcription_model);
  if (cfg->transcription_language && *cfg->transcription_language)
    gst_voice_live_json_member_str (b, "language", cfg->transcription_language);
  if (cfg->phrase_list && *cfg->phrase_list)
    gst_voice_live_json_member_split (b, "phrase_list", cfg->phrase_list, ",");
  gst_voice_live_add_transcription_2026 (b, cfg);
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
add_eou (JsonBuilder * b, const GstVoiceLiveConfig * cfg)
{
  const gchar *model = gst_voice_live_eou_model_to_wire (cfg->eou_model);

  json_builder_set_member_name (b, "end_of_utterance_detection");
  if (!model) {
    json_builder_add_null_value (b);
    return;
  }
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

/* The whole turn_detection object from every set field of its group
 * (@fields brings the group: gst_voice_live_fields_whole_objects()). The
 * service takes the object whole, so a live change of one field re-sends
 * the others; without turn-detection set it carries no type, as at the
 * start of the session (the service default type then applies both
 * times). */
static void
add_turn_detection (JsonBuilder * b, const GstVoiceLiveConfig * cfg,
    guint fields)
{
  const gchar *type = NULL;

  if (SET (TURN_TYPE)) {
    if (cfg->turn_detection == GST_VOICE_LIVE_TURN_DETECTION_NONE) {
      gst_voice_live_json_member_null (b, "turn_detection");
      return;
    }
    type = gst_voice_live_turn_detection_to_wire (cfg->turn_detection);
  }
  if (!type && !(cfg->set & fields & GST_VOICE_LIVE_FIELD_TURN_GROUP))
    return;
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
  if (SET (TD_LANGUAGES))
    gst_voice_live_json_member_split (b, "languages", cfg->td_languages, ",");
  if (SET (CREATE_RESPONSE))
    gst_voice_live_json_member_bool (b, "create_response",
        cfg->create_response);
  if (SET (INTERRUPT_RESPONSE))
    gst_voice_live_json_member_bool (b, "interrupt_response",
        cfg->interrupt_response);
  if (SET (AUTO_TRUNCATE))
    gst_voice_live_json_member_bool (b, "auto_truncate", cfg->auto_truncate);
  if (SET (APPENDED_TEXT))
    gst_voice_live_json_member_str (b, "appended_text_after_truncation",
        cfg->appended_text ? cfg->appended_text : "");
  if (SET (EAGERNESS))
    gst_voice_live_json_member_str (b, "eagerness",
        gst_voice_live_eagerness_to_wire (cfg->eagerness));
  if (SET (EOU))
    add_eou (b, cfg);
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
  if (SET (ECHO_CANCELLATION)
      && cfg->echo_cancellation ==
      GST_VOICE_LIVE_ECHO_CANCELLATION_CLIENT_REFERENCE) {
    /* protocol-2026.md 2.3: the only valid pair with a client reference */
    json_builder_set_member_name (b, "input_audio_echo_cancellation");
    json_builder_begin_object (b);
    gst_voice_live_json_member_str (b, "type", "server_echo_cancellation");
    gst_voice_live_json_member_str (b, "reference_source", "client");
    gst_voice_live_json_member_int (b, "channels", 2);
    json_builder_end_object (b);
  } else if (SET (ECHO_CANCELLATION))
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

  fields = gst_voice_live_fields_whole_objects (fields);
  json_builder_set_member_name (b, "session");
  json_builder_begin_object (b);
  add_model (b, cfg, fields);
  add_tools (b, cfg, fields);
  gst_voice_live_add_session_2026 (b, cfg, fields);
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
  {"session.turn_detection.end_of_utterance_detection.threshold",
      "end-of-utterance-threshold"},
  {"session.turn_detection.end_of_utterance_detection.timeout",
      "end-of-utterance-timeout-ms"},
  /* the model, and the whole object (text-based models refused on
   * speech-native pipelines, §2.1) */
  {"session.turn_detection.end_of_utterance_detection",
      "end-of-utterance-model"},
  {"session.turn_detection.eagerness", "eagerness"},
  {"session.turn_detection.languages", "turn-detection-languages"},
  {"session.turn_detection.appended_text_after_truncation",
      "appended-text-after-truncation"},
  {"session.turn_detection", "turn-detection"},
  {"session.input_audio_transcription.model", "transcription-model"},
  {"session.input_audio_transcription.language", "transcription-language"},
  {"session.input_audio_transcription.phrase_list", "phrase-list"},
  {"session.input_audio_transcription.prompt", "transcription-prompt"},
  {"session.input_audio_transcription.custom_speech",
      "transcription-custom-speech"},
  {"session.input_audio_transcription", "transcription-model"},
  {"session.input_audio_noise_reduction", "noise-reduction"},
  {"session.input_audio_echo_cancellation", "echo-cancellation"},
  {"session.voice.type", "voice-type"},
  {"session.voice.temperature", "voice-temperature"},
  {"session.voice.rate", "voice-rate"},
  {"session.voice.endpoint_id", "voice-endpoint-id"},
  {"session.voice.pitch", "voice-pitch"},
  {"session.voice.volume", "voice-volume"},
  {"session.voice.style", "voice-style"},
  {"session.voice.locale", "voice-locale"},
  {"session.voice.prefer_locales", "voice-prefer-locales"},
  {"session.voice.custom_lexicon_url", "voice-custom-lexicon-url"},
  {"session.voice.custom_text_normalization_url",
      "voice-custom-text-normalization-url"},
  {"session.voice.model", "voice-model"},
  {"session.voice", "voice"},
  {"session.instructions", "instructions"},
  {"session.temperature", "temperature"},
  {"session.max_response_output_tokens", "max-response-output-tokens"},
  {"session.modalities", "modalities"},
  {"session.tools", "tools"},
  {"session.tool_choice", "tool-choice"},
  {"session.parallel_tool_calls", "parallel-tool-calls"},
  {"session.include", "include"},
  {"session.interim_response.type", "interim-response-type"},
  {"session.interim_response.triggers", "interim-response-triggers"},
  {"session.interim_response.latency_threshold_ms",
      "interim-response-latency-ms"},
  {"session.interim_response.texts", "interim-response-texts"},
  {"session.interim_response.instructions",
      "interim-response-instructions"},
  {"session.interim_response", "interim-response-json"},
  {"session.avatar.character", "avatar-character"},
  {"session.avatar.style", "avatar-style"},
  {"session.avatar.type", "avatar-photo"},
  {"session.avatar.model", "avatar-photo"},
  {"session.avatar.customized", "avatar-customized"},
  {"session.avatar.video.resolution.height", "avatar-height"},
  {"session.avatar.video.resolution", "avatar-width"},
  {"session.avatar.video.bitrate", "avatar-bitrate"},
  {"session.avatar.video.crop", "avatar-crop"},
  {"session.avatar.video.background.color", "avatar-background-color"},
  {"session.avatar.video.background.image_url", "avatar-background-image"},
  {"session.avatar.output_protocol", "avatar-output-protocol"},
  {"session.avatar.ice_servers", "avatar-ice-servers"},
  {"session.avatar", "avatar-character"},
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

const gchar *
gst_voice_live_param_hint (const gchar * param)
{
  /* protocol-2026.md §2.1: the whole session.update is refused */
  if (g_strcmp0 (param, "session.turn_detection.end_of_utterance_detection")
      == 0)
    return "text-based end-of-utterance models need a cascaded pipeline: "
        "use end-of-utterance-model=smart-end-of-turn-detection (audio-"
        "based) with gpt-realtime models, or a cascaded model (gpt-4o, "
        "gpt-4.1, phi4-mm-realtime, ...); the whole session.update was "
        "refused, so none of its settings apply";
  return NULL;
}

gchar *
gst_voice_live_build_output_format_update (GstVoiceLiveAudioFormat f)
{
  return g_strdup_printf ("{\"type\":\"session.update\",\"session\":"
      "{\"output_audio_format\":\"%s\"}}",
      gst_voice_live_audio_format_output_wire (f));
}
