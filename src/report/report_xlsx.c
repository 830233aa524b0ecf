/* report_xlsx.c: results.xlsx (report_xlsx.h). Rows go to the Results sheet (and the failed ones
 * to Rejects) as they are added; the Summary sheet, first in the workbook, is written at close.
 * libxlsxwriter writes to a file name: it is given report_fs.c's temporary file, which is
 * renamed into place like the other reports. Columns are one table; no CSV, no counting here. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>
#include "shipload/validate.h"
#include "report_fixes.h"
#include "report_fs.h"
#include "report_text.h"
#include "report_xlsx.h"

#define CELL_TEXT_MAX 32767   /* Excel's limit on a cell's characters */

typedef enum cell_kind {
    CELL_TEXT,          /* a string field of the row (offset) */
    CELL_NUMBER,        /* a uint32_t field of the row, as a number (offset) */
    CELL_QUANTITY,      /* a number when it is a plain whole number, else the text as given */
    CELL_TRACKING,      /* the numbers joined with ';' */
    CELL_TRACKING_URL,  /* given, or derived (sl_row_tracking_url) */
    CELL_WARNING,       /* the row's warnings (sl_row_warning) */
    CELL_STATUS,        /* coloured */
    CELL_CODE,
    CELL_SHIP_DATE,     /* a date when validated, else the text as given */
    CELL_NOTIFIED,
    CELL_HTTP_STATUS    /* a number, blank when 0 */
} cell_kind;

/* Results and Rejects: the columns of results.csv, with what a person looks at first. */
static const struct {
    const char *name;
    double width;
    cell_kind kind;
    size_t offset;
} columns[] = {
    { "record", 8, CELL_NUMBER, offsetof(sl_row, record) },
    { "line", 7, CELL_NUMBER, offsetof(sl_row, line) },
    { "order_name", 12, CELL_TEXT, offsetof(sl_row, order_name) },
    { "order_ref", 14, CELL_TEXT, offsetof(sl_row, order_ref) },
    { "status", 13, CELL_STATUS, 0 },
    { "error_code", 22, CELL_CODE, 0 },
    { "error_message", 48, CELL_TEXT, offsetof(sl_row, message) },
    { "warning", 30, CELL_WARNING, 0 },
    { "sku", 16, CELL_TEXT, offsetof(sl_row, sku) },
    { "quantity", 9, CELL_QUANTITY, 0 },
    { "tracking_number", 26, CELL_TRACKING, 0 },
    { "carrier", 12, CELL_TEXT, offsetof(sl_row, carrier) },
    { "tracking_url", 40, CELL_TRACKING_URL, 0 },
    { "ship_date", 11, CELL_SHIP_DATE, 0 },
    { "notified", 9, CELL_NOTIFIED, 0 },
    { "order_id", 18, CELL_TEXT, offsetof(sl_row, order_id) },
    { "fulfillment_order_id", 20, CELL_TEXT, offsetof(sl_row, fulfillment_order_id) },
    { "fulfillment_id", 20, CELL_TEXT, offsetof(sl_row, fulfillment_id) },
    { "http_status", 11, CELL_HTTP_STATUS, 0 },
};
#define COLUMN_COUNT (sizeof(columns) / sizeof(columns[0]))

typedef struct sheet {
    lxw_worksheet *ws;
    lxw_row_t next_row;         /* the header is row 0 */
    size_t dropped;             /* rows past the sheet's limit */
} sheet;

struct report_xlsx {
    report_file file;           /* the temporary name libxlsxwriter writes to */
    lxw_workbook *workbook;
    lxw_worksheet *summary;
    sheet results, rejects;
    lxw_format *header, *date, *datetime, *ok, *bad, *mid, *wrap;
    lxw_error first_error;
    char *tracking;             /* reused buffer for the joined tracking numbers */
    size_t tracking_cap;
};

/* ---------------------------------------------------------------- cells */

static void note(report_xlsx *xlsx, lxw_error error)
{
    if (error != LXW_NO_ERROR && xlsx->first_error == LXW_NO_ERROR)
        xlsx->first_error = error;
}

/* Always a string cell: never a formula, never a number. Cleaned and cut to Excel's limit. */
static void write_text(report_xlsx *xlsx, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                       const char *text, lxw_format *format)
{
    if (!text || !text[0])
        return;
    char *owned = NULL;
    const char *clean = sl_report_text_clean(text, &owned);
    if (!clean) {
        note(xlsx, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    size_t len = strlen(clean);
    if (len > CELL_TEXT_MAX) {
        char *cut = owned ? owned : strdup(clean);
        if (!cut) {
            note(xlsx, LXW_ERROR_MEMORY_MALLOC_FAILED);
            return;
        }
        size_t end = CELL_TEXT_MAX;
        while (end > 0 && ((unsigned char)cut[end] & 0xC0) == 0x80)
            end--;   /* not inside a UTF-8 sequence */
        cut[end] = '\0';
        owned = cut;
        clean = cut;
    }
    note(xlsx, worksheet_write_string(ws, r, c, clean, format));
    free(owned);
}

static lxw_format *status_format(report_xlsx *xlsx, sl_status status)
{
    if (status == SL_STATUS_SKIPPED || status == SL_STATUS_DUPLICATE ||
        status == SL_STATUS_NOT_ATTEMPTED)
        return xlsx->mid;
    return sl_status_is_success(status) ? xlsx->ok : xlsx->bad;
}

static const char *joined_tracking(report_xlsx *xlsx, const sl_row *row)
{
    size_t need = 1;
    for (size_t i = 0; i < row->tracking_count; i++)
        need += strlen(row->tracking_numbers[i] ? row->tracking_numbers[i] : "") + 1;
    if (need > xlsx->tracking_cap) {
        char *grown = realloc(xlsx->tracking, need);
        if (!grown)
            return NULL;
        xlsx->tracking = grown;
        xlsx->tracking_cap = need;
    }
    sl_row_tracking_joined(row, xlsx->tracking, xlsx->tracking_cap);
    return xlsx->tracking;
}

/* "2026-11-21" → a date; 0 when the text is not one. */
static int parse_day(const char *text, lxw_datetime *out)
{
    int year, month, day, used = 0;
    if (!text || sscanf(text, "%4d-%2d-%2d%n", &year, &month, &day, &used) != 3 || used != 10)
        return 0;
    *out = (lxw_datetime){ year, month, day, 0, 0, 0 };
    return year >= 1900;
}

static void write_quantity(report_xlsx *xlsx, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                           const char *text)
{
    size_t len = text ? strlen(text) : 0;
    int digits = len > 0 && len < 10 && text[0] != '0';
    for (size_t i = 0; i < len && digits; i++)
        digits = text[i] >= '0' && text[i] <= '9';
    if (digits)
        note(xlsx, worksheet_write_number(ws, r, c, atof(text), NULL));
    else
        write_text(xlsx, ws, r, c, text, NULL);
}

static void write_cell(report_xlsx *xlsx, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                       const sl_row *row)
{
    const char *base = (const char *)row;
    lxw_datetime day;
    sl_row_url url;
    switch (columns[c].kind) {
    case CELL_TEXT:
        write_text(xlsx, ws, r, c, *(char *const *)(base + columns[c].offset), NULL);
        return;
    case CELL_WARNING:
        write_text(xlsx, ws, r, c, sl_row_warning(row), NULL);
        return;
    case CELL_NUMBER:
        note(xlsx, worksheet_write_number(ws, r, c,
                                          (double)*(const uint32_t *)(base + columns[c].offset),
                                          NULL));
        return;
    case CELL_QUANTITY:
        write_quantity(xlsx, ws, r, c, sl_row_cols(row)->quantity_text);
        return;
    case CELL_TRACKING:
        write_text(xlsx, ws, r, c, joined_tracking(xlsx, row), NULL);
        return;
    case CELL_TRACKING_URL:
        write_text(xlsx, ws, r, c, sl_row_tracking_url(row, &url), NULL);
        sl_row_url_free(&url);
        return;
    case CELL_STATUS:
        write_text(xlsx, ws, r, c, sl_status_name(row->status), status_format(xlsx, row->status));
        return;
    case CELL_CODE:
        write_text(xlsx, ws, r, c, sl_code_name(row->code), NULL);
        return;
    case CELL_SHIP_DATE:
        if (parse_day(row->ship_date, &day))
            note(xlsx, worksheet_write_datetime(ws, r, c, &day, xlsx->date));
        else
            write_text(xlsx, ws, r, c, sl_row_cols(row)->ship_date_text, NULL);
        return;
    case CELL_NOTIFIED:
        write_text(xlsx, ws, r, c, sl_row_notified_text(row), NULL);
        return;
    case CELL_HTTP_STATUS:
        if (row->http_status)
            note(xlsx, worksheet_write_number(ws, r, c, row->http_status, NULL));
        return;
    }
}

static void add_to_sheet(report_xlsx *xlsx, sheet *target, const sl_row *row)
{
    if (target->next_row >= LXW_ROW_MAX) {
        target->dropped++;
        return;
    }
    for (lxw_col_t c = 0; c < COLUMN_COUNT; c++)
        write_cell(xlsx, target->ws, target->next_row, c, row);
    target->next_row++;
}

int sl_report_xlsx_add(report_xlsx *xlsx, const sl_row *row, sl_error *err)
{
    add_to_sheet(xlsx, &xlsx->results, row);
    if (!sl_status_is_success(row->status))
        add_to_sheet(xlsx, &xlsx->rejects, row);
    if (xlsx->first_error != LXW_NO_ERROR)
        return sl_error_set(err, "cannot write %s: %s", xlsx->file.final_path,
                            lxw_strerror(xlsx->first_error));
    return 0;
}

/* ---------------------------------------------------------------- open */

static lxw_format *coloured(lxw_workbook *workbook, lxw_color_t font, lxw_color_t fill)
{
    lxw_format *format = workbook_add_format(workbook);
    format_set_font_color(format, font);
    format_set_bg_color(format, fill);
    return format;
}

static void make_formats(report_xlsx *xlsx)
{
    xlsx->header = workbook_add_format(xlsx->workbook);
    format_set_bold(xlsx->header);
    format_set_bg_color(xlsx->header, 0xDDE3EA);
    xlsx->date = workbook_add_format(xlsx->workbook);
    format_set_num_format(xlsx->date, "yyyy-mm-dd");
    xlsx->datetime = workbook_add_format(xlsx->workbook);
    format_set_num_format(xlsx->datetime, "yyyy-mm-dd hh:mm:ss");
    xlsx->ok = coloured(xlsx->workbook, 0x006100, 0xC6EFCE);
    xlsx->bad = coloured(xlsx->workbook, 0x9C0006, 0xFFC7CE);
    xlsx->mid = coloured(xlsx->workbook, 0x7F5F00, 0xFFEB9C);
    xlsx->wrap = workbook_add_format(xlsx->workbook);
    format_set_text_wrap(xlsx->wrap);
}

static void start_sheet(report_xlsx *xlsx, sheet *target, const char *name)
{
    target->ws = workbook_add_worksheet(xlsx->workbook, name);
    if (!target->ws) {
        note(xlsx, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    for (lxw_col_t c = 0; c < COLUMN_COUNT; c++) {
        note(xlsx, worksheet_set_column(target->ws, c, c, columns[c].width, NULL));
        note(xlsx, worksheet_write_string(target->ws, 0, c, columns[c].name, xlsx->header));
    }
    worksheet_freeze_panes(target->ws, 1, 0);
    target->next_row = 1;
}

report_xlsx *sl_report_xlsx_open(const char *dir, sl_error *err)
{
    report_xlsx *xlsx = calloc(1, sizeof(*xlsx));
    if (!xlsx) {
        sl_error_set(err, "out of memory");
        return NULL;
    }
    if (sl_report_file_open(&xlsx->file, dir, "results.xlsx", err) != 0) {
        free(xlsx);
        return NULL;
    }
    /* libxlsxwriter's own scratch files go beside the reports, not into a small /tmp */
    lxw_workbook_options options = { .constant_memory = LXW_TRUE, .tmpdir = (char *)dir,
                                     .use_zip64 = LXW_TRUE };
    xlsx->workbook = workbook_new_opt(xlsx->file.temp_path, &options);
    if (!xlsx->workbook) {
        sl_error_set(err, "cannot start %s", xlsx->file.final_path);
        sl_report_xlsx_free(xlsx);
        return NULL;
    }
    make_formats(xlsx);
    xlsx->summary = workbook_add_worksheet(xlsx->workbook, "Summary");
    start_sheet(xlsx, &xlsx->results, "Results");
    start_sheet(xlsx, &xlsx->rejects, "Rejects");
    if (!xlsx->summary || xlsx->first_error != LXW_NO_ERROR) {
        sl_error_set(err, "cannot start %s: %s", xlsx->file.final_path,
                     lxw_strerror(xlsx->first_error));
        sl_report_xlsx_free(xlsx);
        return NULL;
    }
    return xlsx;
}

/* ---------------------------------------------------------------- close: the Summary sheet */

typedef struct summary_writer {
    report_xlsx *xlsx;
    lxw_row_t row;
} summary_writer;

static void summary_text(summary_writer *out, const char *name, const char *value)
{
    write_text(out->xlsx, out->xlsx->summary, out->row, 0, name, out->xlsx->header);
    write_text(out->xlsx, out->xlsx->summary, out->row++, 1, value, NULL);
}

static void summary_number(summary_writer *out, const char *name, double value)
{
    write_text(out->xlsx, out->xlsx->summary, out->row, 0, name, out->xlsx->header);
    note(out->xlsx, worksheet_write_number(out->xlsx->summary, out->row++, 1, value, NULL));
}

/* "2026-11-22T16:15:00Z" as a date and time. */
static void summary_time(summary_writer *out, const char *name, const char *iso)
{
    lxw_datetime when;
    int hour, minute, second;
    if (!parse_day(iso, &when) || sscanf(iso + 10, "T%2d:%2d:%2dZ", &hour, &minute, &second) != 3) {
        summary_text(out, name, iso);
        return;
    }
    when.hour = hour;
    when.min = minute;
    when.sec = second;
    write_text(out->xlsx, out->xlsx->summary, out->row, 0, name, out->xlsx->header);
    note(out->xlsx, worksheet_write_datetime(out->xlsx->summary, out->row++, 1, &when,
                                             out->xlsx->datetime));
}

static void summary_facts(summary_writer *out, const report_about *about)
{
    const report_summary_context *context = about->context;
    const sl_report_input *input = context->input;
    summary_text(out, "Command", context->command);
    summary_text(out, "Dry run", context->dry_run ? "yes" : "no");
    summary_text(out, "File", input ? input->name : NULL);
    if (input)
        summary_number(out, "Size (bytes)", (double)input->size);
    summary_text(out, "SHA-256", input ? input->sha256_hex : NULL);
    summary_text(out, "Template", input ? input->template_name : NULL);
    summary_text(out, "Store", about->store);
    summary_text(out, "Platform", about->platform);
    summary_time(out, "Started (UTC)", about->started);
    summary_time(out, "Finished (UTC)", about->finished);
    summary_number(out, "Wall time (s)", about->seconds);
    summary_text(out, "Complete", context->fatal_error ? "no" : "yes");
    summary_text(out, "Error", context->fatal_error);
    summary_number(out, "Records", (double)about->stats->rows);
}

static void summary_counts(summary_writer *out, const report_about *about)
{
    report_xlsx *xlsx = out->xlsx;
    const report_stats *stats = about->stats;
    out->row++;
    write_text(xlsx, xlsx->summary, out->row, 0, "Status", xlsx->header);
    write_text(xlsx, xlsx->summary, out->row++, 1, "Records", xlsx->header);
    for (int s = 0; s < SL_STATUS_COUNT; s++)
        if (stats->status_counts[s]) {
            write_text(xlsx, xlsx->summary, out->row, 0, sl_status_name(s),
                       status_format(xlsx, (sl_status)s));
            note(xlsx, worksheet_write_number(xlsx->summary, out->row++, 1,
                                              (double)stats->status_counts[s], NULL));
        }
    out->row++;
    write_text(xlsx, xlsx->summary, out->row, 0, "Error code", xlsx->header);
    write_text(xlsx, xlsx->summary, out->row, 1, "Records", xlsx->header);
    write_text(xlsx, xlsx->summary, out->row++, 2, "What to do", xlsx->header);
    for (int code = SL_CODE_NONE + 1; code < SL_CODE_COUNT; code++)
        if (stats->code_counts[code]) {
            write_text(xlsx, xlsx->summary, out->row, 0, sl_code_name(code), NULL);
            note(xlsx, worksheet_write_number(xlsx->summary, out->row, 1,
                                              (double)stats->code_counts[code], NULL));
            write_text(xlsx, xlsx->summary, out->row++, 2, sl_report_fix_for(sl_code_name(code)),
                       xlsx->wrap);
        }
}

static void write_summary(report_xlsx *xlsx, const report_about *about)
{
    summary_writer out = { xlsx, 0 };
    note(xlsx, worksheet_set_column(xlsx->summary, 0, 0, 22, NULL));
    note(xlsx, worksheet_set_column(xlsx->summary, 1, 1, 28, NULL));
    note(xlsx, worksheet_set_column(xlsx->summary, 2, 2, 80, NULL));
    summary_facts(&out, about);
    summary_counts(&out, about);
    if (xlsx->results.dropped) {
        char why[160];
        snprintf(why, sizeof(why), "%zu rows past the sheet's limit of %d are not here; "
                 "results.csv has every row", xlsx->results.dropped, LXW_ROW_MAX);
        out.row++;
        summary_text(&out, "Note", why);
    }
}

static void finish_sheet(report_xlsx *xlsx, sheet *target)
{
    lxw_row_t last = target->next_row > 1 ? target->next_row - 1 : 1;
    note(xlsx, worksheet_autofilter(target->ws, 0, 0, last, COLUMN_COUNT - 1));
}

int sl_report_xlsx_close(report_xlsx *xlsx, const report_about *about, sl_error *err)
{
    write_summary(xlsx, about);
    finish_sheet(xlsx, &xlsx->results);
    finish_sheet(xlsx, &xlsx->rejects);
    lxw_error closed = workbook_close(xlsx->workbook);
    xlsx->workbook = NULL;
    note(xlsx, closed);
    if (xlsx->first_error != LXW_NO_ERROR) {
        sl_error_set(err, "cannot write %s: %s", xlsx->file.final_path,
                     lxw_strerror(xlsx->first_error));
        sl_report_file_discard(&xlsx->file);
        return -1;
    }
    return sl_report_file_commit(&xlsx->file, err);
}

void sl_report_xlsx_free(report_xlsx *xlsx)
{
    if (!xlsx)
        return;
    if (xlsx->workbook) {   /* never closed: nothing written */
        /* lxw_workbook_free leaves the constant-memory scratch files open (their space held
         * till the process ends): a full disk must get that space back for summary.json */
        lxw_worksheet *sheets[] = { xlsx->summary, xlsx->results.ws, xlsx->rejects.ws };
        for (size_t i = 0; i < sizeof(sheets) / sizeof(sheets[0]); i++)
            if (sheets[i] && sheets[i]->optimize_tmpfile) {
                fclose(sheets[i]->optimize_tmpfile);
                sheets[i]->optimize_tmpfile = NULL;
            }
        lxw_workbook_free(xlsx->workbook);
    }
    sl_report_file_discard(&xlsx->file);
    free(xlsx->tracking);
    free(xlsx);
}
