#!/usr/bin/env bash
# test_import_shoplazza_writes.sh: the writes and refusals of `shipload import --platform
# shoplazza` against store-sim --platform shoplazza (store: tests/e2e/data/
# shoplazza-writes-store.json, orders 2001-2008):
#  - carrier codes: the store's /tracking/carriers is read once (the preflight asks for the
#    order count, not for it); DHL Express goes as "dhl",
#    Canada Post as "canada-post"; a carrier the store does not list is sent by name only, and
#    its row says so in a carrier_not_listed warning;
#  - a row with package_id ships with a package_ignored warning, not an error;
#  - action=update is a PUT with send_email inside fulfillment (notify_customer=yes), the
#    store's fulfillment then carries both numbers; action=cancel is the cancel endpoint, the
#    fulfillment is cancelled and its quantity shippable again;
#  - an unpaid order and a finished one (order_not_shippable), a cancelled order
#    (order_canceled), an unknown order (order_not_found), an unknown SKU (item_not_found) and an
#    over-quantity row (quantity_exceeds_remaining) show their codes in results.csv and
#    rejects.csv; the same manifest again sends no write (the over-quantity row is then a
#    conflict: its item is all shipped under other numbers);
#  - notified: empty on creates (no flag on create) and the cancel, yes on the update;
#  - Request-Id on not-found rows: an id a batched /orders?ids= answer left out, an auto
#    reference found neither as an id nor as a number; an order in a status shipload does not
#    know (#2008, archived) is sent, and the store's own 422 "invalid status of the order" is
#    order_not_shippable with its Request-Id;
#  - a wrong token (401, the bare-string error shape) with --no-preflight: exit 3, the rows are
#    auth_failed / not_attempted in results.csv and rejects.csv;
#  - a 422 from the store itself, with its Request-Id: two runs (two machines: separate run
#    locks) ship the last unit of one line item under different numbers against a slow
#    simulator (--latency-ms), so both read the order before either writes; the store takes one
#    and answers the other 422 "fulfillment quantity is insufficient": that row is rejected
#    quantity_exceeds_remaining, HTTP 422, and its message ends with the answer's Request-Id,
#    the one the -v log shows for that 422. Which run wins is not asserted.
. "$(dirname "$0")/lib/e2e.sh"

STORE=$E2E_DATA/shoplazza-writes-store.json
manifest=$E2E_WORK/writes.csv
cat >"$manifest" <<'CSV'
order_number,package_id,sku,quantity,tracking_number,carrier,notify_customer,action
#2001,,TEE-ORG-S,1,1234567891,DHL Express,,
#2001,,TEE-ORG-S,1,SLC-20261124-0001,Speedy Local Couriers,,
#2001,PKG-2001-1,BAG-TOT-BLK,1,7023210039414604,Canada Post,,
#2001,,TEE-ORG-S,5,1Z999AA10123456800,UPS,,
#2001,,HAT-NOPE,1,1Z999AA10123456819,UPS,,
#2002,,,,1Z999AA10123456784;1Z999AA10123456828,UPS,yes,update
#2003,,,,1Z999AA10123456793,UPS,,cancel
#2004,,SOCK-MER-3,1,1Z999AA10123456837,UPS,,
#2005,,SCARF-LIN,1,1Z999AA10123456846,UPS,,
#2006,,BELT-LTH-M,1,1Z999AA10123456855,UPS,,
#9999,,TEE-ORG-S,1,1Z999AA10123456864,UPS,,
CSV
records=$(csv_records "$manifest")
column() { csv_column "$1/results.csv" "$2" | tr '\n' '|' | sed 's/|$//'; }
field() { csv_column "$1/results.csv" "$2" | sed -n "${3}p"; }

sim_start --platform shoplazza --store "$STORE" --record-requests "$E2E_WORK/requests.jsonl" ||
    e2e_finish
run_import "$E2E_WORK/first" --platform shoplazza -t generic-csv "$manifest"
check_reports "$E2E_WORK/first" "$records"
check_exit "$E2E_WORK/first"
assert_eq "first run statuses" \
    "shipped|shipped|shipped|unmatched|unmatched|updated|canceled|unmatched|unmatched|unmatched|unmatched" \
    "$(column "$E2E_WORK/first" status)"
assert_eq "first run codes" \
    "||||quantity_exceeds_remaining|item_not_found|||order_not_shippable|order_not_shippable|order_canceled|order_not_found" \
    "|$(column "$E2E_WORK/first" error_code)"
assert_eq "rejects.csv codes" \
    "quantity_exceeds_remaining,item_not_found,order_not_shippable,order_not_shippable,order_canceled,order_not_found" \
    "$(csv_column "$E2E_WORK/first/rejects.csv" error_code | tr '\n' ',' | sed 's/,$//')"
case $(field "$E2E_WORK/first" warning 2) in
*"carrier Speedy Local Couriers is not on the store's carrier list"*) ok "unlisted carrier warned" ;;
*) fail "row 2's warning: '$(field "$E2E_WORK/first" warning 2)'" ;;
esac
case $(field "$E2E_WORK/first" warning 3) in
*"package_id PKG-2001-1 ignored"*) ok "package_id warned, row shipped" ;;
*) fail "row 3's warning: '$(field "$E2E_WORK/first" warning 3)'" ;;
esac
assert_eq "no carrier warning on listed carriers" "" \
    "$(csv_column "$E2E_WORK/first/results.csv" warning | sed -n '1p;3p;6p;7p' | grep -c carrier | grep -v '^0$')"
assert_eq "summary counts the warning kinds" "1 1" \
    "$(summary "$E2E_WORK/first" '"\(.warnings.carrier_not_listed) \(.warnings.package_ignored)"')"

# what was sent: the carrier list once, codes mapped, send_email inside fulfillment
assert_eq "carrier list read once" 1 \
    "$(jq -s '[.[] | select(.path | endswith("/tracking/carriers"))] | length' "$E2E_WORK/requests.jsonl")"
sim_state "$E2E_WORK/state1.json"
by_number() {   # by_number STATE NUMBER: "tracking company code" of each active fulfillment
    jq -r --arg n "$2" '.orders[] | select(.number == $n) | .fulfillments[]
        | select(.status != "cancelled")
        | "\(.tracking_number) \(.tracking_company) \(.tracking_company_code // "-")"' "$1"
}
assert_eq "2001's fulfillments: codes mapped, the unlisted carrier by name only" \
    "1234567891 DHL Express dhl
SLC-20261124-0001 Speedy Local Couriers -
7023210039414604 Canada Post canada-post" "$(by_number "$E2E_WORK/state1.json" 00002001)"
put=$(jq -c -s '[.[] | select(.method == "PUT")] | .[0].body | fromjson' "$E2E_WORK/requests.jsonl")
# notified says what the request carried: a create carries no flag (the store's setting
# decides), the update carried send_email=true, a cancel carries none
assert_eq "notified: empty on creates and the cancel, yes on the update" \
    "||||||yes|||||" "|$(column "$E2E_WORK/first" notified)"
assert_eq "update: send_email inside fulfillment, not beside it" "true null" \
    "$(echo "$put" | jq -r '"\(.fulfillment.send_email) \(.send_email)"')"
assert_eq "2002 after the update: both numbers on its one fulfillment" \
    "1Z999AA10123456784,1Z999AA10123456828" \
    "$(jq -r '.orders[] | select(.number == "00002002") | .fulfillments[0].tracking_items
        | map(.tracking_number) | join(",")' "$E2E_WORK/state1.json")"
assert_eq "2003 after the cancel: its fulfillment cancelled, the order waiting again" \
    "cancelled waiting" \
    "$(jq -r '.orders[] | select(.number == "00002003") | "\(.fulfillments[0].status) \(.fulfillment_status)"' \
        "$E2E_WORK/state1.json")"
assert_eq "refused orders untouched" 0 \
    "$(jq '[.orders[] | select(.number | IN("00002004", "00002005", "00002006")) | .fulfillments[]] | length' \
        "$E2E_WORK/state1.json")"

case $(field "$E2E_WORK/first" error_message 11) in
"no order named 9999 (Request-Id: "????????-????-????-????-????????????")") ok "order_not_found carries the 404's Request-Id" ;;
*) fail "unknown order's message: '$(field "$E2E_WORK/first" error_message 11)'" ;;
esac

# the same manifest again: nothing is written
sim_stats "$E2E_WORK/stats1.json"
run_import "$E2E_WORK/second" --platform shoplazza -t generic-csv "$manifest"
check_reports "$E2E_WORK/second" "$records"
sim_stats "$E2E_WORK/stats2.json"
assert_eq "second run: zero writes" "$(stats_write_requests "$E2E_WORK/stats1.json")" \
    "$(stats_write_requests "$E2E_WORK/stats2.json")"
assert_eq "second run statuses" \
    "duplicate|duplicate|duplicate|conflict|unmatched|duplicate|duplicate|unmatched|unmatched|unmatched|unmatched" \
    "$(column "$E2E_WORK/second" status)"

# the Request-Id of the answer that found nothing: an id the batched /orders?ids= answer left
# out (a 200), and an auto reference (WooCommerce's order_id: an id first, then a number).
# #2008's status (archived) is one shipload does not know, so it sends and the store itself
# refuses: 422 "invalid status of the order", order_not_shippable.
cat >"$E2E_WORK/ids.csv" <<'CSV'
order_id,tracking_number,carrier
633130-00002005,1Z999AA10123456873,UPS
633130-09999999,1Z999AA10123456882,UPS
633130-00002008,1Z999AA10123456891,UPS
CSV
run_import "$E2E_WORK/ids" --platform shoplazza -t generic-csv "$E2E_WORK/ids.csv"
check_reports "$E2E_WORK/ids" 3
assert_eq "ids: statuses" "unmatched|unmatched|rejected" "$(column "$E2E_WORK/ids" status)"
assert_eq "ids: the store's own 422 on an order it will not ship" "order_not_shippable 422" \
    "$(field "$E2E_WORK/ids" error_code 3) $(field "$E2E_WORK/ids" http_status 3)"
case $(field "$E2E_WORK/ids" error_message 3) in
*"invalid status of the order"*"(Request-Id: "????????-????-????-????-????????????")") ok "the store's order_not_shippable 422 keeps its message and Request-Id" ;;
*) fail "store's 422 on #2008: '$(field "$E2E_WORK/ids" error_message 3)'" ;;
esac
assert_eq "ids: rejects.csv codes" "order_not_shippable,order_not_found,order_not_shippable" \
    "$(csv_column "$E2E_WORK/ids/rejects.csv" error_code | tr '\n' ',' | sed 's/,$//')"
case $(field "$E2E_WORK/ids" error_message 2) in
"no order with id 633130-09999999 (Request-Id: "????????-????-????-????-????????????")") ok "an id left out of a batch carries the batch answer's Request-Id" ;;
*) fail "id left out of a batch: '$(field "$E2E_WORK/ids" error_message 2)'" ;;
esac
cat >"$E2E_WORK/auto.csv" <<'CSV'
order_id,tracking_provider,tracking_number,date_shipped,status_shipped,sku,qty
9998,UPS,1Z999AA10123456908,21-11-2026,1,,
CSV
run_import "$E2E_WORK/auto" --platform shoplazza -t woocommerce-ast "$E2E_WORK/auto.csv"
check_reports "$E2E_WORK/auto" 1
case $(field "$E2E_WORK/auto" error_message 1) in
"no order with id or name 9998 (Request-Id: "????????-????-????-????-????????????")") ok "an auto reference found by neither carries the Request-Id" ;;
*) fail "auto reference: '$(field "$E2E_WORK/auto" error_message 1)'" ;;
esac

# 401: the bare-string shape; the run stops, every row accounted for
SHIPLOAD_API_TOKEN=wrong-token "$SHIPLOAD" import --platform shoplazza --api-url "$SIM_URL" \
    -o "$E2E_WORK/badtoken" --progress=never --no-preflight -t generic-csv "$manifest" \
    >"$E2E_WORK/badtoken.out" 2>"$E2E_WORK/badtoken.err"
RC=$?
assert_eq "401: exit 3" 3 "$RC"
check_reports "$E2E_WORK/badtoken" "$records"
assert_eq "401: every row that needed the API is auth_failed" auth_failed \
    "$(csv_column "$E2E_WORK/badtoken/results.csv" error_code | sort -u | tr '\n' ' ' | sed 's/ $//')"
assert_eq "401: rejects.csv holds them all" "$records" "$(csv_records "$E2E_WORK/badtoken/rejects.csv")"
assert_eq "401: codes in rejects.csv" auth_failed \
    "$(csv_column "$E2E_WORK/badtoken/rejects.csv" error_code | sort -u)"
sim_stop

# a 422 of the store's own, with its Request-Id
sim_start --platform shoplazza --store "$STORE" --latency-ms 700 || e2e_finish
printf 'order_number,sku,quantity,tracking_number,carrier\n#2007,GLOVE-KNT,1,1Z999AA10123456873,UPS\n' \
    >"$E2E_WORK/race-a.csv"
printf 'order_number,sku,quantity,tracking_number,carrier\n#2007,GLOVE-KNT,1,1Z999AA10123456882,UPS\n' \
    >"$E2E_WORK/race-b.csv"
start_import "$E2E_WORK/race-a" --platform shoplazza -t generic-csv -v "$E2E_WORK/race-a.csv"
pid_a=$IMPORT_PID
mkdir -p "$E2E_WORK/machine-b"
XDG_RUNTIME_DIR=$E2E_WORK/machine-b start_import "$E2E_WORK/race-b" --platform shoplazza \
    -t generic-csv -v "$E2E_WORK/race-b.csv"
wait "$pid_a" "$IMPORT_PID"
statuses_ab="$(field "$E2E_WORK/race-a" status 1),$(field "$E2E_WORK/race-b" status 1)"
case $statuses_ab in
shipped,rejected) loser=race-b ;;
rejected,shipped) loser=race-a ;;
*) loser=""; fail "race: statuses $statuses_ab, not one shipped and one rejected: $(head -c 600 "$E2E_WORK/race-a/results.csv") $(head -c 600 "$E2E_WORK/race-b/results.csv")" ;;
esac
if [ -n "$loser" ]; then
    dir=$E2E_WORK/$loser
    check_reports "$dir" 1
    assert_eq "race: the refused row's code and HTTP status" "quantity_exceeds_remaining 422" \
        "$(field "$dir" error_code 1) $(field "$dir" http_status 1)"
    assert_eq "race: rejects.csv names it" quantity_exceeds_remaining \
        "$(csv_column "$dir/rejects.csv" error_code)"
    message=$(field "$dir" error_message 1)
    request_id=$(echo "$message" | sed -n 's/.*(Request-Id: \([0-9a-f-]*\))$/\1/p')
    case $request_id in
    ????????-????-????-????-????????????) ok "race: the message ends with the Request-Id" ;;
    *) fail "race: no Request-Id at the end of '$message'" ;;
    esac
    assert_eq "race: the -v log shows that Request-Id on the 422 answer" 1 \
        "$(grep -c -- "-> 422 \[Request-Id: $request_id\]" "$dir.err")"
    assert_eq "race: rejects.csv carries the Request-Id too" 1 \
        "$(grep -c -- "Request-Id: $request_id" "$dir/rejects.csv")"
fi
assert_le "race: -v shows a Request-Id for every answer" 0 \
    "$(grep '^http: ' "$E2E_WORK/race-a.err" | grep -v -c 'Request-Id: ')"
sim_state "$E2E_WORK/race.json"
assert_eq "race: the glove shipped once" 1 \
    "$(jq '[.orders[] | select(.number == "00002007") | .fulfillments[]] | length' "$E2E_WORK/race.json")"
assert_file_lacks "token" "$E2E_TOKEN" "$E2E_WORK/race-a.err" "$E2E_WORK/race-b.err" \
    "$E2E_WORK/first/results.csv"
sim_stop

e2e_finish
