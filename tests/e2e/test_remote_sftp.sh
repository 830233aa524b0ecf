#!/usr/bin/env bash
# test_remote_sftp.sh: SFTP sources and inboxes against a real OpenSSH sshd started here on a
# free loopback port (issue 16):
# - a glob of three manifests (sftp://USER@127.0.0.1:PORT/DIR/outbox/*.csv) given to --inbox is
#   imported, each file once, the remote files moved to outbox/done/ and their reports kept in
#   the local -o folder; a second run finds nothing to do;
# - `import` reads a remote glob directly (three sources, all duplicate now: nothing twice);
# - a server whose host key is not in known_hosts is refused with a clear message (exit 3, no
#   request sent); --accept-new-host-key adds it and says so;
# - a key the server does not accept is exit 3 with a message naming the login.
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl, sshd, ssh-keygen, python3.
. "$(dirname "$0")/lib/e2e.sh"
. "$(dirname "$0")/lib/inbox.sh"
. "$(dirname "$0")/lib/sshd.sh"

sshd_start || e2e_finish
store=$E2E_WORK/store.json
gen_store "$store" 30 11 || e2e_finish
gen_manifest "$store" 0 "$E2E_WORK/all.csv" || e2e_finish
split_manifest "$E2E_WORK/all.csv" 3 "$E2E_WORK/part"
sim_start --store "$store" || e2e_finish
sim_state "$E2E_WORK/before.json"
{ state_fulfillments "$E2E_WORK/before.json"; cat "$E2E_WORK/all.csv.expected"; } | LC_ALL=C sort \
    >"$E2E_WORK/expected.fulfillments"
printf '%s\n' "$E2E_TOKEN" >"$E2E_WORK/token"

outbox=$E2E_WORK/outbox
mkdir "$outbox"
for i in 1 2 3; do cp "$E2E_WORK/part$i.csv" "$outbox/manifest-$i.csv"; done
echo "not a manifest" >"$outbox/readme.txt"   # the glob leaves it alone
age_file "$outbox"/*
remote="sftp://$SSHD_USER@127.0.0.1:$SSHD_PORT$outbox"
ssh_args=(--ssh-key "$SSH_KEY" --known-hosts "$KNOWN_HOSTS")
net_args=(--api-url "$SIM_URL" --token-file "$E2E_WORK/token" --progress=never)

# 1. a remote inbox with a glob: each file once, moved to done/ on the server
"$SHIPLOAD" import --inbox "$remote/*.csv" -o "$E2E_WORK/state" "${ssh_args[@]}" "${net_args[@]}" \
    >"$E2E_WORK/inbox.out" 2>"$E2E_WORK/inbox.err"
RC=$?
assert_eq "remote inbox: exit status ($(tail -3 "$E2E_WORK/inbox.err"))" 0 "$RC"
assert_eq "remote outbox/done/" "$(printf 'manifest-%s.csv\n' 1 2 3)" "$(files_in "$outbox/done")"
assert_eq "left in the outbox" "readme.txt" "$(files_in "$outbox")"
assert_eq "remote processing/" "" "$(files_in "$outbox/processing")"
for i in 1 2 3; do
    dir=$E2E_WORK/state/done/manifest-$i.csv.report
    records=$(csv_records "$E2E_WORK/part$i.csv")
    check_reports "$dir" "$records"
    assert_eq "manifest-$i.csv: shipped" "$records" "$(status_count "$dir" shipped)"
done
sim_state "$E2E_WORK/state.json"
state_fulfillments "$E2E_WORK/state.json" >"$E2E_WORK/state.fulfillments"
cmp -s "$E2E_WORK/expected.fulfillments" "$E2E_WORK/state.fulfillments" ||
    fail "store differs from the manifests: $(diff "$E2E_WORK/expected.fulfillments" "$E2E_WORK/state.fulfillments" | head -5)"
assert_eq "shipped twice" "" "$(state_double_shipped "$E2E_WORK/state.json")"
sim_stats "$E2E_WORK/stats1.json"

# a second run: nothing left to take
"$SHIPLOAD" import --inbox "$remote/*.csv" -o "$E2E_WORK/state" "${ssh_args[@]}" "${net_args[@]}" \
    >"$E2E_WORK/inbox2.out" 2>"$E2E_WORK/inbox2.err"
assert_eq "second inbox run: exit status" 0 "$?"
assert_eq "imports started after the second run" 3 "$(journal_states "$E2E_WORK/state/.shipload-journal" start)"

# 2. import reads a remote glob directly: three sources, every row duplicate, nothing written
run_import "$E2E_WORK/direct" "${ssh_args[@]}" "$remote/done/manifest-*.csv"
assert_eq "import of a remote glob: exit status ($(tail -2 "$E2E_WORK/direct.err"))" 0 "$RC"
for i in 1 2 3; do
    dir=$E2E_WORK/direct/manifest-$i.csv
    records=$(csv_records "$E2E_WORK/part$i.csv")
    check_reports "$dir" "$records"
    assert_eq "direct manifest-$i.csv: duplicate rows" "$records" "$(status_count "$dir" duplicate)"
    assert_eq "direct manifest-$i.csv: sha256 of the remote bytes" \
        "$(sha256sum "$E2E_WORK/part$i.csv" | cut -d' ' -f1)" "$(summary "$dir" .input.sha256)"
done
sim_stats "$E2E_WORK/stats2.json"
assert_eq "writes after importing again" "$(stats_writes "$E2E_WORK/stats1.json")" \
    "$(stats_writes "$E2E_WORK/stats2.json")"

# 3. an unknown host key: refused, clearly, before anything is read
: >"$E2E_WORK/empty_known_hosts"
run_import "$E2E_WORK/unknown" --ssh-key "$SSH_KEY" --known-hosts "$E2E_WORK/empty_known_hosts" \
    "$remote/done/manifest-1.csv"
assert_eq "unknown host key: exit status" 3 "$RC"
grep -q "host key is not in $E2E_WORK/empty_known_hosts: refused" "$E2E_WORK/unknown.err" ||
    fail "unknown host key: message is '$(cat "$E2E_WORK/unknown.err")'"
[ -s "$E2E_WORK/empty_known_hosts" ] && fail "the unknown host key was added without being asked"
# ... unless told to accept it, which is said and remembered
run_import "$E2E_WORK/accepted" --ssh-key "$SSH_KEY" --known-hosts "$E2E_WORK/empty_known_hosts" \
    --accept-new-host-key "$remote/done/manifest-1.csv"
assert_eq "--accept-new-host-key: exit status" 0 "$RC"
grep -q "unknown host key accepted and added" "$E2E_WORK/accepted.err" ||
    fail "--accept-new-host-key did not say it added the key"
[ -s "$E2E_WORK/empty_known_hosts" ] || fail "--accept-new-host-key did not add the key"

# 4. a key the server does not know: exit 3, saying the login was refused
run_import "$E2E_WORK/wrongkey" --ssh-key "$SSH_WRONG_KEY" --known-hosts "$KNOWN_HOSTS" \
    "$remote/done/manifest-1.csv"
assert_eq "wrong key: exit status" 3 "$RC"
grep -q "the server refused the login" "$E2E_WORK/wrongkey.err" ||
    fail "wrong key: message is '$(cat "$E2E_WORK/wrongkey.err")'"
assert_file_lacks "the token in reports or logs" "$E2E_TOKEN" "$E2E_WORK/state" "$E2E_WORK"/*.err
ok "sftp sources and inbox"
e2e_finish
