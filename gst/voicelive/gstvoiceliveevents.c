/* gst-voicelive
 * Server events -> bus messages, through one table (docs/messages.md lists
 * the same names, fields and types; tests/check/events.c checks them).
 * Pure: the network thread calls it and posts what it returns.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstvoiceliveevents.h"

/* Where a field's value comes from. Strings: *_OR_EMPTY are "" when the
 * event lacks them, the ids may be NULL. Integers are -1 when unknown. */
typedef enum
{
  SRC_NONE = 0,
  SRC_SESSION_ID,
  SRC_ITEM_ID,
  SRC_RESPONSE_ID,
  SRC_CALL_ID,
  SRC_NAME,
  SRC_SERVER_LABEL,
  SRC_TEXT_OR_EMPTY,
  SRC_STATUS_OR_EMPTY,
  SRC_REASON_OR_EMPTY,
  SRC_METADATA_OR_EMPTY,
  SRC_DETAIL_OR_EMPTY,
  SRC_AGENT_RESPONSE_ID_OR_EMPTY,
  SRC_ERROR_TYPE_OR_EMPTY,
  SRC_ERROR_CODE_OR_EMPTY,
  SRC_ERROR_MESSAGE_OR_EMPTY,
  SRC_ERROR_PARAM_OR_EMPTY,
  SRC_STATE,                    /* the row's state */
  /* integers from here */
  SRC_AUDIO_START_MS,
  SRC_AUDIO_END_MS,
  SRC_INPUT_TOKENS,
  SRC_OUTPUT_TOKENS,
  SRC_TOTAL_TOKENS,
  SRC_OUTPUT_INDEX,
  SRC_EXPIRES_AT,
  SRC_TOKENS_REMAINING,
  SRC_REQUESTS_REMAINING,
  SRC_FINAL,                    /* the row's final */
} FieldSource;

typedef struct
{
  const gchar *name;
  FieldSource src;
} Field;

#define MAX_FIELDS 7

typedef struct
{
  GstVoiceLiveEventKind kind;
  const gchar *message;
  gboolean final;
  const gchar *state;           /* several events, one message: which */
  Field fields[MAX_FIELDS];
} EventMessage;

#define TOOL_ARGS_FIELDS {{"response-id", SRC_RESPONSE_ID}, \
    {"item-id", SRC_ITEM_ID}, {"output-index", SRC_OUTPUT_INDEX}, \
    {"arguments", SRC_TEXT_OR_EMPTY}, {"final", SRC_FINAL}}
#define MCP_CALL_FIELDS {{"item-id", SRC_ITEM_ID}, \
    {"output-index", SRC_OUTPUT_INDEX}, {"state", SRC_STATE}}
#define FOUNDRY_CALL_FIELDS {{"item-id", SRC_ITEM_ID}, \
    {"output-index", SRC_OUTPUT_INDEX}, {"state", SRC_STATE}, \
    {"agent-response-id", SRC_AGENT_RESPONSE_ID_OR_EMPTY}}
#define RESPONSE_TEXT_FIELDS {{"response-id", SRC_RESPONSE_ID}, \
    {"item-id", SRC_ITEM_ID}, {"text", SRC_TEXT_OR_EMPTY}, \
    {"final", SRC_FINAL}, {"metadata", SRC_METADATA_OR_EMPTY}}

/* Every message also carries event-type and json (and session-name, added
 * when posted). Kinds not listed become voicelive/server-event. */
static const EventMessage event_messages[] = {
  {GST_VOICE_LIVE_EVENT_SESSION_CREATED, "voicelive/session-created", FALSE,
      NULL, {{"session-id", SRC_SESSION_ID}, {"expires-at", SRC_EXPIRES_AT}}},
  {GST_VOICE_LIVE_EVENT_SESSION_UPDATED, "voicelive/session-updated", FALSE,
      NULL, {{"session-id", SRC_SESSION_ID}, {"expires-at", SRC_EXPIRES_AT}}},
  {GST_VOICE_LIVE_EVENT_SPEECH_STARTED, "voicelive/speech-started", FALSE,
      NULL, {{"item-id", SRC_ITEM_ID}, {"audio-start-ms", SRC_AUDIO_START_MS}}},
  {GST_VOICE_LIVE_EVENT_SPEECH_STOPPED, "voicelive/speech-stopped", FALSE,
      NULL, {{"item-id", SRC_ITEM_ID}, {"audio-end-ms", SRC_AUDIO_END_MS}}},
  {GST_VOICE_LIVE_EVENT_INPUT_COMMITTED, "voicelive/input-committed", FALSE,
      NULL, {{"item-id", SRC_ITEM_ID}}},
  /* GA only: input_audio_buffer.timeout_triggered (idle-timeout-ms) */
  {GST_VOICE_LIVE_EVENT_INPUT_TIMEOUT, "voicelive/input-timeout", FALSE, NULL,
        {{"item-id", SRC_ITEM_ID}, {"audio-start-ms", SRC_AUDIO_START_MS},
          {"audio-end-ms", SRC_AUDIO_END_MS}}},
  {GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DELTA, "voicelive/input-transcript",
        FALSE, NULL, {{"item-id", SRC_ITEM_ID},
          {"transcript", SRC_TEXT_OR_EMPTY}, {"final", SRC_FINAL}}},
  {GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DONE, "voicelive/input-transcript",
        TRUE, NULL, {{"item-id", SRC_ITEM_ID},
          {"transcript", SRC_TEXT_OR_EMPTY}, {"final", SRC_FINAL}}},
  {GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_FAILED,
        "voicelive/input-transcript-failed", FALSE, NULL,
        {{"item-id", SRC_ITEM_ID}, {"code", SRC_ERROR_CODE_OR_EMPTY},
            {"type", SRC_ERROR_TYPE_OR_EMPTY},
            {"message", SRC_ERROR_MESSAGE_OR_EMPTY},
          {"param", SRC_ERROR_PARAM_OR_EMPTY}}},
  {GST_VOICE_LIVE_EVENT_RESPONSE_CREATED, "voicelive/response-started", FALSE,
        NULL, {{"response-id", SRC_RESPONSE_ID},
          {"metadata", SRC_METADATA_OR_EMPTY}}},
  {GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DELTA,
      "voicelive/response-transcript", FALSE, NULL, RESPONSE_TEXT_FIELDS},
  {GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DONE,
      "voicelive/response-transcript", TRUE, NULL, RESPONSE_TEXT_FIELDS},
  {GST_VOICE_LIVE_EVENT_TEXT_DELTA, "voicelive/response-text", FALSE, NULL,
      RESPONSE_TEXT_FIELDS},
  {GST_VOICE_LIVE_EVENT_TEXT_DONE, "voicelive/response-text", TRUE, NULL,
      RESPONSE_TEXT_FIELDS},
  {GST_VOICE_LIVE_EVENT_FUNCTION_CALL_DONE, "voicelive/function-call", FALSE,
        NULL, {{"name", SRC_NAME}, {"call-id", SRC_CALL_ID},
            {"arguments", SRC_TEXT_OR_EMPTY}, {"item-id", SRC_ITEM_ID},
          {"response-id", SRC_RESPONSE_ID}}},
  {GST_VOICE_LIVE_EVENT_RESPONSE_DONE, "voicelive/response-done", FALSE, NULL,
        {{"response-id", SRC_RESPONSE_ID}, {"status", SRC_STATUS_OR_EMPTY},
            {"reason", SRC_REASON_OR_EMPTY},
            {"input-tokens", SRC_INPUT_TOKENS},
            {"output-tokens", SRC_OUTPUT_TOKENS},
            {"total-tokens", SRC_TOTAL_TOKENS},
          {"metadata", SRC_METADATA_OR_EMPTY}}},
  /* MCP servers (server-side tools) */
  {GST_VOICE_LIVE_EVENT_MCP_LIST_TOOLS_IN_PROGRESS, "voicelive/mcp-list-tools",
      FALSE, "in-progress", {{"item-id", SRC_ITEM_ID}, {"state", SRC_STATE}}},
  {GST_VOICE_LIVE_EVENT_MCP_LIST_TOOLS_COMPLETED, "voicelive/mcp-list-tools",
      FALSE, "completed", {{"item-id", SRC_ITEM_ID}, {"state", SRC_STATE}}},
  {GST_VOICE_LIVE_EVENT_MCP_LIST_TOOLS_FAILED, "voicelive/mcp-list-tools",
      FALSE, "failed", {{"item-id", SRC_ITEM_ID}, {"state", SRC_STATE}}},
  {GST_VOICE_LIVE_EVENT_MCP_ARGUMENTS_DELTA, "voicelive/mcp-call-arguments",
      FALSE, NULL, TOOL_ARGS_FIELDS},
  {GST_VOICE_LIVE_EVENT_MCP_ARGUMENTS_DONE, "voicelive/mcp-call-arguments",
      TRUE, NULL, TOOL_ARGS_FIELDS},
  {GST_VOICE_LIVE_EVENT_MCP_CALL_IN_PROGRESS, "voicelive/mcp-call", FALSE,
      "in-progress", MCP_CALL_FIELDS},
  {GST_VOICE_LIVE_EVENT_MCP_CALL_COMPLETED, "voicelive/mcp-call", FALSE,
      "completed", MCP_CALL_FIELDS},
  {GST_VOICE_LIVE_EVENT_MCP_CALL_FAILED, "voicelive/mcp-call", FALSE,
      "failed", MCP_CALL_FIELDS},
  {GST_VOICE_LIVE_EVENT_MCP_APPROVAL_REQUEST, "voicelive/mcp-approval-request",
        FALSE, NULL, {{"id", SRC_ITEM_ID}, {"server-label", SRC_SERVER_LABEL},
          {"name", SRC_NAME}, {"arguments", SRC_TEXT_OR_EMPTY}}},
  /* Foundry agents as tools */
  {GST_VOICE_LIVE_EVENT_FOUNDRY_ARGUMENTS_DELTA,
      "voicelive/foundry-agent-call-arguments", FALSE, NULL, TOOL_ARGS_FIELDS},
  {GST_VOICE_LIVE_EVENT_FOUNDRY_ARGUMENTS_DONE,
      "voicelive/foundry-agent-call-arguments", TRUE, NULL, TOOL_ARGS_FIELDS},
  {GST_VOICE_LIVE_EVENT_FOUNDRY_CALL_IN_PROGRESS,
        "voicelive/foundry-agent-call", FALSE, "in-progress",
      FOUNDRY_CALL_FIELDS},
  {GST_VOICE_LIVE_EVENT_FOUNDRY_CALL_COMPLETED,
      "voicelive/foundry-agent-call", FALSE, "completed", FOUNDRY_CALL_FIELDS},
  {GST_VOICE_LIVE_EVENT_FOUNDRY_CALL_FAILED,
      "voicelive/foundry-agent-call", FALSE, "failed", FOUNDRY_CALL_FIELDS},
  /* Service notices */
  {GST_VOICE_LIVE_EVENT_WARNING, "voicelive/service-warning", FALSE, NULL,
        {{"message", SRC_ERROR_MESSAGE_OR_EMPTY},
            {"code", SRC_ERROR_CODE_OR_EMPTY},
          {"param", SRC_ERROR_PARAM_OR_EMPTY}}},
  {GST_VOICE_LIVE_EVENT_RATE_LIMITS, "voicelive/rate-limits", FALSE, NULL,
        {{"rate-limits", SRC_DETAIL_OR_EMPTY},
            {"tokens-remaining", SRC_TOKENS_REMAINING},
          {"requests-remaining", SRC_REQUESTS_REMAINING}}},
  {GST_VOICE_LIVE_EVENT_INVOCATION_DELTA, "voicelive/invocation-delta", FALSE,
        NULL, {{"response-id", SRC_RESPONSE_ID}, {"item-id", SRC_ITEM_ID},
          {"delta", SRC_DETAIL_OR_EMPTY}}},
};

static const gchar *
or_empty (const gchar * s)
{
  return s ? s : "";
}

/* A string source's value (NULL: an absent id). */
static const gchar *
string_value (const GstVoiceLiveEvent * ev, const EventMessage * row,
    FieldSource src)
{
  switch (src) {
    case SRC_SESSION_ID:
      return ev->session_id;
    case SRC_ITEM_ID:
      return ev->item_id;
    case SRC_RESPONSE_ID:
      return ev->response_id;
    case SRC_CALL_ID:
      return ev->call_id;
    case SRC_NAME:
      return ev->name;
    case SRC_SERVER_LABEL:
      return ev->server_label;
    case SRC_TEXT_OR_EMPTY:
      return or_empty (ev->text);
    case SRC_STATUS_OR_EMPTY:
      return or_empty (ev->status);
    case SRC_REASON_OR_EMPTY:
      return or_empty (ev->reason);
    case SRC_METADATA_OR_EMPTY:
      return or_empty (ev->metadata);
    case SRC_DETAIL_OR_EMPTY:
      return or_empty (ev->detail);
    case SRC_AGENT_RESPONSE_ID_OR_EMPTY:
      return or_empty (ev->agent_response_id);
    case SRC_ERROR_TYPE_OR_EMPTY:
      return or_empty (ev->error_type);
    case SRC_ERROR_CODE_OR_EMPTY:
      return or_empty (ev->error_code);
    case SRC_ERROR_MESSAGE_OR_EMPTY:
      return or_empty (ev->error_message);
    case SRC_ERROR_PARAM_OR_EMPTY:
      return or_empty (ev->error_param);
    case SRC_STATE:
      return row->state;
    default:
      g_assert_not_reached ();
  }
  return NULL;
}

static gint64
int_value (const GstVoiceLiveEvent * ev, FieldSource src)
{
  switch (src) {
    case SRC_AUDIO_START_MS:
      return ev->audio_start_ms;
    case SRC_AUDIO_END_MS:
      return ev->audio_end_ms;
    case SRC_INPUT_TOKENS:
      return ev->input_tokens;
    case SRC_OUTPUT_TOKENS:
      return ev->output_tokens;
    case SRC_TOTAL_TOKENS:
      return ev->total_tokens;
    case SRC_OUTPUT_INDEX:
      return ev->output_index;
    case SRC_EXPIRES_AT:
      return ev->expires_at;
    case SRC_TOKENS_REMAINING:
      return ev->tokens_remaining;
    case SRC_REQUESTS_REMAINING:
      return ev->requests_remaining;
    default:
      g_assert_not_reached ();
  }
  return -1;
}

static void
set_field (GstStructure * s, const Field * f, const GstVoiceLiveEvent * ev,
    const EventMessage * row)
{
  if (f->src == SRC_NONE)
    return;
  if (f->src == SRC_FINAL)
    gst_structure_set (s, f->name, G_TYPE_BOOLEAN, row->final, NULL);
  else if (f->src < SRC_AUDIO_START_MS)
    gst_structure_set (s, f->name, G_TYPE_STRING, string_value (ev, row,
            f->src), NULL);
  else
    gst_structure_set (s, f->name, G_TYPE_INT64, int_value (ev, f->src), NULL);
}

gboolean
gst_voice_live_error_is_benign (const gchar * code)
{
  return code && (strcmp (code, "conversation_already_has_active_response") == 0
      || strcmp (code, "response_cancel_not_active") == 0);
}

gboolean
gst_voice_live_event_is_warning (const GstVoiceLiveEvent * ev)
{
  return ev->kind == GST_VOICE_LIVE_EVENT_ERROR
      && !gst_voice_live_error_is_benign (ev->error_code);
}

GstStructure *
gst_voice_live_event_to_message (const GstVoiceLiveEvent * ev,
    const gchar * json)
{
  const EventMessage *row = NULL;
  GstStructure *s;
  guint i;

  if (ev->kind == GST_VOICE_LIVE_EVENT_AUDIO_DELTA
      || gst_voice_live_event_is_warning (ev))
    return NULL;
  for (i = 0; i < G_N_ELEMENTS (event_messages); i++) {
    if (event_messages[i].kind == ev->kind) {
      row = &event_messages[i];
      break;
    }
  }
  if (row) {
    s = gst_structure_new_empty (row->message);
    for (i = 0; i < MAX_FIELDS && row->fields[i].name; i++)
      set_field (s, &row->fields[i], ev, row);
  } else {
    s = gst_structure_new_empty ("voicelive/server-event");
  }
  gst_structure_set (s, "event-type", G_TYPE_STRING, ev->type,
      "json", G_TYPE_STRING, json, NULL);
  return s;
}

GstStructure *
gst_voice_live_event_to_warning (const GstVoiceLiveEvent * ev,
    const gchar * json, const gchar * session_name, gchar ** text,
    gchar ** debug)
{
  const gchar *property = gst_voice_live_param_to_property (ev->error_param);
  const gchar *hint;
  GstStructure *details;

  details = gst_structure_new ("voicelive/error",
      "code", G_TYPE_STRING, or_empty (ev->error_code),
      "type", G_TYPE_STRING, or_empty (ev->error_type),
      "message", G_TYPE_STRING, or_empty (ev->error_message),
      "param", G_TYPE_STRING, or_empty (ev->error_param),
      "event-id", G_TYPE_STRING, or_empty (ev->error_event_id),
      "session-name", G_TYPE_STRING, session_name,
      "event-type", G_TYPE_STRING, ev->type, "json", G_TYPE_STRING, json, NULL);
  if (property)
    gst_structure_set (details, "property", G_TYPE_STRING, property, NULL);
  hint = gst_voice_live_param_hint (ev->error_param);
  *text = g_strdup_printf ("The service reported an error%s%s%s: %s%s%s%s"
      "%s%s", property ? " about property '" : "", property ? property : "",
      property ? "'" : "",
      ev->error_message ? ev->error_message : "(no message)",
      ev->error_code ? " [" : "", ev->error_code ? ev->error_code : "",
      ev->error_code ? "]" : "", hint ? ". Hint: " : "", hint ? hint : "");
  *debug = g_strdup_printf ("param: %s",
      ev->error_param ? ev->error_param : "(none)");
  return details;
}
