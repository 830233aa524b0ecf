#!/usr/bin/env bash
# test_trust_input.sh: never send a tracking number a customer cannot use (issue 14). One
# manifest (tests/e2e/data/trust/manifest.csv, README there) holds each case: placeholders
# (N/A, TBD, 0), a UPS number of the wrong shape, a USPS number in scientific notation and one
# that lost its leading zero, one number on two orders at different addresses (refused) and on
# two orders at one address (a combined shipment: shipped), a date two template formats read
# differently, invalid bytes in a column nothing reads (shipped, warned) and in one that is read
# (bad_encoding), a ship date 183 days old (shipped, warned).
#  1. validate: statuses, codes, warnings (the shared number is only warned about offline).
#  2. import: statuses and codes; nothing sent for a refused row (/__sim/stats counts the
#     fulfillments created, /__sim/state holds none of the refused numbers); summary.json's
#     warnings per kind; conservation.
#  3. rejects.csv, fixed with sed, re-imports: every fixed row ships, nothing twice.
#  4. --allow-shared-tracking ships the shared number (dry run); --date-format settles the
#     ambiguous date; --no-verify-tracking lets the wrong shape (and the lost zero, found by
#     shape) through with a warning, not the placeholders or the scientific notation.
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, SHIPLOAD_TODAY=2026-12-01 (ctest sets them).
. "$(dirname "$0")/lib/e2e.sh"
export SHIPLOAD_TODAY=2026-12-01

data=$E2E_DATA/trust
manifest=$data/manifest.csv
template=$data/trust-csv.json
records=$(csv_records "$manifest")

# outcome DIR: "record status code" per line, "-" for no code.
outcome() {
    paste -d' ' <(csv_column "$1/results.csv" record) <(csv_column "$1/results.csv" status) \
        <(csv_column "$1/results.csv" error_code | sed 's/^$/-/')
}
# cell DIR RECORD COLUMN: one cell of results.csv.
cell() {
    paste -d'\t' <(csv_column "$1/results.csv" record) <(csv_column "$1/results.csv" "$3") |
        awk -F '\t' -v r="$2" '$1 == r { print $2; exit }'
}
# expect_in WHAT TEXT PART
expect_in() {
    case $2 in
    *"$3"*) return 0 ;;
    esac
    fail "$1: '$2' lacks '$3'"
}

refused='2 invalid missing_tracking_number
3 invalid missing_tracking_number
4 invalid missing_tracking_number
5 invalid bad_tracking_number
6 invalid bad_tracking_number
7 invalid bad_tracking_number'

# ---------------------------------------------------------------- 1. validate (offline)
dir=$E2E_WORK/validate
"$SHIPLOAD" validate -t "$template" -o "$dir" "$manifest" >"$dir.out" 2>"$dir.err"
RC=$?
check_reports "$dir" "$records"
assert_eq "validate: exit status" 1 "$RC"
diff <(printf '1 valid -\n%s\n8 valid -\n9 valid -\n10 valid -\n11 valid -\n12 invalid ambiguous_date\n13 valid -\n14 invalid bad_encoding\n15 valid -\n' "$refused") \
    <(outcome "$dir") >"$dir.diff" || fail "validate outcomes (expected < > got):
$(cat "$dir.diff")"
expect_in "validate record 2" "$(cell "$dir" 2 error_message)" "'N/A' is a placeholder, not a tracking number"
expect_in "validate record 5" "$(cell "$dir" 5 error_message)" "UPS numbers are 1Z followed by 16 letters and digits"
expect_in "validate record 6" "$(cell "$dir" 6 error_message)" "scientific notation"
expect_in "validate record 6" "$(cell "$dir" 6 error_message)" "format the column as text"
expect_in "validate record 7" "$(cell "$dir" 7 error_message)" "lost its leading zero (03071790000523483741"
expect_in "validate record 9" "$(cell "$dir" 9 warning)" "is also on order 9208 (record 8)"
expect_in "validate record 12" "$(cell "$dir" 12 error_message)" "reads as 2026-03-04 (%m/%d/%Y) and as 2026-04-03 (%d/%m/%Y)"
expect_in "validate record 13" "$(cell "$dir" 13 warning)" "column 'note' has bytes that are not valid"
expect_in "validate record 14" "$(cell "$dir" 14 error_message)" "column 'carrier'"
expect_in "validate record 14" "$(cell "$dir" 14 error_message)" "--encoding windows-1252"
expect_in "validate record 15" "$(cell "$dir" 15 warning)" "ship date 2026-06-01 is 183 days old"
assert_eq "validate: warnings in summary.json" \
    '{"tracking_reused":2,"ship_date_old":1,"bad_encoding_unread":1}' \
    "$(jq -c '.warnings' "$dir/summary.json")"
assert_eq "validate: ambiguous_date counted" 1 "$(summary "$dir" '.error_codes.ambiguous_date')"

# ---------------------------------------------------------------- 2. import
sim_start --store "$data/store.json" || e2e_finish
dir=$E2E_WORK/import
run_import "$dir" -t "$template" "$manifest"
check_reports "$dir" "$records"
check_exit "$dir"
diff <(printf '1 shipped -\n%s\n8 invalid tracking_reused\n9 invalid tracking_reused\n10 shipped -\n11 shipped -\n12 invalid ambiguous_date\n13 shipped -\n14 invalid bad_encoding\n15 shipped -\n' "$refused") \
    <(outcome "$dir") >"$dir.diff" || fail "import outcomes (expected < > got):
$(cat "$dir.diff")"
expect_in "import record 8" "$(cell "$dir" 8 error_message)" "also on order #9209, which ships to another address"
expect_in "import record 9" "$(cell "$dir" 9 error_message)" "also on order #9208"
assert_eq "import: warnings in summary.json" '{"ship_date_old":1,"bad_encoding_unread":1}' \
    "$(jq -c '.warnings' "$dir/summary.json")"
sim_stats "$dir.stats"
sim_state "$dir.state"
assert_eq "import: fulfillments created (rows 1, 10, 11, 13, 15)" 5 "$(stats_created "$dir.stats")"
# nothing of a refused row reached the store
for number in N/A TBD 1Z123456789 9.40011189922363E+21 3071790000523483741 \
    "$(cell "$dir" 8 tracking_number)" "$(cell "$dir" 12 tracking_number)" \
    "$(cell "$dir" 14 tracking_number)"; do
    jq -e --arg n "$number" '[.orders[].fulfillments[]? | (.tracking.numbers // [.tracking.number])[]
        | tostring] | index($n) == null' "$dir.state" >/dev/null ||
        fail "import: the refused number $number reached the store"
done
# rows 10 and 11 share one parcel: one number on two orders at one door
assert_eq "import: the combined shipment's number on two orders" 2 \
    "$(jq --arg n "$(cell "$dir" 10 tracking_number)" '[.orders[].fulfillments[]?
        | select(((.tracking.numbers // [.tracking.number]) | map(tostring) | index($n)) != null)]
        | length' "$dir.state")"

# ---------------------------------------------------------------- 3. rejects.csv, fixed, re-imported
fixed=$E2E_WORK/fixed.csv
sed -e 's/^9202,\(.*\),N\/A,/9202,\1,1Z9T4E020300158380,/' \
    -e 's/^9203,\(.*\),TBD,/9203,\1,1Z9T4E030300237579,/' \
    -e 's/^9204,\(T-9204,1\),0,/9204,\1,1Z9T4E040300316768,/' \
    -e 's/1Z123456789,/1Z9T4E050300395958,/' \
    -e 's/9\.40011189922363E+21,USPS/9400111201080805483016,USPS/' \
    -e 's/3071790000523483741,/03071790000523483741,/' \
    -e 's/^9209,\(T-9209,1\),1Z9T4E080300633524,/9209,\1,1Z9T4E090300712713,/' \
    -e 's|03/04/2026|2026-11-29|' \
    -e '/^9214,/s/,UPS[^,]*,/,UPS,/' "$dir/rejects.csv" >"$fixed"
assert_eq "the fixed carrier" 1 "$(grep -c '^9214,T-9214,1,[^,]*,UPS,' "$fixed")"
dir2=$E2E_WORK/refixed
run_import "$dir2" -t "$template" "$fixed"
check_reports "$dir2" 10
assert_eq "fixed rejects: exit status" 0 "$RC"
assert_eq "fixed rejects: every row shipped" 10 "$(status_count "$dir2" shipped)"
sim_state "$dir2.state"
assert_eq "fixed rejects: nothing shipped twice" "" "$(state_double_shipped "$dir2.state")"
sim_stats "$dir2.stats"
assert_eq "fulfillments created in all (15 orders, one each)" 15 "$(stats_created "$dir2.stats")"

# ---------------------------------------------------------------- 4. the switches
sim_reset
dir=$E2E_WORK/shared
run_import "$dir" -t "$template" --dry-run --allow-shared-tracking "$manifest"
assert_eq "--allow-shared-tracking: record 8" would_ship "$(cell "$dir" 8 status)"
assert_eq "--allow-shared-tracking: record 9" would_ship "$(cell "$dir" 9 status)"
sim_stats "$dir.stats"
assert_eq "dry run: nothing written" 0 "$(stats_write_requests "$dir.stats")"

dir=$E2E_WORK/date_format
"$SHIPLOAD" validate -t "$template" --date-format '%d/%m/%Y' -o "$dir" "$manifest" >/dev/null 2>&1
assert_eq "--date-format settles record 12" valid "$(cell "$dir" 12 status)"

dir=$E2E_WORK/no_verify
"$SHIPLOAD" validate -t "$template" --no-verify-tracking -o "$dir" "$manifest" >/dev/null 2>&1
assert_eq "--no-verify-tracking: the wrong shape is a warning" valid "$(cell "$dir" 5 status)"
expect_in "--no-verify-tracking: record 5" "$(cell "$dir" 5 warning)" "(not verified)"
diff <(echo "$refused" | sed '/^[57] /d') <(outcome "$dir" | sed -n '2,4p;6p') >"$dir.diff" ||
    fail "--no-verify-tracking keeps placeholders and scientific notation refused:
$(cat "$dir.diff")"

e2e_finish
