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
#include "gstvoicelivesession.h"
#include "gstvoiceliveplayback.h"
#include "gstvoicelivenet.h"
#include "gstvoiceliveevents.h"
#include "gstvoiceliveconversation.h"
#include "gstvoiceliveconnection.h"

GST_DEBUG_CATEGORY_STATIC (voicelivesession_debug);
#define GST_CAT_DEFAULT voicelivesession_debug

/* Input audio queued while not connected, before old chunks are dropped. */
#define MAX_PENDING_AUDIO_BYTES (60 * 24000 * 2)

struct _GstVoiceLiveSession
{
  GstObject parent;

  gchar *name;

  /* Registry fields, under registry_lock and self->lock */
  GstElement *sink;
  GstElement *src;

  GMutex lock;
  GCond cond;

  /* The elements posting messages: written under self->lock and
   * elem_lock, read under either. Posting takes only elem_lock, so the
   * network thread posting events does not hold up the streaming
   * threads on self->lock. */
  GMutex elem_lock;

  /* Everything below is under self->lock */
  guint cond_waiters;           /* threads in g_cond_wait on cond */
  GstVoiceLiveConnectParams *params;    /* kept: each attempt gets a copy */
  gboolean connected_once;      /* a later loss reconnects */
  gboolean reconnecting;
  guint reconnect_attempt;
  gint64 connected_since;
  GstVoiceLiveConfig config;    /* latest, for (re)connect updates */
  GstVoiceLiveAudioFormat in_format;
  gboolean started;
  gboolean ready;               /* session.update sent, audio may flow */
  gboolean failed;
  gboolean failing;             /* an error is being posted */
  gboolean flush_scheduled;
  GQueue outgoing;              /* OutFrame* */
  GQueue spare_frames;          /* OutFrame* with a buf, sent, for reuse */
  GPtrArray *src_msgs;          /* src streaming thread only */
  gsize outgoing_audio_bytes;
  guint64 dropped_audio_bytes;

  gboolean have_out_format;
  GstVoiceLiveAudioFormat out_format;
  gboolean out_format_sent;

  /* Turns, the response gate, function calls, history */
  GstVoiceLiveConversation conv;

  /* Response audio for the src, and what of it was played */
  GstVoiceLivePlayback *playback;
  gboolean output_eos;
  guint out_max_ms;             /* the src's max-queue-ms; 0: no src */
  gboolean out_full_warned;     /* once per start */
  guint64 stat_output_dropped_bytes;
  guint drain_wakeups;          /* bumped by the sink's unlock/unlock_stop */
  /* Set by the src */
  gboolean barge_in;
  gboolean src_live;
  GstClockTime src_latency;
  gboolean src_flushing;

  JsonObject *extra_session;    /* update-session JSON, merged */

  /* Turn metrics */
  gint64 last_to_audio_ms;
  gint64 last_to_playback_ms;

  /* Statistics */
  guint64 stat_bytes_sent;
  guint64 stat_audio_bytes_sent;
  guint64 stat_bytes_received;
  guint64 stat_audio_bytes_received;
  guint stat_responses;
  guint stat_reconnects;
  guint64 stat_max_send_delay_us;

  struct _VlNetLoop *net;       /* the network thread this session uses */
  GMainContext *net_ctx;        /* its context */

  /* Network thread only */
  GstVoiceLiveConnection *conn;
  GSource *reconnect_source;
  JsonParser *parser;
};

G_DEFINE_TYPE (GstVoiceLiveSession, gst_voice_live_session, GST_TYPE_OBJECT);

typedef struct
{
  gchar *frame;                 /* owned, or buf's text */
  GString *buf;                 /* an append: recycled once sent */
  gsize audio_bytes;
  gint64 queued_us;             /* appends: when a streaming thread queued it */
} OutFrame;

/* Appends sent and kept for reuse, per session */
#define MAX_SPARE_FRAMES 8

static void
out_frame_free (OutFrame * f)
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
static void net_flush (GstVoiceLiveSession * self);
static void update_output_limit_locked (GstVoiceLiveSession * self);

static inline void
net_kick (GstVoiceLiveSession * self)
{
  gst_voice_live_net_kick (self->net, GST_OBJECT_CAST (self));
}

#define net_invoke gst_voice_live_net_invoke

/* ---- helpers ---- */

/* Called with self->lock. GLib's g_cond_broadcast() is a futex system
 * call even with nobody waiting; the network thread calls this for every
 * frame. */
static inline void
wake_waiters (GstVoiceLiveSession * self)
{
  if (self->cond_waiters > 0)
    g_cond_broadcast (&self->cond);
}

static GstElement *
get_post_element (GstVoiceLiveSession * self, gboolean prefer_src)
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

static void
post_structure (GstVoiceLiveSession * self, GstStructure * s,
    gboolean prefer_src)
{
  GstElement *e = get_post_element (self, prefer_src);

  if (!e) {
    gst_structure_free (s);
    return;
  }
  gst_structure_set (s, "session-name", G_TYPE_STRING, self->name, NULL);
  gst_element_post_message (e, gst_message_new_element (GST_OBJECT (e), s));
  gst_object_unref (e);
}

static void
post_connection (GstVoiceLiveSession * self, const gchar * state,
    guint attempt, const gchar * reason)
{
  post_structure (self, gst_structure_new ("voicelive/connection",
          "state", G_TYPE_STRING, state,
          "attempt", G_TYPE_UINT, attempt,
          "reason", G_TYPE_STRING, reason ? reason : "", NULL), FALSE);
}

/* A fatal condition: post an error on the sink (or src) and make the
 * streaming threads stop. */
static void
fail (GstVoiceLiveSession * self, GQuark domain, gint code,
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
  e = get_post_element (self, FALSE);
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
  g_assert (self->conn == NULL);

  while ((f = g_queue_pop_head (&self->outgoing)))
    out_frame_free (f);
  while ((f = g_queue_pop_head (&self->spare_frames)))
    out_frame_free (f);
  g_ptr_array_unref (self->src_msgs);
  gst_voice_live_playback_free (self->playback);
  gst_voice_live_conversation_clear (&self->conv);
  gst_voice_live_connect_params_free (self->params);
  gst_voice_live_config_clear (&self->config);
  if (self->extra_session)
    json_object_unref (self->extra_session);
  if (self->parser)
    g_object_unref (self->parser);
  g_free (self->name);
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
  self->src_msgs = g_ptr_array_new ();
  gst_voice_live_conversation_init (&self->conv);
  self->net = gst_voice_live_net_acquire ((VlNetFlushFunc) net_flush);
  self->net_ctx = gst_voice_live_net_get_context (self->net);
  self->playback = gst_voice_live_playback_new ();
  self->barge_in = TRUE;
  self->src_latency = 0;
  self->last_to_audio_ms = self->last_to_playback_ms = -1;
  gst_voice_live_config_init (&self->config);
}

/* ---- registry ---- */

static GMutex registry_lock;
static GHashTable *registry;    /* name -> session, not reffed */

GstVoiceLiveSession *
gst_voice_live_session_acquire (const gchar * name, GstElement * element,
    gboolean is_sink, GError ** error)
{
  GstVoiceLiveSession *self;
  GstElement *holder;

  if (!name || !*name)
    name = "default";

  g_mutex_lock (&registry_lock);
  if (!registry)
    registry = g_hash_table_new (g_str_hash, g_str_equal);
  self = g_hash_table_lookup (registry, name);
  if (self) {
    holder = is_sink ? self->sink : self->src;
    if (holder && holder != element) {
      g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_BUSY,
          "session-name \"%s\" already has a %s (%s); use a different "
          "session-name for each agent", name,
          is_sink ? "voicelivesink" : "voicelivesrc", GST_OBJECT_NAME (holder));
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
  if (is_sink)
    self->sink = element;
  else
    self->src = element;
  g_mutex_unlock (&self->elem_lock);
  update_output_limit_locked (self);
  g_mutex_unlock (&self->lock);
  g_mutex_unlock (&registry_lock);

  GST_DEBUG_OBJECT (self, "acquired by %" GST_PTR_FORMAT, element);
  return self;
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
  if (self->src == element) {
    self->src = NULL;
    /* Nobody will play what is queued, nor what comes. */
    gst_voice_live_playback_reset (self->playback);
    update_output_limit_locked (self);
  }
  g_mutex_unlock (&self->elem_lock);
  if (!self->sink && !self->src
      && g_hash_table_lookup (registry, self->name) == self)
    g_hash_table_remove (registry, self->name);
  g_mutex_unlock (&self->lock);
  g_mutex_unlock (&registry_lock);

  GST_DEBUG_OBJECT (self, "released by %" GST_PTR_FORMAT, element);
  gst_object_unref (self);
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

/* Send what is queued, in order. Network thread. */
static void
net_flush (GstVoiceLiveSession * self)
{
  GstVoiceLiveConnection *c = self->conn;
  OutFrame *f;

  g_mutex_lock (&self->lock);
  self->flush_scheduled = FALSE;
  if (!c || !self->ready) {
    g_mutex_unlock (&self->lock);
    return;
  }
  while ((f = g_queue_pop_head (&self->outgoing))) {
    self->outgoing_audio_bytes -= f->audio_bytes;
    g_mutex_unlock (&self->lock);
    if (gst_voice_live_connection_send (c, f->frame)) {
      gsize len = strlen (f->frame);
      gint64 delay = f->audio_bytes > 0 ?
          g_get_monotonic_time () - f->queued_us : 0;

      g_mutex_lock (&self->lock);
      self->stat_bytes_sent += len;
      self->stat_audio_bytes_sent += f->audio_bytes;
      if (delay > 0 && (guint64) delay > self->stat_max_send_delay_us)
        self->stat_max_send_delay_us = delay;
    } else {
      /* The link is going down: this audio is lost, and counted so. */
      g_mutex_lock (&self->lock);
      self->dropped_audio_bytes += f->audio_bytes;
    }
    /* libsoup has copied it into its own frame: the next append of a
     * streaming thread is written into this buffer. */
    if (f->buf && self->spare_frames.length < MAX_SPARE_FRAMES)
      g_queue_push_head (&self->spare_frames, f);
    else
      out_frame_free (f);
  }
  wake_waiters (self);
  g_mutex_unlock (&self->lock);
}

static void
handle_session_created (GstVoiceLiveSession * self, GstVoiceLiveConnection * c)
{
  gchar *update, *id;
  gint out_format;
  gboolean restore;
  GList *replay = NULL;

  g_mutex_lock (&self->lock);
  out_format = self->have_out_format ? (gint) self->out_format : -1;
  self->out_format_sent = self->have_out_format;
  id = gst_voice_live_conversation_next_update_id (&self->conv);
  /* The id lets a rejected update be matched to the property at fault. */
  update = gst_voice_live_build_session_update_full (&self->config,
      GST_VOICE_LIVE_FIELD_ALL, id, self->in_format, out_format,
      self->extra_session);
  g_mutex_unlock (&self->lock);

  GST_DEBUG_OBJECT (self, "sending %s", update);
  gst_voice_live_connection_send (c, update);
  g_free (update);
  g_free (id);

  g_mutex_lock (&self->lock);
  restore = self->reconnecting && self->params
      && self->params->restore_conversation;
  if (self->reconnecting)
    self->stat_reconnects++;
  self->reconnecting = FALSE;
  self->connected_once = TRUE;
  self->connected_since = g_get_monotonic_time ();
  /* Replay the conversation so far as text items. */
  if (restore)
    replay = gst_voice_live_conversation_restore_frames (&self->conv);
  self->ready = TRUE;
  g_mutex_unlock (&self->lock);
  for (; replay; replay = g_list_delete_link (replay, replay)) {
    gst_voice_live_connection_send (c, replay->data);
    g_free (replay->data);
  }
  net_flush (self);
}

static void
count_rx (GstVoiceLiveSession * self, gsize frame_len)
{
  g_mutex_lock (&self->lock);
  self->stat_bytes_received += frame_len;
  g_mutex_unlock (&self->lock);
}

/* The bound of the answer audio queue, from the src's max-queue-ms and the
 * output format: nothing without a src. Call with the lock held. */
static void
update_output_limit_locked (GstVoiceLiveSession * self)
{
  GstVoiceLiveAudioFormat f = self->out_format;
  guint64 bytes = (guint64) self->out_max_ms *
      gst_voice_live_audio_format_rate (f) / 1000 *
      gst_voice_live_audio_format_bytes_per_sample (f);

  gst_voice_live_playback_set_limit (self->playback,
      self->src ? (gsize) MIN (bytes, G_MAXSIZE) : 0);
}

static void
warn_output_full (GstVoiceLiveSession * self, guint max_ms)
{
  GstElement *e = get_post_element (self, TRUE);

  if (!e)
    return;
  GST_ELEMENT_WARNING (e, RESOURCE, NO_SPACE_LEFT,
      ("voicelivesrc is not playing the answers: more than %u ms of answer "
          "audio is queued (max-queue-ms); the rest is dropped and counted "
          "in the sink's stats (output-ms-dropped)", max_ms),
      ("session %s", self->name));
  gst_object_unref (e);
}

static void
append_audio (GstVoiceLiveSession * self, const gchar * b64, gsize len,
    const gchar * response_id, const gchar * item_id, gsize frame_len)
{
  gsize n = 0;
  guint8 *data = g_malloc (len / 4 * 3 + 3);
  gboolean first = FALSE, warn = FALSE;
  GstVoiceLivePushResult res;
  GBytes *bytes;
  guint max_ms = 0;

  if (!gst_voice_live_base64_decode (b64, len, data, &n)) {
    GST_WARNING_OBJECT (self, "skipping audio delta with invalid base64 "
        "(%" G_GSIZE_FORMAT " chars)", len);
    g_free (data);
    count_rx (self, frame_len);
    return;
  }
  if (n == 0) {
    g_free (data);
    count_rx (self, frame_len);
    return;
  }
  bytes = g_bytes_new_take (data, n);
  g_mutex_lock (&self->lock);
  self->stat_bytes_received += frame_len;
  self->stat_audio_bytes_received += n;
  /* No src: nobody will play it, so it is not kept at all. */
  res = self->src ? gst_voice_live_playback_push (self->playback, bytes,
      response_id, item_id, g_get_monotonic_time (), &first) :
      GST_VOICE_LIVE_PUSH_FULL;
  if (res == GST_VOICE_LIVE_PUSH_QUEUED) {
    wake_waiters (self);
  } else if (res == GST_VOICE_LIVE_PUSH_INTERRUPTED) {
    GST_DEBUG_OBJECT (self, "dropping %" G_GSIZE_FORMAT " bytes of the "
        "interrupted response %s", n, response_id);
  } else if (self->src) {
    self->stat_output_dropped_bytes += n;
    warn = !self->out_full_warned;
    self->out_full_warned = TRUE;
    max_ms = self->out_max_ms;
  }
  g_mutex_unlock (&self->lock);
  g_bytes_unref (bytes);
  if (warn)
    warn_output_full (self, max_ms);
}

/* The bus message of a server event, from the table of
 * gstvoiceliveevents.c; service errors become warnings. Network thread. */
static void
post_event (GstVoiceLiveSession * self, const GstVoiceLiveEvent * ev,
    const gchar * json)
{
  GstStructure *s, *details;
  GstElement *e;
  gchar *text, *debug;

  if (ev->kind == GST_VOICE_LIVE_EVENT_ERROR
      && gst_voice_live_error_is_benign (ev->error_code))
    GST_INFO_OBJECT (self, "benign race reported by the service: %s",
        ev->error_code);
  if (!gst_voice_live_event_is_warning (ev)) {
    s = gst_voice_live_event_to_message (ev, json);
    if (s)
      post_structure (self, s, FALSE);
    return;
  }
  e = get_post_element (self, FALSE);
  if (!e)
    return;
  details = gst_voice_live_event_to_warning (ev, json, self->name, &text,
      &debug);
  gst_element_message_full_with_details (e, GST_MESSAGE_WARNING,
      GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_FAILED, text, debug, __FILE__,
      GST_FUNCTION, __LINE__, details);
  gst_object_unref (e);
}

/* voicelive/turn-metrics for the response whose first audio the src just
 * took; call with the lock held, post the result without it. */
static GstStructure *
turn_metrics_locked (GstVoiceLiveSession * self, const gchar * response_id,
    gint64 first_delta_us)
{
  gint64 now = g_get_monotonic_time ();
  gint64 to_audio = -1;

  gint64 stopped = self->conv.t_speech_stopped;

  if (stopped > 0 && first_delta_us >= stopped)
    to_audio = (first_delta_us - stopped) / 1000;
  /* Kept for the stats property too */
  self->last_to_audio_ms = to_audio;
  self->last_to_playback_ms = first_delta_us > 0 ?
      (now - first_delta_us) / 1000 : -1;
  return gst_structure_new ("voicelive/turn-metrics",
      "response-id", G_TYPE_STRING, response_id,
      "speech-stopped-to-first-audio-ms", G_TYPE_INT64, to_audio,
      "first-audio-to-playback-ms", G_TYPE_INT64, self->last_to_playback_ms,
      NULL);
}

static void
maybe_create_response (GstVoiceLiveSession * self)
{
  gchar *frame;

  g_mutex_lock (&self->lock);
  frame = gst_voice_live_conversation_take_response_create (&self->conv,
      self->started);
  g_mutex_unlock (&self->lock);
  if (frame)
    gst_voice_live_session_send (self, frame, 0);
}

/* The conversation's part of a server event; returns its actions and
 * sends what it asks for. */
static guint
update_conversation (GstVoiceLiveSession * self, const GstVoiceLiveEvent * ev,
    gsize frame_len)
{
  GstVoiceLiveConvResult r;

  g_mutex_lock (&self->lock);
  self->stat_bytes_received += frame_len;
  gst_voice_live_conversation_handle_event (&self->conv, ev, self->started,
      g_get_monotonic_time (), &r);
  if (r.actions & GST_VOICE_LIVE_CONV_RESPONSE_FINISHED) {
    self->stat_responses++;
    /* The connection did real work: a later loss starts counting anew. */
    self->reconnect_attempt = 0;
  }
  if (r.actions & GST_VOICE_LIVE_CONV_ITEM_AUDIO_DONE)
    gst_voice_live_playback_item_done (self->playback, ev->item_id);
  wake_waiters (self);
  g_mutex_unlock (&self->lock);
  if (r.send)
    gst_voice_live_session_send (self, r.send, 0);
  return r.actions;
}

/* A frame from the service. Network thread. */
static void
on_frame (gpointer owner, GstVoiceLiveConnection * c, gboolean text,
    const gchar * data, gsize len)
{
  GstVoiceLiveSession *self = owner;
  GstVoiceLiveEvent ev;
  GstVoiceLiveSpan delta, item, resp;
  GError *err = NULL;

  /* The byte count is added where the lock is taken anyway: a streaming
   * thread waiting for this lock should not lose it once per frame. */
  if (!text) {
    count_rx (self, len);
    GST_WARNING_OBJECT (self, "skipping binary frame of %" G_GSIZE_FORMAT
        " bytes (the protocol uses text frames)", len);
    return;
  }
  /* Audio deltas are most of the traffic: no JSON tree for them. */
  if (gst_voice_live_parse_audio_delta (data, len, &delta, &item, &resp)) {
    gchar *item_id = item.len ? g_strndup (item.str, item.len) : NULL;
    gchar *resp_id = resp.len ? g_strndup (resp.str, resp.len) : NULL;

    append_audio (self, delta.str, delta.len, resp_id, item_id, len);
    g_free (item_id);
    g_free (resp_id);
    return;
  }
  if (!gst_voice_live_event_parse (&ev, self->parser, data, len, &err)) {
    count_rx (self, len);
    GST_WARNING_OBJECT (self, "skipping malformed server frame (%"
        G_GSIZE_FORMAT " bytes): %s", len, err->message);
    g_clear_error (&err);
    return;
  }
  GST_LOG_OBJECT (self, "event %s", ev.type);

  switch (ev.kind) {
    case GST_VOICE_LIVE_EVENT_SESSION_CREATED:
      handle_session_created (self, c);
      break;
    case GST_VOICE_LIVE_EVENT_AUDIO_DELTA:
      if (ev.text)
        append_audio (self, ev.text, strlen (ev.text), ev.response_id,
            ev.item_id, 0);
      else
        GST_WARNING_OBJECT (self, "audio delta without a string delta");
      break;
    default:
      break;
  }
  if (update_conversation (self, &ev, len) & GST_VOICE_LIVE_CONV_INTERRUPT)
    gst_voice_live_session_interrupt_output (self, FALSE);
  if (ev.kind != GST_VOICE_LIVE_EVENT_AUDIO_DELTA) {
    /* The frame is not NUL-terminated; the message needs a string. */
    gchar *json = g_strndup (data, len);

    post_event (self, &ev, json);
    g_free (json);
  }
  gst_voice_live_event_clear (&ev);
}

static void
on_opened (gpointer owner, GstVoiceLiveConnection * c)
{
  GstVoiceLiveSession *self = owner;
  guint attempt;

  g_mutex_lock (&self->lock);
  attempt = self->reconnect_attempt + 1;
  g_mutex_unlock (&self->lock);
  post_connection (self, "connected", attempt, "");
}

static void connection_lost (gpointer owner, GstVoiceLiveConnection * c,
    const gchar * reason);

/* Forget connection @c and close it. Network thread. */
static void
session_detach (GstVoiceLiveSession * self, GstVoiceLiveConnection * c)
{
  if (self->conn == c)
    self->conn = NULL;
  g_mutex_lock (&self->lock);
  self->ready = FALSE;
  wake_waiters (self);
  g_mutex_unlock (&self->lock);
  gst_voice_live_connection_close (c);
}

static void
on_failed (gpointer owner, GstVoiceLiveConnection * c,
    const GstVoiceLiveConnectError * err)
{
  GstVoiceLiveSession *self = gst_object_ref (owner);

  post_connection (self, "disconnected", 1, err->reason);
  fail (self, err->domain, err->code, err->text, err->debug);
  session_detach (self, c);
  gst_object_unref (self);
}

static const GstVoiceLiveConnectionCallbacks connection_callbacks = {
  on_opened, on_frame, connection_lost, on_failed
};

static gboolean
net_start_cb (gpointer data)
{
  GstVoiceLiveSession *self = data;
  GstVoiceLiveConnectParams *p;
  GstVoiceLiveConnectError err = { 0, };
  gboolean reconnect;
  gchar *url;

  g_mutex_lock (&self->lock);
  if (!self->started || self->conn || !self->params) {
    g_mutex_unlock (&self->lock);
    return G_SOURCE_REMOVE;
  }
  p = gst_voice_live_connect_params_copy (self->params);
  reconnect = self->connected_once;
  g_mutex_unlock (&self->lock);

  if (!self->parser)
    self->parser = json_parser_new_immutable ();

  self->conn = gst_voice_live_connection_open (p, reconnect,
      &connection_callbacks, self, &err);
  if (!self->conn) {
    /* A settings error: no point in retrying */
    g_mutex_lock (&self->lock);
    self->connected_once = FALSE;
    g_mutex_unlock (&self->lock);
    fail (self, err.domain, err.code, err.text, err.debug);
    gst_voice_live_connect_error_clear (&err);
    g_mutex_lock (&self->lock);
    self->ready = FALSE;
    wake_waiters (self);
    g_mutex_unlock (&self->lock);
  } else {
    url = gst_voice_live_redact_url (p->url);
    GST_INFO_OBJECT (self, "connecting to %s", url);
    post_connection (self, "connecting", 1, "");
    g_free (url);
  }
  gst_voice_live_connect_params_free (p);
  return G_SOURCE_REMOVE;
}

static gboolean
reconnect_cb (gpointer data)
{
  GstVoiceLiveSession *self = data;

  g_source_unref (self->reconnect_source);
  self->reconnect_source = NULL;
  net_start_cb (self);
  return G_SOURCE_REMOVE;
}

/* Input audio of the outage is dropped (and counted), not replayed late.
 * Call with the lock held. */
static void
drop_queued_audio_locked (GstVoiceLiveSession * self)
{
  GList *l, *next;

  for (l = self->outgoing.head; l; l = next) {
    OutFrame *f = l->data;

    next = l->next;
    if (f->audio_bytes > 0) {
      self->dropped_audio_bytes += f->audio_bytes;
      self->outgoing_audio_bytes -= f->audio_bytes;
      out_frame_free (f);
      g_queue_delete_link (&self->outgoing, l);
    }
  }
}

static void
give_up (GstVoiceLiveSession * self, guint attempt, guint max,
    const gchar * reason)
{
  gchar *text = max == 0 ?
      g_strdup_printf ("Lost the connection to the Voice Live service "
      "(%s) and max-reconnect-attempts is 0", reason) :
      g_strdup_printf ("Lost the connection to the Voice Live service "
      "(%s); %u reconnect attempts failed (max-reconnect-attempts)",
      reason, max);

  post_connection (self, "disconnected", attempt, reason);
  fail (self, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ, text, reason);
  g_free (text);
}

/* The connection broke after it had worked: back off and reconnect, up to
 * max-reconnect-attempts in a row. Network thread. */
static void
connection_lost (gpointer owner, GstVoiceLiveConnection * c,
    const gchar * reason)
{
  GstVoiceLiveSession *self = gst_object_ref (owner);
  guint attempt, max;
  gboolean started;
  guint delay;

  session_detach (self, c);

  g_mutex_lock (&self->lock);
  started = self->started;
  self->ready = FALSE;
  self->reconnecting = TRUE;
  /* The new service session knows nothing of the old turn. */
  gst_voice_live_conversation_connection_lost (&self->conv);
  drop_queued_audio_locked (self);
  /* A server that accepts and then drops at once must not loop forever:
   * only a connection that answered or lasted resets the count. */
  if (self->connected_since > 0 && g_get_monotonic_time () -
      self->connected_since > 10 * G_TIME_SPAN_SECOND)
    self->reconnect_attempt = 0;
  self->connected_since = 0;
  attempt = ++self->reconnect_attempt;
  max = self->params ? self->params->max_reconnect_attempts : 0;
  wake_waiters (self);
  g_mutex_unlock (&self->lock);

  if (started && attempt > max)
    give_up (self, attempt, max, reason);
  if (!started || attempt > max) {
    gst_object_unref (self);
    return;
  }

  delay = gst_voice_live_connection_backoff_ms (attempt);
  GST_INFO_OBJECT (self, "connection lost (%s): reconnect attempt %u in %u "
      "ms", reason, attempt, delay);
  post_connection (self, "reconnecting", attempt, reason);
  if (self->reconnect_source) {
    g_source_destroy (self->reconnect_source);
    g_source_unref (self->reconnect_source);
  }
  self->reconnect_source = g_timeout_source_new (delay);
  g_source_set_callback (self->reconnect_source, reconnect_cb,
      gst_object_ref (self), gst_object_unref);
  g_source_attach (self->reconnect_source,
      g_main_context_get_thread_default ());
  gst_object_unref (self);
}

static gboolean
net_stop_cb (gpointer data)
{
  GstVoiceLiveSession *self = data;

  if (self->reconnect_source) {
    g_source_destroy (self->reconnect_source);
    g_source_unref (self->reconnect_source);
    self->reconnect_source = NULL;
  }
  if (self->conn)
    session_detach (self, self->conn);
  return G_SOURCE_REMOVE;
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
  self->output_eos = FALSE;
  self->out_full_warned = FALSE;
  /* The stats describe this run. */
  self->stat_bytes_sent = self->stat_audio_bytes_sent = 0;
  self->stat_bytes_received = self->stat_audio_bytes_received = 0;
  self->stat_responses = self->stat_reconnects = 0;
  self->stat_max_send_delay_us = 0;
  self->stat_output_dropped_bytes = 0;
  self->dropped_audio_bytes = 0;
  self->last_to_audio_ms = self->last_to_playback_ms = -1;
  g_mutex_unlock (&self->lock);

  net_invoke (self->net_ctx, net_start_cb, gst_object_ref (self),
      gst_object_unref);
}

void
gst_voice_live_session_stop (GstVoiceLiveSession * self)
{
  OutFrame *f;

  g_mutex_lock (&self->lock);
  self->started = FALSE;
  self->ready = FALSE;
  while ((f = g_queue_pop_head (&self->outgoing))) {
    out_frame_free (f);
  }
  self->outgoing_audio_bytes = 0;
  /* update-session applies to the run it was called in (or, before one
   * starts, to the next one), not to every later run. */
  g_clear_pointer (&self->extra_session, json_object_unref);
  wake_waiters (self);
  g_mutex_unlock (&self->lock);

  net_invoke (self->net_ctx, net_stop_cb, gst_object_ref (self),
      gst_object_unref);
}

static void
queue_frame (GstVoiceLiveSession * self, OutFrame * f)
{
  gsize audio_bytes = f->audio_bytes;
  gboolean schedule;

  if (audio_bytes > 0)
    f->queued_us = g_get_monotonic_time ();

  g_mutex_lock (&self->lock);
  if (!self->started) {
    g_mutex_unlock (&self->lock);
    out_frame_free (f);
    return;
  }
  /* Input during an outage is dropped and counted: late audio would start
   * false turns on the new connection. */
  if (audio_bytes > 0 && self->reconnecting) {
    self->dropped_audio_bytes += audio_bytes;
    g_mutex_unlock (&self->lock);
    out_frame_free (f);
    return;
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
        out_frame_free (old);
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
  schedule = self->ready && !self->flush_scheduled;
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
  queue_frame (self, f);
}

void
gst_voice_live_session_send_audio (GstVoiceLiveSession * self,
    const guint8 * data, gsize len)
{
  OutFrame *f;

  g_mutex_lock (&self->lock);
  f = g_queue_pop_head (&self->spare_frames);
  g_mutex_unlock (&self->lock);
  if (!f) {
    f = g_new0 (OutFrame, 1);
    f->buf = g_string_sized_new (len / 3 * 4 + 64);
  }
  gst_voice_live_build_append (f->buf, data, len);
  f->frame = f->buf->str;
  f->audio_bytes = len;
  queue_frame (self, f);
}

void
gst_voice_live_session_update_config (GstVoiceLiveSession * self,
    const GstVoiceLiveConfig * cfg, guint fields)
{
  gchar *frame = NULL;

  g_mutex_lock (&self->lock);
  gst_voice_live_config_copy (&self->config, cfg);
  gst_voice_live_conversation_configure (&self->conv, cfg);
  /* Before session.created the first session.update carries it all. */
  if (self->ready && (cfg->set & fields)) {
    gchar *id = gst_voice_live_conversation_next_update_id (&self->conv);

    frame = gst_voice_live_build_session_update (cfg, fields, id, -1, -1);
    g_free (id);
  }
  g_mutex_unlock (&self->lock);

  if (frame) {
    GST_DEBUG_OBJECT (self, "runtime change: %s", frame);
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
      "responses", G_TYPE_UINT64, (guint64) self->stat_responses,
      "reconnects", G_TYPE_UINT64, (guint64) self->stat_reconnects,
      "max-send-delay-us", G_TYPE_UINT64, self->stat_max_send_delay_us,
      "last-speech-stopped-to-first-audio-ms", G_TYPE_INT64,
      self->last_to_audio_ms,
      "last-first-audio-to-playback-ms", G_TYPE_INT64,
      self->last_to_playback_ms, NULL);
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
gst_voice_live_session_end_output (GstVoiceLiveSession * self)
{
  g_mutex_lock (&self->lock);
  self->output_eos = TRUE;
  wake_waiters (self);
  g_mutex_unlock (&self->lock);
}

void
gst_voice_live_session_clear_output_eos (GstVoiceLiveSession * self)
{
  g_mutex_lock (&self->lock);
  self->output_eos = FALSE;
  g_mutex_unlock (&self->lock);
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
  gst_voice_live_session_send (self, gst_voice_live_build_barrier (id), 0);
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
    self->cond_waiters++;
    if (!g_cond_wait_until (&self->cond, &self->lock, deadline_us)
        && g_get_monotonic_time () >= deadline_us) {
      self->cond_waiters--;
      res = GST_VOICE_LIVE_DRAIN_TIMEOUT;
      break;
    }
    self->cond_waiters--;
  }
  g_mutex_unlock (&self->lock);
  return res;
}

void
gst_voice_live_session_set_output_format (GstVoiceLiveSession * self,
    GstVoiceLiveAudioFormat format)
{
  gboolean send;

  g_mutex_lock (&self->lock);
  send = self->ready && (!self->out_format_sent || self->out_format != format);
  self->out_format = format;
  gst_voice_live_playback_set_format (self->playback,
      gst_voice_live_audio_format_rate (format),
      gst_voice_live_audio_format_bytes_per_sample (format));
  update_output_limit_locked (self);
  self->have_out_format = TRUE;
  if (send)
    self->out_format_sent = TRUE;
  g_mutex_unlock (&self->lock);

  /* Before session.created the first session.update carries it. */
  if (send)
    gst_voice_live_session_send (self,
        gst_voice_live_build_output_format_update (format), 0);
}

void
gst_voice_live_session_set_src_flushing (GstVoiceLiveSession * self,
    gboolean flushing)
{
  g_mutex_lock (&self->lock);
  self->src_flushing = flushing;
  wake_waiters (self);
  g_mutex_unlock (&self->lock);
}

static void
post_all (GstVoiceLiveSession * self, GPtrArray * msgs, gboolean prefer_src)
{
  guint i;

  for (i = 0; i < msgs->len; i++)
    post_structure (self, g_ptr_array_index (msgs, i), prefer_src);
  g_ptr_array_set_size (msgs, 0);
}

GstVoiceLiveReadResult
gst_voice_live_session_read_audio (GstVoiceLiveSession * self, guint8 * dest,
    gsize max, gboolean wait, guint align, GstClockTime buffer_rt,
    gsize prebuffer, gsize * n_read)
{
  GstVoiceLiveReadResult res;
  GstStructure *metrics = NULL;
  /* Only the src's streaming thread reads: one array, reused. */
  GPtrArray *msgs = self->src_msgs;
  gchar *first_response = NULL;
  gint64 first_arrival = 0;
  gsize n = 0;

  g_mutex_lock (&self->lock);
  while (TRUE) {
    if (self->src_flushing) {
      res = GST_VOICE_LIVE_READ_FLUSHING;
      goto done;
    }
    if (gst_voice_live_playback_queued (self->playback) >= align) {
      n = gst_voice_live_playback_read (self->playback, dest, max, align,
          buffer_rt, prebuffer, msgs, &first_response, &first_arrival);
      if (n > 0 || !wait) {
        res = n > 0 ? GST_VOICE_LIVE_READ_DATA : GST_VOICE_LIVE_READ_EMPTY;
        goto done;
      }
    }
    if (self->output_eos) {
      /* A stray partial sample at the very end cannot be played. */
      gst_voice_live_playback_read (self->playback, dest, 0, align,
          buffer_rt, 0, msgs, NULL, NULL);
      res = GST_VOICE_LIVE_READ_EOS;
      goto done;
    }
    if (self->failed) {
      res = GST_VOICE_LIVE_READ_ERROR;
      goto done;
    }
    if (!wait) {
      gst_voice_live_playback_read (self->playback, dest, 0, align,
          buffer_rt, 0, msgs, NULL, NULL);
      res = GST_VOICE_LIVE_READ_EMPTY;
      goto done;
    }
    self->cond_waiters++;
    g_cond_wait (&self->cond, &self->lock);
    self->cond_waiters--;
  }

done:
  if (first_response)
    metrics = turn_metrics_locked (self, first_response, first_arrival);
  g_mutex_unlock (&self->lock);
  *n_read = n;
  post_all (self, msgs, TRUE);
  if (metrics)
    post_structure (self, metrics, FALSE);
  g_free (first_response);
  return res;
}

/* The running time up to which pushed audio has been rendered downstream,
 * or GST_CLOCK_TIME_NONE when the src is not live (pushed = played). */
static GstClockTime
rendered_running_time (GstVoiceLiveSession * self)
{
  GstElement *src;
  GstClock *clock;
  GstClockTime now, base, latency;
  gboolean live;

  g_mutex_lock (&self->lock);
  src = self->src ? gst_object_ref (self->src) : NULL;
  live = self->src_live;
  latency = self->src_latency;
  g_mutex_unlock (&self->lock);
  if (!src)
    return GST_CLOCK_TIME_NONE;
  clock = live ? gst_element_get_clock (src) : NULL;
  if (!clock) {
    gst_object_unref (src);
    return GST_CLOCK_TIME_NONE;
  }
  now = gst_clock_get_time (clock);
  base = gst_element_get_base_time (src);
  gst_object_unref (clock);
  gst_object_unref (src);
  /* A buffer stamped T is rendered at running time T + latency. */
  if (now < base + latency)
    return 0;
  return now - base - latency;
}

gboolean
gst_voice_live_session_interrupt_output (GstVoiceLiveSession * self,
    gboolean forced)
{
  GstClockTime rendered = rendered_running_time (self);
  GPtrArray *msgs = g_ptr_array_new ();
  gchar *item = NULL, *truncate = NULL, *cancel = NULL;
  gint64 end_ms = 0;
  gboolean acted = FALSE;

  g_mutex_lock (&self->lock);
  if ((self->barge_in || forced)
      && gst_voice_live_playback_active (self->playback, rendered)) {
    acted = TRUE;
    item = gst_voice_live_playback_interrupt (self->playback, rendered,
        &end_ms, msgs);
    gst_voice_live_conversation_interrupt (&self->conv, item, end_ms,
        self->ready, &truncate, &cancel);
  }
  g_mutex_unlock (&self->lock);

  if (acted)
    GST_INFO_OBJECT (self, "barge-in: output interrupted, %s at %"
        G_GINT64_FORMAT " ms", item ? item : "(nothing played)", end_ms);
  post_all (self, msgs, TRUE);
  g_ptr_array_unref (msgs);
  if (cancel)
    gst_voice_live_session_send (self, cancel, 0);
  if (truncate) {
    gst_voice_live_session_send (self, truncate, 0);
    post_structure (self, gst_structure_new ("voicelive/truncated",
            "item-id", G_TYPE_STRING, item,
            "audio-end-ms", G_TYPE_INT64, end_ms, NULL), TRUE);
  }
  g_free (item);
  return acted;
}

void
gst_voice_live_session_configure_output (GstVoiceLiveSession * self,
    gboolean live, gboolean barge_in)
{
  g_mutex_lock (&self->lock);
  self->src_live = live;
  self->barge_in = barge_in;
  g_mutex_unlock (&self->lock);
}

void
gst_voice_live_session_set_barge_in (GstVoiceLiveSession * self,
    gboolean barge_in)
{
  g_mutex_lock (&self->lock);
  self->barge_in = barge_in;
  g_mutex_unlock (&self->lock);
}

void
gst_voice_live_session_set_output_limit (GstVoiceLiveSession * self,
    guint max_ms)
{
  g_mutex_lock (&self->lock);
  self->out_max_ms = max_ms;
  update_output_limit_locked (self);
  g_mutex_unlock (&self->lock);
}

void
gst_voice_live_session_set_output_latency (GstVoiceLiveSession * self,
    GstClockTime latency)
{
  g_mutex_lock (&self->lock);
  self->src_latency = latency;
  g_mutex_unlock (&self->lock);
}

void
gst_voice_live_session_reset_output (GstVoiceLiveSession * self)
{
  g_mutex_lock (&self->lock);
  gst_voice_live_playback_reset (self->playback);
  self->output_eos = FALSE;
  g_mutex_unlock (&self->lock);
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

gboolean
gst_voice_live_session_send_text (GstVoiceLiveSession * self,
    const gchar * text)
{
  if (!send_if_started (self, gst_voice_live_build_user_text (text)))
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
  maybe_create_response (self);
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
  maybe_create_response (self);
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
