/* reader.c: the sl_reader_* calls, dispatched to the CSV or XML reader, and what every reader
 * shares: the header, the record count, and the sticky fatal error whose message names the
 * source (for sl_reader_next) and the records read before it. Parsing is the readers' own. */
#include <stdio.h>
#include <stdlib.h>
#include "input_internal.h"

void sl_reader_init(sl_reader *reader, const reader_ops *ops, sl_stream *stream, char delimiter)
{
    reader->ops = ops;
    reader->stream = stream;
    reader->delimiter = delimiter;
}

int sl_reader_fail(sl_reader *reader, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reader->failure, sizeof(reader->failure), fmt, ap);
    va_end(ap);
    reader->failed = 1;
    return -1;
}

void sl_reader_free_header(sl_reader *reader)
{
    if (reader->header.names)
        for (size_t i = 0; i < reader->header.count; i++)
            free(reader->header.names[i]);
    free(reader->header.names);
    reader->header.names = NULL;
    reader->header.count = 0;
}

int sl_reader_start(sl_reader *reader, sl_error *err)
{
    if (reader->failed)
        return sl_error_set(err, "%s", reader->failure);
    if (reader->started)
        return 0;
    reader->started = 1;
    if (reader->ops->start(reader) != 0)
        return sl_error_set(err, "%s", reader->failure);
    return 0;
}

/* -1 (the reader failed) when the record's number or line does not fit the 32 bits a row
 * holds them in: the read stops there, as it would at a malformed record, rather than give
 * rows wrong numbers. */
static int check_numbers(sl_reader *reader, const sl_record *record)
{
    if (record->number <= SL_RECORD_NUMBER_MAX && record->line <= SL_RECORD_NUMBER_MAX)
        return 0;
    return sl_reader_fail(reader, "record %zu (line %zu): too many records or lines (at most "
                          "%lu of each are read)", record->number, record->line,
                          (unsigned long)SL_RECORD_NUMBER_MAX);
}

int sl_reader_next(sl_reader *reader, const sl_record **out, sl_error *err)
{
    *out = NULL;
    int rc = reader->failed ? -1 : 0;
    if (rc == 0 && !reader->started) {
        reader->started = 1;
        rc = reader->ops->start(reader);
    }
    if (rc == 0 && reader->finished)
        return 0;
    if (rc == 0)
        rc = reader->ops->next(reader, out);
    if (rc > 0 && check_numbers(reader, *out) != 0) {
        *out = NULL;
        rc = -1;
    }
    if (rc < 0)
        return sl_error_set(err, "%s: %s", sl_stream_name(reader->stream), reader->failure);
    if (rc == 0)
        reader->finished = 1;
    else
        reader->records_read++;
    return rc;
}

const sl_header *sl_reader_header(sl_reader *reader)
{
    return &reader->header;
}

char sl_reader_delimiter(const sl_reader *reader)
{
    return reader->delimiter;
}

size_t sl_reader_records_read(const sl_reader *reader)
{
    return reader->records_read;
}

void sl_reader_free(sl_reader *reader)
{
    if (!reader)
        return;
    sl_reader_free_header(reader);
    reader->ops->free(reader);
}
