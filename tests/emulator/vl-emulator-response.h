/* gst-voicelive
 * voicelive-emulator: response generation (protocol.md §6.2 steps 7-17).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_EMULATOR_RESPONSE_H__
#define __VL_EMULATOR_RESPONSE_H__

#include "vl-emulator-conn.h"
#include "vl-emulator-script.h"

G_BEGIN_DECLS

/* What one response says. Filled from the CLI defaults by
 * vl_emu_response_spec_init(); a scripted conversation can set it itself. */
typedef struct
{
  const gchar *text;            /* NULL: "This is answer number N ..." */
  gboolean audio;               /* FALSE: text modality only */
  guint reply_ms;               /* audio length */
  gboolean realtime;            /* pace audio deltas at real time */
  const gchar *say;             /* pre_generated_assistant_message: this
                                 * text as is, no script entry */
  JsonObject *request;          /* response.create's "response", or NULL */
  /* An approved MCP call to run first (mcp_approval_response), no script
   * entry; exec_label its server. */
  const VlEmuScriptCall *exec_call;
  const gchar *exec_label;
} VlEmuResponseSpec;

void vl_emu_response_spec_init (VlEmuConn * conn, VlEmuResponseSpec * spec);

/* Starts a response on @conn (which must have none active): sends
 * response.created .. content_part.added at once, then the deltas from the
 * main loop, so client events are handled in between. */
void vl_emu_response_start (VlEmuConn * conn, const VlEmuResponseSpec * spec);

/* Ends the active response early: status "cancelled", @reason
 * "client_cancelled" or "turn_detected". */
void vl_emu_response_cancel (VlEmuConn * conn, const gchar * reason);

/* Drops the active response without sending anything (connection gone). */
void vl_emu_response_abort (VlEmuConn * conn);

const gchar *vl_emu_response_get_id (VlEmuResponse * r);

G_END_DECLS

#endif /* __VL_EMULATOR_RESPONSE_H__ */
