/* gst-voicelive
 * voicelive-emulator: response generation.
 *
 * The audio is the deterministic signal of vl-emulator-audio.h, so a test can
 * check every sample the client outputs. With --speak it is the reply text
 * spoken by espeak-ng instead (vl-emulator-speech.c), made once when the
 * response starts; its length replaces --reply-ms / audio_ms. Deltas go out one per main-loop
 * iteration (or at real-time pace with --realtime), which lets response.cancel
 * and barge-in land in the middle of a response as they do on the service.
 *
 * A response has output items: audio_items assistant messages (1 by
 * default), then the scripted function calls (vl-emulator-script.c). The
 * sample index runs on across the message items of one response.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "vl-emulator-response.h"
#include "vl-emulator-audio.h"
#include "vl-emulator-avatar.h"
#include "vl-emulator-webrtc.h"
#include "vl-emulator-config.h"
#include "vl-emulator-dialect.h"
#include "vl-emulator-fault.h"
#include "vl-emulator-script.h"
#include "vl-emulator-speech.h"
#include "vl-emulator-tools.h"

/* One output item of a response. */
typedef struct
{
  const VlEmuScriptCall *call;  /* NULL: an assistant message */
  gboolean approved;            /* an mcp call that runs without asking */
  gchar *label;                 /* mcp: its server */
  gchar *id;                    /* NULL until the item is added */
  gchar *call_id;
  JsonObject *final;            /* the item as done, for response.done */
} VlEmuOut;

struct _VlEmuResponse
{
  VlEmuConn *conn;
  gchar *id;
  guint seed;
  gboolean audio;
  gboolean realtime;
  gboolean odd;                 /* --odd-deltas with pcm16 */

  gchar **words;
  guint n_words;
  guint64 words_total;          /* over all items, for usage */

  GPtrArray *outs;              /* VlEmuOut */
  guint cur;                    /* output index of the current item */
  gboolean cur_open;            /* its opening events were sent */

  /* The current message item. */
  gchar *item_id;
  guint words_sent;
  GString *said;                /* transcript / text sent so far */
  guint64 item_samples;         /* audio samples of each message item */
  gint16 *speech;               /* --speak: the item_samples of every item */
  guint64 item_bytes;
  guint64 bytes_sent;           /* within the current item */
  guint64 item_base;            /* first sample of the current item */
  guint n_deltas;
  guint deltas_sent;

  guint rate;
  gchar kind;
  guint bps;                    /* bytes per sample */
  guint64 samples_sent;         /* over the response, for pacing & usage */

  gint64 start_us;
  guint source_id;
  JsonNode *metadata;           /* echoed in response.created/done */
  /* WebSocket avatar: the answer as fragmented MP4, sent along with the
   * audio of the first item */
  gboolean avatar;
  GBytes *video;
  gsize video_sent;
  gchar *conversation;          /* "auto" or "none", echoed */
};

static void schedule_step (VlEmuResponse * r);

#define VIDEO_CHUNK 8192

/* response.video.delta events up to the share of the video that matches
 * the audio sent so far (all of it when @all) */
static void
send_video (VlEmuResponse * r, gboolean all)
{
  gsize len = r->video ? g_bytes_get_size (r->video) : 0, target;
  const guint8 *data = r->video ? g_bytes_get_data (r->video, NULL) : NULL;

  if (!len)
    return;
  target = all || r->samples_sent >= r->item_samples ? len :
      (gsize) (len * r->samples_sent / MAX (r->item_samples, 1));
  while (r->video_sent < target) {
    gsize n = MIN (VIDEO_CHUNK, len - r->video_sent);
    JsonObject *ev = vl_emu_conn_event_new (r->conn, "response.video.delta");
    gchar *b64 = g_base64_encode (data + r->video_sent, n);

    json_object_set_string_member (ev, "response_id", r->id);
    json_object_set_int_member (ev, "output_index", 0);
    json_object_set_string_member (ev, "codec", "h264");
    json_object_set_string_member (ev, "delta", b64);
    g_free (b64);
    vl_emu_conn_send (r->conn, ev, NULL);
    r->video_sent += n;
  }
}

static void
send_avatar_state (VlEmuResponse * r, const gchar * type)
{
  JsonObject *ev = vl_emu_conn_event_new (r->conn, type);

  json_object_set_string_member (ev, "turn_id", r->id);
  vl_emu_conn_send (r->conn, ev, NULL);
}

/* The first item's audio, as the audio deltas carry it */
static void
render_video (VlEmuResponse * r)
{
  gint16 *pcm = r->speech;
  guint64 i;

  if (!pcm) {
    pcm = g_new (gint16, MAX (r->item_samples, 1));
    for (i = 0; i < r->item_samples; i++)
      pcm[i] = vl_emu_sample (r->seed, i, r->rate);
  }
  r->video = vl_emu_avatar_render (r->conn->session, r->seed, pcm,
      r->item_samples, r->rate);
  if (pcm != r->speech)
    g_free (pcm);
}

/* WebRTC avatar: the first item's audio and its colour, played in real
 * time by the connection's peer (which sends the avatar's states) */
static void
play_webrtc (VlEmuResponse * r)
{
  gint16 *pcm = r->speech;
  guint64 i;

  if (!pcm) {
    pcm = g_new (gint16, MAX (r->item_samples, 1));
    for (i = 0; i < r->item_samples; i++)
      pcm[i] = vl_emu_sample (r->seed, i, r->rate);
  }
  vl_emu_webrtc_play (r->conn, r->id, vl_emu_avatar_color (r->seed), pcm,
      r->item_samples, r->rate);
  if (pcm != r->speech)
    g_free (pcm);
}

void
vl_emu_response_spec_init (VlEmuConn * conn, VlEmuResponseSpec * spec)
{
  memset (spec, 0, sizeof (*spec));
  spec->text = conn->server->opts.reply_text;
  spec->audio = vl_emu_modalities_have (json_object_get_member (conn->session,
          "modalities"), "audio");
  spec->reply_ms = (guint) MAX (conn->server->opts.reply_ms, 0);
  spec->realtime = conn->server->opts.realtime;
}

const gchar *
vl_emu_response_get_id (VlEmuResponse * r)
{
  return r->id;
}

static void
out_free (gpointer data)
{
  VlEmuOut *o = data;

  g_free (o->id);
  g_free (o->call_id);
  g_free (o->label);
  if (o->final)
    json_object_unref (o->final);
  g_free (o);
}

static void
response_free (VlEmuResponse * r)
{
  if (r->video)
    g_bytes_unref (r->video);
  if (r->source_id)
    g_source_remove (r->source_id);
  g_free (r->id);
  g_free (r->item_id);
  g_strfreev (r->words);
  g_ptr_array_unref (r->outs);
  g_string_free (r->said, TRUE);
  g_free (r->speech);
  if (r->metadata)
    json_node_unref (r->metadata);
  g_free (r->conversation);
  g_free (r);
}

/* The response object's echo of response.create's metadata/conversation
 * (null when none, as the service's examples show). */
static void
echo_request (VlEmuResponse * r, JsonObject * resp)
{
  if (r->metadata)
    json_object_set_member (resp, "metadata", json_node_copy (r->metadata));
  else
    json_object_set_null_member (resp, "metadata");
  json_object_set_string_member (resp, "conversation",
      r->conversation ? r->conversation : "auto");
}

/* "%n" is the response number, "%%" a '%'. */
static gchar *
expand_text (const gchar * tmpl, guint n)
{
  GString *out = g_string_new (NULL);
  const gchar *p;

  for (p = tmpl; *p; p++) {
    if (p[0] == '%' && p[1] == 'n') {
      g_string_append_printf (out, "%u", n);
      p++;
    } else if (p[0] == '%' && p[1] == '%') {
      g_string_append_c (out, '%');
      p++;
    } else {
      g_string_append_c (out, *p);
    }
  }
  return g_string_free (out, FALSE);
}

static guint64
delta_samples (VlEmuResponse * r, guint index)
{
  return (guint64) vl_emu_delta_ms[index % VL_EMU_N_DELTA_SIZES] * r->rate /
      1000;
}

/* Bytes of delta @index of an item when @sent bytes of it went out. With
 * --odd-deltas every pcm16 delta has an odd size: one byte more or less
 * than the usual size, and the end split so the last one is odd too. */
static guint64
delta_bytes (VlEmuResponse * r, guint index, guint64 sent)
{
  guint64 left = r->item_bytes - sent;
  guint64 n = delta_samples (r, index) * r->bps;

  if (!r->odd)
    return MIN (n, left);
  n = (sent % 2 == 0) ? n + 1 : n - 1;
  if (n >= left) {
    n = left;
    if (n % 2 == 0 && n > 1)
      n = left - 1;
  }
  return n;
}

/* Common leading fields of the per-part events. */
static JsonObject *
part_event (VlEmuResponse * r, const gchar * beta_type)
{
  JsonObject *ev = vl_emu_conn_event_new (r->conn,
      vl_emu_dialect_type (r->conn, beta_type));

  json_object_set_string_member (ev, "response_id", r->id);
  json_object_set_string_member (ev, "item_id", r->item_id);
  json_object_set_int_member (ev, "output_index", r->cur);
  json_object_set_int_member (ev, "content_index", 0);
  return ev;
}

/* @on_item: the part inside an item (GA names it output_audio/_text). */
static JsonObject *
make_part (VlEmuResponse * r, gboolean on_item)
{
  JsonObject *part = json_object_new ();

  json_object_set_string_member (part, "type", on_item ?
      vl_emu_dialect_part_type (r->conn, r->audio) :
      (r->audio ? "audio" : "text"));
  json_object_set_string_member (part, r->audio ? "transcript" : "text",
      r->said->str);
  return part;
}

static JsonObject *
make_item (VlEmuResponse * r, const gchar * status, gboolean with_part)
{
  JsonObject *item = json_object_new ();
  JsonArray *content = json_array_new ();

  json_object_set_string_member (item, "id", r->item_id);
  json_object_set_string_member (item, "object", "realtime.item");
  json_object_set_string_member (item, "type", "message");
  json_object_set_string_member (item, "role", "assistant");
  json_object_set_string_member (item, "status", status);
  if (with_part)
    json_array_add_object_element (content, make_part (r, TRUE));
  json_object_set_array_member (item, "content", content);
  return item;
}

static JsonObject *
make_call_item (VlEmuOut * o, const gchar * status, const gchar * args)
{
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "id", o->id);
  json_object_set_string_member (item, "object", "realtime.item");
  json_object_set_string_member (item, "type", "function_call");
  json_object_set_string_member (item, "status", status);
  json_object_set_string_member (item, "name", o->call->name);
  json_object_set_string_member (item, "call_id", o->call_id);
  json_object_set_string_member (item, "arguments", args);
  return item;
}

static JsonObject *
make_usage (VlEmuResponse * r)
{
  JsonObject *usage = json_object_new ();
  JsonObject *in = json_object_new ();
  JsonObject *cached = json_object_new ();
  JsonObject *out = json_object_new ();
  /* Rough service ratios: 10 input audio tokens/s, 20 output tokens/s. */
  gint64 in_audio = (gint64) (r->conn->input_audio_ms / 100);
  gint64 in_text = 20;
  gint64 out_audio = r->rate ? (gint64) (r->samples_sent * 20 / r->rate) : 0;
  gint64 out_text = (gint64) r->words_total;

  json_object_set_int_member (usage, "total_tokens",
      in_audio + in_text + out_audio + out_text);
  json_object_set_int_member (usage, "input_tokens", in_audio + in_text);
  json_object_set_int_member (usage, "output_tokens", out_audio + out_text);
  json_object_set_int_member (in, "cached_tokens", 0);
  json_object_set_int_member (in, "text_tokens", in_text);
  json_object_set_int_member (in, "audio_tokens", in_audio);
  json_object_set_int_member (in, "image_tokens", 0);
  json_object_set_int_member (cached, "text_tokens", 0);
  json_object_set_int_member (cached, "audio_tokens", 0);
  json_object_set_int_member (cached, "image_tokens", 0);
  json_object_set_object_member (in, "cached_tokens_details", cached);
  json_object_set_object_member (usage, "input_token_details", in);
  json_object_set_int_member (out, "text_tokens", out_text);
  json_object_set_int_member (out, "audio_tokens", out_audio);
  json_object_set_int_member (out, "reasoning_tokens", 0);
  json_object_set_object_member (usage, "output_token_details", out);
  return usage;
}

/* response.audio_timestamp.delta of word @k when the session asked for
 * output_audio_timestamp_types ["word"]: the item's audio split evenly
 * between its words, in whole ms from its first sample (docs/emulator.md). */
static void
send_word_timestamp (VlEmuResponse * r, guint k)
{
  guint64 total_ms = r->rate ? r->item_samples * 1000 / r->rate : 0;
  guint64 start = total_ms * k / r->n_words;
  guint64 end = total_ms * (k + 1) / r->n_words;
  JsonObject *ev;

  if (!r->audio || !vl_emu_modalities_have (json_object_get_member
          (r->conn->session, "output_audio_timestamp_types"), "word"))
    return;
  ev = part_event (r, "response.audio_timestamp.delta");
  json_object_set_int_member (ev, "audio_offset_ms", (gint64) start);
  json_object_set_int_member (ev, "audio_duration_ms", (gint64) (end - start));
  json_object_set_string_member (ev, "text", r->words[k]);
  json_object_set_string_member (ev, "timestamp_type", "word");
  vl_emu_conn_send (r->conn, ev, NULL);
}

static void
send_word (VlEmuResponse * r)
{
  const gchar *word = r->words[r->words_sent];
  gchar *delta;
  JsonObject *ev;

  /* The deltas concatenate to the transcript: words joined by spaces. */
  delta = g_strconcat (word, r->words_sent + 1 < r->n_words ? " " : "", NULL);
  ev = part_event (r, r->audio ? "response.audio_transcript.delta" :
      "response.text.delta");
  json_object_set_string_member (ev, "delta", delta);
  g_string_append (r->said, delta);
  r->words_sent++;
  r->words_total++;
  vl_emu_conn_send (r->conn, ev, NULL);
  g_free (delta);
  send_word_timestamp (r, r->words_sent - 1);
}

static void
send_audio_delta (VlEmuResponse * r)
{
  guint64 n = delta_bytes (r, r->deltas_sent, r->bytes_sent);
  guint64 s0 = r->bytes_sent / r->bps;
  guint64 s1 = (r->bytes_sent + n + r->bps - 1) / r->bps;
  guint8 *buf = g_malloc (MAX ((s1 - s0) * r->bps, 1));
  guint64 before = r->item_base + r->bytes_sent / r->bps;
  VlEmuDeltaInfo info;
  VlEmuItem *item;
  JsonObject *ev;
  gchar *b64;
  guint64 i;

  for (i = 0; i < s1 - s0; i++) {
    gint16 s = r->speech ? r->speech[s0 + i] :
        vl_emu_sample (r->seed, r->item_base + s0 + i, r->rate);

    if (r->kind == 'u')
      buf[i] = vl_emu_linear_to_mulaw (s);
    else if (r->kind == 'a')
      buf[i] = vl_emu_linear_to_alaw (s);
    else {
      buf[2 * i] = (guint8) (s & 0xff);
      buf[2 * i + 1] = (guint8) (((guint16) s) >> 8);
    }
  }
  b64 = g_base64_encode (buf + (r->bytes_sent - s0 * r->bps), n);
  g_free (buf);

  ev = part_event (r, "response.audio.delta");
  json_object_set_string_member (ev, "delta", b64);
  g_free (b64);
  info.seed = r->seed;
  info.offset = before;
  info.samples = r->odd ? s1 - s0 : n / r->bps;
  info.byte_offset = r->odd ? (gint64) (r->item_base * r->bps +
      r->bytes_sent) : -1;
  info.bytes = n;
  r->bytes_sent += n;
  r->samples_sent = r->item_base + r->bytes_sent / r->bps;
  r->deltas_sent++;
  item = g_hash_table_lookup (r->conn->items, r->item_id);
  if (item)
    item->audio_samples = r->bytes_sent / r->bps;
  vl_emu_conn_send (r->conn, ev, &info);
}

/* output_item.added, conversation.item.created/added, content_part.added
 * of message item r->cur. */
static void
open_message (VlEmuResponse * r)
{
  VlEmuConn *conn = r->conn;
  VlEmuOut *o = g_ptr_array_index (r->outs, r->cur);
  JsonObject *ev;
  VlEmuItem *item;
  guint64 left;

  if (!o->id)
    o->id = vl_emu_conn_new_id (conn, "item_");
  g_free (r->item_id);
  r->item_id = g_strdup (o->id);
  r->cur_open = TRUE;
  r->words_sent = 0;
  g_string_truncate (r->said, 0);
  r->bytes_sent = 0;
  r->deltas_sent = 0;
  r->n_deltas = 0;
  r->item_base = r->samples_sent;
  for (left = r->item_bytes; left > 0; r->n_deltas++)
    left -= delta_bytes (r, r->n_deltas, r->item_bytes - left);

  ev = vl_emu_conn_event_new (conn, "response.output_item.added");
  json_object_set_string_member (ev, "response_id", r->id);
  json_object_set_int_member (ev, "output_index", r->cur);
  json_object_set_object_member (ev, "item", make_item (r, "in_progress",
          FALSE));
  vl_emu_conn_send (conn, ev, NULL);

  item = vl_emu_conn_add_item (conn, make_item (r, "in_progress", FALSE));
  item->assistant_audio = r->audio;
  item->audio_rate = r->rate;
  vl_emu_conn_send_item_created (conn, NULL, make_item (r, "in_progress",
          FALSE), FALSE);

  ev = part_event (r, "response.content_part.added");
  json_object_set_object_member (ev, "part", make_part (r, FALSE));
  vl_emu_conn_send (conn, ev, NULL);
}

/* The .done events of the open message item. */
static void
close_message (VlEmuResponse * r, const gchar * status)
{
  VlEmuConn *conn = r->conn;
  VlEmuOut *o = g_ptr_array_index (r->outs, r->cur);
  JsonObject *ev;
  VlEmuItem *item;

  if (r->audio) {
    vl_emu_conn_send (conn, part_event (r, "response.audio.done"), NULL);
    ev = part_event (r, "response.audio_transcript.done");
    json_object_set_string_member (ev, "transcript", r->said->str);
  } else {
    ev = part_event (r, "response.text.done");
    json_object_set_string_member (ev, "text", r->said->str);
  }
  vl_emu_conn_send (conn, ev, NULL);

  ev = part_event (r, "response.content_part.done");
  json_object_set_object_member (ev, "part", make_part (r, FALSE));
  vl_emu_conn_send (conn, ev, NULL);

  ev = vl_emu_conn_event_new (conn, "response.output_item.done");
  json_object_set_string_member (ev, "response_id", r->id);
  json_object_set_int_member (ev, "output_index", r->cur);
  json_object_set_object_member (ev, "item", make_item (r, status, TRUE));
  vl_emu_conn_send (conn, ev, NULL);
  vl_emu_conn_send_item_done (conn, make_item (r, status, TRUE));

  item = g_hash_table_lookup (conn->items, r->item_id);
  if (item) {
    json_object_unref (item->item);
    item->item = make_item (r, status, TRUE);
  }
  o->final = make_item (r, status, TRUE);
  r->cur_open = FALSE;
  r->cur++;
}

/* A whole function call item (protocol.md §6.4 steps 3-7). */
static void
send_call (VlEmuResponse * r)
{
  VlEmuConn *conn = r->conn;
  VlEmuOut *o = g_ptr_array_index (r->outs, r->cur);
  const gchar *args = o->call->arguments;
  glong n_chars = g_utf8_strlen (args, -1);
  glong pieces = CLAMP ((n_chars + 7) / 8, 2, 16);
  JsonObject *ev;
  VlEmuItem *item;
  glong i;

  o->id = vl_emu_conn_new_id (conn, "item_");
  if (o->call->call_id) {
    o->call_id = g_strdup (o->call->call_id);
  } else {
    gchar *id = vl_emu_conn_new_id (conn, "");

    o->call_id = g_strconcat ("call_", id, NULL);
    g_free (id);
  }
  g_hash_table_add (conn->call_ids, g_strdup (o->call_id));

  ev = vl_emu_conn_event_new (conn, "response.output_item.added");
  json_object_set_string_member (ev, "response_id", r->id);
  json_object_set_int_member (ev, "output_index", r->cur);
  json_object_set_object_member (ev, "item", make_call_item (o,
          "in_progress", ""));
  vl_emu_conn_send (conn, ev, NULL);

  item = vl_emu_conn_add_item (conn, make_call_item (o, "in_progress", ""));
  vl_emu_conn_send_item_created (conn, NULL, make_call_item (o,
          "in_progress", ""), FALSE);

  /* At least two deltas, split on character boundaries. */
  for (i = 0; i < pieces; i++) {
    const gchar *from = g_utf8_offset_to_pointer (args, n_chars * i / pieces);
    const gchar *to = g_utf8_offset_to_pointer (args,
        n_chars * (i + 1) / pieces);
    gchar *delta = g_strndup (from, (gsize) (to - from));

    ev = vl_emu_conn_event_new (conn, "response.function_call_arguments.delta");
    json_object_set_string_member (ev, "response_id", r->id);
    json_object_set_string_member (ev, "item_id", o->id);
    json_object_set_int_member (ev, "output_index", r->cur);
    json_object_set_string_member (ev, "call_id", o->call_id);
    json_object_set_string_member (ev, "delta", delta);
    vl_emu_conn_send (conn, ev, NULL);
    g_free (delta);
  }

  ev = vl_emu_conn_event_new (conn, "response.function_call_arguments.done");
  json_object_set_string_member (ev, "response_id", r->id);
  json_object_set_string_member (ev, "item_id", o->id);
  json_object_set_int_member (ev, "output_index", r->cur);
  json_object_set_string_member (ev, "call_id", o->call_id);
  json_object_set_string_member (ev, "name", o->call->name);
  json_object_set_string_member (ev, "arguments", args);
  vl_emu_conn_send (conn, ev, NULL);

  ev = vl_emu_conn_event_new (conn, "response.output_item.done");
  json_object_set_string_member (ev, "response_id", r->id);
  json_object_set_int_member (ev, "output_index", r->cur);
  json_object_set_object_member (ev, "item", make_call_item (o, "completed",
          args));
  vl_emu_conn_send (conn, ev, NULL);
  vl_emu_conn_send_item_done (conn, make_call_item (o, "completed", args));

  json_object_unref (item->item);
  item->item = make_call_item (o, "completed", args);
  o->final = make_call_item (o, "completed", args);
  r->cur++;
}

static JsonObject *
item_event (VlEmuResponse * r, const gchar * type, VlEmuOut * o)
{
  JsonObject *ev = vl_emu_conn_event_new (r->conn, type);

  json_object_set_string_member (ev, "response_id", r->id);
  json_object_set_string_member (ev, "item_id", o->id);
  json_object_set_int_member (ev, "output_index", r->cur);
  return ev;
}

/* The whole item of an MCP or Foundry agent call that the service runs
 * itself, or an MCP approval request in its place (protocol-2026.md 2.6;
 * the order of these events is unverified). */
static void
send_server_call (VlEmuResponse * r)
{
  VlEmuConn *conn = r->conn;
  VlEmuOut *o = g_ptr_array_index (r->outs, r->cur);
  gboolean mcp = g_strcmp0 (o->call->type, "mcp") == 0;
  const gchar *prefix = mcp ? "response.mcp_call" :
      "response.foundry_agent_call";
  JsonObject *ev, *item;
  gchar *type;

  o->id = vl_emu_conn_new_id (conn, "item_");
  if (mcp && !o->approved && vl_emu_tools_needs_approval (conn, o->label,
          o->call->name)) {
    o->final = vl_emu_tools_approval_request (conn, r->id, r->cur, o->id,
        o->label, o->call);
    r->cur++;
    return;
  }
  item = vl_emu_tools_call_item (o->call, o->id, o->label, "in_progress",
      FALSE);
  ev = item_event (r, "response.output_item.added", o);
  json_object_remove_member (ev, "item_id");
  json_object_set_object_member (ev, "item", item);
  vl_emu_conn_send (conn, ev, NULL);

  type = g_strconcat (prefix, "_arguments.delta", NULL);
  ev = item_event (r, type, o);
  json_object_set_string_member (ev, "delta", o->call->arguments);
  vl_emu_conn_send (conn, ev, NULL);
  g_free (type);
  type = g_strconcat (prefix, "_arguments.done", NULL);
  ev = item_event (r, type, o);
  json_object_set_string_member (ev, "arguments", o->call->arguments);
  vl_emu_conn_send (conn, ev, NULL);
  g_free (type);
  type = g_strconcat (prefix, ".in_progress", NULL);
  vl_emu_conn_send (conn, item_event (r, type, o), NULL);
  g_free (type);
  type = g_strconcat (prefix, ".completed", NULL);
  ev = item_event (r, type, o);
  if (!mcp)
    json_object_set_string_member (ev, "agent_response_id", "agresp_emulated");
  vl_emu_conn_send (conn, ev, NULL);
  g_free (type);

  item = vl_emu_tools_call_item (o->call, o->id, o->label, "completed", TRUE);
  ev = item_event (r, "response.output_item.done", o);
  json_object_remove_member (ev, "item_id");
  json_object_set_object_member (ev, "item", json_object_ref (item));
  vl_emu_conn_send (conn, ev, NULL);
  vl_emu_conn_add_item (conn, json_object_ref (item));
  o->final = item;
  r->cur++;
}

static void
finish (VlEmuResponse * r, const gchar * status, const gchar * reason)
{
  VlEmuConn *conn = r->conn;
  gboolean cancelled = reason != NULL;
  JsonObject *ev, *resp, *details;
  JsonArray *output;
  gboolean dropping;
  guint i;

  conn->response = NULL;
  if (r->source_id) {
    g_source_remove (r->source_id);
    r->source_id = 0;
  }

  /* Barge-in stops the video where the audio stopped */
  if (!cancelled)
    send_video (r, TRUE);
  else
    vl_emu_webrtc_stop_turn (conn);
  if (r->avatar)
    send_avatar_state (r, "session.avatar.switch_to_idle");
  /* A cancelled response ends its partial item; later items never come. */
  if (r->cur_open)
    close_message (r, cancelled ? "incomplete" : "completed");

  resp = json_object_new ();
  json_object_set_string_member (resp, "id", r->id);
  json_object_set_string_member (resp, "object", "realtime.response");
  json_object_set_string_member (resp, "status", status);
  if (cancelled) {
    details = json_object_new ();
    json_object_set_string_member (details, "type", "cancelled");
    json_object_set_string_member (details, "reason", reason);
    json_object_set_object_member (resp, "status_details", details);
  } else {
    json_object_set_null_member (resp, "status_details");
  }
  output = json_array_new ();
  for (i = 0; i < r->outs->len; i++) {
    VlEmuOut *o = g_ptr_array_index (r->outs, i);

    if (o->final)
      json_array_add_object_element (output, json_object_ref (o->final));
  }
  json_object_set_array_member (resp, "output", output);
  json_object_set_object_member (resp, "usage", make_usage (r));
  echo_request (r, resp);
  ev = vl_emu_conn_event_new (conn, "response.done");
  json_object_set_object_member (ev, "response", resp);
  vl_emu_conn_send (conn, ev, NULL);

  response_free (r);
  dropping = vl_emu_fault_response_done (conn);

  /* A VAD turn that ended during this response gets its answer now. */
  if (conn->response_pending && !conn->server->shutting_down && !dropping) {
    VlEmuResponseSpec spec;

    conn->response_pending = FALSE;
    vl_emu_response_spec_init (conn, &spec);
    vl_emu_response_start (conn, &spec);
  }
}

static gboolean
step (gpointer data)
{
  VlEmuResponse *r = data;
  VlEmuOut *o;

  r->source_id = 0;
  if (r->cur < r->outs->len) {
    o = g_ptr_array_index (r->outs, r->cur);
    if (o->call && vl_emu_tools_is_server_call (o->call)) {
      send_server_call (r);
    } else if (o->call) {
      send_call (r);
    } else if (!r->cur_open) {
      open_message (r);
    } else {
      if (r->audio && r->deltas_sent < r->n_deltas) {
        /* Spread the words evenly over the audio, each just before its
         * audio. */
        guint target = (guint) (((guint64) (r->deltas_sent + 1) * r->n_words +
                r->n_deltas - 1) / r->n_deltas);

        while (r->words_sent < MIN (target, r->n_words))
          send_word (r);
        send_audio_delta (r);
        send_video (r, FALSE);
      } else if (!r->audio && r->words_sent < r->n_words) {
        send_word (r);
      }

      if ((!r->audio || r->deltas_sent >= r->n_deltas)
          && (r->audio || r->words_sent >= r->n_words)) {
        while (r->words_sent < r->n_words)
          send_word (r);
        close_message (r, "completed");
        /* The next message item opens at once, as the first one did. */
        if (r->cur < r->outs->len &&
            !((VlEmuOut *) g_ptr_array_index (r->outs, r->cur))->call)
          open_message (r);
      }
    }
  }

  if (r->cur >= r->outs->len) {
    finish (r, "completed", NULL);
    return G_SOURCE_REMOVE;
  }
  schedule_step (r);
  return G_SOURCE_REMOVE;
}

static void
schedule_step (VlEmuResponse * r)
{
  if (r->audio && r->realtime && r->rate) {
    /* A delta is due when the audio before it has played out. */
    gint64 due = r->start_us + (gint64) (r->samples_sent * G_USEC_PER_SEC /
        r->rate);
    gint64 wait_ms = (due - g_get_monotonic_time ()) / 1000;

    r->source_id = g_timeout_add ((guint) MAX (wait_ms, 0), step, r);
  } else {
    /* Idle priority: pending client events are always handled first. */
    r->source_id = g_idle_add (step, r);
  }
}

static void
send_script_error (VlEmuConn * conn, JsonObject * src)
{
  JsonObject *ev = vl_emu_conn_event_new (conn, "error");
  JsonObject *err = json_object_new ();
  JsonNode *param = json_object_get_member (src, "param");

  json_object_set_string_member (err, "type",
      json_object_get_string_member_with_default (src, "type", "server_error"));
  json_object_set_string_member (err, "code",
      json_object_get_string_member_with_default (src, "code", "server_error"));
  json_object_set_string_member (err, "message",
      json_object_get_string_member_with_default (src, "message",
          "Scripted error from the Voice Live emulator."));
  if (param)
    json_object_set_member (err, "param", json_node_copy (param));
  else
    json_object_set_null_member (err, "param");
  json_object_set_null_member (err, "event_id");
  json_object_set_object_member (ev, "error", err);
  vl_emu_conn_send (conn, ev, NULL);
}

/* The output items: the server-side calls (an approved MCP call first),
 * the assistant messages, then the function calls. Returns how many come
 * before the messages. */
static guint
add_outs (VlEmuResponse * r, const VlEmuResponseSpec * spec,
    const VlEmuScriptResponse * sr, guint n_msgs)
{
  guint i, n_server = 0;
  VlEmuOut *o;

  if (spec->exec_call) {
    o = g_new0 (VlEmuOut, 1);
    o->call = spec->exec_call;
    o->approved = TRUE;
    o->label = g_strdup (spec->exec_label);
    g_ptr_array_add (r->outs, o);
    n_server++;
  }
  for (i = 0; sr && i < sr->calls->len; i++) {
    const VlEmuScriptCall *c = g_ptr_array_index (sr->calls, i);

    if (!vl_emu_tools_is_server_call (c))
      continue;
    o = g_new0 (VlEmuOut, 1);
    o->call = c;
    o->label = g_strdup (c->server_label ? c->server_label :
        vl_emu_tools_mcp_label (r->conn));
    g_ptr_array_add (r->outs, o);
    n_server++;
  }
  for (i = 0; i < n_msgs; i++)
    g_ptr_array_add (r->outs, g_new0 (VlEmuOut, 1));
  for (i = 0; sr && i < sr->calls->len; i++) {
    const VlEmuScriptCall *c = g_ptr_array_index (sr->calls, i);

    if (vl_emu_tools_is_server_call (c))
      continue;
    o = g_new0 (VlEmuOut, 1);
    o->call = c;
    g_ptr_array_add (r->outs, o);
  }
  return n_server;
}

/* What the response says: say's text as is, an interim phrase when the
 * session wants one on a tool call, or the (scripted) template. */
static gchar *
response_text (VlEmuResponse * r, const VlEmuResponseSpec * spec,
    const VlEmuScriptResponse * sr, gboolean * interim)
{
  const gchar *tmpl = spec->text;

  *interim = FALSE;
  if (spec->say)
    return g_strdup (spec->say);
  if (sr && sr->calls->len > 0 && vl_emu_tools_interim_text (r->conn)) {
    *interim = TRUE;
    return g_strdup (vl_emu_tools_interim_text (r->conn));
  }
  if (sr && sr->text)
    tmpl = sr->text;
  if (tmpl)
    return expand_text (tmpl, r->seed);
  return g_strdup_printf ("This is answer number %u from the Voice "
      "Live emulator.", r->seed);
}

static void
read_request (VlEmuResponse * r, JsonObject * request)
{
  JsonNode *md = request ? json_object_get_member (request, "metadata") : NULL;

  if (md && !JSON_NODE_HOLDS_NULL (md))
    r->metadata = json_node_copy (md);
  if (request)
    r->conversation = g_strdup (json_object_get_string_member_with_default
        (request, "conversation", NULL));
}

void
vl_emu_response_start (VlEmuConn * conn, const VlEmuResponseSpec * spec)
{
  const VlEmuScriptResponse *sr = NULL;
  VlEmuResponse *r;
  gchar *text;
  gchar **split;
  GPtrArray *words;
  JsonObject *ev, *resp;
  guint reply_ms = spec->reply_ms, n_msgs = 1, n_server, i;
  gboolean audio = spec->audio, interim;

  g_return_if_fail (conn->response == NULL);

  /* The k-th response trigger of the connection uses responses[k]; say
   * and an approved MCP call are not triggers of the script. */
  if (!spec->say && !spec->exec_call)
    sr = vl_emu_script_get (conn->server->script, conn->n_slots++);
  if (sr && sr->events_before)
    for (i = 0; i < json_array_get_length (sr->events_before); i++)
      vl_emu_conn_send_raw (conn,
          json_array_get_object_element (sr->events_before, i));
  if (sr && sr->error) {
    send_script_error (conn, sr->error);
    return;
  }

  r = g_new0 (VlEmuResponse, 1);
  r->conn = conn;
  r->seed = ++conn->n_responses;
  r->id = vl_emu_conn_new_id (conn, "resp_");
  r->realtime = spec->realtime;
  r->said = g_string_new (NULL);
  r->outs = g_ptr_array_new_with_free_func (out_free);
  read_request (r, spec->request);

  if (sr) {
    if (sr->audio_ms >= 0)
      reply_ms = (guint) sr->audio_ms;
    if (reply_ms == 0)
      audio = FALSE;
    n_msgs = sr->audio_items;
  }
  text = response_text (r, spec, sr, &interim);
  /* With function calls, the message before them is optional. */
  if (sr && sr->calls->len > 0 && (reply_ms == 0 || !*text))
    n_msgs = 0;
  if (interim)
    n_msgs = MAX (n_msgs, 1);
  r->audio = audio;

  split = g_strsplit_set (text, " \t\n", -1);
  words = g_ptr_array_new ();
  for (i = 0; split[i]; i++)
    if (*split[i])
      g_ptr_array_add (words, g_strdup (split[i]));
  g_ptr_array_add (words, NULL);
  r->n_words = words->len - 1;
  r->words = (gchar **) g_ptr_array_free (words, FALSE);
  g_strfreev (split);

  n_server = add_outs (r, spec, sr, n_msgs);
  /* The first item's id comes right after the response's, as it always
   * did, so the ids of unscripted runs do not change. */
  if (n_msgs > 0 && n_server == 0)
    ((VlEmuOut *) g_ptr_array_index (r->outs, 0))->id =
        vl_emu_conn_new_id (conn, "item_");

  vl_emu_output_format (json_object_get_string_member_with_default
      (conn->session, "output_audio_format", "pcm16"), &r->rate, &r->kind);
  r->bps = r->kind == 'p' ? 2 : 1;
  r->odd = conn->server->opts.odd_deltas && r->kind == 'p';
  if (r->audio && n_msgs > 0 && conn->server->opts.speak) {
    /* The speech decides the length; reply_ms only chose audio or not. */
    r->speech = vl_emu_speech_synth (text, r->rate, &r->item_samples);
    r->item_bytes = r->item_samples * r->bps;
  } else if (r->audio) {
    r->item_samples = (guint64) reply_ms *r->rate / 1000;
    r->item_bytes = r->item_samples * r->bps;
  }
  g_free (text);
  r->avatar = r->audio && n_msgs > 0 && vl_emu_avatar_websocket (conn->session);
  if (r->avatar)
    render_video (r);
  else if (r->audio && n_msgs > 0 && vl_emu_avatar_webrtc (conn->session))
    play_webrtc (r);

  conn->response = r;

  resp = json_object_new ();
  json_object_set_string_member (resp, "id", r->id);
  json_object_set_string_member (resp, "object", "realtime.response");
  json_object_set_string_member (resp, "status", "in_progress");
  json_object_set_null_member (resp, "status_details");
  json_object_set_array_member (resp, "output", json_array_new ());
  echo_request (r, resp);
  ev = vl_emu_conn_event_new (conn, "response.created");
  json_object_set_object_member (ev, "response", resp);
  vl_emu_conn_send (conn, ev, NULL);

  vl_emu_fault_send_hostile (conn, r->id, n_msgs > 0 && n_server == 0 ?
      ((VlEmuOut *) g_ptr_array_index (r->outs, 0))->id : "item_none");

  if (r->avatar)
    send_avatar_state (r, "session.avatar.switch_to_speaking");
  if (n_msgs > 0 && n_server == 0)
    open_message (r);

  r->start_us = g_get_monotonic_time ();
  schedule_step (r);
}

void
vl_emu_response_cancel (VlEmuConn * conn, const gchar * reason)
{
  if (conn->response)
    finish (conn->response, "cancelled", reason);
}

void
vl_emu_response_abort (VlEmuConn * conn)
{
  if (conn->response) {
    response_free (conn->response);
    conn->response = NULL;
  }
}
