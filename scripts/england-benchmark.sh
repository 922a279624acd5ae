#!/usr/bin/env bash
# Runs the England benchmark plan with 1 and 2 threads (--force: every time from scratch) and
# reports wall time and peak memory (GNU time) beside the runner's time per stage.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/release/healthgap}"
for threads in 1 2; do
  echo "== --threads $threads"
  /usr/bin/time -f "wall %e s, max RSS %M KB" "$bin" run Data/plans/england-benchmark.yaml \
    --output demo/england-output --threads "$threads" --force 2>&1 | grep -E "time:|wall|done:"
done
