/* preflight.c: the address check and the probe of preflight.h. The probe's request and what
 * its answer must look like belong to the platform adapter (the platform table's probe and
 * decode_probe); here is only what each outcome means to the operator. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>
#include "shipload/url.h"
#include "preflight.h"
#include "run.h"
#include "shipload/http.h"
#include "shipload/platform.h"

/* ---------------------------------------------------------------- the address */

/* localhost, 127.0.0.0/8 and ::1: the token never leaves the machine. */
int cli_is_loopback_host(const char *host)
{
    if (strcasecmp(host, "localhost") == 0)
        return 1;
    size_t len = strlen(host);
    if (len > 10 && strcasecmp(host + len - 10, ".localhost") == 0)
        return 1;
    char bare[64];
    if (host[0] == '[' && len < sizeof(bare) && host[len - 1] == ']') {
        snprintf(bare, sizeof(bare), "%.*s", (int)(len - 2), host + 1);
        host = bare;
    }
    struct in_addr v4;
    struct in6_addr v6;
    if (inet_pton(AF_INET, host, &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, host, &v6) == 1)
        return memcmp(&v6, &in6addr_loopback, sizeof(v6)) == 0;
    return 0;
}

int cli_preflight_check_url(const cli_options *options, const char *url, cli_preflight *result)
{
    char shown[512];   /* messages show no credentials */
    sl_url_shown(url, shown, sizeof(shown));
    memset(result, 0, sizeof(*result));
    CURLU *parsed = curl_url();
    char *scheme = NULL, *host = NULL;
    int status = SL_EXIT_OK;
    if (!parsed || curl_url_set(parsed, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(parsed, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(parsed, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        snprintf(result->message, sizeof(result->message),
                 "--api-url %s: not a URL (expected https://HOST)", shown);
        status = SL_EXIT_USAGE;
    } else if (strcasecmp(scheme, "https") != 0 && strcasecmp(scheme, "http") != 0) {
        snprintf(result->message, sizeof(result->message),
                 "--api-url %s: %s:// is not http(s)", shown, scheme);
        status = SL_EXIT_USAGE;
    } else if (strcasecmp(scheme, "http") == 0 && !cli_is_loopback_host(host) &&
               !options->allow_http) {
        snprintf(result->message, sizeof(result->message),
                 "--api-url %s: plain http:// to %s, a host that is not loopback, would send "
                 "the token in clear; use https:// (or --allow-http if you must)", shown, host);
        status = SL_EXIT_USAGE;
    }
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(parsed);
    result->status = status;
    return status;
}

/* ---------------------------------------------------------------- the probe */

typedef struct probe_state {
    const sl_platform *platform;
    sl_http *http;
    int progress, drawn;
    long status;
    int attempts, done, not_platform;
    char redirect[512];
    char cause[160];
    char error[256];
    char platform_error[600];
} probe_state;

static void probe_done(sl_http *http, const sl_http_response *response, void *data)
{
    (void)http;
    probe_state *probe = data;
    probe->done = 1;
    probe->status = response->status;
    probe->attempts = response->attempts;
    if (response->redirect_url)
        snprintf(probe->redirect, sizeof(probe->redirect), "%s", response->redirect_url);
    if (response->cause)
        snprintf(probe->cause, sizeof(probe->cause), "%s", response->cause);
    if (response->error)
        snprintf(probe->error, sizeof(probe->error), "%s", response->error);
    if (response->status >= 200 && response->status < 300) {
        sl_error err = { "" };
        probe->not_platform = probe->platform->decode_probe &&
                              probe->platform->decode_probe(response->body, response->body_len,
                                                            &err) != 0;
        snprintf(probe->platform_error, sizeof(probe->platform_error), "%s", err.message);
    }
}

/* Interrupts stop the probe; while it waits for a retry the progress line says so. */
static void probe_tick(void *data)
{
    probe_state *probe = data;
    if (cli_interrupted() && !sl_http_stopping(probe->http))
        sl_http_stop_for(probe->http, 0, SL_CODE_INTERRUPTED);
    sl_http_retry_info retry;
    if (!probe->progress)
        return;
    if (sl_http_next_retry(probe->http, &retry)) {
        fprintf(stderr, "\r\033[Kwaiting for the API: retry %d of %d in %ld s", retry.attempt,
                retry.max_attempts, (retry.due_in_ms + 999) / 1000);
        probe->drawn = 1;
    }
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Sends the probe; fills probe. -1 with err when the client cannot be made. */
static int send_probe(const cli_options *options, const cli_api_config *api,
                      const sl_platform_request *request, probe_state *probe, sl_error *err)
{
    sl_http_options http_options;
    sl_http_options_init(&http_options);
    http_options.base_url = api->url;
    http_options.token = api->token;
    http_options.auth_header = api->platform->auth_header;
    http_options.auth_prefix = api->platform->auth_prefix;
    http_options.request_id_header = api->platform->request_id_header;
    http_options.concurrency = 1;
    http_options.timeout_ms = options->timeout_ms;
    http_options.max_attempts = (int)options->max_attempts;
    http_options.rate_limit_max_wait_ms = options->max_wait_s * 1000;   /* --max-wait */
    http_options.log = options->verbose ? stderr : NULL;
    http_options.log_level = options->verbose;
    http_options.tick = probe_tick;
    http_options.tick_data = probe;
    http_options.tick_ms = 250;
    if (!(probe->http = sl_http_new(&http_options, err)))
        return -1;
    sl_http_request http_request = { request->method, request->path, request->body,
                                     request->label, probe_done, probe, 0,
                                     1024 * 1024 /* one order is asked for */ };
    int rc = sl_http_enqueue(probe->http, &http_request, err);
    if (rc == 0)
        rc = sl_http_run(probe->http, err);
    sl_http_free(probe->http);
    probe->http = NULL;
    if (probe->drawn)
        fputs("\r\033[K", stderr);
    return rc;
}

/* What the probe's answer means (result->status and message). */
static void judge(const cli_options *options, const char *url,
                  const sl_platform_request *request, const probe_state *probe,
                  cli_preflight *result)
{
    char shown_url[512];   /* messages show no credentials */
    url = sl_url_shown(url, shown_url, sizeof(shown_url));
    size_t cap = sizeof(result->message);
    char *msg = result->message;
    result->http_status = probe->status;
    result->attempts = probe->attempts;
    if (cli_interrupted()) {
        result->status = SL_EXIT_FATAL;
        snprintf(msg, cap, "interrupted while checking the API at %s", url);
    } else if (!probe->done || probe->status == 0) {
        result->status = SL_EXIT_FATAL;
        snprintf(msg, cap, "cannot reach the API at %s: %s (%s); tried %d time%s over %.1f s "
                 "(--max-attempts %ld, --timeout %.3g s)",
                 url, probe->cause[0] ? probe->cause : "no answer", probe->error,
                 probe->attempts, probe->attempts == 1 ? "" : "s", result->seconds,
                 options->max_attempts, (double)options->timeout_ms / 1000.0);
    } else if (probe->status == 401 || probe->status == 403) {
        result->status = SL_EXIT_FATAL;
        snprintf(msg, cap, "auth_failed: the API at %s refused the token (HTTP %ld); nothing "
                 "was read or sent. The token comes from $SHIPLOAD_API_TOKEN or --token-file",
                 url, probe->status);
    } else if (probe->status >= 300 && probe->status < 400) {
        result->status = SL_EXIT_USAGE;
        snprintf(msg, cap, "the API at %s answered HTTP %ld, a redirect to %s; shipload never "
                 "follows a redirect (the token would go along): give --api-url the base URL "
                 "the store's API really answers at", url, probe->status,
                 probe->redirect[0] ? probe->redirect : "(no Location)");
    } else if (probe->status == 404) {
        result->status = SL_EXIT_USAGE;
        if (probe->platform->api_prefix)
            snprintf(msg, cap, "the API at %s answered HTTP 404 to GET %s: is --api-url the "
                     "base URL, without %s?", url, request->path, probe->platform->api_prefix);
        else
            snprintf(msg, cap, "the API at %s answered HTTP 404 to GET %s: is --api-url the "
                     "store API's base URL?", url, request->path);
    } else if (probe->status >= 500) {
        result->status = SL_EXIT_FATAL;
        snprintf(msg, cap, "the API at %s answered HTTP %ld after %d attempt%s over %.1f s; "
                 "nothing was read or sent", url, probe->status, probe->attempts,
                 probe->attempts == 1 ? "" : "s", result->seconds);
    } else if (probe->status >= 400) {
        result->status = SL_EXIT_USAGE;
        snprintf(msg, cap, "the API at %s answered HTTP %ld to GET %s: is --api-url the "
                 "store API's base URL?", url, probe->status, request->path);
    } else if (probe->not_platform) {
        result->status = SL_EXIT_USAGE;
        snprintf(msg, cap, "the server at %s answered GET %s, but not as the %s API (%s): is "
                 "--api-url the store API's base URL (or --platform the store's platform)?",
                 url, request->path, probe->platform->title, probe->platform_error);
    } else {
        result->status = SL_EXIT_OK;
        snprintf(msg, cap, "the %s API at %s accepted the token (GET %s: HTTP %ld in %.2f s)",
                 probe->platform->title, url, request->path, probe->status, result->seconds);
    }
}

int cli_preflight_run(const cli_options *options, const cli_api_config *api, int progress,
                      cli_preflight *result)
{
    if (cli_preflight_check_url(options, api->url, result) != SL_EXIT_OK)
        return result->status;
    const sl_platform *platform = api->platform;
    if (!platform->probe) {
        snprintf(result->message, sizeof(result->message), "the %s adapter has no preflight "
                 "read: only the address %s was checked", platform->title, api->url);
        return result->status;
    }
    sl_platform_request request;
    sl_error err = { "" };
    if (platform->probe(&request, &err) != 0) {
        result->status = SL_EXIT_FATAL;
        snprintf(result->message, sizeof(result->message), "checking the API at %s: %s",
                 api->url, err.message);
        return result->status;
    }
    probe_state probe;
    memset(&probe, 0, sizeof(probe));
    probe.platform = platform;
    probe.progress = progress;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    if (send_probe(options, api, &request, &probe, &err) != 0) {
        result->status = SL_EXIT_FATAL;
        snprintf(result->message, sizeof(result->message), "checking the API at %s: %s",
                 api->url, err.message);
    } else {
        result->seconds = seconds_since(&start);
        judge(options, api->url, &request, &probe, result);
    }
    sl_platform_request_clear(&request);
    return result->status;
}
