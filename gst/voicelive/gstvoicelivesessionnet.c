/* gst-voicelive
 * The session on its network thread: flushing the send queue, answering
 * session.created, handing server frames to the answer audio, the
 * conversation and the bus, the reconnect policy, and the renewal of the
 * service session ahead of its end. Network thread only.
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
static void schedule_renewal (GstVoiceLiveSession * self);
static void maybe_switch (GstVoiceLiveSession * self);
static void note_expires_at (GstVoiceLiveSession * self, gint64 expires_at);
static void on_renew_frame (GstVoiceLiveSession * self, gboolean text,
    const gchar * data, gsize len);

/* Send what is queued, in order. Network thread. */
void
vl_session_net_flush (GstVoiceLiveSession * self)
{
  GstVoiceLiveConnection *c = self->conn;
  OutFrame *f;
  gboolean corked;

  g_mutex_lock (&self->lock);
  self->flush_scheduled = FALSE;
  if (!c || !self->ready) {
    g_mutex_unlock (&self->lock);
    return;
  }
  corked = self->outgoing.length > 1;
  if (corked)
    gst_voice_live_connection_cork (c, TRUE);
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
  /* Only a drain waits for the queue to empty: a non-live src waiting for
   * answer audio must not be woken by every append sent. */
  if (self->drain_waiters > 0)
    wake_waiters (self);
  g_mutex_unlock (&self->lock);
  if (corked)
    gst_voice_live_connection_cork (c, FALSE);
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

  /* not the frame: avatar-ice-servers' TURN credentials, an MCP
   * server's authorization */
  GST_DEBUG_OBJECT (self, "sending session.update %s (%" G_GSIZE_FORMAT
      " bytes)", id, strlen (update));
  gst_voice_live_connection_send (c, update);
  g_free (update);
  g_free (id);

  g_mutex_lock (&self->lock);
  /* A renewal always restores: the call goes on, the agent must not
   * forget it. */
  restore = self->renewing || (self->reconnecting && self->params
      && self->params->restore_conversation);
  if (self->reconnecting)
    self->stat_reconnects++;
  if (self->renewing)
    self->stat_renewals++;
  self->reconnecting = FALSE;
  self->renewing = FALSE;
  self->connected_once = TRUE;
  self->connected_since = g_get_monotonic_time ();
  /* Replay the conversation so far as text items. */
  if (restore)
    replay = gst_voice_live_conversation_restore_frames (&self->conv,
        self->dialect);
  /* Stereo appends wait for the service to take the update */
  self->ec_await_updated = self->ec_client;
  self->ready = !self->ec_client;
  g_mutex_unlock (&self->lock);
  for (; replay; replay = g_list_delete_link (replay, replay)) {
    gst_voice_live_connection_send (c, replay->data);
    g_free (replay->data);
  }
  vl_session_net_flush (self);
  schedule_renewal (self);
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
 * sends what it asks for. Completes @ev for its message. */
static guint
update_conversation (GstVoiceLiveSession * self, GstVoiceLiveEvent * ev,
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
  if (ev->expires_at > 0)
    self->expires_at = ev->expires_at;
  /* The messages of a response asked with metadata carry it (the text
   * events do not repeat it). */
  if (!ev->metadata && ev->response_id)
    ev->metadata = g_strdup (gst_voice_live_conversation_response_metadata
        (&self->conv, ev->response_id));
  /* One approval request message per request, whichever item event
   * brought it first. */
  if (r.actions & GST_VOICE_LIVE_CONV_SEEN_BEFORE)
    ev->kind = GST_VOICE_LIVE_EVENT_OTHER;
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

  /* A closed connection calls nothing: it is this one or the next. */
  if (c != self->conn) {
    if (c == self->renew_conn)
      on_renew_frame (self, text, data, len);
    return;
  }
  /* The byte count is added where the lock is taken anyway: a streaming
   * thread waiting for this lock should not lose it once per frame. */
  if (!text) {
    count_rx (self, len);
    GST_WARNING_OBJECT (self, "skipping binary frame of %" G_GSIZE_FORMAT
        " bytes (the protocol uses text frames)", len);
    return;
  }
  /* The avatar's video: queued for voiceliveavatarsrc, not posted */
  if (vl_session_video_frame (self, data, len))
    return;
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
      note_expires_at (self, ev.expires_at);
      handle_session_created (self, c);
      break;
    case GST_VOICE_LIVE_EVENT_SESSION_UPDATED:
      note_expires_at (self, ev.expires_at);
      g_mutex_lock (&self->lock);
      if (self->ec_await_updated && self->started && !self->failed) {
        self->ec_await_updated = FALSE;
        self->ready = TRUE;
      }
      g_mutex_unlock (&self->lock);
      vl_session_net_flush (self);
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
  vl_session_avatar_rtc_event (self, &ev);
  vl_session_avatar_event (self, &ev);
  if (update_conversation (self, &ev, len) & GST_VOICE_LIVE_CONV_INTERRUPT)
    gst_voice_live_session_interrupt_output (self, FALSE);
  if (ev.kind != GST_VOICE_LIVE_EVENT_AUDIO_DELTA) {
    /* The frame is not NUL-terminated; the message needs a string. */
    gchar *json = g_strndup (data, len);

    post_event (self, &ev, json);
    g_free (json);
  }
  gst_voice_live_event_clear (&ev);
  /* The turn may have ended: a renewal waiting for it goes now. */
  maybe_switch (self);
}

/* ---- renewal ahead of the end of the service session ---- */

/* Stop renewing: the timer, and a second connection not switched to. */
static void
cancel_renewal (GstVoiceLiveSession * self)
{
  GstVoiceLiveConnection *c = self->renew_conn;

  gst_voice_live_net_clear_source (&self->renew_source);
  self->renew_conn = NULL;
  self->renew_created = FALSE;
  if (c)
    gst_voice_live_connection_close (c);
}

static void start_renewal (GstVoiceLiveSession * self);

static void
renew_due_cb (gpointer data)
{
  start_renewal (GST_VOICE_LIVE_SESSION (data));
}

/* Arm the renewal timer of the current connection: renew-margin-ms
 * before its expires_at or before max-session-duration after it was
 * configured, whichever is first. A margin longer than half the session's life renews at half
 * of it, not at once and again on every new connection. */
static void
schedule_renewal (GstVoiceLiveSession * self)
{
  guint margin, max_s;
  gint64 since, remaining_ms, delay_ms;

  gst_voice_live_net_clear_source (&self->renew_source);
  if (self->renew_conn || !self->conn)
    return;
  g_mutex_lock (&self->lock);
  margin = self->params ? self->params->renew_margin_ms : 0;
  max_s = self->params ? self->params->max_session_duration_s : 0;
  since = self->connected_since;
  g_mutex_unlock (&self->lock);
  /* Whichever comes first: the service's limit or the user's. */
  remaining_ms = G_MAXINT64;
  if (self->conn_expires_at > 0) {
    remaining_ms = (self->conn_expires_at * G_USEC_PER_SEC - g_get_real_time ())
        / 1000;
    self->renew_reason = "expires-at";
  }
  if (max_s > 0 && since > 0) {
    gint64 age_ms = (g_get_monotonic_time () - since) / 1000;

    if (max_s * G_GINT64_CONSTANT (1000) - age_ms < remaining_ms) {
      remaining_ms = max_s * G_GINT64_CONSTANT (1000) - age_ms;
      self->renew_reason = "max-session-duration";
    }
  }
  if (remaining_ms == G_MAXINT64)
    return;
  delay_ms = CLAMP (MAX (remaining_ms - (gint64) margin, remaining_ms / 2), 0,
      G_MAXINT);
  GST_INFO_OBJECT (self, "the service session ends in %" G_GINT64_FORMAT
      " ms (%s): renewing in %" G_GINT64_FORMAT " ms", remaining_ms,
      self->renew_reason, delay_ms);
  gst_voice_live_net_timer_once (&self->renew_source,
      g_timeout_source_new ((guint) delay_ms), renew_due_cb,
      gst_object_ref (self), gst_object_unref);
}

/* The current connection told its expiry (session.created or
 * session.updated); a new one re-arms the timer. */
static void
note_expires_at (GstVoiceLiveSession * self, gint64 expires_at)
{
  gboolean ready;

  if (expires_at <= 0 || expires_at == self->conn_expires_at)
    return;
  self->conn_expires_at = expires_at;
  g_mutex_lock (&self->lock);
  ready = self->ready;
  g_mutex_unlock (&self->lock);
  /* Before the first session.update the timer is armed when it is sent. */
  if (ready)
    schedule_renewal (self);
}

static const GstVoiceLiveConnectionCallbacks connection_callbacks;

/* The renewal is due: open the second connection now, it is switched to
 * at the end of a turn once the service has created its session. */
static void
start_renewal (GstVoiceLiveSession * self)
{
  GstVoiceLiveConnectParams *p = NULL;
  GstVoiceLiveConnectError err = { 0, };
  guint n;

  g_mutex_lock (&self->lock);
  if (self->started && !self->failed && !self->failing && self->ready
      && self->params)
    p = gst_voice_live_connect_params_copy (self->params);
  n = self->stat_renewals + 1;
  g_mutex_unlock (&self->lock);
  if (!p || !self->conn || self->renew_conn) {
    gst_voice_live_connect_params_free (p);
    return;
  }
  self->renew_created = FALSE;
  /* Errors of the second connection are reported as lost(): the first
   * one still works. */
  self->renew_conn = gst_voice_live_connection_open (p, TRUE,
      &connection_callbacks, self, &err);
  gst_voice_live_connect_params_free (p);
  if (!self->renew_conn) {
    GST_WARNING_OBJECT (self, "cannot renew the session: %s", err.text);
    gst_voice_live_connect_error_clear (&err);
    return;
  }
  GST_INFO_OBJECT (self, "renewing the service session (%s)",
      self->renew_reason);
  vl_session_post_connection (self, "renewing", n, self->renew_reason);
}

/* Switch to the second connection: the same first session.update, the
 * conversation restored, then the queued input; the old connection is
 * closed (@old may be gone already). Network thread. */
static void
switch_to_renewed (GstVoiceLiveSession * self, GstVoiceLiveConnection * old)
{
  GstVoiceLiveConnection *c = self->renew_conn;
  guint n;

  self->renew_conn = NULL;
  self->renew_created = FALSE;
  self->renew_failures = 0;
  self->conn = c;
  self->conn_expires_at = self->renew_expires_at;
  g_mutex_lock (&self->lock);
  self->renewing = TRUE;
  g_mutex_unlock (&self->lock);
  /* Input queued so far goes to the new connection, after the update and
   * the restored conversation; what the old one got was sent before. */
  send_session_update (self, c);
  if (old)
    gst_voice_live_connection_close (old);
  g_mutex_lock (&self->lock);
  n = self->stat_renewals;
  g_mutex_unlock (&self->lock);
  GST_INFO_OBJECT (self, "renewed the service session (%s)",
      self->renew_reason);
  vl_session_post_connection (self, "renewed", n, self->renew_reason);
}

/* Between turns, with the second connection's session created: switch. */
static void
maybe_switch (GstVoiceLiveSession * self)
{
  gboolean ok;

  if (!self->renew_conn || !self->renew_created || !self->conn)
    return;
  g_mutex_lock (&self->lock);
  ok = self->started && self->ready && !self->failed && !self->failing
      && gst_voice_live_conversation_can_switch (&self->conv);
  g_mutex_unlock (&self->lock);
  if (ok)
    switch_to_renewed (self, self->conn);
}

/* A frame of the second connection, before the switch: only its
 * session.created is expected. */
static void
on_renew_frame (GstVoiceLiveSession * self, gboolean text,
    const gchar * data, gsize len)
{
  GstVoiceLiveEvent ev;
  GError *err = NULL;
  gchar *json;

  count_rx (self, len);
  if (!text || !gst_voice_live_event_parse (&ev, self->parser, data, len, &err)) {
    GST_WARNING_OBJECT (self, "skipping a frame of the renewed connection: "
        "%s", err ? err->message : "binary");
    g_clear_error (&err);
    return;
  }
  json = g_strndup (data, len);
  post_event (self, &ev, json);
  g_free (json);
  if (ev.kind == GST_VOICE_LIVE_EVENT_SESSION_CREATED) {
    self->renew_created = TRUE;
    self->renew_expires_at = ev.expires_at;
  }
  gst_voice_live_event_clear (&ev);
  maybe_switch (self);
}

/* The second connection failed or broke before the switch: try again
 * after a back-off, up to max-reconnect-attempts (at least once); then
 * leave it to the reconnect when the old connection ends. */
static void
renewal_failed (GstVoiceLiveSession * self, const gchar * reason)
{
  guint max;

  cancel_renewal (self);
  g_mutex_lock (&self->lock);
  max = self->params ? MAX (self->params->max_reconnect_attempts, 1) : 0;
  g_mutex_unlock (&self->lock);
  if (++self->renew_failures > max) {
    GST_WARNING_OBJECT (self, "renewing the session failed (%s): giving up, "
        "the session will reconnect when the service ends it", reason);
    return;
  }
  GST_WARNING_OBJECT (self, "renewing the session failed (%s): retrying",
      reason);
  gst_voice_live_net_timer_once (&self->renew_source,
      g_timeout_source_new (gst_voice_live_connection_backoff_ms
          (self->renew_failures)), renew_due_cb, gst_object_ref (self),
      gst_object_unref);
}

static void
on_opened (gpointer owner, GstVoiceLiveConnection * c)
{
  GstVoiceLiveSession *self = owner;
  guint attempt;

  /* The second connection of a renewal: "renewed" says it at the switch. */
  if (c == self->renew_conn)
    return;
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

  if (c == self->renew_conn) {
    renewal_failed (self, err->reason);
    gst_object_unref (self);
    return;
  }
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

  if (c == self->renew_conn) {
    renewal_failed (self, reason);
    gst_object_unref (self);
    return;
  }
  clear_format_wait (self);
  session_detach (self, c);
  if (self->renew_conn && self->renew_created) {
    g_mutex_lock (&self->lock);
    started = self->started && !self->failed && !self->failing;
    /* The service ended the session before a turn ended: switch at once,
     * the turn in progress is lost, the queued input is not. */
    if (started)
      gst_voice_live_conversation_connection_lost (&self->conv);
    g_mutex_unlock (&self->lock);
    if (started) {
      GST_INFO_OBJECT (self, "connection lost (%s) while renewing: switching "
          "now", reason);
      switch_to_renewed (self, NULL);
      gst_object_unref (self);
      return;
    }
  }
  cancel_renewal (self);
  self->conn_expires_at = 0;

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
  cancel_renewal (self);
  self->conn_expires_at = 0;
  self->renew_failures = 0;
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
