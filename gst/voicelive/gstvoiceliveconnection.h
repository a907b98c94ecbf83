/* gst-voicelive
 * One WebSocket connection attempt to the service: the only libsoup user.
 * Everything here runs on the session's network thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_CONNECTION_H__
#define __GST_VOICE_LIVE_CONNECTION_H__

#include <gst/gst.h>
#include "gstvoiceliveprotocol.h"

G_BEGIN_DECLS
/* What the sink hands over when it starts: everything to connect and
 * configure. Secrets live only here and in the request headers. */
    typedef struct
{
  gchar *url;                   /* ws:// or wss:// with path and query, no secret */
  gchar *api_key;               /* "api-key" header, or NULL */
  gchar *access_token;          /* "Authorization: Bearer", or NULL */
  gboolean openai_beta;         /* OpenAI's service: bearer auth, and in the
                                 * voice-live dialect "OpenAI-Beta: realtime=v1" */
  gint dialect;                 /* GstVoiceLiveDialect */
  gboolean ssl_strict;
  gchar *ssl_ca_file;
  guint connect_timeout_s;
  guint keepalive_interval_s;
  guint max_reconnect_attempts;
  guint close_timeout_ms;       /* how long stop() waits for the close reply */
  gboolean restore_conversation;
  guint renew_margin_ms;        /* renew this long before the session ends */
  guint max_session_duration_s; /* without expires_at; 0: off */
  GstVoiceLiveConfig config;
  GstVoiceLiveAudioFormat in_format;
} GstVoiceLiveConnectParams;

void gst_voice_live_connect_params_free (GstVoiceLiveConnectParams * p);
GstVoiceLiveConnectParams *gst_voice_live_connect_params_copy (const
    GstVoiceLiveConnectParams * p);

/* Log-safe form of a URL: values of query parameters that look like secrets
 * are replaced. */
gchar *gst_voice_live_redact_url (const gchar * url);

typedef struct _GstVoiceLiveConnection GstVoiceLiveConnection;

/* Why a connection could not be made, as the element error to post. */
typedef struct
{
  GQuark domain;
  gint code;
  gchar *text;                  /* for the user */
  gchar *debug;
  gchar *reason;                /* the voicelive/connection reason */
} GstVoiceLiveConnectError;

void gst_voice_live_connect_error_clear (GstVoiceLiveConnectError * e);

/* The owner's side. None is called after close(). */
typedef struct
{
  /* The WebSocket is open. */
  void (*opened) (gpointer owner, GstVoiceLiveConnection * c);
  /* A frame (not NUL-terminated); @text: a text frame. */
  void (*frame) (gpointer owner, GstVoiceLiveConnection * c, gboolean text,
      const gchar * data, gsize len);
  /* A working connection (or a reconnect attempt) broke: closed by the
   * peer, silent past the keepalive, or the reconnect failed. */
  void (*lost) (gpointer owner, GstVoiceLiveConnection * c,
      const gchar * reason);
  /* The first connection could not be made (@err: what to post). */
  void (*failed) (gpointer owner, GstVoiceLiveConnection * c,
      const GstVoiceLiveConnectError * err);
} GstVoiceLiveConnectionCallbacks;

/* Start connecting with @params (copied) for @owner (a GstObject, reffed
 * until close()). @reconnect: a timeout or network error is reported as
 * lost(), not failed(). NULL (and @err filled) when the settings are
 * wrong: the CA file or the URL. */
GstVoiceLiveConnection *gst_voice_live_connection_open (const
    GstVoiceLiveConnectParams * params, gboolean reconnect,
    const GstVoiceLiveConnectionCallbacks * callbacks, gpointer owner,
    GstVoiceLiveConnectError * err);
/* Send a text frame; FALSE when the WebSocket is not open. */
gboolean gst_voice_live_connection_send (GstVoiceLiveConnection * c,
    const gchar * frame);
/* Hold back (TRUE) / push out (FALSE) what is sent in between, so frames
 * sent together leave in as few TCP segments as they fill. */
void gst_voice_live_connection_cork (GstVoiceLiveConnection * c,
    gboolean cork);
/* Detach from the owner and close; the connection frees itself once
 * libsoup is done with it. */
void gst_voice_live_connection_close (GstVoiceLiveConnection * c);

/* close(), and @closed is called (network thread) once the close is over:
 * the peer answered (@code: its close code, @reason: its reason), or it
 * did not in time, or the connection was not open (@code 0). @destroy
 * frees @data after that. */
typedef void (*GstVoiceLiveConnectionClosed) (gpointer data, guint code,
    const gchar * reason);
void gst_voice_live_connection_close_notify (GstVoiceLiveConnection * c,
    GstVoiceLiveConnectionClosed closed, gpointer data,
    GDestroyNotify destroy);

/* Reconnect back-off for attempt @attempt (1...): 200 ms doubling up to
 * 10 s, with jitter. */
guint gst_voice_live_connection_backoff_ms (guint attempt);

G_END_DECLS
#endif /* __GST_VOICE_LIVE_CONNECTION_H__ */
