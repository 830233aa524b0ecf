#!/usr/bin/env bash
# run.sh: the README's test command. Installs what is missing, builds, and runs the whole suite
# (unit tests and end-to-end tests) twice: a normal build, then under AddressSanitizer and
# UndefinedBehaviorSanitizer. Exits non-zero if either run fails.
set -euo pipefail
SHIPLOAD_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$SHIPLOAD_ROOT/tests/lib/bootstrap.sh"

bootstrap_packages
jobs=$(nproc)

echo "== build and test (RelWithDebInfo)"
bootstrap_build "$SHIPLOAD_ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHIPLOAD_WERROR=ON
(cd "$SHIPLOAD_ROOT/build" && ctest --output-on-failure -j "$jobs")

echo "== build and test (AddressSanitizer + UndefinedBehaviorSanitizer)"
bootstrap_build "$SHIPLOAD_ROOT/build-asan" -DCMAKE_BUILD_TYPE=Debug -DSHIPLOAD_SANITIZE=ON -DSHIPLOAD_WERROR=ON
(cd "$SHIPLOAD_ROOT/build-asan" &&
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    SHIPLOAD_UNDER_SANITIZER=1 ctest --output-on-failure -j "$jobs")
