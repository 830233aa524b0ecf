/* test_engine_export_select.c: what is waiting to ship (spec §12): remaining = quantity -
 * fulfilledQuantity > 0; canceled orders, shipped/delivered/canceled/refunded packages and
 * summaries without items give nothing; --order-status, --status and --location narrow it. */
#include <check.h>
#include <stdlib.h>
#include "shipload/export.h"

static sl_item items[3];
static sl_unit package;
static sl_order order;

static void setup(void)
{
    items[0] = (sl_item){ .id = "a", .sku = "A", .quantity = 2, .fulfilled_quantity = 0 };
    items[1] = (sl_item){ .id = "b", .sku = "B", .quantity = 3, .fulfilled_quantity = 3 };
    items[2] = (sl_item){ .id = "c", .sku = "C", .quantity = 5, .fulfilled_quantity = 2 };
    package = (sl_unit){ .id = "p", .status = SL_UNIT_STATUS_OPEN, .status_text = "pending",
                         .location_id = "loc_1", .items = items, .item_count = 3,
                         .items_known = 1 };
    order = (sl_order){ .id = "o", .status = SL_ORDER_STATUS_OPEN, .status_text = "paid",
                        .units = &package, .unit_count = 1 };
}

START_TEST(only_the_remainder_of_each_item_is_selected)
{
    sl_export_line lines[3];
    ck_assert_uint_eq(sl_export_select_package(NULL, &package, lines), 2);
    ck_assert_ptr_eq(lines[0].item, &items[0]);
    ck_assert_int_eq(lines[0].remaining, 2);
    ck_assert_ptr_eq(lines[1].item, &items[2]);
    ck_assert_int_eq(lines[1].remaining, 3);
    items[0].fulfilled_quantity = 5;              /* over-fulfilled: nothing, not negative */
    ck_assert_uint_eq(sl_export_select_package(NULL, &package, lines), 1);
}
END_TEST

START_TEST(closed_packages_and_unknown_items_give_nothing)
{
    static const sl_unit_status closed[] = { SL_UNIT_STATUS_SHIPPED, SL_UNIT_STATUS_DELIVERED,
                                             SL_UNIT_STATUS_CANCELED, SL_UNIT_STATUS_REFUNDED };
    sl_export_line lines[3];
    for (size_t i = 0; i < 4; i++) {
        package.status = closed[i];
        ck_assert_uint_eq(sl_export_select_package(NULL, &package, lines), 0);
    }
    package.status = SL_UNIT_STATUS_OTHER;
    ck_assert_uint_eq(sl_export_select_package(NULL, &package, lines), 2);
    package.items_known = 0;
    ck_assert_uint_eq(sl_export_select_package(NULL, &package, lines), 0);
}
END_TEST

START_TEST(canceled_orders_are_never_wanted)
{
    ck_assert_int_eq(sl_export_order_wanted(NULL, &order), 1);
    order.status_text = "pending";
    ck_assert_int_eq(sl_export_order_wanted(NULL, &order), 1);
    order.status = SL_ORDER_STATUS_CANCELED;
    order.status_text = "canceled";
    ck_assert_int_eq(sl_export_order_wanted(NULL, &order), 0);
    const char *const statuses[] = { "canceled", "paid" };
    sl_export_filter filter = { .order_statuses = statuses, .order_status_count = 2 };
    ck_assert_int_eq(sl_export_order_wanted(&filter, &order), 0);   /* even when asked for */
}
END_TEST

START_TEST(order_status_package_status_and_location_narrow)
{
    const char *const paid[] = { "paid" };
    sl_export_filter filter = { .order_statuses = paid, .order_status_count = 1 };
    ck_assert_int_eq(sl_export_order_wanted(&filter, &order), 1);
    order.status_text = "pending";
    ck_assert_int_eq(sl_export_order_wanted(&filter, &order), 0);

    sl_export_line lines[3];
    const char *const pending[] = { "pending" };
    sl_export_filter by_status = { .package_statuses = pending, .package_status_count = 1 };
    ck_assert_uint_eq(sl_export_select_package(&by_status, &package, lines), 2);
    package.status = SL_UNIT_STATUS_OTHER;
    package.status_text = "other";
    ck_assert_uint_eq(sl_export_select_package(&by_status, &package, lines), 0);
    const char *const shipped[] = { "shipped" };
    sl_export_filter closed = { .package_statuses = shipped, .package_status_count = 1 };
    package.status = SL_UNIT_STATUS_SHIPPED;
    package.status_text = "shipped";
    ck_assert_uint_eq(sl_export_select_package(&closed, &package, lines), 0);

    package.status = SL_UNIT_STATUS_OPEN;
    package.status_text = "pending";
    sl_export_filter here = { .location_id = "loc_1" };
    sl_export_filter there = { .location_id = "loc_2" };
    ck_assert_uint_eq(sl_export_select_package(&here, &package, lines), 2);
    ck_assert_uint_eq(sl_export_select_package(&there, &package, lines), 0);
    package.location_id = NULL;
    ck_assert_uint_eq(sl_export_select_package(&here, &package, lines), 0);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("api_export_select");
    TCase *tc = tcase_create("select");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, only_the_remainder_of_each_item_is_selected);
    tcase_add_test(tc, closed_packages_and_unknown_items_give_nothing);
    tcase_add_test(tc, canceled_orders_are_never_wanted);
    tcase_add_test(tc, order_status_package_status_and_location_narrow);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
