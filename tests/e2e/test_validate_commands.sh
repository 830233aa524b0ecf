#!/usr/bin/env bash
# test_validate_commands.sh: the command line around validate: --help, --version, help COMMAND,
# usage errors (exit 2), `templates list|show`, `detect`, report directories (-o with one and
# several sources, the automatic ./shipload-NAME-STAMP directory and its printed path), -q, and
# the exit status of several sources (the worst). Needs SHIPLOAD, SHIPLOAD_SOURCE_DIR,
# SHIPLOAD_TEMPLATE_PATH, jq.
set -uo pipefail
: "${SHIPLOAD:?path of the shipload binary}" "${SHIPLOAD_SOURCE_DIR:?source tree}"
export SHIPLOAD_TEMPLATE_PATH=${SHIPLOAD_TEMPLATE_PATH:-$SHIPLOAD_SOURCE_DIR/templates}
command -v jq >/dev/null || { echo "FAIL: jq is needed to read JSON" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
passed=0 failed=0 case_failed=0 status=0
out=$work/stdout err=$work/stderr

HEADER=order_number,tracking_number,carrier,sku,quantity
printf '%s\n#1001,1Z999AA10123456784,UPS,SKU-1,1\n' "$HEADER" >good.csv
printf '%s\n#1001,,UPS,SKU-1,1\n#1002,1Z999AA10123456784,UPS,SKU-2,1\n' "$HEADER" >bad.csv

check() {
    local description=$1
    shift
    if ! "$@"; then
        echo "  FAIL: $description" >&2
        case_failed=1
    fi
}
run() { "$SHIPLOAD" "$@" >"$out" 2>"$err"; status=$?; }
status_is() { [ "$status" = "$1" ]; }
stdout_has() { grep -q -- "$1" "$out"; }
stderr_has() { grep -q -- "$1" "$err"; }
stderr_empty() { [ ! -s "$err" ]; }
stdout_empty() { [ ! -s "$out" ]; }

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

case_help_and_version() {
    run --help
    check "--help exits 0" status_is 0
    check "--help lists validate" stdout_has "validate"
    check "--help lists templates" stdout_has "templates"
    run --version
    check "--version exits 0" status_is 0
    check "--version prints the version" stdout_has "^shipload [0-9][0-9.]*$"
    run validate --help
    check "validate --help exits 0" status_is 0
    check "validate --help shows -t" stdout_has "--template"
    check "validate --help shows --report-dir" stdout_has "--report-dir"
    check "validate --help hides import options" sh -c "! grep -q -- --api-url '$out'"
    run help detect
    check "help detect exits 0" status_is 0
    check "help detect shows usage" stdout_has "Usage: shipload detect"
    run
    check "no command: exit 2" status_is 2
}

case_usage_errors() {
    run frobnicate
    check "unknown command: exit 2" status_is 2
    check "unknown command named" stderr_has "unknown command 'frobnicate'"
    run validate --frobnicate good.csv
    check "unknown option: exit 2" status_is 2
    check "unknown option named" stderr_has "frobnicate"
    run validate --api-url http://x good.csv
    check "import-only option: exit 2" status_is 2
    check "says it is not an option of validate" stderr_has "not an option of validate"
    run validate --progress=sometimes good.csv
    check "bad --progress value: exit 2" status_is 2
    check "bad value named" stderr_has "sometimes"
    run validate --encoding=klingon good.csv
    check "bad --encoding: exit 2" status_is 2
    run validate -t
    check "missing value: exit 2" status_is 2
    run validate
    check "no SOURCE: exit 2" status_is 2
    check "no SOURCE said" stderr_has "no SOURCE"
    run validate -t no-such-template -o r-none good.csv
    check "unknown template: exit 2" status_is 2
    check "unknown template named" stderr_has "no-such-template"
    check "nothing written" test ! -e r-none
    run validate - -
    check "stdin twice: exit 2" status_is 2
}

case_templates_list_and_show() {
    run templates list
    check "list exits 0" status_is 0
    for name in generic-csv sku-lines ups-worldship fedex-shipmanager shipstation-shipments \
        cxml-shipnotice generic-xml; do
        check "list has $name with a description" stdout_has "^$name  *[^ ]"
    done
    run templates
    check "templates alone lists" stdout_has "^generic-csv "
    run templates show generic-csv
    check "show exits 0" status_is 0
    check "show prints the template's JSON" jq -e . "$out" >/dev/null
    check "show prints generic-csv" sh -c "jq -r .name '$out' | grep -qx generic-csv"
    run templates show no-such-template
    check "show unknown: exit 2" status_is 2
    check "show unknown named" stderr_has "no-such-template"
    run templates frobnicate
    check "bad subcommand: exit 2" status_is 2
}

case_detect() {
    run detect good.csv
    check "detect exits 0" status_is 0
    check "detect names generic-csv" stdout_has "^good.csv: generic-csv$"
    : >empty.csv
    run detect good.csv empty.csv
    check "an empty file: exit 2" status_is 2
    check "the good one still named" stdout_has "^good.csv: generic-csv$"
    check "the empty one explained" stderr_has "empty.csv"
    run detect good.csv missing.csv
    check "a missing file: exit 3" status_is 3
    printf 'alpha,beta\n1,2\n' >unknown.csv
    run detect unknown.csv
    check "no template fits: exit 2" status_is 2
    check "no template fits: named" stderr_has "unknown.csv"
    check "no template fits: the templates tried are named" stderr_has "generic-csv"
    # two templates that fit equally: an ambiguity naming both (a copy of generic-csv)
    mkdir -p twins
    sed 's/"name": "generic-csv"/"name": "generic-twin"/' \
        "$SHIPLOAD_SOURCE_DIR/templates/generic-csv.json" >twins/generic-twin.json
    SHIPLOAD_TEMPLATE_PATH="$work/twins:$SHIPLOAD_TEMPLATE_PATH" run detect good.csv
    check "a tie: exit 2" status_is 2
    check "a tie: both candidates named" stderr_has "generic-csv, generic-twin"
    SHIPLOAD_TEMPLATE_PATH="$work/twins:$SHIPLOAD_TEMPLATE_PATH" run validate -o r-tie good.csv
    check "validate on a tie: exit 2" status_is 2
    check "validate on a tie: candidates named" stderr_has "generic-twin"
    check "validate on a tie: nothing written" test ! -e r-tie
    SHIPLOAD_TEMPLATE_PATH="$work/twins:$SHIPLOAD_TEMPLATE_PATH" run validate -t generic-csv -o r-tie-t good.csv
    check "validate on a tie with -t: exit 0" status_is 0
    # every sample is detected as its own template: the longest template name it starts with
    # (cxml-shipnotice-whole-order.xml is a cxml-shipnotice)
    local sample names
    names=$("$SHIPLOAD" templates list | cut -d' ' -f1)
    for sample in "$SHIPLOAD_SOURCE_DIR"/samples/*.csv* "$SHIPLOAD_SOURCE_DIR"/samples/*.xml* \
                  "$SHIPLOAD_SOURCE_DIR"/samples/*.Out*; do
        local want="" base name
        base=$(basename "$sample")
        for name in $names; do
            case $base in "$name".* | "$name"-*) [ ${#name} -gt ${#want} ] && want=$name ;; esac
        done
        run detect "$sample"
        check "detect $(basename "$sample")" stdout_has "^$sample: $want\$"
    done
}

case_report_dir_given() {
    run validate -o given/nested good.csv
    check "exit 0" status_is 0
    check "reports directly in the directory" test -f given/nested/results.csv
    check "summary line names it" stderr_has "^validate: 1 record: 1 valid, 0 invalid, 0 skipped; reports in given/nested$"
    check "no path on stdout with -o" stdout_empty
}

case_report_dir_automatic() {
    mkdir auto && cd auto || return
    run validate ../good.csv
    local dir
    dir=$(cat "$out")
    check "exit 0" status_is 0
    check "path printed on stdout" [ -n "$dir" ]
    check "named after the input and the UTC time" \
        sh -c "echo '$dir' | grep -Eqx 'shipload-good\.csv-[0-9]{8}T[0-9]{6}Z'"
    check "made in the current directory" test -f "$dir/results.csv"
    run validate ../good.csv
    check "a second run in the same second gets its own directory" \
        [ "$(ls -d shipload-good.csv-* | wc -l)" = 2 ]
    cd "$work" || return
}

case_several_sources() {
    mkdir -p other && cp good.csv other/good.csv
    run validate -o multi good.csv bad.csv other/good.csv
    check "worst status wins: exit 1" status_is 1
    check "one subdirectory per source" test -f multi/good.csv/results.csv
    check "bad source reported" test -f multi/bad.csv/results.csv
    check "same name numbered" test -f multi/good.csv-2/results.csv
    check "one summary line each" [ "$(grep -c '^validate: ' "$err")" = 3 ]
    run validate -o multi2 good.csv missing.csv bad.csv
    check "a missing source does not stop the others: exit 3" status_is 3
    check "the source after it still done" test -f multi2/bad.csv/results.csv
}

case_quiet() {
    run validate -q -o quiet bad.csv
    check "exit 1" status_is 1
    check "nothing on stderr" stderr_empty
    check "reports written" test -f quiet/summary.json
    mkdir q && cd q || return
    run validate -q ../good.csv
    check "-q: no path printed" stdout_empty
    check "-q: directory still made" [ "$(ls -d shipload-good.csv-* | wc -l)" = 1 ]
    cd "$work" || return
}

case_excel_bom() {
    run validate --excel -o excel good.csv
    check "exit 0" status_is 0
    check "results.csv starts with a BOM" [ "$(head -c 3 excel/results.csv | od -An -tx1 | tr -d ' ')" = efbbbf ]
    check "rejects.csv starts with a BOM" [ "$(head -c 3 excel/rejects.csv | od -An -tx1 | tr -d ' ')" = efbbbf ]
    run validate -o plain good.csv
    check "without --excel: no BOM" [ "$(head -c 6 plain/results.csv)" = record ]
    check "without --excel: no BOM in rejects.csv" [ "$(head -c 5 plain/rejects.csv)" = order ]
}

for name in help_and_version usage_errors templates_list_and_show detect report_dir_given \
    report_dir_automatic several_sources quiet excel_bom; do
    run_case "$name"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
