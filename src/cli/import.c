/* import.c: `shipload import [options] SOURCE...`: for each source, read every record (mapped
 * and validated), hand the rows to sl_engine_import.c (look up, match, plan, submit or dry run),
 * mark rows never attempted `not_attempted`, and write the reports in input order with the
 * summary line and the exit status of spec §9. The network part lives in sl_engine_import.c. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "commands.h"
#include "api_config.h"
#include "digest.h"
#include "engine/import_rows.h"
#include "engine/import_send.h"
#include "engine/source.h"
#include "notify.h"
#include "import.h"
#include "inbox.h"
#include "options.h"
#include "remote_sources.h"
#include "run.h"
#include "run_guard.h"
#include "shipload/journal.h"
#include "shipload/url.h"

static const sl_status import_statuses[] = { SL_STATUS_SHIPPED, SL_STATUS_DUPLICATE };
static const sl_status dry_run_statuses[] = { SL_STATUS_WOULD_SHIP, SL_STATUS_DUPLICATE };

/* Every record of the source into rows. Returns 0, or -1 on a fatal error (err set). */
static int read_records(sl_source *source, sl_import_rows *rows, const cli_options *options,
                        sl_error *err)
{
    cli_progress_line progress;
    char label[512];
    snprintf(label, sizeof(label), "import: %s: reading", source->path);
    cli_progress_start(&progress, cli_options_show_progress(options), label);
    size_t limit = (size_t)options->memory_limit_mib * 1024 * 1024;
    int rc = 0;
    for (;;) {
        if (cli_interrupted()) {
            rc = sl_error_set(err, "%s: interrupted after %zu record%s", source->path,
                              rows->count, rows->count == 1 ? "" : "s");
            break;
        }
        sl_row row;
        const sl_record *raw = NULL;
        sl_row_init(&row);
        int got = sl_source_next(source, &row, &raw, err);
        if (got == 1 && sl_import_rows_add(rows, &row, raw) != 0)
            got = sl_error_set(err, "%s: out of memory at record %zu", source->path,
                               rows->count + 1);
        if (got == 1 && sl_import_rows_bytes(rows) > limit)
            got = sl_error_set(err, "%s: the records read would take more than the import's "
                               "memory limit of %ld MiB (--memory-limit) after %zu records; "
                               "nothing is sent: split the manifest or raise the limit",
                               source->path, options->memory_limit_mib, rows->count);
        sl_row_clear(&row);
        if (got <= 0) {
            rc = got;
            break;
        }
        cli_progress_update(&progress, rows->count);
    }
    sl_import_rows_shrink(rows);
    cli_progress_finish(&progress);
    return rc;
}

/* Rows no stage decided: never sent, with the code of what stopped the run (one copy of why,
 * shared by the rows). */
static void mark_not_attempted(sl_import_rows *rows, sl_code code, const char *why)
{
    sl_import_rows_stop_pending(rows, code, why);
}

static int has_pending(const sl_import_rows *rows)
{
    for (size_t i = 0; i < rows->count; i++)
        if (rows->rows[i].status == SL_STATUS_PENDING)
            return 1;
    return 0;
}

/* results.csv in input order; rejects.csv gets the raw record of each row that failed. */
static int write_rows(sl_report *report, const sl_import_rows *rows, sl_error *err)
{
    for (size_t i = 0; i < rows->count; i++) {
        const sl_row *row = &rows->rows[i];
        sl_record *raw = sl_status_is_success(row->status) ? NULL : sl_import_rows_record(rows, i);
        int rc = sl_report_add(report, row, raw, err);
        free(raw);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* What the reports of rows may take, generously: twice their values and raw records (as
 * results.csv and rejects.csv may both show them), 512 bytes a row for codes, messages and ids
 * the later stages add, and 64 KiB for summary.json. */
static unsigned long long report_room(const sl_import_rows *rows)
{
    return 2ULL * rows->value_bytes + 512ULL * rows->count + 64ULL * 1024;
}

/* What the journal of writes may take, generously: a line per row sent and per outcome. */
static unsigned long long journal_room(const sl_import_rows *rows)
{
    return rows->value_bytes + 1024ULL * rows->count + 4096;
}

/* A local path made absolute, so a rebuild from another directory finds it; else as given. */
static char *absolute_or_given(const char *path)
{
    char *absolute = NULL;
    if (path && strcmp(path, "-") != 0 && !strstr(path, "://"))
        absolute = realpath(path, NULL);
    return absolute ? absolute : path ? strdup(path) : NULL;
}

/* Opens the run's journal of writes (journal.h) in the report directory, its header naming
 * the source and what reading it depended on. NULL with err: nothing may be sent. */
static sl_journal *open_journal(const sl_engine_options *engine, sl_import_rows *rows,
                                sl_report *report, sl_source *source, sl_error *err)
{
    sl_report_input input;
    sl_source_report_input(source, &input);
    char *source_path = absolute_or_given(source->path);
    char *template_name = engine->template_name && strchr(engine->template_name, '/')
                              ? absolute_or_given(engine->template_name)
                              : strdup(engine->template_name ? engine->template_name
                                                             : input.template_name ? input.template_name : "");
    char shown[512];
    sl_journal_run run = { "import", source_path, input.sha256_hex, input.size, template_name,
                           engine->encoding_name, engine->sheet, engine->date_formats,
                           engine->date_format_count, engine->today, engine->verify_tracking,
                           engine->excel, engine->strict, engine->notify,
                           engine->platform ? engine->platform->name : NULL,
                           engine->api_url ? sl_url_shown(engine->api_url, shown, sizeof(shown)) : NULL,
                           rows->count };
    sl_journal *journal = source_path && template_name
                              ? sl_journal_open(sl_report_dir(report), &run, journal_room(rows), err)
                              : NULL;
    if (!journal && (!source_path || !template_name))
        sl_error_set(err, "out of memory");
    free(source_path);
    free(template_name);
    return journal;
}

/* Why the sources after a 401 or an unreachable API are not sent at all (spec §7: nothing is
 * sent after a 401). Their records are still read and reported, as not_attempted. */
typedef struct import_halt {
    sl_code code;               /* SL_CODE_NONE: the run goes on */
    char message[600];
} import_halt;

/* The network part for the rows read. Returns 1 when the run is fatal (message in err); after
 * a 401 or an unreachable API, halt says so for the sources that follow. */
static int send_rows(const sl_engine_options *given, sl_import_rows *rows,
                     sl_report *report, sl_source *source, import_halt *halt,
                     sl_journal **journal, sl_error *err)
{
    sl_import_outcome outcome;
    sl_engine_options engine_options = *given;
    const sl_engine_options *engine = &engine_options;
    if (!has_pending(rows))
        return 0;
    /* never send a write whose outcome could not be reported: room for the reports, and the
     * journal of writes, first */
    if (sl_report_reserve(report, report_room(rows), err) != 0 ||
        (!engine->dry_run && !(*journal = open_journal(engine, rows, report, source, err)))) {
        char why[700];
        snprintf(why, sizeof(why), "not sent: %s", err->message);
        mark_not_attempted(rows, SL_CODE_RUN_STOPPED, why);
        return 1;
    }
    engine_options.journal = *journal;
    if (sl_engine_import(engine, rows, report, source->path, rows->count, &outcome, err) != 0) {
        char why[600];
        snprintf(why, sizeof(why), "not sent: the run stopped: %s", err->message);
        mark_not_attempted(rows, SL_CODE_RUN_STOPPED, why);
        return 1;
    }
    mark_not_attempted(rows, outcome.stop_code, outcome.stop_why);
    if (outcome.journal_failed) {
        sl_error_set(err, "%s", outcome.message);
        return 1;
    }
    if (outcome.auth_failed || outcome.unreachable) {
        sl_error_set(err, "%s", outcome.message);
        halt->code = outcome.stop_code;
        snprintf(halt->message, sizeof(halt->message), "%s", outcome.message);
        return 1;
    }
    return 0;
}

/* The journal goes once the reports hold every outcome; else it stays for
 * `shipload report --rebuild`, and stderr says so. */
static void close_journal(sl_journal *journal, int reports_complete, const char *dir)
{
    if (journal && !reports_complete)
        fprintf(stderr, "shipload import: the reports of %s are incomplete; its journal of "
                "writes, %s, is kept: 'shipload report --rebuild %s' makes them from it\n", dir,
                sl_journal_path(journal), dir);
    sl_journal_close(journal, reports_complete);
}

/* Cron mode (-q, or stderr not a terminal): nothing when every row succeeded, else the digest
 * on stderr; and the notifications (--mail-to, --webhook) the options ask for. */
static void report_quietly(const cli_options *options, const sl_report *report,
                           const sl_import_rows *rows, const char *source_path, const char *fatal,
                           int status)
{
    int print = options->quiet && status != SL_EXIT_OK;
    int notify = cli_notify_wanted(options, status);
    if (!print && !notify)
        return;
    char *digest = cli_digest_build("import", source_path, report, rows, fatal);
    if (!digest)
        return;
    if (print)
        fputs(digest, stderr);
    if (notify) {
        char subject[600], rejects[4200], summary[4200];
        size_t failures = sl_report_failures(report), records = sl_report_rows(report);
        if (status == SL_EXIT_OK)
            snprintf(subject, sizeof(subject), "shipload import: %s: all %zu records done",
                     source_path, records);
        else
            snprintf(subject, sizeof(subject), "shipload import: %s: %zu of %zu records did "
                     "not succeed%s", source_path, failures, records, fatal ? " (run stopped)" : "");
        snprintf(rejects, sizeof(rejects), "%s/rejects.csv", sl_report_dir(report));
        snprintf(summary, sizeof(summary), "%s/summary.json", sl_report_dir(report));
        cli_notice notice = { "import", subject, digest, rejects, summary, NULL };
        cli_notify_send(options, &notice);
    }
    free(digest);
}

/* Reads, sends and reports one source. Returns its exit status. */
static int import_source(const cli_options *options, const cli_api_config *api, int index,
                         import_halt *halt)
{
    sl_source source;
    sl_error err = { "" }, close_err = { "" };
    int partly_read = 0;
    sl_engine_options engine;
    cli_engine_options(options, api, &engine);
    int status = sl_source_open(&source, options->operands[index], &engine, &partly_read, &err);
    if (status != 0 && !partly_read) {
        fprintf(stderr, "shipload import: %s\n", err.message);
        sl_source_close(&source);
        return status;
    }
    if (options->verbose && source.tpl)
        fprintf(stderr, "import: %s: template %s (%s)\n", source.path,
                sl_template_name(source.tpl), source.detected ? "detected" : "given");
    sl_report *report = cli_report_open(options, index, "import", options->dry_run, api->url,
                                         api->platform ? api->platform->name : NULL,
                                         &close_err);
    if (!report) {
        fprintf(stderr, "shipload import: %s\n", close_err.message);
        sl_source_close(&source);
        return status ? status : SL_EXIT_USAGE;
    }
    sl_import_rows rows;
    sl_import_rows_init(&rows);
    sl_journal *journal = NULL;
    int fatal = status != 0;
    if (!fatal) {
        sl_source_set_report_columns(&source, report);
        sl_source_report_notices(&source, report, options->quiet ? NULL : stderr, "import");
        fatal = read_records(&source, &rows, options, &err) != 0;
    }
    if (fatal) {   /* a source cut short: its complete records are reported, nothing is sent */
        char why[700];
        snprintf(why, sizeof(why), "not sent: the source could not be read to its end: %s",
                 err.message);
        mark_not_attempted(&rows, cli_interrupted() ? SL_CODE_INTERRUPTED : SL_CODE_RUN_STOPPED,
                           why);
    } else if (halt->code != SL_CODE_NONE) {
        char why[700];
        snprintf(why, sizeof(why), "not sent: an earlier source stopped the run: %s",
                 halt->message);
        mark_not_attempted(&rows, halt->code, why);
        sl_error_set(&err, "%s: not sent: an earlier source stopped the run: %s", source.path,
                     halt->message);
        fatal = 1;
    } else {
        fatal = send_rows(&engine, &rows, report, &source, halt, &journal, &err);
        if (rows.count == 0 && !options->quiet)
            fprintf(stderr, "shipload import: warning: %s: no records (an empty manifest)\n",
                    source.path);
    }
    if (!fatal && cli_interrupted()) {   /* stopped by a signal: the reports say so */
        sl_error_set(&err, "%s: interrupted by %s; rows not sent are not_attempted",
                     source.path, cli_interrupted() == SIGINT ? "SIGINT" : "SIGTERM");
        fatal = 1;
    }
    if (fatal) {
        sl_report_set_fatal(report, err.message);
        fprintf(stderr, "shipload import: %s\n", err.message);
    }
    sl_report_release_reserve(report);   /* the reports take its place */
    sl_error write_err = { "" };
    if (write_rows(report, &rows, &write_err) != 0) {
        fprintf(stderr, "shipload import: %s\n", write_err.message);
        fatal = 1;
    }
    sl_report_input input;
    sl_source_report_input(&source, &input);
    int reports_complete = sl_report_close(report, &input, &close_err) == 0;
    if (!reports_complete) {
        fprintf(stderr, "shipload import: %s\n", close_err.message);
        fatal = 1;
    }
    close_journal(journal, reports_complete, sl_report_dir(report));
    status = cli_report_exit_status(report, fatal);
    if (!options->quiet)
        cli_print_summary_line(stderr, "import", report,
                               options->dry_run ? dry_run_statuses : import_statuses, 2);
    report_quietly(options, report, &rows, source.path, fatal ? err.message : NULL, status);
    sl_report_free(report);
    sl_import_rows_clear(&rows);
    sl_source_close(&source);
    return status;
}

/* Checks made before any source is read: the sources and the template (run.c), and the
 * API's address and token. An inbox run takes no SOURCE: the inbox names them. */
static int check_invocation(const cli_options *options, cli_api_config *api)
{
    if (!options->inbox && options->watch) {
        fprintf(stderr, "shipload import: --watch needs --inbox DIR|URL\n");
        return SL_EXIT_USAGE;
    }
    int status = options->inbox ? cli_inbox_check(options) : cli_check_sources(options, "import");
    if (status != SL_EXIT_OK)
        return status;
    sl_error err = { "" };
    if (cli_api_config_load(options, api, &err) != 0) {
        fprintf(stderr, "shipload import: %s\n", err.message);
        return SL_EXIT_USAGE;
    }
    if (cli_notify_check(options, &err) != 0) {
        fprintf(stderr, "shipload import: %s\n", err.message);
        cli_api_config_clear(api);
        return SL_EXIT_USAGE;
    }
    return SL_EXIT_OK;
}

int cli_import_sources(const cli_options *options, const cli_api_config *api)
{
    int status = SL_EXIT_OK;
    import_halt halt = { SL_CODE_NONE, "" };
    for (int i = 0; i < options->operand_count && !cli_interrupted(); i++)
        status = cli_exit_worst(status, import_source(options, api, i, &halt));
    return status;
}

/* A run refused before any source was read (lock, preflight): the notifications still go. */
static void notify_refusal(const cli_options *options, const char *cause, int status)
{
    if (!cli_notify_wanted(options, status))
        return;
    char subject[300], text[1600];
    json_t *summary = json_pack("{s:s, s:b, s:i, s:s}", "command", "import", "complete", 0,
                                "exit_status", status, "error", cause);
    char *summary_json = summary ? json_dumps(summary, JSON_COMPACT) : NULL;
    snprintf(subject, sizeof(subject), "shipload import: the run did not start (exit %d)",
             status);
    snprintf(text, sizeof(text), "shipload import: the run did not start (exit %d): %s\n",
             status, cause);
    cli_notice notice = { "import", subject, text, NULL, NULL, summary_json ? summary_json : "{}" };
    cli_notify_send(options, &notice);
    free(summary_json);
    json_decref(summary);
}

int cli_import(int argc, char **argv)
{
    cli_options options;
    if (cli_options_parse(&options, argc, argv, CLI_IMPORT, "import") != 0)
        return SL_EXIT_USAGE;
    if (options.help) {
        cli_command_help(stdout, "import");
        return SL_EXIT_OK;
    }
    if (!options.verbose && !isatty(STDERR_FILENO))
        options.quiet = 1;   /* cron mode: silent on a good night, a digest on a bad one */
    cli_api_config api;
    memset(&api, 0, sizeof(api));
    int status = check_invocation(&options, &api);
    if (status != SL_EXIT_OK)
        return status;
    char **expanded = NULL;   /* remote globs: the files they match */
    size_t expanded_count = 0;
    if (!options.inbox &&
        (status = cli_expand_sources(&options, "import", &expanded, &expanded_count)) != SL_EXIT_OK) {
        cli_api_config_clear(&api);
        return status;
    }
    cli_interrupt_install();
    cli_lock lock;
    char cause[1200] = "";
    status = cli_run_guard_begin(&options, &api, "import", &lock, cause, sizeof(cause));
    if (status != SL_EXIT_OK) {
        notify_refusal(&options, cause, status);
        cli_free_sources(expanded, expanded_count);
        cli_api_config_clear(&api);
        return status;
    }
    status = options.inbox ? cli_inbox_run(&options, &api) : cli_import_sources(&options, &api);
    cli_free_sources(expanded, expanded_count);
    cli_api_config_clear(&api);
    return cli_run_guard_end(&lock, status);
}
