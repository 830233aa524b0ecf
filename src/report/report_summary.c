/* report_summary.c: counts per status, per error code and per request kind, and summary.json
 * built from them with jansson. Does not open or rename files (report_fs.c does). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/utf8.h"
#include "report_summary.h"

void sl_report_stats_init(report_stats *stats)
{
    memset(stats, 0, sizeof(*stats));
    stats->started = time(NULL);
    clock_gettime(CLOCK_MONOTONIC, &stats->started_monotonic);
}

void sl_report_stats_free(report_stats *stats)
{
    for (size_t i = 0; i < stats->request_kinds; i++)
        free(stats->requests[i].endpoint);
    free(stats->requests);
    stats->requests = NULL;
    for (size_t i = 0; i < stats->notice_count; i++)
        free(stats->notices[i]);
    free(stats->notices);
    stats->notices = NULL;
    stats->notice_count = 0;
    stats->request_kinds = stats->request_cap = 0;
}

void sl_report_stats_add_row(report_stats *stats, sl_status status, sl_code code,
                          unsigned warning_kinds)
{
    for (int kind = 0; kind < SL_WARNING_COUNT; kind++)
        if (warning_kinds & (1u << kind))
            stats->warning_counts[kind]++;
    stats->rows++;
    if ((unsigned)status < SL_STATUS_COUNT)
        stats->status_counts[status]++;
    if (code != SL_CODE_NONE && (unsigned)code < SL_CODE_COUNT)
        stats->code_counts[code]++;
}

int sl_report_stats_add_notice(report_stats *stats, const char *message)
{
    char **notices = realloc(stats->notices, (stats->notice_count + 1) * sizeof(char *));
    if (!notices)
        return -1;
    stats->notices = notices;
    if (!(notices[stats->notice_count] = strdup(message)))
        return -1;
    stats->notice_count++;
    return 0;
}

/* "POST" + "/orders/{id}" → "POST /orders/{id}"; an endpoint that already names its method
 * is kept as it is. */
static char *endpoint_key(const char *method, const char *endpoint)
{
    size_t method_len = method ? strlen(method) : 0;
    if (!endpoint)
        endpoint = "";
    if (method_len == 0 ||
        (strncmp(endpoint, method, method_len) == 0 && endpoint[method_len] == ' '))
        return strdup(endpoint);
    size_t len = method_len + 1 + strlen(endpoint) + 1;
    char *key = malloc(len);
    if (key)
        snprintf(key, len, "%s %s", method, endpoint);
    return key;
}

int sl_report_stats_add_request(report_stats *stats, const char *method, const char *endpoint,
                             int http_status)
{
    char *key = endpoint_key(method, endpoint);
    if (!key)
        return -1;
    for (size_t i = 0; i < stats->request_kinds; i++) {
        request_tally *tally = &stats->requests[i];
        if (tally->http_status == http_status && strcmp(tally->endpoint, key) == 0) {
            tally->count++;
            free(key);
            return 0;
        }
    }
    if (stats->request_kinds == stats->request_cap) {
        size_t cap = stats->request_cap ? stats->request_cap * 2 : 8;
        request_tally *grown = realloc(stats->requests, cap * sizeof(*grown));
        if (!grown) {
            free(key);
            return -1;
        }
        stats->requests = grown;
        stats->request_cap = cap;
    }
    stats->requests[stats->request_kinds++] = (request_tally){ key, http_status, 1 };
    return 0;
}

void sl_report_format_utc(time_t when, char out[32])
{
    struct tm utc;
    gmtime_r(&when, &utc);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &utc);
}

/* Texts that come from outside (file names, messages) may hold invalid UTF-8: shown as U+FFFD. */
static json_t *string_or_null(const char *text)
{
    if (!text)
        return json_null();
    char *clean = sl_utf8_sanitize(text, strlen(text));
    json_t *string = clean ? json_string(clean) : NULL;
    free(clean);
    return string;
}

static json_t *input_object(const sl_report_input *input)
{
    if (!input)
        return json_null();
    return json_pack("{s:o, s:I, s:o}", "name", string_or_null(input->name),
                     "size", (json_int_t)input->size,
                     "sha256", string_or_null(input->sha256_hex));
}

static json_t *status_counts(const report_stats *stats)
{
    json_t *object = json_object();
    for (int status = 0; status < SL_STATUS_COUNT && object; status++)
        if (stats->status_counts[status])
            json_object_set_new(object, sl_status_name(status),
                                json_integer((json_int_t)stats->status_counts[status]));
    return object;
}

static json_t *code_counts(const report_stats *stats)
{
    json_t *object = json_object();
    for (int code = SL_CODE_NONE + 1; code < SL_CODE_COUNT && object; code++)
        if (stats->code_counts[code])
            json_object_set_new(object, sl_code_name(code),
                                json_integer((json_int_t)stats->code_counts[code]));
    return object;
}

static json_t *warning_counts(const report_stats *stats)
{
    json_t *object = json_object();
    for (int kind = 0; kind < SL_WARNING_COUNT && object; kind++)
        if (stats->warning_counts[kind])
            json_object_set_new(object, sl_warning_name(kind),
                                json_integer((json_int_t)stats->warning_counts[kind]));
    return object;
}

/* {"POST /orders/{id}/packages/fulfillments": {"200": 3, "429": 1}, ...}; status 0 is "none". */
static json_t *request_counts(const report_stats *stats)
{
    json_t *object = json_object();
    for (size_t i = 0; i < stats->request_kinds && object; i++) {
        const request_tally *tally = &stats->requests[i];
        json_t *per_status = json_object_get(object, tally->endpoint);
        if (!per_status) {
            per_status = json_object();
            json_object_set_new(object, tally->endpoint, per_status);
        }
        char status_key[16];
        if (tally->http_status)
            snprintf(status_key, sizeof(status_key), "%d", tally->http_status);
        else
            snprintf(status_key, sizeof(status_key), "none");
        json_object_set_new(per_status, status_key, json_integer((json_int_t)tally->count));
    }
    return object;
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double seconds = (double)(now.tv_sec - start->tv_sec) +
                     (double)(now.tv_nsec - start->tv_nsec) / 1e9;
    return (double)(long long)(seconds * 1000.0 + 0.5) / 1000.0;   /* milliseconds */
}

static size_t success_rows(const report_stats *stats)
{
    size_t succeeded = 0;
    for (int status = 0; status < SL_STATUS_COUNT; status++)
        if (sl_status_is_success(status))
            succeeded += stats->status_counts[status];
    return succeeded;
}

int sl_report_summary_write(const report_stats *stats, const report_summary_context *context,
                         FILE *fp, sl_error *err)
{
    char started[32], finished[32];
    sl_report_format_utc(stats->started, started);
    sl_report_format_utc(time(NULL), finished);
    size_t succeeded = success_rows(stats);
    json_t *summary = json_pack(
        "{s:o, s:o, s:o, s:o, s:b, s:b, s:o, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:I, s:s, s:s,"
        " s:f}",
        "command", string_or_null(context->command),
        "input", input_object(context->input),
        "template", string_or_null(context->input ? context->input->template_name : NULL),
        "report_dir", string_or_null(context->dir),
        "dry_run", context->dry_run,
        "complete", context->fatal_error == NULL,
        "error", string_or_null(context->fatal_error),
        "records", (json_int_t)stats->rows,
        "succeeded", (json_int_t)succeeded,
        "failed", (json_int_t)(stats->rows - succeeded),
        "statuses", status_counts(stats),
        "error_codes", code_counts(stats),
        "warnings", warning_counts(stats),
        "requests", request_counts(stats),
        "retries", (json_int_t)stats->retries,
        "started", started,
        "finished", finished,
        "wall_time_seconds", seconds_since(&stats->started_monotonic));
    if (!summary)
        return sl_error_set(err, "cannot build summary.json (a text is not valid UTF-8?)");
    json_t *rate = json_pack("{s:I, s:o}", "limited_429", (json_int_t)stats->limited_429,
                             "settled_per_second",
                             stats->settled_per_second > 0
                                 ? json_real((double)(long long)(stats->settled_per_second *
                                                                 100.0 + 0.5) / 100.0)
                                 : json_null());
    json_object_set_new(summary, "rate", rate ? rate : json_null());
    json_t *notices = json_array();
    for (size_t i = 0; notices && i < stats->notice_count; i++)
        json_array_append_new(notices, string_or_null(stats->notices[i]));
    json_object_set_new(summary, "notices", notices ? notices : json_null());
    int rc = json_dumpf(summary, fp, JSON_INDENT(2)) == 0 && fputc('\n', fp) != EOF
                 ? 0
                 : sl_error_set(err, "cannot write summary.json");
    json_decref(summary);
    return rc;
}
