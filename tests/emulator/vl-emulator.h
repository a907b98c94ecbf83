/* gst-voicelive
 * voicelive-emulator: shared types of the local Voice Live test double.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_EMULATOR_H__
#define __VL_EMULATOR_H__

#include <glib.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _VlEmuRecorder VlEmuRecorder;
typedef struct _VlEmuConn VlEmuConn;
typedef struct _VlEmuResponse VlEmuResponse;

/* Command line options, fixed for the life of the process. */
typedef struct
{
  gchar *api_key;               /* NULL: any credential is accepted */
  gchar *record_path;
  gint reply_ms;
  gchar *reply_text;            /* NULL: "This is answer number N ..." */
  gboolean no_record_audio;
  gboolean realtime;
} VlEmuOptions;

/* Process-wide state; the emulator is single-threaded (one GMainLoop). */
typedef struct
{
  VlEmuOptions opts;
  VlEmuRecorder *recorder;      /* NULL without --record */
  SoupServer *soup;
  GMainLoop *loop;
  guint n_conns;                /* connections accepted so far */
  GList *conns;                 /* live VlEmuConn */
  gboolean shutting_down;
} VlEmuServer;

G_END_DECLS

#endif /* __VL_EMULATOR_H__ */
