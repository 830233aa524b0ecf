#!/usr/bin/env bash
# test_export_cases.sh: `shipload export` on a small hand-written store
# (tests/e2e/data/export/store.json) gives exactly tests/e2e/expected/export/cases.csv:
# a canceled order, a fully fulfilled order, a shipped package and a canceled package export
# nothing; a partially shipped package exports only its remainder; an unpaid order is exported
# (any payment status). Then the options (--order-status, --location, --status, --since, -t,
# -o - and .gz), the XML layout read back by xmllint, and the failures: wrong token (exit 3, no
# file, token never printed), unreachable API, bad template, bad --since (exit 2). Last, the XML
# export filled in and imported with no -t: every row shipped, and nothing is left to export.
source "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"

STORE=$E2E_DATA/export/store.json
EXPECTED=$SHIPLOAD_SOURCE_DIR/tests/e2e/expected/export/cases.csv
W=$E2E_WORK

# run_export NAME [args...]: export against $SIM_URL; output and messages in $W/NAME.*; sets RC.
run_export() {
    local name=$1
    shift
    SHIPLOAD_API_TOKEN=$E2E_TOKEN timeout -k 5 300 "$SHIPLOAD" export --api-url "$SIM_URL" "$@" \
        >"$W/$name.stdout" 2>"$W/$name.err"
    RC=$?
}

# column FILE NAME: the values of a column, one per line.
column() { csv_column "$1" "$2"; }

sim_start --store "$STORE" || e2e_finish

# ---- the default export: exactly the expected rows, in a stable order
run_export default -o "$W/default.csv"
assert_eq "default export: exit" 0 "$RC"
if cmp -s "$EXPECTED" "$W/default.csv"; then
    ok "default export = expected/export/cases.csv"
else
    fail "default export differs from expected/export/cases.csv:"
    diff "$EXPECTED" "$W/default.csv" >&2
fi
assert_eq "nothing on stdout with -o FILE" "" "$(cat "$W/default.stdout")"
grep -q "6 items in 5 packages of 5 orders" "$W/default.err" ||
    fail "summary line: $(cat "$W/default.err")"
packages=$(column "$W/default.csv" package_id | sort -u | tr '\n' ' ')
assert_eq "exported packages" "pk_2001_1 pk_2003_1 pk_2004_2 pk_2006_2 pk_2007_1 " "$packages"
# the canceled order, the fulfilled order, the shipped and the canceled package: absent
for absent in '#2002' '#2005' pk_2004_1 pk_2006_1 BEANIE-RED; do
    grep -q -- "$absent" "$W/default.csv" && fail "$absent is exported"
done
assert_eq "partially shipped: only the remainder" "SOCKS-WOOL-M 2" \
    "$(paste -d' ' <(column "$W/default.csv" package_id) <(column "$W/default.csv" sku) \
         <(column "$W/default.csv" quantity) | awk '$1 == "pk_2003_1" { print $2, $3 }')"

# the same again: byte for byte
run_export again -o "$W/again.csv"
cmp -s "$W/default.csv" "$W/again.csv" || fail "a second export differs from the first"

# ---- stdout and gzip
run_export stdout -o -
cmp -s "$W/default.csv" "$W/stdout.stdout" || fail "-o - differs from the file"
run_export nofile
cmp -s "$W/default.csv" "$W/nofile.stdout" || fail "no -o: standard output differs"
run_export gz -o "$W/out.csv.gz"
assert_eq "gzip magic" "1f8b" "$(od -An -N2 -tx1 "$W/out.csv.gz" | tr -d ' ')"
zcat "$W/out.csv.gz" | cmp -s "$W/default.csv" - || fail ".gz does not hold the same rows"

# ---- filters
run_export paid --order-status paid -o "$W/paid.csv"
assert_eq "--order-status paid: packages" "pk_2001_1 pk_2003_1 pk_2004_2 pk_2006_2 " \
    "$(column "$W/paid.csv" package_id | sort -u | tr '\n' ' ')"
run_export canceled --order-status canceled -o "$W/canceled.csv"
assert_eq "--order-status canceled exports nothing" 0 "$(csv_records "$W/canceled.csv")"
grep -q "nothing is waiting to ship" "$W/canceled.err" || fail "no warning on an empty export"
run_export loc2 --location loc_2 -o "$W/loc2.csv"
assert_eq "--location loc_2" "pk_2006_2" "$(column "$W/loc2.csv" package_id | sort -u)"
run_export pending --status pending -o "$W/pending.csv"
cmp -s "$W/default.csv" "$W/pending.csv" || fail "--status pending differs from the default"
run_export other --status other,refunded -o "$W/other.csv"
assert_eq "--status other,refunded" 0 "$(csv_records "$W/other.csv")"
run_export since --since 2026-11-24 -o "$W/since.csv"
assert_eq "--since 2026-11-24" "#2007" "$(column "$W/since.csv" order_number | sort -u)"

# ---- other layouts
run_export sku -t sku-lines -o "$W/sku.csv"
assert_eq "sku-lines: exit" 0 "$RC"
assert_eq "sku-lines: Qty Shipped of SOCKS-WOOL-M" 2 \
    "$(paste -d' ' <(column "$W/sku.csv" SKU) <(column "$W/sku.csv" "Qty Shipped") |
       awk '$1 == "SOCKS-WOOL-M" { print $2 }')"
assert_eq "sku-lines: rows" 6 "$(csv_records "$W/sku.csv")"
"$SHIPLOAD" detect "$W/sku.csv" 2>&1 | grep -q "sku-lines" || fail "the sku-lines export is not detected as sku-lines"
run_export xml -t generic-xml -o "$W/out.xml"
assert_eq "xml: exit" 0 "$RC"
xmllint --noout "$W/out.xml" || fail "the XML export is not well-formed"
assert_eq "xml: shipments" 5 "$(xmllint --xpath 'count(/shipments/shipment)' "$W/out.xml")"
assert_eq "xml: items" 6 "$(xmllint --xpath 'count(//item)' "$W/out.xml")"
assert_eq "xml: the remainder of pk_2003_1" 2 \
    "$(xmllint --xpath 'string(//shipment[package="pk_2003_1"]/item/@quantity)' "$W/out.xml")"
"$SHIPLOAD" detect "$W/out.xml" 2>&1 | grep -q "generic-xml" || fail "the XML export is not detected as generic-xml"
"$SHIPLOAD" detect "$W/default.csv" 2>&1 | grep -q "generic-csv" || fail "the CSV export is not detected as generic-csv"

# ---- failures: nothing under the output's name, the right exit status
echo "old" >"$W/kept.csv"
SHIPLOAD_API_TOKEN=wrong-token-$$ timeout -k 5 300 "$SHIPLOAD" export --api-url "$SIM_URL" -o "$W/kept.csv" \
    >"$W/wrong.out" 2>"$W/wrong.err"
assert_eq "wrong token: exit" 3 "$?"
grep -q "401" "$W/wrong.err" || fail "wrong token: no 401 in '$(cat "$W/wrong.err")'"
assert_eq "wrong token: the old file is left alone" old "$(cat "$W/kept.csv")"
assert_file_lacks "the wrong token" "wrong-token-$$" "$W/wrong.err" "$W/wrong.out"
assert_eq "no temporary file left" "" "$(ls -A "$W" | grep '\.tmp-' || true)"

run_export verbose -v -o "$W/verbose.csv"
assert_eq "-v: exit" 0 "$RC"
assert_file_lacks "the token with -v" "$E2E_TOKEN" "$W/verbose.err" "$W/verbose.csv"

closed_port_url=http://127.0.0.1:9   # discard port: nothing listens
SHIPLOAD_API_TOKEN=$E2E_TOKEN timeout -k 5 300 "$SHIPLOAD" export --api-url "$closed_port_url" --max-attempts 2 \
    -o "$W/unreachable.csv" >/dev/null 2>"$W/unreachable.err"
assert_eq "unreachable API: exit" 3 "$?"
[ -e "$W/unreachable.csv" ] && fail "unreachable API: a file was written"

run_export badtpl -t ups-worldship -o "$W/badtpl.csv"
assert_eq "a template without an export layout: exit" 2 "$RC"
grep -q "no export layout" "$W/badtpl.err" || fail "badtpl: $(cat "$W/badtpl.err")"
run_export nosuch -t no-such-template -o "$W/nosuch.csv"
assert_eq "an unknown template: exit" 2 "$RC"
run_export baddate --since 2026-02-30 -o "$W/baddate.csv"
assert_eq "--since 2026-02-30: exit" 2 "$RC"
run_export operand somefile.csv
assert_eq "an operand: exit" 2 "$RC"
run_export directory -o "$W"
assert_eq "-o DIRECTORY: exit" 2 "$RC"
SHIPLOAD_API_TOKEN= timeout -k 5 300 "$SHIPLOAD" export --api-url "$SIM_URL" -o "$W/notoken.csv" 2>"$W/notoken.err"
assert_eq "no token: exit" 2 "$?"
for name in badtpl nosuch baddate notoken; do
    [ -e "$W/$name.csv" ] && fail "$name: a file was written"
done

# ---- the XML layout round trip: fill in <tracking> and <carrier>, import with no -t
awk '
    function digit(c) { return c ~ /[0-9]/ ? c + 0 : (index("ABCDEFGHIJKLMNOPQRSTUVWXYZ", c) + 1) % 10 }
    function ups(n,    payload, i, sum) {
        payload = sprintf("8W2A4703%07d", n)
        sum = 0
        for (i = 1; i <= 15; i++) sum += digit(substr(payload, i, 1)) * (i % 2 ? 1 : 2)
        return "1Z" payload ((10 - sum % 10) % 10)
    }
    /<tracking><\/tracking>/ { sub(/<tracking><\/tracking>/, "<tracking>" ups(++n) "</tracking>") }
    /<carrier><\/carrier>/ { sub(/<carrier><\/carrier>/, "<carrier>UPS</carrier>") }
    { print }' "$W/out.xml" >"$W/filled.xml"
run_import "$W/xml-import" "$W/filled.xml"
check_reports "$W/xml-import" 6
assert_eq "XML round trip: import exit" 0 "$RC"
assert_eq "XML round trip: rows shipped" 6 "$(status_count "$W/xml-import" shipped)"
assert_eq "XML round trip: template" generic-xml "$(summary "$W/xml-import" .template)"
run_export after -o "$W/after.csv"
assert_eq "after the import: exit" 0 "$RC"
assert_eq "after the import: nothing is waiting" 0 "$(csv_records "$W/after.csv")"

e2e_finish
