/* gst-voicelive
 * The conversation state machine: turn state, the response gate, pending
 * function calls, drain and barge-in decisions, history for a restore.
 * Pure (no sockets, no elements): the session calls it under its lock.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_CONVERSATION_H__
#define __GST_VOICE_LIVE_CONVERSATION_H__

#include <glib.h>
#include "gstvoiceliveprotocol.h"
#include "gstvoiceliveprotocolga.h"

G_BEGIN_DECLS
/* Conversation items kept for restore-conversation */
#define GST_VOICE_LIVE_MAX_HISTORY 100
/* Text replayed by a restore, at most (bytes): the newest items that fit */
#define GST_VOICE_LIVE_RESTORE_BUDGET (32 * 1024)
    typedef struct
{
  /* Turn state, for the end-of-stream drain */
  gboolean speech_active;
  gboolean commit_expected;     /* server VAD: speech stopped, not committed */
  gboolean response_active;
  gboolean awaiting_response;   /* committed or response.create, not created yet */
  gint updates_outstanding;     /* session.update without an answer */
  gboolean audio_since_commit;

  /* From the settings */
  gboolean manual_turns;        /* turn detection none */
  gboolean auto_response;       /* a committed turn is answered by the service */
  gboolean auto_truncate;       /* the service truncates interrupted items */

  /* The response gate. Plain requests (create-response, send-text, function
   * results) merge into one; requests with options (say,
   * create-response-full) queue, and all go out in the order asked. */
  GHashTable *pending_calls;    /* call_id -> name, announced, not answered */
  gboolean response_wanted;     /* send a plain response.create when idle */
  gchar *pending_instructions;  /* for that response.create */
  guint wanted_order;           /* when it was asked (0: retry, first) */
  GQueue requests;              /* GstVoiceLiveResponseRequest*, in order */
  guint order_seq;
  struct _GstVoiceLiveResponseRequest *in_flight;       /* sent, not created */
  GHashTable *responses;        /* response id -> request, for its messages */
  GQueue response_ids;          /* their keys, oldest first (bounded) */
  GHashTable *approvals;        /* MCP approval request ids not answered */

  guint update_seq;
  guint response_seq;
  GQueue history;               /* GstVoiceLiveHistoryItem* */
  gint64 t_speech_stopped;      /* monotonic µs of the last speech_stopped */
} GstVoiceLiveConversation;

typedef struct
{
  gboolean user;
  gchar *text;
} GstVoiceLiveHistoryItem;

/* A response.create with options, waiting for the gate. */
typedef struct _GstVoiceLiveResponseRequest
{
  JsonObject *response;         /* the "response" object, as sent */
  gchar *metadata;              /* its metadata as JSON text, or NULL */
  gboolean mute;                /* its audio is not played */
  guint order;
} GstVoiceLiveResponseRequest;

/* What the caller does after an event, besides waking its waiters. */
typedef enum
{
  /* speech started: interrupt the output (barge-in) */
  GST_VOICE_LIVE_CONV_INTERRUPT = 1 << 0,
  /* a response ended, whatever its status: count it; the link works */
  GST_VOICE_LIVE_CONV_RESPONSE_FINISHED = 1 << 1,
  /* the event's item has all its audio */
  GST_VOICE_LIVE_CONV_ITEM_AUDIO_DONE = 1 << 2,
  /* an MCP approval request seen before (the same item in another item
   * event): post it as a plain server event */
  GST_VOICE_LIVE_CONV_SEEN_BEFORE = 1 << 3,
} GstVoiceLiveConvAction;

typedef struct
{
  guint actions;                /* GstVoiceLiveConvAction */
  gchar *send;                  /* a frame to send (owned), or NULL */
} GstVoiceLiveConvResult;

void gst_voice_live_conversation_init (GstVoiceLiveConversation * conv);
void gst_voice_live_conversation_clear (GstVoiceLiveConversation * conv);
/* A new run (streaming starts): forget everything but the counters. */
void gst_voice_live_conversation_reset (GstVoiceLiveConversation * conv);
/* The settings the decisions depend on (turn detection, create-response,
 * auto-truncate). */
void gst_voice_live_conversation_configure (GstVoiceLiveConversation * conv,
    const GstVoiceLiveConfig * cfg);
/* The connection is gone: the next service session knows nothing of the
 * turn in progress. */
void gst_voice_live_conversation_connection_lost (GstVoiceLiveConversation *
    conv);

/* A server event. @open: requests may still be sent (the session runs).
 * @now_us: monotonic time. Fills @result. */
void gst_voice_live_conversation_handle_event (GstVoiceLiveConversation *
    conv, const GstVoiceLiveEvent * ev, gboolean open, gint64 now_us,
    GstVoiceLiveConvResult * result);

/* The event_id of a session.update to send now, counted as outstanding. */
gchar *gst_voice_live_conversation_next_update_id (GstVoiceLiveConversation *
    conv);
/* Input audio was queued for sending. */
static inline void
gst_voice_live_conversation_audio_queued (GstVoiceLiveConversation * conv)
{
  conv->audio_since_commit = TRUE;
}

/* The response gate: ask for a response.create (@instructions may be NULL). */
void gst_voice_live_conversation_request_response (GstVoiceLiveConversation *
    conv, const gchar * instructions);
/* The response.create to send now, or NULL while a response is active or
 * awaited, a function call waits for its result, nothing is wanted or
 * !@open. */
gchar *gst_voice_live_conversation_take_response_create
    (GstVoiceLiveConversation * conv, gboolean open);
/* The gate for a response.create with options (@response: the "response"
 * object, taken). @mute: its audio is not played (out-of-band responses). */
void gst_voice_live_conversation_queue_response (GstVoiceLiveConversation *
    conv, JsonObject * response, gboolean mute);
/* What a request said about the response @response_id once the service
 * created it: its metadata (JSON text, or NULL) and whether it is muted.
 * Responses the client did not ask with options have neither. */
const gchar *gst_voice_live_conversation_response_metadata
    (GstVoiceLiveConversation * conv, const gchar * response_id);
gboolean gst_voice_live_conversation_response_muted (GstVoiceLiveConversation *
    conv, const gchar * response_id);
/* An answer to the MCP approval request @id: FALSE when no such request
 * waits (unknown, or answered already). */
gboolean gst_voice_live_conversation_answer_approval (GstVoiceLiveConversation
    * conv, const gchar * id);
/* A function call's result: FALSE when no call @call_id waits. Then a
 * response is wanted. */
gboolean gst_voice_live_conversation_function_result (GstVoiceLiveConversation
    * conv, const gchar * call_id);

/* End of stream: no turn, response or update is outstanding. */
gboolean gst_voice_live_conversation_settled (const GstVoiceLiveConversation *
    conv);
/* A planned switch to another connection (a renewal ahead of the
 * service's session limit) may happen now: between turns. Not while the
 * user speaks or the turn that ended awaits its commit, a response is
 * active, awaited or wanted, a function call waits for its result or a
 * session.update is unanswered (its answer would come on the old
 * connection); with manual turns, not while input audio waits for its
 * commit (the new connection would not have it). */
gboolean gst_voice_live_conversation_can_switch (const
    GstVoiceLiveConversation * conv);
/* End of stream with manual turns: the last audio needs a commit (and a
 * response). */
gboolean gst_voice_live_conversation_drain_needs_commit (const
    GstVoiceLiveConversation * conv, gboolean manual_turns);

/* Barge-in, once the output was interrupted at @end_ms of @item (NULL if
 * nothing was played): the truncate and response.cancel to send (each may
 * be NULL). @connected: the service session is up. */
void gst_voice_live_conversation_interrupt (GstVoiceLiveConversation * conv,
    const gchar * item, gint64 end_ms, gboolean connected, gchar ** truncate,
    gchar ** cancel);

/* The conversation so far as conversation.item.create frames in dialect
 * @d, oldest first (a GList of owned strings): the last
 * GST_VOICE_LIVE_MAX_HISTORY items, or fewer, the newest whose text fits
 * in GST_VOICE_LIVE_RESTORE_BUDGET bytes. */
GList *gst_voice_live_conversation_restore_frames (GstVoiceLiveConversation *
    conv, GstVoiceLiveDialect d);

G_END_DECLS
#endif /* __GST_VOICE_LIVE_CONVERSATION_H__ */
