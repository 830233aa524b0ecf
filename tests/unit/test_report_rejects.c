/* test_report_rejects.c: rejects.csv: only the rows that did not succeed, in the input's own
 * columns and delimiter plus error_code,error_message; values unchanged (no formula guard, quoted
 * only where the delimiter or quotes require), so libcsv parses them back to the original; a
 * headerless input gets no header row; short rows padded; a fed-back rejects file keeps one pair
 * of error columns; rows without a raw record fall back to the canonical values. */
#include "shipload/carrier.h"
#include "test_report_util.h"

typedef struct rejects_fixture {
    char *dir;
    sl_report *report;
} rejects_fixture;

static void fixture_open(rejects_fixture *fixture, const char *const *names, size_t count,
                         char delimiter)
{
    fixture->dir = make_scratch_dir();
    fixture->report = open_report_in(fixture->dir, "validate", 0, 0);
    sl_header header = { count, (char **)names };
    ck_assert_int_eq(sl_report_set_input_columns(fixture->report, &header, delimiter), 0);
}

static void fixture_add(rejects_fixture *fixture, const sl_record *raw, sl_status status,
                        sl_code code, const char *message)
{
    sl_row row;
    sl_error err = { "" };
    row_fill(&row, raw ? raw->number : 1, "#1", "S", "1", "T", status, code, message);
    ck_assert_msg(sl_report_add(fixture->report, &row, raw, &err) == 0, "%s", err.message);
    sl_row_clear(&row);
}

static char *fixture_finish(rejects_fixture *fixture, size_t *len)
{
    close_report(fixture->report, NULL);
    sl_report_free(fixture->report);
    char *text = slurp(fixture->dir, "rejects.csv", len);
    ck_assert_ptr_nonnull(text);
    remove_tree(fixture->dir);
    free(fixture->dir);
    return text;
}

static const char *const columns[] = { "order_number", "tracking_number", "quantity", "note" };

START_TEST(semicolon_delimiter_and_original_values)
{
    rejects_fixture fixture;
    fixture_open(&fixture, columns, 4, ';');
    test_record holders[3];
    const char *valid[] = { "#1001", "1Z999AA10123456784", "1", "fine" };
    const char *tricky[] = { "#1002", "a;b", "=2+3", "say \"x\"" };
    const char *formula[] = { "-5", "@t", "+7", "\tlead" };
    fixture_add(&fixture, record_of(&holders[0], 1, valid, 4), SL_STATUS_VALID, SL_CODE_NONE, NULL);
    fixture_add(&fixture, record_of(&holders[1], 2, tricky, 4), SL_STATUS_INVALID,
                SL_CODE_BAD_QUANTITY, "quantity '=2+3' is not a positive integer");
    fixture_add(&fixture, record_of(&holders[2], 3, formula, 4), SL_STATUS_INVALID,
                SL_CODE_BAD_TRACKING_NUMBER, "-bad");
    size_t len;
    char *text = fixture_finish(&fixture, &len);
    ck_assert_str_eq(text,
                     "order_number;tracking_number;quantity;note;error_code;error_message\r\n"
                     "#1002;\"a;b\";=2+3;\"say \"\"x\"\"\";bad_quantity;"
                     "quantity '=2+3' is not a positive integer\r\n"
                     "-5;@t;+7;\"\tlead\";bad_tracking_number;'-bad\r\n");
    parsed_csv parsed;
    parse_csv(text, len, ';', &parsed);
    ck_assert_int_eq(parsed.rows, 3);
    for (int i = 0; i < 4; i++) {
        ck_assert_str_eq(parsed.cells[1][i], tricky[i]);
        ck_assert_str_eq(parsed.cells[2][i], formula[i]);
    }
    ck_assert_str_eq(parsed.cells[2][5], "'-bad");
    parsed_free(&parsed);
    free(text);
}
END_TEST

/* An input that was not UTF-8 (a Windows-1252 WorldShip export) gets a UTF-8 BOM on its
 * rejects.csv, so that fed back under the same template it is read as UTF-8. */
START_TEST(rejects_bom_marks_the_file_utf8)
{
    char *dir = make_scratch_dir();
    sl_error err = { "" };
    sl_report *report = open_report_in(dir, "validate", 0, 0);
    ck_assert_int_eq(sl_report_mark_rejects_utf8(report), 0);
    ck_assert_int_eq(sl_report_mark_rejects_utf8(report), -1);   /* once */
    sl_header header = { 4, (char **)columns };
    ck_assert_int_eq(sl_report_set_input_columns(report, &header, ','), 0);
    ck_assert_int_eq(sl_report_mark_rejects_utf8(report), -1);   /* too late */
    test_record holder;
    const char *values[] = { "#3004", "1Z6F4V831371300418", "1", "Caf\xC3\xA9" };
    sl_row row;
    row_fill(&row, 1, "#3004", "S", "1", "T", SL_STATUS_INVALID, SL_CODE_BAD_DATE, "d");
    ck_assert_int_eq(sl_report_add(report, &row, record_of(&holder, 1, values, 4), &err), 0);
    sl_row_clear(&row);
    close_report(report, NULL);
    sl_report_free(report);
    size_t len;
    char *text = slurp(dir, "rejects.csv", &len);
    ck_assert_str_eq(text, "\xEF\xBB\xBForder_number,tracking_number,quantity,note,error_code,"
                           "error_message\r\n#3004,1Z6F4V831371300418,1,Caf\xC3\xA9,bad_date,d\r\n");
    free(text);
    text = slurp(dir, "results.csv", &len);
    ck_assert_int_eq(memcmp(text, "record,", 7), 0);   /* results.csv keeps its own rule */
    free(text);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(tab_delimiter)
{
    rejects_fixture fixture;
    fixture_open(&fixture, columns, 4, '\t');
    test_record holder;
    const char *values[] = { "#9", "x,y", "0", "tab\tinside" };
    fixture_add(&fixture, record_of(&holder, 1, values, 4), SL_STATUS_INVALID,
                SL_CODE_BAD_QUANTITY, "zero");
    char *text = fixture_finish(&fixture, NULL);
    ck_assert_str_eq(text, "order_number\ttracking_number\tquantity\tnote\terror_code\terror_message\r\n"
                           "#9\tx,y\t0\t\"tab\tinside\"\tbad_quantity\tzero\r\n");
    free(text);
}
END_TEST

START_TEST(headerless_input_has_no_header_row)
{
    rejects_fixture fixture;
    fixture.dir = make_scratch_dir();
    fixture.report = open_report_in(fixture.dir, "validate", 0, 0);
    sl_header header = { 3, NULL };
    ck_assert_int_eq(sl_report_set_input_columns(fixture.report, &header, '|'), 0);
    test_record holder;
    const char *values[] = { "1001", "", "2" };
    fixture_add(&fixture, record_of(&holder, 1, values, 3), SL_STATUS_INVALID,
                SL_CODE_MISSING_TRACKING_NUMBER, "no tracking number");
    char *text = fixture_finish(&fixture, NULL);
    ck_assert_str_eq(text, "1001||2|missing_tracking_number|no tracking number\r\n");
    free(text);
}
END_TEST

START_TEST(short_record_padded_long_record_kept)
{
    rejects_fixture fixture;
    fixture_open(&fixture, columns, 4, ',');
    test_record holders[2];
    const char *short_values[] = { "#1", "T" };
    const char *long_values[] = { "#2", "T", "1", "n", "extra" };
    fixture_add(&fixture, record_of(&holders[0], 1, short_values, 2), SL_STATUS_INVALID,
                SL_CODE_MALFORMED_RECORD, "2 fields, expected 4");
    fixture_add(&fixture, record_of(&holders[1], 2, long_values, 5), SL_STATUS_INVALID,
                SL_CODE_MALFORMED_RECORD, "5 fields, expected 4");
    char *text = fixture_finish(&fixture, NULL);
    ck_assert_str_eq(text, "order_number,tracking_number,quantity,note,error_code,error_message\r\n"
                           "#1,T,,,malformed_record,\"2 fields, expected 4\"\r\n"
                           "#2,T,1,n,extra,malformed_record,\"5 fields, expected 4\"\r\n");
    free(text);
}
END_TEST

START_TEST(fed_back_rejects_keep_one_pair_of_error_columns)
{
    static const char *const again[] = { "order_number", "quantity", "Error_Code", "error_message" };
    rejects_fixture fixture;
    fixture_open(&fixture, again, 4, ',');
    test_record holder;
    const char *values[] = { "#5", "x", "bad_quantity", "old message" };
    fixture_add(&fixture, record_of(&holder, 1, values, 4), SL_STATUS_INVALID, SL_CODE_BAD_DATE,
                "new message");
    char *text = fixture_finish(&fixture, NULL);
    ck_assert_str_eq(text, "order_number,quantity,Error_Code,error_message\r\n"
                           "#5,x,bad_date,new message\r\n");
    free(text);
}
END_TEST

START_TEST(invalid_utf8_in_rejects_becomes_replacement)
{
    rejects_fixture fixture;
    fixture_open(&fixture, columns, 4, ',');
    test_record holder;
    const char *values[] = { "#1", "T", "1", "caf\xe9" };
    fixture_add(&fixture, record_of(&holder, 1, values, 4), SL_STATUS_INVALID,
                SL_CODE_BAD_ENCODING, "invalid UTF-8");
    char *text = fixture_finish(&fixture, NULL);
    ck_assert_ptr_nonnull(strstr(text, "#1,T,1,caf\xEF\xBF\xBD,bad_encoding,"));
    free(text);
}
END_TEST

START_TEST(nul_bytes_become_replacement)
{
    rejects_fixture fixture;
    fixture_open(&fixture, columns, 4, ',');
    test_record holder;
    const char *values[] = { "#1", "T", "1", "a?b" };
    record_of(&holder, 1, values, 4);
    char with_nul[] = { 'a', '\0', 'b', '\xff' };
    holder.fields[3] = with_nul;
    holder.lengths[3] = sizeof(with_nul);
    fixture_add(&fixture, &holder.record, SL_STATUS_INVALID, SL_CODE_BAD_ENCODING, "NUL");
    char *text = fixture_finish(&fixture, NULL);
    ck_assert_ptr_nonnull(strstr(text, "#1,T,1,a\xEF\xBF\xBD" "b\xEF\xBF\xBD,bad_encoding,NUL\r\n"));
    free(text);
}
END_TEST

START_TEST(no_raw_record_uses_canonical_values)
{
    rejects_fixture fixture;
    fixture_open(&fixture, columns, 4, ',');
    fixture_add(&fixture, NULL, SL_STATUS_UNMATCHED, SL_CODE_ORDER_NOT_FOUND, "no order #1");
    char *text = fixture_finish(&fixture, NULL);
    ck_assert_str_eq(text, "order_number,tracking_number,quantity,note,error_code,error_message\r\n"
                           "#1,T,1,,order_not_found,no order #1\r\n");
    free(text);
}
END_TEST

START_TEST(columns_never_set_fall_back_to_generic_layout)
{
    char *dir = make_scratch_dir();
    sl_report *report = open_report_in(dir, "import", 0, 0);
    sl_row row;
    sl_error err = { "" };
    row_fill(&row, 1, "#3", "SKU", "2", "T1", SL_STATUS_FAILED, SL_CODE_TIMEOUT, "timed out");
    ck_assert_int_eq(sl_report_add(report, &row, NULL, &err), 0);
    sl_row_clear(&row);
    /* a tracking URL validation derived (not stored) is written as built */
    row_fill(&row, 2, "#4", "SKU", "1", "T2", SL_STATUS_FAILED, SL_CODE_TIMEOUT, "timed out");
    row.url_carrier = (unsigned char)(sl_carrier_index(sl_carrier_find("UPS")) + 1);
    ck_assert_int_eq(sl_report_add(report, &row, NULL, &err), 0);
    sl_row_clear(&row);
    close_report(report, NULL);
    sl_report_free(report);
    char *text = slurp(dir, "rejects.csv", NULL);
    ck_assert_str_eq(text, "order_number,package_id,sku,quantity,tracking_number,carrier,"
                           "tracking_url,ship_date,notify_customer,action,error_code,error_message\r\n"
                           "#3,,SKU,2,T1,,,,,,timeout,timed out\r\n"
                           "#4,,SKU,1,T2,,https://www.ups.com/track?tracknum=T2,,,,timeout,"
                           "timed out\r\n");
    free(text);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(only_failures_listed_and_set_columns_once)
{
    rejects_fixture fixture;
    fixture_open(&fixture, columns, 4, ',');
    sl_header header = { 4, (char **)columns };
    ck_assert_int_eq(sl_report_set_input_columns(fixture.report, &header, ','), -1);
    test_record holder;
    const char *values[] = { "#1", "T", "1", "n" };
    sl_status statuses[] = { SL_STATUS_VALID, SL_STATUS_SKIPPED, SL_STATUS_DUPLICATE,
                             SL_STATUS_WOULD_SHIP, SL_STATUS_CONFLICT };
    for (size_t i = 0; i < 5; i++)
        fixture_add(&fixture, record_of(&holder, i + 1, values, 4), statuses[i],
                    statuses[i] == SL_STATUS_CONFLICT ? SL_CODE_ALREADY_FULFILLED_DIFFERENT_TRACKING
                                                      : SL_CODE_NONE,
                    NULL);
    char *text = fixture_finish(&fixture, NULL);
    ck_assert_str_eq(text, "order_number,tracking_number,quantity,note,error_code,error_message\r\n"
                           "#1,T,1,n,already_fulfilled_different_tracking,\r\n");
    free(text);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("report_rejects");
    TCase *tc = tcase_create("rejects");
    tcase_add_test(tc, semicolon_delimiter_and_original_values);
    tcase_add_test(tc, tab_delimiter);
    tcase_add_test(tc, rejects_bom_marks_the_file_utf8);
    tcase_add_test(tc, headerless_input_has_no_header_row);
    tcase_add_test(tc, short_record_padded_long_record_kept);
    tcase_add_test(tc, fed_back_rejects_keep_one_pair_of_error_columns);
    tcase_add_test(tc, invalid_utf8_in_rejects_becomes_replacement);
    tcase_add_test(tc, nul_bytes_become_replacement);
    tcase_add_test(tc, no_raw_record_uses_canonical_values);
    tcase_add_test(tc, columns_never_set_fall_back_to_generic_layout);
    tcase_add_test(tc, only_failures_listed_and_set_columns_once);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
