/* gst-voicelive
 * voicelive-emulator: JSON Lines record of everything on the wire.
 *
 * Tests assert on this file while the emulator runs, so every line is
 * written whole and at once. With --record-batch (benchmarks, which read it
 * at the end) the lines recorded since the main loop was last idle are
 * written by one write(): one per line costs hundreds of sessions more than
 * the rest of the recording.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdarg.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "vl-emulator-record.h"

struct _VlEmuRecorder
{
  FILE *fp;
  guint64 seq;
  GString *pending;             /* whole lines not written yet */
  gboolean batch;
  guint flush_id;
};

#define MAX_PENDING (64 * 1024)

static void
recorder_flush (VlEmuRecorder * rec)
{
  const gchar *p = rec->pending->str;
  gsize left = rec->pending->len;

  while (left > 0) {
    gssize n = write (fileno (rec->fp), p, left);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    p += n;
    left -= n;
  }
  g_string_truncate (rec->pending, 0);
}

static gboolean
flush_idle (gpointer data)
{
  VlEmuRecorder *rec = data;

  rec->flush_id = 0;
  recorder_flush (rec);
  return G_SOURCE_REMOVE;
}

static gint64 start_us;

void
vl_emu_clock_init (void)
{
  start_us = g_get_monotonic_time ();
}

gint64
vl_emu_elapsed_ms (void)
{
  return (g_get_monotonic_time () - start_us) / 1000;
}

VlEmuRecorder *
vl_emu_recorder_open (const gchar * path, gboolean batch, GError ** error)
{
  VlEmuRecorder *rec;
  FILE *fp = fopen (path, "w");

  if (!fp) {
    int errsv = errno;

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
        "cannot open record file %s: %s", path, g_strerror (errsv));
    return NULL;
  }
  rec = g_new0 (VlEmuRecorder, 1);
  rec->fp = fp;
  rec->pending = g_string_sized_new (MAX_PENDING);
  rec->batch = batch;
  return rec;
}

void
vl_emu_recorder_close (VlEmuRecorder * rec)
{
  if (!rec)
    return;
  if (rec->flush_id)
    g_source_remove (rec->flush_id);
  recorder_flush (rec);
  fclose (rec->fp);
  g_string_free (rec->pending, TRUE);
  g_free (rec);
}

JsonNode *
vl_emu_node_string (const gchar * s)
{
  JsonNode *n = json_node_alloc ();

  if (s)
    json_node_init_string (n, s);
  else
    json_node_init_null (n);
  return n;
}

JsonNode *
vl_emu_node_int (gint64 v)
{
  return json_node_init_int (json_node_alloc (), v);
}

JsonNode *
vl_emu_node_object (JsonObject * obj)
{
  JsonNode *n = json_node_init_object (json_node_alloc (), obj);

  json_object_unref (obj);
  return n;
}

/* The short keys and names of a line (ASCII identifiers in practice),
 * escaped as JSON without a json-glib generator per string. */
static void
append_json_string (GString * out, const gchar * s)
{
  g_string_append_c (out, '"');
  for (; *s; s++) {
    guchar c = *s;

    if (c == '"' || c == '\\')
      g_string_append_c (out, '\\');
    if (c < 0x20)
      g_string_append_printf (out, "\\u%04x", c);
    else
      g_string_append_c (out, c);
  }
  g_string_append_c (out, '"');
}

void
vl_emu_record (VlEmuRecorder * rec, guint conn, const gchar * dir,
    const gchar * type, const gchar * first_name, ...)
{
  GString *line;
  const gchar *name;
  va_list args;
  gint64 now_us = g_get_monotonic_time ();

  /* The nodes must be consumed even when not recording. */
  va_start (args, first_name);
  if (!rec) {
    for (name = first_name; name; name = va_arg (args, const gchar *))
        json_node_unref (va_arg (args, JsonNode *));
    va_end (args);
    return;
  }

  /* Built by hand so the field order is exactly the documented one. */
  line = rec->pending;
  g_string_append_printf (line,
      "{\"seq\":%" G_GUINT64_FORMAT ",\"conn\":%u,\"t_ms\":%" G_GINT64_FORMAT
      ",\"mono_us\":%" G_GINT64_FORMAT ",\"dir\":", ++rec->seq, conn,
      (now_us - start_us) / 1000, now_us);
  append_json_string (line, dir);
  g_string_append (line, ",\"type\":");
  append_json_string (line, type);
  for (name = first_name; name; name = va_arg (args, const gchar *))
  {
    JsonNode *node = va_arg (args, JsonNode *);
    gchar *str = json_to_string (node, FALSE);

    g_string_append_c (line, ',');
    append_json_string (line, name);
    g_string_append_c (line, ':');
    g_string_append (line, str);
    g_free (str);
    json_node_unref (node);
  }
  va_end (args);
  g_string_append (line, "}\n");

  if (!rec->batch || line->len >= MAX_PENDING)
    recorder_flush (rec);
  else if (!rec->flush_id)
    rec->flush_id = g_idle_add_full (G_PRIORITY_LOW, flush_idle, rec, NULL);
}
