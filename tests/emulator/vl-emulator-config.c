/* gst-voicelive
 * voicelive-emulator: the session configuration object.
 *
 * Follows protocol.md §2.2, §4 and §9.2-9.3: defaults as the service reports
 * them, present fields deep-merged, null clears, unknown enum values are
 * rejected with the dotted path of the offending field.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "vl-emulator-config.h"
#include "vl-emulator-avatar.h"
#include "vl-emulator-2026.h"

static const gchar *const td_types[] = { "server_vad", "semantic_vad",
  "azure_semantic_vad", "azure_semantic_vad_en",
  "azure_semantic_vad_multilingual", NULL
};
static const gchar *const in_formats[] =
    { "pcm16", "g711_ulaw", "g711_alaw", NULL };
static const gchar *const out_formats[] = { "pcm16", "pcm16_8000hz",
  "pcm16_16000hz", "g711_ulaw", "g711_alaw", NULL
};

static const gchar *const nr_types[] = { "azure_deep_noise_suppression",
  "near_field", "far_field", NULL
};
static const gchar *const ec_types[] = { "server_echo_cancellation", NULL };
static const gchar *const modalities[] =
    { "text", "audio", "animation", "avatar", NULL };
static const gchar *const eou_levels[] =
    { "low", "medium", "high", "default", NULL };

static JsonObject *
default_turn_detection (void)
{
  JsonObject *td = json_object_new ();

  json_object_set_string_member (td, "type", "server_vad");
  json_object_set_double_member (td, "threshold", 0.5);
  json_object_set_int_member (td, "prefix_padding_ms", 300);
  json_object_set_int_member (td, "silence_duration_ms", 500);
  json_object_set_boolean_member (td, "create_response", TRUE);
  json_object_set_boolean_member (td, "interrupt_response", TRUE);
  return td;
}

JsonObject *
vl_emu_config_new_default (const gchar * id, const gchar * model)
{
  JsonObject *s = json_object_new ();
  JsonObject *voice = json_object_new ();
  JsonArray *mods = json_array_new ();

  json_object_set_string_member (s, "id", id);
  json_object_set_string_member (s, "object", "realtime.session");
  json_object_set_string_member (s, "model", model);
  json_array_add_string_element (mods, "text");
  json_array_add_string_element (mods, "audio");
  json_object_set_array_member (s, "modalities", mods);
  json_object_set_string_member (s, "instructions", "");
  json_object_set_string_member (voice, "name",
      "en-US-Ava:DragonHDLatestNeural");
  json_object_set_string_member (voice, "type", "azure-standard");
  json_object_set_object_member (s, "voice", voice);
  json_object_set_string_member (s, "input_audio_format", "pcm16");
  json_object_set_int_member (s, "input_audio_sampling_rate", 24000);
  json_object_set_string_member (s, "output_audio_format", "pcm16");
  json_object_set_object_member (s, "turn_detection",
      default_turn_detection ());
  json_object_set_null_member (s, "input_audio_transcription");
  json_object_set_null_member (s, "input_audio_noise_reduction");
  json_object_set_null_member (s, "input_audio_echo_cancellation");
  json_object_set_array_member (s, "tools", json_array_new ());
  json_object_set_string_member (s, "tool_choice", "auto");
  json_object_set_double_member (s, "temperature", 0.8);
  json_object_set_string_member (s, "max_response_output_tokens", "inf");
  json_object_set_null_member (s, "agent");
  return s;
}

/* Objects merge recursively; anything else (null, arrays, scalars) replaces. */
static void
deep_merge (JsonObject * dst, JsonObject * src)
{
  JsonObjectIter iter;
  const gchar *name;
  JsonNode *node;

  json_object_iter_init (&iter, src);
  while (json_object_iter_next (&iter, &name, &node)) {
    JsonNode *old = json_object_get_member (dst, name);

    if (JSON_NODE_HOLDS_OBJECT (node) && old && JSON_NODE_HOLDS_OBJECT (old)) {
      deep_merge (json_node_get_object (old), json_node_get_object (node));
    } else {
      json_object_set_member (dst, name, json_node_copy (node));
    }
  }
}

static gboolean
fail (gchar ** param, gchar ** message, const gchar * path, const gchar * why)
{
  *param = g_strdup (path);
  *message = g_strdup_printf ("Invalid value for '%s': %s", path, why);
  return FALSE;
}

static gboolean
is_string_in (JsonNode * node, const gchar * const *set)
{
  if (!node || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  return g_strv_contains (set, json_node_get_string (node));
}

static gboolean
is_number (JsonNode * node)
{
  GType t;

  if (!node || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  t = json_node_get_value_type (node);
  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}

static gdouble
num_value (JsonNode * node)
{
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (gdouble) json_node_get_int (node);
  return json_node_get_double (node);
}

static gboolean
is_bool (JsonNode * node)
{
  return node && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

/* A nullable object whose "type" must be one of @types. */
static gboolean
check_typed_object (JsonObject * s, const gchar * name,
    const gchar * const *types, gchar ** param, gchar ** message)
{
  JsonNode *node = json_object_get_member (s, name);
  JsonNode *type;
  gchar *path;
  gboolean ok;

  if (!node || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    path = g_strconcat ("session.", name, NULL);
    fail (param, message, path, "expected an object or null");
    g_free (path);
    return FALSE;
  }
  type = json_object_get_member (json_node_get_object (node), "type");
  if (is_string_in (type, types))
    return TRUE;
  path = g_strconcat ("session.", name, ".type", NULL);
  ok = fail (param, message, path, "unsupported value");
  g_free (path);
  return ok;
}

static gboolean
check_turn_detection (JsonObject * s, gchar ** param, gchar ** message)
{
  JsonNode *node = json_object_get_member (s, "turn_detection");
  JsonObject *td;
  JsonNode *m;
  static const gchar *const ms_fields[] = { "prefix_padding_ms",
    "silence_duration_ms", "speech_duration_ms", NULL
  };
  static const gchar *const bool_fields[] = { "create_response",
    "interrupt_response", "auto_truncate", "remove_filler_words", NULL
  };
  guint i;

  if (!node || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (param, message, "session.turn_detection",
        "expected an object or null");
  td = json_node_get_object (node);
  if (!is_string_in (json_object_get_member (td, "type"), td_types))
    return fail (param, message, "session.turn_detection.type",
        "expected one of server_vad, semantic_vad, azure_semantic_vad, "
        "azure_semantic_vad_en, azure_semantic_vad_multilingual");

  m = json_object_get_member (td, "threshold");
  if (m && (!is_number (m) || num_value (m) < 0.0 || num_value (m) > 1.0))
    return fail (param, message, "session.turn_detection.threshold",
        "expected a number between 0 and 1");
  for (i = 0; ms_fields[i]; i++) {
    m = json_object_get_member (td, ms_fields[i]);
    if (m && !JSON_NODE_HOLDS_NULL (m) && (!is_number (m) ||
            num_value (m) < 0.0)) {
      gchar *path = g_strconcat ("session.turn_detection.", ms_fields[i],
          NULL);

      fail (param, message, path, "expected a non-negative number");
      g_free (path);
      return FALSE;
    }
  }
  for (i = 0; bool_fields[i]; i++) {
    m = json_object_get_member (td, bool_fields[i]);
    if (m && !is_bool (m)) {
      gchar *path = g_strconcat ("session.turn_detection.", bool_fields[i],
          NULL);

      fail (param, message, path, "expected a boolean");
      g_free (path);
      return FALSE;
    }
  }
  m = json_object_get_member (td, "end_of_utterance_detection");
  if (m && JSON_NODE_HOLDS_OBJECT (m)) {
    JsonNode *lvl = json_object_get_member (json_node_get_object (m),
        "threshold_level");

    /* The legacy float "threshold" form (2025-05-01-preview) is accepted. */
    if (lvl && !is_string_in (lvl, eou_levels))
      return fail (param, message,
          "session.turn_detection.end_of_utterance_detection.threshold_level",
          "expected one of low, medium, high, default");
  }

  /* Like the service, report the effective values, not only what was sent. */
  if (!json_object_has_member (td, "threshold"))
    json_object_set_double_member (td, "threshold", 0.5);
  if (!json_object_has_member (td, "prefix_padding_ms"))
    json_object_set_int_member (td, "prefix_padding_ms", 300);
  if (!json_object_has_member (td, "silence_duration_ms"))
    json_object_set_int_member (td, "silence_duration_ms", 500);
  if (!json_object_has_member (td, "create_response"))
    json_object_set_boolean_member (td, "create_response", TRUE);
  if (!json_object_has_member (td, "interrupt_response"))
    json_object_set_boolean_member (td, "interrupt_response", TRUE);
  return TRUE;
}

gboolean
vl_emu_config_check_modalities (JsonNode * node, const gchar * param_prefix,
    gchar ** param, gchar ** message)
{
  gchar *path = g_strconcat (param_prefix, ".modalities", NULL);
  gboolean has_text = FALSE, has_audio = FALSE, ok = TRUE;
  JsonArray *arr;
  guint i;

  if (!node || !JSON_NODE_HOLDS_ARRAY (node)) {
    ok = fail (param, message, path, "expected an array");
    goto out;
  }
  arr = json_node_get_array (node);
  for (i = 0; i < json_array_get_length (arr); i++) {
    JsonNode *e = json_array_get_element (arr, i);

    if (!is_string_in (e, modalities)) {
      ok = fail (param, message, path,
          "expected a subset of text, audio, animation, avatar");
      goto out;
    }
    has_text |= g_str_equal (json_node_get_string (e), "text");
    has_audio |= g_str_equal (json_node_get_string (e), "audio");
  }
  if (json_array_get_length (arr) == 0 || (has_audio && !has_text))
    ok = fail (param, message, path,
        "audio-only or empty modalities are not supported; use "
        "[\"text\"] or [\"text\",\"audio\"]");
out:
  g_free (path);
  return ok;
}

gboolean
vl_emu_modalities_have (JsonNode * node, const gchar * modality)
{
  JsonArray *arr;
  guint i;

  if (!node || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  arr = json_node_get_array (node);
  for (i = 0; i < json_array_get_length (arr); i++) {
    const gchar *s = json_array_get_string_element (arr, i);

    if (s && g_str_equal (s, modality))
      return TRUE;
  }
  return FALSE;
}

static gboolean
check_tools (JsonObject * s, gchar ** param, gchar ** message)
{
  JsonNode *node = json_object_get_member (s, "tools");
  JsonArray *arr;
  guint i;

  if (!node)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (param, message, "session.tools", "expected an array");
  arr = json_node_get_array (node);
  for (i = 0; i < json_array_get_length (arr); i++) {
    JsonNode *e = json_array_get_element (arr, i);
    JsonNode *type = NULL;

    if (JSON_NODE_HOLDS_OBJECT (e))
      type = json_object_get_member (json_node_get_object (e), "type");
    if (!type || !JSON_NODE_HOLDS_VALUE (type) ||
        json_node_get_value_type (type) != G_TYPE_STRING) {
      gchar *path = g_strdup_printf ("session.tools[%u].type", i);

      fail (param, message, path, "each tool needs a string 'type'");
      g_free (path);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
validate (JsonObject * s, gchar ** param, gchar ** message)
{
  JsonNode *m;

  if (!check_turn_detection (s, param, message))
    return FALSE;
  if (!is_string_in (json_object_get_member (s, "input_audio_format"),
          in_formats))
    return fail (param, message, "session.input_audio_format",
        "expected one of pcm16, g711_ulaw, g711_alaw");
  if (!is_string_in (json_object_get_member (s, "output_audio_format"),
          out_formats))
    return fail (param, message, "session.output_audio_format",
        "expected one of pcm16, pcm16_8000hz, pcm16_16000hz, g711_ulaw, "
        "g711_alaw");
  m = json_object_get_member (s, "input_audio_sampling_rate");
  if (!m || !JSON_NODE_HOLDS_VALUE (m) ||
      json_node_get_value_type (m) != G_TYPE_INT64 ||
      (json_node_get_int (m) != 8000 && json_node_get_int (m) != 16000 &&
          json_node_get_int (m) != 24000))
    return fail (param, message, "session.input_audio_sampling_rate",
        "expected 8000, 16000 or 24000");
  if (!check_typed_object (s, "input_audio_noise_reduction", nr_types, param,
          message))
    return FALSE;
  if (!check_typed_object (s, "input_audio_echo_cancellation", ec_types,
          param, message))
    return FALSE;
  m = json_object_get_member (s, "input_audio_transcription");
  if (m && !JSON_NODE_HOLDS_NULL (m) && !JSON_NODE_HOLDS_OBJECT (m))
    return fail (param, message, "session.input_audio_transcription",
        "expected an object or null");
  if (!vl_emu_config_check_modalities (json_object_get_member (s,
              "modalities"), "session", param, message))
    return FALSE;
  if (!is_number (json_object_get_member (s, "temperature")))
    return fail (param, message, "session.temperature", "expected a number");
  m = json_object_get_member (s, "instructions");
  if (m && !JSON_NODE_HOLDS_NULL (m) && (!JSON_NODE_HOLDS_VALUE (m) ||
          json_node_get_value_type (m) != G_TYPE_STRING))
    return fail (param, message, "session.instructions", "expected a string");
  if (!vl_emu_avatar_check (s, param, message))
    return FALSE;
  return check_tools (s, param, message);
}

/* Features the service allows only with some models (protocol.md §4.6,
 * §7): semantic_vad needs gpt-realtime or gpt-realtime-mini. */
static gboolean
check_model_gates (JsonObject * session, gchar ** param, gchar ** message)
{
  JsonNode *td = json_object_get_member (session, "turn_detection");
  const gchar *model = json_object_get_string_member_with_default (session,
      "model", "");
  const gchar *type;

  if (!td || !JSON_NODE_HOLDS_OBJECT (td))
    return TRUE;
  type = json_object_get_string_member_with_default (json_node_get_object
      (td), "type", "");
  if (g_str_equal (type, "semantic_vad") &&
      !g_str_has_prefix (model, "gpt-realtime")) {
    *param = g_strdup ("session.turn_detection.type");
    *message = g_strdup_printf ("Invalid value: 'semantic_vad' is only "
        "supported with the gpt-realtime and gpt-realtime-mini models, not "
        "'%s'.", model);
    return FALSE;
  }
  return TRUE;
}

JsonObject *
vl_emu_config_merge (JsonObject * session, JsonObject * update,
    gchar ** param, gchar ** message, const gchar ** code)
{
  JsonObject *merged;
  JsonNode *root, *tmp;
  VlEmu2026Error e;
  gchar *text;

  *code = NULL;

  /* Work on a deep copy so a rejected update leaves the session untouched
   * (json_node_copy() shares the object: a round trip through text copies
   * the nested objects too). */
  tmp = json_node_init_object (json_node_alloc (), session);
  text = json_to_string (tmp, FALSE);
  json_node_unref (tmp);
  root = json_from_string (text, NULL);
  g_free (text);
  merged = json_object_ref (json_node_get_object (root));
  json_node_unref (root);

  deep_merge (merged, update);
  /* id, object and model are the server's; the client cannot change them. */
  json_object_set_member (merged, "id",
      json_node_copy (json_object_get_member (session, "id")));
  json_object_set_member (merged, "object",
      json_node_copy (json_object_get_member (session, "object")));
  json_object_set_member (merged, "model",
      json_node_copy (json_object_get_member (session, "model")));

  if (!validate (merged, param, message) || !check_model_gates (merged,
          param, message)) {
    json_object_unref (merged);
    return NULL;
  }
  if (!vl_emu_config_check_2026 (merged, &e)) {
    *param = e.param;
    *message = e.message;
    *code = e.code;
    json_object_unref (merged);
    return NULL;
  }
  return merged;
}

void
vl_emu_output_format (const gchar * format, guint * rate, gchar * kind)
{
  *kind = 'p';
  if (!g_strcmp0 (format, "pcm16_16000hz"))
    *rate = 16000;
  else if (!g_strcmp0 (format, "pcm16_8000hz"))
    *rate = 8000;
  else if (!g_strcmp0 (format, "g711_ulaw")) {
    *rate = 8000;
    *kind = 'u';
  } else if (!g_strcmp0 (format, "g711_alaw")) {
    *rate = 8000;
    *kind = 'a';
  } else
    *rate = 24000;
}

void
vl_emu_config_input_format (JsonObject * session, guint * rate, gchar * kind)
{
  const gchar *fmt = json_object_get_string_member_with_default (session,
      "input_audio_format", "pcm16");

  if (g_str_equal (fmt, "g711_ulaw") || g_str_equal (fmt, "g711_alaw")) {
    *rate = 8000;
    *kind = g_str_equal (fmt, "g711_ulaw") ? 'u' : 'a';
    return;
  }
  *kind = 'p';
  *rate = (guint) json_object_get_int_member_with_default (session,
      "input_audio_sampling_rate", 24000);
}

static JsonObject *
turn_detection (JsonObject * session)
{
  JsonNode *node = json_object_get_member (session, "turn_detection");

  if (!node || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

/* Numbers may arrive as JSON integers or floats. */
static gdouble
td_num (JsonObject * td, const gchar * name, gdouble def)
{
  JsonNode *m = json_object_get_member (td, name);

  if (!m || !JSON_NODE_HOLDS_VALUE (m))
    return def;
  if (json_node_get_value_type (m) == G_TYPE_INT64)
    return (gdouble) json_node_get_int (m);
  return json_node_get_double (m);
}

gboolean
vl_emu_config_vad_params (JsonObject * session, VlEmuVadParams * p)
{
  JsonObject *td = turn_detection (session);

  if (!td)
    return FALSE;
  p->threshold = td_num (td, "threshold", 0.5);
  p->prefix_padding_ms = (gint64) td_num (td, "prefix_padding_ms", 300);
  p->silence_duration_ms = (gint64) td_num (td, "silence_duration_ms", 500);
  p->speech_duration_ms = (gint64) td_num (td, "speech_duration_ms", 0);
  return TRUE;
}

gboolean
vl_emu_config_td_bool (JsonObject * session, const gchar * name, gboolean def)
{
  JsonObject *td = turn_detection (session);

  if (!td)
    return FALSE;
  return json_object_get_boolean_member_with_default (td, name, def);
}
