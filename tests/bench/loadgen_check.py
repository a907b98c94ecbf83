#!/usr/bin/python3
"""vl-loadgen against voicelive-emulator: the same client bytes to both, the
same server events back (run by bench.py before a loadgen ramp, or alone:
loadgen_check.py LOADGEN EMULATOR). A raw-socket WebSocket client, so the
check covers the handshake, masking, fragments, ping and close too.

Compared: every server event of 3 turns in order, all fields, except
expires_at (wall clock), temperature (the emulator prints the double's
digits) and the audio of answers 2+ (the loadgen sends answer 1's audio
every time; only the sizes must match). Then barge-in: a client that
does not read while the answer is out gets it cancelled.
"""
import base64
import hashlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import workload  # noqa: E402


def start(exe, extra=()):
    p = subprocess.Popen([exe, "--port", "0"] + list(extra), stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline().strip()
    if not line.startswith("ws://"):
        p.kill()
        raise RuntimeError("%s did not start" % exe)
    return p, line


def stop(p):
    p.send_signal(signal.SIGTERM)
    try:
        return p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait(timeout=5)
        return None


class Client:
    def __init__(self, url, rcvbuf=None):
        host, port = url[5:].split(":")
        self.s = socket.socket()
        if rcvbuf:
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.s.settimeout(5)
        self.s.connect((host, int(port)))
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall(("GET /voice-live/realtime?api-version=2025-10-01&model=gpt-4o HTTP/1.1\r\n"
                        "Host: %s:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n"
                        % (host, port, key)).encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            buf += self.s.recv(4096)
        head, self.buf = buf.split(b"\r\n\r\n", 1)
        want = base64.b64encode(hashlib.sha1(
            (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
        assert b" 101 " in head.split(b"\r\n")[0], head
        assert ("sec-websocket-accept: " + want.lower()).encode() in head.lower(), head
        assert b"extensions" not in head.lower(), head
        self.frames = []

    def send(self, payload, op=1, fin=True):
        if isinstance(payload, str):
            payload = payload.encode()
        mask = os.urandom(4)
        n = len(payload)
        hdr = bytes([(0x80 if fin else 0) | op])
        if n < 126:
            hdr += bytes([0x80 | n])
        elif n < 65536:
            hdr += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            hdr += bytes([0x80 | 127]) + struct.pack(">Q", n)
        self.s.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def pump(self, wait=0.0):
        """Read what is there (waiting up to @wait for the first bytes)."""
        self.s.settimeout(wait if wait > 0 else 0.0001)
        try:
            while True:
                d = self.s.recv(1 << 20)
                if not d:
                    break
                self.buf += d
                self.s.settimeout(0.0001)
        except (socket.timeout, BlockingIOError):
            pass
        while len(self.buf) >= 2:
            b0, b1 = self.buf[0], self.buf[1]
            assert not (b1 & 0x80), "server frames are not masked"
            n, h = b1 & 0x7F, 2
            if n == 126:
                if len(self.buf) < 4:
                    break
                n, h = struct.unpack(">H", self.buf[2:4])[0], 4
            elif n == 127:
                if len(self.buf) < 10:
                    break
                n, h = struct.unpack(">Q", self.buf[2:10])[0], 10
            if len(self.buf) < h + n:
                break
            self.frames.append((b0 & 0x0F, bytes(self.buf[h:h + n])))
            self.buf = self.buf[h + n:]

    def events(self):
        return [json.loads(p) for op, p in self.frames if op == 1]


def run_turns(url, pcm, chunk=4800):
    c = Client(url)
    c.pump(0.5)
    upd = json.dumps({"type": "session.update", "event_id": "vl-update-1",
                      "session": {"input_audio_format": "pcm16",
                                  "input_audio_sampling_rate": 24000,
                                  "output_audio_format": "pcm16"}},
                     separators=(",", ":"))
    # a fragmented message, with a ping between its fragments
    c.send(upd[:20], op=1, fin=False)
    c.send(b"hi", op=9)
    c.send(upd[20:], op=0, fin=True)
    c.pump(0.3)
    for i in range(0, len(pcm), chunk):
        b64 = base64.b64encode(pcm[i:i + chunk]).decode()
        c.send('{"type":"input_audio_buffer.append","audio":"%s"}' % b64)
        # the emulator sends an answer over several main-loop iterations
        c.pump(0.004)
    c.pump(0.5)
    c.send(struct.pack(">H", 1000) + b"bye", op=8)
    c.pump(0.5)
    c.s.close()
    return c


def norm(evs):
    out = []
    for e in evs:
        e = json.loads(json.dumps(e))
        for k in ("session",):
            if k in e:
                e[k].pop("expires_at", None)
                e[k].pop("temperature", None)
        if e.get("type") == "response.audio.delta":
            e["delta"] = len(base64.b64decode(e["delta"]))
        out.append(e)
    return out


def main():
    build = os.environ.get("BUILD_DIR", os.path.join(HERE, "..", "..", "build"))
    lg_exe = sys.argv[1] if len(sys.argv) > 1 else os.path.join(build, "tests", "bench", "vl-loadgen")
    emu_exe = sys.argv[2] if len(sys.argv) > 2 else os.path.join(build, "tests", "emulator", "voicelive-emulator")
    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, "t.wav")
        workload.make(wav, 3)
        with wave.open(wav) as w:
            pcm = w.readframes(w.getnframes())
    res = {}
    for name, exe in (("loadgen", lg_exe), ("emulator", emu_exe)):
        p, url = start(exe)
        try:
            res[name] = run_turns(url, pcm)
        finally:
            rc = stop(p)
        assert rc == 0, "%s exit status %s" % (name, rc)
    a, b = res["loadgen"], res["emulator"]
    ea, eb = a.events(), b.events()
    # pong and the close reply, as the emulator (libsoup) sends them
    for name, c in res.items():
        ops = [op for op, _ in c.frames]
        assert (10, b"hi") in c.frames, (name, "no pong")
        assert ops[-1] == 8 and c.frames[-1][1][:2] == struct.pack(">H", 1000), (name, c.frames[-1])
    deltas = [e for e in ea if e["type"] == "response.audio.delta"]
    # answer 1's audio is the emulator's, byte for byte
    d1a = [e["delta"] for e in ea if e["type"] == "response.audio.delta"][:13]
    d1b = [e["delta"] for e in eb if e["type"] == "response.audio.delta"][:13]
    assert d1a == d1b, "answer 1 audio differs"
    na, nb = norm(ea), norm(eb)
    for i, (x, y) in enumerate(zip(na, nb)):
        if x != y:
            raise AssertionError("event %d differs:\n loadgen  %s\n emulator %s" % (i, x, y))
    assert len(na) == len(nb), (len(na), len(nb))
    answers = sum(1 for e in ea if e["type"] == "response.done")
    audio = sum(len(base64.b64decode(e["delta"])) for e in deltas)
    assert answers == 3 and audio == 3 * 57600, (answers, audio)

    # barge-in: the client reads nothing while it speaks again, so the
    # answer waits in the loadgen's output and is cancelled
    p, url = start(lg_exe, ["--sndbuf", "4096"])
    try:
        c = Client(url, rcvbuf=4096)
        c.pump(0.3)
        # turn 1 and the start of turn 2's speech
        turn = pcm[:4 * 24000 * 2]
        for i in range(0, len(turn), 4800):
            c.send('{"type":"input_audio_buffer.append","audio":"%s"}'
                   % base64.b64encode(turn[i:i + 4800]).decode())
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            c.pump(0.1)
            if any(e["type"] == "response.done" for e in c.events()[-1:]):
                break
        evs = c.events()
        c.s.close()
    finally:
        stop(p)
    done = [e for e in evs if e["type"] == "response.done"]
    got = sum(len(base64.b64decode(e["delta"])) for e in evs if e["type"] == "response.audio.delta")
    types = [e["type"] for e in evs]
    assert done and done[-1]["response"]["status"] == "cancelled", types[-8:]
    assert done[-1]["response"]["status_details"]["reason"] == "turn_detected"
    assert types.index("input_audio_buffer.speech_started", types.index("response.created")) \
        < types.index("response.done"), types
    assert 0 <= got < 57600, got
    print("loadgen check OK: %d events identical to the emulator's over 3 turns; "
          "barge-in cancelled the answer after %d of 57600 bytes" % (len(na), got))


if __name__ == "__main__":
    main()
