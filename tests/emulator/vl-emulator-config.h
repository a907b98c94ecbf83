/* gst-voicelive
 * voicelive-emulator: the session configuration object (what session.created
 * and session.updated carry): defaults, deep merge, validation, accessors.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_EMULATOR_CONFIG_H__
#define __VL_EMULATOR_CONFIG_H__

#include <json-glib/json-glib.h>

#include "vl-emulator-vad.h"

G_BEGIN_DECLS

JsonObject *vl_emu_config_new_default (const gchar * id, const gchar * model);

/* Returns a new object: @session with @update deep-merged in, or NULL when
 * the result is invalid; then *param is the dotted path of the bad field
 * (e.g. "session.turn_detection.type"), *message says why and *code is
 * NULL (invalid_value) or the service's own code for that refusal (then
 * sent with event_id null, as the service does). */
JsonObject *vl_emu_config_merge (JsonObject * session, JsonObject * update,
    gchar ** param, gchar ** message, const gchar ** code);

/* Checks a modalities array; @param_prefix is e.g. "response". */
gboolean vl_emu_config_check_modalities (JsonNode * node,
    const gchar * param_prefix, gchar ** param, gchar ** message);

gboolean vl_emu_modalities_have (JsonNode * node, const gchar * modality);

/* Input: bytes per sample (1 for G.711, 2 for pcm16), rate in Hz, and
 * 'u'/'a'/'p' for mu-law, A-law, pcm16. */
void vl_emu_config_input_format (JsonObject * session, guint * rate,
    gchar * kind);
/* Output rate in Hz and kind ('u', 'a', 'p') of @format. */
void vl_emu_output_format (const gchar * format, guint * rate, gchar * kind);

/* FALSE when turn_detection is null (manual turns). */
gboolean vl_emu_config_vad_params (JsonObject * session, VlEmuVadParams * p);
gboolean vl_emu_config_td_bool (JsonObject * session, const gchar * name,
    gboolean def);

G_END_DECLS

#endif /* __VL_EMULATOR_CONFIG_H__ */
