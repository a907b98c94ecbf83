/* gst-voicelive
 * voicelive-emulator: fault injection (--drop-after-responses,
 * --close-after-ms, --expires-in-s (closing), --upgrade-status,
 * --hang-upgrade, --delay-upgrade-ms,
 * --hostile, --odd-deltas).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_EMULATOR_FAULT_H__
#define __VL_EMULATOR_FAULT_H__

#include "vl-emulator-conn.h"

G_BEGIN_DECLS

/* Size of the largest hostile frame: exactly the plugin's (and the
 * emulator's) incoming payload limit. */
#define VL_EMU_HOSTILE_BIG_FRAME (16 * 1024 * 1024)

/* Delay between the response.done that triggers a drop and the drop, so
 * that the frames already queued reach the client first. */
#define VL_EMU_DROP_DELAY_MS 50

/* From the early handler, before the normal checks: TRUE when
 * --upgrade-status rejected the upgrade. */
gboolean vl_emu_fault_reject_upgrade (VlEmuServer * server,
    SoupServerMessage * msg, const gchar * path);

/* From the early handler, after the checks (which may have rejected it):
 * --hang-upgrade pauses the request for good, --delay-upgrade-ms for N ms. */
void vl_emu_fault_hold_upgrade (VlEmuServer * server,
    SoupServerMessage * msg, const gchar * path);

/* Forgets the upgrades still paused (at shutdown). */
void vl_emu_fault_release_held (VlEmuServer * server);

void vl_emu_fault_conn_opened (VlEmuConn * conn);
void vl_emu_fault_conn_closing (VlEmuConn * conn);

/* After each response.done; TRUE when the connection is about to be
 * dropped (then no new response must start). */
gboolean vl_emu_fault_response_done (VlEmuConn * conn);

/* --hostile: the frames sent after each response.created. */
void vl_emu_fault_send_hostile (VlEmuConn * conn, const gchar * response_id,
    const gchar * item_id);

G_END_DECLS

#endif /* __VL_EMULATOR_FAULT_H__ */
