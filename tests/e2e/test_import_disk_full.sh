#!/usr/bin/env bash
# test_import_disk_full.sh: an import whose report directory fills up (issue 19). The report
# directory is a small tmpfs (needs root for mount; SKIP otherwise).
# Mid-import: once the store has applied some writes, a filler takes every free byte of the
# directory; the import still writes complete reports (it kept room for them before its first
# write) and they account for every write that reached the store: each fulfillment in
# /__sim/state has its row `shipped` in results.csv, and each `shipped` row's tracking number is
# in the store.
# Full before: a report directory without room: nothing is sent, exit 3, the message names the
# directory and ENOSPC.
# Full, then killed: the directory fills up mid-import, the import goes on sending (its journal
# of writes has its room allocated), then it is killed (SIGKILL) before any report is written;
# with the space back, `shipload report --rebuild` makes reports from the journal that account
# for every write that reached the store (and the completed run of the first case left no
# journal).
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl.
. "$(dirname "$0")/lib/e2e.sh"

full=$E2E_WORK/full
mkdir -p "$full"
if ! mount -t tmpfs -o size=3m tmpfs "$full" 2>"$E2E_WORK/mount.err"; then
    echo "SKIP: cannot mount a tmpfs: $(cat "$E2E_WORK/mount.err")"
    exit 0
fi
trap 'cp -r "$full" "$E2E_WORK/full-copy" 2>/dev/null; umount "$full" 2>/dev/null; e2e_cleanup' EXIT

store=$E2E_WORK/store.json
manifest=$E2E_WORK/manifest.csv
orders=$(scaled 300)
gen_store "$store" "$orders" 7 || e2e_finish
gen_manifest "$store" $((orders * 2)) "$manifest" || e2e_finish
records=$(csv_records "$manifest")
sim_start --store "$store" --latency-ms 20 || e2e_finish
sim_state "$E2E_WORK/start.state"   # the generated store has fulfillments of its own
state_fulfillments "$E2E_WORK/start.state" | cut -d' ' -f2 | tr ';' '\n' | LC_ALL=C sort -u \
    >"$E2E_WORK/at_start"

wait_for_writes() {   # wait_for_writes MIN: the store applied MIN writes, or the import ended
    local tries=0
    while kill -0 "$IMPORT_PID" 2>/dev/null; do
        sim_stats "$E2E_WORK/poll.stats" 2>/dev/null &&
            [ "$(stats_writes "$E2E_WORK/poll.stats")" -ge "$1" ] && return 0
        [ $tries -ge 1200 ] && { fail "no $1 writes within 60 s"; return 1; }
        sleep 0.05
        tries=$((tries + 1))
    done
}

# ---- the disk fills up mid-import
SHIPLOAD_API_TOKEN=$E2E_TOKEN "$SHIPLOAD" import --api-url "$SIM_URL" -o "$full/run" \
    --progress=never --concurrency 2 --batch-size 5 "$manifest" \
    >"$E2E_WORK/run.out" 2>"$E2E_WORK/run.err" &
IMPORT_PID=$!
wait_for_writes 3
dd if=/dev/zero of="$full/filler" bs=64k 2>/dev/null   # until ENOSPC
note "filled: $(df -k --output=avail "$full" | tail -1) KiB left"
wait "$IMPORT_PID"
RC=$?
sim_quiesce
dir=$full/run
cat "$E2E_WORK/run.err" >&2
if check_reports "$dir" "$records"; then
    check_exit "$dir"
    sim_state "$E2E_WORK/mid.state"
    state_fulfillments "$E2E_WORK/mid.state" | cut -d' ' -f2 | tr ';' '\n' | LC_ALL=C sort -u |
        LC_ALL=C comm -23 - "$E2E_WORK/at_start" >"$E2E_WORK/in_store"   # written by the run
    paste -d' ' <(csv_column "$dir/results.csv" status) \
        <(csv_column "$dir/results.csv" tracking_number) >"$E2E_WORK/rows"
    awk '$1 == "shipped" { print $2 }' "$E2E_WORK/rows" | tr ';' '\n' | LC_ALL=C sort -u \
        >"$E2E_WORK/shipped"
    unreported=$(LC_ALL=C comm -23 "$E2E_WORK/in_store" "$E2E_WORK/shipped")
    [ -z "$unreported" ] || fail "writes in the store with no shipped row: $(echo "$unreported" | head -3)"
    phantom=$(LC_ALL=C comm -13 "$E2E_WORK/in_store" "$E2E_WORK/shipped")
    [ -z "$phantom" ] || fail "shipped rows not in the store: $(echo "$phantom" | head -3)"
    [ -s "$E2E_WORK/in_store" ] || fail "nothing reached the store"
    ok "disk full mid-import: $(wc -l <"$E2E_WORK/in_store") writes in the store, all reported ($(statuses "$dir"))"
fi
[ -z "$(find "$dir" -name '.*' -type f)" ] || fail "temporary files left in $dir"
[ ! -e "$dir/journal.jsonl" ] || fail "the reports are complete, but the journal is left"

# ---- the directory is full before the import
sim_reset || fail "POST /__sim/reset failed"
sim_stats "$E2E_WORK/before.stats"
SHIPLOAD_API_TOKEN=$E2E_TOKEN "$SHIPLOAD" import --api-url "$SIM_URL" -o "$full/run2" \
    --progress=never --concurrency 2 --batch-size 5 "$manifest" \
    >"$E2E_WORK/run2.out" 2>"$E2E_WORK/run2.err"
RC=$?
sim_stats "$E2E_WORK/after.stats"
assert_eq "full before: exit status" 3 "$RC"
grep -q "$full/run2.*ENOSPC" "$E2E_WORK/run2.err" ||
    fail "full before: no message naming the directory and ENOSPC: $(head -c 600 "$E2E_WORK/run2.err")"
assert_eq "full before: write requests sent" "$(stats_write_requests "$E2E_WORK/before.stats")" \
    "$(stats_write_requests "$E2E_WORK/after.stats")"

# ---- the directory fills up mid-import, then the import is killed: rebuilt from the journal
rm -f "$full/filler"
rm -rf "$full/run2"
sim_reset || fail "POST /__sim/reset failed"
SHIPLOAD_API_TOKEN=$E2E_TOKEN "$SHIPLOAD" import --api-url "$SIM_URL" -o "$full/run3" \
    --progress=never --concurrency 2 --batch-size 5 "$manifest" \
    >"$E2E_WORK/run3.out" 2>"$E2E_WORK/run3.err" &
IMPORT_PID=$!
wait_for_writes 3
dd if=/dev/zero of="$full/filler" bs=64k 2>/dev/null   # until ENOSPC
sim_stats "$E2E_WORK/filled.stats"
wait_for_writes $(($(stats_writes "$E2E_WORK/filled.stats") + 6))   # it goes on sending
kill -KILL "$IMPORT_PID" 2>/dev/null
wait "$IMPORT_PID" 2>/dev/null
sim_quiesce
dir=$full/run3
[ -f "$dir/journal.jsonl" ] || fail "killed on a full disk: no journal.jsonl"
[ ! -f "$dir/summary.json" ] || fail "killed on a full disk: summary.json written before the kill"
rm -f "$full/filler"
"$SHIPLOAD" report --rebuild "$dir" >"$E2E_WORK/rebuild.out" 2>"$E2E_WORK/rebuild.err"
RC=$?
assert_eq "rebuild after a full disk: exit status ($(cat "$E2E_WORK/rebuild.err"))" 0 "$RC"
if check_reports "$dir" "$records"; then
    sim_state "$E2E_WORK/killed.state"
    state_fulfillments "$E2E_WORK/killed.state" | cut -d' ' -f2 | tr ';' '\n' | LC_ALL=C sort -u |
        LC_ALL=C comm -23 - "$E2E_WORK/at_start" >"$E2E_WORK/killed.in_store"
    paste -d'|' <(csv_column "$dir/results.csv" status) <(csv_column "$dir/results.csv" error_code) \
        <(csv_column "$dir/results.csv" tracking_number) >"$E2E_WORK/killed.rows"
    awk -F'|' '$1 == "shipped" || ($1 == "failed" && $2 == "run_stopped") { print $3 }' \
        "$E2E_WORK/killed.rows" | tr ';' '\n' | LC_ALL=C sort -u >"$E2E_WORK/killed.accounted"
    unreported=$(LC_ALL=C comm -23 "$E2E_WORK/killed.in_store" "$E2E_WORK/killed.accounted")
    [ -z "$unreported" ] || fail "rebuilt: writes in the store with no row: $(echo "$unreported" | head -3)"
    phantom=$(awk -F'|' '$1 == "shipped" { print $3 }' "$E2E_WORK/killed.rows" | tr ';' '\n' |
        LC_ALL=C sort -u | LC_ALL=C comm -23 - "$E2E_WORK/killed.in_store")
    [ -z "$phantom" ] || fail "rebuilt: shipped rows not in the store: $(echo "$phantom" | head -3)"
    ok "full disk, then killed: $(wc -l <"$E2E_WORK/killed.in_store") writes in the store, all in the rebuilt reports ($(statuses "$dir"))"
fi
[ -z "$(find "$dir" -name '.*' -type f)" ] || fail "rebuild: the dead run's temporary files are left in $dir"
e2e_finish
