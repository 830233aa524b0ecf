/* outcome.c: a failed response classified for the rows it concerns (outcome.h), through the
 * platform's error map, and the API's health (is it still answering). Does no I/O. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/outcome.h"

int sl_http_response_ok(const sl_http_response *response)
{
    return response->stopped == SL_HTTP_STOP_NONE && response->status >= 200 &&
           response->status < 300;
}

int sl_api_health_note(sl_api_health *health, const sl_http_response *response)
{
    if (response->stopped != SL_HTTP_STOP_NONE || health->unreachable)
        return 0;
    if (response->status != 0) {
        health->answered++;
        health->failures_in_a_row = 0;
        return 0;
    }
    health->failures_in_a_row++;
    health->last_failure = response->transport == SL_HTTP_TRANSPORT_TIMEOUT
                               ? SL_CODE_TIMEOUT : SL_CODE_NETWORK_ERROR;
    if (health->answered == 0 || health->failures_in_a_row >= SL_API_FAILURES_IN_A_ROW)
        health->unreachable = 1;
    return health->unreachable;
}

sl_code sl_api_health_code(const sl_api_health *health)
{
    return health->last_failure != SL_CODE_NONE ? health->last_failure : SL_CODE_NETWORK_ERROR;
}

static void set(sl_api_outcome *outcome, sl_status status, sl_code code)
{
    outcome->status = status;
    outcome->code = code;
}

static void classify_transport(const sl_http_response *response, const char *what,
                               sl_api_outcome *outcome)
{
    int timed_out = response->transport == SL_HTTP_TRANSPORT_TIMEOUT;
    set(outcome, SL_STATUS_FAILED, timed_out ? SL_CODE_TIMEOUT : SL_CODE_NETWORK_ERROR);
    snprintf(outcome->message, sizeof(outcome->message), "%s: %s after %d attempt%s%s%s", what,
             timed_out ? "no answer in time" : "no answer from the API", response->attempts,
             response->attempts == 1 ? "" : "s", response->error ? ": " : "",
             response->error ? response->error : "");
}

/* A refusal with the API's error body: its code decides the row code. */
static void classify_refusal(const sl_platform *platform, const sl_http_response *response,
                             const char *what, sl_api_outcome *outcome)
{
    sl_platform_error error;
    platform->error_map(response->status, response->body, response->body_len, &error);
    set(outcome, SL_STATUS_REJECTED, error.code);
    outcome->already_exists = error.already_exists;
    snprintf(outcome->message, sizeof(outcome->message), "%s: HTTP %ld %s%s%s", what,
             response->status, error.api_code ? error.api_code : "(no error code)",
             error.message && error.message[0] ? ": " : "", error.message ? error.message : "");
    sl_platform_error_clear(&error);
}

/* Why the run stopped, in words, for a not_attempted row's message. */
static const char *stop_reason_text(sl_code why)
{
    static const struct { sl_code code; const char *text; } reasons[] = {
        { SL_CODE_AUTH_FAILED, "the API refused the token" },
        { SL_CODE_INTERRUPTED, "interrupted by a signal" },
        { SL_CODE_NETWORK_ERROR, "the API stopped answering" },
        { SL_CODE_TIMEOUT, "the API stopped answering in time" },
    };
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (reasons[i].code == why)
            return reasons[i].text;
    return sl_code_name(why);
}

/* The answer's request id after the message, for the API's support: "(Request-Id: ...)". The
 * header's name is the platform's (platform.h: request_id_header); the engine only carries it. */
static void append_request_id(const sl_http_response *response, sl_api_outcome *outcome)
{
    if (!response->request_id || !response->request_id[0])
        return;
    size_t used = strlen(outcome->message);
    if (used + 1 < sizeof(outcome->message))
        snprintf(outcome->message + used, sizeof(outcome->message) - used,
                 " (Request-Id: %s)", response->request_id);
}

void sl_api_outcome_classify(const sl_platform *platform, const sl_http_response *response,
                             const char *what, sl_api_outcome *outcome)
{
    memset(outcome, 0, sizeof(*outcome));
    outcome->http_status = (int)response->status;
    if (response->stopped == SL_HTTP_STOP_NOT_SENT ||
        (response->stopped == SL_HTTP_STOP_ABANDONED && !response->outcome_unknown)) {
        sl_code why = response->stop_code != SL_CODE_NONE ? response->stop_code
                                                          : SL_CODE_RUN_STOPPED;
        set(outcome, SL_STATUS_NOT_ATTEMPTED, why);
        snprintf(outcome->message, sizeof(outcome->message), "%s: %s, the run stopped (%s)",
                 what, response->stopped == SL_HTTP_STOP_NOT_SENT ? "not sent" : "abandoned",
                 stop_reason_text(why));
    } else if (response->status == 401) {
        set(outcome, SL_STATUS_FAILED, SL_CODE_AUTH_FAILED);
        outcome->auth_failed = 1;
        snprintf(outcome->message, sizeof(outcome->message),
                 "%s: HTTP 401, the API refused the token; the run stopped", what);
    } else if (response->status == 0) {
        classify_transport(response, what, outcome);
    } else if (response->status == 429) {
        set(outcome, SL_STATUS_FAILED, SL_CODE_RATE_LIMITED);
        snprintf(outcome->message, sizeof(outcome->message),
                 "%s: HTTP 429, still rate limited after %d attempts", what, response->attempts);
    } else if (response->status >= 500) {
        sl_platform_error error;
        platform->error_map(response->status, response->body, response->body_len, &error);
        set(outcome, SL_STATUS_FAILED, SL_CODE_SERVER_ERROR);
        snprintf(outcome->message, sizeof(outcome->message), "%s: HTTP %ld after %d attempt%s%s%s",
                 what, response->status, response->attempts, response->attempts == 1 ? "" : "s",
                 error.api_code ? ": " : "", error.api_code ? error.api_code : "");
        sl_platform_error_clear(&error);
    } else {
        classify_refusal(platform, response, what, outcome);
    }
    append_request_id(response, outcome);
}

void sl_api_outcome_malformed(const sl_http_response *response, const char *what,
                              const char *detail, sl_api_outcome *outcome)
{
    memset(outcome, 0, sizeof(*outcome));
    outcome->http_status = (int)response->status;
    set(outcome, SL_STATUS_FAILED, SL_CODE_SERVER_ERROR);
    if (response->too_large)
        snprintf(outcome->message, sizeof(outcome->message), "%s: HTTP %ld: %s", what,
                 response->status, response->error ? response->error : "answer too large");
    else
        snprintf(outcome->message, sizeof(outcome->message),
                 "%s: HTTP %ld with a malformed body: %s", what, response->status, detail);
    append_request_id(response, outcome);
}
