/* test_sim_shoplazza.c: the simulator's Shoplazza front (tests/store-sim/shoplazza_*.c) driven
 * through sim_dispatch on tests/store-sim/fixtures/shoplazza_store.json: Access-Token and the
 * bare "Unauthorized", wrapped answers, Request-Id, lookups by id, by number (zero padding),
 * ids, filters, count, cursor paging, the paid-status rule, every 422 message, ship_quantity 0,
 * the remaining-quantity arithmetic (refunds and cancelled fulfillments), cancel releasing
 * quantities, update, and the store form's round trip. */
#include "generate.h"
#include "shoplazza.h"
#include "test_sim_front_util.h"

#define B "/openapi/2026-01"
#define O1 "633130-00001001"
#define O2 "633130-00001002"
#define TSHIRT "ed8af005-1f4e-42d1-859d-99b0fd420781"
#define MUG "4c2b9d1e-7a3f-4e8b-9c1d-2f5a6b7c8d90"
#define HOODIE "9a7f3c2e-5b1d-4f6a-8e2c-3d4b5a6c7e8f"

static sim_app app;

static void setup(void)
{
    memset(&app, 0, sizeof(app));
    app.front = &sim_front_shoplazza;
    app.store = test_fixture_store("shoplazza_store.json", app.front);
    app.token = "secret";
}

static void teardown(void)
{
    sim_store_free(app.store);
}

static test_answer ask(const char *method, const char *path, test_query *query,
                        const char *body)
{
    return test_send(&app, method, path, query, body, NULL, "secret");
}

static json_t *data(test_answer *answer)
{
    return json_object_get(answer->json, "data");
}

static const char *first_error(test_answer *answer)
{
    return json_string_value(json_array_get(json_object_get(answer->json, "errors"), 0));
}

static long remaining(const char *order_id, const char *item_id)
{
    sim_order *order = sim_store_order_by_id(app.store, order_id);
    ssize_t at = sim_package_item_index(&order->packages[0], item_id, NULL);
    ck_assert_int_ge(at, 0);
    return sim_item_remaining(&order->packages[0].items[at]);
}

START_TEST(auth_request_id_and_shapes)
{
    test_answer answer = test_send(&app, "GET", B "/orders/" O1, NULL, NULL, "secret", NULL);
    ck_assert_int_eq(answer.status, 401);
    ck_assert(json_is_string(answer.json));
    ck_assert_str_eq(json_string_value(answer.json), "Unauthorized");
    ck_assert(answer.request_id[0] != '\0');
    char first_id[40];
    strcpy(first_id, answer.request_id);
    json_decref(answer.json);

    answer = ask("GET", B "/orders/" O1, NULL, NULL);
    ck_assert_int_eq(answer.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(answer.json, "code")), "Success");
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(data(&answer), "order"), "id")), O1);
    ck_assert_str_ne(answer.request_id, first_id);
    json_decref(answer.json);

    answer = ask("GET", B "/orders/nope", NULL, NULL);
    ck_assert_int_eq(answer.status, 404);
    ck_assert_str_eq(json_string_value(json_object_get(answer.json, "code")), "NotFound");
    ck_assert_str_eq(json_string_value(json_object_get(answer.json, "message")),
                     "order not found");
    json_decref(answer.json);

    answer = ask("DELETE", B "/orders/" O1, NULL, NULL);
    ck_assert_int_eq(answer.status, 405);
    json_decref(answer.json);
    answer = ask("GET", "/api/v2/orders", NULL, NULL);     /* Ecart's path is unknown here */
    ck_assert_int_eq(answer.status, 404);
    json_decref(answer.json);
}
END_TEST

START_TEST(order_by_number_tolerates_padding)
{
    static const char *const numbers[] = { "00001002", "1002", "#1002", "001002" };
    for (size_t i = 0; i < 4; i++) {
        char path[128];
        snprintf(path, sizeof(path), B "/orders/number/%s", numbers[i]);
        test_answer answer = ask("GET", path, NULL, NULL);
        ck_assert_msg(answer.status == 200, "%s: %d", numbers[i], answer.status);
        json_t *order = json_object_get(data(&answer), "order");
        ck_assert_str_eq(json_string_value(json_object_get(order, "number")), "00001002");
        ck_assert_str_eq(json_string_value(json_object_get(order, "fulfillment_status")),
                         "partially_shipped");
        json_decref(answer.json);
    }
    test_answer answer = ask("GET", B "/orders/number/9999", NULL, NULL);
    ck_assert_int_eq(answer.status, 404);
    json_decref(answer.json);
}
END_TEST

START_TEST(list_ids_filters_count_and_cursor)
{
    test_query ids = { { { "ids", O2 }, { "ids", "nope" }, { "ids", O1 }, { "ids", O2 } } };
    test_answer answer = ask("GET", B "/orders", &ids, NULL);
    ck_assert_int_eq(answer.status, 200);
    json_t *orders = json_object_get(data(&answer), "orders");
    ck_assert_int_eq(json_array_size(orders), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(orders, 0), "id")), O2);
    ck_assert(json_is_false(json_object_get(data(&answer), "has_more")));
    json_decref(answer.json);

    test_query unpaid = { { { "financial_status[]", "pending" } } };
    answer = ask("GET", B "/orders/count", &unpaid, NULL);
    ck_assert_int_eq(json_integer_value(json_object_get(data(&answer), "count")), 1);
    json_decref(answer.json);
    test_query waiting = { { { "fulfillment_status[]", "waiting" },
                             { "fulfillment_status[]", "partially_shipped" } } };
    answer = ask("GET", B "/orders/count", &waiting, NULL);
    ck_assert_int_eq(json_integer_value(json_object_get(data(&answer), "count")), 3);
    json_decref(answer.json);

    /* pages of 2 through all 5 orders */
    char cursor[32] = "";
    size_t seen = 0, pages = 0;
    for (;;) {
        test_query page = { { { "page_size", "2" }, { "cursor", cursor } } };
        answer = ask("GET", B "/orders", &page, NULL);
        ck_assert_int_eq(answer.status, 200);
        seen += json_array_size(json_object_get(data(&answer), "orders"));
        pages++;
        int more = json_is_true(json_object_get(data(&answer), "has_more"));
        snprintf(cursor, sizeof(cursor), "%s",
                 json_string_value(json_object_get(data(&answer), "cursor")));
        json_decref(answer.json);
        if (!more)
            break;
        ck_assert(cursor[0] != '\0');
    }
    ck_assert_int_eq(seen, 5);
    ck_assert_int_eq(pages, 3);

    static const char *const bad[][2] = { { "page_size", "251" }, { "page_size", "0" },
                                          { "cursor", "zz" }, { "updated_at_min", "x" } };
    for (size_t i = 0; i < 4; i++) {
        test_query query = { { { bad[i][0], bad[i][1] } } };
        answer = ask("GET", B "/orders", &query, NULL);
        ck_assert_msg(answer.status == 400, "%s=%s", bad[i][0], bad[i][1]);
        ck_assert_str_eq(json_string_value(json_object_get(answer.json, "code")),
                         "InvalidParameter");
        json_decref(answer.json);
    }
}
END_TEST

START_TEST(paid_status_rule)
{
    static const char *const unshippable[] = { "633130-00001003", "633130-00001004",
                                               "633130-00001005" };
    for (size_t i = 0; i < 3; i++) {
        char path[128], body[256];
        snprintf(path, sizeof(path), B "/orders/%s/fulfillments", unshippable[i]);
        snprintf(body, sizeof(body), "{\"fulfillment\":{\"line_items\":[{\"id\":\"x\","
                                     "\"ship_quantity\":1}]}}");
        test_answer answer = ask("POST", path, NULL, body);
        ck_assert_int_eq(answer.status, 422);
        ck_assert_str_eq(first_error(&answer), "invalid status of the order");
        json_decref(answer.json);
    }
}
END_TEST

START_TEST(business_errors)
{
    static const struct {
        const char *body;
        int status;
        const char *message;
    } cases[] = {
        { "{\"fulfillment\":{\"line_items\":[{\"id\":\"nope\",\"ship_quantity\":1}]}}", 422,
          "invalid line_item id" },
        { "{\"fulfillment\":{\"line_items\":[]}}", 422, "invalid line_item id" },
        { "{\"fulfillment\":{\"line_items\":[{\"id\":\"" TSHIRT "\"}]}}", 422,
          "ShipQuantity is not provided" },
        { "{\"fulfillment\":{\"line_items\":[{\"id\":\"" TSHIRT "\",\"ship_quantity\":3}]}}",
          422, "fulfillment quantity is insufficient" },
        /* 3 ordered, 1 refunded: 2 remain */
        { "{\"fulfillment\":{\"line_items\":[{\"id\":\"" MUG "\",\"ship_quantity\":3}]}}", 422,
          "fulfillment quantity is insufficient" },
        { "{\"fulfillment\":{\"line_items\":[{\"id\":\"" TSHIRT "\",\"ship_quantity\":1},"
          "{\"id\":\"" TSHIRT "\",\"ship_quantity\":2}]}}", 422,
          "fulfillment quantity is insufficient" },
        { "{\"fulfillment\":{\"line_items\":[{\"id\":\"" TSHIRT "\",\"ship_quantity\":1}],"
          "\"tracking_company_code\":\"pigeon\"}}", 422, "invalid tracking_company_code" },
        { "{\"fulfillment\":{\"line_items\":[{\"id\":\"" TSHIRT "\",\"ship_quantity\":-1}]}}",
          400, NULL },
        { "{\"line_items\":[]}", 400, NULL },
        { "not json", 400, NULL },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        test_answer answer = ask("POST", B "/orders/" O1 "/fulfillments", NULL, cases[i].body);
        ck_assert_msg(answer.status == cases[i].status, "case %zu: %d", i, answer.status);
        if (cases[i].message)
            ck_assert_str_eq(first_error(&answer), cases[i].message);
        else
            ck_assert_str_eq(json_string_value(json_object_get(answer.json, "code")),
                             "InvalidParameter");
        json_decref(answer.json);
    }
    ck_assert_int_eq(sim_store_order_by_id(app.store, O1)->fulfillment_count, 0);
    test_answer answer = ask("POST", B "/orders/nope/fulfillments", NULL, "{}");
    ck_assert_int_eq(answer.status, 404);
    json_decref(answer.json);
}
END_TEST

START_TEST(remaining_quantity_and_ship_all)
{
    /* order 2: 2 ordered, 1 shipped, 1 in a cancelled fulfillment: 1 remains */
    ck_assert_int_eq(remaining(O2, HOODIE), 1);
    ck_assert_int_eq(remaining(O1, MUG), 2);
    test_answer answer = ask("POST", B "/orders/" O1 "/fulfillments", NULL,
                              "{\"fulfillment\":{\"line_items\":[{\"id\":\"" MUG "\","
                              "\"ship_quantity\":0},{\"id\":\"" TSHIRT "\",\"ship_quantity\":1}],"
                              "\"tracking_number\":\"1Z8W2A470312345692\","
                              "\"tracking_company\":\"UPS\",\"tracking_company_code\":\"ups\","
                              "\"tracking_items\":[{\"tracking_number\":\"1Z8W2A470312345692\"},"
                              "{\"tracking_number\":\"1Z8W2A470312345709\"}]}}");
    ck_assert_int_eq(answer.status, 200);
    json_t *fulfillment = json_object_get(data(&answer), "fulfillment");
    ck_assert_str_eq(json_string_value(json_object_get(fulfillment, "status")), "shipped");
    ck_assert_int_eq(json_array_size(json_object_get(fulfillment, "tracking_items")), 2);
    json_t *lines = json_object_get(fulfillment, "line_items");
    ck_assert_int_eq(json_array_size(lines), 2);
    json_decref(answer.json);
    ck_assert_int_eq(remaining(O1, MUG), 0);
    ck_assert_int_eq(remaining(O1, TSHIRT), 1);

    answer = ask("GET", B "/orders/" O1, NULL, NULL);
    json_t *order = json_object_get(data(&answer), "order");
    ck_assert_str_eq(json_string_value(json_object_get(order, "fulfillment_status")),
                     "partially_shipped");
    json_decref(answer.json);

    answer = ask("POST", B "/orders/" O1 "/fulfillments", NULL,
                  "{\"fulfillment\":{\"line_items\":[{\"id\":\"" MUG "\",\"ship_quantity\":0}]}}");
    ck_assert_int_eq(answer.status, 422);
    ck_assert_str_eq(first_error(&answer), "fulfillment quantity is insufficient");
    json_decref(answer.json);
}
END_TEST

START_TEST(cancel_releases_and_update_tracks)
{
    const char *id = "51c7dd5d-8f49-40c3-b2c1-5dfdeef9946d";
    char path[256];
    snprintf(path, sizeof(path), B "/orders/" O2 "/fulfillments/%s", id);
    test_answer answer = ask("PUT", path, NULL,
                              "{\"fulfillment\":{\"tracking_number\":\"1Z8W2A470312345718\","
                              "\"send_email\":true}}");
    ck_assert_int_eq(answer.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(answer.json, "code")), "success");
    json_t *fulfillment = json_object_get(data(&answer), "fulfillment");
    ck_assert_str_eq(json_string_value(json_object_get(fulfillment, "tracking_number")),
                     "1Z8W2A470312345718");
    ck_assert_str_eq(json_string_value(json_object_get(fulfillment, "tracking_company")), "UPS");
    json_decref(answer.json);
    ck_assert(sim_order_find_fulfillment(sim_store_order_by_id(app.store, O2), id)
                  ->notify_customer);

    answer = ask("PUT", path, NULL, "{\"fulfillment\":{},\"send_email\":true}");
    ck_assert_int_eq(answer.status, 400);
    json_decref(answer.json);
    answer = ask("PUT", path, NULL, "{\"fulfillment\":{\"tracking_number\":\"X\"},"
                                     "\"send_email\":true}");
    ck_assert_int_eq(answer.status, 400);       /* send_email beside fulfillment: old API */
    json_decref(answer.json);

    char cancel[300];
    snprintf(cancel, sizeof(cancel), "%s/cancel", path);
    answer = ask("POST", cancel, NULL, NULL);
    ck_assert_int_eq(answer.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(data(&answer), "fulfillment"), "status")), "cancelled");
    json_decref(answer.json);
    ck_assert_int_eq(remaining(O2, HOODIE), 2);
    answer = ask("POST", cancel, NULL, NULL);
    ck_assert_int_eq(answer.status, 422);
    json_decref(answer.json);
    answer = ask("PUT", path, NULL, "{\"fulfillment\":{\"tracking_number\":\"X\"}}");
    ck_assert_int_eq(answer.status, 422);
    json_decref(answer.json);
    answer = ask("POST", B "/orders/" O2 "/fulfillments/nope/cancel", NULL, NULL);
    ck_assert_int_eq(answer.status, 404);
    ck_assert_str_eq(json_string_value(json_object_get(answer.json, "message")),
                     "fulfillment not found");
    json_decref(answer.json);

    /* the released units ship again: both of them */
    answer = ask("POST", B "/orders/" O2 "/fulfillments", NULL,
                  "{\"fulfillment\":{\"line_items\":[{\"id\":\"" HOODIE "\",\"ship_quantity\":2}]}}");
    ck_assert_int_eq(answer.status, 200);
    json_decref(answer.json);
    answer = ask("GET", B "/orders/" O2 "/fulfillments", NULL, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(data(&answer), "fulfillments")), 3);
    json_decref(answer.json);
}
END_TEST

START_TEST(carriers_and_state_round_trip)
{
    test_answer answer = ask("GET", B "/tracking/carriers", NULL, NULL);
    json_t *carriers = json_object_get(data(&answer), "tracking_carriers");
    ck_assert_int_ge(json_array_size(carriers), 10);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(carriers, 0), "code")),
                     "ups");
    json_decref(answer.json);

    answer = ask("POST", B "/orders/" O1 "/fulfillments", NULL,
                  "{\"fulfillment\":{\"line_items\":[{\"id\":\"" TSHIRT "\",\"ship_quantity\":1}]}}");
    json_decref(answer.json);
    answer = test_send(&app, "GET", "/__sim/state", NULL, NULL, NULL, NULL);
    ck_assert_int_eq(answer.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(answer.json, "platform")), "shoplazza");
    char err[300];
    sim_store *again = sim_store_from_json_as(answer.json, &sim_shoplazza_form, err, sizeof(err));
    ck_assert_msg(again != NULL, "%s", err);
    sim_order *order = sim_store_order_by_id(again, O1);
    ck_assert_int_eq(order->fulfillment_count, 1);
    ck_assert_int_eq(sim_item_remaining(&order->packages[0].items[0]), 1);
    ck_assert_int_eq(sim_item_remaining(&order->packages[0].items[1]), 2);
    sim_store_free(again);
    json_decref(answer.json);
}
END_TEST

START_TEST(generated_store_has_unpaid_and_cancelled)
{
    sim_store *store = sim_store_new(200);
    sim_store_set_form(store, &sim_shoplazza_form);
    json_t *document = sim_generate_store(200, 7);
    json_t *orders = json_object_get(document, "orders");
    char err[300];
    for (size_t i = 0; i < json_array_size(orders); i++) {
        json_t *order = json_array_get(orders, i);
        sim_shoplazza_form.adapt_generated(order, (long)i);
        ck_assert_msg(sim_store_add_core_order(store, order, err, sizeof(err)) == 0, "%s", err);
    }
    size_t unpaid = 0, cancelled = 0, refunded = 0;
    for (size_t i = 0; i < store->order_count; i++) {
        sim_order *order = store->orders[i];
        unpaid += strcmp(order->financial_status, "pending") == 0;
        cancelled += strcmp(order->status, "cancelled") == 0;
        refunded += order->packages[0].items[0].refunded > 0;
        ck_assert_int_eq(strlen(order->number), 8);
    }
    ck_assert_int_gt(unpaid, 0);
    ck_assert_int_gt(cancelled, 0);
    ck_assert_int_gt(refunded, 0);
    ck_assert_ptr_nonnull(sim_store_order_by_number(store, "100001"));
    json_decref(document);
    sim_store_free(store);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sim_shoplazza");
    TCase *tc = tcase_create("front");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, auth_request_id_and_shapes);
    tcase_add_test(tc, order_by_number_tolerates_padding);
    tcase_add_test(tc, list_ids_filters_count_and_cursor);
    tcase_add_test(tc, paid_status_rule);
    tcase_add_test(tc, business_errors);
    tcase_add_test(tc, remaining_quantity_and_ship_all);
    tcase_add_test(tc, cancel_releases_and_update_tracks);
    tcase_add_test(tc, carriers_and_state_round_trip);
    tcase_add_test(tc, generated_store_has_unpaid_and_cancelled);
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
