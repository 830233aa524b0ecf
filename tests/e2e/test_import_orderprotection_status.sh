#!/usr/bin/env bash
# test_import_orderprotection_status.sh: what OrderProtection can and cannot change, against
# store-sim --platform orderprotection recording every request (--record-requests).
#  - action=cancel, action=update with a new number, and action=update naming the fulfillment's
#    own number: invalid/unsupported_by_platform in results.csv and rejects.csv, a message naming
#    the platform, and not one request (the engine decides from the platform table, before any
#    lookup); on Ecart, which has no status-only update, action=status is refused the same way (its
#    preflight probe is its one request);
#  - --on-conflict=update and an unknown --fulfillment-status: exit 2 with the reason; the
#    option on a platform without statuses: exit 2;
#  - --fulfillment-status, a template constant and a row's status column reach the create's
#    fulfillmentStatus on the wire (row > option > FULFILLED);
#  - action=status: the status-only PUT {"status": ...} on the fulfillment the tracking number
#    names (updated), duplicate with zero writes the second time; an unknown status or none:
#    invalid/bad_value, nothing sent; --dry-run lists the PUT and sends nothing.
. "$(dirname "$0")/lib/e2e.sh"

STORE=$SHIPLOAD_SOURCE_DIR/tests/store-sim/fixtures/orderprotection_store.json
record=$E2E_WORK/requests.jsonl
import() { local dir=$1; shift; run_import "$dir" --platform orderprotection "$@"; }
column_of() { csv_column "$1/results.csv" "$2" | tr '\n' ' ' | sed 's/ $//'; }
writes() { grep -vc '"method":"GET"' "$record"; }
requests() { grep -c . "$record"; }

sim_start --platform orderprotection --store "$STORE" --record-requests "$record" || e2e_finish
: >>"$record"

# ---- what the platform cannot do: refused per row, nothing sent, not even a read
cat >"$E2E_WORK/changes.csv" <<'CSV'
order_id,tracking_number,carrier,action
SO 1002,612345678902,FedEx,cancel
SO 1002,612345678924,FedEx,update
SO 1002,612345678902,FedEx,update
CSV
import "$E2E_WORK/changes" -t generic-csv "$E2E_WORK/changes.csv"
check_reports "$E2E_WORK/changes" 3
assert_eq "changes: exit status" 1 "$RC"
assert_eq "changes: statuses" "invalid invalid invalid" "$(column_of "$E2E_WORK/changes" status)"
assert_eq "changes: codes" "unsupported_by_platform unsupported_by_platform unsupported_by_platform" \
    "$(column_of "$E2E_WORK/changes" error_code)"
assert_eq "changes: rejects.csv codes" "unsupported_by_platform unsupported_by_platform unsupported_by_platform" \
    "$(csv_column "$E2E_WORK/changes/rejects.csv" -2 | tr '\n' ' ' | sed 's/ $//')"
assert_eq "changes: messages name the platform" 3 \
    "$(csv_column "$E2E_WORK/changes/rejects.csv" -1 | grep -c '^OrderProtection cannot .*; nothing was sent$')"
assert_eq "changes: not one request" 0 "$(requests)"

run_import "$E2E_WORK/conflict" --platform orderprotection -t generic-csv --on-conflict=update \
    "$E2E_WORK/changes.csv"
assert_eq "--on-conflict=update: exit 2" 2 "$RC"
grep -q "OrderProtection cannot change a fulfillment's tracking" "$E2E_WORK/conflict.err" ||
    fail "--on-conflict=update: $(cat "$E2E_WORK/conflict.err")"

# ---- --fulfillment-status: checked at start
run_import "$E2E_WORK/badopt" --platform orderprotection -t generic-csv --fulfillment-status SHIPPED \
    "$E2E_WORK/changes.csv"
assert_eq "--fulfillment-status SHIPPED: exit 2" 2 "$RC"
grep -q "SHIPPED: OrderProtection has no such fulfillment status (one of FULFILLED, .*IN_TRANSIT" \
    "$E2E_WORK/badopt.err" || fail "--fulfillment-status SHIPPED: $(cat "$E2E_WORK/badopt.err")"
run_import "$E2E_WORK/ecartopt" -t generic-csv --fulfillment-status DELIVERED "$E2E_WORK/changes.csv"
assert_eq "--fulfillment-status on Ecart: exit 2" 2 "$RC"
grep -q "Ecart.* takes no fulfillment status" "$E2E_WORK/ecartopt.err" ||
    fail "--fulfillment-status on Ecart: $(cat "$E2E_WORK/ecartopt.err")"
assert_eq "refused at start: not one request" 0 "$(requests)"

# ---- the status on the wire: option, template constant, row column
create_status() {   # create_status ORDER: fulfillmentStatus of the last create for ORDER
    jq -r --arg path "/v1/orders/$1/fulfillments" \
        'select(.method == "POST" and .path == $path) | .body | fromjson | .fulfillmentStatus' \
        "$record" | tail -n 1
}
printf 'order_id,sku,quantity,tracking_number,carrier\n#517AB,TSHIRT-BLU-M,1,612345678913,FedEx\n' \
    >"$E2E_WORK/one.csv"
import "$E2E_WORK/option" -t generic-csv --fulfillment-status in_transit "$E2E_WORK/one.csv"
check_reports "$E2E_WORK/option" 1
assert_eq "option: shipped" shipped "$(column_of "$E2E_WORK/option" status)"
assert_eq "option: sent as IN_TRANSIT" IN_TRANSIT "$(create_status '#517AB')"

cat >"$E2E_WORK/label.json" <<'JSON'
{ "name": "op-label-printed", "format": "csv", "csv": { "delimiter": ",", "header": true },
  "fields": { "order_ref": { "column": "order_id", "kind": "id" }, "sku": "sku",
              "quantity": "quantity", "tracking_numbers": "tracking_number",
              "carrier": "carrier", "fulfillment_status": { "value": "LABEL_PRINTED" } } }
JSON
printf 'order_id,sku,quantity,tracking_number,carrier\n#517AB,MUG-CER-WHT,1,612345678957,FedEx\n' \
    >"$E2E_WORK/label.csv"
import "$E2E_WORK/label" -t "$E2E_WORK/label.json" --fulfillment-status DELIVERED "$E2E_WORK/label.csv"
check_reports "$E2E_WORK/label" 1
assert_eq "template constant: shipped" shipped "$(column_of "$E2E_WORK/label" status)"
assert_eq "template constant over the option: LABEL_PRINTED" LABEL_PRINTED "$(create_status '#517AB')"

printf 'order_id,sku,quantity,tracking_number,carrier,status\nSO 1002,HOODIE-GRY-M,1,612345678924,FedEx,Out_For_Delivery\n' \
    >"$E2E_WORK/column.csv"
import "$E2E_WORK/column" -t generic-csv --fulfillment-status DELIVERED "$E2E_WORK/column.csv"
check_reports "$E2E_WORK/column" 1
assert_eq "status column over the option: OUT_FOR_DELIVERY" OUT_FOR_DELIVERY "$(create_status 'SO 1002')"
sim_state "$E2E_WORK/state1.json"
assert_eq "the store holds the statuses sent" "IN_TRANSIT LABEL_PRINTED" \
    "$(jq -r '.orders[] | select(.sourceOrderId == "#517AB") | [.fulfillments[].fulfillmentStatus] | sort | join(" ")' "$E2E_WORK/state1.json")"

# ---- action=status: the status-only PUT
cat >"$E2E_WORK/status.csv" <<'CSV'
order_id,tracking_number,carrier,action,status
SO 1002,612345678902,FedEx,status,delivered
SO 1002,612345678902,FedEx,status,ARRIVED
SO 1002,612345678902,FedEx,status,
CSV
before=$(writes)
import "$E2E_WORK/dry" -t generic-csv --dry-run "$E2E_WORK/status.csv"
check_reports "$E2E_WORK/dry" 3
assert_eq "dry run: would_update, then the two refusals" "would_update invalid invalid" \
    "$(column_of "$E2E_WORK/dry" status)"
assert_eq "dry run: requests.jsonl holds the PUT" \
    'PUT /v1/orders/SO%201002/fulfillments/sl-0a1b2c3d4e5f60718293a4b5 {"status":"DELIVERED"}' \
    "$(jq -r '"\(.method) \(.path) \(.body | if type == "string" then . else tojson end)"' "$E2E_WORK/dry/requests.jsonl")"
assert_eq "dry run: nothing written" "$before" "$(writes)"

import "$E2E_WORK/status" -t generic-csv "$E2E_WORK/status.csv"
check_reports "$E2E_WORK/status" 3
assert_eq "status: statuses" "updated invalid invalid" "$(column_of "$E2E_WORK/status" status)"
assert_eq "status: codes" " bad_value bad_value" "$(column_of "$E2E_WORK/status" error_code)"
assert_eq "status: one PUT, the status only" \
    'PUT /v1/orders/SO 1002/fulfillments/sl-0a1b2c3d4e5f60718293a4b5 {"status":"DELIVERED"}' \
    "$(jq -r 'select(.method == "PUT") | "\(.method) \(.path) \(.body)"' "$record")"
assert_eq "status: one write" "$((before + 1))" "$(writes)"
grep -q "OrderProtection has no fulfillment status 'ARRIVED'" "$E2E_WORK/status/rejects.csv" ||
    fail "the unknown status's message: $(cat "$E2E_WORK/status/rejects.csv")"
sim_state "$E2E_WORK/state2.json"
assert_eq "the fixture's fulfillment is DELIVERED, its tracking unchanged" "DELIVERED 612345678902" \
    "$(jq -r '.orders[] | select(.sourceOrderId == "SO 1002") | .fulfillments[] | select(.sourceFulfillmentId == "sl-0a1b2c3d4e5f60718293a4b5") | "\(.fulfillmentStatus) \(.trackingNumber | join(";"))"' "$E2E_WORK/state2.json")"

before=$(writes)
import "$E2E_WORK/again" -t generic-csv "$E2E_WORK/status.csv"
check_reports "$E2E_WORK/again" 3
assert_eq "status again: duplicate" "duplicate invalid invalid" "$(column_of "$E2E_WORK/again" status)"
assert_eq "status again: zero writes" "$before" "$(writes)"
sim_stop

# ---- Ecart has no status-only update: action=status is refused there, nothing sent
sim_start --store "$SHIPLOAD_SOURCE_DIR/samples/store.json" || e2e_finish
sim_stats "$E2E_WORK/ecart1.json"
printf 'order_number,tracking_number,carrier,action,status\n#1007,1Z8W2A470326110070,UPS,status,DELIVERED\n' \
    >"$E2E_WORK/ecart.csv"
run_import "$E2E_WORK/ecart" -t generic-csv "$E2E_WORK/ecart.csv"
check_reports "$E2E_WORK/ecart" 1
assert_eq "Ecart: action=status" "invalid unsupported_by_platform" \
    "$(column_of "$E2E_WORK/ecart" status) $(column_of "$E2E_WORK/ecart" error_code)"
sim_stats "$E2E_WORK/ecart2.json"
assert_eq "Ecart: no write, no order read (the preflight probe only)" \
    "$(stats_write_requests "$E2E_WORK/ecart1.json") 1" \
    "$(stats_write_requests "$E2E_WORK/ecart2.json") $(($(stats_requests "$E2E_WORK/ecart2.json") - $(stats_requests "$E2E_WORK/ecart1.json")))"
sim_stop
e2e_finish
