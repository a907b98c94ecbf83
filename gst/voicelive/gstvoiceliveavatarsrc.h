/* gst-voicelive
 * voiceliveavatarsrc, the talking avatar's video and audio
 * (gstvoiceliveavatarsrc.c).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_AVATAR_SRC_H__
#define __GST_VOICE_LIVE_AVATAR_SRC_H__

#include <gst/gst.h>

G_BEGIN_DECLS
#define GST_TYPE_VOICE_LIVE_AVATAR_SRC (gst_voice_live_avatar_src_get_type ())
G_DECLARE_FINAL_TYPE (GstVoiceLiveAvatarSrc, gst_voice_live_avatar_src, GST,
    VOICE_LIVE_AVATAR_SRC, GstBin)
GST_ELEMENT_REGISTER_DECLARE (voiceliveavatarsrc);

G_END_DECLS
#endif /* __GST_VOICE_LIVE_AVATAR_SRC_H__ */
