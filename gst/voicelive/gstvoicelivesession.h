/* gst-voicelive
 * The shared session of a voicelivesink and a voicelivesrc: the name
 * registry and the API the elements call from their streaming and
 * application threads.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_SESSION_H__
#define __GST_VOICE_LIVE_SESSION_H__

#include <gst/gst.h>
#include "gstvoiceliveprotocol.h"
#include "gstvoiceliveconnection.h"
#include "gstvoicelivecaptions.h"

G_BEGIN_DECLS
#define GST_TYPE_VOICE_LIVE_SESSION (gst_voice_live_session_get_type ())
G_DECLARE_FINAL_TYPE (GstVoiceLiveSession, gst_voice_live_session, GST,
    VOICE_LIVE_SESSION, GstObject)
/* Registry: one session per name, at most one sink and one src on it. */
     GstVoiceLiveSession *gst_voice_live_session_acquire (const gchar * name,
    GstElement * element, gboolean is_sink, GError ** error);
     void gst_voice_live_session_release (GstVoiceLiveSession * self,
    GstElement * element);
/* An element letting go of the session in its @slot: under @lock (which
 * orders its acquire and release) takes it out of @slot with the element's
 * object lock held (streaming threads read @slot under that lock), stops it
 * first when @stop, and releases it. Nothing when @slot is empty. */
/* session-name changed in READY: the session @name for @element, or NULL
 * after a warning on @element that names the property (the name is
 * taken). */
     GstVoiceLiveSession *gst_voice_live_session_acquire_renamed (const gchar *
    name, GstElement * element, gboolean is_sink);
/* A source's session-name set to @name: under @lock, when it holds a
 * session of another name in *@slot, takes the session @name (as the
 * voicelivetextsrc of it when @text, else the voicelivesrc), lets @attach
 * (may be NULL) configure it with the object lock held, and lets go of the
 * old one. *@name_field becomes @name. FALSE (a warning on @element, and
 * nothing changed) when that name is taken. */
     typedef void (*GstVoiceLiveAttachFunc) (GstElement * element,
    GstVoiceLiveSession * session);
     gboolean gst_voice_live_session_rename (GstVoiceLiveSession ** slot,
    gchar ** name_field, GMutex * lock, GstElement * element,
    const gchar * name, gboolean text, GstVoiceLiveAttachFunc attach);
     void gst_voice_live_session_let_go (GstVoiceLiveSession ** slot,
    GMutex * lock, GstElement * element, gboolean stop);

     const gchar *gst_voice_live_session_get_name (GstVoiceLiveSession * self);
     gboolean gst_voice_live_session_has_sink (GstVoiceLiveSession * self);

/* Sink side. start() returns at once; the connection is made on the network
 * thread. stop() never waits on the network. */
     void gst_voice_live_session_start (GstVoiceLiveSession * self,
    GstVoiceLiveConnectParams * params);
     void gst_voice_live_session_stop (GstVoiceLiveSession * self);
/* Queue a client event (takes ownership of @frame). @audio_bytes > 0 marks
 * an input_audio_buffer.append carrying that much audio. */
     void gst_voice_live_session_send (GstVoiceLiveSession * self,
    gchar * frame, gsize audio_bytes);
/* Queue @data as input_audio_buffer.appends of @chunk bytes (the last may
 * be shorter; 0: one append), handed to the network thread together, each
 * written into a buffer of an earlier append libsoup is done with. */
     void gst_voice_live_session_send_audio (GstVoiceLiveSession * self,
    const guint8 * data, gsize len, gsize chunk);
/* End of input, in steps so that the sink can let go of its preroll lock
 * while it waits. begin_drain() queues what makes the last turn answered
 * (commit + response.create with manual turns, then a barrier).
 * wait_drained() waits until no turn or response is outstanding, until
 * @deadline_us (monotonic), until the session stops or fails, or until
 * wake_drain() was called since get_drain_wakeups() returned @wakeups.
 * end_output() then lets the src reach EOS once it played all. */
     typedef enum
     {
       GST_VOICE_LIVE_DRAIN_DONE,
       GST_VOICE_LIVE_DRAIN_TIMEOUT,
       GST_VOICE_LIVE_DRAIN_WOKEN,
       GST_VOICE_LIVE_DRAIN_ABORTED,
     } GstVoiceLiveDrainResult;

     void gst_voice_live_session_begin_drain (GstVoiceLiveSession * self,
    gboolean manual_turns);
     guint gst_voice_live_session_get_drain_wakeups (GstVoiceLiveSession *
    self);
     GstVoiceLiveDrainResult gst_voice_live_session_wait_drained
         (GstVoiceLiveSession * self, guint wakeups, gint64 deadline_us);
     void gst_voice_live_session_wake_drain (GstVoiceLiveSession * self);
     void gst_voice_live_session_end_output (GstVoiceLiveSession * self);
/* New input after a flush: the output has not ended after all. */
     void gst_voice_live_session_clear_output_eos (GstVoiceLiveSession * self);
/* A property of the sink changed: keep @cfg for the next session.update and,
 * when connected, send one with only @fields. */
     void gst_voice_live_session_update_config (GstVoiceLiveSession * self,
    const GstVoiceLiveConfig * cfg, guint fields);
/* Conversation control behind the sink's action signals. Each returns FALSE
 * (with @error where given) when the request cannot be accepted. */
     gboolean gst_voice_live_session_send_event (GstVoiceLiveSession * self,
    const gchar * json, GError ** error);
     gboolean gst_voice_live_session_send_text (GstVoiceLiveSession * self,
    const gchar * text);
/* The user text item alone (send-text without the response) */
     gboolean gst_voice_live_session_add_user_text (GstVoiceLiveSession *
    self, const gchar * text);
/* A one-shot timer of an element on the session's network thread: @func
 * runs there after @ms (its return value is ignored: once). Returns the
 * source (a ref) to g_source_destroy() it from any thread. */
     GSource *gst_voice_live_session_add_timeout (GstVoiceLiveSession *
    self, guint ms, GSourceFunc func, gpointer data, GDestroyNotify destroy);
/* response.create, sent once no response is active and no function call
 * waits for its result. */
     gboolean gst_voice_live_session_request_response (GstVoiceLiveSession *
    self, const gchar * instructions);
/* A response.create with options (@response: its "response" object,
 * taken), through the same gate, queued in order. @mute: do not play its
 * audio. */
     gboolean gst_voice_live_session_queue_response (GstVoiceLiveSession *
    self, JsonObject * response, gboolean mute);
/* Answers the MCP approval request @approval_request_id (one that was
 * posted as voicelive/mcp-approval-request and is not answered yet). */
     gboolean gst_voice_live_session_mcp_approve (GstVoiceLiveSession * self,
    const gchar * approval_request_id, gboolean approve, GError ** error);
     gboolean gst_voice_live_session_cancel_response (GstVoiceLiveSession *
    self);
     gboolean gst_voice_live_session_function_result (GstVoiceLiveSession *
    self, const gchar * call_id, const gchar * output, GError ** error);
     gboolean gst_voice_live_session_update_session_json (GstVoiceLiveSession *
    self, const gchar * json, GError ** error);

/* Counters for the sink's "stats" property. */
     GstStructure *gst_voice_live_session_get_stats (GstVoiceLiveSession *
    self);
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
/* The dialect (GstVoiceLiveDialect) the sink resolved in NULL->READY, so
 * that the src negotiates only the formats it has before connecting. */
     void gst_voice_live_session_set_dialect (GstVoiceLiveSession * self,
    gint dialect);
     gint gst_voice_live_session_get_dialect (GstVoiceLiveSession * self);
     void gst_voice_live_session_set_src_flushing (GstVoiceLiveSession * self,
    gboolean flushing);
/* Copy up to @max bytes of queued response audio into @dest, whole samples
 * of @align bytes only, for the buffer starting at running time
 * @buffer_rt. A new item starts once @prebuffer bytes of it are queued.
 * With @wait, block until audio, EOS, flushing or error. Posts the
 * playback-started/stopped and turn-metrics messages. */
GstVoiceLiveReadResult
gst_voice_live_session_read_audio (GstVoiceLiveSession * self,
    guint8 * dest, gsize max, gboolean wait, guint align,
    GstClockTime buffer_rt, gsize prebuffer, gsize * n_read);
/* How the src plays: live (clock-paced) and whether speech_started
 * interrupts the output. */
     void gst_voice_live_session_configure_output (GstVoiceLiveSession * self,
    gboolean live, gboolean barge_in);
     void gst_voice_live_session_set_barge_in (GstVoiceLiveSession * self,
    gboolean barge_in);
/* Answer audio queued for the src is bounded to @max_ms; without a src
 * none is queued. */
     void gst_voice_live_session_set_output_limit (GstVoiceLiveSession * self,
    guint max_ms);
/* The pipeline latency (from the LATENCY event): audio stamped T is heard
 * at running time T + latency. */
     void gst_voice_live_session_set_output_latency (GstVoiceLiveSession * self,
    GstClockTime latency);
/* Barge-in: drop queued output, truncate the item at what was rendered,
 * cancel the active response. @forced ignores the src's barge-in setting
 * (clear-output). Returns TRUE if output was active. */
     gboolean gst_voice_live_session_interrupt_output (GstVoiceLiveSession *
    self, gboolean forced);
/* Forget queued output audio and the EOS flag (src start/stop). */
     void gst_voice_live_session_reset_output (GstVoiceLiveSession * self);
/* The caps a voicelive element offers in get_caps: @caps (its template
 * caps, taken), only the GA formats when @ga, intersected with @filter. */
     GstCaps *gst_voice_live_offered_caps (GstCaps * caps, gboolean ga,
    GstCaps * filter);
/* The src pushed @buf (PTS = running time): the text src learns how far
 * the output went, and with echo-cancellation=client-reference its samples
 * are kept, bounded, as the echo reference. One lock round trip. */
     void gst_voice_live_session_note_pushed (GstVoiceLiveSession * self,
    GstBuffer * buf);
/* A sink with echo-cancellation=client-reference is there (READY): the
 * src's output is kept from now on. */
     void gst_voice_live_session_want_reference (GstVoiceLiveSession * self,
    gboolean want);
/* The reference for @n input samples at @in_rate from absolute index
 * @index (running time x rate): what the src output the output latency
 * earlier, resampled; the latency used into @offset. Returns how many
 * samples the src had not output yet (silence). */
     guint gst_voice_live_session_read_reference (GstVoiceLiveSession * self,
    guint in_rate, gint64 index, guint n, gint16 * out, GstClockTime * offset);
     gboolean gst_voice_live_session_src_shares_clock (GstVoiceLiveSession *
    self, GstElement * sink, gboolean check_clock, const gchar ** why);
/* @element's running time by its clock now; @no_clock without one. */
     GstClockTime gst_voice_live_running_time (GstElement * element,
    GstClockTime no_clock);

/* Text side (voicelivetextsrc, gstvoicelivesessiontext.c). At most one
 * per session; it only reads. */
     GstVoiceLiveSession *gst_voice_live_session_acquire_text (const gchar *
    name, GstElement * element, GError ** error);
/* The sink received input from running time @start to @end: the
 * service's input audio ms count from the first @start. */
     void gst_voice_live_session_note_input (GstVoiceLiveSession * self,
    GstClockTime start, GstClockTime end);
     typedef enum
     {
       GST_VOICE_LIVE_TEXT_CAPTION,
       GST_VOICE_LIVE_TEXT_GAP,
       GST_VOICE_LIVE_TEXT_EOS,
       GST_VOICE_LIVE_TEXT_TIMEOUT,
       GST_VOICE_LIVE_TEXT_FLUSHING,
       GST_VOICE_LIVE_TEXT_ERROR,
     } GstVoiceLiveTextResult;
/* The next caption (or GAP up to @gap_end) for a reader at @position.
 * @clock_rt: a live reader's running time now (NONE otherwise). Waits at
 * most until @deadline_us (monotonic), then TIMEOUT. */
     GstVoiceLiveTextResult gst_voice_live_session_read_caption
         (GstVoiceLiveSession * self, GstVoiceLiveGranularity granularity,
    guint speakers, gboolean live, GstClockTime position,
    GstClockTime clock_rt, gint64 deadline_us, GstVoiceLiveCaption * out,
    GstClockTime * gap_end);
     void gst_voice_live_session_set_text_flushing (GstVoiceLiveSession *
    self, gboolean flushing);

/* Avatar side (voiceliveavatarsrc, gstvoicelivesessionavatar.c). At most
 * one per session. */
     GstVoiceLiveSession *gst_voice_live_session_acquire_avatar (const gchar *
    name, GstElement * element, GError ** error);
/* The next piece of the avatar's fragmented MP4 (*@out, a ref), waiting
 * at most until @deadline_us (monotonic). *@init: it starts an init
 * segment (ftyp), a new stream. */
/* WebRTC mode of the avatar (gstvoicelivesessionrtc.c). Whether the
 * session's sink asks for an avatar with avatar-output-protocol=webrtc;
 * *@ice_servers (if not NULL): its avatar-ice-servers, or NULL. */
     gboolean gst_voice_live_session_avatar_webrtc (GstVoiceLiveSession *
    self, gchar ** ice_servers);
/* Forget earlier signaling (the avatar src starts). */
     void gst_voice_live_session_avatar_rtc_reset (GstVoiceLiveSession * self);
/* The next signaling step, waiting at most until @deadline_us: with
 * @answer FALSE, session.updated came (DATA; *@out its
 * session.avatar.ice_servers as JSON, or NULL); with @answer TRUE,
 * session.avatar.connecting came (DATA; *@out its server_sdp, as sent).
 * FLUSHING once set_video_flushing (TRUE), ERROR when the session or the
 * avatar failed. */
     GstVoiceLiveReadResult gst_voice_live_session_read_avatar_rtc
         (GstVoiceLiveSession * self, gint64 deadline_us, gboolean answer,
    gchar ** out);
     GstVoiceLiveReadResult gst_voice_live_session_read_video
         (GstVoiceLiveSession * self, gint64 deadline_us, GBytes ** out,
    gboolean * init);
     void gst_voice_live_session_set_video_flushing (GstVoiceLiveSession *
    self, gboolean flushing);
/* Whether a voiceliveavatarsrc is paired with the session */
     gboolean gst_voice_live_session_has_avatar (GstVoiceLiveSession * self);

G_END_DECLS
#endif /* __GST_VOICE_LIVE_SESSION_H__ */
