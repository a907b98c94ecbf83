/* gst-voicelive
 * The session on its network thread: flushing the send queue, answering
 * session.created, handing server frames to the answer audio, the
 * conversation and the bus, and the reconnect policy. Network thread only.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstvoicelivesession-private.h"
#include "gstvoiceliveevents.h"
#include "gstvoicelivenet.h"

static void connection_lost (gpointer owner, GstVoiceLiveConnection * c,
    const gchar * reason);

/* Send what is queued, in order. Network thread. */
void
vl_session_net_flush (GstVoiceLiveSession * self)
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
      vl_out_frame_free (f);
  }
  wake_waiters (self);
  g_mutex_unlock (&self->lock);
}

/* How long the first session.update waits for an attached src to
 * negotiate its format: it does so as it starts, within milliseconds; a
 * src whose pipeline is not started does not hold the session up long. */
#define OUT_FORMAT_WAIT_MS 300

static void send_session_update (GstVoiceLiveSession * self,
    GstVoiceLiveConnection * c);

static void
clear_format_wait (GstVoiceLiveSession * self)
{
  gst_voice_live_net_clear_source (&self->format_wait);
}

/* Network thread: send the waiting first session.update, if it still
 * waits for this connection. */
static void
send_waiting_update (GstVoiceLiveSession * self, gboolean timed_out)
{
  gboolean send;

  clear_format_wait (self);
  g_mutex_lock (&self->lock);
  send = self->conn && !self->ready && (!timed_out
      || self->awaiting_out_format);
  self->awaiting_out_format = FALSE;
  g_mutex_unlock (&self->lock);
  if (send) {
    if (timed_out)
      GST_INFO_OBJECT (self, "voicelivesrc has no format yet: configuring "
          "the session without it");
    send_session_update (self, self->conn);
  }
}

static void
format_wait_expired (gpointer data)
{
  send_waiting_update (GST_VOICE_LIVE_SESSION (data), TRUE);
}

static gboolean
format_ready_cb (gpointer data)
{
  send_waiting_update (GST_VOICE_LIVE_SESSION (data), FALSE);
  return G_SOURCE_REMOVE;
}

void
vl_session_out_format_ready (GstVoiceLiveSession * self)
{
  gst_voice_live_net_invoke (self->net_ctx, format_ready_cb,
      gst_object_ref (self), gst_object_unref);
}

static void
handle_session_created (GstVoiceLiveSession * self, GstVoiceLiveConnection * c)
{
  gboolean wait;

  g_mutex_lock (&self->lock);
  wait = self->src && !self->have_out_format;
  self->awaiting_out_format = wait;
  g_mutex_unlock (&self->lock);
  if (!wait) {
    send_session_update (self, c);
    return;
  }
  gst_voice_live_net_timer_once (&self->format_wait,
      g_timeout_source_new (OUT_FORMAT_WAIT_MS), format_wait_expired,
      gst_object_ref (self), gst_object_unref);
}

/* The first session.update of a connection: everything set, then the
 * conversation replayed when restoring; audio flows after it. */
static void
send_session_update (GstVoiceLiveSession * self, GstVoiceLiveConnection * c)
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
  update = gst_voice_live_dialect_session_update (self->dialect,
      &self->config, GST_VOICE_LIVE_FIELD_ALL, id, self->in_format,
      out_format, self->extra_session);
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
    replay = gst_voice_live_conversation_restore_frames (&self->conv,
        self->dialect);
  self->ready = TRUE;
  g_mutex_unlock (&self->lock);
  for (; replay; replay = g_list_delete_link (replay, replay)) {
    gst_voice_live_connection_send (c, replay->data);
    g_free (replay->data);
  }
  vl_session_net_flush (self);
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
      vl_session_captions_timing (self, ev, s);
    if (s)
      vl_session_post (self, s, FALSE);
    return;
  }
  e = vl_session_post_element (self, FALSE);
  if (!e)
    return;
  details = gst_voice_live_event_to_warning (ev, json, self->name, &text,
      &debug);
  gst_element_message_full_with_details (e, GST_MESSAGE_WARNING,
      GST_LIBRARY_ERROR, GST_LIBRARY_ERROR_FAILED, text, debug, __FILE__,
      GST_FUNCTION, __LINE__, details);
  gst_object_unref (e);
}

void
vl_session_maybe_create_response (GstVoiceLiveSession * self)
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
  vl_session_captions_event_locked (self, ev);
  wake_waiters (self);
  g_mutex_unlock (&self->lock);
  if (r.send)
    gst_voice_live_session_send (self, r.send, 0);
  return r.actions;
}

/* The endpoint speaks only the GA dialect and closes after this error:
 * fatal, and the close that follows must not start a reconnect loop
 * (connection_lost() checks failing). Network thread. */
static void
dialect_refused (GstVoiceLiveSession * self, const GstVoiceLiveEvent * ev)
{
  gchar *text = g_strdup_printf ("The service refused the %s session "
      "shape [%s]: this endpoint speaks the OpenAI Realtime GA dialect; "
      "set protocol=openai (or leave protocol=auto with its /v1/realtime "
      "URL)", gst_voice_live_dialect_name (self->dialect), ev->error_code);

  vl_session_fail (self, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
      text, ev->error_message ? ev->error_message : ev->error_code);
  g_free (text);
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

    vl_session_append_audio (self, delta.str, delta.len, resp_id, item_id, len);
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
        vl_session_append_audio (self, ev.text, strlen (ev.text),
            ev.response_id, ev.item_id, 0);
      else
        GST_WARNING_OBJECT (self, "audio delta without a string delta");
      break;
    case GST_VOICE_LIVE_EVENT_ERROR:
      if (gst_voice_live_error_is_dialect_fatal (ev.error_code)) {
        dialect_refused (self, &ev);
        gst_voice_live_event_clear (&ev);
        return;
      }
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
  vl_session_post_connection (self, "connected", attempt, "");
}

static void
on_closed (gpointer data, guint code, const gchar * reason)
{
  vl_session_post_closed (GST_VOICE_LIVE_SESSION (data), code, reason);
}

/* Forget connection @c and close it; with @notify, post the closing
 * connection message once the close is over. Network thread. */
static void
session_detach_full (GstVoiceLiveSession * self, GstVoiceLiveConnection * c,
    gboolean notify)
{
  if (self->conn == c)
    self->conn = NULL;
  g_mutex_lock (&self->lock);
  self->ready = FALSE;
  wake_waiters (self);
  g_mutex_unlock (&self->lock);
  if (notify)
    gst_voice_live_connection_close_notify (c, on_closed,
        gst_object_ref (self), gst_object_unref);
  else
    gst_voice_live_connection_close (c);
}

static void
session_detach (GstVoiceLiveSession * self, GstVoiceLiveConnection * c)
{
  session_detach_full (self, c, FALSE);
}

static void
on_failed (gpointer owner, GstVoiceLiveConnection * c,
    const GstVoiceLiveConnectError * err)
{
  GstVoiceLiveSession *self = gst_object_ref (owner);

  vl_session_post_connection (self, "disconnected", 1, err->reason);
  vl_session_fail (self, err->domain, err->code, err->text, err->debug);
  session_detach (self, c);
  gst_object_unref (self);
}

static const GstVoiceLiveConnectionCallbacks connection_callbacks = {
  on_opened, on_frame, connection_lost, on_failed
};

gboolean
vl_session_net_start_cb (gpointer data)
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
    vl_session_fail (self, err.domain, err.code, err.text, err.debug);
    gst_voice_live_connect_error_clear (&err);
    g_mutex_lock (&self->lock);
    self->ready = FALSE;
    wake_waiters (self);
    g_mutex_unlock (&self->lock);
  } else {
    url = gst_voice_live_redact_url (p->url);
    GST_INFO_OBJECT (self, "connecting to %s", url);
    vl_session_post_connection (self, "connecting", 1, "");
    g_free (url);
  }
  gst_voice_live_connect_params_free (p);
  return G_SOURCE_REMOVE;
}

static void
reconnect_cb (gpointer data)
{
  vl_session_net_start_cb (data);
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
      vl_out_frame_free (f);
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

  vl_session_post_connection (self, "disconnected", attempt, reason);
  vl_session_fail (self, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ, text,
      reason);
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

  clear_format_wait (self);
  session_detach (self, c);

  g_mutex_lock (&self->lock);
  /* Failed for good (e.g. a dialect refusal): no reconnect. */
  if (self->failed || self->failing) {
    self->ready = FALSE;
    wake_waiters (self);
    g_mutex_unlock (&self->lock);
    gst_object_unref (self);
    return;
  }
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
  vl_session_post_connection (self, "reconnecting", attempt, reason);
  gst_voice_live_net_timer_once (&self->reconnect_source,
      g_timeout_source_new (delay), reconnect_cb, gst_object_ref (self),
      gst_object_unref);
  gst_object_unref (self);
}

gboolean
vl_session_net_stop_cb (gpointer data)
{
  GstVoiceLiveSession *self = data;

  gst_voice_live_net_clear_source (&self->reconnect_source);
  clear_format_wait (self);
  if (self->conn) {
    session_detach_full (self, self->conn, TRUE);
  } else {
    /* Nothing to close */
    g_mutex_lock (&self->lock);
    if (self->closes_pending > 0)
      self->closes_pending--;
    wake_waiters (self);
    g_mutex_unlock (&self->lock);
  }
  return G_SOURCE_REMOVE;
}
