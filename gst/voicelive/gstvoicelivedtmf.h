/* gst-voicelive
 * Keypad digits (DTMF) as audio: a Goertzel detector for in-band tones, the
 * Q.23 tone generator, and the collector that turns digits into sequences.
 * Pure (GLib only): each object is used by one thread at a time, under the
 * owning element's lock.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_DTMF_H__
#define __GST_VOICE_LIVE_DTMF_H__

#include <glib.h>

G_BEGIN_DECLS
/* Q.23 tone and pause (ms) of the tones we generate */
#define GST_VOICE_LIVE_DTMF_TONE_MS 100
#define GST_VOICE_LIVE_DTMF_PAUSE_MS 100
/* Whether @c is a keypad digit: 0-9, *, #, A-D */
    gboolean gst_voice_live_dtmf_is_digit (gchar c);
/* The digit of a dtmf-event "number" (0-9, 10 = *, 11 = #, 12-15 = A-D),
 * or 0 if out of range */
gchar gst_voice_live_dtmf_digit_from_number (gint number);
/* Whether @digits is one or more keypad digits (spaces allowed between) */
gboolean gst_voice_live_dtmf_check (const gchar * digits, GError ** error);

typedef struct _GstVoiceLiveDtmfDetector GstVoiceLiveDtmfDetector;

/* For mono S16 samples at @rate Hz (8000 or more) */
GstVoiceLiveDtmfDetector *gst_voice_live_dtmf_detector_new (guint rate);
void gst_voice_live_dtmf_detector_free (GstVoiceLiveDtmfDetector * d);
void gst_voice_live_dtmf_detector_reset (GstVoiceLiveDtmfDetector * d);
/* Feeds @n samples; appends each digit whose tone has lasted long enough
 * (once per key press) to @digits. Returns how many were appended. */
guint gst_voice_live_dtmf_detector_feed (GstVoiceLiveDtmfDetector * d,
    const gint16 * samples, gsize n, GString * digits);

/* G.711 to linear, for detecting in mu-law or A-law input */
gint16 gst_voice_live_dtmf_ulaw_to_s16 (guint8 u);
gint16 gst_voice_live_dtmf_alaw_to_s16 (guint8 a);
guint8 gst_voice_live_dtmf_s16_to_ulaw (gint16 s);
guint8 gst_voice_live_dtmf_s16_to_alaw (gint16 s);

/* The tones of @digits (spaces skipped) at @rate Hz: for each digit
 * GST_VOICE_LIVE_DTMF_TONE_MS of its two frequencies then
 * GST_VOICE_LIVE_DTMF_PAUSE_MS of silence. Returns the samples (free with
 * g_free) and their count in @n_samples. */
gint16 *gst_voice_live_dtmf_tones (const gchar * digits, guint rate,
    gsize * n_samples);

/* Digits collected into sequences: a sequence ends with @terminator (kept
 * in it; 0 for none) or when no digit came for @timeout_ms. */
typedef struct
{
  GString *digits;
  gint64 last_us;               /* monotonic time of the last digit */
  guint timeout_ms;
  gchar terminator;
} GstVoiceLiveDtmfCollector;

void gst_voice_live_dtmf_collector_init (GstVoiceLiveDtmfCollector * c,
    guint timeout_ms, gchar terminator);
void gst_voice_live_dtmf_collector_clear (GstVoiceLiveDtmfCollector * c);
/* Adds @digit at @now_us (poll first: a sequence that timed out ends
 * there, not here). Returns the finished sequence (free
 * with g_free) when @digit is the terminator, else NULL. */
gchar *gst_voice_live_dtmf_collector_add (GstVoiceLiveDtmfCollector * c,
    gchar digit, gint64 now_us);
/* The sequence ended by the timeout at @now_us, or NULL */
gchar *gst_voice_live_dtmf_collector_poll (GstVoiceLiveDtmfCollector * c,
    gint64 now_us);
/* When the pending sequence times out (monotonic us), or -1 if none */
gint64 gst_voice_live_dtmf_collector_deadline (const GstVoiceLiveDtmfCollector
    * c);

/* @template with every "{digits}" replaced by the digits of @sequence
 * separated by spaces ("1 2 3 #") */
gchar *gst_voice_live_dtmf_format (const gchar * template,
    const gchar * sequence);

G_END_DECLS
#endif /* __GST_VOICE_LIVE_DTMF_H__ */
