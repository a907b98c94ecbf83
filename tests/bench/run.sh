#!/bin/bash
# gst-voicelive benchmarks (not part of `meson test`).
#   bash tests/bench/run.sh [--quick] [--only cpu,latency,sessions] [--out FILE]
# Needs: a build with tests/bench (BUILD_DIR, default build), gst-launch-1.0,
# python3-websockets (Debian), node + npm (the SDK is installed by `npm ci`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export BUILD_DIR=${BUILD_DIR:-$root/build}
[ -x "$BUILD_DIR/tests/bench/vl-bench" ] && [ -x "$BUILD_DIR/tests/bench/vl-loadgen" ] || ninja -C "$BUILD_DIR"
if [ ! -d "$here/js/node_modules/@azure/ai-voicelive" ]; then
  (cd "$here/js" && npm ci --no-audit --no-fund >&2)
fi
exec /usr/bin/python3 "$here/bench.py" "$@"
