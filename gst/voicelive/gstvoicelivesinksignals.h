/* gst-voicelive
 * voicelivesink's action signals (gstvoicelivesinksignals.c), and the
 * helpers and handlers the sink shares with them.
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

/* Every action signal of the sink (gstvoicelivesinksignals.c) */
void gst_voice_live_sink_install_signals (GType type);

/* The handlers that touch the sink's own state (gstvoicelivesink.c) */
gboolean gst_voice_live_sink_dtmf (GstVoiceLiveSink * self,
    const gchar * digits);
gboolean gst_voice_live_sink_commit_input (GstVoiceLiveSink * self);
gboolean gst_voice_live_sink_clear_input (GstVoiceLiveSink * self);

G_END_DECLS
#endif /* __GST_VOICE_LIVE_SINK_SIGNALS_H__ */
