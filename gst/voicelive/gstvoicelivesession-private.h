/* gst-voicelive
 * The session's insides, shared by the files that implement it:
 * gstvoicelivesession.c (registry, streaming-thread API), gstvoicelivesessionnet.c
 * (network thread) and gstvoiceliveoutput.c (the answer audio for the src).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_SESSION_PRIVATE_H__
#define __GST_VOICE_LIVE_SESSION_PRIVATE_H__

#include "gstvoicelivesession.h"
#include "gstvoiceliveconnection.h"
#include "gstvoiceliveconversation.h"
#include "gstvoiceliveplayback.h"
#include "gstvoicelivecaptions.h"
#include "gstvoiceliveprotocolga.h"
#include "gstvoiceliveechoref.h"

G_BEGIN_DECLS GST_DEBUG_CATEGORY_EXTERN (voicelivesession_debug);
#define GST_CAT_DEFAULT voicelivesession_debug

struct _GstVoiceLiveSession
{
  GstObject parent;

  gchar *name;

  /* Registry fields, under registry_lock and self->lock */
  GstElement *sink;
  GstElement *src;
  GstElement *text;             /* voicelivetextsrc: reads, never posts */
  GstElement *avatar;           /* voiceliveavatarsrc: reads, posts its own */

  GMutex lock;
  GCond cond;

  /* The elements posting messages: written under self->lock and
   * elem_lock, read under either. Posting takes only elem_lock, so the
   * network thread posting events does not hold up the streaming
   * threads on self->lock. */
  GMutex elem_lock;

  /* Everything below is under self->lock */
  guint cond_waiters;           /* threads in g_cond_wait on cond */
  guint drain_waiters;          /* of which waiting for outgoing to empty */
  GstVoiceLiveConnectParams *params;    /* kept: each attempt gets a copy */
  gboolean connected_once;      /* a later loss reconnects */
  gboolean reconnecting;
  guint reconnect_attempt;
  gint64 connected_since;
  GstVoiceLiveConfig config;    /* latest, for (re)connect updates */
  GstVoiceLiveAudioFormat in_format;
  GstVoiceLiveDialect dialect;  /* which session.update shape to send */
  gboolean started;
  guint closes_pending;         /* stop()s whose close is not over yet */
  gboolean ready;               /* session.update sent, audio may flow */
  gboolean failed;
  gboolean failing;             /* an error is being posted */
  gboolean flush_scheduled;
  GQueue outgoing;              /* OutFrame* */
  GQueue spare_frames;          /* OutFrame* with a buf, sent, for reuse */
  GPtrArray *src_msgs;          /* src streaming thread only */
  gsize outgoing_audio_bytes;
  guint64 dropped_audio_bytes;

  gboolean have_out_format;
  GstVoiceLiveAudioFormat out_format;
  gboolean out_format_sent;
  /* session.created came while a src is attached that has not negotiated
   * yet: the first session.update waits (bounded) for its format, so the
   * answers come in it. Whoever clears this sends the update. */
  gboolean awaiting_out_format;

  /* Turns, the response gate, function calls, history */
  GstVoiceLiveConversation conv;

  /* Response audio for the src, and what of it was played */
  GstVoiceLivePlayback *playback;
  gboolean output_eos;
  guint out_max_ms;             /* the src's max-queue-ms; 0: no src */
  gboolean out_full_warned;     /* once per start */
  guint64 stat_output_dropped_bytes;
  guint drain_wakeups;          /* bumped by the sink's unlock/unlock_stop */
  /* Set by the src */
  gboolean barge_in;
  gboolean src_live;
  GstClockTime src_latency;
  gboolean src_flushing;

  /* The conversation as timed text, for voicelivetextsrc and the
   * transcript messages' running-time (gstvoicelivesessiontext.c) */
  GstVoiceLiveCaptions *captions;
  GstClockTime out_position;    /* end of the src's last buffer */
  gboolean out_ended;           /* the src reached EOS */
  gboolean text_flushing;

  /* echo-cancellation=client-reference: appends are stereo, and they
   * wait for the session.updated of the update that says so (a refused
   * update leaves the mono config active). */
  gboolean ec_client;
  gboolean ec_await_updated;
  /* What the src output, by absolute sample index (its streaming thread
   * writes, the sink's reads: gstvoiceliveoutput.c) */
  GstVoiceLiveEchoRef echo_ref;
  /* The avatar's WebRTC signaling (gstvoicelivesessionrtc.c) */
  gboolean rtc_updated;         /* session.updated since session.created */
  gchar *rtc_ice_servers;       /* its session.avatar.ice_servers (JSON) */
  gchar *rtc_server_sdp;        /* session.avatar.connecting's, untaken */
  /* The avatar's fragmented MP4 (gstvoicelivesessionavatar.c) */
  GQueue video;                 /* GBytes*, for the avatar src */
  gsize video_queued;
  gboolean video_flushing;
  gboolean video_skip;          /* barge-in: drop until an init segment */
  gboolean avatar_speaking;
  gboolean avatar_failed;       /* the service refused session.avatar */
  guint64 stat_video_bytes;
  /* Answer audio the avatar speaks, not played by the src */
  guint64 stat_output_avatar_bytes;
  gboolean avatar_voice_noted;  /* said so in the log, once per run */

  JsonObject *extra_session;    /* update-session JSON, merged */

  gint64 expires_at;            /* session.expires_at (Unix s), or -1 */

  /* Turn metrics */
  gint64 last_to_audio_ms;
  gint64 last_to_playback_ms;

  /* Statistics */
  guint64 stat_bytes_sent;
  guint64 stat_audio_bytes_sent;
  guint64 stat_bytes_received;
  guint64 stat_audio_bytes_received;
  guint stat_responses;
  guint stat_reconnects;
  guint stat_renewals;
  /* The next session.update starts a renewed connection: it restores the
   * conversation and counts as a renewal. */
  gboolean renewing;
  guint64 stat_max_send_delay_us;

  struct _VlNetLoop *net;       /* the network thread this session uses */
  GMainContext *net_ctx;        /* its context */

  /* Network thread only */
  GstVoiceLiveConnection *conn;
  GSource *reconnect_source;
  GSource *format_wait;
  JsonParser *parser;
  /* Renewal ahead of the service's session limit (network thread only):
   * the second connection, opened when the timer fires, switched to
   * between turns once its session.created came. */
  gint64 conn_expires_at;       /* conn's expires_at (Unix s), 0: none */
  GSource *renew_source;        /* when the renewal is due (or retried) */
  const gchar *renew_reason;    /* "expires-at" or "max-session-duration" */
  GstVoiceLiveConnection *renew_conn;
  gboolean renew_created;       /* renew_conn had its session.created */
  gint64 renew_expires_at;      /* from it */
  guint renew_failures;         /* renewal attempts failed in a row */
};

typedef struct
{
  gchar *frame;                 /* owned, or buf's text */
  GString *buf;                 /* an append: recycled once sent */
  gsize audio_bytes;
  gint64 queued_us;             /* appends: when a streaming thread queued it */
} OutFrame;

/* Appends sent and kept for reuse, per session */
#define MAX_SPARE_FRAMES 8

void vl_out_frame_free (OutFrame * f);

static inline void
count_rx (GstVoiceLiveSession * self, gsize frame_len)
{
  g_mutex_lock (&self->lock);
  self->stat_bytes_received += frame_len;
  g_mutex_unlock (&self->lock);
}

/* Called with self->lock. GLib's g_cond_broadcast() is a futex system
 * call even with nobody waiting; the network thread calls this for every
 * frame. */
static inline void
wake_waiters (GstVoiceLiveSession * self)
{
  if (self->cond_waiters > 0)
    g_cond_broadcast (&self->cond);
}

/* gstvoicelivesession.c: posting (never with self->lock held) */
GstElement *vl_session_post_element (GstVoiceLiveSession * self,
    gboolean prefer_src);
/* With the lock: the src pushed output up to running time @end (text side,
 * gstvoicelivesessiontext.c) */
void vl_session_output_pushed_locked (GstVoiceLiveSession * self,
    GstClockTime end);
/* With the lock: waits for a change of the session's state, at most until
 * @deadline_us (monotonic); FALSE once it has passed. */
gboolean vl_session_wait_locked (GstVoiceLiveSession * self,
    gint64 deadline_us);
void vl_session_post (GstVoiceLiveSession * self, GstStructure * s,
    gboolean prefer_src);
/* The closing voicelive/connection message, with the peer's close code
 * and reason (network thread). */
/* The src's format arrived while the first session.update waited for it
 * (any thread). */
void vl_session_out_format_ready (GstVoiceLiveSession * self);
void vl_session_post_closed (GstVoiceLiveSession * self, guint code,
    const gchar * reason);
void vl_session_post_connection (GstVoiceLiveSession * self,
    const gchar * state, guint attempt, const gchar * reason);
void vl_session_fail (GstVoiceLiveSession * self, GQuark domain, gint code,
    const gchar * user_text, const gchar * debug_text);

/* gstvoicelivesessionnet.c: the network thread's side */
void vl_session_net_flush (GstVoiceLiveSession * self);
gboolean vl_session_net_start_cb (gpointer data);
gboolean vl_session_net_stop_cb (gpointer data);
void vl_session_maybe_create_response (GstVoiceLiveSession * self);

/* gstvoicelivesessiontext.c: the timed text (self->lock held for the
 * _locked ones) */
void vl_session_captions_event_locked (GstVoiceLiveSession * self,
    const GstVoiceLiveEvent * ev);
void vl_session_captions_msgs_locked (GstVoiceLiveSession * self,
    GPtrArray * msgs);
void vl_session_captions_timing (GstVoiceLiveSession * self,
    const GstVoiceLiveEvent * ev, GstStructure * s);

/* gstvoicelivesessionavatar.c (network thread) */
/* A response.video.delta frame: TRUE when @data was one (handled). */
gboolean vl_session_video_frame (GstVoiceLiveSession * self,
    const gchar * data, gsize len);
/* Whether the answer audio is the avatar's to play (call with the lock
 * held): then the src does not play it too. */
gboolean vl_session_avatar_voices_locked (GstVoiceLiveSession * self);
/* The avatar's share of a server event: state, barge-in, refusal. */
void vl_session_avatar_event (GstVoiceLiveSession * self,
    const GstVoiceLiveEvent * ev);
/* Forget queued video (release, stop); self->lock held */
void vl_session_video_reset_locked (GstVoiceLiveSession * self);

/* gstvoicelivesessionrtc.c (network thread): session.updated and
 * session.avatar.connecting for voiceliveavatarsrc's WebRTC peer. */
void vl_session_avatar_rtc_event (GstVoiceLiveSession * self,
    const GstVoiceLiveEvent * ev);
/* Forget the signaling state (new connection, finalize); lock held */
void vl_session_avatar_rtc_reset_locked (GstVoiceLiveSession * self);

/* gstvoiceliveoutput.c */
void vl_session_update_output_limit_locked (GstVoiceLiveSession * self);
void vl_session_append_audio (GstVoiceLiveSession * self, const gchar * b64,
    gsize len, const gchar * response_id, const gchar * item_id,
    gsize frame_len);

G_END_DECLS
#endif /* __GST_VOICE_LIVE_SESSION_PRIVATE_H__ */
