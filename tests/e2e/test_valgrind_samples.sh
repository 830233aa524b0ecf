#!/usr/bin/env bash
# test_valgrind_samples.sh: the sample runs under valgrind (memcheck), so that "valgrind-clean
# on the sample runs" is checked by the suite, not by hand: a gzipped CSV and an XML manifest
# imported into store-sim (Ecart), the SKU-line sample into store-sim --platform shoplazza and
# the generic sample into store-sim --platform orderprotection, a validate, an export and an
# HTML/xlsx report. Each run must end with its usual exit status, no memcheck error and no
# definite or indirect leak (--errors-for-leak-kinds=definite,indirect; the libraries' still
# reachable blocks are not shipload's). Runs in the normal pass only (the sanitizer pass
# cannot run under valgrind) and only when valgrind is installed (tests/lib/bootstrap.sh
# installs it).
. "$(dirname "$0")/lib/e2e.sh"

if [ "${SHIPLOAD_UNDER_SANITIZER:-}" = 1 ]; then
    echo "SKIP: valgrind runs in the normal pass only"
    exit 0
fi
command -v valgrind >/dev/null || { echo "SKIP: valgrind is not installed"; exit 0; }

real_shipload=$SHIPLOAD
wrapper=$E2E_WORK/shipload-valgrind
cat >"$wrapper" <<SH
#!/bin/sh
exec valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \\
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \\
    --track-fds=no --log-file="$E2E_WORK/valgrind.%p.log" "$real_shipload" "\$@"
SH
chmod +x "$wrapper"
SHIPLOAD=$wrapper

# clean LABEL EXPECTED_STATUS: the last run's status (as without valgrind; 99 would be
# memcheck's), and no valgrind log with an error
clean() {
    local label=$1 expected=$2 log errors
    assert_eq "$label: exit status under valgrind" "$expected" "$RC"
    for log in "$E2E_WORK"/valgrind.*.log; do
        [ -e "$log" ] || { fail "$label: no valgrind log"; return; }
        errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -1)
        if [ "$errors" != 0 ]; then
            fail "$label: valgrind: $(grep -E 'Invalid|uninitialised|definitely|indirectly|ERROR SUMMARY' "$log" | head -8)"
        fi
        mv "$log" "$log.$label.done"
    done
    ok "$label: valgrind-clean"
}

samples=$SHIPLOAD_SOURCE_DIR/samples

# Ecart: gzip + CSV, then XML; the reports as xlsx and HTML too
expected=$SHIPLOAD_SOURCE_DIR/tests/e2e/expected
sim_start --store "$samples/store.json" || e2e_finish
run_import "$E2E_WORK/ecart-csv" --report-format csv,xlsx,html "$samples/generic-csv.csv.gz"
clean ecart-csv-gz "$(cat "$expected/import/generic-csv.csv.exit")"
check_reports "$E2E_WORK/ecart-csv" "$(csv_records "$samples/generic-csv.csv")"
[ -s "$E2E_WORK/ecart-csv/results.xlsx" ] || fail "ecart-csv-gz: no results.xlsx"
sim_reset || fail "POST /__sim/reset failed"
run_import "$E2E_WORK/ecart-xml" "$samples/cxml-shipnotice.xml"
clean ecart-xml "$(cat "$expected/import/cxml-shipnotice.xml.exit")"
cmp -s "$expected/import/cxml-shipnotice.xml.results.csv" "$E2E_WORK/ecart-xml/results.csv" ||
    fail "ecart-xml: results.csv differs from the expected one (or is missing)"
SHIPLOAD_API_TOKEN=$E2E_TOKEN "$SHIPLOAD" export --api-url "$SIM_URL" -o "$E2E_WORK/export.csv" \
    --progress=never >"$E2E_WORK/export.out" 2>"$E2E_WORK/export.err"
RC=$?
clean ecart-export 0
sim_stop
"$real_shipload" validate -o "$E2E_WORK/validate-plain" "$samples/ups-worldship.csv" \
    >/dev/null 2>&1
plain_status=$?
"$SHIPLOAD" validate -o "$E2E_WORK/validate" "$samples/ups-worldship.csv" \
    >"$E2E_WORK/validate.out" 2>"$E2E_WORK/validate.err"
RC=$?
clean validate "$plain_status"      # the sample has refused rows on purpose: 1
cmp -s "$E2E_WORK/validate-plain/results.csv" "$E2E_WORK/validate/results.csv" ||
    fail "validate: results.csv differs from the run without valgrind (or is missing)"

# Shoplazza
sim_start --platform shoplazza --store "$samples/shoplazza/store.json" || e2e_finish
run_import "$E2E_WORK/shoplazza" --platform shoplazza "$samples/shoplazza/sku-lines.csv"
clean shoplazza 1     # two rows of the sample are refused on purpose
check_reports "$E2E_WORK/shoplazza" "$(csv_records "$samples/shoplazza/sku-lines.csv")"
sim_stop

# OrderProtection
sim_start --platform orderprotection --store "$samples/orderprotection/store.json" || e2e_finish
run_import "$E2E_WORK/orderprotection" --platform orderprotection \
    "$samples/orderprotection/generic-csv.csv"
clean orderprotection "$(cat "$expected/orderprotection/generic-csv.csv.exit")"
check_reports "$E2E_WORK/orderprotection" "$(csv_records "$samples/orderprotection/generic-csv.csv")"
sim_stop
e2e_finish
