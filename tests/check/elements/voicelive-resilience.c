/* gst-voicelive: reconnects, hostile servers, faults, long runs
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <string.h>
#include <gst/check/gstcheck.h>
#include "vltest.h"
#include "vlconv.h"

static gboolean
wait_connection (VlConv * conv, const gchar * state, guint count,
    guint timeout_ms)
{
  return VL_TEST_POLL_UNTIL (vl_conv_count_connection (conv, state,
          NULL) >= count, 10, timeout_ms);
}

static GstMessage *
first_error (VlConv * conv)
{
  GPtrArray *errors = vl_conv_messages (conv, GST_MESSAGE_ERROR);
  GstMessage *found = errors->len ?
      gst_message_ref (g_ptr_array_index (errors, 0)) : NULL;

  g_ptr_array_unref (errors);
  return found;
}

static GstMessage *
wait_error (VlConv * conv, guint timeout_ms)
{
  GstMessage *m = NULL;

  VL_TEST_POLL_UNTIL ((m = first_error (conv)) != NULL, 10, timeout_ms);
  return m;
}

static gchar *
error_text (GstMessage * m)
{
  GError *err = NULL;
  gchar *text;

  gst_message_parse_error (m, &err, NULL);
  text = g_strdup (err->message);
  g_clear_error (&err);
  return text;
}

/* Audio rendered while the connection is still being made waits in the
 * session, and the stats say for how long: the upgrade is held 500 ms. */
GST_START_TEST (test_send_delay_of_audio_queued_while_connecting)
{
  VlEmulator *emu = vl_emulator_start ("--delay-upgrade-ms", "500",
      "--reply-ms", "300", NULL);
  VlConv *conv = vl_conv_new_named (emu, "delay1", 16000, NULL, NULL, NULL);
  GByteArray *out;
  guint64 delay_us;

  vl_conv_start (conv);
  vl_conv_speak (conv, 0, 600, 700, TRUE);
  out = vl_conv_pull_all (conv, 30000);
  fail_unless (out->len > 0, "no answer");

  /* 1.3 s of input and the 1 s of silence closing the turn, none dropped */
  fail_unless_equals_uint64 (vl_test_get_stat_u64 (conv->sink,
          "input-ms-dropped"), 0);
  fail_unless_equals_uint64 (vl_test_get_stat_u64 (conv->sink, "audio-ms-sent"),
      2300);
  /* The first appends were queued before the upgrade was answered. */
  delay_us = vl_test_get_stat_u64 (conv->sink, "max-send-delay-us");
  fail_unless (delay_us >= 400000, "max-send-delay-us %" G_GUINT64_FORMAT
      " with the upgrade held 500 ms", delay_us);

  g_byte_array_unref (out);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

GST_START_TEST (test_reconnect_resends_update_and_restores)
{
  VlEmulator *emu = vl_emulator_start ("--drop-after-responses", "1",
      "--max-drops", "1", "--reply-ms", "300", NULL);
  VlConv *conv = vl_conv_new_named (emu, "res1", 16000,
      "restore-conversation=true "
      "transcription-model=azure-speech instructions=Remember", NULL, NULL);
  GByteArray *out, *a1, *a2;
  GBytes *one;
  GPtrArray *rec;
  JsonObject *u1, *u2, *item;
  gchar *s1, *s2;
  JsonNode *n1, *n2;
  guint64 dropped_ms, in_ms;
  gint i_restore_user = -1, i_restore_agent = -1, i_append2 = -1;
  guint i;

  vl_conv_start (conv);
  vl_conv_speak (conv, 0, 600, 700, FALSE);
  fail_unless (wait_connection (conv, "reconnecting", 1, 15000));
  fail_unless (wait_connection (conv, "connected", 2, 15000));
  fail_unless (vl_conv_wait_message (conv, "voicelive/session-updated", 2,
          10000));
  vl_conv_speak (conv, 1300, 600, 700, TRUE);
  out = vl_conv_pull_all (conv, 30000);

  /* Both turns answered: one answer per connection, each seed 1 */
  one = vl_expected_answer (1, 300 * 24, 24000, "pcm16");
  fail_unless_equals_int (out->len, 2 * g_bytes_get_size (one));
  fail_unless (memcmp (out->data, g_bytes_get_data (one, NULL),
          g_bytes_get_size (one)) == 0);
  fail_unless (memcmp (out->data + g_bytes_get_size (one),
          g_bytes_get_data (one, NULL), g_bytes_get_size (one)) == 0);

  rec = vl_emulator_record (emu);
  fail_unless_equals_int (vl_rec_count (rec, "meta", "#connect"), 2);
  fail_unless_equals_int (vl_rec_count (rec, "meta", "#drop"), 1);

  /* The same session.update on the new connection (minus its id) */
  u1 = json_object_get_object_member (vl_rec_event (vl_rec_find (rec,
              "client", "session.update", 0)), "session");
  u2 = NULL;
  for (i = 1; i < vl_rec_count (rec, "client", "session.update"); i++) {
    JsonNode *l = vl_rec_find (rec, "client", "session.update", i);

    if (vl_rec_conn (l) == 2 && !u2)
      u2 = json_object_get_object_member (vl_rec_event (l), "session");
  }
  fail_unless (u2 != NULL, "no session.update on the new connection");
  n1 = json_node_new (JSON_NODE_OBJECT);
  n2 = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (n1, u1);
  json_node_set_object (n2, u2);
  s1 = json_to_string (n1, FALSE);
  s2 = json_to_string (n2, FALSE);
  fail_unless_equals_string (s2, s1);
  g_free (s1);
  g_free (s2);
  json_node_unref (n1);
  json_node_unref (n2);

  /* The conversation so far, replayed before new audio */
  for (i = 0; i < rec->len; i++) {
    JsonNode *l = g_ptr_array_index (rec, i);

    if (vl_rec_conn (l) != 2 || g_strcmp0 (vl_rec_dir (l), "client") != 0)
      continue;
    if (g_str_equal (vl_rec_type (l), "conversation.item.create")) {
      item = json_object_get_object_member (vl_rec_event (l), "item");
      if (g_str_equal (json_object_get_string_member (item, "role"), "user"))
        i_restore_user = i;
      else
        i_restore_agent = i;
    }
    if (i_append2 < 0
        && g_str_equal (vl_rec_type (l), "input_audio_buffer.append"))
      i_append2 = i;
  }
  fail_unless (i_restore_user >= 0 && i_restore_agent > i_restore_user);
  fail_unless (i_append2 > i_restore_agent);
  item = json_object_get_object_member (vl_rec_event (g_ptr_array_index (rec,
              i_restore_agent)), "item");
  fail_unless_equals_string (json_object_get_string_member
      (json_array_get_object_element (json_object_get_array_member (item,
                  "content"), 0), "text"),
      "This is answer number 1 from the Voice Live emulator.");

  /* Nothing lost silently: what was not sent was counted as dropped.
   * 2600 ms pushed + the trailing silence of the drain (1000 ms). */
  a1 = vl_rec_appended_audio (rec, 1);
  a2 = vl_rec_appended_audio (rec, 2);
  dropped_ms = vl_test_get_stat_u64 (conv->sink, "input-ms-dropped");
  in_ms = vl_test_get_stat_u64 (conv->sink, "audio-ms-sent");
  fail_unless_equals_uint64 (in_ms + dropped_ms, 3600);
  /* The server got what was sent, but what was in flight when the link
   * dropped (the emulator ignores its last 50 ms). */
  fail_unless ((a1->len + a2->len) / 32 <= in_ms);
  fail_unless ((a1->len + a2->len) / 32 + 100 >= in_ms);
  fail_unless_equals_uint64 (vl_test_get_stat_u64 (conv->sink, "reconnects"),
      1);

  g_byte_array_unref (a1);
  g_byte_array_unref (a2);
  g_ptr_array_unref (rec);
  g_bytes_unref (one);
  g_byte_array_unref (out);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static VlConv *
live_conv (VlEmulator * emu, const gchar * sink_props)
{
  VlConv *conv = vl_conv_new_named (emu, "res2", 16000, sink_props, NULL, NULL);

  vl_conv_start (conv);
  return conv;
}

GST_START_TEST (test_reconnect_attempts_run_out)
{
  VlEmulator *emu = vl_emulator_start ("--close-after-ms", "300", NULL);
  VlConv *conv = live_conv (emu, "max-reconnect-attempts=2");
  GstMessage *err;
  GPtrArray *m;
  gchar *text;
  guint i, n_reconnecting = 0;

  vl_conv_speak (conv, 0, 0, 100, FALSE);
  err = wait_error (conv, 20000);
  fail_unless (err != NULL, "no error after the attempts ran out");
  text = error_text (err);
  fail_unless (strstr (text, "2 reconnect attempts failed") != NULL, "%s",
      text);
  g_free (text);
  gst_message_unref (err);

  m = vl_conv_find (conv, "voicelive/connection");
  for (i = 0; i < m->len; i++) {
    const GstStructure *s = gst_message_get_structure (g_ptr_array_index (m,
            i));
    guint attempt = 0;

    if (g_strcmp0 (gst_structure_get_string (s, "state"), "reconnecting"))
      continue;
    gst_structure_get_uint (s, "attempt", &attempt);
    fail_unless_equals_int (attempt, ++n_reconnecting);
    fail_unless (strstr (gst_structure_get_string (s, "reason"), "1011"));
  }
  g_ptr_array_unref (m);
  fail_unless_equals_int (n_reconnecting, 2);
  fail_unless_equals_int (vl_emulator_count (emu, "meta", "#connect"), 3);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

GST_START_TEST (test_forbidden_is_an_error_without_retry)
{
  VlEmulator *emu = vl_emulator_start ("--upgrade-status", "403", NULL);
  VlConv *conv = live_conv (emu, "");
  GstMessage *err;
  GError *e = NULL;

  vl_conv_speak (conv, 0, 0, 100, FALSE);
  err = wait_error (conv, 10000);
  fail_unless (err != NULL);
  gst_message_parse_error (err, &e, NULL);
  fail_unless (g_error_matches (e, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_NOT_AUTHORIZED), "%s", e->message);
  fail_unless (strstr (e->message, "403") != NULL);
  g_clear_error (&e);
  gst_message_unref (err);
  g_usleep (1000000);
  fail_unless_equals_int (vl_emulator_count (emu, "meta", "#rejected"), 1);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

GST_START_TEST (test_upgrade_never_answered)
{
  VlEmulator *emu = vl_emulator_start ("--hang-upgrade", NULL);
  VlConv *conv = live_conv (emu, "connect-timeout=1");
  GstMessage *err;
  gchar *text;
  gint64 t0 = g_get_monotonic_time ();

  vl_conv_speak (conv, 0, 0, 100, FALSE);
  err = wait_error (conv, 10000);
  fail_unless (err != NULL);
  fail_unless (g_get_monotonic_time () - t0 < 5 * G_TIME_SPAN_SECOND);
  text = error_text (err);
  fail_unless (strstr (text, "connect-timeout") != NULL, "%s", text);
  g_free (text);
  gst_message_unref (err);
  vl_conv_free (conv);

  /* Going to NULL while the upgrade hangs does not wait for it. */
  conv = live_conv (emu, "connect-timeout=60");
  vl_conv_speak (conv, 0, 0, 100, FALSE);
  fail_unless (wait_connection (conv, "connecting", 1, 5000));
  g_usleep (200000);
  t0 = g_get_monotonic_time ();
  fail_unless_equals_int (gst_element_set_state (conv->pipeline,
          GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);
  fail_unless (g_get_monotonic_time () - t0 < G_TIME_SPAN_SECOND);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

GST_START_TEST (test_dead_peer_detected)
{
  VlEmulator *emu = vl_emulator_start (NULL);
  VlConv *conv = live_conv (emu, "keepalive-interval=1 connect-timeout=1 "
      "max-reconnect-attempts=1");
  GPtrArray *m;
  const gchar *reason = NULL;
  GstMessage *err;
  guint i;

  vl_conv_speak (conv, 0, 0, 100, FALSE);
  fail_unless (vl_conv_wait_message (conv, "voicelive/session-updated", 1,
          10000));
  /* The peer freezes: TCP stays up, nothing answers the pings. */
  kill (emu->pid, SIGSTOP);
  fail_unless (wait_connection (conv, "reconnecting", 1, 10000),
      "a dead peer was not noticed");
  m = vl_conv_find (conv, "voicelive/connection");
  for (i = 0; i < m->len; i++) {
    const GstStructure *s = gst_message_get_structure (g_ptr_array_index (m,
            i));

    if (g_strcmp0 (gst_structure_get_string (s, "state"), "reconnecting")
        == 0)
      reason = gst_structure_get_string (s, "reason");
  }
  fail_unless (reason && strstr (reason, "keepalive"), "%s", reason);
  g_ptr_array_unref (m);
  /* The one reconnect times out against the frozen peer: then an error */
  err = wait_error (conv, 15000);
  fail_unless (err != NULL);
  gst_message_unref (err);
  kill (emu->pid, SIGCONT);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* Garbage from the server is logged and skipped; the turn completes with
 * exactly the right audio. */
GST_START_TEST (test_hostile_server)
{
  VlEmulator *emu = vl_emulator_start ("--hostile", "--odd-deltas",
      "--reply-ms", "500", NULL);
  VlConv *conv = vl_conv_new_named (emu, "res3", 16000, "", NULL, NULL);
  GByteArray *out;
  GstMessage *err;

  vl_conv_start (conv);
  vl_conv_speak (conv, 0, 600, 700, TRUE);
  out = vl_conv_pull_all (conv, 60000);
  err = first_error (conv);
  fail_unless (err == NULL, "error: %s", err ? error_text (err) : "");
  fail_unless (vl_emulator_count (emu, "server", "#hostile") >= 10);
  vl_test_assert_answer (out->data, out->len, 1, 500 * 24, 24000, "pcm16");
  g_byte_array_unref (out);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* 50 forced drops, each turn after a reconnect answered */
GST_START_TEST (test_soak_50_drops)
{
  VlEmulator *emu = vl_emulator_start ("--drop-after-responses", "1",
      "--max-drops", "50", "--reply-ms", "100", NULL);
  VlConv *conv = vl_conv_new_named (emu, "res4", 16000, "sync=false "
      "silence-duration-ms=200 max-reconnect-attempts=3", NULL, NULL);
  GByteArray *out;
  GBytes *one;
  GPtrArray *rec;
  guint k, turns = 51;
  gsize size;

  vl_conv_start (conv);
  for (k = 0; k < turns; k++) {
    vl_conv_speak (conv, k * 600, 200, 400, k == turns - 1);
    fail_unless (vl_conv_wait_message (conv, "voicelive/response-done", k + 1,
            20000), "turn %u not answered", k);
    if (k + 1 < turns)
      fail_unless (vl_conv_wait_message (conv, "voicelive/session-updated",
              k + 2, 20000), "no reconnect after drop %u", k + 1);
  }
  out = vl_conv_pull_all (conv, 30000);
  fail_unless (first_error (conv) == NULL);

  rec = vl_emulator_record (emu);
  fail_unless_equals_int (vl_rec_count (rec, "meta", "#drop"), 50);
  fail_unless_equals_int (vl_rec_count (rec, "meta", "#connect"), turns);
  fail_unless_equals_int (vl_rec_count (rec, "server", "response.done"), turns);
  g_ptr_array_unref (rec);
  fail_unless_equals_uint64 (vl_test_get_stat_u64 (conv->sink, "reconnects"),
      50);

  /* Every answer, whole and in order */
  one = vl_expected_answer (1, 100 * 24, 24000, "pcm16");
  size = g_bytes_get_size (one);
  fail_unless_equals_int (out->len, turns * size);
  for (k = 0; k < turns; k++)
    fail_unless (memcmp (out->data + k * size, g_bytes_get_data (one, NULL),
            size) == 0, "answer %u differs", k);
  g_bytes_unref (one);
  g_byte_array_unref (out);
  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

GST_END_TEST;

GST_START_TEST (test_200_state_cycles)
{
  VlEmulator *emu = vl_emulator_start ("--no-record-audio", NULL);
  GstElement *p;
  GstBus *bus;
  GPtrArray *rec;
  guint i, cycles = 200;

  p = vl_test_pipeline_new ("audiotestsrc is-live=true wave=silence "
      "samplesperbuffer=240 ! audio/x-raw,rate=24000,channels=1 ! "
      "voicelivesink endpoint=%s  voicelivesrc ! fakesink", emu->url);
  bus = gst_element_get_bus (p);
  for (i = 0; i < cycles; i++) {
    GstMessage *msg;

    gst_element_set_state (p, GST_STATE_PLAYING);
    msg = vl_bus_wait (bus, GST_MESSAGE_ERROR, "voicelive/session-updated",
        10000);
    fail_unless (msg != NULL, "cycle %u: no session within 10 s", i);
    fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ELEMENT);
    gst_message_unref (msg);
    fail_unless_equals_int (gst_element_set_state (p, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
    gst_bus_set_flushing (bus, TRUE);
    gst_bus_set_flushing (bus, FALSE);
  }
  rec = vl_emulator_wait (emu, "meta", "#disconnect", cycles, 20000);
  fail_unless (rec != NULL, "not every connection was closed");
  fail_unless_equals_int (vl_rec_count (rec, "meta", "#connect"), cycles);
  g_ptr_array_unref (rec);
  gst_object_unref (bus);
  gst_object_unref (p);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static Suite *
voicelive_resilience_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("voicelive-resilience", 300, &tc);

  tcase_add_test (tc, test_send_delay_of_audio_queued_while_connecting);
  tcase_add_test (tc, test_reconnect_resends_update_and_restores);
  tcase_add_test (tc, test_reconnect_attempts_run_out);
  tcase_add_test (tc, test_forbidden_is_an_error_without_retry);
  tcase_add_test (tc, test_upgrade_never_answered);
  tcase_add_test (tc, test_dead_peer_detected);
  tcase_add_test (tc, test_hostile_server);
  tcase_add_test (tc, test_soak_50_drops);
  tcase_add_test (tc, test_200_state_cycles);
  return s;
}

GST_CHECK_MAIN (voicelive_resilience);
