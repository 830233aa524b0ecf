/* test_report_csv_cells.c: sl_csv_out_texts writes a run of cells optimistically (each copied
 * whole, then one scan of them all) and goes cell by cell when any cell asks more. Whatever the
 * cells hold (delimiters, quotes, CR, LF, bytes that are not ASCII or not UTF-8, formula
 * starts, blanks at either end, empty and NULL cells, runs shorter and longer than eight
 * bytes), the record must be the very bytes that sl_csv_out_text gives one cell at a time, for
 * each delimiter a report can have. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/report_csv.h"

/* The record written into a memory file; the caller frees. */
static char *record_of(char delimiter, const sl_csv_text *cells, size_t count, int one_by_one)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(fp);
    sl_csv_out out;
    sl_csv_out_init(&out, fp, delimiter);
    sl_csv_out_begin(&out);
    ck_assert_int_eq(sl_csv_out_number(&out, 42), 0);   /* a record's usual first cell */
    if (one_by_one) {
        for (size_t i = 0; i < count; i++)
            ck_assert_int_eq(sl_csv_out_text(&out, cells[i].text, cells[i].guard), 0);
    } else {
        ck_assert_int_eq(sl_csv_out_texts(&out, cells, count), 0);
    }
    ck_assert_int_eq(sl_csv_out_end(&out), 0);
    sl_csv_out_clear(&out);
    fclose(fp);
    return text;
}

START_TEST(texts_write_what_cells_one_by_one_write)
{
    static const char *const pieces[] = {
        "", "a", "SKU-1", "#1001", "1Z999AA10123456784", "valid", "2026-11-02",
        "https://www.ups.com/track?tracknum=1Z999AA10123456784", ",", ";", "\t", "\"", "\r",
        "\n", " ", "=", "+1", "-", "@x", "\xC3\xA9", "\xE9", "caf\xC3\xA9 au lait", "long cell ",
        " lead", "a,b", "x\"y", "CR\r\nLF",
    };
    static const char delimiters[] = { ',', ';', '\t', '|' };
    const size_t piece_count = sizeof(pieces) / sizeof(pieces[0]);
    unsigned x = 12345;
    for (int round = 0; round < 4000; round++) {
        sl_csv_text cells[12];
        char texts[12][160];
        size_t count = 1 + (size_t)round % 12;
        for (size_t i = 0; i < count; i++) {
            /* a cell of one to three pieces; now and then NULL */
            texts[i][0] = '\0';
            for (int p = 0; p < 1 + round % 3; p++) {
                x = x * 1103515245u + 12345u;
                /* most rounds plain pieces only, so the optimistic path is taken too */
                size_t pick = (x >> 16) % (round % 4 ? 8 : piece_count);
                strncat(texts[i], pieces[pick], sizeof(texts[i]) - strlen(texts[i]) - 1);
            }
            x = x * 1103515245u + 12345u;
            cells[i].text = (x >> 16) % 17 == 0 ? NULL : texts[i];
            cells[i].guard = (x >> 20) % 2 ? CSV_GUARDED : CSV_RAW;
        }
        char delimiter = delimiters[round % 4];
        char *together = record_of(delimiter, cells, count, 0);
        char *one_by_one = record_of(delimiter, cells, count, 1);
        ck_assert_msg(strcmp(together, one_by_one) == 0, "round %d: '%s' and '%s'", round,
                      together, one_by_one);
        free(together);
        free(one_by_one);
    }
}
END_TEST

/* The usual record is written as it is, delimiters in their places. */
START_TEST(plain_cells_as_they_are)
{
    const sl_csv_text cells[] = { { "#1001", CSV_GUARDED }, { NULL, CSV_GUARDED },
                                  { "SKU-1", CSV_GUARDED }, { "valid", CSV_RAW },
                                  { "", CSV_RAW }, { "1Z999AA10123456784", CSV_GUARDED } };
    char *text = record_of(',', cells, 6, 0);
    ck_assert_str_eq(text, "42,#1001,,SKU-1,valid,,1Z999AA10123456784\r\n");
    free(text);
    const sl_csv_text short_cells[] = { { "a", CSV_RAW }, { "b", CSV_RAW } };
    text = record_of(';', short_cells, 2, 0);
    ck_assert_str_eq(text, "42;a;b\r\n");
    free(text);
    const sl_csv_text quoted[] = { { "a;b", CSV_RAW }, { "-1", CSV_GUARDED } };
    text = record_of(';', quoted, 2, 0);
    ck_assert_str_eq(text, "42;\"a;b\";'-1\r\n");
    free(text);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("report_csv_cells");
    TCase *tc = tcase_create("cells");
    tcase_add_test(tc, texts_write_what_cells_one_by_one_write);
    tcase_add_test(tc, plain_cells_as_they_are);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
