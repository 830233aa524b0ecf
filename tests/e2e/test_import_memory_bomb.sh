#!/usr/bin/env bash
# test_import_memory_bomb.sh: a gzip bomb (a million identical rows in about 100 KB) given to
# `shipload import` with a lowered --memory-limit ends with a clean exit 3 before anything is
# sent: a message naming the limit, complete reports (every record read is in results.csv, as
# not_attempted/run_stopped; summary.json agrees), and a peak memory within the limit plus the
# documented 64 MiB (measured with /usr/bin/time -v when it is there, else getrusage via
# python3). Nothing listens at the API URL: nothing may be sent. Under AddressSanitizer
# (SHIPLOAD_UNDER_SANITIZER=1) the peak is ASan's (its quarantine alone holds up to 256 MiB of
# freed blocks): the bound is asserted by the normal pass only; everything else is checked in both.
set -uo pipefail
: "${SHIPLOAD:?path of the shipload binary}" "${SHIPLOAD_SOURCE_DIR:?source tree}"
export SHIPLOAD_TEMPLATE_PATH=${SHIPLOAD_TEMPLATE_PATH:-$SHIPLOAD_SOURCE_DIR/templates}
command -v jq >/dev/null || { echo "FAIL: jq is needed" >&2; exit 1; }

work=$(mktemp -d)
export XDG_RUNTIME_DIR=$work   # run locks of this test stay in its own work directory
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

{ echo "order_number,tracking_number,carrier,sku,quantity"
  yes '#1001,1Z999AA10123456784,UPS,SKU-1,1' | head -n 1000000; } | gzip -9 >"$work/bomb.csv.gz"
echo "bomb: $(stat -c %s "$work/bomb.csv.gz") bytes for 1,000,000 rows"

limit=32
# --no-preflight: no API answers here, and the limit is met while reading, before any request
run() {
    SHIPLOAD_API_TOKEN=not-used "$SHIPLOAD" import -t generic-csv --api-url http://127.0.0.1:9 \
        --no-preflight --memory-limit $limit -o "$work/run" "$work/bomb.csv.gz" >"$work/out" 2>"$work/err"
}
if [ -x /usr/bin/time ]; then
    /usr/bin/time -v -o "$work/time" bash -c "$(declare -f run); work=$work limit=$limit \
        SHIPLOAD=$SHIPLOAD run"
    status=$?
    peak_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time")
else
    run
    status=$?
    peak_kb=""
fi
cat "$work/err" >&2
[ "$status" = 3 ] || fail "exit status $status, not 3"
grep -q "memory limit of $limit MiB" "$work/err" || fail "the message does not name the limit"
records=$(jq .records "$work/run/summary.json")
lines=$(($(wc -l <"$work/run/results.csv") - 1))
[ "$records" -gt 1000 ] && [ "$records" -lt 1000000 ] || fail "$records records read"
[ "$lines" = "$records" ] || fail "results.csv has $lines lines for $records records"
[ "$(jq '.statuses.not_attempted' "$work/run/summary.json")" = "$records" ] ||
    fail "not every record is not_attempted"
[ "$(jq -r .complete "$work/run/summary.json")" = false ] || fail "summary.json says complete"
if [ "${SHIPLOAD_UNDER_SANITIZER:-0}" = 1 ]; then
    echo "peak RSS: $peak_kb KiB under AddressSanitizer (the bound is the normal pass's)"
elif [ -n "$peak_kb" ]; then
    echo "peak RSS: $peak_kb KiB (limit $limit MiB + 64 MiB)"
    [ "$peak_kb" -lt $(((limit + 64) * 1024)) ] || fail "peak RSS $peak_kb KiB over the bound"
fi
echo "PASS: gzip bomb: exit 3 at the memory limit, $records records reported"
