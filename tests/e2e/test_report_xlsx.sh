#!/usr/bin/env bash
# test_report_xlsx.sh: results.xlsx read back as an accountant's tools read it. For the demo
# import, every sample's validate and a manifest with formula-like cells: openpyxl
# (tests/e2e/lib/xlsx_check.py) finds tracking numbers, order numbers and ids as strings equal to
# results.csv's, ship dates as dates, the sheets' row counts equal to the CSV files', no formula;
# LibreOffice Calc (headless) converts each sheet to CSV without error, the 22-digit USPS number
# intact. --report-format leaves out what was not asked for.
. "$(dirname "$0")/lib/e2e.sh"

PYTHON=/usr/bin/python3
"$PYTHON" -c 'import openpyxl' 2>/dev/null ||
    { fail "python3-openpyxl is needed (Debian package)"; e2e_finish; }
SOFFICE=$(command -v soffice || command -v libreoffice || true)
[ -n "$SOFFICE" ] || { fail "LibreOffice is needed (Debian package libreoffice-calc-nogui)"; e2e_finish; }

xlsx_check() {
    "$PYTHON" "$SHIPLOAD_SOURCE_DIR/tests/e2e/lib/xlsx_check.py" "$1" >"$1.check" 2>&1 &&
        ok "$(cat "$1.check")" || fail "$(basename "$1"): $(cat "$1.check")"
}

# ---- the demo import
sim_start --store "$SHIPLOAD_SOURCE_DIR/samples/store.json" || e2e_finish
demo=$E2E_WORK/demo
run_import "$demo" "$SHIPLOAD_SOURCE_DIR/samples/generic-csv.csv"
xlsx_check "$demo"

# ---- validate, every sample
for sample in "$SHIPLOAD_SOURCE_DIR"/samples/*.csv "$SHIPLOAD_SOURCE_DIR"/samples/*.xml; do
    dir=$E2E_WORK/validate-$(basename "$sample")
    "$SHIPLOAD" validate -q -o "$dir" "$sample" 2>"$dir.err"
    [ -f "$dir/results.xlsx" ] || { fail "validate $(basename "$sample"): no results.xlsx"; continue; }
    xlsx_check "$dir"
done

# ---- cells a spreadsheet would evaluate, and long numbers
tricky=$E2E_WORK/tricky.csv
{
    echo "order_number,order_id,package_id,sku,quantity,tracking_number,carrier,tracking_url,ship_date,notify_customer,action"
    echo "#1001,,,=1+1,1,9400111899223631001026,USPS,,2026-11-21,,"
    echo "#1002,,,@SUM(A1),1,1Z8W2A470326110016,UPS,,2026-11-21,,"
    echo "=HYPERLINK(\"http://x\"),,,-2+3,1,9400111899223631001026,USPS,,21/11/2026,,"
} >"$tricky"
dir=$E2E_WORK/tricky
"$SHIPLOAD" validate -q -o "$dir" "$tricky" 2>"$dir.err"
xlsx_check "$dir"

# ---- LibreOffice converts every sheet
lo_out=$E2E_WORK/lo
mkdir -p "$lo_out"
timeout 300 "$SOFFICE" -env:UserInstallation="file://$E2E_WORK/lo-profile" --headless \
    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
    --outdir "$lo_out" "$demo/results.xlsx" >"$lo_out.log" 2>&1 ||
    fail "LibreOffice could not convert results.xlsx: $(tail -5 "$lo_out.log")"
if [ -f "$lo_out/results-Results.csv" ]; then
    grep -q '9400111899223631001026' "$lo_out/results-Results.csv" &&
        ok "LibreOffice: the USPS number is intact in the Results sheet" ||
        fail "LibreOffice: 9400111899223631001026 not found in the Results sheet"
    assert_eq "LibreOffice: Results rows" "$(wc -l <"$demo/results.csv")" \
        "$(wc -l <"$lo_out/results-Results.csv")"
    [ -f "$lo_out/results-Summary.csv" ] && [ -f "$lo_out/results-Rejects.csv" ] ||
        fail "LibreOffice: not every sheet converted: $(ls "$lo_out")"
else
    fail "LibreOffice wrote no Results sheet: $(ls "$lo_out") $(tail -5 "$lo_out.log")"
fi

# ---- --report-format picks the files
only=$E2E_WORK/only-xlsx
"$SHIPLOAD" validate -q --report-format xlsx -o "$only" "$SHIPLOAD_SOURCE_DIR/samples/generic-csv.csv"
assert_eq "--report-format xlsx: the files" "results.xlsx summary.json" "$(ls "$only" | paste -sd' ')"
"$SHIPLOAD" validate -q --report-format csv,pdf -o "$E2E_WORK/bad-format" \
    "$SHIPLOAD_SOURCE_DIR/samples/generic-csv.csv" 2>"$E2E_WORK/bad-format.err"
assert_eq "--report-format csv,pdf: exit" 2 $?
grep -q "report-format" "$E2E_WORK/bad-format.err" || fail "--report-format csv,pdf: no clear error"

e2e_finish
