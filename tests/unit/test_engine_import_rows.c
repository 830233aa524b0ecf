/* test_engine_import_rows.c: the rows an import holds (engine/import_rows.h): every row keeps
 * its values and its raw record whatever the size, the values of the repeating columns are
 * stored once and shared, a vocabulary that is full copies new values instead, the set's
 * byte count covers what it holds, the rows a stop leaves pending share one message, the
 * rows of one order share its matched ids, and the rows of one planned fulfillment one kept
 * copy of its id (never freed through them, whatever sets their id afterwards). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/import_rows.h"

/* A mapped row like the reader's: its own malloc'd strings. */
static void make_row(sl_row *row, size_t n, const char *carrier)
{
    char text[64];
    sl_row_init(row);
    row->record = n;
    row->line = n + 1;
    snprintf(text, sizeof(text), "#%zu", 1000 + n / 3);
    sl_row_set(&row->order_ref, text);
    sl_row_set(&row->carrier, carrier);
    sl_row_set(&sl_row_own_columns(row)->ship_date_text, "2026-11-21");
    sl_row_set(&row->sku, n % 2 ? "PEN-GEL-BLK-10" : NULL);
    snprintf(text, sizeof(text), "https://example.com/t/%zu", n);
    sl_row_set(&sl_row_own_extra(row)->tracking_url, text);
    row->tracking_numbers = calloc(1, sizeof(char *));
    snprintf(text, sizeof(text), "1Z%016zu", n);
    row->tracking_numbers[0] = strdup(text);
    row->tracking_count = 1;
}

/* Adds row (make_row's row n) with the record it came from (two fields) when with_record,
 * else without one; sl_import_rows_add's answer. */
static int add_row_with_record(sl_import_rows *set, sl_row *row, size_t n, const char *carrier,
                               int with_record)
{
    char buf[32];
    char *fields[2] = { buf, "UPS" };
    snprintf(buf, sizeof(buf), "%zu", n);
    size_t lengths[2] = { strlen(buf), 3 };
    sl_record record;
    memset(&record, 0, sizeof(record));
    record.number = n;
    record.line = n + 1;
    record.field_count = 2;
    record.fields = fields;
    record.lengths = lengths;
    make_row(row, n, carrier);
    return sl_import_rows_add(set, row, with_record ? &record : NULL);
}

/* 5,000 rows in and out: values intact, repeated values shared, raw records read back. */
START_TEST(rows_keep_their_values_and_share_the_repeated_ones)
{
    sl_import_rows set;
    sl_import_rows_init(&set);
    enum { ROWS = 5000 };
    for (size_t n = 0; n < ROWS; n++) {
        sl_row row;
        ck_assert_int_eq(add_row_with_record(&set, &row, n, n % 3 ? "UPS" : "FedEx", 1), 0);
        ck_assert_ptr_null(row.carrier);    /* moved */
    }
    sl_import_rows_shrink(&set);
    ck_assert_uint_eq(set.count, ROWS);
    const sl_row *rows = set.rows;
    for (size_t n = 0; n < ROWS; n++) {
        char text[64];
        snprintf(text, sizeof(text), "#%zu", 1000 + n / 3);
        ck_assert_str_eq(rows[n].order_ref, text);
        ck_assert_str_eq(rows[n].carrier, n % 3 ? "UPS" : "FedEx");
        ck_assert_str_eq(sl_row_cols(&rows[n])->ship_date_text, "2026-11-21");
        if (n % 2)
            ck_assert_str_eq(rows[n].sku, "PEN-GEL-BLK-10");
        else
            ck_assert_ptr_null(rows[n].sku);
        snprintf(text, sizeof(text), "https://example.com/t/%zu", n);
        ck_assert_str_eq(sl_row_given_tracking_url(&rows[n]), text);
        snprintf(text, sizeof(text), "1Z%016zu", n);
        ck_assert_uint_eq(rows[n].tracking_count, 1);
        ck_assert_str_eq(rows[n].tracking_numbers[0], text);
        sl_record *raw = sl_import_rows_record(&set, n);
        ck_assert_ptr_nonnull(raw);
        ck_assert_uint_eq(raw->number, n);
        ck_assert_uint_eq(raw->field_count, 2);
        snprintf(text, sizeof(text), "%zu", n);
        ck_assert_str_eq(raw->fields[0], text);
        ck_assert_str_eq(raw->fields[1], "UPS");
        free(raw);
    }
    /* one copy of each repeated value, shared */
    ck_assert_ptr_eq(rows[1].carrier, rows[2].carrier);
    ck_assert_ptr_eq(rows[0].carrier, rows[3].carrier);
    ck_assert_ptr_eq(sl_row_cols(&rows[0])->ship_date_text,
                     sl_row_cols(&rows[ROWS - 1])->ship_date_text);
    ck_assert_ptr_eq(rows[1].sku, rows[3].sku);
    /* a reference or a tracking URL is each row's own */
    ck_assert_ptr_ne(rows[0].order_ref, rows[1].order_ref);
    ck_assert_uint_ge(sl_import_rows_bytes(&set), ROWS * sizeof(sl_row));
    /* later stages still set the strings they own */
    sl_row_set(&set.rows[0].message, "not sent");
    sl_row_set(&set.rows[0].order_id, "8000000100001");
    sl_import_rows_clear(&set);
    ck_assert_uint_eq(set.count, 0);
}
END_TEST

/* The spill keeps nothing per row in memory: records read back in row order, skipping rows,
 * backwards (from the beginning again), and rows without a record between them. */
START_TEST(spilled_records_read_back_in_any_order)
{
    sl_import_rows set;
    sl_import_rows_init(&set);
    enum { ROWS = 500 };
    for (size_t n = 0; n < ROWS; n++) {
        sl_row row;
        ck_assert_int_eq(add_row_with_record(&set, &row, n, "UPS", n % 7 != 3), 0);
    }
    ck_assert_ptr_nonnull(set.spill);
    static const size_t order[] = { 0, 1, 3, 4, 250, 499, 10, 17, 17, 3, 498, 0, 200 };
    for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
        size_t n = order[k];
        sl_record *raw = sl_import_rows_record(&set, n);
        if (n % 7 == 3) {
            ck_assert_ptr_null(raw);
            continue;
        }
        ck_assert_ptr_nonnull(raw);
        ck_assert_uint_eq(raw->number, n);
        char text[32];
        snprintf(text, sizeof(text), "%zu", n);
        ck_assert_str_eq(raw->fields[0], text);
        free(raw);
    }
    ck_assert_ptr_null(sl_import_rows_record(&set, ROWS));
    /* a row added after reading back is read back too */
    sl_row row;
    ck_assert_int_eq(add_row_with_record(&set, &row, ROWS, "UPS", 1), 0);
    sl_record *raw = sl_import_rows_record(&set, ROWS);
    ck_assert_ptr_nonnull(raw);
    ck_assert_uint_eq(raw->number, ROWS);
    free(raw);
    sl_import_rows_clear(&set);
}
END_TEST

/* Beyond the vocabulary's 4,096 distinct values a new value gets a copy of its own, and every
 * row still holds its value. */
START_TEST(a_full_vocabulary_copies_new_values)
{
    sl_import_rows set;
    sl_import_rows_init(&set);
    enum { ROWS = 6000 };
    for (size_t n = 0; n < ROWS; n++) {
        char carrier[32];
        snprintf(carrier, sizeof(carrier), "carrier %zu", n);
        sl_row row;
        make_row(&row, n, carrier);
        ck_assert_int_eq(sl_import_rows_add(&set, &row, NULL), 0);
    }
    ck_assert_uint_eq(set.vocabulary.count, 4096);
    for (size_t n = 0; n < ROWS; n++) {
        char carrier[32];
        snprintf(carrier, sizeof(carrier), "carrier %zu", n);
        ck_assert_str_eq(set.rows[n].carrier, carrier);
        ck_assert_ptr_null(sl_import_rows_record(&set, n));     /* none was given */
    }
    /* a value already known is still shared */
    sl_row row;
    make_row(&row, ROWS, "UPS");
    ck_assert_int_eq(sl_import_rows_add(&set, &row, NULL), 0);
    ck_assert_ptr_eq(sl_row_cols(&set.rows[ROWS])->ship_date_text,
                     sl_row_cols(&set.rows[0])->ship_date_text);
    sl_import_rows_clear(&set);
}
END_TEST

/* Rows a stop leaves pending end not_attempted sharing one copy of the reason; a row that
 * failed before keeps its own; a shared message gives way to nothing but a first failure. */
START_TEST(a_stop_shares_one_message)
{
    sl_import_rows set;
    sl_import_rows_init(&set);
    for (size_t n = 0; n < 100; n++) {
        sl_row row;
        make_row(&row, n, "UPS");
        if (n == 7)
            sl_row_fail(&row, SL_STATUS_INVALID, SL_CODE_BAD_TRACKING_NUMBER, "tracking %zu", n);
        ck_assert_int_eq(sl_import_rows_add(&set, &row, NULL), 0);
    }
    char why[64];
    snprintf(why, sizeof(why), "not sent: %s", "the API refused the token");
    sl_import_rows_stop_pending(&set, SL_CODE_AUTH_FAILED, why);
    memset(why, 'x', sizeof(why) - 1);     /* the set keeps its own copy */
    for (size_t n = 0; n < 100; n++) {
        const sl_row *row = &set.rows[n];
        if (n == 7) {
            ck_assert_int_eq(row->status, SL_STATUS_INVALID);
            ck_assert_str_eq(row->message, "tracking 7");
            continue;
        }
        ck_assert_int_eq(row->status, SL_STATUS_NOT_ATTEMPTED);
        ck_assert_int_eq(row->code, SL_CODE_AUTH_FAILED);
        ck_assert_str_eq(row->message, "not sent: the API refused the token");
        ck_assert_ptr_eq(row->message, set.rows[0].message);
    }
    sl_row_fail(&set.rows[0], SL_STATUS_FAILED, SL_CODE_RUN_STOPPED, "again");   /* kept */
    ck_assert_str_eq(set.rows[0].message, "not sent: the API refused the token");
    sl_import_rows_clear(&set);
}
END_TEST

/* A row's shared message is not freed with the row, and a success row may still fail. */
START_TEST(a_shared_message_is_not_the_rows)
{
    static const char reason[] = "not sent: stopped";
    sl_row row;
    sl_row_init(&row);
    sl_row_fail_shared(&row, SL_STATUS_NOT_ATTEMPTED, SL_CODE_RUN_STOPPED, reason);
    ck_assert_ptr_eq(row.message, reason);
    sl_row_clear(&row);         /* a free() of reason would abort */
    ck_assert_ptr_null(row.message);
    sl_row_init(&row);
    row.status = SL_STATUS_SHIPPED;
    sl_row_fail_shared(&row, SL_STATUS_NOT_ATTEMPTED, SL_CODE_RUN_STOPPED, reason);
    row.code = SL_CODE_NONE;    /* as if it had not failed: a later failure replaces it */
    row.status = SL_STATUS_PENDING;
    sl_row_fail(&row, SL_STATUS_FAILED, SL_CODE_RUN_STOPPED, "%s", "own");
    ck_assert_str_eq(row.message, "own");
    ck_assert_int_eq(row.shared, 0);
    sl_row_clear(&row);
}
END_TEST

/* What matching sets on a row of order number `order`: its own copies of the order's id and
 * name. */
static void match_to_order(sl_row *row, size_t order)
{
    char text[32];
    snprintf(text, sizeof(text), "80000%zu", order);
    sl_row_set(&row->order_id, text);
    snprintf(text, sizeof(text), "#%zu", 1000 + order);
    sl_row_set(&row->order_name, text);
}

/* Rows shared one by one as matching goes (sl_import_rows_share_row) and the rest by the pass
 * after it share the same copies; the pass then frees the copies' index, not the copies. */
START_TEST(rows_shared_one_by_one_join_the_final_pass)
{
    sl_import_rows set;
    sl_import_rows_init(&set);
    for (size_t n = 0; n < 40; n++) {
        sl_row row;
        make_row(&row, n, "UPS");
        ck_assert_int_eq(sl_import_rows_add(&set, &row, NULL), 0);
        match_to_order(&set.rows[n], n / 4);
        if (n % 2 == 0)
            ck_assert_int_eq(sl_import_rows_share_row(&set, &set.rows[n]), 0);
    }
    ck_assert_ptr_nonnull(set.matched.slots);
    ck_assert_int_eq(sl_import_rows_share_matched(&set), 0);
    ck_assert_ptr_null(set.matched.slots);
    for (size_t n = 0; n < 40; n++) {
        ck_assert(set.rows[n].shared & SL_ROW_SHARED_MATCHED);
        ck_assert_ptr_eq(set.rows[n].order_id, set.rows[n - n % 4].order_id);
        ck_assert_ptr_eq(set.rows[n].order_name, set.rows[n - n % 4].order_name);
    }
    ck_assert_str_eq(set.rows[39].order_name, "#1009");
    sl_import_rows_clear(&set);
}
END_TEST

/* After matching, the rows of one order share its id and name, and each row's fulfillment
 * order id is in the arena; rows without them keep nothing; later failures still work. */
START_TEST(matched_ids_are_shared)
{
    sl_import_rows set;
    sl_import_rows_init(&set);
    for (size_t n = 0; n < 300; n++) {
        sl_row row;
        make_row(&row, n, "UPS");
        if (n % 7 == 1) {   /* names its package by the id matching sets */
            char package[32];
            snprintf(package, sizeof(package), "700%zu", n / 2);
            sl_row_set(&row.package_ref, package);
        }
        ck_assert_int_eq(sl_import_rows_add(&set, &row, NULL), 0);
        if (n % 10 == 9)
            continue;       /* not matched */
        match_to_order(&set.rows[n], n / 3);
        char text[32];
        snprintf(text, sizeof(text), "700%zu", n / 2);
        if (n % 5)
            sl_row_set(&set.rows[n].fulfillment_order_id, text);
    }
    ck_assert_int_eq(sl_import_rows_share_matched(&set), 0);
    ck_assert_int_eq(sl_import_rows_share_matched(&set), 0);     /* again: nothing changes */
    for (size_t n = 0; n < 300; n++) {
        const sl_row *row = &set.rows[n];
        if (n % 10 == 9) {
            ck_assert_ptr_null(row->order_id);
            continue;
        }
        char text[32];
        snprintf(text, sizeof(text), "80000%zu", n / 3);
        ck_assert_str_eq(row->order_id, text);
        snprintf(text, sizeof(text), "#%zu", 1000 + n / 3);
        ck_assert_str_eq(row->order_name, text);
        snprintf(text, sizeof(text), "700%zu", n / 2);
        if (n % 5)
            ck_assert_str_eq(row->fulfillment_order_id, text);
        else
            ck_assert_ptr_null(row->fulfillment_order_id);
        if (n % 5 && n % 7 == 1)    /* no copy: its package reference is that id */
            ck_assert_ptr_eq(row->fulfillment_order_id, row->package_ref);
        else if (n % 5)
            ck_assert_ptr_ne(row->fulfillment_order_id, row->package_ref);
        ck_assert(row->shared & SL_ROW_SHARED_MATCHED);
    }
    ck_assert_ptr_eq(set.rows[0].order_id, set.rows[2].order_id);
    ck_assert_ptr_eq(set.rows[0].order_name, set.rows[1].order_name);
    /* a unit's id is a copy per row (in the arena: not the row's own) */
    ck_assert_str_eq(set.rows[2].fulfillment_order_id, set.rows[3].fulfillment_order_id);
    ck_assert_ptr_ne(set.rows[0].order_id, set.rows[3].order_id);
    sl_row_set(&set.rows[4].fulfillment_id, "f-1");   /* still the row's own */
    sl_row_fail(&set.rows[4], SL_STATUS_FAILED, SL_CODE_RUN_STOPPED, "%s", "x");
    sl_import_rows_stop_pending(&set, SL_CODE_RUN_STOPPED, "not sent");
    sl_import_rows_clear(&set);
}
END_TEST

/* ---------------------------------------------------------------- the repeating columns */

/* A row with the given repeating values (NULL: not set) and nothing else but a reference. */
static void make_columns_row(sl_row *row, size_t n, const char *quantity, const char *location,
                             const char *action)
{
    char text[32];
    sl_row_init(row);
    row->record = n;
    snprintf(text, sizeof(text), "#%zu", 1000 + n);
    sl_row_set(&row->order_ref, text);
    if (quantity)
        sl_row_set(&sl_row_own_columns(row)->quantity_text, quantity);
    if (location)
        sl_row_set(&sl_row_own_columns(row)->location_id, location);
    if (action)
        sl_row_set(&sl_row_own_columns(row)->action_text, action);
}

static void add_columns_row(sl_import_rows *set, const char *quantity, const char *location,
                            const char *action)
{
    sl_row row;
    make_columns_row(&row, set->count, quantity, location, action);
    ck_assert_int_eq(sl_import_rows_add(set, &row, NULL), 0);
    ck_assert_ptr_null(row.columns);    /* moved */
}

/* Rows of one combination point to one copy of it; a row that differs in one value has
 * another (the values it has in common still the vocabulary's); each reads its own values. */
START_TEST(rows_of_one_combination_share_their_columns)
{
    sl_import_rows set;
    sl_import_rows_init(&set);
    for (size_t n = 0; n < 1000; n++)
        add_columns_row(&set, n % 2 ? "2" : "1", "loc_1", "ship");
    add_columns_row(&set, "1", "loc_1", "cancel");
    ck_assert_uint_eq(set.combinations.count, 3);
    const sl_row *rows = set.rows;
    ck_assert_ptr_eq(rows[0].columns, rows[998].columns);
    ck_assert_ptr_eq(rows[1].columns, rows[999].columns);
    ck_assert_ptr_ne(rows[0].columns, rows[1].columns);
    ck_assert_ptr_ne(rows[0].columns, rows[1000].columns);
    ck_assert_ptr_eq(sl_row_cols(&rows[0])->location_id, sl_row_cols(&rows[1])->location_id);
    for (size_t n = 0; n < 1000; n++) {
        const sl_row_columns *columns = sl_row_cols(&rows[n]);
        ck_assert(rows[n].shared & SL_ROW_SHARED_COLUMNS);
        ck_assert_str_eq(columns->quantity_text, n % 2 ? "2" : "1");
        ck_assert_str_eq(columns->location_id, "loc_1");
        ck_assert_str_eq(columns->action_text, "ship");
        ck_assert_ptr_null(columns->carrier_code);
        ck_assert_ptr_null(columns->ship_date_text);
    }
    ck_assert_str_eq(sl_row_cols(&rows[1000])->action_text, "cancel");
    sl_import_rows_clear(&set);
}
END_TEST

/* A row with none of the repeating values points to none, and reads them all as NULL, held
 * or not; a row whose own columns were made but left empty is held the same way. */
START_TEST(a_row_without_repeating_values_points_to_none)
{
    sl_row row;
    make_columns_row(&row, 0, NULL, NULL, NULL);
    ck_assert_ptr_null(row.columns);
    ck_assert_ptr_null(sl_row_cols(&row)->quantity_text);
    ck_assert_ptr_null(sl_row_cols(&row)->fulfillment_status);
    sl_import_rows set;
    sl_import_rows_init(&set);
    ck_assert_int_eq(sl_import_rows_add(&set, &row, NULL), 0);
    make_columns_row(&row, 1, NULL, NULL, NULL);
    ck_assert_ptr_nonnull(sl_row_own_columns(&row));
    ck_assert_int_eq(sl_import_rows_add(&set, &row, NULL), 0);
    for (size_t n = 0; n < 2; n++) {
        ck_assert_ptr_null(set.rows[n].columns);
        ck_assert_ptr_null(sl_row_cols(&set.rows[n])->ship_date_text);
        ck_assert_str_eq(set.rows[n].order_ref, n ? "#1001" : "#1000");
    }
    ck_assert_uint_eq(set.combinations.count, 0);
    sl_import_rows_clear(&set);
}
END_TEST

/* Once the vocabulary is full, a row with a value outside it has columns of its own (not
 * shared, not in the table), holding its values; a known combination is still shared. */
START_TEST(a_value_outside_the_vocabulary_gets_its_own_columns)
{
    sl_import_rows set;
    sl_import_rows_init(&set);
    char location[32];
    for (size_t n = 0; n < 4096; n++) {
        snprintf(location, sizeof(location), "loc_%zu", n);
        add_columns_row(&set, NULL, location, NULL);
    }
    ck_assert_uint_eq(set.vocabulary.count, 4096);
    size_t combinations = set.combinations.count;
    add_columns_row(&set, "1", "loc_new", NULL);     /* "1" is not in it either */
    add_columns_row(&set, "1", "loc_new", NULL);
    add_columns_row(&set, NULL, "loc_7", NULL);      /* known: shared */
    ck_assert_uint_eq(set.combinations.count, combinations);
    const sl_row *rows = set.rows;
    ck_assert_ptr_ne(rows[4096].columns, rows[4097].columns);
    ck_assert(rows[4096].shared & SL_ROW_SHARED_COLUMNS);
    for (size_t n = 4096; n < 4098; n++) {
        ck_assert_str_eq(sl_row_cols(&rows[n])->location_id, "loc_new");
        ck_assert_str_eq(sl_row_cols(&rows[n])->quantity_text, "1");
        ck_assert_ptr_null(sl_row_cols(&rows[n])->action_text);
    }
    ck_assert_ptr_eq(rows[4098].columns, rows[7].columns);
    ck_assert_str_eq(sl_row_cols(&rows[4098])->location_id, "loc_7");
    sl_import_rows_clear(&set);
}
END_TEST

/* Beyond 65,536 combinations (of shared values) a new one is each row's own copy; the
 * combinations already stored are still shared. */
START_TEST(too_many_combinations_are_copied)
{
    sl_import_rows set;
    sl_import_rows_init(&set);
    enum { QUANTITIES = 300, LOCATIONS = 230 };
    char quantity[16], location[16];
    for (size_t l = 0; l < LOCATIONS; l++)
        for (size_t q = 0; q < QUANTITIES; q++) {
            snprintf(quantity, sizeof(quantity), "%zu", q + 1);
            snprintf(location, sizeof(location), "loc_%zu", l);
            add_columns_row(&set, quantity, location, "ship");
        }
    ck_assert_uint_eq(set.combinations.count, 65536);
    add_columns_row(&set, "1", "loc_0", "ship");                 /* stored: shared */
    add_columns_row(&set, "300", "loc_229", "ship");             /* not stored: its own */
    size_t last = LOCATIONS * QUANTITIES;
    ck_assert_ptr_eq(set.rows[last].columns, set.rows[0].columns);
    ck_assert_ptr_ne(set.rows[last + 1].columns, set.rows[last - 1].columns);
    ck_assert_ptr_eq(sl_row_cols(&set.rows[last + 1])->location_id,
                     sl_row_cols(&set.rows[last - 1])->location_id);   /* still the vocabulary's */
    for (size_t n = 0; n < last; n++) {
        snprintf(quantity, sizeof(quantity), "%zu", n % QUANTITIES + 1);
        snprintf(location, sizeof(location), "loc_%zu", n / QUANTITIES);
        ck_assert_str_eq(sl_row_cols(&set.rows[n])->quantity_text, quantity);
        ck_assert_str_eq(sl_row_cols(&set.rows[n])->location_id, location);
    }
    sl_import_rows_clear(&set);
}
END_TEST

/* A row's own columns (made by sl_row_own_columns) are carved from its block when it has
 * one, freed with it otherwise; sl_row_reset forgets them. */
START_TEST(a_rows_own_columns_come_from_its_block)
{
    sl_row row;
    sl_row_init(&row);
    ck_assert_int_eq(sl_row_use_block(&row, 256), 0);
    sl_row_columns *columns = sl_row_own_columns(&row);
    ck_assert_ptr_nonnull(columns);
    ck_assert_ptr_eq(sl_row_own_columns(&row), columns);     /* made once */
    ck_assert((char *)columns >= row.block->data &&
              (char *)columns < row.block->data + row.block->size);
    ck_assert_int_eq(sl_row_replace(&row, &columns->ship_date_text, "2026-11-21"), 0);
    ck_assert_str_eq(sl_row_cols(&row)->ship_date_text, "2026-11-21");
    sl_row_reset(&row);
    ck_assert_ptr_null(row.columns);
    ck_assert_ptr_null(sl_row_cols(&row)->ship_date_text);
    sl_row_clear(&row);
    sl_row_init(&row);      /* without a block: malloc'd, freed by sl_row_clear */
    ck_assert_int_eq(sl_row_set(&sl_row_own_columns(&row)->carrier_code, "ups"), 0);
    sl_row_clear(&row);
    ck_assert_ptr_null(row.columns);
}
END_TEST

/* A fulfillment id kept by the set is shared by the rows given it: clearing the rows and the
 * set frees it once (with the arena); a row whose id is set again owns that copy; a row
 * that had its own id (matching's, for an update) gives it up for the shared one. */
START_TEST(a_kept_fulfillment_id_is_shared)
{
    sl_import_rows set;
    sl_import_rows_init(&set);
    for (size_t n = 0; n < 6; n++) {
        sl_row row;
        make_row(&row, n, "UPS");
        ck_assert_int_eq(sl_import_rows_add(&set, &row, NULL), 0);
    }
    ck_assert_int_eq(sl_row_set_fulfillment_id(&set.rows[2], "matched"), 0);
    char *kept = sl_import_rows_keep(&set, "ful_100001_1");
    ck_assert_ptr_nonnull(kept);
    ck_assert_str_eq(kept, "ful_100001_1");
    for (size_t n = 0; n < 4; n++)
        sl_row_share_fulfillment_id(&set.rows[n], kept);
    for (size_t n = 0; n < 4; n++) {
        ck_assert_ptr_eq(set.rows[n].fulfillment_id, kept);
        ck_assert(set.rows[n].shared & SL_ROW_SHARED_FULFILLMENT);
    }
    ck_assert_int_eq(sl_row_set_fulfillment_id(&set.rows[1], "ful_other"), 0);
    ck_assert(!(set.rows[1].shared & SL_ROW_SHARED_FULFILLMENT));
    ck_assert_str_eq(set.rows[1].fulfillment_id, "ful_other");
    ck_assert_str_eq(set.rows[0].fulfillment_id, "ful_100001_1");
    sl_row_share_fulfillment_id(&set.rows[3], NULL);
    ck_assert_ptr_null(set.rows[3].fulfillment_id);
    ck_assert(!(set.rows[3].shared & SL_ROW_SHARED_FULFILLMENT));
    sl_row_fail(&set.rows[0], SL_STATUS_FAILED, SL_CODE_RUN_STOPPED, "%s", "x");
    ck_assert_ptr_eq(set.rows[0].fulfillment_id, kept);
    sl_import_rows_clear(&set);
}
END_TEST

static Suite *import_rows_suite(void)
{
    Suite *suite = suite_create("engine_import_rows");
    TCase *rows = tcase_create("rows");
    tcase_add_test(rows, rows_keep_their_values_and_share_the_repeated_ones);
    tcase_add_test(rows, spilled_records_read_back_in_any_order);
    tcase_add_test(rows, a_full_vocabulary_copies_new_values);
    tcase_add_test(rows, a_stop_shares_one_message);
    tcase_add_test(rows, a_shared_message_is_not_the_rows);
    tcase_add_test(rows, matched_ids_are_shared);
    tcase_add_test(rows, rows_shared_one_by_one_join_the_final_pass);
    tcase_add_test(rows, a_kept_fulfillment_id_is_shared);
    suite_add_tcase(suite, rows);
    TCase *columns = tcase_create("columns");
    tcase_add_test(columns, rows_of_one_combination_share_their_columns);
    tcase_add_test(columns, a_row_without_repeating_values_points_to_none);
    tcase_add_test(columns, a_value_outside_the_vocabulary_gets_its_own_columns);
    tcase_add_test(columns, too_many_combinations_are_copied);
    tcase_add_test(columns, a_rows_own_columns_come_from_its_block);
    suite_add_tcase(suite, columns);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(import_rows_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
