#!/usr/bin/env bash
# run.sh: builds one libFuzzer harness of tests/fuzz/ with clang (-fsanitize=fuzzer,address,
# undefined) and runs it for SECONDS from its seeds (samples/, tests/e2e/data/, templates/,
# plus the corpus of earlier runs) with its dictionary; prints the executions and the coverage
# reached. Exit status: libFuzzer's (non-zero on a crash, leak or abort; the reproducer is left
# in the work directory).
#
# Usage: tests/fuzz/run.sh TARGET SECONDS    TARGET: csv xml template ecart shoplazza orderprotection diff xlsx
# Environment: FUZZ_WORK (default /tmp/shipload-fuzz: objects, binaries, corpora), FUZZ_JOBS.
set -euo pipefail
target=${1:?usage: run.sh TARGET SECONDS (csv xml template ecart shoplazza orderprotection diff xlsx)}
seconds=${2:?usage: run.sh TARGET SECONDS}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${FUZZ_WORK:-/tmp/shipload-fuzz}
command -v clang >/dev/null || { echo "run.sh: clang is needed" >&2; exit 2; }
case $target in
csv) dict=csv.dict stages="common input" seeds="$root/samples/*.csv* $root/tests/e2e/data/*.csv" ;;
xml) dict=xml.dict stages="common input template validate" seeds="$root/samples/*.xml*" ;;
template) dict=json.dict stages="common input template validate" seeds="$root/templates/*.json" ;;
ecart) dict=json.dict stages="common platform platform/ecart platform/shoplazza platform/orderprotection" seeds="$here/seeds/ecart/*.json" ;;
shoplazza|orderprotection) dict=json.dict stages="common platform platform/ecart platform/shoplazza platform/orderprotection" seeds="$here/seeds/$target/*.json" ;;
diff) dict=xml.dict stages="common input template validate" seeds="$root/samples/*.csv $root/samples/*.xml" ;;
xlsx) dict=xml.dict stages="common input" seeds="$here/seeds/xlsx/*" ;;
*) echo "run.sh: unknown target $target (csv xml template ecart shoplazza orderprotection diff xlsx)" >&2; exit 2 ;;
esac

flags=(-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
       -fno-sanitize-recover=undefined -D_GNU_SOURCE -DSHIPLOAD_VERSION=\"fuzz\"
       -DSHIPLOAD_SOURCE_TEMPLATE_DIR=\"$root/templates\" -DSHIPLOAD_INSTALL_TEMPLATE_DIR=\"$root/templates\"
       -I"$root/include" -I"$root/src" $(pkg-config --cflags libxml-2.0 jansson libcurl zlib libcrypto libzip))
libs=($(pkg-config --libs libxml-2.0 jansson libcurl zlib libcrypto libzip) -lcsv -lm -lpthread)

# objects of the stages, rebuilt when their source is newer
mkdir -p "$work/obj" "$work/corpus/$target" "$work/crashes/$target"
objects=()
for stage in $stages; do
    for source in "$root"/src/"$stage"/*.c; do
        object=$work/obj/${stage//\//_}_$(basename "${source%.c}").o
        if [ ! -e "$object" ] || [ "$source" -nt "$object" ] ||
            [ -n "$(find "$root/include" "$root/src/$stage" -name '*.h' -newer "$object" | head -1)" ]; then
            clang -std=gnu11 "${flags[@]}" -c "$source" -o "$object"
        fi
        objects+=("$object")
    done
done
binary=$work/fuzz_$target
clang -std=gnu11 "${flags[@]}" -fsanitize=fuzzer "$here/fuzz_$target.c" "${objects[@]}" "${libs[@]}" \
    -o "$binary"

# seeds: copied once into the corpus (the ecart target gets JSON answers cut from store files)
for seed in $seeds; do
    [ -f "$seed" ] || continue
    cp -n "$seed" "$work/corpus/$target/seed-$(basename "$seed")" 2>/dev/null || true
done
export SHIPLOAD_TEMPLATE_PATH=$root/templates
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
log=$work/$target.log
set +e
"$binary" -max_total_time="$seconds" -dict="$here/$dict" -max_len=65536 -rss_limit_mb=2048 \
    -timeout=25 -print_final_stats=1 -artifact_prefix="$work/crashes/$target/" \
    "$work/corpus/$target" >"$log" 2>&1
status=$?
set -e
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
last=$(grep -E '^#[0-9]+' "$log" | tail -1)
coverage=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*' || echo 0)
features=$(echo "$last" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*' || echo 0)
corpus=$(ls "$work/corpus/$target" | wc -l)
echo "fuzz $target: ${seconds} s, $runs executions, coverage $coverage edges, $features features, corpus $corpus, exit $status"
if [ "$status" != 0 ]; then
    grep -E 'ERROR|SUMMARY|abort|fuzz_diff' "$log" | head -20 >&2
    echo "fuzz $target: reproducers in $work/crashes/$target/ (log: $log)" >&2
fi
exit "$status"
