/* gst-voicelive
 * The session's timed text: server events into the captions (network
 * thread), the running-time fields of the transcript messages, and the
 * reads of voicelivetextsrc (its streaming thread).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstvoicelivesession-private.h"

/* The smallest GAP a live reader gets */
#define LIVE_MIN_GAP (10 * GST_MSECOND)

void
vl_session_captions_event_locked (GstVoiceLiveSession * self,
    const GstVoiceLiveEvent * ev)
{
  GstVoiceLiveCaptions *c = self->captions;

  switch (ev->kind) {
    case GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DELTA:
      gst_voice_live_captions_agent_delta (c, ev->item_id, ev->text);
      break;
    case GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DONE:
      gst_voice_live_captions_transcript (c, ev->item_id, FALSE, ev->text);
      break;
    case GST_VOICE_LIVE_EVENT_AUDIO_TIMESTAMP:
      gst_voice_live_captions_agent_word (c, ev->item_id, ev->text,
          ev->audio_start_ms, ev->audio_end_ms);
      break;
    case GST_VOICE_LIVE_EVENT_AUDIO_DONE:
      gst_voice_live_captions_audio_done (c, ev->item_id);
      break;
    case GST_VOICE_LIVE_EVENT_SPEECH_STARTED:
    case GST_VOICE_LIVE_EVENT_SPEECH_STOPPED:
      /* Each carries its own field; the other is -1 */
      gst_voice_live_captions_speech (c, ev->item_id, ev->audio_start_ms,
          ev->audio_end_ms);
      break;
    case GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DONE:
      gst_voice_live_captions_transcript (c, ev->item_id, TRUE, ev->text);
      break;
    default:
      return;
  }
  wake_waiters (self);
}

/* The src's playback messages say when each item started and where a
 * barge-in cut it. */
void
vl_session_captions_msgs_locked (GstVoiceLiveSession * self, GPtrArray * msgs)
{
  guint i;

  for (i = 0; i < msgs->len; i++) {
    GstStructure *s = g_ptr_array_index (msgs, i);
    const gchar *item = gst_structure_get_string (s, "item-id");
    GstClockTime rt = GST_CLOCK_TIME_NONE;
    gboolean interrupted = FALSE;
    gint64 played = 0;

    if (gst_structure_has_name (s, "voicelive/playback-started")
        && gst_structure_get_uint64 (s, "running-time", &rt)) {
      gst_voice_live_captions_item_started (self->captions, item, rt);
      wake_waiters (self);
    } else if (gst_structure_has_name (s, "voicelive/playback-stopped")) {
      if (gst_structure_get_boolean (s, "interrupted", &interrupted)
          && interrupted && gst_structure_get_int64 (s, "played-ms", &played))
        gst_voice_live_captions_interrupted (self->captions, item, played);
      else
        gst_voice_live_captions_item_stopped (self->captions, item);
      wake_waiters (self);
    }
  }
}

/* running-time and duration of a transcript message, when known */
void
vl_session_captions_timing (GstVoiceLiveSession * self,
    const GstVoiceLiveEvent * ev, GstStructure * s)
{
  GstClockTime rt = GST_CLOCK_TIME_NONE, dur = GST_CLOCK_TIME_NONE;
  gboolean known;

  switch (ev->kind) {
    case GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DELTA:
    case GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DONE:
      g_mutex_lock (&self->lock);
      known = gst_voice_live_captions_agent_timing (self->captions,
          ev->item_id, ev->kind == GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DONE,
          &rt, &dur);
      g_mutex_unlock (&self->lock);
      break;
    case GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DELTA:
    case GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DONE:
      g_mutex_lock (&self->lock);
      known = gst_voice_live_captions_user_timing (self->captions,
          ev->item_id, &rt, &dur);
      g_mutex_unlock (&self->lock);
      break;
    default:
      return;
  }
  if (known)
    gst_structure_set (s, "running-time", G_TYPE_UINT64, rt, NULL);
  if (known && GST_CLOCK_TIME_IS_VALID (dur))
    gst_structure_set (s, "duration", G_TYPE_UINT64, dur, NULL);
}

void
gst_voice_live_session_note_input (GstVoiceLiveSession * self,
    GstClockTime start, GstClockTime end)
{
  g_mutex_lock (&self->lock);
  gst_voice_live_captions_input (self->captions, start, end);
  if (self->text)
    wake_waiters (self);
  g_mutex_unlock (&self->lock);
}

void
vl_session_output_pushed_locked (GstVoiceLiveSession * self, GstClockTime end)
{
  self->out_position = end;
  /* Only a text src waits for this */
  if (self->text)
    wake_waiters (self);
}

void
gst_voice_live_session_set_text_flushing (GstVoiceLiveSession * self,
    gboolean flushing)
{
  g_mutex_lock (&self->lock);
  self->text_flushing = flushing;
  wake_waiters (self);
  g_mutex_unlock (&self->lock);
}

GstVoiceLiveTextResult
gst_voice_live_session_read_caption (GstVoiceLiveSession * self,
    GstVoiceLiveGranularity granularity, guint speakers, gboolean live,
    GstClockTime position, GstClockTime clock_rt, gint64 deadline_us,
    GstVoiceLiveCaption * out, GstClockTime * gap_end)
{
  GstVoiceLiveCaptionsConfig cfg;
  GstVoiceLiveTextResult res;

  cfg.granularity = granularity;
  cfg.speakers = speakers;
  /* Not live, a recording waits for the user's transcript; live, a late
   * one is shown late rather than holding up the display. */
  cfg.hold_user = !live;
  cfg.hold_utterance = !live;

  g_mutex_lock (&self->lock);
  while (TRUE) {
    GstClockTime limit = self->out_position;
    gboolean final;

    if (self->text_flushing) {
      res = GST_VOICE_LIVE_TEXT_FLUSHING;
      break;
    }
    if (self->failed) {
      res = GST_VOICE_LIVE_TEXT_ERROR;
      break;
    }
    cfg.words = self->config.word_timestamps;
    cfg.transcribe = self->config.transcription_model
        && *self->config.transcription_model;
    /* Without a src playing, a live reader goes by the clock */
    if (live && GST_CLOCK_TIME_IS_VALID (clock_rt)
        && (!GST_CLOCK_TIME_IS_VALID (limit) || clock_rt > limit))
      limit = clock_rt;
    final = self->out_ended || (self->output_eos && !self->src);
    /* No more input: no more user words to wait for */
    cfg.hold_user = !live && !self->output_eos;
    switch (gst_voice_live_captions_next (self->captions, &cfg, position,
            limit, final, out, gap_end)) {
      case GST_VOICE_LIVE_CAPTIONS_CAPTION:
        res = GST_VOICE_LIVE_TEXT_CAPTION;
        goto done;
      case GST_VOICE_LIVE_CAPTIONS_GAP:
        /* Live by the clock, a GAP each time the clock moved a little
         * would spin: GAPs go in steps of at least LIVE_MIN_GAP */
        if (!live || !GST_CLOCK_TIME_IS_VALID (position)
            || *gap_end >= position + LIVE_MIN_GAP) {
          res = GST_VOICE_LIVE_TEXT_GAP;
          goto done;
        }
        break;
      case GST_VOICE_LIVE_CAPTIONS_DONE:
        res = GST_VOICE_LIVE_TEXT_EOS;
        goto done;
      default:
        break;
    }
    if (!vl_session_wait_locked (self, deadline_us)) {
      res = GST_VOICE_LIVE_TEXT_TIMEOUT;
      break;
    }
  }
done:
  g_mutex_unlock (&self->lock);
  return res;
}
