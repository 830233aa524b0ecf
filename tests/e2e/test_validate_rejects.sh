#!/usr/bin/env bash
# test_validate_rejects.sh: rejects.csv can be fixed and fed back as it is (spec §8, §12): it
# holds exactly the failed records in the input's columns and delimiter with the original values
# (no formula guard), plus error_code,error_message; fed back it is detected as the same layout,
# a second pass keeps one pair of error columns, and once fixed its rows are valid. A Windows-1252
# input gives a UTF-8 rejects.csv with a BOM that reads back right under the same template; an
# XML input gives a rejects.csv that reads back through generic-csv.
# Needs SHIPLOAD, SHIPLOAD_SOURCE_DIR, SHIPLOAD_TEMPLATE_PATH, jq.
set -uo pipefail
: "${SHIPLOAD:?path of the shipload binary}" "${SHIPLOAD_SOURCE_DIR:?source tree}"
export SHIPLOAD_TEMPLATE_PATH=${SHIPLOAD_TEMPLATE_PATH:-$SHIPLOAD_SOURCE_DIR/templates}
command -v jq >/dev/null || { echo "FAIL: jq is needed to read summary.json" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
samples=$SHIPLOAD_SOURCE_DIR/samples
passed=0 failed=0 case_failed=0 status=0
err=$work/stderr

check() {
    local description=$1
    shift
    if ! "$@"; then
        echo "  FAIL: $description" >&2
        case_failed=1
    fi
}
run_validate() { "$SHIPLOAD" validate "$@" >"$work/stdout" 2>"$err"; status=$?; }
status_is() { [ "$status" = "$1" ]; }
stderr_has() { grep -q -- "$1" "$err"; }
summary() { jq -r "$2" "$1/summary.json"; }
run_case() {
    case_failed=0
    "case_$1"
    if [ "$case_failed" = 0 ]; then
        echo "ok: $1"
        passed=$((passed + 1))
    else
        echo "FAIL: $1 (exit $status; stderr: $(head -c 400 "$err"))" >&2
        failed=$((failed + 1))
    fi
}

case_semicolon_layout_round_trip() {
    # sku-lines: semicolons, CRLF; record 6 has Qty Shipped 0
    run_validate -o first "$samples/sku-lines.csv"
    check "exit 1" status_is 1
    check "the header is the input's, with ';' and the error columns" \
        [ "$(head -n 1 first/rejects.csv | tr -d '\r')" = "$(head -n 1 "$samples/sku-lines.csv" | tr -d '\r');error_code;error_message" ]
    check "one rejected record with its original values" \
        grep -q '^2004;2026-11-21 17:02:37;RNO1;PLANTER-CER-M;Ceramic planter, M;1;0;UPSN;Ground;1Z4X9F210355200417;2.20;bad_quantity;' first/rejects.csv
    check "exactly the failures" [ "$(($(wc -l <first/rejects.csv) - 1))" = "$(summary first .failed)" ]
    # fed back as it is: same layout detected, same failure, one pair of error columns
    run_validate -v -o second first/rejects.csv
    check "fed back: exit 1" status_is 1
    check "fed back: detected as sku-lines" stderr_has "template sku-lines (detected)"
    check "fed back: one pair of error columns" \
        [ "$(head -n 1 second/rejects.csv | tr -d '\r')" = "$(head -n 1 first/rejects.csv | tr -d '\r')" ]
    # fixed (Qty Shipped 0 -> 1) and fed back: valid
    sed 's/;1;0;UPSN;/;1;1;UPSN;/' first/rejects.csv >fixed.csv
    run_validate -o third fixed.csv
    check "fixed: exit 0" status_is 0
    check "fixed: valid" [ "$(summary third .statuses.valid)" = 1 ]
    check "fixed: rejects.csv is the header only" [ "$(wc -l <third/rejects.csv)" = 1 ]
}

case_no_formula_guard_in_rejects() {
    printf 'order_number,tracking_number,carrier,quantity\n=HYPERLINK("x"),1Z999AA10123456784,UPS,-2\n' >formula.csv
    run_validate -o guard formula.csv
    check "exit 1" status_is 1
    check "results.csv guards the cells" grep -q "^1,2,\"'=HYPERLINK(\"\"x\"\")\"," guard/results.csv
    check "results.csv guards the quantity" grep -q ",'-2," guard/results.csv
    check "rejects.csv keeps the values as they were" \
        grep -q '^"=HYPERLINK(""x"")",1Z999AA10123456784,UPS,-2,bad_quantity,' guard/rejects.csv
}

case_windows_1252_round_trip() {
    # the WorldShip line for #3004 (Café Olé LLC, byte E9) with its Reference 1 emptied
    sed -n '1p;7p' "$samples/ups-worldship.csv" | sed 's/"#3004"/""/' >ups-missing-ref.csv
    run_validate -o ups1 ups-missing-ref.csv
    check "exit 1" status_is 1
    check "rejects.csv starts with a UTF-8 BOM" \
        [ "$(head -c 3 ups1/rejects.csv | od -An -tx1 | tr -d ' ')" = efbbbf ]
    check "the name is UTF-8 in rejects.csv" grep -q $'Caf\xc3\xa9 Ol\xc3\xa9 LLC' ups1/rejects.csv
    check "results.csv has no BOM" [ "$(head -c 6 ups1/results.csv)" = record ]
    run_validate -v -o ups2 ups1/rejects.csv
    check "fed back: detected as ups-worldship" stderr_has "template ups-worldship (detected)"
    check "fed back: not bad_encoding" [ "$(summary ups2 '.error_codes.bad_encoding // 0')" = 0 ]
    check "fed back: still missing_order_ref" [ "$(summary ups2 '.error_codes.missing_order_ref')" = 1 ]
    check "fed back: the name survives unchanged" grep -q $'Caf\xc3\xa9 Ol\xc3\xa9 LLC' ups2/rejects.csv
}

case_xml_rejects_read_back_as_generic_csv() {
    run_validate -o xml1 "$samples/generic-xml.xml"
    check "exit 1" status_is 1
    check "columns named like generic-csv's" \
        [ "$(head -n 1 xml1/rejects.csv | cut -d, -f1-7 | tr -d '\r')" = "order_id,order_number,package_id,line_item_id,sku,quantity,tracking_number" ]
    run_validate -v -o xml2 xml1/rejects.csv
    check "fed back: detected as generic-csv" stderr_has "template generic-csv (detected)"
    check "fed back: the same two failures" \
        [ "$(summary xml2 '.error_codes | to_entries | map("\(.key)=\(.value)") | join(" ")')" = "bad_quantity=1 bad_value=1" ]
    run_validate -o cx1 "$samples/cxml-shipnotice.xml"
    run_validate -v -o cx2 cx1/rejects.csv
    check "cXML fed back: detected as generic-csv" stderr_has "template generic-csv (detected)"
    check "cXML fed back: the same failure" [ "$(summary cx2 '.error_codes.bad_quantity')" = 1 ]
}

for name in semicolon_layout_round_trip no_formula_guard_in_rejects windows_1252_round_trip \
    xml_rejects_read_back_as_generic_csv; do
    run_case "$name"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
