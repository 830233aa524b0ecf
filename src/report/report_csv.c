/* report_csv.c: CSV records for the reports. Quoting and quote doubling are libcsv's
 * (csv_write2); this file decides when a cell needs them, renders invalid UTF-8 and NULs as
 * U+FFFD and applies the formula guard. A run of text cells (sl_csv_out_texts) is first copied
 * as it is and scanned once, eight bytes at a time, for anything a cell would ask more for;
 * only then, or for a lone cell, is each cell copied and scanned on its own (its tail with a
 * byte-class table). A record goes out in one fwrite (unlocked: a report, like its record
 * buffer, is written by one thread at a time): the reports cost little next to reading. It
 * does not know which columns a report has. */
#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/swar.h"
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
    out->delimiter_bytes = sl_swar_repeat(lane);
}

/* The lanes of word that make a cell need quotes: the delimiter, a quote, CR or LF (exact for
 * "is there one"). */
static inline uint64_t quote_lanes(const sl_csv_out *out, uint64_t word)
{
    return sl_swar_zero_lanes(word ^ out->delimiter_bytes) |
           sl_swar_zero_lanes(word ^ sl_swar_repeat('"')) |
           sl_swar_zero_lanes(word ^ sl_swar_repeat('\r')) |
           sl_swar_zero_lanes(word ^ sl_swar_repeat('\n'));
}

/* Copies a cell's len bytes to dest and returns their byte classes, as byte_classes would give
 * them byte by byte: eight bytes at a time (a byte that is not ASCII, or NUL; the delimiter, a
 * quote, CR or LF), the tail by the table. */
static inline unsigned copy_cell(const sl_csv_out *out, char *dest, const char *text, size_t len)
{
    uint64_t not_ascii = 0, needs_quotes = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t word = sl_swar_load(text + i);
        memcpy(dest + i, &word, sizeof(word));
        not_ascii |= sl_swar_not_ascii(word);
        needs_quotes |= quote_lanes(out, word);
    }
    unsigned classes = ((not_ascii & SL_SWAR_HIGH_BITS) ? BYTE_NOT_ASCII : 0) |
                       (needs_quotes ? BYTE_NEEDS_QUOTES : 0);
    for (; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        classes |= out->byte_classes[c];
        dest[i] = (char)c;
    }
    return classes;
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

void sl_csv_out_begin(sl_csv_out *out)
{
    out->column = 0;
    out->line_len = 0;
    out->failed = 0;
}

/* The cell that needs quotes, or has bytes to render as U+FFFD (clean: it has none). Kept out
 * of sl_csv_out_cell so that the common path stays small. */
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

/* sl_csv_out_cell's work, inlined in the loop of sl_csv_out_texts. */
static inline int out_cell(sl_csv_out *out, const char *text, size_t len, csv_guard guard)
{
    if (reserve(out, len + 2) != 0)   /* the delimiter, a guard's quote, the text */
        return -1;
    if (out->column++ > 0)
        out->line[out->line_len++] = out->delimiter;
    if (!text || len == 0)
        return 0;
    /* fast path: copy, and classify the bytes; most cells are plain ASCII */
    size_t start = out->line_len;
    int guard_prefix = guard == CSV_GUARDED && sl_csv_cell_needs_guard(text, len);
    unsigned classes = copy_cell(out, out->line + start + guard_prefix, text, len);
    int clean = !(classes & BYTE_NOT_ASCII) ||
                (!memchr(text, '\0', len) && sl_utf8_valid(text, len));
    int edges_blank = (!guard_prefix && is_blank(text[0])) || is_blank(text[len - 1]);
    if (clean && !(classes & BYTE_NEEDS_QUOTES) && !edges_blank) {
        if (guard_prefix)
            out->line[start] = '\'';
        out->line_len = start + len + (size_t)guard_prefix;
        return 0;
    }
    return append_unusual(out, text, len, clean, guard);   /* quoting, or U+FFFD */
}

int sl_csv_out_cell(sl_csv_out *out, const char *text, size_t len, csv_guard guard)
{
    return out_cell(out, text, len, guard);
}

/* Bytes a plain cell cannot hold, in each lane of a word: a byte of 0x80 or more (its high
 * bit: a NUL is a delimiter's place here, not special), or what needs quotes. */
static inline uint64_t special_lanes(const sl_csv_out *out, uint64_t word)
{
    return word | quote_lanes(out, word);
}

/* 1 when line[start, end) holds no byte a plain cell cannot: eight bytes at a time, the last
 * eight overlapping the word before when the length is not a multiple of eight. */
static int bytes_plain(const sl_csv_out *out, size_t start, size_t end)
{
    const char *line = out->line;
    uint64_t specials = 0;
    size_t at = start;
    if (end - start < 8) {
        for (; at < end; at++) {   /* a NUL is a delimiter's place: not special here */
            unsigned char c = (unsigned char)line[at];
            if (c >= 0x80 || c == (unsigned char)out->delimiter || c == '"' || c == '\r' ||
                c == '\n')
                return 0;
        }
        return 1;
    }
    for (; at + 8 <= end; at += 8)
        specials |= special_lanes(out, sl_swar_load(line + at));
    if (at < end)
        specials |= special_lanes(out, sl_swar_load(line + end - 8));
    return !(specials & SL_SWAR_HIGH_BITS);
}

#define PLAIN_CELLS_MAX 32   /* a longer list of cells goes cell by cell */

/* The usual cells, written as they are: each copied whole, with a NUL where its delimiter
 * goes (a cell has none: its length is strlen's), then one pass over all of it (bytes_plain)
 * instead of a scan of each cell, and the delimiters put in. A cell that needs the formula
 * guard, or starts or ends with a blank, is seen before its copy. 0 when written; 1 when some
 * cell asks more, and the caller writes them one by one instead; -1 when memory runs out. */
static int out_plain_texts(sl_csv_out *out, const sl_csv_text *cells, size_t count)
{
    size_t start = out->line_len, delimiter_at[PLAIN_CELLS_MAX], delimiters = 0;
    if (count > PLAIN_CELLS_MAX)
        return 1;
    for (size_t i = 0; i < count; i++) {
        const char *text = cells[i].text;
        size_t len = text ? strlen(text) : 0;
        if (reserve(out, len + 1) != 0)
            return -1;
        if (out->column++ > 0) {
            delimiter_at[delimiters++] = out->line_len;
            out->line[out->line_len++] = '\0';
        }
        if (len == 0)
            continue;
        if ((cells[i].guard == CSV_GUARDED && sl_csv_cell_needs_guard(text, len)) ||
            is_blank(text[0]) || is_blank(text[len - 1]))
            return 1;
        memcpy(out->line + out->line_len, text, len);
        out->line_len += len;
    }
    if (!bytes_plain(out, start, out->line_len))
        return 1;
    for (size_t i = 0; i < delimiters; i++)
        out->line[delimiter_at[i]] = out->delimiter;
    return 0;
}

int sl_csv_out_texts(sl_csv_out *out, const sl_csv_text *cells, size_t count)
{
    size_t start = out->line_len, column = out->column;
    int plain = out_plain_texts(out, cells, count);
    if (plain <= 0)
        return plain;
    out->line_len = start;   /* a cell asks more: taken back, and written cell by cell */
    out->column = column;
    for (size_t i = 0; i < count; i++) {
        const char *text = cells[i].text;
        if (out_cell(out, text, text ? strlen(text) : 0, cells[i].guard) != 0)
            return -1;
    }
    return 0;
}

int sl_csv_out_text(sl_csv_out *out, const char *text, csv_guard guard)
{
    return sl_csv_out_cell(out, text, text ? strlen(text) : 0, guard);
}

int sl_csv_out_number(sl_csv_out *out, unsigned long long value)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
                                "31323334353637383940414243444546474849505152535455565758596061"
                                "6263646566676869707172737475767778798081828384858687888990919293"
                                "949596979899";
    char digits[24];
    size_t start = sizeof(digits);
    for (; value >= 100; value /= 100) {   /* two digits per division: a record number has 7 */
        start -= 2;
        memcpy(digits + start, pairs + 2 * (value % 100), 2);
    }
    if (value >= 10) {
        start -= 2;
        memcpy(digits + start, pairs + 2 * value, 2);
    } else {
        digits[--start] = (char)('0' + value);
    }
    /* digits need no quotes, guard or UTF-8 check: copied as they are */
    size_t len = sizeof(digits) - start;
    if (reserve(out, len + 1) != 0)
        return -1;
    if (out->column++ > 0)
        out->line[out->line_len++] = out->delimiter;
    memcpy(out->line + out->line_len, digits + start, len);
    out->line_len += len;
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
