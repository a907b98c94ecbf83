/* gst-voicelive: JSON writing shared by the client event builders (member
 * helpers, doubles as typed, the builder's text) and json_merge. Pure;
 * called from any thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstvoiceliveprotocol.h"
#include "gstvoicelivejson.h"

void
gst_voice_live_json_member_str (JsonBuilder * b, const gchar * name,
    const gchar * v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, v);
}

void
gst_voice_live_json_member_int (JsonBuilder * b, const gchar * name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

JsonBuilder *
gst_voice_live_json_begin_event (const gchar * type, const gchar * event_id)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  gst_voice_live_json_member_str (b, "type", type);
  if (event_id)
    gst_voice_live_json_member_str (b, "event_id", event_id);
  return b;
}

/* json-glib 1.6 writes doubles with 17 digits (0.1 becomes
 * 0.10000000000000001); the wire should carry what the user typed. Doubles
 * go in as marked strings and node_to_string() rewrites them. */
#define DOUBLE_MARK "\001vld:"

static gchar *
marked_double (gdouble v)
{
  gchar num[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (num, sizeof (num), "%.15g", v);
  return g_strconcat (DOUBLE_MARK, num, NULL);
}

void
gst_voice_live_json_member_double (JsonBuilder * b, const gchar * name,
    gdouble v)
{
  gchar *marked = marked_double (v);

  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, marked);
  g_free (marked);
}

void
gst_voice_live_json_object_set_double (JsonObject * o, const gchar * name,
    gdouble v)
{
  gchar *marked = marked_double (v);

  json_object_set_string_member (o, name, marked);
  g_free (marked);
}

void
gst_voice_live_json_member_bool (JsonBuilder * b, const gchar * name,
    gboolean v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, v);
}

void
gst_voice_live_json_member_null (JsonBuilder * b, const gchar * name)
{
  json_builder_set_member_name (b, name);
  json_builder_add_null_value (b);
}

gchar *
gst_voice_live_json_node_to_string (JsonNode * root)
{
  static const gchar mark[] = "\"\\u0001vld:";
  gchar *s = json_to_string (root, FALSE);
  GString *out;
  const gchar *p, *m;

  if (!strstr (s, mark))
    return s;
  /* "\u0001vld:0.1" -> 0.1 */
  out = g_string_sized_new (strlen (s));
  p = s;
  while ((m = strstr (p, mark))) {
    const gchar *num = m + strlen (mark);
    const gchar *end = strchr (num, '"');

    g_string_append_len (out, p, m - p);
    g_string_append_len (out, num, end - num);
    p = end + 1;
  }
  g_string_append (out, p);
  g_free (s);
  return g_string_free (out, FALSE);
}

gchar *
gst_voice_live_json_end_event (JsonBuilder * b)
{
  JsonNode *root;
  gchar *s;

  json_builder_end_object (b);
  root = json_builder_get_root (b);
  s = gst_voice_live_json_node_to_string (root);
  json_node_unref (root);
  g_object_unref (b);
  return s;
}

void
gst_voice_live_json_merge (JsonObject * dest, JsonObject * src)
{
  GList *members = json_object_get_members (src), *l;

  for (l = members; l; l = l->next) {
    const gchar *name = l->data;
    JsonNode *sv = json_object_get_member (src, name);
    JsonNode *dv = json_object_get_member (dest, name);

    if (dv && JSON_NODE_HOLDS_OBJECT (dv) && JSON_NODE_HOLDS_OBJECT (sv))
      gst_voice_live_json_merge (json_node_get_object (dv),
          json_node_get_object (sv));
    else
      json_object_set_member (dest, name, json_node_copy (sv));
  }
  g_list_free (members);
}
