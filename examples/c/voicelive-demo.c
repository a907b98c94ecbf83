/* voicelive-demo: a spoken question in a WAV file, the agent's spoken answer
 * out to another WAV file, and the conversation printed as it happens.
 *
 *   voicelive-demo --endpoint ws://127.0.0.1:PORT --api-key KEY \
 *       --input question.wav --output answer.wav
 *
 * The pipeline is
 *
 *   filesrc ! wavparse ! audioconvert ! audioresample ! voicelivesink
 *   voicelivesrc is-live=false ! wavenc ! filesink
 *
 * Without --endpoint / --api-key the elements read AZURE_VOICE_LIVE_ENDPOINT
 * and AZURE_VOICE_LIVE_API_KEY from the environment.  The key is handed to
 * the element and never printed.
 *
 * Exit status: 0 when the pipeline reached EOS (the whole answer is in the
 * output file), 1 on an error, 2 when the safety timeout expired, 130 after
 * a second Ctrl+C.
 */

#include <gst/gst.h>
#include <glib-unix.h>
#include <string.h>

#define SAFETY_TIMEOUT_S 120

typedef struct
{
  GMainLoop *loop;
  GstElement *pipeline;
  gint64 start_us;
  gint exit_code;
  gboolean eos_sent;
  guint sigint_id;
  guint timeout_id;
} Demo;

/* Field readers that tolerate a missing field or an unexpected type. */

static const gchar *
field_str (const GstStructure * s, const gchar * name, const gchar * fallback)
{
  const gchar *v = gst_structure_get_string (s, name);

  return v != NULL ? v : fallback;
}

static gboolean
field_bool (const GstStructure * s, const gchar * name, gboolean fallback)
{
  gboolean v;

  return gst_structure_get_boolean (s, name, &v) ? v : fallback;
}

/* Any integer, unsigned or floating field as gint64 (-1 when missing). */
static gint64
field_int (const GstStructure * s, const gchar * name)
{
  const GValue *v = gst_structure_get_value (s, name);
  GValue out = G_VALUE_INIT;
  gint64 ret = -1;

  if (v == NULL || !g_value_type_transformable (G_VALUE_TYPE (v), G_TYPE_INT64))
    return -1;
  g_value_init (&out, G_TYPE_INT64);
  if (g_value_transform (v, &out))
    ret = g_value_get_int64 (&out);
  g_value_unset (&out);
  return ret;
}

/* A numeric field as text, "?" when it is missing. */
static gchar *
int_text (const GstStructure * s, const gchar * name)
{
  gint64 v = field_int (s, name);

  return v < 0 ? g_strdup ("?") : g_strdup_printf ("%" G_GINT64_FORMAT, v);
}

/* *INDENT-OFF* */
static void say (Demo * demo, const gchar * format, ...) G_GNUC_PRINTF (2, 3);
/* *INDENT-ON* */

/* One line of the conversation, with the time since the start. */
static void
say (Demo * demo, const gchar * format, ...)
{
  gint64 ms = (g_get_monotonic_time () - demo->start_us) / 1000;
  va_list args;
  gchar *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_print ("[%3" G_GINT64_FORMAT ".%03d] %s\n", ms / 1000, (gint) (ms % 1000),
      text);
  g_free (text);
}

static void
print_voicelive_message (Demo * demo, const GstStructure * s)
{
  const gchar *full = gst_structure_get_name (s);
  const gchar *name = full + strlen ("voicelive/");

  if (g_str_equal (name, "connection")) {
    const gchar *reason = field_str (s, "reason", "");
    gint64 attempt = field_int (s, "attempt");
    gchar *attempt_text = attempt > 1 ?
        g_strdup_printf (" (attempt %" G_GINT64_FORMAT ")", attempt) : NULL;

    say (demo, "connection: %s%s%s%s", field_str (s, "state", "?"),
        attempt_text != NULL ? attempt_text : "", *reason ? ": " : "", reason);
    g_free (attempt_text);
  } else if (g_str_equal (name, "session-created")) {
    say (demo, "session created: %s", field_str (s, "session-id", "?"));
  } else if (g_str_equal (name, "session-updated")) {
    say (demo, "session updated");
  } else if (g_str_equal (name, "speech-started")) {
    say (demo, "(you start speaking at %" G_GINT64_FORMAT " ms)",
        field_int (s, "audio-start-ms"));
  } else if (g_str_equal (name, "speech-stopped")) {
    say (demo, "(you stop speaking at %" G_GINT64_FORMAT " ms)",
        field_int (s, "audio-end-ms"));
  } else if (g_str_equal (name, "input-transcript")) {
    if (field_bool (s, "final", FALSE))
      say (demo, "You: %s", field_str (s, "transcript", ""));
  } else if (g_str_equal (name, "response-started")) {
    say (demo, "response started: %s", field_str (s, "response-id", "?"));
  } else if (g_str_equal (name, "response-transcript")) {
    if (field_bool (s, "final", FALSE))
      say (demo, "Agent: %s", field_str (s, "text", ""));
  } else if (g_str_equal (name, "response-text")) {
    if (field_bool (s, "final", FALSE))
      say (demo, "Agent (text): %s", field_str (s, "text", ""));
  } else if (g_str_equal (name, "response-done")) {
    gchar *in = int_text (s, "input-tokens");
    gchar *out = int_text (s, "output-tokens");
    gchar *total = int_text (s, "total-tokens");

    say (demo, "response done: %s, tokens in %s out %s total %s",
        field_str (s, "status", "?"), in, out, total);
    g_free (in);
    g_free (out);
    g_free (total);
  } else if (g_str_equal (name, "function-call")) {
    say (demo, "function call: %s(%s)", field_str (s, "name", "?"),
        field_str (s, "arguments", ""));
  } else if (g_str_equal (name, "playback-started")) {
    say (demo, "(answer audio starts)");
  } else if (g_str_equal (name, "playback-stopped")) {
    say (demo, "(answer audio stops after %" G_GINT64_FORMAT " ms%s)",
        field_int (s, "played-ms"),
        field_bool (s, "interrupted", FALSE) ? ", interrupted" : "");
  } else if (g_str_equal (name, "truncated")) {
    say (demo, "answer truncated at %" G_GINT64_FORMAT " ms",
        field_int (s, "audio-end-ms"));
  } else if (g_str_equal (name, "server-event")) {
    say (demo, "server event: %s", field_str (s, "event-type", "?"));
  } else {
    say (demo, "%s", full);
  }
}

static void
print_details (Demo * demo, const GstStructure * details)
{
  if (details == NULL || !gst_structure_has_name (details, "voicelive/error"))
    return;
  say (demo, "  service error: code %s, type %s: %s",
      field_str (details, "code", "?"), field_str (details, "type", "?"),
      field_str (details, "message", ""));
}

static gboolean
on_bus_message (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  Demo *demo = user_data;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ELEMENT:{
      const GstStructure *s = gst_message_get_structure (msg);

      if (s != NULL && g_str_has_prefix (gst_structure_get_name (s),
              "voicelive/"))
        print_voicelive_message (demo, s);
      break;
    }
    case GST_MESSAGE_WARNING:{
      GError *err = NULL;
      gchar *debug = NULL;
      const GstStructure *details = NULL;

      gst_message_parse_warning (msg, &err, &debug);
      gst_message_parse_warning_details (msg, &details);
      say (demo, "WARNING from %s: %s", GST_OBJECT_NAME (msg->src),
          err->message);
      print_details (demo, details);
      g_clear_error (&err);
      g_free (debug);
      break;
    }
    case GST_MESSAGE_ERROR:{
      GError *err = NULL;
      gchar *debug = NULL;
      const GstStructure *details = NULL;

      gst_message_parse_error (msg, &err, &debug);
      gst_message_parse_error_details (msg, &details);
      say (demo, "ERROR from %s: %s", GST_OBJECT_NAME (msg->src), err->message);
      if (debug != NULL)
        say (demo, "  debug: %s", debug);
      print_details (demo, details);
      g_clear_error (&err);
      g_free (debug);
      demo->exit_code = 1;
      g_main_loop_quit (demo->loop);
      break;
    }
    case GST_MESSAGE_EOS:
      say (demo, "end of stream");
      demo->exit_code = 0;
      g_main_loop_quit (demo->loop);
      break;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigint (gpointer user_data)
{
  Demo *demo = user_data;

  if (!demo->eos_sent) {
    say (demo, "interrupted: finishing (press Ctrl+C again to stop now)");
    demo->eos_sent = TRUE;
    gst_element_send_event (demo->pipeline, gst_event_new_eos ());
    return G_SOURCE_CONTINUE;
  }
  say (demo, "interrupted again: stopping");
  demo->exit_code = 130;
  g_main_loop_quit (demo->loop);
  demo->sigint_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
on_timeout (gpointer user_data)
{
  Demo *demo = user_data;

  say (demo, "no end of stream after %d s: giving up", SAFETY_TIMEOUT_S);
  demo->exit_code = 2;
  g_main_loop_quit (demo->loop);
  demo->timeout_id = 0;
  return G_SOURCE_REMOVE;
}

/* The endpoint without user info, query or fragment: safe to print even when
 * someone put a secret into the URL. */
static gchar *
printable_endpoint (const gchar * endpoint)
{
  GUri *uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL);
  gchar *ret;

  if (uri == NULL)
    return g_strdup ("(endpoint not shown: not a valid URL)");
  if (g_uri_get_port (uri) > 0)
    ret = g_strdup_printf ("%s://%s:%d%s", g_uri_get_scheme (uri),
        g_uri_get_host (uri) ? g_uri_get_host (uri) : "",
        g_uri_get_port (uri), g_uri_get_path (uri));
  else
    ret = g_strdup_printf ("%s://%s%s", g_uri_get_scheme (uri),
        g_uri_get_host (uri) ? g_uri_get_host (uri) : "", g_uri_get_path (uri));
  g_uri_unref (uri);
  return ret;
}

/* Sets a string property if the element has it, so that a plugin without it
 * gives a readable message rather than a GLib critical. */
static gboolean
set_string_property (GstElement * element, const gchar * name,
    const gchar * value)
{
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (element), name) == NULL) {
    g_printerr ("%s has no property '%s'\n", GST_ELEMENT_NAME (element), name);
    return FALSE;
  }
  g_object_set (element, name, value, NULL);
  return TRUE;
}

int
main (int argc, char *argv[])
{
  gchar *endpoint = NULL, *api_key = NULL, *input = NULL, *output = NULL;
  gchar *instructions = NULL;
  GOptionEntry entries[] = {
    {"endpoint", 'e', 0, G_OPTION_ARG_STRING, &endpoint,
        "Service URL (default: $AZURE_VOICE_LIVE_ENDPOINT)", "URL"},
    {"api-key", 'k', 0, G_OPTION_ARG_STRING, &api_key,
        "API key (default: $AZURE_VOICE_LIVE_API_KEY)", "KEY"},
    {"input", 'i', 0, G_OPTION_ARG_FILENAME, &input,
        "WAV file with the question (required)", "FILE"},
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
        "WAV file for the answer (default: answer.wav)", "FILE"},
    {"instructions", 0, 0, G_OPTION_ARG_STRING, &instructions,
        "System instructions for the agent", "TEXT"},
    {NULL}
  };
  GOptionContext *ctx;
  GError *err = NULL;
  Demo demo = { 0, };
  GstElement *sink, *in, *out;
  GstBus *bus;
  guint bus_watch;

  ctx = g_option_context_new ("- talk to a voice agent from a WAV file");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("%s\n", err->message);
    g_clear_error (&err);
    g_option_context_free (ctx);
    return 1;
  }
  g_option_context_free (ctx);

  if (input == NULL) {
    g_printerr ("--input is required (see --help)\n");
    return 1;
  }
  if (output == NULL)
    output = g_strdup ("answer.wav");

  /* No user values in the description: they are set as properties below, so
   * nothing needs quoting and the key never is part of a string. */
  demo.pipeline = gst_parse_launch ("filesrc name=in ! wavparse ! "
      "audioconvert ! audioresample ! "
      "voicelivesink name=sink turn-detection=server-vad "
      "voicelivesrc is-live=false ! wavenc ! filesink name=out", &err);
  if (demo.pipeline == NULL || err != NULL) {
    g_printerr ("Could not create the pipeline: %s\n"
        "Is the voicelive plugin in GST_PLUGIN_PATH?\n",
        err != NULL ? err->message : "unknown error");
    g_clear_error (&err);
    gst_clear_object (&demo.pipeline);
    return 1;
  }

  in = gst_bin_get_by_name (GST_BIN (demo.pipeline), "in");
  out = gst_bin_get_by_name (GST_BIN (demo.pipeline), "out");
  sink = gst_bin_get_by_name (GST_BIN (demo.pipeline), "sink");
  g_object_set (in, "location", input, NULL);
  g_object_set (out, "location", output, NULL);
  if ((endpoint != NULL && !set_string_property (sink, "endpoint", endpoint))
      || (api_key != NULL && !set_string_property (sink, "api-key", api_key))
      || (instructions != NULL
          && !set_string_property (sink, "instructions", instructions))
      /* so the conversation shows what you said, too */
      || !set_string_property (sink, "transcription-model", "azure-speech")) {
    demo.exit_code = 1;
  }
  gst_object_unref (in);
  gst_object_unref (out);
  gst_object_unref (sink);
  if (api_key != NULL) {
    /* The element has its copy; do not keep one around. */
    memset (api_key, 0, strlen (api_key));
    g_clear_pointer (&api_key, g_free);
  }
  if (demo.exit_code != 0)
    goto done;

  demo.loop = g_main_loop_new (NULL, FALSE);
  demo.start_us = g_get_monotonic_time ();
  bus = gst_element_get_bus (demo.pipeline);
  bus_watch = gst_bus_add_watch (bus, on_bus_message, &demo);
  gst_object_unref (bus);
  demo.sigint_id = g_unix_signal_add (SIGINT, on_sigint, &demo);
  demo.timeout_id = g_timeout_add_seconds (SAFETY_TIMEOUT_S, on_timeout, &demo);

  if (endpoint != NULL) {
    gchar *shown = printable_endpoint (endpoint);

    say (&demo, "endpoint: %s", shown);
    g_free (shown);
  } else {
    say (&demo, "endpoint: from AZURE_VOICE_LIVE_ENDPOINT");
  }
  say (&demo, "question: %s -> answer: %s", input, output);

  if (gst_element_set_state (demo.pipeline,
          GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    /* The ERROR message on the bus says why: let the watch print what is
     * pending, then stop. */
    while (g_main_context_iteration (NULL, FALSE));
    say (&demo, "the pipeline could not start");
    demo.exit_code = 1;
  } else {
    g_main_loop_run (demo.loop);
  }

  gst_element_set_state (demo.pipeline, GST_STATE_NULL);
  if (demo.timeout_id != 0)
    g_source_remove (demo.timeout_id);
  if (demo.sigint_id != 0)
    g_source_remove (demo.sigint_id);
  g_source_remove (bus_watch);
  g_main_loop_unref (demo.loop);
  if (demo.exit_code == 0)
    g_print ("The answer is in %s\n", output);

done:
  gst_object_unref (demo.pipeline);
  g_free (endpoint);
  g_free (input);
  g_free (output);
  g_free (instructions);
  return demo.exit_code;
}
