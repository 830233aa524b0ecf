/* report_csv.h: writing CSV records for the reports (private to src/report). RFC 4180: a cell
 * is quoted (by libcsv) only when it must be, records end with CRLF. Cells are always UTF-8
 * (invalid bytes and NULs become U+FFFD); the spreadsheet formula guard is applied on request.
 * A record is built in memory and written with one fwrite when it ends. */
#ifndef SHIPLOAD_REPORT_CSV_H
#define SHIPLOAD_REPORT_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct sl_csv_out {
    FILE *fp;
    char delimiter;
    unsigned char byte_classes[256];    /* what each byte asks of a cell, for this delimiter */
    unsigned char delimiter_lanes[16];  /* the delimiter sixteen times, for the vector scan (a
                                           quote when the delimiter is not ASCII: any byte that
                                           is not ASCII is looked at anyway) */
    size_t column;          /* cells on the current record */
    char *line;             /* the current record, reused so memory stays flat */
    size_t line_len, line_cap;
    int failed;             /* an allocation failed on this record */
} sl_csv_out;

typedef enum csv_guard { CSV_RAW = 0, CSV_GUARDED = 1 } csv_guard;

void sl_csv_out_init(sl_csv_out *out, FILE *fp, char delimiter);
void sl_csv_out_set_delimiter(sl_csv_out *out, char delimiter);
void sl_csv_out_clear(sl_csv_out *out);

/* 1 when a cell starting with this text could be evaluated by a spreadsheet: = + - @ tab CR. */
int sl_csv_cell_needs_guard(const char *text, size_t len);
/* 1 when the cell must be quoted: it holds the delimiter, a quote, CR or LF, or starts or ends
 * with a space or tab (which CSV readers such as libcsv would trim). */
int sl_csv_cell_needs_quotes(const char *text, size_t len, char delimiter);

/* Starts a record, dropping whatever a failed one left behind. */
void sl_csv_out_begin(sl_csv_out *out);
/* Appends one cell (text may be NULL: empty). Returns -1 on allocation failure. */
int sl_csv_out_cell(sl_csv_out *out, const char *text, size_t len, csv_guard guard);
int sl_csv_out_text(sl_csv_out *out, const char *text, csv_guard guard);
/* A text cell for sl_csv_out_texts (text may be NULL: empty). */
typedef struct sl_csv_text {
    const char *text;
    csv_guard guard;
} sl_csv_text;
/* sl_csv_out_text for each of count cells in turn, in one call (a record's run of text cells).
 * Returns -1 on allocation failure. */
int sl_csv_out_texts(sl_csv_out *out, const sl_csv_text *cells, size_t count);
int sl_csv_out_number(sl_csv_out *out, unsigned long long value);
/* Ends the record (CRLF) and writes it. Returns -1 if a cell failed or the write failed. */
int sl_csv_out_end(sl_csv_out *out);

#endif
