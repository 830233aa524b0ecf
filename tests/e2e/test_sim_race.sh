#!/usr/bin/env bash
# test_sim_race.sh: 8 concurrent clients fulfil the same package one unit at a time (half
# through the bulk endpoint, half through single create) until the store refuses; the units
# fulfilled must equal the package quantity, never more, in the answers and in /__sim/state.
# Needs STORE_SIM, curl, jq.
set -uo pipefail
: "${STORE_SIM:?path of the store-sim binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../store-sim/sim-test-lib.sh"

QUANTITY=60
CLIENTS=8
[ "${SHIPLOAD_UNDER_SANITIZER:-0}" = 1 ] && QUANTITY=30
cat >"$sim_tmp/store.json" <<JSON
{"orders": [{"id": "o1", "name": "#1", "packages": [
  {"id": "p1", "fulfillmentOrderId": "f1", "items": [{"id": "a", "quantity": $QUANTITY}]}]}]}
JSON
sim_start --store "$sim_tmp/store.json" --threads 4 || exit 1

client() {    # client N: ships one unit per request until refused; prints its successes
    local n=$1 ok=0 status body
    local entry='{"fulfillmentOrderId":"f1","tracking":{"number":"TRK'$n'"},"items":[{"id":"a","quantity":1}]}'
    while :; do
        if [ $((n % 2)) = 0 ]; then
            status=$(curl -s -o "$sim_tmp/c$n" -w '%{http_code}' -X POST -H "Authorization: $SIM_TEST_TOKEN" \
                --data-binary "{\"fulfillments\":[$entry]}" "$SIM_URL/api/v2/orders/o1/packages/fulfillments")
            [ "$status" = 200 ] && { ok=$((ok + 1)); continue; }
            [ "$status" = 207 ] && jq -e '.results[0].error.code == "quantityExceedsRemaining" or .results[0].error.code == "packageAlreadyFulfilled"' "$sim_tmp/c$n" >/dev/null && break
        else
            status=$(curl -s -o "$sim_tmp/c$n" -w '%{http_code}' -X POST -H "Authorization: $SIM_TEST_TOKEN" \
                --data-binary "{\"fulfillment\":$entry}" "$SIM_URL/api/v2/orders/o1/fulfillments")
            [ "$status" = 201 ] && { ok=$((ok + 1)); continue; }
            [ "$status" = 422 ] && break
        fi
        echo "client $n: unexpected answer $status: $(cat "$sim_tmp/c$n")" >&2
        break
    done
    echo "$ok" >"$sim_tmp/ok$n"
}

for n in $(seq 1 $CLIENTS); do client "$n" & done
wait $(jobs -p | grep -v "^$SIM_PID\$") 2>/dev/null
for n in $(seq 1 $CLIENTS); do while [ ! -s "$sim_tmp/ok$n" ]; do sleep 0.1; done; done

failures=0
successes=$(cat "$sim_tmp"/ok* | awk '{ s += $1 } END { print s }')
sim_admin /__sim/state
fulfilled=$(jq '[.orders[0].packages[0].items[0].fulfilledQuantity] | add' <<<"$SIM_BODY")
recorded=$(jq '[.orders[0].fulfillments[] | select(.status.ecartapi == "shipped") | .items[].quantity] | add' <<<"$SIM_BODY")
status=$(jq -r '.orders[0].packages[0].status.ecartapi' <<<"$SIM_BODY")
clients_that_shipped=$(for n in $(seq 1 $CLIENTS); do cat "$sim_tmp/ok$n"; done | awk '$1 > 0' | wc -l)
echo "successes=$successes fulfilledQuantity=$fulfilled in fulfillments=$recorded status=$status clients that shipped=$clients_that_shipped"
[ "$successes" = "$QUANTITY" ] || { echo "FAIL: $successes successful answers for $QUANTITY units" >&2; failures=1; }
[ "$fulfilled" = "$QUANTITY" ] || { echo "FAIL: fulfilledQuantity $fulfilled" >&2; failures=1; }
[ "$recorded" = "$QUANTITY" ] || { echo "FAIL: fulfillments hold $recorded units" >&2; failures=1; }
[ "$status" = shipped ] || { echo "FAIL: package status $status" >&2; failures=1; }
[ "$clients_that_shipped" -ge 2 ] || { echo "FAIL: the clients did not overlap" >&2; failures=1; }
sim_stop
[ "$SIM_STOP_FAILED" = 0 ] || { echo "FAIL: store-sim did not exit cleanly" >&2; failures=1; }
[ "$failures" = 0 ] && echo "all passed"
exit $failures
