#!/usr/bin/python3
# docs/plugin-api.txt: `gst-inspect-1.0` of voicelivesink, voicelivesrc and
# voicelivetextsrc of the built plugin, with paths and versions normalised.
#
#   plugin-api.py FILE          write the snapshot
#   plugin-api.py --check FILE  fail (and show a diff) when FILE differs
#
# Run with the test environment (GST_PLUGIN_PATH_1_0 pointing at the build):
#   meson test -C build plugin-api   (check)
#   meson devenv -C build /usr/bin/python3 tests/docs/plugin-api.py docs/plugin-api.txt
# SPDX-License-Identifier: LGPL-2.1-or-later
import difflib
import os
import re
import subprocess
import sys

HEADER = """\
# gst-voicelive plugin API snapshot: the output of `gst-inspect-1.0 voicelivesink`,
# `voicelivesrc` and `voicelivetextsrc` for the built plugin, with the file name and
# versions replaced by placeholders. tests/docs/plugin-api.py regenerates it and the
# `plugin-api` test (suite docs) fails when the plugin's interface changes without
# this file. Update: /usr/bin/python3 tests/docs/plugin-api.py docs/plugin-api.txt
# (with GST_PLUGIN_PATH_1_0 pointing at build/gst/voicelive).
"""

RULES = [
    (re.compile(r"^(  Filename\s+).*$"), r"\1<BUILD>/libgstvoicelive.so"),
    (re.compile(r"^(  Version\s+).*$"), r"\1<VERSION>"),
    (re.compile(r"^(  Binary package\s+).*$"), r"\1<PACKAGE>"),
]


def inspect(element):
    env = dict(os.environ, GST_INSPECT_NO_COLORS="1", PAGER="cat", GST_PAGER="cat",
               LC_ALL="C")
    p = subprocess.run(["gst-inspect-1.0", element], capture_output=True, text=True,
                       timeout=30, env=env, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        sys.exit("gst-inspect-1.0 %s failed: %s" % (element, p.stderr))
    out = []
    for line in p.stdout.splitlines():
        for rx, rep in RULES:
            line = rx.sub(rep, line)
        out.append(line.rstrip())
    return out


def snapshot():
    lines = HEADER.splitlines()
    for e in ("voicelivesink", "voicelivesrc", "voicelivetextsrc"):
        lines += ["", "=" * 72, "gst-inspect-1.0 " + e, "=" * 72, ""]
        lines += inspect(e)
    return "\n".join(lines) + "\n"


def main():
    args = sys.argv[1:]
    check = args[:1] == ["--check"]
    if check:
        args = args[1:]
    if len(args) != 1:
        sys.exit(__doc__)
    new = snapshot()
    if not check:
        with open(args[0], "w") as f:
            f.write(new)
        return 0
    with open(args[0]) as f:
        old = f.read()
    if old == new:
        print("ok: %s matches the built plugin" % args[0])
        return 0
    sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                               args[0], "built plugin"))
    print("FAIL: %s differs from the built plugin; regenerate it (see its header)" % args[0])
    return 1


if __name__ == "__main__":
    sys.exit(main())
