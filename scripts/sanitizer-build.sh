# Sourced by scripts/sanitize.sh and scripts/tsan.sh (not run by itself):
# configures and builds a sanitizer build directory. The caller defines
# log() and runs from the repository root.

# sanitizer_build DIR CC SETUP_ARGS...: configures DIR with compiler CC and
# the meson setup arguments (or reconfigures a directory whose setup did
# not finish), then builds it. Returns 2 (logged) if either fails.
sanitizer_build() {
  local dir=$1 cc=$2
  shift 2
  if [ -f "$dir/build.ninja" ]; then
    : # configured; meson compile regenerates when a meson.build changed
  elif [ -f "$dir/meson-private/coredata.dat" ]; then
    log "reconfiguring $dir"
    CC=$cc meson setup --reconfigure "$dir" "$@" </dev/null ||
      { log "meson setup failed"; return 2; }
  else
    log "configuring $dir"
    CC=$cc meson setup "$dir" "$@" </dev/null ||
      { log "meson setup failed"; return 2; }
  fi
  meson compile -C "$dir" </dev/null || { log "the build failed"; return 2; }
}
