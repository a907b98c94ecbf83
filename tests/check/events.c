/* gst-voicelive: the event -> message table (gstvoiceliveevents.c) against
 * docs/messages.md, one synthetic event of every kind, no network.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include "vltest.h"
#include "gstvoiceliveevents.h"

static void
fill_event (GstVoiceLiveEvent * ev, GstVoiceLiveEventKind kind)
{
  memset (ev, 0, sizeof (*ev));
  ev->kind = kind;
  ev->type = "some.event";
  ev->event_id = "event_1";
  ev->item_id = "item_1";
  ev->response_id = "resp_1";
  ev->call_id = "call_1";
  ev->name = "lookup";
  ev->text = "hello";
  ev->session_id = "sess_1";
  ev->status = "completed";
  ev->reason = "turn_detected";
  ev->audio_start_ms = 120;
  ev->audio_end_ms = 980;
  ev->input_tokens = 10;
  ev->output_tokens = 20;
  ev->total_tokens = 30;
}

/* Every kind posts a documented message with exactly the documented
 * fields and types (the session adds session-name when it posts). */
GST_START_TEST (test_every_kind_matches_docs)
{
  GstVoiceLiveEventKind kind;
  guint n_named = 0;

  for (kind = GST_VOICE_LIVE_EVENT_OTHER;
      kind <= GST_VOICE_LIVE_EVENT_FUNCTION_CALL_DONE; kind++) {
    GstVoiceLiveEvent ev;
    GstStructure *s;

    fill_event (&ev, kind);
    s = gst_voice_live_event_to_message (&ev, "{}");
    if (kind == GST_VOICE_LIVE_EVENT_AUDIO_DELTA
        || kind == GST_VOICE_LIVE_EVENT_ERROR) {
      /* audio goes to the src; an error without a benign code is a warning */
      fail_unless (s == NULL, "kind %d posted %" GST_PTR_FORMAT, kind, s);
      continue;
    }
    fail_unless (s != NULL, "kind %d posts nothing", kind);
    gst_structure_set (s, "session-name", G_TYPE_STRING, "s", NULL);
    vl_docs_check_message (s);
    if (!gst_structure_has_name (s, "voicelive/server-event"))
      n_named++;
    fail_unless_equals_string (gst_structure_get_string (s, "event-type"),
        "some.event");
    gst_structure_free (s);
  }
  /* every kind but OTHER, AUDIO_DELTA, AUDIO_DONE and ERROR has a name */
  fail_unless_equals_int (n_named, GST_VOICE_LIVE_EVENT_FUNCTION_CALL_DONE - 3);
}

GST_END_TEST;

/* Missing text fields are "" (a NULL string would break bindings that
 * read them), ids stay NULL; final follows the kind. */
GST_START_TEST (test_missing_fields)
{
  GstVoiceLiveEvent ev;
  GstStructure *s;
  gboolean final = FALSE;

  memset (&ev, 0, sizeof (ev));
  ev.kind = GST_VOICE_LIVE_EVENT_INPUT_TRANSCRIPT_DONE;
  ev.type = "conversation.item.input_audio_transcription.completed";
  s = gst_voice_live_event_to_message (&ev, "{}");
  fail_unless_equals_string (gst_structure_get_string (s, "transcript"), "");
  fail_unless (gst_structure_get_string (s, "item-id") == NULL);
  fail_unless (gst_structure_get_boolean (s, "final", &final) && final);
  gst_structure_free (s);

  ev.kind = GST_VOICE_LIVE_EVENT_RESPONSE_DONE;
  s = gst_voice_live_event_to_message (&ev, "{}");
  fail_unless_equals_string (gst_structure_get_string (s, "status"), "");
  fail_unless_equals_string (gst_structure_get_string (s, "reason"), "");
  gst_structure_free (s);
}

GST_END_TEST;

/* Benign races are server events; other errors are warnings whose text
 * names the property at fault. */
GST_START_TEST (test_errors)
{
  GstVoiceLiveEvent ev;
  GstStructure *s;
  gchar *text = NULL, *debug = NULL;

  memset (&ev, 0, sizeof (ev));
  ev.kind = GST_VOICE_LIVE_EVENT_ERROR;
  ev.type = "error";
  ev.error_code = "response_cancel_not_active";
  fail_if (gst_voice_live_event_is_warning (&ev));
  s = gst_voice_live_event_to_message (&ev, "{\"type\":\"error\"}");
  fail_unless (gst_structure_has_name (s, "voicelive/server-event"));
  gst_structure_free (s);

  ev.error_code = "invalid_value";
  ev.error_message = "bad voice";
  ev.error_param = "session.voice.name";
  fail_unless (gst_voice_live_event_is_warning (&ev));
  s = gst_voice_live_event_to_warning (&ev, "{}", "agent", &text, &debug);
  fail_unless (gst_structure_has_name (s, "voicelive/error"));
  fail_unless_equals_string (gst_structure_get_string (s, "code"),
      "invalid_value");
  fail_unless_equals_string (gst_structure_get_string (s, "event-id"), "");
  fail_unless_equals_string (gst_structure_get_string (s, "session-name"),
      "agent");
  fail_unless (strstr (text, "bad voice [invalid_value]") != NULL, "%s", text);
  fail_unless (strstr (debug, "session.voice.name") != NULL, "%s", debug);
  if (gst_structure_has_field (s, "property"))
    fail_unless (strstr (text, "about property '") != NULL, "%s", text);
  gst_structure_free (s);
  g_free (text);
  g_free (debug);
}

GST_END_TEST;

static Suite *
events_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("events", 0, &tc);

  tcase_add_test (tc, test_every_kind_matches_docs);
  tcase_add_test (tc, test_missing_fields);
  tcase_add_test (tc, test_errors);
  return s;
}

GST_CHECK_MAIN (events);
