#!/usr/bin/env bash
# test_import_token.sh: the API token (spec §7 "401 stops the run", §8 "the token never appears
# in any file or log", contract "never from argv").
# - Wrong token, from SHIPLOAD_API_TOKEN and from --token-file: refused by the preflight (one
#   read answered 401, exit 3, no report). With --no-preflight: exit 3, no write request sent and
#   no write applied (/__sim/stats), at most --concurrency requests answered 401 (nothing is sent
#   after the first 401 but what was already in flight), every row accounted for and none a
#   success; the wrong token appears in no report file, stdout or stderr (also with -v -v).
# - Wrong token with two sources: nothing is sent for the second; its rows are reported
#   not_attempted with auth_failed.
# - Right token: the run ships, and the token appears in no report file nor output (with -v -v).
# - No token at all: exit 2 (configuration error), nothing sent; also without any API URL.
# - No API URL: the contract's default https://api.ecartapi.com is used (kept off the network by
#   a proxy on a closed local port: exit 3, the URL named, rows failed with a transport code).
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl.
. "$(dirname "$0")/lib/e2e.sh"

store=$E2E_WORK/store.json
manifest=$E2E_WORK/manifest.csv
gen_store "$store" 120 5 || e2e_finish
gen_manifest "$store" 200 "$manifest" || e2e_finish
records=$(csv_records "$manifest")
sim_start --store "$store" || e2e_finish
wrong="sl-wrong-token-$RANDOM$RANDOM$RANDOM"   # distinctive, so a grep finds any leak

# check_refused_at_preflight LABEL: the run in $E2E_WORK/LABEL was refused by the preflight
# (issue 15): exit 3 auth_failed after the one probe read, before any row was read; no report.
check_refused_at_preflight() {
    local dir=$E2E_WORK/$1
    assert_eq "$1: exit status" 3 "$RC"
    sim_stats "$dir.stats"
    assert_eq "$1: requests (the one probe, answered 401)" "1 1" \
        "$(stats_requests "$dir.stats") $(stats_requests "$dir.stats" "" 401)"
    [ -e "$dir" ] && fail "$1: a report directory was made though nothing was read"
    grep -q 'auth_failed: the API at .* refused the token (HTTP 401); nothing was read or sent' "$dir.err" ||
        fail "$1: stderr does not say auth_failed: $(head -c 500 "$dir.err")"
    assert_file_lacks "$1: the wrong token leaked" "$wrong" "$dir.out" "$dir.err"
    sim_stop
    sim_start --store "$store" || e2e_finish
}

# check_refused LABEL: the run in $E2E_WORK/LABEL (--no-preflight) was refused mid-run.
check_refused() {
    local dir=$E2E_WORK/$1
    assert_eq "$1: exit status" 3 "$RC"
    sim_stats "$dir.stats"
    assert_eq "$1: write requests sent" 0 "$(stats_write_requests "$dir.stats")"
    assert_eq "$1: writes applied" 0 "$(stats_writes "$dir.stats")"
    assert_le "$1: requests answered 401 (default concurrency 8)" 8 "$(stats_requests "$dir.stats" "" 401)"
    assert_eq "$1: requests answered other than 401" 0 \
        "$(($(stats_requests "$dir.stats") - $(stats_requests "$dir.stats" "" 401)))"
    if check_reports "$dir" "$records"; then
        assert_eq "$1: rows a success" 0 "$(summary "$dir" .succeeded)"
        local codes
        codes=$(paste -d' ' <(csv_column "$dir/results.csv" status) \
            <(csv_column "$dir/results.csv" error_code) | sort -u |
            grep -v -x -E 'failed auth_failed|not_attempted auth_failed|unmatched auth_failed')
        [ -z "$codes" ] || fail "$1: rows whose code is not auth_failed: $(echo "$codes" | head -3)"
    fi
    grep -q -i 'auth\|401\|token' "$dir.err" || fail "$1: stderr does not say the token was refused: $(head -c 500 "$dir.err")"
    assert_file_lacks "$1: the wrong token leaked" "$wrong" "$dir" "$dir.out" "$dir.err"
    # the stats are cumulative: a fresh simulator for the next case
    sim_stop
    sim_start --store "$store" || e2e_finish
}

# 1. wrong token in the environment (run_import passes the right one: call shipload directly):
#    refused by the preflight; and with --no-preflight, by the first lookups, rows reported
dir=$E2E_WORK/env
SHIPLOAD_API_TOKEN=$wrong "$SHIPLOAD" import --api-url "$SIM_URL" -o "$dir" -v -v \
    --progress=never "$manifest" >"$dir.out" 2>"$dir.err"
RC=$?
check_refused_at_preflight env
dir=$E2E_WORK/env-mid-run
SHIPLOAD_API_TOKEN=$wrong "$SHIPLOAD" import --api-url "$SIM_URL" -o "$dir" -v -v \
    --no-preflight --progress=never "$manifest" >"$dir.out" 2>"$dir.err"
RC=$?
check_refused env-mid-run

# 2. wrong token in --token-file (with a trailing newline, as editors write it)
dir=$E2E_WORK/file
printf '%s\n' "$wrong" >"$E2E_WORK/token"
chmod 600 "$E2E_WORK/token"
"$SHIPLOAD" import --api-url "$SIM_URL" --token-file "$E2E_WORK/token" -o "$dir" -v -v \
    --progress=never "$manifest" >"$dir.out" 2>"$dir.err"
RC=$?
check_refused_at_preflight file

# 2b. wrong token, two sources: nothing is sent after the first 401, not even for the second
#     source, whose records are still read and reported (not_attempted, auth_failed)
dir=$E2E_WORK/two
cp "$manifest" "$E2E_WORK/first.csv"
cp "$manifest" "$E2E_WORK/second.csv"
SHIPLOAD_API_TOKEN=$wrong "$SHIPLOAD" import --api-url "$SIM_URL" -o "$dir" --progress=never \
    --no-preflight "$E2E_WORK/first.csv" "$E2E_WORK/second.csv" >"$dir.out" 2>"$dir.err"
RC=$?
assert_eq "two sources: exit status" 3 "$RC"
sim_stats "$dir.stats"
assert_le "two sources: requests answered 401" 8 "$(stats_requests "$dir.stats" "" 401)"
assert_eq "two sources: write requests sent" 0 "$(stats_write_requests "$dir.stats")"
if check_reports "$dir/second.csv" "$records"; then
    assert_eq "two sources: second source's rows not attempted, auth_failed" "not_attempted auth_failed" \
        "$(paste -d' ' <(csv_column "$dir/second.csv/results.csv" status) \
            <(csv_column "$dir/second.csv/results.csv" error_code) | sort -u)"
fi
assert_file_lacks "two sources: the wrong token leaked" "$wrong" "$dir" "$dir.out" "$dir.err"
sim_stop
sim_start --store "$store" || e2e_finish

# 3. no token: a configuration error, nothing sent
dir=$E2E_WORK/none
"$SHIPLOAD" import --api-url "$SIM_URL" -o "$dir" --progress=never "$manifest" >"$dir.out" 2>"$dir.err"
RC=$?
assert_eq "no token: exit status" 2 "$RC"
sim_stats "$dir.stats"
assert_eq "no token: requests sent" 0 "$(stats_requests "$dir.stats")"

# 3b. no token and no URL: still the token's configuration error (the URL has a default)
dir=$E2E_WORK/none-no-url
"$SHIPLOAD" import -o "$dir" --progress=never "$manifest" >"$dir.out" 2>"$dir.err"
RC=$?
assert_eq "no token, no URL: exit status" 2 "$RC"
assert_eq "no token, no URL: the message names the token" 1 \
    "$(grep -c 'no API token' "$dir.err")"

# 3c. no URL: the contract's https://api.ecartapi.com. A proxy on a closed local port keeps
# the run off the network: the preflight is refused there at once (exit 3), naming the default
# URL and the cause; nothing is read.
dir=$E2E_WORK/default-url
SHIPLOAD_API_TOKEN=$E2E_TOKEN https_proxy=http://127.0.0.1:1 HTTPS_PROXY=http://127.0.0.1:1 \
    NO_PROXY= no_proxy= "$SHIPLOAD" import -o "$dir" --max-attempts 1 --progress=never \
    "$manifest" >"$dir.out" 2>"$dir.err"
RC=$?
assert_eq "default URL: exit status (API unreachable)" 3 "$RC"
assert_eq "default URL: named in the message, with the cause" 1 \
    "$(grep -c 'cannot reach the API at https://api.ecartapi.com: connection refused' "$dir.err")"
[ -e "$dir" ] && fail "default URL: a report directory was made though nothing was read"

# 4. the right token, from --token-file: ships, and leaks nowhere even with -v -v
dir=$E2E_WORK/right
printf '%s\n' "$E2E_TOKEN" >"$E2E_WORK/token"
"$SHIPLOAD" import --api-url "$SIM_URL" --token-file "$E2E_WORK/token" -o "$dir" -v -v \
    --progress=always "$manifest" >"$dir.out" 2>"$dir.err"
RC=$?
check_reports "$dir" "$records"
assert_eq "right token: exit status ($(statuses "$dir"))" 0 "$RC"
assert_eq "right token: rows shipped" "$records" "$(status_count "$dir" shipped)"
assert_file_lacks "right token leaked" "$E2E_TOKEN" "$dir" "$dir.out" "$dir.err"
[ "$E2E_FAILED" -eq 0 ] && ok "wrong token refused with exit 3 and no write; token in no file or log"
e2e_finish
