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

enum
{
  PROP_0,
  PROP_SESSION_NAME,
  PROP_ENDPOINT,
  PROP_API_KEY,
  PROP_ACCESS_TOKEN,
  PROP_API_VERSION,
  PROP_MODEL,
  PROP_SSL_STRICT,
  PROP_SSL_CA_FILE,
  PROP_CONNECT_TIMEOUT,
  PROP_KEEPALIVE_INTERVAL,
  PROP_INSTRUCTIONS,
  PROP_TURN_DETECTION,
  PROP_VAD_THRESHOLD,
  PROP_PREFIX_PADDING_MS,
  PROP_SILENCE_DURATION_MS,
  PROP_VOICE,
  PROP_CHUNK_MS,
  PROP_DRAIN_TIMEOUT,
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
  gboolean ssl_strict;
  gchar *ssl_ca_file;
  guint connect_timeout;
  guint keepalive_interval;
  GstVoiceLiveConfig config;
  guint chunk_ms;
  guint drain_timeout;

  /* Streaming state */
  GstVoiceLiveSession *session;
  GstAdapter *adapter;
  GString *frame;
  gboolean connecting;
  GstVoiceLiveAudioFormat in_format;
  gsize chunk_bytes;
  guint8 silence_byte;
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
gst_voice_live_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_SESSION_NAME:
      g_free (self->session_name);
      self->session_name = g_value_dup_string (value);
      if (!self->session_name)
        self->session_name = g_strdup (DEFAULT_SESSION_NAME);
      break;
    case PROP_ENDPOINT:
      g_free (self->endpoint);
      self->endpoint = g_value_dup_string (value);
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
      g_free (self->api_version);
      self->api_version = g_value_dup_string (value);
      break;
    case PROP_MODEL:
      g_free (self->model);
      self->model = g_value_dup_string (value);
      break;
    case PROP_SSL_STRICT:
      self->ssl_strict = g_value_get_boolean (value);
      break;
    case PROP_SSL_CA_FILE:
      g_free (self->ssl_ca_file);
      self->ssl_ca_file = g_value_dup_string (value);
      break;
    case PROP_CONNECT_TIMEOUT:
      self->connect_timeout = g_value_get_uint (value);
      break;
    case PROP_KEEPALIVE_INTERVAL:
      self->keepalive_interval = g_value_get_uint (value);
      break;
    case PROP_INSTRUCTIONS:
      g_free (self->config.instructions);
      self->config.instructions = g_value_dup_string (value);
      break;
    case PROP_TURN_DETECTION:
      self->config.turn_detection = g_value_get_enum (value);
      break;
    case PROP_VAD_THRESHOLD:
      self->config.vad_threshold = g_value_get_double (value);
      break;
    case PROP_PREFIX_PADDING_MS:
      self->config.prefix_padding_ms = g_value_get_int (value);
      break;
    case PROP_SILENCE_DURATION_MS:
      self->config.silence_duration_ms = g_value_get_int (value);
      break;
    case PROP_VOICE:
      g_free (self->config.voice);
      self->config.voice = g_value_dup_string (value);
      if (self->config.voice && !*self->config.voice)
        g_clear_pointer (&self->config.voice, g_free);
      break;
    case PROP_CHUNK_MS:
      self->chunk_ms = g_value_get_uint (value);
      break;
    case PROP_DRAIN_TIMEOUT:
      self->drain_timeout = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_voice_live_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (object);

  GST_OBJECT_LOCK (self);
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
    case PROP_INSTRUCTIONS:
      g_value_set_string (value, self->config.instructions);
      break;
    case PROP_TURN_DETECTION:
      g_value_set_enum (value, self->config.turn_detection);
      break;
    case PROP_VAD_THRESHOLD:
      g_value_set_double (value, self->config.vad_threshold);
      break;
    case PROP_PREFIX_PADDING_MS:
      g_value_set_int (value, self->config.prefix_padding_ms);
      break;
    case PROP_SILENCE_DURATION_MS:
      g_value_set_int (value, self->config.silence_duration_ms);
      break;
    case PROP_VOICE:
      g_value_set_string (value, self->config.voice);
      break;
    case PROP_CHUNK_MS:
      g_value_set_uint (value, self->chunk_ms);
      break;
    case PROP_DRAIN_TIMEOUT:
      g_value_set_uint (value, self->drain_timeout);
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
  gchar *endpoint, *api_version, *model;
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
  p->ssl_strict = self->ssl_strict;
  p->ssl_ca_file = g_strdup (self->ssl_ca_file);
  p->connect_timeout_s = self->connect_timeout;
  p->keepalive_interval_s = self->keepalive_interval;
  gst_voice_live_config_copy (&p->config, &self->config);
  GST_OBJECT_UNLOCK (self);

  p->url = gst_voice_live_build_url (endpoint, api_version, model,
      &p->openai_beta, &err);
  g_free (endpoint);
  g_free (api_version);
  g_free (model);

  if (!p->url) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s", err->message),
        ("invalid endpoint property"));
    g_clear_error (&err);
    gst_voice_live_connect_params_free (p);
    return NULL;
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

      GST_OBJECT_LOCK (self);
      name = g_strdup (self->session_name);
      GST_OBJECT_UNLOCK (self);
      self->session = gst_voice_live_session_acquire (name, element, TRUE,
          &err);
      g_free (name);
      if (!self->session) {
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
      if (self->session) {
        gst_voice_live_session_release (self->session, element);
        self->session = NULL;
      }
      break;
    case GST_STATE_CHANGE_NULL_TO_READY:
      if (ret == GST_STATE_CHANGE_FAILURE && self->session) {
        gst_voice_live_session_release (self->session, element);
        self->session = NULL;
      }
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

  gst_adapter_clear (self->adapter);
  self->connecting = FALSE;
  gst_voice_live_session_set_sink_flushing (self->session, FALSE);
  return TRUE;
}

static gboolean
gst_voice_live_sink_stop (GstBaseSink * bsink)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (bsink);

  gst_voice_live_session_stop (self->session);
  self->connecting = FALSE;
  gst_adapter_clear (self->adapter);
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
    self->connecting = TRUE;
  }
  GST_DEBUG_OBJECT (self, "input %s at %u Hz, %" G_GSIZE_FORMAT
      " bytes per chunk", gst_voice_live_audio_format_input_wire (fmt),
      gst_voice_live_audio_format_rate (fmt), self->chunk_bytes);
  return TRUE;
}

static void
send_chunk (GstVoiceLiveSink * self, const guint8 * data, gsize len)
{
  gst_voice_live_build_append (self->frame, data, len);
  gst_voice_live_session_send (self->session,
      g_strndup (self->frame->str, self->frame->len), len);
}

static GstFlowReturn
gst_voice_live_sink_render (GstBaseSink * bsink, GstBuffer * buffer)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (bsink);

  if (gst_voice_live_session_has_failed (self->session))
    return GST_FLOW_ERROR;

  gst_adapter_push (self->adapter, gst_buffer_ref (buffer));
  while (gst_adapter_available (self->adapter) >= self->chunk_bytes) {
    const guint8 *data = gst_adapter_map (self->adapter, self->chunk_bytes);

    send_chunk (self, data, self->chunk_bytes);
    gst_adapter_unmap (self->adapter);
    gst_adapter_flush (self->adapter, self->chunk_bytes);
  }
  return GST_FLOW_OK;
}

/* End of input: send what is left, close the turn, and wait (bounded) for
 * the answer so the src ends with the whole of it. */
static void
gst_voice_live_sink_drain (GstVoiceLiveSink * self)
{
  gsize left = gst_adapter_available (self->adapter);
  gboolean manual;
  guint drain_timeout;
  gint silence_ms;

  if (!self->connecting) {
    gst_voice_live_session_finish_input (self->session, FALSE, 0);
    return;
  }
  if (left > 0) {
    const guint8 *data = gst_adapter_map (self->adapter, left);

    send_chunk (self, data, left);
    gst_adapter_unmap (self->adapter);
    gst_adapter_flush (self->adapter, left);
  }

  GST_OBJECT_LOCK (self);
  manual = self->config.turn_detection == GST_VOICE_LIVE_TURN_DETECTION_NONE;
  silence_ms = self->config.silence_duration_ms;
  drain_timeout = self->drain_timeout;
  GST_OBJECT_UNLOCK (self);

  if (!manual) {
    /* Trailing silence lets server VAD end a turn cut off by the end of
     * the input: the silence window plus a margin. */
    gsize total_ms = (silence_ms > 0 ? silence_ms : 500) + 500;
    gsize bytes = total_ms / 20 * self->chunk_bytes * 20 /
        MAX (self->chunk_bytes * 1000 / (gst_voice_live_audio_format_rate
            (self->in_format) * gst_voice_live_audio_format_bytes_per_sample
            (self->in_format)), 1);
    guint8 *zeros = g_malloc (self->chunk_bytes);

    memset (zeros, self->silence_byte, self->chunk_bytes);
    while (bytes >= self->chunk_bytes) {
      send_chunk (self, zeros, self->chunk_bytes);
      bytes -= self->chunk_bytes;
    }
    g_free (zeros);
  }
  GST_DEBUG_OBJECT (self, "draining (manual turns: %d)", manual);
  if (!gst_voice_live_session_finish_input (self->session, manual,
          drain_timeout))
    GST_DEBUG_OBJECT (self, "drain interrupted");
}

static gboolean
gst_voice_live_sink_event (GstBaseSink * bsink, GstEvent * event)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (bsink);

  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS)
    gst_voice_live_sink_drain (self);

  return GST_BASE_SINK_CLASS (parent_class)->event (bsink, event);
}

static gboolean
gst_voice_live_sink_unlock (GstBaseSink * bsink)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (bsink);

  if (self->session)
    gst_voice_live_session_set_sink_flushing (self->session, TRUE);
  return TRUE;
}

static gboolean
gst_voice_live_sink_unlock_stop (GstBaseSink * bsink)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (bsink);

  if (self->session)
    gst_voice_live_session_set_sink_flushing (self->session, FALSE);
  return TRUE;
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
  g_free (self->ssl_ca_file);
  gst_voice_live_config_clear (&self->config);
  g_object_unref (self->adapter);
  g_string_free (self->frame, TRUE);

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
  gst_voice_live_config_init (&self->config);
  self->adapter = gst_adapter_new ();
  self->frame = g_string_sized_new (4096);

  gst_base_sink_set_sync (GST_BASE_SINK (self), TRUE);
}

#define READY_PARAM (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY | GST_PARAM_DOC_SHOW_DEFAULT)
#define SECRET_PARAM (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY)

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
  gobject_class->finalize = gst_voice_live_sink_finalize;

  /**
   * GstVoiceLiveSink:session-name:
   *
   * Pairs this sink with the #voicelivesrc of the same name: they share one
   * WebSocket session. Different names are independent agents.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_SESSION_NAME,
      g_param_spec_string ("session-name", "Session name",
          "Name shared with the voicelivesrc that plays this session's "
          "answers; different names are independent sessions",
          DEFAULT_SESSION_NAME, READY_PARAM));
  /**
   * GstVoiceLiveSink:endpoint:
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_ENDPOINT,
      g_param_spec_string ("endpoint", "Endpoint",
          "Resource URL (https://<resource>.services.ai.azure.com: the "
          "/voice-live/realtime path is added) or a full wss:// URL whose path "
          "is kept; ws:// only to loopback. Unset: $AZURE_VOICE_LIVE_ENDPOINT",
          NULL, READY_PARAM));
  /**
   * GstVoiceLiveSink:api-key:
   *
   * Write-only; sent in the `api-key` header, never in the URL or logs.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_API_KEY,
      g_param_spec_string ("api-key", "API key",
          "Resource key, sent in the api-key header (write-only, never "
          "logged). Unset: $AZURE_VOICE_LIVE_API_KEY", NULL, SECRET_PARAM));
  /**
   * GstVoiceLiveSink:access-token:
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_ACCESS_TOKEN,
      g_param_spec_string ("access-token", "Access token",
          "Microsoft Entra ID bearer token, sent as Authorization: Bearer "
          "(write-only, never logged)", NULL, SECRET_PARAM));
  /**
   * GstVoiceLiveSink:api-version:
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_API_VERSION,
      g_param_spec_string ("api-version", "API version",
          "api-version query parameter. Left at the default: "
          "$AZURE_VOICE_LIVE_API_VERSION if set", DEFAULT_API_VERSION,
          READY_PARAM));
  /**
   * GstVoiceLiveSink:model:
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "model query parameter (gpt-4o, gpt-realtime, ...). Left at the "
          "default: $VOICE_LIVE_MODEL if set", DEFAULT_MODEL, READY_PARAM));
  /**
   * GstVoiceLiveSink:ssl-strict:
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_SSL_STRICT,
      g_param_spec_boolean ("ssl-strict", "SSL strict",
          "Refuse TLS certificates that do not verify", DEFAULT_SSL_STRICT,
          READY_PARAM));
  /**
   * GstVoiceLiveSink:ssl-ca-file:
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_SSL_CA_FILE,
      g_param_spec_string ("ssl-ca-file", "SSL CA file",
          "PEM file of CA certificates to verify the server with, instead of "
          "the system's", NULL, READY_PARAM));
  /**
   * GstVoiceLiveSink:connect-timeout:
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_CONNECT_TIMEOUT,
      g_param_spec_uint ("connect-timeout", "Connect timeout",
          "Seconds to wait for the WebSocket upgrade (0 = no limit)", 0, 3600,
          DEFAULT_CONNECT_TIMEOUT, READY_PARAM));
  /**
   * GstVoiceLiveSink:keepalive-interval:
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_KEEPALIVE_INTERVAL,
      g_param_spec_uint ("keepalive-interval", "Keepalive interval",
          "Seconds between WebSocket pings (0 = none)", 0, 3600,
          DEFAULT_KEEPALIVE_INTERVAL, READY_PARAM));
  /**
   * GstVoiceLiveSink:instructions:
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_INSTRUCTIONS,
      g_param_spec_string ("instructions", "Instructions",
          "System prompt (session.instructions). Unset: not sent", NULL,
          READY_PARAM));
  /**
   * GstVoiceLiveSink:turn-detection:
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_TURN_DETECTION,
      g_param_spec_enum ("turn-detection", "Turn detection",
          "session.turn_detection.type; none sends null (manual turns: the "
          "end of input is committed and answered); default: not sent",
          GST_TYPE_VOICE_LIVE_TURN_DETECTION,
          GST_VOICE_LIVE_TURN_DETECTION_DEFAULT, READY_PARAM));
  /**
   * GstVoiceLiveSink:vad-threshold:
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_VAD_THRESHOLD,
      g_param_spec_double ("vad-threshold", "VAD threshold",
          "turn_detection.threshold, 0.0-1.0 (service default 0.5); -1: not "
          "sent", -1.0, 1.0, -1.0, READY_PARAM));
  /**
   * GstVoiceLiveSink:prefix-padding-ms:
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_PREFIX_PADDING_MS,
      g_param_spec_int ("prefix-padding-ms", "Prefix padding",
          "turn_detection.prefix_padding_ms, audio kept before speech starts "
          "(ms); -1: not sent", -1, 10000, -1, READY_PARAM));
  /**
   * GstVoiceLiveSink:silence-duration-ms:
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_SILENCE_DURATION_MS,
      g_param_spec_int ("silence-duration-ms", "Silence duration",
          "turn_detection.silence_duration_ms, silence that ends a turn (ms; "
          "service default 500); -1: not sent", -1, 10000, -1, READY_PARAM));
  /**
   * GstVoiceLiveSink:voice:
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_VOICE,
      g_param_spec_string ("voice", "Voice",
          "session.voice.name: an OpenAI voice (alloy, ash, ...; sent as type "
          "openai) or an Azure voice (en-US-AvaNeural, "
          "en-US-Ava:DragonHDLatestNeural; type azure-standard). Unset: not "
          "sent", NULL, READY_PARAM));
  /**
   * GstVoiceLiveSink:chunk-ms:
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_CHUNK_MS,
      g_param_spec_uint ("chunk-ms", "Chunk duration",
          "Audio per input_audio_buffer.append message (ms)", 10, 1000,
          DEFAULT_CHUNK_MS, READY_PARAM));
  /**
   * GstVoiceLiveSink:drain-timeout:
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_DRAIN_TIMEOUT,
      g_param_spec_uint ("drain-timeout", "Drain timeout",
          "At end of stream, how long to wait for the last answer (ms) "
          "before ending anyway", 0, G_MAXINT, DEFAULT_DRAIN_TIMEOUT,
          READY_PARAM));

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
  basesink_class->unlock = GST_DEBUG_FUNCPTR (gst_voice_live_sink_unlock);
  basesink_class->unlock_stop =
      GST_DEBUG_FUNCPTR (gst_voice_live_sink_unlock_stop);

  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_TURN_DETECTION, 0);
}
