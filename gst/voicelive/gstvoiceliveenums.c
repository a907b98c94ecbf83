/* gst-voicelive
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
    case GST_VOICE_LIVE_AUDIO_G711_ULAW:
      return "g711_ulaw";
    case GST_VOICE_LIVE_AUDIO_G711_ALAW:
      return "g711_alaw";
    default:
      return "pcm16";
  }
}
