/* test_plan_scale.c: the benchmark's shape without the network: 100,000 rows over 40,000 orders
 * looked up by id in batches of 50, matched and planned (sl_plan_build_taking: 40,000 groups grow
 * the groups' and the orders' tables many times over). Checks that every row is planned once,
 * in its order's one fulfillment, that
 * the lookups stay at one request per 50 orders with no further read, and (without
 * sanitizers) that the whole stays well under the 200 MB budget. */
#include <sys/resource.h>
#include <time.h>
#include "test_match_util.h"
#include "shipload/plan.h"

enum { ORDERS = 40000, ROWS = 100000 };

/* Order o: one package with SKUs A, B, C (quantity 2 each); id "o<o>", name "#<o>". */
static char *orders_json(size_t first, size_t count)
{
    size_t cap = count * 1400 + 64, used = 0;
    char *json = malloc(cap);
    used += (size_t)snprintf(json + used, cap - used, "{\"success\":true,\"orders\":[");
    for (size_t o = first; o < first + count; o++)
        used += (size_t)snprintf(json + used, cap - used,
            "%s{\"id\":\"o%zu\",\"name\":\"#%zu\",\"status\":\"paid\","
            "\"fulfillmentStatus\":\"unfulfilled\",\"shippingAddress\":{\"firstName\":\"Ana\","
            "\"lastName\":\"Ruiz\",\"city\":\"Monterrey\",\"address1\":\"Vasconcelos 1400\","
            "\"postalCode\":\"66236\",\"email\":\"ana@example.com\"},"
            "\"dates\":{\"updatedAt\":\"2026-11-21T10:00:00Z\"},\"shippingMethod\":\"Standard\","
            "\"items\":[{\"id\":\"a\",\"sku\":\"A\",\"quantity\":2,\"name\":\"T-shirt\"},"
            "{\"id\":\"b\",\"sku\":\"B\",\"quantity\":2,\"name\":\"Cap\"},"
            "{\"id\":\"c\",\"sku\":\"C\",\"quantity\":2,\"name\":\"Socks\"}],"
            "\"packages\":[{\"id\":\"p%zu\","
            "\"fulfillmentOrderId\":\"fo%zu\",\"status\":\"pending\",\"items\":["
            "{\"id\":\"a%zu\",\"sku\":\"A\",\"quantity\":2,\"fulfilledQuantity\":0},"
            "{\"id\":\"b%zu\",\"sku\":\"B\",\"quantity\":2,\"fulfilledQuantity\":0},"
            "{\"id\":\"c%zu\",\"sku\":\"C\",\"quantity\":2,\"fulfilledQuantity\":0}]}]}",
            o > first ? "," : "", o, o, o, o, o, o, o);
    snprintf(json + used, cap - used, "]}");
    return json;
}

START_TEST(hundred_thousand_rows)
{
    static const char *const skus[] = { "A", "B", "C" };
    clock_t started = clock();
    sl_row *rows = calloc(ROWS, sizeof(*rows));
    sl_match *matches = calloc(ROWS, sizeof(*matches));
    for (size_t r = 0; r < ROWS; r++) {
        /* 2 or 3 rows per order, spread so that an order's rows are not adjacent */
        size_t order = r % ORDERS;
        char ref[24], tracking[32];
        snprintf(ref, sizeof(ref), "o%zu", order);
        snprintf(tracking, sizeof(tracking), "1Z%08zu", order);
        row_make(&rows[r], r + 1, ref, SL_REF_ID, NULL, skus[r / ORDERS], 1, tracking,
                 SL_ACTION_SHIP);
    }
    sl_order_index *index = sl_order_index_new();
    sl_error err = { "" };
    ck_assert_int_eq(sl_order_index_add_rows(index, rows, ROWS, &err), 0);
    const char **ids = NULL;
    size_t id_count = 0, id_requests = 0;
    ck_assert_int_eq(sl_order_index_ids_to_fetch(index, &ids, &id_count, &err), 0);
    ck_assert_uint_eq(id_count, ORDERS);
    for (size_t first = 0; first < id_count; first += SL_ECART_MAX_IDS) {
        size_t count = id_count - first < SL_ECART_MAX_IDS ? id_count - first : SL_ECART_MAX_IDS;
        char *body = orders_json(first, count);     /* ids were registered in order */
        sl_order **orders = NULL;
        size_t order_count = 0;
        int next_page = 0;
        ck_assert_int_eq(sl_ecart_decode_orders(body, strlen(body), &orders, &order_count,
                                                &next_page, &err), 0);
        free(body);
        ck_assert_int_eq(sl_order_index_add_id_answer(index, ids + first, count, orders,
                                                      order_count, &err), 0);
        id_requests++;
    }
    free(ids);
    const char **names = NULL;
    size_t name_count = 9;
    ck_assert_int_eq(sl_order_index_names_to_fetch(index, &names, &name_count, &err), 0);
    ck_assert_uint_eq(name_count, 0);
    sl_order **needing = NULL;
    size_t needing_count = 9;
    ck_assert_int_eq(sl_order_index_orders_needing_packages(index, rows, ROWS, &needing,
                                                            &needing_count, &err), 0);
    ck_assert_uint_eq(needing_count, 0);
    ck_assert_int_eq(sl_order_index_orders_needing_fulfillments(index, rows, ROWS, &needing,
                                                                &needing_count, &err), 0);
    ck_assert_uint_eq(needing_count, 0);

    sl_match_counts counts = { 0 };
    ck_assert_int_eq(sl_match_rows(index, rows, ROWS, NULL, matches, &counts, &err), 0);
    ck_assert_uint_eq(counts.create, ROWS);
    sl_plan_options options = { .batch_size = 50, .default_notify = -1 };
    sl_plan *plan = sl_plan_build_taking(rows, matches, ROWS, &options, &err);
    matches = NULL;     /* freed by the plan */
    ck_assert_ptr_nonnull(plan);
    ck_assert_uint_eq(sl_plan_fulfillment_count(plan), ORDERS);    /* one per order */
    ck_assert_uint_eq(sl_plan_request_count(plan), ORDERS);        /* one bulk per order */
    size_t planned_rows = 0;
    unsigned char *seen = calloc(ROWS, 1);
    for (size_t f = 0; f < sl_plan_fulfillment_count(plan); f++) {
        const sl_planned_fulfillment *planned = sl_plan_fulfillment(plan, f);
        const uint32_t *row_indexes = sl_planned_rows(plan, planned);
        ck_assert_uint_eq(planned->row_count, row_indexes[0] < ROWS % ORDERS ? 3 : 2);
        for (size_t i = 0; i < planned->row_count; i++) {
            ck_assert_uint_eq(row_indexes[i] % ORDERS, row_indexes[0]);
            ck_assert(!seen[row_indexes[i]]);
            seen[row_indexes[i]] = 1;
        }
        ck_assert_uint_eq(sl_plan_request(plan, planned->request)->sequence, 0);
        planned_rows += planned->row_count;
    }
    free(seen);
    ck_assert_uint_eq(planned_rows, ROWS);
    double requests_per_order = (double)(id_requests + sl_plan_request_count(plan)) / ORDERS;
    ck_assert(requests_per_order <= 2.1);

    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    double seconds = (double)(clock() - started) / CLOCKS_PER_SEC;
    fprintf(stderr, "scale: %d rows, %d orders: %.3f requests/order, %.2f s CPU, "
            "peak RSS %ld MB\n", ROWS, ORDERS, requests_per_order, seconds,
            usage.ru_maxrss / 1024);
#if !defined(__SANITIZE_ADDRESS__)
    ck_assert_int_lt(usage.ru_maxrss / 1024, 200);
#endif
    sl_plan_free(plan);
    sl_order_index_free(index);
    rows_clear(rows, ROWS);
    free(rows);
    free(matches);
}
END_TEST

static Suite *scale_suite(void)
{
    Suite *suite = suite_create("plan_scale");
    TCase *scale = tcase_create("scale");
    tcase_add_test(scale, hundred_thousand_rows);
    tcase_set_timeout(scale, 120);
    suite_add_tcase(suite, scale);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(scale_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
