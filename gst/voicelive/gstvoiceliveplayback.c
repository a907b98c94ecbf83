/* gst-voicelive
 * The answer audio queue of a session and what was played of it (per item,
 * for truncate). Called under the session lock, from the network thread
 * (push) and the src's streaming thread (read).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * Why played audio is tracked per item: conversation.item.truncate takes
 * the position within one assistant audio item, and the service refuses a
 * value beyond what it generated for that item (reference/protocol.md
 * §5.4). Counting received or wall-clock time instead is what makes other
 * clients' barge-in truncate at the wrong place (reference/peers.md §4).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstvoiceliveplayback.h"

typedef struct
{
  gchar *item_id;
  gchar *response_id;
  guint64 received;             /* bytes */
  guint64 pushed;               /* bytes */
  GstClockTime start_rt;        /* running time of its first pushed sample */
  GstClockTime end_rt;          /* ... just after its last pushed sample */
  gboolean done;                /* response.audio.done seen */
  gboolean stopped;             /* playback-stopped posted */
} Item;

typedef struct
{
  GBytes *data;
  Item *item;
  gboolean first_of_response;
  gint64 arrival_us;
} Chunk;

/* Interrupted responses remembered, so that their late deltas are dropped:
 * the service stops a cancelled response within a few events, so only
 * the latest few matter. */
#define MAX_DROPPED_RESPONSES 16

struct _GstVoiceLivePlayback
{
  guint rate;
  guint bps;
  GQueue chunks;
  gsize head_offset;
  gsize queued;
  GHashTable *items;            /* item id -> Item, owned */
  Item *current;                /* the item being pushed */
  GHashTable *dropped;          /* interrupted response ids, owned by ... */
  GQueue dropped_order;         /* ... this queue, oldest first */
  gchar *last_response;         /* of the last queued delta */
  gsize max_queued;
  gchar *overflow_item;         /* over the limit: the rest of it is dropped */
};

static void
item_free (Item * it)
{
  g_free (it->item_id);
  g_free (it->response_id);
  g_free (it);
}

static void
chunk_free (Chunk * c)
{
  g_bytes_unref (c->data);
  g_free (c);
}

GstVoiceLivePlayback *
gst_voice_live_playback_new (void)
{
  GstVoiceLivePlayback *pb = g_new0 (GstVoiceLivePlayback, 1);

  g_queue_init (&pb->chunks);
  pb->items = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
      (GDestroyNotify) item_free);
  pb->dropped = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&pb->dropped_order);
  pb->max_queued = G_MAXSIZE;
  pb->rate = 24000;
  pb->bps = 2;
  return pb;
}

/* Forgets every queued chunk and every item (interrupt and reset) */
static void
drop_queue (GstVoiceLivePlayback * pb)
{
  g_queue_clear_full (&pb->chunks, (GDestroyNotify) chunk_free);
  g_queue_init (&pb->chunks);
  pb->head_offset = 0;
  pb->queued = 0;
  pb->current = NULL;
  g_hash_table_remove_all (pb->items);
}

void
gst_voice_live_playback_reset (GstVoiceLivePlayback * pb)
{
  drop_queue (pb);
  g_hash_table_remove_all (pb->dropped);
  g_queue_clear_full (&pb->dropped_order, g_free);
  g_clear_pointer (&pb->last_response, g_free);
  g_clear_pointer (&pb->overflow_item, g_free);
}

void
gst_voice_live_playback_free (GstVoiceLivePlayback * pb)
{
  gst_voice_live_playback_reset (pb);
  g_hash_table_unref (pb->items);
  g_hash_table_unref (pb->dropped);
  g_free (pb);
}

void
gst_voice_live_playback_set_format (GstVoiceLivePlayback * pb, guint rate,
    guint bytes_per_sample)
{
  pb->rate = rate;
  pb->bps = bytes_per_sample;
}

void
gst_voice_live_playback_set_limit (GstVoiceLivePlayback * pb, gsize max_bytes)
{
  pb->max_queued = max_bytes;
}

static void
mark_dropped (GstVoiceLivePlayback * pb, const gchar * response_id)
{
  gchar *id;

  if (g_hash_table_contains (pb->dropped, response_id))
    return;
  if (pb->dropped_order.length >= MAX_DROPPED_RESPONSES) {
    gchar *old = g_queue_pop_head (&pb->dropped_order);

    g_hash_table_remove (pb->dropped, old);
    g_free (old);
  }
  id = g_strdup (response_id);
  g_queue_push_tail (&pb->dropped_order, id);
  g_hash_table_add (pb->dropped, id);
}

static GstClockTime
bytes_to_time (GstVoiceLivePlayback * pb, guint64 bytes)
{
  return gst_util_uint64_scale_int (bytes / pb->bps, GST_SECOND, pb->rate);
}

static gint64
bytes_to_ms (GstVoiceLivePlayback * pb, guint64 bytes)
{
  return (gint64) (bytes / pb->bps * 1000 / pb->rate);
}

GstVoiceLivePushResult
gst_voice_live_playback_push (GstVoiceLivePlayback * pb, GBytes * data,
    const gchar * response_id, const gchar * item_id, gint64 arrival_us,
    gboolean * first_of_response)
{
  const gchar *key = item_id ? item_id : "";
  Chunk *c;
  Item *it;

  *first_of_response = FALSE;
  /* Late deltas of an interrupted response must not play. */
  if (response_id && g_hash_table_contains (pb->dropped, response_id))
    return GST_VOICE_LIVE_PUSH_INTERRUPTED;
  /* Once an item overflows, the rest of it goes too: a later, smaller
   * delta that would fit must not play after a hole. */
  if (pb->overflow_item && strcmp (pb->overflow_item, key) == 0)
    return GST_VOICE_LIVE_PUSH_FULL;
  if (pb->queued + g_bytes_get_size (data) > pb->max_queued) {
    g_free (pb->overflow_item);
    pb->overflow_item = g_strdup (key);
    return GST_VOICE_LIVE_PUSH_FULL;
  }

  it = g_hash_table_lookup (pb->items, key);
  if (!it) {
    it = g_new0 (Item, 1);
    it->item_id = g_strdup (key);
    it->response_id = g_strdup (response_id ? response_id : "");
    it->start_rt = it->end_rt = GST_CLOCK_TIME_NONE;
    g_hash_table_insert (pb->items, it->item_id, it);
  }
  c = g_new0 (Chunk, 1);
  c->data = g_bytes_ref (data);
  c->item = it;
  c->arrival_us = arrival_us;
  if (g_strcmp0 (pb->last_response, response_id) != 0) {
    c->first_of_response = *first_of_response = TRUE;
    g_free (pb->last_response);
    pb->last_response = g_strdup (response_id);
  }
  it->received += g_bytes_get_size (data);
  pb->queued += g_bytes_get_size (data);
  g_queue_push_tail (&pb->chunks, c);
  return GST_VOICE_LIVE_PUSH_QUEUED;
}

void
gst_voice_live_playback_item_done (GstVoiceLivePlayback * pb,
    const gchar * item_id)
{
  Item *it = g_hash_table_lookup (pb->items, item_id ? item_id : "");

  if (it)
    it->done = TRUE;
}

gsize
gst_voice_live_playback_queued (GstVoiceLivePlayback * pb)
{
  return pb->queued;
}

static void
post_started (GstVoiceLivePlayback * pb, Item * it, GPtrArray * msgs)
{
  g_ptr_array_add (msgs, gst_structure_new ("voicelive/playback-started",
          "response-id", G_TYPE_STRING, it->response_id,
          "item-id", G_TYPE_STRING, it->item_id,
          "running-time", G_TYPE_UINT64, it->start_rt, NULL));
}

static void
post_stopped (GstVoiceLivePlayback * pb, Item * it, GstClockTime rt,
    gint64 played_ms, gboolean interrupted, GPtrArray * msgs)
{
  it->stopped = TRUE;
  g_ptr_array_add (msgs, gst_structure_new ("voicelive/playback-stopped",
          "response-id", G_TYPE_STRING, it->response_id,
          "item-id", G_TYPE_STRING, it->item_id,
          "running-time", G_TYPE_UINT64, rt,
          "played-ms", G_TYPE_INT64, played_ms,
          "interrupted", G_TYPE_BOOLEAN, interrupted, NULL));
}

/* The current item is complete and all of it pushed: it stopped by itself.
 * With @next_starts, the next item starts playing: the current one is over
 * even if its response.audio.done never came (a cancelled response), and
 * is forgotten, so that items without one do not pile up. */
static void
check_finished (GstVoiceLivePlayback * pb, gboolean next_starts,
    GPtrArray * msgs)
{
  Item *it = pb->current;

  if (!it || it->pushed < it->received || (!it->done && !next_starts))
    return;
  if (!it->stopped)
    post_stopped (pb, it, it->end_rt, bytes_to_ms (pb, it->pushed), FALSE,
        msgs);
  pb->current = NULL;
  g_hash_table_remove (pb->items, it->item_id);
}

gsize
gst_voice_live_playback_read (GstVoiceLivePlayback * pb, guint8 * dest,
    gsize max, guint align, GstClockTime buffer_rt, gsize prebuffer,
    GPtrArray * msgs, gchar ** first_response, gint64 * first_arrival_us)
{
  gsize n = 0, want = MIN (max, pb->queued);

  want -= want % align;
  while (n < want) {
    Chunk *c = g_queue_peek_head (&pb->chunks);
    Item *it = c->item;
    gsize len, take;
    const guint8 *data = g_bytes_get_data (c->data, &len);

    if (it != pb->current) {
      /* A new item: it starts once its cushion is there (or it is all
       * there), so bursty arrival does not chop the start. */
      if (!GST_CLOCK_TIME_IS_VALID (it->start_rt) && !it->done
          && it->received - it->pushed < prebuffer)
        break;
      check_finished (pb, TRUE, msgs);
      pb->current = it;
    }
    if (!GST_CLOCK_TIME_IS_VALID (it->start_rt)) {
      it->start_rt = buffer_rt + bytes_to_time (pb, n);
      post_started (pb, it, msgs);
    }
    if (c->first_of_response && pb->head_offset == 0 && first_response) {
      g_free (*first_response);
      *first_response = g_strdup (it->response_id);
      *first_arrival_us = c->arrival_us;
    }
    take = MIN (want - n, len - pb->head_offset);
    memcpy (dest + n, data + pb->head_offset, take);
    n += take;
    it->pushed += take;
    it->end_rt = buffer_rt + bytes_to_time (pb, n);
    pb->head_offset += take;
    pb->queued -= take;
    if (pb->head_offset == len) {
      chunk_free (g_queue_pop_head (&pb->chunks));
      pb->head_offset = 0;
    }
  }
  check_finished (pb, FALSE, msgs);
  return n;
}

gboolean
gst_voice_live_playback_active (GstVoiceLivePlayback * pb,
    GstClockTime rendered_rt)
{
  if (pb->queued > 0)
    return TRUE;
  if (!pb->current || !GST_CLOCK_TIME_IS_VALID (rendered_rt))
    return FALSE;
  return pb->current->end_rt > rendered_rt;
}

gchar *
gst_voice_live_playback_interrupt (GstVoiceLivePlayback * pb,
    GstClockTime rendered_rt, gint64 * audio_end_ms, GPtrArray * msgs)
{
  Item *it = pb->current;
  gchar *truncate_id = NULL;
  GList *l;

  *audio_end_ms = 0;
  for (l = pb->chunks.head; l; l = l->next) {
    Chunk *c = l->data;

    mark_dropped (pb, c->item->response_id);
  }

  if (it) {
    guint64 played = it->pushed;

    mark_dropped (pb, it->response_id);
    if (GST_CLOCK_TIME_IS_VALID (rendered_rt)) {
      /* What reached the sink's clock: pushed, and rendered by now */
      if (rendered_rt <= it->start_rt)
        played = 0;
      else
        played = MIN (played, gst_util_uint64_scale_int (rendered_rt -
                it->start_rt, pb->rate, GST_SECOND) * pb->bps);
    }
    played = MIN (played, it->received);
    *audio_end_ms = bytes_to_ms (pb, played);
    if (!it->stopped)
      post_stopped (pb, it, GST_CLOCK_TIME_IS_VALID (rendered_rt) ?
          MIN (rendered_rt, it->end_rt) : it->end_rt, *audio_end_ms, TRUE,
          msgs);
    /* The service refuses a truncate at 0 ms: nothing to cut then. */
    if (*audio_end_ms > 0)
      truncate_id = g_strdup (it->item_id);
  }

  drop_queue (pb);
  return truncate_id;
}

void
gst_voice_live_playback_get_counts (GstVoiceLivePlayback * pb, guint * items,
    guint * interrupted)
{
  *items = g_hash_table_size (pb->items);
  *interrupted = g_hash_table_size (pb->dropped);
}
