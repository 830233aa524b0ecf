#!/usr/bin/env bash
# test_carriers_urls.sh: the carrier that validation settles (canonical, inferred from the number,
# none when the shape is ambiguous) and the tracking URL it builds from the carrier's pattern
# reach the requests shipload sends. results.csv has no URL column, so this reads the requests
# of `shipload import --dry-run` (requests.jsonl) against a real store-sim seeded with
# samples/store.json: for each order of tests/e2e/data/carriers/urls.csv, the fulfillment's
# tracking company and url. A URL given in the manifest is kept as given.
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq.
set -uo pipefail
: "${SHIPLOAD:?path of the shipload binary}" "${STORE_SIM:?path of store-sim}"
: "${SHIPLOAD_SOURCE_DIR:?source tree}"
export SHIPLOAD_TEMPLATE_PATH=${SHIPLOAD_TEMPLATE_PATH:-$SHIPLOAD_SOURCE_DIR/templates}
command -v jq >/dev/null || { echo "FAIL: jq is needed" >&2; exit 1; }

work=$(mktemp -d)
token="tok_carriers_$(date +%s%N)"
sim_pid=
failed=0
checks=0

stop_sim() {
    if [ -n "$sim_pid" ]; then
        kill "$sim_pid" 2>/dev/null
        wait "$sim_pid" 2>/dev/null
        sim_pid=
    fi
}
trap 'stop_sim; rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }

"$STORE_SIM" --store "$SHIPLOAD_SOURCE_DIR/samples/store.json" --port 0 --token "$token" \
    >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
sim_url=
for _ in $(seq 1 600); do   # up to 30 s on a loaded machine
    sim_url=$(sed -n '1s/^listening on //p' "$work/sim.out")
    [ -n "$sim_url" ] && break
    sleep 0.05
done
[ -n "$sim_url" ] || { echo "FAIL: store-sim did not start: $(cat "$work/sim.err")" >&2; exit 1; }

SHIPLOAD_API_URL=$sim_url SHIPLOAD_API_TOKEN=$token "$SHIPLOAD" import --dry-run -t generic-csv \
    -o "$work/run" "$SHIPLOAD_SOURCE_DIR/tests/e2e/data/carriers/urls.csv" \
    >"$work/run.out" 2>"$work/run.err"
status=$?
requests=$work/run/requests.jsonl
if [ ! -f "$requests" ] || [ ! -f "$work/run/summary.json" ]; then
    echo "FAIL: no reports (exit $status): $(cat "$work/run.err")" >&2
    exit 1
fi
[ "$status" = 0 ] || fail "exit $status, expected 0: $(cat "$work/run.err")"
would_ship=$(jq '.statuses.would_ship // 0' "$work/run/summary.json")
[ "$would_ship" = 6 ] || fail "would_ship = $would_ship, expected 6: $(jq -c .statuses "$work/run/summary.json")"

# tracking ORDER_ID: "company<TAB>url<TAB>number" of the order's one planned fulfillment.
tracking() {
    jq -r --arg path "/api/v2/orders/$1/packages/fulfillments" '
        select(.path == $path) | .body.fulfillments[] | .tracking |
        [(.company // ""), (.url // ""), (.number // "")] | @tsv' "$requests"
}

# expect ORDER_ID COMPANY URL NUMBER
expect() {
    local got want
    got=$(tracking "$1")
    want=$(printf '%s\t%s\t%s' "$2" "$3" "$4")
    checks=$((checks + 1))
    [ "$got" = "$want" ] || fail "order $1: tracking '$got', expected '$want'"
}

expect 5132352301001 UPS "https://www.ups.com/track?tracknum=1Z999AA10123456784" 1Z999AA10123456784
expect 5132352301002 USPS \
    "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111201080805483016" \
    9400111201080805483016
expect 5132352301003 "Royal Mail" \
    "https://www.royalmail.com/track-your-item#/tracking-results/RR473124829GB" RR473124829GB
expect 5132352301004 FedEx "https://www.fedex.com/fedextrack/?trknbr=986578788855" 986578788855
expect 5132352301006 UPS "https://example.com/track/1Z5R89390357567127" 1Z5R89390357567127
expect 5132352301009 "" "" 986578788855    # 12 digits: FedEx or DHL Paket, so neither

if [ "$failed" -gt 0 ]; then
    echo "test_carriers_urls: $failed failed check(s)" >&2
    exit 1
fi
echo "test_carriers_urls: all $checks checks passed"
