/* digest.h: the short account of a run that did not fully succeed (issue 15): what cron mails
 * and what --mail-to sends. Counts per status and per error code, the first rejects with their
 * line and reason, and where the reports are. Builds text; prints and sends nothing. */
#ifndef SHIPLOAD_CLI_DIGEST_H
#define SHIPLOAD_CLI_DIGEST_H

#include "engine/import_rows.h"
#include "shipload/report.h"

#define CLI_DIGEST_FIRST_REJECTS 10

/* A new NUL-terminated text (caller frees), or NULL when out of memory. `rows` may be NULL
 * (then no reject is listed); `fatal` is the run's fatal cause or NULL. */
char *cli_digest_build(const char *command, const char *source, const sl_report *report,
                       const sl_import_rows *rows, const char *fatal);

#endif
