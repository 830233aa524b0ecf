#!/usr/bin/env bash
# pace_bench.sh: the pacing benchmarks of issue 18 (run by hand, not by ctest).
#  shoplazza  store-sim --platform shoplazza (its leaky bucket: 40 requests draining 2 a
#             second), 1,000 paid open orders named by number in a generic-csv manifest, one
#             `shipload import --platform shoplazza` at its default pace. Goals: ≤ 1.05
#             requests per order (the listing is counted and paged instead of one lookup per
#             number), wall ≤ 1.15 × requests / 2, zero 429s.
#  discover   store-sim (Ecart) with --rate-limit 50 (fixed one-second windows, Retry-After: 1)
#             and a manifest by order id over 3,000 orders; shipload is told nothing about the
#             limit. Goals: fewer than 5% of the requests answered 429, summary.json's
#             settled_per_second within 20% of 50.
# Usage: tests/bench/pace_bench.sh [shoplazza|discover]...   (default: both; SHIPLOAD=...
#        STORE_SIM=... to skip the Release build; BENCH_SL_ORDERS, BENCH_RATE_ORDERS,
#        BENCH_RATE_LIMIT change the sizes). Exits 1 if a goal is missed.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
sl_orders=${BENCH_SL_ORDERS:-1000}
rate_orders=${BENCH_RATE_ORDERS:-3000}
rate_limit=${BENCH_RATE_LIMIT:-50}
cases=${*:-shoplazza discover}

. "$root/tests/bench/bench_setup.sh"

# ups_manifest IN OUT: order refs (one a line) -> a generic-csv manifest, a UPS 1Z number each
ups_manifest() {
    awk -v header="$3" 'BEGIN { print header ",tracking_number,carrier" }
        function check(s,   i, c, v, sum) { sum = 0
            for (i = 1; i <= length(s); i++) { c = substr(s, i, 1)
                v = c ~ /[0-9]/ ? c + 0 : (index("ABCDEFGHIJKLMNOPQRSTUVWXYZ", c) + 1) % 10
                sum += (i % 2 ? v : 2 * v) }
            return (10 - sum % 10) % 10 }
        { body = sprintf("999AA1%09d", NR); print $0 ",1Z" body check(body) ",UPS" }' "$1" >"$2"
}

run_timed() {   # run_timed DIR ARGS...: shipload import with /usr/bin/time into DIR.time
    local dir=$1
    shift
    SHIPLOAD_API_TOKEN=$E2E_TOKEN /usr/bin/time -f '%e %U %S %M' -o "$dir.time" \
        "$SHIPLOAD" import --api-url "$SIM_URL" -o "$dir" --progress=never "$@" \
        >"$dir.out" 2>"$dir.err"
    RC=$?
}

shoplazza_case() {
    local store=$E2E_WORK/sl-store.json dir=$E2E_WORK/sl
    "$STORE_SIM" --token "$E2E_TOKEN" --platform shoplazza --generate $((sl_orders * 13 / 10)) \
        --seed 3 --write-store "$store" >/dev/null 2>&1 || { fail "store generation"; return; }
    jq -r '.orders[] | select(.financial_status == "paid" and .fulfillment_status == "waiting")
           | .number' "$store" | head -n "$sl_orders" >"$E2E_WORK/sl.refs"
    ups_manifest "$E2E_WORK/sl.refs" "$E2E_WORK/sl.csv" order_number
    local orders
    orders=$(wc -l <"$E2E_WORK/sl.refs")
    sim_start --platform shoplazza --store "$store" || return
    echo "shoplazza: importing $orders orders by number at the default pace" >&2
    run_timed "$dir" --platform shoplazza -t generic-csv "$E2E_WORK/sl.csv"
    assert_eq "shoplazza: rows shipped ($(statuses "$dir"))" "$orders" "$(status_count "$dir" shipped)"
    sim_stats "$E2E_WORK/sl.stats"
    sim_stop
    local requests limited wall
    requests=$(stats_requests "$E2E_WORK/sl.stats")
    limited=$(stats_requests "$E2E_WORK/sl.stats" "" 429)
    read -r wall _ <"$dir.time"
    echo "summary.json rate: $(jq -c .rate "$dir/summary.json")"
    jq -r '.requests.byRoute | to_entries[] | "  \(.key): \(.value | [.[]] | add)"' "$E2E_WORK/sl.stats"
    awk -v orders="$orders" -v requests="$requests" -v limited="$limited" -v wall="$wall" '
        function verdict(ok) { if (!ok) missed++; return ok ? "ok" : "MISSED" }
        BEGIN {
            ideal = requests / 2
            printf "shoplazza: %d orders, %d requests (the preflight probe included)\n", orders, requests
            printf "%-28s %12.3f %12s  %s\n", "requests per order", requests / orders, "<= 1.05", verdict(requests / orders <= 1.05)
            printf "%-28s %12.1f %12s\n", "requests / 2 (s)", ideal, ""
            printf "%-28s %12.1f %12s  %s\n", "wall (s)", wall, sprintf("<= %.1f", 1.15 * ideal), verdict(wall <= 1.15 * ideal)
            printf "%-28s %12d %12s  %s\n", "429 answers", limited, "0", verdict(limited == 0)
            exit missed ? 1 : 0
        }' || fail "shoplazza: a goal was missed"
}

discover_case() {
    local store=$E2E_WORK/rate-store.json dir=$E2E_WORK/rate
    gen_store "$store" $((rate_orders * 11 / 10)) 4 || return
    gen_manifest "$store" "$rate_orders" "$E2E_WORK/rate.csv" -i || return
    local records
    records=$(csv_records "$E2E_WORK/rate.csv")
    sim_start --store "$store" --rate-limit "$rate_limit" || return
    echo "discover: importing $records rows by id; the store allows $rate_limit requests a second, shipload is not told" >&2
    run_timed "$dir" "$E2E_WORK/rate.csv"
    assert_eq "discover: rows shipped ($(statuses "$dir"))" "$records" "$(status_count "$dir" shipped)"
    sim_stats "$E2E_WORK/rate.stats"
    sim_stop
    local requests limited wall settled
    requests=$(stats_requests "$E2E_WORK/rate.stats")
    limited=$(stats_requests "$E2E_WORK/rate.stats" "" 429)
    settled=$(jq -r '.rate.settled_per_second' "$dir/summary.json")
    read -r wall _ <"$dir.time"
    echo "summary.json rate: $(jq -c .rate "$dir/summary.json")"
    awk -v requests="$requests" -v limited="$limited" -v wall="$wall" -v settled="$settled" \
        -v limit="$rate_limit" '
        function verdict(ok) { if (!ok) missed++; return ok ? "ok" : "MISSED" }
        BEGIN {
            share = limited / requests
            printf "discover: %d requests in %.1f s (%.1f a second achieved)\n", requests, wall, requests / wall
            printf "%-28s %11.2f%% %12s  %s\n", "answered 429", 100 * share, "< 5%", verdict(share < 0.05)
            printf "%-28s %12.1f %12s  %s\n", "settled per second", settled, sprintf("%.0f-%.0f", 0.8 * limit, 1.2 * limit), verdict(settled >= 0.8 * limit && settled <= 1.2 * limit)
            exit missed ? 1 : 0
        }' || fail "discover: a goal was missed"
}

for c in $cases; do
    case $c in
    shoplazza) shoplazza_case ;;
    discover) discover_case ;;
    *) fail "unknown case $c (shoplazza, discover)" ;;
    esac
done
e2e_finish
