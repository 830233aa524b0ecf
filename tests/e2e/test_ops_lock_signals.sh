#!/usr/bin/env bash
# test_ops_lock_signals.sh: one run per store, and signals (issue 15), the real binary.
# - two overlapping runs against one store: the second exits 75 naming the holder and sends
#   nothing (it carries another token, so anything it sent would show as a 401 in
#   /__sim/stats); with --wait-lock 1 it still gives up with 75; once the first ended, a run
#   goes through; a run of another store (another URL) is not held back;
# - SIGINT and SIGTERM mid-send: exit 130 and 143, reports complete (conservation, rejects =
#   failures), "complete": false in summary.json, unsent rows not_attempted/interrupted.
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl.
. "$(dirname "$0")/lib/e2e.sh"
export XDG_RUNTIME_DIR=$E2E_WORK   # the lock files of this test stay in its work directory

store=$E2E_WORK/store.json
manifest=$E2E_WORK/manifest.csv
orders=200   # latency-bound (the store answers slowly): not scaled under sanitizers, so the first run is still going when the second ones start
gen_store "$store" "$orders" 11 || e2e_finish
gen_manifest "$store" $((orders * 2)) "$manifest" || e2e_finish
records=$(csv_records "$manifest")

# wait_for_writes MIN: until the store applied MIN writes (or the import ended); 60 s at most.
wait_for_writes() {
    local tries=0
    while kill -0 "$IMPORT_PID" 2>/dev/null; do
        sim_stats "$E2E_WORK/poll.stats" 2>/dev/null &&
            [ "$(stats_writes "$E2E_WORK/poll.stats")" -ge "$1" ] && return 0
        [ $tries -ge 1200 ] && { fail "no $1 writes within 60 s"; return 1; }
        sleep 0.05
        tries=$((tries + 1))
    done
    fail "the import ended before $1 writes: the store is too fast for this test"
    return 1
}

# 1. overlapping runs
sim_start --store "$store" --latency-ms 40 || e2e_finish
start_import "$E2E_WORK/first" --concurrency 2 --batch-size 2 "$manifest"
wait_for_writes 2
for wait in 0 1; do
    dir=$E2E_WORK/second-$wait
    SHIPLOAD_API_TOKEN=sl-second-run-$$ "$SHIPLOAD" import --api-url "$SIM_URL" -o "$dir" \
        --wait-lock "$wait" "$manifest" >"$dir.out" 2>"$dir.err"
    RC=$?
    assert_eq "second run (--wait-lock $wait): exit status" 75 "$RC"
    grep -q "another shipload run (pid $IMPORT_PID) holds the lock of ecart $SIM_URL" "$dir.err" ||
        fail "second run: the message does not name the holder: $(cat "$dir.err")"
    [ -e "$dir" ] && fail "second run: a report directory was made"
done
kill -0 "$IMPORT_PID" 2>/dev/null || fail "the first run ended before the second ones: not overlapping"
# another store (another URL) is not held back by this one's lock
sim_url_first=$SIM_URL
sim_start --store "$store" || e2e_finish
run_import "$E2E_WORK/other-store" --dry-run "$manifest"
assert_eq "a run of another store meanwhile: exit status" 0 "$RC"
sim_stop
SIM_URL=$sim_url_first
wait "$IMPORT_PID"
RC=$?
assert_eq "first run: exit status" 0 "$RC"
sim_stats "$E2E_WORK/overlap.stats"
assert_eq "the second runs sent nothing (no request with their token)" 0 \
    "$(stats_requests "$E2E_WORK/overlap.stats" "" 401)"
run_import "$E2E_WORK/third" "$manifest"
assert_eq "a run after the first ended: exit status" 0 "$RC"
sim_stop

# 2. SIGINT and SIGTERM mid-send
for signal in INT TERM; do
    expected=$([ $signal = INT ] && echo 130 || echo 143)
    sim_start --store "$store" --latency-ms 40 || e2e_finish
    dir=$E2E_WORK/sig$signal
    start_import "$dir" --concurrency 2 --batch-size 2 "$manifest"
    wait_for_writes 3
    kill -"$signal" "$IMPORT_PID"
    wait "$IMPORT_PID"
    RC=$?
    assert_eq "SIG$signal: exit status" "$expected" "$RC"
    if check_reports "$dir" "$records"; then
        assert_eq "SIG$signal: summary.json complete" false "$(summary "$dir" .complete)"
        not_attempted=$(status_count "$dir" not_attempted)
        [ "$not_attempted" -gt 0 ] || fail "SIG$signal: no not_attempted rows ($(statuses "$dir"))"
        assert_eq "SIG$signal: not_attempted rows coded interrupted" "$not_attempted" \
            "$(paste -d' ' <(csv_column "$dir/results.csv" status) \
                <(csv_column "$dir/results.csv" error_code) | grep -c -x 'not_attempted interrupted')"
        note "SIG$signal: exit $RC, $(statuses "$dir")"
    fi
    ls -A "$dir" | grep -v -x -E 'results.csv|rejects.csv|results.xlsx|report.html|summary.json' | grep -q . &&
        fail "SIG$signal: temporary files left: $(ls -A "$dir")"
    sim_stop
done
e2e_finish
