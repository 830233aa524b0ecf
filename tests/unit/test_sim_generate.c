/* test_sim_generate.c: --generate: the same count and seed give the same store byte for byte,
 * another seed another store; the shapes promised (1-3 packages, 1-4 items, canceled, shipped,
 * partially shipped and fulfillmentOrderId-requiring orders); UPS numbers with a right check
 * digit; and the generated document loads with consistent derived statuses. */
#include <stdlib.h>
#include "generate.h"
#include "test_sim_util.h"

static char *generated_text(long count, uint64_t seed)
{
    json_t *document = sim_generate_store(count, seed);
    ck_assert_ptr_nonnull(document);
    char *text = json_dumps(document, JSON_COMPACT);
    json_decref(document);
    return text;
}

START_TEST(deterministic)
{
    char *a = generated_text(200, 7), *b = generated_text(200, 7), *c = generated_text(200, 8);
    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
    free(a);
    free(b);
    free(c);
}
END_TEST

START_TEST(ups_check_digit)
{
    /* numbers from samples/ (their check digits were verified by hand) */
    ck_assert_int_eq(sim_ups_check_digit("8W2A47032611001"), 6);
    ck_assert_int_eq(sim_ups_check_digit("8W2A47032611031"), 0);
    ck_assert_int_eq(sim_ups_check_digit("8W2A47032611032"), 9);
    ck_assert_int_eq(sim_ups_check_digit("8W2A47032611007"), 0);
}
END_TEST

START_TEST(shapes_and_load)
{
    json_t *document = sim_generate_store(1000, 42);
    json_t *orders = json_object_get(document, "orders");
    size_t canceled = 0, shipped = 0, partial = 0, requires = 0;
    ck_assert_uint_eq(json_array_size(orders), 1000);
    for (size_t i = 0; i < json_array_size(orders); i++) {
        json_t *order = json_array_get(orders, i);
        json_t *packages = json_object_get(order, "packages");
        ck_assert(json_array_size(packages) >= 1 && json_array_size(packages) <= 3);
        for (size_t k = 0; k < json_array_size(packages); k++) {
            size_t items = json_array_size(json_object_get(json_array_get(packages, k), "items"));
            ck_assert(items >= 1 && items <= 4);
        }
        const char *status = json_string_value(json_object_get(json_object_get(order, "status"),
                                                               "ecartapi"));
        const char *state = json_string_value(
            json_object_get(json_object_get(order, "fulfillmentStatus"), "ecartapi"));
        canceled += strcmp(status, "canceled") == 0;
        shipped += strcmp(state, "fulfilled") == 0;
        partial += strcmp(state, "partial") == 0;
        requires += json_is_true(json_object_get(order, "requiresFulfillmentOrderId"));
        ck_assert(json_object_get(json_object_get(order, "shippingAddress"), "postalCode"));
        json_t *fulfillments = json_object_get(order, "fulfillments");
        for (size_t f = 0; f < json_array_size(fulfillments); f++) {
            const char *number = json_string_value(json_object_get(
                json_object_get(json_array_get(fulfillments, f), "tracking"), "number"));
            ck_assert_uint_eq(strlen(number), 18);
            ck_assert_int_eq(number[17] - '0', sim_ups_check_digit(number + 2));
        }
    }
    ck_assert_msg(canceled >= 10 && canceled <= 60, "canceled %zu", canceled);
    ck_assert_msg(shipped >= 20 && shipped <= 90, "shipped %zu", shipped);
    ck_assert_msg(partial >= 5, "partial %zu", partial);
    ck_assert_msg(requires >= 50 && requires <= 150, "requires %zu", requires);
    char err[300];
    sim_store *store = sim_store_from_json(document, err, sizeof(err));
    ck_assert_msg(store != NULL, "%s", err);
    /* the loader derives the same fulfillmentStatus the generator wrote */
    json_t *dumped = sim_store_dump(store);
    json_t *again = json_object_get(dumped, "orders");
    for (size_t i = 0; i < json_array_size(orders); i++)
        ck_assert(json_equal(json_object_get(json_array_get(orders, i), "fulfillmentStatus"),
                             json_object_get(json_array_get(again, i), "fulfillmentStatus")));
    ck_assert_ptr_nonnull(sim_store_order_by_name(store, "#100001"));
    for (size_t i = 0; i < store->order_count; i++)     /* generated names are unique */
        ck_assert_ptr_null(store->orders[i]->next_same_name);
    ck_assert_ptr_nonnull(sim_store_order_by_id(store, "8000000100001"));
    ck_assert_ptr_nonnull(sim_store_package_by_id(store, "pk_100001_1"));
    json_decref(dumped);
    sim_store_free(store);
    json_decref(document);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("sim_generate");
    TCase *tc = tcase_create("generate");
    tcase_add_test(tc, deterministic);
    tcase_add_test(tc, ups_check_digit);
    tcase_add_test(tc, shapes_and_load);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
