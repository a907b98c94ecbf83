/* gst-voicelive
 * voicelivesink's response-control signals (gstvoicelivesinksignals.c):
 * say, create-response-full, mcp-approve, and the helpers the sink's other
 * signal handlers share with them.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_SINK_SIGNALS_H__
#define __GST_VOICE_LIVE_SINK_SIGNALS_H__

#include "gstvoicelivesink.h"
#include "gstvoicelivesession.h"

G_BEGIN_DECLS
/* The sink's session (a new ref), or NULL with a debug warning naming
 * @signal when the element is not started. */
    GstVoiceLiveSession * gst_voice_live_sink_ref_session (GstVoiceLiveSink *
    self, const gchar * signal);

/* A request the element cannot take: FALSE, and a warning message with
 * @err's text (consumed). */
gboolean gst_voice_live_sink_refuse (GstVoiceLiveSink * self, GError * err);

void gst_voice_live_sink_install_control_signals (GType type);

G_END_DECLS
#endif /* __GST_VOICE_LIVE_SINK_SIGNALS_H__ */
