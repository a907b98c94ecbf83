/* gst-voicelive test helpers: run the emulator, read its record.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __VL_TEST_H__
#define __VL_TEST_H__

#include <gst/gst.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  GPid pid;
  gchar *url;                   /* ws://127.0.0.1:PORT */
  gchar *dir;                   /* private temp dir */
  gchar *record_path;
} VlEmulator;

/* Start voicelive-emulator with extra arguments (NULL-terminated, may be
 * NULL). Fails the test if it does not print its URL within 10 s. */
VlEmulator *vl_emulator_start (const gchar * first_arg, ...);
/* SIGTERM, bounded wait, SIGKILL; removes its files. */
void vl_emulator_stop (VlEmulator * emu);

/* The record so far: an array of JsonNode* (objects), in order. */
GPtrArray *vl_emulator_record (VlEmulator * emu);

/* Helpers over a record */
const gchar *vl_rec_type (JsonNode * line);
const gchar *vl_rec_dir (JsonNode * line);
gint64 vl_rec_conn (JsonNode * line);
JsonObject *vl_rec_event (JsonNode * line);
guint vl_rec_count (GPtrArray * rec, const gchar * dir, const gchar * type);
/* The n-th (0-based) line of that dir/type, or NULL */
JsonNode *vl_rec_find (GPtrArray * rec, const gchar * dir, const gchar * type,
    guint n);

/* Wait (polling, bounded) until the record has at least @count lines of
 * dir/type. Returns the record at that point (caller unrefs) or NULL on
 * timeout. */
GPtrArray *vl_emulator_wait (VlEmulator * emu, const gchar * dir,
    const gchar * type, guint count, guint timeout_ms);

/* All input audio appended on connection @conn, decoded and concatenated. */
GByteArray *vl_rec_appended_audio (GPtrArray * rec, gint64 conn);

/* Wait for a message on @bus for at most @timeout_ms: the first of @types,
 * or an element message whose structure is named @element_name (if
 * non-NULL). */
GstMessage *vl_bus_wait (GstBus * bus, GstMessageType types,
    const gchar * element_name, guint timeout_ms);

/* The expected emulator answer: @n_samples of response @seed at @rate,
 * encoded as the output format would carry it ("pcm16", "g711_ulaw",
 * "g711_alaw"). */
GBytes *vl_expected_answer (guint seed, guint64 n_samples, guint rate,
    const gchar * format);

/* docs/messages.md says of the message named like @s: every field, with
 * its type, and no other. Fails the test otherwise. */
void vl_docs_check_message (const GstStructure * s);
/* The documented message names (a GHashTable of name -> fields text) */
GHashTable *vl_docs_messages (void);

/* Path of the test data file @name (tests/files). */
gchar *vl_test_file (const gchar * name);

G_END_DECLS

#endif
