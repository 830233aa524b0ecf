/* test_template_encoding.c: invalid bytes only where they matter (issue 14): the mapper marks a
 * row bad_encoding only when a column the template reads (a field or a rule) holds them, names
 * that column, and otherwise names the first unread column with them and lets the row go on;
 * whether Windows-1252 would decode the bytes is noted for the --encoding hint. */
#include "test_template_util.h"

static const char *const template_json =
    "{\"name\": \"enc\", \"format\": \"csv\", \"fields\": {"
    " \"order_ref\": \"Order\", \"tracking_numbers\": \"Tracking\", \"carrier\": \"Carrier\"},"
    " \"rules\": [{\"when\": {\"column\": \"Status\", \"equals\": \"void\"}, \"then\": \"skip\"}]}";

static const char *const header_names[] = { "Order", "Tracking", "Carrier", "Note", "Status",
                                            "Memo" };

static void map_values(const char *const *values, sl_row *row)
{
    sl_template *tpl = load_ok(template_json);
    test_header h;
    header_set(&h, 6, header_names);
    test_record r;
    record_set(&r, 1, 2, 6, values);
    r.record.bad_encoding = 1;   /* as the reader flags it */
    map_one(tpl, &h.header, &r.record, row);
    sl_template_free(tpl);
}

START_TEST(unread_column_leaves_the_row_good)
{
    const char *values[] = { "1001", "1Z5R89390357567127", "UPS", "caf\xe9 au lait", "", "\x81" };
    sl_row row;
    map_values(values, &row);
    ck_assert_int_eq(row.bad_encoding, 0);
    ck_assert_str_eq(sl_row_encoding_column(&row), "Note");      /* the first unread one */
    ck_assert_int_eq(row.encoding_1252_decodes, 1);
    sl_row_clear(&row);
}
END_TEST

START_TEST(read_column_makes_it_bad_encoding)
{
    const char *values[] = { "1001", "1Z5R89390357567127", "Deutsche Post \x81", "caf\xe9", "",
                             "" };
    sl_row row;
    map_values(values, &row);
    ck_assert_int_eq(row.bad_encoding, 1);
    ck_assert_str_eq(sl_row_encoding_column(&row), "Carrier");
    ck_assert_int_eq(row.encoding_1252_decodes, 0);      /* 0x81 is undefined in 1252 */
    sl_row_clear(&row);

    const char *in_rule[] = { "1001", "1Z5R89390357567127", "UPS", "", "v\xf6id", "" };
    map_values(in_rule, &row);
    ck_assert_int_eq(row.bad_encoding, 1);               /* a rule reads Status */
    ck_assert_str_eq(sl_row_encoding_column(&row), "Status");
    sl_row_clear(&row);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("template_encoding");
    TCase *tc = tcase_create("encoding");
    tcase_add_test(tc, unread_column_leaves_the_row_good);
    tcase_add_test(tc, read_column_makes_it_bad_encoding);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
