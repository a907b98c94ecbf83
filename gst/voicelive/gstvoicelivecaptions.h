/* gst-voicelive
 * The conversation as timed text: what was said (transcripts, word
 * timestamps, speech events) and when it is heard (the running time at which
 * voicelivesrc played each answer item, the running time of the input audio).
 * Pure and not thread-safe: the session calls it with its lock held, from
 * the network thread (what was said), voicelivesrc's and voicelivesink's
 * streaming threads (when) and voicelivetextsrc's streaming thread (next).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_CAPTIONS_H__
#define __GST_VOICE_LIVE_CAPTIONS_H__

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _GstVoiceLiveCaptions GstVoiceLiveCaptions;

typedef enum
{
  GST_VOICE_LIVE_GRANULARITY_WORD,
  GST_VOICE_LIVE_GRANULARITY_PHRASE,
  GST_VOICE_LIVE_GRANULARITY_UTTERANCE,
} GstVoiceLiveGranularity;

typedef enum
{
  GST_VOICE_LIVE_SPEAKER_AGENT = (1 << 0),
  GST_VOICE_LIVE_SPEAKER_USER = (1 << 1),
} GstVoiceLiveSpeakers;

typedef struct
{
  GstVoiceLiveSpeakers speaker;
  gchar *text;                  /* "": ends the caption shown (a cut) */
  GstClockTime pts;
  GstClockTime duration;
} GstVoiceLiveCaption;

void gst_voice_live_caption_clear (GstVoiceLiveCaption * c);

GstVoiceLiveCaptions *gst_voice_live_captions_new (void);
void gst_voice_live_captions_free (GstVoiceLiveCaptions * c);
/* A new session run: forget everything */
void gst_voice_live_captions_reset (GstVoiceLiveCaptions * c);
/* The answer audio format (for byte -> ms) */
void gst_voice_live_captions_set_format (GstVoiceLiveCaptions * c,
    guint rate, guint bytes_per_sample);

/* What was said (network thread) */
void gst_voice_live_captions_audio_received (GstVoiceLiveCaptions * c,
    const gchar * item_id, gsize bytes);
void gst_voice_live_captions_audio_done (GstVoiceLiveCaptions * c,
    const gchar * item_id);
void gst_voice_live_captions_agent_delta (GstVoiceLiveCaptions * c,
    const gchar * item_id, const gchar * text);
void gst_voice_live_captions_agent_word (GstVoiceLiveCaptions * c,
    const gchar * item_id, const gchar * text, gint64 offset_ms,
    gint64 end_ms);
/* The whole transcript of an item, the agent's or the user's */
void gst_voice_live_captions_transcript (GstVoiceLiveCaptions * c,
    const gchar * item_id, gboolean user, const gchar * text);
/* speech_started (@audio_start_ms) or speech_stopped (@audio_end_ms) of
 * the user's item; -1: not this one */
void gst_voice_live_captions_speech (GstVoiceLiveCaptions * c,
    const gchar * item_id, gint64 audio_start_ms, gint64 audio_end_ms);

/* When it is heard */
void gst_voice_live_captions_item_started (GstVoiceLiveCaptions * c,
    const gchar * item_id, GstClockTime running_time);
/* @item_id stopped playing (all of it played) */
void gst_voice_live_captions_item_stopped (GstVoiceLiveCaptions * c,
    const gchar * item_id);
/* Barge-in: @item_id (may be NULL) was cut after @played_ms; items not
 * started yet will never play. */
void gst_voice_live_captions_interrupted (GstVoiceLiveCaptions * c,
    const gchar * item_id, gint64 played_ms);
/* Input audio from running time @start to @end reached the sink: the
 * service's input ms count from the first @start after a reset. */
void gst_voice_live_captions_input (GstVoiceLiveCaptions * c,
    GstClockTime start, GstClockTime end);

/* For the bus messages: the running time (and duration, NONE if unknown)
 * of an agent transcript delta just received (@whole FALSE) or of the
 * whole item (@whole TRUE), or of a user item. FALSE if not known yet. */
gboolean gst_voice_live_captions_agent_timing (GstVoiceLiveCaptions * c,
    const gchar * item_id, gboolean whole, GstClockTime * running_time,
    GstClockTime * duration);
gboolean gst_voice_live_captions_user_timing (GstVoiceLiveCaptions * c,
    const gchar * item_id, GstClockTime * running_time,
    GstClockTime * duration);

typedef enum
{
  GST_VOICE_LIVE_CAPTIONS_NONE, /* nothing yet: wait */
  GST_VOICE_LIVE_CAPTIONS_CAPTION,
  GST_VOICE_LIVE_CAPTIONS_GAP,  /* no caption starts before *gap_end */
  GST_VOICE_LIVE_CAPTIONS_DONE, /* @final and all is out */
} GstVoiceLiveCaptionsResult;

typedef struct
{
  GstVoiceLiveGranularity granularity;
  GstVoiceLiveSpeakers speakers;
  gboolean words;               /* word timestamps were asked for */
  gboolean hold_user;           /* wait for user transcripts (not live) */
  gboolean hold_utterance;      /* an utterance waits until its audio
                                 * ended (not live) */
  gboolean transcribe;          /* input transcription is on */
} GstVoiceLiveCaptionsConfig;

/* The next caption for a reader at @position, with answer audio played up
 * to @limit (running time; a caption starts once its audio is played). With
 * @final nothing more comes: what can be said is said, then DONE. */
GstVoiceLiveCaptionsResult gst_voice_live_captions_next (GstVoiceLiveCaptions *
    c, const GstVoiceLiveCaptionsConfig * cfg, GstClockTime position,
    GstClockTime limit, gboolean final, GstVoiceLiveCaption * out,
    GstClockTime * gap_end);

G_END_DECLS

#endif /* __GST_VOICE_LIVE_CAPTIONS_H__ */
