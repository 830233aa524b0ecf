# e2e.sh: shared helpers for the end-to-end tests of `shipload import`, sourced by
# tests/e2e/test_import_*.sh and tests/bench/import_bench.sh. It starts and stops store-sim
# processes (port 0, URL read from their first line, killed on exit), reads the simulator's
# admin endpoints, runs `shipload import` against a simulator, reads report CSVs by column name,
# and checks the spec's invariants (conservation, rejects = failures, no double shipping).
# It does not decide what a test expects and builds nothing.
#
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR (ctest sets them), curl and jq.
# E2E_KEEP=1 keeps the work directory (its path is printed) for a post-mortem.

set -uo pipefail
: "${SHIPLOAD:?path of the shipload binary}" "${STORE_SIM:?path of the store-sim binary}"
: "${SHIPLOAD_SOURCE_DIR:?source tree}"
export SHIPLOAD_TEMPLATE_PATH=${SHIPLOAD_TEMPLATE_PATH:-$SHIPLOAD_SOURCE_DIR/templates}
for e2e_tool in curl jq; do
    command -v "$e2e_tool" >/dev/null || { echo "FAIL: $e2e_tool is needed" >&2; exit 1; }
done
unset SHIPLOAD_API_TOKEN SHIPLOAD_API_URL

E2E_DATA=$SHIPLOAD_SOURCE_DIR/tests/e2e/data
E2E_GEN=$SHIPLOAD_SOURCE_DIR/tests/bench/gen_manifest.sh
E2E_WORK=$(mktemp -d "${TMPDIR:-/tmp}/shipload-e2e.XXXXXX") || exit 1
export XDG_RUNTIME_DIR=$E2E_WORK   # run locks of this test stay in its own work directory
E2E_FAILED=0
E2E_PIDS=""
E2E_SIMS=0
# A token nobody else uses, so that a grep for it in reports and logs means a leak.
E2E_TOKEN="sl-e2e-secret-$$-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
E2E_SCALE=1
[ "${SHIPLOAD_UNDER_SANITIZER:-}" = 1 ] && E2E_SCALE=4   # divide sizes by this under ASan

e2e_cleanup() {
    local pid
    for pid in $E2E_PIDS; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in $E2E_PIDS; do
        e2e_reap "$pid"
    done
    if [ "${E2E_KEEP:-}" = 1 ]; then
        echo "work directory kept: $E2E_WORK" >&2
    else
        rm -rf "$E2E_WORK"
    fi
}
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM

# e2e_reap PID: waits up to 10 s for PID to end after a signal, then kills it.
e2e_reap() {
    local pid=$1 tries=0
    while kill -0 "$pid" 2>/dev/null && [ $tries -lt 200 ]; do
        sleep 0.05
        tries=$((tries + 1))
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}

# ---------------------------------------------------------------- assertions

fail() { echo "FAIL: $*" >&2; E2E_FAILED=$((E2E_FAILED + 1)); }
note() { echo "  $*" >&2; }
ok() { echo "ok: $*"; }

# assert_eq WHAT EXPECTED GOT
assert_eq() {
    [ "$2" = "$3" ] && return 0
    fail "$1: expected '$2', got '$3'"
    return 1
}

# assert_le WHAT LIMIT GOT (integers)
assert_le() {
    [ "$3" -le "$2" ] 2>/dev/null && return 0
    fail "$1: expected at most $2, got '$3'"
    return 1
}

# assert_file_lacks WHAT STRING FILE...: STRING appears in none of the files.
assert_file_lacks() {
    local what=$1 string=$2 hits
    shift 2
    hits=$(grep -F -l -r -- "$string" "$@" 2>/dev/null)
    [ -z "$hits" ] && return 0
    fail "$what: found in $(echo "$hits" | tr '\n' ' ')"
    return 1
}

# e2e_finish: the test's exit status; call last.
e2e_finish() {
    if [ "$E2E_FAILED" -eq 0 ]; then
        echo "PASS: $(basename "$0")"
        exit 0
    fi
    echo "FAILED: $(basename "$0"): $E2E_FAILED check(s)" >&2
    exit 1
}

# scaled N: N divided by E2E_SCALE (smaller runs under sanitizers), at least 1.
scaled() {
    local n=$(($1 / E2E_SCALE))
    [ "$n" -ge 1 ] || n=1
    echo "$n"
}

# ---------------------------------------------------------------- store-sim

# sim_start [store-sim flags...]: starts store-sim on a free port with the test token; sets
# SIM_URL and SIM_PID. The process is killed when the test exits. It must print its URL within
# E2E_SIM_WAIT seconds (default 30; a benchmark's store of 400,000 orders takes longer to load).
sim_start() {
    E2E_SIMS=$((E2E_SIMS + 1))
    local out=$E2E_WORK/sim.$E2E_SIMS.out line tries=0
    "$STORE_SIM" --port 0 --token "$E2E_TOKEN" "$@" >"$out" 2>"$out.err" &
    SIM_PID=$!
    E2E_PIDS="$E2E_PIDS $SIM_PID"
    SIM_URL=""
    while :; do
        if [ "$(wc -l <"$out")" -ge 1 ]; then
            line=$(head -n 1 "$out")
            case $line in
            "listening on http://"*) SIM_URL=${line#listening on }; return 0 ;;
            *) fail "store-sim's first line is '$line', not 'listening on URL'"; return 1 ;;
            esac
        fi
        if ! kill -0 "$SIM_PID" 2>/dev/null; then
            fail "store-sim $* exited at start: $(head -c 2000 "$out.err")"
            return 1
        fi
        if [ $tries -ge $((${E2E_SIM_WAIT:-30} * 20)) ]; then
            fail "store-sim printed no URL within ${E2E_SIM_WAIT:-30} s"
            return 1
        fi
        sleep 0.05
        tries=$((tries + 1))
    done
}

# sim_stop [PID]: stops a simulator (default: the last one started) and waits for it.
sim_stop() {
    local pid=${1:-$SIM_PID}
    kill -TERM "$pid" 2>/dev/null
    e2e_reap "$pid"
}

# sim_get PATH [URL]: GETs an admin path of the simulator, prints the body.
sim_get() {
    curl -sS --fail --max-time 60 "${2:-$SIM_URL}$1"
}

sim_state() { sim_get /__sim/state "${2:-$SIM_URL}" >"$1"; }    # sim_state FILE [URL]
sim_stats() { sim_get /__sim/stats "${2:-$SIM_URL}" >"$1"; }    # sim_stats FILE [URL]
sim_reset() { curl -sS --fail --max-time 60 -X POST "${1:-$SIM_URL}/__sim/reset" >/dev/null; }

# The stats document (tests/store-sim/admin.c): {"requests": {"total": N, "byRoute":
# {"GET /api/v2/orders": {"200": N, "429": N, "dropped": N}, ...}, "byStatus": {...}},
# "writes": {"requestsApplied": N, "fulfillmentsCreated": N, ...}, "faults": {...}}.
# Admin routes (/__sim/...) are left out of every count here.
# stats_writes FILE: write requests the store applied.
stats_writes() { jq -e '.writes.requestsApplied' "$1"; }
# stats_created FILE: fulfillments the store created.
stats_created() { jq -e '.writes.fulfillmentsCreated' "$1"; }
# stats_requests FILE [METHOD [STATUS]]: API requests by method ("" any) and status ("" any;
# "dropped" for connections closed without an answer).
stats_requests() {
    jq --arg method "${2:-}" --arg status "${3:-}" '
        [.requests.byRoute | to_entries[] | select(.key | contains("/__sim") | not)
         | select($method == "" or (.key | startswith($method + " ")))
         | .value | to_entries[] | select($status == "" or .key == $status) | .value]
        | add // 0' "$1"
}
# stats_write_requests FILE: API requests that could write (any method but GET and HEAD).
stats_write_requests() {
    jq '[.requests.byRoute | to_entries[] | select(.key | contains("/__sim") | not)
         | select((.key | startswith("GET ")) or (.key | startswith("HEAD ")) | not)
         | .value[]] | add // 0' "$1"
}

# sim_quiesce: waits until the simulator has answered no API request for 250 ms (requests a
# killed client left in flight have landed); gives up after 30 s.
sim_quiesce() {
    local last=-1 now stable=0 tries=0
    while [ $stable -lt 5 ] && [ $tries -lt 600 ]; do
        sim_stats "$E2E_WORK/quiesce.stats" || return 1
        now=$(stats_requests "$E2E_WORK/quiesce.stats")
        if [ "$now" = "$last" ]; then stable=$((stable + 1)); else stable=0; fi
        last=$now
        sleep 0.05
        tries=$((tries + 1))
    done
}

# ---------------------------------------------------------------- store state

# state_fulfillments STATE: one line per active (not canceled) fulfillment, sorted:
# "FULFILLMENT_ORDER_ID TRACKING[;TRACKING...] ITEM:QTY[,ITEM:QTY...]". Ids, dates and
# statuses are left out, so states from two simulators compare.
state_fulfillments() {
    jq -r '.orders[] | .fulfillments[]?
        | select((.status.ecartapi // "") != "canceled")
        | "\(.fulfillmentOrderId) \((.tracking.numbers // [.tracking.number]) | map(tostring)
              | unique | join(";")) \([.items[]? | "\(.id):\(.quantity | tonumber)"] | sort
              | join(","))"' "$1" | LC_ALL=C sort
}

# state_double_shipped STATE: each (package, tracking number) held by more than one active
# fulfillment, one per line; nothing when no package shipped twice.
state_double_shipped() {
    jq -r '[.orders[] | .fulfillments[]? | select((.status.ecartapi // "") != "canceled")
             | .fulfillmentOrderId as $package
             | (.tracking.numbers // [.tracking.number]) | unique | .[] | "\($package) \(.)"]
           | group_by(.) | map(select(length > 1)) | .[] | "\(.[0]) x\(length)"' "$1"
}

# ---------------------------------------------------------------- running shipload

# run_import DIR [shipload import args...]: runs `shipload import` against $SIM_URL with the
# test token, reports in DIR; stdout and stderr in DIR.out and DIR.err. Sets RC.
run_import() {
    local dir=$1
    shift
    SHIPLOAD_API_TOKEN=$E2E_TOKEN "$SHIPLOAD" import --api-url "$SIM_URL" -o "$dir" \
        --progress=never "$@" >"$dir.out" 2>"$dir.err"
    RC=$?
}

# start_import DIR [args...]: like run_import, in the background; sets IMPORT_PID.
start_import() {
    local dir=$1
    shift
    SHIPLOAD_API_TOKEN=$E2E_TOKEN "$SHIPLOAD" import --api-url "$SIM_URL" -o "$dir" \
        --progress=never "$@" >"$dir.out" 2>"$dir.err" &
    IMPORT_PID=$!
}

# ---------------------------------------------------------------- reports

# csv_records FILE: records in a CSV file, header excluded (a quoted line break does not end one).
csv_records() {
    awk '{ quotes = gsub(/"/, "\""); if (quotes % 2) inside = !inside; if (!inside) n++ }
         END { print n - 1 }' "$1"
}

# csv_column FILE NAME: the values of column NAME (by header), one per record, quotes removed;
# NAME -N: the Nth field from the end of each record (rejects.csv's error_code is -2: a ragged
# record keeps its own number of fields there).
# A record's embedded line breaks are shown as spaces. Delimiter: comma unless DELIM is set.
csv_column() {
    awk -v want="$2" -v delim="${DELIM:-,}" '
        function parse(line,    i, c, field, quoted, n) {
            n = 0; field = ""; quoted = 0
            for (i = 1; i <= length(line); i++) {
                c = substr(line, i, 1)
                if (quoted) {
                    if (c == "\"") {
                        if (substr(line, i + 1, 1) == "\"") { field = field c; i++ }
                        else quoted = 0
                    } else field = field c
                } else if (c == "\"") quoted = 1
                else if (c == delim) { cells[++n] = field; field = "" }
                else if (c != "\r") field = field c
            }
            cells[++n] = field
            return n
        }
        {
            record = pending == "" ? $0 : pending " " $0
            if (gsub(/"/, "\"", record) % 2) { pending = record; next }
            pending = ""
            count = parse(record)
            if (!header_done) {
                for (k = 1; k <= count; k++) if (cells[k] == want) column = k
                header_done = 1
                if (want ~ /^-[0-9]+$/) column = want + 0
                if (!column) { print "no column " want > "/dev/stderr"; exit 2 }
                next
            }
            print cells[(column > 0) ? column : count + 1 + column]
        }' "$1"
}

# summary DIR JQ_FILTER: a value from DIR/summary.json.
summary() { jq -r "$2" "$1/summary.json"; }

# status_count DIR STATUS: rows with that status according to results.csv.
status_count() { csv_column "$1/results.csv" status | grep -c -x -- "$2"; }

# check_reports DIR RECORDS: the three reports exist and agree: RECORDS records read = lines of
# results.csv = sum of the status counts in summary.json = its "records"; records numbered
# 1..RECORDS in order; rejects.csv holds exactly the non-success rows, each with an error code.
check_reports() {
    local dir=$1 records=$2 name lines sum total failed rejects numbering codes
    name=$(basename "$dir")
    for file in results.csv rejects.csv summary.json; do
        [ -f "$dir/$file" ] || { fail "$name: no $file (exit $RC): $(head -c 1000 "$dir.err")"; return 1; }
    done
    lines=$(csv_records "$dir/results.csv")
    sum=$(jq '[.statuses[]] | add // 0' "$dir/summary.json")
    total=$(summary "$dir" .records)
    if [ "$records" != "$lines" ] || [ "$lines" != "$sum" ] || [ "$sum" != "$total" ]; then
        fail "$name: conservation broken: manifest=$records results.csv=$lines sum(statuses)=$sum records=$total"
        return 1
    fi
    numbering=$(csv_column "$dir/results.csv" record | awk '$0 != NR { print NR ": " $0; exit }')
    [ -z "$numbering" ] || fail "$name: results.csv is not in input order at record $numbering"
    failed=$(summary "$dir" .failed)
    rejects=$(csv_records "$dir/rejects.csv")
    assert_eq "$name: rejects.csv records = summary failed" "$failed" "$rejects"
    codes=$(csv_column "$dir/rejects.csv" -2 | grep -c -x '')
    [ "$codes" = 0 ] || fail "$name: $codes rows of rejects.csv have no error_code (spec §10: every \
record not a success appears in rejects.csv with a code); statuses of the run: $(statuses "$dir")"
    return 0
}

# check_exit DIR: the exit status the spec gives for the rows: 0 when every row succeeded,
# else 1 (exit 3 is for fatal runs; a test expecting it checks RC itself).
check_exit() {
    local failed
    failed=$(summary "$1" .failed)
    if [ "$failed" = 0 ]; then
        assert_eq "$(basename "$1"): exit status with every row a success" 0 "$RC"
    else
        assert_eq "$(basename "$1"): exit status with $failed rows not a success" 1 "$RC"
    fi
}

# statuses DIR: "status=count ..." from summary.json, for messages.
statuses() { jq -r '.statuses | to_entries | map("\(.key)=\(.value)") | join(" ")' "$1/summary.json"; }

# ---------------------------------------------------------------- manifests

# gen_store FILE N SEED: writes a generated store of N orders (store-sim --write-store).
gen_store() {
    "$STORE_SIM" --token "$E2E_TOKEN" --generate "$2" --seed "$3" --write-store "$1" \
        >/dev/null 2>"$1.err" ||
        { fail "store-sim --generate $2 --seed $3 --write-store failed: $(head -c 1000 "$1.err")"; return 1; }
    [ -s "$1" ] || { fail "store-sim --write-store wrote nothing"; return 1; }
}

# gen_manifest STORE ROWS OUT [gen_manifest.sh options...]: a generic-csv manifest shipping the
# store's open packages; OUT.expected lists the fulfillments it should create.
gen_manifest() {
    local store=$1 rows=$2 out=$3
    shift 3
    bash "$E2E_GEN" -e "$out.expected" "$@" "$store" "$rows" >"$out" 2>"$out.err" ||
        { fail "gen_manifest.sh failed: $(head -c 1000 "$out.err")"; return 1; }
}

# ---------------------------------------------------------------- helper servers (issue 15)

# ops_server_start NAME KIND [ARGS...]: starts tests/e2e/lib/ops_servers.py KIND on a free
# loopback port; sets OPS_PORT and OPS_PID (killed when the test exits).
ops_server_start() {
    local name=$1 out tries=0
    shift
    out=$E2E_WORK/ops-$name.out
    python3 "$SHIPLOAD_SOURCE_DIR/tests/e2e/lib/ops_servers.py" "$@" >"$out" 2>"$out.err" &
    OPS_PID=$!
    E2E_PIDS="$E2E_PIDS $OPS_PID"
    OPS_PORT=""
    while [ -z "$OPS_PORT" ]; do
        OPS_PORT=$(sed -n 's/^listening on \([0-9]*\)$/\1/p' "$out" 2>/dev/null | head -n 1)
        [ -n "$OPS_PORT" ] && return 0
        kill -0 "$OPS_PID" 2>/dev/null || { fail "ops server $*: $(head -c 500 "$out.err")"; return 1; }
        [ $tries -ge 600 ] && { fail "ops server $* printed no port within 30 s"; return 1; }
        sleep 0.05
        tries=$((tries + 1))
    done
}
