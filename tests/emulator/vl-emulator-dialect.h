/* gst-voicelive
 * voicelive-emulator: event names of the dialect spoken (--dialect).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_EMULATOR_DIALECT_H__
#define __VL_EMULATOR_DIALECT_H__

#include "vl-emulator-conn.h"

G_BEGIN_DECLS

/* The wire name of the beta (Voice Live) event @beta_type in the dialect
 * of @conn: unchanged for beta, the OpenAI GA name on a GA path or with
 * --dialect ga (protocol.md §10). */
const gchar *vl_emu_dialect_type (VlEmuConn * conn,
    const gchar * beta_type);

/* Content part type on items: "audio"/"text" (beta) or
 * "output_audio"/"output_text" (GA). */
const gchar *vl_emu_dialect_part_type (VlEmuConn * conn,
    gboolean audio);

G_END_DECLS

#endif /* __VL_EMULATOR_DIALECT_H__ */
