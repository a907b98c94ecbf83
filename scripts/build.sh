#!/usr/bin/env bash
# Configure (once) and build gst-voicelive with meson.
#
#   BUILD_DIR   build directory (default: build, relative to the repo root)
#   MESON_SETUP_ARGS   extra arguments for the first `meson setup`
#
# Dependencies must come from the system (--wrap-mode=nofallback), as in CI;
# run scripts/deps.sh first on a fresh Debian 12 machine.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BUILD_DIR=${BUILD_DIR:-build}

log() { printf 'build.sh: %s\n' "$*" >&2; }

setup_args=()
if [ -n "${MESON_SETUP_ARGS:-}" ]; then
  read -r -a setup_args <<<"$MESON_SETUP_ARGS"
fi

if [ -f "$BUILD_DIR/build.ninja" ]; then
  # Already configured: `meson compile` regenerates by itself when a
  # meson.build changed.
  :
elif [ -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
  # A previous setup got half way: redo it with the options it recorded.
  log "reconfiguring $BUILD_DIR"
  meson setup --reconfigure "$BUILD_DIR" --wrap-mode=nofallback "${setup_args[@]}"
else
  log "configuring $BUILD_DIR"
  meson setup "$BUILD_DIR" --wrap-mode=nofallback "${setup_args[@]}"
fi

meson compile -C "$BUILD_DIR"
