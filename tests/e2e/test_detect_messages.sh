#!/usr/bin/env bash
# test_detect_messages.sh: detection tells the truth, and nothing succeeds silently. `shipload
# detect` names exactly one template for every shipped sample (plain and gzipped); a file that
# no template fits names the closest template and the columns it lacks; a malformed XML file is
# reported as malformed with its line; X12 and EDIFACT are recognised as EDI that is not read; a
# first line of data suggests a headerless template; two templates that fit alike are listed.
# A forced XML template whose record element never occurs is exit 2; a column that looks like
# a field but is not read is a warning on stderr and in summary.json (warnings, notices), and
# --strict makes it exit 2 before anything is read. Needs SHIPLOAD, SHIPLOAD_SOURCE_DIR, jq.
set -uo pipefail
: "${SHIPLOAD:?path of the shipload binary}" "${SHIPLOAD_SOURCE_DIR:?source tree}"
export SHIPLOAD_TEMPLATE_PATH=${SHIPLOAD_TEMPLATE_PATH:-$SHIPLOAD_SOURCE_DIR/templates}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }

# expect_detect FILE STATUS TEXT: detect's exit status and a piece of its message
expect_detect() {
    "$SHIPLOAD" detect "$1" >"$work/out" 2>"$work/err"
    local status=$?
    [ "$status" = "$2" ] || fail "detect $(basename "$1"): exit $status, expected $2: $(cat "$work/err")"
    grep -qF -- "$3" "$work/err" || fail "detect $(basename "$1"): no '$3' in: $(cat "$work/err")"
}

for file in "$SHIPLOAD_SOURCE_DIR"/samples/*; do
    [ -f "$file" ] || continue   # samples/shoplazza/, samples/orderprotection/: their own tests
    case $file in *.md | *.json) continue ;; esac
    out=$("$SHIPLOAD" detect "$file" 2>&1)
    lines=$(printf '%s\n' "$out" | wc -l)
    [ "$lines" = 1 ] && printf '%s' "$out" | grep -q "^$file: [a-z0-9.-]*$" ||
        fail "detect $(basename "$file"): $out"
done

printf 'Tracking Number,Recipient Contact Name,Weight\n774891400101,Lily Bennett,3\n' >"$work/fedex-ish.csv"
expect_detect "$work/fedex-ish.csv" 2 "closest: fedex-shipmanager, which lacks the columns"
printf '<?xml version="1.0"?>\n<shipments>\n<shipment order="1">\n<tracking>1Z</trackin>\n</shipment>\n</shipments>\n' >"$work/broken.xml"
expect_detect "$work/broken.xml" 2 "malformed XML at line 4"
printf 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261121*0930*U*00401*000000901*0*P*>~\n' >"$work/asn.edi"
expect_detect "$work/asn.edi" 2 "X12 interchange (ISA segment, e.g. an 856 ship notice): shipload does not read EDI"
printf "UNA:+.? 'UNB+UNOC:3+SENDER+RECEIVER+261121:0930+1'\n" >"$work/desadv.edi"
expect_detect "$work/desadv.edi" 2 "an EDIFACT interchange"
printf '4411;1Z8W2A470326110016;UPS\n4412;1Z8W2A470326110025;UPS\n' >"$work/noheader.csv"
expect_detect "$work/noheader.csv" 2 "the first line looks like data, not a header"
mkdir -p "$work/templates"
for n in one two; do
    printf '{"name": "twin-%s", "format": "csv", "detect": {"columns": ["w_order", "w_track"]}, "fields": {"order_ref": "w_order", "tracking_numbers": "w_track"}}\n' "$n" >"$work/templates/twin-$n.json"
done
printf 'w_order,w_track\n1,2\n' >"$work/twin.csv"
SHIPLOAD_TEMPLATE_PATH=$work/templates:$SHIPLOAD_TEMPLATE_PATH expect_detect "$work/twin.csv" 2 \
    "several templates fit equally well: twin-one, twin-two"

# a forced XML template whose record element never occurs: exit 2, nothing read
"$SHIPLOAD" validate -q -t cxml-shipnotice -o "$work/forced" "$SHIPLOAD_SOURCE_DIR/samples/shipstation-shipnotice.xml" 2>"$work/err"
status=$?
[ "$status" = 2 ] || fail "forced cxml-shipnotice on a ShipNotice: exit $status: $(cat "$work/err")"
grep -q "no <ShipNoticeRequest> element" "$work/err" || fail "forced template: $(cat "$work/err")"

# an unread column that looks like a field: a warning, counted; --strict stops
printf 'order_number,tracking_number,carrier,qty shiped\n#1001,1Z8W2A470326110016,UPS,1\n' >"$work/typo.csv"
"$SHIPLOAD" validate -o "$work/typo" "$work/typo.csv" 2>"$work/err"
status=$?
[ "$status" = 0 ] || fail "typo.csv: exit $status: $(cat "$work/err")"
grep -q "warning: column 'qty shiped' is not read; did you mean 'quantity'?" "$work/err" ||
    fail "typo.csv: no warning on stderr: $(cat "$work/err")"
[ "$(jq '.warnings.unmapped_column' "$work/typo/summary.json")" = 1 ] ||
    fail "typo.csv: summary.json warnings: $(jq -c .warnings "$work/typo/summary.json")"
jq -e '.notices | index("column '"'"'qty shiped'"'"' is not read; did you mean '"'"'quantity'"'"'?")' \
    "$work/typo/summary.json" >/dev/null || fail "typo.csv: notices: $(jq -c .notices "$work/typo/summary.json")"
"$SHIPLOAD" validate --strict -o "$work/strict" "$work/typo.csv" 2>"$work/err"
status=$?
[ "$status" = 2 ] || fail "--strict: exit $status, expected 2"
grep -q "(--strict: nothing is read or sent)" "$work/err" || fail "--strict: $(cat "$work/err")"
[ -e "$work/strict/results.csv" ] && fail "--strict: reports were written"
# a WooCommerce file read as generic-csv keeps its carrier (tracking_provider is an alias)
"$SHIPLOAD" validate -q -t generic-csv -o "$work/woo" "$SHIPLOAD_SOURCE_DIR/samples/woocommerce-ast.csv"
[ "$(sed -n 2p "$work/woo/results.csv" | cut -d, -f9)" = USPS ] ||
    fail "woocommerce-ast.csv as generic-csv lost its carrier: $(sed -n 2p "$work/woo/results.csv")"

[ "$failed" -eq 0 ] && echo "test_detect_messages: detection and warnings tell the truth"
[ "$failed" -eq 0 ]
