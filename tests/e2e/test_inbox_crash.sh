#!/usr/bin/env bash
# test_inbox_crash.sh: an inbox run of five files killed with SIGKILL at seeded random moments
# (several rounds; the run alone, whose import then dies with it, or its whole process group),
# then started again until it ends (issue 16, crash safety): every file ends in done/ exactly
# once (none in failed/, processing/ or the inbox) with a complete report (conservation, every
# row shipped or duplicate), the journal holds one outcome per file, and the store holds
# exactly the fulfillments of the five manifests, none twice (/__sim/state).
# SHIPLOAD_CRASH_SEED picks other moments (default 16). Needs SHIPLOAD, STORE_SIM,
# SHIPLOAD_SOURCE_DIR, jq, curl, setsid.
. "$(dirname "$0")/lib/e2e.sh"
. "$(dirname "$0")/lib/inbox.sh"

RANDOM=${SHIPLOAD_CRASH_SEED:-16}
store=$E2E_WORK/store.json
orders=$(scaled 200)
gen_store "$store" "$orders" 41 || e2e_finish
gen_manifest "$store" 0 "$E2E_WORK/all.csv" || e2e_finish
split_manifest "$E2E_WORK/all.csv" 5 "$E2E_WORK/part"
printf '%s\n' "$E2E_TOKEN" >"$E2E_WORK/token"
sim_start --store "$store" --latency-ms 10,5 || e2e_finish
sim_state "$E2E_WORK/before.json"
{ state_fulfillments "$E2E_WORK/before.json"; cat "$E2E_WORK/all.csv.expected"; } | LC_ALL=C sort \
    >"$E2E_WORK/expected.fulfillments"
inbox_args=(--settle 0 --api-url "$SIM_URL" --token-file "$E2E_WORK/token" --progress=never
            --concurrency 4 --batch-size 5)

# fill_inbox DIR: the five manifests, dropped in order
fill_inbox() {
    rm -rf "$1"
    mkdir -p "$1"
    for i in 1 2 3 4 5; do cp "$E2E_WORK/part$i.csv" "$1/day-$i.csv"; done
    age_file "$1"/*.csv
}

# Reference: one uninterrupted run, to know how long a run takes.
fill_inbox "$E2E_WORK/reference"
started=$(date +%s%N)
"$SHIPLOAD" import --inbox "$E2E_WORK/reference" "${inbox_args[@]}" >/dev/null 2>"$E2E_WORK/reference.err"
assert_eq "reference run: exit status ($(tail -2 "$E2E_WORK/reference.err"))" 0 "$?"
run_ms=$((($(date +%s%N) - started) / 1000000))
note "an uninterrupted inbox run of five files: $run_ms ms"

for round in 1 2 3 4 5; do
    sim_reset || { fail "POST /__sim/reset failed"; break; }
    inbox=$E2E_WORK/round$round
    fill_inbox "$inbox"
    kills=0
    # one to three kills per round, each at a random moment of what a whole run takes
    for attempt in $(seq 1 $((1 + RANDOM % 3))); do
        at_ms=$((run_ms * (2 + RANDOM % 90) / 100))
        setsid "$SHIPLOAD" import --inbox "$inbox" "${inbox_args[@]}" \
            >>"$inbox.out" 2>>"$inbox.err" &
        run_pid=$!
        sleep "$(printf '%d.%03d' $((at_ms / 1000)) $((at_ms % 1000)))"
        if [ $((RANDOM % 2)) = 0 ]; then
            kill -KILL "$run_pid" 2>/dev/null          # the run; its import follows it
        else
            kill -KILL -- "-$run_pid" 2>/dev/null      # the whole process group
        fi
        wait "$run_pid" 2>/dev/null
        kills=$((kills + 1))
        sim_quiesce
    done
    note "round $round: $kills kill(s); then left in processing/: $(files_in "$inbox/processing" | tr '\n' ' ')"
    "$SHIPLOAD" import --inbox "$inbox" "${inbox_args[@]}" >>"$inbox.out" 2>>"$inbox.err"
    RC=$?
    assert_eq "round $round: exit status of the run after the kills ($(tail -2 "$inbox.err"))" 0 "$RC"
    assert_eq "round $round: done/" "$(printf 'day-%s.csv\n' 1 2 3 4 5)" "$(files_in "$inbox/done")"
    assert_eq "round $round: failed/, processing/ and the inbox" "" \
        "$(files_in "$inbox/failed"; files_in "$inbox/processing"; files_in "$inbox")"
    for i in 1 2 3 4 5; do
        dir=$inbox/done/day-$i.csv.report
        if [ -f "$dir/duplicate.json" ]; then
            fail "round $round: day-$i.csv noted as a duplicate of itself"
            continue
        fi
        records=$(csv_records "$E2E_WORK/part$i.csv")
        RC=0 check_reports "$dir" "$records"
        good=$(($(status_count "$dir" shipped) + $(status_count "$dir" duplicate)))
        assert_eq "round $round: day-$i.csv rows shipped or duplicate ($(statuses "$dir"))" "$records" "$good"
        outcomes=$(awk -F'\t' -v n="day-$i.csv" '$4 == n && ($2 == "done" || $2 == "failed")' \
            "$inbox/.shipload-journal" | wc -l)
        assert_eq "round $round: day-$i.csv outcomes in the journal" 1 "$outcomes"
    done
    sim_state "$E2E_WORK/round$round.state"
    state_fulfillments "$E2E_WORK/round$round.state" >"$E2E_WORK/round$round.fulfillments"
    cmp -s "$E2E_WORK/expected.fulfillments" "$E2E_WORK/round$round.fulfillments" ||
        fail "round $round: store differs from the manifests: $(diff "$E2E_WORK/expected.fulfillments" "$E2E_WORK/round$round.fulfillments" | head -5)"
    assert_eq "round $round: shipped twice" "" "$(state_double_shipped "$E2E_WORK/round$round.state")"
done
ok "inbox runs killed at random moments"
e2e_finish
