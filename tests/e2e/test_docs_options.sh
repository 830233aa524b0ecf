#!/usr/bin/env bash
# test_docs_options.sh: the documentation cannot drift from the code silently. For every
# command, the long options `shipload COMMAND --help` lists must each have an entry under
# OPTIONS in man/shipload.1 whose "(commands)" line names that command, and every such entry must
# name only commands whose --help lists the option. Also: every command of `shipload --help` has
# an entry under COMMANDS, each command's --help ends with its own exit statuses, and both man
# pages render with groff without a warning. Needs SHIPLOAD, SHIPLOAD_SOURCE_DIR, groff.
set -uo pipefail
: "${SHIPLOAD:?path of the shipload binary}" "${SHIPLOAD_SOURCE_DIR:?source tree}"
command -v groff >/dev/null || { echo "FAIL: groff is needed to render the man pages" >&2; exit 1; }

MAN=$SHIPLOAD_SOURCE_DIR/man/shipload.1
COMMANDS="import validate export detect templates check run report"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 checks=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { checks=$((checks + 1)); }

# The long options of one command's --help, one per line: the lines of its Options: paragraph
# that start with "-x, --name" or "    --name".
help_options() {
    "$SHIPLOAD" "$1" --help | sed -n '/^Options:$/,/^$/p' |
        grep -oE '^  (-[A-Za-z], |    )--[a-z][a-z0-9-]*' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

# The OPTIONS section of the man page as "OPTION<TAB>commands line", one line per option named
# in an entry's tag (the line after .TP); "\-" is read as "-".
man_options() {
    sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$MAN" | sed 's/\\-/-/g' | awk '
        /^\.TP/ { tag = 1; next }
        tag == 1 { header = $0; tag = 2; next }
        tag == 2 {
            n = split(header, words, /[^-a-z0-9]+/)
            for (i = 1; i <= n; i++)
                if (words[i] ~ /^--[a-z]/)
                    print words[i] "\t" $0
            tag = 0
        }'
}
man_options >"$work/man_options"

# 1. every option of every command's --help has an entry naming the command
for command in $COMMANDS; do
    help_options "$command" >"$work/help_$command"
    count=$(wc -l <"$work/help_$command")
    [ "$count" -ge 3 ] && ok || fail "$command --help: only $count long options found (parsing broke?)"
    while read -r option; do
        line=$(awk -F'\t' -v o="$option" '$1 == o { print $2; exit }' "$work/man_options")
        if [ -z "$line" ]; then
            fail "$command $option: no entry under OPTIONS in man/shipload.1"
        elif ! printf '%s\n' "$line" | grep -qE "^\((.*[(, ])?($command|all commands)[,)]"; then
            fail "$command $option: the man entry's commands line does not name $command: $line"
        else
            ok
        fi
    done <"$work/help_$command"
done
[ "$(wc -l <"$work/help_import")" -ge 20 ] && ok ||
    fail "import --help lists fewer than 20 long options"

# 2. every entry names only commands that take the option (and --version, the one without
#    a command list, is a real option of the binary)
while IFS=$'\t' read -r option line; do
    if [ "$option" = "--version" ]; then
        "$SHIPLOAD" --version | grep -q '^shipload ' && ok || fail "--version is documented but fails"
        continue
    fi
    if ! printf '%s\n' "$line" | grep -qE '^\('; then
        fail "man entry $option has no (commands) line: $line"
        continue
    fi
    named=$(printf '%s\n' "$line" | sed -E 's/^\(([^)]*)\).*/\1/')
    if [ "$named" = "all commands" ]; then
        named=$COMMANDS
    fi
    for command in $(printf '%s\n' "$named" | tr ',' ' '); do
        case " $COMMANDS " in
        *" $command "*) ;;
        *) fail "man entry $option names an unknown command '$command'"; continue ;;
        esac
        grep -qx -- "$option" "$work/help_$command" && ok ||
            fail "man says $command takes $option, but '$command --help' does not list it"
    done
done <"$work/man_options"

# 3. every command has an entry under COMMANDS and its own exit statuses in --help
commands_section=$(sed -n '/^\.SH COMMANDS/,/^\.SH /p' "$MAN")
for command in $COMMANDS; do
    printf '%s\n' "$commands_section" | grep -qE "^\.B[IR]* \"?$command" && ok ||
        fail "no entry for $command under COMMANDS in man/shipload.1"
    "$SHIPLOAD" --help | grep -E "^  $command " >/dev/null && ok || fail "shipload --help does not list $command"
    "$SHIPLOAD" "$command" --help | grep '^Exit status: 0 ' >/dev/null && ok ||
        fail "$command --help has no exit status paragraph"
done
for command in export detect templates; do
    "$SHIPLOAD" "$command" --help | sed -n '/^Exit status:/,$p' | grep -q 'every record' &&
        fail "$command --help describes exit statuses in records, which it does not read" || ok
done
"$SHIPLOAD" import --help | sed -n '/^Exit status:/,$p' | grep -q '401' && ok ||
    fail "import --help's exit statuses do not mention a refused token"

# 4. the man pages render without a warning
for page in man/shipload.1 man/shipload-template.5 man/shipload-config.5; do
    if ! groff -ww -man -Tutf8 "$SHIPLOAD_SOURCE_DIR/$page" >/dev/null 2>"$work/groff_err"; then
        fail "$page: groff failed"
    elif [ -s "$work/groff_err" ]; then
        fail "$page: groff warns: $(head -3 "$work/groff_err")"
    else
        ok
    fi
done

echo "test_docs_options: $checks checks passed, $failures failed"
[ "$failures" -eq 0 ]
