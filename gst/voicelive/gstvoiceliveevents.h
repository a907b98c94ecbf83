/* gst-voicelive
 * What each server event becomes on the bus: one table of event kind ->
 * message name -> fields, and the service error -> warning mapping. Pure
 * (builds structures, posts nothing); called on the network thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_EVENTS_H__
#define __GST_VOICE_LIVE_EVENTS_H__

#include <gst/gst.h>
#include "gstvoiceliveprotocol.h"

G_BEGIN_DECLS
/* The element message for @ev, received as the frame @json (without
 * session-name), or NULL when it posts none: audio deltas, and errors that
 * become warnings (gst_voice_live_event_is_warning()). */
    GstStructure * gst_voice_live_event_to_message (const GstVoiceLiveEvent *
    ev, const gchar * json);

/* A race the service reports as an error but that changes nothing
 * (conversation_already_has_active_response, response_cancel_not_active):
 * it is posted as a voicelive/server-event, not as a warning. */
gboolean gst_voice_live_error_is_benign (const gchar * code);

/* TRUE for an error event that is posted as a warning. */
gboolean gst_voice_live_event_is_warning (const GstVoiceLiveEvent * ev);

/* The warning for such an error: the voicelive/error details structure,
 * with the message text in @text and the debug text in @debug (both
 * owned by the caller). */
GstStructure *gst_voice_live_event_to_warning (const GstVoiceLiveEvent * ev,
    const gchar * json, const gchar * session_name, gchar ** text,
    gchar ** debug);

G_END_DECLS
#endif /* __GST_VOICE_LIVE_EVENTS_H__ */
