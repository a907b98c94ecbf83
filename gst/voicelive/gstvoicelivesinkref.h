/* gst-voicelive
 * voicelivesink's echo reference (echo-cancellation=client-reference): the
 * `reference` request pad and the stereo [mic, reference] appends.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_SINK_REF_H__
#define __GST_VOICE_LIVE_SINK_REF_H__

#include <gst/gst.h>
#include "gstvoicelivesession.h"
#include "gstvoiceliveechoref.h"

G_BEGIN_DECLS typedef struct
{
  /* Guards everything below: the reference pad's streaming thread writes
   * the ring, the sink's reads it, the application reads the counters. */
  GMutex lock;
  GstPad *pad;                  /* the `reference` request pad, or NULL */
  GstSegment segment;           /* its segment */
  gint pad_rate;                /* its caps' rate, 0 before caps */
  GstVoiceLiveEchoRef ring;     /* what arrived on it */
  gboolean active;              /* this run sends stereo */
  guint in_rate;
  gint64 next;                  /* absolute index after the last input */
  guint64 underruns;
  GstClockTime offset;
  gboolean checked_clock;
  /* sink streaming thread only */
  gint16 *ref;
  GByteArray *stereo;
} GstVoiceLiveSinkRef;

extern GstStaticPadTemplate gst_voice_live_sink_ref_template;

void gst_voice_live_sink_ref_init (GstVoiceLiveSinkRef * r);
void gst_voice_live_sink_ref_clear (GstVoiceLiveSinkRef * r);
GstPad *gst_voice_live_sink_ref_request_pad (GstVoiceLiveSinkRef * r,
    GstElement * sink, GstPadTemplate * templ, const gchar * name);
void gst_voice_live_sink_ref_release_pad (GstVoiceLiveSinkRef * r,
    GstElement * sink, GstPad * pad);
gboolean gst_voice_live_sink_ref_has_pad (GstVoiceLiveSinkRef * r);
void gst_voice_live_sink_ref_start (GstVoiceLiveSinkRef * r, gboolean active,
    guint in_rate);
GstBuffer *gst_voice_live_sink_ref_interleave (GstVoiceLiveSinkRef * r,
    GstElement * sink, GstVoiceLiveSession * session, GstClockTime rt,
    GstBuffer * mic);
void gst_voice_live_sink_ref_stats (GstVoiceLiveSinkRef * r, GstStructure * s);

G_END_DECLS
#endif
