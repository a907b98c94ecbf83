/* gst-voicelive: docs/messages.md and docs/signals.md against the plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <gst/check/gstcheck.h>
#include "vltest.h"

/* Every "voicelive/..." message name the plugin's sources post is
 * documented, and every documented name is posted somewhere. */
GST_START_TEST (test_message_names_match_sources)
{
  GHashTable *docs = vl_docs_messages ();
  GHashTable *posted = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  GDir *dir = g_dir_open (VL_SOURCE_DIR, 0, NULL);
  const gchar *file;
  GHashTableIter iter;
  gpointer key;

  /* every C file of the plugin: a new one cannot be missed */
  fail_unless (dir != NULL);
  while ((file = g_dir_read_name (dir)) != NULL) {
    gchar *path = g_build_filename (VL_SOURCE_DIR, file, NULL);
    gchar *src = NULL;
    const gchar *p;

    if (!g_str_has_suffix (file, ".c")) {
      g_free (path);
      continue;
    }
    fail_unless (g_file_get_contents (path, &src, NULL, NULL), "%s", path);
    for (p = src; (p = strstr (p, "\"voicelive/")); p++) {
      const gchar *end = strchr (p + 1, '"');
      gchar *name = g_strndup (p + 1, end - p - 1);

      /* details and property structures are not element messages */
      if (g_str_equal (name, "voicelive/error")
          || g_str_equal (name, "voicelive/stats"))
        g_free (name);
      else
        g_hash_table_add (posted, name);
    }
    g_free (src);
    g_free (path);
  }
  g_dir_close (dir);
  fail_unless (g_hash_table_size (posted) >= 15);
  g_hash_table_iter_init (&iter, posted);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    fail_unless (g_hash_table_contains (docs, key),
        "%s is posted but not in docs/messages.md", (const gchar *) key);
  g_hash_table_iter_init (&iter, docs);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    fail_unless (g_hash_table_contains (posted, key),
        "docs/messages.md lists %s, which the plugin never posts",
        (const gchar *) key);
  g_hash_table_unref (posted);
}

GST_END_TEST;

/* README.md's layout names every C file of the plugin */
GST_START_TEST (test_readme_layout_names_every_source)
{
  gchar *path = g_build_filename (VL_SOURCE_DIR, "..", "..", "README.md",
      NULL);
  GDir *dir = g_dir_open (VL_SOURCE_DIR, 0, NULL);
  const gchar *file, *layout;
  gchar *readme = NULL;

  fail_unless (g_file_get_contents (path, &readme, NULL, NULL), "%s", path);
  layout = strstr (readme, "## Layout");
  fail_unless (layout != NULL);
  fail_unless (dir != NULL);
  while ((file = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (file, ".c"))
      fail_unless (strstr (layout, file) != NULL,
          "README.md's layout does not name gst/voicelive/%s", file);
  g_dir_close (dir);
  g_free (readme);
  g_free (path);
}

GST_END_TEST;

/* docs/signals.md: each element's table lists exactly its action signals,
 * with the right number of arguments. */
static void
check_signals (const gchar * element, const gchar * section)
{
  gchar *path = g_build_filename (VL_DOCS_DIR, "signals.md", NULL);
  gchar *contents = NULL, **lines;
  GstElement *e = gst_element_factory_make (element, NULL);
  GType type = G_OBJECT_TYPE (e);
  GHashTable *documented = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  gboolean in_section = FALSE;
  guint *ids, n_ids, i;

  fail_unless (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i]; i++) {
    if (g_str_has_prefix (lines[i], "## "))
      in_section = g_str_equal (lines[i] + 3, section);
    if (in_section && g_str_has_prefix (lines[i], "| `")) {
      gchar **cols = g_strsplit (lines[i], "|", -1);
      gchar *name = g_strdup (g_strstrip (cols[1]));
      guint n_args = 0;
      const gchar *p = cols[2];
      GSignalQuery q;

      name[strlen (name) - 1] = '\0';
      memmove (name, name + 1, strlen (name));
      /* an argument reads "`name` (type)" */
      while ((p = strstr (p, "` ("))) {
        n_args++;
        p += 3;
      }
      g_signal_query (g_signal_lookup (name, type), &q);
      fail_unless (q.signal_id != 0, "signals.md: %s has no %s", element, name);
      fail_unless (q.signal_flags & G_SIGNAL_ACTION);
      fail_unless_equals_int (q.n_params, n_args);
      fail_unless (q.return_type == G_TYPE_BOOLEAN);
      g_hash_table_add (documented, name);
      g_strfreev (cols);
    }
  }
  ids = g_signal_list_ids (type, &n_ids);
  for (i = 0; i < n_ids; i++)
    fail_unless (g_hash_table_contains (documented, g_signal_name (ids[i])),
        "%s::%s is not in docs/signals.md", element, g_signal_name (ids[i]));
  fail_unless (n_ids >= 1);
  g_free (ids);
  g_hash_table_unref (documented);
  g_strfreev (lines);
  g_free (contents);
  g_free (path);
  gst_object_unref (e);
}

GST_START_TEST (test_signals_documented)
{
  check_signals ("voicelivesink", "voicelivesink");
  check_signals ("voicelivesrc", "voicelivesrc");
}

GST_END_TEST;

static Suite *
docs_api_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("docs-api", 0, &tc);

  tcase_add_test (tc, test_readme_layout_names_every_source);
  tcase_add_test (tc, test_message_names_match_sources);
  tcase_add_test (tc, test_signals_documented);
  return s;
}

GST_CHECK_MAIN (docs_api);
