/* lookup.c: matching's reads driven through the HTTP client (lookup.h), built and decoded by
 * the platform (platform.h). Four phases, each one sl_http_run(): order ids (in batches where
 * the platform has a batched lookup, else one by one), names (first the listing of the open
 * orders where that is cheaper, lookup_listing.c; then by name, every page, or by number, for
 * the names it did not hold), units where summaries lack items, fulfillments where something shipped or a row
 * updates or cancels. Within a phase requests are fed to the client a few at a time from the
 * completion callbacks. Answers and failures go into the order index; this file decides
 * nothing about rows itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/engine.h"
#include "shipload/lookup.h"
#include "shipload/outcome.h"
#include "engine/lookup_listing.h"

typedef enum phase { PHASE_IDS, PHASE_NAMES, PHASE_PACKAGES, PHASE_FULFILLMENTS } phase;

typedef struct lookup_run {
    sl_http *http;
    const sl_platform *platform;
    sl_order_index *index;
    sl_lookup_stats *stats;
    size_t queue_limit;
    size_t queued;              /* enqueued, callback not called yet */
    phase phase;
    const char **keys;          /* ids or names of the phase */
    sl_order **orders;          /* orders of the packages/fulfillments phases */
    size_t total, next;         /* work items of the phase; the next one to start */
    sl_api_health *health;
    int out_of_memory;
} lookup_run;

typedef struct read_request {
    lookup_run *run;
    size_t first, count;        /* PHASE_IDS: keys[first, first + count) */
    const char *name;           /* PHASE_NAMES */
    sl_order *order;            /* PHASE_PACKAGES, PHASE_FULFILLMENTS */
    sl_page page;
    int pages;                  /* pages of the item read so far */
    char first_id[80];          /* the first id of the previous page: a repeat ends the paging */
} read_request;

/* Paging ends on an empty page, on a page that repeats the one before, and at a bound no
 * honest answer reaches: 20 pages of orders sharing one name, 200 pages of fulfillments of one
 * order. A page holding more than any platform pages (250), or a batch answered with more
 * orders than ids asked, is malformed. */
#define NAME_PAGES_MAX 20
#define FULFILLMENT_PAGES_MAX 200
#define PAGE_ITEMS_MAX 250

static void on_answer(sl_http *http, const sl_http_response *response, void *user_data);

static void enqueue(lookup_run *run, read_request *read, int built,
                    sl_platform_request *built_request)
{
    sl_error err;
    sl_http_request request = { built_request->method, built_request->path, built_request->body,
                                built_request->label, on_answer, read, 0,
                                SL_ENGINE_READ_BODY_MAX };
    if (built != 0 || sl_http_enqueue(run->http, &request, &err) != 0) {
        run->out_of_memory = 1;
        sl_page_clear(&read->page);
        free(read);
    } else {
        run->queued++;
    }
    sl_platform_request_clear(built_request);
}

/* One order per id (no batched lookup), or one by number (no name filter). */
static int single_order_phase(const lookup_run *run)
{
    return (run->phase == PHASE_IDS && !run->platform->lookup_ids) ||
           (run->phase == PHASE_NAMES && !run->platform->lookup_name);
}

/* Starts the read of one page of one work item. */
static void start(lookup_run *run, read_request *read)
{
    const sl_platform *platform = run->platform;
    sl_platform_request request = { 0 };
    sl_error err;
    int built = -1;
    switch (run->phase) {
    case PHASE_IDS:
        built = platform->lookup_ids
                    ? platform->lookup_ids(run->keys + read->first, read->count, &request, &err)
                    : platform->order_by_id(run->keys[read->first], &request, &err);
        break;
    case PHASE_NAMES:
        built = platform->lookup_name
                    ? platform->lookup_name(read->name, &read->page, &request, &err)
                    : platform->order_by_number(read->name, &request, &err);
        break;
    case PHASE_PACKAGES:
        built = platform->read_units(read->order, &request, &err);
        break;
    case PHASE_FULFILLMENTS:
        built = platform->read_fulfillments(read->order, &read->page, &request, &err);
        break;
    }
    enqueue(run, read, built, &request);
}

/* Starts work items until queue_limit requests are queued. */
static void feed(lookup_run *run)
{
    while (run->queued < run->queue_limit && run->next < run->total && !run->out_of_memory) {
        read_request *read = calloc(1, sizeof(*read));
        if (!read) {
            run->out_of_memory = 1;
            return;
        }
        read->run = run;
        read->page.number = 1;
        if (run->phase == PHASE_IDS) {
            size_t batch = run->platform->lookup_ids ? run->platform->caps.lookup_ids_max : 1;
            read->first = run->next;
            read->count = run->total - run->next;
            if (read->count > batch)
                read->count = batch ? batch : 1;
            run->next += read->count;
        } else if (run->phase == PHASE_NAMES) {
            read->name = run->keys[run->next++];
        } else {
            read->order = run->orders[run->next++];
        }
        start(run, read);
    }
}

static void describe(const read_request *read, phase current, char *out, size_t cap)
{
    switch (current) {
    case PHASE_IDS: snprintf(out, cap, "order lookup of %zu ids", read->count); break;
    case PHASE_NAMES: snprintf(out, cap, "order lookup by name %s", read->name); break;
    case PHASE_PACKAGES: snprintf(out, cap, "packages read of order %s", read->order->id); break;
    case PHASE_FULFILLMENTS:
        snprintf(out, cap, "fulfillments read of order %s", read->order->id);
        break;
    }
}

/* Records a failed read for the rows depending on it. */
static void record_failure(lookup_run *run, const read_request *read, const sl_api_outcome *o)
{
    int rc = 0;
    if (o->status != SL_STATUS_NOT_ATTEMPTED)
        run->stats->failures++;
    switch (run->phase) {
    case PHASE_IDS:
        rc = sl_order_index_fail_ids(run->index, run->keys + read->first, read->count, o->status,
                                     o->code, o->message);
        break;
    case PHASE_NAMES:
        rc = sl_order_index_fail_name(run->index, read->name, o->status, o->code, o->message);
        break;
    case PHASE_PACKAGES:
    case PHASE_FULFILLMENTS:
        rc = sl_order_index_fail_order(run->index, read->order->id, o->status, o->code,
                                       o->message);
        break;
    }
    if (rc != 0)
        run->out_of_memory = 1;
}

/* A single-order answer (by id or by number) as a list of one order. */
static int decode_single(const lookup_run *run, const sl_http_response *response,
                         sl_order ***orders, size_t *count, sl_error *err)
{
    sl_order *order = NULL;
    *orders = NULL;
    *count = 0;
    if (run->platform->decode_order(response->body, response->body_len, &order, err) != 0)
        return -1;
    *orders = malloc(sizeof(**orders));
    if (!*orders) {
        sl_order_free(order);
        return sl_error_set(err, "out of memory");
    }
    (*orders)[0] = order;
    *count = 1;
    return 0;
}

/* Whether the page of count items starting with first_id may lead to the next one: 0 ends the
 * paging (an empty page), -1 with err refuses the answer (too many items, a repeated page, a
 * page past the bound). */
static int page_may_continue(read_request *read, size_t count, const char *first_id,
                             int max_pages, sl_error *err)
{
    read->pages++;
    if (count > PAGE_ITEMS_MAX)
        return sl_error_set(err, "page %d holds %zu items where at most %d can be asked for",
                            read->pages, count, PAGE_ITEMS_MAX);
    if (count == 0)
        return 0;
    if (first_id && read->pages > 1 && strcmp(first_id, read->first_id) == 0)
        return sl_error_set(err, "page %d repeats page %d", read->pages, read->pages - 1);
    if (read->pages >= max_pages)
        return sl_error_set(err, "still more pages after %d pages: more than any store holds "
                            "for one reference", read->pages);
    snprintf(read->first_id, sizeof(read->first_id), "%s", first_id ? first_id : "");
    return 1;
}

/* Hands a 2xx body to the index. Returns 1 when the item has a next page (now in read->page),
 * 0 when it is done, or -1 with err set when the body does not decode. */
static int take_answer(lookup_run *run, read_request *read, const sl_http_response *response,
                       sl_error *err)
{
    const sl_platform *platform = run->platform;
    sl_order **orders = NULL;
    size_t count = 0;
    sl_page_next next = { 0 };
    int decoded, more = 1;
    switch (run->phase) {
    case PHASE_IDS:
        run->stats->id_batches++;
        decoded = platform->lookup_ids
                      ? platform->decode_orders(response->body, response->body_len, &orders,
                                                &count, &next, err)
                      : decode_single(run, response, &orders, &count, err);
        sl_page_clear(&next.page);
        if (decoded != 0)
            return -1;
        if (count > read->count) {
            sl_orders_free(orders, count);
            return sl_error_set(err, "%zu orders answered for %zu ids asked", count, read->count);
        }
        if (sl_order_index_add_id_answer(run->index, run->keys + read->first, read->count,
                                         orders, count, err) != 0)
            run->out_of_memory = 1;
        /* an id the answer left out was not found by this answer (ids it held are ignored) */
        for (size_t i = 0; !run->out_of_memory && i < read->count; i++)
            if (sl_order_index_note_answer_id(run->index, 0, run->keys[read->first + i],
                                              response->request_id) != 0)
                run->out_of_memory = 1;
        return 0;   /* a batch is one page */
    case PHASE_NAMES:
        run->stats->name_pages++;
        decoded = platform->lookup_name
                      ? platform->decode_orders(response->body, response->body_len, &orders,
                                                &count, &next, err)
                      : decode_single(run, response, &orders, &count, err);
        if (decoded != 0) {
            sl_page_clear(&next.page);
            return -1;
        }
        more = page_may_continue(read, count, count ? orders[0]->id : NULL, NAME_PAGES_MAX, err);
        if (more < 0) {
            sl_orders_free(orders, count);
            sl_page_clear(&next.page);
            return -1;
        }
        if (sl_order_index_add_name_answer(run->index, read->name, orders, count, err) != 0)
            run->out_of_memory = 1;
        break;
    case PHASE_PACKAGES:
        run->stats->package_reads++;
        return platform->decode_units_into(response->body, response->body_len, read->order,
                                           err) != 0 ? -1 : 0;
    case PHASE_FULFILLMENTS: {
        run->stats->fulfillment_pages++;
        size_t before = read->order->fulfillment_count;
        if (platform->decode_fulfillments_into(response->body, response->body_len, read->order,
                                               &next, err) != 0) {
            sl_page_clear(&next.page);
            return -1;
        }
        count = read->order->fulfillment_count - before;
        more = page_may_continue(read, count, count ? read->order->fulfillments[before].id : NULL,
                                 FULFILLMENT_PAGES_MAX, err);
        if (more < 0) {
            sl_page_clear(&next.page);
            return -1;
        }
        break;
    }
    }
    if (!more) {   /* an empty page ends the paging, whatever it says */
        sl_page_clear(&next.page);
        return 0;
    }
    /* a numbered page must lie ahead of this one (a server repeating a page number cannot
     * make the read loop) */
    if (!next.more || (!next.page.cursor && next.page.number <= read->page.number)) {
        sl_page_clear(&next.page);
        return 0;
    }
    sl_page_clear(&read->page);
    read->page = next.page;
    return 1;
}

/* A by-id or by-number lookup answered 404: an answer without an order (not found). */
static int not_found_answer(lookup_run *run, read_request *read,
                            const sl_http_response *response)
{
    if (!single_order_phase(run) || response->status != 404 ||
        response->stopped != SL_HTTP_STOP_NONE)
        return 0;
    sl_error err;
    int rc = run->phase == PHASE_IDS
                 ? sl_order_index_add_id_answer(run->index, run->keys + read->first,
                                                read->count, NULL, 0, &err)
                 : sl_order_index_add_name_answer(run->index, read->name, NULL, 0, &err);
    for (size_t i = 0; rc == 0 && run->phase == PHASE_IDS && i < read->count; i++)
        rc = sl_order_index_note_answer_id(run->index, 0, run->keys[read->first + i],
                                           response->request_id);
    if (rc == 0 && run->phase != PHASE_IDS)
        rc = sl_order_index_note_answer_id(run->index, 1, read->name, response->request_id);
    if (rc != 0)
        run->out_of_memory = 1;
    return 1;
}

static void on_answer(sl_http *http, const sl_http_response *response, void *user_data)
{
    read_request *read = user_data;
    lookup_run *run = read->run;
    char what[200];
    sl_api_outcome outcome;
    sl_error err = { "" };
    run->queued--;
    describe(read, run->phase, what, sizeof(what));
    if (sl_api_health_note(run->health, response)) {
        run->stats->unreachable = 1;
        sl_http_stop_for(http, 0, sl_api_health_code(run->health));
    }
    if (not_found_answer(run, read, response)) {
        free(read);
        feed(run);
        return;
    }
    if (!sl_http_response_ok(response)) {
        sl_api_outcome_classify(run->platform, response, what, &outcome);
        if (outcome.auth_failed && !run->stats->auth_failed) {
            run->stats->auth_failed = 1;
            sl_http_stop_for(http, 0, SL_CODE_AUTH_FAILED);
        }
        record_failure(run, read, &outcome);
        sl_page_clear(&read->page);
        free(read);
        feed(run);
        return;
    }
    int more = take_answer(run, read, response, &err);
    if (more < 0) {
        sl_api_outcome_malformed(response, what, err.message, &outcome);
        record_failure(run, read, &outcome);
    } else if (more) {
        start(run, read);   /* the same item's next page; read is reused */
        feed(run);
        return;
    } else if (run->phase == PHASE_FULFILLMENTS) {
        /* the order's last read: pack it now, so that a run reading 40,000 orders' fulfillments
         * never holds them all in small pieces */
        sl_order_index_pack_order(run->index, read->order->id);
    }
    sl_page_clear(&read->page);
    free(read);
    feed(run);
}

/* Runs one phase over total work items. */
static int run_phase(lookup_run *run, phase current, size_t total, sl_error *err)
{
    run->phase = current;
    run->total = total;
    run->next = 0;
    if (total == 0)
        return 0;
    feed(run);
    if (sl_http_run(run->http, err) != 0)
        return -1;
    if (run->out_of_memory)
        return sl_error_set(err, "out of memory while looking up orders");
    return 0;
}

static int fail_names_unsupported(lookup_run *run, sl_error *err)
{
    const char **names = NULL;
    size_t count = 0;
    char message[300];
    if (sl_order_index_names_to_fetch(run->index, &names, &count, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        snprintf(message, sizeof(message), "%s finds orders by id only: order name %s cannot "
                 "be looked up (give the order id)", run->platform->title, names[i]);
        rc = sl_order_index_fail_name(run->index, names[i], SL_STATUS_INVALID,
                                      SL_CODE_UNSUPPORTED_BY_PLATFORM, message);
    }
    free(names);
    return rc ? sl_error_set(err, "out of memory") : 0;
}

static int key_phase(lookup_run *run, phase current, sl_error *err)
{
    const char **keys = NULL;
    size_t count = 0;
    /* a platform that finds orders by id only: every name is refused for the rows */
    if (current == PHASE_NAMES && !run->platform->lookup_name && !run->platform->order_by_number)
        return fail_names_unsupported(run, err);
    int rc = current == PHASE_IDS
        ? sl_order_index_ids_to_fetch(run->index, &keys, &count, err)
        : sl_order_index_names_to_fetch(run->index, &keys, &count, err);
    if (rc != 0)
        return -1;
    run->keys = keys;
    rc = run_phase(run, current, count, err);
    run->keys = NULL;
    free(keys);
    return rc;
}

static int order_phase(lookup_run *run, phase current, const sl_row *rows, size_t count,
                       sl_error *err)
{
    /* a platform without the read: its orders arrive complete (units with their items, and
     * fulfillments inline when it has them) */
    if ((current == PHASE_PACKAGES && !run->platform->read_units) ||
        (current == PHASE_FULFILLMENTS && !run->platform->read_fulfillments))
        return 0;
    sl_order **orders = NULL;
    size_t order_count = 0;
    int rc = current == PHASE_PACKAGES
        ? sl_order_index_orders_needing_packages(run->index, rows, count, &orders, &order_count,
                                                 err)
        : sl_order_index_orders_needing_fulfillments(run->index, rows, count, &orders,
                                                     &order_count, err);
    if (rc != 0)
        return -1;
    run->orders = orders;
    rc = run_phase(run, current, order_count, err);
    run->orders = NULL;
    free(orders);
    return rc;
}

/* Names are many and the store's open orders few: list those instead (lookup_listing.h); the
 * names the listing did not answer are looked up after it. */
static int prefetch_names(lookup_run *run, sl_error *err)
{
    const char **names = NULL;
    size_t count = 0;
    if (!run->platform->lookup_name && !run->platform->order_by_number)
        return 0;
    if (sl_order_index_names_to_fetch(run->index, &names, &count, err) != 0)
        return -1;
    free(names);
    if (sl_lookup_listing(run->http, run->index, run->platform, count, run->queue_limit / 4,
                          run->stats, err) != 0)
        return -1;
    run->stats->listed_names = sl_order_index_close_listing(run->index);
    return 0;
}

int sl_lookup_orders(sl_http *http, sl_order_index *index, const sl_row *rows, size_t count,
                     const sl_lookup_options *options, sl_lookup_stats *stats, sl_error *err)
{
    lookup_run run;
    memset(&run, 0, sizeof(run));
    memset(stats, 0, sizeof(*stats));
    run.http = http;
    run.platform = options && options->platform ? options->platform : sl_platform_default();
    run.index = index;
    run.stats = stats;
    sl_api_health own_health = { 0 };
    run.queue_limit = options && options->queue_limit ? options->queue_limit : 32;
    run.health = options && options->health ? options->health : &own_health;
    if (sl_order_index_add_rows(index, rows, count, err) != 0)
        return -1;
    if (key_phase(&run, PHASE_IDS, err) != 0 || prefetch_names(&run, err) != 0 ||
        key_phase(&run, PHASE_NAMES, err) != 0 ||
        order_phase(&run, PHASE_PACKAGES, rows, count, err) != 0 ||
        order_phase(&run, PHASE_FULFILLMENTS, rows, count, err) != 0)
        return -1;
    sl_order_index_pack(index);     /* nothing more is read into the orders */
    return 0;
}
