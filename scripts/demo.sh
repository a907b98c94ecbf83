#!/usr/bin/env bash
# The demo: install what is missing, build, then send the spoken question in
# tests/files/question.wav to a voice agent and write its spoken answer to a
# WAV file, printing the conversation as it happens.
#
# Without AZURE_VOICE_LIVE_ENDPOINT it talks to the local emulator
# (tests/emulator, a test double, not the service).  Its answer is canned: a
# fixed sentence, spoken by espeak-ng (voicelive-emulator --speak) when the
# emulator was built with libespeak-ng, else a synthetic tone.  With
# AZURE_VOICE_LIVE_ENDPOINT, it talks to the real service; the key must then
# be in AZURE_VOICE_LIVE_API_KEY (the plugin reads it from the environment;
# this script never prints it).
#
#   usage: scripts/demo.sh [OUTPUT.wav]      (default: answer.wav)
#   BUILD_DIR   build directory (default: build)
set -uo pipefail

output=${1:-answer.wav}
case "$output" in
  /*) ;;
  *) output="$(pwd)/$output" ;; # relative to where the demo was started
esac
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
repo=$(pwd)
BUILD_DIR=${BUILD_DIR:-build}
export BUILD_DIR
input="$repo/tests/files/question.wav"

log() { printf 'demo.sh: %s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

bash scripts/deps.sh </dev/null || die "installing dependencies failed (scripts/deps.sh)"
bash scripts/build.sh </dev/null || die "the build failed (scripts/build.sh)"

demo_bin="$BUILD_DIR/examples/c/voicelive-demo"
emulator_bin="$BUILD_DIR/tests/emulator/voicelive-emulator"
[ -x "$demo_bin" ] || die "$demo_bin was not built (is the 'examples' option disabled?)"
[ -f "$input" ] || die "$input is missing"

# Use the plugin from the build tree, with a registry of its own.
case "$BUILD_DIR" in
  /*) build_abs=$BUILD_DIR ;;
  *) build_abs="$repo/$BUILD_DIR" ;;
esac
export GST_PLUGIN_PATH_1_0="$build_abs/gst/voicelive${GST_PLUGIN_PATH_1_0:+:$GST_PLUGIN_PATH_1_0}${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
export GST_REGISTRY_1_0="$build_abs/demo.registry"

tmp=$(mktemp -d)
emulator_pid=
spoken=
cleanup() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null
    wait "$emulator_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 143' TERM

args=(--input "$input" --output "$output")
if [ -n "${AZURE_VOICE_LIVE_ENDPOINT:-}" ]; then
  log "using the service at AZURE_VOICE_LIVE_ENDPOINT"
  if [ -z "${AZURE_VOICE_LIVE_API_KEY:-}" ]; then
    log "WARNING: AZURE_VOICE_LIVE_API_KEY is not set; the service will" \
      "most likely reject the connection.  Put the key in that variable."
  fi
  # The elements read the endpoint and the key from the environment.
else
  [ -x "$emulator_bin" ] || die "$emulator_bin was not built"
  log "AZURE_VOICE_LIVE_ENDPOINT is not set: using the local emulator" \
    "(a test double, not the service)"
  emulator_args=(--api-key demo-key --reply-ms 2500)
  # --features lists "speak" when the emulator can speak its reply text
  # (built with libespeak-ng); otherwise its answer is a synthetic tone.
  if "$emulator_bin" --features 2>/dev/null </dev/null | grep -qx speak; then
    emulator_args+=(--speak)
    spoken=1
  else
    log "the emulator was built without espeak-ng, so its answer is a" \
      "tone; install libespeak-ng-dev and run" \
      "'meson setup --reconfigure $BUILD_DIR' for a spoken answer"
  fi
  "$emulator_bin" "${emulator_args[@]}" \
    >"$tmp/emulator.out" 2>"$tmp/emulator.err" </dev/null &
  emulator_pid=$!
  url=
  for _ in $(seq 100); do # up to 10 s
    url=$(head -n 1 "$tmp/emulator.out" 2>/dev/null | grep -o 'ws://127\.0\.0\.1:[0-9]\+' || true)
    [ -n "$url" ] && break
    kill -0 "$emulator_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$url" ]; then
    cat "$tmp/emulator.err" >&2
    die "the emulator did not print its ws://127.0.0.1:PORT address within 10 s"
  fi
  log "emulator listening at $url"
  args+=(--endpoint "$url" --api-key demo-key)
fi

# --foreground: Ctrl+C reaches the demo, which then ends the stream cleanly.
timeout --foreground 120 "$demo_bin" "${args[@]}" </dev/null
rc=$?
if [ "$rc" -eq 124 ]; then
  die "the demo did not finish within 120 s"
elif [ "$rc" -ne 0 ]; then
  die "the demo failed (exit status $rc)"
fi

duration=$(/usr/bin/python3 - "$output" <<'PY' 2>/dev/null || soxi -D "$output" 2>/dev/null || echo "?"
import sys
import wave
with wave.open(sys.argv[1]) as w:
    print("%.2f" % (w.getnframes() / float(w.getframerate())))
PY
)
if [ -n "${AZURE_VOICE_LIVE_ENDPOINT:-}" ]; then
  log "the answer is in $output (${duration} s)"
elif [ -n "$spoken" ]; then
  log "the answer is in $output (${duration} s): the emulator's canned" \
    "answer, its reply text spoken by espeak-ng (a test double, not the service)"
else
  log "the answer is in $output (${duration} s): the emulator's canned" \
    "answer, a synthetic tone (a test double, not the service)"
fi
