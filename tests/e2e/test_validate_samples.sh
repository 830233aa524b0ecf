#!/usr/bin/env bash
# test_validate_samples.sh: `shipload validate` on every sample in samples/ (plain and gzipped)
# gives the checked-in tests/e2e/expected/validate/<sample>.results.csv and .exit (a gzipped sample is
# held to its plain twin's files), and holds the conservation invariant: records read (the
# reader's count, printed by -v) = lines in results.csv = sum of the status counts in
# summary.json = its "records". Needs SHIPLOAD, SHIPLOAD_SOURCE_DIR, SHIPLOAD_TEMPLATE_PATH.
# SHIPLOAD_REGENERATE=1 writes the expected files instead (read each one before checking it in).
set -uo pipefail
: "${SHIPLOAD:?path of the shipload binary}" "${SHIPLOAD_SOURCE_DIR:?source tree}"
export SHIPLOAD_TEMPLATE_PATH=${SHIPLOAD_TEMPLATE_PATH:-$SHIPLOAD_SOURCE_DIR/templates}
command -v jq >/dev/null || { echo "FAIL: jq is needed to read summary.json" >&2; exit 1; }

samples=$SHIPLOAD_SOURCE_DIR/samples
expected=$SHIPLOAD_SOURCE_DIR/tests/e2e/expected/validate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0            # failed checks
failed_samples=0

fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }

# Records in a CSV file (RFC 4180: a line break inside quotes does not end a record), header
# excluded.
csv_records() {
    awk '{ quotes = gsub(/"/, "\""); if (quotes % 2) inside = !inside; if (!inside) n++ }
         END { print n - 1 }' "$1"
}

check_sample() {
    local file=$1 name base dir status records_read lines sum records want_status
    name=$(basename "$file")
    base=${name%.gz}
    dir=$work/$name
    "$SHIPLOAD" validate -v -o "$dir" "$file" >"$work/$name.out" 2>"$work/$name.err"
    status=$?
    if [ ! -f "$dir/results.csv" ] || [ ! -f "$dir/summary.json" ]; then
        fail "$name: no reports (exit $status): $(cat "$work/$name.err")"
        return
    fi
    if [ "${SHIPLOAD_REGENERATE:-}" = 1 ] && [ "$name" = "$base" ]; then
        cp "$dir/results.csv" "$expected/$base.results.csv"
        echo "$status" >"$expected/$base.exit"
    fi
    if [ ! -f "$expected/$base.results.csv" ] || [ ! -f "$expected/$base.exit" ]; then
        fail "$name: no expected files $expected/$base.results.csv and .exit"
        return
    fi
    want_status=$(cat "$expected/$base.exit")
    [ "$status" = "$want_status" ] || fail "$name: exit $status, expected $want_status"
    cmp -s "$dir/results.csv" "$expected/$base.results.csv" ||
        fail "$name: results.csv differs from expected/$base.results.csv:
$(diff "$expected/$base.results.csv" "$dir/results.csv" | head -20)"

    records_read=$(sed -n 's/^validate: .*: \([0-9][0-9]*\) records read$/\1/p' "$work/$name.err")
    lines=$(csv_records "$dir/results.csv")
    sum=$(jq '[.statuses[]] | add // 0' "$dir/summary.json")
    records=$(jq '.records' "$dir/summary.json")
    if [ -z "$records_read" ] || [ "$records_read" != "$lines" ] || [ "$lines" != "$sum" ] ||
        [ "$sum" != "$records" ]; then
        fail "$name: conservation broken: read=$records_read results.csv=$lines sum=$sum records=$records"
    fi
    [ "$lines" -gt 0 ] || fail "$name: a sample should have records"
    [ "$(jq -r '.input.name' "$dir/summary.json")" = "$file" ] || fail "$name: summary input name"
    [ "$(jq -r '.input.size' "$dir/summary.json")" = "$(stat -c %s "$file")" ] ||
        fail "$name: summary input size"
    [ "$(jq -r '.input.sha256' "$dir/summary.json")" = "$(sha256sum "$file" | cut -d' ' -f1)" ] ||
        fail "$name: summary sha256"
    [ "$(jq -r '.complete' "$dir/summary.json")" = true ] || fail "$name: summary says incomplete"
    # the rejects are exactly the records that did not succeed
    local rejects_rows failures
    failures=$(jq '.failed' "$dir/summary.json")
    rejects_rows=$(csv_records "$dir/rejects.csv")
    [ "$rejects_rows" = "$failures" ] ||
        fail "$name: rejects.csv has $rejects_rows records, summary says $failures failed"
    grep -q "^validate: $lines records: .*; reports in $dir\$" "$work/$name.err" ||
        fail "$name: no summary line on stderr"
}

count=0
for file in "$samples"/*; do
    [ -f "$file" ] || continue
    case $file in *.md | *.txt | *.json) continue ;; esac
    count=$((count + 1))
    before=$failed
    check_sample "$file"
    if [ "$failed" -eq "$before" ]; then
        echo "ok: $(basename "$file")"
    else
        failed_samples=$((failed_samples + 1))
    fi
done
[ "$count" -gt 0 ] || fail "no samples in $samples"
# every plain sample has a gzipped twin and the other way round
for file in "$samples"/*.gz; do
    [ -f "$file" ] && [ ! -f "${file%.gz}" ] && fail "$(basename "$file") has no plain twin"
done

echo "$((count - failed_samples)) passed, $failed_samples failed"
[ "$failed" -eq 0 ]
