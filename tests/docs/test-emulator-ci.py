#!/usr/bin/python3
# Runs the CI script of docs/emulator.md exactly as it is written (the bash
# block after the "tested by" marker) with voicelive-emulator first in PATH,
# in a scratch directory holding question.wav, and checks that it passes.
# The script itself starts and stops the emulator by its PID.
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vldocs  # noqa: E402
from vldocs import check, fail  # noqa: E402

doc = os.path.join(vldocs.SRCDIR, "docs", "emulator.md")
with open(doc) as f:
    m = re.search(r"<!-- tested by tests/docs/test-emulator-ci.py -->\n```bash\n(.*?\n)```\n",
                  f.read(), re.S)
check(m is not None, "docs/emulator.md has the tested bash block")

d = vldocs.tmpdir("vl-emuci-")
script = os.path.join(d, "ci.sh")
with open(script, "w") as f:
    f.write(m.group(1))
shutil.copy(vldocs.QUESTION, os.path.join(d, "question.wav"))

env = vldocs.gst_env()
env["PATH"] = os.path.dirname(os.path.abspath(vldocs.EMULATOR)) + os.pathsep + env.get("PATH", "")
for var in ("AZURE_VOICE_LIVE_ENDPOINT", "AZURE_VOICE_LIVE_API_KEY"):
    env.pop(var, None)
try:
    p = subprocess.run(["bash", script], cwd=d, env=env, capture_output=True, text=True,
                       timeout=80)
except subprocess.TimeoutExpired:
    fail("the script did not finish within 80 s")
print(p.stdout)
print(p.stderr, file=sys.stderr)
check(p.returncode == 0, "the script exits with status 0 (got %d)" % p.returncode)
check(re.search(r"^ok: \d+ client events, 1 answer$", p.stdout, re.M) is not None,
      "its record assertions ran")
shutil.rmtree(d, ignore_errors=True)
