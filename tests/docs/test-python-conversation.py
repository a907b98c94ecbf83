#!/usr/bin/python3
# Runs examples/python/voicelive-conversation.py against the emulator with a
# function-call script and checks the output, the record and the answer WAV.
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vldocs  # noqa: E402
from vldocs import check, fail  # noqa: E402

CALL_ID = "call_seattle_weather"
ANSWER = "It is twelve degrees with light rain in Seattle."
ANSWER_MS = 900

d = vldocs.tmpdir("vl-pyconv-")
script = os.path.join(d, "script.json")
with open(script, "w") as f:
    json.dump({"responses": [
        {"text": "", "audio_ms": 0,
         "function_calls": [{"name": "get_weather", "arguments": "{\"city\":\"Seattle\"}",
                             "call_id": CALL_ID}]},
        {"text": ANSWER, "audio_ms": ANSWER_MS},
    ]}, f)
out_wav = os.path.join(d, "answer.wav")
example = os.path.join(vldocs.SRCDIR, "examples", "python", "voicelive-conversation.py")

with vldocs.Emulator(d, "--script", script) as emu:
    try:
        p = subprocess.run(
            [sys.executable, example, "--endpoint", emu.url, "--api-key", vldocs.KEY,
             "--input", vldocs.QUESTION, "--output", out_wav, "--timeout", "45"],
            capture_output=True, text=True, timeout=55, env=vldocs.gst_env())
    except subprocess.TimeoutExpired:
        fail("the example did not finish within 55 s")
    emu.stop()
    print(p.stdout)
    print(p.stderr, file=sys.stderr)
    check(p.returncode == 0, "the example exits 0 (got %d)" % p.returncode)
    check("get_weather" in p.stdout and CALL_ID in p.stdout,
          "the output shows the function call get_weather [%s]" % CALL_ID)
    check('"sky": "light rain"' in p.stdout, "the output shows the function result")
    check("agent: " + ANSWER in p.stdout, "the output shows the final answer transcript")

    rec = emu.lines()
    fco = [r for r in rec if r["dir"] == "client" and r["type"] == "conversation.item.create"
           and r["event"].get("item", {}).get("type") == "function_call_output"]
    check(len(fco) == 1 and fco[0]["event"]["item"].get("call_id") == CALL_ID,
          "the record has one function_call_output for %s" % CALL_ID)
    out = json.loads(fco[0]["event"]["item"]["output"])
    check(out.get("city") == "Seattle" and out.get("temperature_c") == 12,
          "the function_call_output carries the get_weather result")
    dones = [r for r in rec if r["dir"] == "server" and r["type"] == "response.done"]
    check(len(dones) >= 2, "the emulator sent two response.done")
    creates = [r for r in rec if r["dir"] == "client" and r["type"] == "response.create"]
    check(any(c["seq"] > dones[0]["seq"] and c["seq"] > fco[0]["seq"] for c in creates),
          "a response.create follows the first response.done and the function_call_output")

vldocs.check_answer_wav(out_wav, seed=2, reply_ms=ANSWER_MS)
print("PASS")
