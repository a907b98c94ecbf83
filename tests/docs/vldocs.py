# Helpers for the docs/examples tests: the emulator, its record, its audio.
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import os
import signal
import subprocess
import sys
import tempfile
import wave

EMULATOR = os.environ.get("VL_EMULATOR", "")
SRCDIR = os.environ.get("VL_SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
QUESTION = os.path.join(SRCDIR, "tests", "files", "question.wav")
KEY = "docs-test-key"


def fail(msg):
    print("FAIL:", msg, flush=True)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)
    print("ok:", msg, flush=True)


class Emulator:
    """voicelive-emulator on 127.0.0.1, port 0, stopped by PID."""

    def __init__(self, tmpdir, *extra):
        self.record = os.path.join(tmpdir, "record.jsonl")
        self.stderr = open(os.path.join(tmpdir, "emulator.log"), "w")
        self.proc = subprocess.Popen(
            [EMULATOR, "--port", "0", "--api-key", KEY, "--record", self.record,
             "--no-record-audio"] + list(extra),
            stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        # The first stdout line is the URL; bounded by a timer that kills it.
        import threading
        timer = threading.Timer(10, self.proc.kill)
        timer.start()
        self.url = self.proc.stdout.readline().strip()
        timer.cancel()
        if not self.url.startswith("ws://"):
            self.stop()
            fail("the emulator did not print its URL")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.stop()

    def lines(self):
        with open(self.record) as f:
            return [json.loads(line) for line in f if line.strip()]


def vl_emu_sample(seed, n, rate):
    """tests/emulator/vl-emulator-audio.h, in Python (32-bit unsigned arithmetic)."""
    period = rate // (200 + 40 * (seed % 8))
    phase = n % period
    half = period // 2
    if phase < half:
        tri = -8000 + (16000 * phase) // half
    else:
        tri = 8000 - (16000 * (phase - half)) // half
    m = 0xFFFFFFFF
    h = ((n * 2654435761) & m) ^ ((seed * 40503) & m)
    h ^= h >> 15
    h = (h * 2246822519) & m
    h ^= h >> 13
    v = tri + (h & 0x1FF) - 256
    return v


def expected_pcm(seed, reply_ms, rate=24000):
    import struct
    n = reply_ms * rate // 1000
    return struct.pack("<%dh" % n, *(vl_emu_sample(seed, i, rate) for i in range(n)))


def wav_frames(path):
    with wave.open(path, "rb") as w:
        return w.getnchannels(), w.getsampwidth(), w.getframerate(), w.readframes(w.getnframes())


def check_answer_wav(path, seed, reply_ms, rate=24000):
    check(os.path.exists(path) and os.path.getsize(path) > 44, "%s exists and is not empty" % path)
    ch, width, r, data = wav_frames(path)
    check((ch, width, r) == (1, 2, rate), "answer is mono S16 at %d Hz (got %d ch, %d bytes, %d Hz)" % (rate, ch, width, r))
    exp = expected_pcm(seed, reply_ms, rate)
    if data != exp:
        first = next((i for i in range(min(len(data), len(exp))) if data[i] != exp[i]), None)
        fail("answer audio differs from vl_emu_sample(seed=%d): %d bytes vs %d expected, first difference at byte %s"
             % (seed, len(data), len(exp), first))
    check(True, "answer holds exactly the %d ms of response %d's deterministic audio" % (reply_ms, seed))


def gst_env():
    return dict(os.environ, no_proxy="127.0.0.1,localhost")


def tmpdir(prefix):
    return tempfile.mkdtemp(prefix=prefix)
