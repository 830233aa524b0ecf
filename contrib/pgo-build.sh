#!/usr/bin/env bash
# pgo-build.sh: builds shipload with profile-guided optimisation (GCC) into one directory:
# a Release build instrumented (SHIPLOAD_PGO=GENERATE), a training run of `shipload validate`
# that writes its profiles, then the same directory rebuilt with them (SHIPLOAD_PGO=USE).
# The result reads and validates with fewer instructions and better code placement than a plain
# Release build (README, "Performance"); it behaves the same. The training files are every
# bundled sample, in every report format, and a generated mixed manifest (UPS, USPS and FedEx
# numbers with correct check digits, some rows refused); nothing from the benchmarks. It does
# not install: `sudo cmake --install DIR` does, as after a plain build.
# Usage: contrib/pgo-build.sh [BUILD_DIR [CMAKE_OPTION...]]
#   BUILD_DIR      default: build-pgo at the top of the tree
#   CMAKE_OPTION   passed to both configurations (-DCMAKE_INSTALL_PREFIX=..., -DSHIPLOAD_WERROR=ON)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-pgo}
[ $# -gt 0 ] && shift
cmake_options=("$@")
profiles=$build/pgo-profiles
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

configure() {
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
        -DSHIPLOAD_PGO="$1" -DSHIPLOAD_PGO_DIR="$profiles" ${cmake_options[@]+"${cmake_options[@]}"} \
        >/dev/null
    cmake --build "$build" --target shipload -j "$(nproc)" >/dev/null
}

# mixed_manifest ROWS: a generic-csv manifest: mostly UPS 1Z numbers, a USPS IMpb number every
# fifth row, a FedEx number every seventh, each with its check digit; a wrong check digit, an
# empty tracking number and a date that does not exist now and then; all three date forms.
mixed_manifest() {
    LC_ALL=C awk -v rows="$1" '
    function ups(i,    body, sum, p, c, v) {
        body = sprintf("4R2%03dX%08d", i % 997, i)
        sum = 0
        for (p = 1; p <= 15; p++) {
            c = substr(body, p, 1)
            v = (c ~ /[0-9]/) ? c + 0 : (index("ABCDEFGHIJKLMNOPQRSTUVWXYZ", c) + 1) % 10
            sum += (p % 2) ? v : 2 * v
        }
        return "1Z" body (10 - sum % 10) % 10
    }
    function usps(i,    body, sum, p, n) {
        body = sprintf("940010%015d", i * 7919)
        n = length(body); sum = 0
        for (p = 1; p <= n; p++)
            sum += ((n - p) % 2 ? 1 : 3) * substr(body, p, 1)
        return body (10 - sum % 10) % 10
    }
    function fedex(i,    body, sum, p, n, w) {
        body = sprintf("%.0f", 77000000000 + i * 13)   # %d stops at 2^31 in mawk
        n = length(body); sum = 0
        split("1 3 7", w, " ")
        for (p = 1; p <= n; p++)
            sum += w[(n - p) % 3 + 1] * substr(body, p, 1)
        return body (sum % 11) % 10
    }
    BEGIN {
        print "order_number,tracking_number,carrier,sku,quantity,ship_date,notify_customer"
        for (i = 1; i <= rows; i++) {
            if (i % 7 == 0) { number = fedex(i); carrier = "FedEx" }
            else if (i % 5 == 0) { number = usps(i); carrier = "USPS" }
            else { number = ups(i); carrier = (i % 3) ? "UPS" : "ups" }
            if (i % 211 == 0) number = substr(number, 1, length(number) - 1) "0"
            if (i % 307 == 0) number = ""
            day = 1 + i % 28
            date = (i % 4 == 0) ? sprintf("11/%02d/2026", day) : (i % 4 == 1) ? \
                   sprintf("2026-11-%02dT14:05:00Z", day) : sprintf("2026-11-%02d", day)
            if (i % 401 == 0) date = "2026-02-30"
            printf "W-%d,%s,%s,SKU-%d,%s,%s,%s\n", 50000 + int(i / 3), number, carrier, \
                   i % 977, (i % 11) ? 1 + i % 4 : "", date, (i % 2) ? "yes" : "N"
        }
    }'
}

train() {
    local shipload=$1 run=0 file
    export SHIPLOAD_TEMPLATE_PATH=$root/templates
    for file in "$root"/samples/*.csv "$root"/samples/*.xml "$root"/samples/*.Out \
                "$root"/samples/*.gz; do
        run=$((run + 1))
        "$shipload" validate -q -o "$work/run-$run" "$file" || [ $? -eq 1 ]
    done
    mixed_manifest 200000 >"$work/mixed.csv"
    gzip -c "$work/mixed.csv" >"$work/mixed.csv.gz"
    for file in "$work/mixed.csv" "$work/mixed.csv.gz"; do
        run=$((run + 1))
        "$shipload" validate -q --report-format csv -o "$work/run-$run" "$file" || [ $? -eq 1 ]
    done
}

rm -rf "$profiles"
echo "pgo-build: instrumented build in $build" >&2
configure GENERATE
echo "pgo-build: training (samples and a 200,000-row mixed manifest)" >&2
train "$build/shipload"
echo "pgo-build: optimised build" >&2
configure USE
echo "pgo-build: $build/shipload" >&2
