/* gst-voicelive
 * voicelivesrc: states, caps, live pacing and the clear-output signal; its
 * property table is below. create runs on its streaming thread, properties
 * and signals on any thread; the audio comes from gstvoiceliveoutput.c.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-voicelivesrc
 * @title: voicelivesrc
 *
 * Plays the spoken answers of the voice agent that the #voicelivesink of the
 * same #GstVoiceLiveSrc:session-name talks to.
 *
 * With #GstVoiceLiveSrc:is-live (the default) it is a live source paced by
 * the pipeline clock: timestamps are running time from a sample counter and
 * silence flagged %GST_BUFFER_FLAG_GAP fills the time when no answer is
 * playing, so sound cards, mixers and RTP payloaders get a continuous stream.
 * With is-live=false it pushes the answers as they arrive, contiguously
 * timestamped, for file-to-file use; it ends when the sink's input has
 * ended and the last answer is out.
 *
 * The negotiated caps choose the service's output_audio_format.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 filesrc location=question.wav ! wavparse ! audioconvert ! \
 *     audioresample ! voicelivesink endpoint=ws://127.0.0.1:PORT api-key=KEY \
 *     voicelivesrc is-live=false ! wavenc ! filesink location=answer.wav
 * ]|
 *
 * Since: 0.1
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/audio/audio.h>
#include "gstvoicelivesrc.h"
#include "gstvoicelivesession.h"
#include "gstvoiceliveprotocolga.h"
#include "gstvoicelivedtmf.h"

GST_DEBUG_CATEGORY_STATIC (voicelivesrc_debug);
#define GST_CAT_DEFAULT voicelivesrc_debug

#define DEFAULT_SESSION_NAME "default"
#define DEFAULT_IS_LIVE TRUE
#define DEFAULT_BUFFER_MS 20
#define DEFAULT_PREBUFFER_MS 40
#define DEFAULT_BARGE_IN TRUE
#define DEFAULT_PAIR_TIMEOUT 10000
#define DEFAULT_MAX_QUEUE_MS 120000

enum
{
  PROP_0,
  PROP_SESSION_NAME,
  PROP_IS_LIVE,
  PROP_BUFFER_MS,
  PROP_PREBUFFER_MS,
  PROP_BARGE_IN,
  PROP_PAIR_TIMEOUT,
  PROP_MAX_QUEUE_MS,
};

struct _GstVoiceLiveSrc
{
  GstPushSrc parent;

  /* Properties, under the object lock */
  gchar *session_name;
  gboolean is_live;
  guint buffer_ms;
  guint prebuffer_ms;
  gboolean barge_in;
  guint pair_timeout;
  guint max_queue_ms;

  /* Serializes taking and letting go of the session (state changes,
   * session-name in READY, dispose). Taken before the object lock. */
  GMutex session_lock;

  /* Streaming state. session is written under the object lock (and
   * session_lock); the streaming thread reads it without the lock, as it
   * does not change while streaming. */
  GstVoiceLiveSession *session;
  GstVoiceLiveAudioFormat format;
  guint rate;
  guint bps;
  guint8 silence_byte;
  guint64 samples_out;
  GstClockTime first_ts;
  gboolean started_output;
  /* Output buffers are recycled: no allocation per period */
  GstBufferPool *pool;
  gsize pool_size;
  gint64 unpaired_since;        /* monotonic µs, 0 when paired */
  /* send-dtmf: digits asked for (object lock), and their tones in the
   * output format still to go out (streaming thread) */
  GString *dtmf_digits;
  GByteArray *dtmf_out;
};

#define gst_voice_live_src_parent_class parent_class
G_DEFINE_TYPE (GstVoiceLiveSrc, gst_voice_live_src, GST_TYPE_PUSH_SRC);
GST_ELEMENT_REGISTER_DEFINE (voicelivesrc, "voicelivesrc", GST_RANK_NONE,
    GST_TYPE_VOICE_LIVE_SRC);

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_VOICE_LIVE_AUDIO_CAPS));

/* GA (the openai dialect) has PCM at 24 kHz only: once the sink has
 * resolved the dialect (NULL->READY), offer nothing else. */
static GstCaps *
gst_voice_live_src_get_caps (GstBaseSrc * bsrc, GstCaps * filter)
{
  GstVoiceLiveSrc *self = GST_VOICE_LIVE_SRC (bsrc);
  GstVoiceLiveSession *session = NULL;
  GstCaps *caps = gst_pad_get_pad_template_caps (GST_BASE_SRC_PAD (bsrc));
  gboolean ga = FALSE;

  GST_OBJECT_LOCK (self);
  if (self->session)
    session = gst_object_ref (self->session);
  GST_OBJECT_UNLOCK (self);
  if (session) {
    ga = gst_voice_live_session_get_dialect (session) ==
        GST_VOICE_LIVE_DIALECT_OPENAI;
    gst_object_unref (session);
  }
  return gst_voice_live_offered_caps (caps, ga, filter);
}

/* A session taken for a new session-name gets this source's settings
 * (object lock held) */
static void
attach_settings (GstElement * element, GstVoiceLiveSession * session)
{
  GstVoiceLiveSrc *self = GST_VOICE_LIVE_SRC (element);

  gst_voice_live_session_set_output_limit (session, self->max_queue_ms);
  gst_voice_live_session_set_barge_in (session, self->barge_in);
}

/* session-name: in READY the session is held already, so a new name
 * means letting go of it and taking the new one. */
static gboolean
change_session_name (GstVoiceLiveSrc * self, const gchar * name)
{
  return gst_voice_live_session_rename (&self->session, &self->session_name,
      &self->session_lock, GST_ELEMENT (self), name, FALSE, attach_settings);
}

static void
gst_voice_live_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstVoiceLiveSrc *self = GST_VOICE_LIVE_SRC (object);
  GstVoiceLiveSession *session = NULL;
  gboolean running;

  GST_OBJECT_LOCK (self);
  running = GST_STATE (self) > GST_STATE_READY
      || GST_STATE_PENDING (self) > GST_STATE_READY;
  if (running && (pspec->flags & GST_PARAM_MUTABLE_PLAYING) == 0) {
    /* Used when streaming starts: a later change would be silently
     * ignored, so refuse it loudly. */
    GST_OBJECT_UNLOCK (self);
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("Property '%s' can only be changed in the NULL or READY state; the "
            "change is ignored", pspec->name), (NULL));
    return;
  }
  if (self->session)
    session = gst_object_ref (self->session);
  switch (prop_id) {
    case PROP_SESSION_NAME:{
      const gchar *name = g_value_get_string (value);

      GST_OBJECT_UNLOCK (self);
      change_session_name (self, name && *name ? name : DEFAULT_SESSION_NAME);
      GST_OBJECT_LOCK (self);
      break;
    }
    case PROP_IS_LIVE:
      self->is_live = g_value_get_boolean (value);
      GST_OBJECT_UNLOCK (self);
      /* basesrc reads it when going to PAUSED */
      gst_base_src_set_live (GST_BASE_SRC (self), g_value_get_boolean (value));
      GST_OBJECT_LOCK (self);
      break;
    case PROP_BUFFER_MS:
      self->buffer_ms = g_value_get_uint (value);
      break;
    case PROP_PREBUFFER_MS:
      self->prebuffer_ms = g_value_get_uint (value);
      break;
    case PROP_BARGE_IN:
      self->barge_in = g_value_get_boolean (value);
      GST_OBJECT_UNLOCK (self);
      if (session)
        gst_voice_live_session_set_barge_in (session,
            g_value_get_boolean (value));
      GST_OBJECT_LOCK (self);
      break;
    case PROP_PAIR_TIMEOUT:
      self->pair_timeout = g_value_get_uint (value);
      break;
    case PROP_MAX_QUEUE_MS:
      self->max_queue_ms = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      if (session)
        gst_voice_live_session_set_output_limit (session,
            g_value_get_uint (value));
      GST_OBJECT_LOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
  if (session)
    gst_object_unref (session);
}

static void
gst_voice_live_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstVoiceLiveSrc *self = GST_VOICE_LIVE_SRC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_SESSION_NAME:
      g_value_set_string (value, self->session_name);
      break;
    case PROP_IS_LIVE:
      g_value_set_boolean (value, self->is_live);
      break;
    case PROP_BUFFER_MS:
      g_value_set_uint (value, self->buffer_ms);
      break;
    case PROP_PREBUFFER_MS:
      g_value_set_uint (value, self->prebuffer_ms);
      break;
    case PROP_BARGE_IN:
      g_value_set_boolean (value, self->barge_in);
      break;
    case PROP_PAIR_TIMEOUT:
      g_value_set_uint (value, self->pair_timeout);
      break;
    case PROP_MAX_QUEUE_MS:
      g_value_set_uint (value, self->max_queue_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static GstStateChangeReturn
gst_voice_live_src_change_state (GstElement * element,
    GstStateChange transition)
{
  GstVoiceLiveSrc *self = GST_VOICE_LIVE_SRC (element);
  GstVoiceLiveSession *session;
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_NULL_TO_READY) {
    GError *err = NULL;
    gchar *name;
    guint max_queue_ms;
    gboolean barge_in;

    g_mutex_lock (&self->session_lock);
    GST_OBJECT_LOCK (self);
    name = g_strdup (self->session_name);
    max_queue_ms = self->max_queue_ms;
    barge_in = self->barge_in;
    GST_OBJECT_UNLOCK (self);
    session = gst_voice_live_session_acquire (name, element, FALSE, &err);
    g_free (name);
    /* Answers may queue before this source plays: they are kept by its
     * settings from now on. */
    if (session) {
      gst_voice_live_session_set_output_limit (session, max_queue_ms);
      gst_voice_live_session_set_barge_in (session, barge_in);
    }
    GST_OBJECT_LOCK (self);
    self->session = session;
    GST_OBJECT_UNLOCK (self);
    g_mutex_unlock (&self->session_lock);
    if (!session) {
      GST_ELEMENT_ERROR (self, RESOURCE, BUSY, ("%s", err->message), (NULL));
      g_clear_error (&err);
      return GST_STATE_CHANGE_FAILURE;
    }
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);

  if (transition == GST_STATE_CHANGE_READY_TO_NULL
      || (transition == GST_STATE_CHANGE_NULL_TO_READY
          && ret == GST_STATE_CHANGE_FAILURE)) {
    gst_voice_live_session_let_go (&self->session, &self->session_lock,
        element, FALSE);
  }
  return ret;
}

static gboolean
gst_voice_live_src_start (GstBaseSrc * bsrc)
{
  GstVoiceLiveSrc *self = GST_VOICE_LIVE_SRC (bsrc);

  gboolean barge_in;

  GST_OBJECT_LOCK (self);
  barge_in = self->barge_in;
  GST_OBJECT_UNLOCK (self);
  self->samples_out = 0;
  self->first_ts = GST_CLOCK_TIME_NONE;
  self->started_output = FALSE;
  self->unpaired_since = 0;
  gst_voice_live_session_configure_output (self->session,
      gst_base_src_is_live (bsrc), barge_in);
  gst_voice_live_session_set_src_flushing (self->session, FALSE);
  return TRUE;
}

static gboolean
gst_voice_live_src_stop (GstBaseSrc * bsrc)
{
  GstVoiceLiveSrc *self = GST_VOICE_LIVE_SRC (bsrc);

  gst_voice_live_session_reset_output (self->session);
  GST_OBJECT_LOCK (self);
  g_string_truncate (self->dtmf_digits, 0);
  GST_OBJECT_UNLOCK (self);
  g_byte_array_set_size (self->dtmf_out, 0);
  if (self->pool) {
    gst_buffer_pool_set_active (self->pool, FALSE);
    gst_clear_object (&self->pool);
  }
  return TRUE;
}

/* A pool of @size byte buffers, made again when the size changes. */
static GstBuffer *
acquire_buffer (GstVoiceLiveSrc * self, gsize size)
{
  GstBuffer *buf = NULL;

  if (self->pool && self->pool_size != size) {
    gst_buffer_pool_set_active (self->pool, FALSE);
    gst_clear_object (&self->pool);
  }
  if (!self->pool) {
    GstBufferPool *pool = gst_buffer_pool_new ();
    GstStructure *config = gst_buffer_pool_get_config (pool);

    gst_buffer_pool_config_set_params (config, NULL, size, 2, 0);
    if (gst_buffer_pool_set_config (pool, config)
        && gst_buffer_pool_set_active (pool, TRUE)) {
      self->pool = pool;
      self->pool_size = size;
    } else {
      gst_object_unref (pool);
    }
  }
  if (self->pool && gst_buffer_pool_acquire_buffer (self->pool, &buf,
          NULL) == GST_FLOW_OK)
    return buf;
  return gst_buffer_new_allocate (NULL, size, NULL);
}

static gboolean
gst_voice_live_src_set_caps (GstBaseSrc * bsrc, GstCaps * caps)
{
  GstVoiceLiveSrc *self = GST_VOICE_LIVE_SRC (bsrc);
  GstStructure *s = gst_caps_get_structure (caps, 0);
  const gchar *media = gst_structure_get_name (s);
  gint rate = 0;

  gst_structure_get_int (s, "rate", &rate);
  if (strcmp (media, "audio/x-mulaw") == 0) {
    self->format = GST_VOICE_LIVE_AUDIO_G711_ULAW;
    self->silence_byte = 0xff;
  } else if (strcmp (media, "audio/x-alaw") == 0) {
    self->format = GST_VOICE_LIVE_AUDIO_G711_ALAW;
    self->silence_byte = 0xd5;
  } else {
    self->format = rate == 16000 ? GST_VOICE_LIVE_AUDIO_PCM16_16000 :
        rate == 8000 ? GST_VOICE_LIVE_AUDIO_PCM16_8000 :
        GST_VOICE_LIVE_AUDIO_PCM16_24000;
    self->silence_byte = 0;
  }
  self->rate = gst_voice_live_audio_format_rate (self->format);
  self->bps = gst_voice_live_audio_format_bytes_per_sample (self->format);
  GST_DEBUG_OBJECT (self, "output %s",
      gst_voice_live_audio_format_output_wire (self->format));
  gst_voice_live_session_set_output_format (self->session, self->format);
  return TRUE;
}

static GstCaps *
gst_voice_live_src_fixate (GstBaseSrc * bsrc, GstCaps * caps)
{
  GstStructure *s;

  /* Prefer the service's native 24 kHz PCM when downstream can take it. */
  caps = gst_caps_truncate (caps);
  caps = gst_caps_make_writable (caps);
  s = gst_caps_get_structure (caps, 0);
  if (gst_structure_has_field (s, "rate"))
    gst_structure_fixate_field_nearest_int (s, "rate", 24000);
  return GST_BASE_SRC_CLASS (parent_class)->fixate (bsrc, caps);
}

static void
gst_voice_live_src_get_times (GstBaseSrc * bsrc, GstBuffer * buffer,
    GstClockTime * start, GstClockTime * end)
{
  /* A live source syncs each buffer on its running-time timestamp. */
  if (gst_base_src_is_live (bsrc)) {
    GstClockTime ts = GST_BUFFER_PTS (buffer);

    if (GST_CLOCK_TIME_IS_VALID (ts)) {
      *start = ts;
      if (GST_BUFFER_DURATION_IS_VALID (buffer))
        *end = ts + GST_BUFFER_DURATION (buffer);
    }
  }
}

static void
stamp (GstVoiceLiveSrc * self, GstBuffer * buf, gsize bytes)
{
  guint64 samples = bytes / self->bps;
  GstClockTime start = self->first_ts;

  GST_BUFFER_PTS (buf) = start + gst_util_uint64_scale_int (self->samples_out,
      GST_SECOND, self->rate);
  GST_BUFFER_DTS (buf) = GST_BUFFER_PTS (buf);
  GST_BUFFER_DURATION (buf) = start +
      gst_util_uint64_scale_int (self->samples_out + samples, GST_SECOND,
      self->rate) - GST_BUFFER_PTS (buf);
  GST_BUFFER_OFFSET (buf) = self->samples_out;
  GST_BUFFER_OFFSET_END (buf) = self->samples_out + samples;
  self->samples_out += samples;
}

/* A src whose session never gets a sink would play silence forever: tell
 * the user once the pair timeout passes. */
static gboolean
check_paired (GstVoiceLiveSrc * self, guint timeout_ms)
{
  gint64 now;

  if (timeout_ms == 0 || gst_voice_live_session_has_sink (self->session)) {
    self->unpaired_since = 0;
    return TRUE;
  }
  now = g_get_monotonic_time ();
  if (self->unpaired_since == 0)
    self->unpaired_since = now;
  if (now - self->unpaired_since < (gint64) timeout_ms * 1000)
    return TRUE;
  GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
      ("No voicelivesink with session-name \"%s\" appeared within %u ms: "
          "add one (same session-name) to this or another pipeline",
          gst_voice_live_session_get_name (self->session), timeout_ms),
      ("pair-timeout expired"));
  return FALSE;
}

/* Not live, before the first answer: let downstream preroll on a GAP
 * event. basesrc sends its segment only with the first buffer, so send the
 * same segment first (it sends it again later; the same segment twice is
 * harmless). */
static void
preroll_with_gap (GstVoiceLiveSrc * self, GstClockTime pts)
{
  GstBaseSrc *bsrc = GST_BASE_SRC (self);
  GstSegment segment;

  GST_OBJECT_LOCK (self);
  gst_segment_copy_into (&bsrc->segment, &segment);
  GST_OBJECT_UNLOCK (self);
  gst_pad_push_event (GST_BASE_SRC_PAD (bsrc),
      gst_event_new_segment (&segment));
  gst_pad_push_event (GST_BASE_SRC_PAD (bsrc), gst_event_new_gap (pts, 0));
}

/* Streaming thread: the tones of the digits send-dtmf asked for, in the
 * output format, queued to go out before anything else. */
static void
take_dtmf (GstVoiceLiveSrc * self)
{
  gchar *digits = NULL;
  gint16 *pcm;
  gsize n, i, start = self->dtmf_out->len;

  GST_OBJECT_LOCK (self);
  if (self->dtmf_digits->len)
    digits = g_strdup (self->dtmf_digits->str);
  g_string_truncate (self->dtmf_digits, 0);
  GST_OBJECT_UNLOCK (self);
  if (!digits)
    return;
  pcm = gst_voice_live_dtmf_tones (digits, self->rate, &n);
  g_free (digits);
  g_byte_array_set_size (self->dtmf_out, start + n * self->bps);
  for (i = 0; i < n; i++) {
    guint8 *out = self->dtmf_out->data + start + i * self->bps;

    if (self->format == GST_VOICE_LIVE_AUDIO_G711_ULAW)
      out[0] = gst_voice_live_dtmf_s16_to_ulaw (pcm[i]);
    else if (self->format == GST_VOICE_LIVE_AUDIO_G711_ALAW)
      out[0] = gst_voice_live_dtmf_s16_to_alaw (pcm[i]);
    else
      GST_WRITE_UINT16_LE (out, (guint16) pcm[i]);
  }
  g_free (pcm);
}

/* Streaming thread: the next buffer of queued tones, or NULL */
static GstBuffer *
dtmf_buffer (GstVoiceLiveSrc * self, gsize buffer_bytes, gboolean live)
{
  GstBuffer *buf;
  gsize n;

  take_dtmf (self);
  if (self->dtmf_out->len == 0)
    return NULL;
  n = MIN (buffer_bytes, self->dtmf_out->len);
  buf = acquire_buffer (self, buffer_bytes);
  gst_buffer_fill (buf, 0, self->dtmf_out->data, n);
  g_byte_array_remove_range (self->dtmf_out, 0, n);
  if (live && n < buffer_bytes)
    gst_buffer_memset (buf, n, self->silence_byte, buffer_bytes - n);
  else if (!live)
    gst_buffer_set_size (buf, n);
  stamp (self, buf, live ? buffer_bytes : n);
  return buf;
}

/* basesrc's segment starts at 0: PTS is running time. The text src
 * gives out captions of audio pushed up to here; a sink with
 * echo-cancellation=client-reference takes its echo reference from it
 * (GAP periods are silence in @buf, audio dropped by barge-in never comes
 * here). */
static void
note_pushed (GstVoiceLiveSrc * self, GstBuffer * buf)
{
  gst_voice_live_session_note_pushed (self->session, buf);
}

static GstFlowReturn
gst_voice_live_src_create (GstPushSrc * psrc, GstBuffer ** outbuf)
{
  GstVoiceLiveSrc *self = GST_VOICE_LIVE_SRC (psrc);
  gboolean live = gst_base_src_is_live (GST_BASE_SRC (self));
  gsize buffer_bytes, prebuffer, n = 0;
  GstVoiceLiveReadResult res;
  GstClockTime pts;
  GstBuffer *buf;
  GstMapInfo map;
  guint buffer_ms, prebuffer_ms, pair_timeout;

  GST_OBJECT_LOCK (self);
  buffer_ms = self->buffer_ms;
  prebuffer_ms = self->prebuffer_ms;
  pair_timeout = self->pair_timeout;
  GST_OBJECT_UNLOCK (self);
  buffer_bytes = (gsize) self->rate * buffer_ms / 1000 * self->bps;
  /* The cushion matters only when pacing by the clock; it is at least one
   * buffer, or an answer could start with a buffer half audio, half
   * silence. */
  prebuffer = live ? MAX ((gsize) self->rate * prebuffer_ms / 1000 * self->bps,
      buffer_bytes) : 0;

  if (!check_paired (self, pair_timeout))
    return GST_FLOW_ERROR;

  if (!GST_CLOCK_TIME_IS_VALID (self->first_ts))
    self->first_ts =
        live ? gst_voice_live_running_time (GST_ELEMENT (self), 0) : 0;
  pts =
      self->first_ts + gst_util_uint64_scale_int (self->samples_out, GST_SECOND,
      self->rate);

  /* Tones of send-dtmf go out at once: the answer waits behind them. */
  if ((*outbuf = dtmf_buffer (self, buffer_bytes, live)) != NULL) {
    note_pushed (self, *outbuf);
    return GST_FLOW_OK;
  }

  buf = acquire_buffer (self, buffer_bytes);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);

  /* Not live: downstream may have to preroll before any answer exists, so
   * the first read does not wait; a GAP event prerolls it instead of an
   * empty buffer, and then the answer is waited for. */
  res = gst_voice_live_session_read_audio (self->session, map.data,
      buffer_bytes, !live && self->started_output, self->bps, pts, prebuffer,
      &n);
  if (!live && res == GST_VOICE_LIVE_READ_EMPTY) {
    preroll_with_gap (self, pts);
    res = gst_voice_live_session_read_audio (self->session, map.data,
        buffer_bytes, TRUE, self->bps, pts, prebuffer, &n);
  }
  self->started_output = TRUE;

  switch (res) {
    case GST_VOICE_LIVE_READ_FLUSHING:
      gst_buffer_unmap (buf, &map);
      gst_buffer_unref (buf);
      return GST_FLOW_FLUSHING;
    case GST_VOICE_LIVE_READ_ERROR:
      gst_buffer_unmap (buf, &map);
      gst_buffer_unref (buf);
      return GST_FLOW_ERROR;
    case GST_VOICE_LIVE_READ_EOS:
      gst_buffer_unmap (buf, &map);
      gst_buffer_unref (buf);
      GST_DEBUG_OBJECT (self, "end of the answers");
      return GST_FLOW_EOS;
    default:
      break;
  }

  if (live) {
    /* Fill the rest of the period with silence. */
    if (n < buffer_bytes)
      memset (map.data + n, self->silence_byte, buffer_bytes - n);
    gst_buffer_unmap (buf, &map);
    if (n == 0)
      GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_GAP);
    stamp (self, buf, buffer_bytes);
  } else {
    gst_buffer_unmap (buf, &map);
    gst_buffer_set_size (buf, n);
    if (n == 0)
      GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_GAP);
    stamp (self, buf, n);
  }
  note_pushed (self, buf);
  *outbuf = buf;
  return GST_FLOW_OK;
}

/* The pipeline latency tells when pushed audio is heard: barge-in
 * truncates at what was heard, not at what was pushed. */
static gboolean
gst_voice_live_src_event (GstBaseSrc * bsrc, GstEvent * event)
{
  GstVoiceLiveSrc *self = GST_VOICE_LIVE_SRC (bsrc);

  if (GST_EVENT_TYPE (event) == GST_EVENT_LATENCY) {
    GstClockTime latency;

    gst_event_parse_latency (event, &latency);
    GST_DEBUG_OBJECT (self, "pipeline latency %" GST_TIME_FORMAT,
        GST_TIME_ARGS (latency));
    gst_voice_live_session_set_output_latency (self->session, latency);
  }
  return GST_BASE_SRC_CLASS (parent_class)->event (bsrc, event);
}

static gboolean
gst_voice_live_src_send_dtmf (GstVoiceLiveSrc * self, const gchar * digits)
{
  GError *err = NULL;

  if (!gst_voice_live_dtmf_check (digits, &err)) {
    GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS,
        ("Signal 'send-dtmf': %s; nothing played", err->message), (NULL));
    g_error_free (err);
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  g_string_append (self->dtmf_digits, digits);
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static gboolean
gst_voice_live_src_clear_output (GstVoiceLiveSrc * self)
{
  GstVoiceLiveSession *session = NULL;
  gboolean acted;

  GST_OBJECT_LOCK (self);
  if (self->session)
    session = gst_object_ref (self->session);
  GST_OBJECT_UNLOCK (self);
  if (!session)
    return FALSE;
  acted = gst_voice_live_session_interrupt_output (session, TRUE);
  gst_object_unref (session);
  return acted;
}

static gboolean
gst_voice_live_src_query (GstBaseSrc * bsrc, GstQuery * query)
{
  GstVoiceLiveSrc *self = GST_VOICE_LIVE_SRC (bsrc);

  if (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY) {
    gboolean live = gst_base_src_is_live (bsrc);
    guint buffer_ms;

    GST_OBJECT_LOCK (self);
    buffer_ms = self->buffer_ms;
    GST_OBJECT_UNLOCK (self);
    /* One period: a buffer is pushed when its running time is reached. */
    gst_query_set_latency (query, live, live ? buffer_ms * GST_MSECOND : 0,
        GST_CLOCK_TIME_NONE);
    return TRUE;
  }
  return GST_BASE_SRC_CLASS (parent_class)->query (bsrc, query);
}

static gboolean
gst_voice_live_src_unlock (GstBaseSrc * bsrc)
{
  GstVoiceLiveSrc *self = GST_VOICE_LIVE_SRC (bsrc);

  gst_voice_live_session_set_src_flushing (self->session, TRUE);
  return TRUE;
}

static gboolean
gst_voice_live_src_unlock_stop (GstBaseSrc * bsrc)
{
  GstVoiceLiveSrc *self = GST_VOICE_LIVE_SRC (bsrc);

  gst_voice_live_session_set_src_flushing (self->session, FALSE);
  return TRUE;
}

/* An element dropped without going to NULL must not stay in the session:
 * the network thread would post to it. */
static void
gst_voice_live_src_dispose (GObject * object)
{
  GstVoiceLiveSrc *self = GST_VOICE_LIVE_SRC (object);

  gst_voice_live_session_let_go (&self->session, &self->session_lock,
      GST_ELEMENT (self), FALSE);

  G_OBJECT_CLASS (parent_class)->dispose (object);
}

static void
gst_voice_live_src_finalize (GObject * object)
{
  GstVoiceLiveSrc *self = GST_VOICE_LIVE_SRC (object);

  g_free (self->session_name);
  g_string_free (self->dtmf_digits, TRUE);
  g_byte_array_unref (self->dtmf_out);
  g_mutex_clear (&self->session_lock);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_voice_live_src_init (GstVoiceLiveSrc * self)
{
  self->session_name = g_strdup (DEFAULT_SESSION_NAME);
  self->is_live = DEFAULT_IS_LIVE;
  self->buffer_ms = DEFAULT_BUFFER_MS;
  self->prebuffer_ms = DEFAULT_PREBUFFER_MS;
  self->barge_in = DEFAULT_BARGE_IN;
  self->pair_timeout = DEFAULT_PAIR_TIMEOUT;
  self->max_queue_ms = DEFAULT_MAX_QUEUE_MS;
  g_mutex_init (&self->session_lock);
  self->rate = 24000;
  self->bps = 2;
  self->format = GST_VOICE_LIVE_AUDIO_PCM16_24000;
  self->dtmf_digits = g_string_new (NULL);
  self->dtmf_out = g_byte_array_new ();
  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);
  gst_base_src_set_live (GST_BASE_SRC (self), DEFAULT_IS_LIVE);
}

#define READY_PARAM (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY | GST_PARAM_DOC_SHOW_DEFAULT)
#define LIVE_PARAM (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_PLAYING | GST_PARAM_DOC_SHOW_DEFAULT)

/* One row per property, in the order of the property ids (the order
 * gst-inspect shows); G_TYPE_STRING, G_TYPE_BOOLEAN or G_TYPE_UINT. */
typedef struct
{
  const gchar *name, *nick, *blurb;
  GType type;
  guint min, max, def;
  const gchar *def_str;
  GParamFlags flags;
} SrcProp;

static const SrcProp src_props[] = {
  /**
   * GstVoiceLiveSrc:session-name:
   *
   * Since: 0.1
   */
  {"session-name", "Session name",
      "Name shared with the voicelivesink whose answers this source "
        "plays", G_TYPE_STRING, 0, 0, 0, DEFAULT_SESSION_NAME, READY_PARAM},
  /**
   * GstVoiceLiveSrc:is-live:
   *
   * Since: 0.1
   */
  {"is-live", "Is live",
        "Live source paced by the clock, with GAP silence between answers; "
        "false: push answers as they arrive (file output)", G_TYPE_BOOLEAN, 0,
      0, DEFAULT_IS_LIVE, NULL, READY_PARAM},
  /**
   * GstVoiceLiveSrc:buffer-ms:
   *
   * Since: 0.1
   */
  {"buffer-ms", "Buffer duration",
        "Duration of each output buffer (ms); in live mode also the "
        "reported latency", G_TYPE_UINT, 5, 1000, DEFAULT_BUFFER_MS, NULL,
      READY_PARAM},
  /**
   * GstVoiceLiveSrc:prebuffer-ms:
   *
   * Since: 0.1
   */
  {"prebuffer-ms", "Prebuffer",
        "Live mode: audio of a new answer queued before it starts playing "
        "(ms, at least one buffer-ms), a cushion against bursty arrival",
      G_TYPE_UINT, 0, 2000, DEFAULT_PREBUFFER_MS, NULL, READY_PARAM},
  /**
   * GstVoiceLiveSrc:barge-in:
   *
   * When the user starts speaking (input_audio_buffer.speech_started) while
   * an answer is queued or playing: drop the queued audio within one
   * buffer, send conversation.item.truncate at the audio actually heard
   * (none at 0 ms, none with auto-truncate) and response.cancel while a
   * response is active.
   *
   * Since: 0.1
   */
  {"barge-in", "Barge-in",
        "Stop the answer when the user talks over it, truncating it at the "
        "audio actually heard", G_TYPE_BOOLEAN, 0, 0, DEFAULT_BARGE_IN, NULL,
      LIVE_PARAM},
  /**
   * GstVoiceLiveSrc:pair-timeout:
   *
   * Since: 0.1
   */
  {"pair-timeout", "Pair timeout",
        "Error out when no voicelivesink with the same session-name exists "
        "for this long while streaming (ms; 0 = wait forever)", G_TYPE_UINT,
      0, G_MAXINT, DEFAULT_PAIR_TIMEOUT, NULL, READY_PARAM},
  /**
   * GstVoiceLiveSrc:max-queue-ms:
   *
   * Answers arrive faster than real time and are queued until played.
   * While this source is not playing them (its pipeline is not PLAYING),
   * at most this much is kept; the rest is dropped, counted in the sink's
   * stats (output-ms-dropped) and warned about once.
   *
   * Since: 0.2
   */
  {"max-queue-ms", "Max queue",
        "Most answer audio kept queued for playing (ms); beyond it answer "
        "audio is dropped and counted", G_TYPE_UINT, 100, 3600000,
      DEFAULT_MAX_QUEUE_MS, NULL, LIVE_PARAM},
};

static void
install_properties (GObjectClass * klass)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (src_props); i++) {
    const SrcProp *r = &src_props[i];
    GParamSpec *ps;

    if (r->type == G_TYPE_STRING)
      ps = g_param_spec_string (r->name, r->nick, r->blurb, r->def_str,
          r->flags);
    else if (r->type == G_TYPE_BOOLEAN)
      ps = g_param_spec_boolean (r->name, r->nick, r->blurb, r->def, r->flags);
    else
      ps = g_param_spec_uint (r->name, r->nick, r->blurb, r->min, r->max,
          r->def, r->flags);
    g_object_class_install_property (klass, PROP_SESSION_NAME + i, ps);
  }
}

static void
gst_voice_live_src_class_init (GstVoiceLiveSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *basesrc_class = GST_BASE_SRC_CLASS (klass);
  GstPushSrcClass *pushsrc_class = GST_PUSH_SRC_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (voicelivesrc_debug, "voicelivesrc", 0,
      "Voice Live source");

  gobject_class->set_property = gst_voice_live_src_set_property;
  gobject_class->get_property = gst_voice_live_src_get_property;
  gobject_class->dispose = gst_voice_live_src_dispose;
  gobject_class->finalize = gst_voice_live_src_finalize;
  install_properties (gobject_class);

  /**
   * GstVoiceLiveSrc::clear-output:
   * @src: the #voicelivesrc
   *
   * Stops the answer now, as barge-in does (even with barge-in off): drops
   * the queued audio, truncates the item at the audio heard, cancels the
   * active response.
   *
   * Returns: %TRUE if an answer was queued or playing
   *
   * Since: 0.1
   */
  g_signal_new_class_handler ("clear-output", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_voice_live_src_clear_output), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 0);

  /**
   * GstVoiceLiveSrc::send-dtmf:
   * @src: the #voicelivesrc
   * @digits: keypad digits (0-9, *, #, A-D; spaces ignored)
   *
   * Plays the digits as in-band DTMF tones (Q.23 frequencies, 100 ms tone
   * and 100 ms pause each) at the current output position, before any
   * answer audio still queued, e.g. to navigate an IVR on a phone leg. In
   * non-live mode they go out with the next buffer.
   *
   * Returns: %TRUE if accepted; %FALSE (and a warning) for anything but
   * keypad digits
   *
   * Since: 0.2
   */
  g_signal_new_class_handler ("send-dtmf", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_voice_live_src_send_dtmf), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Voice Live agent source", "Source/Audio/Network",
      "Plays the spoken answers of a real-time voice agent (Azure AI Voice "
      "Live or an OpenAI-Realtime-compatible service)",
      "gst-voicelive developers");

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_voice_live_src_change_state);
  basesrc_class->start = GST_DEBUG_FUNCPTR (gst_voice_live_src_start);
  basesrc_class->stop = GST_DEBUG_FUNCPTR (gst_voice_live_src_stop);
  basesrc_class->set_caps = GST_DEBUG_FUNCPTR (gst_voice_live_src_set_caps);
  basesrc_class->get_caps = GST_DEBUG_FUNCPTR (gst_voice_live_src_get_caps);
  basesrc_class->fixate = GST_DEBUG_FUNCPTR (gst_voice_live_src_fixate);
  basesrc_class->get_times = GST_DEBUG_FUNCPTR (gst_voice_live_src_get_times);
  basesrc_class->query = GST_DEBUG_FUNCPTR (gst_voice_live_src_query);
  basesrc_class->event = GST_DEBUG_FUNCPTR (gst_voice_live_src_event);
  basesrc_class->unlock = GST_DEBUG_FUNCPTR (gst_voice_live_src_unlock);
  basesrc_class->unlock_stop =
      GST_DEBUG_FUNCPTR (gst_voice_live_src_unlock_stop);
  pushsrc_class->create = GST_DEBUG_FUNCPTR (gst_voice_live_src_create);
}
