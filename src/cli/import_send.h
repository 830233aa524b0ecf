/* import_send.h: the network half of `shipload import` for one source's rows, against the API
 * that api_config.h found: lookup → match → plan →
 * submit (or, with --dry-run, the requests written to requests.jsonl), the request statistics
 * into the report, and the progress line. Rows never attempted are left pending for the
 * caller. Reading the source and writing results.csv are import.c's. */
#ifndef SHIPLOAD_CLI_IMPORT_SEND_H
#define SHIPLOAD_CLI_IMPORT_SEND_H

#include "api_config.h"
#include "import_rows.h"
#include "options.h"
#include "shipload/error.h"
#include "shipload/report.h"

typedef struct import_outcome {
    int auth_failed;            /* a 401: exit 3 */
    int unreachable;            /* no request got an HTTP answer: exit 3 */
    int interrupted;            /* SIGINT/SIGTERM during the network part */
    sl_code stop_code;          /* the code of the rows left pending (not_attempted):
                                   auth_failed, the transport code of an unreachable API,
                                   interrupted, else run_stopped */
    const char *stop_why;       /* their message ("not sent: ...") */
    char message[600];          /* why, for stderr and summary.json */
} import_outcome;

/* Looks up, matches, plans and submits rows (source_label names the source in messages and on
 * the progress line). Returns 0, or -1 on an internal failure (out of memory, libcurl) with err. */
int import_send(const cli_options *options, const cli_api_config *api, import_rows *rows,
                sl_report *report, const char *source_label, size_t records_read,
                import_outcome *outcome, sl_error *err);

#endif
