/* report.c: `shipload report --rebuild DIR [SOURCE]`: the reports of an import that ended
 * without them (killed, machine down, disk full), made from the journal of writes it left in
 * DIR (journal.h) and the source it names, read again the same way (its SHA-256 must match).
 * Each record: its journaled outcome when there is one; `failed`/run_stopped when a write
 * carrying it was sent but no answer was journaled (the outcome is unknown); otherwise what
 * reading it decides (invalid, skipped) or `not_attempted`/run_stopped. Without the source
 * (gone, changed, standard input, remote) the journal alone: records without a line carry only
 * their number. The journal is removed once the reports hold every record with its values;
 * the dead run's temporary report files go first. Sends nothing: nothing here reaches the network. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "commands.h"
#include "options.h"
#include "run.h"
#include "engine/source.h"
#include "shipload/journal.h"
#include "shipload/report.h"

static const sl_status rebuilt_statuses[] = { SL_STATUS_SHIPPED, SL_STATUS_DUPLICATE };

#define SENT_UNKNOWN "sent, but the run ended before its answer was recorded: the outcome is " \
                     "unknown; import the manifest again (a fulfillment that landed is then " \
                     "duplicate)"
#define NOT_SENT "not sent: the run ended before this row was sent (rebuilt from the journal)"

typedef struct rebuild {
    const char *dir;
    const char *journal_path;
    sl_journal_contents journal;
    sl_report *report;
    size_t unknown, not_sent;   /* rows sent without an answer, rows never sent */
    char why_alone[700];        /* why the source was not read again; "" when it was */
} rebuild;

/* ---------------------------------------------------------------- one row */

/* The journal's outcome onto a row read again: what the later stages decided. */
static int apply_outcome(sl_row *row, const sl_row *outcome)
{
    char **targets[] = { &row->order_id, &row->fulfillment_order_id, &row->order_name,
                         &row->message };
    char *const values[] = { outcome->order_id, outcome->fulfillment_order_id,
                             outcome->order_name, outcome->message };
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
        if (sl_row_set(targets[i], values[i]) != 0)
            return -1;
    if (sl_row_set_warnings(row, sl_row_warning(outcome), sl_row_warning_kinds(outcome)) != 0)
        return -1;
    if (sl_row_set_fulfillment_id(row, outcome->fulfillment_id) != 0)
        return -1;
    row->status = outcome->status;
    row->code = outcome->code;
    row->http_status = outcome->http_status;
    row->notified = outcome->notified;
    return 0;
}

/* Decides a row of record r: the journal's outcome, sent without an answer, or not sent. */
static int decide(rebuild *rb, sl_row *row, size_t r, const char *alone_why)
{
    const sl_journal_contents *journal = &rb->journal;
    if (journal->outcomes[r].status != SL_STATUS_PENDING)
        return row == &journal->outcomes[r] ? 0 : apply_outcome(row, &journal->outcomes[r]);
    if (journal->sent[r]) {
        rb->unknown++;
        sl_row_fail(row, SL_STATUS_FAILED, SL_CODE_RUN_STOPPED, SENT_UNKNOWN);
    } else if (row->status == SL_STATUS_PENDING) {
        rb->not_sent++;
        if (alone_why)
            sl_row_fail(row, SL_STATUS_NOT_ATTEMPTED, SL_CODE_RUN_STOPPED, "%s; the source could "
                        "not be read again (%s), so its values are not shown", NOT_SENT, alone_why);
        else
            sl_row_fail(row, SL_STATUS_NOT_ATTEMPTED, SL_CODE_RUN_STOPPED, NOT_SENT);
    }
    return 0;
}

/* ---------------------------------------------------------------- from the source */

static void engine_from_journal(const sl_journal_contents *journal, sl_engine_options *engine)
{
    memset(engine, 0, sizeof(*engine));
    engine->template_name = journal->template_name && journal->template_name[0]
                                ? journal->template_name : NULL;
    engine->encoding_name = journal->encoding;
    engine->encoding = SL_ENCODING_AUTO;
    if (journal->encoding)
        sl_encoding_parse(journal->encoding, &engine->encoding);
    engine->sheet = journal->sheet;
    engine->date_formats = (const char *const *)journal->date_formats;
    engine->date_format_count = journal->date_format_count;
    engine->today = journal->today;
    engine->verify_tracking = journal->verify_tracking;
    engine->excel = journal->excel;
    engine->strict = journal->strict;
    engine->notify = journal->notify;
}

/* Every record of the source, decided, into the report. 0; -1 when the source cannot be read
 * again as it was (why_alone says why: the journal alone is used then). */
static int rows_from_source(rebuild *rb, const char *path, sl_report_input *input)
{
    sl_source source;
    sl_error err = { "" };
    sl_engine_options engine;
    engine_from_journal(&rb->journal, &engine);
    int partly_read = 0, rc = 0;
    if (sl_source_open(&source, path, &engine, &partly_read, &err) != 0) {
        snprintf(rb->why_alone, sizeof(rb->why_alone), "%s", err.message);
        sl_source_close(&source);
        return -1;
    }
    sl_source_set_report_columns(&source, rb->report);
    size_t records = 0;
    for (;;) {
        sl_row row;
        const sl_record *raw = NULL;
        sl_row_init(&row);
        int got = sl_source_next(&source, &row, &raw, &err);
        if (got == 1 && ++records <= rb->journal.records && row.record == records)
            got = decide(rb, &row, records, NULL) == 0 &&
                  sl_report_add(rb->report, &row, raw, &err) == 0 ? 1 : -1;
        sl_row_clear(&row);
        if (got <= 0) {
            rc = got;
            break;
        }
    }
    sl_source_report_input(&source, input);
    if (rc != 0)
        snprintf(rb->why_alone, sizeof(rb->why_alone), "%s", err.message);
    else if (records != rb->journal.records)
        snprintf(rb->why_alone, sizeof(rb->why_alone), "it now has %zu records, the run read %zu",
                 records, rb->journal.records);
    else if (rb->journal.sha256_hex && input->sha256_hex &&
             strcmp(rb->journal.sha256_hex, input->sha256_hex) != 0)
        snprintf(rb->why_alone, sizeof(rb->why_alone), "its SHA-256 differs from the run's: it "
                 "changed since");
    input->template_name = NULL;   /* owned by the source, which goes now */
    input->sha256_hex = NULL;
    input->name = NULL;
    sl_source_close(&source);
    return rb->why_alone[0] ? -1 : 0;
}

/* ---------------------------------------------------------------- from the journal alone */

static int rows_from_journal(rebuild *rb)
{
    sl_error err;
    for (size_t r = 1; r <= rb->journal.records; r++) {
        sl_row row;
        sl_row_init(&row);
        row.record = (uint32_t)r;   /* the journal's numbers, a row's */
        sl_row *known = &rb->journal.outcomes[r];   /* an outcome, or the row as sent */
        int rc = decide(rb, known->record ? known : &row, r, rb->why_alone);
        if (rc == 0)
            rc = sl_report_add(rb->report, known->record ? known : &row, NULL, &err);
        sl_row_clear(&row);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- the reports */

static sl_report *open_report(rebuild *rb, sl_error *err)
{
    sl_report_options options = { .dir = rb->dir, .command = rb->journal.command,
                                   .excel_bom = rb->journal.excel, .store = rb->journal.store,
                                   .platform = rb->journal.platform };
    return sl_report_open(&options, err);
}

static void note_rebuilt(rebuild *rb)
{
    char note[1200];
    snprintf(note, sizeof(note), "rebuilt by 'shipload report --rebuild' from %s: the import "
             "ended before writing its reports; %zu record%s had an outcome in the journal, %zu "
             "were sent without a recorded answer (failed, run_stopped), %zu were never sent "
             "(not_attempted, run_stopped)%s%s", rb->journal_path, rb->journal.outcome_count,
             rb->journal.outcome_count == 1 ? "" : "s", rb->unknown, rb->not_sent,
             rb->why_alone[0] ? "; the source was not read again: " : "", rb->why_alone);
    sl_report_add_notice(rb->report, note);
    sl_report_set_fatal(rb->report, note);
}

/* Writes the reports; 0 with the source, 1 from the journal alone, else an exit status. */
static int write_reports(rebuild *rb, const char *source_path, int quiet)
{
    sl_error err = { "" };
    sl_report_input input = { 0 };
    int from_source = 0;
    if (!(rb->report = open_report(rb, &err))) {
        fprintf(stderr, "shipload report: %s\n", err.message);
        return SL_EXIT_FATAL;
    }
    if (source_path && rows_from_source(rb, source_path, &input) == 0) {
        from_source = 1;
    } else {   /* start again: nothing of the attempt goes into the reports */
        if (!rb->why_alone[0])
            snprintf(rb->why_alone, sizeof(rb->why_alone), "the run read standard input or a "
                     "remote source");
        sl_report_free(rb->report);
        rb->unknown = rb->not_sent = 0;
        if (!(rb->report = open_report(rb, &err)) || rows_from_journal(rb) != 0) {
            fprintf(stderr, "shipload report: %s\n", err.message);
            return SL_EXIT_FATAL;
        }
        fprintf(stderr, "shipload report: %s: the source is not read again (%s): records "
                "without a journal line carry only their number\n", rb->dir, rb->why_alone);
    }
    note_rebuilt(rb);
    input.name = rb->journal.source;
    input.size = rb->journal.size;
    input.sha256_hex = rb->journal.sha256_hex;
    input.template_name = rb->journal.template_name;
    if (sl_report_close(rb->report, &input, &err) != 0) {
        fprintf(stderr, "shipload report: %s\n", err.message);
        return SL_EXIT_FATAL;
    }
    if (!quiet)
        cli_print_summary_line(stderr, "report", rb->report, rebuilt_statuses, 2);
    return from_source ? SL_EXIT_OK : SL_EXIT_ROWS_FAILED;
}

/* The temporary files the dead run left (.results.csv.XXXXXXXXXXXX.tmp, its .reserve...): the
 * journal's lock being free says no run writes them any more. */
static void remove_dead_temporaries(const char *dir)
{
    static const char *const names[] = { "results.csv", "rejects.csv", "results.xlsx",
                                         "report.html", "summary.json", "requests.jsonl",
                                         "reserve" };
    DIR *listing = opendir(dir);
    struct dirent *entry;
    while (listing && (entry = readdir(listing))) {
        const char *name = entry->d_name;
        size_t len = strlen(name);
        for (size_t i = 0; name[0] == '.' && i < sizeof(names) / sizeof(names[0]); i++) {
            size_t base = strlen(names[i]);
            if (len == 1 + base + 1 + 12 + 4 && strncmp(name + 1, names[i], base) == 0 &&
                name[1 + base] == '.' && strcmp(name + len - 4, ".tmp") == 0)
                unlinkat(dirfd(listing), name, 0);
        }
    }
    if (listing)
        closedir(listing);
}

/* The source to read again: the one given, else the journal's (not standard input, not a
 * remote one). NULL: none. */
static const char *source_to_read(const cli_options *options, const sl_journal_contents *journal)
{
    if (options->operand_count == 1)
        return options->operands[0];
    const char *named = journal->source;
    if (!named || strcmp(named, "-") == 0 || strstr(named, "://"))
        return NULL;
    return named;
}

static int rebuild_dir(const cli_options *options, const char *dir)
{
    char path[4200];
    struct stat info;
    snprintf(path, sizeof(path), "%s/%s", dir, SL_JOURNAL_NAME);
    if (lstat(path, &info) != 0 || !S_ISREG(info.st_mode)) {
        fprintf(stderr, "shipload report: %s has no %s: its import finished its reports (or "
                "it is not an import's report directory)\n", dir, SL_JOURNAL_NAME);
        return SL_EXIT_USAGE;
    }
    sl_error err = { "" };
    int busy = sl_journal_busy(path, &err);
    if (busy != 0) {
        if (busy > 0)
            fprintf(stderr, "shipload report: %s: a run is still writing it\n", path);
        else
            fprintf(stderr, "shipload report: %s\n", err.message);
        return busy > 0 ? SL_EXIT_LOCKED : SL_EXIT_FATAL;
    }
    remove_dead_temporaries(dir);
    rebuild rb;
    memset(&rb, 0, sizeof(rb));
    rb.dir = dir;
    rb.journal_path = path;
    if (sl_journal_read(path, &rb.journal, &err) != 0) {
        fprintf(stderr, "shipload report: %s\n", err.message);
        return SL_EXIT_FATAL;
    }
    int status = write_reports(&rb, source_to_read(options, &rb.journal), options->quiet);
    if (status == SL_EXIT_OK)
        unlink(path);   /* the reports hold every record now */
    else if (status == SL_EXIT_ROWS_FAILED)
        fprintf(stderr, "shipload report: %s is kept\n", path);
    sl_report_free(rb.report);
    sl_journal_contents_clear(&rb.journal);
    return status;
}

int cli_report(int argc, char **argv)
{
    cli_options options;
    if (cli_options_parse(&options, argc, argv, CLI_REPORT, "report") != 0)
        return SL_EXIT_USAGE;
    if (options.help) {
        cli_command_help(stdout, "report");
        return SL_EXIT_OK;
    }
    if (!options.rebuild || options.operand_count > 1) {
        fprintf(stderr, "shipload report: %s (see 'shipload report --help')\n",
                !options.rebuild ? "say what to do: --rebuild DIR" : "at most one SOURCE");
        return SL_EXIT_USAGE;
    }
    return rebuild_dir(&options, options.rebuild);
}
