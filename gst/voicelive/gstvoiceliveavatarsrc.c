/* gst-voicelive
 * voiceliveavatarsrc: the talking avatar of a voicelivesink's session
 * (WebSocket mode, protocol-2026.md §3.3) as a bin: its reader thread
 * feeds the fragmented MP4 of the response.video.delta events into an
 * appsrc, qtdemux splits it, and the "video" (H.264) and "audio" (AAC)
 * pads carry it restamped to the pipeline's running time. The reader
 * thread runs from READY->PAUSED to PAUSED->READY; demuxing runs on the
 * appsrc's streaming thread. WebRTC mode (§3.2): a webrtcbin instead
 * (gstvoiceliveavatarwebrtc.c), its H.264 and Opus on the same pads.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-voiceliveavatarsrc
 * @title: voiceliveavatarsrc
 *
 * The agent as a talking avatar: the video (H.264) and its lip-synced
 * voice of the voicelivesink with the same session-name, when that sink
 * has avatar-character set. With avatar-output-protocol=websocket the
 * audio is AAC and the pads appear once the first answer arrives; with
 * avatar-output-protocol=webrtc the element negotiates a WebRTC peer
 * connection with the service (webrtcbin, which needs gstreamer1.0-nice)
 * and the audio is Opus, the pads appearing once media flows. Pads:
 * "video" (video/x-h264) and "audio".
 * The avatar's audio is the agent's voice: a pipeline with an avatar
 * needs no voicelivesrc (a paired one outputs silence for the answers).
 *
 * |[
 * gst-launch-1.0 autoaudiosrc ! audioconvert ! audioresample ! \
 *     voicelivesink avatar-character=lisa avatar-style=casual-sitting \
 *     voiceliveavatarsrc name=a \
 *     a.video ! queue ! decodebin ! videoconvert ! autovideosink \
 *     a.audio ! queue ! decodebin ! audioconvert ! audioresample ! autoaudiosink
 * ]|
 *
 * Since: 0.2
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstvoiceliveavatarsrc.h"
#include "gstvoicelivesession.h"
#include "gstvoiceliveavatarwebrtc.h"

GST_DEBUG_CATEGORY_STATIC (voiceliveavatarsrc_debug);
#define GST_CAT_DEFAULT voiceliveavatarsrc_debug

#define DEFAULT_SESSION_NAME "default"
/* The pipeline latency the element reports: the service's fragments are
 * 200 ms or less, and each is stamped when it arrives. */
#define DEFAULT_LATENCY_MS 200
/* How long the reader waits before looking at its stop flag again */
#define READ_WAIT_US (100 * G_TIME_SPAN_MILLISECOND)

enum
{
  PROP_0,
  PROP_SESSION_NAME,
  PROP_LATENCY_MS,
};

struct _GstVoiceLiveAvatarSrc
{
  GstBin parent;

  GstElement *appsrc;
  GstElement *demux;
  GstPad *video_pad, *audio_pad;        /* ghost pads, once exposed */

  /* Under lock (not the bin's object lock: the bin takes that to handle
   * its children's messages) */
  GMutex lock;
  gchar *session_name;
  guint latency_ms;
  GstVoiceLiveSession *session;

  GThread *reader;
  VlAvatarRtc *rtc;             /* WebRTC mode: READY->PAUSED..PAUSED->READY */
  gboolean stopping;            /* under lock */

  /* Streaming thread (the appsrc's) only */
  gboolean demux_fed;           /* qtdemux has seen a stream */
  GstClockTime stream_base;     /* running time the current stream starts */
};

static GstStaticPadTemplate video_template =
GST_STATIC_PAD_TEMPLATE ("video", GST_PAD_SRC, GST_PAD_SOMETIMES,
    GST_STATIC_CAPS ("video/x-h264"));
static GstStaticPadTemplate audio_template =
    GST_STATIC_PAD_TEMPLATE ("audio", GST_PAD_SRC, GST_PAD_SOMETIMES,
    GST_STATIC_CAPS ("audio/mpeg, mpegversion=(int)4; audio/x-opus"));

#define gst_voice_live_avatar_src_parent_class parent_class
G_DEFINE_TYPE (GstVoiceLiveAvatarSrc, gst_voice_live_avatar_src, GST_TYPE_BIN);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (voiceliveavatarsrc,
    "voiceliveavatarsrc", GST_RANK_NONE, GST_TYPE_VOICE_LIVE_AVATAR_SRC,
    GST_DEBUG_CATEGORY_INIT (voiceliveavatarsrc_debug, "voiceliveavatarsrc",
        0, "Voice Live avatar source"));

/* A new stream (init segment) resets qtdemux, whatever a barge-in left
 * half parsed, and starts at the running time it arrives. Streaming
 * thread, before qtdemux sees the buffer. */
static GstPadProbeReturn
appsrc_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  GstVoiceLiveAvatarSrc *self = data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstSegment seg;
  guint8 head[8];

  if (gst_buffer_extract (buf, 0, head, 8) < 8
      || memcmp (head + 4, "ftyp", 4) != 0)
    return GST_PAD_PROBE_OK;
  if (self->demux_fed) {
    GstPad *sink = gst_element_get_static_pad (self->demux, "sink");

    gst_pad_send_event (sink, gst_event_new_flush_start ());
    gst_pad_send_event (sink, gst_event_new_flush_stop (FALSE));
    /* The flush took qtdemux's segment: a new byte stream */
    gst_segment_init (&seg, GST_FORMAT_BYTES);
    gst_pad_send_event (sink, gst_event_new_segment (&seg));
    gst_object_unref (sink);
  }
  self->demux_fed = TRUE;
  self->stream_base = gst_voice_live_running_time (GST_ELEMENT (self), 0);
  GST_DEBUG_OBJECT (self, "new avatar stream at %" GST_TIME_FORMAT,
      GST_TIME_ARGS (self->stream_base));
  return GST_PAD_PROBE_OK;
}

/* qtdemux's output on the element's timeline: each stream's times from
 * the running time it started; one plain time segment; its flushes (from
 * the reset above) stay inside. */
static GstPadProbeReturn
demux_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  GstVoiceLiveAvatarSrc *self = data;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buf = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER
        (info));

    if (GST_BUFFER_PTS_IS_VALID (buf))
      GST_BUFFER_PTS (buf) += self->stream_base;
    if (GST_BUFFER_DTS_IS_VALID (buf))
      GST_BUFFER_DTS (buf) += self->stream_base;
    info->data = buf;
    return GST_PAD_PROBE_OK;
  }
  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    GstEvent *ev = GST_PAD_PROBE_INFO_EVENT (info);
    GstSegment seg;

    switch (GST_EVENT_TYPE (ev)) {
      case GST_EVENT_FLUSH_START:
      case GST_EVENT_FLUSH_STOP:
        return GST_PAD_PROBE_DROP;
      case GST_EVENT_SEGMENT:
        gst_segment_init (&seg, GST_FORMAT_TIME);
        gst_event_unref (ev);
        info->data = gst_event_new_segment (&seg);
        return GST_PAD_PROBE_OK;
      default:
        break;
    }
  }
  return GST_PAD_PROBE_OK;
}

/* The element's video or audio pad targets @pad (qtdemux's, or in WebRTC
 * mode a depayloader's). Streaming thread. */
static void
expose_pad (GstElement * element, gboolean video, GstPad * pad)
{
  GstVoiceLiveAvatarSrc *self = GST_VOICE_LIVE_AVATAR_SRC (element);
  GstPad **slot = video ? &self->video_pad : &self->audio_pad;
  GstStaticPadTemplate *templ = video ? &video_template : &audio_template;

  if (*slot) {
    gst_ghost_pad_set_target (GST_GHOST_PAD (*slot), pad);
    return;
  }
  *slot = gst_ghost_pad_new_from_template (templ->name_template, pad,
      gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self),
          templ->name_template));
  gst_pad_set_active (*slot, TRUE);
  gst_element_add_pad (GST_ELEMENT (self), *slot);
  GST_INFO_OBJECT (self, "exposed %s", templ->name_template);
}

/* A qtdemux pad (again after a reset). Streaming thread. */
static void
on_pad_added (GstElement * demux, GstPad * pad, gpointer data)
{
  GstVoiceLiveAvatarSrc *self = data;
  const gchar *name = GST_PAD_NAME (pad);
  gboolean video = g_str_has_prefix (name, "video");

  if (!video && !g_str_has_prefix (name, "audio"))
    return;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
      demux_probe, self, NULL);
  expose_pad (GST_ELEMENT (self), video, pad);
}

/* avatar-output-protocol=webrtc: the webrtcbin peer (READY->PAUSED) */
static gboolean
start_webrtc (GstVoiceLiveAvatarSrc * self, GstVoiceLiveSession * session,
    guint latency_ms)
{
  GError *err = NULL;

  if (!gst_voice_live_session_avatar_webrtc (session, NULL))
    return TRUE;
  self->rtc = vl_avatar_rtc_start (GST_ELEMENT (self), session, latency_ms,
      expose_pad, &err);
  if (!self->rtc) {
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN, ("%s", err->message),
        (NULL));
    g_clear_error (&err);
    return FALSE;
  }
  return TRUE;
}

static gpointer
reader_thread (gpointer data)
{
  GstVoiceLiveAvatarSrc *self = data;
  GstVoiceLiveSession *session;
  GBytes *bytes;
  gboolean init, stop = FALSE, pushed = FALSE;

  g_mutex_lock (&self->lock);
  session = self->session ? gst_object_ref (self->session) : NULL;
  g_mutex_unlock (&self->lock);
  if (!session)
    return NULL;
  while (!stop) {
    GstFlowReturn flow = GST_FLOW_OK;
    GstBuffer *buf;

    switch (gst_voice_live_session_read_video (session,
            g_get_monotonic_time () + READ_WAIT_US, &bytes, &init)) {
      case GST_VOICE_LIVE_READ_DATA:
        buf = gst_buffer_new_wrapped_bytes (bytes);
        g_bytes_unref (bytes);
        g_signal_emit_by_name (self->appsrc, "push-buffer", buf, &flow);
        gst_buffer_unref (buf);
        pushed = TRUE;
        stop = flow == GST_FLOW_FLUSHING;
        break;
      case GST_VOICE_LIVE_READ_EMPTY:
        break;
      case GST_VOICE_LIVE_READ_EOS:
        /* qtdemux ends its streams; without any it would call the
         * empty stream an error: nothing to end then */
        if (pushed)
          g_signal_emit_by_name (self->appsrc, "end-of-stream", &flow);
        stop = TRUE;
        break;
      default:
        /* flushing (stopping), or failed: the error was posted */
        stop = TRUE;
        break;
    }
    g_mutex_lock (&self->lock);
    stop |= self->stopping;
    g_mutex_unlock (&self->lock);
  }
  gst_object_unref (session);
  return NULL;
}

static gboolean
start (GstVoiceLiveAvatarSrc * self)
{
  GstVoiceLiveSession *session;
  GError *err = NULL;
  gchar *name;

  g_mutex_lock (&self->lock);
  name = g_strdup (self->session_name);
  g_mutex_unlock (&self->lock);
  session = gst_voice_live_session_acquire_avatar (name, GST_ELEMENT (self),
      &err);
  g_free (name);
  if (!session) {
    GST_ELEMENT_ERROR (self, RESOURCE, BUSY, ("%s", err->message), (NULL));
    g_clear_error (&err);
    return FALSE;
  }
  g_mutex_lock (&self->lock);
  self->session = session;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
stop_reader (GstVoiceLiveAvatarSrc * self)
{
  GstVoiceLiveSession *session;

  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  session = self->session ? gst_object_ref (self->session) : NULL;
  g_mutex_unlock (&self->lock);
  if (session) {
    gst_voice_live_session_set_video_flushing (session, TRUE);
    gst_object_unref (session);
  }
  if (self->reader)
    g_thread_join (self->reader);
  self->reader = NULL;
}

static GstStateChangeReturn
change_state (GstElement * element, GstStateChange transition)
{
  GstVoiceLiveAvatarSrc *self = GST_VOICE_LIVE_AVATAR_SRC (element);
  GstStateChangeReturn ret;
  GstVoiceLiveSession *session;
  GstClockTime latency;

  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:
      if (!start (self))
        return GST_STATE_CHANGE_FAILURE;
      break;
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      g_mutex_lock (&self->lock);
      self->stopping = FALSE;
      session = gst_object_ref (self->session);
      latency = self->latency_ms * GST_MSECOND;
      g_mutex_unlock (&self->lock);
      g_object_set (self->appsrc, "min-latency", (gint64) latency, NULL);
      if (!start_webrtc (self, session, latency / GST_MSECOND)) {
        gst_object_unref (session);
        return GST_STATE_CHANGE_FAILURE;
      }
      gst_voice_live_session_set_video_flushing (session, FALSE);
      gst_object_unref (session);
      self->demux_fed = FALSE;
      self->stream_base = 0;
      self->reader = g_thread_new ("voiceliveavatar", reader_thread, self);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      /* Before the appsrc stops: the reader may be pushing */
      stop_reader (self);
      if (self->rtc)
        vl_avatar_rtc_stop (self->rtc);
      break;
    default:
      break;
  }
  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      if (self->rtc)
        vl_avatar_rtc_free (self->rtc);
      self->rtc = NULL;
      break;
    case GST_STATE_CHANGE_READY_TO_NULL:
      g_mutex_lock (&self->lock);
      session = self->session;
      self->session = NULL;
      g_mutex_unlock (&self->lock);
      if (session)
        gst_voice_live_session_release (session, element);
      break;
    default:
      break;
  }
  /* A live source: nothing to preroll */
  if (ret == GST_STATE_CHANGE_SUCCESS
      && (transition == GST_STATE_CHANGE_READY_TO_PAUSED
          || transition == GST_STATE_CHANGE_PLAYING_TO_PAUSED))
    ret = GST_STATE_CHANGE_NO_PREROLL;
  return ret;
}

static void
set_property (GObject * object, guint prop_id, const GValue * value,
    GParamSpec * pspec)
{
  GstVoiceLiveAvatarSrc *self = GST_VOICE_LIVE_AVATAR_SRC (object);

  g_mutex_lock (&self->lock);
  switch (prop_id) {
    case PROP_SESSION_NAME:
      g_free (self->session_name);
      self->session_name = g_value_dup_string (value);
      if (!self->session_name)
        self->session_name = g_strdup (DEFAULT_SESSION_NAME);
      break;
    case PROP_LATENCY_MS:
      self->latency_ms = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->lock);
}

static void
get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstVoiceLiveAvatarSrc *self = GST_VOICE_LIVE_AVATAR_SRC (object);

  g_mutex_lock (&self->lock);
  switch (prop_id) {
    case PROP_SESSION_NAME:
      g_value_set_string (value, self->session_name);
      break;
    case PROP_LATENCY_MS:
      g_value_set_uint (value, self->latency_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->lock);
}

static void
finalize (GObject * object)
{
  GstVoiceLiveAvatarSrc *self = GST_VOICE_LIVE_AVATAR_SRC (object);

  g_free (self->session_name);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_voice_live_avatar_src_class_init (GstVoiceLiveAvatarSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = set_property;
  gobject_class->get_property = get_property;
  gobject_class->finalize = finalize;

  /**
   * GstVoiceLiveAvatarSrc:session-name:
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, PROP_SESSION_NAME,
      g_param_spec_string ("session-name", "Session name",
          "The voicelivesink session whose avatar this shows (taken in "
          "NULL->READY)", DEFAULT_SESSION_NAME,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY | GST_PARAM_DOC_SHOW_DEFAULT));
  /**
   * GstVoiceLiveAvatarSrc:latency-ms:
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, PROP_LATENCY_MS,
      g_param_spec_uint ("latency-ms", "Latency",
          "Latency reported to the pipeline (ms): frames play this long "
          "after their fragment arrives", 0, 10000, DEFAULT_LATENCY_MS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY | GST_PARAM_DOC_SHOW_DEFAULT));

  element_class->change_state = change_state;
  gst_element_class_add_static_pad_template (element_class, &video_template);
  gst_element_class_add_static_pad_template (element_class, &audio_template);
  gst_element_class_set_static_metadata (element_class,
      "Voice Live avatar source", "Source/Video/Audio",
      "The talking avatar of a voicelivesink's session: H.264 video, and "
      "AAC (WebSocket mode) or Opus (WebRTC mode) audio",
      "gst-voicelive contributors");
}

static void
gst_voice_live_avatar_src_init (GstVoiceLiveAvatarSrc * self)
{
  GstCaps *caps = gst_caps_from_string ("video/quicktime, "
      "variant=(string)iso-fragmented");
  GstPad *pad;

  g_mutex_init (&self->lock);
  self->session_name = g_strdup (DEFAULT_SESSION_NAME);
  self->latency_ms = DEFAULT_LATENCY_MS;
  self->appsrc = gst_element_factory_make ("appsrc", "fmp4");
  self->demux = gst_element_factory_make ("qtdemux", "demux");
  g_object_set (self->appsrc, "is-live", TRUE, "format", GST_FORMAT_BYTES,
      "caps", caps, "max-bytes", (guint64) 0, NULL);
  gst_caps_unref (caps);
  gst_bin_add_many (GST_BIN (self), self->appsrc, self->demux, NULL);
  gst_element_link (self->appsrc, self->demux);
  pad = gst_element_get_static_pad (self->appsrc, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, appsrc_probe, self, NULL);
  gst_object_unref (pad);
  g_signal_connect (self->demux, "pad-added", G_CALLBACK (on_pad_added), self);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
}
