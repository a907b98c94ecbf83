#!/usr/bin/python3
# `voicelive-emulator --help` documents every option, and
# tests/emulator/README.md's option table lists the same options: an option
# added to one but not the other fails here.
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vldocs  # noqa: E402
from vldocs import check  # noqa: E402

p = subprocess.run([vldocs.EMULATOR, "--help"], capture_output=True, text=True, timeout=10)
check(p.returncode == 0, "--help exits with status 0")
help_opts = {}
section = None
for line in p.stdout.splitlines():
    if line.endswith("Options:"):
        section = line
        continue
    if not line.startswith("  "):
        section = None
    if section == "Application Options:":
        m = re.match(r"^\s+(?:-\w, )?--([a-z-]+)(?:=\S+)?\s+(.*)$", line)
        if m:
            help_opts[m.group(1)] = m.group(2).strip()
check(len(help_opts) > 20, "--help lists %d options" % len(help_opts))
for opt, text in sorted(help_opts.items()):
    check(len(text) > 10, "--%s has a description" % opt)

readme = os.path.join(vldocs.SRCDIR, "tests", "emulator", "README.md")
table = set()
with open(readme) as f:
    for line in f:
        if line.startswith("| `--"):
            first_cell = line.split("|")[1]
            table.update(re.findall(r"`--([a-z-]+)", first_cell))
missing_in_readme = sorted(set(help_opts) - table)
missing_in_help = sorted(table - set(help_opts))
check(not missing_in_readme, "every option is in the README table (missing: %s)"
      % missing_in_readme)
check(not missing_in_help, "every option of the README table is in --help (missing: %s)"
      % missing_in_help)
