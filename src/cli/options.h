/* options.h: the command line options shared by the subcommands (spec §9), parsed with
 * getopt_long from one table that also says which subcommands take each option and writes the
 * option part of --help. Parsing checks values (numbers, enumerations, encodings); what an option
 * means is up to the subcommand that reads the struct. */
#ifndef SHIPLOAD_CLI_OPTIONS_H
#define SHIPLOAD_CLI_OPTIONS_H

#include <stddef.h>
#include <stdio.h>
#include "shipload/input.h"

/* Which subcommands take an option (a mask). */
enum {
    CLI_IMPORT = 1 << 0,
    CLI_VALIDATE = 1 << 1,
    CLI_EXPORT = 1 << 2,
    CLI_DETECT = 1 << 3,
    CLI_TEMPLATES = 1 << 4,
    CLI_CHECK = 1 << 5,
    CLI_RUN = 1 << 6,
    CLI_REPORT = 1 << 7
};

typedef enum cli_on_conflict {
    CLI_ON_CONFLICT_SKIP = 0,     /* report `conflict`, send nothing (default) */
    CLI_ON_CONFLICT_UPDATE,       /* update the fulfillment's tracking (PUT) */
    CLI_ON_CONFLICT_FAIL          /* stop the run */
} cli_on_conflict;

typedef enum cli_notify_when {
    CLI_NOTIFY_WHEN_FAILURE = 0,  /* notify when the run did not end with exit 0 (default) */
    CLI_NOTIFY_WHEN_ALWAYS
} cli_notify_when;

typedef enum cli_progress {
    CLI_PROGRESS_AUTO = 0,        /* a progress line when stderr is a terminal and not -q */
    CLI_PROGRESS_ALWAYS,
    CLI_PROGRESS_NEVER
} cli_progress;

#define CLI_MAX_DATE_FORMATS 16
#define CLI_MEMORY_LIMIT_MIB 1024L   /* --memory-limit's default */

typedef struct cli_options {
    const char *template_name;    /* -t/--template NAME|PATH; NULL: detect */
    const char *platform_name;    /* --platform; NULL: $SHIPLOAD_PLATFORM, else ecart */
    const char *api_url;          /* --api-url; NULL: $SHIPLOAD_API_URL */
    const char *shop;             /* --shop NAME|DOMAIN (Shoplazza); NULL: $SHIPLOAD_SHOP */
    const char *token_file;       /* --token-file; NULL: $SHIPLOAD_API_TOKEN */
    const char *report_dir;       /* -o/--report-dir (for export: the output file) */
    int dry_run;                  /* --dry-run */
    long batch_size;              /* --batch-size; 0: the platform's maximum (api_config.c) */
    long concurrency;             /* --concurrency, default 8 */
    long max_attempts;            /* --max-attempts, default 5 */
    long max_wait_s;              /* --max-wait SECONDS of nothing but 429s, default 600 */
    long memory_limit_mib;        /* --memory-limit MIB: rows an import holds, default 1024 */
    long timeout_ms;              /* --timeout SECONDS (decimals allowed), default 30 s */
    cli_on_conflict on_conflict;  /* --on-conflict=skip|update|fail */
    const char *fulfillment_status; /* --fulfillment-status STATUS as given; NULL: none */
    int notify;                   /* --notify 1, --no-notify 0, -1 not given */
    const char *encoding_name;    /* --encoding as given, NULL when not given */
    sl_encoding encoding;         /* parsed --encoding, SL_ENCODING_AUTO when not given */
    const char *date_formats[CLI_MAX_DATE_FORMATS]; /* --date-format, repeatable */
    size_t date_format_count;
    cli_progress progress;        /* --progress=auto|always|never */
    int excel;                    /* --excel: UTF-8 BOM on results.csv */
    unsigned report_formats;      /* --report-format: SL_REPORT_* mask, 0 = all */
    int strict;                   /* --strict: a warning about the source's columns is exit 2 */
    const char *sheet;            /* --sheet NAME: the workbook's sheet (default: the first) */
    int verify_tracking;          /* 1 unless --no-verify-tracking */
    int allow_shared_tracking;    /* --allow-shared-tracking: one tracking number may be on
                                     orders that ship to different addresses */
    int quiet;                    /* -q */
    int verbose;                  /* -v, repeatable */
    int help;                     /* -h/--help */
    /* export (spec §12) */
    const char *since;            /* --since DATE: orders updated on or after it */
    const char *location;         /* --location ID: packages of that location only */
    const char *package_status;   /* --status LIST: package statuses (comma-separated) */
    const char *order_status;     /* --order-status LIST: order statuses (comma-separated) */
    /* nightly operations (issue 15) */
    int allow_http;               /* --allow-http: plain http:// to a host that is not loopback */
    int no_preflight;             /* --no-preflight: skip the probe read (the address check stays) */
    long wait_lock_s;             /* --wait-lock SECONDS: wait for another run of the store */
    const char *mail_to;          /* --mail-to ADDR: mail the digest and rejects.csv */
    const char *mail_credentials; /* --mail-credentials FILE: "user:password" for SMTP */
    const char *webhook_url;      /* --webhook URL: POST summary.json */
    const char *webhook_secret;   /* --webhook-secret-file FILE: HMAC-SHA256 key */
    cli_notify_when notify_when;  /* --notify-when failure|always */
    /* remote sources (sftp://, ftps://, https://) */
    const char *ssh_key;          /* --ssh-key FILE */
    const char *known_hosts;      /* --known-hosts FILE; NULL: ~/.ssh/known_hosts */
    int accept_new_host_key;      /* --accept-new-host-key */
    const char *cacert;           /* --cacert FILE */
    const char *header_file;      /* --header-file FILE */
    /* inboxes (import --inbox) and many stores (run) */
    const char *inbox;            /* --inbox DIR|URL */
    long settle_seconds;          /* --settle SECONDS, default 5 */
    int watch;                    /* --watch */
    long poll_seconds;            /* --poll SECONDS (remote inboxes), default 30 */
    const char *config_file;      /* run --config FILE */
    long jobs;                    /* run --jobs N, default 4 */
    long rate_limit;              /* --rate-limit N requests per second; 0: none */
    const char *rebuild;          /* report --rebuild DIR: the run's directory */

    char **operands;              /* SOURCE... (or NAME for templates), borrowed from argv */
    int operand_count;
} cli_options;

/* Parses argv[1..] (argv[0] is the subcommand) for the command `command_bit` named
 * `command_name`. On a usage error prints "shipload COMMAND: ..." to stderr and returns -1. */
int cli_options_parse(cli_options *options, int argc, char **argv, unsigned command_bit,
                      const char *command_name);

/* Prints the options that `command_bit` takes, one per line, for --help. */
void cli_options_print_help(FILE *out, unsigned command_bit);

/* Whether a progress line should be drawn on stderr. */
int cli_options_show_progress(const cli_options *options);

#endif
