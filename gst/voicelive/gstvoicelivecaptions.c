/* gst-voicelive
 * The conversation as timed text (see gstvoicelivecaptions.h): per item,
 * what was said and when its audio plays; next() turns that into captions
 * in running-time order. Called under the session lock from the network
 * thread, the elements' streaming threads and voicelivetextsrc's.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * Timing rules
 * - An answer item's audio starts at the running time voicelivesrc gave its
 *   first sample (playback-started). A word of response.audio_timestamp.delta
 *   is at that time + audio_offset_ms: the offset is taken from the first
 *   sample of that item's audio, which protocol-2026.md §2.11 marks
 *   UNVERIFIED (the service documents "from the start of the audio").
 * - A transcript delta is at the audio of its item that had arrived before
 *   it, and lasts until the next delta (or the end of the item's audio).
 * - A caption is given out once the audio at its start has been played
 *   (@limit of next()): a barge-in before that drops it. A cut inside a
 *   caption already given out ends it with an empty caption at the cut.
 * - The user's words are at speech_started/stopped's audio_start_ms /
 *   audio_end_ms (ms of the input stream) after the running time of the
 *   first input sample.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstvoicelivecaptions.h"

/* The service reports speech_started this long after the speech began,
 * at most (VAD speech_duration_ms + prefix_padding_ms): a reader that
 * waits for the user's words stays this far behind the input. */
#define USER_LOOKBACK (1 * GST_SECOND)

/* Items remembered; older ones are dropped (a reader far behind loses
 * them, nothing grows without bound). */
#define MAX_ITEMS 64

typedef struct
{
  gint64 offset_ms;
  gint64 end_ms;                /* words; -1 for deltas */
  gchar *text;
} Piece;

typedef struct
{
  gchar *id;
  gboolean user;
  guint64 received;             /* answer audio bytes */
  gboolean audio_done;
  GstClockTime start_rt;
  gint64 cut_ms;                /* -1: not cut */
  gboolean dropped;             /* never played */
  gboolean played_out;          /* playback of it ended (or was cut) */
  GPtrArray *words;             /* Piece */
  GPtrArray *deltas;            /* Piece */
  gchar *done;                  /* the whole transcript */
  gint64 start_ms, end_ms;      /* user: in the input stream */
  /* The reader's progress */
  guint next_word, next_delta;
  gboolean whole_out;
  GstClockTime shown_end;       /* end of the last caption given out */
  gboolean clear_pending;
} CapItem;

struct _GstVoiceLiveCaptions
{
  guint rate, bps;
  GQueue items;                 /* CapItem, oldest first */
  GstClockTime input_origin;
  GstClockTime input_end;       /* of the input received so far */
};

static void
piece_free (Piece * p)
{
  g_free (p->text);
  g_free (p);
}

static void
item_free (CapItem * it)
{
  g_free (it->id);
  g_ptr_array_unref (it->words);
  g_ptr_array_unref (it->deltas);
  g_free (it->done);
  g_free (it);
}

void
gst_voice_live_caption_clear (GstVoiceLiveCaption * c)
{
  g_clear_pointer (&c->text, g_free);
}

GstVoiceLiveCaptions *
gst_voice_live_captions_new (void)
{
  GstVoiceLiveCaptions *c = g_new0 (GstVoiceLiveCaptions, 1);

  g_queue_init (&c->items);
  c->rate = 24000;
  c->bps = 2;
  c->input_origin = c->input_end = GST_CLOCK_TIME_NONE;
  return c;
}

void
gst_voice_live_captions_reset (GstVoiceLiveCaptions * c)
{
  g_queue_clear_full (&c->items, (GDestroyNotify) item_free);
  g_queue_init (&c->items);
  c->input_origin = c->input_end = GST_CLOCK_TIME_NONE;
}

void
gst_voice_live_captions_free (GstVoiceLiveCaptions * c)
{
  gst_voice_live_captions_reset (c);
  g_free (c);
}

void
gst_voice_live_captions_set_format (GstVoiceLiveCaptions * c, guint rate,
    guint bytes_per_sample)
{
  c->rate = rate;
  c->bps = bytes_per_sample;
}

static CapItem *
find_item (GstVoiceLiveCaptions * c, const gchar * id)
{
  GList *l;

  if (!id)
    return NULL;
  for (l = c->items.tail; l; l = l->prev) {
    CapItem *it = l->data;

    if (strcmp (it->id, id) == 0)
      return it;
  }
  return NULL;
}

static CapItem *
get_item (GstVoiceLiveCaptions * c, const gchar * id, gboolean user)
{
  CapItem *it = find_item (c, id);

  if (it || !id)
    return it;
  if (c->items.length >= MAX_ITEMS)
    item_free (g_queue_pop_head (&c->items));
  it = g_new0 (CapItem, 1);
  it->id = g_strdup (id);
  it->user = user;
  it->start_rt = it->shown_end = GST_CLOCK_TIME_NONE;
  it->cut_ms = it->start_ms = it->end_ms = -1;
  it->words = g_ptr_array_new_with_free_func ((GDestroyNotify) piece_free);
  it->deltas = g_ptr_array_new_with_free_func ((GDestroyNotify) piece_free);
  g_queue_push_tail (&c->items, it);
  return it;
}

static gint64
received_ms (GstVoiceLiveCaptions * c, CapItem * it)
{
  return (gint64) (it->received / c->bps * 1000 / c->rate);
}

/* Where the item's audio ends (ms), and whether that is final */
static gint64
item_end_ms (GstVoiceLiveCaptions * c, CapItem * it, gboolean * known)
{
  gint64 end = received_ms (c, it);

  if (it->cut_ms >= 0)
    end = MIN (end, it->cut_ms);
  if (known)
    *known = it->audio_done || it->cut_ms >= 0;
  return end;
}

static void
add_piece (GPtrArray * arr, const gchar * text, gint64 offset_ms, gint64 end_ms)
{
  Piece *p = g_new0 (Piece, 1);

  p->text = g_strdup (text ? text : "");
  p->offset_ms = offset_ms;
  p->end_ms = end_ms;
  g_ptr_array_add (arr, p);
}

void
gst_voice_live_captions_audio_received (GstVoiceLiveCaptions * c,
    const gchar * item_id, gsize bytes)
{
  CapItem *it = get_item (c, item_id, FALSE);

  if (it)
    it->received += bytes;
}

void
gst_voice_live_captions_audio_done (GstVoiceLiveCaptions * c,
    const gchar * item_id)
{
  CapItem *it = get_item (c, item_id, FALSE);

  if (it)
    it->audio_done = TRUE;
}

void
gst_voice_live_captions_agent_delta (GstVoiceLiveCaptions * c,
    const gchar * item_id, const gchar * text)
{
  CapItem *it = get_item (c, item_id, FALSE);

  if (it && text && *text)
    add_piece (it->deltas, text, received_ms (c, it), -1);
}

void
gst_voice_live_captions_agent_word (GstVoiceLiveCaptions * c,
    const gchar * item_id, const gchar * text, gint64 offset_ms, gint64 end_ms)
{
  CapItem *it = get_item (c, item_id, FALSE);

  if (it && text && *text && offset_ms >= 0)
    add_piece (it->words, text, offset_ms, MAX (end_ms, offset_ms));
}

void
gst_voice_live_captions_transcript (GstVoiceLiveCaptions * c,
    const gchar * item_id, gboolean user, const gchar * text)
{
  CapItem *it = get_item (c, item_id, user);

  if (it) {
    g_free (it->done);
    it->done = g_strdup (text ? text : "");
  }
}

void
gst_voice_live_captions_speech (GstVoiceLiveCaptions * c,
    const gchar * item_id, gint64 audio_start_ms, gint64 audio_end_ms)
{
  CapItem *it = get_item (c, item_id, TRUE);

  if (it && audio_start_ms >= 0)
    it->start_ms = audio_start_ms;
  if (it && audio_end_ms >= 0)
    it->end_ms = audio_end_ms;
}

void
gst_voice_live_captions_item_started (GstVoiceLiveCaptions * c,
    const gchar * item_id, GstClockTime running_time)
{
  CapItem *it = get_item (c, item_id, FALSE);

  if (it && !GST_CLOCK_TIME_IS_VALID (it->start_rt)) {
    it->start_rt = running_time;
    it->dropped = FALSE;
  }
}

void
gst_voice_live_captions_item_stopped (GstVoiceLiveCaptions * c,
    const gchar * item_id)
{
  CapItem *it = find_item (c, item_id);

  if (it)
    it->played_out = TRUE;
}

void
gst_voice_live_captions_interrupted (GstVoiceLiveCaptions * c,
    const gchar * item_id, gint64 played_ms)
{
  CapItem *cut = find_item (c, item_id);
  GList *l;

  for (l = c->items.head; l; l = l->next) {
    CapItem *it = l->data;

    if (!it->user && !GST_CLOCK_TIME_IS_VALID (it->start_rt))
      it->dropped = TRUE;
  }
  if (cut && GST_CLOCK_TIME_IS_VALID (cut->start_rt) && cut->cut_ms < 0) {
    GstClockTime at = cut->start_rt + played_ms * GST_MSECOND;

    cut->cut_ms = played_ms;
    cut->played_out = TRUE;
    if (GST_CLOCK_TIME_IS_VALID (cut->shown_end) && cut->shown_end > at)
      cut->clear_pending = TRUE;
  }
}

void
gst_voice_live_captions_input (GstVoiceLiveCaptions * c, GstClockTime start,
    GstClockTime end)
{
  if (!GST_CLOCK_TIME_IS_VALID (c->input_origin))
    c->input_origin = start;
  if (GST_CLOCK_TIME_IS_VALID (end))
    c->input_end = end;
}

gboolean
gst_voice_live_captions_agent_timing (GstVoiceLiveCaptions * c,
    const gchar * item_id, gboolean whole, GstClockTime * running_time,
    GstClockTime * duration)
{
  CapItem *it = find_item (c, item_id);
  gboolean known;
  gint64 end;

  *duration = GST_CLOCK_TIME_NONE;
  if (!it || !GST_CLOCK_TIME_IS_VALID (it->start_rt))
    return FALSE;
  end = item_end_ms (c, it, &known);
  if (whole) {
    *running_time = it->start_rt;
    if (known)
      *duration = end * GST_MSECOND;
  } else {
    /* The delta was just added at the audio received so far */
    *running_time = it->start_rt + received_ms (c, it) * GST_MSECOND;
  }
  return TRUE;
}

gboolean
gst_voice_live_captions_user_timing (GstVoiceLiveCaptions * c,
    const gchar * item_id, GstClockTime * running_time, GstClockTime * duration)
{
  CapItem *it = find_item (c, item_id);

  *duration = GST_CLOCK_TIME_NONE;
  if (!it || !it->user || it->start_ms < 0
      || !GST_CLOCK_TIME_IS_VALID (c->input_origin))
    return FALSE;
  *running_time = c->input_origin + it->start_ms * GST_MSECOND;
  if (it->end_ms >= it->start_ms)
    *duration = (it->end_ms - it->start_ms) * GST_MSECOND;
  return TRUE;
}

/* ---- the reader ---- */

typedef enum
{
  CAND_NONE,                    /* nothing to say now, no bound */
  CAND_READY,
  CAND_BLOCKED,                 /* something will come at pts */
} CandState;

typedef struct
{
  CandState state;
  GstClockTime pts, duration;
  gchar *text;
  /* what to consume when it is given out */
  guint n_words, n_deltas;
  gboolean whole, clear;
} Cand;

static gchar *
stripped (const gchar * s)
{
  return g_strstrip (g_strdup (s));
}

/* The words (or deltas) of @it heard before its cut, as one text */
static gchar *
heard_text (CapItem * it, gboolean words)
{
  GString *s = g_string_new (NULL);
  GPtrArray *arr = words && it->words->len ? it->words : it->deltas;
  guint i;

  for (i = 0; i < arr->len; i++) {
    Piece *p = g_ptr_array_index (arr, i);

    if (it->cut_ms >= 0 && p->offset_ms >= it->cut_ms)
      break;
    if (arr == it->words && s->len)
      g_string_append_c (s, ' ');
    g_string_append (s, p->text);
  }
  g_strstrip (s->str);
  return g_string_free (s, FALSE);
}

static void
agent_candidate (GstVoiceLiveCaptions * c, CapItem * it,
    const GstVoiceLiveCaptionsConfig * cfg, gboolean final, Cand * cand)
{
  gboolean known;
  gint64 iend = item_end_ms (c, it, &known), off, end;

  if (it->dropped || !GST_CLOCK_TIME_IS_VALID (it->start_rt))
    return;

  if (it->clear_pending) {
    GstClockTime at = it->start_rt + it->cut_ms * GST_MSECOND;

    cand->state = CAND_READY;
    cand->pts = at;
    cand->duration = it->shown_end - at;
    cand->text = g_strdup ("");
    cand->clear = TRUE;
    return;
  }

  if (cfg->granularity == GST_VOICE_LIVE_GRANULARITY_UTTERANCE) {
    if (it->whole_out)
      return;
    cand->pts = it->start_rt;
    /* Not live, what was heard of it is known once it stopped playing */
    if (cfg->hold_utterance && !it->played_out && !final) {
      cand->state = CAND_BLOCKED;
      return;
    }
    if (it->cut_ms >= 0) {
      cand->text = heard_text (it, cfg->words);
    } else if (it->done) {
      cand->text = stripped (it->done);
    } else if (final) {
      cand->text = heard_text (it, cfg->words);
    } else {
      cand->state = CAND_BLOCKED;
      return;
    }
    cand->whole = TRUE;
    cand->state = CAND_READY;
    cand->duration = iend * GST_MSECOND;
    return;
  }

  if (cfg->words && cfg->granularity == GST_VOICE_LIVE_GRANULARITY_WORD) {
    Piece *p;

    if (it->next_word >= it->words->len)
      return;
    p = g_ptr_array_index (it->words, it->next_word);
    if (it->cut_ms >= 0 && p->offset_ms >= it->cut_ms) {
      it->next_word = it->words->len;   /* never heard */
      return;
    }
    end = p->end_ms;
    if (it->cut_ms >= 0)
      end = MIN (end, it->cut_ms);
    cand->state = CAND_READY;
    cand->pts = it->start_rt + p->offset_ms * GST_MSECOND;
    cand->duration = (end - p->offset_ms) * GST_MSECOND;
    cand->text = stripped (p->text);
    cand->n_words = 1;
    return;
  } else {
    GString *text;
    guint i;
    Piece *p;

    if (it->next_delta >= it->deltas->len)
      return;
    p = g_ptr_array_index (it->deltas, it->next_delta);
    off = p->offset_ms;
    if (it->cut_ms >= 0 && off >= it->cut_ms) {
      it->next_delta = it->deltas->len;
      return;
    }
    /* Deltas that came with no audio between them show together */
    text = g_string_new (NULL);
    for (i = it->next_delta; i < it->deltas->len; i++) {
      Piece *q = g_ptr_array_index (it->deltas, i);

      if (q->offset_ms != off)
        break;
      g_string_append (text, q->text);
    }
    cand->n_deltas = i - it->next_delta;
    cand->pts = it->start_rt + off * GST_MSECOND;
    if (i < it->deltas->len)
      end = ((Piece *) g_ptr_array_index (it->deltas, i))->offset_ms;
    else
      end = iend;
    if (it->cut_ms >= 0)
      end = MIN (end, it->cut_ms);
    if (end <= off && !known && !final) {
      /* Its audio has not come yet */
      g_string_free (text, TRUE);
      cand->n_deltas = 0;
      cand->state = CAND_BLOCKED;
      return;
    }
    g_strstrip (text->str);
    cand->text = g_string_free (text, FALSE);
    cand->duration = (MAX (end, off) - off) * GST_MSECOND;
    cand->state = CAND_READY;
  }
}

static void
user_candidate (GstVoiceLiveCaptions * c, CapItem * it,
    const GstVoiceLiveCaptionsConfig * cfg, gboolean final, Cand * cand)
{
  if (it->whole_out || it->start_ms < 0
      || !GST_CLOCK_TIME_IS_VALID (c->input_origin))
    return;
  cand->pts = c->input_origin + it->start_ms * GST_MSECOND;
  if (!it->done) {
    if (cfg->hold_user && cfg->transcribe && !final)
      cand->state = CAND_BLOCKED;
    return;
  }
  cand->state = CAND_READY;
  cand->text = stripped (it->done);
  cand->duration = it->end_ms >= it->start_ms ?
      (it->end_ms - it->start_ms) * GST_MSECOND : GST_CLOCK_TIME_NONE;
  cand->whole = TRUE;
}

GstVoiceLiveCaptionsResult
gst_voice_live_captions_next (GstVoiceLiveCaptions * c,
    const GstVoiceLiveCaptionsConfig * cfg, GstClockTime position,
    GstClockTime limit, gboolean final, GstVoiceLiveCaption * out,
    GstClockTime * gap_end)
{
  GstClockTime bound = GST_CLOCK_TIME_NONE;
  CapItem *best_item = NULL;
  Cand best = { 0, };
  GstClockTime first_bound;
  GList *l;
  gboolean again = TRUE;

  if (final)
    limit = GST_CLOCK_TIME_NONE;
  /* A speech_started may still come for input already received (and
   * before the sink's settings are known, transcription may be on) */
  if (!final && cfg->hold_user && (cfg->speakers & GST_VOICE_LIVE_SPEAKER_USER))
    bound = !GST_CLOCK_TIME_IS_VALID (c->input_end) ? 0 :
        c->input_end > USER_LOOKBACK ? c->input_end - USER_LOOKBACK : 0;
  first_bound = bound;
  while (again) {
    again = FALSE;
    for (l = c->items.head; l; l = l->next) {
      CapItem *it = l->data;
      Cand cand = { 0, };
      GstVoiceLiveSpeakers who = it->user ? GST_VOICE_LIVE_SPEAKER_USER :
          GST_VOICE_LIVE_SPEAKER_AGENT;

      if (!(cfg->speakers & who))
        continue;
      if (it->user)
        user_candidate (c, it, cfg, final, &cand);
      else
        agent_candidate (c, it, cfg, final, &cand);

      /* Not played yet: it waits, and so does everything after it */
      if (cand.state == CAND_READY && !it->user && !cand.clear
          && GST_CLOCK_TIME_IS_VALID (limit) && cand.pts > limit)
        cand.state = CAND_BLOCKED;
      /* Empty text (a word of spaces): consumed, nothing to show */
      if (cand.state == CAND_READY && !cand.clear && !*cand.text) {
        it->next_word += cand.n_words;
        it->next_delta += cand.n_deltas;
        it->whole_out |= cand.whole;
        g_free (cand.text);
        again = TRUE;
        continue;
      }
      if (cand.state == CAND_BLOCKED) {
        if (!GST_CLOCK_TIME_IS_VALID (bound) || cand.pts < bound)
          bound = cand.pts;
      } else if (cand.state == CAND_READY && (!best_item
              || cand.pts < best.pts)) {
        g_free (best.text);
        best = cand;
        best_item = it;
        continue;
      }
      g_free (cand.text);
    }
    if (again) {
      g_clear_pointer (&best.text, g_free);
      best_item = NULL;
      bound = first_bound;
    }
  }

  if (best_item && (!GST_CLOCK_TIME_IS_VALID (bound) || best.pts <= bound)) {
    best_item->next_word += best.n_words;
    best_item->next_delta += best.n_deltas;
    best_item->whole_out |= best.whole;
    if (best.clear)
      best_item->clear_pending = FALSE;
    else if (GST_CLOCK_TIME_IS_VALID (best.duration))
      best_item->shown_end = best.pts + best.duration;
    /* Late (its audio played before it was known): from now on */
    if (GST_CLOCK_TIME_IS_VALID (position) && best.pts < position) {
      if (GST_CLOCK_TIME_IS_VALID (best.duration))
        best.duration = best.pts + best.duration > position ?
            best.pts + best.duration - position : 0;
      best.pts = position;
    }
    out->speaker = best_item->user ? GST_VOICE_LIVE_SPEAKER_USER :
        GST_VOICE_LIVE_SPEAKER_AGENT;
    out->text = best.text;
    out->pts = best.pts;
    out->duration = best.duration;
    return GST_VOICE_LIVE_CAPTIONS_CAPTION;
  }
  g_free (best.text);

  if (final && !best_item && !GST_CLOCK_TIME_IS_VALID (bound))
    return GST_VOICE_LIVE_CAPTIONS_DONE;
  *gap_end = limit;
  if (GST_CLOCK_TIME_IS_VALID (bound) && (!GST_CLOCK_TIME_IS_VALID (limit)
          || bound < limit))
    *gap_end = bound;
  if (GST_CLOCK_TIME_IS_VALID (*gap_end) && (!GST_CLOCK_TIME_IS_VALID
          (position) || *gap_end > position))
    return GST_VOICE_LIVE_CAPTIONS_GAP;
  return GST_VOICE_LIVE_CAPTIONS_NONE;
}
