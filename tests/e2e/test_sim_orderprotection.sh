#!/usr/bin/env bash
# test_sim_orderprotection.sh: store-sim --platform orderprotection over HTTP with curl, on the
# fixture store (tests/store-sim/fixtures/orderprotection_store.json) and a generated one:
# "Authorization: Bearer", the {"status":"error","message"} body, percent-encoded sourceOrderIds
# ("%23517AB", "SO%201002"), 201 {"status":"ok"}, 409 for an existing sourceFulfillmentId with
# no second fulfillment (also after a write answered 500 by --commit-fail-rate), the 422s, the
# status-only PUT, the paged order list, /__sim/state; every fault flag with its shape; rate
# limiting only when --rate-limit asks (429 with Retry-After).
# Needs STORE_SIM, curl, jq.
set -uo pipefail
: "${STORE_SIM:?path of the store-sim binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../store-sim/sim-test-lib.sh"

STORE=$here/../store-sim/fixtures/orderprotection_store.json
SIM_AUTH="Authorization: Bearer $SIM_TEST_TOKEN"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
expect() {
    local got
    got=$(jq -r "$3" <<<"$SIM_BODY" 2>/dev/null)
    if [ "$SIM_STATUS" = "$2" ] && [ "$got" = "$4" ]; then pass "$1"; else
        fail "$1: expected $2 and $3 = '$4', got $SIM_STATUS and '$got' ($SIM_BODY)"; fi
}
# create ITEMS ID: a create body in seed 004's shape
create() {
    printf '{"sourceItemIds":%s,"fulfillmentStatus":"FULFILLED","sourceFulfillmentId":"%s",' "$1" "$2"
    printf '"trackingCompany":"FedEx","trackingNumber":["612345678913","612345678920"],'
    printf '"trackingUrl":["https://www.fedex.com/fedextrack/?trknbr=612345678913","https://www.fedex.com/fedextrack/?trknbr=612345678920"]}'
}
fulfillments_of() {     # fulfillments_of SOURCE_ORDER_ID: how many /__sim/state holds
    sim_admin /__sim/state
    jq --arg o "$1" '[.orders[] | select(.sourceOrderId == $o) | .fulfillments[]] | length' <<<"$SIM_BODY"
}

sim_start --platform orderprotection --store "$STORE" || exit 1

# --- auth and lookups
SIM_AUTH="Authorization: $SIM_TEST_TOKEN" sim_get "/v1/orders/%23517AB"
expect "a raw token is refused" 401 '.status' error
SIM_AUTH="Access-Token: $SIM_TEST_TOKEN" sim_get "/v1/orders/%23517AB"
expect "no Authorization" 401 '.status' error
sim_get "/v1/orders/%23517AB"
expect "percent-encoded #" 200 '.sourceOrderId + " " + .status' "#517AB OPEN"
sim_get "/v1/orders/SO%201002"
expect "percent-encoded space" 200 '.orderName + " " + (.fulfillments | length | tostring)' "#1002 1"
sim_get "/v1/orders/517AB"
expect "unknown order" 404 '.status + ": " + .message' "error: order not found"
sim_get "/v1/orders/SO%201002/fulfillments"
expect "fulfillments listed" 200 '.[0].sourceFulfillmentId + " " + (.[0].trackingNumber | join(","))' \
    "sl-0a1b2c3d4e5f60718293a4b5 612345678902"
sim_get "/v1/orders?size=2"
expect "first page" 200 '(.edges | length | tostring) + " " + (.pageInfo.hasNextPage | tostring) + " " + (.totalCount | tostring)' "2 true 3"
cursor=$(jq -r .pageInfo.endCursor <<<"$SIM_BODY")
sim_get "/v1/orders?size=2&cursor=$cursor"
expect "second page" 200 '(.edges | length | tostring) + " " + (.pageInfo.hasNextPage | tostring) + " " + .edges[0].node.sourceOrderId' "1 false 1003"
sim_get "/v1/orders?size=101"
expect "size over 100" 400 '.status' error

# --- create, 409, the 422s
sim_call POST "/v1/orders/%23517AB/fulfillments" "$(create '[{"sourceItemId":"1478","quantity":1}]' sl-e2e-1)"
expect "create" 201 '.status' ok
sim_call POST "/v1/orders/%23517AB/fulfillments" "$(create '[{"sourceItemId":"1478","quantity":1}]' sl-e2e-1)"
expect "the same sourceFulfillmentId again" 409 '.status' error
[ "$(fulfillments_of '#517AB')" = 1 ] && pass "409 created nothing" || fail "409 created a fulfillment"
sim_call POST "/v1/orders/%23517AB/fulfillments" "$(create '[{"sourceItemId":"9999","quantity":1}]' sl-e2e-2)"
expect "unknown item" 422 '.message' "unknown item 9999"
sim_call POST "/v1/orders/%23517AB/fulfillments" "$(create '[{"sourceItemId":"1479","quantity":3}]' sl-e2e-3)"
expect "refunded units do not ship" 422 '.message | startswith("quantity exceeds remaining")' true
sim_call POST "/v1/orders/SO%201002/fulfillments" "$(create '[{"sourceItemId":"2001","quantity":2}]' sl-e2e-4)"
expect "shipped units do not ship again" 422 '.message | startswith("quantity exceeds remaining")' true
sim_call POST "/v1/orders/1003/fulfillments" "$(create '[{"sourceItemId":"3001","quantity":1}]' sl-e2e-5)"
expect "cancelled order" 422 '.message' "order cancelled"
sim_call POST "/v1/orders/nope/fulfillments" "$(create '[{"sourceItemId":"1","quantity":1}]' sl-e2e-6)"
expect "create on an unknown order" 404 '.message' "order not found"
sim_call POST "/v1/orders/%23517AB/fulfillments" '{"sourceItemIds":[{"sourceItemId":"1478","quantity":1}],"fulfillmentStatus":"FULFILLED"}'
expect "no sourceFulfillmentId" 400 '.message' "sourceFulfillmentId is required"
sim_call POST "/v1/orders/%23517AB/fulfillments" '{"sourceItemIds":[{"sourceItemId":"1478","quantity":1}],"fulfillmentStatus":"SENT","sourceFulfillmentId":"x"}'
expect "status outside the enum" 400 '.status' error
sim_call POST "/v1/orders/SO%201002/fulfillments" "$(create '[{"sourceItemId":"2001","quantity":1}]' sl-e2e-7)"
expect "create on an id with a space" 201 '.status' ok

# --- status-only update
sim_call PUT "/v1/orders/%23517AB/fulfillments/sl-e2e-1" '{"status":"IN_TRANSIT"}'
expect "status update" 200 '.status' ok
sim_call PUT "/v1/orders/%23517AB/fulfillments/sl-e2e-1" '{"status":"DELIVERED","trackingNumber":["1"]}'
expect "tracking cannot change" 400 '.status' error
sim_call PUT "/v1/orders/%23517AB/fulfillments/nope" '{"status":"DELIVERED"}'
expect "update of an unknown fulfillment" 404 '.message' "fulfillment not found"
sim_call DELETE "/v1/orders/%23517AB/fulfillments/sl-e2e-1"
expect "no cancel endpoint" 405 '.status' error

# --- the final state
sim_admin /__sim/state
final=$(jq -r '.platform + " " + ([.orders[] | .sourceOrderId + "=" + ([.fulfillments[] | .sourceFulfillmentId + ":" + .fulfillmentStatus] | join("+"))] | join(" "))' <<<"$SIM_BODY")
[ "$final" = "orderprotection #517AB=sl-e2e-1:IN_TRANSIT SO 1002=sl-0a1b2c3d4e5f60718293a4b5:FULFILLED+sl-e2e-7:FULFILLED 1003=" ] &&
    pass "/__sim/state in OrderProtection's form" || fail "state: $final"
sim_admin /__sim/stats
[ "$(jq -r '.requests.byRoute["POST /v1/orders/{sourceOrderId}/fulfillments"]["409"]' <<<"$SIM_BODY")" = 1 ] &&
    [ "$(jq -r '.writes.fulfillmentsCreated' <<<"$SIM_BODY")" = 2 ] &&
    pass "stats by OrderProtection route" || fail "stats: $SIM_BODY"

# --- no rate limit unless asked: a burst of 60
for _ in $(seq 60); do printf 'url = "%s"\noutput = /dev/null\n' "$SIM_URL/v1/orders/%23517AB"; done >"$sim_tmp/burst"
curl -s -H "$SIM_AUTH" -w '%{http_code}\n' -K "$sim_tmp/burst" >"$sim_tmp/codes"
[ "$(sort -u "$sim_tmp/codes" | tr '\n' ' ')" = "200 " ] && pass "no rate limit by default" ||
    fail "burst without --rate-limit: $(sort "$sim_tmp/codes" | uniq -c | tr '\n' ' ')"
sim_stop

# --- every fault flag, in OrderProtection's shape
sim_start --platform orderprotection --store "$STORE" --rate-limit 5 || exit 1
for _ in $(seq 60); do printf 'url = "%s"\noutput = /dev/null\n' "$SIM_URL/v1/orders/%23517AB"; done >"$sim_tmp/burst"
curl -s -H "$SIM_AUTH" -w '%{http_code}\n' -K "$sim_tmp/burst" >"$sim_tmp/codes"
[ "$(grep -c '^429$' "$sim_tmp/codes")" -ge 1 ] && pass "--rate-limit 5: 429s in a burst of 60" || fail "no 429 with --rate-limit 5"
for _ in $(seq 10); do sim_get "/v1/orders/%23517AB"; [ "$SIM_STATUS" = 429 ] && break; done
if [ "$SIM_STATUS" = 429 ]; then
    expect "429 body" 429 '.status' error
    [ "$(sim_header Retry-After)" = 1 ] && pass "429 with Retry-After: 1" || fail "Retry-After: '$(sim_header Retry-After)'"
fi
sim_stop
sim_start --platform orderprotection --store "$STORE" --fail-rate 1 || exit 1
sim_get "/v1/orders/%23517AB"
expect "fail-rate: 503" 503 '.status + ": " + .message' "error: service unavailable (injected)"
sim_stop
sim_start --platform orderprotection --store "$STORE" --commit-fail-rate 1 || exit 1
sim_call POST "/v1/orders/%23517AB/fulfillments" "$(create '[{"sourceItemId":"1478","quantity":2}]' sl-e2e-commit)"
expect "commit-fail-rate: 500" 500 '.status' error
[ "$(fulfillments_of '#517AB')" = 1 ] && pass "commit-fail-rate: the write was applied" || fail "commit-fail: not applied"
sim_call POST "/v1/orders/%23517AB/fulfillments" "$(create '[{"sourceItemId":"1478","quantity":2}]' sl-e2e-commit)"
expect "the resend is answered 500 too (every write is)" 500 '.status' error
[ "$(fulfillments_of '#517AB')" = 1 ] && pass "the resend created no second fulfillment" || fail "a second fulfillment"
sim_admin /__sim/stats
[ "$(jq '.writes.requestsApplied' <<<"$SIM_BODY")" = 1 ] && pass "the resend was refused (409) under the 500" ||
    fail "requestsApplied: $SIM_BODY"
sim_stop
sim_start --platform orderprotection --store "$STORE" --drop-rate 1 || exit 1
sim_call POST "/v1/orders/%23517AB/fulfillments" "$(create '[{"sourceItemId":"1478","quantity":1}]' sl-e2e-drop)"
[ "$SIM_STATUS" = 000 ] && pass "drop-rate: no answer" || fail "drop-rate: $SIM_STATUS"
[ "$(fulfillments_of '#517AB')" = 0 ] && pass "drop-rate: nothing applied" || fail "drop-rate applied"
sim_stop
sim_start --platform orderprotection --store "$STORE" --hang-rate 1 --hang-ms 200 --latency-ms 20 || exit 1
sim_call POST "/v1/orders/%23517AB/fulfillments" "$(create '[{"sourceItemId":"1478","quantity":1}]' sl-e2e-hang)"
expect "hang-rate: a late 201" 201 '.status' ok
sim_stop

# --- a generated store: "#<number>" ids, some CANCELLED, loadable again
"$STORE_SIM" --platform orderprotection --generate 200 --seed 5 --write-store "$sim_tmp/g.json" || fail "generate"
[ "$(jq '[.orders[] | select(.status == "CANCELLED")] | length' "$sim_tmp/g.json")" -ge 1 ] &&
    pass "generated: some orders CANCELLED" || fail "generated: none CANCELLED"
sim_start --platform orderprotection --store "$sim_tmp/g.json" || exit 1
sim_get "/v1/orders/%23100001"
expect "generated order by encoded id" 200 '.sourceOrderId' "#100001"
sim_stop

[ "$SIM_STOP_FAILED" = 0 ] || fail "store-sim exited badly"
echo "test_sim_orderprotection: $failures failure(s)"
[ "$failures" = 0 ]
