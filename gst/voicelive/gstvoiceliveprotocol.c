/* gst-voicelive
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstvoiceliveprotocol.h"

void
gst_voice_live_config_init (GstVoiceLiveConfig * cfg)
{
  memset (cfg, 0, sizeof (*cfg));
  cfg->turn_detection = GST_VOICE_LIVE_TURN_DETECTION_DEFAULT;
  cfg->vad_threshold = -1.0;
  cfg->prefix_padding_ms = -1;
  cfg->silence_duration_ms = -1;
}

void
gst_voice_live_config_clear (GstVoiceLiveConfig * cfg)
{
  g_free (cfg->instructions);
  g_free (cfg->voice);
  gst_voice_live_config_init (cfg);
}

void
gst_voice_live_config_copy (GstVoiceLiveConfig * dest,
    const GstVoiceLiveConfig * src)
{
  gst_voice_live_config_clear (dest);
  *dest = *src;
  dest->instructions = g_strdup (src->instructions);
  dest->voice = g_strdup (src->voice);
}

static const gchar *openai_voices[] = {
  "alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse",
  "marin", "cedar", NULL
};

gboolean
gst_voice_live_voice_is_openai (const gchar * name)
{
  return name && g_strv_contains (openai_voices, name);
}

static void
add_voice (JsonBuilder * b, const gchar * voice)
{
  json_builder_set_member_name (b, "voice");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, voice);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b,
      gst_voice_live_voice_is_openai (voice) ? "openai" : "azure-standard");
  json_builder_end_object (b);
}

static gboolean
turn_fields_set (const GstVoiceLiveConfig * cfg)
{
  return cfg->vad_threshold >= 0 || cfg->prefix_padding_ms >= 0
      || cfg->silence_duration_ms >= 0;
}

static void
add_turn_detection (JsonBuilder * b, const GstVoiceLiveConfig * cfg)
{
  const gchar *type;

  if (cfg->turn_detection == GST_VOICE_LIVE_TURN_DETECTION_NONE) {
    json_builder_set_member_name (b, "turn_detection");
    json_builder_add_null_value (b);
    return;
  }
  type = gst_voice_live_turn_detection_to_wire (cfg->turn_detection);
  if (!type && !turn_fields_set (cfg))
    return;

  /* Without a type the service merges the fields into its current turn
   * detection (session.update only changes what is present). */
  json_builder_set_member_name (b, "turn_detection");
  json_builder_begin_object (b);
  if (type) {
    json_builder_set_member_name (b, "type");
    json_builder_add_string_value (b, type);
  }
  if (cfg->vad_threshold >= 0) {
    json_builder_set_member_name (b, "threshold");
    json_builder_add_double_value (b, cfg->vad_threshold);
  }
  if (cfg->prefix_padding_ms >= 0) {
    json_builder_set_member_name (b, "prefix_padding_ms");
    json_builder_add_int_value (b, cfg->prefix_padding_ms);
  }
  if (cfg->silence_duration_ms >= 0) {
    json_builder_set_member_name (b, "silence_duration_ms");
    json_builder_add_int_value (b, cfg->silence_duration_ms);
  }
  json_builder_end_object (b);
}

static gchar *
builder_to_string (JsonBuilder * b)
{
  JsonNode *root = json_builder_get_root (b);
  gchar *s = json_to_string (root, FALSE);

  json_node_unref (root);
  g_object_unref (b);
  return s;
}

gchar *
gst_voice_live_build_session_update (const GstVoiceLiveConfig * cfg,
    const gchar * event_id, gint in_format, gint out_format)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "session.update");
  if (event_id) {
    json_builder_set_member_name (b, "event_id");
    json_builder_add_string_value (b, event_id);
  }
  json_builder_set_member_name (b, "session");
  json_builder_begin_object (b);

  if (cfg->instructions) {
    json_builder_set_member_name (b, "instructions");
    json_builder_add_string_value (b, cfg->instructions);
  }
  if (cfg->voice)
    add_voice (b, cfg->voice);
  add_turn_detection (b, cfg);

  if (in_format >= 0) {
    json_builder_set_member_name (b, "input_audio_format");
    json_builder_add_string_value (b,
        gst_voice_live_audio_format_input_wire (in_format));
    json_builder_set_member_name (b, "input_audio_sampling_rate");
    json_builder_add_int_value (b,
        gst_voice_live_audio_format_rate (in_format));
  }
  if (out_format >= 0) {
    json_builder_set_member_name (b, "output_audio_format");
    json_builder_add_string_value (b,
        gst_voice_live_audio_format_output_wire (out_format));
  }

  json_builder_end_object (b);
  json_builder_end_object (b);
  return builder_to_string (b);
}

gchar *
gst_voice_live_build_output_format_update (GstVoiceLiveAudioFormat f)
{
  return g_strdup_printf ("{\"type\":\"session.update\",\"session\":"
      "{\"output_audio_format\":\"%s\"}}",
      gst_voice_live_audio_format_output_wire (f));
}

void
gst_voice_live_build_append (GString * out, const guint8 * data, gsize len)
{
  static const gchar prefix[] =
      "{\"type\":\"input_audio_buffer.append\",\"audio\":\"";
  gint state = 0, save = 0;
  gsize start, n;

  g_string_truncate (out, 0);
  g_string_append_len (out, prefix, sizeof (prefix) - 1);
  start = out->len;
  /* g_base64_encode_step needs (len / 3 + 1) * 4 + 4 bytes, close 4 more */
  g_string_set_size (out, start + (len / 3 + 1) * 4 + 8);
  n = g_base64_encode_step (data, len, FALSE, out->str + start, &state, &save);
  n += g_base64_encode_close (FALSE, out->str + start + n, &state, &save);
  g_string_truncate (out, start + n);
  g_string_append_len (out, "\"}", 2);
}

gchar *
gst_voice_live_build_simple (const gchar * type, const gchar * event_id)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  if (event_id) {
    json_builder_set_member_name (b, "event_id");
    json_builder_add_string_value (b, event_id);
  }
  json_builder_end_object (b);
  return builder_to_string (b);
}

gchar *
gst_voice_live_build_response_create (const gchar * instructions)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "response.create");
  if (instructions) {
    json_builder_set_member_name (b, "response");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "instructions");
    json_builder_add_string_value (b, instructions);
    json_builder_end_object (b);
  }
  json_builder_end_object (b);
  return builder_to_string (b);
}

/* ---- parsing ---- */

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
  if (t == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (n);
  return -1;
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
};

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
  memset (ev, 0, sizeof (*ev));
  ev->audio_start_ms = ev->audio_end_ms = -1;
  ev->input_tokens = ev->output_tokens = ev->total_tokens = -1;
}

gboolean
gst_voice_live_event_parse (GstVoiceLiveEvent * ev, JsonParser * parser,
    const gchar * data, gssize len, GError ** error)
{
  JsonObject *o, *sub;

  memset (ev, 0, sizeof (*ev));
  gst_voice_live_event_clear (ev);

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
  ev->event_id = get_str (o, "event_id");
  ev->item_id = get_str (o, "item_id");
  ev->response_id = get_str (o, "response_id");

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
      ev->session_id = get_str (get_obj (o, "session"), "id");
      break;
    case GST_VOICE_LIVE_EVENT_SPEECH_STARTED:
      ev->audio_start_ms = get_int (o, "audio_start_ms");
      break;
    case GST_VOICE_LIVE_EVENT_SPEECH_STOPPED:
      ev->audio_end_ms = get_int (o, "audio_end_ms");
      break;
    case GST_VOICE_LIVE_EVENT_RESPONSE_CREATED:
    case GST_VOICE_LIVE_EVENT_RESPONSE_DONE:
      sub = get_obj (o, "response");
      ev->response_id = get_str (sub, "id");
      ev->status = get_str (sub, "status");
      ev->reason = get_str (get_obj (sub, "status_details"), "reason");
      sub = get_obj (sub, "usage");
      ev->input_tokens = get_int (sub, "input_tokens");
      ev->output_tokens = get_int (sub, "output_tokens");
      ev->total_tokens = get_int (sub, "total_tokens");
      break;
    case GST_VOICE_LIVE_EVENT_ERROR:
      sub = get_obj (o, "error");
      ev->error_type = get_str (sub, "type");
      ev->error_code = get_str (sub, "code");
      ev->error_message = get_str (sub, "message");
      ev->error_param = get_str (sub, "param");
      ev->error_event_id = get_str (sub, "event_id");
      break;
    default:
      break;
  }
  return TRUE;
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

/* ---- URL ---- */

static gboolean
host_is_loopback (const gchar * host)
{
  return g_ascii_strcasecmp (host, "localhost") == 0
      || g_str_has_prefix (host, "127.") || strcmp (host, "::1") == 0
      || strcmp (host, "[::1]") == 0;
}

static gboolean
query_has (const gchar * query, const gchar * name)
{
  gchar **params;
  gboolean found = FALSE;
  guint i;

  if (!query)
    return FALSE;
  params = g_strsplit (query, "&", -1);
  for (i = 0; params[i] && !found; i++) {
    gsize n = strlen (name);

    found = strncmp (params[i], name, n) == 0
        && (params[i][n] == '=' || params[i][n] == '\0');
  }
  g_strfreev (params);
  return found;
}

static void
query_add (GString * q, const gchar * name, const gchar * value)
{
  gchar *esc = g_uri_escape_string (value, NULL, FALSE);

  if (q->len > 0)
    g_string_append_c (q, '&');
  g_string_append_printf (q, "%s=%s", name, esc);
  g_free (esc);
}

gchar *
gst_voice_live_build_url (const gchar * endpoint, const gchar * api_version,
    const gchar * model, gboolean * openai_beta, GError ** error)
{
  GUri *uri;
  GError *err = NULL;
  const gchar *scheme, *host, *path, *query;
  const gchar *ws_scheme;
  GString *q;
  gchar *result, *new_path;
  gboolean tls, voice_live_path, aoai_path;

  *openai_beta = FALSE;
  if (!endpoint || !*endpoint) {
    g_set_error_literal (error, G_URI_ERROR, G_URI_ERROR_FAILED,
        "No endpoint set: set the endpoint property (or the "
        "AZURE_VOICE_LIVE_ENDPOINT environment variable) to the resource URL,"
        " e.g. https://<resource>.services.ai.azure.com");
    return NULL;
  }
  uri = g_uri_parse (endpoint, G_URI_FLAGS_ENCODED, &err);
  if (!uri) {
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_FAILED,
        "The endpoint property is not a valid URL (%s): expected "
        "https://<resource>.services.ai.azure.com or a wss:// URL",
        err->message);
    g_clear_error (&err);
    return NULL;
  }
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0
      || g_ascii_strcasecmp (scheme, "wss") == 0) {
    tls = TRUE;
    ws_scheme = "wss";
  } else if (g_ascii_strcasecmp (scheme, "http") == 0
      || g_ascii_strcasecmp (scheme, "ws") == 0) {
    tls = FALSE;
    ws_scheme = "ws";
  } else {
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_SCHEME,
        "The endpoint property has the unsupported scheme \"%s\": use "
        "https:// or wss:// (ws:// and http:// only for a loopback host)",
        scheme);
    g_uri_unref (uri);
    return NULL;
  }
  if (!host || !*host) {
    g_set_error_literal (error, G_URI_ERROR, G_URI_ERROR_BAD_HOST,
        "The endpoint property has no host name");
    g_uri_unref (uri);
    return NULL;
  }
  if (!tls && !host_is_loopback (host)) {
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_SCHEME,
        "The endpoint property uses unencrypted %s:// to the non-loopback "
        "host \"%s\": use https:// or wss:// (plain ws:// is allowed to "
        "127.0.0.1/localhost only, for local test servers)", scheme, host);
    g_uri_unref (uri);
    return NULL;
  }

  path = g_uri_get_path (uri);
  query = g_uri_get_query (uri);
  if (!path || !*path || strcmp (path, "/") == 0)
    new_path = g_strdup ("/voice-live/realtime");
  else
    new_path = g_strdup (path);

  voice_live_path = g_str_has_suffix (new_path, "/voice-live/realtime");
  aoai_path = g_str_has_suffix (new_path, "/openai/realtime");

  q = g_string_new (query ? query : "");
  if ((voice_live_path || aoai_path) && api_version && *api_version
      && !query_has (query, "api-version"))
    query_add (q, "api-version", api_version);
  if (voice_live_path && model && *model && !query_has (query, "model")
      && !query_has (query, "agent-name"))
    query_add (q, "model", model);

  *openai_beta = g_ascii_strcasecmp (host, "api.openai.com") == 0;

  {
    GUri *out = g_uri_build (G_URI_FLAGS_ENCODED, ws_scheme, NULL, host,
        g_uri_get_port (uri), new_path, q->len ? q->str : NULL, NULL);

    result = g_uri_to_string (out);
    g_uri_unref (out);
  }
  g_string_free (q, TRUE);
  g_free (new_path);
  g_uri_unref (uri);
  return result;
}
