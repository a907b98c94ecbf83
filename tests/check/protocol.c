/* gst-voicelive: the pure protocol layer (no network, no pipeline)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <gst/check/gstcheck.h>
#include "gstvoiceliveprotocol.h"
#include "gstvoiceliveprotocol2026.h"
#include "vltest.h"

GST_START_TEST (test_append_frame_roundtrip)
{
  GString *out = g_string_new (NULL);
  guint8 data[1000];
  gsize len;

  for (len = 0; len < sizeof (data); len++)
    data[len] = (guint8) (len * 37 + 11);

  for (len = 0; len <= sizeof (data); len += (len < 12 ? 1 : 97)) {
    JsonNode *n;
    JsonObject *o;
    guchar *dec;
    gsize dec_len;

    gst_voice_live_build_append (out, data, len);
    n = json_from_string (out->str, NULL);
    fail_unless (n != NULL, "not JSON: %s", out->str);
    o = json_node_get_object (n);
    fail_unless_equals_string (json_object_get_string_member (o, "type"),
        "input_audio_buffer.append");
    dec = g_base64_decode (json_object_get_string_member (o, "audio"),
        &dec_len);
    fail_unless_equals_int (dec_len, len);
    fail_unless (len == 0 || memcmp (dec, data, len) == 0);
    fail_unless_equals_int (json_object_get_size (o), 2);
    g_free (dec);
    json_node_unref (n);
  }
  g_string_free (out, TRUE);
}

GST_END_TEST;

/* The plugin's encoder writes exactly what GLib's does, for every length
 * and every byte value. */
GST_START_TEST (test_base64_encode_matches_glib)
{
  guint8 data[3 * 256 + 5];
  gchar out[sizeof (data) / 3 * 4 + 8];
  gsize len, i;

  for (i = 0; i < sizeof (data); i++)
    data[i] = (guint8) (i < 3 * 256 ? (i % 3 == 0 ? i / 3 : 255 - i / 3)
        : g_random_int ());
  for (len = 0; len <= sizeof (data); len++) {
    gchar *want = g_base64_encode (data, len);
    gsize n = gst_voice_live_base64_encode (data, len, out);

    fail_unless_equals_int (n, strlen (want));
    fail_unless (memcmp (out, want, n) == 0, "length %" G_GSIZE_FORMAT
        ": %.*s != %s", len, (int) n, out, want);
    g_free (want);
  }
}

GST_END_TEST;

GST_START_TEST (test_base64_strict)
{
  guint8 out[16];
  gsize n = 0;

  fail_unless (gst_voice_live_base64_decode ("AAECAw==", 8, out, &n));
  fail_unless_equals_int (n, 4);
  fail_unless (out[0] == 0 && out[1] == 1 && out[2] == 2 && out[3] == 3);
  fail_unless (gst_voice_live_base64_decode ("AAEC", 4, out, &n));
  fail_unless_equals_int (n, 3);
  fail_unless (gst_voice_live_base64_decode ("AAE=", 4, out, &n));
  fail_unless_equals_int (n, 2);
  fail_unless (gst_voice_live_base64_decode ("", 0, out, &n));
  fail_unless_equals_int (n, 0);
  /* Corrupt input is refused rather than decoded into noise. */
  fail_if (gst_voice_live_base64_decode ("AA!C", 4, out, &n));
  fail_if (gst_voice_live_base64_decode ("AAE", 3, out, &n));
  fail_if (gst_voice_live_base64_decode ("A===", 4, out, &n));
  fail_if (gst_voice_live_base64_decode ("AA==AAAA", 8, out, &n));
}

GST_END_TEST;

static void
parse_ok (GstVoiceLiveEvent * ev, const gchar * json)
{
  static JsonParser *parser;
  GError *err = NULL;

  if (!parser)
    parser = json_parser_new_immutable ();
  fail_unless (gst_voice_live_event_parse (ev, parser, json, -1, &err),
      "%s: %s", json, err ? err->message : "");
}

/* parse_ok(), and the event is of @kind */
static void
parse_kind (GstVoiceLiveEvent * ev, const gchar * json,
    GstVoiceLiveEventKind kind)
{
  parse_ok (ev, json);
  fail_unless_equals_int (ev->kind, kind);
}

#define EV_STR(member) G_STRUCT_OFFSET (GstVoiceLiveEvent, member)

/* The string members of @ev at the offsets listed (EV_STR (member), then
 * its expected value; -1 ends the list) have those values. */
static void
expect_strings (const GstVoiceLiveEvent * ev, glong first, ...)
{
  glong offset;
  va_list ap;

  va_start (ap, first);
  for (offset = first; offset >= 0; offset = va_arg (ap, glong))
    fail_unless_equals_string (G_STRUCT_MEMBER (const gchar *, ev, offset),
        va_arg (ap, const gchar *));
  va_end (ap);
}

GST_START_TEST (test_parse_events)
{
  GstVoiceLiveEvent ev;

  parse_ok (&ev, "{\"type\":\"input_audio_buffer.speech_started\","
      "\"event_id\":\"event_1\",\"audio_start_ms\":1200,\"item_id\":\"item_U\"}");
  fail_unless_equals_int (ev.kind, GST_VOICE_LIVE_EVENT_SPEECH_STARTED);
  fail_unless_equals_int (ev.audio_start_ms, 1200);
  expect_strings (&ev, EV_STR (item_id), "item_U", EV_STR (event_id),
      "event_1", -1L);
  gst_voice_live_event_clear (&ev);

  parse_kind (&ev, "{\"type\":\"response.done\",\"response\":{\"id\":"
      "\"resp_R\",\"status\":\"cancelled\",\"status_details\":{\"type\":"
      "\"cancelled\",\"reason\":\"turn_detected\"},\"usage\":{"
      "\"total_tokens\":87,\"input_tokens\":52,\"output_tokens\":35}}}",
      GST_VOICE_LIVE_EVENT_RESPONSE_DONE);
  expect_strings (&ev, EV_STR (response_id), "resp_R", EV_STR (status),
      "cancelled", EV_STR (reason), "turn_detected", -1L);
  fail_unless_equals_int (ev.total_tokens, 87);
  fail_unless_equals_int (ev.input_tokens, 52);
  fail_unless_equals_int (ev.output_tokens, 35);
  gst_voice_live_event_clear (&ev);

  parse_kind (&ev, "{\"type\":\"error\",\"error\":{\"type\":"
      "\"invalid_request_error\",\"code\":\"invalid_value\",\"message\":"
      "\"bad\",\"param\":\"session.voice\",\"event_id\":\"vl-update-1\"}}",
      GST_VOICE_LIVE_EVENT_ERROR);
  expect_strings (&ev, EV_STR (error_code), "invalid_value",
      EV_STR (error_param), "session.voice", EV_STR (error_event_id),
      "vl-update-1", -1L);
  gst_voice_live_event_clear (&ev);

  parse_kind (&ev, "{\"type\":\"response.function_call_arguments.done\","
      "\"response_id\":\"r\",\"item_id\":\"i\",\"call_id\":\"call_1\","
      "\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}",
      GST_VOICE_LIVE_EVENT_FUNCTION_CALL_DONE);
  expect_strings (&ev, EV_STR (name), "get_weather", EV_STR (call_id),
      "call_1", EV_STR (text), "{\"city\":\"Oslo\"}", -1L);
  gst_voice_live_event_clear (&ev);

  /* Numbers that do not fit read as absent (not undefined behaviour) */
  parse_ok (&ev, "{\"type\":\"input_audio_buffer.speech_started\","
      "\"audio_start_ms\":-1e999,\"item_id\":\"i\"}");
  fail_unless_equals_int (ev.audio_start_ms, -1);
  gst_voice_live_event_clear (&ev);
  parse_ok (&ev, "{\"type\":\"input_audio_buffer.speech_stopped\","
      "\"audio_end_ms\":1e300}");
  fail_unless_equals_int (ev.audio_end_ms, -1);
  gst_voice_live_event_clear (&ev);
  /* A value followed by whitespace, and braces inside strings, are fine */
  parse_ok (&ev, "{\"type\":\"x\",\"s\":\"}{\\\"\"} \n");
  fail_unless_equals_string (ev.type, "x");
  gst_voice_live_event_clear (&ev);

  /* Unknown (future) events are kept, not refused. */
  parse_ok (&ev, "{\"type\":\"response.something_new\",\"x\":1}");
  fail_unless_equals_int (ev.kind, GST_VOICE_LIVE_EVENT_OTHER);
  fail_unless_equals_string (ev.type, "response.something_new");
  gst_voice_live_event_clear (&ev);

  /* Wrong field types read as absent. */
  parse_ok (&ev, "{\"type\":\"response.audio.delta\",\"delta\":5,"
      "\"item_id\":[1]}");
  fail_unless_equals_int (ev.kind, GST_VOICE_LIVE_EVENT_AUDIO_DELTA);
  fail_unless (ev.text == NULL && ev.item_id == NULL);
  gst_voice_live_event_clear (&ev);
}

GST_END_TEST;

GST_START_TEST (test_parse_both_spellings)
{
  const gchar *pairs[][2] = {
    {"response.audio.delta", "response.output_audio.delta"},
    {"response.audio_transcript.delta",
        "response.output_audio_transcript.delta"},
    {"response.audio_transcript.done", "response.output_audio_transcript.done"},
    {"response.text.delta", "response.output_text.delta"},
    {"response.text.done", "response.output_text.done"},
    {"response.audio.done", "response.output_audio.done"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (pairs); i++) {
    GstVoiceLiveEvent a, b;
    gchar *ja = g_strdup_printf ("{\"type\":\"%s\",\"delta\":\"x\"}",
        pairs[i][0]);
    gchar *jb = g_strdup_printf ("{\"type\":\"%s\",\"delta\":\"x\"}",
        pairs[i][1]);

    parse_ok (&a, ja);
    parse_ok (&b, jb);
    fail_unless (a.kind != GST_VOICE_LIVE_EVENT_OTHER, "%s", pairs[i][0]);
    fail_unless_equals_int (a.kind, b.kind);
    gst_voice_live_event_clear (&a);
    gst_voice_live_event_clear (&b);
    g_free (ja);
    g_free (jb);
  }
}

GST_END_TEST;

GST_START_TEST (test_parse_malformed)
{
  JsonParser *parser = json_parser_new_immutable ();
  const gchar *bad[] = { "", "not json", "[1,2]", "\"text\"", "{}",
    "{\"type\":5}", "{\"type\":null}", "{\"type\":\"x\"", "\xff\xfe",
    /* two values in one frame (json-glib 1.6 would keep one, leak one) */
    "{\"type\":\"error\"}{\"type\":\"warning\"}",
    "{\"type\":\"a\"} [1]"
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    GstVoiceLiveEvent ev;
    GError *err = NULL;

    fail_if (gst_voice_live_event_parse (&ev, parser, bad[i], -1, &err),
        "accepted %s", bad[i]);
    fail_unless (err != NULL);
    fail_unless (ev.root == NULL);
    g_clear_error (&err);
  }
  g_object_unref (parser);
}

GST_END_TEST;

static void
check_url (const gchar * endpoint, const gchar * version, const gchar * model,
    const gchar * expected, gboolean expect_beta)
{
  gboolean beta = !expect_beta;
  GError *err = NULL;
  gchar *url = gst_voice_live_build_url (endpoint, version, model, NULL,
      NULL, &beta, &err);

  fail_unless (url != NULL, "%s: %s", endpoint, err ? err->message : "");
  fail_unless_equals_string (url, expected);
  fail_unless_equals_int (beta, expect_beta);
  g_free (url);
}

static void
check_url_error (const gchar * endpoint, const gchar * needle)
{
  gboolean beta;
  GError *err = NULL;
  gchar *url = gst_voice_live_build_url (endpoint, "v", "m", NULL, NULL,
      &beta, &err);

  fail_unless (url == NULL, "accepted %s", endpoint);
  fail_unless (strstr (err->message, needle) != NULL, "%s", err->message);
  fail_unless (strstr (err->message, "ndpoint") != NULL, "%s", err->message);
  g_clear_error (&err);
}

GST_START_TEST (test_build_url)
{
  check_url ("https://res.services.ai.azure.com", "2025-10-01", "gpt-4o",
      "wss://res.services.ai.azure.com/voice-live/realtime?"
      "api-version=2025-10-01&model=gpt-4o", FALSE);
  check_url ("https://res.cognitiveservices.azure.com/", "2025-10-01",
      "gpt-realtime", "wss://res.cognitiveservices.azure.com/voice-live/"
      "realtime?api-version=2025-10-01&model=gpt-realtime", FALSE);
  /* Values are URL-encoded */
  check_url ("wss://h.example", "v 1", "a&b",
      "wss://h.example/voice-live/realtime?api-version=v%201&model=a%26b",
      FALSE);
  /* A full URL keeps its path and query */
  check_url ("wss://res.openai.azure.com/openai/realtime?deployment=d1",
      "2025-04-01-preview", "gpt-4o",
      "wss://res.openai.azure.com/openai/realtime?deployment=d1&"
      "api-version=2025-04-01-preview", FALSE);
  check_url ("wss://res.services.ai.azure.com/voice-live/realtime?"
      "api-version=2026-07-15&agent-name=a1&agent-project-name=p",
      "2025-10-01", "gpt-4o", "wss://res.services.ai.azure.com/voice-live/"
      "realtime?api-version=2026-07-15&agent-name=a1&agent-project-name=p",
      FALSE);
  check_url ("wss://api.openai.com/v1/realtime?model=gpt-realtime", "x", "y",
      "wss://api.openai.com/v1/realtime?model=gpt-realtime", TRUE);
  /* OpenAI's path on a test server, but not Azure OpenAI's GA path */
  check_url ("ws://127.0.0.1:9/v1/realtime?model=m", "x", "y",
      "ws://127.0.0.1:9/v1/realtime?model=m", TRUE);
  check_url ("wss://r.openai.azure.com/openai/v1/realtime?model=d", "x", "y",
      "wss://r.openai.azure.com/openai/v1/realtime?model=d", FALSE);
  /* Agent mode replaces model */
  {
    gboolean beta;
    gchar *url = gst_voice_live_build_url ("https://r.services.ai.azure.com",
        "2026-07-15", "gpt-4o", "my agent", "proj1", &beta, NULL);

    fail_unless_equals_string (url, "wss://r.services.ai.azure.com/"
        "voice-live/realtime?api-version=2026-07-15&agent-name=my%20agent&"
        "agent-project-name=proj1");
    g_free (url);
  }
  /* The optional agent-mode parameters (protocol-2026.md §2.9), in the
   * order of the reference, URL-encoded; unset ones left out */
  {
    gboolean beta;
    const gchar *const extra[] = { "agent-version", "2",
      "conversation-id", "conv 1", "foundry-resource-override", "other-res",
      "agent-authentication-identity-client-id", "c1d2", NULL
    };
    const gchar *const some[] = { "agent-version", NULL,
      "conversation-id", "", "foundry-resource-override", "r2", NULL
    };
    gchar *url = gst_voice_live_build_url_full
        ("https://r.services.ai.azure.com", "2026-07-15", "gpt-4o", "ag",
        "proj1", extra, &beta, NULL);

    fail_unless_equals_string (url, "wss://r.services.ai.azure.com/"
        "voice-live/realtime?api-version=2026-07-15&agent-name=ag&"
        "agent-project-name=proj1&agent-version=2&conversation-id=conv%201&"
        "foundry-resource-override=other-res&"
        "agent-authentication-identity-client-id=c1d2");
    g_free (url);
    url = gst_voice_live_build_url_full ("https://r.services.ai.azure.com",
        "2026-07-15", "gpt-4o", "ag", "proj1", some, &beta, NULL);
    fail_unless_equals_string (url, "wss://r.services.ai.azure.com/"
        "voice-live/realtime?api-version=2026-07-15&agent-name=ag&"
        "agent-project-name=proj1&foundry-resource-override=r2");
    g_free (url);
    /* Without agent-name they mean nothing: model mode */
    url = gst_voice_live_build_url_full ("https://r.services.ai.azure.com",
        "2026-07-15", "gpt-4o", NULL, NULL, extra, &beta, NULL);
    fail_unless_equals_string (url, "wss://r.services.ai.azure.com/"
        "voice-live/realtime?api-version=2026-07-15&model=gpt-4o");
    g_free (url);
  }
  /* Loopback test servers may use plain ws:// */
  check_url ("ws://127.0.0.1:4321", "v", "m",
      "ws://127.0.0.1:4321/voice-live/realtime?api-version=v&model=m", FALSE);
  check_url ("http://localhost:80/", "v", "m",
      "ws://localhost:80/voice-live/realtime?api-version=v&model=m", FALSE);

  check_url_error (NULL, "No endpoint");
  check_url_error ("", "No endpoint");
  check_url_error ("::::", "not a valid URL");
  check_url_error ("ftp://h/", "scheme");
  check_url_error ("http://example.com", "loopback");
  check_url_error ("ws://192.168.1.2:80", "loopback");
}

GST_END_TEST;

/* Plain ws:// only where the bytes cannot leave the machine: the host must
 * be a loopback IP literal or exactly "localhost", not a DNS name that
 * merely looks like one. */
GST_START_TEST (test_build_url_loopback_only)
{
  static const gchar *accepted[][2] = {
    {"ws://127.0.0.1", "ws://127.0.0.1/"},
    {"ws://127.0.0.1:4321", "ws://127.0.0.1:4321/"},
    {"ws://127.1.2.3", "ws://127.1.2.3/"},
    {"ws://127.1.2.3:9/x", "ws://127.1.2.3:9/x"},
    {"ws://[::1]", "ws://[::1]/"},
    {"ws://[::1]:4321", "ws://[::1]:4321/"},
    {"http://localhost", "ws://localhost/"},
    {"ws://localhost:4321", "ws://localhost:4321/"},
    {"ws://LOCALHOST:4321", "ws://LOCALHOST:4321/"},
    {"ws://LocalHost", "ws://LocalHost/"},
  };
  static const gchar *refused[] = {
    "ws://127.evil.example", "ws://127.evil.example:4321",
    "ws://127.x.example", "ws://127.0.0.1.example",
    "ws://127.0.0.1.example:4321", "http://127.0.0.1.example/",
    "ws://localhost.example", "ws://localhost.example:4321",
    "ws://LOCALHOST.example", "ws://localhost.", "ws://evil-localhost",
    "ws://[::2]", "ws://[::ffff:7f00:1]",
    "ws://128.0.0.1", "ws://0.0.0.0", "ws://0177.0.0.1", "ws://2130706433",
    "ws://127.1",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (accepted); i++) {
    gboolean beta;
    GError *err = NULL;
    gchar *url = gst_voice_live_build_url (accepted[i][0], NULL, NULL, NULL,
        NULL, &beta, &err);

    fail_unless (url != NULL, "%s: %s", accepted[i][0],
        err ? err->message : "");
    fail_unless (g_str_has_prefix (url, accepted[i][1]), "%s -> %s",
        accepted[i][0], url);
    /* the same test decides that no proxy is asked */
    fail_unless (gst_voice_live_url_is_loopback (url), "%s", url);
    g_free (url);
  }
  for (i = 0; i < G_N_ELEMENTS (refused); i++) {
    fail_if (gst_voice_live_url_is_loopback (refused[i]), "%s", refused[i]);
    check_url_error (refused[i], "wss://");
    /* The same hosts are fine over TLS */
    if (g_str_has_prefix (refused[i], "ws://")) {
      gchar *tls = g_strconcat ("wss://", refused[i] + 5, NULL);
      gboolean beta;
      gchar *url = gst_voice_live_build_url (tls, NULL, NULL, NULL, NULL,
          &beta, NULL);

      fail_unless (url != NULL, "%s", tls);
      g_free (url);
      g_free (tls);
    }
  }
  /* Not even a URL */
  check_url_error ("ws://[::1].example", "wss://");
  check_url_error ("ws://127%2e0.0.1", "wss://");
}

GST_END_TEST;

/* Version order: by date, a preview just before the GA of its date; what
 * is not a date is 0 (refuses nothing). */
GST_START_TEST (test_api_version_order)
{
  guint o0501p = gst_voice_live_api_version_order ("2025-05-01-preview");
  guint o1001 = gst_voice_live_api_version_order ("2025-10-01");
  guint o0101p = gst_voice_live_api_version_order ("2026-01-01-preview");
  guint o0410 = gst_voice_live_api_version_order ("2026-04-10");
  guint o0601p = gst_voice_live_api_version_order ("2026-06-01-preview");
  guint o0601 = gst_voice_live_api_version_order ("2026-06-01");
  guint o0715 = gst_voice_live_api_version_order ("2026-07-15");
  GstVoiceLiveConfig cfg;
  GError *err = NULL;

  fail_unless (o0501p && o0501p < o1001 && o1001 < o0101p && o0101p < o0410
      && o0410 < o0601p && o0601p < o0601 && o0601 < o0715);
  fail_unless_equals_int (gst_voice_live_api_version_order ("latest"), 0);
  fail_unless_equals_int (gst_voice_live_api_version_order ("2026-07-15-x"), 0);
  fail_unless_equals_int (gst_voice_live_api_version_order ("2026-13-01"), 0);
  fail_unless_equals_int (gst_voice_live_api_version_order (NULL), 0);

  /* Each gated field: refused just before its version, taken from it on */
  gst_voice_live_config_init (&cfg);
  cfg.set = GST_VOICE_LIVE_FIELD_PARALLEL_TOOLS;
  fail_if (gst_voice_live_config_check_api_version (&cfg, o0410, &err));
  fail_unless (strstr (err->message, "'parallel-tool-calls'") != NULL
      && strstr (err->message, "2026-06-01-preview") != NULL, "%s",
      err->message);
  g_clear_error (&err);
  fail_unless (gst_voice_live_config_check_api_version (&cfg, o0601p, NULL));
  fail_unless (gst_voice_live_config_check_api_version (&cfg, 0, NULL));

  cfg.set = GST_VOICE_LIVE_FIELD_EOU;
  cfg.eou_model = GST_VOICE_LIVE_EOU_MODEL_SEMANTIC_V1;
  fail_unless (gst_voice_live_config_check_api_version (&cfg, o1001, NULL));
  cfg.eou_model = GST_VOICE_LIVE_EOU_MODEL_SMART;
  fail_if (gst_voice_live_config_check_api_version (&cfg, o0410, &err));
  fail_unless (strstr (err->message, "'end-of-utterance-model'") != NULL,
      "%s", err->message);
  g_clear_error (&err);

  cfg.set = GST_VOICE_LIVE_FIELD_TOOLS;
  cfg.tools = g_strdup ("[{\"type\":\"mcp\",\"server_label\":\"d\","
      "\"server_url\":\"https://x/mcp\"}]");
  fail_if (gst_voice_live_config_check_api_version (&cfg, o0101p, &err));
  fail_unless (strstr (err->message, "'tools'") != NULL
      && strstr (err->message, "2026-04-10") != NULL, "%s", err->message);
  g_clear_error (&err);
  fail_unless (gst_voice_live_config_check_api_version (&cfg, o0410, NULL));

  cfg.set = GST_VOICE_LIVE_FIELD_VOICE;
  cfg.voice = g_strdup ("ava");
  fail_if (gst_voice_live_config_check_api_version (&cfg, o1001, &err));
  fail_unless (strstr (err->message, "'voice'") != NULL
      && strstr (err->message, "2026-01-01-preview") != NULL, "%s",
      err->message);
  g_clear_error (&err);
  fail_unless (gst_voice_live_config_check_api_version (&cfg, o0101p, NULL));

  cfg.set = GST_VOICE_LIVE_FIELD_INTERIM;
  cfg.interim_type = GST_VOICE_LIVE_INTERIM_TYPE_LLM;
  fail_if (gst_voice_live_config_check_api_version (&cfg, o1001, &err));
  fail_unless (strstr (err->message, "'interim-response-type'") != NULL,
      "%s", err->message);
  g_clear_error (&err);
  gst_voice_live_config_clear (&cfg);
}

GST_END_TEST;

GST_START_TEST (test_session_update_exact)
{
  GstVoiceLiveConfig cfg;
  gchar *s;

  gst_voice_live_config_init (&cfg);
  s = gst_voice_live_build_session_update (&cfg, GST_VOICE_LIVE_FIELD_ALL,
      NULL, -1, -1);
  fail_unless_equals_string (s, "{\"type\":\"session.update\",\"session\":{}}");
  g_free (s);

  cfg.instructions = g_strdup ("Hi \"there\"");
  cfg.voice = g_strdup ("coral");
  cfg.turn_detection = GST_VOICE_LIVE_TURN_DETECTION_AZURE_SEMANTIC_VAD;
  cfg.silence_duration_ms = 350;
  /* vad_threshold has a value but is not set: not sent */
  cfg.set = GST_VOICE_LIVE_FIELD_INSTRUCTIONS | GST_VOICE_LIVE_FIELD_VOICE |
      GST_VOICE_LIVE_FIELD_TURN_TYPE | GST_VOICE_LIVE_FIELD_SILENCE_DURATION;
  s = gst_voice_live_build_session_update (&cfg, GST_VOICE_LIVE_FIELD_ALL,
      "e1", GST_VOICE_LIVE_AUDIO_G711_ULAW, GST_VOICE_LIVE_AUDIO_PCM16_16000);
  fail_unless_equals_string (s, "{\"type\":\"session.update\","
      "\"event_id\":\"e1\",\"session\":{\"instructions\":\"Hi \\\"there\\\"\","
      "\"voice\":{\"name\":\"coral\",\"type\":\"openai\"},"
      "\"turn_detection\":{\"type\":\"azure_semantic_vad\","
      "\"silence_duration_ms\":350},\"input_audio_format\":\"g711_ulaw\","
      "\"input_audio_sampling_rate\":8000,"
      "\"output_audio_format\":\"pcm16_16000hz\"}}");
  g_free (s);

  /* A runtime change sends only its own object, but that one whole: the
   * service replaces turn_detection, so its type comes again. */
  s = gst_voice_live_build_session_update (&cfg,
      GST_VOICE_LIVE_FIELD_SILENCE_DURATION, NULL, -1, -1);
  fail_unless_equals_string (s, "{\"type\":\"session.update\",\"session\":"
      "{\"turn_detection\":{\"type\":\"azure_semantic_vad\","
      "\"silence_duration_ms\":350}}}");
  g_free (s);

  /* The 2025-05-01-preview form of end-of-utterance */
  cfg.set = GST_VOICE_LIVE_FIELD_EOU;
  cfg.eou_model = GST_VOICE_LIVE_EOU_MODEL_SEMANTIC_V1;
  cfg.eou_threshold = GST_VOICE_LIVE_EOU_THRESHOLD_HIGH;
  cfg.eou_timeout_ms = 2500;
  s = gst_voice_live_build_session_update (&cfg, GST_VOICE_LIVE_FIELD_ALL,
      NULL, -1, -1);
  fail_unless_equals_string (s, "{\"type\":\"session.update\",\"session\":"
      "{\"turn_detection\":{\"end_of_utterance_detection\":{\"model\":"
      "\"semantic_detection_v1\",\"threshold_level\":\"high\","
      "\"timeout_ms\":2500}}}}");
  g_free (s);
  cfg.legacy_eou = TRUE;
  s = gst_voice_live_build_session_update (&cfg, GST_VOICE_LIVE_FIELD_ALL,
      NULL, -1, -1);
  fail_unless_equals_string (s, "{\"type\":\"session.update\",\"session\":"
      "{\"turn_detection\":{\"end_of_utterance_detection\":{\"model\":"
      "\"semantic_detection_v1\",\"threshold\":0.1,\"timeout\":2.5}}}}");
  g_free (s);
  gst_voice_live_config_clear (&cfg);
}

GST_END_TEST;

GST_START_TEST (test_param_to_property)
{
  fail_unless_equals_string (gst_voice_live_param_to_property
      ("session.turn_detection.threshold"), "vad-threshold");
  fail_unless_equals_string (gst_voice_live_param_to_property
      ("session.turn_detection.type"), "turn-detection");
  fail_unless_equals_string (gst_voice_live_param_to_property
      ("session.voice.name"), "voice");
  fail_unless_equals_string (gst_voice_live_param_to_property
      ("session.turn_detection.end_of_utterance_detection.threshold_level"),
      "end-of-utterance-threshold");
  fail_unless (gst_voice_live_param_to_property ("audio") == NULL);
  fail_unless (gst_voice_live_param_to_property (NULL) == NULL);
}

GST_END_TEST;

GST_START_TEST (test_validate_config)
{
  GstVoiceLiveConfig cfg;
  GError *err = NULL;
  const gchar *bad[] = { "{}", "[1]", "[{\"type\":\"function\"}]",
    "[{\"name\":\"x\"}]", "[{\"type\":1,\"name\":\"x\"}]", "not json"
  };
  guint i;

  gst_voice_live_config_init (&cfg);
  cfg.set = GST_VOICE_LIVE_FIELD_TOOLS;
  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_free (cfg.tools);
    cfg.tools = g_strdup (bad[i]);
    fail_if (gst_voice_live_config_validate (&cfg, &err), "%s", bad[i]);
    fail_unless (strstr (err->message, "tools") != NULL);
    g_clear_error (&err);
  }
  g_free (cfg.tools);
  cfg.tools = g_strdup ("[{\"type\":\"function\",\"name\":\"f\"}]");
  fail_unless (gst_voice_live_config_validate (&cfg, NULL));

  cfg.set = GST_VOICE_LIVE_FIELD_MODALITIES;
  cfg.modalities = GST_VOICE_LIVE_MODALITIES_AUDIO;
  fail_if (gst_voice_live_config_validate (&cfg, &err));
  fail_unless (strstr (err->message, "modalities") != NULL);
  g_clear_error (&err);
  gst_voice_live_config_clear (&cfg);
}

GST_END_TEST;

/* The audio delta fast path agrees with the full parser, and refuses
 * (falls back on) anything it does not understand. */
GST_START_TEST (test_audio_delta_fast_path)
{
  const gchar *yes[] = {
    "{\"type\":\"response.audio.delta\",\"event_id\":\"e1\","
        "\"response_id\":\"resp_1\",\"item_id\":\"item_1\","
        "\"output_index\":0,\"content_index\":0,\"delta\":\"AAECAw==\"}",
    " { \"delta\" : \"AAECAw==\" , \"type\" : "
        "\"response.output_audio.delta\", \"item_id\":\"item_1\" } ",
    "{\"type\":\"response.audio.delta\",\"x\":null,\"y\":true,"
        "\"z\":-1.5e3,\"delta\":\"AAECAw==\"}",
  };
  const gchar *no[] = {
    /* an escape in a string: the full parser decodes it */
    "{\"type\":\"response.audio.delta\",\"delta\":\"AAEC\\/w==\"}",
    /* a nested object */
    "{\"type\":\"response.audio.delta\",\"o\":{\"a\":1},"
        "\"delta\":\"AAECAw==\"}",
    "{\"type\":\"response.audio.delta\",\"delta\":12345678901234567}",
    "{\"type\":\"response.audio_transcript.delta\",\"delta\":\"hello "
        "there, world\"}",
    "{\"type\":\"response.audio.delta\",\"item_id\":\"x\","
        "\"response_id\":\"y\"}",
    "{\"type\":\"response.audio.delta\",\"delta\":\"AAECAw==\"} x",
    "{\"type\":\"response.audio.delta\",\"delta\":\"AAECAw==\"",
    "[\"type\",\"response.audio.delta\",\"delta\",\"AAECAw==\"]",
    /* not JSON scalars */
    "{\"type\":\"response.audio.delta\",\"x\":nde0,\"delta\":\"AA==\"}",
    "{\"type\":\"response.audio.delta\",\"x\":01,\"delta\":\"AA==\"}",
    "{\"type\":\"response.audio.delta\",\"x\":1.,\"delta\":\"AA==\"}",
    /* non-ASCII (here invalid UTF-8) goes to the validating parser */
    "{\"type\":\"response.audio.delta\",\"item_id\":\"i\xff\","
        "\"delta\":\"AAECAw==\"}",
  };
  JsonParser *parser = json_parser_new_immutable ();
  guint i;

  for (i = 0; i < G_N_ELEMENTS (yes); i++) {
    GstVoiceLiveSpan d, it, r;
    GstVoiceLiveEvent ev;
    gchar *fast;

    fail_unless (gst_voice_live_parse_audio_delta (yes[i], strlen (yes[i]),
            &d, &it, &r), "refused %s", yes[i]);
    fail_unless (gst_voice_live_event_parse (&ev, parser, yes[i], -1, NULL));
    fail_unless_equals_int (ev.kind, GST_VOICE_LIVE_EVENT_AUDIO_DELTA);
    fast = g_strndup (d.str, d.len);
    fail_unless_equals_string (fast, ev.text);
    g_free (fast);
    if (ev.item_id) {
      fast = g_strndup (it.str, it.len);
      fail_unless_equals_string (fast, ev.item_id);
      g_free (fast);
    } else {
      fail_unless_equals_int (it.len, 0);
    }
    gst_voice_live_event_clear (&ev);
  }
  for (i = 0; i < G_N_ELEMENTS (no); i++) {
    GstVoiceLiveSpan d, it, r;

    fail_if (gst_voice_live_parse_audio_delta (no[i], strlen (no[i]), &d,
            &it, &r), "accepted %s", no[i]);
  }
  g_object_unref (parser);
}

GST_END_TEST;

static Suite *
protocol_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("protocol", 0, &tc);

  tcase_add_test (tc, test_append_frame_roundtrip);
  tcase_add_test (tc, test_base64_encode_matches_glib);
  tcase_add_test (tc, test_base64_strict);
  tcase_add_test (tc, test_parse_events);
  tcase_add_test (tc, test_parse_both_spellings);
  tcase_add_test (tc, test_parse_malformed);
  tcase_add_test (tc, test_build_url);
  tcase_add_test (tc, test_api_version_order);
  tcase_add_test (tc, test_build_url_loopback_only);
  tcase_add_test (tc, test_session_update_exact);
  tcase_add_test (tc, test_param_to_property);
  tcase_add_test (tc, test_validate_config);
  tcase_add_test (tc, test_audio_delta_fast_path);
  return s;
}

GST_CHECK_MAIN (protocol);
