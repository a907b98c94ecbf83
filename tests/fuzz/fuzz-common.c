/* gst-voicelive: what the fuzz targets share: GLib warnings as crashes,
 * and the one JsonParser reused across inputs with the json-glib 1.6
 * workaround. Runs in the fuzzer's thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdlib.h>
#include "fuzz-common.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_HAVE_LSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(FUZZ_HAVE_LSAN)
#define FUZZ_HAVE_LSAN 1
#endif
#ifdef FUZZ_HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

static JsonParser *parser = NULL;
static const gchar *target_name;

static void
abort_on_warning (const gchar * log_domain, GLogLevelFlags log_level,
    const gchar * message, gpointer user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL |
          G_LOG_LEVEL_WARNING)) {
    g_printerr ("%s: %s: %s\n", target_name,
        log_domain ? log_domain : "(null)", message);
    abort ();
  }
}

/* json-glib 1.6 (Debian 12) accepts several top-level values in one buffer
 * ("{...}{...}"), keeps the first as the root and leaks the others: a
 * json-glib bug (newer versions wrap them into an array), not one of the
 * code under test. A container starting while the parser already has a
 * root is such a second value: its allocations are hidden from LeakSanitizer
 * until the end of the parse, so that everything else still counts.
 * Valgrind: tests/fuzz/json-glib.supp. */
static gboolean extra_root = FALSE;

static void
on_container_start (JsonParser * p, gpointer user_data)
{
  if (!extra_root && json_parser_get_root (p) != NULL) {
    extra_root = TRUE;
#ifdef FUZZ_HAVE_LSAN
    __lsan_disable ();
#endif
  }
}

static void
on_parse_end (JsonParser * p, gpointer user_data)
{
  if (extra_root) {
    extra_root = FALSE;
#ifdef FUZZ_HAVE_LSAN
    __lsan_enable ();
#endif
  }
}

JsonParser *
fuzz_common_init (const gchar * target)
{
  if (parser)
    return parser;
  target_name = target;
  g_log_set_default_handler (abort_on_warning, NULL);
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  parser = json_parser_new_immutable ();
  g_signal_connect (parser, "object-start", G_CALLBACK (on_container_start),
      NULL);
  g_signal_connect (parser, "array-start", G_CALLBACK (on_container_start),
      NULL);
  g_signal_connect (parser, "parse-end", G_CALLBACK (on_parse_end), NULL);
  return parser;
}
