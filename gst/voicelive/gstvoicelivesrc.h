/* gst-voicelive
 * voicelivesrc, the element that plays the agent's answers (gstvoicelivesrc.c).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_SRC_H__
#define __GST_VOICE_LIVE_SRC_H__

#include <gst/gst.h>
#include <gst/base/gstpushsrc.h>

G_BEGIN_DECLS

#define GST_TYPE_VOICE_LIVE_SRC (gst_voice_live_src_get_type ())
G_DECLARE_FINAL_TYPE (GstVoiceLiveSrc, gst_voice_live_src, GST,
    VOICE_LIVE_SRC, GstPushSrc)

GST_ELEMENT_REGISTER_DECLARE (voicelivesrc);

G_END_DECLS

#endif /* __GST_VOICE_LIVE_SRC_H__ */
