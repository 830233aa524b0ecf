#!/usr/bin/env bash
# test_remote_https.sh: an https:// source from a local TLS server (python3's http.server with
# ssl) whose certificate a test CA made here signed (issue 16):
# - with --cacert CA the manifest is imported, its SHA-256 in summary.json that of the bytes
#   served (gzip as served, inflated by shipload);
# - without --cacert the certificate is not trusted: exit 3 with a message naming --cacert;
# - a "signed" path answers 403 unless the header from --header-file is sent; with it, the
#   import runs; the header's value appears in no report or log.
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl, openssl, python3.
. "$(dirname "$0")/lib/e2e.sh"
. "$(dirname "$0")/lib/sshd.sh"   # free_port

tls=$E2E_WORK/tls
mkdir -p "$tls/www/signed"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=shipload test CA" \
    -keyout "$tls/ca.key" -out "$tls/ca.pem" 2>/dev/null &&
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$tls/server.key" \
        -out "$tls/server.csr" 2>/dev/null &&
    printf 'subjectAltName=IP:127.0.0.1\n' >"$tls/san.ext" &&
    openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" \
        -CAcreateserial -days 2 -extfile "$tls/san.ext" -out "$tls/server.pem" 2>/dev/null ||
    { fail "openssl could not make the test CA"; e2e_finish; }

signature="sig-$$-$RANDOM$RANDOM"
cat >"$tls/server.py" <<'PY'
import http.server, ssl, sys, os
port, root, cert, key, signature = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory=root, **k)
    def do_GET(self):
        if self.path.startswith("/signed/") and self.headers.get("X-Signature") != signature:
            self.send_error(403, "signature required")
            return
        super().do_GET()
    def log_message(self, *a):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
PY

store=$E2E_WORK/store.json
gen_store "$store" 20 5 || e2e_finish
gen_manifest "$store" 0 "$E2E_WORK/all.csv" || e2e_finish
gzip -c "$E2E_WORK/all.csv" >"$tls/www/manifest.csv.gz"
head -n 4 "$E2E_WORK/all.csv" >"$tls/www/signed/part.csv"
port=$(free_port)
python3 "$tls/server.py" "$port" "$tls/www" "$tls/server.pem" "$tls/server.key" "$signature" \
    >"$tls/server.log" 2>&1 &
E2E_PIDS="$E2E_PIDS $!"
tries=0
until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    tries=$((tries + 1))
    [ $tries -ge 300 ] && { fail "the TLS server did not listen: $(cat "$tls/server.log")"; e2e_finish; }
    sleep 0.1
done
sim_start --store "$store" || e2e_finish
base=https://127.0.0.1:$port

# 1. with the test CA
run_import "$E2E_WORK/with_ca" --cacert "$tls/ca.pem" "$base/manifest.csv.gz"
assert_eq "https with --cacert: exit status ($(tail -2 "$E2E_WORK/with_ca.err"))" 0 "$RC"
records=$(csv_records "$E2E_WORK/all.csv")
check_reports "$E2E_WORK/with_ca" "$records"
assert_eq "https: sha256 of the bytes served" \
    "$(sha256sum "$tls/www/manifest.csv.gz" | cut -d' ' -f1)" "$(summary "$E2E_WORK/with_ca" .input.sha256)"
assert_eq "https: rows shipped" "$records" "$(status_count "$E2E_WORK/with_ca" shipped)"

# 2. without it: not trusted, said so
run_import "$E2E_WORK/no_ca" "$base/manifest.csv.gz"
assert_eq "https without --cacert: exit status" 3 "$RC"
grep -q "certificate is not trusted (give its CA with --cacert)" "$E2E_WORK/no_ca.err" ||
    fail "https without --cacert: message is '$(cat "$E2E_WORK/no_ca.err")'"

# 3. a signed link: refused without the header, read with it
run_import "$E2E_WORK/unsigned" --cacert "$tls/ca.pem" "$base/signed/part.csv"
assert_eq "signed link without the header: exit status" 3 "$RC"
grep -q "403" "$E2E_WORK/unsigned.err" || fail "signed link: message is '$(cat "$E2E_WORK/unsigned.err")'"
printf '# a signed download link\nX-Signature: %s\n' "$signature" >"$E2E_WORK/headers"
run_import "$E2E_WORK/signed" --cacert "$tls/ca.pem" --header-file "$E2E_WORK/headers" \
    "$base/signed/part.csv"
assert_eq "signed link with --header-file: exit status ($(tail -2 "$E2E_WORK/signed.err"))" 0 "$RC"
check_reports "$E2E_WORK/signed" 3
assert_file_lacks "the header's secret in reports or logs" "$signature" "$E2E_WORK/signed" \
    "$E2E_WORK"/*.err "$E2E_WORK"/*.out
ok "https sources"
e2e_finish
