#!/usr/bin/python3
# Runs examples/c/voicelive-agent (argv[1]) against the emulator: the scripted
# model calls search_knowledge_base, the agent must answer with passages of
# the right document, then the spoken answer must land in the output file.
# A second run checks that Ctrl+C (SIGINT) ends the conversation cleanly.
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vldocs  # noqa: E402
from vldocs import check, fail  # noqa: E402

agent = sys.argv[1]
CALL_ID = "call_kb_tent"
ANSWER = "Dry it completely, and clean it with lukewarm water and a sponge."
ANSWER_MS = 700

d = vldocs.tmpdir("vl-agent-")
script = os.path.join(d, "script.json")
with open(script, "w") as f:
    json.dump({"responses": [
        {"text": "", "audio_ms": 0,
         "function_calls": [{"name": "search_knowledge_base",
                             "arguments": json.dumps({"query": "How should I clean and store my tent?"}),
                             "call_id": CALL_ID}]},
        {"text": ANSWER, "audio_ms": ANSWER_MS},
    ]}, f)
out_wav = os.path.join(d, "answer.wav")

with vldocs.Emulator(d, "--script", script) as emu:
    try:
        p = subprocess.run([agent, "--endpoint", emu.url, "--api-key", vldocs.KEY,
                            "--input", vldocs.QUESTION, "--output", out_wav],
                           capture_output=True, text=True, timeout=50, env=vldocs.gst_env())
    except subprocess.TimeoutExpired:
        fail("the agent did not finish within 50 s")
    emu.stop()
    print(p.stdout)
    print(p.stderr, file=sys.stderr)
    check(p.returncode == 0, "the agent exits 0 (got %d)" % p.returncode)
    check("search_knowledge_base" in p.stdout and "agent: " + ANSWER in p.stdout,
          "the agent prints the call and the final answer")
    rec = emu.lines()
    fco = [r["event"]["item"] for r in rec if r["dir"] == "client"
           and r["type"] == "conversation.item.create"
           and r["event"].get("item", {}).get("type") == "function_call_output"]
    check(len(fco) == 1 and fco[0]["call_id"] == CALL_ID,
          "one function_call_output for %s" % CALL_ID)
    result = json.loads(fco[0]["output"])
    docs = [r["document"] for r in result.get("results", [])]
    check(docs and docs[0] == "tent-care.txt", "the best passage is from tent-care.txt (got %s)" % docs)
    text = " ".join(r["passage"] for r in result["results"])
    check("lukewarm water" in text and "Always dry the tent completely" in text,
          "the output holds the tent-care passages on cleaning and drying")
    check("30 days of delivery" not in text, "no passage from the returns policy")
vldocs.check_answer_wav(out_wav, seed=2, reply_ms=ANSWER_MS)

# Ctrl+C: EOS is sent, the agent ends cleanly (exit 0) well before the input
# would have ended. The input is a 60 s tone; no script, default answers.
long_wav = os.path.join(d, "long.wav")
subprocess.run(["gst-launch-1.0", "-q", "audiotestsrc", "num-buffers=600", "samplesperbuffer=1600",
                "wave=silence", "!", "audio/x-raw,rate=16000,channels=1", "!", "wavenc", "!",
                "filesink", "location=" + long_wav], check=True, timeout=30)
with vldocs.Emulator(d) as emu:
    proc = subprocess.Popen([agent, "--endpoint", emu.url, "--api-key", vldocs.KEY,
                             "--input", long_wav, "--output", os.path.join(d, "int.wav")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=vldocs.gst_env())
    time.sleep(3)
    t0 = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        out, _ = proc.communicate(timeout=40)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        fail("the agent did not stop within 40 s of SIGINT")
    print(out)
    check(proc.returncode == 0, "after SIGINT the agent exits 0 (got %d)" % proc.returncode)
    check("sending end of stream" in out and "conversation finished" in out,
          "SIGINT sent EOS and the pipeline reached EOS")
    check(time.monotonic() - t0 < 35, "stopped within the bound")
print("PASS")
