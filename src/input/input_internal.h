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
 * stream_consume). Returns their count, 0 at the end, -1 on an error (err holds the detail,
 * without the source name). */
ssize_t stream_view(sl_stream *stream, const char **data, sl_error *err);
/* Marks n bytes of the current view as read. */
void stream_consume(sl_stream *stream, size_t n);
/* The encoding asked for (SL_ENCODING_AUTO unless given). */
sl_encoding stream_requested_encoding(const sl_stream *stream);

/* ---- decode.c: bytes of one encoding to UTF-8 ---- */

/* How many bytes of a byte-order mark start in[0..len): sets *active to the encoding to decode
 * with (a BOM wins over the requested encoding). Needs len >= 3 unless the input is shorter. */
size_t decode_bom(sl_encoding requested, const unsigned char *in, size_t len,
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

void record_builder_reset(record_builder *builder);
/* Makes room for one more field of len bytes; -1 (and builder->failed) when memory runs out or
 * the field-count limit is hit. */
int record_builder_grow(record_builder *builder, size_t len);

/* Appends a field; -1 (and builder->failed) when memory runs out or a limit is hit. Inline:
 * it runs once per field of every record. */
static inline int record_builder_add(record_builder *b, const char *data, size_t len)
{
    if ((b->record.field_count == b->fields_cap || b->bytes_len + len + 1 > b->bytes_cap) &&
        record_builder_grow(b, len) != 0)
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
/* Points record.fields into bytes; call after the last add and before handing the record out. */
void record_builder_finish(record_builder *builder);
void record_builder_free(record_builder *builder);
/* Sets record.bad_encoding from the fields (invalid UTF-8 or a NUL byte). */
void record_builder_check_encoding(record_builder *builder);

/* ---- csv_reader.c ---- */

/* The delimiter of the first line of data (outside quotes) among , ; tab |: the most frequent,
 * ties going to that order; ',' when none appears. */
char csv_sniff_delimiter(const char *data, size_t len, char quote);
/* Turns the unquoted-line fast path off or on (tests compare it with libcsv alone). */
void csv_reader_set_fast_path(sl_reader *reader, int on);

/* ---- reader.c: the base every reader starts with ---- */

typedef struct reader_ops {
    int (*start)(sl_reader *reader);                   /* 0 or -1 (reader_fail called) */
    int (*next)(sl_reader *reader, const sl_record **out); /* 1, 0 or -1 (reader_fail called) */
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
int reader_fail(sl_reader *reader, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Releases the header the reader owns. */
void reader_free_header(sl_reader *reader);

#endif
