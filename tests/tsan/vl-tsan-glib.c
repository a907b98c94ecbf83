/* gst-voicelive: ThreadSanitizer support (TSan build only, LD_PRELOADed by
 * scripts/tsan.sh into every program of the TSan test run; any thread).
 *
 * Debian's GLib is not instrumented and builds GMutex and GCond on futexes
 * and atomics, so TSan sees no happens-before edge for g_mutex_lock(),
 * GST_OBJECT_LOCK(), a GCond wait, a GLib refcount or a main-context hand
 * over: every correctly locked access would be reported as a race. This
 * library makes those edges visible without hiding any access:
 *
 *  - g_mutex_*, g_cond_*, g_rec_mutex_*, g_rw_lock_* are reimplemented on
 *    pthread mutexes, rwlocks and
 *    condition variables, which TSan intercepts. The pthread object is
 *    allocated on first use and its pointer kept in GMutex.p / GCond.p (a
 *    zeroed GMutex is a valid unlocked one, as in GLib). This covers every
 *    call through the PLT: the plugin, the tests, the emulator, and
 *    libgstreamer, libgstbase, libgstapp, libgobject, libgio, libsoup and
 *    json-glib (GST_OBJECT_LOCK, pad and queue locks). GLib's own calls
 *    from inside libglib are bound locally and keep the futex version; they
 *    only ever see GLib-private mutexes (GMainContext, GAsyncQueue, GOnce),
 *    never one shared with code outside libglib (checked with `nm -D` on
 *    the libraries above: none uses g_main_context_wait()).
 *    GRecMutex and GRWLock are pthread-based in GLib too; they are
 *    replaced only so that TSan sees their lazy allocation.
 *  - Where GLib hands data between threads itself, the same edge as its
 *    internal lock is published with __tsan_release()/__tsan_acquire(),
 *    keyed on the object that carries it:
 *      GAsyncQueue push -> pop (key: the queue);
 *      setting up an idle or timeout source (g_source_set_callback(),
 *      g_idle_add(), g_timeout_add(), g_main_context_invoke()) -> the
 *      callback and destroy notify it runs (key: a record made for that
 *      one source), so an idle callback sees what the thread that queued
 *      it wrote before;
 *      g_quark_*() and g_intern_*(): one global lock in GLib, one global
 *      key here;
 *      g_object_unref() / gst_mini_object_unref() / g_bytes_unref(): an
 *      atomic decrement in GLib, which orders every unref of an object
 *      after the earlier ones, so the last one (which frees) after all of
 *      them (key: the object), as an instrumented refcount would.
 *    These are the edges GLib's implementation guarantees; none is wider.
 *    Like the locks, they apply to calls through the PLT only: libgstreamer
 *    calls its own gst_mini_object_unref() directly (hence
 *    ignore_noninstrumented_modules in scripts/tsan.sh).
 *
 * Nothing here suppresses a report; tests/tsan/tsan.supp is separate.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include <glib.h>
#include <glib-object.h>
#include <gst/gst.h>
#include <sanitizer/tsan_interface.h>

/* Exported on purpose: these replace GLib's symbols. */
#define VL_EXPORT __attribute__ ((visibility ("default")))

/* ---- the pthread objects, allocated on first use ---- */

/* The pthread object (of @size bytes) kept in *@slot, made by @init on
 * first use: a zeroed lock is a valid one, as in GLib. Two threads racing
 * on it agree on one (the loser destroys its own). */
static void *
lazy_get (gpointer * slot, size_t size, void (*init) (void *),
    void (*destroy) (void *))
{
  void *p = __atomic_load_n (slot, __ATOMIC_ACQUIRE);

  if (G_UNLIKELY (p == NULL)) {
    void *fresh = malloc (size);
    void *expected = NULL;

    if (fresh == NULL)
      abort ();
    init (fresh);
    if (__atomic_compare_exchange_n (slot, &expected, fresh, FALSE,
            __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
      p = fresh;
    } else {
      destroy (fresh);
      free (fresh);
      p = expected;
    }
  }
  return p;
}

/* NAME_get (LOCK): the PTYPE of a GLib lock of type GTYPE, made by
 * NAME_make () and destroyed by DESTROY; and g_NAME_init (), g_NAME_clear ()
 * of that lock. */
#define LAZY_LOCK(name, gtype, ptype, destroy)                          \
  static void                                                           \
  name##_destroy (void *p)                                              \
  {                                                                     \
    destroy ((ptype *) p);                                              \
  }                                                                     \
  static ptype *                                                        \
  name##_get (gtype * lock)                                             \
  {                                                                     \
    return lazy_get (&lock->p, sizeof (ptype), name##_make,             \
        name##_destroy);                                                \
  }                                                                     \
  VL_EXPORT void                                                        \
  g_##name##_init (gtype * lock)                                        \
  {                                                                     \
    lock->p = NULL;                                                     \
    name##_get (lock);                                                  \
  }                                                                     \
  VL_EXPORT void                                                        \
  g_##name##_clear (gtype * lock)                                       \
  {                                                                     \
    if (lock->p) {                                                      \
      name##_destroy (lock->p);                                         \
      free (lock->p);                                                   \
      lock->p = NULL;                                                   \
    }                                                                   \
  }

/* The one-call wrappers: NAME (LOCK) calls CALL (on LOCK), or (TRY)
 * returns whether CALL succeeded. */
#define LOCK_CALL(name, gtype, call)                                    \
  VL_EXPORT void                                                        \
  name (gtype * lock)                                                   \
  {                                                                     \
    call;                                                               \
  }
#define LOCK_TRY(name, gtype, call)                                     \
  VL_EXPORT gboolean                                                    \
  name (gtype * lock)                                                   \
  {                                                                     \
    return call == 0;                                                   \
  }

/* ---- GMutex ---- */

static void
mutex_make (void *p)
{
  pthread_mutex_init (p, NULL);
}

LAZY_LOCK (mutex, GMutex, pthread_mutex_t, pthread_mutex_destroy);

VL_EXPORT void
g_mutex_lock (GMutex * mutex)
{
  int err = pthread_mutex_lock (mutex_get (mutex));

  if (G_UNLIKELY (err))
    g_error ("vl-tsan-glib: pthread_mutex_lock: %d", err);
}

VL_EXPORT void
g_mutex_unlock (GMutex * mutex)
{
  int err = pthread_mutex_unlock (mutex_get (mutex));

  if (G_UNLIKELY (err))
    g_error ("vl-tsan-glib: pthread_mutex_unlock: %d", err);
}

LOCK_TRY (g_mutex_trylock, GMutex, pthread_mutex_trylock (mutex_get (lock)));

/* ---- GRecMutex, GRWLock ----
 * GLib builds these on pthreads already, but publishes the lazily
 * allocated pthread object with an atomic TSan cannot see. Same layout as
 * GLib's (p points to a malloc()ed pthread object), so a lock set up by
 * GLib's code and used by ours, or the reverse, still works. */

static void
rec_mutex_make (void *p)
{
  pthread_mutexattr_t attr;

  pthread_mutexattr_init (&attr);
  pthread_mutexattr_settype (&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init (p, &attr);
  pthread_mutexattr_destroy (&attr);
}

LAZY_LOCK (rec_mutex, GRecMutex, pthread_mutex_t, pthread_mutex_destroy);

LOCK_CALL (g_rec_mutex_lock, GRecMutex,
    pthread_mutex_lock (rec_mutex_get (lock)));

LOCK_CALL (g_rec_mutex_unlock, GRecMutex,
    pthread_mutex_unlock (rec_mutex_get (lock)));

LOCK_TRY (g_rec_mutex_trylock, GRecMutex,
    pthread_mutex_trylock (rec_mutex_get (lock)));

static void
rw_lock_make (void *p)
{
  pthread_rwlock_init (p, NULL);
}

LAZY_LOCK (rw_lock, GRWLock, pthread_rwlock_t, pthread_rwlock_destroy);

LOCK_CALL (g_rw_lock_writer_lock, GRWLock,
    pthread_rwlock_wrlock (rw_lock_get (lock)));

LOCK_TRY (g_rw_lock_writer_trylock, GRWLock,
    pthread_rwlock_trywrlock (rw_lock_get (lock)));

LOCK_CALL (g_rw_lock_writer_unlock, GRWLock,
    pthread_rwlock_unlock (rw_lock_get (lock)));

LOCK_CALL (g_rw_lock_reader_lock, GRWLock,
    pthread_rwlock_rdlock (rw_lock_get (lock)));

LOCK_TRY (g_rw_lock_reader_trylock, GRWLock,
    pthread_rwlock_tryrdlock (rw_lock_get (lock)));

LOCK_CALL (g_rw_lock_reader_unlock, GRWLock,
    pthread_rwlock_unlock (rw_lock_get (lock)));

/* ---- GCond (CLOCK_MONOTONIC, as g_get_monotonic_time()) ---- */

static void
cond_make (void *p)
{
  pthread_condattr_t attr;

  pthread_condattr_init (&attr);
  pthread_condattr_setclock (&attr, CLOCK_MONOTONIC);
  pthread_cond_init (p, &attr);
  pthread_condattr_destroy (&attr);
}

LAZY_LOCK (cond, GCond, pthread_cond_t, pthread_cond_destroy);

VL_EXPORT void
g_cond_wait (GCond * cond, GMutex * mutex)
{
  pthread_cond_wait (cond_get (cond), mutex_get (mutex));
}

LOCK_CALL (g_cond_signal, GCond, pthread_cond_signal (cond_get (lock)));

LOCK_CALL (g_cond_broadcast, GCond, pthread_cond_broadcast (cond_get (lock)));

VL_EXPORT gboolean
g_cond_wait_until (GCond * cond, GMutex * mutex, gint64 end_time)
{
  struct timespec ts;
  int err;

  ts.tv_sec = end_time / G_USEC_PER_SEC;
  ts.tv_nsec = (end_time % G_USEC_PER_SEC) * 1000;
  if (ts.tv_nsec < 0) {
    ts.tv_sec--;
    ts.tv_nsec += 1000000000;
  }
  err = pthread_cond_timedwait (cond_get (cond), mutex_get (mutex), &ts);
  return err != ETIMEDOUT;
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS;
/* Deprecated, but GLib's own version calls the futex g_cond_wait_until()
 * on a mutex that is ours. */
VL_EXPORT gboolean
g_cond_timed_wait (GCond * cond, GMutex * mutex, GTimeVal * abs_time)
{
  gint64 end;

  if (abs_time == NULL) {
    g_cond_wait (cond, mutex);
    return TRUE;
  }
  end = abs_time->tv_sec * G_USEC_PER_SEC + abs_time->tv_usec;
  /* GTimeVal is wall-clock time. */
  end = end - g_get_real_time () + g_get_monotonic_time ();
  return g_cond_wait_until (cond, mutex, end);
}

G_GNUC_END_IGNORE_DEPRECATIONS;

/* ---- the real functions of the wrappers below ---- */

/* real_NAME: GLib's (or GStreamer's) NAME, looked up on first use: a
 * program without GStreamer (the emulator) has no gst_mini_object_unref. */
#define REAL(ret, name, args)                                            \
  static ret (*real_##name##_ptr) args;                                 \
  static ret (*get_real_##name (void)) args                             \
  {                                                                     \
    ret (*f) args = __atomic_load_n (&real_##name##_ptr, __ATOMIC_ACQUIRE); \
    if (f == NULL) {                                                    \
      f = (ret (*) args) dlsym (RTLD_NEXT, #name);                      \
      if (f == NULL)                                                    \
        abort ();                                                       \
      __atomic_store_n (&real_##name##_ptr, f, __ATOMIC_RELEASE);       \
    }                                                                   \
    return f;                                                           \
  }

/* ---- GAsyncQueue: its internal GMutex orders every push before the
 * pops after it ---- */

REAL (void, g_async_queue_push, (GAsyncQueue *, gpointer));
REAL (void, g_async_queue_push_unlocked, (GAsyncQueue *, gpointer));
REAL (void, g_async_queue_push_front, (GAsyncQueue *, gpointer));
REAL (void, g_async_queue_push_sorted, (GAsyncQueue *, gpointer,
        GCompareDataFunc, gpointer));
REAL (gpointer, g_async_queue_pop, (GAsyncQueue *));
REAL (gpointer, g_async_queue_pop_unlocked, (GAsyncQueue *));
REAL (gpointer, g_async_queue_try_pop, (GAsyncQueue *));
REAL (gpointer, g_async_queue_try_pop_unlocked, (GAsyncQueue *));
REAL (gpointer, g_async_queue_timeout_pop, (GAsyncQueue *, guint64));
REAL (gpointer, g_async_queue_timeout_pop_unlocked, (GAsyncQueue *, guint64));

#define PUSH_WRAPPER(name, args, call)                                  \
  VL_EXPORT void name args                                              \
  {                                                                     \
    __tsan_release (q);                                                 \
    call;                                                               \
  }

PUSH_WRAPPER (g_async_queue_push, (GAsyncQueue * q, gpointer data),
    get_real_g_async_queue_push ()(q, data));
PUSH_WRAPPER (g_async_queue_push_unlocked, (GAsyncQueue * q, gpointer data),
    get_real_g_async_queue_push_unlocked ()(q, data));
PUSH_WRAPPER (g_async_queue_push_front, (GAsyncQueue * q, gpointer data),
    get_real_g_async_queue_push_front ()(q, data));
PUSH_WRAPPER (g_async_queue_push_sorted, (GAsyncQueue * q, gpointer data,
        GCompareDataFunc func, gpointer user_data),
    get_real_g_async_queue_push_sorted ()(q, data, func, user_data));

#define POP_WRAPPER(name, args, call)                                   \
  VL_EXPORT gpointer name args                                          \
  {                                                                     \
    gpointer item = call;                                               \
    __tsan_acquire (q);                                                 \
    return item;                                                        \
  }

POP_WRAPPER (g_async_queue_pop, (GAsyncQueue * q),
    get_real_g_async_queue_pop ()(q));
POP_WRAPPER (g_async_queue_pop_unlocked, (GAsyncQueue * q),
    get_real_g_async_queue_pop_unlocked ()(q));
POP_WRAPPER (g_async_queue_try_pop, (GAsyncQueue * q),
    get_real_g_async_queue_try_pop ()(q));
POP_WRAPPER (g_async_queue_try_pop_unlocked, (GAsyncQueue * q),
    get_real_g_async_queue_try_pop_unlocked ()(q));
POP_WRAPPER (g_async_queue_timeout_pop, (GAsyncQueue * q, guint64 t),
    get_real_g_async_queue_timeout_pop ()(q, t));
POP_WRAPPER (g_async_queue_timeout_pop_unlocked, (GAsyncQueue * q, guint64 t),
    get_real_g_async_queue_timeout_pop_unlocked ()(q, t));

/* ---- sources: what the thread that set up a callback wrote before is
 * visible to the callback (GMainContext's lock orders them) ---- */

typedef struct
{
  GSourceFunc func;
  gpointer data;
  GDestroyNotify destroy;
} VlCallback;

static gboolean
callback_trampoline (gpointer user_data)
{
  VlCallback *cb = user_data;

  __tsan_acquire (cb);
  return cb->func (cb->data);
}

static void
callback_destroy (gpointer user_data)
{
  VlCallback *cb = user_data;

  __tsan_acquire (cb);
  if (cb->destroy)
    cb->destroy (cb->data);
  free (cb);
}

/* Wraps func/data/destroy, and publishes the release: what this thread
 * wrote so far is visible to the callback. */
static VlCallback *
callback_new (GSourceFunc func, gpointer data, GDestroyNotify destroy)
{
  VlCallback *cb = malloc (sizeof (VlCallback));

  if (cb == NULL)
    abort ();
  cb->func = func;
  cb->data = data;
  cb->destroy = destroy;
  __tsan_release (cb);
  return cb;
}

REAL (void, g_source_set_callback, (GSource *, GSourceFunc, gpointer,
        GDestroyNotify));
REAL (guint, g_idle_add_full, (gint, GSourceFunc, gpointer, GDestroyNotify));
REAL (guint, g_timeout_add_full, (gint, guint, GSourceFunc, gpointer,
        GDestroyNotify));
REAL (guint, g_timeout_add_seconds_full, (gint, guint, GSourceFunc, gpointer,
        GDestroyNotify));
REAL (void, g_main_context_invoke_full, (GMainContext *, gint, GSourceFunc,
        gpointer, GDestroyNotify));

/* Only idle and timeout sources call their callback as a GSourceFunc; the
 * others (GIOChannel, GstBus, GSocket, child watches...) cast it to another
 * type, so they are left alone. The release is published here (in
 * callback_new()): the thread sets the callback right before it attaches
 * the source. */
VL_EXPORT void
g_source_set_callback (GSource * source, GSourceFunc func, gpointer data,
    GDestroyNotify notify)
{
  VlCallback *cb;

  if (func == NULL || (source->source_funcs != &g_idle_funcs
          && source->source_funcs != &g_timeout_funcs)) {
    get_real_g_source_set_callback ()(source, func, data, notify);
    return;
  }
  cb = callback_new (func, data, notify);
  get_real_g_source_set_callback ()(source, callback_trampoline, cb,
      callback_destroy);
}

VL_EXPORT guint
g_idle_add_full (gint priority, GSourceFunc func, gpointer data,
    GDestroyNotify notify)
{
  VlCallback *cb = callback_new (func, data, notify);

  return get_real_g_idle_add_full ()(priority, callback_trampoline, cb,
      callback_destroy);
}

VL_EXPORT guint
g_idle_add (GSourceFunc func, gpointer data)
{
  return g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, func, data, NULL);
}

VL_EXPORT guint
g_timeout_add_full (gint priority, guint interval, GSourceFunc func,
    gpointer data, GDestroyNotify notify)
{
  VlCallback *cb = callback_new (func, data, notify);

  return get_real_g_timeout_add_full ()(priority, interval, callback_trampoline,
      cb, callback_destroy);
}

VL_EXPORT guint
g_timeout_add (guint interval, GSourceFunc func, gpointer data)
{
  return g_timeout_add_full (G_PRIORITY_DEFAULT, interval, func, data, NULL);
}

VL_EXPORT guint
g_timeout_add_seconds_full (gint priority, guint interval, GSourceFunc func,
    gpointer data, GDestroyNotify notify)
{
  VlCallback *cb = callback_new (func, data, notify);

  return get_real_g_timeout_add_seconds_full ()(priority, interval,
      callback_trampoline, cb, callback_destroy);
}

VL_EXPORT guint
g_timeout_add_seconds (guint interval, GSourceFunc func, gpointer data)
{
  return g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, interval, func,
      data, NULL);
}

VL_EXPORT void
g_main_context_invoke_full (GMainContext * context, gint priority,
    GSourceFunc func, gpointer data, GDestroyNotify notify)
{
  VlCallback *cb = callback_new (func, data, notify);

  get_real_g_main_context_invoke_full ()(context, priority, callback_trampoline,
      cb, callback_destroy);
}

VL_EXPORT void
g_main_context_invoke (GMainContext * context, GSourceFunc func, gpointer data)
{
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, func, data, NULL);
}

/* ---- quarks and interned strings: GLib copies each new string into a
 * shared block under one global lock (G_LOCK (quark_global)); the same
 * edge, keyed on one global ---- */

static char quark_key;

REAL (GQuark, g_quark_from_string, (const gchar *));
REAL (GQuark, g_quark_from_static_string, (const gchar *));
REAL (GQuark, g_quark_try_string, (const gchar *));
REAL (const gchar *, g_quark_to_string, (GQuark));
REAL (const gchar *, g_intern_string, (const gchar *));
REAL (const gchar *, g_intern_static_string, (const gchar *));

#define QUARK_WRAPPER(ret, name, type, arg)                             \
  VL_EXPORT ret name (type arg)                                         \
  {                                                                     \
    ret r;                                                              \
    __tsan_acquire (&quark_key);                                        \
    r = get_real_##name () (arg);                                       \
    __tsan_release (&quark_key);                                        \
    return r;                                                           \
  }

QUARK_WRAPPER (GQuark, g_quark_from_string, const gchar *, string);
QUARK_WRAPPER (GQuark, g_quark_from_static_string, const gchar *, string);
QUARK_WRAPPER (GQuark, g_quark_try_string, const gchar *, string);
QUARK_WRAPPER (const gchar *, g_quark_to_string, GQuark, quark);
QUARK_WRAPPER (const gchar *, g_intern_string, const gchar *, string);
QUARK_WRAPPER (const gchar *, g_intern_static_string, const gchar *, string);

/* ---- refcounts: each unref releases, the last one acquires (what an
 * instrumented atomic refcount gives) ---- */

REAL (void, g_object_unref, (gpointer));
REAL (void, gst_mini_object_unref, (GstMiniObject *));
REAL (void, g_bytes_unref, (GBytes *));

/* GLib's unref is a sequentially consistent atomic decrement: it
 * synchronizes with every earlier unref of the object, so the one that
 * frees sees them all. The same edges: acquire, then release. (The count
 * is not read here: a read racing with the free would itself be
 * reported.) */
static inline void
unref_edges (gpointer key)
{
  __tsan_acquire (key);
  __tsan_release (key);
}

#define UNREF_WRAPPER(name, type)                                       \
  VL_EXPORT void name (type object)                                     \
  {                                                                     \
    if (object)                                                         \
      unref_edges (object);                                             \
    get_real_##name () (object);                                        \
  }

UNREF_WRAPPER (g_object_unref, gpointer);
UNREF_WRAPPER (gst_mini_object_unref, GstMiniObject *);
UNREF_WRAPPER (g_bytes_unref, GBytes *);
