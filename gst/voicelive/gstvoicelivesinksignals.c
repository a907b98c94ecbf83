/* gst-voicelive
 * voicelivesink's action signals: their table (and docs), the handlers that
 * only talk to the session, and the 2026 response controls: say (a fixed
 * answer, pre_generated_assistant_message), create-response-full
 * (response.create with options, out-of-band responses) and mcp-approve.
 * They run on the application's thread; the session's gate sends the
 * response.create.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>
#include "gstvoicelivesinksignals.h"
#include "gstvoiceliveprotocolga.h"
#include "gstvoicelivejson.h"

/* The options of create-response-full being turned into the "response"
 * object of the dialect. */
typedef struct
{
  GstVoiceLiveDialect dialect;
  JsonObject *response;
  gboolean out_of_band;
  gboolean play;
  gboolean play_set;
} Options;

typedef gboolean (*OptionFunc) (Options * o, const gchar * name,
    const GValue * v, GError ** error);

static gboolean
bad_value (const gchar * name, const gchar * expected, GError ** error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
      "create-response-full: option '%s' must be %s", name, expected);
  return FALSE;
}

static const gchar *
string_of (const GValue * v)
{
  return G_VALUE_HOLDS_STRING (v) ? g_value_get_string (v) : NULL;
}

/* An option the OpenAI GA response.create has no field for. */
static gboolean
voice_live_only (Options * o, const gchar * name, GError ** error)
{
  if (o->dialect != GST_VOICE_LIVE_DIALECT_OPENAI)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
      "create-response-full: option '%s' has no OpenAI GA form "
      "(protocol=openai); leave it out", name);
  return FALSE;
}

static gboolean
opt_instructions (Options * o, const gchar * name, const GValue * v,
    GError ** error)
{
  if (!string_of (v))
    return bad_value (name, "a string", error);
  json_object_set_string_member (o->response, "instructions", string_of (v));
  return TRUE;
}

/* "text", "audio" or both, comma-separated. Voice Live needs text with
 * audio (as the modalities property); GA takes one output modality. */
static gboolean
opt_modalities (Options * o, const gchar * name, const GValue * v,
    GError ** error)
{
  const gchar *s = string_of (v);
  gchar **parts = s ? g_strsplit (s, ",", -1) : NULL;
  gboolean text = FALSE, audio = FALSE, ok = parts != NULL;
  JsonArray *a = json_array_new ();
  guint i;

  for (i = 0; parts && parts[i]; i++) {
    gchar *p = g_strstrip (parts[i]);

    if (strcmp (p, "text") == 0)
      text = TRUE;
    else if (strcmp (p, "audio") == 0)
      audio = TRUE;
    else
      ok = FALSE;
  }
  g_strfreev (parts);
  if (!ok || !(text || audio)) {
    json_array_unref (a);
    return bad_value (name, "\"text\", \"audio\" or \"text,audio\"", error);
  }
  if (o->dialect == GST_VOICE_LIVE_DIALECT_OPENAI) {
    json_array_add_string_element (a, audio ? "audio" : "text");
    json_object_set_array_member (o->response, "output_modalities", a);
  } else {
    json_array_add_string_element (a, "text");
    if (audio)
      json_array_add_string_element (a, "audio");
    json_object_set_array_member (o->response, "modalities", a);
  }
  return TRUE;
}

/* A voice name, or (Voice Live) a whole voice object as JSON. */
static gboolean
opt_voice (Options * o, const gchar * name, const GValue * v, GError ** error)
{
  const gchar *s = string_of (v);
  JsonObject *voice, *audio, *out;
  JsonNode *n;

  if (!s || !*s)
    return bad_value (name, "a voice name or a JSON voice object", error);
  if (o->dialect == GST_VOICE_LIVE_DIALECT_OPENAI) {
    out = json_object_new ();
    audio = json_object_new ();
    json_object_set_string_member (out, "voice", s);
    json_object_set_object_member (audio, "output", out);
    json_object_set_object_member (o->response, "audio", audio);
    return TRUE;
  }
  if (s[0] == '{') {
    n = json_from_string (s, NULL);
    if (!n || !JSON_NODE_HOLDS_OBJECT (n)) {
      if (n)
        json_node_unref (n);
      return bad_value (name, "a voice name or a JSON voice object", error);
    }
    json_object_set_member (o->response, "voice", n);
    return TRUE;
  }
  voice = json_object_new ();
  json_object_set_string_member (voice, "type",
      gst_voice_live_voice_is_openai (s) ? "openai" : "azure-standard");
  json_object_set_string_member (voice, "name", s);
  json_object_set_object_member (o->response, "voice", voice);
  return TRUE;
}

/* A JSON text of the given node type, set as @member. */
static gboolean
json_member (Options * o, const gchar * name, const GValue * v,
    JsonNodeType type, const gchar * member, const gchar * expected,
    GError ** error)
{
  JsonNode *n = string_of (v) ? json_from_string (string_of (v), NULL) : NULL;

  if (!n || JSON_NODE_TYPE (n) != type) {
    if (n)
      json_node_unref (n);
    return bad_value (name, expected, error);
  }
  json_object_set_member (o->response, member, n);
  return TRUE;
}

static gboolean
opt_tools (Options * o, const gchar * name, const GValue * v, GError ** error)
{
  return json_member (o, name, v, JSON_NODE_ARRAY, "tools",
      "a JSON array of tools", error);
}

/* auto, none, required, or the name of a function tool */
static gboolean
opt_tool_choice (Options * o, const gchar * name, const GValue * v,
    GError ** error)
{
  const gchar *s = string_of (v);
  JsonObject *fn;

  if (!s || !*s)
    return bad_value (name, "auto, none, required or a function name", error);
  if (!strcmp (s, "auto") || !strcmp (s, "none") || !strcmp (s, "required")) {
    json_object_set_string_member (o->response, "tool_choice", s);
    return TRUE;
  }
  fn = json_object_new ();
  json_object_set_string_member (fn, "type", "function");
  json_object_set_string_member (fn, "name", s);
  json_object_set_object_member (o->response, "tool_choice", fn);
  return TRUE;
}

static gboolean
opt_temperature (Options * o, const gchar * name, const GValue * v,
    GError ** error)
{
  gdouble t;

  if (G_VALUE_HOLDS_DOUBLE (v))
    t = g_value_get_double (v);
  else if (G_VALUE_HOLDS_INT (v))
    t = g_value_get_int (v);
  else
    return bad_value (name, "a number from 0.6 to 1.2", error);
  /* The service's range, as the temperature property's */
  if (!(t >= 0.6 && t <= 1.2))
    return bad_value (name, "a number from 0.6 to 1.2", error);
  gst_voice_live_json_object_set_double (o->response, "temperature", t);
  return TRUE;
}

static gboolean
set_inf (Options * o, const gchar * member)
{
  json_object_set_string_member (o->response, member, "inf");
  return TRUE;
}

/* A positive count, or "inf" (protocol-2026.md 4, quirk 2). Voice Live's
 * reference names it max_response_output_tokens (JS 1.1.0's
 * max_output_tokens conflicts: the reference wins); GA max_output_tokens.
 * GstStructure reads an untyped max-tokens=inf as a double infinity and
 * max-tokens=400.0 as a double: both are what users type, so both count. */
static gboolean
opt_max_tokens (Options * o, const gchar * name, const GValue * v,
    GError ** error)
{
  const gchar *member = o->dialect == GST_VOICE_LIVE_DIALECT_OPENAI ?
      "max_output_tokens" : "max_response_output_tokens";
  gint64 n = -1;
  gdouble d;

  if (G_VALUE_HOLDS_INT (v))
    n = g_value_get_int (v);
  else if (G_VALUE_HOLDS_UINT (v))
    n = g_value_get_uint (v);
  else if (G_VALUE_HOLDS_INT64 (v))
    n = g_value_get_int64 (v);
  else if (G_VALUE_HOLDS_DOUBLE (v)) {
    d = g_value_get_double (v);
    if (isinf (d) && d > 0)
      return set_inf (o, member);
    if (d >= 1 && d <= 4096 && d == (gint64) d)
      n = (gint64) d;
  } else if (g_strcmp0 (string_of (v), "inf") == 0)
    return set_inf (o, member);
  if (n < 1 || n > 4096)
    return bad_value (name, "a count from 1 to 4096, or \"inf\"", error);
  json_object_set_int_member (o->response, member, n);
  return TRUE;
}

/* A JSON object of strings, or a GstStructure whose fields are strings. */
static gboolean
opt_metadata (Options * o, const gchar * name, const GValue * v,
    GError ** error)
{
  const GstStructure *st;
  JsonObject *md;
  gint i;

  if (!GST_VALUE_HOLDS_STRUCTURE (v))
    return json_member (o, name, v, JSON_NODE_OBJECT, "metadata",
        "a JSON object or a structure of strings", error);
  st = gst_value_get_structure (v);
  md = json_object_new ();
  for (i = 0; i < gst_structure_n_fields (st); i++) {
    const gchar *f = gst_structure_nth_field_name (st, i);
    const gchar *val = gst_structure_get_string (st, f);

    if (!val) {
      json_object_unref (md);
      return bad_value (name, "a JSON object or a structure of strings", error);
    }
    json_object_set_string_member (md, f, val);
  }
  json_object_set_object_member (o->response, "metadata", md);
  return TRUE;
}

static gboolean
opt_reasoning_effort (Options * o, const gchar * name, const GValue * v,
    GError ** error)
{
  static const gchar *const efforts[] = { "none", "minimal", "low", "medium",
    "high", "xhigh", NULL
  };
  const gchar *s = string_of (v);

  if (!s || !g_strv_contains (efforts, s))
    return bad_value (name, "none, minimal, low, medium, high or xhigh", error);
  json_object_set_string_member (o->response, "reasoning_effort", s);
  return TRUE;
}

static gboolean
opt_conversation (Options * o, const gchar * name, const GValue * v,
    GError ** error)
{
  const gchar *s = string_of (v);

  if (g_strcmp0 (s, "auto") && g_strcmp0 (s, "none"))
    return bad_value (name, "auto or none", error);
  o->out_of_band = strcmp (s, "none") == 0;
  json_object_set_string_member (o->response, "conversation", s);
  return TRUE;
}

/* Not sent: whether voicelivesrc plays the answer (default: unless
 * out-of-band). */
static gboolean
opt_play (Options * o, const gchar * name, const GValue * v, GError ** error)
{
  if (!G_VALUE_HOLDS_BOOLEAN (v))
    return bad_value (name, "a boolean", error);
  o->play = g_value_get_boolean (v);
  o->play_set = TRUE;
  return TRUE;
}

/* voice_live: the option has no OpenAI GA form (refused there). */
static const struct
{
  const gchar *name;
  OptionFunc func;
  gboolean voice_live;
} options_table[] = {
  {"instructions", opt_instructions},
  {"modalities", opt_modalities},
  {"voice", opt_voice},
  {"tools", opt_tools},
  {"tool-choice", opt_tool_choice},
  {"temperature", opt_temperature, TRUE},
  {"max-tokens", opt_max_tokens},
  {"metadata", opt_metadata},
  {"reasoning-effort", opt_reasoning_effort, TRUE},
  {"conversation", opt_conversation},
  {"play", opt_play},
};

static gboolean
unknown_option (const gchar * name, GError ** error)
{
  GString *names = g_string_new (NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (options_table); i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "",
        options_table[i].name);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
      "create-response-full: unknown option '%s' (the options are: %s)",
      name, names->str);
  g_string_free (names, TRUE);
  return FALSE;
}

/* The "response" object for @options in @dialect, or NULL with @error
 * naming the option at fault. */
static JsonObject *
options_to_response (const GstStructure * options, GstVoiceLiveDialect dialect,
    gboolean * mute, GError ** error)
{
  Options o = { dialect, json_object_new (), FALSE, TRUE, FALSE };
  gint i;
  guint k;

  for (i = 0; i < gst_structure_n_fields (options); i++) {
    const gchar *name = gst_structure_nth_field_name (options, i);
    const GValue *v = gst_structure_get_value (options, name);
    gboolean ok = FALSE, found = FALSE;

    for (k = 0; k < G_N_ELEMENTS (options_table) && !found; k++) {
      if (strcmp (options_table[k].name, name) == 0) {
        found = TRUE;
        ok = (!options_table[k].voice_live || voice_live_only (&o, name, error))
            && options_table[k].func (&o, name, v, error);
      }
    }
    if (!found)
      unknown_option (name, error);
    if (!ok) {
      json_object_unref (o.response);
      return NULL;
    }
  }
  *mute = o.out_of_band && !(o.play_set && o.play);
  return o.response;
}

static gboolean
create_response_full (GstVoiceLiveSink * self, const GstStructure * options)
{
  GstVoiceLiveSession *s =
      gst_voice_live_sink_ref_session (self, "create-response-full");
  GError *err = NULL;
  JsonObject *response;
  gboolean ok, mute = FALSE;

  if (!s)
    return FALSE;
  if (!options) {
    ok = gst_voice_live_session_request_response (s, NULL);
    gst_object_unref (s);
    return ok;
  }
  response = options_to_response (options,
      gst_voice_live_session_get_dialect (s), &mute, &err);
  if (!response) {
    gst_object_unref (s);
    return gst_voice_live_sink_refuse (self, err);
  }
  ok = gst_voice_live_session_queue_response (s, response, mute);
  gst_object_unref (s);
  return ok;
}

static gboolean
say (GstVoiceLiveSink * self, const gchar * text)
{
  GstVoiceLiveSession *s = gst_voice_live_sink_ref_session (self, "say");
  GError *err = NULL;
  gboolean ok;

  if (!s)
    return FALSE;
  if (!text || !*text) {
    g_set_error_literal (&err, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "say: the text is empty");
  } else if (gst_voice_live_session_get_dialect (s) ==
      GST_VOICE_LIVE_DIALECT_OPENAI) {
    g_set_error_literal (&err, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
        "say: pre_generated_assistant_message is Voice Live only; the "
        "OpenAI GA service (protocol=openai) cannot speak a fixed text");
  }
  if (err) {
    gst_object_unref (s);
    return gst_voice_live_sink_refuse (self, err);
  }
  ok = gst_voice_live_session_queue_response (s,
      gst_voice_live_say_response (text), FALSE);
  gst_object_unref (s);
  return ok;
}

static gboolean
mcp_approve (GstVoiceLiveSink * self, const gchar * id, gboolean approve)
{
  GstVoiceLiveSession *s = gst_voice_live_sink_ref_session (self,
      "mcp-approve");
  GError *err = NULL;
  gboolean ok;

  if (!s)
    return FALSE;
  ok = gst_voice_live_session_mcp_approve (s, id, approve, &err);
  gst_object_unref (s);
  return ok ? TRUE : gst_voice_live_sink_refuse (self, err);
}

static void
install_control_signals (GType type)
{
  /**
   * GstVoiceLiveSink::say:
   * @sink: the #voicelivesink
   * @text: what the agent says, word for word
   *
   * The agent speaks @text in its voice without the model
   * (response.create with pre_generated_assistant_message), and the text
   * enters the conversation. Sent like create-response: once no response
   * is active and no function call waits for its result. Voice Live only.
   *
   * Returns: %TRUE if accepted; %FALSE (and a warning message) for an
   * empty text or with protocol=openai
   *
   * Since: 0.2
   */
  g_signal_new_class_handler ("say", type, G_SIGNAL_RUN_LAST |
      G_SIGNAL_ACTION, G_CALLBACK (say), NULL, NULL, NULL, G_TYPE_BOOLEAN, 1,
      G_TYPE_STRING);
  /**
   * GstVoiceLiveSink::create-response-full:
   * @sink: the #voicelivesink
   * @options: (nullable): the options: instructions, modalities, voice,
   *   tools, tool-choice, temperature, max-tokens, metadata,
   *   reasoning-effort, conversation (auto or none), play
   *
   * response.create with options, through the gate of create-response.
   * Requests with options queue in order; they are never merged.
   * conversation=none makes an out-of-band response: its messages carry
   * its metadata, and its audio is not played unless play=true.
   *
   * Returns: %TRUE if accepted; %FALSE (and a warning message naming it)
   * for an unknown option or a bad value
   *
   * Since: 0.2
   */
  g_signal_new_class_handler ("create-response-full", type,
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, G_CALLBACK (create_response_full),
      NULL, NULL, NULL, G_TYPE_BOOLEAN, 1, GST_TYPE_STRUCTURE);
  /**
   * GstVoiceLiveSink::mcp-approve:
   * @sink: the #voicelivesink
   * @approval_request_id: the id of a voicelive/mcp-approval-request message
   * @approve: whether the MCP tool call may run
   *
   * Answers an MCP approval request with an mcp_approval_response item.
   *
   * Returns: %TRUE if accepted; %FALSE (and a warning message) for an
   * unknown or already answered request id
   *
   * Since: 0.2
   */
  g_signal_new_class_handler ("mcp-approve", type, G_SIGNAL_RUN_LAST |
      G_SIGNAL_ACTION, G_CALLBACK (mcp_approve), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
}

/* ---- the conversation signals of the first release ---- */

static gboolean
gst_voice_live_sink_send_text (GstVoiceLiveSink * self, const gchar * text)
{
  GstVoiceLiveSession *s = gst_voice_live_sink_ref_session (self, "send-text");
  gboolean ok;

  if (!s)
    return FALSE;
  ok = text && gst_voice_live_session_send_text (s, text);
  gst_object_unref (s);
  return ok;
}

static gboolean
gst_voice_live_sink_create_response (GstVoiceLiveSink * self,
    const gchar * instructions)
{
  GstVoiceLiveSession *s =
      gst_voice_live_sink_ref_session (self, "create-response");
  gboolean ok;

  if (!s)
    return FALSE;
  ok = gst_voice_live_session_request_response (s, instructions);
  gst_object_unref (s);
  return ok;
}

static gboolean
gst_voice_live_sink_cancel_response (GstVoiceLiveSink * self)
{
  GstVoiceLiveSession *s =
      gst_voice_live_sink_ref_session (self, "cancel-response");
  gboolean ok;

  if (!s)
    return FALSE;
  ok = gst_voice_live_session_cancel_response (s);
  gst_object_unref (s);
  return ok;
}

static gboolean
gst_voice_live_sink_function_result (GstVoiceLiveSink * self,
    const gchar * call_id, const gchar * output)
{
  GstVoiceLiveSession *s =
      gst_voice_live_sink_ref_session (self, "function-result");
  GError *err = NULL;
  gboolean ok;

  if (!s)
    return FALSE;
  ok = gst_voice_live_session_function_result (s, call_id, output, &err);
  gst_object_unref (s);
  return ok ? TRUE : gst_voice_live_sink_refuse (self, err);
}

static gboolean
gst_voice_live_sink_update_session (GstVoiceLiveSink * self, const gchar * json)
{
  GstVoiceLiveSession *s =
      gst_voice_live_sink_ref_session (self, "update-session");
  GError *err = NULL;
  gboolean ok;

  if (!s)
    return FALSE;
  ok = json && gst_voice_live_session_update_session_json (s, json, &err);
  gst_object_unref (s);
  if (!ok && err)
    return gst_voice_live_sink_refuse (self, err);
  return ok;
}

static gboolean
gst_voice_live_sink_send_event_json (GstVoiceLiveSink * self,
    const gchar * json)
{
  GstVoiceLiveSession *s = gst_voice_live_sink_ref_session (self, "send-event");
  GError *err = NULL;
  gboolean ok;

  if (!s)
    return FALSE;
  ok = json && gst_voice_live_session_send_event (s, json, &err);
  gst_object_unref (s);
  if (!ok && err)
    return gst_voice_live_sink_refuse (self, err);
  return ok;
}

/* The action signals: each returns a boolean and takes 0-2 strings. */
static const struct
{
  const gchar *name;
  GCallback handler;
  guint n_strings;
} action_signals[] = {

  /**
   * GstVoiceLiveSink::send-text:
   * @sink: the #voicelivesink
   * @text: what the user says, as text
   *
   * Adds a user text message to the conversation and asks for a response
   * (sent once no response is active).
   *
   * Returns: %TRUE if accepted
   *
   * Since: 0.1
   */
  {"send-text", G_CALLBACK (gst_voice_live_sink_send_text), 1},
  /**
   * GstVoiceLiveSink::create-response:
   * @sink: the #voicelivesink
   * @instructions: (nullable): instructions for this response only
   *
   * Sends response.create once no response is active and no function call
   * waits for its result.
   *
   * Returns: %TRUE if accepted
   *
   * Since: 0.1
   */
  {"create-response", G_CALLBACK (gst_voice_live_sink_create_response), 1},
  /**
   * GstVoiceLiveSink::cancel-response:
   * @sink: the #voicelivesink
   *
   * Sends response.cancel if a response is active.
   *
   * Returns: %TRUE if a response was active and is being cancelled
   *
   * Since: 0.1
   */
  {"cancel-response", G_CALLBACK (gst_voice_live_sink_cancel_response), 0},
  /**
   * GstVoiceLiveSink::function-result:
   * @sink: the #voicelivesink
   * @call_id: the call-id of a voicelive/function-call message
   * @output: the result, usually JSON text
   *
   * Sends the function_call_output, then response.create once no response
   * is active and every call of that response has its result.
   *
   * Returns: %TRUE if accepted; %FALSE (and a warning message) for an
   * unknown call_id
   *
   * Since: 0.1
   */
  {"function-result", G_CALLBACK (gst_voice_live_sink_function_result), 2},
  /**
   * GstVoiceLiveSink::commit-input:
   * @sink: the #voicelivesink
   *
   * Manual turns: commits the input audio received so far.
   *
   * Returns: %TRUE if accepted
   *
   * Since: 0.1
   */
  {"commit-input", G_CALLBACK (gst_voice_live_sink_commit_input), 0},
  /**
   * GstVoiceLiveSink::clear-input:
   * @sink: the #voicelivesink
   *
   * Drops the uncommitted input audio (here and on the service).
   *
   * Returns: %TRUE if accepted
   *
   * Since: 0.1
   */
  {"clear-input", G_CALLBACK (gst_voice_live_sink_clear_input), 0},
  /**
   * GstVoiceLiveSink::update-session:
   * @sink: the #voicelivesink
   * @json: a JSON object of session fields
   *
   * Sends session.update with these fields, and merges them into every
   * later full session.update (after a reconnect).
   *
   * Returns: %TRUE if accepted; %FALSE for anything but a JSON object
   *
   * Since: 0.1
   */
  {"update-session", G_CALLBACK (gst_voice_live_sink_update_session), 1},
  /**
   * GstVoiceLiveSink::send-event:
   * @sink: the #voicelivesink
   * @json: a client event: a JSON object with a string "type"
   *
   * Sends a raw client event (the escape hatch for protocol features
   * without a property or signal).
   *
   * Returns: %TRUE if accepted; %FALSE for anything but a JSON object with
   * a string "type"
   *
   * Since: 0.1
   */
  {"send-event", G_CALLBACK (gst_voice_live_sink_send_event_json), 1},
  /**
   * GstVoiceLiveSink::dtmf:
   * @sink: the #voicelivesink
   * @digits: keypad digits (0-9, *, #, A-D; spaces ignored), e.g. from
   *   the dtmf-event messages of rtpdtmfdepay or dtmfdetect
   *
   * Adds the digits to the current keypad sequence: it ends with
   * #voicelivesink:dtmf-terminator or after #voicelivesink:dtmf-timeout-ms
   * without a digit, then goes to the agent as user text made from
   * #voicelivesink:dtmf-template (and a response is asked for, see
   * #voicelivesink:dtmf-create-response), and is posted as voicelive/dtmf.
   *
   * Returns: %TRUE if accepted; %FALSE (and a warning) for anything but
   * keypad digits, or when not started
   *
   * Since: 0.2
   */
  {"dtmf", G_CALLBACK (gst_voice_live_sink_dtmf), 1},
};

void
gst_voice_live_sink_install_signals (GType type)
{
  guint i;

  /* Arguments past n_strings are not read. */
  for (i = 0; i < G_N_ELEMENTS (action_signals); i++)
    g_signal_new_class_handler (action_signals[i].name, type,
        G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, action_signals[i].handler, NULL,
        NULL, NULL, G_TYPE_BOOLEAN, action_signals[i].n_strings,
        G_TYPE_STRING, G_TYPE_STRING);
  install_control_signals (type);
}
