/* source.h: one manifest source opened for a reading subcommand (validate now, import later):
 * the stream, its template (given with -t or detected), the reader and the mapper, and the
 * rows it yields mapped and validated. Decides the exit status of the failures that happen
 * before any record is read. Prints nothing: failures come back in sl_error. */
#ifndef SHIPLOAD_ENGINE_SOURCE_H
#define SHIPLOAD_ENGINE_SOURCE_H

#include "shipload/engine.h"
#include "shipload/error.h"
#include "shipload/input.h"
#include "shipload/report.h"
#include "shipload/row.h"
#include "shipload/template.h"
#include "shipload/validate.h"

typedef struct sl_source {
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
} sl_source;

/* Opens the source, picks its template, starts the reader (the header is read) and binds the
 * mapper. Returns 0, or the exit status for the failure (SL_EXIT_USAGE: no template fits, the
 * template cannot be loaded or does not fit the header, a 0-byte file without -t;
 * SL_EXIT_FATAL: unreadable source, or the stream broke before the first record) with err
 * set. `*partly_read` is set when the failure came after bytes were read (the caller should
 * still write reports). The source must be closed with sl_source_close in every case. */
int sl_source_open(sl_source *source, const char *path, const sl_engine_options *options,
                    int *partly_read, sl_error *err);

/* Next row, mapped and validated (status PENDING when nothing is wrong with it, SKIPPED or
 * INVALID otherwise). *raw is the record it came from, valid until the next call. Returns 1,
 * 0 at the end, -1 on a fatal error (truncated gzip, malformed XML: err says where). */
int sl_source_next(sl_source *source, sl_row *row, const sl_record **raw, sl_error *err);

/* sl_source_next in halves, for callers that read on one thread and map and validate on
 * another: sl_source_next_record reads the next record (it uses the reader; *raw is valid until
 * the next call), sl_source_map maps a record into a row (it uses the mapper; -1 with err set
 * when out of memory; one thread at a time, records in input order, unless
 * sl_source_maps_in_any_order), and sl_source_validate validates a mapped row (it reads only
 * the validation options, which do not change after open, and the validation run, which wants
 * rows in input order on one thread). */
int sl_source_next_record(sl_source *source, const sl_record **raw, sl_error *err);
int sl_source_map(sl_source *source, const sl_record *record, sl_row *row, sl_error *err);
/* 1 when sl_source_map may map records on several threads at once, in any order (the
 * template's mapping remembers nothing from record to record: sl_mapper_remembers). */
int sl_source_maps_in_any_order(const sl_source *source);
void sl_source_validate(const sl_source *source, sl_row *row);

/* After detection failed: 1 when the stream breaks (truncated or corrupt gzip) within its
 * start (what detection looked at, and a little more), why says how; then that, not the
 * layout, is the problem (exit status 3). Consumes the stream. */
int sl_stream_broken_start(sl_stream *stream, sl_error *why);

size_t sl_source_records_read(const sl_source *source);
/* The source-level warnings of the mapper (columns that look like a field but are not read):
 * counted in the report as unmapped_column and listed in its notices; printed to warn_to
 * ("shipload COMMAND: PATH: warning: ...") unless it is NULL. */
void sl_source_report_notices(const sl_source *source, sl_report *report, FILE *warn_to,
                              const char *command);
/* The input's column names and delimiter for rejects.csv (nothing for an empty source), and
 * its BOM when the input was not UTF-8 or --excel was given. */
void sl_source_set_report_columns(const sl_source *source, sl_report *report);
/* Fills the summary's input block; strings stay owned by the source. */
void sl_source_report_input(sl_source *source, sl_report_input *input);

void sl_source_close(sl_source *source);

#endif
