/* gst-voicelive
 * Keypad digits (DTMF) as audio: detector, Q.23 tone generator, sequence
 * collector. No elements here: voicelivesink and voicelivesrc own one each
 * and call it from their streaming thread (or a signal) under their lock.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstvoicelivedtmf.h"

#include <gio/gio.h>

#include <math.h>
#include <string.h>

/* Q.23: rows (low group), then columns (high group) */
static const gdouble dtmf_freqs[8] =
    { 697, 770, 852, 941, 1209, 1336, 1477, 1633 };

static const gchar keypad[4][4] = {
  {'1', '2', '3', 'A'},
  {'4', '5', '6', 'B'},
  {'7', '8', '9', 'C'},
  {'*', '0', '#', 'D'},
};

/* Samples per analysis block at 8 kHz (12.75 ms): adjacent row tones are
 * ~one bin apart, where a rectangular window's response is near its null,
 * so the blocks are short enough to see a 40 ms tone in two of them. */
#define BLOCK_8K 102
/* Power limits (ratios of Goertzel powers) */
#define TWIST_HIGH 6.31         /* high group up to 8 dB above the low */
#define TWIST_REVERSE 2.51      /* low group up to 4 dB above the high */
#define OTHER_TONE 0.25         /* others in a group at least 6 dB down */
/* Share of the block's energy the two tones must hold: 0.5 for a clean
 * pair; speech and music spread theirs. */
#define CONCENTRATION 0.35
/* Each tone's amplitude at least this (about -50 dBFS) */
#define MIN_AMPLITUDE 100.0

gboolean
gst_voice_live_dtmf_is_digit (gchar c)
{
  return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A'
      && c <= 'D');
}

gchar
gst_voice_live_dtmf_digit_from_number (gint number)
{
  static const gchar digits[] = "0123456789*#ABCD";

  if (number < 0 || number > 15)
    return 0;
  return digits[number];
}

gboolean
gst_voice_live_dtmf_check (const gchar * digits, GError ** error)
{
  gboolean any = FALSE;
  const gchar *p;

  for (p = digits ? digits : ""; *p; p++) {
    if (*p == ' ')
      continue;
    if (!gst_voice_live_dtmf_is_digit (*p)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          "'%c' is not a keypad digit (0-9, *, #, A-D)", *p);
      return FALSE;
    }
    any = TRUE;
  }
  if (!any)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "no digits (0-9, *, #, A-D)");
  return any;
}

/* --- detector --- */

struct _GstVoiceLiveDtmfDetector
{
  guint block;                  /* samples per block */
  gdouble coeff[8];             /* 2 cos (2 pi f / rate) */
  gdouble s1[8], s2[8];
  gdouble energy;
  guint filled;
  gchar last;                   /* the previous block's candidate, or 0 */
  gchar down;                   /* the digit reported and still held, or 0 */
};

GstVoiceLiveDtmfDetector *
gst_voice_live_dtmf_detector_new (guint rate)
{
  GstVoiceLiveDtmfDetector *d = g_new0 (GstVoiceLiveDtmfDetector, 1);
  guint i;

  g_return_val_if_fail (rate >= 8000, d);
  d->block = (BLOCK_8K * rate + 4000) / 8000;
  for (i = 0; i < 8; i++)
    d->coeff[i] = 2.0 * cos (2.0 * G_PI * dtmf_freqs[i] / rate);
  return d;
}

void
gst_voice_live_dtmf_detector_free (GstVoiceLiveDtmfDetector * d)
{
  g_free (d);
}

static void
block_reset (GstVoiceLiveDtmfDetector * d)
{
  memset (d->s1, 0, sizeof (d->s1));
  memset (d->s2, 0, sizeof (d->s2));
  d->energy = 0;
  d->filled = 0;
}

void
gst_voice_live_dtmf_detector_reset (GstVoiceLiveDtmfDetector * d)
{
  block_reset (d);
  d->last = d->down = 0;
}

/* Index of the strongest of @p[0..3]; TRUE if the other three are at
 * least 6 dB below it */
static gboolean
strongest (const gdouble * p, guint * best)
{
  guint i;

  *best = 0;
  for (i = 1; i < 4; i++)
    if (p[i] > p[*best])
      *best = i;
  for (i = 0; i < 4; i++)
    if (i != *best && p[i] > p[*best] * OTHER_TONE)
      return FALSE;
  return TRUE;
}

/* The digit the finished block holds, or 0 */
static gchar
block_digit (GstVoiceLiveDtmfDetector * d)
{
  gdouble p[8], n = d->block, min_power;
  guint i, row, col;

  for (i = 0; i < 8; i++)
    p[i] = d->s1[i] * d->s1[i] + d->s2[i] * d->s2[i]
        - d->coeff[i] * d->s1[i] * d->s2[i];
  if (!strongest (p, &row) || !strongest (p + 4, &col))
    return 0;
  /* A tone of amplitude A gives a power of (A n / 2)^2 */
  min_power = (MIN_AMPLITUDE * n / 2) * (MIN_AMPLITUDE * n / 2);
  if (p[row] < min_power || p[4 + col] < min_power)
    return 0;
  if (p[4 + col] > p[row] * TWIST_HIGH || p[row] > p[4 + col] * TWIST_REVERSE)
    return 0;
  /* ... and the block's energy n A^2 / 2 per tone */
  if (p[row] + p[4 + col] < CONCENTRATION * n * d->energy)
    return 0;
  return keypad[row][col];
}

guint
gst_voice_live_dtmf_detector_feed (GstVoiceLiveDtmfDetector * d,
    const gint16 * samples, gsize n, GString * digits)
{
  guint found = 0, i;
  gsize k;

  for (k = 0; k < n; k++) {
    gdouble x = samples[k];
    gchar c;

    for (i = 0; i < 8; i++) {
      gdouble s0 = x + d->coeff[i] * d->s1[i] - d->s2[i];

      d->s2[i] = d->s1[i];
      d->s1[i] = s0;
    }
    d->energy += x * x;
    if (++d->filled < d->block)
      continue;

    c = block_digit (d);
    block_reset (d);
    /* A key counts once it held for two blocks in a row, and once per
     * press: it must be released (a block without it) to count again. */
    if (c != d->down)
      d->down = 0;
    if (c && c == d->last && !d->down) {
      d->down = c;
      g_string_append_c (digits, c);
      found++;
    }
    d->last = c;
  }
  return found;
}

/* --- G.711 (the classic segment algorithms) --- */

gint16
gst_voice_live_dtmf_ulaw_to_s16 (guint8 u)
{
  gint t;

  u = ~u;
  t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return (u & 0x80) ? (0x84 - t) : (t - 0x84);
}

gint16
gst_voice_live_dtmf_alaw_to_s16 (guint8 a)
{
  gint t, seg;

  a ^= 0x55;
  t = (a & 0x0f) << 4;
  seg = (a & 0x70) >> 4;
  if (seg == 0)
    t += 8;
  else
    t = (t + 0x108) << (seg - 1);
  return (a & 0x80) ? t : -t;
}

/* The segment of @v: the first whose end (@first_end << seg) - 1 it does
 * not pass; 8 when it passes all */
static gint
segment (gint v, gint first_end)
{
  gint seg = 0;

  while (seg < 8 && v > (first_end << seg) - 1)
    seg++;
  return seg;
}

guint8
gst_voice_live_dtmf_s16_to_ulaw (gint16 s)
{
  gint v = s >> 2, mask, seg;

  if (v < 0) {
    v = -v;
    mask = 0x7f;
  } else {
    mask = 0xff;
  }
  v = MIN (v, 8159) + 33;
  seg = segment (v, 0x40);
  if (seg >= 8)
    return (guint8) (0x7f ^ mask);
  return (guint8) (((seg << 4) | ((v >> (seg + 1)) & 0x0f)) ^ mask);
}

guint8
gst_voice_live_dtmf_s16_to_alaw (gint16 s)
{
  gint v = s >> 3, mask, seg;

  if (v >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    v = -v - 1;
  }
  seg = segment (v, 0x20);
  if (seg >= 8)
    return (guint8) (0x7f ^ mask);
  return (guint8) (((seg << 4) | ((v >> (seg < 2 ? 1 : seg)) & 0x0f)) ^ mask);
}

/* --- generator --- */

gint16 *
gst_voice_live_dtmf_tones (const gchar * digits, guint rate, gsize * n_samples)
{
  /* Each tone at about -10 dBFS: the pair stays clear of clipping. */
  const gdouble amplitude = 0.3 * G_MAXINT16;
  /* 2 ms raised-cosine edges: no clicks a detector could take for tones */
  const guint tone = rate * GST_VOICE_LIVE_DTMF_TONE_MS / 1000;
  const guint pause = rate * GST_VOICE_LIVE_DTMF_PAUSE_MS / 1000;
  const guint ramp = rate / 500;
  GArray *out = g_array_new (FALSE, TRUE, sizeof (gint16));
  const gchar *p;

  for (p = digits ? digits : ""; *p; p++) {
    guint r, c, i, start;
    gboolean found = FALSE;

    for (r = 0; r < 4 && !found; r++)
      for (c = 0; c < 4 && !found; c++)
        found = keypad[r][c] == *p;
    if (!found)
      continue;
    r--;
    c--;
    start = out->len;
    g_array_set_size (out, start + tone + pause);
    for (i = 0; i < tone; i++) {
      gdouble t = (gdouble) i / rate, gain = 1.0;
      guint edge = MIN (i, tone - 1 - i);

      if (edge < ramp)
        gain = 0.5 - 0.5 * cos (G_PI * edge / ramp);
      g_array_index (out, gint16, start + i) = (gint16) lrint (gain * amplitude
          * (sin (2 * G_PI * dtmf_freqs[r] * t) +
              sin (2 * G_PI * dtmf_freqs[4 + c] * t)));
    }
  }
  *n_samples = out->len;
  return (gint16 *) g_array_free (out, FALSE);
}

/* --- collector --- */

void
gst_voice_live_dtmf_collector_init (GstVoiceLiveDtmfCollector * c,
    guint timeout_ms, gchar terminator)
{
  c->digits = g_string_new (NULL);
  c->last_us = 0;
  c->timeout_ms = timeout_ms;
  c->terminator = terminator;
}

void
gst_voice_live_dtmf_collector_clear (GstVoiceLiveDtmfCollector * c)
{
  if (c->digits) {
    /* may be a PIN */
    memset (c->digits->str, 0, c->digits->allocated_len);
    g_string_free (c->digits, TRUE);
    c->digits = NULL;
  }
}

static gchar *
take (GstVoiceLiveDtmfCollector * c)
{
  gchar *seq = g_strdup (c->digits->str);

  memset (c->digits->str, 0, c->digits->len);
  g_string_truncate (c->digits, 0);
  return seq;
}

gchar *
gst_voice_live_dtmf_collector_add (GstVoiceLiveDtmfCollector * c,
    gchar digit, gint64 now_us)
{
  if (!gst_voice_live_dtmf_is_digit (digit))
    return NULL;
  g_string_append_c (c->digits, digit);
  c->last_us = now_us;
  if (c->terminator && digit == c->terminator)
    return take (c);
  return NULL;
}

gint64
gst_voice_live_dtmf_collector_deadline (const GstVoiceLiveDtmfCollector * c)
{
  if (c->digits->len == 0)
    return -1;
  return c->last_us + (gint64) c->timeout_ms * 1000;
}

gchar *
gst_voice_live_dtmf_collector_poll (GstVoiceLiveDtmfCollector * c,
    gint64 now_us)
{
  gint64 deadline = gst_voice_live_dtmf_collector_deadline (c);

  if (deadline < 0 || now_us < deadline)
    return NULL;
  return take (c);
}

gchar *
gst_voice_live_dtmf_format (const gchar * template, const gchar * sequence)
{
  GString *spaced = g_string_new (NULL), *out = g_string_new (NULL);
  const gchar *p, *hit;

  for (p = sequence; *p; p++) {
    if (!gst_voice_live_dtmf_is_digit (*p))
      continue;
    if (spaced->len)
      g_string_append_c (spaced, ' ');
    g_string_append_c (spaced, *p);
  }
  for (p = template; (hit = strstr (p, "{digits}")) != NULL; p = hit + 8) {
    g_string_append_len (out, p, hit - p);
    g_string_append (out, spaced->str);
  }
  g_string_append (out, p);
  memset (spaced->str, 0, spaced->len);
  g_string_free (spaced, TRUE);
  return g_string_free (out, FALSE);
}
