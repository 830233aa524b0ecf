/* test_plan_submit_answers.c: every write's answer is decoded and checked (issue 19). A cancel
 * or update answered HTTP 200 with "success": false is rejected with the API's code, not
 * reported canceled/updated; one answered 200 with a body that does not decode, or without its
 * "fulfillment" member, is an unknown outcome: the order is read back (and the write never
 * re-sent), so it is canceled only when the read-back shows it landed. */
#include <signal.h>
#include "test_fake_api.h"
#include "test_match_util.h"
#include "shipload/lookup.h"
#include "shipload/outcome.h"
#include "shipload/plan.h"
#include "shipload/submit.h"

#define FUL(id, package, numbers, status) \
    "{'id':'" id "','fulfillmentOrderId':'" package "','tracking':{'numbers':[" numbers "]}," \
    "'status':'" status "','items':[]}"

static const char *const STORE = "["
    "{'id':'3','name':'#1003','fulfillmentStatus':'fulfilled','packages':["
    " {'id':'p5','fulfillmentOrderId':'fo5','status':'shipped','items':["
    "  {'id':'li5','sku':'A','quantity':1,'fulfilledQuantity':1}]},"
    " {'id':'p6','fulfillmentOrderId':'fo6','status':'shipped','items':["
    "  {'id':'li6','sku':'A','quantity':1,'fulfilledQuantity':1}]}],"
    " 'allFulfillments':[" FUL("f5", "fo5", "'T5'", "shipped") "," FUL("f6", "fo6", "'T6'", "shipped")
    "]}]";

typedef struct run {
    sl_row rows[4];
    sl_match matches[4];
    size_t count;
    sl_order_index *index;
    sl_plan *plan;
    sl_submit *submit;
} run;

/* A cancel of T6 and an update of T5 (to T5;T7), sent through api. */
static void send_cancel_and_update(run *r, fake_api *api)
{
    row_make(&r->rows[0], 1, "3", SL_REF_ID, NULL, NULL, 0, "T6", SL_ACTION_CANCEL);
    row_make(&r->rows[1], 2, "3", SL_REF_ID, NULL, NULL, 0, "T5;T7", SL_ACTION_UPDATE);
    r->count = 2;
    sl_error err = { "" };
    sl_http *http = fake_client(api, 2, 3);
    r->index = sl_order_index_new();
    sl_lookup_stats lookup_stats;
    ck_assert_int_eq(sl_lookup_orders(http, r->index, r->rows, r->count, NULL, &lookup_stats,
                                      &err), 0);
    sl_match_options match_options = { SL_ON_CONFLICT_SKIP };
    ck_assert_int_eq(sl_match_rows(r->index, r->rows, r->count, &match_options, r->matches,
                                   NULL, &err), 0);
    r->plan = sl_plan_build(r->rows, r->matches, r->count, NULL, &err);
    ck_assert_ptr_nonnull(r->plan);
    sl_submit_options submit_options = { NULL, 4, 3, NULL, 0, NULL };
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

static char *refused_on_200(fake_api *api, const char *method, const char *path,
                            const char *body, int number, int *status)
{
    (void)api; (void)method; (void)path; (void)body; (void)number;
    *status = 200;
    return fake_sq("{'success':false,'error':{'code':'fulfillmentNotCancelable',"
                   "'message':'already delivered'}}");
}

START_TEST(success_false_on_200_is_rejected)
{
    fake_api *api = fake_api_start(STORE);
    api->on_write = refused_on_200;
    run r = { 0 };
    send_cancel_and_update(&r, api);
    for (size_t i = 0; i < 2; i++) {
        ck_assert_msg(r.rows[i].status == SL_STATUS_REJECTED, "row %zu: %s", i + 1,
                      sl_status_name(r.rows[i].status));
        ck_assert_msg(contains(r.rows[i].message, "fulfillmentNotCancelable"), "%s",
                      r.rows[i].message);
    }
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

static char *undecodable_on_200(fake_api *api, const char *method, const char *path,
                                const char *body, int number, int *status)
{
    (void)api; (void)method; (void)body; (void)number;
    *status = 200;
    if (strstr(path, "/cancel"))
        return strdup("{\"success\":true,\"fulfillment\":");   /* cut short */
    return strdup("{\"success\":true}");                        /* no fulfillment member */
}

START_TEST(undecodable_answer_is_read_back)
{
    fake_api *api = fake_api_start(STORE);
    api->on_write = undecodable_on_200;
    run r = { 0 };
    send_cancel_and_update(&r, api);
    /* the read-back shows neither change landed (the fake applies nothing): not a success */
    for (size_t i = 0; i < 2; i++)
        ck_assert_msg(!sl_status_is_success(r.rows[i].status), "row %zu: %s (%s)", i + 1,
                      sl_status_name(r.rows[i].status), r.rows[i].message);
    ck_assert_int_ge(fake_count(api, "GET", "/api/v2/orders/3/fulfillments"), 1);
    ck_assert_int_eq(fake_count(api, "POST", "/api/v2/orders/3/fulfillments/f6/cancel"), 1);
    run_clear(&r);
    fake_api_stop(api);
}
END_TEST

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    Suite *suite = suite_create("engine_submit_answers");
    TCase *tc = tcase_create("answers");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, success_false_on_200_is_rejected);
    tcase_add_test(tc, undecodable_answer_is_read_back);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
