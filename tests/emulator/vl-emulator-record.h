/* gst-voicelive
 * voicelive-emulator: JSON Lines record of everything on the wire.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_EMULATOR_RECORD_H__
#define __VL_EMULATOR_RECORD_H__

#include "vl-emulator.h"

G_BEGIN_DECLS
/* @batch: write when the main loop is idle, not line by line */
    VlEmuRecorder * vl_emu_recorder_open (const gchar * path, gboolean batch,
    GError ** error);
void vl_emu_recorder_close (VlEmuRecorder * rec);

/* Milliseconds since the emulator started (monotonic clock). */
gint64 vl_emu_elapsed_ms (void);
void vl_emu_clock_init (void);

/* Writes one line {"seq","conn","t_ms","mono_us","dir","type",
 * <name: node>...} and
 * flushes it. The variable part is (const gchar *name, JsonNode *node)
 * pairs ended by NULL; the nodes are consumed. Safe with rec == NULL. */
void
vl_emu_record (VlEmuRecorder * rec, guint conn, const gchar * dir,
    const gchar * type, const gchar * first_name, ...)
    G_GNUC_NULL_TERMINATED;

/* Node helpers for the vararg lists above. */
     JsonNode *vl_emu_node_string (const gchar * s);
     JsonNode *vl_emu_node_int (gint64 v);
     JsonNode *vl_emu_node_object (JsonObject * obj);   /* transfer full */

G_END_DECLS
#endif /* __VL_EMULATOR_RECORD_H__ */
