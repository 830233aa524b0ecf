#!/usr/bin/env bash
# test_ops_contrib.sh: the scheduling files in contrib/ (issue 15) are accepted by their tools.
# - systemd: `systemd-analyze verify` accepts shipload@.service and shipload@.timer as an
#   instance (ExecStart pointed at the built binary), with no warning (skipped, said so, when
#   systemd-analyze is not installed);
# - Kubernetes: cronjob.yaml parses (when PyYAML is there) as a batch/v1 CronJob with
#   concurrencyPolicy Forbid, the token from a Secret passed as --token-file, and the reports
#   on a volume; no token in env or args;
# - crontab: the line is a valid 5-field schedule and its command uses -q and --token-file;
# - every shipload option used in contrib/ is one `shipload import --help` lists.
# Needs SHIPLOAD, SHIPLOAD_SOURCE_DIR, python3.
set -uo pipefail
: "${SHIPLOAD:?path of the shipload binary}" "${SHIPLOAD_SOURCE_DIR:?source tree}"
CONTRIB=$SHIPLOAD_SOURCE_DIR/contrib
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# 1. systemd
if command -v systemd-analyze >/dev/null; then
    for kind in service timer; do
        sed "s#/usr/local/bin/shipload#$SHIPLOAD#" "$CONTRIB/systemd/shipload@.$kind" \
            >"$work/shipload@acme.$kind"
    done
    (cd "$work" && SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no \
        ./shipload@acme.service ./shipload@acme.timer) >"$work/verify.out" 2>&1 ||
        fail "systemd-analyze verify refused the units: $(cat "$work/verify.out")"
    [ -s "$work/verify.out" ] && fail "systemd-analyze verify warned: $(cat "$work/verify.out")"
    # the check can fail: a unit with a mistake is refused or warned about
    sed 's/^Type=oneshot/Type=oneshot\nNoSuchKey=1/' "$work/shipload@acme.service" >"$work/shipload@bad.service"
    (cd "$work" && systemd-analyze verify --man=no ./shipload@bad.service) >"$work/bad.out" 2>&1
    [ -s "$work/bad.out" ] || fail "systemd-analyze verify said nothing about a bad unit"
else
    echo "skipped: systemd-analyze is not installed"
fi

# 2. Kubernetes
python3 - "$CONTRIB/kubernetes/cronjob.yaml" >"$work/k8s.out" 2>&1 <<'PY' || fail "cronjob.yaml: $(cat "$work/k8s.out")"
import sys
try:
    import yaml
except ImportError:
    print("skipped: no PyYAML")
    sys.exit(0)
job = yaml.safe_load(open(sys.argv[1]))
assert job["apiVersion"] == "batch/v1" and job["kind"] == "CronJob", job["kind"]
spec = job["spec"]
assert spec["concurrencyPolicy"] == "Forbid", spec["concurrencyPolicy"]
pod = spec["jobTemplate"]["spec"]["template"]["spec"]
container = pod["containers"][0]
volumes = {v["name"]: v for v in pod["volumes"]}
mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
args = container["args"]
token_file = args[args.index("--token-file") + 1]
assert any("secret" in volumes[name] and token_file.startswith(path) for name, path in mounts.items()), "token not from a Secret"
assert container["workingDir"] in mounts.values(), "reports not on a volume"
assert "persistentVolumeClaim" in volumes[[n for n, p in mounts.items() if p == container["workingDir"]][0]]
assert not any("TOKEN" in e["name"] for e in container.get("env", [])), "a token in env"
assert "-q" in args and args[0] == "import", args
PY

# 3. crontab
line=$(grep -v -E '^\s*(#|$|[A-Z_]+=)' "$CONTRIB/cron/crontab")
[ "$(printf '%s\n' "$line" | wc -l)" -eq 1 ] || fail "crontab: expected one job line"
printf '%s\n' "$line" | grep -q -E '^([0-9*/,-]+ ){5} *' || fail "crontab: not a 5-field schedule: $line"
printf '%s\n' "$line" | grep -q -- ' -q ' || fail "crontab: the job does not use -q"
printf '%s\n' "$line" | grep -q -- '--token-file' || fail "crontab: the token is not from a file"

# 4. the options contrib/ uses exist
"$SHIPLOAD" import --help >"$work/help"
for option in $(cat "$CONTRIB/systemd/shipload@.service" "$CONTRIB/kubernetes/cronjob.yaml" \
    "$CONTRIB/cron/crontab" | grep -v -E '^\s*#' | grep -o -E -- '--[a-z][a-z-]+' | sort -u); do
    grep -q -- "$option" "$work/help" || fail "contrib uses $option, which import --help does not list"
done

[ "$failures" -eq 0 ] && echo "PASS: test_ops_contrib.sh" && exit 0
echo "FAILED: test_ops_contrib.sh: $failures check(s)" >&2
exit 1
