/* gst-voicelive: the conversation state machine (gstvoiceliveconversation.c)
 * fed server event sequences directly, including the orderings the real
 * service produces. No network, no elements.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <gst/check/gstcheck.h>
#include "gstvoiceliveconversation.h"
#include "vltest.h"

static GstVoiceLiveConversation conv;
static JsonParser *parser;
static GPtrArray *sent;         /* frames the conversation asked to send */

static void
setup (void)
{
  GstVoiceLiveConfig cfg;

  gst_voice_live_conversation_init (&conv);
  gst_voice_live_config_init (&cfg);
  gst_voice_live_conversation_configure (&conv, &cfg);
  gst_voice_live_config_clear (&cfg);
  gst_voice_live_conversation_reset (&conv);
  parser = json_parser_new_immutable ();
  sent = g_ptr_array_new_with_free_func (g_free);
}

static void
teardown (void)
{
  gst_voice_live_conversation_clear (&conv);
  g_object_unref (parser);
  g_ptr_array_unref (sent);
}

/* Feed one server event (JSON); returns its actions. */
static guint
feed (const gchar * json)
{
  GstVoiceLiveEvent ev;
  GstVoiceLiveConvResult r;
  GError *err = NULL;

  fail_unless (gst_voice_live_event_parse (&ev, parser, json, -1, &err),
      "%s: %s", json, err ? err->message : "");
  gst_voice_live_conversation_handle_event (&conv, &ev, TRUE,
      g_get_monotonic_time (), &r);
  gst_voice_live_event_clear (&ev);
  if (r.send)
    g_ptr_array_add (sent, r.send);
  return r.actions;
}

static void
request (const gchar * instructions)
{
  gchar *frame;

  gst_voice_live_conversation_request_response (&conv, instructions);
  frame = gst_voice_live_conversation_take_response_create (&conv, TRUE);
  if (frame)
    g_ptr_array_add (sent, frame);
}

static const gchar *
last_sent (void)
{
  fail_unless (sent->len > 0);
  return g_ptr_array_index (sent, sent->len - 1);
}

#define CREATED(id) "{\"type\":\"response.created\",\"response\":{\"id\":\"" id "\"}}"
#define DONE(id, status) "{\"type\":\"response.done\",\"response\":{\"id\":\"" \
  id "\",\"status\":\"" status "\"}}"
#define ERROR(code, event_id) "{\"type\":\"error\",\"error\":{\"type\":" \
  "\"invalid_request_error\",\"code\":\"" code "\",\"event_id\":" event_id "}}"

/* A server-detected turn: the user's transcript arrives after the response
 * has started; the drain waits for the response, not the transcript. */
GST_START_TEST (test_transcript_after_response_started)
{
  fail_unless (feed ("{\"type\":\"input_audio_buffer.speech_started\","
          "\"item_id\":\"u1\",\"audio_start_ms\":10}") &
      GST_VOICE_LIVE_CONV_INTERRUPT);
  fail_if (gst_voice_live_conversation_settled (&conv));
  feed ("{\"type\":\"input_audio_buffer.speech_stopped\",\"item_id\":\"u1\"}");
  fail_unless (conv.t_speech_stopped > 0);
  feed ("{\"type\":\"input_audio_buffer.committed\",\"item_id\":\"u1\"}");
  fail_unless (conv.awaiting_response);
  feed (CREATED ("r1"));
  fail_unless (conv.response_active && !conv.awaiting_response);
  feed ("{\"type\":\"response.audio_transcript.done\",\"item_id\":\"a1\","
      "\"transcript\":\"Hi there\"}");
  feed ("{\"type\":\"conversation.item.input_audio_transcription.completed\","
      "\"item_id\":\"u1\",\"transcript\":\"Hello\"}");
  fail_if (gst_voice_live_conversation_settled (&conv));
  fail_unless (feed (DONE ("r1", "completed")) &
      GST_VOICE_LIVE_CONV_RESPONSE_FINISHED);
  fail_unless (gst_voice_live_conversation_settled (&conv));
  fail_unless_equals_int (sent->len, 0);
  /* History keeps arrival order: the answer before the late transcript. */
  fail_unless_equals_int (conv.history.length, 2);
  fail_if (((GstVoiceLiveHistoryItem *) conv.history.head->data)->user);
  fail_unless (((GstVoiceLiveHistoryItem *) conv.history.tail->data)->user);
}

GST_END_TEST;

/* A transcript for an item the conversation never saw committed (it
 * arrives before the user item exists): recorded, no turn is opened. */
GST_START_TEST (test_transcript_before_user_item)
{
  GList *frames;

  feed ("{\"type\":\"conversation.item.input_audio_transcription.completed\","
      "\"item_id\":\"u9\",\"transcript\":\"early words\"}");
  fail_unless (gst_voice_live_conversation_settled (&conv));
  frames = gst_voice_live_conversation_restore_frames (&conv,
      GST_VOICE_LIVE_DIALECT_VOICE_LIVE);
  fail_unless_equals_int (g_list_length (frames), 1);
  fail_unless (strstr (frames->data, "early words") != NULL);
  fail_unless (strstr (frames->data, "input_text") != NULL);
  g_list_free_full (frames, g_free);
  /* An empty transcript is not history. */
  feed ("{\"type\":\"conversation.item.input_audio_transcription.completed\","
      "\"item_id\":\"u10\",\"transcript\":\"\"}");
  fail_unless_equals_int (conv.history.length, 1);
}

GST_END_TEST;

/* Several requests while a response runs: one response.create once it is
 * done, with the latest instructions; then one per response. */
GST_START_TEST (test_responses_queued)
{
  feed (CREATED ("r1"));
  request ("first");
  request ("second");
  request ("third");
  fail_unless_equals_int (sent->len, 0);
  feed (DONE ("r1", "completed"));
  fail_unless_equals_int (sent->len, 1);
  fail_unless (strstr (last_sent (), "\"vl-response-1\"") != NULL);
  fail_unless (strstr (last_sent (), "third") != NULL);
  fail_unless (conv.awaiting_response);
  /* Awaited: another request waits for that one to be created and done. */
  request (NULL);
  fail_unless_equals_int (sent->len, 1);
  feed (CREATED ("r2"));
  feed (DONE ("r2", "completed"));
  fail_unless_equals_int (sent->len, 2);
  fail_unless (strstr (last_sent (), "\"vl-response-2\"") != NULL);
  feed (CREATED ("r3"));
  feed (DONE ("r3", "completed"));
  fail_unless_equals_int (sent->len, 2);
  fail_unless (gst_voice_live_conversation_settled (&conv));
}

GST_END_TEST;

/* A function call holds the gate until its result is given. */
GST_START_TEST (test_function_call_gate)
{
  feed (CREATED ("r1"));
  feed ("{\"type\":\"response.function_call_arguments.done\","
      "\"call_id\":\"c1\",\"name\":\"lookup\",\"arguments\":\"{}\"}");
  feed (DONE ("r1", "completed"));
  request (NULL);
  fail_unless_equals_int (sent->len, 0);
  fail_if (gst_voice_live_conversation_function_result (&conv, "nope"));
  fail_if (gst_voice_live_conversation_function_result (&conv, NULL));
  fail_unless (gst_voice_live_conversation_function_result (&conv, "c1"));
  fail_if (gst_voice_live_conversation_function_result (&conv, "c1"));
  g_ptr_array_add (sent,
      gst_voice_live_conversation_take_response_create (&conv, TRUE));
  fail_unless (strstr (last_sent (), "response.create") != NULL);
}

GST_END_TEST;

/* Errors with a null event_id are not ours and not fatal: the turn state
 * stays; a failed commit ends the wait for its response. */
GST_START_TEST (test_errors_without_event_id)
{
  feed ("{\"type\":\"input_audio_buffer.committed\",\"item_id\":\"u1\"}");
  fail_unless (conv.awaiting_response);
  feed (ERROR ("rate_limited", "null"));
  fail_unless (conv.awaiting_response);
  feed ("{\"type\":\"error\",\"error\":{\"message\":\"odd\"}}");
  fail_unless (conv.awaiting_response);
  feed (ERROR ("input_audio_buffer_commit_empty", "null"));
  fail_if (conv.awaiting_response);
  fail_unless (gst_voice_live_conversation_settled (&conv));

  /* A rejected session.update is answered too. */
  g_free (gst_voice_live_conversation_next_update_id (&conv));
  fail_if (gst_voice_live_conversation_settled (&conv));
  feed (ERROR ("invalid_value", "\"vl-update-1\""));
  fail_unless (gst_voice_live_conversation_settled (&conv));
  /* Never below zero. */
  feed ("{\"type\":\"session.updated\",\"session\":{\"id\":\"s\"}}");
  fail_unless_equals_int (conv.updates_outstanding, 0);
}

GST_END_TEST;

/* A response that ends cancelled or incomplete is over all the same. */
GST_START_TEST (test_done_cancelled_or_incomplete)
{
  feed (CREATED ("r1"));
  fail_unless (feed (DONE ("r1", "cancelled")) &
      GST_VOICE_LIVE_CONV_RESPONSE_FINISHED);
  fail_unless (gst_voice_live_conversation_settled (&conv));
  request (NULL);
  fail_unless_equals_int (sent->len, 1);
  feed (CREATED ("r2"));
  feed (DONE ("r2", "incomplete"));
  fail_unless (gst_voice_live_conversation_settled (&conv));
}

GST_END_TEST;

/* Barge-in cancels r1; the service has already created r2 (server VAD)
 * when r1's cancelled response.done arrives, so a response we asked for
 * meets r2 and the service's "active response" error. */
GST_START_TEST (test_created_races_cancel)
{
  gchar *truncate, *cancel;

  feed (CREATED ("r1"));
  fail_unless (feed ("{\"type\":\"input_audio_buffer.speech_started\"}") &
      GST_VOICE_LIVE_CONV_INTERRUPT);
  gst_voice_live_conversation_interrupt (&conv, "a1", 640, TRUE, &truncate,
      &cancel);
  fail_unless (strstr (cancel, "response.cancel") != NULL);
  fail_unless (strstr (truncate, "\"audio_end_ms\":640") != NULL);
  g_free (truncate);
  g_free (cancel);
  feed ("{\"type\":\"input_audio_buffer.speech_stopped\"}");
  feed (CREATED ("r2"));
  request (NULL);
  fail_unless_equals_int (sent->len, 0);
  feed (DONE ("r1", "cancelled"));
  /* One flag, not a count: r2 runs, but the gate opened. */
  fail_unless_equals_int (sent->len, 1);
  /* Rejected: wanted again, and (no response is known to run) re-sent at
   * once. While r2 runs each retry meets the same error: one round trip
   * per retry, until r2's response.done. */
  feed (ERROR ("conversation_already_has_active_response",
          "\"vl-response-1\""));
  fail_unless (conv.awaiting_response);
  fail_if (conv.response_wanted);
  fail_unless_equals_int (sent->len, 2);
  fail_unless (strstr (last_sent (), "\"vl-response-2\"") != NULL);
  feed (CREATED ("r3"));
  feed (DONE ("r3", "completed"));
  fail_unless (gst_voice_live_conversation_settled (&conv));
}

GST_END_TEST;

/* Barge-in decisions: no cancel without an active response, no truncate
 * with auto-truncate or while disconnected. */
GST_START_TEST (test_interrupt_decisions)
{
  GstVoiceLiveConfig cfg;
  gchar *truncate, *cancel;

  gst_voice_live_conversation_interrupt (&conv, "a1", 10, TRUE, &truncate,
      &cancel);
  fail_unless (truncate != NULL && cancel == NULL);
  g_free (truncate);
  feed (CREATED ("r1"));
  gst_voice_live_conversation_interrupt (&conv, NULL, 0, FALSE, &truncate,
      &cancel);
  fail_unless (truncate == NULL && cancel == NULL);
  gst_voice_live_config_init (&cfg);
  cfg.set |= GST_VOICE_LIVE_FIELD_AUTO_TRUNCATE;
  cfg.auto_truncate = TRUE;
  gst_voice_live_conversation_configure (&conv, &cfg);
  gst_voice_live_config_clear (&cfg);
  gst_voice_live_conversation_interrupt (&conv, "a1", 10, TRUE, &truncate,
      &cancel);
  fail_unless (truncate == NULL && cancel != NULL);
  g_free (cancel);
}

GST_END_TEST;

/* The conversation with turn-detection none (manual turns) */
static void
configure_manual_turns (void)
{
  GstVoiceLiveConfig cfg;

  gst_voice_live_config_init (&cfg);
  cfg.set |= GST_VOICE_LIVE_FIELD_TURN_TYPE;
  cfg.turn_detection = GST_VOICE_LIVE_TURN_DETECTION_NONE;
  gst_voice_live_conversation_configure (&conv, &cfg);
  gst_voice_live_config_clear (&cfg);
}

/* Manual turns: a commit is not followed by a response on its own, and
 * the drain commits the audio sent since the last commit. */
GST_START_TEST (test_manual_turns_drain)
{
  configure_manual_turns ();
  fail_unless (conv.manual_turns);
  fail_if (gst_voice_live_conversation_drain_needs_commit (&conv, TRUE));
  gst_voice_live_conversation_audio_queued (&conv);
  fail_unless (gst_voice_live_conversation_drain_needs_commit (&conv, TRUE));
  fail_if (gst_voice_live_conversation_drain_needs_commit (&conv, FALSE));
  feed ("{\"type\":\"input_audio_buffer.committed\",\"item_id\":\"u1\"}");
  fail_if (conv.awaiting_response);
  fail_if (gst_voice_live_conversation_drain_needs_commit (&conv, TRUE));
}

GST_END_TEST;

/* A lost connection forgets the turn, not the history; a closed session
 * sends nothing. */
GST_START_TEST (test_connection_lost)
{
  feed ("{\"type\":\"response.text.done\",\"text\":\"kept\"}");
  feed (CREATED ("r1"));
  feed ("{\"type\":\"response.function_call_arguments.done\","
      "\"call_id\":\"c1\",\"name\":\"f\"}");
  request (NULL);
  gst_voice_live_conversation_connection_lost (&conv);
  fail_unless (gst_voice_live_conversation_settled (&conv));
  fail_unless_equals_int (g_hash_table_size (conv.pending_calls), 0);
  fail_unless_equals_int (conv.history.length, 1);
  gst_voice_live_conversation_request_response (&conv, NULL);
  fail_unless (gst_voice_live_conversation_take_response_create (&conv,
          FALSE) == NULL);
  gst_voice_live_conversation_reset (&conv);
  fail_unless_equals_int (conv.history.length, 0);
  fail_unless (gst_voice_live_conversation_settled (&conv));
}

GST_END_TEST;

/* A response.create with options for the gate (@instructions and
 * @metadata JSON, either may be NULL). */
static void
queue (const gchar * instructions, const gchar * metadata, gboolean mute)
{
  JsonObject *response = json_object_new ();
  gchar *frame;

  if (instructions)
    json_object_set_string_member (response, "instructions", instructions);
  if (metadata)
    json_object_set_member (response, "metadata", json_from_string (metadata,
            NULL));
  gst_voice_live_conversation_queue_response (&conv, response, mute);
  frame = gst_voice_live_conversation_take_response_create (&conv, TRUE);
  if (frame)
    g_ptr_array_add (sent, frame);
}

/* The last frame sent is a response.create @event_id whose "response" is
 * @response (JSON). */
static void
assert_last_create (const gchar * event_id, const gchar * response)
{
  gchar *want = g_strdup_printf ("{\"type\":\"response.create\","
      "\"event_id\":\"%s\",\"response\":%s}", event_id, response);

  fail_unless (vl_json_text_equal (last_sent (), want), "got %s, want %s",
      last_sent (), want);
  g_free (want);
}

/* Requests with options queue behind the active response and go out one
 * by one in the order asked, plain requests (merged) in their place. */
GST_START_TEST (test_option_requests_in_order)
{
  feed (CREATED ("r1"));
  queue ("a", NULL, FALSE);
  request ("plain 1");
  queue ("b", "{\"k\":\"v\"}", TRUE);
  request ("plain 2");
  queue ("b", "{\"k\":\"v\"}", TRUE);
  fail_unless_equals_int (sent->len, 0);
  fail_if (gst_voice_live_conversation_settled (&conv));

  feed (DONE ("r1", "completed"));
  fail_unless_equals_int (sent->len, 1);
  assert_last_create ("vl-response-1", "{\"instructions\":\"a\"}");
  feed (CREATED ("ra"));
  /* neither metadata nor muted: not kept */
  fail_unless (gst_voice_live_conversation_response_metadata (&conv,
          "ra") == NULL);
  fail_if (gst_voice_live_conversation_response_muted (&conv, "ra"));
  feed (DONE ("ra", "completed"));
  /* the plain requests were one, asked before b: the last instructions */
  fail_unless_equals_int (sent->len, 2);
  assert_last_create ("vl-response-2", "{\"instructions\":\"plain 2\"}");
  feed (CREATED ("rp"));
  feed (DONE ("rp", "completed"));
  /* the two equal requests with options stay two */
  assert_last_create ("vl-response-3",
      "{\"instructions\":\"b\",\"metadata\":{\"k\":\"v\"}}");
  feed (CREATED ("rb1"));
  fail_unless_equals_string (gst_voice_live_conversation_response_metadata
      (&conv, "rb1"), "{\"k\":\"v\"}");
  fail_unless (gst_voice_live_conversation_response_muted (&conv, "rb1"));
  feed (DONE ("rb1", "completed"));
  fail_unless_equals_int (sent->len, 4);
  assert_last_create ("vl-response-4",
      "{\"instructions\":\"b\",\"metadata\":{\"k\":\"v\"}}");
  feed (CREATED ("rb2"));
  feed (DONE ("rb2", "completed"));
  fail_unless_equals_int (sent->len, 4);
  fail_unless (gst_voice_live_conversation_settled (&conv));
  /* a response nobody asked with options has neither */
  fail_if (gst_voice_live_conversation_response_muted (&conv, "r1"));
  fail_if (gst_voice_live_conversation_response_muted (&conv, NULL));
}

GST_END_TEST;

/* A request with options that meets someone else's response is sent again
 * after it, before the plain request asked meanwhile; a function call
 * holds it like any request. */
GST_START_TEST (test_option_request_retried_first)
{
  queue ("a", "{\"n\":\"1\"}", FALSE);
  fail_unless_equals_int (sent->len, 1);
  request (NULL);
  fail_unless_equals_int (sent->len, 1);
  feed (ERROR ("conversation_already_has_active_response",
          "\"vl-response-1\""));
  fail_unless_equals_int (sent->len, 2);
  assert_last_create ("vl-response-2",
      "{\"instructions\":\"a\",\"metadata\":{\"n\":\"1\"}}");
  feed (CREATED ("ra"));
  fail_unless_equals_string (gst_voice_live_conversation_response_metadata
      (&conv, "ra"), "{\"n\":\"1\"}");
  feed ("{\"type\":\"response.function_call_arguments.done\","
      "\"call_id\":\"c1\",\"name\":\"lookup\",\"arguments\":\"{}\"}");
  queue ("after the call", NULL, FALSE);
  feed (DONE ("ra", "completed"));
  fail_unless_equals_int (sent->len, 2);
  fail_unless (gst_voice_live_conversation_function_result (&conv, "c1"));
  g_ptr_array_add (sent,
      gst_voice_live_conversation_take_response_create (&conv, TRUE));
  /* the plain request (asked before) comes first */
  fail_unless (vl_json_text_equal (last_sent (), "{\"type\":"
          "\"response.create\",\"event_id\":\"vl-response-3\"}"));
  feed (CREATED ("rp"));
  feed (DONE ("rp", "completed"));
  assert_last_create ("vl-response-4", "{\"instructions\":\"after the call\"}");
}

GST_END_TEST;

/* A new service session does not get the old one's queued requests,
 * response metadata or approval requests. */
GST_START_TEST (test_option_requests_dropped_on_connection_lost)
{
  const gchar *approval = "{\"type\":\"response.output_item.added\","
      "\"response_id\":\"r1\",\"output_index\":0,\"item\":{\"id\":\"apr_1\","
      "\"type\":\"mcp_approval_request\",\"server_label\":\"docs\","
      "\"name\":\"search_docs\",\"arguments\":\"{}\"}}";

  feed (CREATED ("r1"));
  queue ("a", NULL, TRUE);
  fail_if (feed (approval) & GST_VOICE_LIVE_CONV_SEEN_BEFORE);
  gst_voice_live_conversation_connection_lost (&conv);
  fail_unless (gst_voice_live_conversation_settled (&conv));
  fail_unless (gst_voice_live_conversation_take_response_create (&conv,
          TRUE) == NULL);
  fail_if (gst_voice_live_conversation_answer_approval (&conv, "apr_1"));
}

GST_END_TEST;

/* MCP approval requests: each id once (the same item comes in several
 * item events), answered once. */
GST_START_TEST (test_mcp_approvals)
{
  const gchar *events[] = { "response.output_item.added",
    "conversation.item.created", "response.output_item.done"
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (events); i++) {
    gchar *json = g_strdup_printf ("{\"type\":\"%s\",\"item\":{\"id\":"
        "\"apr_1\",\"type\":\"mcp_approval_request\",\"server_label\":"
        "\"docs\",\"name\":\"search_docs\",\"arguments\":\"{}\","
        "\"previous_item_id\":null}}", events[i]);
    guint actions = feed (json);

    fail_unless_equals_int (!!(actions & GST_VOICE_LIVE_CONV_SEEN_BEFORE),
        i > 0);
    g_free (json);
  }
  /* another item in an item event is not a request */
  feed ("{\"type\":\"conversation.item.created\",\"item\":{\"id\":\"m1\","
      "\"type\":\"message\",\"role\":\"assistant\",\"content\":[]}}");
  fail_if (gst_voice_live_conversation_answer_approval (&conv, "m1"));
  fail_if (gst_voice_live_conversation_answer_approval (&conv, NULL));
  fail_if (gst_voice_live_conversation_answer_approval (&conv, "apr_2"));
  fail_unless (gst_voice_live_conversation_answer_approval (&conv, "apr_1"));
  fail_if (gst_voice_live_conversation_answer_approval (&conv, "apr_1"));
}

GST_END_TEST;

/* A planned connection switch (renewal) waits for the end of the turn:
 * not while the user speaks, the answer is awaited or runs, a function
 * call waits for its result or a response for the gate, nor while a
 * session.update is unanswered. */
GST_START_TEST (test_can_switch_between_turns)
{
  gchar *id;

  fail_unless (gst_voice_live_conversation_can_switch (&conv));
  /* server VAD: appended silence does not hold the switch */
  gst_voice_live_conversation_audio_queued (&conv);
  fail_unless (gst_voice_live_conversation_can_switch (&conv));
  feed ("{\"type\":\"input_audio_buffer.speech_started\"}");
  fail_if (gst_voice_live_conversation_can_switch (&conv));
  feed ("{\"type\":\"input_audio_buffer.speech_stopped\"}");
  /* the service's VAD commits the turn next */
  fail_if (gst_voice_live_conversation_can_switch (&conv));
  feed ("{\"type\":\"input_audio_buffer.committed\",\"item_id\":\"u1\"}");
  fail_if (gst_voice_live_conversation_can_switch (&conv));
  feed (CREATED ("r1"));
  fail_if (gst_voice_live_conversation_can_switch (&conv));
  feed ("{\"type\":\"response.function_call_arguments.done\","
      "\"call_id\":\"c1\",\"name\":\"lookup\",\"arguments\":\"{}\"}");
  feed (DONE ("r1", "completed"));
  /* the call's result and the answer to it go on this connection */
  fail_if (gst_voice_live_conversation_can_switch (&conv));
  fail_unless (gst_voice_live_conversation_function_result (&conv, "c1"));
  fail_if (gst_voice_live_conversation_can_switch (&conv));
  g_ptr_array_add (sent,
      gst_voice_live_conversation_take_response_create (&conv, TRUE));
  fail_if (gst_voice_live_conversation_can_switch (&conv));
  feed (CREATED ("r2"));
  feed (DONE ("r2", "completed"));
  fail_unless (gst_voice_live_conversation_can_switch (&conv));

  id = gst_voice_live_conversation_next_update_id (&conv);
  fail_if (gst_voice_live_conversation_can_switch (&conv));
  g_free (id);
  feed ("{\"type\":\"session.updated\",\"session\":{}}");
  fail_unless (gst_voice_live_conversation_can_switch (&conv));
}

GST_END_TEST;

/* Manual turns: input audio not committed yet would not reach the new
 * connection, so the switch waits for the commit. */
GST_START_TEST (test_can_switch_manual_turns)
{
  configure_manual_turns ();
  fail_unless (gst_voice_live_conversation_can_switch (&conv));
  gst_voice_live_conversation_audio_queued (&conv);
  fail_if (gst_voice_live_conversation_can_switch (&conv));
  feed ("{\"type\":\"input_audio_buffer.committed\",\"item_id\":\"u1\"}");
  fail_unless (gst_voice_live_conversation_can_switch (&conv));
}

GST_END_TEST;

/* A restore replays the newest items that fit the budget, oldest first. */
GST_START_TEST (test_restore_budget)
{
  gchar *big = g_strnfill (GST_VOICE_LIVE_RESTORE_BUDGET / 2 + 1, 'a');
  gchar *json;
  GList *frames;

  json = g_strdup_printf ("{\"type\":\"response.text.done\",\"text\":"
      "\"%s\"}", big);
  feed ("{\"type\":\"response.text.done\",\"text\":\"oldest\"}");
  feed (json);
  feed (json);
  feed ("{\"type\":\"response.text.done\",\"text\":\"newest\"}");
  frames = gst_voice_live_conversation_restore_frames (&conv,
      GST_VOICE_LIVE_DIALECT_VOICE_LIVE);
  /* the second big one and "newest": the first big one would exceed it */
  fail_unless_equals_int (g_list_length (frames), 2);
  fail_unless (strstr (frames->data, big) != NULL);
  fail_unless (strstr (frames->next->data, "newest") != NULL);
  g_list_free_full (frames, g_free);
  g_free (json);
  g_free (big);
}

GST_END_TEST;

/* The session's expiry, from session.created or session.updated; absent
 * and null read as -1. */
GST_START_TEST (test_expires_at_parsed)
{
  const gchar *cases[][2] = {
    {"{\"type\":\"session.created\",\"session\":{\"id\":\"s\","
          "\"expires_at\":1784102400}}", "1784102400"},
    {"{\"type\":\"session.updated\",\"session\":{\"expires_at\":"
          "1784102401}}", "1784102401"},
    {"{\"type\":\"session.created\",\"session\":{\"expires_at\":null}}",
        "-1"},
    {"{\"type\":\"session.created\",\"session\":{}}", "-1"},
    {"{\"type\":\"session.created\"}", "-1"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GstVoiceLiveEvent ev;

    fail_unless (gst_voice_live_event_parse (&ev, parser, cases[i][0], -1,
            NULL));
    fail_unless_equals_int64 (ev.expires_at,
        g_ascii_strtoll (cases[i][1], NULL, 10));
    gst_voice_live_event_clear (&ev);
  }
}

GST_END_TEST;

static Suite *
conversation_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("conversation", 0, &tc);

  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_transcript_after_response_started);
  tcase_add_test (tc, test_transcript_before_user_item);
  tcase_add_test (tc, test_responses_queued);
  tcase_add_test (tc, test_function_call_gate);
  tcase_add_test (tc, test_errors_without_event_id);
  tcase_add_test (tc, test_done_cancelled_or_incomplete);
  tcase_add_test (tc, test_created_races_cancel);
  tcase_add_test (tc, test_interrupt_decisions);
  tcase_add_test (tc, test_manual_turns_drain);
  tcase_add_test (tc, test_connection_lost);
  tcase_add_test (tc, test_option_requests_in_order);
  tcase_add_test (tc, test_option_request_retried_first);
  tcase_add_test (tc, test_option_requests_dropped_on_connection_lost);
  tcase_add_test (tc, test_mcp_approvals);
  tcase_add_test (tc, test_can_switch_between_turns);
  tcase_add_test (tc, test_can_switch_manual_turns);
  tcase_add_test (tc, test_restore_budget);
  tcase_add_test (tc, test_expires_at_parsed);
  return s;
}

GST_CHECK_MAIN (conversation);
