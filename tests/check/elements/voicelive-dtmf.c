/* gst-voicelive: keypad digits (DTMF) both ways, against the emulator:
 * the dtmf signal, dtmf-event events inline with the audio, tones detected
 * in the input (next to spandsp's dtmfdetect on the same audio), the
 * sequence rules, and send-dtmf tones in voicelivesrc's output.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsrc.h>
#include <string.h>
#include "vltest.h"
#include "vlconv.h"

#define TEMPLATE "The caller pressed {digits} on the phone keypad."

static gboolean
emit (GstElement * e, const gchar * signal, const gchar * arg)
{
  gboolean ret = FALSE;

  g_signal_emit_by_name (e, signal, arg, &ret);
  return ret;
}

/* The text of the n-th user text item the emulator got */
static gchar *
item_text (VlEmulator * emu, guint n)
{
  GPtrArray *rec = vl_emulator_record (emu);
  JsonNode *line = vl_rec_find (rec, "client", "conversation.item.create", n);
  gchar *text = NULL;

  if (line) {
    JsonObject *item = json_object_get_object_member (vl_rec_event (line),
        "item");
    JsonObject *part =
        json_array_get_object_element (json_object_get_array_member (item,
            "content"), 0);

    fail_unless_equals_string (json_object_get_string_member (item, "role"),
        "user");
    fail_unless_equals_string (json_object_get_string_member (part, "type"),
        "input_text");
    text = g_strdup (json_object_get_string_member (part, "text"));
  }
  g_ptr_array_unref (rec);
  return text;
}

/* The digits of every voicelive/dtmf message so far, "|"-separated */
static gchar *
sequences (VlConv * conv)
{
  GPtrArray *m = vl_conv_find (conv, "voicelive/dtmf");
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; i < m->len; i++) {
    const GstStructure *s =
        gst_message_get_structure (g_ptr_array_index (m, i));
    gboolean sent = FALSE;

    vl_docs_check_message (s);
    fail_unless (gst_structure_get_boolean (s, "sent", &sent) && sent);
    g_string_append_printf (out, "%s%s", i ? "|" : "",
        gst_structure_get_string (s, "digits"));
  }
  g_ptr_array_unref (m);
  return g_string_free (out, FALSE);
}

static VlConv *
start_conv (VlEmulator * emu, const gchar * sink_props)
{
  gchar *props = g_strdup_printf ("modalities=text turn-detection=none %s",
      sink_props);
  VlConv *conv = vl_conv_new (emu, 8000, props, NULL, NULL);

  g_free (props);
  vl_conv_start (conv);
  vl_conv_speak (conv, 0, 0, 20, FALSE);
  fail_unless (vl_emulator_wait_for (emu, "server", "session.updated", 1,
          10000));
  return conv;
}

GST_START_TEST (test_dtmf_signal)
{
  VlEmulator *emu = vl_emulator_start ("--reply-text", "Sales, hello.", NULL);
  VlConv *conv = start_conv (emu, "");
  GPtrArray *rec;
  gchar *text;
  gint64 item_at = -1, resp_at = -1;
  guint i;

  /* not digits: refused, nothing sent */
  fail_if (emit (conv->sink, "dtmf", "12x"));
  fail_if (emit (conv->sink, "dtmf", ""));
  /* one sequence over two calls, ended by the terminator */
  fail_unless (emit (conv->sink, "dtmf", "12"));
  fail_unless (emit (conv->sink, "dtmf", "3 4#"));
  fail_unless (vl_conv_wait_message (conv, "voicelive/response-done", 1,
          10000));
  text = item_text (emu, 0);
  fail_unless_equals_string (text,
      "The caller pressed 1 2 3 4 # on the phone keypad.");
  g_free (text);

  rec = vl_emulator_record (emu);
  fail_unless_equals_int (vl_rec_count (rec, "client",
          "conversation.item.create"), 1);
  for (i = 0; i < rec->len; i++) {
    const gchar *type = vl_rec_type (g_ptr_array_index (rec, i));

    if (g_strcmp0 (type, "conversation.item.create") == 0 && item_at < 0)
      item_at = i;
    if (g_strcmp0 (type, "response.create") == 0 && resp_at < 0)
      resp_at = i;
  }
  fail_unless (item_at >= 0 && resp_at > item_at);
  g_ptr_array_unref (rec);
  text = sequences (conv);
  fail_unless_equals_string (text, "1234#");
  g_free (text);

  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

GST_START_TEST (test_dtmf_timeout_terminator_template)
{
  VlEmulator *emu = vl_emulator_start ("--reply-text", "OK.", NULL);
  VlConv *conv = start_conv (emu, "dtmf-timeout-ms=400 dtmf-terminator=* "
      "dtmf-template=\"PIN {digits}, twice: {digits}\" "
      "dtmf-create-response=false");
  gchar *text;

  g_object_set (conv->sink, "dtmf-terminator", "x", NULL);      /* refused */
  text = NULL;
  g_object_get (conv->sink, "dtmf-terminator", &text, NULL);
  fail_unless_equals_string (text, "*");
  g_free (text);

  /* no terminator: the timeout ends it */
  fail_unless (emit (conv->sink, "dtmf", "5#5"));
  fail_unless (vl_emulator_wait_for (emu, "client",
          "conversation.item.create", 1, 5000));
  text = item_text (emu, 0);
  fail_unless_equals_string (text, "PIN 5 # 5, twice: 5 # 5");
  g_free (text);
  /* the terminator ends it at once, and the rest starts the next one */
  fail_unless (emit (conv->sink, "dtmf", "9*0"));
  fail_unless (vl_emulator_wait_for (emu, "client",
          "conversation.item.create", 3, 5000));
  text = item_text (emu, 1);
  fail_unless_equals_string (text, "PIN 9 *, twice: 9 *");
  g_free (text);
  text = item_text (emu, 2);
  fail_unless_equals_string (text, "PIN 0, twice: 0");
  g_free (text);
  /* dtmf-create-response=false: no response asked for */
  fail_unless_equals_int (vl_emulator_count (emu, "client",
          "response.create"), 0);
  text = sequences (conv);
  fail_unless_equals_string (text, "5#5|9*|0");
  g_free (text);

  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static GstEvent *
dtmf_event (GstEventType type, gint number, gboolean start)
{
  return gst_event_new_custom (type, gst_structure_new ("dtmf-event",
          "type", G_TYPE_INT, 1, "number", G_TYPE_INT, number,
          "volume", G_TYPE_INT, 10, "start", G_TYPE_BOOLEAN, start, NULL));
}

/* dtmf-event events inline with the audio, as dtmfsrc sends them */
GST_START_TEST (test_dtmf_events_inline)
{
  VlEmulator *emu = vl_emulator_start ("--reply-text", "OK.", NULL);
  VlConv *conv = start_conv (emu, "");
  static const gint numbers[] = { 1, 0, 10, 11 };       /* 1 0 * # */
  gchar *text;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (numbers); i++) {
    fail_unless (gst_element_send_event (conv->appsrc,
            dtmf_event (GST_EVENT_CUSTOM_DOWNSTREAM, numbers[i], TRUE)));
    fail_unless (gst_element_send_event (conv->appsrc,
            dtmf_event (GST_EVENT_CUSTOM_DOWNSTREAM, numbers[i], FALSE)));
    vl_conv_speak (conv, 20 + i * 20, 0, 20, FALSE);
  }
  fail_unless (vl_emulator_wait_for (emu, "client",
          "conversation.item.create", 1, 5000));
  text = item_text (emu, 0);
  fail_unless_equals_string (text,
      "The caller pressed 1 0 * # on the phone keypad.");
  g_free (text);

  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* What an application does to dtmfsrc or rtpdtmfsrc: for each key, a start
 * event, @on_ms later a stop event, then @off_ms of pause. The events go
 * to the source pad, as upstream events reach it from the pipeline. */
static void
press_keys (GstElement * tones, const gint * numbers, guint n, guint on_ms,
    guint off_ms)
{
  GstPad *pad = gst_element_get_static_pad (tones, "src");
  guint i;

  for (i = 0; i < n; i++) {
    fail_unless (gst_pad_send_event (pad,
            dtmf_event (GST_EVENT_CUSTOM_UPSTREAM, numbers[i], TRUE)));
    g_usleep (on_ms * 1000);
    fail_unless (gst_pad_send_event (pad,
            dtmf_event (GST_EVENT_CUSTOM_UPSTREAM, numbers[i], FALSE)));
    g_usleep (off_ms * 1000);
  }
  gst_object_unref (pad);
}

/* dtmfdetect's digits (its dtmf-event messages) in order */
static gchar *
dtmfdetect_digits (GstBus * bus, guint expected, guint timeout_ms)
{
  static const gchar keys[] = "0123456789*#ABCD";
  GString *out = g_string_new (NULL);
  GstMessage *m;
  gint number;

  while (out->len < expected
      && (m = vl_bus_wait (bus, GST_MESSAGE_ERROR, "dtmf-event",
              timeout_ms)) != NULL) {
    fail_unless (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ELEMENT);
    fail_unless (gst_structure_get_int (gst_message_get_structure (m),
            "number", &number) && number >= 0 && number < 16);
    g_string_append_c (out, keys[number]);
    gst_message_unref (m);
  }
  return g_string_free (out, FALSE);
}

/* dtmfsrc's tones into voicelivesink dtmf-detect=true and into spandsp's
 * dtmfdetect: the same digits, sent as one sequence */
GST_START_TEST (test_dtmf_detect_matches_dtmfdetect)
{
  static const gint numbers[] = { 1, 5, 9, 0, 10, 11 }; /* 1 5 9 0 * # */
  VlEmulator *emu = vl_emulator_start ("--reply-text", "OK.", NULL);
  GstElement *p, *tones;
  GstBus *bus;
  gchar *theirs, *text;

  p = vl_test_pipeline_new ("dtmfsrc name=tones ! audio/x-raw,rate=8000 ! "
      "tee name=t ! queue ! dtmfdetect ! fakesink async=false  t. ! queue ! "
      "voicelivesink name=sink endpoint=%s modalities=text "
      "turn-detection=none dtmf-detect=true dtmf-create-response=false",
      emu->url);
  tones = gst_bin_get_by_name (GST_BIN (p), "tones");
  bus = gst_element_get_bus (p);
  fail_unless (gst_element_set_state (p, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
  fail_unless (gst_element_get_state (p, NULL, NULL, 5 * GST_SECOND)
      != GST_STATE_CHANGE_FAILURE);
  press_keys (tones, numbers, G_N_ELEMENTS (numbers), 120, 100);
  theirs = dtmfdetect_digits (bus, G_N_ELEMENTS (numbers), 5000);
  fail_unless_equals_string (theirs, "1590*#");
  fail_unless (vl_emulator_wait_for (emu, "client",
          "conversation.item.create", 1, 5000));
  text = item_text (emu, 0);
  fail_unless_equals_string (text,
      "The caller pressed 1 5 9 0 * # on the phone keypad.");
  g_free (text);
  g_free (theirs);
  fail_unless_equals_int (vl_emulator_count (emu, "client",
          "conversation.item.create"), 1);

  gst_object_unref (bus);
  gst_object_unref (tones);
  vl_test_stop_pipeline (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static gboolean
playing (GstElement * e)
{
  GstState state;

  return gst_element_get_state (e, &state, NULL, 0) ==
      GST_STATE_CHANGE_SUCCESS && state == GST_STATE_PLAYING;
}

/* rtpdtmfsrc ! rtpdtmfdepay posts dtmf-event messages; the application
 * forwards them with the dtmf signal */
GST_START_TEST (test_dtmf_from_rtp_messages)
{
  static const gint numbers[] = { 4, 2, 11 };
  VlEmulator *emu = vl_emulator_start ("--reply-text", "OK.", NULL);
  VlConv *conv = start_conv (emu, "");
  GstElement *rtp = vl_test_pipeline_new ("rtpdtmfsrc name=tones ! "
      "rtpdtmfdepay ! fakesink async=false");
  GstElement *tones = gst_bin_get_by_name (GST_BIN (rtp), "tones");
  GstBus *bus = gst_element_get_bus (rtp);
  gchar *digits, *text;

  fail_unless (gst_element_set_state (rtp, GST_STATE_PLAYING)
      != GST_STATE_CHANGE_FAILURE);
  /* rtpdtmfsrc takes events once its state change to PLAYING is done */
  fail_unless (VL_TEST_POLL_UNTIL (playing (tones), 10, 5000));
  press_keys (tones, numbers, G_N_ELEMENTS (numbers), 100, 60);
  /* what an application's bus handler does */
  digits = dtmfdetect_digits (bus, G_N_ELEMENTS (numbers), 5000);
  fail_unless_equals_string (digits, "42#");
  fail_unless (emit (conv->sink, "dtmf", digits));
  fail_unless (vl_emulator_wait_for (emu, "client",
          "conversation.item.create", 1, 5000));
  text = item_text (emu, 0);
  fail_unless_equals_string (text,
      "The caller pressed 4 2 # on the phone keypad.");
  g_free (text);
  g_free (digits);

  gst_object_unref (bus);
  gst_object_unref (tones);
  vl_test_stop_pipeline (rtp);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* How many S16 samples of @out there are from its first non-zero one on */
static gsize
samples_after_first_tone (GByteArray * out)
{
  const gint16 *s = (const gint16 *) out->data;
  gsize n = out->len / 2, i;

  for (i = 0; i < n && s[i] == 0; i++);
  return n - i;
}

/* send-dtmf: dtmfdetect hears exactly the digits in voicelivesrc's output,
 * and the tones are where the documentation says: 100 ms on, 100 ms off */
GST_START_TEST (test_send_dtmf)
{
  VlEmulator *emu = vl_emulator_start ("--reply-text", "OK.", NULL);
  VlConv *conv = vl_conv_new (emu, 8000, "modalities=text", "is-live=true",
      "audio/x-raw,rate=8000 ! tee name=dt ! queue ! dtmfdetect ! "
      "fakesink async=false  dt. ! queue");
  GByteArray *out = g_byte_array_new ();
  GPtrArray *m;
  const gint16 *s;
  gsize n, i, start = 0;
  guint bursts = 0;
  gboolean in_tone = FALSE;
  gsize last_nonzero = 0, starts[8], ends[8];

  vl_conv_start (conv);
  vl_conv_speak (conv, 0, 0, 20, FALSE);
  fail_unless (vl_emulator_wait_for (emu, "server", "session.updated", 1,
          10000));
  fail_if (emit (conv->src, "send-dtmf", "1E"));
  fail_unless (emit (conv->src, "send-dtmf", "147*#"));
  /* 5 digits of 200 ms from the first tone on, and some silence after
   * (the silence before it is as long as starting took) */
  while (samples_after_first_tone (out) < 8000 * 14 / 10
      && vl_test_pull_append (conv->appsink, out, 5 * GST_SECOND));
  fail_unless (samples_after_first_tone (out) >= 8000 * 14 / 10);

  fail_unless (VL_TEST_POLL_UNTIL (vl_conv_count (conv, "dtmf-event") >= 5,
          20, 5000));
  m = vl_conv_find (conv, "dtmf-event");
  fail_unless_equals_int (m->len, 5);
  for (i = 0; i < m->len; i++) {
    gint number;

    fail_unless (gst_structure_get_int (gst_message_get_structure
            (g_ptr_array_index (m, i)), "number", &number));
    fail_unless_equals_int (number, ((const gint[]) {
              1, 4, 7, 10, 11
            }
        )[i]);
  }
  g_ptr_array_unref (m);

  /* each tone 100 ms (its first and last sample are 0 on the ramp), each
   * start 200 ms after the one before */
  s = (const gint16 *) out->data;
  n = out->len / 2;
  for (i = 0; i < n; i++) {
    if (s[i] != 0) {
      if (!in_tone) {
        fail_unless (bursts < G_N_ELEMENTS (starts));
        start = i;
        in_tone = TRUE;
      }
      last_nonzero = i;
    } else if (in_tone && i - last_nonzero > 80) {
      starts[bursts] = start;
      ends[bursts++] = last_nonzero;
      in_tone = FALSE;
    }
  }
  fail_unless_equals_int (bursts, 5);
  for (i = 0; i < bursts; i++) {
    fail_unless (ends[i] - starts[i] + 1 >= 790
        && ends[i] - starts[i] + 1 <= 800);
    if (i)
      fail_unless_equals_int (starts[i] - starts[i - 1], 1600);
  }

  g_byte_array_unref (out);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* dtmf-detect on a whole conversation: speech in, an answer out, no
 * digits */
GST_START_TEST (test_no_digits_in_a_conversation)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  VlConv *conv = vl_conv_new (emu, 16000, "dtmf-detect=true", NULL, NULL);
  GByteArray *out;

  vl_conv_start (conv);
  vl_conv_speak (conv, 0, 1500, 1200, TRUE);
  out = vl_conv_pull_all (conv, 20000);
  fail_unless (out->len > 0);
  fail_unless_equals_int (vl_conv_count (conv, "voicelive/dtmf"), 0);
  fail_unless_equals_int (vl_emulator_count (emu, "client",
          "conversation.item.create"), 0);
  g_byte_array_unref (out);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static Suite *
voicelive_dtmf_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("voicelive-dtmf", 120, &tc);

  tcase_add_test (tc, test_dtmf_signal);
  tcase_add_test (tc, test_dtmf_timeout_terminator_template);
  tcase_add_test (tc, test_dtmf_events_inline);
  tcase_add_test (tc, test_dtmf_detect_matches_dtmfdetect);
  tcase_add_test (tc, test_dtmf_from_rtp_messages);
  tcase_add_test (tc, test_send_dtmf);
  tcase_add_test (tc, test_no_digits_in_a_conversation);
  return s;
}

GST_CHECK_MAIN (voicelive_dtmf);
