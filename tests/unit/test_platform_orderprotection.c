/* test_platform_orderprotection.c: the OrderProtection adapter (src/platform/orderprotection/):
 * sourceFulfillmentId pinned for known inputs and independent of the order of items and
 * tracking numbers; paths percent-encode the sourceOrderId; the create body of seed 004; the
 * order decoder's one unit with remaining quantities (refunds and fulfillments subtracted);
 * the fulfillments decoder (both trackingNumber forms, both item id keys); the error map
 * (404, 409 already exists, each 422); the table's capabilities; the fulfillmentStatus enum
 * (sl_platform_status in any case, FULFILLED first and sent by default, the option's value on
 * the wire) and the status-only update's PUT. */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "platform/orderprotection/orderprotection.h"

static const sl_item items_ab[] = { { "1478", NULL, NULL, 1, 0 }, { "1479", NULL, NULL, 2, 0 } };
static const sl_item items_ba[] = { { "1479", NULL, NULL, 2, 0 }, { "1478", NULL, NULL, 1, 0 } };
static const char *const numbers_ab[] = { "AB0303456", "CD0303457" };
static const char *const numbers_ba[] = { "CD0303457", "AB0303456" };

static sl_shipment shipment(const sl_item *items, const char *const *numbers)
{
    return (sl_shipment){ .order_id = "#517AB", .tracking_numbers = numbers,
                          .tracking_count = 2, .items = items, .item_count = 2,
                          .company = "FedEx", .notify_customer = -1 };
}

START_TEST(fulfillment_id_pinned_and_order_free)
{
    char a[SL_FULFILLMENT_ID_MAX], b[SL_FULFILLMENT_ID_MAX], c[SL_FULFILLMENT_ID_MAX];
    sl_shipment first = shipment(items_ab, numbers_ab);
    sl_shipment second = shipment(items_ba, numbers_ba);
    ck_assert_int_eq(sl_op_fulfillment_id(&first, a, sizeof(a)), 0);
    ck_assert_int_eq(sl_op_fulfillment_id(&second, b, sizeof(b)), 0);
    /* SHA-256 of "#517AB\nitem 1478 1\nitem 1479 2\ntracking AB0303456\ntracking CD0303457\n"
     * (printf '...' | sha256sum), first 24 hex digits */
    ck_assert_str_eq(a, "sl-3b8d15d9910e5627a0866378");
    ck_assert_str_eq(a, b);
    ck_assert_int_eq(strlen(a), 27);
    sl_shipment other = first;
    other.tracking_count = 1;
    ck_assert_int_eq(sl_op_fulfillment_id(&other, c, sizeof(c)), 0);
    ck_assert_str_ne(a, c);
    other = first;
    other.order_id = "517AB";
    ck_assert_int_eq(sl_op_fulfillment_id(&other, c, sizeof(c)), 0);
    ck_assert_str_ne(a, c);
    ck_assert_int_eq(sl_op_fulfillment_id(&first, c, 10), -1);
}
END_TEST

START_TEST(paths_and_body)
{
    char *path = sl_op_path_order("#517AB");
    ck_assert_str_eq(path, "/v1/orders/%23517AB");
    free(path);
    path = sl_op_path_fulfillments("SO 1002/x");
    ck_assert_str_eq(path, "/v1/orders/SO%201002%2Fx/fulfillments");
    free(path);

    sl_error err = { "" };
    static const char *const urls[] = { "https://t/1", "https://t/2" };
    sl_shipment ship = shipment(items_ab, numbers_ab);
    ck_assert_ptr_null(sl_op_encode_create(&ship, &err));      /* no id chosen yet */
    ship.fulfillment_id = "sl-x";
    ship.tracking_urls = urls;
    char *body = sl_op_encode_create(&ship, &err);
    ck_assert_ptr_nonnull(body);
    json_t *json = json_loads(body, 0, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(json, "fulfillmentStatus")), "FULFILLED");
    ck_assert_str_eq(json_string_value(json_object_get(json, "sourceFulfillmentId")), "sl-x");
    ck_assert_str_eq(json_string_value(json_object_get(json, "trackingCompany")), "FedEx");
    ck_assert_int_eq(json_array_size(json_object_get(json, "trackingNumber")), 2);
    ck_assert_int_eq(json_array_size(json_object_get(json, "trackingUrl")), 2);
    json_t *item = json_array_get(json_object_get(json, "sourceItemIds"), 1);
    ck_assert_str_eq(json_string_value(json_object_get(item, "sourceItemId")), "1479");
    ck_assert_int_eq(json_integer_value(json_object_get(item, "quantity")), 2);
    json_decref(json);
    free(body);
    ship.items = NULL;
    ship.item_count = 0;
    ck_assert_ptr_null(sl_op_encode_create(&ship, &err));
    ck_assert(strstr(err.message, "items") != NULL);
}
END_TEST

START_TEST(order_decoder_one_unit)
{
    const char *body =
        "{\"sourceOrderId\":\"#517AB\",\"orderName\":\"#517AB\",\"status\":\"OPEN\","
        "\"orderItems\":[{\"sourceItemId\":\"1478\",\"sku\":\"TSHIRT\",\"quantity\":2,"
        "\"refundedQuantity\":0},{\"id\":1479,\"sku\":\"MUG\",\"quantity\":3,"
        "\"refundedQuantity\":1}],"
        "\"fulfillments\":[{\"sourceFulfillmentId\":\"f1\",\"fulfillmentStatus\":\"FULFILLED\","
        "\"sourceItemIds\":[{\"sourceItemId\":\"1479\",\"quantity\":1}],"
        "\"trackingNumber\":\"AB1\",\"trackingUrl\":[\"u\"]}]}";
    sl_order *order = NULL;
    sl_error err = { "" };
    ck_assert_int_eq(sl_op_decode_order(body, strlen(body), &order, &err), 0);
    ck_assert_str_eq(order->id, "#517AB");
    ck_assert_str_eq(order->number, "517AB");
    ck_assert_int_eq(order->status, SL_ORDER_STATUS_OPEN);
    ck_assert_int_eq(order->unit_count, 1);
    ck_assert_ptr_null(order->units[0].write_id);
    ck_assert_str_eq(order->units[0].id, "#517AB");
    ck_assert_int_eq(order->units[0].items[1].quantity, 2);            /* 3 - 1 refunded */
    ck_assert_int_eq(order->units[0].items[1].fulfilled_quantity, 1);
    ck_assert_str_eq(order->units[0].items[1].id, "1479");
    ck_assert_int_eq(order->fulfillment_count, 1);
    ck_assert(order->fulfillments_known);
    ck_assert_str_eq(order->fulfillments[0].tracking_numbers[0], "AB1");
    ck_assert_str_eq(order->fulfillments[0].url, "u");
    ck_assert_str_eq(order->fulfillments[0].unit_write_id, "#517AB");     /* the one unit */
    sl_order_free(order);

    const char *cancelled = "{\"sourceOrderId\":\"1003\",\"status\":\"CANCELLED\","
                            "\"orderItems\":[]}";
    ck_assert_int_eq(sl_op_decode_order(cancelled, strlen(cancelled), &order, &err), 0);
    ck_assert_int_eq(order->status, SL_ORDER_STATUS_CANCELED);
    sl_order_free(order);
    ck_assert_int_eq(sl_op_decode_order("[]", 2, &order, &err), -1);
    ck_assert_int_eq(sl_op_decode_order("{}", 2, &order, &err), -1);
}
END_TEST

START_TEST(error_map)
{
    static const struct {
        long status;
        const char *body;
        sl_code code;
        int exists;
    } cases[] = {
        { 404, "{\"status\":\"error\",\"message\":\"order not found\"}",
          SL_CODE_ORDER_NOT_FOUND, 0 },
        { 409, "{\"status\":\"error\",\"message\":\"fulfillment exists: sl-1\"}", SL_CODE_NONE,
          1 },
        { 422, "{\"status\":\"error\",\"message\":\"order cancelled\"}", SL_CODE_ORDER_CANCELED,
          0 },
        { 422, "{\"status\":\"error\",\"message\":\"unknown item 9\"}", SL_CODE_ITEM_NOT_FOUND,
          0 },
        { 422, "{\"status\":\"error\",\"message\":\"quantity exceeds remaining for item 1\"}",
          SL_CODE_QUANTITY_EXCEEDS_REMAINING, 0 },
        { 422, "{\"status\":\"error\",\"message\":\"something else\"}", SL_CODE_API_REJECTED, 0 },
        { 400, "not json", SL_CODE_API_REJECTED, 0 },
        { 500, NULL, SL_CODE_API_REJECTED, 0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sl_platform_error out;
        sl_op_error_map(cases[i].status, cases[i].body, cases[i].body ? strlen(cases[i].body) : 0,
                        &out);
        ck_assert_msg(out.code == cases[i].code, "case %zu", i);
        ck_assert_int_eq(out.already_exists, cases[i].exists);
        sl_platform_error_clear(&out);
    }
}
END_TEST

START_TEST(table)
{
    const sl_platform *platform = sl_platform_find("orderprotection", NULL);
    ck_assert_ptr_eq(platform, &sl_orderprotection_platform);
    ck_assert_str_eq(platform->auth_prefix, "Bearer ");
    ck_assert_int_eq(platform->caps.bulk_max, 0);
    ck_assert_ptr_nonnull(platform->choose_fulfillment_id);
    ck_assert_ptr_null(platform->update);
    ck_assert_ptr_null(platform->cancel);
    sl_platform_request request;
    sl_error err = { "" };
    ck_assert_int_eq(platform->order_by_id("SO 1002", &request, &err), 0);
    ck_assert_str_eq(request.path, "/v1/orders/SO%201002");
    sl_platform_request_clear(&request);
}
END_TEST

START_TEST(statuses_and_status_update)
{
    const sl_platform *platform = &sl_orderprotection_platform;
    ck_assert_str_eq(platform->fulfillment_statuses[0], "FULFILLED");
    ck_assert_str_eq(sl_platform_status(platform, " in_transit "), "IN_TRANSIT");
    ck_assert_str_eq(sl_platform_status(platform, "Fulfilled"), "FULFILLED");
    ck_assert_ptr_null(sl_platform_status(platform, "SHIPPED"));
    ck_assert_ptr_null(sl_platform_status(platform, "IN_TRANSI"));
    ck_assert_ptr_null(sl_platform_status(platform, NULL));
    ck_assert_ptr_null(sl_platform_status(sl_platform_find("ecart", NULL), "FULFILLED"));
    char list[400];
    ck_assert_ptr_nonnull(strstr(sl_platform_status_list(platform, list, sizeof(list)),
                                 "FULFILLED, DELIVERED, UNFULFILLED"));
    ck_assert_str_eq(sl_platform_status_list(sl_platform_find("ecart", NULL), list, sizeof(list)),
                     "");

    /* the create: FULFILLED unless the shipment names another status */
    sl_error err = { "" };
    sl_shipment ship = shipment(items_ab, numbers_ab);
    ship.fulfillment_id = "sl-x";
    char *body = sl_op_encode_create(&ship, &err);
    json_t *json = json_loads(body, 0, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(json, "fulfillmentStatus")), "FULFILLED");
    json_decref(json);
    free(body);
    ship.status_word = "IN_TRANSIT";
    body = sl_op_encode_create(&ship, &err);
    json = json_loads(body, 0, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(json, "fulfillmentStatus")), "IN_TRANSIT");
    json_decref(json);
    free(body);

    /* the status-only PUT: both ids escaped, the body the status alone */
    sl_platform_request request;
    ck_assert_ptr_nonnull(platform->update_status);
    ck_assert_int_eq(platform->update_status("SO 1002", "sl-0a/1", "DELIVERED", &request, &err), 0);
    ck_assert_int_eq(request.method, SL_HTTP_PUT);
    ck_assert_str_eq(request.path, "/v1/orders/SO%201002/fulfillments/sl-0a%2F1");
    ck_assert_str_eq(request.body, "{\"status\":\"DELIVERED\"}");
    sl_platform_request_clear(&request);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("platform_orderprotection");
    TCase *tc = tcase_create("adapter");
    tcase_add_test(tc, fulfillment_id_pinned_and_order_free);
    tcase_add_test(tc, paths_and_body);
    tcase_add_test(tc, order_decoder_one_unit);
    tcase_add_test(tc, error_map);
    tcase_add_test(tc, table);
    tcase_add_test(tc, statuses_and_status_update);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
