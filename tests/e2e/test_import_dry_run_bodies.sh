#!/usr/bin/env bash
# test_import_dry_run_bodies.sh: --dry-run tells the truth about the bodies, not only the paths.
# The dry run's requests.jsonl and the real send come from one encoder (sl_plan_encode); this
# test holds them to it. Against store-sim recording every request (--record-requests), for the
# generic-csv sample and for a generated manifest by name (--batch-size 7, so bulk bodies carry
# several entries), a dry run then the real run of the same manifest on the same store: the
# writes the simulator received on the real run (method, path, body as JSON) are exactly the
# lines of requests.jsonl, as a multiset. The dry run itself sent no write.
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl.
. "$(dirname "$0")/lib/e2e.sh"

# normalise: one compact line per write, keys sorted, body as JSON (null when none).
dry_writes() { jq -cS '{method, path, body}' "$1" | LC_ALL=C sort; }
recorded_writes() {
    jq -cS 'select(.method != "GET") |
            {method, path, body: (if .body == "" then null else (.body | fromjson) end)}' "$1" |
        LC_ALL=C sort
}

check_manifest() {   # NAME STORE MANIFEST [import options...]
    local name=$1 store=$2 manifest=$3 record=$E2E_WORK/$1.record.jsonl
    shift 3
    sim_start --store "$store" --record-requests "$record" || return
    run_import "$E2E_WORK/$name.dry" --dry-run "$@" "$manifest"
    [ -f "$E2E_WORK/$name.dry/requests.jsonl" ] || { fail "$name: no requests.jsonl"; return; }
    assert_eq "$name: writes sent by the dry run" "" "$(recorded_writes "$record")"
    : >"$record"
    run_import "$E2E_WORK/$name.real" "$@" "$manifest"
    dry_writes "$E2E_WORK/$name.dry/requests.jsonl" >"$E2E_WORK/$name.dry.writes"
    recorded_writes "$record" >"$E2E_WORK/$name.real.writes"
    [ -s "$E2E_WORK/$name.real.writes" ] || fail "$name: the real run sent no write"
    cmp -s "$E2E_WORK/$name.dry.writes" "$E2E_WORK/$name.real.writes" ||
        fail "$name: the real run's writes differ from requests.jsonl:
$(diff "$E2E_WORK/$name.dry.writes" "$E2E_WORK/$name.real.writes" | head -10)"
    ok "$name: $(wc -l <"$E2E_WORK/$name.real.writes") writes, bodies as the dry run listed"
    sim_stop
}

check_manifest sample "$SHIPLOAD_SOURCE_DIR/samples/store.json" \
    "$SHIPLOAD_SOURCE_DIR/samples/generic-csv.csv"
gen_store "$E2E_WORK/store.json" "$(scaled 200)" 11 || e2e_finish
gen_manifest "$E2E_WORK/store.json" "$(scaled 300)" "$E2E_WORK/gen.csv" || e2e_finish
check_manifest generated "$E2E_WORK/store.json" "$E2E_WORK/gen.csv" --batch-size 7
e2e_finish
