/* gst-voicelive
 * Pure JSON build/parse of the Voice Live (OpenAI-Realtime-style) protocol.
 * No GStreamer state here, so it can be unit-tested and fuzzed on its own.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_PROTOCOL_H__
#define __GST_VOICE_LIVE_PROTOCOL_H__

#include <glib.h>
#include <json-glib/json-glib.h>
#include "gstvoiceliveenums.h"

G_BEGIN_DECLS

/* The agent configuration that goes into session.update. A field at its
 * "unset" value is not sent, so the service default applies. */
typedef struct
{
  gchar *instructions;          /* NULL: unset */
  gchar *voice;                 /* NULL: unset */
  GstVoiceLiveTurnDetection turn_detection;     /* DEFAULT: unset */
  gdouble vad_threshold;        /* < 0: unset */
  gint prefix_padding_ms;       /* < 0: unset */
  gint silence_duration_ms;     /* < 0: unset */
} GstVoiceLiveConfig;

void gst_voice_live_config_init (GstVoiceLiveConfig * cfg);
void gst_voice_live_config_clear (GstVoiceLiveConfig * cfg);
void gst_voice_live_config_copy (GstVoiceLiveConfig * dest,
    const GstVoiceLiveConfig * src);

/* Whether a voice name is one of OpenAI's native voices (sent as
 * {"type":"openai"}); otherwise it is an Azure voice. */
gboolean gst_voice_live_voice_is_openai (const gchar * name);

/* session.update with the configured fields plus the audio formats. Pass
 * in_format/out_format < 0 to leave them out. Returns a new string. */
gchar *gst_voice_live_build_session_update (const GstVoiceLiveConfig * cfg,
    const gchar * event_id, gint in_format, gint out_format);

/* session.update carrying only the output audio format. */
gchar *gst_voice_live_build_output_format_update (GstVoiceLiveAudioFormat f);

/* {"type":"input_audio_buffer.append","audio":"<base64>"} written into @out
 * (cleared first), without building a JSON tree. */
void gst_voice_live_build_append (GString * out, const guint8 * data,
    gsize len);

/* {"type":"<type>"} for commit, clear, response.cancel, ... */
gchar *gst_voice_live_build_simple (const gchar * type,
    const gchar * event_id);

/* response.create, optionally with response.instructions. */
gchar *gst_voice_live_build_response_create (const gchar * instructions);

/* The kinds of server event the elements act on. Everything else is
 * GST_VOICE_LIVE_EVENT_OTHER and is only forwarded to the bus. */
typedef enum
{
  GST_VOICE_LIVE_EVENT_OTHER = 0,
  GST_VOICE_LIVE_EVENT_ERROR,
  GST_VOICE_LIVE_EVENT_SESSION_CREATED,
  GST_VOICE_LIVE_EVENT_SESSION_UPDATED,
  GST_VOICE_LIVE_EVENT_SPEECH_STARTED,
  GST_VOICE_LIVE_EVENT_SPEECH_STOPPED,
  GST_VOICE_LIVE_EVENT_INPUT_COMMITTED,
  GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DELTA,
  GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DONE,
  GST_VOICE_LIVE_EVENT_RESPONSE_CREATED,
  GST_VOICE_LIVE_EVENT_RESPONSE_DONE,
  GST_VOICE_LIVE_EVENT_AUDIO_DELTA,
  GST_VOICE_LIVE_EVENT_AUDIO_DONE,
  GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DELTA,
  GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DONE,
  GST_VOICE_LIVE_EVENT_TEXT_DELTA,
  GST_VOICE_LIVE_EVENT_TEXT_DONE,
  GST_VOICE_LIVE_EVENT_FUNCTION_CALL_DONE,
} GstVoiceLiveEventKind;

/* A parsed server event. String fields point into @root and live as long as
 * the event; a field that is absent or of the wrong type is NULL / -1. */
typedef struct
{
  GstVoiceLiveEventKind kind;
  JsonNode *root;               /* owned */
  JsonObject *obj;              /* the event object, owned by root */
  const gchar *type;
  const gchar *event_id;
  const gchar *item_id;
  const gchar *response_id;
  const gchar *call_id;
  const gchar *name;
  const gchar *text;            /* delta, transcript, text or arguments */
  const gchar *session_id;
  const gchar *status;          /* response.done */
  const gchar *reason;          /* response.done status_details.reason */
  const gchar *error_type;
  const gchar *error_code;
  const gchar *error_message;
  const gchar *error_param;
  const gchar *error_event_id;
  gint64 audio_start_ms;
  gint64 audio_end_ms;
  gint64 input_tokens;
  gint64 output_tokens;
  gint64 total_tokens;
} GstVoiceLiveEvent;

/* Parse one text frame. On failure returns FALSE with @error set and @ev
 * cleared; the caller logs and skips the frame. */
gboolean gst_voice_live_event_parse (GstVoiceLiveEvent * ev,
    JsonParser * parser, const gchar * data, gssize len, GError ** error);
void gst_voice_live_event_clear (GstVoiceLiveEvent * ev);

/* Strict base64 decode into @out (at least len * 3 / 4 + 3 bytes). Returns
 * FALSE on characters outside the alphabet or bad padding. */
gboolean gst_voice_live_base64_decode (const gchar * b64, gsize len,
    guint8 * out, gsize * out_len);

/* The WebSocket URL for an endpoint property value: an https/wss base URL
 * gets the Voice Live path and query added; a URL with a path is kept, with
 * missing api-version / model added where that path expects them. http and
 * ws are accepted for loopback hosts only. The URL never carries a secret.
 * On error, the message names the `endpoint` property. */
gchar *gst_voice_live_build_url (const gchar * endpoint,
    const gchar * api_version, const gchar * model, gboolean * openai_beta,
    GError ** error);

G_END_DECLS

#endif /* __GST_VOICE_LIVE_PROTOCOL_H__ */
