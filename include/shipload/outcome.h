/* outcome.h: how a request that did not succeed ends for the rows it concerns (spec §8 codes):
 * the HTTP client's answer (transport failure, stop, 401, 429, 5xx, a refusal with the
 * platform's own error body) classified as a row status, error code and message. The
 * platform's error_map (platform.h) maps its codes (a platform's "order canceled" → order_canceled;
 * anything unknown → api_rejected with the platform's code in the message). Classifies only:
 * sends nothing and does not decide whether a write is read back (response->outcome_unknown
 * says that). */
#ifndef SHIPLOAD_OUTCOME_H
#define SHIPLOAD_OUTCOME_H

#include "shipload/error.h"
#include "shipload/http.h"
#include "shipload/platform.h"

typedef struct sl_api_outcome {
    sl_status status;           /* FAILED, REJECTED or NOT_ATTEMPTED (then code says what
                                   stopped the run: the response's stop_code) */
    sl_code code;
    int http_status;            /* 0 when no answer */
    int auth_failed;            /* a 401: the run must stop */
    int already_exists;         /* the platform says the write's fulfillment exists already
                                   (a client-chosen id seen before): the rows are duplicate */
    char message[400];
} sl_api_outcome;

/* Classifies a response that is not a 2xx (or a stopped request). `what` names the request in
 * the message ("lookup of 50 order ids", "bulk create for order 5132..."). */
void sl_api_outcome_classify(const sl_platform *platform, const sl_http_response *response,
                             const char *what, sl_api_outcome *outcome);

/* The classification of a 2xx whose body could not be decoded (server_error). */
void sl_api_outcome_malformed(const sl_http_response *response, const char *what,
                              const char *detail, sl_api_outcome *outcome);

/* Whether the API still answers. A request that ends without any HTTP answer after all its
 * retries (refused, reset, timed out) is a failure; the API is unreachable when the first
 * requests of a run all fail so, or SL_API_FAILURES_IN_A_ROW requests in a row do: the caller
 * then stops the client instead of letting every remaining request wait out its retries. */
#define SL_API_FAILURES_IN_A_ROW 16
typedef struct sl_api_health {
    unsigned long answered;     /* requests that received an HTTP answer */
    unsigned failures_in_a_row;
    int unreachable;            /* decided: the run stops (exit 3) */
    sl_code last_failure;       /* the last failure's code: SL_CODE_NETWORK_ERROR or
                                   SL_CODE_TIMEOUT (SL_CODE_NONE: none yet) */
} sl_api_health;

/* Notes a completed request (one stopped before it was sent counts for nothing). Returns 1
 * when this note makes the API unreachable. */
int sl_api_health_note(sl_api_health *health, const sl_http_response *response);

/* The row code of an unreachable API: the last failure's transport code (network_error when
 * none was seen). */
sl_code sl_api_health_code(const sl_api_health *health);

/* 1 when the response is a 2xx answer. */
int sl_http_response_ok(const sl_http_response *response);

#endif
