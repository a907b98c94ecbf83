/* gst-voicelive benchmarks: in-process timing of the plugin.
 *
 *   vl-bench latency  --url URL --wav FILE --out FILE [--live]
 *   vl-bench sessions --urls URL[,URL...] --wav FILE --n N --seconds S
 *                     [--chunk-ms MS] [--buffer-ms MS] [--floor]
 *                     [--sink-props "name=value ..."]
 *
 * The emulator's defaults apply (server_vad, interrupt_response true).
 *
 * "latency" runs one voicelivesink/voicelivesrc pair fed by an appsrc paced
 * in real time (one 20 ms buffer per 20 ms) and writes a JSON Lines log of
 * timestamps, all from g_get_monotonic_time () (CLOCK_MONOTONIC, the clock
 * of the emulator record's mono_us):
 *   in     buffer arrival on voicelivesink's sink pad (pad probe)
 *   send   an input_audio_buffer.append frame handed to libsoup
 *          (soup_websocket_connection_send_text, interposed; t0 before the
 *          call, t1 after: libsoup writes to the socket inside the call
 *          when the socket is writable)
 *   read   a server frame read and unmasked by libsoup (emission hook on
 *          SoupWebsocketConnection::message, run before the plugin's
 *          handler); name is the frame's type
 *   out    a buffer pushed on voicelivesrc's src pad (pad probe)
 *   msg    a voicelive/... element message (sync bus handler: the time it is
 *          posted, on the network thread)
 *
 * "sessions" runs N independent pairs in this one process, each fed by a
 * looped appsrc (voicelivesink sync=true paces it in real time) and played
 * by a live voicelivesrc into fakesink sync=true; after S seconds it prints
 * one JSON object: underruns, late buffers, CPU, RSS, and for the steady
 * window (from 3 s after start-up) the CPU of the process, how busy the
 * whole machine was, and per thread name the CPU time, the time spent
 * runnable but waiting for a CPU and the wakeups (/proc schedstat, status).
 * --chunk-ms sets both the input buffer duration and voicelivesink's
 * chunk-ms; --buffer-ms sets voicelivesrc's buffer-ms (both default 20)
 * and its prebuffer-ms to MAX (40, buffer-ms): with a smaller prebuffer the
 * first buffer of an answer can be part audio, part silence (a cut that
 * the underrun check counts).
 * --floor runs the same N pipelines without the plugin: the appsrc into
 * fakesink sync=true, and a live audiotestsrc of silence with buffer-ms
 * buffers into fakesink sync=true (--urls is then ignored). What GStreamer
 * itself costs to pace N sessions' audio both ways at these periods; late
 * buffers count the same way, answers and appends do not exist.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>
#include <gst/gst.h>
#include <gst/app/gstappsrc.h>

/* ---------------------------------------------------------------- log */

typedef struct
{
  gint64 t0, t1;
  const char *kind;
  gint64 a, b, c;
  char name[48];
} Ev;

static Ev *evs;
static gsize n_evs, cap_evs;
static GMutex ev_lock;
static gboolean logging;

static void
log_ev (const char *kind, gint64 t0, gint64 t1, gint64 a, gint64 b, gint64 c,
    const char *name)
{
  if (!logging)
    return;
  g_mutex_lock (&ev_lock);
  if (n_evs == cap_evs) {
    cap_evs = cap_evs ? cap_evs * 2 : 65536;
    evs = g_realloc (evs, cap_evs * sizeof (Ev));
  }
  evs[n_evs].kind = kind;
  evs[n_evs].t0 = t0;
  evs[n_evs].t1 = t1;
  evs[n_evs].a = a;
  evs[n_evs].b = b;
  evs[n_evs].c = c;
  evs[n_evs].name[0] = 0;
  if (name)
    g_strlcpy (evs[n_evs].name, name, sizeof (evs[n_evs].name));
  n_evs++;
  g_mutex_unlock (&ev_lock);
}

/* ------------------------------------------------ interposed functions */

/* The executable exports these (export_dynamic), so the plugin's calls
 * land here first. The plugin and its libraries are loaded RTLD_LOCAL, so
 * the real functions are looked up in the library itself. */
static gpointer
real_symbol (const char *lib, const char *name)
{
  void *h = dlopen (lib, RTLD_NOW | RTLD_NOLOAD);
  gpointer p;

  if (!h)
    h = dlopen (lib, RTLD_NOW);
  p = h ? dlsym (h, name) : NULL;
  if (!p)
    g_error ("vl-bench: cannot find %s in %s", name, lib);
  return p;
}

typedef void (*SendTextFn) (gpointer ws, const char *text);

#define VL_EXPORT __attribute__ ((visibility ("default")))
VL_EXPORT void soup_websocket_connection_send_text (gpointer ws,
    const char *text);

/* "read": an emission hook on SoupWebsocketConnection::message. Emission
 * hooks run before the signal's handlers, so this is the time the frame has
 * been read and unmasked by libsoup, before the plugin sees it (audio
 * deltas no longer go through json-glib, so hooking the parser would miss
 * them). The event name is the frame's "type". */
static gboolean
message_hook (GSignalInvocationHint * hint, guint n, const GValue * v,
    gpointer u)
{
  gint64 t0 = g_get_monotonic_time ();
  GBytes *bytes;
  const gchar *data, *p, *q;
  gsize len;
  char type[48];

  if (!logging || n < 3)
    return TRUE;
  bytes = g_value_get_boxed (&v[2]);
  if (!bytes)
    return TRUE;
  data = g_bytes_get_data (bytes, &len);
  /* the type is the first member of the emulator's frames */
  p = memmem (data, MIN (len, 80), "\"type\":\"", 8);
  type[0] = 0;
  if (p) {
    p += 8;
    q = memchr (p, '"', MIN ((gsize) (data + len - p), sizeof (type) - 1));
    if (q) {
      memcpy (type, p, q - p);
      type[q - p] = 0;
    }
  }
  log_ev ("read", t0, 0, len, 0, 0, type);
  return TRUE;
}

void
soup_websocket_connection_send_text (gpointer ws, const char *text)
{
  static SendTextFn real;
  static gsize hooked;
  gint64 t0, t1;

  if (!real)
    real = (SendTextFn) real_symbol ("libsoup-3.0.so.0",
        "soup_websocket_connection_send_text");
  /* The first frame sent answers session.created: no audio delta has
   * arrived yet, so hooking here misses none. */
  if (logging && g_once_init_enter (&hooked)) {
    guint sig = g_signal_lookup ("message", G_OBJECT_TYPE (ws));

    if (sig)
      g_signal_add_emission_hook (sig, 0, message_hook, NULL, NULL);
    g_once_init_leave (&hooked, 1);
  }
  t0 = g_get_monotonic_time ();
  real (ws, text);
  t1 = g_get_monotonic_time ();
  if (logging && strncmp (text, "{\"type\":\"input_audio_buffer.append\"",
          35) == 0)
    log_ev ("send", t0, t1, strlen (text), 0, 0, NULL);
}

/* ------------------------------------------------------------ helpers */

static guint8 *pcm;
static gsize pcm_len;

static gboolean
load_wav (const char *path)
{
  gchar *data;
  gsize len, off = 12;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  /* find the "data" chunk */
  while (off + 8 <= len) {
    guint32 sz = GUINT32_FROM_LE (*(guint32 *) (data + off + 4));
    if (memcmp (data + off, "data", 4) == 0) {
      pcm_len = MIN (sz, len - off - 8);
      pcm = g_memdup2 (data + off + 8, pcm_len);
      g_free (data);
      return TRUE;
    }
    off += 8 + sz + (sz & 1);
  }
  g_free (data);
  return FALSE;
}

#define RATE 24000
#define CHUNK_BYTES (RATE / 50 * 2)     /* 20 ms */
#define CHUNK_NS (20 * GST_MSECOND)

static gint64
rss_kb (const char *field)
{
  gchar *s = NULL, *p;
  gint64 v = -1;

  if (g_file_get_contents ("/proc/self/status", &s, NULL, NULL)
      && (p = strstr (s, field)))
    v = g_ascii_strtoll (p + strlen (field) + 1, NULL, 10);
  g_free (s);
  return v;
}

/* ---------------------------------------------------------- latency */

static gint64 in_count;

static GstPadProbeReturn
in_probe (GstPad * pad, GstPadProbeInfo * info, gpointer u)
{
  GstBuffer *b = GST_PAD_PROBE_INFO_BUFFER (info);
  log_ev ("in", g_get_monotonic_time (), 0, in_count++,
      gst_buffer_get_size (b), 0, NULL);
  return GST_PAD_PROBE_OK;
}

static gint64 out_bytes;

static GstPadProbeReturn
out_probe (GstPad * pad, GstPadProbeInfo * info, gpointer u)
{
  GstBuffer *b = GST_PAD_PROBE_INFO_BUFFER (info);
  gsize sz = gst_buffer_get_size (b);
  gboolean gap = GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP);

  log_ev ("out", g_get_monotonic_time (), 0, gap ? -1 : out_bytes, sz, gap,
      NULL);
  if (!gap)
    out_bytes += sz;
  return GST_PAD_PROBE_OK;
}

static GstBusSyncReply
sync_handler (GstBus * bus, GstMessage * m, gpointer u)
{
  if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ELEMENT) {
    const GstStructure *s = gst_message_get_structure (m);
    if (s && g_str_has_prefix (gst_structure_get_name (s), "voicelive/"))
      log_ev ("msg", g_get_monotonic_time (), 0, 0, 0, 0,
          gst_structure_get_name (s));
  }
  return GST_BUS_PASS;
}

typedef struct
{
  GstAppSrc *src;
} Feeder;

static gpointer
feeder_thread (gpointer data)
{
  Feeder *f = data;
  gint64 start = g_get_monotonic_time () + 200000;      /* let it connect */
  gsize k, n = pcm_len / CHUNK_BYTES;

  for (k = 0; k < n; k++) {
    GstBuffer *b;
    gint64 due = start + (gint64) k * 20000, now = g_get_monotonic_time ();

    if (due > now)
      g_usleep (due - now);
    b = gst_buffer_new_memdup (pcm + k * CHUNK_BYTES, CHUNK_BYTES);
    GST_BUFFER_PTS (b) = k * CHUNK_NS;
    GST_BUFFER_DURATION (b) = CHUNK_NS;
    if (gst_app_src_push_buffer (f->src, b) != GST_FLOW_OK)
      break;
  }
  gst_app_src_end_of_stream (f->src);
  return NULL;
}

static int
run_latency (const char *url, const char *out, gboolean live, guint timeout_s)
{
  gchar *desc;
  GstElement *pipe, *vsink, *vsrc, *appsrc;
  GstPad *pad;
  GstBus *bus;
  GstMessage *msg;
  GThread *th;
  Feeder f;
  FILE *fp;
  gsize i;
  int rc = 0;

  desc = g_strdup_printf ("appsrc name=in is-live=true format=time "
      "caps=audio/x-raw,format=S16LE,rate=24000,channels=1,layout=interleaved "
      "! voicelivesink name=vsink session-name=lat endpoint=%s sync=false "
      "voicelivesrc name=vsrc session-name=lat "
      "is-live=%s ! fakesink sync=%s", url,
      live ? "true" : "false", live ? "true" : "false");
  pipe = gst_parse_launch (desc, NULL);
  g_free (desc);
  if (!pipe)
    return 2;
  vsink = gst_bin_get_by_name (GST_BIN (pipe), "vsink");
  vsrc = gst_bin_get_by_name (GST_BIN (pipe), "vsrc");
  appsrc = gst_bin_get_by_name (GST_BIN (pipe), "in");
  pad = gst_element_get_static_pad (vsink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, in_probe, NULL, NULL);
  gst_object_unref (pad);
  pad = gst_element_get_static_pad (vsrc, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, out_probe, NULL, NULL);
  gst_object_unref (pad);
  bus = gst_element_get_bus (pipe);
  gst_bus_set_sync_handler (bus, sync_handler, NULL, NULL);

  logging = TRUE;
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  f.src = GST_APP_SRC (appsrc);
  th = g_thread_new ("feeder", feeder_thread, &f);
  msg = gst_bus_timed_pop_filtered (bus, timeout_s * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (!msg) {
    g_printerr ("vl-bench: timeout\n");
    rc = 1;
  } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *e;
    gst_message_parse_error (msg, &e, NULL);
    g_printerr ("vl-bench: error: %s\n", e->message);
    g_error_free (e);
    rc = 1;
  }
  if (msg)
    gst_message_unref (msg);
  gst_element_set_state (pipe, GST_STATE_NULL);
  logging = FALSE;
  g_thread_join (th);

  fp = fopen (out, "w");
  for (i = 0; i < n_evs; i++)
    fprintf (fp, "{\"k\":\"%s\",\"t0\":%" G_GINT64_FORMAT ",\"t1\":%"
        G_GINT64_FORMAT ",\"a\":%" G_GINT64_FORMAT ",\"b\":%" G_GINT64_FORMAT
        ",\"c\":%" G_GINT64_FORMAT ",\"name\":\"%s\"}\n", evs[i].kind,
        evs[i].t0, evs[i].t1, evs[i].a, evs[i].b, evs[i].c, evs[i].name);
  fclose (fp);
  gst_object_unref (bus);
  gst_object_unref (vsink);
  gst_object_unref (vsrc);
  gst_object_unref (appsrc);
  gst_object_unref (pipe);
  return rc;
}

/* --------------------------------------------------------- sessions */

/* Sessions run with voicelivesink chunk-ms = the input buffer duration and
 * voicelivesrc buffer-ms (both 20 ms unless --chunk-ms / --buffer-ms). */
static gint chunk_ms = 20, buffer_ms = 20;
static gboolean floor_run;
static gchar *sink_props;       /* --sink-props: more voicelivesink properties */
static gsize in_bytes = CHUNK_BYTES;
static guint bufs_per_reply = 60;       /* 1200 ms replies in buffer-ms */

typedef struct
{
  GstElement *pipe;
  gsize pos;                    /* byte position in the looped pcm */
  guint64 k;                    /* buffers pushed */
  /* output side, src streaming thread only */
  guint run;                    /* current run of non-GAP buffers */
  guint64 buffers, audio_buffers, replies, underruns, late, gaps;
  gint64 max_late_us;
  guint odd_runs[4];            /* lengths of the first cut answers */
} Sess;

static void
need_data (GstAppSrc * src, guint length, gpointer user_data)
{
  Sess *s = user_data;
  guint i;

  for (i = 0; i < 10; i++) {
    GstBuffer *b;

    if (s->pos + in_bytes > pcm_len)
      s->pos = 0;
    b = gst_buffer_new_wrapped_full (GST_MEMORY_FLAG_READONLY,
        pcm + s->pos, in_bytes, 0, in_bytes, NULL, NULL);
    GST_BUFFER_PTS (b) = s->k * chunk_ms * GST_MSECOND;
    GST_BUFFER_DURATION (b) = chunk_ms * GST_MSECOND;
    s->k++;
    s->pos += in_bytes;
    gst_app_src_push_buffer (src, b);
  }
}

static GstPadProbeReturn
sess_out_probe (GstPad * pad, GstPadProbeInfo * info, gpointer u)
{
  Sess *s = u;
  GstBuffer *b = GST_PAD_PROBE_INFO_BUFFER (info);
  GstElement *e = GST_ELEMENT (GST_PAD_PARENT (pad));
  GstClock *clock = gst_element_get_clock (e);

  s->buffers++;
  if (clock) {
    GstClockTime now = gst_clock_get_time (clock);
    /* a live source pushes a buffer when its period has ended */
    GstClockTime due = gst_element_get_base_time (e) + GST_BUFFER_PTS (b) +
        GST_BUFFER_DURATION (b);
    gst_object_unref (clock);
    if (now > due + 20 * GST_MSECOND) {
      gint64 late = (now - due) / 1000;
      s->late++;
      if (late > s->max_late_us)
        s->max_late_us = late;
    }
  }
  if (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP)) {
    s->gaps++;
    if (s->run > 0) {
      s->replies++;
      /* a reply is exactly bufs_per_reply buffers unless a GAP cut it */
      if (s->run % bufs_per_reply != 0) {
        if (s->underruns < G_N_ELEMENTS (s->odd_runs))
          s->odd_runs[s->underruns] = s->run;
        s->underruns++;
      }
      s->run = 0;
    }
  } else {
    s->audio_buffers++;
    s->run++;
  }
  return GST_PAD_PROBE_OK;
}

/* Where the CPU goes during the steady window, from /proc: the whole
 * machine (/proc/stat: both cores, the emulators included, steal) and this
 * process per thread name (streaming threads are named after their pad,
 * "in:src" and "vsrc:src"; the network thread is "voicelive-net"). */
typedef struct
{
  gint64 t;
  guint64 cpu[8];               /* user nice system idle iowait irq softirq steal */
  struct rusage ru;
  /* comm -> guint64[6]: n, run ns, runqueue wait ns, vcs, nvcs, slices */
  GHashTable *threads;
} Snap;

static guint64
status_field (const gchar * s, const gchar * name)
{
  const gchar *p = s ? strstr (s, name) : NULL;

  return p ? g_ascii_strtoull (p + strlen (name), NULL, 10) : 0;
}

static void
snap_take (Snap * sn)
{
  gchar *s = NULL;
  GDir *dir;
  const gchar *tid;

  sn->t = g_get_monotonic_time ();
  getrusage (RUSAGE_SELF, &sn->ru);
  memset (sn->cpu, 0, sizeof (sn->cpu));
  if (g_file_get_contents ("/proc/stat", &s, NULL, NULL))
    sscanf (s, "cpu %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %"
        G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %"
        G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
        &sn->cpu[0], &sn->cpu[1], &sn->cpu[2], &sn->cpu[3], &sn->cpu[4],
        &sn->cpu[5], &sn->cpu[6], &sn->cpu[7]);
  g_free (s);
  sn->threads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  dir = g_dir_open ("/proc/self/task", 0, NULL);
  while (dir && (tid = g_dir_read_name (dir))) {
    gchar *path = g_strdup_printf ("/proc/self/task/%s/stat", tid), *st = NULL;
    gchar *close, *comm;
    guint64 *v, run = 0, wait = 0, slices = 0;

    /* schedstat: ns on the CPU, ns runnable but waiting for a CPU, slices */
    if (g_file_get_contents (path, &st, NULL, NULL)
        && (close = strrchr (st, ')')) && (comm = strchr (st, '('))) {
      comm = g_strndup (comm + 1, close - comm - 1);
      v = g_hash_table_lookup (sn->threads, comm);
      if (!v) {
        v = g_new0 (guint64, 6);
        g_hash_table_insert (sn->threads, g_strdup (comm), v);
      }
      g_free (comm);
      g_free (path);
      g_free (st);
      path = g_strdup_printf ("/proc/self/task/%s/schedstat", tid);
      st = NULL;
      if (g_file_get_contents (path, &st, NULL, NULL))
        sscanf (st, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %"
            G_GUINT64_FORMAT, &run, &wait, &slices);
      g_free (path);
      g_free (st);
      path = g_strdup_printf ("/proc/self/task/%s/status", tid);
      st = NULL;
      g_file_get_contents (path, &st, NULL, NULL);
      v[0]++;
      v[1] += run;
      v[2] += wait;
      v[3] += status_field (st, "voluntary_ctxt_switches:");
      v[4] += status_field (st, "nonvoluntary_ctxt_switches:");
      v[5] += slices;
    }
    g_free (path);
    g_free (st);
  }
  if (dir)
    g_dir_close (dir);
}

/* Appends the window's figures to a JSON object under construction. */
static void
snap_report (GString * js, Snap * a, Snap * b)
{
  double w = (b->t - a->t) / 1e6;
  guint64 tot = 0, busy, steal = b->cpu[7] - a->cpu[7];
  GHashTableIter it;
  gpointer k, v;
  int i;
  const gchar *sep = "";

  for (i = 0; i < 8; i++)
    tot += b->cpu[i] - a->cpu[i];
  busy = tot - (b->cpu[3] - a->cpu[3]) - (b->cpu[4] - a->cpu[4]);
#define TV(t) ((t).tv_sec + (t).tv_usec / 1e6)
  g_string_append_printf (js, ",\"window_s\":%.3f,\"win_cpu_user\":%.3f,"
      "\"win_cpu_sys\":%.3f,\"machine_busy_frac\":%.3f,"
      "\"machine_steal_frac\":%.3f,\"threads\":{", w,
      TV (b->ru.ru_utime) - TV (a->ru.ru_utime),
      TV (b->ru.ru_stime) - TV (a->ru.ru_stime),
      tot ? (double) busy / tot : 0, tot ? (double) steal / tot : 0);
  g_hash_table_iter_init (&it, b->threads);
  while (g_hash_table_iter_next (&it, &k, &v)) {
    guint64 *x = v, *y = g_hash_table_lookup (a->threads, k);
    guint64 z[6] = { 0, 0, 0, 0, 0, 0 };

    if (!y)
      y = z;
    /* runq_wait_us_per_slice: mean delay between becoming runnable and
     * running, i.e. scheduler latency */
    g_string_append_printf (js, "%s\"%s\":{\"n\":%" G_GUINT64_FORMAT
        ",\"cpu_s\":%.3f,\"runq_wait_s\":%.3f,\"slices_per_s\":%.0f,"
        "\"runq_wait_us_per_slice\":%.1f,\"vcs_per_s\":%.0f,"
        "\"nvcs_per_s\":%.0f}", sep, (gchar *) k, x[0], (x[1] - y[1]) / 1e9,
        (x[2] - y[2]) / 1e9, (x[5] - y[5]) / w,
        x[5] > y[5] ? (x[2] - y[2]) / 1e3 / (x[5] - y[5]) : 0,
        (x[3] - y[3]) / w, (x[4] - y[4]) / w);
    sep = ",";
  }
  g_string_append (js, "}");
}

static int
run_sessions (const char *urls_arg, guint n, guint seconds)
{
  Snap sa, sb;
  gboolean have_sa = FALSE;
  GString *js;
  gchar **urls = g_strsplit (urls_arg, ",", -1);
  guint n_urls = g_strv_length (urls), i;
  Sess *ss = g_new0 (Sess, n);
  struct rusage ru0, ru1;
  gint64 t0, t_up, rss0, rss1, hwm;
  guint64 tot_buf = 0, tot_audio = 0, tot_repl = 0, tot_under = 0,
      tot_late = 0, errors = 0;
  gint64 max_late = 0;
  gsize turn_bytes = 3 * RATE * 2;      /* stagger within a 3 s turn */

  rss0 = rss_kb ("VmRSS:");
  getrusage (RUSAGE_SELF, &ru0);
  t0 = g_get_monotonic_time ();
  for (i = 0; i < n; i++) {
    gchar *desc = floor_run ?
        g_strdup_printf ("appsrc name=in is-live=true format=time "
        "max-bytes=%u caps=audio/x-raw,format=S16LE,rate=24000,channels=1,"
        "layout=interleaved ! fakesink sync=true  audiotestsrc name=vsrc "
        "is-live=true wave=silence samplesperbuffer=%u ! audio/x-raw,"
        "format=S16LE,rate=24000,channels=1 ! fakesink sync=true",
        (guint) (in_bytes * 10), (guint) (RATE / 1000 * buffer_ms)) :
        g_strdup_printf ("appsrc name=in is-live=true format=time "
        "max-bytes=%u caps=audio/x-raw,format=S16LE,rate=24000,channels=1,"
        "layout=interleaved ! voicelivesink session-name=s%u endpoint=%s "
        "sync=true chunk-ms=%u %s  voicelivesrc name=vsrc buffer-ms=%u "
        "prebuffer-ms=%u session-name=s%u ! fakesink sync=true",
        (guint) (in_bytes * 10), i, urls[i % n_urls], (guint) chunk_ms,
        sink_props ? sink_props : "", (guint) buffer_ms,
        (guint) MAX (40, buffer_ms), i);
    GstElement *appsrc, *vsrc;
    GstPad *pad;
    GstAppSrcCallbacks cb = { need_data, NULL, NULL };

    ss[i].pipe = gst_parse_launch (desc, NULL);
    g_free (desc);
    ss[i].pos = (turn_bytes * i / n) / in_bytes * in_bytes;
    appsrc = gst_bin_get_by_name (GST_BIN (ss[i].pipe), "in");
    gst_app_src_set_callbacks (GST_APP_SRC (appsrc), &cb, &ss[i], NULL);
    vsrc = gst_bin_get_by_name (GST_BIN (ss[i].pipe), "vsrc");
    pad = gst_element_get_static_pad (vsrc, "src");
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, sess_out_probe,
        &ss[i], NULL);
    gst_object_unref (pad);
    gst_object_unref (vsrc);
    gst_object_unref (appsrc);
    gst_element_set_state (ss[i].pipe, GST_STATE_PLAYING);
  }
  t_up = g_get_monotonic_time ();
  /* run, watching for errors */
  while (g_get_monotonic_time () < t_up + (gint64) seconds * G_USEC_PER_SEC) {
    /* steady window: from 3 s after the last pipeline started */
    if (!have_sa && g_get_monotonic_time () > t_up + 3 * G_USEC_PER_SEC) {
      snap_take (&sa);
      have_sa = TRUE;
    }
    for (i = 0; i < n; i++) {
      GstBus *bus = gst_element_get_bus (ss[i].pipe);
      GstMessage *m;
      while ((m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR))) {
        errors++;
        gst_message_unref (m);
      }
      gst_object_unref (bus);
    }
    g_usleep (200000);
  }
  rss1 = rss_kb ("VmRSS:");
  hwm = rss_kb ("VmHWM:");
  getrusage (RUSAGE_SELF, &ru1);
  snap_take (&sb);
  if (!have_sa)
    snap_take (&sa);
  for (i = 0; i < n; i++)
    gst_element_set_state (ss[i].pipe, GST_STATE_NULL);
  for (i = 0; i < n; i++) {
    tot_buf += ss[i].buffers;
    tot_audio += ss[i].audio_buffers;
    tot_repl += ss[i].replies;
    tot_under += ss[i].underruns;
    tot_late += ss[i].late;
    max_late = MAX (max_late, ss[i].max_late_us);
    gst_object_unref (ss[i].pipe);
  }
  js = g_string_new (NULL);
  g_string_append_printf (js,
      "{\"floor\":%s,\"n\":%u,\"chunk_ms\":%u,\"buffer_ms\":%u,"
      "\"seconds\":%u,\"startup_s\":%.3f,\"cpu_user\":%.3f,"
      "\"cpu_sys\":%.3f,\"rss0_kb\":%" G_GINT64_FORMAT ",\"rss_kb\":%"
      G_GINT64_FORMAT ",\"hwm_kb\":%" G_GINT64_FORMAT ",\"buffers\":%"
      G_GUINT64_FORMAT ",\"audio_buffers\":%" G_GUINT64_FORMAT ",\"replies\":%"
      G_GUINT64_FORMAT ",\"underruns\":%" G_GUINT64_FORMAT ",\"late\":%"
      G_GUINT64_FORMAT ",\"max_late_us\":%" G_GINT64_FORMAT ",\"errors\":%"
      G_GUINT64_FORMAT, floor_run ? "true" : "false", n, (guint) chunk_ms,
      (guint) buffer_ms, seconds, (t_up - t0) / 1e6,
      TV (ru1.ru_utime) - TV (ru0.ru_utime),
      TV (ru1.ru_stime) - TV (ru0.ru_stime), rss0, rss1, hwm, tot_buf,
      tot_audio, tot_repl, tot_under, tot_late, max_late, errors);
  snap_report (js, &sa, &sb);
  {
    const gchar *sep = "";

    g_string_append (js, ",\"cut_answer_buffers\":[");
    for (i = 0; i < n; i++) {
      guint j;

      for (j = 0; j < MIN (ss[i].underruns, G_N_ELEMENTS (ss[i].odd_runs)); j++) {
        g_string_append_printf (js, "%s%u", sep, ss[i].odd_runs[j]);
        sep = ",";
      }
    }
    g_string_append (js, "]");
  }
  g_string_append (js, "}\n");
  fputs (js->str, stdout);
  g_string_free (js, TRUE);
  g_hash_table_unref (sa.threads);
  g_hash_table_unref (sb.threads);
  fflush (stdout);
  g_strfreev (urls);
  g_free (ss);
  return 0;
}

int
main (int argc, char **argv)
{
  gchar *url = NULL, *urls = NULL, *wav = NULL, *out = NULL;
  gboolean live = FALSE;
  gint n = 1, seconds = 20, timeout = 120;
  GOptionEntry entries[] = {
    {"url", 0, 0, G_OPTION_ARG_STRING, &url, "emulator URL", NULL},
    {"urls", 0, 0, G_OPTION_ARG_STRING, &urls, "emulator URLs, comma-separated",
        NULL},
    {"wav", 0, 0, G_OPTION_ARG_FILENAME, &wav, "24 kHz S16LE mono WAV", NULL},
    {"out", 0, 0, G_OPTION_ARG_FILENAME, &out, "JSONL timestamp log", NULL},
    {"live", 0, 0, G_OPTION_ARG_NONE, &live, "voicelivesrc is-live=true", NULL},
    {"n", 0, 0, G_OPTION_ARG_INT, &n, "sessions", NULL},
    {"seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "run time", NULL},
    {"timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "latency run timeout", NULL},
    {"chunk-ms", 0, 0, G_OPTION_ARG_INT, &chunk_ms,
        "sessions: input buffer and voicelivesink chunk-ms", NULL},
    {"buffer-ms", 0, 0, G_OPTION_ARG_INT, &buffer_ms,
        "sessions: voicelivesrc buffer-ms", NULL},
    {"floor", 0, 0, G_OPTION_ARG_NONE, &floor_run,
        "sessions: the same pipelines without the plugin", NULL},
    {"sink-props", 0, 0, G_OPTION_ARG_STRING, &sink_props,
          "sessions: more voicelivesink properties, e.g. keepalive-interval=0",
        NULL},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("latency|sessions");
  GError *err = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err) || argc < 2) {
    g_printerr ("%s\n", err ? err->message : "mode missing");
    return 2;
  }
  g_option_context_free (ctx);
  if (!wav || !load_wav (wav)) {
    g_printerr ("cannot read --wav\n");
    return 2;
  }
  if (strcmp (argv[1], "latency") == 0 && url && out)
    return run_latency (url, out, live, timeout);
  if (strcmp (argv[1], "sessions") == 0 && urls) {
    if (chunk_ms < 5 || buffer_ms < 5 || 1200 % buffer_ms != 0) {
      g_printerr ("--chunk-ms >= 5; --buffer-ms >= 5 and divides 1200\n");
      return 2;
    }
    in_bytes = (gsize) RATE *chunk_ms / 1000 * 2;
    bufs_per_reply = 1200 / buffer_ms;
    return run_sessions (urls, n, seconds);
  }
  g_printerr ("bad arguments\n");
  return 2;
}
