#!/usr/bin/env bash
# scripts/screenshot.sh PAGE.html OUT.png [WIDTH,HEIGHT]
# A PNG of a local page as headless Chromium draws it (default window 1280,2000), with the network off.
# What the page wrote to its console (including uncaught exceptions) is printed on stderr as
# `console: …` lines; exit 0 when the PNG was written, whatever the console said.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/chromium-lib.sh
. "$here/chromium-lib.sh"

[ $# -ge 2 ] || {
  echo "usage: $0 PAGE.html OUT.png [WIDTH,HEIGHT]" >&2
  exit 2
}
page=$1
out=$(cd "$(dirname "$2")" && pwd -P)/$(basename "$2")
size=${3:-1280,2000}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rm -f "$out"
chromium_run "$page" "$log" --screenshot="$out" --window-size="$size"
chromium_console "$log" >&2
[ -s "$out" ] || {
  echo "screenshot: no PNG written to $out" >&2
  exit 1
}
