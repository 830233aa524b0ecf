#!/usr/bin/env bash
# test_sim_shoplazza.sh: store-sim --platform shoplazza over HTTP with curl, on the fixture
# store (tests/store-sim/fixtures/shoplazza_store.json) and a generated one: Access-Token and the
# bare "Unauthorized", a Request-Id on every answer (errors and injected faults too), wrapped
# answers, lookups by number (zero padding, a percent-encoded "#"), ?ids=a&ids=b, count, cursor
# paging, carriers, the paid-status rule, each 422 message, 400/404 shapes, ship_quantity 0,
# cancel releasing quantities, update, /__sim/state and /__sim/stats; every fault flag with its
# shape; and the leaky bucket (a burst of 60: the first 40 answered, then 429s; no timing
# assumed beyond 60 requests taking less than 10 s).
# Needs STORE_SIM, curl, jq.
set -uo pipefail
: "${STORE_SIM:?path of the store-sim binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../store-sim/sim-test-lib.sh"

STORE=$here/../store-sim/fixtures/shoplazza_store.json
B=/openapi/2026-01
O1=633130-00001001 O2=633130-00001002
TSHIRT=ed8af005-1f4e-42d1-859d-99b0fd420781 MUG=4c2b9d1e-7a3f-4e8b-9c1d-2f5a6b7c8d90
HOODIE=9a7f3c2e-5b1d-4f6a-8e2c-3d4b5a6c7e8f
SIM_AUTH="Access-Token: $SIM_TEST_TOKEN"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
# expect WHAT STATUS JQ-FILTER EXPECTED: the last answer's status and one value of its body
expect() {
    local got
    got=$(jq -r "$3" <<<"$SIM_BODY" 2>/dev/null)
    if [ "$SIM_STATUS" = "$2" ] && [ "$got" = "$4" ]; then pass "$1"; else
        fail "$1: expected $2 and $3 = '$4', got $SIM_STATUS and '$got' ($SIM_BODY)"; fi
}
has_request_id() {
    [ -n "$(sim_header Request-Id)" ] && pass "$1: Request-Id" || fail "$1: no Request-Id header"
}
create_body() { printf '{"fulfillment":{"line_items":%s%s}}' "$1" "${2-}"; }

# --rate-limit 100000: the bucket drains so fast that the functional checks never meet it
sim_start --platform shoplazza --store "$STORE" --rate-limit 100000 || exit 1

# --- auth, shapes, Request-Id
SIM_AUTH="Authorization: $SIM_TEST_TOKEN" sim_get "$B/orders/$O1"
expect "raw token in Authorization refused" 401 '.' Unauthorized
[ "$SIM_BODY" = '"Unauthorized"' ] && pass "401 body is a bare JSON string" || fail "401 body: $SIM_BODY"
has_request_id "401"
SIM_AUTH="Access-Token: wrong" sim_get "$B/orders/$O1"
expect "wrong token" 401 '.' Unauthorized
sim_get "$B/orders/$O1"
expect "order by id, wrapped" 200 '.code + " " + .data.order.id' "Success $O1"
first_id=$(sim_header Request-Id)
sim_get "$B/orders/$O1"
[ -n "$first_id" ] && [ "$first_id" != "$(sim_header Request-Id)" ] &&
    pass "Request-Id differs between answers" || fail "Request-Id: '$first_id' then '$(sim_header Request-Id)'"
sim_get "$B/orders/nope"
expect "unknown order: 404 {code, message}" 404 '.code + ": " + .message' "NotFound: order not found"
has_request_id "404"
sim_call DELETE "$B/orders/$O1"
expect "wrong method" 405 '.code' MethodNotAllowed

# --- lookups
for number in 1002 00001002 001002 %231002 %20%231002; do
    sim_get "$B/orders/number/$number"
    [ "$number" = "%20%231002" ] && { expect "number with a space: 404" 404 '.message' "order not found"; continue; }
    expect "order by number $number" 200 '.data.order.number + " " + .data.order.fulfillment_status' \
        "00001002 partially_shipped"
done
sim_get "$B/orders?ids=$O2&ids=nope&ids=$O1"
expect "?ids=a&ids=b in the order given" 200 '[.data.orders[].id] | join(",")' "$O2,$O1"
sim_get "$B/orders?ids=$O2,$O1"
expect "a comma list is one (unknown) id" 200 '.data.orders | length' 0
ids=$(for i in $(seq 251); do printf 'ids=x%d&' "$i"; done)
sim_get "$B/orders?${ids%&}"
expect "251 ids: 400" 400 '.code' InvalidParameter
sim_get "$B/orders/count?financial_status%5B%5D=pending"
expect "count of unpaid orders" 200 '.data.count' 1
sim_get "$B/orders/count?status%5B%5D=opened&fulfillment_status%5B%5D=waiting"
expect "count with two filters" 200 '.data.count' 2
sim_get "$B/orders?page_size=251"
expect "page_size over 250" 400 '.code' InvalidParameter
cursor="" seen=0 pages=0
while :; do
    sim_get "$B/orders?page_size=2${cursor:+&cursor=$cursor}"
    [ "$SIM_STATUS" = 200 ] || { fail "paging: $SIM_STATUS"; break; }
    seen=$((seen + $(jq '.data.orders | length' <<<"$SIM_BODY"))) pages=$((pages + 1))
    [ "$(jq -r .data.has_more <<<"$SIM_BODY")" = true ] || break
    cursor=$(jq -r .data.cursor <<<"$SIM_BODY")
    [ $pages -lt 10 ] || { fail "paging does not end"; break; }
done
[ "$seen/$pages" = 5/3 ] && pass "cursor paging: 5 orders in 3 pages" || fail "paging: $seen orders in $pages pages"
sim_get "$B/tracking/carriers"
expect "carriers" 200 '[.data.tracking_carriers[] | select(.code == "ups") | .en_name] | .[0]' UPS

# --- writes: the paid-status rule, the 422 messages, ship_quantity 0
for order in 633130-00001003 633130-00001004 633130-00001005; do
    sim_call POST "$B/orders/$order/fulfillments" "$(create_body '[{"id":"x","ship_quantity":1}]')"
    expect "invalid status of the order ($order)" 422 '.errors[0]' "invalid status of the order"
done
sim_call POST "$B/orders/$O1/fulfillments" "$(create_body '[{"id":"nope","ship_quantity":1}]')"
expect "unknown line item" 422 '.errors[0]' "invalid line_item id"
has_request_id "422"
sim_call POST "$B/orders/$O1/fulfillments" "$(create_body "[{\"id\":\"$TSHIRT\"}]")"
expect "ship_quantity missing" 422 '.errors[0]' "ShipQuantity is not provided"
sim_call POST "$B/orders/$O1/fulfillments" "$(create_body "[{\"id\":\"$MUG\",\"ship_quantity\":3}]")"
expect "refunded units do not ship" 422 '.errors[0]' "fulfillment quantity is insufficient"
sim_call POST "$B/orders/$O1/fulfillments" '{"fulfillment":'
expect "malformed body" 400 '.code' InvalidParameter
sim_call POST "$B/orders/nope/fulfillments" "$(create_body '[]')"
expect "create on an unknown order" 404 '.message' "order not found"
sim_call POST "$B/orders/$O1/fulfillments" "$(create_body "[{\"id\":\"$MUG\",\"ship_quantity\":0},{\"id\":\"$TSHIRT\",\"ship_quantity\":1}]" \
    ',"tracking_number":"1Z8W2A470312345692","tracking_company":"UPS","tracking_company_code":"ups","tracking_items":[{"tracking_number":"1Z8W2A470312345692"},{"tracking_number":"1Z8W2A470312345709"}]')"
expect "create with ship_quantity 0 (all that remains)" 200 \
    '([.data.fulfillment.line_items[] | "\(.sku)=\(.ship_quantity)"] | join(",")) + " " + (.data.fulfillment.tracking_items | length | tostring)' \
    "TSHIRT-BLU-M=1,MUG-CER-WHT=2 2"
fid=$(jq -r .data.fulfillment.id <<<"$SIM_BODY")
sim_call POST "$B/orders/$O1/fulfillments" "$(create_body "[{\"id\":\"$TSHIRT\",\"ship_quantity\":2}]")"
expect "over the remaining quantity" 422 '.errors[0]' "fulfillment quantity is insufficient"
sim_call PUT "$B/orders/$O1/fulfillments/$fid" '{"fulfillment":{"tracking_number":"1Z8W2A470312345718","send_email":true}}'
expect "update tracking" 200 '.code + " " + .data.fulfillment.tracking_number + " " + .data.fulfillment.tracking_company' \
    "success 1Z8W2A470312345718 UPS"
sim_call PUT "$B/orders/$O1/fulfillments/$fid" '{"fulfillment":{"tracking_number":"X"},"send_email":true}'
expect "send_email beside fulfillment (older API) refused" 400 '.code' InvalidParameter
sim_call POST "$B/orders/$O1/fulfillments/$fid/cancel"
expect "cancel" 200 '.data.fulfillment.status' cancelled
sim_call POST "$B/orders/$O1/fulfillments/$fid/cancel"
expect "cancel twice" 422 '.errors[0]' "fulfillment is already cancelled"
sim_call POST "$B/orders/$O1/fulfillments/nope/cancel"
expect "cancel an unknown fulfillment" 404 '.message' "fulfillment not found"
sim_call POST "$B/orders/$O1/fulfillments" "$(create_body "[{\"id\":\"$MUG\",\"ship_quantity\":2},{\"id\":\"$TSHIRT\",\"ship_quantity\":2}]")"
expect "cancelled quantities ship again" 200 '.data.fulfillment.status' shipped
sim_get "$B/orders/$O1/fulfillments?page_size=1"
expect "fulfillments paged" 200 '(.data.fulfillments | length | tostring) + " " + (.data.has_more | tostring)' "1 true"

# --- the final state and the counters
sim_admin /__sim/state
state_check=$(jq -r --arg o "$O1" '.platform + " " + (.orders[] | select(.id == $o) |
    (.fulfillment_status + " " + ([.fulfillments[].status] | join(","))))' <<<"$SIM_BODY")
[ "$state_check" = "shoplazza shipped cancelled,shipped" ] && pass "/__sim/state in Shoplazza's form" ||
    fail "state: $state_check"
sim_admin /__sim/stats
[ "$(jq -r '.requests.byRoute["POST /openapi/2026-01/orders/{order_id}/fulfillments"]["422"]' <<<"$SIM_BODY")" -ge 7 ] &&
    [ "$(jq -r '.writes.fulfillmentsCreated' <<<"$SIM_BODY")" = 2 ] &&
    [ "$(jq -r '.writes.fulfillmentsCanceled' <<<"$SIM_BODY")" = 1 ] &&
    pass "stats by Shoplazza route" || fail "stats: $SIM_BODY"
sim_admin /__sim/reset POST
sim_admin /__sim/state
[ "$(jq --arg o "$O1" '[.orders[] | select(.id == $o) | .fulfillments[]] | length' <<<"$SIM_BODY")" = 0 ] &&
    pass "reset restores the store" || fail "reset"
sim_stop

# --- every fault flag, in Shoplazza's shapes
sim_start --platform shoplazza --store "$STORE" --fail-rate 1 || exit 1
sim_get "$B/orders/$O1"
expect "fail-rate: 503 {error}" 503 '.error' "service unavailable (injected)"
has_request_id "503"
sim_stop
sim_start --platform shoplazza --store "$STORE" --commit-fail-rate 1 || exit 1
sim_call POST "$B/orders/$O1/fulfillments" "$(create_body "[{\"id\":\"$TSHIRT\",\"ship_quantity\":1}]")"
expect "commit-fail-rate: 500 {message}" 500 '.message' "internal error after commit (injected)"
has_request_id "500"
sim_get "$B/orders/$O1"
expect "commit-fail-rate: the write was applied, reads unaffected" 200 '.data.order.fulfillments | length' 1
sim_stop
sim_start --platform shoplazza --store "$STORE" --drop-rate 1 || exit 1
sim_get "$B/orders/$O1"
[ "$SIM_STATUS" = 000 ] && pass "drop-rate: no answer" || fail "drop-rate: got $SIM_STATUS"
sim_stop
sim_start --platform shoplazza --store "$STORE" --hang-rate 1 --hang-ms 200 --latency-ms 20 || exit 1
sim_call POST "$B/orders/$O1/fulfillments" "$(create_body "[{\"id\":\"$TSHIRT\",\"ship_quantity\":1}]")"
expect "hang-rate: a late answer, applied" 200 '.data.fulfillment.status' shipped
sim_stop

# --- the leaky bucket at its defaults (40, 2 per second): a burst of 60 over one connection
sim_start --platform shoplazza --store "$STORE" || exit 1
for _ in $(seq 60); do printf 'url = "%s"\noutput = /dev/null\n' "$SIM_URL$B/orders/count"; done >"$sim_tmp/burst"
curl -s -H "$SIM_AUTH" -w '%{http_code}\n' -K "$sim_tmp/burst" >"$sim_tmp/codes"
first40=$(head -n 40 "$sim_tmp/codes" | sort -u | tr '\n' ' ')
limited=$(grep -c '^429$' "$sim_tmp/codes")
[ "$first40" = "200 " ] && pass "bucket: the first 40 answered" || fail "bucket: first 40: $first40"
[ "$limited" -ge 1 ] && pass "bucket: $limited of 60 got 429" || fail "bucket: no 429 in a burst of 60"
sim_get "$B/orders/count"
if [ "$SIM_STATUS" = 429 ]; then
    expect "429 shape" 429 '.code' TooManyRequests
    [ -z "$(sim_header Retry-After)" ] && pass "429 without Retry-After" || fail "429 has Retry-After"
    has_request_id "429"
fi
sim_admin /__sim/stats
[ "$(jq '.faults.rateLimited' <<<"$SIM_BODY")" -ge "$limited" ] && pass "bucket: counted in stats" ||
    fail "bucket stats: $SIM_BODY"
sim_stop

# --- a generated store: deterministic, with unpaid and cancelled orders, loadable again
"$STORE_SIM" --platform shoplazza --generate 300 --seed 5 --write-store "$sim_tmp/g1.json" &&
    "$STORE_SIM" --platform shoplazza --generate 300 --seed 5 --write-store "$sim_tmp/g2.json" &&
    cmp -s "$sim_tmp/g1.json" "$sim_tmp/g2.json" && pass "generation is deterministic" || fail "generation differs"
kinds=$(jq -r '[.orders[] | .financial_status + "/" + .status] | unique | join(" ")' "$sim_tmp/g1.json")
case "$kinds" in *pending/opened*refunded/cancelled*) pass "generated: $kinds" ;; *) fail "generated kinds: $kinds" ;; esac
sim_start --platform shoplazza --store "$sim_tmp/g1.json" || exit 1
sim_get "$B/orders/number/100001"
expect "generated order by unpadded number" 200 '.data.order.id' 633130-00100001
sim_stop

[ "$SIM_STOP_FAILED" = 0 ] || fail "store-sim exited badly"
echo "test_sim_shoplazza: $failures failure(s)"
[ "$failures" = 0 ]
