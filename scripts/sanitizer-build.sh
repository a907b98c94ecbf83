# Sourced by scripts/sanitize.sh and scripts/tsan.sh (not run by itself):
# goes to the repository root, and gives them log(), sanitizer_need and
# sanitizer_build (configures and builds a sanitizer build directory).

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2

# A line on stderr, named after the script that runs
log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

# sanitizer_need COMPILER: exits with 2 (logged) if it is not installed.
sanitizer_need() {
  command -v "$1" >/dev/null 2>&1 || { log "$1 not found"; exit 2; }
}

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
