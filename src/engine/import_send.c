/* import_send.c: the network half of `shipload import` (import_send.h): the HTTP client,
 * lookup → match → plan → submit or dry run through the platform, the request statistics, and
 * the progress line drawn from the client's tick. The token is handed to the client only; it
 * is never printed. */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "engine/import_send.h"
#include "engine/store_carriers.h"
#include "shipload/lookup.h"
#include "shipload/match.h"
#include "shipload/plan.h"
#include "shipload/submit.h"
#include "shipload/url.h"
#include "shipload/term_line.h"

#define STOP_GRACE_MS 3000      /* in-flight requests may finish this long after a signal */
#define JOURNAL_STOP_GRACE_MS 3000   /* ... and after the journal of writes failed */

/* ---------------------------------------------------------------- progress and signals */

typedef struct import_tick {
    const sl_engine_options *options;
    sl_http *http;
    const sl_import_rows *rows;
    const char *label;
    const char *phase;
    size_t records_read;
    int enabled, on_terminal, drawn;
    int watch_signals;          /* a signal stops the client (not while reconciling after one) */
    struct timespec start, last;
    const char *measured_phase; /* the phase the ETA is measured in, since phase_start */
    struct timespec phase_start;
    size_t phase_done_at_start;
} import_tick;

static int interrupted(const sl_engine_options *options)
{
    return options->interrupted ? options->interrupted() : 0;
}

static double seconds_since(const struct timespec *then)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - then->tv_sec) + (double)(now.tv_nsec - then->tv_nsec) / 1e9;
}

/* The figures of the line: rows decided of the rows read, requests, retries. */
typedef struct tick_figures {
    size_t done, total, succeeded, failed;
    sl_http_totals totals;
    double elapsed;
    double eta;                 /* seconds; < 0: not known yet */
} tick_figures;

static void tick_measure(import_tick *tick, tick_figures *f)
{
    memset(f, 0, sizeof(*f));
    f->total = tick->records_read;
    for (size_t i = 0; i < tick->rows->count; i++) {
        const sl_row *row = &tick->rows->rows[i];
        if (row->status == SL_STATUS_PENDING)
            continue;
        f->done++;
        if (sl_status_is_success(row->status))
            f->succeeded++;
        else
            f->failed++;
    }
    if (tick->http)
        sl_http_get_totals(tick->http, &f->totals);
    f->elapsed = seconds_since(&tick->start);
    if (tick->measured_phase != tick->phase) {   /* each phase has its own pace */
        tick->measured_phase = tick->phase;
        clock_gettime(CLOCK_MONOTONIC, &tick->phase_start);
        tick->phase_done_at_start = f->done;
    }
    double phase_elapsed = seconds_since(&tick->phase_start);
    size_t phase_done = f->done - (f->done >= tick->phase_done_at_start ? tick->phase_done_at_start : f->done);
    f->eta = -1;
    if (f->done >= f->total)
        f->eta = 0;
    else if (phase_done > 0 && phase_elapsed >= 1.0)
        f->eta = phase_elapsed / (double)phase_done * (double)(f->total - f->done);
}

/* One line on a terminal, fitted to its width: the most detailed variant that fits. */
static void tick_draw_terminal(import_tick *tick, const tick_figures *f)
{
    char percent[16] = "", eta[32] = "--:--", rate[32], retries[32] = "", head[600];
    double share = f->total ? (double)f->done / (double)f->total : 0.0;
    snprintf(percent, sizeof(percent), "%.0f%%", share * 100.0);
    if (f->eta >= 0)
        sl_format_duration(eta, sizeof(eta), f->eta);
    snprintf(rate, sizeof(rate), "%.0f req/s",
             f->elapsed > 0 ? (double)f->totals.attempts / f->elapsed : 0.0);
    if (f->totals.retries)
        snprintf(retries, sizeof(retries), ", %lu retr%s", f->totals.retries,
                 f->totals.retries == 1 ? "y" : "ies");
    sl_http_retry_info wait;
    if (tick->http && sl_http_next_retry(tick->http, &wait))
        snprintf(head, sizeof(head), "waiting for the API: retry %d of %d in %ld s",
                 wait.attempt, wait.max_attempts, (wait.due_in_ms + 999) / 1000);
    else if (strcmp(tick->phase, "looking up orders") == 0)   /* rows are decided later */
        snprintf(head, sizeof(head), "%s (%lu read%s)", tick->phase, f->totals.requests,
                 f->totals.requests == 1 ? "" : "s");
    else
        snprintf(head, sizeof(head), "%s", tick->phase);
    char full[1600], medium[900], small[800], tiny[64];
    snprintf(full, sizeof(full), "import: %s: %s: %zu/%zu %s, ETA %s, %s%s, %zu failed",
             tick->label, head, f->done, f->total, percent, eta, rate, retries, f->failed);
    snprintf(medium, sizeof(medium), "%s: %zu/%zu %s ETA %s %s%s", head, f->done, f->total,
             percent, eta, rate, retries);
    snprintf(small, sizeof(small), "%zu/%zu %s ETA %s %s", f->done, f->total, percent, eta,
             head);
    snprintf(tiny, sizeof(tiny), "%s ETA %s", percent, eta);
    const char *variants[] = { full, medium, small, tiny };
    sl_term_draw_fitted(variants, 4);
}

static void tick_draw(import_tick *tick, int final)
{
    tick_figures f;
    tick_measure(tick, &f);
    if (tick->on_terminal && !final) {
        tick_draw_terminal(tick, &f);
    } else {
        fprintf(stderr, "import: %s: %s: %zu read, %zu of %zu decided, %lu sent, %lu retries, "
                "%zu succeeded, %zu failed, %.0f requests/s\n", tick->label, tick->phase,
                tick->records_read, f.done, f.total, f.totals.attempts, f.totals.retries,
                f.succeeded, f.failed,
                f.elapsed > 0 ? (double)f.totals.attempts / f.elapsed : 0.0);
        fflush(stderr);
    }
    tick->drawn = 1;
    clock_gettime(CLOCK_MONOTONIC, &tick->last);
}

static void on_tick(void *data)
{
    import_tick *tick = data;
    if (tick->watch_signals && interrupted(tick->options) && tick->http && !sl_http_stopping(tick->http))
        sl_http_stop_for(tick->http, STOP_GRACE_MS, SL_CODE_INTERRUPTED);
    if (tick->enabled && seconds_since(&tick->last) >= (tick->on_terminal ? 0.25 : 5.0))
        tick_draw(tick, 0);
}

static void tick_finish(import_tick *tick)
{
    if (tick->enabled && tick->drawn && tick->on_terminal)
        fprintf(stderr, "\r\033[K");
}

/* ---------------------------------------------------------------- the client */

/* Before queued requests start: the journal of writes durable (one fdatasync for every write
 * queued and every outcome settled since the last turn). A journal that cannot be written
 * stops the client: nothing queued starts. */
static void journal_before_start(sl_http *http, void *data)
{
    sl_error err;
    if (sl_journal_sync(data, &err) != 0 && !sl_http_stopping(http))
        sl_http_stop_for(http, JOURNAL_STOP_GRACE_MS, SL_CODE_RUN_STOPPED);
}

static sl_http *client_new(const sl_engine_options *options, import_tick *tick, sl_error *err)
{
    sl_http_options http_options;
    sl_http_options_init(&http_options);
    http_options.base_url = options->api_url;
    http_options.token = options->token;
    http_options.auth_header = options->platform->auth_header;
    http_options.auth_prefix = options->platform->auth_prefix;
    http_options.request_id_header = options->platform->request_id_header;
    http_options.concurrency = (int)options->concurrency;
    http_options.timeout_ms = options->timeout_ms;
    http_options.max_attempts = (int)options->max_attempts;
    http_options.rate_limit_max_wait_ms = options->max_wait_ms;
    http_options.rate_limit = options->rate_limit;
    http_options.rate_burst = options->rate_burst;
    http_options.log = options->verbose ? stderr : NULL;
    http_options.log_level = options->verbose;
    http_options.tick = on_tick;
    http_options.tick_data = tick;
    http_options.tick_ms = 100;
    if (options->journal) {
        http_options.before_start = journal_before_start;
        http_options.before_start_data = options->journal;
    }
    return sl_http_new(&http_options, err);
}

/* The client's statistics into summary.json; counts whether any request got an answer. */
static void count_requests(sl_http *http, sl_report *report, size_t *answered,
                           size_t *unanswered)
{
    size_t kinds = 0;
    const sl_http_stat *stats = sl_http_stats(http, &kinds);
    for (size_t i = 0; i < kinds; i++) {
        for (unsigned long n = 0; n < stats[i].count; n++)
            sl_report_count_request(report, stats[i].method, stats[i].endpoint,
                                    (int)stats[i].status);
        if (stats[i].status)
            *answered += stats[i].count;
        else
            *unanswered += stats[i].count;
    }
    sl_http_totals totals;
    sl_http_get_totals(http, &totals);
    sl_report_count_retries(report, totals.retries);
    sl_report_count_rate(report, totals.rate_limited, totals.settled_per_second);
}

/* ---------------------------------------------------------------- the stages */

static void fail_rows_to_send(sl_import_rows *rows, const sl_match *matches, sl_code code,
                              const char *why)
{
    for (size_t i = 0; i < rows->count; i++)
        if (matches[i].op != SL_MATCH_NONE)
            sl_row_fail(&rows->rows[i], SL_STATUS_NOT_ATTEMPTED, code, "%s", why);
}

/* What a row's action needs of the platform (a NULL write member: it cannot), in words for
 * the row's message; NULL when the platform can. */
static const char *action_unsupported(const sl_platform *platform, sl_action action)
{
    if (action == SL_ACTION_UPDATE && !platform->update)
        return "change a fulfillment's tracking";
    if (action == SL_ACTION_CANCEL && !platform->cancel)
        return "cancel a fulfillment";
    if (action == SL_ACTION_STATUS && !platform->update_status)
        return "change a fulfillment's status";
    return NULL;
}

/* A row's fulfillment_status against the platform's table: a status the platform does not
 * have is invalid/bad_value; on a platform that takes none, it is ignored with a warning. */
static void check_status(const sl_platform *platform, const char *run_status, sl_row *row)
{
    const char *given = sl_row_cols(row)->fulfillment_status;
    char list[400];
    if (row->status != SL_STATUS_PENDING)
        return;
    if (row->action == SL_ACTION_STATUS && (!given || !given[0]) && !run_status)
        sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_BAD_VALUE, "a status row needs a "
                    "fulfillment_status (a column, or --fulfillment-status)");
    else if (!given || !given[0])
        return;
    else if (!platform->fulfillment_statuses)
        sl_row_warn(row, "%s takes no fulfillment status: '%s' ignored", platform->title, given);
    else if (!sl_platform_status(platform, given))
        sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_BAD_VALUE,
                    "%s has no fulfillment status '%s' (one of %s)", platform->title, given,
                    sl_platform_status_list(platform, list, sizeof(list)));
}

/* Rows asking for a write the platform cannot send end invalid/unsupported_by_platform before
 * any lookup, whatever the store holds, so nothing is read or sent for them; so do rows whose
 * status the platform does not have. */
static void refuse_unsupported_actions(const sl_engine_options *options, sl_import_rows *rows)
{
    const sl_platform *platform = options->platform;
    for (size_t i = 0; i < rows->count; i++) {
        const char *what = action_unsupported(platform, rows->rows[i].action);
        if (what)
            sl_row_fail(&rows->rows[i], SL_STATUS_INVALID, SL_CODE_UNSUPPORTED_BY_PLATFORM,
                        "%s cannot %s; nothing was sent", platform->title, what);
        check_status(platform, options->fulfillment_status, &rows->rows[i]);
    }
}

/* Writes matching turned into ones the platform cannot send (--on-conflict=update, which the
 * command line refuses at start for such a platform) end the same way. */
static void refuse_unsupported(const sl_platform *platform, sl_import_rows *rows,
                               sl_match *matches)
{
    for (size_t i = 0; i < rows->count; i++) {
        sl_action action = matches[i].op == SL_MATCH_UPDATE   ? SL_ACTION_UPDATE
                           : matches[i].op == SL_MATCH_CANCEL ? SL_ACTION_CANCEL
                                                              : SL_ACTION_SHIP;
        const char *what = action_unsupported(platform, action);
        if (!what)
            continue;
        matches[i].op = SL_MATCH_NONE;
        sl_row_fail(&rows->rows[i], SL_STATUS_INVALID, SL_CODE_UNSUPPORTED_BY_PLATFORM,
                    "%s cannot %s; nothing was sent", platform->title, what);
    }
}

/* What stopped the run, for the rows it left unsent: the code and the words. */
static void note_stop(sl_import_outcome *outcome, const sl_api_health *health, int interrupted)
{
    if (outcome->auth_failed) {
        outcome->stop_code = SL_CODE_AUTH_FAILED;
        outcome->stop_why = "not sent: the API refused the token";
    } else if (outcome->unreachable) {
        outcome->stop_code = sl_api_health_code(health);
        outcome->stop_why = "not sent: the API stopped answering";
    } else if (outcome->journal_failed) {
        outcome->stop_code = SL_CODE_RUN_STOPPED;
        outcome->stop_why = "not sent: the journal of writes could not be written, and a "
                            "write whose outcome cannot be recorded is never sent";
    } else if (interrupted) {
        outcome->stop_code = SL_CODE_INTERRUPTED;
        outcome->stop_why = "not sent: the run was interrupted (SIGINT/SIGTERM)";
    } else {
        outcome->stop_code = SL_CODE_RUN_STOPPED;
        outcome->stop_why = "not sent: the run stopped";
    }
}

/* The dry run: every planned request, from the same encoder the submission uses, into
 * requests.jsonl; the rows get would_*. */
static int dry_run(const sl_engine_options *options, const sl_plan *plan, sl_import_rows *rows,
                   sl_report *report, sl_error *err)
{
    for (size_t r = 0; r < sl_plan_request_count(plan); r++) {
        sl_platform_request request;
        if (sl_plan_encode_request(plan, options->platform, r, &request, err) != 0)
            return -1;
        int rc = sl_report_dry_request(report, sl_http_method_name(request.method),
                                       request.path, request.body, err);
        sl_platform_request_clear(&request);
        if (rc != 0)
            return -1;
    }
    for (size_t f = 0; f < sl_plan_fulfillment_count(plan); f++) {
        const sl_planned_fulfillment *planned = sl_plan_fulfillment(plan, f);
        if (sl_plan_settle(plan, f, rows->rows, sl_plan_success_status(planned->kind, 1),
                           SL_CODE_NONE, sl_planned_fulfillment_id(planned), 0, NULL) != 0)
            return sl_error_set(err, "out of memory");
    }
    return 0;
}

/* The rows decided before anything is sent (invalid, unmatched, conflict, duplicate...) into
 * the journal: with the writes' outcomes, it then accounts for every row decided. */
static int journal_decided(sl_journal *journal, const sl_import_rows *rows)
{
    for (size_t i = 0; journal && i < rows->count; i++)
        if (rows->rows[i].status != SL_STATUS_PENDING && sl_journal_row(journal, &rows->rows[i]) != 0)
            return -1;
    return 0;
}

static int submit(const sl_engine_options *options, const sl_plan *plan,
                  sl_import_rows *rows, sl_http *http, sl_api_health *health, import_tick *tick,
                  sl_report *report,
                  sl_import_outcome *outcome, size_t *answered, size_t *unanswered, sl_error *err)
{
    sl_submit_options submit_options = { options->platform, (size_t)options->concurrency * 2,
                                         3, health, SL_SUBMIT_READ_BACK_DELAY_MS,
                                         options->journal };
    if (journal_decided(options->journal, rows) != 0)   /* nothing sent without them */
        return sl_error_set(err, "%s", sl_journal_error(options->journal));
    sl_submit *submission = sl_submit_new(plan, rows->rows, &submit_options, err);
    if (!submission)
        return -1;
    tick->phase = "sending";
    int rc = sl_submit_run(submission, http, err);
    if (rc == 0 && sl_submit_has_parked(submission) && !sl_submit_get_stats(submission)->auth_failed) {
        /* stopped by a signal with writes of unknown outcome: read those orders back on a
         * fresh client, send nothing more */
        tick->phase = "reconciling";
        sl_http *second = client_new(options, tick, err);
        if (!second)
            rc = -1;
        if (second) {
            tick->http = second;
            tick->watch_signals = 0;
            rc = sl_submit_reconcile(submission, second, err);
            count_requests(second, report, answered, unanswered);
            tick->http = http;
            sl_http_free(second);
        }
    }
    sl_submit_finish(submission);
    sl_error journal_err;
    if (options->journal && sl_journal_sync(options->journal, &journal_err) != 0)
        outcome->journal_failed = 1;   /* the reports still hold every outcome */
    outcome->journal_failed |= sl_submit_get_stats(submission)->journal_failed ||
                               (options->journal && sl_journal_error(options->journal));
    outcome->auth_failed |= sl_submit_get_stats(submission)->auth_failed;
    outcome->unreachable |= sl_submit_get_stats(submission)->unreachable;
    sl_submit_free(submission);
    return rc;
}

/* Each row matched gets the shared copies of its order id, name and fulfillment order id at
 * once (out of memory: it keeps its own, and the pass after matching tries again). */
static void share_row(sl_row *row, void *rows)
{
    (void)sl_import_rows_share_row(rows, row);
}

/* A fulfillment id settled onto rows: one copy in the set's arena, which the rows of its
 * planned fulfillment share (sl_plan_options.keep_id). */
static char *keep_id(const char *fulfillment_id, void *rows)
{
    return sl_import_rows_keep(rows, fulfillment_id);
}

/* Matches the looked-up rows and sends (or dry-runs) their plan. */

static int match_and_send(const sl_engine_options *options,
                          sl_order_index **orders, sl_import_rows *rows, sl_http *http,
                          sl_api_health *health,
                          import_tick *tick, sl_report *report, sl_import_outcome *outcome,
                          size_t *answered, size_t *unanswered, sl_error *err)
{
    sl_match *matches = calloc(rows->count ? rows->count : 1, sizeof(*matches));
    if (!matches)
        return sl_error_set(err, "out of memory");
    sl_match_options match_options = { options->on_conflict,
                                       !options->platform->caps.has_units,
                                       options->fulfillment_status, share_row, rows };
    sl_match_counts counts;
    sl_order_index *index = *orders;
    int rc = sl_match_rows(index, rows->rows, rows->count, &match_options, matches, &counts, err);
    if (rc != 0) {
        free(matches);
        return -1;
    }
    /* rows of one order share its id and name: one copy each (out of memory: own copies);
     * matching shared them row by row already, this pass frees the copies' index */
    sl_import_rows_share_matched(rows);
    refuse_unsupported(options->platform, rows, matches);
    if (!options->allow_shared_tracking)   /* one parcel, one address */
        sl_match_refuse_shared_tracking(rows->rows, matches, rows->count);
    /* the plan and the writes read the matched orders only, not the references or ledger;
     * the pages those held (and matching's) go back before planning fills the heap again */
    sl_order_index_keep_orders_only(index);
    malloc_trim(0);
    if (outcome->auth_failed || outcome->unreachable || interrupted(options)) {
        note_stop(outcome, health, interrupted(options));
        fail_rows_to_send(rows, matches, outcome->stop_code, outcome->stop_why);
    } else if (options->on_conflict == SL_ON_CONFLICT_FAIL && counts.conflict > 0) {
        char why[160];
        snprintf(why, sizeof(why), "not sent: --on-conflict=fail and %zu row%s conflict",
                 counts.conflict, counts.conflict == 1 ? "" : "s");
        fail_rows_to_send(rows, matches, SL_CODE_RUN_STOPPED, why);
    } else {
        sl_carrier_codes *codes = sl_store_carriers_read(http, options->platform, rows->rows,
                                                         matches, rows->count);
        const sl_platform_caps *caps = options->platform ? &options->platform->caps : NULL;
        sl_plan_options plan_options = { options->batch_size, 0, caps && !caps->has_units,
                                         sl_store_carriers_code, codes,
                                         options->fulfillment_status,
                                         caps && caps->create_notifies,
                                         caps && caps->update_notifies, keep_id, rows };
        /* the plan borrows from the rows, not from the matches or the orders: it frees the
         * matches once the rows are grouped */
        sl_plan *plan = sl_plan_build_taking(rows->rows, matches, rows->count, &plan_options,
                                             err);
        matches = NULL;
        /* the plan keeps what it sends of the orders (plan.h): they are freed before the
         * writes, and the pages planning's passes touched go back with them */
        sl_order_index_free(index);
        *orders = NULL;
        malloc_trim(0);
        if (!plan)
            rc = -1;
        else if (options->dry_run)
            rc = dry_run(options, plan, rows, report, err);
        else
            rc = submit(options, plan, rows, http, health, tick, report, outcome, answered,
                        unanswered, err);
        sl_plan_free(plan);
        sl_carrier_codes_free(codes);
    }
    free(matches);
    return rc;
}

int sl_engine_import(const sl_engine_options *given, sl_import_rows *rows,
                sl_report *report, const char *source_label, size_t records_read,
                sl_import_outcome *outcome, sl_error *err)
{
    memset(outcome, 0, sizeof(*outcome));
    sl_engine_options own = *given;
    const sl_engine_options *options = &own;
    if (!own.platform)
        own.platform = sl_platform_default();
    import_tick tick = { 0 };
    tick.options = options;
    tick.rows = rows;
    tick.label = source_label;
    tick.phase = "looking up orders";
    tick.records_read = records_read;
    tick.enabled = options->progress;
    tick.on_terminal = isatty(STDERR_FILENO);
    tick.watch_signals = 1;
    clock_gettime(CLOCK_MONOTONIC, &tick.start);
    tick.last = tick.start;
    sl_http *http = client_new(options, &tick, err);
    sl_order_index *index = sl_order_index_new();
    if (!http || !index) {
        if (http && !index)
            sl_error_set(err, "out of memory");
        sl_http_free(http);
        sl_order_index_free(index);
        return -1;
    }
    tick.http = http;
    sl_lookup_stats lookup_stats;
    size_t answered = 0, unanswered = 0;
    sl_api_health health = { 0 };
    sl_order_index_require_payment(index, options->platform->caps.requires_payment);
    /* a platform that finds orders by id only: a manifest's order number is that id */
    sl_order_index_refs_are_ids(index, !options->platform->lookup_name &&
                                           !options->platform->order_by_number);
    refuse_unsupported_actions(options, rows);
    sl_lookup_options lookup_options = { options->platform, 0, &health };
    int rc = sl_lookup_orders(http, index, rows->rows, rows->count, &lookup_options,
                              &lookup_stats, err);
    outcome->auth_failed = lookup_stats.auth_failed;
    outcome->unreachable = lookup_stats.unreachable;
    malloc_trim(0);   /* the answers' parse trees are gone: give their pages back */
    if (rc == 0)
        rc = match_and_send(options, &index, rows, http, &health, &tick, report, outcome,
                            &answered,
                            &unanswered, err);
    count_requests(http, report, &answered, &unanswered);
    tick_finish(&tick);
    sl_http_totals totals;
    sl_http_get_totals(http, &totals);
    if (totals.rate_limit_gave_up)
        fprintf(stderr, "shipload import: %s: the API answered only 429 (rate limited) for %ld "
                "s (--max-wait): gave up; the rows not done are rate_limited\n", source_label,
                options->max_wait_ms / 1000);
    outcome->interrupted = interrupted(options) != 0;
    outcome->unreachable |= answered == 0 && unanswered > 0;
    note_stop(outcome, &health, outcome->interrupted);
    char shown_buffer[512];
    const char *shown_url = sl_url_shown(options->api_url, shown_buffer, sizeof(shown_buffer));
    if (outcome->auth_failed)
        snprintf(outcome->message, sizeof(outcome->message),
                 "%s: the API at %s refused the token (HTTP 401); nothing more was sent",
                 source_label, shown_url);
    else if (outcome->journal_failed)
        snprintf(outcome->message, sizeof(outcome->message), "%s: nothing more was sent: %s",
                 source_label, options->journal && sl_journal_error(options->journal)
                                   ? sl_journal_error(options->journal)
                                   : "the journal of writes could not take a write: out of memory");
    else if (outcome->unreachable)
        snprintf(outcome->message, sizeof(outcome->message),
                 "%s: the API at %s could not be reached (%zu attempts without an answer%s)",
                 source_label, shown_url, unanswered,
                 answered ? "; it stopped answering during the run" : "");
    sl_http_free(http);
    sl_order_index_free(index);
    return rc;
}
