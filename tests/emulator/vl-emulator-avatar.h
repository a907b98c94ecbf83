/* gst-voicelive emulator
 * The test avatar (protocol-2026.md §3): session.avatar checks and, in
 * WebSocket mode, the fragmented MP4 of each answer. Main loop thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_EMULATOR_AVATAR_H__
#define __VL_EMULATOR_AVATAR_H__

#include <json-glib/json-glib.h>

G_BEGIN_DECLS
/* session.avatar of the merged @session: FALSE with the service's error
 * param and message when a value is refused. */
    gboolean vl_emu_avatar_check (JsonObject * session, gchar ** param,
    gchar ** message);
/* Whether @session has an avatar in WebSocket mode. */
gboolean vl_emu_avatar_websocket (JsonObject * session);
/* The colour (0xAARRGGBB) of answer @turn (1-based): the whole frame. */
guint32 vl_emu_avatar_color (guint turn);
/* A fragmented MP4 (H.264 video of solid vl_emu_avatar_color (@turn)
 * frames at 10 fps, @samples of mono S16 @pcm at @rate as AAC), built by
 * gst-launch-1.0; NULL (a warning) when that fails. */
GBytes *vl_emu_avatar_render (JsonObject * session, guint turn,
    const gint16 * pcm, guint64 samples, guint rate);

G_END_DECLS
#endif
