#!/usr/bin/env bash
# test_import_orderprotection_errors.sh: every answer of OrderProtection's contract that shipload
# maps, provoked and seen with its code in results.csv and rejects.csv.
#  - Writes refused by the service (tests/e2e/lib/op_answers.py, which reads every order as
#    shippable and answers each create as the contract says it would after the order changed):
#    404 order_not_found, 409 duplicate (a success: the fulfillment is there), 422 unknown item
#    item_not_found, 422 quantity exceeds remaining quantity_exceeds_remaining, 422 order
#    cancelled order_canceled (each `rejected`: the service refused the write), 400
#    api_rejected with the service's message; the good row ships.
#  - store-sim --platform orderprotection: 404 on the order read (order_not_found); a wrong
#    token: 401, exit 3, every row auth_failed (failed or not_attempted), nothing written, and
#    the token in no report.
. "$(dirname "$0")/lib/e2e.sh"

# ---- the fake service
out=$E2E_WORK/fake.out
python3 "$SHIPLOAD_SOURCE_DIR/tests/e2e/lib/op_answers.py" "$E2E_TOKEN" >"$out" 2>"$out.err" &
fake_pid=$!
E2E_PIDS="$E2E_PIDS $fake_pid"
port=""
for _ in $(seq 1 600); do
    port=$(sed -n 's/^listening on \([0-9]*\)$/\1/p' "$out")
    [ -n "$port" ] && break
    kill -0 "$fake_pid" 2>/dev/null || break
    sleep 0.05
done
[ -n "$port" ] || { fail "op_answers.py did not start: $(cat "$out.err")"; e2e_finish; }

cat >"$E2E_WORK/writes.csv" <<'CSV'
order_id,sku,quantity,tracking_number,carrier
GONE 1,SKU-A,1,612345678913,FedEx
DUP 1,SKU-A,1,612345678924,FedEx
ITEM 1,SKU-A,1,612345678935,FedEx
QTY 1,SKU-A,1,612345678946,FedEx
CXL 1,SKU-A,1,612345678957,FedEx
BAD 1,SKU-A,1,612345678968,FedEx
OK 1,SKU-A,1,612345678979,FedEx
CSV
SIM_URL=http://127.0.0.1:$port
run_import "$E2E_WORK/writes" --platform orderprotection -t generic-csv --max-attempts 1 \
    "$E2E_WORK/writes.csv"
check_reports "$E2E_WORK/writes" 7
check_exit "$E2E_WORK/writes"
paste -d' ' <(csv_column "$E2E_WORK/writes/results.csv" order_ref | tr ' ' '_') \
    <(csv_column "$E2E_WORK/writes/results.csv" status) \
    <(csv_column "$E2E_WORK/writes/results.csv" error_code | sed 's/^$/-/') \
    <(csv_column "$E2E_WORK/writes/results.csv" http_status) >"$E2E_WORK/writes.got"
diff <(cat <<'WANT'
GONE_1 rejected order_not_found 404
DUP_1 duplicate - 409
ITEM_1 rejected item_not_found 422
QTY_1 rejected quantity_exceeds_remaining 422
CXL_1 rejected order_canceled 422
BAD_1 rejected api_rejected 400
OK_1 shipped - 201
WANT
) "$E2E_WORK/writes.got" >"$E2E_WORK/writes.diff" ||
    fail "create answers: status, code, HTTP status (expected < > got):
$(cat "$E2E_WORK/writes.diff")"
assert_eq "rejects.csv: the five refusals with their codes" \
    "order_not_found item_not_found quantity_exceeds_remaining order_canceled api_rejected" \
    "$(csv_column "$E2E_WORK/writes/rejects.csv" -2 | tr '\n' ' ' | sed 's/ $//')"
grep -q 'sourceItemIds is required' "$E2E_WORK/writes/rejects.csv" ||
    fail "the 400's message does not carry the service's words: $(cat "$E2E_WORK/writes/rejects.csv")"
grep -q 'unknown item 1' "$E2E_WORK/writes/rejects.csv" ||
    fail "the unknown item's message does not carry the service's words"
sim_stop "$fake_pid"

# ---- store-sim: an unknown order, then a wrong token
STORE=$SHIPLOAD_SOURCE_DIR/tests/store-sim/fixtures/orderprotection_store.json
sim_start --platform orderprotection --store "$STORE" || e2e_finish
printf 'order_id,sku,quantity,tracking_number,carrier\n#517ZZ,TSHIRT-BLU-M,1,612345678913,FedEx\n#517AB,TSHIRT-BLU-M,1,612345678924,FedEx\n' \
    >"$E2E_WORK/sim.csv"
sim_stats "$E2E_WORK/stats0.json"
SHIPLOAD_API_TOKEN=wrong-token-$$ "$SHIPLOAD" import --api-url "$SIM_URL" -o "$E2E_WORK/token" \
    --progress=never --platform orderprotection -t generic-csv "$E2E_WORK/sim.csv" \
    >"$E2E_WORK/token.out" 2>"$E2E_WORK/token.err"
RC=$?
assert_eq "401: exit 3" 3 "$RC"
check_reports "$E2E_WORK/token" 2
assert_eq "401: every row auth_failed (failed where the 401 came, else not_attempted)" 2 \
    "$(paste -d/ <(csv_column "$E2E_WORK/token/results.csv" status) \
        <(csv_column "$E2E_WORK/token/results.csv" error_code) |
        grep -c -x -E '(failed|not_attempted)/auth_failed')"
grep -q "refused the token (HTTP 401)" "$E2E_WORK/token.err" ||
    fail "401: stderr does not say so: $(cat "$E2E_WORK/token.err")"
sim_stats "$E2E_WORK/stats1.json"
assert_eq "401: nothing written" "$(stats_writes "$E2E_WORK/stats0.json")" \
    "$(stats_writes "$E2E_WORK/stats1.json")"
assert_eq "401: the answers were 401" 1 "$([ "$(stats_requests "$E2E_WORK/stats1.json" GET 401)" -ge 1 ] && echo 1)"
assert_file_lacks "the wrong token" "wrong-token-$$" "$E2E_WORK/token" "$E2E_WORK/token.err"

run_import "$E2E_WORK/unknown" --platform orderprotection -t generic-csv "$E2E_WORK/sim.csv"
check_reports "$E2E_WORK/unknown" 2
assert_eq "404 on the read: order_not_found, the other row ships" \
    "unmatched/order_not_found shipped/" \
    "$(paste -d/ <(csv_column "$E2E_WORK/unknown/results.csv" status) \
        <(csv_column "$E2E_WORK/unknown/results.csv" error_code) | tr '\n' ' ' | sed 's/ $//')"
sim_stop
e2e_finish
