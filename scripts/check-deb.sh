#!/usr/bin/env bash
# The Debian package route, as CI tests it (called by scripts/run-tests.sh):
# installs the packaging tools when missing (scripts/deps.sh --packaging),
# builds the packages (scripts/build-deb.sh, with DEB_BUILD_OPTIONS=nocheck:
# the test suite runs from the checkout), and checks them without installing
# anything system-wide:
#
#   build          scripts/build-deb.sh produced both packages
#   lintian        lintian reports no error
#   contents       the plugin is in GStreamer's pluginsdir, the emulator in
#                  /usr/bin; Depends has glib-networking and the libraries
#   gst-inspect    both elements load from the unpacked plugin directory
#                  alone (GST_PLUGIN_SYSTEM_PATH_1_0, no GST_PLUGIN_PATH)
#   emulator       the unpacked voicelive-emulator: --help, and it starts on
#                  port 0, prints its address and stops on SIGTERM
#
# Each check is one line of meson's JSON test log format in LOG (default
# $BUILD_DIR/meson-logs/testlog-deb.json), so run-tests.sh counts them with
# the meson tests. Exits 1 when a check failed.
#
#   bash scripts/check-deb.sh [LOG]
#
#   DEB_OUT_DIR   where the packages go (default: build-deb)
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
BUILD_DIR=${BUILD_DIR:-build}
out=${DEB_OUT_DIR:-build-deb}
testlog=${1:-$BUILD_DIR/meson-logs/testlog-deb.json}
PYTHON=/usr/bin/python3

log() { printf 'check-deb.sh: %s\n' "$*" >&2; }

mkdir -p "$(dirname "$testlog")" || exit 2
: >"$testlog" || exit 2
work=$(mktemp -d) || exit 2
emulator_pid=
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

failed=0
# run_check NAME FUNCTION: runs FUNCTION, shows its output, and appends its
# result to the log as meson does ("project:suite / name").
run_check() {
  local name=$1 fn=$2 start end rc result
  log "check $name"
  start=$(date +%s.%N)
  "$fn" >"$work/$name.out" 2>&1
  rc=$?
  end=$(date +%s.%N)
  sed 's/^/  /' "$work/$name.out" >&2
  if [ "$rc" -eq 0 ]; then result=OK; else result=FAIL; failed=1; fi
  log "$name: $result"
  "$PYTHON" - "$testlog" "$name" "$result" "$rc" "$start" "$end" "$work/$name.out" <<'PY'
import json, sys
path, name, result, rc, start, end, outfile = sys.argv[1:]
with open(outfile, encoding="utf-8", errors="replace") as f:
    output = f.read()
entry = {"name": "gst-voicelive:packaging / " + name, "result": result,
         "returncode": int(rc), "duration": float(end) - float(start),
         "stdout": output[-20000:]}
with open(path, "a", encoding="utf-8") as f:
    f.write(json.dumps(entry) + "\n")
PY
}

pluginsdir=$(pkg-config --variable=pluginsdir gstreamer-1.0)
plugin_deb= tools_deb= changes=

check_build() {
  bash scripts/deps.sh --packaging </dev/null || { echo "installing the packaging tools failed"; return 1; }
  DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}" bash scripts/build-deb.sh "$out" </dev/null >"$work/build.log" 2>&1 || {
    tail -n 60 "$work/build.log"
    echo "scripts/build-deb.sh failed (the last 60 lines of its output are above)"
    return 1
  }
  tail -n 8 "$work/build.log"
}

find_packages() {
  plugin_deb=$(ls "$out"/gstreamer1.0-voicelive_*.deb 2>/dev/null | head -n 1)
  tools_deb=$(ls "$out"/gst-voicelive-tools_*.deb 2>/dev/null | head -n 1)
  changes=$(ls "$out"/gst-voicelive_*.changes 2>/dev/null | head -n 1)
  [ -n "$plugin_deb" ] && [ -n "$tools_deb" ] && [ -n "$changes" ]
}

check_lintian() {
  find_packages || { echo "not run: no packages"; return 1; }
  # Errors fail; warnings are printed.
  lintian --fail-on error --tag-display-limit 0 "$changes"
}

check_contents() {
  local rc=0 deps
  find_packages || { echo "not run: no packages"; return 1; }
  rm -rf "$work/root"
  mkdir -p "$work/root"
  dpkg-deb -x "$plugin_deb" "$work/root" && dpkg-deb -x "$tools_deb" "$work/root" || return 1
  (cd "$work/root" && find . -type f | sort)
  [ -f "$work/root$pluginsdir/libgstvoicelive.so" ] ||
    { echo "FAIL: no libgstvoicelive.so in $pluginsdir"; rc=1; }
  [ -x "$work/root/usr/bin/voicelive-emulator" ] ||
    { echo "FAIL: no /usr/bin/voicelive-emulator"; rc=1; }
  deps=$(dpkg-deb -f "$plugin_deb" Depends)
  echo "gstreamer1.0-voicelive Depends: $deps"
  for dep in glib-networking libgstreamer1.0-0 libsoup-3.0-0 libjson-glib-1.0-0; do
    grep -Eq "(^|, )$dep( |,|$)" <<<"$deps" || { echo "FAIL: $dep not in Depends"; rc=1; }
  done
  deps=$(dpkg-deb -f "$tools_deb" Depends)
  echo "gst-voicelive-tools Depends: $deps"
  for dep in libsoup-3.0-0 libjson-glib-1.0-0; do
    grep -Eq "(^|, )$dep( |,|$)" <<<"$deps" || { echo "FAIL: $dep not in Depends"; rc=1; }
  done
  return "$rc"
}

check_gst_inspect() {
  [ -f "$work/root$pluginsdir/libgstvoicelive.so" ] || { echo "not run: nothing unpacked"; return 1; }
  bash tests/install/inspect-plugin-dir.sh "$work/root$pluginsdir"
}

check_emulator() {
  local emu="$work/root/usr/bin/voicelive-emulator" url rc
  [ -x "$emu" ] || { echo "not run: nothing unpacked"; return 1; }
  "$emu" --help >"$work/help.txt" || { echo "FAIL: --help exited with $?"; return 1; }
  grep -q -- '--record=FILE' "$work/help.txt" || { echo "FAIL: --help:"; cat "$work/help.txt"; return 1; }
  echo "ok: voicelive-emulator --help"
  # Its first line of stdout is its address, read through a FIFO with a
  # bound; then SIGTERM must stop it with status 0.
  mkfifo "$work/emu.out"
  "$emu" --port 0 >"$work/emu.out" 2>"$work/emu.err" &
  emulator_pid=$!
  exec 3<"$work/emu.out"
  read -r -t 10 url <&3
  exec 3<&-
  kill -TERM "$emulator_pid"
  wait "$emulator_pid"
  rc=$?
  emulator_pid=
  cat "$work/emu.err"
  [[ "$url" =~ ^ws://127\.0\.0\.1:[0-9]+$ ]] || { echo "FAIL: first line of stdout: '$url'"; return 1; }
  echo "ok: voicelive-emulator --port 0 printed $url"
  [ "$rc" -eq 0 ] || { echo "FAIL: exit status $rc after SIGTERM"; return 1; }
  echo "ok: stopped by SIGTERM with status 0"
}

run_check build check_build
run_check lintian check_lintian
run_check contents check_contents
run_check gst-inspect check_gst_inspect
run_check emulator check_emulator
exit "$failed"
