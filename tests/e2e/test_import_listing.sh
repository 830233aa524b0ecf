#!/usr/bin/env bash
# test_import_listing.sh: orders named by name are prefetched by listing the store's open
# orders when that is cheaper than one lookup per name (issue 18). store-sim records every
# request (--record-requests).
# - Ecart, a generated store of 300 orders and a manifest by name over most of its open
#   packages: the recorded requests hold listing pages (GET /api/v2/orders with
#   fulfillmentStatus) and no lookup by name at all; every row ships; the store holds exactly
#   the fulfillments the manifest asks for; fewer than 1.1 requests per order.
# - The same manifest again: the orders are shipped, no listing holds them, so their names fall
#   back to lookups (one per order); every row is duplicate; zero writes; summary.json counts
#   the reads.
# - Shoplazza, a generated store: the count (GET /orders/count) sizes the listing, the pages
#   follow by cursor, no lookup by number, every row ships, no 429 at the default pace, and
#   summary.json's "rate" says so.
# - Few names (3): no listing, lookups only.
. "$(dirname "$0")/lib/e2e.sh"

record=$E2E_WORK/record.jsonl
orders=$(scaled 300)
gen_store "$E2E_WORK/store.json" "$orders" 11 || e2e_finish
gen_manifest "$E2E_WORK/store.json" "$((orders * 2))" "$E2E_WORK/names.csv" || e2e_finish
records=$(csv_records "$E2E_WORK/names.csv")
named=$(tail -n +2 "$E2E_WORK/names.csv" | cut -d, -f1 | LC_ALL=C sort -u | wc -l)
sim_start --store "$E2E_WORK/store.json" --record-requests "$record" || e2e_finish

# requests recorded by kind: listing pages, lookups by name, writes
listing_pages() { grep -c '"path": *"/api/v2/orders?[^"]*fulfillmentStatus=' "$1"; }
name_lookups() { grep -c '"path": *"/api/v2/orders?[^"]*name=' "$1"; }
writes() { grep -vc '"method": *"GET"' "$1"; }

run_import "$E2E_WORK/first" "$E2E_WORK/names.csv"
check_reports "$E2E_WORK/first" "$records"
assert_eq "first run: exit status ($(statuses "$E2E_WORK/first"))" 0 "$RC"
assert_eq "first run: every row shipped" "$records" "$(status_count "$E2E_WORK/first" shipped)"
cp "$record" "$E2E_WORK/first.jsonl"
pages=$(listing_pages "$E2E_WORK/first.jsonl")
[ "$pages" -ge 1 ] && ok "first run: $pages listing pages" || fail "first run: no listing page"
assert_eq "first run: no lookup by name" 0 "$(name_lookups "$E2E_WORK/first.jsonl")"
requests=$(wc -l <"$E2E_WORK/first.jsonl")
awk -v r="$requests" -v o="$named" 'BEGIN { exit !(r / o <= 1.10) }' &&
    ok "first run: $requests requests for $named orders" ||
    fail "first run: $requests requests for $named orders (more than 1.10 a order)"
sim_state "$E2E_WORK/state.json"
missing=$(state_fulfillments "$E2E_WORK/state.json" | LC_ALL=C comm -13 - "$E2E_WORK/names.csv.expected")
assert_eq "the store holds every fulfillment the manifest asks for" "" "$missing"
assert_eq "no package shipped twice" "" "$(state_double_shipped "$E2E_WORK/state.json")"

: >"$record"
run_import "$E2E_WORK/again" "$E2E_WORK/names.csv"
check_reports "$E2E_WORK/again" "$records"
assert_eq "re-run: exit status ($(statuses "$E2E_WORK/again"))" 0 "$RC"
assert_eq "re-run: every row duplicate" "$records" "$(status_count "$E2E_WORK/again" duplicate)"
assert_eq "re-run: zero writes" 0 "$(writes "$record")"
assert_eq "re-run: one lookup by name per order" "$named" "$(name_lookups "$record")"
# the preflight's probe is its own client, outside summary.json's requests
reads=$(jq '[.requests | to_entries[] | select(.key | startswith("GET ")) | .value[]] | add' \
    "$E2E_WORK/again/summary.json")
assert_eq "re-run: summary.json counts the reads" "$(($(wc -l <"$record") - 1))" "$reads"
sim_stop

# Few names: sizing would cost as much as the lookups.
head -n 4 "$E2E_WORK/names.csv" >"$E2E_WORK/few.csv"
few=$(tail -n +2 "$E2E_WORK/few.csv" | cut -d, -f1 | LC_ALL=C sort -u | wc -l)
: >"$record"
sim_start --store "$E2E_WORK/store.json" --record-requests "$record" || e2e_finish
run_import "$E2E_WORK/few" "$E2E_WORK/few.csv"
assert_eq "few names: no listing page" 0 "$(listing_pages "$record")"
assert_eq "few names: one lookup each" "$few" "$(name_lookups "$record")"
sim_stop

# Shoplazza: sized by its count, paged by cursor.
"$STORE_SIM" --token "$E2E_TOKEN" --platform shoplazza --generate "$(scaled 60)" --seed 5 \
    --write-store "$E2E_WORK/shoplazza.json" >/dev/null 2>"$E2E_WORK/gen.err" ||
    { fail "store-sim --platform shoplazza --generate: $(head -c 500 "$E2E_WORK/gen.err")"; e2e_finish; }
jq -r '["order_number","tracking_number","carrier"],
       (.orders[] | select(.financial_status == "paid" and .fulfillment_status == "waiting")
        | [.number, "", "UPS"]) | @csv' "$E2E_WORK/shoplazza.json" | tr -d '"' >"$E2E_WORK/sl.csv"
# a valid UPS 1Z number per row, from the manifest generator's own function
awk -F, -v OFS=, 'NR == 1 { print; next }
    function check(s,   i, c, v, sum) { sum = 0
        for (i = 1; i <= length(s); i++) { c = substr(s, i, 1)
            v = c ~ /[0-9]/ ? c + 0 : (index("ABCDEFGHIJKLMNOPQRSTUVWXYZ", c) + 1) % 10
            sum += (i % 2 ? v : 2 * v) }
        return (10 - sum % 10) % 10 }
    { body = sprintf("999AA1%09d", NR); $2 = "1Z" body check(body); print }' \
    "$E2E_WORK/sl.csv" >"$E2E_WORK/shoplazza.csv"
sl_records=$(csv_records "$E2E_WORK/shoplazza.csv")
[ "$sl_records" -ge 4 ] || fail "the Shoplazza store has only $sl_records open paid orders"
: >"$record"
sim_start --platform shoplazza --store "$E2E_WORK/shoplazza.json" --record-requests "$record" ||
    e2e_finish
run_import "$E2E_WORK/sl" --platform shoplazza -t generic-csv "$E2E_WORK/shoplazza.csv"
check_reports "$E2E_WORK/sl" "$sl_records"
assert_eq "shoplazza: exit status ($(statuses "$E2E_WORK/sl"); $(head -c 300 "$E2E_WORK/sl.err"))" 0 "$RC"
assert_eq "shoplazza: every row shipped" "$sl_records" "$(status_count "$E2E_WORK/sl" shipped)"
assert_eq "shoplazza: the listings were counted" 2 "$(grep -c '"path": *"[^"]*/orders/count?' "$record")"
[ "$(grep -c '"path": *"[^"]*/orders?' "$record")" -ge 1 ] && ok "shoplazza: listing pages read" ||
    fail "shoplazza: no listing page"
assert_eq "shoplazza: no lookup by number" 0 "$(grep -c '"path": *"[^"]*/orders/number/' "$record")"
assert_eq "shoplazza: no 429" 0 "$(summary "$E2E_WORK/sl" '.rate.limited_429')"
rate=$(summary "$E2E_WORK/sl" '.rate.settled_per_second')
awk -v r="$rate" 'BEGIN { exit !(r > 0 && r <= 2.0) }' && ok "shoplazza: paced at $rate a second" ||
    fail "shoplazza: settled_per_second is $rate, not within (0, 2]"
e2e_finish
