#!/usr/bin/env bash
# The results history's performance (issue 11): a night of England-sized records (about 1.5 million)
# into an empty SQLite store, then a store of 30 nightly runs and `history show` on it.
# Release build of Benchmarks/HistoryStore; the stores go in ${HISTORY_BENCH_DIR:-/tmp/healthgap-history-bench}
# (about 10 GB for 30 runs; kept, so a second call only times `show`; delete the folder to rebuild).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${HISTORY_BENCH_DIR:-/tmp/healthgap-history-bench}
mkdir -p "$dir"
(cd Benchmarks && swift build -c release --product HistoryStore >&2)
bin=Benchmarks/.build/release/HistoryStore

echo "== one night into an empty store"
rm -f "$dir/one.sqlite" "$dir/one.sqlite-wal" "$dir/one.sqlite-shm"
"$bin" insert "$dir/one.sqlite" 1
ls -l "$dir/one.sqlite" | awk '{printf "store size: %.0f MB\n", $5 / 1e6}'

echo "== 30 nightly runs"
have=0
if [ -f "$dir/thirty.sqlite" ]; then have=$(sqlite3 "$dir/thirty.sqlite" 'SELECT count(*) FROM runs' 2>/dev/null || echo 0); fi
if [ "$have" -lt 30 ]; then "$bin" insert "$dir/thirty.sqlite" $((30 - have)); fi
ls -l "$dir/thirty.sqlite" | awk '{printf "store size: %.0f MB\n", $5 / 1e6}'
"$bin" show "$dir/thirty.sqlite"

# The command itself, end to end (process start included), when a release healthgap is built.
if [ -x .build/release/healthgap ]; then
  for i in 1 2 3 4 5; do
    /usr/bin/time -f "healthgap history show: %e s wall" .build/release/healthgap history show \
      --indicator le_birth --area E06000038 --sex Male --store "$dir/thirty.sqlite" > /dev/null
  done
fi
