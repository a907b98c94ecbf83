/* gst-voicelive
 * voicelive-emulator: one client connection and its protocol state.
 *
 * Handles the client events of protocol.md §2 and answers as §3/§6 describe.
 * Errors are recoverable, as on the service: the session stays open.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "vl-emulator-webrtc.h"
#include "vl-emulator-conn.h"
#include "vl-emulator-2026.h"
#include "vl-emulator-config.h"
#include "vl-emulator-dialect.h"
#include "vl-emulator-fault.h"
#include "vl-emulator-ga.h"
#include "vl-emulator-ids.h"
#include "vl-emulator-record.h"
#include "vl-emulator-response.h"
#include "vl-emulator-tools.h"
#include "vl-emulator-script.h"

typedef void (*EventHandler) (VlEmuConn * conn, JsonObject * ev,
    const gchar * event_id);

static void
item_free (gpointer data)
{
  VlEmuItem *item = data;

  g_free (item->id);
  g_free (item->role);
  if (item->item)
    json_object_unref (item->item);
  g_free (item);
}

gchar *
vl_emu_conn_new_id (VlEmuConn * conn, const gchar * prefix)
{
  return vl_emu_make_id (prefix, conn->num, ++conn->id_counter);
}

JsonObject *
vl_emu_conn_event_new (VlEmuConn * conn, const gchar * type)
{
  JsonObject *ev = json_object_new ();
  gchar *id = vl_emu_conn_new_id (conn, "event_");

  json_object_set_string_member (ev, "type", type);
  json_object_set_string_member (ev, "event_id", id);
  g_free (id);
  return ev;
}

/* Takes ownership of @event. */
void
vl_emu_conn_send (VlEmuConn * conn, JsonObject * event,
    const VlEmuDeltaInfo * delta)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), event);
  gchar *type = g_strdup (json_object_get_string_member (event, "type"));
  gchar *text;

  json_object_unref (event);
  if (soup_websocket_connection_get_state (conn->ws) !=
      SOUP_WEBSOCKET_STATE_OPEN) {
    json_node_unref (node);
    g_free (type);
    return;
  }
  if (delta && json_object_has_member (event, "delta")) {
    /* The audio is most of the bytes and json-glib's generator escapes a
     * string a character at a time; base64 needs no escaping, so the
     * delta (the last member, as the generator would write it) is
     * appended to the text of the rest. */
    gchar *b64 = g_strdup (json_object_get_string_member (event, "delta"));
    gchar *rest;
    GString *t;

    json_object_remove_member (event, "delta");
    rest = json_to_string (node, FALSE);
    t = g_string_sized_new (strlen (rest) + strlen (b64) + 16);
    g_string_append_len (t, rest, strlen (rest) - 1);
    g_string_append (t, ",\"delta\":\"");
    g_string_append (t, b64);
    g_string_append (t, "\"}");
    json_object_set_string_member (event, "delta", b64);
    text = g_string_free (t, FALSE);
    g_free (rest);
    g_free (b64);
  } else {
    text = json_to_string (node, FALSE);
  }
  soup_websocket_connection_send_text (conn->ws, text);
  g_free (text);

  if (delta) {
    /* Keep the record small: the samples are implied by seed and offset. */
    const gchar *b64 = json_object_get_string_member (event, "delta");
    gsize len = strlen (b64), bytes = len / 4 * 3;
    gchar *size;

    if (len >= 1 && b64[len - 1] == '=')
      bytes--;
    if (len >= 2 && b64[len - 2] == '=')
      bytes--;
    size = g_strdup_printf ("<%" G_GSIZE_FORMAT " bytes>", bytes);
    json_object_set_string_member (event, "delta", size);
    g_free (size);
    if (delta->byte_offset >= 0)
      vl_emu_record (conn->server->recorder, conn->num, "server", type,
          "event", node, "seed", vl_emu_node_int (delta->seed),
          "offset", vl_emu_node_int ((gint64) delta->offset),
          "samples", vl_emu_node_int ((gint64) delta->samples),
          "byte_offset", vl_emu_node_int (delta->byte_offset),
          "bytes", vl_emu_node_int ((gint64) delta->bytes), NULL);
    else
      vl_emu_record (conn->server->recorder, conn->num, "server", type,
          "event", node, "seed", vl_emu_node_int (delta->seed),
          "offset", vl_emu_node_int ((gint64) delta->offset),
          "samples", vl_emu_node_int ((gint64) delta->samples), NULL);
  } else {
    vl_emu_record (conn->server->recorder, conn->num, "server", type,
        "event", node, NULL);
  }
  g_free (type);
}

void
vl_emu_conn_send_error (VlEmuConn * conn, const gchar * code,
    const gchar * message, const gchar * param, const gchar * client_event_id)
{
  JsonObject *ev = vl_emu_conn_event_new (conn, "error");
  JsonObject *err = json_object_new ();

  json_object_set_string_member (err, "type", "invalid_request_error");
  json_object_set_string_member (err, "code", code);
  json_object_set_string_member (err, "message", message);
  if (param)
    json_object_set_string_member (err, "param", param);
  else
    json_object_set_null_member (err, "param");
  if (client_event_id)
    json_object_set_string_member (err, "event_id", client_event_id);
  else
    json_object_set_null_member (err, "event_id");
  json_object_set_object_member (ev, "error", err);
  vl_emu_conn_send (conn, ev, NULL);
}

/* Takes ownership of @item, which must have a string "id". */
VlEmuItem *
vl_emu_conn_add_item (VlEmuConn * conn, JsonObject * item)
{
  VlEmuItem *it = g_new0 (VlEmuItem, 1);

  it->id = g_strdup (json_object_get_string_member (item, "id"));
  it->role = g_strdup (json_object_get_string_member_with_default (item,
          "role", NULL));
  it->item = item;
  g_hash_table_replace (conn->items, it->id, it);
  return it;
}

void
vl_emu_conn_send_raw (VlEmuConn * conn, JsonObject * obj)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), obj);
  const gchar *type = json_object_get_string_member_with_default (obj,
      "type", "#raw");
  gchar *text;

  if (soup_websocket_connection_get_state (conn->ws) ==
      SOUP_WEBSOCKET_STATE_OPEN) {
    text = json_to_string (node, FALSE);
    soup_websocket_connection_send_text (conn->ws, text);
    g_free (text);
    vl_emu_record (conn->server->recorder, conn->num, "server", type,
        "event", json_node_copy (node), NULL);
  }
  json_node_unref (node);
}

void
vl_emu_conn_send_item_created (VlEmuConn * conn, const gchar * prev,
    JsonObject * item, gboolean done)
{
  JsonObject *ev = vl_emu_conn_event_new (conn,
      vl_emu_dialect_type (conn, "conversation.item.created"));

  if (prev)
    json_object_set_string_member (ev, "previous_item_id", prev);
  else if (conn->last_item_id)
    json_object_set_string_member (ev, "previous_item_id", conn->last_item_id);
  else
    json_object_set_null_member (ev, "previous_item_id");
  g_free (conn->last_item_id);
  conn->last_item_id = g_strdup (json_object_get_string_member (item, "id"));
  if (done && conn->ga)
    json_object_ref (item);
  else
    done = FALSE;
  json_object_set_object_member (ev, "item", item);
  vl_emu_conn_send (conn, ev, NULL);
  if (done)
    vl_emu_conn_send_item_done (conn, item);
}

void
vl_emu_conn_send_item_done (VlEmuConn * conn, JsonObject * item)
{
  JsonObject *ev;

  if (!conn->ga) {
    json_object_unref (item);
    return;
  }
  ev = vl_emu_conn_event_new (conn, "conversation.item.done");
  json_object_set_object_member (ev, "item", item);
  vl_emu_conn_send (conn, ev, NULL);
}

static guint64
input_pos_us (VlEmuConn * conn)
{
  if (conn->in_rate == 0)
    return conn->in_base_us;
  return conn->in_base_us + conn->in_samples * G_USEC_PER_SEC / conn->in_rate;
}

guint64
vl_emu_conn_input_ms (VlEmuConn * conn)
{
  return input_pos_us (conn) / 1000;
}

/* Called whenever the session may have changed the input format. */
static void
update_input_format (VlEmuConn * conn)
{
  guint rate;
  gchar kind;

  vl_emu_config_input_format (conn->session, &rate, &kind);
  if (rate != conn->in_rate) {
    /* Rebase so the ms clock stays continuous across the change. */
    conn->in_base_us = input_pos_us (conn);
    conn->in_samples = 0;
    conn->in_rate = rate;
    conn->frame_fill = 0;
  }
  if (kind != conn->in_kind)
    conn->has_odd_byte = FALSE;
  conn->in_kind = kind;
}

static void
set_previous_item_id (VlEmuConn * conn, JsonObject * ev)
{
  if (conn->last_item_id)
    json_object_set_string_member (ev, "previous_item_id", conn->last_item_id);
  else
    json_object_set_null_member (ev, "previous_item_id");
}

static gboolean
transcription_enabled (VlEmuConn * conn)
{
  JsonNode *m = json_object_get_member (conn->session,
      "input_audio_transcription");

  return m && JSON_NODE_HOLDS_OBJECT (m);
}

/* input_audio_buffer.committed + the user item (+ its transcription). */
static void
commit_audio (VlEmuConn * conn, const gchar * item_id, guint64 ms)
{
  const VlEmuScriptResponse *scripted;
  JsonObject *ev, *item, *part;
  JsonArray *content;
  gchar *transcript;

  ev = vl_emu_conn_event_new (conn, "input_audio_buffer.committed");
  set_previous_item_id (conn, ev);
  json_object_set_string_member (ev, "item_id", item_id);
  vl_emu_conn_send (conn, ev, NULL);

  item = json_object_new ();
  json_object_set_string_member (item, "id", item_id);
  json_object_set_string_member (item, "object", "realtime.item");
  json_object_set_string_member (item, "type", "message");
  json_object_set_string_member (item, "role", "user");
  json_object_set_string_member (item, "status", "completed");
  content = json_array_new ();
  part = json_object_new ();
  json_object_set_string_member (part, "type", "input_audio");
  json_object_set_null_member (part, "transcript");
  json_array_add_object_element (content, part);
  json_object_set_array_member (item, "content", content);
  vl_emu_conn_add_item (conn, json_object_ref (item));
  vl_emu_conn_send_item_created (conn, NULL, item, TRUE);
  conn->input_audio_ms += ms;
  conn->buffer_start_us = input_pos_us (conn);

  if (!transcription_enabled (conn))
    return;
  /* The turn's transcript comes from the script entry of the response
   * this turn triggers next. */
  scripted = vl_emu_script_get (conn->server->script, conn->n_slots);
  if (scripted && scripted->input_transcript)
    transcript = g_strdup (scripted->input_transcript);
  else
    transcript = g_strdup_printf ("emulated transcript of %" G_GUINT64_FORMAT
        " ms", ms);
  ev = vl_emu_conn_event_new (conn,
      "conversation.item.input_audio_transcription.delta");
  json_object_set_string_member (ev, "item_id", item_id);
  json_object_set_int_member (ev, "content_index", 0);
  json_object_set_string_member (ev, "delta", transcript);
  vl_emu_conn_send (conn, ev, NULL);
  ev = vl_emu_conn_event_new (conn,
      "conversation.item.input_audio_transcription.completed");
  json_object_set_string_member (ev, "item_id", item_id);
  json_object_set_int_member (ev, "content_index", 0);
  json_object_set_string_member (ev, "transcript", transcript);
  vl_emu_conn_send (conn, ev, NULL);
  /* The remembered item (which holds @part) gets the transcript. */
  json_object_set_string_member (part, "transcript", transcript);
  g_free (transcript);
}

static void
start_default_response (VlEmuConn * conn)
{
  VlEmuResponseSpec spec;

  vl_emu_response_spec_init (conn, &spec);
  vl_emu_response_start (conn, &spec);
}

static void
vad_event (VlEmuConn * conn, VlEmuVadEvent what, gint64 ms)
{
  JsonObject *ev;

  if (what == VL_EMU_VAD_STARTED) {
    g_free (conn->speech_item_id);
    conn->speech_item_id = vl_emu_conn_new_id (conn, "item_");
    ev = vl_emu_conn_event_new (conn, "input_audio_buffer.speech_started");
    json_object_set_int_member (ev, "audio_start_ms", ms);
    json_object_set_string_member (ev, "item_id", conn->speech_item_id);
    vl_emu_conn_send (conn, ev, NULL);
    if (conn->response && vl_emu_config_td_bool (conn->session,
            "interrupt_response", TRUE))
      vl_emu_response_cancel (conn, "turn_detected");
    return;
  }

  ev = vl_emu_conn_event_new (conn, "input_audio_buffer.speech_stopped");
  json_object_set_int_member (ev, "audio_end_ms", ms);
  json_object_set_string_member (ev, "item_id", conn->speech_item_id);
  vl_emu_conn_send (conn, ev, NULL);
  commit_audio (conn, conn->speech_item_id,
      (guint64) MAX (ms - conn->vad.speech_start_ms, 0));
  g_clear_pointer (&conn->speech_item_id, g_free);

  if (!vl_emu_config_td_bool (conn->session, "create_response", TRUE))
    return;
  if (conn->response)
    conn->response_pending = TRUE;
  else
    start_default_response (conn);
}

static void frame_done (VlEmuConn * conn, gboolean vad_on,
    const VlEmuVadParams * p);

static void
push_sample (VlEmuConn * conn, gint16 s, gboolean vad_on,
    const VlEmuVadParams * p)
{
  conn->frame[conn->frame_fill++] = s;
  conn->in_samples++;
  if (conn->frame_fill < conn->in_rate / 100)
    return;
  frame_done (conn, vad_on, p);
}

static void
frame_done (VlEmuConn * conn, gboolean vad_on, const VlEmuVadParams * p)
{
  VlEmuVadEvent what;
  gint64 ms = 0;

  conn->frame_fill = 0;
  if (!vad_on)
    return;
  what = vl_emu_vad_frame (&conn->vad, p, conn->frame, conn->in_rate / 100,
      (gint64) vl_emu_conn_input_ms (conn), &ms);
  if (what != VL_EMU_VAD_NONE)
    vad_event (conn, what, ms);
}

static void
feed_audio (VlEmuConn * conn, const guint8 * data, gsize len)
{
  VlEmuVadParams p;
  gboolean vad_on = vl_emu_config_vad_params (conn->session, &p);
  gsize i = 0;

  if (conn->in_kind != 'p') {
    for (i = 0; i < len; i++)
      push_sample (conn, conn->in_kind == 'u' ?
          vl_emu_mulaw_to_linear (data[i]) : vl_emu_alaw_to_linear (data[i]),
          vad_on, &p);
    return;
  }
  if (conn->has_odd_byte && len > 0) {
    push_sample (conn, (gint16) (conn->odd_byte | (data[0] << 8)), vad_on, &p);
    conn->has_odd_byte = FALSE;
    i = 1;
  }
  /* Whole runs of samples at a time: with hundreds of sessions this is
   * the emulator's hottest loop. */
  while (i + 1 < len) {
    guint frame_len = conn->in_rate / 100;
    gsize n = MIN (frame_len - conn->frame_fill, (len - i) / 2), k;
    gint16 *f = conn->frame + conn->frame_fill;

    for (k = 0; k < n; k++, i += 2)
      f[k] = (gint16) (data[i] | (data[i + 1] << 8));
    conn->frame_fill += n;
    conn->in_samples += n;
    if (conn->frame_fill == frame_len)
      frame_done (conn, vad_on, &p);
  }
  if (i < len) {
    conn->odd_byte = data[i];
    conn->has_odd_byte = TRUE;
  }
}

static inline gint
base64_value (guchar c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

/* Strict RFC 4648 decode (g_base64_decode() silently skips garbage): NULL
 * unless @s is whole quads of the alphabet with at most two '=' closing
 * it. One pass: with hundreds of sessions this is a hot loop. */
static guint8 *
base64_decode_strict (const gchar * s, gsize * out_len)
{
  gsize len = strlen (s), pad = 0, full, i, o = 0;
  guint8 *out;
  gint a, b, c, d;

  if (len % 4 != 0)
    return NULL;
  if (len > 0 && s[len - 1] == '=')
    pad = s[len - 2] == '=' ? 2 : 1;
  else if (len > 0 && s[len - 2] == '=')
    return NULL;
  out = g_malloc (len / 4 * 3 + 1);
  full = pad ? len - 4 : len;
  for (i = 0; i < full; i += 4) {
    guint32 v;

    a = base64_value (s[i]);
    b = base64_value (s[i + 1]);
    c = base64_value (s[i + 2]);
    d = base64_value (s[i + 3]);
    if ((a | b | c | d) < 0)
      goto bad;
    v = ((guint32) a << 18) | ((guint32) b << 12) | ((guint32) c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (pad) {
    guint32 v;

    a = base64_value (s[len - 4]);
    b = base64_value (s[len - 3]);
    c = pad == 1 ? base64_value (s[len - 2]) : 0;
    if ((a | b | c) < 0)
      goto bad;
    v = ((guint32) a << 18) | ((guint32) b << 12) | ((guint32) c << 6);
    out[o++] = v >> 16;
    if (pad == 1)
      out[o++] = (v >> 8) & 0xff;
  }
  *out_len = o;
  return out;

bad:
  g_free (out);
  return NULL;
}

static void
record_client (VlEmuConn * conn, const gchar * type, JsonObject * ev)
{
  vl_emu_record (conn->server->recorder, conn->num, "client", type,
      "event", vl_emu_node_object (json_object_ref (ev)), NULL);
}

/* Recorded here rather than by the dispatcher: the record carries the
 * decoded size. */
static void append_decoded (VlEmuConn * conn, JsonObject * ev,
    guint8 * data, gsize len);

static void
on_append (VlEmuConn * conn, JsonObject * ev, const gchar * event_id)
{
  const gchar *b64 = json_object_get_string_member_with_default (ev, "audio",
      NULL);
  guint8 *data = NULL;
  gsize len = 0;

  if (!b64 || !(data = base64_decode_strict (b64, &len))) {
    record_client (conn, "input_audio_buffer.append", ev);
    vl_emu_conn_send_error (conn, "invalid_value",
        "Invalid 'audio': expected base64-encoded audio bytes.", "audio",
        event_id);
    return;
  }
  append_decoded (conn, ev, data, len);
}

/* Record and feed an append whose audio is decoded; frees @data. */
static void
append_decoded (VlEmuConn * conn, JsonObject * ev, guint8 * data, gsize len)
{
  if (conn->server->opts.no_record_audio) {
    gchar *size = g_strdup_printf ("<%" G_GSIZE_FORMAT " bytes>", len);

    json_object_set_string_member (ev, "audio", size);
    g_free (size);
  }
  guint channels = vl_emu_ec_channels (conn->session);

  if (channels == 2 && len % 4 != 0) {
    record_client (conn, "input_audio_buffer.append", ev);
    vl_emu_conn_send_error (conn, "invalid_value", "Invalid 'audio': "
        "stereo (client echo reference) appends must be whole S16LE frames "
        "(a multiple of 4 bytes).", "audio", NULL);
    g_free (data);
    return;
  }
  vl_emu_record (conn->server->recorder, conn->num, "client",
      "input_audio_buffer.append", "event",
      vl_emu_node_object (json_object_ref (ev)), "audio_bytes",
      vl_emu_node_int ((gint64) len), "channels",
      vl_emu_node_int (channels), NULL);
  conn->audio_seen = TRUE;
  if (channels == 2) {
    gsize i, frames = len / 4;

    if (conn->server->opts.ec_lag_max_ms > 0) {
      if (!conn->ec_audio)
        conn->ec_audio = g_byte_array_new ();
      /* the first minute is plenty for a test */
      if (conn->ec_audio->len < 60 * 48000 * 4)
        g_byte_array_append (conn->ec_audio, data, len);
    }
    /* the service hears channel 0, the microphone */
    for (i = 0; i < frames; i++)
      memmove (data + i * 2, data + i * 4, 2);
    len = frames * 2;
  }
  feed_audio (conn, data, len);
  g_free (data);
}

static void
on_commit (VlEmuConn * conn, JsonObject * ev, const gchar * event_id)
{
  guint64 buffered_us = input_pos_us (conn) - conn->buffer_start_us;
  gchar *item_id;

  if (buffered_us < 100000) {
    gchar *msg = g_strdup_printf ("Error committing input audio buffer: "
        "buffer too small. Expected at least 100ms of audio, but buffer only "
        "has %.2fms of audio.", buffered_us / 1000.0);

    vl_emu_conn_send_error (conn, "input_audio_buffer_commit_empty", msg,
        NULL, event_id);
    g_free (msg);
    return;
  }
  /* A manual commit ends any turn the VAD was tracking. */
  vl_emu_vad_reset (&conn->vad);
  g_clear_pointer (&conn->speech_item_id, g_free);
  item_id = vl_emu_conn_new_id (conn, "item_");
  commit_audio (conn, item_id, buffered_us / 1000);
  g_free (item_id);
}

static void
on_clear (VlEmuConn * conn, JsonObject * ev, const gchar * event_id)
{
  conn->buffer_start_us = input_pos_us (conn);
  vl_emu_vad_reset (&conn->vad);
  g_clear_pointer (&conn->speech_item_id, g_free);
  vl_emu_conn_send (conn, vl_emu_conn_event_new (conn,
          "input_audio_buffer.cleared"), NULL);
}

/* The session as the connection's dialect shows it */
static JsonObject *
session_view (VlEmuConn * conn)
{
  JsonObject *view = conn->ga_path ? vl_emu_ga_session_view (conn->session) :
      json_object_ref (conn->session);

  /* --expires-in-s: when this session ends (Voice Live 2026-07-15) */
  if (conn->expires_at > 0)
    json_object_set_int_member (view, "expires_at", conn->expires_at);
  return view;
}

/* What api.openai.com does with the beta shape (protocol-2026.md §1.1):
 * this error, then close code 4000. */
static void
refuse_beta_shape (VlEmuConn * conn)
{
  JsonObject *ev = vl_emu_conn_event_new (conn, "error");
  JsonObject *err = json_object_new ();

  json_object_set_string_member (err, "type", "invalid_request_error");
  json_object_set_string_member (err, "code", "beta_api_shape_disabled");
  json_object_set_string_member (err, "message", "The Realtime Beta API is "
      "no longer supported. Please use /v1/realtime for the GA API.");
  json_object_set_null_member (err, "param");
  json_object_set_object_member (ev, "error", err);
  vl_emu_conn_send (conn, ev, NULL);
  conn->closed_by_server = TRUE;
  soup_websocket_connection_close (conn->ws, 4000, "beta_api_shape_disabled");
}

static void
on_session_update (VlEmuConn * conn, JsonObject * ev, const gchar * event_id)
{
  JsonNode *upd = json_object_get_member (ev, "session");
  gchar *param = NULL, *message = NULL;
  const gchar *code = NULL;
  JsonObject *merged, *out;
  gboolean was_vad;
  VlEmuVadParams p;

  if (!upd || !JSON_NODE_HOLDS_OBJECT (upd)) {
    vl_emu_conn_send_error (conn, "invalid_value",
        "Invalid 'session': expected an object.", "session", event_id);
    return;
  }
  if (conn->ga_path) {
    VlEmuGaError e;
    JsonObject *beta = vl_emu_ga_translate (json_node_get_object (upd), &e);

    if (!beta) {
      if (e.fatal)
        refuse_beta_shape (conn);
      else
        vl_emu_conn_send_error (conn, e.code, e.message, e.param, event_id);
      vl_emu_ga_error_clear (&e);
      return;
    }
    merged = vl_emu_config_merge (conn->session, beta, &param, &message, &code);
    json_object_unref (beta);
  } else {
    merged = vl_emu_config_merge (conn->session, json_node_get_object (upd),
        &param, &message, &code);
  }
  if (!merged) {
    vl_emu_conn_send_error (conn, code ? code : "invalid_value", message,
        param, code ? NULL : event_id);
    g_free (param);
    g_free (message);
    return;
  }
  {
    VlEmu2026Error e;

    if (!vl_emu_ec_check (conn->session, merged, conn->audio_seen, &e)) {
      /* the service's own codes: event_id null */
      vl_emu_conn_send_error (conn, e.code ? e.code : "invalid_value",
          e.message, e.param, e.code ? NULL : event_id);
      g_free (e.param);
      g_free (e.message);
      json_object_unref (merged);
      return;
    }
  }
  was_vad = vl_emu_config_vad_params (conn->session, &p);
  json_object_unref (conn->session);
  conn->session = merged;
  update_input_format (conn);
  if (was_vad != vl_emu_config_vad_params (conn->session, &p)) {
    vl_emu_vad_reset (&conn->vad);
    g_clear_pointer (&conn->speech_item_id, g_free);
  }

  vl_emu_webrtc_fill_ice_servers (conn);
  out = vl_emu_conn_event_new (conn, "session.updated");
  json_object_set_object_member (out, "session", session_view (conn));
  vl_emu_conn_send (conn, out, NULL);
  vl_emu_tools_session_updated (conn);
}

static void
on_item_create (VlEmuConn * conn, JsonObject * ev, const gchar * event_id)
{
  JsonNode *node = json_object_get_member (ev, "item");
  const gchar *prev;
  JsonObject *src, *item;
  JsonObjectIter iter;
  const gchar *name;
  JsonNode *member;
  gchar *id;

  if (!node || !JSON_NODE_HOLDS_OBJECT (node) ||
      !json_object_get_string_member_with_default (json_node_get_object
          (node), "type", NULL)) {
    vl_emu_conn_send_error (conn, "invalid_value",
        "Invalid 'item': expected an object with a string 'type'.", "item",
        event_id);
    return;
  }
  src = json_node_get_object (node);
  if (conn->ga_path) {
    VlEmuGaError e;

    if (!vl_emu_ga_check_item (src, &e)) {
      vl_emu_conn_send_error (conn, e.code, e.message, e.param, event_id);
      vl_emu_ga_error_clear (&e);
      return;
    }
  }
  if (g_str_equal (json_object_get_string_member (src, "type"),
          "mcp_approval_response")
      && !vl_emu_tools_check_approval (conn, src, event_id))
    return;
  if (g_str_equal (json_object_get_string_member (src, "type"),
          "function_call_output")) {
    const gchar *call_id = json_object_get_string_member_with_default (src,
        "call_id", NULL);

    if (!call_id || !g_hash_table_contains (conn->call_ids, call_id)) {
      gchar *msg = g_strdup_printf ("Invalid 'item.call_id': no function "
          "call with call_id '%s' in this conversation.",
          call_id ? call_id : "(none)");

      vl_emu_conn_send_error (conn, "invalid_value", msg, "item.call_id",
          event_id);
      g_free (msg);
      return;
    }
  }
  id = g_strdup (json_object_get_string_member_with_default (src, "id", NULL));
  if (!id)
    id = vl_emu_conn_new_id (conn, "item_");

  /* Echo the item in the service's shape: id and object first. */
  item = json_object_new ();
  json_object_set_string_member (item, "id", id);
  json_object_set_string_member (item, "object", "realtime.item");
  json_object_iter_init (&iter, src);
  while (json_object_iter_next (&iter, &name, &member))
    if (!g_str_equal (name, "id") && !g_str_equal (name, "object"))
      json_object_set_member (item, name, json_node_copy (member));
  if (!json_object_has_member (item, "status"))
    json_object_set_string_member (item, "status", "completed");
  vl_emu_conn_add_item (conn, json_object_ref (item));

  /* A user message (e.g. input_text) only joins the conversation; the
   * client asks for the answer with response.create. */
  prev = json_object_get_string_member_with_default (ev, "previous_item_id",
      NULL);
  vl_emu_conn_send_item_created (conn, prev, item, TRUE);
  if (g_str_equal (json_object_get_string_member (src, "type"),
          "mcp_approval_response"))
    vl_emu_tools_approval_answered (conn, src);
  g_free (id);
}

static VlEmuItem *
lookup_item (VlEmuConn * conn, JsonObject * ev, const gchar * event_id)
{
  const gchar *id = json_object_get_string_member_with_default (ev, "item_id",
      NULL);
  VlEmuItem *item = id ? g_hash_table_lookup (conn->items, id) : NULL;

  if (!item) {
    gchar *msg = g_strdup_printf ("Item with item_id not found: %s",
        id ? id : "(none)");

    vl_emu_conn_send_error (conn, "invalid_value", msg, "item_id", event_id);
    g_free (msg);
  }
  return item;
}

static void
on_item_retrieve (VlEmuConn * conn, JsonObject * ev, const gchar * event_id)
{
  VlEmuItem *item = lookup_item (conn, ev, event_id);
  JsonObject *out;

  if (!item)
    return;
  out = vl_emu_conn_event_new (conn, "conversation.item.retrieved");
  json_object_set_object_member (out, "item", json_object_ref (item->item));
  vl_emu_conn_send (conn, out, NULL);
}

static void
on_item_delete (VlEmuConn * conn, JsonObject * ev, const gchar * event_id)
{
  VlEmuItem *item = lookup_item (conn, ev, event_id);
  JsonObject *out;

  if (!item)
    return;
  out = vl_emu_conn_event_new (conn, "conversation.item.deleted");
  json_object_set_string_member (out, "item_id", item->id);
  if (!g_strcmp0 (conn->last_item_id, item->id))
    g_clear_pointer (&conn->last_item_id, g_free);
  g_hash_table_remove (conn->items, item->id);
  vl_emu_conn_send (conn, out, NULL);
}

static void
on_item_truncate (VlEmuConn * conn, JsonObject * ev, const gchar * event_id)
{
  const gchar *id = json_object_get_string_member_with_default (ev, "item_id",
      NULL);
  VlEmuItem *item = id ? g_hash_table_lookup (conn->items, id) : NULL;
  JsonNode *end = json_object_get_member (ev, "audio_end_ms");
  gint64 content_index = json_object_get_int_member_with_default (ev,
      "content_index", 0);
  gint64 generated_ms, end_ms;
  JsonObject *out;
  gchar *msg;

  if (!item || !item->assistant_audio) {
    vl_emu_conn_send_error (conn, "unsupported_content_type",
        "Only model output audio messages can be truncated", "item_id",
        event_id);
    return;
  }
  if (content_index != 0) {
    vl_emu_conn_send_error (conn, "invalid_value",
        "Invalid 'content_index': the audio is content part 0.",
        "content_index", event_id);
    return;
  }
  generated_ms = (gint64) (item->audio_samples * 1000 / item->audio_rate);
  end_ms = (end && JSON_NODE_HOLDS_VALUE (end) &&
      json_node_get_value_type (end) == G_TYPE_INT64) ?
      json_node_get_int (end) : -1;
  if (end_ms <= 0 || end_ms > generated_ms) {
    msg = g_strdup_printf ("Invalid 'audio_end_ms': audio content of "
        "%" G_GINT64_FORMAT "ms is shorter than %" G_GINT64_FORMAT "ms, or "
        "the value is not positive.", generated_ms, end_ms);
    vl_emu_conn_send_error (conn, "invalid_value", msg, "audio_end_ms",
        event_id);
    g_free (msg);
    return;
  }
  out = vl_emu_conn_event_new (conn, "conversation.item.truncated");
  json_object_set_string_member (out, "item_id", item->id);
  json_object_set_int_member (out, "content_index", 0);
  json_object_set_int_member (out, "audio_end_ms", end_ms);
  vl_emu_conn_send (conn, out, NULL);
}

static void
on_response_create (VlEmuConn * conn, JsonObject * ev, const gchar * event_id)
{
  JsonNode *resp = json_object_get_member (ev, "response");
  VlEmuResponseSpec spec;

  if (conn->response) {
    gchar *msg = g_strdup_printf ("Conversation already has an active "
        "response in progress: %s. Wait until the response is finished "
        "before creating a new one.", vl_emu_response_get_id (conn->response));

    vl_emu_conn_send_error (conn, "conversation_already_has_active_response",
        msg, NULL, event_id);
    g_free (msg);
    return;
  }
  vl_emu_response_spec_init (conn, &spec);
  if (resp && JSON_NODE_HOLDS_OBJECT (resp)) {
    spec.request = json_node_get_object (resp);
    spec.say = vl_emu_tools_say_text (spec.request);
    JsonNode *mods = json_object_get_member (json_node_get_object (resp),
        "modalities");

    if (mods) {
      gchar *param = NULL, *message = NULL;

      if (!vl_emu_config_check_modalities (mods, "response", &param, &message)) {
        vl_emu_conn_send_error (conn, "invalid_value", message, param,
            event_id);
        g_free (param);
        g_free (message);
        return;
      }
      spec.audio = vl_emu_modalities_have (mods, "audio");
    }
  }
  vl_emu_response_start (conn, &spec);
}

static void
on_response_cancel (VlEmuConn * conn, JsonObject * ev, const gchar * event_id)
{
  const gchar *id = json_object_get_string_member_with_default (ev,
      "response_id", NULL);

  if (!conn->response || (id && g_strcmp0 (id,
              vl_emu_response_get_id (conn->response)))) {
    vl_emu_conn_send_error (conn, "response_cancel_not_active",
        "Cancellation failed: no active response found", NULL, event_id);
    return;
  }
  vl_emu_response_cancel (conn, "client_cancelled");
}

static void
on_avatar_connect (VlEmuConn * conn, JsonObject * ev, const gchar * event_id)
{
  vl_emu_webrtc_connect (conn, ev, event_id);
}

static void
on_output_audio_clear (VlEmuConn * conn, JsonObject * ev,
    const gchar * event_id)
{
  /* The avatar stops speaking (WebRTC mode: its media goes idle) */
  vl_emu_webrtc_stop_turn (conn);
  vl_emu_conn_send (conn, vl_emu_conn_event_new (conn,
          "output_audio_buffer.cleared"), NULL);
}

static const struct
{
  const gchar *type;
  EventHandler handler;
} handlers[] = {
  {"session.update", on_session_update},
  {"input_audio_buffer.append", on_append},
  {"input_audio_buffer.commit", on_commit},
  {"input_audio_buffer.clear", on_clear},
  {"conversation.item.create", on_item_create},
  {"conversation.item.retrieve", on_item_retrieve},
  {"conversation.item.delete", on_item_delete},
  {"conversation.item.truncate", on_item_truncate},
  {"response.create", on_response_create},
  {"response.cancel", on_response_cancel},
  {"output_audio_buffer.clear", on_output_audio_clear},
  {"session.avatar.connect", on_avatar_connect},
};

static void
record_invalid (VlEmuConn * conn, const gchar * data, gsize len)
{
  gchar *valid = g_utf8_make_valid (data, (gssize) len);
  gchar *head = g_utf8_substring (valid, 0, MIN (g_utf8_strlen (valid, -1),
          200));

  vl_emu_record (conn->server->recorder, conn->num, "client", "#invalid",
      "text", vl_emu_node_string (head), NULL);
  g_free (head);
  g_free (valid);
}

/* An append exactly as gst-voicelive sends it, {"type":
 * "input_audio_buffer.append","audio":"<base64>"}, is most of the traffic
 * with many sessions: build its object without running the JSON scanner
 * over the audio. Anything else takes the parser. */
static JsonObject *
parse_plain_append (const gchar * data, gsize len, guint8 ** audio_out,
    gsize * audio_len)
{
  static const gchar prefix[] =
      "{\"type\":\"input_audio_buffer.append\",\"audio\":\"";
  const gsize plen = sizeof (prefix) - 1;
  JsonObject *ev;
  gchar *audio;

  if (len < plen + 2 || memcmp (data, prefix, plen) != 0
      || data[len - 2] != '"' || data[len - 1] != '}')
    return NULL;
  /* Without quotes or escapes the JSON string is the text itself; if it
   * is not base64 the parser and the handler say what is wrong. */
  if (memchr (data + plen, '"', len - 2 - plen)
      || memchr (data + plen, '\\', len - 2 - plen))
    return NULL;
  audio = g_strndup (data + plen, len - 2 - plen);
  if (!(*audio_out = base64_decode_strict (audio, audio_len))) {
    g_free (audio);
    return NULL;
  }
  ev = json_object_new ();
  json_object_set_string_member (ev, "type", "input_audio_buffer.append");
  json_object_set_string_member (ev, "audio", audio);
  g_free (audio);
  return ev;
}

void
vl_emu_conn_handle_message (VlEmuConn * conn, gint type, GBytes * message)
{
  gsize len;
  const gchar *data = g_bytes_get_data (message, &len);
  JsonParser *parser;
  JsonNode *root;
  JsonObject *ev;
  const gchar *ev_type, *event_id;
  guint i;

  /* A drop is armed: the connection is as good as gone. */
  if (conn->dropping)
    return;
  if (type == SOUP_WEBSOCKET_DATA_BINARY) {
    vl_emu_record (conn->server->recorder, conn->num, "client", "#binary",
        "bytes", vl_emu_node_int ((gint64) len), NULL);
    vl_emu_conn_send_error (conn, "invalid_event",
        "Binary frames are not supported; send JSON text frames.", NULL, NULL);
    return;
  }

  if (type == SOUP_WEBSOCKET_DATA_TEXT) {
    guint8 *audio;
    gsize audio_len;

    if ((ev = parse_plain_append (data, len, &audio, &audio_len))) {
      append_decoded (conn, ev, audio, audio_len);
      json_object_unref (ev);
      return;
    }
  }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL) ||
      !(root = json_parser_get_root (parser)) ||
      !JSON_NODE_HOLDS_OBJECT (root)) {
    record_invalid (conn, data, len);
    vl_emu_conn_send_error (conn, "invalid_event",
        "The message is not a JSON object.", NULL, NULL);
    g_object_unref (parser);
    return;
  }
  ev = json_node_get_object (root);
  event_id = json_object_get_string_member_with_default (ev, "event_id", NULL);
  ev_type = json_object_get_string_member_with_default (ev, "type", NULL);
  if (!ev_type) {
    record_invalid (conn, data, len);
    vl_emu_conn_send_error (conn, "invalid_event",
        "The 'type' field is missing.", NULL, event_id);
    g_object_unref (parser);
    return;
  }

  for (i = 0; i < G_N_ELEMENTS (handlers); i++)
    if (g_str_equal (ev_type, handlers[i].type))
      break;
  if (i == G_N_ELEMENTS (handlers) || handlers[i].handler != on_append)
    record_client (conn, ev_type, ev);
  if (i < G_N_ELEMENTS (handlers)) {
    handlers[i].handler (conn, ev, event_id);
  } else {
    gchar *msg = g_strdup_printf ("Invalid value: '%s'. Unsupported event "
        "type.", ev_type);

    vl_emu_conn_send_error (conn, "invalid_event", msg, "type", event_id);
    g_free (msg);
  }
  g_object_unref (parser);
}

VlEmuConn *
vl_emu_conn_new (VlEmuServer * server, SoupWebsocketConnection * ws,
    guint num, const gchar * model, const gchar * path, gboolean beta_header)
{
  VlEmuConn *conn = g_new0 (VlEmuConn, 1);
  JsonObject *ev;
  gchar *sess_id;

  conn->server = server;
  conn->ws = g_object_ref (ws);
  conn->num = num;
  conn->ga_path = vl_emu_ga_path (path);
  conn->ga = conn->ga_path || server->opts.ga;
  conn->items = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
      item_free);
  conn->call_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  sess_id = vl_emu_conn_new_id (conn, "sess_");
  conn->session = vl_emu_config_new_default (sess_id, model);
  /* 2026-07-15: read-only, Unix seconds; the service's sessions last 30
   * minutes. */
  json_object_set_int_member (conn->session, "expires_at",
      g_get_real_time () / G_USEC_PER_SEC + 30 * 60);
  if (conn->ga_path)
    vl_emu_ga_set_defaults (conn->session);
  g_free (sess_id);
  vl_emu_vad_reset (&conn->vad);
  update_input_format (conn);
  if (server->opts.expires_in_s > 0)
    conn->expires_at = g_get_real_time () / G_USEC_PER_SEC +
        server->opts.expires_in_s;

  if (conn->ga_path && beta_header) {
    refuse_beta_shape (conn);
    vl_emu_fault_conn_opened (conn);
    return conn;
  }
  ev = vl_emu_conn_event_new (conn, "session.created");
  json_object_set_object_member (ev, "session", session_view (conn));
  vl_emu_conn_send (conn, ev, NULL);
  vl_emu_fault_conn_opened (conn);
  return conn;
}

void
vl_emu_conn_free (VlEmuConn * conn)
{
  vl_emu_fault_conn_closing (conn);
  vl_emu_response_abort (conn);
  vl_emu_webrtc_free (conn);
  g_hash_table_destroy (conn->items);
  g_hash_table_destroy (conn->call_ids);
  g_clear_pointer (&conn->approvals, g_hash_table_destroy);
  g_clear_pointer (&conn->listed_servers, g_hash_table_destroy);
  g_clear_object (&conn->socket);
  json_object_unref (conn->session);
  g_free (conn->speech_item_id);
  g_free (conn->last_item_id);
  if (conn->ec_audio)
    g_byte_array_unref (conn->ec_audio);
  g_object_unref (conn->ws);
  g_free (conn);
}

void
vl_emu_conn_report_ec_lag (VlEmuConn * conn)
{
  gdouble corr = 0;
  guint rate = conn->in_rate ? conn->in_rate : 24000;
  gint lag;

  if (!conn->ec_audio || conn->server->opts.ec_lag_max_ms <= 0)
    return;
  lag = vl_emu_ec_lag (conn->ec_audio->data, conn->ec_audio->len / 4,
      (gint) ((gint64) conn->server->opts.ec_lag_max_ms * rate / 1000), &corr);
  vl_emu_record (conn->server->recorder, conn->num, "meta", "#ec-lag",
      "lag_frames", vl_emu_node_int (lag), "lag_ms",
      vl_emu_node_int ((gint64) lag * 1000 / rate), "correlation_permille",
      vl_emu_node_int ((gint64) (corr * 1000)), "frames",
      vl_emu_node_int (conn->ec_audio->len / 4), NULL);
  g_printerr ("voicelive-emulator: connection %u: echo reference lag %d "
      "frames (%.3f)\n", conn->num, lag, corr);
}
