#!/usr/bin/env bash
# test_reports_full_disk.sh: the reports on a full disk (issue 19). `shipload validate` of a
# manifest whose results.csv cannot fit a 1 MB tmpfs report directory: exit 3, a message naming
# the directory and ENOSPC, every record still read (summary.json, which fits once the lost
# reports are gone, counts them), and no incomplete file under a final name nor any temporary
# file left. Needs root (mount); says SKIP and passes when mounting is not permitted.
set -uo pipefail
: "${SHIPLOAD:?path of the shipload binary}" "${SHIPLOAD_SOURCE_DIR:?source tree}"
export SHIPLOAD_TEMPLATE_PATH=${SHIPLOAD_TEMPLATE_PATH:-$SHIPLOAD_SOURCE_DIR/templates}
command -v jq >/dev/null || { echo "FAIL: jq is needed" >&2; exit 1; }

work=$(mktemp -d)
export XDG_RUNTIME_DIR=$work   # run locks of this test stay in its own work directory
mounted=""
cleanup() { [ -n "$mounted" ] && umount "$mounted"; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir "$work/full"
if ! mount -t tmpfs -o size=1m tmpfs "$work/full" 2>"$work/mount.err"; then
    echo "SKIP: cannot mount a tmpfs: $(cat "$work/mount.err")"
    exit 0
fi
mounted=$work/full

# 20,000 rows, one in ten invalid (bad quantity): results.csv ~2 MB, rejects.csv ~100 KB
awk 'BEGIN { print "order_number,tracking_number,carrier,sku,quantity";
             for (i = 1; i <= 20000; i++)
                 printf "#%d,1Z999AA10123456784,UPS,SKU-%d-long-enough-name,%s\n", 1000 + i, i,
                        (i % 10 ? "1" : "x") }' >"$work/manifest.csv"

"$SHIPLOAD" validate -t generic-csv -o "$work/full/run" "$work/manifest.csv" \
    >"$work/out" 2>"$work/err"
status=$?
cat "$work/err" >&2
[ "$status" = 3 ] || fail "exit status $status, not 3"
grep -q "$work/full/run" "$work/err" || fail "the message does not name the directory"
grep -q ENOSPC "$work/err" || fail "the message does not say ENOSPC"
grep -q 'results.csv' "$work/err" || fail "the message does not name results.csv"
[ ! -e "$work/full/run/results.csv" ] || fail "an incomplete results.csv is under its name"
[ -z "$(find "$work/full/run" -name '.*' -type f)" ] || fail "temporary files were left"
if [ -e "$work/full/run/rejects.csv" ]; then   # finished: complete, every rejected record
    lines=$(($(wc -l <"$work/full/run/rejects.csv") - 1))
    [ "$lines" = 2000 ] || fail "rejects.csv holds $lines records, not 2000"
fi
[ -e "$work/full/run/summary.json" ] || fail "summary.json was not written"
[ "$(jq .records "$work/full/run/summary.json")" = 20000 ] || fail "not every record counted"
[ "$(jq .complete "$work/full/run/summary.json")" = false ] || fail "summary says complete"
jq -r .error "$work/full/run/summary.json" | grep -q ENOSPC || fail "summary.json error lacks ENOSPC"
echo "PASS: full report directory: exit 3, ENOSPC named, no partial report"
