#!/usr/bin/env bash
# test_source_ecart_names.sh: the Ecart API's names live in the Ecart adapter only (issue 10,
# docs/architecture.md). The names are taken from the adapter itself: every camelCase string
# literal in src/platform/ecart/*.c (JSON members such as fulfillmentOrderId, error codes such
# as quantityExceedsRemaining), the wrapped status member "ecartapi", and the path prefix
# /api/v2. None of them may appear anywhere else in src/ or include/ (code or comment; the
# names may appear in another platform's adapter when its own API uses them too); tests,
# the simulator (tests/store-sim) and docs are exempt. Also: no source file outside the adapter
# includes its header. Needs SHIPLOAD_SOURCE_DIR.
set -uo pipefail
: "${SHIPLOAD_SOURCE_DIR:?source tree}"
cd "$SHIPLOAD_SOURCE_DIR" || exit 1
failed=0
fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }

adapter=src/platform/ecart
names=$(grep -ohE '"[a-z]+[A-Z][A-Za-z0-9]*"' "$adapter"/*.c | tr -d '"' | LC_ALL=C sort -u)
[ "$(echo "$names" | wc -l)" -ge 20 ] ||
    fail "found only $(echo "$names" | wc -l) Ecart names in $adapter: the extraction broke"
for must in fulfillmentOrderId notifyCustomer quantityExceedsRemaining fulfilledQuantity; do
    echo "$names" | grep -qx "$must" || fail "the adapter's names do not include $must"
done

outside=$(find src include -name '*.[ch]' -not -path "$adapter/*" | LC_ALL=C sort)
# Another platform's adapter may share a JSON name with Ecart in its own API (OrderProtection's
# fulfillmentStatus and updatedAt): names are checked outside every adapter; the path prefix,
# the status wrapper and the header everywhere outside Ecart's.
not_adapters=$(find src include -name '*.[ch]' -not -path 'src/platform/*/*' | LC_ALL=C sort)
for name in $names; do
    hits=$(grep -nw -- "$name" $not_adapters)
    [ -z "$hits" ] || fail "Ecart's name $name outside $adapter:
$hits"
done
hits=$(grep -n -e '/api/v2' -e '"ecartapi"' $outside)
[ -z "$hits" ] || fail "Ecart's path or status wrapper outside $adapter:
$hits"
hits=$(grep -n 'ecart/ecart\.h' $outside | grep -v '^src/platform/platforms\.h:')
[ -z "$hits" ] || fail "the Ecart adapter's header included outside the adapter and the registry:
$hits"

if [ "$failed" -gt 0 ]; then
    echo "test_source_ecart_names: $failed failed checks" >&2
    exit 1
fi
echo "PASS: test_source_ecart_names.sh ($(echo "$names" | wc -l) names, $(echo "$outside" | wc -l) files)"
