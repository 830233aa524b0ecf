#!/usr/bin/env bash
# import_bench.sh: the import benchmark of issues 4 and 18 (run by hand, not by ctest). A
# generic-csv manifest of 100,000 rows shipping every open package of 40,000 generated orders
# (store-sim --generate, seed 1), about 37,000 orders, by name (tests/bench/gen_manifest.sh),
# imported into a store of 46,500 orders generated with the same seed (generation is
# prefix-stable: the first 40,000 are the same orders), so that the store's open orders are
# about 20% more than the manifest's. store-sim with
# --latency-ms 20, and one `shipload import` (default concurrency 8) measured with /usr/bin/time.
# Reports: reads (listing pages, lookups by name) and writes per order (store-sim's
# /__sim/stats), wall time against the ideal requests × 20 ms / concurrency, shipload's CPU time
# (user + sys) against its wall time, peak RSS. Goals: ≤ 1.10 requests per order (issue 18: the
# open orders are listed instead of looked up by name); wall ≤ 1.5 × ideal; CPU < 10% of wall;
# RSS < 200 MB.
# With BENCH_LATENCY_MS=0 (the memory mode, issue 18 point 4) the store answers at once, so there
# is no ideal wall time to compare with: the run reports peak RSS, peak RSS per row and rows per
# second, and the only goal is RSS < BENCH_RSS_GOAL_MB (default 200; 512 for the 1M run:
#   BENCH_LATENCY_MS=0 BENCH_ORDERS=400000 BENCH_STORE_ORDERS=400000 BENCH_ROWS=1000000 \
#   BENCH_RSS_GOAL_MB=512 tests/bench/import_bench.sh).
# Exits 1 if a goal is missed or a row did not ship.
# Usage: tests/bench/import_bench.sh   (SHIPLOAD=... STORE_SIM=... to skip the Release build;
#        BENCH_ORDERS / BENCH_STORE_ORDERS / BENCH_ROWS / BENCH_LATENCY_MS / BENCH_CONCURRENCY
#        change the sizes;
#        BENCH_BY_ID=1 names the orders by id, looked up 50 to a request;
#        BENCH_CACHE=DIR keeps the generated store and manifest in DIR and reuses them when the
#        sizes match, since generating 400,000 orders takes minutes)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
orders=${BENCH_ORDERS:-40000}              # the manifest ships these orders' open packages
store_orders=${BENCH_STORE_ORDERS:-46500}  # the store served: those and others
rows=${BENCH_ROWS:-100000}
latency=${BENCH_LATENCY_MS:-20}
concurrency=${BENCH_CONCURRENCY:-8}
by_id=${BENCH_BY_ID:-}     # non-empty: the manifest names orders by order_id, not by name
rss_goal=${BENCH_RSS_GOAL_MB:-200}
cache=${BENCH_CACHE:-}
export E2E_SIM_WAIT=${E2E_SIM_WAIT:-600}   # store-sim loads a big store file slowly

. "$root/tests/bench/bench_setup.sh"

data=$E2E_WORK
[ -n "$cache" ] && { data=$cache/$orders-$store_orders-$rows${by_id:+-id}; mkdir -p "$data"; }
store=$data/store.json
manifest=$data/manifest.csv
if [ ! -s "$manifest" ] || [ ! -s "$store" ]; then
    echo "generating $orders orders and a manifest of about $rows rows" >&2
    gen_store "$store" "$orders" 1 || e2e_finish
    gen_manifest "$store" "$rows" "$manifest" ${by_id:+-i} || e2e_finish
    [ "$store_orders" -gt "$orders" ] && { gen_store "$store" "$store_orders" 1 || e2e_finish; }
fi
records=$(csv_records "$manifest")
manifest_orders=$(tail -n +2 "$manifest" | cut -d, -f1,2 | LC_ALL=C sort -u | wc -l)
open_orders=$(jq '[.orders[] | select(.fulfillmentStatus.ecartapi == "unfulfilled" or
                                        .fulfillmentStatus.ecartapi == "partial")] | length' "$store")
sim_start --store "$store" --latency-ms "$latency" || e2e_finish

dir=$E2E_WORK/run
echo "importing $records rows of $manifest_orders orders (latency $latency ms, concurrency $concurrency)" >&2
SHIPLOAD_API_TOKEN=$E2E_TOKEN /usr/bin/time -f '%e %U %S %M' -o "$E2E_WORK/time" \
    "$SHIPLOAD" import --api-url "$SIM_URL" -o "$dir" --progress=never \
    --concurrency "$concurrency" "$manifest" >"$dir.out" 2>"$dir.err"
RC=$?
check_reports "$dir" "$records"
assert_eq "exit status ($(statuses "$dir"))" 0 "$RC"
assert_eq "rows shipped" "$records" "$(status_count "$dir" shipped)"
sim_stats "$E2E_WORK/stats"

read -r wall user sys rss_kb <"$E2E_WORK/time"
reads=$(stats_requests "$E2E_WORK/stats" GET)
echo "open orders in the store: $open_orders ($(awk -v o="$open_orders" -v m="$manifest_orders" 'BEGIN { printf "%.2f", o / m }') x the manifest's)"
jq -r '.requests.byRoute | to_entries[] | select(.key | startswith("GET")) | "  \(.key): \(.value | [.[]] | add)"' "$E2E_WORK/stats"
echo "summary.json rate: $(jq -c .rate "$dir/summary.json")"
writes=$(stats_write_requests "$E2E_WORK/stats")
awk -v orders="$manifest_orders" -v records="$records" -v reads="$reads" -v writes="$writes" \
    -v wall="$wall" -v user="$user" -v sys="$sys" -v rss_kb="$rss_kb" -v latency="$latency" \
    -v concurrency="$concurrency" -v rss_goal="$rss_goal" '
    function verdict(ok) { if (!ok) missed++; return ok ? "ok" : "MISSED" }
    BEGIN {
        requests = reads + writes
        per_order = requests / orders
        ideal = requests * latency / 1000 / concurrency
        cpu = user + sys
        rss = rss_kb / 1024
        printf "rows %d, orders %d\n", records, orders
        printf "%-28s %12s %12s  %s\n", "measure", "value", "goal", ""
        printf "%-28s %12.3f %12s\n", "reads per order", reads / orders, ""
        printf "%-28s %12.3f %12s\n", "writes per order", writes / orders, ""
        printf "%-28s %12.3f %12s  %s\n", "requests per order", per_order, "<= 1.10", verdict(per_order <= 1.10)
        if (latency == 0) {     # the memory mode: no ideal wall time to compare with
            printf "%-28s %12.1f %12s\n", "wall (s)", wall, ""
            printf "%-28s %12.1f %12s\n", "CPU user+sys (s)", cpu, ""
            printf "%-28s %12.1f %12s  %s\n", "peak RSS (MB)", rss, "< " rss_goal, verdict(rss < rss_goal)
            printf "%-28s %12.0f %12s\n", "peak RSS per row (bytes)", rss_kb * 1024 / records, ""
            printf "%-28s %12.0f %12s\n", "rows per second", records / wall, ""
            exit missed ? 1 : 0
        }
        printf "%-28s %12.1f %12s\n", "ideal wall (s)", ideal, ""
        printf "%-28s %12.1f %12s  %s\n", "wall (s)", wall, sprintf("<= %.1f", 1.5 * ideal), verdict(wall <= 1.5 * ideal)
        printf "%-28s %12.2f %12s  %s\n", "wall / ideal", wall / ideal, "<= 1.5", ""
        printf "%-28s %12.1f %12s  %s\n", "CPU user+sys (s)", cpu, "", ""
        printf "%-28s %11.1f%% %12s  %s\n", "CPU / wall", 100 * cpu / wall, "< 10%", verdict(cpu < 0.1 * wall)
        printf "%-28s %12.1f %12s  %s\n", "peak RSS (MB)", rss, "< " rss_goal, verdict(rss < rss_goal)
        printf "%-28s %12.0f %12s\n", "rows per second", records / wall, ""
        exit missed ? 1 : 0
    }' || fail "a goal was missed"
e2e_finish
