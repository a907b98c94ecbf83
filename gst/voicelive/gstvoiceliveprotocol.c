/* gst-voicelive
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gio/gio.h>
#include "gstvoiceliveprotocol.h"
#include "gstvoiceliveprotocolga.h"

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
member_str (JsonBuilder * b, const gchar * name, const gchar * v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, v);
}

static void
member_int (JsonBuilder * b, const gchar * name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

/* json-glib 1.6 writes doubles with 17 digits (0.1 becomes
 * 0.10000000000000001); the wire should carry what the user typed. Doubles
 * go in as marked strings and builder_to_string() rewrites them. */
#define DOUBLE_MARK "\001vld:"

static void
member_double (JsonBuilder * b, const gchar * name, gdouble v)
{
  gchar num[G_ASCII_DTOSTR_BUF_SIZE];
  gchar *marked;

  g_ascii_formatd (num, sizeof (num), "%.15g", v);
  marked = g_strconcat (DOUBLE_MARK, num, NULL);
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, marked);
  g_free (marked);
}

static void
member_bool (JsonBuilder * b, const gchar * name, gboolean v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, v);
}

static void
member_null (JsonBuilder * b, const gchar * name)
{
  json_builder_set_member_name (b, name);
  json_builder_add_null_value (b);
}

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
    member_str (b, "name", cfg->voice);
  member_str (b, "type", gst_voice_live_voice_type_to_wire (type));
  if (cfg->voice_temperature >= 0)
    member_double (b, "temperature", cfg->voice_temperature);
  if (cfg->voice_rate && *cfg->voice_rate)
    member_str (b, "rate", cfg->voice_rate);
  if (cfg->voice_endpoint_id && *cfg->voice_endpoint_id)
    member_str (b, "endpoint_id", cfg->voice_endpoint_id);
  json_builder_end_object (b);
}

static void
add_transcription (JsonBuilder * b, const GstVoiceLiveConfig * cfg)
{
  gchar **phrases;
  guint i;

  if (!cfg->transcription_model || !*cfg->transcription_model) {
    member_null (b, "input_audio_transcription");
    return;
  }
  json_builder_set_member_name (b, "input_audio_transcription");
  json_builder_begin_object (b);
  member_str (b, "model", cfg->transcription_model);
  if (cfg->transcription_language && *cfg->transcription_language)
    member_str (b, "language", cfg->transcription_language);
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
      member_null (b, "turn_detection");
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
    member_str (b, "type", type);
  if (SET (VAD_THRESHOLD))
    member_double (b, "threshold", cfg->vad_threshold);
  if (SET (PREFIX_PADDING))
    member_int (b, "prefix_padding_ms", cfg->prefix_padding_ms);
  if (SET (SILENCE_DURATION))
    member_int (b, "silence_duration_ms", cfg->silence_duration_ms);
  if (SET (SPEECH_DURATION))
    member_int (b, "speech_duration_ms", cfg->speech_duration_ms);
  if (SET (REMOVE_FILLER))
    member_bool (b, "remove_filler_words", cfg->remove_filler_words);
  if (SET (CREATE_RESPONSE))
    member_bool (b, "create_response", cfg->create_response);
  if (SET (INTERRUPT_RESPONSE))
    member_bool (b, "interrupt_response", cfg->interrupt_response);
  if (SET (AUTO_TRUNCATE))
    member_bool (b, "auto_truncate", cfg->auto_truncate);
  if (SET (EAGERNESS))
    member_str (b, "eagerness",
        gst_voice_live_eagerness_to_wire (cfg->eagerness));
  if (SET (EOU)) {
    const gchar *model = gst_voice_live_eou_model_to_wire (cfg->eou_model);

    json_builder_set_member_name (b, "end_of_utterance_detection");
    if (!model) {
      json_builder_add_null_value (b);
    } else {
      json_builder_begin_object (b);
      member_str (b, "model", model);
      if (cfg->legacy_eou) {
        member_double (b, "threshold",
            legacy_eou_threshold (cfg->eou_threshold));
        member_double (b, "timeout", cfg->eou_timeout_ms / 1000.0);
      } else {
        member_str (b, "threshold_level",
            gst_voice_live_eou_threshold_to_wire (cfg->eou_threshold));
        member_int (b, "timeout_ms", cfg->eou_timeout_ms);
      }
      json_builder_end_object (b);
    }
  }
  json_builder_end_object (b);
}

static gchar *
node_to_string (JsonNode * root)
{
  static const gchar mark[] = "\"\\u0001vld:";
  gchar *s = json_to_string (root, FALSE);
  GString *out;
  const gchar *p, *m;

  if (!strstr (s, mark))
    return s;
  /* "\u0001vld:0.1" -> 0.1 */
  out = g_string_sized_new (strlen (s));
  p = s;
  while ((m = strstr (p, mark))) {
    const gchar *num = m + strlen (mark);
    const gchar *end = strchr (num, '"');

    g_string_append_len (out, p, m - p);
    g_string_append_len (out, num, end - num);
    p = end + 1;
  }
  g_string_append (out, p);
  g_free (s);
  return g_string_free (out, FALSE);
}

static gchar *
builder_to_string (JsonBuilder * b)
{
  JsonNode *root = json_builder_get_root (b);
  gchar *s = node_to_string (root);

  json_node_unref (root);
  g_object_unref (b);
  return s;
}

gchar *
gst_voice_live_build_session_update (const GstVoiceLiveConfig * cfg,
    guint fields, const gchar * event_id, gint in_format, gint out_format)
{
  return gst_voice_live_build_session_update_full (cfg, fields, event_id,
      in_format, out_format, NULL);
}

gchar *
gst_voice_live_build_session_update_full (const GstVoiceLiveConfig * cfg,
    guint fields, const gchar * event_id, gint in_format, gint out_format,
    JsonObject * extra)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  member_str (b, "type", "session.update");
  if (event_id)
    member_str (b, "event_id", event_id);
  json_builder_set_member_name (b, "session");
  json_builder_begin_object (b);

  if (SET (MODALITIES)) {
    json_builder_set_member_name (b, "modalities");
    json_builder_begin_array (b);
    if (cfg->modalities & GST_VOICE_LIVE_MODALITIES_TEXT)
      json_builder_add_string_value (b, "text");
    if (cfg->modalities & GST_VOICE_LIVE_MODALITIES_AUDIO)
      json_builder_add_string_value (b, "audio");
    json_builder_end_array (b);
  }
  if (SET (INSTRUCTIONS))
    member_str (b, "instructions", cfg->instructions ? cfg->instructions : "");
  if (SET (VOICE))
    add_voice (b, cfg);
  if (SET (TEMPERATURE))
    member_double (b, "temperature", cfg->temperature);
  if (SET (MAX_TOKENS)) {
    if (cfg->max_output_tokens > 0)
      member_int (b, "max_response_output_tokens", cfg->max_output_tokens);
    else
      member_str (b, "max_response_output_tokens", "inf");
  }
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
      member_str (b, "tool_choice", cfg->tool_choice);
    } else {
      json_builder_set_member_name (b, "tool_choice");
      json_builder_begin_object (b);
      member_str (b, "type", "function");
      member_str (b, "name", cfg->tool_choice);
      json_builder_end_object (b);
    }
  }
  if (SET (TRANSCRIPTION))
    add_transcription (b, cfg);
  add_turn_detection (b, cfg, fields);
  if (SET (NOISE_REDUCTION)) {
    const gchar *t = gst_voice_live_noise_reduction_to_wire
        (cfg->noise_reduction);

    json_builder_set_member_name (b, "input_audio_noise_reduction");
    if (t) {
      json_builder_begin_object (b);
      member_str (b, "type", t);
      json_builder_end_object (b);
    } else {
      json_builder_add_null_value (b);
    }
  }
  if (SET (ECHO_CANCELLATION)) {
    json_builder_set_member_name (b, "input_audio_echo_cancellation");
    if (cfg->echo_cancellation == GST_VOICE_LIVE_ECHO_CANCELLATION_SERVER) {
      json_builder_begin_object (b);
      member_str (b, "type", "server_echo_cancellation");
      json_builder_end_object (b);
    } else {
      json_builder_add_null_value (b);
    }
  }
  if (SET (WORD_TIMESTAMPS)) {
    json_builder_set_member_name (b, "output_audio_timestamp_types");
    json_builder_begin_array (b);
    if (cfg->word_timestamps)
      json_builder_add_string_value (b, "word");
    json_builder_end_array (b);
  }
  if (SET (VISEMES)) {
    json_builder_set_member_name (b, "animation");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "outputs");
    json_builder_begin_array (b);
    if (cfg->visemes)
      json_builder_add_string_value (b, "viseme_id");
    json_builder_end_array (b);
    json_builder_end_object (b);
  }

  if (in_format >= 0) {
    member_str (b, "input_audio_format",
        gst_voice_live_audio_format_input_wire (in_format));
    member_int (b, "input_audio_sampling_rate",
        gst_voice_live_audio_format_rate (in_format));
  }
  if (out_format >= 0)
    member_str (b, "output_audio_format",
        gst_voice_live_audio_format_output_wire (out_format));

  json_builder_end_object (b);
  json_builder_end_object (b);
  if (extra) {
    JsonNode *root = json_builder_get_root (b);
    gchar *s;

    gst_voice_live_json_merge (json_object_get_object_member
        (json_node_get_object (root), "session"), extra);
    s = node_to_string (root);
    json_node_unref (root);
    g_object_unref (b);
    return s;
  }
  return builder_to_string (b);
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

/* Three bytes at a time, no line breaks; GLib's encoder goes a byte at a
 * time through its state machine, which showed in profiles. */
gsize
gst_voice_live_base64_encode (const guint8 * in, gsize len, gchar * out)
{
  static const gchar abc[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  gchar *o = out;
  gsize i = 0;

  for (; i + 3 <= len; i += 3, o += 4) {
    guint32 v = ((guint32) in[i] << 16) | ((guint32) in[i + 1] << 8) | in[i +
        2];

    o[0] = abc[v >> 18];
    o[1] = abc[(v >> 12) & 63];
    o[2] = abc[(v >> 6) & 63];
    o[3] = abc[v & 63];
  }
  if (i < len) {
    guint32 v = (guint32) in[i] << 16;

    if (i + 1 < len)
      v |= (guint32) in[i + 1] << 8;
    o[0] = abc[v >> 18];
    o[1] = abc[(v >> 12) & 63];
    o[2] = i + 1 < len ? abc[(v >> 6) & 63] : '=';
    o[3] = '=';
    o += 4;
  }
  return o - out;
}

void
gst_voice_live_build_append (GString * out, const guint8 * data, gsize len)
{
  static const gchar prefix[] =
      "{\"type\":\"input_audio_buffer.append\",\"audio\":\"";
  gsize start, n;

  g_string_truncate (out, 0);
  g_string_append_len (out, prefix, sizeof (prefix) - 1);
  start = out->len;
  g_string_set_size (out, start + (len + 2) / 3 * 4 + 2);
  n = gst_voice_live_base64_encode (data, len, out->str + start);
  g_string_truncate (out, start + n);
  g_string_append_len (out, "\"}", 2);
}

gchar *
gst_voice_live_build_simple (const gchar * type, const gchar * event_id)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  if (event_id) {
    json_builder_set_member_name (b, "event_id");
    json_builder_add_string_value (b, event_id);
  }
  json_builder_end_object (b);
  return builder_to_string (b);
}

gchar *
gst_voice_live_build_truncate (const gchar * item_id, gint content_index,
    gint64 audio_end_ms)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "conversation.item.truncate");
  json_builder_set_member_name (b, "item_id");
  json_builder_add_string_value (b, item_id);
  json_builder_set_member_name (b, "content_index");
  json_builder_add_int_value (b, content_index);
  json_builder_set_member_name (b, "audio_end_ms");
  json_builder_add_int_value (b, audio_end_ms);
  json_builder_end_object (b);
  return builder_to_string (b);
}

gchar *
gst_voice_live_build_barrier (const gchar * event_id)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "session.update");
  json_builder_set_member_name (b, "event_id");
  json_builder_add_string_value (b, event_id);
  json_builder_set_member_name (b, "session");
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return builder_to_string (b);
}

gchar *
gst_voice_live_build_response_create (const gchar * event_id,
    const gchar * instructions)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "response.create");
  if (event_id) {
    json_builder_set_member_name (b, "event_id");
    json_builder_add_string_value (b, event_id);
  }
  if (instructions) {
    json_builder_set_member_name (b, "response");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "instructions");
    json_builder_add_string_value (b, instructions);
    json_builder_end_object (b);
  }
  json_builder_end_object (b);
  return builder_to_string (b);
}

gchar *
gst_voice_live_build_user_text (const gchar * text)
{
  return gst_voice_live_build_text_item (TRUE, text);
}

gchar *
gst_voice_live_build_text_item (gboolean user, const gchar * text)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  member_str (b, "type", "conversation.item.create");
  json_builder_set_member_name (b, "item");
  json_builder_begin_object (b);
  member_str (b, "type", "message");
  member_str (b, "role", user ? "user" : "assistant");
  json_builder_set_member_name (b, "content");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  member_str (b, "type", user ? "input_text" : "text");
  member_str (b, "text", text ? text : "");
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return builder_to_string (b);
}

gchar *
gst_voice_live_build_function_output (const gchar * call_id,
    const gchar * output)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  member_str (b, "type", "conversation.item.create");
  json_builder_set_member_name (b, "item");
  json_builder_begin_object (b);
  member_str (b, "type", "function_call_output");
  member_str (b, "call_id", call_id);
  member_str (b, "output", output);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return builder_to_string (b);
}

void
gst_voice_live_json_merge (JsonObject * dest, JsonObject * src)
{
  GList *members = json_object_get_members (src), *l;

  for (l = members; l; l = l->next) {
    const gchar *name = l->data;
    JsonNode *sv = json_object_get_member (src, name);
    JsonNode *dv = json_object_get_member (dest, name);

    if (dv && JSON_NODE_HOLDS_OBJECT (dv) && JSON_NODE_HOLDS_OBJECT (sv))
      gst_voice_live_json_merge (json_node_get_object (dv),
          json_node_get_object (sv));
    else
      json_object_set_member (dest, name, json_node_copy (sv));
  }
  g_list_free (members);
}

/* ---- parsing ---- */

static const gchar *
get_str (JsonObject * o, const gchar * name)
{
  JsonNode *n;

  if (!o)
    return NULL;
  n = json_object_get_member (o, name);
  if (!n || !JSON_NODE_HOLDS_VALUE (n)
      || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gint64
get_int (JsonObject * o, const gchar * name)
{
  JsonNode *n;
  GType t;

  if (!o)
    return -1;
  n = json_object_get_member (o, name);
  if (!n || !JSON_NODE_HOLDS_VALUE (n))
    return -1;
  t = json_node_get_value_type (n);
  if (t == G_TYPE_INT64)
    return json_node_get_int (n);
  if (t == G_TYPE_DOUBLE) {
    gdouble d = json_node_get_double (n);

    /* Casting NaN, inf or out-of-range doubles is undefined (found by
     * fuzzing): such a value reads as absent. */
    if (!(d >= -9.2e18 && d <= 9.2e18))
      return -1;
    return (gint64) d;
  }
  return -1;
}

/* The length of the first JSON value in @data, skipping strings; 0 if it
 * does not close. */
static gsize
first_value_end (const gchar * data, gsize len)
{
  gsize i;
  gint depth = 0;
  gboolean in_string = FALSE, started = FALSE;

  for (i = 0; i < len; i++) {
    gchar c = data[i];

    if (in_string) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_string = FALSE;
      continue;
    }
    if (c == '"') {
      in_string = TRUE;
    } else if (c == '{' || c == '[') {
      depth++;
      started = TRUE;
    } else if (c == '}' || c == ']') {
      if (--depth == 0 && started)
        return i + 1;
    }
  }
  return 0;
}

static JsonObject *
get_obj (JsonObject * o, const gchar * name)
{
  JsonNode *n;

  if (!o)
    return NULL;
  n = json_object_get_member (o, name);
  if (!n || !JSON_NODE_HOLDS_OBJECT (n))
    return NULL;
  return json_node_get_object (n);
}

typedef struct
{
  const gchar *type;
  GstVoiceLiveEventKind kind;
} KindMap;

/* Both spellings: Voice Live / OpenAI beta, and OpenAI GA. */
static const KindMap kind_map[] = {
  {"response.audio.delta", GST_VOICE_LIVE_EVENT_AUDIO_DELTA},
  {"response.output_audio.delta", GST_VOICE_LIVE_EVENT_AUDIO_DELTA},
  {"response.audio_transcript.delta",
      GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DELTA},
  {"response.output_audio_transcript.delta",
      GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DELTA},
  {"error", GST_VOICE_LIVE_EVENT_ERROR},
  {"session.created", GST_VOICE_LIVE_EVENT_SESSION_CREATED},
  {"session.updated", GST_VOICE_LIVE_EVENT_SESSION_UPDATED},
  {"input_audio_buffer.speech_started", GST_VOICE_LIVE_EVENT_SPEECH_STARTED},
  {"input_audio_buffer.speech_stopped", GST_VOICE_LIVE_EVENT_SPEECH_STOPPED},
  {"input_audio_buffer.committed", GST_VOICE_LIVE_EVENT_INPUT_COMMITTED},
  {"conversation.item.input_audio_transcription.delta",
      GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DELTA},
  {"conversation.item.input_audio_transcription.completed",
      GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DONE},
  {"response.created", GST_VOICE_LIVE_EVENT_RESPONSE_CREATED},
  {"response.done", GST_VOICE_LIVE_EVENT_RESPONSE_DONE},
  {"response.audio.done", GST_VOICE_LIVE_EVENT_AUDIO_DONE},
  {"response.output_audio.done", GST_VOICE_LIVE_EVENT_AUDIO_DONE},
  {"response.audio_transcript.done",
      GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DONE},
  {"response.output_audio_transcript.done",
      GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DONE},
  {"response.text.delta", GST_VOICE_LIVE_EVENT_TEXT_DELTA},
  {"response.output_text.delta", GST_VOICE_LIVE_EVENT_TEXT_DELTA},
  {"response.text.done", GST_VOICE_LIVE_EVENT_TEXT_DONE},
  {"response.output_text.done", GST_VOICE_LIVE_EVENT_TEXT_DONE},
  {"response.function_call_arguments.done",
      GST_VOICE_LIVE_EVENT_FUNCTION_CALL_DONE},
};

static GstVoiceLiveEventKind
kind_from_type (const gchar * type)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (kind_map); i++)
    if (strcmp (kind_map[i].type, type) == 0)
      return kind_map[i].kind;
  return GST_VOICE_LIVE_EVENT_OTHER;
}

void
gst_voice_live_event_clear (GstVoiceLiveEvent * ev)
{
  if (ev->root)
    json_node_unref (ev->root);
  memset (ev, 0, sizeof (*ev));
  ev->audio_start_ms = ev->audio_end_ms = -1;
  ev->input_tokens = ev->output_tokens = ev->total_tokens = -1;
}

gboolean
gst_voice_live_event_parse (GstVoiceLiveEvent * ev, JsonParser * parser,
    const gchar * data, gssize len, GError ** error)
{
  JsonObject *o, *sub;

  memset (ev, 0, sizeof (*ev));
  gst_voice_live_event_clear (ev);

  /* json-glib 1.6 takes "{...}{...}" as one document, keeping the first
   * object and leaking the rest: a frame is exactly one value. */
  if (len < 0)
    len = strlen (data);
  {
    gsize end = first_value_end (data, len);

    while (end > 0 && end < (gsize) len && g_ascii_isspace (data[end]))
      end++;
    if (end != 0 && end != (gsize) len) {
      g_set_error_literal (error, JSON_PARSER_ERROR,
          JSON_PARSER_ERROR_INVALID_DATA, "more than one JSON value in the "
          "frame");
      return FALSE;
    }
  }
  if (!json_parser_load_from_data (parser, data, len, error))
    return FALSE;
  ev->root = json_parser_steal_root (parser);
  if (!ev->root || !JSON_NODE_HOLDS_OBJECT (ev->root)) {
    g_set_error_literal (error, JSON_PARSER_ERROR,
        JSON_PARSER_ERROR_INVALID_DATA, "event is not a JSON object");
    gst_voice_live_event_clear (ev);
    return FALSE;
  }
  o = ev->obj = json_node_get_object (ev->root);
  ev->type = get_str (o, "type");
  if (!ev->type) {
    g_set_error_literal (error, JSON_PARSER_ERROR,
        JSON_PARSER_ERROR_INVALID_DATA, "event has no string \"type\"");
    gst_voice_live_event_clear (ev);
    return FALSE;
  }
  ev->kind = kind_from_type (ev->type);
  /* GA hook: events only the GA dialect has */
  if (ev->kind == GST_VOICE_LIVE_EVENT_OTHER)
    ev->kind = gst_voice_live_ga_event_kind (ev->type);
  ev->event_id = get_str (o, "event_id");
  ev->item_id = get_str (o, "item_id");
  ev->response_id = get_str (o, "response_id");

  switch (ev->kind) {
    case GST_VOICE_LIVE_EVENT_AUDIO_DELTA:
    case GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DELTA:
    case GST_VOICE_LIVE_EVENT_TEXT_DELTA:
    case GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DELTA:
      ev->text = get_str (o, "delta");
      break;
    case GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DONE:
    case GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DONE:
      ev->text = get_str (o, "transcript");
      break;
    case GST_VOICE_LIVE_EVENT_TEXT_DONE:
      ev->text = get_str (o, "text");
      break;
    case GST_VOICE_LIVE_EVENT_FUNCTION_CALL_DONE:
      ev->text = get_str (o, "arguments");
      ev->call_id = get_str (o, "call_id");
      ev->name = get_str (o, "name");
      break;
    case GST_VOICE_LIVE_EVENT_SESSION_CREATED:
    case GST_VOICE_LIVE_EVENT_SESSION_UPDATED:
      ev->session_id = get_str (get_obj (o, "session"), "id");
      break;
    case GST_VOICE_LIVE_EVENT_SPEECH_STARTED:
      ev->audio_start_ms = get_int (o, "audio_start_ms");
      break;
    case GST_VOICE_LIVE_EVENT_SPEECH_STOPPED:
      ev->audio_end_ms = get_int (o, "audio_end_ms");
      break;
    case GST_VOICE_LIVE_EVENT_INPUT_TIMEOUT:
      ev->audio_start_ms = get_int (o, "audio_start_ms");
      ev->audio_end_ms = get_int (o, "audio_end_ms");
      break;
    case GST_VOICE_LIVE_EVENT_RESPONSE_CREATED:
    case GST_VOICE_LIVE_EVENT_RESPONSE_DONE:
      sub = get_obj (o, "response");
      ev->response_id = get_str (sub, "id");
      ev->status = get_str (sub, "status");
      ev->reason = get_str (get_obj (sub, "status_details"), "reason");
      sub = get_obj (sub, "usage");
      ev->input_tokens = get_int (sub, "input_tokens");
      ev->output_tokens = get_int (sub, "output_tokens");
      ev->total_tokens = get_int (sub, "total_tokens");
      break;
    case GST_VOICE_LIVE_EVENT_ERROR:
      sub = get_obj (o, "error");
      ev->error_type = get_str (sub, "type");
      ev->error_code = get_str (sub, "code");
      ev->error_message = get_str (sub, "message");
      ev->error_param = get_str (sub, "param");
      ev->error_event_id = get_str (sub, "event_id");
      break;
    default:
      break;
  }
  return TRUE;
}

/* ---- audio delta fast path ---- */

static const gchar *
skip_ws (const gchar * p, const gchar * end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

/* A string without escapes or control characters: its span, or NULL. */
static const gchar *
plain_string (const gchar * p, const gchar * end, GstVoiceLiveSpan * span)
{
  const gchar *start;

  if (p >= end || *p != '"')
    return NULL;
  start = ++p;
  /* Audio frames are ASCII: anything else (escapes, control characters,
   * non-ASCII bytes that may not even be UTF-8) goes to the full parser,
   * which validates it (the fuzzer found the fast path accepting invalid
   * UTF-8 that json-glib refuses). */
  while (p < end && *p != '"') {
    if (*p == '\\' || (guchar) * p < 0x20 || (guchar) * p >= 0x80)
      return NULL;
    p++;
  }
  if (p >= end)
    return NULL;
  span->str = start;
  span->len = p - start;
  return p + 1;
}

/* A scalar value, exactly as JSON spells it (true, false, null, or a
 * number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?): skipped. NULL
 * for anything else (the fuzzer found "nde0" taken for a scalar). */
static const gchar *
skip_scalar (const gchar * p, const gchar * end)
{
  static const gchar *literals[] = { "true", "false", "null" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (literals); i++) {
    gsize n = strlen (literals[i]);

    if ((gsize) (end - p) >= n && memcmp (p, literals[i], n) == 0)
      return p + n;
  }
  if (p < end && *p == '-')
    p++;
  if (p >= end || !g_ascii_isdigit (*p))
    return NULL;
  if (*p == '0')
    p++;
  else
    while (p < end && g_ascii_isdigit (*p))
      p++;
  if (p < end && *p == '.') {
    p++;
    if (p >= end || !g_ascii_isdigit (*p))
      return NULL;
    while (p < end && g_ascii_isdigit (*p))
      p++;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < end && (*p == '+' || *p == '-'))
      p++;
    if (p >= end || !g_ascii_isdigit (*p))
      return NULL;
    while (p < end && g_ascii_isdigit (*p))
      p++;
  }
  return p;
}

static gboolean
span_is (const GstVoiceLiveSpan * s, const gchar * lit)
{
  gsize n = strlen (lit);

  return s->len == n && memcmp (s->str, lit, n) == 0;
}

gboolean
gst_voice_live_parse_audio_delta (const gchar * data, gsize len,
    GstVoiceLiveSpan * delta, GstVoiceLiveSpan * item_id,
    GstVoiceLiveSpan * response_id)
{
  const gchar *p = data, *end = data + len;
  GstVoiceLiveSpan key, value, type = { NULL, 0 };
  gboolean have_delta = FALSE;

  memset (delta, 0, sizeof (*delta));
  memset (item_id, 0, sizeof (*item_id));
  memset (response_id, 0, sizeof (*response_id));
  /* Cheap rejection: audio deltas are the only large, frequent frames. */
  if (len < 40 || !g_strstr_len (data, MIN (len, 64), "audio.delta"))
    return FALSE;

  p = skip_ws (p, end);
  if (p >= end || *p++ != '{')
    return FALSE;
  while (TRUE) {
    const gchar *v;

    p = skip_ws (p, end);
    if (!(p = plain_string (p, end, &key)))
      return FALSE;
    p = skip_ws (p, end);
    if (p >= end || *p++ != ':')
      return FALSE;
    p = skip_ws (p, end);
    if (p < end && *p == '"') {
      if (!(p = plain_string (p, end, &value)))
        return FALSE;
      if (span_is (&key, "type")) {
        type = value;
      } else if (span_is (&key, "delta")) {
        *delta = value;
        have_delta = TRUE;
      } else if (span_is (&key, "item_id")) {
        *item_id = value;
      } else if (span_is (&key, "response_id")) {
        *response_id = value;
      }
    } else {
      /* Nested values (or a non-string delta/id) take the slow path. */
      if (span_is (&key, "delta") || span_is (&key, "type")
          || span_is (&key, "item_id") || span_is (&key, "response_id"))
        return FALSE;
      v = skip_scalar (p, end);
      if (!v)
        return FALSE;
      p = v;
    }
    p = skip_ws (p, end);
    if (p < end && *p == ',') {
      p++;
      continue;
    }
    if (p < end && *p == '}')
      break;
    return FALSE;
  }
  p = skip_ws (p + 1, end);
  if (p != end)
    return FALSE;
  return have_delta && (span_is (&type, "response.audio.delta")
      || span_is (&type, "response.output_audio.delta"));
}

static const guint8 b64_rev[256] = {
#define X 0xff
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, 62, X, X, X, 63,
  52, 53, 54, 55, 56, 57, 58, 59, 60, 61, X, X, X, X, X, X,
  X, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
  15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, X, X, X, X, X,
  X, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
#undef X
};

gboolean
gst_voice_live_base64_decode (const gchar * b64, gsize len, guint8 * out,
    gsize * out_len)
{
  const guint8 *s = (const guint8 *) b64;
  gsize i, o = 0, pad = 0;

  /* GLib's decoder skips invalid characters silently; audio must not be
   * silently corrupted, so validate. */
  if (len % 4 != 0)
    return FALSE;
  if (len >= 1 && s[len - 1] == '=')
    pad++;
  if (len >= 2 && s[len - 2] == '=')
    pad++;

  for (i = 0; i < len; i += 4) {
    guint8 a = b64_rev[s[i]], b = b64_rev[s[i + 1]];
    guint8 c = b64_rev[s[i + 2]], d = b64_rev[s[i + 3]];
    gboolean last = (i + 4 == len);

    if (a == 0xff || b == 0xff)
      return FALSE;
    if (last && pad > 0) {
      if (pad == 2) {
        out[o++] = (guint8) (a << 2 | b >> 4);
        break;
      }
      if (c == 0xff)
        return FALSE;
      out[o++] = (guint8) (a << 2 | b >> 4);
      out[o++] = (guint8) (b << 4 | c >> 2);
      break;
    }
    if (c == 0xff || d == 0xff)
      return FALSE;
    out[o++] = (guint8) (a << 2 | b >> 4);
    out[o++] = (guint8) (b << 4 | c >> 2);
    out[o++] = (guint8) (c << 6 | d);
  }
  *out_len = o;
  return TRUE;
}

/* ---- URL ---- */

/* @host as GUri gives it (IPv6 without brackets). Only an IP literal in
 * 127.0.0.0/8 or ::1, or exactly "localhost", is loopback: a DNS name such
 * as 127.evil.example can point anywhere. */
static gboolean
host_is_loopback (const gchar * host)
{
  GInetAddress *addr;
  gboolean loopback;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  addr = g_inet_address_new_from_string (host);
  if (!addr)
    return FALSE;
  loopback = g_inet_address_get_is_loopback (addr);
  g_object_unref (addr);
  return loopback;
}

static gboolean
query_has (const gchar * query, const gchar * name)
{
  gchar **params;
  gboolean found = FALSE;
  guint i;

  if (!query)
    return FALSE;
  params = g_strsplit (query, "&", -1);
  for (i = 0; params[i] && !found; i++) {
    gsize n = strlen (name);

    found = strncmp (params[i], name, n) == 0
        && (params[i][n] == '=' || params[i][n] == '\0');
  }
  g_strfreev (params);
  return found;
}

static void
query_add (GString * q, const gchar * name, const gchar * value)
{
  gchar *esc = g_uri_escape_string (value, NULL, FALSE);

  if (q->len > 0)
    g_string_append_c (q, '&');
  g_string_append_printf (q, "%s=%s", name, esc);
  g_free (esc);
}

gchar *
gst_voice_live_build_url (const gchar * endpoint, const gchar * api_version,
    const gchar * model, const gchar * agent_name,
    const gchar * agent_project_name, gboolean * openai_beta, GError ** error)
{
  GUri *uri;
  GError *err = NULL;
  const gchar *scheme, *host, *path, *query;
  const gchar *ws_scheme;
  GString *q;
  gchar *result, *new_path;
  gboolean tls, voice_live_path, aoai_path;

  *openai_beta = FALSE;
  if (!endpoint || !*endpoint) {
    g_set_error_literal (error, G_URI_ERROR, G_URI_ERROR_FAILED,
        "No endpoint set: set the endpoint property (or the "
        "AZURE_VOICE_LIVE_ENDPOINT environment variable) to the resource URL,"
        " e.g. https://<resource>.services.ai.azure.com");
    return NULL;
  }
  uri = g_uri_parse (endpoint, G_URI_FLAGS_ENCODED, &err);
  if (!uri) {
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_FAILED,
        "The endpoint property is not a valid URL (%s): expected "
        "https://<resource>.services.ai.azure.com or a wss:// URL",
        err->message);
    g_clear_error (&err);
    return NULL;
  }
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0
      || g_ascii_strcasecmp (scheme, "wss") == 0) {
    tls = TRUE;
    ws_scheme = "wss";
  } else if (g_ascii_strcasecmp (scheme, "http") == 0
      || g_ascii_strcasecmp (scheme, "ws") == 0) {
    tls = FALSE;
    ws_scheme = "ws";
  } else {
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_SCHEME,
        "The endpoint property has the unsupported scheme \"%s\": use "
        "https:// or wss:// (ws:// and http:// only for a loopback host)",
        scheme);
    g_uri_unref (uri);
    return NULL;
  }
  if (!host || !*host) {
    g_set_error_literal (error, G_URI_ERROR, G_URI_ERROR_BAD_HOST,
        "The endpoint property has no host name");
    g_uri_unref (uri);
    return NULL;
  }
  if (!tls && !host_is_loopback (host)) {
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_SCHEME,
        "The endpoint property uses unencrypted %s:// to the non-loopback "
        "host \"%s\": TLS is needed, use https:// or wss:// (plain ws:// is "
        "allowed only to a loopback address, 127.0.0.0/8 or [::1], or to "
        "localhost, for local test servers)", scheme, host);
    g_uri_unref (uri);
    return NULL;
  }

  path = g_uri_get_path (uri);
  query = g_uri_get_query (uri);
  if (!path || !*path || strcmp (path, "/") == 0)
    new_path = g_strdup ("/voice-live/realtime");
  else
    new_path = g_strdup (path);

  voice_live_path = g_str_has_suffix (new_path, "/voice-live/realtime");
  aoai_path = g_str_has_suffix (new_path, "/openai/realtime");

  q = g_string_new (query ? query : "");
  if ((voice_live_path || aoai_path) && api_version && *api_version
      && !query_has (query, "api-version"))
    query_add (q, "api-version", api_version);
  if (voice_live_path && agent_name && *agent_name) {
    if (!query_has (query, "agent-name"))
      query_add (q, "agent-name", agent_name);
    if (agent_project_name && *agent_project_name
        && !query_has (query, "agent-project-name"))
      query_add (q, "agent-project-name", agent_project_name);
  } else if (voice_live_path && model && *model && !query_has (query, "model")
      && !query_has (query, "agent-name")) {
    query_add (q, "model", model);
  }

  *openai_beta = g_ascii_strcasecmp (host, "api.openai.com") == 0
      || (g_str_has_suffix (new_path, "/v1/realtime")
      && !g_str_has_suffix (new_path, "/openai/v1/realtime"));

  {
    GUri *out = g_uri_build (G_URI_FLAGS_ENCODED, ws_scheme, NULL, host,
        g_uri_get_port (uri), new_path, q->len ? q->str : NULL, NULL);

    result = g_uri_to_string (out);
    g_uri_unref (out);
  }
  g_string_free (q, TRUE);
  g_free (new_path);
  g_uri_unref (uri);
  return result;
}
