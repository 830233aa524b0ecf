#!/usr/bin/env bash
# test_validate_xlsx.sh: an Excel workbook made by LibreOffice from a sample CSV (soffice
# --headless --convert-to xlsx, run here) validates to the same results.csv and exit status as
# the CSV: the FedEx Ship Manager export (its MM/DD/YYYY dates become date cells stored as
# serial numbers, its 12-digit tracking numbers numbers) and the headerless WorldShip export map
# (detected by its first row). `detect` names the CSV's template for the workbook, --sheet
# picks a sheet by name and names the sheets when there is none of that name, an XML template
# is refused for a workbook, and a 22-digit USPS number that the spreadsheet stored as a number
# comes out as digits (as Excel shows it), never in scientific notation. Needs SHIPLOAD,
# SHIPLOAD_SOURCE_DIR and LibreOffice (libreoffice-calc-nogui, installed by tests/lib/bootstrap.sh).
set -uo pipefail
: "${SHIPLOAD:?path of the shipload binary}" "${SHIPLOAD_SOURCE_DIR:?source tree}"
export SHIPLOAD_TEMPLATE_PATH=${SHIPLOAD_TEMPLATE_PATH:-$SHIPLOAD_SOURCE_DIR/templates}
command -v soffice >/dev/null || { echo "FAIL: soffice (libreoffice-calc-nogui) is needed" >&2; exit 1; }

samples=$SHIPLOAD_SOURCE_DIR/samples
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }

# LibreOffice keeps a profile in $HOME; a private one keeps runs apart.
cp "$samples/fedex-shipmanager.csv" "$samples/ups-worldship-map.csv" "$samples/generic-csv.csv" "$work/"
(cd "$work" && HOME=$work/home timeout 300 soffice --headless --convert-to xlsx --outdir "$work" \
    fedex-shipmanager.csv ups-worldship-map.csv generic-csv.csv >"$work/soffice.out" 2>&1)
for name in fedex-shipmanager ups-worldship-map generic-csv; do
    [ -s "$work/$name.xlsx" ] || { fail "soffice made no $name.xlsx: $(cat "$work/soffice.out")"; exit 1; }
done

for name in fedex-shipmanager ups-worldship-map; do
    "$SHIPLOAD" validate -q -o "$work/$name.csv.out" "$work/$name.csv"
    want=$?
    "$SHIPLOAD" validate -o "$work/$name.xlsx.out" "$work/$name.xlsx" 2>"$work/$name.err"
    got=$?
    [ "$got" = "$want" ] || fail "$name.xlsx: exit $got, the CSV's was $want: $(cat "$work/$name.err")"
    if [ -f "$work/$name.xlsx.out/results.csv" ]; then
        cmp -s "$work/$name.csv.out/results.csv" "$work/$name.xlsx.out/results.csv" ||
            fail "$name.xlsx: results differ from the CSV's:
$(diff "$work/$name.csv.out/results.csv" "$work/$name.xlsx.out/results.csv" | head -20)"
        [ "$(jq -r .template "$work/$name.xlsx.out/summary.json")" = "$name" ] ||
            fail "$name.xlsx: summary.json names template $(jq -r .template "$work/$name.xlsx.out/summary.json")"
    else
        fail "$name.xlsx: no results.csv"
    fi
    [ "$("$SHIPLOAD" detect "$work/$name.xlsx")" = "$work/$name.xlsx: $name" ] ||
        fail "detect $name.xlsx: $("$SHIPLOAD" detect "$work/$name.xlsx" 2>&1)"
done

# the sheet is named after the CSV; another name is refused, naming the sheets there are
"$SHIPLOAD" validate -q --sheet fedex-shipmanager -o "$work/sheet.out" "$work/fedex-shipmanager.xlsx"
[ $? = 1 ] || fail "--sheet fedex-shipmanager: expected exit 1 (one bad row)"
"$SHIPLOAD" validate -q --sheet Orders -o "$work/nosheet.out" "$work/fedex-shipmanager.xlsx" 2>"$work/nosheet.err"
status=$?
[ "$status" = 3 ] || fail "--sheet Orders: exit $status, expected 3"
grep -q "no sheet named 'Orders' (it has 'fedex-shipmanager')" "$work/nosheet.err" ||
    fail "--sheet Orders: $(cat "$work/nosheet.err")"
"$SHIPLOAD" validate -q -t generic-xml -o "$work/xml.out" "$work/generic-csv.xlsx" 2>"$work/xml.err"
status=$?
[ "$status" = 2 ] && grep -q "read through a CSV template" "$work/xml.err" ||
    fail "an XML template for a workbook: exit $status: $(cat "$work/xml.err")"

# a USPS number the spreadsheet turned into a number: digits, never 9.4E+21
"$SHIPLOAD" validate -q -o "$work/generic.out" "$work/generic-csv.xlsx"
grep -q ',9400111899223630000000,' "$work/generic.out/results.csv" ||
    fail "the 22-digit number stored as a number: $(sed -n 10p "$work/generic.out/results.csv")"
grep -qi 'E+' "$work/generic.out/results.csv" && fail "scientific notation in results.csv"
[ "$(wc -l <"$work/generic.out/results.csv")" = 11 ] || fail "generic-csv.xlsx: not 10 records"

[ "$failed" -eq 0 ] && echo "test_validate_xlsx: workbooks validate like their CSVs"
[ "$failed" -eq 0 ]
