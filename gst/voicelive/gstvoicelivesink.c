/* gst-voicelive
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-voicelivesink
 * @title: voicelivesink
 *
 * Streams audio to a real-time voice agent: Azure AI Voice Live, or a
 * service speaking the same OpenAI-Realtime-style protocol. The agent's
 * spoken answer comes out of a #voicelivesrc with the same
 * #GstVoiceLiveSink:session-name; both share one WebSocket session.
 *
 * All agent configuration lives on this element. Every server event except
 * audio reaches the application as an element message named
 * `voicelive/<event>` (see docs/messages.md).
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 autoaudiosrc ! audioconvert ! audioresample ! \
 *     voicelivesink endpoint=https://myres.services.ai.azure.com \
 *     turn-detection=server-vad voice=en-US-Ava:DragonHDLatestNeural \
 *     voicelivesrc ! audioconvert ! audioresample ! autoaudiosink
 * ]| A spoken conversation with the microphone and speakers (the key is read
 * from AZURE_VOICE_LIVE_API_KEY).
 * |[
 * gst-launch-1.0 filesrc location=question.wav ! wavparse ! audioconvert ! \
 *     audioresample ! voicelivesink endpoint=ws://127.0.0.1:PORT api-key=KEY \
 *     voicelivesrc is-live=false ! wavenc ! filesink location=answer.wav
 * ]| Answers a recorded question into a file and ends by itself.
 *
 * Since: 0.1
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/audio/audio.h>
#include <gst/base/gstadapter.h>
#include "gstvoicelivesink.h"
#include "gstvoicelivesession.h"

GST_DEBUG_CATEGORY_STATIC (voicelivesink_debug);
#define GST_CAT_DEFAULT voicelivesink_debug

#define DEFAULT_SESSION_NAME "default"
#define DEFAULT_API_VERSION "2025-10-01"
#define DEFAULT_MODEL "gpt-4o"
#define DEFAULT_CHUNK_MS 20
#define DEFAULT_CONNECT_TIMEOUT 30
#define DEFAULT_KEEPALIVE_INTERVAL 20
#define DEFAULT_SSL_STRICT TRUE
#define DEFAULT_DRAIN_TIMEOUT 30000
#define DEFAULT_MAX_RECONNECT_ATTEMPTS 5
#define DEFAULT_RESTORE_CONVERSATION FALSE
#define LEGACY_EOU_API_VERSION "2025-05-01-preview"

enum
{
  PROP_0,
  /* connection: NULL/READY only */
  PROP_SESSION_NAME,
  PROP_ENDPOINT,
  PROP_API_KEY,
  PROP_ACCESS_TOKEN,
  PROP_API_VERSION,
  PROP_MODEL,
  PROP_AGENT_NAME,
  PROP_AGENT_PROJECT_NAME,
  PROP_SSL_STRICT,
  PROP_SSL_CA_FILE,
  PROP_CONNECT_TIMEOUT,
  PROP_KEEPALIVE_INTERVAL,
  PROP_CHUNK_MS,
  PROP_DRAIN_TIMEOUT,
  PROP_MAX_RECONNECT_ATTEMPTS,
  PROP_RESTORE_CONVERSATION,
  /* session fields: may change while PLAYING */
  PROP_INSTRUCTIONS,
  PROP_TEMPERATURE,
  PROP_MAX_TOKENS,
  PROP_MODALITIES,
  PROP_TOOLS,
  PROP_TOOL_CHOICE,
  PROP_TRANSCRIPTION_MODEL,
  PROP_TRANSCRIPTION_LANGUAGE,
  PROP_PHRASE_LIST,
  PROP_TURN_DETECTION,
  PROP_VAD_THRESHOLD,
  PROP_PREFIX_PADDING_MS,
  PROP_SILENCE_DURATION_MS,
  PROP_SPEECH_DURATION_MS,
  PROP_REMOVE_FILLER_WORDS,
  PROP_CREATE_RESPONSE,
  PROP_INTERRUPT_RESPONSE,
  PROP_AUTO_TRUNCATE,
  PROP_EOU_MODEL,
  PROP_EOU_THRESHOLD,
  PROP_EOU_TIMEOUT_MS,
  PROP_NOISE_REDUCTION,
  PROP_ECHO_CANCELLATION,
  PROP_VOICE,
  PROP_VOICE_TYPE,
  PROP_VOICE_TEMPERATURE,
  PROP_VOICE_RATE,
  PROP_VOICE_ENDPOINT_ID,
  PROP_WORD_TIMESTAMPS,
  PROP_VISEMES,
  /* read-only */
  PROP_STATS,
};

struct _GstVoiceLiveSink
{
  GstBaseSink parent;

  /* Properties, under the object lock */
  gchar *session_name;
  gchar *endpoint;
  gchar *api_key;
  gchar *access_token;
  gchar *api_version;
  gchar *model;
  gchar *agent_name;
  gchar *agent_project_name;
  gboolean ssl_strict;
  gchar *ssl_ca_file;
  guint connect_timeout;
  guint keepalive_interval;
  GstVoiceLiveConfig config;
  guint chunk_ms;
  guint drain_timeout;
  guint max_reconnect_attempts;
  gboolean restore_conversation;

  /* Serializes property changes that reach the session, so that the
   * session applies them in the order they were made. Taken before the
   * object lock. */
  GMutex update_lock;
  /* Serializes taking and letting go of the session (state changes,
   * session-name in READY, dispose). Taken before the object lock. */
  GMutex session_lock;

  /* Streaming state. session is written under the object lock (and
   * session_lock); the streaming thread reads it without the lock, as it
   * does not change while streaming. */
  GstVoiceLiveSession *session;
  /* adapter_lock guards the adapter: render and commit-input /
   * clear-input (any thread) both cut chunks from it. Never held while
   * waiting. */
  GMutex adapter_lock;
  GstAdapter *adapter;
  gboolean connecting;
  GstVoiceLiveAudioFormat in_format;
  gsize chunk_bytes;
  guint8 silence_byte;
  gboolean caps_hint_posted;
};

#define gst_voice_live_sink_parent_class parent_class
G_DEFINE_TYPE (GstVoiceLiveSink, gst_voice_live_sink, GST_TYPE_BASE_SINK);
GST_ELEMENT_REGISTER_DEFINE (voicelivesink, "voicelivesink", GST_RANK_NONE,
    GST_TYPE_VOICE_LIVE_SINK);

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("audio/x-raw, format = (string) S16LE, "
        "channels = (int) 1, rate = (int) { 24000, 16000, 8000 }, "
        "layout = (string) interleaved; "
        "audio/x-mulaw, channels = (int) 1, rate = (int) 8000; "
        "audio/x-alaw, channels = (int) 1, rate = (int) 8000"));

static void
secret_free (gchar * s)
{
  if (s) {
    memset (s, 0, strlen (s));
    g_free (s);
  }
}

static void
replace_str (gchar ** dest, const GValue * value)
{
  g_free (*dest);
  *dest = g_value_dup_string (value);
}

/* The session field a property maps to, 0 for connection properties. */
static guint
prop_field (guint prop_id)
{
  switch (prop_id) {
    case PROP_INSTRUCTIONS:
      return GST_VOICE_LIVE_FIELD_INSTRUCTIONS;
    case PROP_TEMPERATURE:
      return GST_VOICE_LIVE_FIELD_TEMPERATURE;
    case PROP_MAX_TOKENS:
      return GST_VOICE_LIVE_FIELD_MAX_TOKENS;
    case PROP_MODALITIES:
      return GST_VOICE_LIVE_FIELD_MODALITIES;
    case PROP_TOOLS:
      return GST_VOICE_LIVE_FIELD_TOOLS;
    case PROP_TOOL_CHOICE:
      return GST_VOICE_LIVE_FIELD_TOOL_CHOICE;
    case PROP_TRANSCRIPTION_MODEL:
    case PROP_TRANSCRIPTION_LANGUAGE:
    case PROP_PHRASE_LIST:
      return GST_VOICE_LIVE_FIELD_TRANSCRIPTION;
    case PROP_TURN_DETECTION:
      return GST_VOICE_LIVE_FIELD_TURN_TYPE;
    case PROP_VAD_THRESHOLD:
      return GST_VOICE_LIVE_FIELD_VAD_THRESHOLD;
    case PROP_PREFIX_PADDING_MS:
      return GST_VOICE_LIVE_FIELD_PREFIX_PADDING;
    case PROP_SILENCE_DURATION_MS:
      return GST_VOICE_LIVE_FIELD_SILENCE_DURATION;
    case PROP_SPEECH_DURATION_MS:
      return GST_VOICE_LIVE_FIELD_SPEECH_DURATION;
    case PROP_REMOVE_FILLER_WORDS:
      return GST_VOICE_LIVE_FIELD_REMOVE_FILLER;
    case PROP_CREATE_RESPONSE:
      return GST_VOICE_LIVE_FIELD_CREATE_RESPONSE;
    case PROP_INTERRUPT_RESPONSE:
      return GST_VOICE_LIVE_FIELD_INTERRUPT_RESPONSE;
    case PROP_AUTO_TRUNCATE:
      return GST_VOICE_LIVE_FIELD_AUTO_TRUNCATE;
    case PROP_EOU_MODEL:
    case PROP_EOU_THRESHOLD:
    case PROP_EOU_TIMEOUT_MS:
      return GST_VOICE_LIVE_FIELD_EOU;
    case PROP_NOISE_REDUCTION:
      return GST_VOICE_LIVE_FIELD_NOISE_REDUCTION;
    case PROP_ECHO_CANCELLATION:
      return GST_VOICE_LIVE_FIELD_ECHO_CANCELLATION;
    case PROP_VOICE:
    case PROP_VOICE_TYPE:
    case PROP_VOICE_TEMPERATURE:
    case PROP_VOICE_RATE:
    case PROP_VOICE_ENDPOINT_ID:
      return GST_VOICE_LIVE_FIELD_VOICE;
    case PROP_WORD_TIMESTAMPS:
      return GST_VOICE_LIVE_FIELD_WORD_TIMESTAMPS;
    case PROP_VISEMES:
      return GST_VOICE_LIVE_FIELD_VISEMES;
    default:
      return 0;
  }
}

static void
set_session_field (GstVoiceLiveSink * self, guint prop_id, const GValue * value)
{
  GstVoiceLiveConfig *c = &self->config;

  switch (prop_id) {
    case PROP_INSTRUCTIONS:
      replace_str (&c->instructions, value);
      break;
    case PROP_TEMPERATURE:
      c->temperature = g_value_get_double (value);
      break;
    case PROP_MAX_TOKENS:
      c->max_output_tokens = g_value_get_int (value);
      break;
    case PROP_MODALITIES:
      c->modalities = g_value_get_flags (value);
      break;
    case PROP_TOOLS:
      replace_str (&c->tools, value);
      break;
    case PROP_TOOL_CHOICE:
      replace_str (&c->tool_choice, value);
      break;
    case PROP_TRANSCRIPTION_MODEL:
      replace_str (&c->transcription_model, value);
      break;
    case PROP_TRANSCRIPTION_LANGUAGE:
      replace_str (&c->transcription_language, value);
      break;
    case PROP_PHRASE_LIST:
      replace_str (&c->phrase_list, value);
      break;
    case PROP_TURN_DETECTION:
      c->turn_detection = g_value_get_enum (value);
      break;
    case PROP_VAD_THRESHOLD:
      c->vad_threshold = g_value_get_double (value);
      break;
    case PROP_PREFIX_PADDING_MS:
      c->prefix_padding_ms = g_value_get_int (value);
      break;
    case PROP_SILENCE_DURATION_MS:
      c->silence_duration_ms = g_value_get_int (value);
      break;
    case PROP_SPEECH_DURATION_MS:
      c->speech_duration_ms = g_value_get_int (value);
      break;
    case PROP_REMOVE_FILLER_WORDS:
      c->remove_filler_words = g_value_get_boolean (value);
      break;
    case PROP_CREATE_RESPONSE:
      c->create_response = g_value_get_boolean (value);
      break;
    case PROP_INTERRUPT_RESPONSE:
      c->interrupt_response = g_value_get_boolean (value);
      break;
    case PROP_AUTO_TRUNCATE:
      c->auto_truncate = g_value_get_boolean (value);
      break;
    case PROP_EOU_MODEL:
      c->eou_model = g_value_get_enum (value);
      break;
    case PROP_EOU_THRESHOLD:
      c->eou_threshold = g_value_get_enum (value);
      break;
    case PROP_EOU_TIMEOUT_MS:
      c->eou_timeout_ms = g_value_get_int (value);
      break;
    case PROP_NOISE_REDUCTION:
      c->noise_reduction = g_value_get_enum (value);
      break;
    case PROP_ECHO_CANCELLATION:
      c->echo_cancellation = g_value_get_enum (value);
      break;
    case PROP_VOICE:
      replace_str (&c->voice, value);
      break;
    case PROP_VOICE_TYPE:
      c->voice_type = g_value_get_enum (value);
      break;
    case PROP_VOICE_TEMPERATURE:
      c->voice_temperature = g_value_get_double (value);
      break;
    case PROP_VOICE_RATE:
      replace_str (&c->voice_rate, value);
      break;
    case PROP_VOICE_ENDPOINT_ID:
      replace_str (&c->voice_endpoint_id, value);
      break;
    case PROP_WORD_TIMESTAMPS:
      c->word_timestamps = g_value_get_boolean (value);
      break;
    case PROP_VISEMES:
      c->visemes = g_value_get_boolean (value);
      break;
    default:
      g_assert_not_reached ();
  }
  /* Setting turn-detection to its "default" value un-sets it. */
  if (prop_id == PROP_TURN_DETECTION
      && c->turn_detection == GST_VOICE_LIVE_TURN_DETECTION_DEFAULT)
    c->set &= ~GST_VOICE_LIVE_FIELD_TURN_TYPE;
  else
    c->set |= prop_field (prop_id);
}

/* A session field: kept, and sent to the service when streaming. */
static void
set_session_property (GstVoiceLiveSink * self, guint prop_id,
    const GValue * value, GParamSpec * pspec, guint field)
{
  GstVoiceLiveConfig snapshot;
  GstVoiceLiveSession *session = NULL;
  gboolean running;

  /* Held until the session has the change: two threads changing
   * properties cannot hand it their snapshots in the wrong order. */
  g_mutex_lock (&self->update_lock);
  GST_OBJECT_LOCK (self);
  running = GST_STATE (self) >= GST_STATE_PAUSED
      || GST_STATE_PENDING (self) >= GST_STATE_PAUSED;
  if (running && prop_id == PROP_TOOLS) {
    GstVoiceLiveConfig probe;
    GError *err = NULL;

    /* A bad value in PLAYING cannot fail a state change: keep the old
     * value and warn. */
    gst_voice_live_config_init (&probe);
    probe.set = GST_VOICE_LIVE_FIELD_TOOLS;
    probe.tools = g_value_dup_string (value);
    if (!gst_voice_live_config_validate (&probe, &err)) {
      GST_OBJECT_UNLOCK (self);
      g_mutex_unlock (&self->update_lock);
      GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
          ("Property 'tools': %s; the change is ignored", err->message),
          (NULL));
      g_clear_error (&err);
      gst_voice_live_config_clear (&probe);
      return;
    }
    gst_voice_live_config_clear (&probe);
  }
  set_session_field (self, prop_id, value);
  if (running && self->session && self->connecting) {
    session = gst_object_ref (self->session);
    gst_voice_live_config_init (&snapshot);
    gst_voice_live_config_copy (&snapshot, &self->config);
  }
  GST_OBJECT_UNLOCK (self);
  if (session) {
    GST_DEBUG_OBJECT (self, "%s changed while streaming: updating the "
        "session", pspec->name);
    gst_voice_live_session_update_config (session, &snapshot, field);
    gst_voice_live_config_clear (&snapshot);
    gst_object_unref (session);
  }
  g_mutex_unlock (&self->update_lock);
}

/* Connection settings are read when connecting: once streaming started
 * (or, in READY, once the sink connected: it stays connected until NULL)
 * a change would be silently ignored. Call with the object lock. */
static gboolean
settings_in_use (GstVoiceLiveSink * self)
{
  return GST_STATE (self) > GST_STATE_READY
      || GST_STATE_PENDING (self) > GST_STATE_READY || self->connecting;
}

/* session-name: in READY the session is held already, so a new name
 * means letting go of it and taking the new one. */
static void
set_session_name (GstVoiceLiveSink * self, const GValue * value)
{
  const gchar *name = g_value_get_string (value);
  GstVoiceLiveSession *old, *session;
  GError *err = NULL;
  gboolean running;

  if (!name || !*name)
    name = DEFAULT_SESSION_NAME;
  g_mutex_lock (&self->session_lock);
  GST_OBJECT_LOCK (self);
  running = settings_in_use (self);
  old = self->session;
  if (running || !old || strcmp (name, self->session_name) == 0) {
    if (!running) {
      g_free (self->session_name);
      self->session_name = g_strdup (name);
    }
    GST_OBJECT_UNLOCK (self);
    g_mutex_unlock (&self->session_lock);
    if (running)
      GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
          ("Property 'session-name' can only be changed in the NULL or "
              "READY state before the first connection; the change is "
              "ignored"), (NULL));
    return;
  }
  GST_OBJECT_UNLOCK (self);

  session = gst_voice_live_session_acquire (name, GST_ELEMENT (self), TRUE,
      &err);
  if (!session) {
    g_mutex_unlock (&self->session_lock);
    GST_ELEMENT_WARNING (self, RESOURCE, BUSY,
        ("Property 'session-name' not changed: %s", err->message), (NULL));
    g_clear_error (&err);
    return;
  }
  GST_OBJECT_LOCK (self);
  self->session = session;
  g_free (self->session_name);
  self->session_name = g_strdup (name);
  GST_OBJECT_UNLOCK (self);
  gst_voice_live_session_release (old, GST_ELEMENT (self));
  g_mutex_unlock (&self->session_lock);
}

static void
gst_voice_live_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (object);
  guint field = prop_field (prop_id);

  if (field) {
    set_session_property (self, prop_id, value, pspec, field);
    return;
  }
  if (prop_id == PROP_SESSION_NAME) {
    set_session_name (self, value);
    return;
  }

  GST_OBJECT_LOCK (self);
  /* Refused loudly rather than silently ignored. */
  if (settings_in_use (self)) {
    GST_OBJECT_UNLOCK (self);
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("Property '%s' can only be changed in the NULL or READY state "
            "before the first connection; the change is ignored",
            pspec->name), (NULL));
    return;
  }

  switch (prop_id) {
    case PROP_ENDPOINT:
      replace_str (&self->endpoint, value);
      break;
    case PROP_API_KEY:
      secret_free (self->api_key);
      self->api_key = g_value_dup_string (value);
      break;
    case PROP_ACCESS_TOKEN:
      secret_free (self->access_token);
      self->access_token = g_value_dup_string (value);
      break;
    case PROP_API_VERSION:
      replace_str (&self->api_version, value);
      break;
    case PROP_MODEL:
      replace_str (&self->model, value);
      break;
    case PROP_AGENT_NAME:
      replace_str (&self->agent_name, value);
      break;
    case PROP_AGENT_PROJECT_NAME:
      replace_str (&self->agent_project_name, value);
      break;
    case PROP_SSL_STRICT:
      self->ssl_strict = g_value_get_boolean (value);
      break;
    case PROP_SSL_CA_FILE:
      replace_str (&self->ssl_ca_file, value);
      break;
    case PROP_CONNECT_TIMEOUT:
      self->connect_timeout = g_value_get_uint (value);
      break;
    case PROP_KEEPALIVE_INTERVAL:
      self->keepalive_interval = g_value_get_uint (value);
      break;
    case PROP_CHUNK_MS:
      self->chunk_ms = g_value_get_uint (value);
      break;
    case PROP_DRAIN_TIMEOUT:
      self->drain_timeout = g_value_get_uint (value);
      break;
    case PROP_MAX_RECONNECT_ATTEMPTS:
      self->max_reconnect_attempts = g_value_get_uint (value);
      break;
    case PROP_RESTORE_CONVERSATION:
      self->restore_conversation = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
get_session_field (GstVoiceLiveSink * self, guint prop_id, GValue * value)
{
  GstVoiceLiveConfig *c = &self->config;

  switch (prop_id) {
    case PROP_INSTRUCTIONS:
      g_value_set_string (value, c->instructions);
      break;
    case PROP_TEMPERATURE:
      g_value_set_double (value, c->temperature);
      break;
    case PROP_MAX_TOKENS:
      g_value_set_int (value, c->max_output_tokens);
      break;
    case PROP_MODALITIES:
      g_value_set_flags (value, c->modalities);
      break;
    case PROP_TOOLS:
      g_value_set_string (value, c->tools);
      break;
    case PROP_TOOL_CHOICE:
      g_value_set_string (value, c->tool_choice);
      break;
    case PROP_TRANSCRIPTION_MODEL:
      g_value_set_string (value, c->transcription_model);
      break;
    case PROP_TRANSCRIPTION_LANGUAGE:
      g_value_set_string (value, c->transcription_language);
      break;
    case PROP_PHRASE_LIST:
      g_value_set_string (value, c->phrase_list);
      break;
    case PROP_TURN_DETECTION:
      g_value_set_enum (value, c->turn_detection);
      break;
    case PROP_VAD_THRESHOLD:
      g_value_set_double (value, c->vad_threshold);
      break;
    case PROP_PREFIX_PADDING_MS:
      g_value_set_int (value, c->prefix_padding_ms);
      break;
    case PROP_SILENCE_DURATION_MS:
      g_value_set_int (value, c->silence_duration_ms);
      break;
    case PROP_SPEECH_DURATION_MS:
      g_value_set_int (value, c->speech_duration_ms);
      break;
    case PROP_REMOVE_FILLER_WORDS:
      g_value_set_boolean (value, c->remove_filler_words);
      break;
    case PROP_CREATE_RESPONSE:
      g_value_set_boolean (value, c->create_response);
      break;
    case PROP_INTERRUPT_RESPONSE:
      g_value_set_boolean (value, c->interrupt_response);
      break;
    case PROP_AUTO_TRUNCATE:
      g_value_set_boolean (value, c->auto_truncate);
      break;
    case PROP_EOU_MODEL:
      g_value_set_enum (value, c->eou_model);
      break;
    case PROP_EOU_THRESHOLD:
      g_value_set_enum (value, c->eou_threshold);
      break;
    case PROP_EOU_TIMEOUT_MS:
      g_value_set_int (value, c->eou_timeout_ms);
      break;
    case PROP_NOISE_REDUCTION:
      g_value_set_enum (value, c->noise_reduction);
      break;
    case PROP_ECHO_CANCELLATION:
      g_value_set_enum (value, c->echo_cancellation);
      break;
    case PROP_VOICE:
      g_value_set_string (value, c->voice);
      break;
    case PROP_VOICE_TYPE:
      g_value_set_enum (value, c->voice_type);
      break;
    case PROP_VOICE_TEMPERATURE:
      g_value_set_double (value, c->voice_temperature);
      break;
    case PROP_VOICE_RATE:
      g_value_set_string (value, c->voice_rate);
      break;
    case PROP_VOICE_ENDPOINT_ID:
      g_value_set_string (value, c->voice_endpoint_id);
      break;
    case PROP_WORD_TIMESTAMPS:
      g_value_set_boolean (value, c->word_timestamps);
      break;
    case PROP_VISEMES:
      g_value_set_boolean (value, c->visemes);
      break;
    default:
      g_assert_not_reached ();
  }
}

static void
gst_voice_live_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (object);

  if (prop_id == PROP_STATS) {
    GstVoiceLiveSession *session = NULL;
    GstStructure *st;

    GST_OBJECT_LOCK (self);
    if (self->session)
      session = gst_object_ref (self->session);
    GST_OBJECT_UNLOCK (self);
    if (session) {
      st = gst_voice_live_session_get_stats (session);
      gst_object_unref (session);
    } else {
      st = gst_structure_new_empty ("voicelive/stats");
    }
    g_value_take_boxed (value, st);
    return;
  }

  GST_OBJECT_LOCK (self);
  if (prop_field (prop_id)) {
    get_session_field (self, prop_id, value);
    GST_OBJECT_UNLOCK (self);
    return;
  }
  switch (prop_id) {
    case PROP_SESSION_NAME:
      g_value_set_string (value, self->session_name);
      break;
    case PROP_ENDPOINT:
      g_value_set_string (value, self->endpoint);
      break;
    case PROP_API_VERSION:
      g_value_set_string (value, self->api_version);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_AGENT_NAME:
      g_value_set_string (value, self->agent_name);
      break;
    case PROP_AGENT_PROJECT_NAME:
      g_value_set_string (value, self->agent_project_name);
      break;
    case PROP_SSL_STRICT:
      g_value_set_boolean (value, self->ssl_strict);
      break;
    case PROP_SSL_CA_FILE:
      g_value_set_string (value, self->ssl_ca_file);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;
    case PROP_KEEPALIVE_INTERVAL:
      g_value_set_uint (value, self->keepalive_interval);
      break;
    case PROP_CHUNK_MS:
      g_value_set_uint (value, self->chunk_ms);
      break;
    case PROP_DRAIN_TIMEOUT:
      g_value_set_uint (value, self->drain_timeout);
      break;
    case PROP_MAX_RECONNECT_ATTEMPTS:
      g_value_set_uint (value, self->max_reconnect_attempts);
      break;
    case PROP_RESTORE_CONVERSATION:
      g_value_set_boolean (value, self->restore_conversation);
      break;
    default:
      /* api-key and access-token are write-only */
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* Property value, else the environment variable, else NULL. */
static gchar *
prop_or_env (const gchar * prop, const gchar * env)
{
  const gchar *v;

  if (prop && *prop)
    return g_strdup (prop);
  v = g_getenv (env);
  return (v && *v) ? g_strdup (v) : NULL;
}

/* Everything needed to connect, from the properties and the environment.
 * Returns NULL and posts an error naming the property when it is invalid. */
static GstVoiceLiveConnectParams *
gst_voice_live_sink_make_params (GstVoiceLiveSink * self)
{
  GstVoiceLiveConnectParams *p = g_new0 (GstVoiceLiveConnectParams, 1);
  gchar *endpoint, *api_version, *model, *agent, *project;
  GError *err = NULL;

  gst_voice_live_config_init (&p->config);

  GST_OBJECT_LOCK (self);
  endpoint = prop_or_env (self->endpoint, "AZURE_VOICE_LIVE_ENDPOINT");
  p->api_key = prop_or_env (self->api_key, "AZURE_VOICE_LIVE_API_KEY");
  p->access_token = self->access_token ? g_strdup (self->access_token) : NULL;
  /* Explicit properties win; the env only replaces untouched defaults. */
  api_version = (self->api_version && strcmp (self->api_version,
          DEFAULT_API_VERSION) != 0) ? g_strdup (self->api_version) :
      prop_or_env (NULL, "AZURE_VOICE_LIVE_API_VERSION");
  if (!api_version)
    api_version = g_strdup (self->api_version);
  model = (self->model && strcmp (self->model, DEFAULT_MODEL) != 0) ?
      g_strdup (self->model) : prop_or_env (NULL, "VOICE_LIVE_MODEL");
  if (!model)
    model = g_strdup (self->model);
  agent = g_strdup (self->agent_name);
  project = g_strdup (self->agent_project_name);
  p->ssl_strict = self->ssl_strict;
  p->ssl_ca_file = g_strdup (self->ssl_ca_file);
  p->connect_timeout_s = self->connect_timeout;
  p->keepalive_interval_s = self->keepalive_interval;
  p->max_reconnect_attempts = self->max_reconnect_attempts;
  p->restore_conversation = self->restore_conversation;
  gst_voice_live_config_copy (&p->config, &self->config);
  GST_OBJECT_UNLOCK (self);

  p->config.legacy_eou = g_strcmp0 (api_version, LEGACY_EOU_API_VERSION) == 0;
  p->url = gst_voice_live_build_url (endpoint, api_version, model, agent,
      project, &p->openai_beta, &err);
  g_free (endpoint);
  g_free (api_version);
  g_free (model);
  g_free (agent);
  g_free (project);

  if (!p->url || !gst_voice_live_config_validate (&p->config, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s", err->message),
        ("invalid property value"));
    g_clear_error (&err);
    gst_voice_live_connect_params_free (p);
    return NULL;
  }
  /* OpenAI takes its key as a bearer token. */
  if (p->openai_beta && p->api_key && !p->access_token) {
    p->access_token = p->api_key;
    p->api_key = NULL;
  }
  if (!p->api_key && !p->access_token)
    GST_WARNING_OBJECT (self, "neither api-key nor access-token is set (nor "
        "AZURE_VOICE_LIVE_API_KEY): connecting without credentials");
  return p;
}

static GstStateChangeReturn
gst_voice_live_sink_change_state (GstElement * element,
    GstStateChange transition)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (element);
  GstVoiceLiveSession *session;
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:{
      GstVoiceLiveConnectParams *p;
      GError *err = NULL;
      gchar *name;

      /* Validate early so a bad endpoint fails the state change. */
      p = gst_voice_live_sink_make_params (self);
      if (!p)
        return GST_STATE_CHANGE_FAILURE;
      gst_voice_live_connect_params_free (p);

      g_mutex_lock (&self->session_lock);
      GST_OBJECT_LOCK (self);
      name = g_strdup (self->session_name);
      GST_OBJECT_UNLOCK (self);
      session = gst_voice_live_session_acquire (name, element, TRUE, &err);
      g_free (name);
      GST_OBJECT_LOCK (self);
      self->session = session;
      GST_OBJECT_UNLOCK (self);
      g_mutex_unlock (&self->session_lock);
      if (!session) {
        GST_ELEMENT_ERROR (self, RESOURCE, BUSY, ("%s", err->message), (NULL));
        g_clear_error (&err);
        return GST_STATE_CHANGE_FAILURE;
      }
      break;
    }
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_NULL:
    case GST_STATE_CHANGE_NULL_TO_READY:
      if (transition == GST_STATE_CHANGE_NULL_TO_READY
          && ret != GST_STATE_CHANGE_FAILURE)
        break;
      g_mutex_lock (&self->session_lock);
      GST_OBJECT_LOCK (self);
      session = self->session;
      self->session = NULL;
      GST_OBJECT_UNLOCK (self);
      if (session)
        gst_voice_live_session_release (session, element);
      g_mutex_unlock (&self->session_lock);
      break;
    default:
      break;
  }
  return ret;
}

static gboolean
gst_voice_live_sink_start (GstBaseSink * bsink)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (bsink);

  g_mutex_lock (&self->adapter_lock);
  gst_adapter_clear (self->adapter);
  g_mutex_unlock (&self->adapter_lock);
  GST_OBJECT_LOCK (self);
  self->connecting = FALSE;
  GST_OBJECT_UNLOCK (self);
  self->caps_hint_posted = FALSE;
  return TRUE;
}

static gboolean
gst_voice_live_sink_stop (GstBaseSink * bsink)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (bsink);

  gst_voice_live_session_stop (self->session);
  GST_OBJECT_LOCK (self);
  self->connecting = FALSE;
  GST_OBJECT_UNLOCK (self);
  g_mutex_lock (&self->adapter_lock);
  gst_adapter_clear (self->adapter);
  g_mutex_unlock (&self->adapter_lock);
  return TRUE;
}

static gboolean
gst_voice_live_sink_set_caps (GstBaseSink * bsink, GstCaps * caps)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (bsink);
  GstStructure *s = gst_caps_get_structure (caps, 0);
  const gchar *media = gst_structure_get_name (s);
  GstVoiceLiveAudioFormat fmt;
  gint rate = 0;
  guint chunk_ms;

  gst_structure_get_int (s, "rate", &rate);
  if (strcmp (media, "audio/x-mulaw") == 0) {
    fmt = GST_VOICE_LIVE_AUDIO_G711_ULAW;
    self->silence_byte = 0xff;
  } else if (strcmp (media, "audio/x-alaw") == 0) {
    fmt = GST_VOICE_LIVE_AUDIO_G711_ALAW;
    self->silence_byte = 0xd5;
  } else {
    fmt = rate == 16000 ? GST_VOICE_LIVE_AUDIO_PCM16_16000 :
        rate == 8000 ? GST_VOICE_LIVE_AUDIO_PCM16_8000 :
        GST_VOICE_LIVE_AUDIO_PCM16_24000;
    self->silence_byte = 0;
  }

  if (self->connecting && fmt != self->in_format) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("The input format cannot change during a session"),
        ("caps %" GST_PTR_FORMAT, caps));
    return FALSE;
  }

  GST_OBJECT_LOCK (self);
  chunk_ms = self->chunk_ms;
  GST_OBJECT_UNLOCK (self);
  self->in_format = fmt;
  self->chunk_bytes = (gsize) gst_voice_live_audio_format_rate (fmt)
      * chunk_ms / 1000 * gst_voice_live_audio_format_bytes_per_sample (fmt);

  /* The first caps tell the input format: connect now. */
  if (!self->connecting) {
    GstVoiceLiveConnectParams *p = gst_voice_live_sink_make_params (self);

    if (!p)
      return FALSE;
    p->in_format = fmt;
    gst_voice_live_session_start (self->session, p);
    GST_OBJECT_LOCK (self);
    self->connecting = TRUE;
    GST_OBJECT_UNLOCK (self);
  }
  GST_DEBUG_OBJECT (self, "input %s at %u Hz, %" G_GSIZE_FORMAT
      " bytes per chunk", gst_voice_live_audio_format_input_wire (fmt),
      gst_voice_live_audio_format_rate (fmt), self->chunk_bytes);
  return TRUE;
}

static void
send_chunk (GstVoiceLiveSink * self, const guint8 * data, gsize len)
{
  gst_voice_live_session_send_audio (self->session, data, len);
}

static GstFlowReturn
gst_voice_live_sink_render (GstBaseSink * bsink, GstBuffer * buffer)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (bsink);

  if (gst_voice_live_session_has_failed (self->session))
    return GST_FLOW_ERROR;

  g_mutex_lock (&self->adapter_lock);
  gst_adapter_push (self->adapter, gst_buffer_ref (buffer));
  while (gst_adapter_available (self->adapter) >= self->chunk_bytes) {
    const guint8 *data = gst_adapter_map (self->adapter, self->chunk_bytes);

    send_chunk (self, data, self->chunk_bytes);
    gst_adapter_unmap (self->adapter);
    gst_adapter_flush (self->adapter, self->chunk_bytes);
  }
  g_mutex_unlock (&self->adapter_lock);
  return GST_FLOW_OK;
}

/* End of input: send what is left, close the turn, and wait (bounded) for
 * the answer so the src ends with the whole of it. */
/* Send what the adapter holds as a last, shorter chunk. */
static void
flush_partial_chunk (GstVoiceLiveSink * self)
{
  gsize left;

  g_mutex_lock (&self->adapter_lock);
  left = gst_adapter_available (self->adapter);
  if (left > 0) {
    const guint8 *data = gst_adapter_map (self->adapter, left);

    send_chunk (self, data, left);
    gst_adapter_unmap (self->adapter);
    gst_adapter_flush (self->adapter, left);
  }
  g_mutex_unlock (&self->adapter_lock);
}

/* Wait (bounded) until the session has answered everything the input
 * caused. Called with the preroll lock held (basesink's serialized event
 * path): it is let go while waiting, so that pausing the pipeline is not
 * held up. unlock()/unlock_stop() wake the wait; a flush or a stop ends it
 * without ending the output, a pause does not end it. */
static GstVoiceLiveDrainResult
wait_drained (GstVoiceLiveSink * self, guint timeout_ms)
{
  GstBaseSink *bsink = GST_BASE_SINK (self);
  gint64 deadline = g_get_monotonic_time () +
      (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  GstVoiceLiveDrainResult res;

  while (TRUE) {
    /* Read with the preroll lock: a flush sets basesink's flushing, and
     * calls unlock_stop(), with that lock held. */
    guint wakeups = gst_voice_live_session_get_drain_wakeups (self->session);

    GST_BASE_SINK_PREROLL_UNLOCK (bsink);
    res = gst_voice_live_session_wait_drained (self->session, wakeups,
        deadline);
    GST_BASE_SINK_PREROLL_LOCK (bsink);
    if (res != GST_VOICE_LIVE_DRAIN_WOKEN)
      return res;
    if (bsink->flushing)
      return GST_VOICE_LIVE_DRAIN_ABORTED;
  }
}

/* End of input: send what is left, close the turn, and wait (bounded) for
 * the answer so the src ends with the whole of it. */
static void
gst_voice_live_sink_drain (GstVoiceLiveSink * self)
{
  GstVoiceLiveDrainResult res;
  gboolean manual, connecting;
  guint drain_timeout;
  gint silence_ms;

  GST_OBJECT_LOCK (self);
  connecting = self->connecting;
  manual = (self->config.set & GST_VOICE_LIVE_FIELD_TURN_TYPE)
      && self->config.turn_detection == GST_VOICE_LIVE_TURN_DETECTION_NONE;
  silence_ms = (self->config.set & GST_VOICE_LIVE_FIELD_SILENCE_DURATION) ?
      self->config.silence_duration_ms :
      GST_VOICE_LIVE_DEFAULT_SILENCE_DURATION_MS;
  drain_timeout = self->drain_timeout;
  GST_OBJECT_UNLOCK (self);

  if (!connecting) {
    /* No input ever: nothing to answer. */
    gst_voice_live_session_end_output (self->session);
    return;
  }
  flush_partial_chunk (self);

  if (!manual) {
    /* Trailing silence lets server VAD end a turn cut off by the end of
     * the input: the silence window plus a margin. */
    gsize bytes = (gsize) gst_voice_live_audio_format_rate (self->in_format)
        * gst_voice_live_audio_format_bytes_per_sample (self->in_format)
        * (silence_ms + 500) / 1000;
    guint8 *zeros = g_malloc (self->chunk_bytes);

    memset (zeros, self->silence_byte, self->chunk_bytes);
    g_mutex_lock (&self->adapter_lock);
    while (bytes > 0) {
      send_chunk (self, zeros, self->chunk_bytes);
      bytes -= MIN (bytes, self->chunk_bytes);
    }
    g_mutex_unlock (&self->adapter_lock);
    g_free (zeros);
  }
  GST_DEBUG_OBJECT (self, "draining (manual turns: %d)", manual);
  gst_voice_live_session_begin_drain (self->session, manual);
  res = wait_drained (self, drain_timeout);
  switch (res) {
    case GST_VOICE_LIVE_DRAIN_DONE:
      gst_voice_live_session_end_output (self->session);
      break;
    case GST_VOICE_LIVE_DRAIN_TIMEOUT:
      GST_ELEMENT_WARNING (self, RESOURCE, READ,
          ("End of stream: the last answer was not complete after %u ms "
              "(drain-timeout); the output ends without the rest",
              drain_timeout), (NULL));
      gst_voice_live_session_end_output (self->session);
      break;
    default:
      /* Flushed or stopped: the answer goes on, or the session is over. */
      GST_DEBUG_OBJECT (self, "drain interrupted");
      break;
  }
}

static gboolean
gst_voice_live_sink_event (GstBaseSink * bsink, GstEvent * event)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (bsink);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_EOS:
      gst_voice_live_sink_drain (self);
      /* The preroll lock was let go during the drain: a flush that came
       * meanwhile drops this EOS, as basesink does when it sees one
       * before handing an event over. */
      if (bsink->flushing) {
        gst_event_unref (event);
        return FALSE;
      }
      break;
    case GST_EVENT_FLUSH_STOP:
      /* Input from before the flush is not sent, and the output has not
       * ended: new input comes. */
      g_mutex_lock (&self->adapter_lock);
      gst_adapter_clear (self->adapter);
      g_mutex_unlock (&self->adapter_lock);
      gst_voice_live_session_clear_output_eos (self->session);
      break;
    default:
      break;
  }
  return GST_BASE_SINK_CLASS (parent_class)->event (bsink, event);
}

/* Caps we cannot take end in upstream's "not-negotiated", which does not
 * say what to do: tell the user (a warning, as accept-caps may also be a
 * probe). */
static gboolean
gst_voice_live_sink_query (GstBaseSink * bsink, GstQuery * query)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (bsink);
  gboolean ret = GST_BASE_SINK_CLASS (parent_class)->query (bsink, query);

  GstCaps *caps = NULL;
  gboolean accepted = TRUE;

  /* An accept-caps refused, or a caps query whose fixed filter leaves
   * nothing: upstream insists on a format we do not take. */
  if (GST_QUERY_TYPE (query) == GST_QUERY_ACCEPT_CAPS) {
    gst_query_parse_accept_caps (query, &caps);
    gst_query_parse_accept_caps_result (query, &accepted);
  } else if (GST_QUERY_TYPE (query) == GST_QUERY_CAPS && ret) {
    GstCaps *result;

    gst_query_parse_caps (query, &caps);
    gst_query_parse_caps_result (query, &result);
    accepted = !caps || !result || !gst_caps_is_empty (result);
  }
  if (caps) {
    if (!accepted && gst_caps_is_fixed (caps) && !self->caps_hint_posted) {
      gchar *str = gst_caps_to_string (caps);

      self->caps_hint_posted = TRUE;
      GST_ELEMENT_WARNING (self, CORE, NEGOTIATION,
          ("voicelivesink takes mono S16LE audio at 24000, 16000 or 8000 Hz "
              "(or G.711 mu-law/A-law at 8000 Hz), not %s: put "
              "\"audioconvert ! audioresample\" before it", str), (NULL));
      g_free (str);
    }
  }
  return ret;
}

static gboolean
gst_voice_live_sink_unlock (GstBaseSink * bsink)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (bsink);

  if (self->session)
    gst_voice_live_session_wake_drain (self->session);
  return TRUE;
}

static gboolean
gst_voice_live_sink_unlock_stop (GstBaseSink * bsink)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (bsink);

  if (self->session)
    gst_voice_live_session_wake_drain (self->session);
  return TRUE;
}

/* An element dropped without going to NULL must not stay in the session:
 * the network thread would post to it. */
static void
gst_voice_live_sink_dispose (GObject * object)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (object);
  GstVoiceLiveSession *session;

  g_mutex_lock (&self->session_lock);
  GST_OBJECT_LOCK (self);
  session = self->session;
  self->session = NULL;
  GST_OBJECT_UNLOCK (self);
  if (session) {
    gst_voice_live_session_stop (session);
    gst_voice_live_session_release (session, GST_ELEMENT (self));
  }
  g_mutex_unlock (&self->session_lock);

  G_OBJECT_CLASS (parent_class)->dispose (object);
}

static void
gst_voice_live_sink_finalize (GObject * object)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (object);

  g_free (self->session_name);
  g_free (self->endpoint);
  secret_free (self->api_key);
  secret_free (self->access_token);
  g_free (self->api_version);
  g_free (self->model);
  g_free (self->agent_name);
  g_free (self->agent_project_name);
  g_free (self->ssl_ca_file);
  gst_voice_live_config_clear (&self->config);
  g_object_unref (self->adapter);
  g_mutex_clear (&self->adapter_lock);
  g_mutex_clear (&self->update_lock);
  g_mutex_clear (&self->session_lock);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_voice_live_sink_init (GstVoiceLiveSink * self)
{
  self->session_name = g_strdup (DEFAULT_SESSION_NAME);
  self->api_version = g_strdup (DEFAULT_API_VERSION);
  self->model = g_strdup (DEFAULT_MODEL);
  self->ssl_strict = DEFAULT_SSL_STRICT;
  self->connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  self->keepalive_interval = DEFAULT_KEEPALIVE_INTERVAL;
  self->chunk_ms = DEFAULT_CHUNK_MS;
  self->drain_timeout = DEFAULT_DRAIN_TIMEOUT;
  self->max_reconnect_attempts = DEFAULT_MAX_RECONNECT_ATTEMPTS;
  self->restore_conversation = DEFAULT_RESTORE_CONVERSATION;
  gst_voice_live_config_init (&self->config);
  self->adapter = gst_adapter_new ();
  g_mutex_init (&self->adapter_lock);
  g_mutex_init (&self->update_lock);
  g_mutex_init (&self->session_lock);

  gst_base_sink_set_sync (GST_BASE_SINK (self), TRUE);
}

/* ---- action signals ---- */

static GstVoiceLiveSession *
ref_session (GstVoiceLiveSink * self, const gchar * signal)
{
  GstVoiceLiveSession *session = NULL;

  GST_OBJECT_LOCK (self);
  if (self->session)
    session = gst_object_ref (self->session);
  GST_OBJECT_UNLOCK (self);
  if (!session)
    GST_WARNING_OBJECT (self, "%s: the element is not started (READY or "
        "higher, with a connection)", signal);
  return session;
}

/* A request the element cannot take: FALSE, and a warning message saying
 * why, so gst-launch users and applications both see it. */
static gboolean
refuse (GstVoiceLiveSink * self, GError * err)
{
  GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS, ("%s", err->message), (NULL));
  g_error_free (err);
  return FALSE;
}

static gboolean
gst_voice_live_sink_send_text (GstVoiceLiveSink * self, const gchar * text)
{
  GstVoiceLiveSession *s = ref_session (self, "send-text");
  gboolean ok;

  if (!s)
    return FALSE;
  ok = text && gst_voice_live_session_send_text (s, text);
  gst_object_unref (s);
  return ok;
}

static gboolean
gst_voice_live_sink_create_response (GstVoiceLiveSink * self,
    const gchar * instructions)
{
  GstVoiceLiveSession *s = ref_session (self, "create-response");
  gboolean ok;

  if (!s)
    return FALSE;
  ok = gst_voice_live_session_request_response (s, instructions);
  gst_object_unref (s);
  return ok;
}

static gboolean
gst_voice_live_sink_cancel_response (GstVoiceLiveSink * self)
{
  GstVoiceLiveSession *s = ref_session (self, "cancel-response");
  gboolean ok;

  if (!s)
    return FALSE;
  ok = gst_voice_live_session_cancel_response (s);
  gst_object_unref (s);
  return ok;
}

static gboolean
gst_voice_live_sink_function_result (GstVoiceLiveSink * self,
    const gchar * call_id, const gchar * output)
{
  GstVoiceLiveSession *s = ref_session (self, "function-result");
  GError *err = NULL;
  gboolean ok;

  if (!s)
    return FALSE;
  ok = gst_voice_live_session_function_result (s, call_id, output, &err);
  gst_object_unref (s);
  return ok ? TRUE : refuse (self, err);
}

static gboolean
gst_voice_live_sink_commit_input (GstVoiceLiveSink * self)
{
  GstVoiceLiveSession *s = ref_session (self, "commit-input");
  gboolean ok;

  if (!s)
    return FALSE;
  /* Everything received so far belongs to the committed turn. */
  flush_partial_chunk (self);
  ok = gst_voice_live_session_send_event (s,
      "{\"type\":\"input_audio_buffer.commit\"}", NULL);
  gst_object_unref (s);
  return ok;
}

static gboolean
gst_voice_live_sink_clear_input (GstVoiceLiveSink * self)
{
  GstVoiceLiveSession *s = ref_session (self, "clear-input");
  gboolean ok;

  if (!s)
    return FALSE;
  g_mutex_lock (&self->adapter_lock);
  gst_adapter_clear (self->adapter);
  g_mutex_unlock (&self->adapter_lock);
  ok = gst_voice_live_session_send_event (s,
      "{\"type\":\"input_audio_buffer.clear\"}", NULL);
  gst_object_unref (s);
  return ok;
}

static gboolean
gst_voice_live_sink_update_session (GstVoiceLiveSink * self, const gchar * json)
{
  GstVoiceLiveSession *s = ref_session (self, "update-session");
  GError *err = NULL;
  gboolean ok;

  if (!s)
    return FALSE;
  ok = json && gst_voice_live_session_update_session_json (s, json, &err);
  gst_object_unref (s);
  if (!ok && err)
    return refuse (self, err);
  return ok;
}

static gboolean
gst_voice_live_sink_send_event_json (GstVoiceLiveSink * self,
    const gchar * json)
{
  GstVoiceLiveSession *s = ref_session (self, "send-event");
  GError *err = NULL;
  gboolean ok;

  if (!s)
    return FALSE;
  ok = json && gst_voice_live_session_send_event (s, json, &err);
  gst_object_unref (s);
  if (!ok && err)
    return refuse (self, err);
  return ok;
}

static void
install_signals (GstVoiceLiveSinkClass * klass)
{
  GType type = G_TYPE_FROM_CLASS (klass);
  const GSignalFlags flags = G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION;

  /**
   * GstVoiceLiveSink::send-text:
   * @sink: the #voicelivesink
   * @text: what the user says, as text
   *
   * Adds a user text message to the conversation and asks for a response
   * (sent once no response is active).
   *
   * Returns: %TRUE if accepted
   *
   * Since: 0.1
   */
  g_signal_new_class_handler ("send-text", type, flags,
      G_CALLBACK (gst_voice_live_sink_send_text), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
  /**
   * GstVoiceLiveSink::create-response:
   * @sink: the #voicelivesink
   * @instructions: (nullable): instructions for this response only
   *
   * Sends response.create once no response is active and no function call
   * waits for its result.
   *
   * Returns: %TRUE if accepted
   *
   * Since: 0.1
   */
  g_signal_new_class_handler ("create-response", type, flags,
      G_CALLBACK (gst_voice_live_sink_create_response), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
  /**
   * GstVoiceLiveSink::cancel-response:
   * @sink: the #voicelivesink
   *
   * Sends response.cancel if a response is active.
   *
   * Returns: %TRUE if a response was active and is being cancelled
   *
   * Since: 0.1
   */
  g_signal_new_class_handler ("cancel-response", type, flags,
      G_CALLBACK (gst_voice_live_sink_cancel_response), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 0);
  /**
   * GstVoiceLiveSink::function-result:
   * @sink: the #voicelivesink
   * @call_id: the call-id of a voicelive/function-call message
   * @output: the result, usually JSON text
   *
   * Sends the function_call_output, then response.create once no response
   * is active and every call of that response has its result.
   *
   * Returns: %TRUE if accepted; %FALSE (and a warning message) for an
   * unknown call_id
   *
   * Since: 0.1
   */
  g_signal_new_class_handler ("function-result", type, flags,
      G_CALLBACK (gst_voice_live_sink_function_result), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * GstVoiceLiveSink::commit-input:
   * @sink: the #voicelivesink
   *
   * Manual turns: commits the input audio received so far.
   *
   * Returns: %TRUE if accepted
   *
   * Since: 0.1
   */
  g_signal_new_class_handler ("commit-input", type, flags,
      G_CALLBACK (gst_voice_live_sink_commit_input), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 0);
  /**
   * GstVoiceLiveSink::clear-input:
   * @sink: the #voicelivesink
   *
   * Drops the uncommitted input audio (here and on the service).
   *
   * Returns: %TRUE if accepted
   *
   * Since: 0.1
   */
  g_signal_new_class_handler ("clear-input", type, flags,
      G_CALLBACK (gst_voice_live_sink_clear_input), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 0);
  /**
   * GstVoiceLiveSink::update-session:
   * @sink: the #voicelivesink
   * @json: a JSON object of session fields
   *
   * Sends session.update with these fields, and merges them into every
   * later full session.update (after a reconnect).
   *
   * Returns: %TRUE if accepted; %FALSE for anything but a JSON object
   *
   * Since: 0.1
   */
  g_signal_new_class_handler ("update-session", type, flags,
      G_CALLBACK (gst_voice_live_sink_update_session), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
  /**
   * GstVoiceLiveSink::send-event:
   * @sink: the #voicelivesink
   * @json: a client event: a JSON object with a string "type"
   *
   * Sends a raw client event (the escape hatch for protocol features
   * without a property or signal).
   *
   * Returns: %TRUE if accepted; %FALSE for anything but a JSON object with
   * a string "type"
   *
   * Since: 0.1
   */
  g_signal_new_class_handler ("send-event", type, flags,
      G_CALLBACK (gst_voice_live_sink_send_event_json), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
}

#define READY_PARAM (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY | GST_PARAM_DOC_SHOW_DEFAULT)
#define SECRET_PARAM (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY)
#define LIVE_PARAM (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_PLAYING | GST_PARAM_DOC_SHOW_DEFAULT)

#define INSTALL(id, spec) \
  g_object_class_install_property (gobject_class, id, spec)

static void
install_connection_properties (GObjectClass * gobject_class)
{
  /**
   * GstVoiceLiveSink:session-name:
   *
   * Pairs this sink with the #voicelivesrc of the same name: they share one
   * WebSocket session. Different names are independent agents.
   *
   * Since: 0.1
   */
  INSTALL (PROP_SESSION_NAME, g_param_spec_string ("session-name",
          "Session name", "Name shared with the voicelivesrc that plays this "
          "session's answers; different names are independent sessions",
          DEFAULT_SESSION_NAME, READY_PARAM));
  /**
   * GstVoiceLiveSink:endpoint:
   *
   * Since: 0.1
   */
  INSTALL (PROP_ENDPOINT, g_param_spec_string ("endpoint", "Endpoint",
          "Resource URL (https://<resource>.services.ai.azure.com: the "
          "/voice-live/realtime path is added) or a full wss:// URL whose "
          "path is kept (Azure OpenAI .../openai/realtime?deployment=..., "
          "OpenAI wss://api.openai.com/v1/realtime?model=...); ws:// only to "
          "loopback. Unset: $AZURE_VOICE_LIVE_ENDPOINT", NULL, READY_PARAM));
  /**
   * GstVoiceLiveSink:api-key:
   *
   * Write-only; sent in the `api-key` header, never in the URL or logs.
   *
   * Since: 0.1
   */
  INSTALL (PROP_API_KEY, g_param_spec_string ("api-key", "API key",
          "Resource key, sent in the api-key header (OpenAI: as a bearer "
          "token); write-only, never logged. Unset: $AZURE_VOICE_LIVE_API_KEY",
          NULL, SECRET_PARAM));
  /**
   * GstVoiceLiveSink:access-token:
   *
   * Since: 0.1
   */
  INSTALL (PROP_ACCESS_TOKEN, g_param_spec_string ("access-token",
          "Access token", "Microsoft Entra ID bearer token, sent as "
          "Authorization: Bearer (write-only, never logged)", NULL,
          SECRET_PARAM));
  /**
   * GstVoiceLiveSink:api-version:
   *
   * Since: 0.1
   */
  INSTALL (PROP_API_VERSION, g_param_spec_string ("api-version",
          "API version", "api-version query parameter (2025-05-01-preview "
          "sends end-of-utterance as threshold/timeout in seconds). Left at "
          "the default: $AZURE_VOICE_LIVE_API_VERSION if set",
          DEFAULT_API_VERSION, READY_PARAM));
  /**
   * GstVoiceLiveSink:model:
   *
   * Since: 0.1
   */
  INSTALL (PROP_MODEL, g_param_spec_string ("model", "Model",
          "model query parameter (gpt-4o, gpt-realtime, ...). Left at the "
          "default: $VOICE_LIVE_MODEL if set", DEFAULT_MODEL, READY_PARAM));
  /**
   * GstVoiceLiveSink:agent-name:
   *
   * Since: 0.1
   */
  INSTALL (PROP_AGENT_NAME, g_param_spec_string ("agent-name", "Agent name",
          "Foundry agent mode: agent-name query parameter, sent instead of "
          "model", NULL, READY_PARAM));
  /**
   * GstVoiceLiveSink:agent-project-name:
   *
   * Since: 0.1
   */
  INSTALL (PROP_AGENT_PROJECT_NAME, g_param_spec_string ("agent-project-name",
          "Agent project name", "Foundry agent mode: agent-project-name query "
          "parameter", NULL, READY_PARAM));
  /**
   * GstVoiceLiveSink:ssl-strict:
   *
   * Since: 0.1
   */
  INSTALL (PROP_SSL_STRICT, g_param_spec_boolean ("ssl-strict", "SSL strict",
          "Refuse TLS certificates that do not verify", DEFAULT_SSL_STRICT,
          READY_PARAM));
  /**
   * GstVoiceLiveSink:ssl-ca-file:
   *
   * Since: 0.1
   */
  INSTALL (PROP_SSL_CA_FILE, g_param_spec_string ("ssl-ca-file",
          "SSL CA file", "PEM file of CA certificates to verify the server "
          "with, instead of the system's", NULL, READY_PARAM));
  /**
   * GstVoiceLiveSink:connect-timeout:
   *
   * Since: 0.1
   */
  INSTALL (PROP_CONNECT_TIMEOUT, g_param_spec_uint ("connect-timeout",
          "Connect timeout", "Seconds to wait for the WebSocket upgrade "
          "(0 = no limit)", 0, 3600, DEFAULT_CONNECT_TIMEOUT, READY_PARAM));
  /**
   * GstVoiceLiveSink:keepalive-interval:
   *
   * Since: 0.1
   */
  INSTALL (PROP_KEEPALIVE_INTERVAL, g_param_spec_uint ("keepalive-interval",
          "Keepalive interval", "Seconds between WebSocket pings (0 = none)",
          0, 3600, DEFAULT_KEEPALIVE_INTERVAL, READY_PARAM));
  /**
   * GstVoiceLiveSink:chunk-ms:
   *
   * Since: 0.1
   */
  INSTALL (PROP_CHUNK_MS, g_param_spec_uint ("chunk-ms", "Chunk duration",
          "Audio per input_audio_buffer.append message (ms)", 10, 1000,
          DEFAULT_CHUNK_MS, READY_PARAM));
  /**
   * GstVoiceLiveSink:drain-timeout:
   *
   * Since: 0.1
   */
  INSTALL (PROP_DRAIN_TIMEOUT, g_param_spec_uint ("drain-timeout",
          "Drain timeout", "At end of stream, how long to wait for the last "
          "answer (ms) before ending anyway", 0, G_MAXINT,
          DEFAULT_DRAIN_TIMEOUT, READY_PARAM));
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
  INSTALL (PROP_MAX_RECONNECT_ATTEMPTS, g_param_spec_uint
      ("max-reconnect-attempts", "Max reconnect attempts",
          "Reconnect attempts in a row after a working connection breaks, "
          "with exponential back-off (0 = error at once)", 0, 1000,
          DEFAULT_MAX_RECONNECT_ATTEMPTS, READY_PARAM));
  /**
   * GstVoiceLiveSink:restore-conversation:
   *
   * Since: 0.1
   */
  INSTALL (PROP_RESTORE_CONVERSATION, g_param_spec_boolean
      ("restore-conversation", "Restore conversation",
          "After a reconnect, replay the conversation so far (the user's "
          "transcripts and the agent's answers) as text items",
          DEFAULT_RESTORE_CONVERSATION, READY_PARAM));
}

static void
install_session_properties (GObjectClass * gobject_class)
{
  /**
   * GstVoiceLiveSink:instructions:
   *
   * Since: 0.1
   */
  INSTALL (PROP_INSTRUCTIONS, g_param_spec_string ("instructions",
          "Instructions", "session.instructions: the system prompt. Unset: "
          "not sent (service default)", NULL, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:temperature:
   *
   * Since: 0.1
   */
  INSTALL (PROP_TEMPERATURE, g_param_spec_double ("temperature",
          "Temperature", "session.temperature, sampling temperature of the "
          "model (service range 0.6-1.2, default 0.8); sent only when set",
          0.6, 1.2, GST_VOICE_LIVE_DEFAULT_TEMPERATURE, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:max-response-output-tokens:
   *
   * Since: 0.1
   */
  INSTALL (PROP_MAX_TOKENS, g_param_spec_int ("max-response-output-tokens",
          "Max response output tokens", "session.max_response_output_tokens, "
          "tokens per response (1-4096; 0 = \"inf\", the service default); "
          "sent only when set", 0, 4096, 0, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:modalities:
   *
   * Since: 0.1
   */
  INSTALL (PROP_MODALITIES, g_param_spec_flags ("modalities", "Modalities",
          "session.modalities: text, or text+audio (service default); audio "
          "alone is refused; sent only when set",
          GST_TYPE_VOICE_LIVE_MODALITIES,
          GST_VOICE_LIVE_MODALITIES_TEXT | GST_VOICE_LIVE_MODALITIES_AUDIO,
          LIVE_PARAM));
  /**
   * GstVoiceLiveSink:tools:
   *
   * Since: 0.1
   */
  INSTALL (PROP_TOOLS, g_param_spec_string ("tools", "Tools",
          "session.tools: a JSON array of tool objects, each with \"type\" "
          "and \"name\" (function tools: also \"description\", "
          "\"parameters\"). Unset: not sent", NULL, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:tool-choice:
   *
   * Since: 0.1
   */
  INSTALL (PROP_TOOL_CHOICE, g_param_spec_string ("tool-choice",
          "Tool choice", "session.tool_choice: auto, none, required, or a "
          "function name (sent as {type: function, name}). Unset: not sent "
          "(service default auto)", NULL, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:transcription-model:
   *
   * Since: 0.1
   */
  INSTALL (PROP_TRANSCRIPTION_MODEL, g_param_spec_string
      ("transcription-model", "Transcription model",
          "session.input_audio_transcription.model: azure-speech, "
          "mai-transcribe, whisper-1, gpt-4o-transcribe, ... (empty string: "
          "null, off). Unset: not sent (off)", NULL, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:transcription-language:
   *
   * Since: 0.1
   */
  INSTALL (PROP_TRANSCRIPTION_LANGUAGE, g_param_spec_string
      ("transcription-language", "Transcription language",
          "session.input_audio_transcription.language: BCP-47 (en-US), "
          "ISO-639-1 (en) or a comma list for auto-detection (en,zh); with "
          "transcription-model", NULL, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:phrase-list:
   *
   * Since: 0.1
   */
  INSTALL (PROP_PHRASE_LIST, g_param_spec_string ("phrase-list",
          "Phrase list", "session.input_audio_transcription.phrase_list: "
          "comma-separated phrases that help recognition (azure-speech); "
          "with transcription-model", NULL, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:turn-detection:
   *
   * Since: 0.1
   */
  INSTALL (PROP_TURN_DETECTION, g_param_spec_enum ("turn-detection",
          "Turn detection", "session.turn_detection.type; none sends null "
          "(manual turns: the end of input is committed and answered); "
          "default: not sent (the service uses server VAD)",
          GST_TYPE_VOICE_LIVE_TURN_DETECTION,
          GST_VOICE_LIVE_TURN_DETECTION_DEFAULT, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:vad-threshold:
   *
   * Since: 0.1
   */
  INSTALL (PROP_VAD_THRESHOLD, g_param_spec_double ("vad-threshold",
          "VAD threshold", "session.turn_detection.threshold, speech "
          "probability above which audio counts as speech (0.0-1.0, service "
          "default 0.5); sent only when set", 0.0, 1.0,
          GST_VOICE_LIVE_DEFAULT_VAD_THRESHOLD, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:prefix-padding-ms:
   *
   * Since: 0.1
   */
  INSTALL (PROP_PREFIX_PADDING_MS, g_param_spec_int ("prefix-padding-ms",
          "Prefix padding", "session.turn_detection.prefix_padding_ms, audio "
          "kept before detected speech (ms, service default 300); sent only "
          "when set", 0, 5000, GST_VOICE_LIVE_DEFAULT_PREFIX_PADDING_MS,
          LIVE_PARAM));
  /**
   * GstVoiceLiveSink:silence-duration-ms:
   *
   * Since: 0.1
   */
  INSTALL (PROP_SILENCE_DURATION_MS, g_param_spec_int ("silence-duration-ms",
          "Silence duration", "session.turn_detection.silence_duration_ms, "
          "silence that ends a turn (ms, service default 500); sent only when "
          "set", 0, 10000, GST_VOICE_LIVE_DEFAULT_SILENCE_DURATION_MS,
          LIVE_PARAM));
  /**
   * GstVoiceLiveSink:speech-duration-ms:
   *
   * Since: 0.1
   */
  INSTALL (PROP_SPEECH_DURATION_MS, g_param_spec_int ("speech-duration-ms",
          "Speech duration", "session.turn_detection.speech_duration_ms, "
          "speech needed before a turn starts (ms, service default 200 for "
          "server VAD, 80 for Azure semantic VAD); sent only when set", 0,
          10000, GST_VOICE_LIVE_DEFAULT_SPEECH_DURATION_MS, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:remove-filler-words:
   *
   * Since: 0.1
   */
  INSTALL (PROP_REMOVE_FILLER_WORDS, g_param_spec_boolean
      ("remove-filler-words", "Remove filler words",
          "session.turn_detection.remove_filler_words: ignore \"umm\", "
          "\"ah\"... (Azure semantic VAD; service default false); sent only "
          "when set", FALSE, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:create-response:
   *
   * Since: 0.1
   */
  INSTALL (PROP_CREATE_RESPONSE, g_param_spec_boolean ("create-response",
          "Create response", "session.turn_detection.create_response: answer "
          "each detected turn (service default true); sent only when set",
          TRUE, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:interrupt-response:
   *
   * Since: 0.1
   */
  INSTALL (PROP_INTERRUPT_RESPONSE, g_param_spec_boolean
      ("interrupt-response", "Interrupt response",
          "session.turn_detection.interrupt_response: speech cancels the "
          "response in progress (service default true); sent only when set",
          TRUE, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:auto-truncate:
   *
   * Since: 0.1
   */
  INSTALL (PROP_AUTO_TRUNCATE, g_param_spec_boolean ("auto-truncate",
          "Auto truncate", "session.turn_detection.auto_truncate: the "
          "service truncates interrupted answers itself, so voicelivesrc "
          "sends no truncate (service default false); sent only when set",
          FALSE, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:end-of-utterance-model:
   *
   * Since: 0.1
   */
  INSTALL (PROP_EOU_MODEL, g_param_spec_enum ("end-of-utterance-model",
          "End-of-utterance model", "session.turn_detection."
          "end_of_utterance_detection.model (none: not sent)",
          GST_TYPE_VOICE_LIVE_EOU_MODEL, GST_VOICE_LIVE_EOU_MODEL_NONE,
          LIVE_PARAM));
  /**
   * GstVoiceLiveSink:end-of-utterance-threshold:
   *
   * Since: 0.1
   */
  INSTALL (PROP_EOU_THRESHOLD, g_param_spec_enum
      ("end-of-utterance-threshold", "End-of-utterance threshold",
          "end_of_utterance_detection.threshold_level (2025-05-01-preview: "
          "threshold 0.005/0.01/0.1); with end-of-utterance-model",
          GST_TYPE_VOICE_LIVE_EOU_THRESHOLD,
          GST_VOICE_LIVE_EOU_THRESHOLD_DEFAULT, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:end-of-utterance-timeout-ms:
   *
   * Since: 0.1
   */
  INSTALL (PROP_EOU_TIMEOUT_MS, g_param_spec_int
      ("end-of-utterance-timeout-ms", "End-of-utterance timeout",
          "end_of_utterance_detection.timeout_ms, longest wait for the end of "
          "an utterance (ms, service default 1000; 2025-05-01-preview: "
          "timeout in seconds); with end-of-utterance-model", 0, 60000,
          GST_VOICE_LIVE_DEFAULT_EOU_TIMEOUT_MS, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:noise-reduction:
   *
   * Since: 0.1
   */
  INSTALL (PROP_NOISE_REDUCTION, g_param_spec_enum ("noise-reduction",
          "Noise reduction", "session.input_audio_noise_reduction.type (none: "
          "null); sent only when set", GST_TYPE_VOICE_LIVE_NOISE_REDUCTION,
          GST_VOICE_LIVE_NOISE_REDUCTION_NONE, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:echo-cancellation:
   *
   * Since: 0.1
   */
  INSTALL (PROP_ECHO_CANCELLATION, g_param_spec_enum ("echo-cancellation",
          "Echo cancellation", "session.input_audio_echo_cancellation.type "
          "(none: null); sent only when set",
          GST_TYPE_VOICE_LIVE_ECHO_CANCELLATION,
          GST_VOICE_LIVE_ECHO_CANCELLATION_NONE, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:voice:
   *
   * Since: 0.1
   */
  INSTALL (PROP_VOICE, g_param_spec_string ("voice", "Voice",
          "session.voice.name: an OpenAI voice (alloy, ash, ballad, coral, "
          "echo, sage, shimmer, verse, marin, cedar) or an Azure voice "
          "(en-US-AvaNeural, en-US-Ava:DragonHDLatestNeural). Unset: not "
          "sent", NULL, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:voice-type:
   *
   * Since: 0.1
   */
  INSTALL (PROP_VOICE_TYPE, g_param_spec_enum ("voice-type", "Voice type",
          "session.voice.type; auto: openai for OpenAI names, azure-custom "
          "with voice-endpoint-id, else azure-standard",
          GST_TYPE_VOICE_LIVE_VOICE_TYPE, GST_VOICE_LIVE_VOICE_TYPE_AUTO,
          LIVE_PARAM));
  /**
   * GstVoiceLiveSink:voice-temperature:
   *
   * Since: 0.1
   */
  INSTALL (PROP_VOICE_TEMPERATURE, g_param_spec_double ("voice-temperature",
          "Voice temperature", "session.voice.temperature, variation of "
          "Azure HD voices (0.0-1.0); -1: not sent", -1.0, 1.0, -1.0,
          LIVE_PARAM));
  /**
   * GstVoiceLiveSink:voice-rate:
   *
   * Since: 0.1
   */
  INSTALL (PROP_VOICE_RATE, g_param_spec_string ("voice-rate", "Voice rate",
          "session.voice.rate, speaking rate of Azure voices in SSML prosody "
          "form (\"1.2\", \"+10%\", \"slow\"; service range 0.5-1.5). "
          "Unset: not sent", NULL, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:voice-endpoint-id:
   *
   * Since: 0.1
   */
  INSTALL (PROP_VOICE_ENDPOINT_ID, g_param_spec_string ("voice-endpoint-id",
          "Voice endpoint id", "session.voice.endpoint_id of a custom neural "
          "voice (makes voice-type auto send azure-custom)", NULL, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:word-timestamps:
   *
   * Since: 0.1
   */
  INSTALL (PROP_WORD_TIMESTAMPS, g_param_spec_boolean ("word-timestamps",
          "Word timestamps", "session.output_audio_timestamp_types [\"word\"]"
          ": response.audio_timestamp.delta events (Azure voices); sent only "
          "when set", FALSE, LIVE_PARAM));
  /**
   * GstVoiceLiveSink:visemes:
   *
   * Since: 0.1
   */
  INSTALL (PROP_VISEMES, g_param_spec_boolean ("visemes", "Visemes",
          "session.animation.outputs [\"viseme_id\"]: "
          "response.animation_viseme.delta events (Azure voices); sent only "
          "when set", FALSE, LIVE_PARAM));
}

static void
gst_voice_live_sink_class_init (GstVoiceLiveSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *basesink_class = GST_BASE_SINK_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (voicelivesink_debug, "voicelivesink", 0,
      "Voice Live sink");

  gobject_class->set_property = gst_voice_live_sink_set_property;
  gobject_class->get_property = gst_voice_live_sink_get_property;
  gobject_class->dispose = gst_voice_live_sink_dispose;
  gobject_class->finalize = gst_voice_live_sink_finalize;

  install_connection_properties (gobject_class);
  install_session_properties (gobject_class);
  install_signals (klass);
  /**
   * GstVoiceLiveSink:stats:
   *
   * Counters of the current run, reset when streaming starts (guint64):
   * bytes-sent, audio-ms-sent, bytes-received, audio-ms-received,
   * input-ms-dropped, output-ms-dropped (answer audio beyond the
   * voicelivesrc's max-queue-ms), responses, reconnects; and the last
   * turn's latency (gint64 ms, -1 before any):
   * last-speech-stopped-to-first-audio-ms, last-first-audio-to-playback-ms.
   *
   * Since: 0.1
   */
  INSTALL (PROP_STATS, g_param_spec_boxed ("stats", "Statistics",
          "Session counters (voicelive/stats): bytes-sent, audio-ms-sent, "
          "bytes-received, audio-ms-received, input-ms-dropped, "
          "output-ms-dropped, responses, reconnects, max-send-delay-us (longest wait of an append between "
          "this element and libsoup), last-speech-stopped-to-first-audio-ms, "
          "last-first-audio-to-playback-ms", GST_TYPE_STRUCTURE,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class,
      "Voice Live agent sink", "Sink/Audio/Network",
      "Streams audio to a real-time voice agent (Azure AI Voice Live or an "
      "OpenAI-Realtime-compatible service)", "gst-voicelive developers");

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_voice_live_sink_change_state);
  basesink_class->start = GST_DEBUG_FUNCPTR (gst_voice_live_sink_start);
  basesink_class->stop = GST_DEBUG_FUNCPTR (gst_voice_live_sink_stop);
  basesink_class->set_caps = GST_DEBUG_FUNCPTR (gst_voice_live_sink_set_caps);
  basesink_class->render = GST_DEBUG_FUNCPTR (gst_voice_live_sink_render);
  basesink_class->event = GST_DEBUG_FUNCPTR (gst_voice_live_sink_event);
  basesink_class->query = GST_DEBUG_FUNCPTR (gst_voice_live_sink_query);
  basesink_class->unlock = GST_DEBUG_FUNCPTR (gst_voice_live_sink_unlock);
  basesink_class->unlock_stop =
      GST_DEBUG_FUNCPTR (gst_voice_live_sink_unlock_stop);

  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_TURN_DETECTION, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_NOISE_REDUCTION, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_ECHO_CANCELLATION, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_EOU_MODEL, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_EOU_THRESHOLD, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_VOICE_TYPE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_MODALITIES, 0);
}
