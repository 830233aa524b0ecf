/* test_engine_row_pipe.c: the row pipe (three threads: reading; mapping with validation, the
 * reading thread mapping most of each batch when the template allows; the caller) gives
 * exactly the rows and records that reading, mapping and validating one record at a time on
 * one thread gives: same order, statuses, codes, messages, warnings (the order-dependent ones
 * too: a tracking number seen on an earlier order) and mapped values. Over several batches of a
 * manifest with good and bad rows, quoted lines, and a template whose fields inherit from
 * earlier records (mapped on one thread only). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/row_pipe.h"
#include "engine/source.h"
#include "test_template_util.h"

#define ROWS 5000   /* about five batches */

/* A generic-csv manifest: mostly good rows, with every tenth one wrong in some way, quoted
 * lines, and tracking numbers that come back on other orders. */
static char *write_manifest(const char *dir)
{
    size_t cap = ROWS * 128 + 256, used = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    used += (size_t)snprintf(text, cap, "order_number,tracking_number,carrier,sku,quantity,"
                                        "ship_date,notify_customer\n");
    static const char *const numbers[] = { "1Z999AA10123456784", "1Z999AA10123456785",
                                           "9400111201080805483016", "986578788855", "" };
    static const char *const carriers[] = { "UPS", "ups ground", "USPS", "FedEx", "Acme Post" };
    static const char *const dates[] = { "2026-11-02", "11/03/2026", "2026-02-30", "",
                                         "03/04/2026" };
    for (int i = 0; i < ROWS; i++) {
        int odd = i % 10 == 7;
        const char *format = i % 13 == 5 ? "\"#%d\",%s,%s,\"SKU, %d\",%s,%s,%s\n"
                                         : "#%d,%s,%s,SKU-%d,%s,%s,%s\n";
        used += (size_t)snprintf(text + used, cap - used, format, 1000 + i % 700,
                                 numbers[odd ? i % 5 : (i / 3) % 2 * 2], carriers[i % 5],
                                 i % 40, odd && i % 3 ? "abc" : "2", dates[odd ? i % 5 : 0],
                                 i % 2 ? "Y" : "N");
    }
    char *path = write_file(dir, "manifest.csv", text);
    free(text);
    return path;
}

static void open_source(sl_source *source, const char *path, const char *template_name)
{
    sl_engine_options options;
    memset(&options, 0, sizeof(options));
    options.template_name = template_name;
    options.verify_tracking = 1;
    options.notify = -1;
    int partly_read = 0;
    sl_error err = { "" };
    ck_assert_msg(sl_source_open(source, path, &options, &partly_read, &err) == 0, "%s",
                  err.message);
    source->validation.warn_shared_tracking = 1;   /* as validate asks */
}

static const char *text_of(const char *text)
{
    return text ? text : "(null)";
}

static void assert_same_row(const sl_row *piped, const sl_row *alone)
{
    ck_assert_uint_eq(piped->record, alone->record);
    ck_assert_uint_eq(piped->line, alone->line);
    ck_assert_int_eq(piped->status, alone->status);
    ck_assert_int_eq(piped->code, alone->code);
    ck_assert_str_eq(text_of(piped->message), text_of(alone->message));
    ck_assert_str_eq(text_of(sl_row_warning(piped)), text_of(sl_row_warning(alone)));
    ck_assert_str_eq(text_of(piped->order_ref), text_of(alone->order_ref));
    ck_assert_str_eq(text_of(piped->sku), text_of(alone->sku));
    ck_assert_str_eq(text_of(piped->carrier), text_of(alone->carrier));
    sl_row_url piped_room, alone_room;
    ck_assert_str_eq(text_of(sl_row_tracking_url(piped, &piped_room)),
                     text_of(sl_row_tracking_url(alone, &alone_room)));
    sl_row_url_free(&piped_room);
    sl_row_url_free(&alone_room);
    ck_assert_str_eq(piped->ship_date, alone->ship_date);
    ck_assert_uint_eq(piped->tracking_count, alone->tracking_count);
    for (size_t i = 0; i < piped->tracking_count; i++)
        ck_assert_str_eq(text_of(piped->tracking_numbers[i]), text_of(alone->tracking_numbers[i]));
}

static void assert_same_record(const sl_record *piped, const sl_record *alone)
{
    ck_assert_uint_eq(piped->number, alone->number);
    ck_assert_uint_eq(piped->field_count, alone->field_count);
    for (size_t i = 0; i < piped->field_count; i++) {
        ck_assert_uint_eq(piped->lengths[i], alone->lengths[i]);
        ck_assert(memcmp(piped->fields[i], alone->fields[i], alone->lengths[i]) == 0);
    }
}

/* Every row of path through the pipe and on one thread, compared; returns the row count. */
static size_t compare_paths(const char *path, const char *template_name)
{
    sl_source piped, alone;
    open_source(&piped, path, template_name);
    open_source(&alone, path, template_name);
    sl_error err = { "" };
    sl_row_pipe *pipe = sl_row_pipe_new(&piped, 1, &err);
    ck_assert_ptr_nonnull(pipe);
    size_t rows = 0;
    for (;;) {
        sl_row *row;
        const sl_record *raw;
        int got = sl_row_pipe_next(pipe, &row, &raw, &err);
        sl_row expected;
        sl_row_init(&expected);
        const sl_record *expected_raw;
        int expected_got = sl_source_next(&alone, &expected, &expected_raw, &err);
        ck_assert_int_eq(got, expected_got);
        if (got != 1) {
            sl_row_clear(&expected);
            break;
        }
        assert_same_row(row, &expected);
        assert_same_record(raw, expected_raw);
        sl_row_clear(&expected);
        rows++;
    }
    sl_row_pipe_free(pipe);
    sl_source_close(&piped);
    sl_source_close(&alone);
    return rows;
}

START_TEST(rows_come_out_as_on_one_thread)
{
    use_template_path(NULL);
    char *dir = make_scratch_dir();
    char *path = write_manifest(dir);
    ck_assert_uint_eq(compare_paths(path, "generic-csv"), ROWS);
    ck_assert_uint_eq(compare_paths(path, NULL), ROWS);   /* detected: the same */
    free(path);
    remove_tree(dir);
    free(dir);
}
END_TEST

/* fedex-shipmanager's fields inherit from earlier records: mapped in order on one thread. */
START_TEST(a_template_that_remembers_maps_in_order)
{
    use_template_path(NULL);
    char path[4096];
    snprintf(path, sizeof(path), "%s/samples/fedex-shipmanager.csv", source_dir());
    ck_assert_uint_gt(compare_paths(path, "fedex-shipmanager"), 0);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("engine_row_pipe");
    TCase *tc = tcase_create("pipe");
    tcase_add_test(tc, rows_come_out_as_on_one_thread);
    tcase_add_test(tc, a_template_that_remembers_maps_in_order);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
