/* gst-voicelive test helper: run one conversation and keep every message.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_CONV_H__
#define __VL_CONV_H__

#include <gst/gst.h>
#include "vltest.h"

G_BEGIN_DECLS

typedef struct
{
  GstElement *pipeline;
  GstElement *appsrc;
  GstElement *sink;             /* voicelivesink */
  GstElement *src;              /* voicelivesrc */
  GstElement *appsink;
  guint rate;                   /* input rate */

  GMutex lock;
  GPtrArray *messages;          /* GstMessage*, in posting order */
  /* function-call answers: name -> output; NULL: do not answer */
  GHashTable *answers;
  GPtrArray *answer_results;    /* gboolean results of function-result, as
                                 * GINT_TO_POINTER */
} VlConv;

/* appsrc (S16LE @rate) ! voicelivesink endpoint=emu @sink_props
 * voicelivesrc is-live=false @src_props ! @out_caps ! appsink */
VlConv *vl_conv_new (VlEmulator * emu, guint rate, const gchar * sink_props,
    const gchar * src_props, const gchar * out_caps);
/* The same with its own session-name (so a test that fails without
 * cleaning up, as with CK_FORK=no, does not take the name from the next). */
VlConv *vl_conv_new_named (VlEmulator * emu, const gchar * session_name,
    guint rate, const gchar * sink_props, const gchar * src_props,
    const gchar * out_caps);
void vl_conv_answer (VlConv * conv, const gchar * function_name,
    const gchar * output);
void vl_conv_start (VlConv * conv);
/* Push @speech_ms of loud tone then @silence_ms of silence (10 ms buffers,
 * timestamps from @start_ms). */
void vl_conv_speak (VlConv * conv, guint start_ms, guint speech_ms,
    guint silence_ms, gboolean eos);
/* Pull all output until EOS (bounded); returns the bytes. */
GByteArray *vl_conv_pull_all (VlConv * conv, guint timeout_ms);
/* Wait until a message named @name (element structure or
 * error/warning) has been collected @count times. */
gboolean vl_conv_wait_message (VlConv * conv, const gchar * name,
    guint count, guint timeout_ms);
/* The messages collected so far whose type is one of @types, in posting
 * order (a snapshot: the caller unrefs it, and need not lock). */
GPtrArray *vl_conv_messages (VlConv * conv, GstMessageType types);
/* The details structure of a warning or error message, else NULL */
const GstStructure *vl_message_details (GstMessage * msg);
/* Messages collected whose structure is named @name */
GPtrArray *vl_conv_find (VlConv * conv, const gchar * name);
/* How many of them there are now */
guint vl_conv_count (VlConv * conv, const gchar * name);
void vl_conv_free (VlConv * conv);

/* The @field strings of @msgs (element messages) whose "final" is @final,
 * joined (free it). */
gchar *vl_conv_joined_text (GPtrArray * msgs, const gchar * field,
    gboolean final);

/* Both the final texts and the deltas (white space stripped) of @msgs,
 * each joined, are @expected. */
void vl_conv_assert_joined_text (GPtrArray * msgs, const gchar * field,
    const gchar * expected);
/* A text-only answer: the response-text messages add up to @expected
 * (vl_conv_assert_joined_text()), and there is no response-transcript. */
void vl_conv_assert_text_answer (VlConv * conv, const gchar * expected);
/* Each string field of @s named in the NULL-terminated list of (field,
 * expected value) pairs has that value. */
void vl_assert_structure_strings (const GstStructure * s,
    const gchar * first_field, ...) G_GNUC_NULL_TERMINATED;
/* The same for the string members of @o */
void vl_assert_json_strings (JsonObject * o, const gchar * first_member,
    ...) G_GNUC_NULL_TERMINATED;

/* ---- two function calls in one response ---- */

/* The emulator script: response 1 calls get_weather (call_w1, Oslo) and
 * get_time (call_t1); response 2 says "It is sunny in Oslo" in 300 ms. */
#define VL_CONV_TWO_CALLS_SCRIPT "{\"responses\":[" \
  "{\"text\":\"\",\"audio_ms\":0,\"function_calls\":[{\"name\":" \
  "\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"," \
  "\"call_id\":\"call_w1\"},{\"name\":\"get_time\",\"arguments\":\"{}\"," \
  "\"call_id\":\"call_t1\"}]}," \
  "{\"text\":\"It is sunny in Oslo\",\"audio_ms\":300}]}"
/* The sink's tools property for them */
#define VL_CONV_TWO_CALLS_TOOLS "tools=\"[{\\\"type\\\":" \
  "\\\"function\\\",\\\"name\\\":\\\"get_weather\\\"},{\\\"type\\\":" \
  "\\\"function\\\",\\\"name\\\":\\\"get_time\\\"}]\""
/* Answers both calls, speaks one turn to the end and returns the output;
 * checks the first function-call message and that both results were
 * taken. */
GByteArray *vl_conv_two_calls_run (VlConv * conv);
/* In @rec: both outputs, then one response.create after the first
 * response.done; the get_weather output as sent; no error. The index of
 * the get_time output goes to @out_t. */
void vl_rec_assert_two_call_outputs (GPtrArray * rec, gint * out_t);
/* @out is response 2's audio, and its final transcript is the text. */
void vl_conv_assert_two_call_answer (VlConv * conv, GByteArray * out);

/* A temporary script file for the emulator; g_free() the path, unlink it
 * with vl_script_remove(). */
gchar *vl_script_write (const gchar * json);
void vl_script_remove (gchar * path);

G_END_DECLS

#endif
