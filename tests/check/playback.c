/* gst-voicelive: the answer audio queue (gstvoiceliveplayback.c) on its
 * own: bounded, no holes, barge-in bookkeeping bounded, per-response
 * arrival times.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include "gstvoiceliveplayback.h"
#include "vltest.h"

/* @n bytes whose values count from @first */
static GBytes *
counting_bytes (gsize n, guint8 first)
{
  guint8 *d = g_malloc (n);
  gsize i;

  for (i = 0; i < n; i++)
    d[i] = (guint8) (first + i);
  return g_bytes_new_take (d, n);
}

static GstVoiceLivePushResult
push (GstVoiceLivePlayback * pb, gsize n, guint8 first, const gchar * resp,
    const gchar * item, gint64 arrival)
{
  GBytes *b = counting_bytes (n, first);
  gboolean is_first;
  GstVoiceLivePushResult r =
      gst_voice_live_playback_push (pb, b, resp, item, arrival, &is_first);

  g_bytes_unref (b);
  return r;
}

/* Pushes 4 bytes of response "r@i", item "i@i", arriving at @i */
static GstVoiceLivePushResult
push_nth (GstVoiceLivePlayback * pb, guint i)
{
  gchar *resp = g_strdup_printf ("r%u", i), *item = g_strdup_printf ("i%u", i);
  GstVoiceLivePushResult r = push (pb, 4, 0, resp, item, i);

  g_free (resp);
  g_free (item);
  return r;
}

/* Each test's queue, and the messages it makes (structures) */
static GstVoiceLivePlayback *pb;
static GPtrArray *msgs;

static void
setup (void)
{
  pb = gst_voice_live_playback_new ();
  msgs = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_structure_free);
}

static void
teardown (void)
{
  g_ptr_array_unref (msgs);
  gst_voice_live_playback_free (pb);
}

static gsize
read_all (GstVoiceLivePlayback * pb, guint8 * out, gsize max, GPtrArray * msgs)
{
  gsize n, total = 0;

  while ((n = gst_voice_live_playback_read (pb, out + total, max - total, 2,
              total * GST_SECOND / 48000, 0, msgs, NULL, NULL)) > 0)
    total += n;
  return total;
}

/* Beyond the limit a delta is refused, and so is the rest of its item:
 * what plays has no hole. */
GST_START_TEST (test_limit_drops_the_rest_of_the_item)
{
  guint8 out[64];
  gsize n, i;

  gst_voice_live_playback_set_limit (pb, 10);
  fail_unless_equals_int (push (pb, 6, 0, "r1", "i1", 1),
      GST_VOICE_LIVE_PUSH_QUEUED);
  fail_unless_equals_int (push (pb, 6, 6, "r1", "i1", 2),
      GST_VOICE_LIVE_PUSH_FULL);
  /* Would fit, but comes after the hole */
  fail_unless_equals_int (push (pb, 2, 12, "r1", "i1", 3),
      GST_VOICE_LIVE_PUSH_FULL);
  /* Another item starts afresh */
  fail_unless_equals_int (push (pb, 4, 100, "r2", "i2", 4),
      GST_VOICE_LIVE_PUSH_QUEUED);
  n = read_all (pb, out, sizeof (out), msgs);
  fail_unless_equals_int (n, 10);
  for (i = 0; i < 6; i++)
    fail_unless_equals_int (out[i], i);
  for (i = 0; i < 4; i++)
    fail_unless_equals_int (out[6 + i], 100 + i);
}

GST_END_TEST;

/* Each barge-in remembers its response so that late deltas are dropped;
 * only the latest few are kept, however many barge-ins a call has. */
GST_START_TEST (test_interrupted_ids_are_bounded)
{
  guint i, items = 0, interrupted = 0;
  gint64 end_ms;

  for (i = 0; i < 1000; i++) {
    fail_unless_equals_int (push_nth (pb, i), GST_VOICE_LIVE_PUSH_QUEUED);
    g_free (gst_voice_live_playback_interrupt (pb, GST_CLOCK_TIME_NONE,
            &end_ms, msgs));
    /* A late delta of the response just interrupted does not play */
    fail_unless_equals_int (push_nth (pb, i), GST_VOICE_LIVE_PUSH_INTERRUPTED);
  }
  gst_voice_live_playback_get_counts (pb, &items, &interrupted);
  fail_unless (interrupted <= 16, "%u interrupted ids kept", interrupted);
  fail_unless_equals_int (items, 0);
}

GST_END_TEST;

/* Items whose response.audio.done never comes (a cancelled response) are
 * forgotten once the next item plays, with their playback-stopped. */
GST_START_TEST (test_items_without_done_are_bounded)
{
  guint8 out[8];
  guint i, items = 0, interrupted = 0, started = 0, stopped = 0;

  for (i = 0; i < 1000; i++) {
    push_nth (pb, i);
    fail_unless_equals_int (read_all (pb, out, sizeof (out), msgs), 4);
  }
  gst_voice_live_playback_get_counts (pb, &items, &interrupted);
  fail_unless (items <= 1, "%u items kept", items);
  for (i = 0; i < msgs->len; i++) {
    const GstStructure *s = g_ptr_array_index (msgs, i);

    if (gst_structure_has_name (s, "voicelive/playback-started"))
      started++;
    else if (gst_structure_has_name (s, "voicelive/playback-stopped"))
      stopped++;
  }
  fail_unless_equals_int (started, 1000);
  /* the last one still plays as far as the queue knows */
  fail_unless_equals_int (stopped, 999);
}

GST_END_TEST;

/* The first audio of each response reports when that response's audio
 * arrived, not a later one's. */
GST_START_TEST (test_first_audio_arrival_per_response)
{
  gchar *resp = NULL;
  gint64 arrival = 0;
  guint8 out[4];

  push (pb, 4, 0, "r1", "i1", 1000);
  push (pb, 4, 0, "r2", "i2", 5000);
  fail_unless_equals_int (gst_voice_live_playback_read (pb, out, 4, 2, 0, 0,
          msgs, &resp, &arrival), 4);
  fail_unless_equals_string (resp, "r1");
  fail_unless_equals_int64 (arrival, 1000);
  g_free (resp);
  resp = NULL;
  fail_unless_equals_int (gst_voice_live_playback_read (pb, out, 4, 2, 0, 0,
          msgs, &resp, &arrival), 4);
  fail_unless_equals_string (resp, "r2");
  fail_unless_equals_int64 (arrival, 5000);
  g_free (resp);
}

GST_END_TEST;

static Suite *
playback_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("playback", 0, &tc);

  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_limit_drops_the_rest_of_the_item);
  tcase_add_test (tc, test_interrupted_ids_are_bounded);
  tcase_add_test (tc, test_items_without_done_are_bounded);
  tcase_add_test (tc, test_first_audio_arrival_per_response);
  return s;
}

GST_CHECK_MAIN (playback);
