#!/usr/bin/env bash
# Build the Debian packages of gst-voicelive from this checkout:
#
#   gstreamer1.0-voicelive   the plugin (voicelivesink, voicelivesrc, voicelivetextsrc)
#   gst-voicelive-tools      voicelive-emulator, the local test server
#
#   bash scripts/build-deb.sh [OUT_DIR]      (default OUT_DIR: build-deb)
#
# The packaging files live in packaging/debian/. The build runs in a scratch
# copy of the tree (the files git tracks plus untracked ones it does not
# ignore, so local changes are packaged but build directories are not), with
# packaging/debian/ copied to debian/ there; the checkout is left as it is.
# OUT_DIR receives the .deb files, the .changes and the .buildinfo.
#
#   DEB_BUILD_OPTIONS   as for dpkg-buildpackage; with "nocheck" the unit
#                       tests are neither built nor run (and the nocheck
#                       build profile drops their build dependencies)
#
# Needs the build dependencies of packaging/debian/control and
# dpkg-dev, debhelper (scripts/deps.sh --packaging installs them all).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
top=$PWD
out=${1:-build-deb}

log() { printf 'build-deb.sh: %s\n' "$*" >&2; }

# The changelog's version is the package's: it must follow meson.build's.
version=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" meson.build | head -n 1)
deb_version=$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)
if [ "$deb_version" != "$version" ]; then
  log "packaging/debian/changelog is at $deb_version but meson.build at $version:"
  log "add a changelog entry for $version"
  exit 1
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
src="$scratch/gst-voicelive-$version"
mkdir -p "$src"

if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Deleted but still tracked files are listed too: skip what is missing.
  git -C "$top" ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do
      [ -e "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"
    done | tar -C "$top" --null -T - -cf - | tar -C "$src" -xf -
else
  tar -C "$top" --exclude='./build' --exclude='./build-*' --exclude='./.git' \
    --exclude='./debian' -cf - . | tar -C "$src" -xf -
fi
rm -rf "$src/debian"
cp -a packaging/debian "$src/debian"

build_args=(-b -us -uc -Jauto)
case " ${DEB_BUILD_OPTIONS:-} " in
  *" nocheck "*) build_args+=(-Pnocheck) ;;
esac

log "dpkg-buildpackage ${build_args[*]} in $src (DEB_BUILD_OPTIONS='${DEB_BUILD_OPTIONS:-}')"
(cd "$src" && dpkg-buildpackage "${build_args[@]}") </dev/null

mkdir -p "$out"
rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
mv "$scratch"/*.deb "$scratch"/*.changes "$scratch"/*.buildinfo "$out"/
log "built in $out:"
(cd "$out" && ls -1 ./*.deb ./*.changes) | sed 's|^\./|  |' >&2
