#!/usr/bin/env bash
# test_import_shoplazza_samples.sh: each manifest of samples/shoplazza/ (a 3PL's SKU-line
# export, sku-lines.csv, detected without -t) imported with --platform shoplazza into a fresh
# store-sim --platform shoplazza seeded with samples/shoplazza/store.json gives the checked-in
# tests/e2e/expected/shoplazza/<sample>.results.csv (the columns that do not hold ids the
# simulator makes up) and leaves the store holding exactly <sample>.state.tsv (one line per
# fulfillment: order number, status, tracking numbers, carrier, carrier code, SKU=quantity).
# The same manifest a second time is all duplicate for the rows that shipped, the others as
# before, with zero writes (store-sim --record-requests: no request but GETs).
# SHIPLOAD_REGENERATE=1 writes the expected files instead (read them before checking them in).
. "$(dirname "$0")/lib/e2e.sh"

samples=$SHIPLOAD_SOURCE_DIR/samples/shoplazza
expected=$SHIPLOAD_SOURCE_DIR/tests/e2e/expected/shoplazza
columns=record,order_ref,order_name,sku,quantity,tracking_number,carrier,status,error_code,error_message,http_status,warning,notified

# results_subset RESULTS: the stable columns of a results.csv
results_subset() {
    python3 - "$1" "$columns" <<'PY'
import csv, sys
wanted = sys.argv[2].split(",")
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(wanted)
for row in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    out.writerow([row[c] for c in wanted])
PY
}

# state_tsv STATE: the store's fulfillments, sorted
state_tsv() {
    jq -r '.orders[] | .number as $n | .fulfillments[]? | [$n, .status,
            ((.tracking_items // []) | map(.tracking_number) | join(";")),
            (.tracking_company // ""), (.tracking_company_code // "-"),
            (.line_items | map("\(.sku)=\(.ship_quantity)") | sort | join(","))] | @tsv' "$1" |
        LC_ALL=C sort
}

# compare WHAT EXPECTED_FILE ACTUAL_FILE
compare() {
    if [ "${SHIPLOAD_REGENERATE:-}" = 1 ]; then
        mkdir -p "$(dirname "$2")" && cp "$3" "$2" && note "wrote $2"
    elif ! diff -u "$2" "$3" >"$3.diff"; then
        fail "$1 differs from $(basename "$2"): $(head -c 3000 "$3.diff")"
    fi
}

for sample in "$samples"/*.csv; do
    name=$(basename "$sample")
    records=$(csv_records "$sample")
    sim_start --platform shoplazza --store "$samples/store.json" \
        --record-requests "$E2E_WORK/$name.requests" || e2e_finish
    run_import "$E2E_WORK/$name.1" --platform shoplazza "$sample"
    check_reports "$E2E_WORK/$name.1" "$records"
    check_exit "$E2E_WORK/$name.1"
    results_subset "$E2E_WORK/$name.1/results.csv" >"$E2E_WORK/$name.results.csv"
    compare "$name: results" "$expected/$name.results.csv" "$E2E_WORK/$name.results.csv"
    sim_state "$E2E_WORK/$name.state.json"
    state_tsv "$E2E_WORK/$name.state.json" >"$E2E_WORK/$name.state.tsv"
    compare "$name: store state" "$expected/$name.state.tsv" "$E2E_WORK/$name.state.tsv"
    assert_file_lacks "$name: token" "$E2E_TOKEN" "$E2E_WORK/$name.1"

    writes_before=$(jq -s '[.[] | select(.method != "GET")] | length' "$E2E_WORK/$name.requests")
    run_import "$E2E_WORK/$name.2" --platform shoplazza "$sample"
    check_reports "$E2E_WORK/$name.2" "$records"
    assert_eq "$name: second run sends no write" "$writes_before" \
        "$(jq -s '[.[] | select(.method != "GET")] | length' "$E2E_WORK/$name.requests")"
    # rows that shipped are duplicate now; the others end as they did
    paste -d' ' <(csv_column "$E2E_WORK/$name.1/results.csv" status) \
        <(csv_column "$E2E_WORK/$name.2/results.csv" status) |
        awk '{ want = ($1 == "shipped") ? "duplicate" : $1 } $2 != want { print NR ": " $0 }' \
        >"$E2E_WORK/$name.rerun"
    [ -s "$E2E_WORK/$name.rerun" ] &&
        fail "$name: second run, rows not duplicate (first second): $(head -5 "$E2E_WORK/$name.rerun")"
    sim_state "$E2E_WORK/$name.state2.json"
    assert_eq "$name: the store did not change" "$(cat "$E2E_WORK/$name.state.tsv")" \
        "$(state_tsv "$E2E_WORK/$name.state2.json")"
    sim_stop
    [ "$E2E_FAILED" = 0 ] && ok "$name"
done

e2e_finish
