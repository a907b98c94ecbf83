/* gst-voicelive
 * voicelive-emulator: spoken response audio (--speak).
 *
 * With --speak, each response's audio is its reply text spoken by
 * libespeak-ng instead of the deterministic vl_emu_sample() signal. espeak-ng
 * runs in synchronous mode (the synth callback is called from within
 * espeak_ng_Synthesize, on the calling thread), so a response's whole speech
 * is made at once when it starts, then cut into the usual deltas. espeak-ng
 * has global state: it is initialised once, and only the main loop's thread
 * ever calls it.
 *
 * espeak-ng speaks at 22050 Hz; the session's output rate (24000, 16000 or
 * 8000 Hz) is reached with a windowed-sinc interpolator.
 *
 * Without espeak-ng at build time (no HAVE_ESPEAK_NG), only the resampler is
 * compiled and vl_emu_speech_init() fails.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <string.h>
#include <gio/gio.h>

#include "vl-emulator-speech.h"

#ifdef HAVE_ESPEAK_NG
#include <espeak-ng/speak_lib.h>
#include <espeak-ng/espeak_ng.h>
#endif

/* Zero crossings of the sinc on each side of the centre, and the cut-off as
 * a fraction of the lower Nyquist frequency. */
#define SINC_ZEROS 16
#define CUTOFF 0.95
/* Above this many distinct fractional positions, weights are computed per
 * sample instead of from a table (only for unusual rate pairs). */
#define MAX_PHASES 4096

static gdouble
sinc_weight (gdouble x, gdouble fc, gdouble half)
{
  gdouble a, w;

  if (fabs (x) >= half)
    return 0.0;
  /* Blackman window over [-half, half]. */
  a = G_PI * x / half;
  w = 0.42 + 0.5 * cos (a) + 0.08 * cos (2.0 * a);
  if (fabs (x) < 1e-12)
    return fc * w;
  return fc * sin (G_PI * fc * x) / (G_PI * fc * x) * w;
}

/* Weights of input samples i0 - taps/2 + 1 .. i0 + taps/2 for an output at
 * i0 + frac, normalised so that a constant signal stays constant. */
static void
fill_weights (gdouble * w, guint taps, gdouble frac, gdouble fc, gdouble half)
{
  gdouble sum = 0.0;
  guint k;

  for (k = 0; k < taps; k++) {
    gdouble x = (gdouble) k - (gdouble) (taps / 2 - 1) - frac;

    w[k] = sinc_weight (x, fc, half);
    sum += w[k];
  }
  for (k = 0; k < taps && sum != 0.0; k++)
    w[k] /= sum;
}

static guint
gcd (guint a, guint b)
{
  while (b) {
    guint t = a % b;

    a = b;
    b = t;
  }
  return a;
}

gint16 *
vl_emu_resample (const gint16 * in, guint64 n_in, guint in_rate,
    guint out_rate, guint64 * n_out)
{
  gdouble fc = CUTOFF * MIN (1.0, (gdouble) out_rate / in_rate);
  gdouble half = SINC_ZEROS / fc;
  guint taps = 2 * (guint) ceil (half);
  guint g = gcd (in_rate, out_rate);
  guint phases = out_rate / g;
  gboolean table = phases <= MAX_PHASES;
  gdouble *weights;
  gint16 *out;
  guint64 j, n;

  g_return_val_if_fail (in_rate > 0 && out_rate > 0, NULL);

  n = n_in * out_rate / in_rate;
  *n_out = n;
  out = g_new (gint16, MAX (n, 1));
  if (in_rate == out_rate) {
    if (n_in)
      memcpy (out, in, n_in * sizeof (gint16));
    return out;
  }

  /* Output j lies at input position j * in_rate / out_rate: integer part
   * i0, fraction p / out_rate, where p is a multiple of g. */
  weights = g_new (gdouble, (gsize) (table ? phases : 1) * taps);
  if (table)
    for (j = 0; j < phases; j++)
      fill_weights (weights + j * taps, taps, (gdouble) (j * g) / out_rate,
          fc, half);

  for (j = 0; j < n; j++) {
    guint64 pos = j * in_rate;
    guint64 i0 = pos / out_rate;
    guint64 p = pos % out_rate;
    const gdouble *w = weights;
    gint64 first = (gint64) i0 - (gint64) (taps / 2 - 1);
    gdouble acc = 0.0;
    guint k;

    if (table)
      w = weights + (p / g) * taps;
    else
      fill_weights (weights, taps, (gdouble) p / out_rate, fc, half);
    for (k = 0; k < taps; k++) {
      gint64 i = first + k;

      if (i >= 0 && (guint64) i < n_in)
        acc += w[k] * in[i];
    }
    acc = floor (acc + 0.5);
    out[j] = (gint16) CLAMP (acc, -32768.0, 32767.0);
  }
  g_free (weights);
  return out;
}

#ifdef HAVE_ESPEAK_NG

static gboolean initialized;
static guint espeak_rate;

/* The last synthesis, reused when the same text is spoken at the same rate
 * again (several audio items of one response, or a fixed --reply-text). */
static struct
{
  gchar *text;
  guint rate;
  gint16 *samples;
  guint64 n;
} cache;

static int
synth_cb (short *wav, int numsamples, espeak_EVENT * events)
{
  GArray *pcm = events ? events->user_data : NULL;

  if (pcm && wav && numsamples > 0)
    g_array_append_vals (pcm, wav, (guint) numsamples);
  return 0;                     /* go on */
}

static gchar *
status_text (espeak_ng_STATUS status)
{
  gchar buf[512];

  buf[0] = '\0';
  espeak_ng_GetStatusCodeMessage (status, buf, sizeof (buf));
  return g_strdup (buf[0] ? buf : "unknown error");
}

gboolean
vl_emu_speech_available (void)
{
  return TRUE;
}

gboolean
vl_emu_speech_init (const gchar * voice, GError ** error)
{
  espeak_ng_ERROR_CONTEXT ctx = NULL;
  espeak_ng_STATUS st;
  gchar *msg;

  if (initialized)
    return TRUE;
  if (!voice)
    voice = "en";

  espeak_ng_InitializePath (NULL);
  st = espeak_ng_Initialize (&ctx);
  espeak_ng_ClearErrorContext (&ctx);
  if (st != ENS_OK) {
    msg = status_text (st);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "--speak: cannot initialise espeak-ng: %s (is espeak-ng-data "
        "installed?)", msg);
    g_free (msg);
    return FALSE;
  }
  st = espeak_ng_InitializeOutput (ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL);
  if (st == ENS_OK)
    st = espeak_ng_SetVoiceByName (voice);
  if (st != ENS_OK) {
    msg = status_text (st);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "--speak: espeak-ng voice \"%s\": %s", voice, msg);
    g_free (msg);
    espeak_ng_Terminate ();
    return FALSE;
  }
  espeak_SetSynthCallback (synth_cb);
  espeak_rate = (guint) espeak_ng_GetSampleRate ();
  if (espeak_rate == 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "--speak: espeak-ng reports no sample rate");
    espeak_ng_Terminate ();
    return FALSE;
  }
  initialized = TRUE;
  return TRUE;
}

/* At most VL_EMU_SPEECH_MAX_CHARS characters, cut after a whole word. */
static gchar *
bounded_text (const gchar * text)
{
  const gchar *end, *p;

  if (g_utf8_strlen (text, -1) <= VL_EMU_SPEECH_MAX_CHARS)
    return g_strdup (text);
  end = g_utf8_offset_to_pointer (text, VL_EMU_SPEECH_MAX_CHARS);
  for (p = end; p > text && !g_ascii_isspace (*p); p--);
  if (p == text)
    p = end;
  return g_strndup (text, (gsize) (p - text));
}

gint16 *
vl_emu_speech_synth (const gchar * text, guint rate, guint64 * n_samples)
{
  GArray *pcm;
  gchar *said;
  espeak_ng_STATUS st;
  gint16 *out;

  g_return_val_if_fail (initialized, NULL);

  said = bounded_text (text ? text : "");
  if (cache.text && cache.rate == rate && g_str_equal (cache.text, said)) {
    g_free (said);
    *n_samples = cache.n;
    return g_memdup2 (cache.samples, MAX (cache.n, 1) * sizeof (gint16));
  }

  pcm = g_array_new (FALSE, FALSE, sizeof (gint16));
  st = espeak_ng_Synthesize (said, strlen (said) + 1, 0, POS_CHARACTER, 0,
      espeakCHARS_UTF8, NULL, pcm);
  if (st != ENS_OK) {
    gchar *msg = status_text (st);

    g_printerr ("voicelive-emulator: espeak-ng could not speak the reply: "
        "%s\n", msg);
    g_free (msg);
    g_array_set_size (pcm, 0);
  }
  out = vl_emu_resample ((const gint16 *) pcm->data, pcm->len, espeak_rate,
      rate, n_samples);
  g_array_free (pcm, TRUE);

  g_free (cache.text);
  g_free (cache.samples);
  cache.text = said;
  cache.rate = rate;
  cache.n = *n_samples;
  cache.samples = g_memdup2 (out, MAX (*n_samples, 1) * sizeof (gint16));
  return out;
}

void
vl_emu_speech_shutdown (void)
{
  g_clear_pointer (&cache.text, g_free);
  g_clear_pointer (&cache.samples, g_free);
  if (initialized)
    espeak_ng_Terminate ();
  initialized = FALSE;
}

#else /* !HAVE_ESPEAK_NG */

gboolean
vl_emu_speech_available (void)
{
  return FALSE;
}

gboolean
vl_emu_speech_init (const gchar * voice, GError ** error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
      "--speak: this voicelive-emulator was built without espeak-ng; "
      "install libespeak-ng-dev (Debian) and reconfigure the build");
  return FALSE;
}

gint16 *
vl_emu_speech_synth (const gchar * text, guint rate, guint64 * n_samples)
{
  *n_samples = 0;
  return g_new0 (gint16, 1);
}

void
vl_emu_speech_shutdown (void)
{
}

#endif /* HAVE_ESPEAK_NG */
