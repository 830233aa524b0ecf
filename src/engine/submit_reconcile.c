/* submit_reconcile.c: a write whose outcome is unknown (submit.h): the order's fulfillments are
 * read back through the platform (every page; the first after options.read_back_delay_ms on
 * the client's timer), sl_plan_reconcile() says which planned fulfillments landed, those are
 * settled as successes, and only the others are sent again (or failed when no re-send is
 * allowed). A platform without read-back resends creates under client-chosen ids, and fails
 * anything else with its outcome unknown. Does not start other orders' requests: submit.c's
 * chains do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/submit_internal.h"
#include "shipload/outcome.h"

typedef struct read_request {
    sl_submit *submit;
    chain *chain;
    sl_page page;
} read_request;

static void read_free(read_request *read)
{
    sl_page_clear(&read->page);
    free(read);
}

static void on_read_answer(sl_http *http, const sl_http_response *response, void *user_data);

/* Out of memory while reconciling: the chain's unknown writes fail and the chain ends. */
static void give_up_out_of_memory(sl_submit *submit, chain *c)
{
    submit->out_of_memory = 1;
    sl_submit_fail_unknown(submit, c, "out of memory");
    sl_submit_chain_stop(submit, c);
}

static void drop_read_back(chain *c)
{
    chain_reconcile *r = c->reconciling;
    if (r && r->read_back)
        sl_order_free(r->read_back);
    if (r)
        r->read_back = NULL;
}

/* Page 1 waits read_back_delay_ms (the write may still be being applied); later pages not. */
static void enqueue_page(sl_submit *submit, read_request *read)
{
    sl_platform_request built;
    sl_error err;
    int first = read->page.number <= 1 && !read->page.cursor;
    if (submit->platform->read_fulfillments(read->chain->reconciling->read_back, &read->page, &built,
                                            &err) != 0) {
        give_up_out_of_memory(submit, read->chain);
        read_free(read);
        return;
    }
    sl_http_request request = { built.method, built.path, built.body, built.label,
                                on_read_answer, read,
                                first ? submit->options.read_back_delay_ms : 0,
                                SL_ENGINE_READ_BODY_MAX };
    if (sl_http_enqueue(submit->http, &request, &err) != 0) {
        give_up_out_of_memory(submit, read->chain);
        read_free(read);
    }
    sl_platform_request_clear(&built);
}

static void settle_missing(sl_submit *submit, chain *c, const size_t *missing,
                           size_t missing_count);
static void continue_chain(sl_submit *submit, chain *c);

/* A platform that cannot read fulfillments back: creates under client-chosen ids are sent
 * again as they are (the platform refuses a second one with the same id, the row is then
 * duplicate); anything else fails with its outcome unknown, never re-sent blindly. */
static void settle_without_read_back(sl_submit *submit, chain *c)
{
    const chain_reconcile *r = c->reconciling;
    if (r->unknown_kind == SL_PLAN_CREATE && submit->platform->choose_fulfillment_id) {
        size_t count = r->unknown_count;
        size_t *missing = malloc(count * sizeof(*missing));
        if (!missing) {
            give_up_out_of_memory(submit, c);
            return;
        }
        memcpy(missing, r->unknown, count * sizeof(*missing));
        settle_missing(submit, c, missing, count);
        free(missing);
        return;
    }
    sl_submit_fail_unknown(submit, c, "the platform cannot read fulfillments back");
    continue_chain(submit, c);
}

void sl_submit_read_back(sl_submit *submit, chain *c)
{
    if (!submit->platform->read_fulfillments) {
        settle_without_read_back(submit, c);
        return;
    }
    chain_reconcile *r = c->reconciling;   /* made by the unknown outcome */
    drop_read_back(c);
    r->read_back = calloc(1, sizeof(sl_order));
    read_request *read = calloc(1, sizeof(*read));
    if (!r->read_back || !read || !(r->read_back->id = strdup(sl_submit_chain_order(submit, c)))) {
        free(read);
        give_up_out_of_memory(submit, c);
        return;
    }
    read->submit = submit;
    read->chain = c;
    read->page.number = 1;
    enqueue_page(submit, read);
}

void sl_submit_fail_unknown(sl_submit *submit, chain *c, const char *why)
{
    const chain_reconcile *r = c->reconciling;
    size_t count = r ? r->unknown_count : 0;
    char message[700];
    snprintf(message, sizeof(message), "%s; outcome unknown: %s",
             r && r->unknown_message ? r->unknown_message : "write", why);
    for (size_t i = 0; i < count; i++)
        sl_submit_settle(submit, r->unknown[i], SL_STATUS_FAILED, r->unknown_code, NULL,
                      r->unknown_http, message);
    submit->stats.unresolved += count;
    sl_submit_clear_unknown(c);
    drop_read_back(c);
}

/* The chain goes on with its next request (or ends, after a stop). */
static void continue_chain(sl_submit *submit, chain *c)
{
    drop_read_back(c);
    if (submit->reconcile_only || sl_http_stopping(submit->http)) {
        sl_submit_clear_unknown(c);
        sl_submit_chain_stop(submit, c);
    } else {
        sl_submit_chain_advance(submit, c);
    }
}

/* Sends again the planned fulfillments that did not land. */
static void resend(sl_submit *submit, chain *c, const size_t *entries, size_t count)
{
    write_request *write = sl_submit_write_new(submit, c, c->reconciling->unknown_kind, count);
    if (!write) {
        give_up_out_of_memory(submit, c);
        return;
    }
    memcpy(write->entries, entries, count * sizeof(size_t));
    c->resends++;
    submit->stats.resent += count;
    sl_submit_clear_unknown(c);
    drop_read_back(c);
    sl_submit_send(submit, write);
}

/* The planned fulfillments of an unknown write that did not land: sent again while resends
 * are allowed, else failed. */
static void settle_missing(sl_submit *submit, chain *c, const size_t *missing,
                           size_t missing_count)
{
    if (missing_count == 0) {
        continue_chain(submit, c);
        return;
    }
    const chain_reconcile *r = c->reconciling;
    int may_resend = !r->no_resend && !submit->reconcile_only &&
                     !sl_http_stopping(submit->http) && c->resends < submit->options.max_resends;
    if (may_resend) {
        resend(submit, c, missing, missing_count);
        return;
    }
    char message[700];
    snprintf(message, sizeof(message), "%s; the order read back does not hold it%s",
             r->unknown_message, r->no_resend ? "" : ", not sent again");
    for (size_t i = 0; i < missing_count; i++)
        sl_submit_settle(submit, missing[i], SL_STATUS_FAILED, r->unknown_code, NULL,
                      r->unknown_http, message);
    continue_chain(submit, c);
}

/* The read-back is complete: settle what landed, re-send or fail the rest. */
static void reconcile(sl_submit *submit, chain *c)
{
    chain_reconcile *r = c->reconciling;
    const char **landed = calloc(r->unknown_count, sizeof(*landed));
    size_t *missing = calloc(r->unknown_count, sizeof(*missing)), missing_count = 0;
    sl_error err = { "" };
    if (!landed || !missing) {
        free(landed);
        free(missing);
        give_up_out_of_memory(submit, c);
        return;
    }
    if (sl_plan_reconcile(submit->plan, r->unknown, r->unknown_count, r->read_back,
                          (const char *const *)r->taken, r->taken_count, landed, &err) != 0) {
        free(landed);
        free(missing);
        sl_submit_fail_unknown(submit, c, err.message);
        continue_chain(submit, c);
        return;
    }
    for (size_t i = 0; i < r->unknown_count; i++) {
        if (!landed[i]) {
            missing[missing_count++] = r->unknown[i];
            continue;
        }
        submit->stats.landed++;
        sl_submit_settle(submit, r->unknown[i], sl_plan_success_status(r->unknown_kind, 0),
                      SL_CODE_NONE, landed[i], r->unknown_http,
                      "the answer was lost; the order read back holds this fulfillment");
        if (sl_submit_take(c, landed[i]))
            submit->out_of_memory = 1;
    }
    free(landed);
    settle_missing(submit, c, missing, missing_count);
    free(missing);
}

static void on_read_answer(sl_http *http, const sl_http_response *response, void *user_data)
{
    read_request *read = user_data;
    sl_submit *submit = read->submit;
    chain *c = read->chain;
    sl_error err = { "" };
    sl_submit_note_health(submit, http, response);
    if (sl_http_response_ok(response)) {
        submit->stats.read_backs++;
        sl_page_next next = { 0 };
        if (submit->platform->decode_fulfillments_into(response->body, response->body_len,
                                                       c->reconciling->read_back, &next,
                                                       &err) != 0) {
            char why[600];
            snprintf(why, sizeof(why), "the order read back did not decode: %s", err.message);
            sl_page_clear(&next.page);
            sl_submit_fail_unknown(submit, c, why);
            read_free(read);
            continue_chain(submit, c);
            return;
        }
        if (next.more && (next.page.cursor || next.page.number > read->page.number)) {
            sl_page_clear(&read->page);
            read->page = next.page;
            enqueue_page(submit, read);
            return;
        }
        sl_page_clear(&next.page);
        read_free(read);
        reconcile(submit, c);
        return;
    }
    read_free(read);
    sl_api_outcome outcome;
    sl_api_outcome_classify(submit->platform, response, "reading the order back", &outcome);
    if (outcome.auth_failed) {
        submit->stats.auth_failed = 1;
        sl_http_stop_for(http, 0, SL_CODE_AUTH_FAILED);
    }
    if (response->stopped != SL_HTTP_STOP_NONE && !submit->reconcile_only &&
        !outcome.auth_failed) {
        c->parked = 1;      /* read it back after the stop, on a fresh client */
        drop_read_back(c);
        sl_submit_chain_stop(submit, c);
        return;
    }
    sl_submit_fail_unknown(submit, c, outcome.message);
    continue_chain(submit, c);
}
