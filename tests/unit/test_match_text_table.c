/* test_match_text_table.c: the order index's table of repeated texts (text_table.h): one copy
 * per distinct text, the same copy for every equal text, none added past its limit (but the
 * known ones still answered), and orders packed with it (sl_order_pack_sharing, model.h)
 * pointing into it for their repeated texts while copying the rest. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "match/text_table.h"
#include "shipload/model.h"

START_TEST(equal_texts_share_one_copy)
{
    sl_text_table *table = sl_text_table_new(1000);
    ck_assert_ptr_nonnull(table);
    char text[32];
    const char *first[300];
    for (int n = 0; n < 300; n++) {
        snprintf(text, sizeof(text), "SKU-%d", n);
        first[n] = sl_text_table_intern(table, text);
        ck_assert_ptr_nonnull(first[n]);
        ck_assert_ptr_ne(first[n], text);
        ck_assert_str_eq(first[n], text);
    }
    for (int n = 0; n < 300; n++) {
        snprintf(text, sizeof(text), "SKU-%d", n);     /* another buffer, an equal text */
        ck_assert_ptr_eq(sl_text_table_intern(table, text), first[n]);
    }
    ck_assert_uint_eq(sl_text_table_count(table), 300);
    sl_text_table_free(table);
}
END_TEST

START_TEST(a_full_table_adds_nothing_but_keeps_answering)
{
    sl_text_table *table = sl_text_table_new(2);
    ck_assert_ptr_nonnull(table);
    const char *paid = sl_text_table_intern(table, "paid");
    ck_assert_ptr_nonnull(sl_text_table_intern(table, "pending"));
    ck_assert_ptr_null(sl_text_table_intern(table, "loc_1"));
    ck_assert_ptr_eq(sl_text_table_intern(table, "paid"), paid);
    ck_assert_uint_eq(sl_text_table_count(table), 2);
    sl_text_table_free(table);
}
END_TEST

static const char *share(void *table, const char *text)
{
    return sl_text_table_intern(table, text);
}

/* An order of two packages with the same SKU, location and status word. */
static sl_order *order_with_repeats(const char *id)
{
    sl_order *order = calloc(1, sizeof(*order));
    ck_assert_ptr_nonnull(order);
    order->id = strdup(id);
    order->status_text = strdup("paid");
    order->shipping_address = calloc(1, sizeof(*order->shipping_address));
    ck_assert_ptr_nonnull(order->shipping_address);
    order->shipping_address->address1 = strdup("7179 Maple Drive");
    order->shipping_address->city = strdup("Raleigh");
    order->unit_count = 2;
    order->units = calloc(2, sizeof(*order->units));
    for (size_t p = 0; p < 2; p++) {
        sl_unit *unit = &order->units[p];
        unit->id = strdup(p ? "pk_2" : "pk_1");
        unit->location_id = strdup("loc_1");
        unit->status_text = strdup("pending");
        unit->item_count = 1;
        unit->items = calloc(1, sizeof(*unit->items));
        unit->items[0].id = strdup(p ? "li_2" : "li_1");
        unit->items[0].sku = strdup("PEN-GEL-BLK-10");
        unit->items[0].quantity = 2;
    }
    return order;
}

START_TEST(packed_orders_point_into_the_table_for_repeated_texts)
{
    sl_text_table *table = sl_text_table_new(100);
    ck_assert_ptr_nonnull(table);
    sl_order *a = order_with_repeats("1"), *b = order_with_repeats("2");
    sl_order *pa = sl_order_pack_sharing(a, share, table);
    sl_order *pb = sl_order_pack_sharing(b, share, table);
    sl_order *alone = sl_order_pack(a);
    ck_assert_ptr_nonnull(pa);
    ck_assert_ptr_nonnull(pb);
    ck_assert_ptr_nonnull(alone);
    sl_order_free(a);
    sl_order_free(b);
    ck_assert_int_eq(pa->packed, 1);
    ck_assert_str_eq(pa->id, "1");
    ck_assert_str_eq(pb->id, "2");
    ck_assert_ptr_eq(pa->units[0].items[0].sku, pb->units[1].items[0].sku);
    ck_assert_ptr_eq(pa->units[0].location_id, pa->units[1].location_id);
    ck_assert_ptr_eq(pa->status_text, sl_text_table_intern(table, "paid"));
    ck_assert_ptr_eq(pa->shipping_address->city, pb->shipping_address->city);
    ck_assert_ptr_ne(pa->shipping_address->address1, pb->shipping_address->address1);
    ck_assert_str_eq(pb->shipping_address->address1, "7179 Maple Drive");
    ck_assert_str_eq(pb->units[1].items[0].id, "li_2");
    ck_assert_int_eq(pb->units[1].items[0].quantity, 2);
    /* without a table every text is the order's own */
    ck_assert_ptr_ne(alone->units[0].items[0].sku, pa->units[0].items[0].sku);
    ck_assert_str_eq(alone->units[0].items[0].sku, "PEN-GEL-BLK-10");
    sl_order_free(pa);      /* one block each: the shared texts stay the table's */
    sl_order_free(pb);
    sl_order_free(alone);
    ck_assert_uint_eq(sl_text_table_count(table), 5);  /* paid, Raleigh, loc_1, pending, SKU */
    sl_text_table_free(table);
}
END_TEST

static Suite *text_table_suite(void)
{
    Suite *suite = suite_create("match_text_table");
    TCase *table = tcase_create("table");
    tcase_add_test(table, equal_texts_share_one_copy);
    tcase_add_test(table, a_full_table_adds_nothing_but_keeps_answering);
    tcase_add_test(table, packed_orders_point_into_the_table_for_repeated_texts);
    suite_add_tcase(suite, table);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(text_table_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
