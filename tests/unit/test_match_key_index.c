/* test_match_key_index.c: the 8-byte-slot index of a caller's list (key_index.h): records found
 * by an equal key in another buffer across growth, absent keys not found, keys read through
 * key_of (so a record whose key moves to a new copy is still found), and no key stored. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "match/key_index.h"

typedef struct list {
    char **keys;
} list;

static const char *key_at(const void *owner, size_t position)
{
    return ((const list *)owner)->keys[position];
}

START_TEST(records_are_found_by_equal_keys_across_growth)
{
    enum { COUNT = 5000 };
    list records = { calloc(COUNT, sizeof(char *)) };
    ck_assert_ptr_nonnull(records.keys);
    sl_key_index *index = sl_key_index_new(4, key_at, &records);
    ck_assert_ptr_nonnull(index);
    char key[32];
    for (size_t n = 0; n < COUNT; n++) {
        snprintf(key, sizeof(key), "n:%zu", 100000 + n);
        records.keys[n] = strdup(key);
        ck_assert_int_eq(sl_key_index_add(index, n), 0);
    }
    ck_assert_uint_eq(sl_key_index_count(index), COUNT);
    for (size_t n = 0; n < COUNT; n++) {
        snprintf(key, sizeof(key), "n:%zu", 100000 + n);     /* another buffer's text */
        ck_assert_uint_eq(sl_key_index_find(index, key), n);
    }
    ck_assert_uint_eq(sl_key_index_find(index, "n:99999"), SL_KEY_INDEX_NONE);
    ck_assert_uint_eq(sl_key_index_find(index, ""), SL_KEY_INDEX_NONE);
    ck_assert_uint_eq(sl_key_index_find(index, "i:100000"), SL_KEY_INDEX_NONE);
    /* a record's key replaced by an equal copy (an order packed anew): still found */
    char *moved = strdup(records.keys[17]);
    free(records.keys[17]);
    records.keys[17] = moved;
    ck_assert_uint_eq(sl_key_index_find(index, "n:100017"), 17);
    sl_key_index_free(index);
    for (size_t n = 0; n < COUNT; n++)
        free(records.keys[n]);
    free(records.keys);
}
END_TEST

START_TEST(an_empty_index_finds_nothing)
{
    list records = { NULL };
    sl_key_index *index = sl_key_index_new(0, key_at, &records);
    ck_assert_ptr_nonnull(index);
    ck_assert_uint_eq(sl_key_index_find(index, "8000000100001"), SL_KEY_INDEX_NONE);
    ck_assert_uint_eq(sl_key_index_count(index), 0);
    sl_key_index_free(index);
    sl_key_index_free(NULL);
}
END_TEST

static Suite *key_index_suite(void)
{
    Suite *suite = suite_create("match_key_index");
    TCase *table = tcase_create("index");
    tcase_add_test(table, records_are_found_by_equal_keys_across_growth);
    tcase_add_test(table, an_empty_index_finds_nothing);
    suite_add_tcase(suite, table);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(key_index_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
