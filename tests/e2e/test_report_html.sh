#!/usr/bin/env bash
# test_report_html.sh: report.html as a person opens it, in a real browser: Debian's Chromium,
# headless, driven by tests/e2e/browser/check_report.js (puppeteer-core from the npm registry,
# installed once into the build directory). For the bundled demo import, a hostile manifest and
# a 10,000-row import: no console error, no page error, no request leaving the page; the totals
# shown equal summary.json's; 200 rows listed at load, 200 more per "Show more", every record
# while printing on A4 and on Letter (and the print no wider than the paper; the 10,000-row page
# gets the browser's print events rather than a PDF of minutes); searching an
# order's name leaves exactly that order's rows; cells holding <script> and <img onerror> are
# shown as text and run nothing. Prints the median load time of the 10,000-row page over five
# loads (measured, not asserted). With SHIPLOAD_SCREENSHOT=1 it saves the demo's
# screenshot as docs/report-html.png (the README shows it); otherwise the source tree is left alone.
. "$(dirname "$0")/lib/e2e.sh"

CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$CHROMIUM" ] || { fail "chromium is needed (Debian package chromium)"; e2e_finish; }
for tool in node npm; do
    command -v "$tool" >/dev/null || { fail "$tool is needed (Debian packages nodejs, npm)"; e2e_finish; }
done

# puppeteer-core, once per build directory (package.json and package-lock.json pin it)
browser_src=$SHIPLOAD_SOURCE_DIR/tests/e2e/browser
node_dir=$(dirname "$SHIPLOAD")/browser-test-node
if ! cmp -s "$browser_src/package-lock.json" "$node_dir/package-lock.json" ||
    [ ! -d "$node_dir/node_modules/puppeteer-core" ]; then
    rm -rf "$node_dir" && mkdir -p "$node_dir" &&
        cp "$browser_src/package.json" "$browser_src/package-lock.json" "$node_dir/" &&
        (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error >npm.log 2>&1) ||
        { fail "npm ci of puppeteer-core failed: $(tail -5 "$node_dir/npm.log" 2>/dev/null)"; e2e_finish; }
fi

# browse NAME REPORT_DIR [json fields...]: runs check_report.js, the result in $E2E_WORK/NAME.json
browse() {
    local name=$1 dir=$2 extra=${3:-}
    local options
    options=$(jq -nc --arg chromium "$CHROMIUM" --arg profile "$E2E_WORK/profile.$name" \
        --arg report "$dir/report.html" "{chromium: \$chromium, profile: \$profile, report: \$report} + ${extra:-{\}}")
    NODE_PATH=$node_dir/node_modules timeout 300 node "$browser_src/check_report.js" "$options" \
        >"$E2E_WORK/$name.json" 2>"$E2E_WORK/$name.err" ||
        { fail "$name: the browser run failed: $(head -c 2000 "$E2E_WORK/$name.err")"; return 1; }
}

# page_checks NAME REPORT_DIR: what must hold for any report.html
page_checks() {
    local name=$1 dir=$2 seen=$E2E_WORK/$1.json
    assert_eq "$name: console errors" "[]" "$(jq -c .console_errors "$seen")"
    assert_eq "$name: page errors" "[]" "$(jq -c .page_errors "$seen")"
    assert_eq "$name: dialogs" "[]" "$(jq -c .dialogs "$seen")"
    assert_eq "$name: requests leaving the page" "[]" "$(jq -c .outside_requests "$seen")"
    assert_eq "$name: totals shown = summary.json's" "$(jq -cS .statuses "$dir/summary.json")" \
        "$(jq -cS .totals "$seen")"
    assert_eq "$name: records shown = summary.json's" "$(jq .records "$dir/summary.json")" \
        "$(jq .total_records "$seen")"
    local records listed
    records=$(jq .records "$dir/summary.json")
    listed=$((records < 200 ? records : 200))
    assert_eq "$name: rows listed at load (200 at most)" "$listed" "$(jq .rows_at_load "$seen")"
    if [ "$records" -gt 200 ]; then
        listed=$((records < 400 ? records : 400))
        assert_eq "$name: rows after 'Show more'" "$listed" "$(jq .rows_after_more "$seen")"
    else
        assert_eq "$name: no 'Show more' button" "null" "$(jq .rows_after_more "$seen")"
    fi
    local paper
    for paper in a4 letter; do
        assert_eq "$name: printed on $paper, one table row per record" "$records" \
            "$(jq ".print.$paper.rows" "$seen")"
        assert_eq "$name: printed on $paper, no wider than the paper" 0 \
            "$(jq ".print.$paper.overflow_px" "$seen")"
        [ "$(jq ".print.$paper.pages // 1" "$seen")" -ge 1 ] 2>/dev/null ||
            fail "$name: printed on $paper: no page in the PDF"
    done
    assert_eq "$name: rows listed again after printing" "$listed" "$(jq .rows_after_print "$seen")"
}

# search_checks NAME REPORT_DIR ORDER_NAME: the search leaves exactly the order's records
search_checks() {
    local name=$1 dir=$2 order=$3 want got
    want=$(paste <(csv_column "$dir/results.csv" record) <(csv_column "$dir/results.csv" order_name) |
        awk -F'\t' -v o="$order" '$2 == o { print $1 }' | sort -n | paste -sd,)
    [ -n "$want" ] || { fail "$name: no record of order $order in results.csv"; return 1; }
    got=$(jq -r '.search_rows | sort | map(tostring) | join(",")' "$E2E_WORK/$name.json")
    assert_eq "$name: search '$order' leaves its records" "$want" "$got" && ok "$name: search '$order' leaves records $got"
}

sim_start --store "$SHIPLOAD_SOURCE_DIR/samples/store.json" || e2e_finish

# ---- the demo: the bundled sample, as tests/demo.sh runs it
demo=$E2E_WORK/demo
(cd "$SHIPLOAD_SOURCE_DIR" && run_import "$demo" samples/generic-csv.csv)
[ -f "$demo/report.html" ] || { fail "demo: no report.html ($(cat "$demo.err"))"; e2e_finish; }
browse demo "$demo" '{"search": "#1003", "screenshot": "'"$E2E_WORK/demo.png"'"}' &&
    page_checks demo "$demo" && search_checks demo "$demo" "#1003" && ok "demo report.html"
if [ -s "$E2E_WORK/demo.png" ]; then
    ok "demo screenshot taken"
    if [ "${SHIPLOAD_SCREENSHOT:-}" = 1 ]; then
        cp "$E2E_WORK/demo.png" "$SHIPLOAD_SOURCE_DIR/docs/report-html.png" &&
            ok "screenshot saved to docs/report-html.png"
    fi
else
    fail "demo: no screenshot"
fi

# ---- a hostile manifest: markup in the cells people see
hostile=$E2E_WORK/hostile.csv
script_cell='<script>window.__owned=true;alert(1)</script>'
img_cell='<img src=x onerror="window.__owned=true;alert(2)">'
{
    head -n 3 "$SHIPLOAD_SOURCE_DIR/samples/generic-csv.csv"
    printf '%s,,,SKU-1,1,1Z8W2A470326110016,UPS,,2026-11-21,,\n' "$script_cell"
    printf '#1004,,,"%s",1,,UPS,,2026-11-21,,\n' "${img_cell//\"/\"\"}"
    printf '#1005,,,,,1Z8W2A470326110052,UPS,"javascript:alert(3)",2026-11-21,,\n'
} >"$hostile"
bad=$E2E_WORK/bad
run_import "$bad" "$hostile"
[ -f "$bad/report.html" ] || { fail "hostile: no report.html ($(cat "$bad.err"))"; e2e_finish; }
browse hostile "$bad" "$(jq -nc --arg a "$script_cell" --arg b "$img_cell" '{texts: [$a, $b]}')" &&
    page_checks hostile "$bad"
assert_eq "hostile: both cells shown as text" "[true,true]" "$(jq -c .texts_shown "$E2E_WORK/hostile.json")"
assert_eq "hostile: what ran or appeared (scripts: the data and the page's own)" \
    '{"scripts":2,"images":0,"owned":false,"links_not_http":0}' \
    "$(jq -c .injected "$E2E_WORK/hostile.json")"
grep -q 'href="javascript' "$bad/report.html" && fail "hostile: a javascript: URL became a link"
[ "$E2E_FAILED" -eq 0 ] && ok "hostile manifest: shown as text, nothing ran"

# ---- 10,000 rows
big_store=$E2E_WORK/big-store.json
gen_store "$big_store" 6000 17 || e2e_finish
sim_start --store "$big_store" || e2e_finish
rows=$(scaled 10000)
gen_manifest "$big_store" "$rows" "$E2E_WORK/big.csv" || e2e_finish
big=$E2E_WORK/big
run_import "$big" "$E2E_WORK/big.csv"
records=$(jq .records "$big/summary.json" 2>/dev/null)
[ "${records:-0}" -ge "$rows" ] || fail "big: $records records, expected at least $rows"
order=$(csv_column "$big/results.csv" order_name | sed -n "$((records / 2))p")
browse big "$big" "$(jq -nc --arg o "$order" '{search: $o, runs: 5, pdf: false}')" &&
    page_checks big "$big" && search_checks big "$big" "$order"
# the load time of the big page: measured and printed for the issue's note, never asserted
median=$E2E_WORK/big.json
note "report.html of $records records: $(du -k "$big/report.html" | cut -f1) KiB; median of" \
    "$(jq '.timings.runs | length' "$median") loads, ms from navigation start:" \
    "load event $(jq .timings.median.load_ms "$median")," \
    "DOMContentLoaded $(jq .timings.median.dom_content_loaded_ms "$median")," \
    "first rows shown $(jq .timings.median.ready_ms "$median")," \
    "first paint $(jq .timings.median.first_paint_ms "$median") (load average $(cut -d' ' -f1 /proc/loadavg))"
[ "$E2E_FAILED" -eq 0 ] && ok "report.html of $records records"

e2e_finish
