#!/usr/bin/env bash
# test_inbox_local.sh: `shipload import --inbox DIR --watch` on a local folder (issue 16):
# files dropped while the run watches are each imported once and end in done/ with their
# reports; a file still being written (growing) is not taken before it settles, and then whole;
# a NAME.done marker makes a file complete and is removed; the same bytes dropped twice are
# imported once (the second noted as a duplicate, the run says so); a malformed file ends in
# failed/ with its report while the others go on; SIGTERM stops the run (exit 143). The store
# then holds exactly the fulfillments of the manifests, none twice. --watch without --inbox and
# --inbox with --dry-run are usage errors.
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl, gzip.
. "$(dirname "$0")/lib/e2e.sh"
. "$(dirname "$0")/lib/inbox.sh"

store=$E2E_WORK/store.json
gen_store "$store" 40 7 || e2e_finish
gen_manifest "$store" 0 "$E2E_WORK/all.csv" || e2e_finish
split_manifest "$E2E_WORK/all.csv" 4 "$E2E_WORK/part"
sim_start --store "$store" || e2e_finish
sim_state "$E2E_WORK/before.json"   # the generated store ships some packages already
{ state_fulfillments "$E2E_WORK/before.json"; cat "$E2E_WORK/all.csv.expected"; } | LC_ALL=C sort \
    >"$E2E_WORK/expected.fulfillments"
inbox=$E2E_WORK/inbox
mkdir "$inbox"
printf '%s\n' "$E2E_TOKEN" >"$E2E_WORK/token"

"$SHIPLOAD" import --inbox "$inbox" --watch --settle 2 --api-url "$SIM_URL" \
    --token-file "$E2E_WORK/token" --progress=never >"$E2E_WORK/watch.out" 2>"$E2E_WORK/watch.err" &
watch_pid=$!
E2E_PIDS="$E2E_PIDS $watch_pid"
wait_until 30 test -d "$inbox/processing" || fail "the inbox run made no processing/"

# a file with a marker, and a plain one
cp "$E2E_WORK/part1.csv" "$inbox/north.csv"
: >"$inbox/north.csv.done"
cp "$E2E_WORK/part4.csv" "$inbox/west.csv"
# a malformed file next to it: a gzip stream cut short
gzip -c "$E2E_WORK/part4.csv" | head -c 60 >"$inbox/broken.csv.gz"
wait_until 60 test -f "$inbox/done/north.csv" || fail "north.csv not in done/: $(tail -5 "$E2E_WORK/watch.err")"
[ -e "$inbox/north.csv.done" ] && fail "the marker north.csv.done is still there"

# a file being written row by row, slower than nothing but faster than --settle
{ head -n 1 "$E2E_WORK/part2.csv" >"$inbox/growing.csv"; }
taken_early=0
while IFS= read -r row; do
    sleep 0.3
    [ -f "$inbox/growing.csv" ] || taken_early=1
    printf '%s\n' "$row" >>"$inbox/growing.csv"
done < <(tail -n +2 "$E2E_WORK/part2.csv")
assert_eq "the growing file stayed in the inbox while it was written" 0 "$taken_early"

# the same bytes twice
cp "$E2E_WORK/part3.csv" "$inbox/east.csv"
wait_until 60 test -f "$inbox/done/east.csv" || fail "east.csv not in done/"
cp "$E2E_WORK/part3.csv" "$inbox/east-again.csv"
for name in growing.csv west.csv east-again.csv; do
    wait_until 60 test -f "$inbox/done/$name" || fail "$name not in done/: $(tail -5 "$E2E_WORK/watch.err")"
done
wait_until 60 test -f "$inbox/failed/broken.csv.gz" || fail "broken.csv.gz not in failed/"

kill -TERM "$watch_pid"
wait "$watch_pid"
RC=$?
assert_eq "exit status of a --watch run stopped by SIGTERM" 143 "$RC"

# every imported file: a complete report, every row shipped (imported once, nothing before)
for pair in north.csv:part1 growing.csv:part2 east.csv:part3 west.csv:part4; do
    name=${pair%%:*} part=${pair#*:}
    dir=$inbox/done/$name.report
    records=$(csv_records "$E2E_WORK/$part.csv")
    RC=0 check_reports "$dir" "$records"
    assert_eq "$name: shipped rows (imported once, whole)" "$records" "$(status_count "$dir" shipped)"
    cmp -s "$E2E_WORK/$part.csv" "$inbox/done/$name" || fail "$name in done/ differs from what was dropped"
done
[ -f "$inbox/done/east-again.csv.report/duplicate.json" ] ||
    fail "east-again.csv: no duplicate.json beside it"
[ -f "$inbox/done/east-again.csv.report/summary.json" ] && fail "east-again.csv was imported again"
assert_eq "duplicate_of" "east.csv" "$(jq -r .duplicate_of "$inbox/done/east-again.csv.report/duplicate.json")"
grep -q "east-again.csv: the same bytes were imported before as east.csv" "$E2E_WORK/watch.err" ||
    fail "the run did not say east-again.csv was a duplicate"
assert_eq "journal: duplicates" 1 "$(journal_states "$inbox/.shipload-journal" duplicate)"
assert_eq "journal: imports started" 5 "$(journal_states "$inbox/.shipload-journal" start)"

# the malformed file: in failed/ with its report, saying why
broken=$inbox/failed/broken.csv.gz.report
[ -f "$broken/summary.json" ] || fail "broken.csv.gz: no summary.json in failed/"
grep -q "truncated" "$broken/import.log" 2>/dev/null || fail "broken.csv.gz: import.log does not say why"
assert_eq "nothing left in the inbox or processing/" "" "$(files_in "$inbox"; files_in "$inbox/processing")"

# the store: exactly the manifests' fulfillments, none twice
sim_state "$E2E_WORK/state.json"
state_fulfillments "$E2E_WORK/state.json" >"$E2E_WORK/state.fulfillments"
cmp -s "$E2E_WORK/expected.fulfillments" "$E2E_WORK/state.fulfillments" ||
    fail "store differs from the manifests (expected < > store): $(diff "$E2E_WORK/expected.fulfillments" "$E2E_WORK/state.fulfillments" | head -5)"
assert_eq "fulfillments shipped twice" "" "$(state_double_shipped "$E2E_WORK/state.json")"

# usage: --watch without an inbox, and a dry run of an inbox (it would journal files as done)
"$SHIPLOAD" import --watch "$E2E_WORK/part1.csv" >/dev/null 2>&1
assert_eq "--watch without --inbox: exit status" 2 "$?"
"$SHIPLOAD" import --inbox "$inbox" --dry-run --token-file "$E2E_WORK/token" >/dev/null 2>&1
assert_eq "--inbox with --dry-run: exit status" 2 "$?"
ok "local inbox with --watch"
e2e_finish
