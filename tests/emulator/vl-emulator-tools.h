/* gst-voicelive
 * voicelive-emulator: Voice Live 2026-07-15 server-side tools (MCP servers,
 * Foundry agents), interim responses, and the warning option. Runs on the
 * emulator's one main loop.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_EMULATOR_TOOLS_H__
#define __VL_EMULATOR_TOOLS_H__

#include "vl-emulator-conn.h"
#include "vl-emulator-script.h"

G_BEGIN_DECLS

/* A scripted call the service runs itself (mcp, foundry_agent). */
gboolean vl_emu_tools_is_server_call (const VlEmuScriptCall * c);
/* The server_label of the session's first mcp tool ("mcp" without one). */
const gchar *vl_emu_tools_mcp_label (VlEmuConn * conn);
/* Whether the session's mcp tool @label wants approval for @name
 * (require_approval: "always" by default, "never", or {"always":[..],
 * "never":[..]} in the Voice Live or the GA {"tool_names":[..]} form). */
gboolean vl_emu_tools_needs_approval (VlEmuConn * conn, const gchar * label,
    const gchar * name);
/* Sends the mcp_approval_request item @item_id (output item @index of
 * response @response_id) and remembers it; returns the item (new ref). */
JsonObject *vl_emu_tools_approval_request (VlEmuConn * conn,
    const gchar * response_id, guint index, const gchar * item_id,
    const gchar * label, const VlEmuScriptCall * call);
/* An mcp_call or foundry_agent_call item; @done adds its output. */
JsonObject *vl_emu_tools_call_item (const VlEmuScriptCall * call,
    const gchar * id, const gchar * label, const gchar * status,
    gboolean done);
/* The interim phrase when the session's interim_response has the "tool"
 * trigger (either spelling), else NULL. */
const gchar *vl_emu_tools_interim_text (VlEmuConn * conn);

/* After a session.updated: mcp_list_tools.* for each new MCP server, and
 * --warning. */
void vl_emu_tools_session_updated (VlEmuConn * conn);
/* conversation.item.create of an mcp_approval_response: FALSE (error sent)
 * for an unknown request. */
gboolean vl_emu_tools_check_approval (VlEmuConn * conn, JsonObject * item,
    const gchar * event_id);
/* ...and once its item is echoed: an approved call runs in a new response;
 * a denied one ends there. */
void vl_emu_tools_approval_answered (VlEmuConn * conn, JsonObject * item);

/* The text of response.create's pre_generated_assistant_message (say), or
 * NULL. */
const gchar *vl_emu_tools_say_text (JsonObject * request);

G_END_DECLS

#endif /* __VL_EMULATOR_TOOLS_H__ */
