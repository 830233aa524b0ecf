/* source.h: one manifest source opened for a reading subcommand (validate now, import later):
 * the stream, its template (given with -t or detected), the reader and the mapper, and the
 * rows it yields mapped and validated. Decides the exit status of the failures that happen
 * before any record is read. Prints nothing: failures come back in sl_error. */
#ifndef SHIPLOAD_CLI_SOURCE_H
#define SHIPLOAD_CLI_SOURCE_H

#include "options.h"
#include "shipload/error.h"
#include "shipload/input.h"
#include "shipload/report.h"
#include "shipload/row.h"
#include "shipload/template.h"
#include "shipload/validate.h"

typedef struct cli_source {
    const char *path;             /* as given ("-" for standard input) */
    sl_stream *stream;
    sl_template *tpl;
    int detected;                 /* the template was detected, not given */
    int empty;                    /* no bytes at all (0-byte file with -t): no reader */
    int rejects_bom;              /* rejects.csv gets a UTF-8 BOM: the input was decoded from
                                     another encoding, or --excel */
    sl_reader *reader;
    sl_mapper *mapper;
    sl_validate_options validation;
    sl_validate_run *validation_run;  /* what validation remembers across the rows */
    char sha256_hex[65];
} cli_source;

/* Opens the source, picks its template, starts the reader (the header is read) and binds the
 * mapper. Returns 0, or the exit status for the failure (SL_EXIT_USAGE: no template fits, the
 * template cannot be loaded or does not fit the header, a 0-byte file without -t;
 * SL_EXIT_FATAL: unreadable source, or the stream broke before the first record) with err
 * set. `*partly_read` is set when the failure came after bytes were read (the caller should
 * still write reports). The source must be closed with cli_source_close in every case. */
int cli_source_open(cli_source *source, const char *path, const cli_options *options,
                    int *partly_read, sl_error *err);

/* Next row, mapped and validated (status PENDING when nothing is wrong with it, SKIPPED or
 * INVALID otherwise). *raw is the record it came from, valid until the next call. Returns 1,
 * 0 at the end, -1 on a fatal error (truncated gzip, malformed XML: err says where). */
int cli_source_next(cli_source *source, sl_row *row, const sl_record **raw, sl_error *err);

/* cli_source_next in two halves, for callers that read on one thread and validate on another:
 * cli_source_next_mapped reads and maps (it uses the reader and the mapper), and
 * cli_source_validate validates a mapped row (it reads only the validation options, which do
 * not change after open, so it may run on another thread than the reading). */
int cli_source_next_mapped(cli_source *source, sl_row *row, const sl_record **raw, sl_error *err);
void cli_source_validate(const cli_source *source, sl_row *row);

/* After detection failed: 1 when the stream breaks (truncated or corrupt gzip) within its
 * start (what detection looked at, and a little more), why says how; then that, not the
 * layout, is the problem (exit status 3). Consumes the stream. */
int cli_stream_broken_start(sl_stream *stream, sl_error *why);

size_t cli_source_records_read(const cli_source *source);
/* The input's column names and delimiter for rejects.csv (nothing for an empty source), and
 * its BOM when the input was not UTF-8 or --excel was given. */
void cli_source_set_report_columns(const cli_source *source, sl_report *report);
/* Fills the summary's input block; strings stay owned by the source. */
void cli_source_report_input(cli_source *source, sl_report_input *input);

void cli_source_close(cli_source *source);

#endif
