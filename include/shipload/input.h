/* input.h: the reading stage. A source (path or "-") becomes a byte stream (gzip detected by
 * magic bytes and inflated, multi-member; the raw bytes hashed with SHA-256), decoded to UTF-8,
 * and parsed by a CSV reader (libcsv) or an XML reader (libxml2 xmlTextReader) into records.
 * Nothing here knows templates or canonical fields: readers take plain options. */
#ifndef SHIPLOAD_INPUT_H
#define SHIPLOAD_INPUT_H

#include <stddef.h>
#include <sys/types.h>
#include "shipload/error.h"
#include "shipload/record.h"

/* ---- byte stream: open, gunzip, decode ---- */

typedef struct sl_stream sl_stream;

typedef enum sl_encoding {
    SL_ENCODING_AUTO = 0,  /* UTF-8, or UTF-16LE/BE when a BOM says so; a UTF-8 BOM is dropped */
    SL_ENCODING_UTF8,
    SL_ENCODING_UTF16LE,
    SL_ENCODING_UTF16BE,
    SL_ENCODING_LATIN1,    /* ISO-8859-1 */
    SL_ENCODING_WINDOWS1252
} sl_encoding;

/* Parses "utf-8", "utf-16le", "latin-1", "iso-8859-1", "windows-1252", "cp1252", ... ; -1 if unknown. */
int sl_encoding_parse(const char *name, sl_encoding *out);

/* Opens a path, or standard input for "-". Fails (with a message naming the path) on a missing
 * file, a directory, or an unreadable file. */
sl_stream *sl_stream_open(const char *source, sl_encoding encoding, sl_error *err);

/* Reads up to cap bytes of decoded UTF-8. Returns the count, 0 at the end, -1 on a truncated or
 * corrupt gzip stream or a read error (err says which). Bytes that cannot be decoded (undefined
 * windows-1252 bytes, broken UTF-16) come out as invalid UTF-8 so the record holding them is
 * flagged bad_encoding downstream. */
ssize_t sl_stream_read(sl_stream *stream, char *buf, size_t cap, sl_error *err);

/* Looks at up to `want` decoded bytes from the start without consuming them (for detection and
 * delimiter sniffing). Must be called before the first sl_stream_read. */
int sl_stream_peek(sl_stream *stream, size_t want, const char **data, size_t *len, sl_error *err);

/* Changes the decoding before the first read (for a template that names an encoding). */
int sl_stream_set_encoding(sl_stream *stream, sl_encoding encoding, sl_error *err);

const char *sl_stream_name(const sl_stream *stream);   /* the source as given */
int sl_stream_is_gzip(const sl_stream *stream);
unsigned long long sl_stream_raw_bytes(const sl_stream *stream); /* bytes read from the source so far */
/* Lowercase hex SHA-256 of the raw source bytes read so far (complete once the stream hit EOF). */
void sl_stream_sha256_hex(sl_stream *stream, char out[65]);
/* Reads every raw byte of a stream nothing was read from yet, only to hash it (no inflating, no
 * decoding); sl_stream_sha256_hex then gives the file's SHA-256. 0, or -1 on a read error. */
int sl_stream_hash_all(sl_stream *stream, sl_error *err);
void sl_stream_close(sl_stream *stream);

/* ---- readers ---- */

typedef struct sl_reader sl_reader;

typedef struct sl_csv_options {
    char delimiter;        /* 0: sniff from the first line among , ; \t | */
    int has_header;        /* 1: first row is the header; 0: columns by number */
    char quote;            /* 0: '"' */
} sl_csv_options;

typedef struct sl_xml_namespace {
    const char *prefix;
    const char *uri;
} sl_xml_namespace;

typedef struct sl_xml_column {
    const char *name;      /* column name reported in the header */
    const char *xpath;     /* relative to the record element, or to the item when item_level */
    int item_level;
} sl_xml_column;

typedef struct sl_xml_options {
    const char *record_element;   /* local name of the record element */
    const char *record_namespace; /* its namespace URI, or NULL for any */
    const char *item_xpath;       /* optional: one record per node it selects */
    const sl_xml_namespace *namespaces;   /* prefixes usable in the XPaths */
    size_t namespace_count;
    const sl_xml_column *columns;
    size_t column_count;
    const char *default_namespace;/* optional: elements of this namespace URI ("*": of any) are
                                     named without a prefix in the XPaths */
} sl_xml_options;

/* 1 when the stream starts like a zip archive (an .xlsx workbook): PK\3\4. Peeks. */
int sl_stream_is_zip(sl_stream *stream);

/* Readers borrow the stream; the caller closes it after freeing the reader. */
sl_reader *sl_csv_reader_new(sl_stream *stream, const sl_csv_options *options, sl_error *err);
sl_reader *sl_xml_reader_new(sl_stream *stream, const sl_xml_options *options, sl_error *err);

/* An Excel workbook's sheet (the first, or `sheet`) as rows, like a CSV file with a header;
 * the header is read by sl_reader_start (which reads the whole source into a temporary file
 * first: a zip's directory is at its end). */
sl_reader *sl_xlsx_reader_new(sl_stream *stream, const char *sheet, sl_error *err);
/* For a headerless template: the first row read by sl_reader_start becomes the first record
 * and the header has no names. Before the first sl_reader_next. */
void sl_xlsx_reader_set_header(sl_reader *reader, int has_header);

/* Next record: 1 and *out set (valid until the next call), 0 at the end, -1 on a fatal error
 * (truncated gzip, malformed XML, entity bomb: err names the line and the records read). */
int sl_reader_next(sl_reader *reader, const sl_record **out, sl_error *err);

/* The column names (after the first record or sl_reader_start); names is NULL when headerless. */
const sl_header *sl_reader_header(sl_reader *reader);
/* Reads the header now (CSV) so the caller can bind columns before the first record. 0 or -1. */
int sl_reader_start(sl_reader *reader, sl_error *err);
char sl_reader_delimiter(const sl_reader *reader);   /* ',' for XML */
size_t sl_reader_records_read(const sl_reader *reader);
void sl_reader_free(sl_reader *reader);

#endif
