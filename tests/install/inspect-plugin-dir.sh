#!/usr/bin/env bash
# Checks that GStreamer loads the voicelive plugin from one directory, as it
# would from its system plugin directory: only that directory is scanned
# (GST_PLUGIN_SYSTEM_PATH_1_0), GST_PLUGIN_PATH is unset and the registry is
# fresh. Used by the meson-install test and by scripts/check-deb.sh.
#
#   inspect-plugin-dir.sh PLUGIN_DIR
#
# Exits 0 when `gst-inspect-1.0 voicelive` lists voicelivesink,
# voicelivesrc and voicelivetextsrc from PLUGIN_DIR/libgstvoicelive.so and
# each element can be inspected; prints what went wrong otherwise.
set -uo pipefail

dir=${1:?usage: inspect-plugin-dir.sh PLUGIN_DIR}
plugin="$dir/libgstvoicelive.so"
[ -f "$plugin" ] || { echo "FAIL: $plugin does not exist"; exit 1; }

registry=$(mktemp -d) || exit 1
trap 'rm -rf "$registry"' EXIT

inspect() {
  env -u GST_PLUGIN_PATH -u GST_PLUGIN_PATH_1_0 -u GST_PLUGIN_SYSTEM_PATH \
    GST_PLUGIN_SYSTEM_PATH_1_0="$dir" GST_REGISTRY="$registry/registry.bin" \
    GST_REGISTRY_UPDATE=yes gst-inspect-1.0 "$@" </dev/null
}

rc=0
out=$(inspect voicelive 2>&1) || {
  echo "FAIL: gst-inspect-1.0 voicelive (GST_PLUGIN_SYSTEM_PATH_1_0=$dir):"
  echo "$out"
  exit 1
}
# The plugin must come from DIR, not from anywhere else.
grep -Eq "^ +Filename +$plugin\$" <<<"$out" || {
  echo "FAIL: gst-inspect-1.0 voicelive did not load $plugin:"
  echo "$out"
  rc=1
}
for element in voicelivesink voicelivesrc voicelivetextsrc; do
  grep -Eq "^ +$element: " <<<"$out" || {
    echo "FAIL: gst-inspect-1.0 voicelive does not list $element:"
    echo "$out"
    rc=1
  }
  eout=$(inspect "$element" 2>&1) || {
    echo "FAIL: gst-inspect-1.0 $element:"
    echo "$eout"
    rc=1
  }
done
# A plugin that failed to load is blacklisted rather than reported.
blacklist=$(inspect -b 2>&1)
if grep -q libgstvoicelive <<<"$blacklist"; then
  echo "FAIL: $plugin is blacklisted:"
  echo "$blacklist"
  rc=1
fi
[ "$rc" -eq 0 ] && echo "ok: voicelivesink, voicelivesrc and voicelivetextsrc load from $plugin"
exit "$rc"
