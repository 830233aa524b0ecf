#!/usr/bin/env bash
# test_sim_cli.sh: store-sim's command line: the token is required (--token, --token-file,
# SIM_TOKEN), bad flags and bad stores exit 2 with a message, --generate/--seed/--write-store
# are deterministic and write-then-exit, a written store serves the same orders, --log records
# requests without the token, SIGINT stops cleanly, a store whose orders share a name loads and
# ?name= returns them all. Needs STORE_SIM, curl, jq.
set -uo pipefail
: "${STORE_SIM:?path of the store-sim binary}"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../store-sim/sim-test-lib.sh"
SHIPLOAD_SOURCE_DIR=${SHIPLOAD_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
run() { "$STORE_SIM" "$@" >"$sim_tmp/out" 2>"$sim_tmp/err"; status=$?; }

run --store "$SHIPLOAD_SOURCE_DIR/samples/store.json" </dev/null
[ "$status" = 2 ] && grep -q "token is required" "$sim_tmp/err" && pass "token required" || fail "no token: exit $status"
for flags in "--fail-rate 1.5" "--latency-ms ten" "--port 70000" "--rate-limit -1" "--bogus" \
             "--store /nonexistent.json" "--store a.json --generate 3"; do
    run --token t $flags
    [ "$status" = 2 ] && [ -s "$sim_tmp/err" ] && pass "refused: $flags" || fail "$flags: exit $status"
done
printf '{"orders":[{"id":"1"},{"id":"1"}]}' >"$sim_tmp/dup.json"
run --token t --store "$sim_tmp/dup.json"
[ "$status" = 2 ] && grep -q "appears twice" "$sim_tmp/err" && pass "duplicate ids refused" || fail "duplicate ids: exit $status"

# names need not be unique (a platform aggregating sales channels): both orders load and ?name=
# (with or without '#') returns both, in store order, paged
printf '{"orders": [\n{"id": "s1", "name": "#77"},\n{"id": "s2", "name": "#78"},\n{"id": "s3", "name": "77"}\n]}\n' >"$sim_tmp/same-name.json"
sim_start --store "$sim_tmp/same-name.json" || exit 1
sim_get '/api/v2/orders?name=%2377'
[ "$SIM_STATUS" = 200 ] && [ "$(jq -c '[.orders[].id]' <<<"$SIM_BODY")" = '["s1","s3"]' ] &&
    pass "same-name orders: ?name=#77 returns both" || fail "?name=#77: $SIM_STATUS ${SIM_BODY:0:200}"
sim_get '/api/v2/orders?name=77&limit=1&page=2'
[ "$SIM_STATUS" = 200 ] && [ "$(jq -c '[[.orders[].id], .page]' <<<"$SIM_BODY")" = '[["s3"],{"current":2,"next":null}]' ] &&
    pass "same-name orders: paged" || fail "?name=77 page 2: $SIM_STATUS ${SIM_BODY:0:200}"
sim_stop

# --write-store without --port writes and exits; the same seed writes the same bytes
run --generate 300 --seed 5 --write-store "$sim_tmp/a.json"
[ "$status" = 0 ] && [ ! -s "$sim_tmp/out" ] && pass "write-store exits" || fail "write-store: exit $status"
run --generate 300 --seed 5 --write-store "$sim_tmp/b.json"
run --generate 300 --seed 6 --write-store "$sim_tmp/c.json"
cmp -s "$sim_tmp/a.json" "$sim_tmp/b.json" && pass "same seed, same store" || fail "--seed is not deterministic"
cmp -s "$sim_tmp/a.json" "$sim_tmp/c.json" && fail "another seed, same store" || pass "another seed, another store"
[ "$(jq '.orders | length' "$sim_tmp/a.json")" = 300 ] && pass "300 orders" || fail "order count"

# serving the written store gives the generated orders; --generate serves the same
sim_start --store "$sim_tmp/a.json" --log "$sim_tmp/log" || exit 1
sim_admin /__sim/state
from_file=$(jq -c '.orders' <<<"$SIM_BODY")
id=$(jq -r '.orders[7].id' "$sim_tmp/a.json")
sim_get "/api/v2/orders/$id"
[ "$SIM_STATUS" = 200 ] && [ "$(jq -r .order.id <<<"$SIM_BODY")" = "$id" ] && pass "written store serves" || fail "GET $id: $SIM_STATUS"
sim_stop
grep -q "GET /api/v2/orders/$id 200" "$sim_tmp/log" && pass "log line" || fail "log: $(cat "$sim_tmp/log")"
grep -q "$SIM_TEST_TOKEN" "$sim_tmp/log" && fail "the token is in the log" || pass "no token in the log"
sim_start --generate 300 --seed 5 || exit 1
sim_admin /__sim/state
[ "$(jq -c '.orders' <<<"$SIM_BODY")" = "$from_file" ] && pass "--generate serves the same store" || fail "--generate differs from the file"
sim_stop

# --token-file and SIM_TOKEN; SIGINT
echo "file-token" >"$sim_tmp/token"
"$STORE_SIM" --token-file "$sim_tmp/token" --store "$sim_tmp/a.json" >"$sim_tmp/out2" 2>/dev/null &
pid=$!
for _ in $(seq 600); do [ -s "$sim_tmp/out2" ] && break; sleep 0.05; done
url=$(sed -n 's/^listening on //p' "$sim_tmp/out2")
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: file-token' "$url/api/v2/orders?limit=1")
[ "$code" = 200 ] && pass "--token-file" || fail "--token-file: $code"
kill -INT $pid; wait $pid; code=$?
[ "$code" = 0 ] && pass "SIGINT exits 0" || fail "SIGINT: exit $code"
SIM_TOKEN=env-token "$STORE_SIM" --store "$sim_tmp/a.json" >"$sim_tmp/out3" 2>/dev/null &
pid=$!
for _ in $(seq 600); do [ -s "$sim_tmp/out3" ] && break; sleep 0.05; done
url=$(sed -n 's/^listening on //p' "$sim_tmp/out3")
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: env-token' "$url/api/v2/orders?limit=1")
[ "$code" = 200 ] && pass "SIM_TOKEN" || fail "SIM_TOKEN: $code"
kill -TERM $pid; wait $pid; code=$?
[ "$code" = 0 ] && pass "SIGTERM exits 0" || fail "SIGTERM: exit $code"
"$STORE_SIM" --help >"$sim_tmp/help" 2>&1 && grep -q -- "--commit-fail-rate" "$sim_tmp/help" &&
    pass "--help" || fail "--help"

sim_stop
[ "$SIM_STOP_FAILED" = 0 ] || { echo "FAIL: store-sim did not exit cleanly" >&2; failures=$((failures + 1)); }
[ "$failures" = 0 ] && echo "all passed" || echo "$failures failed" >&2
exit $((failures > 0))
