#!/usr/bin/env bash
# test_import_journal.sh: the journal of writes and `shipload report --rebuild` (issue 19).
# Killed: an import is killed (SIGKILL) while writes are in flight; its report directory holds
#   journal.jsonl and no summary.json. `report --rebuild DIR` makes the reports from it and the
#   manifest it names: one line per record (conservation), and they account for every
#   fulfillment the run made in the store: each one's rows are `shipped`, or `failed` with
#   run_stopped when the run died before the answer was journaled; no `shipped` row is
#   missing from the store and no `not_attempted` row is in it. The journal is then removed;
#   a second rebuild says there is none (exit 2). While the import still ran, a rebuild was
#   refused (exit 75: the journal is locked).
# Journal alone: the same with the manifest gone: exit 1, the journaled rows with their
#   outcomes, every record counted, the journal kept.
# Disk error: the journal's fdatasync fails mid-run (EIO): the run stops before its next write,
#   its reports account for every fulfillment in the store, and a re-run ships only the rest.
# Completed: an import that ends normally leaves no journal; a leftover journal makes the
#   next import into that directory send nothing (exit 3, the message names the journal).
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl.
. "$(dirname "$0")/lib/e2e.sh"

store=$E2E_WORK/store.json
manifest=$E2E_WORK/manifest.csv
orders=$(scaled 400)
gen_store "$store" "$orders" 19 || e2e_finish
gen_manifest "$store" $((orders * 2)) "$manifest" || e2e_finish
records=$(csv_records "$manifest")
sim_start --store "$store" --latency-ms 25,10 || e2e_finish
sim_state "$E2E_WORK/start.state"
state_fulfillments "$E2E_WORK/start.state" | cut -d' ' -f2 | tr ';' '\n' | LC_ALL=C sort -u \
    >"$E2E_WORK/at_start"

# wait_for_writes MIN: the store applied MIN writes (or the import ended); fails after 60 s.
wait_for_writes() {
    local tries=0
    while kill -0 "$IMPORT_PID" 2>/dev/null; do
        sim_stats "$E2E_WORK/poll.stats" 2>/dev/null &&
            [ "$(stats_writes "$E2E_WORK/poll.stats")" -ge "$1" ] && return 0
        [ $tries -ge 1200 ] && { fail "no $1 writes within 60 s"; return 1; }
        sleep 0.05
        tries=$((tries + 1))
    done
}

# in_store LABEL: the tracking numbers of the fulfillments the run added, sorted, in LABEL.
in_store() {
    sim_state "$E2E_WORK/$1.state"
    state_fulfillments "$E2E_WORK/$1.state" | cut -d' ' -f2 | tr ';' '\n' | LC_ALL=C sort -u |
        LC_ALL=C comm -23 - "$E2E_WORK/at_start" >"$E2E_WORK/$1.in_store"
}

# accounted DIR LABEL: every fulfillment the run added (LABEL.in_store) has its rows shipped
# or sent-unknown (failed run_stopped) in DIR/results.csv; every shipped row is in the store;
# no not_attempted row is.
accounted() {
    local dir=$1 label=$2 missing phantom sent
    paste -d'|' <(csv_column "$dir/results.csv" status) <(csv_column "$dir/results.csv" error_code) \
        <(csv_column "$dir/results.csv" tracking_number) >"$dir.rows"
    awk -F'|' '$1 == "shipped" || ($1 == "failed" && $2 == "run_stopped") { print $3 }' "$dir.rows" |
        tr ';' '\n' | LC_ALL=C sort -u >"$dir.accounted"
    missing=$(LC_ALL=C comm -23 "$E2E_WORK/$label.in_store" "$dir.accounted")
    [ -z "$missing" ] || fail "$label: in the store but not in the rebuilt reports: $(echo "$missing" | head -3)"
    phantom=$(awk -F'|' '$1 == "shipped" { print $3 }' "$dir.rows" | tr ';' '\n' | LC_ALL=C sort -u |
        LC_ALL=C comm -23 - "$E2E_WORK/$label.in_store")
    [ -z "$phantom" ] || fail "$label: shipped rows not in the store: $(echo "$phantom" | head -3)"
    sent=$(awk -F'|' '$1 == "not_attempted" { print $3 }' "$dir.rows" | tr ';' '\n' | LC_ALL=C sort -u |
        LC_ALL=C comm -12 - "$E2E_WORK/$label.in_store")
    [ -z "$sent" ] || fail "$label: not_attempted rows in the store: $(echo "$sent" | head -3)"
    [ -s "$E2E_WORK/$label.in_store" ] || fail "$label: nothing reached the store"
}

# ---- killed mid-import, rebuilt with the manifest
dir=$E2E_WORK/killed
start_import "$dir" --concurrency 4 --batch-size 5 "$manifest"
wait_for_writes 12
if kill -0 "$IMPORT_PID" 2>/dev/null; then   # a live run's journal is not rebuilt
    "$SHIPLOAD" report --rebuild "$dir" >/dev/null 2>"$dir.live.err"
    RC=$?
    kill -0 "$IMPORT_PID" 2>/dev/null && assert_eq "rebuild of a live run: exit status ($(cat "$dir.live.err"))" 75 "$RC"
fi
kill -KILL "$IMPORT_PID" 2>/dev/null
wait "$IMPORT_PID" 2>/dev/null
sim_quiesce
[ -f "$dir/journal.jsonl" ] || fail "killed: no journal.jsonl in $dir: $(ls -a "$dir" | tr '\n' ' ')"
[ ! -f "$dir/summary.json" ] || fail "killed: a summary.json (the run was to be killed mid-way)"
in_store killed
"$SHIPLOAD" report --rebuild "$dir" >"$dir.rebuild.out" 2>"$dir.rebuild.err"
RC=$?
assert_eq "rebuild: exit status ($(cat "$dir.rebuild.err"))" 0 "$RC"
if check_reports "$dir" "$records"; then
    accounted "$dir" killed
    assert_eq "rebuild: summary.json complete" false "$(summary "$dir" .complete)"
    summary "$dir" .error | grep -q 'report --rebuild' || fail "rebuild: summary.json does not say it was rebuilt"
    note "killed after $(wc -l <"$E2E_WORK/killed.in_store") fulfillments; rebuilt: $(statuses "$dir")"
    ok "killed mid-import: the rebuilt reports account for every fulfillment in the store"
fi
[ ! -e "$dir/journal.jsonl" ] || fail "rebuild: the journal is still there"
"$SHIPLOAD" report --rebuild "$dir" >/dev/null 2>"$dir.again.err"
RC=$?
assert_eq "second rebuild: exit status" 2 "$RC"
grep -q 'no journal.jsonl' "$dir.again.err" || fail "second rebuild: $(cat "$dir.again.err")"

# ---- killed, rebuilt from the journal alone (the manifest moved away)
sim_reset || fail "POST /__sim/reset failed"
cp "$manifest" "$E2E_WORK/moving.csv"
dir=$E2E_WORK/alone
start_import "$dir" --concurrency 4 --batch-size 5 "$E2E_WORK/moving.csv"
wait_for_writes 12
kill -KILL "$IMPORT_PID" 2>/dev/null
wait "$IMPORT_PID" 2>/dev/null
sim_quiesce
in_store alone
rm "$E2E_WORK/moving.csv"
"$SHIPLOAD" report --rebuild "$dir" >"$dir.rebuild.out" 2>"$dir.rebuild.err"
RC=$?
assert_eq "journal alone: exit status ($(cat "$dir.rebuild.err"))" 1 "$RC"
if check_reports "$dir" "$records"; then
    accounted "$dir" alone
    ok "journal alone: every record counted, every fulfillment in the store accounted for"
fi
[ -f "$dir/journal.jsonl" ] || fail "journal alone: the journal was removed"

# ---- the journal's disk fails in the middle of the run: fdatasync answers EIO after 4 syncs
# (tests/e2e/lib/fail_sync.c, preloaded). No write starts after the failed sync; the reports
# account for every fulfillment the store got, the rest are not_attempted (run_stopped), and
# a re-run sends exactly the rest: the store then holds every row once.
sim_reset || fail "POST /__sim/reset failed"
sync_dir=$E2E_WORK/syncfail
if cc -shared -fPIC -o "$E2E_WORK/fail_sync.so" "$SHIPLOAD_SOURCE_DIR/tests/e2e/lib/fail_sync.c" \
        -ldl 2>"$E2E_WORK/fail_sync.err"; then
    export LD_PRELOAD=$E2E_WORK/fail_sync.so FAIL_SYNC_AFTER=4
    saved_asan_options=${ASAN_OPTIONS-}
    export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
    run_import "$sync_dir" --concurrency 4 --batch-size 5 "$manifest"
    unset LD_PRELOAD FAIL_SYNC_AFTER
    export ASAN_OPTIONS=$saved_asan_options
    assert_eq "journal fails mid-run: exit status" 3 "$RC"
    grep -q "journal.jsonl.*Input/output error" "$sync_dir.err" ||
        fail "journal fails mid-run: stderr does not name the journal and EIO: $(head -c 600 "$sync_dir.err")"
    sim_quiesce
    in_store syncfail
    if check_reports "$sync_dir" "$records"; then
        accounted "$sync_dir" syncfail
        stopped=$(paste -d'|' <(csv_column "$sync_dir/results.csv" status) \
            <(csv_column "$sync_dir/results.csv" error_code) | grep -c '^not_attempted|run_stopped$')
        [ "$stopped" -gt 0 ] || fail "journal fails mid-run: no row left unsent ($(statuses "$sync_dir"))"
        note "journal failed after 4 syncs: $(wc -l <"$E2E_WORK/syncfail.in_store") fulfillments in the store; $(statuses "$sync_dir")"
        ok "journal fails mid-run: every fulfillment in the store accounted for, the rest unsent"
    fi
    run_import "$sync_dir.again" --concurrency 4 --batch-size 5 "$manifest"
    check_reports "$sync_dir.again" "$records"
    in_store syncfail-again
    sent=$(awk -F'|' '$1 == "shipped" { print $3 }' "$sync_dir.rows" | tr ';' '\n' | LC_ALL=C sort -u)
    again=$(paste -d'|' <(csv_column "$sync_dir.again/results.csv" status) \
        <(csv_column "$sync_dir.again/results.csv" tracking_number) |
        awk -F'|' '$1 == "shipped" { print $2 }' | tr ';' '\n' | LC_ALL=C sort -u)
    assert_eq "re-run after the journal failed: nothing shipped twice" "" \
        "$(LC_ALL=C comm -12 <(echo "$sent") <(echo "$again"))"
    assert_eq "re-run: no row fails" 0 "$(status_count "$sync_dir.again" failed)"
else
    fail "cannot build fail_sync.so: $(head -c 600 "$E2E_WORK/fail_sync.err")"
fi

# ---- a run that completes leaves no journal; a leftover one stops the next run
sim_reset || fail "POST /__sim/reset failed"
run_import "$E2E_WORK/done" --concurrency 8 "$manifest"
check_reports "$E2E_WORK/done" "$records"
[ ! -e "$E2E_WORK/done/journal.jsonl" ] || fail "completed run: journal.jsonl left behind"
sim_stats "$E2E_WORK/before.stats"
run_import "$dir" --concurrency 8 "$manifest"   # $dir still holds its journal
sim_stats "$E2E_WORK/after.stats"
assert_eq "leftover journal: exit status" 3 "$RC"
grep -q "journal.jsonl exists" "$dir.err" || fail "leftover journal: not named: $(head -c 600 "$dir.err")"
assert_eq "leftover journal: write requests sent" "$(stats_write_requests "$E2E_WORK/before.stats")" \
    "$(stats_write_requests "$E2E_WORK/after.stats")"
e2e_finish
