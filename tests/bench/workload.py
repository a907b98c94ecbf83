"""The bench workload: a WAV of N turns (24 kHz, S16LE, mono).

Each turn is 1.0 s of a voiced, speech-like signal (a 140 Hz glottal-like
harmonic series, amplitude-modulated at a syllable rate of 4 Hz) followed by
2.0 s of silence. The emulator's energy VAD (server_vad, threshold 0.5,
silence 500 ms) sees exactly one turn per 3 s: speech_stopped 1.5 s into
the turn, then a 1.2 s answer that has finished playing before the next
turn starts. Deterministic, so every client gets the same bytes.
"""
import math
import struct
import wave

RATE = 24000
TURN_S = 3.0
VOICE_S = 1.0


def voiced(n0, n):
    out = []
    for i in range(n0, n0 + n):
        t = i / RATE
        env = 0.55 + 0.45 * math.sin(2 * math.pi * 4 * t)
        s = sum(math.sin(2 * math.pi * 140 * h * t) / h for h in range(1, 9))
        out.append(int(9000 * env * s / 2.0))
    return out


def make(path, turns, tail_s=0.0):
    """turns=0 gives 100 ms of silence (the start-up/tear-down workload)."""
    frames = bytearray()
    v = voiced(0, int(VOICE_S * RATE))
    vb = struct.pack("<%dh" % len(v), *[max(-32768, min(32767, x)) for x in v])
    sil = bytes(int((TURN_S - VOICE_S) * RATE) * 2)
    for _ in range(turns):
        frames += vb + sil
    if turns == 0:
        frames += bytes(int(0.1 * RATE) * 2)
    frames += bytes(int(tail_s * RATE) * 2)
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))
    return len(frames) / 2 / RATE


def make_bargein(path, turns):
    """Turns whose next speech starts 0.3 s after the answer starts
    (speech 1.0 s, silence 0.8 s): the answer is interrupted."""
    frames = bytearray()
    v = voiced(0, int(VOICE_S * RATE))
    vb = struct.pack("<%dh" % len(v), *v)
    for _ in range(turns):
        frames += vb + bytes(int(0.8 * RATE) * 2)
    frames += bytes(int(3.0 * RATE) * 2)
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))
    return len(frames) / 2 / RATE
