#!/usr/bin/env bash
# Builds one libFuzzer target and runs it for SECONDS (issue: fuzzing the CSV input paths).
#
#   scripts/fuzz.sh TARGET SECONDS      e.g. scripts/fuzz.sh csv-reader 600
#   scripts/fuzz.sh list                the targets
#
# Each target is one entry file in Fuzz/ (a `@_cdecl("LLVMFuzzerTestOneInput")` function),
# compiled by `swiftc -sanitize=fuzzer,address -parse-as-library` into one module with the
# sources it tests. Adding a target is one entry file and one line in TARGETS below:
#
#   [name]="entry-file|source directories|max_len|seed kind"
#
# Seed kinds: csv (every small CSV file of the repository and ../shared/reference, cut to
# max_len), numbers (the fields of those files), gzip (the CSV seeds gzipped), rows (the CSV
# seeds as the writer target's rows), plus the checked-in seeds in Fuzz/Seeds/<name>/. The
# corpus grows in .build/fuzz/corpus/<name>/ across runs; crashes go to .build/fuzz/artifacts/<name>/,
# and the log to .build/fuzz/<name>.log. Copy each crash into a regression test in Tests/CSVStreamTests.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A TARGETS=(
    [csv-reader]="Fuzz/CSVReaderTarget.swift|Sources/CSVStream|4096|csv"
    [decimal]="Fuzz/DecimalParserTarget.swift|Sources/CSVStream|96|numbers"
    [gzip]="Fuzz/GzipTarget.swift|Sources/CSVStream|8192|gzip"
    [csv-writer]="Fuzz/CSVWriterTarget.swift|Sources/CSVStream|2048|rows"
)

if [[ "${1:-}" == "list" ]]; then
    printf '%s\n' "${!TARGETS[@]}" | sort
    exit 0
fi
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS (scripts/fuzz.sh list shows the targets)}
seconds=${2:-60}
spec=${TARGETS[$target]:-}
[[ -n "$spec" ]] || { echo "fuzz.sh: no target '$target'; the targets are: ${!TARGETS[*]}" >&2; exit 64; }
IFS='|' read -r entry source_dirs max_len seed_kind <<<"$spec"

work=.build/fuzz
binary=$work/bin/$target
corpus=$work/corpus/$target
artifacts=$work/artifacts/$target
mkdir -p "$work/bin" "$corpus" "$artifacts"

# Build: the module's sources and the entry file as one module (internal API is reachable), with
# the C modules' maps (CZlib) on the include path. Rebuilt when any input is newer.
sources=()
for dir in $source_dirs; do
    while IFS= read -r -d '' file; do sources+=("$file"); done < <(find "$dir" -name '*.swift' -print0 | sort -z)
done
module=$(basename "${source_dirs%% *}")
if [[ ! -x "$binary" ]] || [[ -n "$(find "$entry" "${sources[@]}" scripts/fuzz.sh -newer "$binary" 2>/dev/null)" ]]; then
    echo "fuzz.sh: building $target (${#sources[@]} sources + $entry)" >&2
    rm -f "$binary"
    swiftc -sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 \
        -module-name "$module" -I Sources/CZlib \
        "${sources[@]}" "$entry" -o "$binary" 2>&1 | grep -v "Cannot export local symbol" >&2 || true
    [[ -x "$binary" ]] || { echo "fuzz.sh: build of $target failed" >&2; exit 70; }
fi

# Seeds: small files from the repository, cut to max_len, named by content so reruns add nothing.
csv_files() {
    find Tests Data Fuzz/Seeds/csv-reader ../shared/reference -type f \( -name '*.csv' -o -name '*.csv.gz' \) 2>/dev/null | sort
}
csv_bytes() {  # the file's CSV bytes, decompressed when gzipped
    case "$1" in *.gz) gzip -dc "$1" 2>/dev/null | head -c 65536 || true ;; *) head -c 65536 "$1" ;; esac
}
add_seed() {  # add_seed < bytes
    local tmp hash
    tmp=$(mktemp)
    head -c "$max_len" >"$tmp"
    hash=$(sha1sum "$tmp" | cut -c1-16)
    mv "$tmp" "$corpus/seed-$hash"
}
# (Pipelines cut short by `head`, or a `grep` that matches nothing, are not failures here.)
set +o pipefail +e
case "$seed_kind" in
    csv)
        while IFS= read -r f; do csv_bytes "$f" | add_seed; done < <(csv_files) ;;
    numbers)
        while IFS= read -r f; do
            csv_bytes "$f" | head -n 40 | tr ',' '\n' | tr -d '"\r' | grep -E '[0-9]' | sort -u | head -n 30 |
                while IFS= read -r field; do printf '%s' "$field" | add_seed; done
        done < <(csv_files) ;;
    gzip)
        while IFS= read -r f; do csv_bytes "$f" | head -c 4000 | gzip -c | add_seed; done < <(csv_files) ;;
    rows)
        # Flags byte 0x03 (spreadsheet-safe, byte-order mark), then fields split by NUL, rows by 0x01.
        while IFS= read -r f; do
            { printf '\003'; csv_bytes "$f" | head -n 20 | tr ',\n' '\000\001'; } | add_seed
        done < <(csv_files) ;;
esac
if [[ -d Fuzz/Seeds/$target ]]; then
    for f in Fuzz/Seeds/"$target"/*; do [[ -f "$f" ]] && add_seed <"$f"; done
fi

set -e -o pipefail

echo "fuzz.sh: running $target for ${seconds}s on $(ls "$corpus" | wc -l) inputs" >&2
status=0
"$binary" "$corpus" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 >"$work/$target.log" 2>&1 || status=$?
grep -E '^#[0-9]+.*(DONE|pulse|INITED)' "$work/$target.log" | tail -n 2
grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$work/$target.log" || true
if [[ $status -ne 0 ]]; then
    echo "fuzz.sh: $target failed (exit $status); see $work/$target.log and $artifacts/" >&2
    grep -E 'ERROR|Fatal error|Precondition|SUMMARY' "$work/$target.log" | head -n 5 >&2 || true
fi
exit $status
