/* main.c: the shipload binary's entry point. One table of subcommands (name, options mask,
 * usage, summary, description, exit statuses, handler); `--help`, `--version` and
 * `help COMMAND` are answered here and everything else is handed to the subcommand's own
 * file. */
#include <curl/curlver.h>
#include <jansson.h>
#include <libxml/xmlversion.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include <csv.h>
#include "commands.h"
#include "options.h"
#include "shipload/error.h"
#include "shipload/http.h"

typedef struct command_entry {
    const char *name;
    unsigned option_bit;          /* CLI_* */
    int (*run)(int argc, char **argv);
    const char *usage;
    const char *summary;
    const char *description;
    const char *exit_status;      /* the "Exit status:" paragraph of COMMAND --help */
} command_entry;

static const command_entry commands[] = {
    { "import", CLI_IMPORT, cli_import, "[options] SOURCE...",
      "read, match, submit and report: create the fulfillments",
      "Reads each SOURCE like validate, looks up every order once (ids in batches of 50,\n"
      "names one by one), matches rows to packages, groups them into bulk fulfillment\n"
      "requests per order (at most --batch-size each) and sends them concurrently to the\n"
      "store's API (--api-url, else $SHIPLOAD_API_URL, else https://api.ecartapi.com; the\n"
      "token from $SHIPLOAD_API_TOKEN or --token-file, never on the command line).\n"
      "429 answers wait for Retry-After; 5xx answers, resets and timeouts are retried with\n"
      "back-off up to --max-attempts. A write whose outcome is unknown is checked by reading\n"
      "the order back before anything is re-sent. A 401 stops the run; so does SIGINT or\n"
      "SIGTERM, after the requests in flight; rows never sent are not_attempted.\n"
      "Before any source is read, the store's lock is taken and one authenticated read\n"
      "proves the URL and the token (the preflight; see 'shipload check').\n"
      "Writes results.csv, rejects.csv and summary.json (and requests.jsonl with --dry-run,\n"
      "which sends no write). A tracking number on rows of orders that ship to different\n"
      "addresses is never sent (tracking_reused; --allow-shared-tracking sends it).\n"
      "A SOURCE may be an sftp://, ftps:// or https:// URL (read as it\n"
      "downloads; a glob in its last segment takes every matching file). --inbox imports\n"
      "every complete file of a folder once: claimed into processing/, then moved with its\n"
      "reports to done/ or failed/; the same bytes again are not imported again.",
      "Exit status: 0 every record ended in a success status (shipped, updated, canceled,\n"
      "duplicate, skipped, would_*), 1 some did not, 2 usage or configuration error\n"
      "(nothing read or sent; also a preflight answered 404 or a redirect, or http:// to\n"
      "a host that is not loopback), 3 fatal: a source unreadable, truncated or malformed,\n"
      "a refused token (401) or an API that could not be reached, 75 another run holds\n"
      "the store's lock, 130/143 stopped by SIGINT/SIGTERM (reports complete,\n"
      "\"complete\": false). --inbox: the\n"
      "worst of its files'; 75 also an inbox held by another run. On a non-terminal (or\n"
      "with -q) a clean run prints nothing." },
    { "run", CLI_RUN, cli_run, "[options] [STORE...]",
      "import the inboxes of many stores, from one configuration",
      "Reads the stores of a configuration file (shipload-config(5)) and runs each store's\n"
      "inbox as 'shipload import --inbox' with that store's platform, API address, token\n"
      "file, template, notifications and rate limit, in a process of its own: up to --jobs\n"
      "stores at once, one store failing or unreachable never stopping the others. With\n"
      "--watch every store keeps watching its inbox; SIGTERM lets each finish its current\n"
      "file. Secrets stay in the files the configuration names.",
      "Exit status: 0 every store's files imported with every record a success, 1 some\n"
      "records did not succeed, 2 a usage or configuration error (also a store's), 3 a\n"
      "store's file could not be read or its API refused or was unreachable; the worst of\n"
      "the stores'; 75 an inbox held by another run; 130/143 stopped by SIGINT/SIGTERM." },
    { "validate", CLI_VALIDATE, cli_validate, "[options] SOURCE...",
      "read and validate manifests only: no network",
      "Reads each SOURCE (a file, or - for standard input; gzip is detected), maps its\n"
      "records with the template given by -t or detected, validates them, and writes\n"
      "results.csv, rejects.csv and summary.json into the report directory.\n"
      "A tracking number that cannot be one is invalid: a placeholder (N/A, TBD, 0:\n"
      "missing_tracking_number), a number that fits none of its carrier's shapes or was\n"
      "damaged by a spreadsheet (9.4E+21, lost leading zeros: bad_tracking_number); so is\n"
      "a date two template formats read differently (ambiguous_date). A number on several\n"
      "orders is a warning here; import refuses it when they ship to different addresses\n"
      "(tracking_reused). Warnings go to the warning column and summary.json.",
      "Exit status: 0 every record valid or skipped, 1 some invalid, 2 usage or\n"
      "configuration error (nothing read), 3 fatal: a source unreadable, truncated or\n"
      "malformed, or the run interrupted." },
    { "detect", CLI_DETECT, cli_detect, "[options] SOURCE...",
      "name the template that fits each file",
      "Prints 'SOURCE: TEMPLATE' for each SOURCE. A file that no template fits, or that\n"
      "several fit equally, is named on stderr with the candidates.",
      "Exit status: 0 a template named for every SOURCE, 2 none or several fit a file (or\n"
      "it is empty) or a usage error, 3 a file that cannot be read." },
    { "export", CLI_EXPORT, cli_export, "[options]",
      "write the packages still waiting to ship",
      "Reads the store's orders that are not fulfilled and writes one line per package item\n"
      "with a quantity still to ship (not canceled orders; packages not shipped, delivered,\n"
      "canceled or refunded), in the layout of the template's \"export\" section\n"
      "(default generic-csv), to -o FILE (- or none: standard output; FILE.gz: gzip). The\n"
      "file appears under its name only when complete. Fill in tracking_number and carrier\n"
      "and feed it to 'shipload import'.",
      "Exit status: 0 the file was written (also when nothing waits to ship), 2 usage or\n"
      "configuration error (template, --since, token, preflight), 3 the API refused the\n"
      "token, could not be reached or answered badly, or the output could not be written,\n"
      "75 another run holds the store's lock, 130/143 stopped by SIGINT/SIGTERM." },
    { "check", CLI_CHECK, cli_check, "[options]",
      "prove the setup: token, API, template, report dir",
      "Runs what import and export check before they read anything, and says what it\n"
      "found, one line each: the token is found (a --token-file readable by others is a\n"
      "warning), --api-url is https:// (http:// only to loopback or with --allow-http),\n"
      "one authenticated read answers as the store's API (a 404 asks whether --api-url\n"
      "carries the API's path prefix; a redirect is named, never followed), the\n"
      "template given with -t loads, and the report directory (-o, else the current\n"
      "one) is writable with free space. Reads no SOURCE and sends no write.",
      "Exit status: 0 ready (warnings allowed), 2 a configuration error (token, address,\n"
      "404, redirect, template, report directory), 3 the token refused (401) or the API\n"
      "unreachable." },
    { "report", CLI_REPORT, cli_report, "--rebuild DIR [SOURCE]",
      "rebuild an import's reports from its journal",
      "An import keeps a journal of its writes, DIR/journal.jsonl, while it sends them, and\n"
      "removes it once its reports are written. When a run ended without its reports\n"
      "(killed, the machine went down, the disk filled up), --rebuild DIR makes them from\n"
      "that journal: the source it names (or SOURCE) is read again the same way (its\n"
      "SHA-256 must match) and each record gets its journaled outcome; a record sent\n"
      "without a recorded answer is failed (run_stopped: the outcome is unknown; importing\n"
      "again settles it as duplicate); a record never sent is not_attempted (run_stopped).\n"
      "Without the source, from the journal alone: records without a line carry only\n"
      "their number, and the journal is kept. Sends nothing.",
      "Exit status: 0 the reports were rebuilt with every record's values (the journal is\n"
      "removed), 1 rebuilt from the journal alone (the source is gone or changed; the\n"
      "journal is kept), 2 usage error or DIR has no journal, 3 the journal cannot be\n"
      "read or the reports cannot be written, 75 a run is still writing the journal." },
    { "templates", CLI_TEMPLATES, cli_templates, "[list | show NAME]",
      "list the templates, or print one",
      "'list' (the default) prints each template on the search path with its description;\n"
      "'show NAME' prints the template's JSON (NAME may also be a path to a .json file).",
      "Exit status: 0 done, 2 an unknown or broken template or a usage error, 3 a template\n"
      "file that cannot be read." },
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static const command_entry *find_command(const char *name)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

void cli_command_help(FILE *out, const char *command_name)
{
    const command_entry *command = find_command(command_name);
    if (!command)
        return;
    fprintf(out, "Usage: shipload %s %s\n\n%s\n\nOptions:\n", command->name, command->usage,
            command->description);
    cli_options_print_help(out, command->option_bit);
    if (command->option_bit & (CLI_IMPORT | CLI_EXPORT | CLI_CHECK))
        fprintf(out, "\nAn API that never answers ends the run within --max-attempts x --timeout\n"
                     "plus the back-off between attempts: %ld s with the defaults (5 x 30 s).\n",
                (sl_http_give_up_ms(30000, 5) + 999) / 1000);
    fprintf(out, "\n%s\nSee shipload(1).\n", command->exit_status);
}

static void print_help(FILE *out)
{
    fprintf(out, "Usage: shipload COMMAND [options] [SOURCE...]\n\n"
                 "shipload turns carrier shipping manifests (CSV, TSV, XML, gzipped or not) into\n"
                 "e-commerce fulfillments, and reports on every row.\n\nCommands:\n");
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(out, "  %-10s %-22s %s\n", commands[i].name, commands[i].usage,
                commands[i].summary);
    fprintf(out, "\n  shipload --version            print the version\n"
                 "  shipload COMMAND --help       the options of a command (or: help COMMAND)\n\n"
                 "Templates are looked up in $SHIPLOAD_TEMPLATE_PATH, then the installed ones.\n"
                 "import and export reach the store's API at --api-url or $SHIPLOAD_API_URL\n"
                 "(default https://api.ecartapi.com) with the token in $SHIPLOAD_API_TOKEN or\n"
                 "--token-file FILE.\n"
                 "See shipload(1) and shipload-template(5).\n");
}

static void print_version(void)
{
    printf("shipload %s\n", SHIPLOAD_VERSION);
    printf("libraries: libcsv %d.%d.%d, libxml2 %s, libcurl %s, jansson %s, zlib %s\n",
           CSV_MAJOR, CSV_MINOR, CSV_RELEASE, LIBXML_DOTTED_VERSION, LIBCURL_VERSION,
           JANSSON_VERSION, zlibVersion());
}

/* Blocks of 256 KiB and more get pages of their own, given back when freed: glibc would
 * otherwise raise that bound each time such a block is freed (up to 32 MiB), and an import's
 * big arrays freed between stages (the matches, the planning passes' tables) would come back
 * as heap that stays resident (docs/reliability.md, Memory: 30 MB at a million rows). */
static void set_up_allocator(void)
{
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
}

int main(int argc, char **argv)
{
    set_up_allocator();
    if (argc < 2) {
        print_help(stderr);
        return SL_EXIT_USAGE;
    }
    const char *first = argv[1];
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
        print_help(stdout);
        return SL_EXIT_OK;
    }
    if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
        print_version();
        return SL_EXIT_OK;
    }
    if (strcmp(first, "help") == 0) {
        if (argc > 2 && find_command(argv[2])) {
            cli_command_help(stdout, argv[2]);
            return SL_EXIT_OK;
        }
        print_help(argc > 2 ? stderr : stdout);
        return argc > 2 ? SL_EXIT_USAGE : SL_EXIT_OK;
    }
    const command_entry *command = find_command(first);
    if (!command) {
        fprintf(stderr, "shipload: unknown command '%s' (see 'shipload --help')\n", first);
        return SL_EXIT_USAGE;
    }
    return command->run(argc - 1, argv + 1);
}
