/* gst-voicelive
 * voicelivesink's keypad digits: properties, sources of digits, sequences
 * sent as user text. The lock guards everything here; it is never held
 * while sending or posting. Digits are a caller's PIN as often as not:
 * they appear in debug logs only, never in warnings or info.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstvoicelivesinkdtmf.h"

GST_DEBUG_CATEGORY_STATIC (voicelivedtmf_debug);
#define GST_CAT_DEFAULT voicelivedtmf_debug

enum
{
  PROP_DETECT,
  PROP_TIMEOUT,
  PROP_TERMINATOR,
  PROP_TEMPLATE,
  PROP_CREATE_RESPONSE,
  N_PROPS
};

G_STATIC_ASSERT (N_PROPS == GST_VOICE_LIVE_SINK_DTMF_N_PROPS);

static guint first_prop_id;

void
gst_voice_live_sink_dtmf_install_properties (GObjectClass * klass,
    guint first_id)
{
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  GST_DEBUG_CATEGORY_INIT (voicelivedtmf_debug, "voicelivedtmf", 0,
      "voicelivesink keypad digits");
  first_prop_id = first_id;
  g_object_class_install_property (klass, first_id + PROP_DETECT,
      g_param_spec_boolean ("dtmf-detect", "Detect DTMF",
          "Detect keypad tones (DTMF) in the input audio and send them "
          "like the dtmf signal", FALSE, rw));
  g_object_class_install_property (klass, first_id + PROP_TIMEOUT,
      g_param_spec_uint ("dtmf-timeout-ms", "DTMF inter-digit timeout",
          "A keypad sequence ends when no digit came for this long (ms)",
          100, 60000, GST_VOICE_LIVE_DTMF_DEFAULT_TIMEOUT_MS, rw));
  g_object_class_install_property (klass, first_id + PROP_TERMINATOR,
      g_param_spec_string ("dtmf-terminator", "DTMF terminator",
          "The keypad digit that ends a sequence at once (kept in it): one "
          "of 0-9 * # A-D, or empty for none", "#", rw));
  g_object_class_install_property (klass, first_id + PROP_TEMPLATE,
      g_param_spec_string ("dtmf-template", "DTMF text template",
          "The user text a keypad sequence is sent as; {digits} becomes "
          "the digits separated by spaces",
          GST_VOICE_LIVE_DTMF_DEFAULT_TEMPLATE, rw));
  g_object_class_install_property (klass, first_id + PROP_CREATE_RESPONSE,
      g_param_spec_boolean ("dtmf-create-response", "DTMF create response",
          "Ask for a response after each keypad sequence (as "
          "create-response does)", TRUE, rw));
}

void
gst_voice_live_sink_dtmf_init (GstVoiceLiveSinkDtmf * d, GstElement * sink,
    GstVoiceLiveSinkDtmfSession get_session)
{
  g_mutex_init (&d->lock);
  d->sink = sink;
  d->get_session = get_session;
  d->timeout_ms = GST_VOICE_LIVE_DTMF_DEFAULT_TIMEOUT_MS;
  d->terminator = '#';
  d->template = g_strdup (GST_VOICE_LIVE_DTMF_DEFAULT_TEMPLATE);
  d->create_response = TRUE;
  d->format = GST_VOICE_LIVE_AUDIO_PCM16_24000;
  gst_voice_live_dtmf_collector_init (&d->collector, d->timeout_ms,
      d->terminator);
}

/* Call with the lock */
static void
cancel_timer (GstVoiceLiveSinkDtmf * d)
{
  if (d->timer) {
    g_source_destroy (d->timer);
    g_source_unref (d->timer);
    d->timer = NULL;
  }
}

void
gst_voice_live_sink_dtmf_clear (GstVoiceLiveSinkDtmf * d)
{
  g_mutex_lock (&d->lock);
  cancel_timer (d);
  g_mutex_unlock (&d->lock);
  gst_voice_live_dtmf_collector_clear (&d->collector);
  g_clear_pointer (&d->detector, gst_voice_live_dtmf_detector_free);
  g_free (d->template);
  g_mutex_clear (&d->lock);
}

gboolean
gst_voice_live_sink_dtmf_set_property (GstVoiceLiveSinkDtmf * d,
    guint prop_id, const GValue * value)
{
  const gchar *str;

  if (prop_id < first_prop_id || prop_id >= first_prop_id + N_PROPS)
    return FALSE;
  g_mutex_lock (&d->lock);
  switch (prop_id - first_prop_id) {
    case PROP_DETECT:
      g_atomic_int_set (&d->detect, g_value_get_boolean (value));
      break;
    case PROP_TIMEOUT:
      d->timeout_ms = d->collector.timeout_ms = g_value_get_uint (value);
      break;
    case PROP_TERMINATOR:
      str = g_value_get_string (value);
      if (str && *str && (str[1] || !gst_voice_live_dtmf_is_digit (*str))) {
        g_mutex_unlock (&d->lock);
        GST_ELEMENT_WARNING (d->sink, RESOURCE, SETTINGS,
            ("Property 'dtmf-terminator' must be one keypad digit (0-9, *, "
                "#, A-D) or empty; the change is ignored"), (NULL));
        return TRUE;
      }
      d->terminator = d->collector.terminator = str ? *str : 0;
      break;
    case PROP_TEMPLATE:
      str = g_value_get_string (value);
      g_free (d->template);
      d->template = g_strdup (str ? str : GST_VOICE_LIVE_DTMF_DEFAULT_TEMPLATE);
      break;
    case PROP_CREATE_RESPONSE:
      d->create_response = g_value_get_boolean (value);
      break;
  }
  g_mutex_unlock (&d->lock);
  return TRUE;
}

gboolean
gst_voice_live_sink_dtmf_get_property (GstVoiceLiveSinkDtmf * d,
    guint prop_id, GValue * value)
{
  gchar term[2] = { 0, 0 };

  if (prop_id < first_prop_id || prop_id >= first_prop_id + N_PROPS)
    return FALSE;
  g_mutex_lock (&d->lock);
  switch (prop_id - first_prop_id) {
    case PROP_DETECT:
      g_value_set_boolean (value, g_atomic_int_get (&d->detect));
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, d->timeout_ms);
      break;
    case PROP_TERMINATOR:
      term[0] = d->terminator;
      g_value_set_string (value, term);
      break;
    case PROP_TEMPLATE:
      g_value_set_string (value, d->template);
      break;
    case PROP_CREATE_RESPONSE:
      g_value_set_boolean (value, d->create_response);
      break;
  }
  g_mutex_unlock (&d->lock);
  return TRUE;
}

/* Without the lock: the sequence goes to the agent as user text, then
 * (dtmf-create-response) a response is asked for; the application sees it
 * as voicelive/dtmf either way. */
static void
send_sequence (GstVoiceLiveSinkDtmf * d, gchar * seq, gchar * text,
    gboolean respond)
{
  GstVoiceLiveSession *s = d->get_session (d->sink);
  gboolean sent;

  sent = s && gst_voice_live_session_add_user_text (s, text);
  if (sent && respond)
    gst_voice_live_session_request_response (s, NULL);
  if (s)
    gst_object_unref (s);
  GST_DEBUG_OBJECT (d->sink, "keypad sequence '%s' (sent: %d)", seq, sent);
  if (!sent)
    GST_ELEMENT_WARNING (d->sink, RESOURCE, WRITE,
        ("A keypad (DTMF) sequence was not sent: not streaming"), (NULL));
  gst_element_post_message (d->sink,
      gst_message_new_element (GST_OBJECT (d->sink),
          gst_structure_new ("voicelive/dtmf", "digits", G_TYPE_STRING, seq,
              "text", G_TYPE_STRING, text, "sent", G_TYPE_BOOLEAN, sent,
              NULL)));
  memset (seq, 0, strlen (seq));
  memset (text, 0, strlen (text));
  g_free (seq);
  g_free (text);
}

typedef struct
{
  gchar *seq, *text;
  gboolean respond;
} Finished;

/* With the lock: @seq (taken) finished */
static void
finish (GstVoiceLiveSinkDtmf * d, gchar * seq, GArray * out)
{
  Finished f = { seq, gst_voice_live_dtmf_format (d->template, seq),
    d->create_response
  };

  d->sequences++;
  g_array_append_val (out, f);
}

static void
send_finished (GstVoiceLiveSinkDtmf * d, GArray * out)
{
  guint i;

  for (i = 0; i < out->len; i++) {
    Finished *f = &g_array_index (out, Finished, i);

    send_sequence (d, f->seq, f->text, f->respond);
  }
  g_array_free (out, TRUE);
}

static gboolean on_timeout (gpointer user_data);

/* What a pending timer holds: the element stays alive while the timer may
 * call back. */
typedef struct
{
  GstVoiceLiveSinkDtmf *d;
  GstObject *sink;
} TimerData;

static void
timer_data_free (gpointer p)
{
  TimerData *t = p;

  gst_object_unref (t->sink);
  g_free (t);
}

/* With the lock: the timer follows the collector's deadline. It runs on
 * the session's network thread, like the session's own timers. */
static void
arm_timer (GstVoiceLiveSinkDtmf * d)
{
  gint64 deadline = gst_voice_live_dtmf_collector_deadline (&d->collector);
  GstVoiceLiveSession *session;
  TimerData *t;
  gint64 wait_ms;

  cancel_timer (d);
  if (deadline < 0 || !(session = d->get_session (d->sink)))
    return;
  wait_ms = MAX (deadline - g_get_monotonic_time () + 999, 0) / 1000;
  t = g_new (TimerData, 1);
  t->d = d;
  t->sink = gst_object_ref (d->sink);
  d->timer = gst_voice_live_session_add_timeout (session, (guint) wait_ms,
      on_timeout, t, timer_data_free);
  gst_object_unref (session);
}

/* The session's network thread */
static gboolean
on_timeout (gpointer user_data)
{
  GstVoiceLiveSinkDtmf *d = ((TimerData *) user_data)->d;
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Finished));
  gchar *seq;

  g_mutex_lock (&d->lock);
  /* a timer replaced meanwhile is not ours to act on */
  if (d->timer == g_main_current_source ()) {
    g_source_unref (d->timer);
    d->timer = NULL;
    seq = gst_voice_live_dtmf_collector_poll (&d->collector,
        g_get_monotonic_time () + 1000);
    if (seq)
      finish (d, seq, out);
    else
      arm_timer (d);
  }
  g_mutex_unlock (&d->lock);
  send_finished (d, out);
  return G_SOURCE_REMOVE;
}

/* With the lock: one digit at @now_us */
static void
add_digit (GstVoiceLiveSinkDtmf * d, gchar c, gint64 now_us, GArray * out)
{
  gchar *seq = gst_voice_live_dtmf_collector_poll (&d->collector, now_us);

  if (seq)
    finish (d, seq, out);
  seq = gst_voice_live_dtmf_collector_add (&d->collector, c, now_us);
  if (seq)
    finish (d, seq, out);
}

static void
add_digits (GstVoiceLiveSinkDtmf * d, const gchar * digits)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Finished));
  gint64 now = g_get_monotonic_time ();
  const gchar *p;

  g_mutex_lock (&d->lock);
  for (p = digits; *p; p++)
    if (gst_voice_live_dtmf_is_digit (*p))
      add_digit (d, *p, now, out);
  arm_timer (d);
  g_mutex_unlock (&d->lock);
  send_finished (d, out);
}

gboolean
gst_voice_live_sink_dtmf_digits (GstVoiceLiveSinkDtmf * d, const gchar * digits)
{
  GError *err = NULL;

  if (!gst_voice_live_dtmf_check (digits, &err)) {
    GST_ELEMENT_WARNING (d->sink, LIBRARY, SETTINGS,
        ("Signal 'dtmf': %s; nothing sent", err->message), (NULL));
    g_error_free (err);
    return FALSE;
  }
  add_digits (d, digits);
  return TRUE;
}

gboolean
gst_voice_live_sink_dtmf_event (GstVoiceLiveSinkDtmf * d, GstEvent * event)
{
  const GstStructure *s = gst_event_get_structure (event);
  gboolean start = FALSE;
  gint number = -1;
  gchar digit[2] = { 0, 0 };

  if (!s || !gst_structure_has_name (s, "dtmf-event"))
    return FALSE;
  /* dtmfsrc's form: a digit counts when its tone starts */
  gst_structure_get_boolean (s, "start", &start);
  gst_structure_get_int (s, "number", &number);
  digit[0] = gst_voice_live_dtmf_digit_from_number (number);
  if (start && digit[0])
    add_digits (d, digit);
  else if (start)
    GST_WARNING_OBJECT (d->sink, "dtmf-event without a valid number");
  return TRUE;
}

void
gst_voice_live_sink_dtmf_set_format (GstVoiceLiveSinkDtmf * d,
    GstVoiceLiveAudioFormat format)
{
  g_mutex_lock (&d->lock);
  if (!d->detector || format != d->format) {
    g_clear_pointer (&d->detector, gst_voice_live_dtmf_detector_free);
    d->detector =
        gst_voice_live_dtmf_detector_new (gst_voice_live_audio_format_rate
        (format));
  }
  d->format = format;
  g_mutex_unlock (&d->lock);
}

void
gst_voice_live_sink_dtmf_input (GstVoiceLiveSinkDtmf * d, GstBuffer * buffer)
{
  GString *found;
  GstMapInfo map;
  gint16 tmp[512];
  gsize n, i, off, bps;

  /* no lock without dtmf-detect (atomic: a change applies from the next
   * buffer) */
  if (!g_atomic_int_get (&d->detect)
      || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return;
  g_mutex_lock (&d->lock);
  if (!d->detector) {
    g_mutex_unlock (&d->lock);
    gst_buffer_unmap (buffer, &map);
    return;
  }
  found = g_string_new (NULL);
  bps = gst_voice_live_audio_format_bytes_per_sample (d->format);
  /* decoded to host-order S16 in pieces on the stack: no copy of the
   * buffer */
  for (off = 0; off < map.size / bps; off += n) {
    const guint8 *p = map.data + off * bps;

    n = MIN (G_N_ELEMENTS (tmp), map.size / bps - off);
    for (i = 0; i < n; i++)
      tmp[i] = d->format == GST_VOICE_LIVE_AUDIO_G711_ULAW ?
          gst_voice_live_dtmf_ulaw_to_s16 (p[i]) :
          d->format == GST_VOICE_LIVE_AUDIO_G711_ALAW ?
          gst_voice_live_dtmf_alaw_to_s16 (p[i]) :
          (gint16) GST_READ_UINT16_LE (p + 2 * i);
    gst_voice_live_dtmf_detector_feed (d->detector, tmp, n, found);
  }
  g_mutex_unlock (&d->lock);
  gst_buffer_unmap (buffer, &map);
  if (found->len)
    add_digits (d, found->str);
  memset (found->str, 0, found->len);
  g_string_free (found, TRUE);
}

void
gst_voice_live_sink_dtmf_flush (GstVoiceLiveSinkDtmf * d)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Finished));
  gchar *seq;

  g_mutex_lock (&d->lock);
  cancel_timer (d);
  seq = gst_voice_live_dtmf_collector_poll (&d->collector, G_MAXINT64 / 2);
  if (seq)
    finish (d, seq, out);
  g_mutex_unlock (&d->lock);
  send_finished (d, out);
}

void
gst_voice_live_sink_dtmf_reset (GstVoiceLiveSinkDtmf * d)
{
  gchar *seq;

  g_mutex_lock (&d->lock);
  cancel_timer (d);
  seq = gst_voice_live_dtmf_collector_poll (&d->collector, G_MAXINT64 / 2);
  if (seq) {
    GST_DEBUG_OBJECT (d->sink, "stopping: keypad sequence dropped");
    memset (seq, 0, strlen (seq));
    g_free (seq);
  }
  if (d->detector)
    gst_voice_live_dtmf_detector_reset (d->detector);
  g_mutex_unlock (&d->lock);
}
