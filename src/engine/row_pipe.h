/* row_pipe.h: reads a source's rows on a second thread, so that reading (inflate, parse, map)
 * runs while the caller validates and reports the rows before them. Rows come out in input
 * order, in batches handed over through a small bounded queue: memory stays flat whatever the
 * file's size. The pipe only reads and maps (sl_source_next_mapped); validation and reports
 * are the caller's. Falls back to reading on the caller's thread if no thread can be started. */
#ifndef SHIPLOAD_ENGINE_ROW_PIPE_H
#define SHIPLOAD_ENGINE_ROW_PIPE_H

#include "engine/source.h"

typedef struct sl_row_pipe sl_row_pipe;

/* Starts reading. The source must stay open, and be used by no one else (but for
 * sl_source_validate) until sl_row_pipe_free. NULL (err set) when out of memory. */
sl_row_pipe *sl_row_pipe_new(sl_source *source, sl_error *err);

/* The next mapped row (status PENDING, SKIPPED or INVALID as the mapper left it) and the record
 * it came from. Both belong to the pipe and stay valid until the next call; the caller may
 * change the row (validate it, set its status). Returns 1, 0 at the end, -1 on a fatal read
 * error (err set, after every row read before it has come out). */
int sl_row_pipe_next(sl_row_pipe *pipe, sl_row **row, const sl_record **raw, sl_error *err);

/* Stops reading (at any point), waits for the reading thread and frees everything. */
void sl_row_pipe_free(sl_row_pipe *pipe);

#endif
