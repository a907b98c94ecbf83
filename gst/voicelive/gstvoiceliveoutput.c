/* gst-voicelive
 * The answer audio of a session: server audio deltas into the playback
 * queue (network thread), the src's reads, barge-in and turn metrics
 * (the src's streaming thread), the output settings (application thread),
 * and the history of what the src output, the automatic echo reference
 * (written by the src's streaming thread, read by the sink's).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstvoicelivesession-private.h"
#include "gstvoicelivedtmf.h"

/* The bound of the answer audio queue, from the src's max-queue-ms and the
 * output format: nothing without a src. Call with the lock held. */
void
vl_session_update_output_limit_locked (GstVoiceLiveSession * self)
{
  GstVoiceLiveAudioFormat f = self->out_format;
  guint64 bytes = (guint64) self->out_max_ms *
      gst_voice_live_audio_format_rate (f) / 1000 *
      gst_voice_live_audio_format_bytes_per_sample (f);

  gst_voice_live_playback_set_limit (self->playback,
      self->src ? (gsize) MIN (bytes, G_MAXSIZE) : 0);
}

static void
warn_output_full (GstVoiceLiveSession * self, guint max_ms)
{
  GstElement *e = vl_session_post_element (self, TRUE);

  if (!e)
    return;
  GST_ELEMENT_WARNING (e, RESOURCE, NO_SPACE_LEFT,
      ("voicelivesrc is not playing the answers: more than %u ms of answer "
          "audio is queued (max-queue-ms); the rest is dropped and counted "
          "in the sink's stats (output-ms-dropped)", max_ms),
      ("session %s", self->name));
  gst_object_unref (e);
}

void
vl_session_append_audio (GstVoiceLiveSession * self, const gchar * b64,
    gsize len, const gchar * response_id, const gchar * item_id,
    gsize frame_len)
{
  gsize n = 0;
  guint8 *data = g_malloc (len / 4 * 3 + 3);
  gboolean first = FALSE, warn = FALSE;
  GstVoiceLivePushResult res;
  GBytes *bytes;
  guint max_ms = 0;

  if (!gst_voice_live_base64_decode (b64, len, data, &n)) {
    GST_WARNING_OBJECT (self, "skipping audio delta with invalid base64 "
        "(%" G_GSIZE_FORMAT " chars)", len);
    g_free (data);
    count_rx (self, frame_len);
    return;
  }
  if (n == 0) {
    g_free (data);
    count_rx (self, frame_len);
    return;
  }
  bytes = g_bytes_new_take (data, n);
  g_mutex_lock (&self->lock);
  self->stat_bytes_received += frame_len;
  self->stat_audio_bytes_received += n;
  /* An out-of-band response not asked to play is for the application's
   * eyes only (create-response-full conversation=none). */
  if (gst_voice_live_conversation_response_muted (&self->conv, response_id)) {
    g_mutex_unlock (&self->lock);
    g_bytes_unref (bytes);
    GST_LOG_OBJECT (self, "not playing the out-of-band response %s",
        response_id);
    return;
  }
  /* The avatar speaks it: the src plays on, silence (GAP) in its place */
  if (self->src && vl_session_avatar_voices_locked (self)) {
    gboolean note = !self->avatar_voice_noted;

    self->avatar_voice_noted = TRUE;
    self->stat_output_avatar_bytes += n;
    g_mutex_unlock (&self->lock);
    g_bytes_unref (bytes);
    if (note)
      GST_INFO_OBJECT (self, "voiceliveavatarsrc plays the answers' voice "
          "(its audio track): voicelivesrc outputs silence for them");
    return;
  }
  /* No src: nobody will play it, so it is not kept at all. */
  res = self->src ? gst_voice_live_playback_push (self->playback, bytes,
      response_id, item_id, g_get_monotonic_time (), &first) :
      GST_VOICE_LIVE_PUSH_FULL;
  if (res == GST_VOICE_LIVE_PUSH_QUEUED) {
    gst_voice_live_captions_audio_received (self->captions, item_id, n);
    wake_waiters (self);
  } else if (res == GST_VOICE_LIVE_PUSH_INTERRUPTED) {
    GST_DEBUG_OBJECT (self, "dropping %" G_GSIZE_FORMAT " bytes of the "
        "interrupted response %s", n, response_id);
  } else if (self->src) {
    self->stat_output_dropped_bytes += n;
    warn = !self->out_full_warned;
    self->out_full_warned = TRUE;
    max_ms = self->out_max_ms;
  }
  g_mutex_unlock (&self->lock);
  g_bytes_unref (bytes);
  if (warn)
    warn_output_full (self, max_ms);
}

/* voicelive/turn-metrics for the response whose first audio the src just
 * took; call with the lock held, post the result without it. */
static GstStructure *
turn_metrics_locked (GstVoiceLiveSession * self, const gchar * response_id,
    gint64 first_delta_us)
{
  gint64 now = g_get_monotonic_time ();
  gint64 to_audio = -1;

  gint64 stopped = self->conv.t_speech_stopped;

  if (stopped > 0 && first_delta_us >= stopped)
    to_audio = (first_delta_us - stopped) / 1000;
  /* Kept for the stats property too */
  self->last_to_audio_ms = to_audio;
  self->last_to_playback_ms = first_delta_us > 0 ?
      (now - first_delta_us) / 1000 : -1;
  return gst_structure_new ("voicelive/turn-metrics",
      "response-id", G_TYPE_STRING, response_id,
      "speech-stopped-to-first-audio-ms", G_TYPE_INT64, to_audio,
      "first-audio-to-playback-ms", G_TYPE_INT64, self->last_to_playback_ms,
      NULL);
}

void
gst_voice_live_session_end_output (GstVoiceLiveSession * self)
{
  g_mutex_lock (&self->lock);
  self->output_eos = TRUE;
  wake_waiters (self);
  g_mutex_unlock (&self->lock);
}

void
gst_voice_live_session_clear_output_eos (GstVoiceLiveSession * self)
{
  g_mutex_lock (&self->lock);
  self->output_eos = FALSE;
  g_mutex_unlock (&self->lock);
}

void
gst_voice_live_session_set_output_format (GstVoiceLiveSession * self,
    GstVoiceLiveAudioFormat format)
{
  gboolean send, waiting;
  GstVoiceLiveDialect dialect;

  g_mutex_lock (&self->lock);
  dialect = self->dialect;
  send = self->ready && (!self->out_format_sent || self->out_format != format);
  waiting = self->awaiting_out_format;
  self->awaiting_out_format = FALSE;
  self->out_format = format;
  gst_voice_live_playback_set_format (self->playback,
      gst_voice_live_audio_format_rate (format),
      gst_voice_live_audio_format_bytes_per_sample (format));
  gst_voice_live_captions_set_format (self->captions,
      gst_voice_live_audio_format_rate (format),
      gst_voice_live_audio_format_bytes_per_sample (format));
  vl_session_update_output_limit_locked (self);
  self->have_out_format = TRUE;
  if (send)
    self->out_format_sent = TRUE;
  g_mutex_unlock (&self->lock);

  /* Before session.created the first session.update carries it. */
  if (waiting)
    vl_session_out_format_ready (self);
  if (send)
    gst_voice_live_session_send (self,
        gst_voice_live_dialect_output_format_update (dialect, format), 0);
}

void
gst_voice_live_session_set_src_flushing (GstVoiceLiveSession * self,
    gboolean flushing)
{
  g_mutex_lock (&self->lock);
  self->src_flushing = flushing;
  wake_waiters (self);
  g_mutex_unlock (&self->lock);
}

static void
post_all (GstVoiceLiveSession * self, GPtrArray * msgs, gboolean prefer_src)
{
  guint i;

  for (i = 0; i < msgs->len; i++)
    vl_session_post (self, g_ptr_array_index (msgs, i), prefer_src);
  g_ptr_array_set_size (msgs, 0);
}

GstVoiceLiveReadResult
gst_voice_live_session_read_audio (GstVoiceLiveSession * self, guint8 * dest,
    gsize max, gboolean wait, guint align, GstClockTime buffer_rt,
    gsize prebuffer, gsize * n_read)
{
  GstVoiceLiveReadResult res;
  GstStructure *metrics = NULL;
  /* Only the src's streaming thread reads: one array, reused. */
  GPtrArray *msgs = self->src_msgs;
  gchar *first_response = NULL;
  gint64 first_arrival = 0;
  gsize n = 0;

  g_mutex_lock (&self->lock);
  while (TRUE) {
    if (self->src_flushing) {
      res = GST_VOICE_LIVE_READ_FLUSHING;
      goto done;
    }
    if (gst_voice_live_playback_queued (self->playback) >= align) {
      n = gst_voice_live_playback_read (self->playback, dest, max, align,
          buffer_rt, prebuffer, msgs, &first_response, &first_arrival);
      if (n > 0 || !wait) {
        res = n > 0 ? GST_VOICE_LIVE_READ_DATA : GST_VOICE_LIVE_READ_EMPTY;
        goto done;
      }
    }
    if (self->output_eos) {
      /* A stray partial sample at the very end cannot be played. */
      gst_voice_live_playback_read (self->playback, dest, 0, align,
          buffer_rt, 0, msgs, NULL, NULL);
      res = GST_VOICE_LIVE_READ_EOS;
      goto done;
    }
    if (self->failed) {
      res = GST_VOICE_LIVE_READ_ERROR;
      goto done;
    }
    if (!wait) {
      gst_voice_live_playback_read (self->playback, dest, 0, align,
          buffer_rt, 0, msgs, NULL, NULL);
      res = GST_VOICE_LIVE_READ_EMPTY;
      goto done;
    }
    self->cond_waiters++;
    g_cond_wait (&self->cond, &self->lock);
    self->cond_waiters--;
  }

done:
  if (res == GST_VOICE_LIVE_READ_EOS && !self->out_ended) {
    self->out_ended = TRUE;
    if (self->text)
      wake_waiters (self);
  }
  vl_session_captions_msgs_locked (self, msgs);
  if (first_response)
    metrics = turn_metrics_locked (self, first_response, first_arrival);
  g_mutex_unlock (&self->lock);
  *n_read = n;
  post_all (self, msgs, TRUE);
  if (metrics)
    vl_session_post (self, metrics, FALSE);
  g_free (first_response);
  return res;
}

/* The running time up to which pushed audio has been rendered downstream,
 * or GST_CLOCK_TIME_NONE when the src is not live (pushed = played). */
static GstClockTime
rendered_running_time (GstVoiceLiveSession * self)
{
  GstElement *src;
  GstClock *clock;
  GstClockTime now, base, latency;
  gboolean live;

  g_mutex_lock (&self->lock);
  src = self->src ? gst_object_ref (self->src) : NULL;
  live = self->src_live;
  latency = self->src_latency;
  g_mutex_unlock (&self->lock);
  if (!src)
    return GST_CLOCK_TIME_NONE;
  clock = live ? gst_element_get_clock (src) : NULL;
  if (!clock) {
    gst_object_unref (src);
    return GST_CLOCK_TIME_NONE;
  }
  now = gst_clock_get_time (clock);
  base = gst_element_get_base_time (src);
  gst_object_unref (clock);
  gst_object_unref (src);
  /* A buffer stamped T is rendered at running time T + latency. */
  if (now < base + latency)
    return 0;
  return now - base - latency;
}

gboolean
gst_voice_live_session_interrupt_output (GstVoiceLiveSession * self,
    gboolean forced)
{
  GstClockTime rendered = rendered_running_time (self);
  GPtrArray *msgs = g_ptr_array_new ();
  gchar *item = NULL, *truncate = NULL, *cancel = NULL;
  gint64 end_ms = 0;
  gboolean acted = FALSE;

  g_mutex_lock (&self->lock);
  if ((self->barge_in || forced)
      && gst_voice_live_playback_active (self->playback, rendered)) {
    acted = TRUE;
    item = gst_voice_live_playback_interrupt (self->playback, rendered,
        &end_ms, msgs);
    gst_voice_live_conversation_interrupt (&self->conv, item, end_ms,
        self->ready, &truncate, &cancel);
    /* Items not started will not play; the current one ends here */
    gst_voice_live_captions_interrupted (self->captions, NULL, 0);
    vl_session_captions_msgs_locked (self, msgs);
  }
  g_mutex_unlock (&self->lock);

  if (acted)
    GST_INFO_OBJECT (self, "barge-in: output interrupted, %s at %"
        G_GINT64_FORMAT " ms", item ? item : "(nothing played)", end_ms);
  post_all (self, msgs, TRUE);
  g_ptr_array_unref (msgs);
  if (cancel)
    gst_voice_live_session_send (self, cancel, 0);
  if (truncate) {
    gst_voice_live_session_send (self, truncate, 0);
    vl_session_post (self, gst_structure_new ("voicelive/truncated",
            "item-id", G_TYPE_STRING, item,
            "audio-end-ms", G_TYPE_INT64, end_ms, NULL), TRUE);
  }
  g_free (item);
  return acted;
}

void
gst_voice_live_session_configure_output (GstVoiceLiveSession * self,
    gboolean live, gboolean barge_in)
{
  g_mutex_lock (&self->lock);
  self->src_live = live;
  self->barge_in = barge_in;
  g_mutex_unlock (&self->lock);
}

void
gst_voice_live_session_set_barge_in (GstVoiceLiveSession * self,
    gboolean barge_in)
{
  g_mutex_lock (&self->lock);
  self->barge_in = barge_in;
  g_mutex_unlock (&self->lock);
}

void
gst_voice_live_session_set_output_limit (GstVoiceLiveSession * self,
    guint max_ms)
{
  g_mutex_lock (&self->lock);
  self->out_max_ms = max_ms;
  vl_session_update_output_limit_locked (self);
  g_mutex_unlock (&self->lock);
}

void
gst_voice_live_session_set_output_latency (GstVoiceLiveSession * self,
    GstClockTime latency)
{
  g_mutex_lock (&self->lock);
  self->src_latency = latency;
  g_mutex_unlock (&self->lock);
}

void
gst_voice_live_session_reset_output (GstVoiceLiveSession * self)
{
  g_mutex_lock (&self->lock);
  gst_voice_live_playback_reset (self->playback);
  self->output_eos = FALSE;
  self->out_position = GST_CLOCK_TIME_NONE;
  self->out_ended = FALSE;
  g_mutex_unlock (&self->lock);
}

/* ---- the automatic echo reference ---- */

/* With the lock: @bytes of output (its format) stamped @pts go into the
 * echo reference history */
static void
keep_reference_locked (GstVoiceLiveSession * self, GstClockTime pts,
    const guint8 * data, gsize bytes)
{
  GstVoiceLiveAudioFormat f = self->out_format;
  guint rate, bps;
  gint16 tmp[1024];
  gint64 index;
  gsize i, n, off;

  rate = gst_voice_live_audio_format_rate (f);
  bps = gst_voice_live_audio_format_bytes_per_sample (f);
  index = (gint64) gst_util_uint64_scale_round (pts, rate, GST_SECOND);
  /* in pieces: the ring takes S16 in host order */
  for (off = 0; off < bytes / bps; off += n) {
    n = MIN (G_N_ELEMENTS (tmp), bytes / bps - off);
    for (i = 0; i < n; i++) {
      const guint8 *p = data + (off + i) * bps;

      tmp[i] = f == GST_VOICE_LIVE_AUDIO_G711_ULAW ?
          gst_voice_live_dtmf_ulaw_to_s16 (p[0]) :
          f == GST_VOICE_LIVE_AUDIO_G711_ALAW ?
          gst_voice_live_dtmf_alaw_to_s16 (p[0]) :
          (gint16) GST_READ_UINT16_LE (p);
    }
    gst_voice_live_echo_ref_write (&self->echo_ref, rate, index + off, tmp, n);
  }
}

void
gst_voice_live_session_note_pushed (GstVoiceLiveSession * self, GstBuffer * buf)
{
  GstClockTime pts = GST_BUFFER_PTS (buf);
  GstMapInfo map;

  g_mutex_lock (&self->lock);
  vl_session_output_pushed_locked (self, pts + GST_BUFFER_DURATION (buf));
  /* the samples are read only for a client-reference sink */
  if (self->ec_client && GST_CLOCK_TIME_IS_VALID (pts)
      && gst_buffer_map (buf, &map, GST_MAP_READ)) {
    keep_reference_locked (self, pts, map.data, map.size);
    gst_buffer_unmap (buf, &map);
  }
  g_mutex_unlock (&self->lock);
}

void
gst_voice_live_session_want_reference (GstVoiceLiveSession * self,
    gboolean want)
{
  g_mutex_lock (&self->lock);
  self->ec_client = want;
  g_mutex_unlock (&self->lock);
}

guint
gst_voice_live_session_read_reference (GstVoiceLiveSession * self,
    guint in_rate, gint64 index, guint n, gint16 * out, GstClockTime * offset)
{
  gint64 lat;
  guint missing;

  g_mutex_lock (&self->lock);
  /* The offset in whole input samples, so that the test of a byte-exact
   * reference can compute it */
  lat = (gint64) gst_util_uint64_scale_round (self->src_latency, in_rate,
      GST_SECOND);
  missing = gst_voice_live_echo_ref_read (&self->echo_ref, in_rate,
      index - lat, n, out);
  /* Without a src nothing plays: silence, not an underrun */
  if (!self->src)
    missing = 0;
  g_mutex_unlock (&self->lock);
  *offset = gst_util_uint64_scale_int (lat, GST_SECOND, in_rate);
  return missing;
}

/* The automatic reference lines up running times: it needs the src on the
 * sink's clock with the same base time. Returns FALSE, with what differs,
 * when a src is there and does not share them. */
gboolean
gst_voice_live_session_src_shares_clock (GstVoiceLiveSession * self,
    GstElement * sink, gboolean check_clock, const gchar ** why)
{
  GstElement *src = NULL;
  GstObject *a, *b, *p;
  gboolean ok = TRUE;

  g_mutex_lock (&self->elem_lock);
  if (self->src)
    src = gst_object_ref (self->src);
  g_mutex_unlock (&self->elem_lock);
  if (!src)
    return TRUE;
  /* the top-level bins: one pipeline has one clock and base time */
  for (a = gst_object_ref (GST_OBJECT (sink)); (p = gst_object_get_parent (a));
      a = p)
    gst_object_unref (a);
  for (b = gst_object_ref (GST_OBJECT (src)); (p = gst_object_get_parent (b));
      b = p)
    gst_object_unref (b);
  if (a != b && GST_IS_PIPELINE (a) && GST_IS_PIPELINE (b)) {
    ok = FALSE;
    *why = "voicelivesrc is in another pipeline (another clock and base "
        "time)";
  }
  gst_object_unref (a);
  gst_object_unref (b);
  if (ok && check_clock) {
    GstClock *cs = gst_element_get_clock (sink);
    GstClock *cr = gst_element_get_clock (src);

    if (cs && cr && (cs != cr || gst_element_get_base_time (sink) !=
            gst_element_get_base_time (src))) {
      ok = FALSE;
      *why = "voicelivesrc runs on another clock or base time";
    }
    if (cs)
      gst_object_unref (cs);
    if (cr)
      gst_object_unref (cr);
  }
  gst_object_unref (src);
  return ok;
}
