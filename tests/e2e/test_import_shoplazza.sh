#!/usr/bin/env bash
# test_import_shoplazza.sh: shipload import --platform shoplazza against store-sim --platform
# shoplazza (tests/store-sim/fixtures/shoplazza_store.json): a generic-csv manifest by order
# number ("#1001", "1001" and zero-padded "00001002" all find their order) ships one
# fulfillment per order and tracking number with line item ids and ship quantities; an unpaid
# order (order_not_shippable), an unknown order (order_not_found) and an over-quantity row
# (quantity_exceeds_remaining) get their codes in results.csv and rejects.csv; the Request-Id
# is not lost and the token never appears; the same manifest again is all duplicate for the
# shipped rows with zero writes; an export, filled in and imported at the default pace (no
# 429), leaves a second export empty.
. "$(dirname "$0")/lib/e2e.sh"

STORE=$SHIPLOAD_SOURCE_DIR/tests/store-sim/fixtures/shoplazza_store.json
manifest=$E2E_WORK/shoplazza.csv
cat >"$manifest" <<'CSV'
order_number,sku,quantity,tracking_number,carrier
#1001,TSHIRT-BLU-M,2,1Z999AA10123456784,UPS
1001,MUG-CER-WHT,1,1Z999AA10123456784,UPS
00001002,HOODIE-GRY-M,1,1Z999AA10123456793,UPS
1003,CAP-BSB-NVY,1,9400111899223100001243,USPS
9999,TSHIRT-BLU-M,1,9400111899223100001250,USPS
1001,MUG-CER-WHT,5,9400111899223100001267,USPS
CSV
import() { run_import "$1" --platform shoplazza -t generic-csv "$manifest"; }
rows() { csv_column "$1/results.csv" "$2" | tr '\n' ',' | sed 's/,$//'; }

sim_start --platform shoplazza --store "$STORE" || exit 1
import "$E2E_WORK/first"
check_reports "$E2E_WORK/first" 6
check_exit "$E2E_WORK/first"
assert_eq "first run statuses" "shipped,shipped,shipped,unmatched,unmatched,unmatched" \
    "$(rows "$E2E_WORK/first" status)"
assert_eq "first run codes" ",,,order_not_shippable,order_not_found,quantity_exceeds_remaining" \
    "$(rows "$E2E_WORK/first" error_code)"
assert_eq "rejects.csv holds the three refusals" 3 "$(csv_records "$E2E_WORK/first/rejects.csv")"
assert_eq "rejects.csv codes" "order_not_shippable,order_not_found,quantity_exceeds_remaining" \
    "$(csv_column "$E2E_WORK/first/rejects.csv" error_code | tr '\n' ',' | sed 's/,$//')"
sim_state "$E2E_WORK/state1.json"
assert_eq "1001: one fulfillment of both items, tracking set" \
    '1Z999AA10123456784 shipped ed8af005-1f4e-42d1-859d-99b0fd420781=2,4c2b9d1e-7a3f-4e8b-9c1d-2f5a6b7c8d90=1' \
    "$(jq -r '.orders[] | select(.number == "00001001") | .fulfillments[] | "\(.tracking_number) \(.status) \(.line_items | map("\(.id)=\(.ship_quantity)") | join(","))"' "$E2E_WORK/state1.json")"
assert_eq "1001: one mug of the two left (3 ordered, 1 refunded)" partially_shipped \
    "$(jq -r '.orders[] | select(.number == "00001001") | .fulfillment_status' "$E2E_WORK/state1.json")"
assert_eq "1002: the fixture's two fulfillments and one new" 3 \
    "$(jq '.orders[] | select(.number == "00001002") | .fulfillments | length' "$E2E_WORK/state1.json")"
assert_eq "1003 (unpaid) untouched" 0 \
    "$(jq '.orders[] | select(.number == "00001003") | .fulfillments | length' "$E2E_WORK/state1.json")"
assert_file_lacks "token" "$E2E_TOKEN" "$E2E_WORK/first/results.csv" "$E2E_WORK/first.err"

sim_stats "$E2E_WORK/stats1.json"
assert_eq "first run: two writes" 2 "$(stats_writes "$E2E_WORK/stats1.json")"
assert_eq "first run: no 429" 0 "$(stats_requests "$E2E_WORK/stats1.json" "" 429)"
import "$E2E_WORK/second"
check_reports "$E2E_WORK/second" 6
sim_stats "$E2E_WORK/stats2.json"
assert_eq "second run: zero writes" "$(stats_writes "$E2E_WORK/stats1.json")" \
    "$(stats_writes "$E2E_WORK/stats2.json")"
assert_eq "second run statuses" "duplicate,duplicate,duplicate,unmatched,unmatched,unmatched" \
    "$(rows "$E2E_WORK/second" status)"
sim_stop

# export round trip on a generated store, at the default pace (2/s): zero 429 answers, and the
# second export is empty
sim_start --platform shoplazza --generate 40 || exit 1
SHIPLOAD_API_TOKEN=$E2E_TOKEN "$SHIPLOAD" export --platform shoplazza --api-url "$SIM_URL" \
    -o "$E2E_WORK/exp1.csv" --progress=never >/dev/null 2>&1
assert_eq "first export exits 0" 0 "$?"
python3 - "$E2E_WORK/exp1.csv" "$E2E_WORK/filled.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
out = csv.DictWriter(open(sys.argv[2], "w", newline=""), fieldnames=rows[0].keys())
out.writeheader()
for row in rows:
    row["tracking_number"] = "LP00" + row["order_id"].split("-")[1] + "CN"
    row["carrier"] = "YunExpress"
    out.writerow(row)
PY
run_import "$E2E_WORK/rt" --platform shoplazza -t generic-csv "$E2E_WORK/filled.csv"
assert_eq "round trip import exits 0" 0 "$RC"
sim_stats "$E2E_WORK/stats3.json"
assert_eq "paced run: no 429" 0 "$(stats_requests "$E2E_WORK/stats3.json" "" 429)"
SHIPLOAD_API_TOKEN=$E2E_TOKEN "$SHIPLOAD" export --platform shoplazza --api-url "$SIM_URL" \
    -o "$E2E_WORK/exp2.csv" --progress=never >/dev/null 2>&1
assert_eq "first export lists the 40 orders' items" 1 "$([ "$(csv_records "$E2E_WORK/exp1.csv")" -gt 40 ] && echo 1)"
assert_eq "second export is the header alone" 1 "$(wc -l <"$E2E_WORK/exp2.csv")"
sim_stop

# --shop and --api-url: a bad --shop is a configuration error (exit 2)
SHIPLOAD_API_TOKEN=$E2E_TOKEN "$SHIPLOAD" import --platform shoplazza --shop 'a/b' \
    -o "$E2E_WORK/badshop" -t generic-csv "$manifest" >/dev/null 2>"$E2E_WORK/badshop.err"
assert_eq "--shop a/b exits 2" 2 "$?"

[ "$E2E_FAILED" = 0 ] && echo "test_import_shoplazza: ok"
exit $((E2E_FAILED > 0))
