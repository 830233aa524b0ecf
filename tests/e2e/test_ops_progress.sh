#!/usr/bin/env bash
# test_ops_progress.sh: the import's progress line on a terminal (issue 15), captured from tmux
# panes of 80 and 40 columns (and one resized from 80 to 40 mid-run): while the run goes, the
# pane shows one line only (it never scrolls or wraps), never wider than the pane, and it shows
# a percentage and an ETA once rows are being sent. The manifest has a long name so the line
# must drop detail to fit.
# Needs SHIPLOAD, STORE_SIM, SHIPLOAD_SOURCE_DIR, jq, curl, tmux.
. "$(dirname "$0")/lib/e2e.sh"
command -v tmux >/dev/null || { echo "FAIL: tmux is needed" >&2; exit 1; }
TMUX_SOCKET=shipload-e2e-$$
tmux_() { tmux -L "$TMUX_SOCKET" "$@"; }
trap 'tmux_ kill-server 2>/dev/null; e2e_cleanup' EXIT

store=$E2E_WORK/store.json
manifest=$E2E_WORK/a-manifest-with-a-rather-long-name-from-the-warehouse-2026-11-21.csv
orders=120   # latency-bound, not CPU-bound: not scaled under sanitizers
gen_store "$store" "$orders" 13 || e2e_finish
gen_manifest "$store" "$orders" "$manifest" || e2e_finish

# watch WIDTH [RESIZE_TO]: runs the import in a WIDTH-column pane, capturing it every 0.1 s
# until it ends; checks every capture. RESIZE_TO: the pane is narrowed after 2 s.
watch() {
    local width=$1 resize=${2:-} label=progress-$1${2:+-to-$2} captures=0 seen=0 tries=0
    local dir=$E2E_WORK/$label cap rows widest
    sim_start --store "$store" --latency-ms 80 || return
    tmux_ new-session -d -s "$label" -x "$width" -y 12 \
        "SHIPLOAD_API_TOKEN='$E2E_TOKEN' '$SHIPLOAD' import --api-url '$SIM_URL' -o '$dir' \
         --concurrency 2 --batch-size 1 '$manifest' 2>&1; echo \$? >'$dir.rc'; sleep 600"
    while [ ! -f "$dir.rc" ] && [ $tries -lt 3000 ]; do
        [ -n "$resize" ] && [ $tries -eq 20 ] && { tmux_ resize-window -t "$label" -x "$resize"; width=$resize; }
        cap=$(tmux_ capture-pane -p -t "$label" 2>/dev/null)
        [ -f "$dir.rc" ] && break
        rows=$(printf '%s\n' "$cap" | grep -c -v '^ *$')
        widest=$(printf '%s\n' "$cap" | awk '{ if (length($0) > w) w = length($0) } END { print w + 0 }')
        if [ "$rows" -gt 1 ]; then
            # the run's closing summary may have been printed before its exit status was
            # written (a sanitizer's exit checks take seconds): that is the end, not a scroll
            for _ in $(seq 100); do [ -f "$dir.rc" ] && break; sleep 0.1; done
            [ -f "$dir.rc" ] && break
            fail "$label: the pane shows $rows lines while running: $(printf '%s' "$cap" | head -5)"
            break
        fi
        [ "$widest" -le "$width" ] || { fail "$label: a line of $widest columns in a $width-column pane"; break; }
        [ "$rows" -eq 1 ] && captures=$((captures + 1))
        printf '%s\n' "$cap" | grep -q -E '[0-9]+% ETA [0-9]+:[0-9][0-9]' && seen=$((seen + 1))
        sleep 0.1
        tries=$((tries + 1))
    done
    tmux_ kill-session -t "$label" 2>/dev/null
    sim_stop
    assert_eq "$label: exit status" 0 "$(cat "$dir.rc" 2>/dev/null)"
    [ "$captures" -ge 5 ] || fail "$label: only $captures captures showed a progress line"
    [ "$seen" -ge 1 ] || fail "$label: no capture showed a percentage and an ETA"
    note "$label: $captures captures, $seen with a percentage and an ETA"
}

watch 80
watch 40
watch 80 40
e2e_finish
