#!/usr/bin/env bash
# test_import_faults.sh: `shipload import` of a 5,000-row generated manifest against store-sim
# with --fail-rate 0.05 --commit-fail-rate 0.05 --drop-rate 0.02 --rate-limit 200 (issue 4).
# Afterwards: no package holds a tracking number twice (writes answered 500 after they were
# applied are reconciled, not re-sent); every row is accounted for (conservation, rejects =
# failures); the exit status follows the rows (0 all succeeded, else 1); every `shipped` row's
# fulfillment is in the store and the store holds no fulfillment the manifest did not ask for;
# a second run on the same store completes the rest: every package of the manifest then holds
# exactly the expected fulfillment, once. Sizes are divided by 4 under sanitizers.
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl.
. "$(dirname "$0")/lib/e2e.sh"

rows=$(scaled 5000)
store=$E2E_WORK/store.json
manifest=$E2E_WORK/manifest.csv
gen_store "$store" $((rows * 2 / 5)) 23 || e2e_finish
gen_manifest "$store" "$rows" "$manifest" || e2e_finish
records=$(csv_records "$manifest")
note "$records rows over $(cut -d' ' -f1 "$manifest.expected" | wc -l) packages"
sim_start --store "$store" --fault-seed 7 --fail-rate 0.05 --commit-fail-rate 0.05 \
    --drop-rate 0.02 --rate-limit 200 || e2e_finish
state_fulfillments "$store" >"$E2E_WORK/before"

# new_fulfillments STATE OUT: the fulfillments the runs created (not in the initial store).
new_fulfillments() {
    state_fulfillments "$1" | LC_ALL=C comm -13 "$E2E_WORK/before" - >"$2"
}

# check_run DIR: what must hold after any run against the faulty store.
check_run() {
    local dir=$1 label
    label=$(basename "$dir")
    check_reports "$dir" "$records" || return
    check_exit "$dir"
    sim_state "$dir.state"
    local doubles
    doubles=$(state_double_shipped "$dir.state")
    [ -z "$doubles" ] || fail "$label: packages shipped twice with one number: $(echo "$doubles" | head -5)"
    new_fulfillments "$dir.state" "$dir.new"
    # nothing beyond what the manifest asked for
    local extra
    extra=$(LC_ALL=C comm -23 "$dir.new" "$manifest.expected")
    [ -z "$extra" ] || fail "$label: fulfillments the manifest did not ask for: $(echo "$extra" | head -5)"
    # every shipped row's tracking number is in the store
    local shipped_numbers missing
    csv_column "$dir/results.csv" status >"$dir.statuses"
    csv_column "$dir/results.csv" tracking_number >"$dir.numbers"
    shipped_numbers=$(paste -d' ' "$dir.statuses" "$dir.numbers" |
        awk '$1 == "shipped" || $1 == "duplicate" { print $2 }' | LC_ALL=C sort -u)
    missing=$(LC_ALL=C comm -23 <(echo "$shipped_numbers") \
        <(cut -d' ' -f2 "$dir.new" | tr ';' '\n' | LC_ALL=C sort -u) | grep -v '^$')
    [ -z "$missing" ] || fail "$label: rows reported shipped whose number is not in the store: $(echo "$missing" | head -5)"
    # the only failure codes a faulty transport may cause
    local odd_codes
    odd_codes=$(csv_column "$dir/rejects.csv" -2 | sort -u |
        grep -v -x -E 'rate_limited|server_error|network_error|timeout')
    [ -z "$odd_codes" ] || fail "$label: unexpected error codes under faults: $odd_codes"
    note "$label: exit $RC, $(statuses "$dir"), retries $(summary "$dir" .retries)"
}

run_import "$E2E_WORK/first" "$manifest"
check_run "$E2E_WORK/first"
[ "$(summary "$E2E_WORK/first" .retries)" -gt 0 ] 2>/dev/null ||
    fail "first: no retries reported in summary.json under injected faults"

# A second run finishes what the faults stopped; the shipped rows are now duplicates.
run_import "$E2E_WORK/second" "$manifest"
check_run "$E2E_WORK/second"
first_shipped=$(status_count "$E2E_WORK/first" shipped)
second_duplicates=$(status_count "$E2E_WORK/second" duplicate)
[ "$second_duplicates" -ge "$first_shipped" ] ||
    fail "second: $second_duplicates duplicate rows, but the first run shipped $first_shipped"

# Repeat until every row is a success (each run makes progress) and check the final store.
for _ in 3 4 5; do   # runs 3 to 5
    [ "$(summary "$E2E_WORK/second" .failed)" = 0 ] && break
    rm -rf "$E2E_WORK/second"
    run_import "$E2E_WORK/second" "$manifest"
    check_run "$E2E_WORK/second"
done
assert_eq "after up to 5 runs: rows not a success" 0 "$(summary "$E2E_WORK/second" .failed)"
cmp -s "$E2E_WORK/second.new" "$manifest.expected" ||
    fail "final store differs from the manifest's fulfillments (expected < > got):
$(diff "$manifest.expected" "$E2E_WORK/second.new" | head -10)"
[ "$E2E_FAILED" -eq 0 ] && ok "$records rows under faults: every package shipped once, every row accounted for"
e2e_finish
