/* gst-voicelive
 * voicelive-emulator: energy voice activity detector and G.711 decoders.
 *
 * Deliberately simple and deterministic: tests feed synthetic tones and
 * silence and must be able to predict every speech_started/stopped offset.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>

#include "vl-emulator-vad.h"

void
vl_emu_vad_reset (VlEmuVad * vad)
{
  vad->in_speech = FALSE;
  vad->voiced_frames = 0;
  vad->run_start_ms = 0;
  vad->silence_frames = 0;
  vad->speech_start_ms = 0;
}

static gboolean
frame_is_voiced (const VlEmuVadParams * p, const gint16 * frame, guint n)
{
  gdouble sum = 0.0;
  guint i;

  if (n == 0)
    return FALSE;
  for (i = 0; i < n; i++)
    sum += (gdouble) frame[i] * (gdouble) frame[i];
  /* Mapping of the service's 0..1 threshold onto plain energy: 0.5 (the
   * default) needs an RMS above 5 % of full scale. */
  return sqrt (sum / n) / 32768.0 > p->threshold * 0.1;
}

VlEmuVadEvent
vl_emu_vad_frame (VlEmuVad * vad, const VlEmuVadParams * p,
    const gint16 * frame, guint n_samples, gint64 frame_end_ms, gint64 * out_ms)
{
  gboolean voiced = frame_is_voiced (p, frame, n_samples);
  gint64 frame_start_ms = frame_end_ms - VL_EMU_VAD_FRAME_MS;

  if (!vad->in_speech) {
    gint64 needed;

    if (!voiced) {
      vad->voiced_frames = 0;
      return VL_EMU_VAD_NONE;
    }
    if (vad->voiced_frames == 0)
      vad->run_start_ms = frame_start_ms;
    vad->voiced_frames++;
    needed = p->speech_duration_ms > 0 ? p->speech_duration_ms : 1;
    if ((gint64) vad->voiced_frames * VL_EMU_VAD_FRAME_MS < needed)
      return VL_EMU_VAD_NONE;
    vad->in_speech = TRUE;
    vad->silence_frames = 0;
    vad->speech_start_ms = MAX (0, vad->run_start_ms - p->prefix_padding_ms);
    *out_ms = vad->speech_start_ms;
    return VL_EMU_VAD_STARTED;
  }

  if (voiced) {
    vad->silence_frames = 0;
    return VL_EMU_VAD_NONE;
  }
  vad->silence_frames++;
  if ((gint64) vad->silence_frames * VL_EMU_VAD_FRAME_MS <
      MAX (p->silence_duration_ms, 1))
    return VL_EMU_VAD_NONE;
  vad->in_speech = FALSE;
  vad->voiced_frames = 0;
  vad->silence_frames = 0;
  *out_ms = frame_end_ms;
  return VL_EMU_VAD_STOPPED;
}

/* ITU-T G.711 decoders (the reference algorithm). */
gint16
vl_emu_mulaw_to_linear (guint8 u)
{
  gint t;

  u = ~u;
  t = ((u & 0x0F) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return (gint16) ((u & 0x80) ? (0x84 - t) : (t - 0x84));
}

gint16
vl_emu_alaw_to_linear (guint8 a)
{
  gint t, seg;

  a ^= 0x55;
  t = (a & 0x0F) << 4;
  seg = (a & 0x70) >> 4;
  switch (seg) {
    case 0:
      t += 8;
      break;
    case 1:
      t += 0x108;
      break;
    default:
      t += 0x108;
      t <<= seg - 1;
      break;
  }
  return (gint16) ((a & 0x80) ? t : -t);
}
