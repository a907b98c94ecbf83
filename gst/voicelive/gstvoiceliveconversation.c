/* gst-voicelive
 * The conversation state machine, driven by parsed server events and the
 * sink's requests, returning what to send. Pure: no sockets, no elements,
 * no locks; the session calls it under its lock (network and streaming
 * threads). tests/check/conversation.c and tests/fuzz/fuzz-conversation.c
 * drive it directly.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstvoiceliveconversation.h"

static void
history_item_free (GstVoiceLiveHistoryItem * h)
{
  g_free (h->text);
  g_free (h);
}

/* Responses whose metadata and muting are remembered: their messages
 * and audio come between response.created and response.done. */
#define MAX_KNOWN_RESPONSES 16

static void
request_free (GstVoiceLiveResponseRequest * r)
{
  if (!r)
    return;
  if (r->response)
    json_object_unref (r->response);
  g_free (r->metadata);
  g_free (r);
}

void
gst_voice_live_conversation_init (GstVoiceLiveConversation * conv)
{
  memset (conv, 0, sizeof (*conv));
  conv->pending_calls = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, g_free);
  conv->responses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) request_free);
  conv->approvals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  g_queue_init (&conv->history);
  g_queue_init (&conv->requests);
  g_queue_init (&conv->response_ids);
}

/* Forget the requests not sent yet and the one in flight. */
static void
drop_requests (GstVoiceLiveConversation * conv)
{
  g_queue_clear_full (&conv->requests, (GDestroyNotify) request_free);
  g_queue_init (&conv->requests);
  g_clear_pointer (&conv->in_flight, request_free);
}

void
gst_voice_live_conversation_clear (GstVoiceLiveConversation * conv)
{
  g_queue_clear_full (&conv->history, (GDestroyNotify) history_item_free);
  g_clear_pointer (&conv->pending_calls, g_hash_table_unref);
  g_clear_pointer (&conv->pending_instructions, g_free);
  drop_requests (conv);
  g_queue_clear_full (&conv->response_ids, g_free);
  g_clear_pointer (&conv->responses, g_hash_table_unref);
  g_clear_pointer (&conv->approvals, g_hash_table_unref);
}

void
gst_voice_live_conversation_reset (GstVoiceLiveConversation * conv)
{
  g_queue_clear_full (&conv->history, (GDestroyNotify) history_item_free);
  g_queue_init (&conv->history);
  conv->speech_active = conv->response_active = FALSE;
  conv->commit_expected = FALSE;
  conv->awaiting_response = FALSE;
  conv->updates_outstanding = 0;
  conv->audio_since_commit = FALSE;
  g_hash_table_remove_all (conv->pending_calls);
  conv->response_wanted = FALSE;
  g_clear_pointer (&conv->pending_instructions, g_free);
  drop_requests (conv);
  g_queue_clear_full (&conv->response_ids, g_free);
  g_queue_init (&conv->response_ids);
  g_hash_table_remove_all (conv->responses);
  g_hash_table_remove_all (conv->approvals);
  conv->t_speech_stopped = 0;
}

void
gst_voice_live_conversation_configure (GstVoiceLiveConversation * conv,
    const GstVoiceLiveConfig * cfg)
{
  conv->manual_turns = (cfg->set & GST_VOICE_LIVE_FIELD_TURN_TYPE)
      && cfg->turn_detection == GST_VOICE_LIVE_TURN_DETECTION_NONE;
  /* With server turn detection a response follows a commit on its own,
   * unless create-response was turned off. */
  conv->auto_response = !((cfg->set & GST_VOICE_LIVE_FIELD_CREATE_RESPONSE)
      && !cfg->create_response);
  conv->auto_truncate = (cfg->set & GST_VOICE_LIVE_FIELD_AUTO_TRUNCATE)
      && cfg->auto_truncate;
}

void
gst_voice_live_conversation_connection_lost (GstVoiceLiveConversation * conv)
{
  conv->speech_active = conv->response_active = FALSE;
  conv->commit_expected = FALSE;
  conv->awaiting_response = conv->response_wanted = FALSE;
  conv->updates_outstanding = 0;
  g_hash_table_remove_all (conv->pending_calls);
  /* Like a plain request, a queued one is not carried over to the next
   * service session: it would answer a conversation it did not see. */
  drop_requests (conv);
  g_hash_table_remove_all (conv->approvals);
}

static void
add_history (GstVoiceLiveConversation * conv, const GstVoiceLiveEvent * ev)
{
  GstVoiceLiveHistoryItem *h;

  if (!ev->text || !*ev->text)
    return;
  h = g_new0 (GstVoiceLiveHistoryItem, 1);
  h->user = ev->kind == GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DONE;
  h->text = g_strdup (ev->text);
  g_queue_push_tail (&conv->history, h);
  if (conv->history.length > GST_VOICE_LIVE_MAX_HISTORY)
    history_item_free (g_queue_pop_head (&conv->history));
}

/* An error answers one of our requests when its event_id is ours; errors
 * without one (event_id null) change nothing but a failed commit. */
static void
handle_error (GstVoiceLiveConversation * conv, const GstVoiceLiveEvent * ev)
{
  const gchar *id = ev->error_event_id;

  if (id && g_str_has_prefix (id, "vl-update-")
      && conv->updates_outstanding > 0)
    conv->updates_outstanding--;
  if (id && g_str_has_prefix (id, "vl-response")) {
    conv->awaiting_response = FALSE;
    /* Someone else's response is running: ours goes after it, first. */
    if (g_strcmp0 (ev->error_code,
            "conversation_already_has_active_response") == 0) {
      if (conv->in_flight) {
        conv->in_flight->order = 0;
        g_queue_push_head (&conv->requests, conv->in_flight);
        conv->in_flight = NULL;
      } else {
        conv->response_wanted = TRUE;
        conv->wanted_order = 0;
      }
    }
    g_clear_pointer (&conv->in_flight, request_free);
  }
  if (ev->error_code
      && strcmp (ev->error_code, "input_audio_buffer_commit_empty") == 0)
    conv->awaiting_response = conv->commit_expected = FALSE;
}

/* The first response.created after our request with options is its
 * response: the gate sends one request at a time, and the service answers
 * in order. (A VAD turn committed just after our request could race it;
 * the service does not echo the event_id to tell them apart.) */
static void
response_created (GstVoiceLiveConversation * conv, const gchar * response_id)
{
  GstVoiceLiveResponseRequest *r = conv->in_flight;

  conv->in_flight = NULL;
  if (!r || !response_id || (!r->metadata && !r->mute)) {
    request_free (r);
    return;
  }
  g_hash_table_replace (conv->responses, g_strdup (response_id), r);
  g_queue_push_tail (&conv->response_ids, g_strdup (response_id));
  if (conv->response_ids.length > MAX_KNOWN_RESPONSES) {
    gchar *old = g_queue_pop_head (&conv->response_ids);

    g_hash_table_remove (conv->responses, old);
    g_free (old);
  }
}

void
gst_voice_live_conversation_handle_event (GstVoiceLiveConversation * conv,
    const GstVoiceLiveEvent * ev, gboolean open, gint64 now_us,
    GstVoiceLiveConvResult * result)
{
  result->actions = 0;
  result->send = NULL;
  switch (ev->kind) {
    case GST_VOICE_LIVE_EVENT_SESSION_UPDATED:
      if (conv->updates_outstanding > 0)
        conv->updates_outstanding--;
      break;
    case GST_VOICE_LIVE_EVENT_SPEECH_STARTED:
      conv->speech_active = TRUE;
      conv->commit_expected = FALSE;
      result->actions |= GST_VOICE_LIVE_CONV_INTERRUPT;
      break;
    case GST_VOICE_LIVE_EVENT_SPEECH_STOPPED:
      conv->speech_active = FALSE;
      /* The service's VAD commits the turn next. */
      conv->commit_expected = !conv->manual_turns;
      conv->t_speech_stopped = now_us;
      break;
    case GST_VOICE_LIVE_EVENT_INPUT_COMMITTED:
      conv->speech_active = FALSE;
      conv->commit_expected = FALSE;
      conv->audio_since_commit = FALSE;
      if (!conv->manual_turns && conv->auto_response)
        conv->awaiting_response = TRUE;
      break;
    case GST_VOICE_LIVE_EVENT_RESPONSE_CREATED:
      conv->response_active = TRUE;
      conv->awaiting_response = FALSE;
      response_created (conv, ev->response_id);
      break;
    case GST_VOICE_LIVE_EVENT_RESPONSE_DONE:
      /* completed, cancelled, incomplete or failed: over in any case */
      conv->response_active = FALSE;
      result->actions |= GST_VOICE_LIVE_CONV_RESPONSE_FINISHED;
      break;
    case GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DONE:
    case GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DONE:
    case GST_VOICE_LIVE_EVENT_TEXT_DONE:
      add_history (conv, ev);
      break;
    case GST_VOICE_LIVE_EVENT_AUDIO_DONE:
      result->actions |= GST_VOICE_LIVE_CONV_ITEM_AUDIO_DONE;
      break;
    case GST_VOICE_LIVE_EVENT_FUNCTION_CALL_DONE:
      if (ev->call_id)
        g_hash_table_replace (conv->pending_calls, g_strdup (ev->call_id),
            g_strdup (ev->name ? ev->name : ""));
      break;
    case GST_VOICE_LIVE_EVENT_ERROR:
      handle_error (conv, ev);
      break;
    case GST_VOICE_LIVE_EVENT_MCP_APPROVAL_REQUEST:
      if (!ev->item_id || g_hash_table_contains (conv->approvals, ev->item_id))
        result->actions |= GST_VOICE_LIVE_CONV_SEEN_BEFORE;
      else
        g_hash_table_add (conv->approvals, g_strdup (ev->item_id));
      break;
    default:
      break;
  }
  /* The gate may have opened. */
  if (ev->kind == GST_VOICE_LIVE_EVENT_RESPONSE_DONE
      || ev->kind == GST_VOICE_LIVE_EVENT_ERROR)
    result->send = gst_voice_live_conversation_take_response_create (conv,
        open);
}

gchar *
gst_voice_live_conversation_next_update_id (GstVoiceLiveConversation * conv)
{
  conv->updates_outstanding++;
  return g_strdup_printf ("vl-update-%u", ++conv->update_seq);
}

static void
want_plain (GstVoiceLiveConversation * conv)
{
  if (!conv->response_wanted)
    conv->wanted_order = ++conv->order_seq;
  conv->response_wanted = TRUE;
}

void
gst_voice_live_conversation_request_response (GstVoiceLiveConversation * conv,
    const gchar * instructions)
{
  want_plain (conv);
  g_free (conv->pending_instructions);
  conv->pending_instructions = g_strdup (instructions);
}

/* A response.create waits until no response is active and every function
 * call of the last response has its result (the classic race of
 * "conversation_already_has_active_response"). */
gchar *
gst_voice_live_conversation_take_response_create (GstVoiceLiveConversation *
    conv, gboolean open)
{
  GstVoiceLiveResponseRequest *head = g_queue_peek_head (&conv->requests);
  gchar *frame, *id;

  if ((!conv->response_wanted && !head) || conv->response_active
      || conv->awaiting_response || g_hash_table_size (conv->pending_calls) > 0
      || !open)
    return NULL;
  conv->awaiting_response = TRUE;
  id = g_strdup_printf ("vl-response-%u", ++conv->response_seq);
  g_clear_pointer (&conv->in_flight, request_free);
  if (head && (!conv->response_wanted || head->order < conv->wanted_order)) {
    conv->in_flight = g_queue_pop_head (&conv->requests);
    frame = gst_voice_live_build_response_create_with (id, head->response);
  } else {
    conv->response_wanted = FALSE;
    frame = gst_voice_live_build_response_create (id,
        conv->pending_instructions);
    g_clear_pointer (&conv->pending_instructions, g_free);
  }
  g_free (id);
  return frame;
}

gboolean
gst_voice_live_conversation_function_result (GstVoiceLiveConversation * conv,
    const gchar * call_id)
{
  if (!call_id || !g_hash_table_remove (conv->pending_calls, call_id))
    return FALSE;
  want_plain (conv);
  return TRUE;
}

void
gst_voice_live_conversation_queue_response (GstVoiceLiveConversation * conv,
    JsonObject * response, gboolean mute)
{
  GstVoiceLiveResponseRequest *r = g_new0 (GstVoiceLiveResponseRequest, 1);
  JsonNode *md = json_object_get_member (response, "metadata");

  r->response = response;
  r->mute = mute;
  r->order = ++conv->order_seq;
  if (md && JSON_NODE_HOLDS_OBJECT (md))
    r->metadata = json_to_string (md, FALSE);
  g_queue_push_tail (&conv->requests, r);
}

const gchar *
gst_voice_live_conversation_response_metadata (GstVoiceLiveConversation *
    conv, const gchar * response_id)
{
  GstVoiceLiveResponseRequest *r = response_id ?
      g_hash_table_lookup (conv->responses, response_id) : NULL;

  return r ? r->metadata : NULL;
}

gboolean
gst_voice_live_conversation_response_muted (GstVoiceLiveConversation * conv,
    const gchar * response_id)
{
  GstVoiceLiveResponseRequest *r = response_id ?
      g_hash_table_lookup (conv->responses, response_id) : NULL;

  return r && r->mute;
}

gboolean
gst_voice_live_conversation_answer_approval (GstVoiceLiveConversation * conv,
    const gchar * id)
{
  return id && g_hash_table_remove (conv->approvals, id);
}

gboolean
gst_voice_live_conversation_settled (const GstVoiceLiveConversation * conv)
{
  return conv->updates_outstanding == 0 && !conv->speech_active
      && !conv->response_active && !conv->awaiting_response
      && !conv->response_wanted && conv->requests.length == 0;
}

gboolean
gst_voice_live_conversation_can_switch (const GstVoiceLiveConversation * conv)
{
  return !conv->speech_active && !conv->commit_expected
      && !conv->response_active
      && !conv->awaiting_response && !conv->response_wanted
      && conv->updates_outstanding == 0
      && g_hash_table_size (conv->pending_calls) == 0 && !(conv->manual_turns
      && conv->audio_since_commit);
}

gboolean
gst_voice_live_conversation_drain_needs_commit (const GstVoiceLiveConversation
    * conv, gboolean manual_turns)
{
  return manual_turns && conv->audio_since_commit;
}

void
gst_voice_live_conversation_interrupt (GstVoiceLiveConversation * conv,
    const gchar * item, gint64 end_ms, gboolean connected, gchar ** truncate,
    gchar ** cancel)
{
  /* With auto-truncate the service cuts the item itself. */
  *truncate = item && !conv->auto_truncate && connected ?
      gst_voice_live_build_truncate (item, 0, end_ms) : NULL;
  *cancel = conv->response_active && connected ?
      gst_voice_live_build_simple ("response.cancel", NULL) : NULL;
}

GList *
gst_voice_live_conversation_restore_frames (GstVoiceLiveConversation * conv,
    GstVoiceLiveDialect d)
{
  GList *l, *frames = NULL;
  gsize used = 0;

  /* Newest first, within the budget; the newest item always goes. */
  for (l = conv->history.tail; l; l = l->prev) {
    GstVoiceLiveHistoryItem *h = l->data;
    gsize len = strlen (h->text);

    if (frames && used + len > GST_VOICE_LIVE_RESTORE_BUDGET)
      break;
    used += len;
    frames = g_list_prepend (frames,
        gst_voice_live_dialect_text_item (d, h->user, h->text));
  }
  return frames;
}
