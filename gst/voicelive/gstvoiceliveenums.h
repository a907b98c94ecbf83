/* gst-voicelive
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_ENUMS_H__
#define __GST_VOICE_LIVE_ENUMS_H__

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * GstVoiceLiveTurnDetection:
 * @GST_VOICE_LIVE_TURN_DETECTION_DEFAULT: not sent; the service default (server VAD) applies
 * @GST_VOICE_LIVE_TURN_DETECTION_NONE: `null`: manual turns (commit-input / create-response)
 * @GST_VOICE_LIVE_TURN_DETECTION_SERVER_VAD: `server_vad`
 * @GST_VOICE_LIVE_TURN_DETECTION_SEMANTIC_VAD: `semantic_vad` (gpt-realtime models only)
 * @GST_VOICE_LIVE_TURN_DETECTION_AZURE_SEMANTIC_VAD: `azure_semantic_vad`
 * @GST_VOICE_LIVE_TURN_DETECTION_AZURE_SEMANTIC_VAD_EN: `azure_semantic_vad_en`
 * @GST_VOICE_LIVE_TURN_DETECTION_AZURE_SEMANTIC_VAD_MULTILINGUAL: `azure_semantic_vad_multilingual`
 *
 * Since: 0.1
 */
typedef enum
{
  GST_VOICE_LIVE_TURN_DETECTION_DEFAULT = -1,
  GST_VOICE_LIVE_TURN_DETECTION_NONE = 0,
  GST_VOICE_LIVE_TURN_DETECTION_SERVER_VAD,
  GST_VOICE_LIVE_TURN_DETECTION_SEMANTIC_VAD,
  GST_VOICE_LIVE_TURN_DETECTION_AZURE_SEMANTIC_VAD,
  GST_VOICE_LIVE_TURN_DETECTION_AZURE_SEMANTIC_VAD_EN,
  GST_VOICE_LIVE_TURN_DETECTION_AZURE_SEMANTIC_VAD_MULTILINGUAL,
} GstVoiceLiveTurnDetection;

#define GST_TYPE_VOICE_LIVE_TURN_DETECTION (gst_voice_live_turn_detection_get_type ())
GType gst_voice_live_turn_detection_get_type (void);

/* The wire value of a turn-detection type, or NULL for DEFAULT and NONE. */
const gchar *gst_voice_live_turn_detection_to_wire (GstVoiceLiveTurnDetection td);

/**
 * GstVoiceLiveAudioFormat:
 *
 * Audio formats of the service (input_audio_format / output_audio_format
 * plus the sampling rate). Internal, not a property type.
 */
typedef enum
{
  GST_VOICE_LIVE_AUDIO_PCM16_24000 = 0,
  GST_VOICE_LIVE_AUDIO_PCM16_16000,
  GST_VOICE_LIVE_AUDIO_PCM16_8000,
  GST_VOICE_LIVE_AUDIO_G711_ULAW,
  GST_VOICE_LIVE_AUDIO_G711_ALAW,
} GstVoiceLiveAudioFormat;

guint gst_voice_live_audio_format_rate (GstVoiceLiveAudioFormat f);
guint gst_voice_live_audio_format_bytes_per_sample (GstVoiceLiveAudioFormat f);
/* input_audio_format value ("pcm16", "g711_ulaw", "g711_alaw") */
const gchar *gst_voice_live_audio_format_input_wire (GstVoiceLiveAudioFormat f);
/* output_audio_format value ("pcm16", "pcm16_16000hz", ...) */
const gchar *gst_voice_live_audio_format_output_wire (GstVoiceLiveAudioFormat f);

G_END_DECLS

#endif /* __GST_VOICE_LIVE_ENUMS_H__ */
