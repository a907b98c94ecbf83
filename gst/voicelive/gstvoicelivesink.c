/* gst-voicelive
 * voicelivesink: states, caps, input cut into appends, the drain at EOS and
 * the action signals. render/event run on the streaming thread; properties
 * (their table: gstvoicelivesinkprops.c) and signals on any thread.
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
#include "gstvoicelivesinkprops.h"
#include "gstvoicelivesinksignals.h"
#include "gstvoicelivesinkdtmf.h"
#include "gstvoicelivesinkref.h"

GST_DEBUG_CATEGORY_STATIC (voicelivesink_debug);
#define GST_CAT_DEFAULT voicelivesink_debug

#define LEGACY_EOU_API_VERSION "2025-05-01-preview"

struct _GstVoiceLiveSink
{
  GstBaseSink parent;

  /* What the user set, under the object lock; snapshotted when
   * connecting (make_params) */
  GstVoiceLiveSinkSettings settings;

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
  /* GstVoiceLiveDialect, resolved in NULL->READY (object lock) */
  gint dialect;
  /* keypad digits: its own lock */
  GstVoiceLiveSinkDtmf dtmf;
  /* echo-cancellation=client-reference: its own lock */
  GstVoiceLiveSinkRef ref;
  /* gst_voice_live_api_version_order() of the api-version connected with
   * (object lock; 0: not a date, nothing refused) */
  guint api_order;
  /* This run does not preroll because an avatar src is paired; async is
   * restored in PAUSED->READY (state changes only) */
  gboolean async_off_for_avatar;
};

#define gst_voice_live_sink_parent_class parent_class
G_DEFINE_TYPE (GstVoiceLiveSink, gst_voice_live_sink, GST_TYPE_BASE_SINK);
GST_ELEMENT_REGISTER_DEFINE (voicelivesink, "voicelivesink", GST_RANK_NONE,
    GST_TYPE_VOICE_LIVE_SINK);

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_VOICE_LIVE_AUDIO_CAPS));

static gboolean
is_client_reference (const GstVoiceLiveConfig * cfg)
{
  return (cfg->set & GST_VOICE_LIVE_FIELD_ECHO_CANCELLATION)
      && cfg->echo_cancellation ==
      GST_VOICE_LIVE_ECHO_CANCELLATION_CLIENT_REFERENCE;
}

/* The appends' channel count is fixed for the session (the service says
 * change_in_ec_channels_not_allowed): echo-cancellation may not move to or
 * from client-reference once connected. Call with the object lock. */
static gboolean
ec_change_allowed (GstVoiceLiveSink * self, const GstVoiceLiveSinkProp * row,
    const GValue * value, GError ** error)
{
  gboolean now, then;

  if (!(row->field & GST_VOICE_LIVE_FIELD_ECHO_CANCELLATION))
    return TRUE;
  now = is_client_reference (&self->settings.config);
  then = g_value_get_enum (value) ==
      GST_VOICE_LIVE_ECHO_CANCELLATION_CLIENT_REFERENCE;
  if (now == then)
    return TRUE;
  g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
      "the input's channel count (client-reference: stereo) cannot change "
      "during a session (change_in_ec_channels_not_allowed): set it before "
      "streaming");
  return FALSE;
}

/* A session field: kept, and sent to the service when streaming. */
static void
set_session_property (GstVoiceLiveSink * self,
    const GstVoiceLiveSinkProp * row, const GValue * value, GParamSpec * pspec)
{
  GstVoiceLiveConfig snapshot;
  GstVoiceLiveSession *session = NULL;
  GError *err = NULL;
  gboolean running;

  /* Held until the session has the change: two threads changing
   * properties cannot hand it their snapshots in the wrong order. */
  g_mutex_lock (&self->update_lock);
  GST_OBJECT_LOCK (self);
  running = GST_STATE (self) >= GST_STATE_PAUSED
      || GST_STATE_PENDING (self) >= GST_STATE_PAUSED;
  /* the channel count is fixed once connected (even in READY) */
  if ((running && (((row->special & GST_VOICE_LIVE_PROP_CHECK_LIVE)
                  && !gst_voice_live_sink_prop_check (row, value, &err))
              /* not in this dialect: refused, never silently dropped */
              || !gst_voice_live_sink_prop_check_dialect (row, value,
                  &self->settings.config, self->dialect, self->api_order,
                  &err)))
      || (self->connecting && !ec_change_allowed (self, row, value, &err))) {
    /* A bad value in PLAYING cannot fail a state change: keep the old
     * value and warn. */
    GST_OBJECT_UNLOCK (self);
    g_mutex_unlock (&self->update_lock);
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("Property '%s': %s; the change is ignored", row->name,
            err->message), (NULL));
    g_clear_error (&err);
    return;
  }
  gst_voice_live_sink_settings_set (&self->settings, row, value);
  if (running && self->session && self->connecting) {
    session = gst_object_ref (self->session);
    gst_voice_live_config_init (&snapshot);
    gst_voice_live_config_copy (&snapshot, &self->settings.config);
  }
  GST_OBJECT_UNLOCK (self);
  if (session) {
    GST_DEBUG_OBJECT (self, "%s changed while streaming: updating the "
        "session", pspec->name);
    gst_voice_live_session_update_config (session, &snapshot, row->field);
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
  gboolean running;

  if (!name || !*name)
    name = GST_VOICE_LIVE_SINK_DEFAULT_SESSION_NAME;
  g_mutex_lock (&self->session_lock);
  GST_OBJECT_LOCK (self);
  running = settings_in_use (self);
  old = self->session;
  if (running || !old || strcmp (name, self->settings.session_name) == 0) {
    if (!running) {
      g_free (self->settings.session_name);
      self->settings.session_name = g_strdup (name);
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

  session = gst_voice_live_session_acquire_renamed (name, GST_ELEMENT (self),
      TRUE);
  if (!session) {
    g_mutex_unlock (&self->session_lock);
    return;
  }
  GST_OBJECT_LOCK (self);
  self->session = session;
  g_free (self->settings.session_name);
  self->settings.session_name = g_strdup (name);
  GST_OBJECT_UNLOCK (self);
  gst_voice_live_session_release (old, GST_ELEMENT (self));
  g_mutex_unlock (&self->session_lock);
}

static void
gst_voice_live_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (object);
  const GstVoiceLiveSinkProp *row = gst_voice_live_sink_prop (prop_id);

  if (gst_voice_live_sink_dtmf_set_property (&self->dtmf, prop_id, value))
    return;
  if (!row || row->offset < 0) {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    return;
  }
  if (row->field) {
    set_session_property (self, row, value, pspec);
    return;
  }
  if (row->special & GST_VOICE_LIVE_PROP_SESSION_NAME) {
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
  gst_voice_live_sink_settings_set (&self->settings, row, value);
  GST_OBJECT_UNLOCK (self);
}

static void
gst_voice_live_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (object);
  const GstVoiceLiveSinkProp *row = gst_voice_live_sink_prop (prop_id);

  if (gst_voice_live_sink_dtmf_get_property (&self->dtmf, prop_id, value))
    return;
  if (row && (row->special & GST_VOICE_LIVE_PROP_STATS)) {
    GstVoiceLiveSession *session = NULL;
    GstStructure *st;

    GST_OBJECT_LOCK (self);
    if (self->session)
      session = gst_object_ref (self->session);
    GST_OBJECT_UNLOCK (self);
    if (session) {
      st = gst_voice_live_session_get_stats (session);
      gst_object_unref (session);
      gst_voice_live_sink_ref_stats (&self->ref, st);
    } else {
      st = gst_structure_new_empty ("voicelive/stats");
    }
    g_value_take_boxed (value, st);
    return;
  }
  /* api-key and access-token are write-only */
  if (!row || row->offset < 0 || !(row->flags & G_PARAM_READABLE)) {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    return;
  }
  GST_OBJECT_LOCK (self);
  gst_voice_live_sink_settings_get (&self->settings, row, value);
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
  GstVoiceLiveSinkSettings s;
  gchar *endpoint, *api_version, *model;
  guint api_order;
  GError *err = NULL;

  /* One snapshot: the rest reads only it. */
  GST_OBJECT_LOCK (self);
  gst_voice_live_sink_settings_copy (&s, &self->settings);
  GST_OBJECT_UNLOCK (self);

  gst_voice_live_config_init (&p->config);
  endpoint = prop_or_env (s.endpoint, "AZURE_VOICE_LIVE_ENDPOINT");
  p->api_key = prop_or_env (s.api_key, "AZURE_VOICE_LIVE_API_KEY");
  p->access_token = g_strdup (s.access_token);
  /* Explicit properties win; the env only replaces untouched defaults. */
  api_version = (s.api_version && strcmp (s.api_version,
          GST_VOICE_LIVE_SINK_DEFAULT_API_VERSION) != 0) ?
      g_strdup (s.api_version) :
      prop_or_env (NULL, "AZURE_VOICE_LIVE_API_VERSION");
  if (!api_version)
    api_version = g_strdup (s.api_version);
  model = (s.model && strcmp (s.model, GST_VOICE_LIVE_SINK_DEFAULT_MODEL) != 0)
      ? g_strdup (s.model) : prop_or_env (NULL, "VOICE_LIVE_MODEL");
  if (!model)
    model = g_strdup (s.model);
  p->ssl_strict = s.ssl_strict;
  p->ssl_ca_file = g_strdup (s.ssl_ca_file);
  p->connect_timeout_s = s.connect_timeout;
  p->keepalive_interval_s = s.keepalive_interval;
  p->close_timeout_ms = s.close_timeout;
  p->max_reconnect_attempts = s.max_reconnect_attempts;
  p->restore_conversation = s.restore_conversation;
  p->renew_margin_ms = s.renew_margin_ms;
  p->max_session_duration_s = s.max_session_duration;
  gst_voice_live_config_copy (&p->config, &s.config);

  p->config.legacy_eou = g_strcmp0 (api_version, LEGACY_EOU_API_VERSION) == 0;
  {
    const gchar *const agent_query[] = {
      "agent-version", s.agent_version, "conversation-id", s.conversation_id,
      "foundry-resource-override", s.foundry_resource_override,
      "agent-authentication-identity-client-id", s.agent_client_id, NULL
    };

    p->url = gst_voice_live_build_url_full (endpoint, api_version, model,
        s.agent_name, s.agent_project_name, agent_query, &p->openai_beta, &err);
  }
  api_order = gst_voice_live_api_version_order (api_version);
  /* The reference docs ask for the flag from 2026-06-01-preview; the GA
   * 2026-07-15 sample does not send it and whether the GA service takes
   * it is unverified (protocol-2026.md 2.3): sent on preview (and
   * unrecognised) api-versions, never on a GA date; a flag already in the
   * endpoint's query is left alone. */
  if (p->url && is_client_reference (&s.config) && !(api_order & 1)
      && !strstr (p->url, "features=")) {
    gchar *url = g_strconcat (p->url, strchr (p->url, '?') ? "&" : "?",
        "features=client_ec_reference:true", NULL);

    g_free (p->url);
    p->url = url;
  }
  g_free (endpoint);
  g_free (api_version);
  g_free (model);
  if (p->url) {
    p->dialect = gst_voice_live_dialect_resolve (s.protocol, p->url);
    if (!gst_voice_live_sink_settings_check_dialect (&s, p->dialect,
            api_order, &err))
      g_clear_pointer (&p->url, g_free);
    GST_INFO_OBJECT (self, "protocol %s: speaking the %s dialect",
        s.protocol == GST_VOICE_LIVE_PROTOCOL_AUTO ? "auto" : "forced",
        gst_voice_live_dialect_name (p->dialect));
    GST_OBJECT_LOCK (self);
    self->dialect = p->dialect;
    self->api_order = api_order;
    GST_OBJECT_UNLOCK (self);
  }
  gst_voice_live_sink_settings_clear (&s);

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

/* client-reference without a linked reference pad lines up with the
 * paired src's running times: refuse a src in another pipeline. */
static gboolean
check_reference_source (GstVoiceLiveSink * self, GstVoiceLiveSession * session)
{
  const gchar *why = NULL;
  gboolean client;

  GST_OBJECT_LOCK (self);
  client = is_client_reference (&self->settings.config);
  GST_OBJECT_UNLOCK (self);
  /* the src keeps what it outputs from now on */
  gst_voice_live_session_want_reference (session, client);
  if (!client || gst_voice_live_sink_ref_has_pad (&self->ref)
      || gst_voice_live_session_src_shares_clock (session,
          GST_ELEMENT (self), FALSE, &why))
    return TRUE;
  GST_ELEMENT_ERROR (self, CORE, CLOCK, ("Property 'echo-cancellation': "
          "client-reference builds the reference from the paired "
          "voicelivesrc, but %s: put both in one pipeline, or request the "
          "\"reference\" pad", why), (NULL));
  return FALSE;
}

static GstStateChangeReturn
gst_voice_live_sink_change_state (GstElement * element,
    GstStateChange transition)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (element);
  GstVoiceLiveSession *session;
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      if (!check_reference_source (self, self->session))
        return GST_STATE_CHANGE_FAILURE;
      /* The avatar's branches (decodebin, a video sink) preroll on its
       * first frames, which come only once this sink streams in PLAYING:
       * prerolling here too would hold the pipeline in PAUSED for good.
       * Like a network sink whose answers come back into the pipeline
       * (webrtcbin's nicesink), it does not preroll. */
      if (self->session && gst_voice_live_session_has_avatar (self->session)
          && gst_base_sink_is_async_enabled (GST_BASE_SINK (self))) {
        GST_INFO_OBJECT (self, "a voiceliveavatarsrc is paired: not "
            "prerolling (as async=false) so that the pipeline can play "
            "before the avatar's first frames");
        gst_base_sink_set_async_enabled (GST_BASE_SINK (self), FALSE);
        self->async_off_for_avatar = TRUE;
      }
      break;
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
      name = g_strdup (self->settings.session_name);
      GST_OBJECT_UNLOCK (self);
      session = gst_voice_live_session_acquire (name, element, TRUE, &err);
      g_free (name);
      GST_OBJECT_LOCK (self);
      self->session = session;
      GST_OBJECT_UNLOCK (self);
      g_mutex_unlock (&self->session_lock);
      /* The src negotiates the formats of this dialect. */
      if (session)
        gst_voice_live_session_set_dialect (session, self->dialect);
      if (session && !check_reference_source (self, session)) {
        gst_voice_live_session_let_go (&self->session, &self->session_lock,
            element, FALSE);
        return GST_STATE_CHANGE_FAILURE;
      }
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
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      if (self->async_off_for_avatar)
        gst_base_sink_set_async_enabled (GST_BASE_SINK (self), TRUE);
      self->async_off_for_avatar = FALSE;
      break;
    case GST_STATE_CHANGE_READY_TO_NULL:
    case GST_STATE_CHANGE_NULL_TO_READY:
      if (transition == GST_STATE_CHANGE_NULL_TO_READY
          && ret != GST_STATE_CHANGE_FAILURE)
        break;
      gst_voice_live_session_let_go (&self->session, &self->session_lock,
          element, FALSE);
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

  gst_voice_live_sink_dtmf_reset (&self->dtmf);
  gst_voice_live_session_stop (self->session);
  GST_OBJECT_LOCK (self);
  self->connecting = FALSE;
  GST_OBJECT_UNLOCK (self);
  g_mutex_lock (&self->adapter_lock);
  gst_adapter_clear (self->adapter);
  g_mutex_unlock (&self->adapter_lock);
  return TRUE;
}

/* In the openai dialect only what GA has: upstream converts. */
static GstCaps *
gst_voice_live_sink_get_caps (GstBaseSink * bsink, GstCaps * filter)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (bsink);
  GstCaps *caps = gst_pad_get_pad_template_caps (GST_BASE_SINK_PAD (bsink));
  gboolean ga;

  GST_OBJECT_LOCK (self);
  ga = self->dialect == GST_VOICE_LIVE_DIALECT_OPENAI;
  GST_OBJECT_UNLOCK (self);
  return gst_voice_live_offered_caps (caps, ga, filter);
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
  gboolean client;

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

  GST_OBJECT_LOCK (self);
  client = is_client_reference (&self->settings.config);
  GST_OBJECT_UNLOCK (self);
  if (client && (fmt == GST_VOICE_LIVE_AUDIO_G711_ULAW
          || fmt == GST_VOICE_LIVE_AUDIO_G711_ALAW)) {
    /* the service's invalid_ec_channels_format, said first */
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("Property "
            "'echo-cancellation': client-reference needs pcm16 input "
            "(audio/x-raw S16LE), not G.711: put audioconvert before "
            "voicelivesink or choose another echo-cancellation"),
        ("caps %" GST_PTR_FORMAT, caps));
    return FALSE;
  }
  gst_voice_live_sink_dtmf_set_format (&self->dtmf, fmt);
  if (self->connecting && fmt != self->in_format) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("The input format cannot change during a session"),
        ("caps %" GST_PTR_FORMAT, caps));
    return FALSE;
  }

  GST_OBJECT_LOCK (self);
  chunk_ms = self->settings.chunk_ms;
  GST_OBJECT_UNLOCK (self);
  self->in_format = fmt;
  self->chunk_bytes = (gsize) gst_voice_live_audio_format_rate (fmt)
      * chunk_ms / 1000 * gst_voice_live_audio_format_bytes_per_sample (fmt)
      * (client ? 2 : 1);

  /* The first caps tell the input format: connect now. */
  if (!self->connecting) {
    GstVoiceLiveConnectParams *p = gst_voice_live_sink_make_params (self);

    if (!p)
      return FALSE;
    p->in_format = fmt;
    /* client-reference: [mic, reference] frames, fixed for the session */
    gst_voice_live_sink_ref_start (&self->ref, is_client_reference
        (&p->config), gst_voice_live_audio_format_rate (fmt));
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

/* @len bytes as appends of chunk-ms each (the last may be shorter) */
static void
send_chunks (GstVoiceLiveSink * self, const guint8 * data, gsize len)
{
  gst_voice_live_session_send_audio (self->session, data, len,
      self->chunk_bytes);
}

static GstFlowReturn
gst_voice_live_sink_render (GstBaseSink * bsink, GstBuffer * buffer)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (bsink);
  GstBuffer *out;
  gsize avail;

  if (gst_voice_live_session_has_failed (self->session))
    return GST_FLOW_ERROR;
  /* The service's input ms count from the first sample (voicelivetextsrc
   * times the user's words by it) */
  if (GST_BUFFER_PTS_IS_VALID (buffer))
    gst_voice_live_session_note_input (self->session,
        gst_segment_to_running_time (&bsink->segment, GST_FORMAT_TIME,
            GST_BUFFER_PTS (buffer)), GST_BUFFER_DURATION_IS_VALID (buffer) ?
        gst_segment_to_running_time (&bsink->segment, GST_FORMAT_TIME,
            GST_BUFFER_PTS (buffer) + GST_BUFFER_DURATION (buffer)) :
        GST_CLOCK_TIME_NONE);

  gst_voice_live_sink_dtmf_input (&self->dtmf, buffer);
  /* the buffer itself, or with echo-cancellation=client-reference stereo */
  out = gst_voice_live_sink_ref_interleave (&self->ref, GST_ELEMENT (self),
      self->session, GST_BUFFER_PTS_IS_VALID (buffer) ?
      gst_segment_to_running_time (&bsink->segment, GST_FORMAT_TIME,
          GST_BUFFER_PTS (buffer)) : GST_CLOCK_TIME_NONE, buffer);
  if (!out)
    return GST_FLOW_ERROR;
  g_mutex_lock (&self->adapter_lock);
  gst_adapter_push (self->adapter, out);
  /* every whole chunk this buffer completes, in one hand-off */
  avail = gst_adapter_available (self->adapter);
  avail -= avail % self->chunk_bytes;
  if (avail > 0) {
    const guint8 *data = gst_adapter_map (self->adapter, avail);

    send_chunks (self, data, avail);
    gst_adapter_unmap (self->adapter);
    gst_adapter_flush (self->adapter, avail);
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

    send_chunks (self, data, left);
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
  manual = (self->settings.config.set & GST_VOICE_LIVE_FIELD_TURN_TYPE)
      && self->settings.config.turn_detection ==
      GST_VOICE_LIVE_TURN_DETECTION_NONE;
  silence_ms =
      (self->settings.
      config.set & GST_VOICE_LIVE_FIELD_SILENCE_DURATION) ? self->settings.
      config.silence_duration_ms : GST_VOICE_LIVE_DEFAULT_SILENCE_DURATION_MS;
  drain_timeout = self->settings.drain_timeout;
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
    gsize n = (bytes + self->chunk_bytes - 1) / self->chunk_bytes;
    guint8 *zeros = g_malloc (n * self->chunk_bytes);

    /* whole chunks, as before the end */
    memset (zeros, self->silence_byte, n * self->chunk_bytes);
    g_mutex_lock (&self->adapter_lock);
    send_chunks (self, zeros, n * self->chunk_bytes);
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
      /* digits still waiting for their timeout go before the end */
      gst_voice_live_sink_dtmf_flush (&self->dtmf);
      gst_voice_live_sink_drain (self);
      /* The preroll lock was let go during the drain: a flush that came
       * meanwhile drops this EOS, as basesink does when it sees one
       * before handing an event over. */
      if (bsink->flushing) {
        gst_event_unref (event);
        return FALSE;
      }
      break;
    case GST_EVENT_CUSTOM_DOWNSTREAM:
      gst_voice_live_sink_dtmf_event (&self->dtmf, event);
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

/* unlock() and unlock_stop(): either wakes a drain wait to look again. */
static gboolean
gst_voice_live_sink_unlock (GstBaseSink * bsink)
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

  gst_voice_live_session_let_go (&self->session, &self->session_lock,
      GST_ELEMENT (self), TRUE);

  G_OBJECT_CLASS (parent_class)->dispose (object);
}

static void
gst_voice_live_sink_finalize (GObject * object)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (object);

  gst_voice_live_sink_settings_clear (&self->settings);
  gst_voice_live_sink_dtmf_clear (&self->dtmf);
  gst_voice_live_sink_ref_clear (&self->ref);
  g_object_unref (self->adapter);
  g_mutex_clear (&self->adapter_lock);
  g_mutex_clear (&self->update_lock);
  g_mutex_clear (&self->session_lock);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* Any thread: where keypad sequences go */
static GstVoiceLiveSession *
dtmf_session (GstElement * element)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (element);
  GstVoiceLiveSession *session = NULL;

  GST_OBJECT_LOCK (self);
  if (self->session)
    session = gst_object_ref (self->session);
  GST_OBJECT_UNLOCK (self);
  return session;
}

static void
gst_voice_live_sink_init (GstVoiceLiveSink * self)
{
  gst_voice_live_sink_settings_init (&self->settings);
  self->adapter = gst_adapter_new ();
  g_mutex_init (&self->adapter_lock);
  g_mutex_init (&self->update_lock);
  g_mutex_init (&self->session_lock);
  gst_voice_live_sink_dtmf_init (&self->dtmf, GST_ELEMENT (self), dtmf_session);
  gst_voice_live_sink_ref_init (&self->ref);

  gst_base_sink_set_sync (GST_BASE_SINK (self), TRUE);
}

/* ---- action signals ---- */

GstVoiceLiveSession *
gst_voice_live_sink_ref_session (GstVoiceLiveSink * self, const gchar * signal)
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
gboolean
gst_voice_live_sink_refuse (GstVoiceLiveSink * self, GError * err)
{
  GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS, ("%s", err->message), (NULL));
  g_error_free (err);
  return FALSE;
}

gboolean
gst_voice_live_sink_dtmf (GstVoiceLiveSink * self, const gchar * digits)
{
  GstVoiceLiveSession *s = gst_voice_live_sink_ref_session (self, "dtmf");

  if (!s)
    return FALSE;
  gst_object_unref (s);
  return gst_voice_live_sink_dtmf_digits (&self->dtmf, digits);
}

gboolean
gst_voice_live_sink_commit_input (GstVoiceLiveSink * self)
{
  GstVoiceLiveSession *s =
      gst_voice_live_sink_ref_session (self, "commit-input");
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

gboolean
gst_voice_live_sink_clear_input (GstVoiceLiveSink * self)
{
  GstVoiceLiveSession *s =
      gst_voice_live_sink_ref_session (self, "clear-input");
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

static GstPad *
gst_voice_live_sink_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (element);

  return gst_voice_live_sink_ref_request_pad (&self->ref, element, templ, name);
}

static void
gst_voice_live_sink_release_pad (GstElement * element, GstPad * pad)
{
  GstVoiceLiveSink *self = GST_VOICE_LIVE_SINK (element);

  gst_voice_live_sink_ref_release_pad (&self->ref, element, pad);
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

  gst_voice_live_sink_install_properties (gobject_class);
  gst_voice_live_sink_dtmf_install_properties (gobject_class,
      gst_voice_live_sink_n_props + 1);
  gst_voice_live_sink_install_signals (G_TYPE_FROM_CLASS (klass));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class,
      &gst_voice_live_sink_ref_template);
  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_voice_live_sink_request_new_pad);
  element_class->release_pad =
      GST_DEBUG_FUNCPTR (gst_voice_live_sink_release_pad);
  gst_element_class_set_static_metadata (element_class,
      "Voice Live agent sink", "Sink/Audio/Network",
      "Streams audio to a real-time voice agent (Azure AI Voice Live or an "
      "OpenAI-Realtime-compatible service)", "gst-voicelive developers");

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_voice_live_sink_change_state);
  basesink_class->start = GST_DEBUG_FUNCPTR (gst_voice_live_sink_start);
  basesink_class->stop = GST_DEBUG_FUNCPTR (gst_voice_live_sink_stop);
  basesink_class->set_caps = GST_DEBUG_FUNCPTR (gst_voice_live_sink_set_caps);
  basesink_class->get_caps = GST_DEBUG_FUNCPTR (gst_voice_live_sink_get_caps);
  basesink_class->render = GST_DEBUG_FUNCPTR (gst_voice_live_sink_render);
  basesink_class->event = GST_DEBUG_FUNCPTR (gst_voice_live_sink_event);
  basesink_class->query = GST_DEBUG_FUNCPTR (gst_voice_live_sink_query);
  basesink_class->unlock = GST_DEBUG_FUNCPTR (gst_voice_live_sink_unlock);
  basesink_class->unlock_stop = GST_DEBUG_FUNCPTR (gst_voice_live_sink_unlock);

  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_TURN_DETECTION, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_NOISE_REDUCTION, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_ECHO_CANCELLATION, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_EOU_MODEL, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_EOU_THRESHOLD, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_VOICE_TYPE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_MODALITIES, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_INTERIM_TYPE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_INTERIM_TRIGGERS, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_INCLUDE, 0);
}
