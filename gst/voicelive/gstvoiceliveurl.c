/* gst-voicelive: the WebSocket URL built from the endpoint and the
 * api-version/model/agent properties, with its TLS rule. Pure; voicelivesink
 * calls it on the thread that changes its state and in set_caps.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gio/gio.h>
#include "gstvoiceliveprotocol.h"

/* @host as GUri gives it (IPv6 without brackets). Only an IP literal in
 * 127.0.0.0/8 or ::1, or exactly "localhost", is loopback: a DNS name such
 * as 127.evil.example can point anywhere. */
static gboolean
host_is_loopback (const gchar * host)
{
  GInetAddress *addr;
  gboolean loopback;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  addr = g_inet_address_new_from_string (host);
  if (!addr)
    return FALSE;
  loopback = g_inet_address_get_is_loopback (addr);
  g_object_unref (addr);
  return loopback;
}

gboolean
gst_voice_live_url_is_loopback (const gchar * url)
{
  GUri *uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  gboolean loopback = uri && g_uri_get_host (uri)
      && host_is_loopback (g_uri_get_host (uri));

  if (uri)
    g_uri_unref (uri);
  return loopback;
}

static gboolean
query_has (const gchar * query, const gchar * name)
{
  gchar **params;
  gboolean found = FALSE;
  guint i;

  if (!query)
    return FALSE;
  params = g_strsplit (query, "&", -1);
  for (i = 0; params[i] && !found; i++) {
    gsize n = strlen (name);

    found = strncmp (params[i], name, n) == 0
        && (params[i][n] == '=' || params[i][n] == '\0');
  }
  g_strfreev (params);
  return found;
}

static void
query_add (GString * q, const gchar * name, const gchar * value)
{
  gchar *esc = g_uri_escape_string (value, NULL, FALSE);

  if (q->len > 0)
    g_string_append_c (q, '&');
  g_string_append_printf (q, "%s=%s", name, esc);
  g_free (esc);
}

/* @endpoint parsed and checked (scheme, host, TLS rule); NULL and @error if
 * it is not usable. @ws_scheme: "wss" or "ws". */
static GUri *
parse_endpoint (const gchar * endpoint, const gchar ** ws_scheme,
    GError ** error)
{
  GUri *uri;
  GError *err = NULL;
  const gchar *scheme, *host;
  gboolean tls;

  if (!endpoint || !*endpoint) {
    g_set_error_literal (error, G_URI_ERROR, G_URI_ERROR_FAILED,
        "No endpoint set: set the endpoint property (or the "
        "AZURE_VOICE_LIVE_ENDPOINT environment variable) to the resource URL,"
        " e.g. https://<resource>.services.ai.azure.com");
    return NULL;
  }
  uri = g_uri_parse (endpoint, G_URI_FLAGS_ENCODED, &err);
  if (!uri) {
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_FAILED,
        "The endpoint property is not a valid URL (%s): expected "
        "https://<resource>.services.ai.azure.com or a wss:// URL",
        err->message);
    g_clear_error (&err);
    return NULL;
  }
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0
      || g_ascii_strcasecmp (scheme, "wss") == 0) {
    tls = TRUE;
    *ws_scheme = "wss";
  } else if (g_ascii_strcasecmp (scheme, "http") == 0
      || g_ascii_strcasecmp (scheme, "ws") == 0) {
    tls = FALSE;
    *ws_scheme = "ws";
  } else {
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_SCHEME,
        "The endpoint property has the unsupported scheme \"%s\": use "
        "https:// or wss:// (ws:// and http:// only for a loopback host)",
        scheme);
    g_uri_unref (uri);
    return NULL;
  }
  if (!host || !*host) {
    g_set_error_literal (error, G_URI_ERROR, G_URI_ERROR_BAD_HOST,
        "The endpoint property has no host name");
    g_uri_unref (uri);
    return NULL;
  }
  if (!tls && !host_is_loopback (host)) {
    g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_SCHEME,
        "The endpoint property uses unencrypted %s:// to the non-loopback "
        "host \"%s\": TLS is needed, use https:// or wss:// (plain ws:// is "
        "allowed only to a loopback address, 127.0.0.0/8 or [::1], or to "
        "localhost, for local test servers)", scheme, host);
    g_uri_unref (uri);
    return NULL;
  }
  return uri;
}

/* The endpoint's @query plus the parameters the path takes that it does
 * not already have. */
static GString *
build_query (const gchar * query, const gchar * path,
    const gchar * api_version, const gchar * model, const gchar * agent_name,
    const gchar * agent_project_name, const gchar * const *agent_query)
{
  guint i;

  gboolean voice_live_path = g_str_has_suffix (path, "/voice-live/realtime");
  gboolean aoai_path = g_str_has_suffix (path, "/openai/realtime");
  GString *q = g_string_new (query ? query : "");

  if ((voice_live_path || aoai_path) && api_version && *api_version
      && !query_has (query, "api-version"))
    query_add (q, "api-version", api_version);
  if (voice_live_path && agent_name && *agent_name) {
    if (!query_has (query, "agent-name"))
      query_add (q, "agent-name", agent_name);
    if (agent_project_name && *agent_project_name
        && !query_has (query, "agent-project-name"))
      query_add (q, "agent-project-name", agent_project_name);
    /* agent-version, conversation-id, ... (protocol-2026.md §2.9) */
    for (i = 0; agent_query && agent_query[i]; i += 2)
      if (agent_query[i + 1] && *agent_query[i + 1]
          && !query_has (query, agent_query[i]))
        query_add (q, agent_query[i], agent_query[i + 1]);
  } else if (voice_live_path && model && *model && !query_has (query, "model")
      && !query_has (query, "agent-name")) {
    query_add (q, "model", model);
  }
  return q;
}

gchar *
gst_voice_live_build_url (const gchar * endpoint, const gchar * api_version,
    const gchar * model, const gchar * agent_name,
    const gchar * agent_project_name, gboolean * openai_beta, GError ** error)
{
  return gst_voice_live_build_url_full (endpoint, api_version, model,
      agent_name, agent_project_name, NULL, openai_beta, error);
}

gchar *
gst_voice_live_build_url_full (const gchar * endpoint,
    const gchar * api_version, const gchar * model, const gchar * agent_name,
    const gchar * agent_project_name, const gchar * const *agent_query,
    gboolean * openai_beta, GError ** error)
{
  GUri *uri, *out;
  const gchar *ws_scheme = NULL, *host, *path;
  GString *q;
  gchar *result, *new_path;

  *openai_beta = FALSE;
  uri = parse_endpoint (endpoint, &ws_scheme, error);
  if (!uri)
    return NULL;
  host = g_uri_get_host (uri);
  path = g_uri_get_path (uri);
  if (!path || !*path || strcmp (path, "/") == 0)
    new_path = g_strdup ("/voice-live/realtime");
  else
    new_path = g_strdup (path);
  q = build_query (g_uri_get_query (uri), new_path, api_version, model,
      agent_name, agent_project_name, agent_query);

  *openai_beta = g_ascii_strcasecmp (host, "api.openai.com") == 0
      || (g_str_has_suffix (new_path, "/v1/realtime")
      && !g_str_has_suffix (new_path, "/openai/v1/realtime"));

  out = g_uri_build (G_URI_FLAGS_ENCODED, ws_scheme, NULL, host,
      g_uri_get_port (uri), new_path, q->len ? q->str : NULL, NULL);
  result = g_uri_to_string (out);
  g_uri_unref (out);
  g_string_free (q, TRUE);
  g_free (new_path);
  g_uri_unref (uri);
  return result;
}
