# sim-test-lib.sh: helpers for shell tests that need a running store-sim. Source it, then:
#   sim_start [store-sim flags...]   starts $STORE_SIM with --port 0 (a free port) with token $SIM_TEST_TOKEN
#                                    (default "test-token"), sets SIM_URL and SIM_PID, and
#                                    registers sim_stop for EXIT (chain your own trap after it)
#   sim_stop                         stops it (SIGTERM, then waits); if it exits non-zero (a
#                                    crash, or a sanitizer report) its stderr is shown and
#                                    SIM_STOP_FAILED is set to 1
#   sim_get PATH / sim_call METHOD PATH [BODY]   curl with the token; the status code goes to
#                                    $SIM_STATUS, the body to $SIM_BODY, the response headers
#                                    to the file $SIM_HEADERS. The token travels in $SIM_AUTH
#                                    (default "Authorization: TOKEN", Ecart's form; Shoplazza:
#                                    "Access-Token: TOKEN"; OrderProtection:
#                                    "Authorization: Bearer TOKEN")
#   sim_header NAME                  the value of a response header of the last sim_call
#   sim_admin PATH [METHOD]          an admin endpoint (no token)
# Needs STORE_SIM (the binary), curl and jq.

: "${STORE_SIM:?path of the store-sim binary}"
SIM_TEST_TOKEN=${SIM_TEST_TOKEN:-test-token}
SIM_URL="" SIM_PID="" SIM_STATUS="" SIM_BODY="" SIM_STOP_FAILED=0
sim_all_pids=""     # every simulator started, killed on exit whatever happened
sim_tmp=$(mktemp -d)
SIM_HEADERS=$sim_tmp/headers

sim_start() {
    rm -f "$sim_tmp/stdout" "$sim_tmp/stderr"
    "$STORE_SIM" --port 0 --token "$SIM_TEST_TOKEN" "$@" >"$sim_tmp/stdout" 2>"$sim_tmp/stderr" &
    SIM_PID=$!
    sim_all_pids="$sim_all_pids $SIM_PID"
    local tries=0   # a big generated store takes a few seconds to build: wait up to 180 s
    while [ ! -s "$sim_tmp/stdout" ] && [ $tries -lt 3600 ]; do
        kill -0 "$SIM_PID" 2>/dev/null || break
        sleep 0.05
        tries=$((tries + 1))
    done
    SIM_URL=$(head -n 1 "$sim_tmp/stdout" | sed -n 's/^listening on //p')
    if [ -z "$SIM_URL" ]; then
        echo "store-sim did not start:" >&2
        cat "$sim_tmp/stderr" >&2
        return 1
    fi
}

sim_stop() {
    if [ -n "$SIM_PID" ]; then
        kill -TERM "$SIM_PID" 2>/dev/null
        wait "$SIM_PID" 2>/dev/null
        local code=$?
        SIM_PID=""
        if [ "$code" != 0 ]; then
            echo "store-sim exited with status $code:" >&2
            tail -n 40 "$sim_tmp/stderr" >&2
            SIM_STOP_FAILED=1
        fi
    fi
}

sim_call() {
    local method=$1 path=$2 body=${3-}
    local auth=${SIM_AUTH:-"Authorization: $SIM_TEST_TOKEN"}
    rm -f "$SIM_HEADERS" "$sim_tmp/body"
    local args=(-s -o "$sim_tmp/body" -D "$SIM_HEADERS" -w '%{http_code}' -X "$method" -H "$auth")
    [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
    SIM_STATUS=$(curl "${args[@]}" "$SIM_URL$path")
    SIM_BODY=$(cat "$sim_tmp/body" 2>/dev/null)
}

sim_get() { sim_call GET "$1"; }

sim_header() {
    [ -f "$SIM_HEADERS" ] || return 0
    tr -d '\r' <"$SIM_HEADERS" | awk -v name="$1" 'BEGIN { IGNORECASE = 1 }
        tolower($0) ~ "^" tolower(name) ":" { sub(/^[^:]*: */, ""); print }'
}

sim_admin() {
    local path=$1 method=${2:-GET}
    SIM_STATUS=$(curl -s -o "$sim_tmp/body" -w '%{http_code}' -X "$method" "$SIM_URL$path")
    SIM_BODY=$(cat "$sim_tmp/body" 2>/dev/null)
}

sim_cleanup() {
    sim_stop
    local pid
    for pid in $sim_all_pids; do
        kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    rm -rf "$sim_tmp"
}
trap sim_cleanup EXIT
