/* gst-voicelive
 * voicelivesink's echo reference: the `reference` request pad (its own
 * streaming thread fills a bounded ring, aligned by running time) and the
 * stereo appends built on the sink's streaming thread from the microphone
 * and either that ring or what the paired voicelivesrc output (the
 * session's history). Neither thread ever waits for the other.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include "gstvoicelivesinkref.h"

GST_DEBUG_CATEGORY_STATIC (voicelivesinkref_debug);
#define GST_CAT_DEFAULT voicelivesinkref_debug

GstStaticPadTemplate gst_voice_live_sink_ref_template =
GST_STATIC_PAD_TEMPLATE ("reference", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS ("audio/x-raw, format=(string)S16LE, "
        "layout=(string)interleaved, channels=(int)1, "
        "rate=(int){ 24000, 16000, 8000 }"));

void
gst_voice_live_sink_ref_init (GstVoiceLiveSinkRef * r)
{
  memset (r, 0, sizeof (*r));
  g_mutex_init (&r->lock);
  gst_voice_live_echo_ref_init (&r->ring);
  gst_segment_init (&r->segment, GST_FORMAT_TIME);
  r->offset = GST_CLOCK_TIME_NONE;
  r->stereo = g_byte_array_new ();
  GST_DEBUG_CATEGORY_INIT (voicelivesinkref_debug, "voicelivesinkref", 0,
      "voicelivesink echo reference");
}

void
gst_voice_live_sink_ref_clear (GstVoiceLiveSinkRef * r)
{
  gst_voice_live_echo_ref_clear (&r->ring);
  g_free (r->ref);
  g_byte_array_unref (r->stereo);
  g_mutex_clear (&r->lock);
}

static GstFlowReturn
ref_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  GstVoiceLiveSinkRef *r = gst_pad_get_element_private (pad);
  GstMapInfo map;
  GstClockTime rt;

  g_mutex_lock (&r->lock);
  rt = gst_segment_to_running_time (&r->segment, GST_FORMAT_TIME,
      GST_BUFFER_PTS (buf));
  if (r->pad_rate > 0 && GST_CLOCK_TIME_IS_VALID (rt)
      && gst_buffer_map (buf, &map, GST_MAP_READ)) {
    /* S16LE: the caps say so, and the hosts we build for are LE */
    gst_voice_live_echo_ref_write (&r->ring, r->pad_rate,
        (gint64) gst_util_uint64_scale_round (rt, r->pad_rate, GST_SECOND),
        (const gint16 *) map.data, map.size / 2);
    gst_buffer_unmap (buf, &map);
  }
  g_mutex_unlock (&r->lock);
  gst_buffer_unref (buf);
  return GST_FLOW_OK;
}

static gboolean
ref_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstVoiceLiveSinkRef *r = gst_pad_get_element_private (pad);
  GstCaps *caps;
  gint rate = 0;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_SEGMENT:
      g_mutex_lock (&r->lock);
      gst_event_copy_segment (event, &r->segment);
      g_mutex_unlock (&r->lock);
      break;
    case GST_EVENT_CAPS:
      gst_event_parse_caps (event, &caps);
      gst_structure_get_int (gst_caps_get_structure (caps, 0), "rate", &rate);
      g_mutex_lock (&r->lock);
      r->pad_rate = rate;
      g_mutex_unlock (&r->lock);
      break;
    case GST_EVENT_FLUSH_STOP:
      g_mutex_lock (&r->lock);
      gst_voice_live_echo_ref_reset (&r->ring);
      gst_segment_init (&r->segment, GST_FORMAT_TIME);
      g_mutex_unlock (&r->lock);
      break;
    default:
      break;
  }
  /* Nothing flows on from here: EOS and the rest end at this pad. */
  gst_event_unref (event);
  return TRUE;
}

GstPad *
gst_voice_live_sink_ref_request_pad (GstVoiceLiveSinkRef * r,
    GstElement * sink, GstPadTemplate * templ, const gchar * name)
{
  GstPad *pad;

  g_mutex_lock (&r->lock);
  if (r->pad) {
    g_mutex_unlock (&r->lock);
    GST_ELEMENT_WARNING (sink, CORE, PAD, ("voicelivesink has one "
            "\"reference\" pad: it is already requested"), (NULL));
    return NULL;
  }
  pad = gst_pad_new_from_template (templ, "reference");
  r->pad = pad;
  gst_segment_init (&r->segment, GST_FORMAT_TIME);
  gst_voice_live_echo_ref_reset (&r->ring);
  g_mutex_unlock (&r->lock);
  gst_pad_set_element_private (pad, r);
  gst_pad_set_chain_function (pad, ref_chain);
  gst_pad_set_event_function (pad, ref_event);
  GST_PAD_SET_PROXY_ALLOCATION (pad);
  gst_pad_set_active (pad, TRUE);
  gst_element_add_pad (sink, pad);
  return pad;
}

void
gst_voice_live_sink_ref_release_pad (GstVoiceLiveSinkRef * r,
    GstElement * sink, GstPad * pad)
{
  g_mutex_lock (&r->lock);
  if (r->pad == pad)
    r->pad = NULL;
  g_mutex_unlock (&r->lock);
  gst_pad_set_active (pad, FALSE);
  gst_element_remove_pad (sink, pad);
}

gboolean
gst_voice_live_sink_ref_has_pad (GstVoiceLiveSinkRef * r)
{
  gboolean has;

  g_mutex_lock (&r->lock);
  has = r->pad != NULL;
  g_mutex_unlock (&r->lock);
  return has;
}

void
gst_voice_live_sink_ref_start (GstVoiceLiveSinkRef * r, gboolean active,
    guint in_rate)
{
  g_mutex_lock (&r->lock);
  r->active = active;
  r->in_rate = in_rate;
  r->next = -1;
  r->underruns = 0;
  r->offset = GST_CLOCK_TIME_NONE;
  r->checked_clock = FALSE;
  g_mutex_unlock (&r->lock);
}

/* What to send of the microphone buffer @mic: itself (a new ref) unless
 * this run has a client reference; then [mic, ref] stereo frames of it
 * (mono S16LE), whose first sample has running time @rt (NONE: right
 * after the last one). The reference of input sample index i (running
 * time x rate) is the reference pad's sample i when the pad is linked,
 * else what voicelivesrc output at i minus the output latency. Returns
 * NULL (after posting an error) when the src cannot be lined up. */
GstBuffer *
gst_voice_live_sink_ref_interleave (GstVoiceLiveSinkRef * r,
    GstElement * sink, GstVoiceLiveSession * session, GstClockTime rt,
    GstBuffer * mic)
{
  GstMapInfo map;
  gboolean from_pad, check;
  GstClockTime offset = 0;
  const gchar *why = NULL;
  gint64 index;
  guint n, i, missing;
  guint8 *out;

  g_mutex_lock (&r->lock);
  if (!r->active) {
    g_mutex_unlock (&r->lock);
    return gst_buffer_ref (mic);
  }
  from_pad = r->pad != NULL && GST_PAD_IS_LINKED (r->pad);
  check = !from_pad && !r->checked_clock;
  r->checked_clock = TRUE;
  g_mutex_unlock (&r->lock);
  if (check && !gst_voice_live_session_src_shares_clock (session, sink, TRUE,
          &why)) {
    GST_ELEMENT_ERROR (sink, CORE, CLOCK, ("Property 'echo-cancellation': "
            "client-reference builds the reference from the paired "
            "voicelivesrc, but %s: put both in one pipeline, or link the "
            "\"reference\" pad", why), (NULL));
    return NULL;
  }

  if (!gst_buffer_map (mic, &map, GST_MAP_READ))
    return NULL;
  n = map.size / 2;
  r->ref = g_renew (gint16, r->ref, MAX (n, 1));
  index = GST_CLOCK_TIME_IS_VALID (rt) ?
      (gint64) gst_util_uint64_scale_round (rt, r->in_rate, GST_SECOND) :
      r->next;
  if (index < 0)
    index = 0;

  if (from_pad) {
    g_mutex_lock (&r->lock);
    if (r->pad_rate != 0 && (guint) r->pad_rate != r->in_rate)
      why = "rate";
    missing = gst_voice_live_echo_ref_read (&r->ring, r->in_rate, index, n,
        r->ref);
    g_mutex_unlock (&r->lock);
    if (why) {
      gst_buffer_unmap (mic, &map);
      GST_ELEMENT_ERROR (sink, CORE, NEGOTIATION, ("Property "
              "'echo-cancellation': the \"reference\" pad must have the "
              "input's rate (%u Hz)", r->in_rate), (NULL));
      return NULL;
    }
  } else {
    missing = gst_voice_live_session_read_reference (session, r->in_rate,
        index, n, r->ref, &offset);
  }

  g_byte_array_set_size (r->stereo, n * 4);
  out = r->stereo->data;
  for (i = 0; i < n; i++) {
    memcpy (out + i * 4, map.data + i * 2, 2);
    GST_WRITE_UINT16_LE (out + i * 4 + 2, (guint16) r->ref[i]);
  }
  gst_buffer_unmap (mic, &map);

  g_mutex_lock (&r->lock);
  r->next = index + n;
  r->offset = offset;
  /* one a buffer that was short of reference */
  if (missing)
    r->underruns++;
  r->checked_clock = TRUE;
  g_mutex_unlock (&r->lock);
  if (missing)
    GST_LOG_OBJECT (sink, "reference underrun: %u of %u samples", missing, n);
  return gst_buffer_new_memdup (r->stereo->data, r->stereo->len);
}

void
gst_voice_live_sink_ref_stats (GstVoiceLiveSinkRef * r, GstStructure * s)
{
  g_mutex_lock (&r->lock);
  if (r->active)
    gst_structure_set (s, "reference-source", G_TYPE_STRING,
        r->pad && GST_PAD_IS_LINKED (r->pad) ? "pad" : "auto",
        "reference-offset-ms", G_TYPE_INT64,
        GST_CLOCK_TIME_IS_VALID (r->offset) ?
        (gint64) (r->offset / GST_MSECOND) : (gint64) - 1,
        "reference-offset-us", G_TYPE_INT64,
        GST_CLOCK_TIME_IS_VALID (r->offset) ?
        (gint64) (r->offset / GST_USECOND) : (gint64) - 1,
        "reference-underruns", G_TYPE_UINT64, r->underruns, NULL);
  g_mutex_unlock (&r->lock);
}
