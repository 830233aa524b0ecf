/* record.h: one record as a reader produced it (a CSV row or the evaluated fields of an XML
 * record), before any template mapping. Readers own the records they return; a consumer that
 * keeps one past the next read takes a copy with sl_record_copy(). */
#ifndef SHIPLOAD_RECORD_H
#define SHIPLOAD_RECORD_H

#include <stddef.h>
#include <stdint.h>

/* The highest record number and line a reader gives: rows hold them in 32 bits, so a reader
 * stops with an error at a record past it, or one that starts on a line past it. */
#define SL_RECORD_NUMBER_MAX UINT32_MAX

typedef struct sl_record {
    size_t number;      /* 1-based record number, header excluded */
    size_t line;        /* line on which the record starts (header is line 1 when present) */
    size_t field_count;
    char **fields;      /* NUL-terminated values, as read (may hold invalid UTF-8) */
    size_t *lengths;    /* byte length of each field (fields may hold NULs only if bad_encoding) */
    int bad_encoding;   /* some field is not valid UTF-8 (or undefined in the source encoding) */
    int malformed;      /* field count differs from the header's (after trailing-empty padding) */
    size_t expected_fields; /* header width when malformed, else field_count */
} sl_record;

/* Column names: the CSV header row, or the field names of an XML template. */
typedef struct sl_header {
    size_t count;
    char **names;       /* NULL when the source has no header row (columns by number) */
} sl_header;

sl_record *sl_record_copy(const sl_record *record);
void sl_record_free(sl_record *record);

#endif
