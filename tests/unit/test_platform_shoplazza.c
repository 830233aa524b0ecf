/* test_platform_shoplazza.c: the Shoplazza adapter (src/platform/shoplazza/): the base URL
 * from --api-url or --shop NAME|DOMAIN with the 2026-01 prefix; paths (lookup by number with
 * '#' and spaces dropped, batched ids, cancel, listing); the create body (line items with
 * ship_quantity, several tracking numbers in tracking_items with the first also in
 * tracking_number) and the update body (send_email inside fulfillment); the order decoder's
 * remaining quantities (quantity - refund_quantity_total - ship_quantity of fulfillments not
 * cancelled) and statuses; both spellings of the success code; all five error shapes and the
 * error map; the table's capabilities. */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "platform/shoplazza/shoplazza.h"

START_TEST(base_url)
{
    sl_error err = { "" };
    char *url = sl_shoplazza_base_url(NULL, "acme", &err);
    ck_assert_str_eq(url, "https://acme.myshoplaza.com/openapi/2026-01");
    free(url);
    url = sl_shoplazza_base_url(NULL, "shop.example.com", &err);
    ck_assert_str_eq(url, "https://shop.example.com/openapi/2026-01");
    free(url);
    url = sl_shoplazza_base_url("http://127.0.0.1:8080/", "ignored", &err);
    ck_assert_str_eq(url, "http://127.0.0.1:8080/openapi/2026-01");
    free(url);
    url = sl_shoplazza_base_url("https://a.myshoplaza.com/openapi/2026-01", NULL, &err);
    ck_assert_str_eq(url, "https://a.myshoplaza.com/openapi/2026-01");
    free(url);
    ck_assert_ptr_null(sl_shoplazza_base_url(NULL, NULL, &err));
    ck_assert_ptr_null(sl_shoplazza_base_url(NULL, "a/b", &err));
}
END_TEST

START_TEST(paths)
{
    char *path = sl_shoplazza_path_by_number("# 1001");
    ck_assert_str_eq(path, "/orders/number/1001");
    free(path);
    ck_assert_ptr_null(sl_shoplazza_path_by_number("#"));
    const char *ids[] = { "633130-00000007", "633130-00000008" };
    path = sl_shoplazza_path_orders_by_ids(ids, 2);
    ck_assert_str_eq(path, "/orders?ids=633130-00000007&ids=633130-00000008&page_size=2");
    free(path);
    ck_assert_ptr_null(sl_shoplazza_path_orders_by_ids(ids, 251));
    path = sl_shoplazza_path_cancel("633130-1", "f 1");
    ck_assert_str_eq(path, "/orders/633130-1/fulfillments/f%201/cancel");
    free(path);
    path = sl_shoplazza_path_fulfillment("633130-1", "f1");
    ck_assert_str_eq(path, "/orders/633130-1/fulfillments/f1");
    free(path);
    path = sl_shoplazza_path_list("waiting", NULL, "c1", 0);
    ck_assert_str_eq(path, "/orders?fulfillment_status%5B%5D=waiting&financial_status%5B%5D="
                           "paid&financial_status%5B%5D=partially_refunded&page_size=250"
                           "&cursor=c1");
    free(path);
}
END_TEST

static const sl_item items[] = { { "ed8a", NULL, NULL, 2, 0 }, { "4c2b", NULL, NULL, 1, 0 } };
static const char *const numbers[] = { "1Z999AA10123456784", "1Z999AA10123456793" };

START_TEST(create_body)
{
    sl_shipment shipment = { .order_id = "633130-1", .tracking_numbers = numbers,
                             .tracking_count = 1, .company = "UPS", .carrier_code = "ups",
                             .url = "https://t/1", .items = items, .item_count = 2,
                             .notify_customer = -1 };
    sl_error err = { "" };
    char *body = sl_shoplazza_encode_create(&shipment, &err);
    ck_assert_str_eq(body, "{\"fulfillment\":{\"line_items\":[{\"id\":\"ed8a\",\"ship_quantity\":2},"
                           "{\"id\":\"4c2b\",\"ship_quantity\":1}],\"tracking_number\":"
                           "\"1Z999AA10123456784\",\"tracking_company\":\"UPS\","
                           "\"tracking_company_code\":\"ups\",\"tracking_url\":\"https://t/1\"}}");
    free(body);
    shipment.tracking_count = 2;
    shipment.carrier_code = NULL;
    shipment.url = NULL;
    body = sl_shoplazza_encode_create(&shipment, &err);
    json_t *json = json_loads(body, 0, NULL);
    json_t *f = json_object_get(json, "fulfillment");
    ck_assert_str_eq(json_string_value(json_object_get(f, "tracking_number")), numbers[0]);
    ck_assert_ptr_null(json_object_get(f, "tracking_company_code"));
    json_t *tracking = json_object_get(f, "tracking_items");
    ck_assert_int_eq(json_array_size(tracking), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(tracking, 1),
                                                       "tracking_number")), numbers[1]);
    json_decref(json);
    free(body);
    shipment.item_count = 0;
    ck_assert_ptr_null(sl_shoplazza_encode_create(&shipment, &err));
}
END_TEST

START_TEST(update_body)
{
    sl_shipment shipment = { .order_id = "633130-1", .tracking_numbers = numbers,
                             .tracking_count = 1, .company = "UPS", .notify_customer = 1 };
    sl_error err = { "" };
    char *body = sl_shoplazza_encode_update(&shipment, &err);
    ck_assert_str_eq(body, "{\"fulfillment\":{\"tracking_number\":\"1Z999AA10123456784\","
                           "\"tracking_company\":\"UPS\",\"send_email\":true}}");
    free(body);
    shipment.notify_customer = -1;
    body = sl_shoplazza_encode_update(&shipment, &err);
    ck_assert_ptr_null(strstr(body, "send_email"));
    free(body);
    shipment.tracking_count = 0;
    ck_assert_ptr_null(sl_shoplazza_encode_update(&shipment, &err));
}
END_TEST

static const char order_body[] =
    "{\"code\":\"Success\",\"message\":\"success\",\"data\":{\"order\":{"
    "\"id\":\"633130-00001002\",\"number\":\"00001002\",\"financial_status\":\"paid\","
    "\"status\":\"opened\",\"fulfillment_status\":\"partially_shipped\","
    "\"line_items\":[{\"id\":\"a\",\"sku\":\"HOODIE\",\"quantity\":5,\"refund_quantity_total\":1},"
    "{\"id\":\"b\",\"sku\":\"MUG\",\"quantity\":1}],"
    "\"fulfillments\":[{\"id\":\"f1\",\"status\":\"shipped\",\"tracking_number\":\"T1\","
    "\"tracking_items\":[{\"tracking_number\":\"T1\"},{\"tracking_number\":\"T2\"}],"
    "\"line_items\":[{\"id\":\"a\",\"ship_quantity\":1}]},"
    "{\"id\":\"f2\",\"status\":\"cancelled\",\"tracking_number\":\"T3\","
    "\"line_items\":[{\"id\":\"a\",\"ship_quantity\":2}]},"
    "{\"id\":\"f3\",\"status\":\"finished\",\"tracking_number\":\"T4\","
    "\"line_items\":[{\"id\":\"a\",\"ship_quantity\":1},{\"id\":\"b\",\"ship_quantity\":1}]}]}}}";

START_TEST(order_remaining)
{
    sl_order *order = NULL;
    sl_error err = { "" };
    ck_assert_int_eq(sl_shoplazza_decode_order(order_body, strlen(order_body), &order, &err), 0);
    ck_assert_str_eq(order->name, "#1002");
    ck_assert_str_eq(order->number, "00001002");
    ck_assert_int_eq(order->payment, SL_PAYMENT_PAID);
    ck_assert_int_eq(order->status, SL_ORDER_STATUS_OPEN);
    ck_assert_int_eq(order->shipping, SL_ORDER_SHIPPING_PARTIAL);
    ck_assert_int_eq(order->unit_count, 1);
    ck_assert_ptr_null(order->units[0].write_id);
    /* a: 5 - 1 refunded = 4 held; shipped 1 + 1 (the cancelled 2 count for nothing) */
    ck_assert_int_eq(order->units[0].items[0].quantity, 4);
    ck_assert_int_eq(order->units[0].items[0].fulfilled_quantity, 2);
    ck_assert_int_eq(order->units[0].items[1].quantity, 1);
    ck_assert_int_eq(order->units[0].items[1].fulfilled_quantity, 1);
    ck_assert_int_eq(order->fulfillment_count, 3);
    ck_assert_int_eq(order->fulfillments[0].tracking_count, 2);     /* T1 once, T2 */
    ck_assert_int_eq(order->fulfillments[1].status, SL_FULFILLMENT_STATUS_CANCELED);
    /* each fulfillment ships the one unit, keyed by the order id (what a create plans) */
    ck_assert_str_eq(order->fulfillments[0].unit_write_id, order->units[0].id);
    ck_assert_int_eq(order->fulfillments_known, 1);
    /* a read-back: f2 is no longer cancelled (replaced by id, not appended) */
    static const char page[] = "{\"code\":\"success\",\"data\":{\"fulfillments\":[{\"id\":\"f2\","
                               "\"status\":\"shipped\",\"line_items\":[{\"id\":\"a\","
                               "\"ship_quantity\":2}]}],\"cursor\":\"\",\"has_more\":false}}";
    sl_page_next next;
    ck_assert_int_eq(sl_shoplazza_decode_fulfillments_into(page, strlen(page), order, &next,
                                                           &err), 0);
    ck_assert_int_eq(next.more, 0);
    ck_assert_int_eq(order->fulfillment_count, 3);
    ck_assert_str_eq(order->fulfillments[1].unit_write_id, order->units[0].id);
    ck_assert_int_eq(order->units[0].items[0].fulfilled_quantity, 4);
    sl_order_free(order);
}
END_TEST

/* Quantities are held in 32 bits: a store's number past SL_QUANTITY_MAX reads as that much,
 * a negative one as none, and what fulfillments ship adds up without wrapping. */
START_TEST(absurd_quantities_are_clamped)
{
    static const char body[] =
        "{\"code\":\"Success\",\"data\":{\"order\":{\"id\":\"o9\",\"number\":\"9\","
        "\"financial_status\":\"paid\",\"status\":\"opened\","
        "\"line_items\":[{\"id\":\"a\",\"quantity\":99999999999},"
        "{\"id\":\"b\",\"quantity\":-3}],"
        "\"fulfillments\":[{\"id\":\"f1\",\"status\":\"shipped\","
        "\"line_items\":[{\"id\":\"a\",\"ship_quantity\":900000000}]},"
        "{\"id\":\"f2\",\"status\":\"shipped\","
        "\"line_items\":[{\"id\":\"a\",\"ship_quantity\":900000000}]}]}}}";
    sl_order *order = NULL;
    sl_error err = { "" };
    ck_assert_int_eq(sl_shoplazza_decode_order(body, strlen(body), &order, &err), 0);
    ck_assert_int_eq(order->items[0].quantity, SL_QUANTITY_MAX);
    ck_assert_int_eq(order->units[0].items[0].quantity, SL_QUANTITY_MAX);
    ck_assert_int_eq(order->units[0].items[0].fulfilled_quantity, SL_QUANTITY_MAX);
    ck_assert_int_eq(order->units[0].items[1].quantity, 0);
    ck_assert_int_eq(order->fulfillments[0].items[0].quantity, 900000000);
    sl_order_free(order);
    ck_assert_int_eq(sl_quantity_clamp(-1), 0);
    ck_assert_int_eq(sl_quantity_clamp(7), 7);
    ck_assert_int_eq(sl_quantity_clamp(1LL << 40), SL_QUANTITY_MAX);
}
END_TEST

START_TEST(order_statuses_and_lists)
{
    static const char body[] =
        "{\"code\":\"Success\",\"data\":{\"orders\":["
        "{\"id\":\"1\",\"number\":\"1\",\"financial_status\":\"pending\",\"status\":\"opened\"},"
        "{\"id\":\"2\",\"number\":\"2\",\"financial_status\":\"refunded\",\"status\":\"cancelled\"},"
        "{\"id\":\"3\",\"number\":\"3\",\"financial_status\":\"paid\",\"status\":\"finished\"}],"
        "\"cursor\":\"next\",\"has_more\":true}}";
    sl_order **orders = NULL;
    size_t count = 0;
    sl_page_next next;
    sl_error err = { "" };
    ck_assert_int_eq(sl_shoplazza_decode_orders(body, strlen(body), &orders, &count, &next, &err),
                     0);
    ck_assert_int_eq(count, 3);
    ck_assert_int_eq(orders[0]->payment, SL_PAYMENT_UNPAID);
    ck_assert_int_eq(orders[1]->status, SL_ORDER_STATUS_CANCELED);
    ck_assert_int_eq(orders[2]->status, SL_ORDER_STATUS_CLOSED);
    ck_assert_int_eq(next.more, 1);
    ck_assert_str_eq(next.page.cursor, "next");
    sl_page_clear(&next.page);
    sl_orders_free(orders, count);
    static const char bad[] = "{\"code\":\"InvalidParameter\",\"message\":\"x\"}";
    ck_assert_int_eq(sl_shoplazza_decode_orders(bad, strlen(bad), &orders, &count, NULL, &err),
                     -1);
    ck_assert_int_eq(sl_shoplazza_decode_orders("nope", 4, &orders, &count, NULL, &err), -1);
}
END_TEST

START_TEST(write_answer)
{
    static const char body[] = "{\"code\":\"success\",\"message\":\"ok\",\"data\":{"
                               "\"fulfillment\":{\"id\":\"51c7\",\"status\":\"shipped\"}}}";
    sl_write_result result;
    sl_error err = { "" };
    ck_assert_int_eq(sl_shoplazza_decode_write(body, strlen(body), &result, &err), 0);
    ck_assert_int_eq(result.success, 1);
    ck_assert_str_eq(result.fulfillment_id, "51c7");
    sl_write_result_clear(&result);
    static const char count[] = "{\"code\":\"Success\",\"data\":{\"count\":5}}";
    static const char carriers[] = "{\"code\":\"Success\",\"data\":{\"tracking_carriers\":[]}}";
    ck_assert_int_eq(sl_shoplazza_decode_probe(count, strlen(count), &err), 0);
    ck_assert_int_eq(sl_shoplazza_decode_probe(carriers, strlen(carriers), &err), -1);
    ck_assert_int_eq(sl_shoplazza_decode_probe("{}", 2, &err), -1);
}
END_TEST

START_TEST(carrier_list)
{
    sl_error err;
    sl_store_carrier *list = NULL;
    size_t count = 0;
    static const char body[] = "{\"code\":\"Success\",\"data\":{\"tracking_carriers\":"
                               "[{\"code\":\"ups\",\"en_name\":\"UPS\"},{\"en_name\":\"no code\"},"
                               "{\"code\":\"dhl-germany\",\"en_name\":\"DHL Paket\"},"
                               "{\"code\":\"4px\"}]}}";
    ck_assert_int_eq(sl_shoplazza_decode_carriers(body, strlen(body), &list, &count, &err), 0);
    ck_assert_uint_eq(count, 3);
    ck_assert_str_eq(list[0].code, "ups");
    ck_assert_str_eq(list[0].name, "UPS");
    ck_assert_str_eq(list[1].code, "dhl-germany");
    ck_assert_str_eq(list[1].name, "DHL Paket");
    ck_assert_str_eq(list[2].code, "4px");
    ck_assert_ptr_null(list[2].name);
    sl_store_carriers_free(list, count);
    static const char bad[] = "{\"code\":\"Success\",\"data\":{\"carriers\":[]}}";
    ck_assert_int_eq(sl_shoplazza_decode_carriers(bad, strlen(bad), &list, &count, &err), -1);
    ck_assert_ptr_null(list);
    ck_assert_int_eq(sl_shoplazza_decode_carriers("[", 1, &list, &count, &err), -1);
    ck_assert_ptr_nonnull(sl_shoplazza_platform.read_carriers);
}
END_TEST

static void expect(long status, const char *body, sl_code code, const char *message)
{
    sl_platform_error out;
    sl_shoplazza_error_map(status, body, body ? strlen(body) : 0, &out);
    ck_assert_int_eq(out.code, code);
    if (message)
        ck_assert_str_eq(out.message, message);
    else
        ck_assert_ptr_null(out.message);
    sl_platform_error_clear(&out);
}

START_TEST(error_shapes_and_map)
{
    expect(400, "{\"code\":\"InvalidParameter\",\"message\":\"bad\"}", SL_CODE_API_REJECTED, "bad");
    expect(500, "{\"message\":\"internal\"}", SL_CODE_API_REJECTED, "internal");
    expect(503, "{\"error\":\"store is not active\"}", SL_CODE_API_REJECTED,
           "store is not active");
    expect(422, "{\"errors\":[\"invalid line_item id\"]}", SL_CODE_ITEM_NOT_FOUND,
           "invalid line_item id");
    expect(401, "\"Unauthorized\"", SL_CODE_AUTH_FAILED, "Unauthorized");
    expect(422, "{\"errors\":[\"invalid status of the order\"]}", SL_CODE_ORDER_NOT_SHIPPABLE,
           "invalid status of the order");
    expect(422, "{\"errors\":[\"fulfillment quantity is insufficient\"]}",
           SL_CODE_QUANTITY_EXCEEDS_REMAINING, "fulfillment quantity is insufficient");
    expect(422, "{\"errors\":[\"something new\"]}", SL_CODE_API_REJECTED, "something new");
    expect(404, "{\"code\":\"NotFound\",\"message\":\"order not found\"}",
           SL_CODE_ORDER_NOT_FOUND, "order not found");
    expect(404, "{\"code\":\"NotFound\",\"message\":\"fulfillment not found\"}",
           SL_CODE_FULFILLMENT_NOT_FOUND, "fulfillment not found");
    expect(502, NULL, SL_CODE_API_REJECTED, NULL);
    expect(502, "<html>", SL_CODE_API_REJECTED, NULL);
}
END_TEST

START_TEST(table)
{
    const sl_platform *platform = &sl_shoplazza_platform;
    ck_assert_str_eq(platform->name, "shoplazza");
    ck_assert_str_eq(platform->auth_header, "Access-Token");
    ck_assert_str_eq(platform->request_id_header, "Request-Id");
    ck_assert_int_eq(platform->caps.bulk_max, 0);
    ck_assert_int_eq(platform->caps.lookup_ids_max, 250);
    ck_assert_int_eq(platform->caps.list_page_max, 250);
    ck_assert_int_eq(platform->caps.list_paging, SL_PAGING_CURSOR);
    ck_assert_int_eq(platform->caps.rate_burst, 40);
    ck_assert(platform->caps.rate_per_second == 2.0);
    ck_assert_ptr_null(platform->create_bulk);
    ck_assert_ptr_nonnull(platform->update);
    ck_assert_ptr_nonnull(platform->cancel);
    sl_platform_request request;
    sl_error err = { "" };
    ck_assert_int_eq(platform->order_by_number("#00001001", &request, &err), 0);
    ck_assert_str_eq(request.path, "/orders/number/00001001");
    ck_assert_int_eq(request.method, SL_HTTP_GET);
    sl_platform_request_clear(&request);
    ck_assert_int_eq(platform->cancel("o1", "f1", &request, &err), 0);
    ck_assert_int_eq(request.method, SL_HTTP_POST);
    ck_assert_ptr_null(request.body);
    sl_platform_request_clear(&request);
    ck_assert_int_eq(platform->probe(&request, &err), 0);
    ck_assert_str_eq(request.path, "/orders/count");
    sl_platform_request_clear(&request);
    ck_assert_int_eq(platform->read_carriers(&request, &err), 0);
    ck_assert_str_eq(request.path, "/tracking/carriers");
    sl_platform_request_clear(&request);
    /* the count of a listing, with the listing's own filters (the prefetch sizes it) */
    sl_list_filter filter = { SL_ORDER_SHIPPING_PARTIAL, NULL, 250 };
    ck_assert_int_eq(platform->count_orders(&filter, &request, &err), 0);
    ck_assert_str_eq(request.path, "/orders/count?fulfillment_status%5B%5D=partially_shipped"
                                   "&financial_status%5B%5D=paid&financial_status%5B%5D="
                                   "partially_refunded");
    ck_assert_str_eq(request.label, "GET /orders/count");
    sl_platform_request_clear(&request);
    size_t count = 0;
    const char *answer = "{\"code\":\"Success\",\"data\":{\"count\":1234}}";
    ck_assert_int_eq(platform->decode_count(answer, strlen(answer), &count, &err), 0);
    ck_assert_uint_eq(count, 1234);
    answer = "{\"code\":\"Success\",\"data\":{\"count\":-1}}";
    ck_assert_int_eq(platform->decode_count(answer, strlen(answer), &count, &err), -1);
    answer = "{\"code\":\"Success\",\"data\":{}}";
    ck_assert_int_eq(platform->decode_count(answer, strlen(answer), &count, &err), -1);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("platform_shoplazza");
    TCase *tc = tcase_create("adapter");
    tcase_add_test(tc, base_url);
    tcase_add_test(tc, paths);
    tcase_add_test(tc, create_body);
    tcase_add_test(tc, update_body);
    tcase_add_test(tc, order_remaining);
    tcase_add_test(tc, absurd_quantities_are_clamped);
    tcase_add_test(tc, order_statuses_and_lists);
    tcase_add_test(tc, write_answer);
    tcase_add_test(tc, carrier_list);
    tcase_add_test(tc, error_shapes_and_map);
    tcase_add_test(tc, table);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
