/* detect.c: `shipload detect SOURCE...`: prints "SOURCE: TEMPLATE" for each source, from the
 * peeked start of the file only (nothing else is read). Exit 0 when every source was named,
 * 2 when some had no single fitting template (or was empty), 3 when one could not be read. */
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "options.h"
#include "run.h"
#include "engine/source.h"
#include "shipload/input.h"
#include "shipload/template.h"

/* An .xlsx workbook: the sheet's first row is the header detection looks at. */
static int detect_workbook(const char *path, sl_stream *stream, const cli_options *options)
{
    sl_error err = { "" };
    sl_stream_set_encoding(stream, SL_ENCODING_UTF8, &err);
    sl_reader *reader = sl_xlsx_reader_new(stream, options->sheet, &err);
    int status = SL_EXIT_OK;
    if (!reader || sl_reader_start(reader, &err) != 0) {
        fprintf(stderr, "shipload detect: %s: %s\n", path, err.message);
        status = SL_EXIT_FATAL;
    } else {
        sl_template *tpl = sl_template_detect_header(sl_reader_header(reader), &err);
        if (tpl)
            printf("%s: %s\n", path, sl_template_name(tpl));
        else
            fprintf(stderr, "shipload detect: %s: %s\n", path, err.message);
        status = tpl ? SL_EXIT_OK : SL_EXIT_USAGE;
        sl_template_free(tpl);
    }
    sl_reader_free(reader);
    return status;
}

static int detect_one(const char *path, const cli_options *options)
{
    sl_error err = { "" }, why = { "" };
    sl_stream *stream = sl_stream_open(path, options->encoding, &err);
    if (!stream) {
        fprintf(stderr, "shipload detect: %s\n", err.message);
        return SL_EXIT_FATAL;
    }
    const char *start;
    size_t start_len = 0;
    int status = SL_EXIT_OK;
    if (sl_stream_peek(stream, 1, &start, &start_len, &err) != 0) {
        fprintf(stderr, "shipload detect: %s: %s\n", path, err.message);
        status = SL_EXIT_FATAL;
    } else if (start_len == 0) {
        fprintf(stderr, "shipload detect: %s: the file is empty: no template can be detected\n",
                path);
        status = SL_EXIT_USAGE;
    } else if (sl_stream_is_zip(stream)) {
        status = detect_workbook(path, stream, options);
    } else {
        sl_template *tpl = sl_template_detect(stream, &err);
        if (tpl) {
            printf("%s: %s\n", path, sl_template_name(tpl));
            sl_template_free(tpl);
        } else if (sl_stream_broken_start(stream, &why)) {
            fprintf(stderr, "shipload detect: %s: %s\n", path, why.message);
            status = SL_EXIT_FATAL;
        } else {
            fprintf(stderr, "shipload detect: %s: %s\n", path, err.message);
            status = SL_EXIT_USAGE;
        }
    }
    sl_stream_close(stream);
    return status;
}

int cli_detect(int argc, char **argv)
{
    cli_options options;
    if (cli_options_parse(&options, argc, argv, CLI_DETECT, "detect") != 0)
        return SL_EXIT_USAGE;
    if (options.help) {
        cli_command_help(stdout, "detect");
        return SL_EXIT_OK;
    }
    if (options.operand_count == 0) {
        fprintf(stderr, "shipload detect: no SOURCE given (see 'shipload detect --help')\n");
        return SL_EXIT_USAGE;
    }
    int status = SL_EXIT_OK;
    for (int i = 0; i < options.operand_count; i++) {
        status = cli_exit_worst(status, detect_one(options.operands[i], &options));
        fflush(stdout);
    }
    return status;
}
