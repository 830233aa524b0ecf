#!/usr/bin/env bash
# test_import_url_credentials.sh: credentials in the API URL (https://user:pass@host) are never
# printed or stored (issue 19): an import against such a URL that cannot be reached, with -v,
# names the host in its message, and the password is in neither stderr, stdout nor any report.
set -uo pipefail
: "${SHIPLOAD:?path of the shipload binary}" "${SHIPLOAD_SOURCE_DIR:?source tree}"
export SHIPLOAD_TEMPLATE_PATH=${SHIPLOAD_TEMPLATE_PATH:-$SHIPLOAD_SOURCE_DIR/templates}
work=$(mktemp -d)
export XDG_RUNTIME_DIR=$work   # run locks of this test stay in its own work directory
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

printf 'order_number,tracking_number,carrier\n#1001,1Z999AA10123456784,UPS\n' >"$work/m.csv"
SHIPLOAD_API_TOKEN=tok-e2e "$SHIPLOAD" import -v -t generic-csv --max-attempts 1 \
    --api-url "http://bob:hunter2pw@127.0.0.1:9/" -o "$work/run" "$work/m.csv" \
    >"$work/out" 2>"$work/err"
status=$?
cat "$work/err" >&2
[ "$status" = 3 ] || fail "exit status $status, not 3 (unreachable)"
grep -q '127.0.0.1:9' "$work/err" || fail "the message does not name the host"
grep -q 'http://127.0.0.1:9' "$work/err" || fail "the URL is not shown without its userinfo"
! grep -rq 'hunter2pw' "$work/err" "$work/out" "$work/run" || fail "the password leaked"
! grep -rq 'bob@' "$work/err" "$work/out" "$work/run" || fail "the user name leaked"
echo "PASS: API URL credentials never printed or stored"
