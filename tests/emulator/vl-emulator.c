/* gst-voicelive
 * voicelive-emulator: command line, HTTP server and WebSocket upgrade.
 *
 * A TEST DOUBLE of the Azure AI Voice Live realtime WebSocket service for the
 * project's tests, benchmarks and offline demo. It is not the service.
 * Single-threaded: every libsoup call runs on the one GMainLoop.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <glib-unix.h>

#include "vl-emulator.h"
#include "vl-emulator-conn.h"
#include "vl-emulator-fault.h"
#include "vl-emulator-record.h"
#include "vl-emulator-script.h"
#include "vl-emulator-speech.h"

#define MAX_INCOMING_PAYLOAD (16 * 1024 * 1024)

static const gchar *const known_paths[] = { "/voice-live/realtime",
  "/openai/realtime", "/openai/v1/realtime", "/v1/realtime", NULL
};

static VlEmuServer server;

/* Query parameters that carry credentials never reach the record. */
static gboolean
is_secret_param (const gchar * name)
{
  return !g_ascii_strcasecmp (name, "api-key") ||
      !g_ascii_strcasecmp (name, "authorization");
}

static JsonObject *
query_to_json (SoupServerMessage * msg)
{
  const gchar *query = g_uri_get_query (soup_server_message_get_uri (msg));
  JsonObject *obj = json_object_new ();
  GHashTable *params;
  GList *keys, *l;

  if (!query)
    return obj;
  params = soup_form_decode (query);
  /* Sorted so the record is stable whatever the hash order. */
  keys = g_list_sort (g_hash_table_get_keys (params), (GCompareFunc) g_strcmp0);
  for (l = keys; l; l = l->next)
    json_object_set_string_member (obj, l->data,
        is_secret_param (l->data) ? "<redacted>" :
        (const gchar *) g_hash_table_lookup (params, l->data));
  g_list_free (keys);
  g_hash_table_unref (params);
  return obj;
}

static gchar *
redact_protocols (const gchar * value)
{
  gchar **parts = g_strsplit (value, ",", -1);
  gchar *out;
  guint i;

  /* Browsers pass the key as subprotocol "openai-insecure-api-key.<key>". */
  for (i = 0; parts[i]; i++) {
    if (strstr (parts[i], "openai-insecure-api-key.")) {
      g_free (parts[i]);
      parts[i] = g_strdup (" openai-insecure-api-key.<redacted>");
    }
  }
  out = g_strjoinv (",", parts);
  g_strfreev (parts);
  return out;
}

static void
add_header (const char *name, const char *value, gpointer user_data)
{
  JsonObject *obj = user_data;
  gchar *lname = g_ascii_strdown (name, -1);
  gchar *v;

  if (g_str_equal (lname, "api-key") || g_str_equal (lname, "authorization"))
    v = g_strdup ("<redacted>");
  else if (g_str_equal (lname, "sec-websocket-protocol"))
    v = redact_protocols (value);
  else
    v = g_strdup (value);
  if (json_object_has_member (obj, lname)) {
    gchar *joined = g_strconcat (json_object_get_string_member (obj, lname),
        ", ", v, NULL);

    g_free (v);
    v = joined;
  }
  json_object_set_string_member (obj, lname, v);
  g_free (v);
  g_free (lname);
}

/* Which credential the client presented; with --api-key, only a matching
 * one counts. Returns NULL when a key is required and none matches. */
static const gchar *
check_auth (SoupServerMessage * msg, GHashTable * query)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const gchar *key = server.opts.api_key;
  const gchar *hk = soup_message_headers_get_one (h, "api-key");
  const gchar *ha = soup_message_headers_get_one (h, "Authorization");
  const gchar *qk = query ? g_hash_table_lookup (query, "api-key") : NULL;
  const gchar *qa = query ? g_hash_table_lookup (query, "Authorization") : NULL;
  const gchar *hbearer = NULL, *qbearer = NULL;

  if (ha && g_ascii_strncasecmp (ha, "Bearer ", 7) == 0)
    hbearer = ha + 7;
  if (qa && g_ascii_strncasecmp (qa, "Bearer ", 7) == 0)
    qbearer = qa + 7;

  if (!key) {
    if (hk)
      return "api-key";
    if (hbearer)
      return "bearer";
    if (qk || qbearer)
      return "query";
    return "none";
  }
  if (hk && g_str_equal (hk, key))
    return "api-key";
  if (hbearer && g_str_equal (hbearer, key))
    return "bearer";
  if ((qk && g_str_equal (qk, key)) || (qbearer && g_str_equal (qbearer, key)))
    return "query";
  return NULL;
}

void
vl_emu_server_reject (SoupServerMessage * msg, const gchar * path,
    guint status, const gchar * code, const gchar * message)
{
  JsonObject *err = json_object_new ();
  JsonObject *body = json_object_new ();
  JsonNode *node;
  gchar *text;

  json_object_set_string_member (err, "code", code);
  json_object_set_string_member (err, "message", message);
  json_object_set_object_member (body, "error", err);
  node = json_node_init_object (json_node_alloc (), body);
  text = json_to_string (node, FALSE);
  soup_server_message_set_status (msg, status, NULL);
  /* One request per connection: clients waiting for the close after a
   * refused upgrade (python websockets does) are not kept waiting. */
  soup_message_headers_replace (soup_server_message_get_response_headers
      (msg), "Connection", "close");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
      text, strlen (text));
  json_node_unref (node);
  json_object_unref (body);

  g_printerr ("voicelive-emulator: rejected %s: HTTP %u %s\n", path, status,
      code);
  vl_emu_record (server.recorder, 0, "meta", "#rejected",
      "status", vl_emu_node_int (status), "reason", vl_emu_node_string (code),
      "path", vl_emu_node_string (path),
      "query", vl_emu_node_object (query_to_json (msg)), NULL);
}

/* The service's checks of an upgrade request; rejects it on failure. */
static void
check_upgrade (SoupServerMessage * msg, const char *path, GHashTable * query)
{
  gboolean voice_live = g_str_equal (path, "/voice-live/realtime");
  gboolean azure_openai = g_str_equal (path, "/openai/realtime");

  if (!g_strv_contains (known_paths, path)) {
    vl_emu_server_reject (msg, path, SOUP_STATUS_NOT_FOUND, "404",
        "Resource not found");
    return;
  }
  if (!check_auth (msg, query)) {
    vl_emu_server_reject (msg, path, SOUP_STATUS_UNAUTHORIZED, "401",
        "Access denied due to invalid subscription key or wrong API "
        "endpoint.");
    return;
  }
  if ((voice_live || azure_openai) &&
      !(query && g_hash_table_contains (query, "api-version"))) {
    vl_emu_server_reject (msg, path, SOUP_STATUS_BAD_REQUEST,
        "MissingApiVersion",
        "The api-version query parameter (?api-version=) is required for "
        "all requests.");
    return;
  }
  if (!(query && (g_hash_table_contains (query, "model") ||
              g_hash_table_contains (query, "agent-name") ||
              (azure_openai && g_hash_table_contains (query, "deployment"))))) {
    vl_emu_server_reject (msg, path, SOUP_STATUS_BAD_REQUEST, "MissingModel",
        "The model (or agent-name) query parameter is required.");
    return;
  }
}

/* Early handler: decides on the upgrade before libsoup answers it, so a
 * rejection is a plain HTTP error response like the service's. */
static void
early_handler (SoupServer * soup, SoupServerMessage * msg, const char *path,
    GHashTable * query, gpointer user_data)
{
  if (!vl_emu_fault_reject_upgrade (&server, msg, path))
    check_upgrade (msg, path, query);
  vl_emu_fault_hold_upgrade (&server, msg, path);
}

static void
conn_message (SoupWebsocketConnection * ws, gint type, GBytes * message,
    gpointer user_data)
{
  vl_emu_conn_handle_message (user_data, type, message);
}

static void
conn_error (SoupWebsocketConnection * ws, GError * error, gpointer user_data)
{
  VlEmuConn *conn = user_data;

  conn->saw_error = TRUE;
  g_printerr ("voicelive-emulator: connection %u error: %s\n", conn->num,
      error->message);
}

static void
conn_closed (SoupWebsocketConnection * ws, gpointer user_data)
{
  VlEmuConn *conn = user_data;
  gushort code = soup_websocket_connection_get_close_code (ws);
  const gchar *by;

  if (conn->closed_by_server)
    by = "server";
  else if (conn->saw_error || code == 0
      || code == SOUP_WEBSOCKET_CLOSE_ABNORMAL)
    by = "error";
  else
    by = "client";
  g_printerr ("voicelive-emulator: connection %u closed (%u by %s)\n",
      conn->num, code, by);
  vl_emu_record (server.recorder, conn->num, "meta", "#disconnect",
      "code", vl_emu_node_int (code), "by", vl_emu_node_string (by), NULL);

  vl_emu_conn_report_ec_lag (conn);
  g_signal_handlers_disconnect_by_data (ws, conn);
  server.conns = g_list_remove (server.conns, conn);
  vl_emu_conn_free (conn);
  if (server.shutting_down && !server.conns)
    g_main_loop_quit (server.loop);
}

/* --hang-on-close-ms: libsoup answers a client's close frame right after
 * "closing"; holding the (single) main loop here is a peer that does not
 * answer, as a frozen or overloaded server would be. */
static void
conn_closing (SoupWebsocketConnection * ws, gpointer user_data)
{
  VlEmuConn *conn = user_data;

  if (server.opts.hang_on_close_ms <= 0 || conn->closed_by_server)
    return;
  vl_emu_record (server.recorder, conn->num, "meta", "#hang-close",
      "ms", vl_emu_node_int (server.opts.hang_on_close_ms), NULL);
  g_printerr ("voicelive-emulator: connection %u: holding the close reply "
      "for %d ms\n", conn->num, server.opts.hang_on_close_ms);
  g_usleep ((gulong) server.opts.hang_on_close_ms * 1000);
}

static void
websocket_handler (SoupServer * soup, SoupServerMessage * msg,
    const char *path, SoupWebsocketConnection * ws, gpointer user_data)
{
  GHashTable *query = NULL;
  const gchar *q = g_uri_get_query (soup_server_message_get_uri (msg));
  const gchar *model, *auth;
  JsonObject *headers = json_object_new ();
  VlEmuConn *conn;
  guint num = ++server.n_conns;

  if (q)
    query = soup_form_decode (q);
  auth = check_auth (msg, query);
  model = query ? g_hash_table_lookup (query, "model") : NULL;
  if (!model && query)
    model = g_hash_table_lookup (query, "deployment");
  if (!model && query)
    model = g_hash_table_lookup (query, "agent-name");

  soup_message_headers_foreach (soup_server_message_get_request_headers (msg),
      add_header, headers);
  vl_emu_record (server.recorder, num, "meta", "#connect",
      "path", vl_emu_node_string (path),
      "query", vl_emu_node_object (query_to_json (msg)),
      "auth", vl_emu_node_string (auth ? auth : "none"),
      "headers", vl_emu_node_object (headers), NULL);
  g_printerr ("voicelive-emulator: connection %u on %s (auth %s)\n", num,
      path, auth ? auth : "none");

  soup_websocket_connection_set_max_incoming_payload_size (ws,
      MAX_INCOMING_PAYLOAD);
  /* The service does not ping; neither should the double. */
  soup_websocket_connection_set_keepalive_interval (ws, 0);

  conn = vl_emu_conn_new (&server, ws, num, model ? model : "", path,
      soup_message_headers_get_one (soup_server_message_get_request_headers
          (msg), "OpenAI-Beta") != NULL);
  if (soup_server_message_get_socket (msg))
    conn->socket = g_object_ref (soup_server_message_get_socket (msg));
  server.conns = g_list_append (server.conns, conn);
  g_signal_connect (ws, "message", G_CALLBACK (conn_message), conn);
  g_signal_connect (ws, "error", G_CALLBACK (conn_error), conn);
  g_signal_connect (ws, "closed", G_CALLBACK (conn_closed), conn);
  g_signal_connect (ws, "closing", G_CALLBACK (conn_closing), conn);
  if (query)
    g_hash_table_unref (query);
}

static gboolean
force_quit (gpointer data)
{
  g_main_loop_quit (server.loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_signal (gpointer data)
{
  GList *l, *conns;

  if (server.shutting_down)
    return G_SOURCE_CONTINUE;
  server.shutting_down = TRUE;
  g_printerr ("voicelive-emulator: shutting down\n");
  if (!server.conns) {
    g_main_loop_quit (server.loop);
    return G_SOURCE_CONTINUE;
  }
  /* Close politely, then give the close handshakes a moment. */
  conns = g_list_copy (server.conns);
  for (l = conns; l; l = l->next) {
    VlEmuConn *conn = l->data;

    /* A connection already closing (client close, --close-after-ms)
     * finishes on its own. */
    if (soup_websocket_connection_get_state (conn->ws) !=
        SOUP_WEBSOCKET_STATE_OPEN)
      continue;
    conn->closed_by_server = TRUE;
    soup_websocket_connection_close (conn->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
        "emulator shutting down");
  }
  g_list_free (conns);
  g_timeout_add (500, force_quit, NULL);
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  gint port = 0;
  GError *error = NULL;
  GOptionContext *ctx;
  GSList *uris;
  guint sig_term, sig_int;
  gboolean features = FALSE;
  GOptionEntry entries[] = {
    {"port", 'p', 0, G_OPTION_ARG_INT, &port,
        "TCP port on 127.0.0.1 (0 = any free port, the default)", "N"},
    {"api-key", 0, 0, G_OPTION_ARG_STRING, &server.opts.api_key,
        "Require this key (api-key header, Authorization: Bearer header, or "
          "api-key / Authorization query parameter); without it any "
          "credential or none is accepted", "KEY"},
    {"record", 0, 0, G_OPTION_ARG_FILENAME, &server.opts.record_path,
        "Write a JSON Lines record of all traffic to FILE, one line per "
          "event, flushed at once (format: README.md)", "FILE"},
    {"reply-ms", 0, 0, G_OPTION_ARG_INT, &server.opts.reply_ms,
          "Length of each response's audio in ms (default 1200; 0 or more)",
        "MS"},
    {"reply-text", 0, 0, G_OPTION_ARG_STRING, &server.opts.reply_text,
        "Text of every response; %n is the response number on the "
          "connection, %% a % (default \"This is answer number %n from "
          "the Voice Live emulator.\")", "TEXT"},
    {"warning", 0, 0, G_OPTION_ARG_STRING, &server.opts.warning_text,
          "Send a non-fatal warning event with this message (code "
          "emulated_warning) after each connection's first session.updated",
        "TEXT"},
    {"record-batch", 0, 0, G_OPTION_ARG_NONE, &server.opts.record_batch,
        "Write the record when the main loop is idle instead of line by "
          "line (benchmarks; a reader may see it late)", NULL},
    {"no-record-audio", 0, 0, G_OPTION_ARG_NONE,
          &server.opts.no_record_audio,
        "Record appended audio as \"<N bytes>\" instead of base64", NULL},
    {"ec-lag-max-ms", 0, 0, G_OPTION_ARG_INT, &server.opts.ec_lag_max_ms,
        "With a client echo reference: at the end of each connection "
          "record (#ec-lag) the lag, up to this many ms, at which channel 0 "
          "best matches channel 1 delayed, and that correlation", "MS"},
    {"realtime", 0, 0, G_OPTION_ARG_NONE, &server.opts.realtime,
          "Pace response audio at real time instead of as fast as possible",
        NULL},
    {"script", 0, 0, G_OPTION_ARG_FILENAME, &server.opts.script_path,
          "Scripted responses, a JSON file {\"responses\": [...]} "
          "(format: README.md); an invalid script exits with status 2",
        "FILE"},
    {"dialect", 0, 0, G_OPTION_ARG_STRING, &server.opts.dialect,
          "Event names: beta (Voice Live, the default) or ga (OpenAI GA)",
        "beta|ga"},
    {"tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &server.opts.tls_cert,
        "Serve wss:// with this PEM certificate (needs --tls-key)", "FILE"},
    {"tls-key", 0, 0, G_OPTION_ARG_FILENAME, &server.opts.tls_key,
        "PEM private key of --tls-cert", "FILE"},
    {"drop-after-responses", 0, 0, G_OPTION_ARG_INT,
          &server.opts.drop_after_responses,
        "Fault: cut the TCP connection (no close frame) after every N-th "
          "response.done on a connection", "N"},
    {"max-drops", 0, 0, G_OPTION_ARG_INT, &server.opts.max_drops,
          "Fault: with --drop-after-responses, at most M drops over the "
          "emulator's life (default: no limit)",
        "M"},
    {"close-after-ms", 0, 0, G_OPTION_ARG_INT, &server.opts.close_after_ms,
        "Fault: close each connection with 1011 \"emulated server error\" "
          "N ms after it opens", "N"},
    {"expires-in-s", 0, 0, G_OPTION_ARG_INT, &server.opts.expires_in_s,
        "Session limit: session.created and session.updated carry "
          "session.expires_at (Unix seconds) N s after the connection "
          "opened, and the connection is closed (1000 \"session expired\") "
          "at that second", "N"},
    {"upgrade-status", 0, 0, G_OPTION_ARG_INT, &server.opts.upgrade_status,
          "Fault: reject every upgrade with this HTTP status (400..599)",
        "CODE"},
    {"hang-upgrade", 0, 0, G_OPTION_ARG_NONE, &server.opts.hang_upgrade,
        "Fault: never answer the upgrade request (a client's connect "
          "timeout must fire)", NULL},
    {"delay-upgrade-ms", 0, 0, G_OPTION_ARG_INT,
          &server.opts.delay_upgrade_ms,
        "Fault: answer the upgrade request after N ms", "N"},
    {"hostile", 0, 0, G_OPTION_ARG_NONE, &server.opts.hostile,
        "Fault: send malformed and unexpected frames (one of 16 MiB) "
          "after each response.created", NULL},
    {"odd-deltas", 0, 0, G_OPTION_ARG_NONE, &server.opts.odd_deltas,
        "Fault: pcm16 audio deltas with an odd number of bytes", NULL},
    {"hang-on-close-ms", 0, 0, G_OPTION_ARG_INT,
          &server.opts.hang_on_close_ms,
        "Fault: when a client closes, hold the close reply (and everything "
          "else) for N ms", "N"},
    {"speak", 0, 0, G_OPTION_ARG_NONE, &server.opts.speak,
          "Reply audio is the reply text spoken by espeak-ng instead of the "
          "deterministic signal (--reply-ms and scripts' audio_ms then do not "
          "set its length; needs a build with espeak-ng, see --features)",
        NULL},
    {"speak-voice", 0, 0, G_OPTION_ARG_STRING, &server.opts.speak_voice,
        "espeak-ng voice of --speak (default \"en\")", "NAME"},
    {"avatar-ice-servers", 0, 0, G_OPTION_ARG_STRING,
          &server.opts.avatar_ice_servers,
          "WebRTC avatar: the ICE servers (JSON array of RTCIceServer) that "
          "session.updated carries in session.avatar.ice_servers when the "
          "client sent none; \"\" for none (default: one TURN server on "
          "127.0.0.1 that does not exist, which clients must accept)",
        "JSON"},
    {"avatar-sdp", 0, 0, G_OPTION_ARG_STRING, &server.opts.avatar_sdp,
          "WebRTC avatar: what session.avatar.connecting carries: answer "
          "(the default, the peer's SDP answer), not-json (base64 of text "
          "that is not JSON), bad-sdp (an answer whose SDP is garbage) or none "
          "(no answer at all)",
        "MODE"},
    {"features", 0, 0, G_OPTION_ARG_NONE, &features,
        "Print the optional features of this build, one a line (\"speak\" "
          "when built with espeak-ng), and exit", NULL},
    {NULL}
  };

  GTlsCertificate *cert = NULL;

  server.opts.reply_ms = 1200;
  server.opts.max_drops = -1;
  /* A relay the client must take (URL-encoded credentials) but that
   * nobody answers on: gathering gives it up */
  server.opts.avatar_ice_servers = g_strdup ("[{\"urls\":"
      "[\"turn:127.0.0.1:9?transport=udp\"],\"username\":\"emu user\","
      "\"credential\":\"p@ss:w/rd\"}]");
  ctx = g_option_context_new ("- local TEST DOUBLE of Azure AI Voice Live");
  g_option_context_set_summary (ctx,
      "voicelive-emulator is a TEST DOUBLE of the Azure AI Voice Live "
      "realtime\nWebSocket API, for the tests of gst-voicelive and of "
      "applications built on it.\nIt is NOT the real service and never "
      "talks to it.\n\n"
      "It listens on 127.0.0.1 only. Once ready it prints exactly one line on "
      "stdout,\nws://127.0.0.1:PORT (wss:// with --tls-cert), and flushes "
      "it; logs go to stderr.\nUse that address as voicelivesink's "
      "endpoint. Upgrade paths:\n/voice-live/realtime, /openai/realtime, "
      "/openai/v1/realtime, /v1/realtime;\na model (or agent-name) query "
      "parameter is required, and api-version on the\nfirst two.\n\n"
      "SIGTERM or SIGINT closes the WebSockets (1001), completes the record "
      "and exits\nwith status 0. A bad option makes it exit with status 2 "
      "before printing anything\non stdout.");
  g_option_context_set_description (ctx,
      "Voice activity detection: an energy VAD on 10 ms frames. A frame is "
      "voiced\nwhen RMS/32768 > turn_detection.threshold * 0.1 (the default "
      "threshold 0.5\nneeds an RMS above 5% of full scale).\n\n"
      "Response audio is deterministic: sample n of the N-th response on a\n"
      "connection is vl_emu_sample (N, n, rate) from vl-emulator-audio.h.\n"
      "With --speak it is the reply text spoken by espeak-ng instead.\n\n"
      "README.md (tests/emulator/README.md in the gst-voicelive sources,\n"
      "/usr/share/doc/gst-voicelive-tools/ in the Debian package) "
      "describes\nthe behaviour, the record format and the script format; "
      "docs/emulator.md how\nto use the emulator in an application's "
      "tests.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("voicelive-emulator: %s\n", error->message);
    g_clear_error (&error);
    g_option_context_free (ctx);
    return 2;
  }
  g_option_context_free (ctx);
  if (features) {
    if (vl_emu_speech_available ())
      g_print ("speak\n");
    return 0;
  }
  if (port < 0 || port > 65535 || server.opts.reply_ms < 0) {
    g_printerr ("voicelive-emulator: invalid --port or --reply-ms\n");
    return 2;
  }
  if (server.opts.dialect && !g_str_equal (server.opts.dialect, "beta") &&
      !g_str_equal (server.opts.dialect, "ga")) {
    g_printerr ("voicelive-emulator: --dialect must be beta or ga\n");
    return 2;
  }
  server.opts.ga = server.opts.dialect &&
      g_str_equal (server.opts.dialect, "ga");
  if (server.opts.drop_after_responses < 0 || server.opts.close_after_ms < 0
      || server.opts.expires_in_s < 0
      || server.opts.delay_upgrade_ms < 0 || server.opts.hang_on_close_ms < 0
      || (server.opts.upgrade_status != 0
          && (server.opts.upgrade_status < 400
              || server.opts.upgrade_status > 599))) {
    g_printerr ("voicelive-emulator: invalid fault option (negative, or "
        "--upgrade-status not 400..599)\n");
    return 2;
  }
  if (!server.opts.tls_cert != !server.opts.tls_key) {
    g_printerr ("voicelive-emulator: --tls-cert and --tls-key go together\n");
    return 2;
  }
  if (server.opts.tls_cert) {
    cert = g_tls_certificate_new_from_files (server.opts.tls_cert,
        server.opts.tls_key, &error);
    if (!cert) {
      g_printerr ("voicelive-emulator: %s\n", error->message);
      g_clear_error (&error);
      return 2;
    }
  }
  if (server.opts.script_path) {
    server.script = vl_emu_script_load (server.opts.script_path, &error);
    if (!server.script) {
      g_printerr ("voicelive-emulator: %s\n", error->message);
      g_clear_error (&error);
      g_clear_object (&cert);
      return 2;
    }
  }

  if (server.opts.speak_voice && !server.opts.speak) {
    g_printerr ("voicelive-emulator: --speak-voice needs --speak\n");
    vl_emu_script_free (server.script);
    g_clear_object (&cert);
    return 2;
  }
  if (server.opts.speak && !vl_emu_speech_init (server.opts.speak_voice,
          &error)) {
    g_printerr ("voicelive-emulator: %s\n", error->message);
    g_clear_error (&error);
    vl_emu_script_free (server.script);
    g_clear_object (&cert);
    return 2;
  }

  vl_emu_clock_init ();
  if (server.opts.record_path) {
    server.recorder = vl_emu_recorder_open (server.opts.record_path,
        server.opts.record_batch, &error);
    if (!server.recorder) {
      g_printerr ("voicelive-emulator: %s\n", error->message);
      g_clear_error (&error);
      return 1;
    }
  }

  server.loop = g_main_loop_new (NULL, FALSE);
  server.soup = soup_server_new ("server-header", "voicelive-emulator ",
      "tls-certificate", cert, NULL);
  soup_server_add_early_handler (server.soup, NULL, early_handler, NULL, NULL);
  soup_server_add_websocket_handler (server.soup, NULL, NULL, NULL,
      websocket_handler, NULL, NULL);
  if (!soup_server_listen_local (server.soup, (guint) port,
          SOUP_SERVER_LISTEN_IPV4_ONLY | (cert ? SOUP_SERVER_LISTEN_HTTPS : 0),
          &error)) {
    g_printerr ("voicelive-emulator: cannot listen on 127.0.0.1:%d: %s\n",
        port, error->message);
    g_clear_error (&error);
    return 1;
  }
  /* Before the address is printed: a client may send SIGTERM as soon as it
   * has read it, and must get a clean exit (status 0, record complete). */
  sig_term = g_unix_signal_add (SIGTERM, on_signal, NULL);
  sig_int = g_unix_signal_add (SIGINT, on_signal, NULL);

  uris = soup_server_get_uris (server.soup);
  g_assert (uris);
  g_print ("%s://127.0.0.1:%d\n", cert ? "wss" : "ws",
      g_uri_get_port (uris->data));
  fflush (stdout);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_main_loop_run (server.loop);

  /* Connections whose close did not complete in time. */
  while (server.conns) {
    VlEmuConn *conn = server.conns->data;

    vl_emu_record (server.recorder, conn->num, "meta", "#disconnect",
        "code", vl_emu_node_int (SOUP_WEBSOCKET_CLOSE_GOING_AWAY),
        "by", vl_emu_node_string ("server"), NULL);
    g_signal_handlers_disconnect_by_data (conn->ws, conn);
    server.conns = g_list_delete_link (server.conns, server.conns);
    vl_emu_conn_free (conn);
  }
  g_source_remove (sig_term);
  g_source_remove (sig_int);
  vl_emu_fault_release_held (&server);
  soup_server_disconnect (server.soup);
  g_object_unref (server.soup);
  g_main_loop_unref (server.loop);
  vl_emu_recorder_close (server.recorder);
  g_free (server.opts.api_key);
  g_free (server.opts.record_path);
  g_free (server.opts.reply_text);
  g_free (server.opts.warning_text);
  g_free (server.opts.script_path);
  g_free (server.opts.dialect);
  g_free (server.opts.tls_cert);
  g_free (server.opts.tls_key);
  g_free (server.opts.speak_voice);
  vl_emu_script_free (server.script);
  vl_emu_speech_shutdown ();
  g_clear_object (&cert);
  g_printerr ("voicelive-emulator: bye\n");
  return 0;
}
