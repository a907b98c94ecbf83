/* gst-voicelive: the network threads follow the sessions, are reused while
 * idle and end (and are joined) once idle; runs on the check thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <gst/check/gstcheck.h>
#include "vltest.h"
#include "vlconv.h"

/* Set for the whole suite, before the first session of the process: a
 * thread ends after 2 s without sessions (5 s by default), and 2 sessions
 * share a thread once there is one per core (16 by default). */
#define IDLE_MS 2000
#define PER_THREAD 2

static gboolean
under_valgrind (void)
{
  return g_getenv ("VL_UNDER_VALGRIND") != NULL;
}

/* Polls (bounded) until there are @n network threads; returns the count
 * at the end. Polls even when more are expected: a new thread takes its
 * name a moment after it starts. */
static guint
wait_net_threads (guint n)
{
  gint64 deadline = g_get_monotonic_time () +
      (IDLE_MS + (under_valgrind ()? 60000 : 10000)) * G_TIME_SPAN_MILLISECOND;
  guint now;

  while ((now = vl_test_count_net_threads ()) != n
      && g_get_monotonic_time () < deadline)
    g_usleep (5000);
  return now;
}

/* The same until there are at least @n */
static guint
wait_net_threads_at_least (guint n)
{
  gint64 deadline = g_get_monotonic_time () +
      (under_valgrind ()? 60000 : 10000) * G_TIME_SPAN_MILLISECOND;
  guint now;

  while ((now = vl_test_count_net_threads ()) < n
      && g_get_monotonic_time () < deadline)
    g_usleep (5000);
  return now;
}

/* The ids, once there are @n */
static gchar *
wait_net_thread_ids (guint n)
{
  guint now;

  now = wait_net_threads (n);
  fail_unless (now == n, "%u network threads, expected %u", now, n);
  return vl_test_net_thread_ids (NULL);
}

/* What the pool is meant to run for @sessions sessions added one after
 * the other: one thread per core first, then PER_THREAD per thread. */
static guint
expected_threads (guint sessions)
{
  guint n_cores = g_get_num_processors ();

  return MIN (64, MAX (MIN (sessions, n_cores),
          (sessions + PER_THREAD - 1) / PER_THREAD));
}

/* A src (and a sink) holding session @name, in READY: the session exists,
 * nothing connects. Without a sink the session is gone when the src is
 * back in NULL; the sink's stop hands it to its network thread, where it
 * is finalized a moment later. */
static GstElement *
ready_session (const gchar * name, gboolean with_sink)
{
  GstElement *bin = gst_bin_new (NULL);
  GstElement *src = gst_element_factory_make ("voicelivesrc", NULL);

  g_object_set (src, "session-name", name, NULL);
  gst_bin_add (GST_BIN (bin), src);
  if (with_sink) {
    GstElement *sink = gst_element_factory_make ("voicelivesink", NULL);

    g_object_set (sink, "session-name", name, "endpoint",
        "ws://127.0.0.1:9", "api-key", "k", NULL);
    gst_bin_add (GST_BIN (bin), sink);
  }
  fail_unless_equals_int (gst_element_set_state (bin, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  return bin;
}

/* A sink + src pair, PLAYING and connected to @emu (session.update
 * answered), with 100 ms of audio sent through the network thread. */
static VlConv *
connected_session (VlEmulator * emu, const gchar * name, guint appends)
{
  VlConv *conv = vl_conv_new_named (emu, name, 24000, "api-key=k", NULL,
      NULL);
  GPtrArray *rec;

  vl_conv_start (conv);
  fail_unless (vl_conv_wait_message (conv, "voicelive/session-updated", 1,
          under_valgrind ()? 60000 : 10000), "%s did not connect", name);
  vl_conv_speak (conv, 0, 0, 100, FALSE);
  rec = vl_emulator_wait (emu, "client", "input_audio_buffer.append",
      appends, under_valgrind ()? 60000 : 10000);
  fail_unless (rec != NULL, "%s: no audio reached the emulator", name);
  g_ptr_array_unref (rec);
  return conv;
}

/* Many sessions made and dropped: the threads are reused throughout, and
 * all of them end once no session is left. Sessions without a sink go
 * at once, so the count is exact; with a sink, a session may still be on
 * its thread when the next ones come, and those may get another thread. */
GST_START_TEST (test_session_cycles_leave_no_threads)
{
  guint start = vl_test_count_net_threads ();
  guint cycles = under_valgrind ()? 50 : 1000;
  guint round, i, k, n, most = 0;

  for (round = 0; round < 2; round++) {
    gboolean with_sink = round == 1;

    for (i = 0; i < cycles; i++) {
      GstElement *bins[3];

      for (k = 0; k < 3; k++) {
        gchar *name = g_strdup_printf ("cycle%u", k);

        bins[k] = ready_session (name, with_sink);
        g_free (name);
      }
      if (!with_sink) {
        n = wait_net_threads (start + expected_threads (3));
        fail_unless (n == start + expected_threads (3), "cycle %u: %u "
            "threads, expected %u", i, n, start + expected_threads (3));
      } else {
        n = wait_net_threads_at_least (start + MIN (3,
                g_get_num_processors ()));
        most = MAX (most, n);
        fail_unless (n >= start + MIN (3, g_get_num_processors ()),
            "cycle %u: 3 sessions on %u threads", i, n);
      }
      for (k = 0; k < 3; k++)
        vl_test_stop_pipeline (bins[k]);
    }
    n = wait_net_threads (start);
    fail_unless (n == start, "%u threads left after %u cycles (%s sinks; "
        "at most %u), %u at the start", n, cycles, with_sink ? "with" :
        "without", most, start);
  }
}

GST_END_TEST;

/* The same with real conversations: each connects and sends audio on its
 * network thread, and its session is finalized there; afterwards no
 * thread is left. 200 of them (about 40 ms each, and the record is read
 * whole each time). */
GST_START_TEST (test_connected_cycles_leave_no_threads)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  guint start = vl_test_count_net_threads ();
  /* The sanitizer runs are several times slower, and their test runs
   * share the cores: fewer rounds there. */
  guint cycles = under_valgrind ()? 5 : g_getenv ("ASAN_OPTIONS")
      || g_getenv ("TSAN_OPTIONS") ? 40 : 200;
  guint i, n;
  GPtrArray *rec;

  for (i = 0; i < cycles; i++) {
    gchar *name = g_strdup_printf ("conn%u", i);
    VlConv *conv = connected_session (emu, name, i + 1);

    fail_unless (wait_net_threads_at_least (start + 1) >= start + 1);
    vl_conv_free (conv);
    g_free (name);
  }
  rec = vl_emulator_record (emu);
  fail_unless_equals_int (vl_rec_count (rec, "meta", "#connect"), cycles);
  g_ptr_array_unref (rec);

  n = wait_net_threads (start);
  fail_unless_equals_int (n, start);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* A session that comes while the last one's thread is idle gets that
 * thread, even with fewer threads than cores; then it ends. */
GST_START_TEST (test_idle_thread_reused)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  guint start = vl_test_count_net_threads ();
  GstElement *first;
  VlConv *second;
  gchar *before, *after;
  guint n;

  fail_unless_equals_int (start, 0);
  /* Without a sink: gone as soon as it is dropped */
  first = ready_session ("first", FALSE);
  before = wait_net_thread_ids (1);
  vl_test_stop_pipeline (first);

  /* Within the idle time (the gap is milliseconds): the same thread, now
   * carrying a real conversation. */
  second = connected_session (emu, "second", 1);
  after = wait_net_thread_ids (1);
  fail_unless_equals_string (after, before);
  vl_conv_free (second);

  n = wait_net_threads (0);
  fail_unless_equals_int (n, 0);
  g_free (before);
  g_free (after);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* Sessions added one by one get one thread per core, then one more per
 * PER_THREAD sessions; sessions that come back reuse the idle threads;
 * all end when none is left, and the next sessions start new ones. */
GST_START_TEST (test_threads_follow_sessions)
{
#define N_SESSIONS 7
  guint start = vl_test_count_net_threads ();
  GstElement *bins[N_SESSIONS];
  gchar *ids, *again;
  guint round, k, n;

  for (round = 0; round < 2; round++) {
    for (k = 0; k < N_SESSIONS; k++) {
      gchar *name = g_strdup_printf ("s%u", k);

      bins[k] = ready_session (name, FALSE);
      g_free (name);
      n = wait_net_threads (start + expected_threads (k + 1));
      fail_unless (n == start + expected_threads (k + 1),
          "round %u: %u sessions on %u threads, expected %u", round, k + 1,
          n, start + expected_threads (k + 1));
    }

    /* Half of them go and come back: the same threads carry them. */
    ids = wait_net_thread_ids (start + expected_threads (N_SESSIONS));
    for (k = 0; k < N_SESSIONS; k += 2)
      vl_test_stop_pipeline (bins[k]);
    for (k = 0; k < N_SESSIONS; k += 2) {
      gchar *name = g_strdup_printf ("s%u", k);

      bins[k] = ready_session (name, FALSE);
      g_free (name);
    }
    again = wait_net_thread_ids (start + expected_threads (N_SESSIONS));
    fail_unless_equals_string (again, ids);
    g_free (again);
    g_free (ids);

    for (k = 0; k < N_SESSIONS; k++)
      vl_test_stop_pipeline (bins[k]);
    n = wait_net_threads (start);
    fail_unless (n == start, "round %u: %u threads left, %u at the start",
        round, n, start);
  }
#undef N_SESSIONS
}

GST_END_TEST;

static Suite *
voicelive_threads_suite (void)
{
  Suite *s = suite_create ("voicelive-threads");
  TCase *tc = tcase_create ("general");
  gchar *idle = g_strdup_printf ("%u", IDLE_MS);
  gchar *per = g_strdup_printf ("%u", PER_THREAD);

  g_unsetenv ("http_proxy");
  g_setenv ("VL_NET_IDLE_TIMEOUT_MS", idle, TRUE);
  g_setenv ("VL_NET_SESSIONS_PER_THREAD", per, TRUE);
  g_free (idle);
  g_free (per);
  tcase_set_timeout (tc, 180);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_idle_thread_reused);
  tcase_add_test (tc, test_threads_follow_sessions);
  tcase_add_test (tc, test_session_cycles_leave_no_threads);
  tcase_add_test (tc, test_connected_cycles_leave_no_threads);
  return s;
}

GST_CHECK_MAIN (voicelive_threads);
