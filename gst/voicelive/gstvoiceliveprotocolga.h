/* gst-voicelive
 * The OpenAI Realtime GA dialect (api.openai.com, Azure OpenAI
 * /openai/v1/realtime) beside Voice Live's beta-style one: which dialect a
 * connection speaks, the GA session.update, the GA-only server events.
 * Pure JSON, no GStreamer state: any thread, unit-tested on its own.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_PROTOCOL_GA_H__
#define __GST_VOICE_LIVE_PROTOCOL_GA_H__

#include "gstvoiceliveprotocol.h"

G_BEGIN_DECLS
/**
 * GstVoiceLiveProtocol:
 * @GST_VOICE_LIVE_PROTOCOL_AUTO: `openai` for api.openai.com and for a path ending in /v1/realtime (OpenAI, Azure OpenAI GA), `voice-live` otherwise
 * @GST_VOICE_LIVE_PROTOCOL_VOICE_LIVE: Voice Live (and the retired OpenAI beta) session shape
 * @GST_VOICE_LIVE_PROTOCOL_OPENAI: OpenAI Realtime GA session shape
 *
 * Since: 0.2
 */
    typedef enum
{
  GST_VOICE_LIVE_PROTOCOL_AUTO = 0,
  GST_VOICE_LIVE_PROTOCOL_VOICE_LIVE,
  GST_VOICE_LIVE_PROTOCOL_OPENAI,
} GstVoiceLiveProtocol;

#define GST_TYPE_VOICE_LIVE_PROTOCOL (gst_voice_live_protocol_get_type ())
GType gst_voice_live_protocol_get_type (void);

/**
 * GstVoiceLiveEagerness:
 * @GST_VOICE_LIVE_EAGERNESS_AUTO: `auto` (the service default, medium; not sent)
 * @GST_VOICE_LIVE_EAGERNESS_LOW: `low` (waits up to 8 s)
 * @GST_VOICE_LIVE_EAGERNESS_MEDIUM: `medium` (up to 4 s)
 * @GST_VOICE_LIVE_EAGERNESS_HIGH: `high` (up to 2 s)
 *
 * Since: 0.2
 */
typedef enum
{
  GST_VOICE_LIVE_EAGERNESS_AUTO = 0,
  GST_VOICE_LIVE_EAGERNESS_LOW,
  GST_VOICE_LIVE_EAGERNESS_MEDIUM,
  GST_VOICE_LIVE_EAGERNESS_HIGH,
} GstVoiceLiveEagerness;

#define GST_TYPE_VOICE_LIVE_EAGERNESS (gst_voice_live_eagerness_get_type ())
GType gst_voice_live_eagerness_get_type (void);
const gchar *gst_voice_live_eagerness_to_wire (GstVoiceLiveEagerness e);

/* The dialect a connection speaks (resolved from GstVoiceLiveProtocol). */
typedef enum
{
  GST_VOICE_LIVE_DIALECT_VOICE_LIVE = 0,
  GST_VOICE_LIVE_DIALECT_OPENAI,
} GstVoiceLiveDialect;

/* Bits of the dialects a property applies to (property table data). */
#define GST_VOICE_LIVE_DIALECT_MASK(d) (1u << (d))
#define GST_VOICE_LIVE_DIALECTS_ALL \
  (GST_VOICE_LIVE_DIALECT_MASK (GST_VOICE_LIVE_DIALECT_VOICE_LIVE) | \
   GST_VOICE_LIVE_DIALECT_MASK (GST_VOICE_LIVE_DIALECT_OPENAI))

/* "voice-live" or "openai" (the protocol property's nicks) */
const gchar *gst_voice_live_dialect_name (GstVoiceLiveDialect d);

/* The dialect of @url (as built by gst_voice_live_build_url()) under the
 * protocol property @p. */
GstVoiceLiveDialect gst_voice_live_dialect_resolve (GstVoiceLiveProtocol p,
    const gchar * url);

/* The GA dialect's checks of values that the property table cannot
 * express (a property that applies, with a value that has no GA form).
 * Returns FALSE with a message naming the property and the dialect. */
gboolean gst_voice_live_ga_config_validate (const GstVoiceLiveConfig * cfg,
    GError ** error);

/* Whether @f exists in GA: 24 kHz PCM, G.711 mu-law and A-law. */
gboolean gst_voice_live_ga_format_supported (GstVoiceLiveAudioFormat f);

/* GA session.update: like gst_voice_live_build_session_update_full(), in
 * the GA shape (session.type, output_modalities, audio.input/output). A
 * field in @fields sends the whole object it lives in (turn_detection,
 * transcription, format), from every set field: GA replaces nested objects. */
gchar *gst_voice_live_ga_build_session_update (const GstVoiceLiveConfig * cfg,
    guint fields, const gchar * event_id, gint in_format, gint out_format,
    JsonObject * extra);

/* The builders the session calls, by dialect */
gchar *gst_voice_live_dialect_session_update (GstVoiceLiveDialect d,
    const GstVoiceLiveConfig * cfg, guint fields, const gchar * event_id,
    gint in_format, gint out_format, JsonObject * extra);
gchar *gst_voice_live_dialect_barrier (GstVoiceLiveDialect d,
    const gchar * event_id);
gchar *gst_voice_live_dialect_output_format_update (GstVoiceLiveDialect d,
    GstVoiceLiveAudioFormat f);
/* conversation.item.create of a text message: GA names an assistant's text
 * part output_text, Voice Live (beta) text; a user's is input_text in both. */
gchar *gst_voice_live_dialect_text_item (GstVoiceLiveDialect d,
    gboolean user, const gchar * text);

/* The kind of a GA-only server event type (those the beta table of
 * gst_voice_live_event_parse() does not know), or
 * GST_VOICE_LIVE_EVENT_OTHER. */
GstVoiceLiveEventKind gst_voice_live_ga_event_kind (const gchar * type);

/* The property a GA error param ("session.audio.input.turn_detection.
 * threshold") refers to, or NULL. */
const gchar *gst_voice_live_ga_param_to_property (const gchar * param);

/* An error code after which the service closes and retrying cannot help:
 * the beta session shape sent to a GA-only endpoint. */
gboolean gst_voice_live_error_is_dialect_fatal (const gchar * code);

G_END_DECLS
#endif /* __GST_VOICE_LIVE_PROTOCOL_GA_H__ */
