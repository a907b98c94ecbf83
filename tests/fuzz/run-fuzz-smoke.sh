#!/usr/bin/env bash
# Run the libFuzzer target for a fixed time from a scratch copy of the seed
# corpus, so that the inputs it finds do not land in the source tree.
#
#   usage: run-fuzz-smoke.sh FUZZER CORPUS_DIR SECONDS
#
# Crash reproducers go to fuzz-artifacts/ next to FUZZER. Exits with the
# fuzzer's status: 0 when it found nothing in the time given.
set -euo pipefail

fuzzer=$1
corpus=$2
seconds=$3

# Defaults for a run by hand; scripts/sanitize.sh sets the same.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_odr_violation=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$here/ubsan.supp}
# The fast unwinder whatever the caller set: scripts/sanitize.sh asks for
# the slow one (for leak stacks through GLib), which costs the fuzzer 90% of
# its speed. The fuzz target's code has frame pointers.
export ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=1"

work=$(mktemp -d "${TMPDIR:-/tmp}/voicelive-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R "$corpus/." "$work/"

artifacts="$(dirname "$fuzzer")/fuzz-artifacts"
mkdir -p "$artifacts"

echo "fuzzing for ${seconds}s from $(find "$work" -type f | wc -l) seed inputs"
# -timeout: one input taking over 10 s is a hang. -max_len: room for the
# large seeds (deep nesting, long base64) and more.
# -error_exitcode=1: libFuzzer's default, 77, means "skipped" to meson.
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
  -error_exitcode=1 -timeout_exitcode=1 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/" \
  "$work"
