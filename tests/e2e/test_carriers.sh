#!/usr/bin/env bash
# test_carriers.sh: carrier knowledge end to end (issue 6). `shipload validate -t generic-csv` on a
# manifest (tests/e2e/data/carriers/mixed.csv) that mixes right, mistyped and carrier-less
# tracking numbers of UPS, USPS (IMpb and S10), FedEx (12-digit, 22-digit "96", SmartPost), DHL
# Express and Royal Mail, written with aliases, with an unknown carrier and with none. Checks per
# record in results.csv: status, error code, the carrier (canonical, inferred, kept as written or
# left empty when the shape is ambiguous), the tracking numbers and the reason in error_message;
# then the same file with --no-verify-tracking and with a template whose "verify_tracking" is
# false: check-digit failures become warnings, the other defects stay. Also the exit status and
# summary.json's counts (conservation: records = results lines = sum of statuses).
# The tracking URLs built from carrier patterns are not in results.csv (it has no URL column):
# the unit tests (test_validate_row) assert them on the row.
# Needs SHIPLOAD, SHIPLOAD_SOURCE_DIR, SHIPLOAD_TEMPLATE_PATH, jq.
set -uo pipefail
: "${SHIPLOAD:?path of the shipload binary}" "${SHIPLOAD_SOURCE_DIR:?source tree}"
export SHIPLOAD_TEMPLATE_PATH=${SHIPLOAD_TEMPLATE_PATH:-$SHIPLOAD_SOURCE_DIR/templates}
command -v jq >/dev/null || { echo "FAIL: jq is needed to read summary.json" >&2; exit 1; }

data=$SHIPLOAD_SOURCE_DIR/tests/e2e/data/carriers
manifest=$data/mixed.csv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
checks=0

fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }

RESULTS_HEADER='record,line,order_ref,order_id,fulfillment_order_id,sku,quantity,tracking_number,carrier,status,error_code,error_message,fulfillment_id,http_status,warning,order_name,ship_date,tracking_url,notified'

# results.csv as one line per record, fields joined by TAB (RFC 4180 quotes and CRLF undone; the
# messages here hold no line breaks). Fields: 1 record ... 8 tracking_number, 9 carrier,
# 10 status, 11 error_code, 12 error_message.
results_table() {
    awk 'NR > 1 {
        sub(/\r$/, "")
        out = ""; field = ""; quoted = 0; n = split($0, chars, "")
        for (i = 1; i <= n; i++) {
            c = chars[i]
            if (quoted) {
                if (c == "\"" && chars[i + 1] == "\"") { field = field "\""; i++ }
                else if (c == "\"") quoted = 0
                else field = field c
            } else if (c == "\"") quoted = 1
            else if (c == ",") { out = out field "\t"; field = "" }
            else field = field c
        }
        print out field
    }' "$1"
}

# field TABLE RECORD COLUMN: one cell of the table.
field() {
    awk -F '\t' -v record="$2" -v column="$3" '$1 == record { print $column; exit }' "$1"
}

# expect TABLE RECORD STATUS CODE CARRIER [MESSAGE_PART]: the record's status, error code and
# carrier are exactly these, and its error_message or warning contains MESSAGE_PART (or both
# are empty when MESSAGE_PART is "-").
expect() {
    local table=$1 record=$2 status=$3 code=$4 carrier=$5 part=${6:-}
    local got_status got_code got_carrier got_message
    got_status=$(field "$table" "$record" 10)
    got_code=$(field "$table" "$record" 11)
    got_carrier=$(field "$table" "$record" 9)
    got_message="$(field "$table" "$record" 12)$(field "$table" "$record" 15)"
    checks=$((checks + 1))
    if [ "$got_status" != "$status" ] || [ "$got_code" != "$code" ] ||
        [ "$got_carrier" != "$carrier" ]; then
        fail "$(basename "$table") record $record: got '$got_status' '$got_code' carrier" \
            "'$got_carrier', expected '$status' '$code' carrier '$carrier' ($got_message)"
        return
    fi
    if [ "$part" = "-" ]; then
        [ -z "$got_message" ] || fail "record $record: unexpected message '$got_message'"
    elif [ -n "$part" ]; then
        case $got_message in
        *"$part"*) ;;
        *) fail "record $record: message '$got_message' lacks '$part'" ;;
        esac
    fi
}

# run NAME ARGS...: shipload validate into $work/NAME; sets $status; checks the report files.
run() {
    local name=$1
    shift
    "$SHIPLOAD" validate "$@" -o "$work/$name" "$manifest" >"$work/$name.out" 2>"$work/$name.err"
    status=$?
    if [ ! -f "$work/$name/results.csv" ] || [ ! -f "$work/$name/summary.json" ]; then
        fail "$name: no reports (exit $status): $(cat "$work/$name.err")"
        return 1
    fi
    [ "$(head -n 1 "$work/$name/results.csv" | tr -d '\r')" = "$RESULTS_HEADER" ] ||
        fail "$name: results.csv header: $(head -n 1 "$work/$name/results.csv")"
    results_table "$work/$name/results.csv" >"$work/$name.tsv"
}

# conservation NAME VALID INVALID: counts in summary.json and lines in results.csv.
conservation() {
    local name=$1 valid=$2 invalid=$3 lines sum records
    lines=$(wc -l <"$work/$name.tsv")
    sum=$(jq '[.statuses[]] | add // 0' "$work/$name/summary.json")
    records=$(jq '.records' "$work/$name/summary.json")
    checks=$((checks + 1))
    [ "$lines" = 26 ] && [ "$sum" = 26 ] && [ "$records" = 26 ] ||
        fail "$name: conservation: results.csv=$lines sum=$sum records=$records (26 records)"
    [ "$(jq '.statuses.valid // 0' "$work/$name/summary.json")" = "$valid" ] ||
        fail "$name: summary.json valid = $(jq '.statuses.valid' "$work/$name/summary.json"), expected $valid"
    [ "$(jq '.statuses.invalid // 0' "$work/$name/summary.json")" = "$invalid" ] ||
        fail "$name: summary.json invalid = $(jq '.statuses.invalid' "$work/$name/summary.json"), expected $invalid"
}

# Rows whose outcome does not depend on check-digit verification.
expect_common() {
    local t=$1
    expect "$t" 1 valid "" UPS -
    expect "$t" 3 valid "" UPS -                        # inferred from 1Z
    expect "$t" 4 valid "" USPS -                       # inferred from 94 + 20 digits
    expect "$t" 5 valid "" FedEx -                      # alias FedEx Home Delivery
    expect "$t" 7 valid "" "" -                         # 12 digits: FedEx or DHL Paket
    expect "$t" 8 valid "" "DHL Express" -              # alias DHL
    expect "$t" 10 valid "" "Royal Mail" -              # inferred from S10 ...GB
    expect "$t" 11 valid "" USPS -                      # alias U.S. Postal Service
    expect "$t" 13 valid "" FedEx "tracking number 1Z999AA10123456784 looks like a UPS number, not FedEx"
    expect "$t" 15 valid "" "Acme Freight" -            # unknown carrier kept as written
    expect "$t" 16 invalid bad_date USPS "'2026-02-30'" # the date before the check digit
    expect "$t" 17 valid "" UPS -                       # alias ups ground, two numbers
    expect "$t" 19 valid "" FedEx -                     # inferred from 96 + 20 digits
    expect "$t" 20 invalid bad_quantity UPS "'0'"       # the quantity before the check digit
    expect "$t" 21 valid "" UPS -                       # ISO 8601 date-time
    expect "$t" 22 valid "" "" -                        # 92 + 20 digits: several carriers
    expect "$t" 23 valid "" FedEx -                     # SmartPost 20 digits, counted with 92
    expect "$t" 24 invalid bad_value UPS "notify_customer 'maybe'"
    expect "$t" 26 invalid missing_tracking_number UPS "cancel"
    local numbers
    numbers=$(field "$t" 4 8)
    [ "$numbers" = 9400111201080805483016 ] || fail "record 4: tracking_number '$numbers'"
    numbers=$(field "$t" 17 8)
    [ "$numbers" = "1Z999AA10123456784;1Z5R89390357567127" ] ||
        fail "record 17: tracking_number '$numbers'"
}

# 1. Check digits verified (the default).
if run verified -t generic-csv; then
    t=$work/verified.tsv
    [ "$status" = 1 ] || fail "verified: exit $status, expected 1 (some rows invalid)"
    expect_common "$t"
    expect "$t" 2 invalid bad_tracking_number UPS \
        "tracking number 1Z999AA10123456785 fails its check digit: UPS 1Z check digit should be 4, not 5"
    expect "$t" 6 invalid bad_tracking_number FedEx "FedEx 12-digit check digit should be 6, not 5"
    expect "$t" 9 invalid bad_tracking_number "DHL Express" \
        "DHL Express 10-digit check digit should be 4, not 0"
    expect "$t" 12 invalid bad_tracking_number USPS "USPS S10 check digit should be 5, not 4"
    expect "$t" 14 invalid bad_tracking_number UPS "UPS 1Z check digit should be 6, not 8"
    expect "$t" 18 invalid bad_tracking_number "" \
        "tracking number 9400111201080805483015 fails its check digit: USPS IMpb check digit should be 6, not 5"
    expect "$t" 25 invalid bad_tracking_number "DHL Express" "3318810010"
    conservation verified 15 11
    [ "$(jq '.error_codes.bad_tracking_number // 0' "$work/verified/summary.json")" = 7 ] ||
        fail "verified: summary.json bad_tracking_number = $(jq '.error_codes' "$work/verified/summary.json")"
    # every invalid record is in rejects.csv with its code
    rejects=$(grep -c 'bad_tracking_number' "$work/verified/rejects.csv")
    [ "$rejects" = 7 ] || fail "verified: rejects.csv holds $rejects bad_tracking_number rows, not 7"
fi

# 2. --no-verify-tracking: the check-digit failures are warnings (the warning column).
no_verify_expectations() {
    local t=$1
    [ "$status" = 1 ] || fail "$(basename "$t"): exit $status, expected 1 (4 rows still invalid)"
    expect_common "$t"
    expect "$t" 2 valid "" UPS "UPS 1Z check digit should be 4, not 5 (not verified)"
    expect "$t" 6 valid "" FedEx "FedEx 12-digit check digit should be 6, not 5 (not verified)"
    expect "$t" 9 valid "" "DHL Express" "(not verified)"
    expect "$t" 12 valid "" USPS "USPS S10 check digit should be 5, not 4 (not verified)"
    expect "$t" 14 valid "" UPS "(not verified)"
    expect "$t" 18 valid "" "" "USPS IMpb check digit should be 6, not 5 (not verified)"
    expect "$t" 25 valid "" "DHL Express" "(not verified)"
}
if run no_verify -t generic-csv --no-verify-tracking; then
    no_verify_expectations "$work/no_verify.tsv"
    conservation no_verify 22 4
fi

# 3. The template switch: generic-csv with "verify_tracking": false, given as a path.
jq '.name = "generic-csv-unverified" | .verify_tracking = false' \
    "$SHIPLOAD_SOURCE_DIR/templates/generic-csv.json" >"$work/unverified.json"
if run template_off -t "$work/unverified.json"; then
    no_verify_expectations "$work/template_off.tsv"
    conservation template_off 22 4
fi

if [ "$failed" -gt 0 ]; then
    echo "test_carriers: $failed failed check(s)" >&2
    exit 1
fi
echo "test_carriers: all $checks checks passed"
