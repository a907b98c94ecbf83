/* gst-voicelive: every server event on the bus, function calling, signals
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <gst/check/gstcheck.h>
#include "vltest.h"
#include "vlconv.h"

static const GstStructure *
st (GstMessage * m)
{
  return gst_message_get_structure (m);
}

static GstMessage *
nth (GPtrArray * a, guint i)
{
  fail_unless (i < a->len, "only %u messages", a->len);
  return g_ptr_array_index (a, i);
}

/* The messages made from server events, in order, with their types. */
static GPtrArray *
event_messages (VlConv * conv)
{
  GPtrArray *all = vl_conv_messages (conv,
      GST_MESSAGE_WARNING | GST_MESSAGE_ELEMENT);
  GPtrArray *out = g_ptr_array_new ();
  guint i;

  /* the strings stay alive: conv->messages keeps the messages */
  for (i = 0; i < all->len; i++) {
    GstMessage *m = g_ptr_array_index (all, i);
    const GstStructure *s = st (m);
    const GstStructure *d = vl_message_details (m);

    if (d && gst_structure_has_field (d, "event-type"))
      g_ptr_array_add (out, (gpointer) gst_structure_get_string (d,
              "event-type"));
    else if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ELEMENT
        && gst_structure_has_field (s, "event-type"))
      g_ptr_array_add (out, (gpointer) gst_structure_get_string (s,
              "event-type"));
  }
  g_ptr_array_unref (all);
  return out;
}

/* Every server event except audio deltas reaches the bus exactly once, in
 * the order the emulator sent them. */
static GPtrArray *
sent_events (VlEmulator * emu, GPtrArray ** rec_out)
{
  GPtrArray *rec = vl_emulator_record (emu);
  GPtrArray *sent = g_ptr_array_new ();
  guint i;

  for (i = 0; i < rec->len; i++) {
    JsonNode *l = g_ptr_array_index (rec, i);
    const gchar *type = vl_rec_type (l);

    if (g_strcmp0 (vl_rec_dir (l), "server") != 0 || type[0] == '#'
        || g_str_equal (type, "response.audio.delta")
        || g_str_equal (type, "response.output_audio.delta"))
      continue;
    g_ptr_array_add (sent, (gpointer) type);
  }
  *rec_out = rec;
  return sent;
}

/* Every server event except audio deltas reaches the bus exactly once, in
 * the order the emulator sent them. Events sent just before the end may
 * still be on their way: both sides are read again until they agree, for
 * at most 5 s. */
/* Reads both sides again (dropping the previous reads): as many posted as
 * sent? */
static gboolean
as_many_posted_as_sent (VlConv * conv, VlEmulator * emu, GPtrArray ** posted,
    GPtrArray ** sent, GPtrArray ** rec)
{
  if (*posted) {
    g_ptr_array_unref (*posted);
    g_ptr_array_unref (*sent);
    g_ptr_array_unref (*rec);
  }
  *posted = event_messages (conv);
  *sent = sent_events (emu, rec);
  return (*posted)->len == (*sent)->len;
}

static void
assert_every_event_posted (VlConv * conv, VlEmulator * emu)
{
  GPtrArray *posted = NULL, *sent = NULL, *rec = NULL;
  guint i;

  VL_TEST_POLL_UNTIL (as_many_posted_as_sent (conv, emu, &posted, &sent,
          &rec), 20, 5000);
  for (i = 0; i < MIN (sent->len, posted->len); i++)
    fail_unless_equals_string (g_ptr_array_index (posted, i),
        g_ptr_array_index (sent, i));
  fail_unless_equals_int (posted->len, sent->len);
  g_ptr_array_unref (sent);
  g_ptr_array_unref (posted);
  g_ptr_array_unref (rec);
}

/* Fields every message of the list carries. */
static void
assert_common_fields (VlConv * conv)
{
  GPtrArray *all = vl_conv_messages (conv, GST_MESSAGE_ELEMENT);
  guint i;

  for (i = 0; i < all->len; i++) {
    const GstStructure *s = st (g_ptr_array_index (all, i));

    if (!g_str_has_prefix (gst_structure_get_name (s), "voicelive/"))
      continue;
    fail_unless_equals_string (gst_structure_get_string (s, "session-name"),
        "default");
    if (gst_structure_has_field (s, "event-type")) {
      const gchar *json = gst_structure_get_string (s, "json");
      JsonNode *n = json ? json_from_string (json, NULL) : NULL;

      fail_unless (n != NULL, "%s: json is not JSON",
          gst_structure_get_name (s));
      fail_unless_equals_string (json_object_get_string_member
          (json_node_get_object (n), "type"), gst_structure_get_string (s,
              "event-type"));
      json_node_unref (n);
    }
  }
  g_ptr_array_unref (all);
}

/* The one message named @name: there must be exactly one. */
static GstMessage *
the_one (VlConv * conv, const gchar * name)
{
  GPtrArray *m = vl_conv_find (conv, name);
  GstMessage *msg;

  fail_unless_equals_int (m->len, 1);
  msg = nth (m, 0);
  g_ptr_array_unref (m);
  /* conv->messages keeps it */
  return msg;
}

#define REPLY "This is answer number 1 from the Voice Live emulator."

GST_START_TEST (test_one_message_per_event)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "400", NULL);
  VlConv *conv = vl_conv_new (emu, 16000, "transcription-model=azure-speech",
      NULL, NULL);
  GByteArray *out;
  GPtrArray *m;
  const GstStructure *s;
  gint64 v;
  gchar *text;
  gboolean b;

  vl_conv_start (conv);
  vl_conv_speak (conv, 0, 600, 700, TRUE);
  out = vl_conv_pull_all (conv, 30000);
  fail_unless_equals_int (out->len, 400 * 24 * 2);
  fail_unless (vl_conv_wait_message (conv, "eos", 1, 10000));

  assert_every_event_posted (conv, emu);
  assert_common_fields (conv);

  m = vl_conv_find (conv, "voicelive/connection");
  fail_unless (m->len >= 2);
  fail_unless_equals_string (gst_structure_get_string (st (nth (m, 0)),
          "state"), "connecting");
  fail_unless_equals_string (gst_structure_get_string (st (nth (m, 1)),
          "state"), "connected");
  g_ptr_array_unref (m);

  s = st (the_one (conv, "voicelive/session-created"));
  fail_unless (g_str_has_prefix (gst_structure_get_string (s, "session-id"),
          "sess_"));

  s = st (the_one (conv, "voicelive/speech-started"));
  fail_unless (gst_structure_get_int64 (s, "audio-start-ms", &v));
  fail_unless_equals_int64 (v, 0);
  fail_unless (g_str_has_prefix (gst_structure_get_string (s, "item-id"),
          "item_"));

  s = st (the_one (conv, "voicelive/speech-stopped"));
  fail_unless (gst_structure_get_int64 (s, "audio-end-ms", &v));
  /* 600 ms of speech + the 500 ms silence window */
  fail_unless_equals_int64 (v, 1100);

  s = st (the_one (conv, "voicelive/input-committed"));
  fail_unless (gst_structure_get_string (s, "item-id"));

  m = vl_conv_find (conv, "voicelive/input-transcript");
  fail_unless (m->len >= 2);
  text = vl_conv_joined_text (m, "transcript", TRUE);
  fail_unless_equals_string (text, "emulated transcript of 1100 ms");
  g_free (text);
  g_ptr_array_unref (m);

  s = st (the_one (conv, "voicelive/response-started"));
  fail_unless (g_str_has_prefix (gst_structure_get_string (s, "response-id"),
          "resp_"));

  /* Assistant transcript: the deltas add up to the final text. */
  m = vl_conv_find (conv, "voicelive/response-transcript");
  vl_conv_assert_joined_text (m, "text", REPLY);
  fail_unless (gst_structure_get_string (st (nth (m, 0)), "item-id"));
  g_ptr_array_unref (m);

  s = st (the_one (conv, "voicelive/response-done"));
  fail_unless_equals_string (gst_structure_get_string (s, "status"),
      "completed");
  fail_unless (gst_structure_get_int64 (s, "total-tokens", &v) && v > 0);
  fail_unless (gst_structure_get_int64 (s, "input-tokens", &v) && v > 0);
  fail_unless (gst_structure_get_int64 (s, "output-tokens", &v) && v > 0);

  s = st (the_one (conv, "voicelive/turn-metrics"));
  fail_unless (gst_structure_get_int64 (s,
          "speech-stopped-to-first-audio-ms", &v) && v >= 0 && v < 5000);
  /* The stats property keeps the same figures */
  {
    gint64 sv = -2;

    fail_unless (vl_test_get_stat_int64 (conv->sink,
            "last-speech-stopped-to-first-audio-ms", &sv));
    fail_unless_equals_int64 (sv, v);
  }
  fail_unless (gst_structure_get_int64 (s, "first-audio-to-playback-ms",
          &v) && v >= 0 && v < 5000);

  fail_unless (GST_MESSAGE_SRC (the_one (conv, "voicelive/playback-started"))
      == GST_OBJECT (conv->src));
  s = st (the_one (conv, "voicelive/playback-stopped"));
  fail_unless (gst_structure_get_int64 (s, "played-ms", &v));
  fail_unless_equals_int64 (v, 400);
  fail_unless (gst_structure_get_boolean (s, "interrupted", &b) && !b);

  /* Other events are server-event messages carrying the raw event. */
  m = vl_conv_find (conv, "voicelive/server-event");
  fail_unless (m->len >= 4);
  g_ptr_array_unref (m);

  g_byte_array_unref (out);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static void
function_round_trip (const gchar * dialect)
{
  gchar *script = vl_script_write (VL_CONV_TWO_CALLS_SCRIPT);
  VlEmulator *emu = vl_emulator_start ("--script", script, "--dialect",
      dialect, NULL);
  VlConv *conv = vl_conv_new (emu, 16000, VL_CONV_TWO_CALLS_TOOLS, NULL,
      NULL);
  GPtrArray *m, *rec;
  GByteArray *out;
  const GstStructure *s;
  gint out_t;

  out = vl_conv_two_calls_run (conv);
  m = vl_conv_find (conv, "voicelive/function-call");
  s = st (nth (m, 0));
  fail_unless (g_str_has_prefix (gst_structure_get_string (s, "item-id"),
          "item_"));
  fail_unless (g_str_has_prefix (gst_structure_get_string (s, "response-id"),
          "resp_"));
  g_ptr_array_unref (m);

  /* Both outputs, then ONE response.create, after the first response is
   * done. */
  rec = vl_emulator_record (emu);
  vl_rec_assert_two_call_outputs (rec, &out_t);
  g_ptr_array_unref (rec);

  /* The answer after the results: response 2's audio, and its text */
  vl_conv_assert_two_call_answer (conv, out);
  assert_every_event_posted (conv, emu);

  g_byte_array_unref (out);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
  vl_script_remove (script);
}

GST_START_TEST (test_function_call_round_trip)
{
  function_round_trip ("beta");
}

GST_END_TEST;

/* The same conversation with OpenAI GA event names */
GST_START_TEST (test_ga_event_names)
{
  function_round_trip ("ga");
}

GST_END_TEST;

static gboolean
emit_bool (GstElement * e, const gchar * signal, const gchar * a,
    const gchar * b)
{
  gboolean ret = FALSE;

  if (b)
    g_signal_emit_by_name (e, signal, a, b, &ret);
  else if (a || g_str_equal (signal, "create-response")
      || g_str_equal (signal, "send-text")
      || g_str_equal (signal, "update-session")
      || g_str_equal (signal, "send-event"))
    g_signal_emit_by_name (e, signal, a, &ret);
  else
    g_signal_emit_by_name (e, signal, &ret);
  return ret;
}

GST_START_TEST (test_text_conversation)
{
  VlEmulator *emu = vl_emulator_start ("--reply-text", "Hi there, friend.",
      NULL);
  VlConv *conv = vl_conv_new (emu, 16000, "modalities=text "
      "turn-detection=none", NULL, NULL);
  GPtrArray *rec;
  JsonObject *ev;

  vl_conv_start (conv);
  vl_conv_speak (conv, 0, 0, 20, FALSE);
  fail_unless (vl_emulator_wait_for (emu, "server", "session.updated", 1,
          10000));

  fail_unless (emit_bool (conv->sink, "send-text", "Hello agent", NULL));
  fail_unless (vl_conv_wait_message (conv, "voicelive/response-done", 1,
          10000));
  rec = vl_emulator_record (emu);
  ev = vl_rec_event (vl_rec_find (rec, "client", "conversation.item.create",
          0));
  fail_unless_equals_string (json_object_get_string_member
      (json_object_get_object_member (ev, "item"), "role"), "user");
  fail_unless_equals_string (json_object_get_string_member
      (json_array_get_object_element (json_object_get_array_member
              (json_object_get_object_member (ev, "item"), "content"), 0),
          "text"), "Hello agent");
  fail_unless (vl_rec_index (rec, "client", "response.create", 0) >
      vl_rec_index (rec, "client", "conversation.item.create", 0));
  fail_unless_equals_int (vl_rec_count (rec, "server",
          "response.audio.delta"), 0);
  g_ptr_array_unref (rec);

  vl_conv_assert_text_answer (conv, "Hi there, friend.");

  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

GST_START_TEST (test_action_signals)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "8000", "--realtime",
      NULL);
  VlConv *conv = vl_conv_new (emu, 16000, "turn-detection=none", NULL, NULL);
  GPtrArray *rec;
  JsonObject *ev;

  /* Before READY nothing can be sent */
  fail_if (emit_bool (conv->sink, "send-event", "{\"type\":\"x\"}", NULL));

  vl_conv_start (conv);
  vl_conv_speak (conv, 0, 300, 0, FALSE);
  fail_unless (vl_emulator_wait_for (emu, "server", "session.updated", 1,
          10000));

  /* Nothing active: cancel-response sends nothing */
  fail_if (emit_bool (conv->sink, "cancel-response", NULL, NULL));

  /* The sink paces input in real time: commit once it is all sent. */
  vl_test_wait_stat_u64 (conv->sink, "audio-ms-sent", 300, 5000);
  fail_unless_equals_uint64 (vl_test_get_stat_u64 (conv->sink,
          "audio-ms-sent"), 300);
  fail_unless (emit_bool (conv->sink, "commit-input", NULL, NULL));
  rec = vl_emulator_wait (emu, "client", "input_audio_buffer.commit", 1, 10000);
  fail_unless (rec != NULL);
  /* The commit carries all the audio pushed so far. */
  {
    GByteArray *a = vl_rec_appended_audio (rec, 1);

    fail_unless_equals_int (a->len, 16000 * 300 / 1000 * 2);
    g_byte_array_unref (a);
  }
  g_ptr_array_unref (rec);

  fail_unless (emit_bool (conv->sink, "create-response", "Be short.", NULL));
  fail_unless (vl_conv_wait_message (conv, "voicelive/response-started", 1,
          10000));
  rec = vl_emulator_record (emu);
  ev = vl_rec_event (vl_rec_find (rec, "client", "response.create", 0));
  fail_unless_equals_string (json_object_get_string_member
      (json_object_get_object_member (ev, "response"), "instructions"),
      "Be short.");
  g_ptr_array_unref (rec);

  /* A response is active now (8 s, real time): cancel goes out */
  fail_unless (emit_bool (conv->sink, "cancel-response", NULL, NULL));
  fail_unless (vl_emulator_wait_for (emu, "client", "response.cancel", 1,
          10000));
  fail_unless (vl_conv_wait_message (conv, "voicelive/response-done", 1,
          10000));
  {
    GPtrArray *m = vl_conv_find (conv, "voicelive/response-done");

    fail_unless_equals_string (gst_structure_get_string (st (nth (m, 0)),
            "status"), "cancelled");
    g_ptr_array_unref (m);
  }

  fail_unless (emit_bool (conv->sink, "clear-input", NULL, NULL));
  fail_unless (vl_emulator_wait_for (emu, "client",
          "input_audio_buffer.clear", 1, 10000));

  /* update-session: a JSON object, sent as is */
  fail_unless (emit_bool (conv->sink, "update-session",
          "{\"instructions\":\"Speak French.\"}", NULL));
  rec = vl_emulator_wait (emu, "client", "session.update", 2, 10000);
  fail_unless (rec != NULL);
  ev = json_object_get_object_member (vl_rec_event (vl_rec_find (rec,
              "client", "session.update", 1)), "session");
  fail_unless_equals_int (json_object_get_size (ev), 1);
  fail_unless_equals_string (json_object_get_string_member (ev,
          "instructions"), "Speak French.");
  g_ptr_array_unref (rec);
  fail_if (emit_bool (conv->sink, "update-session", "[1,2]", NULL));
  fail_if (emit_bool (conv->sink, "update-session", "not json", NULL));

  /* send-event: raw, validated */
  fail_unless (emit_bool (conv->sink, "send-event",
          "{\"type\":\"conversation.item.retrieve\",\"item_id\":\"nope\"}",
          NULL));
  fail_unless (vl_emulator_wait_for (emu, "client",
          "conversation.item.retrieve", 1, 10000));
  fail_if (emit_bool (conv->sink, "send-event", "[]", NULL));
  fail_if (emit_bool (conv->sink, "send-event", "{\"x\":1}", NULL));
  fail_if (emit_bool (conv->sink, "send-event", "{\"type\":5}", NULL));

  /* An unknown call id: FALSE, and a warning naming it */
  fail_if (emit_bool (conv->sink, "function-result", "call_nope", "{}"));
  {
    GPtrArray *warnings = vl_conv_messages (conv, GST_MESSAGE_WARNING);
    gboolean warned = FALSE;
    guint i;

    for (i = 0; i < warnings->len; i++) {
      GError *err = NULL;

      gst_message_parse_warning (g_ptr_array_index (warnings, i), &err, NULL);
      warned |= strstr (err->message, "call_nope") != NULL;
      g_clear_error (&err);
    }
    g_ptr_array_unref (warnings);
    fail_unless (warned, "no warning for an unknown call_id");
  }
  fail_unless_equals_int (vl_emulator_count (emu, "client",
          "conversation.item.create"), 0);

  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

GST_START_TEST (test_error_is_a_warning_and_races_are_benign)
{
  gchar *script = vl_script_write ("{\"responses\":[{\"error\":{\"type\":"
      "\"server_error\",\"code\":\"overloaded\",\"message\":\"Try later\","
      "\"param\":null}},{\"text\":\"Back\",\"audio_ms\":200}]}");
  VlEmulator *emu = vl_emulator_start ("--script", script, NULL);
  VlConv *conv = vl_conv_new (emu, 16000, "", NULL, NULL);
  GstMessage *w = NULL;
  GError *err = NULL;
  const GstStructure *d = NULL;
  GByteArray *out;
  GPtrArray *warnings = g_ptr_array_new (), *all;
  guint i;

  vl_conv_start (conv);
  /* turn 1: the scripted error; turn 2: an answer, so the session went on */
  vl_conv_speak (conv, 0, 500, 700, FALSE);
  fail_unless (vl_conv_wait_message (conv, "voicelive/error", 1, 10000));
  vl_conv_speak (conv, 1200, 500, 700, TRUE);
  out = vl_conv_pull_all (conv, 30000);
  fail_unless_equals_int (out->len, 200 * 24 * 2);
  g_byte_array_unref (out);

  all = vl_conv_messages (conv, GST_MESSAGE_ANY);
  for (i = 0; i < all->len; i++) {
    GstMessage *m = g_ptr_array_index (all, i);

    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_WARNING)
      g_ptr_array_add (warnings, m);
    fail_if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR);
  }
  fail_unless_equals_int (warnings->len, 1);
  w = g_ptr_array_index (warnings, 0);
  gst_message_parse_warning (w, &err, NULL);
  gst_message_parse_warning_details (w, &d);
  fail_unless (strstr (err->message, "Try later") != NULL, "%s", err->message);
  fail_unless_equals_string (gst_structure_get_string (d, "code"),
      "overloaded");
  fail_unless_equals_string (gst_structure_get_string (d, "type"),
      "server_error");
  fail_unless_equals_string (gst_structure_get_string (d, "message"),
      "Try later");
  fail_unless_equals_string (gst_structure_get_string (d, "event-type"),
      "error");
  fail_unless (gst_structure_has_field (d, "param"));
  fail_unless (gst_structure_has_field (d, "event-id"));
  fail_unless (gst_structure_has_field (d, "json"));
  g_clear_error (&err);
  g_ptr_array_unref (warnings);
  g_ptr_array_unref (all);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
  vl_script_remove (script);

  /* A benign race (a second response.create while one is active) is not a
   * warning: it is posted as a server-event. */
  emu = vl_emulator_start ("--reply-ms", "3000", "--realtime", NULL);
  conv = vl_conv_new (emu, 16000, "turn-detection=none", NULL, NULL);
  vl_conv_start (conv);
  vl_conv_speak (conv, 0, 200, 0, FALSE);
  fail_unless (vl_conv_wait_message (conv, "voicelive/session-updated", 1,
          10000));
  fail_unless (emit_bool (conv->sink, "send-event",
          "{\"type\":\"response.create\"}", NULL));
  fail_unless (vl_conv_wait_message (conv, "voicelive/response-started", 1,
          10000));
  fail_unless (emit_bool (conv->sink, "send-event",
          "{\"type\":\"response.create\"}", NULL));
  {
    GPtrArray *m;
    gboolean found = FALSE;

    fail_unless (vl_emulator_wait_for (emu, "server", "error", 1, 10000));
    g_usleep (200000);
    m = vl_conv_find (conv, "voicelive/server-event");
    for (i = 0; i < m->len; i++)
      found |= g_strcmp0 (gst_structure_get_string (st (nth (m, i)),
              "event-type"), "error") == 0;
    fail_unless (found);
    g_ptr_array_unref (m);
  }
  all = vl_conv_messages (conv, GST_MESSAGE_ANY);
  for (i = 0; i < all->len; i++)
    fail_if (GST_MESSAGE_TYPE (g_ptr_array_index (all, i)) ==
        GST_MESSAGE_WARNING);
  g_ptr_array_unref (all);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static Suite *
voicelive_events_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("voicelive-events", 120, &tc);

  tcase_add_test (tc, test_one_message_per_event);
  tcase_add_test (tc, test_function_call_round_trip);
  tcase_add_test (tc, test_ga_event_names);
  tcase_add_test (tc, test_text_conversation);
  tcase_add_test (tc, test_action_signals);
  tcase_add_test (tc, test_error_is_a_warning_and_races_are_benign);
  return s;
}

GST_CHECK_MAIN (voicelive_events);
