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

G_BEGIN_DECLS typedef struct
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

/* The client echo reference (protocol-2026.md 2.3): channels of the
 * appends, the service's checks of an update (@old: the session before it;
 * @audio_seen: appends came already), and the lag finder. */
guint vl_emu_ec_channels (JsonObject * s);
gboolean vl_emu_ec_check (JsonObject * old, JsonObject * s,
    gboolean audio_seen, VlEmu2026Error * e);
gint vl_emu_ec_lag (const guint8 * pcm, gsize frames, gint max_lag,
    gdouble * corr);

G_END_DECLS
#endif /* __VL_EMULATOR_2026_H__ */
