/* gst-voicelive
 * The response audio queue and what was played of it: playback messages,
 * prebuffering and barge-in (where to truncate).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_PLAYBACK_H__
#define __GST_VOICE_LIVE_PLAYBACK_H__

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _GstVoiceLivePlayback GstVoiceLivePlayback;

/* Not thread-safe: the session calls it with its lock held. Messages are
 * returned in @msgs (GstStructure*, without session-name) for the caller to
 * post after unlocking. */
GstVoiceLivePlayback *gst_voice_live_playback_new (void);
void gst_voice_live_playback_free (GstVoiceLivePlayback * pb);
/* Forget all audio and bookkeeping */
void gst_voice_live_playback_reset (GstVoiceLivePlayback * pb);
void gst_voice_live_playback_set_format (GstVoiceLivePlayback * pb,
    guint rate, guint bytes_per_sample);

/* At most @max_bytes stay queued; what would go beyond is dropped
 * (G_MAXSIZE: no limit). */
void gst_voice_live_playback_set_limit (GstVoiceLivePlayback * pb,
    gsize max_bytes);

typedef enum
{
  GST_VOICE_LIVE_PUSH_QUEUED,
  GST_VOICE_LIVE_PUSH_INTERRUPTED,      /* its response was interrupted */
  GST_VOICE_LIVE_PUSH_FULL,     /* over the limit: dropped */
} GstVoiceLivePushResult;

/* A decoded delta that arrived at @arrival_us (monotonic). Sets
 * @first_of_response for the first audio of a response. */
GstVoiceLivePushResult gst_voice_live_playback_push (GstVoiceLivePlayback * pb,
    GBytes * data, const gchar * response_id, const gchar * item_id,
    gint64 arrival_us, gboolean * first_of_response);
/* response.audio.done for @item_id: no more audio will come for it. */
void gst_voice_live_playback_item_done (GstVoiceLivePlayback * pb,
    const gchar * item_id);
gsize gst_voice_live_playback_queued (GstVoiceLivePlayback * pb);

/* Copy up to @max bytes (whole samples of @align bytes) into @dest, for the
 * buffer that starts at running time @buffer_rt. A new item waits until
 * @prebuffer bytes of it are queued or it is complete. Sets
 * @first_response to the response id when the first audio of a response
 * is taken (for turn metrics; caller frees) and @first_arrival_us to when
 * that audio arrived. */
gsize gst_voice_live_playback_read (GstVoiceLivePlayback * pb, guint8 * dest,
    gsize max, guint align, GstClockTime buffer_rt, gsize prebuffer,
    GPtrArray * msgs, gchar ** first_response, gint64 * first_arrival_us);

/* Is assistant audio queued, or pushed but not yet rendered by
 * @rendered_rt (GST_CLOCK_TIME_NONE: not live, pushed counts as played)? */
gboolean gst_voice_live_playback_active (GstVoiceLivePlayback * pb,
    GstClockTime rendered_rt);

/* Barge-in: drop everything queued (and later deltas of the interrupted
 * responses); compute what was played of the current item, clamped to what
 * was received. Returns the item id to truncate (caller frees) and its
 * @audio_end_ms, or NULL when nothing of it was played. */
gchar *gst_voice_live_playback_interrupt (GstVoiceLivePlayback * pb,
    GstClockTime rendered_rt, gint64 * audio_end_ms, GPtrArray * msgs);

/* What the queue keeps track of: items (queued or playing) and interrupted
 * response ids. Both are bounded; for tests and diagnostics. */
void gst_voice_live_playback_get_counts (GstVoiceLivePlayback * pb,
    guint * items, guint * interrupted);

G_END_DECLS

#endif /* __GST_VOICE_LIVE_PLAYBACK_H__ */
