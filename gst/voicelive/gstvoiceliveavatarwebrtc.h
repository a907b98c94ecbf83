/* gst-voicelive
 * voiceliveavatarsrc's WebRTC mode (gstvoiceliveavatarwebrtc.c): the
 * webrtcbin peer inside the element and its signaling thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_AVATAR_WEBRTC_H__
#define __GST_VOICE_LIVE_AVATAR_WEBRTC_H__

#include <gst/gst.h>
#include "gstvoicelivesession.h"

G_BEGIN_DECLS typedef struct _VlAvatarRtc VlAvatarRtc;

/* A depayloaded stream for the element's "video" (@video) or "audio" pad:
 * the element ghosts @pad (a webrtcbin streaming thread calls it). */
typedef void (*VlAvatarRtcExpose) (GstElement * element, gboolean video,
    GstPad * pad);

/* READY->PAUSED, before the chain-up: a webrtcbin (and what follows it)
 * in @element (a bin), negotiating once the session is up. NULL with
 * @error when the elements it needs are not installed. */
VlAvatarRtc *vl_avatar_rtc_start (GstElement * element,
    GstVoiceLiveSession * session, guint latency_ms,
    VlAvatarRtcExpose expose, GError ** error);
/* PAUSED->READY, before the chain-up (after the session's video side is
 * flushing): stops the signaling thread. */
void vl_avatar_rtc_stop (VlAvatarRtc * rtc);
/* After the chain-up: the elements leave the bin; frees @rtc. */
void vl_avatar_rtc_free (VlAvatarRtc * rtc);

G_END_DECLS
#endif /* __GST_VOICE_LIVE_AVATAR_WEBRTC_H__ */
