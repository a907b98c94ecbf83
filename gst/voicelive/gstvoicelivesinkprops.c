/* gst-voicelive
 * voicelivesink's property table: one row per property gives its ParamSpec,
 * where its value lives and the session field it sets. Runs on whatever
 * thread gets or sets a property; the sink holds its object lock.
 *
 * Adding a session property: a member in GstVoiceLiveConfig (and its
 * entry in string_members in gstvoiceliveprotocol.c if it is a string),
 * its JSON in gst_voice_live_build_session_update() keyed by its field
 * bit, one row here. The code that reads the rows (init, get, set, copy,
 * checks) is in gstvoicelivesinksettings.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstvoicelivesinkprops.h"

#define DEFAULT_SESSION_NAME GST_VOICE_LIVE_SINK_DEFAULT_SESSION_NAME
#define DEFAULT_API_VERSION GST_VOICE_LIVE_SINK_DEFAULT_API_VERSION
#define DEFAULT_MODEL GST_VOICE_LIVE_SINK_DEFAULT_MODEL
#define DEFAULT_CHUNK_MS 20
#define DEFAULT_CONNECT_TIMEOUT 30
#define DEFAULT_KEEPALIVE_INTERVAL 20
#define DEFAULT_SSL_STRICT TRUE
#define DEFAULT_DRAIN_TIMEOUT 30000
#define DEFAULT_CLOSE_TIMEOUT 1000
#define DEFAULT_MAX_RECONNECT_ATTEMPTS 5
#define DEFAULT_RESTORE_CONVERSATION FALSE
#define DEFAULT_RENEW_MARGIN_MS 60000
#define DEFAULT_MAX_SESSION_DURATION 0

#define READY_PARAM (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY | GST_PARAM_DOC_SHOW_DEFAULT)
#define SECRET_PARAM (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY)
#define LIVE_PARAM (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_PLAYING | GST_PARAM_DOC_SHOW_DEFAULT)

/* The columns of a row, as designated initializers */
#define PROP(n, k, b) .name = n, .nick = k, .blurb = b
#define STRING(d) .type = G_TYPE_STRING, .def_str = d
#define BOOLEAN(d) .type = G_TYPE_BOOLEAN, .def = d
#define INT(lo, hi, d) .type = G_TYPE_INT, .min = lo, .max = hi, .def = d
#define UINT(lo, hi, d) .type = G_TYPE_UINT, .min = lo, .max = hi, .def = d
#define DOUBLE(lo, hi, d) .type = G_TYPE_DOUBLE, .min = lo, .max = hi, .def = d
#define ENUM(t, d) .type = G_TYPE_ENUM, .value_type = t, .def = d
#define FLAGS(t, d) .type = G_TYPE_FLAGS, .value_type = t, .def = d
#define BOXED(t) .type = G_TYPE_BOXED, .value_type = t
/* NULL/READY only: read when connecting */
#define READY .flags = READY_PARAM
#define SECRET .flags = SECRET_PARAM, .special = GST_VOICE_LIVE_PROP_SECRET
/* Any state: sent in a session.update while streaming */
#define LIVE .flags = LIVE_PARAM
#define READ_ONLY .flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS
#define SETTING(m) .offset = G_STRUCT_OFFSET (GstVoiceLiveSinkSettings, m)
#define FIELD(bit, m, w) .field = GST_VOICE_LIVE_FIELD_##bit, \
    .offset = G_STRUCT_OFFSET (GstVoiceLiveConfig, m), .wire = w
#define ELEMENT .offset = -1
#define SPECIAL(s) .special = GST_VOICE_LIVE_PROP_##s
/* Applies to one dialect only */
#define VOICE_LIVE_ONLY .dialects = \
    GST_VOICE_LIVE_DIALECT_MASK (GST_VOICE_LIVE_DIALECT_VOICE_LIVE)
#define OPENAI_ONLY .dialects = \
    GST_VOICE_LIVE_DIALECT_MASK (GST_VOICE_LIVE_DIALECT_OPENAI)

/* In the order of the property ids, which is the order gst-inspect shows. */
const GstVoiceLiveSinkProp gst_voice_live_sink_props[] = {
  /**
   * GstVoiceLiveSink:session-name:
   *
   * Pairs this sink with the #voicelivesrc of the same name: they share one
   * WebSocket session. Different names are independent agents.
   *
   * Since: 0.1
   */
  {PROP ("session-name", "Session name",
            "Name shared with the voicelivesrc that plays this session's "
            "answers; different names are independent sessions"),
        STRING (DEFAULT_SESSION_NAME), READY, SETTING (session_name),
      SPECIAL (SESSION_NAME)},
  /**
   * GstVoiceLiveSink:endpoint:
   *
   * Since: 0.1
   */
  {PROP ("endpoint", "Endpoint",
            "Resource URL (https://<resource>.services.ai.azure.com: the "
            "/voice-live/realtime path is added) or a full wss:// URL "
            "whose path is kept (Azure OpenAI "
            ".../openai/realtime?deployment=..., OpenAI "
            "wss://api.openai.com/v1/realtime?model=...); ws:// only to "
            "loopback. Unset: $AZURE_VOICE_LIVE_ENDPOINT"),
      STRING (NULL), READY, SETTING (endpoint)},
  /**
   * GstVoiceLiveSink:api-key:
   *
   * Write-only; sent in the `api-key` header, never in the URL or logs.
   *
   * Since: 0.1
   */
  {PROP ("api-key", "API key",
            "Resource key, sent in the api-key header (OpenAI: as a bearer "
            "token); write-only, never logged. Unset: "
            "$AZURE_VOICE_LIVE_API_KEY"),
      STRING (NULL), SECRET, SETTING (api_key)},
  /**
   * GstVoiceLiveSink:access-token:
   *
   * Since: 0.1
   */
  {PROP ("access-token", "Access token",
            "Microsoft Entra ID bearer token, sent as Authorization: "
            "Bearer (write-only, never logged)"),
      STRING (NULL), SECRET, SETTING (access_token)},
  /**
   * GstVoiceLiveSink:api-version:
   *
   * Since: 0.1
   */
  {PROP ("api-version", "API version",
            "api-version query parameter (older ones work: "
            "2025-05-01-preview sends end-of-utterance as threshold/timeout "
            "in seconds; a property the version lacks is refused, naming "
            "the version it needs). Left at the default: "
            "$AZURE_VOICE_LIVE_API_VERSION if set"),
      STRING (DEFAULT_API_VERSION), READY, SETTING (api_version)},
  /**
   * GstVoiceLiveSink:model:
   *
   * Since: 0.1
   */
  {PROP ("model", "Model",
            "model query parameter (gpt-4o, gpt-realtime, ...). Left at "
            "the default: $VOICE_LIVE_MODEL if set"),
      STRING (DEFAULT_MODEL), READY, SETTING (model)},
  /**
   * GstVoiceLiveSink:agent-name:
   *
   * Since: 0.1
   */
  {PROP ("agent-name", "Agent name",
            "Foundry agent mode: agent-name query parameter, sent instead "
            "of model"),
      STRING (NULL), READY, SETTING (agent_name)},
  /**
   * GstVoiceLiveSink:agent-project-name:
   *
   * Since: 0.1
   */
  {PROP ("agent-project-name", "Agent project name",
            "Foundry agent mode: agent-project-name query parameter"),
      STRING (NULL), READY, SETTING (agent_project_name)},
  /**
   * GstVoiceLiveSink:agent-version:
   *
   * Since: 0.2
   */
  {PROP ("agent-version", "Agent version",
            "Foundry agent mode: agent-version query parameter (with "
            "agent-name; unset: the latest version)"),
      STRING (NULL), READY, SETTING (agent_version)},
  /**
   * GstVoiceLiveSink:conversation-id:
   *
   * Resumes a Foundry agent conversation: its id goes into the URL.
   *
   * Since: 0.2
   */
  {PROP ("conversation-id", "Conversation id",
            "Foundry agent mode: conversation-id query parameter, resumes "
            "that agent conversation (with agent-name)"),
      STRING (NULL), READY, SETTING (conversation_id)},
  /**
   * GstVoiceLiveSink:foundry-resource-override:
   *
   * Since: 0.2
   */
  {PROP ("foundry-resource-override", "Foundry resource override",
            "Foundry agent mode: foundry-resource-override query "
            "parameter, the Foundry resource that hosts the agent when it "
            "is not the endpoint's (with agent-name)"),
      STRING (NULL), READY, SETTING (foundry_resource_override)},
  /**
   * GstVoiceLiveSink:agent-authentication-identity-client-id:
   *
   * Since: 0.2
   */
  {PROP ("agent-authentication-identity-client-id",
            "Agent authentication identity client id",
            "Foundry agent mode: agent-authentication-identity-client-id "
            "query parameter, the client id of the user-assigned managed "
            "identity that calls the agent (with agent-name)"),
      STRING (NULL), READY, SETTING (agent_client_id)},
  /**
   * GstVoiceLiveSink:protocol:
   *
   * The session shape and event names spoken. OpenAI retired the beta
   * shape (it answers beta_api_shape_disabled and closes), and Azure
   * OpenAI's GA path wants the GA shape; Voice Live keeps the beta-style
   * one. Properties that exist in one dialect only are refused in the
   * other.
   *
   * Since: 0.2
   */
  {PROP ("protocol", "Protocol",
            "Dialect: auto (openai for api.openai.com and paths ending in "
            "/v1/realtime, voice-live otherwise), voice-live, or openai "
            "(OpenAI Realtime GA: no OpenAI-Beta header, GA session)"),
        ENUM (gst_voice_live_protocol_get_type, GST_VOICE_LIVE_PROTOCOL_AUTO),
      READY, SETTING (protocol)},
  /**
   * GstVoiceLiveSink:ssl-strict:
   *
   * Since: 0.1
   */
  {PROP ("ssl-strict", "SSL strict",
            "Refuse TLS certificates that do not verify"),
      BOOLEAN (DEFAULT_SSL_STRICT), READY, SETTING (ssl_strict)},
  /**
   * GstVoiceLiveSink:ssl-ca-file:
   *
   * Since: 0.1
   */
  {PROP ("ssl-ca-file", "SSL CA file",
            "PEM file of CA certificates to verify the server with, "
            "instead of the system's"),
      STRING (NULL), READY, SETTING (ssl_ca_file)},
  /**
   * GstVoiceLiveSink:connect-timeout:
   *
   * Since: 0.1
   */
  {PROP ("connect-timeout", "Connect timeout",
            "Seconds to wait for the WebSocket upgrade (0 = no limit)"),
        UINT (0, 3600, DEFAULT_CONNECT_TIMEOUT), READY,
      SETTING (connect_timeout)},
  /**
   * GstVoiceLiveSink:keepalive-interval:
   *
   * Since: 0.1
   */
  {PROP ("keepalive-interval", "Keepalive interval",
            "Seconds between WebSocket pings (0 = none)"),
        UINT (0, 3600, DEFAULT_KEEPALIVE_INTERVAL), READY,
      SETTING (keepalive_interval)},
  /**
   * GstVoiceLiveSink:chunk-ms:
   *
   * Since: 0.1
   */
  {PROP ("chunk-ms", "Chunk duration",
            "Audio per input_audio_buffer.append message (ms)"),
      UINT (10, 1000, DEFAULT_CHUNK_MS), READY, SETTING (chunk_ms)},
  /**
   * GstVoiceLiveSink:drain-timeout:
   *
   * Since: 0.1
   */
  {PROP ("drain-timeout", "Drain timeout",
            "At end of stream, how long to wait for the last answer (ms) "
            "before ending anyway"),
        UINT (0, G_MAXINT, DEFAULT_DRAIN_TIMEOUT), READY,
      SETTING (drain_timeout)},
  /**
   * GstVoiceLiveSink:close-timeout:
   *
   * Going to NULL (or being disposed) closes the WebSocket with a close
   * frame (code 1000) and waits for the service's close reply for at most
   * this long, so that a process exiting right after still says goodbye.
   * A service that does not answer in time is dropped. Sessions that stop
   * together share one wait. The last voicelive/connection message has
   * the close code and reason.
   *
   * Since: 0.2
   */
  {PROP ("close-timeout", "Close timeout",
            "On going to NULL, wait at most this long for the service to "
            "answer the WebSocket close (ms; sessions stopping together share "
            "one wait; 0 = do not wait)"),
        UINT (0, 60000, DEFAULT_CLOSE_TIMEOUT), READY,
      SETTING (close_timeout)},
  /**
   * GstVoiceLiveSink:max-reconnect-attempts:
   *
   * When a working connection breaks (closed, network error, no answer to
   * keepalive pings), reconnect with exponential back-off and jitter, at
   * most this many times in a row; then post an error. Rejected
   * credentials are an error at once.
   *
   * Since: 0.1
   */
  {PROP ("max-reconnect-attempts", "Max reconnect attempts",
            "Reconnect attempts in a row after a working connection "
            "breaks, with exponential back-off (0 = error at once)"),
        UINT (0, 1000, DEFAULT_MAX_RECONNECT_ATTEMPTS), READY,
      SETTING (max_reconnect_attempts)},
  /**
   * GstVoiceLiveSink:restore-conversation:
   *
   * Since: 0.1
   */
  {PROP ("restore-conversation", "Restore conversation",
            "After a reconnect, replay the conversation so far (the user's "
            "transcripts and the agent's answers) as text items"),
        BOOLEAN (DEFAULT_RESTORE_CONVERSATION), READY,
      SETTING (restore_conversation)},
  /**
   * GstVoiceLiveSink:renew-margin-ms:
   *
   * The service ends a session at its expires_at (Voice Live reports it
   * in session.created and session.updated). This long before it (or
   * before max-session-duration), a second connection is opened and
   * configured, and the call switches to it between turns, with the
   * conversation restored; voicelive/connection says state "renewed". A
   * margin longer than half the session's life renews at half of it.
   *
   * Since: 0.2
   */
  {PROP ("renew-margin-ms", "Renew margin",
            "Renew the session this long (ms) before its expires_at (or "
            "max-session-duration): a second connection, switched to "
            "between turns with the conversation restored"),
        UINT (0, 3600000, DEFAULT_RENEW_MARGIN_MS), READY,
      SETTING (renew_margin_ms)},
  /**
   * GstVoiceLiveSink:max-session-duration:
   *
   * For services that close sessions after a fixed time without saying
   * when (no expires_at), or to renew sooner than they ask: renew the
   * session renew-margin-ms before this many seconds after it connected,
   * or before the service's expires_at if that comes first.
   *
   * Since: 0.2
   */
  {PROP ("max-session-duration", "Max session duration",
            "Seconds a service session may last (renewed renew-margin-ms "
            "before; the service's expires_at if earlier; 0 = off)"),
        UINT (0, 7 * 24 * 3600, DEFAULT_MAX_SESSION_DURATION), READY,
      SETTING (max_session_duration)},
  /**
   * GstVoiceLiveSink:instructions:
   *
   * Since: 0.1
   */
  {PROP ("instructions", "Instructions",
            "session.instructions: the system prompt. Unset: not sent "
            "(service default)"),
        STRING (NULL), LIVE, FIELD (INSTRUCTIONS, instructions,
          "session.instructions")},
  /**
   * GstVoiceLiveSink:temperature:
   *
   * Since: 0.1
   */
  {PROP ("temperature", "Temperature",
            "session.temperature, sampling temperature of the model "
            "(service range 0.6-1.2, default 0.8); sent only when set"),
        DOUBLE (0.6, 1.2, GST_VOICE_LIVE_DEFAULT_TEMPERATURE), LIVE,
        FIELD (TEMPERATURE, temperature,
          "session.temperature"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:max-response-output-tokens:
   *
   * Since: 0.1
   */
  {PROP ("max-response-output-tokens", "Max response output tokens",
            "session.max_response_output_tokens, tokens per response "
            "(1-4096; 0 = \"inf\", the service default); sent only when set"),
        INT (0, 4096, 0), LIVE, FIELD (MAX_TOKENS, max_output_tokens,
          "session.max_response_output_tokens")},
  /**
   * GstVoiceLiveSink:modalities:
   *
   * Since: 0.1
   */
  {PROP ("modalities", "Modalities",
            "session.modalities: text, or text+audio (service default); "
            "audio alone is refused; sent only when set"),
        FLAGS (gst_voice_live_modalities_get_type,
            GST_VOICE_LIVE_MODALITIES_TEXT | GST_VOICE_LIVE_MODALITIES_AUDIO),
        LIVE, FIELD (MODALITIES, modalities,
          "session.modalities")},
  /**
   * GstVoiceLiveSink:tools:
   *
   * Since: 0.1
   */
  {PROP ("tools", "Tools",
            "session.tools: a JSON array of tool objects, each with "
            "\"type\" and what its type needs: function \"name\" (and "
            "\"description\", \"parameters\"), mcp \"server_label\" and "
            "\"server_url\" (api-version 2026-04-10 or later), "
            "foundry_agent \"agent_name\" and \"project_name\". Unset: "
            "not sent"),
        STRING (NULL), LIVE, FIELD (TOOLS, tools,
            "session.tools"),
      SPECIAL (CHECK_LIVE)},
  /**
   * GstVoiceLiveSink:tool-choice:
   *
   * Since: 0.1
   */
  {PROP ("tool-choice", "Tool choice",
            "session.tool_choice: auto, none, required, or a function name "
            "(sent as {type: function, name}). Unset: not sent (service "
            "default auto)"),
        STRING (NULL), LIVE, FIELD (TOOL_CHOICE, tool_choice,
          "session.tool_choice")},
  /**
   * GstVoiceLiveSink:parallel-tool-calls:
   *
   * Since: 0.2
   */
  {PROP ("parallel-tool-calls", "Parallel tool calls",
            "session.parallel_tool_calls: whether the model may call "
            "several tools at once (service default true; api-version "
            "2026-06-01-preview or later); sent only when set"),
        BOOLEAN (TRUE), LIVE, FIELD (PARALLEL_TOOLS, parallel_tool_calls,
          "session.parallel_tool_calls"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:transcription-model:
   *
   * Since: 0.1
   */
  {PROP ("transcription-model", "Transcription model",
            "session.input_audio_transcription.model: azure-speech, "
            "mai-transcribe, whisper-1, gpt-4o-transcribe, ... (empty "
            "string: null, off). Unset: not sent (off)"),
        STRING (NULL), LIVE, FIELD (TRANSCRIPTION, transcription_model,
          "session.input_audio_transcription.model")},
  /**
   * GstVoiceLiveSink:transcription-language:
   *
   * Since: 0.1
   */
  {PROP ("transcription-language", "Transcription language",
            "session.input_audio_transcription.language: BCP-47 (en-US), "
            "ISO-639-1 (en) or a comma list for auto-detection (en,zh); "
            "with transcription-model"),
        STRING (NULL), LIVE, FIELD (TRANSCRIPTION, transcription_language,
          "session.input_audio_transcription.language")},
  /**
   * GstVoiceLiveSink:phrase-list:
   *
   * Since: 0.1
   */
  {PROP ("phrase-list", "Phrase list",
            "session.input_audio_transcription.phrase_list: "
            "comma-separated phrases that help recognition (azure-speech); "
            "with transcription-model"),
        STRING (NULL), LIVE, FIELD (TRANSCRIPTION, phrase_list,
          "session.input_audio_transcription.phrase_list"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:transcription-prompt:
   *
   * Since: 0.2
   */
  {PROP ("transcription-prompt", "Transcription prompt",
            "session.input_audio_transcription.prompt: text that guides "
            "recognition (whisper-1, gpt-4o-transcribe, "
            "gpt-4o-mini-transcribe); with transcription-model"),
        STRING (NULL), LIVE, FIELD (TRANSCRIPTION, transcription_prompt,
          "session.input_audio_transcription.prompt"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:transcription-custom-speech:
   *
   * Custom Speech models per locale, as `locale=model-id` pairs separated by commas: `zh-CN=<guid>,en-US=<guid>`.
   *
   * Since: 0.2
   */
  {PROP ("transcription-custom-speech", "Transcription custom speech",
            "session.input_audio_transcription.custom_speech: Custom "
            "Speech model ids per locale, \"zh-CN=<id>,en-US=<id>\" "
            "(azure-speech); with transcription-model"),
        STRING (NULL), LIVE, FIELD (TRANSCRIPTION, custom_speech,
            "session.input_audio_transcription.custom_speech"),
      SPECIAL (CHECK_LIVE), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:include:
   *
   * Since: 0.2
   */
  {PROP ("include", "Include",
            "session.include: extra fields of input transcripts, "
            "logprobs (item.input_audio_transcription.logprobs) and/or "
            "phrases (item.input_audio_transcription.phrases); sent only "
            "when set"),
        FLAGS (gst_voice_live_include_get_type, 0), LIVE, FIELD (INCLUDE,
            include,
          "session.include"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:turn-detection:
   *
   * Since: 0.1
   */
  {PROP ("turn-detection", "Turn detection",
            "session.turn_detection.type; none sends null (manual turns: "
            "the end of input is committed and answered); default: not "
            "sent (the service uses server VAD)"),
        ENUM (gst_voice_live_turn_detection_get_type,
            GST_VOICE_LIVE_TURN_DETECTION_DEFAULT), LIVE, FIELD (TURN_TYPE,
            turn_detection,
            "session.turn_detection.type"),
      SPECIAL (DEFAULT_UNSETS)},
  /**
   * GstVoiceLiveSink:vad-threshold:
   *
   * Since: 0.1
   */
  {PROP ("vad-threshold", "VAD threshold",
            "session.turn_detection.threshold, speech probability above "
            "which audio counts as speech (0.0-1.0, service default 0.5); "
            "sent only when set"),
        DOUBLE (0.0, 1.0, GST_VOICE_LIVE_DEFAULT_VAD_THRESHOLD), LIVE,
        FIELD (VAD_THRESHOLD, vad_threshold,
          "session.turn_detection.threshold")},
  /**
   * GstVoiceLiveSink:prefix-padding-ms:
   *
   * Since: 0.1
   */
  {PROP ("prefix-padding-ms", "Prefix padding",
            "session.turn_detection.prefix_padding_ms, audio kept before "
            "detected speech (ms; service default 300, from api-version "
            "2026-04-10 400 for server VAD and 420 for Azure semantic VAD); "
            "sent only when set"),
        INT (0, 5000, GST_VOICE_LIVE_DEFAULT_PREFIX_PADDING_MS), LIVE,
        FIELD (PREFIX_PADDING, prefix_padding_ms,
          "session.turn_detection.prefix_padding_ms")},
  /**
   * GstVoiceLiveSink:silence-duration-ms:
   *
   * Since: 0.1
   */
  {PROP ("silence-duration-ms", "Silence duration",
            "session.turn_detection.silence_duration_ms, silence that ends "
            "a turn (ms, service default 500); sent only when set"),
        INT (0, 10000, GST_VOICE_LIVE_DEFAULT_SILENCE_DURATION_MS), LIVE,
        FIELD (SILENCE_DURATION, silence_duration_ms,
          "session.turn_detection.silence_duration_ms")},
  /**
   * GstVoiceLiveSink:speech-duration-ms:
   *
   * Since: 0.1
   */
  {PROP ("speech-duration-ms", "Speech duration",
            "session.turn_detection.speech_duration_ms, speech needed "
            "before a turn starts (ms, service default 200 for server VAD, "
            "80 for Azure semantic VAD); sent only when set"),
        INT (0, 10000, GST_VOICE_LIVE_DEFAULT_SPEECH_DURATION_MS), LIVE,
        FIELD (SPEECH_DURATION, speech_duration_ms,
          "session.turn_detection.speech_duration_ms"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:remove-filler-words:
   *
   * Since: 0.1
   */
  {PROP ("remove-filler-words", "Remove filler words",
            "session.turn_detection.remove_filler_words: ignore \"umm\", "
            "\"ah\"... (Azure semantic VAD; service default false); sent "
            "only when set"),
        BOOLEAN (FALSE), LIVE, FIELD (REMOVE_FILLER, remove_filler_words,
          "session.turn_detection.remove_filler_words"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:turn-detection-languages:
   *
   * Since: 0.2
   */
  {PROP ("turn-detection-languages", "Turn detection languages",
            "session.turn_detection.languages: comma-separated languages "
            "the turn detection listens for (en,de; "
            "azure-semantic-vad-multilingual); sent only when set"),
        STRING (NULL), LIVE, FIELD (TD_LANGUAGES, td_languages,
          "session.turn_detection.languages"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:create-response:
   *
   * Since: 0.1
   */
  {PROP ("create-response", "Create response",
            "session.turn_detection.create_response: answer each detected "
            "turn (service default true); sent only when set"),
        BOOLEAN (TRUE), LIVE, FIELD (CREATE_RESPONSE, create_response,
          "session.turn_detection.create_response")},
  /**
   * GstVoiceLiveSink:interrupt-response:
   *
   * Since: 0.1
   */
  {PROP ("interrupt-response", "Interrupt response",
            "session.turn_detection.interrupt_response: speech cancels the "
            "response in progress (service default true); sent only when "
            "set"),
        BOOLEAN (TRUE), LIVE, FIELD (INTERRUPT_RESPONSE, interrupt_response,
          "session.turn_detection.interrupt_response")},
  /**
   * GstVoiceLiveSink:auto-truncate:
   *
   * Since: 0.1
   */
  {PROP ("auto-truncate", "Auto truncate",
            "session.turn_detection.auto_truncate: the service truncates "
            "interrupted answers itself, so voicelivesrc sends no truncate "
            "(service default false); sent only when set"),
        BOOLEAN (FALSE), LIVE, FIELD (AUTO_TRUNCATE, auto_truncate,
          "session.turn_detection.auto_truncate"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:appended-text-after-truncation:
   *
   * Since: 0.2
   */
  {PROP ("appended-text-after-truncation", "Appended text after truncation",
            "session.turn_detection.appended_text_after_truncation: text "
            "added to an answer cut by auto-truncate, in the model's "
            "context (e.g. \" [The user interrupted me.]\"); sent only "
            "when set"),
        STRING (NULL), LIVE, FIELD (APPENDED_TEXT, appended_text,
            "session.turn_detection.appended_text_after_truncation"),
      VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:idle-timeout-ms:
   *
   * Since: 0.2
   */
  {PROP ("idle-timeout-ms", "Idle timeout",
            "audio.input.turn_detection.idle_timeout_ms (server_vad): after "
            "this long without speech once the answer has played, the "
            "service sends input_audio_buffer.timeout_triggered "
            "(voicelive/input-timeout) and answers. Unset: not sent"),
        INT (0, 600000, 0), LIVE, FIELD (IDLE_TIMEOUT, idle_timeout_ms,
            "session.audio.input.turn_detection.idle_timeout_ms"),
      OPENAI_ONLY},
  /**
   * GstVoiceLiveSink:eagerness:
   *
   * Since: 0.2
   */
  {PROP ("eagerness", "Eagerness",
            "turn_detection.eagerness, with turn-detection=semantic-vad "
            "only: how soon the agent takes its turn (low waits up to 8 s, "
            "medium 4 s, high 2 s). auto: not sent (= medium)"),
        ENUM (gst_voice_live_eagerness_get_type,
            GST_VOICE_LIVE_EAGERNESS_AUTO), LIVE, FIELD (EAGERNESS, eagerness,
          "session.turn_detection.eagerness"), SPECIAL (DEFAULT_UNSETS)},
  /**
   * GstVoiceLiveSink:end-of-utterance-model:
   *
   * Since: 0.1
   */
  {PROP ("end-of-utterance-model", "End-of-utterance model",
            "session.turn_detection.end_of_utterance_detection.model "
            "(none: not sent). The semantic-detection-* models are "
            "text-based: on gpt-realtime (speech-native) models the service "
            "refuses the whole session.update; "
            "smart-end-of-turn-detection is audio-based and works there too "
            "(api-version 2026-06-01-preview or later)"),
        ENUM (gst_voice_live_eou_model_get_type, GST_VOICE_LIVE_EOU_MODEL_NONE),
        LIVE, FIELD (EOU, eou_model,
            "session.turn_detection.end_of_utterance_detection.model"),
      VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:end-of-utterance-threshold:
   *
   * Since: 0.1
   */
  {PROP ("end-of-utterance-threshold", "End-of-utterance threshold",
            "end_of_utterance_detection.threshold_level "
            "(2025-05-01-preview: threshold 0.005/0.01/0.1); with "
            "end-of-utterance-model"),
        ENUM (gst_voice_live_eou_threshold_get_type,
            GST_VOICE_LIVE_EOU_THRESHOLD_DEFAULT), LIVE, FIELD (EOU,
            eou_threshold,
            "session.turn_detection.end_of_utterance_detection.threshold_level"),
      VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:end-of-utterance-timeout-ms:
   *
   * Since: 0.1
   */
  {PROP ("end-of-utterance-timeout-ms", "End-of-utterance timeout",
            "end_of_utterance_detection.timeout_ms, longest wait for the "
            "end of an utterance (ms, service default 1000; "
            "2025-05-01-preview: timeout in seconds); with "
            "end-of-utterance-model"),
        INT (0, 60000, GST_VOICE_LIVE_DEFAULT_EOU_TIMEOUT_MS), LIVE, FIELD (EOU,
            eou_timeout_ms,
            "session.turn_detection.end_of_utterance_detection.timeout_ms"),
      VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:noise-reduction:
   *
   * Since: 0.1
   */
  {PROP ("noise-reduction", "Noise reduction",
            "session.input_audio_noise_reduction.type (none: null); sent "
            "only when set"),
        ENUM (gst_voice_live_noise_reduction_get_type,
            GST_VOICE_LIVE_NOISE_REDUCTION_NONE), LIVE, FIELD (NOISE_REDUCTION,
            noise_reduction,
          "session.input_audio_noise_reduction")},
  /**
   * GstVoiceLiveSink:echo-cancellation:
   *
   * client-reference (Since: 0.2, api-version 2026-06-01-preview or later,
   * pcm16 input only, not changeable once connected) sends every append as
   * stereo: channel 0 the input, channel 1 what the speaker played at the
   * same moment, from the paired voicelivesrc (same pipeline: its output
   * the pipeline latency earlier, resampled linearly to the input rate) or
   * from the "reference" request pad when linked. Appends wait for the
   * service's session.updated.
   *
   * Since: 0.1
   */
  {PROP ("echo-cancellation", "Echo cancellation",
            "session.input_audio_echo_cancellation.type (none: null); sent "
            "only when set. client-reference: reference_source client, "
            "channels 2; the input goes out as stereo [input, what "
            "voicelivesrc (or the reference pad) played]"),
        ENUM (gst_voice_live_echo_cancellation_get_type,
            GST_VOICE_LIVE_ECHO_CANCELLATION_NONE), LIVE,
        FIELD (ECHO_CANCELLATION, echo_cancellation,
          "session.input_audio_echo_cancellation"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:voice:
   *
   * Since: 0.1
   */
  {PROP ("voice", "Voice",
            "session.voice.name: an OpenAI voice (alloy, ash, ballad, "
            "coral, echo, sage, shimmer, verse, marin, cedar) or an Azure "
            "voice (en-US-AvaNeural, en-US-Ava:DragonHDLatestNeural). "
            "Unset: not sent"),
        STRING (NULL), LIVE, FIELD (VOICE, voice,
          "session.voice.name")},
  /**
   * GstVoiceLiveSink:voice-type:
   *
   * Since: 0.1
   */
  {PROP ("voice-type", "Voice type",
            "session.voice.type; auto: openai for OpenAI names, "
            "azure-realtime-native for aarti, andrew, ava, denise, diya, "
            "elsa, florian, francisca, meera, ximena, xiaoxiao, yunxi "
            "(model azure-realtime, api-version 2026-01-01-preview or "
            "later), azure-custom with voice-endpoint-id, else "
            "azure-standard"),
        ENUM (gst_voice_live_voice_type_get_type,
            GST_VOICE_LIVE_VOICE_TYPE_AUTO), LIVE, FIELD (VOICE, voice_type,
          "session.voice.type"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:voice-temperature:
   *
   * Since: 0.1
   */
  {PROP ("voice-temperature", "Voice temperature",
            "session.voice.temperature, variation of Azure HD voices "
            "(0.0-1.0); -1: not sent"),
        DOUBLE (-1.0, 1.0, -1.0), LIVE, FIELD (VOICE, voice_temperature,
          "session.voice.temperature"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:voice-rate:
   *
   * Since: 0.1
   */
  {PROP ("voice-rate", "Voice rate",
            "session.voice.rate, speaking rate of Azure voices in SSML "
            "prosody form (\"1.2\", \"+10%\", \"slow\"; service range "
            "0.5-1.5). Unset: not sent"),
        STRING (NULL), LIVE, FIELD (VOICE, voice_rate,
          "session.voice.rate"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:voice-endpoint-id:
   *
   * Since: 0.1
   */
  {PROP ("voice-endpoint-id", "Voice endpoint id",
            "session.voice.endpoint_id of a custom neural voice (makes "
            "voice-type auto send azure-custom)"),
        STRING (NULL), LIVE, FIELD (VOICE, voice_endpoint_id,
          "session.voice.endpoint_id"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:voice-model:
   *
   * Since: 0.2
   */
  {PROP ("voice-model", "Voice model",
            "session.voice.model of an azure-personal voice "
            "(DragonLatestNeural, DragonHDOmniLatestNeural, ...). Unset: "
            "not sent"),
        STRING (NULL), LIVE, FIELD (VOICE, voice_model,
          "session.voice.model"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:voice-locale:
   *
   * Since: 0.2
   */
  {PROP ("voice-locale", "Voice locale",
            "session.voice.locale: one accent for every language "
            "(en-US). Unset: not sent"),
        STRING (NULL), LIVE, FIELD (VOICE, voice_locale,
          "session.voice.locale"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:voice-prefer-locales:
   *
   * Since: 0.2
   */
  {PROP ("voice-prefer-locales", "Voice prefer locales",
            "session.voice.prefer_locales: comma-separated accents, one "
            "per language (en-GB,es-ES). Unset: not sent"),
        STRING (NULL), LIVE, FIELD (VOICE, voice_prefer_locales,
          "session.voice.prefer_locales"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:voice-style:
   *
   * Since: 0.2
   */
  {PROP ("voice-style", "Voice style",
            "session.voice.style: an SSML speaking style of Azure voices "
            "(cheerful, ...). Unset: not sent"),
        STRING (NULL), LIVE, FIELD (VOICE, voice_style,
          "session.voice.style"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:voice-pitch:
   *
   * Since: 0.2
   */
  {PROP ("voice-pitch", "Voice pitch",
            "session.voice.pitch in SSML prosody form (\"+5%\", "
            "\"-2st\", \"x-low\"). Unset: not sent"),
        STRING (NULL), LIVE, FIELD (VOICE, voice_pitch,
          "session.voice.pitch"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:voice-volume:
   *
   * Since: 0.2
   */
  {PROP ("voice-volume", "Voice volume",
            "session.voice.volume in SSML prosody form (\"+10\", "
            "\"-6dB\", \"0\"-\"100\"). Unset: not sent"),
        STRING (NULL), LIVE, FIELD (VOICE, voice_volume,
          "session.voice.volume"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:voice-custom-lexicon-url:
   *
   * Since: 0.2
   */
  {PROP ("voice-custom-lexicon-url", "Voice custom lexicon URL",
            "session.voice.custom_lexicon_url: URL of a pronunciation "
            "lexicon (XML). Unset: not sent"),
        STRING (NULL), LIVE, FIELD (VOICE, voice_lexicon_url,
          "session.voice.custom_lexicon_url"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:voice-custom-text-normalization-url:
   *
   * Since: 0.2
   */
  {PROP ("voice-custom-text-normalization-url",
            "Voice custom text normalization URL",
            "session.voice.custom_text_normalization_url: URL of text "
            "normalization rules. Unset: not sent"),
        STRING (NULL), LIVE, FIELD (VOICE, voice_normalization_url,
          "session.voice.custom_text_normalization_url"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:speed:
   *
   * Since: 0.2
   */
  {PROP ("speed", "Speed",
            "audio.output.speed: speaking rate, applied between turns. "
            "Unset: not sent (1.0)"),
        DOUBLE (0.25, 1.5, 1.0), LIVE, FIELD (SPEED, speed,
          "session.audio.output.speed"), OPENAI_ONLY},
  /**
   * GstVoiceLiveSink:word-timestamps:
   *
   * Since: 0.1
   */
  {PROP ("word-timestamps", "Word timestamps",
            "session.output_audio_timestamp_types [\"word\"]: "
            "response.audio_timestamp.delta events (Azure voices); sent "
            "only when set"),
        BOOLEAN (FALSE), LIVE, FIELD (WORD_TIMESTAMPS, word_timestamps,
          "session.output_audio_timestamp_types"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:visemes:
   *
   * Since: 0.1
   */
  {PROP ("visemes", "Visemes",
            "session.animation.outputs [\"viseme_id\"]: "
            "response.animation_viseme.delta events (Azure voices); sent "
            "only when set"),
        BOOLEAN (FALSE), LIVE, FIELD (VISEMES, visemes,
          "session.animation.outputs"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:interim-response-type:
   *
   * A short filler the agent speaks while the answer is slow or a tool runs: one of interim-response-texts (static) or written by a model (llm). The rest of the object, for cases the typed properties do not cover, can be given whole in interim-response-json.
   *
   * Since: 0.2
   */
  {PROP ("interim-response-type", "Interim response type",
            "session.interim_response.type: static "
            "(static_interim_response, one of interim-response-texts) or "
            "llm (llm_interim_response); none sends null. Cascaded models "
            "with Azure voices; api-version 2026-01-01-preview or later"),
        ENUM (gst_voice_live_interim_type_get_type,
            GST_VOICE_LIVE_INTERIM_TYPE_NONE), LIVE, FIELD (INTERIM,
            interim_type,
          "session.interim_response.type"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:interim-response-triggers:
   *
   * Since: 0.2
   */
  {PROP ("interim-response-triggers", "Interim response triggers",
            "session.interim_response.triggers: latency (the answer is "
            "slower than interim-response-latency-ms) and/or tool (a tool "
            "call runs); with interim-response-type"),
        FLAGS (gst_voice_live_interim_triggers_get_type,
            GST_VOICE_LIVE_INTERIM_TRIGGERS_LATENCY), LIVE, FIELD (INTERIM,
            interim_triggers,
          "session.interim_response.triggers"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:interim-response-latency-ms:
   *
   * Since: 0.2
   */
  {PROP ("interim-response-latency-ms", "Interim response latency",
            "session.interim_response.latency_threshold_ms: delay before "
            "the latency trigger fires (ms, service default 2000); with "
            "interim-response-type"),
        INT (0, 60000, GST_VOICE_LIVE_DEFAULT_INTERIM_LATENCY_MS), LIVE,
        FIELD (INTERIM, interim_latency_ms,
          "session.interim_response.latency_threshold_ms"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:interim-response-texts:
   *
   * Since: 0.2
   */
  {PROP ("interim-response-texts", "Interim response texts",
            "session.interim_response.texts: the fillers of "
            "interim-response-type=static, separated by '|' (\"Let me "
            "check.|One moment, please.\")"),
        STRING (NULL), LIVE, FIELD (INTERIM, interim_texts,
          "session.interim_response.texts"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:interim-response-instructions:
   *
   * Since: 0.2
   */
  {PROP ("interim-response-instructions", "Interim response instructions",
            "session.interim_response.instructions: how the model of "
            "interim-response-type=llm writes its filler"),
        STRING (NULL), LIVE, FIELD (INTERIM, interim_instructions,
          "session.interim_response.instructions"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:interim-response-json:
   *
   * For what the typed properties do not cover (model, max_completion_tokens, ...): the object as JSON, sent as given.
   *
   * Since: 0.2
   */
  {PROP ("interim-response-json", "Interim response JSON",
            "session.interim_response as a JSON object, e.g. "
            "{\"type\":\"llm_interim_response\",\"model\":"
            "\"gpt-4.1-mini\",\"max_completion_tokens\":30}; when set it "
            "wins over the interim-response-* properties"),
        STRING (NULL), LIVE, FIELD (INTERIM, interim_json,
            "session.interim_response"),
      SPECIAL (CHECK_LIVE), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:avatar-character:
   *
   * Since: 0.2
   */
  {PROP ("avatar-character", "Avatar character",
            "session.avatar.character (e.g. lisa): turns the talking avatar on; its video comes out of a voiceliveavatarsrc of the same session-name. Unset: no avatar (null when it was set)"),
        STRING (NULL), LIVE, FIELD (AVATAR, avatar_character,
          "session.avatar"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:avatar-style:
   *
   * Since: 0.2
   */
  {PROP ("avatar-style", "Avatar style",
            "session.avatar.style (e.g. casual-sitting); with avatar-character"),
        STRING (NULL), LIVE, FIELD (AVATAR, avatar_style,
          "session.avatar.style"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:avatar-photo:
   *
   * Since: 0.2
   */
  {PROP ("avatar-photo", "Photo avatar",
            "session.avatar.type photo-avatar (model vasa-1) instead of video-avatar; with avatar-character"),
        BOOLEAN (FALSE), LIVE, FIELD (AVATAR, avatar_photo,
          "session.avatar.type"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:avatar-customized:
   *
   * Since: 0.2
   */
  {PROP ("avatar-customized", "Custom avatar",
            "session.avatar.customized: avatar-character names a custom avatar of the resource"),
        BOOLEAN (FALSE), LIVE, FIELD (AVATAR, avatar_customized,
          "session.avatar.customized"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:avatar-width:
   *
   * Since: 0.2
   */
  {PROP ("avatar-width", "Avatar width",
            "session.avatar.video.resolution.width in pixels, with avatar-height; 0: the service's (1920)"),
        INT (0, 4096, 0), LIVE, FIELD (AVATAR, avatar_width,
          "session.avatar.video.resolution.width"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:avatar-height:
   *
   * Since: 0.2
   */
  {PROP ("avatar-height", "Avatar height",
            "session.avatar.video.resolution.height in pixels, with avatar-width; 0: the service's (1080)"),
        INT (0, 4096, 0), LIVE, FIELD (AVATAR, avatar_height,
          "session.avatar.video.resolution.height"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:avatar-bitrate:
   *
   * Since: 0.2
   */
  {PROP ("avatar-bitrate", "Avatar bitrate",
            "session.avatar.video.bitrate in bits/s; 0: the service's"),
        INT (0, G_MAXINT, 0), LIVE, FIELD (AVATAR, avatar_bitrate,
          "session.avatar.video.bitrate"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:avatar-crop:
   *
   * Since: 0.2
   */
  {PROP ("avatar-crop", "Avatar crop",
            "session.avatar.video.crop as left,top,right,bottom pixels (\"560,0,1360,1080\": top_left [560,0], bottom_right [1360,1080])"),
        STRING (NULL), LIVE, FIELD (AVATAR, avatar_crop,
          "session.avatar.video.crop"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:avatar-background-color:
   *
   * Since: 0.2
   */
  {PROP ("avatar-background-color", "Avatar background colour",
            "session.avatar.video.background.color, #RRGGBB or #RRGGBBAA (\"#00FF00FF\" for a green screen); or avatar-background-image"),
        STRING (NULL), LIVE, FIELD (AVATAR, avatar_background_color,
          "session.avatar.video.background.color"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:avatar-background-image:
   *
   * Since: 0.2
   */
  {PROP ("avatar-background-image", "Avatar background image",
            "session.avatar.video.background.image_url: a picture URL behind the avatar; or avatar-background-color"),
        STRING (NULL), LIVE, FIELD (AVATAR, avatar_background_image,
          "session.avatar.video.background.image_url"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:avatar-output-protocol:
   *
   * Since: 0.2
   */
  {PROP ("avatar-output-protocol", "Avatar output protocol",
            "session.avatar.output_protocol: websocket (response.video.delta events, fragmented MP4) or webrtc (a peer connection)"),
        ENUM (gst_voice_live_avatar_output_get_type,
            GST_VOICE_LIVE_AVATAR_OUTPUT_WEBSOCKET), LIVE, FIELD (AVATAR,
            avatar_output,
          "session.avatar.output_protocol"), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:avatar-ice-servers:
   *
   * Since: 0.2
   */
  {PROP ("avatar-ice-servers", "Avatar ICE servers",
            "session.avatar.ice_servers as JSON ([{\"urls\":[\"turn:host:3478\"],\"username\":\"u\",\"credential\":\"c\"}]), webrtc mode; unset: the service's (session.updated)"),
        STRING (NULL), LIVE, FIELD (AVATAR, avatar_ice_servers,
            "session.avatar.ice_servers"),
      SPECIAL (CHECK_LIVE), VOICE_LIVE_ONLY},
  /**
   * GstVoiceLiveSink:stats:
   *
   * Counters of the current run, reset when streaming starts (guint64):
   * bytes-sent, audio-ms-sent, bytes-received, audio-ms-received,
   * input-ms-dropped, output-ms-dropped (answer audio beyond the
   * voicelivesrc's max-queue-ms), output-ms-avatar (answer audio the paired
   * voiceliveavatarsrc speaks, which voicelivesrc does not play), responses, reconnects, renewals
   * (switches to a new connection ahead of the session's end); and the last
   * turn's latency (gint64 ms, -1 before any):
   * last-speech-stopped-to-first-audio-ms, last-first-audio-to-playback-ms.
   *
   * Since: 0.1
   */
  {PROP ("stats", "Statistics",
            "Session counters (voicelive/stats): bytes-sent, "
            "audio-ms-sent, bytes-received, audio-ms-received, "
            "input-ms-dropped, output-ms-dropped, output-ms-avatar (answer "
            "audio the avatar speaks, not voicelivesrc), responses, reconnects, "
            "renewals, max-send-delay-us (longest wait of an append between this "
            "element and libsoup), last-speech-stopped-to-first-audio-ms, "
            "last-first-audio-to-playback-ms; with "
            "echo-cancellation=client-reference also reference-source "
            "(auto or pad), reference-offset-ms, reference-offset-us (the "
            "output latency the reference is shifted by), "
            "reference-underruns (input buffers whose reference the src had "
            "not output yet: silence)"),
        BOXED (gst_structure_get_type), READ_ONLY, ELEMENT,
      SPECIAL (STATS)},
};

const guint gst_voice_live_sink_n_props =
G_N_ELEMENTS (gst_voice_live_sink_props);

/* Enum members are stored through a gint pointer. */
G_STATIC_ASSERT (sizeof (GstVoiceLiveTurnDetection) == sizeof (gint));
G_STATIC_ASSERT (sizeof (GstVoiceLiveEouModel) == sizeof (gint));
G_STATIC_ASSERT (sizeof (GstVoiceLiveEouThreshold) == sizeof (gint));
G_STATIC_ASSERT (sizeof (GstVoiceLiveNoiseReduction) == sizeof (gint));
G_STATIC_ASSERT (sizeof (GstVoiceLiveEchoCancellation) == sizeof (gint));
G_STATIC_ASSERT (sizeof (GstVoiceLiveVoiceType) == sizeof (gint));
G_STATIC_ASSERT (sizeof (GstVoiceLiveProtocol) == sizeof (gint));
G_STATIC_ASSERT (sizeof (GstVoiceLiveInterimType) == sizeof (gint));
G_STATIC_ASSERT (sizeof (GstVoiceLiveAvatarOutput) == sizeof (gint));

static GParamSpec *make_pspec_blurb (const GstVoiceLiveSinkProp * r);

/* A one-dialect property says so at the end of its blurb (gst-inspect,
 * and scripts/gen-properties-doc.py reads it into the Dialects column). */
static GParamSpec *
make_pspec (const GstVoiceLiveSinkProp * r)
{
  GstVoiceLiveSinkProp copy;
  GParamSpec *pspec;
  gchar *blurb;

  if (!r->dialects || r->dialects == GST_VOICE_LIVE_DIALECTS_ALL)
    return make_pspec_blurb (r);
  copy = *r;
  blurb = g_strdup_printf ("%s [%s only]", r->blurb,
      gst_voice_live_dialect_name (r->dialects ==
          GST_VOICE_LIVE_DIALECT_MASK (GST_VOICE_LIVE_DIALECT_OPENAI) ?
          GST_VOICE_LIVE_DIALECT_OPENAI : GST_VOICE_LIVE_DIALECT_VOICE_LIVE));
  copy.blurb = blurb;
  copy.flags &= ~G_PARAM_STATIC_BLURB;
  pspec = make_pspec_blurb (&copy);
  g_free (blurb);
  return pspec;
}

static GParamSpec *
make_pspec_blurb (const GstVoiceLiveSinkProp * r)
{
  switch (r->type) {
    case G_TYPE_STRING:
      return g_param_spec_string (r->name, r->nick, r->blurb, r->def_str,
          r->flags);
    case G_TYPE_BOOLEAN:
      return g_param_spec_boolean (r->name, r->nick, r->blurb, r->def != 0,
          r->flags);
    case G_TYPE_INT:
      return g_param_spec_int (r->name, r->nick, r->blurb, r->min, r->max,
          r->def, r->flags);
    case G_TYPE_UINT:
      return g_param_spec_uint (r->name, r->nick, r->blurb, r->min, r->max,
          r->def, r->flags);
    case G_TYPE_DOUBLE:
      return g_param_spec_double (r->name, r->nick, r->blurb, r->min, r->max,
          r->def, r->flags);
    case G_TYPE_ENUM:
      return g_param_spec_enum (r->name, r->nick, r->blurb, r->value_type (),
          r->def, r->flags);
    case G_TYPE_FLAGS:
      return g_param_spec_flags (r->name, r->nick, r->blurb, r->value_type (),
          r->def, r->flags);
    case G_TYPE_BOXED:
      return g_param_spec_boxed (r->name, r->nick, r->blurb, r->value_type (),
          r->flags);
    default:
      g_assert_not_reached ();
  }
}

void
gst_voice_live_sink_install_properties (GObjectClass * klass)
{
  guint i;

  for (i = 0; i < gst_voice_live_sink_n_props; i++)
    g_object_class_install_property (klass, i + 1,
        make_pspec (&gst_voice_live_sink_props[i]));
}

const GstVoiceLiveSinkProp *
gst_voice_live_sink_prop (guint prop_id)
{
  if (prop_id < 1 || prop_id > gst_voice_live_sink_n_props)
    return NULL;
  return &gst_voice_live_sink_props[prop_id - 1];
}
