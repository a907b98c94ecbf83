/* gst-voicelive: TLS verification, secrets never shown
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <gio/gio.h>
#include <gst/check/gstcheck.h>
#include "vltest.h"
#include "vlconv.h"

#define SECRET_KEY "sk-SECRET-KEY-0123456789abcdef"
#define SECRET_TOKEN "eyJSECRET-TOKEN-abcdef0123456789"

static gchar *
cert (const gchar * name)
{
  return g_build_filename (VL_EMULATOR_CERTS_DIR, name, NULL);
}

static VlEmulator *
tls_emulator (void)
{
  gchar *c = cert ("test-cert.pem"), *k = cert ("test-key.pem");
  VlEmulator *emu = vl_emulator_start ("--tls-cert", c, "--tls-key", k,
      "--api-key", SECRET_KEY, NULL);

  fail_unless (g_str_has_prefix (emu->url, "wss://127.0.0.1:"), "%s", emu->url);
  g_free (c);
  g_free (k);
  return emu;
}

/* "error: <its text>" or "connected", whichever @conv posted first; NULL
 * while it posted neither. */
static gchar *
connected_or_failed (VlConv * conv)
{
  GPtrArray *all = vl_conv_messages (conv,
      GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);
  gchar *result = NULL;
  guint i;

  for (i = 0; i < all->len && !result; i++) {
    GstMessage *m = g_ptr_array_index (all, i);
    const GstStructure *s = gst_message_get_structure (m);

    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
      GError *err = NULL;

      gst_message_parse_error (m, &err, NULL);
      result = g_strdup_printf ("error: %s", err->message);
      g_clear_error (&err);
    } else if (s && gst_structure_has_name (s, "voicelive/session-updated")) {
      result = g_strdup ("connected");
    }
  }
  g_ptr_array_unref (all);
  return result;
}

static gchar *
run_tls (VlEmulator * emu, const gchar * props)
{
  gchar *all = g_strdup_printf ("api-key=" SECRET_KEY " %s", props);
  VlConv *conv = vl_conv_new (emu, 16000, all, NULL, NULL);
  gchar *result = NULL;

  g_free (all);
  vl_conv_start (conv);
  vl_conv_speak (conv, 0, 0, 100, FALSE);
  VL_TEST_POLL_UNTIL ((result = connected_or_failed (conv)) != NULL, 20, 10000);
  vl_conv_free (conv);
  fail_unless (result != NULL, "neither connected nor failed in 10 s");
  fail_unless (strstr (result, SECRET_KEY) == NULL);
  return result;
}

GST_START_TEST (test_tls_verified)
{
  VlEmulator *emu = tls_emulator ();
  gchar *ca = cert ("test-cert.pem"), *other = cert ("other-ca.pem");
  gchar *props, *r;

  /* A self-signed certificate is refused by default, with advice */
  r = run_tls (emu, "");
  fail_unless (g_str_has_prefix (r, "error:"), "%s", r);
  fail_unless (strstr (r, "not trusted") && strstr (r, "ssl-ca-file"), "%s", r);
  g_free (r);

  /* ... accepted with its CA in ssl-ca-file ... */
  props = g_strdup_printf ("ssl-ca-file=%s", ca);
  r = run_tls (emu, props);
  fail_unless_equals_string (r, "connected");
  g_free (r);
  g_free (props);

  /* ... refused with an unrelated CA ... */
  props = g_strdup_printf ("ssl-ca-file=%s", other);
  r = run_tls (emu, props);
  fail_unless (g_str_has_prefix (r, "error:"), "%s", r);
  g_free (r);
  g_free (props);

  /* ... and accepted, unverified, only when asked explicitly. */
  r = run_tls (emu, "ssl-strict=false");
  fail_unless_equals_string (r, "connected");
  g_free (r);

  /* Only the two accepted runs ever reached the HTTP upgrade. */
  fail_unless_equals_int (vl_emulator_count (emu, "meta", "#connect"), 2);
  g_free (ca);
  g_free (other);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* ---- plain ws:// only to loopback ---- */

/* A resolver that maps 127.evil.example to 127.0.0.1, the way its owner's
 * DNS could point it anywhere: were the name taken for loopback, the key
 * would reach the emulator in clear text. Counts every name lookup. */
typedef struct
{
  GResolver parent;
} VlFakeResolver;

typedef struct
{
  GResolverClass parent_class;
} VlFakeResolverClass;

static GType vl_fake_resolver_get_type (void);
G_DEFINE_TYPE (VlFakeResolver, vl_fake_resolver, G_TYPE_RESOLVER);

static gint fake_lookups;

static void assert_no_secret (const gchar * where, const gchar * text);

static GList *
fake_lookup (GResolver * resolver, const gchar * hostname,
    GResolverNameLookupFlags flags, GCancellable * cancellable, GError ** error)
{
  g_atomic_int_inc (&fake_lookups);
  if (g_ascii_strcasecmp (hostname, "127.evil.example") == 0)
    return g_list_append (NULL,
        g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
      "%s: not in the test resolver", hostname);
  return NULL;
}

static GList *
fake_lookup_plain (GResolver * resolver, const gchar * hostname,
    GCancellable * cancellable, GError ** error)
{
  return fake_lookup (resolver, hostname, 0, cancellable, error);
}

static void
fake_lookup_async (GResolver * resolver, const gchar * hostname,
    GResolverNameLookupFlags flags, GCancellable * cancellable,
    GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (resolver, cancellable, callback, user_data);
  GError *err = NULL;
  GList *addrs = fake_lookup (resolver, hostname, flags, cancellable, &err);

  if (addrs)
    g_task_return_pointer (task, addrs,
        (GDestroyNotify) g_resolver_free_addresses);
  else
    g_task_return_error (task, err);
  g_object_unref (task);
}

static void
fake_lookup_plain_async (GResolver * resolver, const gchar * hostname,
    GCancellable * cancellable, GAsyncReadyCallback callback,
    gpointer user_data)
{
  fake_lookup_async (resolver, hostname, 0, cancellable, callback, user_data);
}

static GList *
fake_lookup_finish (GResolver * resolver, GAsyncResult * result,
    GError ** error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
vl_fake_resolver_class_init (VlFakeResolverClass * klass)
{
  GResolverClass *rc = G_RESOLVER_CLASS (klass);

  rc->lookup_by_name = fake_lookup_plain;
  rc->lookup_by_name_async = fake_lookup_plain_async;
  rc->lookup_by_name_finish = fake_lookup_finish;
  rc->lookup_by_name_with_flags = fake_lookup;
  rc->lookup_by_name_with_flags_async = fake_lookup_async;
  rc->lookup_by_name_with_flags_finish = fake_lookup_finish;
}

static void
vl_fake_resolver_init (VlFakeResolver * self)
{
}

/* A host name that starts like a loopback address is not one: the sink
 * refuses to go to READY, says TLS is needed, and never looks the name up
 * nor connects. */
GST_START_TEST (test_plain_ws_only_to_loopback)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", SECRET_KEY, NULL);
  GResolver *orig = g_resolver_get_default ();
  GResolver *fake = g_object_new (vl_fake_resolver_get_type (), NULL);
  GUri *uri = g_uri_parse (emu->url, G_URI_FLAGS_NONE, NULL);
  gchar *endpoint = g_strdup_printf ("ws://127.evil.example:%d",
      g_uri_get_port (uri));
  gchar *desc = g_strdup_printf ("audiotestsrc is-live=true ! audioconvert "
      "! audioresample ! voicelivesink name=sink session-name=lookalike "
      "endpoint=%s api-key=" SECRET_KEY, endpoint);
  GstElement *pipeline, *sink;
  GstStateChangeReturn ret;
  GstMessage *msg;
  GstBus *bus;
  GError *err = NULL;
  gchar *dbg = NULL;
  GPtrArray *rec;

  g_resolver_set_default (fake);
  /* The fake resolver really leads to the emulator */
  {
    GList *addrs = g_resolver_lookup_by_name (fake, "127.evil.example", NULL,
        NULL);

    fail_unless (addrs != NULL);
    g_resolver_free_addresses (addrs);
    g_atomic_int_set (&fake_lookups, 0);
  }

  pipeline = gst_parse_launch (desc, &err);
  fail_unless (pipeline != NULL, "%s", err ? err->message : "");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  bus = gst_element_get_bus (pipeline);

  ret = gst_element_set_state (pipeline, GST_STATE_PLAYING);
  /* Whatever the state change says, no connection in a second */
  rec = vl_emulator_wait (emu, "meta", "#connect", 1, 1000);
  fail_unless (rec == NULL, "the sink connected to %s in clear text", endpoint);
  fail_unless_equals_int (ret, GST_STATE_CHANGE_FAILURE);
  fail_unless (GST_STATE (sink) == GST_STATE_NULL);

  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no error message");
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (sink));
  gst_message_parse_error (msg, &err, &dbg);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_SETTINGS), "%s", err->message);
  fail_unless (strstr (err->message, "endpoint property"), "%s", err->message);
  fail_unless (strstr (err->message, "127.evil.example"), "%s", err->message);
  fail_unless (strstr (err->message, "TLS"), "%s", err->message);
  fail_unless (strstr (err->message, "wss://"), "%s", err->message);
  assert_no_secret ("the error", err->message);
  g_clear_error (&err);
  g_free (dbg);
  gst_message_unref (msg);
  /* Not even a name lookup */
  fail_unless_equals_int (g_atomic_int_get (&fake_lookups), 0);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_resolver_set_default (orig);
  g_object_unref (orig);
  g_object_unref (fake);
  g_uri_unref (uri);
  g_free (desc);
  g_free (endpoint);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* ---- proxies ---- */

/* A proxy resolver that sends everything to a proxy that is not there,
 * and counts the questions. */
typedef struct
{
  GObject parent;
} VlDeadProxy;
typedef struct
{
  GObjectClass parent_class;
} VlDeadProxyClass;

static gint proxy_lookups;

static gboolean
dead_proxy_is_supported (GProxyResolver * resolver)
{
  return TRUE;
}

static gchar **
dead_proxy_lookup (GProxyResolver * resolver, const gchar * uri,
    GCancellable * cancellable, GError ** error)
{
  gchar **proxies = g_new0 (gchar *, 2);

  g_atomic_int_inc (&proxy_lookups);
  proxies[0] = g_strdup ("http://127.0.0.1:9");
  return proxies;
}

static void
dead_proxy_lookup_async (GProxyResolver * resolver, const gchar * uri,
    GCancellable * cancellable, GAsyncReadyCallback callback, gpointer data)
{
  GTask *task = g_task_new (resolver, cancellable, callback, data);

  g_task_return_pointer (task, dead_proxy_lookup (resolver, uri, NULL, NULL),
      (GDestroyNotify) g_strfreev);
  g_object_unref (task);
}

static gchar **
dead_proxy_lookup_finish (GProxyResolver * resolver, GAsyncResult * result,
    GError ** error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
dead_proxy_iface_init (GProxyResolverInterface * iface)
{
  iface->is_supported = dead_proxy_is_supported;
  iface->lookup = dead_proxy_lookup;
  iface->lookup_async = dead_proxy_lookup_async;
  iface->lookup_finish = dead_proxy_lookup_finish;
}

static GType vl_dead_proxy_get_type (void);
G_DEFINE_TYPE_WITH_CODE (VlDeadProxy, vl_dead_proxy, G_TYPE_OBJECT,
    G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER, dead_proxy_iface_init));

static void
vl_dead_proxy_init (VlDeadProxy * self)
{
}

static void
vl_dead_proxy_class_init (VlDeadProxyClass * klass)
{
}

/* A loopback endpoint is reached directly, whatever proxy the system
 * names: GIO's proxy resolvers are not asked (nor their modules loaded),
 * while a remote endpoint still goes through them. */
GST_START_TEST (test_loopback_not_proxied)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", SECRET_KEY, NULL);
  GResolver *orig = g_resolver_get_default ();
  GResolver *fake = g_object_new (vl_fake_resolver_get_type (), NULL);
  GUri *uri = g_uri_parse (emu->url, G_URI_FLAGS_NONE, NULL);
  GstElement *pipeline;
  GPtrArray *rec;
  gchar *desc;

  /* The default proxy resolver is chosen once per process, by priority,
   * the first time it is asked for: this one wins. Each check test runs
   * in its own child process. */
  g_io_extension_point_register (G_PROXY_RESOLVER_EXTENSION_POINT_NAME);
  g_io_extension_point_implement (G_PROXY_RESOLVER_EXTENSION_POINT_NAME,
      vl_dead_proxy_get_type (), "vl-dead-proxy", 10000);
  fail_unless (G_OBJECT_TYPE (g_proxy_resolver_get_default ()) ==
      vl_dead_proxy_get_type ());
  g_atomic_int_set (&proxy_lookups, 0);

  desc = g_strdup_printf ("audiotestsrc is-live=true ! audioconvert ! "
      "audioresample ! voicelivesink session-name=direct endpoint=%s "
      "api-key=" SECRET_KEY, emu->url);
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  rec = vl_emulator_wait (emu, "meta", "#connect", 1, 10000);
  fail_unless (rec != NULL, "the sink did not reach %s directly", emu->url);
  g_ptr_array_unref (rec);
  fail_unless_equals_int (g_atomic_int_get (&proxy_lookups), 0);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  g_free (desc);

  /* A remote endpoint (the fake resolver maps the name to the emulator)
   * asks the proxy resolver, and so fails on the dead proxy. */
  g_resolver_set_default (fake);
  desc = g_strdup_printf ("audiotestsrc is-live=true ! audioconvert ! "
      "audioresample ! voicelivesink session-name=proxied "
      "endpoint=wss://agent.example:%d api-key=" SECRET_KEY
      " connect-timeout=5", g_uri_get_port (uri));
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  fail_unless (VL_TEST_POLL_UNTIL (g_atomic_int_get (&proxy_lookups) > 0, 20,
          10000), "a remote endpoint did not ask the proxy resolver");
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  g_free (desc);

  g_resolver_set_default (orig);
  g_object_unref (orig);
  g_object_unref (fake);
  g_uri_unref (uri);
  vl_emulator_stop (emu);
}

GST_END_TEST;

/* ---- secrets ---- */

static GString *captured;
static GMutex captured_lock;

static void
capture_log (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  const gchar *text = gst_debug_message_get (message);

  g_mutex_lock (&captured_lock);
  if (text)
    g_string_append (captured, text);
  g_string_append_c (captured, '\n');
  g_mutex_unlock (&captured_lock);
}

static void
assert_no_secret (const gchar * where, const gchar * text)
{
  fail_unless (strstr (text, SECRET_KEY) == NULL, "the key is in %s", where);
  fail_unless (strstr (text, SECRET_TOKEN) == NULL, "the token is in %s",
      where);
}

/* A whole conversation (and a rejected key) at the highest debug level,
 * with every message printed: the secrets appear nowhere. */
GST_START_TEST (test_secrets_not_in_logs_or_messages)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", SECRET_KEY,
      "--reply-ms", "200", NULL);
  VlConv *conv;
  GByteArray *out;
  GString *all_messages = g_string_new (NULL);
  guint i;

  captured = g_string_new (NULL);
  gst_debug_set_active (TRUE);
  gst_debug_add_log_function (capture_log, NULL, NULL);
  gst_debug_set_default_threshold (GST_LEVEL_MEMDUMP);

  /* The key given with g_object_set, the way applications do */
  conv = vl_conv_new (emu, 16000, "", NULL, NULL);
  g_object_set (conv->sink, "api-key", SECRET_KEY, "access-token",
      SECRET_TOKEN, NULL);
  vl_conv_start (conv);
  vl_conv_speak (conv, 0, 600, 700, TRUE);
  out = vl_conv_pull_all (conv, 30000);
  fail_unless (out->len > 0);
  g_byte_array_unref (out);
  /* conv->lock: the sync handler appends from the posting threads. */
  g_mutex_lock (&conv->lock);
  for (i = 0; i < conv->messages->len; i++) {
    GstMessage *m = g_ptr_array_index (conv->messages, i);
    const GstStructure *st = gst_message_get_structure (m);
    /* EOS has no structure: gst_structure_to_string (NULL) is a critical */
    gchar *s = st ? gst_structure_to_string (st) : NULL;

    g_string_append (all_messages, s ? s : "");
    g_free (s);
  }
  g_mutex_unlock (&conv->lock);
  vl_conv_free (conv);

  /* A rejected key: the error texts and their details */
  conv = vl_conv_new (emu, 16000, "", NULL, NULL);
  g_object_set (conv->sink, "api-key", SECRET_TOKEN, NULL);
  vl_conv_start (conv);
  vl_conv_speak (conv, 0, 0, 100, FALSE);
  fail_unless (vl_conv_wait_message (conv, "voicelive/connection", 2, 10000));
  g_usleep (300000);
  g_mutex_lock (&conv->lock);
  for (i = 0; i < conv->messages->len; i++) {
    GstMessage *m = g_ptr_array_index (conv->messages, i);

    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
      GError *err = NULL;
      gchar *dbg = NULL;

      gst_message_parse_error (m, &err, &dbg);
      g_string_append_printf (all_messages, "%s %s", err->message,
          dbg ? dbg : "");
      g_clear_error (&err);
      g_free (dbg);
    }
  }
  g_mutex_unlock (&conv->lock);
  vl_conv_free (conv);

  gst_debug_set_default_threshold (GST_LEVEL_NONE);
  gst_debug_remove_log_function (capture_log);
  g_mutex_lock (&captured_lock);
  fail_unless (captured->len > 100000, "too little was logged to prove "
      "anything (%" G_GSIZE_FORMAT " bytes)", captured->len);
  assert_no_secret ("the GST_DEBUG=9 log", captured->str);
  g_mutex_unlock (&captured_lock);
  assert_no_secret ("a bus message", all_messages->str);
  fail_unless (strstr (all_messages->str, "401") != NULL);
  g_string_free (all_messages, TRUE);
  g_string_free (captured, TRUE);
  vl_emulator_stop (emu);
}

GST_END_TEST;

static gchar *
spawn_capture (const gchar * const *argv, const gchar * const *env_add,
    gint * status)
{
  gchar **env = g_get_environ ();
  gchar *out = NULL, *err = NULL, *all;
  GError *e = NULL;
  guint i;

  for (i = 0; env_add && env_add[i]; i += 2)
    env = g_environ_setenv (env, env_add[i], env_add[i + 1], TRUE);
  fail_unless (g_spawn_sync (NULL, (gchar **) argv, env, G_SPAWN_SEARCH_PATH,
          NULL, NULL, &out, &err, status, &e), "%s", e ? e->message : "");
  all = g_strconcat (out, err, NULL);
  g_free (out);
  g_free (err);
  g_strfreev (env);
  return all;
}

/* gst-launch-1.0 -v -m at GST_DEBUG=*:9 with the key in the environment,
 * as the docs recommend; and gst-inspect with the key in the environment. */
GST_START_TEST (test_secrets_not_in_gst_launch_or_inspect)
{
  VlEmulator *emu = vl_emulator_start ("--api-key", SECRET_KEY,
      "--reply-ms", "200", NULL);
  gchar *question = vl_test_file ("question.wav");
  gchar *loc = g_strdup_printf ("location=%s", question);
  gchar *ep = g_strdup_printf ("endpoint=%s", emu->url);
  const gchar *launch[] = { "timeout", "60", "gst-launch-1.0", "-v", "-m",
    "filesrc", loc, "!", "wavparse", "!", "audioconvert", "!",
    "audioresample", "!", "voicelivesink", ep, "voicelivesrc",
    "is-live=false", "!", "fakesink", NULL
  };
  const gchar *inspect[] = { "gst-inspect-1.0", "voicelivesink", NULL };
  const gchar *env[] = { "AZURE_VOICE_LIVE_API_KEY", SECRET_KEY,
    "GST_DEBUG", "*:9", "G_MESSAGES_DEBUG", "all", "GST_DEBUG_NO_COLOR", "1",
    NULL
  };
  gchar *out;
  gint status = -1;
  GPtrArray *rec;

  out = spawn_capture (launch, env, &status);
  fail_unless (g_spawn_check_wait_status (status, NULL), "gst-launch failed");
  fail_unless (strlen (out) > 100000);
  /* It really talked to the service with that key */
  fail_unless (strstr (out, "voicelive/response-done") != NULL);
  assert_no_secret ("gst-launch -v -m output at GST_DEBUG=*:9", out);
  g_free (out);
  rec = vl_emulator_record (emu);
  fail_unless_equals_string (json_object_get_string_member
      (json_node_get_object (vl_rec_find (rec, "meta", "#connect", 0)),
          "auth"), "api-key");
  g_ptr_array_unref (rec);

  out = spawn_capture (inspect, env, &status);
  fail_unless (g_spawn_check_wait_status (status, NULL));
  fail_unless (strstr (out, "api-key") != NULL);
  assert_no_secret ("gst-inspect output", out);
  g_free (out);

  g_free (loc);
  g_free (ep);
  g_free (question);
  vl_emulator_stop (emu);
}

GST_END_TEST;

GST_START_TEST (test_secrets_are_write_only)
{
  GstElement *sink = gst_element_factory_make ("voicelivesink", NULL);
  GParamSpec *key = g_object_class_find_property (G_OBJECT_GET_CLASS (sink),
      "api-key");
  GParamSpec *token = g_object_class_find_property (G_OBJECT_GET_CLASS
      (sink), "access-token");

  fail_unless (key && token);
  fail_if (key->flags & G_PARAM_READABLE);
  fail_if (token->flags & G_PARAM_READABLE);
  gst_object_unref (sink);
}

GST_END_TEST;

static Suite *
voicelive_security_suite (void)
{
  TCase *tc;
  Suite *s = vl_test_suite_new ("voicelive-security", 180, &tc);

  tcase_add_test (tc, test_tls_verified);
  tcase_add_test (tc, test_plain_ws_only_to_loopback);
  tcase_add_test (tc, test_loopback_not_proxied);
  /* These check what is printed, not memory: logging everything at level
   * 9 under valgrind takes many minutes for nothing more. */
  if (!g_getenv ("VL_UNDER_VALGRIND")) {
    tcase_add_test (tc, test_secrets_not_in_logs_or_messages);
    tcase_add_test (tc, test_secrets_not_in_gst_launch_or_inspect);
  }
  tcase_add_test (tc, test_secrets_are_write_only);
  return s;
}

GST_CHECK_MAIN (voicelive_security);
