/* test_report_csv_cells.c: a cell is copied as it is while its bytes are scanned sixteen at a
 * time (shorter cells as overlapping halves), and looked at byte by byte only when the scan
 * finds something. Whatever the cells hold (delimiters, quotes, CR, LF, bytes that are not
 * ASCII or not UTF-8, formula starts, blanks at either end, empty and NULL cells, cells of
 * every length around the sixteen-byte steps, with what asks more in any position), the
 * record must be the bytes CSV asks for: the same from sl_csv_out_texts as from
 * sl_csv_out_text one cell at a time, and the same as a plain reference of the rules. */
#include <check.h>
#include <limits.h>
#include <stdint.h>
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

/* The record "42<d><cell>\r\n" for one cell, written by sl_csv_out_cell (by_length) or
 * sl_csv_out_texts; the caller frees. */
static char *record_of_cell(char delimiter, const char *text, size_t len, csv_guard guard,
                            int by_length, size_t *record_len)
{
    char *record = NULL;
    FILE *fp = open_memstream(&record, record_len);
    ck_assert_ptr_nonnull(fp);
    sl_csv_out out;
    sl_csv_out_init(&out, fp, delimiter);
    sl_csv_out_begin(&out);
    ck_assert_int_eq(sl_csv_out_number(&out, 42), 0);
    const sl_csv_text cell = { text, guard };
    ck_assert_int_eq(by_length ? sl_csv_out_cell(&out, text, len, guard)
                               : sl_csv_out_texts(&out, &cell, 1),
                     0);
    ck_assert_int_eq(sl_csv_out_end(&out), 0);
    sl_csv_out_clear(&out);
    fclose(fp);
    return record;
}

/* The rules for an ASCII cell without NULs, written out plainly: quoted (quotes doubled) when
 * it holds the delimiter, a quote, CR or LF, or starts or ends with a space or a tab. */
static void reference_record(char delimiter, const char *text, char *record)
{
    size_t len = strlen(text);
    int quoted = len > 0 && (text[0] == ' ' || text[0] == '\t' || text[len - 1] == ' ' ||
                             text[len - 1] == '\t');
    for (size_t i = 0; i < len; i++)
        if (text[i] == delimiter || text[i] == '"' || text[i] == '\r' || text[i] == '\n')
            quoted = 1;
    char *at = record + sprintf(record, "42%c", delimiter);
    if (quoted)
        *at++ = '"';
    for (size_t i = 0; i < len; i++) {
        if (quoted && text[i] == '"')
            *at++ = '"';
        *at++ = text[i];
    }
    if (quoted)
        *at++ = '"';
    strcpy(at, "\r\n");
}

/* One byte that asks more (or looks as if it might) in each position of cells of 1 to 70
 * bytes: the scan must see it wherever it is, in a sixteen-byte step or in the overlapping
 * last bytes, and let the others through as they are. */
START_TEST(a_byte_anywhere_in_a_cell_of_any_length)
{
    static const char odd_bytes[] = { ',', ';', '|', '"', '\r', '\n', '\t', ' ', '\x01', '\x7f',
                                      '=', '\'' };
    static const char delimiters[] = { ',', ';', '\t', '|' };
    char text[80], expected[200];
    for (size_t d = 0; d < sizeof(delimiters); d++)
        for (size_t len = 1; len <= 70; len++)
            for (size_t at = 0; at < len; at++)
                for (size_t b = 0; b < sizeof(odd_bytes); b++) {
                    for (size_t i = 0; i < len; i++)
                        text[i] = (char)('a' + (i + at) % 26);
                    text[len] = '\0';
                    text[at] = odd_bytes[b];
                    reference_record(delimiters[d], text, expected);
                    for (int by_length = 0; by_length < 2; by_length++) {
                        size_t record_len;
                        char *record = record_of_cell(delimiters[d], text, len, CSV_RAW,
                                                      by_length, &record_len);
                        ck_assert_msg(strcmp(record, expected) == 0,
                                      "len %zu, 0x%02x at %zu, delimiter 0x%02x: '%s'", len,
                                      (unsigned char)odd_bytes[b], at,
                                      (unsigned char)delimiters[d], record);
                        free(record);
                    }
                }
}
END_TEST

/* A byte that is not UTF-8, or a NUL, in any position becomes U+FFFD; valid UTF-8 stays. */
START_TEST(bad_bytes_anywhere_become_replacement)
{
    char text[80], expected[300];
    for (size_t len = 1; len <= 40; len++)
        for (size_t at = 0; at < len; at++)
            for (int nul = 0; nul < 2; nul++) {
                memset(text, 'x', len);
                text[len] = '\0';
                text[at] = nul ? '\0' : '\xE9';
                int n = sprintf(expected, "42,%.*s\xEF\xBF\xBD%.*s\r\n", (int)at, text,
                                (int)(len - at - 1), text + at + 1);
                for (int by_length = nul; by_length < 2; by_length++) {   /* NUL: by length */
                    size_t record_len;
                    char *record = record_of_cell(',', text, len, CSV_RAW, by_length,
                                                  &record_len);
                    ck_assert_uint_eq(record_len, (size_t)n);
                    ck_assert_msg(memcmp(record, expected, (size_t)n) == 0, "len %zu, at %zu",
                                  len, at);
                    free(record);
                }
            }
    /* valid UTF-8 of two, three and four bytes across the sixteen-byte steps */
    static const char *const valid[] = { "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x93\xA6" };
    for (size_t v = 0; v < 3; v++)
        for (size_t before = 0; before < 34; before++) {
            int n = sprintf(text, "%.*s%s", (int)before, "abcdefghijklmnopqrstuvwxyz0123456789",
                            valid[v]);
            sprintf(expected, "42,%s\r\n", text);
            size_t record_len;
            char *record = record_of_cell(',', text, (size_t)n, CSV_GUARDED, 0, &record_len);
            ck_assert_str_eq(record, expected);
            free(record);
        }
}
END_TEST

/* The formula guard looks at the first byte only; a guarded cell with a blank at an edge. */
START_TEST(guard_and_blank_edges_at_every_length)
{
    static const char starts[] = { '=', '+', '-', '@', '\t', '\r' };
    char text[80], expected[200];
    for (size_t len = 1; len <= 40; len++)
        for (size_t s = 0; s < sizeof(starts); s++) {
            memset(text, 'q', len);
            text[len] = '\0';
            text[0] = starts[s];
            int quoted = starts[s] == '\r' || (len == 1 && starts[s] == '\t');
            sprintf(expected, quoted ? "42,\"'%s\"\r\n" : "42,'%s\r\n", text);
            size_t record_len;
            char *record = record_of_cell(',', text, len, CSV_GUARDED, 0, &record_len);
            ck_assert_msg(strcmp(record, expected) == 0, "len %zu, start 0x%02x: '%s'", len,
                          (unsigned char)starts[s], record);
            free(record);
            record = record_of_cell(',', text, len, CSV_RAW, 1, &record_len);   /* no guard */
            reference_record(',', text, expected);
            ck_assert_str_eq(record, expected);
            free(record);
            if (len > 1) {   /* a trailing blank still needs quotes behind the guard */
                text[len - 1] = ' ';
                sprintf(expected, "42,\"'%s\"\r\n", text);
                record = record_of_cell(',', text, len, CSV_GUARDED, 0, &record_len);
                ck_assert_str_eq(record, expected);
                free(record);
            }
        }
}
END_TEST

/* Numbers are written in place, two digits at a time, 32-bit arithmetic below 2^32: every
 * width from 1 to 20 digits, each side of every power of ten and of 2^32. */
START_TEST(numbers_of_every_width_and_size)
{
    unsigned long long values[80];
    size_t count = 0;
    values[count++] = 0;
    values[count++] = 7;
    for (unsigned long long power = 10;; power *= 10) {
        values[count++] = power - 1;
        values[count++] = power;
        values[count++] = power + 7;
        if (power > ULLONG_MAX / 10)
            break;
    }
    values[count++] = UINT32_MAX;
    values[count++] = (unsigned long long)UINT32_MAX + 1;
    values[count++] = ULLONG_MAX;
    for (size_t i = 0; i < count; i++) {
        char *text = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&text, &len);
        ck_assert_ptr_nonnull(fp);
        sl_csv_out out;
        sl_csv_out_init(&out, fp, ';');
        sl_csv_out_begin(&out);
        ck_assert_int_eq(sl_csv_out_number(&out, values[i]), 0);
        ck_assert_int_eq(sl_csv_out_number(&out, values[count - 1 - i]), 0);
        ck_assert_int_eq(sl_csv_out_end(&out), 0);
        sl_csv_out_clear(&out);
        fclose(fp);
        char expected[64];
        snprintf(expected, sizeof(expected), "%llu;%llu\r\n", values[i], values[count - 1 - i]);
        ck_assert_str_eq(text, expected);
        free(text);
    }
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("report_csv_cells");
    TCase *tc = tcase_create("cells");
    tcase_add_test(tc, texts_write_what_cells_one_by_one_write);
    tcase_add_test(tc, plain_cells_as_they_are);
    tcase_add_test(tc, a_byte_anywhere_in_a_cell_of_any_length);
    tcase_add_test(tc, bad_bytes_anywhere_become_replacement);
    tcase_add_test(tc, guard_and_blank_edges_at_every_length);
    tcase_add_test(tc, numbers_of_every_width_and_size);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
