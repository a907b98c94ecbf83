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

/* Where a field's value comes from. *_OR_EMPTY: "" when the event lacks
 * it; the others may be NULL. */
typedef enum
{
  SRC_NONE = 0,
  SRC_SESSION_ID,
  SRC_ITEM_ID,
  SRC_RESPONSE_ID,
  SRC_CALL_ID,
  SRC_NAME,
  SRC_TEXT_OR_EMPTY,
  SRC_STATUS_OR_EMPTY,
  SRC_REASON_OR_EMPTY,
  SRC_AUDIO_START_MS,
  SRC_AUDIO_END_MS,
  SRC_INPUT_TOKENS,
  SRC_OUTPUT_TOKENS,
  SRC_TOTAL_TOKENS,
  SRC_FINAL,                    /* the row's final */
} FieldSource;

typedef struct
{
  const gchar *name;
  FieldSource src;
} Field;

#define MAX_FIELDS 6

typedef struct
{
  GstVoiceLiveEventKind kind;
  const gchar *message;
  gboolean final;
  Field fields[MAX_FIELDS];
} EventMessage;

/* Every message also carries event-type and json (and session-name, added
 * when posted). Kinds not listed become voicelive/server-event. */
static const EventMessage event_messages[] = {
  {GST_VOICE_LIVE_EVENT_SESSION_CREATED, "voicelive/session-created", FALSE,
      {{"session-id", SRC_SESSION_ID}}},
  {GST_VOICE_LIVE_EVENT_SESSION_UPDATED, "voicelive/session-updated", FALSE,
      {{"session-id", SRC_SESSION_ID}}},
  {GST_VOICE_LIVE_EVENT_SPEECH_STARTED, "voicelive/speech-started", FALSE,
      {{"item-id", SRC_ITEM_ID}, {"audio-start-ms", SRC_AUDIO_START_MS}}},
  {GST_VOICE_LIVE_EVENT_SPEECH_STOPPED, "voicelive/speech-stopped", FALSE,
      {{"item-id", SRC_ITEM_ID}, {"audio-end-ms", SRC_AUDIO_END_MS}}},
  {GST_VOICE_LIVE_EVENT_INPUT_COMMITTED, "voicelive/input-committed", FALSE,
      {{"item-id", SRC_ITEM_ID}}},
  /* GA only: input_audio_buffer.timeout_triggered (idle-timeout-ms) */
  {GST_VOICE_LIVE_EVENT_INPUT_TIMEOUT, "voicelive/input-timeout", FALSE,
        {{"item-id", SRC_ITEM_ID}, {"audio-start-ms", SRC_AUDIO_START_MS},
          {"audio-end-ms", SRC_AUDIO_END_MS}}},
  {GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DELTA, "voicelive/input-transcript",
        FALSE, {{"item-id", SRC_ITEM_ID}, {"transcript", SRC_TEXT_OR_EMPTY},
          {"final", SRC_FINAL}}},
  {GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DONE, "voicelive/input-transcript",
        TRUE, {{"item-id", SRC_ITEM_ID}, {"transcript", SRC_TEXT_OR_EMPTY},
          {"final", SRC_FINAL}}},
  {GST_VOICE_LIVE_EVENT_RESPONSE_CREATED, "voicelive/response-started", FALSE,
      {{"response-id", SRC_RESPONSE_ID}}},
  {GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DELTA,
        "voicelive/response-transcript", FALSE,
        {{"response-id", SRC_RESPONSE_ID}, {"item-id", SRC_ITEM_ID},
          {"text", SRC_TEXT_OR_EMPTY}, {"final", SRC_FINAL}}},
  {GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DONE,
        "voicelive/response-transcript", TRUE,
        {{"response-id", SRC_RESPONSE_ID}, {"item-id", SRC_ITEM_ID},
          {"text", SRC_TEXT_OR_EMPTY}, {"final", SRC_FINAL}}},
  {GST_VOICE_LIVE_EVENT_TEXT_DELTA, "voicelive/response-text", FALSE,
        {{"response-id", SRC_RESPONSE_ID}, {"item-id", SRC_ITEM_ID},
          {"text", SRC_TEXT_OR_EMPTY}, {"final", SRC_FINAL}}},
  {GST_VOICE_LIVE_EVENT_TEXT_DONE, "voicelive/response-text", TRUE,
        {{"response-id", SRC_RESPONSE_ID}, {"item-id", SRC_ITEM_ID},
          {"text", SRC_TEXT_OR_EMPTY}, {"final", SRC_FINAL}}},
  {GST_VOICE_LIVE_EVENT_FUNCTION_CALL_DONE, "voicelive/function-call", FALSE,
        {{"name", SRC_NAME}, {"call-id", SRC_CALL_ID},
            {"arguments", SRC_TEXT_OR_EMPTY}, {"item-id", SRC_ITEM_ID},
          {"response-id", SRC_RESPONSE_ID}}},
  {GST_VOICE_LIVE_EVENT_RESPONSE_DONE, "voicelive/response-done", FALSE,
        {{"response-id", SRC_RESPONSE_ID}, {"status", SRC_STATUS_OR_EMPTY},
            {"reason", SRC_REASON_OR_EMPTY},
            {"input-tokens", SRC_INPUT_TOKENS},
            {"output-tokens", SRC_OUTPUT_TOKENS},
          {"total-tokens", SRC_TOTAL_TOKENS}}},
};

static const gchar *
or_empty (const gchar * s)
{
  return s ? s : "";
}

static void
set_field (GstStructure * s, const Field * f, const GstVoiceLiveEvent * ev,
    gboolean final)
{
  switch (f->src) {
    case SRC_SESSION_ID:
      gst_structure_set (s, f->name, G_TYPE_STRING, ev->session_id, NULL);
      break;
    case SRC_ITEM_ID:
      gst_structure_set (s, f->name, G_TYPE_STRING, ev->item_id, NULL);
      break;
    case SRC_RESPONSE_ID:
      gst_structure_set (s, f->name, G_TYPE_STRING, ev->response_id, NULL);
      break;
    case SRC_CALL_ID:
      gst_structure_set (s, f->name, G_TYPE_STRING, ev->call_id, NULL);
      break;
    case SRC_NAME:
      gst_structure_set (s, f->name, G_TYPE_STRING, ev->name, NULL);
      break;
    case SRC_TEXT_OR_EMPTY:
      gst_structure_set (s, f->name, G_TYPE_STRING, or_empty (ev->text), NULL);
      break;
    case SRC_STATUS_OR_EMPTY:
      gst_structure_set (s, f->name, G_TYPE_STRING, or_empty (ev->status),
          NULL);
      break;
    case SRC_REASON_OR_EMPTY:
      gst_structure_set (s, f->name, G_TYPE_STRING, or_empty (ev->reason),
          NULL);
      break;
    case SRC_AUDIO_START_MS:
      gst_structure_set (s, f->name, G_TYPE_INT64, ev->audio_start_ms, NULL);
      break;
    case SRC_AUDIO_END_MS:
      gst_structure_set (s, f->name, G_TYPE_INT64, ev->audio_end_ms, NULL);
      break;
    case SRC_INPUT_TOKENS:
      gst_structure_set (s, f->name, G_TYPE_INT64, ev->input_tokens, NULL);
      break;
    case SRC_OUTPUT_TOKENS:
      gst_structure_set (s, f->name, G_TYPE_INT64, ev->output_tokens, NULL);
      break;
    case SRC_TOTAL_TOKENS:
      gst_structure_set (s, f->name, G_TYPE_INT64, ev->total_tokens, NULL);
      break;
    case SRC_FINAL:
      gst_structure_set (s, f->name, G_TYPE_BOOLEAN, final, NULL);
      break;
    case SRC_NONE:
      break;
  }
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
      set_field (s, &row->fields[i], ev, row->final);
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
