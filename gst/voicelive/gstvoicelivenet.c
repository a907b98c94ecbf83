/* gst-voicelive: the pool of network threads. Owns the threads (each runs a
 * private GMainContext that several sessions share), starts them on demand,
 * ends the ones left idle and joins them. Sessions call it from any thread;
 * each thread's kick source and idle timeout run on that thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstvoicelivenet.h"

GST_DEBUG_CATEGORY_STATIC (voicelivenet_debug);
#define GST_CAT_DEFAULT voicelivenet_debug

/* One network thread per core, each with its own GMainContext; a session
 * lives on one of them for its whole life. One thread for all sessions
 * would pay for every session's sources and sockets on every wake-up. */
#define MAX_NET_THREADS 64
/* Sessions per thread once there is one thread per core
 * (VL_NET_SESSIONS_PER_THREAD overrides it). */
#define DEFAULT_SESSIONS_PER_THREAD 16
/* A thread left without sessions this long ends. Long enough that a
 * pipeline restarting (or the next call of an agent) finds it still there,
 * short enough that a burst of sessions does not keep its threads for the
 * life of the process. VL_NET_IDLE_TIMEOUT_MS overrides it (tests). */
#define DEFAULT_IDLE_TIMEOUT_MS 5000

/* Streaming threads hand queued frames to the network thread through one
 * source per thread, not one per session: waking it takes no lock of the
 * GMainContext (which the thread holds while it goes over all its
 * sources), and sessions that queue while it is busy share one wake-up. */
struct _VlNetLoop
{
  GSource source;
  GMainContext *ctx;
  GMutex lock;
  GPtrArray *pending;           /* objects (ref) with frames to send */
  GPtrArray *spare;             /* network thread only */
  gint kicked;                  /* atomic: pending is not empty */
  VlNetFlushFunc flush;

  GMainLoop *mainloop;
  GThread *thread;
  /* Under net_lock */
  guint sessions;
  GSource *idle_source;         /* armed while sessions == 0 */
};

/* A loop is in net_loops while it can take sessions. Its idle timeout
 * takes it out under net_lock, so it is never handed out again, and quits
 * it; the thread then puts itself on net_ended, and whoever takes it from
 * there joins it: the next thread to end, or the next acquire or release.
 * A thread only joins loops that were on net_ended before it put itself
 * there, so none joins itself and no two join each other. */
static GMutex net_lock;
static VlNetLoop *net_loops[MAX_NET_THREADS];
static guint n_net_threads;
static GSList *net_ended;
/* Threads taken out by their idle timeout that are not on net_ended yet */
static guint net_quitting;
static guint sessions_per_thread;
static guint idle_timeout_ms;
static guint n_cores;

static gboolean
kick_prepare (GSource * source, gint * timeout)
{
  *timeout = -1;
  return g_atomic_int_get (&((VlNetLoop *) source)->kicked);
}

static gboolean
kick_check (GSource * source)
{
  return g_atomic_int_get (&((VlNetLoop *) source)->kicked);
}

static gboolean
kick_dispatch (GSource * source, GSourceFunc callback, gpointer user_data)
{
  VlNetLoop *loop = (VlNetLoop *) source;
  GPtrArray *batch;
  guint i;

  g_mutex_lock (&loop->lock);
  batch = loop->pending;
  loop->pending = loop->spare;
  loop->spare = NULL;
  g_atomic_int_set (&loop->kicked, 0);
  g_mutex_unlock (&loop->lock);

  for (i = 0; i < batch->len; i++) {
    GstObject *object = g_ptr_array_index (batch, i);

    loop->flush (object);
    gst_object_unref (object);
  }
  g_ptr_array_set_size (batch, 0);
  g_mutex_lock (&loop->lock);
  loop->spare = batch;
  g_mutex_unlock (&loop->lock);
  return G_SOURCE_CONTINUE;
}

/* The last unref, after the thread was joined */
static void
kick_finalize (GSource * source)
{
  VlNetLoop *loop = (VlNetLoop *) source;

  g_ptr_array_unref (loop->pending);
  if (loop->spare)
    g_ptr_array_unref (loop->spare);
  g_mutex_clear (&loop->lock);
}

static GSourceFuncs kick_funcs = {
  kick_prepare, kick_check, kick_dispatch, kick_finalize, NULL, NULL
};

void
gst_voice_live_net_kick (VlNetLoop * loop, GstObject * object)
{
  gboolean wake;

  g_mutex_lock (&loop->lock);
  g_ptr_array_add (loop->pending, gst_object_ref (object));
  wake = !g_atomic_int_get (&loop->kicked);
  g_atomic_int_set (&loop->kicked, 1);
  g_mutex_unlock (&loop->lock);
  /* Lock-free: one eventfd write, only for the first session queued
   * since the network thread last looked. */
  if (wake)
    g_main_context_wakeup (loop->ctx);
}

/* Joins the threads of @ended (taken off net_ended) and frees their loops.
 * Not under net_lock: an ending thread takes it once more. */
static void
net_join (GSList * ended)
{
  while (ended) {
    VlNetLoop *loop = ended->data;

    g_thread_join (loop->thread);
    GST_DEBUG ("joined network thread %p", loop);
    g_source_unref ((GSource *) loop);
    ended = g_slist_delete_link (ended, ended);
  }
}

/* Called with net_lock */
static GSList *
net_take_ended (void)
{
  GSList *ended = net_ended;

  net_ended = NULL;
  return ended;
}

/* At exit (or unload): the last thread to end has no later pool call to
 * join it, and a finished thread nobody joined is a leak (ThreadSanitizer
 * reports it). Threads still running are left alone. No logging: the
 * debug system may be gone by now. */
static void __attribute__((destructor))
    net_join_ended_at_exit (void)
{
  GSList *ended;
  guint waits = 0;

  g_mutex_lock (&net_lock);
  /* A thread its idle timeout just ended is on its way to net_ended:
   * wait for it (bounded), or it finishes unjoined. */
  while (net_quitting > 0 && waits++ < 1000) {
    g_mutex_unlock (&net_lock);
    g_usleep (1000);
    g_mutex_lock (&net_lock);
  }
  ended = net_take_ended ();
  g_mutex_unlock (&net_lock);
  while (ended) {
    VlNetLoop *loop = ended->data;

    g_thread_join (loop->thread);
    g_source_unref ((GSource *) loop);
    ended = g_slist_delete_link (ended, ended);
  }
}

/* The loop's thread: no session came for the idle timeout, so end. */
static gboolean
net_idle_cb (gpointer data)
{
  VlNetLoop *loop = data;
  guint i;

  g_mutex_lock (&net_lock);
  /* A session came since (acquire destroyed this source, maybe as it was
   * being dispatched), and maybe went again and armed another. */
  if (loop->sessions > 0 || loop->idle_source != g_main_current_source ()) {
    g_mutex_unlock (&net_lock);
    return G_SOURCE_REMOVE;
  }
  for (i = 0; i < n_net_threads; i++) {
    if (net_loops[i] == loop) {
      net_loops[i] = net_loops[--n_net_threads];
      net_loops[n_net_threads] = NULL;
      break;
    }
  }
  g_source_unref (loop->idle_source);
  loop->idle_source = NULL;
  net_quitting++;
  g_mutex_unlock (&net_lock);

  GST_DEBUG ("network thread %p idle for %u ms: ending", loop, idle_timeout_ms);
  g_main_loop_quit (loop->mainloop);
  return G_SOURCE_REMOVE;
}

static gpointer
net_thread_func (gpointer data)
{
  VlNetLoop *loop = data;
  GSList *ended;

  g_main_context_push_thread_default (loop->ctx);
  g_main_loop_run (loop->mainloop);

  /* No session has used the context for the idle timeout, so nothing of
   * theirs is left on it; the kick source stays allocated for the pool
   * until the join. */
  g_source_destroy ((GSource *) loop);
  g_main_context_pop_thread_default (loop->ctx);
  g_main_loop_unref (loop->mainloop);
  loop->mainloop = NULL;
  g_main_context_unref (loop->ctx);
  loop->ctx = NULL;

  g_mutex_lock (&net_lock);
  ended = net_take_ended ();
  net_ended = g_slist_prepend (NULL, loop);
  net_quitting--;
  g_mutex_unlock (&net_lock);
  net_join (ended);
  return NULL;
}

/* Called with net_lock */
static VlNetLoop *
net_loop_new (VlNetFlushFunc flush)
{
  VlNetLoop *loop = (VlNetLoop *) g_source_new (&kick_funcs,
      sizeof (VlNetLoop));

  loop->ctx = g_main_context_new ();
  g_mutex_init (&loop->lock);
  loop->pending = g_ptr_array_new ();
  loop->spare = g_ptr_array_new ();
  loop->flush = flush;
  g_source_set_name ((GSource *) loop, "voicelive-kick");
  g_source_attach ((GSource *) loop, loop->ctx);
  loop->mainloop = g_main_loop_new (loop->ctx, FALSE);
  loop->thread = g_thread_new ("voicelive-net", net_thread_func, loop);
  GST_DEBUG ("new network thread %p (%u running)", loop, n_net_threads + 1);
  return loop;
}

static guint
env_uint (const gchar * name, guint def, guint max)
{
  const gchar *env = g_getenv (name);

  return env ? CLAMP (g_ascii_strtoull (env, NULL, 10), 1, max) : def;
}

/* The least busy network thread. A new one while there are fewer than one
 * per core and all have a session (the first sessions spread over the
 * cores), or when all have their share. */
VlNetLoop *
gst_voice_live_net_acquire (VlNetFlushFunc flush)
{
  VlNetLoop *best = NULL;
  GSList *ended;
  guint i;

  g_mutex_lock (&net_lock);
  if (sessions_per_thread == 0) {
    GST_DEBUG_CATEGORY_INIT (voicelivenet_debug, "voicelivenet", 0,
        "Voice Live network threads");
    sessions_per_thread = env_uint ("VL_NET_SESSIONS_PER_THREAD",
        DEFAULT_SESSIONS_PER_THREAD, 100000);
    idle_timeout_ms = env_uint ("VL_NET_IDLE_TIMEOUT_MS",
        DEFAULT_IDLE_TIMEOUT_MS, G_MAXINT);
    n_cores = g_get_num_processors ();
  }
  for (i = 0; i < n_net_threads; i++)
    if (!best || net_loops[i]->sessions < best->sessions)
      best = net_loops[i];
  if (n_net_threads < MAX_NET_THREADS && (!best
          || (best->sessions > 0 && n_net_threads < n_cores)
          || best->sessions >= sessions_per_thread)) {
    best = net_loop_new (flush);
    net_loops[n_net_threads++] = best;
  }
  if (best->idle_source) {
    g_source_destroy (best->idle_source);
    g_source_unref (best->idle_source);
    best->idle_source = NULL;
  }
  best->sessions++;
  GST_LOG ("session on %p, now %u sessions (%u threads)", best,
      best->sessions, n_net_threads);
  ended = net_take_ended ();
  g_mutex_unlock (&net_lock);
  net_join (ended);
  return best;
}

/* Any thread, a network thread too (a session finalized there). */
void
gst_voice_live_net_release (VlNetLoop * loop)
{
  GSList *ended;

  g_mutex_lock (&net_lock);
  g_assert (loop->sessions > 0);
  GST_LOG ("session off %p, %u left", loop, loop->sessions - 1);
  if (--loop->sessions == 0 && !loop->idle_source) {
    loop->idle_source = g_timeout_source_new (idle_timeout_ms);
    g_source_set_name (loop->idle_source, "voicelive-net-idle");
    g_source_set_callback (loop->idle_source, net_idle_cb, loop, NULL);
    g_source_attach (loop->idle_source, loop->ctx);
  }
  ended = net_take_ended ();
  g_mutex_unlock (&net_lock);
  net_join (ended);
}

GMainContext *
gst_voice_live_net_get_context (VlNetLoop * loop)
{
  return loop->ctx;
}

void
gst_voice_live_net_invoke (GMainContext * ctx, GSourceFunc func,
    gpointer data, GDestroyNotify destroy)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, destroy);
  g_source_attach (source, ctx);
  g_source_unref (source);
}

void
gst_voice_live_net_clear_source (GSource ** slot)
{
  if (*slot) {
    g_source_destroy (*slot);
    g_source_unref (*slot);
    *slot = NULL;
  }
}

typedef struct
{
  GSource **slot;
  VlNetTimerFunc func;
  gpointer data;
  GDestroyNotify destroy;
} VlNetTimer;

static gboolean
net_timer_fire (gpointer p)
{
  VlNetTimer *t = p;

  /* Dispatch holds its own ref on the source. */
  g_source_unref (*t->slot);
  *t->slot = NULL;
  t->func (t->data);
  return G_SOURCE_REMOVE;
}

static void
net_timer_free (gpointer p)
{
  VlNetTimer *t = p;

  if (t->destroy)
    t->destroy (t->data);
  g_free (t);
}

void
gst_voice_live_net_timer_once (GSource ** slot, GSource * timeout,
    VlNetTimerFunc func, gpointer data, GDestroyNotify destroy)
{
  VlNetTimer *t = g_new (VlNetTimer, 1);

  t->slot = slot;
  t->func = func;
  t->data = data;
  t->destroy = destroy;
  gst_voice_live_net_clear_source (slot);
  *slot = timeout;
  g_source_set_callback (timeout, net_timer_fire, t, net_timer_free);
  g_source_attach (timeout, g_main_context_get_thread_default ());
}
