/* http.h: the HTTP client shipload talks to the API with. Asynchronous, on libcurl's multi
 * interface: requests are enqueued with a completion callback and sl_http_run() drives them,
 * at most `concurrency` at once, over kept-alive connections (HTTP/2 where the server offers it).
 *
 * Retries follow spec §7 and happen inside the client, on a timer queue (no sleeping):
 *  - 429: waits for Retry-After (seconds or an HTTP date, capped), any method (a 429 was not
 *    applied); while it waits no new request starts either (the limit is the token's).
 *    Without Retry-After it waits for the store's bucket to drain (pacer.h).
 * Every attempt, retries included, starts through one token bucket (src/api/pacer.h): the
 * known rate (rate_limit, rate_burst), lowered on 429s and recovered slowly (AIMD); with no
 * rate known the client starts unpaced and its first 429 sets the pace.
 *  - GET: 5xx, connection resets and timeouts back off exponentially with jitter.
 *  - POST/PUT: a failure before the request was sent (DNS, connection refused, connect timeout)
 *    is retried like a GET; a failure after it may have been sent (timeout, reset, any 5xx)
 *    is NOT re-sent: it completes with outcome_unknown = 1 so the caller reads the order back.
 *  - 401 and every other status complete at once.
 * The token is sent as `<auth_header>: <auth_prefix><token>` (the platform's, platform.h;
 * by default `Authorization: <token>`) and never written to the log.
 * One sl_http is used by one thread; callbacks run inside sl_http_run(). */
#ifndef SHIPLOAD_HTTP_H
#define SHIPLOAD_HTTP_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include "shipload/error.h"

typedef struct sl_http sl_http;

typedef enum sl_http_method { SL_HTTP_GET = 0, SL_HTTP_POST, SL_HTTP_PUT } sl_http_method;

/* How the last attempt failed below HTTP (the row error codes network_error and timeout). */
typedef enum sl_http_transport {
    SL_HTTP_TRANSPORT_OK = 0,         /* an HTTP status was received */
    SL_HTTP_TRANSPORT_NETWORK_ERROR,  /* DNS, refused, reset, TLS, ... */
    SL_HTTP_TRANSPORT_TIMEOUT
} sl_http_transport;

/* Why a request ended without its answer because of sl_http_stop(). */
typedef enum sl_http_stop_state {
    SL_HTTP_STOP_NONE = 0,            /* not affected by a stop */
    SL_HTTP_STOP_NOT_SENT,            /* stopped before (re)sending: nothing of it was applied */
    SL_HTTP_STOP_ABANDONED            /* in flight when abandoned: a write may have landed
                                         (then outcome_unknown = 1 too) */
} sl_http_stop_state;

typedef struct sl_http_options {
    const char *base_url;       /* "https://store.example" (copied); paths are appended */
    const char *token;          /* copied; sent in auth_header, never logged; NULL: none */
    const char *auth_header;    /* the header the token goes in; NULL: "Authorization"
                                   (a static string: not copied) */
    const char *auth_prefix;    /* before the token ("Bearer "); NULL: nothing (static) */
    int concurrency;            /* transfers at once; default 8 */
    long timeout_ms;            /* whole-request timeout per attempt; default 30000 */
    long connect_timeout_ms;    /* default min(timeout_ms, 10000) */
    int max_attempts;           /* attempts per request for 5xx/reset/timeout; default 5 */
    int max_rate_limited;       /* 429 answers a request may get before it completes with its
                                   429; they do not use up max_attempts; default 10 */
    long backoff_base_ms;       /* first back-off; doubles each attempt; default 200 */
    long backoff_max_ms;        /* back-off cap; default 10000 */
    long retry_after_max_ms;    /* cap on a Retry-After wait; default 60000 */
    long rate_limit_max_wait_ms; /* the run gives up when the API has answered nothing but 429
                                   for this long: the client stops (SL_CODE_RATE_LIMITED) and
                                   every request completes; 0: no limit */
    unsigned long jitter_seed;  /* deterministic jitter for tests; 0: seeded from the clock */
    FILE *log;                  /* -v: one line per attempt (token redacted); NULL: silent */
    int log_level;              /* 1 (default with a log): a line per attempt; 2: also curl's
                                   own headers and notes (Authorization shown as [redacted]) */
    long stop_grace_ms;         /* in-flight grace after a stop seen through stop_flag;
                                   default 5000 */
    volatile sig_atomic_t *stop_flag; /* when it becomes non-zero (a signal handler sets it),
                                   the run calls sl_http_stop_for(http, stop_grace_ms,
                                   SL_CODE_INTERRUPTED) itself */
    void (*before_start)(sl_http *http, void *data); /* called from the run at each turn of
                                   its loop, before queued requests are started: a journal
                                   makes what it was given durable there, once for every
                                   request queued meanwhile (group commit); it may stop the
                                   client, and then nothing queued starts. NULL: none */
    void *before_start_data;
    void (*tick)(void *tick_data);  /* called from the run every tick_ms (progress line) */
    void *tick_data;
    long tick_ms;               /* default 250 when tick is set */
    long rate_limit;            /* request attempts started per second at most (the known
                                   limit); 0: none known: unpaced until a 429 finds it */
    long rate_burst;            /* attempts allowed at once before the pace applies (the
                                   store's bucket); 0: a tenth of a second's worth */
    const char *request_id_header; /* an answer header that names the answer for the API's
                                   support ("Request-Id"; the platform's, static: not copied):
                                   handed to the callback and shown in -v lines; NULL: none */
} sl_http_options;

typedef struct sl_http_response {
    long status;                /* HTTP status; 0 when none was received */
    const char *body;           /* NUL-terminated, valid only during the callback; "" if none */
    size_t body_len;
    sl_http_transport transport;  /* the last attempt's transport failure, if any */
    const char *error;          /* a short description of a transport failure, else NULL */
    int attempts;               /* attempts actually sent or tried (0 if never started) */
    int outcome_unknown;        /* a write that may have been applied: read it back */
    int too_large;              /* the answer outgrew the request's max_body: status set, body
                                   empty, error says so (never retried, never "unreachable") */
    sl_http_stop_state stopped;
    sl_code stop_code;          /* when stopped: why the client was stopped (sl_http_stop_for) */
    const char *redirect_url;   /* a 3xx answer's target (absolute), else NULL; redirects are
                                   never followed: the token must not go to another host */
    const char *cause;          /* a transport failure in words an operator acts on ("DNS
                                   lookup failed", "connection refused", "TLS certificate
                                   verification failed", "timed out", ...), else NULL */
    const char *request_id;     /* the answer's options.request_id_header value (at most
                                   SL_HTTP_REQUEST_ID_MAX - 1 bytes), valid only during the
                                   callback; NULL when none (no answer, no header) */
} sl_http_response;

#define SL_HTTP_REQUEST_ID_MAX 128

typedef void (*sl_http_done_fn)(sl_http *http, const sl_http_response *response,
                                void *user_data);

typedef struct sl_http_request {
    sl_http_method method;
    const char *path;           /* "/orders?ids=..." (copied), already escaped */
    const char *body;           /* JSON (copied); NULL: no body */
    const char *endpoint;       /* statistics label, e.g. "POST /orders/{id}/fulfillments"
                                   (copied once per distinct label) */
    sl_http_done_fn done;       /* called exactly once per request */
    void *user_data;
    long delay_ms;              /* > 0: not started before this long after the enqueue (it
                                   waits on the timer queue like a retry; other requests go
                                   on meanwhile; a stop completes it not sent) */
    size_t max_body;            /* bytes of answer accepted (what this kind of request can
                                   need); 0: SL_HTTP_MAX_BODY */
} sl_http_request;

#define SL_HTTP_MAX_BODY ((size_t)256 * 1024 * 1024)

/* Fills *options with the defaults above (base_url and token NULL). */
void sl_http_options_init(sl_http_options *options);

/* A new client; NULL with err filled when curl cannot be set up or an option is invalid. */
sl_http *sl_http_new(const sl_http_options *options, sl_error *err);
/* Frees the client. Requests still queued are dropped without their callback. */
void sl_http_free(sl_http *http);

/* Queues a request (also from inside a callback). It starts during sl_http_run(). */
int sl_http_enqueue(sl_http *http, const sl_http_request *request, sl_error *err);

/* Runs until no request is queued, waiting for a retry or in flight. Every callback runs in
 * here. -1 with err filled only when libcurl itself fails. */
int sl_http_run(sl_http *http, sl_error *err);

/* Stop starting requests: queued ones (and those waiting for a retry) complete with
 * SL_HTTP_STOP_NOT_SENT; in-flight ones may finish within grace_ms, then complete with
 * SL_HTTP_STOP_ABANDONED. Requests enqueued later complete with SL_HTTP_STOP_NOT_SENT.
 * Callable from a callback (e.g. on a 401: grace 0), not from a signal handler (use
 * options.stop_flag). Calling it again can only shorten the grace. */
void sl_http_stop(sl_http *http, long grace_ms);
/* The same, naming why: the row code that requests the stop cut off carry in their response
 * (stop_code): SL_CODE_AUTH_FAILED after a 401, a transport code (network_error, timeout) when
 * the API stopped answering, SL_CODE_INTERRUPTED for a signal (a stop through stop_flag says
 * that itself). sl_http_stop() gives SL_CODE_RUN_STOPPED. The first reason given stays. */
void sl_http_stop_for(sl_http *http, long grace_ms, sl_code reason);
int sl_http_stopping(const sl_http *http);
/* The reason of the stop (SL_CODE_NONE when the client was not stopped). */
sl_code sl_http_stop_reason(const sl_http *http);

/* Requests queued, waiting for a retry, or in flight. */
size_t sl_http_pending(const sl_http *http);

/* ---- statistics (summary.json) ---- */

/* Attempts sent per (method, endpoint label, status); status 0: no HTTP answer. */
typedef struct sl_http_stat {
    const char *method;         /* "GET", "POST", "PUT" */
    const char *endpoint;       /* the label given at enqueue */
    long status;
    unsigned long count;
} sl_http_stat;

typedef struct sl_http_totals {
    unsigned long requests;     /* requests completed (callbacks called) */
    unsigned long attempts;     /* attempts sent (sum of the stats' counts) */
    unsigned long retries;      /* attempts that were retries */
    unsigned long rate_limited; /* 429 answers */
    unsigned long outcome_unknown; /* writes completed with outcome_unknown */
    unsigned long max_in_flight;   /* the most transfers that were in flight at once */
    int rate_limit_gave_up;        /* stopped by rate_limit_max_wait_ms */
    double settled_per_second;     /* the pace the run settled on (the mean over the paced
                                      starts); 0: never paced */
} sl_http_totals;

/* The stats table; *count entries, valid until the next call into the client or its free. */
const sl_http_stat *sl_http_stats(const sl_http *http, size_t *count);
void sl_http_get_totals(const sl_http *http, sl_http_totals *totals);

const char *sl_http_method_name(sl_http_method method);

/* The retry due first, for a progress line ("waiting for the API: retry 3 of 5 in 4 s"). */
typedef struct sl_http_retry_info {
    int attempt;                /* the attempt that will be made (2 = the first retry) */
    int max_attempts;
    long due_in_ms;
    int rate_limited;           /* waiting for a 429's Retry-After */
} sl_http_retry_info;

/* 1 and *info filled when a request waits for a retry and none is in flight, else 0. */
int sl_http_next_retry(const sl_http *http, sl_http_retry_info *info);

/* The longest a request can take before it completes without an answer: max_attempts
 * attempts of timeout_ms each, plus the back-off between them (the defaults of
 * sl_http_options for what is 0). What `--help` prints as the bound of an unreachable API. */
long sl_http_give_up_ms(long timeout_ms, int max_attempts);

#endif
