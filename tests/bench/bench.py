#!/usr/bin/python3
"""gst-voicelive benchmarks: see tests/bench/README.md. Run via run.sh."""
import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import workload  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
PY = "/usr/bin/python3"


CHILDREN = []
EMULATORS = []
# sessions per vl-loadgen process (measured: README.md)
PER_LOADGEN = 1000


def cleanup(*_):
    for p in CHILDREN + [e.p for e in EMULATORS]:
        if p.poll() is None:
            p.kill()
    sys.exit(1)


def log(*a):
    print(*a, file=sys.stderr, flush=True)


class Emulator:
    """One voicelive-emulator (or vl-loadgen: same options and first line)
    process; stopped by PID (SIGTERM, bounded)."""

    def __init__(self, exe, record, extra=()):
        self.record = record
        args = [exe, "--port", "0", "--no-record-audio"] + list(extra)
        if record:
            # read when the run is over: written in batches, not per line
            args += ["--record", record, "--record-batch"]
        self.p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = ""
        t_end = time.monotonic() + 10
        while time.monotonic() < t_end and not line.startswith("ws://"):
            line = self.p.stdout.readline().strip()
        if not line.startswith("ws://"):
            self.stop()
            raise RuntimeError("emulator did not start")
        self.url = line
        EMULATORS.append(self)

    def stop(self):
        if self in EMULATORS:
            EMULATORS.remove(self)
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait(timeout=5)


def run_measured(cmd, env=None, timeout=180):
    """Run the client; return (rc, user+sys s, peak RSS KiB, wall s, stdout)."""
    t0 = time.monotonic()
    out = tempfile.TemporaryFile()
    p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
    deadline = t0 + timeout
    hwm = 0
    CHILDREN.append(p)
    while True:
        # VmHWM of the running client: ru_maxrss from wait4() would also
        # count the pre-exec copy of this (larger) Python process.
        try:
            with open("/proc/%d/status" % p.pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        hwm = max(hwm, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            p.kill()
            pid, status, ru = os.wait4(p.pid, 0)
            status = -1
            break
        time.sleep(0.01)
    wall = time.monotonic() - t0
    CHILDREN.remove(p)
    p.returncode = os.waitstatus_to_exitcode(status) if status != -1 else -9
    err = p.stderr.read().decode(errors="replace")
    out.seek(0)
    so = out.read().decode(errors="replace")
    if p.returncode != 0:
        log("  client failed rc=%s: %s" % (p.returncode, err[-400:]))
    return p.returncode, ru.ru_utime + ru.ru_stime, hwm, wall, so


def client_cmd(client, url, wav, expect, mode, build, tmp=None):
    rt = mode in ("realtime", "rtfile")
    if mode == "rtfile":
        # Issue 19's shape: the input paced in real time, the answers
        # written to a file as they arrive (a non-live src); its floor is
        # the input side alone. The other clients run as in real time.
        if client == "plugin":
            return [
                "gst-launch-1.0", "-q", "filesrc", "location=" + wav, "!", "wavparse", "!",
                "voicelivesink", "endpoint=" + url, "session-name=b", "sync=true",
                "voicelivesrc", "session-name=b", "is-live=false", "!",
                "filesink", "location=" + os.path.join(tmp or tempfile.gettempdir(), "rtfile-out.raw"),
            ]
        if client == "gst-floor":
            return ["gst-launch-1.0", "-q", "filesrc", "location=" + wav, "!", "wavparse", "!",
                    "fakesink", "sync=true"]
        mode = "realtime"
    if client == "plugin":
        return [
            "gst-launch-1.0", "-q", "filesrc", "location=" + wav, "!", "wavparse", "!",
            "voicelivesink", "endpoint=" + url, "session-name=b", "sync=%s" % str(rt).lower(),
            "voicelivesrc", "session-name=b", "is-live=%s" % str(rt).lower(), "!",
            "fakesink", "sync=%s" % str(rt).lower(),
        ]
    if client == "gst-floor":
        # The same pipeline shape without the plugin: the input file into a
        # clock-synced sink, and a 20 ms live source of silence (as many
        # buffers as the answers' wall time) into a synced fakesink. What
        # any GStreamer pipeline pays to move the audio at all.
        nbuf = int(round(wav_seconds(wav) * 50))
        return [
            "gst-launch-1.0", "-q", "filesrc", "location=" + wav, "!", "wavparse", "!",
            "fakesink", "sync=%s" % str(rt).lower(),
            "audiotestsrc", "is-live=%s" % str(rt).lower(), "wave=silence", "samplesperbuffer=480",
            "num-buffers=%d" % nbuf, "!", "audio/x-raw,rate=24000,channels=1,format=S16LE", "!",
            "fakesink", "sync=%s" % str(rt).lower(),
        ]
    if client == "python":
        return [PY, os.path.join(HERE, "quickstart_client.py"), url, wav, str(expect), mode]
    return ["node", os.path.join(HERE, "js", "sdk_client.mjs"), url, wav, str(expect), mode]


def wav_seconds(path):
    import wave
    with wave.open(path) as w:
        return w.getnframes() / float(w.getframerate())


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def pct(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def read_record(path):
    recs = []
    with open(path) as f:
        for line in f:
            try:
                recs.append(json.loads(line))
            except ValueError:
                pass
    return recs


DELTA_TYPES = ("response.audio.delta", "response.output_audio.delta")


def rec_time_us(r):
    """mono_us when the emulator writes it (CLOCK_MONOTONIC), else None."""
    return r.get("mono_us")


# ------------------------------------------------------------ CPU runs

def ab_env(env, other):
    """The environment that loads another build's plugin (--ab), with a
    registry of its own that main() builds before measuring."""
    reg = os.path.join(tempfile.gettempdir(), "vl-bench-registry-%s.bin" % (
        other.strip("/").replace("/", "_")))
    return dict(env, GST_PLUGIN_PATH=os.path.join(other, "gst", "voicelive"), GST_REGISTRY=reg)


def bench_cpu(args, emu_exe, build, tmp, env):
    turns = args.turns
    wavs = {}
    for mode in args.modes:
        # as-fast-as-possible runs take a 10x longer input so that start-up
        # does not dominate
        n = turns * (10 if mode == "fast" else 1)
        wavs[mode] = (os.path.join(tmp, "turns-%s.wav" % mode), n)
        wavs[mode] = wavs[mode] + (workload.make(wavs[mode][0], n),)
    wav0 = os.path.join(tmp, "empty.wav")
    workload.make(wav0, 0)
    clients = args.clients
    res = {}
    for mode in args.modes:
        for c in clients:
            res[(mode, c)] = {"cpu": [], "rss": [], "wall": [], "cpu0": [], "rss0": [], "out": []}
        wav, nturns, audio_s = wavs[mode]
        for r in range(args.runs):
            for c in clients:
                for kind, w, exp in (("work", wav, nturns), ("start", wav0, 0)):
                    if kind == "start" and mode != args.modes[0]:
                        continue
                    emu = Emulator(emu_exe, None)
                    cenv = env
                    if c.startswith("plugin@"):
                        # --ab: another build's plugin, its own registry
                        other = c[len("plugin@"):]
                        cenv = ab_env(env, other)
                    try:
                        rc, cpu, rss, wall, so = run_measured(
                            client_cmd(c.split("@")[0], emu.url, w, exp, mode, build, tmp), env=cenv)
                    finally:
                        emu.stop()
                    if rc != 0:
                        continue
                    d = res[(mode, c)]
                    if kind == "work":
                        d["cpu"].append(cpu)
                        d["rss"].append(rss)
                        d["wall"].append(wall)
                        try:
                            d["out"].append(json.loads(so.strip().splitlines()[-1])["out_bytes"])
                        except Exception:
                            pass
                        log("  %-8s %-6s run %d: cpu %.3f s  rss %d KiB  wall %.1f s" % (mode, c, r, cpu, rss, wall))
                    else:
                        d["cpu0"].append(cpu)
                        d["rss0"].append(rss)
        # start-up figures measured once (first mode), shared
    for c in clients:
        for mode in args.modes:
            if mode != args.modes[0]:
                res[(mode, c)]["cpu0"] = res[(args.modes[0], c)]["cpu0"]
                res[(mode, c)]["rss0"] = res[(args.modes[0], c)]["rss0"]
    table = {}
    for (mode, c), d in res.items():
        audio_s = wavs[mode][2]
        cpu, cpu0 = med(d["cpu"]), med(d["cpu0"])
        table["%s/%s" % (mode, c)] = {
            "runs": len(d["cpu"]),
            "cpu_s": cpu,
            "startup_cpu_s": cpu0,
            "cpu_per_audio_hour_s": cpu / audio_s * 3600,
            "cpu_per_audio_hour_minus_startup_s": (cpu - cpu0) / audio_s * 3600,
            "peak_rss_kib": med(d["rss"]),
            "wall_s": med(d["wall"]),
            "audio_s": audio_s,
            "out_bytes": med(d["out"]) if d["out"] else None,
        }
    return {"audio_s": wavs[args.modes[0]][2], "turns": turns, "table": table, "clients": clients}


# ------------------------------------------------------------ latency

def null_client_delay(emu_exe, tmp, n=150):
    """Loopback + emulator receive delay: a raw-socket WebSocket client
    records CLOCK_MONOTONIC after send() returns; the record's mono_us of
    the same append minus that time."""
    import base64
    import socket
    import struct
    rec = os.path.join(tmp, "null.jsonl")
    emu = Emulator(emu_exe, rec)
    sent = []
    try:
        host, port = emu.url[5:].split(":")
        s = socket.create_connection((host, int(port)))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        s.sendall(("GET /voice-live/realtime?api-version=2025-10-01&model=gpt-4o HTTP/1.1\r\n"
                   "Host: %s:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (host, port, key)).encode())
        s.settimeout(5)
        buf = b""
        while b"\r\n\r\n" not in buf:
            buf += s.recv(4096)
        s.setblocking(False)
        chunk = base64.b64encode(bytes(960)).decode()
        payload = json.dumps({"type": "input_audio_buffer.append", "audio": chunk}).encode()

        def frame(p):
            mask = os.urandom(4)
            m = bytes(b ^ mask[i % 4] for i, b in enumerate(p))
            hdr = bytes([0x81, 0x80 | 126]) + struct.pack(">H", len(p)) if len(p) < 65536 else None
            return hdr + mask + m
        fr = frame(payload)
        for i in range(n):
            time.sleep(0.02)
            s.sendall(fr)
            sent.append(time.monotonic_ns() // 1000)
            try:
                while s.recv(65536):
                    pass
            except (BlockingIOError, OSError):
                pass
        time.sleep(0.2)
        s.close()
    finally:
        emu.stop()
    apps = [r for r in read_record(rec) if r.get("type") == "input_audio_buffer.append"]
    if not apps or rec_time_us(apps[0]) is None:
        return None
    return [rec_time_us(a) - t for a, t in zip(apps, sent)]


def bench_latency(args, emu_exe, build, tmp, env):
    out = {}
    wav = os.path.join(tmp, "lat.wav")
    workload.make(wav, args.lat_turns)
    bench = os.path.join(build, "tests", "bench", "vl-bench")
    # nonlive/live: the emulator sends each answer as fast as it can (13
    # deltas within ~1 ms), so on 2 cores it competes for the CPU with the
    # plugin's threads; nonlive_paced: it streams the answer in real time,
    # one delta at a time, as a service generating speech does.
    for key, live, extra in (("nonlive", False, ()), ("live", True, ()),
                             ("nonlive_paced", False, ("--realtime",))):
        rec = os.path.join(tmp, "lat-rec-%s.jsonl" % key)
        log_path = os.path.join(tmp, "lat-%s.jsonl" % key)
        emu = Emulator(emu_exe, rec, extra)
        try:
            cmd = [bench, "latency", "--url", emu.url, "--wav", wav, "--out", log_path]
            if live:
                cmd.append("--live")
            rc, cpu, rss, wall, so = run_measured(cmd, env=env)
        finally:
            emu.stop()
        evs = [json.loads(l) for l in open(log_path)]
        ins = [e for e in evs if e["k"] == "in"]
        sends = [e for e in evs if e["k"] == "send"]
        reads = [e for e in evs if e["k"] == "read" and e["name"] in DELTA_TYPES]
        outs = [e for e in evs if e["k"] == "out" and e["c"] == 0]
        up = [(s["t0"] - i["t0"]) for i, s in zip(ins, sends)]
        up_written = [(s["t1"] - i["t0"]) for i, s in zip(ins, sends)]
        # downlink: first buffer whose bytes include the first byte of delta i
        recs = read_record(rec)
        deltas = [r for r in recs if r.get("type") == "response.audio.delta"]
        starts, pos = [], 0
        for d in deltas:
            starts.append(pos)
            pos += d["samples"] * 2
        down, down_first, down_emu, down_wire = [], [], [], []
        j = 0
        for i, (d, b0) in enumerate(zip(deltas, starts)):
            while j < len(outs) and outs[j]["a"] + outs[j]["b"] <= b0:
                j += 1
            if j >= len(outs) or i >= len(reads):
                break
            dt = outs[j]["t0"] - reads[i]["t0"]
            down.append(dt)
            if d.get("offset", 1) == 0:
                down_first.append(dt)
            if rec_time_us(d) is not None:
                # emulator handed the frame to libsoup -> buffer pushed
                down_emu.append(outs[j]["t0"] - rec_time_us(d))
                # emulator handed it to libsoup -> the plugin's libsoup read it
                down_wire.append(reads[i]["t0"] - rec_time_us(d))
        up_emu, up_wire = [], []
        apps = [r for r in recs if r.get("type") == "input_audio_buffer.append"]
        if apps and rec_time_us(apps[0]) is not None:
            # buffer arrival -> the emulator has read and decoded the append
            up_emu = [rec_time_us(a) - i["t0"] for i, a in zip(ins, apps)]
            # append written by the plugin -> read by the emulator
            up_wire = [rec_time_us(a) - s["t1"] for s, a in zip(sends, apps)]

        def st(xs):
            return {"n": len(xs), "p50_us": pct(xs, 50), "p99_us": pct(xs, 99), "max_us": max(xs) if xs else None}
        out[key] = {
            "uplink_to_send_call": st(up), "uplink_to_written": st(up_written),
            "downlink_read_to_push": st(down if not live else down_first),
            "downlink_read_to_push_all": st(down),
            "uplink_emulator": st(up_emu), "downlink_emulator": st(down_emu),
            "uplink_wire": st(up_wire), "downlink_wire": st(down_wire),
        }
        log("  latency %s: up %s  down %s" % (key, out[key]["uplink_to_written"], out[key]["downlink_read_to_push"]))
    base = null_client_delay(emu_exe, tmp)
    out["null_client_receive_delay"] = {"p50_us": pct(base, 50), "p99_us": pct(base, 99)} if base else None
    # barge-in
    bwav = os.path.join(tmp, "barge.wav")
    workload.make_bargein(bwav, args.lat_turns)
    rec = os.path.join(tmp, "barge-rec.jsonl")
    log_path = os.path.join(tmp, "barge.jsonl")
    emu = Emulator(emu_exe, rec)
    try:
        run_measured([bench, "latency", "--live", "--url", emu.url, "--wav", bwav, "--out", log_path], env=env)
    finally:
        emu.stop()
    evs = [json.loads(l) for l in open(log_path)]
    outs = [e for e in evs if e["k"] == "out"]
    # t = the speech_started frame read by libsoup (emission hook); the
    # element message is posted after the plugin has acted on it
    starts = [e["t0"] for e in evs if e["k"] == "read"
              and e["name"] == "input_audio_buffer.speech_started"]
    if not starts:
        starts = [e["t0"] for e in evs if e["k"] == "msg"
                  and e["name"] == "voicelive/speech-started"]
    bi, bi_gap = [], []
    for t in starts:
        # audio playing at t? the last pushed buffer before t is non-GAP
        before = [o for o in outs if o["t0"] <= t]
        if not before or before[-1]["c"] == 1:
            continue
        last, gap = None, None
        for o in outs:
            if o["t0"] <= t:
                continue
            if o["c"] == 1:
                gap = o
                break
            last = o
        bi.append((last["t0"] - t) if last else 0)
        if gap:
            bi_gap.append(gap["t0"] - t)
    out["barge_in_us"] = {"n": len(bi), "p50_us": pct(bi, 50), "max_us": max(bi) if bi else None,
                          "first_gap_p50_us": pct(bi_gap, 50),
                          "first_gap_max_us": max(bi_gap) if bi_gap else None, "all": bi}
    log("  barge-in: %s" % out["barge_in_us"])
    return out


# ------------------------------------------------------------ sessions ramp

def late_appends(recs, skip_s=3.0, bytes_per_ms=48.0):
    """An append's due time is when the audio it ends with was captured:
    the connection's earliest (arrival - audio before it) plus the audio
    up to its end, so any chunk-ms works."""
    by = {}
    for r in recs:
        if r.get("type") == "input_audio_buffer.append":
            t = rec_time_us(r)
            t = t / 1000.0 if t is not None else float(r["t_ms"])
            by.setdefault(r["conn"], []).append((t, r.get("audio_bytes", 960)))
    late, worst, n = 0, 0.0, 0
    for conn, ts in by.items():
        if len(ts) < 10:
            continue
        ends, acc = [], 0
        for t, b in ts:
            acc += b
            ends.append(acc / bytes_per_ms)
        base = min(t - e for (t, _), e in zip(ts, ends))
        for (t, _), e in zip(ts, ends):
            if t - ts[0][0] < skip_s * 1000:
                continue
            n += 1
            lag = t - (base + e)
            worst = max(worst, lag)
            if lag > 100.0:
                late += 1
    return late, worst, n


def ramp_step(args, emu_exe, bench, wav, env, tmp, n, chunk_ms, buffer_ms):
    # One server process per --per-emulator sessions. The emulator: 128;
    # more processes wake more often and take CPU from the client (at 500
    # sessions, 100/100 ms: 32 per process failed 6 ramps of 8, 128 passed
    # 3 of 3); fewer than ~4 cannot keep up. vl-loadgen: PER_LOADGEN
    # (epoll: a wake-up costs what is ready, not what is connected).
    n_emu = 0 if args.floor else max(1, min(args.emulators, -(-n // args.per_emulator)))
    emus = []
    try:
        for i in range(n_emu):
            emus.append(Emulator(args.server_exe, os.path.join(
                tmp, "ramp-%d-%d-%d-%d.jsonl" % (chunk_ms, buffer_ms, n, i))))
        urls = ",".join(e.url for e in emus) or "none"
        pids = [e.p.pid for e in emus]
        emu_cpu0 = sum(proc_cpu(p) for p in pids)
        emu_wait0 = sum(proc_runq_wait(p) for p in pids)
        rc, cpu, rss, wall, so = run_measured(
            [bench, "sessions", "--urls", urls, "--wav", wav, "--n", str(n),
             "--seconds", str(args.ramp_seconds), "--chunk-ms", str(chunk_ms),
             "--buffer-ms", str(buffer_ms)] + (["--floor"] if args.floor else []),
            env=env, timeout=args.ramp_seconds + 120)
        emu_cpu = sum(proc_cpu(p) for p in pids) - emu_cpu0
        emu_wait = sum(proc_runq_wait(p) for p in pids) - emu_wait0
    finally:
        for e in emus:
            e.stop()
    try:
        st = json.loads(so.strip().splitlines()[-1])
    except Exception:
        log("  ramp %d/%d n=%d: no result (rc %s)" % (chunk_ms, buffer_ms, n, rc))
        return {"n": n, "chunk_ms": chunk_ms, "buffer_ms": buffer_ms, "failed": True, "ok": False}
    late, worst, napp = 0, 0.0, 0
    for e in emus:
        l, w, k = late_appends(read_record(e.record))
        late += l
        worst = max(worst, w)
        napp += k
        os.unlink(e.record)
    st.update({"late_appends": late, "worst_append_lag_ms": worst, "appends_checked": napp,
               "server": args.server, "emulators": n_emu, "emulator_cpu_s": emu_cpu,
               # time the servers were runnable but not running: their late reads
               "emulator_runq_wait_s": emu_wait, "client_cpu_total_s": cpu})
    # cores used by anything else on the machine during the window
    w = st.get("window_s") or 1.0
    st["emulator_cores"] = emu_cpu / (st["seconds"] + st["startup_s"])
    st["other_cores"] = max(0.0, st["machine_busy_frac"] * (os.cpu_count() or 1)
                            - (st["win_cpu_user"] + st["win_cpu_sys"]) / w - st["emulator_cores"])
    expected = n * (args.ramp_seconds - 4) / 3.0
    st["replies_expected_min"] = expected * 0.8
    st["ok"] = (st["underruns"] == 0 and late == 0 and st["errors"] == 0
                and st["late"] == 0 and (args.floor or st["replies"] >= expected * 0.8))
    log("  ramp %d/%d n=%d: %s" % (chunk_ms, buffer_ms, n, json.dumps(
        {k: v for k, v in st.items() if k != "threads"})))
    log("    threads: %s" % json.dumps(st.get("threads")))
    return st


def bench_sessions(args, emu_exe, build, tmp, env):
    """Per (chunk-ms, buffer-ms) configuration, ramp N until a step fails
    or the configuration's time budget is spent."""
    bench = os.path.join(build, "tests", "bench", "vl-bench")
    wav = os.path.join(tmp, "loop.wav")
    workload.make(wav, 1)
    steps = []
    if args.server == "loadgen" and not args.floor:
        # it must answer as the emulator does, or its figures mean nothing
        subprocess.run([PY, os.path.join(HERE, "loadgen_check.py"), args.server_exe, emu_exe],
                       check=True, timeout=120, stdout=sys.stderr)
    for chunk_ms, buffer_ms in args.configs:
        t_start = time.monotonic()
        for n in args.ramp:
            if time.monotonic() - t_start > args.ramp_budget:
                log("  ramp %d/%d: time budget reached" % (chunk_ms, buffer_ms))
                break
            st = ramp_step(args, emu_exe, bench, wav, env, tmp, n, chunk_ms, buffer_ms)
            steps.append(st)
            if not st["ok"]:
                break
    return steps


def proc_runq_wait(pid):
    """Seconds the process's main thread waited on a run queue."""
    try:
        with open("/proc/%d/schedstat" % pid) as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def proc_cpu(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


# ------------------------------------------------------------ main

def machine():
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ver = lambda c: subprocess.run(c, capture_output=True, text=True).stdout.strip().splitlines()[0]
    # node, the SDK and websockets are only there when the python and js
    # clients are measured (--clients)
    try:
        sdk = json.load(open(os.path.join(HERE, "js", "node_modules", "@azure", "ai-voicelive",
                                          "package.json")))["version"]
    except OSError:
        sdk = None
    try:
        import websockets
        wsv = websockets.__version__
    except ImportError:
        wsv = None
    try:
        node = ver(["node", "--version"])
    except (OSError, IndexError):
        node = None
    return {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
            "gstreamer": ver(["gst-launch-1.0", "--version"]), "node": node,
            "python": platform.python_version(), "websockets": wsv,
            "ai_voicelive_sdk": sdk}


def fmt_table(res):
    lines = []
    cpu = res.get("cpu")
    if cpu:
        lines.append("workload: %d turns, %.0f s of audio (real-time); 10x that as fast as possible" % (cpu["turns"], cpu["audio_s"]))
        lines.append("%-20s %10s %12s %14s %10s %9s %9s" % (
            "client", "cpu s", "cpu s/aud h", "-startup s/h", "rss KiB", "x plugin", "x(-start)"))
        for mode in ("realtime", "rtfile", "fast"):
            p = cpu["table"].get(mode + "/plugin")
            for c in ["plugin"] + [x for x in cpu["clients"] if x.startswith("plugin@")] + [
                    "python", "js", "gst-floor"]:
                d = cpu["table"].get("%s/%s" % (mode, c))
                if not d:
                    continue
                ratio = d["cpu_per_audio_hour_s"] / p["cpu_per_audio_hour_s"] if p else float("nan")
                r2 = (d["cpu_per_audio_hour_minus_startup_s"] / p["cpu_per_audio_hour_minus_startup_s"]
                      if p and p["cpu_per_audio_hour_minus_startup_s"] > 0 else float("nan"))
                lines.append("%-20s %10.3f %12.1f %14.1f %10d %9.1f %9.1f" % (
                    mode + "/" + c, d["cpu_s"], d["cpu_per_audio_hour_s"],
                    d["cpu_per_audio_hour_minus_startup_s"], d["peak_rss_kib"], ratio, r2))
        t = cpu["table"]
        p, fl, py = (t.get("rtfile/" + c) for c in ("plugin", "gst-floor", "python"))
        if p and fl and py and py["cpu_s"] > 0:
            own = p["cpu_s"] - fl["cpu_s"]
            lines.append("issue 19 targets (rtfile): plugin's own cost (plugin - floor) %.3f s = 1/%.1f of "
                         "python's %.3f s (target 1/10); whole pipeline %.3f s = 1/%.1f (target 1/4)" % (
                             own, py["cpu_s"] / own if own > 0 else float("inf"), py["cpu_s"],
                             p["cpu_s"], py["cpu_s"] / p["cpu_s"]))
    lat = res.get("latency")
    if lat:
        for k in ("nonlive", "live", "nonlive_paced"):
            d = lat.get(k)
            if not d:
                continue
            lines.append("latency (%s src): uplink arrival->append written p50/p99/max = %s/%s/%s us; "
                         "downlink delta read->buffer pushed = %s/%s/%s us" % (
                             k, d["uplink_to_written"]["p50_us"], d["uplink_to_written"]["p99_us"],
                             d["uplink_to_written"]["max_us"], d["downlink_read_to_push"]["p50_us"],
                             d["downlink_read_to_push"]["p99_us"], d["downlink_read_to_push"]["max_us"]))
        lines.append("barge-in speech_started read -> last audio buffer pushed: %s" % {
            k: v for k, v in lat["barge_in_us"].items() if k != "all"})
    for st in res.get("sessions", []):
        if st.get("failed"):
            lines.append("sessions %d/%d n=%d: failed" % (st["chunk_ms"], st["buffer_ms"], st["n"]))
            continue
        w = st.get("window_s") or 1.0
        lines.append("sessions%s chunk/buffer %3d/%3d ms n=%4d: %s  steady cpu %.2f core (%.2f ms/s per "
                     "session, sys %.0f%%)  machine busy %.0f%%  rss %d KiB  underruns %d  late bufs %d "
                     "(max %.1f ms)  late appends %d (worst %.0f ms)  replies %d  %s cpu %.2f core  others %.2f core" % (
                         " FLOOR (no plugin)" if st.get("floor") else "",
                         st["chunk_ms"], st["buffer_ms"], st["n"], "OK  " if st["ok"] else "FAIL",
                         (st["win_cpu_user"] + st["win_cpu_sys"]) / w,
                         (st["win_cpu_user"] + st["win_cpu_sys"]) / w / st["n"] * 1000,
                         100 * st["win_cpu_sys"] / max(1e-9, st["win_cpu_user"] + st["win_cpu_sys"]),
                         100 * st["machine_busy_frac"], st["rss_kb"], st["underruns"], st["late"],
                         st["max_late_us"] / 1000.0, st["late_appends"], st["worst_append_lag_ms"],
                         st["replies"], "loadgen" if st.get("server") == "loadgen" else "emu",
                         st.get("emulator_cores", 0), st.get("other_cores", 0)))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default="cpu,latency,sessions")
    ap.add_argument("--out", default=None)
    ap.add_argument("--configs", default=None,
                    help="sessions: chunk-ms/buffer-ms pairs, e.g. 20/20,100/100")
    ap.add_argument("--ramp", default=None, help="sessions: N steps, e.g. 50,100,200")
    ap.add_argument("--server", choices=("emulator", "loadgen"), default="loadgen",
                    help="sessions: the server the ramp's sessions talk to (default loadgen: "
                    "tests/bench/vl-loadgen, README.md); cpu and latency always use the emulator")
    ap.add_argument("--per-emulator", type=int, default=None,
                    help="sessions: sessions per server process (default: emulator 128, "
                    "loadgen %d)" % PER_LOADGEN)
    ap.add_argument("--clients", default="plugin,python,js,gst-floor",
                    help="cpu: the clients to measure (default all four)")
    ap.add_argument("--runs", dest="runs_opt", metavar="N", type=int, default=None,
                    help="cpu: runs per client (default 3, --quick 1)")
    ap.add_argument("--ab", default=None, metavar="BUILD[,BUILD...]",
                    help="cpu: also the plugin of these build directories, interleaved run by "
                    "run with this build's (rows plugin@BUILD)")
    ap.add_argument("--floor", action="store_true",
                    help="sessions: the same pipelines without the plugin and no server "
                    "(GStreamer's own cost of pacing N sessions' audio); a step fails on late buffers")
    ap.add_argument("--modes", dest="modes_opt", default=None,
                    help="cpu: realtime,rtfile,fast (default all three; rtfile is issue 19's "
                    "shape: real-time input, answers to a file)")
    ap.add_argument("--emulator", default=None,
                    help="the voicelive-emulator binary (default BUILD_DIR's); "
                    "an A/B of two builds can share one")
    ap.add_argument("--loadgen", default=None,
                    help="sessions: the vl-loadgen binary (default BUILD_DIR's)")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, cleanup)
    signal.signal(signal.SIGINT, cleanup)
    build = os.path.abspath(os.environ.get("BUILD_DIR", os.path.join(ROOT, "build")))
    emu_exe = args.emulator or os.path.join(build, "tests", "emulator", "voicelive-emulator")
    args.clients = args.clients.split(",")
    # --ab: the plugin of other builds, interleaved run by run with this one's
    args.clients += ["plugin@" + os.path.abspath(b) for b in (args.ab or "").split(",") if b]
    if args.server == "loadgen":
        args.server_exe = args.loadgen or os.path.join(build, "tests", "bench", "vl-loadgen")
    else:
        args.server_exe = emu_exe
    if args.per_emulator is None:
        args.per_emulator = PER_LOADGEN if args.server == "loadgen" else 128
    env = dict(os.environ)
    env["GST_PLUGIN_PATH"] = os.path.join(build, "gst", "voicelive")
    env.setdefault("GST_REGISTRY", os.path.join(tempfile.gettempdir(), "vl-bench-registry.bin"))
    if args.quick:
        args.turns, args.runs, args.modes = 4, 1, ["realtime", "rtfile", "fast"]
        args.lat_turns = 3
        ramp, configs = [50, 200], "20/20,100/100"
        args.ramp_seconds, args.ramp_budget, args.emulators = 12, 40, 16
    else:
        args.turns, args.runs, args.modes = 10, 3, ["realtime", "rtfile", "fast"]
        args.lat_turns = 8
        ramp, configs = [100, 200, 300, 400, 500, 600, 800], "20/20,40/40,100/100"
        # per configuration
        args.ramp_seconds, args.ramp_budget, args.emulators = 12, 200, 16
    if args.runs_opt:
        args.runs = args.runs_opt
    if args.modes_opt:
        args.modes = args.modes_opt.split(",")
    args.ramp = [int(x) for x in (args.ramp or ",".join(map(str, ramp))).split(",")]
    args.configs = [tuple(int(y) for y in x.split("/")) for x in (args.configs or configs).split(",")]
    res = {"machine": machine(), "quick": args.quick}
    # Build the registry now: the first gst-launch after a rebuild of the
    # plugin would otherwise spend ~0.4 s of CPU scanning plugins, counted
    # against the plugin's first run.
    for e in [env] + [ab_env(env, c[len("plugin@"):]) for c in args.clients
                      if c.startswith("plugin@")]:
        subprocess.run(["gst-inspect-1.0", "voicelive"], env=e, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=120)
    with tempfile.TemporaryDirectory(prefix="vl-bench-") as tmp:
        only = args.only.split(",")
        if "cpu" in only:
            log("== CPU per audio-hour (%d runs)" % args.runs)
            res["cpu"] = bench_cpu(args, emu_exe, build, tmp, env)
        if "latency" in only:
            log("== added latency")
            res["latency"] = bench_latency(args, emu_exe, build, tmp, env)
        if "sessions" in only:
            log("== concurrent real-time sessions in one process")
            res["sessions"] = bench_sessions(args, emu_exe, build, tmp, env)
    out = args.out or os.path.join(tempfile.gettempdir(), "vl-bench-results.json")
    with open(out, "w") as f:
        json.dump(res, f, indent=1, default=str)
    print(json.dumps(res["machine"]))
    print(fmt_table(res))
    log("results: " + out)


if __name__ == "__main__":
    main()
