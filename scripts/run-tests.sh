#!/usr/bin/env bash
# The test command: install what is missing, build, run the whole test suite
# (plain, then under valgrind, then the Debian package build and its checks:
# scripts/check-deb.sh, then built with ASan + UBSan together with a 60 s
# libFuzzer smoke run: scripts/sanitize.sh; then the element suites built
# with ThreadSanitizer: scripts/tsan.sh), and end with one summary line
#
#   N passed, N failed[, N skipped]
#
# computed from meson's JSON test logs (check-deb.sh writes its checks in the
# same format).  Every step runs even when an earlier
# test step failed; the exit status is 0 only when no test failed and at least
# one test ran.
#
#   BUILD_DIR        build directory (default: build)
#   ASAN_BUILD_DIR   sanitizer build directory (default: build-asan)
#   TSAN_BUILD_DIR   ThreadSanitizer build directory (default: build-tsan)
#   MESON_TEST_ARGS  extra arguments for the `meson test` runs
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || { echo "0 passed, 1 failed"; exit 1; }
export BUILD_DIR=${BUILD_DIR:-build}
export ASAN_BUILD_DIR=${ASAN_BUILD_DIR:-build-asan}
export TSAN_BUILD_DIR=${TSAN_BUILD_DIR:-build-tsan}
PYTHON=/usr/bin/python3

log() { printf 'run-tests.sh: %s\n' "$*" >&2; }

# A step that must succeed before any test can run.
fatal() {
  log "ERROR: $*"
  echo "0 passed, 1 failed"
  exit 1
}

bash scripts/deps.sh </dev/null || fatal "installing dependencies failed (scripts/deps.sh)"
bash scripts/build.sh </dev/null || fatal "the build failed (scripts/build.sh); see the compiler output above"
[ -x "$PYTHON" ] || fatal "$PYTHON not found (install python3)"

test_args=()
if [ -n "${MESON_TEST_ARGS:-}" ]; then
  read -r -a test_args <<<"$MESON_TEST_ARGS"
fi

logdir="$BUILD_DIR/meson-logs"
plain_log="$logdir/testlog.json"
valgrind_log="$logdir/testlog-valgrind.json"
deb_log="$logdir/testlog-deb.json"
# Stale logs from an earlier run must not be counted.
rm -f "$plain_log" "$valgrind_log" "$deb_log"

# Runs that did not produce a log although meson test failed (a rebuild error,
# a bad argument) count as one failure each.
broken_runs=0

log "meson test (plain)"
meson test -C "$BUILD_DIR" --print-errorlogs --num-processes 2 \
  "${test_args[@]}" </dev/null
rc=$?
if [ "$rc" -ne 0 ] && [ ! -s "$plain_log" ]; then
  log "ERROR: meson test exited with $rc without running any test"
  broken_runs=$((broken_runs + 1))
fi

if meson test -C "$BUILD_DIR" --list --setup valgrind >/dev/null 2>&1 </dev/null; then
  log "meson test --setup valgrind"
  meson test -C "$BUILD_DIR" --setup valgrind --print-errorlogs \
    --num-processes 2 "${test_args[@]}" </dev/null
  rc=$?
  if [ "$rc" -ne 0 ] && [ ! -s "$valgrind_log" ]; then
    log "ERROR: meson test --setup valgrind exited with $rc without running any test"
    broken_runs=$((broken_runs + 1))
  fi
else
  log "no 'valgrind' test setup in this build; skipping the valgrind run"
fi

# The .deb route: build the packages in a scratch copy of the tree, lintian,
# then load the plugin and run the emulator from the unpacked packages.
log "Debian packages (scripts/check-deb.sh)"
bash scripts/check-deb.sh "$deb_log" </dev/null
rc=$?
if [ "$rc" -ne 0 ] && [ ! -s "$deb_log" ]; then
  log "ERROR: scripts/check-deb.sh exited with $rc without running any check"
  broken_runs=$((broken_runs + 1))
fi

# The sanitizer run needs clang with its runtimes (ASan, UBSan, libFuzzer):
# install them when missing (scripts/deps.sh covers the plain build only).
have_clang_rt() {
  command -v clang >/dev/null 2>&1 &&
    [ -f "$(clang -print-file-name=libclang_rt.asan-x86_64.so)" ] &&
    [ -f "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)" ]
}
install_clang() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo -n true 2>/dev/null || return 1
    sudo=(sudo -n)
  fi
  log "installing clang libclang-rt-14-dev for the sanitizer run"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update </dev/null &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y --no-install-recommends clang libclang-rt-14-dev </dev/null
}

asan_log="$ASAN_BUILD_DIR/meson-logs/testlog-asan.json"
rm -f "$asan_log"
if have_clang_rt || { install_clang && have_clang_rt; }; then
  log "sanitizer build and run (scripts/sanitize.sh)"
  bash scripts/sanitize.sh "${test_args[@]}" </dev/null
  rc=$?
  if [ "$rc" -ne 0 ] && [ ! -s "$asan_log" ]; then
    log "ERROR: scripts/sanitize.sh exited with $rc without running any test"
    broken_runs=$((broken_runs + 1))
  fi
else
  log "ERROR: clang with its sanitizer runtimes is missing and could not be" \
    "installed (apt-get install clang libclang-rt-14-dev)"
  broken_runs=$((broken_runs + 1))
fi

# The ThreadSanitizer run uses GCC's runtime (libtsan2, from libgcc-12-dev
# with gcc; see scripts/tsan.sh for why not clang's).
have_tsan_rt() {
  command -v gcc >/dev/null 2>&1 && [ -f "$(gcc -print-file-name=libtsan.so)" ]
}
install_tsan() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo -n true 2>/dev/null || return 1
    sudo=(sudo -n)
  fi
  log "installing libtsan2 for the ThreadSanitizer run"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update </dev/null &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y --no-install-recommends gcc libtsan2 </dev/null
}

tsan_log="$TSAN_BUILD_DIR/meson-logs/testlog-tsan.json"
rm -f "$tsan_log"
if have_tsan_rt || { install_tsan && have_tsan_rt; }; then
  log "ThreadSanitizer build and run (scripts/tsan.sh)"
  bash scripts/tsan.sh "${test_args[@]}" </dev/null
  rc=$?
  if [ "$rc" -ne 0 ] && [ ! -s "$tsan_log" ]; then
    log "ERROR: scripts/tsan.sh exited with $rc without running any test"
    broken_runs=$((broken_runs + 1))
  fi
else
  log "ERROR: GCC's ThreadSanitizer runtime is missing and could not be" \
    "installed (apt-get install libtsan2)"
  broken_runs=$((broken_runs + 1))
fi

"$PYTHON" - "$broken_runs" "$plain_log" "$valgrind_log" "$deb_log" "$asan_log" "$tsan_log" <<'PY'
import collections
import json
import os
import re
import sys

PASSED = {"OK", "EXPECTEDFAIL"}
FAILED = {"FAIL", "TIMEOUT", "ERROR", "UNEXPECTEDPASS"}
SKIPPED = {"SKIP"}

broken = int(sys.argv[1])


def why_failed(entry):
    """The lines of a failed test's output that say why: check's failure
    lines first, then assertions, criticals, tracebacks, sanitizer and
    valgrind error lines; else its last lines. The summary is often all of
    a CI log that is kept."""
    text = (entry.get("stdout") or "") + "\n" + (entry.get("stderr") or "")
    lines = [l.rstrip() for l in text.splitlines() if l.strip()]
    check = [l for l in lines if re.search(r":[EF]:", l)]
    other = [l for l in lines
             if not re.search(r":[EF]:", l) and re.search(
                 r"Assertion|assertion|CRITICAL|Traceback|Error:|ERROR:|FAIL:|"
                 r"^SUMMARY: |ERROR SUMMARY: [1-9]|definitely lost in loss|"
                 r"WARNING: ThreadSanitizer|runtime error:|known issue", l)]
    picked = check[:6] + other[:max(2, 8 - len(check[:6]))]
    if not picked:
        picked = lines[-8:]
    # a crash's stack (tests/check/vltest.c prints it)
    for i, l in enumerate(lines):
        if "vltest: fatal signal" in l:
            picked += lines[i + 1:i + 25]
            break
    return [l[:300] for l in picked]
totals = collections.Counter()
per_suite = collections.OrderedDict()
failures = []

for path in sys.argv[2:]:
    if not os.path.exists(path):
        continue
    if path.endswith("-valgrind.json"):
        setup = "valgrind"
    elif path.endswith("-asan.json"):
        setup = "asan"
    elif path.endswith("-deb.json"):
        setup = "deb"
    elif path.endswith("-tsan.json"):
        setup = "tsan"
    else:
        setup = "plain"
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            name = entry.get("name", "?")
            result = entry.get("result", "ERROR")
            # meson names tests "project:suite+suite / test".
            head = name.split(" / ", 1)[0] if " / " in name else ""
            suite = head.split(":", 1)[1] if ":" in head else "(no suite)"
            if result in PASSED:
                kind = "passed"
            elif result in SKIPPED:
                kind = "skipped"
            else:
                kind = "failed"
                failures.append(("%s [%s] %s" % (name, setup, result),
                                 why_failed(entry)))
            totals[kind] += 1
            per_suite.setdefault((setup, suite), collections.Counter())[kind] += 1

totals["failed"] += broken

for (setup, suite), c in per_suite.items():
    line = "  %-8s %-20s %d passed, %d failed" % (setup, suite, c["passed"],
                                                 c["failed"])
    if c["skipped"]:
        line += ", %d skipped" % c["skipped"]
    print(line)
for f, why in failures:
    print("  FAILED: " + f)
    for l in why:
        print("    | " + l)
if totals["passed"] + totals["failed"] == 0:
    print("  no test ran")

summary = "%d passed, %d failed" % (totals["passed"], totals["failed"])
if totals["skipped"]:
    summary += ", %d skipped" % totals["skipped"]
print(summary)
ran = totals["passed"] + totals["failed"] - broken
sys.exit(0 if totals["failed"] == 0 and ran > 0 else 1)
PY
