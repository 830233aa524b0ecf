/* test_sim_routes.c: the simulator's HTTP-independent layer (routes.c, reply.c, handlers):
 * routing (404, 405), the token (401), paging edges (limit 1..50, page, the page object),
 * order lookup by id, name (several orders may share one) and ids, the filters, the packages
 * listing, and the status codes
 * and bodies of create, bulk, update and cancel, driven through sim_dispatch. */
#include <stdlib.h>
#include "routes.h"
#include "test_sim_util.h"

typedef struct fake_query {
    const char *pairs[16][2];
} fake_query;

static const char *fake_lookup(void *ctx, const char *key)
{
    fake_query *query = ctx;
    for (size_t i = 0; query && i < 16 && query->pairs[i][0]; i++)
        if (strcmp(query->pairs[i][0], key) == 0)
            return query->pairs[i][1];
    return NULL;
}

static sim_app app;

static void setup(void)
{
    memset(&app, 0, sizeof(app));
    app.store = test_store_new();
    app.token = "secret";
}

static void teardown(void)
{
    sim_store_free(app.store);
}

/* Sends one request; returns the status and the parsed body (caller decrefs). */
static int call(const char *method, const char *path, fake_query *query, const char *body,
                json_t **json)
{
    sim_request request;
    sim_reply reply;
    memset(&request, 0, sizeof(request));
    request.method = method;
    request.path = path;
    request.authorization = "secret";
    request.query = fake_lookup;
    request.query_ctx = query;
    request.body = body;
    request.body_len = body ? strlen(body) : 0;
    sim_dispatch(&app, &request, &reply);
    int status = reply.status;
    json_error_t error;
    *json = json_loadb(reply.body, reply.len, 0, &error);
    ck_assert_msg(*json != NULL, "%s %s: body is not JSON: %.*s", method, path, (int)reply.len,
                  reply.body);
    sim_reply_clear(&reply);
    return status;
}

static const char *error_code(json_t *json)
{
    return json_string_value(json_object_get(json_object_get(json, "error"), "code"));
}

static long next_page(json_t *json)
{
    json_t *next = json_object_get(json_object_get(json, "page"), "next");
    return json_is_null(next) ? 0 : (long)json_integer_value(next);
}

START_TEST(auth_and_routing)
{
    sim_request request;
    sim_reply reply;
    memset(&request, 0, sizeof(request));
    request.method = "GET";
    request.path = "/api/v2/orders/o1";
    sim_dispatch(&app, &request, &reply);
    ck_assert_int_eq(reply.status, 401);
    sim_reply_clear(&reply);
    request.authorization = "Bearer secret";
    sim_dispatch(&app, &request, &reply);
    ck_assert_int_eq(reply.status, 401);
    sim_reply_clear(&reply);
    request.path = "/__sim/stats";      /* admin: no token */
    request.authorization = NULL;
    sim_dispatch(&app, &request, &reply);
    ck_assert_int_eq(reply.status, 200);
    sim_reply_clear(&reply);
    json_t *json;
    ck_assert_int_eq(call("GET", "/api/v2/nothing", NULL, NULL, &json), 404);
    ck_assert_str_eq(error_code(json), "notFound");
    json_decref(json);
    ck_assert_int_eq(call("DELETE", "/api/v2/orders/o1", NULL, NULL, &json), 405);
    json_decref(json);
    ck_assert_int_eq(call("GET", "/api/v2/orders/o1/", NULL, NULL, &json), 200);
    json_decref(json);
    ck_assert_int_eq(call("GET", "/api/v2/orders/zz", NULL, NULL, &json), 404);
    ck_assert_str_eq(error_code(json), "orderNotFound");
    ck_assert(json_is_false(json_object_get(json, "success")));
    json_decref(json);
}
END_TEST

START_TEST(paging_edges)
{
    json_t *json;
    fake_query q = { { { "limit", "0" } } };
    ck_assert_int_eq(call("GET", "/api/v2/orders", &q, NULL, &json), 400);
    json_decref(json);
    q = (fake_query){ { { "limit", "51" } } };
    ck_assert_int_eq(call("GET", "/api/v2/orders", &q, NULL, &json), 400);
    ck_assert_str_eq(error_code(json), "invalidRequest");
    json_decref(json);
    q = (fake_query){ { { "page", "0" } } };
    ck_assert_int_eq(call("GET", "/api/v2/orders", &q, NULL, &json), 400);
    json_decref(json);
    q = (fake_query){ { { "limit", "abc" } } };
    ck_assert_int_eq(call("GET", "/api/v2/orders", &q, NULL, &json), 400);
    json_decref(json);
    q = (fake_query){ { { "limit", "50" } } };
    ck_assert_int_eq(call("GET", "/api/v2/orders", &q, NULL, &json), 200);
    ck_assert_uint_eq(json_array_size(json_object_get(json, "orders")), 5);
    ck_assert_int_eq(next_page(json), 0);
    json_decref(json);
    /* 5 orders, limit 2: pages 1, 2 full, 3 has one, 4 empty */
    const char *pages[] = { "1", "2", "3", "4" };
    size_t sizes[] = { 2, 2, 1, 0 };
    long nexts[] = { 2, 3, 0, 0 };
    for (int i = 0; i < 4; i++) {
        q = (fake_query){ { { "limit", "2" }, { "page", pages[i] } } };
        ck_assert_int_eq(call("GET", "/api/v2/orders", &q, NULL, &json), 200);
        ck_assert_uint_eq(json_array_size(json_object_get(json, "orders")), sizes[i]);
        ck_assert_int_eq(next_page(json), nexts[i]);
        ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json, "page"),
                                                            "current")), i + 1);
        json_decref(json);
    }
    /* exactly a full last page: no next */
    q = (fake_query){ { { "limit", "5" } } };
    ck_assert_int_eq(call("GET", "/api/v2/orders", &q, NULL, &json), 200);
    ck_assert_int_eq(next_page(json), 0);
    json_decref(json);
}
END_TEST

static size_t order_count(const char *key, const char *value, int expect_status)
{
    json_t *json;
    fake_query q = { { { key, value } } };
    ck_assert_int_eq(call("GET", "/api/v2/orders", &q, NULL, &json), expect_status);
    size_t count = json_array_size(json_object_get(json, "orders"));
    json_decref(json);
    return count;
}

START_TEST(order_lookups_and_filters)
{
    ck_assert_uint_eq(order_count("name", "#2", 200), 1);
    ck_assert_uint_eq(order_count("name", "2", 200), 1);
    ck_assert_uint_eq(order_count("name", "#9", 200), 0);
    ck_assert_uint_eq(order_count("ids", "o1,o3,zz,o1", 200), 2);
    ck_assert_uint_eq(order_count("fulfillmentStatus", "fulfilled", 200), 1);    /* o4 */
    ck_assert_uint_eq(order_count("fulfillmentStatus", "unfulfilled", 200), 4);
    ck_assert_uint_eq(order_count("fulfillmentStatus", "shipped", 400), 0);
    ck_assert_uint_eq(order_count("updatedAt[from]", "2026-11-21T11:00:00Z", 200), 4);
    ck_assert_uint_eq(order_count("updatedAt[to]", "2026-11-21", 200), 2);   /* whole day */
    ck_assert_uint_eq(order_count("updatedAt[to]", "yesterday", 400), 0);
    char ids[51 * 4] = "";
    for (int i = 0; i < 51; i++)
        strcat(ids, i ? ",o1" : "o1");
    ck_assert_uint_eq(order_count("ids", ids, 400), 0);
    json_t *json;
    fake_query q = { { { "ids", "o4,o1" } } };
    ck_assert_int_eq(call("GET", "/api/v2/orders", &q, NULL, &json), 200);
    json_t *orders = json_object_get(json, "orders");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(orders, 0), "id")), "o4");
    json_t *packages = json_object_get(json_array_get(orders, 0), "packages");
    ck_assert_uint_eq(json_array_size(json_object_get(json_array_get(packages, 0), "items")), 1);
    ck_assert_uint_eq(json_array_size(json_object_get(json_array_get(orders, 0),
                                                      "fulfillments")), 1);
    json_decref(json);
}
END_TEST

/* The ids of the orders of GET /api/v2/orders?q, comma-joined, and the next page (0: none). */
static const char *listed_ids(fake_query *query, long *next)
{
    static char ids[2048];
    json_t *json;
    ck_assert_int_eq(call("GET", "/api/v2/orders", query, NULL, &json), 200);
    json_t *orders = json_object_get(json, "orders");
    ids[0] = '\0';
    for (size_t i = 0; i < json_array_size(orders); i++) {
        if (i)
            strcat(ids, ",");
        strcat(ids, json_string_value(json_object_get(json_array_get(orders, i), "id")));
    }
    *next = next_page(json);
    json_decref(json);
    return ids;
}

/* 60 orders named #7 (s0..s59, every third canceled) among orders #8: ?name= returns them all,
 * in store order, paged, filtered, and intersected with ?ids=. */
START_TEST(orders_sharing_a_name)
{
    char err[300], text[200];
    sim_store_free(app.store);
    app.store = sim_store_new(120);
    for (int i = 0; i < 60; i++) {
        snprintf(text, sizeof(text), "{\"id\":\"s%d\",\"name\":\"%s\",\"status\":\"%s\"}", i,
                 i % 2 ? "7" : "#7", i % 3 ? "paid" : "canceled");
        json_t *order = test_json(text);
        ck_assert_msg(sim_store_add_order(app.store, order, err, sizeof(err)) == 0, "%s", err);
        json_decref(order);
        snprintf(text, sizeof(text), "{\"id\":\"t%d\",\"name\":\"#8\"}", i);
        order = test_json(text);
        ck_assert_msg(sim_store_add_order(app.store, order, err, sizeof(err)) == 0, "%s", err);
        json_decref(order);
    }
    char want[1024] = "";
    for (int i = 0; i < 50; i++)
        snprintf(want + strlen(want), sizeof(want) - strlen(want), "%ss%d", i ? "," : "", i);
    long next;
    fake_query q = { { { "name", "#7" } } };
    ck_assert_str_eq(listed_ids(&q, &next), want);
    ck_assert_int_eq(next, 2);
    q = (fake_query){ { { "name", "7" }, { "page", "2" } } };
    ck_assert_str_eq(listed_ids(&q, &next), "s50,s51,s52,s53,s54,s55,s56,s57,s58,s59");
    ck_assert_int_eq(next, 0);
    q = (fake_query){ { { "name", "7" }, { "limit", "2" }, { "page", "3" } } };
    ck_assert_str_eq(listed_ids(&q, &next), "s4,s5");
    ck_assert_int_eq(next, 4);
    q = (fake_query){ { { "name", "#7" }, { "status", "canceled" }, { "limit", "3" } } };
    ck_assert_str_eq(listed_ids(&q, &next), "s0,s3,s6");
    ck_assert_int_eq(next, 2);
    q = (fake_query){ { { "ids", "s9,t1,s2,zz,s9" }, { "name", "7" } } };
    ck_assert_str_eq(listed_ids(&q, &next), "s9,s2");
    q = (fake_query){ { { "name", "#8" }, { "limit", "1" } } };
    ck_assert_str_eq(listed_ids(&q, &next), "t0");
    ck_assert_int_eq(next, 2);
    q = (fake_query){ { { "name", "#9" } } };
    ck_assert_str_eq(listed_ids(&q, &next), "");
}
END_TEST

START_TEST(packages_endpoints)
{
    json_t *json;
    fake_query q = { { { "status", "pending" } } };
    ck_assert_int_eq(call("GET", "/api/v2/packages", &q, NULL, &json), 200);
    ck_assert_uint_eq(json_array_size(json_object_get(json, "packages")), 4);  /* p1 p2 p3 p7 */
    json_decref(json);
    q = (fake_query){ { { "status", "canceled" }, { "limit", "1" } } };
    ck_assert_int_eq(call("GET", "/api/v2/packages", &q, NULL, &json), 200);
    ck_assert_uint_eq(json_array_size(json_object_get(json, "packages")), 1);
    ck_assert_int_eq(next_page(json), 2);
    json_decref(json);
    q = (fake_query){ { { "orderId", "o1" } } };
    ck_assert_int_eq(call("GET", "/api/v2/packages", &q, NULL, &json), 200);
    ck_assert_uint_eq(json_array_size(json_object_get(json, "packages")), 2);
    json_decref(json);
    q = (fake_query){ { { "status", "lost" } } };
    ck_assert_int_eq(call("GET", "/api/v2/packages", &q, NULL, &json), 400);
    json_decref(json);
    ck_assert_int_eq(call("GET", "/api/v2/packages/p3", NULL, NULL, &json), 200);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json, "package"),
                                                       "orderId")), "o2");
    json_decref(json);
    ck_assert_int_eq(call("GET", "/api/v2/packages/f3", NULL, NULL, &json), 200);
    json_decref(json);
    ck_assert_int_eq(call("GET", "/api/v2/packages/nope", NULL, NULL, &json), 404);
    ck_assert_str_eq(error_code(json), "packageNotFound");
    json_decref(json);
    ck_assert_int_eq(call("GET", "/api/v2/orders/o1/packages", NULL, NULL, &json), 200);
    ck_assert_uint_eq(json_array_size(json_object_get(json, "packages")), 2);
    json_decref(json);
}
END_TEST

START_TEST(write_endpoints)
{
    json_t *json;
    const char *bulk = "{\"fulfillments\":[{\"fulfillmentOrderId\":\"f1\",\"tracking\":"
                       "{\"number\":\"T1\"},\"items\":[{\"id\":\"a\",\"quantity\":1}]}]}";
    ck_assert_int_eq(call("POST", "/api/v2/orders/o1/packages/fulfillments", NULL, bulk, &json),
                     200);
    ck_assert(json_is_true(json_object_get(json, "success")));
    json_decref(json);
    const char *mixed = "{\"fulfillments\":[{\"fulfillmentOrderId\":\"f1\",\"tracking\":"
                        "{\"number\":\"T2\"},\"items\":[{\"id\":\"a\",\"quantity\":9}]}]}";
    ck_assert_int_eq(call("POST", "/api/v2/orders/o1/packages/fulfillments", NULL, mixed, &json),
                     207);
    ck_assert(json_is_true(json_object_get(json, "success")));
    ck_assert_uint_eq(json_array_size(json_object_get(json, "results")), 1);
    json_decref(json);
    ck_assert_int_eq(call("POST", "/api/v2/orders/o1/packages/fulfillments", NULL,
                          "{\"fulfillments\":[]}", &json), 400);
    ck_assert_ptr_null(json_object_get(json, "results"));
    json_decref(json);
    ck_assert_int_eq(call("POST", "/api/v2/orders/o1/packages/fulfillments", NULL, "{bad", &json),
                     400);
    json_decref(json);
    ck_assert_int_eq(call("POST", "/api/v2/orders/zz/packages/fulfillments", NULL, bulk, &json),
                     404);
    ck_assert_str_eq(error_code(json), "orderNotFound");
    json_decref(json);
    /* single create: 201, and each refusal with its own status */
    ck_assert_int_eq(call("POST", "/api/v2/orders/o2/fulfillments", NULL,
                          "{\"fulfillment\":{\"fulfillmentOrderId\":\"f3\",\"tracking\":"
                          "{\"number\":\"T3\"},\"items\":[{\"id\":\"d\",\"quantity\":\"1\"}]}}",
                          &json), 201);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json, "fulfillment"),
                                                       "id")), "ful_2_1");
    json_decref(json);
    ck_assert_int_eq(call("POST", "/api/v2/orders/o2/fulfillments", NULL,
                          "{\"fulfillment\":{\"tracking\":{\"number\":\"T3\"}}}", &json), 400);
    ck_assert_str_eq(error_code(json), "fulfillmentOrderIdMissing");
    json_decref(json);
    ck_assert_int_eq(call("POST", "/api/v2/orders/o2/fulfillments", NULL,
                          "{\"fulfillment\":{\"fulfillmentOrderId\":\"f9\",\"tracking\":"
                          "{\"number\":\"T3\"}}}", &json), 404);
    ck_assert_str_eq(error_code(json), "packageNotFound");
    json_decref(json);
    ck_assert_int_eq(call("POST", "/api/v2/orders/o3/fulfillments", NULL,
                          "{\"fulfillment\":{\"tracking\":{\"number\":\"T3\"}}}", &json), 422);
    ck_assert_str_eq(error_code(json), "orderCanceled");
    json_decref(json);
    /* update and cancel */
    ck_assert_int_eq(call("PUT", "/api/v2/orders/o2/fulfillments/ful_2_1", NULL,
                          "{\"fulfillment\":{\"notifyCustomer\":true}}", &json), 200);
    json_decref(json);
    ck_assert_int_eq(call("PUT", "/api/v2/orders/o2/fulfillments/ful_2_9", NULL,
                          "{\"fulfillment\":{\"notifyCustomer\":true}}", &json), 404);
    ck_assert_str_eq(error_code(json), "fulfillmentNotFound");
    json_decref(json);
    ck_assert_int_eq(call("POST", "/api/v2/orders/o2/fulfillments/ful_2_1/cancel", NULL, NULL,
                          &json), 200);
    json_decref(json);
    ck_assert_int_eq(call("POST", "/api/v2/orders/o2/fulfillments/ful_2_1/cancel", NULL, NULL,
                          &json), 422);
    ck_assert_str_eq(error_code(json), "fulfillmentNotCancelable");
    json_decref(json);
    ck_assert_int_eq(call("GET", "/api/v2/orders/o2/fulfillments", NULL, NULL, &json), 200);
    ck_assert_uint_eq(json_array_size(json_object_get(json, "fulfillments")), 1);
    json_decref(json);
    ck_assert_int_eq(call("GET", "/api/v2/orders/o2/fulfillments/ful_2_1", NULL, NULL, &json),
                     200);
    json_t *status = json_object_get(json_object_get(json, "fulfillment"), "status");
    ck_assert_str_eq(json_string_value(json_object_get(status, "ecartapi")), "canceled");
    json_decref(json);
    ck_assert_int_eq(test_fulfilled(app.store, "p3", "d"), 0);
}
END_TEST

START_TEST(admin_state_and_reset)
{
    json_t *json;
    ck_assert_int_eq(call("POST", "/api/v2/orders/o5/fulfillments", NULL,
                          "{\"fulfillment\":{\"tracking\":{\"number\":\"T5\"}}}", &json), 201);
    json_decref(json);
    ck_assert_int_eq(call("GET", "/__sim/state", NULL, NULL, &json), 200);
    json_t *orders = json_object_get(json, "orders");
    ck_assert_uint_eq(json_array_size(orders), 5);
    ck_assert_uint_eq(json_array_size(json_object_get(json_array_get(orders, 4), "fulfillments")),
                      1);
    json_decref(json);
    ck_assert_int_eq(call("POST", "/__sim/reset", NULL, NULL, &json), 200);
    json_decref(json);
    ck_assert_int_eq(test_fulfilled(app.store, "p7", "h"), 0);
    ck_assert_uint_eq(sim_store_order_by_id(app.store, "o5")->fulfillment_count, 0);
}
END_TEST

static Suite *routes_suite(void)
{
    Suite *suite = suite_create("sim_routes");
    TCase *tc = tcase_create("dispatch");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, auth_and_routing);
    tcase_add_test(tc, paging_edges);
    tcase_add_test(tc, order_lookups_and_filters);
    tcase_add_test(tc, orders_sharing_a_name);
    tcase_add_test(tc, packages_endpoints);
    tcase_add_test(tc, write_endpoints);
    tcase_add_test(tc, admin_state_and_reset);
    suite_add_tcase(suite, tc);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(routes_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
