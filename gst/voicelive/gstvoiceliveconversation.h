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

  /* The response gate */
  GHashTable *pending_calls;    /* call_id -> name, announced, not answered */
  gboolean response_wanted;     /* send response.create when idle */
  gchar *pending_instructions;  /* for that response.create */

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

/* What the caller does after an event, besides waking its waiters. */
typedef enum
{
  /* speech started: interrupt the output (barge-in) */
  GST_VOICE_LIVE_CONV_INTERRUPT = 1 << 0,
  /* a response ended, whatever its status: count it; the link works */
  GST_VOICE_LIVE_CONV_RESPONSE_FINISHED = 1 << 1,
  /* the event's item has all its audio */
  GST_VOICE_LIVE_CONV_ITEM_AUDIO_DONE = 1 << 2,
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
