/* gst-voicelive: the DTMF module (gstvoicelivedtmf.c) on its own: tones
 * made and found again at every input rate and through G.711, the limits
 * (duration, twist, level), no digits in speech or answer audio, the
 * collector and the text template.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include <math.h>
#include <string.h>
#include "gstvoicelivedtmf.h"
#include "vl-emulator-audio.h"

static gchar *
detect (const gint16 * s, gsize n, guint rate)
{
  GstVoiceLiveDtmfDetector *d = gst_voice_live_dtmf_detector_new (rate);
  GString *digits = g_string_new (NULL);
  gsize off;

  /* in odd-sized pieces, as buffers come */
  for (off = 0; off < n; off += 333)
    gst_voice_live_dtmf_detector_feed (d, s + off, MIN (333, n - off), digits);
  gst_voice_live_dtmf_detector_free (d);
  return g_string_free (digits, FALSE);
}

static void
assert_detects (const gchar * digits, guint rate, const gchar * expected)
{
  gsize n;
  gint16 *s = gst_voice_live_dtmf_tones (digits, rate, &n);
  gchar *found = detect (s, n, rate);

  fail_unless_equals_int (n, strlen (expected) * rate *
      (GST_VOICE_LIVE_DTMF_TONE_MS + GST_VOICE_LIVE_DTMF_PAUSE_MS) / 1000);
  fail_unless_equals_string (found, expected);
  g_free (found);
  g_free (s);
}

GST_START_TEST (test_tones_found_at_every_rate)
{
  static const guint rates[] = { 8000, 16000, 24000, 44100, 48000 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (rates); i++) {
    assert_detects ("1234567890*#ABCD", rates[i], "1234567890*#ABCD");
    /* a digit twice is two presses, the pause releases the key */
    assert_detects ("1 1 0 0 #", rates[i], "1100#");
  }
}

GST_END_TEST;

/* Two sine tones of @ms at amplitudes @lo and @hi (low/high group) */
static gint16 *
pair (gdouble f_lo, gdouble f_hi, gdouble lo, gdouble hi, guint ms,
    guint rate, gsize * n)
{
  gint16 *s;
  gsize i;

  *n = rate * ms / 1000;
  s = g_new0 (gint16, *n);
  for (i = 0; i < *n; i++)
    s[i] = (gint16) lrint (lo * sin (2 * G_PI * f_lo * i / rate)
        + hi * sin (2 * G_PI * f_hi * i / rate));
  return s;
}

static guint
count_in_pair (gdouble lo, gdouble hi, guint ms)
{
  gsize n;
  gint16 *s = pair (770, 1336, lo, hi, ms, 8000, &n);
  gchar *found = detect (s, n, 8000);
  guint count = strlen (found);

  if (count)
    fail_unless_equals_string (found, "5");
  g_free (found);
  g_free (s);
  return count;
}

GST_START_TEST (test_limits)
{
  /* duration: 40 ms is a digit (Q.24), 20 ms is not */
  fail_unless_equals_int (count_in_pair (8000, 8000, 40), 1);
  fail_unless_equals_int (count_in_pair (8000, 8000, 20), 0);
  /* twist: high group 6 dB up and low group 3 dB up pass, 10 dB fails */
  fail_unless_equals_int (count_in_pair (4000, 8000, 100), 1);
  fail_unless_equals_int (count_in_pair (8000, 5700, 100), 1);
  fail_unless_equals_int (count_in_pair (2500, 8000, 100), 0);
  fail_unless_equals_int (count_in_pair (8000, 2500, 100), 0);
  /* level: -44 dBFS per tone passes, -56 dBFS is too quiet */
  fail_unless_equals_int (count_in_pair (200, 200, 100), 1);
  fail_unless_equals_int (count_in_pair (50, 50, 100), 0);
  /* one tone alone is no digit */
  fail_unless_equals_int (count_in_pair (8000, 0, 100), 0);
}

GST_END_TEST;

/* Talk-off: a pair under a louder third sound (voice, music) is no digit */
GST_START_TEST (test_pair_under_louder_sound)
{
  gsize n, i;
  gint16 *s = pair (770, 1336, 3000, 3000, 200, 8000, &n);
  gchar *found;

  found = detect (s, n, 8000);
  fail_unless_equals_string (found, "5");
  g_free (found);
  for (i = 0; i < n; i++)
    s[i] += (gint16) lrint (8000 * sin (2 * G_PI * 400 * i / 8000));
  found = detect (s, n, 8000);
  fail_unless_equals_string (found, "");
  g_free (found);
  g_free (s);
}

GST_END_TEST;

GST_START_TEST (test_tones_in_noise)
{
  gsize n, i;
  gint16 *s = gst_voice_live_dtmf_tones ("159#", 16000, &n);
  GRand *r = g_rand_new_with_seed (7);
  gchar *found;

  /* white noise 20 dB below each tone */
  for (i = 0; i < n; i++)
    s[i] = (gint16) CLAMP (s[i] + g_rand_double_range (r, -1700, 1700),
        G_MININT16, G_MAXINT16);
  found = detect (s, n, 16000);
  fail_unless_equals_string (found, "159#");
  g_free (found);
  g_free (s);
  g_rand_free (r);
}

GST_END_TEST;

/* G.711 of our own: the same bytes as the reference encoder (the
 * emulator's), and tones survive the trip */
GST_START_TEST (test_g711)
{
  gint v;
  gsize n, i;
  gint16 *s;
  gchar *found;

  for (v = G_MININT16; v <= G_MAXINT16; v++) {
    fail_unless_equals_int (gst_voice_live_dtmf_s16_to_ulaw (v),
        vl_emu_linear_to_mulaw (v));
    fail_unless_equals_int (gst_voice_live_dtmf_s16_to_alaw (v),
        vl_emu_linear_to_alaw (v));
  }
  for (v = 0; v < 256; v++) {
    fail_unless_equals_int (gst_voice_live_dtmf_s16_to_ulaw
        (gst_voice_live_dtmf_ulaw_to_s16 (v)), v == 0x7f ? 0xff : v);
    fail_unless_equals_int (gst_voice_live_dtmf_s16_to_alaw
        (gst_voice_live_dtmf_alaw_to_s16 (v)), v);
  }

  s = gst_voice_live_dtmf_tones ("0123456789", 8000, &n);
  for (i = 0; i < n; i++)
    s[i] = gst_voice_live_dtmf_ulaw_to_s16 (gst_voice_live_dtmf_s16_to_ulaw
        (s[i]));
  found = detect (s, n, 8000);
  fail_unless_equals_string (found, "0123456789");
  g_free (found);
  for (i = 0; i < n; i++)
    s[i] = gst_voice_live_dtmf_alaw_to_s16 (gst_voice_live_dtmf_s16_to_alaw
        (s[i]));
  found = detect (s, n, 8000);
  fail_unless_equals_string (found, "0123456789");
  g_free (found);
  g_free (s);
}

GST_END_TEST;

/* No digit in the test speech nor in 60 s of each emulator answer voice */
GST_START_TEST (test_no_digits_in_speech_or_answers)
{
  gchar *path = g_build_filename (VL_TEST_FILES_DIR, "question.wav", NULL);
  gchar *wav;
  gsize len, n, i;
  guint32 seed;
  gint16 *s;
  gchar *found;

  fail_unless (g_file_get_contents (path, &wav, &len, NULL));
  /* 16 kHz mono S16LE after a 44-byte header */
  found = detect ((const gint16 *) (wav + 44), (len - 44) / 2, 16000);
  fail_unless_equals_string (found, "");
  g_free (found);
  g_free (wav);
  g_free (path);

  n = 60 * 24000;
  s = g_new (gint16, n);
  for (seed = 1; seed <= 8; seed++) {
    for (i = 0; i < n; i++)
      s[i] = vl_emu_sample (seed, i, 24000);
    found = detect (s, n, 24000);
    fail_unless_equals_string (found, "");
    g_free (found);
  }
  g_free (s);
}

GST_END_TEST;

GST_START_TEST (test_collector)
{
  GstVoiceLiveDtmfCollector c;
  gchar *seq;

  gst_voice_live_dtmf_collector_init (&c, 3000, '#');
  fail_unless_equals_int64 (gst_voice_live_dtmf_collector_deadline (&c), -1);
  fail_unless (gst_voice_live_dtmf_collector_add (&c, '1', 0) == NULL);
  fail_unless (gst_voice_live_dtmf_collector_add (&c, 'x', 0) == NULL);
  fail_unless (gst_voice_live_dtmf_collector_add (&c, '2', 1000000) == NULL);
  fail_unless_equals_int64 (gst_voice_live_dtmf_collector_deadline (&c),
      4000000);
  fail_unless (gst_voice_live_dtmf_collector_poll (&c, 3999999) == NULL);
  seq = gst_voice_live_dtmf_collector_add (&c, '#', 2000000);
  fail_unless_equals_string (seq, "12#");
  g_free (seq);
  fail_unless (gst_voice_live_dtmf_collector_poll (&c, 9000000) == NULL);

  /* the timeout ends a sequence without terminator */
  gst_voice_live_dtmf_collector_add (&c, '4', 10000000);
  gst_voice_live_dtmf_collector_add (&c, '*', 11000000);
  seq = gst_voice_live_dtmf_collector_poll (&c, 14000000);
  fail_unless_equals_string (seq, "4*");
  g_free (seq);
  gst_voice_live_dtmf_collector_clear (&c);

  /* no terminator: only the timeout ends one */
  gst_voice_live_dtmf_collector_init (&c, 500, 0);
  fail_unless (gst_voice_live_dtmf_collector_add (&c, '#', 0) == NULL);
  seq = gst_voice_live_dtmf_collector_poll (&c, 500000);
  fail_unless_equals_string (seq, "#");
  g_free (seq);
  gst_voice_live_dtmf_collector_clear (&c);
}

GST_END_TEST;

GST_START_TEST (test_format_and_check)
{
  gchar *t;
  GError *err = NULL;

  t = gst_voice_live_dtmf_format ("The caller pressed {digits}.", "1234#");
  fail_unless_equals_string (t, "The caller pressed 1 2 3 4 #.");
  g_free (t);
  t = gst_voice_live_dtmf_format ("{digits}|{digits}", "9");
  fail_unless_equals_string (t, "9|9");
  g_free (t);
  t = gst_voice_live_dtmf_format ("no digits here", "1");
  fail_unless_equals_string (t, "no digits here");
  g_free (t);

  fail_unless (gst_voice_live_dtmf_check ("12 34*#AD", NULL));
  fail_if (gst_voice_live_dtmf_check ("12E", &err));
  fail_unless (strstr (err->message, "'E'") != NULL);
  g_clear_error (&err);
  fail_if (gst_voice_live_dtmf_check (" ", &err));
  g_clear_error (&err);
  fail_unless_equals_int (gst_voice_live_dtmf_digit_from_number (10), '*');
  fail_unless_equals_int (gst_voice_live_dtmf_digit_from_number (11), '#');
  fail_unless_equals_int (gst_voice_live_dtmf_digit_from_number (15), 'D');
  fail_unless_equals_int (gst_voice_live_dtmf_digit_from_number (16), 0);
}

GST_END_TEST;

static Suite *
dtmf_suite (void)
{
  Suite *s = suite_create ("dtmf");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_tones_found_at_every_rate);
  tcase_add_test (tc, test_limits);
  tcase_add_test (tc, test_pair_under_louder_sound);
  tcase_add_test (tc, test_tones_in_noise);
  tcase_add_test (tc, test_g711);
  tcase_add_test (tc, test_no_digits_in_speech_or_answers);
  tcase_add_test (tc, test_collector);
  tcase_add_test (tc, test_format_and_check);
  return s;
}

GST_CHECK_MAIN (dtmf);
