/* gst-voicelive
 * The Voice Live 2026 session fields (protocol-2026.md §2): their JSON,
 * their checks and the api-version each needs. Private to the protocol
 * library (gstvoiceliveprotocol2026.c); pure, any thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_PROTOCOL_2026_H__
#define __GST_VOICE_LIVE_PROTOCOL_2026_H__

#include "gstvoiceliveprotocol.h"

G_BEGIN_DECLS

/* @name: [...] from @list split at @sep (items trimmed, empty ones left
 * out). */
void gst_voice_live_json_member_split (JsonBuilder * b, const gchar * name,
    const gchar * list, const gchar * sep);

/* The optional voice members after name and type (pitch, style, ...). */
void gst_voice_live_add_voice_2026 (JsonBuilder * b,
    const GstVoiceLiveConfig * cfg);
/* The optional input_audio_transcription members (prompt, custom_speech) */
void gst_voice_live_add_transcription_2026 (JsonBuilder * b,
    const GstVoiceLiveConfig * cfg);
/* session.interim_response, parallel_tool_calls and include, those set
 * among @fields */
void gst_voice_live_add_session_2026 (JsonBuilder * b,
    const GstVoiceLiveConfig * cfg, guint fields);

/* The checks of the 2026 fields that GObject ranges cannot make (tools by
 * type, custom speech, interim response, eagerness). */
gboolean gst_voice_live_config_validate_2026 (const GstVoiceLiveConfig * cfg,
    GError ** error);

/* api-version as a sortable number: "YYYY-MM-DD-preview" just before
 * "YYYY-MM-DD"; 0 when it is not of that form. */
guint gst_voice_live_api_version_order (const gchar * api_version);

/* Whether every field set in @cfg exists in api-version @order (from
 * gst_voice_live_api_version_order()); FALSE with an error naming the
 * property and the api-version it needs. @order 0 (a custom version
 * string) refuses nothing: only the service can tell. */
gboolean gst_voice_live_config_check_api_version (const GstVoiceLiveConfig *
    cfg, guint order, GError ** error);

G_END_DECLS
#endif /* __GST_VOICE_LIVE_PROTOCOL_2026_H__ */
