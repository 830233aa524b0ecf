/* test_plan_reconcile.c: after a write with an unknown outcome, which planned fulfillments
 * landed (same package and tracking set, items agreeing when listed; an update carrying the
 * numbers; a cancel canceled) and which must be sent again; fulfillments already accounted
 * for are never attributed twice; a read-back without fulfillments is refused. */
#include "test_match_util.h"
#include "shipload/plan.h"

#define ITEM(id, sku, quantity, fulfilled) \
    "{'id':'" id "','sku':'" sku "','quantity':" #quantity ",'fulfilledQuantity':" #fulfilled "}"
#define FUL(id, package, numbers, status, items) \
    "{'id':'" id "','fulfillmentOrderId':'" package "','tracking':{'numbers':[" numbers "]}," \
    "'status':'" status "','items':[" items "]}"

static const char *const STORE = "["
    "{'id':'1','name':'#1001','fulfillmentStatus':'unfulfilled','packages':["
    " {'id':'p1','fulfillmentOrderId':'fo1','status':'pending','items':["
    ITEM("li1", "A", 9, 0) "," ITEM("li2", "B", 9, 0) "]}]},"
    "{'id':'3','name':'#1003','fulfillmentStatus':'fulfilled','packages':["
    " {'id':'p5','fulfillmentOrderId':'fo5','status':'shipped','items':[" ITEM("li5", "A", 1, 1) "]},"
    " {'id':'p6','fulfillmentOrderId':'fo6','status':'shipped','items':[" ITEM("li6", "A", 1, 1) "]}],"
    " 'allFulfillments':[" FUL("f5", "fo5", "'T5'", "shipped", "") ","
    FUL("f6", "fo6", "'T6'", "shipped", "") "]}"
    "]";

typedef struct run {
    sl_row rows[8];
    sl_match matches[8];
    size_t count;
    sl_order_index *index;
    sl_plan *plan;
} run;

/* Plans: F0 A×1 with T1, F1 the rest of fo1 with T1, F2 B×2 with T2;T3 (order #1001);
 * F3 the PUT of f5 to T5;T7, F4 the cancel of f6 (order #1003). */
static run *planned(void)
{
    run *r = calloc(1, sizeof(*r));
    row_make(&r->rows[0], 1, "#1001", SL_REF_NAME, NULL, "A", 1, "T1", SL_ACTION_SHIP);
    row_make(&r->rows[1], 2, "#1001", SL_REF_NAME, NULL, "B", 2, "T3;T2", SL_ACTION_SHIP);
    row_make(&r->rows[2], 3, "#1001", SL_REF_NAME, NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    row_make(&r->rows[3], 4, "#1003", SL_REF_NAME, NULL, NULL, 0, "T5;T7", SL_ACTION_UPDATE);
    row_make(&r->rows[4], 5, "#1003", SL_REF_NAME, NULL, NULL, 0, "T6", SL_ACTION_CANCEL);
    r->count = 5;
    fake_store store = { .orders_sq = STORE };
    r->index = match_against(&store, r->rows, r->count, SL_ON_CONFLICT_SKIP, r->matches);
    sl_error err = { "" };
    r->plan = sl_plan_build(r->rows, r->matches, r->count, NULL, &err);
    ck_assert_ptr_nonnull(r->plan);
    ck_assert_uint_eq(sl_plan_fulfillment_count(r->plan), 5);
    /* the layout the tests below rely on */
    ck_assert_uint_eq(sl_plan_fulfillment(r->plan, 0)->item_count, 1);    /* A */
    ck_assert_uint_eq(sl_plan_fulfillment(r->plan, 1)->item_count, 1);    /* B */
    ck_assert_uint_eq(sl_plan_fulfillment(r->plan, 2)->item_count, 0);    /* the rest */
    ck_assert_int_eq(sl_plan_fulfillment(r->plan, 3)->kind, SL_PLAN_UPDATE);
    ck_assert_int_eq(sl_plan_fulfillment(r->plan, 4)->kind, SL_PLAN_CANCEL);
    return r;
}

static void run_free(run *r)
{
    sl_plan_free(r->plan);
    rows_clear(r->rows, r->count);
    sl_order_index_free(r->index);
    free(r);
}

static sl_order *read_back(const char *id, const char *fulfillments)
{
    size_t len = strlen(fulfillments) + 128;
    char *order = malloc(len);
    snprintf(order, len, "{'id':'%s','fulfillments':[%s]}", id, fulfillments);
    sl_order *read = order_from(order);
    free(order);
    ck_assert_int_eq(read->fulfillments_known, 1);
    return read;
}

static void reconcile(run *r, const sl_order *order, const size_t *which, size_t count,
                      const char *const *taken, size_t taken_count, const char **landed)
{
    sl_error err = { "" };
    int rc = sl_plan_reconcile(r->plan, which, count, order, taken, taken_count, landed, &err);
    if (rc)
        fprintf(stderr, "%s\n", err.message);
    ck_assert_int_eq(rc, 0);
}

START_TEST(creates_that_landed_are_found)
{
    run *r = planned();
    sl_order *order = read_back("1",
        FUL("n1", "fo1", "'T1'", "shipped", "{'id':'li1','quantity':1}") ","
        FUL("nx", "fo1", "'T2','T3'", "canceled", "{'id':'li2','quantity':2}") ","
        FUL("n2", "fo1", "'t1'", "shipped", "{'id':'li1','quantity':8},{'id':'li2','quantity':9}"));
    const size_t which[] = { 0, 1, 2 };
    const char *landed[3];
    reconcile(r, order, which, 3, NULL, 0, landed);
    ck_assert_str_eq(landed[0], "n1");
    ck_assert_ptr_null(landed[1]);          /* only a canceled one carried T2;T3: re-send */
    ck_assert_str_eq(landed[2], "n2");
    sl_order_free(order);
    run_free(r);
}
END_TEST

START_TEST(items_must_agree_when_listed)
{
    run *r = planned();
    /* only the whole-package entry landed; the partial of A did not, though the numbers and
     * package agree */
    sl_order *order = read_back("1",
        FUL("n2", "fo1", "'T1'", "shipped", "{'id':'li1','quantity':9},{'id':'li2','quantity':9}")
        "," FUL("n3", "fo1", "'T2','T3'", "shipped", "{'id':'li2','quantity':1}"));
    const size_t which[] = { 2, 0, 1 };
    const char *landed[3];
    reconcile(r, order, which, 3, NULL, 0, landed);
    ck_assert_str_eq(landed[0], "n2");
    ck_assert_ptr_null(landed[1]);
    ck_assert_ptr_null(landed[2]);          /* B×1 is not the planned B×2 */
    sl_order_free(order);

    /* a store that lists no items cannot disagree; other numbers or packages never match */
    order = read_back("1",
        FUL("n4", "fo1", "'T3','T2'", "shipped", "") ","
        FUL("n5", "fo9", "'T1'", "shipped", "") ","
        FUL("n6", "fo1", "'T1','T9'", "shipped", ""));
    reconcile(r, order, which, 3, NULL, 0, landed);
    ck_assert_ptr_null(landed[0]);
    ck_assert_ptr_null(landed[1]);
    ck_assert_str_eq(landed[2], "n4");
    sl_order_free(order);
    run_free(r);
}
END_TEST

START_TEST(accounted_fulfillments_are_not_attributed_twice)
{
    run *r = planned();
    /* one fulfillment with T1 and no items: the partial takes it first, the rest is re-sent */
    sl_order *order = read_back("1", FUL("n7", "fo1", "'T1'", "shipped", ""));
    const size_t which[] = { 0, 2 };
    const char *landed[2];
    reconcile(r, order, which, 2, NULL, 0, landed);
    ck_assert_str_eq(landed[0], "n7");
    ck_assert_ptr_null(landed[1]);
    /* known to come from elsewhere: neither may claim it */
    const char *taken[] = { "n7" };
    reconcile(r, order, which, 2, taken, 1, landed);
    ck_assert_ptr_null(landed[0]);
    ck_assert_ptr_null(landed[1]);
    sl_order_free(order);
    run_free(r);
}
END_TEST

START_TEST(updates_and_cancels)
{
    run *r = planned();
    const size_t which[] = { 3, 4 };
    const char *landed[2];
    const char *taken[] = { "f5", "f6" };       /* taken or not, they name their fulfillment */
    sl_order *order = read_back("3",
        FUL("f5", "fo5", "'T5','T7'", "shipped", "") "," FUL("f6", "fo6", "'T6'", "canceled", ""));
    reconcile(r, order, which, 2, taken, 2, landed);
    ck_assert_str_eq(landed[0], "f5");
    ck_assert_str_eq(landed[1], "f6");
    sl_order_free(order);
    order = read_back("3",
        FUL("f5", "fo5", "'T5'", "shipped", "") "," FUL("f6", "fo6", "'T6'", "shipped", ""));
    reconcile(r, order, which, 2, NULL, 0, landed);
    ck_assert_ptr_null(landed[0]);
    ck_assert_ptr_null(landed[1]);
    sl_order_free(order);
    run_free(r);
}
END_TEST

START_TEST(read_back_must_hold_fulfillments)
{
    run *r = planned();
    sl_order *order = order_from("{'id':'1'}");
    const size_t which[] = { 0 };
    const char *landed[1] = { "x" };
    sl_error err = { "" };
    ck_assert_int_eq(sl_plan_reconcile(r->plan, which, 1, order, NULL, 0, landed, &err), -1);
    ck_assert(contains(err.message, "without its fulfillments"));
    ck_assert_ptr_null(landed[0]);
    order->fulfillments_known = 1;
    const size_t bad[] = { 99 };
    ck_assert_int_eq(sl_plan_reconcile(r->plan, bad, 1, order, NULL, 0, landed, &err), -1);
    ck_assert_int_eq(sl_plan_reconcile(r->plan, which, 1, order, NULL, 0, landed, &err), 0);
    ck_assert_ptr_null(landed[0]);
    sl_order_free(order);
    run_free(r);
}
END_TEST

static Suite *reconcile_suite(void)
{
    Suite *suite = suite_create("plan_reconcile");
    TCase *cases = tcase_create("reconcile");
    tcase_add_test(cases, creates_that_landed_are_found);
    tcase_add_test(cases, items_must_agree_when_listed);
    tcase_add_test(cases, accounted_fulfillments_are_not_attributed_twice);
    tcase_add_test(cases, updates_and_cancels);
    tcase_add_test(cases, read_back_must_hold_fulfillments);
    suite_add_tcase(suite, cases);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(reconcile_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
