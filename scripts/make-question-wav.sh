#!/usr/bin/env bash
# How tests/files/question.wav was made (it is committed; there is no need to
# run this again, and another espeak-ng or sox version may give other bytes).
#
# espeak-ng (default voice, 22050 Hz) says the question; sox converts it to
# 16-bit mono 16000 Hz without dither, trims espeak's own leading and trailing
# near-silence, and pads 0.1 s of digital silence before and 1.5 s after, so a
# server VAD sees the end of the utterance.  About 4.6 s, under 150 KB.
#
#   usage: scripts/make-question-wav.sh [OUTPUT]   (default tests/files/question.wav)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:-tests/files/question.wav}
text="Hello agent. What is the weather like in Seattle today?"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

espeak-ng -w "$tmp/speech.wav" "$text"
# The rate effect comes before pad, so the resampler cannot smear the speech
# into the padding: the silence stays exactly zero.
sox -D "$tmp/speech.wav" -c 1 -b 16 -e signed-integer "$out" \
  silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse \
  rate 16000 pad 0.1 1.5
soxi "$out"
