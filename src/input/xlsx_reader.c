/* xlsx_reader.c: records from a sheet of an Excel workbook (.xlsx), as the CSV reader gives
 * them: the first non-empty row is the header (or, headerless, the first record), every later
 * row a record whose line is its row number, cells placed by their reference (B7 is the second
 * column), short rows padded, a row with values past the header's width malformed, blank rows
 * skipped. The sheet part is decompressed by libzip as libxml2's streaming reader asks for it,
 * one <row> expanded at a time, so memory does not grow with the rows. Values come out as the
 * user saw them: shared and inline strings as text, TRUE/FALSE, errors such as #N/A as
 * written, a number stored in a date style as an ISO date (1900 or 1904 system), and any
 * other number as plain digits, never in scientific notation (Excel shows 15 significant
 * digits; a larger number is padded with zeros as Excel displays it). The container is
 * xlsx_book.c's. Knows no templates. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlreader.h>
#include <zip.h>
#include "input_internal.h"

#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
                     XML_PARSE_NOCDATA | XML_PARSE_COMPACT)
#define MAX_COLUMNS 16384        /* Excel's own limit (XFD) */

typedef struct xlsx_reader {
    sl_reader base;              /* first: handed out as an sl_reader */
    char *sheet_name;            /* --sheet, or NULL for the first */
    int has_header;
    int opened;
    xlsx_book book;
    zip_file_t *sheet;
    xmlTextReaderPtr xml;
    xmlBufferPtr text;
    record_builder row;
    size_t row_line;
    size_t width;
    int pending;                 /* row holds a record read by start, not yet returned */
    int positioned;              /* the XML reader is on a node not yet looked at */
} xlsx_reader;

/* ---- cell values ---- */

/* 0-based column of a cell reference ("B7" -> 1), or (size_t)-1. */
static size_t column_of(const char *reference)
{
    size_t column = 0;
    int letters = 0;
    for (const char *c = reference; *c >= 'A' && *c <= 'Z'; c++, letters++)
        column = column * 26 + (size_t)(*c - 'A' + 1);
    return letters == 0 || column > MAX_COLUMNS ? (size_t)-1 : column - 1;
}

/* Proleptic Gregorian date from days since 1970-01-01 (H. Hinnant's civil_from_days). */
static void civil_from_days(long days, int *year, int *month, int *day)
{
    days += 719468;
    long era = (days >= 0 ? days : days - 146096) / 146097;
    long doe = days - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (*month <= 2));
}

/* The largest serial date Excel shows: 9999-12-31. */
#define SERIAL_DATE_MAX 2958465.0

/* A serial date as YYYY-MM-DD, with THH:MM:SS when it has a time of day. -1 when serial is no
 * date Excel shows (negative, past 9999-12-31, not a number): out is then untouched. */
static int serial_date(double serial, int date1904, char *out, size_t cap)
{
    if (!(serial >= 0.0 && serial <= SERIAL_DATE_MAX))
        return -1;
    long whole = (long)floor(serial);
    long seconds = lround((serial - (double)whole) * 86400.0);
    if (seconds >= 86400) {
        whole++;
        seconds -= 86400;
    }
    long epoch_days = date1904 ? whole - 24107 : whole >= 61 ? whole - 25569 : whole - 25568;
    int year, month, day;
    civil_from_days(epoch_days, &year, &month, &day);
    if (seconds == 0)
        snprintf(out, cap, "%04d-%02d-%02d", year, month, day);
    else
        snprintf(out, cap, "%04d-%02d-%02dT%02ld:%02ld:%02ld", year, month, day, seconds / 3600,
                 seconds / 60 % 60, seconds % 60);
    return 0;
}

/* A stored number as Excel shows it in a general or number format: up to 15 significant
 * digits, never in scientific notation. */
static void number_text(const char *stored, char *out, size_t cap)
{
    char *end;
    double value = strtod(stored, &end);
    if (end == stored || *end || !isfinite(value)) {
        snprintf(out, cap, "%s", stored);
        return;
    }
    int plain = 1;
    for (const char *c = stored; *c && plain; c++)
        plain = (*c >= '0' && *c <= '9') || *c == '-';
    if (plain && strlen(stored) <= 15) {
        snprintf(out, cap, "%s", stored);   /* the usual integer, exactly as stored */
        return;
    }
    if (fabs(value) >= 1e15 && value == floor(value)) {   /* digits, then zeros */
        char mantissa[40];
        snprintf(mantissa, sizeof(mantissa), "%.14e", value);   /* d.dddddddddddddde+XX */
        char *e = strchr(mantissa, 'e');
        int exponent = atoi(e + 1);
        size_t used = 0;
        if (mantissa[0] == '-' && used + 1 < cap)
            out[used++] = '-';
        const char *digits = mantissa + (mantissa[0] == '-');
        for (int i = 0; i <= exponent && used + 1 < cap; i++) {
            int position = i == 0 ? 0 : i + 1;   /* skip the decimal point */
            out[used++] = i <= 14 && digits + position < e ? digits[position] : '0';
        }
        out[used] = '\0';
        return;
    }
    snprintf(out, cap, "%.15g", value);
    if (strchr(out, 'e'))   /* a tiny or huge non-integer: fixed notation */
        snprintf(out, cap, "%.6f", value);
}

/* The text of a cell node's value, by its type (t) and style (s). */
static const char *cell_value(xlsx_reader *r, xmlNodePtr cell, char *scratch, size_t cap)
{
    xmlChar *type = xmlGetProp(cell, BAD_CAST "t");
    xmlNodePtr v = NULL, inline_string = NULL;
    for (xmlNodePtr child = cell->children; child; child = child->next)
        if (child->type == XML_ELEMENT_NODE && strcmp((const char *)child->name, "v") == 0)
            v = child;
        else if (child->type == XML_ELEMENT_NODE && strcmp((const char *)child->name, "is") == 0)
            inline_string = child;
    const char *result = "";
    xmlBufferEmpty(r->text);
    if (inline_string) {
        sl_xlsx_inline_text(inline_string, r->text);
        result = (const char *)xmlBufferContent(r->text);
    } else if (v) {
        xmlNodeBufGetContent(r->text, v);
        const char *stored = (const char *)xmlBufferContent(r->text);
        const char *kind = type ? (const char *)type : "n";
        if (strcmp(kind, "s") == 0) {
            result = sl_xlsx_book_shared(&r->book, stored);
            result = result ? result : "";
        } else if (strcmp(kind, "b") == 0) {
            result = strcmp(stored, "1") == 0 ? "TRUE" : "FALSE";
        } else if (strcmp(kind, "n") == 0 && stored[0]) {
            xmlChar *style = xmlGetProp(cell, BAD_CAST "s");
            /* a date-styled number that is no date (Excel shows ####) is read as the number */
            if (!sl_xlsx_book_style_is_date(&r->book, (const char *)style) ||
                serial_date(strtod(stored, NULL), r->book.date1904, scratch, cap) != 0)
                number_text(stored, scratch, cap);
            xmlFree(style);
            result = scratch;
        } else {
            result = stored;   /* str (a formula's text), e (an error such as #N/A) */
        }
    }
    xmlFree(type);
    return result;
}

/* ---- rows ---- */

/* Builds the record of an expanded <row>: cells placed by reference. -1 on allocation failure. */
static int take_row(xlsx_reader *r, xmlNodePtr row)
{
    sl_record_builder_reset(&r->row);
    xmlChar *number = xmlGetProp(row, BAD_CAST "r");
    r->row_line = number ? strtoul((const char *)number, NULL, 10) : r->row_line + 1;
    xmlFree(number);
    char scratch[64];
    for (xmlNodePtr cell = row->children; cell; cell = cell->next) {
        if (cell->type != XML_ELEMENT_NODE || strcmp((const char *)cell->name, "c") != 0)
            continue;
        xmlChar *reference = xmlGetProp(cell, BAD_CAST "r");
        size_t column = reference ? column_of((const char *)reference) : r->row.record.field_count;
        xmlFree(reference);
        if (column == (size_t)-1 || column < r->row.record.field_count)
            continue;   /* out of order or beyond Excel's columns: ignored */
        while (r->row.record.field_count < column)
            if (record_builder_add(&r->row, "", 0) != 0)
                return -1;
        const char *value = cell_value(r, cell, scratch, sizeof(scratch));
        if (record_builder_add(&r->row, value, strlen(value)) != 0)
            return -1;
    }
    sl_record_builder_finish(&r->row);
    return 0;
}

static int blank(const sl_record *rec)
{
    for (size_t i = 0; i < rec->field_count; i++)
        for (size_t k = 0; k < rec->lengths[i]; k++)
            if (rec->fields[i][k] != ' ' && rec->fields[i][k] != '\t')
                return 0;
    return 1;
}

/* The next row that is not blank: 1, 0 at the end of the sheet, -1 on an error. */
static int next_row(xlsx_reader *r)
{
    for (;;) {
        int rc = r->positioned ? 1 : xmlTextReaderRead(r->xml);
        r->positioned = 0;
        if (rc == 0)
            return 0;
        if (rc < 0)
            return sl_reader_fail(&r->base, "the sheet %s is not well-formed XML near row %zu "
                               "(after %zu record%s)", r->book.sheet_part, r->row_line,
                               r->base.records_read, r->base.records_read == 1 ? "" : "s");
        if (xmlTextReaderNodeType(r->xml) != XML_READER_TYPE_ELEMENT ||
            strcmp((const char *)xmlTextReaderConstLocalName(r->xml), "row") != 0)
            continue;
        xmlNodePtr row = xmlTextReaderExpand(r->xml);
        if (!row || take_row(r, row) != 0)
            return sl_reader_fail(&r->base, "out of memory or bad XML in row %zu of the sheet "
                               "(after %zu records)", r->row_line, r->base.records_read);
        /* on to the next sibling (the row is freed once passed): looked at on the next call */
        r->positioned = xmlTextReaderNext(r->xml) == 1;
        if (!blank(&r->row.record))
            return 1;
    }
}

/* Pads a short row; a row with values past the header's width is malformed. */
static void shape_row(xlsx_reader *r)
{
    sl_record *rec = &r->row.record;
    size_t last = rec->field_count;
    while (last > r->width && rec->lengths[last - 1] == 0)
        last--;
    if (last > r->width) {
        rec->malformed = 1;
        rec->expected_fields = r->width;
        return;
    }
    rec->field_count = last;
    while (rec->field_count < r->width)
        if (record_builder_add(&r->row, "", 0) != 0)
            break;
    sl_record_builder_finish(&r->row);
    rec->expected_fields = rec->field_count;
}

static int open_sheet(xlsx_reader *r)
{
    char why[400];
    if (sl_xlsx_book_open(&r->book, r->base.stream, r->sheet_name, why, sizeof(why)) != 0)
        return sl_reader_fail(&r->base, "%s", why);
    r->sheet = zip_fopen(r->book.zip, r->book.sheet_part, 0);
    if (!r->sheet)
        return sl_reader_fail(&r->base, "the workbook's sheet %s cannot be read",
                           r->book.sheet_part);
    r->xml = xmlReaderForIO(sl_xlsx_part_read, sl_xlsx_part_close, r->sheet, NULL, NULL,
                            XML_OPTIONS);
    r->text = xmlBufferCreate();
    if (!r->xml || !r->text)
        return sl_reader_fail(&r->base, "out of memory reading the workbook");
    r->opened = 1;
    return 0;
}

static int xlsx_start(sl_reader *base)
{
    xlsx_reader *r = (xlsx_reader *)base;
    if (!r->opened && open_sheet(r) != 0)
        return -1;
    int rc = next_row(r);
    if (rc < 0)
        return -1;
    if (rc == 0) {   /* an empty sheet */
        r->base.header.names = calloc(1, sizeof(char *));
        return r->base.header.names ? 0 : sl_reader_fail(base, "out of memory");
    }
    const sl_record *rec = &r->row.record;
    r->width = rec->field_count;
    r->base.header.names = calloc(rec->field_count ? rec->field_count : 1, sizeof(char *));
    if (!r->base.header.names)
        return sl_reader_fail(base, "out of memory reading the header");
    for (size_t i = 0; i < rec->field_count; i++) {
        if (!(r->base.header.names[i] = strdup(rec->fields[i])))
            return sl_reader_fail(base, "out of memory reading the header");
        r->base.header.count = i + 1;
    }
    r->pending = !r->has_header;
    if (r->pending) {   /* the first row is data: no names, columns by number */
        sl_reader_free_header(base);
        r->base.header.count = r->width;
    }
    return 0;
}

static int xlsx_next(sl_reader *base, const sl_record **out)
{
    xlsx_reader *r = (xlsx_reader *)base;
    if (!r->pending) {
        int rc = next_row(r);
        if (rc <= 0)
            return rc;
    }
    r->pending = 0;
    shape_row(r);
    if (r->row.failed)
        return sl_reader_fail(base, "out of memory on row %zu", r->row_line);
    sl_record_builder_check_encoding(&r->row);
    r->row.record.number = base->records_read + 1;
    r->row.record.line = r->row_line;
    *out = &r->row.record;
    return 1;
}

static void xlsx_free(sl_reader *base)
{
    xlsx_reader *r = (xlsx_reader *)base;
    if (r->xml)
        xmlFreeTextReader(r->xml);
    if (r->text)
        xmlBufferFree(r->text);
    if (r->sheet)
        zip_fclose(r->sheet);
    sl_xlsx_book_close(&r->book);
    sl_record_builder_free(&r->row);
    free(r->sheet_name);
    free(r);
}

static const reader_ops xlsx_ops = { xlsx_start, xlsx_next, xlsx_free };

int sl_stream_is_zip(sl_stream *stream)
{
    const char *data;
    size_t len = 0;
    sl_error ignored;
    if (sl_stream_peek(stream, 4, &data, &len, &ignored) != 0 || len < 4)
        return 0;
    return memcmp(data, "PK\x03\x04", 4) == 0;
}

sl_reader *sl_xlsx_reader_new(sl_stream *stream, const char *sheet, sl_error *err)
{
    xlsx_reader *r = calloc(1, sizeof(*r));
    if (!r || (sheet && !(r->sheet_name = strdup(sheet)))) {
        free(r);
        sl_error_set(err, "out of memory");
        return NULL;
    }
    r->has_header = 1;
    sl_reader_init(&r->base, &xlsx_ops, stream, ',');
    return &r->base;
}

void sl_xlsx_reader_set_header(sl_reader *reader, int has_header)
{
    xlsx_reader *r = (xlsx_reader *)reader;
    if (r->base.ops != &xlsx_ops || r->base.records_read > 0 || r->has_header == has_header)
        return;
    r->has_header = has_header;
    if (!r->base.started)
        return;
    if (!has_header) {   /* the header row read by start becomes the first record */
        sl_reader_free_header(reader);
        r->base.header.count = r->width;
        r->pending = 1;   /* the row builder still holds the first row */
    }
}
