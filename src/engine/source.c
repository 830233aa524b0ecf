/* source.c: a manifest source for the reading subcommands: open (path, "-" or a remote URL), notice an empty
 * file, load or detect the template, apply its encoding, start the reader, bind the mapper, then
 * yield mapped and validated rows. Does not write reports or print: the subcommand does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/source.h"
#include "shipload/remote.h"

/* Sets err to "PATH: DETAIL" and returns the exit status. */
static int fail(int status, sl_error *err, const char *path, const char *detail)
{
    sl_error_set(err, "%s: %s", path, detail);
    return status;
}

static int choose_template(sl_source *source, const sl_engine_options *options, sl_error *err)
{
    sl_error cause = { "" };
    if (options->template_name) {
        source->tpl = sl_template_load(options->template_name, &cause);
        if (!source->tpl)
            return fail(SL_EXIT_USAGE, err, source->path, cause.message);
        if (sl_template_check_start(source->tpl, source->stream, &cause) != 0)
            return fail(SL_EXIT_USAGE, err, source->path, cause.message);
        return 0;
    }
    source->tpl = sl_template_detect(source->stream, &cause);
    if (!source->tpl) {
        sl_error_set(err, "%s: %s (give a template with -t)", source->path, cause.message);
        return SL_EXIT_USAGE;
    }
    source->detected = 1;
    return 0;
}

#define DETECT_LOOKAHEAD (128 * 1024)
int sl_stream_broken_start(sl_stream *stream, sl_error *why)
{
    char buffer[16384];
    size_t total = 0;
    while (total < DETECT_LOOKAHEAD) {
        ssize_t got = sl_stream_read(stream, buffer, sizeof(buffer), why);
        if (got < 0)
            return 1;
        if (got == 0)
            return 0;
        total += (size_t)got;
    }
    return 0;
}

/* The template's date formats, --date-format's (tried first and alone), and the other
 * validation options. */
static int set_validation(sl_source *source, const sl_engine_options *options, sl_error *err)
{
    size_t template_count = 0;
    const char *const *template_formats = sl_template_date_formats(source->tpl, &template_count);
    source->validation.date_formats = template_formats;
    source->validation.date_format_count = template_count;
    source->validation.user_date_formats = options->date_formats;
    source->validation.user_date_format_count = options->date_format_count;
    source->validation.today = options->today;
    source->validation.suggest_encoding =
        !options->encoding_name && sl_template_encoding(source->tpl) == SL_ENCODING_AUTO;
    source->validation.verify_tracking =
        options->verify_tracking && sl_template_verify_tracking(source->tpl);
    source->validation.default_notify =
        options->notify >= 0 ? options->notify : sl_template_notify_default(source->tpl);
    source->validation_run = sl_validate_run_new();
    if (!source->validation_run)
        return fail(SL_EXIT_FATAL, err, source->path, "out of memory");
    source->validation.run = source->validation_run;
    return 0;
}

/* Binds the mapper to the reader's header; --strict refuses a source with notices. */
static int bind_mapper(sl_source *source, const sl_engine_options *options, sl_error *err)
{
    sl_error cause = { "" };
    source->mapper = sl_mapper_new(source->tpl, sl_reader_header(source->reader), &cause);
    if (!source->mapper)
        return fail(SL_EXIT_USAGE, err, source->path, cause.message);
    if (options->strict && sl_mapper_notice_count(source->mapper) > 0) {
        sl_error_set(err, "%s: %s (--strict: nothing is read or sent)", source->path,
                     sl_mapper_notice(source->mapper, 0));
        return SL_EXIT_USAGE;
    }
    return 0;
}

static int start_reading(sl_source *source, const sl_engine_options *options, int *partly_read,
                         sl_error *err)
{
    sl_error cause = { "" };
    sl_encoding template_encoding = sl_template_encoding(source->tpl);
    sl_encoding encoding = options->encoding_name ? options->encoding : template_encoding;
    source->rejects_bom = options->excel ||
                          (encoding != SL_ENCODING_AUTO && encoding != SL_ENCODING_UTF8);
    if (!options->encoding_name && template_encoding != SL_ENCODING_AUTO &&
        sl_stream_set_encoding(source->stream, template_encoding, &cause) != 0)
        return fail(SL_EXIT_USAGE, err, source->path, cause.message);
    source->reader = sl_template_reader_new(source->tpl, source->stream, &cause);
    if (!source->reader)
        return fail(SL_EXIT_USAGE, err, source->path, cause.message);
    if (sl_reader_start(source->reader, &cause) != 0) {
        *partly_read = 1;
        return fail(SL_EXIT_FATAL, err, source->path, cause.message);
    }
    return bind_mapper(source, options, err);
}

/* An Excel workbook: its sheet is read (the whole source is spooled first) and its first row
 * is the header that detection and the mapper see; only CSV templates (columns) read it. */
static int open_workbook(sl_source *source, const sl_engine_options *options, int *partly_read,
                         sl_error *err)
{
    sl_error cause = { "" };
    if (sl_stream_set_encoding(source->stream, SL_ENCODING_UTF8, &cause) != 0)
        return fail(SL_EXIT_USAGE, err, source->path, cause.message);
    source->reader = sl_xlsx_reader_new(source->stream, options->sheet, &cause);
    if (!source->reader)
        return fail(SL_EXIT_FATAL, err, source->path, cause.message);
    if (sl_reader_start(source->reader, &cause) != 0) {
        *partly_read = 1;
        return fail(SL_EXIT_FATAL, err, source->path, cause.message);
    }
    if (options->template_name) {
        if (!(source->tpl = sl_template_load(options->template_name, &cause)))
            return fail(SL_EXIT_USAGE, err, source->path, cause.message);
        if (sl_template_format(source->tpl) != SL_FORMAT_CSV)
            return fail(SL_EXIT_USAGE, err, source->path, "an .xlsx workbook is read through a "
                        "CSV template (columns), not an XML one");
    } else if (!(source->tpl = sl_template_detect_header(sl_reader_header(source->reader),
                                                         &cause))) {
        sl_error_set(err, "%s: %s (give a template with -t)", source->path, cause.message);
        return SL_EXIT_USAGE;
    }
    source->detected = !options->template_name;
    if (!sl_template_has_header(source->tpl))
        sl_xlsx_reader_set_header(source->reader, 0);
    int status = set_validation(source, options, err);
    return status ? status : bind_mapper(source, options, err);
}

int sl_source_open(sl_source *source, const char *path, const sl_engine_options *options,
                    int *partly_read, sl_error *err)
{
    sl_error cause = { "" };
    memset(source, 0, sizeof(*source));
    source->path = path;
    *partly_read = 0;
    source->stream = sl_remote_is_url(path)
                         ? sl_remote_stream_open(path, &options->remote, options->encoding, &cause)
                         : sl_stream_open(path, options->encoding, &cause);
    if (!source->stream) {   /* the message names the path already */
        sl_error_set(err, "%s", cause.message[0] ? cause.message : path);
        return SL_EXIT_FATAL;
    }
    const char *start;
    size_t start_len;
    if (sl_stream_peek(source->stream, 1, &start, &start_len, &cause) != 0) {
        *partly_read = 1;
        return fail(SL_EXIT_FATAL, err, path, cause.message);
    }
    if (start_len == 0 && !options->template_name)
        return fail(SL_EXIT_USAGE, err, path,
                    "the file is empty, so no template can be detected (give one with -t)");
    if (start_len > 0 && sl_stream_is_zip(source->stream))
        return open_workbook(source, options, partly_read, err);
    int status = choose_template(source, options, err);
    sl_error why = { "" };
    if (status == SL_EXIT_USAGE && !options->template_name && sl_stream_broken_start(source->stream, &why)) {
        *partly_read = 1;   /* reports are written: 0 records, incomplete */
        sl_error_set(err, "%s: %s (0 records read)", path, why.message);
        return SL_EXIT_FATAL;
    }
    if (status == 0)
        status = set_validation(source, options, err);
    if (status != 0)
        return status;
    if (start_len == 0) {
        source->empty = 1;   /* an empty manifest: nothing to read, nothing to bind */
        return 0;
    }
    return start_reading(source, options, partly_read, err);
}

int sl_source_next_record(sl_source *source, const sl_record **raw, sl_error *err)
{
    if (source->empty || !source->reader)
        return 0;
    return sl_reader_next(source->reader, raw, err);
}

int sl_source_map(sl_source *source, const sl_record *record, sl_row *row, sl_error *err)
{
    if (sl_mapper_map(source->mapper, record, row) != 0)
        return sl_error_set(err, "%s: out of memory at record %zu", source->path, record->number);
    return 0;
}

int sl_source_maps_in_any_order(const sl_source *source)
{
    return source->mapper && !sl_mapper_remembers(source->mapper);
}

void sl_source_validate(const sl_source *source, sl_row *row)
{
    sl_validate_row(row, &source->validation);
}

int sl_source_next(sl_source *source, sl_row *row, const sl_record **raw, sl_error *err)
{
    const sl_record *record;
    int rc = sl_source_next_record(source, &record, err);
    if (rc <= 0)
        return rc;
    if (sl_source_map(source, record, row, err) != 0)
        return -1;
    sl_source_validate(source, row);
    *raw = record;
    return 1;
}

size_t sl_source_records_read(const sl_source *source)
{
    return source->reader ? sl_reader_records_read(source->reader) : 0;
}

void sl_source_set_report_columns(const sl_source *source, sl_report *report)
{
    if (source->rejects_bom)
        sl_report_mark_rejects_utf8(report);
    if (source->reader)
        sl_report_set_input_columns(report, sl_reader_header(source->reader),
                                    sl_reader_delimiter(source->reader));
}

void sl_source_report_input(sl_source *source, sl_report_input *input)
{
    memset(input, 0, sizeof(*input));
    input->name = source->path;
    if (source->stream) {
        input->size = sl_stream_raw_bytes(source->stream);
        sl_stream_sha256_hex(source->stream, source->sha256_hex);
        input->sha256_hex = source->sha256_hex;
    }
    input->template_name = source->tpl ? sl_template_name(source->tpl) : NULL;
}

void sl_source_close(sl_source *source)
{
    if (source->mapper)
        sl_mapper_free(source->mapper);
    if (source->reader)   /* readers borrow the stream: freed first */
        sl_reader_free(source->reader);
    if (source->stream)
        sl_stream_close(source->stream);
    if (source->tpl)
        sl_template_free(source->tpl);
    sl_validate_run_free(source->validation_run);
    memset(source, 0, sizeof(*source));
}

void sl_source_report_notices(const sl_source *source, sl_report *report, FILE *warn_to,
                              const char *command)
{
    size_t count = source->mapper ? sl_mapper_notice_count(source->mapper) : 0;
    for (size_t i = 0; i < count; i++) {
        const char *notice = sl_mapper_notice(source->mapper, i);
        if (warn_to)
            fprintf(warn_to, "shipload %s: %s: warning: %s\n", command, source->path, notice);
        if (report) {
            sl_report_count_warning(report, SL_WARNING_UNMAPPED_COLUMN, 1);
            sl_report_add_notice(report, notice);
        }
    }
}
