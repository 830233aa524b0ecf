#!/usr/bin/env bash
# test_import_samples.sh: `shipload import` of every sample in samples/ against a real store-sim
# seeded with samples/store.json. Each plain sample gives the checked-in
# tests/e2e/expected/import/<sample>.results.csv, .rejects.csv and .exit, holds the conservation invariant
# (results.csv lines = sum of summary.json's statuses = its "records"; rejects.csv holds exactly
# the non-success rows), and afterwards /__sim/state holds exactly the fulfillments in
# expected/import/fulfillments.tsv (order, package, status, tracking numbers, items). The
# gzipped samples, imported into a second fresh simulator, give the same results and state.
# The token appears in no report. Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR.
# SHIPLOAD_REGENERATE=1 writes the expected files instead (read each one before checking it in).
set -uo pipefail
: "${SHIPLOAD:?path of the shipload binary}" "${STORE_SIM:?path of store-sim}"
: "${SHIPLOAD_SOURCE_DIR:?source tree}"
export SHIPLOAD_TEMPLATE_PATH=${SHIPLOAD_TEMPLATE_PATH:-$SHIPLOAD_SOURCE_DIR/templates}
command -v jq >/dev/null || { echo "FAIL: jq is needed" >&2; exit 1; }
command -v curl >/dev/null || { echo "FAIL: curl is needed" >&2; exit 1; }

samples=$SHIPLOAD_SOURCE_DIR/samples
expected=$SHIPLOAD_SOURCE_DIR/tests/e2e/expected/import
work=$(mktemp -d)
export XDG_RUNTIME_DIR=$work   # run locks of this test stay in its own work directory
token="tok_e2e_$(date +%s%N)_SECRET"
sim_pid=
failed=0

stop_sim() {
    if [ -n "$sim_pid" ]; then
        kill "$sim_pid" 2>/dev/null
        wait "$sim_pid" 2>/dev/null
        sim_pid=
    fi
}
trap 'stop_sim; rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }

# Starts store-sim on a free port; sets sim_url.
start_sim() {
    local out=$work/sim.$1.out
    "$STORE_SIM" --store "$samples/store.json" --port 0 --token "$token" >"$out" 2>"$work/sim.$1.err" &
    sim_pid=$!
    sim_url=
    for _ in $(seq 1 600); do   # up to 30 s on a loaded machine
        sim_url=$(sed -n '1s/^listening on //p' "$out")
        [ -n "$sim_url" ] && return 0
        sleep 0.05
    done
    echo "FAIL: store-sim did not start: $(cat "$work/sim.$1.err")" >&2
    exit 1
}

csv_records() {
    awk '{ quotes = gsub(/"/, "\""); if (quotes % 2) inside = !inside; if (!inside) n++ }
         END { print n - 1 }' "$1"
}

# The store's fulfillments, one per line: order name, package, status, tracking numbers, items.
fulfillments_tsv() {
    curl -sf "$sim_url/__sim/state" | jq -r '
        .orders[] | .name as $order | (.fulfillments // [])[] |
        [$order, .fulfillmentOrderId, .status.ecartapi,
         ((.tracking.numbers // [.tracking.number]) | join(";")),
         ((.items // []) | map("\(.id)x\(.quantity)") | sort | join(";"))] | @tsv' | sort
}

import_sample() {
    local file=$1 name base dir status lines sum records rejects failures
    name=$(basename "$file")
    base=${name%.gz}
    dir=$work/reports/$name
    SHIPLOAD_API_URL=$sim_url SHIPLOAD_API_TOKEN=$token \
        "$SHIPLOAD" import -o "$dir" "$file" >"$work/$name.out" 2>"$work/$name.err"
    status=$?
    if [ ! -f "$dir/results.csv" ] || [ ! -f "$dir/summary.json" ] || [ ! -f "$dir/rejects.csv" ]; then
        fail "$name: no reports (exit $status): $(cat "$work/$name.err")"
        return
    fi
    if [ "${SHIPLOAD_REGENERATE:-}" = 1 ] && [ "$name" = "$base" ]; then
        cp "$dir/results.csv" "$expected/$base.results.csv"
        cp "$dir/rejects.csv" "$expected/$base.rejects.csv"
        echo "$status" >"$expected/$base.exit"
    fi
    [ "$status" = "$(cat "$expected/$base.exit" 2>/dev/null)" ] ||
        fail "$name: exit $status, expected $(cat "$expected/$base.exit" 2>/dev/null): $(cat "$work/$name.err")"
    cmp -s "$dir/results.csv" "$expected/$base.results.csv" ||
        fail "$name: results.csv differs from expected/import/$base.results.csv:
$(diff "$expected/$base.results.csv" "$dir/results.csv" | head -20)"
    cmp -s "$dir/rejects.csv" "$expected/$base.rejects.csv" ||
        fail "$name: rejects.csv differs from expected/import/$base.rejects.csv:
$(diff "$expected/$base.rejects.csv" "$dir/rejects.csv" | head -20)"
    lines=$(csv_records "$dir/results.csv")
    sum=$(jq '[.statuses[]] | add // 0' "$dir/summary.json")
    records=$(jq '.records' "$dir/summary.json")
    [ "$lines" = "$sum" ] && [ "$sum" = "$records" ] ||
        fail "$name: conservation broken: results.csv=$lines sum=$sum records=$records"
    failures=$(jq '.failed' "$dir/summary.json")
    rejects=$(csv_records "$dir/rejects.csv")
    [ "$rejects" = "$failures" ] || fail "$name: rejects.csv has $rejects rows, summary says $failures failed"
    # stderr is not a terminal: cron mode (issue 15), the digest only when rows failed
    if [ "$failures" -gt 0 ]; then
        grep -q "^shipload import: .*$name: $failures of $records records did not succeed" "$work/$name.err" ||
            fail "$name: no digest on stderr: $(cat "$work/$name.err")"
    elif [ -s "$work/$name.err" ] || [ -s "$work/$name.out" ]; then
        fail "$name: a clean run printed something: $(cat "$work/$name.out" "$work/$name.err")"
    fi
    [ "$(jq -r '.complete' "$dir/summary.json")" = true ] || fail "$name: summary.json not complete"
}

run_all() {   # $1: "" for the plain samples, ".gz" for the gzipped ones
    local file
    for file in "$samples"/*.csv$1 "$samples"/*.xml$1 "$samples"/*.Out$1; do
        import_sample "$file"
    done
}

start_sim plain
run_all ""
if [ "${SHIPLOAD_REGENERATE:-}" = 1 ]; then
    fulfillments_tsv >"$expected/fulfillments.tsv"
fi
fulfillments_tsv >"$work/state.plain.tsv"
[ -s "$work/state.plain.tsv" ] || fail "no fulfillments in /__sim/state"
cmp -s "$work/state.plain.tsv" "$expected/fulfillments.tsv" ||
    fail "store state after the plain samples differs from expected/import/fulfillments.tsv:
$(diff "$expected/fulfillments.tsv" "$work/state.plain.tsv" | head -20)"
stop_sim

start_sim gz
run_all ".gz"
fulfillments_tsv >"$work/state.gz.tsv"
cmp -s "$work/state.gz.tsv" "$expected/fulfillments.tsv" ||
    fail "store state after the gzipped samples differs:
$(diff "$expected/fulfillments.tsv" "$work/state.gz.tsv" | head -20)"
stop_sim

if grep -rq "$token" "$work/reports" "$work"/*.err "$work"/*.out 2>/dev/null; then
    fail "the API token appears in a report or in the output"
fi

if [ "$failed" -gt 0 ]; then
    echo "test_import_samples: $failed failed checks" >&2
    exit 1
fi
echo "test_import_samples: every sample imported as expected (plain and gzipped)"
