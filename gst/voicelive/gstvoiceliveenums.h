/* gst-voicelive
 * The enum and flags types of the properties and their wire names. Pure;
 * called from any thread.
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
const gchar *gst_voice_live_turn_detection_to_wire (GstVoiceLiveTurnDetection
    td);

/**
 * GstVoiceLiveNoiseReduction:
 * @GST_VOICE_LIVE_NOISE_REDUCTION_NONE: `null` (off)
 * @GST_VOICE_LIVE_NOISE_REDUCTION_AZURE_DEEP: `azure_deep_noise_suppression`
 * @GST_VOICE_LIVE_NOISE_REDUCTION_NEAR_FIELD: `near_field` (gpt-realtime models)
 * @GST_VOICE_LIVE_NOISE_REDUCTION_FAR_FIELD: `far_field` (gpt-realtime models)
 *
 * Since: 0.1
 */
typedef enum
{
  GST_VOICE_LIVE_NOISE_REDUCTION_NONE = 0,
  GST_VOICE_LIVE_NOISE_REDUCTION_AZURE_DEEP,
  GST_VOICE_LIVE_NOISE_REDUCTION_NEAR_FIELD,
  GST_VOICE_LIVE_NOISE_REDUCTION_FAR_FIELD,
} GstVoiceLiveNoiseReduction;

#define GST_TYPE_VOICE_LIVE_NOISE_REDUCTION (gst_voice_live_noise_reduction_get_type ())
GType gst_voice_live_noise_reduction_get_type (void);

/**
 * GstVoiceLiveEchoCancellation:
 * @GST_VOICE_LIVE_ECHO_CANCELLATION_NONE: `null` (off)
 * @GST_VOICE_LIVE_ECHO_CANCELLATION_SERVER: `server_echo_cancellation`
 * @GST_VOICE_LIVE_ECHO_CANCELLATION_CLIENT_REFERENCE:
 *   `server_echo_cancellation` with `reference_source: client`: the input
 *   goes out as stereo, channel 1 the audio the speaker played (Since: 0.2)
 *
 * Since: 0.1
 */
typedef enum
{
  GST_VOICE_LIVE_ECHO_CANCELLATION_NONE = 0,
  GST_VOICE_LIVE_ECHO_CANCELLATION_SERVER,
  GST_VOICE_LIVE_ECHO_CANCELLATION_CLIENT_REFERENCE,
} GstVoiceLiveEchoCancellation;

#define GST_TYPE_VOICE_LIVE_ECHO_CANCELLATION (gst_voice_live_echo_cancellation_get_type ())
GType gst_voice_live_echo_cancellation_get_type (void);

/**
 * GstVoiceLiveEouModel:
 * @GST_VOICE_LIVE_EOU_MODEL_NONE: no end-of-utterance detection (not sent)
 * @GST_VOICE_LIVE_EOU_MODEL_SEMANTIC_V1: `semantic_detection_v1`
 * @GST_VOICE_LIVE_EOU_MODEL_SEMANTIC_V1_EN: `semantic_detection_v1_en`
 * @GST_VOICE_LIVE_EOU_MODEL_SEMANTIC_V1_MULTILINGUAL: `semantic_detection_v1_multilingual`
 * @GST_VOICE_LIVE_EOU_MODEL_SMART: `smart_end_of_turn_detection` (audio-based; the only one gpt-realtime models take)
 *
 * Since: 0.1
 */
typedef enum
{
  GST_VOICE_LIVE_EOU_MODEL_NONE = 0,
  GST_VOICE_LIVE_EOU_MODEL_SEMANTIC_V1,
  GST_VOICE_LIVE_EOU_MODEL_SEMANTIC_V1_EN,
  GST_VOICE_LIVE_EOU_MODEL_SEMANTIC_V1_MULTILINGUAL,
  /* audio-based; api-version 2026-06-01-preview or later */
  GST_VOICE_LIVE_EOU_MODEL_SMART,
} GstVoiceLiveEouModel;

#define GST_TYPE_VOICE_LIVE_EOU_MODEL (gst_voice_live_eou_model_get_type ())
GType gst_voice_live_eou_model_get_type (void);

/**
 * GstVoiceLiveEouThreshold:
 * @GST_VOICE_LIVE_EOU_THRESHOLD_DEFAULT: `default`
 * @GST_VOICE_LIVE_EOU_THRESHOLD_LOW: `low`
 * @GST_VOICE_LIVE_EOU_THRESHOLD_MEDIUM: `medium`
 * @GST_VOICE_LIVE_EOU_THRESHOLD_HIGH: `high`
 *
 * Since: 0.1
 */
typedef enum
{
  GST_VOICE_LIVE_EOU_THRESHOLD_DEFAULT = 0,
  GST_VOICE_LIVE_EOU_THRESHOLD_LOW,
  GST_VOICE_LIVE_EOU_THRESHOLD_MEDIUM,
  GST_VOICE_LIVE_EOU_THRESHOLD_HIGH,
} GstVoiceLiveEouThreshold;

#define GST_TYPE_VOICE_LIVE_EOU_THRESHOLD (gst_voice_live_eou_threshold_get_type ())
GType gst_voice_live_eou_threshold_get_type (void);

/**
 * GstVoiceLiveVoiceType:
 * @GST_VOICE_LIVE_VOICE_TYPE_AUTO: from the name: OpenAI names are `openai`, realtime-native names (ava, andrew, ...) `azure-realtime-native`, others `azure-standard`; `azure-custom` when voice-endpoint-id is set
 * @GST_VOICE_LIVE_VOICE_TYPE_OPENAI: `openai`
 * @GST_VOICE_LIVE_VOICE_TYPE_AZURE_STANDARD: `azure-standard`
 * @GST_VOICE_LIVE_VOICE_TYPE_AZURE_CUSTOM: `azure-custom`
 * @GST_VOICE_LIVE_VOICE_TYPE_AZURE_PERSONAL: `azure-personal`
 * @GST_VOICE_LIVE_VOICE_TYPE_AZURE_REALTIME_NATIVE: `azure-realtime-native` (model azure-realtime)
 *
 * Since: 0.1
 */
typedef enum
{
  GST_VOICE_LIVE_VOICE_TYPE_AUTO = 0,
  GST_VOICE_LIVE_VOICE_TYPE_OPENAI,
  GST_VOICE_LIVE_VOICE_TYPE_AZURE_STANDARD,
  GST_VOICE_LIVE_VOICE_TYPE_AZURE_CUSTOM,
  GST_VOICE_LIVE_VOICE_TYPE_AZURE_PERSONAL,
  /* model=azure-realtime only; api-version 2026-01-01-preview or later */
  GST_VOICE_LIVE_VOICE_TYPE_AZURE_REALTIME_NATIVE,
} GstVoiceLiveVoiceType;

#define GST_TYPE_VOICE_LIVE_VOICE_TYPE (gst_voice_live_voice_type_get_type ())
GType gst_voice_live_voice_type_get_type (void);

/**
 * GstVoiceLiveModalities:
 * @GST_VOICE_LIVE_MODALITIES_TEXT: `text`
 * @GST_VOICE_LIVE_MODALITIES_AUDIO: `audio` (needs text too)
 *
 * Since: 0.1
 */
typedef enum
{
  GST_VOICE_LIVE_MODALITIES_TEXT = (1 << 0),
  GST_VOICE_LIVE_MODALITIES_AUDIO = (1 << 1),
} GstVoiceLiveModalities;

#define GST_TYPE_VOICE_LIVE_MODALITIES (gst_voice_live_modalities_get_type ())
GType gst_voice_live_modalities_get_type (void);

/**
 * GstVoiceLiveInterimType:
 * @GST_VOICE_LIVE_INTERIM_TYPE_NONE: no interim responses (`interim_response` null when set)
 * @GST_VOICE_LIVE_INTERIM_TYPE_STATIC: `static_interim_response`: one of fixed texts
 * @GST_VOICE_LIVE_INTERIM_TYPE_LLM: `llm_interim_response`: a filler written by a model
 *
 * Since: 0.2
 */
typedef enum
{
  GST_VOICE_LIVE_INTERIM_TYPE_NONE = 0,
  GST_VOICE_LIVE_INTERIM_TYPE_STATIC,
  GST_VOICE_LIVE_INTERIM_TYPE_LLM,
} GstVoiceLiveInterimType;

#define GST_TYPE_VOICE_LIVE_INTERIM_TYPE (gst_voice_live_interim_type_get_type ())
GType gst_voice_live_interim_type_get_type (void);

/**
 * GstVoiceLiveInterimTriggers:
 * @GST_VOICE_LIVE_INTERIM_TRIGGERS_LATENCY: `latency`: the answer is slower than the threshold
 * @GST_VOICE_LIVE_INTERIM_TRIGGERS_TOOL: `tool`: a tool call runs
 *
 * Since: 0.2
 */
typedef enum
{
  GST_VOICE_LIVE_INTERIM_TRIGGERS_LATENCY = (1 << 0),
  GST_VOICE_LIVE_INTERIM_TRIGGERS_TOOL = (1 << 1),
} GstVoiceLiveInterimTriggers;

#define GST_TYPE_VOICE_LIVE_INTERIM_TRIGGERS (gst_voice_live_interim_triggers_get_type ())
GType gst_voice_live_interim_triggers_get_type (void);

/**
 * GstVoiceLiveInclude:
 * @GST_VOICE_LIVE_INCLUDE_LOGPROBS: `item.input_audio_transcription.logprobs`
 * @GST_VOICE_LIVE_INCLUDE_PHRASES: `item.input_audio_transcription.phrases`
 *
 * Since: 0.2
 */
typedef enum
{
  GST_VOICE_LIVE_INCLUDE_LOGPROBS = (1 << 0),
  GST_VOICE_LIVE_INCLUDE_PHRASES = (1 << 1),
} GstVoiceLiveInclude;

#define GST_TYPE_VOICE_LIVE_INCLUDE (gst_voice_live_include_get_type ())
GType gst_voice_live_include_get_type (void);

/**
 * GstVoiceLiveAvatarOutput:
 * @GST_VOICE_LIVE_AVATAR_OUTPUT_WEBSOCKET: `websocket`: the video comes as response.video.delta events (fragmented MP4)
 * @GST_VOICE_LIVE_AVATAR_OUTPUT_WEBRTC: `webrtc`: the video comes over a WebRTC peer connection
 *
 * Since: 0.2
 */
typedef enum
{
  GST_VOICE_LIVE_AVATAR_OUTPUT_WEBSOCKET = 0,
  GST_VOICE_LIVE_AVATAR_OUTPUT_WEBRTC,
} GstVoiceLiveAvatarOutput;

#define GST_TYPE_VOICE_LIVE_AVATAR_OUTPUT (gst_voice_live_avatar_output_get_type ())
GType gst_voice_live_avatar_output_get_type (void);

/* Wire values (NULL where nothing is sent) */
const gchar *gst_voice_live_noise_reduction_to_wire (GstVoiceLiveNoiseReduction
    v);
const gchar *gst_voice_live_eou_model_to_wire (GstVoiceLiveEouModel v);
const gchar *gst_voice_live_eou_threshold_to_wire (GstVoiceLiveEouThreshold v);
const gchar *gst_voice_live_voice_type_to_wire (GstVoiceLiveVoiceType v);
const gchar *gst_voice_live_interim_type_to_wire (GstVoiceLiveInterimType v);

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

/* The caps of those formats: both elements' pad templates. */
#define GST_VOICE_LIVE_AUDIO_CAPS \
    "audio/x-raw, format = (string) S16LE, " \
    "channels = (int) 1, rate = (int) { 24000, 16000, 8000 }, " \
    "layout = (string) interleaved; " \
    "audio/x-mulaw, channels = (int) 1, rate = (int) 8000; " \
    "audio/x-alaw, channels = (int) 1, rate = (int) 8000"
/* What the openai dialect (GA) takes of them: PCM at 24 kHz only */
#define GST_VOICE_LIVE_GA_AUDIO_CAPS \
    "audio/x-raw, format = (string) S16LE, " \
    "channels = (int) 1, rate = (int) 24000, layout = (string) interleaved; " \
    "audio/x-mulaw, channels = (int) 1, rate = (int) 8000; " \
    "audio/x-alaw, channels = (int) 1, rate = (int) 8000"

guint gst_voice_live_audio_format_rate (GstVoiceLiveAudioFormat f);
guint gst_voice_live_audio_format_bytes_per_sample (GstVoiceLiveAudioFormat f);
/* input_audio_format value ("pcm16", "g711_ulaw", "g711_alaw") */
const gchar *gst_voice_live_audio_format_input_wire (GstVoiceLiveAudioFormat f);
/* output_audio_format value ("pcm16", "pcm16_16000hz", ...) */
const gchar *gst_voice_live_audio_format_output_wire (GstVoiceLiveAudioFormat
    f);

G_END_DECLS
#endif /* __GST_VOICE_LIVE_ENUMS_H__ */
