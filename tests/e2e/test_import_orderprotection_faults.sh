#!/usr/bin/env bash
# test_import_orderprotection_faults.sh: OrderProtection under faults and kill -9, on a generated
# 2,000-order store (store-sim --platform orderprotection --generate; 500 under sanitizers).
# The manifest ships every open order: a row for each of its first two items still to ship, under
# one FedEx number per order (every tenth order as one row without SKUs: all that remains).
#  - --fail-rate 0.05 --commit-fail-rate 0.05 --drop-rate 0.02: after each run every row is
#    accounted for (conservation, rejects = failures, exit status), no tracking number is on two
#    fulfillments of an order, every shipped or duplicate row's number is in the store, nothing
#    the manifest did not ask for is, and the failures are transport codes only; re-runs finish
#    the rest: the store then holds exactly the manifest's fulfillments, each once.
#  - kill -9 at a seeded random moment (a share of the writes), then a re-run: every row shipped
#    or duplicate, exit 0, and the store holds exactly the manifest's fulfillments, each once.
# SHIPLOAD_CRASH_SEED picks another kill moment (default 42).
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl, python3.
. "$(dirname "$0")/lib/e2e.sh"

RANDOM=${SHIPLOAD_CRASH_SEED:-42}
orders=$(scaled 2000)
store=$E2E_WORK/store.json
manifest=$E2E_WORK/manifest.csv
"$STORE_SIM" --token "$E2E_TOKEN" --platform orderprotection --generate "$orders" --seed 29 \
    --write-store "$store" >/dev/null 2>"$store.err" ||
    { fail "store-sim --generate: $(cat "$store.err")"; e2e_finish; }

# The manifest and, in manifest.expected, the fulfillments it asks for (state_lines' form).
python3 - "$store" "$manifest" <<'PY' || { fail "manifest generation failed"; e2e_finish; }
import json, sys
store, out = sys.argv[1], sys.argv[2]
def fedex(n):
    digits = "7741%07d" % n
    total = sum(int(c) * (1, 3, 7)[i % 3] for i, c in enumerate(reversed(digits)))
    return digits + str(total % 11 % 10)
rows, expected = ["order_id,sku,quantity,tracking_number,carrier"], []
for n, order in enumerate(json.load(open(store))["orders"]):
    if order.get("status") != "OPEN":
        continue
    left = {}
    for item in order.get("orderItems", []):
        left[item["sourceItemId"]] = [item.get("sku"), item["quantity"] - item.get("refundedQuantity", 0)]
    for f in order.get("fulfillments", []):
        for entry in f.get("sourceItemIds", []):
            left[entry["sourceItemId"]][1] -= entry["quantity"]
    ship = [(i, s, q) for i, (s, q) in left.items() if q > 0 and s][:2]   # the first two
    if not ship:
        continue
    number = fedex(n)
    ref = order["sourceOrderId"]
    if n % 10 == 0:   # everything that remains
        ship = [(i, s, q) for i, (s, q) in left.items() if q > 0 and s]
        rows.append("%s,,,%s,FedEx" % (ref, number))
    else:
        rows += ["%s,%s,%d,%s,FedEx" % (ref, s, q, number) for _, s, q in ship]
    expected.append("%s\t%s\t%s" % (ref, number, ",".join(sorted("%s:%d" % (i, q) for i, _, q in ship))))
open(out, "w").write("\n".join(rows) + "\n")
open(out + ".expected", "w").write("".join(line + "\n" for line in sorted(expected)))
PY
LC_ALL=C sort -o "$manifest.expected" "$manifest.expected"
records=$(csv_records "$manifest")
note "$records rows over $(wc -l <"$manifest.expected") orders to ship, of $orders"

# state_lines STATE: the fulfillments shipload made (ids sl-...), one per line, sorted:
# "ORDER<TAB>NUMBER[;NUMBER]<TAB>ITEM:QTY,...".
state_lines() {
    jq -r '.orders[] | .sourceOrderId as $order | (.fulfillments // [])[]
        | select(.sourceFulfillmentId | startswith("sl-"))
        | "\($order)\t\(.trackingNumber | join(";"))\t\([.sourceItemIds[] | "\(.sourceItemId):\(.quantity)"] | sort | join(","))"' "$1" |
        LC_ALL=C sort
}
# state_doubles STATE: a tracking number on two fulfillments of one order.
state_doubles() {
    jq -r '[.orders[] | .sourceOrderId as $order | (.fulfillments // [])[] | .trackingNumber[]
             | "\($order) \(.)"] | group_by(.) | map(select(length > 1)) | .[] | .[0]' "$1"
}

import_args=(--platform orderprotection -t generic-csv --concurrency 32)
kill_args=(--platform orderprotection -t generic-csv --concurrency 8)   # slower: the kill lands mid-run

# check_run DIR: what must hold after any run against the faulty store.
check_run() {
    local dir=$1 label shipped missing extra doubles odd
    label=$(basename "$dir")
    check_reports "$dir" "$records" || return
    check_exit "$dir"
    sim_state "$dir.state"
    doubles=$(state_doubles "$dir.state")
    [ -z "$doubles" ] || fail "$label: shipped twice: $(echo "$doubles" | head -5)"
    state_lines "$dir.state" >"$dir.lines"
    extra=$(LC_ALL=C comm -23 "$dir.lines" "$manifest.expected")
    [ -z "$extra" ] || fail "$label: fulfillments the manifest did not ask for: $(echo "$extra" | head -5)"
    shipped=$(paste -d' ' <(csv_column "$dir/results.csv" status) \
        <(csv_column "$dir/results.csv" tracking_number) |
        awk '$1 == "shipped" || $1 == "duplicate" { print $2 }' | LC_ALL=C sort -u)
    missing=$(LC_ALL=C comm -23 <(echo "$shipped") <(cut -f2 "$dir.lines" | LC_ALL=C sort -u) |
        grep -v '^$')
    [ -z "$missing" ] || fail "$label: rows shipped whose number is not in the store: $(echo "$missing" | head -5)"
    odd=$(csv_column "$dir/rejects.csv" -2 | sort -u |
        grep -v -x -E 'rate_limited|server_error|network_error|timeout')
    [ -z "$odd" ] || fail "$label: unexpected error codes under faults: $odd"
    note "$label: exit $RC, $(statuses "$dir"), retries $(summary "$dir" .retries)"
}

# ---- faults
sim_start --platform orderprotection --store "$store" --fault-seed 11 --fail-rate 0.05 \
    --commit-fail-rate 0.05 --drop-rate 0.02 --threads 4 || e2e_finish
run_import "$E2E_WORK/faults1" "${import_args[@]}" "$manifest"
check_run "$E2E_WORK/faults1"
[ "$(summary "$E2E_WORK/faults1" .retries)" -gt 0 ] 2>/dev/null ||
    fail "faults1: no retries under injected faults"
last=$E2E_WORK/faults1
for run in 2 3 4 5; do
    [ "$(summary "$last" .failed)" = 0 ] && break
    run_import "$E2E_WORK/faults$run" "${import_args[@]}" "$manifest"
    check_run "$E2E_WORK/faults$run"
    last=$E2E_WORK/faults$run
done
assert_eq "faults: rows not a success after the re-runs" 0 "$(summary "$last" .failed)"
cmp -s "$last.lines" "$manifest.expected" ||
    fail "faults: the store differs from the manifest's fulfillments (expected < > got):
$(diff "$manifest.expected" "$last.lines" | head -10)"
sim_stop

# ---- kill -9 at a random moment, then a re-run
sim_start --platform orderprotection --store "$store" --latency-ms 5,2 --threads 4 || e2e_finish
writes_total=$(wc -l <"$manifest.expected")
at=$((writes_total * (5 + RANDOM % 81) / 100))
start_import "$E2E_WORK/killed" "${kill_args[@]}" "$manifest"
tries=0
while kill -0 "$IMPORT_PID" 2>/dev/null; do
    sim_stats "$E2E_WORK/poll.stats" 2>/dev/null &&
        [ "$(stats_writes "$E2E_WORK/poll.stats")" -ge "$at" ] && break
    [ $tries -ge 1200 ] && { fail "no $at writes within 60 s"; break; }
    sleep 0.05
    tries=$((tries + 1))
done
kill -KILL "$IMPORT_PID" 2>/dev/null
wait "$IMPORT_PID" 2>/dev/null
sim_quiesce
sim_stats "$E2E_WORK/killed.stats"
killed_at=$(stats_writes "$E2E_WORK/killed.stats")
note "killed after $killed_at writes (aimed at $at of $writes_total)"
[ "$killed_at" -gt 0 ] && [ "$killed_at" -lt "$writes_total" ] ||
    note "the kill did not land mid-run (slow or fast machine): the re-run is checked all the same"
run_import "$E2E_WORK/rerun" "${import_args[@]}" "$manifest"
check_reports "$E2E_WORK/rerun" "$records"
assert_eq "rerun: exit status ($(statuses "$E2E_WORK/rerun"))" 0 "$RC"
assert_eq "rerun: rows shipped or duplicate" "$records" \
    "$(($(status_count "$E2E_WORK/rerun" shipped) + $(status_count "$E2E_WORK/rerun" duplicate)))"
sim_state "$E2E_WORK/rerun.state"
doubles=$(state_doubles "$E2E_WORK/rerun.state")
[ -z "$doubles" ] || fail "rerun: shipped twice: $(echo "$doubles" | head -5)"
state_lines "$E2E_WORK/rerun.state" >"$E2E_WORK/rerun.lines"
cmp -s "$E2E_WORK/rerun.lines" "$manifest.expected" ||
    fail "rerun: the store differs from the manifest's fulfillments (expected < > got):
$(diff "$manifest.expected" "$E2E_WORK/rerun.lines" | head -10)"
sim_stats "$E2E_WORK/rerun.stats"
assert_eq "kill and rerun: one write per fulfillment created (a 409 is no second one)" \
    "$writes_total" "$(jq '.writes.fulfillmentsCreated' "$E2E_WORK/rerun.stats")"
sim_stop
e2e_finish
