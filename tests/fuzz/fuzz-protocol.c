/* gst-voicelive: libFuzzer target for the server event parser
 *
 * Feeds arbitrary bytes to the pure protocol layer, the code that handles
 * what the (untrusted) server sends:
 *  - gst_voice_live_event_parse() as one WebSocket text frame, with one
 *    JsonParser reused across inputs as the session does; an audio delta
 *    with a string delta then goes through gst_voice_live_base64_decode()
 *    into a buffer of the documented size (len * 3 / 4 + 3);
 *  - gst_voice_live_base64_decode() on the raw bytes;
 *  - gst_voice_live_param_to_property() on an error event's param;
 *  - gst_voice_live_build_url() on the bytes as a NUL-terminated string;
 *  - gst_voice_live_build_append() on the raw bytes, checking that the
 *    strict decoder gives the same bytes back.
 *
 * A GLib critical or warning aborts, so that the fuzzer reports it as a
 * crash (as GStreamer's ci/fuzzing targets do).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "fuzz-common.h"
#include "gstvoiceliveprotocol.h"

/* One parser for every input, as the session has (fuzz-common.c) */
static JsonParser *parser = NULL;

static void
init_once (void)
{
  parser = fuzz_common_init ("fuzz-protocol");
}

static guint8 *
b64_out_buffer (gsize len)
{
  /* The size gstvoiceliveprotocol.h documents, and not a byte more, so
   * that ASan catches a write past it. */
  return g_malloc (len * 3 / 4 + 3);
}

static void
fuzz_event (const uint8_t * data, size_t size)
{
  GstVoiceLiveEvent ev;
  GError *err = NULL;

  if (!gst_voice_live_event_parse (&ev, parser, (const gchar *) data,
          (gssize) size, &err)) {
    if (err == NULL) {
      g_printerr ("fuzz-protocol: parse failed without an error\n");
      abort ();
    }
    if (ev.root != NULL || ev.type != NULL) {
      g_printerr ("fuzz-protocol: failed parse left the event set\n");
      abort ();
    }
    g_error_free (err);
    return;
  }
  if (ev.type == NULL || ev.obj == NULL) {
    g_printerr ("fuzz-protocol: parsed event without type or object\n");
    abort ();
  }

  if (ev.kind == GST_VOICE_LIVE_EVENT_AUDIO_DELTA && ev.text != NULL) {
    gsize len = strlen (ev.text), out_len = 0;
    guint8 *out = b64_out_buffer (len);

    if (gst_voice_live_base64_decode (ev.text, len, out, &out_len)
        && out_len > len * 3 / 4) {
      g_printerr ("fuzz-protocol: decoded %" G_GSIZE_FORMAT " bytes from %"
          G_GSIZE_FORMAT " base64 characters\n", out_len, len);
      abort ();
    }
    g_free (out);
  }

  /* An error's param is mapped to the property it names. */
  if (ev.kind == GST_VOICE_LIVE_EVENT_ERROR)
    (void) gst_voice_live_param_to_property (ev.error_param);

  /* Touch every string field, so that ASan sees a dangling one. */
  {
    const gchar *fields[] = { ev.type, ev.event_id, ev.item_id,
      ev.response_id, ev.call_id, ev.name, ev.text, ev.session_id, ev.status,
      ev.reason, ev.error_type, ev.error_code, ev.error_message,
      ev.error_param, ev.error_event_id
    };
    gsize total = 0;
    guint i;

    for (i = 0; i < G_N_ELEMENTS (fields); i++)
      if (fields[i])
        total += strlen (fields[i]);
    (void) total;
  }
  gst_voice_live_event_clear (&ev);
}

static void
fuzz_base64 (const uint8_t * data, size_t size)
{
  guint8 *out = b64_out_buffer (size);
  gsize out_len = 0;

  if (gst_voice_live_base64_decode ((const gchar *) data, size, out, &out_len)
      && out_len > size * 3 / 4) {
    g_printerr ("fuzz-protocol: base64 decode overran its output\n");
    abort ();
  }
  g_free (out);
}

static void
fuzz_append_roundtrip (const uint8_t * data, size_t size)
{
  static const gchar prefix[] =
      "{\"type\":\"input_audio_buffer.append\",\"audio\":\"";
  GString *frame = g_string_new (NULL);
  const gchar *b64;
  gsize b64_len, out_len = 0;
  guint8 *out;

  gst_voice_live_build_append (frame, data, size);
  if (!g_str_has_prefix (frame->str, prefix)
      || !g_str_has_suffix (frame->str, "\"}")) {
    g_printerr ("fuzz-protocol: bad append frame\n");
    abort ();
  }
  b64 = frame->str + sizeof (prefix) - 1;
  b64_len = frame->len - (sizeof (prefix) - 1) - 2;
  out = b64_out_buffer (b64_len);
  if (!gst_voice_live_base64_decode (b64, b64_len, out, &out_len)
      || out_len != size || (size > 0 && memcmp (out, data, size) != 0)) {
    g_printerr ("fuzz-protocol: append frame does not decode back to the "
        "%" G_GSIZE_FORMAT " input bytes\n", size);
    abort ();
  }
  g_free (out);
  g_string_free (frame, TRUE);
}

static void
fuzz_url (const uint8_t * data, size_t size)
{
  gchar *endpoint = g_strndup ((const gchar *) data, size);
  GError *err = NULL;
  gboolean beta = TRUE;
  gchar *url;

  /* Odd sizes take the agent path, which replaces the model parameter. */
  url = gst_voice_live_build_url (endpoint, "2025-10-01", "gpt-realtime",
      (size & 1) ? "my-agent" : NULL, (size & 1) ? "my-project" : NULL,
      &beta, &err);
  if ((url == NULL) == (err == NULL)) {
    g_printerr ("fuzz-protocol: build_url returned %s with %s error\n",
        url ? "a URL" : "NULL", err ? "an" : "no");
    abort ();
  }
  g_free (url);
  g_free (endpoint);
  g_clear_error (&err);
}

/* The audio delta fast path must agree with the full parser on every input
 * it accepts. */
static void
fuzz_delta_fast_path (const uint8_t * data, size_t size)
{
  GstVoiceLiveSpan d, it, r;
  GstVoiceLiveEvent ev;

  if (!gst_voice_live_parse_audio_delta ((const gchar *) data, size, &d, &it,
          &r))
    return;
  if (d.str < (const gchar *) data || d.str + d.len > (const gchar *) data
      + size)
    abort ();
  if (!gst_voice_live_event_parse (&ev, parser, (const gchar *) data, size,
          NULL) || ev.kind != GST_VOICE_LIVE_EVENT_AUDIO_DELTA || !ev.text
      || strlen (ev.text) != d.len || memcmp (ev.text, d.str, d.len) != 0) {
    g_printerr ("fuzz-protocol: the audio delta fast path disagrees with "
        "the parser\n");
    abort ();
  }
  gst_voice_live_event_clear (&ev);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  init_once ();

  fuzz_event (data, size);
  fuzz_delta_fast_path (data, size);
  fuzz_base64 (data, size);
  fuzz_append_roundtrip (data, size);
  fuzz_url (data, size);
  return 0;
}
