/* gst-voicelive
 * The shared session: the name registry and the public API the elements
 * call (streaming threads), the send queue, and the glue that runs the
 * connection and the conversation on the network thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * A note on threading
 *
 * Sessions share a few network threads (gstvoicelivenet.c: one per core,
 * then more as sessions grow; idle ones end), each running a private
 * GMainContext; a session stays on one from init to finalize. The
 * connection (gstvoiceliveconnection.c, the only libsoup user) lives on
 * that thread only and calls back here there. Streaming threads hand work
 * over by queueing under self->lock and attaching an idle source to the
 * network context: they never wait for the network.
 *
 * Lock order: registry_lock, then self->lock, then elem_lock. Never post a
 * message or call into an element while holding self->lock.
 *
 * Settings (params, config) are snapshotted by start() under self->lock;
 * the conversation state (gstvoiceliveconversation.c, pure) and the
 * queues are under self->lock; conn, reconnect_source and parser belong to
 * the network thread.
 *
 * The session points at the current connection; stop() detaches it, so
 * late callbacks of an old connection do nothing.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstvoicelivesession-private.h"
#include "gstvoicelivenet.h"

GST_DEBUG_CATEGORY (voicelivesession_debug);

/* Input audio queued while not connected, before old chunks are dropped. */
#define MAX_PENDING_AUDIO_BYTES (60 * 24000 * 2)

G_DEFINE_TYPE (GstVoiceLiveSession, gst_voice_live_session, GST_TYPE_OBJECT);

void
vl_out_frame_free (OutFrame * f)
{
  if (f->buf)
    g_string_free (f->buf, TRUE);
  else
    g_free (f->frame);
  g_free (f);
}

/* ---- the shared network thread ---- */

/* The threads are gstvoicelivenet.c's: a session holds one from init to
 * finalize and hands it work with these two. */

static inline void
net_kick (GstVoiceLiveSession * self)
{
  gst_voice_live_net_kick (self->net, GST_OBJECT_CAST (self));
}

#define net_invoke gst_voice_live_net_invoke

/* ---- helpers ---- */

GstElement *
vl_session_post_element (GstVoiceLiveSession * self, gboolean prefer_src)
{
  GstElement *e;

  g_mutex_lock (&self->elem_lock);
  if (prefer_src)
    e = self->src ? self->src : self->sink;
  else
    e = self->sink ? self->sink : self->src;
  if (e)
    gst_object_ref (e);
  g_mutex_unlock (&self->elem_lock);
  return e;
}

gboolean
vl_session_wait_locked (GstVoiceLiveSession * self, gint64 deadline_us)
{
  gboolean woken;

  self->cond_waiters++;
  /* a wake-up just at the deadline still counts */
  woken = g_cond_wait_until (&self->cond, &self->lock, deadline_us)
      || g_get_monotonic_time () < deadline_us;
  self->cond_waiters--;
  return woken;
}

void
vl_session_post (GstVoiceLiveSession * self, GstStructure * s,
    gboolean prefer_src)
{
  GstElement *e = vl_session_post_element (self, prefer_src);

  if (!e) {
    gst_structure_free (s);
    return;
  }
  gst_structure_set (s, "session-name", G_TYPE_STRING, self->name, NULL);
  gst_element_post_message (e, gst_message_new_element (GST_OBJECT (e), s));
  gst_object_unref (e);
}

static GstStructure *
connection_message (const gchar * state, guint attempt, const gchar * reason,
    guint close_code, const gchar * close_reason)
{
  return gst_structure_new ("voicelive/connection",
      "state", G_TYPE_STRING, state,
      "attempt", G_TYPE_UINT, attempt,
      "reason", G_TYPE_STRING, reason ? reason : "",
      "close-code", G_TYPE_UINT, close_code,
      "close-reason", G_TYPE_STRING, close_reason ? close_reason : "", NULL);
}

void
vl_session_post_connection (GstVoiceLiveSession * self, const gchar * state,
    guint attempt, const gchar * reason)
{
  vl_session_post (self, connection_message (state, attempt, reason, 0, NULL),
      FALSE);
}

void
vl_session_post_closed (GstVoiceLiveSession * self, guint code,
    const gchar * reason)
{
  gchar *why = code ? g_strdup_printf ("closed (code %u)", code) :
      g_strdup ("closed without an answer to the close frame");

  vl_session_post (self, connection_message ("disconnected", 0, why, code,
          reason), FALSE);
  g_free (why);
  g_mutex_lock (&self->lock);
  if (self->closes_pending > 0)
    self->closes_pending--;
  wake_waiters (self);
  g_mutex_unlock (&self->lock);
}

/* Sessions stopping together (a pipeline of many agents going to NULL)
 * share one wait for their close replies, not one each in turn: a stop
 * that comes while an earlier one's window is open, or within one
 * timeout after it, waits only until that window ends. */
static GMutex close_window_lock;
static gint64 close_window_end;

static gint64
close_deadline (guint timeout_ms)
{
  gint64 now = g_get_monotonic_time (), t =
      timeout_ms * G_TIME_SPAN_MILLISECOND;
  gint64 end;

  g_mutex_lock (&close_window_lock);
  if (now > close_window_end + t)
    close_window_end = now + t;
  end = close_window_end;
  g_mutex_unlock (&close_window_lock);
  return end;
}

/* A fatal condition: post an error on the sink (or src) and make the
 * streaming threads stop. */
void
vl_session_fail (GstVoiceLiveSession * self, GQuark domain, gint code,
    const gchar * user_text, const gchar * debug_text)
{
  GstElement *e;

  g_mutex_lock (&self->lock);
  if (self->failed || self->failing) {
    g_mutex_unlock (&self->lock);
    return;
  }
  self->failing = TRUE;
  g_mutex_unlock (&self->lock);

  /* Post before the streaming threads stop, so that this error, not a
   * generic "data flow error" of another element, is the first one. */
  GST_ERROR_OBJECT (self, "%s (%s)", user_text, debug_text);
  e = vl_session_post_element (self, FALSE);
  if (e) {
    gst_element_message_full (e, GST_MESSAGE_ERROR, domain, code,
        g_strdup (user_text), g_strdup (debug_text), __FILE__, GST_FUNCTION,
        __LINE__);
    gst_object_unref (e);
  }

  g_mutex_lock (&self->lock);
  self->failed = TRUE;
  wake_waiters (self);
  g_mutex_unlock (&self->lock);
}

/* ---- GObject ---- */

static void
gst_voice_live_session_finalize (GObject * object)
{
  GstVoiceLiveSession *self = GST_VOICE_LIVE_SESSION (object);
  OutFrame *f;

  /* Connections hold a ref, so none can be attached here. */
  g_assert (self->conn == NULL && self->renew_conn == NULL);

  /* The last ref may go in any thread: taking the lock orders this after
   * the other threads' last writes (also for ThreadSanitizer, which does
   * not see GObject's refcount). */
  g_mutex_lock (&self->lock);
  while ((f = g_queue_pop_head (&self->outgoing)))
    vl_out_frame_free (f);
  while ((f = g_queue_pop_head (&self->spare_frames)))
    vl_out_frame_free (f);
  g_ptr_array_unref (self->src_msgs);
  vl_session_video_reset_locked (self);
  vl_session_avatar_rtc_reset_locked (self);
  gst_voice_live_playback_free (self->playback);
  gst_voice_live_captions_free (self->captions);
  gst_voice_live_echo_ref_clear (&self->echo_ref);
  gst_voice_live_conversation_clear (&self->conv);
  gst_voice_live_connect_params_free (self->params);
  gst_voice_live_config_clear (&self->config);
  if (self->extra_session)
    json_object_unref (self->extra_session);
  if (self->parser)
    g_object_unref (self->parser);
  g_free (self->name);
  g_mutex_unlock (&self->lock);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->elem_lock);
  g_cond_clear (&self->cond);
  gst_voice_live_net_release (self->net);

  G_OBJECT_CLASS (gst_voice_live_session_parent_class)->finalize (object);
}

static void
gst_voice_live_session_class_init (GstVoiceLiveSessionClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->finalize = gst_voice_live_session_finalize;
  GST_DEBUG_CATEGORY_INIT (voicelivesession_debug, "voicelivesession", 0,
      "Voice Live session (shared)");
}

static void
gst_voice_live_session_init (GstVoiceLiveSession * self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->elem_lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->outgoing);
  g_queue_init (&self->spare_frames);
  g_queue_init (&self->video);
  self->src_msgs = g_ptr_array_new ();
  gst_voice_live_conversation_init (&self->conv);
  self->net =
      gst_voice_live_net_acquire ((VlNetFlushFunc) vl_session_net_flush);
  self->net_ctx = gst_voice_live_net_get_context (self->net);
  self->playback = gst_voice_live_playback_new ();
  self->captions = gst_voice_live_captions_new ();
  gst_voice_live_echo_ref_init (&self->echo_ref);
  self->out_position = GST_CLOCK_TIME_NONE;
  self->barge_in = TRUE;
  self->src_latency = 0;
  self->last_to_audio_ms = self->last_to_playback_ms = -1;
  self->expires_at = -1;
  gst_voice_live_config_init (&self->config);
}

GstClockTime
gst_voice_live_running_time (GstElement * element, GstClockTime no_clock)
{
  GstClock *clock = gst_element_get_clock (element);
  GstClockTime now, base;

  if (!clock)
    return no_clock;
  now = gst_clock_get_time (clock);
  base = gst_element_get_base_time (element);
  gst_object_unref (clock);
  return now > base ? now - base : 0;
}

/* ---- registry ---- */

static GMutex registry_lock;
static GHashTable *registry;    /* name -> session, not reffed */

/* @role: 0 sink, 1 src, 2 text src, 3 avatar src */
static GstVoiceLiveSession *
acquire_role (const gchar * name, GstElement * element, guint role,
    GError ** error)
{
  static const gchar *const role_names[] = { "voicelivesink",
    "voicelivesrc", "voicelivetextsrc", "voiceliveavatarsrc"
  };
  GstVoiceLiveSession *self;
  GstElement *holder;

  if (!name || !*name)
    name = "default";

  g_mutex_lock (&registry_lock);
  if (!registry)
    registry = g_hash_table_new (g_str_hash, g_str_equal);
  self = g_hash_table_lookup (registry, name);
  if (self) {
    holder = role == 0 ? self->sink : role == 1 ? self->src :
        role == 2 ? self->text : self->avatar;
    if (holder && holder != element) {
      g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_BUSY,
          "session-name \"%s\" already has a %s (%s); use a different "
          "session-name for each agent", name, role_names[role],
          GST_OBJECT_NAME (holder));
      g_mutex_unlock (&registry_lock);
      return NULL;
    }
    gst_object_ref (self);
  } else {
    gchar *obj_name = g_strdup_printf ("voicelivesession-%s", name);

    self = g_object_new (GST_TYPE_VOICE_LIVE_SESSION, "name", obj_name, NULL);
    g_free (obj_name);
    gst_object_ref_sink (self);
    self->name = g_strdup (name);
    g_hash_table_insert (registry, self->name, self);
  }
  g_mutex_lock (&self->lock);
  g_mutex_lock (&self->elem_lock);
  if (role == 0)
    self->sink = element;
  else if (role == 1)
    self->src = element;
  else if (role == 2)
    self->text = element;
  else
    self->avatar = element;
  g_mutex_unlock (&self->elem_lock);
  vl_session_update_output_limit_locked (self);
  g_mutex_unlock (&self->lock);
  g_mutex_unlock (&registry_lock);

  GST_DEBUG_OBJECT (self, "acquired by %" GST_PTR_FORMAT, element);
  return self;
}

GstVoiceLiveSession *
gst_voice_live_session_acquire (const gchar * name, GstElement * element,
    gboolean is_sink, GError ** error)
{
  return acquire_role (name, element, is_sink ? 0 : 1, error);
}

GstVoiceLiveSession *
gst_voice_live_session_acquire_text (const gchar * name, GstElement * element,
    GError ** error)
{
  return acquire_role (name, element, 2, error);
}

GstVoiceLiveSession *
gst_voice_live_session_acquire_avatar (const gchar * name,
    GstElement * element, GError ** error)
{
  return acquire_role (name, element, 3, error);
}

void
gst_voice_live_session_release (GstVoiceLiveSession * self,
    GstElement * element)
{
  g_mutex_lock (&registry_lock);
  g_mutex_lock (&self->lock);
  g_mutex_lock (&self->elem_lock);
  if (self->sink == element)
    self->sink = NULL;
  if (self->text == element)
    self->text = NULL;
  if (self->avatar == element) {
    self->avatar = NULL;
    vl_session_video_reset_locked (self);
  }
  if (self->src == element) {
    self->src = NULL;
    /* Nobody will play what is queued, nor what comes. */
    gst_voice_live_playback_reset (self->playback);
    vl_session_update_output_limit_locked (self);
  }
  g_mutex_unlock (&self->elem_lock);
  if (!self->sink && !self->src && !self->text && !self->avatar
      && g_hash_table_lookup (registry, self->name) == self)
    g_hash_table_remove (registry, self->name);
  g_mutex_unlock (&self->lock);
  g_mutex_unlock (&registry_lock);

  GST_DEBUG_OBJECT (self, "released by %" GST_PTR_FORMAT, element);
  gst_object_unref (self);
}

static GstVoiceLiveSession *
acquire_or_warn (const gchar * name, GstElement * element, guint role)
{
  GError *err = NULL;
  GstVoiceLiveSession *session = acquire_role (name, element, role, &err);

  if (!session) {
    GST_ELEMENT_WARNING (element, RESOURCE, BUSY,
        ("Property 'session-name' not changed: %s", err->message), (NULL));
    g_clear_error (&err);
  }
  return session;
}

GstVoiceLiveSession *
gst_voice_live_session_acquire_renamed (const gchar * name,
    GstElement * element, gboolean is_sink)
{
  return acquire_or_warn (name, element, is_sink ? 0 : 1);
}

gboolean
gst_voice_live_session_rename (GstVoiceLiveSession ** slot,
    gchar ** name_field, GMutex * lock, GstElement * element,
    const gchar * name, gboolean text, GstVoiceLiveAttachFunc attach)
{
  GstVoiceLiveSession *old, *session;

  g_mutex_lock (lock);
  GST_OBJECT_LOCK (element);
  old = *slot;
  if (!old || strcmp (name, *name_field) == 0) {
    g_free (*name_field);
    *name_field = g_strdup (name);
    GST_OBJECT_UNLOCK (element);
    g_mutex_unlock (lock);
    return TRUE;
  }
  GST_OBJECT_UNLOCK (element);
  session = acquire_or_warn (name, element, text ? 2 : 1);
  if (!session) {
    g_mutex_unlock (lock);
    return FALSE;
  }
  GST_OBJECT_LOCK (element);
  *slot = session;
  g_free (*name_field);
  *name_field = g_strdup (name);
  if (attach)
    attach (element, session);
  GST_OBJECT_UNLOCK (element);
  gst_voice_live_session_release (old, element);
  g_mutex_unlock (lock);
  return TRUE;
}

void
gst_voice_live_session_let_go (GstVoiceLiveSession ** slot, GMutex * lock,
    GstElement * element, gboolean stop)
{
  GstVoiceLiveSession *session;

  g_mutex_lock (lock);
  GST_OBJECT_LOCK (element);
  session = *slot;
  *slot = NULL;
  GST_OBJECT_UNLOCK (element);
  if (session) {
    if (stop)
      gst_voice_live_session_stop (session);
    gst_voice_live_session_release (session, element);
  }
  g_mutex_unlock (lock);
}

const gchar *
gst_voice_live_session_get_name (GstVoiceLiveSession * self)
{
  return self->name;
}

gboolean
gst_voice_live_session_has_sink (GstVoiceLiveSession * self)
{
  gboolean has;

  g_mutex_lock (&self->lock);
  has = self->sink != NULL;
  g_mutex_unlock (&self->lock);
  return has;
}

/* ---- public API ---- */

void
gst_voice_live_session_start (GstVoiceLiveSession * self,
    GstVoiceLiveConnectParams * params)
{
  g_mutex_lock (&self->lock);
  gst_voice_live_connect_params_free (self->params);
  self->params = params;
  self->connected_once = FALSE;
  self->reconnecting = FALSE;
  self->reconnect_attempt = 0;
  self->flush_scheduled = FALSE;
  gst_voice_live_conversation_reset (&self->conv);
  gst_voice_live_conversation_configure (&self->conv, &params->config);
  self->started = TRUE;
  self->ready = FALSE;
  self->failed = FALSE;
  self->failing = FALSE;
  gst_voice_live_config_copy (&self->config, &params->config);
  self->in_format = params->in_format;
  self->dialect = params->dialect;
  self->ec_client = (params->config.set &
      GST_VOICE_LIVE_FIELD_ECHO_CANCELLATION)
      && params->config.echo_cancellation ==
      GST_VOICE_LIVE_ECHO_CANCELLATION_CLIENT_REFERENCE;
  self->ec_await_updated = FALSE;
  self->output_eos = FALSE;
  self->out_full_warned = FALSE;
  /* Item ids and input ms start anew with the service's session */
  gst_voice_live_captions_reset (self->captions);
  /* The stats describe this run. */
  self->stat_bytes_sent = self->stat_audio_bytes_sent = 0;
  self->stat_bytes_received = self->stat_audio_bytes_received = 0;
  self->stat_responses = self->stat_reconnects = 0;
  self->stat_renewals = 0;
  self->renewing = FALSE;
  self->stat_max_send_delay_us = 0;
  self->stat_output_dropped_bytes = 0;
  self->stat_output_avatar_bytes = 0;
  self->avatar_voice_noted = FALSE;
  self->dropped_audio_bytes = 0;
  self->last_to_audio_ms = self->last_to_playback_ms = -1;
  self->expires_at = -1;
  g_mutex_unlock (&self->lock);

  net_invoke (self->net_ctx, vl_session_net_start_cb, gst_object_ref (self),
      gst_object_unref);
}

void
gst_voice_live_session_stop (GstVoiceLiveSession * self)
{
  guint timeout_ms;
  gint64 deadline;
  OutFrame *f;

  g_mutex_lock (&self->lock);
  /* Told by vl_session_post_closed() once the network thread is done */
  self->closes_pending++;
  timeout_ms = self->params ? self->params->close_timeout_ms : 0;
  self->started = FALSE;
  self->ready = FALSE;
  while ((f = g_queue_pop_head (&self->outgoing))) {
    vl_out_frame_free (f);
  }
  self->outgoing_audio_bytes = 0;
  /* update-session applies to the run it was called in (or, before one
   * starts, to the next one), not to every later run. */
  g_clear_pointer (&self->extra_session, json_object_unref);
  wake_waiters (self);
  g_mutex_unlock (&self->lock);

  net_invoke (self->net_ctx, vl_session_net_stop_cb, gst_object_ref (self),
      gst_object_unref);

  /* A process that exits right after going to NULL must still have said
   * goodbye: wait for the close handshake, bounded; a peer that does not
   * answer in time is left to the network thread. */
  deadline = close_deadline (timeout_ms);
  g_mutex_lock (&self->lock);
  while (self->closes_pending > 0) {
    if (!vl_session_wait_locked (self, deadline))
      break;
  }
  g_mutex_unlock (&self->lock);
}

/* Queues @n frames under one lock and wakes the network thread once: a
 * render that brings several chunks is one hand-off. */
static void
queue_frames (GstVoiceLiveSession * self, OutFrame ** fs, guint n)
{
  gboolean schedule;
  gint64 now = g_get_monotonic_time ();
  guint i;

  g_mutex_lock (&self->lock);
  for (i = 0; i < n; i++) {
    OutFrame *f = fs[i];
    gsize audio_bytes = f->audio_bytes;

    if (audio_bytes > 0)
      f->queued_us = now;
    if (!self->started) {
      vl_out_frame_free (f);
      continue;
    }
    /* Input during an outage is dropped and counted: late audio would
     * start false turns on the new connection. */
    if (audio_bytes > 0 && self->reconnecting) {
      self->dropped_audio_bytes += audio_bytes;
      vl_out_frame_free (f);
      continue;
    }
    /* While not connected, keep a bounded backlog of input audio. */
    while (audio_bytes > 0 && !self->ready
        && self->outgoing_audio_bytes + audio_bytes > MAX_PENDING_AUDIO_BYTES) {
      GList *l;

      for (l = self->outgoing.head; l; l = l->next) {
        OutFrame *old = l->data;

        if (old->audio_bytes > 0) {
          self->outgoing_audio_bytes -= old->audio_bytes;
          self->dropped_audio_bytes += old->audio_bytes;
          vl_out_frame_free (old);
          g_queue_delete_link (&self->outgoing, l);
          break;
        }
      }
      if (!l)
        break;
    }
    g_queue_push_tail (&self->outgoing, f);
    self->outgoing_audio_bytes += audio_bytes;
    if (audio_bytes > 0)
      gst_voice_live_conversation_audio_queued (&self->conv);
  }
  schedule = self->started && self->ready && !self->flush_scheduled;
  if (schedule)
    self->flush_scheduled = TRUE;
  g_mutex_unlock (&self->lock);

  if (schedule)
    net_kick (self);
}

void
gst_voice_live_session_send (GstVoiceLiveSession * self, gchar * frame,
    gsize audio_bytes)
{
  OutFrame *f = g_new0 (OutFrame, 1);

  f->frame = frame;
  f->audio_bytes = audio_bytes;
  queue_frames (self, &f, 1);
}

/* At most this many appends per hand-off (a render of a larger buffer is
 * handed over in several). */
#define MAX_FRAMES_PER_HANDOFF 16

void
gst_voice_live_session_send_audio (GstVoiceLiveSession * self,
    const guint8 * data, gsize len, gsize chunk)
{
  if (chunk == 0 || chunk > len)
    chunk = len;
  while (len > 0) {
    OutFrame *fs[MAX_FRAMES_PER_HANDOFF];
    guint n = MIN ((len + chunk - 1) / chunk, MAX_FRAMES_PER_HANDOFF), i;

    /* the buffers of appends libsoup has copied, reused */
    g_mutex_lock (&self->lock);
    for (i = 0; i < n; i++)
      fs[i] = g_queue_pop_head (&self->spare_frames);
    g_mutex_unlock (&self->lock);
    for (i = 0; i < n; i++) {
      gsize this_len = MIN (chunk, len);
      OutFrame *f = fs[i];

      if (!f) {
        f = fs[i] = g_new0 (OutFrame, 1);
        f->buf = g_string_sized_new (this_len / 3 * 4 + 64);
      }
      gst_voice_live_build_append (f->buf, data, this_len);
      f->frame = f->buf->str;
      f->audio_bytes = this_len;
      data += this_len;
      len -= this_len;
    }
    queue_frames (self, fs, n);
  }
}

void
gst_voice_live_session_update_config (GstVoiceLiveSession * self,
    const GstVoiceLiveConfig * cfg, guint fields)
{
  gchar *frame = NULL;

  g_mutex_lock (&self->lock);
  gst_voice_live_config_copy (&self->config, cfg);
  gst_voice_live_conversation_configure (&self->conv, cfg);
  /* Before session.created the first session.update carries it all. A
   * field un-set (set back to a default that is not sent) still re-sends
   * the rest of its object. */
  if (self->ready && (cfg->set & gst_voice_live_fields_whole_objects (fields))) {
    gchar *id = gst_voice_live_conversation_next_update_id (&self->conv);

    frame = gst_voice_live_dialect_session_update (self->dialect, cfg,
        fields, id, -1, -1, NULL);
    g_free (id);
  }
  g_mutex_unlock (&self->lock);

  if (frame) {
    /* not the frame: tools may carry an MCP server's authorization */
    GST_DEBUG_OBJECT (self, "runtime change: fields 0x%x, %" G_GSIZE_FORMAT
        " bytes", fields, strlen (frame));
    gst_voice_live_session_send (self, frame, 0);
  }
}

GstStructure *
gst_voice_live_session_get_stats (GstVoiceLiveSession * self)
{
  GstStructure *s;
  guint in_rate, in_bps, out_rate, out_bps;

  g_mutex_lock (&self->lock);
  in_rate = gst_voice_live_audio_format_rate (self->in_format);
  in_bps = gst_voice_live_audio_format_bytes_per_sample (self->in_format);
  /* stereo appends: the ms are the microphone's */
  if (self->ec_client)
    in_bps *= 2;
  out_rate = gst_voice_live_audio_format_rate (self->out_format);
  out_bps = gst_voice_live_audio_format_bytes_per_sample (self->out_format);
  s = gst_structure_new ("voicelive/stats",
      "session-name", G_TYPE_STRING, self->name,
      "bytes-sent", G_TYPE_UINT64, self->stat_bytes_sent,
      "audio-ms-sent", G_TYPE_UINT64,
      self->stat_audio_bytes_sent * 1000 / (in_rate * in_bps),
      "bytes-received", G_TYPE_UINT64, self->stat_bytes_received,
      "audio-ms-received", G_TYPE_UINT64,
      self->stat_audio_bytes_received * 1000 / (out_rate * out_bps),
      "input-ms-dropped", G_TYPE_UINT64,
      self->dropped_audio_bytes * 1000 / (in_rate * in_bps),
      "output-ms-dropped", G_TYPE_UINT64,
      self->stat_output_dropped_bytes * 1000 / (out_rate * out_bps),
      "output-ms-avatar", G_TYPE_UINT64,
      self->stat_output_avatar_bytes * 1000 / (out_rate * out_bps),
      "responses", G_TYPE_UINT64, (guint64) self->stat_responses,
      "reconnects", G_TYPE_UINT64, (guint64) self->stat_reconnects,
      "renewals", G_TYPE_UINT64, (guint64) self->stat_renewals,
      "protocol", G_TYPE_STRING, gst_voice_live_dialect_name (self->dialect),
      "max-send-delay-us", G_TYPE_UINT64, self->stat_max_send_delay_us,
      "last-speech-stopped-to-first-audio-ms", G_TYPE_INT64,
      self->last_to_audio_ms,
      "last-first-audio-to-playback-ms", G_TYPE_INT64,
      self->last_to_playback_ms, "expires-at", G_TYPE_INT64,
      self->expires_at, NULL);
  g_mutex_unlock (&self->lock);
  return s;
}

void
gst_voice_live_session_wake_drain (GstVoiceLiveSession * self)
{
  g_mutex_lock (&self->lock);
  self->drain_wakeups++;
  wake_waiters (self);
  g_mutex_unlock (&self->lock);
}

void
gst_voice_live_session_set_dialect (GstVoiceLiveSession * self, gint dialect)
{
  g_mutex_lock (&self->lock);
  self->dialect = dialect;
  g_mutex_unlock (&self->lock);
}

gint
gst_voice_live_session_get_dialect (GstVoiceLiveSession * self)
{
  gint d;

  g_mutex_lock (&self->lock);
  d = self->dialect;
  g_mutex_unlock (&self->lock);
  return d;
}

gboolean
gst_voice_live_session_has_failed (GstVoiceLiveSession * self)
{
  gboolean failed;

  g_mutex_lock (&self->lock);
  failed = self->failed;
  g_mutex_unlock (&self->lock);
  return failed;
}

void
gst_voice_live_session_begin_drain (GstVoiceLiveSession * self,
    gboolean manual_turns)
{
  gboolean commit;
  gchar *id;

  g_mutex_lock (&self->lock);
  commit = self->started
      && gst_voice_live_conversation_drain_needs_commit (&self->conv,
      manual_turns);
  g_mutex_unlock (&self->lock);
  if (commit) {
    gst_voice_live_session_send (self,
        gst_voice_live_build_simple ("input_audio_buffer.commit", NULL), 0);
    /* Through the gate like any response.create: after an active response,
     * and marked awaited before it is queued. */
    gst_voice_live_session_request_response (self, NULL);
  }
  /* A no-op session.update is a barrier: the service answers events in
   * order, so once it is answered every turn the input caused is known. */
  g_mutex_lock (&self->lock);
  id = gst_voice_live_conversation_next_update_id (&self->conv);
  g_mutex_unlock (&self->lock);
  gst_voice_live_session_send (self,
      gst_voice_live_dialect_barrier (self->dialect, id), 0);
  g_free (id);
}

guint
gst_voice_live_session_get_drain_wakeups (GstVoiceLiveSession * self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->drain_wakeups;
  g_mutex_unlock (&self->lock);
  return n;
}

GstVoiceLiveDrainResult
gst_voice_live_session_wait_drained (GstVoiceLiveSession * self,
    guint wakeups, gint64 deadline_us)
{
  GstVoiceLiveDrainResult res;

  g_mutex_lock (&self->lock);
  self->drain_waiters++;
  while (TRUE) {
    if (!self->started || self->failed) {
      res = GST_VOICE_LIVE_DRAIN_ABORTED;
      break;
    }
    if (gst_voice_live_conversation_settled (&self->conv)
        && self->outgoing.length == 0) {
      res = GST_VOICE_LIVE_DRAIN_DONE;
      break;
    }
    if (self->drain_wakeups != wakeups) {
      res = GST_VOICE_LIVE_DRAIN_WOKEN;
      break;
    }
    if (!vl_session_wait_locked (self, deadline_us)) {
      res = GST_VOICE_LIVE_DRAIN_TIMEOUT;
      break;
    }
  }
  self->drain_waiters--;
  g_mutex_unlock (&self->lock);
  return res;
}

/* ---- caps, for both elements ---- */

GstCaps *
gst_voice_live_offered_caps (GstCaps * caps, gboolean ga, GstCaps * filter)
{
  if (ga) {
    gst_caps_unref (caps);
    caps = gst_caps_from_string (GST_VOICE_LIVE_GA_AUDIO_CAPS);
  }
  if (filter) {
    GstCaps *tmp = gst_caps_intersect_full (filter, caps,
        GST_CAPS_INTERSECT_FIRST);

    gst_caps_unref (caps);
    caps = tmp;
  }
  return caps;
}

/* ---- conversation control (the sink's action signals) ---- */

static gboolean
send_if_started (GstVoiceLiveSession * self, gchar * frame)
{
  gboolean started;

  g_mutex_lock (&self->lock);
  started = self->started;
  g_mutex_unlock (&self->lock);
  if (!started) {
    GST_WARNING_OBJECT (self, "not started: event dropped");
    g_free (frame);
    return FALSE;
  }
  gst_voice_live_session_send (self, frame, 0);
  return TRUE;
}

gboolean
gst_voice_live_session_send_event (GstVoiceLiveSession * self,
    const gchar * json, GError ** error)
{
  JsonNode *n = json_from_string (json, NULL);
  JsonNode *type;
  gboolean ok;

  ok = n && JSON_NODE_HOLDS_OBJECT (n);
  type = ok ? json_object_get_member (json_node_get_object (n), "type") : NULL;
  ok = ok && type && JSON_NODE_HOLDS_VALUE (type)
      && json_node_get_value_type (type) == G_TYPE_STRING;
  if (n)
    json_node_unref (n);
  if (!ok) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "send-event: expected a JSON object with a string \"type\"");
    return FALSE;
  }
  return send_if_started (self, g_strdup (json));
}

GSource *
gst_voice_live_session_add_timeout (GstVoiceLiveSession * self, guint ms,
    GSourceFunc func, gpointer data, GDestroyNotify destroy)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, destroy);
  g_source_attach (source, self->net_ctx);
  return source;
}

gboolean
gst_voice_live_session_add_user_text (GstVoiceLiveSession * self,
    const gchar * text)
{
  return send_if_started (self, gst_voice_live_build_user_text (text));
}

gboolean
gst_voice_live_session_send_text (GstVoiceLiveSession * self,
    const gchar * text)
{
  if (!gst_voice_live_session_add_user_text (self, text))
    return FALSE;
  return gst_voice_live_session_request_response (self, NULL);
}

gboolean
gst_voice_live_session_request_response (GstVoiceLiveSession * self,
    const gchar * instructions)
{
  g_mutex_lock (&self->lock);
  if (!self->started) {
    g_mutex_unlock (&self->lock);
    return FALSE;
  }
  gst_voice_live_conversation_request_response (&self->conv, instructions);
  g_mutex_unlock (&self->lock);
  vl_session_maybe_create_response (self);
  return TRUE;
}

gboolean
gst_voice_live_session_queue_response (GstVoiceLiveSession * self,
    JsonObject * response, gboolean mute)
{
  g_mutex_lock (&self->lock);
  if (!self->started) {
    g_mutex_unlock (&self->lock);
    json_object_unref (response);
    return FALSE;
  }
  gst_voice_live_conversation_queue_response (&self->conv, response, mute);
  g_mutex_unlock (&self->lock);
  vl_session_maybe_create_response (self);
  return TRUE;
}

gboolean
gst_voice_live_session_mcp_approve (GstVoiceLiveSession * self,
    const gchar * approval_request_id, gboolean approve, GError ** error)
{
  gboolean known;

  g_mutex_lock (&self->lock);
  known = self->started && gst_voice_live_conversation_answer_approval
      (&self->conv, approval_request_id);
  g_mutex_unlock (&self->lock);
  if (!known) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "mcp-approve: no MCP approval request \"%s\" is waiting for an "
        "answer (see the voicelive/mcp-approval-request messages)",
        approval_request_id ? approval_request_id : "(null)");
    return FALSE;
  }
  /* Only the item: whether the service goes on by itself or wants a
   * response.create is unverified (protocol-2026.md 2.6); it continuing by
   * itself is the safer reading, as an extra response.create would make an
   * extra answer. Call create-response if it does not. */
  gst_voice_live_session_send (self,
      gst_voice_live_build_mcp_approval (approval_request_id, approve), 0);
  return TRUE;
}

gboolean
gst_voice_live_session_cancel_response (GstVoiceLiveSession * self)
{
  gboolean active;

  g_mutex_lock (&self->lock);
  /* Only while one runs: else the service answers response_cancel_not_active */
  active = self->started && self->conv.response_active;
  g_mutex_unlock (&self->lock);
  if (!active)
    return FALSE;
  gst_voice_live_session_send (self,
      gst_voice_live_build_simple ("response.cancel", NULL), 0);
  return TRUE;
}

gboolean
gst_voice_live_session_function_result (GstVoiceLiveSession * self,
    const gchar * call_id, const gchar * output, GError ** error)
{
  gboolean known;

  g_mutex_lock (&self->lock);
  known = gst_voice_live_conversation_function_result (&self->conv, call_id);
  g_mutex_unlock (&self->lock);
  if (!known) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "function-result: no function call with call_id \"%s\" is waiting "
        "for a result", call_id ? call_id : "(null)");
    return FALSE;
  }
  gst_voice_live_session_send (self,
      gst_voice_live_build_function_output (call_id, output ? output : ""), 0);
  vl_session_maybe_create_response (self);
  return TRUE;
}

gboolean
gst_voice_live_session_update_session_json (GstVoiceLiveSession * self,
    const gchar * json, GError ** error)
{
  JsonNode *n = json_from_string (json, NULL);
  JsonObject *o;
  gchar *frame, *id;
  JsonNode *wrap;
  JsonObject *ev;

  if (!n || !JSON_NODE_HOLDS_OBJECT (n)) {
    if (n)
      json_node_unref (n);
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "update-session: expected a JSON object of session fields");
    return FALSE;
  }
  o = json_node_get_object (n);

  g_mutex_lock (&self->lock);
  /* Kept, so a later full update (a reconnect) carries it too. */
  if (!self->extra_session)
    self->extra_session = json_object_new ();
  gst_voice_live_json_merge (self->extra_session, o);
  if (!self->started) {
    g_mutex_unlock (&self->lock);
    json_node_unref (n);
    return TRUE;
  }
  id = gst_voice_live_conversation_next_update_id (&self->conv);
  g_mutex_unlock (&self->lock);

  ev = json_object_new ();
  json_object_set_string_member (ev, "type", "session.update");
  json_object_set_string_member (ev, "event_id", id);
  json_object_set_object_member (ev, "session", json_object_ref (o));
  wrap = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (wrap, ev);
  frame = json_to_string (wrap, FALSE);
  json_node_unref (wrap);
  json_node_unref (n);
  g_free (id);
  gst_voice_live_session_send (self, frame, 0);
  return TRUE;
}
