/* test_match_strmap.c: the string-keyed table of the match and plan stages (strmap.h): values
 * found by equal keys, replaced by a second put, kept across growth; a copying table owns its
 * keys (the caller's buffer may change), a borrowing one keeps the caller's pointers. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "match/strmap.h"

START_TEST(values_are_found_by_equal_keys_across_growth)
{
    sl_strmap *map = sl_strmap_new(4);
    ck_assert_ptr_nonnull(map);
    char key[32];
    for (uintptr_t n = 1; n <= 5000; n++) {
        snprintf(key, sizeof(key), "order-%lu", (unsigned long)n);
        ck_assert_int_eq(sl_strmap_put(map, key, (void *)n), 0);
    }
    snprintf(key, sizeof(key), "order-%d", 17);
    ck_assert_int_eq(sl_strmap_put(map, key, (void *)(uintptr_t)99), 0);   /* replaces */
    ck_assert_uint_eq(sl_strmap_count(map), 5000);
    for (uintptr_t n = 1; n <= 5000; n++) {
        snprintf(key, sizeof(key), "order-%lu", (unsigned long)n);   /* another buffer's text */
        ck_assert_uint_eq((uintptr_t)sl_strmap_get(map, key), n == 17 ? 99 : n);
    }
    ck_assert_ptr_null(sl_strmap_get(map, "order-5001"));
    ck_assert_ptr_null(sl_strmap_get(map, ""));
    sl_strmap_free(map);
}
END_TEST

START_TEST(a_borrowing_table_keeps_the_callers_keys)
{
    enum { COUNT = 3000 };
    char (*keys)[16] = calloc(COUNT, sizeof(*keys));
    ck_assert_ptr_nonnull(keys);
    sl_strmap *map = sl_strmap_new_borrowing(2);
    ck_assert_ptr_nonnull(map);
    for (size_t n = 0; n < COUNT; n++) {
        snprintf(keys[n], sizeof(keys[n]), "id-%zu", n);
        ck_assert_int_eq(sl_strmap_put(map, keys[n], keys[n]), 0);
    }
    ck_assert_int_eq(sl_strmap_put(map, "id-7", keys[8]), 0);     /* an equal key replaces */
    ck_assert_uint_eq(sl_strmap_count(map), COUNT);
    char probe[16];
    for (size_t n = 0; n < COUNT; n++) {
        snprintf(probe, sizeof(probe), "id-%zu", n);
        ck_assert_ptr_eq(sl_strmap_get(map, probe), n == 7 ? keys[8] : keys[n]);
    }
    sl_strmap_free(map);    /* frees no key: the keys are the caller's (ASan would see it) */
    ck_assert_str_eq(keys[COUNT - 1], "id-2999");
    free(keys);
}
END_TEST

static Suite *strmap_suite(void)
{
    Suite *suite = suite_create("match_strmap");
    TCase *table = tcase_create("table");
    tcase_add_test(table, values_are_found_by_equal_keys_across_growth);
    tcase_add_test(table, a_borrowing_table_keeps_the_callers_keys);
    suite_add_tcase(suite, table);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(strmap_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
