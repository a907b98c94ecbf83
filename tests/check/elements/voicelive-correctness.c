/* gst-voicelive: the correctness round (issue 12): properties in every
 * state, bounded answer audio, session lifetimes, end of stream under
 * pause and flush, ordered runtime changes, client events built safely.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>
#include "vltest.h"
#include "vl-emulator-audio.h"

#define KEY "test-key-0123456789"
#define RATE 24000

static gboolean
under_valgrind (void)
{
  return g_getenv ("VL_UNDER_VALGRIND") != NULL;
}

/* Under valgrind or ASan/LSan, where leaks fail a test */
static gboolean
leak_checked (void)
{
  return under_valgrind () || g_getenv ("ASAN_OPTIONS") != NULL;
}

/* Voice 7 (the emulator's VAD hears it) then silence, mono S16LE. */
static GstBuffer *
speech (guint speech_ms, guint silence_ms)
{
  return vl_test_speech (7, RATE, 0, RATE * speech_ms / 1000,
      RATE * (speech_ms + silence_ms) / 1000, "pcm16");
}

/* A distinct pattern far below the VAD threshold */
static GstBuffer *
quiet (guint ms)
{
  guint n = RATE * ms / 1000, i;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, n * 2, NULL);
  GstMapInfo map;
  gint16 *s;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  s = (gint16 *) map.data;
  for (i = 0; i < n; i++)
    s[i] = (gint16) (i % 101) - 50;
  gst_buffer_unmap (buf, &map);
  return buf;
}

/* Everything an appsink received, concatenated. */
static void
drain_appsink (GstElement * appsink, GByteArray * out)
{
  while (vl_test_pull_append (appsink, out, 0));
}

static void
assert_answer (const guint8 * data, gsize len, guint seed)
{
  vl_test_assert_answer (data, len, seed, len / 2, RATE, "pcm16");
}

/* appsrc ! voicelivesink session-name=@name sync=false @sink_props on
 * @emu; with @src_props (not NULL), the session's voicelivesrc with them
 * into "appsink name=out" too. */
static GstElement *
pair_new (VlEmulator * emu, const gchar * name, const gchar * sink_props,
    const gchar * src_props)
{
  gchar *src = src_props ? g_strdup_printf ("  voicelivesrc session-name=%s "
      "%s ! appsink name=out sync=false wait-on-eos=false", name,
      src_props) : g_strdup ("");
  GstElement *p = vl_test_pipeline_new_pair (RATE, "session-name=%s "
      "sync=false %s endpoint=%s api-key=" KEY "%s", name, sink_props,
      emu->url, src);

  g_free (src);
  return p;
}

/* "voicelivesrc session-name=@name @rest", attached to its session
 * (READY) and not playing */
static GstElement *
src_ready (const gchar * name, const gchar * rest)
{
  GstElement *b = vl_test_pipeline_new ("voicelivesrc session-name=%s %s",
      name, rest);

  vl_test_set_state_wait (b, GST_STATE_READY);
  return b;
}

/* A live silent tone into voicelivesink session-name=@name on @emu with
 * @props (20 ms buffers), then @rest. */
static GstElement *
silence_new (VlEmulator * emu, const gchar * name, const gchar * props,
    const gchar * rest)
{
  return vl_test_pipeline_new ("audiotestsrc is-live=true wave=silence "
      "samplesperbuffer=480 ! audio/x-raw,format=S16LE,rate=24000,channels=1 "
      "! voicelivesink name=sink session-name=%s %s endpoint=%s api-key="
      KEY "%s", name, props, emu->url, rest);
}

/* To PLAYING; fails the test if it cannot go */
static void
play (GstElement * p)
{
  fail_unless (gst_element_set_state (p, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
}

/* A 400 ms turn then @silence_ms, from @start_ms, into "in" */
static void
speak (GstElement * p, guint start_ms, guint silence_ms)
{
  fail_unless_equals_int (vl_test_push_speech (vl_test_child (p, "in"), RATE,
          start_ms, 400, silence_ms), GST_FLOW_OK);
}

static void
end_input (GstElement * p)
{
  gst_app_src_end_of_stream (GST_APP_SRC (vl_test_child (p, "in")));
}

/* ---- 1, 2: every property, every state ---- */

typedef struct
{
  GObject *obj;
  const gchar *name;
  const GValue *value;
  gboolean done;
  GMutex lock;
  GCond cond;
} SetJob;

static gpointer
set_thread (gpointer data)
{
  SetJob *job = data;

  g_object_set_property (job->obj, job->name, job->value);
  g_mutex_lock (&job->lock);
  job->done = TRUE;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->lock);
  return NULL;
}

/* Set from another thread; a set that does not return within 10 s is a
 * hang (a deadlock in set_property). */
static void
set_bounded (GObject * obj, const gchar * name, const GValue * value)
{
  SetJob job = { obj, name, value, FALSE };
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  GThread *t;

  g_mutex_init (&job.lock);
  g_cond_init (&job.cond);
  t = g_thread_new ("set-property", set_thread, &job);
  g_mutex_lock (&job.lock);
  while (!job.done && g_cond_wait_until (&job.cond, &job.lock, deadline));
  g_mutex_unlock (&job.lock);
  fail_unless (job.done, "setting %s on %s hangs", name, GST_OBJECT_NAME (obj));
  g_thread_join (t);
  g_mutex_clear (&job.lock);
  g_cond_clear (&job.cond);
}

/* A legal value other than @cur, by the ParamSpec. */
static void
other_value (GParamSpec * ps, const GValue * cur, GValue * out)
{
  GType t = G_PARAM_SPEC_VALUE_TYPE (ps);

  g_value_init (out, t);
  if (t == G_TYPE_BOOLEAN) {
    g_value_set_boolean (out, !g_value_get_boolean (cur));
  } else if (t == G_TYPE_INT) {
    GParamSpecInt *p = G_PARAM_SPEC_INT (ps);
    gint v = g_value_get_int (cur);

    g_value_set_int (out, v < p->maximum ? v + 1 : v - 1);
  } else if (t == G_TYPE_UINT) {
    GParamSpecUInt *p = G_PARAM_SPEC_UINT (ps);
    guint v = g_value_get_uint (cur);

    g_value_set_uint (out, v < p->maximum ? v + 1 : v - 1);
  } else if (t == G_TYPE_DOUBLE) {
    GParamSpecDouble *p = G_PARAM_SPEC_DOUBLE (ps);
    gdouble mid = p->minimum + (p->maximum - p->minimum) / 2;

    g_value_set_double (out, g_value_get_double (cur) == mid ? p->minimum :
        mid);
  } else if (G_TYPE_IS_ENUM (t)) {
    GEnumClass *k = g_type_class_ref (t);
    guint i;

    for (i = 0; i < k->n_values; i++)
      if (k->values[i].value != g_value_get_enum (cur))
        break;
    fail_unless (i < k->n_values);
    g_value_set_enum (out, k->values[i].value);
    g_type_class_unref (k);
  } else if (G_TYPE_IS_FLAGS (t)) {
    GFlagsClass *k = g_type_class_ref (t);
    guint first = k->values[0].value;

    g_value_set_flags (out, g_value_get_flags (cur) != first ? first : k->mask);
    g_type_class_unref (k);
  } else if (t == G_TYPE_STRING) {
    /* Values with a syntax of their own; any other string is legal. */
    if (strcmp (ps->name, "tools") == 0)
      g_value_set_string (out, "[]");
    else if (strcmp (ps->name, "tool-choice") == 0)
      g_value_set_string (out, "none");
    else
      g_value_set_string (out, "gst-voicelive-test");
  } else {
    fail ("no other value for %s of type %s", ps->name, g_type_name (t));
  }
}

/* A warning on @bus from @obj naming property @name. */
static gboolean
refused_with_warning (GstBus * bus, GObject * obj, const gchar * name)
{
  GstMessage *m;
  gboolean found = FALSE;

  while ((m = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING))) {
    GError *err = NULL;

    gst_message_parse_warning (m, &err, NULL);
    if (GST_MESSAGE_SRC (m) == GST_OBJECT (obj) && err
        && strstr (err->message, name))
      found = TRUE;
    g_clear_error (&err);
    gst_message_unref (m);
  }
  return found;
}

static void
check_set (GstBus * bus, GObject * obj, GParamSpec * ps, const GValue * v,
    const gchar * state)
{
  GValue got = G_VALUE_INIT;

  set_bounded (obj, ps->name, v);
  g_value_init (&got, G_PARAM_SPEC_VALUE_TYPE (ps));
  g_object_get_property (obj, ps->name, &got);
  if (G_VALUE_HOLDS_STRING (v) ? g_strcmp0 (g_value_get_string (&got),
          g_value_get_string (v)) != 0 :
      gst_value_compare (&got, v) != GST_VALUE_EQUAL) {
    gchar *want = gst_value_serialize (v), *have = gst_value_serialize (&got);

    fail_unless (refused_with_warning (bus, obj, ps->name),
        "%s.%s in %s: set to %s, reads %s, and no warning names it",
        G_OBJECT_TYPE_NAME (obj), ps->name, state, want, have);
    g_free (want);
    g_free (have);
  }
  g_value_unset (&got);
}

/* Every readable and writable property the element itself defines: to
 * its current value, to another legal value, and back. */
static void
set_every_property (GstBus * bus, GstElement * e, const gchar * state)
{
  guint n, i;
  GParamSpec **props =
      g_object_class_list_properties (G_OBJECT_GET_CLASS (e), &n);

  for (i = 0; i < n; i++) {
    GParamSpec *ps = props[i];
    GValue cur = G_VALUE_INIT, other = G_VALUE_INIT;

    if (ps->owner_type != G_OBJECT_TYPE (e)
        || (ps->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE
        || (ps->flags & G_PARAM_CONSTRUCT_ONLY))
      continue;
    g_value_init (&cur, G_PARAM_SPEC_VALUE_TYPE (ps));
    g_object_get_property (G_OBJECT (e), ps->name, &cur);
    other_value (ps, &cur, &other);
    check_set (bus, G_OBJECT (e), ps, &cur, state);
    check_set (bus, G_OBJECT (e), ps, &other, state);
    set_bounded (G_OBJECT (e), ps->name, &cur);
    g_value_unset (&cur);
    g_value_unset (&other);
  }
  g_free (props);
}

GST_START_TEST (test_every_property_in_every_state)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, NULL);
  GstElement *p = silence_new (emu, "props", "",
      "  voicelivesrc name=src session-name=props ! fakesink sync=true");
  GstBus *bus = gst_element_get_bus (p);
  GstElement *sink = vl_test_child (p, "sink"), *src = vl_test_child (p, "src");
  GstState states[] = { GST_STATE_NULL, GST_STATE_READY, GST_STATE_PAUSED,
    GST_STATE_PLAYING
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (states); i++) {
    const gchar *name = gst_element_state_get_name (states[i]);

    vl_test_set_state_wait (p, states[i]);
    if (states[i] == GST_STATE_PLAYING) {
      /* Connected (the warnings popped below would drop the bus
       * messages saying so): the session.update is on the wire. */
      GPtrArray *rec = vl_emulator_wait (emu, "client", "session.update", 1,
          20000);

      fail_unless (rec != NULL, "not connected");
      g_ptr_array_unref (rec);
    }
    gst_bus_set_flushing (bus, FALSE);
    set_every_property (bus, sink, name);
    set_every_property (bus, src, name);
  }
  vl_test_stop_pipeline (p);
  gst_object_unref (bus);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* session-name and is-live set in READY are what the elements use. */
GST_START_TEST (test_ready_changes_are_used)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, NULL);
  GstElement *p = vl_test_pipeline_new_pair (RATE, "session-name=before-a "
      "sync=false endpoint=%s api-key=" KEY "  voicelivesrc name=src "
      "session-name=before-b is-live=true ! appsink name=out sync=false "
      "wait-on-eos=false", emu->url);
  GstBus *bus = gst_element_get_bus (p);
  GByteArray *out = g_byte_array_new ();
  GPtrArray *rec;

  vl_test_set_state_wait (p, GST_STATE_READY);
  g_object_set (vl_test_child (p, "sink"), "session-name", "after", NULL);
  g_object_set (vl_test_child (p, "src"), "session-name", "after", "is-live",
      FALSE, NULL);
  play (p);
  speak (p, 0, 900);
  end_input (p);
  /* Paired by the new name, and not live: the pipeline ends by itself. */
  vl_test_wait_eos (bus, 30000);
  drain_appsink (vl_test_child (p, "out"), out);
  assert_answer (out->data, out->len, 1);
  fail_unless_equals_uint64 (out->len, RATE * 2 * 1200 / 1000);
  rec = vl_emulator_record (emu);
  fail_unless_equals_int (vl_rec_count (rec, "server", "session.created"), 1);
  g_ptr_array_unref (rec);
  vl_test_stop_pipeline (p);
  gst_object_unref (bus);
  g_byte_array_unref (out);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* ---- 4: answer audio is bounded ---- */

/* Peak RSS (KiB) of gst-launch-1.0 running a sink-only pipeline over
 * @wav against an emulator whose answers are @reply_ms long. */
static glong
sink_only_peak_rss (const gchar * wav, const gchar * reply_ms, guint turns)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, "--reply-ms",
      reply_ms, NULL);
  gchar *location = g_strdup_printf ("location=%s", wav);
  gchar *endpoint = g_strdup_printf ("endpoint=%s", emu->url);
  gchar *argv[] = { (gchar *) "gst-launch-1.0", (gchar *) "-q",
    (gchar *) "filesrc", location, (gchar *) "!", (gchar *) "wavparse",
    (gchar *) "!", (gchar *) "voicelivesink", endpoint,
    (gchar *) "api-key=" KEY, (gchar *) "session-name=rss", NULL
  };
  struct rusage ru;
  gint status = 0;
  GPtrArray *rec;

  fail_unless (vl_test_run_child (argv, 120000, &status, &ru),
      "gst-launch-1.0 did not end");
  fail_unless (WIFEXITED (status) && WEXITSTATUS (status) == 0,
      "gst-launch-1.0 failed (%d)", status);
  /* Every turn was answered in full. */
  rec = vl_emulator_record (emu);
  fail_unless_equals_int (vl_rec_count (rec, "server", "response.done"), turns);
  g_ptr_array_unref (rec);
  vl_emulator_stop (emu);
  g_free (location);
  g_free (endpoint);
  return ru.ru_maxrss;
}

/* A pipeline with a sink and no src (transcripts and calls only): long
 * answers must not pile up in memory. Measured on gst-launch-1.0, so that
 * only the pipeline's own memory counts. */
GST_START_TEST (test_sink_only_keeps_no_answer_audio)
{
  gchar *wav = vl_test_write_speech_wav (RATE, 3, 400, 900);
  glong short_kib, long_kib;

  /* The sanitizers keep freed memory in quarantine and the valgrind setup
   * changes GLib's allocator: RSS means nothing there. */
  if (leak_checked () || g_getenv ("TSAN_OPTIONS")) {
    g_unlink (wav);
    g_free (wav);
    return;
  }
  short_kib = sink_only_peak_rss (wav, "500", 3);
  /* A 60 s answer is 2.7 MiB of PCM (and a new turn while one is queued
   * drops it: barge-in) */
  long_kib = sink_only_peak_rss (wav, "60000", 3);
  GST_INFO ("peak RSS: %ld KiB with short answers, %ld KiB with long ones",
      short_kib, long_kib);
  fail_unless (long_kib < short_kib + 1536, "peak RSS %ld KiB with long "
      "answers, %ld KiB with short ones", long_kib, short_kib);
  g_unlink (wav);
  g_free (wav);
}

GST_END_TEST;

/* A src that is not playing keeps at most max-queue-ms, drops the rest
 * with one warning, and plays what it kept once it plays. */
GST_START_TEST (test_src_not_playing_is_bounded)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, "--reply-ms",
      "10000", NULL);
  GstElement *a = pair_new (emu, "bounded", "", NULL);
  /* Attached (READY), not playing */
  GstElement *b = src_ready ("bounded", "is-live=false max-queue-ms=1000 ! "
      "audio/x-raw,rate=24000 ! appsink name=out sync=false "
      "wait-on-eos=false");
  GstBus *bus_b = gst_element_get_bus (b);
  GByteArray *out = g_byte_array_new ();
  guint64 dropped;
  GstMessage *m;
  GPtrArray *rec;
  guint warnings = 0;

  play (a);
  speak (a, 0, 900);
  rec = vl_emulator_wait (emu, "server", "response.done", 1, 30000);
  fail_unless (rec != NULL);
  g_ptr_array_unref (rec);
  /* The record line comes before the client read the frame. */
  fail_unless (vl_test_wait_stat_u64 (vl_test_child (a, "sink"),
          "output-ms-dropped", 9000, 10000));
  dropped =
      vl_test_get_stat_u64 (vl_test_child (a, "sink"), "output-ms-dropped");
  fail_unless (dropped >= 9000
      && dropped <= 9000 + 100, "dropped %" G_GUINT64_FORMAT " ms", dropped);
  while ((m = gst_bus_pop_filtered (bus_b, GST_MESSAGE_WARNING))) {
    GError *err = NULL;

    gst_message_parse_warning (m, &err, NULL);
    fail_unless (strstr (err->message, "max-queue-ms") != NULL, "%s",
        err->message);
    warnings++;
    g_clear_error (&err);
    gst_message_unref (m);
  }
  fail_unless_equals_int (warnings, 1);

  /* Now it plays: the first second of answer 1, as kept. */
  play (b);
  end_input (a);
  vl_test_wait_eos (bus_b, 30000);
  drain_appsink (vl_test_child (b, "out"), out);
  /* What was not kept was dropped, and counted so. */
  fail_unless (out->len > 0 && out->len <= RATE * 2);
  fail_unless_equals_uint64 (dropped,
      (10000 * RATE * 2 / 1000 - out->len) * 1000 / (RATE * 2));
  assert_answer (out->data, out->len, 1);
  vl_test_stop_pipeline (a);
  vl_test_stop_pipeline (b);
  gst_object_unref (bus_b);
  g_byte_array_unref (out);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* ---- 5, 7: session lifetimes ---- */

typedef struct
{
  GstElement *src;
  volatile gint stop;
} Hammer;

static gpointer
clear_output_thread (gpointer data)
{
  Hammer *h = data;
  gboolean acted;

  while (!g_atomic_int_get (&h->stop))
    g_signal_emit_by_name (h->src, "clear-output", &acted);
  return NULL;
}

/* clear-output from another thread while the src takes and lets go of
 * its session: the sanitizer runs see any use after free. */
GST_START_TEST (test_clear_output_during_state_changes)
{
  GstElement *src = gst_element_factory_make ("voicelivesrc", NULL);
  Hammer h = { src, 0 };
  GThread *t;
  guint i, n = under_valgrind ()? 20 : 300;

  g_object_set (src, "session-name", "hammer", "pair-timeout", 0, NULL);
  t = g_thread_new ("clear-output", clear_output_thread, &h);
  for (i = 0; i < n; i++) {
    fail_unless_equals_int (gst_element_set_state (src, GST_STATE_READY),
        GST_STATE_CHANGE_SUCCESS);
    fail_unless_equals_int (gst_element_set_state (src, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
  }
  g_atomic_int_set (&h.stop, 1);
  g_thread_join (t);
  gst_object_unref (src);
}

GST_END_TEST;

/* An element dropped in READY (without going to NULL) lets go of its
 * session: the name is free again. */
GST_START_TEST (test_dispose_without_null_releases)
{
  const gchar *factories[] = { "voicelivesink", "voicelivesrc" };
  guint i;

  /* GStreamer itself leaks an element disposed outside NULL (its pads):
   * this runs where leaks are not checked, the plain run. */
  if (leak_checked ())
    return;

  for (i = 0; i < G_N_ELEMENTS (factories); i++) {
    GstElement *e = gst_element_factory_make (factories[i], NULL);
    GstElement *again = gst_element_factory_make (factories[i], NULL);

    g_object_set (e, "session-name", "dropped", NULL);
    g_object_set (again, "session-name", "dropped", NULL);
    if (i == 0) {
      g_object_set (e, "endpoint", "ws://127.0.0.1:9", NULL);
      g_object_set (again, "endpoint", "ws://127.0.0.1:9", NULL);
    }
    fail_unless_equals_int (gst_element_set_state (e, GST_STATE_READY),
        GST_STATE_CHANGE_SUCCESS);
    /* GStreamer complains about disposing a non-NULL element; the
     * plugin must not keep a pointer to it anyway. */
    ASSERT_CRITICAL (gst_object_unref (e));
    fail_unless_equals_int (gst_element_set_state (again, GST_STATE_READY),
        GST_STATE_CHANGE_SUCCESS);
    fail_unless_equals_int (gst_element_set_state (again, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
    gst_object_unref (again);
  }
}

GST_END_TEST;

/* ---- 6: runtime changes apply in order ---- */

typedef struct
{
  GMutex lock;
  GCond cond;
  GThread *blocked;             /* the thread held in the log hook */
  gboolean in_hook;
  gboolean other_done;
} OrderHook;

static OrderHook order;

/* Holds the thread that changes "instructions" right after it made its
 * snapshot, until the other change is done (or 1 s passed: with the fix
 * the other change waits for this one). */
static void
order_log (GstDebugCategory * cat, GstDebugLevel level, const gchar * file,
    const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  const gchar *text = gst_debug_message_get (message);
  gint64 deadline;

  if (!text || !g_str_has_prefix (text, "instructions changed while"))
    return;
  g_mutex_lock (&order.lock);
  if (order.blocked) {
    g_mutex_unlock (&order.lock);
    return;
  }
  order.blocked = g_thread_self ();
  order.in_hook = TRUE;
  g_cond_broadcast (&order.cond);
  deadline = g_get_monotonic_time () + G_TIME_SPAN_SECOND;
  while (!order.other_done
      && g_cond_wait_until (&order.cond, &order.lock, deadline));
  g_mutex_unlock (&order.lock);
}

static gpointer
set_instructions (gpointer sink)
{
  g_object_set (sink, "instructions", "final instructions", NULL);
  return NULL;
}

static gpointer
set_voice (gpointer sink)
{
  g_object_set (sink, "voice", "final-voice", NULL);
  g_mutex_lock (&order.lock);
  order.other_done = TRUE;
  g_cond_broadcast (&order.cond);
  g_mutex_unlock (&order.lock);
  return NULL;
}

GST_START_TEST (test_runtime_changes_apply_in_order)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY,
      "--drop-after-responses", "1", "--max-drops", "1", NULL);
  GstElement *p = silence_new (emu, "order",
      "voice=first-voice instructions=first", "");
  GstBus *bus = gst_element_get_bus (p);
  GstElement *sink = vl_test_child (p, "sink");
  GThread *t1, *t2;
  GPtrArray *rec;
  JsonNode *l;
  JsonObject *session = NULL, *voice;
  gboolean ok;
  gint64 deadline;

  g_mutex_init (&order.lock);
  g_cond_init (&order.cond);
  play (p);
  vl_test_wait_message (bus, "voicelive/session-updated", 20000);

  gst_debug_set_active (TRUE);
  gst_debug_set_threshold_for_name ("voicelivesink", GST_LEVEL_DEBUG);
  gst_debug_add_log_function (order_log, NULL, NULL);
  t1 = g_thread_new ("instructions", set_instructions, sink);
  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  g_mutex_lock (&order.lock);
  while (!order.in_hook
      && g_cond_wait_until (&order.cond, &order.lock, deadline));
  g_mutex_unlock (&order.lock);
  fail_unless (order.in_hook, "the runtime change was not logged");
  t2 = g_thread_new ("voice", set_voice, sink);
  g_thread_join (t1);
  g_thread_join (t2);
  gst_debug_remove_log_function (order_log);
  gst_debug_set_threshold_for_name ("voicelivesink", GST_LEVEL_NONE);

  /* A response, then the emulator drops the connection: the reconnect's
   * full session.update shows what the session holds. */
  g_signal_emit_by_name (sink, "create-response", NULL, &ok);
  fail_unless (ok);
  rec = vl_emulator_wait (emu, "client", "session.update", 1, 20000);
  g_ptr_array_unref (rec);
  rec = NULL;
  VL_TEST_POLL_UNTIL ((l = vl_emulator_reread_find (emu, &rec, "server",
              "session.created", 1))
      && (session = vl_rec_session_update_of_conn (rec, l)), 20, 20000);
  fail_unless (session != NULL, "no session.update after the reconnect");
  fail_unless_equals_string (json_object_get_string_member (session,
          "instructions"), "final instructions");
  voice = json_object_get_object_member (session, "voice");
  fail_unless_equals_string (json_object_get_string_member (voice, "name"),
      "final-voice");
  g_ptr_array_unref (rec);
  vl_test_stop_pipeline (p);
  gst_object_unref (bus);
  g_mutex_clear (&order.lock);
  g_cond_clear (&order.cond);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* ---- 8: end of stream ---- */

typedef struct
{
  GstElement *p;
  GstState state;
  GstStateChangeReturn ret;
  gboolean done;
} StateJob;

static gpointer
state_thread (gpointer data)
{
  StateJob *j = data;

  j->ret = gst_element_set_state (j->p, j->state);
  g_atomic_int_set (&j->done, TRUE);
  return NULL;
}

/* A state change that does not return within 10 s is stuck. */
static void
set_state_bounded (GstElement * p, GstState state)
{
  StateJob j = { p, state, GST_STATE_CHANGE_FAILURE, FALSE };
  GThread *t = g_thread_new ("set-state", state_thread, &j);
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  while (!g_atomic_int_get (&j.done) && g_get_monotonic_time () < deadline)
    g_usleep (10000);
  fail_unless (g_atomic_int_get (&j.done), "going to %s blocks",
      gst_element_state_get_name (state));
  g_thread_join (t);
  fail_unless (j.ret != GST_STATE_CHANGE_FAILURE);
}

/* Pausing while the end of stream waits for the answer: the pause is not
 * held up, and the answer is played whole once the pipeline plays. */
GST_START_TEST (test_pause_during_drain)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, "--realtime",
      "--reply-ms", "3000", NULL);
  GstElement *p = pair_new (emu, "pause", "drain-timeout=60000",
      "is-live=false");
  GstBus *bus = gst_element_get_bus (p);
  GByteArray *out = g_byte_array_new ();

  play (p);
  speak (p, 0, 900);
  end_input (p);
  vl_test_wait_message (bus, "voicelive/response-started", 30000);
  set_state_bounded (p, GST_STATE_PAUSED);
  g_usleep (500000);
  set_state_bounded (p, GST_STATE_PLAYING);
  vl_test_wait_eos (bus, 30000);
  drain_appsink (vl_test_child (p, "out"), out);
  fail_unless_equals_uint64 (out->len, 3000 * RATE * 2 / 1000);
  assert_answer (out->data, out->len, 1);
  vl_test_stop_pipeline (p);
  gst_object_unref (bus);
  g_byte_array_unref (out);
  vl_emulator_stop (emu);
}

GST_END_TEST;

typedef struct
{
  GstHarness *h;
  gboolean done;
} EosJob;

static gpointer
eos_thread (gpointer data)
{
  EosJob *j = data;

  gst_harness_push_event (j->h, gst_event_new_eos ());
  g_atomic_int_set (&j->done, TRUE);
  return NULL;
}

static void
push_harness_audio (GstHarness * h, GstBuffer * buf, GstClockTime pts)
{
  GST_BUFFER_PTS (buf) = pts;
  GST_BUFFER_DURATION (buf) =
      gst_util_uint64_scale (gst_buffer_get_size (buf) / 2, GST_SECOND, RATE);
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
}

static void
push_new_segment (GstHarness * h)
{
  GstSegment seg;

  gst_segment_init (&seg, GST_FORMAT_TIME);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
}

/* A flush while the end of stream waits: the answer is not cut on the
 * src, input from before the flush is not sent after it, and the next
 * end of stream ends the output with both answers whole. */
GST_START_TEST (test_flush_during_drain)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, "--realtime",
      "--reply-ms", "2000", NULL);
  GstElement *b =
      vl_test_pipeline_new ("voicelivesrc session-name=flush is-live=false "
      "barge-in=false ! appsink name=out sync=false wait-on-eos=false");
  GstBus *bus = gst_element_get_bus (b);
  GstBus *hbus = gst_bus_new ();
  GstElement *sink = gst_element_factory_make ("voicelivesink", NULL);
  GstHarness *h;
  GByteArray *out = g_byte_array_new ();
  EosJob j = { NULL, FALSE };
  GThread *t;
  GPtrArray *rec;
  GByteArray *sent;
  GstBuffer *tail;
  GstMapInfo map;

  g_object_set (sink, "session-name", "flush", "sync", FALSE,
      "endpoint", emu->url, "api-key", KEY, "drain-timeout", 60000, NULL);
  gst_element_set_bus (sink, hbus);
  h = gst_harness_new_with_element (sink, "sink", NULL);
  gst_object_unref (sink);
  j.h = h;
  play (b);
  gst_harness_set_src_caps_str (h, "audio/x-raw,format=S16LE,channels=1,"
      "rate=24000,layout=interleaved");
  push_harness_audio (h, speech (400, 900), 0);
  t = g_thread_new ("eos", eos_thread, &j);
  vl_test_wait_message (hbus, "voicelive/response-started", 30000);

  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  g_thread_join (t);
  fail_unless (g_atomic_int_get (&j.done));
  push_new_segment (h);
  /* 30 ms (quiet: the VAD must not take it for a turn): 20 ms go out as a
   * chunk, 10 ms wait in the adapter ... */
  tail = quiet (30);
  push_harness_audio (h, gst_buffer_ref (tail), 0);
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  push_new_segment (h);
  /* The first answer goes on to its end, unaffected. */
  vl_test_wait_message (hbus, "voicelive/response-done", 30000);
  /* ... and are forgotten by the flush. A second turn, then the end. */
  push_harness_audio (h, speech (400, 900), 0);
  t = g_thread_new ("eos", eos_thread, &j);
  vl_test_wait_eos (bus, 60000);
  g_thread_join (t);
  drain_appsink (vl_test_child (b, "out"), out);
  fail_unless_equals_uint64 (out->len, 2 * 2000 * RATE * 2 / 1000);
  assert_answer (out->data, out->len / 2, 1);
  assert_answer (out->data + out->len / 2, out->len / 2, 2);

  /* On the wire after the first turn: the first 20 ms of the tail, then
   * the second turn, never the tail's last 10 ms. */
  rec = vl_emulator_record (emu);
  sent = vl_rec_appended_audio (rec, 1);
  gst_buffer_map (tail, &map, GST_MAP_READ);
  {
    gsize turn = RATE * 2 * 1300 / 1000, trail;
    GstBuffer *second = speech (400, 900);
    GstMapInfo m2;

    /* turn 1 + its trailing silence (silence-duration 500 + 500 ms) */
    trail = RATE * 2 * 1000 / 1000;
    fail_unless (sent->len >= turn + trail + 960 + turn);
    fail_unless (memcmp (sent->data + turn + trail, map.data, 960) == 0,
        "the tail's first chunk is not where expected");
    gst_buffer_map (second, &m2, GST_MAP_READ);
    fail_unless (memcmp (sent->data + turn + trail + 960, m2.data,
            m2.size) == 0, "pre-flush input was sent after the flush");
    gst_buffer_unmap (second, &m2);
    gst_buffer_unref (second);
  }
  gst_buffer_unmap (tail, &map);
  gst_buffer_unref (tail);
  g_byte_array_unref (sent);
  g_ptr_array_unref (rec);

  /* Queued messages hold the sink, which holds the bus. */
  gst_bus_set_flushing (hbus, TRUE);
  gst_harness_teardown (h);
  vl_test_stop_pipeline (b);
  gst_object_unref (hbus);
  gst_object_unref (bus);
  g_byte_array_unref (out);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* Manual turns: the end of stream arrives while a response runs. The
 * response.create of the last turn waits for it (no "already has an
 * active response"), and the drain ends on its answer, not its timeout. */
GST_START_TEST (test_manual_turn_eos_waits_for_active_response)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, "--realtime",
      "--reply-ms", "2000", NULL);
  GstElement *p = pair_new (emu, "manual", "turn-detection=none",
      "is-live=false");
  GstBus *bus = gst_element_get_bus (p);
  GByteArray *out = g_byte_array_new ();
  GstMessage *m;
  GPtrArray *rec;
  gboolean ok;
  guint i;

  play (p);
  vl_test_wait_message (bus, "voicelive/session-updated", 20000);
  g_signal_emit_by_name (vl_test_child (p, "sink"), "create-response", NULL,
      &ok);
  fail_unless (ok);
  vl_test_wait_message (bus, "voicelive/response-started", 20000);
  speak (p, 0, 100);
  end_input (p);
  while ((m = vl_bus_wait (bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR |
              GST_MESSAGE_WARNING, NULL, 60000))
      && GST_MESSAGE_TYPE (m) == GST_MESSAGE_WARNING) {
    GError *err = NULL;

    gst_message_parse_warning (m, &err, NULL);
    fail ("warning: %s", err->message);
  }
  fail_unless (m != NULL && GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS,
      "no EOS: %" GST_PTR_FORMAT, m);
  gst_message_unref (m);
  rec = vl_emulator_record (emu);
  fail_unless_equals_int (vl_rec_count (rec, "server", "error"), 0);
  fail_unless_equals_int (vl_rec_count (rec, "client", "response.create"), 2);
  /* The second response.create went out after the first response.done. */
  for (i = 0; i < rec->len; i++) {
    JsonNode *l = g_ptr_array_index (rec, i);

    if (g_strcmp0 (vl_rec_type (l), "response.done") == 0)
      break;
    if (l == vl_rec_find (rec, "client", "response.create", 1))
      fail ("response.create sent while a response was active");
  }
  g_ptr_array_unref (rec);
  drain_appsink (vl_test_child (p, "out"), out);
  fail_unless_equals_uint64 (out->len, 2 * 2000 * RATE * 2 / 1000);
  vl_test_stop_pipeline (p);
  gst_object_unref (bus);
  g_byte_array_unref (out);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* ---- 10: item ids the service sends are sent back as they were ---- */

GST_START_TEST (test_truncate_item_id_round_trip)
{
  const gchar *item_id = "it\"em\\ \xc3\xbc\xe2\x82\xac \t/end";
  GBytes *audio = vl_expected_answer (9, RATE, RATE, "pcm16");
  gchar *b64 = g_base64_encode (g_bytes_get_data (audio, NULL),
      g_bytes_get_size (audio));
  gchar *script_path, *script;
  JsonBuilder *jb = json_builder_new ();
  JsonNode *root;
  VlEmulator *emu;
  GstElement *p;
  GstBus *bus;
  GstMessage *m;
  GPtrArray *rec;
  JsonNode *line;
  gboolean acted = FALSE;

  /* A delta with that item id before the response: the src plays it. */
  json_builder_begin_object (jb);
  json_builder_set_member_name (jb, "responses");
  json_builder_begin_array (jb);
  json_builder_begin_object (jb);
  json_builder_set_member_name (jb, "events_before");
  json_builder_begin_array (jb);
  json_builder_begin_object (jb);
  json_builder_set_member_name (jb, "type");
  json_builder_add_string_value (jb, "response.audio.delta");
  json_builder_set_member_name (jb, "response_id");
  json_builder_add_string_value (jb, "resp_\"odd\"");
  json_builder_set_member_name (jb, "item_id");
  json_builder_add_string_value (jb, item_id);
  json_builder_set_member_name (jb, "delta");
  json_builder_add_string_value (jb, b64);
  json_builder_end_object (jb);
  json_builder_end_array (jb);
  json_builder_end_object (jb);
  json_builder_end_array (jb);
  json_builder_end_object (jb);
  root = json_builder_get_root (jb);
  script = json_to_string (root, FALSE);
  json_node_unref (root);
  g_object_unref (jb);
  script_path = g_build_filename (g_get_tmp_dir (), "vl-odd-ids.json", NULL);
  fail_unless (g_file_set_contents (script_path, script, -1, NULL));
  emu = vl_emulator_start ("--api-key", KEY, "--script", script_path, NULL);

  p = silence_new (emu, "odd", "", "  voicelivesrc name=src "
      "session-name=odd ! fakesink sync=true");
  bus = gst_element_get_bus (p);
  play (p);
  vl_test_wait_message (bus, "voicelive/session-updated", 20000);
  g_signal_emit_by_name (vl_test_child (p, "sink"), "create-response", NULL,
      &acted);
  m = vl_bus_wait (bus, 0, "voicelive/playback-started", 20000);
  fail_unless (m != NULL);
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (m), "item-id"), item_id);
  gst_message_unref (m);
  g_usleep (300000);
  g_signal_emit_by_name (vl_test_child (p, "src"), "clear-output", &acted);
  fail_unless (acted);

  rec = NULL;
  VL_TEST_POLL_UNTIL ((line = vl_emulator_reread_find (emu, &rec, "client",
              "conversation.item.truncate", 0)), 20, 10000);
  fail_unless (line != NULL, "no truncate recorded");
  fail_unless_equals_string (json_object_get_string_member (vl_rec_event
          (line), "item_id"), item_id);
  fail_unless (json_object_get_int_member (vl_rec_event (line),
          "audio_end_ms") > 0);
  g_ptr_array_unref (rec);

  vl_test_stop_pipeline (p);
  gst_object_unref (bus);
  vl_emulator_stop (emu);
  g_unlink (script_path);
  g_free (script_path);
  g_free (script);
  g_free (b64);
  g_bytes_unref (audio);
}

GST_END_TEST;

/* ---- 11: smaller ones ---- */

/* Not live: downstream prerolls on a GAP event; no empty buffer. */
GST_START_TEST (test_non_live_pushes_no_empty_buffer)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, NULL);
  GstElement *p = pair_new (emu, "empty", "", "is-live=false");
  GstBus *bus = gst_element_get_bus (p);
  GstSample *sample;
  guint buffers = 0;

  play (p);
  speak (p, 0, 900);
  end_input (p);
  vl_test_wait_eos (bus, 30000);
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (vl_test_child (p,
                      "out")), 0))) {
    GstBuffer *b = gst_sample_get_buffer (sample);

    fail_unless (gst_buffer_get_size (b) > 0, "buffer %u is empty", buffers);
    fail_if (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP));
    buffers++;
    gst_sample_unref (sample);
  }
  fail_unless (buffers > 0);
  vl_test_stop_pipeline (p);
  gst_object_unref (bus);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* Two answers queued before the src plays either: each one's
 * first-audio-to-playback is measured from its own first audio. */
GST_START_TEST (test_turn_metrics_per_response)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, NULL);
  GstElement *a = pair_new (emu, "metrics", "", NULL);
  GstElement *b = src_ready ("metrics", "is-live=false barge-in=false ! "
      "appsink sync=false wait-on-eos=false");
  GstBus *bus = gst_element_get_bus (a);
  GPtrArray *rec;
  GstMessage *m;
  gint64 first = -1, second = -1;
  guint n = 0;

  play (a);
  speak (a, 0, 900);
  rec = vl_emulator_wait (emu, "server", "response.done", 1, 30000);
  g_ptr_array_unref (rec);
  /* The first answer waits 1.5 s before the second one arrives. */
  g_usleep (1500000);
  speak (a, 1300, 900);
  rec = vl_emulator_wait (emu, "server", "response.done", 2, 30000);
  g_ptr_array_unref (rec);
  g_usleep (200000);
  play (b);
  while (n < 2 && (m = vl_bus_wait (bus, 0, "voicelive/turn-metrics", 20000))) {
    gint64 v;

    fail_unless (gst_structure_get_int64 (gst_message_get_structure (m),
            "first-audio-to-playback-ms", &v));
    if (n++ == 0)
      first = v;
    else
      second = v;
    gst_message_unref (m);
  }
  fail_unless_equals_int (n, 2);
  /* The first answer's audio waited at least the 1.5 s before the second
   * turn; measured from the second answer's arrival it would not. */
  fail_unless (first >= 1500, "first %" G_GINT64_FORMAT " ms", first);
  fail_unless (second >= 0 && second < first, "second %" G_GINT64_FORMAT,
      second);
  vl_test_stop_pipeline (a);
  vl_test_stop_pipeline (b);
  gst_object_unref (bus);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* The session outlives the sink's run while a src holds it: the sink's
 * next run starts from zero (its stats) and without the first run's
 * update-session JSON. */
GST_START_TEST (test_restart_forgets_the_last_run)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", KEY, NULL);
  GstElement *p = pair_new (emu, "restart", "", NULL);
  GstElement *b = src_ready ("restart", "! fakesink");
  GstElement *sink = vl_test_child (p, "sink");
  GstBus *bus = gst_element_get_bus (p);
  GPtrArray *rec;
  JsonObject *session;
  gboolean ok;
  guint run;

  for (run = 0; run < 2; run++) {
    JsonNode *created;

    play (p);
    vl_test_wait_message (bus, "voicelive/session-updated", 20000);
    if (run == 0) {
      g_signal_emit_by_name (sink, "update-session",
          "{\"instructions\":\"only the first run\"}", &ok);
      fail_unless (ok);
    }
    speak (p, 0, 900);
    rec = vl_emulator_wait (emu, "server", "response.done", run + 1, 30000);
    fail_unless (rec != NULL);
    g_ptr_array_unref (rec);
    g_usleep (200000);
    fail_unless_equals_uint64 (vl_test_get_stat_u64 (sink, "responses"), 1);
    vl_test_set_state_wait (p, GST_STATE_NULL);

    rec = vl_emulator_record (emu);
    created = vl_rec_find (rec, "server", "session.created", run);
    fail_unless (created != NULL);
    session = vl_rec_session_update_of_conn (rec, created);
    fail_unless (session != NULL);
    /* The first run's full update was sent before update-session. */
    fail_if (json_object_has_member (session, "instructions"));
    g_ptr_array_unref (rec);
  }
  vl_test_stop_pipeline (p);
  vl_test_stop_pipeline (b);
  gst_object_unref (bus);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static Suite *
voicelive_correctness_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("voicelive-correctness", 0, &tc);

  tcase_add_test (tc, test_every_property_in_every_state);
  tcase_add_test (tc, test_ready_changes_are_used);
  tcase_add_test (tc, test_sink_only_keeps_no_answer_audio);
  tcase_add_test (tc, test_src_not_playing_is_bounded);
  tcase_add_test (tc, test_clear_output_during_state_changes);
  tcase_add_test (tc, test_dispose_without_null_releases);
  tcase_add_test (tc, test_runtime_changes_apply_in_order);
  tcase_add_test (tc, test_pause_during_drain);
  tcase_add_test (tc, test_flush_during_drain);
  tcase_add_test (tc, test_manual_turn_eos_waits_for_active_response);
  tcase_add_test (tc, test_truncate_item_id_round_trip);
  tcase_add_test (tc, test_non_live_pushes_no_empty_buffer);
  tcase_add_test (tc, test_turn_metrics_per_response);
  tcase_add_test (tc, test_restart_forgets_the_last_run);
  return s;
}

GST_CHECK_MAIN (voicelive_correctness);
