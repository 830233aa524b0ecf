#!/usr/bin/env bash
# test_import_idempotence.sh: the same manifest imported twice (spec §6.0, §10 "no double
# shipping"). The first run ships every row and creates exactly the fulfillments the manifest
# describes; the second run reports every row `duplicate`, exits 0, sends no write (store-sim's
# /__sim/stats: no POST/PUT and no write applied) and leaves the store as it was. Both runs
# hold the conservation invariant. Run once with orders by name and once by id.
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl.
. "$(dirname "$0")/lib/e2e.sh"

orders=$(scaled 300)
store=$E2E_WORK/store.json
gen_store "$store" "$orders" 11 || e2e_finish

# import_twice LABEL [gen_manifest.sh options...]
import_twice() {
    local label=$1 manifest=$E2E_WORK/$1.csv records
    shift
    gen_manifest "$store" 0 "$manifest" "$@" || return
    records=$(csv_records "$manifest")
    sim_start --store "$store" || return

    run_import "$E2E_WORK/$label.first" "$manifest"
    check_reports "$E2E_WORK/$label.first" "$records" || return
    assert_eq "$label first run: exit status ($(statuses "$E2E_WORK/$label.first"))" 0 "$RC"
    assert_eq "$label first run: rows shipped" "$records" "$(status_count "$E2E_WORK/$label.first" shipped)"
    sim_state "$E2E_WORK/$label.state1"
    state_fulfillments "$store" >"$E2E_WORK/$label.before"
    state_fulfillments "$E2E_WORK/$label.state1" >"$E2E_WORK/$label.after"
    # the new fulfillments are exactly the expected ones
    LC_ALL=C comm -13 "$E2E_WORK/$label.before" "$E2E_WORK/$label.after" >"$E2E_WORK/$label.new"
    cmp -s "$E2E_WORK/$label.new" "$manifest.expected" ||
        fail "$label first run: fulfillments created differ from the manifest's (expected < > got):
$(diff "$manifest.expected" "$E2E_WORK/$label.new" | head -10)"
    [ -z "$(state_double_shipped "$E2E_WORK/$label.state1")" ] ||
        fail "$label first run: double shipped: $(state_double_shipped "$E2E_WORK/$label.state1" | head -5)"
    sim_stats "$E2E_WORK/$label.stats1"

    run_import "$E2E_WORK/$label.second" "$manifest"
    check_reports "$E2E_WORK/$label.second" "$records" || return
    assert_eq "$label second run: exit status" 0 "$RC"
    assert_eq "$label second run: rows duplicate ($(statuses "$E2E_WORK/$label.second"))" \
        "$records" "$(status_count "$E2E_WORK/$label.second" duplicate)"
    sim_stats "$E2E_WORK/$label.stats2"
    assert_eq "$label second run: writes applied by the store" \
        "$(stats_writes "$E2E_WORK/$label.stats1")" "$(stats_writes "$E2E_WORK/$label.stats2")"
    assert_eq "$label second run: write requests sent" \
        "$(stats_write_requests "$E2E_WORK/$label.stats1")" "$(stats_write_requests "$E2E_WORK/$label.stats2")"
    sim_state "$E2E_WORK/$label.state2"
    state_fulfillments "$E2E_WORK/$label.state2" >"$E2E_WORK/$label.after2"
    cmp -s "$E2E_WORK/$label.after" "$E2E_WORK/$label.after2" ||
        fail "$label second run changed the store's fulfillments"
    # a duplicate row names the fulfillment that already holds its number
    local missing_ids
    missing_ids=$(csv_column "$E2E_WORK/$label.second/results.csv" fulfillment_id | grep -c -x '')
    assert_eq "$label second run: duplicate rows without a fulfillment_id" 0 "$missing_ids"
    sim_stop
    ok "$label: $records rows shipped once, then all duplicate with no write"
}

import_twice by-name
import_twice by-id -i -s 3
e2e_finish
