/* export_fetch.c: reads every order of one or more paged listings (the platform's list_orders,
 * see sl_export_fetch_options) with several pages in flight at once, and hands the orders on
 * in a stable order (listing, page, position) whatever order the answers arrive in.
 *
 * A ring of `window` page slots is the reorder buffer: a page is requested only when its slot
 * is free, i.e. when it is fewer than `window` pages ahead of the page being handed on, so
 * memory is bounded by the window, not by the store. The number of pages is not known in
 * advance: a listing's first page is read alone; once it says there is a next page, pages are
 * requested ahead of the answers, and those found past the listing's end are dropped. On a
 * platform with cursor paging each page names the next, so a listing's pages are requested one
 * after another (the window still bounds memory; listings do not overlap).
 *
 * Threads: the calling thread drives the HTTP client and does everything but decoding; a page's
 * JSON (about 100 KB for 50 orders) costs more CPU than the wait for it, so answers are decoded
 * by `decode_threads` workers. A worker only turns a body into orders and marks the slot; the
 * calling thread picks decoded slots up from the client's tick and its callbacks. Orders whose
 * unit summaries lack items get the platform's read_units before they are handed on. It does
 * not choose what is exported (export_select.c) or write anything. */
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/engine.h"
#include "shipload/export.h"

#define TICK_MS 1
#define MAX_DECODE_THREADS 8

typedef enum slot_state {
    SLOT_FREE = 0,
    SLOT_WAITING,               /* requested */
    SLOT_DECODING,              /* answered; a worker has (or will have) its body */
    SLOT_DECODED,               /* decoded by a worker, not yet looked at */
    SLOT_DONE                   /* complete but for its package reads */
} slot_state;

typedef struct page_slot {
    slot_state state;           /* guarded by the fetch's lock from DECODING on */
    size_t listing;
    int page;
    char *body;                 /* DECODING: the answer (the buffer is kept for reuse) */
    size_t body_len, body_cap;
    sl_order **orders;
    size_t order_count;
    sl_page_next next;          /* what the page said about the next one */
    int decode_failed;
    sl_error decode_err;
    size_t reads_pending;       /* package reads still out for orders of this page */
} page_slot;

typedef struct fetch_state {
    sl_http *http;
    sl_http_options http_options;       /* the caller's, with our tick */
    void (*caller_tick)(void *tick_data);   /* the caller's own tick, still called */
    void *caller_tick_data;
    sl_export_fetch_options options;    /* with defaults filled in */
    sl_export_order_fn on_order;
    void *context;
    sl_export_fetch_stats *stats;
    page_slot *slots;
    size_t window;
    unsigned long next_seq;     /* the page to hand on next */
    unsigned long issue_seq;    /* the page to request next */
    size_t issue_listing;
    int issue_page;
    int *end_page;              /* per listing: its last page (INT_MAX while unknown) */
    int *has_more;              /* per listing: a page said there is a next one */
    char **cursors;             /* cursor paging, per listing: the next page's cursor, once
                                   the page before it was decoded */
    size_t listing_count;
    int in_flight;              /* page requests in flight */
    int failed;
    sl_error *err;
    /* the decode workers */
    pthread_mutex_t lock;
    pthread_cond_t work_ready;  /* a body to decode, or shutting down */
    pthread_cond_t work_done;   /* a slot was decoded */
    unsigned long *queue;       /* seqs to decode (a ring of `window`) */
    size_t queue_head, queue_count;
    size_t decoding;            /* slots in DECODING */
    size_t decoded;             /* slots in DECODED */
    /* orders handed on, freed by the workers: memory goes back to the thread (and malloc
     * arena) that allocated it, which keeps malloc's per-thread caches warm */
    sl_order ***garbage;        /* a ring of `window` */
    size_t *garbage_counts;
    size_t garbage_head, garbage_count;
    int shutting_down;
    pthread_t threads[MAX_DECODE_THREADS];
    int thread_count;
} fetch_state;

typedef struct request_tag {
    fetch_state *state;
    unsigned long seq;
    size_t order_index;         /* package reads: which order of the page */
} request_tag;

static void issue_pages(fetch_state *state);
static void hand_on(fetch_state *state);

/* The listing's filter: a shipping state, or SL_ORDER_SHIPPING_UNKNOWN for every order. */
static sl_order_shipping listing_filter(const fetch_state *state, size_t listing)
{
    return state->options.listing_count ? state->options.listings[listing]
                                        : SL_ORDER_SHIPPING_UNKNOWN;
}

static int cursor_paging(const fetch_state *state)
{
    return state->options.platform->caps.list_paging == SL_PAGING_CURSOR;
}

static void fail(fetch_state *state, const sl_error *cause, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(fetch_state *state, const sl_error *cause, const char *fmt, ...)
{
    if (state->failed)
        return;
    char text[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    state->failed = 1;
    if (cause && cause->message[0])
        sl_error_set(state->err, "%s: %s", text, cause->message);
    else
        sl_error_set(state->err, "%s", text);
    if (state->http)
        sl_http_stop(state->http, 0);
}

/* 0 when the answer is a 200; else fails the fetch naming the request. */
static int check_answer(fetch_state *state, const sl_http_response *response, const char *what)
{
    if (response->status == 200)
        return 0;
    if (response->status == 401)
        state->stats->auth_failed = 1;
    sl_platform_error error = { 0 };
    if (response->status)
        state->options.platform->error_map(response->status, response->body,
                                           response->body_len, &error);
    const char *code = error.api_code, *message = error.message;
    if (response->status)
        fail(state, NULL, "%s: HTTP %ld%s%s%s%s", what, response->status, code ? " " : "",
             code ? code : "", message ? ": " : "", message ? message : "");
    else
        fail(state, NULL, "%s: %s after %d attempt%s", what,
             response->error ? response->error : "no answer", response->attempts,
             response->attempts == 1 ? "" : "s");
    sl_platform_error_clear(&error);
    return -1;
}

/* Clears a slot for its next page; the body buffer stays for reuse. */
static void clear_slot(page_slot *slot)
{
    sl_orders_free(slot->orders, slot->order_count);
    sl_page_clear(&slot->next.page);
    char *body = slot->body;
    size_t body_cap = slot->body_cap;
    memset(slot, 0, sizeof(*slot));
    slot->body = body;
    slot->body_cap = body_cap;
}

/* Hands a page's orders to the workers to free (on this thread when they have no room). */
static void discard_orders(fetch_state *state, page_slot *slot)
{
    pthread_mutex_lock(&state->lock);
    int queued = state->thread_count > 0 && state->garbage_count < state->window;
    if (queued) {
        size_t at = (state->garbage_head + state->garbage_count) % state->window;
        state->garbage[at] = slot->orders;
        state->garbage_counts[at] = slot->order_count;
        state->garbage_count++;
        pthread_cond_signal(&state->work_ready);
        slot->orders = NULL;
        slot->order_count = 0;
    }
    pthread_mutex_unlock(&state->lock);
    clear_slot(slot);
}

/* With the lock held: frees the discarded pages, unlocking while it does. */
static void free_garbage_locked(fetch_state *state)
{
    while (state->garbage_count > 0) {
        sl_order **orders = state->garbage[state->garbage_head];
        size_t count = state->garbage_counts[state->garbage_head];
        state->garbage_head = (state->garbage_head + 1) % state->window;
        state->garbage_count--;
        pthread_mutex_unlock(&state->lock);
        sl_orders_free(orders, count);
        pthread_mutex_lock(&state->lock);
    }
}

/* ---- decode workers ---- */

static void *decode_worker(void *arg)
{
    fetch_state *state = arg;
    pthread_mutex_lock(&state->lock);
    for (;;) {
        free_garbage_locked(state);
        while (!state->shutting_down && state->queue_count == 0 && state->garbage_count == 0)
            pthread_cond_wait(&state->work_ready, &state->lock);
        if (state->shutting_down)
            break;
        if (state->queue_count == 0)
            continue;
        unsigned long seq = state->queue[state->queue_head];
        state->queue_head = (state->queue_head + 1) % state->window;
        state->queue_count--;
        page_slot *slot = &state->slots[seq % state->window];
        pthread_mutex_unlock(&state->lock);
        /* the slot is this worker's until it is marked DECODED */
        slot->decode_failed = state->options.platform->decode_orders(
                                  slot->body, slot->body_len, &slot->orders, &slot->order_count,
                                  &slot->next, &slot->decode_err) != 0;
        pthread_mutex_lock(&state->lock);
        slot->state = SLOT_DECODED;
        state->decoding--;
        state->decoded++;
        pthread_cond_signal(&state->work_done);
    }
    pthread_mutex_unlock(&state->lock);
    return NULL;
}

static int start_workers(fetch_state *state)
{
    for (int i = 0; i < state->options.decode_threads; i++) {
        if (pthread_create(&state->threads[i], NULL, decode_worker, state) != 0)
            return -1;
        state->thread_count++;
    }
    return 0;
}

static void stop_workers(fetch_state *state)
{
    pthread_mutex_lock(&state->lock);
    state->shutting_down = 1;
    pthread_cond_broadcast(&state->work_ready);
    pthread_mutex_unlock(&state->lock);
    for (int i = 0; i < state->thread_count; i++)
        pthread_join(state->threads[i], NULL);
    state->thread_count = 0;
}

/* Hands a page's answer to the workers (the body is copied: it lives only in the callback). */
static int queue_decode(fetch_state *state, unsigned long seq, const sl_http_response *response)
{
    page_slot *slot = &state->slots[seq % state->window];
    if (response->body_len + 1 > slot->body_cap) {
        char *grown = realloc(slot->body, response->body_len + 1);
        if (!grown)
            return -1;
        slot->body = grown;
        slot->body_cap = response->body_len + 1;
    }
    memcpy(slot->body, response->body, response->body_len);
    slot->body[response->body_len] = '\0';
    slot->body_len = response->body_len;
    pthread_mutex_lock(&state->lock);
    slot->state = SLOT_DECODING;
    state->decoding++;
    state->queue[(state->queue_head + state->queue_count) % state->window] = seq;
    state->queue_count++;
    pthread_cond_signal(&state->work_ready);
    pthread_mutex_unlock(&state->lock);
    return 0;
}

/* ---- package reads for summaries without items ---- */

static int lacks_items(const sl_order *order)
{
    for (size_t i = 0; i < order->unit_count; i++)
        if (!order->units[i].items_known)
            return 1;
    return 0;
}

static void packages_done(sl_http *http, const sl_http_response *response, void *user_data)
{
    (void)http;
    request_tag *tag = user_data;
    fetch_state *state = tag->state;
    page_slot *slot = &state->slots[tag->seq % state->window];
    slot->reads_pending--;
    if (!response->stopped && !state->failed &&
        check_answer(state, response, "reading an order's packages") == 0) {
        sl_error err = { { 0 } };
        sl_order *order = slot->orders[tag->order_index];
        if (state->options.platform->decode_units_into(response->body, response->body_len,
                                                       order, &err) != 0)
            fail(state, &err, "order %s: packages", order->id ? order->id : "?");
    }
    free(tag);
    hand_on(state);
}

static void read_packages(fetch_state *state, unsigned long seq, size_t order_index)
{
    page_slot *slot = &state->slots[seq % state->window];
    sl_order *order = slot->orders[order_index];
    request_tag *tag = calloc(1, sizeof(*tag));
    sl_platform_request built = { 0 };
    sl_error err = { { 0 } };
    const sl_platform *platform = state->options.platform;
    if (!tag || !order->id || !platform->read_units ||
        platform->read_units(order, &built, &err) != 0) {
        fail(state, NULL, "order %s: cannot read its packages", order->id ? order->id : "?");
    } else {
        *tag = (request_tag){ state, seq, order_index };
        sl_http_request request = { .method = built.method, .path = built.path,
                                    .endpoint = built.label,
                                    .done = packages_done, .user_data = tag,
                                    .max_body = SL_ENGINE_READ_BODY_MAX };
        if (sl_http_enqueue(state->http, &request, &err) == 0) {
            slot->reads_pending++;
            state->stats->package_reads++;
            tag = NULL;
        } else {
            fail(state, &err, "order %s: packages", order->id);
        }
    }
    free(tag);
    sl_platform_request_clear(&built);
}

/* ---- order pages ---- */

/* A decoded page: its listing's end, its package reads; then it waits to be handed on. */
static void take_decoded(fetch_state *state, unsigned long seq)
{
    page_slot *slot = &state->slots[seq % state->window];
    slot->state = SLOT_DONE;
    if (slot->decode_failed) {
        fail(state, &slot->decode_err, "order listing page %d", slot->page);
        return;
    }
    int *end = &state->end_page[slot->listing];
    if ((slot->order_count == 0 || !slot->next.more) && slot->page < *end)
        *end = slot->page;
    if (slot->order_count && slot->next.more) {
        state->has_more[slot->listing] = 1;
        if (cursor_paging(state)) {
            free(state->cursors[slot->listing]);
            state->cursors[slot->listing] = slot->next.page.cursor;
            slot->next.page.cursor = NULL;
        }
    }
    for (size_t i = 0; i < slot->order_count && !state->failed; i++) {
        const sl_order *order = slot->orders[i];
        if (lacks_items(order) && (!state->options.order_wanted ||
                                   state->options.order_wanted(state->context, order)))
            read_packages(state, seq, i);
    }
}

/* Takes every slot the workers have decoded since the last look, then hands on. */
static void collect_decoded(fetch_state *state)
{
    pthread_mutex_lock(&state->lock);
    size_t decoded = state->decoded;
    state->decoded = 0;
    pthread_mutex_unlock(&state->lock);
    for (unsigned long seq = state->next_seq; decoded && seq < state->issue_seq; seq++) {
        page_slot *slot = &state->slots[seq % state->window];
        pthread_mutex_lock(&state->lock);
        int ready = slot->state == SLOT_DECODED;
        pthread_mutex_unlock(&state->lock);
        if (ready) {
            take_decoded(state, seq);
            decoded--;
        }
    }
    hand_on(state);
}

static void page_done(sl_http *http, const sl_http_response *response, void *user_data)
{
    (void)http;
    request_tag *tag = user_data;
    fetch_state *state = tag->state;
    unsigned long seq = tag->seq;
    free(tag);
    state->in_flight--;
    state->stats->pages++;
    if (response->stopped || state->failed ||
        check_answer(state, response, "order listing") != 0)
        return;
    if (queue_decode(state, seq, response) != 0)
        fail(state, NULL, "order listing: out of memory");
    collect_decoded(state);
}

/* page: the page to ask for (its cursor is taken over and freed here). */
static int request_page(fetch_state *state, page_slot *slot, unsigned long seq, sl_page *page)
{
    sl_list_filter filter = { listing_filter(state, slot->listing),
                              state->options.updated_since,
                              (size_t)state->options.page_limit };
    sl_platform_request built = { 0 };
    request_tag *tag = calloc(1, sizeof(*tag));
    sl_error err = { { 0 } };
    int rc = -1;
    if (tag && state->options.platform->list_orders(&filter, page, &built, &err) == 0) {
        *tag = (request_tag){ state, seq, 0 };
        sl_http_request request = { .method = built.method, .path = built.path,
                                    .endpoint = built.label, .done = page_done,
                                    .user_data = tag,
                                    .max_body = SL_ENGINE_READ_BODY_MAX };
        rc = sl_http_enqueue(state->http, &request, &err);
    }
    if (rc != 0) {
        free(tag);
        fail(state, &err, "order listing page %d", slot->page);
    }
    sl_platform_request_clear(&built);
    sl_page_clear(page);
    return rc;
}

/* Requests pages while there is room in flight and in the window. */
static void issue_pages(fetch_state *state)
{
    while (!state->failed && !sl_http_stopping(state->http) &&
           state->in_flight < state->options.in_flight &&
           state->issue_seq < state->next_seq + state->window &&
           state->issue_listing < state->listing_count) {
        if (state->issue_page > state->end_page[state->issue_listing]) {
            state->issue_listing++;
            state->issue_page = 1;
            continue;
        }
        /* a listing's first page comes alone: a small store costs one request, not a
         * window of empty ones; pages are read ahead once it says there is more */
        if (state->issue_page > 1 && !state->has_more[state->issue_listing])
            break;
        sl_page page = { state->issue_page, NULL };
        if (cursor_paging(state) && state->issue_page > 1) {
            /* the page before names this one: wait until it is decoded */
            if (!state->cursors[state->issue_listing])
                break;
            page.cursor = state->cursors[state->issue_listing];
            state->cursors[state->issue_listing] = NULL;
        }
        page_slot *slot = &state->slots[state->issue_seq % state->window];
        clear_slot(slot);   /* keeps its body buffer */
        slot->state = SLOT_WAITING;
        slot->listing = state->issue_listing;
        slot->page = state->issue_page;
        if (request_page(state, slot, state->issue_seq, &page) != 0)
            return;
        state->in_flight++;
        state->issue_seq++;
        state->issue_page++;
    }
}

/* Hands on the complete pages at the head of the window, in order; then requests more. */
static void hand_on(fetch_state *state)
{
    while (!state->failed && state->next_seq < state->issue_seq) {
        page_slot *slot = &state->slots[state->next_seq % state->window];
        pthread_mutex_lock(&state->lock);   /* a worker may be marking it decoded */
        int done = slot->state == SLOT_DONE;
        pthread_mutex_unlock(&state->lock);
        if (!done || slot->reads_pending)
            break;
        sl_order_shipping filter = listing_filter(state, slot->listing);
        int past_end = slot->page > state->end_page[slot->listing];
        for (size_t i = 0; !past_end && i < slot->order_count && !state->failed; i++) {
            const sl_order *order = slot->orders[i];
            /* the server ignored the filter, or the order just changed listing; an order
             * that does not say its status is taken where the server listed it */
            if (filter != SL_ORDER_SHIPPING_UNKNOWN && order->shipping != SL_ORDER_SHIPPING_UNKNOWN &&
                order->shipping != filter)
                continue;
            sl_error err = { { 0 } };
            if (state->on_order(state->context, order, &err) != 0)
                fail(state, &err, "order %s", order->id ? order->id : "?");
            else
                state->stats->orders++;
        }
        discard_orders(state, slot);
        state->next_seq++;
    }
    issue_pages(state);
}

/* The client's tick: decoded pages, the caller's stop request, the caller's own tick. */
static void fetch_tick(void *data)
{
    fetch_state *state = data;
    if (state->options.stop_requested && !state->failed &&
        state->options.stop_requested(state->context))
        fail(state, NULL, "interrupted");
    if (!state->failed)
        collect_decoded(state);
    if (state->caller_tick)
        state->caller_tick(state->caller_tick_data);
}

/* ---- the run ---- */

static void fill_defaults(sl_export_fetch_options *options)
{
    if (!options->platform)
        options->platform = sl_platform_default();
    int most = (int)options->platform->caps.list_page_max;
    if (options->page_limit <= 0 || options->page_limit > most)
        options->page_limit = most;
    if (options->in_flight <= 0)
        options->in_flight = 8;
    if (options->window <= 0)
        options->window = 4 * options->in_flight;
    if (options->window < 2)
        options->window = 2;
    if (options->in_flight > options->window)
        options->in_flight = options->window;
    if (options->decode_threads <= 0)
        options->decode_threads = 2;
    if (options->decode_threads > MAX_DECODE_THREADS)
        options->decode_threads = MAX_DECODE_THREADS;
}

/* Decodes still out: wait for one (nothing else can move until it is back). */
static int wait_for_decodes(fetch_state *state)
{
    pthread_mutex_lock(&state->lock);
    int waiting = state->decoding > 0 || state->decoded > 0;
    while (state->decoding > 0 && state->decoded == 0)
        pthread_cond_wait(&state->work_done, &state->lock);
    pthread_mutex_unlock(&state->lock);
    return waiting;
}

static void drive(fetch_state *state)
{
    issue_pages(state);
    for (;;) {
        sl_error run_err = { { 0 } };
        if (sl_http_run(state->http, &run_err) != 0) {
            fail(state, &run_err, "HTTP");
            return;
        }
        if (state->failed || !wait_for_decodes(state))
            return;
        collect_decoded(state);
    }
}

static int alloc_state(fetch_state *state)
{
    state->slots = calloc(state->window, sizeof(page_slot));
    state->queue = calloc(state->window, sizeof(unsigned long));
    state->garbage = calloc(state->window, sizeof(sl_order **));
    state->garbage_counts = calloc(state->window, sizeof(size_t));
    state->end_page = calloc(state->listing_count, sizeof(int));
    state->has_more = calloc(state->listing_count, sizeof(int));
    state->cursors = calloc(state->listing_count, sizeof(char *));
    if (!state->slots || !state->queue || !state->garbage || !state->garbage_counts ||
        !state->end_page || !state->has_more || !state->cursors)
        return -1;
    for (size_t i = 0; i < state->listing_count; i++)
        state->end_page[i] = INT_MAX;
    return 0;
}

static void free_state(fetch_state *state)
{
    for (size_t i = 0; state->slots && i < state->window; i++) {
        clear_slot(&state->slots[i]);
        free(state->slots[i].body);
    }
    for (size_t i = 0; i < state->garbage_count; i++) {
        size_t at = (state->garbage_head + i) % state->window;
        sl_orders_free(state->garbage[at], state->garbage_counts[at]);
    }
    free(state->garbage);
    free(state->garbage_counts);
    free(state->slots);
    free(state->queue);
    free(state->end_page);
    free(state->has_more);
    for (size_t i = 0; state->cursors && i < state->listing_count; i++)
        free(state->cursors[i]);
    free(state->cursors);
    sl_http_free(state->http);
    pthread_mutex_destroy(&state->lock);
    pthread_cond_destroy(&state->work_ready);
    pthread_cond_destroy(&state->work_done);
}

static void account(fetch_state *state)
{
    sl_http_totals totals;
    sl_http_get_totals(state->http, &totals);
    state->stats->requests = totals.requests;
    state->stats->retries = totals.retries;
}

int sl_export_fetch(const sl_http_options *http_options, const sl_export_fetch_options *options,
                    sl_export_order_fn on_order, void *context, sl_export_fetch_stats *stats,
                    sl_error *err)
{
    fetch_state state = { .http_options = *http_options, .options = *options,
                          .on_order = on_order, .context = context, .stats = stats,
                          .issue_page = 1, .err = err };
    memset(stats, 0, sizeof(*stats));
    fill_defaults(&state.options);
    state.window = (size_t)state.options.window;
    state.listing_count = options->listing_count ? options->listing_count : 1;
    if (!state.options.platform->list_orders || !state.options.platform->decode_orders)
        return sl_error_set(err, "%s: export is not supported", state.options.platform->title);
    pthread_mutex_init(&state.lock, NULL);
    pthread_cond_init(&state.work_ready, NULL);
    pthread_cond_init(&state.work_done, NULL);
    state.caller_tick = http_options->tick;
    state.caller_tick_data = http_options->tick_data;
    state.http_options.tick = fetch_tick;
    state.http_options.tick_data = &state;
    state.http_options.tick_ms = TICK_MS;
    if (alloc_state(&state) != 0) {
        free_state(&state);
        return sl_error_set(err, "out of memory");
    }
    if (!(state.http = sl_http_new(&state.http_options, err))) {
        free_state(&state);
        return -1;
    }
    if (start_workers(&state) != 0)
        fail(&state, NULL, "cannot start the decode threads");
    else
        drive(&state);
    stop_workers(&state);
    if (!state.failed && (state.issue_listing < state.listing_count ||
                          state.next_seq != state.issue_seq))
        fail(&state, NULL, "the listing of orders stopped before its end");
    account(&state);
    free_state(&state);
    return state.failed ? -1 : 0;
}
