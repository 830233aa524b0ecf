/* row_pipe.h: reads a source's records on a second thread and maps them into rows on a third
 * (and, asked to, validates them there: sl_source_validate, in input order), so that reading
 * (inflate, parse), mapping with validation, and the caller's reports of the rows before them
 * share the cores; the reading thread maps most of each batch when the template allows it
 * (sl_source_maps_in_any_order). Rows come out in input order, in batches handed on through a
 * small bounded ring: memory stays flat whatever the file's size. Reports are the caller's.
 * Falls back to reading, mapping (and validating) on the caller's thread if no thread can be
 * started. */
#ifndef SHIPLOAD_ENGINE_ROW_PIPE_H
#define SHIPLOAD_ENGINE_ROW_PIPE_H

#include "engine/source.h"

typedef struct sl_row_pipe sl_row_pipe;

/* Starts reading; with validate, rows come out validated as well. The source must stay open,
 * and be used by no one else until sl_row_pipe_free (nor validated by the caller when the pipe
 * validates: its validation run is the pipe's). NULL (err set) when out of memory. */
sl_row_pipe *sl_row_pipe_new(sl_source *source, int validate, sl_error *err);

/* The next mapped row (status PENDING, SKIPPED or INVALID as the mapper, and validation when the
 * pipe validates, left it) and the record
 * it came from. Both belong to the pipe and stay valid until the next call; the caller may
 * change the row (validate it, set its status). Returns 1, 0 at the end, -1 on a fatal read
 * error (err set, after every row read before it has come out). */
int sl_row_pipe_next(sl_row_pipe *pipe, sl_row **row, const sl_record **raw, sl_error *err);

/* Stops reading (at any point), waits for the reading thread and frees everything. */
void sl_row_pipe_free(sl_row_pipe *pipe);

#endif
