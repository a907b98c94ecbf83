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

/* A temporary script file for the emulator; g_free() the path, unlink it
 * with vl_script_remove(). */
gchar *vl_script_write (const gchar * json);
void vl_script_remove (gchar * path);

G_END_DECLS

#endif
