/* gst-voicelive
 * voicelive-emulator: fault injection.
 *
 * Each fault is opt-in on the command line and documented in README.md:
 *   --upgrade-status CODE   reject every upgrade with HTTP CODE
 *   --hang-upgrade          never answer the upgrade request
 *   --delay-upgrade-ms N    answer it after N ms
 *   --close-after-ms N      close each connection with 1011 after N ms
 *   --expires-in-s N        close each connection with 1000 at its
 *                           expires_at (vl-emulator-conn.c sends it)
 *   --drop-after-responses N [--max-drops M]
 *                           cut the TCP connection (no close frame) after
 *                           every N-th response.done
 *   --hostile               malformed / unexpected frames before each
 *                           response's output
 *   --odd-deltas            (in vl-emulator-response.c) odd-sized pcm16
 *                           audio deltas
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "vl-emulator-fault.h"
#include "vl-emulator-dialect.h"
#include "vl-emulator-record.h"

/* An upgrade request held back by --hang-upgrade / --delay-upgrade-ms. */
typedef struct
{
  VlEmuServer *server;
  SoupServerMessage *msg;
  GSocket *socket;
  GSource *watch;               /* the client going away */
  guint timer;                  /* --delay-upgrade-ms */
  gint64 since_us;
  gchar *path;
} VlEmuHeld;

static void
held_free (VlEmuHeld * h)
{
  h->server->held = g_list_remove (h->server->held, h);
  if (h->watch) {
    g_source_destroy (h->watch);
    g_source_unref (h->watch);
  }
  if (h->timer)
    g_source_remove (h->timer);
  g_clear_object (&h->socket);
  g_object_unref (h->msg);
  g_free (h->path);
  g_free (h);
}

/* Lets libsoup go on with the message: for a delay, the normal upgrade
 * (or the rejection the early handler decided); when the client has gone,
 * a 503 that libsoup fails to write and then cleans up. */
static void
held_release (VlEmuHeld * h, gboolean client_gone)
{
  SoupServerMessage *msg = g_object_ref (h->msg);

  if (client_gone && soup_server_message_get_status (msg) == 0)
    soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
  held_free (h);
  soup_server_message_unpause (msg);
  g_object_unref (msg);
}

static gboolean
held_timeout (gpointer data)
{
  VlEmuHeld *h = data;

  h->timer = 0;
  g_printerr ("voicelive-emulator: answering the delayed upgrade of %s\n",
      h->path);
  held_release (h, FALSE);
  return G_SOURCE_REMOVE;
}

/* The client sent something (it must not before the 101) or closed: either
 * way it gave up waiting. */
static gboolean
held_socket_ready (GSocket * socket, GIOCondition cond, gpointer data)
{
  VlEmuHeld *h = data;

  g_printerr ("voicelive-emulator: client gave up on the upgrade of %s\n",
      h->path);
  vl_emu_record (h->server->recorder, 0, "meta", "#abandoned",
      "path", vl_emu_node_string (h->path),
      "after_ms", vl_emu_node_int ((g_get_monotonic_time () -
              h->since_us) / 1000), NULL);
  held_release (h, TRUE);
  return G_SOURCE_REMOVE;
}

static void
hold (VlEmuServer * server, SoupServerMessage * msg, const gchar * path,
    gint delay_ms)
{
  VlEmuHeld *h = g_new0 (VlEmuHeld, 1);
  GSocket *socket = soup_server_message_get_socket (msg);

  h->server = server;
  h->msg = g_object_ref (msg);
  h->path = g_strdup (path);
  h->since_us = g_get_monotonic_time ();
  if (socket) {
    h->socket = g_object_ref (socket);
    h->watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR,
        NULL);
    g_source_set_callback (h->watch, (GSourceFunc) held_socket_ready, h, NULL);
    g_source_attach (h->watch, NULL);
  }
  if (delay_ms >= 0)
    h->timer = g_timeout_add ((guint) delay_ms, held_timeout, h);
  server->held = g_list_prepend (server->held, h);
  soup_server_message_pause (msg);
}

gboolean
vl_emu_fault_reject_upgrade (VlEmuServer * server, SoupServerMessage * msg,
    const gchar * path)
{
  gint status = server->opts.upgrade_status;
  gchar *code, *message;

  if (status <= 0)
    return FALSE;
  code = g_strdup_printf ("%d", status);
  message = g_strdup_printf ("Emulated HTTP %d (voicelive-emulator "
      "--upgrade-status).", status);
  vl_emu_server_reject (msg, path, (guint) status, code, message);
  g_free (code);
  g_free (message);
  return TRUE;
}

void
vl_emu_fault_hold_upgrade (VlEmuServer * server, SoupServerMessage * msg,
    const gchar * path)
{
  if (server->opts.hang_upgrade) {
    g_printerr ("voicelive-emulator: hanging the upgrade of %s\n", path);
    vl_emu_record (server->recorder, 0, "meta", "#hang",
        "path", vl_emu_node_string (path), NULL);
    hold (server, msg, path, -1);
  } else if (server->opts.delay_upgrade_ms > 0) {
    hold (server, msg, path, server->opts.delay_upgrade_ms);
  }
}

void
vl_emu_fault_release_held (VlEmuServer * server)
{
  /* Only our references go; soup_server_disconnect() ends the requests. */
  while (server->held)
    held_free (server->held->data);
}

static gboolean
close_timeout (gpointer data)
{
  VlEmuConn *conn = data;

  conn->close_source = 0;
  if (soup_websocket_connection_get_state (conn->ws) !=
      SOUP_WEBSOCKET_STATE_OPEN)
    return G_SOURCE_REMOVE;
  g_printerr ("voicelive-emulator: connection %u: closing with 1011 "
      "(--close-after-ms)\n", conn->num);
  conn->closed_by_server = TRUE;
  soup_websocket_connection_close (conn->ws,
      SOUP_WEBSOCKET_CLOSE_SERVER_ERROR, "emulated server error");
  return G_SOURCE_REMOVE;
}

/* The session's expires_at has come: the service ends it. */
static gboolean
expire_timeout (gpointer data)
{
  VlEmuConn *conn = data;

  conn->expire_source = 0;
  if (soup_websocket_connection_get_state (conn->ws) !=
      SOUP_WEBSOCKET_STATE_OPEN)
    return G_SOURCE_REMOVE;
  g_printerr ("voicelive-emulator: connection %u: session expired, closing "
      "with 1000 (--expires-in-s)\n", conn->num);
  conn->closed_by_server = TRUE;
  soup_websocket_connection_close (conn->ws, SOUP_WEBSOCKET_CLOSE_NORMAL,
      "session expired");
  return G_SOURCE_REMOVE;
}

void
vl_emu_fault_conn_opened (VlEmuConn * conn)
{
  if (conn->server->opts.close_after_ms > 0)
    conn->close_source = g_timeout_add ((guint)
        conn->server->opts.close_after_ms, close_timeout, conn);
  if (conn->expires_at > 0) {
    gint64 ms = (conn->expires_at * G_USEC_PER_SEC - g_get_real_time ()) / 1000;

    conn->expire_source = g_timeout_add ((guint) MAX (ms, 0), expire_timeout,
        conn);
  }
}

void
vl_emu_fault_conn_closing (VlEmuConn * conn)
{
  if (conn->close_source)
    g_source_remove (conn->close_source);
  conn->close_source = 0;
  if (conn->expire_source)
    g_source_remove (conn->expire_source);
  conn->expire_source = 0;
  if (conn->drop_source)
    g_source_remove (conn->drop_source);
  conn->drop_source = 0;
}

static gboolean
drop_timeout (gpointer data)
{
  VlEmuConn *conn = data;
  GError *error = NULL;

  conn->drop_source = 0;
  g_printerr ("voicelive-emulator: connection %u: dropping the TCP "
      "connection after %u responses (drop %u)\n", conn->num, conn->n_done,
      conn->server->n_drops);
  vl_emu_record (conn->server->recorder, conn->num, "meta", "#drop",
      "after_responses", vl_emu_node_int (conn->n_done),
      "drops", vl_emu_node_int (conn->server->n_drops), NULL);
  conn->closed_by_server = TRUE;
  /* FIN without a close frame; libsoup then reads EOF and emits "closed"
   * (code 1006), which frees the connection. */
  if (!conn->socket || !g_socket_shutdown (conn->socket, TRUE, TRUE, &error)) {
    g_printerr ("voicelive-emulator: connection %u: shutdown failed: %s\n",
        conn->num, error ? error->message : "no socket");
    g_clear_error (&error);
    g_io_stream_close (soup_websocket_connection_get_io_stream (conn->ws),
        NULL, NULL);
  }
  return G_SOURCE_REMOVE;
}

gboolean
vl_emu_fault_response_done (VlEmuConn * conn)
{
  const VlEmuOptions *o = &conn->server->opts;

  conn->n_done++;
  if (o->drop_after_responses <= 0 || conn->dropping ||
      conn->n_done % (guint) o->drop_after_responses != 0)
    return conn->dropping;
  if (o->max_drops >= 0 && conn->server->n_drops >= (guint) o->max_drops)
    return FALSE;
  conn->server->n_drops++;
  conn->dropping = TRUE;
  conn->drop_source = g_timeout_add (VL_EMU_DROP_DELAY_MS, drop_timeout, conn);
  return TRUE;
}

static void
hostile_text (VlEmuConn * conn, const gchar * what, const gchar * text)
{
  gsize len = strlen (text);
  gchar *head = g_strndup (text, MIN (len, 200));

  soup_websocket_connection_send_text (conn->ws, text);
  vl_emu_record (conn->server->recorder, conn->num, "server", "#hostile",
      "what", vl_emu_node_string (what),
      "bytes", vl_emu_node_int ((gint64) len),
      "text", vl_emu_node_string (head), NULL);
  g_free (head);
}

static void
hostile_object (VlEmuConn * conn, const gchar * what, JsonObject * obj)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), obj);
  gchar *text = json_to_string (node, FALSE);

  hostile_text (conn, what, text);
  g_free (text);
  json_node_unref (node);
  json_object_unref (obj);
}

static void
hostile_big_frame (VlEmuConn * conn)
{
  static const gchar head[] = "{\"type\":\"x.padding\",\"pad\":\"";
  static const gchar tail[] = "\"}";
  gsize total = VL_EMU_HOSTILE_BIG_FRAME;
  gchar *text = g_malloc (total + 1);
  gsize hl = strlen (head), tl = strlen (tail);

  memcpy (text, head, hl);
  memset (text + hl, 'a', total - hl - tl);
  memcpy (text + total - tl, tail, tl);
  text[total] = '\0';
  soup_websocket_connection_send_text (conn->ws, text);
  g_free (text);
  vl_emu_record (conn->server->recorder, conn->num, "server", "#hostile",
      "what", vl_emu_node_string ("huge_frame"),
      "bytes", vl_emu_node_int ((gint64) total), NULL);
}

void
vl_emu_fault_send_hostile (VlEmuConn * conn, const gchar * response_id,
    const gchar * item_id)
{
  static const guint8 binary[] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01 };
  const gchar *delta_type = vl_emu_dialect_type (conn,
      "response.audio.delta");
  JsonObject *o, *item;

  if (!conn->server->opts.hostile ||
      soup_websocket_connection_get_state (conn->ws) !=
      SOUP_WEBSOCKET_STATE_OPEN)
    return;

  hostile_text (conn, "non_json", "this is not JSON {\"type\":");

  soup_websocket_connection_send_binary (conn->ws, binary, sizeof (binary));
  vl_emu_record (conn->server->recorder, conn->num, "server", "#hostile",
      "what", vl_emu_node_string ("binary"),
      "bytes", vl_emu_node_int (sizeof (binary)), NULL);

  o = json_object_new ();
  json_object_set_int_member (o, "no_type", 1);
  hostile_object (conn, "no_type", o);

  o = json_object_new ();
  json_object_set_string_member (o, "type", delta_type);
  json_object_set_int_member (o, "delta", 12345);
  hostile_object (conn, "delta_not_string", o);

  o = json_object_new ();
  json_object_set_string_member (o, "type", delta_type);
  json_object_set_string_member (o, "delta", "");
  hostile_object (conn, "delta_empty_no_ids", o);

  /* Real ids: a client that decodes leniently would play garbage. */
  o = json_object_new ();
  json_object_set_string_member (o, "type", delta_type);
  json_object_set_string_member (o, "response_id", response_id);
  json_object_set_string_member (o, "item_id", item_id);
  json_object_set_int_member (o, "output_index", 0);
  json_object_set_int_member (o, "content_index", 0);
  json_object_set_string_member (o, "delta", "!!!notbase64");
  hostile_object (conn, "delta_bad_base64", o);

  o = json_object_new ();
  json_object_set_string_member (o, "type", "response.future_thing");
  json_object_set_array_member (o, "x", json_array_new ());
  json_array_add_int_element (json_object_get_array_member (o, "x"), 1);
  json_array_add_int_element (json_object_get_array_member (o, "x"), 2);
  hostile_object (conn, "unknown_type", o);

  o = json_object_new ();
  json_object_set_string_member (o, "type",
      "conversation.item.input_audio_transcription.completed");
  json_object_set_string_member (o, "item_id", "item_hostile_unknown");
  json_object_set_int_member (o, "content_index", 0);
  json_object_set_string_member (o, "transcript", "hostile transcript");
  hostile_object (conn, "transcript_unknown_item", o);

  o = json_object_new ();
  item = json_object_new ();
  json_object_set_string_member (item, "id", "item_hostile_never_added");
  json_object_set_string_member (item, "object", "realtime.item");
  json_object_set_string_member (item, "type", "message");
  json_object_set_string_member (item, "role", "assistant");
  json_object_set_string_member (item, "status", "completed");
  json_object_set_array_member (item, "content", json_array_new ());
  json_object_set_string_member (o, "type", "response.output_item.done");
  json_object_set_string_member (o, "response_id", response_id);
  json_object_set_int_member (o, "output_index", 99);
  json_object_set_object_member (o, "item", item);
  hostile_object (conn, "output_item_done_unknown", o);

  hostile_big_frame (conn);
}
