/* gst-voicelive
 * Pure JSON build/parse of the Voice Live (OpenAI-Realtime-style) protocol.
 * No GStreamer state here, so it can be unit-tested and fuzzed on its own.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_PROTOCOL_H__
#define __GST_VOICE_LIVE_PROTOCOL_H__

#include <glib.h>
#include <json-glib/json-glib.h>
#include "gstvoiceliveenums.h"

G_BEGIN_DECLS
/* Session fields, one bit each: which ones the user set (and so are sent),
 * and which ones a runtime change touches. Fields sent as one JSON object
 * (voice, transcription, end of utterance) share a bit. */
    typedef enum
{
  GST_VOICE_LIVE_FIELD_INSTRUCTIONS = 1 << 0,
  GST_VOICE_LIVE_FIELD_TEMPERATURE = 1 << 1,
  GST_VOICE_LIVE_FIELD_MAX_TOKENS = 1 << 2,
  GST_VOICE_LIVE_FIELD_MODALITIES = 1 << 3,
  GST_VOICE_LIVE_FIELD_TOOLS = 1 << 4,
  GST_VOICE_LIVE_FIELD_TOOL_CHOICE = 1 << 5,
  GST_VOICE_LIVE_FIELD_TRANSCRIPTION = 1 << 6,
  GST_VOICE_LIVE_FIELD_TURN_TYPE = 1 << 7,
  GST_VOICE_LIVE_FIELD_VAD_THRESHOLD = 1 << 8,
  GST_VOICE_LIVE_FIELD_PREFIX_PADDING = 1 << 9,
  GST_VOICE_LIVE_FIELD_SILENCE_DURATION = 1 << 10,
  GST_VOICE_LIVE_FIELD_SPEECH_DURATION = 1 << 11,
  GST_VOICE_LIVE_FIELD_REMOVE_FILLER = 1 << 12,
  GST_VOICE_LIVE_FIELD_CREATE_RESPONSE = 1 << 13,
  GST_VOICE_LIVE_FIELD_INTERRUPT_RESPONSE = 1 << 14,
  GST_VOICE_LIVE_FIELD_AUTO_TRUNCATE = 1 << 15,
  GST_VOICE_LIVE_FIELD_EOU = 1 << 16,
  GST_VOICE_LIVE_FIELD_NOISE_REDUCTION = 1 << 17,
  GST_VOICE_LIVE_FIELD_ECHO_CANCELLATION = 1 << 18,
  GST_VOICE_LIVE_FIELD_VOICE = 1 << 19,
  GST_VOICE_LIVE_FIELD_WORD_TIMESTAMPS = 1 << 20,
  GST_VOICE_LIVE_FIELD_VISEMES = 1 << 21,
  /* turn_detection.idle_timeout_ms and .eagerness, audio.output.speed
   * (gstvoiceliveprotocolga.h) */
  GST_VOICE_LIVE_FIELD_IDLE_TIMEOUT = 1 << 22,
  GST_VOICE_LIVE_FIELD_EAGERNESS = 1 << 23,
  GST_VOICE_LIVE_FIELD_SPEED = 1 << 24,
  /* 2026: turn_detection.languages and .appended_text_after_truncation,
   * session.interim_response (one object), parallel_tool_calls, include */
  GST_VOICE_LIVE_FIELD_TD_LANGUAGES = 1 << 25,
  GST_VOICE_LIVE_FIELD_APPENDED_TEXT = 1 << 26,
  GST_VOICE_LIVE_FIELD_INTERIM = 1 << 27,
  GST_VOICE_LIVE_FIELD_PARALLEL_TOOLS = 1 << 28,
  GST_VOICE_LIVE_FIELD_INCLUDE = 1 << 29,
  /* session.avatar (one object) */
  GST_VOICE_LIVE_FIELD_AVATAR = 1 << 30,
} GstVoiceLiveField;

/* The fields sent inside session.turn_detection. The service takes each
 * nested object whole (a session.update replaces it), so a change of one
 * of them sends all of them (protocol-2026.md §4 quirk 8). */
#define GST_VOICE_LIVE_FIELD_TURN_GROUP (GST_VOICE_LIVE_FIELD_TURN_TYPE | \
    GST_VOICE_LIVE_FIELD_VAD_THRESHOLD | GST_VOICE_LIVE_FIELD_PREFIX_PADDING | \
    GST_VOICE_LIVE_FIELD_SILENCE_DURATION | \
    GST_VOICE_LIVE_FIELD_SPEECH_DURATION | GST_VOICE_LIVE_FIELD_REMOVE_FILLER | \
    GST_VOICE_LIVE_FIELD_CREATE_RESPONSE | \
    GST_VOICE_LIVE_FIELD_INTERRUPT_RESPONSE | \
    GST_VOICE_LIVE_FIELD_AUTO_TRUNCATE | GST_VOICE_LIVE_FIELD_EOU | \
    GST_VOICE_LIVE_FIELD_IDLE_TIMEOUT | GST_VOICE_LIVE_FIELD_EAGERNESS | \
    GST_VOICE_LIVE_FIELD_TD_LANGUAGES | GST_VOICE_LIVE_FIELD_APPENDED_TEXT)

/* @fields widened to whole nested objects: a bit of the turn_detection
 * group brings the whole group (voice, transcription and interim_response
 * are one bit each already). */
guint gst_voice_live_fields_whole_objects (guint fields);

#define GST_VOICE_LIVE_FIELD_ALL 0xffffffffu

/* The agent configuration that goes into session.update. Only fields whose
 * bit is in @set are sent, so the service default applies to the rest. */
typedef struct
{
  guint set;                    /* GstVoiceLiveField bits */
  gchar *instructions;
  gdouble temperature;
  gint max_output_tokens;       /* 0: "inf" */
  guint modalities;             /* GstVoiceLiveModalities */
  gchar *tools;                 /* JSON array text */
  gchar *tool_choice;
  gchar *transcription_model;   /* "" or NULL with the bit set: null (off) */
  gchar *transcription_language;
  gchar *phrase_list;           /* comma-separated */
  GstVoiceLiveTurnDetection turn_detection;
  gdouble vad_threshold;
  gint prefix_padding_ms;
  gint silence_duration_ms;
  gint speech_duration_ms;
  gboolean remove_filler_words;
  gboolean create_response;
  gboolean interrupt_response;
  gboolean auto_truncate;
  GstVoiceLiveEouModel eou_model;
  GstVoiceLiveEouThreshold eou_threshold;
  gint eou_timeout_ms;
  gboolean legacy_eou;          /* 2025-05-01-preview: threshold/timeout (s) */
  GstVoiceLiveNoiseReduction noise_reduction;
  GstVoiceLiveEchoCancellation echo_cancellation;
  gchar *voice;
  GstVoiceLiveVoiceType voice_type;
  gdouble voice_temperature;    /* < 0: not sent */
  gchar *voice_rate;
  gchar *voice_endpoint_id;
  gboolean word_timestamps;
  gboolean visemes;
  gint idle_timeout_ms;         /* GA server_vad only */
  gint eagerness;               /* GstVoiceLiveEagerness, semantic_vad */
  gdouble speed;                /* GA audio.output.speed */
  /* 2026 additions (protocol-2026.md §2) */
  gchar *td_languages;          /* comma-separated */
  gchar *appended_text;         /* appended_text_after_truncation */
  gchar *voice_pitch;
  gchar *voice_volume;
  gchar *voice_style;
  gchar *voice_locale;
  gchar *voice_prefer_locales;  /* comma-separated */
  gchar *voice_lexicon_url;
  gchar *voice_normalization_url;
  gchar *voice_model;           /* azure-personal */
  gchar *custom_speech;         /* "locale=id,locale=id" */
  gchar *transcription_prompt;
  guint include;                /* GstVoiceLiveInclude */
  gboolean parallel_tool_calls;
  gint interim_type;            /* GstVoiceLiveInterimType */
  guint interim_triggers;       /* GstVoiceLiveInterimTriggers */
  gint interim_latency_ms;
  gchar *interim_texts;         /* '|'-separated */
  gchar *interim_instructions;
  gchar *interim_json;          /* the whole object; wins when set */
  /* session.avatar (protocol-2026.md §3): on when avatar_character is set */
  gchar *avatar_character;
  gchar *avatar_style;
  gboolean avatar_photo;        /* photo-avatar (model vasa-1) */
  gboolean avatar_customized;
  gint avatar_width, avatar_height;     /* 0: not sent */
  gint avatar_bitrate;          /* 0: not sent */
  gchar *avatar_crop;           /* "left,top,right,bottom" */
  gchar *avatar_background_color;       /* "#RRGGBBAA" */
  gchar *avatar_background_image;       /* URL */
  gint avatar_output;           /* GstVoiceLiveAvatarOutput */
  gchar *avatar_ice_servers;    /* JSON array */
} GstVoiceLiveConfig;

/* The newest Voice Live api-version the plugin speaks: the default */
#define GST_VOICE_LIVE_LATEST_API_VERSION "2026-07-15"

/* Service defaults, also the property defaults */
#define GST_VOICE_LIVE_DEFAULT_TEMPERATURE 0.8
#define GST_VOICE_LIVE_DEFAULT_VAD_THRESHOLD 0.5
/* 300 before api-version 2026-04-10; from then 400 (server_vad) and 420
 * (azure_semantic_vad*). Only documentation: it is sent only when set. */
#define GST_VOICE_LIVE_DEFAULT_PREFIX_PADDING_MS 300
#define GST_VOICE_LIVE_DEFAULT_SILENCE_DURATION_MS 500
#define GST_VOICE_LIVE_DEFAULT_SPEECH_DURATION_MS 200
#define GST_VOICE_LIVE_DEFAULT_EOU_TIMEOUT_MS 1000
#define GST_VOICE_LIVE_DEFAULT_INTERIM_LATENCY_MS 2000

void gst_voice_live_config_init (GstVoiceLiveConfig * cfg);
void gst_voice_live_config_clear (GstVoiceLiveConfig * cfg);
void gst_voice_live_config_copy (GstVoiceLiveConfig * dest,
    const GstVoiceLiveConfig * src);

/* Checks what GObject ranges cannot: returns FALSE with a message naming
 * the property. */
gboolean gst_voice_live_config_validate (const GstVoiceLiveConfig * cfg,
    GError ** error);

/* The service's advice for an error about @param that the message alone
 * does not give, or NULL. */
const gchar *gst_voice_live_param_hint (const gchar * param);

/* Whether a voice name is one of OpenAI's native voices (sent as
 * {"type":"openai"}); otherwise it is an Azure voice. */
gboolean gst_voice_live_voice_is_openai (const gchar * name);
/* Whether it is an azure-realtime-native voice (ava, andrew, ...) */
gboolean gst_voice_live_voice_is_realtime_native (const gchar * name);
/* The voice type sent for @cfg (voice-type auto resolved) */
GstVoiceLiveVoiceType gst_voice_live_config_voice_type (const
    GstVoiceLiveConfig * cfg);

/* session.update with the set fields among @fields, plus the audio formats
 * (pass in_format/out_format < 0 to leave them out). Returns a new string. */
gchar *gst_voice_live_build_session_update (const GstVoiceLiveConfig * cfg,
    guint fields, const gchar * event_id, gint in_format, gint out_format);
/* The same with @extra (raw session fields, e.g. from update-session)
 * deep-merged into the session object. */
gchar *gst_voice_live_build_session_update_full (const GstVoiceLiveConfig *
    cfg, guint fields, const gchar * event_id, gint in_format,
    gint out_format, JsonObject * extra);

/* The property a service error's `param` (e.g. "session.turn_detection.
 * threshold") refers to, or NULL. */
const gchar *gst_voice_live_param_to_property (const gchar * param);

/* session.update carrying only the output audio format. */
gchar *gst_voice_live_build_output_format_update (GstVoiceLiveAudioFormat f);

/* Standard base64 of @len bytes, padded, no line breaks, into @out (at
 * least (len + 2) / 3 * 4 bytes; not NUL-terminated). Returns the length. */
gsize gst_voice_live_base64_encode (const guint8 * in, gsize len, gchar * out);

/* {"type":"input_audio_buffer.append","audio":"<base64>"} written into @out
 * (cleared first), without building a JSON tree. */
void gst_voice_live_build_append (GString * out, const guint8 * data,
    gsize len);

/* {"type":"<type>"} for commit, clear, response.cancel, ... */
gchar *gst_voice_live_build_simple (const gchar * type, const gchar * event_id);

/* conversation.item.truncate of @item_id's audio at @audio_end_ms */
gchar *gst_voice_live_build_truncate (const gchar * item_id,
    gint content_index, gint64 audio_end_ms);

/* session.update with an empty session: changes nothing, and its answer
 * (session.updated, or an error naming @event_id) comes after every event
 * sent before it. */
gchar *gst_voice_live_build_barrier (const gchar * event_id);

/* response.create, optionally with response.instructions. */
gchar *gst_voice_live_build_response_create (const gchar * event_id,
    const gchar * instructions);

/* response.create with @response (not consumed) as its "response". */
gchar *gst_voice_live_build_response_create_with (const gchar * event_id,
    JsonObject * response);

/* The "response" of say: pre_generated_assistant_message, a Voice Live
 * assistant message of one text part that is spoken as is. */
JsonObject *gst_voice_live_say_response (const gchar * text);

/* conversation.item.create of an mcp_approval_response (no "reason": the
 * Voice Live item has none). */
gchar *gst_voice_live_build_mcp_approval (const gchar * approval_request_id,
    gboolean approve);

/* conversation.item.create of a user text message */
gchar *gst_voice_live_build_user_text (const gchar * text);

/* conversation.item.create of a user (input_text) or assistant (text)
 * message: restoring a conversation after a reconnect */
gchar *gst_voice_live_build_text_item (gboolean user, const gchar * text);

/* conversation.item.create of a function_call_output */
gchar *gst_voice_live_build_function_output (const gchar * call_id,
    const gchar * output);

/* Deep-merge @src into @dest: objects merge, anything else replaces. */
void gst_voice_live_json_merge (JsonObject * dest, JsonObject * src);


/* The kinds of server event the elements act on. Everything else is
 * GST_VOICE_LIVE_EVENT_OTHER and is only forwarded to the bus. */
typedef enum
{
  GST_VOICE_LIVE_EVENT_OTHER = 0,
  GST_VOICE_LIVE_EVENT_ERROR,
  GST_VOICE_LIVE_EVENT_SESSION_CREATED,
  GST_VOICE_LIVE_EVENT_SESSION_UPDATED,
  GST_VOICE_LIVE_EVENT_SPEECH_STARTED,
  GST_VOICE_LIVE_EVENT_SPEECH_STOPPED,
  GST_VOICE_LIVE_EVENT_INPUT_COMMITTED,
  GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DELTA,
  GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DONE,
  GST_VOICE_LIVE_EVENT_RESPONSE_CREATED,
  GST_VOICE_LIVE_EVENT_RESPONSE_DONE,
  GST_VOICE_LIVE_EVENT_AUDIO_DELTA,
  GST_VOICE_LIVE_EVENT_AUDIO_DONE,
  GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DELTA,
  GST_VOICE_LIVE_EVENT_AUDIO_TRANSCRIPT_DONE,
  GST_VOICE_LIVE_EVENT_TEXT_DELTA,
  GST_VOICE_LIVE_EVENT_TEXT_DONE,
  GST_VOICE_LIVE_EVENT_FUNCTION_CALL_DONE,
  GST_VOICE_LIVE_EVENT_INPUT_TIMEOUT,   /* GA input_audio_buffer.timeout_triggered */
  /* Voice Live 2026-07-15 (and GA): server-side tools, service notices */
  GST_VOICE_LIVE_EVENT_MCP_LIST_TOOLS_IN_PROGRESS,
  GST_VOICE_LIVE_EVENT_MCP_LIST_TOOLS_COMPLETED,
  GST_VOICE_LIVE_EVENT_MCP_LIST_TOOLS_FAILED,
  GST_VOICE_LIVE_EVENT_MCP_ARGUMENTS_DELTA,
  GST_VOICE_LIVE_EVENT_MCP_ARGUMENTS_DONE,
  GST_VOICE_LIVE_EVENT_MCP_CALL_IN_PROGRESS,
  GST_VOICE_LIVE_EVENT_MCP_CALL_COMPLETED,
  GST_VOICE_LIVE_EVENT_MCP_CALL_FAILED,
  /* response.output_item.done / conversation.item.created (or GA .added,
   * .done) whose item is an mcp_approval_request */
  GST_VOICE_LIVE_EVENT_MCP_APPROVAL_REQUEST,
  GST_VOICE_LIVE_EVENT_FOUNDRY_ARGUMENTS_DELTA,
  GST_VOICE_LIVE_EVENT_FOUNDRY_ARGUMENTS_DONE,
  GST_VOICE_LIVE_EVENT_FOUNDRY_CALL_IN_PROGRESS,
  GST_VOICE_LIVE_EVENT_FOUNDRY_CALL_COMPLETED,
  GST_VOICE_LIVE_EVENT_FOUNDRY_CALL_FAILED,
  GST_VOICE_LIVE_EVENT_WARNING, /* the service's non-fatal "warning" */
  GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_FAILED,
  GST_VOICE_LIVE_EVENT_RATE_LIMITS,
  GST_VOICE_LIVE_EVENT_INVOCATION_DELTA,        /* hosted agent, opaque */
  /* response.audio_timestamp.delta: text is the word, audio_start_ms its
   * audio_offset_ms and audio_end_ms offset + audio_duration_ms */
  GST_VOICE_LIVE_EVENT_AUDIO_TIMESTAMP,
  GST_VOICE_LIVE_EVENT_N_KINDS, /* not a kind: the count */
} GstVoiceLiveEventKind;

/* A parsed server event. String fields point into @root and live as long as
 * the event (but metadata and detail, owned); a field that is absent, null
 * or of the wrong type is NULL / -1. The error_* fields also carry the
 * warning event's and transcription.failed's details. */
typedef struct
{
  GstVoiceLiveEventKind kind;
  JsonNode *root;               /* owned */
  JsonObject *obj;              /* the event object, owned by root */
  const gchar *type;
  const gchar *event_id;
  const gchar *item_id;
  const gchar *response_id;
  const gchar *call_id;
  const gchar *name;
  const gchar *text;            /* delta, transcript, text or arguments */
  const gchar *session_id;
  const gchar *status;          /* response.done */
  const gchar *reason;          /* response.done status_details.reason */
  const gchar *error_type;
  const gchar *error_code;
  const gchar *error_message;
  const gchar *error_param;
  const gchar *error_event_id;
  const gchar *server_label;    /* MCP items */
  const gchar *agent_response_id;       /* Foundry agent calls */
  gchar *metadata;              /* owned: response.metadata as JSON text */
  gchar *detail;                /* owned: rate_limits array or invocation
                                 * delta object, as JSON text */
  gint64 output_index;
  /* session.created / session.updated: session.expires_at, Unix seconds
   * (Voice Live 2026-07-15); -1: absent or null */
  gint64 expires_at;
  gint64 tokens_remaining;      /* rate_limits.updated */
  gint64 requests_remaining;
  gint64 audio_start_ms;
  gint64 audio_end_ms;
  gint64 input_tokens;
  gint64 output_tokens;
  gint64 total_tokens;
} GstVoiceLiveEvent;

/* Parse one text frame. On failure returns FALSE with @error set and @ev
 * cleared; the caller logs and skips the frame. */
gboolean gst_voice_live_event_parse (GstVoiceLiveEvent * ev,
    JsonParser * parser, const gchar * data, gssize len, GError ** error);
void gst_voice_live_event_clear (GstVoiceLiveEvent * ev);

/* A span of the frame: a JSON string value without its quotes. */
typedef struct
{
  const gchar *str;
  gsize len;
} GstVoiceLiveSpan;

/* Fast path for the hottest event: if @data is an audio delta
 * ({"type":"response.audio.delta"} or the GA spelling) that is a flat
 * object whose string values hold no escapes, fill the spans (missing ids
 * stay empty) and return TRUE without building a JSON tree. FALSE means:
 * use gst_voice_live_event_parse(). */
gboolean gst_voice_live_parse_audio_delta (const gchar * data, gsize len,
    GstVoiceLiveSpan * delta, GstVoiceLiveSpan * item_id,
    GstVoiceLiveSpan * response_id);

/* Strict base64 decode into @out (at least len * 3 / 4 + 3 bytes). Returns
 * FALSE on characters outside the alphabet or bad padding. */
gboolean gst_voice_live_base64_decode (const gchar * b64, gsize len,
    guint8 * out, gsize * out_len);

/* The WebSocket URL for an endpoint property value: an https/wss base URL
 * gets the Voice Live path and query added; a URL with a path is kept, with
 * missing api-version / model added where that path expects them. http and
 * ws are accepted for loopback hosts only. The URL never carries a secret.
 * With @agent_name, agent-name / agent-project-name replace model. OpenAI's
 * own service (api.openai.com, or a /v1/realtime path) sets @openai_beta:
 * it needs the "OpenAI-Beta: realtime=v1" header for this dialect.
 * On error, the message names the `endpoint` property. */
gchar *gst_voice_live_build_url (const gchar * endpoint,
    const gchar * api_version, const gchar * model, const gchar * agent_name,
    const gchar * agent_project_name, gboolean * openai_beta, GError ** error);
/* The same with more agent-mode query parameters: @agent_query is NULL or
 * name, value, name, value, ..., NULL (agent-version, conversation-id,
 * ...; ends at a NULL name), added after agent-project-name when
 * @agent_name is set; NULL or empty values are left out. */
gchar *gst_voice_live_build_url_full (const gchar * endpoint,
    const gchar * api_version, const gchar * model, const gchar * agent_name,
    const gchar * agent_project_name, const gchar * const *agent_query,
    gboolean * openai_beta, GError ** error);
/* TRUE when @url's host is an IP literal in 127.0.0.0/8 or ::1, or exactly
 * "localhost" (the hosts plain ws:// is allowed to). */
gboolean gst_voice_live_url_is_loopback (const gchar * url);

G_END_DECLS
#endif /* __GST_VOICE_LIVE_PROTOCOL_H__ */
