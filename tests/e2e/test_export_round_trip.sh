#!/usr/bin/env bash
# test_export_round_trip.sh: the loop the export closes (issue 5). On a store-sim generated
# with 2,000 orders: `shipload export` writes exactly the package items the store says are
# waiting to ship (computed here from /__sim/state), in the stable order (unfulfilled orders,
# then partially fulfilled ones, in the store's order; packages and items in order), the same
# bytes twice even when answers arrive out of order; a script fills in a UPS tracking number
# (with its check digit) per package; `shipload import` of that file with no -t detects
# generic-csv and every row is `shipped`; exactly the exported packages got a fulfillment with
# their number and none has anything left; a second export is empty.
source "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"

ORDERS=$(scaled 2000)
W=$E2E_WORK

run_export() {
    local name=$1
    shift
    SHIPLOAD_API_TOKEN=$E2E_TOKEN timeout -k 5 300 "$SHIPLOAD" export --api-url "$SIM_URL" "$@" \
        >"$W/$name.stdout" 2>"$W/$name.err"
    RC=$?
}

# waiting STATE: "order_id package_id sku remaining" for every item waiting to ship, in the
# order export promises.
waiting() {
    jq -r '
        def open_items($o): $o.packages[]
            | select(.status.ecartapi as $s | ["shipped", "delivered", "canceled", "refunded"]
                     | index($s) | not)
            | . as $p | .items[]
            | ((.quantity | tonumber) - ((.fulfilledQuantity // 0) | tonumber)) as $left
            | select($left > 0) | "\($o.id) \($p.id) \(.sku) \($left)";
        [.orders[] | select(.status.ecartapi != "canceled")] as $orders
        | ($orders[] | select(.fulfillmentStatus.ecartapi == "unfulfilled") | open_items(.)),
          ($orders[] | select(.fulfillmentStatus.ecartapi == "partial") | open_items(.))' "$1"
}

# fill_tracking IN OUT: a UPS 1Z number with a right check digit per package (column 3) in
# column 6, carrier UPS in column 7. The first seven columns of generated data are never quoted;
# a line inside a quoted field (an odd number of quotes so far) is copied as it is.
fill_tracking() {
    awk '
        function digit(c) { return c ~ /[0-9]/ ? c + 0 : (index("ABCDEFGHIJKLMNOPQRSTUVWXYZ", c) + 64 - 63) % 10 }
        function ups(n,    payload, i, sum) {
            payload = sprintf("8W2A4703%07d", n)
            sum = 0
            for (i = 1; i <= 15; i++) sum += digit(substr(payload, i, 1)) * (i % 2 ? 1 : 2)
            return "1Z" payload ((10 - sum % 10) % 10)
        }
        NR == 1 { print; next }
        {
            if (!inside) {
                split($0, f, ",")
                if (!(f[3] in number)) number[f[3]] = ups(++packages)
                prefix = f[1] "," f[2] "," f[3] "," f[4] "," f[5] ","
                rest = substr($0, length(prefix) + 1)
                if (substr(rest, 1, 2) != ",,") { print "unexpected row: " $0 > "/dev/stderr"; exit 1 }
                line = prefix number[f[3]] ",UPS" substr(rest, 2)
            } else line = $0
            if (gsub(/"/, "\"", line) % 2) inside = !inside
            print line
        }' "$1" >"$2"
}

gen_store "$W/store.json" "$ORDERS" 5 || e2e_finish
sim_start --store "$W/store.json" --latency-ms 3,3 || e2e_finish
sim_state "$W/before.json"
waiting "$W/before.json" >"$W/waiting.txt"
expected_rows=$(wc -l <"$W/waiting.txt")
[ "$expected_rows" -gt 100 ] || fail "the generated store has only $expected_rows items waiting"

run_export first --concurrency 8 -o "$W/export.csv"
assert_eq "export: exit" 0 "$RC"
paste -d' ' <(csv_column "$W/export.csv" order_id) <(csv_column "$W/export.csv" package_id) \
    <(csv_column "$W/export.csv" sku) <(csv_column "$W/export.csv" quantity) >"$W/exported.txt"
if cmp -s "$W/waiting.txt" "$W/exported.txt"; then
    ok "export = the $expected_rows items the store has waiting, in order"
else
    fail "export differs from the store's waiting items (expected < > exported):"
    diff "$W/waiting.txt" "$W/exported.txt" | head -20 >&2
fi
run_export second --concurrency 3 -o "$W/export2.csv"
cmp -s "$W/export.csv" "$W/export2.csv" || fail "two exports of the same store differ"

fill_tracking "$W/export.csv" "$W/filled.csv" || fail "fill_tracking failed"
assert_eq "filled rows" "$expected_rows" "$(csv_records "$W/filled.csv")"
"$SHIPLOAD" detect "$W/filled.csv" >"$W/detect.out" 2>&1
grep -q "generic-csv" "$W/detect.out" || fail "detect: $(cat "$W/detect.out")"

state_fulfillments "$W/before.json" >"$W/fulfillments.before"
run_import "$W/import" "$W/filled.csv"
check_reports "$W/import" "$expected_rows"
assert_eq "import: exit" 0 "$RC"
assert_eq "import: rows shipped" "$expected_rows" "$(status_count "$W/import" shipped)"
[ "$RC" = 0 ] || note "import statuses: $(statuses "$W/import" 2>/dev/null)"

sim_state "$W/after.json"
state_fulfillments "$W/after.json" >"$W/fulfillments.after"
# the new fulfillments: exactly one per exported package, with its number
comm -13 "$W/fulfillments.before" "$W/fulfillments.after" | awk '{ print $1, $2 }' | sort \
    >"$W/new.txt"
paste -d' ' <(csv_column "$W/filled.csv" fulfillment_order_id) \
    <(csv_column "$W/filled.csv" tracking_number) | sort -u >"$W/expected_new.txt"
if cmp -s "$W/expected_new.txt" "$W/new.txt"; then
    ok "$(wc -l <"$W/new.txt") new fulfillments: one per exported package, with its number"
else
    fail "new fulfillments differ from the exported packages (expected < > store):"
    diff "$W/expected_new.txt" "$W/new.txt" | head -20 >&2
fi
comm -23 "$W/fulfillments.before" "$W/fulfillments.after" | head -5 >"$W/lost.txt"
assert_eq "fulfillments that were there before and are gone" "" "$(cat "$W/lost.txt")"
assert_eq "items still waiting after the import" 0 "$(waiting "$W/after.json" | wc -l)"
assert_eq "double shipped" "" "$(state_double_shipped "$W/after.json")"

run_export empty -o "$W/empty.csv"
assert_eq "second export: exit" 0 "$RC"
assert_eq "second export: rows" 0 "$(csv_records "$W/empty.csv")"
assert_eq "second export: the header" "$(head -n 1 "$W/export.csv")" "$(cat "$W/empty.csv")"
grep -q "nothing is waiting to ship" "$W/empty.err" || fail "no warning on the empty export"

e2e_finish
