/* gst-voicelive
 * voicelive-emulator: the Voice Live 2026-07-15 server-side tools
 * (protocol-2026.md 2.6): an MCP server play (tool listing at session
 * start, approval round, call) and Foundry agent calls, both scripted as
 * calls with a "type"; the session's interim_response on tool calls (2.8)
 * and the --warning option. Single-threaded (the main loop).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "vl-emulator-tools.h"
#include "vl-emulator-response.h"

/* An approval request waiting for its answer: one block, its server label
 * stored after it (g_free() frees both). */
typedef struct
{
  const VlEmuScriptCall *call;  /* owned by the script */
  gchar label[];
} VlEmuApproval;

static GHashTable *
approvals (VlEmuConn * conn)
{
  if (!conn->approvals)
    conn->approvals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
        g_free);
  return conn->approvals;
}

gboolean
vl_emu_tools_is_server_call (const VlEmuScriptCall * c)
{
  return c && (g_strcmp0 (c->type, "mcp") == 0
      || g_strcmp0 (c->type, "foundry_agent") == 0);
}

/* The session's tools of @type, in order (a list of borrowed objects). */
static GList *
session_tools (VlEmuConn * conn, const gchar * type)
{
  JsonNode *n = json_object_get_member (conn->session, "tools");
  GList *out = NULL;
  guint i;

  if (!n || !JSON_NODE_HOLDS_ARRAY (n))
    return NULL;
  for (i = 0; i < json_array_get_length (json_node_get_array (n)); i++) {
    JsonNode *e = json_array_get_element (json_node_get_array (n), i);

    if (JSON_NODE_HOLDS_OBJECT (e) && !g_strcmp0 (type,
            json_object_get_string_member_with_default (json_node_get_object
                (e), "type", NULL)))
      out = g_list_append (out, json_node_get_object (e));
  }
  return out;
}

static JsonObject *
mcp_tool (VlEmuConn * conn, const gchar * label)
{
  GList *tools = session_tools (conn, "mcp"), *l;
  JsonObject *found = NULL;

  for (l = tools; l && !found; l = l->next)
    if (!label || !g_strcmp0 (label,
            json_object_get_string_member_with_default (l->data,
                "server_label", NULL)))
      found = l->data;
  g_list_free (tools);
  return found;
}

const gchar *
vl_emu_tools_mcp_label (VlEmuConn * conn)
{
  JsonObject *t = mcp_tool (conn, NULL);

  return t ? json_object_get_string_member_with_default (t, "server_label",
      "mcp") : "mcp";
}

/* Whether the filter @n (["a"] in Voice Live, {"tool_names":["a"]} in GA:
 * quirk 16, both accepted) lists @name. */
static gboolean
filter_lists (JsonNode * n, const gchar * name)
{
  JsonArray *a;
  guint i;

  if (n && JSON_NODE_HOLDS_OBJECT (n))
    n = json_object_get_member (json_node_get_object (n), "tool_names");
  if (!n || !JSON_NODE_HOLDS_ARRAY (n))
    return FALSE;
  a = json_node_get_array (n);
  for (i = 0; i < json_array_get_length (a); i++)
    if (!g_strcmp0 (json_array_get_string_element (a, i), name))
      return TRUE;
  return FALSE;
}

gboolean
vl_emu_tools_needs_approval (VlEmuConn * conn, const gchar * label,
    const gchar * name)
{
  JsonObject *t = mcp_tool (conn, label);
  JsonNode *ra = t ? json_object_get_member (t, "require_approval") : NULL;
  JsonObject *o;

  if (!ra || JSON_NODE_HOLDS_NULL (ra))
    return TRUE;                /* "always" is the default */
  if (JSON_NODE_HOLDS_VALUE (ra))
    return g_strcmp0 (json_node_get_string (ra), "never") != 0;
  if (!JSON_NODE_HOLDS_OBJECT (ra))
    return TRUE;
  o = json_node_get_object (ra);
  /* Unlisted tools need approval too. */
  return !filter_lists (json_object_get_member (o, "never"), name)
      || filter_lists (json_object_get_member (o, "always"), name);
}

static JsonObject *
approval_item (const gchar * id, const gchar * label,
    const VlEmuScriptCall * call)
{
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "id", id);
  json_object_set_string_member (item, "object", "realtime.item");
  json_object_set_string_member (item, "type", "mcp_approval_request");
  json_object_set_string_member (item, "server_label", label);
  json_object_set_string_member (item, "name", call->name);
  json_object_set_string_member (item, "arguments", call->arguments);
  return item;
}

/* response.output_item.added or .done of @item (taken). */
static void
output_item_event (VlEmuConn * conn, const gchar * type,
    const gchar * response_id, guint index, JsonObject * item)
{
  JsonObject *ev = vl_emu_conn_event_new (conn, type);

  json_object_set_string_member (ev, "response_id", response_id);
  json_object_set_int_member (ev, "output_index", index);
  json_object_set_object_member (ev, "item", item);
  vl_emu_conn_send (conn, ev, NULL);
}

JsonObject *
vl_emu_tools_approval_request (VlEmuConn * conn, const gchar * response_id,
    guint index, const gchar * item_id, const gchar * label,
    const VlEmuScriptCall * call)
{
  gsize label_len = strlen (label) + 1;
  VlEmuApproval *a = g_malloc (sizeof (VlEmuApproval) + label_len);

  output_item_event (conn, "response.output_item.added", response_id, index,
      approval_item (item_id, label, call));
  vl_emu_conn_add_item (conn, approval_item (item_id, label, call));
  vl_emu_conn_send_item_created (conn, NULL, approval_item (item_id, label,
          call), FALSE);
  output_item_event (conn, "response.output_item.done", response_id, index,
      approval_item (item_id, label, call));

  a->call = call;
  memcpy (a->label, label, label_len);
  g_hash_table_replace (approvals (conn), g_strdup (item_id), a);
  return approval_item (item_id, label, call);
}

JsonObject *
vl_emu_tools_call_item (const VlEmuScriptCall * call, const gchar * id,
    const gchar * label, const gchar * status, gboolean done)
{
  gboolean mcp = g_strcmp0 (call->type, "mcp") == 0;
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "id", id);
  json_object_set_string_member (item, "object", "realtime.item");
  json_object_set_string_member (item, "type", mcp ? "mcp_call" :
      "foundry_agent_call");
  json_object_set_string_member (item, "status", status);
  json_object_set_string_member (item, "name", call->name);
  if (mcp) {
    json_object_set_string_member (item, "server_label", label);
  } else {
    json_object_set_string_member (item, "call_id", call->call_id ?
        call->call_id : "call_foundry");
  }
  json_object_set_string_member (item, "arguments", call->arguments);
  if (done) {
    gchar *out = g_strdup_printf ("{\"emulated\":\"%s\"}", call->name);

    json_object_set_string_member (item, "output", out);
    if (!mcp)
      json_object_set_string_member (item, "agent_response_id",
          "agresp_emulated");
    g_free (out);
  }
  return item;
}

const gchar *
vl_emu_tools_interim_text (VlEmuConn * conn)
{
  JsonNode *n = json_object_get_member (conn->session, "interim_response");
  JsonObject *ir;
  JsonNode *texts;

  /* 2.8 CONFLICT: the reference spells it interim-response */
  if (!n)
    n = json_object_get_member (conn->session, "interim-response");
  if (!n || !JSON_NODE_HOLDS_OBJECT (n))
    return NULL;
  ir = json_node_get_object (n);
  /* triggers default to ["latency"]: no interim on a tool call */
  if (!filter_lists (json_object_get_member (ir, "triggers"), "tool"))
    return NULL;
  texts = json_object_get_member (ir, "texts");
  if (texts && JSON_NODE_HOLDS_ARRAY (texts)
      && json_array_get_length (json_node_get_array (texts)) > 0
      && json_array_get_string_element (json_node_get_array (texts), 0))
    return json_array_get_string_element (json_node_get_array (texts), 0);
  /* llm_interim_response: what a filler model might say */
  return "One moment please.";
}

static void
list_tools (VlEmuConn * conn, const gchar * label)
{
  JsonObject *ev, *item, *tool;
  JsonArray *tools = json_array_new ();
  gchar *id = vl_emu_conn_new_id (conn, "item_");

  ev = vl_emu_conn_event_new (conn, "mcp_list_tools.in_progress");
  json_object_set_string_member (ev, "item_id", id);
  vl_emu_conn_send (conn, ev, NULL);

  tool = json_object_new ();
  json_object_set_string_member (tool, "name", "search_docs");
  json_object_set_string_member (tool, "description", "Emulated MCP tool");
  json_object_set_object_member (tool, "input_schema", json_object_new ());
  json_object_set_null_member (tool, "annotations");
  json_array_add_object_element (tools, tool);
  item = json_object_new ();
  json_object_set_string_member (item, "id", id);
  json_object_set_string_member (item, "type", "mcp_list_tools");
  json_object_set_string_member (item, "server_label", label);
  json_object_set_array_member (item, "tools", tools);
  vl_emu_conn_send_item_created (conn, NULL, item, TRUE);

  ev = vl_emu_conn_event_new (conn, "mcp_list_tools.completed");
  json_object_set_string_member (ev, "item_id", id);
  vl_emu_conn_send (conn, ev, NULL);
  g_free (id);
}

static void
send_warning (VlEmuConn * conn, const gchar * text)
{
  JsonObject *ev = vl_emu_conn_event_new (conn, "warning");
  JsonObject *w = json_object_new ();

  json_object_set_string_member (w, "message", text);
  json_object_set_string_member (w, "code", "emulated_warning");
  json_object_set_null_member (w, "param");
  json_object_set_object_member (ev, "warning", w);
  vl_emu_conn_send (conn, ev, NULL);
}

void
vl_emu_tools_session_updated (VlEmuConn * conn)
{
  GList *tools = session_tools (conn, "mcp"), *l;

  if (!conn->listed_servers)
    conn->listed_servers = g_hash_table_new_full (g_str_hash, g_str_equal,
        g_free, NULL);
  for (l = tools; l; l = l->next) {
    const gchar *label = json_object_get_string_member_with_default (l->data,
        "server_label", "mcp");

    if (g_hash_table_add (conn->listed_servers, g_strdup (label)))
      list_tools (conn, label);
  }
  g_list_free (tools);
  if (conn->server->opts.warning_text && !conn->warned) {
    conn->warned = TRUE;
    send_warning (conn, conn->server->opts.warning_text);
  }
}

gboolean
vl_emu_tools_check_approval (VlEmuConn * conn, JsonObject * item,
    const gchar * event_id)
{
  const gchar *id = json_object_get_string_member_with_default (item,
      "approval_request_id", NULL);
  JsonNode *approve = json_object_get_member (item, "approve");
  gchar *msg;

  if (id && g_hash_table_contains (approvals (conn), id) && approve
      && JSON_NODE_HOLDS_VALUE (approve)
      && json_node_get_value_type (approve) == G_TYPE_BOOLEAN)
    return TRUE;
  msg = g_strdup_printf ("Invalid 'item': no MCP approval request '%s' "
      "waits, or 'approve' is not a boolean.", id ? id : "(none)");
  vl_emu_conn_send_error (conn, "invalid_value", msg,
      "item.approval_request_id", event_id);
  g_free (msg);
  return FALSE;
}

void
vl_emu_tools_approval_answered (VlEmuConn * conn, JsonObject * item)
{
  const gchar *id = json_object_get_string_member (item,
      "approval_request_id");
  VlEmuApproval *a = g_hash_table_lookup (approvals (conn), id);
  VlEmuResponseSpec spec;

  /* Denied: the call never runs and nothing more is said. Approved: the
   * service goes on by itself (the safer reading of 2.6); a response.create
   * the client sends as well meets the active response. */
  if (json_object_get_boolean_member (item, "approve") && !conn->response) {
    vl_emu_response_spec_init (conn, &spec);
    spec.exec_call = a->call;
    spec.exec_label = a->label;
    vl_emu_response_start (conn, &spec);
  }
  g_hash_table_remove (approvals (conn), id);
}

const gchar *
vl_emu_tools_say_text (JsonObject * request)
{
  JsonNode *n = json_object_get_member (request,
      "pre_generated_assistant_message");
  JsonNode *content;
  JsonArray *a;
  JsonObject *part;

  if (!n || !JSON_NODE_HOLDS_OBJECT (n))
    return NULL;
  content = json_object_get_member (json_node_get_object (n), "content");
  if (!content || !JSON_NODE_HOLDS_ARRAY (content))
    return NULL;
  a = json_node_get_array (content);
  if (json_array_get_length (a) < 1
      || !JSON_NODE_HOLDS_OBJECT (json_array_get_element (a, 0)))
    return NULL;
  part = json_array_get_object_element (a, 0);
  /* Voice Live's assistant part is "text"; GA's spelling is accepted too. */
  if (g_strcmp0 (json_object_get_string_member_with_default (part, "type",
              NULL), "text") && g_strcmp0
      (json_object_get_string_member_with_default (part, "type", NULL),
          "output_text"))
    return NULL;
  return json_object_get_string_member_with_default (part, "text", NULL);
}
