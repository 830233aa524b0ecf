#!/usr/bin/env bash
# test_import_orderprotection_samples.sh: the OrderProtection samples (samples/orderprotection/:
# generic-csv.csv and sku-lines.csv, detected without -t, whose order ids hold '#' and spaces)
# imported into store-sim --platform orderprotection seeded with samples/orderprotection/
# store.json. Each gives the checked-in tests/e2e/expected/orderprotection/<sample>.results.csv,
# .rejects.csv and .exit and holds the conservation invariant; afterwards the store holds exactly
# expected/orderprotection/fulfillments.tsv (order, sourceFulfillmentId, status, tracking
# numbers, items). The same manifests again: every row that succeeded is duplicate, every other
# row ends as before, and the store received zero writes (store-sim --record-requests: GETs only).
# SHIPLOAD_REGENERATE=1 writes the expected files instead (read each one before checking it in).
. "$(dirname "$0")/lib/e2e.sh"

samples=$SHIPLOAD_SOURCE_DIR/samples/orderprotection
expected=$SHIPLOAD_SOURCE_DIR/tests/e2e/expected/orderprotection
record=$E2E_WORK/requests.jsonl

# The store's fulfillments, one per line (tab-separated), sorted.
fulfillments_tsv() {
    jq -r '.orders[] | .sourceOrderId as $order | (.fulfillments // [])[] |
        [$order, .sourceFulfillmentId, .fulfillmentStatus, (.trackingNumber | join(";")),
         (.sourceItemIds | map("\(.sourceItemId)x\(.quantity)") | sort | join(";"))] | @tsv' "$1" |
        LC_ALL=C sort
}

# The delimiter of a sample, which its rejects.csv keeps.
delimiter() { case $1 in sku-lines) echo ';' ;; *) echo ',' ;; esac; }

# check_op_reports DIR RECORDS DELIM: check_reports (lib/e2e.sh) for a rejects.csv in DELIM.
check_op_reports() {
    local dir=$1 sum
    [ -f "$dir/results.csv" ] && [ -f "$dir/rejects.csv" ] && [ -f "$dir/summary.json" ] ||
        { fail "$(basename "$dir"): no reports (exit $RC): $(head -c 1000 "$dir.err")"; return 1; }
    sum=$(jq '[.statuses[]] | add // 0' "$dir/summary.json")
    assert_eq "$(basename "$dir"): records = results.csv = sum of statuses" "$2 $2 $2" \
        "$(summary "$dir" .records) $(csv_records "$dir/results.csv") $sum" || return 1
    assert_eq "$(basename "$dir"): rejects.csv records = summary failed" \
        "$(summary "$dir" .failed)" "$(csv_records "$dir/rejects.csv")"
    assert_eq "$(basename "$dir"): every reject has a code" 0 \
        "$(DELIM=$3 csv_column "$dir/rejects.csv" -2 | grep -c -x '')"
}

import_sample() {   # import_sample NAME RUN: imports samples/orderprotection/NAME.csv
    local name=$1 dir=$E2E_WORK/$2-$1 records
    records=$(csv_records "$samples/$name.csv")
    run_import "$dir" --platform orderprotection "$samples/$name.csv"
    check_op_reports "$dir" "$records" "$(delimiter "$name")" || return 1
    jq -e --arg t "$name" '.template == $t or .template.name == $t' "$dir/summary.json" \
        >/dev/null || fail "$name: not detected as $name: $(jq -c .template "$dir/summary.json")"
}

sim_start --platform orderprotection --store "$samples/store.json" --record-requests "$record" ||
    e2e_finish
for name in generic-csv sku-lines; do
    import_sample "$name" first || continue
    dir=$E2E_WORK/first-$name
    if [ "${SHIPLOAD_REGENERATE:-}" = 1 ]; then
        cp "$dir/results.csv" "$expected/$name.csv.results.csv"
        cp "$dir/rejects.csv" "$expected/$name.csv.rejects.csv"
        echo "$RC" >"$expected/$name.csv.exit"
    fi
    assert_eq "$name: exit status" "$(cat "$expected/$name.csv.exit")" "$RC"
    cmp -s "$dir/results.csv" "$expected/$name.csv.results.csv" ||
        fail "$name: results.csv differs from expected/orderprotection/$name.csv.results.csv:
$(diff "$expected/$name.csv.results.csv" "$dir/results.csv" | head -20)"
    cmp -s "$dir/rejects.csv" "$expected/$name.csv.rejects.csv" ||
        fail "$name: rejects.csv differs from expected/orderprotection/$name.csv.rejects.csv:
$(diff "$expected/$name.csv.rejects.csv" "$dir/rejects.csv" | head -20)"
done
sim_state "$E2E_WORK/state1.json"
fulfillments_tsv "$E2E_WORK/state1.json" >"$E2E_WORK/state1.tsv"
[ "${SHIPLOAD_REGENERATE:-}" = 1 ] && cp "$E2E_WORK/state1.tsv" "$expected/fulfillments.tsv"
cmp -s "$E2E_WORK/state1.tsv" "$expected/fulfillments.tsv" ||
    fail "store state differs from expected/orderprotection/fulfillments.tsv:
$(diff "$expected/fulfillments.tsv" "$E2E_WORK/state1.tsv" | head -20)"
# '#' and spaces went percent-encoded on the wire (the simulator records the decoded path)
grep -q '"path":"/v1/orders/SO 1002/fulfillments"' "$record" &&
    grep -q '"path":"/v1/orders/#517AB/fulfillments"' "$record" ||
    fail "no create for the orders 'SO 1002' and '#517AB' in the recorded requests"
writes_before=$(grep -vc '"method":"GET"' "$record")

# the same manifests again: what succeeded is duplicate, the rest as before, nothing written
for name in generic-csv sku-lines; do
    import_sample "$name" second || continue
    paste -d' ' <(csv_column "$E2E_WORK/first-$name/results.csv" status) \
        <(csv_column "$E2E_WORK/second-$name/results.csv" status) |
        awk '{ want = ($1 == "shipped" || $1 == "updated" || $1 == "duplicate") ? "duplicate" : $1
               if ($2 != want) print NR ": " $1 " then " $2 }' >"$E2E_WORK/$name.again"
    [ -s "$E2E_WORK/$name.again" ] && fail "$name again: rows not duplicate or not as before:
$(cat "$E2E_WORK/$name.again")"
    assert_eq "$name again: same error codes" \
        "$(DELIM=$(delimiter "$name") csv_column "$E2E_WORK/first-$name/rejects.csv" -2)" \
        "$(DELIM=$(delimiter "$name") csv_column "$E2E_WORK/second-$name/rejects.csv" -2)"
done
assert_eq "second runs: zero writes" "$writes_before" "$(grep -vc '"method":"GET"' "$record")"
sim_state "$E2E_WORK/state2.json"
fulfillments_tsv "$E2E_WORK/state2.json" >"$E2E_WORK/state2.tsv"
cmp -s "$E2E_WORK/state1.tsv" "$E2E_WORK/state2.tsv" || fail "the store changed on the second runs"
assert_file_lacks "token" "$E2E_TOKEN" "$E2E_WORK"/first-* "$E2E_WORK"/second-*
sim_stop
e2e_finish
