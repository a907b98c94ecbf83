/* gst-voicelive
 * The echo reference history (see gstvoiceliveechoref.h): written by
 * voicelivesrc's streaming thread or the sink's reference pad, read by
 * voicelivesink's streaming thread, under their callers' locks.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstvoiceliveechoref.h"

void
gst_voice_live_echo_ref_init (GstVoiceLiveEchoRef * r)
{
  memset (r, 0, sizeof (*r));
}

void
gst_voice_live_echo_ref_clear (GstVoiceLiveEchoRef * r)
{
  g_free (r->ring);
  gst_voice_live_echo_ref_init (r);
}

void
gst_voice_live_echo_ref_reset (GstVoiceLiveEchoRef * r)
{
  r->start = 0;
  r->len = 0;
}

gint64
gst_voice_live_echo_ref_end (const GstVoiceLiveEchoRef * r)
{
  return r->start + r->len;
}

static void
push (GstVoiceLiveEchoRef * r, const gint16 * s, guint n)
{
  guint i;

  for (i = 0; i < n; i++) {
    if (r->len == r->capacity) {
      r->start++;
      r->len--;
    }
    r->ring[(r->start + r->len) % r->capacity] = s ? s[i] : 0;
    r->len++;
  }
}

/* @n samples at @rate whose first has absolute index @index. A jump
 * forward is silence (a GAP, a pause); a jump back or a new rate starts
 * over. */
void
gst_voice_live_echo_ref_write (GstVoiceLiveEchoRef * r, guint rate,
    gint64 index, const gint16 * samples, guint n)
{
  gint64 end;

  if (rate != r->rate) {
    g_free (r->ring);
    r->rate = rate;
    r->capacity = rate * GST_VOICE_LIVE_ECHO_REF_MAX_MS / 1000;
    r->ring = g_new0 (gint16, r->capacity);
    r->len = 0;
  }
  end = gst_voice_live_echo_ref_end (r);
  if (r->len == 0 || index < end || index - end >= r->capacity) {
    r->start = index;
    r->len = 0;
  } else if (index > end) {
    push (r, NULL, (guint) (index - end));
  }
  push (r, samples, n);
}

static gint16
at (const GstVoiceLiveEchoRef * r, gint64 i)
{
  if (i < r->start || i >= r->start + r->len)
    return 0;
  return r->ring[i % r->capacity];
}

/* @n samples at @out_rate from absolute index @index (of @out_rate) into
 * @out: silence before the history; linear interpolation between the two
 * nearest kept samples when the rates differ (position index * rate /
 * out_rate, weights in 1/out_rate steps, rounded toward zero). Returns how
 * many were past the written end (an underrun: silence). */
guint
gst_voice_live_echo_ref_read (const GstVoiceLiveEchoRef * r, guint out_rate,
    gint64 index, guint n, gint16 * out)
{
  gint64 end = gst_voice_live_echo_ref_end (r);
  guint i, missing = 0;

  for (i = 0; i < n; i++) {
    gint64 q = index + i, num, pos, frac, a, b;

    if (r->rate == 0 || q < 0) {
      out[i] = 0;
      if (r->rate == 0)
        missing++;
      continue;
    }
    num = q * r->rate;
    pos = num / out_rate;
    frac = num % out_rate;
    if (pos >= end || (frac && pos + 1 >= end)) {
      out[i] = 0;
      missing++;
      continue;
    }
    a = at (r, pos);
    b = frac ? at (r, pos + 1) : a;
    out[i] = (gint16) (a + (b - a) * frac / (gint64) out_rate);
  }
  return missing;
}
