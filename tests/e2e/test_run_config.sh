#!/usr/bin/env bash
# test_run_config.sh: `shipload run --config FILE` with three stores on three store-sims, each
# with its own inbox, token file and report folder (issue 16):
# - each store's files land in its own store only (every store's fulfillments are exactly its
#   manifests'), and in its own done/;
# - a store whose API is down (its simulator stopped) does not stop the others: its run is
#   refused by the preflight before it claims a file (the file waits in its inbox), the others'
#   files go to done/, and the exit status is the worst (3);
# - `run --config FILE STORE` runs that store only; a configuration holding a token is refused
#   (exit 2); secrets appear in no report or log.
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl.
. "$(dirname "$0")/lib/e2e.sh"
. "$(dirname "$0")/lib/inbox.sh"

names="north south west"
declare -A url pid
seed=20
for name in $names; do
    seed=$((seed + 1))
    gen_store "$E2E_WORK/$name.store.json" 20 "$seed" || e2e_finish
    # each store gets its own token: a file landing in the wrong store would be refused
    printf '%s-%s\n' "$E2E_TOKEN" "$name" >"$E2E_WORK/$name.token"
    "$STORE_SIM" --port 0 --token "$E2E_TOKEN-$name" --store "$E2E_WORK/$name.store.json" \
        >"$E2E_WORK/$name.sim.out" 2>&1 &
    pid[$name]=$!
    E2E_PIDS="$E2E_PIDS $!"
    wait_until 30 grep -q "listening on" "$E2E_WORK/$name.sim.out" || fail "$name: store-sim did not start"
    url[$name]=$(head -n 1 "$E2E_WORK/$name.sim.out" | sed 's/^listening on //')
    sim_state "$E2E_WORK/$name.before.json" "${url[$name]}"
    gen_manifest "$E2E_WORK/$name.store.json" 0 "$E2E_WORK/$name.all.csv" || e2e_finish
    split_manifest "$E2E_WORK/$name.all.csv" 2 "$E2E_WORK/$name.part"
    mkdir -p "$E2E_WORK/inbox/$name"
done

# the configuration: relative paths are relative to its folder
config=$E2E_WORK/shipload.json
jq -n --arg n "${url[north]}" --arg s "${url[south]}" --arg w "${url[west]}" '{stores: [
    {name: "north", platform: "ecart", api_url: $n, token_file: "north.token", inbox: "inbox/north",
     template: "generic-csv", notify: false, settle: 0},
    {name: "south", api_url: $s, token_file: "south.token", inbox: "inbox/south", settle: 0},
    {name: "west", api_url: $w, token_file: "west.token", inbox: "inbox/west", settle: 0,
     notify: true, rate_limit: 50}]}' >"$config"

# 1. every store up: two files each
for name in $names; do
    cp "$E2E_WORK/$name.part1.csv" "$E2E_WORK/inbox/$name/monday.csv"
    cp "$E2E_WORK/$name.part2.csv" "$E2E_WORK/inbox/$name/tuesday.csv"
done
(cd / && "$SHIPLOAD" run --config "$config" --jobs 3 >"$E2E_WORK/run1.out" 2>"$E2E_WORK/run1.err")
RC=$?
assert_eq "run with every store up: exit status ($(tail -3 "$E2E_WORK/run1.err"))" 0 "$RC"
for name in $names; do
    assert_eq "$name: done/" "$(printf '%s\n' monday.csv tuesday.csv)" "$(files_in "$E2E_WORK/inbox/$name/done")"
    for day in monday:part1 tuesday:part2; do
        dir=$E2E_WORK/inbox/$name/done/${day%%:*}.csv.report
        records=$(csv_records "$E2E_WORK/$name.${day#*:}.csv")
        RC=0 check_reports "$dir" "$records"
        assert_eq "$name ${day%%:*}: shipped" "$records" "$(status_count "$dir" shipped)"
    done
    sim_state "$E2E_WORK/$name.after.json" "${url[$name]}"
    { state_fulfillments "$E2E_WORK/$name.before.json"; cat "$E2E_WORK/$name.all.csv.expected"; } |
        LC_ALL=C sort >"$E2E_WORK/$name.expected"
    state_fulfillments "$E2E_WORK/$name.after.json" >"$E2E_WORK/$name.got"
    cmp -s "$E2E_WORK/$name.expected" "$E2E_WORK/$name.got" ||
        fail "$name: the store holds other fulfillments than its manifests': $(diff "$E2E_WORK/$name.expected" "$E2E_WORK/$name.got" | head -5)"
done

# 2. south's API is down: north and west go on, south's file fails, the exit status is 3
sim_stop "${pid[south]}"
for name in $names; do
    # a fresh manifest per store (other tracking numbers: conflicts, reported per row)
    bash "$E2E_GEN" -s 7 "$E2E_WORK/$name.store.json" 6 >"$E2E_WORK/inbox/$name/wednesday.csv" 2>/dev/null
done
"$SHIPLOAD" run --config "$config" --jobs 2 >"$E2E_WORK/run2.out" 2>"$E2E_WORK/run2.err"
RC=$?
assert_eq "run with south down: exit status (worst)" 3 "$RC"
grep -q "run: store south: exit 3" "$E2E_WORK/run2.err" || fail "run did not say south failed"
# the preflight finds south's API down before any file is claimed: its file waits in the inbox
assert_eq "south: left in its inbox for the next run" "wednesday.csv" "$(files_in "$E2E_WORK/inbox/south")"
assert_eq "south: failed/" "" "$(files_in "$E2E_WORK/inbox/south/failed")"
for name in north west; do
    assert_eq "$name: wednesday in done/" "wednesday.csv" \
        "$(files_in "$E2E_WORK/inbox/$name/done" | grep wednesday)"
done

# 3. one store by name; a token in the configuration is refused
cp "$E2E_WORK/west.part1.csv" "$E2E_WORK/inbox/west/thursday.csv"
cp "$E2E_WORK/north.part1.csv" "$E2E_WORK/inbox/north/thursday.csv"
"$SHIPLOAD" run --config "$config" west >"$E2E_WORK/run3.out" 2>"$E2E_WORK/run3.err"
assert_eq "run west only: exit status ($(tail -2 "$E2E_WORK/run3.err"))" 0 "$?"
assert_eq "west: thursday.csv (same bytes as monday) noted as a duplicate" "monday.csv" \
    "$(jq -r .duplicate_of "$E2E_WORK/inbox/west/done/thursday.csv.report/duplicate.json" 2>/dev/null)"
[ -f "$E2E_WORK/inbox/north/thursday.csv" ] || fail "north ran although only west was named"
jq '.stores[0].token = "abc"' "$config" >"$E2E_WORK/secret.json"
"$SHIPLOAD" run --config "$E2E_WORK/secret.json" >"$E2E_WORK/run4.out" 2>"$E2E_WORK/run4.err"
assert_eq "a token in the configuration: exit status" 2 "$?"
grep -q "secrets do not go in the configuration" "$E2E_WORK/run4.err" ||
    fail "token in the configuration: message is '$(cat "$E2E_WORK/run4.err")'"
assert_file_lacks "tokens in reports or logs" "$E2E_TOKEN" "$E2E_WORK/inbox" "$E2E_WORK"/run*.err "$E2E_WORK"/run*.out
ok "run --config with three stores"
e2e_finish
