/* gst-voicelive
 * The only file that calls libsoup: connect (headers, TLS, timeout), send,
 * receive, keepalive watchdog, close; frames go up through callbacks.
 * Runs on the session's network thread (gstvoicelivenet.c) only.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * Each connection attempt is a GstVoiceLiveConnection owned by the network
 * thread; libsoup is not thread-safe, so every libsoup object of it is
 * created, used and destroyed there. close() detaches it from its owner:
 * late libsoup callbacks find it detached and only free it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <libsoup/soup.h>
#include <gio/gio.h>
#ifdef G_OS_UNIX
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#endif
#include "gstvoiceliveconnection.h"
#include "gstvoiceliveprotocolga.h"
#include "gstvoicelivenet.h"

GST_DEBUG_CATEGORY_STATIC (voiceliveconnection_debug);
#define GST_CAT_DEFAULT voiceliveconnection_debug

#define MAX_INCOMING_PAYLOAD (16 * 1024 * 1024)
/* How long a closing connection waits for the peer's close reply at least
 * (the session's stop() may wait less: close-timeout). */
#define CLOSE_GRACE_MS 1000
/* Reconnect back-off: 200 ms doubling up to 10 s, with jitter */
#define RECONNECT_BASE_MS 200
#define RECONNECT_MAX_MS 10000

struct _GstVoiceLiveConnection
{
  const GstVoiceLiveConnectionCallbacks *cb;
  gpointer owner;               /* ref; NULL once closed */
  GstVoiceLiveConnectParams *params;    /* owned */
  gboolean reconnect;
  SoupSession *soup;
  SoupMessage *msg;
  SoupWebsocketConnection *ws;
  GCancellable *cancellable;
  GSource *timeout_source;
  gboolean connect_pending;     /* on_connected has not run yet */
  gboolean timed_out;
  gboolean released;
  gint64 last_rx;               /* monotonic µs of the last frame or pong */
  GSource *watchdog;
  GSocket *socket;              /* under the WebSocket (and TLS), for corking */
  /* Told once the close is over */
  GstVoiceLiveConnectionClosed closed;
  gpointer closed_data;
  GDestroyNotify closed_destroy;
};

/* ---- parameters ---- */

void
gst_voice_live_connect_params_free (GstVoiceLiveConnectParams * p)
{
  if (!p)
    return;
  g_free (p->url);
  if (p->api_key)
    memset (p->api_key, 0, strlen (p->api_key));
  g_free (p->api_key);
  if (p->access_token)
    memset (p->access_token, 0, strlen (p->access_token));
  g_free (p->access_token);
  g_free (p->ssl_ca_file);
  gst_voice_live_config_clear (&p->config);
  g_free (p);
}

GstVoiceLiveConnectParams *
gst_voice_live_connect_params_copy (const GstVoiceLiveConnectParams * p)
{
  GstVoiceLiveConnectParams *c = g_new0 (GstVoiceLiveConnectParams, 1);

  *c = *p;
  c->url = g_strdup (p->url);
  c->api_key = g_strdup (p->api_key);
  c->access_token = g_strdup (p->access_token);
  c->ssl_ca_file = g_strdup (p->ssl_ca_file);
  gst_voice_live_config_init (&c->config);
  gst_voice_live_config_copy (&c->config, &p->config);
  return c;
}

static gboolean
param_is_secret (const gchar * name, gsize len)
{
  gchar *lower = g_ascii_strdown (name, len);
  gboolean secret = strstr (lower, "key") || strstr (lower, "token")
      || strstr (lower, "auth") || strstr (lower, "sig")
      || strstr (lower, "secret") || strstr (lower, "password");

  g_free (lower);
  return secret;
}

gchar *
gst_voice_live_redact_url (const gchar * url)
{
  const gchar *q;
  GString *out;
  gchar **params;
  guint i;

  if (!url)
    return g_strdup ("(none)");
  q = strchr (url, '?');
  if (!q)
    return g_strdup (url);

  out = g_string_new_len (url, q - url + 1);
  params = g_strsplit (q + 1, "&", -1);
  for (i = 0; params[i]; i++) {
    const gchar *eq = strchr (params[i], '=');
    gsize nlen = eq ? (gsize) (eq - params[i]) : strlen (params[i]);

    if (i > 0)
      g_string_append_c (out, '&');
    if (eq && param_is_secret (params[i], nlen)) {
      g_string_append_len (out, params[i], nlen);
      g_string_append (out, "=<redacted>");
    } else {
      g_string_append (out, params[i]);
    }
  }
  g_strfreev (params);
  return g_string_free (out, FALSE);
}

void
gst_voice_live_connect_error_clear (GstVoiceLiveConnectError * e)
{
  g_clear_pointer (&e->text, g_free);
  g_clear_pointer (&e->debug, g_free);
  g_clear_pointer (&e->reason, g_free);
}

static void
set_error (GstVoiceLiveConnectError * e, gint code, gchar * text,
    gchar * debug, const gchar * reason)
{
  e->domain = GST_RESOURCE_ERROR;
  e->code = code;
  e->text = text;
  e->debug = debug;
  e->reason = g_strdup (reason);
}

guint
gst_voice_live_connection_backoff_ms (guint attempt)
{
  guint delay = MIN (RECONNECT_BASE_MS << MIN (attempt - 1, 10),
      RECONNECT_MAX_MS);

  /* Jitter: many clients dropped together do not come back together. */
  return delay / 2 + g_random_int_range (0, delay / 2 + 1);
}

/* ---- lifetime ---- */

static gboolean
conn_free_cb (gpointer data)
{
  GstVoiceLiveConnection *c = data;

  gst_voice_live_net_clear_source (&c->watchdog);
  g_clear_object (&c->socket);
  g_clear_object (&c->ws);
  g_clear_object (&c->msg);
  g_clear_object (&c->cancellable);
  if (c->soup) {
    soup_session_abort (c->soup);
    g_object_unref (c->soup);
  }
  gst_voice_live_connect_params_free (c->params);
  g_free (c);
  return G_SOURCE_REMOVE;
}

/* Free a closed connection, once, from an idle: it may be called from
 * inside one of its own signal handlers. */
static void
conn_release (GstVoiceLiveConnection * c)
{
  GSource *source;

  g_assert (c->owner == NULL);
  if (c->released)
    return;
  c->released = TRUE;
  if (c->closed) {
    /* The peer's close code, if its close frame came */
    guint code = c->ws ? soup_websocket_connection_get_close_code (c->ws) : 0;
    const gchar *reason = c->ws && code ?
        soup_websocket_connection_get_close_data (c->ws) : NULL;

    c->closed (c->closed_data, code, reason ? reason : "");
    if (c->closed_destroy)
      c->closed_destroy (c->closed_data);
    c->closed = NULL;
  }
  gst_voice_live_net_clear_source (&c->timeout_source);
  gst_voice_live_net_clear_source (&c->watchdog);
  if (c->ws)
    g_signal_handlers_disconnect_matched (c->ws, G_SIGNAL_MATCH_DATA, 0, 0,
        NULL, NULL, c);
  source = g_idle_source_new ();
  g_source_set_callback (source, conn_free_cb, c, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

/* The peer did not finish the close handshake in time. */
static void
close_grace_expired (gpointer data)
{
  conn_release (data);
}

static void
conn_wait_close (GstVoiceLiveConnection * c)
{
  gst_voice_live_net_timer_once (&c->timeout_source,
      g_timeout_source_new (MAX (CLOSE_GRACE_MS, c->params->close_timeout_ms)),
      close_grace_expired, c, NULL);
}

void
gst_voice_live_connection_close (GstVoiceLiveConnection * c)
{
  SoupWebsocketState state;

  if (c->owner) {
    gst_object_unref (c->owner);
    c->owner = NULL;
  }
  gst_voice_live_net_clear_source (&c->timeout_source);

  if (c->connect_pending) {
    /* on_connected runs after the cancel and releases it */
    g_cancellable_cancel (c->cancellable);
    return;
  }
  if (c->ws) {
    state = soup_websocket_connection_get_state (c->ws);
    if (state == SOUP_WEBSOCKET_STATE_OPEN) {
      soup_websocket_connection_close (c->ws, SOUP_WEBSOCKET_CLOSE_NORMAL,
          NULL);
      conn_wait_close (c);
      return;
    }
    if (state == SOUP_WEBSOCKET_STATE_CLOSING) {
      conn_wait_close (c);
      return;
    }
  }
  conn_release (c);
}

void
gst_voice_live_connection_close_notify (GstVoiceLiveConnection * c,
    GstVoiceLiveConnectionClosed closed, gpointer data, GDestroyNotify destroy)
{
  c->closed = closed;
  c->closed_data = data;
  c->closed_destroy = destroy;
  gst_voice_live_connection_close (c);
}

gboolean
gst_voice_live_connection_send (GstVoiceLiveConnection * c, const gchar * frame)
{
  if (!c->ws
      || soup_websocket_connection_get_state (c->ws) !=
      SOUP_WEBSOCKET_STATE_OPEN)
    return FALSE;
  soup_websocket_connection_send_text (c->ws, frame);
  return TRUE;
}

/* libsoup sets TCP_NODELAY: each frame is its own segment. Frames sent
 * together (the appends of one render) are corked into as few segments
 * as they fill, which on loopback is also one wake-up of the peer. */
void
gst_voice_live_connection_cork (GstVoiceLiveConnection * c, gboolean cork)
{
#if defined(G_OS_UNIX) && defined(TCP_CORK)
  if (c->socket)
    g_socket_set_option (c->socket, IPPROTO_TCP, TCP_CORK, cork ? 1 : 0, NULL);
#endif
}

/* The TCP socket under @stream: libsoup hands the WebSocket its own
 * stream wrapping the connection's ("base-iostream"), which is a
 * GSocketConnection or a TLS connection over one ("base-io-stream"). */
static GSocket *
stream_socket (GIOStream * stream)
{
  GIOStream *s = stream ? g_object_ref (stream) : NULL;
  GSocket *sock = NULL;
  guint depth;

  for (depth = 0; s && depth < 4; depth++) {
    GObjectClass *klass = G_OBJECT_GET_CLASS (s);
    GIOStream *base = NULL;

    if (G_IS_SOCKET_CONNECTION (s)) {
      sock = g_object_ref (g_socket_connection_get_socket
          (G_SOCKET_CONNECTION (s)));
      break;
    }
    if (g_object_class_find_property (klass, "base-iostream"))
      g_object_get (s, "base-iostream", &base, NULL);
    else if (g_object_class_find_property (klass, "base-io-stream"))
      g_object_get (s, "base-io-stream", &base, NULL);
    g_object_unref (s);
    s = base;
  }
  g_clear_object (&s);
  return sock;
}

/* ---- the open WebSocket ---- */

static void
on_ws_message (SoupWebsocketConnection * ws, gint type, GBytes * message,
    gpointer user_data)
{
  GstVoiceLiveConnection *c = user_data;
  gsize len;
  const gchar *data;

  if (!c->owner)
    return;
  c->last_rx = g_get_monotonic_time ();
  data = g_bytes_get_data (message, &len);
  c->cb->frame (c->owner, c, type == SOUP_WEBSOCKET_DATA_TEXT, data, len);
}

static void
on_ws_closed (SoupWebsocketConnection * ws, gpointer user_data)
{
  GstVoiceLiveConnection *c = user_data;
  gushort code = soup_websocket_connection_get_close_code (ws);
  const gchar *reason = soup_websocket_connection_get_close_data (ws);
  gchar *r;

  if (!c->owner) {
    /* Closed by close(): the close handshake is done. */
    conn_release (c);
    return;
  }
  GST_INFO_OBJECT (c->owner, "connection closed by the server, code %u", code);
  r = g_strdup_printf ("closed by the server (code %u%s%s)", code,
      reason && *reason ? ": " : "", reason ? reason : "");
  c->cb->lost (c->owner, c, r);
  g_free (r);
}

static void
on_ws_pong (SoupWebsocketConnection * ws, GBytes * message, gpointer user_data)
{
  GstVoiceLiveConnection *c = user_data;

  c->last_rx = g_get_monotonic_time ();
}

/* libsoup 3.2 pings but does not notice a peer that stops answering: no
 * frame or pong for two keepalive intervals means it is gone. */
static gboolean
on_watchdog (gpointer user_data)
{
  GstVoiceLiveConnection *c = user_data;
  guint ka = c->params->keepalive_interval_s;

  if (c->owner && g_get_monotonic_time () - c->last_rx >
      (gint64) (2 * ka + 1) * G_TIME_SPAN_SECOND) {
    GST_WARNING_OBJECT (c->owner, "no frame or pong for %u s: the peer "
        "is gone", 2 * ka + 1);
    g_source_unref (c->watchdog);
    c->watchdog = NULL;
    c->cb->lost (c->owner, c, "the service stopped answering keepalive "
        "pings");
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

static void
on_ws_error (SoupWebsocketConnection * ws, GError * error, gpointer user_data)
{
  GstVoiceLiveConnection *c = user_data;

  if (c->owner)
    GST_WARNING_OBJECT (c->owner, "WebSocket error: %s", error->message);
}

static void
conn_opened (GstVoiceLiveConnection * c, SoupWebsocketConnection * ws)
{
  c->ws = ws;
  c->socket = stream_socket (soup_websocket_connection_get_io_stream (ws));
  g_object_set (ws, "max-incoming-payload-size",
      (guint64) MAX_INCOMING_PAYLOAD, "keepalive-interval",
      c->params->keepalive_interval_s, NULL);
  g_signal_connect (ws, "message", G_CALLBACK (on_ws_message), c);
  g_signal_connect (ws, "closed", G_CALLBACK (on_ws_closed), c);
  g_signal_connect (ws, "error", G_CALLBACK (on_ws_error), c);
  g_signal_connect (ws, "pong", G_CALLBACK (on_ws_pong), c);
  c->last_rx = g_get_monotonic_time ();
  if (c->params->keepalive_interval_s > 0) {
    c->watchdog =
        g_timeout_source_new_seconds (c->params->keepalive_interval_s);
    g_source_set_callback (c->watchdog, on_watchdog, c, NULL);
    g_source_attach (c->watchdog, g_main_context_get_thread_default ());
  }
  GST_INFO_OBJECT (c->owner, "connected");
  c->cb->opened (c->owner, c);
}

/* ---- connecting ---- */

/* The handshake failed: what the owner is told. A reconnect attempt that
 * timed out or met a network error is lost(), to be retried; the rest is
 * failed(). */
static void
conn_report_failure (GstVoiceLiveConnection * c, GError * err)
{
  GstVoiceLiveConnectError e = { 0, };
  guint status = soup_message_get_status (c->msg);
  gchar *url = gst_voice_live_redact_url (c->params->url);
  gchar *dbg = g_strdup_printf ("%s: HTTP status %u, %s", url, status,
      err ? err->message : "unknown error");
  const gchar *msg = err ? err->message : "unknown error";

  if (c->timed_out && c->reconnect) {
    c->cb->lost (c->owner, c, "connect timeout");
  } else if (c->timed_out) {
    set_error (&e, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
        g_strdup_printf ("Timed out connecting to the Voice Live service at "
            "%s after %u s (connect-timeout)", url,
            c->params->connect_timeout_s),
        g_strdup ("connect-timeout expired"), "timeout");
  } else if (err && err->domain == G_TLS_ERROR) {
    set_error (&e, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
        g_strdup_printf ("The TLS certificate of %s is not trusted (%s): set "
            "ssl-ca-file to the CA that signed it, or (for tests only) "
            "ssl-strict=false", url, err->message), g_strdup (dbg),
        "certificate not trusted");
  } else if (status == SOUP_STATUS_UNAUTHORIZED
      || status == SOUP_STATUS_FORBIDDEN) {
    set_error (&e, GST_RESOURCE_ERROR_NOT_AUTHORIZED,
        g_strdup (status == SOUP_STATUS_UNAUTHORIZED ?
            "The Voice Live service rejected the credentials (HTTP 401): "
            "check the api-key or access-token property "
            "(or AZURE_VOICE_LIVE_API_KEY)" :
            "The Voice Live service refused access (HTTP 403): the "
            "credentials lack permission for this resource"), g_strdup (dbg),
        "credentials rejected");
  } else if (c->reconnect) {
    gchar *r = g_strdup_printf ("reconnect failed: %s", msg);

    c->cb->lost (c->owner, c, r);
    g_free (r);
  } else {
    set_error (&e, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
        g_strdup_printf ("Could not connect to the Voice Live service at %s: "
            "%s (check the endpoint property and that the host is "
            "reachable)", url, msg), g_strdup (dbg), err ? err->message : "");
  }
  if (e.text)
    c->cb->failed (c->owner, c, &e);
  gst_voice_live_connect_error_clear (&e);
  g_free (dbg);
  g_free (url);
}

static void
on_connected (GObject * source, GAsyncResult * res, gpointer user_data)
{
  GstVoiceLiveConnection *c = user_data;
  SoupWebsocketConnection *ws;
  GError *err = NULL;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), res, &err);
  c->connect_pending = FALSE;
  gst_voice_live_net_clear_source (&c->timeout_source);

  if (!c->owner) {
    /* close() came first */
    if (ws)
      g_object_unref (ws);
    g_clear_error (&err);
    conn_release (c);
    return;
  }
  if (ws)
    conn_opened (c, ws);
  else
    conn_report_failure (c, err);
  g_clear_error (&err);
}

static void
on_connect_timeout (gpointer user_data)
{
  GstVoiceLiveConnection *c = user_data;

  /* on_connected reports it (or retries) once the cancel lands */
  if (!c->ws) {
    c->timed_out = TRUE;
    g_cancellable_cancel (c->cancellable);
  }
}

static gboolean
accept_any_certificate (SoupMessage * msg, GTlsCertificate * cert,
    GTlsCertificateFlags errors, gpointer user_data)
{
  return TRUE;
}

static void
set_request_headers (SoupMessage * msg, const GstVoiceLiveConnectParams * p)
{
  SoupMessageHeaders *h = soup_message_get_request_headers (msg);
  gchar *uuid = g_uuid_string_random ();

  if (p->api_key)
    soup_message_headers_replace (h, "api-key", p->api_key);
  if (p->access_token) {
    gchar *bearer = g_strdup_printf ("Bearer %s", p->access_token);

    soup_message_headers_replace (h, "Authorization", bearer);
    memset (bearer, 0, strlen (bearer));
    g_free (bearer);
  }
  /* GA (openai dialect): the header must be absent, or OpenAI answers
   * beta_api_shape_disabled. */
  if (p->openai_beta && p->dialect != GST_VOICE_LIVE_DIALECT_OPENAI)
    soup_message_headers_replace (h, "OpenAI-Beta", "realtime=v1");
  soup_message_headers_replace (h, "x-ms-client-request-id", uuid);
  g_free (uuid);
}

static void
conn_free_unopened (GstVoiceLiveConnection * c)
{
  c->owner = NULL;
  conn_release (c);
}

GstVoiceLiveConnection *
gst_voice_live_connection_open (const GstVoiceLiveConnectParams * params,
    gboolean reconnect, const GstVoiceLiveConnectionCallbacks * callbacks,
    gpointer owner, GstVoiceLiveConnectError * err)
{
  GstVoiceLiveConnection *c;
  GstVoiceLiveConnectParams *p;
  static gsize debug_init = 0;

  if (g_once_init_enter (&debug_init)) {
    GST_DEBUG_CATEGORY_INIT (voiceliveconnection_debug, "voiceliveconnection",
        0, "Voice Live WebSocket connection");
    g_once_init_leave (&debug_init, 1);
  }

  c = g_new0 (GstVoiceLiveConnection, 1);
  c->cb = callbacks;
  c->reconnect = reconnect;
  c->params = p = gst_voice_live_connect_params_copy (params);
  c->cancellable = g_cancellable_new ();
  c->soup = soup_session_new_with_options ("user-agent",
      "gst-voicelive/" VERSION, NULL);
  /* A loopback endpoint (a local agent, a sidecar, the emulator) is
   * reached directly: asking GIO's proxy resolvers would load their
   * modules (libproxy, GSettings) into the process to be told "direct". */
  if (gst_voice_live_url_is_loopback (p->url))
    soup_session_set_proxy_resolver (c->soup, NULL);

  if (p->ssl_ca_file) {
    GError *e = NULL;
    GTlsDatabase *db = g_tls_file_database_new (p->ssl_ca_file, &e);

    if (!db) {
      /* A settings error: no point in retrying */
      set_error (err, GST_RESOURCE_ERROR_SETTINGS,
          g_strdup_printf ("Could not load the CA file given in "
              "ssl-ca-file: %s", e->message), g_strdup (p->ssl_ca_file), "");
      g_clear_error (&e);
      conn_free_unopened (c);
      return NULL;
    }
    soup_session_set_tls_database (c->soup, db);
    g_object_unref (db);
  }

  c->msg = soup_message_new ("GET", p->url);
  if (!c->msg) {
    set_error (err, GST_RESOURCE_ERROR_SETTINGS,
        g_strdup ("The endpoint is not a valid URL"),
        gst_voice_live_redact_url (p->url), "");
    conn_free_unopened (c);
    return NULL;
  }
  set_request_headers (c->msg, p);
  if (!p->ssl_strict)
    g_signal_connect (c->msg, "accept-certificate",
        G_CALLBACK (accept_any_certificate), NULL);

  c->owner = gst_object_ref (owner);
  if (p->connect_timeout_s > 0) {
    gst_voice_live_net_timer_once (&c->timeout_source,
        g_timeout_source_new_seconds (p->connect_timeout_s),
        on_connect_timeout, c, NULL);
  }
  c->connect_pending = TRUE;
  soup_session_websocket_connect_async (c->soup, c->msg, NULL, NULL,
      G_PRIORITY_DEFAULT, c->cancellable, on_connected, c);
  return c;
}
