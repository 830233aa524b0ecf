#!/usr/bin/env bash
# sim_bench.sh: store-sim's capacity on loopback with wrk(1), no added latency: GET one order
# (the goal: >= 20,000 requests/s on a 2-core machine, so the simulator never limits shipload's
# own benchmarks), then GET /api/v2/orders?name= and ?ids= (50 ids). Run by hand:
#   tests/bench/sim_bench.sh [DURATION_SECONDS]      (STORE_SIM=path overrides the binary)
# It builds store-sim in build-bench if STORE_SIM is not given.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
duration=${1:-10}
if [ -z "${STORE_SIM:-}" ]; then
    cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$root/build-bench" --target store-sim -j 2 >/dev/null
    STORE_SIM=$root/build-bench/tests/store-sim/store-sim
fi
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
export STORE_SIM
. "$root/tests/store-sim/sim-test-lib.sh"

sim_start --generate 10000 --seed 1 --threads 2
order_id=$(curl -s -H "Authorization: $SIM_TEST_TOKEN" "$SIM_URL/api/v2/orders?limit=1&page=77" | jq -r '.orders[0].id')
order_name=$(curl -s -H "Authorization: $SIM_TEST_TOKEN" "$SIM_URL/api/v2/orders/$order_id" | jq -r '.order.name' | sed 's/#/%23/')
ids=$(curl -s -H "Authorization: $SIM_TEST_TOKEN" "$SIM_URL/api/v2/orders?limit=50&page=3" | jq -r '[.orders[].id] | join(",")')
bytes=$(curl -s -H "Authorization: $SIM_TEST_TOKEN" "$SIM_URL/api/v2/orders/$order_id" | wc -c)

bench() {   # bench LABEL PATH
    local result
    result=$(wrk -t 2 -c 64 -d "${duration}s" -H "Authorization: $SIM_TEST_TOKEN" "$SIM_URL$2")
    local rps=$(awk '/^Requests\/sec/ { print $2 }' <<<"$result")
    local errors=$(grep -E 'Non-2xx|Socket errors' <<<"$result" || true)
    printf '%-40s %12s requests/s %s\n' "$1" "$rps" "$errors"
}
echo "store-sim: 10,000 generated orders, 2 worker threads; wrk -t2 -c64 -d${duration}s on $(nproc) cores"
bench "GET /api/v2/orders/{id} ($bytes bytes)" "/api/v2/orders/$order_id"
bench "GET /api/v2/orders?name=" "/api/v2/orders?name=$order_name"
bench "GET /api/v2/orders?ids= (50 ids)" "/api/v2/orders?ids=$ids"
sim_admin /__sim/stats
echo "requests answered: $(jq .requests.total <<<"$SIM_BODY"), statuses: $(jq -c .requests.byStatus <<<"$SIM_BODY")"
