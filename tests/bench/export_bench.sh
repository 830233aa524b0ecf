#!/usr/bin/env bash
# export_bench.sh: the export benchmark of issue 5 (run by hand, not by ctest). A store of
# 50,000 generated orders (store-sim --generate, seed 1) served with --latency-ms 20, and one
# `shipload export` (default concurrency 8) to a file, measured with /usr/bin/time; then the
# same with a store a tenth of the size, to show that memory does not grow with the store.
# Reports: pages read (store-sim's /__sim/stats), wall time against the ideal
# pages × 20 ms / concurrency, CPU time, peak RSS of both runs. Goals: wall ≤ 1.5 × ideal;
# peak RSS < 64 MB. Exits 1 if a goal is missed or the export failed. shipload's CPU time a page
# is printed too: decoding a page of 50 orders (about 100 KB of JSON) is the main cost, spread
# over two decode threads, so on a busy 2-core machine the run is CPU-bound, not latency-bound.
# Usage: tests/bench/export_bench.sh   (SHIPLOAD=... STORE_SIM=... to skip the Release build;
#        BENCH_ORDERS / BENCH_LATENCY_MS / BENCH_CONCURRENCY change the sizes)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
orders=${BENCH_ORDERS:-50000}
latency=${BENCH_LATENCY_MS:-20}
concurrency=${BENCH_CONCURRENCY:-8}

. "$root/tests/bench/bench_setup.sh"

# bench_run ORDERS: generates, serves and exports a store; prints
# "orders pages rows wall user sys rss_kb".
bench_run() {
    local n=$1 store=$E2E_WORK/store.$1.json out=$E2E_WORK/export.$1.csv
    gen_store "$store" "$n" 1 || return 1
    sim_start --store "$store" --latency-ms "$latency" || return 1
    SHIPLOAD_API_TOKEN=$E2E_TOKEN /usr/bin/time -f '%e %U %S %M' -o "$E2E_WORK/time.$n" \
        "$SHIPLOAD" export --api-url "$SIM_URL" -o "$out" --concurrency "$concurrency" \
        >"$out.stdout" 2>"$out.err"
    local rc=$?
    assert_eq "export of $n orders: exit ($(tail -n 1 "$out.err"))" 0 "$rc" || return 1
    sim_stats "$E2E_WORK/stats.$n"
    local pages rows
    pages=$(jq '.requests.byRoute["GET /api/v2/orders"] // {} | [.[]] | add // 0' \
        "$E2E_WORK/stats.$n")
    rows=$(csv_records "$out")
    sim_stop
    echo "$n $pages $rows $(cat "$E2E_WORK/time.$n")"
}

echo "exporting $orders orders (latency $latency ms, concurrency $concurrency)" >&2
big=$(bench_run "$orders") || e2e_finish
small_orders=$((orders / 10))
echo "exporting $small_orders orders" >&2
small=$(bench_run "$small_orders") || e2e_finish

awk -v big="$big" -v small="$small" -v latency="$latency" -v concurrency="$concurrency" '
    function report(run, label,    f, ideal) {
        split(run, f, " ")
        ideal = f[2] * latency / 1000 / concurrency
        printf "%s: %d orders, %d pages (GET /api/v2/orders), %d rows; wall %.2f s (ideal %.2f s, ratio %.2f); cpu %.2f s (%.2f ms a page); peak RSS %.1f MB\n",
               label, f[1], f[2], f[3], f[4], ideal, f[4] / ideal, f[5] + f[6],
               (f[5] + f[6]) * 1000 / f[2], f[7] / 1024
        return f[4] / ideal
    }
    BEGIN {
        ratio = report(big, "large")
        report(small, "small")
        split(big, b, " "); split(small, s, " ")
        bad = 0
        if (ratio > 1.5) { print "GOAL MISSED: wall time above 1.5 x ideal"; bad = 1 }
        if (b[7] >= 64 * 1024) { print "GOAL MISSED: peak RSS 64 MB or more"; bad = 1 }
        printf "RSS growth from %d to %d orders: %.1f MB\n", s[1], b[1], (b[7] - s[7]) / 1024
        exit bad
    }' || fail "a goal was missed"
e2e_finish
