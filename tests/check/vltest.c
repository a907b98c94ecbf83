/* gst-voicelive test helpers: the emulator and its record, polling,
 * pipelines, test audio, suites. Runs in the test's thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <execinfo.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>
#include "vltest.h"
#include "vl-emulator-audio.h"

/* A test that crashes (seen at teardown, on a library's thread) prints
 * the crashing thread's stack: a CI log is all there is afterwards.
 * Not in sanitizer builds: their own handlers report crashes better. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define VL_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define VL_SANITIZED 1
#endif

/* The emulators this test process runs, for a test that fails or
 * crashes before vl_emulator_stop (): check's fork child exits there
 * (atexit) or dies of a signal, and the emulator would outlive it. */
#define MAX_EMULATORS 32
static volatile pid_t running_emulators[MAX_EMULATORS];

static void
emulators_track (pid_t pid, gboolean running)
{
  guint i;

  for (i = 0; i < MAX_EMULATORS; i++) {
    if (running && running_emulators[i] == 0) {
      running_emulators[i] = pid;
      return;
    }
    if (!running && running_emulators[i] == pid) {
      running_emulators[i] = 0;
      return;
    }
  }
}

/* async-signal-safe: kill() only */
static void
emulators_kill (void)
{
  guint i;

  for (i = 0; i < MAX_EMULATORS; i++)
    if (running_emulators[i] > 0)
      kill (running_emulators[i], SIGTERM);
}

/* Reaps @pid, which was sent SIGTERM: bounded (5 s), then SIGKILL */
static void
emulator_reap (pid_t pid)
{
  pid_t r = 0;
  gint i;

  for (i = 0; i < 500; i++) {
    r = waitpid (pid, NULL, WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR))
      return;
    g_usleep (10000);
  }
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
}

static void
emulators_stop_at_exit (void)
{
  guint i;

  emulators_kill ();
  for (i = 0; i < MAX_EMULATORS; i++) {
    if (running_emulators[i] > 0)
      emulator_reap (running_emulators[i]);
    running_emulators[i] = 0;
  }
}

#ifndef VL_SANITIZED
static void
crash_backtrace (int sig)
{
  static const char head[] =
      "\nvltest: fatal signal in the test; the crashing thread's stack:\n";
  void *frames[64];
  int n, ignored G_GNUC_UNUSED;

  /* async-signal-safe from here: write(), and backtrace() once loaded */
  ignored = write (2, head, sizeof (head) - 1);
  n = backtrace (frames, G_N_ELEMENTS (frames));
  backtrace_symbols_fd (frames, n, 2);
  ignored = write (2, "vltest: end of stack\n", 21);
  emulators_kill ();
  /* SA_RESETHAND restored the default: the test still dies of it */
  raise (sig);
}

static void crash_backtrace_install (void) __attribute__((constructor));

static void
crash_backtrace_install (void)
{
  static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };
  struct sigaction sa;
  void *frame;
  guint i;

  /* valgrind reports crashes itself; and with libgcc_s loaded this early
   * its leak reports lost their symbols, so suppressions missed */
  if (g_getenv ("VL_UNDER_VALGRIND"))
    return;
  /* The first backtrace() loads libgcc_s (malloc): here, not in a crash */
  backtrace (&frame, 1);
  memset (&sa, 0, sizeof (sa));
  sa.sa_handler = crash_backtrace;
  sa.sa_flags = SA_RESETHAND | SA_NODEFER;
  sigemptyset (&sa.sa_mask);
  for (i = 0; i < G_N_ELEMENTS (sigs); i++)
    sigaction (sigs[i], &sa, NULL);
}
#endif

VlEmulator *
vl_emulator_start (const gchar * first_arg, ...)
{
  VlEmulator *emu = g_new0 (VlEmulator, 1);
  GPtrArray *argv = g_ptr_array_new ();
  GError *err = NULL;
  gint out_fd = -1;
  GString *line = g_string_new (NULL);
  gint64 deadline;
  const gchar *arg;
  va_list ap;

  emu->dir = g_dir_make_tmp ("vltest-XXXXXX", &err);
  fail_unless (emu->dir != NULL, "tmp dir: %s", err ? err->message : "");
  emu->record_path = g_build_filename (emu->dir, "record.jsonl", NULL);

  /* VL_EMULATOR overrides the built one (e.g. a build of another tree) */
  g_ptr_array_add (argv, (gpointer) (g_getenv ("VL_EMULATOR") ?
          g_getenv ("VL_EMULATOR") : VL_EMULATOR_PATH));
  g_ptr_array_add (argv, (gpointer) "--record");
  g_ptr_array_add (argv, emu->record_path);
  va_start (ap, first_arg);
  for (arg = first_arg; arg; arg = va_arg (ap, const gchar *))
      g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  fail_unless (g_spawn_async_with_pipes (NULL, (gchar **) argv->pdata, NULL,
          G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &emu->pid, NULL, &out_fd,
          NULL, &err), "spawn emulator: %s", err ? err->message : "");
  g_ptr_array_free (argv, TRUE);
  {
    static gsize once;

    if (g_once_init_enter (&once)) {
      atexit (emulators_stop_at_exit);
      g_once_init_leave (&once, 1);
    }
  }
  emulators_track (emu->pid, TRUE);

  /* Read the URL line, bounded. */
  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (TRUE) {
    struct pollfd pfd = { out_fd, POLLIN, 0 };
    gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
    gchar c;
    gssize r;

    fail_unless (left > 0, "emulator did not print its URL within 10 s");
    if (poll (&pfd, 1, (gint) left) <= 0)
      continue;
    r = read (out_fd, &c, 1);
    fail_unless (r == 1, "emulator exited before printing its URL");
    if (c == '\n')
      break;
    g_string_append_c (line, c);
  }
  close (out_fd);
  fail_unless (g_str_has_prefix (line->str, "ws://127.0.0.1:")
      || g_str_has_prefix (line->str, "wss://127.0.0.1:"),
      "unexpected emulator output: %s", line->str);
  emu->url = g_string_free (line, FALSE);
  return emu;
}

void
vl_emulator_stop (VlEmulator * emu)
{
  if (!emu)
    return;
  kill (emu->pid, SIGTERM);
  emulator_reap (emu->pid);
  emulators_track (emu->pid, FALSE);
  g_spawn_close_pid (emu->pid);
  g_unlink (emu->record_path);
  g_rmdir (emu->dir);
  g_free (emu->record_path);
  g_free (emu->dir);
  g_free (emu->url);
  g_free (emu);
}

GPtrArray *
vl_emulator_record (VlEmulator * emu)
{
  GPtrArray *rec = g_ptr_array_new_with_free_func ((GDestroyNotify)
      json_node_unref);
  gchar *contents = NULL;
  gchar **lines;
  guint i;

  if (!g_file_get_contents (emu->record_path, &contents, NULL, NULL))
    return rec;
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i]; i++) {
    JsonNode *n;

    /* The last line may still be being written. */
    if (!*lines[i] || !lines[i + 1])
      continue;
    n = json_from_string (lines[i], NULL);
    if (n && JSON_NODE_HOLDS_OBJECT (n))
      g_ptr_array_add (rec, n);
    else if (n)
      json_node_unref (n);
  }
  g_strfreev (lines);
  g_free (contents);
  return rec;
}

const gchar *
vl_rec_type (JsonNode * line)
{
  return json_object_get_string_member (json_node_get_object (line), "type");
}

const gchar *
vl_rec_dir (JsonNode * line)
{
  return json_object_get_string_member (json_node_get_object (line), "dir");
}

gint64
vl_rec_conn (JsonNode * line)
{
  return json_object_get_int_member (json_node_get_object (line), "conn");
}

JsonObject *
vl_rec_event (JsonNode * line)
{
  JsonObject *o = json_node_get_object (line);

  if (!json_object_has_member (o, "event"))
    return NULL;
  return json_object_get_object_member (o, "event");
}

guint
vl_rec_count (GPtrArray * rec, const gchar * dir, const gchar * type)
{
  guint i, n = 0;

  for (i = 0; i < rec->len; i++) {
    JsonNode *l = g_ptr_array_index (rec, i);

    if ((!dir || g_strcmp0 (vl_rec_dir (l), dir) == 0)
        && (!type || g_strcmp0 (vl_rec_type (l), type) == 0))
      n++;
  }
  return n;
}

JsonNode *
vl_rec_find (GPtrArray * rec, const gchar * dir, const gchar * type, guint n)
{
  guint i;

  for (i = 0; i < rec->len; i++) {
    JsonNode *l = g_ptr_array_index (rec, i);

    if ((!dir || g_strcmp0 (vl_rec_dir (l), dir) == 0)
        && (!type || g_strcmp0 (vl_rec_type (l), type) == 0)) {
      if (n == 0)
        return l;
      n--;
    }
  }
  return NULL;
}

JsonNode *
vl_emulator_reread_find (VlEmulator * emu, GPtrArray ** rec,
    const gchar * dir, const gchar * type, guint n)
{
  if (*rec)
    g_ptr_array_unref (*rec);
  *rec = vl_emulator_record (emu);
  return vl_rec_find (*rec, dir, type, n);
}

gint
vl_rec_index (GPtrArray * rec, const gchar * dir, const gchar * type, guint n)
{
  JsonNode *l = vl_rec_find (rec, dir, type, n);
  guint i;

  for (i = 0; l && i < rec->len; i++)
    if (g_ptr_array_index (rec, i) == l)
      return i;
  return -1;
}

JsonObject *
vl_rec_session_update_of_conn (GPtrArray * rec, JsonNode * line)
{
  guint i;

  for (i = 0; i < rec->len; i++) {
    JsonNode *l = g_ptr_array_index (rec, i);

    if (vl_rec_conn (l) == vl_rec_conn (line)
        && g_strcmp0 (vl_rec_dir (l), "client") == 0
        && g_strcmp0 (vl_rec_type (l), "session.update") == 0)
      return json_object_get_object_member (vl_rec_event (l), "session");
  }
  return NULL;
}

gboolean
vl_json_text_equal (const gchar * a, const gchar * b)
{
  JsonNode *na = json_from_string (a, NULL), *nb = json_from_string (b, NULL);
  gboolean eq = na && nb && json_node_equal (na, nb);

  if (na)
    json_node_unref (na);
  if (nb)
    json_node_unref (nb);
  return eq;
}

const gchar *
vl_json_member_string (JsonObject * o, const gchar * obj, const gchar * name)
{
  JsonObject *inner = json_object_get_object_member (o, obj);

  return json_object_has_member (inner, name) ?
      json_object_get_string_member (inner, name) : NULL;
}

gboolean
vl_test_poll_step (gint64 deadline, guint interval_ms)
{
  if (g_get_monotonic_time () > deadline)
    return FALSE;
  g_usleep (interval_ms * 1000);
  return TRUE;
}

/* The record in *@rec if it has @count lines of dir/type yet */
static gboolean
record_has (VlEmulator * emu, const gchar * dir, const gchar * type,
    guint count, GPtrArray ** rec)
{
  *rec = vl_emulator_record (emu);
  if (vl_rec_count (*rec, dir, type) >= count)
    return TRUE;
  g_clear_pointer (rec, g_ptr_array_unref);
  return FALSE;
}

GPtrArray *
vl_emulator_wait (VlEmulator * emu, const gchar * dir, const gchar * type,
    guint count, guint timeout_ms)
{
  GPtrArray *rec = NULL;

  /* 20 ms: every poll reads and parses the whole record */
  VL_TEST_POLL_UNTIL (record_has (emu, dir, type, count, &rec), 20, timeout_ms);
  return rec;
}

gboolean
vl_emulator_wait_for (VlEmulator * emu, const gchar * dir,
    const gchar * type, guint count, guint timeout_ms)
{
  GPtrArray *rec = vl_emulator_wait (emu, dir, type, count, timeout_ms);

  if (!rec)
    return FALSE;
  g_ptr_array_unref (rec);
  return TRUE;
}

void
vl_emulator_use_ga_path (VlEmulator * emu)
{
  gchar *url = g_strconcat (emu->url, "/v1/realtime?model=gpt-realtime",
      NULL);

  g_free (emu->url);
  emu->url = url;
}

guint
vl_emulator_count (VlEmulator * emu, const gchar * dir, const gchar * type)
{
  GPtrArray *rec = vl_emulator_record (emu);
  guint n = vl_rec_count (rec, dir, type);

  g_ptr_array_unref (rec);
  return n;
}

GByteArray *
vl_rec_appended_audio (GPtrArray * rec, gint64 conn)
{
  GByteArray *out = g_byte_array_new ();
  guint i;

  for (i = 0; i < rec->len; i++) {
    JsonNode *l = g_ptr_array_index (rec, i);
    JsonObject *ev;
    const gchar *b64;
    guchar *data;
    gsize len;

    if (g_strcmp0 (vl_rec_dir (l), "client") != 0
        || g_strcmp0 (vl_rec_type (l), "input_audio_buffer.append") != 0
        || vl_rec_conn (l) != conn)
      continue;
    ev = vl_rec_event (l);
    b64 = json_object_get_string_member (ev, "audio");
    data = g_base64_decode (b64, &len);
    g_byte_array_append (out, data, len);
    g_free (data);
  }
  return out;
}

GstMessage *
vl_bus_wait (GstBus * bus, GstMessageType types, const gchar * element_name,
    guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;

  while (TRUE) {
    gint64 left = deadline - g_get_monotonic_time ();
    GstMessage *msg;

    if (left <= 0)
      return NULL;
    msg = gst_bus_timed_pop_filtered (bus, left * GST_USECOND,
        types | (element_name ? GST_MESSAGE_ELEMENT : 0));
    if (!msg)
      return NULL;
    if (GST_MESSAGE_TYPE (msg) & types)
      return msg;
    if (element_name && gst_message_get_structure (msg)
        && gst_structure_has_name (gst_message_get_structure (msg),
            element_name))
      return msg;
    gst_message_unref (msg);
  }
}

/* @n samples of voice @seed (times @gain) from its sample @first, the first
 * @n_voiced of them, then silence, encoded as @format; returns the size. */
static gsize
encode_voice (guint8 * data, guint seed, guint rate, guint64 first,
    guint64 n_voiced, guint64 n_samples, gint gain, const gchar * format)
{
  gboolean pcm = g_strcmp0 (format, "pcm16") == 0;
  guint64 n;

  for (n = 0; n < n_samples; n++) {
    gint16 s = n < n_voiced ? vl_emu_sample (seed, first + n, rate) * gain : 0;

    if (pcm) {
      data[2 * n] = (guint8) (s & 0xff);
      data[2 * n + 1] = (guint8) ((guint16) s >> 8);
    } else if (g_strcmp0 (format, "g711_ulaw") == 0) {
      data[n] = vl_emu_linear_to_mulaw (s);
    } else {
      data[n] = vl_emu_linear_to_alaw (s);
    }
  }
  return pcm ? n_samples * 2 : n_samples;
}

GBytes *
vl_expected_answer (guint seed, guint64 n_samples, guint rate,
    const gchar * format)
{
  guint8 *data = g_malloc (n_samples * 2);
  gsize size = encode_voice (data, seed, rate, 0, n_samples, n_samples, 1,
      format);

  return g_bytes_new_take (data, size);
}

GstBuffer *
vl_test_speech (guint seed, guint rate, guint64 first, guint n_voiced,
    guint n, const gchar * format)
{
  guint8 *data = g_malloc (n * 2);
  gsize size = encode_voice (data, seed, rate, first, n_voiced, n, 2, format);

  return gst_buffer_new_wrapped (data, size);
}

GstFlowReturn
vl_test_push_speech (GstElement * appsrc, guint rate, guint start_ms,
    guint speech_ms, guint silence_ms)
{
  guint per = rate / 100, t;
  GstFlowReturn ret = GST_FLOW_OK;

  for (t = 0; t < speech_ms + silence_ms && ret == GST_FLOW_OK; t += 10) {
    GstBuffer *b = vl_test_speech (7, rate, (guint64) t * per / 10,
        t < speech_ms ? per : 0, per, "pcm16");

    GST_BUFFER_PTS (b) = (start_ms + t) * GST_MSECOND;
    GST_BUFFER_DURATION (b) = 10 * GST_MSECOND;
    ret = gst_app_src_push_buffer (GST_APP_SRC (appsrc), b);
  }
  return ret;
}

void
vl_test_assert_answer (const guint8 * data, gsize len, guint seed,
    guint64 n_samples, guint rate, const gchar * format)
{
  GBytes *expected = vl_expected_answer (seed, n_samples, rate, format);

  fail_unless_equals_int (len, g_bytes_get_size (expected));
  fail_unless (memcmp (data, g_bytes_get_data (expected, NULL), len) == 0,
      "the answer differs from the emulator's");
  g_bytes_unref (expected);
}

gchar *
vl_test_file (const gchar * name)
{
  return g_build_filename (VL_TEST_FILES_DIR, name, NULL);
}

/* ---- voicelivesink's "stats" ---- */

guint64
vl_test_get_stat_u64 (GstElement * sink, const gchar * field)
{
  GstStructure *stats;
  guint64 v = 0;

  g_object_get (sink, "stats", &stats, NULL);
  gst_structure_get_uint64 (stats, field, &v);
  gst_structure_free (stats);
  return v;
}

gboolean
vl_test_get_stat_int64 (GstElement * sink, const gchar * field, gint64 * value)
{
  GstStructure *stats;
  gboolean found;

  g_object_get (sink, "stats", &stats, NULL);
  found = gst_structure_get_int64 (stats, field, value);
  gst_structure_free (stats);
  return found;
}

gboolean
vl_test_wait_stat_u64 (GstElement * sink, const gchar * field,
    guint64 at_least, guint timeout_ms)
{
  return VL_TEST_POLL_UNTIL (vl_test_get_stat_u64 (sink, field) >= at_least,
      10, timeout_ms);
}

/* ---- pipelines ---- */

static GstElement *
parse_or_fail (gchar * desc)
{
  GError *err = NULL;
  GstElement *p = gst_parse_launch (desc, &err);

  fail_unless (p != NULL, "parse %s: %s", desc, err ? err->message : "");
  g_clear_error (&err);
  g_free (desc);
  return p;
}

GstElement *
vl_test_pipeline_new (const gchar * fmt, ...)
{
  va_list ap;
  gchar *desc;

  va_start (ap, fmt);
  desc = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  return parse_or_fail (desc);
}

/* gst_parse_launch() of @prefix then the printf-formatted rest */
static GstElement *
parse_prefixed (gchar * prefix, const gchar * fmt, va_list ap)
{
  gchar *rest = g_strdup_vprintf (fmt, ap);
  gchar *desc = g_strconcat (prefix, rest, NULL);

  g_free (prefix);
  g_free (rest);
  return parse_or_fail (desc);
}

GstElement *
vl_test_pipeline_new_pair (guint rate, const gchar * fmt, ...)
{
  va_list ap;
  GstElement *p;

  va_start (ap, fmt);
  p = parse_prefixed (g_strdup_printf ("appsrc name=in format=time "
          "caps=audio/x-raw,format=S16LE,channels=1,rate=%u,"
          "layout=interleaved ! voicelivesink name=sink ", rate), fmt, ap);
  va_end (ap);
  return p;
}

GstElement *
vl_test_start_pair (guint rate, const gchar * fmt, ...)
{
  va_list ap;
  gchar *rest;
  GstElement *p;

  va_start (ap, fmt);
  rest = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  p = vl_test_pipeline_new_pair (rate, "%s", rest);
  g_free (rest);
  vl_test_start_with_silence (p, rate);
  return p;
}

GstElement *
vl_test_pipeline_new_mic (guint rate, const gchar * endpoint,
    const gchar * sink_props, const gchar * src_props)
{
  return vl_test_pipeline_new ("audiotestsrc name=mic is-live=true "
      "wave=sine freq=440 volume=0.6 samplesperbuffer=%u ! "
      "audio/x-raw,format=S16LE,rate=%u,channels=1 ! voicelivesink name=sink "
      "endpoint=%s %s  voicelivesrc name=src %s ! appsink name=out sync=true "
      "emit-signals=true", rate / 100, rate, endpoint, sink_props, src_props);
}

void
vl_test_set_state_wait (GstElement * p, GstState state)
{
  GstState cur = GST_STATE_VOID_PENDING;

  fail_unless (gst_element_set_state (p, state) != GST_STATE_CHANGE_FAILURE);
  fail_unless (gst_element_get_state (p, &cur, NULL, 20 * GST_SECOND) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (cur, state);
}

GstElement *
vl_test_child (GstElement * bin, const gchar * name)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (bin), name);

  fail_unless (e != NULL, "no element %s", name);
  gst_object_unref (e);         /* the bin keeps it */
  return e;
}

void
vl_test_wait_eos (GstBus * bus, guint timeout_ms)
{
  GstMessage *m = vl_bus_wait (bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR,
      NULL, timeout_ms);

  fail_unless (m != NULL && GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS,
      "no EOS: %" GST_PTR_FORMAT, m);
  gst_message_unref (m);
}

void
vl_test_wait_message (GstBus * bus, const gchar * name, guint timeout_ms)
{
  GstMessage *m = vl_bus_wait (bus, 0, name, timeout_ms);

  fail_unless (m != NULL, "no %s", name);
  gst_message_unref (m);
}

/* ---- barge-in as a listener hears it ---- */

struct _VlHeard
{
  GMutex lock;
  GArray *rendered;             /* pairs: mono µs, audio samples */
};

static GstFlowReturn
heard_on_sample (GstAppSink * appsink, gpointer user_data)
{
  VlHeard *heard = user_data;
  GstSample *sample = gst_app_sink_pull_sample (appsink);
  GstBuffer *b = gst_sample_get_buffer (sample);
  gint64 pair[2] = { g_get_monotonic_time (), 0 };

  /* sync=true: this runs when the buffer is rendered */
  if (!GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP))
    pair[1] = gst_buffer_get_size (b) / 2;
  g_mutex_lock (&heard->lock);
  g_array_append_vals (heard->rendered, pair, 2);
  g_mutex_unlock (&heard->lock);
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

VlHeard *
vl_heard_new (GstElement * appsink)
{
  VlHeard *heard = g_new0 (VlHeard, 1);

  g_mutex_init (&heard->lock);
  heard->rendered = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (appsink, "new-sample", G_CALLBACK (heard_on_sample), heard);
  return heard;
}

void
vl_heard_free (VlHeard * heard)
{
  g_array_unref (heard->rendered);
  g_mutex_clear (&heard->lock);
  g_free (heard);
}

gint64
vl_heard_samples_until (VlHeard * heard, gint64 mono_us)
{
  gint64 samples = 0;
  guint i;

  g_mutex_lock (&heard->lock);
  for (i = 0; i + 1 < heard->rendered->len; i += 2)
    if (g_array_index (heard->rendered, gint64, i) <= mono_us)
      samples += g_array_index (heard->rendered, gint64, i + 1);
  g_mutex_unlock (&heard->lock);
  return samples;
}

gint64
vl_heard_first_audio_after (VlHeard * heard, gint64 mono_us)
{
  gint64 first = -1;
  guint i;

  g_mutex_lock (&heard->lock);
  for (i = 0; first < 0 && i + 1 < heard->rendered->len; i += 2) {
    gint64 t = g_array_index (heard->rendered, gint64, i);

    if (t > mono_us && g_array_index (heard->rendered, gint64, i + 1) != 0)
      first = t;
  }
  g_mutex_unlock (&heard->lock);
  return first;
}

void
vl_test_talk_over (VlEmulator * emu, GstElement * p, const gchar * until,
    const gchar * barge_in)
{
  GstElement *mic = vl_test_child (p, "mic");
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *msg;

  /* Turn 1: 600 ms of speech, then silence until the answer plays */
  gst_element_set_state (p, GST_STATE_PLAYING);
  g_usleep (600000);
  g_object_set (mic, "volume", 0.0, NULL);
  msg = vl_bus_wait (bus, GST_MESSAGE_ERROR, until, 15000);
  fail_unless (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT);
  gst_message_unref (msg);
  gst_object_unref (bus);

  /* Listen for 1.5 s, then talk over the answer */
  g_usleep (1500000);
  g_object_set (mic, "volume", 0.6, NULL);
  fail_unless (vl_emulator_wait_for (emu, "client", barge_in, 1, 10000),
      "no %s while the answer played", barge_in);
}

gint64
vl_heard_assert_truncate (VlHeard * heard, GPtrArray * rec,
    gint64 speech_started_us, GstBus * bus)
{
  /* What a listener heard when the speech started: the rendered samples */
  gint64 heard_samples = vl_heard_samples_until (heard, speech_started_us);
  gint64 end_ms, slack, v = -1;
  GstMessage *m;

  fail_unless_equals_int (vl_rec_count (rec, "client",
          "conversation.item.truncate"), 1);
  end_ms = json_object_get_int_member (vl_rec_event (vl_rec_find (rec,
              "client", "conversation.item.truncate", 0)), "audio_end_ms");
  /* within one 20 ms buffer (plus a little scheduling slack; under
   * valgrind the two processes' clocks and threads lag more: seen 40 ms) */
  slack = g_getenv ("VL_UNDER_VALGRIND") ? 80 : 25;
  fail_unless (ABS (end_ms - heard_samples * 1000 / 24000) <= slack,
      "truncated at %" G_GINT64_FORMAT " ms, heard %" G_GINT64_FORMAT " ms",
      end_ms, heard_samples * 1000 / 24000);
  fail_unless (end_ms > 1000 && end_ms < 3000, "%" G_GINT64_FORMAT, end_ms);

  /* The message agrees with the truncate */
  m = vl_bus_wait (bus, GST_MESSAGE_ERROR, "voicelive/truncated", 5000);
  fail_unless (m != NULL && GST_MESSAGE_TYPE (m) == GST_MESSAGE_ELEMENT);
  gst_structure_get_int64 (gst_message_get_structure (m), "audio-end-ms", &v);
  fail_unless_equals_int64 (v, end_ms);
  gst_message_unref (m);
  return end_ms;
}

VlSinkPipe *
vl_sink_pipe_new (VlEmulator * emu, const gchar * name, const gchar * props)
{
  VlSinkPipe *sp = g_new0 (VlSinkPipe, 1);

  sp->pipeline = vl_test_pipeline_new_pair (16000, "session-name=%s "
      "endpoint=%s %s", name, emu->url, props);
  sp->appsrc = gst_bin_get_by_name (GST_BIN (sp->pipeline), "in");
  sp->sink = gst_bin_get_by_name (GST_BIN (sp->pipeline), "sink");
  fail_unless (gst_element_set_state (sp->pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  return sp;
}

void
vl_sink_pipe_free (VlSinkPipe * sp)
{
  gst_element_set_state (sp->pipeline, GST_STATE_NULL);
  gst_object_unref (sp->appsrc);
  gst_object_unref (sp->sink);
  gst_object_unref (sp->pipeline);
  g_free (sp);
}

void
vl_sink_pipe_wait_received (VlSinkPipe * sp, guint64 ms)
{
  vl_test_wait_stat_u64 (sp->sink, "audio-ms-received", ms, 10000);
  fail_unless (vl_test_get_stat_u64 (sp->sink, "audio-ms-received") >= ms,
      "only %" G_GUINT64_FORMAT " ms of answer audio received",
      vl_test_get_stat_u64 (sp->sink, "audio-ms-received"));
}

gboolean
vl_test_pull_append (GstElement * appsink, GByteArray * out,
    GstClockTime timeout)
{
  GstSample *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (appsink),
      timeout);
  GstMapInfo map;

  if (!sample)
    return FALSE;
  gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
  g_byte_array_append (out, map.data, map.size);
  gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
  gst_sample_unref (sample);
  return TRUE;
}

GError *
vl_test_ready_error (GstElement * element)
{
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;

  gst_element_set_bus (element, bus);
  fail_unless_equals_int (gst_element_set_state (element, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  if (msg) {
    gst_message_parse_error (msg, &err, NULL);
    gst_message_unref (msg);
  }
  gst_element_set_state (element, GST_STATE_NULL);
  gst_element_set_bus (element, NULL);
  gst_object_unref (bus);
  return err;
}

/* ---- suites ---- */

Suite *
vl_test_suite_new (const gchar * name, guint timeout_s, TCase ** tc)
{
  Suite *s = suite_create (name);

  g_unsetenv ("http_proxy");
  g_unsetenv ("AZURE_VOICE_LIVE_ENDPOINT");
  g_unsetenv ("AZURE_VOICE_LIVE_API_KEY");
  g_unsetenv ("AZURE_VOICE_LIVE_API_VERSION");
  g_unsetenv ("VOICE_LIVE_MODEL");
  *tc = tcase_create ("general");
  if (timeout_s)
    tcase_set_timeout (*tc, timeout_s);
  suite_add_tcase (s, *tc);
  return s;
}

/* ---- docs/messages.md ---- */

static GHashTable *doc_messages;        /* name -> GHashTable field -> type */
static GMutex doc_lock;

static void
load_doc_messages (void)
{
  gchar *path = g_build_filename (VL_DOCS_DIR, "messages.md", NULL);
  gchar *contents = NULL;
  gchar **lines;
  guint i;

  fail_unless (g_file_get_contents (path, &contents, NULL, NULL),
      "cannot read %s", path);
  doc_messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) g_hash_table_unref);
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i]; i++) {
    gchar **cols;
    gchar *name;
    GHashTable *fields;
    const gchar *p;

    /* | `voicelive/x` | from | `field` (type), ... | */
    if (!g_str_has_prefix (lines[i], "| `voicelive/"))
      continue;
    cols = g_strsplit (lines[i], "|", -1);
    if (g_strv_length (cols) < 5) {
      g_strfreev (cols);
      continue;
    }
    name = g_strdup (g_strstrip (cols[1]));
    name[strlen (name) - 1] = '\0';
    memmove (name, name + 1, strlen (name));
    fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    p = cols[3];
    while ((p = strchr (p, '`'))) {
      const gchar *end = strchr (p + 1, '`');
      const gchar *open, *close;
      gchar *field;

      if (!end)
        break;
      field = g_strndup (p + 1, end - p - 1);
      open = strchr (end, '(');
      close = open ? strchr (open, ')') : NULL;
      g_hash_table_insert (fields, field, open && close ?
          g_strndup (open + 1, close - open - 1) : g_strdup (""));
      p = close ? close + 1 : end + 1;
    }
    g_hash_table_insert (doc_messages, name, fields);
    g_strfreev (cols);
  }
  g_strfreev (lines);
  g_free (contents);
  g_free (path);
}

GHashTable *
vl_docs_messages (void)
{
  g_mutex_lock (&doc_lock);
  if (!doc_messages)
    load_doc_messages ();
  g_mutex_unlock (&doc_lock);
  return doc_messages;
}

static const gchar *
doc_type_name (GType t)
{
  static const struct
  {
    GType type;
    const gchar *name;
  } names[] = {
    {G_TYPE_STRING, "string"}, {G_TYPE_INT64, "int64"},
    {G_TYPE_UINT64, "uint64"}, {G_TYPE_UINT, "uint"}, {G_TYPE_INT, "int"},
    {G_TYPE_BOOLEAN, "boolean"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    if (names[i].type == t)
      return names[i].name;
  return g_type_name (t);
}

void
vl_docs_check_message (const GstStructure * s)
{
  GHashTable *docs = vl_docs_messages ();
  const gchar *name = gst_structure_get_name (s);
  GHashTable *fields = g_hash_table_lookup (docs, name);
  GHashTableIter iter;
  gpointer key, value;
  gint i, n;

  fail_unless (fields != NULL, "%s is not in docs/messages.md", name);
  n = gst_structure_n_fields (s);
  for (i = 0; i < n; i++) {
    const gchar *f = gst_structure_nth_field_name (s, i);
    const gchar *doc_type = g_hash_table_lookup (fields, f);

    fail_unless (doc_type != NULL, "docs/messages.md: %s lacks field %s",
        name, f);
    /* "(uint64, when known)": a field that may be absent */
    fail_unless (strncmp (doc_type, doc_type_name
            (gst_structure_get_field_type (s, f)), strcspn (doc_type,
                ",")) == 0, "docs/messages.md: %s.%s is (%s)", name, f,
        doc_type);
  }
  g_hash_table_iter_init (&iter, fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    fail_unless (strchr (value, ',') || gst_structure_has_field (s, key),
        "docs/messages.md lists %s in %s, which the plugin does not post",
        (const gchar *) key, name);
}

/* ---- files and child processes ---- */

static void
append_le (GByteArray * a, guint32 v, guint size)
{
  guint8 b[4] = { v, v >> 8, v >> 16, v >> 24 };

  g_byte_array_append (a, b, size);
}

gchar *
vl_test_write_speech_wav (guint rate, guint turns, guint speech_ms,
    guint silence_ms)
{
  GByteArray *wav = g_byte_array_new ();
  gchar *path = g_build_filename (g_get_tmp_dir (), "vl-speech-XXXXXX.wav",
      NULL);
  guint n = rate * (speech_ms + silence_ms) / 1000, i;
  guint32 data_len = n * 2 * turns;
  gint fd;

  g_byte_array_append (wav, (const guint8 *) "RIFF", 4);
  append_le (wav, data_len + 36, 4);
  g_byte_array_append (wav, (const guint8 *) "WAVEfmt ", 8);
  append_le (wav, 16, 4);
  append_le (wav, 1, 2);        /* PCM */
  append_le (wav, 1, 2);        /* mono */
  append_le (wav, rate, 4);
  append_le (wav, rate * 2, 4);
  append_le (wav, 2, 2);
  append_le (wav, 16, 2);
  g_byte_array_append (wav, (const guint8 *) "data", 4);
  append_le (wav, data_len, 4);
  for (i = 0; i < turns; i++) {
    GstBuffer *b = vl_test_speech (7, rate, 0, rate * speech_ms / 1000, n,
        "pcm16");
    GstMapInfo map;

    gst_buffer_map (b, &map, GST_MAP_READ);
    g_byte_array_append (wav, map.data, map.size);
    gst_buffer_unmap (b, &map);
    gst_buffer_unref (b);
  }
  fd = g_mkstemp (path);
  fail_unless (fd >= 0);
  close (fd);
  fail_unless (g_file_set_contents (path, (gchar *) wav->data, wav->len, NULL));
  g_byte_array_unref (wav);
  return path;
}

gboolean
vl_test_run_child (gchar ** argv, guint timeout_ms, gint * status,
    struct rusage *ru)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;
  struct rusage usage;
  GError *err = NULL;
  gint st = 0;
  pid_t r = 0;
  GPid pid;

  fail_unless (g_spawn_async (NULL, argv, NULL, G_SPAWN_SEARCH_PATH |
          G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &err), "%s",
      err ? err->message : "");
  while ((r = wait4 (pid, &st, WNOHANG, &usage)) == 0
      && vl_test_poll_step (deadline, 10));
  if (r == 0) {
    kill (pid, SIGKILL);
    waitpid (pid, NULL, 0);
    return FALSE;
  }
  if (status)
    *status = st;
  if (ru)
    *ru = usage;
  return TRUE;
}

guint
vl_test_run_children (gchar ** argv, guint n, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;
  GPid *pids = g_new0 (GPid, n);
  guint i, left = n, ok = 0;

  for (i = 0; i < n; i++) {
    GError *err = NULL;

    fail_unless (g_spawn_async (NULL, argv, NULL, G_SPAWN_SEARCH_PATH |
            G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pids[i], &err), "%s",
        err ? err->message : "");
  }
  while (left > 0 && vl_test_poll_step (deadline, 10)) {
    for (i = 0; i < n; i++) {
      gint st = 0;

      if (pids[i] && waitpid (pids[i], &st, WNOHANG) == pids[i]) {
        pids[i] = 0;
        left--;
        if (WIFEXITED (st) && WEXITSTATUS (st) == 0)
          ok++;
      }
    }
  }
  for (i = 0; i < n; i++) {
    if (pids[i]) {
      kill (pids[i], SIGKILL);
      waitpid (pids[i], NULL, 0);
    }
  }
  g_free (pids);
  return ok;
}

/* ---- elements and threads ---- */

void
vl_test_stop_pipeline (GstElement * p)
{
  fail_unless_equals_int (gst_element_set_state (p, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (p);
}

static gint
compare_tid (gconstpointer a, gconstpointer b)
{
  return (gint) (g_ascii_strtoll (*(const gchar **) a, NULL, 10) -
      g_ascii_strtoll (*(const gchar **) b, NULL, 10));
}

/* The ids of the threads named voicelive-net in this process, sorted. */
gchar *
vl_test_net_thread_ids (guint * count)
{
  GDir *dir = g_dir_open ("/proc/self/task", 0, NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  const gchar *tid;
  gchar *joined;

  fail_unless (dir != NULL);
  while ((tid = g_dir_read_name (dir))) {
    gchar *path = g_strdup_printf ("/proc/self/task/%s/comm", tid);
    gchar *comm = NULL;

    /* A thread that just ended has no comm any more: not counted. */
    if (g_file_get_contents (path, &comm, NULL, NULL)
        && g_str_has_prefix (comm, "voicelive-net"))
      g_ptr_array_add (ids, g_strdup (tid));
    g_free (comm);
    g_free (path);
  }
  g_dir_close (dir);
  g_ptr_array_sort (ids, compare_tid);
  if (count)
    *count = ids->len;
  g_ptr_array_add (ids, NULL);
  joined = g_strjoinv (",", (gchar **) ids->pdata);
  g_ptr_array_unref (ids);
  return joined;
}

guint
vl_test_count_net_threads (void)
{
  guint n;

  g_free (vl_test_net_thread_ids (&n));
  return n;
}

void
vl_test_start_with_silence (GstElement * pair, guint rate)
{
  GstElement *in = gst_bin_get_by_name (GST_BIN (pair), "in");
  gsize size = rate / 50 * 2;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, size, NULL);

  fail_unless (gst_element_set_state (pair, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  gst_buffer_memset (buf, 0, 0, size);
  GST_BUFFER_PTS (buf) = 0;
  gst_app_src_push_buffer (GST_APP_SRC (in), buf);
  gst_object_unref (in);
}
