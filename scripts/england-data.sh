#!/usr/bin/env bash
# The England 10-year synthetic counts (32,844 LSOAs × 10 years × 2 sexes × 20 bands ≈ 13 million
# rows) for Data/plans/england-benchmark.yaml, into the git-ignored demo/ (skipped if present).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/release/healthgap}"
mkdir -p demo
if [ -s demo/england-counts.csv ]; then
  echo "demo/england-counts.csv is there already (delete it to regenerate)"
  exit 0
fi
"$bin" synth --areas england --years 2013-2022 --seed 1 --output demo/england-counts.csv --truth demo/england-truth.csv
ls -l demo/england-counts.csv
