#!/usr/bin/env bash
# test_import_shoplazza_faults.sh: `shipload import --platform shoplazza` of a manifest for a
# generated 2,000-order Shoplazza store (store-sim --platform shoplazza --generate) against a
# simulator injecting --fail-rate 0.05 --commit-fail-rate 0.05 --drop-rate 0.02:
#  - after every run: every row accounted for (conservation, rejects = failures), only
#    transport codes among the failures, no line item shipped beyond its quantity (shipped +
#    refunded <= ordered), no tracking number on two active fulfillments, nothing in the store
#    the manifest did not ask for; re-runs finish the rest, and the final store equals that of
#    an uninterrupted run on a fault-free simulator;
#  - kill -9 at a seeded random moment (a share of the reference run's writes), then re-runs
#    on the faulty simulator: the store again equals the uninterrupted run's.
# Pacing is not under test here (test_import_shoplazza.sh runs at the default 2/s): the
# simulator's bucket drains --rate-limit 1000 per second and shipload paces at --rate-limit
# 1000 (its maximum), so each run takes seconds, not the quarter hour 2 requests/s would: the
# whole test (six runs) uses about 12 s of CPU and stays well under a minute on an idle
# machine. Orders are divided by 4 under sanitizers.
# The manifest: orders by id (looked up 250 at a time, so a run is about one write per order),
# one row per line item left to ship (by SKU, with its quantity), or for every fourth order
# one row without SKU (everything that remains); YunExpress numbers (code yunexpress), one per
# order. A write answered 500 after it was applied (--commit-fail-rate) is settled by reading
# the order back: its rows end shipped, never a second write refused for quantity. SHIPLOAD_CRASH_SEED picks another kill moment (default 42).
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl, python3.
. "$(dirname "$0")/lib/e2e.sh"

RANDOM=${SHIPLOAD_CRASH_SEED:-42}
orders=$(scaled 2000)
store=$E2E_WORK/store.json
manifest=$E2E_WORK/manifest.csv
faults=(--fault-seed 5 --fail-rate 0.05 --commit-fail-rate 0.05 --drop-rate 0.02)
pace=(--rate-limit 1000)
import_args=(--platform shoplazza -t generic-csv "${pace[@]}")

"$STORE_SIM" --platform shoplazza --generate "$orders" --seed 11 --write-store "$store" \
    >/dev/null 2>"$store.err" || { fail "store-sim --write-store: $(head -c 500 "$store.err")"; e2e_finish; }
python3 - "$store" >"$manifest" <<'PY'
import csv, json, sys
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["order_id", "sku", "quantity", "tracking_number", "carrier"])
shippable = 0
for index, order in enumerate(json.load(open(sys.argv[1]))["orders"]):
    if order["status"] not in ("opened", "placed") or \
            order["financial_status"] not in ("paid", "partially_refunded"):
        continue
    shipped = {}
    for fulfillment in order.get("fulfillments", []):
        if fulfillment.get("status") != "cancelled":
            for item in fulfillment["line_items"]:
                shipped[item["id"]] = shipped.get(item["id"], 0) + item["ship_quantity"]
    left = [(item["sku"], item["quantity"] - item["refund_quantity_total"] - shipped.get(item["id"], 0))
            for item in order["line_items"]]
    left = [(sku, n) for sku, n in left if n > 0]
    if not left:
        continue
    number = order["id"]
    tracking = "YT%016d" % (int(order["number"]) * 7 + 13)
    skus = [sku for sku, _ in left]
    if index % 4 == 0 or len(set(skus)) != len(skus):
        out.writerow([number, "", "", tracking, "YunExpress"])
    else:
        for sku, n in left:
            out.writerow([number, sku, n, tracking, "YunExpress"])
PY
records=$(csv_records "$manifest")
note "$orders orders, $records rows"

# state_lines STATE: one line per active fulfillment, ids and times left out, sorted:
# "ORDER TRACKING[;TRACKING] ITEM:QTY,..."
state_lines() {
    jq -r '.orders[] | .number as $n | .fulfillments[]? | select(.status != "cancelled")
        | "\($n) \([.tracking_items[]?.tracking_number] + [.tracking_number] | unique | join(";")) \(
            [.line_items[] | "\(.id):\(.ship_quantity)"] | sort | join(","))"' "$1" | LC_ALL=C sort
}

# check_store LABEL STATE: no over-shipped line item, no tracking number twice, nothing the
# manifest did not ask for
check_store() {
    local over twice foreign
    over=$(jq -r '.orders[] | . as $o | .line_items[] | .id as $id
        | ([$o.fulfillments[]? | select(.status != "cancelled") | .line_items[]
            | select(.id == $id) | .ship_quantity] | add // 0) as $shipped
        | select($shipped + .refund_quantity_total > .quantity)
        | "\($o.number) \($id): \($shipped) shipped + \(.refund_quantity_total) refunded > \(.quantity)"' "$2")
    [ -z "$over" ] || fail "$1: line items shipped beyond their quantity: $(echo "$over" | head -5)"
    twice=$(jq -r '[.orders[] | .fulfillments[]? | select(.status != "cancelled")
        | .tracking_number] | group_by(.) | map(select(length > 1)) | .[] | "\(.[0]) x\(length)"' "$2")
    [ -z "$twice" ] || fail "$1: tracking numbers on two fulfillments: $(echo "$twice" | head -5)"
    foreign=$(state_lines "$2" | cut -d' ' -f2 | grep -v -x -F -f <(csv_column "$manifest" tracking_number) |
        grep -v -x -F -f <(state_lines "$store" | cut -d' ' -f2))
    [ -z "$foreign" ] || fail "$1: fulfillments the manifest did not ask for: $(echo "$foreign" | head -5)"
}

# check_run DIR: what must hold after any run against the faulty store
check_run() {
    local dir=$1 label odd
    label=$(basename "$dir")
    check_reports "$dir" "$records" || return
    check_exit "$dir"
    odd=$(csv_column "$dir/rejects.csv" -2 | sort -u |
        grep -v -x -E 'rate_limited|server_error|network_error|timeout')
    [ -z "$odd" ] || fail "$label: unexpected error codes under faults: $odd"
    sim_state "$dir.state"
    check_store "$label" "$dir.state"
    note "$label: exit $RC, $(statuses "$dir"), retries $(summary "$dir" .retries)"
}

# finish LABEL: re-runs until every row is a success (at most 4 more runs)
finish() {
    local run
    for run in 2 3 4 5; do
        [ "$(summary "$E2E_WORK/$1" .failed)" = 0 ] && return 0
        run_import "$E2E_WORK/$1.$run" "${import_args[@]}" "$manifest"
        check_run "$E2E_WORK/$1.$run"
        [ -f "$E2E_WORK/$1.$run/summary.json" ] || return 1
        rm -rf "$E2E_WORK/$1" && mv "$E2E_WORK/$1.$run" "$E2E_WORK/$1"
    done
    assert_eq "$1: every row a success after 5 runs" 0 "$(summary "$E2E_WORK/$1" .failed)"
}

# Reference: an uninterrupted run on a fault-free simulator
sim_start --platform shoplazza --store "$store" "${pace[@]}" || e2e_finish
run_import "$E2E_WORK/reference" "${import_args[@]}" "$manifest"
check_reports "$E2E_WORK/reference" "$records"
assert_eq "reference run: exit status ($(statuses "$E2E_WORK/reference"))" 0 "$RC"
sim_state "$E2E_WORK/reference.state"
check_store reference "$E2E_WORK/reference.state"
state_lines "$E2E_WORK/reference.state" >"$E2E_WORK/reference.lines"
sim_stats "$E2E_WORK/reference.stats"
total_writes=$(stats_writes "$E2E_WORK/reference.stats")
note "reference: $(statuses "$E2E_WORK/reference"), $total_writes writes"
sim_stop

# same_as_reference LABEL STATE
same_as_reference() {
    state_lines "$2" >"$E2E_WORK/$1.lines"
    cmp -s "$E2E_WORK/reference.lines" "$E2E_WORK/$1.lines" ||
        fail "$1: store differs from the uninterrupted run's (reference < > this):
$(diff "$E2E_WORK/reference.lines" "$E2E_WORK/$1.lines" | head -10)"
}

# Faults
sim_start --platform shoplazza --store "$store" "${faults[@]}" "${pace[@]}" || e2e_finish
run_import "$E2E_WORK/faults" "${import_args[@]}" "$manifest"
check_run "$E2E_WORK/faults"
[ "$(summary "$E2E_WORK/faults" .retries)" -gt 0 ] 2>/dev/null ||
    fail "faults: no retries reported under injected faults"
finish faults
sim_state "$E2E_WORK/faults.final"
same_as_reference faults "$E2E_WORK/faults.final"
sim_stats "$E2E_WORK/faults.stats"
note "faults: $(jq -c .faults "$E2E_WORK/faults.stats")"

# kill -9 at a seeded moment, then re-runs on the faulty simulator
sim_reset || fail "POST /__sim/reset failed"
at=$((total_writes * (5 + RANDOM % 81) / 100))
start_import "$E2E_WORK/kill" "${import_args[@]}" "$manifest"
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
sim_stats "$E2E_WORK/kill.stats"
note "killed after $(stats_writes "$E2E_WORK/kill.stats") writes (aimed at $at of $total_writes)"
sim_state "$E2E_WORK/kill.state"
check_store kill "$E2E_WORK/kill.state"
run_import "$E2E_WORK/rerun" "${import_args[@]}" "$manifest"
check_run "$E2E_WORK/rerun"
finish rerun
sim_state "$E2E_WORK/rerun.final"
same_as_reference rerun "$E2E_WORK/rerun.final"
sim_stop

e2e_finish
