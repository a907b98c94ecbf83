#!/usr/bin/env bash
# Install the Debian 12 packages gst-voicelive needs to build, test and run
# its demo.  Packages that are already installed are not touched; when all of
# them are there this script does nothing (and does not touch the network), so
# it is cheap to run before every build.
#
#   bash scripts/deps.sh               build, tests, demo
#   bash scripts/deps.sh --packaging   also what scripts/build-deb.sh and
#                                      scripts/check-deb.sh need (debhelper,
#                                      lintian, ...)
#
# Runs as root (CI, containers) or through sudo.  Needs no standard input.
set -euo pipefail

# gstreamer1.0-x: textoverlay (the pango plugin), for the voicelivetextsrc
# tests and the captions recipes. gstreamer1.0-plugins-bad also brings what
# the avatar needs: openh264enc, voaacenc and rawaudioparse for the
# emulator's test avatar (run through gst-launch-1.0), openh264dec and faad
# to decode it (voiceliveavatarsrc tests, the kiosk recipe); mp4mux and
# qtdemux are in gstreamer1.0-plugins-good. gstreamer1.0-rtsp: rtspclientsink,
# for the avatar-to-RTSP recipe and its docs test (avatar-rtsp).
PACKAGES=(
  build-essential pkg-config meson ninja-build
  libglib2.0-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-tools
  gstreamer1.0-plugins-bad
  gstreamer1.0-x gstreamer1.0-rtsp
  libsoup-3.0-dev libjson-glib-dev glib-networking
  indent valgrind
  python3 python3-gi python3-gst-1.0
  # The avatar's WebRTC mode: webrtcbin (gstreamer1.0-plugins-bad) needs
  # nicesrc/nicesink (gstreamer1.0-nice); the plugin and the emulator link
  # gstwebrtc (libgstreamer-plugins-bad1.0-dev); opusenc/opusdec are in
  # gstreamer1.0-plugins-base.
  gstreamer1.0-nice libgstreamer-plugins-bad1.0-dev
  gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0 gir1.2-gst-rtsp-server-1.0
  espeak-ng libespeak-ng-dev sox git ca-certificates
)

# Building the .deb and checking it (scripts/build-deb.sh, check-deb.sh).
PACKAGING=(debhelper dpkg-dev fakeroot lintian help2man)

case "${1:-}" in
  "") ;;
  --packaging) PACKAGES+=("${PACKAGING[@]}") ;;
  *)
    printf 'usage: %s [--packaging]\n' "$0" >&2
    exit 2
    ;;
esac

log() { printf 'deps.sh: %s\n' "$*" >&2; }

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  log "this script expects a Debian 12 system (dpkg-query and apt-get not found)."
  log "install the equivalent of: ${PACKAGES[*]}"
  exit 1
fi

# A package counts as installed when dpkg reports it as "install ok installed"
# (for any architecture).
is_installed() {
  dpkg-query -W -f='${db:Status-Abbrev}\n' "$1" 2>/dev/null | grep -q '^ii'
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done

if [ "${#missing[@]}" -eq 0 ]; then
  log "all ${#PACKAGES[@]} required packages are installed."
  exit 0
fi

log "missing packages: ${missing[*]}"

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    log "not running as root and sudo is not available without a password."
    log "run as root:  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update </dev/null
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}" </dev/null

still_missing=()
for pkg in "${missing[@]}"; do
  is_installed "$pkg" || still_missing+=("$pkg")
done
if [ "${#still_missing[@]}" -ne 0 ]; then
  log "could not install: ${still_missing[*]}"
  exit 1
fi
log "installed: ${missing[*]}"
