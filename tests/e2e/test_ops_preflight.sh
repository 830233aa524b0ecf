#!/usr/bin/env bash
# test_ops_preflight.sh: the preflight and the secrets of issue 15, with the real binary.
# - a base URL with /api/v2 appended: exit 2, the hint "is --api-url the base URL, without
#   /api/v2?", no write, no report directory;
# - a redirect to another host: exit 2 naming the target; that host's server records that no
#   request (so no Authorization header) ever reached it;
# - http:// to a host that is not loopback: exit 2 before any request (--allow-http lifts it);
# - a bad token: exit 3 auth_failed after the one probe, before any row is read;
# - an API that accepts connections and never answers: exit 3 within the bound --help prints
#   for the options given, the cause ("timed out") and the attempts on stderr;
# - `shipload check`: ready against the simulator, a token file readable by others warned about,
#   a 404 refused with exit 2;
# - secrets: --token SECRET, --token=SECRET, --tok SECRET, --api-token SECRET are usage errors
#   that say where a token comes from (or to write the option in full) and never echo SECRET.
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl, python3.
. "$(dirname "$0")/lib/e2e.sh"

store=$E2E_WORK/store.json
manifest=$E2E_WORK/manifest.csv
gen_store "$store" 20 5 || e2e_finish
gen_manifest "$store" 30 "$manifest" || e2e_finish
sim_start --store "$store" || e2e_finish

# refused LABEL STATUS PATTERN: the run in $E2E_WORK/LABEL exited STATUS, said PATTERN on
# stderr, made no report directory and the simulator applied no write.
refused() {
    local dir=$E2E_WORK/$1
    assert_eq "$1: exit status" "$2" "$RC"
    grep -q -- "$3" "$dir.err" || fail "$1: stderr lacks '$3': $(head -c 600 "$dir.err")"
    [ -e "$dir" ] && fail "$1: a report directory was made"
    sim_stats "$dir.stats"
    assert_eq "$1: writes (POST, PUT, applied)" "0 0 0" \
        "$(stats_requests "$dir.stats" POST) $(stats_requests "$dir.stats" PUT) $(stats_writes "$dir.stats")"
    assert_file_lacks "$1: the token leaked" "$E2E_TOKEN" "$dir.out" "$dir.err"
}

# 1. /api/v2 appended to the base URL
dir=$E2E_WORK/suffix
SHIPLOAD_API_TOKEN=$E2E_TOKEN "$SHIPLOAD" import --api-url "$SIM_URL/api/v2" -o "$dir" \
    "$manifest" >"$dir.out" 2>"$dir.err"
RC=$?
refused suffix 2 'answered HTTP 404 .*is --api-url the base URL, without /api/v2?'

# 2. a redirect to another host: the token must not follow it
ops_server_start other record "$E2E_WORK/other.auth" || e2e_finish
other_port=$OPS_PORT
ops_server_start redirector redirect "http://localhost:$other_port" || e2e_finish
dir=$E2E_WORK/redirect
SHIPLOAD_API_TOKEN=$E2E_TOKEN "$SHIPLOAD" import --api-url "http://127.0.0.1:$OPS_PORT" \
    -o "$dir" "$manifest" >"$dir.out" 2>"$dir.err"
RC=$?
refused redirect 2 "answered HTTP 301, a redirect to http://localhost:$other_port/api/v2/orders"
grep -q 'never follows a redirect' "$dir.err" || fail "redirect: the refusal does not say why"
assert_eq "redirect: requests that reached the other host" 0 \
    "$(cat "$E2E_WORK/other.auth" 2>/dev/null | wc -l)"
# the other host does record what reaches it (so the 0 above means something)
curl -sS -H "Authorization: probe" "http://localhost:$other_port/x" >/dev/null
assert_eq "redirect: the recording server records" "probe" "$(cat "$E2E_WORK/other.auth")"

# 3. http:// to a host that is not loopback (.invalid never resolves: refused before DNS)
dir=$E2E_WORK/plain-http
SHIPLOAD_API_TOKEN=$E2E_TOKEN "$SHIPLOAD" import --api-url "http://store.example.invalid" \
    -o "$dir" "$manifest" >"$dir.out" 2>"$dir.err"
RC=$?
refused plain-http 2 'plain http:// to store.example.invalid, a host that is not loopback'
dir=$E2E_WORK/plain-http-allowed
SHIPLOAD_API_TOKEN=$E2E_TOKEN "$SHIPLOAD" import --api-url "http://store.example.invalid" \
    --allow-http --max-attempts 1 -o "$dir" "$manifest" >"$dir.out" 2>"$dir.err"
RC=$?
refused plain-http-allowed 3 'cannot reach the API at http://store.example.invalid: DNS lookup failed'

# 4. a bad token
dir=$E2E_WORK/bad-token
before=$(sim_stats "$E2E_WORK/before.stats" && stats_requests "$E2E_WORK/before.stats" "" 401)
SHIPLOAD_API_TOKEN=sl-wrong-$$ "$SHIPLOAD" import --api-url "$SIM_URL" -o "$dir" \
    "$manifest" >"$dir.out" 2>"$dir.err"
RC=$?
refused bad-token 3 'auth_failed: the API at .* refused the token (HTTP 401); nothing was read or sent'
assert_eq "bad token: requests answered 401 (the probe alone)" 1 \
    "$(($(stats_requests "$E2E_WORK/bad-token.stats" "" 401) - before))"
assert_file_lacks "bad token: leaked" "sl-wrong-$$" "$dir.out" "$dir.err"

# 5. an API that accepts connections and never answers: the bound is max-attempts x timeout
#    plus back-off (0.2 s + 0.4 s at most here); the wall-clock guard is generous (no timing
#    assertion: the point is that the run ends by itself, exit 3, with the cause)
ops_server_start hang hang || e2e_finish
dir=$E2E_WORK/hang
started=$(date +%s)
SHIPLOAD_API_TOKEN=$E2E_TOKEN timeout 120 "$SHIPLOAD" import --api-url "http://127.0.0.1:$OPS_PORT" \
    --timeout 1 --max-attempts 3 -o "$dir" "$manifest" >"$dir.out" 2>"$dir.err"
RC=$?
elapsed=$(($(date +%s) - started))
assert_eq "never answers: exit status" 3 "$RC"
grep -q 'cannot reach the API at .*: timed out (no answer) .*tried 3 times over' "$dir.err" ||
    fail "never answers: no cause on stderr: $(head -c 600 "$dir.err")"
assert_le "never answers: seconds (bound 3.6 s, guard 60 s)" 60 "$elapsed"
[ -e "$dir" ] && fail "never answers: a report directory was made"
"$SHIPLOAD" import --help >"$E2E_WORK/help.txt" 2>&1; grep -q 'An API that never answers ends the run within' "$E2E_WORK/help.txt" ||
    fail "--help does not print the bound of an API that never answers"

# 6. shipload check
printf '%s\n' "$E2E_TOKEN" >"$E2E_WORK/token"
chmod 644 "$E2E_WORK/token"
"$SHIPLOAD" check --api-url "$SIM_URL" --token-file "$E2E_WORK/token" -t generic-csv \
    -o "$E2E_WORK/check-reports" >"$E2E_WORK/check.out" 2>"$E2E_WORK/check.err"
RC=$?
assert_eq "check: exit status" 0 "$RC"
grep -q '^warning: --token-file .* can be read by others (mode 0644)' "$E2E_WORK/check.out" ||
    fail "check: no warning for a token file readable by others: $(cat "$E2E_WORK/check.out")"
grep -q '^ok: the Ecart API at .* accepted the token' "$E2E_WORK/check.out" ||
    fail "check: the probe is not reported: $(cat "$E2E_WORK/check.out")"
grep -q '^ok: template generic-csv loads' "$E2E_WORK/check.out" || fail "check: template not checked"
grep -q '^ok: report directory .* is writable' "$E2E_WORK/check.out" || fail "check: report dir not checked"
grep -q '^check: ready (1 warning)$' "$E2E_WORK/check.out" || fail "check: no verdict line"
chmod 600 "$E2E_WORK/token"
"$SHIPLOAD" check --api-url "$SIM_URL/api/v2" --token-file "$E2E_WORK/token" \
    >"$E2E_WORK/check404.out" 2>&1
RC=$?
assert_eq "check with /api/v2: exit status" 2 "$RC"
grep -q '^FAIL: .*without /api/v2?' "$E2E_WORK/check404.out" || fail "check 404: $(cat "$E2E_WORK/check404.out")"
grep -q 'warning' "$E2E_WORK/check404.out" && fail "check: a mode 600 token file was warned about"
assert_file_lacks "check: the token leaked" "$E2E_TOKEN" "$E2E_WORK/check.out" "$E2E_WORK/check404.out"

# 7. secrets on the command line
secret="sl-argv-secret-$$"
for args in "--token $secret" "--token=$secret" "--tok $secret" "--api-token $secret" \
    "--token-f $secret"; do
    # shellcheck disable=SC2086
    SHIPLOAD_API_TOKEN=$E2E_TOKEN "$SHIPLOAD" import --api-url "$SIM_URL" $args "$manifest" \
        >"$E2E_WORK/argv.out" 2>"$E2E_WORK/argv.err"
    RC=$?
    assert_eq "'${args%% *}': exit status" 2 "$RC"
    grep -q -e 'SHIPLOAD_API_TOKEN' -e 'write --token-file in full' "$E2E_WORK/argv.err" ||
        fail "'${args%% *}': does not say where a token comes from: $(cat "$E2E_WORK/argv.err")"
    assert_file_lacks "'${args%% *}': the value was echoed" "$secret" "$E2E_WORK/argv.out" "$E2E_WORK/argv.err"
done
sim_stats "$E2E_WORK/final.stats"
assert_eq "no write was ever sent (POST, PUT, applied)" "0 0 0" \
    "$(stats_requests "$E2E_WORK/final.stats" POST) $(stats_requests "$E2E_WORK/final.stats" PUT) $(stats_writes "$E2E_WORK/final.stats")"
e2e_finish
