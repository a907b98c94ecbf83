/* gst-voicelive
 * Deterministic audio shared by the emulator and the tests.
 *
 * The emulator's response audio is a pure function of (seed, n): seed is the
 * 1-based number of the response on its connection, n the 0-based sample index
 * within that response's audio item. Tests recompute it to verify the output
 * sample by sample: a dropped, duplicated or reordered sample shows, because
 * the low-amplitude hash part never repeats.
 *
 * Header-only, integer arithmetic only, so every compiler gives the same bits.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_EMULATOR_AUDIO_H__
#define __VL_EMULATOR_AUDIO_H__

#include <glib.h>

/* Sample n of response 'seed' at 'rate' Hz: a triangle tone whose pitch
 * depends on the seed (audible in the demo), plus a +-255 hash part. */
static inline gint16
vl_emu_sample (guint32 seed, guint64 n, guint32 rate)
{
  guint32 period = rate / (200 + 40 * (seed % 8));       /* 200..480 Hz */
  guint32 phase = (guint32) (n % period);
  gint32 half = (gint32) period / 2;
  gint32 tri;                   /* -8000 .. 8000 */
  guint32 h;

  if ((gint32) phase < half)
    tri = -8000 + (gint32) ((16000 * (gint64) phase) / half);
  else
    tri = 8000 - (gint32) ((16000 * (gint64) (phase - half)) / half);

  h = (guint32) (n * 2654435761u) ^ (seed * 40503u);
  h ^= h >> 15;
  h *= 2246822519u;
  h ^= h >> 13;

  return (gint16) (tri + (gint32) (h & 0x1ff) - 256);
}

/* ITU-T G.711 mu-law encoder (the reference algorithm, as in Sun's g711.c). */
static inline guint8
vl_emu_linear_to_mulaw (gint16 pcm)
{
  static const gint16 seg_uend[8] =
      { 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF };
  gint val = pcm >> 2;
  gint mask, seg;

  if (val < 0) {
    val = -val;
    mask = 0x7F;
  } else {
    mask = 0xFF;
  }
  if (val > 8159)
    val = 8159;
  val += 0x84 >> 2;
  for (seg = 0; seg < 8; seg++)
    if (val <= seg_uend[seg])
      break;
  if (seg >= 8)
    return (guint8) (0x7F ^ mask);
  return (guint8) ((((seg << 4) | ((val >> (seg + 1)) & 0xF))) ^ mask);
}

/* ITU-T G.711 A-law encoder (the reference algorithm). */
static inline guint8
vl_emu_linear_to_alaw (gint16 pcm)
{
  static const gint16 seg_aend[8] =
      { 0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF };
  gint val = pcm >> 3;
  gint mask, seg;
  guint8 aval;

  if (val >= 0) {
    mask = 0xD5;
  } else {
    mask = 0x55;
    val = -val - 1;
  }
  for (seg = 0; seg < 8; seg++)
    if (val <= seg_aend[seg])
      break;
  if (seg >= 8)
    return (guint8) (0x7F ^ mask);
  aval = (guint8) (seg << 4);
  if (seg < 2)
    aval |= (val >> 1) & 0xF;
  else
    aval |= (val >> seg) & 0xF;
  return (guint8) (aval ^ mask);
}

/* Milliseconds of each successive audio delta (cycled): not multiples of the
 * client's buffer size, so re-chunking bugs show. */
static const guint vl_emu_delta_ms[] = { 47, 113, 71, 160, 23, 95 };

#define VL_EMU_N_DELTA_SIZES G_N_ELEMENTS (vl_emu_delta_ms)

#endif /* __VL_EMULATOR_AUDIO_H__ */
