#!/usr/bin/env bash
# test_import_dry_run.sh: `shipload import --dry-run` (spec §8, issue 4 item 6) reads but never
# writes. On the generic-csv sample against samples/store.json:
# - statuses would_ship / would_cancel where a real run ships / cancels, the same invalid and
#   unmatched rows, exit status 1 (some rows are wrong on purpose), conservation;
# - requests.jsonl holds one JSON line per write, each with method, path and body, naming the
#   sample's tracking numbers; the token is in no report;
# - store-sim saw reads only: no write request, no write applied, the store unchanged;
# - the real run that follows sends exactly the writes the dry run listed (per method and path)
#   and its statuses are the dry run's with would_* replaced.
# On a generated manifest (by name), every row is would_ship and the requests.jsonl bodies hold
# one fulfillment per expected fulfillment.
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl.
. "$(dirname "$0")/lib/e2e.sh"

sample=$SHIPLOAD_SOURCE_DIR/samples/generic-csv.csv
records=$(csv_records "$sample")
sim_start --store "$SHIPLOAD_SOURCE_DIR/samples/store.json" || e2e_finish
sim_state "$E2E_WORK/state.before"

# 1. the dry run
dry=$E2E_WORK/dry
run_import "$dry" --dry-run "$sample"
assert_eq "dry run: exit status" 1 "$RC"
if check_reports "$dry" "$records"; then
    assert_eq "dry run: statuses" "canceled=0 invalid=2 unmatched=1 would_cancel=1 would_ship=6" \
        "$(jq -r '.statuses | .canceled //= 0 | to_entries | sort_by(.key) |
            map("\(.key)=\(.value)") | join(" ")' "$dry/summary.json")"
    assert_eq "dry run: summary says dry_run" true "$(summary "$dry" .dry_run)"
fi
[ -f "$dry/requests.jsonl" ] || fail "dry run: no requests.jsonl"
assert_eq "dry run: requests.jsonl lines" 7 "$(wc -l <"$dry/requests.jsonl")"
assert_eq "dry run: every line is an object with method, path and body or null" 7 \
    "$(jq -c 'select(type == "object" and (.method | type) == "string" and
        (.path | startswith("/api/v2/orders/")) and has("body"))' "$dry/requests.jsonl" | wc -l)"
assert_eq "dry run: bulk creates" 6 \
    "$(jq -r 'select(.path | endswith("/packages/fulfillments")) | .method' "$dry/requests.jsonl" | grep -c -x POST)"
assert_eq "dry run: cancels" 1 \
    "$(jq -r 'select(.path | endswith("/cancel")) | .method' "$dry/requests.jsonl" | grep -c -x POST)"
assert_eq "dry run: the two numbers of #1003 go in one fulfillment" \
    '["1Z8W2A470326110310","1Z8W2A470326110329"]' \
    "$(jq -c 'select(.path == "/api/v2/orders/5132352301003/packages/fulfillments") |
        .body.fulfillments[0].tracking.numbers' "$dry/requests.jsonl")"
assert_file_lacks "dry run: the token leaked" "$E2E_TOKEN" "$dry" "$dry.out" "$dry.err"

sim_stats "$E2E_WORK/stats.dry"
assert_eq "dry run: write requests sent" 0 "$(stats_write_requests "$E2E_WORK/stats.dry")"
assert_eq "dry run: writes applied" 0 "$(stats_writes "$E2E_WORK/stats.dry")"
sim_state "$E2E_WORK/state.after-dry"
state_fulfillments "$E2E_WORK/state.before" >"$E2E_WORK/fulfillments.before"
state_fulfillments "$E2E_WORK/state.after-dry" >"$E2E_WORK/fulfillments.after-dry"
cmp -s "$E2E_WORK/fulfillments.before" "$E2E_WORK/fulfillments.after-dry" ||
    fail "dry run changed the store's fulfillments"

# 2. the real run sends what the dry run listed
real=$E2E_WORK/real
run_import "$real" "$sample"
assert_eq "real run: exit status" 1 "$RC"
check_reports "$real" "$records" &&
    assert_eq "real run: statuses are the dry run's without would_" \
        "$(csv_column "$dry/results.csv" status | sed 's/^would_ship$/shipped/; s/^would_cancel$/canceled/')" \
        "$(csv_column "$real/results.csv" status)"
sim_stats "$E2E_WORK/stats.real"
jq -r '"\(.method) \(.path)"' "$dry/requests.jsonl" | LC_ALL=C sort >"$E2E_WORK/writes.listed"
assert_eq "real run: write requests sent = requests.jsonl lines" \
    "$(wc -l <"$E2E_WORK/writes.listed")" "$(stats_write_requests "$E2E_WORK/stats.real")"
assert_eq "real run: bulk creates sent (summary.json)" 6 \
    "$(jq '.requests["POST /api/v2/orders/{orderId}/packages/fulfillments"] | add' "$real/summary.json")"
assert_eq "real run: cancels sent (summary.json)" 1 \
    "$(jq '.requests["POST /api/v2/orders/{orderId}/fulfillments/{id}/cancel"] | add' "$real/summary.json")"
[ ! -e "$real/requests.jsonl" ] || fail "real run: wrote requests.jsonl"
sim_stop

# 3. a generated manifest: every row would ship, one listed fulfillment per expected one
store=$E2E_WORK/store.json
manifest=$E2E_WORK/generated.csv
gen_store "$store" "$(scaled 200)" 21 || e2e_finish
gen_manifest "$store" 0 "$manifest" || e2e_finish
generated=$(csv_records "$manifest")
sim_start --store "$store" || e2e_finish
run_import "$E2E_WORK/gen" --dry-run "$manifest"
assert_eq "generated dry run: exit status" 0 "$RC"
if check_reports "$E2E_WORK/gen" "$generated"; then
    assert_eq "generated dry run: rows would_ship" "$generated" \
        "$(status_count "$E2E_WORK/gen" would_ship)"
fi
# the manifest's expected fulfillments, one line each: the listed bulk entries must match
assert_eq "generated dry run: fulfillments listed" "$(wc -l <"$manifest.expected")" \
    "$(jq '.body.fulfillments // [] | length' "$E2E_WORK/gen/requests.jsonl" | awk '{ n += $1 } END { print n + 0 }')"
sim_stats "$E2E_WORK/stats.gen"
assert_eq "generated dry run: write requests sent" 0 "$(stats_write_requests "$E2E_WORK/stats.gen")"
sim_stop

e2e_finish
