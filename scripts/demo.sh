#!/usr/bin/env bash
# The demo: the small examples in Data/examples/ (one method each), then the real thing:
# synthetic counts for the 1,562 LSOAs of Cheshire and Merseyside (healthgap synth: deterministic,
# with a known deprivation gradient) and the plan Data/plans/cheshire-and-merseyside.yaml run on
# them: life expectancy, healthy life expectancy, under-75 and all-age mortality by deprivation decile for
# each Place and the ICB, with SII/RII, gaps and Core20, and each Place's gap in life expectancy by age and
# cause of death (most against least deprived fifth), published into demo/output.
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
echo

start=$(date +%s.%N)
mkdir -p demo
places=E06000049,E06000050,E06000006,E08000011,E08000012,E08000014,E08000013,E06000007,E08000015
counts=demo/cheshire-and-merseyside-counts.csv
# (Made again when an older demo/ holds counts without the healthy and surveyed columns, or the causes.)
if [ ! -s "$counts" ] || ! head -n 1 "$counts" | grep -q ',healthy,surveyed,circulatory,cancer,respiratory,digestive,external'; then
  echo "== Synthetic counts for Cheshire and Merseyside, 2013-2022 (healthgap synth) -> $counts"
  "$bin" synth --areas "$places" --years 2013-2022 --seed 1 --output "$counts" \
    --truth demo/cheshire-and-merseyside-truth.csv
fi
echo "== The Cheshire and Merseyside plan (Data/plans/cheshire-and-merseyside.yaml) -> demo/output"
"$bin" run Data/plans/cheshire-and-merseyside.yaml --output demo/output
end=$(date +%s.%N)
echo
echo "== Liverpool, life expectancy at birth by local decile, 2020-2022 (demo/output/tables/place_liverpool_by-local-decile.csv)"
awk -F, 'BEGIN { printf "%-7s %-8s %-15s %8s %18s\n", "sex", "decile", "measure", "value", "95% limits" }
  $1 == "le_birth" && $5 == "2020-2022" {
    printf "%-7s %-8s %-15s %8.2f %8.2f - %-8.2f\n", $3, $6, $7, $8, $9, $10 }' \
  demo/output/tables/place_liverpool_by-local-decile.csv
echo
echo "== Liverpool, healthy life expectancy at birth by local decile, females, 2020-2022 (same table)"
awk -F, 'BEGIN { printf "%-8s %8s %8s %18s %8s\n", "decile", "LE", "HLE", "HLE 95% limits", "poorer" }
  $1 == "hle_birth" && $3 == "Female" && $5 == "2020-2022" && $7 == "value" { order[++n] = $6; hle[$6] = $8; lo[$6] = $9; hi[$6] = $10 }
  $1 == "hle_birth" && $3 == "Female" && $5 == "2020-2022" && $7 == "le" { le[$6] = $8 }
  $1 == "hle_birth" && $3 == "Female" && $5 == "2020-2022" && $7 == "years_in_poorer_health" { poor[$6] = $8 }
  $1 == "hle_birth" && $3 == "Female" && $5 == "2020-2022" && $7 == "sii" { sii = $8 }
  END { for (i = 1; i <= n; i++) { q = order[i]
          printf "%-8s %8.2f %8.2f %8.2f - %-8.2f %8.2f\n", q, le[q], hle[q], lo[q], hi[q], poor[q] }
        printf "SII (years of healthy life, most vs least deprived): %.2f\n", sii }' \
  demo/output/tables/place_liverpool_by-local-decile.csv
echo
echo "== Liverpool, what makes up the gap in life expectancy between its most and least deprived fifths, 2020-2022 (same folder, place_liverpool_by-local-quintile.csv)"
# (A table a gap decomposition writes into has a cause column after age.)
awk -F, 'BEGIN { printf "%-7s %-12s %8s %8s\n", "sex", "cause", "years", "share" }
  $1 == "le_gap_birth" && $6 == "2020-2022" && $4 == "all" && $8 == "gap_contribution" { n++; sex[n] = $3; cause[n] = $5; years[n] = $9
    if ($5 == "all") gap[$3] = $9 }
  END { for (i = 1; i <= n; i++) printf "%-7s %-12s %8.2f %7.0f%%\n", sex[i], cause[i], years[i], 100 * years[i] / gap[sex[i]] }' \
  demo/output/tables/place_liverpool_by-local-quintile.csv
echo
echo "The tables are in demo/output/ ($(readlink demo/output)):"
echo "  demo/output/results.csv          every value, SII, RII and gap, one row each (Fingertips-like columns)"
echo "  demo/output/tables/              one table per area and breakdown, e.g. place_knowsley_by-local-decile.csv,"
echo "                                   icb_nhs-cheshire-and-merseyside_by-national-decile.csv, place_wirral_core20-vs-rest.csv,"
echo "                                   place_liverpool_by-local-quintile.csv (the gap by age and cause)"
echo "  demo/output/manifest.json        tool version, plan and input SHA-256, seed, rows, timings"
echo "  demo/output/report/index.html    the report: the ICB overview, a page per Place, methods.html (open in a browser)"
printf 'Synthetic counts and plan run in %.1f s. Run it again: nothing to do until the plan or inputs change (--force recomputes).\n' \
  "$(echo "$end - $start" | bc)"
