/* gst-voicelive
 * voicelivesink's property table (gstvoicelivesinkprops.c): one row per
 * property drives its ParamSpec, get, set, copy and free
 * (gstvoicelivesinksettings.c). Called from any thread that gets or sets a
 * property; the caller holds the sink's object lock around the settings.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_VOICE_LIVE_SINK_PROPS_H__
#define __GST_VOICE_LIVE_SINK_PROPS_H__

#include <gst/gst.h>
#include "gstvoiceliveprotocolga.h"
#include "gstvoiceliveprotocol2026.h"

G_BEGIN_DECLS

#define GST_VOICE_LIVE_SINK_DEFAULT_SESSION_NAME "default"
#define GST_VOICE_LIVE_SINK_DEFAULT_API_VERSION GST_VOICE_LIVE_LATEST_API_VERSION
#define GST_VOICE_LIVE_SINK_DEFAULT_MODEL "gpt-4o"

/* What the user set: the connection settings, read when connecting, and the
 * session fields (@config), which may change while streaming. The sink
 * keeps one under its object lock and snapshots it when it connects. */
typedef struct
{
  gchar *session_name;
  gchar *endpoint;
  gchar *api_key;               /* zeroed when freed */
  gchar *access_token;          /* zeroed when freed */
  gchar *api_version;
  gchar *model;
  gchar *agent_name;
  gchar *agent_project_name;
  /* more agent-mode query parameters (protocol-2026.md §2.9) */
  gchar *agent_version;
  gchar *conversation_id;
  gchar *foundry_resource_override;
  gchar *agent_client_id;
  gboolean ssl_strict;
  gchar *ssl_ca_file;
  guint connect_timeout;
  guint keepalive_interval;
  guint chunk_ms;
  guint drain_timeout;
  guint close_timeout;
  guint max_reconnect_attempts;
  gboolean restore_conversation;
  gint protocol;                /* GstVoiceLiveProtocol */
  GstVoiceLiveConfig config;
} GstVoiceLiveSinkSettings;

/* What a row needs besides storing its value */
typedef enum
{
  /* write-only; zeroed when replaced or freed */
  GST_VOICE_LIVE_PROP_SECRET = 1 << 0,
  /* setting the ParamSpec default un-sets the field (not sent) */
  GST_VOICE_LIVE_PROP_DEFAULT_UNSETS = 1 << 1,
  /* checked with gst_voice_live_config_validate() before a change while
   * streaming, which cannot fail a state change */
  GST_VOICE_LIVE_PROP_CHECK_LIVE = 1 << 2,
  /* set by the element: a new name means another session */
  GST_VOICE_LIVE_PROP_SESSION_NAME = 1 << 3,
  /* read by the element from its session: no setting */
  GST_VOICE_LIVE_PROP_STATS = 1 << 4,
} GstVoiceLivePropSpecial;

typedef struct
{
  const gchar *name;
  const gchar *nick;
  const gchar *blurb;
  GType type;                   /* G_TYPE_STRING, _BOOLEAN, _INT, _UINT,
                                 * _DOUBLE, _ENUM, _FLAGS or _BOXED */
  GType (*value_type) (void);   /* the enum, flags or boxed type */
  gdouble min, max, def;        /* numbers; def also for the other scalars */
  const gchar *def_str;         /* strings */
  GParamFlags flags;
  /* A session field: its GstVoiceLiveField bit, and where it is in
   * GstVoiceLiveConfig. 0: a connection setting, @offset is in
   * GstVoiceLiveSinkSettings. */
  guint field;
  gssize offset;                /* -1: no setting (stats) */
  /* The session.update member the field is sent as (session fields only).
   * The JSON shape is built by gst_voice_live_build_session_update() from
   * @field; this names where it lands, for the tests and error mapping. */
  const gchar *wire;
  guint special;                /* GstVoiceLivePropSpecial */
  /* GST_VOICE_LIVE_DIALECT_MASK bits of the dialects the property applies
   * to; 0: all. Set elsewhere, it is refused (READY: error, live:
   * warning); the blurb ends with "[<dialect> only]" for the docs. */
  guint dialects;
} GstVoiceLiveSinkProp;

/* The table; property id N is row N - 1. */
extern const GstVoiceLiveSinkProp gst_voice_live_sink_props[];
extern const guint gst_voice_live_sink_n_props;

void gst_voice_live_sink_install_properties (GObjectClass * klass);
/* The row of a property id, NULL if there is none */
const GstVoiceLiveSinkProp *gst_voice_live_sink_prop (guint prop_id);

void gst_voice_live_sink_settings_init (GstVoiceLiveSinkSettings * s);
void gst_voice_live_sink_settings_clear (GstVoiceLiveSinkSettings * s);
/* @dest is uninitialized or cleared */
void gst_voice_live_sink_settings_copy (GstVoiceLiveSinkSettings * dest,
    const GstVoiceLiveSinkSettings * src);
/* Stores @value; a session field also gets its bit in config.set (or loses
 * it, see GST_VOICE_LIVE_PROP_DEFAULT_UNSETS). */
void gst_voice_live_sink_settings_set (GstVoiceLiveSinkSettings * s,
    const GstVoiceLiveSinkProp * row, const GValue * value);
void gst_voice_live_sink_settings_get (const GstVoiceLiveSinkSettings * s,
    const GstVoiceLiveSinkProp * row, GValue * value);
/* The validation a GST_VOICE_LIVE_PROP_CHECK_LIVE row needs, on @value
 * alone. */
gboolean gst_voice_live_sink_prop_check (const GstVoiceLiveSinkProp * row,
    const GValue * value, GError ** error);

/* Whether the properties set in @s all apply to dialect @d (and their
 * values exist there) and, in Voice Live, to the api-version of order
 * @api_order (gst_voice_live_api_version_order(); 0: any); FALSE with an
 * error naming the property and the dialect or the api-version needed. */
gboolean gst_voice_live_sink_settings_check_dialect (const
    GstVoiceLiveSinkSettings * s, GstVoiceLiveDialect d, guint api_order,
    GError ** error);
/* The same for a change of @row to @value while streaming in @d, with
 * the rest of the @current settings. */
gboolean gst_voice_live_sink_prop_check_dialect (const GstVoiceLiveSinkProp *
    row, const GValue * value, const GstVoiceLiveConfig * current,
    GstVoiceLiveDialect d, guint api_order, GError ** error);

G_END_DECLS
#endif /* __GST_VOICE_LIVE_SINK_PROPS_H__ */
