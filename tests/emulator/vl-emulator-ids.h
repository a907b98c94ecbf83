/* gst-voicelive
 * voicelive-emulator: deterministic service-style ids.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_EMULATOR_IDS_H__
#define __VL_EMULATOR_IDS_H__

#include <glib.h>

G_BEGIN_DECLS

/* @prefix + 22 base62 characters, a pure function of (conn, counter) so
 * two runs of the same test produce the same ids. */
gchar *vl_emu_make_id (const gchar * prefix, guint conn, guint64 counter);

G_END_DECLS

#endif /* __VL_EMULATOR_IDS_H__ */
