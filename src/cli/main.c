/* main.c: the shipload binary's entry point. One table of subcommands (name, options mask,
 * usage, summary, handler); `--help`, `--version` and `help COMMAND` are answered here and
 * everything else is handed to the subcommand's own file. */
#include <curl/curlver.h>
#include <jansson.h>
#include <libxml/xmlversion.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include <csv.h>
#include "commands.h"
#include "options.h"
#include "shipload/error.h"

typedef struct command_entry {
    const char *name;
    unsigned option_bit;          /* CLI_* */
    int (*run)(int argc, char **argv);
    const char *usage;
    const char *summary;
    const char *description;
} command_entry;

static const command_entry commands[] = {
    { "import", CLI_IMPORT, cli_import, "[options] SOURCE...",
      "read, match, submit and report: create the fulfillments",
      "Reads each SOURCE like validate, looks up every order once (ids in batches of 50,\n"
      "names one by one), matches rows to packages, groups them into bulk fulfillment\n"
      "requests per order and sends them concurrently to the store's API (--api-url or\n"
      "$SHIPLOAD_API_URL; token from $SHIPLOAD_API_TOKEN or --token-file). A write whose\n"
      "answer is lost is checked by reading the order back before anything is re-sent.\n"
      "Writes results.csv, rejects.csv and summary.json (and requests.jsonl with --dry-run,\n"
      "which sends no write). A 401 stops the run (exit 3)." },
    { "validate", CLI_VALIDATE, cli_validate, "[options] SOURCE...",
      "read and validate manifests only: no network",
      "Reads each SOURCE (a file, or - for standard input; gzip is detected), maps its\n"
      "records with the template given by -t or detected, validates them, and writes\n"
      "results.csv, rejects.csv and summary.json into the report directory." },
    { "detect", CLI_DETECT, cli_detect, "[options] SOURCE...",
      "name the template that fits each file",
      "Prints 'SOURCE: TEMPLATE' for each SOURCE. A file that no template fits, or that\n"
      "several fit equally, is named on stderr with the candidates." },
    { "export", CLI_EXPORT, cli_export, "[options]",
      "write the packages still waiting to ship",
      "Reads the store's orders that are not fulfilled and writes one line per package item\n"
      "with a quantity still to ship (not canceled orders; packages not shipped, delivered,\n"
      "canceled or refunded), in the layout of the template's \"export\" section\n"
      "(default generic-csv), to -o FILE (- or none: standard output; FILE.gz: gzip). The\n"
      "file appears under its name only when complete. Fill in tracking_number and carrier\n"
      "and feed it to 'shipload import'." },
    { "templates", CLI_TEMPLATES, cli_templates, "[list | show NAME]",
      "list the templates, or print one",
      "'list' (the default) prints each template on the search path with its description;\n"
      "'show NAME' prints the template's JSON (NAME may also be a path to a .json file)." },
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
    fprintf(out, "\nExit status: 0 every record succeeded, 1 some did not, 2 usage or\n"
                 "configuration error, 3 fatal (unreadable source, truncated or malformed\n"
                 "input; for import also a refused token or an unreachable API).\n"
                 "See shipload(1).\n");
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
                 "  shipload COMMAND --help       the options of a command\n\n"
                 "Templates are looked up in $SHIPLOAD_TEMPLATE_PATH, then the installed ones.\n"
                 "See shipload(1) and shipload-template(5).\n");
}

static void print_version(void)
{
    printf("shipload %s\n", SHIPLOAD_VERSION);
    printf("libraries: libcsv %d.%d.%d, libxml2 %s, libcurl %s, jansson %s, zlib %s\n",
           CSV_MAJOR, CSV_MINOR, CSV_RELEASE, LIBXML_DOTTED_VERSION, LIBCURL_VERSION,
           JANSSON_VERSION, zlibVersion());
}

int main(int argc, char **argv)
{
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
        if (strcmp(first, "import") == 0 || strcmp(first, "export") == 0)
            fprintf(stderr, "shipload: '%s' is not available in this version yet\n", first);
        else
            fprintf(stderr, "shipload: unknown command '%s' (see 'shipload --help')\n", first);
        return SL_EXIT_USAGE;
    }
    return command->run(argc - 1, argv + 1);
}
