/* gst-voicelive
 * The shared session: name registry, WebSocket, network thread, protocol
 * state and the queue of response audio.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_SESSION_H__
#define __GST_VOICE_LIVE_SESSION_H__

#include <gst/gst.h>
#include "gstvoiceliveprotocol.h"

G_BEGIN_DECLS

#define GST_TYPE_VOICE_LIVE_SESSION (gst_voice_live_session_get_type ())
G_DECLARE_FINAL_TYPE (GstVoiceLiveSession, gst_voice_live_session, GST,
    VOICE_LIVE_SESSION, GstObject)

/* What the sink hands over when it starts: everything to connect and
 * configure. Secrets live only here and in the request headers. */
typedef struct
{
  gchar *url;                   /* ws:// or wss:// with path and query, no secret */
  gchar *api_key;               /* "api-key" header, or NULL */
  gchar *access_token;          /* "Authorization: Bearer", or NULL */
  gboolean openai_beta;         /* send "OpenAI-Beta: realtime=v1" */
  gboolean ssl_strict;
  gchar *ssl_ca_file;
  guint connect_timeout_s;
  guint keepalive_interval_s;
  GstVoiceLiveConfig config;
  GstVoiceLiveAudioFormat in_format;
} GstVoiceLiveConnectParams;

void gst_voice_live_connect_params_free (GstVoiceLiveConnectParams * p);

/* Log-safe form of a URL: values of query parameters that look like secrets
 * are replaced. */
gchar *gst_voice_live_redact_url (const gchar * url);

/* Registry: one session per name, at most one sink and one src on it. */
GstVoiceLiveSession *gst_voice_live_session_acquire (const gchar * name,
    GstElement * element, gboolean is_sink, GError ** error);
void gst_voice_live_session_release (GstVoiceLiveSession * self,
    GstElement * element);

const gchar *gst_voice_live_session_get_name (GstVoiceLiveSession * self);

/* Sink side. start() returns at once; the connection is made on the network
 * thread. stop() never waits on the network. */
void gst_voice_live_session_start (GstVoiceLiveSession * self,
    GstVoiceLiveConnectParams * params);
void gst_voice_live_session_stop (GstVoiceLiveSession * self);
/* Queue a client event (takes ownership of @frame). @audio_bytes > 0 marks
 * an input_audio_buffer.append carrying that much audio. */
void gst_voice_live_session_send (GstVoiceLiveSession * self, gchar * frame,
    gsize audio_bytes);
void gst_voice_live_session_set_sink_flushing (GstVoiceLiveSession * self,
    gboolean flushing);
/* End of input: make sure the last turn is answered and wait (bounded) until
 * no turn or response is outstanding; then the src sees EOS. */
gboolean gst_voice_live_session_finish_input (GstVoiceLiveSession * self,
    gboolean manual_turns, guint timeout_ms);
/* A property of the sink changed: keep @cfg for the next session.update and,
 * when connected, send one with only @fields. */
void gst_voice_live_session_update_config (GstVoiceLiveSession * self,
    const GstVoiceLiveConfig * cfg, guint fields);
/* Counters for the sink's "stats" property. */
GstStructure *gst_voice_live_session_get_stats (GstVoiceLiveSession * self);
/* TRUE when a fatal error was posted (the streaming thread stops). */
gboolean gst_voice_live_session_has_failed (GstVoiceLiveSession * self);

/* Src side */
typedef enum
{
  GST_VOICE_LIVE_READ_DATA,
  GST_VOICE_LIVE_READ_EMPTY,
  GST_VOICE_LIVE_READ_EOS,
  GST_VOICE_LIVE_READ_FLUSHING,
  GST_VOICE_LIVE_READ_ERROR,
} GstVoiceLiveReadResult;

void gst_voice_live_session_set_output_format (GstVoiceLiveSession * self,
    GstVoiceLiveAudioFormat format);
void gst_voice_live_session_set_src_flushing (GstVoiceLiveSession * self,
    gboolean flushing);
/* Copy up to @max bytes of queued response audio into @dest, whole samples
 * of @align bytes only. With @wait, block until audio, EOS, flushing or
 * error. */
GstVoiceLiveReadResult gst_voice_live_session_read_audio (GstVoiceLiveSession *
    self, guint8 * dest, gsize max, gboolean wait, guint align,
    gsize * n_read);
/* Forget queued output audio and the EOS flag (src start/stop). */
void gst_voice_live_session_reset_output (GstVoiceLiveSession * self);

G_END_DECLS

#endif /* __GST_VOICE_LIVE_SESSION_H__ */
