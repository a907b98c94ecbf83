/* gst-voicelive
 * voicelive-emulator: response generation.
 *
 * The audio is the deterministic signal of vl-emulator-audio.h, so a test can
 * check every sample the client outputs. Deltas go out one per main-loop
 * iteration (or at real-time pace with --realtime), which lets response.cancel
 * and barge-in land in the middle of a response as they do on the service.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "vl-emulator-response.h"
#include "vl-emulator-audio.h"
#include "vl-emulator-config.h"

struct _VlEmuResponse
{
  VlEmuConn *conn;
  gchar *id;
  gchar *item_id;
  guint seed;
  gboolean audio;
  gboolean realtime;

  gchar **words;
  guint n_words;
  guint words_sent;
  GString *said;                /* transcript / text sent so far */

  guint rate;
  gchar kind;
  guint64 total_samples;
  guint64 samples_sent;
  guint n_deltas;
  guint deltas_sent;

  gint64 start_us;
  guint source_id;
};

static void schedule_step (VlEmuResponse * r);

void
vl_emu_response_spec_init (VlEmuConn * conn, VlEmuResponseSpec * spec)
{
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
response_free (VlEmuResponse * r)
{
  if (r->source_id)
    g_source_remove (r->source_id);
  g_free (r->id);
  g_free (r->item_id);
  g_strfreev (r->words);
  g_string_free (r->said, TRUE);
  g_free (r);
}

static guint64
delta_samples (VlEmuResponse * r, guint index)
{
  return (guint64) vl_emu_delta_ms[index % VL_EMU_N_DELTA_SIZES] * r->rate /
      1000;
}

/* Common leading fields of the per-part events. */
static JsonObject *
part_event (VlEmuResponse * r, const gchar * type)
{
  JsonObject *ev = vl_emu_conn_event_new (r->conn, type);

  json_object_set_string_member (ev, "response_id", r->id);
  json_object_set_string_member (ev, "item_id", r->item_id);
  json_object_set_int_member (ev, "output_index", 0);
  json_object_set_int_member (ev, "content_index", 0);
  return ev;
}

static JsonObject *
make_part (VlEmuResponse * r)
{
  JsonObject *part = json_object_new ();

  json_object_set_string_member (part, "type", r->audio ? "audio" : "text");
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
    json_array_add_object_element (content, make_part (r));
  json_object_set_array_member (item, "content", content);
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
  gint64 out_text = r->words_sent;

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
  vl_emu_conn_send (r->conn, ev, NULL);
  g_free (delta);
}

static void
send_audio_delta (VlEmuResponse * r)
{
  guint64 n = MIN (delta_samples (r, r->deltas_sent),
      r->total_samples - r->samples_sent);
  gsize bytes = r->kind == 'p' ? n * 2 : n;
  guint8 *buf = g_malloc (MAX (bytes, 1));
  VlEmuDeltaInfo info;
  VlEmuItem *item;
  JsonObject *ev;
  gchar *b64;
  guint64 i;

  for (i = 0; i < n; i++) {
    gint16 s = vl_emu_sample (r->seed, r->samples_sent + i, r->rate);

    if (r->kind == 'u')
      buf[i] = vl_emu_linear_to_mulaw (s);
    else if (r->kind == 'a')
      buf[i] = vl_emu_linear_to_alaw (s);
    else {
      buf[2 * i] = (guint8) (s & 0xff);
      buf[2 * i + 1] = (guint8) (((guint16) s) >> 8);
    }
  }
  b64 = g_base64_encode (buf, bytes);
  g_free (buf);

  ev = part_event (r, "response.audio.delta");
  json_object_set_string_member (ev, "delta", b64);
  g_free (b64);
  info.seed = r->seed;
  info.offset = r->samples_sent;
  info.samples = n;
  r->samples_sent += n;
  r->deltas_sent++;
  item = g_hash_table_lookup (r->conn->items, r->item_id);
  if (item)
    item->audio_samples = r->samples_sent;
  vl_emu_conn_send (r->conn, ev, &info);
}

static void
finish (VlEmuResponse * r, const gchar * status, const gchar * reason)
{
  VlEmuConn *conn = r->conn;
  gboolean cancelled = reason != NULL;
  JsonObject *ev, *resp, *details;
  JsonArray *output;
  VlEmuItem *item;

  conn->response = NULL;
  if (r->source_id) {
    g_source_remove (r->source_id);
    r->source_id = 0;
  }

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
  json_object_set_object_member (ev, "part", make_part (r));
  vl_emu_conn_send (conn, ev, NULL);

  ev = vl_emu_conn_event_new (conn, "response.output_item.done");
  json_object_set_string_member (ev, "response_id", r->id);
  json_object_set_int_member (ev, "output_index", 0);
  json_object_set_object_member (ev, "item", make_item (r,
          cancelled ? "incomplete" : "completed", TRUE));
  vl_emu_conn_send (conn, ev, NULL);

  item = g_hash_table_lookup (conn->items, r->item_id);
  if (item) {
    json_object_unref (item->item);
    item->item = make_item (r, cancelled ? "incomplete" : "completed", TRUE);
  }

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
  json_array_add_object_element (output, make_item (r,
          cancelled ? "incomplete" : "completed", TRUE));
  json_object_set_array_member (resp, "output", output);
  json_object_set_object_member (resp, "usage", make_usage (r));
  ev = vl_emu_conn_event_new (conn, "response.done");
  json_object_set_object_member (ev, "response", resp);
  vl_emu_conn_send (conn, ev, NULL);

  response_free (r);

  /* A VAD turn that ended during this response gets its answer now. */
  if (conn->response_pending && !conn->server->shutting_down) {
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

  r->source_id = 0;
  if (r->audio && r->deltas_sent < r->n_deltas) {
    /* Spread the words evenly over the audio, each just before its audio. */
    guint target = (guint) (((guint64) (r->deltas_sent + 1) * r->n_words +
            r->n_deltas - 1) / r->n_deltas);

    while (r->words_sent < MIN (target, r->n_words))
      send_word (r);
    send_audio_delta (r);
  } else if (!r->audio && r->words_sent < r->n_words) {
    send_word (r);
  }

  if ((!r->audio || r->deltas_sent >= r->n_deltas)
      && (r->audio || r->words_sent >= r->n_words)) {
    while (r->words_sent < r->n_words)
      send_word (r);
    finish (r, "completed", NULL);
    return G_SOURCE_REMOVE;
  }
  schedule_step (r);
  return G_SOURCE_REMOVE;
}

static void
schedule_step (VlEmuResponse * r)
{
  if (r->audio && r->realtime) {
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

void
vl_emu_response_start (VlEmuConn * conn, const VlEmuResponseSpec * spec)
{
  VlEmuResponse *r = g_new0 (VlEmuResponse, 1);
  gchar *default_text = NULL;
  gchar **split;
  GPtrArray *words;
  JsonObject *ev, *resp;
  VlEmuItem *item;
  guint i;

  g_return_if_fail (conn->response == NULL);

  r->conn = conn;
  r->seed = ++conn->n_responses;
  r->id = vl_emu_conn_new_id (conn, "resp_");
  r->item_id = vl_emu_conn_new_id (conn, "item_");
  r->audio = spec->audio;
  r->realtime = spec->realtime;
  r->said = g_string_new (NULL);

  if (!spec->text)
    default_text = g_strdup_printf ("This is answer number %u from the Voice "
        "Live emulator.", r->seed);
  split = g_strsplit_set (spec->text ? spec->text : default_text, " \t\n", -1);
  words = g_ptr_array_new ();
  for (i = 0; split[i]; i++)
    if (*split[i])
      g_ptr_array_add (words, g_strdup (split[i]));
  g_ptr_array_add (words, NULL);
  r->n_words = words->len - 1;
  r->words = (gchar **) g_ptr_array_free (words, FALSE);
  g_strfreev (split);
  g_free (default_text);

  vl_emu_output_format (json_object_get_string_member_with_default
      (conn->session, "output_audio_format", "pcm16"), &r->rate, &r->kind);
  if (r->audio) {
    guint64 left;

    r->total_samples = (guint64) spec->reply_ms * r->rate / 1000;
    for (left = r->total_samples; left > 0; r->n_deltas++)
      left -= MIN (left, delta_samples (r, r->n_deltas));
  }

  conn->response = r;

  resp = json_object_new ();
  json_object_set_string_member (resp, "id", r->id);
  json_object_set_string_member (resp, "object", "realtime.response");
  json_object_set_string_member (resp, "status", "in_progress");
  json_object_set_null_member (resp, "status_details");
  json_object_set_array_member (resp, "output", json_array_new ());
  ev = vl_emu_conn_event_new (conn, "response.created");
  json_object_set_object_member (ev, "response", resp);
  vl_emu_conn_send (conn, ev, NULL);

  ev = vl_emu_conn_event_new (conn, "response.output_item.added");
  json_object_set_string_member (ev, "response_id", r->id);
  json_object_set_int_member (ev, "output_index", 0);
  json_object_set_object_member (ev, "item", make_item (r, "in_progress",
          FALSE));
  vl_emu_conn_send (conn, ev, NULL);

  item = vl_emu_conn_add_item (conn, make_item (r, "in_progress", FALSE));
  item->assistant_audio = r->audio;
  item->audio_rate = r->rate;
  ev = vl_emu_conn_event_new (conn, "conversation.item.created");
  if (conn->last_item_id)
    json_object_set_string_member (ev, "previous_item_id", conn->last_item_id);
  else
    json_object_set_null_member (ev, "previous_item_id");
  json_object_set_object_member (ev, "item", make_item (r, "in_progress",
          FALSE));
  g_free (conn->last_item_id);
  conn->last_item_id = g_strdup (r->item_id);
  vl_emu_conn_send (conn, ev, NULL);

  ev = part_event (r, "response.content_part.added");
  json_object_set_object_member (ev, "part", make_part (r));
  vl_emu_conn_send (conn, ev, NULL);

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
