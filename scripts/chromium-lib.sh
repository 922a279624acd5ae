# Shared by scripts/screenshot.sh, scripts/print-pdf.sh and scripts/page-console.sh (sourced, not run).
# Runs headless Chromium (Debian's `chromium`, installed by scripts/install-system-deps.sh; or $CHROMIUM)
# on one local page with the network off, a throwaway profile and a 60 s limit ($HEALTHGAP_CHROMIUM_TIMEOUT),
# and reports what the page wrote to its console. --virtual-time-budget (5000 ms of the page's own clock,
# $HEALTHGAP_CHROMIUM_BUDGET_MS; it runs faster than real time) lets timers and late scripts finish
# before the screenshot, the PDF or the DOM dump is taken.
#
# Console messages: with --enable-logging=stderr --v=0 Chromium logs every console.log/warn/error and
# every uncaught exception as a line
#   [pid:tid:date/time.us:INFO:CONSOLE:LINE] "MESSAGE", source: URL (LINE)
# (the level is always INFO, whatever the console method; an uncaught exception reads "Uncaught …").
# A resource that fails to load (an image from the network, a missing file) logs no such line.
# chromium_console prints those lines as `console: "MESSAGE", source: URL (LINE)`.

chromium_bin() {
  local c
  for c in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
    [ -n "$c" ] && command -v "$c" >/dev/null 2>&1 && {
      command -v "$c"
      return 0
    }
  done
  echo "chromium not found (scripts/install-system-deps.sh installs Debian's chromium)" >&2
  return 1
}

# chromium_run PAGE LOG ARGS...: Chromium on file://PAGE with ARGS; all it logs goes to LOG.
chromium_run() {
  local page=$1 log=$2 bin profile status=0
  shift 2
  [ -f "$page" ] || {
    echo "no such page: $page" >&2
    return 1
  }
  bin=$(chromium_bin) || return 1
  page=$(cd "$(dirname "$page")" && pwd -P)/$(basename "$page")
  profile=$(mktemp -d "${TMPDIR:-/tmp}/healthgap-chromium.XXXXXX")
  timeout -k 5 "${HEALTHGAP_CHROMIUM_TIMEOUT:-60}" "$bin" --headless --no-sandbox --disable-gpu \
    --user-data-dir="$profile" --no-first-run --no-default-browser-check --disable-extensions \
    --hide-scrollbars --proxy-server=127.0.0.1:9 --host-resolver-rules="MAP * ~NOTFOUND" \
    --virtual-time-budget="${HEALTHGAP_CHROMIUM_BUDGET_MS:-5000}" --enable-logging=stderr --v=0 \
    "$@" "file://$page" </dev/null 2>"$log" || status=$?
  rm -rf "$profile"
  if [ $status -ne 0 ]; then
    local why="exit $status"
    [ $status -eq 124 ] && why="timed out after ${HEALTHGAP_CHROMIUM_TIMEOUT:-60} s"
    echo "chromium failed ($why) on $page; its last lines:" >&2
    grep -vE 'dbus|bus\.cc|unexpected operator' "$log" | tail -n 10 >&2
  fi
  return $status
}

# chromium_console LOG: the page's console lines from LOG, one per message.
chromium_console() {
  sed -nE 's/^\[[^]]*:CONSOLE[(:][0-9]*\)?\] (.*)$/console: \1/p' "$1"
}
