/* gst-voicelive
 * voicelivesink's settings (GstVoiceLiveSinkSettings) as its property
 * table (gstvoicelivesinkprops.c) describes them: init, copy, clear, get,
 * set, and the checks of a value against the dialect and the api-version.
 * Runs on whatever thread gets or sets a property; the sink holds its
 * object lock.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gio/gio.h>
#include "gstvoicelivesinkprops.h"
#include "gstvoiceliveprotocol2026.h"

static void
secret_free (gchar * s)
{
  if (s) {
    memset (s, 0, strlen (s));
    g_free (s);
  }
}

static void
free_string (const GstVoiceLiveSinkProp * r, gchar * s)
{
  if (r->special & GST_VOICE_LIVE_PROP_SECRET)
    secret_free (s);
  else
    g_free (s);
}

/* Where a row's value is: in the config for a session field, else among
 * the connection settings. */
static gpointer
member (GstVoiceLiveSinkSettings * s, GstVoiceLiveConfig * config,
    const GstVoiceLiveSinkProp * r)
{
  if (r->field)
    return G_STRUCT_MEMBER_P (config, r->offset);
  return G_STRUCT_MEMBER_P (s, r->offset);
}

static void
store (const GstVoiceLiveSinkProp * r, gpointer m, const GValue * v)
{
  switch (r->type) {
    case G_TYPE_STRING:
      free_string (r, *(gchar **) m);
      *(gchar **) m = g_value_dup_string (v);
      break;
    case G_TYPE_BOOLEAN:
      *(gboolean *) m = g_value_get_boolean (v);
      break;
    case G_TYPE_INT:
      *(gint *) m = g_value_get_int (v);
      break;
    case G_TYPE_UINT:
      *(guint *) m = g_value_get_uint (v);
      break;
    case G_TYPE_DOUBLE:
      *(gdouble *) m = g_value_get_double (v);
      break;
    case G_TYPE_ENUM:
      *(gint *) m = g_value_get_enum (v);
      break;
    case G_TYPE_FLAGS:
      *(guint *) m = g_value_get_flags (v);
      break;
    default:
      g_assert_not_reached ();
  }
}

static void
load (const GstVoiceLiveSinkProp * r, gconstpointer m, GValue * v)
{
  switch (r->type) {
    case G_TYPE_STRING:
      g_value_set_string (v, *(gchar * const *) m);
      break;
    case G_TYPE_BOOLEAN:
      g_value_set_boolean (v, *(const gboolean *) m);
      break;
    case G_TYPE_INT:
      g_value_set_int (v, *(const gint *) m);
      break;
    case G_TYPE_UINT:
      g_value_set_uint (v, *(const guint *) m);
      break;
    case G_TYPE_DOUBLE:
      g_value_set_double (v, *(const gdouble *) m);
      break;
    case G_TYPE_ENUM:
      g_value_set_enum (v, *(const gint *) m);
      break;
    case G_TYPE_FLAGS:
      g_value_set_flags (v, *(const guint *) m);
      break;
    default:
      g_assert_not_reached ();
  }
}

/* A session field into @config, with its bit. */
static void
config_set (GstVoiceLiveConfig * config, const GstVoiceLiveSinkProp * r,
    const GValue * v)
{
  store (r, G_STRUCT_MEMBER_P (config, r->offset), v);
  if ((r->special & GST_VOICE_LIVE_PROP_DEFAULT_UNSETS)
      && G_VALUE_HOLDS_ENUM (v) && g_value_get_enum (v) == (gint) r->def)
    config->set &= ~r->field;
  else
    config->set |= r->field;
}

void
gst_voice_live_sink_settings_set (GstVoiceLiveSinkSettings * s,
    const GstVoiceLiveSinkProp * r, const GValue * value)
{
  g_return_if_fail (r->offset >= 0);
  if (r->field)
    config_set (&s->config, r, value);
  else
    store (r, member (s, &s->config, r), value);
}

void
gst_voice_live_sink_settings_get (const GstVoiceLiveSinkSettings * s,
    const GstVoiceLiveSinkProp * r, GValue * value)
{
  g_return_if_fail (r->offset >= 0);
  load (r, member ((GstVoiceLiveSinkSettings *) s,
          (GstVoiceLiveConfig *) & s->config, r), value);
}

gboolean
gst_voice_live_sink_prop_check (const GstVoiceLiveSinkProp * r,
    const GValue * value, GError ** error)
{
  GstVoiceLiveConfig probe;
  gboolean ok;

  gst_voice_live_config_init (&probe);
  config_set (&probe, r, value);
  probe.set = r->field;
  ok = gst_voice_live_config_validate (&probe, error);
  gst_voice_live_config_clear (&probe);
  return ok;
}

/* The connection settings' defaults come from their rows; the session
 * fields' from gst_voice_live_config_init(), which the rows match. */
void
gst_voice_live_sink_settings_init (GstVoiceLiveSinkSettings * s)
{
  guint i;

  memset (s, 0, sizeof (*s));
  for (i = 0; i < gst_voice_live_sink_n_props; i++) {
    const GstVoiceLiveSinkProp *r = &gst_voice_live_sink_props[i];
    gpointer m;

    if (r->field || r->offset < 0)
      continue;
    m = member (s, NULL, r);
    if (r->type == G_TYPE_STRING)
      *(gchar **) m = g_strdup (r->def_str);
    else if (r->type == G_TYPE_UINT)
      *(guint *) m = r->def;
    else if (r->type == G_TYPE_BOOLEAN)
      *(gboolean *) m = r->def != 0;
    else if (r->type == G_TYPE_ENUM)
      *(gint *) m = r->def;
    else
      g_assert_not_reached ();
  }
  gst_voice_live_config_init (&s->config);
}

void
gst_voice_live_sink_settings_clear (GstVoiceLiveSinkSettings * s)
{
  guint i;

  for (i = 0; i < gst_voice_live_sink_n_props; i++) {
    const GstVoiceLiveSinkProp *r = &gst_voice_live_sink_props[i];

    if (!r->field && r->offset >= 0 && r->type == G_TYPE_STRING) {
      gchar **m = member (s, NULL, r);

      free_string (r, *m);
      *m = NULL;
    }
  }
  gst_voice_live_config_clear (&s->config);
}

void
gst_voice_live_sink_settings_copy (GstVoiceLiveSinkSettings * dest,
    const GstVoiceLiveSinkSettings * src)
{
  guint i;

  *dest = *src;
  for (i = 0; i < gst_voice_live_sink_n_props; i++) {
    const GstVoiceLiveSinkProp *r = &gst_voice_live_sink_props[i];

    if (!r->field && r->offset >= 0 && r->type == G_TYPE_STRING) {
      gchar **m = member (dest, NULL, r);

      *m = g_strdup (*m);
    }
  }
  /* The copy shares src's strings until config_copy() duplicates them:
   * start it from empty so that nothing of src's is freed. */
  gst_voice_live_config_init (&dest->config);
  gst_voice_live_config_copy (&dest->config, &src->config);
}

/* Whether @r holds a value of its own: its field bit is on and its value
 * differs from its default (a property set back to its default, or sharing
 * its bit with a sibling that was set, asks nothing of the service). */
static gboolean
prop_is_set (const GstVoiceLiveConfig * c, const GstVoiceLiveSinkProp * r)
{
  gconstpointer m = G_STRUCT_MEMBER_P ((gpointer) c, r->offset);

  if (!(c->set & r->field))
    return FALSE;
  switch (r->type) {
    case G_TYPE_STRING:
      return *(gchar * const *) m && **(gchar * const *) m;
    case G_TYPE_BOOLEAN:
      return *(const gboolean *) m != (r->def != 0);
    case G_TYPE_INT:
    case G_TYPE_ENUM:
      return *(const gint *) m != (gint) r->def;
    case G_TYPE_DOUBLE:
      return *(const gdouble *) m != r->def;
    case G_TYPE_FLAGS:
      return *(const guint *) m != (guint) r->def;
    default:
      return TRUE;
  }
}

static gboolean
applies (const GstVoiceLiveSinkProp * r, GstVoiceLiveDialect d)
{
  return !r->dialects || (r->dialects & GST_VOICE_LIVE_DIALECT_MASK (d));
}

static gboolean
refuse (const GstVoiceLiveSinkProp * r, GstVoiceLiveDialect d, GError ** error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
      "Property '%s' has no equivalent in the %s protocol%s: unset it%s",
      r->name, gst_voice_live_dialect_name (d),
      d == GST_VOICE_LIVE_DIALECT_OPENAI ? " (OpenAI Realtime GA)" :
      " (Voice Live)", d == GST_VOICE_LIVE_DIALECT_OPENAI ?
      ", or set protocol=voice-live for a Voice Live endpoint" :
      ", or set protocol=openai for an OpenAI GA endpoint");
  return FALSE;
}

gboolean
gst_voice_live_sink_settings_check_dialect (const GstVoiceLiveSinkSettings *
    s, GstVoiceLiveDialect d, guint api_order, GError ** error)
{
  guint i;

  for (i = 0; i < gst_voice_live_sink_n_props; i++) {
    const GstVoiceLiveSinkProp *r = &gst_voice_live_sink_props[i];

    if (r->field && !applies (r, d) && prop_is_set (&s->config, r))
      return refuse (r, d, error);
  }
  if (d == GST_VOICE_LIVE_DIALECT_OPENAI)
    return gst_voice_live_ga_config_validate (&s->config, error);
  return gst_voice_live_config_check_api_version (&s->config, api_order, error);
}

gboolean
gst_voice_live_sink_prop_check_dialect (const GstVoiceLiveSinkProp * r,
    const GValue * value, const GstVoiceLiveConfig * current,
    GstVoiceLiveDialect d, guint api_order, GError ** error)
{
  GstVoiceLiveConfig probe;
  gboolean ok;

  if (!r->field)
    return TRUE;
  if (!applies (r, d))
    return refuse (r, d, error);
  /* The value with the rest of the current settings: some checks pair
   * fields (eagerness and semantic-vad, a field and the api-version) */
  gst_voice_live_config_init (&probe);
  gst_voice_live_config_copy (&probe, current);
  config_set (&probe, r, value);
  if (d == GST_VOICE_LIVE_DIALECT_OPENAI)
    ok = gst_voice_live_ga_config_validate (&probe, error);
  else
    ok = gst_voice_live_config_validate (&probe, error)
        && gst_voice_live_config_check_api_version (&probe, api_order, error);
  gst_voice_live_config_clear (&probe);
  return ok;
}
