/* test_sim_store.c: the simulator's business rules (store_rules.c, store.c, store_load.c):
 * remaining quantities, package and order status transitions, every refusal code, bulk with
 * partial failure, cancel restoring quantities, update, reset, the dump/load round trip, orders
 * sharing a name, and concurrent writes on one package never overselling. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include "test_sim_util.h"

#define TRACK "\"tracking\":{\"number\":\"1Z8W2A470326110016\",\"company\":\"UPS\"}"

START_TEST(partial_then_complete)
{
    sim_store *store = test_store_new();
    ck_assert_int_eq(test_order_state(store, "o1"), SIM_FS_UNFULFILLED);
    ck_assert_int_eq(test_create(store, "o1", "{\"fulfillmentOrderId\":\"f1\"," TRACK
                                              ",\"items\":[{\"id\":\"a\",\"quantity\":2}]}"),
                     SIM_OK);
    ck_assert_int_eq(test_fulfilled(store, "p1", "a"), 2);
    ck_assert_int_eq(test_fulfilled(store, "p1", "b"), 0);
    ck_assert_int_eq(test_package_status(store, "p1"), SIM_PKG_PENDING);
    ck_assert_int_eq(test_order_state(store, "o1"), SIM_FS_PARTIAL);
    /* items omitted: the rest of the package (a:1, b:1) */
    ck_assert_int_eq(test_create(store, "o1", "{\"fulfillmentOrderId\":\"f1\"," TRACK "}"),
                     SIM_OK);
    ck_assert_int_eq(test_fulfilled(store, "p1", "a"), 3);
    ck_assert_int_eq(test_fulfilled(store, "p1", "b"), 1);
    ck_assert_int_eq(test_package_status(store, "p1"), SIM_PKG_SHIPPED);
    ck_assert_int_eq(test_order_state(store, "o1"), SIM_FS_PARTIAL);
    /* the only open package is now p2: an entry may omit the package */
    ck_assert_int_eq(test_create(store, "o1", "{" TRACK "}"), SIM_OK);
    ck_assert_int_eq(test_fulfilled(store, "p2", "c"), 2);
    ck_assert_int_eq(test_order_state(store, "o1"), SIM_FS_FULFILLED);
    ck_assert_int_eq(test_create(store, "o1", "{\"fulfillmentOrderId\":\"f2\"," TRACK "}"),
                     SIM_PACKAGE_ALREADY_FULFILLED);
    sim_order *order = sim_store_order_by_id(store, "o1");
    ck_assert_uint_eq(order->fulfillment_count, 3);
    ck_assert_str_eq(order->fulfillments[0].id, "ful_1_1");
    ck_assert_str_eq(order->fulfillments[2].id, "ful_1_3");
    sim_store_free(store);
}
END_TEST

START_TEST(quantities_as_strings_and_bad_quantities)
{
    sim_store *store = test_store_new();
    ck_assert_int_eq(test_create(store, "o1", "{\"fulfillmentOrderId\":\"f1\"," TRACK
                                              ",\"items\":[{\"id\":\"a\",\"quantity\":\"2\"}]}"),
                     SIM_OK);
    ck_assert_int_eq(test_fulfilled(store, "p1", "a"), 2);
    static const char *const bad[] = { "0", "-1", "\"1.5\"", "\"x\"", "\"\"", "\" 1\"", "1.0",
                                       "true" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char entry[256];
        snprintf(entry, sizeof(entry),
                 "{\"fulfillmentOrderId\":\"f1\"," TRACK ",\"items\":[{\"id\":\"a\",\"quantity\":%s}]}",
                 bad[i]);
        ck_assert_msg(test_create(store, "o1", entry) == SIM_INVALID_QUANTITY, "quantity %s",
                      bad[i]);
    }
    ck_assert_int_eq(test_create(store, "o1", "{\"fulfillmentOrderId\":\"f1\"," TRACK
                                              ",\"items\":[{\"id\":\"a\",\"quantity\":2}]}"),
                     SIM_QUANTITY_EXCEEDS_REMAINING);
    /* the same item twice in one entry adds up */
    ck_assert_int_eq(test_create(store, "o1", "{\"fulfillmentOrderId\":\"f1\"," TRACK
                                              ",\"items\":[{\"id\":\"a\",\"quantity\":1},"
                                              "{\"id\":\"a\",\"quantity\":1}]}"),
                     SIM_QUANTITY_EXCEEDS_REMAINING);
    ck_assert_int_eq(test_fulfilled(store, "p1", "a"), 2);      /* refusals change nothing */
    /* an item named by SKU, quantity omitted: what remains of it */
    ck_assert_int_eq(test_create(store, "o1", "{\"fulfillmentOrderId\":\"f1\"," TRACK
                                              ",\"items\":[{\"sku\":\"SKU-A\"}]}"),
                     SIM_OK);
    ck_assert_int_eq(test_fulfilled(store, "p1", "a"), 3);
    ck_assert_int_eq(test_fulfilled(store, "p1", "b"), 0);
    sim_store_free(store);
}
END_TEST

START_TEST(every_refusal_code)
{
    sim_store *store = test_store_new();
    ck_assert_int_eq(test_create(store, "o2", "{" TRACK "}"), SIM_FULFILLMENT_ORDER_ID_MISSING);
    ck_assert_int_eq(test_create(store, "o2", "{\"packageId\":\"p3\"," TRACK "}"),
                     SIM_FULFILLMENT_ORDER_ID_MISSING);
    ck_assert_int_eq(test_create(store, "o2", "{\"fulfillmentOrderId\":\"f3\"," TRACK "}"), SIM_OK);
    ck_assert_int_eq(test_create(store, "o1", "{" TRACK "}"),      /* two open packages */
                     SIM_FULFILLMENT_ORDER_ID_MISSING);
    ck_assert_int_eq(test_create(store, "o1", "{\"fulfillmentOrderId\":\"f3\"," TRACK "}"),
                     SIM_PACKAGE_NOT_FOUND);        /* another order's package */
    ck_assert_int_eq(test_create(store, "o1", "{\"packageId\":\"nope\"," TRACK "}"),
                     SIM_PACKAGE_NOT_FOUND);
    ck_assert_int_eq(test_create(store, "o3", "{\"fulfillmentOrderId\":\"f4\"," TRACK "}"),
                     SIM_ORDER_CANCELED);
    ck_assert_int_eq(test_create(store, "o4", "{\"fulfillmentOrderId\":\"f5\"," TRACK "}"),
                     SIM_PACKAGE_ALREADY_FULFILLED);
    ck_assert_int_eq(test_create(store, "o5", "{\"fulfillmentOrderId\":\"f6\"," TRACK "}"),
                     SIM_PACKAGE_CANCELED);
    ck_assert_int_eq(test_create(store, "o1", "{\"fulfillmentOrderId\":\"f1\"," TRACK
                                              ",\"items\":[{\"id\":\"c\",\"quantity\":1}]}"),
                     SIM_ITEM_NOT_IN_PACKAGE);
    ck_assert_int_eq(test_create(store, "o1", "{\"fulfillmentOrderId\":\"f1\"}"),
                     SIM_TRACKING_NUMBER_MISSING);
    ck_assert_int_eq(test_create(store, "o1", "{\"fulfillmentOrderId\":\"f1\","
                                              "\"tracking\":{\"number\":\"\",\"numbers\":[]}}"),
                     SIM_TRACKING_NUMBER_MISSING);
    ck_assert_int_eq(test_create(store, "o1", "[1]"), SIM_INVALID_REQUEST);
    /* numbers alone is enough; the first becomes number */
    ck_assert_int_eq(test_create(store, "o5", "{\"tracking\":{\"numbers\":[\"N1\",\"N2\"]}}"),
                     SIM_OK);       /* p7, the single open package of o5 */
    sim_order *o5 = sim_store_order_by_id(store, "o5");
    ck_assert_str_eq(json_string_value(json_object_get(o5->fulfillments[0].tracking, "number")),
                     "N1");
    ck_assert_int_eq(test_fulfilled(store, "p7", "h"), 2);
    ck_assert_int_eq(test_order_state(store, "o5"), SIM_FS_FULFILLED);  /* canceled p6 ignored */
    ck_assert_int_eq(sim_code_http_status(SIM_FULFILLMENT_ORDER_ID_MISSING), 400);
    ck_assert_int_eq(sim_code_http_status(SIM_PACKAGE_NOT_FOUND), 404);
    ck_assert_int_eq(sim_code_http_status(SIM_QUANTITY_EXCEEDS_REMAINING), 422);
    ck_assert_str_eq(sim_code_name(SIM_FULFILLMENT_NOT_CANCELABLE), "fulfillmentNotCancelable");
    sim_store_free(store);
}
END_TEST

START_TEST(bulk_partial_failure)
{
    sim_store *store = test_store_new();
    json_t *entries = test_json(
        "[{\"fulfillmentOrderId\":\"f1\"," TRACK ",\"items\":[{\"id\":\"a\",\"quantity\":1}]},"
        " {\"fulfillmentOrderId\":\"f1\"," TRACK ",\"items\":[{\"id\":\"a\",\"quantity\":5}]},"
        " {\"fulfillmentOrderId\":\"f2\"," TRACK "},"
        " {\"fulfillmentOrderId\":\"f1\"," TRACK ",\"items\":[{\"id\":\"a\",\"quantity\":2}]}]");
    size_t failures = 99;
    json_t *results = sim_store_bulk(store, sim_store_order_by_id(store, "o1"), entries,
                                     &failures);
    ck_assert_uint_eq(failures, 1);
    ck_assert_uint_eq(json_array_size(results), 4);
    for (size_t i = 0; i < 4; i++) {
        json_t *result = json_array_get(results, i);
        ck_assert_int_eq(json_integer_value(json_object_get(result, "index")), (long)i);
        ck_assert_int_eq(json_is_true(json_object_get(result, "success")), i != 1);
    }
    json_t *error = json_object_get(json_array_get(results, 1), "error");
    ck_assert_str_eq(json_string_value(json_object_get(error, "code")),
                     "quantityExceedsRemaining");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(results, 2),
                                                       "fulfillmentOrderId")), "f2");
    /* entries apply in order and independently: 1 + 2 of a, all of c */
    ck_assert_int_eq(test_fulfilled(store, "p1", "a"), 3);
    ck_assert_int_eq(test_fulfilled(store, "p2", "c"), 2);
    ck_assert_int_eq(atomic_load(&store->fulfillments_created), 3);
    json_decref(results);
    json_decref(entries);
    sim_store_free(store);
}
END_TEST

START_TEST(cancel_restores_quantities)
{
    sim_store *store = test_store_new();
    sim_order *o4 = sim_store_order_by_id(store, "o4");
    sim_outcome outcome;
    ck_assert_int_eq(test_order_state(store, "o4"), SIM_FS_FULFILLED);
    ck_assert_int_eq(test_package_status(store, "p5"), SIM_PKG_SHIPPED);
    sim_store_cancel(store, o4, "ful_4_1", &outcome);
    ck_assert_int_eq(outcome.code, SIM_OK);
    json_t *status = json_object_get(outcome.fulfillment, "status");
    ck_assert_str_eq(json_string_value(json_object_get(status, "ecartapi")), "canceled");
    sim_outcome_clear(&outcome);
    ck_assert_int_eq(test_fulfilled(store, "p5", "f"), 0);
    ck_assert_int_eq(test_package_status(store, "p5"), SIM_PKG_PENDING);
    ck_assert_int_eq(test_order_state(store, "o4"), SIM_FS_UNFULFILLED);
    sim_store_cancel(store, o4, "ful_4_1", &outcome);
    ck_assert_int_eq(outcome.code, SIM_FULFILLMENT_NOT_CANCELABLE);
    sim_outcome_clear(&outcome);
    sim_store_cancel(store, o4, "ful_nope", &outcome);
    ck_assert_int_eq(outcome.code, SIM_FULFILLMENT_NOT_FOUND);
    sim_outcome_clear(&outcome);
    /* the returned unit ships again, under a new id */
    ck_assert_int_eq(test_create(store, "o4", "{" TRACK "}"), SIM_OK);
    ck_assert_str_eq(o4->fulfillments[1].id, "ful_4_2");
    ck_assert_int_eq(test_order_state(store, "o4"), SIM_FS_FULFILLED);
    /* partial cancel: only that fulfillment's units come back */
    ck_assert_int_eq(test_create(store, "o1", "{\"fulfillmentOrderId\":\"f1\"," TRACK
                                              ",\"items\":[{\"id\":\"a\",\"quantity\":1}]}"), SIM_OK);
    ck_assert_int_eq(test_create(store, "o1", "{\"fulfillmentOrderId\":\"f1\"," TRACK
                                              ",\"items\":[{\"id\":\"a\",\"quantity\":2}]}"), SIM_OK);
    sim_store_cancel(store, sim_store_order_by_id(store, "o1"), "ful_1_2", &outcome);
    ck_assert_int_eq(outcome.code, SIM_OK);
    sim_outcome_clear(&outcome);
    ck_assert_int_eq(test_fulfilled(store, "p1", "a"), 1);
    ck_assert_int_eq(test_order_state(store, "o1"), SIM_FS_PARTIAL);
    sim_store_free(store);
}
END_TEST

START_TEST(update_tracking_and_notify)
{
    sim_store *store = test_store_new();
    sim_order *o4 = sim_store_order_by_id(store, "o4");
    sim_outcome outcome;
    json_t *changes = test_json("{\"tracking\":{\"number\":\"NEW1\",\"company\":\"FedEx\"},"
                                "\"notifyCustomer\":true}");
    sim_store_update(store, o4, "ful_4_1", changes, &outcome);
    ck_assert_int_eq(outcome.code, SIM_OK);
    json_t *tracking = json_object_get(outcome.fulfillment, "tracking");
    ck_assert_str_eq(json_string_value(json_object_get(tracking, "number")), "NEW1");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(tracking, "numbers"), 0)),
                     "NEW1");
    ck_assert_uint_eq(json_array_size(json_object_get(tracking, "numbers")), 1);
    ck_assert(json_is_true(json_object_get(outcome.fulfillment, "notifyCustomer")));
    sim_outcome_clear(&outcome);
    json_decref(changes);
    changes = test_json("{\"tracking\":{\"number\":\"\"}}");
    sim_store_update(store, o4, "ful_4_1", changes, &outcome);
    ck_assert_int_eq(outcome.code, SIM_TRACKING_NUMBER_MISSING);
    sim_outcome_clear(&outcome);
    json_decref(changes);
    /* the adapter may repeat the create body: same items and package are fine, others not */
    changes = test_json("{\"fulfillmentOrderId\":\"f5\",\"tracking\":{\"number\":\"NEW2\"},"
                        "\"items\":[{\"id\":\"f\",\"quantity\":\"1\"}]}");
    sim_store_update(store, o4, "ful_4_1", changes, &outcome);
    ck_assert_int_eq(outcome.code, SIM_OK);
    sim_outcome_clear(&outcome);
    json_decref(changes);
    changes = test_json("{\"items\":[{\"id\":\"f\",\"quantity\":2}]}");
    sim_store_update(store, o4, "ful_4_1", changes, &outcome);
    ck_assert_int_eq(outcome.code, SIM_INVALID_REQUEST);
    sim_outcome_clear(&outcome);
    json_decref(changes);
    changes = test_json("{\"fulfillmentOrderId\":\"f1\"}");
    sim_store_update(store, o4, "ful_4_1", changes, &outcome);
    ck_assert_int_eq(outcome.code, SIM_INVALID_REQUEST);
    sim_outcome_clear(&outcome);
    sim_store_update(store, o4, "ful_x", changes, &outcome);
    ck_assert_int_eq(outcome.code, SIM_FULFILLMENT_NOT_FOUND);
    sim_outcome_clear(&outcome);
    json_decref(changes);
    ck_assert_int_eq(test_fulfilled(store, "p5", "f"), 1);     /* quantities untouched */
    ck_assert_int_eq(atomic_load(&store->fulfillments_updated), 2);
    sim_store_free(store);
}
END_TEST

START_TEST(reset_and_round_trip)
{
    sim_store *store = test_store_new();
    json_t *before = sim_store_dump(store);
    ck_assert_int_eq(test_create(store, "o1", "{\"fulfillmentOrderId\":\"f1\"," TRACK "}"), SIM_OK);
    sim_outcome outcome;
    sim_store_cancel(store, sim_store_order_by_id(store, "o4"), "ful_4_1", &outcome);
    sim_outcome_clear(&outcome);
    /* the state after writes loads back into an identical store */
    char err[300];
    json_t *after = sim_store_dump(store);
    sim_store *copy = sim_store_from_json(after, err, sizeof(err));
    ck_assert_msg(copy != NULL, "%s", err);
    json_t *again = sim_store_dump(copy);
    ck_assert(json_equal(after, again));
    ck_assert_int_eq(test_fulfilled(copy, "p1", "a"), 3);
    json_decref(again);
    sim_store_free(copy);
    /* reset: back to the loaded state */
    sim_store_reset(store);
    json_t *reset = sim_store_dump(store);
    ck_assert(json_equal(before, reset));
    ck_assert_int_eq(test_fulfilled(store, "p1", "a"), 0);
    ck_assert_int_eq(test_fulfilled(store, "p5", "f"), 1);
    json_decref(before);
    json_decref(after);
    json_decref(reset);
    sim_store_free(store);
}
END_TEST

START_TEST(bad_documents_are_refused)
{
    static const char *const bad[] = {
        "{}",
        "{\"orders\":[{\"name\":\"#1\"}]}",
        "{\"orders\":[{\"id\":\"1\",\"packages\":[{\"id\":\"p\",\"items\":[{\"id\":\"i\",\"quantity\":1,\"fulfilledQuantity\":2}]}]}]}",
        "{\"orders\":[{\"id\":\"1\"},{\"id\":\"1\",\"name\":\"#9\"}]}",
        "{\"orders\":[{\"id\":\"1\",\"packages\":[{\"id\":\"p\",\"items\":[]}]},{\"id\":\"2\",\"packages\":[{\"id\":\"p\",\"items\":[]}]}]}",
        "{\"orders\":[{\"id\":\"1\",\"packages\":[{\"id\":\"p\",\"status\":\"lost\",\"items\":[]}]}]}",
        "{\"orders\":[{\"id\":\"1\",\"fulfillments\":[{\"id\":\"f\",\"fulfillmentOrderId\":\"zz\"}]}]}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[300] = "";
        json_t *document = test_json(bad[i]);
        sim_store *store = sim_store_from_json(document, err, sizeof(err));
        ck_assert_msg(store == NULL, "document %zu was accepted", i);
        ck_assert_msg(err[0] != '\0', "document %zu: no message", i);
        json_decref(document);
    }
}
END_TEST

/* Files: the written form loads order by order, other shapes whole, errors name the place. */
START_TEST(store_files)
{
    char path[] = "/tmp/test_sim_storeXXXXXX", err[400];
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    sim_store *store = test_store_new();
    ck_assert_int_eq(test_create(store, "o1", "{\"fulfillmentOrderId\":\"f1\"," TRACK "}"), SIM_OK);
    ck_assert_int_eq(sim_store_write_file(store, path, err, sizeof(err)), 0);
    sim_store *loaded = sim_store_load_file(path, err, sizeof(err));
    ck_assert_msg(loaded != NULL, "%s", err);
    json_t *a = sim_store_dump(store), *b = sim_store_dump(loaded);
    ck_assert(json_equal(a, b));
    json_decref(a);
    json_decref(b);
    sim_store_free(loaded);
    static const struct { const char *text; int ok; const char *message; } cases[] = {
        { "{\"success\":true,\"orders\":[{\"id\":\"x\"}]}", 1, NULL },     /* whole */
        { " { \"orders\" : [ ] } ", 1, NULL },
        { "{\"orders\":[{\"id\":\"x\"},{\"id\":\"y\"}],\"extra\":1}", 1, NULL },
        { "{\"orders\":[{\"id\":\"x\"},\n{\"id\":", 0, "line 2" },
        { "{\"orders\":[{\"id\":\"x\"},{\"id\":\"x\"}]}", 0, "appears twice" },
        { "", 0, "line 1" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        FILE *file = fopen(path, "w");
        fputs(cases[i].text, file);
        fclose(file);
        err[0] = '\0';
        loaded = sim_store_load_file(path, err, sizeof(err));
        ck_assert_msg((loaded != NULL) == cases[i].ok, "case %zu: %s", i, err);
        if (cases[i].message)
            ck_assert_msg(strstr(err, cases[i].message) != NULL, "case %zu: %s", i, err);
        sim_store_free(loaded);
    }
    unlink(path);
    sim_store_free(store);
}
END_TEST

/* Names need not be unique (ids must): same-name orders load, chained in store order, whether
 * written with '#' or not; they survive a dump and reload, and each is written to alone. */
START_TEST(orders_sharing_a_name)
{
    static const char text[] =
        "{\"orders\":["
        "{\"id\":\"a1\",\"name\":\"#77\",\"packages\":[{\"id\":\"pa\",\"items\":[{\"id\":\"x\",\"quantity\":1}]}]},"
        "{\"id\":\"b1\",\"name\":\"#78\"},"
        "{\"id\":\"a2\",\"name\":\"77\",\"packages\":[{\"id\":\"pb\",\"items\":[{\"id\":\"x\",\"quantity\":1}]}]},"
        "{\"id\":\"a3\",\"number\":\"77\"}]}";
    char err[300];
    json_t *document = test_json(text);
    sim_store *store = sim_store_from_json(document, err, sizeof(err));
    json_decref(document);
    ck_assert_msg(store != NULL, "%s", err);
    const char *lookups[] = { "#77", "77" };
    for (size_t i = 0; i < 2; i++) {
        sim_order *order = sim_store_order_by_name(store, lookups[i]);
        ck_assert_ptr_nonnull(order);
        ck_assert_str_eq(order->id, "a1");
        ck_assert_str_eq(order->next_same_name->id, "a2");
        ck_assert_str_eq(order->next_same_name->next_same_name->id, "a3");
        ck_assert_ptr_null(order->next_same_name->next_same_name->next_same_name);
    }
    ck_assert_ptr_null(sim_store_order_by_name(store, "#78")->next_same_name);
    ck_assert_ptr_null(sim_store_order_by_name(store, "#79"));
    ck_assert(sim_order_has_name(sim_store_order_by_id(store, "a2"), "#77"));
    ck_assert(!sim_order_has_name(sim_store_order_by_id(store, "b1"), "77"));
    /* a write to one does not touch the other */
    ck_assert_int_eq(test_create(store, "a2", "{" TRACK "}"), SIM_OK);
    ck_assert_int_eq(test_fulfilled(store, "pb", "x"), 1);
    ck_assert_int_eq(test_fulfilled(store, "pa", "x"), 0);
    /* dump and reload: the same chain */
    json_t *dumped = sim_store_dump(store);
    sim_store *again = sim_store_from_json(dumped, err, sizeof(err));
    ck_assert_msg(again != NULL, "%s", err);
    sim_order *first = sim_store_order_by_name(again, "77");
    ck_assert_str_eq(first->id, "a1");
    ck_assert_str_eq(first->next_same_name->id, "a2");
    ck_assert_str_eq(first->next_same_name->next_same_name->id, "a3");
    json_decref(dumped);
    sim_store_free(again);
    sim_store_free(store);
    /* ids stay unique, whatever the names */
    document = test_json("{\"orders\":[{\"id\":\"a1\",\"name\":\"#1\"},"
                         "{\"id\":\"a1\",\"name\":\"#2\"}]}");
    ck_assert_ptr_null(sim_store_from_json(document, err, sizeof(err)));
    ck_assert_msg(strstr(err, "order id a1 appears twice") != NULL, "%s", err);
    json_decref(document);
}
END_TEST

/* ---- concurrency: 8 threads fulfil p1's item a (3 units) and p3 (2 units) one at a time */

typedef struct race_arg {
    sim_store *store;
    long successes;
} race_arg;

static void *race_worker(void *data)
{
    race_arg *arg = data;
    for (int attempt = 0; attempt < 50; attempt++) {
        if (test_create(arg->store, "o1", "{\"fulfillmentOrderId\":\"f1\"," TRACK
                                           ",\"items\":[{\"id\":\"a\",\"quantity\":1}]}") == SIM_OK)
            arg->successes++;
    }
    return NULL;
}

START_TEST(concurrent_writes_never_oversell)
{
    sim_store *store = test_store_new();
    pthread_t threads[8];
    race_arg args[8];
    for (int i = 0; i < 8; i++) {
        args[i] = (race_arg){ store, 0 };
        pthread_create(&threads[i], NULL, race_worker, &args[i]);
    }
    long total = 0;
    for (int i = 0; i < 8; i++) {
        pthread_join(threads[i], NULL);
        total += args[i].successes;
    }
    ck_assert_int_eq(total, 3);
    ck_assert_int_eq(test_fulfilled(store, "p1", "a"), 3);
    ck_assert_uint_eq(sim_store_order_by_id(store, "o1")->fulfillment_count, 3);
    sim_store_free(store);
}
END_TEST

static Suite *store_suite(void)
{
    Suite *suite = suite_create("sim_store");
    TCase *rules = tcase_create("rules");
    tcase_add_test(rules, partial_then_complete);
    tcase_add_test(rules, quantities_as_strings_and_bad_quantities);
    tcase_add_test(rules, every_refusal_code);
    tcase_add_test(rules, bulk_partial_failure);
    tcase_add_test(rules, cancel_restores_quantities);
    tcase_add_test(rules, update_tracking_and_notify);
    tcase_add_test(rules, reset_and_round_trip);
    tcase_add_test(rules, bad_documents_are_refused);
    tcase_add_test(rules, store_files);
    tcase_add_test(rules, orders_sharing_a_name);
    tcase_add_test(rules, concurrent_writes_never_oversell);
    suite_add_tcase(suite, rules);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(store_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
