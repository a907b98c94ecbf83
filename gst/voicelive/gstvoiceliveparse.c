/* gst-voicelive: parsing of server events (GstVoiceLiveEvent), the audio
 * delta fast path and the validating base64 decoder. Pure (fuzzed by
 * tests/fuzz); runs on the network thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstvoiceliveprotocol.h"
#include "gstvoiceliveprotocolga.h"

static const gchar *
get_str (JsonObject * o, const gchar * name)
{
  JsonNode *n;

  if (!o)
    return NULL;
  n = json_object_get_member (o, name);
  if (!n || !JSON_NODE_HOLDS_VALUE (n)
      || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gint64
get_int (JsonObject * o, const gchar * name)
{
  JsonNode *n;
  GType t;

  if (!o)
    return -1;
  n = json_object_get_member (o, name);
  if (!n || !JSON_NODE_HOLDS_VALUE (n))
    return -1;
  t = json_node_get_value_type (n);
  if (t == G_TYPE_INT64)
    return json_node_get_int (n);
  if (t == G_TYPE_DOUBLE) {
    gdouble d = json_node_get_double (n);

    /* Casting NaN, inf or out-of-range doubles is undefined (found by
     * fuzzing): such a value reads as absent. */
    if (!(d >= -9.2e18 && d <= 9.2e18))
      return -1;
    return (gint64) d;
  }
  return -1;
}

/* The length of the first JSON value in @data, skipping strings; 0 if it
 * does not close. */
static gsize
first_value_end (const gchar * data, gsize len)
{
  gsize i;
  gint depth = 0;
  gboolean in_string = FALSE, started = FALSE;

  for (i = 0; i < len; i++) {
    gchar c = data[i];

    if (in_string) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_string = FALSE;
      continue;
    }
    if (c == '"') {
      in_string = TRUE;
    } else if (c == '{' || c == '[') {
      depth++;
      started = TRUE;
    } else if (c == '}' || c == ']') {
      if (--depth == 0 && started)
        return i + 1;
    }
  }
  return 0;
}

static JsonObject *
get_obj (JsonObject * o, const gchar * name)
{
  JsonNode *n;

  if (!o)
    return NULL;
  n = json_object_get_member (o, name);
  if (!n || !JSON_NODE_HOLDS_OBJECT (n))
    return NULL;
  return json_node_get_object (n);
}

typedef struct
{
  const gchar *type;
  GstVoiceLiveEventKind kind;
} KindMap;

/* Both spellings: Voice Live / OpenAI beta, and OpenAI GA. */
static const KindMap kind_map[] = {
  {"response.audio.delta", GST_VOICE_LIVE_EVENT_AUDIO_DELTA},
  {"response.output_audio.delta", GST_VOICE_LIVE_EVENT_AUDIO_DELTA},
  {"response.audio_transcript.delta",
      GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DELTA},
  {"response.output_audio_transcript.delta",
      GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DELTA},
  {"error", GST_VOICE_LIVE_EVENT_ERROR},
  {"session.created", GST_VOICE_LIVE_EVENT_SESSION_CREATED},
  {"session.updated", GST_VOICE_LIVE_EVENT_SESSION_UPDATED},
  {"input_audio_buffer.speech_started", GST_VOICE_LIVE_EVENT_SPEECH_STARTED},
  {"input_audio_buffer.speech_stopped", GST_VOICE_LIVE_EVENT_SPEECH_STOPPED},
  {"input_audio_buffer.committed", GST_VOICE_LIVE_EVENT_INPUT_COMMITTED},
  {"conversation.item.input_audio_transcription.delta",
      GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DELTA},
  {"conversation.item.input_audio_transcription.completed",
      GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DONE},
  {"response.created", GST_VOICE_LIVE_EVENT_RESPONSE_CREATED},
  {"response.done", GST_VOICE_LIVE_EVENT_RESPONSE_DONE},
  {"response.audio.done", GST_VOICE_LIVE_EVENT_AUDIO_DONE},
  {"response.output_audio.done", GST_VOICE_LIVE_EVENT_AUDIO_DONE},
  {"response.audio_transcript.done",
      GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DONE},
  {"response.output_audio_transcript.done",
      GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DONE},
  {"response.text.delta", GST_VOICE_LIVE_EVENT_TEXT_DELTA},
  {"response.output_text.delta", GST_VOICE_LIVE_EVENT_TEXT_DELTA},
  {"response.text.done", GST_VOICE_LIVE_EVENT_TEXT_DONE},
  {"response.output_text.done", GST_VOICE_LIVE_EVENT_TEXT_DONE},
  {"response.function_call_arguments.done",
      GST_VOICE_LIVE_EVENT_FUNCTION_CALL_DONE},
  {"mcp_list_tools.in_progress",
      GST_VOICE_LIVE_EVENT_MCP_LIST_TOOLS_IN_PROGRESS},
  {"mcp_list_tools.completed", GST_VOICE_LIVE_EVENT_MCP_LIST_TOOLS_COMPLETED},
  {"mcp_list_tools.failed", GST_VOICE_LIVE_EVENT_MCP_LIST_TOOLS_FAILED},
  {"response.mcp_call_arguments.delta",
      GST_VOICE_LIVE_EVENT_MCP_ARGUMENTS_DELTA},
  {"response.mcp_call_arguments.done", GST_VOICE_LIVE_EVENT_MCP_ARGUMENTS_DONE},
  {"response.mcp_call.in_progress", GST_VOICE_LIVE_EVENT_MCP_CALL_IN_PROGRESS},
  {"response.mcp_call.completed", GST_VOICE_LIVE_EVENT_MCP_CALL_COMPLETED},
  {"response.mcp_call.failed", GST_VOICE_LIVE_EVENT_MCP_CALL_FAILED},
  {"response.foundry_agent_call_arguments.delta",
      GST_VOICE_LIVE_EVENT_FOUNDRY_ARGUMENTS_DELTA},
  {"response.foundry_agent_call_arguments.done",
      GST_VOICE_LIVE_EVENT_FOUNDRY_ARGUMENTS_DONE},
  {"response.foundry_agent_call.in_progress",
      GST_VOICE_LIVE_EVENT_FOUNDRY_CALL_IN_PROGRESS},
  {"response.foundry_agent_call.completed",
      GST_VOICE_LIVE_EVENT_FOUNDRY_CALL_COMPLETED},
  {"response.foundry_agent_call.failed",
      GST_VOICE_LIVE_EVENT_FOUNDRY_CALL_FAILED},
  {"warning", GST_VOICE_LIVE_EVENT_WARNING},
  {"conversation.item.input_audio_transcription.failed",
      GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_FAILED},
  {"rate_limits.updated", GST_VOICE_LIVE_EVENT_RATE_LIMITS},
  {"response.invocation.delta", GST_VOICE_LIVE_EVENT_INVOCATION_DELTA},
  {"response.audio_timestamp.delta", GST_VOICE_LIVE_EVENT_AUDIO_TIMESTAMP},
};

/* Events that carry a whole item: an MCP approval request arrives as one
 * of them (which ones, and in which order, is unverified: all count). */
static const gchar *const item_events[] = {
  "response.output_item.added", "response.output_item.done",
  "conversation.item.created", "conversation.item.added",
  "conversation.item.done",
};

static gboolean
is_item_event (const gchar * type)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (item_events); i++)
    if (strcmp (item_events[i], type) == 0)
      return TRUE;
  return FALSE;
}

static GstVoiceLiveEventKind
kind_from_type (const gchar * type)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (kind_map); i++)
    if (strcmp (kind_map[i].type, type) == 0)
      return kind_map[i].kind;
  return GST_VOICE_LIVE_EVENT_OTHER;
}

void
gst_voice_live_event_clear (GstVoiceLiveEvent * ev)
{
  if (ev->root)
    json_node_unref (ev->root);
  g_free (ev->metadata);
  g_free (ev->detail);
  memset (ev, 0, sizeof (*ev));
  ev->audio_start_ms = ev->audio_end_ms = -1;
  ev->output_index = ev->expires_at = -1;
  ev->tokens_remaining = ev->requests_remaining = -1;
  ev->input_tokens = ev->output_tokens = ev->total_tokens = -1;
}

/* json-glib 1.6 takes "{...}{...}" as one document, keeping the first
 * object and leaking the rest: a frame is exactly one value. */
static gboolean
check_one_value (const gchar * data, gsize len, GError ** error)
{
  gsize end = first_value_end (data, len);

  while (end > 0 && end < len && g_ascii_isspace (data[end]))
    end++;
  if (end != 0 && end != len) {
    g_set_error_literal (error, JSON_PARSER_ERROR,
        JSON_PARSER_ERROR_INVALID_DATA, "more than one JSON value in the "
        "frame");
    return FALSE;
  }
  return TRUE;
}

/* @name of @o as compact JSON text, when it is an object or an array. */
static gchar *
member_json (JsonObject * o, const gchar * name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (!n || !(JSON_NODE_HOLDS_OBJECT (n) || JSON_NODE_HOLDS_ARRAY (n)))
    return NULL;
  return json_to_string (n, FALSE);
}

/* String members read into the event's fields of the same meaning. */
typedef struct
{
  const gchar *member;
  glong offset;                 /* of a const gchar * in GstVoiceLiveEvent */
} StringMember;

#define EV_FIELD(f) G_STRUCT_OFFSET (GstVoiceLiveEvent, f)

static const StringMember error_members[] = {
  {"type", EV_FIELD (error_type)},
  {"code", EV_FIELD (error_code)},
  {"message", EV_FIELD (error_message)},
  {"param", EV_FIELD (error_param)},
  {"event_id", EV_FIELD (error_event_id)},
  {NULL, 0}
};

static const StringMember approval_members[] = {
  {"id", EV_FIELD (item_id)},
  {"server_label", EV_FIELD (server_label)},
  {"name", EV_FIELD (name)},
  {"arguments", EV_FIELD (text)},
  {NULL, 0}
};

static void
read_strings (GstVoiceLiveEvent * ev, JsonObject * o,
    const StringMember * members)
{
  for (; members->member; members++)
    G_STRUCT_MEMBER (const gchar *, ev, members->offset) =
        get_str (o, members->member);
}

static void
read_error_object (GstVoiceLiveEvent * ev, JsonObject * err)
{
  read_strings (ev, err, error_members);
}

/* rate_limits.updated: the array, and the remaining tokens and requests. */
static void
read_rate_limits (GstVoiceLiveEvent * ev, JsonObject * o)
{
  JsonNode *n = json_object_get_member (o, "rate_limits");
  JsonArray *a;
  guint i;

  ev->detail = member_json (o, "rate_limits");
  if (!n || !JSON_NODE_HOLDS_ARRAY (n))
    return;
  a = json_node_get_array (n);
  for (i = 0; i < json_array_get_length (a); i++) {
    JsonNode *e = json_array_get_element (a, i);
    JsonObject *limit = JSON_NODE_HOLDS_OBJECT (e) ?
        json_node_get_object (e) : NULL;
    const gchar *name = get_str (limit, "name");

    if (g_strcmp0 (name, "tokens") == 0)
      ev->tokens_remaining = get_int (limit, "remaining");
    else if (g_strcmp0 (name, "requests") == 0)
      ev->requests_remaining = get_int (limit, "remaining");
  }
}

/* The fields of the server-side tool events (MCP, Foundry agent). */
static void
read_tool_fields (GstVoiceLiveEvent * ev, JsonObject * o)
{
  ev->output_index = get_int (o, "output_index");
  ev->agent_response_id = get_str (o, "agent_response_id");
  if (ev->kind == GST_VOICE_LIVE_EVENT_MCP_ARGUMENTS_DELTA
      || ev->kind == GST_VOICE_LIVE_EVENT_FOUNDRY_ARGUMENTS_DELTA)
    ev->text = get_str (o, "delta");
  else
    ev->text = get_str (o, "arguments");
}

/* An item event whose item is an mcp_approval_request: its id, server,
 * tool and arguments. Other item events stay OTHER. */
static void
read_approval_request (GstVoiceLiveEvent * ev, JsonObject * o)
{
  JsonObject *item = get_obj (o, "item");

  if (g_strcmp0 (get_str (item, "type"), "mcp_approval_request") != 0)
    return;
  ev->kind = GST_VOICE_LIVE_EVENT_MCP_APPROVAL_REQUEST;
  read_strings (ev, item, approval_members);
}

/* The fields of @ev that its kind carries. */
static void
read_kind_fields (GstVoiceLiveEvent * ev, JsonObject * o)
{
  JsonObject *sub;

  if (ev->kind >= GST_VOICE_LIVE_EVENT_MCP_ARGUMENTS_DELTA
      && ev->kind <= GST_VOICE_LIVE_EVENT_FOUNDRY_CALL_FAILED) {
    read_tool_fields (ev, o);
    return;
  }
  switch (ev->kind) {
    case GST_VOICE_LIVE_EVENT_AUDIO_DELTA:
    case GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DELTA:
    case GST_VOICE_LIVE_EVENT_TEXT_DELTA:
    case GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DELTA:
      ev->text = get_str (o, "delta");
      break;
    case GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DONE:
    case GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DONE:
      ev->text = get_str (o, "transcript");
      break;
    case GST_VOICE_LIVE_EVENT_TEXT_DONE:
      ev->text = get_str (o, "text");
      break;
    case GST_VOICE_LIVE_EVENT_FUNCTION_CALL_DONE:
      ev->text = get_str (o, "arguments");
      ev->call_id = get_str (o, "call_id");
      ev->name = get_str (o, "name");
      break;
    case GST_VOICE_LIVE_EVENT_SESSION_CREATED:
    case GST_VOICE_LIVE_EVENT_SESSION_UPDATED:
      sub = get_obj (o, "session");
      ev->session_id = get_str (sub, "id");
      ev->expires_at = get_int (sub, "expires_at");
      break;
    case GST_VOICE_LIVE_EVENT_SPEECH_STARTED:
      ev->audio_start_ms = get_int (o, "audio_start_ms");
      break;
    case GST_VOICE_LIVE_EVENT_SPEECH_STOPPED:
      ev->audio_end_ms = get_int (o, "audio_end_ms");
      break;
    case GST_VOICE_LIVE_EVENT_INPUT_TIMEOUT:
      ev->audio_start_ms = get_int (o, "audio_start_ms");
      ev->audio_end_ms = get_int (o, "audio_end_ms");
      break;
    case GST_VOICE_LIVE_EVENT_AUDIO_TIMESTAMP:
      /* One word of the item's audio (protocol-2026.md §2.11) */
      ev->text = get_str (o, "text");
      ev->audio_start_ms = get_int (o, "audio_offset_ms");
      ev->audio_end_ms = get_int (o, "audio_duration_ms");
      if (ev->audio_start_ms >= 0 && ev->audio_end_ms >= 0)
        ev->audio_end_ms += ev->audio_start_ms;
      else
        ev->audio_end_ms = -1;
      break;
    case GST_VOICE_LIVE_EVENT_RESPONSE_CREATED:
    case GST_VOICE_LIVE_EVENT_RESPONSE_DONE:
      sub = get_obj (o, "response");
      ev->response_id = get_str (sub, "id");
      ev->metadata = member_json (sub, "metadata");
      ev->status = get_str (sub, "status");
      ev->reason = get_str (get_obj (sub, "status_details"), "reason");
      sub = get_obj (sub, "usage");
      ev->input_tokens = get_int (sub, "input_tokens");
      ev->output_tokens = get_int (sub, "output_tokens");
      ev->total_tokens = get_int (sub, "total_tokens");
      break;
    case GST_VOICE_LIVE_EVENT_ERROR:
    case GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_FAILED:
      read_error_object (ev, get_obj (o, "error"));
      break;
    case GST_VOICE_LIVE_EVENT_WARNING:
      read_error_object (ev, get_obj (o, "warning"));
      break;
    case GST_VOICE_LIVE_EVENT_RATE_LIMITS:
      read_rate_limits (ev, o);
      break;
    case GST_VOICE_LIVE_EVENT_INVOCATION_DELTA:
      ev->detail = member_json (o, "delta");
      break;
    case GST_VOICE_LIVE_EVENT_OTHER:
      if (is_item_event (ev->type))
        read_approval_request (ev, o);
      break;
    default:
      break;
  }
}

gboolean
gst_voice_live_event_parse (GstVoiceLiveEvent * ev, JsonParser * parser,
    const gchar * data, gssize len, GError ** error)
{
  JsonObject *o;

  memset (ev, 0, sizeof (*ev));
  gst_voice_live_event_clear (ev);

  if (len < 0)
    len = strlen (data);
  if (!check_one_value (data, len, error))
    return FALSE;
  if (!json_parser_load_from_data (parser, data, len, error))
    return FALSE;
  ev->root = json_parser_steal_root (parser);
  if (!ev->root || !JSON_NODE_HOLDS_OBJECT (ev->root)) {
    g_set_error_literal (error, JSON_PARSER_ERROR,
        JSON_PARSER_ERROR_INVALID_DATA, "event is not a JSON object");
    gst_voice_live_event_clear (ev);
    return FALSE;
  }
  o = ev->obj = json_node_get_object (ev->root);
  ev->type = get_str (o, "type");
  if (!ev->type) {
    g_set_error_literal (error, JSON_PARSER_ERROR,
        JSON_PARSER_ERROR_INVALID_DATA, "event has no string \"type\"");
    gst_voice_live_event_clear (ev);
    return FALSE;
  }
  ev->kind = kind_from_type (ev->type);
  /* GA hook: events only the GA dialect has */
  if (ev->kind == GST_VOICE_LIVE_EVENT_OTHER)
    ev->kind = gst_voice_live_ga_event_kind (ev->type);
  ev->event_id = get_str (o, "event_id");
  ev->item_id = get_str (o, "item_id");
  ev->response_id = get_str (o, "response_id");

  read_kind_fields (ev, o);
  return TRUE;
}

/* ---- audio delta fast path ---- */

static const gchar *
skip_ws (const gchar * p, const gchar * end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

/* A string without escapes or control characters: its span, or NULL. */
static const gchar *
plain_string (const gchar * p, const gchar * end, GstVoiceLiveSpan * span)
{
  const gchar *start;

  if (p >= end || *p != '"')
    return NULL;
  start = ++p;
  /* Audio frames are ASCII: anything else (escapes, control characters,
   * non-ASCII bytes that may not even be UTF-8) goes to the full parser,
   * which validates it (the fuzzer found the fast path accepting invalid
   * UTF-8 that json-glib refuses). */
  while (p < end && *p != '"') {
    if (*p == '\\' || (guchar) * p < 0x20 || (guchar) * p >= 0x80)
      return NULL;
    p++;
  }
  if (p >= end)
    return NULL;
  span->str = start;
  span->len = p - start;
  return p + 1;
}

/* A scalar value, exactly as JSON spells it (true, false, null, or a
 * number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?): skipped. NULL
 * for anything else (the fuzzer found "nde0" taken for a scalar). */
static const gchar *
skip_scalar (const gchar * p, const gchar * end)
{
  static const gchar *literals[] = { "true", "false", "null" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (literals); i++) {
    gsize n = strlen (literals[i]);

    if ((gsize) (end - p) >= n && memcmp (p, literals[i], n) == 0)
      return p + n;
  }
  if (p < end && *p == '-')
    p++;
  if (p >= end || !g_ascii_isdigit (*p))
    return NULL;
  if (*p == '0')
    p++;
  else
    while (p < end && g_ascii_isdigit (*p))
      p++;
  if (p < end && *p == '.') {
    p++;
    if (p >= end || !g_ascii_isdigit (*p))
      return NULL;
    while (p < end && g_ascii_isdigit (*p))
      p++;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < end && (*p == '+' || *p == '-'))
      p++;
    if (p >= end || !g_ascii_isdigit (*p))
      return NULL;
    while (p < end && g_ascii_isdigit (*p))
      p++;
  }
  return p;
}

static gboolean
span_is (const GstVoiceLiveSpan * s, const gchar * lit)
{
  gsize n = strlen (lit);

  return s->len == n && memcmp (s->str, lit, n) == 0;
}

gboolean
gst_voice_live_parse_audio_delta (const gchar * data, gsize len,
    GstVoiceLiveSpan * delta, GstVoiceLiveSpan * item_id,
    GstVoiceLiveSpan * response_id)
{
  const gchar *p = data, *end = data + len;
  GstVoiceLiveSpan key, value, type = { NULL, 0 };
  gboolean have_delta = FALSE;

  memset (delta, 0, sizeof (*delta));
  memset (item_id, 0, sizeof (*item_id));
  memset (response_id, 0, sizeof (*response_id));
  /* Cheap rejection: audio deltas are the only large, frequent frames. */
  if (len < 40 || !g_strstr_len (data, MIN (len, 64), "audio.delta"))
    return FALSE;

  p = skip_ws (p, end);
  if (p >= end || *p++ != '{')
    return FALSE;
  while (TRUE) {
    const gchar *v;

    p = skip_ws (p, end);
    if (!(p = plain_string (p, end, &key)))
      return FALSE;
    p = skip_ws (p, end);
    if (p >= end || *p++ != ':')
      return FALSE;
    p = skip_ws (p, end);
    if (p < end && *p == '"') {
      if (!(p = plain_string (p, end, &value)))
        return FALSE;
      if (span_is (&key, "type")) {
        type = value;
      } else if (span_is (&key, "delta")) {
        *delta = value;
        have_delta = TRUE;
      } else if (span_is (&key, "item_id")) {
        *item_id = value;
      } else if (span_is (&key, "response_id")) {
        *response_id = value;
      }
    } else {
      /* Nested values (or a non-string delta/id) take the slow path. */
      if (span_is (&key, "delta") || span_is (&key, "type")
          || span_is (&key, "item_id") || span_is (&key, "response_id"))
        return FALSE;
      v = skip_scalar (p, end);
      if (!v)
        return FALSE;
      p = v;
    }
    p = skip_ws (p, end);
    if (p < end && *p == ',') {
      p++;
      continue;
    }
    if (p < end && *p == '}')
      break;
    return FALSE;
  }
  p = skip_ws (p + 1, end);
  if (p != end)
    return FALSE;
  return have_delta && (span_is (&type, "response.audio.delta")
      || span_is (&type, "response.output_audio.delta"));
}

static const guint8 b64_rev[256] = {
#define X 0xff
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, 62, X, X, X, 63,
  52, 53, 54, 55, 56, 57, 58, 59, 60, 61, X, X, X, X, X, X,
  X, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
  15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, X, X, X, X, X,
  X, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
  X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
#undef X
};

gboolean
gst_voice_live_base64_decode (const gchar * b64, gsize len, guint8 * out,
    gsize * out_len)
{
  const guint8 *s = (const guint8 *) b64;
  gsize i, o = 0, pad = 0;

  /* GLib's decoder skips invalid characters silently; audio must not be
   * silently corrupted, so validate. */
  if (len % 4 != 0)
    return FALSE;
  if (len >= 1 && s[len - 1] == '=')
    pad++;
  if (len >= 2 && s[len - 2] == '=')
    pad++;

  for (i = 0; i < len; i += 4) {
    guint8 a = b64_rev[s[i]], b = b64_rev[s[i + 1]];
    guint8 c = b64_rev[s[i + 2]], d = b64_rev[s[i + 3]];
    gboolean last = (i + 4 == len);

    if (a == 0xff || b == 0xff)
      return FALSE;
    if (last && pad > 0) {
      if (pad == 2) {
        out[o++] = (guint8) (a << 2 | b >> 4);
        break;
      }
      if (c == 0xff)
        return FALSE;
      out[o++] = (guint8) (a << 2 | b >> 4);
      out[o++] = (guint8) (b << 4 | c >> 2);
      break;
    }
    if (c == 0xff || d == 0xff)
      return FALSE;
    out[o++] = (guint8) (a << 2 | b >> 4);
    out[o++] = (guint8) (b << 4 | c >> 2);
    out[o++] = (guint8) (c << 6 | d);
  }
  *out_len = o;
  return TRUE;
}
