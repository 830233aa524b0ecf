# inbox.sh: helpers for the inbox tests (test_inbox_*.sh, test_remote_sftp.sh, test_run_config.sh
# and tests/bench/inbox_bench.sh), sourced after e2e.sh: manifests split by order into several
# files, waiting for a condition without a timed assertion, and the inbox's folders counted.

# split_manifest MANIFEST COUNT PREFIX: PREFIX1.csv ... PREFIXCOUNT.csv, each with the header and
# the rows of every COUNT-th order (rows of one order stay in one file, so no package is split).
split_manifest() {
    awk -F, -v count="$2" -v prefix="$3" '
        NR == 1 { header = $0; for (i = 1; i <= count; i++) print header > (prefix i ".csv"); next }
        !($1 in slot) { slot[$1] = (seen++ % count) + 1 }
        { print > (prefix slot[$1] ".csv") }' "$1"
}

# wait_until SECONDS COMMAND...: runs COMMAND every 0.1 s until it succeeds; 1 after SECONDS.
wait_until() {
    local limit=$(($1 * 10)) tries=0
    shift
    until "$@"; do
        tries=$((tries + 1))
        [ $tries -ge $limit ] && return 1
        sleep 0.1
    done
}

# files_in DIR: the regular files directly in DIR, sorted, one per line (none: nothing).
files_in() { find "$1" -maxdepth 1 -type f ! -name '.*' -printf '%f\n' 2>/dev/null | LC_ALL=C sort; }
# count_files DIR
count_files() { files_in "$1" | grep -c . ; }

# age_file FILE...: sets the files' time a minute back, so they count as settled at once.
age_file() { touch -d '-1 min' "$@"; }

# journal_states JOURNAL STATE: the number of steps with that state.
journal_states() { awk -F'\t' -v s="$2" '$2 == s { n++ } END { print n + 0 }' "$1"; }
