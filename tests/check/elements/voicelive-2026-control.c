/* gst-voicelive: the Voice Live 2026-07-15 response controls against the
 * emulator: say, create-response-full (out-of-band responses), MCP
 * approval rounds, Foundry agent calls, interim responses, warning and
 * expires_at. Wire JSON is read from the emulator's record.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include "vltest.h"
#include "vlconv.h"

static gboolean
emit_structure (GstElement * sink, const gchar * options)
{
  GstStructure *s = options ? gst_structure_from_string (options, NULL) : NULL;
  gboolean ret = FALSE;

  fail_unless (!options || s != NULL, "bad test structure %s", options);
  g_signal_emit_by_name (sink, "create-response-full", s, &ret);
  if (s)
    gst_structure_free (s);
  return ret;
}

static gboolean
emit_say (GstElement * sink, const gchar * text)
{
  gboolean ret = FALSE;

  g_signal_emit_by_name (sink, "say", text, &ret);
  return ret;
}

static gboolean
emit_approve (GstElement * sink, const gchar * id, gboolean approve)
{
  gboolean ret = FALSE;

  g_signal_emit_by_name (sink, "mcp-approve", id, approve, &ret);
  return ret;
}

static gboolean
emit_str (GstElement * sink, const gchar * signal, const gchar * arg)
{
  gboolean ret = FALSE;

  g_signal_emit_by_name (sink, signal, arg, &ret);
  return ret;
}

/* The @n-th client event @type of the record equals @expected (JSON, its
 * event_id ignored). */
static void
assert_wire (VlEmulator * emu, const gchar * type, guint n,
    const gchar * expected)
{
  GPtrArray *rec = vl_emulator_wait (emu, "client", type, n + 1, 10000);
  JsonObject *ev;
  JsonNode *got, *want = json_from_string (expected, NULL);
  gchar *got_s;

  fail_unless (rec != NULL, "no %s #%u", type, n);
  fail_unless (want != NULL, "bad expected JSON %s", expected);
  ev = json_object_ref (vl_rec_event (vl_rec_find (rec, "client", type, n)));
  if (json_object_has_member (ev, "event_id"))
    json_object_remove_member (ev, "event_id");
  got = json_node_init_object (json_node_alloc (), ev);
  got_s = json_to_string (got, FALSE);
  fail_unless (json_node_equal (got, want), "%s #%u: got %s, want %s", type,
      n, got_s, expected);
  g_free (got_s);
  json_object_unref (ev);
  json_node_unref (got);
  json_node_unref (want);
  g_ptr_array_unref (rec);
}

/* The last message @name's string field @field. */
static gchar *
last_string (VlConv * conv, const gchar * name, const gchar * field)
{
  GPtrArray *m = vl_conv_find (conv, name);
  gchar *v = NULL;

  if (m->len > 0)
    v = g_strdup (gst_structure_get_string (gst_message_get_structure
            (g_ptr_array_index (m, m->len - 1)), field));
  g_ptr_array_unref (m);
  return v;
}

static void
assert_last_string (VlConv * conv, const gchar * name, const gchar * field,
    const gchar * expected)
{
  gchar *v = last_string (conv, name, field);

  fail_unless_equals_string (v, expected);
  g_free (v);
}

/* Manual turns at 24 kHz, the input rate of both dialects (GA takes no
 * other pcm rate). */
static VlConv *
start_conv (VlEmulator * emu, const gchar * name)
{
  VlConv *conv = vl_conv_new_named (emu, name, 24000, "turn-detection=none",
      NULL, NULL);

  vl_conv_start (conv);
  /* 20 ms of silence preroll the sink: the pipeline plays, and answers
   * reach the appsink */
  vl_conv_speak (conv, 0, 0, 20, FALSE);
  fail_unless (vl_conv_wait_message (conv, "voicelive/session-updated", 1,
          10000));
  return conv;
}

static void
stop_conv (VlConv * conv, VlEmulator * emu)
{
  vl_conv_free (conv);
  vl_emulator_stop (emu);
}

/* Each signal's exact wire JSON. */
static const struct
{
  const gchar *signal;
  const gchar *arg;
  const gchar *wire;
} wire_rows[] = {
  {"say", "Welcome to Contoso.",
      "{\"type\":\"response.create\",\"response\":{"
        "\"pre_generated_assistant_message\":{\"type\":\"message\","
        "\"role\":\"assistant\",\"content\":[{\"type\":\"text\","
        "\"text\":\"Welcome to Contoso.\"}]}}}"},
  {"create-response-full", "options, instructions=(string)\"Answer briefly.\","
        " temperature=0.7, max-tokens=inf, conversation=none,"
        " metadata=(string)\"{\\\"turn\\\":\\\"greeting\\\"}\"",
      "{\"type\":\"response.create\",\"response\":{\"instructions\":"
        "\"Answer briefly.\",\"temperature\":0.7,"
        "\"max_response_output_tokens\":\"inf\",\"conversation\":\"none\","
        "\"metadata\":{\"turn\":\"greeting\"}}}"},
  /* what a user types in a structure: a double infinity, or the string */
  {"create-response-full", "options, max-tokens=(string)inf",
      "{\"type\":\"response.create\",\"response\":{"
        "\"max_response_output_tokens\":\"inf\"}}"},
  {"create-response-full", "options, modalities=text, voice=en-US-AvaNeural,"
        " tool-choice=get_time, reasoning-effort=low, max-tokens=400,"
        " tools=(string)\"[]\"",
      "{\"type\":\"response.create\",\"response\":{\"modalities\":[\"text\"],"
        "\"voice\":{\"type\":\"azure-standard\",\"name\":\"en-US-AvaNeural\"},"
        "\"tool_choice\":{\"type\":\"function\",\"name\":\"get_time\"},"
        "\"reasoning_effort\":\"low\",\"max_response_output_tokens\":400,"
        "\"tools\":[]}}"},
};

GST_START_TEST (test_wire_json)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "100", NULL);
  VlConv *conv = start_conv (emu, "ctl-wire");
  guint i;

  for (i = 0; i < G_N_ELEMENTS (wire_rows); i++) {
    if (g_str_equal (wire_rows[i].signal, "say"))
      fail_unless (emit_say (conv->sink, wire_rows[i].arg));
    else
      fail_unless (emit_structure (conv->sink, wire_rows[i].arg));
    assert_wire (emu, "response.create", i, wire_rows[i].wire);
    fail_unless (vl_conv_wait_message (conv, "voicelive/response-done", i + 1,
            10000));
  }
  /* Validation: an unknown option names itself and the allowed ones */
  fail_if (emit_structure (conv->sink, "options, colour=red"));
  fail_unless (vl_conv_warned_with (conv, "unknown option 'colour'"));
  fail_unless (vl_conv_warned_with (conv, "reasoning-effort"));
  fail_if (emit_structure (conv->sink, "options, conversation=maybe"));
  fail_if (emit_structure (conv->sink, "options, temperature=3.0"));
  fail_if (emit_structure (conv->sink, "options, max-tokens=-inf"));
  fail_if (emit_structure (conv->sink, "options, max-tokens=0"));
  fail_if (emit_structure (conv->sink, "options, max-tokens=(string)lots"));
  fail_if (emit_say (conv->sink, ""));
  fail_if (emit_approve (conv->sink, "apr_nope", TRUE));
  fail_unless (vl_conv_warned_with (conv, "apr_nope"));
  fail_unless_equals_int (vl_emulator_count (emu, "client", "response.create"),
      G_N_ELEMENTS (wire_rows));
  stop_conv (conv, emu);
}

GST_END_TEST;

/* say waits for the active response like create-response, and the
 * emulator speaks exactly its text. */
GST_START_TEST (test_say_respects_gate)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "1500", "--realtime",
      NULL);
  VlConv *conv = start_conv (emu, "ctl-gate");
  GPtrArray *rec;
  guint i, done_at = 0, create_at = 0;

  fail_unless (emit_str (conv->sink, "create-response", NULL));
  fail_unless (vl_conv_wait_message (conv, "voicelive/response-started", 1,
          10000));
  fail_unless (emit_say (conv->sink, "Please hold."));
  fail_unless (vl_conv_wait_message (conv, "voicelive/response-done", 2,
          20000));
  rec = vl_emulator_record (emu);
  for (i = 0; i < rec->len; i++) {
    JsonNode *l = g_ptr_array_index (rec, i);

    if (!done_at && !g_strcmp0 (vl_rec_dir (l), "server")
        && !g_strcmp0 (vl_rec_type (l), "response.done"))
      done_at = i;
    if (!g_strcmp0 (vl_rec_dir (l), "client")
        && !g_strcmp0 (vl_rec_type (l), "response.create"))
      create_at = i;
  }
  g_ptr_array_unref (rec);
  fail_unless (done_at > 0 && create_at > done_at,
      "say sent at %u, before the first response.done at %u", create_at,
      done_at);
  assert_last_string (conv, "voicelive/response-transcript", "text",
      "Please hold.");
  stop_conv (conv, emu);
}

GST_END_TEST;

/* conversation=none: the text reaches the bus with the metadata, the
 * audio is not played, unless play=true. The emulator's answer n is voice
 * n: the first 300 ms out of voicelivesrc are answer 2's only if answer 1
 * was not played. */
GST_START_TEST (test_out_of_band)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "300", NULL);
  VlConv *conv = start_conv (emu, "ctl-oob");
  GByteArray *out = g_byte_array_new ();
  gchar *id, *done_id;

  fail_unless (emit_structure (conv->sink, "options, conversation=none,"
          " metadata=(string)\"{\\\"purpose\\\":\\\"classify\\\"}\""));
  fail_unless (vl_conv_wait_message (conv, "voicelive/response-done", 1,
          10000));
  assert_last_string (conv, "voicelive/response-transcript", "metadata",
      "{\"purpose\":\"classify\"}");
  id = last_string (conv, "voicelive/response-transcript", "response-id");
  done_id = last_string (conv, "voicelive/response-done", "response-id");
  fail_unless_equals_string (id, done_id);
  g_free (id);
  g_free (done_id);
  assert_last_string (conv, "voicelive/response-done", "metadata",
      "{\"purpose\":\"classify\"}");
  /* its audio arrived, and was dropped */
  fail_unless_equals_int (vl_test_get_stat_u64 (conv->sink,
          "audio-ms-received"), 300);

  /* asked to play: it is played, and it is all that is played */
  fail_unless (emit_structure (conv->sink, "options, conversation=none,"
          " play=true"));
  while (out->len < 300 * 24 * 2
      && vl_test_pull_append (conv->appsink, out, 10 * GST_SECOND));
  fail_unless_equals_int (out->len, 300 * 24 * 2);
  vl_test_assert_answer (out->data, out->len, 2, 300 * 24, 24000, "pcm16");
  fail_unless (vl_conv_wait_message (conv, "voicelive/response-done", 2,
          10000));
  fail_unless_equals_int (vl_test_get_stat_u64 (conv->sink,
          "audio-ms-received"), 600);
  g_byte_array_unref (out);
  stop_conv (conv, emu);
}

GST_END_TEST;

#define MCP_TOOLS "{\"tools\":[{\"type\":\"mcp\",\"server_label\":\"docs\"," \
  "\"server_url\":\"https://example.com/mcp\"}]}"

static const gchar *
approval_round (VlEmulator * emu, VlConv * conv, gchar ** id)
{
  GPtrArray *m;
  const GstStructure *s;

  fail_unless (emit_str (conv->sink, "update-session", MCP_TOOLS));
  fail_unless (vl_conv_wait_message (conv, "voicelive/mcp-list-tools", 2,
          10000));
  fail_unless (emit_str (conv->sink, "send-text", "Search the docs."));
  fail_unless (vl_conv_wait_message (conv, "voicelive/response-done", 1,
          10000));
  m = vl_conv_find (conv, "voicelive/mcp-approval-request");
  /* the same request came in three item events: one message */
  fail_unless_equals_int (m->len, 1);
  s = gst_message_get_structure (g_ptr_array_index (m, 0));
  vl_assert_structure_strings (s, "server-label", "docs", "name",
      "search_docs", "arguments", "{\"q\":\"x\"}", NULL);
  *id = g_strdup (gst_structure_get_string (s, "id"));
  g_ptr_array_unref (m);
  return *id;
}

/* mcp-approve sends the mcp_approval_response item, the second item the
 * client creates (after send-text's message). */
static void
answer_approval (VlEmulator * emu, VlConv * conv, const gchar * id,
    gboolean approve)
{
  gchar *wire = g_strdup_printf ("{\"type\":\"conversation.item.create\","
      "\"item\":{\"type\":\"mcp_approval_response\","
      "\"approval_request_id\":\"%s\",\"approve\":%s}}", id,
      approve ? "true" : "false");

  fail_unless (emit_approve (conv->sink, id, approve));
  assert_wire (emu, "conversation.item.create", 1, wire);
  g_free (wire);
}

GST_START_TEST (test_mcp_approve_and_deny)
{
  gchar *script = vl_script_write ("{\"responses\":[{\"text\":\"Checking.\","
      "\"function_calls\":[{\"type\":\"mcp\",\"name\":\"search_docs\","
      "\"arguments\":\"{\\\"q\\\":\\\"x\\\"}\"}]}]}");
  VlEmulator *emu = vl_emulator_start ("--script", script, "--reply-ms",
      "100", NULL);
  VlConv *conv = start_conv (emu, "ctl-mcp");
  gchar *id = NULL;

  approval_round (emu, conv, &id);
  answer_approval (emu, conv, id, TRUE);
  fail_unless (vl_conv_wait_message (conv, "voicelive/response-done", 2,
          10000));
  assert_last_string (conv, "voicelive/mcp-call", "state", "completed");
  fail_unless_equals_int (vl_conv_count (conv, "voicelive/mcp-call-arguments"),
      2);
  /* answered: a second answer is refused */
  fail_if (emit_approve (conv->sink, id, FALSE));
  g_free (id);
  stop_conv (conv, emu);

  emu = vl_emulator_start ("--script", script, "--reply-ms", "100", NULL);
  conv = start_conv (emu, "ctl-mcp-deny");
  approval_round (emu, conv, &id);
  answer_approval (emu, conv, id, FALSE);
  /* the echo of the answer is the emulator's last word: no call */
  fail_unless (vl_emulator_wait_for (emu, "server",
          "conversation.item.created", 5, 10000));
  fail_unless_equals_int (vl_emulator_count (emu, "server",
          "response.created"), 1);
  fail_unless_equals_int (vl_conv_count (conv, "voicelive/mcp-call"), 0);
  g_free (id);
  stop_conv (conv, emu);
  vl_script_remove (script);
}

GST_END_TEST;

GST_START_TEST (test_foundry_call_and_interim)
{
  gchar *script =
      vl_script_write ("{\"responses\":[{\"function_calls\":[{\"type\":"
      "\"foundry_agent\",\"name\":\"support-agent\",\"arguments\":\"{}\"}]},"
      "{\"function_calls\":[{\"name\":\"get_time\",\"arguments\":\"{}\"}]}]}");
  VlEmulator *emu = vl_emulator_start ("--script", script, "--reply-ms",
      "100", NULL);
  VlConv *conv = start_conv (emu, "ctl-foundry");

  fail_unless (emit_str (conv->sink, "send-text", "Ask the agent."));
  fail_unless (vl_conv_wait_message (conv, "voicelive/response-done", 1,
          10000));
  assert_last_string (conv, "voicelive/foundry-agent-call", "state",
      "completed");
  assert_last_string (conv, "voicelive/foundry-agent-call", "agent-response-id",
      "agresp_emulated");
  fail_unless_equals_int (vl_conv_count (conv,
          "voicelive/foundry-agent-call-arguments"), 2);

  /* interim_response with the tool trigger: the filler before the call */
  fail_unless (emit_str (conv->sink, "update-session",
          "{\"interim_response\":{\"type\":\"static_interim_response\","
          "\"triggers\":[\"tool\"],\"texts\":[\"One moment.\"]}}"));
  fail_unless (vl_conv_wait_message (conv, "voicelive/session-updated", 2,
          10000));
  fail_unless (emit_str (conv->sink, "send-text", "What time is it?"));
  fail_unless (vl_conv_wait_message (conv, "voicelive/function-call", 1,
          10000));
  assert_last_string (conv, "voicelive/response-transcript", "text",
      "One moment.");
  stop_conv (conv, emu);
  vl_script_remove (script);
}

GST_END_TEST;

GST_START_TEST (test_warning_and_expires_at)
{
  gint64 expires = -1, stat = -1;
  GPtrArray *m;
  const GstStructure *s;
  VlEmulator *emu = vl_emulator_start ("--warning", "Heads up", NULL);
  VlConv *conv = start_conv (emu, "ctl-warn");

  fail_unless (vl_conv_wait_message (conv, "voicelive/service-warning", 1,
          10000));
  m = vl_conv_find (conv, "voicelive/service-warning");
  s = gst_message_get_structure (g_ptr_array_index (m, 0));
  /* "param":null reads as absent */
  vl_assert_structure_strings (s, "message", "Heads up", "code",
      "emulated_warning", "param", "", NULL);
  vl_docs_check_message (s);
  g_ptr_array_unref (m);
  /* non-fatal: no GStreamer warning or error */
  m = vl_conv_messages (conv, GST_MESSAGE_WARNING | GST_MESSAGE_ERROR);
  fail_unless_equals_int (m->len, 0);
  g_ptr_array_unref (m);

  m = vl_conv_find (conv, "voicelive/session-updated");
  s = gst_message_get_structure (g_ptr_array_index (m, 0));
  fail_unless (gst_structure_get_int64 (s, "expires-at", &expires));
  fail_unless (expires > 1700000000);
  g_ptr_array_unref (m);
  fail_unless (vl_test_get_stat_int64 (conv->sink, "expires-at", &stat));
  fail_unless_equals_int64 (stat, expires);
  stop_conv (conv, emu);
}

GST_END_TEST;

/* protocol=openai: say and the Voice Live only options are refused with a
 * warning and nothing sent; the others take their GA names. */
GST_START_TEST (test_openai_dialect)
{
  VlEmulator *emu = vl_emulator_start ("--reply-ms", "100", NULL);
  VlConv *conv;

  vl_emulator_use_ga_path (emu);
  conv = start_conv (emu, "ctl-openai");
  fail_if (emit_say (conv->sink, "Welcome."));
  fail_unless (vl_conv_warned_with (conv,
          "say: pre_generated_assistant_message is " "Voice Live only"));
  fail_if (emit_structure (conv->sink, "options, temperature=0.8"));
  fail_unless (vl_conv_warned_with (conv,
          "option 'temperature' has no OpenAI GA " "form"));
  fail_if (emit_structure (conv->sink, "options, reasoning-effort=low"));
  fail_unless (emit_structure (conv->sink, "options, modalities=text,"
          " max-tokens=inf, voice=marin"));
  assert_wire (emu, "response.create", 0, "{\"type\":\"response.create\","
      "\"response\":{\"output_modalities\":[\"text\"],"
      "\"max_output_tokens\":\"inf\",\"audio\":{\"output\":{"
      "\"voice\":\"marin\"}}}}");
  fail_unless (vl_conv_wait_message (conv, "voicelive/response-done", 1,
          10000));
  fail_unless_equals_int (vl_emulator_count (emu, "client", "response.create"),
      1);
  fail_unless_equals_int (vl_emulator_count (emu, "server", "error"), 0);
  stop_conv (conv, emu);
}

GST_END_TEST;

static Suite *
voicelive_2026_control_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("voicelive-2026-control", 120, &tc);

  tcase_add_test (tc, test_wire_json);
  tcase_add_test (tc, test_say_respects_gate);
  tcase_add_test (tc, test_out_of_band);
  tcase_add_test (tc, test_mcp_approve_and_deny);
  tcase_add_test (tc, test_foundry_call_and_interim);
  tcase_add_test (tc, test_warning_and_expires_at);
  tcase_add_test (tc, test_openai_dialect);
  return s;
}

GST_CHECK_MAIN (voicelive_2026_control);
