/* gst-voicelive
 * voicelive-emulator: energy voice activity detector and G.711 decoders.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_EMULATOR_VAD_H__
#define __VL_EMULATOR_VAD_H__

#include <glib.h>

G_BEGIN_DECLS

#define VL_EMU_VAD_FRAME_MS 10

/* Taken from the session's turn_detection at each frame. */
typedef struct
{
  gdouble threshold;            /* 0..1; a frame is voiced when
                                 * RMS/32768 > threshold * 0.1 */
  gint64 prefix_padding_ms;
  gint64 silence_duration_ms;
  gint64 speech_duration_ms;    /* <= 0: the first voiced frame starts */
} VlEmuVadParams;

typedef struct
{
  gboolean in_speech;
  guint voiced_frames;          /* length of the current voiced run */
  gint64 run_start_ms;          /* where that run began */
  guint silence_frames;         /* length of the silence run in speech */
  gint64 speech_start_ms;       /* reported audio_start_ms */
} VlEmuVad;

typedef enum
{
  VL_EMU_VAD_NONE,
  VL_EMU_VAD_STARTED,           /* *out_ms = audio_start_ms */
  VL_EMU_VAD_STOPPED            /* *out_ms = audio_end_ms */
} VlEmuVadEvent;

void vl_emu_vad_reset (VlEmuVad * vad);

/* Feeds one 10 ms frame that ends at @frame_end_ms of the input stream. */
VlEmuVadEvent vl_emu_vad_frame (VlEmuVad * vad, const VlEmuVadParams * p,
    const gint16 * frame, guint n_samples, gint64 frame_end_ms,
    gint64 * out_ms);

gint16 vl_emu_mulaw_to_linear (guint8 u);
gint16 vl_emu_alaw_to_linear (guint8 a);

G_END_DECLS

#endif /* __VL_EMULATOR_VAD_H__ */
