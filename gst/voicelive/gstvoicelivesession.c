/* gst-voicelive
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * A note on threading
 *
 * All sessions of the process share one network thread running a private
 * GMainContext (the way pulsesink shares one mainloop). Every libsoup object
 * is created, used and destroyed on that thread only; libsoup is not
 * thread-safe. Streaming threads hand work over by queueing under
 * self->lock and attaching an idle source to the network context: they never
 * wait for the network.
 *
 * Lock order: registry_lock, then self->lock. Never post a message or call
 * into an element while holding self->lock.
 *
 * Each connection attempt is a VlConnection owned by the network thread. The
 * session points at the current one; stop() detaches it, so late callbacks
 * of an old connection find it detached and do nothing.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <libsoup/soup.h>
#include "gstvoicelivesession.h"

GST_DEBUG_CATEGORY_STATIC (voicelivesession_debug);
#define GST_CAT_DEFAULT voicelivesession_debug

#define MAX_INCOMING_PAYLOAD (16 * 1024 * 1024)
/* Input audio queued while not connected, before old chunks are dropped. */
#define MAX_PENDING_AUDIO_BYTES (60 * 24000 * 2)
#define CLOSE_GRACE_MS 1000

typedef struct _VlConnection VlConnection;

struct _GstVoiceLiveSession
{
  GstObject parent;

  gchar *name;

  /* Registry fields, under registry_lock and self->lock */
  GstElement *sink;
  GstElement *src;

  GMutex lock;
  GCond cond;

  /* Everything below is under self->lock */
  GstVoiceLiveConnectParams *params;
  GstVoiceLiveConfig config;    /* latest, for (re)connect updates */
  GstVoiceLiveAudioFormat in_format;
  gboolean started;
  gboolean ready;               /* session.update sent, audio may flow */
  gboolean failed;
  gboolean flush_scheduled;
  GQueue outgoing;              /* OutFrame* */
  gsize outgoing_audio_bytes;
  guint64 dropped_audio_bytes;

  gboolean have_out_format;
  GstVoiceLiveAudioFormat out_format;
  gboolean out_format_sent;

  /* Turn state, for the end-of-stream drain */
  gboolean speech_active;
  gboolean response_active;
  gboolean awaiting_response;   /* committed or response.create, not created yet */
  gint updates_outstanding;
  gboolean manual_turns;
  gboolean audio_since_commit;

  /* Response audio for the src */
  GQueue audio;                 /* GBytes* */
  gsize audio_head_offset;
  gsize audio_bytes;            /* queued, not yet read */
  gboolean output_eos;
  gboolean src_flushing;
  gboolean sink_flushing;

  guint update_seq;

  /* Statistics */
  guint64 stat_bytes_sent;
  guint64 stat_audio_bytes_sent;
  guint64 stat_bytes_received;
  guint64 stat_audio_bytes_received;
  guint stat_responses;
  guint stat_reconnects;

  /* Network thread only */
  VlConnection *conn;
  JsonParser *parser;
};

G_DEFINE_TYPE (GstVoiceLiveSession, gst_voice_live_session, GST_TYPE_OBJECT);

typedef struct
{
  gchar *frame;
  gsize audio_bytes;
} OutFrame;

struct _VlConnection
{
  GstVoiceLiveSession *session; /* ref; NULL once detached */
  GstVoiceLiveConnectParams *params;    /* owned */
  SoupSession *soup;
  SoupMessage *msg;
  SoupWebsocketConnection *ws;
  GCancellable *cancellable;
  GSource *timeout_source;
  gboolean connect_pending;     /* on_connected has not run yet */
  gboolean released;
};

/* ---- the shared network thread ---- */

static GMainContext *net_context;

static gpointer
net_thread_func (gpointer data)
{
  GMainContext *ctx = data;
  GMainLoop *loop;

  g_main_context_push_thread_default (ctx);
  loop = g_main_loop_new (ctx, FALSE);
  /* Runs for the life of the process, like GLib's own worker thread. */
  g_main_loop_run (loop);
  return NULL;
}

static GMainContext *
get_net_context (void)
{
  static gsize init = 0;

  if (g_once_init_enter (&init)) {
    GThread *thread;

    net_context = g_main_context_new ();
    thread = g_thread_new ("voicelive-net", net_thread_func, net_context);
    g_thread_unref (thread);
    g_once_init_leave (&init, 1);
  }
  return net_context;
}

static void
net_invoke (GSourceFunc func, gpointer data, GDestroyNotify destroy)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, destroy);
  g_source_attach (source, get_net_context ());
  g_source_unref (source);
}

/* ---- helpers ---- */

void
gst_voice_live_connect_params_free (GstVoiceLiveConnectParams * p)
{
  if (!p)
    return;
  g_free (p->url);
  if (p->api_key)
    memset (p->api_key, 0, strlen (p->api_key));
  g_free (p->api_key);
  if (p->access_token)
    memset (p->access_token, 0, strlen (p->access_token));
  g_free (p->access_token);
  g_free (p->ssl_ca_file);
  gst_voice_live_config_clear (&p->config);
  g_free (p);
}

static gboolean
param_is_secret (const gchar * name, gsize len)
{
  gchar *lower = g_ascii_strdown (name, len);
  gboolean secret = strstr (lower, "key") || strstr (lower, "token")
      || strstr (lower, "auth") || strstr (lower, "sig")
      || strstr (lower, "secret") || strstr (lower, "password");

  g_free (lower);
  return secret;
}

gchar *
gst_voice_live_redact_url (const gchar * url)
{
  const gchar *q;
  GString *out;
  gchar **params;
  guint i;

  if (!url)
    return g_strdup ("(none)");
  q = strchr (url, '?');
  if (!q)
    return g_strdup (url);

  out = g_string_new_len (url, q - url + 1);
  params = g_strsplit (q + 1, "&", -1);
  for (i = 0; params[i]; i++) {
    const gchar *eq = strchr (params[i], '=');
    gsize nlen = eq ? (gsize) (eq - params[i]) : strlen (params[i]);

    if (i > 0)
      g_string_append_c (out, '&');
    if (eq && param_is_secret (params[i], nlen)) {
      g_string_append_len (out, params[i], nlen);
      g_string_append (out, "=<redacted>");
    } else {
      g_string_append (out, params[i]);
    }
  }
  g_strfreev (params);
  return g_string_free (out, FALSE);
}

static GstElement *
get_post_element (GstVoiceLiveSession * self, gboolean prefer_src)
{
  GstElement *e;

  g_mutex_lock (&self->lock);
  if (prefer_src)
    e = self->src ? self->src : self->sink;
  else
    e = self->sink ? self->sink : self->src;
  if (e)
    gst_object_ref (e);
  g_mutex_unlock (&self->lock);
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
  if (self->failed) {
    g_mutex_unlock (&self->lock);
    return;
  }
  self->failed = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  GST_ERROR_OBJECT (self, "%s (%s)", user_text, debug_text);
  e = get_post_element (self, FALSE);
  if (e) {
    gst_element_message_full (e, GST_MESSAGE_ERROR, domain, code,
        g_strdup (user_text), g_strdup (debug_text), __FILE__, GST_FUNCTION,
        __LINE__);
    gst_object_unref (e);
  }
}

/* ---- GObject ---- */

static void
gst_voice_live_session_finalize (GObject * object)
{
  GstVoiceLiveSession *self = GST_VOICE_LIVE_SESSION (object);
  OutFrame *f;

  /* Connections hold a ref, so none can be attached here. */
  g_assert (self->conn == NULL);

  while ((f = g_queue_pop_head (&self->outgoing))) {
    g_free (f->frame);
    g_free (f);
  }
  g_queue_clear_full (&self->audio, (GDestroyNotify) g_bytes_unref);
  gst_voice_live_connect_params_free (self->params);
  gst_voice_live_config_clear (&self->config);
  if (self->parser)
    g_object_unref (self->parser);
  g_free (self->name);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

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
  g_cond_init (&self->cond);
  g_queue_init (&self->outgoing);
  g_queue_init (&self->audio);
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
  if (is_sink)
    self->sink = element;
  else
    self->src = element;
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
  if (self->sink == element)
    self->sink = NULL;
  if (self->src == element)
    self->src = NULL;
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

/* ---- network thread: connection ---- */

static void conn_detach (VlConnection * c);

static void
conn_clear_timeout (VlConnection * c)
{
  if (c->timeout_source) {
    g_source_destroy (c->timeout_source);
    g_source_unref (c->timeout_source);
    c->timeout_source = NULL;
  }
}

static gboolean
conn_free_cb (gpointer data)
{
  VlConnection *c = data;

  g_clear_object (&c->ws);
  g_clear_object (&c->msg);
  g_clear_object (&c->cancellable);
  if (c->soup) {
    soup_session_abort (c->soup);
    g_object_unref (c->soup);
  }
  gst_voice_live_connect_params_free (c->params);
  g_free (c);
  return G_SOURCE_REMOVE;
}

/* Free a detached connection, once, from an idle: it may be called from
 * inside one of its own signal handlers. Network thread. */
static void
conn_release (VlConnection * c)
{
  GSource *source;

  g_assert (c->session == NULL);
  if (c->released)
    return;
  c->released = TRUE;
  conn_clear_timeout (c);
  if (c->ws)
    g_signal_handlers_disconnect_matched (c->ws, G_SIGNAL_MATCH_DATA, 0, 0,
        NULL, NULL, c);
  source = g_idle_source_new ();
  g_source_set_callback (source, conn_free_cb, c, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

/* Send what is queued, in order. Network thread. */
static void
net_flush (GstVoiceLiveSession * self)
{
  VlConnection *c = self->conn;
  OutFrame *f;

  g_mutex_lock (&self->lock);
  self->flush_scheduled = FALSE;
  if (!c || !c->ws || !self->ready) {
    g_mutex_unlock (&self->lock);
    return;
  }
  while ((f = g_queue_pop_head (&self->outgoing))) {
    self->outgoing_audio_bytes -= f->audio_bytes;
    g_mutex_unlock (&self->lock);
    if (soup_websocket_connection_get_state (c->ws) ==
        SOUP_WEBSOCKET_STATE_OPEN) {
      gsize len = strlen (f->frame);

      soup_websocket_connection_send_text (c->ws, f->frame);
      g_mutex_lock (&self->lock);
      self->stat_bytes_sent += len;
      self->stat_audio_bytes_sent += f->audio_bytes;
      g_mutex_unlock (&self->lock);
    }
    g_free (f->frame);
    g_free (f);
    g_mutex_lock (&self->lock);
  }
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static gboolean
net_flush_cb (gpointer data)
{
  net_flush (GST_VOICE_LIVE_SESSION (data));
  return G_SOURCE_REMOVE;
}

static void
send_now (VlConnection * c, const gchar * frame)
{
  if (c->ws
      && soup_websocket_connection_get_state (c->ws) ==
      SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (c->ws, frame);
}

static void
handle_session_created (GstVoiceLiveSession * self, VlConnection * c)
{
  gchar *update, *id;
  gint out_format;

  g_mutex_lock (&self->lock);
  out_format = self->have_out_format ? (gint) self->out_format : -1;
  self->out_format_sent = self->have_out_format;
  self->updates_outstanding++;
  id = g_strdup_printf ("vl-update-%u", ++self->update_seq);
  /* The id lets a rejected update be matched to the property at fault. */
  update = gst_voice_live_build_session_update (&self->config,
      GST_VOICE_LIVE_FIELD_ALL, id, self->in_format, out_format);
  g_mutex_unlock (&self->lock);

  GST_DEBUG_OBJECT (self, "sending %s", update);
  send_now (c, update);
  g_free (update);
  g_free (id);

  g_mutex_lock (&self->lock);
  self->ready = TRUE;
  g_mutex_unlock (&self->lock);
  net_flush (self);
}

static void
append_audio (GstVoiceLiveSession * self, const gchar * b64)
{
  gsize len = strlen (b64), n = 0;
  guint8 *data = g_malloc (len / 4 * 3 + 3);

  if (!gst_voice_live_base64_decode (b64, len, data, &n)) {
    GST_WARNING_OBJECT (self, "skipping audio delta with invalid base64 "
        "(%" G_GSIZE_FORMAT " chars)", len);
    g_free (data);
    return;
  }
  if (n == 0) {
    g_free (data);
    return;
  }
  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->audio, g_bytes_new_take (data, n));
  self->audio_bytes += n;
  self->stat_audio_bytes_received += n;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static gboolean
is_benign_error (const gchar * code)
{
  return code && (strcmp (code, "conversation_already_has_active_response") == 0
      || strcmp (code, "response_cancel_not_active") == 0);
}

static void
post_event (GstVoiceLiveSession * self, const GstVoiceLiveEvent * ev,
    const gchar * json)
{
  GstStructure *s = NULL;
  const gchar *name;

  switch (ev->kind) {
    case GST_VOICE_LIVE_EVENT_AUDIO_DELTA:
      return;
    case GST_VOICE_LIVE_EVENT_SESSION_CREATED:
    case GST_VOICE_LIVE_EVENT_SESSION_UPDATED:
      name = ev->kind == GST_VOICE_LIVE_EVENT_SESSION_CREATED ?
          "voicelive/session-created" : "voicelive/session-updated";
      s = gst_structure_new (name, "session-id", G_TYPE_STRING,
          ev->session_id, NULL);
      break;
    case GST_VOICE_LIVE_EVENT_SPEECH_STARTED:
      s = gst_structure_new ("voicelive/speech-started",
          "item-id", G_TYPE_STRING, ev->item_id,
          "audio-start-ms", G_TYPE_INT64, ev->audio_start_ms, NULL);
      break;
    case GST_VOICE_LIVE_EVENT_SPEECH_STOPPED:
      s = gst_structure_new ("voicelive/speech-stopped",
          "item-id", G_TYPE_STRING, ev->item_id,
          "audio-end-ms", G_TYPE_INT64, ev->audio_end_ms, NULL);
      break;
    case GST_VOICE_LIVE_EVENT_INPUT_COMMITTED:
      s = gst_structure_new ("voicelive/input-committed",
          "item-id", G_TYPE_STRING, ev->item_id, NULL);
      break;
    case GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DELTA:
    case GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DONE:
      s = gst_structure_new ("voicelive/input-transcript",
          "item-id", G_TYPE_STRING, ev->item_id,
          "transcript", G_TYPE_STRING, ev->text ? ev->text : "",
          "final", G_TYPE_BOOLEAN,
          ev->kind == GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DONE, NULL);
      break;
    case GST_VOICE_LIVE_EVENT_RESPONSE_CREATED:
      s = gst_structure_new ("voicelive/response-started",
          "response-id", G_TYPE_STRING, ev->response_id, NULL);
      break;
    case GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DELTA:
    case GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DONE:
    case GST_VOICE_LIVE_EVENT_TEXT_DELTA:
    case GST_VOICE_LIVE_EVENT_TEXT_DONE:
      name = (ev->kind == GST_VOICE_LIVE_EVENT_TEXT_DELTA
          || ev->kind == GST_VOICE_LIVE_EVENT_TEXT_DONE) ?
          "voicelive/response-text" : "voicelive/response-transcript";
      s = gst_structure_new (name,
          "response-id", G_TYPE_STRING, ev->response_id,
          "item-id", G_TYPE_STRING, ev->item_id,
          "text", G_TYPE_STRING, ev->text ? ev->text : "",
          "final", G_TYPE_BOOLEAN,
          ev->kind == GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DONE
          || ev->kind == GST_VOICE_LIVE_EVENT_TEXT_DONE, NULL);
      break;
    case GST_VOICE_LIVE_EVENT_FUNCTION_CALL_DONE:
      s = gst_structure_new ("voicelive/function-call",
          "name", G_TYPE_STRING, ev->name,
          "call-id", G_TYPE_STRING, ev->call_id,
          "arguments", G_TYPE_STRING, ev->text ? ev->text : "",
          "item-id", G_TYPE_STRING, ev->item_id,
          "response-id", G_TYPE_STRING, ev->response_id, NULL);
      break;
    case GST_VOICE_LIVE_EVENT_RESPONSE_DONE:
      s = gst_structure_new ("voicelive/response-done",
          "response-id", G_TYPE_STRING, ev->response_id,
          "status", G_TYPE_STRING, ev->status ? ev->status : "",
          "reason", G_TYPE_STRING, ev->reason ? ev->reason : "",
          "input-tokens", G_TYPE_INT64, ev->input_tokens,
          "output-tokens", G_TYPE_INT64, ev->output_tokens,
          "total-tokens", G_TYPE_INT64, ev->total_tokens, NULL);
      break;
    case GST_VOICE_LIVE_EVENT_ERROR:{
      GstElement *e;
      GstStructure *details;
      const gchar *property;
      gchar *text;

      if (is_benign_error (ev->error_code)) {
        GST_INFO_OBJECT (self, "benign race reported by the service: %s",
            ev->error_code);
        s = gst_structure_new_empty ("voicelive/server-event");
        break;
      }
      property = gst_voice_live_param_to_property (ev->error_param);
      details = gst_structure_new ("voicelive/error",
          "code", G_TYPE_STRING, ev->error_code ? ev->error_code : "",
          "type", G_TYPE_STRING, ev->error_type ? ev->error_type : "",
          "message", G_TYPE_STRING,
          ev->error_message ? ev->error_message : "",
          "param", G_TYPE_STRING, ev->error_param ? ev->error_param : "",
          "event-id", G_TYPE_STRING,
          ev->error_event_id ? ev->error_event_id : "",
          "session-name", G_TYPE_STRING, self->name,
          "event-type", G_TYPE_STRING, ev->type,
          "json", G_TYPE_STRING, json, NULL);
      if (property)
        gst_structure_set (details, "property", G_TYPE_STRING, property, NULL);
      text = g_strdup_printf ("The service reported an error%s%s%s: %s%s%s%s",
          property ? " about property '" : "", property ? property : "",
          property ? "'" : "",
          ev->error_message ? ev->error_message : "(no message)",
          ev->error_code ? " [" : "", ev->error_code ? ev->error_code : "",
          ev->error_code ? "]" : "");
      e = get_post_element (self, FALSE);
      if (e) {
        gst_element_message_full_with_details (e, GST_MESSAGE_WARNING,
            GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_FAILED, text,
            g_strdup_printf ("param: %s", ev->error_param ?
                ev->error_param : "(none)"), __FILE__, GST_FUNCTION, __LINE__,
            details);
        gst_object_unref (e);
      } else {
        g_free (text);
        gst_structure_free (details);
      }
      return;
    }
    default:
      s = gst_structure_new_empty ("voicelive/server-event");
      break;
  }
  gst_structure_set (s, "event-type", G_TYPE_STRING, ev->type,
      "json", G_TYPE_STRING, json, NULL);
  post_structure (self, s, FALSE);
}

/* Track what the end-of-stream drain waits for. */
static void
update_turn_state (GstVoiceLiveSession * self, const GstVoiceLiveEvent * ev)
{
  g_mutex_lock (&self->lock);
  switch (ev->kind) {
    case GST_VOICE_LIVE_EVENT_SESSION_UPDATED:
      if (self->updates_outstanding > 0)
        self->updates_outstanding--;
      break;
    case GST_VOICE_LIVE_EVENT_SPEECH_STARTED:
      self->speech_active = TRUE;
      break;
    case GST_VOICE_LIVE_EVENT_SPEECH_STOPPED:
      self->speech_active = FALSE;
      break;
    case GST_VOICE_LIVE_EVENT_INPUT_COMMITTED:
      self->speech_active = FALSE;
      self->audio_since_commit = FALSE;
      /* With server turn detection a response follows on its own, unless
       * create-response was turned off. */
      if (!self->manual_turns && !((self->config.set &
                  GST_VOICE_LIVE_FIELD_CREATE_RESPONSE)
              && !self->config.create_response))
        self->awaiting_response = TRUE;
      break;
    case GST_VOICE_LIVE_EVENT_RESPONSE_CREATED:
      self->response_active = TRUE;
      self->awaiting_response = FALSE;
      break;
    case GST_VOICE_LIVE_EVENT_RESPONSE_DONE:
      self->response_active = FALSE;
      self->stat_responses++;
      break;
    case GST_VOICE_LIVE_EVENT_ERROR:
      if (ev->error_event_id && g_str_has_prefix (ev->error_event_id,
              "vl-update-") && self->updates_outstanding > 0)
        self->updates_outstanding--;
      if (ev->error_event_id && g_str_has_prefix (ev->error_event_id,
              "vl-response"))
        self->awaiting_response = FALSE;
      if (ev->error_code
          && strcmp (ev->error_code, "input_audio_buffer_commit_empty") == 0)
        self->awaiting_response = FALSE;
      break;
    default:
      break;
  }
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static void
on_ws_message (SoupWebsocketConnection * ws, gint type, GBytes * message,
    gpointer user_data)
{
  VlConnection *c = user_data;
  GstVoiceLiveSession *self = c->session;
  GstVoiceLiveEvent ev;
  GError *err = NULL;
  gsize len;
  const gchar *data;

  if (!self)
    return;
  data = g_bytes_get_data (message, &len);
  g_mutex_lock (&self->lock);
  self->stat_bytes_received += len;
  g_mutex_unlock (&self->lock);
  if (type != SOUP_WEBSOCKET_DATA_TEXT) {
    GST_WARNING_OBJECT (self, "skipping binary frame of %" G_GSIZE_FORMAT
        " bytes (the protocol uses text frames)", len);
    return;
  }
  if (!gst_voice_live_event_parse (&ev, self->parser, data, len, &err)) {
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
        append_audio (self, ev.text);
      else
        GST_WARNING_OBJECT (self, "audio delta without a string delta");
      break;
    default:
      break;
  }
  update_turn_state (self, &ev);
  if (ev.kind != GST_VOICE_LIVE_EVENT_AUDIO_DELTA) {
    /* The frame is not NUL-terminated; the message needs a string. */
    gchar *json = g_strndup (data, len);

    post_event (self, &ev, json);
    g_free (json);
  }
  gst_voice_live_event_clear (&ev);
}

static void
on_ws_closed (SoupWebsocketConnection * ws, gpointer user_data)
{
  VlConnection *c = user_data;
  GstVoiceLiveSession *self = c->session;
  gushort code = soup_websocket_connection_get_close_code (ws);
  const gchar *reason = soup_websocket_connection_get_close_data (ws);

  if (!self) {
    /* Detached by stop(): the close handshake is done. */
    conn_release (c);
    return;
  }
  GST_INFO_OBJECT (self, "connection closed by the server, code %u", code);
  {
    gchar *r = g_strdup_printf ("closed by server (code %u%s%s)", code,
        reason && *reason ? ": " : "", reason ? reason : "");
    gchar *dbg = g_strdup_printf ("WebSocket close code %u", code);

    post_connection (self, "disconnected", 0, r);
    fail (self, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ,
        "The Voice Live service closed the connection", dbg);
    g_free (r);
    g_free (dbg);
  }
  conn_detach (c);
}

static void
on_ws_error (SoupWebsocketConnection * ws, GError * error, gpointer user_data)
{
  VlConnection *c = user_data;

  if (c->session)
    GST_WARNING_OBJECT (c->session, "WebSocket error: %s", error->message);
}

static void
on_connected (GObject * source, GAsyncResult * res, gpointer user_data)
{
  VlConnection *c = user_data;
  GstVoiceLiveSession *self = c->session;
  SoupWebsocketConnection *ws;
  GError *err = NULL;
  guint status;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), res, &err);
  c->connect_pending = FALSE;
  conn_clear_timeout (c);

  if (!self) {
    /* stop() came first */
    if (ws)
      g_object_unref (ws);
    g_clear_error (&err);
    conn_release (c);
    return;
  }

  if (!ws) {
    gchar *url = gst_voice_live_redact_url (c->params->url);
    gchar *dbg;

    status = soup_message_get_status (c->msg);
    dbg = g_strdup_printf ("%s: HTTP status %u, %s", url, status,
        err ? err->message : "unknown error");
    if (g_error_matches (err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      /* The connect timeout cancelled it and already reported. */
    } else if (status == SOUP_STATUS_UNAUTHORIZED
        || status == SOUP_STATUS_FORBIDDEN) {
      post_connection (self, "disconnected", 1, "credentials rejected");
      fail (self, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED,
          status == SOUP_STATUS_UNAUTHORIZED ?
          "The Voice Live service rejected the credentials (HTTP 401): "
          "check the api-key or access-token property "
          "(or AZURE_VOICE_LIVE_API_KEY)" :
          "The Voice Live service refused access (HTTP 403): the "
          "credentials lack permission for this resource", dbg);
    } else {
      gchar *text = g_strdup_printf ("Could not connect to the Voice Live "
          "service at %s: %s", url, err ? err->message : "unknown error");

      post_connection (self, "disconnected", 1, err ? err->message : "");
      fail (self, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
          text, dbg);
      g_free (text);
    }
    g_free (dbg);
    g_free (url);
    g_clear_error (&err);
    conn_detach (c);
    return;
  }

  c->ws = ws;
  g_object_set (ws, "max-incoming-payload-size",
      (guint64) MAX_INCOMING_PAYLOAD, "keepalive-interval",
      c->params->keepalive_interval_s, NULL);
  g_signal_connect (ws, "message", G_CALLBACK (on_ws_message), c);
  g_signal_connect (ws, "closed", G_CALLBACK (on_ws_closed), c);
  g_signal_connect (ws, "error", G_CALLBACK (on_ws_error), c);
  GST_INFO_OBJECT (self, "connected");
  post_connection (self, "connected", 1, "");
}

static gboolean
on_connect_timeout (gpointer user_data)
{
  VlConnection *c = user_data;
  GstVoiceLiveSession *self = c->session;

  g_source_unref (c->timeout_source);
  c->timeout_source = NULL;
  if (self && !c->ws) {
    gchar *url = gst_voice_live_redact_url (c->params->url);
    gchar *text = g_strdup_printf ("Timed out connecting to the Voice Live "
        "service at %s after %u s (connect-timeout)", url,
        c->params->connect_timeout_s);

    post_connection (self, "disconnected", 1, "timeout");
    fail (self, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE, text,
        "connect-timeout expired");
    g_free (text);
    g_free (url);
    g_cancellable_cancel (c->cancellable);
  }
  return G_SOURCE_REMOVE;
}

static gboolean
accept_any_certificate (SoupMessage * msg, GTlsCertificate * cert,
    GTlsCertificateFlags errors, gpointer user_data)
{
  return TRUE;
}

static gboolean
net_start_cb (gpointer data)
{
  GstVoiceLiveSession *self = data;
  GstVoiceLiveConnectParams *p;
  VlConnection *c;
  SoupMessageHeaders *h;
  gchar *url;

  g_mutex_lock (&self->lock);
  if (!self->started || self->conn || !self->params) {
    g_mutex_unlock (&self->lock);
    return G_SOURCE_REMOVE;
  }
  p = self->params;
  self->params = NULL;
  g_mutex_unlock (&self->lock);

  if (!self->parser)
    self->parser = json_parser_new_immutable ();

  c = g_new0 (VlConnection, 1);
  c->session = gst_object_ref (self);
  c->params = p;
  c->cancellable = g_cancellable_new ();
  c->soup = soup_session_new_with_options ("user-agent",
      "gst-voicelive/" VERSION, NULL);
  self->conn = c;

  if (p->ssl_ca_file) {
    GError *err = NULL;
    GTlsDatabase *db = g_tls_file_database_new (p->ssl_ca_file, &err);

    if (!db) {
      gchar *text = g_strdup_printf ("Could not load the CA file given in "
          "ssl-ca-file: %s", err->message);

      fail (self, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS, text,
          p->ssl_ca_file);
      g_free (text);
      g_clear_error (&err);
      conn_detach (c);
      return G_SOURCE_REMOVE;
    }
    soup_session_set_tls_database (c->soup, db);
    g_object_unref (db);
  }

  c->msg = soup_message_new ("GET", p->url);
  if (!c->msg) {
    url = gst_voice_live_redact_url (p->url);
    fail (self, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "The endpoint is not a valid URL", url);
    g_free (url);
    conn_detach (c);
    return G_SOURCE_REMOVE;
  }
  h = soup_message_get_request_headers (c->msg);
  if (p->api_key)
    soup_message_headers_replace (h, "api-key", p->api_key);
  if (p->access_token) {
    gchar *bearer = g_strdup_printf ("Bearer %s", p->access_token);

    soup_message_headers_replace (h, "Authorization", bearer);
    memset (bearer, 0, strlen (bearer));
    g_free (bearer);
  }
  if (p->openai_beta)
    soup_message_headers_replace (h, "OpenAI-Beta", "realtime=v1");
  {
    gchar *uuid = g_uuid_string_random ();

    soup_message_headers_replace (h, "x-ms-client-request-id", uuid);
    g_free (uuid);
  }
  if (!p->ssl_strict)
    g_signal_connect (c->msg, "accept-certificate",
        G_CALLBACK (accept_any_certificate), NULL);

  url = gst_voice_live_redact_url (p->url);
  GST_INFO_OBJECT (self, "connecting to %s", url);
  post_connection (self, "connecting", 1, "");
  g_free (url);

  if (p->connect_timeout_s > 0) {
    c->timeout_source = g_timeout_source_new_seconds (p->connect_timeout_s);
    g_source_set_callback (c->timeout_source, on_connect_timeout, c, NULL);
    g_source_attach (c->timeout_source, g_main_context_get_thread_default ());
  }
  c->connect_pending = TRUE;
  soup_session_websocket_connect_async (c->soup, c->msg, NULL, NULL,
      G_PRIORITY_DEFAULT, c->cancellable, on_connected, c);
  return G_SOURCE_REMOVE;
}

static gboolean
close_grace_expired (gpointer data)
{
  VlConnection *c = data;

  /* The peer did not finish the close handshake in time. */
  g_source_unref (c->timeout_source);
  c->timeout_source = NULL;
  conn_release (c);
  return G_SOURCE_REMOVE;
}

static void
conn_wait_close (VlConnection * c)
{
  c->timeout_source = g_timeout_source_new (CLOSE_GRACE_MS);
  g_source_set_callback (c->timeout_source, close_grace_expired, c, NULL);
  g_source_attach (c->timeout_source, g_main_context_get_thread_default ());
}

/* Detach the connection from its session and close it; it frees itself
 * when libsoup is done with it. Network thread. */
static void
conn_detach (VlConnection * c)
{
  GstVoiceLiveSession *self = c->session;
  SoupWebsocketState state;

  if (self) {
    if (self->conn == c)
      self->conn = NULL;
    g_mutex_lock (&self->lock);
    self->ready = FALSE;
    g_cond_broadcast (&self->cond);
    g_mutex_unlock (&self->lock);
    c->session = NULL;
    gst_object_unref (self);
  }
  conn_clear_timeout (c);

  if (c->connect_pending) {
    /* on_connected runs after the cancel and releases it */
    g_cancellable_cancel (c->cancellable);
    return;
  }
  if (c->ws) {
    state = soup_websocket_connection_get_state (c->ws);
    if (state == SOUP_WEBSOCKET_STATE_OPEN) {
      soup_websocket_connection_close (c->ws, SOUP_WEBSOCKET_CLOSE_NORMAL,
          NULL);
      conn_wait_close (c);
      return;
    }
    if (state == SOUP_WEBSOCKET_STATE_CLOSING) {
      conn_wait_close (c);
      return;
    }
  }
  conn_release (c);
}

static gboolean
net_stop_cb (gpointer data)
{
  GstVoiceLiveSession *self = data;

  if (self->conn)
    conn_detach (self->conn);
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
  self->started = TRUE;
  self->ready = FALSE;
  self->failed = FALSE;
  self->sink_flushing = FALSE;
  self->speech_active = self->response_active = FALSE;
  self->awaiting_response = FALSE;
  self->updates_outstanding = 0;
  self->audio_since_commit = FALSE;
  gst_voice_live_config_copy (&self->config, &params->config);
  self->in_format = params->in_format;
  self->manual_turns = (params->config.set & GST_VOICE_LIVE_FIELD_TURN_TYPE)
      && params->config.turn_detection == GST_VOICE_LIVE_TURN_DETECTION_NONE;
  self->output_eos = FALSE;
  g_mutex_unlock (&self->lock);

  net_invoke (net_start_cb, gst_object_ref (self), gst_object_unref);
}

void
gst_voice_live_session_stop (GstVoiceLiveSession * self)
{
  OutFrame *f;

  g_mutex_lock (&self->lock);
  self->started = FALSE;
  self->ready = FALSE;
  while ((f = g_queue_pop_head (&self->outgoing))) {
    g_free (f->frame);
    g_free (f);
  }
  self->outgoing_audio_bytes = 0;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  net_invoke (net_stop_cb, gst_object_ref (self), gst_object_unref);
}

void
gst_voice_live_session_send (GstVoiceLiveSession * self, gchar * frame,
    gsize audio_bytes)
{
  OutFrame *f;
  gboolean schedule;

  g_mutex_lock (&self->lock);
  if (!self->started) {
    g_mutex_unlock (&self->lock);
    g_free (frame);
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
        g_free (old->frame);
        g_free (old);
        g_queue_delete_link (&self->outgoing, l);
        break;
      }
    }
    if (!l)
      break;
  }
  f = g_new (OutFrame, 1);
  f->frame = frame;
  f->audio_bytes = audio_bytes;
  g_queue_push_tail (&self->outgoing, f);
  self->outgoing_audio_bytes += audio_bytes;
  if (audio_bytes > 0)
    self->audio_since_commit = TRUE;
  schedule = self->ready && !self->flush_scheduled;
  if (schedule)
    self->flush_scheduled = TRUE;
  g_mutex_unlock (&self->lock);

  if (schedule)
    net_invoke (net_flush_cb, gst_object_ref (self), gst_object_unref);
}

void
gst_voice_live_session_update_config (GstVoiceLiveSession * self,
    const GstVoiceLiveConfig * cfg, guint fields)
{
  gchar *frame = NULL;

  g_mutex_lock (&self->lock);
  gst_voice_live_config_copy (&self->config, cfg);
  self->manual_turns = (cfg->set & GST_VOICE_LIVE_FIELD_TURN_TYPE)
      && cfg->turn_detection == GST_VOICE_LIVE_TURN_DETECTION_NONE;
  /* Before session.created the first session.update carries it all. */
  if (self->ready && (cfg->set & fields)) {
    gchar *id = g_strdup_printf ("vl-update-%u", ++self->update_seq);

    frame = gst_voice_live_build_session_update (cfg, fields, id, -1, -1);
    self->updates_outstanding++;
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
      "responses", G_TYPE_UINT, self->stat_responses,
      "reconnects", G_TYPE_UINT, self->stat_reconnects, NULL);
  g_mutex_unlock (&self->lock);
  return s;
}

void
gst_voice_live_session_set_sink_flushing (GstVoiceLiveSession * self,
    gboolean flushing)
{
  g_mutex_lock (&self->lock);
  self->sink_flushing = flushing;
  g_cond_broadcast (&self->cond);
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

static void
set_output_eos (GstVoiceLiveSession * self)
{
  g_mutex_lock (&self->lock);
  self->output_eos = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

gboolean
gst_voice_live_session_finish_input (GstVoiceLiveSession * self,
    gboolean manual_turns, guint timeout_ms)
{
  gint64 deadline =
      g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;
  gboolean ok = TRUE, timed_out = FALSE;
  gchar *id;

  g_mutex_lock (&self->lock);
  if (manual_turns && self->audio_since_commit) {
    g_mutex_unlock (&self->lock);
    gst_voice_live_session_send (self,
        gst_voice_live_build_simple ("input_audio_buffer.commit", NULL), 0);
    gst_voice_live_session_send (self,
        gst_voice_live_build_simple ("response.create", "vl-response-eos"), 0);
    g_mutex_lock (&self->lock);
    self->awaiting_response = TRUE;
  }
  /* A no-op session.update is a barrier: the service answers events in
   * order, so once it is answered every turn the input caused is known. */
  self->updates_outstanding++;
  self->update_seq++;
  id = g_strdup_printf ("vl-update-%u", self->update_seq);
  g_mutex_unlock (&self->lock);
  {
    gchar *frame = g_strdup_printf ("{\"type\":\"session.update\","
        "\"event_id\":\"%s\",\"session\":{}}", id);

    gst_voice_live_session_send (self, frame, 0);
  }
  g_free (id);

  g_mutex_lock (&self->lock);
  while (TRUE) {
    if (self->sink_flushing || !self->started) {
      ok = FALSE;
      break;
    }
    if (self->failed) {
      ok = FALSE;
      break;
    }
    if (self->updates_outstanding == 0 && !self->speech_active
        && !self->response_active && !self->awaiting_response
        && self->outgoing.length == 0)
      break;
    if (!g_cond_wait_until (&self->cond, &self->lock, deadline)) {
      timed_out = TRUE;
      break;
    }
  }
  g_mutex_unlock (&self->lock);

  if (timed_out)
    GST_WARNING_OBJECT (self, "end of stream: gave up waiting for the last "
        "response after %u ms", timeout_ms);
  set_output_eos (self);
  return ok;
}

void
gst_voice_live_session_set_output_format (GstVoiceLiveSession * self,
    GstVoiceLiveAudioFormat format)
{
  gboolean send;

  g_mutex_lock (&self->lock);
  send = self->ready && (!self->out_format_sent || self->out_format != format);
  self->out_format = format;
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
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

GstVoiceLiveReadResult
gst_voice_live_session_read_audio (GstVoiceLiveSession * self, guint8 * dest,
    gsize max, gboolean wait, guint align, gsize * n_read)
{
  GstVoiceLiveReadResult res;
  gsize n = 0, want;

  g_mutex_lock (&self->lock);
  while (TRUE) {
    if (self->src_flushing) {
      res = GST_VOICE_LIVE_READ_FLUSHING;
      goto done;
    }
    if (self->audio_bytes >= align)
      break;
    if (self->output_eos) {
      /* A stray partial sample at the very end cannot be played. */
      res = GST_VOICE_LIVE_READ_EOS;
      goto done;
    }
    if (self->failed) {
      res = GST_VOICE_LIVE_READ_ERROR;
      goto done;
    }
    if (!wait) {
      res = GST_VOICE_LIVE_READ_EMPTY;
      goto done;
    }
    g_cond_wait (&self->cond, &self->lock);
  }

  want = MIN (max, self->audio_bytes);
  want -= want % align;
  while (n < want) {
    GBytes *b = g_queue_peek_head (&self->audio);
    gsize len;
    const guint8 *data = g_bytes_get_data (b, &len);
    gsize take = MIN (want - n, len - self->audio_head_offset);

    memcpy (dest + n, data + self->audio_head_offset, take);
    n += take;
    self->audio_head_offset += take;
    if (self->audio_head_offset == len) {
      g_bytes_unref (g_queue_pop_head (&self->audio));
      self->audio_head_offset = 0;
    }
  }
  self->audio_bytes -= n;
  res = GST_VOICE_LIVE_READ_DATA;

done:
  g_mutex_unlock (&self->lock);
  *n_read = n;
  return res;
}

void
gst_voice_live_session_reset_output (GstVoiceLiveSession * self)
{
  g_mutex_lock (&self->lock);
  g_queue_clear_full (&self->audio, (GDestroyNotify) g_bytes_unref);
  g_queue_init (&self->audio);
  self->audio_head_offset = 0;
  self->audio_bytes = 0;
  self->output_eos = FALSE;
  g_mutex_unlock (&self->lock);
}
