/* gst-voicelive: saying goodbye. Going to NULL closes the WebSocket with a
 * close frame (1000) and waits for the peer's reply, for at most
 * close-timeout; a peer that does not answer is dropped in time.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsrc.h>
#include "vltest.h"

#define KEY "test-key-0123456789"

static gboolean
checked_run (void)
{
  /* Under valgrind or a sanitizer everything is slower: fewer runs. */
  return g_getenv ("VL_UNDER_VALGRIND") || g_getenv ("ASAN_OPTIONS")
      || g_getenv ("TSAN_OPTIONS");
}

/* Every connection the emulator saw ended with a close handshake the
 * client started, code 1000; returns how many connections there were. */
static guint
assert_all_closed_normally (VlEmulator * emu)
{
  GPtrArray *rec = vl_emulator_record (emu);
  guint i, n = 0;

  for (i = 0; i < rec->len; i++) {
    JsonNode *l = g_ptr_array_index (rec, i);
    JsonObject *o = json_node_get_object (l);

    if (g_strcmp0 (vl_rec_type (l), "#disconnect") != 0)
      continue;
    n++;
    fail_unless_equals_int (json_object_get_int_member (o, "code"), 1000);
    fail_unless_equals_string (json_object_get_string_member (o, "by"),
        "client");
  }
  fail_unless_equals_int (n, vl_rec_count (rec, "meta", "#connect"));
  g_ptr_array_unref (rec);
  return n;
}

/* gst-launch-1.0 exits right after the pipeline reaches NULL: the close
 * frame must be out and answered by then, every time. */
static void
run_launch_lines (const gchar * const *tail, guint runs)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, "--reply-ms", "300",
      NULL);
  gchar *wav = vl_test_write_speech_wav (24000, 1, 300, 600);
  gchar *out = g_build_filename (g_get_tmp_dir (), "vl-close-out", NULL);
  gchar *location = g_strdup_printf ("location=%s", wav);
  gchar *endpoint = g_strdup_printf ("endpoint=%s", emu->url);
  gchar *out_location = g_strdup_printf ("location=%s", out);
  const gchar *head[] = { "gst-launch-1.0", "-q", "filesrc", location, "!",
    "wavparse", "!", "audioconvert", "!", "audioresample", NULL
  };
  GPtrArray *argv = g_ptr_array_new ();
  guint i;

  for (i = 0; head[i]; i++)
    g_ptr_array_add (argv, (gpointer) head[i]);
  for (i = 0; tail[i]; i++) {
    if (strcmp (tail[i], "ENDPOINT") == 0)
      g_ptr_array_add (argv, endpoint);
    else if (strcmp (tail[i], "OUT") == 0)
      g_ptr_array_add (argv, out_location);
    else
      g_ptr_array_add (argv, (gpointer) tail[i]);
  }
  g_ptr_array_add (argv, NULL);

  /* Five at a time: each is mostly waiting for real-time input. The
   * output files are overwritten; only the closes matter here. */
  for (i = 0; i < runs; i += 5)
    fail_unless_equals_int (vl_test_run_children ((gchar **) argv->pdata, 5,
            60000), 5);
  /* The emulator records a close when its side of it is done. */
  fail_unless (vl_emulator_wait_for (emu, "meta", "#disconnect", runs, 10000));
  fail_unless_equals_int (assert_all_closed_normally (emu), runs);

  g_ptr_array_unref (argv);
  g_unlink (wav);
  g_unlink (out);
  g_free (wav);
  g_free (out);
  g_free (location);
  g_free (endpoint);
  g_free (out_location);
  vl_emulator_stop (emu);
}

GST_START_TEST (test_gst_launch_mulaw_closes_with_1000)
{
  const gchar *tail[] = { "!", "audio/x-raw,rate=8000", "!", "mulawenc", "!",
    "voicelivesink", "ENDPOINT", "api-key=" KEY, "voicelivesrc",
    "is-live=false", "!", "audio/x-mulaw,rate=8000,channels=1", "!",
    "filesink", "OUT", NULL
  };

  run_launch_lines (tail, checked_run ()? 5 : 100);
}

GST_END_TEST;

GST_START_TEST (test_gst_launch_pcm_closes_with_1000)
{
  const gchar *tail[] = { "!", "voicelivesink", "ENDPOINT", "api-key=" KEY,
    "voicelivesrc", "is-live=false", "!", "wavenc", "!", "filesink", "OUT",
    NULL
  };

  run_launch_lines (tail, checked_run ()? 5 : 100);
}

GST_END_TEST;

/* The last voicelive/connection message of each session, by its name,
 * kept as they are posted (the bus flushes when the pipeline reaches
 * NULL). */
typedef struct
{
  GMutex lock;
  GHashTable *last;
} LastConnection;

static GstBusSyncReply
keep_connection_message (GstBus * bus, GstMessage * m, gpointer data)
{
  LastConnection *lc = data;
  const GstStructure *s = gst_message_get_structure (m);

  if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ELEMENT
      && gst_structure_has_name (s, "voicelive/connection")) {
    g_mutex_lock (&lc->lock);
    g_hash_table_replace (lc->last,
        g_strdup (gst_structure_get_string (s, "session-name")),
        gst_structure_copy (s));
    g_mutex_unlock (&lc->lock);
  }
  return GST_BUS_PASS;
}

/* @n sinks (session-names s0..), each fed by its own live silent source,
 * all connected. */
static GstElement *
connected_sinks (VlEmulator * emu, guint n, guint close_timeout,
    LastConnection * lc)
{
  GString *desc = g_string_new (NULL);
  GstElement *p;
  guint i;

  for (i = 0; i < n; i++)
    g_string_append_printf (desc, "audiotestsrc is-live=true wave=silence "
        "samplesperbuffer=480 ! audio/x-raw,format=S16LE,rate=24000,"
        "channels=1 ! voicelivesink name=sink%u session-name=close%u "
        "close-timeout=%u endpoint=%s api-key=" KEY "  ", i, i, close_timeout,
        emu->url);
  p = vl_test_pipeline_new ("%s", desc->str);
  g_string_free (desc, TRUE);
  if (lc) {
    GstBus *bus = gst_element_get_bus (p);

    gst_bus_set_sync_handler (bus, keep_connection_message, lc, NULL);
    gst_object_unref (bus);
  }
  fail_unless (gst_element_set_state (p, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless (vl_emulator_wait_for (emu, "server", "session.updated", n,
          60000), "not all connected");
  return p;
}

/* Going to NULL, in ms */
static gint64
time_to_null (GstElement * p)
{
  gint64 start = g_get_monotonic_time ();

  fail_unless_equals_int (gst_element_set_state (p, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  return (g_get_monotonic_time () - start) / 1000;
}

/* 40 sessions stopping together all close with 1000, and the last
 * connection message of each says so. */
GST_START_TEST (test_many_sessions_close_together)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, NULL);
  guint n = checked_run ()? 8 : 40, i;
  LastConnection lc;
  GstElement *p;

  g_mutex_init (&lc.lock);
  lc.last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) gst_structure_free);
  p = connected_sinks (emu, n, 1000, &lc);
  time_to_null (p);
  fail_unless (vl_emulator_wait_for (emu, "meta", "#disconnect", n, 10000));
  fail_unless_equals_int (assert_all_closed_normally (emu), n);
  for (i = 0; i < n; i++) {
    gchar *name = g_strdup_printf ("close%u", i);
    GstStructure *s = g_hash_table_lookup (lc.last, name);
    guint code = 0;

    fail_unless (s != NULL, "no connection message for %s", name);
    vl_docs_check_message (s);
    fail_unless_equals_string (gst_structure_get_string (s, "state"),
        "disconnected");
    fail_unless (gst_structure_get_uint (s, "close-code", &code));
    fail_unless_equals_int (code, 1000);
    g_free (name);
  }
  g_hash_table_unref (lc.last);
  g_mutex_clear (&lc.lock);
  gst_object_unref (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* A peer that does not answer the close: NULL returns after about
 * close-timeout, for one session or for many stopping together. */
static void
check_unanswered_close (guint n)
{
  /* The emulator holds its close reply (and everything else) for 6 s. */
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY,
      "--hang-on-close-ms", "6000", NULL);
  GstElement *p = connected_sinks (emu, n, 500, NULL);
  gint64 ms = time_to_null (p);

  /* One bounded wait for all: far less than the peer's 6 s, and far less
   * than one close-timeout per session (slower under the checkers). */
  fail_unless (ms < (checked_run ()? 5000 : 2500), "going to NULL took %"
      G_GINT64_FORMAT " ms", ms);
  gst_object_unref (p);
  vl_emulator_stop (emu);
}

GST_START_TEST (test_unanswered_close_is_bounded)
{
  check_unanswered_close (1);
}

GST_END_TEST;

GST_START_TEST (test_unanswered_closes_share_one_wait)
{
  check_unanswered_close (checked_run ()? 4 : 20);
}

GST_END_TEST;

/* A peer that is stopped (SIGSTOP): the same bound. */
GST_START_TEST (test_stopped_peer_close_is_bounded)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, NULL);
  GstElement *p = connected_sinks (emu, 1, 500, NULL);
  gint64 ms;

  kill (emu->pid, SIGSTOP);
  ms = time_to_null (p);
  kill (emu->pid, SIGCONT);
  fail_unless (ms < (checked_run ()? 5000 : 2500), "going to NULL took %"
      G_GINT64_FORMAT " ms", ms);
  gst_object_unref (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static Suite *
voicelive_close_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("voicelive-close", 0, &tc);

  /* The network threads live through each test: one that ended just as
   * the test process exits (a peer held the close for seconds) would be
   * a race with the exit-time join, not what these tests are about. */
  g_setenv ("VL_NET_IDLE_TIMEOUT_MS", "600000", TRUE);

  tcase_add_test (tc, test_gst_launch_mulaw_closes_with_1000);
  tcase_add_test (tc, test_gst_launch_pcm_closes_with_1000);
  tcase_add_test (tc, test_many_sessions_close_together);
  tcase_add_test (tc, test_unanswered_close_is_bounded);
  tcase_add_test (tc, test_unanswered_closes_share_one_wait);
  tcase_add_test (tc, test_stopped_peer_close_is_bounded);
  return s;
}

GST_CHECK_MAIN (voicelive_close);
