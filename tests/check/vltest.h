/* gst-voicelive test helpers: run the emulator, read its record, build and
 * poll pipelines. Called from the test's own thread; nothing here runs in a
 * streaming thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_TEST_H__
#define __VL_TEST_H__

#include <gst/gst.h>
#include <gst/check/gstcheck.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS typedef struct
{
  GPid pid;
  gchar *url;                   /* ws://127.0.0.1:PORT */
  gchar *dir;                   /* private temp dir */
  gchar *record_path;
} VlEmulator;

/* Start voicelive-emulator with extra arguments (NULL-terminated, may be
 * NULL). Fails the test if it does not print its URL within 10 s. */
VlEmulator *vl_emulator_start (const gchar * first_arg, ...);
/* SIGTERM, bounded wait, SIGKILL; removes its files. */
void vl_emulator_stop (VlEmulator * emu);

/* The record so far: an array of JsonNode* (objects), in order. */
GPtrArray *vl_emulator_record (VlEmulator * emu);

/* Helpers over a record */
const gchar *vl_rec_type (JsonNode * line);
const gchar *vl_rec_dir (JsonNode * line);
gint64 vl_rec_conn (JsonNode * line);
JsonObject *vl_rec_event (JsonNode * line);
guint vl_rec_count (GPtrArray * rec, const gchar * dir, const gchar * type);
/* The n-th (0-based) line of that dir/type, or NULL */
JsonNode *vl_rec_find (GPtrArray * rec, const gchar * dir, const gchar * type,
    guint n);

/* Reads the record again into *@rec (unreffing the one there, if any) and
 * returns its n-th (0-based) line of dir/type, or NULL: a step for
 * VL_TEST_POLL_UNTIL. */
JsonNode *vl_emulator_reread_find (VlEmulator * emu, GPtrArray ** rec,
    const gchar * dir, const gchar * type, guint n);
/* The position in @rec of the n-th (0-based) line of dir/type, or -1 */
gint vl_rec_index (GPtrArray * rec, const gchar * dir, const gchar * type,
    guint n);
/* The session object of the first client session.update on the connection
 * of @line, or NULL */
JsonObject *vl_rec_session_update_of_conn (GPtrArray * rec, JsonNode * line);

/* Whether the JSON texts @a and @b hold equal values (both must parse) */
gboolean vl_json_text_equal (const gchar * a, const gchar * b);
/* The string member @name of @o's object member @obj, or NULL if absent
 * (e.g. a header or query parameter of a #connect line) */
const gchar *vl_json_member_string (JsonObject * o, const gchar * obj,
    const gchar * name);

/* Wait (polling, bounded) until the record has at least @count lines of
 * dir/type. Returns the record at that point (caller unrefs) or NULL on
 * timeout. */
GPtrArray *vl_emulator_wait (VlEmulator * emu, const gchar * dir,
    const gchar * type, guint count, guint timeout_ms);

/* vl_emulator_wait() without the record: whether @count lines of dir/type
 * arrived within @timeout_ms. */
gboolean vl_emulator_wait_for (VlEmulator * emu, const gchar * dir,
    const gchar * type, guint count, guint timeout_ms);
/* Sets @pair (from vl_test_pipeline_new_pair()) to PLAYING and pushes 20 ms
 * of silence at @rate into its appsrc "in": the caps start the
 * connection. */
void vl_test_start_with_silence (GstElement * pair, guint rate);

/* Points @emu->url (which vlconv takes as the endpoint) at the emulator's
 * OpenAI GA path, /v1/realtime?model=gpt-realtime. */
void vl_emulator_use_ga_path (VlEmulator * emu);

/* How many lines of dir/type the record holds now. */
guint vl_emulator_count (VlEmulator * emu, const gchar * dir,
    const gchar * type);

/* All input audio appended on connection @conn, decoded and concatenated. */
GByteArray *vl_rec_appended_audio (GPtrArray * rec, gint64 conn);

/* Wait for a message on @bus for at most @timeout_ms: the first of @types,
 * or an element message whose structure is named @element_name (if
 * non-NULL). */
GstMessage *vl_bus_wait (GstBus * bus, GstMessageType types,
    const gchar * element_name, guint timeout_ms);

/* The expected emulator answer: @n_samples of response @seed at @rate,
 * encoded as the output format would carry it ("pcm16", "g711_ulaw",
 * "g711_alaw"). */
GBytes *vl_expected_answer (guint seed, guint64 n_samples, guint rate,
    const gchar * format);

/* docs/messages.md says of the message named like @s: every field, with
 * its type, and no other. Fails the test otherwise. */
void vl_docs_check_message (const GstStructure * s);
/* The documented message names (a GHashTable of name -> fields text) */
GHashTable *vl_docs_messages (void);

/* Path of the test data file @name (tests/files). */
gchar *vl_test_file (const gchar * name);

/* ---- polling ---- */

/* One step of a bounded polling loop: FALSE once @deadline (monotonic
 * time, in µs) has passed, else sleeps @interval_ms and returns TRUE. */
gboolean vl_test_poll_step (gint64 deadline, guint interval_ms);

/* Evaluates the expression @cond every @interval_ms until it is TRUE or
 * @timeout_ms have passed; the value is @cond's last one. Every wait in the
 * tests is bounded this way. */
#define VL_TEST_POLL_UNTIL(cond, interval_ms, timeout_ms)                 \
  (G_GNUC_EXTENSION ({                                                    \
    gint64 vl_poll_deadline_ =                                            \
        g_get_monotonic_time () + (gint64) (timeout_ms) * 1000;           \
    gboolean vl_poll_ok_;                                                 \
    while (!(vl_poll_ok_ = !!(cond))                                      \
        && vl_test_poll_step (vl_poll_deadline_, (interval_ms)));         \
    vl_poll_ok_;                                                          \
  }))

/* ---- voicelivesink's "stats" ---- */

/* The guint64 field @field of @sink's stats, 0 if it is absent. */
guint64 vl_test_get_stat_u64 (GstElement * sink, const gchar * field);
/* The gint64 field @field of @sink's stats into @value; FALSE if absent. */
gboolean vl_test_get_stat_int64 (GstElement * sink, const gchar * field,
    gint64 * value);
/* Whether the stats field @field reached @at_least within @timeout_ms
 * (polled every 10 ms). */
gboolean vl_test_wait_stat_u64 (GstElement * sink, const gchar * field,
    guint64 at_least, guint timeout_ms);

/* ---- pipelines ---- */

/* gst_parse_launch() of the printf-formatted description; fails the test
 * if it does not parse. */
GstElement *
vl_test_pipeline_new (const gchar * fmt, ...)
G_GNUC_PRINTF (1, 2);
/* The same, after "appsrc name=in" (S16LE, mono, @rate Hz, time format)
 * "! voicelivesink name=sink ": @fmt holds the sink's properties and
 * whatever follows (e.g. "endpoint=%s  voicelivesrc ! fakesink"). */
     GstElement *vl_test_pipeline_new_pair (guint rate, const gchar * fmt, ...)
  G_GNUC_PRINTF (2, 3);

/* vl_test_pipeline_new_pair(), set to PLAYING, with 20 ms of silence
 * pushed (the caps start the connection). */
     GstElement *vl_test_start_pair (guint rate, const gchar * fmt, ...)
  G_GNUC_PRINTF (2, 3);
/* "audiotestsrc name=mic" (a live 440 Hz tone, volume 0.6, 10 ms buffers,
 * S16LE mono at @rate) "! voicelivesink name=sink endpoint=@endpoint
 * @sink_props  voicelivesrc name=src @src_props ! appsink name=out
 * sync=true emit-signals=true": a user talking, and what they hear. */
     GstElement *vl_test_pipeline_new_mic (guint rate, const gchar * endpoint,
    const gchar * sink_props, const gchar * src_props);

/* Sets @p to @state and waits (at most 20 s) until it is there. */
     void vl_test_set_state_wait (GstElement * p, GstState state);
/* The element named @name in @bin (the bin keeps it: no ref for the
 * caller); fails the test if there is none. */
     GstElement *vl_test_child (GstElement * bin, const gchar * name);
/* Waits at most @timeout_ms for EOS on @bus; fails the test on an error
 * or none. */
     void vl_test_wait_eos (GstBus * bus, guint timeout_ms);
/* Waits at most @timeout_ms for the element message @name on @bus; fails
 * the test if none came. */
     void vl_test_wait_message (GstBus * bus, const gchar * name,
    guint timeout_ms);

/* ---- barge-in as a listener hears it ---- */

/* What an appsink (sync=true, emit-signals=true) rendered, and when. */
     typedef struct _VlHeard VlHeard;
     VlHeard *vl_heard_new (GstElement * appsink);
/* Free once the pipeline is in NULL */
     void vl_heard_free (VlHeard * heard);
/* Audio samples rendered at or before @mono_us (monotonic time) */
     gint64 vl_heard_samples_until (VlHeard * heard, gint64 mono_us);
/* When the first audio (not a gap) after @mono_us was rendered, or -1 */
     gint64 vl_heard_first_audio_after (VlHeard * heard, gint64 mono_us);
/* In @p (a vl_test_pipeline_new_mic() with "voicelivesrc ! appsink"):
 * 600 ms of speech, silence until the message @until (say the answer is
 * playing, within 15 s), 1.5 s of listening, then speech over the answer:
 * the client event @barge_in (the element's barge-in: response.cancel,
 * or conversation.item.truncate where the server cancels by itself) must
 * be on the wire within 10 s. */
     void vl_test_talk_over (VlEmulator * emu, GstElement * p,
    const gchar * until, const gchar * barge_in);
/* The conversation.item.truncate on the wire cut the answer at what was
 * heard when the speech started (@speech_started_us, monotonic), within
 * one 20 ms buffer, between 1 and 3 s; and voicelive/truncated on @bus says
 * the same. Returns its audio_end_ms. */
     gint64 vl_heard_assert_truncate (VlHeard * heard, GPtrArray * rec,
    gint64 speech_started_us, GstBus * bus);

/* A voicelivesink fed by an appsrc (16 kHz S16LE) in its own real-time
 * pipeline, already PLAYING: @props are the sink's properties after its
 * session-name and endpoint. */
typedef struct
{
  GstElement *pipeline;
  GstElement *appsrc;
  GstElement *sink;
} VlSinkPipe;

VlSinkPipe *vl_sink_pipe_new (VlEmulator * emu, const gchar * name,
    const gchar * props);
void vl_sink_pipe_free (VlSinkPipe * sp);
/* Waits (bounded) until the sink's stats count @ms of answer audio */
void vl_sink_pipe_wait_received (VlSinkPipe * sp, guint64 ms);

/* Pulls one sample from @appsink (waiting at most @timeout) and appends its
 * bytes to @out; FALSE if none came. */
     gboolean vl_test_pull_append (GstElement * appsink, GByteArray * out,
    GstClockTime timeout);

/* Sets @element (alone, not in a pipeline) to READY, which must fail, and
 * returns the error it posted (NULL if none); leaves it in NULL. */
     GError *vl_test_ready_error (GstElement * element);

/* ---- audio ---- */

/* @n samples at @rate: the emulator's test voice @seed, twice as loud, from
 * its sample @first for the first @n_voiced of them, then silence; encoded
 * as @format ("pcm16" little-endian, "g711_ulaw", "g711_alaw"). */
     GstBuffer *vl_test_speech (guint seed, guint rate, guint64 first,
    guint n_voiced, guint n, const gchar * format);
/* Pushes @speech_ms of voice 7 then @silence_ms of silence to @appsrc
 * (S16LE at @rate) in 10 ms buffers timed from @start_ms. Returns the first
 * push result that is not GST_FLOW_OK (and stops there), or GST_FLOW_OK. */
     GstFlowReturn vl_test_push_speech (GstElement * appsrc, guint rate,
    guint start_ms, guint speech_ms, guint silence_ms);
/* Fails the test unless @data (@len bytes) is exactly the emulator's answer
 * (see vl_expected_answer()). */
     void vl_test_assert_answer (const guint8 * data, gsize len, guint seed,
    guint64 n_samples, guint rate, const gchar * format);

/* ---- suites ---- */

/* A suite @name with one test case "general" in @tc, timing out after
 * @timeout_s (0: check's default). The plugin's environment variables
 * (proxy, endpoint, key, api-version, model) are unset so that the
 * developer's own do not reach the tests. */
     Suite *vl_test_suite_new (const gchar * name, guint timeout_s,
    TCase ** tc);

/* A WAV file (mono S16LE at @rate) of @turns times @speech_ms of voice 7
 * then @silence_ms of silence, in the temp dir. Caller unlinks and frees. */
     gchar *vl_test_write_speech_wav (guint rate, guint turns, guint speech_ms,
    guint silence_ms);

/* Runs @argv (PATH searched) and waits for it at most @timeout_ms; then it
 * is killed and FALSE returned. @status and @ru (may be NULL) get its wait
 * status and resource usage. */
     struct rusage;
     gboolean vl_test_run_child (gchar ** argv, guint timeout_ms, gint * status,
    struct rusage *ru);

/* Runs @n copies of @argv at the same time and waits for all, at most
 * @timeout_ms (then the rest are killed). Returns how many exited with
 * status 0. */
     guint vl_test_run_children (gchar ** argv, guint n, guint timeout_ms);

/* ---- elements and threads ---- */

/* Sets @p to NULL (which must succeed at once) and unrefs it. */
     void vl_test_stop_pipeline (GstElement * p);
/* The ids of the threads named voicelive-net in this process, sorted and
 * joined by commas (free it); @count: how many. */
     gchar *vl_test_net_thread_ids (guint * count);
     guint vl_test_count_net_threads (void);

G_END_DECLS
#endif
