#!/usr/bin/env bash
# The demo: runs life expectancy, a directly standardised rate and an SII on the small
# example CSVs in Data/examples/ and prints the results.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/release/healthgap}"
ex=Data/examples

echo "== Life expectancy at birth and at 65, by area and sex ($ex/le_example.csv)"
"$bin" le --input "$ex/le_example.csv" --by area,sex --start-age age_band --deaths deaths --population population --le-age 0,65
echo
echo "== Directly standardised mortality rate per 100,000, ESP2013 ($ex/dsr_example.csv)"
"$bin" dsr --input "$ex/dsr_example.csv" --by area --age-band ageband --count count --population pop
echo
echo "== Slope and relative index of inequality in life expectancy across deciles ($ex/sii_example.csv)"
"$bin" sii --input "$ex/sii_example.csv" --by area,sex --quantile decile --population population \
  --value life_expectancy --se se --value-type 0 --rii --seed 1
