/* template.h: manifest templates (templates/NAME.json, format in man/shipload-template.5).
 * A template names a layout, says how to read it (CSV options or XML record/XPaths), how to
 * recognise it, and how each canonical field is taken from a record (column, constant, XPath,
 * transforms, value maps, skip rules). The mapper applies it to one record at a time.
 * Templates do not validate values (that is src/validate) and do not read files themselves
 * beyond the peeked start used for detection. */
#ifndef SHIPLOAD_TEMPLATE_H
#define SHIPLOAD_TEMPLATE_H

#include <stddef.h>
#include "shipload/error.h"
#include "shipload/input.h"
#include "shipload/record.h"
#include "shipload/row.h"

typedef struct sl_template sl_template;

typedef enum sl_format { SL_FORMAT_CSV = 0, SL_FORMAT_XML } sl_format;

/* Template search path: $SHIPLOAD_TEMPLATE_PATH (':'-separated), then <prefix>/share/shipload/
 * templates next to the running binary, then the install dir, then the source tree's templates/. */

/* Loads by name (searched) or by path (contains '/' or ends in .json). Unknown keys and bad
 * values fail with the file and the key named. */
sl_template *sl_template_load(const char *name_or_path, sl_error *err);
sl_template *sl_template_load_file(const char *path, sl_error *err);
void sl_template_free(sl_template *tpl);

const char *sl_template_name(const sl_template *tpl);
const char *sl_template_description(const sl_template *tpl);
const char *sl_template_path(const sl_template *tpl);       /* the file it was loaded from */
sl_format sl_template_format(const sl_template *tpl);
sl_encoding sl_template_encoding(const sl_template *tpl);  /* AUTO unless the template says */
int sl_template_has_header(const sl_template *tpl);        /* CSV: 1 unless csv.header false */
/* strftime-style formats for dates (ISO 8601 is always accepted besides these). */
const char *const *sl_template_date_formats(const sl_template *tpl, size_t *count);
int sl_template_notify_default(const sl_template *tpl);     /* -1 unset, 0, 1 */
int sl_template_verify_tracking(const sl_template *tpl);    /* 1 unless the template turns it off */

/* Names of every import template on the search path, sorted; caller frees with
 * sl_template_names_free. */
char **sl_template_list(size_t *count, sl_error *err);
void sl_template_names_free(char **names, size_t count);

/* Picks the template that fits the stream's start (peeked, not consumed): all its required
 * columns present (CSV header, case-insensitive) or its root/record element present (XML); the
 * most required columns wins. None, or a tie: returns NULL and err lists the candidates. */
sl_template *sl_template_detect(sl_stream *stream, sl_error *err);
/* The same for a header already read (the first row of a workbook's sheet): CSV templates. */
sl_template *sl_template_detect_header(const sl_header *header, sl_error *err);

/* For a template given with -t: refuses an XML document, seen whole in the peeked start,
 * that holds no record element at all (nothing would be read: a wrong template). 0 or -1. */
int sl_template_check_start(const sl_template *tpl, sl_stream *stream, sl_error *err);

/* Builds the right reader for the template over the stream. */
sl_reader *sl_template_reader_new(const sl_template *tpl, sl_stream *stream, sl_error *err);

/* ---- mapping a record to a canonical row ---- */

typedef struct sl_mapper sl_mapper;

/* Binds the template's fields to the header's columns (by name, case-insensitive, or by number
 * when headerless). Fails if a required column is missing. */
sl_mapper *sl_mapper_new(const sl_template *tpl, const sl_header *header, sl_error *err);

/* Fills row (already sl_row_init'ed) from the record: source position, flags, mapped strings.
 * A skip rule sets status SKIPPED with the rule in row->message. Never fails on values:
 * judging them is validation's job. Returns -1 only on allocation failure. */
int sl_mapper_map(const sl_mapper *mapper, const sl_record *record, sl_row *row);
/* Source-level notices found when binding: columns that look like a canonical field
 * (carrier, quantity, SKU, date, order, tracking number) that the template leaves unread
 * ("column 'qty' is not read; did you mean 'quantity'?"). */
size_t sl_mapper_notice_count(const sl_mapper *mapper);
const char *sl_mapper_notice(const sl_mapper *mapper, size_t index);
/* 1 when mapping a record depends on the records before it (a field inherits its value from
 * an earlier record sharing a key): then records must be mapped in input order, one at a time.
 * 0: any record may be mapped on any thread, in any order. */
int sl_mapper_remembers(const sl_mapper *mapper);
/* 1 when a field, rule or inheritance key reads the header column (0-based). */
int sl_mapper_reads_column(const sl_mapper *mapper, size_t column);
void sl_mapper_free(sl_mapper *mapper);

#endif
