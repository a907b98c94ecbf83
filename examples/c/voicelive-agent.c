/* voicelive-agent: a voice agent that answers from a local knowledge base
 * (the VoiceRAG pattern).
 *
 *   voicelive-agent --endpoint URL [--api-key KEY] --input question.wav|mic \
 *       --output answer.wav|speaker [--kb DIR]
 *
 * The agent gets one tool, search_knowledge_base(query). When the model
 * calls it (a voicelive/function-call message), the program searches the
 * text files of DIR (default: examples/data/kb of the source tree), one
 * passage per paragraph, scores each passage by the query words it contains,
 * and returns the best passages with their file names through the
 * function-result signal. The model then answers from them, and
 * voicelivesink sends response.create once the result is in.
 *
 * Pipelines:
 *   input:  filesrc ! wavparse | autoaudiosrc, then
 *           audioconvert ! audioresample ! voicelivesink
 *   output: voicelivesrc is-live=false ! wavenc ! filesink
 *         | voicelivesrc ! audioconvert ! audioresample ! autoaudiosink
 *
 * Ctrl+C sends end of stream: voicelivesink gets the last utterance answered
 * and the pipeline ends; the program waits at most 30 s for that, and a
 * second Ctrl+C quits at once. Without --endpoint / --api-key the element
 * reads AZURE_VOICE_LIVE_ENDPOINT and AZURE_VOICE_LIVE_API_KEY.
 *
 * Exit status: 0 at end of stream, 1 on an error, 2 on a timeout, 130 after
 * a second Ctrl+C.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <gst/gst.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <string.h>

#ifndef VL_KB_DIR
#define VL_KB_DIR "examples/data/kb"
#endif

#define EOS_WAIT_S 30
#define MAX_PASSAGES 2

static const gchar *tools_json =
    "[{\"type\":\"function\",\"name\":\"search_knowledge_base\","
    "\"description\":\"Search the Contoso Outdoor knowledge base (returns, "
    "warranty, tent care, store hours). Always use it before answering a "
    "question about Contoso.\","
    "\"parameters\":{\"type\":\"object\",\"properties\":{\"query\":"
    "{\"type\":\"string\",\"description\":\"The search query\"}},"
    "\"required\":[\"query\"]}}]";

static const gchar *instructions =
    "You are the voice assistant of Contoso Outdoor. Answer only from the "
    "passages returned by search_knowledge_base, briefly, and name the "
    "document you used. If nothing relevant is found, say so.";

typedef struct
{
  gchar *document;              /* file name */
  gchar *text;                  /* one paragraph */
} Passage;

typedef struct
{
  GMainLoop *loop;
  GstElement *pipeline;
  GstElement *agent;
  GPtrArray *passages;          /* Passage* */
  gint exit_code;
  gboolean eos_sent;
  guint eos_timeout_id;
} Agent;

/* ---- the knowledge base ---- */

static void
passage_free (gpointer p)
{
  Passage *passage = p;

  g_free (passage->document);
  g_free (passage->text);
  g_free (passage);
}

static GPtrArray *
kb_load (const gchar * dir, GError ** error)
{
  GPtrArray *passages = g_ptr_array_new_with_free_func (passage_free);
  GDir *d = g_dir_open (dir, 0, error);
  const gchar *name;

  if (!d) {
    g_ptr_array_unref (passages);
    return NULL;
  }
  while ((name = g_dir_read_name (d))) {
    gchar *path, *contents;
    gchar **paras;
    guint i;

    if (!g_str_has_suffix (name, ".txt"))
      continue;
    path = g_build_filename (dir, name, NULL);
    if (!g_file_get_contents (path, &contents, NULL, NULL)) {
      g_free (path);
      continue;
    }
    paras = g_strsplit (contents, "\n\n", -1);
    for (i = 0; paras[i]; i++) {
      gchar *t = g_strstrip (paras[i]);
      Passage *p;

      if (*t == '\0')
        continue;
      p = g_new0 (Passage, 1);
      p->document = g_strdup (name);
      p->text = g_strdup (t);
      g_ptr_array_add (passages, p);
    }
    g_strfreev (paras);
    g_free (contents);
    g_free (path);
  }
  g_dir_close (d);
  return passages;
}

/* Lower-case words of three letters or more. */
static gchar **
words_of (const gchar * text)
{
  gchar *lower = g_utf8_strdown (text, -1);
  GPtrArray *words = g_ptr_array_new ();
  gchar **parts;
  guint i;

  g_strdelimit (lower, ".,;:!?()\"'-/\n\t", ' ');
  parts = g_strsplit (lower, " ", -1);
  for (i = 0; parts[i]; i++)
    if (strlen (parts[i]) >= 3)
      g_ptr_array_add (words, g_strdup (parts[i]));
  g_ptr_array_add (words, NULL);
  g_strfreev (parts);
  g_free (lower);
  return (gchar **) g_ptr_array_free (words, FALSE);
}

/* Number of query words the passage (or its file name) contains. */
static guint
score (const Passage * p, gchar ** query)
{
  gchar *hay = g_strconcat (p->document, " ", p->text, NULL);
  gchar *lower = g_utf8_strdown (hay, -1);
  guint i, n = 0;

  for (i = 0; query[i]; i++)
    if (strstr (lower, query[i]))
      n++;
  g_free (lower);
  g_free (hay);
  return n;
}

/* The function result: {"query", "results": [{"document", "passage"}]} */
static gchar *
kb_search (Agent * a, const gchar * arguments)
{
  JsonParser *parser = json_parser_new ();
  const gchar *query = NULL;
  gchar **words;
  guint best[MAX_PASSAGES] = { 0 };
  gint best_i[MAX_PASSAGES];
  guint i, k;
  JsonBuilder *b;
  JsonNode *root;
  gchar *out;

  for (k = 0; k < MAX_PASSAGES; k++)
    best_i[k] = -1;
  if (arguments && json_parser_load_from_data (parser, arguments, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    query = json_object_get_string_member_with_default
        (json_node_get_object (json_parser_get_root (parser)), "query", NULL);
  if (!query)
    query = "";
  words = words_of (query);

  for (i = 0; i < a->passages->len; i++) {
    guint s = score (g_ptr_array_index (a->passages, i), words);

    for (k = 0; k < MAX_PASSAGES; k++) {
      if (s > best[k]) {
        guint j;

        for (j = MAX_PASSAGES - 1; j > k; j--) {
          best[j] = best[j - 1];
          best_i[j] = best_i[j - 1];
        }
        best[k] = s;
        best_i[k] = (gint) i;
        break;
      }
    }
  }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "query");
  json_builder_add_string_value (b, query);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (k = 0; k < MAX_PASSAGES; k++) {
    Passage *p;

    if (best_i[k] < 0)
      continue;
    p = g_ptr_array_index (a->passages, best_i[k]);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "document");
    json_builder_add_string_value (b, p->document);
    json_builder_set_member_name (b, "passage");
    json_builder_add_string_value (b, p->text);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  out = json_to_string (root, FALSE);
  json_node_unref (root);
  g_object_unref (b);
  g_strfreev (words);
  g_object_unref (parser);
  return out;
}

/* ---- the bus ---- */

static void
on_function_call (Agent * a, const GstStructure * s)
{
  const gchar *name = gst_structure_get_string (s, "name");
  const gchar *call_id = gst_structure_get_string (s, "call-id");
  const gchar *arguments = gst_structure_get_string (s, "arguments");
  gchar *output;
  gboolean ok = FALSE;

  g_print ("  call: %s(%s) [%s]\n", name, arguments, call_id);
  if (g_strcmp0 (name, "search_knowledge_base") == 0)
    output = kb_search (a, arguments);
  else
    output = g_strdup_printf ("{\"error\":\"unknown function %s\"}", name);
  g_print ("result: %s\n", output);
  g_signal_emit_by_name (a->agent, "function-result", call_id, output, &ok);
  if (!ok)
    g_printerr ("function-result refused for %s\n", call_id);
  g_free (output);
}

static void
on_element (Agent * a, const GstStructure * s)
{
  const gchar *name = gst_structure_get_name (s);
  gboolean final = FALSE;

  if (!g_str_has_prefix (name, "voicelive/"))
    return;
  name += strlen ("voicelive/");
  gst_structure_get_boolean (s, "final", &final);

  if (g_str_equal (name, "connection"))
    g_print ("  link: %s\n", gst_structure_get_string (s, "state"));
  else if (g_str_equal (name, "speech-started"))
    g_print ("   vad: speech started\n");
  else if (g_str_equal (name, "speech-stopped"))
    g_print ("   vad: speech stopped\n");
  else if (g_str_equal (name, "input-transcript") && final)
    g_print ("  user: %s\n", gst_structure_get_string (s, "transcript"));
  else if ((g_str_equal (name, "response-transcript")
          || g_str_equal (name, "response-text")) && final)
    g_print (" agent: %s\n", gst_structure_get_string (s, "text"));
  else if (g_str_equal (name, "function-call"))
    on_function_call (a, s);
  else if (g_str_equal (name, "response-done"))
    g_print ("  done: response %s\n", gst_structure_get_string (s, "status"));
  else if (g_str_equal (name, "truncated"))
    g_print (" cut: answer interrupted by the user\n");
}

static gboolean
on_bus (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  Agent *a = user_data;
  GError *err = NULL;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ELEMENT:
      if (gst_message_get_structure (msg))
        on_element (a, gst_message_get_structure (msg));
      break;
    case GST_MESSAGE_WARNING:
      gst_message_parse_warning (msg, &err, NULL);
      g_printerr ("warning: %s\n", err->message);
      g_clear_error (&err);
      break;
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (msg, &err, NULL);
      g_printerr ("error: %s\n", err->message);
      g_clear_error (&err);
      a->exit_code = 1;
      g_main_loop_quit (a->loop);
      break;
    case GST_MESSAGE_EOS:
      g_print ("   eos: conversation finished\n");
      a->exit_code = 0;
      g_main_loop_quit (a->loop);
      break;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_eos_timeout (gpointer user_data)
{
  Agent *a = user_data;

  g_printerr ("no end of stream within %d s: stopping\n", EOS_WAIT_S);
  a->eos_timeout_id = 0;
  a->exit_code = 2;
  g_main_loop_quit (a->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_sigint (gpointer user_data)
{
  Agent *a = user_data;

  if (a->eos_sent) {
    a->exit_code = 130;
    g_main_loop_quit (a->loop);
    return G_SOURCE_REMOVE;
  }
  g_print ("  stop: sending end of stream (Ctrl+C again to quit now)\n");
  a->eos_sent = TRUE;
  gst_element_send_event (a->pipeline, gst_event_new_eos ());
  a->eos_timeout_id = g_timeout_add_seconds (EOS_WAIT_S, on_eos_timeout, a);
  return G_SOURCE_CONTINUE;
}

/* ---- main ---- */

static GstElement *
build_pipeline (const gchar * input, const gchar * output, GError ** error)
{
  gchar *in, *out, *desc, *loc;
  GstElement *p;

  if (g_strcmp0 (input, "mic") == 0)
    in = g_strdup ("autoaudiosrc");
  else {
    loc = g_strescape (input, NULL);
    in = g_strdup_printf ("filesrc location=\"%s\" ! wavparse", loc);
    g_free (loc);
  }
  if (g_strcmp0 (output, "speaker") == 0)
    out = g_strdup ("voicelivesrc ! audioconvert ! audioresample ! "
        "autoaudiosink");
  else {
    loc = g_strescape (output, NULL);
    out = g_strdup_printf ("voicelivesrc is-live=false ! wavenc ! "
        "filesink location=\"%s\"", loc);
    g_free (loc);
  }
  desc = g_strdup_printf ("%s ! audioconvert ! audioresample ! "
      "voicelivesink name=agent  %s", in, out);
  p = gst_parse_launch (desc, error);
  g_free (desc);
  g_free (in);
  g_free (out);
  return p;
}

int
main (int argc, char **argv)
{
  gchar *endpoint = NULL, *api_key = NULL, *input = NULL, *output = NULL;
  gchar *kb_dir = NULL;
  GOptionEntry entries[] = {
    {"endpoint", 0, 0, G_OPTION_ARG_STRING, &endpoint,
        "Service URL (default: $AZURE_VOICE_LIVE_ENDPOINT)", "URL"},
    {"api-key", 0, 0, G_OPTION_ARG_STRING, &api_key,
        "Key (default: $AZURE_VOICE_LIVE_API_KEY)", "KEY"},
    {"input", 0, 0, G_OPTION_ARG_FILENAME, &input,
        "WAV file with the question, or \"mic\"", "FILE|mic"},
    {"output", 0, 0, G_OPTION_ARG_FILENAME, &output,
        "WAV file for the answer, or \"speaker\"", "FILE|speaker"},
    {"kb", 0, 0, G_OPTION_ARG_FILENAME, &kb_dir,
        "Directory of .txt documents (default: " VL_KB_DIR ")", "DIR"},
    {NULL}
  };
  GOptionContext *ctx;
  GError *err = NULL;
  Agent a = { 0 };
  GstBus *bus;
  guint sigint_id;

  ctx = g_option_context_new ("- a voice agent with a local knowledge base");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("%s\n", err->message);
    return 1;
  }
  g_option_context_free (ctx);
  if (!input || !output) {
    g_printerr ("--input and --output are required (see --help)\n");
    return 1;
  }

  a.passages = kb_load (kb_dir ? kb_dir : VL_KB_DIR, &err);
  if (!a.passages) {
    g_printerr ("knowledge base: %s\n", err->message);
    return 1;
  }
  g_print ("    kb: %u passages\n", a.passages->len);

  a.pipeline = build_pipeline (input, output, &err);
  if (!a.pipeline) {
    g_printerr ("pipeline: %s\n", err->message);
    return 1;
  }
  a.agent = gst_bin_get_by_name (GST_BIN (a.pipeline), "agent");
  if (endpoint)
    g_object_set (a.agent, "endpoint", endpoint, NULL);
  if (api_key)
    g_object_set (a.agent, "api-key", api_key, NULL);
  g_object_set (a.agent, "instructions", instructions, "tools", tools_json,
      "transcription-model", "azure-speech", NULL);

  a.loop = g_main_loop_new (NULL, FALSE);
  a.exit_code = 1;
  bus = gst_element_get_bus (a.pipeline);
  gst_bus_add_watch (bus, on_bus, &a);
  sigint_id = g_unix_signal_add (SIGINT, on_sigint, &a);

  if (gst_element_set_state (a.pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    GstMessage *m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

    if (m) {
      gst_message_parse_error (m, &err, NULL);
      g_printerr ("error: %s\n", err->message);
      g_clear_error (&err);
      gst_message_unref (m);
    }
  } else {
    g_main_loop_run (a.loop);
  }

  gst_element_set_state (a.pipeline, GST_STATE_NULL);
  if (a.eos_timeout_id)
    g_source_remove (a.eos_timeout_id);
  g_source_remove (sigint_id);
  gst_bus_remove_watch (bus);
  gst_object_unref (bus);
  gst_object_unref (a.agent);
  gst_object_unref (a.pipeline);
  g_main_loop_unref (a.loop);
  g_ptr_array_unref (a.passages);
  g_free (endpoint);
  g_free (api_key);
  g_free (input);
  g_free (output);
  g_free (kb_dir);
  return a.exit_code;
}
