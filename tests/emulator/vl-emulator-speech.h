/* gst-voicelive
 * voicelive-emulator: spoken response audio (--speak), synthesized with
 * libespeak-ng when the emulator was built with it (HAVE_ESPEAK_NG).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_EMULATOR_SPEECH_H__
#define __VL_EMULATOR_SPEECH_H__

#include <glib.h>

G_BEGIN_DECLS

/* Longest text spoken, in characters; a longer reply is spoken up to the
 * last word boundary before it. */
#define VL_EMU_SPEECH_MAX_CHARS 1000

/* TRUE when this build can speak (built with espeak-ng). */
gboolean vl_emu_speech_available (void);

/* Loads espeak-ng and its voice @voice (NULL: "en"). Call once, before the
 * main loop; FALSE with @error set when it cannot (or when this build has
 * no espeak-ng). */
gboolean vl_emu_speech_init (const gchar * voice, GError ** error);

/* @text spoken, as S16 samples at @rate Hz (resampled from espeak-ng's
 * 22050 Hz); *n_samples is their number (0 for a text with nothing to say).
 * Free the result with g_free(). Needs vl_emu_speech_init(). */
gint16 *vl_emu_speech_synth (const gchar * text, guint rate,
    guint64 * n_samples);

/* Releases espeak-ng (safe without vl_emu_speech_init). */
void vl_emu_speech_shutdown (void);

/* Converts @n_in S16 samples at @in_rate to @out_rate Hz with a windowed-sinc
 * low-pass interpolator (cut-off at the lower Nyquist frequency); *n_out is
 * n_in * out_rate / in_rate, rounded down. Free with g_free(). */
gint16 *vl_emu_resample (const gint16 * in, guint64 n_in, guint in_rate,
    guint out_rate, guint64 * n_out);

G_END_DECLS

#endif /* __VL_EMULATOR_SPEECH_H__ */
