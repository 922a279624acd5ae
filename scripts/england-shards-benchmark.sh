#!/usr/bin/env bash
# The England benchmark plan split into shards (issue 13): wall time of the unsharded run with 2
# threads, of 8 shards run two at a time plus the merge on this machine, and of the same as a Slurm
# array and merge job on the cluster of scripts/slurm-cluster.sh (when SLURM_CONF names a running one).
#   scripts/england-shards-benchmark.sh [BIN] [PLAN] [SHARDS]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-.build/release/healthgap}")
plan=${2:-Data/plans/england-benchmark.yaml}
shards=${3:-8}
out=demo/shards-benchmark
rm -rf "$out" && mkdir -p "$out"
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.2f", b - a}'; }

t0=$(now)
"$bin" run "$plan" --output "$out/single" --threads 2 --force --quiet
echo "unsharded, --threads 2: $(since "$t0") s"

t0=$(now)
seq 1 "$shards" | xargs -P 2 -I K "$bin" run "$plan" --shard "K/$shards" --output "$out/local-shards" --threads 1 --quiet
t1=$(now)
"$bin" merge "$out/local-shards" --output "$out/local" --quiet
echo "$shards shards two at a time + merge, here: $(since "$t0") s (merge $(since "$t1") s)"

if [ -n "${SLURM_CONF:-}" ] && sinfo -h >/dev/null 2>&1; then
  t0=$(now)
  ids=$("$bin" slurm "$plan" --shards "$shards" --output "$out/cluster" --submit | grep '^array job')
  merge=$(awk '{print $8}' <<<"$ids")
  until [ -e "$out/cluster/manifest.json" ]; do
    state=$(scontrol -o show job "$merge" 2>/dev/null | grep -o 'JobState=[A-Z]*' || true)
    case $state in *CANCELLED* | *FAILED*) echo "merge job $merge: $state"; exit 1 ;; esac
    sleep 0.2
  done
  echo "$shards-task Slurm array + merge job: $(since "$t0") s (submit to publish)"
else
  echo "no Slurm cluster (eval \"\$(scripts/slurm-cluster.sh start)\" first): cluster figure skipped"
fi
for d in local cluster; do
  [ -e "$out/$d/results.csv" ] || continue
  if cmp -s "$out/single/results.csv" "$out/$d/results.csv"; then echo "$d: results.csv identical"; else echo "$d: results.csv DIFFERS"; fi
done
