/* gst-voicelive: what the fuzz targets share: GLib warnings as crashes,
 * and the one JsonParser reused across inputs (as the session does) with
 * the json-glib 1.6 workaround. Runs in the fuzzer's thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __FUZZ_COMMON_H__
#define __FUZZ_COMMON_H__

#include <stdint.h>
#include <stddef.h>
#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

/* On the first call: a GLib critical or warning aborts (reported under
 * @target's name), so that the fuzzer reports it as a crash (as
 * GStreamer's ci/fuzzing targets do); creates the parser. Returns the
 * parser, kept until exit (reachable, so LeakSanitizer does not report
 * it). */
JsonParser *fuzz_common_init (const gchar * target);

G_END_DECLS

#endif
