#!/usr/bin/env bash
# test_trust_no_new_refusals.sh: the tracking-number rules of issue 14 (shapes, placeholders,
# spreadsheet damage, shared numbers, dates, encoding) refuse nothing that was accepted before
# them. Every sample in samples/ and every manifest of the earlier e2e tests is validated, and
# each record that the version before issue 14 found valid or skipped (the baseline in
# tests/e2e/expected/trust/<path with / as _>.status, "record status" per line, written by that
# version) must still be valid or skipped. --allow-shared-tracking is not given: a warning is
# no refusal. Needs SHIPLOAD, SHIPLOAD_SOURCE_DIR (and what lib/e2e.sh needs).
. "$(dirname "$0")/lib/e2e.sh"

cd "$SHIPLOAD_SOURCE_DIR" || exit 1
baseline=tests/e2e/expected/trust
checked=0
for file in samples/*.csv samples/*.csv.gz samples/*.xml samples/*.xml.gz \
    tests/e2e/data/errors-manifest.csv tests/e2e/data/carriers/mixed.csv \
    tests/e2e/data/carriers/urls.csv; do
    name=$(echo "${file%.gz}" | tr '/' '_')
    [ -f "$baseline/$name.status" ] || { fail "$file: no baseline $baseline/$name.status"; continue; }
    template=()
    case $file in */carriers/*) template=(-t generic-csv) ;; esac
    dir=$E2E_WORK/$(basename "$file")
    "$SHIPLOAD" validate "${template[@]}" -o "$dir" "$file" >"$dir.out" 2>"$dir.err"
    [ -f "$dir/results.csv" ] || { fail "$file: no results.csv: $(head -c 500 "$dir.err")"; continue; }
    paste -d' ' <(csv_column "$dir/results.csv" record) <(csv_column "$dir/results.csv" status) \
        >"$dir.now"
    newly=$(join <(sort "$baseline/$name.status") <(sort "$dir.now") |
        awk '($2 == "valid" || $2 == "skipped") && $3 != "valid" && $3 != "skipped"')
    [ -z "$newly" ] || fail "$file: newly refused (record, before, now): $newly"
    assert_eq "$file: records" "$(wc -l <"$baseline/$name.status")" "$(wc -l <"$dir.now")"
    checked=$((checked + $(wc -l <"$dir.now")))
done
ok "$checked records checked against the baseline"
e2e_finish
