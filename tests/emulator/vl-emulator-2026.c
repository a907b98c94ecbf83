/* gst-voicelive
 * voicelive-emulator: checks of the Voice Live 2026 session fields
 * (protocol-2026.md §2.1-2.8) on the merged session, with the service's
 * error shape (invalid_request_error, param = the dotted path). Runs on
 * the connection's thread, like vl-emulator-config.c that calls it.
 *
 * Where the sources disagree both forms pass: interim_response and
 * interim-response with underscore or hyphen types (§2.8, quirk 12); MCP
 * require_approval as VL arrays or GA {"tool_names": [...]} (quirk 16).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <math.h>

#include "vl-emulator-2026.h"

typedef enum
{
  K_STRING,
  K_BOOL,
  K_COUNT,                      /* a number >= 0 */
  K_STRINGS,                    /* an array of strings */
  K_STRING_MAP,                 /* an object of strings */
  K_ONE_OF,                     /* a string among @values */
  K_SOME_OF,                    /* an array of strings among @values */
} Kind;

typedef struct
{
  const gchar *name;
  Kind kind;
  const gchar *const *values;
} Field;

static const gchar *const eagerness[] = { "low", "medium", "high", "auto",
  NULL
};

static const gchar *const eou_models[] = { "semantic_detection_v1",
  "semantic_detection_v1_en", "semantic_detection_v1_multilingual",
  "smart_end_of_turn_detection", NULL
};

static const gchar *const voice_types[] = { "openai", "azure-standard",
  "azure-custom", "azure-personal", "azure-realtime-native", NULL
};

static const gchar *const interim_types[] = { "static_interim_response",
  "llm_interim_response", "static-interim-response", "llm-interim-response",
  NULL
};
static const gchar *const triggers[] = { "latency", "tool", NULL };

static const gchar *const includes[] = {
  "item.input_audio_transcription.logprobs",
  "item.input_audio_transcription.phrases", "file_search_call.results", NULL
};

static const gchar *const prompt_models[] = { "whisper-1",
  "gpt-4o-transcribe", "gpt-4o-mini-transcribe", "gpt-4o-transcribe-diarize",
  NULL
};

static const Field td_fields[] = {
  {"languages", K_STRINGS},
  {"appended_text_after_truncation", K_STRING},
  {"eagerness", K_ONE_OF, eagerness},
  {NULL}
};

static const Field eou_fields[] = {
  {"model", K_ONE_OF, eou_models},
  {"timeout_ms", K_COUNT},
  {NULL}
};

static const Field voice_fields[] = {
  {"type", K_ONE_OF, voice_types},
  {"name", K_STRING}, {"rate", K_STRING}, {"pitch", K_STRING},
  {"volume", K_STRING}, {"style", K_STRING}, {"locale", K_STRING},
  {"prefer_locales", K_STRINGS}, {"custom_lexicon_url", K_STRING},
  {"custom_text_normalization_url", K_STRING}, {"model", K_STRING},
  {"endpoint_id", K_STRING},
  {NULL}
};

static const Field transcription_fields[] = {
  {"model", K_STRING}, {"language", K_STRING}, {"prompt", K_STRING},
  {"phrase_list", K_STRINGS}, {"custom_speech", K_STRING_MAP},
  {NULL}
};

static const Field interim_fields[] = {
  {"type", K_ONE_OF, interim_types},
  {"triggers", K_SOME_OF, triggers},
  {"latency_threshold_ms", K_COUNT},
  {"texts", K_STRINGS}, {"instructions", K_STRING}, {"model", K_STRING},
  {"max_completion_tokens", K_COUNT},
  {NULL}
};

static const Field session_fields[] = {
  {"parallel_tool_calls", K_BOOL},
  {"include", K_SOME_OF, includes},
  {NULL}
};

static gboolean
refuse (VlEmu2026Error * e, const gchar * path, const gchar * why)
{
  e->param = g_strdup (path);
  e->message = g_strdup_printf ("Invalid value for '%s': %s", path, why);
  return FALSE;
}

static gboolean
is_type (JsonNode * n, GType t)
{
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == t;
}

static gboolean
string_in (JsonNode * n, const gchar * const *set)
{
  return is_type (n, G_TYPE_STRING)
      && g_strv_contains (set, json_node_get_string (n));
}

static gboolean
value_ok (JsonNode * n, const Field * f)
{
  JsonArray *a;
  GList *l, *members;
  gboolean ok = TRUE;
  guint i;

  switch (f->kind) {
    case K_STRING:
      return is_type (n, G_TYPE_STRING);
    case K_BOOL:
      return is_type (n, G_TYPE_BOOLEAN);
    case K_COUNT:
      return (is_type (n, G_TYPE_INT64) && json_node_get_int (n) >= 0)
          || (is_type (n, G_TYPE_DOUBLE) && json_node_get_double (n) >= 0);
    case K_ONE_OF:
      return string_in (n, f->values);
    case K_STRINGS:
    case K_SOME_OF:
      if (!JSON_NODE_HOLDS_ARRAY (n))
        return FALSE;
      a = json_node_get_array (n);
      for (i = 0; ok && i < json_array_get_length (a); i++)
        ok = f->kind == K_STRINGS ?
            is_type (json_array_get_element (a, i), G_TYPE_STRING) :
            string_in (json_array_get_element (a, i), f->values);
      return ok;
    case K_STRING_MAP:
      if (!JSON_NODE_HOLDS_OBJECT (n))
        return FALSE;
      members = json_object_get_values (json_node_get_object (n));
      for (l = members; ok && l; l = l->next)
        ok = is_type (l->data, G_TYPE_STRING);
      g_list_free (members);
      return ok;
  }
  return FALSE;
}

/* The members of @o named in @fields, each of its kind; @path is @o's. */
static gboolean
check_fields (JsonObject * o, const gchar * path, const Field * fields,
    VlEmu2026Error * e)
{
  guint i;

  for (i = 0; fields[i].name; i++) {
    JsonNode *n = json_object_get_member (o, fields[i].name);
    gchar *p;
    gboolean ok;

    if (!n || JSON_NODE_HOLDS_NULL (n) || value_ok (n, &fields[i]))
      continue;
    p = g_strconcat (path, ".", fields[i].name, NULL);
    ok = refuse (e, p, fields[i].values ? "unsupported value" : "wrong type");
    g_free (p);
    return ok;
  }
  return TRUE;
}

/* @name of @s as an object, NULL when absent or null; *bad when it is
 * something else. */
static JsonObject *
object_member (JsonObject * s, const gchar * name, gboolean * bad)
{
  JsonNode *n = s ? json_object_get_member (s, name) : NULL;

  *bad = n && !JSON_NODE_HOLDS_NULL (n) && !JSON_NODE_HOLDS_OBJECT (n);
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static const gchar *
str_member (JsonObject * o, const gchar * name)
{
  return o ? json_object_get_string_member_with_default (o, name, "") : "";
}

/* §2.1: text-based end-of-utterance models need Voice Live's recognizer,
 * which speech-native (gpt-realtime) pipelines do not have; the service
 * refuses the whole update with this error, verbatim. */
static gboolean
check_turn_detection (JsonObject * s, const gchar * model, VlEmu2026Error * e)
{
  gboolean bad;
  JsonObject *td = object_member (s, "turn_detection", &bad);
  JsonObject *eou = object_member (td, "end_of_utterance_detection", &bad);

  if (!td)
    return TRUE;
  if (!check_fields (td, "session.turn_detection", td_fields, e))
    return FALSE;
  if (json_object_has_member (td, "eagerness")
      && !g_str_equal (str_member (td, "type"), "semantic_vad"))
    return refuse (e, "session.turn_detection.eagerness",
        "eagerness applies to semantic_vad only");
  if (!eou)
    return TRUE;
  if (!check_fields (eou, "session.turn_detection.end_of_utterance_detection",
          eou_fields, e))
    return FALSE;
  if (g_str_has_prefix (model, "gpt-realtime")
      && g_str_has_prefix (str_member (eou, "model"), "semantic_detection")) {
    e->param = g_strdup ("session.turn_detection.end_of_utterance_detection");
    e->message = g_strdup ("Text-based end-of-utterance detection requires "
        "a local speech recognizer and is only supported on cascaded "
        "pipelines.");
    e->code = "invalid_request_error";
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_voice (JsonObject * s, const gchar * model, VlEmu2026Error * e)
{
  gboolean bad;
  JsonObject *v = object_member (s, "voice", &bad);

  if (!v)
    return TRUE;
  if (!check_fields (v, "session.voice", voice_fields, e))
    return FALSE;
  if (g_str_equal (str_member (v, "type"), "azure-realtime-native")
      && !g_str_equal (model, "azure-realtime"))
    return refuse (e, "session.voice.type", "azure-realtime-native voices "
        "need the azure-realtime model");
  return TRUE;
}

static gboolean
prompt_model (const gchar * model)
{
  guint i;

  for (i = 0; prompt_models[i]; i++)
    if (g_str_has_prefix (model, prompt_models[i]))
      return TRUE;
  return FALSE;
}

static gboolean
check_transcription (JsonObject * s, VlEmu2026Error * e)
{
  gboolean bad;
  JsonObject *t = object_member (s, "input_audio_transcription", &bad);
  const gchar *model = str_member (t, "model");

  if (!t)
    return TRUE;
  if (!check_fields (t, "session.input_audio_transcription",
          transcription_fields, e))
    return FALSE;
  if (json_object_has_member (t, "prompt") && !prompt_model (model))
    return refuse (e, "session.input_audio_transcription.prompt",
        "prompt needs whisper-1 or a gpt-4o(-mini)-transcribe model");
  if (json_object_has_member (t, "custom_speech")
      && !g_str_equal (model, "azure-speech"))
    return refuse (e, "session.input_audio_transcription.custom_speech",
        "custom_speech needs the azure-speech model");
  return TRUE;
}

/* Either spelling of the key (quirk 12) */
static gboolean
check_interim (JsonObject * s, const gchar * model, VlEmu2026Error * e)
{
  const gchar *key = json_object_has_member (s, "interim-response") ?
      "interim-response" : "interim_response";
  gchar *path = g_strconcat ("session.", key, NULL);
  gboolean bad, ok = TRUE;
  JsonObject *ir = object_member (s, key, &bad);

  if (bad)
    ok = refuse (e, path, "expected an object or null");
  else if (ir && !json_object_has_member (ir, "type"))
    ok = refuse (e, path, "missing 'type'");
  else if (ir)
    ok = check_fields (ir, path, interim_fields, e);
  if (ok && ir && g_str_has_prefix (model, "gpt-realtime"))
    ok = refuse (e, path, "interim responses need a cascaded model, not a "
        "speech-native one");
  g_free (path);
  return ok;
}

static gboolean
check_tool (JsonObject * t, guint i, VlEmu2026Error * e)
{
  static const struct
  {
    const gchar *type, *a, *b;
  } needs[] = {
    {"function", "name", NULL},
    {"mcp", "server_label", "server_url"},
    {"foundry_agent", "agent_name", "project_name"},
  };
  const gchar *type = str_member (t, "type");
  guint k;

  for (k = 0; k < G_N_ELEMENTS (needs); k++) {
    const gchar *missing = NULL;
    gchar *path;

    if (!g_str_equal (type, needs[k].type))
      continue;
    if (!*str_member (t, needs[k].a))
      missing = needs[k].a;
    else if (needs[k].b && !*str_member (t, needs[k].b))
      missing = needs[k].b;
    if (!missing)
      return TRUE;
    path = g_strdup_printf ("session.tools[%u].%s", i, missing);
    refuse (e, path, "required for this tool type");
    g_free (path);
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_tools (JsonObject * s, VlEmu2026Error * e)
{
  JsonNode *n = json_object_get_member (s, "tools");
  JsonArray *a;
  guint i;

  if (!n || !JSON_NODE_HOLDS_ARRAY (n))
    return TRUE;                /* vl-emulator-config.c checks that */
  a = json_node_get_array (n);
  for (i = 0; i < json_array_get_length (a); i++) {
    JsonNode *t = json_array_get_element (a, i);

    if (JSON_NODE_HOLDS_OBJECT (t)
        && !check_tool (json_node_get_object (t), i, e))
      return FALSE;
  }
  return TRUE;
}

gboolean
vl_emu_config_check_2026 (JsonObject * s, VlEmu2026Error * e)
{
  const gchar *model = str_member (s, "model");

  memset (e, 0, sizeof (*e));
  return check_fields (s, "session", session_fields, e)
      && check_turn_detection (s, model, e) && check_voice (s, model, e)
      && check_transcription (s, e) && check_interim (s, model, e)
      && check_tools (s, e);
}

/* ---- client echo reference (protocol-2026.md 2.3) ---- */

guint
vl_emu_ec_channels (JsonObject * s)
{
  JsonNode *n = json_object_get_member (s, "input_audio_echo_cancellation");
  JsonObject *ec;

  if (!n || !JSON_NODE_HOLDS_OBJECT (n))
    return 1;
  ec = json_node_get_object (n);
  return g_str_equal (json_object_get_string_member_with_default (ec,
          "reference_source", "server"), "client") ? 2 : 1;
}

static gboolean
ec_refuse (VlEmu2026Error * e, const gchar * code, const gchar * path,
    const gchar * why)
{
  e->code = code;
  e->param = g_strdup (path);
  e->message = g_strdup (why);
  return FALSE;
}

gboolean
vl_emu_ec_check (JsonObject * old, JsonObject * s, gboolean audio_seen,
    VlEmu2026Error * e)
{
  JsonNode *n = json_object_get_member (s, "input_audio_echo_cancellation");
  JsonObject *ec;
  JsonNode *ch;
  const gchar *src;
  gint64 channels = 1;

  memset (e, 0, sizeof (*e));
  if (n && JSON_NODE_HOLDS_OBJECT (n)) {
    ec = json_node_get_object (n);
    src = json_object_get_string_member_with_default (ec, "reference_source",
        "server");
    ch = json_object_get_member (ec, "channels");
    if (ch && !is_type (ch, G_TYPE_INT64))
      return refuse (e, "session.input_audio_echo_cancellation.channels",
          "expected 1 or 2");
    if (ch)
      channels = json_node_get_int (ch);
    if (!g_str_equal (src, "client") && !g_str_equal (src, "server"))
      return refuse (e,
          "session.input_audio_echo_cancellation.reference_source",
          "expected client or server");
    if (g_str_equal (src, "client") && channels != 2)
      return ec_refuse (e, "invalid_ec_reference_channels",
          "session.input_audio_echo_cancellation.channels",
          "reference_source client needs channels 2");
    if (g_str_equal (src, "server") && channels != 1)
      return ec_refuse (e, "invalid_ec_channels_requires_client",
          "session.input_audio_echo_cancellation.channels",
          "channels 2 needs reference_source client");
    if (channels == 2
        && !g_str_equal (json_object_get_string_member_with_default (s,
                "input_audio_format", "pcm16"), "pcm16"))
      return ec_refuse (e, "invalid_ec_channels_format",
          "session.input_audio_format",
          "a client echo reference needs pcm16 input");
  }
  if (audio_seen && vl_emu_ec_channels (old) != vl_emu_ec_channels (s))
    return ec_refuse (e, "change_in_ec_channels_not_allowed",
        "session.input_audio_echo_cancellation.channels",
        "the channel count cannot change once audio was sent");
  return TRUE;
}

/* Normalised cross-correlation of the two channels of @pcm (S16LE stereo,
 * @frames frames, brute force): the lag (in frames, 0..@max_lag) at which channel 0
 * best matches channel 1 delayed, and that correlation (-1..1). */
gint
vl_emu_ec_lag (const guint8 * pcm, gsize frames, gint max_lag, gdouble * corr)
{
  gint lag, best = -1;
  gdouble best_c = -2;

  /* the first 6 s at 24 kHz, every other frame: enough to find an echo,
   * quick enough to run when a connection closes */
  frames = MIN (frames, 6 * 24000);
  for (lag = 0; lag <= max_lag && (gsize) lag < frames; lag++) {
    gdouble xy = 0, xx = 0, yy = 0, c;
    gsize i;

    for (i = lag; i < frames; i += 2) {
      gdouble x = (gint16) (guint16) (pcm[i * 4] | (pcm[i * 4 + 1] << 8));
      gdouble y =
          (gint16) (guint16) (pcm[(i - lag) * 4 + 2] | (pcm[(i - lag) * 4 +
                  3] << 8));

      xy += x * y;
      xx += x * x;
      yy += y * y;
    }
    c = xx > 0 && yy > 0 ? xy / sqrt (xx * yy) : 0;
    if (c > best_c) {
      best_c = c;
      best = lag;
    }
  }
  *corr = best_c;
  return best;
}
