/* gst-voicelive emulator
 * The test avatar in WebRTC mode (protocol-2026.md §3.2): a webrtcbin
 * peer per connection, answering session.avatar.connect. Main loop
 * thread (webrtcbin's callbacks hop back to it).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_EMULATOR_WEBRTC_H__
#define __VL_EMULATOR_WEBRTC_H__

#include "vl-emulator-conn.h"

G_BEGIN_DECLS
/* Whether @session has an avatar in WebRTC mode. */
    gboolean vl_emu_avatar_webrtc (JsonObject * session);
/* WebRTC mode without ice_servers from the client: the service's (here
 * --avatar-ice-servers) go into the session, for session.updated. */
void vl_emu_webrtc_fill_ice_servers (VlEmuConn * conn);
/* session.avatar.connect: decode the offer, answer it (once gathering is
 * complete) with session.avatar.connecting. */
void vl_emu_webrtc_connect (VlEmuConn * conn, JsonObject * ev,
    const gchar * event_id);
/* An answer starts: solid @argb frames covering @samples of mono S16
 * @pcm at @rate (10 fps), and the audio, in real time; switch_to_speaking
 * now and switch_to_idle (turn_id @turn_id) when played. */
void vl_emu_webrtc_play (VlEmuConn * conn, const gchar * turn_id,
    guint32 argb, const gint16 * pcm, guint64 samples, guint rate);
/* Barge-in (output_audio_buffer.clear, a cancelled answer): back to idle
 * (black, silence) at once. */
void vl_emu_webrtc_stop_turn (VlEmuConn * conn);
/* The connection goes: the peer too. */
void vl_emu_webrtc_free (VlEmuConn * conn);

G_END_DECLS
#endif
