/* test_match_shared_tracking.c: one parcel, one address (src/match/shared_tracking.c): a
 * tracking number on rows of different orders is refused (invalid/tracking_reused, naming the
 * other orders, match op NONE) when the orders ship to different addresses, and allowed for a
 * combined shipment (same address, written with other case, spaces or punctuation); rows of
 * one order and rows already decided are left alone. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/match.h"

/* order ships to line1, city, zip (US), held in *where. */
static void address(sl_order *order, sl_address *where, const char *line1, const char *city,
                    const char *zip)
{
    *where = (sl_address){ .address1 = (char *)line1, .city = (char *)city,
                           .postal_code = (char *)zip, .country_code = (char *)"US" };
    order->shipping_address = where;
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
    sl_address places[3];
    a.id = (char *)"o1"; a.name = (char *)"#1001";
    b.id = (char *)"o2"; b.name = (char *)"#1002";
    c.id = (char *)"o3"; c.name = (char *)"#1003";
    address(&a, &places[0], "1200 Market St", "Philadelphia", "19107");
    address(&b, &places[1], "1200 market st.", "PHILADELPHIA", "19107");   /* the same door */
    address(&c, &places[2], "55 Elm Ave", "Boston", "02110");
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
    sl_address places[2];
    a.id = (char *)"o1"; a.name = (char *)"#1001";
    c.id = (char *)"o3"; c.name = (char *)"#1003";
    address(&a, &places[0], "1200 Market St", "Philadelphia", "19107");
    address(&c, &places[1], "55 Elm Ave", "Boston", "02110");
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

/* An import keeps only the fingerprint of an order's place (sl_order.place_key): orders so
 * trimmed compare as their addresses would, with each other and with orders that still have
 * one; the parts do not run into each other. */
START_TEST(orders_without_their_address_compare_by_place_key)
{
    sl_address market, market_again, elm, split_one, split_two;
    sl_order a = { 0 }, b = { 0 }, c = { 0 }, full = { 0 };
    address(&a, &market, "1200 Market St", "Philadelphia", "19107");
    address(&b, &market_again, "1200 MARKET ST.", "philadelphia", "19107");
    address(&c, &elm, "55 Elm Ave", "Boston", "02110");
    address(&full, &market_again, "1200 MARKET ST.", "philadelphia", "19107");
    sl_order *trimmed[] = { &a, &b, &c };
    for (int i = 0; i < 3; i++) {
        trimmed[i]->place_key = sl_address_place_key(trimmed[i]->shipping_address);
        ck_assert(trimmed[i]->place_key != 0);
        trimmed[i]->shipping_address = NULL;
    }
    ck_assert(sl_orders_same_place(&a, &b));
    ck_assert(!sl_orders_same_place(&a, &c));
    ck_assert(sl_orders_same_place(&a, &full));
    ck_assert(sl_orders_same_place(&full, &b));
    ck_assert(!sl_orders_same_place(&full, &c));
    split_one = (sl_address){ .address1 = "12", .address2 = "3 Elm" };
    split_two = (sl_address){ .address1 = "123", .address2 = "Elm" };
    ck_assert(sl_address_place_key(&split_one) != sl_address_place_key(&split_two));
    ck_assert(sl_address_place_key(NULL) == sl_address_place_key(&(sl_address){ 0 }));

    /* and the rule itself, on trimmed orders */
    a.name = (char *)"#1001"; b.name = (char *)"#1002"; c.name = (char *)"#1003";
    sl_row rows[3];
    sl_match matches[3];
    memset(matches, 0, sizeof(matches));
    const sl_order *orders[] = { &a, &b, &c };
    for (int i = 0; i < 3; i++) {
        row_with(&rows[i], i < 2 ? "1ZSAME" : "1ZSAME2");
        matches[i].order = orders[i];
        matches[i].op = SL_MATCH_CREATE;
    }
    ck_assert_uint_eq(sl_match_refuse_shared_tracking(rows, matches, 3), 0);
    sl_row_clear(&rows[2]);
    row_with(&rows[2], "1ZSAME");
    ck_assert_uint_eq(sl_match_refuse_shared_tracking(rows, matches, 3), 3);
    ck_assert_int_eq(rows[2].code, SL_CODE_TRACKING_REUSED);
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
    tcase_add_test(tc, orders_without_their_address_compare_by_place_key);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
