#!/usr/bin/python3
"""Generate the property tables of docs/properties.md from the built plugin.

  gen-properties-doc.py FILE          rewrite the generated part of FILE
  gen-properties-doc.py --check FILE  exit 1 (with a diff) if FILE is stale

The part between the BEGIN/END GENERATED markers comes from the GParamSpecs
themselves (name, type, default, range, mutability, blurb with the wire
field and unit), so the documentation cannot drift from the plugin.  Needs
Debian's python3-gi and python3-gst-1.0, and GST_PLUGIN_PATH at the build.
"""
import difflib
import re
import sys

import gi

gi.require_version("Gst", "1.0")
from gi.repository import GObject, Gst  # noqa: E402

BEGIN = "<!-- BEGIN GENERATED: scripts/gen-properties-doc.py -->"
END = "<!-- END GENERATED -->"
ELEMENTS = ["voicelivesink", "voicelivesrc", "voicelivetextsrc"]
NUMERIC = (GObject.TYPE_INT, GObject.TYPE_UINT, GObject.TYPE_INT64,
           GObject.TYPE_UINT64, GObject.TYPE_DOUBLE)


def num(v):
    return "%g" % v if isinstance(v, float) else str(v)


def enum_values(default):
    """(value, nick) pairs of an enum property, from its default's class."""
    return [(v, e.value_nick) for v, e in sorted(default.__enum_values__.items())]


def flags_values(default):
    return [(v, f.first_value_nick) for v, f in sorted(default.__flags_values__.items())]


def describe(pspec):
    t = pspec.value_type
    default = pspec.default_value
    rng = ""
    if t in NUMERIC:
        rng = "%s – %s" % (num(pspec.minimum), num(pspec.maximum))
        dflt = num(default)
    elif t.is_a(GObject.TYPE_ENUM):
        values = enum_values(default)
        rng = ", ".join("`%s`" % n for _, n in values)
        dflt = "`%s`" % dict(values).get(int(default), int(default))
    elif t.is_a(GObject.TYPE_FLAGS):
        values = flags_values(default)
        rng = " + ".join("`%s`" % n for _, n in values)
        dflt = "`%s`" % "+".join(n for v, n in values if int(default) & v)
    elif t == GObject.TYPE_BOOLEAN:
        rng = "true, false"
        dflt = "true" if default else "false"
    elif t == GObject.TYPE_STRING:
        dflt = "unset" if default is None else '`"%s"`' % default
    else:
        dflt = "—"
    f = pspec.flags
    if not f & GObject.ParamFlags.READABLE:
        access = "NULL/READY, write-only"
    elif not f & GObject.ParamFlags.WRITABLE:
        access = "read-only"
    elif f & Gst.PARAM_MUTABLE_PLAYING:
        access = "any state"
    elif f & Gst.PARAM_MUTABLE_READY:
        access = "NULL/READY"
    else:
        access = "any state"
    return GObject.type_name(t), dflt, rng, access


# A property that applies to one protocol dialect only ends its blurb so
# (gstvoicelivesinkprops.c, the row's dialects column).
ONLY = re.compile(r"\s*\[(voice-live|openai) only\]$")


def dialects(blurb):
    """(Dialects column, blurb without the marker)."""
    m = ONLY.search(blurb)
    if not m:
        return "all", blurb
    return m.group(1), blurb[:m.start()]


def generate():
    Gst.init(None)
    lines = []
    for name in ELEMENTS:
        elem = Gst.ElementFactory.make(name, None)
        if elem is None:
            sys.exit("gen-properties-doc: no element %s (GST_PLUGIN_PATH?)" % name)
        gtype = type(elem).__gtype__
        lines += ["### %s" % name, "",
                  "| Property | Type | Default | Range / values | Changeable "
                  "| Dialects | Wire field, unit and meaning |",
                  "|---|---|---|---|---|---|---|"]
        for pspec in GObject.list_properties(elem):
            if pspec.owner_type != gtype:
                continue
            tname, dflt, rng, access = describe(pspec)
            where, blurb = dialects(pspec.blurb)
            lines.append("| `%s` | %s | %s | %s | %s | %s | %s |" % (
                pspec.name, tname, dflt, rng, access, where,
                blurb.replace("|", "\\|")))
        lines.append("")
    return "\n".join(lines)


def splice(text, generated):
    if BEGIN not in text or END not in text:
        sys.exit("gen-properties-doc: the GENERATED markers are missing")
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    return head + BEGIN + "\n" + generated + "\n" + END + tail


def main():
    args = sys.argv[1:]
    check = bool(args) and args[0] == "--check"
    if check:
        args = args[1:]
    if len(args) != 1:
        sys.exit(__doc__)
    with open(args[0], encoding="utf-8") as f:
        text = f.read()
    new = splice(text, generate())
    if not check:
        with open(args[0], "w", encoding="utf-8") as f:
            f.write(new)
        return 0
    if new != text:
        sys.stdout.writelines(difflib.unified_diff(
            text.splitlines(True), new.splitlines(True), args[0],
            args[0] + " (from the plugin)"))
        print("\n%s is stale: run scripts/gen-properties-doc.py %s" % (args[0], args[0]))
        return 1
    print("%s matches the plugin" % args[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
