/* gst-voicelive
 * voicelivesink, the element that streams audio to the agent
 * (gstvoicelivesink.c).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_SINK_H__
#define __GST_VOICE_LIVE_SINK_H__

#include <gst/gst.h>
#include <gst/base/gstbasesink.h>

G_BEGIN_DECLS

#define GST_TYPE_VOICE_LIVE_SINK (gst_voice_live_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstVoiceLiveSink, gst_voice_live_sink, GST,
    VOICE_LIVE_SINK, GstBaseSink)

GST_ELEMENT_REGISTER_DECLARE (voicelivesink);

G_END_DECLS

#endif /* __GST_VOICE_LIVE_SINK_H__ */
