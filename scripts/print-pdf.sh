#!/usr/bin/env bash
# scripts/print-pdf.sh PAGE.html OUT.pdf
# A PDF of a local page printed by headless Chromium (the page's print styles, no header or footer),
# with the network off. The page's console messages are printed on stderr as `console: …` lines.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/chromium-lib.sh
. "$here/chromium-lib.sh"

[ $# -eq 2 ] || {
  echo "usage: $0 PAGE.html OUT.pdf" >&2
  exit 2
}
page=$1
out=$(cd "$(dirname "$2")" && pwd -P)/$(basename "$2")
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rm -f "$out"
chromium_run "$page" "$log" --print-to-pdf="$out" --no-pdf-header-footer
chromium_console "$log" >&2
[ "$(head -c 5 "$out" 2>/dev/null)" = "%PDF-" ] || {
  echo "print-pdf: no PDF written to $out" >&2
  exit 1
}
