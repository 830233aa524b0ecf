/* run.h: what the subcommands that write reports (validate, import) share: where a source's
 * reports go, the summary line on stderr, the exit status, SIGINT/SIGTERM noticed as a flag,
 * and the progress line. */
#ifndef SHIPLOAD_CLI_RUN_H
#define SHIPLOAD_CLI_RUN_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include "options.h"
#include "shipload/error.h"
#include "shipload/report.h"
#include "shipload/template.h"

/* The report directory for operands[index] (caller frees). With -o and one source: that
 * directory. With -o and several: DIR/<basename> (DIR/<basename>-2 ... when two sources share
 * a name). Without -o: a new ./shipload-<basename>-<UTC YYYYmmddTHHMMSSZ> (with -2 ... if taken),
 * created here; *created is set so the caller prints its path. "-" is named "stdin". */
char *cli_report_dir(const cli_options *options, char **operands, int operand_count, int index,
                     time_t now, int *created, sl_error *err);

/* Checks made once before any source is read: operands present, at most one "-", and a
 * template given with -t loads. Prints the failure as "shipload COMMAND: ..." and returns
 * SL_EXIT_USAGE, else SL_EXIT_OK. */
int cli_check_sources(const cli_options *options, const char *command);

/* Opens the report of operands[index] (cli_report_dir), printing the directory's path on
 * standard output when it was made here (not with -q). store_url (the API's address, shown
 * without credentials) and platform (its name) are for the reports people read; NULL for
 * validate. NULL with err set on failure. */
sl_report *cli_report_open(const cli_options *options, int index, const char *command,
                           int dry_run, const char *store_url, const char *platform,
                           sl_error *err);

/* "validate: 12 records: 10 valid, 1 invalid, 1 skipped; reports in DIR". The statuses in
 * `always` are listed even when 0; any other status with rows follows. */
void cli_print_summary_line(FILE *out, const char *command, const sl_report *report,
                            const sl_status *always, size_t always_count);

/* Exit status of one source: fatal 3, else 1 if a row did not succeed, else 0. */
int cli_report_exit_status(const sl_report *report, int fatal);
/* The worse of two exit statuses (3 > 2 > 1 > 0). */
int cli_exit_worst(int a, int b);

/* SIGINT and SIGTERM set a flag instead of killing the process, so the run can write its
 * reports; a second signal kills as usual. */
void cli_interrupt_install(void);
int cli_interrupted(void);   /* the signal number, or 0 */

/* A progress line on stderr ("validate: FILE: 120000 records"), redrawn at most 4 times a
 * second on a terminal, once every 5 seconds elsewhere. */
typedef struct cli_progress_line {
    int enabled, on_terminal, drawn;
    const char *label;
    struct timespec last;
} cli_progress_line;

void cli_progress_start(cli_progress_line *progress, int enabled, const char *label);
void cli_progress_update(cli_progress_line *progress, size_t records);
void cli_progress_finish(cli_progress_line *progress);

#endif
