/* gst-voicelive
 * voicelive-emulator: the OpenAI Realtime GA session on the GA paths
 * (/v1/realtime, /openai/v1/realtime). Validates a GA session.update
 * strictly, refuses the beta shape as OpenAI does, and translates between
 * the GA shape and the beta-shaped session the rest of the emulator keeps.
 * Main loop thread only.
 *
 * Shapes: reference/protocol-2026.md §1.2-1.3. The code of a GA session
 * without session.type is unverified there; this double answers
 * missing_required_parameter, param session.type.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "vl-emulator-ga.h"

/* Top-level fields of the beta shape: sending one to a GA path is what
 * OpenAI answers with beta_api_shape_disabled. */
static const gchar *const beta_fields[] = { "modalities",
  "input_audio_format", "output_audio_format", "input_audio_sampling_rate",
  "input_audio_transcription", "input_audio_noise_reduction",
  "input_audio_echo_cancellation", "turn_detection", "voice", "temperature",
  "max_response_output_tokens", "output_audio_timestamp_types", "animation",
  NULL
};

/* Accepted and not modelled by the double */
static const gchar *const ignored_fields[] = { "model", "tracing",
  "truncation", "include", "prompt", "reasoning", "parallel_tool_calls",
  NULL
};

static const gchar *const voices[] = { "alloy", "ash", "ballad", "coral",
  "echo", "sage", "shimmer", "verse", "marin", "cedar", NULL
};

gboolean
vl_emu_ga_path (const gchar * path)
{
  return g_strcmp0 (path, "/v1/realtime") == 0
      || g_strcmp0 (path, "/openai/v1/realtime") == 0;
}

static gboolean
fail (VlEmuGaError * e, const gchar * code, const gchar * param,
    const gchar * why)
{
  e->code = g_strdup (code);
  e->param = g_strdup (param);
  e->message = g_strdup_printf ("Invalid '%s': %s", param, why);
  return FALSE;
}

static gboolean
is_str (JsonNode * n)
{
  return n && JSON_NODE_HOLDS_VALUE (n)
      && json_node_get_value_type (n) == G_TYPE_STRING;
}

static gboolean
is_num (JsonNode * n)
{
  return n && JSON_NODE_HOLDS_VALUE (n)
      && (json_node_get_value_type (n) == G_TYPE_INT64
      || json_node_get_value_type (n) == G_TYPE_DOUBLE);
}

static gdouble
num (JsonNode * n)
{
  return json_node_get_value_type (n) == G_TYPE_INT64 ?
      (gdouble) json_node_get_int (n) : json_node_get_double (n);
}

static gboolean
is_bool (JsonNode * n)
{
  return n && JSON_NODE_HOLDS_VALUE (n)
      && json_node_get_value_type (n) == G_TYPE_BOOLEAN;
}

/* Every member of @o is in @allowed; else unknown_parameter naming it. */
static gboolean
only_members (JsonObject * o, const gchar * prefix,
    const gchar * const *allowed, VlEmuGaError * e)
{
  GList *members = json_object_get_members (o), *l;
  gboolean ok = TRUE;

  for (l = members; l && ok; l = l->next) {
    if (!g_strv_contains (allowed, l->data)) {
      gchar *param = g_strconcat (prefix, ".", (const gchar *) l->data, NULL);

      ok = fail (e, "unknown_parameter", param, "unknown parameter");
      g_free (param);
    }
  }
  g_list_free (members);
  return ok;
}

/* GA format object -> beta input/output format (and rate) */
static gboolean
format (JsonNode * n, const gchar * param, const gchar ** beta, gint * rate,
    VlEmuGaError * e)
{
  static const gchar *const keys[] = { "type", "rate", NULL };
  JsonObject *o;
  const gchar *type;
  JsonNode *r;

  if (!n || !JSON_NODE_HOLDS_OBJECT (n))
    return fail (e, "invalid_value", param, "expected an object");
  o = json_node_get_object (n);
  if (!only_members (o, param, keys, e))
    return FALSE;
  type = json_object_get_string_member_with_default (o, "type", "");
  r = json_object_get_member (o, "rate");
  if (g_str_equal (type, "audio/pcm")) {
    if (r && (!is_num (r) || num (r) != 24000)) {
      gchar *p = g_strconcat (param, ".rate", NULL);

      fail (e, "invalid_value", p, "audio/pcm is 24000 Hz only");
      g_free (p);
      return FALSE;
    }
    *beta = "pcm16";
    *rate = 24000;
  } else if (g_str_equal (type, "audio/pcmu") && !r) {
    *beta = "g711_ulaw";
    *rate = 8000;
  } else if (g_str_equal (type, "audio/pcma") && !r) {
    *beta = "g711_alaw";
    *rate = 8000;
  } else {
    gchar *p = g_strconcat (param, ".type", NULL);

    fail (e, "invalid_value", p, "expected audio/pcm (with rate 24000), "
        "audio/pcmu or audio/pcma");
    g_free (p);
    return FALSE;
  }
  return TRUE;
}

static gboolean
turn_detection (JsonNode * n, JsonObject * out, VlEmuGaError * e)
{
  static const gchar *const server_keys[] = { "type", "threshold",
    "prefix_padding_ms", "silence_duration_ms", "idle_timeout_ms",
    "create_response", "interrupt_response", NULL
  };
  static const gchar *const semantic_keys[] = { "type", "eagerness",
    "create_response", "interrupt_response", NULL
  };
  static const gchar *const eagerness[] = { "low", "medium", "high", "auto",
    NULL
  };
  static const gchar *const ms[] = { "prefix_padding_ms",
    "silence_duration_ms", "idle_timeout_ms", NULL
  };
  const gchar *P = "session.audio.input.turn_detection";
  JsonObject *o;
  const gchar *type;
  JsonNode *m;
  guint i;

  if (JSON_NODE_HOLDS_NULL (n)) {
    json_object_set_null_member (out, "turn_detection");
    return TRUE;
  }
  if (!JSON_NODE_HOLDS_OBJECT (n))
    return fail (e, "invalid_value", P, "expected an object or null");
  o = json_node_get_object (n);
  type = json_object_get_string_member_with_default (o, "type", "");
  if (g_str_equal (type, "server_vad")) {
    if (!only_members (o, P, server_keys, e))
      return FALSE;
  } else if (g_str_equal (type, "semantic_vad")) {
    if (!only_members (o, P, semantic_keys, e))
      return FALSE;
    m = json_object_get_member (o, "eagerness");
    if (m && (!is_str (m)
            || !g_strv_contains (eagerness, json_node_get_string (m))))
      return fail (e, "invalid_value",
          "session.audio.input.turn_detection.eagerness",
          "expected low, medium, high or auto");
  } else {
    return fail (e, "invalid_value", "session.audio.input.turn_detection.type",
        "expected server_vad or semantic_vad");
  }
  m = json_object_get_member (o, "threshold");
  if (m && (!is_num (m) || num (m) < 0 || num (m) > 1))
    return fail (e, "invalid_value",
        "session.audio.input.turn_detection.threshold",
        "expected a number between 0 and 1");
  for (i = 0; ms[i]; i++) {
    m = json_object_get_member (o, ms[i]);
    if (m && (!is_num (m) || num (m) < 0)) {
      gchar *p = g_strconcat (P, ".", ms[i], NULL);

      fail (e, "invalid_value", p, "expected a non-negative integer");
      g_free (p);
      return FALSE;
    }
  }
  if ((m = json_object_get_member (o, "create_response")) && !is_bool (m))
    return fail (e, "invalid_value",
        "session.audio.input.turn_detection.create_response",
        "expected a boolean");
  if ((m = json_object_get_member (o, "interrupt_response")) && !is_bool (m))
    return fail (e, "invalid_value",
        "session.audio.input.turn_detection.interrupt_response",
        "expected a boolean");
  json_object_set_member (out, "turn_detection", json_node_copy (n));
  return TRUE;
}

static gboolean
audio_input (JsonObject * in, JsonObject * out, VlEmuGaError * e)
{
  static const gchar *const keys[] = { "format", "transcription",
    "noise_reduction", "turn_detection", NULL
  };
  static const gchar *const tr_keys[] = { "model", "language", "prompt",
    NULL
  };
  static const gchar *const nr_types[] = { "near_field", "far_field", NULL };
  JsonNode *m;

  if (!only_members (in, "session.audio.input", keys, e))
    return FALSE;
  if ((m = json_object_get_member (in, "format"))) {
    const gchar *beta;
    gint rate;

    if (!format (m, "session.audio.input.format", &beta, &rate, e))
      return FALSE;
    json_object_set_string_member (out, "input_audio_format", beta);
    json_object_set_int_member (out, "input_audio_sampling_rate", rate);
  }
  if ((m = json_object_get_member (in, "transcription"))) {
    if (JSON_NODE_HOLDS_OBJECT (m)) {
      JsonObject *t = json_node_get_object (m);

      if (!only_members (t, "session.audio.input.transcription", tr_keys, e))
        return FALSE;
      if (!is_str (json_object_get_member (t, "model")))
        return fail (e, "invalid_value",
            "session.audio.input.transcription.model", "expected a string");
    } else if (!JSON_NODE_HOLDS_NULL (m)) {
      return fail (e, "invalid_value", "session.audio.input.transcription",
          "expected an object or null");
    }
    json_object_set_member (out, "input_audio_transcription",
        json_node_copy (m));
  }
  if ((m = json_object_get_member (in, "noise_reduction"))) {
    if (JSON_NODE_HOLDS_OBJECT (m)) {
      JsonObject *nr = json_node_get_object (m);
      static const gchar *const nr_keys[] = { "type", NULL };

      if (!only_members (nr, "session.audio.input.noise_reduction", nr_keys, e))
        return FALSE;
      if (!is_str (json_object_get_member (nr, "type"))
          || !g_strv_contains (nr_types, json_object_get_string_member (nr,
                  "type")))
        return fail (e, "invalid_value",
            "session.audio.input.noise_reduction.type",
            "expected near_field or far_field");
    } else if (!JSON_NODE_HOLDS_NULL (m)) {
      return fail (e, "invalid_value", "session.audio.input.noise_reduction",
          "expected an object or null");
    }
    json_object_set_member (out, "input_audio_noise_reduction",
        json_node_copy (m));
  }
  if ((m = json_object_get_member (in, "turn_detection"))
      && !turn_detection (m, out, e))
    return FALSE;
  return TRUE;
}

static gboolean
audio_output (JsonObject * o, JsonObject * out, VlEmuGaError * e)
{
  static const gchar *const keys[] = { "format", "voice", "speed", NULL };
  JsonNode *m;

  if (!only_members (o, "session.audio.output", keys, e))
    return FALSE;
  if ((m = json_object_get_member (o, "format"))) {
    const gchar *beta;
    gint rate;

    if (!format (m, "session.audio.output.format", &beta, &rate, e))
      return FALSE;
    json_object_set_string_member (out, "output_audio_format", beta);
  }
  if ((m = json_object_get_member (o, "voice"))) {
    JsonObject *v = json_object_new ();

    if (is_str (m) && g_strv_contains (voices, json_node_get_string (m))) {
      json_object_set_string_member (v, "name", json_node_get_string (m));
    } else if (JSON_NODE_HOLDS_OBJECT (m)
        && is_str (json_object_get_member (json_node_get_object (m), "id"))) {
      json_object_set_string_member (v, "name",
          json_object_get_string_member (json_node_get_object (m), "id"));
    } else {
      json_object_unref (v);
      return fail (e, "invalid_value", "session.audio.output.voice",
          "expected a built-in voice name or {\"id\": ...}");
    }
    json_object_set_string_member (v, "type", "openai");
    json_object_set_object_member (out, "voice", v);
  }
  if ((m = json_object_get_member (o, "speed"))) {
    if (!is_num (m) || num (m) < 0.25 || num (m) > 1.5)
      return fail (e, "invalid_value", "session.audio.output.speed",
          "expected a number between 0.25 and 1.5");
    json_object_set_member (out, "speed", json_node_copy (m));
  }
  return TRUE;
}

static gboolean
translate (JsonObject * s, JsonObject * out, VlEmuGaError * e)
{
  static const gchar *const audio_keys[] = { "input", "output", NULL };
  JsonNode *m;
  GList *members, *l;
  const gchar *type;

  /* The beta shape first: OpenAI refuses it as a whole. */
  members = json_object_get_members (s);
  for (l = members; l; l = l->next) {
    if (g_strv_contains (beta_fields, l->data)) {
      g_list_free (members);
      e->fatal = TRUE;
      return fail (e, "beta_api_shape_disabled", "session", "beta shape");
    }
  }
  g_list_free (members);

  m = json_object_get_member (s, "type");
  if (!m)
    return fail (e, "missing_required_parameter", "session.type",
        "missing required parameter");
  type = is_str (m) ? json_node_get_string (m) : "";
  if (!g_str_equal (type, "realtime"))
    return fail (e, "invalid_value", "session.type", "this emulator "
        "serves \"realtime\" sessions only");

  members = json_object_get_members (s);
  for (l = members; l; l = l->next) {
    const gchar *name = l->data;
    static const gchar *const known[] = { "type", "instructions",
      "output_modalities", "audio", "tools", "tool_choice",
      "max_output_tokens", NULL
    };

    if (!g_strv_contains (known, name)
        && !g_strv_contains (ignored_fields, name)) {
      gchar *param = g_strconcat ("session.", name, NULL);

      fail (e, "unknown_parameter", param, "unknown parameter");
      g_free (param);
      g_list_free (members);
      return FALSE;
    }
  }
  g_list_free (members);

  if ((m = json_object_get_member (s, "instructions"))) {
    if (!is_str (m))
      return fail (e, "invalid_value", "session.instructions",
          "expected a string");
    json_object_set_member (out, "instructions", json_node_copy (m));
  }
  if ((m = json_object_get_member (s, "output_modalities"))) {
    JsonArray *a = JSON_NODE_HOLDS_ARRAY (m) ? json_node_get_array (m) : NULL;
    const gchar *mod = a && json_array_get_length (a) == 1
        && is_str (json_array_get_element (a, 0)) ?
        json_array_get_string_element (a, 0) : "";
    JsonArray *beta = json_array_new ();

    if (!g_str_equal (mod, "audio") && !g_str_equal (mod, "text")) {
      json_array_unref (beta);
      return fail (e, "invalid_value", "session.output_modalities",
          "expected [\"audio\"] or [\"text\"]");
    }
    json_array_add_string_element (beta, "text");
    if (g_str_equal (mod, "audio"))
      json_array_add_string_element (beta, "audio");
    json_object_set_array_member (out, "modalities", beta);
  }
  if ((m = json_object_get_member (s, "audio"))) {
    JsonObject *a;
    JsonNode *io;

    if (!JSON_NODE_HOLDS_OBJECT (m))
      return fail (e, "invalid_value", "session.audio", "expected an object");
    a = json_node_get_object (m);
    if (!only_members (a, "session.audio", audio_keys, e))
      return FALSE;
    io = json_object_get_member (a, "input");
    if (io && (!JSON_NODE_HOLDS_OBJECT (io)
            || !audio_input (json_node_get_object (io), out, e)))
      return e->code ? FALSE : fail (e, "invalid_value",
          "session.audio.input", "expected an object");
    io = json_object_get_member (a, "output");
    if (io && (!JSON_NODE_HOLDS_OBJECT (io)
            || !audio_output (json_node_get_object (io), out, e)))
      return e->code ? FALSE : fail (e, "invalid_value",
          "session.audio.output", "expected an object");
  }
  if ((m = json_object_get_member (s, "max_output_tokens"))) {
    gboolean ok = (is_str (m) && g_str_equal (json_node_get_string (m), "inf"))
        || (is_num (m) && num (m) >= 1 && num (m) <= 4096);

    if (!ok)
      return fail (e, "invalid_value", "session.max_output_tokens",
          "expected 1-4096 or \"inf\"");
    json_object_set_member (out, "max_response_output_tokens",
        json_node_copy (m));
  }
  if ((m = json_object_get_member (s, "tools")))
    json_object_set_member (out, "tools", json_node_copy (m));
  if ((m = json_object_get_member (s, "tool_choice")))
    json_object_set_member (out, "tool_choice", json_node_copy (m));
  return TRUE;
}

JsonObject *
vl_emu_ga_translate (JsonObject * ga, VlEmuGaError * e)
{
  JsonObject *out = json_object_new ();

  memset (e, 0, sizeof (*e));
  if (!translate (ga, out, e)) {
    json_object_unref (out);
    return NULL;
  }
  return out;
}

gboolean
vl_emu_ga_check_item (JsonObject * item, VlEmuGaError * e)
{
  static const gchar *const user_parts[] = { "input_text", "input_audio",
    "input_image", NULL
  };
  static const gchar *const assistant_parts[] = { "output_text",
    "output_audio", NULL
  };
  static const gchar *const system_parts[] = { "input_text", NULL };
  const gchar *const *allowed;
  const gchar *role;
  JsonNode *content;
  JsonArray *parts;
  guint i;

  memset (e, 0, sizeof (*e));
  if (g_strcmp0 (json_object_get_string_member_with_default (item, "type",
              NULL), "message") != 0)
    return TRUE;
  role = json_object_get_string_member_with_default (item, "role", "");
  if (g_str_equal (role, "user"))
    allowed = user_parts;
  else if (g_str_equal (role, "assistant"))
    allowed = assistant_parts;
  else if (g_str_equal (role, "system"))
    allowed = system_parts;
  else
    return fail (e, "invalid_value", "item.role",
        "expected user, assistant or system");
  content = json_object_get_member (item, "content");
  if (!content || !JSON_NODE_HOLDS_ARRAY (content))
    return fail (e, "invalid_value", "item.content", "expected an array");
  parts = json_node_get_array (content);
  for (i = 0; i < json_array_get_length (parts); i++) {
    JsonNode *p = json_array_get_element (parts, i);
    const gchar *type = JSON_NODE_HOLDS_OBJECT (p) ?
        json_object_get_string_member_with_default (json_node_get_object (p),
        "type", "") : "";

    if (!g_strv_contains (allowed, type)) {
      gchar *param = g_strdup_printf ("item.content[%u].type", i);
      gchar *why = g_strjoinv ("', '", (gchar **) allowed);
      gchar *msg = g_strdup_printf ("expected '%s' for role %s", why, role);

      fail (e, "invalid_value", param, msg);
      g_free (param);
      g_free (why);
      g_free (msg);
      return FALSE;
    }
  }
  return TRUE;
}

void
vl_emu_ga_error_clear (VlEmuGaError * e)
{
  g_free (e->code);
  g_free (e->param);
  g_free (e->message);
  memset (e, 0, sizeof (*e));
}

static JsonObject *
ga_format (const gchar * beta)
{
  JsonObject *f = json_object_new ();

  if (g_strcmp0 (beta, "g711_ulaw") == 0) {
    json_object_set_string_member (f, "type", "audio/pcmu");
  } else if (g_strcmp0 (beta, "g711_alaw") == 0) {
    json_object_set_string_member (f, "type", "audio/pcma");
  } else {
    json_object_set_string_member (f, "type", "audio/pcm");
    json_object_set_int_member (f, "rate", 24000);
  }
  return f;
}

static void
copy_member (JsonObject * dst, const gchar * dname, JsonObject * src,
    const gchar * sname)
{
  JsonNode *n = json_object_get_member (src, sname);

  if (n)
    json_object_set_member (dst, dname, json_node_copy (n));
  else
    json_object_set_null_member (dst, dname);
}

JsonObject *
vl_emu_ga_session_view (JsonObject * s)
{
  JsonObject *v = json_object_new ();
  JsonObject *audio = json_object_new ();
  JsonObject *in = json_object_new ();
  JsonObject *out = json_object_new ();
  JsonArray *mods = json_array_new ();
  JsonNode *voice = json_object_get_member (s, "voice");

  json_object_set_string_member (v, "type", "realtime");
  copy_member (v, "object", s, "object");
  copy_member (v, "id", s, "id");
  copy_member (v, "model", s, "model");
  json_array_add_string_element (mods, vl_emu_modalities_have
      (json_object_get_member (s, "modalities"), "audio") ? "audio" : "text");
  json_object_set_array_member (v, "output_modalities", mods);
  copy_member (v, "instructions", s, "instructions");

  json_object_set_object_member (in, "format",
      ga_format (json_object_get_string_member_with_default (s,
              "input_audio_format", "pcm16")));
  copy_member (in, "transcription", s, "input_audio_transcription");
  copy_member (in, "noise_reduction", s, "input_audio_noise_reduction");
  copy_member (in, "turn_detection", s, "turn_detection");
  json_object_set_object_member (out, "format",
      ga_format (json_object_get_string_member_with_default (s,
              "output_audio_format", "pcm16")));
  if (voice && JSON_NODE_HOLDS_OBJECT (voice))
    json_object_set_string_member (out, "voice",
        json_object_get_string_member_with_default (json_node_get_object
            (voice), "name", "marin"));
  if (json_object_has_member (s, "speed"))
    copy_member (out, "speed", s, "speed");
  else
    json_object_set_double_member (out, "speed", 1.0);
  json_object_set_object_member (audio, "input", in);
  json_object_set_object_member (audio, "output", out);
  json_object_set_object_member (v, "audio", audio);
  copy_member (v, "tools", s, "tools");
  copy_member (v, "tool_choice", s, "tool_choice");
  copy_member (v, "max_output_tokens", s, "max_response_output_tokens");
  return v;
}

void
vl_emu_ga_set_defaults (JsonObject * s)
{
  JsonObject *voice = json_object_new ();

  /* GA sessions have an OpenAI voice and no temperature. */
  json_object_set_string_member (voice, "name", "marin");
  json_object_set_string_member (voice, "type", "openai");
  json_object_set_object_member (s, "voice", voice);
}
