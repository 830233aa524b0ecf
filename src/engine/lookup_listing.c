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

typedef enum read_kind { READ_COUNT, READ_PROBE, READ_PAGE } read_kind;

typedef struct prefetch prefetch;

typedef struct listing {
    prefetch *run;
    sl_list_filter filter;
    long end;                       /* numbered: the first page number not to ask */
    long next_page;                 /* numbered: the next page number to ask */
    size_t in_flight;
    size_t pages_read;
    size_t pages_max;               /* cursor: the count's pages, and one more */
    int reading;                    /* pages are being asked */
    int stopped;                    /* a failed or malformed page ended it */
} listing;

struct prefetch {
    sl_http *http;
    const sl_platform *platform;
    sl_order_index *index;
    sl_lookup_stats *stats;
    sl_api_health *health;
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

/* Numbered pages: as many as the window allows, growing by one with each page read so that a
 * short listing wastes no page past its end. */
static void ask_numbered(listing *l)
{
    size_t allowed = l->pages_read + 1 < l->run->window ? l->pages_read + 1 : l->run->window;
    while (l->reading && !l->stopped && !l->run->out_of_memory && l->in_flight < allowed &&
           l->next_page < l->end)
        ask(l, READ_PAGE, (sl_page){ l->next_page++, NULL });
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
        l->reading = 1;
        if (run->platform->caps.list_paging == SL_PAGING_CURSOR) {
            ask(l, READ_PAGE, (sl_page){ 1, NULL });
        } else {
            l->end = (long)l->pages_max;    /* pages_max is the count's pages + 1 */
            ask_numbered(l);
        }
    }
}

/* Takes a page's orders into the index; 1 when it may be followed by more, 0 at the end, -1
 * when the page does not decode. */
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
    return count > 0 && next->more ? 1 : 0;
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

/* The page at the break-even point: empty or last, the listing is cheaper: read it. */
static void on_probe(page_read *read, const sl_http_response *response)
{
    listing *l = read->listing;
    sl_page_next next = { 0 };
    int more = sl_http_response_ok(response) ? take_page(read, response, &next) : -1;
    sl_page_clear(&next.page);
    if (more != 0)
        return;             /* more pages past it (or no answer): not cheaper, not read */
    l->reading = 1;
    l->next_page = 1;
    l->end = read->page.number;     /* the probe's own page is in */
    ask_numbered(l);
}

static void on_page(page_read *read, const sl_http_response *response)
{
    listing *l = read->listing;
    sl_page_next next = { 0 };
    l->pages_read++;
    int more = sl_http_response_ok(response) ? take_page(read, response, &next) : -1;
    if (more < 0) {
        l->stopped = 1;     /* its names fall back to lookups */
        sl_page_clear(&next.page);
        return;
    }
    if (l->run->platform->caps.list_paging == SL_PAGING_CURSOR) {
        if (more && next.page.cursor && l->pages_read < l->pages_max)
            ask(l, READ_PAGE, next.page);
        else
            sl_page_clear(&next.page);
        return;
    }
    sl_page_clear(&next.page);
    long last = more ? l->end : read->page.number + 1;   /* nothing past an end */
    if (last < l->end)
        l->end = last;
    ask_numbered(l);
}

static void on_answer(sl_http *http, const sl_http_response *response, void *user_data)
{
    page_read *read = user_data;
    listing *l = read->listing;
    prefetch *run = l->run;
    l->in_flight--;
    if (sl_api_health_note(run->health, response)) {
        run->stats->unreachable = 1;
        sl_http_stop_for(http, 0, sl_api_health_code(run->health));
    }
    if (response->status == 401 && !run->stats->auth_failed) {
        run->stats->auth_failed = 1;
        sl_http_stop_for(http, 0, SL_CODE_AUTH_FAILED);
    }
    if (response->stopped != SL_HTTP_STOP_NONE)
        l->stopped = 1;
    switch (read->kind) {
    case READ_COUNT: on_count(read, response); break;
    case READ_PROBE: on_probe(read, response); break;
    case READ_PAGE: on_page(read, response); break;
    }
    sl_page_clear(&read->page);
    free(read);
}

/* Sizes each listing: its count, or one page at the break-even point. 0 when the platform
 * cannot list cheaply at all. */
static int size_listings(prefetch *run)
{
    const sl_platform *platform = run->platform;
    int counted = platform->count_orders && platform->decode_count;
    if (!counted && platform->caps.list_paging != SL_PAGING_NUMBERED)
        return 0;
    /* both listings empty at page `probe` hold fewer than LISTINGS * probe pages, which with
     * the probes themselves is fewer requests than the names */
    long probe = (long)(run->names / LISTINGS) - 1;
    if (!counted && probe < 2)
        return 0;
    for (int i = 0; i < LISTINGS; i++) {
        listing *l = &run->listings[i];
        if (counted)
            ask(l, READ_COUNT, (sl_page){ 1, NULL });
        else
            ask(l, READ_PROBE, (sl_page){ probe, NULL });
    }
    return 1;
}

int sl_lookup_listing(sl_http *http, sl_order_index *index, const sl_platform *platform,
                      size_t names, size_t window, sl_api_health *health,
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
    run.health = health;
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
