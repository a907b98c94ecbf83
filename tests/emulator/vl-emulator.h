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

G_BEGIN_DECLS typedef struct _VlEmuRecorder VlEmuRecorder;
typedef struct _VlEmuConn VlEmuConn;
typedef struct _VlEmuResponse VlEmuResponse;
typedef struct _VlEmuScript VlEmuScript;

/* Command line options, fixed for the life of the process. */
typedef struct
{
  gchar *api_key;               /* NULL: any credential is accepted */
  gchar *record_path;
  gint reply_ms;
  gchar *reply_text;            /* NULL: "This is answer number N ..." */
  gboolean no_record_audio;
  gint ec_lag_max_ms;           /* --ec-lag-max-ms: 0 off */
  gboolean record_batch;
  gboolean realtime;
  gchar *script_path;           /* --script: scripted responses */
  gchar *dialect;               /* "beta" (default) or "ga" */
  gboolean ga;                  /* --dialect ga */
  gchar *tls_cert;              /* --tls-cert / --tls-key: serve wss:// */
  gchar *tls_key;
  gboolean speak;               /* --speak: reply audio spoken by espeak-ng */
  gchar *speak_voice;           /* --speak-voice (NULL: "en") */
  gchar *warning_text;          /* --warning: a warning event per connection */
  gchar *avatar_ice_servers;    /* --avatar-ice-servers (WebRTC avatar) */
  gchar *avatar_sdp;            /* --avatar-sdp: answer, not-json, bad-sdp */

  /* Fault injection (vl-emulator-fault.c) */
  gint drop_after_responses;    /* 0: never */
  gint max_drops;               /* < 0: unlimited */
  gint close_after_ms;          /* 0: never */
  gint expires_in_s;            /* expires_at = connect + N s, closed then */
  gint upgrade_status;          /* 0: normal upgrade checks */
  gboolean hang_upgrade;
  gint delay_upgrade_ms;
  gboolean hostile;
  gboolean odd_deltas;
  gint hang_on_close_ms;        /* 0: answer close frames at once */
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
  VlEmuScript *script;          /* NULL without --script */
  guint n_drops;                /* --drop-after-responses drops so far */
  GList *held;                  /* upgrades paused by a fault (VlEmuHeld) */
} VlEmuServer;

/* Answers the upgrade with HTTP @status and a JSON error body, and records
 * a #rejected line (vl-emulator.c). */
void vl_emu_server_reject (SoupServerMessage * msg, const gchar * path,
    guint status, const gchar * code, const gchar * message);

G_END_DECLS
#endif /* __VL_EMULATOR_H__ */
