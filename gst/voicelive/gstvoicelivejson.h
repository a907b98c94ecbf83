/* gst-voicelive
 * JSON writing shared by the protocol's client event builders (private to
 * the voiceliveprotocol library; gstvoicelivejson.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_JSON_H__
#define __GST_VOICE_LIVE_JSON_H__

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A builder inside a new event object: {"type":@type[,"event_id":@event_id]
 * (left out when NULL). */
JsonBuilder *gst_voice_live_json_begin_event (const gchar * type,
    const gchar * event_id);

/* "name": value, inside an object being built. */
void gst_voice_live_json_member_str (JsonBuilder * b, const gchar * name,
    const gchar * v);
void gst_voice_live_json_member_int (JsonBuilder * b, const gchar * name,
    gint64 v);
/* %.15g, as typed: needs gst_voice_live_json_node_to_string() (or
 * _end_event()) to turn the marked string back into a number. */
void gst_voice_live_json_member_double (JsonBuilder * b, const gchar * name,
    gdouble v);
/* The same for a member of an object built without a builder. */
void gst_voice_live_json_object_set_double (JsonObject * o, const gchar * name,
    gdouble v);
void gst_voice_live_json_member_bool (JsonBuilder * b, const gchar * name,
    gboolean v);
void gst_voice_live_json_member_null (JsonBuilder * b, const gchar * name);

/* Compact JSON text of @root, doubles as typed. */
gchar *gst_voice_live_json_node_to_string (JsonNode * root);
/* Closes the event object begun by gst_voice_live_json_begin_event() and
 * returns its text; consumes @b. */
gchar *gst_voice_live_json_end_event (JsonBuilder * b);

G_END_DECLS

#endif /* __GST_VOICE_LIVE_JSON_H__ */
