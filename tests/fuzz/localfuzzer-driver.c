/* gst-voicelive: replay driver for the fuzz targets
 *
 * Used when libFuzzer is not available (the plain and valgrind builds):
 * runs LLVMFuzzerTestOneInput() once over every file given on the command
 * line, and over every file in the directories given (not recursively), in
 * name order. Exits 1 when an argument cannot be read or when no input was
 * found; a crash in the target crashes the driver, as it should.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

static gboolean
run_file (const gchar * path)
{
  GError *err = NULL;
  gchar *contents = NULL;
  gsize len = 0;
  guint8 *copy;

  if (!g_file_get_contents (path, &contents, &len, &err)) {
    g_printerr ("localfuzzer: %s\n", err->message);
    g_error_free (err);
    return FALSE;
  }
  /* An exact-size copy, so that reading past the input is caught by ASan
   * and valgrind as it would be under libFuzzer. */
  copy = g_malloc (len > 0 ? len : 1);
  memcpy (copy, contents, len);
  g_free (contents);
  g_print ("localfuzzer: %s (%" G_GSIZE_FORMAT " bytes)\n", path, len);
  LLVMFuzzerTestOneInput (copy, len);
  g_free (copy);
  return TRUE;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar * const *) a, *(const gchar * const *) b);
}

static gboolean
run_dir (const gchar * dirname, guint * count)
{
  GError *err = NULL;
  GDir *dir = g_dir_open (dirname, 0, &err);
  GPtrArray *names;
  const gchar *name;
  gboolean ok = TRUE;
  guint i;

  if (!dir) {
    g_printerr ("localfuzzer: %s\n", err->message);
    g_error_free (err);
    return FALSE;
  }
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_build_filename (dirname, name, NULL));
  g_dir_close (dir);
  g_ptr_array_sort (names, compare_names);

  for (i = 0; i < names->len; i++) {
    const gchar *path = g_ptr_array_index (names, i);

    if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
      continue;
    if (!run_file (path))
      ok = FALSE;
    else
      (*count)++;
  }
  g_ptr_array_unref (names);
  return ok;
}

int
main (int argc, char **argv)
{
  guint count = 0;
  gboolean ok = TRUE;
  gint i;

  if (argc < 2) {
    g_printerr ("usage: %s FILE|DIRECTORY...\n", argv[0]);
    return 2;
  }
  for (i = 1; i < argc; i++) {
    if (g_file_test (argv[i], G_FILE_TEST_IS_DIR)) {
      if (!run_dir (argv[i], &count))
        ok = FALSE;
    } else if (run_file (argv[i])) {
      count++;
    } else {
      ok = FALSE;
    }
  }
  g_print ("localfuzzer: ran %u inputs\n", count);
  if (count == 0) {
    g_printerr ("localfuzzer: no input found\n");
    return 1;
  }
  return ok ? 0 : 1;
}
