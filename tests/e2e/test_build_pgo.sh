#!/usr/bin/env bash
# test_build_pgo.sh: contrib/pgo-build.sh, the profile-guided build, works from the source tree
# and gives a shipload that behaves as the suite's own build:
# - a wrong SHIPLOAD_PGO value stops CMake with a message that names the three values;
# - the script (with -DSHIPLOAD_WERROR=ON, as CI builds) exits 0, its training run wrote
#   profiles (validate.c's among them: the training reached validation) and the optimised
#   build reads them (its objects differ from the instrumented ones: no profile counters);
# - `validate` of every bundled sample and of the suite's manifest of errors gives, with the
#   optimised binary, the same exit status, results.csv and rejects.csv as with $SHIPLOAD.
# Runs in the normal pass only (it builds with the compiler's profile options, not the
# sanitizers'), and only with GCC (the options are GCC's; it says so when it skips). Takes
# about 25 s on two cores: two builds of shipload and the training.
. "$(dirname "$0")/lib/e2e.sh"

if [ "${SHIPLOAD_UNDER_SANITIZER:-}" = 1 ]; then
    echo "SKIP: the profile-guided build is tested in the normal pass"
    exit 0
fi
if ! "${CC:-cc}" -v 2>&1 | grep -q "^gcc version"; then
    echo "SKIP: SHIPLOAD_PGO needs GCC, and ${CC:-cc} is not GCC"
    exit 0
fi

build=$E2E_WORK/build-pgo

# 1. a value CMake must refuse
if cmake -S "$SHIPLOAD_SOURCE_DIR" -B "$E2E_WORK/build-bad" -DBUILD_TESTING=OFF \
        -DSHIPLOAD_PGO=sometimes >"$E2E_WORK/bad.out" 2>&1; then
    fail "SHIPLOAD_PGO=sometimes was accepted"
else
    grep -q "SHIPLOAD_PGO is OFF, GENERATE or USE, not 'sometimes'" "$E2E_WORK/bad.out" &&
        ok "SHIPLOAD_PGO=sometimes refused by name" ||
        fail "SHIPLOAD_PGO=sometimes: unexpected message: $(tail -5 "$E2E_WORK/bad.out")"
fi

# 2. the build
if ! "$SHIPLOAD_SOURCE_DIR/contrib/pgo-build.sh" "$build" -DSHIPLOAD_WERROR=ON \
        >"$E2E_WORK/pgo.out" 2>&1; then
    fail "contrib/pgo-build.sh failed: $(tail -20 "$E2E_WORK/pgo.out")"
    exit 1
fi
[ -x "$build/shipload" ] || { fail "no $build/shipload"; exit 1; }
profiles=$(find "$build/pgo-profiles" -name '*.gcda' | wc -l)
[ "$profiles" -ge 50 ] && ok "$profiles profiles written by the training run" ||
    fail "profiles written by the training run: expected at least 50, got $profiles"
find "$build/pgo-profiles" -name '*validate#validate.c.gcda' | grep -q . &&
    ok "the training reached validate.c" || fail "no profile for src/validate/validate.c"
grep -q "SHIPLOAD_PGO:STRING=USE" "$build/CMakeCache.txt" &&
    ok "the last configuration uses the profiles" || fail "the build was not configured with USE"
if nm "$build/shipload" | grep -q "__gcov_"; then
    fail "the final binary still has profile counters (__gcov_*)"
else
    ok "the final binary is not instrumented"
fi

# 3. the same behaviour
compared=0
for file in "$SHIPLOAD_SOURCE_DIR"/samples/*.csv "$SHIPLOAD_SOURCE_DIR"/samples/*.xml \
            "$SHIPLOAD_SOURCE_DIR"/samples/*.Out "$SHIPLOAD_SOURCE_DIR"/samples/*.gz \
            "$E2E_DATA/errors-manifest.csv"; do
    name=$(basename "$file")
    rm -rf "$E2E_WORK/plain" "$E2E_WORK/pgo"
    "$SHIPLOAD" validate -q --report-format csv -o "$E2E_WORK/plain" "$file" 2>/dev/null
    plain_rc=$?
    "$build/shipload" validate -q --report-format csv -o "$E2E_WORK/pgo" "$file" 2>/dev/null
    pgo_rc=$?
    assert_eq "$name: exit status" "$plain_rc" "$pgo_rc"
    for report in results.csv rejects.csv; do
        if [ ! -f "$E2E_WORK/plain/$report" ]; then
            fail "$name: no $report from the suite's build"
        elif ! cmp -s "$E2E_WORK/plain/$report" "$E2E_WORK/pgo/$report"; then
            fail "$name: $report differs: $(diff "$E2E_WORK/plain/$report" "$E2E_WORK/pgo/$report" | head -4)"
        fi
    done
    compared=$((compared + 1))
done
[ "$compared" -ge 20 ] && ok "$compared files validated alike by both builds" ||
    fail "files compared: expected at least 20 (every sample and the manifest of errors), got $compared"

[ "$E2E_FAILED" = 0 ] || exit 1
echo "PASS: test_build_pgo ($profiles profiles, $compared files the same)"
