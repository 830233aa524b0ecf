#!/usr/bin/env bash
# test_sim_api.sh: starts store-sim on port 0 with a small known store and drives every endpoint
# of the contract with curl(1), asserting status codes and bodies: auth (401), lookups by id,
# name (with and without '#') and ids, filters, paging, packages per order and across orders,
# single and bulk create (200/207, partial by items, whole package), update, cancel, every
# business error code with its HTTP status, and the admin endpoints. Needs STORE_SIM, curl, jq.
set -uo pipefail
: "${STORE_SIM:?path of the store-sim binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../store-sim/sim-test-lib.sh"

failures=0
expect() {    # expect DESCRIPTION STATUS [JQ-EXPRESSION-THAT-MUST-BE-true]
    local description=$1 status=$2 filter=${3-}
    if [ "$SIM_STATUS" != "$status" ]; then
        echo "FAIL: $description: status $SIM_STATUS, expected $status; body: ${SIM_BODY:0:300}" >&2
        failures=$((failures + 1))
        return
    fi
    if [ -n "$filter" ] && [ "$(jq -r "$filter" <<<"$SIM_BODY" 2>/dev/null)" != "true" ]; then
        echo "FAIL: $description: $filter is not true; body: ${SIM_BODY:0:300}" >&2
        failures=$((failures + 1))
        return
    fi
    echo "ok: $description"
}
expect_error() {    # expect_error DESCRIPTION STATUS CODE
    expect "$1" "$2" ".success == false and .error.code == \"$3\" and (.error.message | length > 0)"
}

cat >"$sim_tmp/store.json" <<'JSON'
{"orders": [
 {"id": "o1", "number": "1", "name": "#1", "status": {"ecartapi": "paid"},
  "createdAt": "2026-11-20T10:00:00Z", "updatedAt": "2026-11-20T10:00:00Z",
  "packages": [
   {"id": "p1", "fulfillmentOrderId": "f1", "items": [
     {"id": "a", "sku": "SKU-A", "quantity": 3, "fulfilledQuantity": 0},
     {"id": "b", "sku": "SKU-B", "quantity": 1, "fulfilledQuantity": 0}]},
   {"id": "p2", "fulfillmentOrderId": "f2", "items": [{"id": "c", "quantity": 2}]}]},
 {"id": "o2", "number": "2", "name": "#2", "requiresFulfillmentOrderId": true,
  "createdAt": "2026-11-21T10:00:00Z", "updatedAt": "2026-11-21T12:00:00Z",
  "packages": [{"id": "p3", "fulfillmentOrderId": "f3", "locationId": "loc_2", "items": [{"id": "d", "quantity": 2}]}]},
 {"id": "o3", "number": "3", "name": "#3", "status": {"ecartapi": "canceled"},
  "createdAt": "2026-11-22T10:00:00Z",
  "packages": [{"id": "p4", "fulfillmentOrderId": "f4", "status": {"ecartapi": "canceled"},
                "items": [{"id": "e", "quantity": 1}]}]},
 {"id": "o4", "number": "4", "name": "#4", "createdAt": "2026-11-23T10:00:00Z",
  "packages": [{"id": "p5", "fulfillmentOrderId": "f5",
                "items": [{"id": "f", "quantity": 1, "fulfilledQuantity": 1}]}],
  "fulfillments": [{"id": "ful_4_1", "fulfillmentOrderId": "f5", "tracking": {"number": "TRK4"},
                    "status": {"ecartapi": "shipped"}, "items": [{"id": "f", "quantity": 1}]}]},
 {"id": "o5", "number": "5", "name": "#5", "createdAt": "2026-11-24T10:00:00Z",
  "packages": [{"id": "p6", "fulfillmentOrderId": "f6", "status": {"ecartapi": "canceled"},
                "items": [{"id": "g", "quantity": 1}]},
               {"id": "p7", "fulfillmentOrderId": "f7", "items": [{"id": "h", "quantity": 2}]}]}
]}
JSON
sim_start --store "$sim_tmp/store.json" || exit 1
[[ "$SIM_URL" =~ ^http://127\.0\.0\.1:[0-9]+$ ]] && echo "ok: listening line $SIM_URL" ||
    { echo "FAIL: listening line '$SIM_URL'" >&2; failures=$((failures + 1)); }

# --- auth and routing
SIM_STATUS=$(curl -s -o "$sim_tmp/body" -w '%{http_code}' "$SIM_URL/api/v2/orders/o1")
SIM_BODY=$(cat "$sim_tmp/body")
expect_error "no token" 401 unauthorized
SIM_STATUS=$(curl -s -o "$sim_tmp/body" -w '%{http_code}' -H 'Authorization: wrong' "$SIM_URL/api/v2/orders")
SIM_BODY=$(cat "$sim_tmp/body")
expect_error "wrong token" 401 unauthorized
sim_get /api/v2/unknown;                 expect_error "unknown endpoint" 404 notFound
sim_call DELETE /api/v2/orders/o1;       expect_error "wrong method" 405 methodNotAllowed

# --- orders
sim_get /api/v2/orders/o1
expect "order by id" 200 '.success and .order.id == "o1" and .order.name == "#1" and (.order.packages | length) == 2 and (.order.packages[0].items | length) == 2 and .order.fulfillmentStatus.ecartapi == "unfulfilled"'
sim_get /api/v2/orders/nope;             expect_error "unknown order" 404 orderNotFound
sim_get '/api/v2/orders?name=%232';      expect "name with #" 200 '[.orders[].id] == ["o2"] and .page.current == 1 and .page.next == null'
sim_get '/api/v2/orders?name=2';         expect "name without #" 200 '[.orders[].id] == ["o2"]'
sim_get '/api/v2/orders?name=%2399';     expect "unknown name" 200 '(.orders | length) == 0'
sim_get '/api/v2/orders?ids=o4,o1,zz';   expect "ids, in the given order" 200 '[.orders[].id] == ["o4","o1"]'
ids=$(printf 'o1,%.0s' $(seq 51)); ids=${ids%,}
sim_get "/api/v2/orders?ids=$ids";       expect_error "51 ids" 400 invalidRequest
sim_get '/api/v2/orders?limit=2';        expect "page 1 of 3" 200 '(.orders | length) == 2 and .page == {"current":1,"next":2}'
sim_get '/api/v2/orders?limit=2&page=3'; expect "last page" 200 '[.orders[].id] == ["o5"] and .page.next == null'
sim_get '/api/v2/orders?limit=2&page=9'; expect "beyond the end" 200 '(.orders | length) == 0 and .page.next == null'
sim_get '/api/v2/orders?limit=51';       expect_error "limit above 50" 400 invalidRequest
sim_get '/api/v2/orders?limit=0';        expect_error "limit 0" 400 invalidRequest
sim_get '/api/v2/orders?page=0';         expect_error "page 0" 400 invalidRequest
sim_get '/api/v2/orders?fulfillmentStatus=fulfilled'; expect "fulfillmentStatus filter" 200 '[.orders[].id] == ["o4"]'
sim_get '/api/v2/orders?fulfillmentStatus=bogus';     expect_error "bad fulfillmentStatus" 400 invalidRequest
sim_get '/api/v2/orders?updatedAt%5Bfrom%5D=2026-11-21T11:00:00Z&updatedAt%5Bto%5D=2026-11-22'
expect "updatedAt range" 200 '[.orders[].id] == ["o2","o3"]'

# --- packages
sim_get /api/v2/orders/o1/packages;      expect "packages of an order" 200 '[.packages[].id] == ["p1","p2"] and .packages[0].items[0].fulfilledQuantity == 0'
sim_get /api/v2/orders/zz/packages;      expect_error "packages of an unknown order" 404 orderNotFound
sim_get '/api/v2/packages?status=pending&limit=3'; expect "pending packages, page 1" 200 '[.packages[].id] == ["p1","p2","p3"] and .page.next == 2'
sim_get '/api/v2/packages?status=pending&limit=3&page=2'; expect "pending packages, page 2" 200 '[.packages[].id] == ["p7"] and .page.next == null'
sim_get '/api/v2/packages?orderId=o5';   expect "packages by orderId" 200 '[.packages[].id] == ["p6","p7"] and .packages[0].orderId == "o5"'
sim_get '/api/v2/packages?locationId=loc_2';  expect "packages by locationId" 200 '[.packages[].id] == ["p3"]'
sim_get '/api/v2/packages?status=lost';  expect_error "bad package status" 400 invalidRequest
sim_get /api/v2/packages/p3;             expect "one package" 200 '.package.id == "p3" and .package.fulfillmentOrderId == "f3"'
sim_get /api/v2/packages/zz;             expect_error "unknown package" 404 packageNotFound

# --- bulk create
T='"tracking":{"number":"1Z8W2A470326110016","company":"UPS","url":"https://www.ups.com/track?tracknum=1Z8W2A470326110016"}'
sim_call POST /api/v2/orders/o1/packages/fulfillments "{\"fulfillments\":[{\"fulfillmentOrderId\":\"f1\",$T,\"items\":[{\"id\":\"a\",\"quantity\":\"2\"}],\"notifyCustomer\":true,\"shippingDate\":\"2026-11-21\"}]}"
expect "bulk, all succeed: 200" 200 '.success and (.results | length) == 1 and .results[0].index == 0 and .results[0].success and .results[0].fulfillment.id == "ful_1_1" and .results[0].fulfillment.items == [{"id":"a","quantity":2}] and .results[0].fulfillment.tracking.numbers == ["1Z8W2A470326110016"] and .results[0].fulfillment.notifyCustomer and .results[0].fulfillment.shippingDate == "2026-11-21"'
sim_call POST /api/v2/orders/o1/packages/fulfillments "{\"fulfillments\":[
  {\"fulfillmentOrderId\":\"f1\",$T,\"items\":[{\"id\":\"a\",\"quantity\":5}]},
  {\"fulfillmentOrderId\":\"f1\",$T,\"items\":[{\"id\":\"c\",\"quantity\":1}]},
  {\"fulfillmentOrderId\":\"f1\",$T,\"items\":[{\"id\":\"a\",\"quantity\":0}]},
  {\"fulfillmentOrderId\":\"f1\",\"tracking\":{\"company\":\"UPS\"}},
  {\"fulfillmentOrderId\":\"f9\",$T},
  {$T},
  {\"fulfillmentOrderId\":\"f2\",$T}]}"
expect "bulk, partial failure: 207" 207 '.success and ([.results[].index] == [0,1,2,3,4,5,6]) and ([.results[].success] == [false,false,false,false,false,false,true])'
expect "  quantityExceedsRemaining" 207 '.results[0].error.code == "quantityExceedsRemaining"'
expect "  itemNotInPackage" 207 '.results[1].error.code == "itemNotInPackage"'
expect "  invalidQuantity" 207 '.results[2].error.code == "invalidQuantity"'
expect "  trackingNumberMissing" 207 '.results[3].error.code == "trackingNumberMissing"'
expect "  packageNotFound" 207 '.results[4].error.code == "packageNotFound" and .results[4].fulfillmentOrderId == "f9"'
expect "  fulfillmentOrderIdMissing (two open packages)" 207 '.results[5].error.code == "fulfillmentOrderIdMissing"'
expect "  whole package when items are omitted" 207 '.results[6].fulfillment.items == [{"id":"c","quantity":2}]'
sim_call POST /api/v2/orders/o1/packages/fulfillments "{\"fulfillments\":[{\"fulfillmentOrderId\":\"f2\",$T}]}"
expect "bulk, all fail: 207" 207 '.results[0].error.code == "packageAlreadyFulfilled"'
sim_call POST /api/v2/orders/o1/packages/fulfillments '{"fulfillments":[]}'
expect_error "bulk with no entries" 400 invalidRequest
big=$(jq -cn --arg t x '{fulfillments: [range(51) | {fulfillmentOrderId: "f1", tracking: {number: $t}}]}')
sim_call POST /api/v2/orders/o1/packages/fulfillments "$big"
expect_error "bulk with 51 entries" 400 invalidRequest
sim_call POST /api/v2/orders/o1/packages/fulfillments '{not json'
expect_error "bulk with a malformed body" 400 invalidRequest
sim_call POST /api/v2/orders/zz/packages/fulfillments "{\"fulfillments\":[{$T}]}"
expect "bulk for an unknown order: 404 and no results" 404 '.error.code == "orderNotFound" and (has("results") | not)'
sim_call POST /api/v2/orders/o3/packages/fulfillments "{\"fulfillments\":[{\"fulfillmentOrderId\":\"f4\",$T}]}"
expect "bulk on a canceled order" 207 '.results[0].error.code == "orderCanceled"'
sim_get /api/v2/orders/o1
expect "order o1 after bulk" 200 '.order.fulfillmentStatus.ecartapi == "partial" and .order.packages[0].status.ecartapi == "pending" and .order.packages[0].items[0].fulfilledQuantity == 2 and .order.packages[1].status.ecartapi == "shipped" and (.order.fulfillments | length) == 2'

# --- single create
sim_call POST /api/v2/orders/o1/fulfillments "{\"fulfillment\":{\"fulfillmentOrderId\":\"f1\",$T}}"
expect "single create, the rest of p1: 201" 201 '.success and .fulfillment.id == "ful_1_3" and .fulfillment.items == [{"id":"a","quantity":1},{"id":"b","quantity":1}]'
sim_get /api/v2/orders/o1
expect "o1 fulfilled" 200 '.order.fulfillmentStatus.ecartapi == "fulfilled" and ([.order.packages[].status.ecartapi] == ["shipped","shipped"])'
sim_call POST /api/v2/orders/o2/fulfillments "{\"fulfillment\":{$T}}"
expect_error "fulfillmentOrderId required" 400 fulfillmentOrderIdMissing
sim_call POST /api/v2/orders/o2/fulfillments "{\"fulfillment\":{\"fulfillmentOrderId\":\"f1\",$T}}"
expect_error "another order's package" 404 packageNotFound
sim_call POST /api/v2/orders/o3/fulfillments "{\"fulfillment\":{\"fulfillmentOrderId\":\"f4\",$T}}"
expect_error "canceled order" 422 orderCanceled
sim_call POST /api/v2/orders/o5/fulfillments "{\"fulfillment\":{\"fulfillmentOrderId\":\"f6\",$T}}"
expect_error "canceled package" 422 packageCanceled
sim_call POST /api/v2/orders/o4/fulfillments "{\"fulfillment\":{\"fulfillmentOrderId\":\"f5\",$T}}"
expect_error "package already fulfilled" 422 packageAlreadyFulfilled
sim_call POST /api/v2/orders/o2/fulfillments "{\"fulfillment\":{\"fulfillmentOrderId\":\"f3\",$T,\"items\":[{\"id\":\"zz\",\"quantity\":1}]}}"
expect_error "item not in package" 422 itemNotInPackage
sim_call POST /api/v2/orders/o2/fulfillments "{\"fulfillment\":{\"fulfillmentOrderId\":\"f3\",$T,\"items\":[{\"id\":\"d\",\"quantity\":3}]}}"
expect_error "quantity exceeds remaining" 422 quantityExceedsRemaining
sim_call POST /api/v2/orders/o2/fulfillments "{\"fulfillment\":{\"fulfillmentOrderId\":\"f3\",$T,\"items\":[{\"id\":\"d\",\"quantity\":\"x\"}]}}"
expect_error "invalid quantity" 422 invalidQuantity
sim_call POST /api/v2/orders/o2/fulfillments '{"fulfillment":{"fulfillmentOrderId":"f3","tracking":{"number":""}}}'
expect_error "tracking number missing" 422 trackingNumberMissing
sim_call POST /api/v2/orders/o2/fulfillments '{"fulfillments":[]}'
expect_error "create without a fulfillment object" 400 invalidRequest
sim_call POST /api/v2/orders/o5/fulfillments "{\"fulfillment\":{$T,\"items\":[{\"id\":\"h\",\"quantity\":1}]}}"
expect "single open package named by default" 201 '.fulfillment.fulfillmentOrderId == "f7" and .fulfillment.packageId == "p7"'

# --- fulfillments: list, get, update, cancel
sim_get /api/v2/orders/o1/fulfillments;  expect "fulfillments of o1" 200 '[.fulfillments[].id] == ["ful_1_1","ful_1_2","ful_1_3"] and .page.next == null'
sim_get '/api/v2/orders/o1/fulfillments?limit=2'; expect "fulfillments paged" 200 '(.fulfillments | length) == 2 and .page.next == 2'
sim_get /api/v2/orders/o1/fulfillments/ful_1_2; expect "one fulfillment" 200 '.fulfillment.id == "ful_1_2" and .fulfillment.orderId == "o1" and .fulfillment.status.ecartapi == "shipped"'
sim_get /api/v2/orders/o1/fulfillments/zz; expect_error "unknown fulfillment" 404 fulfillmentNotFound
sim_call PUT /api/v2/orders/o1/fulfillments/ful_1_2 '{"fulfillment":{"tracking":{"number":"9400111899223344556677","company":"USPS"},"notifyCustomer":false}}'
expect "update tracking and notifyCustomer" 200 '.fulfillment.tracking.number == "9400111899223344556677" and .fulfillment.tracking.numbers == ["9400111899223344556677"] and .fulfillment.tracking.company == "USPS" and .fulfillment.notifyCustomer == false'
sim_call PUT /api/v2/orders/o1/fulfillments/zz '{"fulfillment":{"notifyCustomer":true}}'
expect_error "update an unknown fulfillment" 404 fulfillmentNotFound
sim_call PUT /api/v2/orders/o1/fulfillments/ful_1_2 '{"fulfillment":{"tracking":{"number":""}}}'
expect_error "update to an empty tracking number" 422 trackingNumberMissing
sim_call POST /api/v2/orders/o1/fulfillments/ful_1_1/cancel
expect "cancel" 200 '.fulfillment.status.ecartapi == "canceled"'
sim_get /api/v2/orders/o1
expect "cancel returned 2 units of a" 200 '.order.packages[0].items[0].fulfilledQuantity == 1 and .order.packages[0].status.ecartapi == "pending" and .order.fulfillmentStatus.ecartapi == "partial"'
sim_call POST /api/v2/orders/o1/fulfillments/ful_1_1/cancel
expect_error "cancel twice" 422 fulfillmentNotCancelable
sim_call POST /api/v2/orders/o1/fulfillments/zz/cancel
expect_error "cancel an unknown fulfillment" 404 fulfillmentNotFound
sim_call POST /api/v2/orders/o1/packages/fulfillments "{\"fulfillments\":[{\"fulfillmentOrderId\":\"f1\",$T,\"items\":[{\"id\":\"a\",\"quantity\":2}]}]}"
expect "the returned units ship again" 200 '.results[0].success and .results[0].fulfillment.id == "ful_1_4"'

# --- admin
sim_admin /__sim/stats
expect "stats" 200 '.requests.byRoute["POST /api/v2/orders/{orderId}/packages/fulfillments"]["207"] == 3 and .requests.byRoute["GET /api/v2/orders/{orderId}"]["401"] == 1 and .writes.fulfillmentsCreated == 5 and .writes.fulfillmentsCanceled == 1 and .writes.fulfillmentsUpdated == 1 and .requests.total > 50'
sim_admin /__sim/state
expect "state" 200 '(.orders | length) == 5 and ([.orders[0].fulfillments[].status.ecartapi] == ["canceled","shipped","shipped","shipped"]) and .orders[0].packages[0].items[0].fulfilledQuantity == 3'
jq '{orders}' <<<"$SIM_BODY" >"$sim_tmp/state.json"
sim_admin /__sim/reset POST
expect "reset" 200 '.success'
sim_get /api/v2/orders/o1
expect "after reset" 200 '(.order.fulfillments | length) == 0 and .order.packages[0].items[0].fulfilledQuantity == 0'
sim_admin /__sim/stats
expect "stats after reset" 200 '.requests.total == 1 and .writes.fulfillmentsCreated == 0'

# the state dump is a store file: a second simulator loads it and shows the same state
first_pid=$SIM_PID first_url=$SIM_URL
sim_start --store "$sim_tmp/state.json" || exit 1
sim_admin /__sim/state
reloaded=$(jq -c '{orders}' <<<"$SIM_BODY")
if [ "$reloaded" = "$(jq -c . "$sim_tmp/state.json")" ]; then echo "ok: state reloads"; else
    echo "FAIL: the dumped state does not reload identically" >&2; failures=$((failures + 1)); fi
sim_stop
SIM_PID=$first_pid SIM_URL=$first_url

# clean shutdown on SIGTERM
kill -TERM "$SIM_PID"; wait "$SIM_PID"; code=$?; SIM_PID=""
[ "$code" = 0 ] && echo "ok: SIGTERM exits 0" || { echo "FAIL: SIGTERM exit $code" >&2; failures=$((failures + 1)); }

sim_stop
[ "$SIM_STOP_FAILED" = 0 ] || { echo "FAIL: store-sim did not exit cleanly" >&2; failures=$((failures + 1)); }
[ "$failures" = 0 ] && echo "all passed" || echo "$failures failed" >&2
exit $((failures > 0))
