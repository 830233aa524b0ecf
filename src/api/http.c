/* http.c: the asynchronous HTTP client of http.h on libcurl's multi interface.
 *
 * A request lives in a `transfer` through its attempts. A transfer is either queued (FIFO),
 * waiting on the timer heap for a retry, or in flight on one of `concurrency` easy handles,
 * which are created once and reused (curl keeps the connections alive in the multi's cache).
 * sl_http_run() loops: start what may start, curl_multi_perform, read finished transfers,
 * decide (done or retry, spec §7), and curl_multi_poll until the next event or timer.
 * It knows nothing of the Ecart API's JSON (ecart.c does) nor of rows (the submit stage does). */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <curl/curl.h>
#include "shipload/curl_load.h"
#include "shipload/http.h"
#include "shipload/url.h"
#include "api/pacer.h"

#ifndef SHIPLOAD_VERSION
#define SHIPLOAD_VERSION "0"
#endif

#define USER_AGENT "shipload/" SHIPLOAD_VERSION
#define POLL_MAX_MS 1000
#define STOP_FLAG_POLL_MS 100
#define REDACTED "[redacted]"

typedef struct transfer {
    struct transfer *next;          /* queue link */
    sl_http_method method;
    char *url;
    char *body;                     /* NULL for GET */
    size_t body_len;
    const char *endpoint;           /* interned label */
    sl_http_done_fn done;
    void *user_data;
    int attempts;                   /* attempts started */
    int failures;                   /* attempts that count toward max_attempts (not 429s) */
    int rate_limited;               /* 429 answers received */
    size_t max_body;                /* bytes of answer accepted */
    uint64_t due_ms;                /* when waiting for a retry */
    uint64_t started_ms;            /* of the current attempt */
} transfer;

typedef struct handle {
    CURL *easy;
    sl_http *http;
    transfer *transfer;             /* NULL when idle */
    char *body;
    size_t body_len, body_capacity;
    size_t upload_offset;           /* bytes of the request body handed to curl */
    int too_large;                  /* the answer outgrew the transfer's max_body */
    char error[CURL_ERROR_SIZE];
    char request_id[SL_HTTP_REQUEST_ID_MAX]; /* the last answer's request id header */
} handle;

typedef struct label {
    struct label *next;
    char text[];
} label;

struct sl_http {
    sl_http_options options;        /* base_url and token point to the copies below */
    char *base_url;
    char *token;
    size_t token_len;
    CURLM *multi;
    struct curl_slist *read_headers, *write_headers;
    handle *handles;
    size_t handle_count;
    handle **idle;
    size_t idle_count;
    transfer *queue_head, *queue_tail;
    size_t queued;
    transfer **timers;              /* min-heap on due_ms */
    size_t timer_count, timer_capacity;
    size_t in_flight;
    uint64_t gate_ms;               /* 429: no attempt starts before this */
    sl_pacer pacer;                 /* when attempts may start (rate_limit, 429s) */
    int stopping;
    sl_code stop_reason;            /* the first reason given to a stop */
    uint64_t last_progress_ms;      /* the last answer that was not a 429 (or the start) */
    uint64_t abandon_at_ms;
    uint64_t next_tick_ms;
    uint64_t random_state;
    int in_run;                     /* sl_http_run() is on the stack */
    label *labels;
    sl_http_stat *stats;
    size_t stat_count, stat_capacity;
    sl_http_totals totals;
};

/* ---------------------------------------------------------------- small helpers */

static uint64_t now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
}

static uint64_t next_random(sl_http *http)   /* splitmix64 */
{
    uint64_t z = (http->random_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

const char *sl_http_method_name(sl_http_method method)
{
    static const char *const names[] = { [SL_HTTP_GET] = "GET", [SL_HTTP_POST] = "POST",
                                         [SL_HTTP_PUT] = "PUT" };
    return (unsigned)method <= SL_HTTP_PUT ? names[method] : "?";
}

/* ---------------------------------------------------------------- log (token redacted) */

#define SHOWN_URL_MAX 2048   /* a URL in a log line, its credentials dropped */

/* Writes prefix + text to the log with every occurrence of the token replaced. */
static void log_redacted(sl_http *http, const char *prefix, const char *text, size_t len)
{
    FILE *log = http->options.log;
    fputs(prefix, log);
    while (len > 0) {
        const char *found = http->token_len ? memmem(text, len, http->token, http->token_len)
                                            : NULL;
        size_t plain = found ? (size_t)(found - text) : len;
        fwrite(text, 1, plain, log);
        if (!found)
            break;
        fputs(REDACTED, log);
        text += plain + http->token_len;
        len -= plain + http->token_len;
    }
}

static void log_line(sl_http *http, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void log_line(sl_http *http, const char *fmt, ...)
{
    char line[2048];
    if (!http->options.log || http->options.log_level < 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int length = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (length < 0)
        return;
    if ((size_t)length >= sizeof(line))
        length = sizeof(line) - 1;
    log_redacted(http, "http: ", line, (size_t)length);
    fputc('\n', http->options.log);
}

/* curl's own verbose output (log_level 2): notes and headers, one log line per line, the
 * Authorization header's value replaced and the token redacted anywhere else. Bodies and TLS
 * data are not logged. */
static int debug_callback(CURL *easy, curl_infotype type, char *data, size_t size, void *userp)
{
    sl_http *http = userp;
    const char *prefix;
    (void)easy;
    switch (type) {
    case CURLINFO_TEXT: prefix = "curl: * "; break;
    case CURLINFO_HEADER_IN: prefix = "curl: < "; break;
    case CURLINFO_HEADER_OUT: prefix = "curl: > "; break;
    default: return 0;
    }
    while (size > 0) {
        const char *end = memchr(data, '\n', size);
        size_t line = end ? (size_t)(end - data) + 1 : size;
        size_t text = line;
        while (text > 0 && (data[text - 1] == '\n' || data[text - 1] == '\r'))
            text--;
        if (text > 0) {
            const char *auth = http->options.auth_header;
            size_t auth_len = strlen(auth);
            if (text > auth_len && strncasecmp(data, auth, auth_len) == 0 &&
                data[auth_len] == ':') {
                fprintf(http->options.log, "%s%s: " REDACTED, prefix, auth);
            } else {
                log_redacted(http, prefix, data, text);
            }
            fputc('\n', http->options.log);
        }
        data += line;
        size -= line;
    }
    return 0;
}

/* ---------------------------------------------------------------- statistics */

static const char *intern_label(sl_http *http, const char *text)
{
    if (!text)
        text = "";
    for (label *existing = http->labels; existing; existing = existing->next)
        if (strcmp(existing->text, text) == 0)
            return existing->text;
    size_t length = strlen(text);
    label *added = malloc(sizeof(*added) + length + 1);
    if (!added)
        return NULL;
    memcpy(added->text, text, length + 1);
    added->next = http->labels;
    http->labels = added;
    return added->text;
}

static void count_attempt(sl_http *http, const transfer *t, long status)
{
    const char *method = sl_http_method_name(t->method);
    http->totals.attempts++;
    for (size_t i = 0; i < http->stat_count; i++) {
        sl_http_stat *stat = &http->stats[i];
        if (stat->status == status && stat->endpoint == t->endpoint && stat->method == method) {
            stat->count++;
            return;
        }
    }
    if (http->stat_count == http->stat_capacity) {
        size_t capacity = http->stat_capacity ? http->stat_capacity * 2 : 16;
        sl_http_stat *grown = realloc(http->stats, capacity * sizeof(*grown));
        if (!grown)
            return; /* the count is lost, the run goes on */
        http->stats = grown;
        http->stat_capacity = capacity;
    }
    http->stats[http->stat_count++] = (sl_http_stat){ method, t->endpoint, status, 1 };
}

const sl_http_stat *sl_http_stats(const sl_http *http, size_t *count)
{
    *count = http->stat_count;
    return http->stats;
}

void sl_http_get_totals(const sl_http *http, sl_http_totals *totals)
{
    *totals = http->totals;
    totals->settled_per_second = sl_pacer_settled(&http->pacer);
}

/* ---------------------------------------------------------------- queue and timers */

static void queue_push(sl_http *http, transfer *t, int front)
{
    t->next = NULL;
    if (!http->queue_head) {
        http->queue_head = http->queue_tail = t;
    } else if (front) {
        t->next = http->queue_head;
        http->queue_head = t;
    } else {
        http->queue_tail->next = t;
        http->queue_tail = t;
    }
    http->queued++;
}

static transfer *queue_pop(sl_http *http)
{
    transfer *t = http->queue_head;
    if (t) {
        http->queue_head = t->next;
        if (!http->queue_head)
            http->queue_tail = NULL;
        http->queued--;
        t->next = NULL;
    }
    return t;
}

static int timer_push(sl_http *http, transfer *t)
{
    if (http->timer_count == http->timer_capacity) {
        size_t capacity = http->timer_capacity ? http->timer_capacity * 2 : 16;
        transfer **grown = realloc(http->timers, capacity * sizeof(*grown));
        if (!grown)
            return -1;
        http->timers = grown;
        http->timer_capacity = capacity;
    }
    size_t at = http->timer_count++;
    while (at > 0) {
        size_t parent = (at - 1) / 2;
        if (http->timers[parent]->due_ms <= t->due_ms)
            break;
        http->timers[at] = http->timers[parent];
        at = parent;
    }
    http->timers[at] = t;
    return 0;
}

static transfer *timer_pop(sl_http *http)
{
    if (http->timer_count == 0)
        return NULL;
    transfer *first = http->timers[0];
    transfer *last = http->timers[--http->timer_count];
    size_t at = 0;
    for (;;) {
        size_t child = at * 2 + 1;
        if (child >= http->timer_count)
            break;
        if (child + 1 < http->timer_count &&
            http->timers[child + 1]->due_ms < http->timers[child]->due_ms)
            child++;
        if (last->due_ms <= http->timers[child]->due_ms)
            break;
        http->timers[at] = http->timers[child];
        at = child;
    }
    if (http->timer_count > 0)
        http->timers[at] = last;
    return first;
}

size_t sl_http_pending(const sl_http *http)
{
    return http->queued + http->timer_count + http->in_flight;
}

/* ---------------------------------------------------------------- set-up */

void sl_http_options_init(sl_http_options *options)
{
    memset(options, 0, sizeof(*options));
    options->concurrency = 8;
    options->timeout_ms = 30000;
    options->max_attempts = 5;
    options->max_rate_limited = 10;
    options->backoff_base_ms = 200;
    options->backoff_max_ms = 10000;
    options->retry_after_max_ms = 60000;
    options->stop_grace_ms = 5000;
}

/* Zero or negative options take their defaults. */
static void apply_defaults(sl_http_options *options)
{
    sl_http_options defaults;
    sl_http_options_init(&defaults);
    if (!options->auth_header || !options->auth_header[0])
        options->auth_header = "Authorization";
    if (!options->auth_prefix)
        options->auth_prefix = "";
    if (options->concurrency <= 0)
        options->concurrency = defaults.concurrency;
    if (options->timeout_ms <= 0)
        options->timeout_ms = defaults.timeout_ms;
    if (options->connect_timeout_ms <= 0)
        options->connect_timeout_ms = options->timeout_ms < 10000 ? options->timeout_ms : 10000;
    if (options->max_attempts <= 0)
        options->max_attempts = defaults.max_attempts;
    if (options->max_rate_limited <= 0)
        options->max_rate_limited = defaults.max_rate_limited;
    if (options->backoff_base_ms <= 0)
        options->backoff_base_ms = defaults.backoff_base_ms;
    if (options->backoff_max_ms <= 0)
        options->backoff_max_ms = defaults.backoff_max_ms;
    if (options->retry_after_max_ms <= 0)
        options->retry_after_max_ms = defaults.retry_after_max_ms;
    if (options->stop_grace_ms <= 0)
        options->stop_grace_ms = defaults.stop_grace_ms;
    if (options->log && options->log_level <= 0)
        options->log_level = 1;
    if (options->tick && options->tick_ms <= 0)
        options->tick_ms = 250;
}

static size_t write_callback(char *data, size_t size, size_t count, void *userp)
{
    handle *h = userp;
    size_t bytes = size * count;
    size_t limit = h->transfer && h->transfer->max_body ? h->transfer->max_body : SL_HTTP_MAX_BODY;
    if (h->body_len + bytes > limit) {
        h->too_large = 1;
        return 0;   /* CURLE_WRITE_ERROR: the rest is never read */
    }
    if (h->body_len + bytes + 1 > h->body_capacity) {
        size_t capacity = h->body_capacity ? h->body_capacity : 4096;
        while (capacity < h->body_len + bytes + 1)
            capacity *= 2;
        if (capacity > limit + 1)
            capacity = limit + 1;
        char *grown = realloc(h->body, capacity);
        if (!grown)
            return 0;
        h->body = grown;
        h->body_capacity = capacity;
    }
    memcpy(h->body + h->body_len, data, bytes);
    h->body_len += bytes;
    return bytes;
}

/* Request bodies go through a read callback, not CURLOPT_POSTFIELDS, for one reason: when a
 * reused connection dies before any answer, libcurl re-sends the request on a fresh one by
 * itself, rewinding the body first. A write must never be re-sent blindly (spec §7), so the
 * rewind is refused once any of the body was read: the transfer then fails with
 * CURLE_SEND_FAIL_REWIND and completes as outcome_unknown. */
static size_t read_callback(char *buffer, size_t size, size_t count, void *userp)
{
    handle *h = userp;
    const transfer *t = h->transfer;
    size_t room = size * count;
    size_t left = t && t->body ? t->body_len - h->upload_offset : 0;
    size_t bytes = left < room ? left : room;
    if (bytes > 0)
        memcpy(buffer, t->body + h->upload_offset, bytes);
    h->upload_offset += bytes;
    return bytes;
}

static int seek_callback(void *userp, curl_off_t offset, int origin)
{
    handle *h = userp;
    if (origin == SEEK_SET && offset == 0 && h->upload_offset == 0)
        return CURL_SEEKFUNC_OK;
    return CURL_SEEKFUNC_CANTSEEK;
}

/* The options every request shares, set once per easy handle. */
static int setup_handle(sl_http *http, handle *h)
{
    h->http = http;
    h->easy = curl_easy_init();
    if (!h->easy)
        return -1;
    CURL *easy = h->easy;
    CURLcode failed = CURLE_OK;
    failed |= curl_easy_setopt(easy, CURLOPT_PRIVATE, h);
    failed |= curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, write_callback);
    failed |= curl_easy_setopt(easy, CURLOPT_WRITEDATA, h);
    failed |= curl_easy_setopt(easy, CURLOPT_READFUNCTION, read_callback);
    failed |= curl_easy_setopt(easy, CURLOPT_READDATA, h);
    failed |= curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, seek_callback);
    failed |= curl_easy_setopt(easy, CURLOPT_SEEKDATA, h);
    failed |= curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, h->error);
    failed |= curl_easy_setopt(easy, CURLOPT_USERAGENT, USER_AGENT);
    failed |= curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    failed |= curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, http->options.timeout_ms);
    failed |= curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, http->options.connect_timeout_ms);
    failed |= curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    failed |= curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    failed |= curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    failed |= curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    /* never follow a redirect: the Authorization header would go along to wherever it points;
     * a 3xx completes with its target in redirect_url */
    failed |= curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    /* Not fatal where libcurl lacks HTTP/2: it then speaks HTTP/1.1. */
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    if (http->options.log && http->options.log_level >= 2) {
        failed |= curl_easy_setopt(easy, CURLOPT_DEBUGFUNCTION, debug_callback);
        failed |= curl_easy_setopt(easy, CURLOPT_DEBUGDATA, http);
        failed |= curl_easy_setopt(easy, CURLOPT_VERBOSE, 1L);
    }
    return failed == CURLE_OK ? 0 : -1;
}

/* Frees a header list, wiping its strings first (one holds the token). */
static void free_headers(struct curl_slist *list)
{
    for (struct curl_slist *item = list; item; item = item->next)
        if (item->data)
            explicit_bzero(item->data, strlen(item->data));
    curl_slist_free_all(list);
}

static int build_headers(sl_http *http)
{
    char *authorization = NULL;
    if (http->token) {
        const char *name = http->options.auth_header, *scheme = http->options.auth_prefix;
        size_t size = strlen(name) + sizeof(": ") + strlen(scheme) + http->token_len;
        authorization = malloc(size);
        if (!authorization)
            return -1;
        snprintf(authorization, size, "%s: %s%s", name, scheme, http->token);
    }
    struct curl_slist *read = NULL, *write = NULL;
    const char *common[] = { "Accept: application/json", authorization };
    for (size_t i = 0; i < 2; i++) {
        if (!common[i])
            continue;
        struct curl_slist *r = curl_slist_append(read, common[i]);
        if (r)
            read = r;
        struct curl_slist *w = r ? curl_slist_append(write, common[i]) : NULL;
        if (w)
            write = w;
        if (!r || !w)
            goto fail;
    }
    /* No "Expect: 100-continue" round trip before bodies. */
    const char *for_writes[] = { "Content-Type: application/json", "Expect:" };
    for (size_t i = 0; i < 2; i++) {
        struct curl_slist *w = curl_slist_append(write, for_writes[i]);
        if (!w)
            goto fail;
        write = w;
    }
    if (authorization) {
        explicit_bzero(authorization, strlen(authorization));
        explicit_bzero(authorization, strlen(authorization));
        free(authorization);
    }
    http->read_headers = read;
    http->write_headers = write;
    return 0;
fail:
    if (authorization) {
        explicit_bzero(authorization, strlen(authorization));
        explicit_bzero(authorization, strlen(authorization));
        free(authorization);
    }
    free_headers(read);
    free_headers(write);
    return -1;
}

static int valid_token(const char *token)
{
    for (const unsigned char *c = (const unsigned char *)token; *c; c++)
        if (*c < 0x20 || *c == 0x7F)
            return 0;
    return 1;
}

sl_http *sl_http_new(const sl_http_options *options, sl_error *err)
{
    if (!options || !options->base_url || !*options->base_url) {
        sl_error_set(err, "http: no API base URL");
        return NULL;
    }
    if (options->token && !valid_token(options->token)) {
        sl_error_set(err, "http: the API token contains control characters");
        return NULL;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        const char *missing = sl_curl_load_error();
        sl_error_set(err, "http: libcurl could not be %s%s", missing ? "loaded: " : "initialised",
                     missing ? missing : "");
        return NULL;
    }
    sl_http *http = calloc(1, sizeof(*http));
    if (!http) {
        curl_global_cleanup();
        sl_error_set(err, "http: out of memory");
        return NULL;
    }
    http->options = *options;
    apply_defaults(&http->options);
    http->last_progress_ms = now_ms();
    sl_pacer_init(&http->pacer, (double)options->rate_limit, (unsigned)options->rate_burst,
                  http->last_progress_ms);
    http->base_url = strdup(options->base_url);
    http->token = options->token ? strdup(options->token) : NULL;
    http->options.base_url = http->base_url;
    http->options.token = NULL; /* only http->token holds it */
    if (!http->base_url || (options->token && !http->token))
        goto fail;
    size_t base_len = strlen(http->base_url);
    while (base_len > 0 && http->base_url[base_len - 1] == '/')
        http->base_url[--base_len] = '\0';
    http->token_len = http->token ? strlen(http->token) : 0;
    http->random_state = options->jitter_seed ? options->jitter_seed
                                              : (uint64_t)time(NULL) ^ (uint64_t)now_ms() << 20;
    if (build_headers(http))
        goto fail;
    http->multi = curl_multi_init();
    if (!http->multi)
        goto fail;
    long limit = http->options.concurrency;
    curl_multi_setopt(http->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, limit);
    curl_multi_setopt(http->multi, CURLMOPT_MAX_HOST_CONNECTIONS, limit);
    curl_multi_setopt(http->multi, CURLMOPT_MAXCONNECTS, limit);
    http->handle_count = (size_t)http->options.concurrency;
    http->handles = calloc(http->handle_count, sizeof(*http->handles));
    http->idle = calloc(http->handle_count, sizeof(*http->idle));
    if (!http->handles || !http->idle)
        goto fail;
    for (size_t i = 0; i < http->handle_count; i++) {
        if (setup_handle(http, &http->handles[i]))
            goto fail;
        http->idle[http->idle_count++] = &http->handles[http->handle_count - 1 - i];
    }
    return http;
fail:
    sl_error_set(err, "http: could not set up libcurl (out of memory?)");
    sl_http_free(http);
    return NULL;
}

static void transfer_free(transfer *t)
{
    if (!t)
        return;
    free(t->url);
    free(t->body);
    free(t);
}

void sl_http_free(sl_http *http)
{
    if (!http)
        return;
    for (size_t i = 0; http->handles && i < http->handle_count; i++) {
        handle *h = &http->handles[i];
        if (h->transfer) {
            curl_multi_remove_handle(http->multi, h->easy);
            transfer_free(h->transfer);
        }
        if (h->easy)
            curl_easy_cleanup(h->easy);
        free(h->body);
    }
    transfer *t;
    while ((t = queue_pop(http)))
        transfer_free(t);
    while ((t = timer_pop(http)))
        transfer_free(t);
    if (http->multi)
        curl_multi_cleanup(http->multi);
    free_headers(http->read_headers);
    free_headers(http->write_headers);
    while (http->labels) {
        label *next = http->labels->next;
        free(http->labels);
        http->labels = next;
    }
    free(http->handles);
    free(http->idle);
    free(http->timers);
    free(http->stats);
    free(http->base_url);
    if (http->token) {
        explicit_bzero(http->token, http->token_len);
        free(http->token);
    }
    free(http);
    curl_global_cleanup();
}

/* ---------------------------------------------------------------- enqueue and stop */

int sl_http_enqueue(sl_http *http, const sl_http_request *request, sl_error *err)
{
    if (!request || !request->path || !request->done)
        return sl_error_set(err, "http: a request needs a path and a callback");
    if ((unsigned)request->method > SL_HTTP_PUT)
        return sl_error_set(err, "http: unknown method");
    transfer *t = calloc(1, sizeof(*t));
    if (!t)
        return sl_error_set(err, "http: out of memory");
    size_t url_size = strlen(http->base_url) + strlen(request->path) + 2;
    t->url = malloc(url_size);
    t->endpoint = intern_label(http, request->endpoint);
    if (request->body) {
        t->body_len = strlen(request->body);
        t->body = malloc(t->body_len + 1);
        if (t->body)
            memcpy(t->body, request->body, t->body_len + 1);
    } else if (request->method != SL_HTTP_GET) {
        t->body = calloc(1, 1);     /* an empty body: "Content-Length: 0" */
    }
    if (!t->url || !t->endpoint || (request->method != SL_HTTP_GET && !t->body)) {
        transfer_free(t);
        return sl_error_set(err, "http: out of memory");
    }
    snprintf(t->url, url_size, "%s%s%s", http->base_url, request->path[0] == '/' ? "" : "/",
             request->path);
    t->method = request->method;
    t->max_body = request->max_body;
    t->done = request->done;
    t->user_data = request->user_data;
    if (request->delay_ms > 0) {    /* waits on the timer heap, then goes first, as a retry */
        t->due_ms = now_ms() + (uint64_t)request->delay_ms;
        if (timer_push(http, t) != 0) {
            transfer_free(t);
            return sl_error_set(err, "http: out of memory");
        }
        return 0;
    }
    queue_push(http, t, 0);
    return 0;
}

void sl_http_stop_for(sl_http *http, long grace_ms, sl_code reason)
{
    uint64_t deadline = now_ms() + (uint64_t)(grace_ms > 0 ? grace_ms : 0);
    if (!http->stopping || deadline < http->abandon_at_ms)
        http->abandon_at_ms = deadline;
    if (!http->stopping) {
        http->stop_reason = reason != SL_CODE_NONE ? reason : SL_CODE_RUN_STOPPED;
        log_line(http, "stopping (%s): no new requests; %zu in flight",
                 sl_code_name(http->stop_reason), http->in_flight);
    }
    http->stopping = 1;
}

void sl_http_stop(sl_http *http, long grace_ms)
{
    sl_http_stop_for(http, grace_ms, SL_CODE_RUN_STOPPED);
}

int sl_http_stopping(const sl_http *http)
{
    return http->stopping;
}

sl_code sl_http_stop_reason(const sl_http *http)
{
    return http->stopping ? http->stop_reason : SL_CODE_NONE;
}

/* ---------------------------------------------------------------- completing */

static void complete(sl_http *http, transfer *t, sl_http_response *response)
{
    http->totals.requests++;
    if (response->outcome_unknown)
        http->totals.outcome_unknown++;
    response->attempts = t->attempts;
    if (response->stopped != SL_HTTP_STOP_NONE)
        response->stop_code = http->stop_reason;
    if (!response->body) {
        response->body = "";
        response->body_len = 0;
    }
    t->done(http, response, t->user_data);
    transfer_free(t);
}

/* A request that will not be (re)sent because of a stop: nothing of it was applied. */
static void complete_not_sent(sl_http *http, transfer *t)
{
    sl_http_response response = { 0 };
    response.stopped = SL_HTTP_STOP_NOT_SENT;
    response.error = "not sent: the run was stopped";
    complete(http, t, &response);
}

static void release_handle(sl_http *http, handle *h)
{
    h->transfer = NULL;
    http->idle[http->idle_count++] = h;
}

/* Stop: flush what waits (callbacks may enqueue more: flushed too), abandon at the deadline. */
static void handle_stop(sl_http *http, uint64_t now)
{
    transfer *t;
    for (;;) {
        if ((t = queue_pop(http)) || (t = timer_pop(http)))
            complete_not_sent(http, t);
        else
            break;
    }
    if (now < http->abandon_at_ms || http->in_flight == 0)
        return;
    for (size_t i = 0; i < http->handle_count; i++) {
        handle *h = &http->handles[i];
        if (!h->transfer)
            continue;
        t = h->transfer;
        curl_multi_remove_handle(http->multi, h->easy);
        http->in_flight--;
        count_attempt(http, t, 0);
        char shown[SHOWN_URL_MAX];
        log_line(http, "%s %s abandoned at stop (attempt %d)", sl_http_method_name(t->method),
                 sl_url_shown(t->url, shown, sizeof(shown)), t->attempts);
        sl_http_response response = { 0 };
        response.transport = SL_HTTP_TRANSPORT_NETWORK_ERROR;
        response.error = "abandoned: the run was stopped";
        response.stopped = SL_HTTP_STOP_ABANDONED;
        response.outcome_unknown = t->method != SL_HTTP_GET;
        release_handle(http, h);
        complete(http, t, &response);
        for (transfer *late; (late = queue_pop(http));)    /* enqueued by that callback */
            complete_not_sent(http, late);
    }
}

/* ---------------------------------------------------------------- starting */

static int start_transfer(sl_http *http, transfer *t, uint64_t now)
{
    handle *h = http->idle[--http->idle_count];
    CURL *easy = h->easy;
    h->transfer = t;
    h->body_len = 0;
    h->upload_offset = 0;
    h->too_large = 0;
    h->error[0] = '\0';
    CURLcode failed = curl_easy_setopt(easy, CURLOPT_URL, t->url);
    if (t->method == SL_HTTP_GET) {
        failed |= curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
        failed |= curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, (char *)NULL);
        failed |= curl_easy_setopt(easy, CURLOPT_HTTPHEADER, http->read_headers);
    } else {
        failed |= curl_easy_setopt(easy, CURLOPT_POST, 1L);     /* the body: read_callback */
        failed |= curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)t->body_len);
        failed |= curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST,
                                   t->method == SL_HTTP_PUT ? "PUT" : (char *)NULL);
        failed |= curl_easy_setopt(easy, CURLOPT_HTTPHEADER, http->write_headers);
    }
    if (failed != CURLE_OK || curl_multi_add_handle(http->multi, easy) != CURLM_OK) {
        release_handle(http, h);
        return -1;
    }
    t->attempts++;
    t->started_ms = now;
    http->in_flight++;
    if (http->in_flight > http->totals.max_in_flight)
        http->totals.max_in_flight = http->in_flight;
    return 0;
}

static void start_ready(sl_http *http, uint64_t now)
{
    while (http->timer_count > 0 && http->timers[0]->due_ms <= now)
        queue_push(http, timer_pop(http), 1);   /* retries go first */
    if (http->stopping || now < http->gate_ms)
        return;
    while (http->idle_count > 0 && http->queue_head) {
        if (!sl_pacer_take(&http->pacer, now))
            break;
        transfer *t = queue_pop(http);
        if (start_transfer(http, t, now)) {
            sl_http_response response = { 0 };
            response.transport = SL_HTTP_TRANSPORT_NETWORK_ERROR;
            response.error = "libcurl refused the request";
            complete(http, t, &response);
        }
    }
}

/* ---------------------------------------------------------------- deciding */

/* How curl failures are treated. Codes not listed are final network errors (TLS verification,
 * bad URL, ...) whose request may have been sent when any of it was. */
enum { MAYBE_SENT = 0, NEVER_SENT = 1, SENT = 2 };  /* MAYBE: sent if request headers went out */

static const struct curl_failure {
    CURLcode code;
    sl_http_transport transport;
    int retryable;
    int sent;
} curl_failures[] = {
    { CURLE_COULDNT_RESOLVE_PROXY, SL_HTTP_TRANSPORT_NETWORK_ERROR, 1, NEVER_SENT },
    { CURLE_COULDNT_RESOLVE_HOST, SL_HTTP_TRANSPORT_NETWORK_ERROR, 1, NEVER_SENT },
    { CURLE_COULDNT_CONNECT, SL_HTTP_TRANSPORT_NETWORK_ERROR, 1, NEVER_SENT },
    { CURLE_OPERATION_TIMEDOUT, SL_HTTP_TRANSPORT_TIMEOUT, 1, MAYBE_SENT },
    { CURLE_SSL_CONNECT_ERROR, SL_HTTP_TRANSPORT_NETWORK_ERROR, 1, NEVER_SENT },
    { CURLE_SEND_ERROR, SL_HTTP_TRANSPORT_NETWORK_ERROR, 1, MAYBE_SENT },
    { CURLE_RECV_ERROR, SL_HTTP_TRANSPORT_NETWORK_ERROR, 1, MAYBE_SENT },
    { CURLE_GOT_NOTHING, SL_HTTP_TRANSPORT_NETWORK_ERROR, 1, MAYBE_SENT },
    { CURLE_PARTIAL_FILE, SL_HTTP_TRANSPORT_NETWORK_ERROR, 1, MAYBE_SENT },
    { CURLE_HTTP2, SL_HTTP_TRANSPORT_NETWORK_ERROR, 1, MAYBE_SENT },
    { CURLE_HTTP2_STREAM, SL_HTTP_TRANSPORT_NETWORK_ERROR, 1, MAYBE_SENT },
    { CURLE_WEIRD_SERVER_REPLY, SL_HTTP_TRANSPORT_NETWORK_ERROR, 1, MAYBE_SENT },
    { CURLE_BAD_CONTENT_ENCODING, SL_HTTP_TRANSPORT_NETWORK_ERROR, 1, MAYBE_SENT },
    /* libcurl wanted to re-send a write on a fresh connection; seek_callback refused */
    { CURLE_SEND_FAIL_REWIND, SL_HTTP_TRANSPORT_NETWORK_ERROR, 0, SENT },
};

/* What a transport failure means to an operator (http.h: cause). */
static const struct curl_cause {
    CURLcode code;
    const char *words;
} curl_causes[] = {
    { CURLE_COULDNT_RESOLVE_HOST, "DNS lookup failed (no such host)" },
    { CURLE_COULDNT_RESOLVE_PROXY, "DNS lookup of the proxy failed" },
    { CURLE_COULDNT_CONNECT, "connection refused or unreachable" },
    { CURLE_OPERATION_TIMEDOUT, "timed out (no answer)" },
    { CURLE_PEER_FAILED_VERIFICATION, "TLS certificate verification failed" },
    { CURLE_SSL_CACERT_BADFILE, "TLS certificate verification failed (CA file)" },
    { CURLE_SSL_CONNECT_ERROR, "TLS handshake failed" },
    { CURLE_SEND_ERROR, "connection reset while sending" },
    { CURLE_RECV_ERROR, "connection reset while receiving" },
    { CURLE_GOT_NOTHING, "the server closed the connection without an answer" },
    { CURLE_UNSUPPORTED_PROTOCOL, "unsupported URL scheme" },
    { CURLE_URL_MALFORMAT, "malformed URL" },
};

static const char *failure_cause(CURLcode code)
{
    for (size_t i = 0; i < sizeof(curl_causes) / sizeof(curl_causes[0]); i++)
        if (curl_causes[i].code == code)
            return curl_causes[i].words;
    return "network error";
}

long sl_http_give_up_ms(long timeout_ms, int max_attempts)
{
    sl_http_options defaults;
    sl_http_options_init(&defaults);
    if (timeout_ms <= 0)
        timeout_ms = defaults.timeout_ms;
    if (max_attempts <= 0)
        max_attempts = defaults.max_attempts;
    long total = timeout_ms * max_attempts, delay = defaults.backoff_base_ms;
    for (int i = 1; i < max_attempts; i++) {   /* the jitter never exceeds the delay */
        total += delay < defaults.backoff_max_ms ? delay : defaults.backoff_max_ms;
        delay *= 2;
    }
    return total;
}

int sl_http_next_retry(const sl_http *http, sl_http_retry_info *info)
{
    if (http->in_flight > 0 || http->timer_count == 0)
        return 0;
    const transfer *t = http->timers[0];
    if (t->attempts == 0)
        return 0;   /* a delayed first attempt, not a retry */
    uint64_t now = now_ms();
    info->attempt = t->attempts + 1;
    info->max_attempts = http->options.max_attempts;
    info->due_in_ms = t->due_ms > now ? (long)(t->due_ms - now) : 0;
    info->rate_limited = t->rate_limited > 0 && t->failures == 0;
    return 1;
}

static struct curl_failure classify_failure(CURLcode code)
{
    for (size_t i = 0; i < sizeof(curl_failures) / sizeof(curl_failures[0]); i++)
        if (curl_failures[i].code == code)
            return curl_failures[i];
    return (struct curl_failure){ code, SL_HTTP_TRANSPORT_NETWORK_ERROR, 0, MAYBE_SENT };
}

/* Exponential back-off with jitter: half fixed, half random, so retries never bunch at 0. */
static long backoff_ms(sl_http *http, int failures)
{
    long delay = http->options.backoff_base_ms;
    for (int i = 1; i < failures && delay < http->options.backoff_max_ms; i++)
        delay *= 2;
    if (delay > http->options.backoff_max_ms)
        delay = http->options.backoff_max_ms;
    long half = delay / 2;
    return half + (long)(next_random(http) % (uint64_t)(delay - half + 1));
}

/* The run-level deadline on rate limiting: true (and the client stopped, once) when the API
 * has answered nothing but 429 for rate_limit_max_wait_ms; else *delay is cut so that the wait
 * ends by the deadline. */
static int rate_limit_exhausted(sl_http *http, long *delay)
{
    long limit = http->options.rate_limit_max_wait_ms;
    if (limit <= 0)
        return 0;
    uint64_t now = now_ms();
    uint64_t deadline = http->last_progress_ms + (uint64_t)limit;
    if (now >= deadline) {
        if (!http->totals.rate_limit_gave_up) {
            http->totals.rate_limit_gave_up = 1;
            log_line(http, "rate limited for %ld s without an answer: giving up (max wait)",
                     limit / 1000);
            sl_http_stop_for(http, 0, SL_CODE_RATE_LIMITED);
        }
        return 1;
    }
    if (*delay > (long)(deadline - now))
        *delay = (long)(deadline - now);
    return 0;
}

/* Retry-After: delay-seconds or an HTTP date; -1 when absent or unreadable. Capped. */
static long retry_after_ms(sl_http *http, CURL *easy)
{
    struct curl_header *header = NULL;
    if (curl_easy_header(easy, "Retry-After", 0, CURLH_HEADER, -1, &header) != CURLHE_OK ||
        !header || !header->value)
        return -1;
    const char *value = header->value;
    while (*value == ' ' || *value == '\t')
        value++;
    long wait_ms = -1;
    if (*value >= '0' && *value <= '9') {
        char *end = NULL;
        long long seconds = strtoll(value, &end, 10);
        while (*end == ' ' || *end == '\t')
            end++;
        if (*end == '\0')
            wait_ms = seconds > http->options.retry_after_max_ms / 1000 + 1
                          ? http->options.retry_after_max_ms
                          : (long)(seconds * 1000);
    } else {
        time_t when = curl_getdate(value, NULL);
        if (when > 0) {
            time_t wait = when - time(NULL);
            wait_ms = wait <= 0 ? 0 : wait > http->options.retry_after_max_ms / 1000 + 1
                                          ? http->options.retry_after_max_ms
                                          : (long)wait * 1000;
        }
    }
    if (wait_ms > http->options.retry_after_max_ms)
        wait_ms = http->options.retry_after_max_ms;
    return wait_ms;
}

/* The answer's request id header (options.request_id_header) copied into the handle, so it
 * outlives later curl_easy_header calls; NULL when not asked for or absent. */
static const char *capture_request_id(sl_http *http, handle *h)
{
    struct curl_header *header = NULL;
    const char *name = http->options.request_id_header;
    if (!name || curl_easy_header(h->easy, name, 0, CURLH_HEADER, -1, &header) != CURLHE_OK ||
        !header || !header->value || !header->value[0])
        return NULL;
    snprintf(h->request_id, sizeof(h->request_id), "%s", header->value);
    return h->request_id;
}

/* The fate of one finished attempt. */
typedef struct verdict {
    long retry_in_ms;               /* -1: complete now */
    int rate_limited;               /* a 429: also holds back every start */
    int would_retry;                /* a retry that a stop prevented */
    sl_http_response response;
} verdict;

static verdict decide(sl_http *http, transfer *t, handle *h, CURLcode code)
{
    verdict v = { .retry_in_ms = -1 };
    int is_write = t->method != SL_HTTP_GET;
    int may_retry = 0;
    long delay = -1;
    if (code == CURLE_WRITE_ERROR && h->too_large) {   /* answered: too much to take */
        curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &v.response.status);
        snprintf(h->error, sizeof(h->error), "the answer was larger than the %zu bytes this "
                 "request can need: refused", t->max_body ? t->max_body : SL_HTTP_MAX_BODY);
        v.response.body = "";
        v.response.body_len = 0;
        v.response.too_large = 1;
        v.response.error = h->error;
        v.response.request_id = capture_request_id(http, h);
        v.response.outcome_unknown = is_write;   /* it was answered, but not readably */
        return v;
    }
    if (code == CURLE_OK) {
        curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &v.response.status);
        if (v.response.status >= 300 && v.response.status < 400) {
            char *target = NULL;   /* owned by the handle, valid until its next use */
            curl_easy_getinfo(h->easy, CURLINFO_REDIRECT_URL, &target);
            v.response.redirect_url = target;
        }
        v.response.body = h->body ? h->body : "";
        v.response.body_len = h->body_len;
        if (v.response.status != 429) {
            http->last_progress_ms = now_ms();   /* an answer that was not "wait" */
            sl_pacer_on_answer(&http->pacer, http->last_progress_ms);
        }
        if (v.response.status == 429) {   /* not applied: any method may go again */
            t->rate_limited++;
            http->totals.rate_limited++;
            v.rate_limited = 1;
            may_retry = t->rate_limited < http->options.max_rate_limited;
            /* the pace drops; without Retry-After: until the store's bucket drained */
            delay = sl_pacer_on_limited(&http->pacer, now_ms(), retry_after_ms(http, h->easy));
            may_retry = may_retry && !rate_limit_exhausted(http, &delay);
        } else if (v.response.status >= 500) {
            t->failures++;
            if (is_write) {
                v.response.outcome_unknown = 1;  /* may have been applied: never re-sent */
            } else {
                may_retry = t->failures < http->options.max_attempts;
                delay = retry_after_ms(http, h->easy);   /* a 503 may say when */
            }
        }
        v.response.request_id = capture_request_id(http, h);
    } else {
        struct curl_failure failure = classify_failure(code);
        long request_bytes = 0;   /* bytes of request headers sent: 0 means nothing left */
        curl_easy_getinfo(h->easy, CURLINFO_REQUEST_SIZE, &request_bytes);
        int before_send = failure.sent == NEVER_SENT ||
                          (failure.sent == MAYBE_SENT && request_bytes == 0);
        t->failures++;
        v.response.transport = failure.transport;
        v.response.error = h->error[0] ? h->error : curl_easy_strerror(code);
        v.response.cause = failure_cause(code);
        if (failure.retryable && (!is_write || before_send))
            may_retry = t->failures < http->options.max_attempts;
        else if (is_write && !before_send)
            v.response.outcome_unknown = 1;
    }
    if (may_retry && http->stopping) {
        v.would_retry = 1;
    } else if (may_retry) {
        v.retry_in_ms = delay >= 0 ? delay : backoff_ms(http, t->failures);
    }
    return v;
}

static void log_attempt(sl_http *http, const transfer *t, const verdict *v, uint64_t now)
{
    char result[96], next[64] = "";
    if (!http->options.log || http->options.log_level < 1)
        return;
    if (v->response.status)
        snprintf(result, sizeof(result), "%ld", v->response.status);
    else
        snprintf(result, sizeof(result), "%s (%s)",
                 v->response.transport == SL_HTTP_TRANSPORT_TIMEOUT ? "timeout" : "network error",
                 v->response.error ? v->response.error : "");
    if (v->retry_in_ms >= 0)
        snprintf(next, sizeof(next), "; retry in %ld ms", v->retry_in_ms);
    else if (v->response.outcome_unknown)
        snprintf(next, sizeof(next), "; outcome unknown, not re-sent");
    char shown[SHOWN_URL_MAX], id[SL_HTTP_REQUEST_ID_MAX + 64] = "";
    if (v->response.request_id)
        snprintf(id, sizeof(id), " [%s: %s]", http->options.request_id_header,
                 v->response.request_id);
    log_line(http, "%s %s -> %s%s (attempt %d, %llu ms)%s", sl_http_method_name(t->method),
             sl_url_shown(t->url, shown, sizeof(shown)), result, id, t->attempts, (unsigned long long)(now - t->started_ms), next);
}

static void finish_attempt(sl_http *http, handle *h, CURLcode code, uint64_t now)
{
    transfer *t = h->transfer;
    verdict v = decide(http, t, h, code);
    curl_multi_remove_handle(http->multi, h->easy);
    http->in_flight--;
    count_attempt(http, t, v.response.status);
    log_attempt(http, t, &v, now);
    if (v.rate_limited && v.retry_in_ms >= 0 && now + (uint64_t)v.retry_in_ms > http->gate_ms)
        http->gate_ms = now + (uint64_t)v.retry_in_ms;
    if (v.retry_in_ms >= 0) {
        http->totals.retries++;
        t->due_ms = now + (uint64_t)v.retry_in_ms;
        release_handle(http, h);
        if (timer_push(http, t) == 0)
            return;
        v.response.error = "out of memory scheduling a retry";
        complete(http, t, &v.response);
        return;
    }
    if (v.would_retry) {
        v.response.stopped = SL_HTTP_STOP_NOT_SENT;
        v.response.outcome_unknown = 0;
    }
    /* The body lives in the handle: complete before the handle is reused. */
    complete(http, t, &v.response);
    release_handle(http, h);
}

static int read_finished(sl_http *http)
{
    int finished = 0, left = 0;
    CURLMsg *message;
    uint64_t now = now_ms();
    while ((message = curl_multi_info_read(http->multi, &left))) {
        if (message->msg != CURLMSG_DONE)
            continue;
        handle *h = NULL;
        CURLcode code = message->data.result;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, (char **)&h);
        if (h && h->transfer) {
            finish_attempt(http, h, code, now);
            finished++;
        }
    }
    return finished;
}

/* ---------------------------------------------------------------- the run */

static long wait_ms(const sl_http *http, uint64_t now)
{
    uint64_t wait = POLL_MAX_MS;
    if (http->timer_count > 0) {
        uint64_t due = http->timers[0]->due_ms;
        wait = due <= now ? 0 : (due - now < wait ? due - now : wait);
    }
    if (http->queue_head && !http->stopping) {
        uint64_t paced = sl_pacer_ready_at(&http->pacer, now);
        uint64_t ready = http->gate_ms > paced ? http->gate_ms : paced;
        if (http->idle_count > 0 && ready > now && ready - now < wait)
            wait = ready - now;
        else if (http->idle_count > 0 && ready <= now)
            wait = 0;
    }
    if (http->stopping && http->in_flight > 0)
        wait = http->abandon_at_ms <= now ? 0
                                          : (http->abandon_at_ms - now < wait
                                                 ? http->abandon_at_ms - now : wait);
    if (http->options.tick)
        wait = http->next_tick_ms <= now ? 0
                                         : (http->next_tick_ms - now < wait
                                                ? http->next_tick_ms - now : wait);
    if (http->options.stop_flag && wait > STOP_FLAG_POLL_MS)
        wait = STOP_FLAG_POLL_MS;
    return (long)wait;
}

static void run_tick(sl_http *http, uint64_t now)
{
    if (!http->options.tick || now < http->next_tick_ms)
        return;
    http->next_tick_ms = now + (uint64_t)http->options.tick_ms;
    http->options.tick(http->options.tick_data);
}

static int run_loop(sl_http *http, sl_error *err)
{
    http->next_tick_ms = now_ms();
    for (;;) {
        uint64_t now = now_ms();
        if (http->options.stop_flag && *http->options.stop_flag && !http->stopping)
            sl_http_stop_for(http, http->options.stop_grace_ms, SL_CODE_INTERRUPTED);
        if (http->options.before_start && !http->stopping)
            http->options.before_start(http, http->options.before_start_data);
        if (http->stopping)
            handle_stop(http, now);
        start_ready(http, now);
        run_tick(http, now);
        if (sl_http_pending(http) == 0)
            return 0;
        int running = 0;
        CURLMcode mc = curl_multi_perform(http->multi, &running);
        if (mc != CURLM_OK)
            return sl_error_set(err, "http: curl_multi_perform: %s", curl_multi_strerror(mc));
        if (read_finished(http) > 0)
            continue;   /* callbacks may have queued work that can start now */
        mc = curl_multi_poll(http->multi, NULL, 0, (int)wait_ms(http, now_ms()), NULL);
        if (mc != CURLM_OK)
            return sl_error_set(err, "http: curl_multi_poll: %s", curl_multi_strerror(mc));
    }
}

int sl_http_run(sl_http *http, sl_error *err)
{
    if (http->in_run)
        return sl_error_set(err, "http: sl_http_run called from a callback");
    http->in_run = 1;
    int result = run_loop(http, err);
    http->in_run = 0;
    return result;
}
