/* test_api_http.c: the HTTP client against a libmicrohttpd server run inside the test process,
 * scripted per test (status, delay, Retry-After, dropped connection, per request number):
 * concurrency reached and never exceeded, 429/Retry-After, GET back-off, writes never re-sent
 * after they may have landed, writes re-sent when they never left, timeouts, 401, headers,
 * the token kept out of the verbose log, stop and abandon, statistics. */
#include <arpa/inet.h>
#include <check.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "shipload/http.h"

#define TOKEN "tok_SECRET_5f2b9c"
#define MAX_STEPS 8
#define MAX_SEEN 64

/* ---------------------------------------------------------------- the scripted server */

typedef struct step {
    int status;                 /* 0: drop the connection without an answer */
    int delay_ms;               /* before answering */
    const char *retry_after;    /* Retry-After header, or NULL */
    const char *body;           /* NULL: {"success":true} */
} step;

typedef struct test_server {
    struct MHD_Daemon *daemon;
    unsigned short port;
    char url[64];
    step steps[MAX_STEPS];      /* request n gets steps[min(n, step_count - 1)] */
    int step_count;
    pthread_mutex_t lock;
    int requests;               /* requests that reached the handler (complete headers) */
    int active, max_active;     /* requests being answered at once */
    int connections;            /* TCP connections accepted */
    char method[MAX_SEEN][8];
    char authorization[128];
    char user_agent[64];
    char content_type[64];
    char last_body[512];
    char last_url[256];
    const char *location;       /* a Location header on every answer (a redirect), or NULL */
    const char *request_id;     /* a Request-Id header on every answer, or NULL */
} test_server;

typedef struct upload {
    char body[512];
    size_t length;
} upload;

static void sleep_ms(int ms)
{
    struct timespec pause = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&pause, &pause) != 0)
        ;
}

static uint64_t clock_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
}

static void copy_header(struct MHD_Connection *connection, const char *name, char *out,
                        size_t size)
{
    const char *value = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, name);
    snprintf(out, size, "%s", value ? value : "");
}

static enum MHD_Result handle_request(void *cls, struct MHD_Connection *connection,
                                      const char *url, const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **request_state)
{
    test_server *server = cls;
    (void)version;
    if (!*request_state) {          /* headers only: wait for the body */
        *request_state = calloc(1, sizeof(upload));
        return *request_state ? MHD_YES : MHD_NO;
    }
    upload *received = *request_state;
    if (*upload_data_size > 0) {
        size_t room = sizeof(received->body) - 1 - received->length;
        size_t take = *upload_data_size < room ? *upload_data_size : room;
        memcpy(received->body + received->length, upload_data, take);
        received->length += take;
        *upload_data_size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&server->lock);
    int number = server->requests++;
    step script = server->steps[number < server->step_count ? number : server->step_count - 1];
    if (number < MAX_SEEN)
        snprintf(server->method[number], sizeof(server->method[number]), "%s", method);
    copy_header(connection, "Authorization", server->authorization,
                sizeof(server->authorization));
    copy_header(connection, "User-Agent", server->user_agent, sizeof(server->user_agent));
    copy_header(connection, "Content-Type", server->content_type, sizeof(server->content_type));
    snprintf(server->last_body, sizeof(server->last_body), "%s", received->body);
    snprintf(server->last_url, sizeof(server->last_url), "%s", url);
    server->active++;
    if (server->active > server->max_active)
        server->max_active = server->active;
    pthread_mutex_unlock(&server->lock);

    if (script.delay_ms > 0)
        sleep_ms(script.delay_ms);
    enum MHD_Result result = MHD_NO;    /* status 0: drop the connection */
    if (script.status > 0) {
        const char *body = script.body ? script.body : "{\"success\":true}";
        struct MHD_Response *response =
            MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
        MHD_add_response_header(response, "Content-Type", "application/json");
        if (script.retry_after)
            MHD_add_response_header(response, "Retry-After", script.retry_after);
        if (server->location)
            MHD_add_response_header(response, "Location", server->location);
        if (server->request_id)
            MHD_add_response_header(response, "Request-Id", server->request_id);
        result = MHD_queue_response(connection, (unsigned)script.status, response);
        MHD_destroy_response(response);
    }
    pthread_mutex_lock(&server->lock);
    server->active--;
    pthread_mutex_unlock(&server->lock);
    return result;
}

static void request_completed(void *cls, struct MHD_Connection *connection,
                              void **request_state, enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)connection;
    (void)code;
    free(*request_state);
    *request_state = NULL;
}

static void connection_event(void *cls, struct MHD_Connection *connection, void **socket_state,
                             enum MHD_ConnectionNotificationCode code)
{
    test_server *server = cls;
    (void)connection;
    (void)socket_state;
    if (code != MHD_CONNECTION_NOTIFY_STARTED)
        return;
    pthread_mutex_lock(&server->lock);
    server->connections++;
    pthread_mutex_unlock(&server->lock);
}

/* Starts the server on `port` (0: any free port). */
static void server_start(test_server *server, unsigned short port)
{
    server->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, port,
        NULL, NULL, handle_request, server, MHD_OPTION_NOTIFY_COMPLETED, request_completed,
        server, MHD_OPTION_NOTIFY_CONNECTION, connection_event, server,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned int)1,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10, MHD_OPTION_END);
    ck_assert_ptr_nonnull(server->daemon);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(server->daemon,
                                                          MHD_DAEMON_INFO_BIND_PORT);
    ck_assert_ptr_nonnull(info);
    server->port = info->port;
    snprintf(server->url, sizeof(server->url), "http://127.0.0.1:%u", server->port);
}

static test_server *server_new(const step *steps, int step_count)
{
    test_server *server = calloc(1, sizeof(*server));
    ck_assert_ptr_nonnull(server);
    ck_assert_int_le(step_count, MAX_STEPS);
    memcpy(server->steps, steps, (size_t)step_count * sizeof(*steps));
    server->step_count = step_count;
    pthread_mutex_init(&server->lock, NULL);
    return server;
}

static void server_free(test_server *server)
{
    if (server->daemon)
        MHD_stop_daemon(server->daemon);
    pthread_mutex_destroy(&server->lock);
    free(server);
}

static int server_requests(test_server *server)
{
    pthread_mutex_lock(&server->lock);
    int requests = server->requests;
    pthread_mutex_unlock(&server->lock);
    return requests;
}

/* A port where nothing listens (bound, then released). */
static unsigned short free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    struct sockaddr_in address = { .sin_family = AF_INET,
                                   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&address, sizeof(address)), 0);
    socklen_t length = sizeof(address);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&address, &length), 0);
    close(fd);
    return ntohs(address.sin_port);
}

/* ---------------------------------------------------------------- the client side */

typedef struct outcome {
    int calls;
    long status;
    int attempts;
    int outcome_unknown;
    sl_http_transport transport;
    sl_http_stop_state stopped;
    sl_code stop_code;
    char body[256];
    char redirect[256];
    char cause[96];
    char request_id[SL_HTTP_REQUEST_ID_MAX];
    uint64_t finished_ms;
} outcome;

static void record_outcome(sl_http *http, const sl_http_response *response, void *user_data)
{
    outcome *seen = user_data;
    (void)http;
    seen->calls++;
    seen->status = response->status;
    seen->attempts = response->attempts;
    seen->outcome_unknown = response->outcome_unknown;
    seen->transport = response->transport;
    seen->stopped = response->stopped;
    seen->stop_code = response->stop_code;
    snprintf(seen->body, sizeof(seen->body), "%.*s", (int)response->body_len, response->body);
    snprintf(seen->redirect, sizeof(seen->redirect), "%s",
             response->redirect_url ? response->redirect_url : "");
    snprintf(seen->cause, sizeof(seen->cause), "%s", response->cause ? response->cause : "");
    snprintf(seen->request_id, sizeof(seen->request_id), "%s",
             response->request_id ? response->request_id : "");
    seen->finished_ms = clock_ms();
}

static sl_http_options test_options(const char *url)
{
    sl_http_options options;
    sl_http_options_init(&options);
    options.base_url = url;
    options.token = TOKEN;
    options.jitter_seed = 42;
    options.backoff_base_ms = 40;
    options.timeout_ms = 3000;
    return options;
}

static sl_http *client_new(const sl_http_options *options)
{
    sl_error err = { "" };
    sl_http *http = sl_http_new(options, &err);
    ck_assert_msg(http != NULL, "sl_http_new: %s", err.message);
    return http;
}

static void enqueue(sl_http *http, sl_http_method method, const char *path, const char *body,
                    const char *endpoint, outcome *seen)
{
    sl_error err = { "" };
    sl_http_request request = { method, path, body, endpoint, record_outcome, seen, 0, 0 };
    ck_assert_msg(sl_http_enqueue(http, &request, &err) == 0, "enqueue: %s", err.message);
}

static void run(sl_http *http)
{
    sl_error err = { "" };
    ck_assert_msg(sl_http_run(http, &err) == 0, "run: %s", err.message);
    ck_assert_uint_eq(sl_http_pending(http), 0);
}

/* One request against a one-script server; returns what the callback saw. */
static outcome single(const step *steps, int step_count, sl_http_options *options,
                      sl_http_method method, int *server_count)
{
    test_server *server = server_new(steps, step_count);
    server_start(server, 0);
    options->base_url = server->url;
    sl_http *http = client_new(options);
    outcome seen = { 0 };
    enqueue(http, method, "/api/v2/thing", method == SL_HTTP_GET ? NULL : "{\"a\":1}", "thing",
            &seen);
    run(http);
    ck_assert_int_eq(seen.calls, 1);
    sl_http_free(http);
    *server_count = server_requests(server);
    server_free(server);
    return seen;
}

/* ---------------------------------------------------------------- concurrency */

START_TEST(concurrency_is_reached_in_one_delay)
{
    const step steps[] = { { 200, 300, NULL, NULL } };
    test_server *server = server_new(steps, 1);
    server_start(server, 0);
    sl_http_options options = test_options(server->url);
    options.concurrency = 8;
    sl_http *http = client_new(&options);
    outcome seen[8] = { { 0 } };
    uint64_t started = clock_ms();
    for (int i = 0; i < 8; i++)
        enqueue(http, SL_HTTP_GET, "/api/v2/orders", NULL, "GET /api/v2/orders", &seen[i]);
    run(http);
    uint64_t elapsed = clock_ms() - started;
    for (int i = 0; i < 8; i++) {
        ck_assert_int_eq(seen[i].calls, 1);
        ck_assert_int_eq(seen[i].status, 200);
    }
    /* no upper bound on the time (the machine may be slow): the server saw 8 at once */
    ck_assert_msg(elapsed >= 290, "8 parallel 300 ms requests took %llu ms",
                  (unsigned long long)elapsed);
    ck_assert_int_eq(server->max_active, 8);
    sl_http_totals totals;
    sl_http_get_totals(http, &totals);
    ck_assert_uint_eq(totals.max_in_flight, 8);
    sl_http_free(http);
    server_free(server);
}
END_TEST

START_TEST(concurrency_is_never_exceeded)
{
    const step steps[] = { { 200, 100, NULL, NULL } };
    test_server *server = server_new(steps, 1);
    server_start(server, 0);
    sl_http_options options = test_options(server->url);
    options.concurrency = 3;
    sl_http *http = client_new(&options);
    outcome seen[12] = { { 0 } };
    uint64_t started = clock_ms();
    for (int i = 0; i < 12; i++)
        enqueue(http, i % 2 ? SL_HTTP_POST : SL_HTTP_GET, "/x", i % 2 ? "{}" : NULL, "x",
                &seen[i]);
    run(http);
    uint64_t elapsed = clock_ms() - started;
    for (int i = 0; i < 12; i++)
        ck_assert_int_eq(seen[i].status, 200);
    ck_assert_int_eq(server->max_active, 3);
    ck_assert_int_eq(server->requests, 12);
    ck_assert_int_eq(server->connections, 3);   /* kept alive and reused */
    ck_assert_msg(elapsed >= 390, "12 requests by 3 took %llu ms", (unsigned long long)elapsed);
    sl_http_free(http);
    server_free(server);
}
END_TEST

/* Callbacks may queue more work; it runs in the same sl_http_run(). */
typedef struct chain {
    outcome seen;
    int remaining;
    int statuses_ok;
} chain;

static void chain_next(sl_http *http, const sl_http_response *response, void *user_data)
{
    chain *links = user_data;
    links->statuses_ok += response->status == 200;
    if (--links->remaining > 0) {
        sl_http_request request = { SL_HTTP_GET, "/next", NULL, "next", chain_next, links, 0, 0 };
        ck_assert_int_eq(sl_http_enqueue(http, &request, NULL), 0);
    }
}

START_TEST(callbacks_can_enqueue)
{
    const step steps[] = { { 200, 0, NULL, NULL } };
    test_server *server = server_new(steps, 1);
    server_start(server, 0);
    sl_http_options options = test_options(server->url);
    sl_http *http = client_new(&options);
    chain links = { .remaining = 5 };
    sl_http_request request = { SL_HTTP_GET, "/first", NULL, "next", chain_next, &links, 0, 0 };
    ck_assert_int_eq(sl_http_enqueue(http, &request, NULL), 0);
    run(http);
    ck_assert_int_eq(links.remaining, 0);
    ck_assert_int_eq(links.statuses_ok, 5);
    ck_assert_int_eq(server_requests(server), 5);
    sl_http_free(http);
    server_free(server);
}
END_TEST

/* The before_start hook (a journal's group commit): called before each queued request
 * starts; one that stops the client keeps every queued request unsent. */
typedef struct hook_seen {
    int calls;
    int stop;
} hook_seen;

static void count_before_start(sl_http *http, void *data)
{
    hook_seen *hook = data;
    hook->calls++;
    if (hook->stop)
        sl_http_stop_for(http, 0, SL_CODE_RUN_STOPPED);
}

START_TEST(before_start_runs_before_queued_requests_start)
{
    const step steps[] = { { 200, 0, NULL, NULL } };
    test_server *server = server_new(steps, 1);
    server_start(server, 0);
    sl_http_options options = test_options(server->url);
    hook_seen hook = { 0 };
    options.before_start = count_before_start;
    options.before_start_data = &hook;
    sl_http *http = client_new(&options);
    chain links = { .remaining = 5 };
    sl_http_request request = { SL_HTTP_GET, "/first", NULL, "next", chain_next, &links, 0, 0 };
    ck_assert_int_eq(sl_http_enqueue(http, &request, NULL), 0);
    run(http);
    ck_assert_int_eq(links.statuses_ok, 5);
    ck_assert_int_ge(hook.calls, 5);   /* at least once before each of the five */
    sl_http_free(http);
    server_free(server);

    server = server_new(steps, 1);
    server_start(server, 0);
    options = test_options(server->url);
    hook_seen stopping = { .stop = 1 };
    options.before_start = count_before_start;
    options.before_start_data = &stopping;
    http = client_new(&options);
    outcome seen = { 0 };
    enqueue(http, SL_HTTP_POST, "/write", "{}", "write", &seen);
    run(http);
    ck_assert_int_eq(seen.calls, 1);
    ck_assert_int_eq(seen.stopped, SL_HTTP_STOP_NOT_SENT);
    ck_assert_int_eq(seen.stop_code, SL_CODE_RUN_STOPPED);
    ck_assert_int_eq(server_requests(server), 0);
    sl_http_free(http);
    server_free(server);
}
END_TEST

/* ---------------------------------------------------------------- retries */

START_TEST(rate_limited_honours_retry_after)
{
    const step steps[] = { { 429, 0, "1", "{\"success\":false}" }, { 200, 0, NULL, NULL } };
    sl_http_options options = test_options(NULL);
    int requests = 0;
    uint64_t started = clock_ms();
    outcome seen = single(steps, 2, &options, SL_HTTP_GET, &requests);
    uint64_t elapsed = seen.finished_ms - started;
    ck_assert_int_eq(seen.status, 200);
    ck_assert_int_eq(seen.attempts, 2);
    ck_assert_int_eq(requests, 2);
    /* generous: a misread Retry-After would wait the 60 s cap */
    ck_assert_msg(elapsed >= 1000 && elapsed < 30000, "Retry-After: 1 waited %llu ms",
                  (unsigned long long)elapsed);

    /* a write that was answered 429 was not applied: it is sent again */
    started = clock_ms();
    seen = single(steps, 2, &options, SL_HTTP_POST, &requests);
    ck_assert_int_eq(seen.status, 200);
    ck_assert_int_eq(seen.attempts, 2);
    ck_assert_int_eq(seen.outcome_unknown, 0);
    ck_assert_uint_ge(seen.finished_ms - started, 1000);
}
END_TEST

START_TEST(retry_after_is_capped_and_reads_http_dates)
{
    char date[64];
    time_t later = time(NULL) + 30;
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", gmtime(&later));
    const step steps[] = { { 429, 0, "3600", NULL }, { 429, 0, date, NULL },
                           { 200, 0, NULL, NULL } };
    sl_http_options options = test_options(NULL);
    options.retry_after_max_ms = 300;
    options.backoff_base_ms = 2;    /* a misread Retry-After would wait ~2 ms, not 300 */
    int requests = 0;
    uint64_t started = clock_ms();
    outcome seen = single(steps, 3, &options, SL_HTTP_PUT, &requests);
    uint64_t elapsed = seen.finished_ms - started;
    ck_assert_int_eq(seen.status, 200);
    ck_assert_int_eq(seen.attempts, 3);
    /* generous: without the cap the first wait alone is an hour */
    ck_assert_msg(elapsed >= 600 && elapsed < 20000, "two capped waits took %llu ms",
                  (unsigned long long)elapsed);
}
END_TEST

START_TEST(rate_limited_gives_up_after_its_budget)
{
    const step steps[] = { { 429, 0, "0", NULL } };
    sl_http_options options = test_options(NULL);
    options.max_rate_limited = 3;
    int requests = 0;
    outcome seen = single(steps, 1, &options, SL_HTTP_POST, &requests);
    ck_assert_int_eq(seen.status, 429);
    ck_assert_int_eq(seen.attempts, 3);
    ck_assert_int_eq(requests, 3);
    ck_assert_int_eq(seen.outcome_unknown, 0);
}
END_TEST

START_TEST(get_5xx_backs_off_up_to_max_attempts)
{
    const step steps[] = { { 503, 0, NULL, "busy" } };
    sl_http_options options = test_options(NULL);
    options.max_attempts = 4;
    options.backoff_base_ms = 40;
    int requests = 0;
    uint64_t started = clock_ms();
    outcome seen = single(steps, 1, &options, SL_HTTP_GET, &requests);
    uint64_t elapsed = seen.finished_ms - started;
    ck_assert_int_eq(seen.status, 503);
    ck_assert_str_eq(seen.body, "busy");
    ck_assert_int_eq(seen.attempts, 4);
    ck_assert_int_eq(requests, 4);
    ck_assert_int_eq(seen.outcome_unknown, 0);
    /* back-offs of at least 20 + 40 + 80 ms (half of 40, 80, 160), at most 280 ms in all */
    ck_assert_msg(elapsed >= 140 && elapsed < 10000, "3 back-offs took %llu ms",
                  (unsigned long long)elapsed);
}
END_TEST

START_TEST(get_5xx_then_success)
{
    /* the drop comes first, on a fresh connection: libcurl does not retry it by itself */
    const step steps[] = { { 0, 0, NULL, NULL }, { 502, 0, NULL, NULL }, { 200, 0, NULL, "ok" } };
    sl_http_options options = test_options(NULL);
    int requests = 0;
    outcome seen = single(steps, 3, &options, SL_HTTP_GET, &requests);
    ck_assert_int_eq(seen.status, 200);
    ck_assert_str_eq(seen.body, "ok");
    ck_assert_int_eq(seen.attempts, 3);     /* a dropped connection, 502, then 200 */
    ck_assert_int_eq(requests, 3);
}
END_TEST

START_TEST(write_5xx_is_not_resent)
{
    const step steps[] = { { 500, 0, NULL, "{\"success\":false}" }, { 200, 0, NULL, NULL } };
    sl_http_options options = test_options(NULL);
    int requests = 0;
    outcome seen = single(steps, 2, &options, SL_HTTP_POST, &requests);
    ck_assert_int_eq(seen.status, 500);
    ck_assert_int_eq(seen.attempts, 1);
    ck_assert_int_eq(seen.outcome_unknown, 1);
    ck_assert_int_eq(requests, 1);
    seen = single(steps, 2, &options, SL_HTTP_PUT, &requests);
    ck_assert_int_eq(seen.status, 500);
    ck_assert_int_eq(seen.outcome_unknown, 1);
    ck_assert_int_eq(requests, 1);
}
END_TEST

START_TEST(write_dropped_after_sending_is_not_resent)
{
    const step steps[] = { { 0, 0, NULL, NULL }, { 200, 0, NULL, NULL } };
    sl_http_options options = test_options(NULL);
    int requests = 0;
    outcome seen = single(steps, 2, &options, SL_HTTP_POST, &requests);
    ck_assert_int_eq(seen.status, 0);
    ck_assert_int_eq(seen.transport, SL_HTTP_TRANSPORT_NETWORK_ERROR);
    ck_assert_int_eq(seen.outcome_unknown, 1);
    ck_assert_int_eq(seen.attempts, 1);
    ck_assert_int_eq(requests, 1);
}
END_TEST

/* libcurl itself re-sends a request whose reused connection died before any answer; a write
 * must not be: it completes as outcome_unknown and reaches the server once. */
START_TEST(write_dropped_on_a_reused_connection_is_not_resent)
{
    const step steps[] = { { 200, 0, NULL, NULL }, { 0, 0, NULL, NULL }, { 200, 0, NULL, NULL } };
    test_server *server = server_new(steps, 3);
    server_start(server, 0);
    sl_http_options options = test_options(server->url);
    options.concurrency = 1;
    sl_http *http = client_new(&options);
    outcome seen[2] = { { 0 } };
    enqueue(http, SL_HTTP_POST, "/w", "{\"n\":1}", "w", &seen[0]);
    enqueue(http, SL_HTTP_POST, "/w", "{\"n\":2}", "w", &seen[1]);
    run(http);
    ck_assert_int_eq(seen[0].status, 200);
    ck_assert_int_eq(seen[1].status, 0);
    ck_assert_int_eq(seen[1].outcome_unknown, 1);
    ck_assert_int_eq(seen[1].attempts, 1);
    ck_assert_int_eq(server_requests(server), 2);
    sl_http_free(http);
    server_free(server);
}
END_TEST

START_TEST(write_refused_everywhere_is_retried_then_fails)
{
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u", free_port());
    sl_http_options options = test_options(url);
    options.max_attempts = 3;
    options.backoff_base_ms = 10;
    sl_http *http = client_new(&options);
    outcome seen = { 0 };
    enqueue(http, SL_HTTP_POST, "/w", "{}", "w", &seen);
    run(http);
    ck_assert_int_eq(seen.calls, 1);
    ck_assert_int_eq(seen.status, 0);
    ck_assert_int_eq(seen.attempts, 3);
    ck_assert_int_eq(seen.transport, SL_HTTP_TRANSPORT_NETWORK_ERROR);
    ck_assert_int_eq(seen.outcome_unknown, 0);   /* it never left: nothing to read back */
    sl_http_free(http);
}
END_TEST

/* The server comes up while the client backs off: the refused POST is sent again. It starts
 * on the client's fourth tick, counted rather than timed, so that on a slow machine the first
 * attempt has surely met a closed port (ticks come every tick_ms, the retry after the 100 ms
 * back-off). */
typedef struct late_start {
    test_server *server;
    unsigned short port;
    unsigned ticks;
} late_start;

static void start_server_late(void *tick_data)
{
    late_start *late = tick_data;
    if (!late->server->daemon && ++late->ticks >= 4)
        server_start(late->server, late->port);
}

START_TEST(write_refused_is_retried)
{
    const step steps[] = { { 201, 0, NULL, "{\"success\":true,\"fulfillment\":{\"id\":\"f\"}}" } };
    late_start late = { server_new(steps, 1), free_port(), 0 };
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u", late.port);
    sl_http_options options = test_options(url);
    options.backoff_base_ms = 100;
    options.tick = start_server_late;
    options.tick_data = &late;
    options.tick_ms = 10;
    sl_http *http = client_new(&options);
    outcome seen = { 0 };
    enqueue(http, SL_HTTP_POST, "/api/v2/orders/1/packages/fulfillments", "{\"x\":1}", "bulk",
            &seen);
    run(http);
    ck_assert_ptr_nonnull(late.server->daemon);
    ck_assert_int_eq(seen.status, 201);
    ck_assert_int_ge(seen.attempts, 2);
    ck_assert_int_eq(seen.outcome_unknown, 0);
    ck_assert_int_eq(server_requests(late.server), 1);   /* it landed exactly once */
    ck_assert_str_eq(late.server->last_body, "{\"x\":1}");
    sl_http_free(http);
    server_free(late.server);
}
END_TEST

START_TEST(timeouts)
{
    const step steps[] = { { 200, 2000, NULL, NULL } };
    sl_http_options options = test_options(NULL);
    options.timeout_ms = 150;
    options.max_attempts = 2;
    options.backoff_base_ms = 10;
    int requests = 0;
    uint64_t started = clock_ms();
    outcome seen = single(steps, 1, &options, SL_HTTP_GET, &requests);
    ck_assert_int_eq(seen.status, 0);
    ck_assert_int_eq(seen.transport, SL_HTTP_TRANSPORT_TIMEOUT);
    ck_assert_int_eq(seen.attempts, 2);
    ck_assert_int_eq(seen.outcome_unknown, 0);
    /* did not wait for the answers (2 x 2 s, far above 2 x 150 ms even on a loaded
     * machine): the transport says timeout */
    ck_assert_uint_lt(seen.finished_ms - started, 3900);

    seen = single(steps, 1, &options, SL_HTTP_POST, &requests);
    ck_assert_int_eq(seen.transport, SL_HTTP_TRANSPORT_TIMEOUT);
    ck_assert_int_eq(seen.attempts, 1);
    ck_assert_int_eq(seen.outcome_unknown, 1);
    ck_assert_int_eq(requests, 1);
}
END_TEST

START_TEST(unauthorized_is_not_retried)
{
    const step steps[] = { { 401, 0, NULL, "{\"success\":false,\"error\":{\"code\":\"unauthorized\"}}" } };
    sl_http_options options = test_options(NULL);
    int requests = 0;
    outcome seen = single(steps, 1, &options, SL_HTTP_GET, &requests);
    ck_assert_int_eq(seen.status, 401);
    ck_assert_int_eq(seen.attempts, 1);
    ck_assert_int_eq(requests, 1);
    ck_assert_ptr_nonnull(strstr(seen.body, "unauthorized"));
}
END_TEST

/* ---------------------------------------------------------------- preflight support (issue 15) */

START_TEST(redirect_is_named_not_followed)
{
    const step steps[] = { { 301, 0, NULL, "" } };
    test_server *server = server_new(steps, 1);
    server->location = "http://elsewhere.invalid/api/v2/thing";
    server_start(server, 0);
    sl_http_options options = test_options(server->url);
    sl_http *http = client_new(&options);
    outcome seen = { 0 };
    enqueue(http, SL_HTTP_GET, "/api/v2/thing", NULL, "thing", &seen);
    run(http);
    sl_http_free(http);
    int requests = server_requests(server);
    server_free(server);
    ck_assert_int_eq(seen.status, 301);
    ck_assert_str_eq(seen.redirect, "http://elsewhere.invalid/api/v2/thing");
    ck_assert_int_eq(seen.attempts, 1);
    ck_assert_int_eq(requests, 1);
    ck_assert_str_eq(seen.cause, "");
}
END_TEST

START_TEST(transport_failures_say_why)
{
    /* a port nobody listens on: refused, retried, then the cause */
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u", (unsigned)free_port());
    sl_http_options options = test_options(url);
    options.max_attempts = 2;
    options.backoff_base_ms = 10;
    sl_http *http = client_new(&options);
    outcome seen = { 0 };
    enqueue(http, SL_HTTP_GET, "/api/v2/thing", NULL, "thing", &seen);
    run(http);
    sl_http_free(http);
    ck_assert_int_eq(seen.status, 0);
    ck_assert_int_eq(seen.attempts, 2);
    ck_assert_str_eq(seen.cause, "connection refused or unreachable");

    const step slow[] = { { 200, 400, NULL, NULL } };
    options = test_options(NULL);
    options.timeout_ms = 100;
    options.max_attempts = 1;
    int requests = 0;
    seen = single(slow, 1, &options, SL_HTTP_GET, &requests);
    ck_assert_str_eq(seen.cause, "timed out (no answer)");
}
END_TEST

START_TEST(give_up_bound)
{
    /* attempts x timeout plus the back-off between them (200, 400, 800, ... capped at 10 s) */
    ck_assert_int_eq(sl_http_give_up_ms(30000, 5), 5 * 30000 + 200 + 400 + 800 + 1600);
    ck_assert_int_eq(sl_http_give_up_ms(1000, 1), 1000);
    ck_assert_int_eq(sl_http_give_up_ms(1000, 8), 8 * 1000 + 200 + 400 + 800 + 1600 + 3200 +
                                                      6400 + 10000);
    ck_assert_int_eq(sl_http_give_up_ms(0, 0), sl_http_give_up_ms(30000, 5));   /* defaults */
}
END_TEST

/* ---------------------------------------------------------------- headers and log */

START_TEST(headers_and_body_are_sent)
{
    const step steps[] = { { 200, 0, NULL, NULL } };
    test_server *server = server_new(steps, 1);
    server_start(server, 0);
    char base[96];
    snprintf(base, sizeof(base), "%s/", server->url);    /* a trailing slash is dropped */
    sl_http_options options = test_options(base);
    sl_http *http = client_new(&options);
    outcome seen = { 0 };
    enqueue(http, SL_HTTP_PUT, "/api/v2/orders/7/fulfillments/f%201", "{\"fulfillment\":{}}",
            "PUT", &seen);
    run(http);
    ck_assert_int_eq(seen.status, 200);
    ck_assert_str_eq(server->method[0], "PUT");
    ck_assert_str_eq(server->last_url, "/api/v2/orders/7/fulfillments/f 1");
    ck_assert_str_eq(server->authorization, TOKEN);
    ck_assert_str_eq(server->user_agent, "shipload/" SHIPLOAD_VERSION);
    ck_assert_str_eq(server->content_type, "application/json");
    ck_assert_str_eq(server->last_body, "{\"fulfillment\":{}}");

    /* one run each: two queued requests may reach the server in either order */
    enqueue(http, SL_HTTP_GET, "/api/v2/orders?ids=1,2", NULL, "GET", &seen);
    run(http);
    enqueue(http, SL_HTTP_POST, "/cancel", NULL, "POST", &seen);   /* no body */
    run(http);
    ck_assert_str_eq(server->method[1], "GET");
    ck_assert_str_eq(server->method[2], "POST");
    ck_assert_str_eq(server->last_body, "");
    ck_assert_int_eq(seen.calls, 3);
    sl_http_free(http);
    server_free(server);
}
END_TEST

START_TEST(token_never_in_the_verbose_log)
{
    const step steps[] = { { 503, 0, NULL, NULL }, { 200, 0, NULL, "{\"echo\":\"" TOKEN "\"}" } };
    test_server *server = server_new(steps, 2);
    server_start(server, 0);
    char *log_text = NULL;
    size_t log_size = 0;
    FILE *log = open_memstream(&log_text, &log_size);
    ck_assert_ptr_nonnull(log);
    sl_http_options options = test_options(server->url);
    options.log = log;
    options.log_level = 2;          /* curl's own headers too */
    sl_http *http = client_new(&options);
    outcome seen = { 0 };
    enqueue(http, SL_HTTP_GET, "/api/v2/orders/" TOKEN, NULL, "GET", &seen);
    run(http);
    sl_http_free(http);
    fclose(log);
    ck_assert_int_eq(seen.status, 200);
    ck_assert_ptr_nonnull(strstr(server->authorization, TOKEN));  /* it was sent... */
    ck_assert_msg(strstr(log_text, TOKEN) == NULL, "token in the log:\n%s", log_text);
    ck_assert_ptr_nonnull(strstr(log_text, "Authorization: [redacted]"));
    ck_assert_ptr_nonnull(strstr(log_text, "User-Agent: shipload/"));
    ck_assert_ptr_nonnull(strstr(log_text, "-> 503 (attempt 1"));
    ck_assert_ptr_nonnull(strstr(log_text, "-> 200 (attempt 2"));
    free(log_text);
    server_free(server);
}
END_TEST

/* The platform's request id header: handed to the callback and shown on the -v line; not
 * asked for, not kept. */
START_TEST(request_id_is_kept_and_logged)
{
    const step steps[] = { { 422, 0, NULL, "{\"errors\":[\"invalid line_item id\"]}" } };
    for (int asked = 0; asked < 2; asked++) {
        test_server *server = server_new(steps, 1);
        server->request_id = "5a1f0c2e-77aa-4c1d-9e3b-0123456789ab";
        server_start(server, 0);
        char *log_text = NULL;
        size_t log_size = 0;
        FILE *log = open_memstream(&log_text, &log_size);
        ck_assert_ptr_nonnull(log);
        sl_http_options options = test_options(server->url);
        options.log = log;
        options.request_id_header = asked ? "Request-Id" : NULL;
        sl_http *http = client_new(&options);
        outcome seen = { 0 };
        enqueue(http, SL_HTTP_POST, "/orders/1/fulfillments", "{}", "POST", &seen);
        run(http);
        sl_http_free(http);
        fclose(log);
        ck_assert_int_eq(seen.status, 422);
        ck_assert_str_eq(seen.request_id, asked ? server->request_id : "");
        ck_assert_msg((strstr(log_text, "-> 422 [Request-Id: 5a1f0c2e-77aa-4c1d-9e3b-0123456789ab]"
                              " (attempt 1") != NULL) == asked, "log:\n%s", log_text);
        free(log_text);
        server_free(server);
    }
}
END_TEST

START_TEST(bad_options_are_refused)
{
    sl_error err = { "" };
    sl_http_options options = test_options(NULL);
    ck_assert_ptr_null(sl_http_new(&options, &err));
    ck_assert_ptr_nonnull(strstr(err.message, "base URL"));
    options.base_url = "http://127.0.0.1:1";
    options.token = "abc\r\nX-Injected: 1";
    ck_assert_ptr_null(sl_http_new(&options, &err));
    ck_assert_ptr_nonnull(strstr(err.message, "control characters"));
}
END_TEST

/* ---------------------------------------------------------------- stop */

typedef struct stopper {
    sl_http *http;
    uint64_t started_ms;
    long after_ms, grace_ms;
    volatile sig_atomic_t *flag;
} stopper;

static void stop_later(void *tick_data)
{
    stopper *stop = tick_data;
    if (clock_ms() - stop->started_ms < (uint64_t)stop->after_ms)
        return;
    if (stop->flag)
        *stop->flag = 1;
    else if (!sl_http_stopping(stop->http))
        sl_http_stop(stop->http, stop->grace_ms);
}

/* 6 requests of 400 ms at concurrency 2, stopped after 100 ms with the given grace. */
static void run_stopped(long grace_ms, volatile sig_atomic_t *flag, outcome seen[6],
                        uint64_t *elapsed)
{
    const step steps[] = { { 200, 400, NULL, NULL } };
    test_server *server = server_new(steps, 1);
    server_start(server, 0);
    sl_http_options options = test_options(server->url);
    options.concurrency = 2;
    stopper stop = { NULL, clock_ms(), 100, grace_ms, flag };
    options.tick = stop_later;
    options.tick_data = &stop;
    options.tick_ms = 10;
    options.stop_flag = flag;
    options.stop_grace_ms = grace_ms;
    sl_http *http = client_new(&options);
    stop.http = http;
    for (int i = 0; i < 6; i++)
        enqueue(http, i == 0 ? SL_HTTP_POST : SL_HTTP_GET, "/slow", i == 0 ? "{}" : NULL, "slow",
                &seen[i]);
    run(http);
    *elapsed = clock_ms() - stop.started_ms;
    ck_assert(sl_http_stopping(http));
    /* enqueued after the stop: completes at once, never sent */
    outcome late = { 0 };
    enqueue(http, SL_HTTP_GET, "/late", NULL, "late", &late);
    run(http);
    ck_assert_int_eq(late.calls, 1);
    ck_assert_int_eq(late.stopped, SL_HTTP_STOP_NOT_SENT);
    ck_assert_int_eq(late.attempts, 0);
    sl_http_free(http);
    ck_assert_int_eq(server_requests(server), 2);
    server_free(server);
}

START_TEST(stop_abandons_in_flight_after_grace)
{
    outcome seen[6] = { { 0 } };
    uint64_t elapsed = 0;
    run_stopped(50, NULL, seen, &elapsed);
    /* abandoned, not answered, is asserted below; the time only has a floor */
    ck_assert_msg(elapsed >= 140, "stop took %llu ms", (unsigned long long)elapsed);
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(seen[i].calls, 1);
    ck_assert_int_eq(seen[0].stopped, SL_HTTP_STOP_ABANDONED);
    ck_assert_int_eq(seen[0].outcome_unknown, 1);            /* a POST may have landed */
    ck_assert_int_eq(seen[1].stopped, SL_HTTP_STOP_ABANDONED);
    ck_assert_int_eq(seen[1].outcome_unknown, 0);            /* a GET changes nothing */
    for (int i = 0; i < 6; i++)     /* sl_http_stop() names no reason */
        ck_assert_int_eq(seen[i].stop_code, SL_CODE_RUN_STOPPED);
    for (int i = 2; i < 6; i++) {
        ck_assert_int_eq(seen[i].stopped, SL_HTTP_STOP_NOT_SENT);
        ck_assert_int_eq(seen[i].attempts, 0);
        ck_assert_int_eq(seen[i].outcome_unknown, 0);
    }
}
END_TEST

START_TEST(stop_lets_in_flight_finish_within_grace)
{
    static volatile sig_atomic_t flag = 0;   /* as a signal handler would set it */
    outcome seen[6] = { { 0 } };
    uint64_t elapsed = 0;
    run_stopped(2000, &flag, seen, &elapsed);
    /* generous: waiting out the whole grace would take 2100 ms */
    ck_assert_msg(elapsed >= 390 && elapsed < 2000, "stop took %llu ms",
                  (unsigned long long)elapsed);
    ck_assert_int_eq(seen[0].status, 200);
    ck_assert_int_eq(seen[0].stopped, SL_HTTP_STOP_NONE);
    ck_assert_int_eq(seen[1].status, 200);
    ck_assert_int_eq(seen[0].stop_code, SL_CODE_NONE);       /* answered: not stopped */
    for (int i = 2; i < 6; i++) {
        ck_assert_int_eq(seen[i].stopped, SL_HTTP_STOP_NOT_SENT);
        ck_assert_int_eq(seen[i].stop_code, SL_CODE_INTERRUPTED);   /* the stop flag: a signal */
    }
}
END_TEST

/* A request waiting for its retry when the stop comes is not sent again. */
/* A request with delay_ms waits on the timer while the others go; a stop completes it unsent. */
START_TEST(delayed_request_waits_without_holding_others)
{
    const step steps[] = { { 200, 0, NULL, NULL } };
    test_server *server = server_new(steps, 1);
    server_start(server, 0);
    sl_http_options options = test_options(server->url);
    options.concurrency = 1;
    sl_http *http = client_new(&options);
    outcome delayed = { 0 }, plain[3] = { { 0 } };
    uint64_t started = clock_ms();
    sl_error err = { "" };
    sl_http_request request = { SL_HTTP_GET, "/later", NULL, "later", record_outcome, &delayed,
                                300, 0 };
    ck_assert_int_eq(sl_http_enqueue(http, &request, &err), 0);
    for (int i = 0; i < 3; i++)
        enqueue(http, SL_HTTP_GET, "/now", NULL, "now", &plain[i]);
    run(http);
    ck_assert_int_eq(delayed.calls, 1);
    ck_assert_int_eq(delayed.status, 200);
    ck_assert_int_eq(delayed.attempts, 1);
    ck_assert_uint_ge(delayed.finished_ms - started, 300);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(plain[i].status, 200);
        ck_assert_uint_lt(plain[i].finished_ms, delayed.finished_ms);
    }
    sl_http_totals totals;
    sl_http_get_totals(http, &totals);
    ck_assert_uint_eq(totals.retries, 0);           /* a delay is not a retry */
    /* stopped while it waits: not sent */
    outcome cut = { 0 };
    sl_http_request later = { SL_HTTP_GET, "/cut", NULL, "later", record_outcome, &cut, 5000, 0 };
    ck_assert_int_eq(sl_http_enqueue(http, &later, &err), 0);
    sl_http_stop_for(http, 0, SL_CODE_INTERRUPTED);
    run(http);
    ck_assert_int_eq(cut.calls, 1);
    ck_assert_int_eq(cut.stopped, SL_HTTP_STOP_NOT_SENT);
    ck_assert_int_eq(cut.stop_code, SL_CODE_INTERRUPTED);
    ck_assert_int_eq(cut.attempts, 0);
    ck_assert_uint_lt(clock_ms() - started, 3000);
    ck_assert_int_eq(server_requests(server), 4);
    sl_http_free(http);
    server_free(server);
}
END_TEST

/* Stops the client once its one request waits for a retry (whatever the machine's speed). */
typedef struct retry_stopper {
    sl_http *http;
    uint64_t stopped_ms;        /* 0 until stopped */
} retry_stopper;

static void stop_when_retry_waits(void *tick_data)
{
    retry_stopper *stop = tick_data;
    sl_http_retry_info info;
    if (stop->stopped_ms == 0 && sl_http_next_retry(stop->http, &info)) {
        stop->stopped_ms = clock_ms();
        sl_http_stop(stop->http, 0);
    }
}

START_TEST(stop_cancels_a_waiting_retry)
{
    const step steps[] = { { 503, 0, NULL, NULL } };
    test_server *server = server_new(steps, 1);
    server_start(server, 0);
    sl_http_options options = test_options(server->url);
    options.backoff_base_ms = 20000;    /* capped at 10 s, jittered: at least 5 s */
    retry_stopper stop = { NULL, 0 };
    options.tick = stop_when_retry_waits;
    options.tick_data = &stop;
    options.tick_ms = 10;
    sl_http *http = client_new(&options);
    stop.http = http;
    outcome seen = { 0 };
    enqueue(http, SL_HTTP_GET, "/busy", NULL, "busy", &seen);
    run(http);
    ck_assert_uint_gt(stop.stopped_ms, 0);
    ck_assert_uint_lt(clock_ms() - stop.stopped_ms, 4000);   /* did not wait it out */
    ck_assert_int_eq(seen.calls, 1);
    ck_assert_int_eq(seen.stopped, SL_HTTP_STOP_NOT_SENT);
    ck_assert_int_eq(seen.attempts, 1);
    ck_assert_int_eq(server_requests(server), 1);
    sl_http_free(http);
    server_free(server);
}
END_TEST

/* On a 401 the caller stops at once: nothing more is sent. */
static void stop_on_401(sl_http *http, const sl_http_response *response, void *user_data)
{
    record_outcome(http, response, user_data);
    if (response->status == 401) {
        sl_http_stop_for(http, 0, SL_CODE_AUTH_FAILED);
        sl_http_stop_for(http, 0, SL_CODE_TIMEOUT);     /* the first reason stays */
    }
}

START_TEST(stop_from_a_callback)
{
    const step steps[] = { { 401, 0, NULL, NULL }, { 200, 300, NULL, NULL } };
    test_server *server = server_new(steps, 2);
    server_start(server, 0);
    sl_http_options options = test_options(server->url);
    options.concurrency = 1;
    sl_http *http = client_new(&options);
    outcome seen[4] = { { 0 } };
    for (int i = 0; i < 4; i++) {
        sl_http_request request = { SL_HTTP_POST, "/w", "{}", "w", stop_on_401, &seen[i], 0, 0 };
        ck_assert_int_eq(sl_http_enqueue(http, &request, NULL), 0);
    }
    run(http);
    ck_assert_int_eq(seen[0].status, 401);
    ck_assert_int_eq(sl_http_stop_reason(http), SL_CODE_AUTH_FAILED);
    for (int i = 1; i < 4; i++) {
        ck_assert_int_eq(seen[i].calls, 1);
        ck_assert_int_eq(seen[i].stopped, SL_HTTP_STOP_NOT_SENT);
        ck_assert_int_eq(seen[i].stop_code, SL_CODE_AUTH_FAILED);
    }
    ck_assert_int_eq(server_requests(server), 1);
    sl_http_free(http);
    server_free(server);
}
END_TEST

/* ---------------------------------------------------------------- statistics */

START_TEST(statistics_per_endpoint_and_status)
{
    const step steps[] = { { 503, 0, NULL, NULL }, { 200, 0, NULL, NULL }, { 200, 0, NULL, NULL },
                           { 207, 0, NULL, NULL } };
    test_server *server = server_new(steps, 4);
    server_start(server, 0);
    sl_http_options options = test_options(server->url);
    options.concurrency = 1;    /* the script is consumed in order */
    sl_http *http = client_new(&options);
    outcome seen[3] = { { 0 } };
    enqueue(http, SL_HTTP_GET, "/api/v2/orders?ids=1", NULL, "GET /api/v2/orders", &seen[0]);
    run(http);  /* 503, then 200 */
    enqueue(http, SL_HTTP_GET, "/api/v2/orders?ids=2", NULL, "GET /api/v2/orders", &seen[1]);
    enqueue(http, SL_HTTP_POST, "/api/v2/orders/1/packages/fulfillments", "{}",
            "POST /api/v2/orders/{orderId}/packages/fulfillments", &seen[2]);
    run(http);
    ck_assert_int_eq(seen[0].status, 200);
    ck_assert_int_eq(seen[2].status, 207);
    size_t count = 0;
    const sl_http_stat *stats = sl_http_stats(http, &count);
    ck_assert_uint_eq(count, 3);
    unsigned long get_200 = 0, get_503 = 0, bulk_207 = 0;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(stats[i].method, "GET") == 0 &&
            strcmp(stats[i].endpoint, "GET /api/v2/orders") == 0)
            *(stats[i].status == 200 ? &get_200 : &get_503) += stats[i].count;
        if (strcmp(stats[i].method, "POST") == 0 && stats[i].status == 207)
            bulk_207 += stats[i].count;
    }
    ck_assert_uint_eq(get_200, 2);
    ck_assert_uint_eq(get_503, 1);
    ck_assert_uint_eq(bulk_207, 1);
    sl_http_totals totals;
    sl_http_get_totals(http, &totals);
    ck_assert_uint_eq(totals.requests, 3);
    ck_assert_uint_eq(totals.attempts, 4);
    ck_assert_uint_eq(totals.retries, 1);
    sl_http_free(http);
    server_free(server);
}
END_TEST

static Suite *http_suite(void)
{
    Suite *suite = suite_create("api_http");
    TCase *cases = tcase_create("http");
    tcase_set_timeout(cases, 30);
    tcase_add_test(cases, concurrency_is_reached_in_one_delay);
    tcase_add_test(cases, redirect_is_named_not_followed);
    tcase_add_test(cases, transport_failures_say_why);
    tcase_add_test(cases, give_up_bound);
    tcase_add_test(cases, concurrency_is_never_exceeded);
    tcase_add_test(cases, callbacks_can_enqueue);
    tcase_add_test(cases, before_start_runs_before_queued_requests_start);
    tcase_add_test(cases, rate_limited_honours_retry_after);
    tcase_add_test(cases, retry_after_is_capped_and_reads_http_dates);
    tcase_add_test(cases, rate_limited_gives_up_after_its_budget);
    tcase_add_test(cases, get_5xx_backs_off_up_to_max_attempts);
    tcase_add_test(cases, get_5xx_then_success);
    tcase_add_test(cases, write_5xx_is_not_resent);
    tcase_add_test(cases, write_dropped_after_sending_is_not_resent);
    tcase_add_test(cases, write_dropped_on_a_reused_connection_is_not_resent);
    tcase_add_test(cases, write_refused_everywhere_is_retried_then_fails);
    tcase_add_test(cases, write_refused_is_retried);
    tcase_add_test(cases, timeouts);
    tcase_add_test(cases, unauthorized_is_not_retried);
    tcase_add_test(cases, headers_and_body_are_sent);
    tcase_add_test(cases, token_never_in_the_verbose_log);
    tcase_add_test(cases, request_id_is_kept_and_logged);
    tcase_add_test(cases, bad_options_are_refused);
    tcase_add_test(cases, stop_abandons_in_flight_after_grace);
    tcase_add_test(cases, stop_lets_in_flight_finish_within_grace);
    tcase_add_test(cases, stop_cancels_a_waiting_retry);
    tcase_add_test(cases, delayed_request_waits_without_holding_others);
    tcase_add_test(cases, stop_from_a_callback);
    tcase_add_test(cases, statistics_per_endpoint_and_status);
    suite_add_tcase(suite, cases);
    return suite;
}

int main(void)
{
    /* the tests talk to 127.0.0.1: never through a proxy from the environment */
    setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    setenv("no_proxy", "127.0.0.1,localhost", 1);
    SRunner *runner = srunner_create(http_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
