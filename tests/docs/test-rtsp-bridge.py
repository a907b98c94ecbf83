#!/usr/bin/python3
# The RTSP bridge of docs/recipes.md: a local gst-rtsp-server (Debian's
# gir1.2-gst-rtsp-server-1.0) on 127.0.0.1 serves tests/files/question.wav
# as 8 kHz PCMU; `rtspsrc ! decodebin ! … ! voicelivesink  voicelivesrc
# is-live=false ! wavenc ! filesink` must get it answered by the emulator.
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vldocs  # noqa: E402
from vldocs import check, fail  # noqa: E402

import gi  # noqa: E402

gi.require_version("Gst", "1.0")
try:
    gi.require_version("GstRtspServer", "1.0")
except ValueError:
    fail("GstRtspServer typelib missing: apt-get install gir1.2-gst-rtsp-server-1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)
d = vldocs.tmpdir("vl-rtsp-")
out_wav = os.path.join(d, "answer.wav")

# The RTSP server, on its own main context in a thread.
ctx = GLib.MainContext.new()
loop = GLib.MainLoop.new(ctx, False)
server = GstRtspServer.RTSPServer.new()
server.set_address("127.0.0.1")
server.set_service("0")
factory = GstRtspServer.RTSPMediaFactory.new()
# The question, then a minute of silence: the stream does not end by itself
# (at its end, gst-rtsp-server and rtspsrc's TEARDOWN can race into a
# "Could not write to resource" error that has nothing to do with the
# bridge); the test ends it with EOS once the answer is in.
factory.set_launch(
    "( concat name=c ! audioconvert ! audioresample ! "
    "audio/x-raw,rate=8000,channels=1 ! mulawenc ! rtppcmupay name=pay0 pt=0 "
    "filesrc location=%s ! wavparse ! audioconvert ! audioresample ! "
    "audio/x-raw,format=S16LE,rate=8000,channels=1 ! c. "
    "audiotestsrc is-live=true wave=silence samplesperbuffer=160 num-buffers=3000 ! "
    "audio/x-raw,format=S16LE,rate=8000,channels=1 ! c. )" % vldocs.QUESTION)
factory.set_shared(False)
server.get_mount_points().add_factory("/q", factory)
server_id = server.attach(ctx)
port = server.get_bound_port()
check(port > 0, "RTSP server listening on 127.0.0.1:%d" % port)
thread = threading.Thread(target=loop.run, daemon=True)
thread.start()

rc = None
with vldocs.Emulator(d) as emu:
    cmd = ["gst-launch-1.0", "-e",
           "rtspsrc", "location=rtsp://127.0.0.1:%d/q" % port, "protocols=tcp", "!",
           "decodebin", "!", "audioconvert", "!", "audioresample", "!",
           "voicelivesink", "endpoint=" + emu.url, "api-key=" + vldocs.KEY,
           "voicelivesrc", "is-live=false", "!", "wavenc", "!", "filesink", "location=" + out_wav]
    print(" ".join(cmd), flush=True)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=vldocs.gst_env())
    # The question lasts 4.6 s and is answered well within 12 s; then end
    # the stream with EOS (-e + SIGINT): the sink drains and the pipeline
    # stops.
    try:
        out, _ = proc.communicate(timeout=12)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGINT)
        try:
            out, _ = proc.communicate(timeout=35)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
            print(out)
            emu.stop()
            fail("the bridge did not stop within 35 s of EOS")
    rc = proc.returncode
    emu.stop()
    print(out)
    rec = emu.lines()

loop.quit()
thread.join(5)

check(rc == 0, "the bridge pipeline exits 0 (got %s)" % rc)
check("ERROR" not in out, "no ERROR from the bridge")
types = [(r["dir"], r["type"]) for r in rec]
check(("server", "input_audio_buffer.speech_started") in types, "the emulator heard speech (speech_started)")
check(("server", "input_audio_buffer.speech_stopped") in types, "the user turn ended (speech_stopped)")
check(("server", "response.done") in types, "the emulator answered (response.done)")
appended = sum(r.get("audio_bytes", 0) for r in rec if r["type"] == "input_audio_buffer.append")
# 8 kHz PCMU decodes to 8 kHz S16, which voicelivesink takes as is.
check(appended >= 8000 * 2 * 4, "at least 4 s of the question reached the service (%d bytes)" % appended)
vldocs.check_answer_wav(out_wav, seed=1, reply_ms=1200)
print("PASS")
