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
