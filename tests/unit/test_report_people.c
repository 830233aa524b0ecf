/* test_report_people.c: the reports people read, through sl_report: report.html holds every
 * value escaped (markup as character references, the rows' JSON data with nothing that could end
 * its script element, a javascript: URL nowhere), the totals and the reasons with their fixes,
 * one data row per record, no temporary file left; results.xlsx is a
 * workbook of three sheets; --report-format's mask writes only what it names (summary.json
 * always). */
#include "test_report_util.h"

static sl_report *open_with_formats(const char *dir, unsigned formats)
{
    sl_error err = { "" };
    sl_report_options options = { .dir = dir, .command = "import", .formats = formats,
                                  .store = "https://store.example/", .platform = "ecart" };
    sl_report *report = sl_report_open(&options, &err);
    ck_assert_msg(report != NULL, "sl_report_open: %s", err.message);
    return report;
}

static void add_row(sl_report *report, sl_row *row)
{
    sl_error err = { "" };
    ck_assert_msg(sl_report_add(report, row, NULL, &err) == 0, "%s", err.message);
    sl_row_clear(row);
}

/* Three rows: shipped with a link, a hostile invalid one, an unmatched one. */
static void add_rows(sl_report *report)
{
    sl_row row;
    row_fill(&row, 1, "1001", "SOCKS", "2", "1Z8W2A470326110016", SL_STATUS_SHIPPED,
             SL_CODE_NONE, NULL);
    sl_row_set(&row.order_name, "#1001");
    sl_row_set(&sl_row_own_extra(&row)->tracking_url,
               "https://www.ups.com/track?tracknum=1Z8W2A470326110016");
    row.notified = 1;
    add_row(report, &row);
    row_fill(&row, 2, "<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "1", "T",
             SL_STATUS_INVALID, SL_CODE_BAD_TRACKING_NUMBER, "\"quoted\" & <b>bold</b>");
    sl_row_set(&sl_row_own_extra(&row)->tracking_url, "javascript:alert(3)");
    add_row(report, &row);
    row_fill(&row, 3, "1099", NULL, NULL, "1Z8W2A470326110990", SL_STATUS_UNMATCHED,
             SL_CODE_ORDER_NOT_FOUND, "no order named 1099");
    add_row(report, &row);
}

static size_t occurrences(const char *text, const char *needle)
{
    size_t count = 0;
    for (const char *at = text; (at = strstr(at, needle)) != NULL; at += strlen(needle))
        count++;
    return count;
}

START_TEST(html_escapes_every_value)
{
    char *dir = make_scratch_dir();
    sl_report *report = open_with_formats(dir, SL_REPORT_HTML);
    add_rows(report);
    sl_report_input input = { "manifest <1>.csv", 123, "abc123", "generic-csv" };
    close_report(report, &input);
    sl_report_free(report);
    char *html = slurp(dir, "report.html", NULL);
    ck_assert_ptr_nonnull(html);
    ck_assert_ptr_null(strstr(html, "<script>alert"));
    ck_assert_ptr_null(strstr(html, "<img"));
    ck_assert_ptr_null(strstr(html, "<b>bold"));
    ck_assert_ptr_null(strstr(html, "javascript:"));
    /* the rows are JSON in a script element: < > & as \u escapes */
    ck_assert_ptr_nonnull(strstr(html, "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"));
    ck_assert_ptr_nonnull(strstr(html, "\\u003cimg src=x onerror=alert(2)\\u003e"));
    ck_assert_ptr_nonnull(strstr(html, "\\\"quoted\\\" \\u0026 \\u003cb\\u003ebold\\u003c/b\\u003e"));
    ck_assert_ptr_nonnull(strstr(html, "manifest &lt;1&gt;.csv"));
    ck_assert_ptr_nonnull(strstr(html, "[[\"1Z8W2A470326110016\",\"https://www.ups.com/track?"
                                       "tracknum=1Z8W2A470326110016\"]]"));
    ck_assert_ptr_nonnull(strstr(html, "[[\"T\",null]]"));
    /* two scripts: the rows' data and the page's own, allowed by its hash only */
    ck_assert_uint_eq(occurrences(html, "<script"), 2);
    ck_assert_uint_eq(occurrences(html, "</script"), 2);
    ck_assert_ptr_nonnull(strstr(html, "<script type=\"application/json\" id=\"rows-data\""));
    ck_assert_ptr_nonnull(strstr(html, "script-src 'sha256-"));
    ck_assert_ptr_nonnull(strstr(html, "default-src 'none'"));
    free(html);
    ck_assert_int_eq(hidden_entries(dir), 0);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(html_shows_totals_reasons_and_rows)
{
    char *dir = make_scratch_dir();
    sl_report *report = open_with_formats(dir, SL_REPORT_HTML);
    add_rows(report);
    close_report(report, NULL);
    sl_report_free(report);
    char *html = slurp(dir, "report.html", NULL);
    ck_assert_ptr_nonnull(strstr(html, "<tr data-status=\"shipped\">"));
    ck_assert_ptr_nonnull(strstr(html, "<tr data-status=\"invalid\">"));
    ck_assert_ptr_nonnull(strstr(html, "id=\"total-records\">3<"));
    ck_assert_ptr_nonnull(strstr(html, "data-code=\"order_not_found\""));
    ck_assert_ptr_nonnull(strstr(html, "No order with this number in the store."));
    ck_assert_ptr_nonnull(strstr(html, "2 of 3 records need attention"));
    ck_assert_ptr_nonnull(strstr(html, "https://store.example/"));
    ck_assert_uint_eq(occurrences(html, "\n[1,"), 1);   /* one data row per record */
    ck_assert_uint_eq(occurrences(html, "\n[2,"), 1);
    ck_assert_uint_eq(occurrences(html, "\n[3,"), 1);
    ck_assert_uint_eq(occurrences(html, "\n["), 3);
    ck_assert_ptr_nonnull(strstr(html, "[1,2,\"#1001\",\"1001\",\"SOCKS\",\"2\","));
    ck_assert_ptr_nonnull(strstr(html, "\"shipped\",\"ok\",0,null,"));
    ck_assert_ptr_nonnull(strstr(html, "\"unmatched\",\"bad\",1,\"order_not_found\","));
    ck_assert_ptr_nonnull(strstr(html, "</html>\n"));
    free(html);
    remove_tree(dir);
    free(dir);
}
END_TEST

/* No value can end the data's script element, open a comment in it or break a line there. */
START_TEST(html_data_cannot_end_its_script)
{
    char *dir = make_scratch_dir();
    sl_report *report = open_with_formats(dir, SL_REPORT_HTML);
    sl_row row;
    row_fill(&row, 1, "</script><script>alert(1)</script>", "<!--", "1", "T",
             SL_STATUS_INVALID, SL_CODE_BAD_TRACKING_NUMBER,
             "line\xE2\x80\xA8separator\xE2\x80\xA9paragraph & </SCRIPT >");
    add_row(report, &row);
    close_report(report, NULL);
    sl_report_free(report);
    char *html = slurp(dir, "report.html", NULL);
    ck_assert_ptr_nonnull(html);
    ck_assert_uint_eq(occurrences(html, "<script"), 2);
    ck_assert_uint_eq(occurrences(html, "</script"), 2);
    ck_assert_ptr_null(strstr(html, "</SCRIPT"));
    ck_assert_ptr_null(strstr(html, "<!--"));
    ck_assert_ptr_null(strstr(html, "\xE2\x80\xA8"));
    ck_assert_ptr_null(strstr(html, "\xE2\x80\xA9"));
    ck_assert_ptr_nonnull(strstr(html, "\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"
                                       "\\u003c/script\\u003e\""));
    ck_assert_ptr_nonnull(strstr(html, "line\\u2028separator\\u2029paragraph \\u0026 "
                                       "\\u003c/SCRIPT \\u003e"));
    free(html);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(xlsx_is_a_workbook_of_three_sheets)
{
    char *dir = make_scratch_dir();
    sl_report *report = open_with_formats(dir, SL_REPORT_XLSX);
    add_rows(report);
    close_report(report, NULL);
    sl_report_free(report);
    size_t len = 0;
    char *xlsx = slurp(dir, "results.xlsx", &len);
    ck_assert_ptr_nonnull(xlsx);
    ck_assert_int_eq(memcmp(xlsx, "PK\x03\x04", 4), 0);
    /* zip entry names are stored as they are: one worksheet per sheet, no fourth */
    ck_assert_ptr_nonnull(memmem(xlsx, len, "xl/worksheets/sheet3.xml", 24));
    ck_assert_ptr_null(memmem(xlsx, len, "xl/worksheets/sheet4.xml", 24));
    free(xlsx);
    ck_assert_int_eq(hidden_entries(dir), 0);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(formats_write_only_what_they_name)
{
    static const struct {
        unsigned formats;
        int csv, xlsx, html;
    } cases[] = {
        { 0, 1, 1, 1 },
        { SL_REPORT_CSV, 1, 0, 0 },
        { SL_REPORT_XLSX, 0, 1, 0 },
        { SL_REPORT_HTML | SL_REPORT_CSV, 1, 0, 1 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *dir = make_scratch_dir();
        sl_report *report = open_with_formats(dir, cases[i].formats);
        add_rows(report);
        close_report(report, NULL);
        ck_assert_uint_eq(sl_report_rows(report), 3);
        sl_report_free(report);
        const char *names[] = { "results.csv", "rejects.csv", "results.xlsx", "report.html",
                                "summary.json" };
        int want[] = { cases[i].csv, cases[i].csv, cases[i].xlsx, cases[i].html, 1 };
        for (size_t n = 0; n < 5; n++) {
            char *data = slurp(dir, names[n], NULL);
            ck_assert_msg((data != NULL) == want[n], "case %zu: %s %s", i, names[n],
                          data ? "written" : "missing");
            free(data);
        }
        remove_tree(dir);
        free(dir);
    }
}
END_TEST

START_TEST(unclosed_reports_leave_no_files)
{
    char *dir = make_scratch_dir();
    sl_report *report = open_with_formats(dir, 0);
    add_rows(report);
    sl_report_free(report);
    ck_assert_int_eq(hidden_entries(dir), 0);
    ck_assert_ptr_null(slurp(dir, "report.html", NULL));
    ck_assert_ptr_null(slurp(dir, "results.xlsx", NULL));
    remove_tree(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("report_people");
    TCase *tc = tcase_create("people");
    tcase_add_test(tc, html_escapes_every_value);
    tcase_add_test(tc, html_shows_totals_reasons_and_rows);
    tcase_add_test(tc, html_data_cannot_end_its_script);
    tcase_add_test(tc, xlsx_is_a_workbook_of_three_sheets);
    tcase_add_test(tc, formats_write_only_what_they_name);
    tcase_add_test(tc, unclosed_reports_leave_no_files);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
