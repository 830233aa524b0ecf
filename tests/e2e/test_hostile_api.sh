#!/usr/bin/env bash
# test_hostile_api.sh: `shipload import` against an API that misbehaves on purpose
# (tests/hostile-api/hostile_api.py on loopback), one case per behaviour (issue 19). Each case
# asserts: the run ends (a hang guard of 120 s, not a timing), its peak memory is bounded
# (/usr/bin/time -v; 200 MB: a few times the process's own needs, far below what the hostile
# answers would take if read whole), every row ends failed with the code of the behaviour, the
# reports are complete, and the token reached no other host.
#   rate-limit   429 + Retry-After: 3600 forever; --max-wait 2: rate_limited rows, a stderr line
#   huge         a 64 MB answer to a lookup: refused as too large, not "could not be reached"
#   malformed    a body that is not JSON: server_error rows naming the malformed body
#   wrong-types  JSON with the wrong types: server_error rows
#   slow         one byte every half second: the --timeout ends each attempt
#   redirect     302 to another host that records what it receives: never followed
#   success-false  200 with success:false to every lookup: not a success
#   endless      pages that always say "next": a bounded number of requests
# Needs SHIPLOAD, SHIPLOAD_SOURCE_DIR, python3, /usr/bin/time, jq.
. "$(dirname "$0")/lib/e2e.sh"

HOSTILE=$SHIPLOAD_SOURCE_DIR/tests/hostile-api/hostile_api.py
command -v python3 >/dev/null || { echo "SKIP: python3 is needed"; exit 0; }

manifest=$E2E_WORK/manifest.csv
printf 'order_number,tracking_number,carrier\n#1001,1Z999AA10123456784,UPS\n#1002,1Z999AA10123456793,UPS\n' \
    >"$manifest"

# hostile_start MODE [args...]: starts the server; sets HOSTILE_URL.
hostile_start() {
    local mode=$1
    shift
    python3 "$HOSTILE" --mode "$mode" --token "$E2E_TOKEN" "$@" >"$E2E_WORK/$mode.url" \
        2>"$E2E_WORK/$mode.server.err" &
    E2E_PIDS="$E2E_PIDS $!"
    local tries=0
    while [ ! -s "$E2E_WORK/$mode.url" ] && [ $tries -lt 100 ]; do
        sleep 0.05
        tries=$((tries + 1))
    done
    HOSTILE_URL=$(head -1 "$E2E_WORK/$mode.url")
    [ -n "$HOSTILE_URL" ] || fail "$mode: the hostile server did not start"
}

# hostile_import CASE [args...]: runs the import against HOSTILE_URL; sets RC, PEAK_KB.
hostile_import() {
    local name=$1
    shift
    SHIPLOAD_API_TOKEN=$E2E_TOKEN /usr/bin/time -v -o "$E2E_WORK/$name.time" \
        timeout 120 "$SHIPLOAD" import -t generic-csv --api-url "$HOSTILE_URL" --no-preflight \
        -o "$E2E_WORK/$name" --progress=never "$@" "$manifest" \
        >"$E2E_WORK/$name.out" 2>"$E2E_WORK/$name.err"
    RC=$?
    PEAK_KB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$E2E_WORK/$name.time")
    [ "$RC" != 124 ] || fail "$name: still running after 120 s"
    assert_le "$name: peak RSS (KiB)" $((200 * 1024)) "${PEAK_KB:-0}"
    check_reports "$E2E_WORK/$name" 2
    assert_file_lacks "$name: the token" "$E2E_TOKEN" "$E2E_WORK/$name.err" \
        "$E2E_WORK/$name"/*
}

# rows_coded CASE CODE: every row failed with CODE.
rows_coded() {
    local got
    got=$(csv_column "$E2E_WORK/$1/results.csv" error_code | sort -u | tr '\n' ' ')
    assert_eq "$1: row codes" "$2 " "$got"
}

hostile_start rate-limit
hostile_import rate-limit --max-wait 2
rows_coded rate-limit rate_limited
grep -q 'answered only 429 (rate limited) for 2 s (--max-wait)' "$E2E_WORK/rate-limit.err" ||
    fail "rate-limit: no stderr line about --max-wait: $(head -c 500 "$E2E_WORK/rate-limit.err")"
ok "rate-limit: gave up after --max-wait, peak ${PEAK_KB} KiB"

hostile_start huge
hostile_import huge --max-attempts 2
rows_coded huge server_error
grep -q 'larger than' "$E2E_WORK/huge/results.csv" || fail "huge: the rows do not say the answer was too large"
! grep -q 'could not be reached' "$E2E_WORK/huge.err" || fail "huge: reported as unreachable"
ok "huge: refused, peak ${PEAK_KB} KiB"

hostile_start malformed
hostile_import malformed
rows_coded malformed server_error
grep -q 'malformed' "$E2E_WORK/malformed/results.csv" || fail "malformed: the rows do not say so"
ok "malformed: server_error rows"

hostile_start wrong-types
hostile_import wrong-types
rows_coded wrong-types server_error
ok "wrong-types: server_error rows"

hostile_start slow
hostile_import slow --timeout 2 --max-attempts 2
rows_coded slow timeout
ok "slow: timed out per attempt"

: >"$E2E_WORK/other-host.log"
hostile_start success-false --host 127.0.0.2 --log "$E2E_WORK/other-host.log"
other=$HOSTILE_URL
hostile_start redirect --redirect-to "$other" --log "$E2E_WORK/redirect.log"
hostile_import redirect
[ ! -s "$E2E_WORK/other-host.log" ] || fail "redirect: the other host was contacted: $(head -3 "$E2E_WORK/other-host.log")"
grep -q ' token$' "$E2E_WORK/redirect.log" || fail "redirect: the API itself never saw the token"
ok "redirect: not followed; the token reached no other host"

HOSTILE_URL=$other
hostile_import success-false
! csv_column "$E2E_WORK/success-false/results.csv" status | grep -qx shipped ||
    fail "success-false: a row reported shipped"
ok "success-false: no row a success ($(statuses "$E2E_WORK/success-false"))"

: >"$E2E_WORK/endless.log"
hostile_start endless --log "$E2E_WORK/endless.log"
hostile_import endless
requests=$(wc -l <"$E2E_WORK/endless.log")
assert_le "endless: requests" 50 "$requests"
ok "endless: $requests requests"

e2e_finish
