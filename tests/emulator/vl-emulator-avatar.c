/* gst-voicelive emulator
 * The test avatar (protocol-2026.md §3): session.avatar checks and the
 * WebSocket mode's fragmented MP4, built by running gst-launch-1.0 (a
 * process per answer; the WebRTC peer is vl-emulator-webrtc.c):
 * openh264enc and voaacenc of gstreamer1.0-plugins-bad, mp4mux
 * fragmented. Main loop thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include "vl-emulator-avatar.h"

/* The standard characters the emulator knows; a customized avatar may be
 * any name. */
static const gchar *const characters[] =
    { "lisa", "harry", "jeff", "lori", "max", "meg", NULL };
static const gchar *const types[] = { "video-avatar", "photo-avatar", NULL };
static const gchar *const protocols[] = { "websocket", "webrtc", NULL };

/* One colour per answer, so a test can tell the turns apart */
static const guint32 colors[] = {
  0xffff0000, 0xff00ff00, 0xff0000ff, 0xffffff00, 0xffff00ff, 0xff00ffff,
};

#define DEFAULT_WIDTH 320
#define DEFAULT_HEIGHT 180
#define MAX_SIDE 1920

static gboolean
refuse (gchar ** param, gchar ** message, const gchar * path, const gchar * why)
{
  *param = g_strdup (path);
  *message = g_strdup_printf ("Invalid value for '%s': %s", path, why);
  return FALSE;
}

static const gchar *
str_member (JsonObject * o, const gchar * name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (!n || !JSON_NODE_HOLDS_VALUE (n)
      || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static JsonObject *
avatar_of (JsonObject * session)
{
  JsonNode *n = json_object_get_member (session, "avatar");

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static gboolean
check_video (JsonObject * v, gchar ** param, gchar ** message)
{
  JsonNode *n = json_object_get_member (v, "resolution");
  const gchar *codec = str_member (v, "codec");

  if (codec && !g_str_equal (codec, "h264"))
    return refuse (param, message, "session.avatar.video.codec",
        "expected h264");
  if (n && JSON_NODE_HOLDS_OBJECT (n)) {
    gint64 w = json_object_get_int_member_with_default
        (json_node_get_object (n), "width", 0);
    gint64 h = json_object_get_int_member_with_default
        (json_node_get_object (n), "height", 0);

    if (w < 16 || h < 16 || w > MAX_SIDE || h > MAX_SIDE)
      return refuse (param, message, "session.avatar.video.resolution",
          "width and height must be between 16 and 1920");
  }
  return TRUE;
}

gboolean
vl_emu_avatar_check (JsonObject * session, gchar ** param, gchar ** message)
{
  JsonObject *a = avatar_of (session);
  JsonNode *v;
  const gchar *s;

  if (!a)
    return TRUE;
  s = str_member (a, "type");
  if (s && !g_strv_contains (types, s))
    return refuse (param, message, "session.avatar.type",
        "expected video-avatar or photo-avatar");
  s = str_member (a, "character");
  if (!s || !*s)
    return refuse (param, message, "session.avatar.character",
        "expected a string");
  if (!json_object_get_boolean_member_with_default (a, "customized", FALSE)
      && !g_strv_contains (characters, s))
    return refuse (param, message, "session.avatar.character",
        "unknown avatar character (standard avatars: lisa, harry, jeff, "
        "lori, max, meg; set customized for a custom avatar)");
  s = str_member (a, "output_protocol");
  if (s && !g_strv_contains (protocols, s))
    return refuse (param, message, "session.avatar.output_protocol",
        "expected websocket or webrtc");
  v = json_object_get_member (a, "video");
  if (v && JSON_NODE_HOLDS_OBJECT (v))
    return check_video (json_node_get_object (v), param, message);
  return TRUE;
}

gboolean
vl_emu_avatar_websocket (JsonObject * session)
{
  JsonObject *a = avatar_of (session);

  return a && g_strcmp0 (str_member (a, "output_protocol"), "websocket") == 0;
}

guint32
vl_emu_avatar_color (guint turn)
{
  return colors[(turn + G_N_ELEMENTS (colors) - 1) % G_N_ELEMENTS (colors)];
}

static void
resolution (JsonObject * session, gint * w, gint * h)
{
  JsonObject *a = avatar_of (session);
  JsonNode *v = a ? json_object_get_member (a, "video") : NULL;
  JsonNode *r = v && JSON_NODE_HOLDS_OBJECT (v) ?
      json_object_get_member (json_node_get_object (v), "resolution") : NULL;

  *w = DEFAULT_WIDTH;
  *h = DEFAULT_HEIGHT;
  if (r && JSON_NODE_HOLDS_OBJECT (r)) {
    *w = json_object_get_int_member_with_default (json_node_get_object (r),
        "width", *w);
    *h = json_object_get_int_member_with_default (json_node_get_object (r),
        "height", *h);
  }
}

GBytes *
vl_emu_avatar_render (JsonObject * session, guint turn, const gint16 * pcm,
    guint64 samples, guint rate)
{
  gchar *dir, *pcm_path, *mp4_path, *launch, *contents = NULL, *err = NULL;
  gchar *cmd;
  gint status = 0, w, h;
  gsize len = 0;
  guint frames;
  GBytes *out = NULL;
  GError *error = NULL;

  launch = g_find_program_in_path ("gst-launch-1.0");
  if (!launch) {
    g_warning ("avatar: gst-launch-1.0 not found: no video");
    return NULL;
  }
  dir = g_dir_make_tmp ("vl-avatar-XXXXXX", &error);
  if (!dir) {
    g_warning ("avatar: %s", error->message);
    g_clear_error (&error);
    g_free (launch);
    return NULL;
  }
  pcm_path = g_build_filename (dir, "answer.raw", NULL);
  mp4_path = g_build_filename (dir, "answer.mp4", NULL);
  resolution (session, &w, &h);
  /* 10 fps, covering the audio */
  frames = (guint) MAX (1, (samples * 10 + rate - 1) / rate);
  cmd = g_strdup_printf ("%s -q videotestsrc pattern=solid-color "
      "foreground-color=%u num-buffers=%u ! video/x-raw,width=%d,height=%d,"
      "framerate=10/1 ! openh264enc bitrate=%u ! h264parse ! queue ! "
      "mp4mux fragment-duration=200 streamable=true name=m ! "
      "filesink location=%s filesrc location=%s ! rawaudioparse "
      "format=pcm pcm-format=s16le sample-rate=%u num-channels=1 ! "
      "audioconvert ! voaacenc ! aacparse ! queue ! m.", launch,
      vl_emu_avatar_color (turn), frames, w, h, (guint) MAX (w * h * 4,
          64000), mp4_path, pcm_path, rate);
  if (!g_file_set_contents (pcm_path, (const gchar *) pcm,
          (gssize) (samples * 2), &error)
      || !g_spawn_command_line_sync (cmd, NULL, &err, &status, &error)
      || !g_spawn_check_wait_status (status, &error)
      || !g_file_get_contents (mp4_path, &contents, &len, &error)) {
    g_warning ("avatar: rendering the answer failed: %s (%s)",
        error ? error->message : "?", err ? err : "");
    g_clear_error (&error);
  } else {
    out = g_bytes_new_take (contents, len);
  }
  g_free (err);
  g_unlink (pcm_path);
  g_unlink (mp4_path);
  g_rmdir (dir);
  g_free (cmd);
  g_free (pcm_path);
  g_free (mp4_path);
  g_free (dir);
  g_free (launch);
  return out;
}
