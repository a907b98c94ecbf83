/* gst-voicelive
 * voicelive-emulator: the OpenAI Realtime GA session of the GA paths.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_EMULATOR_GA_H__
#define __VL_EMULATOR_GA_H__

#include <json-glib/json-glib.h>

#include "vl-emulator-config.h"

G_BEGIN_DECLS typedef struct
{
  gchar *code;
  gchar *param;
  gchar *message;
  gboolean fatal;               /* beta_api_shape_disabled: error, close 4000 */
} VlEmuGaError;

/* The paths that speak GA: /v1/realtime and /openai/v1/realtime */
gboolean vl_emu_ga_path (const gchar * path);

/* The beta-shaped update equivalent to the GA session object @ga, or NULL
 * with @e set (strict: unknown fields, beta fields, no session.type). */
JsonObject *vl_emu_ga_translate (JsonObject * ga, VlEmuGaError * e);
void vl_emu_ga_error_clear (VlEmuGaError * e);

/* FALSE with @e set if the message @item of a conversation.item.create
 * has a content part type GA does not take for its role (the beta "text"
 * of an assistant, for one). Other item types pass. */
gboolean vl_emu_ga_check_item (JsonObject * item, VlEmuGaError * e);

/* The GA shape of the (beta-shaped) session @s, for session.created and
 * session.updated. */
JsonObject *vl_emu_ga_session_view (JsonObject * s);

/* GA defaults on a new session (an OpenAI voice). */
void vl_emu_ga_set_defaults (JsonObject * s);

G_END_DECLS
#endif /* __VL_EMULATOR_GA_H__ */
