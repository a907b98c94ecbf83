/* gst-voicelive
 * voicelive-emulator: scripted responses (--script FILE).
 *
 * The script is loaded and validated once at start-up; a bad script is a
 * start-up error (exit status 2), never a surprise in the middle of a test.
 *
 * {"responses": [ {"text", "audio_ms", "audio_items", "function_calls",
 *                  "error", "events_before", "input_transcript"}, ... ]}
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "vl-emulator-script.h"

struct _VlEmuScript
{
  GPtrArray *responses;         /* VlEmuScriptResponse */
};

static void
call_free (gpointer data)
{
  VlEmuScriptCall *c = data;

  g_free (c->name);
  g_free (c->arguments);
  g_free (c->call_id);
  g_free (c->type);
  g_free (c->server_label);
  g_free (c);
}

static void
response_free (gpointer data)
{
  VlEmuScriptResponse *r = data;

  g_free (r->text);
  g_ptr_array_unref (r->calls);
  if (r->error)
    json_object_unref (r->error);
  if (r->events_before)
    json_array_unref (r->events_before);
  g_free (r->input_transcript);
  g_free (r);
}

static gboolean
fail (GError ** error, guint k, const gchar * what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
      "script: responses[%u]: %s", k, what);
  return FALSE;
}

/* Member @name of @obj as a string: TRUE and *out = NULL when absent. */
static gboolean
get_string (JsonObject * obj, const gchar * name, gchar ** out)
{
  JsonNode *n = json_object_get_member (obj, name);

  *out = NULL;
  if (!n || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) !=
      G_TYPE_STRING)
    return FALSE;
  *out = g_strdup (json_node_get_string (n));
  return TRUE;
}

/* Member @name as an integer in [min, max]; absent leaves *out alone. */
static gboolean
get_int (JsonObject * obj, const gchar * name, gint64 min, gint64 max,
    gint64 * out)
{
  JsonNode *n = json_object_get_member (obj, name);

  if (!n)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) !=
      G_TYPE_INT64)
    return FALSE;
  if (json_node_get_int (n) < min || json_node_get_int (n) > max)
    return FALSE;
  *out = json_node_get_int (n);
  return TRUE;
}

static const gchar *const response_members[] = { "text", "audio_ms",
  "audio_items", "function_calls", "error", "events_before",
  "input_transcript", NULL
};

static const gchar *const call_members[] = { "name", "arguments", "call_id",
  "type", "server_label", NULL
};

/* A member the emulator does not know is a start-up error, not a silent
 * default: a misspelt "calls" would otherwise give a response without them
 * and a test that fails far from its cause. */
static gboolean
known_members (JsonObject * obj, const gchar * const *known, guint k,
    const gchar * what, GError ** error)
{
  GList *names = json_object_get_members (obj), *l;
  gboolean ok = TRUE;
  gchar *msg;

  for (l = names; l && ok; l = l->next) {
    if (!g_strv_contains (known, l->data)) {
      msg = g_strdup_printf ("unknown member \"%s\" in %s",
          (const gchar *) l->data, what);
      ok = fail (error, k, msg);
      g_free (msg);
    }
  }
  g_list_free (names);
  return ok;
}

static gboolean
parse_calls (VlEmuScriptResponse * r, JsonNode * node, guint k, GError ** error)
{
  JsonArray *arr;
  guint i;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, k, "\"function_calls\" must be an array");
  arr = json_node_get_array (node);
  if (json_array_get_length (arr) > VL_EMU_SCRIPT_MAX_CALLS)
    return fail (error, k, "too many function calls");
  for (i = 0; i < json_array_get_length (arr); i++) {
    JsonNode *cn = json_array_get_element (arr, i);
    JsonObject *co;
    VlEmuScriptCall *c;

    if (!JSON_NODE_HOLDS_OBJECT (cn))
      return fail (error, k, "a function call must be an object");
    co = json_node_get_object (cn);
    if (!known_members (co, call_members, k, "a function call", error))
      return FALSE;
    c = g_new0 (VlEmuScriptCall, 1);
    g_ptr_array_add (r->calls, c);
    if (!get_string (co, "name", &c->name) || !c->name)
      return fail (error, k, "a function call needs a string \"name\"");
    if (!get_string (co, "arguments", &c->arguments))
      return fail (error, k, "\"arguments\" must be a (JSON) string");
    if (!c->arguments)
      c->arguments = g_strdup ("{}");
    if (!get_string (co, "call_id", &c->call_id))
      return fail (error, k, "\"call_id\" must be a string");
    /* Server-side tools the emulator runs itself (docs/emulator.md) */
    if (!get_string (co, "type", &c->type) || (c->type
            && strcmp (c->type, "function") && strcmp (c->type, "mcp")
            && strcmp (c->type, "foundry_agent")))
      return fail (error, k, "\"type\" must be function, mcp or "
          "foundry_agent");
    if (!get_string (co, "server_label", &c->server_label))
      return fail (error, k, "\"server_label\" must be a string");
  }
  return TRUE;
}

static gboolean
parse_response (VlEmuScriptResponse * r, JsonNode * node, guint k,
    GError ** error)
{
  JsonObject *o;
  JsonNode *n;
  gint64 v;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, k, "must be an object");
  o = json_node_get_object (node);
  if (!known_members (o, response_members, k, "the entry", error))
    return FALSE;

  if (!get_string (o, "text", &r->text))
    return fail (error, k, "\"text\" must be a string");
  v = -1;
  if (!get_int (o, "audio_ms", 0, VL_EMU_SCRIPT_MAX_AUDIO_MS, &v))
    return fail (error, k, "\"audio_ms\" must be an integer 0..600000");
  r->audio_ms = (gint) v;
  v = 1;
  if (!get_int (o, "audio_items", 0, VL_EMU_SCRIPT_MAX_ITEMS, &v))
    return fail (error, k, "\"audio_items\" must be an integer 0..64");
  r->audio_items = (guint) v;
  if ((n = json_object_get_member (o, "function_calls")) &&
      !JSON_NODE_HOLDS_NULL (n) && !parse_calls (r, n, k, error))
    return FALSE;
  if ((n = json_object_get_member (o, "error")) && !JSON_NODE_HOLDS_NULL (n)) {
    if (!JSON_NODE_HOLDS_OBJECT (n))
      return fail (error, k, "\"error\" must be an object");
    r->error = json_object_ref (json_node_get_object (n));
  }
  if ((n = json_object_get_member (o, "events_before")) &&
      !JSON_NODE_HOLDS_NULL (n)) {
    JsonArray *arr;
    guint i;

    if (!JSON_NODE_HOLDS_ARRAY (n))
      return fail (error, k, "\"events_before\" must be an array");
    arr = json_node_get_array (n);
    for (i = 0; i < json_array_get_length (arr); i++)
      if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (arr, i)))
        return fail (error, k, "\"events_before\" must hold objects");
    r->events_before = json_array_ref (arr);
  }
  if (!get_string (o, "input_transcript", &r->input_transcript))
    return fail (error, k, "\"input_transcript\" must be a string");
  return TRUE;
}

VlEmuScript *
vl_emu_script_load (const gchar * path, GError ** error)
{
  gchar *data = NULL;
  gsize len = 0;
  JsonParser *parser;
  JsonNode *root, *resp;
  JsonArray *arr;
  VlEmuScript *script;
  guint i;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  if (len > VL_EMU_SCRIPT_MAX_BYTES) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "script %s: larger than %d bytes", path, VL_EMU_SCRIPT_MAX_BYTES);
    g_free (data);
    return NULL;
  }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, error)) {
    g_free (data);
    g_object_unref (parser);
    return NULL;
  }
  g_free (data);
  root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root) ||
      !(resp = json_object_get_member (json_node_get_object (root),
              "responses")) || !JSON_NODE_HOLDS_ARRAY (resp)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "script %s: expected {\"responses\": [...]}", path);
    g_object_unref (parser);
    return NULL;
  }
  arr = json_node_get_array (resp);
  if (json_array_get_length (arr) > VL_EMU_SCRIPT_MAX_RESPONSES) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "script %s: more than %d responses", path, VL_EMU_SCRIPT_MAX_RESPONSES);
    g_object_unref (parser);
    return NULL;
  }

  script = g_new0 (VlEmuScript, 1);
  script->responses = g_ptr_array_new_with_free_func (response_free);
  for (i = 0; i < json_array_get_length (arr); i++) {
    VlEmuScriptResponse *r = g_new0 (VlEmuScriptResponse, 1);

    r->calls = g_ptr_array_new_with_free_func (call_free);
    g_ptr_array_add (script->responses, r);
    if (!parse_response (r, json_array_get_element (arr, i), i, error)) {
      vl_emu_script_free (script);
      g_object_unref (parser);
      return NULL;
    }
  }
  g_object_unref (parser);
  return script;
}

void
vl_emu_script_free (VlEmuScript * script)
{
  if (!script)
    return;
  g_ptr_array_unref (script->responses);
  g_free (script);
}

const VlEmuScriptResponse *
vl_emu_script_get (VlEmuScript * script, guint k)
{
  if (!script || k >= script->responses->len)
    return NULL;
  return g_ptr_array_index (script->responses, k);
}
