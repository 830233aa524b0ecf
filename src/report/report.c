/* report.c: the run's reports (include/shipload/report.h): results.csv, rejects.csv,
 * results.xlsx, report.html, requests.jsonl (dry runs) and summary.json in one directory, each
 * written under a temporary name and renamed by sl_report_close(). Which CSV columns go where is
 * decided here; CSV cells (quoting, formula guard, U+FFFD) are report_csv.c's, the spreadsheet
 * report_xlsx.c's, the web page report_html.c's, files report_fs.c's, counts and the summary
 * report_summary.c's. Every report is fed each row as it is added. Nothing here prints. */
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "shipload/report.h"
#include "shipload/validate.h"
#include "report_csv.h"
#include "report_fs.h"
#include "report_html.h"
#include "report_summary.h"
#include "report_xlsx.h"

#define WRITE_BEHIND_ROWS 1024   /* results.csv's write-back is looked at once per so many rows */

static const char *const results_columns[] = {
    "record", "line", "order_ref", "order_id", "fulfillment_order_id", "sku", "quantity",
    "tracking_number", "carrier", "status", "error_code", "error_message", "fulfillment_id",
    "http_status", "warning", "order_name", "ship_date", "tracking_url", "notified"
};

struct sl_report {
    char *dir;
    char *command;
    char *store, *platform;
    int dry_run;
    int csv;                    /* results.csv and rejects.csv are written */
    report_xlsx *xlsx;          /* NULL when not chosen */
    report_html *html;          /* NULL when not chosen */
    report_file results_file, rejects_file, requests_file;
    report_file reserve;        /* space kept for the reports while the store is written */
    sl_csv_out results, rejects;
    report_stats stats;

    /* rejects.csv layout, from the input (sl_report_set_input_columns) */
    int columns_set;
    int headerless;
    size_t column_count;
    char **column_names;        /* NULL when headerless */
    size_t error_code_column, error_message_column;  /* the input's own, or SIZE_MAX */

    char *tracking_joined;      /* reused buffer for the tracking_number cell */
    size_t tracking_cap;
    char *fatal_error;
    char lost[400];             /* the reports that could not be written, and why */
    int rejects_bom_written;
    int closed;
};

/* ---------------------------------------------------------------- helpers */

static int write_failed(report_file *file, sl_error *err)
{
    return sl_error_set(err, "cannot write %s: %s", file->final_path,
                        errno ? strerror(errno) : "write error");
}

/* Keeps "NAME (why)" among the reports that could not be written. */
static void note_lost(sl_report *report, const char *name, const char *why)
{
    size_t used = strlen(report->lost);
    snprintf(report->lost + used, sizeof(report->lost) - used, "%s%s (%s)", used ? ", " : "",
             name, why);
}

/* A report that cannot be completed (disk full, I/O error): its temporary file goes at once
 * (freeing its space for the others), it is never renamed into place, and the loss is kept
 * for the message and summary.json. The other reports go on. */
static void lose_file(sl_report *report, report_file *file, const char *name, int error)
{
    if (!error)
        error = file->error ? file->error : errno ? errno : EIO;
    sl_report_file_discard(file);
    char why[128];
    note_lost(report, name, sl_report_errno_text(error, why, sizeof(why)));
}

/* The same for results.xlsx or report.html (whose object the caller frees): the cause. */
static void lose_report(sl_report *report, const char *name)
{
    char why[128];
    note_lost(report, name, sl_report_errno_text(errno ? errno : EIO, why, sizeof(why)));
}

static const char *join_tracking(sl_report *report, const sl_row *row)
{
    if (row->tracking_count == 1 && row->tracking_numbers[0])
        return row->tracking_numbers[0];   /* the usual row: nothing to join */
    size_t need = 1;
    for (size_t i = 0; i < row->tracking_count; i++)
        need += strlen(row->tracking_numbers[i] ? row->tracking_numbers[i] : "") + 1;
    if (need > report->tracking_cap) {
        char *grown = realloc(report->tracking_joined, need);
        if (!grown)
            return NULL;
        report->tracking_joined = grown;
        report->tracking_cap = need;
    }
    size_t used = 0;
    report->tracking_joined[0] = '\0';
    for (size_t i = 0; i < row->tracking_count; i++) {
        const char *number = row->tracking_numbers[i] ? row->tracking_numbers[i] : "";
        if (i)
            report->tracking_joined[used++] = ';';
        size_t len = strlen(number);
        memcpy(report->tracking_joined + used, number, len);
        used += len;
    }
    report->tracking_joined[used] = '\0';
    return report->tracking_joined;
}

/* ---------------------------------------------------------------- open */

static int write_results_header(sl_report *report, int excel_bom)
{
    if (excel_bom && fputs("\xEF\xBB\xBF", report->results_file.fp) == EOF)
        return -1;
    sl_csv_out_begin(&report->results);
    for (size_t i = 0; i < sizeof(results_columns) / sizeof(results_columns[0]); i++)
        if (sl_csv_out_text(&report->results, results_columns[i], CSV_RAW) != 0)
            return -1;
    return sl_csv_out_end(&report->results);
}

static int open_files(sl_report *report, const sl_report_options *options, sl_error *err)
{
    unsigned formats = options->formats ? options->formats : SL_REPORT_ALL;
    report->csv = (formats & SL_REPORT_CSV) != 0;
    if ((report->csv &&
         (sl_report_file_open(&report->results_file, report->dir, "results.csv", err) != 0 ||
          sl_report_file_open(&report->rejects_file, report->dir, "rejects.csv", err) != 0)) ||
        (report->dry_run &&
         sl_report_file_open(&report->requests_file, report->dir, "requests.jsonl", err) != 0))
        return -1;
    sl_csv_out_init(&report->results, report->results_file.fp, ',');
    sl_csv_out_init(&report->rejects, report->rejects_file.fp, ',');
    if (report->csv && write_results_header(report, options->excel_bom) != 0)
        return write_failed(&report->results_file, err);
    if ((formats & SL_REPORT_XLSX) && !(report->xlsx = sl_report_xlsx_open(report->dir, err)))
        return -1;
    if ((formats & SL_REPORT_HTML) && !(report->html = sl_report_html_open(report->dir, err)))
        return -1;
    return 0;
}

sl_report *sl_report_open(const sl_report_options *options, sl_error *err)
{
    if (!options || !options->dir || !options->dir[0]) {
        sl_error_set(err, "no report directory given");
        return NULL;
    }
    if (sl_report_mkdir_p(options->dir, err) != 0)
        return NULL;
    sl_report *report = calloc(1, sizeof(*report));
    if (!report) {
        sl_error_set(err, "out of memory");
        return NULL;
    }
    sl_report_stats_init(&report->stats);
    report->error_code_column = report->error_message_column = SIZE_MAX;
    report->dry_run = options->dry_run;
    report->dir = strdup(options->dir);
    report->command = strdup(options->command ? options->command : "");
    if (!report->dir || !report->command) {
        sl_error_set(err, "out of memory");
        goto fail;
    }
    if ((options->store && !(report->store = strdup(options->store))) ||
        (options->platform && !(report->platform = strdup(options->platform)))) {
        sl_error_set(err, "out of memory");
        goto fail;
    }
    if (open_files(report, options, err) != 0)
        goto fail;
    return report;
fail:
    sl_report_free(report);
    return NULL;
}

/* ---------------------------------------------------------------- rejects.csv layout */

/* The layout used when the caller never said what the input's columns are: generic-csv's. */
static const char *const generic_columns[] = {
    "order_number", "package_id", "sku", "quantity", "tracking_number", "carrier",
    "tracking_url", "ship_date", "notify_customer", "action"
};

static int store_column_names(sl_report *report, const char *const *names, size_t count)
{
    report->column_names = calloc(count ? count : 1, sizeof(char *));
    if (!report->column_names)
        return -1;
    report->column_count = count;
    for (size_t i = 0; i < count; i++) {
        report->column_names[i] = strdup(names[i] ? names[i] : "");
        if (!report->column_names[i])
            return -1;
        /* a rejects.csv fed back in already has these: they are overwritten, not added again */
        if (strcasecmp(report->column_names[i], "error_code") == 0)
            report->error_code_column = i;
        else if (strcasecmp(report->column_names[i], "error_message") == 0)
            report->error_message_column = i;
    }
    if (report->error_code_column == SIZE_MAX || report->error_message_column == SIZE_MAX)
        report->error_code_column = report->error_message_column = SIZE_MAX;
    return 0;
}

static int own_error_columns(const sl_report *report)
{
    return report->error_code_column != SIZE_MAX;
}

static int write_rejects_header(sl_report *report)
{
    if (report->headerless)
        return 0;
    sl_csv_out_begin(&report->rejects);
    for (size_t i = 0; i < report->column_count; i++)
        if (sl_csv_out_text(&report->rejects, report->column_names[i], CSV_RAW) != 0)
            return -1;
    if (!own_error_columns(report) &&
        (sl_csv_out_text(&report->rejects, "error_code", CSV_RAW) != 0 ||
         sl_csv_out_text(&report->rejects, "error_message", CSV_RAW) != 0))
        return -1;
    return sl_csv_out_end(&report->rejects);
}

int sl_report_set_input_columns(sl_report *report, const sl_header *header, char delimiter)
{
    if (report->columns_set || report->closed)
        return -1;
    report->columns_set = 1;
    if (!report->csv)
        return 0;
    sl_csv_out_set_delimiter(&report->rejects, delimiter);
    size_t count = header ? header->count : 0;
    if (header && !header->names) {
        report->headerless = 1;
        report->column_count = count;
        return 0;
    }
    if (store_column_names(report, header ? (const char *const *)header->names : NULL, count) != 0)
        return -1;
    return write_rejects_header(report);
}

int sl_report_mark_rejects_utf8(sl_report *report)
{
    if (report->columns_set || report->closed || report->rejects_bom_written ||
        report->stats.rows > 0)
        return -1;
    report->rejects_bom_written = 1;
    if (!report->csv)
        return 0;
    return fputs("\xEF\xBB\xBF", report->rejects_file.fp) == EOF ? -1 : 0;
}

static int use_generic_columns(sl_report *report)
{
    report->columns_set = 1;
    sl_csv_out_set_delimiter(&report->rejects, ',');
    if (store_column_names(report, generic_columns,
                           sizeof(generic_columns) / sizeof(generic_columns[0])) != 0)
        return -1;
    return write_rejects_header(report);
}

/* ---------------------------------------------------------------- rows */

/* When no raw record is given, the canonical value that a column of this name holds: a string
 * of the row, of its repeating columns or of its extra (sl_row_part). */
static const char *canonical_value(sl_report *report, const sl_row *row, const char *column)
{
    static const struct { const char *column; size_t offset; sl_row_part in; } by_name[] = {
        { "order_number", offsetof(sl_row, order_ref), SL_ROW_PART_ROW },
        { "order_id", offsetof(sl_row, order_ref), SL_ROW_PART_ROW },
        { "order_ref", offsetof(sl_row, order_ref), SL_ROW_PART_ROW },
        { "package_id", offsetof(sl_row, package_ref), SL_ROW_PART_ROW },
        { "line_item_id", offsetof(sl_row_extra, line_item_id), SL_ROW_PART_EXTRA },
        { "sku", offsetof(sl_row, sku), SL_ROW_PART_ROW },
        { "quantity", offsetof(sl_row_columns, quantity_text), SL_ROW_PART_COLUMNS },
        { "carrier", offsetof(sl_row, carrier), SL_ROW_PART_ROW },
        { "ship_date", offsetof(sl_row_columns, ship_date_text), SL_ROW_PART_COLUMNS },
        { "notify_customer", offsetof(sl_row_columns, notify_text), SL_ROW_PART_COLUMNS },
        { "action", offsetof(sl_row_columns, action_text), SL_ROW_PART_COLUMNS },
        { "fulfillment_status", offsetof(sl_row_columns, fulfillment_status), SL_ROW_PART_COLUMNS },
    };
    if (!column)
        return NULL;
    if (strcasecmp(column, "tracking_number") == 0)
        return join_tracking(report, row);
    for (size_t i = 0; i < sizeof(by_name) / sizeof(by_name[0]); i++)
        if (strcasecmp(column, by_name[i].column) == 0) {
            return sl_row_part_text(row, by_name[i].in, by_name[i].offset);
        }
    return NULL;
}

/* The row's tracking URL as a cell: the one given, or the derived one built for the cell. */
static int write_tracking_url(sl_csv_out *out, const sl_row *row, csv_guard guard)
{
    sl_row_url room;
    int rc = sl_csv_out_text(out, sl_row_tracking_url(row, &room), guard);
    sl_row_url_free(&room);
    return rc;
}

static int write_reject_cell(sl_report *report, const sl_row *row, const sl_record *raw,
                             size_t column)
{
    if (column == report->error_code_column)
        return sl_csv_out_text(&report->rejects, sl_code_name(row->code), CSV_GUARDED);
    if (column == report->error_message_column)
        return sl_csv_out_text(&report->rejects, row->message, CSV_GUARDED);
    if (raw)
        return column < raw->field_count
                   ? sl_csv_out_cell(&report->rejects, raw->fields[column], raw->lengths[column], CSV_RAW)
                   : sl_csv_out_cell(&report->rejects, NULL, 0, CSV_RAW);
    const char *name = report->column_names ? report->column_names[column] : NULL;
    if (name && strcasecmp(name, "tracking_url") == 0)   /* not a field: maybe derived */
        return write_tracking_url(&report->rejects, row, CSV_RAW);
    return sl_csv_out_text(&report->rejects, canonical_value(report, row, name), CSV_RAW);
}

/* The input's values unchanged (padded with empty cells to the header's width), then the
 * error columns, which are ours and so carry the formula guard. */
static int write_reject(sl_report *report, const sl_row *row, const sl_record *raw)
{
    if (!report->columns_set && use_generic_columns(report) != 0)
        return -1;
    sl_csv_out_begin(&report->rejects);
    size_t width = report->column_count;
    if (raw && raw->field_count > width)
        width = raw->field_count;
    for (size_t column = 0; column < width; column++)
        if (write_reject_cell(report, row, raw, column) != 0)
            return -1;
    if (!own_error_columns(report) &&
        (sl_csv_out_text(&report->rejects, sl_code_name(row->code), CSV_GUARDED) != 0 ||
         sl_csv_out_text(&report->rejects, row->message, CSV_GUARDED) != 0))
        return -1;
    return sl_csv_out_end(&report->rejects);
}

#define HTTP_STATUS_CELL 11   /* http_status among the text cells (record and line go first) */

/* A results.csv record: record and line, then the text cells in one run (sl_csv_out_texts),
 * split at http_status only when there is one to write as a number. */
static int write_result(sl_report *report, const sl_row *row)
{
    sl_csv_out *out = &report->results;
    sl_csv_out_begin(out);
    const char *tracking = join_tracking(report, row);
    if (!tracking)
        return -1;
    sl_row_url url;   /* a derived URL is built here, once per row written */
    const sl_csv_text cells[] = {
        { row->order_ref, CSV_GUARDED }, { row->order_id, CSV_GUARDED },
        { row->fulfillment_order_id, CSV_GUARDED }, { row->sku, CSV_GUARDED },
        { sl_row_cols(row)->quantity_text, CSV_GUARDED }, { tracking, CSV_GUARDED },
        { row->carrier, CSV_GUARDED }, { sl_status_name(row->status), CSV_RAW },
        { sl_code_name(row->code), CSV_RAW }, { row->message, CSV_GUARDED },
        { row->fulfillment_id, CSV_GUARDED },
        [HTTP_STATUS_CELL] = { NULL, CSV_RAW },   /* empty, or written as a number */
        { sl_row_warning(row), CSV_GUARDED }, { row->order_name, CSV_GUARDED },
        { sl_row_ship_date(row), CSV_GUARDED }, { sl_row_tracking_url(row, &url), CSV_GUARDED },
        { sl_row_notified_text(row), CSV_RAW },
    };
    const size_t count = sizeof(cells) / sizeof(cells[0]);
    _Static_assert(sizeof(cells) / sizeof(cells[0]) + 2 ==
                       sizeof(results_columns) / sizeof(results_columns[0]),
                   "a text cell for each column after record and line");
    int failed = sl_csv_out_number(out, row->record) || sl_csv_out_number(out, row->line);
    if (!failed && !row->http_status)
        failed = sl_csv_out_texts(out, cells, count);
    else if (!failed)
        failed = sl_csv_out_texts(out, cells, HTTP_STATUS_CELL) ||
                 sl_csv_out_number(out, (unsigned long long)row->http_status) ||
                 sl_csv_out_texts(out, cells + HTTP_STATUS_CELL + 1,
                                  count - HTTP_STATUS_CELL - 1);
    sl_row_url_free(&url);
    return failed || sl_csv_out_end(out) ? -1 : 0;
}

int sl_report_add(sl_report *report, const sl_row *row, const sl_record *raw, sl_error *err)
{
    if (report->closed)
        return sl_error_set(err, "report already closed");
    (void)err;   /* a report that fails is lost alone (lose_file); close says which */
    errno = 0;   /* so a failure below reports its own cause */
    if (report->results_file.fp &&
        (write_result(report, row) != 0 || sl_report_file_failed(&report->results_file)))
        lose_file(report, &report->results_file, "results.csv", errno);
    errno = 0;
    if (report->rejects_file.fp && !sl_status_is_success(row->status) &&
        (write_reject(report, row, raw) != 0 || sl_report_file_failed(&report->rejects_file)))
        lose_file(report, &report->rejects_file, "rejects.csv", errno);
    errno = 0;
    if (report->xlsx && sl_report_xlsx_add(report->xlsx, row, NULL) != 0) {
        lose_report(report, "results.xlsx");
        sl_report_xlsx_free(report->xlsx);   /* its temporary file goes with it */
        report->xlsx = NULL;
    }
    errno = 0;
    if (report->html && sl_report_html_add(report->html, row) != 0) {
        lose_report(report, "report.html");
        sl_report_html_free(report->html);
        report->html = NULL;
    }
    sl_report_stats_add_row(&report->stats, row->status, row->code, sl_row_warning_kinds(row));
    if (report->stats.rows % WRITE_BEHIND_ROWS == 0)
        sl_report_file_write_behind(&report->results_file);
    return 0;
}

/* ---------------------------------------------------------------- statistics, dry runs */

void sl_report_count_request(sl_report *report, const char *method, const char *endpoint,
                             int http_status)
{
    sl_report_stats_add_request(&report->stats, method, endpoint, http_status);
}

void sl_report_count_warning(sl_report *report, sl_warning kind, size_t count)
{
    if ((unsigned)kind < SL_WARNING_COUNT)
        report->stats.warning_counts[kind] += count;
}

size_t sl_report_warning_count(const sl_report *report, sl_warning kind)
{
    return (unsigned)kind < SL_WARNING_COUNT ? report->stats.warning_counts[kind] : 0;
}

int sl_report_add_notice(sl_report *report, const char *message)
{
    return sl_report_stats_add_notice(&report->stats, message);
}

void sl_report_count_retries(sl_report *report, unsigned long retries)
{
    report->stats.retries += retries;
}

void sl_report_count_rate(sl_report *report, unsigned long limited_429, double settled)
{
    report->stats.limited_429 += limited_429;
    if (settled > 0)
        report->stats.settled_per_second = settled;
}

int sl_report_dry_request(sl_report *report, const char *method, const char *path,
                          const char *json_body, sl_error *err)
{
    if (!report->dry_run || !report->requests_file.fp)
        return sl_error_set(err, "requests.jsonl is only written for dry runs");
    json_t *body = json_null();
    if (json_body) {
        json_error_t parse_error;
        body = json_loads(json_body, JSON_DECODE_ANY, &parse_error);
        if (!body)
            return sl_error_set(err, "request body for %s %s is not JSON: %s", method, path,
                                parse_error.text);
    }
    json_t *line = json_pack("{s:s, s:s, s:o}", "method", method ? method : "",
                             "path", path ? path : "", "body", body);
    if (!line)
        return sl_error_set(err, "cannot build a requests.jsonl line");
    int rc = json_dumpf(line, report->requests_file.fp, JSON_COMPACT) == 0 &&
                     fputc('\n', report->requests_file.fp) != EOF
                 ? 0
                 : write_failed(&report->requests_file, err);
    json_decref(line);
    return rc;
}

int sl_report_reserve(sl_report *report, unsigned long long bytes, sl_error *err)
{
    sl_report_release_reserve(report);
    return sl_report_reserve_open(&report->reserve, report->dir, bytes, err);
}

void sl_report_release_reserve(sl_report *report)
{
    sl_report_file_discard(&report->reserve);
}

void sl_report_set_fatal(sl_report *report, const char *message)
{
    free(report->fatal_error);
    report->fatal_error = strdup(message ? message : "fatal error");
}

/* ---------------------------------------------------------------- close */

/* Writes summary.json; on failure, the errno of what failed. */
static int write_summary(sl_report *report, const sl_report_input *input, int *error)
{
    report_file summary_file;
    sl_error err;
    if (sl_report_file_open(&summary_file, report->dir, "summary.json", &err) != 0) {
        *error = errno;
        return -1;
    }
    report_summary_context context = { report->command, report->dir, report->dry_run, input,
                                       report->fatal_error };
    errno = 0;
    if (sl_report_summary_write(&report->stats, &context, summary_file.fp, &err) != 0) {
        *error = errno ? errno : EIO;
        sl_report_file_discard(&summary_file);
        return -1;
    }
    if (sl_report_file_commit(&summary_file, &err) != 0) {
        *error = summary_file.error;
        return -1;
    }
    return 0;
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* results.xlsx and report.html, which need the counts and the input known only now. One
 * that cannot be finished is lost alone (note_lost). */
static void close_for_people(sl_report *report, const sl_report_input *input)
{
    report_summary_context context = { report->command, report->dir, report->dry_run, input,
                                       report->fatal_error };
    report_about about = { &report->stats, &context, report->store, report->platform,
                           "", "", seconds_since(&report->stats.started_monotonic) };
    sl_report_format_utc(report->stats.started, about.started);
    sl_report_format_utc(time(NULL), about.finished);
    errno = 0;
    if (report->xlsx && sl_report_xlsx_close(report->xlsx, &about, NULL) != 0)
        lose_report(report, "results.xlsx");
    errno = 0;
    if (report->html && sl_report_html_close(report->html, &about, NULL) != 0)
        lose_report(report, "report.html");
    sl_report_xlsx_free(report->xlsx);
    sl_report_html_free(report->html);
    report->xlsx = NULL;
    report->html = NULL;
}

/* Every report that can be finished is; a report that cannot is not left under its name.
 * summary.json comes last (once it is there, the others are complete) and, when a report was
 * lost, names it as the run's error. Fails when any report is missing, saying which and why. */
int sl_report_close(sl_report *report, const sl_report_input *input, sl_error *err)
{
    if (report->closed)
        return 0;
    report->closed = 1;
    sl_report_release_reserve(report);
    report_file *files[] = { &report->results_file, &report->rejects_file,
                             &report->requests_file };
    static const char *const names[] = { "results.csv", "rejects.csv", "requests.jsonl" };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        if (sl_report_file_commit(files[i], NULL) != 0)
            lose_file(report, files[i], names[i], 0);
    if (report->lost[0] && report->xlsx) {
        /* the disk is full: a workbook closed now fails too, and libxlsxwriter would keep its
         * scratch files (and their space) open until the process ends; dropped unclosed */
        lose_report(report, "results.xlsx");
        sl_report_xlsx_free(report->xlsx);
        report->xlsx = NULL;
    }
    close_for_people(report, input);
    char message[600];
    if (report->lost[0]) {
        snprintf(message, sizeof(message), "%s: could not write %s", report->dir, report->lost);
        if (report->fatal_error) {
            size_t used = strlen(message);
            snprintf(message + used, sizeof(message) - used, "; %s", report->fatal_error);
        }
        sl_report_set_fatal(report, message);
    }
    int summary_error = 0;
    if (write_summary(report, input, &summary_error) != 0) {
        char why[128];
        note_lost(report, "summary.json", sl_report_errno_text(summary_error, why, sizeof(why)));
    }
    if (!report->lost[0])
        return 0;
    if (err)
        sl_error_set(err, "%s: could not write %s", report->dir, report->lost);
    return -1;
}

/* ---------------------------------------------------------------- counts, free */

size_t sl_report_rows(const sl_report *report)
{
    return report->stats.rows;
}

size_t sl_report_status_count(const sl_report *report, sl_status status)
{
    return (unsigned)status < SL_STATUS_COUNT ? report->stats.status_counts[status] : 0;
}

size_t sl_report_code_count(const sl_report *report, sl_code code)
{
    return (unsigned)code < SL_CODE_COUNT ? report->stats.code_counts[code] : 0;
}

size_t sl_report_failures(const sl_report *report)
{
    size_t failures = 0;
    for (int status = 0; status < SL_STATUS_COUNT; status++)
        if (!sl_status_is_success(status))
            failures += report->stats.status_counts[status];
    return failures;
}

const char *sl_report_dir(const sl_report *report)
{
    return report->dir;
}

void sl_report_free(sl_report *report)
{
    if (!report)
        return;
    sl_report_file_discard(&report->results_file);
    sl_report_file_discard(&report->rejects_file);
    sl_report_file_discard(&report->requests_file);
    sl_report_file_discard(&report->reserve);
    sl_report_xlsx_free(report->xlsx);
    sl_report_html_free(report->html);
    sl_csv_out_clear(&report->results);
    sl_csv_out_clear(&report->rejects);
    sl_report_stats_free(&report->stats);
    if (report->column_names)
        for (size_t i = 0; i < report->column_count; i++)
            free(report->column_names[i]);
    free(report->column_names);
    free(report->tracking_joined);
    free(report->fatal_error);
    free(report->dir);
    free(report->command);
    free(report->store);
    free(report->platform);
    free(report);
}
