/* gst-voicelive
 * The enum and flags GTypes of the properties and their wire names
 * (GstVoiceLiveTurnDetection, ...). Pure; called from any thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstvoiceliveenums.h"

GType
gst_voice_live_turn_detection_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_VOICE_LIVE_TURN_DETECTION_DEFAULT,
          "Default: not sent, the service default (server VAD) applies",
        "default"},
    {GST_VOICE_LIVE_TURN_DETECTION_NONE,
        "None: turn_detection null, manual turns", "none"},
    {GST_VOICE_LIVE_TURN_DETECTION_SERVER_VAD,
        "Server VAD: server_vad, energy/voice activity based", "server-vad"},
    {GST_VOICE_LIVE_TURN_DETECTION_SEMANTIC_VAD,
          "Semantic VAD: semantic_vad (gpt-realtime models only)",
        "semantic-vad"},
    {GST_VOICE_LIVE_TURN_DETECTION_AZURE_SEMANTIC_VAD,
        "Azure semantic VAD: azure_semantic_vad", "azure-semantic-vad"},
    {GST_VOICE_LIVE_TURN_DETECTION_AZURE_SEMANTIC_VAD_EN,
          "Azure semantic VAD, English: azure_semantic_vad_en",
        "azure-semantic-vad-en"},
    {GST_VOICE_LIVE_TURN_DETECTION_AZURE_SEMANTIC_VAD_MULTILINGUAL,
          "Azure semantic VAD, multilingual: azure_semantic_vad_multilingual",
        "azure-semantic-vad-multilingual"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstVoiceLiveTurnDetection", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

#define DEFINE_ENUM(func, name, ...) \
GType \
func (void) \
{ \
  static GType type = 0; \
  static const GEnumValue values[] = { __VA_ARGS__, {0, NULL, NULL} }; \
  if (g_once_init_enter (&type)) { \
    GType t = g_enum_register_static (name, values); \
    g_once_init_leave (&type, t); \
  } \
  return type; \
}

/* *INDENT-OFF* */
DEFINE_ENUM (gst_voice_live_noise_reduction_get_type,
    "GstVoiceLiveNoiseReduction",
    {GST_VOICE_LIVE_NOISE_REDUCTION_NONE, "None: null, off", "none"},
    {GST_VOICE_LIVE_NOISE_REDUCTION_AZURE_DEEP,
        "Azure deep noise suppression: azure_deep_noise_suppression",
        "azure-deep-noise-suppression"},
    {GST_VOICE_LIVE_NOISE_REDUCTION_NEAR_FIELD,
        "Near field: near_field (gpt-realtime models)", "near-field"},
    {GST_VOICE_LIVE_NOISE_REDUCTION_FAR_FIELD,
        "Far field: far_field (gpt-realtime models)", "far-field"})

DEFINE_ENUM (gst_voice_live_echo_cancellation_get_type,
    "GstVoiceLiveEchoCancellation",
    {GST_VOICE_LIVE_ECHO_CANCELLATION_NONE, "None: null, off", "none"},
    {GST_VOICE_LIVE_ECHO_CANCELLATION_SERVER,
        "Server: server_echo_cancellation", "server"},
    {GST_VOICE_LIVE_ECHO_CANCELLATION_CLIENT_REFERENCE,
          "Client reference: server_echo_cancellation with the speaker's "
          "audio sent as channel 1 (stereo appends)", "client-reference"})

DEFINE_ENUM (gst_voice_live_eou_model_get_type, "GstVoiceLiveEouModel",
    {GST_VOICE_LIVE_EOU_MODEL_NONE, "None: not sent", "none"},
    {GST_VOICE_LIVE_EOU_MODEL_SEMANTIC_V1,
        "Semantic detection v1: semantic_detection_v1",
        "semantic-detection-v1"},
    {GST_VOICE_LIVE_EOU_MODEL_SEMANTIC_V1_EN,
        "Semantic detection v1, English: semantic_detection_v1_en",
        "semantic-detection-v1-en"},
    {GST_VOICE_LIVE_EOU_MODEL_SEMANTIC_V1_MULTILINGUAL,
        "Semantic detection v1, multilingual: "
        "semantic_detection_v1_multilingual",
        "semantic-detection-v1-multilingual"},
    {GST_VOICE_LIVE_EOU_MODEL_SMART,
        "Smart end of turn: smart_end_of_turn_detection (audio-based, "
        "also on gpt-realtime models)", "smart-end-of-turn-detection"})

DEFINE_ENUM (gst_voice_live_eou_threshold_get_type,
    "GstVoiceLiveEouThreshold",
    {GST_VOICE_LIVE_EOU_THRESHOLD_DEFAULT, "Default: default (= medium)",
        "default"},
    {GST_VOICE_LIVE_EOU_THRESHOLD_LOW, "Low: low", "low"},
    {GST_VOICE_LIVE_EOU_THRESHOLD_MEDIUM, "Medium: medium", "medium"},
    {GST_VOICE_LIVE_EOU_THRESHOLD_HIGH, "High: high", "high"})

DEFINE_ENUM (gst_voice_live_voice_type_get_type, "GstVoiceLiveVoiceType",
    {GST_VOICE_LIVE_VOICE_TYPE_AUTO,
        "Auto: openai for OpenAI voice names, azure-realtime-native for "
        "realtime-native names, azure-custom with voice-endpoint-id, else "
        "azure-standard", "auto"},
    {GST_VOICE_LIVE_VOICE_TYPE_OPENAI, "OpenAI: openai", "openai"},
    {GST_VOICE_LIVE_VOICE_TYPE_AZURE_STANDARD,
        "Azure standard: azure-standard", "azure-standard"},
    {GST_VOICE_LIVE_VOICE_TYPE_AZURE_CUSTOM, "Azure custom: azure-custom",
        "azure-custom"},
    {GST_VOICE_LIVE_VOICE_TYPE_AZURE_PERSONAL,
        "Azure personal: azure-personal", "azure-personal"},
    {GST_VOICE_LIVE_VOICE_TYPE_AZURE_REALTIME_NATIVE,
        "Azure realtime native: azure-realtime-native (model azure-realtime)",
        "azure-realtime-native"})
DEFINE_ENUM (gst_voice_live_interim_type_get_type, "GstVoiceLiveInterimType",
    {GST_VOICE_LIVE_INTERIM_TYPE_NONE, "None: no interim responses", "none"},
    {GST_VOICE_LIVE_INTERIM_TYPE_STATIC,
        "Static: static_interim_response, one of interim-response-texts",
        "static"},
    {GST_VOICE_LIVE_INTERIM_TYPE_LLM,
        "LLM: llm_interim_response, written by a model", "llm"})
DEFINE_ENUM (gst_voice_live_avatar_output_get_type, "GstVoiceLiveAvatarOutput",
    {GST_VOICE_LIVE_AVATAR_OUTPUT_WEBSOCKET,
        "WebSocket: response.video.delta events (fragmented MP4)",
        "websocket"},
    {GST_VOICE_LIVE_AVATAR_OUTPUT_WEBRTC, "WebRTC: a peer connection",
        "webrtc"})
/* *INDENT-ON* */

GType
gst_voice_live_modalities_get_type (void)
{
  static GType type = 0;
  static const GFlagsValue values[] = {
    {GST_VOICE_LIVE_MODALITIES_TEXT, "Text: text", "text"},
    {GST_VOICE_LIVE_MODALITIES_AUDIO, "Audio: audio", "audio"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type)) {
    GType t = g_flags_register_static ("GstVoiceLiveModalities", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

#define DEFINE_FLAGS(func, name, ...) \
GType \
func (void) \
{ \
  static GType type = 0; \
  static const GFlagsValue values[] = { __VA_ARGS__, {0, NULL, NULL} }; \
  if (g_once_init_enter (&type)) { \
    GType t = g_flags_register_static (name, values); \
    g_once_init_leave (&type, t); \
  } \
  return type; \
}

/* *INDENT-OFF* */
DEFINE_FLAGS (gst_voice_live_interim_triggers_get_type,
    "GstVoiceLiveInterimTriggers",
    {GST_VOICE_LIVE_INTERIM_TRIGGERS_LATENCY, "Latency: latency", "latency"},
    {GST_VOICE_LIVE_INTERIM_TRIGGERS_TOOL, "Tool: tool", "tool"})
DEFINE_FLAGS (gst_voice_live_include_get_type, "GstVoiceLiveInclude",
    {GST_VOICE_LIVE_INCLUDE_LOGPROBS,
        "Logprobs: item.input_audio_transcription.logprobs", "logprobs"},
    {GST_VOICE_LIVE_INCLUDE_PHRASES,
        "Phrases: item.input_audio_transcription.phrases", "phrases"})
/* *INDENT-ON* */

const gchar *
gst_voice_live_interim_type_to_wire (GstVoiceLiveInterimType v)
{
  switch (v) {
    case GST_VOICE_LIVE_INTERIM_TYPE_STATIC:
      return "static_interim_response";
    case GST_VOICE_LIVE_INTERIM_TYPE_LLM:
      return "llm_interim_response";
    default:
      return NULL;
  }
}

const gchar *
gst_voice_live_noise_reduction_to_wire (GstVoiceLiveNoiseReduction v)
{
  switch (v) {
    case GST_VOICE_LIVE_NOISE_REDUCTION_AZURE_DEEP:
      return "azure_deep_noise_suppression";
    case GST_VOICE_LIVE_NOISE_REDUCTION_NEAR_FIELD:
      return "near_field";
    case GST_VOICE_LIVE_NOISE_REDUCTION_FAR_FIELD:
      return "far_field";
    default:
      return NULL;
  }
}

const gchar *
gst_voice_live_eou_model_to_wire (GstVoiceLiveEouModel v)
{
  switch (v) {
    case GST_VOICE_LIVE_EOU_MODEL_SEMANTIC_V1:
      return "semantic_detection_v1";
    case GST_VOICE_LIVE_EOU_MODEL_SEMANTIC_V1_EN:
      return "semantic_detection_v1_en";
    case GST_VOICE_LIVE_EOU_MODEL_SEMANTIC_V1_MULTILINGUAL:
      return "semantic_detection_v1_multilingual";
    case GST_VOICE_LIVE_EOU_MODEL_SMART:
      return "smart_end_of_turn_detection";
    default:
      return NULL;
  }
}

const gchar *
gst_voice_live_eou_threshold_to_wire (GstVoiceLiveEouThreshold v)
{
  switch (v) {
    case GST_VOICE_LIVE_EOU_THRESHOLD_LOW:
      return "low";
    case GST_VOICE_LIVE_EOU_THRESHOLD_MEDIUM:
      return "medium";
    case GST_VOICE_LIVE_EOU_THRESHOLD_HIGH:
      return "high";
    default:
      return "default";
  }
}

const gchar *
gst_voice_live_voice_type_to_wire (GstVoiceLiveVoiceType v)
{
  switch (v) {
    case GST_VOICE_LIVE_VOICE_TYPE_OPENAI:
      return "openai";
    case GST_VOICE_LIVE_VOICE_TYPE_AZURE_STANDARD:
      return "azure-standard";
    case GST_VOICE_LIVE_VOICE_TYPE_AZURE_CUSTOM:
      return "azure-custom";
    case GST_VOICE_LIVE_VOICE_TYPE_AZURE_PERSONAL:
      return "azure-personal";
    case GST_VOICE_LIVE_VOICE_TYPE_AZURE_REALTIME_NATIVE:
      return "azure-realtime-native";
    default:
      return NULL;
  }
}

const gchar *
gst_voice_live_turn_detection_to_wire (GstVoiceLiveTurnDetection td)
{
  switch (td) {
    case GST_VOICE_LIVE_TURN_DETECTION_SERVER_VAD:
      return "server_vad";
    case GST_VOICE_LIVE_TURN_DETECTION_SEMANTIC_VAD:
      return "semantic_vad";
    case GST_VOICE_LIVE_TURN_DETECTION_AZURE_SEMANTIC_VAD:
      return "azure_semantic_vad";
    case GST_VOICE_LIVE_TURN_DETECTION_AZURE_SEMANTIC_VAD_EN:
      return "azure_semantic_vad_en";
    case GST_VOICE_LIVE_TURN_DETECTION_AZURE_SEMANTIC_VAD_MULTILINGUAL:
      return "azure_semantic_vad_multilingual";
    default:
      return NULL;
  }
}

guint
gst_voice_live_audio_format_rate (GstVoiceLiveAudioFormat f)
{
  switch (f) {
    case GST_VOICE_LIVE_AUDIO_PCM16_24000:
      return 24000;
    case GST_VOICE_LIVE_AUDIO_PCM16_16000:
      return 16000;
    default:
      return 8000;
  }
}

guint
gst_voice_live_audio_format_bytes_per_sample (GstVoiceLiveAudioFormat f)
{
  return (f == GST_VOICE_LIVE_AUDIO_G711_ULAW
      || f == GST_VOICE_LIVE_AUDIO_G711_ALAW) ? 1 : 2;
}

const gchar *
gst_voice_live_audio_format_input_wire (GstVoiceLiveAudioFormat f)
{
  switch (f) {
    case GST_VOICE_LIVE_AUDIO_G711_ULAW:
      return "g711_ulaw";
    case GST_VOICE_LIVE_AUDIO_G711_ALAW:
      return "g711_alaw";
    default:
      return "pcm16";
  }
}

const gchar *
gst_voice_live_audio_format_output_wire (GstVoiceLiveAudioFormat f)
{
  switch (f) {
    case GST_VOICE_LIVE_AUDIO_PCM16_16000:
      return "pcm16_16000hz";
    case GST_VOICE_LIVE_AUDIO_PCM16_8000:
      return "pcm16_8000hz";
    default:
      /* G.711 and 24 kHz PCM are named as on input */
      return gst_voice_live_audio_format_input_wire (f);
  }
}
