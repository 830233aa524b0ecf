/* report.h: the run's reports (spec §8): results.csv (one line per record, input order, with
 * the row's warnings in a `warning` column after http_status),
 * rejects.csv (non-success records in the input's own columns and delimiter, plus
 * error_code,error_message), results.xlsx and report.html for people (chosen with
 * sl_report_options.formats), summary.json, and requests.jsonl for dry runs. Files are written
 * under temporary names and renamed by sl_report_close(). Counts per status and code are kept
 * here, from the rows added, so the summary always agrees with results.csv. */
#ifndef SHIPLOAD_REPORT_H
#define SHIPLOAD_REPORT_H

#include <stddef.h>
#include "shipload/error.h"
#include "shipload/record.h"
#include "shipload/row.h"

typedef struct sl_report sl_report;

/* The reports besides summary.json (always written), for --report-format. */
enum {
    SL_REPORT_CSV = 1 << 0,     /* results.csv and rejects.csv */
    SL_REPORT_XLSX = 1 << 1,    /* results.xlsx: Summary, Results, Rejects */
    SL_REPORT_HTML = 1 << 2,    /* report.html */
    SL_REPORT_ALL = SL_REPORT_CSV | SL_REPORT_XLSX | SL_REPORT_HTML
};

typedef struct sl_report_options {
    const char *dir;            /* the run's directory: created if missing */
    const char *command;        /* "import", "validate" */
    int excel_bom;              /* --excel: UTF-8 BOM at the start of results.csv */
    int dry_run;                /* also write requests.jsonl */
    unsigned formats;           /* SL_REPORT_* mask; 0 means SL_REPORT_ALL */
    const char *store;          /* shown in report.html and results.xlsx (never a token) */
    const char *platform;
} sl_report_options;

typedef struct sl_report_input {
    const char *name;           /* the source as given */
    unsigned long long size;    /* raw bytes */
    const char *sha256_hex;
    const char *template_name;
} sl_report_input;

sl_report *sl_report_open(const sl_report_options *options, sl_error *err);

/* Sets the rejects.csv columns and delimiter from the input. Call before the first row; may be
 * skipped when the input had no records (rows added without it get generic-csv's columns).
 * rejects.csv starts with the input's header row plus error_code,error_message (a header that
 * already has both, as a rejects.csv fed back in does, has them overwritten, not repeated).
 * Headerless input (header->names NULL) gets no header row, as the input had none, so the file
 * re-imports with the same template; error_code,error_message are the last two columns.
 * Returns -1 if called twice or after close. */
int sl_report_set_input_columns(sl_report *report, const sl_header *header, char delimiter);

/* Starts rejects.csv with a UTF-8 byte-order mark. For an input that was not UTF-8
 * (Windows-1252, UTF-16, ...): its rejects.csv is UTF-8, and the BOM makes the reader take it
 * as UTF-8 when it is fed back, whatever encoding its template names. Call before
 * sl_report_set_input_columns and the first row; returns -1 if called later or twice. */
int sl_report_mark_rejects_utf8(sl_report *report);

/* Appends a row to results.csv (and to rejects.csv with its raw record when not a success).
 * raw may be NULL (then rejects.csv gets the canonical values it can, in the columns named like
 * generic-csv's). results.csv cells carry the formula guard; rejects.csv keeps the input's values
 * unchanged (only the error columns are guarded). Invalid UTF-8 is shown as U+FFFD in both. */
int sl_report_add(sl_report *report, const sl_row *row, const sl_record *raw, sl_error *err);

/* Statistics for summary.json that the report cannot see in the rows. */
void sl_report_count_request(sl_report *report, const char *method, const char *endpoint,
                             int http_status);   /* endpoint like "POST /orders/{id}/packages/fulfillments" */
void sl_report_count_retries(sl_report *report, unsigned long retries);
/* The pace of a client: its 429 answers (added up over the run's clients) and the rate it
 * settled on in requests per second (0: never paced; the last non-zero one is kept):
 * summary.json's "rate": {"limited_429": n, "settled_per_second": x | null}. */
void sl_report_count_rate(sl_report *report, unsigned long limited_429, double settled);
/* A source-level warning (a column the template does not read, ...) for summary.json's
 * "warnings": counted with the rows' warnings of the same kind (each row counts once per
 * kind it has). */
void sl_report_count_warning(sl_report *report, sl_warning kind, size_t count);
size_t sl_report_warning_count(const sl_report *report, sl_warning kind);
/* A source-level message for summary.json's "notices" ("column 'qty' is not read; ..."); its
 * kind is counted with sl_report_count_warning. -1 when out of memory. */
int sl_report_add_notice(sl_report *report, const char *message);
/* A request a dry run would send: one JSON line. body may be NULL. */
int sl_report_dry_request(sl_report *report, const char *method, const char *path,
                          const char *json_body, sl_error *err);

/* Reserves bytes in the report directory (a hidden file whose blocks are allocated, created
 * O_EXCL|O_NOFOLLOW under a random name) so that the reports can still be written when the
 * disk fills up meanwhile: an import calls it before its first write to the store, and sends
 * nothing when it fails (the directory is not writable, or has no room: err names the
 * directory and the cause, e.g. ENOSPC). The reserve is given back when the reports are written
 * (sl_report_release_reserve, or sl_report_close at the latest). */
int sl_report_reserve(sl_report *report, unsigned long long bytes, sl_error *err);
void sl_report_release_reserve(sl_report *report);

/* Marks the run as cut short (truncated gzip, malformed XML, interrupted): summary.json then says
 * "complete": false and "error": message. The rows added so far are still reported. */
void sl_report_set_fatal(sl_report *report, const char *message);

/* Writes summary.json and renames every file into place (summary.json last). Adds the input's
 * metadata (input may be NULL). Safe to call from the main flow after a signal set a flag (not
 * from the signal handler itself). A second call does nothing. */
int sl_report_close(sl_report *report, const sl_report_input *input, sl_error *err);

/* Counts so far (for the exit status and the summary line on stderr). */
size_t sl_report_rows(const sl_report *report);
size_t sl_report_status_count(const sl_report *report, sl_status status);
size_t sl_report_code_count(const sl_report *report, sl_code code);
size_t sl_report_failures(const sl_report *report);   /* rows not in a success status */
const char *sl_report_dir(const sl_report *report);

/* Frees without renaming (temporary files removed). Safe after close. */
void sl_report_free(sl_report *report);

#endif
