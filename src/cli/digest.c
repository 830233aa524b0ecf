/* digest.c: the run digest of digest.h, written with open_memstream. Row values are printed
 * as the report has them (the reasons come from the stages, never the token). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "digest.h"

static void print_counts(FILE *out, const sl_report *report)
{
    const char *separator = "";
    fprintf(out, "  statuses: ");
    for (int status = 0; status < SL_STATUS_COUNT; status++) {
        size_t count = sl_report_status_count(report, (sl_status)status);
        if (count) {
            fprintf(out, "%s%s %zu", separator, sl_status_name((sl_status)status), count);
            separator = ", ";
        }
    }
    fprintf(out, "\n  error codes:");
    separator = " ";
    for (int code = 0; code < SL_CODE_COUNT; code++) {
        size_t count = code == SL_CODE_NONE ? 0 : sl_report_code_count(report, (sl_code)code);
        if (count) {
            fprintf(out, "%s%s %zu", separator, sl_code_name((sl_code)code), count);
            separator = ", ";
        }
    }
    fputc('\n', out);
}

static void print_first_rejects(FILE *out, const sl_import_rows *rows)
{
    size_t shown = 0, failed = 0;
    for (size_t i = 0; i < rows->count; i++) {
        const sl_row *row = &rows->rows[i];
        if (row->status == SL_STATUS_PENDING || sl_status_is_success(row->status))
            continue;
        if (failed++ == 0)
            fprintf(out, "  first rejects:\n");
        if (shown == CLI_DIGEST_FIRST_REJECTS)
            continue;
        shown++;
        fprintf(out, "    line %zu%s%s: %s %s: %.200s\n", (size_t)row->line,
                row->order_ref ? ", order " : "", row->order_ref ? row->order_ref : "",
                sl_status_name(row->status), sl_code_name(row->code),
                row->message ? row->message : "");
    }
    if (failed > shown)
        fprintf(out, "    ... and %zu more in rejects.csv\n", failed - shown);
}

char *cli_digest_build(const char *command, const char *source, const sl_report *report,
                       const sl_import_rows *rows, const char *fatal)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return NULL;
    size_t records = sl_report_rows(report), failures = sl_report_failures(report);
    fprintf(out, "shipload %s: %s: %zu of %zu record%s did not succeed%s%s\n", command, source,
            failures, records, records == 1 ? "" : "s", fatal ? "; the run stopped: " : "",
            fatal ? fatal : "");
    print_counts(out, report);
    if (rows)
        print_first_rejects(out, rows);
    fprintf(out, "  reports: %s (rejects.csv, results.csv, summary.json)\n",
            sl_report_dir(report));
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
