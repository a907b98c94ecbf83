/* gst-voicelive
 * The OpenAI Realtime GA dialect: dialect choice, the GA session.update
 * built from the same GstVoiceLiveConfig as the beta one, GA-only server
 * events and error params. Pure; any thread.
 *
 * Shapes follow /work/shared/reference/protocol-2026.md §1, read against
 * openai-python src/openai/types/realtime/ (the _param.py files). Readings chosen where
 * that reference says UNVERIFIED:
 * - a custom voice is sent as {"id": ...} when its name starts with
 *   "voice_" (the id form of RealtimeAudioConfigOutputParam.voice); any
 *   other name goes as a plain string;
 * - the barrier (an update that changes nothing) carries only
 *   session.type: GA rejects a session without it;
 * - turn_detection always carries its type (the SDK's ServerVad and
 *   SemanticVad params mark it Required), server_vad when the user set
 *   turn fields but not turn-detection.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gio/gio.h>
#include "gstvoiceliveprotocolga.h"
#include "gstvoicelivejson.h"

GType
gst_voice_live_protocol_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_VOICE_LIVE_PROTOCOL_AUTO, "Auto: openai for api.openai.com and "
          "paths ending in /v1/realtime, voice-live otherwise", "auto"},
    {GST_VOICE_LIVE_PROTOCOL_VOICE_LIVE, "Voice Live (beta-style session)",
        "voice-live"},
    {GST_VOICE_LIVE_PROTOCOL_OPENAI, "OpenAI Realtime GA", "openai"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstVoiceLiveProtocol", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

GType
gst_voice_live_eagerness_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_VOICE_LIVE_EAGERNESS_AUTO, "Auto: not sent (medium)", "auto"},
    {GST_VOICE_LIVE_EAGERNESS_LOW, "Low: waits longest", "low"},
    {GST_VOICE_LIVE_EAGERNESS_MEDIUM, "Medium", "medium"},
    {GST_VOICE_LIVE_EAGERNESS_HIGH, "High: answers soonest", "high"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstVoiceLiveEagerness", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

const gchar *
gst_voice_live_eagerness_to_wire (GstVoiceLiveEagerness e)
{
  switch (e) {
    case GST_VOICE_LIVE_EAGERNESS_LOW:
      return "low";
    case GST_VOICE_LIVE_EAGERNESS_MEDIUM:
      return "medium";
    case GST_VOICE_LIVE_EAGERNESS_HIGH:
      return "high";
    default:
      return "auto";
  }
}

const gchar *
gst_voice_live_dialect_name (GstVoiceLiveDialect d)
{
  return d == GST_VOICE_LIVE_DIALECT_OPENAI ? "openai" : "voice-live";
}

GstVoiceLiveDialect
gst_voice_live_dialect_resolve (GstVoiceLiveProtocol p, const gchar * url)
{
  GUri *uri;
  gboolean ga = FALSE;

  if (p == GST_VOICE_LIVE_PROTOCOL_VOICE_LIVE)
    return GST_VOICE_LIVE_DIALECT_VOICE_LIVE;
  if (p == GST_VOICE_LIVE_PROTOCOL_OPENAI)
    return GST_VOICE_LIVE_DIALECT_OPENAI;
  uri = url ? g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL) : NULL;
  if (uri) {
    const gchar *host = g_uri_get_host (uri);
    const gchar *path = g_uri_get_path (uri);

    /* /openai/v1/realtime ends in /v1/realtime too. A suffix, not the
     * whole path, so that a proxy prefix keeps the dialect. */
    ga = (host && g_ascii_strcasecmp (host, "api.openai.com") == 0)
        || (path && g_str_has_suffix (path, "/v1/realtime"));
    g_uri_unref (uri);
  }
  return ga ? GST_VOICE_LIVE_DIALECT_OPENAI : GST_VOICE_LIVE_DIALECT_VOICE_LIVE;
}

static gboolean
refuse (GError ** error, const gchar * property, const gchar * why)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
      "Property '%s' %s in the openai protocol (OpenAI Realtime GA): "
      "unset it, or set protocol=voice-live for a Voice Live endpoint",
      property, why);
  return FALSE;
}

gboolean
gst_voice_live_ga_config_validate (const GstVoiceLiveConfig * cfg,
    GError ** error)
{
  GstVoiceLiveTurnDetection td = cfg->turn_detection;
  gboolean semantic = td == GST_VOICE_LIVE_TURN_DETECTION_SEMANTIC_VAD;

  if ((cfg->set & GST_VOICE_LIVE_FIELD_TURN_TYPE)
      && td >= GST_VOICE_LIVE_TURN_DETECTION_AZURE_SEMANTIC_VAD)
    return refuse (error, "turn-detection", "has no Azure semantic VAD "
        "(use server-vad or semantic-vad)");
  if ((cfg->set & GST_VOICE_LIVE_FIELD_NOISE_REDUCTION)
      && cfg->noise_reduction == GST_VOICE_LIVE_NOISE_REDUCTION_AZURE_DEEP)
    return refuse (error, "noise-reduction", "has no "
        "azure-deep-noise-suppression (use near-field or far-field)");
  if (semantic) {
    if (cfg->set & GST_VOICE_LIVE_FIELD_VAD_THRESHOLD)
      return refuse (error, "vad-threshold", "does not apply to semantic-vad");
    if (cfg->set & GST_VOICE_LIVE_FIELD_PREFIX_PADDING)
      return refuse (error, "prefix-padding-ms",
          "does not apply to semantic-vad");
    if (cfg->set & GST_VOICE_LIVE_FIELD_SILENCE_DURATION)
      return refuse (error, "silence-duration-ms",
          "does not apply to semantic-vad");
    if (cfg->set & GST_VOICE_LIVE_FIELD_IDLE_TIMEOUT)
      return refuse (error, "idle-timeout-ms",
          "does not apply to semantic-vad");
  } else if (cfg->set & GST_VOICE_LIVE_FIELD_EAGERNESS) {
    return refuse (error, "eagerness", "applies to semantic-vad only");
  }
  return TRUE;
}

gboolean
gst_voice_live_ga_format_supported (GstVoiceLiveAudioFormat f)
{
  return f == GST_VOICE_LIVE_AUDIO_PCM16_24000
      || f == GST_VOICE_LIVE_AUDIO_G711_ULAW
      || f == GST_VOICE_LIVE_AUDIO_G711_ALAW;
}

/* ---- building ---- */

/* The JSON writers the Voice Live builder uses (doubles written as typed) */
#define member_str gst_voice_live_json_member_str
#define member_int gst_voice_live_json_member_int
#define member_bool gst_voice_live_json_member_bool
#define member_double gst_voice_live_json_member_double
#define node_to_string gst_voice_live_json_node_to_string

static void
add_format (JsonBuilder * b, GstVoiceLiveAudioFormat f)
{
  json_builder_set_member_name (b, "format");
  json_builder_begin_object (b);
  switch (f) {
    case GST_VOICE_LIVE_AUDIO_G711_ULAW:
      member_str (b, "type", "audio/pcmu");
      break;
    case GST_VOICE_LIVE_AUDIO_G711_ALAW:
      member_str (b, "type", "audio/pcma");
      break;
    default:
      /* GA PCM is 24 kHz only; caps negotiation offers nothing else. */
      member_str (b, "type", "audio/pcm");
      member_int (b, "rate", 24000);
      break;
  }
  json_builder_end_object (b);
}

#define HAS(cfg, fields, f) (((cfg)->set & (fields)) & GST_VOICE_LIVE_FIELD_##f)
#define ISSET(cfg, f) ((cfg)->set & GST_VOICE_LIVE_FIELD_##f)

#define TURN_FIELDS (GST_VOICE_LIVE_FIELD_TURN_TYPE | \
    GST_VOICE_LIVE_FIELD_VAD_THRESHOLD | GST_VOICE_LIVE_FIELD_PREFIX_PADDING | \
    GST_VOICE_LIVE_FIELD_SILENCE_DURATION | \
    GST_VOICE_LIVE_FIELD_CREATE_RESPONSE | \
    GST_VOICE_LIVE_FIELD_INTERRUPT_RESPONSE | \
    GST_VOICE_LIVE_FIELD_IDLE_TIMEOUT | GST_VOICE_LIVE_FIELD_EAGERNESS)

/* The whole turn_detection object, from every set field */
static void
add_turn_detection (JsonBuilder * b, const GstVoiceLiveConfig * cfg)
{
  gboolean semantic = ISSET (cfg, TURN_TYPE)
      && cfg->turn_detection == GST_VOICE_LIVE_TURN_DETECTION_SEMANTIC_VAD;

  json_builder_set_member_name (b, "turn_detection");
  if (ISSET (cfg, TURN_TYPE)
      && cfg->turn_detection == GST_VOICE_LIVE_TURN_DETECTION_NONE) {
    json_builder_add_null_value (b);
    return;
  }
  json_builder_begin_object (b);
  member_str (b, "type", semantic ? "semantic_vad" : "server_vad");
  if (semantic) {
    if (ISSET (cfg, EAGERNESS))
      member_str (b, "eagerness",
          gst_voice_live_eagerness_to_wire (cfg->eagerness));
  } else {
    if (ISSET (cfg, VAD_THRESHOLD))
      member_double (b, "threshold", cfg->vad_threshold);
    if (ISSET (cfg, PREFIX_PADDING))
      member_int (b, "prefix_padding_ms", cfg->prefix_padding_ms);
    if (ISSET (cfg, SILENCE_DURATION))
      member_int (b, "silence_duration_ms", cfg->silence_duration_ms);
    if (ISSET (cfg, IDLE_TIMEOUT))
      member_int (b, "idle_timeout_ms", cfg->idle_timeout_ms);
  }
  if (ISSET (cfg, CREATE_RESPONSE))
    member_bool (b, "create_response", cfg->create_response);
  if (ISSET (cfg, INTERRUPT_RESPONSE))
    member_bool (b, "interrupt_response", cfg->interrupt_response);
  json_builder_end_object (b);
}

static void
add_transcription (JsonBuilder * b, const GstVoiceLiveConfig * cfg)
{
  json_builder_set_member_name (b, "transcription");
  if (!cfg->transcription_model || !*cfg->transcription_model) {
    json_builder_add_null_value (b);
    return;
  }
  json_builder_begin_object (b);
  member_str (b, "model", cfg->transcription_model);
  if (cfg->transcription_language && *cfg->transcription_language)
    member_str (b, "language", cfg->transcription_language);
  json_builder_end_object (b);
}

static void
add_voice (JsonBuilder * b, const GstVoiceLiveConfig * cfg)
{
  json_builder_set_member_name (b, "voice");
  if (cfg->voice && g_str_has_prefix (cfg->voice, "voice_")) {
    json_builder_begin_object (b);
    member_str (b, "id", cfg->voice);
    json_builder_end_object (b);
  } else {
    json_builder_add_string_value (b, cfg->voice ? cfg->voice : "");
  }
}

static void
add_tool_choice (JsonBuilder * b, const gchar * choice)
{
  json_builder_set_member_name (b, "tool_choice");
  if (g_strcmp0 (choice, "auto") == 0 || g_strcmp0 (choice, "none") == 0
      || g_strcmp0 (choice, "required") == 0) {
    json_builder_add_string_value (b, choice);
    return;
  }
  json_builder_begin_object (b);
  member_str (b, "type", "function");
  member_str (b, "name", choice);
  json_builder_end_object (b);
}

static void
add_input (JsonBuilder * b, const GstVoiceLiveConfig * cfg, guint fields,
    gint in_format)
{
  gboolean turn = (cfg->set & fields & TURN_FIELDS) != 0;

  if (in_format < 0 && !HAS (cfg, fields, TRANSCRIPTION)
      && !HAS (cfg, fields, NOISE_REDUCTION) && !turn)
    return;
  json_builder_set_member_name (b, "input");
  json_builder_begin_object (b);
  if (in_format >= 0)
    add_format (b, in_format);
  if (HAS (cfg, fields, TRANSCRIPTION))
    add_transcription (b, cfg);
  if (HAS (cfg, fields, NOISE_REDUCTION)) {
    const gchar *t =
        gst_voice_live_noise_reduction_to_wire (cfg->noise_reduction);

    json_builder_set_member_name (b, "noise_reduction");
    if (t) {
      json_builder_begin_object (b);
      member_str (b, "type", t);
      json_builder_end_object (b);
    } else {
      json_builder_add_null_value (b);
    }
  }
  if (turn)
    add_turn_detection (b, cfg);
  json_builder_end_object (b);
}

static void
add_output (JsonBuilder * b, const GstVoiceLiveConfig * cfg, guint fields,
    gint out_format)
{
  if (out_format < 0 && !HAS (cfg, fields, VOICE) && !HAS (cfg, fields, SPEED))
    return;
  json_builder_set_member_name (b, "output");
  json_builder_begin_object (b);
  if (out_format >= 0)
    add_format (b, out_format);
  if (HAS (cfg, fields, VOICE))
    add_voice (b, cfg);
  if (HAS (cfg, fields, SPEED))
    member_double (b, "speed", cfg->speed);
  json_builder_end_object (b);
}

gchar *
gst_voice_live_ga_build_session_update (const GstVoiceLiveConfig * cfg,
    guint fields, const gchar * event_id, gint in_format, gint out_format,
    JsonObject * extra)
{
  JsonBuilder *b = json_builder_new ();
  JsonNode *root;
  gchar *s;
  gboolean in, out;

  json_builder_begin_object (b);
  member_str (b, "type", "session.update");
  if (event_id)
    member_str (b, "event_id", event_id);
  json_builder_set_member_name (b, "session");
  json_builder_begin_object (b);
  member_str (b, "type", "realtime");
  if (HAS (cfg, fields, MODALITIES)) {
    /* GA: one of the two; audio always comes with its transcript. */
    json_builder_set_member_name (b, "output_modalities");
    json_builder_begin_array (b);
    json_builder_add_string_value (b,
        (cfg->modalities & GST_VOICE_LIVE_MODALITIES_AUDIO) ? "audio" : "text");
    json_builder_end_array (b);
  }
  if (HAS (cfg, fields, INSTRUCTIONS))
    member_str (b, "instructions", cfg->instructions ? cfg->instructions : "");

  in = in_format >= 0 || (cfg->set & fields & (TURN_FIELDS |
          GST_VOICE_LIVE_FIELD_TRANSCRIPTION |
          GST_VOICE_LIVE_FIELD_NOISE_REDUCTION));
  out = out_format >= 0 || HAS (cfg, fields, VOICE) || HAS (cfg, fields, SPEED);
  if (in || out) {
    json_builder_set_member_name (b, "audio");
    json_builder_begin_object (b);
    add_input (b, cfg, fields, in_format);
    add_output (b, cfg, fields, out_format);
    json_builder_end_object (b);
  }
  if (HAS (cfg, fields, MAX_TOKENS)) {
    if (cfg->max_output_tokens > 0)
      member_int (b, "max_output_tokens", cfg->max_output_tokens);
    else
      member_str (b, "max_output_tokens", "inf");
  }
  if (HAS (cfg, fields, TOOLS) && cfg->tools) {
    JsonNode *tools = json_from_string (cfg->tools, NULL);

    /* validated when the element started */
    if (tools) {
      json_builder_set_member_name (b, "tools");
      json_builder_add_value (b, tools);
    }
  }
  if (HAS (cfg, fields, TOOL_CHOICE) && cfg->tool_choice)
    add_tool_choice (b, cfg->tool_choice);
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  g_object_unref (b);
  if (extra)
    gst_voice_live_json_merge (json_object_get_object_member
        (json_node_get_object (root), "session"), extra);
  s = node_to_string (root);
  json_node_unref (root);
  return s;
}

#undef HAS
#undef ISSET

gchar *
gst_voice_live_dialect_session_update (GstVoiceLiveDialect d,
    const GstVoiceLiveConfig * cfg, guint fields, const gchar * event_id,
    gint in_format, gint out_format, JsonObject * extra)
{
  if (d == GST_VOICE_LIVE_DIALECT_OPENAI)
    return gst_voice_live_ga_build_session_update (cfg, fields, event_id,
        in_format, out_format, extra);
  return gst_voice_live_build_session_update_full (cfg, fields, event_id,
      in_format, out_format, extra);
}

gchar *
gst_voice_live_dialect_barrier (GstVoiceLiveDialect d, const gchar * event_id)
{
  JsonBuilder *b;

  if (d != GST_VOICE_LIVE_DIALECT_OPENAI)
    return gst_voice_live_build_barrier (event_id);
  /* GA refuses a session without its type */
  b = gst_voice_live_json_begin_event ("session.update", event_id);
  json_builder_set_member_name (b, "session");
  json_builder_begin_object (b);
  member_str (b, "type", "realtime");
  json_builder_end_object (b);
  return gst_voice_live_json_end_event (b);
}

gchar *
gst_voice_live_dialect_text_item (GstVoiceLiveDialect d, gboolean user,
    const gchar * text)
{
  JsonNode *root;
  JsonObject *part;
  gchar *beta = gst_voice_live_build_text_item (user, text), *s;

  if (d != GST_VOICE_LIVE_DIALECT_OPENAI || user)
    return beta;
  /* The beta item with the GA part type; the rest is the same shape. */
  root = json_from_string (beta, NULL);
  g_free (beta);
  part = json_array_get_object_element (json_object_get_array_member
      (json_object_get_object_member (json_node_get_object (root), "item"),
          "content"), 0);
  json_object_set_string_member (part, "type", "output_text");
  s = json_to_string (root, FALSE);
  json_node_unref (root);
  return s;
}

gchar *
gst_voice_live_dialect_output_format_update (GstVoiceLiveDialect d,
    GstVoiceLiveAudioFormat f)
{
  GstVoiceLiveConfig cfg;
  gchar *s;

  if (d != GST_VOICE_LIVE_DIALECT_OPENAI)
    return gst_voice_live_build_output_format_update (f);
  gst_voice_live_config_init (&cfg);
  s = gst_voice_live_ga_build_session_update (&cfg, 0, NULL, -1, f, NULL);
  gst_voice_live_config_clear (&cfg);
  return s;
}

/* ---- server events ---- */

GstVoiceLiveEventKind
gst_voice_live_ga_event_kind (const gchar * type)
{
  /* conversation.item.added / .done stay OTHER, like the beta
   * conversation.item.created they replace: the same bus message. The
   * renamed output events are in the parser's own table. */
  if (g_strcmp0 (type, "input_audio_buffer.timeout_triggered") == 0)
    return GST_VOICE_LIVE_EVENT_INPUT_TIMEOUT;
  return GST_VOICE_LIVE_EVENT_OTHER;
}

typedef struct
{
  const gchar *param;
  const gchar *property;
} GaParam;

/* Longest prefixes first */
static const GaParam ga_params[] = {
  {"session.audio.input.turn_detection.threshold", "vad-threshold"},
  {"session.audio.input.turn_detection.prefix_padding_ms",
      "prefix-padding-ms"},
  {"session.audio.input.turn_detection.silence_duration_ms",
      "silence-duration-ms"},
  {"session.audio.input.turn_detection.idle_timeout_ms", "idle-timeout-ms"},
  {"session.audio.input.turn_detection.eagerness", "eagerness"},
  {"session.audio.input.turn_detection.create_response", "create-response"},
  {"session.audio.input.turn_detection.interrupt_response",
      "interrupt-response"},
  {"session.audio.input.turn_detection", "turn-detection"},
  {"session.audio.input.transcription.language", "transcription-language"},
  {"session.audio.input.transcription", "transcription-model"},
  {"session.audio.input.noise_reduction", "noise-reduction"},
  {"session.audio.input.format", "caps"},
  {"session.audio.output.format", "caps"},
  {"session.audio.output.voice", "voice"},
  {"session.audio.output.speed", "speed"},
  {"session.output_modalities", "modalities"},
  {"session.max_output_tokens", "max-response-output-tokens"},
  {"session.type", "protocol"},
};

const gchar *
gst_voice_live_ga_param_to_property (const gchar * param)
{
  guint i;

  if (!param)
    return NULL;
  for (i = 0; i < G_N_ELEMENTS (ga_params); i++)
    if (g_str_has_prefix (param, ga_params[i].param))
      return ga_params[i].property;
  return NULL;
}

gboolean
gst_voice_live_error_is_dialect_fatal (const gchar * code)
{
  return g_strcmp0 (code, "beta_api_shape_disabled") == 0;
}
