/* gst-voicelive: the event -> message table (gstvoiceliveevents.c) against
 * docs/messages.md, one synthetic event of every kind, and real frames of
 * the 2026-07-15 events; no network.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include "vltest.h"
#include "gstvoiceliveevents.h"

static void
fill_event (GstVoiceLiveEvent * ev, GstVoiceLiveEventKind kind)
{
  memset (ev, 0, sizeof (*ev));
  ev->kind = kind;
  ev->type = "some.event";
  ev->event_id = "event_1";
  ev->item_id = "item_1";
  ev->response_id = "resp_1";
  ev->call_id = "call_1";
  ev->name = "lookup";
  ev->text = "hello";
  ev->session_id = "sess_1";
  ev->status = "completed";
  ev->reason = "turn_detected";
  ev->audio_start_ms = 120;
  ev->audio_end_ms = 980;
  ev->input_tokens = 10;
  ev->output_tokens = 20;
  ev->total_tokens = 30;
  ev->server_label = "docs";
  ev->agent_response_id = "agresp_1";
  ev->output_index = 0;
  ev->expires_at = 1790000000;
  ev->tokens_remaining = 99000;
  ev->requests_remaining = -1;
  ev->error_code = "some_code";
  ev->error_message = "some message";
}

/* Every kind posts a documented message with exactly the documented
 * fields and types (the session adds session-name when it posts). */
GST_START_TEST (test_every_kind_matches_docs)
{
  GstVoiceLiveEventKind kind;
  guint n_named = 0;

  for (kind = GST_VOICE_LIVE_EVENT_OTHER; kind < GST_VOICE_LIVE_EVENT_N_KINDS;
      kind++) {
    GstVoiceLiveEvent ev;
    GstStructure *s;

    fill_event (&ev, kind);
    s = gst_voice_live_event_to_message (&ev, "{}");
    if (kind == GST_VOICE_LIVE_EVENT_AUDIO_DELTA
        || kind == GST_VOICE_LIVE_EVENT_ERROR) {
      /* audio goes to the src; an error without a benign code is a warning */
      fail_unless (s == NULL, "kind %d posted %" GST_PTR_FORMAT, kind, s);
      continue;
    }
    fail_unless (s != NULL, "kind %d posts nothing", kind);
    gst_structure_set (s, "session-name", G_TYPE_STRING, "s", NULL);
    vl_docs_check_message (s);
    if (!gst_structure_has_name (s, "voicelive/server-event"))
      n_named++;
    fail_unless_equals_string (gst_structure_get_string (s, "event-type"),
        "some.event");
    gst_structure_free (s);
  }
  /* every kind but OTHER, AUDIO_DELTA, AUDIO_DONE, ERROR and
   * AUDIO_TIMESTAMP (word timing for voicelivetextsrc; on the bus as
   * voicelive/server-event) has a name */
  fail_unless_equals_int (n_named, GST_VOICE_LIVE_EVENT_N_KINDS - 5);
}

GST_END_TEST;

/* Missing text fields are "" (a NULL string would break bindings that
 * read them), ids stay NULL; final follows the kind. */
GST_START_TEST (test_missing_fields)
{
  GstVoiceLiveEvent ev;
  GstStructure *s;
  gboolean final = FALSE;

  memset (&ev, 0, sizeof (ev));
  ev.kind = GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DONE;
  ev.type = "conversation.item.input_audio_transcription.completed";
  s = gst_voice_live_event_to_message (&ev, "{}");
  fail_unless_equals_string (gst_structure_get_string (s, "transcript"), "");
  fail_unless (gst_structure_get_string (s, "item-id") == NULL);
  fail_unless (gst_structure_get_boolean (s, "final", &final) && final);
  gst_structure_free (s);

  ev.kind = GST_VOICE_LIVE_EVENT_RESPONSE_DONE;
  s = gst_voice_live_event_to_message (&ev, "{}");
  fail_unless_equals_string (gst_structure_get_string (s, "status"), "");
  fail_unless_equals_string (gst_structure_get_string (s, "reason"), "");
  gst_structure_free (s);
}

GST_END_TEST;

/* Benign races are server events; other errors are warnings whose text
 * names the property at fault. */
GST_START_TEST (test_errors)
{
  GstVoiceLiveEvent ev;
  GstStructure *s;
  gchar *text = NULL, *debug = NULL;

  memset (&ev, 0, sizeof (ev));
  ev.kind = GST_VOICE_LIVE_EVENT_ERROR;
  ev.type = "error";
  ev.error_code = "response_cancel_not_active";
  fail_if (gst_voice_live_event_is_warning (&ev));
  s = gst_voice_live_event_to_message (&ev, "{\"type\":\"error\"}");
  fail_unless (gst_structure_has_name (s, "voicelive/server-event"));
  gst_structure_free (s);

  ev.error_code = "invalid_value";
  ev.error_message = "bad voice";
  ev.error_param = "session.voice.name";
  fail_unless (gst_voice_live_event_is_warning (&ev));
  s = gst_voice_live_event_to_warning (&ev, "{}", "agent", &text, &debug);
  fail_unless (gst_structure_has_name (s, "voicelive/error"));
  fail_unless_equals_string (gst_structure_get_string (s, "code"),
      "invalid_value");
  fail_unless_equals_string (gst_structure_get_string (s, "event-id"), "");
  fail_unless_equals_string (gst_structure_get_string (s, "session-name"),
      "agent");
  fail_unless (strstr (text, "bad voice [invalid_value]") != NULL, "%s", text);
  fail_unless (strstr (debug, "session.voice.name") != NULL, "%s", debug);
  if (gst_structure_has_field (s, "property"))
    fail_unless (strstr (text, "about property '") != NULL, "%s", text);
  gst_structure_free (s);
  g_free (text);
  g_free (debug);
}

GST_END_TEST;

/* Real frames of the 2026-07-15 events, with the nulls the service
 * sends: each becomes its message with these field values ("(null)": an
 * absent id). Numbers and booleans are compared as printed. */
static const struct
{
  const gchar *json;
  const gchar *message;
  const gchar *fields[12];      /* field, value, ..., NULL */
} frames[] = {
  {"{\"type\":\"mcp_list_tools.in_progress\",\"event_id\":\"e1\","
        "\"item_id\":\"it_1\"}", "voicelive/mcp-list-tools",
      {"item-id", "it_1", "state", "in-progress"}},
  {"{\"type\":\"mcp_list_tools.failed\",\"event_id\":\"e2\","
        "\"item_id\":\"it_1\"}", "voicelive/mcp-list-tools",
      {"item-id", "it_1", "state", "failed"}},
  {"{\"type\":\"response.mcp_call_arguments.delta\",\"event_id\":\"e3\","
        "\"response_id\":\"r1\",\"item_id\":\"it_2\",\"output_index\":1,"
        "\"delta\":\"{\\\"q\\\":\",\"obfuscation\":null}",
        "voicelive/mcp-call-arguments",
        {"response-id", "r1", "item-id", "it_2", "output-index", "1",
          "arguments", "{\"q\":", "final", "false"}},
  {"{\"type\":\"response.mcp_call_arguments.done\",\"event_id\":\"e4\","
        "\"response_id\":\"r1\",\"item_id\":\"it_2\",\"output_index\":1,"
        "\"arguments\":\"{\\\"q\\\":\\\"x\\\"}\"}",
        "voicelive/mcp-call-arguments",
      {"arguments", "{\"q\":\"x\"}", "final", "true"}},
  {"{\"type\":\"response.mcp_call.completed\",\"event_id\":\"e5\","
        "\"item_id\":\"it_2\",\"output_index\":1}", "voicelive/mcp-call",
      {"item-id", "it_2", "output-index", "1", "state", "completed"}},
  {"{\"type\":\"response.mcp_call.failed\",\"event_id\":\"e6\","
        "\"item_id\":\"it_2\",\"output_index\":null}", "voicelive/mcp-call",
      {"state", "failed", "output-index", "-1"}},
  {"{\"type\":\"response.output_item.added\",\"event_id\":\"e7\","
        "\"response_id\":\"r1\",\"output_index\":0,\"item\":{\"id\":"
        "\"apr_1\",\"type\":\"mcp_approval_request\",\"server_label\":"
        "\"docs\",\"name\":\"search_docs\",\"arguments\":\"{}\"}}",
        "voicelive/mcp-approval-request",
        {"id", "apr_1", "server-label", "docs", "name", "search_docs",
          "arguments", "{}"}},
  {"{\"type\":\"conversation.item.created\",\"event_id\":\"e8\","
        "\"previous_item_id\":null,\"item\":{\"id\":\"apr_1\",\"type\":"
        "\"mcp_approval_request\",\"server_label\":\"docs\",\"name\":"
        "\"search_docs\",\"arguments\":null}}",
      "voicelive/mcp-approval-request", {"id", "apr_1", "arguments", ""}},
  /* an item event of another item stays a server event */
  {"{\"type\":\"conversation.item.created\",\"event_id\":\"e9\","
        "\"previous_item_id\":null,\"item\":{\"id\":\"m1\",\"type\":"
        "\"message\",\"role\":\"assistant\",\"content\":[]}}",
      "voicelive/server-event", {NULL}},
  {"{\"type\":\"response.foundry_agent_call_arguments.delta\","
        "\"event_id\":\"e10\",\"response_id\":\"r2\",\"item_id\":\"it_3\","
        "\"output_index\":0,\"delta\":\"{}\"}",
        "voicelive/foundry-agent-call-arguments",
      {"response-id", "r2", "arguments", "{}", "final", "false"}},
  {"{\"type\":\"response.foundry_agent_call.in_progress\","
        "\"event_id\":\"e11\",\"item_id\":\"it_3\",\"output_index\":0,"
        "\"agent_response_id\":null}", "voicelive/foundry-agent-call",
      {"state", "in-progress", "agent-response-id", ""}},
  {"{\"type\":\"response.foundry_agent_call.completed\","
        "\"event_id\":\"e12\",\"item_id\":\"it_3\",\"output_index\":0,"
        "\"agent_response_id\":\"agresp_1\"}", "voicelive/foundry-agent-call",
        {"item-id", "it_3", "state", "completed", "agent-response-id",
          "agresp_1"}},
  {"{\"type\":\"warning\",\"event_id\":\"e13\",\"warning\":{\"message\":"
        "\"Heads up\",\"code\":null,\"param\":null}}",
        "voicelive/service-warning",
      {"message", "Heads up", "code", "", "param", ""}},
  {"{\"type\":\"conversation.item.input_audio_transcription.failed\","
        "\"event_id\":\"e14\",\"item_id\":\"u1\",\"content_index\":0,"
        "\"error\":{\"type\":\"transcription_error\",\"code\":"
        "\"audio_unintelligible\",\"message\":\"m\",\"param\":null}}",
        "voicelive/input-transcript-failed",
        {"item-id", "u1", "type", "transcription_error", "code",
          "audio_unintelligible", "message", "m", "param", ""}},
  {"{\"type\":\"rate_limits.updated\",\"event_id\":\"e15\",\"rate_limits\":"
        "[{\"name\":\"requests\",\"limit\":1000,\"remaining\":999,"
        "\"reset_seconds\":1.5},{\"name\":\"tokens\",\"limit\":50000,"
        "\"remaining\":49000,\"reset_seconds\":null}]}",
        "voicelive/rate-limits",
      {"tokens-remaining", "49000", "requests-remaining", "999"}},
  {"{\"type\":\"rate_limits.updated\",\"event_id\":\"e16\",\"rate_limits\":"
        "[{\"name\":\"tokens\",\"limit\":null,\"remaining\":null}]}",
        "voicelive/rate-limits",
      {"tokens-remaining", "-1", "requests-remaining", "-1"}},
  {"{\"type\":\"response.invocation.delta\",\"event_id\":\"e17\","
        "\"response_id\":\"r3\",\"item_id\":\"it_4\",\"delta\":{\"kind\":"
        "\"x\"}}", "voicelive/invocation-delta",
      {"response-id", "r3", "item-id", "it_4", "delta", "{\"kind\":\"x\"}"}},
  {"{\"type\":\"response.invocation.delta\",\"event_id\":\"e18\","
        "\"response_id\":\"r3\",\"item_id\":null,\"delta\":null}",
      "voicelive/invocation-delta", {"item-id", "(null)", "delta", ""}},
  {"{\"type\":\"session.updated\",\"event_id\":\"e19\",\"session\":{\"id\":"
        "\"sess_1\",\"expires_at\":1790000000}}", "voicelive/session-updated",
      {"session-id", "sess_1", "expires-at", "1790000000"}},
  {"{\"type\":\"session.created\",\"event_id\":\"e20\",\"session\":{\"id\":"
        "\"sess_1\",\"expires_at\":null}}", "voicelive/session-created",
      {"expires-at", "-1"}},
  {"{\"type\":\"response.done\",\"event_id\":\"e21\",\"response\":{\"id\":"
        "\"r4\",\"status\":\"completed\",\"status_details\":null,"
        "\"usage\":null,\"conversation\":\"none\",\"metadata\":{\"turn\":"
        "\"greeting\"}}}", "voicelive/response-done",
        {"response-id", "r4", "metadata", "{\"turn\":\"greeting\"}", "reason",
          "", "total-tokens", "-1"}},
  {"{\"type\":\"response.created\",\"event_id\":\"e22\",\"response\":{\"id\":"
        "\"r5\",\"metadata\":null}}", "voicelive/response-started",
      {"response-id", "r5", "metadata", ""}},
  {"{\"type\":\"response.something_new\",\"event_id\":\"e23\"}",
      "voicelive/server-event", {NULL}},
};

/* A field's value as printed, or "(null)" for an absent string. */
static gchar *
field_text (const GstStructure * s, const gchar * field)
{
  const GValue *v = gst_structure_get_value (s, field);

  fail_unless (v != NULL, "%s has no %s", gst_structure_get_name (s), field);
  if (G_VALUE_HOLDS_STRING (v))
    return g_strdup (g_value_get_string (v) ? g_value_get_string (v) :
        "(null)");
  if (G_VALUE_HOLDS_INT64 (v))
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (v));
  if (G_VALUE_HOLDS_BOOLEAN (v))
    return g_strdup (g_value_get_boolean (v) ? "true" : "false");
  fail ("%s: %s has an unexpected type", gst_structure_get_name (s), field);
  return NULL;
}

GST_START_TEST (test_2026_frames)
{
  JsonParser *parser = json_parser_new_immutable ();
  guint i, k;

  for (i = 0; i < G_N_ELEMENTS (frames); i++) {
    GstVoiceLiveEvent ev;
    GstStructure *s;
    GError *err = NULL;

    fail_unless (gst_voice_live_event_parse (&ev, parser, frames[i].json, -1,
            &err), "%s: %s", frames[i].json, err ? err->message : "");
    s = gst_voice_live_event_to_message (&ev, frames[i].json);
    fail_unless (s != NULL, "%s posts nothing", frames[i].json);
    fail_unless (gst_structure_has_name (s, frames[i].message),
        "%s: %" GST_PTR_FORMAT, frames[i].json, s);
    for (k = 0; frames[i].fields[k]; k += 2) {
      gchar *got = field_text (s, frames[i].fields[k]);

      fail_unless (g_strcmp0 (got, frames[i].fields[k + 1]) == 0,
          "%s: %s is %s, want %s", frames[i].json, frames[i].fields[k], got,
          frames[i].fields[k + 1]);
      g_free (got);
    }
    fail_unless (vl_json_text_equal (gst_structure_get_string (s, "json"),
            frames[i].json));
    gst_structure_set (s, "session-name", G_TYPE_STRING, "s", NULL);
    vl_docs_check_message (s);
    gst_structure_free (s);
    gst_voice_live_event_clear (&ev);
  }
  g_object_unref (parser);
}

GST_END_TEST;

static Suite *
events_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("events", 0, &tc);

  tcase_add_test (tc, test_every_kind_matches_docs);
  tcase_add_test (tc, test_missing_fields);
  tcase_add_test (tc, test_errors);
  tcase_add_test (tc, test_2026_frames);
  return s;
}

GST_CHECK_MAIN (events);
