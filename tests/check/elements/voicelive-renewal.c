/* gst-voicelive: calls longer than a service session. The emulator ends
 * each session at its expires_at (--expires-in-s); the session renews
 * ahead of it on a second connection, between turns.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsrc.h>
#include "vltest.h"
#include "vlconv.h"

#define RATE 16000
#define OUT_RATE 24000

/* One turn as vl_test_push_speech() pushes it (voice 7, 10 ms buffers),
 * the bytes also appended to @input: what the wire must carry. */
static void
push_turn (VlConv * conv, guint start_ms, guint speech_ms, guint silence_ms,
    GByteArray * input)
{
  guint per = RATE / 100, t;

  for (t = 0; t < speech_ms + silence_ms; t += 10) {
    GstBuffer *b = vl_test_speech (7, RATE, (guint64) t * per / 10,
        t < speech_ms ? per : 0, per, "pcm16");
    GstMapInfo map;

    gst_buffer_map (b, &map, GST_MAP_READ);
    g_byte_array_append (input, map.data, map.size);
    gst_buffer_unmap (b, &map);
    GST_BUFFER_PTS (b) = (start_ms + t) * GST_MSECOND;
    GST_BUFFER_DURATION (b) = 10 * GST_MSECOND;
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC
            (conv->appsrc), b), GST_FLOW_OK);
  }
}

/* The input appended over all connections, in connection order, is
 * exactly @input, then the sink's trailing silence at the end of stream
 * (silence-duration + 500 ms): nothing dropped, nothing twice. */
static void
assert_input_on_the_wire (GPtrArray * rec, GByteArray * input)
{
  GByteArray *all = g_byte_array_new ();
  guint n = vl_rec_count (rec, "meta", "#connect"), k, i;

  for (k = 1; k <= n; k++) {
    GByteArray *a = vl_rec_appended_audio (rec, k);

    g_byte_array_append (all, a->data, a->len);
    g_byte_array_unref (a);
  }
  fail_unless_equals_int (all->len, input->len + RATE * 2);
  fail_unless (memcmp (all->data, input->data, input->len) == 0,
      "the input on the wire differs from the input");
  for (i = input->len; i < all->len; i++)
    fail_unless (all->data[i] == 0, "not silence at byte %u", i);
  g_byte_array_unref (all);
}

/* @out is the answers of the record's response.done lines, in order, each
 * @ms long: the seed of an answer is its number on its connection. */
static void
assert_answers (GPtrArray * rec, GByteArray * out, guint ms)
{
  guint seeds[64] = { 0, }, i, n = 0;
  guint64 samples = (guint64) ms * OUT_RATE / 1000;
  gsize per = samples * 2;

  for (i = 0; i < rec->len; i++) {
    JsonNode *l = g_ptr_array_index (rec, i);
    gint64 c = vl_rec_conn (l);

    if (g_strcmp0 (vl_rec_dir (l), "server") != 0
        || g_strcmp0 (vl_rec_type (l), "response.done") != 0)
      continue;
    fail_unless (c > 0 && c < (gint64) G_N_ELEMENTS (seeds));
    fail_unless (out->len >= (n + 1) * per, "answer %u missing", n + 1);
    vl_test_assert_answer (out->data + n * per, per, ++seeds[c], samples,
        OUT_RATE, "pcm16");
    n++;
  }
  fail_unless_equals_int (out->len, n * per);
}

/* Every connection's first session.update is the first connection's; a
 * renewed one restores the conversation (the answers so far) before its
 * first input audio. */
static void
assert_same_update_and_restore (GPtrArray * rec)
{
  JsonObject *first = NULL;
  guint answers_before = 0, i, k, n = vl_rec_count (rec, "meta", "#connect");

  for (k = 0; k < n; k++) {
    JsonNode *c = vl_rec_find (rec, "meta", "#connect", k);
    JsonObject *upd = vl_rec_session_update_of_conn (rec, c);
    JsonNode *a, *b;
    guint items = 0;
    gboolean appended = FALSE;

    fail_unless (upd != NULL, "no session.update on connection %u", k + 1);
    if (!first) {
      first = upd;
    } else {
      a = json_node_init_object (json_node_alloc (), first);
      b = json_node_init_object (json_node_alloc (), upd);
      fail_unless (json_node_equal (a, b), "connection %u: another "
          "session.update", k + 1);
      json_node_unref (a);
      json_node_unref (b);
    }
    for (i = 0; i < rec->len; i++) {
      JsonNode *l = g_ptr_array_index (rec, i);

      if (vl_rec_conn (l) != (gint64) k + 1)
        continue;
      if (g_strcmp0 (vl_rec_dir (l), "client") == 0) {
        if (g_str_equal (vl_rec_type (l), "input_audio_buffer.append"))
          appended = TRUE;
        if (g_str_equal (vl_rec_type (l), "conversation.item.create")) {
          fail_if (appended, "connection %u: restored after the audio", k + 1);
          items++;
        }
      }
    }
    /* the emulator's answers all have a transcript: one item each */
    fail_unless_equals_int (items, answers_before);
    for (i = 0; i < rec->len; i++) {
      JsonNode *l = g_ptr_array_index (rec, i);

      answers_before += vl_rec_conn (l) == (gint64) k + 1
          && g_str_equal (vl_rec_dir (l), "server")
          && g_str_equal (vl_rec_type (l), "response.done");
    }
  }
}

/* What every renewing call shows on the wire (@turns answers, the input
 * byte-exact, the answers sample-exact, the same update and restore on
 * each connection); then frees the call and stops the emulator. */
static void
assert_call_and_finish (VlEmulator * emu, VlConv * conv, GByteArray * input,
    GByteArray * out, guint turns)
{
  GPtrArray *rec = vl_emulator_record (emu);

  fail_unless_equals_int (vl_rec_count (rec, "server", "response.done"), turns);
  assert_input_on_the_wire (rec, input);
  assert_answers (rec, out, 300);
  assert_same_update_and_restore (rec);
  g_ptr_array_unref (rec);
  g_byte_array_unref (out);
  g_byte_array_unref (input);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

/* One call across at least 5 renewals: each session lives 3-4 s (its
 * expires_at is whole seconds) and is renewed at about half of it. Every
 * turn is answered exactly, no input is lost, no reconnect happens. */
GST_START_TEST (test_renewals_keep_the_call)
{
  VlEmulator *emu = vl_emulator_start ("--expires-in-s", "4", "--reply-ms",
      "300", NULL);
  VlConv *conv = vl_conv_new_named (emu, "renew1", RATE,
      "renew-margin-ms=2500", NULL, NULL);
  GByteArray *input = g_byte_array_new (), *out;
  const guint turns = 14;
  guint i;

  vl_conv_start (conv);
  for (i = 0; i < turns; i++)
    push_turn (conv, i * 1500, 600, 900, input);
  gst_app_src_end_of_stream (GST_APP_SRC (conv->appsrc));
  out = vl_conv_pull_all (conv, 60000);

  fail_unless (vl_test_get_stat_u64 (conv->sink, "renewals") >= 5,
      "%" G_GUINT64_FORMAT " renewals", vl_test_get_stat_u64 (conv->sink,
          "renewals"));
  fail_unless_equals_uint64 (vl_test_get_stat_u64 (conv->sink, "renewals"),
      vl_conv_count_connection (conv, "renewed", "expires-at"));
  fail_unless_equals_int (vl_conv_count_connection (conv, "reconnecting",
          NULL), 0);
  fail_unless_equals_uint64 (vl_test_get_stat_u64 (conv->sink,
          "reconnects"), 0);
  fail_unless_equals_uint64 (vl_test_get_stat_u64 (conv->sink,
          "input-ms-dropped"), 0);
  fail_unless_equals_int (vl_conv_count (conv, "voicelive/response-done"),
      turns);

  /* no session ended under the call: the client closed each one */
  assert_call_and_finish (emu, conv, input, out, turns);
}

GST_END_TEST;

/* The position of the first element message named @name (with connection
 * @state, if not NULL) in @msgs, or -1 */
static gint
message_index (GPtrArray * msgs, const gchar * name, const gchar * state)
{
  guint i;

  for (i = 0; i < msgs->len; i++) {
    const GstStructure *s =
        gst_message_get_structure (g_ptr_array_index (msgs, i));

    if (s && gst_structure_has_name (s, name) && (!state
            || g_strcmp0 (gst_structure_get_string (s, "state"), state) == 0))
      return i;
  }
  return -1;
}

/* The renewal comes due while the agent speaks (a 2.5 s answer at real
 * time from about 1.1 s, due 2.5-3 s after connecting, the session ending
 * at 5-6 s): it waits for the end of the answer, which is whole. */
GST_START_TEST (test_renewal_waits_for_the_answer)
{
  VlEmulator *emu = vl_emulator_start ("--expires-in-s", "6", "--reply-ms",
      "2500", "--realtime", NULL);
  VlConv *conv = vl_conv_new_named (emu, "renew2", RATE,
      "renew-margin-ms=4500", NULL, NULL);
  GByteArray *input = g_byte_array_new (), *out;
  GPtrArray *rec, *msgs;
  gint created, renewing, done, renewed, i_done, i_update;

  vl_conv_start (conv);
  push_turn (conv, 0, 600, 4400, input);
  gst_app_src_end_of_stream (GST_APP_SRC (conv->appsrc));
  out = vl_conv_pull_all (conv, 30000);

  msgs = vl_conv_messages (conv, GST_MESSAGE_ELEMENT);
  created = message_index (msgs, "voicelive/response-started", NULL);
  renewing = message_index (msgs, "voicelive/connection", "renewing");
  done = message_index (msgs, "voicelive/response-done", NULL);
  renewed = message_index (msgs, "voicelive/connection", "renewed");
  g_ptr_array_unref (msgs);
  fail_unless (created >= 0 && renewing > created && done > renewing
      && renewed > done, "response-started %d, renewing %d, response-done "
      "%d, renewed %d", created, renewing, done, renewed);
  /* (the second connection may be renewed too before the end) */
  fail_unless (vl_test_get_stat_u64 (conv->sink, "renewals") >= 1);

  rec = vl_emulator_record (emu);
  /* the second connection is configured once the answer is over */
  i_done = vl_rec_index (rec, "server", "response.done", 0);
  i_update = vl_rec_index (rec, "client", "session.update", 1);
  fail_unless (i_done >= 0 && i_update > i_done);
  fail_unless_equals_int64 (vl_rec_conn (g_ptr_array_index (rec, i_update)), 2);
  assert_input_on_the_wire (rec, input);
  assert_answers (rec, out, 2500);
  fail_unless_equals_int (out->len, 2500 * OUT_RATE * 2 / 1000);
  assert_same_update_and_restore (rec);
  g_ptr_array_unref (rec);

  g_byte_array_unref (out);
  g_byte_array_unref (input);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* A service that says nothing of its limit: max-session-duration renews
 * all the same. */
GST_START_TEST (test_max_session_duration_renews)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "300", NULL);
  VlConv *conv = vl_conv_new_named (emu, "renew3", RATE,
      "max-session-duration=2 renew-margin-ms=1000", NULL, NULL);
  GByteArray *input = g_byte_array_new (), *out;
  guint i;

  vl_conv_start (conv);
  for (i = 0; i < 4; i++)
    push_turn (conv, i * 1500, 600, 900, input);
  gst_app_src_end_of_stream (GST_APP_SRC (conv->appsrc));
  out = vl_conv_pull_all (conv, 30000);

  fail_unless (vl_test_get_stat_u64 (conv->sink, "renewals") >= 2);
  fail_unless_equals_uint64 (vl_test_get_stat_u64 (conv->sink, "renewals"),
      vl_conv_count_connection (conv, "renewed", "max-session-duration"));
  fail_unless_equals_int (vl_conv_count (conv, "voicelive/response-done"), 4);
  assert_call_and_finish (emu, conv, input, out, 4);
}

GST_END_TEST;

static Suite *
voicelive_renewal_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("voicelive-renewal", 120, &tc);

  tcase_add_test (tc, test_renewals_keep_the_call);
  /* Its renewal must come due during a real-time answer: under valgrind
   * the connection takes longer than the timer, so it sits out there (the
   * plain, ASan and TSan runs keep it). */
  if (!g_getenv ("VL_UNDER_VALGRIND"))
    tcase_add_test (tc, test_renewal_waits_for_the_answer);
  tcase_add_test (tc, test_max_session_duration_renews);
  return s;
}

GST_CHECK_MAIN (voicelive_renewal);
