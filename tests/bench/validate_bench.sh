#!/usr/bin/env bash
# validate_bench.sh: the reading benchmark (run by hand, not by ctest). Generates deterministic
# gzipped generic-csv manifests of 100,000 and 1,000,000 rows (UPS tracking numbers with correct
# check digits, so every row is valid), then times `shipload validate --report-format csv` and
# `shipload validate` with all three report formats (csv, xlsx, html) against `zcat FILE >
# /dev/null` in the same run (best of 3 each, runs interleaved so that a busy machine slows all
# alike) and measures validate's peak RSS with /usr/bin/time (the "Maximum resident set size" of
# time -v). CPU seconds (user + system) are printed too: on a shared machine they vary less than
# wall time. Goals: validate with CSV only within 3x zcat's wall time; peak RSS under 64 MB with
# CSV only and with all three formats, and flat from 100k to 1M rows. The time with all three
# formats is reported beside the CSV-only time (the spreadsheet and the page cost more to write:
# no goal). Prints a table; exits 1 if a goal is missed.
# Usage: tests/bench/validate_bench.sh   (SHIPLOAD=path/to/shipload to skip the Release build)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export SHIPLOAD_TEMPLATE_PATH=${SHIPLOAD_TEMPLATE_PATH:-$root/templates}
runs=${BENCH_RUNS:-3}

if [ ! -x /usr/bin/time ]; then
    echo "installing the 'time' package for /usr/bin/time" >&2
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y -q time >&2
fi
if [ -z "${SHIPLOAD:-}" ]; then
    echo "building shipload (Release) in $root/build-bench" >&2
    cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$root/build-bench" --target shipload -j 2 >/dev/null
    SHIPLOAD=$root/build-bench/shipload
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# generate ROWS FILE: a generic-csv manifest, the same bytes on every run.
generate() {
    LC_ALL=C awk -v rows="$1" 'BEGIN {
        print "order_number,tracking_number,carrier,sku,quantity,ship_date,notify_customer"
        for (i = 1; i <= rows; i++) {
            body = sprintf("999AA1%09d", i)           # 1Z + shipper, service, package number
            sum = 0
            for (p = 1; p <= 15; p++) {
                c = substr(body, p, 1)
                v = (c ~ /[0-9]/) ? c + 0 : (index("ABCDEFGHIJKLMNOPQRSTUVWXYZ", c) + 1) % 10
                sum += (p % 2) ? v : 2 * v
            }
            printf "#%d,1Z%s%d,UPS,SKU-%d,%d,2026-11-%02d,%s\n", 100000 + i, body,
                   (10 - sum % 10) % 10, i % 500, 1 + i % 3, 1 + i % 28, (i % 2) ? "Y" : "N"
        }
    }' | gzip -n -6 >"$2"
}

# timed COMMAND...: "wall_seconds peak_rss_kib cpu_seconds" of one run. The wall time comes
# from the nanosecond clock (time's %e has 10 ms steps: too coarse for zcat on 100,000 rows).
timed() {
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || {
        local rc=$?
        [ "$rc" -le 1 ] || { echo "failed ($rc): $*" >&2; cat "$work/stderr" >&2; exit 1; }
    }
    end=$(date +%s%N)
    awk -v ns=$((end - start)) '{ printf "%.3f %s %.2f\n", ns / 1e9, $2, $3 + $4 }' "$work/time"
}

# smaller A B: the line (of timed's) with the smaller wall time.
smaller() {
    if [ -z "$1" ] || awk -v a="${2%% *}" -v b="${1%% *}" 'BEGIN { exit !(a < b) }'; then
        echo "$2"
    else
        echo "$1"
    fi
}

# validate reads (inflate, parse, map) on a second thread while the first validates and writes
# the reports: its wall time needs a second idle core. Say how busy the machine was.
echo "cores: $(nproc), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %7s %7s %6s %7s %7s %8s %8s %7s %7s %6s\n' rows zcat_s csv_s ratio all_s all/csv \
    csv_cpu all_cpu csv_mb all_mb gz_mb
missed=0
declare -A rss_of
for rows in 100000 1000000; do
    file=$work/manifest-$rows.csv.gz
    generate "$rows" "$file"
    best_zcat="" best_csv="" best_all=""
    for _ in $(seq 1 "$runs"); do
        best_zcat=$(smaller "$best_zcat" "$(timed sh -c "zcat '$file' >/dev/null")")
        best_csv=$(smaller "$best_csv" \
            "$(timed "$SHIPLOAD" validate -q --report-format csv -o "$work/csv-$rows" "$file")")
        best_all=$(smaller "$best_all" \
            "$(timed "$SHIPLOAD" validate -q -o "$work/all-$rows" "$file")")
    done
    read -r zcat_time _ _ <<<"$best_zcat"
    read -r csv_time csv_rss csv_cpu <<<"$best_csv"
    read -r all_time all_rss all_cpu <<<"$best_all"
    for dir in "$work/csv-$rows" "$work/all-$rows"; do
        valid=$(grep -o '"valid": [0-9]*' "$dir/summary.json" | grep -o '[0-9]*$')
        [ "$valid" = "$rows" ] || { echo "expected $rows valid rows, got ${valid:-none}" >&2; missed=1; }
    done
    for report in results.xlsx report.html; do
        [ -s "$work/all-$rows/$report" ] || { echo "no $report with all formats" >&2; missed=1; }
    done
    ratio=$(awk -v v="$csv_time" -v z="$zcat_time" 'BEGIN { printf "%.2f", (z > 0 ? v / z : 0) }')
    all_ratio=$(awk -v a="$all_time" -v c="$csv_time" 'BEGIN { printf "%.2f", (c > 0 ? a / c : 0) }')
    csv_mb=$(awk -v k="$csv_rss" 'BEGIN { printf "%.1f", k / 1024 }')
    all_mb=$(awk -v k="$all_rss" 'BEGIN { printf "%.1f", k / 1024 }')
    gz_mb=$(awk -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.1f", b / 1048576 }')
    printf '%-8s %7s %7s %6s %7s %7s %8s %8s %7s %7s %6s\n' "$rows" "$zcat_time" "$csv_time" \
        "$ratio" "$all_time" "$all_ratio" "$csv_cpu" "$all_cpu" "$csv_mb" "$all_mb" "$gz_mb"
    rss_of[$rows]=$all_rss
    awk -v r="$ratio" 'BEGIN { exit !(r > 3) }' && { echo "  goal missed: CSV only more than 3x zcat" >&2; missed=1; }
    [ "$csv_rss" -lt 65536 ] || { echo "  goal missed: peak RSS (CSV only) not under 64 MB" >&2; missed=1; }
    [ "$all_rss" -lt 65536 ] || { echo "  goal missed: peak RSS (all formats) not under 64 MB" >&2; missed=1; }
    rm -rf "$work/csv-$rows" "$work/all-$rows" "$file"
done
# flat: 10x the rows may not cost more than 25% (plus 2 MB of slack) more memory
awk -v small="${rss_of[100000]}" -v large="${rss_of[1000000]}" \
    'BEGIN { exit !(large <= small * 1.25 + 2048) }' ||
    { echo "  goal missed: RSS grows with the row count" >&2; missed=1; }
[ "$missed" = 0 ] && echo "all goals met (CSV only within 3x zcat; RSS < 64 MB and flat, all formats too)"
exit "$missed"
