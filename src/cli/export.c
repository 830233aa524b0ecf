/* export.c: `shipload export [options]`: writes the package items still waiting to ship (spec
 * §12) in the layout of a template's "export" section (default generic-csv) to -o FILE (a
 * temporary name renamed when complete; gzip when FILE ends in .gz) or to standard output.
 * Joins the stages: the layout (src/template/export_layout.c), the fetch and the selection
 * (src/api/export_fetch.c, export_select.c) and the writer (src/report/export_writer.c). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "api_config.h"
#include "commands.h"
#include "options.h"
#include "run.h"
#include "run_guard.h"
#include "shipload/export.h"

#define DEFAULT_TEMPLATE "generic-csv"
#define MAX_STATUSES 16
#define PLURAL(count) ((count) == 1 ? "" : "s")

/* Orders are listed unfulfilled first, then partially fulfilled: a fulfilled order has nothing
 * left to ship, so it is never read. */
/* The listings export reads: orders not shipped at all, then those shipped in part. */
static const sl_order_shipping listings[] = { SL_ORDER_SHIPPING_NONE,
                                              SL_ORDER_SHIPPING_PARTIAL };

typedef struct status_list {
    char *copy;                 /* the option's value, split in place */
    const char *items[MAX_STATUSES];
    size_t count;
} status_list;

typedef struct export_run {
    cli_options options;
    sl_export_layout *layout;
    sl_export_filter filter;
    status_list order_statuses, package_statuses;
    cli_api_config api;         /* the API's address and token */
    sl_export_writer *writer;
    sl_export_line *lines;      /* room for the largest package so far */
    size_t line_cap;
    unsigned long orders_exported;
    cli_progress_line progress; /* orders written so far, on a terminal */
} export_run;

/* ---- configuration ---- */

static int split_statuses(const char *value, const char *option, status_list *list,
                          sl_error *err)
{
    if (!value)
        return 0;
    if (!(list->copy = strdup(value)))
        return sl_error_set(err, "out of memory");
    for (char *part = strtok(list->copy, ","); part; part = strtok(NULL, ",")) {
        while (isspace((unsigned char)*part))
            part++;
        size_t len = strlen(part);
        while (len && isspace((unsigned char)part[len - 1]))
            part[--len] = '\0';
        if (!len)
            continue;
        if (list->count == MAX_STATUSES)
            return sl_error_set(err, "%s: at most %d statuses", option, MAX_STATUSES);
        list->items[list->count++] = part;
    }
    if (list->count == 0)
        return sl_error_set(err, "%s: '%s' names no status", option, value);
    return 0;
}

/* YYYY-MM-DD that exists, optionally followed by an ISO 8601 time ("T..."). */
static int check_date(const char *value, sl_error *err)
{
    int year, month, day, used = 0;
    if (sscanf(value, "%4d-%2d-%2d%n", &year, &month, &day, &used) != 3 || used != 10 ||
        (value[10] && value[10] != 'T'))
        return sl_error_set(err, "--since: '%s' is not a date (YYYY-MM-DD)", value);
    struct tm tm = { .tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day, .tm_hour = 12 };
    struct tm check = tm;
    if (month < 1 || month > 12 || day < 1 || timegm(&check) == (time_t)-1 ||
        check.tm_mday != day || check.tm_mon != month - 1)
        return sl_error_set(err, "--since: '%s' is not a date that exists", value);
    return 0;
}

static int configure(export_run *run, sl_error *err)
{
    const cli_options *options = &run->options;
    if (options->operand_count > 0)
        return sl_error_set(err, "unexpected argument '%s' (export reads the store, not files)",
                            options->operands[0]);
    if (options->since && check_date(options->since, err) != 0)
        return -1;
    struct stat info;
    if (options->report_dir && stat(options->report_dir, &info) == 0 && S_ISDIR(info.st_mode))
        return sl_error_set(err, "-o %s: a directory (export writes one file: -o FILE)",
                            options->report_dir);
    if (split_statuses(options->order_status, "--order-status", &run->order_statuses, err) ||
        split_statuses(options->package_status, "--status", &run->package_statuses, err))
        return -1;
    run->filter = (sl_export_filter){
        .order_statuses = run->order_statuses.count ? run->order_statuses.items : NULL,
        .order_status_count = run->order_statuses.count,
        .package_statuses = run->package_statuses.count ? run->package_statuses.items : NULL,
        .package_status_count = run->package_statuses.count,
        .location_id = options->location,
    };
    const char *template_name = options->template_name ? options->template_name
                                                       : DEFAULT_TEMPLATE;
    if (!(run->layout = sl_export_layout_load(template_name, err)))
        return -1;
    return cli_api_config_load(&run->options, &run->api, err);
}

/* ---- the run ---- */

static int order_wanted(void *context, const sl_order *order)
{
    export_run *run = context;
    return sl_export_order_wanted(&run->filter, order);
}

static int write_order(void *context, const sl_order *order, sl_error *err)
{
    export_run *run = context;
    if (cli_interrupted())
        return sl_error_set(err, "interrupted");
    if (!sl_export_order_wanted(&run->filter, order))
        return 0;
    size_t written = 0;
    for (size_t p = 0; p < order->unit_count; p++) {
        const sl_unit *package = &order->units[p];
        if (package->item_count > run->line_cap) {
            sl_export_line *grown = realloc(run->lines, package->item_count * sizeof(*grown));
            if (!grown)
                return sl_error_set(err, "out of memory");
            run->lines = grown;
            run->line_cap = package->item_count;
        }
        size_t count = sl_export_select_package(&run->filter, package, run->lines);
        if (sl_export_writer_add(run->writer, order, package, run->lines, count, err) != 0)
            return -1;
        written += count;
    }
    if (written) {
        run->orders_exported++;
        cli_progress_update(&run->progress, run->orders_exported);
    }
    return 0;
}

static int stop_requested(void *context)
{
    (void)context;
    return cli_interrupted() != 0;
}

static void http_options_of(const export_run *run, sl_http_options *http_options)
{
    sl_http_options_init(http_options);
    http_options->base_url = run->api.url;
    http_options->token = run->api.token;
    http_options->auth_header = run->api.platform->auth_header;
    http_options->auth_prefix = run->api.platform->auth_prefix;
    http_options->request_id_header = run->api.platform->request_id_header;
    http_options->concurrency = (int)run->options.concurrency;
    http_options->timeout_ms = run->options.timeout_ms;
    http_options->max_attempts = (int)run->options.max_attempts;
    http_options->rate_limit_max_wait_ms = run->options.max_wait_s * 1000;
    http_options->rate_limit = (long)run->api.platform->caps.rate_per_second;  /* its pace */
    http_options->rate_burst = (long)run->api.platform->caps.rate_burst;
    http_options->log = run->options.verbose ? stderr : NULL;
    http_options->log_level = run->options.verbose > 1 ? 2 : 1;
}

static int fetch_and_write(export_run *run, sl_export_fetch_stats *stats, sl_error *err)
{
    const char *output = run->options.report_dir ? run->options.report_dir : "-";
    if (!(run->writer = sl_export_writer_new(run->layout, output, err)))
        return -1;
    sl_http_options http_options;
    http_options_of(run, &http_options);
    sl_export_fetch_options fetch_options = {
        .platform = run->api.platform,
        .listings = listings,
        .listing_count = sizeof(listings) / sizeof(listings[0]),
        .updated_since = run->options.since,
        .in_flight = (int)run->options.concurrency,
        .order_wanted = order_wanted,
        .stop_requested = stop_requested,
    };
    cli_progress_start(&run->progress, cli_options_show_progress(&run->options),
                       "export: orders written");
    int rc = sl_export_fetch(&http_options, &fetch_options, write_order, run, stats, err);
    cli_progress_finish(&run->progress);
    if (rc != 0)
        return -1;
    return sl_export_writer_finish(run->writer, err);
}

static void print_summary(const export_run *run, const sl_export_fetch_stats *stats)
{
    if (run->options.quiet)
        return;
    const char *output = run->options.report_dir ? run->options.report_dir : "-";
    size_t items = sl_export_writer_rows(run->writer);
    size_t packages = sl_export_writer_packages(run->writer);
    fprintf(stderr, "export: %zu item%s in %zu package%s of %lu order%s (template %s) written to "
                    "%s; %lu order%s read in %lu page%s, %lu request%s\n",
            items, PLURAL(items), packages, PLURAL(packages), run->orders_exported,
            PLURAL(run->orders_exported), run->layout->name,
            strcmp(output, "-") == 0 ? "standard output" : output, stats->orders,
            PLURAL(stats->orders), stats->pages, PLURAL(stats->pages), stats->requests,
            PLURAL(stats->requests));
    if (sl_export_writer_rows(run->writer) == 0)
        fprintf(stderr, "export: warning: nothing is waiting to ship\n");
}

static void run_clear(export_run *run)
{
    sl_export_writer_free(run->writer);
    sl_export_layout_free(run->layout);
    cli_api_config_clear(&run->api);
    free(run->lines);
    free(run->order_statuses.copy);
    free(run->package_statuses.copy);
}

int cli_export(int argc, char **argv)
{
    export_run run = { 0 };
    if (cli_options_parse(&run.options, argc, argv, CLI_EXPORT, "export") != 0)
        return SL_EXIT_USAGE;
    if (run.options.help) {
        cli_command_help(stdout, "export");
        return SL_EXIT_OK;
    }
    sl_error err = { { 0 } };
    int status = SL_EXIT_OK;
    sl_export_fetch_stats stats = { 0 };
    if (configure(&run, &err) != 0) {
        status = SL_EXIT_USAGE;
    } else {
        cli_interrupt_install();
        cli_lock lock;
        status = cli_run_guard_begin(&run.options, &run.api, "export", &lock, NULL, 0);
        if (status != SL_EXIT_OK) {   /* the cause is printed */
            run_clear(&run);
            return status;
        }
        if (fetch_and_write(&run, &stats, &err) != 0)
            status = SL_EXIT_FATAL;
        else
            print_summary(&run, &stats);
        status = cli_run_guard_end(&lock, status);
    }
    if (status != SL_EXIT_OK)
        fprintf(stderr, "shipload export: %s%s\n", err.message,
                stats.auth_failed ? " (authentication failed: check the token)" : "");
    run_clear(&run);
    return status;
}
