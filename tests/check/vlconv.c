/* gst-voicelive test helper: one conversation (appsrc ! voicelivesink,
 * voicelivesrc ! appsink) and every message it posts. The test's thread
 * drives it; the bus sync handler runs in the posting (streaming) thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>
#include "vlconv.h"

static GstBusSyncReply
collect (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  VlConv *conv = user_data;
  const GstStructure *s = gst_message_get_structure (msg);

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT
      || GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING
      || GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR
      || GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
    g_mutex_lock (&conv->lock);
    g_ptr_array_add (conv->messages, gst_message_ref (msg));
    g_mutex_unlock (&conv->lock);
  }
  /* Answer function calls the way an application does: from the bus. */
  if (s && gst_structure_has_name (s, "voicelive/function-call")) {
    const gchar *name = gst_structure_get_string (s, "name");
    const gchar *call_id = gst_structure_get_string (s, "call-id");
    const gchar *output;
    gboolean ok = FALSE;

    g_mutex_lock (&conv->lock);
    output = g_hash_table_lookup (conv->answers, name);
    g_mutex_unlock (&conv->lock);
    if (output) {
      g_signal_emit_by_name (conv->sink, "function-result", call_id, output,
          &ok);
      g_mutex_lock (&conv->lock);
      g_ptr_array_add (conv->answer_results, GINT_TO_POINTER (ok));
      g_mutex_unlock (&conv->lock);
    }
  }
  return GST_BUS_PASS;
}

VlConv *
vl_conv_new (VlEmulator * emu, guint rate, const gchar * sink_props,
    const gchar * src_props, const gchar * out_caps)
{
  return vl_conv_new_named (emu, "default", rate, sink_props, src_props,
      out_caps);
}

VlConv *
vl_conv_new_named (VlEmulator * emu, const gchar * session_name, guint rate,
    const gchar * sink_props, const gchar * src_props, const gchar * out_caps)
{
  VlConv *conv = g_new0 (VlConv, 1);
  GstBus *bus;

  conv->pipeline = vl_test_pipeline_new_pair (rate, "session-name=%s "
      "endpoint=%s %s  voicelivesrc name=src session-name=%s is-live=false "
      "%s ! %s%sappsink name=out sync=false", session_name, emu->url,
      sink_props ? sink_props : "", session_name, src_props ? src_props : "",
      out_caps ? out_caps : "", out_caps ? " ! " : "");
  conv->rate = rate;
  conv->appsrc = gst_bin_get_by_name (GST_BIN (conv->pipeline), "in");
  conv->sink = gst_bin_get_by_name (GST_BIN (conv->pipeline), "sink");
  conv->src = gst_bin_get_by_name (GST_BIN (conv->pipeline), "src");
  conv->appsink = gst_bin_get_by_name (GST_BIN (conv->pipeline), "out");
  g_mutex_init (&conv->lock);
  conv->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_message_unref);
  conv->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  conv->answer_results = g_ptr_array_new ();
  bus = gst_element_get_bus (conv->pipeline);
  gst_bus_set_sync_handler (bus, collect, conv, NULL);
  gst_object_unref (bus);
  return conv;
}

void
vl_conv_answer (VlConv * conv, const gchar * function_name,
    const gchar * output)
{
  g_mutex_lock (&conv->lock);
  g_hash_table_insert (conv->answers, g_strdup (function_name),
      g_strdup (output));
  g_mutex_unlock (&conv->lock);
}

void
vl_conv_start (VlConv * conv)
{
  fail_unless (gst_element_set_state (conv->pipeline, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
}

void
vl_conv_speak (VlConv * conv, guint start_ms, guint speech_ms,
    guint silence_ms, gboolean eos)
{
  fail_unless_equals_int (vl_test_push_speech (conv->appsrc, conv->rate,
          start_ms, speech_ms, silence_ms), GST_FLOW_OK);
  if (eos)
    gst_app_src_end_of_stream (GST_APP_SRC (conv->appsrc));
}

GByteArray *
vl_conv_pull_all (VlConv * conv, guint timeout_ms)
{
  GByteArray *out = g_byte_array_new ();
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;

  while (g_get_monotonic_time () < deadline
      && vl_test_pull_append (conv->appsink, out, 500 * GST_MSECOND));
  while (!gst_app_sink_is_eos (GST_APP_SINK (conv->appsink))
      && g_get_monotonic_time () < deadline)
    vl_test_pull_append (conv->appsink, out, 200 * GST_MSECOND);
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (conv->appsink)),
      "no EOS within %u ms", timeout_ms);
  return out;
}

GPtrArray *
vl_conv_messages (VlConv * conv, GstMessageType types)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_message_unref);
  guint i;

  g_mutex_lock (&conv->lock);
  for (i = 0; i < conv->messages->len; i++) {
    GstMessage *m = g_ptr_array_index (conv->messages, i);

    if (GST_MESSAGE_TYPE (m) & types)
      g_ptr_array_add (out, gst_message_ref (m));
  }
  g_mutex_unlock (&conv->lock);
  return out;
}

const GstStructure *
vl_message_details (GstMessage * msg)
{
  const GstStructure *details = NULL;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING)
    gst_message_parse_warning_details (msg, &details);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    gst_message_parse_error_details (msg, &details);
  return details;
}

static guint
count_named (VlConv * conv, const gchar * name)
{
  GPtrArray *all = vl_conv_messages (conv, GST_MESSAGE_ANY);
  guint i, n = 0;

  for (i = 0; i < all->len; i++) {
    GstMessage *m = g_ptr_array_index (all, i);
    const GstStructure *s = gst_message_get_structure (m);
    const GstStructure *details = vl_message_details (m);

    if ((s && gst_structure_has_name (s, name))
        || (details && gst_structure_has_name (details, name))
        || (g_str_equal (name, "eos")
            && GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS))
      n++;
  }
  g_ptr_array_unref (all);
  return n;
}

gboolean
vl_conv_wait_message (VlConv * conv, const gchar * name, guint count,
    guint timeout_ms)
{
  return VL_TEST_POLL_UNTIL (count_named (conv, name) >= count, 10, timeout_ms);
}

GPtrArray *
vl_conv_find (VlConv * conv, const gchar * name)
{
  GPtrArray *out = vl_conv_messages (conv, GST_MESSAGE_ELEMENT);
  guint i = 0;

  while (i < out->len) {
    if (gst_structure_has_name (gst_message_get_structure
            (g_ptr_array_index (out, i)), name))
      i++;
    else
      g_ptr_array_remove_index (out, i);
  }
  return out;
}

guint
vl_conv_count (VlConv * conv, const gchar * name)
{
  GPtrArray *m = vl_conv_find (conv, name);
  guint n = m->len;

  g_ptr_array_unref (m);
  return n;
}

void
vl_conv_free (VlConv * conv)
{
  GstBus *bus;
  guint i;

  gst_element_set_state (conv->pipeline, GST_STATE_NULL);
  /* Every message this conversation posted is documented, exactly. The
   * lock: the shared network thread may still be posting (the sync
   * handler appends under it). */
  g_mutex_lock (&conv->lock);
  for (i = 0; i < conv->messages->len; i++) {
    GstMessage *m = g_ptr_array_index (conv->messages, i);
    const GstStructure *s = gst_message_get_structure (m);

    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ELEMENT
        && g_str_has_prefix (gst_structure_get_name (s), "voicelive/"))
      vl_docs_check_message (s);
  }
  g_mutex_unlock (&conv->lock);
  bus = gst_element_get_bus (conv->pipeline);
  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  gst_object_unref (bus);
  gst_object_unref (conv->appsrc);
  gst_object_unref (conv->sink);
  gst_object_unref (conv->src);
  gst_object_unref (conv->appsink);
  gst_object_unref (conv->pipeline);
  g_ptr_array_unref (conv->messages);
  g_hash_table_unref (conv->answers);
  g_ptr_array_unref (conv->answer_results);
  g_mutex_clear (&conv->lock);
  g_free (conv);
}

gchar *
vl_conv_joined_text (GPtrArray * msgs, const gchar * field, gboolean final)
{
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; i < msgs->len; i++) {
    const GstStructure *s =
        gst_message_get_structure (g_ptr_array_index (msgs, i));
    gboolean f = FALSE;

    gst_structure_get_boolean (s, "final", &f);
    if (f == final)
      g_string_append (out, gst_structure_get_string (s, field));
  }
  return g_string_free (out, FALSE);
}

void
vl_conv_assert_joined_text (GPtrArray * msgs, const gchar * field,
    const gchar * expected)
{
  gchar *text = vl_conv_joined_text (msgs, field, TRUE);

  fail_unless_equals_string (text, expected);
  g_free (text);
  text = vl_conv_joined_text (msgs, field, FALSE);
  fail_unless_equals_string (g_strstrip (text), expected);
  g_free (text);
}

void
vl_conv_assert_text_answer (VlConv * conv, const gchar * expected)
{
  GPtrArray *m = vl_conv_find (conv, "voicelive/response-text");

  vl_conv_assert_joined_text (m, "text", expected);
  g_ptr_array_unref (m);
  fail_unless_equals_int (vl_conv_count (conv,
          "voicelive/response-transcript"), 0);
}

void
vl_assert_structure_strings (const GstStructure * s,
    const gchar * first_field, ...)
{
  const gchar *field;
  va_list ap;

  va_start (ap, first_field);
  for (field = first_field; field; field = va_arg (ap, const gchar *))
  {
    const gchar *expected = va_arg (ap, const gchar *);

    fail_unless_equals_string (gst_structure_get_string (s, field), expected);
  }
  va_end (ap);
}

void
vl_assert_json_strings (JsonObject * o, const gchar * first_member, ...)
{
  const gchar *member;
  va_list ap;

  va_start (ap, first_member);
  for (member = first_member; member; member = va_arg (ap, const gchar *))
  {
    const gchar *expected = va_arg (ap, const gchar *);

    fail_unless_equals_string (json_object_get_string_member (o, member),
        expected);
  }
  va_end (ap);
}

/* ---- two function calls in one response ---- */

GByteArray *
vl_conv_two_calls_run (VlConv * conv)
{
  GByteArray *out;
  GPtrArray *m;

  vl_conv_answer (conv, "get_weather", "{\"temp\":21}");
  vl_conv_answer (conv, "get_time", "{\"time\":\"12:00\"}");
  vl_conv_start (conv);
  vl_conv_speak (conv, 0, 600, 700, TRUE);
  out = vl_conv_pull_all (conv, 30000);

  m = vl_conv_find (conv, "voicelive/function-call");
  fail_unless_equals_int (m->len, 2);
  vl_assert_structure_strings (gst_message_get_structure (g_ptr_array_index
          (m, 0)), "name", "get_weather", "call-id", "call_w1", "arguments",
      "{\"city\":\"Oslo\"}", NULL);
  g_ptr_array_unref (m);
  fail_unless_equals_int (conv->answer_results->len, 2);
  fail_unless (g_ptr_array_index (conv->answer_results, 0));
  fail_unless (g_ptr_array_index (conv->answer_results, 1));
  return out;
}

void
vl_rec_assert_two_call_outputs (GPtrArray * rec, gint * out_t)
{
  gint done1 = vl_rec_index (rec, "server", "response.done", 0);
  gint out_w = vl_rec_index (rec, "client", "conversation.item.create", 0);
  gint create = vl_rec_index (rec, "client", "response.create", 0);
  JsonObject *item;

  *out_t = vl_rec_index (rec, "client", "conversation.item.create", 1);
  fail_unless (done1 >= 0 && out_w >= 0 && *out_t >= 0 && create >= 0);
  fail_unless (create > done1, "response.create before response.done");
  fail_unless (create > out_w && create > *out_t);
  fail_unless_equals_int (vl_rec_count (rec, "client", "response.create"), 1);
  item = json_object_get_object_member (vl_rec_event (g_ptr_array_index (rec,
              out_w)), "item");
  vl_assert_json_strings (item, "type", "function_call_output", "call_id",
      "call_w1", "output", "{\"temp\":21}", NULL);
  fail_unless_equals_int (vl_rec_count (rec, "server", "error"), 0);
}

void
vl_conv_assert_two_call_answer (VlConv * conv, GByteArray * out)
{
  GPtrArray *m;
  gchar *text;

  vl_test_assert_answer (out->data, out->len, 2, 300 * 24, 24000, "pcm16");
  m = vl_conv_find (conv, "voicelive/response-transcript");
  text = vl_conv_joined_text (m, "text", TRUE);
  fail_unless_equals_string (text, "It is sunny in Oslo");
  g_free (text);
  g_ptr_array_unref (m);
}

gchar *
vl_script_write (const gchar * json)
{
  GError *err = NULL;
  gchar *path = NULL;
  gint fd = g_file_open_tmp ("vlscript-XXXXXX.json", &path, &err);

  fail_unless (fd >= 0, "%s", err ? err->message : "");
  close (fd);
  fail_unless (g_file_set_contents (path, json, -1, NULL));
  return path;
}

void
vl_script_remove (gchar * path)
{
  g_unlink (path);
  g_free (path);
}
