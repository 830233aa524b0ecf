#!/usr/bin/env bash
# test_import_errors.sh: every matching, API and transport error code of spec §8 that store-sim
# can provoke, each from a row, shows in results.csv (status and code) and in rejects.csv (in the
# input's own columns plus error_code,error_message); then rejects.csv, fixed with sed, is fed
# back as it is (no -t: auto-detected) and its fixed rows ship.
# Store: tests/e2e/data/errors-store.json (orders 8101-8119, one per case; #8119 is the name of
# two orders, as on a platform aggregating sales channels; README in tests/e2e/data/README.md);
# manifest: tests/e2e/data/errors-manifest.csv.
# Transport codes (server_error, network_error, rate_limited, timeout) come from runs against a
# simulator that injects that fault on every request. auth_failed: test_import_token.sh.
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl.
. "$(dirname "$0")/lib/e2e.sh"

store=$E2E_DATA/errors-store.json
manifest=$E2E_DATA/errors-manifest.csv
records=$(csv_records "$manifest")

# record status error_code (what each row of errors-manifest.csv must end as)
expected_rows='1 unmatched quantity_exceeds_remaining
2 unmatched order_canceled
3 unmatched package_not_found
4 unmatched package_ambiguous
5 unmatched item_not_found
6 conflict already_fulfilled_different_tracking
7 rejected api_rejected
8 shipped -
9 unmatched order_not_found
10 invalid missing_order_ref
11 invalid missing_tracking_number
12 invalid bad_quantity
13 invalid bad_date
14 invalid bad_value
15 invalid bad_tracking_number
16 invalid malformed_record
17 invalid bad_encoding
18 shipped -
19 unmatched order_ambiguous'

sim_start --store "$store" || e2e_finish
dir=$E2E_WORK/errors
run_import "$dir" "$manifest"
check_reports "$dir" "$records" || e2e_finish
assert_eq "errors run: exit status" 1 "$RC"

# each row's status and code
paste -d' ' <(csv_column "$dir/results.csv" record) <(csv_column "$dir/results.csv" status) \
    <(csv_column "$dir/results.csv" error_code | sed 's/^$/-/') >"$dir.got"
diff <(echo "$expected_rows") "$dir.got" >"$dir.diff" ||
    fail "results.csv statuses and codes (expected < > got):
$(cat "$dir.diff")"

# rejects.csv: the input's header plus the error columns, then the failed rows, input order
assert_eq "rejects.csv header" "$(head -n 1 "$manifest"),error_code,error_message" \
    "$(head -n 1 "$dir/rejects.csv" | tr -d '\r')"
echo "$expected_rows" | awk '$2 != "shipped" { print $3 }' >"$dir.want_codes"
csv_column "$dir/rejects.csv" -2 >"$dir.reject_codes"
diff "$dir.want_codes" "$dir.reject_codes" >"$dir.rdiff" ||
    fail "rejects.csv error codes (expected < > got):
$(cat "$dir.rdiff")"
# every reject says why, and the API's own code is in the message of the refused row
[ "$(csv_column "$dir/rejects.csv" -1 | grep -c -x '')" = 0 ] ||
    fail "rejects.csv has rows without an error_message"
grep -q 'fulfillmentNotCancelable' "$dir/rejects.csv" ||
    fail "the api_rejected row's message lacks the API's code fulfillmentNotCancelable"
# the conflict names the number already there
grep '^#8106,' "$dir/rejects.csv" | grep -q '1Z8W2A479000001064' ||
    fail "the conflict row's message does not name the tracking number already on the package"
# the ambiguous name lists both orders it matches, in results.csv and in rejects.csv
ambiguous_result=$(paste -d' ' <(csv_column "$dir/results.csv" record) \
    <(csv_column "$dir/results.csv" error_message) | sed -n 's/^19 //p')
ambiguous_reject=$(grep '^#8119,' "$dir/rejects.csv")
for id in 9000000008119 9100000008119; do
    grep -q "$id" <<<"$ambiguous_result" ||
        fail "results.csv: the order_ambiguous message does not name order $id: $ambiguous_result"
    grep -q "$id" <<<"$ambiguous_reject" ||
        fail "rejects.csv: the order_ambiguous row does not name order $id: $ambiguous_reject"
done

# the store: only the two good rows created fulfillments; the refused cancel changed nothing
sim_state "$dir.state"
state_fulfillments "$store" >"$E2E_WORK/before"
state_fulfillments "$dir.state" | LC_ALL=C comm -13 "$E2E_WORK/before" - >"$dir.new"
assert_eq "fulfillments created by the errors run" \
    "49038490081081 1Z8W2A479000002081 li_8108_1_1:1,li_8108_1_2:2
49038490081181 1Z8W2A479000002189 li_8118_1_1:2" "$(cat "$dir.new")"
assert_eq "fulfillment of #8107 after the refused cancel" delivered \
    "$(jq -r '.orders[] | select(.name == "#8107") | .fulfillments[0].status.ecartapi' "$dir.state")"
[ "$E2E_FAILED" -eq 0 ] && ok "each error code from its row, in results.csv and rejects.csv"

# Fix rejects.csv with sed and feed it back as it is. Rows that cannot be fixed are deleted
# (canceled order, the delivered fulfillment); the conflict is fixed by giving the number the
# package already has (then it is a duplicate); the ambiguous name by giving the order_id of one
# of the two orders (the id wins over the name).
fixed=$E2E_WORK/rejects-fixed.csv
LC_ALL=C sed -e '/^#8102,/d' -e '/^#8107,/d' \
    -e '/^#8101,/s/,E-WIDGET,3,/,E-WIDGET,2,/' \
    -e '/^#8103,/s/,4903849999999,/,49038490081031,/' \
    -e '/^#8104,/s/^#8104,,,/#8104,,49038490081041,/' \
    -e '/^#8105,/s/,E-LAMPX,/,E-LAMP,/' \
    -e '/^#8106,/s/1Z8W2A479000002063/1Z8W2A479000001064/' \
    -e 's/^#8199,/#8109,/' \
    -e 's/^,,,,,1Z8W2A479000002107,/#8110,,,,,1Z8W2A479000002107,/' \
    -e '/^#8111,/s/,,UPS,/,1Z8W2A479000002116,UPS,/' \
    -e '/^#8112,/s/,two,/,2,/' \
    -e '/^#8113,/s/,2026-02-30,/,2026-11-21,/' \
    -e '/^#8114,/s/,maybe,/,N,/' \
    -e '/^#8115,/s/1Z8W2A479000002153/1Z8W2A479000002152/' \
    -e '/^#8116,/s/,ship,EXTRA,/,ship,/' \
    -e '/^#8117,/s/,UP[^,]*S,/,UPS,/' \
    -e '/^#8119,/s/^#8119,,/#8119,9100000008119,/' \
    "$dir/rejects.csv" >"$fixed"
fixed_records=$(csv_records "$fixed")
assert_eq "rows left in the fixed rejects.csv" 15 "$fixed_records"
run_import "$E2E_WORK/refeed" "$fixed"
if check_reports "$E2E_WORK/refeed" "$fixed_records"; then
    assert_eq "re-import of the fixed rejects.csv: exit status ($(statuses "$E2E_WORK/refeed"); $(head -c 300 "$E2E_WORK/refeed.err"))" 0 "$RC"
    assert_eq "re-import: rows shipped" 14 "$(status_count "$E2E_WORK/refeed" shipped)"
    assert_eq "re-import: the conflict fixed to the package's own number is a duplicate" 1 \
        "$(status_count "$E2E_WORK/refeed" duplicate)"
    sim_state "$E2E_WORK/refeed.state"
    for number in 2018 2036 2045 2054 2090 2107 2116 2125 2134 2143 2152 2161 2170 2198; do
        state_fulfillments "$E2E_WORK/refeed.state" | grep -q " 1Z8W2A47900000$number " ||
            fail "re-import: no fulfillment with tracking number 1Z8W2A47900000$number in the store"
    done
    [ -z "$(state_double_shipped "$E2E_WORK/refeed.state")" ] || fail "re-import: something shipped twice"
    # #8119 shipped on the order its fixed row names by id, and only there
    assert_eq "re-import: fulfillments of the two orders named #8119" \
        "9000000008119:
9100000008119:1Z8W2A479000002198" \
        "$(jq -r '.orders[] | select(.name == "#8119")
            | "\(.id):\([.fulfillments[]?.tracking.number] | join(","))"' "$E2E_WORK/refeed.state")"
    [ "$E2E_FAILED" -eq 0 ] && ok "rejects.csv fixed with sed re-imports: 14 shipped, 1 duplicate"
fi
sim_stop

# Transport codes: a simulator injecting one fault on every request; good rows only.
transport=$E2E_WORK/transport.csv
cat >"$transport" <<'EOF'
order_number,order_id,package_id,sku,quantity,tracking_number,carrier,tracking_url,ship_date,notify_customer,action
#8109,,,,,1Z8W2A479000002090,UPS,,2026-11-21,N,ship
#8110,,,,,1Z8W2A479000002107,UPS,,2026-11-21,N,ship
#8111,,,,,1Z8W2A479000002116,UPS,,2026-11-21,N,ship
#8112,,,E-STOOL,2,1Z8W2A479000002125,UPS,,2026-11-21,N,ship
#8113,,,,,1Z8W2A479000002134,UPS,,2026-11-21,N,ship
#8114,,,,,1Z8W2A479000002143,UPS,,2026-11-21,N,ship
EOF

# transport_case CODE STORE MANIFEST MAX_ATTEMPTS [store-sim flags...] -- [shipload flags...]
transport_case() {
    local code=$1 case_store=$2 case_manifest=$3 attempts=$4 sim_flags=() import_flags=()
    local failures_before=$E2E_FAILED
    shift 4
    while [ $# -gt 0 ] && [ "$1" != -- ]; do sim_flags+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    import_flags=("$@")
    sim_start --store "$case_store" --fault-seed 3 "${sim_flags[@]}" || return
    local case_dir=$E2E_WORK/transport-$code
    # --no-preflight: the faults hit every request, and these cases are about rows failing
    # mid-run (test_ops_preflight.sh covers the preflight refusing such an API)
    run_import "$case_dir" --no-preflight --max-attempts "$attempts" "${import_flags[@]}" "$case_manifest"
    sim_stop
    check_reports "$case_dir" "$(csv_records "$case_manifest")" || return
    case $RC in
    1 | 3) ;;   # 3 when the run calls the API unreachable (spec §9), else 1
    *) fail "$code: exit status $RC, expected 1 or 3" ;;
    esac
    local with_code
    with_code=$(paste -d' ' <(csv_column "$case_dir/results.csv" status) \
        <(csv_column "$case_dir/results.csv" error_code) | grep -c -x "failed $code")
    [ "$with_code" -ge 1 ] ||
        fail "$code: no row 'failed $code' ($(statuses "$case_dir"); codes: $(csv_column "$case_dir/results.csv" error_code | sort | uniq -c | tr '\n' ' '))"
    csv_column "$case_dir/rejects.csv" -2 | grep -q -x "$code" ||
        fail "$code: not in rejects.csv"
    [ "$(summary "$case_dir" ".error_codes.$code // 0")" -ge 1 ] ||
        fail "$code: not counted in summary.json error_codes"
    # rows left unsent when the API went away carry the transport code too (spec §10)
    local unsent_other
    unsent_other=$(paste -d' ' <(csv_column "$case_dir/results.csv" status) \
        <(csv_column "$case_dir/results.csv" error_code) |
        grep -E '^not_attempted ' | grep -c -v -x -E "not_attempted ($code|network_error|timeout)")
    assert_eq "$code: not_attempted rows without a transport code" 0 "$unsent_other"
    [ "$E2E_FAILED" -eq "$failures_before" ] && ok "$code: rows failed with $code"
}

transport_case server_error "$store" "$transport" 2 --fail-rate 1
transport_case network_error "$store" "$transport" 2 --drop-rate 1
transport_case timeout "$store" "$transport" 1 --hang-rate 1 --hang-ms 5000 -- --timeout 0.5
# A store limited to 1 request a second that shipload was not told of, 16 requests at once:
# the pacer (src/api/pacer.c) takes the first 429s as the limit and paces the run, so no
# request runs out of its 10 429s (rows rate_limited: test_hostile_api.sh, a store answering
# nothing but 429) and every row ships, with few 429s.
gen_store "$E2E_WORK/rl-store.json" 12 9 &&
    gen_manifest "$E2E_WORK/rl-store.json" 10 "$E2E_WORK/rl.csv" || e2e_finish
sim_start --store "$E2E_WORK/rl-store.json" --rate-limit 1 || e2e_finish
run_import "$E2E_WORK/rate-limited" --no-preflight --concurrency 16 "$E2E_WORK/rl.csv"
sim_stop
rl_records=$(csv_records "$E2E_WORK/rl.csv")
check_reports "$E2E_WORK/rate-limited" "$rl_records"
assert_eq "unknown limit of 1/s: exit status ($(statuses "$E2E_WORK/rate-limited"))" 0 "$RC"
assert_eq "unknown limit of 1/s: every row shipped" "$rl_records" \
    "$(status_count "$E2E_WORK/rate-limited" shipped)"
limited=$(summary "$E2E_WORK/rate-limited" '.rate.limited_429')
settled=$(summary "$E2E_WORK/rate-limited" '.rate.settled_per_second')
[ "$limited" -ge 1 ] && [ "$limited" -le 30 ] && ok "unknown limit of 1/s: $limited 429s, paced at $settled/s" ||
    fail "unknown limit of 1/s: $limited 429s (expected a few, the first ones)"
awk -v r="$settled" 'BEGIN { exit !(r > 0 && r <= 1.5) }' ||
    fail "unknown limit of 1/s: settled_per_second $settled"
e2e_finish
