# bench_setup.sh: sourced by the benchmarks that run shipload against store-sim (import_bench.sh,
# export_bench.sh) with $root set to the source tree. Installs /usr/bin/time when missing, builds
# shipload and store-sim (Release) into build-bench unless SHIPLOAD and STORE_SIM are given, and
# loads the e2e helpers (tests/e2e/lib/e2e.sh). Measures nothing itself.
if [ ! -x /usr/bin/time ]; then
    echo "installing the 'time' package for /usr/bin/time" >&2
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y -q time >&2
fi
if [ -z "${SHIPLOAD:-}" ] || [ -z "${STORE_SIM:-}" ]; then
    echo "building shipload and store-sim (Release) in $root/build-bench" >&2
    cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release >/dev/null &&
        cmake --build "$root/build-bench" --target shipload store-sim -j 2 >/dev/null || exit 1
    SHIPLOAD=$root/build-bench/shipload
    STORE_SIM=$root/build-bench/tests/store-sim/store-sim
    [ -x "$STORE_SIM" ] || STORE_SIM=$root/build-bench/store-sim
fi
export SHIPLOAD STORE_SIM SHIPLOAD_SOURCE_DIR=$root
unset SHIPLOAD_UNDER_SANITIZER
. "$root/tests/e2e/lib/e2e.sh"
