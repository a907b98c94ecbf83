#!/usr/bin/env bash
# The meson-install test (suite 'install'): `meson install` of this build
# directory into a scratch DESTDIR must put the plugin in GStreamer's own
# plugin directory (pkg-config --variable=pluginsdir gstreamer-1.0), from
# where it loads with no GST_PLUGIN_PATH, and the emulator in bindir.
#
#   check-meson-install.sh MESON BUILD_DIR GST_PLUGINSDIR EMULATOR_PATH|''
#
# EMULATOR_PATH is the installed path of voicelive-emulator ('' when
# -Dinstall-emulator=false). --no-rebuild: `meson test` has just built
# everything, and the other tests are running from this build directory.
set -uo pipefail

meson=$1 builddir=$2 pluginsdir=$3 emulator=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

stage=$(mktemp -d) || exit 1
trap 'rm -rf "$stage"' EXIT

"$meson" install -C "$builddir" --no-rebuild --quiet --destdir "$stage" </dev/null ||
  { echo "FAIL: meson install --destdir failed"; exit 1; }
echo "installed files:"
(cd "$stage" && find . -type f | sort | sed 's/^\./  /')

rc=0
if [ ! -f "$stage$pluginsdir/libgstvoicelive.so" ]; then
  echo "FAIL: the plugin is not in GStreamer's pluginsdir ($pluginsdir)"
  echo "  (meson configure $builddir | grep prefix: the default is /usr)"
  exit 1
fi
# meson drops the build tree's RUNPATH on install; a plugin that still
# pointed into the build directory would only work while it exists.
if readelf -d "$stage$pluginsdir/libgstvoicelive.so" | grep -E 'R(UN)?PATH' | grep -qF "$builddir"; then
  echo "FAIL: the installed plugin has a RUNPATH into the build directory"
  rc=1
fi

bash "$here/inspect-plugin-dir.sh" "$stage$pluginsdir" || rc=1

if [ -n "$emulator" ]; then
  if [ ! -x "$stage$emulator" ]; then
    echo "FAIL: $emulator was not installed"
    rc=1
  elif ! "$stage$emulator" --help >"$stage/help.txt" 2>&1 ||
    ! grep -q -- '--record' "$stage/help.txt"; then
    echo "FAIL: $emulator --help:"
    cat "$stage/help.txt"
    rc=1
  else
    echo "ok: $emulator --help"
  fi
fi
exit "$rc"
