/* run.c: helpers for the subcommands that write reports: the report directory's name, the
 * summary line, exit statuses, the interrupt flag and the progress line. No pipeline logic. */
#include <curl/curl.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "run.h"
#include "shipload/term_line.h"

#define MAX_NAME_TRIES 1000

/* The source's file name made safe for a directory name: letters, digits, . - _ kept. */
static void source_base_name(const char *source, char *out, size_t cap)
{
    if (strcmp(source, "-") == 0) {
        snprintf(out, cap, "stdin");
        return;
    }
    const char *slash = strrchr(source, '/');
    const char *base = slash ? slash + 1 : source;
    size_t used = 0;
    for (; *base && used + 1 < cap; base++) {
        unsigned char c = (unsigned char)*base;
        int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '-' || c == '_';
        out[used++] = keep ? (char)c : '_';
    }
    out[used] = '\0';
    if (used == 0 || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
        snprintf(out, cap, "source");
}

static char *printf_alloc(const char *fmt, const char *a, const char *b, int n)
{
    int len = snprintf(NULL, 0, fmt, a, b, n);
    char *text = len >= 0 ? malloc((size_t)len + 1) : NULL;
    if (text)
        snprintf(text, (size_t)len + 1, fmt, a, b, n);
    return text;
}

/* ./shipload-BASE-STAMP, made now with mkdir (not -p) so two runs never share one. */
static char *new_run_dir(const char *base, time_t now, sl_error *err)
{
    char stamp[32];
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &utc);
    for (int attempt = 1; attempt <= MAX_NAME_TRIES; attempt++) {
        char *dir = attempt == 1 ? printf_alloc("shipload-%s-%s", base, stamp, 0)
                                 : printf_alloc("shipload-%s-%s-%d", base, stamp, attempt);
        if (!dir) {
            sl_error_set(err, "out of memory");
            return NULL;
        }
        if (mkdir(dir, 0777) == 0)
            return dir;
        int saved_errno = errno;
        if (saved_errno != EEXIST) {
            sl_error_set(err, "cannot create report directory %s: %s", dir, strerror(saved_errno));
            free(dir);
            return NULL;
        }
        free(dir);
    }
    sl_error_set(err, "cannot find a free report directory name for %s", base);
    return NULL;
}

char *cli_report_dir(const cli_options *options, char **operands, int operand_count, int index,
                     time_t now, int *created, sl_error *err)
{
    char base[256], other[256];
    *created = 0;
    if (options->report_dir && operand_count == 1) {
        char *dir = strdup(options->report_dir);
        if (!dir)
            sl_error_set(err, "out of memory");
        return dir;
    }
    source_base_name(operands[index], base, sizeof(base));
    if (!options->report_dir) {
        char *dir = new_run_dir(base, now, err);
        *created = dir != NULL;
        return dir;
    }
    /* several sources under -o: one subdirectory each, numbered when names repeat */
    int same_name_before = 0;
    for (int i = 0; i < index; i++) {
        source_base_name(operands[i], other, sizeof(other));
        same_name_before += strcmp(base, other) == 0;
    }
    char *dir = same_name_before
                    ? printf_alloc("%s/%s-%d", options->report_dir, base, same_name_before + 1)
                    : printf_alloc("%s/%s", options->report_dir, base, 0);
    if (!dir)
        sl_error_set(err, "out of memory");
    return dir;
}

int cli_check_sources(const cli_options *options, const char *command)
{
    if (options->operand_count == 0) {
        fprintf(stderr, "shipload %s: no SOURCE given (see 'shipload %s --help')\n", command,
                command);
        return SL_EXIT_USAGE;
    }
    int stdin_count = 0;
    for (int i = 0; i < options->operand_count; i++)
        stdin_count += strcmp(options->operands[i], "-") == 0;
    if (stdin_count > 1) {
        fprintf(stderr, "shipload %s: standard input (-) can be read only once\n", command);
        return SL_EXIT_USAGE;
    }
    if (options->template_name) {
        sl_error err = { "" };
        sl_template *tpl = sl_template_load(options->template_name, &err);
        if (!tpl) {
            fprintf(stderr, "shipload %s: %s\n", command, err.message);
            return SL_EXIT_USAGE;
        }
        sl_template_free(tpl);
    }
    return SL_EXIT_OK;
}

/* The store's address as people may see it: no user, password, query or fragment (libcurl's
 * URL parser takes them off). NULL when there is none or it does not parse. Caller frees. */
static char *store_label(const char *api_url)
{
    if (!api_url)
        return NULL;   /* validate: libcurl is not even loaded */
    CURLU *url = curl_url();
    char *label = NULL, *shown = NULL;
    if (url && curl_url_set(url, CURLUPART_URL, api_url, 0) == CURLUE_OK &&
        curl_url_set(url, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
        curl_url_set(url, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK &&
        curl_url_set(url, CURLUPART_QUERY, NULL, 0) == CURLUE_OK &&
        curl_url_set(url, CURLUPART_FRAGMENT, NULL, 0) == CURLUE_OK &&
        curl_url_get(url, CURLUPART_URL, &shown, 0) == CURLUE_OK)
        label = strdup(shown);
    curl_free(shown);
    curl_url_cleanup(url);
    return label;
}

sl_report *cli_report_open(const cli_options *options, int index, const char *command,
                           int dry_run, const char *store_url, const char *platform,
                           sl_error *err)
{
    int created = 0;
    char *dir = cli_report_dir(options, options->operands, options->operand_count, index,
                               time(NULL), &created, err);
    if (!dir)
        return NULL;
    char *store = store_label(store_url);
    sl_report_options report_options = { .dir = dir, .command = command,
                                          .excel_bom = options->excel, .dry_run = dry_run,
                                          .formats = options->report_formats, .store = store,
                                          .platform = platform };
    sl_report *report = sl_report_open(&report_options, err);
    free(store);
    if (report && created && !options->quiet)
        printf("%s\n", dir);
    fflush(stdout);
    free(dir);
    return report;
}

void cli_print_summary_line(FILE *out, const char *command, const sl_report *report,
                            const sl_status *always, size_t always_count)
{
    size_t rows = sl_report_rows(report);
    fprintf(out, "%s: %zu record%s:", command, rows, rows == 1 ? "" : "s");
    const char *separator = " ";
    for (size_t i = 0; i < always_count; i++) {
        fprintf(out, "%s%zu %s", separator, sl_report_status_count(report, always[i]),
                sl_status_name(always[i]));
        separator = ", ";
    }
    for (int status = 0; status < SL_STATUS_COUNT; status++) {
        int listed = 0;
        for (size_t i = 0; i < always_count; i++)
            listed |= always[i] == (sl_status)status;
        size_t count = sl_report_status_count(report, status);
        if (listed || count == 0)
            continue;
        fprintf(out, "%s%zu %s", separator, count, sl_status_name(status));
        separator = ", ";
    }
    fprintf(out, "; reports in %s\n", sl_report_dir(report));
}

int cli_report_exit_status(const sl_report *report, int fatal)
{
    if (fatal)
        return SL_EXIT_FATAL;
    return report && sl_report_failures(report) ? SL_EXIT_ROWS_FAILED : SL_EXIT_OK;
}

int cli_exit_worst(int a, int b)
{
    return a > b ? a : b;
}

/* ---------------------------------------------------------------- interrupts */

/* The one piece of process-wide state: a signal handler can only set a flag. */
static volatile sig_atomic_t interrupt_signal;

static void on_interrupt(int signal_number)
{
    interrupt_signal = signal_number;
}

void cli_interrupt_install(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = on_interrupt;
    action.sa_flags = SA_RESETHAND;   /* a second Ctrl-C ends the process */
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
}

int cli_interrupted(void)
{
    return interrupt_signal;
}

/* ---------------------------------------------------------------- progress line */

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void cli_progress_start(cli_progress_line *progress, int enabled, const char *label)
{
    memset(progress, 0, sizeof(*progress));
    progress->enabled = enabled;
    progress->on_terminal = isatty(STDERR_FILENO);
    progress->label = label;
    clock_gettime(CLOCK_MONOTONIC, &progress->last);
}

void cli_progress_update(cli_progress_line *progress, size_t records)
{
    if (!progress->enabled || (records & 1023) != 0)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (seconds_between(&progress->last, &now) < (progress->on_terminal ? 0.25 : 5.0))
        return;
    progress->last = now;
    progress->drawn = 1;
    if (!progress->on_terminal) {
        fprintf(stderr, "%s: %zu records\n", progress->label, records);
        return;
    }
    char full[700], brief[64];
    snprintf(full, sizeof(full), "%s: %zu records", progress->label, records);
    snprintf(brief, sizeof(brief), "%zu records", records);
    const char *variants[] = { full, brief };
    sl_term_draw_fitted(variants, 2);
}

void cli_progress_finish(cli_progress_line *progress)
{
    if (progress->enabled && progress->drawn && progress->on_terminal)
        fputs("\r\033[K", stderr);
    progress->drawn = 0;
}
