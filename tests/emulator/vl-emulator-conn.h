/* gst-voicelive
 * voicelive-emulator: one client connection and its protocol state.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_EMULATOR_CONN_H__
#define __VL_EMULATOR_CONN_H__

#include "vl-emulator.h"
#include "vl-emulator-vad.h"

G_BEGIN_DECLS
/* What the emulator remembers of a conversation item. */
    typedef struct
{
  gchar *id;
  gchar *role;                  /* NULL for non-message items */
  gboolean assistant_audio;     /* truncatable */
  guint audio_rate;
  guint64 audio_samples;        /* generated so far */
  JsonObject *item;             /* as last sent to the client */
} VlEmuItem;

/* Audio details recorded with a response.audio.delta. */
typedef struct
{
  guint seed;
  guint64 offset;
  guint64 samples;
  gint64 byte_offset;           /* --odd-deltas only; else -1 */
  guint64 bytes;
} VlEmuDeltaInfo;

struct _VlEmuConn
{
  VlEmuServer *server;
  SoupWebsocketConnection *ws;
  guint num;                    /* 1-based connection number */
  guint64 id_counter;
  JsonObject *session;

  /* Input audio position: base_us plus samples at the current rate, so a
   * rate change mid-stream keeps the ms clock continuous. */
  guint in_rate;
  gchar in_kind;                /* 'p' pcm16, 'u' mu-law, 'a' A-law */
  guint64 in_base_us;
  guint64 in_samples;
  gboolean has_odd_byte;        /* pcm16 sample split across appends */
  guint8 odd_byte;
  guint64 buffer_start_us;      /* start of the uncommitted buffer */
  gint16 frame[VL_EMU_VAD_FRAME_MS * 48];
  guint frame_fill;
  VlEmuVad vad;
  gchar *speech_item_id;        /* user item announced by speech_started */

  gchar *last_item_id;
  GHashTable *items;            /* id -> VlEmuItem */
  guint64 input_audio_ms;       /* committed audio, for usage */

  VlEmuResponse *response;      /* the active one, or NULL */
  guint n_responses;
  gboolean response_pending;    /* VAD turn ended while one was active */

  guint n_slots;                /* script entries used (responses and
                                 * scripted errors) */
  GHashTable *call_ids;         /* call_id set of function calls */
  GHashTable *approvals;        /* MCP approval request id -> VlEmuApproval
                                 * (vl-emulator-tools.c), or NULL */
  GHashTable *listed_servers;   /* MCP server_labels listed, or NULL */
  gboolean warned;              /* --warning sent */

  GSocket *socket;              /* the TCP socket, for --drop-after-... */
  guint n_done;                 /* response.done sent */
  guint drop_source;            /* a drop is armed */
  guint close_source;           /* --close-after-ms timer */
  gint64 expires_at;            /* --expires-in-s: Unix s; 0: none */
  guint expire_source;          /* closes at expires_at */
  gboolean dropping;

  gboolean closed_by_server;
  gboolean saw_error;
  /* Client echo reference: appends seen, and (--ec-lag-max-ms) the stereo
   * input kept for the lag, bounded */
  gboolean audio_seen;
  GByteArray *ec_audio;
  /* GA dialect: GA path (strict GA sessions) or --dialect ga (names) */
  gboolean ga;
  gboolean ga_path;
};

/* @path chooses the dialect; @beta_header: the upgrade carried
 * OpenAI-Beta, which a GA path refuses (error, then close 4000). */
VlEmuConn *vl_emu_conn_new (VlEmuServer * server,
    SoupWebsocketConnection * ws, guint num, const gchar * model,
    const gchar * path, gboolean beta_header);
void vl_emu_conn_free (VlEmuConn * conn);
/* --ec-lag-max-ms: records #ec-lag for a stereo connection */
void vl_emu_conn_report_ec_lag (VlEmuConn * conn);

void vl_emu_conn_handle_message (VlEmuConn * conn, gint type, GBytes * message);

/* Helpers shared with the response generator. */
gchar *vl_emu_conn_new_id (VlEmuConn * conn, const gchar * prefix);
JsonObject *vl_emu_conn_event_new (VlEmuConn * conn, const gchar * type);
void vl_emu_conn_send (VlEmuConn * conn, JsonObject * event,
    const VlEmuDeltaInfo * delta);
void vl_emu_conn_send_error (VlEmuConn * conn, const gchar * code,
    const gchar * message, const gchar * param, const gchar * client_event_id);
VlEmuItem *vl_emu_conn_add_item (VlEmuConn * conn, JsonObject * item);
/* conversation.item.created (beta) or conversation.item.added (GA) for
 * @item (transfer full), with previous_item_id @prev (NULL: the last item);
 * @done adds GA's conversation.item.done at once. Makes @item the last. */
void vl_emu_conn_send_item_created (VlEmuConn * conn, const gchar * prev,
    JsonObject * item, gboolean done);
/* GA only: conversation.item.done for @item (transfer full). */
void vl_emu_conn_send_item_done (VlEmuConn * conn, JsonObject * item);
/* Sends @obj (not consumed) verbatim, without an event_id of ours. */
void vl_emu_conn_send_raw (VlEmuConn * conn, JsonObject * obj);
guint64 vl_emu_conn_input_ms (VlEmuConn * conn);

G_END_DECLS
#endif /* __VL_EMULATOR_CONN_H__ */
