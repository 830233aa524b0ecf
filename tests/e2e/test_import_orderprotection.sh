#!/usr/bin/env bash
# test_import_orderprotection.sh: shipload import --platform orderprotection against store-sim
# --platform orderprotection (tests/store-sim/fixtures/orderprotection_store.json, whose
# sourceOrderIds hold "#" and a space): SKU rows ship as one fulfillment per order and tracking
# set, under a sourceFulfillmentId derived from what ships; a cancelled order, an unknown order,
# an unknown SKU and an over-quantity row get their codes in results.csv and rejects.csv; the
# same manifest again is all duplicate or the same refusals, with zero writes; writes answered
# 500 after they landed (--commit-fail-rate 1) are settled by reading the order back (shipped),
# with no second fulfillment; rows without SKUs ship all that remains; update and cancel rows
# are unsupported_by_platform (nothing sent), and --on-conflict=update is refused at start
# (exit 2); an order_number column is looked up as the sourceOrderId (the only reference).
. "$(dirname "$0")/lib/e2e.sh"

STORE=$SHIPLOAD_SOURCE_DIR/tests/store-sim/fixtures/orderprotection_store.json
manifest=$E2E_WORK/op.csv
cat >"$manifest" <<'CSV'
order_id,sku,quantity,tracking_number,carrier
#517AB,TSHIRT-BLU-M,1,612345678913,FedEx
#517AB,MUG-CER-WHT,2,612345678913,FedEx
SO 1002,HOODIE-GRY-M,1,612345678924,FedEx
1003,CAP-BSB-NVY,1,612345678935,FedEx
nope,TSHIRT-BLU-M,1,612345678946,FedEx
#517AB,NOPE-SKU,1,612345678913,FedEx
SO 1002,HOODIE-GRY-M,1,612345678957,FedEx
CSV
import() { run_import "$1" --platform orderprotection -t generic-csv "$manifest"; }
row() { csv_column "$1/results.csv" status | sed -n "${2}p"; }
code() { csv_column "$1/results.csv" error_code | sed -n "${2}p"; }

sim_start --platform orderprotection --store "$STORE" || exit 1
import "$E2E_WORK/first"
check_reports "$E2E_WORK/first" 7
check_exit "$E2E_WORK/first"
assert_eq "first run statuses" "shipped shipped shipped unmatched unmatched unmatched unmatched" \
    "$(for i in 1 2 3 4 5 6 7; do row "$E2E_WORK/first" $i; done | tr '\n' ' ' | sed 's/ $//')"
assert_eq "first run codes" ",,,order_canceled,order_not_found,item_not_found,quantity_exceeds_remaining" \
    "$(for i in 1 2 3 4 5 6 7; do code "$E2E_WORK/first" $i; done | tr '\n' ',' | sed 's/,$//')"
assert_eq "rejects.csv holds the four refusals" 4 "$(csv_records "$E2E_WORK/first/rejects.csv")"
sim_state "$E2E_WORK/state1.json"
assert_eq "#517AB: one fulfillment of both SKUs" '1478=1,1479=2' \
    "$(jq -r '.orders[] | select(.sourceOrderId == "#517AB") | .fulfillments[0].sourceItemIds | map("\(.sourceItemId)=\(.quantity)") | join(",")' "$E2E_WORK/state1.json")"
id=$(jq -r '.orders[] | select(.sourceOrderId == "#517AB") | .fulfillments[0].sourceFulfillmentId' "$E2E_WORK/state1.json")
case $id in sl-????????????????????????) ok "sourceFulfillmentId $id" ;; *) fail "sourceFulfillmentId '$id'" ;; esac
assert_eq "SO 1002: the fixture's fulfillment and one new" 2 \
    "$(jq '.orders[] | select(.sourceOrderId == "SO 1002") | .fulfillments | length' "$E2E_WORK/state1.json")"
assert_file_lacks "token" "$E2E_TOKEN" "$E2E_WORK/first/results.csv" "$E2E_WORK/first.err"

sim_stats "$E2E_WORK/stats1.json"
import "$E2E_WORK/second"
check_reports "$E2E_WORK/second" 7
sim_stats "$E2E_WORK/stats2.json"
assert_eq "second run: zero writes" "$(stats_writes "$E2E_WORK/stats1.json")" "$(stats_writes "$E2E_WORK/stats2.json")"
assert_eq "second run: shipped rows are duplicate" "duplicate duplicate duplicate" \
    "$(for i in 1 2 3; do row "$E2E_WORK/second" $i; done | tr '\n' ' ' | sed 's/ $//')"
sim_stop

# an unknown outcome: the write lands, the answer is a 500; the re-run names the same id
sim_start --platform orderprotection --store "$STORE" --commit-fail-rate 1 || exit 1
run_import "$E2E_WORK/lost" --platform orderprotection -t generic-csv --max-attempts 2 "$manifest"
check_reports "$E2E_WORK/lost" 7
assert_eq "answers lost after landing: settled by the read-back as shipped" "shipped shipped shipped" \
    "$(for i in 1 2 3; do row "$E2E_WORK/lost" $i; done | tr '\n' ' ' | sed 's/ $//')"
sim_state "$E2E_WORK/state2.json"
assert_eq "no second fulfillment after unknown outcomes" 1 \
    "$(jq '.orders[] | select(.sourceOrderId == "#517AB") | .fulfillments | length' "$E2E_WORK/state2.json")"
assert_eq "the landed fulfillment has the derived id" "$id" \
    "$(jq -r '.orders[] | select(.sourceOrderId == "#517AB") | .fulfillments[0].sourceFulfillmentId' "$E2E_WORK/state2.json")"
sim_stop

# rows without SKUs ship everything that remains of the order (refunded units excluded)
whole=$E2E_WORK/whole.csv
printf 'order_id,tracking_number,carrier\n#517AB,612345678913,FedEx\nSO 1002,612345678924,FedEx\n' >"$whole"
sim_start --platform orderprotection --store "$STORE" || exit 1
run_import "$E2E_WORK/whole" --platform orderprotection -t generic-csv "$whole"
check_reports "$E2E_WORK/whole" 2
assert_eq "whole-order rows shipped" "shipped shipped" \
    "$(for i in 1 2; do row "$E2E_WORK/whole" $i; done | tr '\n' ' ' | sed 's/ $//')"
sim_state "$E2E_WORK/state3.json"
assert_eq "#517AB: all that remained (2 and 3 - 1 refunded)" '1478=2,1479=2' \
    "$(jq -r '.orders[] | select(.sourceOrderId == "#517AB") | .fulfillments[0].sourceItemIds | map("\(.sourceItemId)=\(.quantity)") | join(",")' "$E2E_WORK/state3.json")"
assert_eq "SO 1002: the one unit left" '2001=1' \
    "$(jq -r '.orders[] | select(.sourceOrderId == "SO 1002") | .fulfillments[1].sourceItemIds | map("\(.sourceItemId)=\(.quantity)") | join(",")' "$E2E_WORK/state3.json")"
# update and cancel rows: unsupported_by_platform, nothing sent; --on-conflict=update: exit 2
printf 'order_id,tracking_number,carrier,action\nSO 1002,612345678902,FedEx,cancel\nSO 1002,612345678902,FedEx,update\n' \
    >"$E2E_WORK/changes.csv"
sim_stats "$E2E_WORK/stats3.json"
run_import "$E2E_WORK/changes" --platform orderprotection -t generic-csv "$E2E_WORK/changes.csv"
check_reports "$E2E_WORK/changes" 2
assert_eq "a cancel row" "invalid/unsupported_by_platform" "$(row "$E2E_WORK/changes" 1)/$(code "$E2E_WORK/changes" 1)"
assert_eq "an update row naming the fulfillment's own tracking: refused all the same" \
    "invalid/unsupported_by_platform" "$(row "$E2E_WORK/changes" 2)/$(code "$E2E_WORK/changes" 2)"
sim_stats "$E2E_WORK/stats4.json"
assert_eq "cancel and update rows sent nothing" "$(stats_writes "$E2E_WORK/stats3.json")" \
    "$(stats_writes "$E2E_WORK/stats4.json")"
run_import "$E2E_WORK/conflict" --platform orderprotection -t generic-csv --on-conflict=update "$manifest"
assert_eq "--on-conflict=update refused at start" 2 "$RC"
grep -q "cannot change a fulfillment's tracking" "$E2E_WORK/conflict.err" && ok "the refusal says why" ||
    fail "--on-conflict=update: $(cat "$E2E_WORK/conflict.err")"
# an order_number column: this platform finds orders by id only, and that id is the merchant's
# own reference, so the number is looked up as the id, as written ('#' kept)
sed 's/^order_id,/order_number,/' "$whole" >"$E2E_WORK/names.csv"
sim_stats "$E2E_WORK/stats5.json"
run_import "$E2E_WORK/names" --platform orderprotection -t generic-csv "$E2E_WORK/names.csv"
check_reports "$E2E_WORK/names" 2
assert_eq "order numbers name the same orders: duplicate of the whole-order rows" "duplicate duplicate" \
    "$(for i in 1 2; do row "$E2E_WORK/names" $i; done | tr '\n' ' ' | sed 's/ $//')"
sim_stats "$E2E_WORK/stats6.json"
assert_eq "order numbers: nothing sent" "$(stats_writes "$E2E_WORK/stats5.json")" \
    "$(stats_writes "$E2E_WORK/stats6.json")"
sim_stop

[ "$E2E_FAILED" = 0 ] && echo "test_import_orderprotection: ok"
exit $((E2E_FAILED > 0))
