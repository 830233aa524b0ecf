/* test_engine_platforms.c: the engine's capability branches (docs/architecture.md, "What each
 * capability changes"), against fake platforms: Ecart's table with members taken away or
 * replaced, talking to the in-process fake API (test_fake_api.h). Each test names the branch:
 *  - no bulk endpoint: one create per fulfillment, never a bulk request;
 *  - no read-back: a write whose answer was lost fails, outcome unknown, and is not re-sent;
 *  - client-chosen ids: a lost answer is settled by sending the same id again, and the
 *    platform's "exists already" makes the rows duplicate (one fulfillment, never two);
 *  - lookup by number only: no batched or by-name lookups; one GET per order, a 404 is
 *    order_not_found;
 *  - no packages of its own: a row's package_id is ignored with a warning; payment required:
 *    an unpaid order's rows are order_not_shippable and nothing is sent for them.
 * The lookup, match, plan and submit run exactly as shipload import runs them. */
#include <stdio.h>
#include "test_fake_api.h"
#include "test_match_util.h"
#include "shipload/lookup.h"
#include "shipload/plan.h"
#include "shipload/platform.h"
#include "shipload/submit.h"

#define ITEM(id, sku, quantity) \
    "{'id':'" id "','sku':'" sku "','quantity':" #quantity ",'fulfilledQuantity':0}"
#define ORDER(id, items) \
    "{'id':'" id "','name':'#" id "','fulfillmentStatus':'unfulfilled','packages':[" \
    "{'id':'pk" id "','fulfillmentOrderId':'fo" id "','status':'pending','items':[" items "]}]}"

static const char *const STORE = "["
    ORDER("1", ITEM("li1a", "A", 5) "," ITEM("li1b", "B", 5)) ","
    ORDER("2", ITEM("li2a", "A", 5)) "]";

typedef struct run {
    sl_row rows[8];
    sl_match matches[8];
    size_t count;
    sl_order_index *index;
    sl_plan *plan;
    sl_submit *submit;
} run;

static void add_row(run *r, const char *order, sl_ref_kind kind, const char *sku,
                    const char *tracking)
{
    row_make(&r->rows[r->count], r->count + 1, order, kind, NULL, sku, 1, tracking,
             SL_ACTION_SHIP);
    r->count++;
}

/* Looks up, matches, plans and submits the rows on platform, as the engine does. */
static void send_on(const sl_platform *platform, run *r, fake_api *api, size_t batch_size)
{
    sl_error err = { "" };
    sl_http *http = fake_client(api, 4, 3);
    r->index = sl_order_index_new();
    sl_lookup_stats lookup_stats;
    sl_lookup_options lookup_options = { platform, 0, NULL };
    ck_assert_int_eq(sl_lookup_orders(http, r->index, r->rows, r->count, &lookup_options,
                                      &lookup_stats, &err), 0);
    sl_order_index_require_payment(r->index, platform->caps.requires_payment);
    sl_match_options match_options = { .on_conflict = SL_ON_CONFLICT_SKIP,
                                       .ignore_package_refs = !platform->caps.has_units };
    ck_assert_int_eq(sl_match_rows(r->index, r->rows, r->count, &match_options, r->matches,
                                   NULL, &err), 0);
    sl_plan_options plan_options = { .batch_size = batch_size };
    r->plan = sl_plan_build(r->rows, r->matches, r->count, &plan_options, &err);
    ck_assert_ptr_nonnull(r->plan);
    sl_submit_options submit_options = { platform, 4, 3, NULL, 0, NULL };
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
    rows_clear(r->rows, r->count);
    sl_order_index_free(r->index);
}

/* "POST /api/v2/orders/1/fulfillments..." → "1" (the order of a single create). */
static void order_of_create(const char *path, char *order, size_t cap)
{
    snprintf(order, cap, "?");
    sscanf(path, "/api/v2/orders/%31[^/]/fulfillments", order);
    (void)cap;
}

/* ---------------------------------------------------------------- no bulk endpoint */

static char *single_creates(fake_api *api, const char *method, const char *path,
                            const char *body, int number, int *status)
{
    (void)api; (void)method; (void)body;
    char order[32], answer[160];
    order_of_create(path, order, sizeof(order));
    *status = 201;
    snprintf(answer, sizeof(answer),
             "{\"success\":true,\"fulfillment\":{\"id\":\"ful_%s_%d\"}}", order, number);
    return strdup(answer);
}

START_TEST(no_bulk_endpoint_sends_one_create_per_fulfillment)
{
    sl_platform no_bulk = *sl_platform_default();
    no_bulk.create_bulk = NULL;
    no_bulk.decode_bulk = NULL;
    no_bulk.caps.bulk_max = 0;
    fake_api *api = fake_api_start(STORE);
    api->on_write = single_creates;
    run r = { 0 };
    add_row(&r, "1", SL_REF_ID, "A", "T1");
    add_row(&r, "1", SL_REF_ID, "B", "T2");     /* other tracking: a second fulfillment */
    add_row(&r, "2", SL_REF_ID, "A", "T3");
    send_on(&no_bulk, &r, api, 1);
    ck_assert_int_eq(fake_count(api, "POST", "/api/v2/orders/1/packages/fulfillments"), 0);
    ck_assert_int_eq(fake_count(api, "POST", "/api/v2/orders/1/fulfillments"), 2);
    ck_assert_int_eq(fake_count(api, "POST", "/api/v2/orders/2/fulfillments"), 1);
    for (size_t i = 0; i < r.count; i++) {
        ck_assert_int_eq(r.rows[i].status, SL_STATUS_SHIPPED);
        ck_assert_ptr_nonnull(r.rows[i].fulfillment_id);
        ck_assert_int_eq(r.rows[i].http_status, 201);
    }
    ck_assert_str_ne(r.rows[0].fulfillment_id, r.rows[1].fulfillment_id);
    /* the encoder refuses to put two creates in one request on this platform */
    sl_platform_request refused;
    sl_error err = { "" };
    size_t both[] = { 0, 1 };
    if (sl_plan_fulfillment_count(r.plan) >= 2)
        ck_assert_int_eq(sl_plan_encode(r.plan, &no_bulk, SL_PLAN_CREATE, both, 2, &refused,
                                        &err), -1);
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

/* ---------------------------------------------------------------- no read-back */

/* Every write lands but its answer is lost (500 after the body was sent). */
static char *lost_answers(fake_api *api, const char *method, const char *path,
                          const char *body, int number, int *status)
{
    (void)api; (void)method; (void)path; (void)body; (void)number;
    *status = 500;
    return strdup("{\"success\":false,\"error\":{\"code\":\"internalError\"}}");
}

START_TEST(no_read_back_fails_a_lost_answer_and_never_resends)
{
    sl_platform blind = *sl_platform_default();
    blind.read_fulfillments = NULL;
    blind.decode_fulfillments_into = NULL;
    fake_api *api = fake_api_start(STORE);
    api->on_write = lost_answers;
    run r = { 0 };
    add_row(&r, "1", SL_REF_ID, "A", "T1");
    send_on(&blind, &r, api, 50);
    ck_assert_int_eq(fake_count(api, "POST", "/api/v2/orders/1/"), 1);     /* never re-sent */
    ck_assert_int_eq(fake_count(api, "GET", "/api/v2/orders/1/fulfillments"), 0);
    ck_assert_int_eq(r.rows[0].status, SL_STATUS_FAILED);
    ck_assert_int_eq(r.rows[0].code, SL_CODE_SERVER_ERROR);
    ck_assert_msg(contains(r.rows[0].message, "outcome unknown") &&
                  contains(r.rows[0].message, "cannot read fulfillments back"),
                  "%s", r.rows[0].message);
    ck_assert_uint_eq(sl_submit_get_stats(r.submit)->unresolved, 1);
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

/* ---------------------------------------------------------------- client-chosen ids */

/* The id of a shipment: "sl-" and its tracking numbers (a stand-in for OrderProtection's
 * hash: derived from what is shipped, the same for a resend). */
static int choose_id(const sl_shipment *shipment, char *out, size_t cap)
{
    int n = snprintf(out, cap, "sl-%s", shipment->tracking_count ? shipment->tracking_numbers[0]
                                                                  : "none");
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* A single create that carries the chosen id in its path's query. */
static int create_with_id(const sl_shipment *shipment, sl_platform_request *out, sl_error *err)
{
    if (sl_platform_default()->create(shipment, out, err) != 0)
        return -1;
    char *path = NULL;
    if (asprintf(&path, "%s?fid=%s", out->path, shipment->fulfillment_id) < 0)
        return sl_error_set(err, "out of memory");
    free(out->path);
    out->path = path;
    return 0;
}

/* 409: a fulfillment with that id exists already. */
static void map_existing(long http_status, const char *body, size_t len, sl_platform_error *out)
{
    sl_platform_default()->error_map(http_status, body, len, out);
    out->already_exists = http_status == 409;
}

/* The first create lands but its answer is lost; the resend of the same id is refused 409. */
static char *lands_then_exists(fake_api *api, const char *method, const char *path,
                               const char *body, int number, int *status)
{
    (void)api; (void)method; (void)path; (void)body;
    *status = number == 1 ? 500 : 409;
    return strdup(number == 1 ? "{\"success\":false}"
                              : "{\"success\":false,\"error\":{\"code\":\"exists\"}}");
}

START_TEST(client_chosen_ids_resend_the_same_id_and_end_duplicate)
{
    sl_platform chosen = *sl_platform_default();
    chosen.create_bulk = NULL;
    chosen.decode_bulk = NULL;
    chosen.caps.bulk_max = 0;
    chosen.read_fulfillments = NULL;
    chosen.decode_fulfillments_into = NULL;
    chosen.create = create_with_id;
    chosen.choose_fulfillment_id = choose_id;
    chosen.error_map = map_existing;
    fake_api *api = fake_api_start(STORE);
    api->on_write = lands_then_exists;
    run r = { 0 };
    add_row(&r, "2", SL_REF_ID, "A", "T9");
    send_on(&chosen, &r, api, 1);
    ck_assert_int_eq(fake_count(api, "POST", "/api/v2/orders/2/fulfillments?fid=sl-T9"), 2);
    ck_assert_int_eq(fake_count(api, "POST", "/api/v2/orders/2/"), 2);
    ck_assert_int_eq(r.rows[0].status, SL_STATUS_DUPLICATE);
    ck_assert_str_eq(r.rows[0].fulfillment_id, "sl-T9");
    ck_assert_uint_eq(sl_submit_get_stats(r.submit)->resent, 1);
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

/* ---------------------------------------------------------------- lookup by number only */

static int by_number(const char *number, sl_platform_request *out, sl_error *err)
{
    memset(out, 0, sizeof(*out));
    out->method = SL_HTTP_GET;
    out->label = "GET /num/{number}";
    if (asprintf(&out->path, "/num/%s", number) < 0)
        return sl_error_set(err, "out of memory");
    return 0;
}

/* GET /num/N: the order of that number ({"success", "order"}) or 404; writes: bulk success. */
static char *number_store(fake_api *api, const char *method, const char *path,
                          const char *body, int number, int *status)
{
    (void)body; (void)number;
    if (strcmp(method, "GET") == 0 && strncmp(path, "/num/", 5) == 0) {
        size_t i;
        json_t *order;
        json_array_foreach(api->store, i, order)
            if (fake_order_has_name(order, path + 5)) {
                json_t *answer = json_pack("{s:b,s:O}", "success", 1, "order", order);
                char *text = json_dumps(answer, 0);
                json_decref(answer);
                *status = 200;
                return text;
            }
        *status = 404;
        return strdup("{\"success\":false,\"error\":{\"code\":\"orderNotFound\"}}");
    }
    *status = 200;
    return strdup("{\"success\":true,\"results\":[{\"index\":0,\"success\":true,"
                  "\"fulfillment\":{\"id\":\"ful_n\"}}]}");
}

START_TEST(lookup_by_number_only_reads_one_order_per_reference)
{
    sl_platform numbers = *sl_platform_default();
    numbers.lookup_ids = NULL;
    numbers.caps.lookup_ids_max = 0;
    numbers.lookup_name = NULL;
    numbers.order_by_number = by_number;
    fake_api *api = fake_api_start(STORE);
    api->on_write = number_store;
    run r = { 0 };
    add_row(&r, "#1", SL_REF_NAME, "A", "T1");
    add_row(&r, "2", SL_REF_ID, "A", "T2");
    add_row(&r, "#9", SL_REF_NAME, "A", "T3");
    send_on(&numbers, &r, api, 50);
    ck_assert_int_eq(fake_count(api, "GET", "/api/v2/orders?"), 0);   /* no batch, no filter */
    ck_assert_int_eq(fake_count(api, "GET", "/num/1"), 1);
    ck_assert_int_eq(fake_count(api, "GET", "/num/9"), 1);
    ck_assert_int_eq(fake_count(api, "GET", "/api/v2/orders/2"), 1);
    ck_assert_int_eq(r.rows[0].status, SL_STATUS_SHIPPED);
    ck_assert_str_eq(r.rows[0].order_id, "1");
    ck_assert_msg(r.rows[1].status == SL_STATUS_SHIPPED, "%s %s", sl_status_name(r.rows[1].status), r.rows[1].message);
    ck_assert_int_eq(r.rows[2].status, SL_STATUS_UNMATCHED);
    ck_assert_int_eq(r.rows[2].code, SL_CODE_ORDER_NOT_FOUND);
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

/* ---------------------------------------------------------------- no packages, payment */

static const char *const PAYING_STORE = "["
    "{'id':'7','name':'#7','status':'pending','fulfillmentStatus':'unfulfilled','packages':["
    "{'id':'pk7','status':'pending','items':[" ITEM("li7", "A", 2) "]}]},"
    "{'id':'8','name':'#8','status':'paid','fulfillmentStatus':'unfulfilled','packages':["
    "{'id':'pk8','status':'pending','items':[" ITEM("li8", "A", 2) "]}]}]";

static char *bulk_success(fake_api *api, const char *method, const char *path,
                          const char *body, int number, int *status)
{
    (void)api; (void)method; (void)path; (void)body; (void)number;
    *status = 200;
    return strdup("{\"success\":true,\"results\":[{\"index\":0,\"success\":true,"
                  "\"fulfillment\":{\"id\":\"ful_8\"}}]}");
}

START_TEST(no_units_ignores_package_ids_and_unpaid_orders_do_not_ship)
{
    sl_platform direct = *sl_platform_default();
    direct.caps.has_units = 0;
    direct.caps.requires_payment = 1;
    fake_api *api = fake_api_start(PAYING_STORE);
    api->on_write = bulk_success;
    run r = { 0 };
    add_row(&r, "7", SL_REF_ID, "A", "T7");
    row_make(&r.rows[r.count], r.count + 1, "8", SL_REF_ID, "no-such-package", "A", 1, "T8",
             SL_ACTION_SHIP);
    r.count++;
    send_on(&direct, &r, api, 50);
    ck_assert_int_eq(r.rows[0].status, SL_STATUS_UNMATCHED);
    ck_assert_int_eq(r.rows[0].code, SL_CODE_ORDER_NOT_SHIPPABLE);
    ck_assert_msg(contains(r.rows[0].message, "not paid"), "%s", r.rows[0].message);
    ck_assert_msg(r.rows[1].status == SL_STATUS_SHIPPED, "%s", r.rows[1].message);
    ck_assert_msg(sl_row_warning(&r.rows[1]) &&
                  contains(sl_row_warning(&r.rows[1]), "package_id no-such-package ignored"), "%s",
                  sl_row_warning(&r.rows[1]) ? sl_row_warning(&r.rows[1]) : "(no warning)");
    ck_assert_int_eq(fake_count(api, "POST", "/api/v2/orders/7/"), 0);
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

static Suite *platforms_suite(void)
{
    Suite *suite = suite_create("engine_platforms");
    TCase *branches = tcase_create("capabilities");
    tcase_set_timeout(branches, 60);
    tcase_add_test(branches, no_bulk_endpoint_sends_one_create_per_fulfillment);
    tcase_add_test(branches, no_read_back_fails_a_lost_answer_and_never_resends);
    tcase_add_test(branches, client_chosen_ids_resend_the_same_id_and_end_duplicate);
    tcase_add_test(branches, lookup_by_number_only_reads_one_order_per_reference);
    tcase_add_test(branches, no_units_ignores_package_ids_and_unpaid_orders_do_not_ship);
    suite_add_tcase(suite, branches);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(platforms_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
