/* gst-voicelive: the echo reference history (gstvoiceliveechoref.c) on its
 * own: gaps are silence, a jump back starts over, it stays bounded, reads
 * before it are silence and past it underruns, and the linear resampling.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include "gstvoiceliveechoref.h"
#include "vltest.h"

GST_START_TEST (test_same_rate)
{
  GstVoiceLiveEchoRef r;
  gint16 in[4] = { 1, 2, 3, 4 }, out[11];
  guint missing;

  gst_voice_live_echo_ref_init (&r);
  /* nothing written: all underrun */
  fail_unless_equals_int (gst_voice_live_echo_ref_read (&r, 24000, 0, 3, out),
      3);
  gst_voice_live_echo_ref_write (&r, 24000, 100, in, 4);
  /* a gap of 2 is silence */
  gst_voice_live_echo_ref_write (&r, 24000, 106, in, 2);
  missing = gst_voice_live_echo_ref_read (&r, 24000, 98, 11, out);
  /* 98, 99 before: silence; 108 not written yet: an underrun */
  fail_unless_equals_int (missing, 1);
  fail_unless_equals_int (out[0], 0);
  fail_unless_equals_int (out[1], 0);
  fail_unless_equals_int (out[2], 1);
  fail_unless_equals_int (out[5], 4);
  fail_unless_equals_int (out[6], 0);
  fail_unless_equals_int (out[7], 0);
  fail_unless_equals_int (out[8], 1);
  fail_unless_equals_int (out[9], 2);
  fail_unless_equals_int (out[10], 0);
  /* a jump back starts over */
  gst_voice_live_echo_ref_write (&r, 24000, 50, in, 1);
  fail_unless_equals_int (gst_voice_live_echo_ref_end (&r), 51);
  fail_unless_equals_int (gst_voice_live_echo_ref_read (&r, 24000, 100, 1,
          out), 1);
  gst_voice_live_echo_ref_clear (&r);
}

GST_END_TEST;

GST_START_TEST (test_bounded)
{
  GstVoiceLiveEchoRef r;
  guint cap = 8000 * GST_VOICE_LIVE_ECHO_REF_MAX_MS / 1000, i;
  gint16 *in = g_new (gint16, cap + 10), out[2];

  for (i = 0; i < cap + 10; i++)
    in[i] = (gint16) (i % 1000 + 1);
  gst_voice_live_echo_ref_init (&r);
  gst_voice_live_echo_ref_write (&r, 8000, 0, in, cap + 10);
  /* the oldest 10 went */
  fail_unless_equals_int (r.start, 10);
  fail_unless_equals_int (r.len, cap);
  fail_unless_equals_int (gst_voice_live_echo_ref_read (&r, 8000, 9, 2, out),
      0);
  fail_unless_equals_int (out[0], 0);
  fail_unless_equals_int (out[1], 11);
  g_free (in);
  gst_voice_live_echo_ref_clear (&r);
}

GST_END_TEST;

/* 24 kHz history read at 16 kHz: input sample q sits at 1.5 q */
GST_START_TEST (test_linear)
{
  GstVoiceLiveEchoRef r;
  gint16 in[6] = { 0, 300, 600, -900, 1200, 1500 }, out[5];

  gst_voice_live_echo_ref_init (&r);
  gst_voice_live_echo_ref_write (&r, 24000, 0, in, 6);
  fail_unless_equals_int (gst_voice_live_echo_ref_read (&r, 16000, 0, 5, out),
      1);
  fail_unless_equals_int (out[0], 0);
  /* half way between 300 and 600 */
  fail_unless_equals_int (out[1], 450);
  fail_unless_equals_int (out[2], -900);
  fail_unless_equals_int (out[3], 1350);
  /* 6 is not written yet */
  fail_unless_equals_int (out[4], 0);
  /* 8 kHz history read at 24 kHz: q / 3 */
  gst_voice_live_echo_ref_write (&r, 8000, 0, in, 3);
  fail_unless_equals_int (gst_voice_live_echo_ref_read (&r, 24000, 1, 2, out),
      0);
  fail_unless_equals_int (out[0], 100);
  fail_unless_equals_int (out[1], 200);
  gst_voice_live_echo_ref_clear (&r);
}

GST_END_TEST;

static Suite *
echoref_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("echoref", 0, &tc);

  tcase_add_test (tc, test_same_rate);
  tcase_add_test (tc, test_bounded);
  tcase_add_test (tc, test_linear);
  return s;
}

GST_CHECK_MAIN (echoref);
