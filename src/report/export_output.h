/* export_output.h: where an export's bytes go (export_output.c): standard output, or a
 * temporary file beside the final name (gzip-compressed when that name ends in ".gz") renamed
 * into place only when the whole export was written. Private to src/report. */
#ifndef SHIPLOAD_REPORT_EXPORT_OUTPUT_H
#define SHIPLOAD_REPORT_EXPORT_OUTPUT_H

#include <stdio.h>
#include <zlib.h>
#include "shipload/error.h"

typedef struct export_output {
    char *final_path;           /* NULL for standard output */
    char *temp_path;
    FILE *file;                 /* plain output (or stdout) */
    gzFile gz;                  /* gzip output */
    int fd;                     /* the temporary file's descriptor (fsync before rename) */
    int failed;                 /* a write failed: commit refuses */
    int committed;
    char error[200];            /* the first write error */
} export_output;

/* path "-": standard output. */
int sl_export_output_open(export_output *out, const char *path, sl_error *err);
/* Writes all of data; -1 (and remembers why) on failure. */
int sl_export_output_write(export_output *out, const void *data, size_t len);
/* Flushes, syncs, closes and renames into place. */
int sl_export_output_commit(export_output *out, sl_error *err);
/* Closes and removes the temporary file unless committed. */
void sl_export_output_close(export_output *out);

#endif
