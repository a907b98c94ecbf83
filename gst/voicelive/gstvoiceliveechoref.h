/* gst-voicelive
 * The echo reference: a bounded history of S16 samples indexed by their
 * absolute sample number (running time x rate), read back resampled to the
 * microphone's rate. Pure; callers hold the lock that guards it.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_ECHO_REF_H__
#define __GST_VOICE_LIVE_ECHO_REF_H__

#include <glib.h>

G_BEGIN_DECLS
/* How much history is kept (and the largest offset that can be served) */
#define GST_VOICE_LIVE_ECHO_REF_MAX_MS 4000
    typedef struct
{
  guint rate;                   /* 0: nothing written yet */
  gint16 *ring;
  guint capacity;               /* samples */
  gint64 start;                 /* absolute index of the oldest kept */
  guint len;                    /* samples kept */
} GstVoiceLiveEchoRef;

void gst_voice_live_echo_ref_init (GstVoiceLiveEchoRef * r);
void gst_voice_live_echo_ref_clear (GstVoiceLiveEchoRef * r);
void gst_voice_live_echo_ref_reset (GstVoiceLiveEchoRef * r);
void gst_voice_live_echo_ref_write (GstVoiceLiveEchoRef * r, guint rate,
    gint64 index, const gint16 * samples, guint n);
guint gst_voice_live_echo_ref_read (const GstVoiceLiveEchoRef * r,
    guint out_rate, gint64 index, guint n, gint16 * out);
gint64 gst_voice_live_echo_ref_end (const GstVoiceLiveEchoRef * r);

G_END_DECLS
#endif
