#!/usr/bin/env bash
# inbox_bench.sh: the inbox benchmark of issue 16 (run by hand, not by ctest). 200 small
# generic-csv files (about 2 rows each, distinct orders) in a local inbox, imported by one
# `shipload import --inbox DIR --settle 0` against store-sim (no latency), measured against
# one `shipload import` of the same 200 files given as operands to a fresh simulator (the same
# reads and writes, no inbox). The difference divided by 200 is the inbox's overhead per file
# (settle excluded: --settle 0): claim and move renames with fsync, journal appends with fsync,
# the SHA-256 pass, the child process and the report directory's moves.
# Usage: tests/bench/inbox_bench.sh   (SHIPLOAD=... STORE_SIM=... to skip the Release build;
#        BENCH_FILES changes the number of files)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
files=${BENCH_FILES:-200}

. "$root/tests/bench/bench_setup.sh"
. "$root/tests/e2e/lib/inbox.sh"

store=$E2E_WORK/store.json
gen_store "$store" $((files * 2)) 3 || e2e_finish
gen_manifest "$store" $((files * 2)) "$E2E_WORK/all.csv" || e2e_finish
mkdir -p "$E2E_WORK/parts" "$E2E_WORK/inbox"
split_manifest "$E2E_WORK/all.csv" "$files" "$E2E_WORK/parts/file-"
cp "$E2E_WORK"/parts/*.csv "$E2E_WORK/inbox/"
age_file "$E2E_WORK"/inbox/*.csv
printf '%s\n' "$E2E_TOKEN" >"$E2E_WORK/token"
net=(--token-file "$E2E_WORK/token" --progress=never -q)

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

sim_start --store "$store" || e2e_finish
started=$(date +%s%N)
/usr/bin/time -f "%U %S" -o "$E2E_WORK/inbox.time" \
    "$SHIPLOAD" import --inbox "$E2E_WORK/inbox" --settle 0 --api-url "$SIM_URL" "${net[@]}" \
    2>"$E2E_WORK/inbox.err"
rc=$?
inbox_ms=$(ms_since "$started")
[ "$rc" = 0 ] || fail "inbox run: exit $rc: $(tail -3 "$E2E_WORK/inbox.err")"
assert_eq "files in done/" "$files" "$(count_files "$E2E_WORK/inbox/done")"
sim_stop

sim_start --store "$store" || e2e_finish
started=$(date +%s%N)
/usr/bin/time -f "%U %S" -o "$E2E_WORK/plain.time" \
    "$SHIPLOAD" import -o "$E2E_WORK/plain" --api-url "$SIM_URL" "${net[@]}" "$E2E_WORK"/parts/*.csv \
    2>"$E2E_WORK/plain.err"
rc=$?
plain_ms=$(ms_since "$started")
[ "$rc" = 0 ] || fail "plain import: exit $rc: $(tail -3 "$E2E_WORK/plain.err")"

echo "inbox run of $files files: $inbox_ms ms; one import of the same $files files: $plain_ms ms"
# CPU seconds (user + sys, children included) as milliseconds
cpu_ms() { awk '{ printf "%d", ($1 + $2) * 1000 }' "$1"; }
inbox_cpu=$(cpu_ms "$E2E_WORK/inbox.time")
plain_cpu=$(cpu_ms "$E2E_WORK/plain.time")
echo "inbox overhead per file (settle excluded): wall $(((inbox_ms - plain_ms) * 1000 / files)) us," \
     "CPU $(((inbox_cpu - plain_cpu) * 1000 / files)) us (inbox CPU $inbox_cpu ms, plain $plain_cpu ms)"
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
e2e_finish
