/* gst-voicelive
 * voicelive-emulator: deterministic service-style ids.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "vl-emulator-ids.h"

static const gchar base62[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* splitmix64: spreads a counter over all bits, so ids look like the
 * service's random ones while staying reproducible. */
static guint64
mix (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return x ^ (x >> 31);
}

gchar *
vl_emu_make_id (const gchar * prefix, guint conn, guint64 counter)
{
  GString *s = g_string_new (prefix);
  guint64 v[2];
  guint i, j;

  v[0] = mix (((guint64) conn << 40) ^ counter);
  v[1] = mix (v[0] ^ counter);
  /* 62^11 > 2^64, so 11 digits per 64-bit word never run dry. */
  for (i = 0; i < 2; i++)
    for (j = 0; j < 11; j++) {
      g_string_append_c (s, base62[v[i] % 62]);
      v[i] /= 62;
    }
  return g_string_free (s, FALSE);
}
