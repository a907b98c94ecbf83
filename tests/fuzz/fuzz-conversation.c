/* gst-voicelive: libFuzzer target for the conversation state machine
 *
 * Drives gstvoiceliveconversation.c (pure: no sockets, no elements) with
 * arbitrary sequences of server events and client requests, the way the
 * session does:
 *  - an input starting with '{' is JSON lines: each line is one server
 *    frame, parsed by gst_voice_live_event_parse() and handed over;
 *  - any other input is a program in a small grammar, two bytes a step:
 *    an op (an event kind, or a request: response.create, function result,
 *    barge-in, lost connection, session.update, new settings, new run)
 *    and an argument choosing ids, statuses and error codes from small
 *    pools, so that sequences meet (the same response, call and event ids
 *    come back). Events are written as JSON and parsed, as on the wire.
 * After each step the invariants hold: no response.create while a
 * response is active or awaited or a function call waits; counters never
 * below zero; the history bounded; every frame to send is a JSON object
 * with a "type". A GLib critical or warning aborts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "fuzz-common.h"
#include "gstvoiceliveconversation.h"

#define CHECK(cond) G_STMT_START { \
  if (!(cond)) { \
    g_printerr ("fuzz-conversation: %s:%d: %s\n", __FILE__, __LINE__, \
        #cond); \
    abort (); \
  } \
} G_STMT_END

/* One parser for every input, as the session has (fuzz-common.c) */
static JsonParser *parser = NULL;

static void
init_once (void)
{
  parser = fuzz_common_init ("fuzz-conversation");
}

/* A frame the conversation asks to send: one JSON object with a type. */
static void
check_frame (gchar * frame)
{
  GstVoiceLiveEvent ev;
  GError *err = NULL;

  if (!frame)
    return;
  CHECK (gst_voice_live_event_parse (&ev, parser, frame, -1, &err));
  CHECK (ev.type != NULL);
  gst_voice_live_event_clear (&ev);
  g_free (frame);
}

static void
check_invariants (GstVoiceLiveConversation * conv)
{
  CHECK (conv->updates_outstanding >= 0);
  CHECK (conv->history.length <= GST_VOICE_LIVE_MAX_HISTORY);
  CHECK (gst_voice_live_conversation_settled (conv) ==
      (conv->updates_outstanding == 0 && !conv->speech_active
          && !conv->response_active && !conv->awaiting_response
          && !conv->response_wanted));
}

/* Hand one server frame to the conversation, as the session does. */
static void
feed_frame (GstVoiceLiveConversation * conv, const gchar * data, gssize len,
    gint64 now)
{
  GstVoiceLiveEvent ev;
  GstVoiceLiveConvResult r;
  GError *err = NULL;
  gboolean gate_closed;

  if (!gst_voice_live_event_parse (&ev, parser, data, len, &err)) {
    g_clear_error (&err);
    return;
  }
  gst_voice_live_conversation_handle_event (conv, &ev, TRUE, now, &r);
  gate_closed = conv->response_active || g_hash_table_size
      (conv->pending_calls) > 0;
  if (r.send) {
    CHECK (!gate_closed);
    CHECK (conv->awaiting_response && !conv->response_wanted);
  }
  CHECK (!(r.actions & GST_VOICE_LIVE_CONV_INTERRUPT)
      || ev.kind == GST_VOICE_LIVE_EVENT_SPEECH_STARTED);
  check_frame (r.send);
  gst_voice_live_event_clear (&ev);
}

static const gchar *const statuses[] = {
  "completed", "cancelled", "incomplete", "failed", "in_progress", ""
};

static const gchar *const error_codes[] = {
  "conversation_already_has_active_response", "response_cancel_not_active",
  "input_audio_buffer_commit_empty", "invalid_value", "rate_limited", ""
};

/* The event_id an error answers: ours (update or response), another, or
 * none (null). */
static gchar *
error_event_id (guint8 arg, GstVoiceLiveConversation * conv)
{
  switch (arg % 5) {
    case 0:
      return g_strdup ("null");
    case 1:
      return g_strdup_printf ("\"vl-update-%u\"", conv->update_seq);
    case 2:
      return g_strdup_printf ("\"vl-response-%u\"", conv->response_seq);
    case 3:
      return g_strdup ("\"evt_other\"");
    default:
      return g_strdup ("\"vl-response\"");
  }
}

/* A server event of kind @op (0..12) with ids from @arg, as JSON. */
static gchar *
event_json (guint8 op, guint8 arg, GstVoiceLiveConversation * conv)
{
  guint id = arg & 3;
  const gchar *text = (arg & 4) ? "" : "words";

  switch (op) {
    case 0:
      return g_strdup ("{\"type\":\"session.updated\",\"session\":{}}");
    case 1:
    case 2:
    case 3:{
      /* the input buffer's events on the user's item */
      static const gchar *const types[] = { "speech_started",
        "speech_stopped", "committed"
      };

      return g_strdup_printf ("{\"type\":\"input_audio_buffer.%s\","
          "\"item_id\":\"u%u\"}", types[op - 1], id);
    }
    case 4:
      return g_strdup_printf ("{\"type\":\"response.created\",\"response\":"
          "{\"id\":\"r%u\"}}", id);
    case 5:
      return g_strdup_printf ("{\"type\":\"response.done\",\"response\":"
          "{\"id\":\"r%u\",\"status\":\"%s\"}}", id,
          statuses[(arg >> 2) % G_N_ELEMENTS (statuses)]);
    case 6:
      return g_strdup_printf ("{\"type\":\"conversation.item.input_audio_"
          "transcription.completed\",\"item_id\":\"u%u\",\"transcript\":"
          "\"%s\"}", id, text);
    case 7:
      return g_strdup_printf ("{\"type\":\"response.audio_transcript.done\","
          "\"item_id\":\"a%u\",\"transcript\":\"%s\"}", id, text);
    case 8:
      return g_strdup_printf ("{\"type\":\"response.text.done\",\"item_id\":"
          "\"a%u\",\"text\":\"%s\"}", id, text);
    case 9:
      return g_strdup_printf ("{\"type\":\"response.audio.done\",\"item_id\":"
          "\"a%u\"}", id);
    case 10:
      return g_strdup_printf ("{\"type\":\"response.function_call_arguments."
          "done\",\"call_id\":\"c%u\",\"name\":\"f\",\"arguments\":\"{}\"}",
          id);
    default:{
      gchar *eid = error_event_id (arg, conv);
      gchar *json = g_strdup_printf ("{\"type\":\"error\",\"error\":{\"code\":"
          "\"%s\",\"event_id\":%s}}",
          error_codes[(arg >> 3) % G_N_ELEMENTS (error_codes)], eid);

      g_free (eid);
      return json;
    }
  }
}

/* A client request or a change of settings (op 12..19). */
static void
client_step (GstVoiceLiveConversation * conv, guint8 op, guint8 arg)
{
  gchar *a = NULL, *b = NULL, *call;
  GstVoiceLiveConfig cfg;

  switch (op) {
    case 12:
      gst_voice_live_conversation_request_response (conv,
          (arg & 1) ? "be brief" : NULL);
      /* the session tries the gate at once */
      check_frame (gst_voice_live_conversation_take_response_create (conv,
              !(arg & 2)));
      break;
    case 13:
      check_frame (gst_voice_live_conversation_take_response_create (conv,
              !(arg & 2)));
      break;
    case 14:
      call = g_strdup_printf ("c%u", arg & 3);
      if (gst_voice_live_conversation_function_result (conv, call))
        CHECK (conv->response_wanted);
      g_free (call);
      break;
    case 15:
      gst_voice_live_conversation_interrupt (conv, (arg & 1) ? "a1" : NULL,
          arg, arg & 2, &a, &b);
      CHECK (b == NULL || conv->response_active);
      check_frame (a);
      check_frame (b);
      break;
    case 16:
      gst_voice_live_conversation_connection_lost (conv);
      CHECK (gst_voice_live_conversation_settled (conv));
      break;
    case 17:
      g_free (gst_voice_live_conversation_next_update_id (conv));
      CHECK (conv->updates_outstanding > 0);
      break;
    case 18:
      gst_voice_live_config_init (&cfg);
      cfg.set = (arg & 1 ? GST_VOICE_LIVE_FIELD_TURN_TYPE : 0)
          | (arg & 2 ? GST_VOICE_LIVE_FIELD_CREATE_RESPONSE : 0)
          | (arg & 4 ? GST_VOICE_LIVE_FIELD_AUTO_TRUNCATE : 0);
      cfg.turn_detection = GST_VOICE_LIVE_TURN_DETECTION_NONE;
      cfg.create_response = (arg & 8) != 0;
      cfg.auto_truncate = (arg & 16) != 0;
      gst_voice_live_conversation_configure (conv, &cfg);
      gst_voice_live_config_clear (&cfg);
      break;
    default:
      if (arg & 1) {
        gst_voice_live_conversation_audio_queued (conv);
      } else {
        GList *frames = gst_voice_live_conversation_restore_frames (conv,
            arg & 4 ? GST_VOICE_LIVE_DIALECT_OPENAI :
            GST_VOICE_LIVE_DIALECT_VOICE_LIVE);

        CHECK (g_list_length (frames) == conv->history.length);
        g_list_free_full (frames, (GDestroyNotify) check_frame);
        if (arg & 2) {
          gst_voice_live_conversation_reset (conv);
          CHECK (gst_voice_live_conversation_settled (conv));
        }
      }
      break;
  }
}

static void
run_grammar (GstVoiceLiveConversation * conv, const uint8_t * data, size_t size)
{
  size_t i;
  gint64 now = 1;

  for (i = 0; i + 1 < size; i += 2) {
    guint8 op = data[i] % 20, arg = data[i + 1];

    now += 1000;
    if (op < 12) {
      gchar *json = event_json (op, arg, conv);

      feed_frame (conv, json, -1, now);
      g_free (json);
    } else {
      client_step (conv, op, arg);
    }
    check_invariants (conv);
  }
}

static void
run_json_lines (GstVoiceLiveConversation * conv, const uint8_t * data,
    size_t size)
{
  const gchar *p = (const gchar *) data, *end = p + size;
  gint64 now = 1;

  while (p < end) {
    const gchar *nl = memchr (p, '\n', end - p);
    const gchar *line_end = nl ? nl : end;

    now += 1000;
    feed_frame (conv, p, line_end - p, now);
    check_invariants (conv);
    p = nl ? nl + 1 : end;
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GstVoiceLiveConversation conv;

  init_once ();
  gst_voice_live_conversation_init (&conv);
  if (size > 0 && data[0] == '{')
    run_json_lines (&conv, data, size);
  else
    run_grammar (&conv, data, size);
  gst_voice_live_conversation_clear (&conv);
  return 0;
}
