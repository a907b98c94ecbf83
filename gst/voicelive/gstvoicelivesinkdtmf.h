/* gst-voicelive
 * voicelivesink's keypad digits: the dtmf-* properties, digits from the
 * `dtmf` signal, from dtmf-event events and from tones in the input, made
 * into sequences sent as user text. Called from the streaming thread, any
 * thread (signal, properties) and the session's network thread (timeout).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_SINK_DTMF_H__
#define __GST_VOICE_LIVE_SINK_DTMF_H__

#include <gst/gst.h>
#include "gstvoiceliveenums.h"
#include "gstvoicelivedtmf.h"
#include "gstvoicelivesession.h"

G_BEGIN_DECLS
#define GST_VOICE_LIVE_DTMF_DEFAULT_TEMPLATE \
  "The caller pressed {digits} on the phone keypad."
#define GST_VOICE_LIVE_DTMF_DEFAULT_TIMEOUT_MS 3000
/* How many dtmf-* properties the sink has besides its table */
#define GST_VOICE_LIVE_SINK_DTMF_N_PROPS 5
/* The session the sink streams to (a ref), or NULL */
typedef GstVoiceLiveSession *(*GstVoiceLiveSinkDtmfSession) (GstElement * sink);

typedef struct
{
  GMutex lock;
  GstElement *sink;             /* the owner, not a ref */
  GstVoiceLiveSinkDtmfSession get_session;

  /* properties */
  gint detect;                  /* atomic (a gboolean) */
  guint timeout_ms;
  gchar terminator;             /* 0: none */
  gchar *template;
  gboolean create_response;

  GstVoiceLiveDtmfDetector *detector;   /* for the negotiated input */
  GstVoiceLiveAudioFormat format;
  GstVoiceLiveDtmfCollector collector;
  GSource *timer;               /* ends a sequence on the timeout */
  guint sequences;
} GstVoiceLiveSinkDtmf;

void gst_voice_live_sink_dtmf_init (GstVoiceLiveSinkDtmf * d,
    GstElement * sink, GstVoiceLiveSinkDtmfSession get_session);
void gst_voice_live_sink_dtmf_clear (GstVoiceLiveSinkDtmf * d);

/* Installs the dtmf-* properties with ids from @first_id on */
void gst_voice_live_sink_dtmf_install_properties (GObjectClass * klass,
    guint first_id);
/* FALSE if @prop_id is not one of them */
gboolean gst_voice_live_sink_dtmf_set_property (GstVoiceLiveSinkDtmf * d,
    guint prop_id, const GValue * value);
gboolean gst_voice_live_sink_dtmf_get_property (GstVoiceLiveSinkDtmf * d,
    guint prop_id, GValue * value);

/* Streaming thread: the input format (set_caps), the input (render) */
void gst_voice_live_sink_dtmf_set_format (GstVoiceLiveSinkDtmf * d,
    GstVoiceLiveAudioFormat format);
void gst_voice_live_sink_dtmf_input (GstVoiceLiveSinkDtmf * d,
    GstBuffer * buffer);
/* A serialized dtmf-event: TRUE if @event was one (used) */
gboolean gst_voice_live_sink_dtmf_event (GstVoiceLiveSinkDtmf * d,
    GstEvent * event);
/* The `dtmf` signal: FALSE (and a warning) for anything but digits */
gboolean gst_voice_live_sink_dtmf_digits (GstVoiceLiveSinkDtmf * d,
    const gchar * digits);
/* End of input: the pending sequence goes now. */
void gst_voice_live_sink_dtmf_flush (GstVoiceLiveSinkDtmf * d);
/* Stopping: the pending sequence and the detector state are dropped. */
void gst_voice_live_sink_dtmf_reset (GstVoiceLiveSinkDtmf * d);

G_END_DECLS
#endif /* __GST_VOICE_LIVE_SINK_DTMF_H__ */
