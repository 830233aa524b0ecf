/* lookup_listing.c: the prefetch of order names by listing (lookup_listing.h). Two listings
 * (orders not shipped, orders partly shipped) are sized, then read when cheaper than the name
 * lookups, all in one sl_http_run(): the answers' callbacks ask for what follows. Orders go
 * into the index (sl_order_index_add_listed); which names they answered is settled by the
 * caller's sl_order_index_close_listing(). It does not look names up itself (lookup.c does). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/lookup_listing.h"
#include "shipload/engine.h"

#define LISTINGS 2
#define MIN_NAMES 4                 /* below this, sizing costs as much as the lookups */
#define PAGE_ITEMS_MAX 250          /* a page holding more is malformed */

typedef enum read_kind { READ_COUNT, READ_SEARCH, READ_PAGE } read_kind;

#define SEARCHED_MAX 64             /* pages a search reads: twice log2 of any listing */

typedef struct prefetch prefetch;

/* A numbered listing without a count is sized by a search: pages 1, 2, 4, ... until one is
 * the last or empty (or the break-even page is passed: then the listing is not read), then a
 * bisection to the last page. The pages it reads are kept, not asked again; the set of pages
 * asked depends on the store only, never on the order of the answers. */
typedef struct listing {
    prefetch *run;
    sl_list_filter filter;
    long lo;                        /* search: the highest page seen full with more after it */
    long hi;                        /* search: the lowest page seen empty; 0: none yet */
    long limit;                     /* search: past this page the listing is not cheaper */
    long last;                      /* the last page; -1: not known yet */
    long searched[SEARCHED_MAX];    /* pages the search read */
    size_t searched_count;
    long next_page;                 /* numbered: the next page number to ask */
    size_t in_flight;
    size_t pages_read;
    size_t pages_max;               /* cursor: the count's pages, and one more */
    int stopped;                    /* a failed or malformed page ended it */
} listing;

struct prefetch {
    sl_http *http;
    const sl_platform *platform;
    sl_order_index *index;
    sl_lookup_stats *stats;
    listing listings[LISTINGS];
    size_t names;
    size_t window;
    size_t counted;                 /* count answers in (or failed) */
    size_t pages_counted;           /* pages the counts say the listings hold */
    int out_of_memory;
};

typedef struct page_read {
    listing *listing;
    read_kind kind;
    sl_page page;
} page_read;

static void on_answer(sl_http *http, const sl_http_response *response, void *user_data);

static void ask(listing *l, read_kind kind, sl_page page)
{
    prefetch *run = l->run;
    sl_platform_request built = { 0 };
    sl_error err;
    page_read *read = calloc(1, sizeof(*read));
    int rc = !read ? -1
             : kind == READ_COUNT ? run->platform->count_orders(&l->filter, &built, &err)
                                  : run->platform->list_orders(&l->filter, &page, &built, &err);
    sl_http_request request = { built.method, built.path, built.body, built.label, on_answer,
                                read, 0, SL_ENGINE_READ_BODY_MAX };
    if (read)
        *read = (page_read){ l, kind, page };   /* takes the page's cursor */
    if (rc != 0 || sl_http_enqueue(run->http, &request, &err) != 0) {
        run->out_of_memory = 1;
        sl_page_clear(&page);
        free(read);
    } else {
        l->in_flight++;
    }
    sl_platform_request_clear(&built);
}

static int searched(const listing *l, long page)
{
    for (size_t i = 0; i < l->searched_count; i++)
        if (l->searched[i] == page)
            return 1;
    return 0;
}

/* Numbered pages up to the last one, the window's worth at a time, but those read already. */
static void ask_numbered(listing *l)
{
    while (!l->stopped && !l->run->out_of_memory && l->in_flight < l->run->window &&
           l->next_page <= l->last) {
        long page = l->next_page++;
        if (!searched(l, page))
            ask(l, READ_PAGE, (sl_page){ page, NULL });
    }
}

static size_t pages_of(size_t orders, size_t page_size)
{
    return (orders + page_size - 1) / page_size;
}

/* Every count is in: read the listings when their pages are fewer than the names. */
static void decide_counted(prefetch *run)
{
    if (run->pages_counted + LISTINGS >= run->names)
        return;
    for (int i = 0; i < LISTINGS; i++) {
        listing *l = &run->listings[i];
        if (l->stopped || l->pages_max == 0)
            continue;
        if (run->platform->caps.list_paging == SL_PAGING_CURSOR) {
            ask(l, READ_PAGE, (sl_page){ 1, NULL });
        } else {
            l->last = (long)l->pages_max - 1;
            l->next_page = 1;
            ask_numbered(l);
        }
    }
}

/* Takes a page's orders into the index; 1 when it holds orders and more follow, 0 when it
 * holds orders and is the last, 2 when it is empty, -1 when it does not decode. */
static int take_page(page_read *read, const sl_http_response *response, sl_page_next *next)
{
    prefetch *run = read->listing->run;
    sl_order **orders = NULL;
    size_t count = 0, kept = 0;
    sl_error err;
    memset(next, 0, sizeof(*next));
    if (run->platform->decode_orders(response->body, response->body_len, &orders, &count, next,
                                     &err) != 0)
        return -1;
    if (count > PAGE_ITEMS_MAX) {
        sl_orders_free(orders, count);
        return -1;
    }
    if (sl_order_index_add_listed(run->index, orders, count, &kept, &err) != 0)
        run->out_of_memory = 1;
    run->stats->listing_pages++;
    run->stats->listing_kept += kept;
    return count == 0 ? 2 : next->more ? 1 : 0;
}

static void on_count(page_read *read, const sl_http_response *response)
{
    listing *l = read->listing;
    prefetch *run = l->run;
    size_t count = 0;
    sl_error err;
    run->stats->listing_counts++;
    if (sl_http_response_ok(response) &&
        run->platform->decode_count(response->body, response->body_len, &count, &err) == 0) {
        size_t pages = pages_of(count, l->filter.page_size);
        l->pages_max = pages ? pages + 1 : 0;
        run->pages_counted += pages;
    } else {
        l->stopped = 1;
    }
    if (++run->counted == LISTINGS)
        decide_counted(run);
}

/* The search's next page, or the listing's pages once the last one is known. */
static void search_on(listing *l)
{
    if (l->last >= 0) {
        l->next_page = 1;
        ask_numbered(l);
        return;
    }
    long page = l->hi ? (l->lo + l->hi) / 2 : (l->lo ? 2 * l->lo : 1);
    if (l->hi && page <= l->lo) {       /* a full page with more, then an empty one */
        l->last = l->lo;
        search_on(l);
        return;
    }
    if (!l->hi && page > l->limit)
        page = l->limit;                /* the break-even page itself */
    if (page <= l->lo || l->searched_count == SEARCHED_MAX)
        return;                         /* more past the break-even page: not read */
    l->searched[l->searched_count++] = page;
    ask(l, READ_SEARCH, (sl_page){ page, NULL });
}

static void on_search(page_read *read, const sl_http_response *response)
{
    listing *l = read->listing;
    sl_page_next next = { 0 };
    long page = read->page.number;
    int taken = sl_http_response_ok(response) ? take_page(read, response, &next) : -1;
    sl_page_clear(&next.page);
    if (taken < 0 || l->stopped) {
        l->stopped = 1;
        return;
    }
    if (taken == 1)
        l->lo = page;
    else if (taken == 0)
        l->last = page;
    else if (page == 1)
        l->last = 0;                    /* an empty listing */
    else
        l->hi = page;
    search_on(l);
}

static void on_page(page_read *read, const sl_http_response *response)
{
    listing *l = read->listing;
    sl_page_next next = { 0 };
    l->pages_read++;
    int taken = sl_http_response_ok(response) ? take_page(read, response, &next) : -1;
    if (taken < 0) {
        l->stopped = 1;     /* its names fall back to lookups */
        sl_page_clear(&next.page);
        return;
    }
    if (l->run->platform->caps.list_paging == SL_PAGING_CURSOR) {
        if (taken == 1 && next.page.cursor && l->pages_read < l->pages_max)
            ask(l, READ_PAGE, next.page);
        else
            sl_page_clear(&next.page);
        return;
    }
    sl_page_clear(&next.page);
    ask_numbered(l);
}

static void on_answer(sl_http *http, const sl_http_response *response, void *user_data)
{
    page_read *read = user_data;
    listing *l = read->listing;
    prefetch *run = l->run;
    l->in_flight--;
    /* a listing that fails only ends early: its names are looked up after it, and those
     * lookups are what the rows' outcome (and the API's health) is judged on */
    if (response->status == 401 && !run->stats->auth_failed) {
        run->stats->auth_failed = 1;
        sl_http_stop_for(http, 0, SL_CODE_AUTH_FAILED);
    }
    if (response->stopped != SL_HTTP_STOP_NONE)
        l->stopped = 1;
    switch (read->kind) {
    case READ_COUNT: on_count(read, response); break;
    case READ_SEARCH: on_search(read, response); break;
    case READ_PAGE: on_page(read, response); break;
    }
    sl_page_clear(&read->page);
    free(read);
}

/* Sizes each listing: its count, or a search on numbered pages. 0 when the platform cannot
 * list cheaply at all. */
static int size_listings(prefetch *run)
{
    const sl_platform *platform = run->platform;
    int counted = platform->count_orders && platform->decode_count;
    if (!counted && platform->caps.list_paging != SL_PAGING_NUMBERED)
        return 0;
    /* listings of at most `limit` pages each cost fewer requests than the names */
    long limit = (long)(run->names / LISTINGS) - 1;
    if (!counted && limit < 1)
        return 0;
    for (int i = 0; i < LISTINGS; i++) {
        listing *l = &run->listings[i];
        l->limit = limit;
        l->last = -1;
        if (counted)
            ask(l, READ_COUNT, (sl_page){ 1, NULL });
        else
            search_on(l);
    }
    return 1;
}

int sl_lookup_listing(sl_http *http, sl_order_index *index, const sl_platform *platform,
                      size_t names, size_t window,
                      sl_lookup_stats *stats, sl_error *err)
{
    if (names < MIN_NAMES || !platform->list_orders || !platform->decode_orders ||
        platform->caps.list_page_max == 0)
        return 0;
    prefetch run;
    memset(&run, 0, sizeof(run));
    run.http = http;
    run.platform = platform;
    run.index = index;
    run.stats = stats;
    run.names = names;
    run.window = window ? window : 8;
    static const sl_order_shipping open[LISTINGS] = { SL_ORDER_SHIPPING_NONE,
                                                      SL_ORDER_SHIPPING_PARTIAL };
    for (int i = 0; i < LISTINGS; i++) {
        run.listings[i].run = &run;
        run.listings[i].filter.shipping = open[i];
        run.listings[i].filter.page_size = platform->caps.list_page_max;
    }
    if (!size_listings(&run))
        return 0;
    if (sl_http_run(http, err) != 0)
        return -1;
    if (run.out_of_memory)
        return sl_error_set(err, "out of memory while listing orders");
    return 0;
}
