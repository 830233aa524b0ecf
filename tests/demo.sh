#!/usr/bin/env bash
# demo.sh: the README's main-job command. Installs what is missing, builds, starts store-sim on
# a free loopback port with the bundled store (samples/store.json), imports a bundled sample
# manifest into it with the real `shipload import`, prints the run's summary and where the
# reports are, and stops the simulator. Usage: tests/demo.sh [MANIFEST] (default: the
# generic-csv sample). Exits 0 when the import ran (its own status 0 or 1: some sample rows are
# wrong on purpose), else the import's status.
set -euo pipefail
SHIPLOAD_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$SHIPLOAD_ROOT/tests/lib/bootstrap.sh"

manifest=${1:-$SHIPLOAD_ROOT/samples/generic-csv.csv}
build="$SHIPLOAD_ROOT/build"

bootstrap_packages
echo "== building into $build" >&2
bootstrap_build "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo

work=$(mktemp -d)
sim_pid=""
cleanup() {
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# A throwaway token: shipload reads it from the environment, never from argv.
token="demo-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
"$build/tests/store-sim/store-sim" --store "$SHIPLOAD_ROOT/samples/store.json" --port 0 \
    --token "$token" >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 100); do
    grep -q '^listening on ' "$work/sim.out" 2>/dev/null && break
    sleep 0.05
done
url=$(sed -n 's/^listening on //p' "$work/sim.out" | head -n 1)
[ -n "$url" ] || { echo "store-sim did not start:" >&2; cat "$work/sim.err" >&2; exit 3; }
echo "== store-sim listening on $url (store: samples/store.json)" >&2

reports="$SHIPLOAD_ROOT/demo-reports/$(date -u +%Y%m%dT%H%M%SZ)"
echo "== shipload import $manifest" >&2
status=0
SHIPLOAD_API_URL="$url" SHIPLOAD_API_TOKEN="$token" \
    "$build/shipload" import -o "$reports" "$manifest" || status=$?

echo
echo "Reports of this run: $reports"
echo "  results.csv  one line per record: status, error code and message, fulfillment id"
echo "  rejects.csv  the records that did not go through, in the manifest's own columns"
echo "  summary.json counts per status and error code, requests, timings"
echo "  results.xlsx the same rows as a spreadsheet: Summary, Results and Rejects sheets"
echo "  report.html  one page to open in a browser: totals, what needs attention, every record"
echo
if [ -f "$reports/summary.json" ]; then
    echo "Rows per status:"
    jq -r '.statuses | to_entries[] | "  \(.key): \(.value)"' "$reports/summary.json"
fi
if [ -s "$reports/rejects.csv" ]; then
    echo "Records that did not go through (rejects.csv, fix and feed back as is):"
    sed 's/^/  /' "$reports/rejects.csv"
fi
echo "Fulfillments in the simulated store after the run: $(curl -fsS "$url/__sim/state" |
    jq '[.orders[].fulfillments[]] | length')"
case $status in
0 | 1) exit 0 ;;  # 1: some rows did not go through, as the sample intends (see samples/README.md)
*) exit "$status" ;;
esac
