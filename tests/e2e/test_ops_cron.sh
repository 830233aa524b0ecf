#!/usr/bin/env bash
# test_ops_cron.sh: shipload under cron and its notifications (issue 15), the real binary.
# - cron-like conditions (an empty environment but PATH=/usr/bin:/bin, LC_ALL=C and the token,
#   </dev/null, output to files): a clean run writes zero bytes to stdout and stderr (exit 0);
#   a run with failed rows writes the digest (counts per error code, the first rejects with their
#   reasons, the report path) to stderr only (exit 1); a fatal run prints its cause (exit 3);
# - on a terminal (script(1)): the summary line without -q, nothing with -q on a clean run;
# - --mail-to: a local SMTP sink receives the digest with rejects.csv attached (byte for byte);
#   --notify-when: nothing mailed on a clean run by default, a mail with `always`;
# - --webhook: a local receiver gets summary.json (byte for byte) and verifies the HMAC-SHA256
#   signature; a receiver holding another key finds it invalid;
# - an unreachable mail server: a warning, the reports intact, the run's own exit status.
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl, python3, script.
. "$(dirname "$0")/lib/e2e.sh"

store=$E2E_WORK/store.json
clean=$E2E_WORK/clean.csv
gen_store "$store" 20 7 || e2e_finish
gen_manifest "$store" 25 "$clean" || e2e_finish
# the same rows again (now duplicates: successes) plus two that fail
bad=$E2E_WORK/bad.csv
cp "$clean" "$bad"
printf '%s\n' '#99999001,,,,,1Z8W2A479000002090,UPS,,2026-11-21,N,ship' \
    '#100001,,,,,,UPS,,2026-11-21,N,ship' >>"$bad"
bad_records=$(csv_records "$bad")
sim_start --store "$store" || e2e_finish

# cron_run DIR [args...]: shipload import as cron runs it; RC, DIR.out, DIR.err.
cron_run() {
    local dir=$1
    shift
    (cd "$E2E_WORK/cwd" && env -i PATH=/usr/bin:/bin LC_ALL=C HOME="$E2E_WORK" \
        ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} ${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} \
        SHIPLOAD_TEMPLATE_PATH="$SHIPLOAD_TEMPLATE_PATH" SHIPLOAD_API_TOKEN="$E2E_TOKEN" \
        ${SMTP_URL:+SHIPLOAD_SMTP_URL=$SMTP_URL} \
        "$SHIPLOAD" import --api-url "$SIM_URL" "$@" </dev/null >"$dir.out" 2>"$dir.err")
    RC=$?
}
mkdir -p "$E2E_WORK/cwd"

# 1. a clean run: zero bytes, exit 0, a report directory made in the working directory
cron_run "$E2E_WORK/clean" "$clean"
assert_eq "clean: exit status" 0 "$RC"
assert_eq "clean: bytes on stdout and stderr" "0 0" \
    "$(wc -c <"$E2E_WORK/clean.out") $(wc -c <"$E2E_WORK/clean.err")"
made=$(ls -d "$E2E_WORK"/cwd/shipload-clean.csv-* 2>/dev/null | head -n 1)
[ -n "$made" ] && check_reports "$made" "$(csv_records "$clean")"

# 2. failed rows: the digest on stderr, nothing on stdout, exit 1
dir=$E2E_WORK/bad
cron_run "$dir" -o "$dir" "$bad"
assert_eq "bad: exit status" 1 "$RC"
assert_eq "bad: bytes on stdout" 0 "$(wc -c <"$dir.out")"
check_reports "$dir" "$bad_records"
grep -q "^shipload import: .*bad.csv: 2 of $bad_records records did not succeed$" "$dir.err" ||
    fail "bad: no digest head: $(cat "$dir.err")"
grep -q '^  error codes: .*missing_tracking_number 1' "$dir.err" || fail "bad: no count per code"
grep -q '^  error codes: .*order_not_found 1' "$dir.err" || fail "bad: order_not_found not counted"
grep -q "^    line $bad_records, order #99999001: unmatched order_not_found: " "$dir.err" ||
    fail "bad: the first rejects are not listed with line and reason: $(cat "$dir.err")"
grep -q "^  reports: $dir " "$dir.err" || fail "bad: the report path is not in the digest"
assert_le "bad: digest lines" 12 "$(wc -l <"$dir.err")"

# 3. fatal: the cause
dir=$E2E_WORK/fatal
(cd "$E2E_WORK/cwd" && env -i PATH=/usr/bin:/bin LC_ALL=C SHIPLOAD_API_TOKEN="$E2E_TOKEN" \
    ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
    SHIPLOAD_TEMPLATE_PATH="$SHIPLOAD_TEMPLATE_PATH" "$SHIPLOAD" import --api-url http://127.0.0.1:1 \
    --max-attempts 2 "$clean" </dev/null >"$dir.out" 2>"$dir.err")
RC=$?
assert_eq "fatal: exit status" 3 "$RC"
grep -q 'cannot reach the API at http://127.0.0.1:1: connection refused' "$dir.err" ||
    fail "fatal: no cause: $(cat "$dir.err")"

# 4. on a terminal: the summary line, and -q silences a clean run there too
for quiet in "" "-q"; do
    dir=$E2E_WORK/tty$quiet
    SHIPLOAD_API_TOKEN=$E2E_TOKEN script -qec "'$SHIPLOAD' import --api-url '$SIM_URL' -o '$dir' \
        --progress=never $quiet '$clean'" /dev/null </dev/null >"$dir.typescript" 2>&1
    if [ -z "$quiet" ]; then
        grep -q "import: $(csv_records "$clean") records: 0 shipped, $(csv_records "$clean") duplicate" "$dir.typescript" ||
            fail "terminal: no summary line: $(head -c 400 "$dir.typescript")"
    else
        assert_eq "terminal -q: bytes written on a clean run" 0 "$(tr -d '\r\n' <"$dir.typescript" | wc -c)"
    fi
done

# 5. mail: a local SMTP sink gets the digest with rejects.csv attached
ops_server_start smtp smtp "$E2E_WORK/mail" || e2e_finish
SMTP_URL=smtp://127.0.0.1:$OPS_PORT
dir=$E2E_WORK/mailed
cron_run "$dir" -o "$dir" --mail-to ops@example.com "$bad"
assert_eq "mail: exit status" 1 "$RC"
[ -f "$E2E_WORK/mail.1" ] || fail "mail: nothing reached the sink: $(cat "$dir.err")"
python3 - "$E2E_WORK/mail.1" "$dir/rejects.csv" >"$E2E_WORK/mail.check" 2>&1 <<'PY' ||
import email, sys
from email import policy
message = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.default)
assert "did not succeed" in message["Subject"], message["Subject"]
assert message["To"] == "ops@example.com", message["To"]
body = message.get_body(preferencelist=("plain",)).get_content()
assert "first rejects:" in body and "order_not_found" in body, body
attachments = [part for part in message.iter_attachments() if part.get_filename() == "rejects.csv"]
assert len(attachments) == 1, [part.get_filename() for part in message.iter_attachments()]
assert attachments[0].get_payload(decode=True) == open(sys.argv[2], "rb").read(), "attachment differs"
PY
    fail "mail: $(cat "$E2E_WORK/mail.check")"
dir=$E2E_WORK/mail-clean
cron_run "$dir" -o "$dir" --mail-to ops@example.com "$clean"
assert_eq "mail, clean run: exit status and output" "0 0" "$RC $(wc -c <"$dir.err")"
[ -f "$E2E_WORK/mail.2" ] && fail "mail: a clean run was mailed without --notify-when always"
cron_run "$dir" -o "$dir" --mail-to ops@example.com --notify-when always "$clean"
[ -f "$E2E_WORK/mail.2" ] || fail "mail: --notify-when always sent nothing on a clean run"
grep -q '^Subject: shipload import: .*all .* records done' "$E2E_WORK/mail.2" 2>/dev/null ||
    fail "mail: the clean run's subject: $(grep '^Subject' "$E2E_WORK/mail.2")"

# 6. an unreachable mail server: a warning, the reports intact, the run's own status
SMTP_URL=smtp://127.0.0.1:1
dir=$E2E_WORK/mail-down
cron_run "$dir" -o "$dir" --mail-to ops@example.com "$bad"
assert_eq "mail down: exit status (the run's own)" 1 "$RC"
grep -q 'warning: the notification was not delivered: mail to ops@example.com' "$dir.err" ||
    fail "mail down: no warning: $(cat "$dir.err")"
check_reports "$dir" "$bad_records"
assert_eq "mail down: summary.json complete" true "$(summary "$dir" .complete)"
SMTP_URL=""

# 7. webhook: signed summary.json, verified by the receiver
printf 'sl-hook-key-%s\n' "$$" >"$E2E_WORK/hook.key"
chmod 600 "$E2E_WORK/hook.key"
ops_server_start hook webhook "$E2E_WORK/hook.key" "$E2E_WORK/hook" || e2e_finish
dir=$E2E_WORK/hooked
cron_run "$dir" -o "$dir" --webhook "http://127.0.0.1:$OPS_PORT/shipload" \
    --webhook-secret-file "$E2E_WORK/hook.key" "$bad"
assert_eq "webhook: exit status" 1 "$RC"
assert_eq "webhook: signature as the receiver checks it" valid "$(cat "$E2E_WORK/hook" 2>/dev/null)"
cmp -s "$E2E_WORK/hook.body" "$dir/summary.json" || fail "webhook: the body is not summary.json"
printf 'another-key\n' >"$E2E_WORK/other.key"
ops_server_start hook2 webhook "$E2E_WORK/other.key" "$E2E_WORK/hook2" || e2e_finish
cron_run "$dir-2" -o "$dir-2" --webhook "http://127.0.0.1:$OPS_PORT/shipload" \
    --webhook-secret-file "$E2E_WORK/hook.key" "$bad"
assert_eq "webhook: a receiver with another key" invalid "$(cat "$E2E_WORK/hook2" 2>/dev/null)"
cron_run "$dir-3" -o "$dir-3" --webhook "http://127.0.0.1:$OPS_PORT/shipload" "$bad"
assert_eq "webhook without its secret file: exit status" 2 "$RC"
assert_file_lacks "the token leaked" "$E2E_TOKEN" "$E2E_WORK"/*.err "$E2E_WORK"/mail.* "$E2E_WORK/hook.body"
e2e_finish
