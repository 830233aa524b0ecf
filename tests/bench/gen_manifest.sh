#!/usr/bin/env bash
# gen_manifest.sh: writes a generic-csv manifest (templates/generic-csv.json) that ships the open
# packages of a store JSON (the format of samples/store.json, as `store-sim --generate N --seed S
# --write-store FILE` writes it), about ROWS rows, deterministically. Used by the e2e import tests
# and tests/bench/import_bench.sh. It reads the store file only; it talks to no server.
#
# Usage: gen_manifest.sh [-s SALT] [-i] [-e EXPECTED] STORE.json [ROWS] > manifest.csv
#   ROWS  about how many rows (default: one per open package item). Each open package (not
#         shipped, delivered, canceled or refunded, of an order that is not canceled, with some
#         item left to ship) gets one UPS 1Z tracking number, with a correct check digit, and
#         either one row without SKU (the whole package) or one row per SKU with its remaining
#         quantity; the mix is chosen so the total is about ROWS. With ROWS below the number of
#         open packages, only the first ROWS packages are shipped.
#   -s SALT    0-99, changes every tracking number (a second manifest for the same packages)
#   -i         refer to orders by order_id instead of order_number (the name, "#1001")
#   -e FILE    also write the fulfillments the manifest should create, one line per package,
#              sorted: "FULFILLMENT_ORDER_ID TRACKING ITEM:QTY,..." (items sorted), the format
#              of state_fulfillments in tests/e2e/lib/e2e.sh
# A package is named (package_id = its fulfillmentOrderId) when its order has several open
# packages, or holds a SKU twice; otherwise the row leaves package_id empty. Needs jq and awk.
set -euo pipefail

salt=0 use_ids=0 expected=""
while getopts "s:ie:" option; do
    case $option in
    s) salt=$OPTARG ;;
    i) use_ids=1 ;;
    e) expected=$OPTARG ;;
    *) echo "usage: gen_manifest.sh [-s SALT] [-i] [-e EXPECTED] STORE.json [ROWS]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: gen_manifest.sh [-s SALT] [-i] [-e EXPECTED] STORE.json [ROWS]" >&2; exit 2; }
store=$1
rows=${2:-0}
case $salt in [0-9] | [0-9][0-9]) ;; *) echo "gen_manifest.sh: -s takes 0-99" >&2; exit 2 ;; esac
command -v jq >/dev/null || { echo "gen_manifest.sh: jq is needed" >&2; exit 2; }

flat=$(mktemp)
trap 'rm -f "$flat"' EXIT

# One tab-separated line per open item of an open package, in store order:
# order_name order_id foid open_packages_in_order item_id sku remaining
jq -r '
    def remaining: (.quantity | tonumber) - ((.fulfilledQuantity // 0) | tonumber);
    def open_package: ((.status.ecartapi // "pending") as $s
                       | ["shipped", "delivered", "canceled", "refunded"] | index($s) | not)
                      and ([.items[]? | select(remaining > 0)] | length > 0);
    .orders[]
    | select((.status.ecartapi // "") != "canceled")
    | . as $order
    | [.packages[]? | select(open_package)] as $open
    | $open[] as $package
    | $package.items[] | select(remaining > 0)
    | [$order.name, $order.id, $package.fulfillmentOrderId, ($open | length), .id, .sku,
       remaining] | map(tostring) | @tsv' "$store" >"$flat"

awk -F '\t' -v rows="$rows" -v salt="$salt" -v use_ids="$use_ids" -v expected="$expected" '
    BEGIN {
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        print "order_number,order_id,package_id,sku,quantity,tracking_number,carrier,tracking_url,ship_date,notify_customer,action"
    }
    # UPS 1Z: letters count (ASCII - 63) mod 10, weights 1,2,1,... from the left over the 15
    # characters after "1Z", check = (10 - sum mod 10) mod 10.
    function ups_number(serial,    payload, i, c, value, sum) {
        payload = "8W2A47" sprintf("%02d", salt) sprintf("%07d", serial)
        sum = 0
        for (i = 1; i <= length(payload); i++) {
            c = substr(payload, i, 1)
            value = index(letters, c) ? (index(letters, c) + 64 - 63) % 10 : c + 0
            sum += value * (i % 2 ? 1 : 2)
        }
        return "1Z" payload ((10 - sum % 10) % 10)
    }
    { line[NR] = $0; foid[NR] = $3 }
    NR == 1 || $3 != foid[NR - 1] { packages++; first[packages] = NR }
    END {
        first[packages + 1] = NR + 1
        items = NR
        if (rows <= 0 || rows > items) rows = items
        extra_wanted = rows - packages      # rows beyond one per package
        emitted = 0; extra = 0; items_seen = 0
        for (p = 1; p <= packages && emitted < rows; p++) {
            count = first[p + 1] - first[p]
            items_seen += count
            # split this package into SKU rows if that keeps the extras on the pro-rata line
            per_sku = 0
            if (extra_wanted > 0 && count > 1 &&
                extra + count - 1 <= extra_wanted * (items_seen - p) / (items - packages) + 0.5)
                per_sku = 1
            split(line[first[p]], head, "\t")
            named = head[4] > 1
            delete seen
            for (k = first[p]; k < first[p + 1]; k++) {
                split(line[k], cell, "\t")
                if (cell[6] in seen) { named = 1; per_sku = 0 }
                seen[cell[6]] = 1
            }
            if (per_sku) extra += count - 1
            tracking = ups_number(p)
            ref = use_ids ? "," head[2] : head[1] ","
            package = named ? head[3] : ""
            shipped = ""
            for (k = first[p]; k < first[p + 1]; k++) {
                split(line[k], cell, "\t")
                shipped = shipped (shipped == "" ? "" : "\n") cell[5] ":" cell[7]
                if (per_sku)
                    print ref "," package "," cell[6] "," cell[7] "," tracking ",UPS,,2026-11-21,N,ship"
            }
            if (!per_sku)
                print ref "," package ",,," tracking ",UPS,,2026-11-21,N,ship"
            emitted += per_sku ? count : 1
            if (expected != "") {
                n = split(shipped, parts, "\n")
                for (i = 2; i <= n; i++)        # sort the items (insertion sort, few of them)
                    for (j = i; j > 1 && parts[j - 1] > parts[j]; j--) {
                        t = parts[j]; parts[j] = parts[j - 1]; parts[j - 1] = t
                    }
                joined = parts[1]
                for (i = 2; i <= n; i++) joined = joined "," parts[i]
                print head[3] " " tracking " " joined > expected ".unsorted"
            }
        }
        if (emitted < rows)
            printf "gen_manifest.sh: only %d rows possible\n", emitted > "/dev/stderr"
    }' "$flat"

if [ -n "$expected" ]; then
    touch "$expected.unsorted"
    LC_ALL=C sort "$expected.unsorted" >"$expected"
    rm -f "$expected.unsorted"
fi
