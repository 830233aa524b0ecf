/* import_send.h: the network half of an import for one source's rows, against the platform and
 * API the options name: lookup → match → plan → submit (or, with dry_run, the requests written
 * to requests.jsonl by the same encoder), the request statistics into the report, and the
 * progress line. Rows never attempted are left pending for the caller. Reading the source is
 * source.c's; writing results.csv is the caller's (src/cli/import.c). */
#ifndef SHIPLOAD_ENGINE_IMPORT_SEND_H
#define SHIPLOAD_ENGINE_IMPORT_SEND_H

#include "engine/import_rows.h"
#include "shipload/engine.h"
#include "shipload/error.h"
#include "shipload/report.h"

typedef struct sl_import_outcome {
    int auth_failed;            /* a 401: exit 3 */
    int unreachable;            /* no request got an HTTP answer: exit 3 */
    int interrupted;            /* SIGINT/SIGTERM during the network part */
    int journal_failed;         /* the journal of writes could not be written: nothing more
                                   was sent (exit 3; message says why) */
    sl_code stop_code;          /* the code of the rows left pending (not_attempted):
                                   auth_failed, the transport code of an unreachable API,
                                   interrupted, else run_stopped (also a journal that could
                                   not be written) */
    const char *stop_why;       /* their message ("not sent: ...") */
    char message[600];          /* why, for stderr and summary.json */
} sl_import_outcome;

/* Looks up, matches, plans and submits rows (source_label names the source in messages and on
 * the progress line). Returns 0, or -1 on an internal failure (out of memory, libcurl) with err. */
int sl_engine_import(const sl_engine_options *options, sl_import_rows *rows,
                     sl_report *report, const char *source_label, size_t records_read,
                     sl_import_outcome *outcome, sl_error *err);

#endif
