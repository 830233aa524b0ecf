#!/usr/bin/env bash
# test_validate_bad_input.sh: bad input never crashes `shipload validate`, gets a clear message
# and the spec's exit status (§9, §12), one case each: a 0-byte file without and with -t, random
# binary, a header-only file, a 10 MB field, a line with 100,000 columns, a nonexistent path, a
# directory, a truncated gzip stream, invalid UTF-8 in one row, and standard input.
# Needs SHIPLOAD, SHIPLOAD_SOURCE_DIR, SHIPLOAD_TEMPLATE_PATH, jq.
set -uo pipefail
: "${SHIPLOAD:?path of the shipload binary}" "${SHIPLOAD_SOURCE_DIR:?source tree}"
export SHIPLOAD_TEMPLATE_PATH=${SHIPLOAD_TEMPLATE_PATH:-$SHIPLOAD_SOURCE_DIR/templates}
command -v jq >/dev/null || { echo "FAIL: jq is needed to read summary.json" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
passed=0 failed=0
case_failed=0

HEADER=order_number,tracking_number,carrier,sku,quantity
ROW_OK='#1001,1Z999AA10123456784,UPS,SKU-1,1'
RESULTS_HEADER='record,line,order_ref,order_id,fulfillment_order_id,sku,quantity,tracking_number,carrier,status,error_code,error_message,fulfillment_id,http_status,warning,order_name,ship_date,tracking_url,notified'

check() {   # check DESCRIPTION CONDITION...
    local description=$1
    shift
    if ! "$@"; then
        echo "  FAIL: $description" >&2
        case_failed=1
    fi
}

# run_validate ARGS...: sets $status, $out, $err (file names hold stdout and stderr).
run_validate() {
    out=$work/stdout err=$work/stderr
    "$SHIPLOAD" validate "$@" >"$out" 2>"$err"
    status=$?
}

csv_records() {
    awk '{ quotes = gsub(/"/, "\""); if (quotes % 2) inside = !inside; if (!inside) n++ }
         END { print n - 1 }' "$1"
}

summary() { jq -r "$2" "$1/summary.json"; }

not_crashed() { [ "$status" -lt 128 ]; }
status_is() { [ "$status" = "$1" ]; }
stderr_has() { grep -q -- "$1" "$err"; }
no_dir() { [ ! -e "$1" ]; }
conserved() {   # conserved DIR: results.csv lines = status counts = records
    local lines sum records
    lines=$(csv_records "$1/results.csv")
    sum=$(jq '[.statuses[]] | add // 0' "$1/summary.json")
    records=$(summary "$1" .records)
    [ "$lines" = "$sum" ] && [ "$sum" = "$records" ]
}
results_only_header() { [ "$(tr -d '\r' <"$1/results.csv")" = "$RESULTS_HEADER" ]; }

run_case() {
    local name=$1
    case_failed=0
    "case_$name"
    if [ "$case_failed" = 0 ]; then
        echo "ok: $name"
        passed=$((passed + 1))
    else
        echo "FAIL: $name (exit $status; stderr: $(head -c 400 "$err"))" >&2
        failed=$((failed + 1))
    fi
}

# ---------------------------------------------------------------- cases

case_empty_file_without_template() {
    : >empty.csv
    run_validate -o r-empty empty.csv
    check "exit 2" status_is 2
    check "says the file is empty" stderr_has "empty.csv: the file is empty"
    check "suggests -t" stderr_has "-t"
    check "no report directory" no_dir r-empty
}

case_empty_file_with_template() {
    : >empty.csv
    run_validate -t generic-csv -o r-empty-t empty.csv
    check "exit 0" status_is 0
    check "warns about no records" stderr_has "warning: empty.csv: no records"
    check "results.csv is the header only" results_only_header r-empty-t
    check "rejects.csv exists" test -f r-empty-t/rejects.csv
    check "summary has 0 records" [ "$(summary r-empty-t .records)" = 0 ]
    check "summary template" [ "$(summary r-empty-t .template)" = generic-csv ]
    check "summary line" stderr_has "^validate: 0 records: 0 valid, 0 invalid, 0 skipped; reports in r-empty-t$"
}

case_random_binary() {
    # 64 KiB of deterministic noise (a linear congruential generator), with NULs and high bytes
    LC_ALL=C awk 'BEGIN { x = 12345; for (i = 0; i < 65536; i++) {
        x = (x * 1103515245 + 12345) % 2147483648; printf "%c", int(x / 65536) % 256 } }' >noise.bin
    run_validate -o r-noise noise.bin
    check "not a crash" not_crashed
    check "exit 2 (no template fits)" status_is 2
    check "names the file" stderr_has "noise.bin"
    check "no report directory" no_dir r-noise
    run_validate -t generic-csv -o r-noise-t noise.bin
    check "with -t: not a crash" not_crashed
    check "with -t: exit 2 (the header does not fit the template)" status_is 2
    check "with -t: names the file" stderr_has "noise.bin"
    check "with -t: says the first line is not text" stderr_has "the first line is not text"
    check "with -t: no binary echoed (stderr is printable UTF-8)" \
        sh -c "iconv -f UTF-8 -t UTF-8 '$err' >/dev/null && ! LC_ALL=C grep -q '[[:cntrl:]]' '$err'"
}

case_header_only() {
    printf '%s\r\n' "$HEADER" >header.csv
    run_validate -o r-header header.csv
    check "exit 0" status_is 0
    check "warns about no records" stderr_has "warning: header.csv: no records"
    check "results.csv is the header only" results_only_header r-header
    check "rejects.csv is the input's header and the error columns" \
        [ "$(tr -d '\r' <r-header/rejects.csv)" = "$HEADER,error_code,error_message" ]
    check "summary has 0 records" [ "$(summary r-header .records)" = 0 ]
}

case_ten_megabyte_field() {
    {
        echo "$HEADER"
        printf '#1001,1Z999AA10123456784,UPS,'
        head -c 10485760 /dev/zero | tr '\0' 'x'
        echo ',1'
        echo "$ROW_OK"
    } >big.csv
    run_validate -o r-big big.csv
    check "not a crash" not_crashed
    check "exit 0 or 1" [ "$status" -le 1 ]
    check "both records reported" [ "$(csv_records r-big/results.csv)" = 2 ]
    check "conservation" conserved r-big
    check "the record after it is valid" \
        [ "$(tail -n 1 r-big/results.csv | cut -d, -f10)" = valid ]
}

case_hundred_thousand_columns() {
    {
        echo "$HEADER"
        echo "$ROW_OK"
        awk 'BEGIN { printf "#1002"; for (i = 1; i < 100000; i++) printf ",c%d", i; print "" }'
        echo '#1003,1Z999AA10123456784,UPS,SKU-3,2'
    } >wide.csv
    run_validate -o r-wide wide.csv
    check "not a crash" not_crashed
    check "exit 1 (a row is invalid)" status_is 1
    check "three records reported" [ "$(csv_records r-wide/results.csv)" = 3 ]
    check "conservation" conserved r-wide
    check "the wide row is malformed_record" \
        grep -q '^2,3,#1002,.*,invalid,malformed_record,' r-wide/results.csv
    check "the rows around it are valid" \
        [ "$(cut -d, -f10 r-wide/results.csv | tr -d '\r' | sed -n '2p;4p' | sort -u)" = valid ]
    check "summary counts malformed_record" \
        [ "$(summary r-wide '.error_codes.malformed_record')" = 1 ]
    check "rejects.csv keeps the wide row" [ "$(csv_records r-wide/rejects.csv)" = 1 ]
}

case_nonexistent_path() {
    run_validate -o r-missing no/such/file.csv
    check "exit 3" status_is 3
    check "names the path" stderr_has "no/such/file.csv"
    check "no report directory" no_dir r-missing
}

case_directory() {
    mkdir -p a-directory
    run_validate -o r-dir a-directory
    check "exit 3" status_is 3
    check "names the path" stderr_has "a-directory"
    check "no report directory" no_dir r-dir
}

case_truncated_gzip() {
    {
        echo "$HEADER"
        for i in $(seq 1 3000); do echo "#$i,1Z999AA10123456784,UPS,SKU-$i,1"; done
    } | gzip -n >whole.csv.gz
    head -c $(($(stat -c %s whole.csv.gz) / 2)) whole.csv.gz >cut.csv.gz
    run_validate -o r-cut cut.csv.gz
    check "exit 3" status_is 3
    check "names the file" stderr_has "cut.csv.gz"
    check "reports written" test -f r-cut/summary.json
    check "summary says incomplete" [ "$(summary r-cut .complete)" = false ]
    check "the records before are reported" [ "$(summary r-cut .records)" -gt 0 ]
    check "conservation" conserved r-cut
    # cut inside the header line: without -t the broken stream, not "no template fits", is
    # the problem (exit 3, reports of 0 records), for validate and for detect
    head -c 30 whole.csv.gz >tiny.csv.gz
    run_validate -o r-tiny tiny.csv.gz
    check "cut in the header: exit 3" status_is 3
    check "cut in the header: says truncated" stderr_has "tiny.csv.gz: gzip stream is truncated"
    check "cut in the header: summary incomplete" [ "$(summary r-tiny .complete)" = false ]
    check "cut in the header: 0 records" [ "$(summary r-tiny .records)" = 0 ]
    "$SHIPLOAD" detect tiny.csv.gz >"$work/stdout" 2>"$err"
    status=$?
    check "detect on it: exit 3" status_is 3
    check "detect on it: says truncated" stderr_has "truncated"
}

case_invalid_utf8_row() {
    {
        echo "$HEADER"
        echo "$ROW_OK"
        printf '#1002,1Z999AA10123456784,UPS,caf\xe9,1\n'
        echo '#1003,1Z999AA10123456784,UPS,SKU-3,1'
    } >latin.csv
    run_validate -o r-utf8 latin.csv
    check "exit 1" status_is 1
    check "the bad row is bad_encoding" grep -q '^2,3,.*,invalid,bad_encoding,' r-utf8/results.csv
    check "shown as U+FFFD" grep -q $'caf\xef\xbf\xbd' r-utf8/results.csv
    check "the others are valid" [ "$(summary r-utf8 .statuses.valid)" = 2 ]
}

case_standard_input() {
    printf '%s\n%s\n' "$HEADER" "$ROW_OK" >one.csv
    "$SHIPLOAD" validate -o r-stdin - <one.csv >"$work/stdout" 2>"$work/stderr"
    status=$? err=$work/stderr
    check "exit 0" status_is 0
    check "one valid record" [ "$(summary r-stdin .statuses.valid)" = 1 ]
    check "input named -" [ "$(summary r-stdin .input.name)" = - ]
}

for name in empty_file_without_template empty_file_with_template random_binary header_only \
    ten_megabyte_field hundred_thousand_columns nonexistent_path directory truncated_gzip \
    invalid_utf8_row standard_input; do
    run_case "$name"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
