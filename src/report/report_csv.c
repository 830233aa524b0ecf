/* report_csv.c: CSV records for the reports. Quoting and quote doubling are libcsv's
 * (csv_write2); this file decides when a cell needs them, renders invalid UTF-8 and NULs as
 * U+FFFD and applies the formula guard. Each cell is first copied as it is while its bytes are
 * scanned sixteen at a time (GCC/Clang vector extensions, no intrinsics; a cell shorter than
 * sixteen bytes is read as two overlapping halves, never past its end) for any byte that might
 * ask more: a control byte, a byte that is not ASCII, a quote or the delimiter. Only a cell
 * with one, or with a formula start or a blank at an edge, is then looked at byte by byte
 * (byte_classes) and written with what it needs. A record goes out in one fwrite (unlocked: a
 * report, like its record buffer, is written by one thread at a time): the reports cost little
 * next to reading. It does not know which columns a report has. */
#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/utf8.h"
#include "report_csv.h"

#define LINE_KEEP_CAP (64 * 1024)   /* a record buffer grown past 1 MiB shrinks back to this */

/* byte classes, per cell scan */
enum { BYTE_PLAIN = 0, BYTE_NEEDS_QUOTES = 1, BYTE_NOT_ASCII = 2 };

static int byte_class(unsigned char c, char delimiter)
{
    if (c >= 0x80 || c == 0)
        return BYTE_NOT_ASCII;
    if (c == (unsigned char)delimiter || c == '"' || c == '\r' || c == '\n')
        return BYTE_NEEDS_QUOTES;
    return BYTE_PLAIN;
}


void sl_csv_out_set_delimiter(sl_csv_out *out, char delimiter)
{
    out->delimiter = delimiter ? delimiter : ',';
    for (int c = 0; c < 256; c++)
        out->byte_classes[c] = (unsigned char)byte_class((unsigned char)c, out->delimiter);
    unsigned char lane = (unsigned char)out->delimiter < 0x80 ? (unsigned char)out->delimiter
                                                              : '"';
    memset(out->delimiter_lanes, lane, sizeof(out->delimiter_lanes));
}

void sl_csv_out_init(sl_csv_out *out, FILE *fp, char delimiter)
{
    memset(out, 0, sizeof(*out));
    out->fp = fp;
    sl_csv_out_set_delimiter(out, delimiter);
}

void sl_csv_out_clear(sl_csv_out *out)
{
    free(out->line);
    out->line = NULL;
    out->line_len = out->line_cap = 0;
}

int sl_csv_cell_needs_guard(const char *text, size_t len)
{
    if (len == 0)
        return 0;
    switch (text[0]) {
    case '=': case '+': case '-': case '@': case '\t': case '\r':
        return 1;
    default:
        return 0;
    }
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

int sl_csv_cell_needs_quotes(const char *text, size_t len, char delimiter)
{
    if (len == 0)
        return 0;
    if (is_blank(text[0]) || is_blank(text[len - 1]))
        return 1;
    for (size_t i = 0; i < len; i++)
        if (byte_class((unsigned char)text[i], delimiter) == BYTE_NEEDS_QUOTES)
            return 1;
    return 0;
}

/* ---------------------------------------------------------------- the record buffer */

static int grow_line(sl_csv_out *out, size_t more)
{
    size_t cap = out->line_cap ? out->line_cap : 1024;
    while (cap < out->line_len + more)
        cap *= 2;
    char *grown = realloc(out->line, cap);
    if (!grown) {
        out->failed = 1;
        return -1;
    }
    out->line = grown;
    out->line_cap = cap;
    return 0;
}

static inline int reserve(sl_csv_out *out, size_t more)
{
    return out->line_len + more <= out->line_cap ? 0 : grow_line(out, more);
}

static int append(sl_csv_out *out, const char *bytes, size_t len)
{
    if (reserve(out, len) != 0)
        return -1;
    memcpy(out->line + out->line_len, bytes, len);
    out->line_len += len;
    return 0;
}

/* The cell quoted by libcsv, after an optional "'" guard prefix. */
static int append_quoted(sl_csv_out *out, const char *text, size_t len, int guard_prefix)
{
    if (!guard_prefix) {
        if (reserve(out, 2 * len + 2) != 0)
            return -1;
        out->line_len += csv_write2(out->line + out->line_len, 2 * len + 2, text, len, '"');
        return 0;
    }
    char *prefixed = malloc(len + 1);   /* rare: a guarded cell that also needs quotes */
    if (!prefixed) {
        out->failed = 1;
        return -1;
    }
    prefixed[0] = '\'';
    memcpy(prefixed + 1, text, len);
    int rc = append_quoted(out, prefixed, len + 1, 0);
    free(prefixed);
    return rc;
}

/* ---------------------------------------------------------------- cells */

/* A UTF-8 rendering of text where invalid sequences (sl_utf8_sanitize) and NUL bytes become
 * U+FFFD. Caller frees; NULL on allocation failure. */
static char *render_utf8(const char *text, size_t len, size_t *out_len)
{
    static const char replacement[] = "\xEF\xBF\xBD";
    size_t cap = len * 3 + 4, used = 0;
    char *rendered = malloc(cap);
    if (!rendered)
        return NULL;
    for (size_t start = 0;;) {
        const char *nul = memchr(text + start, '\0', len - start);
        size_t segment = nul ? (size_t)(nul - (text + start)) : len - start;
        char *clean = sl_utf8_sanitize(text + start, segment);
        size_t clean_len = clean ? strlen(clean) : 0;
        char *grown = clean && used + clean_len + 4 > cap
                          ? realloc(rendered, cap = used + clean_len + 4 + cap)
                          : rendered;
        if (!clean || !grown) {
            free(clean);
            free(grown ? grown : rendered);
            return NULL;
        }
        rendered = grown;
        memcpy(rendered + used, clean, clean_len);
        used += clean_len;
        free(clean);
        if (!nul)
            break;
        memcpy(rendered + used, replacement, 3);
        used += 3;
        start += segment + 1;
    }
    rendered[used] = '\0';
    *out_len = used;
    return rendered;
}

/* Appends clean UTF-8 text (no NULs) with the guard and quoting it needs. */
static int append_clean(sl_csv_out *out, const char *text, size_t len, int needs_quotes,
                        csv_guard guard)
{
    int guard_prefix = guard == CSV_GUARDED && sl_csv_cell_needs_guard(text, len);
    /* a leading blank is harmless behind the guard's quote; a trailing one still needs quotes */
    if (!needs_quotes)
        needs_quotes = (!guard_prefix && is_blank(text[0])) || is_blank(text[len - 1]);
    if (needs_quotes)
        return append_quoted(out, text, len, guard_prefix);
    if (guard_prefix && append(out, "'", 1) != 0)
        return -1;
    return append(out, text, len);
}

/* The cell that needs quotes, or has bytes to render as U+FFFD (clean: it has none). Kept out
 * of put_cell so that the common path stays small. */
static __attribute__((noinline)) int append_unusual(sl_csv_out *out, const char *text, size_t len,
                                                    int clean, csv_guard guard)
{
    if (clean)
        return append_clean(out, text, len, 1, guard);
    size_t rendered_len;
    char *rendered = render_utf8(text, len, &rendered_len);
    if (!rendered) {
        out->failed = 1;
        return -1;
    }
    int rc = append_clean(out, rendered, rendered_len,
                          sl_csv_cell_needs_quotes(rendered, rendered_len, out->delimiter), guard);
    free(rendered);
    return rc;
}

/* A cell the quick copy did not take (copy_plain, edges_ask_more), looked at byte by byte:
 * written as it is (after the guard's quote), quoted, or rendered. */
static __attribute__((noinline)) int out_cell_exactly(sl_csv_out *out, const char *text,
                                                      size_t len, csv_guard guard)
{
    unsigned classes = 0;
    for (size_t i = 0; i < len; i++)
        classes |= out->byte_classes[(unsigned char)text[i]];
    int clean = !(classes & BYTE_NOT_ASCII) ||
                (!memchr(text, '\0', len) && sl_utf8_valid(text, len));
    if (clean && !(classes & BYTE_NEEDS_QUOTES))
        return append_clean(out, text, len, 0, guard);   /* it adds quotes for a blank edge */
    return append_unusual(out, text, len, clean, guard);   /* quoting, or U+FFFD */
}

/* ---------------------------------------------------------------- the quick copy */

/* Sixteen bytes as the lanes of a vector (signed: a byte of 0x80 or more is below zero), and
 * the same sixteen bytes as two 64-bit words. */
typedef signed char lanes16 __attribute__((vector_size(16)));
typedef uint64_t words2 __attribute__((vector_size(16)));

static inline lanes16 load_lanes(const char *at)
{
    lanes16 lanes;
    memcpy(&lanes, at, sizeof(lanes));
    return lanes;
}

static inline void store_lanes(char *at, lanes16 lanes)
{
    memcpy(at, &lanes, sizeof(lanes));
}

/* The lanes that may ask more of a cell than to be copied as they are: below a space (CR, LF,
 * a tab, NUL...), not ASCII, a quote or the delimiter. More than byte_classes would say: a
 * cell with any goes to out_cell_exactly. */
static inline lanes16 lanes_to_look_at(lanes16 lanes, lanes16 delimiter)
{
    return (lanes < ' ') | (lanes == '"') | (lanes == delimiter);
}

static inline int any_lane(lanes16 lanes)
{
    words2 words = (words2)lanes;
    return (words[0] | words[1]) != 0;
}

/* Copies a cell of width to 2 * width bytes (width 4 or 8, a constant where inlined) to dest
 * as two overlapping halves, and returns them as lanes: each half in a word of its own, the
 * word's other bytes spaces (which ask nothing). */
static inline lanes16 copy_halves(char *dest, const char *text, size_t len, size_t width)
{
    uint64_t head = 0x2020202020202020ull, tail = head;
    memcpy(&head, text, width);
    memcpy(&tail, text + len - width, width);
    memcpy(dest, &head, width);
    memcpy(dest + len - width, &tail, width);
    return (lanes16)(words2){ head, tail };
}

/* Copies a cell of len bytes (one at least) to dest and returns nonzero when any of them is
 * to be looked at (lanes_to_look_at, or byte_classes for one to three bytes). Reads and
 * writes the cell's bytes only: its last sixteen (eight, four) bytes overlap the ones before
 * when len is not a multiple. */
static inline int copy_plain(const sl_csv_out *out, lanes16 delimiter, char *dest,
                             const char *text, size_t len)
{
    if (len >= 16) {
        lanes16 seen = { 0 };
        for (size_t i = 0; i + 16 < len; i += 16) {
            lanes16 lanes = load_lanes(text + i);
            store_lanes(dest + i, lanes);
            seen |= lanes_to_look_at(lanes, delimiter);
        }
        lanes16 last = load_lanes(text + len - 16);
        store_lanes(dest + len - 16, last);
        return any_lane(seen | lanes_to_look_at(last, delimiter));
    }
    if (len >= 8)
        return any_lane(lanes_to_look_at(copy_halves(dest, text, len, 8), delimiter));
    if (len >= 4)
        return any_lane(lanes_to_look_at(copy_halves(dest, text, len, 4), delimiter));
    unsigned char first = (unsigned char)text[0], middle = (unsigned char)text[len / 2],
                  last = (unsigned char)text[len - 1];
    dest[0] = (char)first;
    dest[len / 2] = (char)middle;
    dest[len - 1] = (char)last;
    return out->byte_classes[first] | out->byte_classes[middle] | out->byte_classes[last];
}

/* What a cell's first or last byte asks: a bit for a first byte in a raw cell (1 << CSV_RAW:
 * a blank, which CSV readers trim), one for a first byte in a guarded cell (1 << CSV_GUARDED:
 * a blank, or a formula start as sl_csv_cell_needs_guard sees it), one for a last byte. */
enum { EDGE_FIRST_RAW = 1 << CSV_RAW, EDGE_FIRST_GUARDED = 1 << CSV_GUARDED, EDGE_LAST_SHIFT = 2,
       EDGE_LAST = 1 << EDGE_LAST_SHIFT };
_Static_assert(CSV_RAW == 0 && CSV_GUARDED == 1, "edge_asks: a bit per guard, then the last's");
static const unsigned char edge_asks[256] = {
    [' '] = EDGE_FIRST_RAW | EDGE_FIRST_GUARDED | EDGE_LAST,
    ['\t'] = EDGE_FIRST_RAW | EDGE_FIRST_GUARDED | EDGE_LAST,
    ['='] = EDGE_FIRST_GUARDED, ['+'] = EDGE_FIRST_GUARDED, ['-'] = EDGE_FIRST_GUARDED,
    ['@'] = EDGE_FIRST_GUARDED, ['\r'] = EDGE_FIRST_GUARDED,
};

/* 1 when the cell's edges may ask more than a copy: a formula start (when guarded), a blank
 * at either end (sl_csv_cell_needs_guard, is_blank). */
static inline int edges_ask_more(const char *text, size_t len, csv_guard guard)
{
    return ((edge_asks[(unsigned char)text[0]] >> guard) |
            (edge_asks[(unsigned char)text[len - 1]] >> EDGE_LAST_SHIFT)) & 1;
}

/* ---------------------------------------------------------------- cells */

void sl_csv_out_begin(sl_csv_out *out)
{
    out->column = 0;
    out->line_len = 0;
    out->failed = 0;
}

/* One cell (len 0: empty, text may then be NULL), after a delimiter when delimited: copied as
 * it is when nothing in it asks more (most cells), else by out_cell_exactly. out's fields are
 * read before the first byte is stored (a char store could be any of them: they would be
 * loaded again). */
static inline int put_cell(sl_csv_out *out, const char *text, size_t len, csv_guard guard,
                           int delimited)
{
    if (reserve(out, len + 1) != 0)   /* the delimiter and the text, when copied as it is */
        return -1;
    char *line = out->line;
    size_t at = out->line_len;
    const lanes16 delimiter_lanes = load_lanes((const char *)out->delimiter_lanes);
    line[at] = out->delimiter;   /* in the room reserved; kept only when delimited */
    at += (size_t)delimited;
    if (len == 0) {
        out->line_len = at;
        return 0;
    }
    if (edges_ask_more(text, len, guard) ||
        copy_plain(out, delimiter_lanes, line + at, text, len)) {
        out->line_len = at;
        return out_cell_exactly(out, text, len, guard);
    }
    out->line_len = at + len;
    return 0;
}

int sl_csv_out_cell(sl_csv_out *out, const char *text, size_t len, csv_guard guard)
{
    return put_cell(out, text, text ? len : 0, guard, out->column++ > 0);
}

int sl_csv_out_texts(sl_csv_out *out, const sl_csv_text *cells, size_t count)
{
    int delimited = out->column > 0;
    out->column += count;
    for (const sl_csv_text *cell = cells, *end = cells + count; cell < end; cell++) {
        const char *text = cell->text;
        size_t len = text && text[0] ? strlen(text) : 0;
        if (put_cell(out, text, len, cell->guard, delimited) != 0)
            return -1;
        delimited = 1;
    }
    return 0;
}

int sl_csv_out_text(sl_csv_out *out, const char *text, csv_guard guard)
{
    return sl_csv_out_cell(out, text, text ? strlen(text) : 0, guard);
}

/* How many decimal digits value has. */
static inline size_t digit_count(unsigned long long value)
{
    if (value < 10000)
        return value < 100 ? 1 + (value >= 10) : 3 + (value >= 1000);
    if (value < 100000000)
        return value < 1000000 ? 5 + (value >= 100000) : 7 + (value >= 10000000);
    size_t count = 9;
    for (value /= 1000000000; value > 0; value /= 10)
        count++;
    return count;
}

/* Writes value's digits so that they end at end, two at a time; 32-bit divisions below 2^32
 * (a record or line number), which cost less than 64-bit ones. */
static inline void write_digits(char *end, unsigned long long value)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
                                "31323334353637383940414243444546474849505152535455565758596061"
                                "6263646566676869707172737475767778798081828384858687888990919293"
                                "949596979899";
    for (; value > UINT32_MAX; value /= 100) {
        end -= 2;
        memcpy(end, pairs + 2 * (value % 100), 2);
    }
    uint32_t low = (uint32_t)value;
    for (; low >= 100; low /= 100) {
        end -= 2;
        memcpy(end, pairs + 2 * (low % 100), 2);
    }
    if (low >= 10)
        memcpy(end - 2, pairs + 2 * low, 2);
    else
        end[-1] = (char)('0' + low);
}

int sl_csv_out_number(sl_csv_out *out, unsigned long long value)
{
    size_t len = digit_count(value);
    if (reserve(out, len + 1) != 0)
        return -1;
    char *line = out->line;
    size_t at = out->line_len;
    line[at] = out->delimiter;   /* in the room reserved; kept when a cell came before */
    at += out->column++ > 0;
    write_digits(line + at + len, value);   /* digits need no quotes, guard or UTF-8 check */
    out->line_len = at + len;
    return 0;
}

int sl_csv_out_end(sl_csv_out *out)
{
    int rc = out->failed || append(out, "\r\n", 2) != 0 ||
                     fwrite_unlocked(out->line, 1, out->line_len, out->fp) != out->line_len
                 ? -1
                 : 0;
    out->column = 0;
    out->line_len = 0;
    out->failed = 0;
    if (out->line_cap > 1024 * 1024) {   /* after a giant field, give the memory back */
        free(out->line);
        out->line = malloc(LINE_KEEP_CAP);
        out->line_cap = out->line ? LINE_KEEP_CAP : 0;
    }
    return rc;
}
