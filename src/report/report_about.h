/* report_about.h: what the reports people read say about the run besides its rows (private to
 * src/report): the summary's context and counts, the store and platform, the times. */
#ifndef SHIPLOAD_REPORT_ABOUT_H
#define SHIPLOAD_REPORT_ABOUT_H

#include "report_summary.h"

typedef struct report_about {
    const report_stats *stats;
    const report_summary_context *context;
    const char *store;          /* the API's address without credentials; NULL for validate */
    const char *platform;       /* NULL for validate */
    char started[32], finished[32];   /* "2026-11-22T16:15:00Z" */
    double seconds;             /* wall time */
} report_about;

#endif
