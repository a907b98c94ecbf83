/* gst-voicelive
 * voicelive-emulator: event names of the dialect spoken (a GA path, or
 * --dialect ga on any path).
 *
 * Voice Live speaks the OpenAI beta names; OpenAI GA and Azure OpenAI's
 * /openai/v1/realtime rename the output events (protocol.md §10).
 * conversation.item.created becomes conversation.item.added plus
 * conversation.item.done; vl-emulator-conn.c sends that pair.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "vl-emulator-dialect.h"

static const struct
{
  const gchar *beta;
  const gchar *ga;
} renames[] = {
  {"response.audio.delta", "response.output_audio.delta"},
  {"response.audio.done", "response.output_audio.done"},
  {"response.audio_transcript.delta", "response.output_audio_transcript.delta"},
  {"response.audio_transcript.done", "response.output_audio_transcript.done"},
  {"response.text.delta", "response.output_text.delta"},
  {"response.text.done", "response.output_text.done"},
  {"conversation.item.created", "conversation.item.added"},
};

const gchar *
vl_emu_dialect_type (VlEmuConn * conn, const gchar * beta_type)
{
  guint i;

  if (!conn->ga)
    return beta_type;
  for (i = 0; i < G_N_ELEMENTS (renames); i++)
    if (g_str_equal (renames[i].beta, beta_type))
      return renames[i].ga;
  return beta_type;
}

const gchar *
vl_emu_dialect_part_type (VlEmuConn * conn, gboolean audio)
{
  if (conn->ga)
    return audio ? "output_audio" : "output_text";
  return audio ? "audio" : "text";
}
