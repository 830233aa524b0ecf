#!/usr/bin/env bash
# test_import_crash.sh: killing `shipload import` never ships twice or loses work (spec §7, §10).
# SIGKILL: the import is killed at a seeded random moment (three moments), then run again to the
#   end: the store's fulfillments (per package: tracking numbers and item quantities, ids and
#   times ignored) equal those of an uninterrupted run on a fresh simulator, and the re-run's
#   rows are all `shipped` or `duplicate`.
# SIGTERM: the import stops within a few seconds and writes complete reports: one line per
#   record (conservation), unattempted rows `not_attempted` (there are some: the store is slow),
#   every `shipped` row's fulfillment in the store and no `not_attempted` row's, exit status
#   143 (128 + SIGTERM) and "complete": false in summary.json;
#   a re-run then completes the same store as the uninterrupted run.
# SHIPLOAD_CRASH_SEED picks other kill moments (default 42). Smaller under sanitizers.
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl.
. "$(dirname "$0")/lib/e2e.sh"

RANDOM=${SHIPLOAD_CRASH_SEED:-42}
store=$E2E_WORK/store.json
manifest=$E2E_WORK/manifest.csv
orders=$(scaled 600)
gen_store "$store" "$orders" 31 || e2e_finish
gen_manifest "$store" $((orders * 5 / 2)) "$manifest" || e2e_finish
records=$(csv_records "$manifest")
latency=(--latency-ms 15,5)    # slow enough that a kill lands mid-run
import_args=(--concurrency 4 --batch-size 5)

# Reference: an uninterrupted run on a fresh simulator.
sim_start --store "$store" "${latency[@]}" || e2e_finish
started=$(date +%s%N)
run_import "$E2E_WORK/reference" "${import_args[@]}" "$manifest"
reference_ms=$((($(date +%s%N) - started) / 1000000))
check_reports "$E2E_WORK/reference" "$records"
assert_eq "reference run: exit status ($(statuses "$E2E_WORK/reference"))" 0 "$RC"
sim_state "$E2E_WORK/reference.state"
state_fulfillments "$E2E_WORK/reference.state" >"$E2E_WORK/reference.fulfillments"
sim_stats "$E2E_WORK/reference.stats"
total_writes=$(stats_writes "$E2E_WORK/reference.stats")
note "reference run: $records rows in ${reference_ms} ms"
sim_stop

# wait_for_writes MIN: polls /__sim/stats until the store applied at least MIN writes (or the
# import ended); fails after 60 s.
wait_for_writes() {
    local tries=0
    while kill -0 "$IMPORT_PID" 2>/dev/null; do
        sim_stats "$E2E_WORK/poll.stats" 2>/dev/null &&
            [ "$(stats_writes "$E2E_WORK/poll.stats")" -ge "$1" ] && return 0
        [ $tries -ge 1200 ] && { fail "no $1 writes within 60 s"; return 1; }
        sleep 0.05
        tries=$((tries + 1))
    done
    return 0
}

# compare_with_reference LABEL: the store now equals the reference run's store.
compare_with_reference() {
    sim_state "$E2E_WORK/$1.state"
    state_fulfillments "$E2E_WORK/$1.state" >"$E2E_WORK/$1.fulfillments"
    cmp -s "$E2E_WORK/reference.fulfillments" "$E2E_WORK/$1.fulfillments" ||
        fail "$1: store differs from the uninterrupted run's (reference < > this):
$(diff "$E2E_WORK/reference.fulfillments" "$E2E_WORK/$1.fulfillments" | head -10)"
    local doubles
    doubles=$(state_double_shipped "$E2E_WORK/$1.state")
    [ -z "$doubles" ] || fail "$1: shipped twice: $(echo "$doubles" | head -5)"
}

# SIGKILL at three seeded moments, each on a fresh store (reset).
sim_start --store "$store" "${latency[@]}" || e2e_finish
for round in 1 2 3; do
    sim_reset || { fail "POST /__sim/reset failed"; break; }
    # kill after a random share (5% to 85%) of the writes the reference run made
    at=$((total_writes * (5 + RANDOM % 81) / 100))
    start_import "$E2E_WORK/kill$round" "${import_args[@]}" "$manifest"
    wait_for_writes "$at"
    kill -KILL "$IMPORT_PID" 2>/dev/null
    wait "$IMPORT_PID" 2>/dev/null
    sim_quiesce
    sim_stats "$E2E_WORK/kill$round.stats"
    note "round $round: killed after $(stats_writes "$E2E_WORK/kill$round.stats") writes (aimed at $at)"
    # no complete report may pretend to be one: either no summary.json, or a consistent set
    if [ -f "$E2E_WORK/kill$round/summary.json" ]; then
        RC=137 check_reports "$E2E_WORK/kill$round" "$records"
    fi
    run_import "$E2E_WORK/rerun$round" "${import_args[@]}" "$manifest"
    check_reports "$E2E_WORK/rerun$round" "$records"
    assert_eq "rerun $round: exit status ($(statuses "$E2E_WORK/rerun$round"))" 0 "$RC"
    successes=$(($(status_count "$E2E_WORK/rerun$round" shipped) + $(status_count "$E2E_WORK/rerun$round" duplicate)))
    assert_eq "rerun $round: rows shipped or duplicate" "$records" "$successes"
    compare_with_reference "rerun$round"
done

# SIGTERM: a slower store so that many rows are still to go when the signal arrives.
sim_stop
sim_start --store "$store" --latency-ms 40 || e2e_finish
start_import "$E2E_WORK/term" --concurrency 2 --batch-size 5 "$manifest"
wait_for_writes 3
kill -TERM "$IMPORT_PID"
tries=0
while kill -0 "$IMPORT_PID" 2>/dev/null && [ $tries -lt 600 ]; do   # "a few seconds"; 30 s for a loaded machine
    sleep 0.05
    tries=$((tries + 1))
done
if kill -0 "$IMPORT_PID" 2>/dev/null; then
    fail "SIGTERM: the import still runs 30 s after the signal"
    kill -KILL "$IMPORT_PID"
fi
wait "$IMPORT_PID"
RC=$?
dir=$E2E_WORK/term
if check_reports "$dir" "$records"; then
    assert_eq "SIGTERM: exit status (128 + 15)" 143 "$RC"
    assert_eq "SIGTERM: summary.json complete" false "$(summary "$dir" .complete)"
    not_attempted=$(status_count "$dir" not_attempted)
    [ "$not_attempted" -gt 0 ] || fail "SIGTERM: no not_attempted rows ($(statuses "$dir"))"
    assert_eq "SIGTERM: not_attempted in summary.json" "$not_attempted" \
        "$(summary "$dir" '.statuses.not_attempted // 0')"
    assert_eq "SIGTERM: not_attempted rows coded interrupted" "$not_attempted" \
        "$(paste -d' ' <(csv_column "$dir/results.csv" status) \
            <(csv_column "$dir/results.csv" error_code) | grep -c -x 'not_attempted interrupted')"
    sim_state "$dir.state"
    state_fulfillments "$dir.state" | cut -d' ' -f2 | tr ';' '\n' | LC_ALL=C sort -u >"$dir.in_store"
    paste -d' ' <(csv_column "$dir/results.csv" status) <(csv_column "$dir/results.csv" tracking_number) >"$dir.rows"
    lost=$(awk '$1 == "shipped" { print $2 }' "$dir.rows" | LC_ALL=C sort -u | LC_ALL=C comm -23 - "$dir.in_store")
    [ -z "$lost" ] || fail "SIGTERM: rows reported shipped but not in the store: $(echo "$lost" | head -3)"
    sent=$(awk '$1 == "not_attempted" { print $2 }' "$dir.rows" | LC_ALL=C sort -u | LC_ALL=C comm -12 - "$dir.in_store")
    [ -z "$sent" ] || fail "SIGTERM: rows reported not_attempted but shipped: $(echo "$sent" | head -3)"
    note "SIGTERM: exit $RC, $(statuses "$dir")"
fi
leftover=""
for file in "$dir"/* "$dir"/.[!.]*; do
    [ -e "$file" ] || continue
    case ${file##*/} in results.csv | rejects.csv | results.xlsx | report.html | summary.json) ;; *) leftover="$leftover ${file##*/}" ;; esac
done
[ -z "$leftover" ] || fail "SIGTERM: files left in the report directory: $leftover"
run_import "$E2E_WORK/term-rerun" --concurrency 8 "$manifest"
check_reports "$E2E_WORK/term-rerun" "$records"
assert_eq "after SIGTERM, rerun: exit status ($(statuses "$E2E_WORK/term-rerun"))" 0 "$RC"
compare_with_reference term-rerun
e2e_finish
