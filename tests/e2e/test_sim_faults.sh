#!/usr/bin/env bash
# test_sim_faults.sh: each fault flag of store-sim happens at about its configured rate and
# nothing else happens: --fail-rate (503, nothing applied), --commit-fail-rate (500, applied;
# reads untouched), --drop-rate (no answer, nothing applied), --hang-rate (late answer,
# applied), --rate-limit (429 with Retry-After, nothing applied), --latency-ms MS[,JITTER].
# Counts come from the answers and are checked against /__sim/stats and /__sim/state.
# Needs STORE_SIM, curl, jq.
set -uo pipefail
: "${STORE_SIM:?path of the store-sim binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../store-sim/sim-test-lib.sh"

N=500
cat >"$sim_tmp/store.json" <<'JSON'
{"orders": [{"id": "o1", "name": "#1", "packages": [
  {"id": "p1", "fulfillmentOrderId": "f1", "items": [{"id": "a", "quantity": 100000}]}]}]}
JSON
WRITE='{"fulfillments":[{"fulfillmentOrderId":"f1","tracking":{"number":"T1"},"items":[{"id":"a","quantity":1}]}]}'
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# blast COUNT METHOD PATH [BODY]: COUNT requests over one curl (keep-alive unless BLAST_EXTRA
# says otherwise); one "status seconds" line per request in $sim_tmp/codes, the response
# headers in $sim_tmp/headers.
BLAST_EXTRA=()
blast() {
    local count=$1 method=$2 path=$3 body=${4-} args=()
    for _ in $(seq "$count"); do args+=(-o /dev/null "$SIM_URL$path"); done
    local data=()
    [ -n "$body" ] && data=(--data-binary "$body")
    rm -f "$sim_tmp/headers"
    curl -s -X "$method" -H "Authorization: $SIM_TEST_TOKEN" "${data[@]}" "${BLAST_EXTRA[@]}" \
        -D "$sim_tmp/headers" -w '%{http_code} %{time_total}\n' "${args[@]}" >"$sim_tmp/codes"
}
count_status() { awk -v s="$1" '$1 == s' "$sim_tmp/codes" | wc -l; }
only_statuses() {   # only_statuses S1 S2...: no other status in the answers
    local pattern=$(printf '%s|' "$@")
    ! awk '{ print $1 }' "$sim_tmp/codes" | grep -Evq "^(${pattern%|})\$"
}
applied_units() { sim_admin /__sim/state; jq '.orders[0].packages[0].items[0].fulfilledQuantity' <<<"$SIM_BODY"; }
stat() { sim_admin /__sim/stats; jq -r "$1" <<<"$SIM_BODY"; }
within() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

# --- --fail-rate 0.2: about 100 of 500 writes get 503 and are not applied
sim_start --store "$sim_tmp/store.json" --fail-rate 0.2 --fault-seed 7 || exit 1
blast $N POST /api/v2/orders/o1/packages/fulfillments "$WRITE"
failed=$(count_status 503) ok=$(count_status 200) units=$(applied_units)
echo "fail-rate: 503=$failed 200=$ok applied=$units"
within "$failed" 65 135 && pass "fail-rate near 20%" || fail "fail-rate: $failed of $N"
only_statuses 200 503 && pass "fail-rate: only 200 and 503" || fail "fail-rate: other statuses"
[ "$units" = "$ok" ] && pass "fail-rate: nothing applied for 503" || fail "fail-rate: applied $units for $ok successes"
[ "$(stat .faults.failed)" = "$failed" ] && [ "$(stat '.requests.byStatus["503"]')" = "$failed" ] &&
    pass "fail-rate: stats agree" || fail "fail-rate: stats disagree"
sim_stop

# --- --commit-fail-rate 0.2: about 100 of 500 writes answer 500 but are applied; reads never fail
sim_start --store "$sim_tmp/store.json" --commit-fail-rate 0.2 --fault-seed 7 || exit 1
blast $N POST /api/v2/orders/o1/packages/fulfillments "$WRITE"
failed=$(count_status 500) ok=$(count_status 200) units=$(applied_units)
echo "commit-fail-rate: 500=$failed 200=$ok applied=$units"
within "$failed" 65 135 && pass "commit-fail-rate near 20%" || fail "commit-fail-rate: $failed of $N"
only_statuses 200 500 && pass "commit-fail-rate: only 200 and 500" || fail "commit-fail-rate: other statuses"
[ "$units" = "$N" ] && pass "commit-fail-rate: every write applied" || fail "commit-fail-rate: applied $units of $N"
[ "$(stat .faults.commitFailed)" = "$failed" ] && [ "$(stat .writes.requestsApplied)" = "$N" ] &&
    pass "commit-fail-rate: stats agree" || fail "commit-fail-rate: stats disagree"
blast 200 GET /api/v2/orders/o1
[ "$(count_status 200)" = 200 ] && pass "commit-fail-rate: reads untouched" || fail "commit-fail-rate: a read failed"
sim_stop

# --- --drop-rate 0.1: about 50 of 500 writes get no answer and are not applied. One connection
# per request: curl (like libcurl) silently resends a request whose reused connection closed
# without a byte, which would hide the drops from the count.
sim_start --store "$sim_tmp/store.json" --drop-rate 0.1 --fault-seed 7 || exit 1
BLAST_EXTRA=(-H 'Connection: close')
blast $N POST /api/v2/orders/o1/packages/fulfillments "$WRITE"
BLAST_EXTRA=()
dropped=$(count_status 000) ok=$(count_status 200) units=$(applied_units)
echo "drop-rate: dropped=$dropped 200=$ok applied=$units"
within "$dropped" 28 75 && pass "drop-rate near 10%" || fail "drop-rate: $dropped of $N"
only_statuses 200 000 && pass "drop-rate: only 200 and no answer" || fail "drop-rate: other statuses"
[ "$units" = "$ok" ] && pass "drop-rate: nothing applied for drops" || fail "drop-rate: applied $units for $ok successes"
[ "$(stat .faults.dropped)" = "$dropped" ] && [ "$(stat .requests.byStatus.dropped)" = "$dropped" ] &&
    pass "drop-rate: stats agree" || fail "drop-rate: stats disagree"
sim_stop

# --- --hang-rate 0.05 (--hang-ms 5000): about 10 of 200 writes answer late, all applied (late
# means 4.5 s or more: far above what a loaded machine adds to a prompt answer)
sim_start --store "$sim_tmp/store.json" --hang-rate 0.05 --hang-ms 5000 --fault-seed 7 --threads 2 || exit 1
args=()
for _ in $(seq 200); do args+=(-o /dev/null "$SIM_URL/api/v2/orders/o1/packages/fulfillments"); done
curl -s -Z --parallel-max 20 -X POST -H "Authorization: $SIM_TEST_TOKEN" --data-binary "$WRITE" \
    -w '%{http_code} %{time_total}\n' "${args[@]}" >"$sim_tmp/codes" 2>/dev/null
slow=$(awk '$2 >= 4.5' "$sim_tmp/codes" | wc -l) ok=$(count_status 200) units=$(applied_units)
echo "hang-rate: late=$slow 200=$ok applied=$units"
within "$slow" 2 22 && pass "hang-rate near 5%" || fail "hang-rate: $slow of 200 late"
[ "$ok" = 200 ] && pass "hang-rate: every request answered 200" || fail "hang-rate: $ok answered 200"
[ "$units" = 200 ] && pass "hang-rate: every write applied" || fail "hang-rate: applied $units"
[ "$(stat .faults.hung)" = "$slow" ] && pass "hang-rate: stats agree" || fail "hang-rate: stats say $(stat .faults.hung)"
sim_stop

# --- --rate-limit 50: beyond 50 requests in a second, 429 with Retry-After, nothing applied
sim_start --store "$sim_tmp/store.json" --rate-limit 50 || exit 1
start=$(date +%s.%N)
blast 300 POST /api/v2/orders/o1/packages/fulfillments "$WRITE"
elapsed=$(echo "$(date +%s.%N) - $start" | awk '{ print $1 - $3 }')
limited=$(count_status 429) ok=$(count_status 200) units=$(applied_units)
windows=$(awk -v e="$elapsed" 'BEGIN { print int(e) + 2 }')
echo "rate-limit: 429=$limited 200=$ok applied=$units in ${elapsed}s"
[ "$ok" -ge 50 ] && [ "$ok" -le $((50 * windows)) ] && pass "rate-limit: at most 50 per second" ||
    fail "rate-limit: $ok accepted in $elapsed s"
[ "$limited" -gt 0 ] && only_statuses 200 429 && pass "rate-limit: the excess got 429, nothing else" ||
    fail "rate-limit: 429=$limited or other statuses"
[ "$units" = "$ok" ] && pass "rate-limit: nothing applied for 429" || fail "rate-limit: applied $units"
retry_after=$(grep -ci '^Retry-After: 1' "$sim_tmp/headers")
[ "$retry_after" = "$limited" ] && pass "rate-limit: Retry-After on every 429" ||
    fail "rate-limit: $retry_after Retry-After headers for $limited answers 429"
[ "$(stat .faults.rateLimited)" = "$limited" ] && pass "rate-limit: stats agree" || fail "rate-limit: stats disagree"
sim_stop

# --- --latency-ms 100 and 100,50
sim_start --store "$sim_tmp/store.json" --latency-ms 100 || exit 1
blast 10 GET /api/v2/orders/o1
awk '$1 != 200 || $2 < 0.095 || $2 > 0.6 { bad = 1 } END { exit bad }' "$sim_tmp/codes" &&
    pass "latency 100 ms" || fail "latency: $(tr '\n' ' ' <"$sim_tmp/codes")"
sim_stop
sim_start --store "$sim_tmp/store.json" --latency-ms 100,50 || exit 1
blast 20 GET /api/v2/orders/o1
awk '$1 != 200 || $2 < 0.045 || $2 > 0.6 { bad = 1 } $2 < min || NR == 1 { min = $2 } $2 > max { max = $2 }
     END { exit bad || max - min < 0.02 }' "$sim_tmp/codes" &&
    pass "latency 100±50 ms" || fail "latency with jitter: $(tr '\n' ' ' <"$sim_tmp/codes")"
sim_stop

# --- without fault flags nothing is faulted
sim_start --store "$sim_tmp/store.json" || exit 1
blast 300 POST /api/v2/orders/o1/packages/fulfillments "$WRITE"
[ "$(count_status 200)" = 300 ] && [ "$(applied_units)" = 300 ] && pass "no flags: no faults" || fail "no flags: faults seen"
sim_stop

sim_stop
[ "$SIM_STOP_FAILED" = 0 ] || { echo "FAIL: store-sim did not exit cleanly" >&2; failures=$((failures + 1)); }
[ "$failures" = 0 ] && echo "all passed" || echo "$failures failed" >&2
exit $((failures > 0))
