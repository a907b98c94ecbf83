/* gst-voicelive
 * The Voice Live 2026 session fields (protocol-2026.md §2): voice and
 * transcription extras, interim_response, parallel_tool_calls, include,
 * their checks and the api-version each needs. Pure; any thread.
 *
 * Readings chosen where protocol-2026.md says UNVERIFIED or CONFLICT:
 * - interim_response keeps the underscore spelling of the how-to and the
 *   JS SDK (key and types), not the reference's hyphens (§2.8);
 * - session.include is sent as the JS SDK does, though the 2026-07-15
 *   session table does not list it (§2.5): only when set;
 * - interim-response-type=none sends interim_response null, the way the
 *   other objects are turned off (whether the service takes null there is
 *   unverified; it is sent only when set);
 * - an api-version that is not a date (a custom or future label) refuses
 *   nothing: the service is the judge there.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>
#include <gio/gio.h>
#include "gstvoiceliveprotocol2026.h"
#include "gstvoiceliveprotocolga.h"
#include "gstvoicelivejson.h"

#define member_str gst_voice_live_json_member_str

void
gst_voice_live_json_member_split (JsonBuilder * b, const gchar * name,
    const gchar * list, const gchar * sep)
{
  gchar **items = g_strsplit (list ? list : "", sep, -1);
  guint i;

  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (i = 0; items[i]; i++) {
    g_strstrip (items[i]);
    if (*items[i])
      json_builder_add_string_value (b, items[i]);
  }
  json_builder_end_array (b);
  g_strfreev (items);
}

static gboolean
nonempty (const gchar * s)
{
  return s && *s;
}

static void
member_opt (JsonBuilder * b, const gchar * name, const gchar * v)
{
  if (nonempty (v))
    member_str (b, name, v);
}

void
gst_voice_live_add_voice_2026 (JsonBuilder * b, const GstVoiceLiveConfig * cfg)
{
  member_opt (b, "model", cfg->voice_model);
  member_opt (b, "locale", cfg->voice_locale);
  if (nonempty (cfg->voice_prefer_locales))
    gst_voice_live_json_member_split (b, "prefer_locales",
        cfg->voice_prefer_locales, ",");
  member_opt (b, "style", cfg->voice_style);
  member_opt (b, "pitch", cfg->voice_pitch);
  member_opt (b, "volume", cfg->voice_volume);
  member_opt (b, "custom_lexicon_url", cfg->voice_lexicon_url);
  member_opt (b, "custom_text_normalization_url", cfg->voice_normalization_url);
}

/* Calls @func for each "locale=id" of @spec; FALSE at the first that is not
 * of that form. */
static gboolean
foreach_custom_speech (const gchar * spec,
    void (*func) (const gchar * locale, const gchar * id, gpointer data),
    gpointer data)
{
  gchar **pairs = g_strsplit (spec, ",", -1);
  gboolean ok = TRUE;
  guint i;

  for (i = 0; ok && pairs[i]; i++) {
    gchar *eq = strchr (pairs[i], '=');

    if (!eq) {
      ok = FALSE;
      break;
    }
    *eq = '\0';
    g_strstrip (pairs[i]);
    g_strstrip (eq + 1);
    ok = *pairs[i] && eq[1] && !strchr (eq + 1, '=');
    if (ok && func)
      func (pairs[i], eq + 1, data);
  }
  g_strfreev (pairs);
  return ok && i > 0;
}

static void
add_custom_speech (const gchar * locale, const gchar * id, gpointer b)
{
  member_str (b, locale, id);
}

void
gst_voice_live_add_transcription_2026 (JsonBuilder * b,
    const GstVoiceLiveConfig * cfg)
{
  member_opt (b, "prompt", cfg->transcription_prompt);
  if (nonempty (cfg->custom_speech)) {
    json_builder_set_member_name (b, "custom_speech");
    json_builder_begin_object (b);
    foreach_custom_speech (cfg->custom_speech, add_custom_speech, b);
    json_builder_end_object (b);
  }
}

static void
add_interim (JsonBuilder * b, const GstVoiceLiveConfig * cfg)
{
  const gchar *type = gst_voice_live_interim_type_to_wire (cfg->interim_type);

  if (nonempty (cfg->interim_json)) {
    JsonNode *n = json_from_string (cfg->interim_json, NULL);

    /* validated before it is stored */
    if (n) {
      json_builder_set_member_name (b, "interim_response");
      json_builder_add_value (b, n);
      return;
    }
  }
  if (!type) {
    gst_voice_live_json_member_null (b, "interim_response");
    return;
  }
  json_builder_set_member_name (b, "interim_response");
  json_builder_begin_object (b);
  member_str (b, "type", type);
  json_builder_set_member_name (b, "triggers");
  json_builder_begin_array (b);
  if (cfg->interim_triggers & GST_VOICE_LIVE_INTERIM_TRIGGERS_LATENCY)
    json_builder_add_string_value (b, "latency");
  if (cfg->interim_triggers & GST_VOICE_LIVE_INTERIM_TRIGGERS_TOOL)
    json_builder_add_string_value (b, "tool");
  json_builder_end_array (b);
  gst_voice_live_json_member_int (b, "latency_threshold_ms",
      cfg->interim_latency_ms);
  if (cfg->interim_type == GST_VOICE_LIVE_INTERIM_TYPE_STATIC)
    gst_voice_live_json_member_split (b, "texts", cfg->interim_texts, "|");
  else
    member_opt (b, "instructions", cfg->interim_instructions);
  json_builder_end_object (b);
}

/* "left,top,right,bottom" in pixels, right > left, bottom > top */
static gboolean
parse_crop (const gchar * crop, gint v[4])
{
  gint n = 0;

  if (!crop || sscanf (crop, "%d,%d,%d,%d%n", &v[0], &v[1], &v[2], &v[3],
          &n) != 4 || crop[n] != '\0')
    return FALSE;
  return v[0] >= 0 && v[1] >= 0 && v[2] > v[0] && v[3] > v[1];
}

static void
member_point (JsonBuilder * b, const gchar * name, gint x, gint y)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  json_builder_add_int_value (b, x);
  json_builder_add_int_value (b, y);
  json_builder_end_array (b);
}

static void
add_avatar_video (JsonBuilder * b, const GstVoiceLiveConfig * cfg)
{
  gint crop[4];

  json_builder_set_member_name (b, "video");
  json_builder_begin_object (b);
  member_str (b, "codec", "h264");
  if (cfg->avatar_bitrate > 0)
    gst_voice_live_json_member_int (b, "bitrate", cfg->avatar_bitrate);
  if (cfg->avatar_width > 0 && cfg->avatar_height > 0) {
    json_builder_set_member_name (b, "resolution");
    json_builder_begin_object (b);
    gst_voice_live_json_member_int (b, "width", cfg->avatar_width);
    gst_voice_live_json_member_int (b, "height", cfg->avatar_height);
    json_builder_end_object (b);
  }
  if (parse_crop (cfg->avatar_crop, crop)) {
    json_builder_set_member_name (b, "crop");
    json_builder_begin_object (b);
    member_point (b, "top_left", crop[0], crop[1]);
    member_point (b, "bottom_right", crop[2], crop[3]);
    json_builder_end_object (b);
  }
  /* color or image_url, not both (validated) */
  if (nonempty (cfg->avatar_background_color)
      || nonempty (cfg->avatar_background_image)) {
    json_builder_set_member_name (b, "background");
    json_builder_begin_object (b);
    member_opt (b, "color", cfg->avatar_background_color);
    member_opt (b, "image_url", cfg->avatar_background_image);
    json_builder_end_object (b);
  }
  json_builder_end_object (b);
}

/* session.avatar: null when avatar-character is unset (the avatar off) */
static void
add_avatar (JsonBuilder * b, const GstVoiceLiveConfig * cfg)
{
  GEnumClass *k;
  GEnumValue *out;

  if (!nonempty (cfg->avatar_character)) {
    gst_voice_live_json_member_null (b, "avatar");
    return;
  }
  json_builder_set_member_name (b, "avatar");
  json_builder_begin_object (b);
  member_str (b, "type", cfg->avatar_photo ? "photo-avatar" : "video-avatar");
  if (cfg->avatar_photo)
    member_str (b, "model", "vasa-1");
  member_str (b, "character", cfg->avatar_character);
  member_opt (b, "style", cfg->avatar_style);
  gst_voice_live_json_member_bool (b, "customized", cfg->avatar_customized);
  if (nonempty (cfg->avatar_ice_servers)) {
    JsonNode *n = json_from_string (cfg->avatar_ice_servers, NULL);

    /* validated before it is stored */
    if (n) {
      json_builder_set_member_name (b, "ice_servers");
      json_builder_add_value (b, n);
    }
  }
  add_avatar_video (b, cfg);
  k = g_type_class_ref (GST_TYPE_VOICE_LIVE_AVATAR_OUTPUT);
  out = g_enum_get_value (k, cfg->avatar_output);
  member_str (b, "output_protocol", out ? out->value_nick : "websocket");
  g_type_class_unref (k);
  json_builder_end_object (b);
}

void
gst_voice_live_add_session_2026 (JsonBuilder * b,
    const GstVoiceLiveConfig * cfg, guint fields)
{
  guint set = cfg->set & fields;

  if (set & GST_VOICE_LIVE_FIELD_INTERIM)
    add_interim (b, cfg);
  if (set & GST_VOICE_LIVE_FIELD_AVATAR)
    add_avatar (b, cfg);
  if (set & GST_VOICE_LIVE_FIELD_PARALLEL_TOOLS)
    gst_voice_live_json_member_bool (b, "parallel_tool_calls",
        cfg->parallel_tool_calls);
  if (set & GST_VOICE_LIVE_FIELD_INCLUDE) {
    json_builder_set_member_name (b, "include");
    json_builder_begin_array (b);
    if (cfg->include & GST_VOICE_LIVE_INCLUDE_LOGPROBS)
      json_builder_add_string_value (b,
          "item.input_audio_transcription.logprobs");
    if (cfg->include & GST_VOICE_LIVE_INCLUDE_PHRASES)
      json_builder_add_string_value (b,
          "item.input_audio_transcription.phrases");
    json_builder_end_array (b);
  }
}

/* ---- checks ---- */

static gboolean
invalid (GError ** error, const gchar * property, const gchar * why)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
      "Invalid %s property: %s", property, why);
  return FALSE;
}

static gboolean
is_string_member (JsonObject * o, const gchar * name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n)
      && json_node_get_value_type (n) == G_TYPE_STRING
      && *json_node_get_string (n);
}

/* Each tool type with the members it cannot go without (§2.6); other
 * types need only their "type": the service knows them. */
static const struct
{
  const gchar *type;
  const gchar *required[3];
} tool_required[] = {
  {"function", {"name", NULL}},
  {"mcp", {"server_label", "server_url", NULL}},
  {"foundry_agent", {"agent_name", "project_name", NULL}},
};

static gboolean
tool_ok (JsonNode * t)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (t) ? json_node_get_object (t) : NULL;
  const gchar *type;
  guint i, j;

  if (!is_string_member (o, "type"))
    return FALSE;
  type = json_object_get_string_member (o, "type");
  for (i = 0; i < G_N_ELEMENTS (tool_required); i++) {
    if (!g_str_equal (type, tool_required[i].type))
      continue;
    for (j = 0; tool_required[i].required[j]; j++)
      if (!is_string_member (o, tool_required[i].required[j]))
        return FALSE;
  }
  return TRUE;
}

static gboolean
tools_ok (const gchar * tools)
{
  JsonNode *n = json_from_string (tools, NULL);
  gboolean ok = n && JSON_NODE_HOLDS_ARRAY (n);
  guint i;

  for (i = 0; ok && i < json_array_get_length (json_node_get_array (n)); i++)
    ok = tool_ok (json_array_get_element (json_node_get_array (n), i));
  if (n)
    json_node_unref (n);
  return ok;
}

static gboolean
interim_json_ok (const gchar * json)
{
  JsonNode *n = json_from_string (json, NULL);
  gboolean ok = n && JSON_NODE_HOLDS_OBJECT (n)
      && is_string_member (json_node_get_object (n), "type");

  if (n)
    json_node_unref (n);
  return ok;
}

static gboolean
validate_interim (const GstVoiceLiveConfig * cfg, GError ** error)
{
  if (!(cfg->set & GST_VOICE_LIVE_FIELD_INTERIM))
    return TRUE;
  if (nonempty (cfg->interim_json)) {
    if (!interim_json_ok (cfg->interim_json))
      return invalid (error, "interim-response-json", "expected a JSON "
          "object with a string \"type\", e.g. {\"type\":"
          "\"static_interim_response\",\"texts\":[\"One moment.\"]}");
    return TRUE;
  }
  if (cfg->interim_type == GST_VOICE_LIVE_INTERIM_TYPE_NONE)
    return TRUE;
  if (!cfg->interim_triggers)
    return invalid (error, "interim-response-triggers", "at least one of "
        "latency, tool");
  if (cfg->interim_type == GST_VOICE_LIVE_INTERIM_TYPE_STATIC
      && !nonempty (cfg->interim_texts))
    return invalid (error, "interim-response-texts", "interim-response-"
        "type=static needs texts, separated by '|'");
  return TRUE;
}

static gboolean
ice_servers_ok (const gchar * json)
{
  JsonNode *n = json_from_string (json, NULL);
  gboolean ok = n && JSON_NODE_HOLDS_ARRAY (n);
  guint i;

  for (i = 0; ok && i < json_array_get_length (json_node_get_array (n)); i++) {
    JsonNode *e = json_array_get_element (json_node_get_array (n), i);

    ok = JSON_NODE_HOLDS_OBJECT (e)
        && json_object_has_member (json_node_get_object (e), "urls");
  }
  if (n)
    json_node_unref (n);
  return ok;
}

static gboolean
color_ok (const gchar * c)
{
  gsize i, n = c ? strlen (c) : 0;

  if ((n != 7 && n != 9) || c[0] != '#')
    return FALSE;
  for (i = 1; i < n; i++)
    if (!g_ascii_isxdigit (c[i]))
      return FALSE;
  return TRUE;
}

static gboolean
validate_avatar (const GstVoiceLiveConfig * cfg, GError ** error)
{
  gint crop[4];

  if (!(cfg->set & GST_VOICE_LIVE_FIELD_AVATAR))
    return TRUE;
  if (nonempty (cfg->avatar_crop) && !parse_crop (cfg->avatar_crop, crop))
    return invalid (error, "avatar-crop", "expected left,top,right,bottom "
        "in pixels with right > left and bottom > top, e.g. "
        "\"560,0,1360,1080\"");
  if (nonempty (cfg->avatar_background_color)
      && !color_ok (cfg->avatar_background_color))
    return invalid (error, "avatar-background-color", "expected "
        "#RRGGBB or #RRGGBBAA, e.g. \"#00FF00FF\"");
  if (nonempty (cfg->avatar_background_color)
      && nonempty (cfg->avatar_background_image))
    return invalid (error, "avatar-background-image", "the background "
        "is a colour or an image, not both: unset avatar-background-color");
  if ((cfg->avatar_width > 0) != (cfg->avatar_height > 0))
    return invalid (error, "avatar-width", "set avatar-width and "
        "avatar-height together");
  if (nonempty (cfg->avatar_ice_servers)
      && !ice_servers_ok (cfg->avatar_ice_servers))
    return invalid (error, "avatar-ice-servers", "expected a JSON array "
        "of objects with \"urls\", e.g. [{\"urls\":[\"turn:relay:3478\"],"
        "\"username\":\"u\",\"credential\":\"c\"}]");
  return TRUE;
}

gboolean
gst_voice_live_config_validate_2026 (const GstVoiceLiveConfig * cfg,
    GError ** error)
{
  if (!validate_avatar (cfg, error))
    return FALSE;
  if ((cfg->set & GST_VOICE_LIVE_FIELD_TOOLS) && cfg->tools
      && !tools_ok (cfg->tools))
    return invalid (error, "tools", "expected a JSON array of tool "
        "objects, each with a string \"type\" and what its type needs: "
        "function \"name\" (e.g. [{\"type\":\"function\",\"name\":"
        "\"get_weather\",\"parameters\":{...}}]), mcp \"server_label\" "
        "and \"server_url\", foundry_agent \"agent_name\" and "
        "\"project_name\"");
  if ((cfg->set & GST_VOICE_LIVE_FIELD_TRANSCRIPTION)
      && nonempty (cfg->custom_speech)
      && !foreach_custom_speech (cfg->custom_speech, NULL, NULL))
    return invalid (error, "transcription-custom-speech", "expected "
        "locale=model-id pairs separated by commas, e.g. "
        "\"zh-CN=<guid>,en-US=<guid>\"");
  /* eagerness belongs to semantic_vad; the service refuses it elsewhere */
  if ((cfg->set & GST_VOICE_LIVE_FIELD_EAGERNESS)
      && !((cfg->set & GST_VOICE_LIVE_FIELD_TURN_TYPE)
          && cfg->turn_detection == GST_VOICE_LIVE_TURN_DETECTION_SEMANTIC_VAD))
    return invalid (error, "eagerness", "applies to "
        "turn-detection=semantic-vad only");
  return validate_interim (cfg, error);
}

/* ---- api-version ---- */

guint
gst_voice_live_api_version_order (const gchar * v)
{
  guint y, m, d;
  gint n = 0;

  if (!v || sscanf (v, "%4u-%2u-%2u%n", &y, &m, &d, &n) != 3 || n != 10
      || m < 1 || m > 12 || d < 1 || d > 31)
    return 0;
  if (v[10] == '\0')
    return (y * 10000 + m * 100 + d) * 2 + 1;
  if (g_str_equal (v + 10, "-preview"))
    return (y * 10000 + m * 100 + d) * 2;
  return 0;
}

static gboolean
has_mcp_tool (const GstVoiceLiveConfig * cfg)
{
  JsonNode *n;
  gboolean found = FALSE;
  guint i;

  if (!(cfg->set & GST_VOICE_LIVE_FIELD_TOOLS) || !cfg->tools)
    return FALSE;
  n = json_from_string (cfg->tools, NULL);
  for (i = 0; n && JSON_NODE_HOLDS_ARRAY (n)
      && i < json_array_get_length (json_node_get_array (n)); i++) {
    JsonNode *t = json_array_get_element (json_node_get_array (n), i);

    found |= JSON_NODE_HOLDS_OBJECT (t)
        && g_strcmp0 (json_object_get_string_member_with_default
        (json_node_get_object (t), "type", ""), "mcp") == 0;
  }
  if (n)
    json_node_unref (n);
  return found;
}

/* The property that needs a newer api-version than @order, and which
 * (NULL: none). */
static const gchar *
needs_newer (const GstVoiceLiveConfig * cfg, guint order, const gchar ** min)
{
  const gchar *why = NULL;

#define NEEDS(cond, prop, version) \
  if (!why && (cond) && order < gst_voice_live_api_version_order (version)) { \
    why = prop; \
    *min = version; \
  }
  NEEDS ((cfg->set & GST_VOICE_LIVE_FIELD_VOICE)
      && gst_voice_live_config_voice_type (cfg) ==
      GST_VOICE_LIVE_VOICE_TYPE_AZURE_REALTIME_NATIVE,
      cfg->voice_type == GST_VOICE_LIVE_VOICE_TYPE_AUTO ? "voice" :
      "voice-type", "2026-01-01-preview");
  NEEDS ((cfg->set & GST_VOICE_LIVE_FIELD_INTERIM)
      && (nonempty (cfg->interim_json)
          || cfg->interim_type != GST_VOICE_LIVE_INTERIM_TYPE_NONE),
      nonempty (cfg->interim_json) ? "interim-response-json" :
      "interim-response-type", "2026-01-01-preview");
  NEEDS (has_mcp_tool (cfg), "tools", "2026-04-10");
  NEEDS ((cfg->set & GST_VOICE_LIVE_FIELD_EOU)
      && cfg->eou_model == GST_VOICE_LIVE_EOU_MODEL_SMART,
      "end-of-utterance-model", "2026-06-01-preview");
  NEEDS (cfg->set & GST_VOICE_LIVE_FIELD_PARALLEL_TOOLS,
      "parallel-tool-calls", "2026-06-01-preview");
  NEEDS ((cfg->set & GST_VOICE_LIVE_FIELD_ECHO_CANCELLATION)
      && cfg->echo_cancellation ==
      GST_VOICE_LIVE_ECHO_CANCELLATION_CLIENT_REFERENCE,
      "echo-cancellation", "2026-06-01-preview");
#undef NEEDS
  return why;
}

gboolean
gst_voice_live_config_check_api_version (const GstVoiceLiveConfig * cfg,
    guint order, GError ** error)
{
  const gchar *min = NULL, *property;

  if (order == 0)
    return TRUE;
  property = needs_newer (cfg, order, &min);
  if (!property)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
      "Property '%s' needs api-version %s or later: set api-version "
      "(e.g. to %s) or unset '%s'", property, min,
      GST_VOICE_LIVE_LATEST_API_VERSION, property);
  return FALSE;
}
