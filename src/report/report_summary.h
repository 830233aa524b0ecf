/* report_summary.h: the run's statistics and summary.json (private to src/report). Counts are
 * taken from the rows as they are added, so the summary always agrees with results.csv. */
#ifndef SHIPLOAD_REPORT_SUMMARY_H
#define SHIPLOAD_REPORT_SUMMARY_H

#include <stdio.h>
#include <time.h>
#include "shipload/error.h"
#include "shipload/report.h"

typedef struct request_tally {
    char *endpoint;             /* "POST /orders/{id}/packages/fulfillments" */
    int http_status;            /* 0: no answer (transport failure) */
    unsigned long count;
} request_tally;

typedef struct report_stats {
    size_t rows;
    size_t status_counts[SL_STATUS_COUNT];
    size_t code_counts[SL_CODE_COUNT];
    size_t warning_counts[SL_WARNING_COUNT];    /* rows per kind, plus source-level ones */
    request_tally *requests;
    size_t request_kinds, request_cap;
    unsigned long retries;
    unsigned long limited_429;  /* 429 answers */
    double settled_per_second;  /* the pace the run settled on; 0: never paced */
    char **notices;             /* source-level messages ("column 'qty' is not read; ...") */
    size_t notice_count;
    time_t started;             /* wall clock, for the timestamp */
    struct timespec started_monotonic;  /* for the duration */
} report_stats;

typedef struct report_summary_context {
    const char *command;
    const char *dir;
    int dry_run;
    const sl_report_input *input;   /* may be NULL */
    const char *fatal_error;        /* NULL when the run read its whole input */
} report_summary_context;

void sl_report_stats_init(report_stats *stats);
void sl_report_stats_free(report_stats *stats);
void sl_report_stats_add_row(report_stats *stats, sl_status status, sl_code code,
                          unsigned warning_kinds);
int sl_report_stats_add_request(report_stats *stats, const char *method, const char *endpoint,
                             int http_status);

/* Lists a source-level message in summary.json's "notices". -1 when out of memory. */
int sl_report_stats_add_notice(report_stats *stats, const char *message);

/* Writes summary.json's content to fp (pretty-printed, keys in a fixed order). */
int sl_report_summary_write(const report_stats *stats, const report_summary_context *context,
                         FILE *fp, sl_error *err);

/* "2026-11-22T16:15:00Z" */
void sl_report_format_utc(time_t when, char out[32]);

#endif
