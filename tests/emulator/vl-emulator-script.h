/* gst-voicelive
 * voicelive-emulator: scripted responses (--script FILE).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_EMULATOR_SCRIPT_H__
#define __VL_EMULATOR_SCRIPT_H__

#include "vl-emulator.h"

G_BEGIN_DECLS

/* Bounds, checked when the script is loaded. */
#define VL_EMU_SCRIPT_MAX_BYTES (4 * 1024 * 1024)
#define VL_EMU_SCRIPT_MAX_RESPONSES 10000
#define VL_EMU_SCRIPT_MAX_AUDIO_MS 600000
#define VL_EMU_SCRIPT_MAX_ITEMS 64
#define VL_EMU_SCRIPT_MAX_CALLS 64

typedef struct
{
  gchar *name;
  gchar *arguments;             /* a JSON string, sent as is */
  gchar *call_id;               /* NULL: "call_" + a generated id */
  gchar *type;                  /* NULL/"function", "mcp", "foundry_agent" */
  gchar *server_label;          /* mcp: NULL = the session's first server */
} VlEmuScriptCall;

/* One entry of "responses". */
typedef struct
{
  gchar *text;                  /* NULL: --reply-text or the default */
  gint audio_ms;                /* < 0: --reply-ms */
  guint audio_items;            /* assistant message items (default 1) */
  GPtrArray *calls;             /* VlEmuScriptCall, maybe empty */
  JsonObject *error;            /* non-NULL: send this error, no response */
  JsonArray *events_before;     /* NULL or raw server events */
  gchar *input_transcript;      /* NULL: "emulated transcript of N ms" */
} VlEmuScriptResponse;

VlEmuScript *vl_emu_script_load (const gchar * path, GError ** error);
void vl_emu_script_free (VlEmuScript * script);

/* The k-th (0-based) response of a connection; NULL without a script or
 * past its end (then the default response applies). */
const VlEmuScriptResponse *vl_emu_script_get (VlEmuScript * script, guint k);

G_END_DECLS

#endif /* __VL_EMULATOR_SCRIPT_H__ */
