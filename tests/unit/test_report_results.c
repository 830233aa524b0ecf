/* test_report_results.c: results.csv: exact header, one line per row in the order added,
 * RFC 4180 quoting only where needed (checked byte for byte and by parsing back with libcsv),
 * the formula guard, invalid UTF-8 as U+FFFD, tracking numbers joined with ';', the quantity
 * text as given, http_status empty when 0, the --excel BOM. */
#include "shipload/carrier.h"
#include "test_report_util.h"

#define RESULTS_HEADER                                                                        \
    "record,line,order_ref,order_id,fulfillment_order_id,sku,quantity,tracking_number,"       \
    "carrier,status,error_code,error_message,fulfillment_id,http_status,warning,order_name,"   \
    "ship_date,tracking_url,notified\r\n"

/* Writes the rows to a fresh report and returns results.csv's content. */
static char *results_of(sl_row *rows, size_t count, int excel, size_t *len)
{
    char *dir = make_scratch_dir();
    sl_report *report = open_report_in(dir, "validate", excel, 0);
    sl_error err = { "" };
    for (size_t i = 0; i < count; i++)
        ck_assert_msg(sl_report_add(report, &rows[i], NULL, &err) == 0, "%s", err.message);
    close_report(report, NULL);
    sl_report_free(report);
    char *text = slurp(dir, "results.csv", len);
    ck_assert_ptr_nonnull(text);
    remove_tree(dir);
    free(dir);
    for (size_t i = 0; i < count; i++)
        sl_row_clear(&rows[i]);
    return text;
}

START_TEST(header_only_when_no_rows)
{
    size_t len;
    char *text = results_of(NULL, 0, 0, &len);
    ck_assert_str_eq(text, RESULTS_HEADER);
    free(text);
}
END_TEST

START_TEST(plain_rows_in_order_unquoted)
{
    sl_row rows[2];
    row_fill(&rows[0], 1, "#1001", "SKU-1", "2", "1Z999AA10123456784", SL_STATUS_VALID,
             SL_CODE_NONE, NULL);
    sl_row_set(&rows[0].carrier, "UPS");
    row_fill(&rows[1], 2, "#1002", "", "", NULL, SL_STATUS_INVALID,
             SL_CODE_MISSING_TRACKING_NUMBER, "no tracking number");
    size_t len;
    char *text = results_of(rows, 2, 0, &len);
    ck_assert_str_eq(text, RESULTS_HEADER
                     "1,2,#1001,,,SKU-1,2,1Z999AA10123456784,UPS,valid,,,,,,,,,\r\n"
                     "2,3,#1002,,,,,,,invalid,missing_tracking_number,no tracking number,,,,,,,\r\n");
    free(text);
}
END_TEST

START_TEST(quotes_only_what_csv_requires)
{
    sl_row row;
    row_fill(&row, 1, "A,1", "say \"hi\"", "1", NULL, SL_STATUS_INVALID, SL_CODE_BAD_VALUE,
             "two\nlines");
    sl_row_set(&row.carrier, " padded ");
    size_t len;
    char *text = results_of(&row, 1, 0, &len);
    ck_assert_str_eq(text, RESULTS_HEADER
                     "1,2,\"A,1\",,,\"say \"\"hi\"\"\",1,,\" padded \",invalid,bad_value,"
                     "\"two\nlines\",,,,,,,\r\n");
    parsed_csv parsed;
    parse_csv(text, len, ',', &parsed);
    ck_assert_int_eq(parsed.rows, 2);
    ck_assert_int_eq(parsed.columns[1], 19);
    ck_assert_str_eq(parsed.cells[1][2], "A,1");
    ck_assert_str_eq(parsed.cells[1][5], "say \"hi\"");
    ck_assert_str_eq(parsed.cells[1][8], " padded ");
    ck_assert_str_eq(parsed.cells[1][11], "two\nlines");
    parsed_free(&parsed);
    free(text);
}
END_TEST

START_TEST(formula_guard_on_every_text_cell)
{
    static const char *const dangerous[] = { "=SUM(A1:A9)", "+1", "-1", "@cmd", "\tx", "\ry" };
    static const char *const guarded[] = { "'=SUM(A1:A9)", "'+1", "'-1", "'@cmd", "'\tx",
                                           "'\ry" };
    for (size_t i = 0; i < sizeof(dangerous) / sizeof(dangerous[0]); i++) {
        sl_row row;
        row_fill(&row, 1, dangerous[i], dangerous[i], dangerous[i], dangerous[i],
                 SL_STATUS_INVALID, SL_CODE_BAD_QUANTITY, dangerous[i]);
        sl_row_set(&row.carrier, dangerous[i]);
        sl_row_set(&row.order_id, dangerous[i]);
        sl_row_set(&row.fulfillment_order_id, dangerous[i]);
        sl_row_set(&row.fulfillment_id, dangerous[i]);
        sl_row_set(&sl_row_own_extra(&row)->warning, dangerous[i]);
        size_t len;
        char *text = results_of(&row, 1, 0, &len);
        parsed_csv parsed;
        parse_csv(text, len, ',', &parsed);
        ck_assert_int_eq(parsed.rows, 2);
        static const int text_columns[] = { 2, 3, 4, 5, 6, 7, 8, 11, 12, 14 };
        for (size_t c = 0; c < sizeof(text_columns) / sizeof(text_columns[0]); c++)
            ck_assert_msg(strcmp(parsed.cells[1][text_columns[c]], guarded[i]) == 0,
                          "column %d holds '%s' for '%s'", text_columns[c],
                          parsed.cells[1][text_columns[c]], dangerous[i]);
        parsed_free(&parsed);
        free(text);
    }
}
END_TEST

START_TEST(guard_and_quotes_together)
{
    sl_row row;
    row_fill(&row, 1, "=a,b", "-x ", "\t1", "@\"q\"", SL_STATUS_INVALID, SL_CODE_BAD_VALUE,
             "+line\nbreak");
    size_t len;
    char *text = results_of(&row, 1, 0, &len);
    ck_assert_str_eq(text, RESULTS_HEADER
                     "1,2,\"'=a,b\",,,\"'-x \",'\t1,\"'@\"\"q\"\"\",,invalid,bad_value,"
                     "\"'+line\nbreak\",,,,,,,\r\n");
    parsed_csv parsed;
    parse_csv(text, len, ',', &parsed);
    ck_assert_str_eq(parsed.cells[1][2], "'=a,b");
    ck_assert_str_eq(parsed.cells[1][5], "'-x ");
    ck_assert_str_eq(parsed.cells[1][7], "'@\"q\"");
    ck_assert_str_eq(parsed.cells[1][11], "'+line\nbreak");
    parsed_free(&parsed);
    free(text);
}
END_TEST

START_TEST(no_guard_when_not_at_the_start)
{
    sl_row row;
    row_fill(&row, 1, "A-1", "x=y", "1", "1Z-2", SL_STATUS_VALID, SL_CODE_NONE, "a+b@c");
    size_t len;
    char *text = results_of(&row, 1, 0, &len);
    ck_assert_str_eq(text, RESULTS_HEADER "1,2,A-1,,,x=y,1,1Z-2,,valid,,a+b@c,,,,,,,\r\n");
    free(text);
}
END_TEST

START_TEST(invalid_utf8_shown_as_replacement_character)
{
    sl_row row;
    row_fill(&row, 1, "ab\xff" "cd", "caf\xc3\xa9", "1", NULL, SL_STATUS_INVALID,
             SL_CODE_BAD_ENCODING, "bad bytes");
    size_t len;
    char *text = results_of(&row, 1, 0, &len);
    ck_assert_ptr_nonnull(strstr(text, ",ab\xEF\xBF\xBD" "cd,"));
    ck_assert_ptr_nonnull(strstr(text, ",caf\xc3\xa9,"));   /* valid UTF-8 untouched */
    ck_assert_ptr_null(strchr(text, '\xff'));
    free(text);
}
END_TEST

START_TEST(tracking_numbers_joined_and_http_status)
{
    sl_row row;
    row_fill(&row, 7, "#7", "S", "3", NULL, SL_STATUS_SHIPPED, SL_CODE_NONE, NULL);
    const char *numbers[] = { "1Z999AA10123456784", "9400111899223197428490", "123456789012" };
    row.tracking_numbers = calloc(3, sizeof(char *));
    for (int i = 0; i < 3; i++)
        row.tracking_numbers[i] = strdup(numbers[i]);
    row.tracking_count = 3;
    sl_row_set(&row.order_id, "gid-42");
    sl_row_set(&row.fulfillment_order_id, "fo-9");
    sl_row_set(&row.fulfillment_id, "ful-3");
    row.http_status = 201;
    size_t len;
    char *text = results_of(&row, 1, 0, &len);
    ck_assert_str_eq(text, RESULTS_HEADER
                     "7,8,#7,gid-42,fo-9,S,3,1Z999AA10123456784;9400111899223197428490;"
                     "123456789012,,shipped,,,ful-3,201,,,,,\r\n");
    free(text);
}
END_TEST

START_TEST(columns_for_people_order_name_date_url_notified)
{
    sl_row rows[2];
    row_fill(&rows[0], 1, "1001", "S", "1", "9400111899223631001026", SL_STATUS_SHIPPED,
             SL_CODE_NONE, NULL);
    sl_row_set(&rows[0].order_name, "#1001");
    strcpy(rows[0].ship_date, "2026-11-20");
    sl_row_set(&sl_row_own_columns(&rows[0])->ship_date_text, "11/20/2026");
    sl_row_set(&sl_row_own_extra(&rows[0])->tracking_url,
               "https://tools.usps.com/go/TrackConfirmAction?tLabels=1");
    sl_row_set(&sl_row_own_extra(&rows[0])->warning, "=carrier guessed");
    rows[0].notified = 1;
    row_fill(&rows[1], 2, "1002", "S", "1", "T", SL_STATUS_INVALID, SL_CODE_BAD_DATE, "bad");
    sl_row_set(&sl_row_own_columns(&rows[1])->ship_date_text, "31/02/2026");
    /* a URL validation derived is not stored: the row names the carrier */
    rows[1].url_carrier = (unsigned char)(sl_carrier_index(sl_carrier_find("UPS")) + 1);
    size_t len;
    char *text = results_of(rows, 2, 0, &len);
    ck_assert_str_eq(text, RESULTS_HEADER
                     "1,2,1001,,,S,1,9400111899223631001026,,shipped,,,,,'=carrier guessed,"
                     "#1001,2026-11-20,https://tools.usps.com/go/TrackConfirmAction?tLabels=1,"
                     "yes\r\n"
                     "2,3,1002,,,S,1,T,,invalid,bad_date,bad,,,,,31/02/2026,"
                     "https://www.ups.com/track?tracknum=T,\r\n");
    free(text);
}
END_TEST

START_TEST(warning_column_after_http_status)
{
    sl_row row;
    row_fill(&row, 1, "#1", "S", "1", "T", SL_STATUS_VALID, SL_CODE_NONE, NULL);
    sl_row_warn_as(&row, SL_WARNING_SHIP_DATE_OLD, "ship date 2020-01-01 is old");
    sl_row_warn_as(&row, SL_WARNING_TRACKING_NOT_VERIFIED, "x, not verified");
    size_t len;
    char *text = results_of(&row, 1, 0, &len);
    ck_assert_str_eq(text, RESULTS_HEADER "1,2,#1,,,S,1,T,,valid,,,,,"
                                          "\"ship date 2020-01-01 is old; x, not verified\",,,,\r\n");
    free(text);
}
END_TEST

START_TEST(quantity_text_kept_as_given)
{
    sl_row row;
    row_fill(&row, 1, "#1", "S", " 02 ", "T", SL_STATUS_INVALID, SL_CODE_BAD_QUANTITY, "q");
    row.quantity = 2;
    size_t len;
    char *text = results_of(&row, 1, 0, &len);
    ck_assert_ptr_nonnull(strstr(text, ",S,\" 02 \",T,"));
    free(text);
}
END_TEST

START_TEST(excel_adds_a_bom)
{
    size_t len;
    char *text = results_of(NULL, 0, 1, &len);
    ck_assert_int_eq(memcmp(text, "\xEF\xBB\xBFrecord,line,", 15), 0);
    free(text);
    text = results_of(NULL, 0, 0, &len);
    ck_assert_int_eq(memcmp(text, "record,line,", 12), 0);
    free(text);
}
END_TEST

START_TEST(many_rows_keep_their_order)
{
    char *dir = make_scratch_dir();
    sl_report *report = open_report_in(dir, "validate", 0, 0);
    sl_error err = { "" };
    for (size_t i = 1; i <= 5000; i++) {
        sl_row row;
        char order[32];
        snprintf(order, sizeof(order), "#%zu", i);
        row_fill(&row, i, order, "S", "1", "T", i % 7 ? SL_STATUS_VALID : SL_STATUS_INVALID,
                 i % 7 ? SL_CODE_NONE : SL_CODE_BAD_DATE, i % 7 ? NULL : "bad date");
        ck_assert_int_eq(sl_report_add(report, &row, NULL, &err), 0);
        sl_row_clear(&row);
    }
    ck_assert_uint_eq(sl_report_rows(report), 5000);
    ck_assert_uint_eq(sl_report_failures(report), 5000 / 7);
    close_report(report, NULL);
    sl_report_free(report);
    char *text = slurp(dir, "results.csv", NULL);
    char *line = strstr(text, "\r\n") + 2;
    for (size_t i = 1; i <= 5000; i++) {
        char expected[64];
        int n = snprintf(expected, sizeof(expected), "%zu,%zu,#%zu,", i, i + 1, i);
        ck_assert_msg(strncmp(line, expected, (size_t)n) == 0, "row %zu out of order", i);
        line = strstr(line, "\r\n") + 2;
    }
    ck_assert_str_eq(line, "");
    free(text);
    remove_tree(dir);
    free(dir);
}
END_TEST

/* Record and line numbers are written two digits at a time: every width, odd and even, up to
 * the largest record number. */
START_TEST(numbers_of_every_width)
{
    static const size_t numbers[] = { 9, 10, 99, 100, 101, 1000000, 12345678,
                                      SL_RECORD_NUMBER_MAX };
    const size_t count = sizeof(numbers) / sizeof(numbers[0]);
    sl_row rows[sizeof(numbers) / sizeof(numbers[0])];
    for (size_t i = 0; i < count; i++) {
        row_fill(&rows[i], numbers[i], "#1", "", "", NULL, SL_STATUS_VALID, SL_CODE_NONE, NULL);
        rows[i].line = numbers[count - 1 - i];
    }
    char *text = results_of(rows, count, 0, NULL);
    char *line = strstr(text, "\r\n") + 2;
    for (size_t i = 0; i < count; i++) {
        char expected[64];
        int n = snprintf(expected, sizeof(expected), "%zu,%zu,#1,", numbers[i],
                         numbers[count - 1 - i]);
        ck_assert_msg(strncmp(line, expected, (size_t)n) == 0, "expected %s", expected);
        line = strstr(line, "\r\n") + 2;
    }
    free(text);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("report_results");
    TCase *tc = tcase_create("results");
    tcase_add_test(tc, header_only_when_no_rows);
    tcase_add_test(tc, plain_rows_in_order_unquoted);
    tcase_add_test(tc, quotes_only_what_csv_requires);
    tcase_add_test(tc, formula_guard_on_every_text_cell);
    tcase_add_test(tc, guard_and_quotes_together);
    tcase_add_test(tc, no_guard_when_not_at_the_start);
    tcase_add_test(tc, invalid_utf8_shown_as_replacement_character);
    tcase_add_test(tc, tracking_numbers_joined_and_http_status);
    tcase_add_test(tc, warning_column_after_http_status);
    tcase_add_test(tc, quantity_text_kept_as_given);
    tcase_add_test(tc, columns_for_people_order_name_date_url_notified);
    tcase_add_test(tc, excel_adds_a_bom);
    tcase_add_test(tc, many_rows_keep_their_order);
    tcase_add_test(tc, numbers_of_every_width);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
