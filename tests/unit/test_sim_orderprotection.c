/* test_sim_orderprotection.c: the simulator's OrderProtection front
 * (tests/store-sim/orderprotection_*.c) driven through sim_dispatch on
 * tests/store-sim/fixtures/orderprotection_store.json: Bearer auth, the {"status":"error"} body,
 * free-text sourceOrderIds ("#517AB", "SO 1002"), 201 {"status":"ok"}, 409 on an existing
 * sourceFulfillmentId without a second fulfillment, the 422s (order cancelled, unknown item,
 * quantity exceeds remaining with refunds counted), the 400s of a malformed body, the
 * status-only update, the paged order list, and the store form's round trip. */
#include "generate.h"
#include "orderprotection.h"
#include "test_sim_front_util.h"

static sim_app app;

static void setup(void)
{
    memset(&app, 0, sizeof(app));
    app.front = &sim_front_orderprotection;
    app.store = test_fixture_store("orderprotection_store.json", app.front);
    app.token = "secret";
}

static void teardown(void)
{
    sim_store_free(app.store);
}

static test_answer ask(const char *method, const char *path, test_query *query,
                       const char *body)
{
    return test_send(&app, method, path, query, body, "Bearer secret", NULL);
}

static const char *message(test_answer *answer)
{
    ck_assert_str_eq(json_string_value(json_object_get(answer->json, "status")), "error");
    return json_string_value(json_object_get(answer->json, "message"));
}

static size_t fulfillment_count(const char *order_id)
{
    return sim_store_order_by_id(app.store, order_id)->fulfillment_count;
}

#define CREATE(items, id) \
    "{\"sourceItemIds\":" items ",\"fulfillmentStatus\":\"FULFILLED\"," \
    "\"sourceFulfillmentId\":\"" id "\",\"trackingCompany\":\"FedEx\"," \
    "\"trackingNumber\":[\"612345678913\",\"612345678920\"]," \
    "\"trackingUrl\":[\"https://t/1\",\"https://t/2\"]}"

START_TEST(auth_and_lookup)
{
    static const char *const refused[] = { NULL, "secret", "Bearer wrong", "bearer secret" };
    for (size_t i = 0; i < 4; i++) {
        test_answer answer = test_send(&app, "GET", "/v1/orders/#517AB", NULL, NULL,
                                       refused[i], NULL);
        ck_assert_int_eq(answer.status, 401);
        message(&answer);
        json_decref(answer.json);
    }
    test_answer answer = ask("GET", "/v1/orders/#517AB", NULL, NULL);
    ck_assert_int_eq(answer.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(answer.json, "sourceOrderId")),
                     "#517AB");
    json_t *item = json_array_get(json_object_get(answer.json, "orderItems"), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(item, "refundedQuantity")), 1);
    ck_assert(answer.request_id[0] == '\0');    /* no Request-Id on this platform */
    json_decref(answer.json);
    answer = ask("GET", "/v1/orders/SO 1002", NULL, NULL);
    ck_assert_int_eq(answer.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(answer.json, "orderName")), "#1002");
    json_decref(answer.json);
    answer = ask("GET", "/v1/orders/517AB", NULL, NULL);
    ck_assert_int_eq(answer.status, 404);
    ck_assert_str_eq(message(&answer), "order not found");
    json_decref(answer.json);
    answer = ask("GET", "/v1/orders/SO 1002/fulfillments", NULL, NULL);
    ck_assert_int_eq(answer.status, 200);
    ck_assert_int_eq(json_array_size(answer.json), 1);
    json_t *fulfillment = json_array_get(answer.json, 0);
    ck_assert_str_eq(json_string_value(json_object_get(fulfillment, "trackingCompany")),
                     "FedEx");
    ck_assert(json_is_array(json_object_get(fulfillment, "trackingNumber")));
    json_decref(answer.json);
}
END_TEST

START_TEST(create_then_409_never_twice)
{
    const char *body = CREATE("[{\"sourceItemId\":\"1478\",\"quantity\":1}]", "sl-aaa");
    test_answer answer = ask("POST", "/v1/orders/#517AB/fulfillments", NULL, body);
    ck_assert_int_eq(answer.status, 201);
    ck_assert_str_eq(json_string_value(json_object_get(answer.json, "status")), "ok");
    json_decref(answer.json);
    ck_assert_int_eq(fulfillment_count("#517AB"), 1);
    for (int again = 0; again < 2; again++) {
        answer = ask("POST", "/v1/orders/#517AB/fulfillments", NULL, body);
        ck_assert_int_eq(answer.status, 409);
        message(&answer);
        json_decref(answer.json);
    }
    /* the same id with other items is still the same fulfillment */
    answer = ask("POST", "/v1/orders/#517AB/fulfillments", NULL,
                 CREATE("[{\"sourceItemId\":\"1479\",\"quantity\":1}]", "sl-aaa"));
    ck_assert_int_eq(answer.status, 409);
    json_decref(answer.json);
    ck_assert_int_eq(fulfillment_count("#517AB"), 1);
    /* an id that exists on another order is no conflict here */
    answer = ask("POST", "/v1/orders/#517AB/fulfillments", NULL,
                 CREATE("[{\"sourceItemId\":\"1478\",\"quantity\":1}]",
                        "sl-0a1b2c3d4e5f60718293a4b5"));
    ck_assert_int_eq(answer.status, 201);
    json_decref(answer.json);
    ck_assert_int_eq(fulfillment_count("#517AB"), 2);
}
END_TEST

START_TEST(business_errors)
{
    static const struct {
        const char *order, *body;
        int status;
        const char *message_start;
    } cases[] = {
        { "1003", CREATE("[{\"sourceItemId\":\"3001\",\"quantity\":1}]", "sl-1"), 422,
          "order cancelled" },
        { "#517AB", CREATE("[{\"sourceItemId\":\"9999\",\"quantity\":1}]", "sl-2"), 422,
          "unknown item" },
        /* 3 ordered, 1 refunded: 2 remain */
        { "#517AB", CREATE("[{\"sourceItemId\":\"1479\",\"quantity\":3}]", "sl-3"), 422,
          "quantity exceeds remaining" },
        { "#517AB", CREATE("[{\"sourceItemId\":\"1478\",\"quantity\":1},"
                           "{\"sourceItemId\":\"1478\",\"quantity\":2}]", "sl-4"), 422,
          "quantity exceeds remaining" },
        /* one of two shipped already */
        { "SO 1002", CREATE("[{\"sourceItemId\":\"2001\",\"quantity\":2}]", "sl-5"), 422,
          "quantity exceeds remaining" },
        { "#517AB", CREATE("[{\"sourceItemId\":\"1478\",\"quantity\":0}]", "sl-6"), 400, "item" },
        { "#517AB", CREATE("[]", "sl-7"), 400, "sourceItemIds" },
        { "#517AB", CREATE("[{\"sourceItemId\":\"1478\",\"quantity\":1}]", ""), 400,
          "sourceFulfillmentId" },
        { "#517AB", "{\"sourceItemIds\":[{\"sourceItemId\":\"1478\",\"quantity\":1}],"
                    "\"fulfillmentStatus\":\"SHIPPED\",\"sourceFulfillmentId\":\"sl-8\"}", 400,
          "fulfillmentStatus" },
        { "#517AB", "{\"sourceItemIds\":[{\"sourceItemId\":\"1478\",\"quantity\":1}],"
                    "\"fulfillmentStatus\":\"FULFILLED\",\"sourceFulfillmentId\":\"sl-9\","
                    "\"trackingNumber\":[1]}", 400, "trackingNumber" },
        { "#517AB", "[1]", 400, "the body" },
        { "nope", CREATE("[{\"sourceItemId\":\"1478\",\"quantity\":1}]", "sl-10"), 404,
          "order not found" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[128];
        snprintf(path, sizeof(path), "/v1/orders/%s/fulfillments", cases[i].order);
        test_answer answer = ask("POST", path, NULL, cases[i].body);
        ck_assert_msg(answer.status == cases[i].status, "case %zu: %d", i, answer.status);
        const char *text = message(&answer);
        ck_assert_msg(strncmp(text, cases[i].message_start, strlen(cases[i].message_start)) == 0,
                      "case %zu: %s", i, text);
        json_decref(answer.json);
    }
    ck_assert_int_eq(fulfillment_count("#517AB"), 0);
    ck_assert_int_eq(fulfillment_count("SO 1002"), 1);
    /* the seed's own casing of the status is taken, stored upper case; ids may be integers */
    test_answer answer = ask("POST", "/v1/orders/#517AB/fulfillments", NULL,
                             "{\"sourceItemIds\":[{\"id\":1479,\"quantity\":2}],"
                             "\"fulfillmentStatus\":\"Fulfilled\",\"sourceFulfillmentId\":\"x\"}");
    ck_assert_int_eq(answer.status, 201);
    json_decref(answer.json);
    sim_order *order = sim_store_order_by_id(app.store, "#517AB");
    ck_assert_str_eq(order->fulfillments[0].status, "FULFILLED");
    ck_assert_int_eq(sim_item_remaining(&order->packages[0].items[1]), 0);
}
END_TEST

START_TEST(status_only_update)
{
    const char *path = "/v1/orders/SO 1002/fulfillments/sl-0a1b2c3d4e5f60718293a4b5";
    test_answer answer = ask("PUT", path, NULL, "{\"status\":\"DELIVERED\"}");
    ck_assert_int_eq(answer.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(answer.json, "status")), "ok");
    json_decref(answer.json);
    sim_order *order = sim_store_order_by_id(app.store, "SO 1002");
    ck_assert_str_eq(order->fulfillments[0].status, "DELIVERED");
    static const char *const refused[] = {
        "{\"status\":\"DELIVERED\",\"trackingNumber\":[\"1\"]}", "{\"status\":\"LOST\"}",
        "{\"trackingNumber\":[\"1\"]}", "x",
    };
    for (size_t i = 0; i < 4; i++) {
        answer = ask("PUT", path, NULL, refused[i]);
        ck_assert_msg(answer.status == 400, "%s: %d", refused[i], answer.status);
        message(&answer);
        json_decref(answer.json);
    }
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(
                         order->fulfillments[0].tracking, "numbers"), 0)), "612345678902");
    answer = ask("PUT", "/v1/orders/SO 1002/fulfillments/nope", NULL, "{\"status\":\"DELIVERED\"}");
    ck_assert_int_eq(answer.status, 404);
    json_decref(answer.json);
    answer = ask("DELETE", path, NULL, NULL);
    ck_assert_int_eq(answer.status, 405);
    message(&answer);
    json_decref(answer.json);
}
END_TEST

START_TEST(order_list_pages)
{
    char cursor[32] = "";
    size_t seen = 0;
    for (int pages = 0; pages < 10; pages++) {
        test_query query = { { { "size", "2" }, { "cursor", cursor } } };
        test_answer answer = ask("GET", "/v1/orders", &query, NULL);
        ck_assert_int_eq(answer.status, 200);
        ck_assert_int_eq(json_integer_value(json_object_get(answer.json, "totalCount")), 3);
        json_t *edges = json_object_get(answer.json, "edges");
        seen += json_array_size(edges);
        ck_assert(json_is_object(json_object_get(json_array_get(edges, 0), "node")));
        json_t *info = json_object_get(answer.json, "pageInfo");
        int more = json_is_true(json_object_get(info, "hasNextPage"));
        snprintf(cursor, sizeof(cursor), "%s",
                 json_string_value(json_object_get(info, "endCursor")));
        json_decref(answer.json);
        if (!more)
            break;
    }
    ck_assert_int_eq(seen, 3);
    test_query bad = { { { "size", "101" } } };
    test_answer answer = ask("GET", "/v1/orders", &bad, NULL);
    ck_assert_int_eq(answer.status, 400);
    json_decref(answer.json);
}
END_TEST

START_TEST(state_round_trip_and_generation)
{
    test_answer answer = ask("POST", "/v1/orders/#517AB/fulfillments", NULL,
                             CREATE("[{\"sourceItemId\":\"1478\",\"quantity\":2}]", "sl-rt"));
    json_decref(answer.json);
    answer = test_send(&app, "GET", "/__sim/state", NULL, NULL, NULL, NULL);
    char err[300];
    sim_store *again = sim_store_from_json_as(answer.json, &sim_orderprotection_form, err,
                                              sizeof(err));
    ck_assert_msg(again != NULL, "%s", err);
    sim_order *order = sim_store_order_by_id(again, "#517AB");
    ck_assert_int_eq(order->fulfillment_count, 1);
    ck_assert_int_eq(sim_item_remaining(&order->packages[0].items[0]), 0);
    ck_assert_int_eq(json_array_size(json_object_get(order->fulfillments[0].tracking, "urls")), 2);
    sim_store_free(again);
    json_decref(answer.json);

    json_t *document = sim_generate_store(60, 3);
    json_t *orders = json_object_get(document, "orders");
    sim_store *store = sim_store_new(60);
    sim_store_set_form(store, &sim_orderprotection_form);
    size_t cancelled = 0;
    for (size_t i = 0; i < json_array_size(orders); i++) {
        sim_orderprotection_form.adapt_generated(json_array_get(orders, i), (long)i);
        ck_assert(sim_store_add_core_order(store, json_array_get(orders, i), err,
                                           sizeof(err)) == 0);
    }
    for (size_t i = 0; i < store->order_count; i++) {
        ck_assert(store->orders[i]->id[0] == '#');
        cancelled += strcmp(store->orders[i]->status, "CANCELLED") == 0;
    }
    ck_assert_int_gt(cancelled, 0);
    ck_assert_ptr_nonnull(sim_store_order_by_id(store, "#100001"));
    json_decref(document);
    sim_store_free(store);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sim_orderprotection");
    TCase *tc = tcase_create("front");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, auth_and_lookup);
    tcase_add_test(tc, create_then_409_never_twice);
    tcase_add_test(tc, business_errors);
    tcase_add_test(tc, status_only_update);
    tcase_add_test(tc, order_list_pages);
    tcase_add_test(tc, state_round_trip_and_generation);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *runner = srunner_create(suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
