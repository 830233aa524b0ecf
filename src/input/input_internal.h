/* input_internal.h: what the files of the reading stage share and nobody else sees: the
 * zero-copy view of a stream's decoded bytes, the decoders, the record builder that readers
 * reuse between records, and the reader base that reader.c dispatches on. */
#ifndef SHIPLOAD_INPUT_INTERNAL_H
#define SHIPLOAD_INPUT_INTERNAL_H

#include <stdarg.h>
#include <string.h>
#include "shipload/input.h"

/* A field longer than this ends the source with an error instead of exhausting memory. */
#define SL_INPUT_FIELD_MAX ((size_t)64 * 1024 * 1024)
/* A record with more fields than this ends the source with an error. */
#define SL_INPUT_FIELDS_MAX ((size_t)1000000)

/* ---- stream.c: decoded bytes without a copy ---- */

/* Points *data at the next decoded bytes (valid until the next stream call that is not
 * sl_stream_consume). Returns their count, 0 at the end, -1 on an error (err holds the detail,
 * without the source name). */
ssize_t sl_stream_view(sl_stream *stream, const char **data, sl_error *err);
/* Marks n bytes of the current view as read. */
void sl_stream_consume(sl_stream *stream, size_t n);
/* The encoding asked for (SL_ENCODING_AUTO unless given). */
sl_encoding sl_stream_requested_encoding(const sl_stream *stream);

/* What stands behind a descriptor that is not a plain file (remote.c's transfers). */
typedef struct stream_origin {
    void *ctx;
    int (*finish)(void *ctx, sl_error *err);  /* at the end of the bytes: 0 the transfer ended
                                                 well, -1 it did not (err says why) */
    void (*release)(void *ctx);               /* at close, after fd is closed */
} stream_origin;
/* A stream reading fd (closed at sl_stream_close), named name. On failure the origin is
 * released. */
sl_stream *sl_stream_open_origin(const char *name, int fd, const stream_origin *origin,
                              sl_encoding encoding, sl_error *err);

/* ---- decode.c: bytes of one encoding to UTF-8 ---- */

/* How many bytes of a byte-order mark start in[0..len): sets *active to the encoding to decode
 * with (a BOM wins over the requested encoding). Needs len >= 3 unless the input is shorter. */
size_t sl_decode_bom(sl_encoding requested, const unsigned char *in, size_t len,
                  sl_encoding *active);
/* Decodes in[0..in_len) into out (at most out_cap bytes). Sets *consumed; stops before an
 * incomplete unit unless at_end, when the leftover becomes invalid UTF-8. Returns bytes out. */
size_t sl_decode_chunk(sl_encoding encoding, const unsigned char *in, size_t in_len, int at_end,
                    char *out, size_t out_cap, size_t *consumed);
/* Most output bytes one input byte can give. */
#define DECODE_EXPANSION 3

/* ---- record_builder.c: one record's fields in a reused buffer ---- */

typedef struct record_builder {
    sl_record record;     /* what readers hand out; fields point into bytes */
    char *bytes;          /* the fields' bytes, each NUL-terminated */
    size_t bytes_len, bytes_cap;
    size_t *offsets;      /* where each field starts in bytes */
    size_t fields_cap;    /* capacity of offsets, record.fields and record.lengths */
    int failed;           /* an allocation failed or a limit was hit since the reset */
} record_builder;

void sl_record_builder_reset(record_builder *builder);
/* Makes room for one more field of len bytes; -1 (and builder->failed) when memory runs out or
 * the field-count limit is hit. */
int sl_record_builder_grow(record_builder *builder, size_t len);

/* Appends a field; -1 (and builder->failed) when memory runs out or a limit is hit. Inline:
 * it runs once per field of every record. */
static inline int record_builder_add(record_builder *b, const char *data, size_t len)
{
    if ((b->record.field_count == b->fields_cap || b->bytes_len + len + 1 > b->bytes_cap) &&
        sl_record_builder_grow(b, len) != 0)
        return -1;
    size_t at = b->bytes_len;
    if (len)
        memcpy(b->bytes + at, data, len);
    b->bytes[at + len] = '\0';
    b->bytes_len += len + 1;
    b->offsets[b->record.field_count] = at;
    b->record.lengths[b->record.field_count] = len;
    b->record.field_count++;
    return 0;
}
/* Appends the fields of a line split at each delimiter (no quoting: every delimiter ends a
 * field), as record_builder_add would one by one: the line is copied once and each delimiter
 * becomes its field's NUL. -1 (and builder->failed) when memory runs out or a limit is hit. */
int sl_record_builder_add_split(record_builder *builder, const char *line, size_t len,
                                char delimiter);
/* Points record.fields into bytes; call after the last add and before handing the record out. */
void sl_record_builder_finish(record_builder *builder);
void sl_record_builder_free(record_builder *builder);
/* Sets record.bad_encoding from the fields (invalid UTF-8 or a NUL byte). */
void sl_record_builder_check_encoding(record_builder *builder);
/* 1 when every byte is ASCII and none is NUL (the usual field, or line): then it is valid
 * UTF-8 and needs no further check. */
int sl_input_plain_ascii(const char *s, size_t len);

/* ---- csv_reader.c ---- */

/* The delimiter of the first line of data (outside quotes) among , ; tab |: the most frequent,
 * ties going to that order; ',' when none appears. */
char sl_csv_sniff_delimiter(const char *data, size_t len, char quote);
/* Turns the unquoted-line fast path off or on (tests compare it with libcsv alone). */
void sl_csv_reader_set_fast_path(sl_reader *reader, int on);

/* ---- xlsx_book.c: an Excel workbook's container, shared strings and styles ---- */

struct zip;
struct _xmlNode;
struct _xmlBuffer;
typedef struct xlsx_book {
    struct zip *zip;
    char *sheet_part;            /* "xl/worksheets/sheet1.xml" */
    char *shared_bytes;          /* the shared strings, NUL-terminated, one after another */
    size_t shared_len, shared_bytes_cap;
    size_t *shared;              /* where each starts in shared_bytes, in order */
    size_t shared_count, shared_cap;
    unsigned char *date_styles;  /* per cell style (cellXfs index): 1 when a date format */
    size_t style_count;
    int date1904;
} xlsx_book;

/* Spools the rest of the stream, opens the zip, finds the sheet (the first, or the one
 * named), reads shared strings and styles. 0, or -1 with why set (a message). */
int sl_xlsx_book_open(xlsx_book *book, sl_stream *stream, const char *sheet, char *why, size_t cap);
/* The shared string of a cell's index text, NULL when out of range. */
const char *sl_xlsx_book_shared(const xlsx_book *book, const char *index_text);
/* 1 when the cell style (its s attribute) formats numbers as dates. */
int sl_xlsx_book_style_is_date(const xlsx_book *book, const char *style_text);
/* libxml2 I/O callbacks over an open zip_file_t (a workbook part, decompressed on demand). */
int sl_xlsx_part_read(void *context, char *buffer, int len);
int sl_xlsx_part_close(void *context);
/* Appends the text of an inline or rich string's <t> runs (not phonetic ones) to buf. */
int sl_xlsx_inline_text(struct _xmlNode *node, struct _xmlBuffer *buf);
void sl_xlsx_book_close(xlsx_book *book);

/* ---- reader.c: the base every reader starts with ---- */

typedef struct reader_ops {
    int (*start)(sl_reader *reader);                   /* 0 or -1 (sl_reader_fail called) */
    int (*next)(sl_reader *reader, const sl_record **out); /* 1, 0 or -1 (sl_reader_fail called) */
    void (*free)(sl_reader *reader);
} reader_ops;

struct sl_reader {
    const reader_ops *ops;
    sl_stream *stream;          /* borrowed */
    sl_header header;
    char delimiter;
    size_t records_read;
    int started;
    int failed;                 /* a fatal error happened: every later call repeats it */
    int finished;               /* the end was reached */
    char failure[480];          /* the fatal error, without the source name */
};

void sl_reader_init(sl_reader *reader, const reader_ops *ops, sl_stream *stream, char delimiter);
/* Records a fatal error (detail without the source name). Returns -1. */
int sl_reader_fail(sl_reader *reader, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Releases the header the reader owns. */
void sl_reader_free_header(sl_reader *reader);

#endif
