/* validate.c: `shipload validate [options] SOURCE...`: read each source, map and validate every
 * record, and write its reports (results.csv, rejects.csv, results.xlsx, report.html,
 * summary.json) with status `valid`,
 * `invalid` or `skipped` per record. No network. Streams: memory does not grow with the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "commands.h"
#include "options.h"
#include "engine/row_pipe.h"
#include "remote_sources.h"
#include "run.h"
#include "api_config.h"
#include "engine/source.h"

static const sl_status validate_statuses[] = { SL_STATUS_VALID, SL_STATUS_INVALID,
                                               SL_STATUS_SKIPPED };

/* Every record of the source into the report. Reading (inflate, parse), mapping and validation
 * run on the row pipe's threads while this one writes the reports, in input order. Returns 0, or
 * -1 on a fatal error (err set). */
static int validate_records(sl_source *source, sl_report *report, const cli_options *options,
                            sl_error *err)
{
    sl_row_pipe *pipe = sl_row_pipe_new(source, 1, err);
    if (!pipe)
        return -1;
    cli_progress_line progress;
    char label[512];
    snprintf(label, sizeof(label), "validate: %s", source->path);
    cli_progress_start(&progress, cli_options_show_progress(options), label);
    int rc = 0;
    for (;;) {
        if (cli_interrupted()) {
            size_t rows = sl_report_rows(report);
            rc = sl_error_set(err, "%s: interrupted after %zu record%s", source->path, rows,
                              rows == 1 ? "" : "s");
            break;
        }
        sl_row *row;
        const sl_record *raw = NULL;
        int got = sl_row_pipe_next(pipe, &row, &raw, err);
        if (got == 1) {
            if (row->status == SL_STATUS_PENDING)
                row->status = SL_STATUS_VALID;
            got = sl_report_add(report, row, raw, err) == 0 ? 1 : -1;
        }
        if (got <= 0) {
            rc = got;
            break;
        }
        cli_progress_update(&progress, sl_report_rows(report));
    }
    cli_progress_finish(&progress);
    sl_row_pipe_free(pipe);
    return rc;
}

static void say_template(const sl_source *source, const cli_options *options)
{
    if (options->verbose && source->tpl)
        fprintf(stderr, "validate: %s: template %s (%s)\n", source->path,
                sl_template_name(source->tpl), source->detected ? "detected" : "given");
}

/* One source from open to reports. Returns its exit status. */
static int validate_source(const cli_options *options, int index)
{
    sl_source source;
    sl_error err = { "" }, close_err = { "" };
    int partly_read = 0;
    sl_engine_options engine;
    cli_engine_options(options, NULL, &engine);
    int status = sl_source_open(&source, options->operands[index], &engine, &partly_read, &err);
    if (status != 0 && !partly_read) {
        fprintf(stderr, "shipload validate: %s\n", err.message);
        sl_source_close(&source);
        return status;
    }
    say_template(&source, options);
    sl_error report_err = { "" };
    sl_report *report = cli_report_open(options, index, "validate", 0, NULL, NULL, &report_err);
    if (!report) {
        fprintf(stderr, "shipload validate: %s\n", report_err.message);
        if (status != 0)
            fprintf(stderr, "shipload validate: %s\n", err.message);
        sl_source_close(&source);
        return status ? status : SL_EXIT_USAGE;
    }
    int fatal = status != 0;
    if (!fatal) {
        source.validation.warn_shared_tracking = !options->allow_shared_tracking;
        sl_source_set_report_columns(&source, report);
        sl_source_report_notices(&source, report, options->quiet ? NULL : stderr, "validate");
        fatal = validate_records(&source, report, options, &err) != 0;
    }
    if (options->verbose)
        fprintf(stderr, "validate: %s: %zu record%s read\n", source.path,
                sl_source_records_read(&source),
                sl_source_records_read(&source) == 1 ? "" : "s");
    if (fatal) {
        sl_report_set_fatal(report, err.message);
        fprintf(stderr, "shipload validate: %s\n", err.message);
    } else if (sl_report_rows(report) == 0 && !options->quiet) {
        fprintf(stderr, "shipload validate: warning: %s: no records (an empty manifest)\n",
                source.path);
    }
    sl_report_input input;
    sl_source_report_input(&source, &input);
    if (sl_report_close(report, &input, &close_err) != 0) {
        fprintf(stderr, "shipload validate: %s\n", close_err.message);
        fatal = 1;
    }
    if (!options->quiet)
        cli_print_summary_line(stderr, "validate", report, validate_statuses,
                               sizeof(validate_statuses) / sizeof(validate_statuses[0]));
    status = cli_report_exit_status(report, fatal);
    sl_report_free(report);
    sl_source_close(&source);
    return status;
}

int cli_validate(int argc, char **argv)
{
    cli_options options;
    if (cli_options_parse(&options, argc, argv, CLI_VALIDATE, "validate") != 0)
        return SL_EXIT_USAGE;
    if (options.help) {
        cli_command_help(stdout, "validate");
        return SL_EXIT_OK;
    }
    int status = cli_check_sources(&options, "validate");
    if (status != SL_EXIT_OK)
        return status;
    char **expanded = NULL;   /* remote globs: the files they match */
    size_t expanded_count = 0;
    status = cli_expand_sources(&options, "validate", &expanded, &expanded_count);
    if (status != SL_EXIT_OK)
        return status;
    cli_interrupt_install();
    for (int i = 0; i < options.operand_count && !cli_interrupted(); i++)
        status = cli_exit_worst(status, validate_source(&options, i));
    cli_free_sources(expanded, expanded_count);
    return status;
}
