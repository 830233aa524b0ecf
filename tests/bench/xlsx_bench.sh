#!/usr/bin/env bash
# xlsx_bench.sh: peak memory of reading a large Excel workbook (run by hand, not by ctest).
# Writes a 200,000-row generic-csv manifest (UPS numbers with correct check digits, ISO dates,
# SKUs, quantities), has LibreOffice convert it to .xlsx (soffice --headless --convert-to xlsx:
# the tracking numbers and SKUs become shared strings, quantities numbers, dates date cells),
# then runs `shipload validate` on the workbook and on the CSV under /usr/bin/time -v and prints
# the peak RSS ("Maximum resident set size") and wall time of each. The workbook's sheet is
# streamed; its shared strings (one per distinct text) are held in memory, so the peak grows
# with the distinct texts, not with the rows.
# Usage: tests/bench/xlsx_bench.sh [ROWS]   (SHIPLOAD=path/to/shipload to skip the build)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export SHIPLOAD_TEMPLATE_PATH=${SHIPLOAD_TEMPLATE_PATH:-$root/templates}
rows=${1:-200000}
command -v soffice >/dev/null || { echo "soffice (libreoffice-calc-nogui) is needed" >&2; exit 1; }
if [ -z "${SHIPLOAD:-}" ]; then
    cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$root/build-bench" --target shipload -j 2 >/dev/null
    SHIPLOAD=$root/build-bench/shipload
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

LC_ALL=C awk -v rows="$rows" 'BEGIN {
    print "order_number,tracking_number,carrier,sku,quantity,ship_date"
    for (i = 1; i <= rows; i++) {
        body = sprintf("999AA1%09d", i)
        sum = 0
        for (p = 1; p <= 15; p++) {
            c = substr(body, p, 1)
            v = (c ~ /[0-9]/) ? c + 0 : (index("ABCDEFGHIJKLMNOPQRSTUVWXYZ", c) + 1) % 10
            sum += (p % 2) ? v : 2 * v
        }
        printf "#%d,1Z%s%d,UPS,SKU-%d,%d,2026-11-%02d\n", 100000 + i, body,
               (10 - sum % 10) % 10, i % 500, 1 + i % 3, 1 + i % 28
    }
}' >"$work/manifest.csv"
(cd "$work" && HOME=$work/home soffice --headless --convert-to xlsx manifest.csv >/dev/null 2>&1)
[ -s "$work/manifest.xlsx" ] || { echo "soffice made no workbook" >&2; exit 1; }

measure() {   # LABEL FILE
    /usr/bin/time -v "$SHIPLOAD" validate -q -o "$work/out.$1" "$2" 2>"$work/time.$1" || true
    printf "%-6s %9s bytes  peak RSS %7s KiB  wall %s  records %s\n" "$1" "$(stat -c %s "$2")" \
        "$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.$1")" \
        "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.$1")" \
        "$(jq .records "$work/out.$1/summary.json")"
}
echo "$rows rows"
measure xlsx "$work/manifest.xlsx"
measure csv "$work/manifest.csv"
cmp -s "$work/out.xlsx/results.csv" "$work/out.csv/results.csv" && echo "results.csv identical" ||
    echo "results.csv differ"
