/* gst-voicelive
 * voicelive-emulator: checks of the Voice Live 2026 session fields
 * (vl-emulator-2026.c), called by vl-emulator-config.c on the merged
 * session.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_EMULATOR_2026_H__
#define __VL_EMULATOR_2026_H__

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  gchar *param;                 /* dotted path of the refused field */
  gchar *message;
  /* NULL: the usual invalid_value; else the service's own code for a
   * refusal copied verbatim (which carries event_id null) */
  const gchar *code;
} VlEmu2026Error;

/* Whether the 2026 fields of the merged session @s are valid; FALSE with
 * @e filled (the caller frees param and message). */
gboolean vl_emu_config_check_2026 (JsonObject * s, VlEmu2026Error * e);

G_END_DECLS
#endif /* __VL_EMULATOR_2026_H__ */
