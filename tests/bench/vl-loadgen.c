/* gst-voicelive
 * vl-loadgen: a light Voice Live server for the bench's sessions ramp.
 * One thread, one epoll loop over the listening socket, a signalfd and every
 * WebSocket connection; no GMainLoop, libsoup or json-glib on the way.
 *
 * It speaks what the ramp's sessions use, as voicelive-emulator does with
 * its defaults (server_vad, 1.2 s answers of 24 kHz pcm16): session.created
 * and session.updated, appends fed to the emulator's own energy VAD
 * (vl-emulator-vad.c, so turns end on the same samples), and per turn the
 * emulator's event sequence, ids and delta sizes. The answer's audio deltas
 * are encoded once at start-up (response 1's samples for every answer) and
 * each answer goes out with one writev(). Not emulated: everything else
 * (tools, transcription, manual commits, other formats, errors, GA dialect).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <glib.h>

#include "vl-emulator-audio.h"
#include "vl-emulator-ids.h"
#include "vl-emulator-vad.h"

#define RATE 24000
#define FRAME_SAMPLES (RATE / 100)
#define REPLY_MS 1200
#define REPLY_BYTES (REPLY_MS * RATE / 1000 * 2)
#define MAX_DELTAS 64
#define MAX_MESSAGE (16 * 1024 * 1024)
#define MAX_QUEUE (64 * 1024 * 1024)
#define READ_SIZE (256 * 1024)
#define RECORD_FLUSH (256 * 1024)
#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

/* The answer's audio, shared by every connection: delta i is
 * `"<base64>"}`, the end of its JSON text. */
static struct
{
  guint n;
  gchar *body[MAX_DELTAS];
  gsize body_len[MAX_DELTAS];
  guint bytes[MAX_DELTAS];
} answer;

/* An answer frame still cancellable by barge-in: where it starts in the
 * connection's byte stream and what the client has of the answer once
 * the frames before it are delivered. */
typedef struct
{
  guint64 pos;
  guint words;
  guint bytes;
} Tracked;

typedef struct
{
  int fd;
  guint num;
  gboolean upgraded;
  gboolean closing;             /* close frame sent: drop when drained */
  gchar *model;

  /* input not parsed yet (usually none: reads go to a shared buffer) */
  guint8 *in;
  gsize in_len, in_cap;
  /* a fragmented text message */
  GByteArray *frag;
  guint in_frag;                /* 0, 1: text, 2: binary (dropped) */

  /* output the socket did not take; out[head..len) starts at sent_pos */
  guint8 *out;
  gsize out_head, out_len, out_cap;
  guint64 sent_pos;
  guint64 queued_end;           /* sent_pos + queued bytes */
  gboolean want_out;

  /* protocol */
  guint64 id_counter;
  gchar *sess_id;
  gchar *last_item_id;
  gchar *speech_item_id;
  guint n_responses;
  guint64 input_audio_ms;
  VlEmuVad vad;
  gint16 frame[FRAME_SAMPLES];
  guint frame_fill;
  guint64 in_samples;
  gboolean has_odd_byte;
  guint8 odd_byte;

  /* the last answer, for a barge-in cancel */
  gchar *resp_id, *resp_item;
  guint resp_seed;
  guint64 resp_end;
  Tracked tracked[2 * MAX_DELTAS];
  guint n_tracked;
} Conn;

/* Frames produced while one connection's input is handled, written by one
 * writev() when it is done. */
typedef struct
{
  const guint8 *ext;            /* shared bytes, or NULL: batch.bytes + off */
  gsize off, len;
  guint64 pos;
} Seg;

static struct
{
  Conn *conn;
  GByteArray *bytes;
  GArray *segs;
  guint64 start, end;
} batch;

static struct
{
  int ep, lfd, sfd;
  guint n_conns;
  GHashTable *conns;
  gboolean verbose;
  gint sndbuf;
  gint tick_us;
  GHashTable *unknown;          /* event types logged once */
  FILE *rec;
  GString *rec_pending;
  guint64 rec_seq;
  gint64 start_us;
  guint8 *rbuf;
  guint8 *dec;
  gsize dec_cap;
  GString *js;
} lg;

static const VlEmuVadParams vad_params = { 0.5, 300, 500, 0 };

static void
vlog (const gchar * what, const gchar * detail)
{
  if (!lg.verbose)
    return;
  if (g_hash_table_contains (lg.unknown, what))
    return;
  g_hash_table_add (lg.unknown, g_strdup (what));
  g_printerr ("vl-loadgen: ignoring %s%s%s\n", what, detail ? ": " : "",
      detail ? detail : "");
}

/* ---- record ---- */

static void
record_flush (void)
{
  const gchar *p = lg.rec_pending->str;
  gsize left = lg.rec_pending->len;

  while (left > 0) {
    gssize n = write (fileno (lg.rec), p, left);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    p += n;
    left -= (gsize) n;
  }
  g_string_truncate (lg.rec_pending, 0);
}

static void
record_append (Conn * c, gint64 now_us, gsize bytes)
{
  if (!lg.rec)
    return;
  g_string_append_printf (lg.rec_pending, "{\"seq\":%" G_GUINT64_FORMAT
      ",\"conn\":%u,\"t_ms\":%" G_GINT64_FORMAT ",\"mono_us\":%"
      G_GINT64_FORMAT ",\"dir\":\"client\",\"type\":"
      "\"input_audio_buffer.append\",\"audio_bytes\":%" G_GSIZE_FORMAT
      ",\"channels\":1}\n", ++lg.rec_seq, c->num,
      (now_us - lg.start_us) / 1000, now_us, bytes);
  if (lg.rec_pending->len >= RECORD_FLUSH)
    record_flush ();
}

/* ---- output ---- */

static void
conn_want_out (Conn * c, gboolean on)
{
  struct epoll_event ev = { 0 };

  if (c->want_out == on)
    return;
  c->want_out = on;
  ev.events = EPOLLIN | (on ? EPOLLOUT : 0);
  ev.data.ptr = c;
  epoll_ctl (lg.ep, EPOLL_CTL_MOD, c->fd, &ev);
}

static void
queue_bytes (Conn * c, const guint8 * p, gsize n)
{
  if (c->out_head > 0 && c->out_head == c->out_len)
    c->out_head = c->out_len = 0;
  if (c->out_len + n > c->out_cap) {
    if (c->out_head > 0) {
      memmove (c->out, c->out + c->out_head, c->out_len - c->out_head);
      c->out_len -= c->out_head;
      c->out_head = 0;
    }
    if (c->out_len + n > c->out_cap) {
      c->out_cap = MAX (c->out_cap * 2, c->out_len + n);
      c->out = g_realloc (c->out, c->out_cap);
    }
  }
  memcpy (c->out + c->out_len, p, n);
  c->out_len += n;
  c->queued_end += n;
}

static void batch_begin (Conn * c);

static void
batch_add (const guint8 * ext, const void *data, gsize len, gboolean new_seg)
{
  Seg *last = batch.segs->len ? &g_array_index (batch.segs, Seg,
      batch.segs->len - 1) : NULL;
  Seg s = { ext, 0, len, batch.end };

  if (len == 0)
    return;
  if (!ext) {
    s.off = batch.bytes->len;
    g_byte_array_append (batch.bytes, data, len);
    if (!new_seg && last && !last->ext && last->off + last->len == s.off) {
      last->len += len;
      batch.end += len;
      return;
    }
  }
  g_array_append_val (batch.segs, s);
  batch.end += len;
}

/* One server frame: header, @head (copied) and @tail (shared, not copied). */
static void
batch_frame (guint8 opcode, const void *head, gsize head_len,
    const gchar * tail, gsize tail_len, gboolean new_seg)
{
  guint8 h[10];
  gsize n = head_len + tail_len, hl;

  h[0] = 0x80 | opcode;
  if (n < 126) {
    h[1] = (guint8) n;
    hl = 2;
  } else if (n < 65536) {
    h[1] = 126;
    h[2] = (guint8) (n >> 8);
    h[3] = (guint8) n;
    hl = 4;
  } else {
    guint i;

    h[1] = 127;
    for (i = 0; i < 8; i++)
      h[2 + i] = (guint8) ((guint64) n >> (56 - 8 * i));
    hl = 10;
  }
  batch_add (NULL, h, hl, new_seg);
  batch_add (NULL, head, head_len, FALSE);
  if (tail_len)
    batch_add ((const guint8 *) tail, NULL, tail_len, TRUE);
}

static void
batch_text (const GString * s)
{
  batch_frame (0x1, s->str, s->len, NULL, 0, FALSE);
}

static void
batch_begin (Conn * c)
{
  batch.conn = c;
  g_byte_array_set_size (batch.bytes, 0);
  g_array_set_size (batch.segs, 0);
  batch.start = batch.end = c->queued_end;
}

/* Write what the batch holds: one writev() unless the socket is full. */
static gboolean
batch_flush (void)
{
  Conn *c = batch.conn;
  struct iovec iov[256];
  guint i = 0, k;
  gboolean ok = TRUE;

  batch.conn = NULL;
  if (!c || batch.segs->len == 0)
    return TRUE;
  while (i < batch.segs->len) {
    gsize total = 0;
    gssize w = 0;
    guint n = 0;

    if (c->out_len == c->out_head) {
      for (k = i; k < batch.segs->len && n < G_N_ELEMENTS (iov); k++, n++) {
        Seg *s = &g_array_index (batch.segs, Seg, k);

        iov[n].iov_base = (void *) (s->ext ? s->ext : batch.bytes->data +
            s->off);
        iov[n].iov_len = s->len;
        total += s->len;
      }
      do
        w = writev (c->fd, iov, n);
      while (w < 0 && errno == EINTR);
      if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        ok = FALSE;
        break;
      }
      w = MAX (w, 0);
      c->sent_pos += (guint64) w;
      c->queued_end += (guint64) w;
      if ((gsize) w == total) {
        i += n;
        continue;
      }
    }
    /* The rest waits for EPOLLOUT. */
    for (k = i; k < batch.segs->len; k++) {
      Seg *s = &g_array_index (batch.segs, Seg, k);
      const guint8 *p = s->ext ? s->ext : batch.bytes->data + s->off;

      if ((gsize) w >= s->len) {
        w -= (gssize) s->len;
        continue;
      }
      queue_bytes (c, p + w, s->len - (gsize) w);
      w = 0;
    }
    break;
  }
  if (ok && c->out_len - c->out_head > MAX_QUEUE)
    ok = FALSE;
  if (ok)
    conn_want_out (c, c->out_len > c->out_head);
  return ok;
}

static gboolean
conn_write_queued (Conn * c)
{
  while (c->out_head < c->out_len) {
    gssize w = write (c->fd, c->out + c->out_head, c->out_len - c->out_head);

    if (w < 0 && errno == EINTR)
      continue;
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return TRUE;
    if (w <= 0)
      return FALSE;
    c->out_head += (gsize) w;
    c->sent_pos += (guint64) w;
  }
  c->out_head = c->out_len = 0;
  conn_want_out (c, FALSE);
  return !c->closing;
}

/* Drop everything from stream position @pos on (a frame start, not yet
 * written: in the batch or in the queue). */
static void
cut_output (Conn * c, guint64 pos)
{
  if (batch.conn == c && pos >= batch.start) {
    guint k;

    for (k = 0; k < batch.segs->len; k++) {
      Seg *s = &g_array_index (batch.segs, Seg, k);

      if (s->pos == pos) {
        if (!s->ext)
          g_byte_array_set_size (batch.bytes, s->off);
        g_array_set_size (batch.segs, k);
        batch.end = pos;
        return;
      }
    }
    g_assert_not_reached ();
  }
  /* in the queue: then the batch holds nothing after it */
  g_assert (pos >= c->sent_pos && pos <= c->queued_end);
  c->out_len -= (gsize) (c->queued_end - pos);
  c->queued_end = pos;
  if (batch.conn == c)
    batch.start = batch.end = pos;
}

/* ---- protocol ---- */

static gchar *
new_id (Conn * c, const gchar * prefix)
{
  return vl_emu_make_id (prefix, c->num, ++c->id_counter);
}

/* {"type":T,"event_id":"event_..." (left open) */
static GString *
ev_begin (Conn * c, const gchar * type)
{
  gchar *id = new_id (c, "event_");

  g_string_truncate (lg.js, 0);
  g_string_append_printf (lg.js, "{\"type\":\"%s\",\"event_id\":\"%s\"",
      type, id);
  g_free (id);
  return lg.js;
}

static void
ev_send (GString * s)
{
  g_string_append_c (s, '}');
  batch_text (s);
}

static void
append_prev (GString * s, const gchar * prev)
{
  if (prev)
    g_string_append_printf (s, ",\"previous_item_id\":\"%s\"", prev);
  else
    g_string_append (s, ",\"previous_item_id\":null");
}

static void
send_session (Conn * c, const gchar * type)
{
  GString *s = ev_begin (c, type);

  g_string_append_printf (s, ",\"session\":{\"id\":\"%s\",\"object\":"
      "\"realtime.session\",\"model\":\"%s\",\"modalities\":[\"text\","
      "\"audio\"],\"instructions\":\"\",\"voice\":{\"name\":"
      "\"en-US-Ava:DragonHDLatestNeural\",\"type\":\"azure-standard\"},"
      "\"input_audio_format\":\"pcm16\",\"input_audio_sampling_rate\":24000,"
      "\"output_audio_format\":\"pcm16\",\"turn_detection\":{\"type\":"
      "\"server_vad\",\"threshold\":0.5,\"prefix_padding_ms\":300,"
      "\"silence_duration_ms\":500,\"create_response\":true,"
      "\"interrupt_response\":true},\"input_audio_transcription\":null,"
      "\"input_audio_noise_reduction\":null,"
      "\"input_audio_echo_cancellation\":null,\"tools\":[],\"tool_choice\":"
      "\"auto\",\"temperature\":0.8,\"max_response_output_tokens\":\"inf\","
      "\"agent\":null,\"expires_at\":%" G_GINT64_FORMAT "}", c->sess_id,
      c->model, g_get_real_time () / G_USEC_PER_SEC + 30 * 60);
  ev_send (s);
}

static void
part_fields (GString * s, Conn * c)
{
  g_string_append_printf (s, ",\"response_id\":\"%s\",\"item_id\":\"%s\","
      "\"output_index\":0,\"content_index\":0", c->resp_id, c->resp_item);
}

static void
append_item (GString * s, Conn * c, const gchar * status, const gchar * said)
{
  g_string_append_printf (s, "{\"id\":\"%s\",\"object\":\"realtime.item\","
      "\"type\":\"message\",\"role\":\"assistant\",\"status\":\"%s\","
      "\"content\":[", c->resp_item, status);
  if (said)
    g_string_append_printf (s, "{\"type\":\"audio\",\"transcript\":\"%s\"}",
        said);
  g_string_append (s, "]}");
}

/* The .done events of the answer and response.done, as the emulator's
 * close_message() and finish() send them. */
static void
send_answer_end (Conn * c, const gchar * said, guint words, guint bytes,
    const gchar * reason)
{
  gint64 in_audio = (gint64) (c->input_audio_ms / 100), in_text = 20;
  gint64 out_audio = (gint64) bytes / 2 * 20 / RATE, out_text = words;
  const gchar *status = reason ? "incomplete" : "completed";
  GString *s;

  s = ev_begin (c, "response.audio.done");
  part_fields (s, c);
  ev_send (s);
  s = ev_begin (c, "response.audio_transcript.done");
  part_fields (s, c);
  g_string_append_printf (s, ",\"transcript\":\"%s\"", said);
  ev_send (s);
  s = ev_begin (c, "response.content_part.done");
  part_fields (s, c);
  g_string_append_printf (s, ",\"part\":{\"type\":\"audio\",\"transcript\":"
      "\"%s\"}", said);
  ev_send (s);
  s = ev_begin (c, "response.output_item.done");
  g_string_append_printf (s, ",\"response_id\":\"%s\",\"output_index\":0,"
      "\"item\":", c->resp_id);
  append_item (s, c, status, said);
  ev_send (s);

  s = ev_begin (c, "response.done");
  g_string_append_printf (s, ",\"response\":{\"id\":\"%s\",\"object\":"
      "\"realtime.response\",\"status\":\"%s\",\"status_details\":",
      c->resp_id, reason ? "cancelled" : "completed");
  if (reason)
    g_string_append_printf (s, "{\"type\":\"cancelled\",\"reason\":\"%s\"}",
        reason);
  else
    g_string_append (s, "null");
  g_string_append (s, ",\"output\":[");
  append_item (s, c, status, said);
  g_string_append_printf (s, "],\"usage\":{\"total_tokens\":%" G_GINT64_FORMAT
      ",\"input_tokens\":%" G_GINT64_FORMAT ",\"output_tokens\":%"
      G_GINT64_FORMAT ",\"input_token_details\":{\"cached_tokens\":0,"
      "\"text_tokens\":%" G_GINT64_FORMAT ",\"audio_tokens\":%" G_GINT64_FORMAT
      ",\"image_tokens\":0,\"cached_tokens_details\":{\"text_tokens\":0,"
      "\"audio_tokens\":0,\"image_tokens\":0}},\"output_token_details\":{"
      "\"text_tokens\":%" G_GINT64_FORMAT ",\"audio_tokens\":%" G_GINT64_FORMAT
      ",\"reasoning_tokens\":0}},\"metadata\":null,\"conversation\":\"auto\"}",
      in_audio + in_text + out_audio + out_text, in_audio + in_text,
      out_audio + out_text, in_text, in_audio, out_text, out_audio);
  ev_send (s);
}

/* The whole answer, in the emulator's order: the words of the transcript
 * spread over the audio deltas, each just before its audio. */
static void
send_answer (Conn * c)
{
  gchar *text, **words;
  guint n_words, sent = 0, d, bytes = 0;
  GString *said = g_string_new (NULL);
  GString *s;

  g_free (c->resp_id);
  g_free (c->resp_item);
  c->resp_seed = ++c->n_responses;
  c->resp_id = new_id (c, "resp_");
  c->resp_item = new_id (c, "item_");
  c->n_tracked = 0;

  s = ev_begin (c, "response.created");
  g_string_append_printf (s, ",\"response\":{\"id\":\"%s\",\"object\":"
      "\"realtime.response\",\"status\":\"in_progress\",\"status_details\":"
      "null,\"output\":[],\"metadata\":null,\"conversation\":\"auto\"}",
      c->resp_id);
  ev_send (s);
  s = ev_begin (c, "response.output_item.added");
  g_string_append_printf (s, ",\"response_id\":\"%s\",\"output_index\":0,"
      "\"item\":", c->resp_id);
  append_item (s, c, "in_progress", NULL);
  ev_send (s);
  s = ev_begin (c, "conversation.item.created");
  append_prev (s, c->last_item_id);
  g_string_append (s, ",\"item\":");
  append_item (s, c, "in_progress", NULL);
  ev_send (s);
  g_free (c->last_item_id);
  c->last_item_id = g_strdup (c->resp_item);
  s = ev_begin (c, "response.content_part.added");
  part_fields (s, c);
  g_string_append (s, ",\"part\":{\"type\":\"audio\",\"transcript\":\"\"}");
  ev_send (s);

  text = g_strdup_printf ("This is answer number %u from the Voice Live "
      "emulator.", c->resp_seed);
  words = g_strsplit (text, " ", -1);
  n_words = g_strv_length (words);
  for (d = 0; d < answer.n; d++) {
    guint target = ((d + 1) * n_words + answer.n - 1) / answer.n;
    Tracked *t;

    while (sent < MIN (target, n_words)) {
      const gchar *sep = sent + 1 < n_words ? " " : "";

      t = &c->tracked[c->n_tracked++];
      t->pos = batch.end;
      t->words = sent;
      t->bytes = bytes;
      s = ev_begin (c, "response.audio_transcript.delta");
      part_fields (s, c);
      g_string_append_printf (s, ",\"delta\":\"%s%s\"}", words[sent], sep);
      batch_frame (0x1, s->str, s->len, NULL, 0, TRUE);
      g_string_append (said, words[sent]);
      g_string_append (said, sep);
      sent++;
    }
    t = &c->tracked[c->n_tracked++];
    t->pos = batch.end;
    t->words = sent;
    t->bytes = bytes;
    s = ev_begin (c, "response.audio.delta");
    part_fields (s, c);
    g_string_append (s, ",\"delta\":\"");
    batch_frame (0x1, s->str, s->len, answer.body[d], answer.body_len[d], TRUE);
    bytes += answer.bytes[d];
  }
  /* the .done events are cut with the deltas on a cancel */
  {
    Tracked *t = &c->tracked[c->n_tracked++];

    t->pos = batch.end;
    t->words = sent;
    t->bytes = bytes;
  }
  send_answer_end (c, said->str, sent, bytes, NULL);
  c->resp_end = batch.end;
  g_string_free (said, TRUE);
  g_strfreev (words);
  g_free (text);
}

/* Barge-in: an answer whose frames are not all written yet is cut where
 * the client has not started reading and ends as cancelled. The emulator
 * cancels between its main-loop steps; here an answer is in progress as
 * long as it waits in the output. */
static gboolean
cancel_answer (Conn * c, guint64 * cut_at, Tracked * at)
{
  guint64 end = batch.conn == c ? batch.end : c->queued_end;
  guint k;

  if (!c->resp_id || c->n_tracked == 0 || end != c->resp_end)
    return FALSE;
  for (k = 0; k < c->n_tracked; k++)
    if (c->tracked[k].pos >= c->sent_pos)
      break;
  /* the last entry is the .done events: all audio is out, it is done */
  if (k >= c->n_tracked - 1)
    return FALSE;
  *cut_at = c->tracked[k].pos;
  *at = c->tracked[k];
  return TRUE;
}

static void
vad_event (Conn * c, VlEmuVadEvent what, gint64 ms)
{
  GString *s;

  if (what == VL_EMU_VAD_STARTED) {
    guint64 cut;
    Tracked at;
    gboolean cancel = cancel_answer (c, &cut, &at);

    if (cancel)
      cut_output (c, cut);
    g_free (c->speech_item_id);
    c->speech_item_id = new_id (c, "item_");
    s = ev_begin (c, "input_audio_buffer.speech_started");
    g_string_append_printf (s, ",\"audio_start_ms\":%" G_GINT64_FORMAT
        ",\"item_id\":\"%s\"", ms, c->speech_item_id);
    ev_send (s);
    if (cancel) {
      gchar *text = g_strdup_printf ("This is answer number %u from the "
          "Voice Live emulator.", c->resp_seed);
      gchar **words = g_strsplit (text, " ", -1);
      GString *said = g_string_new (NULL);
      guint i;

      for (i = 0; i < at.words; i++) {
        g_string_append (said, words[i]);
        if (words[i + 1])
          g_string_append_c (said, ' ');
      }
      send_answer_end (c, said->str, at.words, at.bytes, "turn_detected");
      c->n_tracked = 0;
      g_string_free (said, TRUE);
      g_strfreev (words);
      g_free (text);
    }
    return;
  }

  s = ev_begin (c, "input_audio_buffer.speech_stopped");
  g_string_append_printf (s, ",\"audio_end_ms\":%" G_GINT64_FORMAT
      ",\"item_id\":\"%s\"", ms, c->speech_item_id);
  ev_send (s);
  s = ev_begin (c, "input_audio_buffer.committed");
  append_prev (s, c->last_item_id);
  g_string_append_printf (s, ",\"item_id\":\"%s\"", c->speech_item_id);
  ev_send (s);
  s = ev_begin (c, "conversation.item.created");
  append_prev (s, c->last_item_id);
  g_string_append_printf (s, ",\"item\":{\"id\":\"%s\",\"object\":"
      "\"realtime.item\",\"type\":\"message\",\"role\":\"user\",\"status\":"
      "\"completed\",\"content\":[{\"type\":\"input_audio\",\"transcript\":"
      "null}]}", c->speech_item_id);
  ev_send (s);
  g_free (c->last_item_id);
  c->last_item_id = c->speech_item_id;
  c->speech_item_id = NULL;
  c->input_audio_ms += (guint64) MAX (ms - c->vad.speech_start_ms, 0);
  send_answer (c);
}

static void
frame_done (Conn * c)
{
  VlEmuVadEvent what;
  gint64 ms = 0;

  c->frame_fill = 0;
  what = vl_emu_vad_frame (&c->vad, &vad_params, c->frame, FRAME_SAMPLES,
      (gint64) (c->in_samples * 1000 / RATE), &ms);
  if (what != VL_EMU_VAD_NONE)
    vad_event (c, what, ms);
}

/* As the emulator's feed_audio() for pcm16. */
static void
feed_audio (Conn * c, const guint8 * data, gsize len)
{
  gsize i = 0;

  if (c->has_odd_byte && len > 0) {
    c->frame[c->frame_fill++] = (gint16) (c->odd_byte | (data[0] << 8));
    c->in_samples++;
    c->has_odd_byte = FALSE;
    i = 1;
    if (c->frame_fill == FRAME_SAMPLES)
      frame_done (c);
  }
  while (i + 1 < len) {
    gsize n = MIN (FRAME_SAMPLES - c->frame_fill, (len - i) / 2), k;
    gint16 *f = c->frame + c->frame_fill;

    for (k = 0; k < n; k++, i += 2)
      f[k] = (gint16) (data[i] | (data[i + 1] << 8));
    c->frame_fill += n;
    c->in_samples += n;
    if (c->frame_fill == FRAME_SAMPLES)
      frame_done (c);
  }
  if (i < len) {
    c->odd_byte = data[i];
    c->has_odd_byte = TRUE;
  }
}

static inline gint
b64v (guchar ch)
{
  if (ch >= 'A' && ch <= 'Z')
    return ch - 'A';
  if (ch >= 'a' && ch <= 'z')
    return ch - 'a' + 26;
  if (ch >= '0' && ch <= '9')
    return ch - '0' + 52;
  if (ch == '+')
    return 62;
  if (ch == '/')
    return 63;
  return -1;
}

/* Strict RFC 4648, as the emulator: whole quads, at most two '=' at the
 * end; into the shared decode buffer. */
static gboolean
b64_decode (const gchar * s, gsize len, gsize * out_len)
{
  gsize pad = 0, full, i, o = 0;
  guint8 *out;
  gint a, b, c, d;

  if (len % 4 != 0)
    return FALSE;
  if (len > 0 && s[len - 1] == '=')
    pad = s[len - 2] == '=' ? 2 : 1;
  else if (len > 0 && s[len - 2] == '=')
    return FALSE;
  if (len / 4 * 3 > lg.dec_cap) {
    lg.dec_cap = len / 4 * 3;
    lg.dec = g_realloc (lg.dec, lg.dec_cap);
  }
  out = lg.dec;
  full = pad ? len - 4 : len;
  for (i = 0; i < full; i += 4) {
    guint32 v;

    a = b64v (s[i]);
    b = b64v (s[i + 1]);
    c = b64v (s[i + 2]);
    d = b64v (s[i + 3]);
    if ((a | b | c | d) < 0)
      return FALSE;
    v = ((guint32) a << 18) | ((guint32) b << 12) | ((guint32) c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (pad) {
    guint32 v;

    a = b64v (s[len - 4]);
    b = b64v (s[len - 3]);
    c = pad == 1 ? b64v (s[len - 2]) : 0;
    if ((a | b | c) < 0)
      return FALSE;
    v = ((guint32) a << 18) | ((guint32) b << 12) | ((guint32) c << 6);
    out[o++] = v >> 16;
    if (pad == 1)
      out[o++] = (v >> 8) & 0xff;
  }
  *out_len = o;
  return TRUE;
}

/* The raw text of string member @name (no unescaping: the values read
 * here are type names and base64). */
static gboolean
find_string (const gchar * d, gsize len, const gchar * name,
    const gchar ** val, gsize * val_len)
{
  gchar key[64];
  gsize kl = (gsize) g_snprintf (key, sizeof (key), "\"%s\"", name);
  const gchar *end = d + len, *p = d;

  while ((p = memmem (p, (gsize) (end - p), key, kl))) {
    const gchar *q = p + kl, *e;

    while (q < end && g_ascii_isspace (*q))
      q++;
    if (q < end && *q == ':') {
      q++;
      while (q < end && g_ascii_isspace (*q))
        q++;
      if (q < end && *q == '"' && (e = memchr (q + 1, '"', end - q - 1))) {
        *val = q + 1;
        *val_len = (gsize) (e - q - 1);
        return TRUE;
      }
    }
    p += kl;
  }
  return FALSE;
}

static void
on_append (Conn * c, const gchar * b64, gsize len, gint64 now_us)
{
  gsize n;

  if (!b64_decode (b64, len, &n)) {
    vlog ("an append whose audio is not base64", NULL);
    return;
  }
  record_append (c, now_us, n);
  feed_audio (c, lg.dec, n);
}

static void
handle_text (Conn * c, const gchar * d, gsize len, gint64 now_us)
{
  static const gchar prefix[] =
      "{\"type\":\"input_audio_buffer.append\",\"audio\":\"";
  const gsize plen = sizeof (prefix) - 1;
  const gchar *type, *audio;
  gsize tl, al;
  gchar *t;

  /* The plugin's append, most of the traffic */
  if (len >= plen + 2 && memcmp (d, prefix, plen) == 0 && d[len - 2] == '"'
      && d[len - 1] == '}') {
    on_append (c, d + plen, len - 2 - plen, now_us);
    return;
  }
  if (!find_string (d, len, "type", &type, &tl)) {
    vlog ("a message without a type", NULL);
    return;
  }
  if (tl == 25 && memcmp (type, "input_audio_buffer.append", tl) == 0) {
    if (find_string (d, len, "audio", &audio, &al))
      on_append (c, audio, al, now_us);
    else
      vlog ("an append without audio", NULL);
    return;
  }
  if (tl == 14 && memcmp (type, "session.update", tl) == 0) {
    /* The ramp's sessions set the default formats; anything else they
     * ask for is not applied (the session stays the default one). */
    if (lg.verbose && (memmem (d, len, "g711", 4) || memmem (d, len,
                "\"turn_detection\"", 16)))
      vlog ("session.update fields beyond the formats", NULL);
    send_session (c, "session.updated");
    return;
  }
  t = g_strndup (type, tl);
  vlog (t, "event type not emulated");
  g_free (t);
}

static void
send_close (Conn * c, guint16 code)
{
  guint8 p[2] = { code >> 8, code & 0xff };

  batch_frame (0x8, p, 2, NULL, 0, FALSE);
  c->closing = TRUE;
}

/* Parses the frames of @d; returns the bytes used, or -1 to drop. */
static gssize
parse_frames (Conn * c, guint8 * d, gsize len, gint64 now_us)
{
  gsize pos = 0;

  while (!c->closing && len - pos >= 2) {
    guint8 b0 = d[pos], b1 = d[pos + 1], op = b0 & 0x0f, *mask, *p;
    gboolean fin = (b0 & 0x80) != 0;
    gsize hl = 2, i;
    guint64 n = b1 & 0x7f;

    if ((b0 & 0x70) || !(b1 & 0x80)) {
      /* no extension was agreed; clients must mask */
      send_close (c, 1002);
      break;
    }
    if (n == 126) {
      if (len - pos < 4)
        break;
      n = ((guint64) d[pos + 2] << 8) | d[pos + 3];
      hl = 4;
    } else if (n == 127) {
      if (len - pos < 10)
        break;
      n = 0;
      for (i = 0; i < 8; i++)
        n = (n << 8) | d[pos + 2 + i];
      hl = 10;
    }
    if (n > MAX_MESSAGE) {
      send_close (c, 1009);
      break;
    }
    if (len - pos < hl + 4 + n)
      break;
    mask = d + pos + hl;
    p = mask + 4;
    for (i = 0; i < n; i++)
      p[i] ^= mask[i & 3];
    pos += hl + 4 + n;

    switch (op) {
      case 0x1:
      case 0x2:
      case 0x0:
        if (op != 0x0 && c->in_frag) {
          send_close (c, 1002);
          break;
        }
        if (op == 0x0 && !c->in_frag) {
          send_close (c, 1002);
          break;
        }
        if (op == 0x2 && fin) {
          vlog ("binary frames", NULL);
          break;
        }
        if (fin && !c->in_frag) {
          handle_text (c, (const gchar *) p, n, now_us);
          break;
        }
        if (!c->frag)
          c->frag = g_byte_array_new ();
        if (op != 0x0) {
          g_byte_array_set_size (c->frag, 0);
          /* a binary message is collected and dropped */
          c->in_frag = op == 0x1 ? 1 : 2;
        }
        if (c->frag->len + n > MAX_MESSAGE) {
          send_close (c, 1009);
          break;
        }
        g_byte_array_append (c->frag, p, n);
        if (fin) {
          if (c->in_frag == 1)
            handle_text (c, (const gchar *) c->frag->data, c->frag->len,
                now_us);
          else
            vlog ("binary frames", NULL);
          c->in_frag = 0;
          g_byte_array_set_size (c->frag, 0);
        }
        break;
      case 0x8:
        /* echo the code, then go when it is written */
        if (n >= 2)
          send_close (c, (guint16) ((p[0] << 8) | p[1]));
        else {
          batch_frame (0x8, NULL, 0, NULL, 0, FALSE);
          c->closing = TRUE;
        }
        break;
      case 0x9:
        batch_frame (0xA, p, n, NULL, 0, FALSE);
        break;
      case 0xA:
        break;
      default:
        send_close (c, 1002);
        break;
    }
  }
  return (gssize) pos;
}

/* ---- HTTP upgrade ---- */

static gchar *
header_value (const gchar * head, const gchar * name)
{
  gchar **lines = g_strsplit (head, "\r\n", -1);
  gchar *v = NULL;
  gsize nl = strlen (name);
  guint i;

  for (i = 1; lines[i] && !v; i++)
    if (g_ascii_strncasecmp (lines[i], name, nl) == 0 && lines[i][nl] == ':')
      v = g_strstrip (g_strdup (lines[i] + nl + 1));
  g_strfreev (lines);
  return v;
}

static gchar *
query_model (const gchar * head)
{
  const gchar *sp = strchr (head, ' '), *q, *end;
  GString *m = g_string_new (NULL);

  end = sp ? strchr (sp + 1, ' ') : NULL;
  q = sp && end ? g_strstr_len (sp, end - sp, "model=") : NULL;
  for (q = q ? q + 6 : NULL; q && q < end && *q != '&'; q++)
    if (g_ascii_isalnum (*q) || *q == '-' || *q == '.' || *q == '_')
      g_string_append_c (m, *q);
  return g_string_free (m, FALSE);
}

/* Returns the bytes of the request, 0 when incomplete, -1 to drop. */
static gssize
handle_upgrade (Conn * c, const guint8 * d, gsize len)
{
  const gchar *end = g_strstr_len ((const gchar *) d, (gssize) len,
      "\r\n\r\n");
  gchar *head, *key, *up;
  gboolean ok;

  if (!end)
    return len > 16384 ? -1 : 0;
  head = g_strndup ((const gchar *) d, end - (const gchar *) d);
  key = header_value (head, "Sec-WebSocket-Key");
  up = header_value (head, "Upgrade");
  ok = g_str_has_prefix (head, "GET ") && key && up
      && g_ascii_strcasecmp (up, "websocket") == 0;
  if (!ok) {
    static const gchar bad[] = "HTTP/1.1 400 Bad Request\r\n"
        "Content-Length: 0\r\nConnection: close\r\n\r\n";

    batch_add (NULL, bad, sizeof (bad) - 1, FALSE);
    c->closing = TRUE;
  } else {
    GChecksum *sha = g_checksum_new (G_CHECKSUM_SHA1);
    guint8 digest[20];
    gsize dl = sizeof (digest);
    gchar *accept, *resp;

    g_checksum_update (sha, (const guchar *) key, -1);
    g_checksum_update (sha, (const guchar *) WS_GUID, -1);
    g_checksum_get_digest (sha, digest, &dl);
    g_checksum_free (sha);
    accept = g_base64_encode (digest, dl);
    /* never Sec-WebSocket-Extensions: frames are not compressed */
    resp = g_strdup_printf ("HTTP/1.1 101 Switching Protocols\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: %s\r\n\r\n", accept);
    batch_add (NULL, resp, strlen (resp), FALSE);
    g_free (resp);
    g_free (accept);
    c->upgraded = TRUE;
    c->model = query_model (head);
    c->sess_id = new_id (c, "sess_");
    send_session (c, "session.created");
  }
  g_free (key);
  g_free (up);
  g_free (head);
  return (gssize) (end + 4 - (const gchar *) d);
}

/* ---- connections ---- */

static void
conn_free (Conn * c)
{
  epoll_ctl (lg.ep, EPOLL_CTL_DEL, c->fd, NULL);
  close (c->fd);
  g_hash_table_remove (lg.conns, c);
  if (c->frag)
    g_byte_array_unref (c->frag);
  g_free (c->in);
  g_free (c->out);
  g_free (c->model);
  g_free (c->sess_id);
  g_free (c->last_item_id);
  g_free (c->speech_item_id);
  g_free (c->resp_id);
  g_free (c->resp_item);
  g_free (c);
}

static void
on_accept (void)
{
  for (;;) {
    int fd = accept4 (lg.lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC), one =
        1;
    struct epoll_event ev = { 0 };
    Conn *c;

    if (fd < 0)
      return;
    setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof (one));
    if (lg.sndbuf > 0)
      setsockopt (fd, SOL_SOCKET, SO_SNDBUF, &lg.sndbuf, sizeof (lg.sndbuf));
    c = g_new0 (Conn, 1);
    c->fd = fd;
    c->num = ++lg.n_conns;
    vl_emu_vad_reset (&c->vad);
    ev.events = EPOLLIN;
    ev.data.ptr = c;
    epoll_ctl (lg.ep, EPOLL_CTL_ADD, fd, &ev);
    g_hash_table_add (lg.conns, c);
  }
}

static gssize
consume (Conn * c, guint8 * d, gsize len, gint64 now_us)
{
  gsize used = 0;
  gssize n;

  if (!c->upgraded) {
    n = handle_upgrade (c, d, len);
    if (n <= 0)
      return n;
    used = (gsize) n;
  }
  if (c->closing)
    return (gssize) len;
  n = parse_frames (c, d + used, len - used, now_us);
  return (gssize) used + n;
}

/* One read per wake-up (level-triggered: the rest comes next time). */
static void
on_readable (Conn * c)
{
  gssize r, used;
  gint64 now_us;
  guint8 *d;
  gsize len;

  do
    r = read (c->fd, lg.rbuf, READ_SIZE);
  while (r < 0 && errno == EINTR);
  if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return;
  if (r <= 0) {
    conn_free (c);
    return;
  }
  now_us = g_get_monotonic_time ();
  if (c->closing)
    return;
  if (c->in_len) {
    if (c->in_len + (gsize) r > c->in_cap) {
      c->in_cap = MAX (c->in_cap * 2, c->in_len + (gsize) r);
      c->in = g_realloc (c->in, c->in_cap);
    }
    memcpy (c->in + c->in_len, lg.rbuf, (gsize) r);
    c->in_len += (gsize) r;
    d = c->in;
    len = c->in_len;
  } else {
    d = lg.rbuf;
    len = (gsize) r;
  }
  batch_begin (c);
  used = consume (c, d, len, now_us);
  if (!batch_flush () || used < 0) {
    conn_free (c);
    return;
  }
  if ((gsize) used < len) {
    if (d == c->in) {
      memmove (c->in, c->in + used, len - (gsize) used);
    } else {
      if (len - (gsize) used > c->in_cap) {
        c->in_cap = len - (gsize) used;
        c->in = g_realloc (c->in, c->in_cap);
      }
      memcpy (c->in, d + used, len - (gsize) used);
    }
    c->in_len = len - (gsize) used;
  } else {
    c->in_len = 0;
    /* a long message is rare: give its buffer back */
    if (c->in_cap > 65536) {
      g_clear_pointer (&c->in, g_free);
      c->in_cap = 0;
    }
  }
  if (c->closing && c->out_head == c->out_len)
    conn_free (c);
}

/* SIGTERM/SIGINT: close every WebSocket (1001), complete the record. */
static void
shut_down (void)
{
  GHashTableIter it;
  gpointer key;

  g_hash_table_iter_init (&it, lg.conns);
  while (g_hash_table_iter_next (&it, &key, NULL)) {
    Conn *c = key;

    if (c->upgraded && !c->closing) {
      batch_begin (c);
      send_close (c, 1001);
      batch_flush ();
    }
  }
  if (lg.rec) {
    record_flush ();
    fclose (lg.rec);
    lg.rec = NULL;
  }
}

static void
prepare_answer (void)
{
  guint8 *pcm = g_malloc (REPLY_BYTES);
  guint off = 0, i;

  for (i = 0; i < REPLY_BYTES / 2; i++) {
    gint16 s = vl_emu_sample (1, i, RATE);

    pcm[2 * i] = (guint8) (s & 0xff);
    pcm[2 * i + 1] = (guint8) (((guint16) s) >> 8);
  }
  /* the emulator's delta sizes, cycled, the last one what is left */
  for (i = 0; off < REPLY_BYTES; i++) {
    guint n = MIN (vl_emu_delta_ms[i % VL_EMU_N_DELTA_SIZES] * RATE / 1000 *
        2, REPLY_BYTES - off);
    gchar *b64 = g_base64_encode (pcm + off, n);

    g_assert (i < MAX_DELTAS);
    answer.body[i] = g_strconcat (b64, "\"}", NULL);
    answer.body_len[i] = strlen (answer.body[i]);
    answer.bytes[i] = n;
    g_free (b64);
    off += n;
  }
  answer.n = i;
  g_free (pcm);
}

int
main (int argc, char **argv)
{
  gint port = 0;
  gchar *record = NULL;
  gboolean record_batch = FALSE, no_record_audio = FALSE, verbose = FALSE;
  GOptionEntry entries[] = {
    {"port", 0, 0, G_OPTION_ARG_INT, &port, "TCP port on 127.0.0.1 (0: any)",
        "PORT"},
    {"record", 0, 0, G_OPTION_ARG_FILENAME, &record,
          "JSON Lines record of the appends (written in batches and at exit)",
        "FILE"},
    {"record-batch", 0, 0, G_OPTION_ARG_NONE, &record_batch,
        "accepted (the record is always batched)", NULL},
    {"no-record-audio", 0, 0, G_OPTION_ARG_NONE, &no_record_audio,
        "accepted (the audio is never recorded)", NULL},
    {"sndbuf", 0, 0, G_OPTION_ARG_INT, &lg.sndbuf,
        "SO_SNDBUF of the connections (a check makes answers wait in the "
          "output, to be cancelled)", "BYTES"},
    {"tick-us", 0, 0, G_OPTION_ARG_INT, &lg.tick_us,
        "At most one wake-up per tick under load (default 2000; 0: wake "
          "on every event)", "US"},
    {"verbose", 0, 0, G_OPTION_ARG_NONE, &verbose,
        "say once on stderr what is not emulated", NULL},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("- light Voice Live server for "
      "the sessions bench");
  GError *err = NULL;
  struct sockaddr_in sa = { 0 };
  socklen_t sl = sizeof (sa);
  struct epoll_event ev = { 0 }, evs[512];
  sigset_t sigs;
  gboolean running = TRUE;
  int one = 1;
  struct timespec next = { 0 };

  lg.tick_us = 2000;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &err) || port < 0
      || port > 65535) {
    g_printerr ("vl-loadgen: %s\n", err ? err->message : "bad --port");
    return 2;
  }
  g_option_context_free (ctx);
  lg.verbose = verbose;
  if (lg.tick_us < 0 || lg.tick_us > 100000) {
    g_printerr ("vl-loadgen: --tick-us is 0..100000\n");
    return 2;
  }
  lg.unknown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lg.conns = g_hash_table_new (NULL, NULL);
  lg.rbuf = g_malloc (READ_SIZE);
  lg.js = g_string_sized_new (4096);
  lg.start_us = g_get_monotonic_time ();
  batch.bytes = g_byte_array_sized_new (65536);
  batch.segs = g_array_new (FALSE, FALSE, sizeof (Seg));
  if (record) {
    lg.rec = fopen (record, "w");
    if (!lg.rec) {
      g_printerr ("vl-loadgen: cannot open %s: %s\n", record,
          g_strerror (errno));
      return 1;
    }
    lg.rec_pending = g_string_sized_new (2 * RECORD_FLUSH);
  }
  prepare_answer ();

  /* Before the address is printed: SIGTERM may come right after it. */
  signal (SIGPIPE, SIG_IGN);
  sigemptyset (&sigs);
  sigaddset (&sigs, SIGTERM);
  sigaddset (&sigs, SIGINT);
  sigprocmask (SIG_BLOCK, &sigs, NULL);
  lg.sfd = signalfd (-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);

  lg.lfd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  setsockopt (lg.lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof (one));
  sa.sin_family = AF_INET;
  sa.sin_port = htons ((guint16) port);
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (lg.lfd < 0 || lg.sfd < 0
      || bind (lg.lfd, (struct sockaddr *) &sa, sizeof (sa)) < 0
      || listen (lg.lfd, 4096) < 0
      || getsockname (lg.lfd, (struct sockaddr *) &sa, &sl) < 0) {
    g_printerr ("vl-loadgen: cannot listen: %s\n", g_strerror (errno));
    return 1;
  }
  lg.ep = epoll_create1 (EPOLL_CLOEXEC);
  ev.events = EPOLLIN;
  ev.data.ptr = &lg.lfd;
  epoll_ctl (lg.ep, EPOLL_CTL_ADD, lg.lfd, &ev);
  ev.data.ptr = &lg.sfd;
  epoll_ctl (lg.ep, EPOLL_CTL_ADD, lg.sfd, &ev);

  g_print ("ws://127.0.0.1:%d\n", ntohs (sa.sin_port));
  fflush (stdout);

  while (running) {
    int n, i;

    /* Sessions' frames come one at a time: waking for each costs more
     * than handling it. Sleeping out the rest of the tick after a
     * wake-up lets the next one find many ready (each waits at most a
     * tick); when idle, epoll_wait() still answers the first at once. */
    if (lg.tick_us > 0 && next.tv_sec)
      while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL)
          == EINTR);
    n = epoll_wait (lg.ep, evs, G_N_ELEMENTS (evs), -1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      break;
    if (lg.tick_us > 0) {
      clock_gettime (CLOCK_MONOTONIC, &next);
      next.tv_nsec += (glong) lg.tick_us * 1000;
      next.tv_sec += next.tv_nsec / 1000000000;
      next.tv_nsec %= 1000000000;
    }
    for (i = 0; i < n; i++) {
      gpointer p = evs[i].data.ptr;

      if (p == &lg.lfd) {
        on_accept ();
      } else if (p == &lg.sfd) {
        running = FALSE;
      } else {
        Conn *c = p;

        if ((evs[i].events & EPOLLOUT) && !conn_write_queued (c)) {
          conn_free (c);
          continue;
        }
        if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
          on_readable (c);
      }
    }
  }
  shut_down ();
  g_free (record);
  return 0;
}
