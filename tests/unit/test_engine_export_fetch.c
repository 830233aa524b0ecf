/* test_api_export_fetch.c: sl_export_fetch against a libmicrohttpd server run in the test
 * process that serves a generated store's GET /api/v2/orders pages (with the fulfillmentStatus
 * filter), answering early pages slowest so that answers arrive out of order. Checks: orders
 * are handed on in listing, page, position order; the reorder window bounds how far ahead pages
 * are requested; the filter is re-checked on the client; summaries without items get their
 * packages read; 401, 500 and a malformed body fail the fetch; the path builder. */
#include <check.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "shipload/export.h"

#define TOKEN "tok_export_test"
#define MAX_ORDERS 2000

typedef struct fake_store {
    struct MHD_Daemon *daemon;
    char url[64];
    int order_count;
    int fail_status;            /* non-zero: every orders page answers this */
    int malformed_page;         /* this page (of the unfulfilled listing) is not JSON */
    int ignore_filter;          /* answer every order whatever fulfillmentStatus says */
    int summaries_without_items;
    int slow_ms;                /* delay for pages p % 3 == 1 */
    int window, limit;          /* what the client was told: for the window check */
    pthread_mutex_t lock;
    int handed_on;              /* orders the client has handed on (set by the callback) */
    int window_violations;
    int page_requests, package_requests, active, max_active;
} fake_store;

/* Order i (1-based): partial when i % 3 == 0, else unfulfilled. */
static const char *status_of(int i)
{
    return i % 3 == 0 ? "partial" : "unfulfilled";
}

static void append_order(char **body, size_t *len, int i, int with_items)
{
    char *text = NULL;
    int n = asprintf(&text,
        "%s{\"id\":\"o%d\",\"number\":\"%d\",\"name\":\"#%d\",\"status\":{\"ecartapi\":\"paid\"},"
        "\"fulfillmentStatus\":{\"ecartapi\":\"%s\"},\"items\":[],\"packages\":[{\"id\":\"p%d\","
        "\"fulfillmentOrderId\":\"f%d\",\"number\":\"%d-1\",\"status\":{\"ecartapi\":\"pending\"}"
        "%s}]}",
        *len > 1 ? "," : "", i, i, i, status_of(i), i, i, i,
        with_items ? ",\"items\":[{\"id\":\"li\",\"sku\":\"S\",\"quantity\":2,"
                     "\"fulfilledQuantity\":1}]" : "");
    ck_assert_int_gt(n, 0);
    *body = realloc(*body, *len + (size_t)n + 64);
    memcpy(*body + *len, text, (size_t)n + 1);
    *len += (size_t)n;
    free(text);
}

/* The page of the listing (orders whose status matches, unless the filter is ignored). */
static char *orders_page(fake_store *store, const char *filter, int page, int limit)
{
    char *body = strdup("[");
    size_t len = 1;
    int matched = 0, listed = 0, more = 0;
    for (int i = 1; i <= store->order_count; i++) {
        if (filter && !store->ignore_filter && strcmp(status_of(i), filter) != 0)
            continue;
        matched++;
        if (matched <= (page - 1) * limit)
            continue;
        if (listed == limit) {
            more = 1;
            break;
        }
        append_order(&body, &len, i, !store->summaries_without_items);
        listed++;
    }
    char *full = NULL;
    ck_assert_int_gt(asprintf(&full, "{\"success\":true,\"orders\":%s],\"page\":{\"current\":%d,"
                                     "\"next\":%s%.0d}}", body, page, more ? "" : "null",
                              more ? page + 1 : 0), 0);
    free(body);
    return full;
}

static char *packages_body(const char *order_id)
{
    char *body = NULL;
    ck_assert_int_gt(asprintf(&body, "{\"success\":true,\"packages\":[{\"id\":\"p%s\","
                                     "\"fulfillmentOrderId\":\"f%s\",\"status\":{\"ecartapi\":"
                                     "\"pending\"},\"items\":[{\"id\":\"li\",\"sku\":\"S\","
                                     "\"quantity\":3,\"fulfilledQuantity\":0}]}]}",
                              order_id + 1, order_id + 1), 0);
    return body;
}

static void sleep_ms(int ms)
{
    struct timespec pause = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&pause, &pause) != 0)
        ;
}

static void note_page_request(fake_store *store, const char *filter, int page)
{
    pthread_mutex_lock(&store->lock);
    store->page_requests++;
    /* pages of the first listing: page p may only be asked for once pages up to p - window
     * have been handed on (those pages are full: limit orders each) */
    if (filter && strcmp(filter, "unfulfilled") == 0 && !store->ignore_filter) {
        int must_have = (page - 1 - store->window) * store->limit;
        if (store->handed_on < must_have)
            store->window_violations++;
    }
    if (++store->active > store->max_active)
        store->max_active = store->active;
    pthread_mutex_unlock(&store->lock);
}

static enum MHD_Result answer(struct MHD_Connection *connection, int status, char *body)
{
    struct MHD_Response *response =
        MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
    enum MHD_Result result = MHD_queue_response(connection, (unsigned)status, response);
    MHD_destroy_response(response);
    return result;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *connection, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
    fake_store *store = cls;
    (void)method, (void)version, (void)upload, (void)upload_size, (void)state;
    const char *auth = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Authorization");
    if (!auth || strcmp(auth, TOKEN) != 0)
        return answer(connection, 401, strdup("{\"success\":false,\"error\":{\"code\":"
                                              "\"unauthorized\",\"message\":\"bad token\"}}"));
    if (strncmp(url, "/api/v2/orders/", 15) == 0) {
        char id[32];
        snprintf(id, sizeof(id), "%s", url + 15);
        char *slash = strchr(id, '/');
        if (slash)
            *slash = '\0';
        pthread_mutex_lock(&store->lock);
        store->package_requests++;
        pthread_mutex_unlock(&store->lock);
        return answer(connection, 200, packages_body(id));
    }
    const char *filter = MHD_lookup_connection_value(connection, MHD_GET_ARGUMENT_KIND,
                                                     "fulfillmentStatus");
    const char *page_text = MHD_lookup_connection_value(connection, MHD_GET_ARGUMENT_KIND,
                                                        "page");
    const char *limit_text = MHD_lookup_connection_value(connection, MHD_GET_ARGUMENT_KIND,
                                                         "limit");
    int page = page_text ? atoi(page_text) : 1;
    int limit = limit_text ? atoi(limit_text) : 50;
    note_page_request(store, filter, page);
    if (store->slow_ms && page % 3 == 1)
        sleep_ms(store->slow_ms);
    pthread_mutex_lock(&store->lock);
    store->active--;
    pthread_mutex_unlock(&store->lock);
    if (store->fail_status)
        return answer(connection, store->fail_status, strdup("{\"success\":false}"));
    if (store->malformed_page == page && filter && strcmp(filter, "unfulfilled") == 0)
        return answer(connection, 200, strdup("{\"success\":true,\"orders\":[{"));
    return answer(connection, 200, orders_page(store, filter, page, limit));
}

static void store_start(fake_store *store, int order_count)
{
    memset(store, 0, sizeof(*store));
    pthread_mutex_init(&store->lock, NULL);
    store->order_count = order_count;
    store->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
                                         MHD_USE_THREAD_PER_CONNECTION,
                                     0, NULL, NULL, handle, store, MHD_OPTION_END);
    ck_assert_ptr_nonnull(store->daemon);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(store->daemon,
                                                           MHD_DAEMON_INFO_BIND_PORT);
    snprintf(store->url, sizeof(store->url), "http://127.0.0.1:%u", info->port);
}

static void store_stop(fake_store *store)
{
    MHD_stop_daemon(store->daemon);
    pthread_mutex_destroy(&store->lock);
}

/* ---- the client side ---- */

typedef struct collected {
    fake_store *store;
    int ids[MAX_ORDERS * 2];
    long remaining[MAX_ORDERS * 2];
    int count;
    int fail_at;                /* the callback fails on this order (1-based count); 0 never */
    int decode_threads;         /* 0: the default */
    int stop_after;             /* stop_requested says yes once this many orders came; 0 never */
} collected;

static int stop_after(void *context)
{
    const collected *c = context;
    return c->count >= c->stop_after;
}

static int collect(void *context, const sl_order *order, sl_error *err)
{
    collected *c = context;
    if (c->fail_at && c->count + 1 == c->fail_at)
        return sl_error_set(err, "the writer is full");
    ck_assert_int_lt(c->count, MAX_ORDERS * 2);
    c->ids[c->count] = atoi(order->id + 1);
    ck_assert_uint_eq(order->unit_count, 1);
    ck_assert_int_eq(order->units[0].items_known, 1);
    c->remaining[c->count] = order->units[0].items[0].quantity -
                             order->units[0].items[0].fulfilled_quantity;
    c->count++;
    pthread_mutex_lock(&c->store->lock);
    c->store->handed_on++;
    pthread_mutex_unlock(&c->store->lock);
    return 0;
}

static void client_options(const fake_store *store, const char *token, int concurrency,
                           sl_http_options *options)
{
    sl_http_options_init(options);
    options->base_url = store->url;
    options->token = token;
    options->concurrency = concurrency;
    options->max_attempts = 2;
    options->backoff_base_ms = 10;
    options->jitter_seed = 7;
}

static const sl_order_shipping listings[] = { SL_ORDER_SHIPPING_NONE, SL_ORDER_SHIPPING_PARTIAL };

static int fetch(fake_store *store, collected *c, int window, int in_flight, int limit,
                 const char *token, sl_export_fetch_stats *stats, sl_error *err)
{
    store->window = window;
    store->limit = limit;
    c->store = store;
    sl_http_options http_options;
    client_options(store, token, in_flight, &http_options);
    sl_export_fetch_options options = { .listings = listings,
                                        .listing_count = 2, .page_limit = limit,
                                        .window = window, .in_flight = in_flight,
                                        .decode_threads = c->decode_threads,
                                        .stop_requested = c->stop_after ? stop_after : NULL };
    return sl_export_fetch(&http_options, &options, collect, c, stats, err);
}

/* The ids a correct fetch hands on: unfulfilled ones in order, then partial ones. */
static void expect_stable_order(const collected *c, int order_count)
{
    int at = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 1; i <= order_count; i++)
            if ((i % 3 == 0) == (pass == 1)) {
                ck_assert_int_lt(at, c->count);
                ck_assert_int_eq(c->ids[at], i);
                at++;
            }
    ck_assert_int_eq(at, c->count);
}

START_TEST(orders_come_in_a_stable_order_whatever_order_pages_arrive_in)
{
    fake_store store;
    store_start(&store, 1000);
    store.slow_ms = 40;
    collected *c = calloc(1, sizeof(*c));
    sl_export_fetch_stats stats;
    sl_error err = { "" };
    ck_assert_msg(fetch(&store, c, 8, 4, 20, TOKEN, &stats, &err) == 0, "%s", err.message);
    expect_stable_order(c, 1000);
    ck_assert_uint_eq(stats.orders, 1000);
    ck_assert_int_eq(store.window_violations, 0);
    ck_assert_int_le(store.max_active, 4);
    ck_assert_int_ge(store.max_active, 2);   /* pages were read concurrently */
    /* 667 unfulfilled (34 pages) + 333 partial (17 pages); at most in_flight wasted per
     * listing */
    ck_assert_uint_ge(stats.pages, 51);
    ck_assert_uint_le(stats.pages, 51 + 2 * 4);
    ck_assert_uint_eq(stats.package_reads, 0);
    free(c);
    store_stop(&store);
}
END_TEST

START_TEST(a_window_of_two_still_keeps_the_order)
{
    fake_store store;
    store_start(&store, 300);
    store.slow_ms = 15;
    collected *c = calloc(1, sizeof(*c));
    sl_export_fetch_stats stats;
    sl_error err = { "" };
    ck_assert_msg(fetch(&store, c, 2, 2, 7, TOKEN, &stats, &err) == 0, "%s", err.message);
    expect_stable_order(c, 300);
    ck_assert_int_eq(store.window_violations, 0);
    free(c);
    store_stop(&store);
}
END_TEST

START_TEST(an_empty_store_hands_on_nothing)
{
    fake_store store;
    store_start(&store, 0);
    collected *c = calloc(1, sizeof(*c));
    sl_export_fetch_stats stats;
    sl_error err = { "" };
    ck_assert_msg(fetch(&store, c, 8, 4, 50, TOKEN, &stats, &err) == 0, "%s", err.message);
    ck_assert_int_eq(c->count, 0);
    ck_assert_uint_eq(stats.pages, 2);       /* one page per listing, no read-ahead */
    free(c);
    store_stop(&store);
}
END_TEST

/* A server that ignores fulfillmentStatus lists every order in both listings: each is still
 * handed on once, in its own listing. */
START_TEST(an_ignored_filter_does_not_hand_an_order_on_twice)
{
    fake_store store;
    store_start(&store, 200);
    store.ignore_filter = 1;
    collected *c = calloc(1, sizeof(*c));
    sl_export_fetch_stats stats;
    sl_error err = { "" };
    ck_assert_msg(fetch(&store, c, 4, 4, 50, TOKEN, &stats, &err) == 0, "%s", err.message);
    expect_stable_order(c, 200);
    free(c);
    store_stop(&store);
}
END_TEST

START_TEST(summaries_without_items_get_their_packages_read)
{
    fake_store store;
    store_start(&store, 120);
    store.summaries_without_items = 1;
    store.slow_ms = 10;
    collected *c = calloc(1, sizeof(*c));
    sl_export_fetch_stats stats;
    sl_error err = { "" };
    ck_assert_msg(fetch(&store, c, 4, 4, 25, TOKEN, &stats, &err) == 0, "%s", err.message);
    expect_stable_order(c, 120);
    ck_assert_uint_eq(stats.package_reads, 120);
    ck_assert_int_eq(store.package_requests, 120);
    for (int i = 0; i < c->count; i++)
        ck_assert_int_eq(c->remaining[i], 3);   /* from the packages read, not the summary */
    free(c);
    store_stop(&store);
}
END_TEST

START_TEST(a_wrong_token_fails_with_auth_failed)
{
    fake_store store;
    store_start(&store, 100);
    collected *c = calloc(1, sizeof(*c));
    sl_export_fetch_stats stats;
    sl_error err = { "" };
    ck_assert_int_eq(fetch(&store, c, 4, 4, 50, "wrong", &stats, &err), -1);
    ck_assert_int_eq(stats.auth_failed, 1);
    ck_assert_ptr_nonnull(strstr(err.message, "HTTP 401"));
    ck_assert_ptr_null(strstr(err.message, "wrong"));
    ck_assert_int_eq(c->count, 0);
    free(c);
    store_stop(&store);
}
END_TEST

START_TEST(a_server_error_after_retries_fails)
{
    fake_store store;
    store_start(&store, 100);
    store.fail_status = 503;
    collected *c = calloc(1, sizeof(*c));
    sl_export_fetch_stats stats;
    sl_error err = { "" };
    ck_assert_int_eq(fetch(&store, c, 4, 4, 50, TOKEN, &stats, &err), -1);
    ck_assert_msg(strstr(err.message, "HTTP 503") != NULL, "%s", err.message);
    ck_assert_int_eq(stats.auth_failed, 0);
    free(c);
    store_stop(&store);
}
END_TEST

START_TEST(a_malformed_page_fails_and_stops_handing_on)
{
    fake_store store;
    store_start(&store, 500);
    store.malformed_page = 3;
    collected *c = calloc(1, sizeof(*c));
    sl_export_fetch_stats stats;
    sl_error err = { "" };
    ck_assert_int_eq(fetch(&store, c, 4, 2, 50, TOKEN, &stats, &err), -1);
    ck_assert_msg(strstr(err.message, "page 3") != NULL, "%s", err.message);
    ck_assert_int_le(c->count, 100);            /* nothing past the bad page */
    free(c);
    store_stop(&store);
}
END_TEST

START_TEST(a_failing_callback_stops_the_fetch)
{
    fake_store store;
    store_start(&store, 500);
    collected *c = calloc(1, sizeof(*c));
    c->fail_at = 10;
    sl_export_fetch_stats stats;
    sl_error err = { "" };
    ck_assert_int_eq(fetch(&store, c, 4, 4, 50, TOKEN, &stats, &err), -1);
    ck_assert_msg(strstr(err.message, "the writer is full") != NULL, "%s", err.message);
    ck_assert_int_eq(c->count, 9);
    free(c);
    store_stop(&store);
}
END_TEST

START_TEST(one_or_many_decode_threads_give_the_same_order)
{
    static const int threads[] = { 1, 4, 8 };
    for (size_t t = 0; t < 3; t++) {
        fake_store store;
        store_start(&store, 600);
        store.slow_ms = 5;
        collected *c = calloc(1, sizeof(*c));
        c->decode_threads = threads[t];
        sl_export_fetch_stats stats;
        sl_error err = { "" };
        ck_assert_msg(fetch(&store, c, 6, 6, 10, TOKEN, &stats, &err) == 0, "%s", err.message);
        expect_stable_order(c, 600);
        ck_assert_int_eq(store.window_violations, 0);
        free(c);
        store_stop(&store);
    }
}
END_TEST

START_TEST(a_stop_request_ends_the_fetch_as_a_failure)
{
    fake_store store;
    store_start(&store, 1000);
    store.slow_ms = 10;
    collected *c = calloc(1, sizeof(*c));
    c->stop_after = 100;
    sl_export_fetch_stats stats;
    sl_error err = { "" };
    ck_assert_int_eq(fetch(&store, c, 4, 4, 10, TOKEN, &stats, &err), -1);
    ck_assert_msg(strstr(err.message, "interrupted") != NULL, "%s", err.message);
    ck_assert_int_lt(c->count, 1000);
    free(c);
    store_stop(&store);
}
END_TEST


int main(void)
{
    Suite *suite = suite_create("api_export_fetch");
    TCase *tc = tcase_create("fetch");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, orders_come_in_a_stable_order_whatever_order_pages_arrive_in);
    tcase_add_test(tc, a_window_of_two_still_keeps_the_order);
    tcase_add_test(tc, an_empty_store_hands_on_nothing);
    tcase_add_test(tc, an_ignored_filter_does_not_hand_an_order_on_twice);
    tcase_add_test(tc, summaries_without_items_get_their_packages_read);
    tcase_add_test(tc, a_wrong_token_fails_with_auth_failed);
    tcase_add_test(tc, a_server_error_after_retries_fails);
    tcase_add_test(tc, a_malformed_page_fails_and_stops_handing_on);
    tcase_add_test(tc, a_failing_callback_stops_the_fetch);
    tcase_add_test(tc, one_or_many_decode_threads_give_the_same_order);
    tcase_add_test(tc, a_stop_request_ends_the_fetch_as_a_failure);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
