/* test_match_shared_tracking.c: one parcel, one address (src/match/shared_tracking.c): a
 * tracking number on rows of different orders is refused (invalid/tracking_reused, naming the
 * other orders, match op NONE) when the orders ship to different addresses, and allowed for a
 * combined shipment (same address, written with other case, spaces or punctuation); rows of
 * one order and rows already decided are left alone. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/match.h"

static void address(sl_order *order, const char *line1, const char *city, const char *zip)
{
    memset(&order->shipping_address, 0, sizeof(order->shipping_address));
    order->shipping_address.address1 = (char *)line1;
    order->shipping_address.city = (char *)city;
    order->shipping_address.postal_code = (char *)zip;
    order->shipping_address.country_code = (char *)"US";
}

static void row_with(sl_row *row, const char *number)
{
    sl_row_init(row);
    row->tracking_numbers = calloc(1, sizeof(char *));
    row->tracking_numbers[0] = strdup(number);
    row->tracking_count = 1;
}

START_TEST(different_addresses_refused_same_address_allowed)
{
    sl_order a = { 0 }, b = { 0 }, c = { 0 };
    a.id = (char *)"o1"; a.name = (char *)"#1001";
    b.id = (char *)"o2"; b.name = (char *)"#1002";
    c.id = (char *)"o3"; c.name = (char *)"#1003";
    address(&a, "1200 Market St", "Philadelphia", "19107");
    address(&b, "1200 market st.", "PHILADELPHIA", "19107");   /* the same door */
    address(&c, "55 Elm Ave", "Boston", "02110");
    sl_row rows[6];
    sl_match matches[6];
    memset(matches, 0, sizeof(matches));
    const char *numbers[] = { "1ZSAME", "1ZSAME", "1ZSPREAD", "1ZSPREAD", "1ZONE", "1ZONE" };
    const sl_order *orders[] = { &a, &b, &a, &c, &c, &c };
    for (int i = 0; i < 6; i++) {
        row_with(&rows[i], numbers[i]);
        matches[i].order = orders[i];
        matches[i].op = SL_MATCH_CREATE;
    }
    ck_assert_uint_eq(sl_match_refuse_shared_tracking(rows, matches, 6), 2);
    ck_assert_int_eq(rows[0].status, SL_STATUS_PENDING);       /* combined shipment */
    ck_assert_int_eq(rows[1].status, SL_STATUS_PENDING);
    ck_assert_int_eq(rows[2].status, SL_STATUS_INVALID);
    ck_assert_int_eq(rows[2].code, SL_CODE_TRACKING_REUSED);
    ck_assert_ptr_nonnull(strstr(rows[2].message, "also on order #1003"));
    ck_assert_ptr_nonnull(strstr(rows[3].message, "also on order #1001"));
    ck_assert_int_eq(matches[3].op, SL_MATCH_NONE);
    ck_assert_int_eq(rows[4].status, SL_STATUS_PENDING);       /* one order, two rows */
    ck_assert_int_eq(rows[5].status, SL_STATUS_PENDING);
    for (int i = 0; i < 6; i++)
        sl_row_clear(&rows[i]);
}
END_TEST

START_TEST(decided_rows_count_but_stay_as_they_are)
{
    sl_order a = { 0 }, c = { 0 };
    a.id = (char *)"o1"; a.name = (char *)"#1001";
    c.id = (char *)"o3"; c.name = (char *)"#1003";
    address(&a, "1200 Market St", "Philadelphia", "19107");
    address(&c, "55 Elm Ave", "Boston", "02110");
    sl_row rows[3];
    sl_match matches[3];
    memset(matches, 0, sizeof(matches));
    for (int i = 0; i < 3; i++)
        row_with(&rows[i], "1ZX");
    matches[0].order = &a;   /* already shipped with this number: duplicate, nothing to send */
    rows[0].status = SL_STATUS_DUPLICATE;
    matches[1].order = &c;
    matches[1].op = SL_MATCH_CREATE;
    /* rows[2]: unmatched (no order) */
    ck_assert_uint_eq(sl_match_refuse_shared_tracking(rows, matches, 3), 1);
    ck_assert_int_eq(rows[0].status, SL_STATUS_DUPLICATE);
    ck_assert_int_eq(rows[1].code, SL_CODE_TRACKING_REUSED);
    ck_assert_int_eq(rows[2].status, SL_STATUS_PENDING);
    for (int i = 0; i < 3; i++)
        sl_row_clear(&rows[i]);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("match_shared_tracking");
    TCase *tc = tcase_create("shared_tracking");
    tcase_add_test(tc, different_addresses_refused_same_address_allowed);
    tcase_add_test(tc, decided_rows_count_but_stay_as_they_are);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
