/* options.c: one table of every command line option (spec §9): its names, which subcommands
 * take it, how its value is checked and stored, and its --help line. getopt_long is fed from
 * the table. Nothing here reads files or the environment. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "options.h"
#include "shipload/report.h"

#define ALL_COMMANDS (CLI_IMPORT | CLI_VALIDATE | CLI_EXPORT | CLI_DETECT | CLI_TEMPLATES | CLI_CHECK | \
                      CLI_RUN | CLI_REPORT)
#define READERS (CLI_IMPORT | CLI_VALIDATE)
#define NETWORK (CLI_IMPORT | CLI_EXPORT)
#define PREFLIGHT (NETWORK | CLI_CHECK)   /* what `check` proves too */

typedef struct option_spec option_spec;
/* Stores the option's value; prints the problem and returns -1 when it is bad. */
typedef int (*option_apply)(cli_options *options, const option_spec *spec, const char *value,
                            const char *command_name);

struct option_spec {
    const char *long_name;
    int short_name;               /* 0: long only */
    const char *value_name;       /* NULL: takes no value */
    unsigned commands;            /* CLI_* mask */
    option_apply apply;
    size_t offset;                /* the cli_options field for the generic appliers */
    long min, max;                /* range for numbers; the value for flags */
    const char *help;
};

#define FIELD(name) offsetof(cli_options, name)
#define AT(options, spec, type) ((type *)((char *)(options) + (spec)->offset))

static int bad_value(const option_spec *spec, const char *value, const char *command_name,
                     const char *expected)
{
    fprintf(stderr, "shipload %s: --%s: '%s' is not %s\n", command_name, spec->long_name, value,
            expected);
    return -1;
}

static int apply_string(cli_options *options, const option_spec *spec, const char *value,
                        const char *command_name)
{
    if (!value[0])
        return bad_value(spec, value, command_name, "a value (it is empty)");
    *AT(options, spec, const char *) = value;
    return 0;
}

static int apply_flag(cli_options *options, const option_spec *spec, const char *value,
                      const char *command_name)
{
    (void)value, (void)command_name;
    *AT(options, spec, int) = (int)spec->min;
    return 0;
}

static int apply_count(cli_options *options, const option_spec *spec, const char *value,
                       const char *command_name)
{
    (void)value, (void)command_name;
    (*AT(options, spec, int))++;
    return 0;
}

static int apply_long(cli_options *options, const option_spec *spec, const char *value,
                      const char *command_name)
{
    char *end;
    errno = 0;
    long number = strtol(value, &end, 10);
    if (errno || end == value || *end || number < spec->min || number > spec->max) {
        char expected[96];
        snprintf(expected, sizeof(expected), "a whole number from %ld to %ld", spec->min,
                 spec->max);
        return bad_value(spec, value, command_name, expected);
    }
    *AT(options, spec, long) = number;
    return 0;
}

static int apply_timeout(cli_options *options, const option_spec *spec, const char *value,
                         const char *command_name)
{
    char *end;
    errno = 0;
    double seconds = strtod(value, &end);
    if (errno || end == value || *end || !isfinite(seconds) || seconds < 0.001 ||
        seconds > 86400)
        return bad_value(spec, value, command_name, "a number of seconds from 0.001 to 86400");
    options->timeout_ms = (long)(seconds * 1000.0 + 0.5);
    return 0;
}

/* A value from a fixed list of names: the index becomes the enum value. */
static int apply_choice(cli_options *options, const option_spec *spec, const char *value,
                        const char *command_name, const char *const *names, size_t count,
                        const char *expected)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(value, names[i]) == 0) {
            *AT(options, spec, int) = (int)i;
            return 0;
        }
    return bad_value(spec, value, command_name, expected);
}

static int apply_on_conflict(cli_options *options, const option_spec *spec, const char *value,
                             const char *command_name)
{
    static const char *const names[] = { "skip", "update", "fail" };   /* cli_on_conflict */
    return apply_choice(options, spec, value, command_name, names, 3, "skip, update or fail");
}

static int apply_progress(cli_options *options, const option_spec *spec, const char *value,
                          const char *command_name)
{
    static const char *const names[] = { "auto", "always", "never" };  /* cli_progress */
    return apply_choice(options, spec, value, command_name, names, 3, "auto, always or never");
}

static int apply_encoding(cli_options *options, const option_spec *spec, const char *value,
                          const char *command_name)
{
    if (sl_encoding_parse(value, &options->encoding) != 0)
        return bad_value(spec, value, command_name,
                         "a known encoding (utf-8, utf-16le, utf-16be, latin-1, windows-1252)");
    options->encoding_name = value;
    return 0;
}

static int apply_date_format(cli_options *options, const option_spec *spec, const char *value,
                             const char *command_name)
{
    if (!strchr(value, '%'))
        return bad_value(spec, value, command_name, "a strftime format such as %m/%d/%Y");
    if (options->date_format_count == CLI_MAX_DATE_FORMATS) {
        fprintf(stderr, "shipload %s: --date-format: at most %d formats\n", command_name,
                CLI_MAX_DATE_FORMATS);
        return -1;
    }
    options->date_formats[options->date_format_count++] = value;
    return 0;
}

/* --report-format csv,xlsx,html: any non-empty comma-separated subset. */
static int apply_report_format(cli_options *options, const option_spec *spec, const char *value,
                               const char *command_name)
{
    static const struct { const char *name; unsigned bit; } formats[] = {
        { "csv", SL_REPORT_CSV }, { "xlsx", SL_REPORT_XLSX }, { "html", SL_REPORT_HTML },
    };
    unsigned chosen = 0;
    for (const char *at = value; *at;) {
        size_t len = strcspn(at, ",");
        unsigned bit = 0;
        for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]) && !bit; i++)
            if (len == strlen(formats[i].name) && strncmp(at, formats[i].name, len) == 0)
                bit = formats[i].bit;
        if (!bit)
            return bad_value(spec, value, command_name, "a list of csv, xlsx and html");
        chosen |= bit;
        at += len + (at[len] == ',');
    }
    if (!chosen)
        return bad_value(spec, value, command_name, "a list of csv, xlsx and html");
    options->report_formats = chosen;
    return 0;
}

static int apply_notify_when(cli_options *options, const option_spec *spec, const char *value,
                             const char *command_name)
{
    static const char *const names[] = { "failure", "always" };   /* cli_notify_when */
    return apply_choice(options, spec, value, command_name, names, 2, "failure or always");
}

static const option_spec option_table[] = {
    { "template", 't', "NAME|PATH", READERS | CLI_EXPORT | CLI_CHECK, apply_string, FIELD(template_name), 0, 0,
      "template (default: detected; export: generic-csv)" },
    { "report-dir", 'o', "DIR", READERS | CLI_EXPORT | CLI_CHECK, apply_string, FIELD(report_dir), 0, 0,
      "report directory (export: output FILE, - stdout)" },
    { "encoding", 0, "NAME", READERS | CLI_DETECT, apply_encoding, 0, 0, 0,
      "source encoding: utf-8, utf-16le/be, latin-1,\n"
      "windows-1252 (default: UTF-8, UTF-16 by BOM)" },
    { "date-format", 0, "FORMAT", READERS, apply_date_format, 0, 0, 0,
      "the sources' date format, e.g. %d/%m/%Y: tried\n"
      "first and alone, then ISO 8601" },
    { "no-verify-tracking", 0, NULL, READERS, apply_flag, FIELD(verify_tracking), 0, 0,
      "a number that fits none of its carrier's shapes\n"
      "or fails its check digit is a warning, not invalid" },
    { "allow-shared-tracking", 0, NULL, READERS, apply_flag, FIELD(allow_shared_tracking), 1, 0,
      "one tracking number may be on orders that ship\n"
      "to different addresses (default: tracking_reused)" },
    { "report-format", 0, "LIST", READERS, apply_report_format, 0, 0, 0,
      "reports to write besides summary.json: csv,xlsx,html\n"
      "(default: all three)" },
    { "excel", 0, NULL, READERS, apply_flag, FIELD(excel), 1, 0,
      "UTF-8 BOM on results.csv and rejects.csv" },
    { "strict", 0, NULL, READERS, apply_flag, FIELD(strict), 1, 0,
      "a column that looks like a field but is not read\n"
      "(qty, tracking_provider, ...) stops the run: exit 2" },
    { "sheet", 0, "NAME", READERS | CLI_DETECT, apply_string, FIELD(sheet), 0, 0,
      "the sheet of an .xlsx workbook (default: the first)" },
    { "platform", 0, "NAME", PREFLIGHT, apply_string, FIELD(platform_name), 0, 0,
      "the store's platform: ecart, shoplazza or\n"
      "orderprotection (default: $SHIPLOAD_PLATFORM,\n"
      "else ecart)" },
    { "api-url", 0, "URL", PREFLIGHT, apply_string, FIELD(api_url), 0, 0,
      "store API base URL (default: $SHIPLOAD_API_URL,\n"
      "else the platform's, https://api.ecartapi.com)" },
    { "shop", 0, "NAME", PREFLIGHT, apply_string, FIELD(shop), 0, 0,
      "Shoplazza: the store, NAME (NAME.myshoplaza.com)\n"
      "or its DOMAIN (default: $SHIPLOAD_SHOP)" },
    { "token-file", 0, "FILE", PREFLIGHT, apply_string, FIELD(token_file), 0, 0,
      "read the API token from FILE (default:\n"
      "$SHIPLOAD_API_TOKEN; never on the command line)" },
    { "dry-run", 0, NULL, CLI_IMPORT, apply_flag, FIELD(dry_run), 1, 0,
      "reads only: would_* statuses, requests.jsonl,\n"
      "no write sent" },
    { "batch-size", 0, "N", CLI_IMPORT, apply_long, FIELD(batch_size), 1, 250,
      "fulfillments per bulk request, 1 to the\n"
      "platform's maximum (Ecart: 50, the default)" },
    { "concurrency", 0, "N", NETWORK, apply_long, FIELD(concurrency), 1, 64,
      "requests in flight at once, 1-64 (default 8)" },
    { "max-attempts", 0, "N", PREFLIGHT, apply_long, FIELD(max_attempts), 1, 100,
      "attempts per request on 5xx, reset, timeout,\n"
      "1-100 (default 5); 429 waits for Retry-After" },
    { "memory-limit", 0, "MIB", CLI_IMPORT, apply_long, FIELD(memory_limit_mib), 16, 1048576,
      "memory for the rows an import holds, in MiB\n"
      "(default 1024); past it: exit 3, nothing sent" },
    { "max-wait", 0, "SECONDS", NETWORK, apply_long, FIELD(max_wait_s), 0, 86400,
      "give up when the API answers only 429 for\n"
      "this long (default 600; 0: never)" },
    { "timeout", 0, "SECONDS", PREFLIGHT, apply_timeout, 0, 0, 0,
      "seconds for one request attempt (default 30)" },
    { "on-conflict", 0, "skip|update|fail", CLI_IMPORT, apply_on_conflict, FIELD(on_conflict), 0, 0,
      "a package shipped with another number: skip\n"
      "(report conflict; default), update (PUT the\n"
      "row's tracking) or fail (send nothing)" },
    { "fulfillment-status", 0, "STATUS", CLI_IMPORT, apply_string, FIELD(fulfillment_status),
      0, 0,
      "the status a fulfillment is sent with when a row\n"
      "does not say (OrderProtection: FULFILLED, the\n"
      "default, IN_TRANSIT, DELIVERED, ...)" },
    { "notify", 0, NULL, CLI_IMPORT, apply_flag, FIELD(notify), 1, 0,
      "notify the customer when a row does not say" },
    { "no-notify", 0, NULL, CLI_IMPORT, apply_flag, FIELD(notify), 0, 0,
      "do not notify when a row does not say (default:\n"
      "the template's notify_default, else no)" },
    { "since", 0, "DATE", CLI_EXPORT, apply_string, FIELD(since), 0, 0,
      "orders updated on or after DATE (YYYY-MM-DD)" },
    { "location", 0, "ID", CLI_EXPORT, apply_string, FIELD(location), 0, 0,
      "packages shipping from this location only" },
    { "status", 0, "LIST", CLI_EXPORT, apply_string, FIELD(package_status), 0, 0,
      "package statuses to export, e.g. pending" },
    { "order-status", 0, "LIST", CLI_EXPORT, apply_string, FIELD(order_status), 0, 0,
      "order statuses to export, e.g. paid (never canceled)" },
    /* nightly operations (issue 15): preflight, lock, notifications */
    { "allow-http", 0, NULL, PREFLIGHT, apply_flag, FIELD(allow_http), 1, 0,
      "allow plain http:// to a host that is not\n"
      "loopback (the token would travel in clear)" },
    { "no-preflight", 0, NULL, NETWORK, apply_flag, FIELD(no_preflight), 1, 0,
      "skip the probe read before the run (the address\n"
      "check stays); failures then show on the rows" },
    { "wait-lock", 0, "SECONDS", NETWORK, apply_long, FIELD(wait_lock_s), 0, 86400,
      "wait this long for another run on the same\n"
      "store to end (default 0), then exit 75" },
    { "mail-to", 0, "ADDR", CLI_IMPORT, apply_string, FIELD(mail_to), 0, 0,
      "mail the digest, rejects.csv attached, through\n"
      "$SHIPLOAD_SMTP_URL (smtps:// or smtp:// + TLS)" },
    { "mail-credentials", 0, "FILE", CLI_IMPORT, apply_string, FIELD(mail_credentials), 0, 0,
      "SMTP user:password (default:\n"
      "$SHIPLOAD_SMTP_CREDENTIALS)" },
    { "webhook", 0, "URL", CLI_IMPORT, apply_string, FIELD(webhook_url), 0, 0,
      "POST summary.json to URL when notifying" },
    { "webhook-secret-file", 0, "FILE", CLI_IMPORT, apply_string, FIELD(webhook_secret), 0, 0,
      "sign the webhook: X-Shipload-Signature:\n"
      "sha256=HMAC-SHA256(FILE's key, body)" },
    { "notify-when", 0, "failure|always", CLI_IMPORT, apply_notify_when, FIELD(notify_when), 0, 0,
      "mail/webhook when the run did not fully\n"
      "succeed (default) or always" },
    { "ssh-key", 0, "FILE", READERS, apply_string, FIELD(ssh_key), 0, 0,
      "private key for sftp:// sources" },
    { "known-hosts", 0, "FILE", READERS, apply_string, FIELD(known_hosts), 0, 0,
      "SSH host keys to trust (default:\n"
      "~/.ssh/known_hosts; unknown hosts are refused)" },
    { "accept-new-host-key", 0, NULL, READERS, apply_flag, FIELD(accept_new_host_key), 1, 0,
      "add an unknown SSH host key to known_hosts\n"
      "(said on stderr; a changed key is refused)" },
    { "cacert", 0, "FILE", READERS, apply_string, FIELD(cacert), 0, 0,
      "CA certificates (PEM) for https:// and ftps://" },
    { "header-file", 0, "FILE", READERS, apply_string, FIELD(header_file), 0, 0,
      "'Name: value' lines sent with https:// requests" },
    { "inbox", 0, "DIR|URL", CLI_IMPORT, apply_string, FIELD(inbox), 0, 0,
      "import every complete file of a folder once\n"
      "(claimed into processing/, then done/ or failed/)" },
    { "settle", 0, "SECONDS", CLI_IMPORT, apply_long, FIELD(settle_seconds), 0, 86400,
      "an inbox file is complete when unchanged this\n"
      "long, or with a FILE.done marker (default 5)" },
    { "watch", 0, NULL, CLI_IMPORT | CLI_RUN, apply_flag, FIELD(watch), 1, 0,
      "keep taking inbox files as they settle (SIGTERM:\n"
      "finish the current file, then stop)" },
    { "poll", 0, "SECONDS", CLI_IMPORT, apply_long, FIELD(poll_seconds), 1, 86400,
      "--watch: look at a remote inbox this often\n"
      "(default 30)" },
    { "rate-limit", 0, "N", CLI_IMPORT, apply_long, FIELD(rate_limit), 1, 1000,
      "start at most N requests per second (the\n"
      "store's limit; default: the platform's, else\n"
      "none until a 429 finds it)" },
    { "config", 0, "FILE", CLI_RUN, apply_string, FIELD(config_file), 0, 0,
      "the stores to process (shipload-config(5))" },
    { "jobs", 'j', "N", CLI_RUN, apply_long, FIELD(jobs), 1, 64,
      "stores processed at once, 1-64 (default 4)" },
    { "rebuild", 0, "DIR", CLI_REPORT, apply_string, FIELD(rebuild), 0, 0,
      "make the reports of an import that ended without\n"
      "them from DIR/journal.jsonl (and its source)" },
    { "progress", 0, "auto|always|never", READERS | CLI_EXPORT, apply_progress, FIELD(progress), 0, 0,
      "progress line on stderr (auto: on a terminal)" },
    { "quiet", 'q', NULL, ALL_COMMANDS, apply_flag, FIELD(quiet), 1, 0,
      "errors only: no summary, path or warnings" },
    { "verbose", 'v', NULL, ALL_COMMANDS, apply_count, FIELD(verbose), 0, 0,
      "say more: template used, each request (-vv: HTTP\n"
      "headers, the token hidden)" },
    { "help", 'h', NULL, ALL_COMMANDS, apply_flag, FIELD(help), 1, 0,
      "show this help and exit" },
};

#define OPTION_COUNT (sizeof(option_table) / sizeof(option_table[0]))
#define LONG_ONLY_BASE 256

static void set_defaults(cli_options *options)
{
    memset(options, 0, sizeof(*options));
    options->batch_size = 0;      /* the platform's: api_config.c */
    options->concurrency = 8;
    options->max_attempts = 5;
    options->memory_limit_mib = CLI_MEMORY_LIMIT_MIB;
    options->max_wait_s = 600;
    options->timeout_ms = 30000;
    options->on_conflict = CLI_ON_CONFLICT_SKIP;
    options->notify = -1;
    options->encoding = SL_ENCODING_AUTO;
    options->progress = CLI_PROGRESS_AUTO;
    options->verify_tracking = 1;
    options->settle_seconds = 5;
    options->poll_seconds = 30;
    options->jobs = 4;
}

/* The getopt_long tables built from option_table: "t:o:qvh" and the long options. */
static void build_getopt_tables(char *short_options, struct option *long_options)
{
    size_t used = 0;
    short_options[used++] = ':';   /* report a missing value as ':' */
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        const option_spec *spec = &option_table[i];
        int takes_value = spec->value_name != NULL;
        if (spec->short_name) {
            short_options[used++] = (char)spec->short_name;
            if (takes_value)
                short_options[used++] = ':';
        }
        long_options[i] = (struct option){ spec->long_name,
                                           takes_value ? required_argument : no_argument, NULL,
                                           spec->short_name ? spec->short_name
                                                            : LONG_ONLY_BASE + (int)i };
    }
    short_options[used] = '\0';
    long_options[OPTION_COUNT] = (struct option){ NULL, 0, NULL, 0 };
}

static const option_spec *spec_for(int getopt_value)
{
    if (getopt_value >= LONG_ONLY_BASE && getopt_value < LONG_ONLY_BASE + (int)OPTION_COUNT)
        return &option_table[getopt_value - LONG_ONLY_BASE];
    for (size_t i = 0; i < OPTION_COUNT; i++)
        if (option_table[i].short_name && option_table[i].short_name == getopt_value)
            return &option_table[i];
    return NULL;
}

static int usage_error(const char *command_name, const char *what, const char *option)
{
    fprintf(stderr, "shipload %s: %s %s (see 'shipload %s --help')\n", command_name, what, option,
            command_name);
    return -1;
}

/* ---------------------------------------------------------------- secrets (issue 15)
 *
 * getopt_long takes any unique prefix of a long option, so `--token SECRET` used to be read as
 * `--token-file SECRET` and SECRET printed in the error. Before getopt runs, every long option
 * written is checked here: options whose value is a path, a URL or a secret must be written in
 * full; an unknown option is named without its value; one that looks like a way to give the
 * token says where the token may come from. */

/* Words in an option's value name that make it a path, an address or a secret. */
static const char *const exact_value_words[] = { "FILE", "DIR", "PATH", "URL", "ADDR" };
/* Words in an unknown option's name that suggest a secret was put on the command line. */
static const char *const secret_words[] = { "token", "secret", "password", "passwd", "auth",
                                            "key", "credential" };

static int must_be_written_in_full(const option_spec *spec)
{
    if (!spec->value_name)
        return 0;
    for (size_t i = 0; i < sizeof(exact_value_words) / sizeof(exact_value_words[0]); i++)
        if (strstr(spec->value_name, exact_value_words[i]))
            return 1;
    return 0;
}

static int looks_like_secret(const char *name, size_t len)
{
    char lower[64];
    if (len >= sizeof(lower))
        len = sizeof(lower) - 1;
    for (size_t i = 0; i < len; i++)
        lower[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
    lower[len] = '\0';
    for (size_t i = 0; i < sizeof(secret_words) / sizeof(secret_words[0]); i++)
        if (strstr(lower, secret_words[i]))
            return 1;
    return 0;
}

/* The option named exactly `name` (len bytes, no "--"), or NULL. */
static const option_spec *spec_named(const char *name, size_t len)
{
    for (size_t i = 0; i < OPTION_COUNT; i++)
        if (strlen(option_table[i].long_name) == len &&
            strncmp(option_table[i].long_name, name, len) == 0)
            return &option_table[i];
    return NULL;
}

/* The one option `name` abbreviates, or NULL (none or several). */
static const option_spec *spec_abbreviated(const char *name, size_t len)
{
    const option_spec *found = NULL;
    for (size_t i = 0; i < OPTION_COUNT; i++)
        if (strncmp(option_table[i].long_name, name, len) == 0) {
            if (found)
                return NULL;
            found = &option_table[i];
        }
    return found;
}

/* Checks one "--name[=value]" argument; the value is never printed. Sets *skip_next when the
 * option takes the next argument as its value. */
static int check_long_option(const char *arg, const char *command_name, int *skip_next)
{
    const char *name = arg + 2;
    const char *equals = strchr(name, '=');
    size_t len = equals ? (size_t)(equals - name) : strlen(name);
    const option_spec *spec = spec_named(name, len);
    if (!spec && looks_like_secret(name, len)) {
        fprintf(stderr, "shipload %s: unknown option --%.*s%s: the API token comes from the "
                        "environment ($SHIPLOAD_API_TOKEN) or a file (--token-file FILE), never "
                        "from the command line; secrets for --mail-to and --webhook come from "
                        "files too (see 'shipload %s --help')\n",
                command_name, (int)len, name, equals ? "=..." : "", command_name);
        return -1;
    }
    if (!spec) {
        spec = spec_abbreviated(name, len);
        if (spec && must_be_written_in_full(spec)) {
            fprintf(stderr, "shipload %s: --%.*s: write --%s in full (options that take a path, "
                            "an address or a secret are never abbreviated)\n",
                    command_name, (int)len, name, spec->long_name);
            return -1;
        }
        if (!spec) {
            fprintf(stderr, "shipload %s: unknown option --%.*s (see 'shipload %s --help')\n",
                    command_name, (int)len, name, command_name);
            return -1;
        }
    }
    *skip_next = spec->value_name && !equals;
    return 0;
}

/* Checks every long option before getopt_long sees them (see above). */
static int check_long_options(int argc, char **argv, const char *command_name)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0)
            return 0;
        int skip_next = 0;
        if (strncmp(arg, "--", 2) == 0) {
            if (check_long_option(arg, command_name, &skip_next) != 0)
                return -1;
        } else if (arg[0] == '-' && arg[1]) {
            /* short options: the last one may take the next argument ("-o DIR") */
            size_t last = strlen(arg) - 1;
            for (size_t k = 0; k < OPTION_COUNT; k++)
                if (option_table[k].short_name == arg[last] && option_table[k].value_name &&
                    strchr(arg + 1, arg[last]) == arg + last)
                    skip_next = 1;
        }
        i += skip_next;
    }
    return 0;
}

int cli_options_parse(cli_options *options, int argc, char **argv, unsigned command_bit,
                      const char *command_name)
{
    char short_options[2 * OPTION_COUNT + 2];
    struct option long_options[OPTION_COUNT + 1];
    set_defaults(options);
    if (check_long_options(argc, argv, command_name) != 0)
        return -1;
    build_getopt_tables(short_options, long_options);
    opterr = 0;
    optind = 0;   /* GNU: start over, so parsing twice (tests) works */
    int value;
    while ((value = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
        /* the option as written: "-x" for a short one, else the argument that held it */
        char short_written[3] = { '-', (char)optopt, '\0' };
        const char *written = optopt > 0 && optopt < LONG_ONLY_BASE ? short_written
                                                                     : argv[optind - 1];
        char name_only[64];   /* "--name" of "--name=value": a value is never echoed */
        if (written[0] == '-' && written[1] == '-' && strchr(written, '=')) {
            snprintf(name_only, sizeof(name_only), "%.*s",
                     (int)(strchr(written, '=') - written), written);
            written = name_only;
        }
        if (value == '?')
            return usage_error(command_name, "unknown option", written);
        if (value == ':')
            return usage_error(command_name, "missing value for", written);
        const option_spec *spec = spec_for(value);
        if (!spec)
            return usage_error(command_name, "unknown option", written);
        if (!(spec->commands & command_bit)) {
            fprintf(stderr, "shipload %s: --%s is not an option of %s (see 'shipload %s --help')\n",
                    command_name, spec->long_name, command_name, command_name);
            return -1;
        }
        if (spec->apply(options, spec, optarg ? optarg : "", command_name) != 0)
            return -1;
    }
    options->operands = argv + optind;
    options->operand_count = argc - optind;
    return 0;
}

/* An option's help after its names; a help of several lines ("\n") is indented under the first. */
static void print_option_help(FILE *out, const char *help)
{
    for (;;) {
        const char *end = strchr(help, '\n');
        int len = end ? (int)(end - help) : (int)strlen(help);
        fprintf(out, "%.*s\n", len, help);
        if (!end)
            return;
        help = end + 1;
        fprintf(out, "  %-30s ", "");
    }
}

void cli_options_print_help(FILE *out, unsigned command_bit)
{
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        const option_spec *spec = &option_table[i];
        if (!(spec->commands & command_bit))
            continue;
        char names[64];
        int len = spec->short_name
                      ? snprintf(names, sizeof(names), "-%c, --%s", spec->short_name, spec->long_name)
                      : snprintf(names, sizeof(names), "    --%s", spec->long_name);
        if (spec->value_name && len > 0 && (size_t)len < sizeof(names))
            snprintf(names + len, sizeof(names) - (size_t)len, " %s", spec->value_name);
        if (strlen(names) > 30)
            fprintf(out, "  %s\n  %-30s ", names, "");
        else
            fprintf(out, "  %-30s ", names);
        print_option_help(out, spec->help);
    }
}

int cli_options_show_progress(const cli_options *options)
{
    if (options->progress == CLI_PROGRESS_ALWAYS)
        return 1;
    if (options->progress == CLI_PROGRESS_NEVER || options->quiet)
        return 0;
    return isatty(STDERR_FILENO);
}
