#!/usr/bin/env bash
# scripts/page-console.sh PAGE.html
# Loads a local page in headless Chromium (network off, scripts run) and prints on stdout what it wrote
# to its console, one `console: "MESSAGE", source: URL (LINE)` line per message, uncaught exceptions
# included ("Uncaught …"). Nothing printed means a quiet page. Exit 1 only when Chromium fails.
# Also: --dump-dom prints the DOM after the scripts ran, for a test that checks what they built.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/chromium-lib.sh
. "$here/chromium-lib.sh"

[ $# -eq 1 ] || {
  echo "usage: $0 PAGE.html" >&2
  exit 2
}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
chromium_run "$1" "$log" --dump-dom >/dev/null
chromium_console "$log"
