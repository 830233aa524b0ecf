/* csv_reader.c: CSV records from a stream, parsed by libcsv as the bytes arrive. Sniffs the
 * delimiter from the first line (, ; tab |), reads the header row (or, headerless, takes the
 * first row's width), numbers records and remembers the line each starts on, skips blank rows,
 * evens out ragged rows (spec §12: missing or extra trailing empty fields are padded or trimmed;
 * any other difference marks the record malformed) and flags invalid UTF-8. Values are kept
 * exactly as written (no trimming); rows of nothing but delimiters and blanks are skipped.
 * Complete lines without a quote character take a fast path (split at the delimiter) that
 * gives libcsv's fields without its call per byte, and checks the line's encoding in one pass.
 * Does not know templates or columns' meaning. */
#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include "input_internal.h"

#define SNIFF_BYTES 65536
#define LIBCSV_ROW_NOT_BEGUN 0   /* libcsv's parser state between rows (struct csv_parser) */

typedef struct csv_reader {
    sl_reader base;            /* first: the reader is handed out as an sl_reader */
    struct csv_parser parser;
    int parser_ready;
    char quote;
    int has_header;
    record_builder row;
    int row_done;              /* libcsv ended a row in the last parse call */
    int input_done;            /* csv_fini called */
    int pending;               /* row holds a record read by start, not yet returned */
    size_t line;               /* line of the next byte to parse (1-based) */
    int prev_cr;               /* the last byte parsed was a CR (a following LF ends no line) */
    size_t row_line;           /* line on which the row being parsed started */
    size_t width;              /* header width (or the first row's, headerless) */
    int fast_path;             /* split unquoted lines without libcsv (see split_unquoted_line) */
    int line_ascii;            /* the row came whole through the fast path, every byte ASCII
                                  and none NUL: its fields need no encoding check */
    int field_too_long;        /* a field passed SL_INPUT_FIELD_MAX */
} csv_reader;

/* ---- delimiter sniffing ---- */

static const char sniff_candidates[] = { ',', ';', '\t', '|' };

char sl_csv_sniff_delimiter(const char *data, size_t len, char quote)
{
    size_t counts[sizeof(sniff_candidates)] = { 0 };
    int quoted = 0;
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (c == quote)
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted)
            for (size_t k = 0; k < sizeof(sniff_candidates); k++)
                counts[k] += c == sniff_candidates[k];
    }
    size_t best = 0;
    for (size_t k = 1; k < sizeof(sniff_candidates); k++)
        if (counts[k] > counts[best])
            best = k;
    return counts[best] ? sniff_candidates[best] : ',';
}

/* ---- libcsv callbacks ---- */

static void on_field(void *field, size_t len, void *data)
{
    csv_reader *r = data;
    if (len > SL_INPUT_FIELD_MAX) {
        r->field_too_long = 1;
        return;
    }
    record_builder_add(&r->row, field ? field : "", field ? len : 0);
}

static void on_row_end(int c, void *data)
{
    (void)c;
    csv_reader *r = data;
    r->row_done = 1;
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0;   /* keep blanks around values: they are part of what was written */
}

/* ---- parsing ---- */

/* Length of the next piece to parse: up to and including the first CR or LF. */
static size_t piece_length(const char *data, size_t len)
{
    const char *lf = memchr(data, '\n', len);
    size_t end = lf ? (size_t)(lf - data) + 1 : len;
    const char *cr = memchr(data, '\r', end);
    return cr ? (size_t)(cr - data) + 1 : end;
}

static void count_line(csv_reader *r, char last)
{
    if (last == '\n') {
        if (!r->prev_cr)
            r->line++;
        r->prev_cr = 0;
    } else if (last == '\r') {
        r->line++;
        r->prev_cr = 1;
    } else {
        r->prev_cr = 0;
    }
}

/* A record past the limits ends the source: no field over 64 MB, no million fields. */
static int limit_error(csv_reader *r)
{
    if (r->field_too_long || r->parser.entry_pos > SL_INPUT_FIELD_MAX)
        return sl_reader_fail(&r->base, "the record on line %zu has a field longer than %zu MB "
                           "(after %zu record%s)", r->row_line, SL_INPUT_FIELD_MAX >> 20,
                           r->base.records_read, r->base.records_read == 1 ? "" : "s");
    if (r->row.record.field_count > SL_INPUT_FIELDS_MAX)
        return sl_reader_fail(&r->base, "the record on line %zu has more than %zu fields (after "
                           "%zu record%s)", r->row_line, SL_INPUT_FIELDS_MAX, r->base.records_read,
                           r->base.records_read == 1 ? "" : "s");
    if (r->row.failed)
        return sl_reader_fail(&r->base, "out of memory on the record on line %zu (after %zu "
                           "record%s)", r->row_line, r->base.records_read,
                           r->base.records_read == 1 ? "" : "s");
    return 0;
}

/* The fast path for the common line: complete (it ends with CR or LF) and without a quote
 * character, so libcsv would only split it at each delimiter; done here in one tight pass
 * instead of libcsv's work and callback per byte. Gives exactly libcsv's fields (test_input_csv
 * compares both paths). Returns 0, leaving the line to libcsv, when it does not apply. */
static int split_unquoted_line(csv_reader *r, const char *data, size_t piece)
{
    char last = data[piece - 1];
    if (last != '\n' && last != '\r')
        return 0;
    size_t len = piece - 1;
    if (len == 0)
        return 1;   /* an empty line: libcsv ignores it too */
    if (memchr(data, r->quote, len))
        return 0;
    r->line_ascii = sl_input_plain_ascii(data, len);   /* one pass, not one per field */
    sl_record_builder_add_split(&r->row, data, len, r->base.delimiter);   /* limit_error says */
    r->row_done = 1;
    return 1;
}

/* Parses until a row ends. 1 a row is in r->row, 0 the end, -1 an error. */
static int parse_row(csv_reader *r)
{
    sl_record_builder_reset(&r->row);
    r->row_done = 0;
    r->line_ascii = 0;
    while (!r->row_done) {
        if (r->input_done)
            return 0;
        const char *data;
        sl_error err;
        ssize_t n = sl_stream_view(r->base.stream, &data, &err);
        if (n < 0)
            return sl_reader_fail(&r->base, "%s after %zu record%s", err.message,
                               r->base.records_read, r->base.records_read == 1 ? "" : "s");
        if (n == 0) {
            csv_fini(&r->parser, on_field, on_row_end, r);
            r->input_done = 1;
            break;
        }
        size_t piece = piece_length(data, (size_t)n);
        int row_start = r->parser.pstate == LIBCSV_ROW_NOT_BEGUN;
        if (row_start)
            r->row_line = r->line;
        size_t parsed = piece;
        if (!row_start || !r->fast_path || !split_unquoted_line(r, data, piece)) {
            /* libcsv grows its field buffer by blk_size at a time: make that geometric */
            if (r->parser.entry_size > r->parser.blk_size)
                csv_set_blk_size(&r->parser, r->parser.entry_size);
            parsed = csv_parse(&r->parser, data, piece, on_field, on_row_end, r);
        }
        sl_stream_consume(r->base.stream, piece);
        count_line(r, data[piece - 1]);
        if (parsed != piece)
            return sl_reader_fail(&r->base, "CSV parser error on line %zu: %s (after %zu record%s)",
                               r->line, csv_strerror(csv_error(&r->parser)),
                               r->base.records_read, r->base.records_read == 1 ? "" : "s");
        if (limit_error(r) != 0)
            return -1;
    }
    if (limit_error(r) != 0)
        return -1;
    return r->row_done ? 1 : 0;
}

/* A row with nothing in it but delimiters, spaces and tabs. */
static int blank_row(const sl_record *rec)
{
    for (size_t i = 0; i < rec->field_count; i++)
        for (size_t k = 0; k < rec->lengths[i]; k++)
            if (rec->fields[i][k] != ' ' && rec->fields[i][k] != '\t')
                return 0;
    return 1;
}

/* Parses the next row that is not blank. 1, 0 at the end, -1 on an error. */
static int next_nonblank_row(csv_reader *r)
{
    for (;;) {
        int rc = parse_row(r);
        if (rc <= 0)
            return rc;
        sl_record_builder_finish(&r->row);
        if (!blank_row(&r->row.record))
            return 1;
    }
}

/* Spec §12: pad a short row, drop extra trailing empty fields, else mark malformed. */
static void shape_row(csv_reader *r)
{
    sl_record *rec = &r->row.record;
    size_t n = rec->field_count;
    rec->expected_fields = r->width;
    if (n < r->width) {
        while (rec->field_count < r->width)
            if (record_builder_add(&r->row, "", 0) != 0)
                break;
        sl_record_builder_finish(&r->row);
    } else if (n > r->width) {
        size_t last = n;
        while (last > r->width && rec->lengths[last - 1] == 0)
            last--;
        if (last == r->width)
            rec->field_count = r->width;
        else
            rec->malformed = 1;
    }
    if (!rec->malformed)
        rec->expected_fields = rec->field_count;
}

static int take_header(csv_reader *r)
{
    const sl_record *rec = &r->row.record;
    r->base.header.names = calloc(rec->field_count ? rec->field_count : 1, sizeof(char *));
    if (!r->base.header.names)
        return sl_reader_fail(&r->base, "out of memory reading the header");
    for (size_t i = 0; i < rec->field_count; i++) {
        r->base.header.names[i] = malloc(rec->lengths[i] + 1);
        if (!r->base.header.names[i])
            return sl_reader_fail(&r->base, "out of memory reading the header");
        memcpy(r->base.header.names[i], rec->fields[i], rec->lengths[i] + 1);
        r->base.header.count = i + 1;
    }
    r->width = rec->field_count;
    return 0;
}

static int csv_start(sl_reader *base)
{
    csv_reader *r = (csv_reader *)base;
    int rc = next_nonblank_row(r);
    if (rc < 0)
        return -1;
    if (r->has_header) {
        if (rc == 0) {   /* no header at all: an empty source */
            r->base.header.names = calloc(1, sizeof(char *));
            return r->base.header.names ? 0 : sl_reader_fail(base, "out of memory");
        }
        return take_header(r);
    }
    if (rc == 1) {
        r->width = r->row.record.field_count;
        r->base.header.count = r->width;
        r->pending = 1;
    }
    return 0;
}

static int csv_next(sl_reader *base, const sl_record **out)
{
    csv_reader *r = (csv_reader *)base;
    if (!r->pending) {
        int rc = next_nonblank_row(r);
        if (rc <= 0)
            return rc;
    }
    r->pending = 0;
    shape_row(r);
    if (r->row.failed)
        return sl_reader_fail(base, "out of memory on the record on line %zu (after %zu record%s)",
                           r->row_line, base->records_read, base->records_read == 1 ? "" : "s");
    if (!r->line_ascii)
        sl_record_builder_check_encoding(&r->row);
    r->row.record.number = base->records_read + 1;
    r->row.record.line = r->row_line;
    *out = &r->row.record;
    return 1;
}

static void csv_reader_free(sl_reader *base)
{
    csv_reader *r = (csv_reader *)base;
    if (r->parser_ready)
        csv_free(&r->parser);
    sl_record_builder_free(&r->row);
    free(r);
}

static const reader_ops csv_ops = { csv_start, csv_next, csv_reader_free };

static char choose_delimiter(sl_stream *stream, const sl_csv_options *options, char quote)
{
    if (options && options->delimiter)
        return options->delimiter;
    const char *data;
    size_t len = 0;
    sl_error ignored;
    if (sl_stream_peek(stream, SNIFF_BYTES, &data, &len, &ignored) != 0)
        return ',';   /* reading has started (or failed): the first read reports any error */
    return sl_csv_sniff_delimiter(data, len, quote);
}

sl_reader *sl_csv_reader_new(sl_stream *stream, const sl_csv_options *options, sl_error *err)
{
    csv_reader *r = calloc(1, sizeof(*r));
    if (!r) {
        sl_error_set(err, "out of memory");
        return NULL;
    }
    r->quote = options && options->quote ? options->quote : '"';
    r->has_header = options ? options->has_header : 1;
    r->line = 1;
    r->fast_path = 1;
    sl_reader_init(&r->base, &csv_ops, stream, choose_delimiter(stream, options, r->quote));
    if (csv_init(&r->parser, 0) != 0) {
        free(r);
        sl_error_set(err, "out of memory");
        return NULL;
    }
    r->parser_ready = 1;
    csv_set_delim(&r->parser, (unsigned char)r->base.delimiter);
    csv_set_quote(&r->parser, (unsigned char)r->quote);
    csv_set_space_func(&r->parser, no_space);
    csv_set_blk_size(&r->parser, 4096);
    return &r->base;
}

void sl_csv_reader_set_fast_path(sl_reader *reader, int on)
{
    ((csv_reader *)reader)->fast_path = on;
}
