/* gst-voicelive: the client events other than session.update (audio
 * append with its base64 encoder, response.create, truncate, items, ...).
 * Pure; the append runs on the sink's streaming thread, the rest anywhere.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstvoiceliveprotocol.h"
#include "gstvoicelivejson.h"

/* Three bytes at a time, no line breaks; GLib's encoder goes a byte at a
 * time through its state machine, which showed in profiles. */
gsize
gst_voice_live_base64_encode (const guint8 * in, gsize len, gchar * out)
{
  static const gchar abc[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  gchar *o = out;
  gsize i = 0;

  for (; i + 3 <= len; i += 3, o += 4) {
    guint32 v = ((guint32) in[i] << 16) | ((guint32) in[i + 1] << 8) | in[i +
        2];

    o[0] = abc[v >> 18];
    o[1] = abc[(v >> 12) & 63];
    o[2] = abc[(v >> 6) & 63];
    o[3] = abc[v & 63];
  }
  if (i < len) {
    guint32 v = (guint32) in[i] << 16;

    if (i + 1 < len)
      v |= (guint32) in[i + 1] << 8;
    o[0] = abc[v >> 18];
    o[1] = abc[(v >> 12) & 63];
    o[2] = i + 1 < len ? abc[(v >> 6) & 63] : '=';
    o[3] = '=';
    o += 4;
  }
  return o - out;
}

void
gst_voice_live_build_append (GString * out, const guint8 * data, gsize len)
{
  static const gchar prefix[] =
      "{\"type\":\"input_audio_buffer.append\",\"audio\":\"";
  gsize start, n;

  g_string_truncate (out, 0);
  g_string_append_len (out, prefix, sizeof (prefix) - 1);
  start = out->len;
  g_string_set_size (out, start + (len + 2) / 3 * 4 + 2);
  n = gst_voice_live_base64_encode (data, len, out->str + start);
  g_string_truncate (out, start + n);
  g_string_append_len (out, "\"}", 2);
}

gchar *
gst_voice_live_build_simple (const gchar * type, const gchar * event_id)
{
  JsonBuilder *b = gst_voice_live_json_begin_event (type, event_id);

  return gst_voice_live_json_end_event (b);
}

/* The event @type with its object member @member begun */
static JsonBuilder *
begin_with_object (const gchar * type, const gchar * event_id,
    const gchar * member)
{
  JsonBuilder *b = gst_voice_live_json_begin_event (type, event_id);

  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  return b;
}

/* Ends what begin_with_object() began */
static gchar *
end_with_object (JsonBuilder * b)
{
  json_builder_end_object (b);
  return gst_voice_live_json_end_event (b);
}

gchar *
gst_voice_live_build_truncate (const gchar * item_id, gint content_index,
    gint64 audio_end_ms)
{
  JsonBuilder *b =
      gst_voice_live_json_begin_event ("conversation.item.truncate", NULL);

  gst_voice_live_json_member_str (b, "item_id", item_id);
  gst_voice_live_json_member_int (b, "content_index", content_index);
  gst_voice_live_json_member_int (b, "audio_end_ms", audio_end_ms);
  return gst_voice_live_json_end_event (b);
}

gchar *
gst_voice_live_build_barrier (const gchar * event_id)
{
  return end_with_object (begin_with_object ("session.update", event_id,
          "session"));
}

gchar *
gst_voice_live_build_response_create (const gchar * event_id,
    const gchar * instructions)
{
  JsonBuilder *b;

  if (!instructions)
    return gst_voice_live_build_simple ("response.create", event_id);
  b = begin_with_object ("response.create", event_id, "response");
  gst_voice_live_json_member_str (b, "instructions", instructions);
  return end_with_object (b);
}

gchar *
gst_voice_live_build_user_text (const gchar * text)
{
  return gst_voice_live_build_text_item (TRUE, text);
}

gchar *
gst_voice_live_build_text_item (gboolean user, const gchar * text)
{
  JsonBuilder *b = begin_with_object ("conversation.item.create", NULL,
      "item");

  gst_voice_live_json_member_str (b, "type", "message");
  gst_voice_live_json_member_str (b, "role", user ? "user" : "assistant");
  json_builder_set_member_name (b, "content");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  gst_voice_live_json_member_str (b, "type", user ? "input_text" : "text");
  gst_voice_live_json_member_str (b, "text", text ? text : "");
  json_builder_end_object (b);
  json_builder_end_array (b);
  return end_with_object (b);
}

gchar *
gst_voice_live_build_function_output (const gchar * call_id,
    const gchar * output)
{
  JsonBuilder *b = begin_with_object ("conversation.item.create", NULL,
      "item");

  gst_voice_live_json_member_str (b, "type", "function_call_output");
  gst_voice_live_json_member_str (b, "call_id", call_id);
  gst_voice_live_json_member_str (b, "output", output);
  return end_with_object (b);
}
