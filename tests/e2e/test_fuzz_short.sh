#!/usr/bin/env bash
# test_fuzz_short.sh: a short libFuzzer run of every harness of tests/fuzz/ (issue 19): csv,
# xml, template, the store answers of ecart, shoplazza and orderprotection, the pipe/file
# differential and xlsx, FUZZ_SECONDS each (default 20), no
# crash, leak or abort allowed. Runs only when clang can build fuzzers, and not in the
# sanitizer pass (the harnesses carry their own ASan/UBSan; running them twice buys nothing).
# Long runs: tests/fuzz/run.sh TARGET SECONDS.
set -uo pipefail
: "${SHIPLOAD_SOURCE_DIR:?source tree}"
if [ "${SHIPLOAD_UNDER_SANITIZER:-}" = 1 ]; then
    echo "SKIP: fuzzing runs in the normal pass only"
    exit 0
fi
if ! command -v clang >/dev/null ||
    ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { (void)d; (void)n; return 0; }' |
        clang -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
    echo "SKIP: clang with libFuzzer is not available"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
for target in csv xml template ecart shoplazza orderprotection diff xlsx; do
    if ! FUZZ_WORK=$work "$SHIPLOAD_SOURCE_DIR/tests/fuzz/run.sh" "$target" "${FUZZ_SECONDS:-20}"; then
        echo "FAIL: fuzz target $target" >&2
        failed=1
    fi
done
exit $failed
