/* gst-voicelive
 * voicelivetextsrc, the conversation as timed text (gstvoicelivetextsrc.c).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_TEXT_SRC_H__
#define __GST_VOICE_LIVE_TEXT_SRC_H__

#include <gst/gst.h>
#include <gst/base/gstpushsrc.h>

G_BEGIN_DECLS

#define GST_TYPE_VOICE_LIVE_TEXT_SRC (gst_voice_live_text_src_get_type ())
G_DECLARE_FINAL_TYPE (GstVoiceLiveTextSrc, gst_voice_live_text_src, GST,
    VOICE_LIVE_TEXT_SRC, GstPushSrc)

/**
 * GstVoiceLiveTextGranularity:
 * @GST_VOICE_LIVE_GRANULARITY_WORD: a caption per word (with the sink's word-timestamps; else per transcript delta)
 * @GST_VOICE_LIVE_GRANULARITY_PHRASE: a caption per transcript delta, as it arrives
 * @GST_VOICE_LIVE_GRANULARITY_UTTERANCE: the whole transcript of an item
 *
 * Since: 0.2
 */
#define GST_TYPE_VOICE_LIVE_TEXT_GRANULARITY (gst_voice_live_text_granularity_get_type ())
GType gst_voice_live_text_granularity_get_type (void);

/**
 * GstVoiceLiveTextSpeakers:
 * @GST_VOICE_LIVE_SPEAKER_AGENT: the agent's answers
 * @GST_VOICE_LIVE_SPEAKER_USER: the user's words (input transcription)
 *
 * Since: 0.2
 */
#define GST_TYPE_VOICE_LIVE_TEXT_SPEAKERS (gst_voice_live_text_speakers_get_type ())
GType gst_voice_live_text_speakers_get_type (void);

GST_ELEMENT_REGISTER_DECLARE (voicelivetextsrc);

G_END_DECLS

#endif /* __GST_VOICE_LIVE_TEXT_SRC_H__ */
