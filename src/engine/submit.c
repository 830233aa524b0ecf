/* submit.c: sending a plan (submit.h). One chain per order holds its requests in sequence
 * order; a bounded number of chains is active at once and each has at most one request queued
 * or in flight, so bodies are built just before they are sent, by the plan's one write
 * encoder (sl_plan_encode) on the platform. Answers are decoded by the platform and settled
 * onto the rows through sl_plan_settle(); unknown outcomes are handed to submit_reconcile.c.
 * Does not read the order index and does not write reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/submit_internal.h"
#include "shipload/outcome.h"

#define JOURNAL_STOP_GRACE_MS 3000   /* writes in flight when the journal fails may answer */

/* ---------------------------------------------------------------- settling */

void sl_submit_settle(sl_submit *submit, size_t fulfillment, sl_status status, sl_code code,
                   const char *fulfillment_id, int http_status, const char *message)
{
    if (sl_plan_settle(submit->plan, fulfillment, submit->rows, status, code, fulfillment_id,
                       http_status, message) != 0)
        submit->out_of_memory = 1;
    const sl_planned_fulfillment *planned = sl_plan_fulfillment(submit->plan, fulfillment);
    const uint32_t *planned_rows = sl_planned_rows(submit->plan, planned);
    for (size_t i = 0; submit->options.journal && i < planned->row_count; i++)
        sl_journal_row(submit->options.journal, &submit->rows[planned_rows[i]]);
    if (sl_status_is_success(status))
        submit->stats.fulfillments_ok++;
    else if (status != SL_STATUS_NOT_ATTEMPTED)
        submit->stats.fulfillments_failed++;
}

chain_reconcile *sl_submit_reconciling(chain *c)
{
    if (!c->reconciling)
        c->reconciling = calloc(1, sizeof(*c->reconciling));
    return c->reconciling;
}

int sl_submit_take(chain *c, const char *fulfillment_id)
{
    if (!fulfillment_id)
        return 0;
    chain_reconcile *r = sl_submit_reconciling(c);
    if (!r)
        return -1;
    if (r->taken_count == r->taken_cap) {
        size_t cap = r->taken_cap ? r->taken_cap * 2 : 8;
        char **grown = realloc(r->taken, cap * sizeof(*grown));
        if (!grown)
            return -1;
        r->taken = grown;
        r->taken_cap = cap;
    }
    r->taken[r->taken_count] = strdup(fulfillment_id);
    return r->taken[r->taken_count++] ? 0 : -1;
}

void sl_submit_clear_unknown(chain *c)
{
    chain_reconcile *r = c->reconciling;
    c->parked = 0;
    if (!r)
        return;
    free(r->unknown);
    free(r->unknown_message);
    r->unknown = NULL;
    r->unknown_message = NULL;
    r->unknown_count = 0;
    r->no_resend = 0;
}

void sl_submit_note_health(sl_submit *submit, sl_http *http, const sl_http_response *response)
{
    if (sl_api_health_note(submit->options.health, response)) {
        submit->stats.unreachable = 1;
        sl_http_stop_for(http, 0, sl_api_health_code(submit->options.health));
    }
}

/* ---------------------------------------------------------------- chains */

static void launch_chains(sl_submit *submit);

/* The fulfillment ids a chain took. They are read only to reconcile the chain's own writes,
 * so once it stops for good (not parked for a read-back after a stop) they go: a run's
 * finished chains would otherwise hold one array and one copy per fulfillment until the end
 * (about 50 MB at a million rows). So does the rest of its reconciliation state, unless it
 * still holds an unknown write (which sl_submit_finish fails). */
static void drop_taken(chain *c)
{
    chain_reconcile *r = c->reconciling;
    if (!r)
        return;
    for (size_t t = 0; t < r->taken_count; t++)
        free(r->taken[t]);
    free(r->taken);
    r->taken = NULL;
    r->taken_count = r->taken_cap = 0;
    if (r->unknown || r->unknown_message || r->read_back)
        return;
    free(r);
    c->reconciling = NULL;
}

/* Everything the chain holds, at the end of the submission. */
static void chain_free(chain *c)
{
    sl_submit_clear_unknown(c);
    if (c->reconciling && c->reconciling->read_back) {
        sl_order_free(c->reconciling->read_back);
        c->reconciling->read_back = NULL;
    }
    drop_taken(c);
}

void sl_submit_chain_stop(sl_submit *submit, chain *c)
{
    if (c->finished)
        return;
    c->finished = 1;
    if (!c->parked)
        drop_taken(c);
    submit->active--;
    launch_chains(submit);
}

write_request *sl_submit_write_new(sl_submit *submit, chain *c, sl_plan_kind kind, size_t count)
{
    write_request *write = calloc(1, sizeof(*write) + count * sizeof(size_t));
    if (!write)
        return NULL;
    write->submit = submit;
    write->chain = c;
    write->kind = kind;
    write->count = count;
    return write;
}

static write_request *write_for_request(sl_submit *submit, chain *c, size_t request)
{
    const sl_planned_request *planned = sl_plan_request(submit->plan, request);
    write_request *write = sl_submit_write_new(submit, c, planned->kind, planned->count);
    if (!write)
        return NULL;
    for (size_t i = 0; i < write->count; i++)
        write->entries[i] = planned->first + i;
    return write;
}

/* Sends the chain's current request, or finishes the chain. */
static void chain_send_current(sl_submit *submit, chain *c)
{
    if (c->next >= c->request_count || submit->reconcile_only) {
        sl_submit_chain_stop(submit, c);
        return;
    }
    write_request *write = write_for_request(submit, c,
                                             submit->order_requests[c->first_request + c->next]);
    if (!write) {
        submit->out_of_memory = 1;
        sl_submit_chain_stop(submit, c);
        return;
    }
    sl_submit_send(submit, write);
}

void sl_submit_chain_advance(sl_submit *submit, chain *c)
{
    sl_submit_clear_unknown(c);
    c->resends = 0;
    c->next++;
    chain_send_current(submit, c);
}

static void launch_chains(sl_submit *submit)
{
    while (submit->active < submit->options.active_orders &&
           submit->next_chain < submit->chain_count && !submit->reconcile_only &&
           !submit->out_of_memory && !submit->stats.journal_failed) {
        chain *c = &submit->chains[submit->next_chain++];
        submit->active++;
        chain_send_current(submit, c);
    }
}

/* ---------------------------------------------------------------- answers */

static void describe(const write_request *write, char *out, size_t cap)
{
    static const char *const kinds[] = { [SL_PLAN_CREATE] = "bulk create",
                                         [SL_PLAN_UPDATE] = "update",
                                         [SL_PLAN_CANCEL] = "cancel",
                                         [SL_PLAN_STATUS] = "status update" };
    const char *kind = write->kind == SL_PLAN_CREATE && !write->submit->platform->create_bulk
                           ? "create" : kinds[write->kind];
    snprintf(out, cap, "%s for order %s", kind,
             sl_submit_chain_order(write->submit, write->chain));
}

static void settle_all(sl_submit *submit, const write_request *write, const sl_api_outcome *o)
{
    for (size_t i = 0; i < write->count; i++)
        sl_submit_settle(submit, write->entries[i], o->status, o->code, NULL, o->http_status,
                      o->message);
}

/* The id of a created fulfillment: the answer's, else the one the client chose. */
static char *created_id(const sl_submit *submit, size_t entry, const char *answered)
{
    char chosen[SL_FULFILLMENT_ID_MAX];
    if (answered)
        return strdup(answered);
    if (sl_plan_client_id(submit->plan, submit->platform, entry, chosen, sizeof(chosen)) == 0)
        return strdup(chosen);
    return NULL;
}

static void settle_result(sl_submit *submit, const write_request *write, size_t i,
                          const sl_write_result *result, long http_status)
{
    if (result->success || result->already_exists) {
        char *id = created_id(submit, write->entries[i], result->fulfillment_id);
        sl_submit_settle(submit, write->entries[i],
                      result->success ? SL_STATUS_SHIPPED : SL_STATUS_DUPLICATE, SL_CODE_NONE,
                      id, (int)http_status,
                      result->success ? NULL : "the fulfillment exists already");
        if (sl_submit_take(write->chain, id))
            submit->out_of_memory = 1;
        free(id);
        return;
    }
    char message[400];
    snprintf(message, sizeof(message), "the API refused it: %s%s%s",
             result->api_code ? result->api_code : "(no error code)",
             result->message ? ": " : "", result->message ? result->message : "");
    sl_submit_settle(submit, write->entries[i], SL_STATUS_REJECTED, result->code, NULL,
                  (int)http_status, message);
}

/* A 2xx answer to a create: a bulk answer (each result by index to its planned fulfillment)
 * or a single create's. Returns -1 when the body does not decode (nothing settled). */
static int settle_created(sl_submit *submit, const write_request *write,
                          const sl_http_response *response, sl_error *err)
{
    const sl_platform *platform = submit->platform;
    sl_write_result *results = calloc(write->count, sizeof(*results));
    if (!results)
        return sl_error_set(err, "out of memory");
    int rc = platform->create_bulk
                 ? platform->decode_bulk(response->body, response->body_len, results,
                                         write->count, err)
                 : platform->decode_write(response->body, response->body_len, &results[0], err);
    for (size_t i = 0; i < write->count; i++) {
        if (rc == 0)
            settle_result(submit, write, i, &results[i], response->status);
        sl_write_result_clear(&results[i]);
    }
    free(results);
    return rc;
}

/* A 2xx to an update or a cancel, checked like any answer: a success settles the fulfillment
 * named by the plan (or by the answer); a refusal (success:false on a 200) is rejected with
 * its code. Returns -1 when the body says neither (it does not decode, a member is missing):
 * the outcome is unknown and the order is read back (err says why). */
static int settle_single(sl_submit *submit, const write_request *write,
                         const sl_http_response *response, sl_error *err)
{
    const sl_planned_fulfillment *planned = sl_plan_fulfillment(submit->plan, write->entries[0]);
    sl_write_result result;
    if (submit->platform->decode_write(response->body, response->body_len, &result, err) != 0) {
        sl_write_result_clear(&result);
        return -1;
    }
    if (result.success) {
        sl_submit_settle(submit, write->entries[0], sl_plan_success_status(write->kind, 0),
                         SL_CODE_NONE, result.fulfillment_id ? result.fulfillment_id
                                                             : sl_planned_fulfillment_id(planned),
                         (int)response->status, NULL);
    } else {
        char message[400];
        snprintf(message, sizeof(message), "the API refused it (HTTP %ld): %s%s%s",
                 response->status, result.api_code ? result.api_code : "(no error code)",
                 result.message ? ": " : "", result.message ? result.message : "");
        sl_submit_settle(submit, write->entries[0], SL_STATUS_REJECTED,
                         result.code != SL_CODE_NONE ? result.code : SL_CODE_API_REJECTED, NULL,
                         (int)response->status, message);
    }
    sl_write_result_clear(&result);
    return 0;
}

/* A refusal saying the fulfillment exists already (a client-chosen id sent before): the
 * write's rows are duplicates, not failures. */
static void settle_existing(sl_submit *submit, const write_request *write,
                            const sl_api_outcome *outcome)
{
    for (size_t i = 0; i < write->count; i++) {
        char *id = created_id(submit, write->entries[i], NULL);
        sl_submit_settle(submit, write->entries[i], SL_STATUS_DUPLICATE, SL_CODE_NONE, id,
                      outcome->http_status, "the fulfillment exists already");
        free(id);
    }
}

/* The write may have landed: remember it and read the order back (or park it on a stop). */
static void begin_unknown(sl_submit *submit, const write_request *write,
                          const sl_api_outcome *outcome, int no_resend)
{
    chain *c = write->chain;
    submit->stats.unknown_outcomes++;
    sl_submit_clear_unknown(c);
    chain_reconcile *r = sl_submit_reconciling(c);
    if (r) {
        r->unknown = malloc(write->count * sizeof(size_t));
        r->unknown_message = strdup(outcome->message);
    }
    if (!r || !r->unknown || !r->unknown_message) {
        submit->out_of_memory = 1;
        sl_submit_clear_unknown(c);
        sl_submit_chain_stop(submit, c);
        return;
    }
    memcpy(r->unknown, write->entries, write->count * sizeof(size_t));
    r->unknown_count = write->count;
    r->unknown_kind = write->kind;
    r->unknown_code = outcome->code;
    r->unknown_http = outcome->http_status;
    r->no_resend = no_resend;
    if (sl_http_stopping(submit->http)) {
        c->parked = 1;
        sl_submit_chain_stop(submit, c);
        return;
    }
    sl_submit_read_back(submit, c);
}

static void on_write_answer(sl_http *http, const sl_http_response *response, void *user_data)
{
    write_request *write = user_data;
    sl_submit *submit = write->submit;
    chain *c = write->chain;
    char what[160];
    sl_api_outcome outcome;
    sl_error err = { "" };
    describe(write, what, sizeof(what));
    if (response->stopped != SL_HTTP_STOP_NOT_SENT)
        submit->stats.writes++;
    sl_submit_note_health(submit, http, response);
    if (sl_http_response_ok(response)) {
        int settled = write->kind != SL_PLAN_CREATE ? settle_single(submit, write, response, &err)
                                                    : settle_created(submit, write, response, &err);
        if (settled != 0) {   /* answered, but it does not say: read the order back */
            sl_api_outcome_malformed(response, what, err.message, &outcome);
            begin_unknown(submit, write, &outcome, 1);
            free(write);
            return;
        }
        free(write);
        sl_submit_chain_advance(submit, c);
        return;
    }
    sl_api_outcome_classify(submit->platform, response, what, &outcome);
    if (outcome.auth_failed) {
        submit->stats.auth_failed = 1;
        sl_http_stop_for(http, 0, SL_CODE_AUTH_FAILED);
    }
    if (outcome.already_exists && write->kind == SL_PLAN_CREATE) {
        settle_existing(submit, write, &outcome);
        sl_submit_chain_advance(submit, c);
    } else if (response->stopped == SL_HTTP_STOP_NOT_SENT) {
        sl_submit_chain_stop(submit, c);   /* its rows stay pending: not_attempted */
    } else if (response->outcome_unknown && !outcome.auth_failed) {
        begin_unknown(submit, write, &outcome, 0);
    } else {
        settle_all(submit, write, &outcome);
        if (outcome.auth_failed)
            sl_submit_chain_stop(submit, c);
        else
            sl_submit_chain_advance(submit, c);
    }
    free(write);
}

/* ---------------------------------------------------------------- sending */

/* The write into the journal before it is queued (the client's before_start hook, set by the
 * import, makes it durable with every outcome so far before any queued request starts). -1
 * when the journal cannot take it: the write is not sent and the client stops (a write whose
 * outcome could not be recorded is never sent). */
static int journal_write(sl_submit *submit, const write_request *write)
{
    sl_journal *journal = submit->options.journal;
    if (!journal)
        return 0;
    size_t count = 0;
    for (size_t i = 0; i < write->count; i++)
        count += sl_plan_fulfillment(submit->plan, write->entries[i])->row_count;
    const sl_row **rows = malloc((count ? count : 1) * sizeof(*rows));
    int rc = rows ? 0 : -1;
    for (size_t i = 0, at = 0; rows && i < write->count; i++) {
        const sl_planned_fulfillment *planned = sl_plan_fulfillment(submit->plan, write->entries[i]);
        const uint32_t *planned_rows = sl_planned_rows(submit->plan, planned);
        for (size_t r = 0; r < planned->row_count; r++)
            rows[at++] = &submit->rows[planned_rows[r]];
    }
    if (rc == 0)
        rc = sl_journal_sending(journal, sl_plan_kind_name(write->kind),
                                sl_submit_chain_order(submit, write->chain),
                                rows, count);
    free(rows);
    if (rc != 0) {
        submit->stats.journal_failed = 1;   /* the writes in flight may still answer */
        sl_http_stop_for(submit->http, JOURNAL_STOP_GRACE_MS, SL_CODE_RUN_STOPPED);
    }
    return rc;
}

void sl_submit_send(sl_submit *submit, write_request *write)
{
    sl_platform_request built;
    sl_error err;
    if (journal_write(submit, write) != 0) {
        sl_submit_chain_stop(submit, write->chain);   /* its rows stay pending */
        free(write);
        return;
    }
    if (sl_plan_encode(submit->plan, submit->platform, write->kind, write->entries, write->count,
                       &built, &err) != 0) {
        submit->out_of_memory = 1;  /* the engine planned only what the platform can send */
        sl_submit_chain_stop(submit, write->chain);
        free(write);
        return;
    }
    sl_http_request request = { built.method, built.path, built.body, built.label,
                                on_write_answer, write, 0, SL_ENGINE_WRITE_BODY_MAX };
    if (sl_http_enqueue(submit->http, &request, &err) != 0) {
        submit->out_of_memory = 1;
        sl_submit_chain_stop(submit, write->chain);
        free(write);
    }
    sl_platform_request_clear(&built);
}

/* ---------------------------------------------------------------- set-up */

static int compare_requests(const void *a, const void *b, void *plan)
{
    const sl_planned_request *x = sl_plan_request(plan, *(const uint32_t *)a);
    const sl_planned_request *y = sl_plan_request(plan, *(const uint32_t *)b);
    int by_order = strcmp(x->order_id, y->order_id);
    if (by_order)
        return by_order;
    return x->sequence < y->sequence ? -1 : x->sequence > y->sequence;
}

static int compare_chains(const void *a, const void *b, void *order_requests)
{
    const uint32_t *requests = order_requests;
    uint32_t x = requests[((const chain *)a)->first_request];
    uint32_t y = requests[((const chain *)b)->first_request];
    return x < y ? -1 : x > y;
}

static const char *request_order(const sl_submit *submit, size_t at)
{
    return sl_plan_request(submit->plan, submit->order_requests[at])->order_id;
}

const char *sl_submit_chain_order(const sl_submit *submit, const chain *c)
{
    return request_order(submit, c->first_request);
}

/* The orders among the sorted requests: the chains to allocate, exactly. */
static size_t count_orders(const sl_submit *submit, size_t count)
{
    size_t orders = 1;
    for (size_t i = 1; i < count; i++)
        if (strcmp(request_order(submit, i - 1), request_order(submit, i)) != 0)
            orders++;
    return orders;
}

/* The chains: requests grouped per order in sequence order, chains in first-request order.
 * The requests are sorted first so that the orders are counted and the chains allocated
 * exactly (one per order, not one per request), with no larger array held even briefly. */
static int build_chains(sl_submit *submit)
{
    size_t count = sl_plan_request_count(submit->plan);
    if (count == 0)
        return 0;
    if (count >= UINT32_MAX)    /* a plan has fewer rows, so fewer requests: never */
        return -1;
    submit->order_requests = malloc(count * sizeof(*submit->order_requests));
    if (!submit->order_requests)
        return -1;
    for (size_t i = 0; i < count; i++)
        submit->order_requests[i] = (uint32_t)i;
    qsort_r(submit->order_requests, count, sizeof(*submit->order_requests), compare_requests,
            (void *)submit->plan);
    submit->chains = calloc(count_orders(submit, count), sizeof(chain));
    if (!submit->chains)
        return -1;
    for (size_t i = 0; i < count; i++) {
        chain *last = submit->chain_count ? &submit->chains[submit->chain_count - 1] : NULL;
        if (last && strcmp(sl_submit_chain_order(submit, last), request_order(submit, i)) == 0) {
            last->request_count++;
            continue;
        }
        chain *c = &submit->chains[submit->chain_count++];
        c->first_request = (uint32_t)i;
        c->request_count = 1;
    }
    qsort_r(submit->chains, submit->chain_count, sizeof(chain), compare_chains,
            submit->order_requests);
    return 0;
}

sl_submit *sl_submit_new(const sl_plan *plan, sl_row *rows, const sl_submit_options *options,
                         sl_error *err)
{
    sl_submit *submit = calloc(1, sizeof(*submit));
    if (!submit) {
        sl_error_set(err, "out of memory");
        return NULL;
    }
    submit->plan = plan;
    submit->rows = rows;
    if (options)
        submit->options = *options;
    submit->platform = submit->options.platform ? submit->options.platform
                                                : sl_platform_default();
    if (submit->options.active_orders == 0)
        submit->options.active_orders = 16;
    if (submit->options.max_resends <= 0)
        submit->options.max_resends = 3;
    if (!submit->options.health)
        submit->options.health = &submit->own_health;
    if (build_chains(submit) != 0) {
        sl_submit_free(submit);
        sl_error_set(err, "out of memory planning the submission");
        return NULL;
    }
    return submit;
}

void sl_submit_free(sl_submit *submit)
{
    if (!submit)
        return;
    for (size_t i = 0; i < submit->chain_count; i++)
        chain_free(&submit->chains[i]);
    free(submit->chains);
    free(submit->order_requests);
    free(submit);
}

int sl_submit_run(sl_submit *submit, sl_http *http, sl_error *err)
{
    submit->http = http;
    submit->reconcile_only = 0;
    launch_chains(submit);
    if (sl_http_run(http, err) != 0)
        return -1;
    if (submit->out_of_memory)
        return sl_error_set(err, "out of memory while submitting");
    return 0;
}

int sl_submit_has_parked(const sl_submit *submit)
{
    for (size_t i = 0; i < submit->chain_count; i++)
        if (submit->chains[i].parked)
            return 1;
    return 0;
}

int sl_submit_reconcile(sl_submit *submit, sl_http *http, sl_error *err)
{
    submit->http = http;
    submit->reconcile_only = 1;
    for (size_t i = 0; i < submit->chain_count; i++) {
        chain *c = &submit->chains[i];
        if (!c->parked)
            continue;
        c->parked = 0;
        c->finished = 0;
        submit->active++;
        sl_submit_read_back(submit, c);
    }
    if (sl_http_run(http, err) != 0)
        return -1;
    if (submit->out_of_memory)
        return sl_error_set(err, "out of memory while reconciling");
    return 0;
}

void sl_submit_finish(sl_submit *submit)
{
    for (size_t i = 0; i < submit->chain_count; i++) {
        chain *c = &submit->chains[i];
        if (c->reconciling && c->reconciling->unknown_count)
            sl_submit_fail_unknown(submit, c, "the run stopped before the order could be read back");
    }
}

const sl_submit_stats *sl_submit_get_stats(const sl_submit *submit)
{
    return &submit->stats;
}
