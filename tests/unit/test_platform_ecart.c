/* test_platform_ecart.c: the Ecart adapter: paths, request bodies (checked by parsing them back)
 * and response decoding, including string quantities, status words as enums, unknown fields,
 * summaries without items, and malformed or wrong-shaped bodies (an error value, never a
 * crash). */
#include <check.h>
#include "shipload/url.h"
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "platform/ecart/ecart.h"

#define BODY(text) text, strlen(text)

/* ---------------------------------------------------------------- paths */

START_TEST(paths_escape_query_values_and_segments)
{
    char *path = sl_ecart_path_orders_by_name("#1001", 1);
    ck_assert_str_eq(path, "/api/v2/orders?name=%231001&limit=50");
    free(path);
    path = sl_ecart_path_orders_by_name("1001 A&B", 3);
    ck_assert_str_eq(path, "/api/v2/orders?name=1001%20A%26B&limit=50&page=3");
    free(path);
    const char *ids[] = { "5132352356607", "a/b", "x y" };
    path = sl_ecart_path_orders_by_ids(ids, 3);
    ck_assert_str_eq(path, "/api/v2/orders?ids=5132352356607,a%2Fb,x%20y&limit=50");
    free(path);
    path = sl_ecart_path_order("51/3");
    ck_assert_str_eq(path, "/api/v2/orders/51%2F3");
    free(path);
    path = sl_ecart_path_order_packages("5");
    ck_assert_str_eq(path, "/api/v2/orders/5/packages");
    free(path);
    path = sl_ecart_path_order_fulfillments("5", 2);
    ck_assert_str_eq(path, "/api/v2/orders/5/fulfillments?limit=50&page=2");
    free(path);
    path = sl_ecart_path_bulk_fulfillments("5");
    ck_assert_str_eq(path, "/api/v2/orders/5/packages/fulfillments");
    free(path);
    path = sl_ecart_path_fulfillment("5", "ful 1");
    ck_assert_str_eq(path, "/api/v2/orders/5/fulfillments/ful%201");
    free(path);
    path = sl_ecart_path_fulfillment_cancel("5", "ful_1");
    ck_assert_str_eq(path, "/api/v2/orders/5/fulfillments/ful_1/cancel");
    free(path);
    path = sl_ecart_path_packages("pending", 2, 0);
    ck_assert_str_eq(path, "/api/v2/packages?limit=50&status=pending&page=2");
    free(path);
    path = sl_url_escape("ñ~._-");
    ck_assert_str_eq(path, "%C3%B1~._-");
    free(path);
}
END_TEST

START_TEST(paths_refuse_bad_arguments)
{
    const char *ids[51];
    for (int i = 0; i < 51; i++)
        ids[i] = "1";
    ck_assert_ptr_null(sl_ecart_path_orders_by_ids(ids, 51));
    ck_assert_ptr_null(sl_ecart_path_orders_by_ids(ids, 0));
    char *path = sl_ecart_path_orders_by_ids(ids, 50);
    ck_assert_ptr_nonnull(path);
    free(path);
    ck_assert_ptr_null(sl_ecart_path_order(""));
    ck_assert_ptr_null(sl_ecart_path_order(NULL));
    ck_assert_ptr_null(sl_ecart_path_orders_by_name("", 1));
    ck_assert_ptr_null(sl_ecart_path_fulfillment("5", NULL));
}
END_TEST

START_TEST(the_page_path_escapes_its_values)
{
    char *path = sl_export_path_orders_page("unfulfilled", "2026-11-20", 3, 50);
    ck_assert_str_eq(path, "/api/v2/orders?limit=50&page=3&fulfillmentStatus=unfulfilled"
                           "&updatedAt%5Bfrom%5D=2026-11-20");
    free(path);
    path = sl_export_path_orders_page(NULL, "a b&c", 1, 10);
    ck_assert_str_eq(path, "/api/v2/orders?limit=10&page=1&updatedAt%5Bfrom%5D=a%20b%26c");
    free(path);
    ck_assert_ptr_null(sl_export_path_orders_page(NULL, NULL, 0, 10));
    ck_assert_ptr_null(sl_export_path_orders_page(NULL, NULL, 1, 51));
}
END_TEST

/* ---------------------------------------------------------------- bodies */

START_TEST(encode_bulk_is_the_contract_shape)
{
    const char *tracking_a[] = { "1Z999AA10123456784" };
    const char *tracking_b[] = { "TRK1", "TRK2" };
    sl_item items[] = { { .id = "li_1", .quantity = 2 }, { .id = "li_2", .quantity = 1 } };
    sl_shipment requests[2] = {
        { .unit_write_id = "4903840776358", .tracking_numbers = tracking_a,
          .tracking_count = 1, .company = "UPS", .url = "https://ups.example/1Z",
          .items = items, .item_count = 2, .notify_customer = 1, .location_id = "loc_1",
          .shipping_method = "Standard", .shipping_date = "2026-11-21" },
        { .unit_write_id = "4903840776359", .tracking_numbers = tracking_b,
          .tracking_count = 2, .company = "DHL Express", .notify_customer = -1 },
    };
    char *text = sl_ecart_encode_bulk(requests, 2);
    ck_assert_ptr_nonnull(text);
    json_error_t error;
    json_t *root = json_loads(text, 0, &error);
    ck_assert_ptr_nonnull(root);
    json_t *entries = json_object_get(root, "fulfillments");
    ck_assert(json_is_array(entries));
    ck_assert_uint_eq(json_array_size(entries), 2);

    json_t *first = json_array_get(entries, 0);
    ck_assert_str_eq(json_string_value(json_object_get(first, "fulfillmentOrderId")),
                     "4903840776358");
    json_t *tracking = json_object_get(first, "tracking");
    ck_assert_str_eq(json_string_value(json_object_get(tracking, "number")), "1Z999AA10123456784");
    ck_assert_ptr_null(json_object_get(tracking, "numbers"));
    ck_assert_str_eq(json_string_value(json_object_get(tracking, "company")), "UPS");
    ck_assert_str_eq(json_string_value(json_object_get(tracking, "url")), "https://ups.example/1Z");
    json_t *first_items = json_object_get(first, "items");
    ck_assert_uint_eq(json_array_size(first_items), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(first_items, 1), "id")),
                     "li_2");
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(first_items, 0),
                                                        "quantity")), 2);
    ck_assert(json_is_true(json_object_get(first, "notifyCustomer")));
    ck_assert_str_eq(json_string_value(json_object_get(first, "locationId")), "loc_1");
    ck_assert_str_eq(json_string_value(json_object_get(first, "shippingMethod")), "Standard");
    ck_assert_str_eq(json_string_value(json_object_get(first, "shippingDate")), "2026-11-21");

    json_t *second = json_array_get(entries, 1);
    ck_assert_ptr_null(json_object_get(second, "items"));        /* whole package */
    ck_assert_ptr_null(json_object_get(second, "notifyCustomer"));
    ck_assert_ptr_null(json_object_get(second, "shippingDate"));
    json_t *numbers = json_object_get(json_object_get(second, "tracking"), "numbers");
    ck_assert_uint_eq(json_array_size(numbers), 2);
    ck_assert_str_eq(json_string_value(json_array_get(numbers, 1)), "TRK2");
    json_decref(root);
    free(text);

    ck_assert_ptr_null(sl_ecart_encode_bulk(requests, 0));
}
END_TEST

START_TEST(encode_single_wraps_in_fulfillment)
{
    const char *tracking[] = { "TRK\"quoted\"" };
    sl_shipment request = { .unit_write_id = "f1",
                                       .tracking_numbers = tracking, .tracking_count = 1,
                                       .notify_customer = 0 };
    char *text = sl_ecart_encode_single(&request);
    ck_assert_ptr_nonnull(text);
    json_t *root = json_loads(text, 0, NULL);
    ck_assert_ptr_nonnull(root);
    json_t *fulfillment = json_object_get(root, "fulfillment");
    ck_assert_str_eq(json_string_value(json_object_get(fulfillment, "fulfillmentOrderId")), "f1");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(fulfillment, "tracking"),
                                                       "number")), "TRK\"quoted\"");
    ck_assert(json_is_false(json_object_get(fulfillment, "notifyCustomer")));
    json_decref(root);
    free(text);

    const char *bad[] = { "\xff\xfe" };   /* invalid UTF-8 cannot be encoded */
    request.tracking_numbers = bad;
    ck_assert_ptr_null(sl_ecart_encode_single(&request));
}
END_TEST

/* ---------------------------------------------------------------- orders */

static const char *orders_body =
    "{\"success\":true,\"orders\":["
    "{\"id\":\"5132352356607\",\"number\":\"1001\",\"name\":\"#1001\",\"unknownField\":{\"x\":[1]},"
    " \"status\":{\"ecartapi\":\"paid\"},\"fulfillmentStatus\":{\"ecartapi\":\"unfulfilled\"},"
    " \"items\":[{\"id\":\"li_1\",\"sku\":\"TSHIRT-BLU-M\",\"quantity\":\"2\",\"name\":\"T-shirt\"}],"
    " \"shippingAddress\":{\"firstName\":\"Ana\",\"company\":null,\"state\":{\"code\":\"NL\"},"
    "   \"country\":{\"code\":\"MX\"},\"city\":\"Monterrey\"},"
    " \"shippingMethod\":\"Standard\",\"dates\":{\"updatedAt\":\"2026-11-20T10:00:00Z\"},"
    " \"packages\":["
    "  {\"id\":\"pk_1\",\"fulfillmentOrderId\":\"4903840776358\",\"number\":\"1001-1\","
    "   \"status\":{\"ecartapi\":\"pending\"},\"locationId\":\"loc_1\",\"type\":\"default\","
    "   \"items\":[{\"id\":\"li_1\",\"sku\":\"TSHIRT-BLU-M\",\"quantity\":\"2\",\"fulfilledQuantity\":\"1\"}]},"
    "  {\"id\":\"pk_2\",\"fulfillmentOrderId\":\"4903840776359\",\"status\":\"pending\"}]},"
    "{\"id\":42,\"name\":\"#1002\",\"items\":[{\"id\":\"li_9\",\"quantity\":3.0}],"
    " \"packages\":[{\"id\":\"pk_9\",\"items\":[]}],"
    " \"fulfillments\":[{\"id\":\"ful_1\",\"tracking\":{\"number\":\"1Z1\",\"company\":\"UPS\"},"
    "   \"items\":[{\"id\":\"li_9\",\"quantity\":\"1\"}],\"status\":{\"ecartapi\":\"shipped\"}}]}"
    "],\"page\":{\"current\":1,\"next\":2}}";

START_TEST(decode_orders_accepts_strings_and_ignores_unknown_fields)
{
    sl_order **orders = NULL;
    size_t count = 0;
    int next_page = -1;
    sl_error err = { "" };
    ck_assert_int_eq(sl_ecart_decode_orders(BODY(orders_body), &orders, &count, &next_page, &err),
                     0);
    ck_assert_uint_eq(count, 2);
    ck_assert_int_eq(next_page, 2);
    sl_order *order = orders[0];
    ck_assert_str_eq(order->id, "5132352356607");
    ck_assert_str_eq(order->number, "1001");
    ck_assert_str_eq(order->name, "#1001");
    ck_assert_str_eq(order->status_text, "paid");
    ck_assert_int_eq(order->status, SL_ORDER_STATUS_OPEN);
    ck_assert_int_eq(order->payment, SL_PAYMENT_PAID);
    ck_assert_str_eq(order->shipping_text, "unfulfilled");
    ck_assert_int_eq(order->shipping, SL_ORDER_SHIPPING_NONE);
    ck_assert_str_eq(order->updated_at, "2026-11-20T10:00:00Z");
    ck_assert_str_eq(order->shipping_method, "Standard");
    ck_assert_str_eq(order->shipping_address->first_name, "Ana");
    ck_assert_ptr_null(order->shipping_address->company);
    ck_assert_ptr_null(order->shipping_address->last_name);
    ck_assert_str_eq(order->shipping_address->state_code, "NL");
    ck_assert_str_eq(order->shipping_address->country_code, "MX");
    ck_assert_uint_eq(order->item_count, 1);
    ck_assert_int_eq(order->items[0].quantity, 2);
    ck_assert_str_eq(order->items[0].sku, "TSHIRT-BLU-M");
    ck_assert_uint_eq(order->unit_count, 2);
    ck_assert_str_eq(order->units[0].id, "pk_1");
    ck_assert_str_eq(order->units[0].write_id, "4903840776358");
    ck_assert_str_eq(order->units[0].number, "1001-1");
    ck_assert_str_eq(order->units[0].location_id, "loc_1");
    ck_assert_str_eq(order->units[0].status_text, "pending");
    ck_assert_int_eq(order->units[0].status, SL_UNIT_STATUS_OPEN);
    ck_assert_int_eq(order->units[0].items_known, 1);
    ck_assert_uint_eq(order->units[0].item_count, 1);
    ck_assert_int_eq(order->units[0].items[0].quantity, 2);
    ck_assert_int_eq(order->units[0].items[0].fulfilled_quantity, 1);
    /* a summary without items: to be read with GET /orders/{id}/packages */
    ck_assert_int_eq(order->units[1].items_known, 0);
    ck_assert_uint_eq(order->units[1].item_count, 0);
    ck_assert_str_eq(order->units[1].status_text, "pending");
    ck_assert_int_eq(order->fulfillments_known, 0);

    order = orders[1];
    ck_assert_str_eq(order->id, "42");                  /* an integer id */
    ck_assert_ptr_null(order->number);
    ck_assert_ptr_null(order->status_text);
    ck_assert_int_eq(order->status, SL_ORDER_STATUS_UNKNOWN);
    ck_assert_int_eq(order->items[0].quantity, 3);      /* 3.0 */
    ck_assert_int_eq(order->units[0].items_known, 1); /* "items": [] is known-empty */
    ck_assert_int_eq(order->fulfillments_known, 1);
    ck_assert_uint_eq(order->fulfillment_count, 1);
    ck_assert_str_eq(order->fulfillments[0].id, "ful_1");
    ck_assert_uint_eq(order->fulfillments[0].tracking_count, 1);
    ck_assert_str_eq(order->fulfillments[0].tracking_numbers[0], "1Z1");
    ck_assert_str_eq(order->fulfillments[0].company, "UPS");
    ck_assert_str_eq(order->fulfillments[0].status_text, "shipped");
    ck_assert_int_eq(order->fulfillments[0].status, SL_FULFILLMENT_STATUS_ACTIVE);
    ck_assert_int_eq(order->fulfillments[0].items[0].quantity, 1);
    sl_orders_free(orders, count);
}
END_TEST

START_TEST(decode_orders_empty_and_last_page)
{
    sl_order **orders = NULL;
    size_t count = 5;
    int next_page = 7;
    sl_error err = { "" };
    const char *body = "{\"success\":true,\"orders\":[],\"page\":{\"current\":1,\"next\":null}}";
    ck_assert_int_eq(sl_ecart_decode_orders(BODY(body), &orders, &count, &next_page, &err), 0);
    ck_assert_uint_eq(count, 0);
    ck_assert_int_eq(next_page, 0);
    sl_orders_free(orders, count);
    body = "{\"success\":true,\"orders\":[]}";  /* no page object: no next page */
    next_page = 7;
    ck_assert_int_eq(sl_ecart_decode_orders(BODY(body), &orders, &count, &next_page, &err), 0);
    ck_assert_int_eq(next_page, 0);
    sl_orders_free(orders, count);
}
END_TEST

/* Every malformed body is -1 with a message, and nothing is returned. */
static void expect_orders_error(const char *body, const char *fragment)
{
    sl_order **orders = (sl_order **)1;
    size_t count = 9;
    int next_page = 9;
    sl_error err = { "" };
    ck_assert_msg(sl_ecart_decode_orders(body, strlen(body), &orders, &count, &next_page, &err) ==
                      -1, "accepted: %s", body);
    ck_assert_ptr_null(orders);
    ck_assert_uint_eq(count, 0);
    ck_assert_msg(strstr(err.message, fragment) != NULL, "message \"%s\" lacks \"%s\"",
                  err.message, fragment);
}

START_TEST(decode_orders_malformed_is_an_error)
{
    expect_orders_error("{\"success\":true,\"orders\":[{\"id\":\"1\"", "malformed JSON");
    expect_orders_error("", "empty");
    expect_orders_error("[1,2]", "not a JSON object");
    expect_orders_error("{\"success\":true}", "orders: missing");
    expect_orders_error("{\"success\":true,\"orders\":{}}", "expected an array");
    expect_orders_error("{\"success\":true,\"orders\":[17]}", "orders[0]: expected an object");
    expect_orders_error("{\"success\":true,\"orders\":[{\"name\":\"#1\"}]}", "orders[0].id: missing");
    expect_orders_error("{\"success\":true,\"orders\":[{\"id\":\"1\",\"items\":"
                        "[{\"id\":\"li\",\"quantity\":\"two\"}]}]}",
                        "orders[0].items[0].quantity: not a quantity");
    expect_orders_error("{\"success\":true,\"orders\":[{\"id\":\"1\",\"items\":"
                        "[{\"id\":\"li\",\"quantity\":-1}]}]}", "out of range");
    expect_orders_error("{\"success\":true,\"orders\":[{\"id\":\"1\",\"items\":"
                        "[{\"id\":\"li\",\"quantity\":[1]}]}]}", "expected a number");
    expect_orders_error("{\"success\":true,\"orders\":[{\"id\":\"1\",\"packages\":"
                        "[{\"id\":\"p\",\"items\":[{\"quantity\":1}]}]}]}",
                        "packages[0].items[0].id: missing");
    expect_orders_error("{\"success\":true,\"orders\":[{\"id\":\"1\",\"packages\":\"x\"}]}",
                        "packages: expected an array");
    expect_orders_error("{\"success\":true,\"orders\":[{\"id\":{\"a\":1}}]}", "expected a string");
    expect_orders_error("{\"success\":true,\"orders\":[{\"id\":\"1\",\"status\":5}]}",
                        "status: expected an object or a string");
    expect_orders_error("{\"success\":true,\"orders\":[],\"page\":{\"next\":\"x\"}}", "page.next");
    expect_orders_error("{\"success\":false,\"error\":{\"code\":\"unauthorized\",\"message\":\"no\"}}",
                        "unauthorized");
    /* a valid first order, a broken second one: nothing leaks, nothing is returned */
    expect_orders_error("{\"success\":true,\"orders\":[{\"id\":\"1\",\"items\":[{\"id\":\"a\"}]},"
                        "{\"id\":\"2\",\"fulfillments\":[{\"id\":\"f\",\"tracking\":"
                        "{\"numbers\":[1]}}]}]}", "numbers[0]: expected a string");
}
END_TEST

START_TEST(decode_order_single)
{
    sl_order *order = NULL;
    sl_error err = { "" };
    const char *body = "{\"success\":true,\"order\":{\"id\":\"77\",\"name\":\"#77\","
                       "\"packages\":[{\"id\":\"pk\"}]}}";
    ck_assert_int_eq(sl_ecart_decode_order(BODY(body), &order, &err), 0);
    ck_assert_str_eq(order->id, "77");
    ck_assert_uint_eq(order->unit_count, 1);
    ck_assert_int_eq(order->units[0].items_known, 0);
    sl_order_free(order);

    ck_assert_int_eq(sl_ecart_decode_order(BODY("{\"success\":true}"), &order, &err), -1);
    ck_assert_ptr_null(order);
    ck_assert_int_eq(sl_ecart_decode_order(BODY("{\"success\":true,\"order\":[]}"), &order, &err),
                     -1);
    ck_assert_ptr_null(order);
    ck_assert_int_eq(sl_ecart_decode_order(BODY("{\"order\":{\"id\":\"1\""), &order, &err), -1);
    ck_assert_ptr_null(order);
}
END_TEST

/* An order packed into one block holds the same values; it is freed with sl_order_free and
 * refuses further reads into it. */
START_TEST(order_pack_copies_everything_into_one_block)
{
    sl_order *order = NULL;
    sl_error err = { "" };
    const char *body =
        "{\"success\":true,\"order\":{\"id\":\"77\",\"number\":\"1077\",\"name\":\"#1077\","
        "\"status\":{\"ecartapi\":\"paid\"},\"shippingMethod\":\"Standard\","
        "\"shippingAddress\":{\"firstName\":\"Ana\",\"city\":\"Monterrey\"},"
        "\"items\":[{\"id\":\"li_1\",\"sku\":\"A\",\"quantity\":2,\"name\":\"T\"}],"
        "\"packages\":[{\"id\":\"pk_1\",\"fulfillmentOrderId\":\"fo_1\",\"number\":\"1077-1\","
        "\"locationId\":\"loc\",\"status\":{\"ecartapi\":\"pending\"},\"items\":["
        "{\"id\":\"li_1\",\"sku\":\"A\",\"quantity\":\"2\",\"fulfilledQuantity\":1},"
        "{\"id\":\"li_2\",\"sku\":null,\"quantity\":1}]},{\"id\":\"pk_2\"}]}}";
    ck_assert_int_eq(sl_ecart_decode_order(BODY(body), &order, &err), 0);
    const char *fulfillments = "{\"success\":true,\"fulfillments\":[{\"id\":\"ful_1\","
        "\"fulfillmentOrderId\":\"fo_1\",\"tracking\":{\"number\":\"T1\",\"numbers\":[\"T1\",\"T2\"],"
        "\"company\":\"UPS\",\"url\":\"https://u/T1\"},\"status\":{\"ecartapi\":\"shipped\"},"
        "\"items\":[{\"id\":\"li_1\",\"quantity\":1}]}]}";
    ck_assert_int_eq(sl_ecart_decode_fulfillments_into(BODY(fulfillments), order, NULL, &err), 0);
    sl_order *packed = sl_order_pack(order);
    ck_assert_ptr_nonnull(packed);
    ck_assert_int_eq(packed->packed, 1);
    ck_assert_str_eq(packed->id, "77");
    ck_assert_str_eq(packed->name, "#1077");
    ck_assert_str_eq(packed->status_text, "paid");
    ck_assert_str_eq(packed->shipping_method, "Standard");
    ck_assert_str_eq(packed->shipping_address->city, "Monterrey");
    ck_assert_ptr_null(packed->shipping_address->company);
    ck_assert_uint_eq(packed->item_count, 1);
    ck_assert_str_eq(packed->items[0].name, "T");
    ck_assert_uint_eq(packed->unit_count, 2);
    ck_assert_str_eq(packed->units[0].write_id, "fo_1");
    ck_assert_str_eq(packed->units[0].location_id, "loc");
    ck_assert_uint_eq(packed->units[0].item_count, 2);
    ck_assert_str_eq(packed->units[0].items[1].id, "li_2");
    ck_assert_int_eq(packed->units[0].items[0].quantity, 2);
    ck_assert_int_eq(packed->units[0].items[0].fulfilled_quantity, 1);
    ck_assert_int_eq(packed->units[0].items_known, order->units[0].items_known);
    ck_assert_int_eq(packed->units[1].items_known, order->units[1].items_known);
    ck_assert_str_eq(packed->units[1].id, "pk_2");
    ck_assert_uint_eq(packed->fulfillment_count, 1);
    ck_assert_int_eq(packed->fulfillments_known, 1);
    ck_assert_uint_eq(packed->fulfillments[0].tracking_count, 2);
    ck_assert_str_eq(packed->fulfillments[0].tracking_numbers[1], "T2");
    ck_assert_str_eq(packed->fulfillments[0].url, "https://u/T1");
    ck_assert_int_eq(packed->fulfillments[0].items[0].quantity, 1);
    /* nothing shared with the original: freeing it leaves the copy whole */
    ck_assert_ptr_ne(packed->id, order->id);
    sl_order_free(order);
    ck_assert_str_eq(packed->units[0].items[0].sku, "A");
    /* read-only: no read goes into a packed order */
    ck_assert_int_eq(sl_ecart_decode_fulfillments_into(BODY(fulfillments), packed, NULL, &err),
                     -1);
    ck_assert(strstr(err.message, "packed") != NULL);
    ck_assert_int_eq(sl_ecart_decode_packages_into(BODY("{\"success\":true,\"packages\":[]}"),
                                                   packed, &err), -1);
    ck_assert_uint_eq(packed->fulfillment_count, 1);
    sl_order_free(packed);   /* one block: ASan/valgrind check there is nothing else */
}
END_TEST

/* ---------------------------------------------------------------- packages */

START_TEST(decode_packages_into_replaces_summaries)
{
    sl_order *order = NULL;
    sl_error err = { "" };
    const char *order_body = "{\"success\":true,\"order\":{\"id\":\"7\",\"packages\":"
                             "[{\"id\":\"pk_1\"},{\"id\":\"pk_2\"}]}}";
    ck_assert_int_eq(sl_ecart_decode_order(BODY(order_body), &order, &err), 0);
    const char *body = "{\"success\":true,\"packages\":[{\"id\":\"pk_1\",\"orderId\":\"7\","
                       "\"fulfillmentOrderId\":\"fo1\",\"status\":{\"ecartapi\":\"shipped\"},"
                       "\"items\":[{\"id\":\"li_1\",\"sku\":\"A\",\"quantity\":\"3\","
                       "\"fulfilledQuantity\":3,\"extra\":true}],"
                       "\"dates\":{\"createdAt\":\"x\"}},{\"id\":\"pk_2\",\"items\":[]}]}";
    ck_assert_int_eq(sl_ecart_decode_packages_into(BODY(body), order, &err), 0);
    ck_assert_uint_eq(order->unit_count, 2);
    ck_assert_int_eq(order->units[0].items_known, 1);
    ck_assert_int_eq(order->units[1].items_known, 1);
    ck_assert_str_eq(order->units[0].status_text, "shipped");
    ck_assert_int_eq(order->units[0].status, SL_UNIT_STATUS_SHIPPED);
    ck_assert_int_eq(order->units[0].items[0].quantity, 3);
    ck_assert_int_eq(order->units[0].items[0].fulfilled_quantity, 3);

    /* a broken answer leaves the order as it was */
    const char *broken = "{\"success\":true,\"packages\":[{\"id\":\"pk_1\",\"items\":5}]}";
    ck_assert_int_eq(sl_ecart_decode_packages_into(BODY(broken), order, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.message, "items: expected an array"));
    ck_assert_uint_eq(order->unit_count, 2);
    ck_assert_str_eq(order->units[0].id, "pk_1");
    ck_assert_int_eq(sl_ecart_decode_packages_into(BODY("{\"success\":true,\"packages\":[{"),
                                                   order, &err), -1);
    sl_order_free(order);
}
END_TEST

START_TEST(decode_packages_list_with_order_ids)
{
    sl_unit *packages = NULL;
    char **order_ids = NULL;
    size_t count = 0;
    int next_page = 0;
    sl_error err = { "" };
    const char *body = "{\"success\":true,\"packages\":[{\"id\":\"pk_1\",\"orderId\":\"7\","
                       "\"items\":[{\"id\":\"li\",\"quantity\":1}]},{\"id\":\"pk_2\"}],"
                       "\"page\":{\"current\":1,\"next\":\"2\"}}";
    ck_assert_int_eq(sl_ecart_decode_packages(BODY(body), &packages, &order_ids, &count,
                                              &next_page, &err), 0);
    ck_assert_uint_eq(count, 2);
    ck_assert_int_eq(next_page, 2);
    ck_assert_str_eq(order_ids[0], "7");
    ck_assert_ptr_null(order_ids[1]);
    ck_assert_int_eq(packages[0].items[0].quantity, 1);
    for (size_t i = 0; i < count; i++)
        free(order_ids[i]);
    free(order_ids);
    sl_units_free(packages, count);

    ck_assert_int_eq(sl_ecart_decode_packages(BODY("{\"success\":true,\"packages\":[{\"id\":1.5}]}"),
                                              &packages, &order_ids, &count, &next_page, &err),
                     -1);
    ck_assert_ptr_null(packages);
    ck_assert_ptr_null(order_ids);
}
END_TEST

/* ---------------------------------------------------------------- fulfillments */

START_TEST(decode_fulfillments_appends_pages)
{
    sl_order order = { 0 };
    sl_error err = { "" };
    int next_page = 0;
    const char *page1 = "{\"success\":true,\"fulfillments\":[{\"id\":\"f1\",\"orderId\":\"7\","
                        "\"fulfillmentOrderId\":\"fo1\",\"tracking\":{\"number\":\"N1\","
                        "\"numbers\":[\"N1\",\"N2\"],\"company\":\"UPS\",\"companyId\":null,"
                        "\"urls\":[\"https://t/1\"]},\"status\":{\"ecartapi\":\"shipped\"},"
                        "\"items\":[{\"id\":\"li_1\",\"quantity\":\"2\"}],"
                        "\"notifyCustomer\":true}],\"page\":{\"current\":1,\"next\":2}}";
    const char *page2 = "{\"success\":true,\"fulfillments\":[{\"id\":\"f2\",\"tracking\":"
                        "{\"number\":\"N3\"}}],\"page\":{\"current\":2,\"next\":null}}";
    ck_assert_int_eq(sl_ecart_decode_fulfillments_into(BODY(page1), &order, &next_page, &err), 0);
    ck_assert_int_eq(next_page, 2);
    ck_assert_int_eq(order.fulfillments_known, 0);
    ck_assert_int_eq(sl_ecart_decode_fulfillments_into(BODY(page2), &order, &next_page, &err), 0);
    ck_assert_int_eq(next_page, 0);
    ck_assert_int_eq(order.fulfillments_known, 1);
    ck_assert_uint_eq(order.fulfillment_count, 2);
    sl_fulfillment *first = &order.fulfillments[0];
    ck_assert_str_eq(first->id, "f1");
    ck_assert_str_eq(first->unit_write_id, "fo1");
    ck_assert_uint_eq(first->tracking_count, 2);
    ck_assert_str_eq(first->tracking_numbers[1], "N2");
    ck_assert_str_eq(first->url, "https://t/1");
    ck_assert_str_eq(first->status_text, "shipped");
    ck_assert_int_eq(first->items[0].quantity, 2);
    ck_assert_str_eq(order.fulfillments[1].tracking_numbers[0], "N3");

    const char *broken = "{\"success\":true,\"fulfillments\":[{\"tracking\":{}}]}";
    ck_assert_int_eq(sl_ecart_decode_fulfillments_into(BODY(broken), &order, &next_page, &err),
                     -1);
    ck_assert_uint_eq(order.fulfillment_count, 2);
    sl_fulfillments_free(order.fulfillments, order.fulfillment_count);
}
END_TEST

START_TEST(decode_fulfillment_id_and_error)
{
    char *id = NULL, *code = NULL, *message = NULL;
    sl_error err = { "" };
    ck_assert_int_eq(sl_ecart_decode_fulfillment_id(
                         BODY("{\"success\":true,\"fulfillment\":{\"id\":\"ful_9\"}}"), &id, &err),
                     0);
    ck_assert_str_eq(id, "ful_9");
    free(id);
    ck_assert_int_eq(sl_ecart_decode_fulfillment_id(BODY("{\"success\":true}"), &id, &err), -1);
    ck_assert_ptr_null(id);
    ck_assert_int_eq(sl_ecart_decode_fulfillment_id(BODY("{\"success\":true,\"fulfillment\":{}}"),
                                                    &id, &err), -1);

    const char *error_body = "{\"success\":false,\"error\":{\"code\":\"orderNotFound\","
                             "\"message\":\"no such order\"}}";
    ck_assert_int_eq(sl_ecart_decode_error(BODY(error_body), &code, &message), 0);
    ck_assert_str_eq(code, "orderNotFound");
    ck_assert_str_eq(message, "no such order");
    free(code);
    free(message);
    ck_assert_int_eq(sl_ecart_decode_error(BODY("<html>502</html>"), &code, &message), -1);
    ck_assert_ptr_null(code);
    ck_assert_ptr_null(message);
    ck_assert_int_eq(sl_ecart_decode_error(BODY("{\"success\":false}"), &code, &message), -1);
    ck_assert_int_eq(sl_ecart_decode_error(BODY("{\"error\":\"Unauthorized\"}"), &code, &message),
                     0);
    ck_assert_ptr_null(code);
    ck_assert_str_eq(message, "Unauthorized");
    free(message);
}
END_TEST

/* ---------------------------------------------------------------- bulk */

START_TEST(decode_bulk_200_and_207_by_index)
{
    sl_bulk_result results[3];
    sl_error err = { "" };
    /* out of order on purpose: results are placed by index */
    const char *body =
        "{\"success\":true,\"results\":["
        "{\"index\":2,\"fulfillmentOrderId\":\"fo3\",\"success\":false,"
        " \"error\":{\"code\":\"quantityExceedsRemaining\",\"message\":\"only 1 left\"}},"
        "{\"index\":\"0\",\"fulfillmentOrderId\":\"fo1\",\"success\":true,"
        " \"fulfillment\":{\"id\":\"ful_1\",\"items\":[{\"id\":\"li\",\"quantity\":\"1\"}]}},"
        "{\"index\":1,\"success\":false,\"somethingNew\":1}]}";
    ck_assert_int_eq(sl_ecart_decode_bulk(BODY(body), results, 3, &err), 0);
    ck_assert_int_eq(results[0].success, 1);
    ck_assert_str_eq(results[0].fulfillment_id, "ful_1");
    ck_assert_int_eq(results[1].success, 0);
    ck_assert_ptr_null(results[1].error_code);
    ck_assert_int_eq(results[2].success, 0);
    ck_assert_str_eq(results[2].error_code, "quantityExceedsRemaining");
    ck_assert_str_eq(results[2].error_message, "only 1 left");
    for (int i = 0; i < 3; i++)
        sl_bulk_result_clear(&results[i]);
}
END_TEST

static void expect_bulk_error(const char *body, size_t expected, const char *fragment)
{
    sl_bulk_result results[4];
    sl_error err = { "" };
    ck_assert_msg(sl_ecart_decode_bulk(body, strlen(body), results, expected, &err) == -1,
                  "accepted: %s", body);
    for (size_t i = 0; i < expected; i++) {
        ck_assert_ptr_null(results[i].fulfillment_id);
        ck_assert_ptr_null(results[i].error_code);
    }
    ck_assert_msg(strstr(err.message, fragment) != NULL, "message \"%s\" lacks \"%s\"",
                  err.message, fragment);
}

START_TEST(decode_bulk_malformed_is_an_error)
{
    const char *ok0 = "{\"index\":0,\"success\":true,\"fulfillment\":{\"id\":\"f\"}}";
    char body[512];
    expect_bulk_error("{\"success\":true,\"results\":[", 1, "malformed JSON");
    expect_bulk_error("{\"success\":false,\"error\":{\"code\":\"orderNotFound\"}}", 1,
                      "orderNotFound");
    expect_bulk_error("{\"success\":true}", 1, "results: missing");
    expect_bulk_error("{\"success\":true,\"results\":{}}", 1, "expected an array");
    snprintf(body, sizeof(body), "{\"results\":[%s]}", ok0);
    expect_bulk_error(body, 2, "1 results for 2 entries");
    snprintf(body, sizeof(body), "{\"results\":[%s,%s]}", ok0, ok0);
    expect_bulk_error(body, 2, "repeated");
    snprintf(body, sizeof(body), "{\"results\":[%s,{\"index\":5,\"success\":true}]}", ok0);
    expect_bulk_error(body, 2, "out of range");
    snprintf(body, sizeof(body), "{\"results\":[%s,{\"index\":-1,\"success\":true}]}", ok0);
    expect_bulk_error(body, 2, "index");
    snprintf(body, sizeof(body), "{\"results\":[%s,{\"success\":true}]}", ok0);
    expect_bulk_error(body, 2, "index: missing");
    snprintf(body, sizeof(body), "{\"results\":[%s,{\"index\":1,\"success\":\"yes\"}]}", ok0);
    expect_bulk_error(body, 2, "success: expected true or false");
    snprintf(body, sizeof(body), "{\"results\":[%s,{\"index\":1,\"success\":true,"
             "\"fulfillment\":{\"id\":[]}}]}", ok0);
    expect_bulk_error(body, 2, "expected a string");
    snprintf(body, sizeof(body), "{\"results\":[%s,\"oops\"]}", ok0);
    expect_bulk_error(body, 2, "results[1]: expected an object");
}
END_TEST

/* ---------------------------------------------------------------- the preflight probe */

START_TEST(probe_is_one_cheap_read_and_knows_an_orders_list)
{
    sl_platform_request request;
    sl_error err = { "" };
    ck_assert_ptr_nonnull(sl_ecart_platform.probe);
    ck_assert_int_eq(sl_ecart_platform.probe(&request, &err), 0);
    ck_assert_int_eq(request.method, SL_HTTP_GET);
    ck_assert_str_eq(request.path, "/api/v2/orders?limit=1");
    ck_assert_ptr_null(request.body);
    sl_platform_request_clear(&request);
    ck_assert_str_eq(sl_ecart_platform.api_prefix, "/api/v2");
    const char *empty = "{\"success\": true, \"orders\": [], \"page\": {\"current\": 1, \"next\": null}}";
    ck_assert_int_eq(sl_ecart_platform.decode_probe(empty, strlen(empty), &err), 0);
    const char *html = "<html><body>Welcome to nginx!</body></html>";
    ck_assert_int_eq(sl_ecart_platform.decode_probe(html, strlen(html), &err), -1);
    ck_assert_str_ne(err.message, "");
    const char *other = "{\"code\": \"Success\", \"data\": {\"orders\": []}}";   /* Shoplazza's shape */
    ck_assert_int_eq(sl_ecart_platform.decode_probe(other, strlen(other), &err), -1);
}
END_TEST

static Suite *ecart_suite(void)
{
    Suite *suite = suite_create("platform_ecart");
    TCase *paths = tcase_create("paths");
    tcase_add_test(paths, paths_escape_query_values_and_segments);
    tcase_add_test(paths, paths_refuse_bad_arguments);
    tcase_add_test(paths, the_page_path_escapes_its_values);
    suite_add_tcase(suite, paths);
    TCase *bodies = tcase_create("bodies");
    tcase_add_test(bodies, encode_bulk_is_the_contract_shape);
    tcase_add_test(bodies, encode_single_wraps_in_fulfillment);
    suite_add_tcase(suite, bodies);
    TCase *decode = tcase_create("decode");
    tcase_add_test(decode, decode_orders_accepts_strings_and_ignores_unknown_fields);
    tcase_add_test(decode, decode_orders_empty_and_last_page);
    tcase_add_test(decode, decode_orders_malformed_is_an_error);
    tcase_add_test(decode, decode_order_single);
    tcase_add_test(decode, order_pack_copies_everything_into_one_block);
    tcase_add_test(decode, decode_packages_into_replaces_summaries);
    tcase_add_test(decode, decode_packages_list_with_order_ids);
    tcase_add_test(decode, decode_fulfillments_appends_pages);
    tcase_add_test(decode, decode_fulfillment_id_and_error);
    tcase_add_test(decode, probe_is_one_cheap_read_and_knows_an_orders_list);
    tcase_add_test(decode, decode_bulk_200_and_207_by_index);
    tcase_add_test(decode, decode_bulk_malformed_is_an_error);
    suite_add_tcase(suite, decode);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(ecart_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
