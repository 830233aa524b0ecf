/* test_plan_submit.c: sending a plan (submit.h) against a fake API in the process: bulk results
 * mapped by index to their rows (id, HTTP status, the API's code as a row code); a write whose
 * answer was lost is read back and only what did not land is sent again; a malformed 2xx is
 * read back but never re-sent; a 401 stops everything; the requests of one order never overlap
 * while different orders go concurrently; a whole-request refusal fails every row it carried; an
 * order keeps the fulfillment ids it took while a read-back may still need them, and only
 * then. As in an import, the rows of one planned fulfillment share one kept copy of its id
 * (sl_plan_options.keep_id). */
#include <signal.h>
#include "test_fake_api.h"
#include "test_match_util.h"
#include "engine/submit_internal.h"
#include "shipload/lookup.h"
#include "shipload/outcome.h"
#include "shipload/plan.h"
#include "shipload/submit.h"

#define ITEM(id, sku, quantity) \
    "{'id':'" id "','sku':'" sku "','quantity':" #quantity ",'fulfilledQuantity':0}"
#define ORDER(id, items) \
    "{'id':'" id "','name':'#" id "','fulfillmentStatus':'unfulfilled','packages':[" \
    "{'id':'pk" id "','fulfillmentOrderId':'fo" id "','status':'pending','items':[" items "]}]}"

static const char *const STORE = "["
    ORDER("1", ITEM("li1a", "A", 5) "," ITEM("li1b", "B", 5) "," ITEM("li1c", "C", 5)) ","
    ORDER("2", ITEM("li2a", "A", 5)) "," ORDER("3", ITEM("li3a", "A", 5)) ","
    ORDER("4", ITEM("li4a", "A", 5)) "]";

typedef struct run {
    sl_row rows[16];
    sl_match matches[16];
    size_t count;
    char **kept_ids;            /* the ids settled onto the rows, kept as an import's set does */
    size_t kept_count;
    sl_order_index *index;
    sl_plan *plan;
    sl_submit *submit;
    long read_back_delay_ms;
} run;

static void add_row(run *r, const char *order, const char *sku, long quantity,
                    const char *tracking)
{
    row_make(&r->rows[r->count], r->count + 1, order, SL_REF_ID, NULL, sku, quantity, tracking,
             SL_ACTION_SHIP);
    r->count++;
}

/* The run's copy of a settled fulfillment id, which its rows share (freed by run_clear). */
static char *keep_id(const char *fulfillment_id, void *data)
{
    run *r = data;
    char **grown = realloc(r->kept_ids, (r->kept_count + 1) * sizeof(*grown));
    ck_assert_ptr_nonnull(grown);
    r->kept_ids = grown;
    return r->kept_ids[r->kept_count++] = strdup(fulfillment_id);
}

/* Looks up, matches, plans (batch_size) and submits the rows through api. */
static void send_rows(run *r, fake_api *api, size_t batch_size, size_t active_orders,
                      int concurrency)
{
    sl_error err = { "" };
    sl_http *http = fake_client(api, concurrency, 3);
    r->index = sl_order_index_new();
    sl_lookup_stats lookup_stats;
    ck_assert_int_eq(sl_lookup_orders(http, r->index, r->rows, r->count, NULL, &lookup_stats,
                                      &err), 0);
    sl_match_options match_options = { .on_conflict = SL_ON_CONFLICT_SKIP };
    ck_assert_int_eq(sl_match_rows(r->index, r->rows, r->count, &match_options, r->matches,
                                   NULL, &err), 0);
    sl_plan_options plan_options = { .batch_size = batch_size, .keep_id = keep_id,
                                     .keep_id_data = r };
    r->plan = sl_plan_build(r->rows, r->matches, r->count, &plan_options, &err);
    ck_assert_ptr_nonnull(r->plan);
    sl_submit_options submit_options = { NULL, active_orders, 3, NULL, r->read_back_delay_ms,
                                         NULL };
    r->submit = sl_submit_new(r->plan, r->rows, &submit_options, &err);
    ck_assert_ptr_nonnull(r->submit);
    ck_assert_int_eq(sl_submit_run(r->submit, http, &err), 0);
    sl_submit_finish(r->submit);
    sl_http_free(http);
}

static void run_clear(run *r)
{
    sl_submit_free(r->submit);
    sl_plan_free(r->plan);
    rows_clear(r->rows, r->count);     /* frees no kept id */
    sl_order_index_free(r->index);
    for (size_t k = 0; k < r->kept_count; k++)
        free(r->kept_ids[k]);
    free(r->kept_ids);
}

static int entries_in(const char *body)
{
    int n = 0;
    for (const char *p = body; (p = strstr(p, "\"fulfillmentOrderId\"")); p++)
        n++;
    return n;
}

/* ---------------------------------------------------------------- bulk results by index */

static char *partial_bulk(fake_api *api, const char *method, const char *path, const char *body,
                          int number, int *status)
{
    (void)api; (void)method; (void)path; (void)body; (void)number;
    *status = 207;
    return fake_sq("{'success':true,'results':["
                   "{'index':0,'success':true,'fulfillment':{'id':'ful_A'}},"
                   "{'index':1,'success':false,'error':{'code':'quantityExceedsRemaining',"
                   "'message':'only 5 left'}},"
                   "{'index':2,'success':false,'error':{'code':'somethingNew','message':'no'}}]}");
}

START_TEST(bulk_results_map_to_their_rows)
{
    fake_api *api = fake_api_start(STORE);
    api->on_write = partial_bulk;
    run r = { 0 };
    add_row(&r, "1", "A", 1, "T1");
    add_row(&r, "1", "B", 1, "T2");
    add_row(&r, "1", "C", 1, "T3");
    send_rows(&r, api, 50, 4, 4);
    ck_assert_int_eq(fake_count(api, "POST", "/api/v2/orders/1/packages/fulfillments"), 1);
    ck_assert_int_eq(r.rows[0].status, SL_STATUS_SHIPPED);
    ck_assert_str_eq(r.rows[0].fulfillment_id, "ful_A");
    ck_assert_int_eq(r.rows[0].http_status, 207);
    ck_assert_int_eq(r.rows[1].status, SL_STATUS_REJECTED);
    ck_assert_int_eq(r.rows[1].code, SL_CODE_QUANTITY_EXCEEDS_REMAINING);
    ck_assert_msg(contains(r.rows[1].message, "quantityExceedsRemaining"), "%s", r.rows[1].message);
    ck_assert_int_eq(r.rows[1].http_status, 207);
    ck_assert_int_eq(r.rows[2].status, SL_STATUS_REJECTED);
    ck_assert_int_eq(r.rows[2].code, SL_CODE_API_REJECTED);
    ck_assert_msg(contains(r.rows[2].message, "somethingNew"), "%s", r.rows[2].message);
    const sl_submit_stats *stats = sl_submit_get_stats(r.submit);
    ck_assert_uint_eq(stats->fulfillments_ok, 1);
    ck_assert_uint_eq(stats->fulfillments_failed, 2);
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

/* The rows of one planned fulfillment point at one kept copy of the id the store gave it. */
static char *ships_one(fake_api *api, const char *method, const char *path, const char *body,
                       int number, int *status)
{
    (void)api; (void)method; (void)path; (void)body; (void)number;
    *status = 200;
    return fake_sq("{'success':true,'results':[{'index':0,'success':true,"
                   "'fulfillment':{'id':'ful_AB'}},{'index':1,'success':true,"
                   "'fulfillment':{'id':'ful_C'}}]}");
}

START_TEST(rows_of_one_fulfillment_share_its_id)
{
    fake_api *api = fake_api_start(STORE);
    api->on_write = ships_one;
    run r = { 0 };
    add_row(&r, "1", "A", 1, "T1");
    add_row(&r, "1", "B", 1, "T1");     /* same tracking: the same fulfillment */
    add_row(&r, "1", "C", 1, "T2");
    send_rows(&r, api, 50, 4, 4);
    ck_assert_int_eq(r.rows[0].status, SL_STATUS_SHIPPED);
    ck_assert_int_eq(r.rows[2].status, SL_STATUS_SHIPPED);
    ck_assert_uint_eq(r.kept_count, 2);
    ck_assert_ptr_eq(r.rows[0].fulfillment_id, r.kept_ids[0]);
    ck_assert_ptr_eq(r.rows[1].fulfillment_id, r.kept_ids[0]);
    ck_assert_str_eq(r.rows[1].fulfillment_id, "ful_AB");
    ck_assert_ptr_eq(r.rows[2].fulfillment_id, r.kept_ids[1]);
    ck_assert_str_eq(r.rows[2].fulfillment_id, "ful_C");
    for (size_t i = 0; i < 3; i++)
        ck_assert(r.rows[i].shared & SL_ROW_SHARED_FULFILLMENT);
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

/* ---------------------------------------------------------------- unknown outcome */

/* First bulk: T1's entry lands, T2's does not, and the answer is a 500. Then: a normal 200. */
static char *lost_answer(fake_api *api, const char *method, const char *path, const char *body,
                         int number, int *status)
{
    (void)method; (void)path; (void)number;
    if (entries_in(body) == 2) {
        fake_add_fulfillment(api, "1", "{'id':'ful_landed','fulfillmentOrderId':'fo1',"
                                       "'tracking':{'numbers':['T1']},'status':'shipped',"
                                       "'items':[{'id':'li1a','quantity':1}]}");
        *status = 500;
        return NULL;
    }
    *status = 200;
    return fake_sq("{'success':true,'results':[{'index':0,'success':true,"
                   "'fulfillment':{'id':'ful_resent'}}]}");
}

START_TEST(lost_answer_is_read_back_and_only_the_rest_resent)
{
    fake_api *api = fake_api_start(STORE);
    api->on_write = lost_answer;
    run r = { 0 };
    add_row(&r, "1", "A", 1, "T1");
    add_row(&r, "1", "B", 1, "T2");
    send_rows(&r, api, 50, 4, 4);
    ck_assert_int_eq(fake_count(api, "POST", "/api/v2/orders/1/packages/fulfillments"), 2);
    ck_assert_int_eq(fake_count(api, "GET", "/api/v2/orders/1/fulfillments"), 1);
    int last_post = -1;
    for (int i = 0; i < api->count; i++)
        if (strcmp(api->method[i], "POST") == 0)
            last_post = i;
    ck_assert_int_eq(entries_in(api->body[last_post]), 1);
    ck_assert(contains(api->body[last_post], "T2"));
    ck_assert(!contains(api->body[last_post], "T1"));
    ck_assert_int_eq(r.rows[0].status, SL_STATUS_SHIPPED);
    ck_assert_str_eq(r.rows[0].fulfillment_id, "ful_landed");
    ck_assert_int_eq(r.rows[1].status, SL_STATUS_SHIPPED);
    ck_assert_str_eq(r.rows[1].fulfillment_id, "ful_resent");
    const sl_submit_stats *stats = sl_submit_get_stats(r.submit);
    ck_assert_uint_eq(stats->unknown_outcomes, 1);
    ck_assert_uint_eq(stats->landed, 1);
    ck_assert_uint_eq(stats->resent, 1);
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

/* The first write to order 1 lands but its answer is a 500; every other write succeeds. */
static char *lost_first_of_order_1(fake_api *api, const char *method, const char *path,
                                   const char *body, int number, int *status)
{
    int *lost = api->data;
    (void)method; (void)body; (void)number;
    if (strstr(path, "/orders/1/") && !*lost) {
        *lost = 1;
        fake_add_fulfillment(api, "1", "{'id':'ful_late','fulfillmentOrderId':'fo1',"
                                       "'tracking':{'numbers':['T1']},'status':'shipped',"
                                       "'items':[{'id':'li1a','quantity':1}]}");
        *status = 500;
        return NULL;
    }
    *status = 200;
    return fake_sq("{'success':true,'results':[{'index':0,'success':true,"
                   "'fulfillment':{'id':'ful_ok'}}]}");
}

static int request_index(const fake_api *api, const char *method, const char *path, int last)
{
    int found = -1;
    for (int i = 0; i < api->count; i++)
        if (strcmp(api->method[i], method) == 0 && strncmp(api->path[i], path, strlen(path)) == 0) {
            found = i;
            if (!last)
                break;
        }
    return found;
}

/* The read-back waits read_back_delay_ms (a server may still be applying the write) on the
 * client's timer: the other order's requests go on meanwhile, and the landed write is found. */
START_TEST(read_back_waits_without_holding_other_orders)
{
    fake_api *api = fake_api_start(STORE);
    int lost = 0;
    api->data = &lost;
    api->on_write = lost_first_of_order_1;
    run r = { 0 };
    r.read_back_delay_ms = 500;
    add_row(&r, "1", "A", 1, "T1");
    add_row(&r, "2", "A", 1, "T2");
    add_row(&r, "2", "A", 1, "T3");
    add_row(&r, "2", "A", 1, "T4");
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    send_rows(&r, api, 1, 4, 4);    /* batch size 1: order 2 sends three requests in turn */
    clock_gettime(CLOCK_MONOTONIC, &end);
    long elapsed_ms = (end.tv_sec - start.tv_sec) * 1000 + (end.tv_nsec - start.tv_nsec) / 1000000;
    ck_assert_msg(elapsed_ms >= 500, "the read-back came after %ld ms", elapsed_ms);
    ck_assert_int_eq(fake_count(api, "POST", "/api/v2/orders/2/"), 3);
    ck_assert_int_eq(fake_count(api, "POST", "/api/v2/orders/1/"), 1);   /* landed: not re-sent */
    int read_back = request_index(api, "GET", "/api/v2/orders/1/fulfillments", 0);
    ck_assert_int_ge(read_back, 0);
    ck_assert_int_gt(read_back, request_index(api, "POST", "/api/v2/orders/2/", 1));
    ck_assert_int_eq(r.rows[0].status, SL_STATUS_SHIPPED);
    ck_assert_str_eq(r.rows[0].fulfillment_id, "ful_late");
    for (int i = 1; i < 4; i++)
        ck_assert_int_eq(r.rows[i].status, SL_STATUS_SHIPPED);
    ck_assert_uint_eq(sl_submit_get_stats(r.submit)->landed, 1);
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

static char *malformed_ok(fake_api *api, const char *method, const char *path, const char *body,
                          int number, int *status)
{
    (void)api; (void)method; (void)path; (void)body; (void)number;
    *status = 200;
    return strdup("{\"success\":true,\"results\":\"garbage\"");
}

START_TEST(malformed_answer_is_read_back_never_resent)
{
    fake_api *api = fake_api_start(STORE);
    api->on_write = malformed_ok;
    run r = { 0 };
    add_row(&r, "2", "A", 1, "T1");
    send_rows(&r, api, 50, 4, 4);
    ck_assert_int_eq(fake_count(api, "POST", "/api/v2/orders/2/packages/fulfillments"), 1);
    ck_assert_int_eq(fake_count(api, "GET", "/api/v2/orders/2/fulfillments"), 1);
    ck_assert_int_eq(r.rows[0].status, SL_STATUS_FAILED);
    ck_assert_int_eq(r.rows[0].code, SL_CODE_SERVER_ERROR);
    ck_assert_msg(contains(r.rows[0].message, "malformed"), "%s", r.rows[0].message);
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

/* ---------------------------------------------------------------- 401 */

static char *deny_writes(fake_api *api, const char *method, const char *path, const char *body,
                         int number, int *status)
{
    (void)api; (void)method; (void)path; (void)body; (void)number;
    *status = 401;
    return NULL;
}

START_TEST(unauthorized_write_stops_the_run)
{
    fake_api *api = fake_api_start(STORE);
    api->on_write = deny_writes;
    run r = { 0 };
    add_row(&r, "1", "A", 1, "T1");
    add_row(&r, "2", "A", 1, "T2");
    add_row(&r, "3", "A", 1, "T3");
    add_row(&r, "4", "A", 1, "T4");
    send_rows(&r, api, 50, 1, 1);
    ck_assert_int_eq(fake_count(api, "POST", "/"), 1);
    ck_assert_int_eq(sl_submit_get_stats(r.submit)->auth_failed, 1);
    ck_assert_int_eq(r.rows[0].status, SL_STATUS_FAILED);
    ck_assert_int_eq(r.rows[0].code, SL_CODE_AUTH_FAILED);
    for (int i = 1; i < 4; i++)
        ck_assert_int_eq(r.rows[i].status, SL_STATUS_PENDING);   /* the caller: not_attempted */
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

/* ---------------------------------------------------------------- ordering */

typedef struct overlap {
    int per_order[8];
    int max_per_order;
} overlap;

static char *slow_ok(fake_api *api, const char *method, const char *path, const char *body,
                     int number, int *status)
{
    (void)method; (void)body; (void)number;
    overlap *seen = api->data;
    int order = path[15] - '0';
    seen->per_order[order]++;
    if (seen->per_order[order] > seen->max_per_order)
        seen->max_per_order = seen->per_order[order];
    pthread_mutex_unlock(&api->lock);
    fake_sleep_ms(30);
    pthread_mutex_lock(&api->lock);
    seen->per_order[order]--;
    *status = 200;
    return fake_sq("{'success':true,'results':[{'index':0,'success':true,"
                   "'fulfillment':{'id':'ful'}}]}");
}

START_TEST(one_order_in_sequence_orders_concurrently)
{
    fake_api *api = fake_api_start(STORE);
    overlap seen = { { 0 }, 0 };
    api->data = &seen;
    api->on_write = slow_ok;
    run r = { 0 };
    add_row(&r, "1", "A", 1, "T1");
    add_row(&r, "1", "B", 1, "T2");
    add_row(&r, "1", "C", 1, "T3");
    add_row(&r, "2", "A", 1, "T4");
    add_row(&r, "3", "A", 1, "T5");
    add_row(&r, "4", "A", 1, "T6");
    send_rows(&r, api, 1, 8, 8);
    ck_assert_int_eq(fake_count(api, "POST", "/api/v2/orders/1/"), 3);
    ck_assert_int_eq(fake_count(api, "POST", "/"), 6);
    ck_assert_int_eq(seen.max_per_order, 1);
    ck_assert_int_ge(api->max_active, 3);
    for (size_t i = 0; i < r.count; i++)
        ck_assert_int_eq(r.rows[i].status, SL_STATUS_SHIPPED);
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

static char *canceled_order(fake_api *api, const char *method, const char *path,
                            const char *body, int number, int *status)
{
    (void)api; (void)method; (void)path; (void)body; (void)number;
    *status = 422;
    return fake_sq("{'success':false,'error':{'code':'orderCanceled','message':'canceled'}}");
}

START_TEST(whole_request_refusal_fails_every_row)
{
    fake_api *api = fake_api_start(STORE);
    api->on_write = canceled_order;
    run r = { 0 };
    add_row(&r, "1", "A", 1, "T1");
    add_row(&r, "1", "B", 1, "T2");
    send_rows(&r, api, 50, 4, 4);
    ck_assert_int_eq(fake_count(api, "POST", "/"), 1);
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(r.rows[i].status, SL_STATUS_REJECTED);
        ck_assert_int_eq(r.rows[i].code, SL_CODE_ORDER_CANCELED);
        ck_assert_int_eq(r.rows[i].http_status, 422);
    }
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

/* ---------------------------------------------------------------- a stop with a write in doubt */

static volatile sig_atomic_t stop_requested;

/* The "signal" arrives while a write is in flight (the API lock held), and its answer is a 500
 * that comes after the client noticed the stop. */
static char *stop_then_fail(fake_api *api, int *status)
{
    stop_requested = 1;
    pthread_mutex_unlock(&api->lock);
    fake_sleep_ms(400);
    pthread_mutex_lock(&api->lock);
    *status = 500;
    return NULL;
}

/* Order 1's bulk lands, the "signal" arrives while it is in flight, and its answer is a 500. */
static char *lands_then_stops(fake_api *api, const char *method, const char *path,
                              const char *body, int number, int *status)
{
    (void)method; (void)body; (void)number;
    ck_assert(contains(path, "/orders/1/"));
    fake_add_fulfillment(api, "1", "{'id':'ful_parked','fulfillmentOrderId':'fo1',"
                                   "'tracking':{'numbers':['T1']},'status':'shipped',"
                                   "'items':[{'id':'li1a','quantity':1}]}");
    return stop_then_fail(api, status);
}

/* Looks up, matches, plans (batch_size) and submits the rows one order at a time on a
 * client that stops when stop_requested is set (the API's on_write sets it): the run must end
 * stopped, with a write in doubt parked. */
static void send_until_stopped(run *r, fake_api *api, size_t batch_size)
{
    stop_requested = 0;
    sl_error err = { "" };
    sl_http_options options;
    sl_http_options_init(&options);
    options.base_url = api->url;
    options.token = "T";
    options.concurrency = 1;
    options.stop_flag = &stop_requested;
    options.stop_grace_ms = 3000;
    sl_http *http = sl_http_new(&options, &err);
    ck_assert_ptr_nonnull(http);
    r->index = sl_order_index_new();
    sl_lookup_stats lookup_stats;
    ck_assert_int_eq(sl_lookup_orders(http, r->index, r->rows, r->count, NULL, &lookup_stats,
                                      &err), 0);
    sl_match_options match_options = { .on_conflict = SL_ON_CONFLICT_SKIP };
    ck_assert_int_eq(sl_match_rows(r->index, r->rows, r->count, &match_options, r->matches,
                                   NULL, &err), 0);
    sl_plan_options plan_options = { .batch_size = batch_size, .keep_id = keep_id,
                                     .keep_id_data = r };
    r->plan = sl_plan_build(r->rows, r->matches, r->count, &plan_options, &err);
    ck_assert_ptr_nonnull(r->plan);
    sl_submit_options submit_options = { NULL, 1, 3, NULL, 0, NULL };
    r->submit = sl_submit_new(r->plan, r->rows, &submit_options, &err);
    ck_assert_int_eq(sl_submit_run(r->submit, http, &err), 0);
    ck_assert(sl_http_stopping(http));
    ck_assert(sl_submit_has_parked(r->submit));
    sl_http_free(http);
}

/* After the stop, on a fresh client: the parked doubts read back and settled, nothing
 * written. */
static void reconcile_without_writes(run *r, fake_api *api)
{
    sl_error err = { "" };
    api->on_write = NULL;   /* nothing may be written from here on */
    sl_http *http = fake_client(api, 2, 2);
    int posts = fake_count(api, "POST", "/");
    ck_assert_int_eq(sl_submit_reconcile(r->submit, http, &err), 0);
    sl_submit_finish(r->submit);
    sl_http_free(http);
    ck_assert_int_eq(fake_count(api, "POST", "/"), posts);
}

/* The chain of order_id (the run's orders have one each). */
static const chain *chain_of(const run *r, const char *order_id)
{
    for (size_t i = 0; i < r->submit->chain_count; i++)
        if (strcmp(sl_submit_chain_order(r->submit, &r->submit->chains[i]), order_id) == 0)
            return &r->submit->chains[i];
    ck_abort_msg("no chain for order %s", order_id);
    return NULL;
}

START_TEST(stop_parks_the_doubt_and_reconcile_settles_it)
{
    fake_api *api = fake_api_start(STORE);
    api->on_write = lands_then_stops;
    run r = { 0 };
    add_row(&r, "1", "A", 1, "T1");
    add_row(&r, "2", "A", 1, "T2");
    send_until_stopped(&r, api, 50);
    ck_assert_int_eq(r.rows[0].status, SL_STATUS_PENDING);
    reconcile_without_writes(&r, api);
    ck_assert_int_eq(fake_count(api, "GET", "/api/v2/orders/1/fulfillments"), 1);
    ck_assert_int_eq(r.rows[0].status, SL_STATUS_SHIPPED);
    ck_assert_str_eq(r.rows[0].fulfillment_id, "ful_parked");
    ck_assert_int_eq(r.rows[1].status, SL_STATUS_PENDING);     /* never sent: not_attempted */
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

/* Order 1's first write succeeds; its second lands, the "signal" arrives while it is in
 * flight, and its answer is a 500. */
static char *first_ships_second_stops(fake_api *api, const char *method, const char *path,
                                      const char *body, int number, int *status)
{
    int *writes = api->data;
    (void)method; (void)number;
    ck_assert(contains(path, "/orders/1/"));
    if ((*writes)++ == 0) {
        ck_assert(contains(body, "T1"));
        fake_add_fulfillment(api, "1", "{'id':'ful_first','fulfillmentOrderId':'fo1',"
                                       "'tracking':{'numbers':['T1']},'status':'shipped',"
                                       "'items':[{'id':'li1a','quantity':1}]}");
        *status = 200;
        return fake_sq("{'success':true,'results':[{'index':0,'success':true,"
                       "'fulfillment':{'id':'ful_first'}}]}");
    }
    ck_assert(contains(body, "T2"));
    fake_add_fulfillment(api, "1", "{'id':'ful_second','fulfillmentOrderId':'fo1',"
                                   "'tracking':{'numbers':['T2']},'status':'shipped',"
                                   "'items':[{'id':'li1b','quantity':1}]}");
    return stop_then_fail(api, status);
}

/* Every write succeeds. */
static char *ships(fake_api *api, const char *method, const char *path, const char *body,
                   int number, int *status)
{
    (void)api; (void)method; (void)path; (void)body; (void)number;
    *status = 200;
    return fake_sq("{'success':true,'results':[{'index':0,'success':true,"
                   "'fulfillment':{'id':'ful'}}]}");
}

/* A parked order keeps the fulfillments it took before the stop (its read-back must not
 * attribute them again); an order done for good lets go of them. */
START_TEST(parked_order_keeps_what_it_took_until_settled)
{
    fake_api *api = fake_api_start(STORE);
    int writes = 0;
    api->data = &writes;
    api->on_write = first_ships_second_stops;
    run r = { 0 };
    add_row(&r, "1", "A", 1, "T1");
    add_row(&r, "1", "B", 1, "T2");
    send_until_stopped(&r, api, 1);
    const chain *order_1 = chain_of(&r, "1");
    ck_assert(order_1->parked);
    ck_assert_ptr_nonnull(order_1->reconciling);
    ck_assert_uint_eq(order_1->reconciling->taken_count, 1);
    ck_assert_str_eq(order_1->reconciling->taken[0], "ful_first");
    ck_assert_int_eq(r.rows[0].status, SL_STATUS_SHIPPED);
    ck_assert_int_eq(r.rows[1].status, SL_STATUS_PENDING);
    reconcile_without_writes(&r, api);
    ck_assert_int_eq(r.rows[1].status, SL_STATUS_SHIPPED);
    ck_assert_str_eq(r.rows[1].fulfillment_id, "ful_second");
    ck_assert(order_1->finished && !order_1->parked);
    ck_assert_ptr_null(order_1->reconciling);
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

/* Every order that finished holds none of the fulfillment ids it took, nor any other
 * reconciliation state. */
START_TEST(finished_orders_let_go_of_their_fulfillment_ids)
{
    fake_api *api = fake_api_start(STORE);
    api->on_write = ships;
    run r = { 0 };
    add_row(&r, "1", "A", 1, "T1");
    add_row(&r, "1", "B", 1, "T2");
    add_row(&r, "2", "A", 1, "T3");
    add_row(&r, "3", "A", 1, "T4");
    send_rows(&r, api, 1, 2, 2);
    for (size_t i = 0; i < r.count; i++)
        ck_assert_int_eq(r.rows[i].status, SL_STATUS_SHIPPED);
    ck_assert_uint_eq(r.submit->chain_count, 3);
    for (size_t i = 0; i < r.submit->chain_count; i++) {
        ck_assert(r.submit->chains[i].finished);
        ck_assert_ptr_null(r.submit->chains[i].reconciling);
    }
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

/* ---------------------------------------------------------------- the API goes away */

START_TEST(api_that_stops_answering_stops_the_run)
{
    enum { ORDERS = 60 };
    char *store = malloc(ORDERS * 300 + 16);
    size_t len = (size_t)sprintf(store, "[");
    for (int i = 1; i <= ORDERS; i++)
        len += (size_t)sprintf(store + len, "%s{'id':'%d','name':'#%d','fulfillmentStatus':"
                               "'unfulfilled','packages':[{'id':'pk%d','fulfillmentOrderId':"
                               "'fo%d','status':'pending','items':[{'id':'li%d','sku':'A',"
                               "'quantity':1,'fulfilledQuantity':0}]}]}",
                               i > 1 ? "," : "", i, i, i, i, i);
    sprintf(store + len, "]");
    fake_api *api = fake_api_start(store);
    api->drop_from = 2;     /* the two id lookups are answered, then nothing is */
    static run r;
    memset(&r, 0, sizeof(r));
    for (int i = 1; i <= 16 && r.count < 16; i++) {
        char id[8], tracking[8];
        snprintf(id, sizeof(id), "%d", i);
        snprintf(tracking, sizeof(tracking), "T%d", i);
        add_row(&r, id, NULL, 0, tracking);
    }
    send_rows(&r, api, 50, 2, 2);
    const sl_submit_stats *stats = sl_submit_get_stats(r.submit);
    ck_assert_int_eq(stats->unreachable, 1);
    size_t failed = 0, pending = 0;
    for (size_t i = 0; i < r.count; i++) {
        failed += r.rows[i].status == SL_STATUS_FAILED;
        pending += r.rows[i].status == SL_STATUS_PENDING;
    }
    ck_assert_uint_gt(failed, 0);
    ck_assert_uint_eq(failed + pending, r.count);
    run_clear(&r);
    fake_api_stop(api);
    free(store);
}
END_TEST

START_TEST(api_codes_map_to_row_codes)
{
    ck_assert_int_eq(sl_ecart_row_code("orderCanceled"), SL_CODE_ORDER_CANCELED);
    ck_assert_int_eq(sl_ecart_row_code("itemNotInPackage"), SL_CODE_ITEM_NOT_FOUND);
    ck_assert_int_eq(sl_ecart_row_code("packageNotFound"), SL_CODE_PACKAGE_NOT_FOUND);
    ck_assert_int_eq(sl_ecart_row_code("fulfillmentOrderIdMissing"), SL_CODE_API_REJECTED);
    ck_assert_int_eq(sl_ecart_row_code(NULL), SL_CODE_API_REJECTED);
}
END_TEST

static Suite *submit_suite(void)
{
    Suite *suite = suite_create("plan_submit");
    TCase *tc = tcase_create("submit");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, bulk_results_map_to_their_rows);
    tcase_add_test(tc, rows_of_one_fulfillment_share_its_id);
    tcase_add_test(tc, lost_answer_is_read_back_and_only_the_rest_resent);
    tcase_add_test(tc, read_back_waits_without_holding_other_orders);
    tcase_add_test(tc, malformed_answer_is_read_back_never_resent);
    tcase_add_test(tc, unauthorized_write_stops_the_run);
    tcase_add_test(tc, one_order_in_sequence_orders_concurrently);
    tcase_add_test(tc, whole_request_refusal_fails_every_row);
    tcase_add_test(tc, stop_parks_the_doubt_and_reconcile_settles_it);
    tcase_add_test(tc, parked_order_keeps_what_it_took_until_settled);
    tcase_add_test(tc, finished_orders_let_go_of_their_fulfillment_ids);
    tcase_add_test(tc, api_that_stops_answering_stops_the_run);
    tcase_add_test(tc, api_codes_map_to_row_codes);
    suite_add_tcase(suite, tc);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(submit_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? 1 : 0;
}
