#!/usr/bin/env bash
# test_import_golden.sh: the requests shipload sends are pinned byte for byte. store-sim records
# every API request it receives (--record-requests: method, path with query, body). These runs
# must send exactly the requests in tests/e2e/expected/golden/<case>.requests.jsonl:
# - the import of every sample in samples/, in order, against one simulator seeded with
#   samples/store.json, then generic-csv again (all duplicates: reads only);
# - on a generated store (store-sim --generate 120 --seed 7): an export (it asks for listing
#   pages ahead of the answers, so how many pages past the listing's end it asks for varies:
#   those are left out of the comparison, the pages that hold orders are not), an import of a
#   generated manifest by order id, then one by order name with other tracking numbers under
#   --on-conflict=update (PUTs), both with --batch-size 3 so bulk requests carry several entries.
# Lines are sorted before the comparison, since concurrent requests arrive in any order: the
# multiset of requests must be equal.
# This is the proof that a refactoring changed nothing on the wire (issue 10).
# SHIPLOAD_REGENERATE=1 writes the golden files instead (read the diff before checking it in).
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl.
. "$(dirname "$0")/lib/e2e.sh"

golden=$SHIPLOAD_SOURCE_DIR/tests/e2e/expected/golden
samples=$SHIPLOAD_SOURCE_DIR/samples
record=$E2E_WORK/record.jsonl
seen=0

# check_case NAME [FILTER]: the requests recorded since the last case against
# golden/NAME.requests.jsonl; FILTER (a jq program over each line) drops lines first.
check_case() {
    local name=$1 total got=$E2E_WORK/$1.requests.jsonl
    total=$(wc -l <"$record")
    tail -n +"$((seen + 1))" "$record" | jq -c "${2:-.}" | LC_ALL=C sort >"$got"
    seen=$total
    if [ "${SHIPLOAD_REGENERATE:-}" = 1 ]; then
        cp "$got" "$golden/$name.requests.jsonl"
        return
    fi
    [ -s "$got" ] || fail "$name: no request recorded"
    cmp -s "$got" "$golden/$name.requests.jsonl" ||
        fail "$name: the requests differ from expected/golden/$name.requests.jsonl:
$(diff "$golden/$name.requests.jsonl" "$got" | head -20)"
}

# 1. the samples, in the order test_import_samples.sh imports them
sim_start --store "$samples/store.json" --record-requests "$record" || e2e_finish
for file in "$samples"/*.csv "$samples"/*.xml "$samples"/*.Out; do
    name=$(basename "$file")
    run_import "$E2E_WORK/$name" "$file"
    check_case "$name"
done
run_import "$E2E_WORK/again" "$samples/generic-csv.csv"
check_case generic-csv.csv.again
sim_stop

# 2. a generated store: lookups by id and by name in batches, bulk requests of several entries
gen_store "$E2E_WORK/store.json" 120 7 || e2e_finish
gen_manifest "$E2E_WORK/store.json" 150 "$E2E_WORK/by-id.csv" -i || e2e_finish
gen_manifest "$E2E_WORK/store.json" 150 "$E2E_WORK/by-name.csv" -s 1 || e2e_finish
record=$E2E_WORK/record2.jsonl
seen=0
sim_start --store "$E2E_WORK/store.json" --record-requests "$record" || e2e_finish
# The pages of each fulfillmentStatus listing that hold orders (50 a page, at least one).
sim_state "$E2E_WORK/state.json"
pages=$(jq -c '[.orders[] | .fulfillmentStatus.ecartapi] | group_by(.)
               | map({key: .[0], value: ((length + 49) / 50 | floor)}) | from_entries' \
        "$E2E_WORK/state.json")
past_end='select((.path | test("^/api/v2/orders[?].*page=")) as $listing | ($listing | not) or
                 ((.path | capture("page=(?<p>[0-9]+)").p | tonumber) <=
                  ('"$pages"'[.path | capture("fulfillmentStatus=(?<s>[a-z]+)").s] // 1)))'
SHIPLOAD_API_TOKEN=$E2E_TOKEN "$SHIPLOAD" export --api-url "$SIM_URL" -o "$E2E_WORK/export.csv" \
    >"$E2E_WORK/export.out" 2>"$E2E_WORK/export.err" ||
    fail "export: exit $?: $(head -c 500 "$E2E_WORK/export.err")"
check_case generated-export "$past_end"
run_import "$E2E_WORK/gen-by-id" --batch-size 3 "$E2E_WORK/by-id.csv"
check_case generated-by-id
run_import "$E2E_WORK/gen-by-name" --batch-size 3 --on-conflict=update "$E2E_WORK/by-name.csv"
check_case generated-by-name

assert_file_lacks "the token leaked into a recording" "$E2E_TOKEN" "$E2E_WORK"/record*.jsonl
e2e_finish
