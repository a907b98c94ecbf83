/* gst-voicelive: voicelivetextsrc, the conversation as timed text: every
 * caption's text, PTS and duration against the running time of the audio
 * voicelivesrc played (test clock), word timestamps, barge-in, user words,
 * bus message timing, textoverlay and a matroska recording.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/check/gsttestclock.h>
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>
#include <glib/gstdio.h>
#include "vltest.h"
#include "vl-emulator-audio.h"

/* The flags of the speakers property */
#define GST_VOICE_LIVE_SPEAKER_AGENT 1
#define GST_VOICE_LIVE_SPEAKER_USER 2

/* voicelivesrc on a test clock: the test decides when audio plays */
static GstHarness *
audio_harness (const gchar * name)
{
  GstHarness *h = gst_harness_new ("voicelivesrc");

  g_object_set (h->element, "session-name", name, "pair-timeout", 0,
      "buffer-ms", 20, "prebuffer-ms", 0, NULL);
  gst_harness_use_testclock (h);
  gst_harness_play (h);
  return h;
}

/* Not live: captions follow the audio the harness above pushed */
static GstHarness *
text_harness (const gchar * name, const gchar * granularity)
{
  GstHarness *h = gst_harness_new ("voicelivetextsrc");

  gst_util_set_object_arg (G_OBJECT (h->element), "granularity", granularity);
  /* Not live with the user's words, captions wait for the input too */
  g_object_set (h->element, "session-name", name, "is-live", FALSE,
      "speakers", GST_VOICE_LIVE_SPEAKER_AGENT, NULL);
  gst_harness_play (h);
  return h;
}

/* One period of audio: returns its PTS if it carries audio, else NONE */
static GstClockTime
crank_audio (GstHarness * h)
{
  GstBuffer *b;
  GstClockTime pts = GST_CLOCK_TIME_NONE;

  fail_unless (gst_harness_crank_single_clock_wait (h));
  b = gst_harness_pull (h);
  if (!GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_GAP))
    pts = GST_BUFFER_PTS (b);
  gst_buffer_unref (b);
  return pts;
}

/* Plays until the first audio; returns its running time */
static GstClockTime
play_until_audio (GstHarness * h)
{
  guint i;

  for (i = 0; i < 500; i++) {
    GstClockTime pts = crank_audio (h);

    if (GST_CLOCK_TIME_IS_VALID (pts))
      return pts;
  }
  fail ("no answer audio");
  return 0;
}

/* Plays until the clock reached @until (running time) */
static void
play_until (GstHarness * h, GstClockTime until)
{
  guint i;

  for (i = 0; i < 2000; i++) {
    if (gst_clock_get_time (GST_ELEMENT_CLOCK (h->element)) >= until)
      return;
    crank_audio (h);
  }
  fail ("clock stuck");
}

/* The emulator, a sink pipeline, voicelivesrc on a test clock and (when
 * a granularity is given) a voicelivetextsrc of the session @name */
typedef struct
{
  VlEmulator *emu;
  VlSinkPipe *sp;
  GstHarness *h;
  GstHarness *th;
} Fixture;

static void
fixture_start (Fixture * f, VlEmulator * emu, const gchar * name,
    const gchar * sink_props, const gchar * granularity)
{
  f->emu = emu;
  f->h = audio_harness (name);
  f->th = granularity ? text_harness (name, granularity) : NULL;
  f->sp = vl_sink_pipe_new (emu, name, sink_props);
}

static void
fixture_stop (Fixture * f)
{
  if (f->th)
    gst_harness_teardown (f->th);
  gst_harness_teardown (f->h);
  vl_sink_pipe_free (f->sp);
  vl_emulator_stop (f->emu);
}

/* The user asks; the answer of @reply_ms is received, then played to its
 * end: returns the running time of its first sample */
static GstClockTime
play_answer (Fixture * f, guint reply_ms)
{
  GstClockTime start;

  vl_test_push_speech (f->sp->appsrc, 16000, 0, 600, 700);
  vl_sink_pipe_wait_received (f->sp, reply_ms);
  start = play_until_audio (f->h);
  play_until (f->h, start + (reply_ms + 100) * GST_MSECOND);
  return start;
}

/* The next text buffer (waiting at most 5 s) */
static GstBuffer *
pull_text (GstHarness * th)
{
  GstBuffer *b = NULL;

  VL_TEST_POLL_UNTIL ((b = gst_harness_try_pull (th)) != NULL, 5, 5000);
  fail_unless (b != NULL, "no caption");
  return b;
}

static gchar *
buffer_text (GstBuffer * b)
{
  GstMapInfo map;
  gchar *s;

  gst_buffer_map (b, &map, GST_MAP_READ);
  s = g_strndup ((const gchar *) map.data, map.size);
  gst_buffer_unmap (b, &map);
  return s;
}

static void
expect_caption (GstHarness * th, const gchar * text, GstClockTime pts,
    GstClockTime duration)
{
  GstBuffer *b = pull_text (th);
  gchar *s = buffer_text (b);

  fail_unless_equals_string (s, text);
  fail_unless (GST_BUFFER_PTS (b) == pts, "'%s' at %" GST_TIME_FORMAT
      ", expected %" GST_TIME_FORMAT, s, GST_TIME_ARGS (GST_BUFFER_PTS (b)),
      GST_TIME_ARGS (pts));
  fail_unless (GST_BUFFER_DURATION (b) == duration, "'%s' lasts %"
      GST_TIME_FORMAT ", expected %" GST_TIME_FORMAT, s,
      GST_TIME_ARGS (GST_BUFFER_DURATION (b)), GST_TIME_ARGS (duration));
  g_free (s);
  gst_buffer_unref (b);
}

/* No caption comes within @ms */
static void
expect_no_caption (GstHarness * th, guint ms)
{
  GstBuffer *b = NULL;

  VL_TEST_POLL_UNTIL ((b = gst_harness_try_pull (th)) != NULL, 5, ms);
  if (b) {
    gchar *s = buffer_text (b);

    fail ("unexpected caption '%s' at %" GST_TIME_FORMAT, s,
        GST_TIME_ARGS (GST_BUFFER_PTS (b)));
    g_free (s);
  }
}

static const gchar *const words5[] = { "one", "two", "three", "four",
  "five"
};

/* Word k of n over an item of @total_ms: the emulator's word timestamps
 * (docs/emulator.md): [total * k / n, total * (k + 1) / n) ms */
static GstClockTime
word_start (guint64 total_ms, guint k, guint n)
{
  return total_ms * k / n * GST_MSECOND;
}

/* The 1 s answer "one two three four five" with word timestamps is
 * played: one buffer per word, at the running time its audio plays */
static void
expect_five_words (Fixture * f)
{
  GstClockTime start = play_answer (f, 1000);
  guint k;

  for (k = 0; k < 5; k++)
    expect_caption (f->th, words5[k], start + word_start (1000, k, 5),
        word_start (1000, k + 1, 5) - word_start (1000, k, 5));
  expect_no_caption (f->th, 200);
}

GST_START_TEST (test_word_timestamps)
{
  Fixture f;

  fixture_start (&f, vl_emulator_start ("--reply-ms", "1000",
          "--reply-text", "one two three four five", NULL), "tw1",
      "word-timestamps=true", "word");
  expect_five_words (&f);
  fixture_stop (&f);
}

GST_END_TEST;

/* The emulator sends word k of n just before audio delta j, the first
 * with ceil((j + 1) * n / n_deltas) > k (vl-emulator-response.c), the
 * deltas cycling through vl_emu_delta_ms: the offset (ms) of the audio of
 * the item that arrived before each word. */
static void
delta_offsets (guint total_ms, guint n, gint64 * offsets)
{
  guint n_deltas = 0, left = total_ms, j, sent = 0, k = 0;
  guint64 at = 0;

  while (left > 0) {
    left -= MIN (left, vl_emu_delta_ms[n_deltas % VL_EMU_N_DELTA_SIZES]);
    n_deltas++;
  }
  for (j = 0; j < n_deltas; j++) {
    guint target = ((j + 1) * n + n_deltas - 1) / n_deltas;

    while (sent < MIN (target, n)) {
      offsets[k++] = (gint64) at;
      sent++;
    }
    at += MIN (total_ms - at, vl_emu_delta_ms[j % VL_EMU_N_DELTA_SIZES]);
  }
  offsets[n] = total_ms;
}

GST_START_TEST (test_deltas_without_word_timestamps)
{
  Fixture f;
  gint64 off[6];
  GstClockTime start;
  guint k;

  delta_offsets (1000, 5, off);
  /* The numbers the emulator's pacing gives (a check of the helper) */
  fail_unless_equals_int64 (off[1], 160);
  fail_unless_equals_int64 (off[4], 740);

  fixture_start (&f, vl_emulator_start ("--reply-ms", "1000",
          "--reply-text", "one two three four five", NULL), "tw2", "", "word");
  start = play_answer (&f, 1000);

  /* Each delta at the audio that had arrived before it, until the next */
  for (k = 0; k < 5; k++)
    expect_caption (f.th, words5[k], start + off[k] * GST_MSECOND,
        (off[k + 1] - off[k]) * GST_MSECOND);
  expect_no_caption (f.th, 200);
  fixture_stop (&f);
}

GST_END_TEST;

GST_START_TEST (test_utterance)
{
  Fixture f;
  GstClockTime start;

  fixture_start (&f, vl_emulator_start ("--reply-ms", "1000",
          "--reply-text", "one two three four five", NULL), "tw3",
      "word-timestamps=true", "utterance");
  start = play_answer (&f, 1000);
  expect_caption (f.th, "one two three four five", start, GST_SECOND);
  expect_no_caption (f.th, 200);
  fixture_stop (&f);
}

GST_END_TEST;

static const gchar *const words10[] = { "w0", "w1", "w2", "w3", "w4", "w5",
  "w6", "w7", "w8", "w9"
};

/* Barge-in 190 ms into a 3 s answer of 10 words (300 ms each): the first
 * word ends at the cut, no later word of it is output; the answer to the
 * interrupting turn is captioned in full at its own running time. */
GST_START_TEST (test_barge_in_and_second_turn)
{
  Fixture f;
  GstHarness *h, *th;
  GstClockTime start, start2, now, cut;
  GstBuffer *b;
  GPtrArray *rec;
  JsonObject *tr;
  gint64 end_ms;
  guint k;

  fixture_start (&f, vl_emulator_start ("--reply-ms", "3000",
          "--reply-text", "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9", NULL), "tw4",
      "word-timestamps=true", "word");
  h = f.h;
  th = f.th;
  vl_test_push_speech (f.sp->appsrc, 16000, 0, 600, 700);
  vl_sink_pipe_wait_received (f.sp, 3000);
  start = play_until_audio (h);
  /* The first word is out as soon as its audio plays */
  expect_caption (th, "w0", start, 300 * GST_MSECOND);
  play_until (h, start + 190 * GST_MSECOND);
  now = gst_clock_get_time (GST_ELEMENT_CLOCK (h->element));

  /* The user talks over it */
  vl_test_push_speech (f.sp->appsrc, 16000, 1300, 300, 900);
  rec = vl_emulator_wait (f.emu, "client", "conversation.item.truncate", 1,
      10000);
  fail_unless (rec != NULL, "no truncate");
  tr = vl_rec_event (vl_rec_find (rec, "client",
          "conversation.item.truncate", 0));
  end_ms = json_object_get_int_member (tr, "audio_end_ms");
  fail_unless_equals_int64 (end_ms, (gint64) ((now - start) / GST_MSECOND));
  g_ptr_array_unref (rec);
  cut = start + end_ms * GST_MSECOND;

  /* w0 was given out for 300 ms: an empty caption ends it at the cut, or
   * (live voicelivesrc) where the text stream already was: at most the
   * two buffers voicelivesrc had made beyond what was heard (the one
   * playing and the next, waiting for the clock). */
  b = pull_text (th);
  fail_unless_equals_int (gst_buffer_get_size (b), 0);
  fail_unless (GST_BUFFER_PTS (b) >= cut && GST_BUFFER_PTS (b) <= now +
      40 * GST_MSECOND, "cut at %" GST_TIME_FORMAT ", caption ended at %"
      GST_TIME_FORMAT, GST_TIME_ARGS (cut), GST_TIME_ARGS (GST_BUFFER_PTS (b)));
  fail_unless_equals_uint64 (GST_BUFFER_PTS (b) + GST_BUFFER_DURATION (b),
      start + 300 * GST_MSECOND);
  gst_buffer_unref (b);

  /* The rest of the first answer is dropped (within a buffer) */
  for (k = 0; k < 5 && GST_CLOCK_TIME_IS_VALID (crank_audio (h)); k++);
  fail_unless (k < 5, "the answer went on after the barge-in");
  expect_no_caption (th, 100);

  /* The second answer (its audio is all there once received) */
  vl_sink_pipe_wait_received (f.sp, 3000 + 3000);
  start2 = play_until_audio (h);
  fail_unless (start2 > cut);
  play_until (h, start2 + 3100 * GST_MSECOND);
  for (k = 0; k < 10; k++)
    expect_caption (th, words10[k], start2 + k * 300 * GST_MSECOND,
        300 * GST_MSECOND);
  expect_no_caption (th, 200);
  fixture_stop (&f);
}

GST_END_TEST;

/* Not live, an utterance is given out once its audio stopped: after a
 * barge-in, only the words heard, lasting until the cut */
GST_START_TEST (test_utterance_barge_in)
{
  Fixture f;
  GstClockTime start, start2;
  GPtrArray *rec;
  gint64 end_ms;

  fixture_start (&f, vl_emulator_start ("--reply-ms", "3000",
          "--reply-text", "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9", NULL), "tw11",
      "word-timestamps=true", "utterance");
  vl_test_push_speech (f.sp->appsrc, 16000, 0, 600, 700);
  vl_sink_pipe_wait_received (f.sp, 3000);
  start = play_until_audio (f.h);
  play_until (f.h, start + 490 * GST_MSECOND);
  /* Playing, not over: nothing yet */
  expect_no_caption (f.th, 100);

  vl_test_push_speech (f.sp->appsrc, 16000, 1300, 300, 900);
  rec = vl_emulator_wait (f.emu, "client", "conversation.item.truncate", 1,
      10000);
  fail_unless (rec != NULL, "no truncate");
  end_ms = json_object_get_int_member (vl_rec_event (vl_rec_find (rec,
              "client", "conversation.item.truncate", 0)), "audio_end_ms");
  g_ptr_array_unref (rec);
  /* Cut in w1 (300 .. 600 ms): w0 and w1 were heard */
  fail_unless (end_ms > 300 && end_ms < 600);
  expect_caption (f.th, "w0 w1", start, end_ms * GST_MSECOND);

  /* The rest of the first answer is dropped; the second comes after the
   * user's turn ends (real time) */
  crank_audio (f.h);
  fail_if (GST_CLOCK_TIME_IS_VALID (crank_audio (f.h)));
  vl_sink_pipe_wait_received (f.sp, 3000 + 3000);
  start2 = play_until_audio (f.h);
  play_until (f.h, start2 + 3100 * GST_MSECOND);
  expect_caption (f.th, "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9", start2,
      3 * GST_SECOND);
  expect_no_caption (f.th, 200);
  fixture_stop (&f);
}

GST_END_TEST;

/* The user's words at speech_started .. speech_stopped of the input the
 * sink received (its first sample at running time 0) */
GST_START_TEST (test_user_words)
{
  Fixture f;
  JsonObject *started, *stopped;
  GPtrArray *rec;
  gint64 s_ms, e_ms;
  gchar *text;

  fixture_start (&f, vl_emulator_start ("--reply-ms", "200", NULL), "tw5",
      "transcription-model=whisper-1", NULL);
  f.th = gst_harness_new ("voicelivetextsrc");
  g_object_set (f.th->element, "session-name", "tw5", "is-live", FALSE,
      "speakers", GST_VOICE_LIVE_SPEAKER_USER, NULL);
  gst_harness_play (f.th);

  vl_test_push_speech (f.sp->appsrc, 16000, 0, 600, 700);
  rec = vl_emulator_wait (f.emu, "server",
      "conversation.item.input_audio_transcription.completed", 1, 10000);
  fail_unless (rec != NULL);
  started = vl_rec_event (vl_rec_find (rec, "server",
          "input_audio_buffer.speech_started", 0));
  stopped = vl_rec_event (vl_rec_find (rec, "server",
          "input_audio_buffer.speech_stopped", 0));
  s_ms = json_object_get_int_member (started, "audio_start_ms");
  e_ms = json_object_get_int_member (stopped, "audio_end_ms");
  text = g_strdup (json_object_get_string_member (vl_rec_event (vl_rec_find
              (rec, "server",
                  "conversation.item.input_audio_transcription.completed", 0)),
          "transcript"));
  g_ptr_array_unref (rec);

  expect_caption (f.th, text, s_ms * GST_MSECOND, (e_ms - s_ms) * GST_MSECOND);
  g_free (text);
  fixture_stop (&f);
}

GST_END_TEST;

/* The final transcript message of @name on @bus (bounded wait) */
static GstStructure *
wait_final (GstBus * bus, const gchar * name)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline) {
    GstMessage *m = vl_bus_wait (bus, GST_MESSAGE_ELEMENT, name, 1000);
    gboolean final = FALSE;
    GstStructure *s;

    if (!m)
      continue;
    s = gst_structure_copy (gst_message_get_structure (m));
    gst_message_unref (m);
    if (gst_structure_get_boolean (s, "final", &final) && final)
      return s;
    gst_structure_free (s);
  }
  fail ("no final %s", name);
  return NULL;
}

/* Bus-only applications get the timing too: the final agent transcript of
 * an item already playing carries its start and length, the user's its
 * speech_started .. speech_stopped. */
GST_START_TEST (test_bus_message_timing)
{
  Fixture f;
  GstBus *bus;
  GstClockTime start, rt = 0, dur = 0;
  GstStructure *s;
  GPtrArray *rec;
  gint64 s_ms, e_ms;

  fixture_start (&f, vl_emulator_start ("--reply-ms", "1000", "--realtime",
          NULL), "tw7", "transcription-model=whisper-1", NULL);
  bus = gst_element_get_bus (f.sp->pipeline);
  vl_test_push_speech (f.sp->appsrc, 16000, 0, 600, 700);
  s = wait_final (bus, "voicelive/input-transcript");
  rec = vl_emulator_record (f.emu);
  s_ms = json_object_get_int_member (vl_rec_event (vl_rec_find (rec,
              "server", "input_audio_buffer.speech_started", 0)),
      "audio_start_ms");
  e_ms = json_object_get_int_member (vl_rec_event (vl_rec_find (rec,
              "server", "input_audio_buffer.speech_stopped", 0)),
      "audio_end_ms");
  g_ptr_array_unref (rec);
  fail_unless (gst_structure_get_uint64 (s, "running-time", &rt));
  fail_unless (gst_structure_get_uint64 (s, "duration", &dur));
  fail_unless_equals_uint64 (rt, s_ms * GST_MSECOND);
  fail_unless_equals_uint64 (dur, (e_ms - s_ms) * GST_MSECOND);
  vl_docs_check_message (s);
  gst_structure_free (s);

  /* The answer comes in real time: it plays before its transcript ends */
  vl_sink_pipe_wait_received (f.sp, 20);
  start = play_until_audio (f.h);
  s = wait_final (bus, "voicelive/response-transcript");
  fail_unless (gst_structure_get_uint64 (s, "running-time", &rt));
  fail_unless (gst_structure_get_uint64 (s, "duration", &dur));
  fail_unless_equals_uint64 (rt, start);
  fail_unless_equals_uint64 (dur, GST_SECOND);
  vl_docs_check_message (s);
  gst_structure_free (s);

  gst_object_unref (bus);
  fixture_stop (&f);
}

GST_END_TEST;

/* Markup and prefix: the caps say pango-markup, the text is escaped */
GST_START_TEST (test_prefix_and_markup)
{
  Fixture f;
  GstClockTime start;
  GstCaps *caps;

  fixture_start (&f, vl_emulator_start ("--reply-ms", "400",
          "--reply-text", "a<b", NULL), "tw6", "", NULL);
  f.th = gst_harness_new ("voicelivetextsrc");
  g_object_set (f.th->element, "session-name", "tw6", "is-live", FALSE,
      "speakers", GST_VOICE_LIVE_SPEAKER_AGENT, "markup", TRUE,
      "speaker-prefix", "%s: ", NULL);
  gst_harness_play (f.th);
  start = play_answer (&f, 400);
  expect_caption (f.th, "<span foreground=\"#ffffff\">Agent: a&lt;b</span>",
      start, 400 * GST_MSECOND);
  caps = gst_pad_get_current_caps (f.th->sinkpad);
  fail_unless_equals_string (gst_structure_get_string
      (gst_caps_get_structure (caps, 0), "format"), "pango-markup");
  gst_caps_unref (caps);
  fixture_stop (&f);
}

GST_END_TEST;

/* The end of the latest GAP event the harness got, or @end */
static GstClockTime
last_gap_end (GstHarness * th, GstClockTime end)
{
  GstEvent *ev;

  while ((ev = gst_harness_try_pull_event (th))) {
    if (GST_EVENT_TYPE (ev) == GST_EVENT_GAP) {
      GstClockTime ts, dur;

      gst_event_parse_gap (ev, &ts, &dur);
      end = ts + (GST_CLOCK_TIME_IS_VALID (dur) ? dur : 0);
    }
    gst_event_unref (ev);
  }
  return end;
}

/* Live: GAP events follow the audio voicelivesrc pushed, before and
 * between captions, so that nothing downstream waits for text; the words
 * are timed as when not live. */
GST_START_TEST (test_live_gaps_and_words)
{
  Fixture f;
  GstClockTime end = GST_CLOCK_TIME_NONE, pos;

  fixture_start (&f, vl_emulator_start ("--reply-ms", "1000",
          "--reply-text", "one two three four five", NULL), "tw10",
      "word-timestamps=true", NULL);
  f.th = gst_harness_new ("voicelivetextsrc");
  g_object_set (f.th->element, "session-name", "tw10", "speakers",
      GST_VOICE_LIVE_SPEAKER_AGENT, NULL);
  /* Its clock stays at 0: only the audio moves the text stream on */
  gst_harness_use_testclock (f.th);
  gst_harness_play (f.th);

  /* Before any answer: GAPs up to the audio pushed (one buffer ahead of
   * the clock, and the one waiting for it) */
  play_until (f.h, 200 * GST_MSECOND);
  pos = gst_clock_get_time (GST_ELEMENT_CLOCK (f.h->element));
  VL_TEST_POLL_UNTIL ((end = last_gap_end (f.th, end)) != GST_CLOCK_TIME_NONE
      && end >= pos, 5, 5000);
  fail_unless (end != GST_CLOCK_TIME_NONE && end >= pos, "text stream at %"
      GST_TIME_FORMAT ", audio at %" GST_TIME_FORMAT, GST_TIME_ARGS (end),
      GST_TIME_ARGS (pos));
  fail_unless (end <= pos + 40 * GST_MSECOND);

  expect_five_words (&f);
  fixture_stop (&f);
}

GST_END_TEST;

/* Live without a voicelivesrc (the user's words only): GAP events follow
 * the clock in steps of at least 10 ms, never a flood of tiny ones. */
GST_START_TEST (test_live_gaps_by_clock)
{
  GstHarness *th = gst_harness_new ("voicelivetextsrc");
  GstClockTime covered = 0;
  guint gaps = 0;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_object_set (th->element, "session-name", "tw12", "speakers",
      GST_VOICE_LIVE_SPEAKER_USER, NULL);
  gst_harness_use_systemclock (th);
  /* Alone, nothing sets its base time: running time from now on */
  gst_element_set_base_time (th->element,
      gst_clock_get_time (GST_ELEMENT_CLOCK (th->element)));
  gst_harness_play (th);
  while (covered < 300 * GST_MSECOND && vl_test_poll_step (deadline, 5)) {
    GstEvent *ev;

    while ((ev = gst_harness_try_pull_event (th))) {
      if (GST_EVENT_TYPE (ev) == GST_EVENT_GAP) {
        GstClockTime ts, dur;

        gst_event_parse_gap (ev, &ts, &dur);
        fail_unless (dur >= 10 * GST_MSECOND, "a GAP of %" GST_TIME_FORMAT,
            GST_TIME_ARGS (dur));
        fail_unless_equals_uint64 (ts, covered);
        covered = ts + dur;
        gaps++;
      }
      gst_event_unref (ev);
    }
  }
  fail_unless (covered >= 300 * GST_MSECOND, "the text stream stands at %"
      GST_TIME_FORMAT, GST_TIME_ARGS (covered));
  fail_unless (gaps > 0);
  gst_harness_teardown (th);
}

GST_END_TEST;

/* One voicelivetextsrc per session: a second fails its change to READY;
 * session-name set in READY moves it, unless that name has one. */
GST_START_TEST (test_one_per_session)
{
  GstElement *a = gst_element_factory_make ("voicelivetextsrc", NULL);
  GstElement *b = gst_element_factory_make ("voicelivetextsrc", NULL);
  gchar *name = NULL;

  g_object_set (a, "session-name", "tr-a", NULL);
  g_object_set (b, "session-name", "tr-a", NULL);
  fail_unless_equals_int (gst_element_set_state (a, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  fail_unless_equals_int (gst_element_set_state (b, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  g_object_set (b, "session-name", "tr-b", NULL);
  fail_unless_equals_int (gst_element_set_state (b, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);

  g_object_set (b, "session-name", "tr-c", NULL);
  g_object_get (b, "session-name", &name, NULL);
  fail_unless_equals_string (name, "tr-c");
  g_free (name);
  /* Taken: refused (with a warning), nothing changes */
  g_object_set (b, "session-name", "tr-a", NULL);
  g_object_get (b, "session-name", &name, NULL);
  fail_unless_equals_string (name, "tr-c");
  g_free (name);

  gst_element_set_state (a, GST_STATE_NULL);
  gst_element_set_state (b, GST_STATE_NULL);
  gst_object_unref (a);
  gst_object_unref (b);
}

GST_END_TEST;

/* Bright pixels (luma > 128) of an I420 frame on black */
static guint
bright_pixels (GstSample * sample)
{
  GstBuffer *b = gst_sample_get_buffer (sample);
  GstVideoInfo info;
  GstVideoFrame frame;
  guint x, y, n = 0;

  fail_unless (gst_video_info_from_caps (&info, gst_sample_get_caps (sample)));
  fail_unless (gst_video_frame_map (&frame, &info, b, GST_MAP_READ));
  for (y = 0; y < GST_VIDEO_INFO_HEIGHT (&info); y++) {
    const guint8 *row = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame,
        0) + y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);

    for (x = 0; x < GST_VIDEO_INFO_WIDTH (&info); x++)
      n += row[x] > 128;
  }
  gst_video_frame_unmap (&frame);
  return n;
}

/* textoverlay on black video, its text from voicelivetextsrc: the frames
 * before the first word's running time are untouched, the frame at it
 * shows the word, the frames after the answer are black again. */
GST_START_TEST (test_textoverlay_renders_words)
{
  Fixture f;
  GstElement *video = vl_test_pipeline_new ("videotestsrc pattern=black ! "
      "video/x-raw,format=I420,width=160,height=120,framerate=50/1 ! "
      "textoverlay name=o font-desc=\"Sans Bold 40\" ! "
      "appsink name=v sync=false "
      "voicelivetextsrc session-name=tw8 is-live=false speakers=agent ! "
      "o.text_sink");
  GstElement *appsink = gst_bin_get_by_name (GST_BIN (video), "v");
  GstClockTime start;
  guint frames = 0, lit = 0;

  gst_element_set_state (video, GST_STATE_PLAYING);
  fixture_start (&f, vl_emulator_start ("--reply-ms", "1000",
          "--reply-text", "HELLO two three four five", NULL), "tw8",
      "word-timestamps=true", NULL);
  start = play_answer (&f, 1000);
  play_until (f.h, start + 1300 * GST_MSECOND);

  /* Frames of 20 ms from 0 until 200 ms after the answer */
  while (TRUE) {
    GstSample *s = gst_app_sink_try_pull_sample (GST_APP_SINK (appsink),
        5 * GST_SECOND);
    GstClockTime pts;
    guint n;

    fail_unless (s != NULL, "no video frame after %u", frames);
    pts = GST_BUFFER_PTS (gst_sample_get_buffer (s));
    n = bright_pixels (s);
    gst_sample_unref (s);
    frames++;
    if (pts < start)
      fail_unless (n == 0, "text at %" GST_TIME_FORMAT " before the word "
          "at %" GST_TIME_FORMAT, GST_TIME_ARGS (pts), GST_TIME_ARGS (start));
    else if (pts == start)
      fail_unless (n > 50, "the word is not shown at %" GST_TIME_FORMAT
          " (%u pixels)", GST_TIME_ARGS (pts), n);
    else if (pts >= start + GST_SECOND)
      fail_unless (n == 0, "text after the answer at %" GST_TIME_FORMAT,
          GST_TIME_ARGS (pts));
    if (pts > start && pts < start + GST_SECOND)
      lit += n > 0;
    if (pts >= start + 1200 * GST_MSECOND)
      break;
  }
  /* Every frame of the answer shows a word */
  fail_unless_equals_int (lit, 49);

  gst_object_unref (appsink);
  vl_test_stop_pipeline (video);
  fixture_stop (&f);
}

GST_END_TEST;

/* A call recorded with subtitles: the answer audio and the captions into
 * matroskamux, not live; the demuxed subtitle track has every word at
 * its audio (the answer starts at 0 in the recording). filesink
 * async=false: matroskamux cannot preroll on GAP events, and nothing is
 * said before the pipeline plays (docs/recipes.md). */
GST_START_TEST (test_matroska_recording)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "1000",
      "--reply-text", "one two three four five", NULL);
  gchar *path = g_build_filename (emu->dir, "call.mkv", NULL);
  GstElement *rec = vl_test_pipeline_new_pair (16000, "session-name=tw9 "
      "endpoint=%s word-timestamps=true "
      "voicelivesrc session-name=tw9 is-live=false ! queue ! "
      "m.audio_%%u matroskamux name=m ! filesink async=false location=%s "
      "voicelivetextsrc session-name=tw9 is-live=false speakers=agent ! "
      "queue ! m.subtitle_%%u", emu->url, path);
  GstElement *appsrc = gst_bin_get_by_name (GST_BIN (rec), "in");
  GstBus *bus = gst_element_get_bus (rec);
  GstElement *play, *appsink;
  GstMessage *msg;
  guint k = 0;

  gst_element_set_state (rec, GST_STATE_PLAYING);
  vl_test_push_speech (appsrc, 16000, 0, 600, 700);
  gst_app_src_end_of_stream (GST_APP_SRC (appsrc));
  msg = vl_bus_wait (bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR, NULL, 30000);
  fail_unless (msg != NULL, "the recording did not end");
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err = NULL;
    gchar *dbg = NULL;

    gst_message_parse_error (msg, &err, &dbg);
    fail ("recording failed: %s (%s)", err->message, dbg);
  }
  gst_message_unref (msg);
  vl_test_stop_pipeline (rec);
  gst_object_unref (appsrc);
  gst_object_unref (bus);

  play = vl_test_pipeline_new ("filesrc location=%s ! matroskademux name=d "
      "d.subtitle_0 ! appsink name=t sync=false", path);
  appsink = gst_bin_get_by_name (GST_BIN (play), "t");
  gst_element_set_state (play, GST_STATE_PLAYING);
  while (TRUE) {
    GstSample *s = gst_app_sink_try_pull_sample (GST_APP_SINK (appsink),
        5 * GST_SECOND);
    GstBuffer *b;
    gchar *text;

    if (!s)
      break;
    b = gst_sample_get_buffer (s);
    text = buffer_text (b);
    fail_unless (k < 5, "extra subtitle '%s'", text);
    fail_unless_equals_string (text, words5[k]);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), word_start (1000, k, 5));
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (b),
        word_start (1000, k + 1, 5) - word_start (1000, k, 5));
    g_free (text);
    gst_sample_unref (s);
    k++;
    if (gst_app_sink_is_eos (GST_APP_SINK (appsink)))
      break;
  }
  fail_unless_equals_int (k, 5);
  vl_test_stop_pipeline (play);
  gst_object_unref (appsink);
  g_unlink (path);
  g_free (path);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static Suite *
voicelivetextsrc_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("voicelivetextsrc", 120, &tc);

  tcase_add_test (tc, test_one_per_session);
  tcase_add_test (tc, test_word_timestamps);
  tcase_add_test (tc, test_deltas_without_word_timestamps);
  tcase_add_test (tc, test_utterance);
  tcase_add_test (tc, test_barge_in_and_second_turn);
  tcase_add_test (tc, test_utterance_barge_in);
  tcase_add_test (tc, test_user_words);
  tcase_add_test (tc, test_prefix_and_markup);
  tcase_add_test (tc, test_bus_message_timing);
  tcase_add_test (tc, test_live_gaps_and_words);
  tcase_add_test (tc, test_live_gaps_by_clock);
  tcase_add_test (tc, test_matroska_recording);
  tcase_add_test (tc, test_textoverlay_renders_words);
  return s;
}

GST_CHECK_MAIN (voicelivetextsrc);
