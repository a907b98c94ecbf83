/* gst-voicelive
 * voicelivetextsrc: the conversation as timed text/x-raw (captions,
 * subtitles). create runs on its streaming thread and waits (bounded) on
 * the session for the next caption; properties on any thread. The timing
 * comes from gstvoicelivecaptions.c through gstvoicelivesessiontext.c.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-voicelivetextsrc
 * @title: voicelivetextsrc
 *
 * The words of the conversation that the #voicelivesink of the same
 * #GstVoiceLiveTextSrc:session-name holds, as timed text for `textoverlay`,
 * `subtitleoverlay` or a muxer's subtitle track.
 *
 * The agent's words are timed to when the #voicelivesrc of the session
 * plays them: a buffer's PTS is the running time of the audio that says
 * it, and its duration how long that audio lasts. With word-timestamps=true
 * on the sink, each word of the service's response.audio_timestamp.delta
 * events is one buffer (granularity=word); without them each transcript
 * delta is timed at the audio of its item that had arrived before it. A
 * barge-in drops the text of audio that was never heard, and a caption
 * shown when its audio is cut ends there (an empty buffer at the cut).
 * Captions are given out once voicelivesrc has pushed the audio where they
 * start.
 *
 * The user's words (input transcription on the sink) are timed from
 * speech_started / speech_stopped in the input audio the sink received.
 *
 * With #GstVoiceLiveTextSrc:is-live (the default) GAP events keep the
 * stream's time moving between captions, so a textoverlay on live video
 * never waits for text; with is-live=false (recordings) it follows the
 * audio voicelivesrc pushed and ends after voicelivesrc does.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 filesrc location=question.wav ! wavparse ! audioconvert ! \
 *     audioresample ! voicelivesink endpoint=ws://127.0.0.1:PORT api-key=KEY \
 *     word-timestamps=true \
 *     voicelivesrc ! audioconvert ! autoaudiosink \
 *     videotestsrc is-live=true ! textoverlay name=o ! autovideosink \
 *     voicelivetextsrc ! o.text_sink
 * ]|
 *
 * Since: 0.2
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstvoicelivetextsrc.h"
#include "gstvoicelivesession.h"

GST_DEBUG_CATEGORY_STATIC (voicelivetextsrc_debug);
#define GST_CAT_DEFAULT voicelivetextsrc_debug

#define DEFAULT_SESSION_NAME "default"
#define DEFAULT_SPEAKERS (GST_VOICE_LIVE_SPEAKER_AGENT | GST_VOICE_LIVE_SPEAKER_USER)
#define DEFAULT_GRANULARITY GST_VOICE_LIVE_GRANULARITY_WORD
#define DEFAULT_SPEAKER_PREFIX ""
#define DEFAULT_MARKUP FALSE
#define DEFAULT_IS_LIVE TRUE
/* Live: how often GAP events follow the clock when nothing is said; also
 * the latency reported (a caption may come one tick late). */
#define LIVE_TICK_MS 40
#define WAIT_MS 200

enum
{
  PROP_0,
  PROP_SESSION_NAME,
  PROP_SPEAKERS,
  PROP_GRANULARITY,
  PROP_SPEAKER_PREFIX,
  PROP_MARKUP,
  PROP_IS_LIVE,
};

struct _GstVoiceLiveTextSrc
{
  GstPushSrc parent;

  /* Properties, under the object lock */
  gchar *session_name;
  guint speakers;
  GstVoiceLiveGranularity granularity;
  gchar *speaker_prefix;
  gboolean markup;

  /* Orders taking and letting go of the session; before the object lock */
  GMutex session_lock;
  /* Written under the object lock and session_lock; the streaming thread
   * reads it without, as it does not change while streaming. */
  GstVoiceLiveSession *session;

  /* Streaming thread */
  GstClockTime position;
  gboolean segment_sent;
};

#define gst_voice_live_text_src_parent_class parent_class
G_DEFINE_TYPE (GstVoiceLiveTextSrc, gst_voice_live_text_src, GST_TYPE_PUSH_SRC);
GST_ELEMENT_REGISTER_DEFINE (voicelivetextsrc, "voicelivetextsrc",
    GST_RANK_NONE, GST_TYPE_VOICE_LIVE_TEXT_SRC);

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("text/x-raw, format = (string) { utf8, pango-markup }"));

GType
gst_voice_live_text_granularity_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_VOICE_LIVE_GRANULARITY_WORD, "Word: one buffer per word (with "
          "word-timestamps; else per transcript delta)", "word"},
    {GST_VOICE_LIVE_GRANULARITY_PHRASE, "Phrase: one buffer per transcript "
          "delta, as it arrives", "phrase"},
    {GST_VOICE_LIVE_GRANULARITY_UTTERANCE, "Utterance: the whole transcript "
          "of an item", "utterance"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstVoiceLiveTextGranularity", values);

    g_once_init_leave (&type, t);
  }
  return type;
}

GType
gst_voice_live_text_speakers_get_type (void)
{
  static GType type = 0;
  static const GFlagsValue values[] = {
    {GST_VOICE_LIVE_SPEAKER_AGENT, "The agent's answers", "agent"},
    {GST_VOICE_LIVE_SPEAKER_USER, "The user's words (input transcription)",
        "user"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type)) {
    GType t = g_flags_register_static ("GstVoiceLiveTextSpeakers", values);

    g_once_init_leave (&type, t);
  }
  return type;
}

static void
gst_voice_live_text_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstVoiceLiveTextSrc *self = GST_VOICE_LIVE_TEXT_SRC (object);
  gboolean running;

  GST_OBJECT_LOCK (self);
  running = GST_STATE (self) > GST_STATE_READY
      || GST_STATE_PENDING (self) > GST_STATE_READY;
  if (running && (pspec->flags & GST_PARAM_MUTABLE_PLAYING) == 0) {
    GST_OBJECT_UNLOCK (self);
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("Property '%s' can only be changed in the NULL or READY state; the "
            "change is ignored", pspec->name), (NULL));
    return;
  }
  switch (prop_id) {
    case PROP_SESSION_NAME:{
      const gchar *name = g_value_get_string (value);

      GST_OBJECT_UNLOCK (self);
      /* In READY the session is held already: move to the new one */
      gst_voice_live_session_rename (&self->session, &self->session_name,
          &self->session_lock, GST_ELEMENT (self),
          name && *name ? name : DEFAULT_SESSION_NAME, TRUE, NULL);
      return;
    }
    case PROP_SPEAKERS:
      self->speakers = g_value_get_flags (value);
      break;
    case PROP_GRANULARITY:
      self->granularity = g_value_get_enum (value);
      break;
    case PROP_SPEAKER_PREFIX:
      g_free (self->speaker_prefix);
      self->speaker_prefix = g_value_dup_string (value);
      break;
    case PROP_MARKUP:
      self->markup = g_value_get_boolean (value);
      break;
    case PROP_IS_LIVE:
      GST_OBJECT_UNLOCK (self);
      gst_base_src_set_live (GST_BASE_SRC (self), g_value_get_boolean (value));
      return;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_voice_live_text_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstVoiceLiveTextSrc *self = GST_VOICE_LIVE_TEXT_SRC (object);

  if (prop_id == PROP_IS_LIVE) {
    g_value_set_boolean (value, gst_base_src_is_live (GST_BASE_SRC (self)));
    return;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_SESSION_NAME:
      g_value_set_string (value, self->session_name);
      break;
    case PROP_SPEAKERS:
      g_value_set_flags (value, self->speakers);
      break;
    case PROP_GRANULARITY:
      g_value_set_enum (value, self->granularity);
      break;
    case PROP_SPEAKER_PREFIX:
      g_value_set_string (value, self->speaker_prefix);
      break;
    case PROP_MARKUP:
      g_value_set_boolean (value, self->markup);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static GstStateChangeReturn
gst_voice_live_text_src_change_state (GstElement * element,
    GstStateChange transition)
{
  GstVoiceLiveTextSrc *self = GST_VOICE_LIVE_TEXT_SRC (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_NULL_TO_READY) {
    GstVoiceLiveSession *session;
    GError *err = NULL;
    gchar *name;

    g_mutex_lock (&self->session_lock);
    GST_OBJECT_LOCK (self);
    name = g_strdup (self->session_name);
    GST_OBJECT_UNLOCK (self);
    session = gst_voice_live_session_acquire_text (name, element, &err);
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
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);

  if (transition == GST_STATE_CHANGE_READY_TO_NULL
      || (transition == GST_STATE_CHANGE_NULL_TO_READY
          && ret == GST_STATE_CHANGE_FAILURE))
    gst_voice_live_session_let_go (&self->session, &self->session_lock,
        element, FALSE);
  return ret;
}

static gboolean
gst_voice_live_text_src_start (GstBaseSrc * bsrc)
{
  GstVoiceLiveTextSrc *self = GST_VOICE_LIVE_TEXT_SRC (bsrc);

  self->position = 0;
  self->segment_sent = FALSE;
  gst_voice_live_session_set_text_flushing (self->session, FALSE);
  return TRUE;
}

static GstCaps *
gst_voice_live_text_src_fixate (GstBaseSrc * bsrc, GstCaps * caps)
{
  GstVoiceLiveTextSrc *self = GST_VOICE_LIVE_TEXT_SRC (bsrc);
  gboolean markup;
  GstStructure *s;

  GST_OBJECT_LOCK (self);
  markup = self->markup;
  GST_OBJECT_UNLOCK (self);
  caps = gst_caps_make_writable (gst_caps_truncate (caps));
  s = gst_caps_get_structure (caps, 0);
  gst_structure_fixate_field_string (s, "format",
      markup ? "pango-markup" : "utf8");
  return GST_BASE_SRC_CLASS (parent_class)->fixate (bsrc, caps);
}

/* The negotiated format decides: markup only on pango-markup caps */
static gboolean
gst_voice_live_text_src_set_caps (GstBaseSrc * bsrc, GstCaps * caps)
{
  GstVoiceLiveTextSrc *self = GST_VOICE_LIVE_TEXT_SRC (bsrc);
  const gchar *format =
      gst_structure_get_string (gst_caps_get_structure (caps, 0), "format");

  GST_DEBUG_OBJECT (self, "format %s", format);
  return TRUE;
}

static gboolean
negotiated_markup (GstVoiceLiveTextSrc * self)
{
  GstCaps *caps = gst_pad_get_current_caps (GST_BASE_SRC_PAD (self));
  gboolean markup = FALSE;

  if (caps) {
    markup = g_strcmp0 (gst_structure_get_string (gst_caps_get_structure
            (caps, 0), "format"), "pango-markup") == 0;
    gst_caps_unref (caps);
  }
  return markup;
}

/* basesrc sends its segment with the first buffer: a GAP before it needs
 * the same segment first (sent again later; the same one twice is
 * harmless). */
static void
push_gap (GstVoiceLiveTextSrc * self, GstClockTime end)
{
  GstBaseSrc *bsrc = GST_BASE_SRC (self);

  if (!self->segment_sent) {
    GstSegment segment;

    GST_OBJECT_LOCK (self);
    gst_segment_copy_into (&bsrc->segment, &segment);
    GST_OBJECT_UNLOCK (self);
    gst_pad_push_event (GST_BASE_SRC_PAD (bsrc),
        gst_event_new_segment (&segment));
    self->segment_sent = TRUE;
  }
  gst_pad_push_event (GST_BASE_SRC_PAD (bsrc),
      gst_event_new_gap (self->position, end - self->position));
  self->position = end;
}

/* The text of a caption: prefix and markup as set */
static GstBuffer *
caption_buffer (GstVoiceLiveTextSrc * self, const GstVoiceLiveCaption * c)
{
  gboolean user = c->speaker == GST_VOICE_LIVE_SPEAKER_USER;
  const gchar *who = user ? "User" : "Agent";
  gboolean markup = negotiated_markup (self);
  GString *out = g_string_new (NULL);
  gchar *prefix = NULL, *p;
  GstBuffer *buf;

  if (*c->text) {
    GST_OBJECT_LOCK (self);
    if (self->speaker_prefix && *self->speaker_prefix) {
      /* "%s" is the speaker's name */
      GString *s = g_string_new (NULL);

      for (p = self->speaker_prefix; *p; p++) {
        if (p[0] == '%' && p[1] == 's') {
          g_string_append (s, who);
          p++;
        } else {
          g_string_append_c (s, *p);
        }
      }
      prefix = g_string_free (s, FALSE);
    }
    GST_OBJECT_UNLOCK (self);
    if (markup) {
      gchar *t = g_markup_escape_text (c->text, -1);
      gchar *pe = prefix ? g_markup_escape_text (prefix, -1) : NULL;

      g_string_append_printf (out, "<span foreground=\"%s\"%s>%s%s</span>",
          user ? "#ffff80" : "#ffffff", user ? " style=\"italic\"" : "",
          pe ? pe : "", t);
      g_free (t);
      g_free (pe);
    } else {
      g_string_append_printf (out, "%s%s", prefix ? prefix : "", c->text);
    }
  }
  g_free (prefix);
  buf = gst_buffer_new_wrapped (g_strdup (out->str), out->len);
  g_string_free (out, TRUE);
  GST_BUFFER_PTS (buf) = c->pts;
  GST_BUFFER_DURATION (buf) = c->duration;
  return buf;
}

static GstFlowReturn
gst_voice_live_text_src_create (GstPushSrc * psrc, GstBuffer ** outbuf)
{
  GstVoiceLiveTextSrc *self = GST_VOICE_LIVE_TEXT_SRC (psrc);
  gboolean live = gst_base_src_is_live (GST_BASE_SRC (self));
  GstVoiceLiveGranularity granularity;
  guint speakers;

  GST_OBJECT_LOCK (self);
  granularity = self->granularity;
  speakers = self->speakers;
  GST_OBJECT_UNLOCK (self);

  /* Not live, downstream (a muxer) may have to preroll before anything is
   * said, and the conversation may only start once the pipeline plays:
   * an empty GAP lets it, as voicelivesrc does. */
  if (!live && !self->segment_sent)
    push_gap (self, 0);

  while (TRUE) {
    GstVoiceLiveCaption c = { 0, };
    GstClockTime gap_end = GST_CLOCK_TIME_NONE;
    gint64 deadline = g_get_monotonic_time () +
        (live ? LIVE_TICK_MS : WAIT_MS) * G_TIME_SPAN_MILLISECOND;

    switch (gst_voice_live_session_read_caption (self->session, granularity,
            speakers, live, self->position,
            live ? gst_voice_live_running_time (GST_ELEMENT (self),
                GST_CLOCK_TIME_NONE) : GST_CLOCK_TIME_NONE,
            deadline, &c, &gap_end)) {
      case GST_VOICE_LIVE_TEXT_CAPTION:
        *outbuf = caption_buffer (self, &c);
        GST_LOG_OBJECT (self, "caption '%s' at %" GST_TIME_FORMAT " for %"
            GST_TIME_FORMAT, c.text, GST_TIME_ARGS (c.pts),
            GST_TIME_ARGS (c.duration));
        self->position = c.pts;
        gst_voice_live_caption_clear (&c);
        return GST_FLOW_OK;
      case GST_VOICE_LIVE_TEXT_GAP:
        push_gap (self, gap_end);
        break;
      case GST_VOICE_LIVE_TEXT_EOS:
        return GST_FLOW_EOS;
      case GST_VOICE_LIVE_TEXT_FLUSHING:
        return GST_FLOW_FLUSHING;
      case GST_VOICE_LIVE_TEXT_ERROR:
        return GST_FLOW_ERROR;
      case GST_VOICE_LIVE_TEXT_TIMEOUT:
        break;
    }
  }
}

static gboolean
gst_voice_live_text_src_query (GstBaseSrc * bsrc, GstQuery * query)
{
  if (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY) {
    gboolean live = gst_base_src_is_live (bsrc);

    gst_query_set_latency (query, live, live ? LIVE_TICK_MS * GST_MSECOND :
        0, GST_CLOCK_TIME_NONE);
    return TRUE;
  }
  return GST_BASE_SRC_CLASS (parent_class)->query (bsrc, query);
}

static gboolean
gst_voice_live_text_src_unlock (GstBaseSrc * bsrc)
{
  GstVoiceLiveTextSrc *self = GST_VOICE_LIVE_TEXT_SRC (bsrc);

  gst_voice_live_session_set_text_flushing (self->session, TRUE);
  return TRUE;
}

static gboolean
gst_voice_live_text_src_unlock_stop (GstBaseSrc * bsrc)
{
  GstVoiceLiveTextSrc *self = GST_VOICE_LIVE_TEXT_SRC (bsrc);

  gst_voice_live_session_set_text_flushing (self->session, FALSE);
  return TRUE;
}

static void
gst_voice_live_text_src_dispose (GObject * object)
{
  GstVoiceLiveTextSrc *self = GST_VOICE_LIVE_TEXT_SRC (object);

  gst_voice_live_session_let_go (&self->session, &self->session_lock,
      GST_ELEMENT (self), FALSE);
  G_OBJECT_CLASS (parent_class)->dispose (object);
}

static void
gst_voice_live_text_src_finalize (GObject * object)
{
  GstVoiceLiveTextSrc *self = GST_VOICE_LIVE_TEXT_SRC (object);

  g_free (self->session_name);
  g_free (self->speaker_prefix);
  g_mutex_clear (&self->session_lock);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_voice_live_text_src_init (GstVoiceLiveTextSrc * self)
{
  self->session_name = g_strdup (DEFAULT_SESSION_NAME);
  self->speakers = DEFAULT_SPEAKERS;
  self->granularity = DEFAULT_GRANULARITY;
  self->speaker_prefix = g_strdup (DEFAULT_SPEAKER_PREFIX);
  self->markup = DEFAULT_MARKUP;
  g_mutex_init (&self->session_lock);
  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);
  gst_base_src_set_live (GST_BASE_SRC (self), DEFAULT_IS_LIVE);
}

#define READY_PARAM (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY | GST_PARAM_DOC_SHOW_DEFAULT)

static void
gst_voice_live_text_src_class_init (GstVoiceLiveTextSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *basesrc_class = GST_BASE_SRC_CLASS (klass);
  GstPushSrcClass *pushsrc_class = GST_PUSH_SRC_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (voicelivetextsrc_debug, "voicelivetextsrc", 0,
      "Voice Live text source");

  gobject_class->set_property = gst_voice_live_text_src_set_property;
  gobject_class->get_property = gst_voice_live_text_src_get_property;
  gobject_class->dispose = gst_voice_live_text_src_dispose;
  gobject_class->finalize = gst_voice_live_text_src_finalize;

  /**
   * GstVoiceLiveTextSrc:session-name:
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, PROP_SESSION_NAME,
      g_param_spec_string ("session-name", "Session name",
          "Name shared with the voicelivesink whose conversation this "
          "source captions", DEFAULT_SESSION_NAME, READY_PARAM));
  /**
   * GstVoiceLiveTextSrc:speakers:
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, PROP_SPEAKERS,
      g_param_spec_flags ("speakers", "Speakers",
          "Whose words to output: the agent's, the user's (input "
          "transcription on the sink) or both",
          GST_TYPE_VOICE_LIVE_TEXT_SPEAKERS, DEFAULT_SPEAKERS, READY_PARAM));
  /**
   * GstVoiceLiveTextSrc:granularity:
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, PROP_GRANULARITY,
      g_param_spec_enum ("granularity", "Granularity",
          "One buffer per word, per transcript delta or per utterance",
          GST_TYPE_VOICE_LIVE_TEXT_GRANULARITY, DEFAULT_GRANULARITY,
          READY_PARAM));
  /**
   * GstVoiceLiveTextSrc:speaker-prefix:
   *
   * Put before each caption, with "%s" replaced by "Agent" or "User"
   * (e.g. "%s: "). Empty: no prefix.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, PROP_SPEAKER_PREFIX,
      g_param_spec_string ("speaker-prefix", "Speaker prefix",
          "Text before each caption; %s is the speaker (Agent or User)",
          DEFAULT_SPEAKER_PREFIX, READY_PARAM));
  /**
   * GstVoiceLiveTextSrc:markup:
   *
   * Output pango markup (format=pango-markup when downstream accepts it):
   * the agent in white, the user in light yellow italics, the text
   * escaped.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, PROP_MARKUP,
      g_param_spec_boolean ("markup", "Markup",
          "Pango markup per speaker (format=pango-markup); else plain utf8",
          DEFAULT_MARKUP, READY_PARAM));
  /**
   * GstVoiceLiveTextSrc:is-live:
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, PROP_IS_LIVE,
      g_param_spec_boolean ("is-live", "Is live",
          "Live source: GAP events follow the clock between captions; "
          "false: follow the audio voicelivesrc pushed (recordings)",
          DEFAULT_IS_LIVE, READY_PARAM));

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Voice Live text source", "Source/Text/Network",
      "The words of a real-time voice agent conversation as timed text, "
      "in sync with voicelivesrc's audio (captions, subtitles)",
      "gst-voicelive developers");

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_voice_live_text_src_change_state);
  basesrc_class->start = GST_DEBUG_FUNCPTR (gst_voice_live_text_src_start);
  basesrc_class->fixate = GST_DEBUG_FUNCPTR (gst_voice_live_text_src_fixate);
  basesrc_class->set_caps =
      GST_DEBUG_FUNCPTR (gst_voice_live_text_src_set_caps);
  basesrc_class->query = GST_DEBUG_FUNCPTR (gst_voice_live_text_src_query);
  basesrc_class->unlock = GST_DEBUG_FUNCPTR (gst_voice_live_text_src_unlock);
  basesrc_class->unlock_stop =
      GST_DEBUG_FUNCPTR (gst_voice_live_text_src_unlock_stop);
  pushsrc_class->create = GST_DEBUG_FUNCPTR (gst_voice_live_text_src_create);

  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_TEXT_GRANULARITY, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VOICE_LIVE_TEXT_SPEAKERS, 0);
}
