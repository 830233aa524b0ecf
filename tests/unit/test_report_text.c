/* test_report_text.c: the one HTML escaping of the reports (report_text.c): the five characters
 * HTML gives a meaning to, in text and in attributes; invalid UTF-8, NUL-free control characters
 * and DEL as U+FFFD; clean text passed through without a copy; which URLs may be links. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/report_text.h"

/* sl_report_html_escape's output for text, as a new string. */
static char *escaped(const char *text)
{
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(sl_report_html_escape(fp, text), 0);
    fclose(fp);
    return out;
}

static void assert_escaped(const char *text, const char *want)
{
    char *got = escaped(text);
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(markup_becomes_text)
{
    assert_escaped("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
    assert_escaped("<img src=x onerror=\"alert('x')\">",
                   "&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;");
    assert_escaped("Tom & Jerry's \"box\"", "Tom &amp; Jerry&#39;s &quot;box&quot;");
    assert_escaped("&amp;", "&amp;amp;");
}
END_TEST

START_TEST(plain_text_unchanged)
{
    assert_escaped("", "");
    assert_escaped(NULL, "");
    assert_escaped("1Z8W2A470326110016", "1Z8W2A470326110016");
    assert_escaped("Müller · 東京 ✓", "Müller · 東京 ✓");
    assert_escaped("two\nlines\tand tab", "two\nlines\tand tab");
}
END_TEST

START_TEST(bad_bytes_become_replacement_characters)
{
    assert_escaped("a\xff<b", "a\xEF\xBF\xBD&lt;b");
    assert_escaped("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD");          /* overlong '/' */
    assert_escaped("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");   /* surrogate */
    assert_escaped("bell\a esc\x1b del\x7f", "bell\xEF\xBF\xBD esc\xEF\xBF\xBD del\xEF\xBF\xBD");
}
END_TEST

START_TEST(clean_text_is_not_copied)
{
    char *owned = (char *)1;
    const char *text = "#1001";
    ck_assert_ptr_eq(sl_report_text_clean(text, &owned), text);
    ck_assert_ptr_null(owned);
    ck_assert_str_eq(sl_report_text_clean(NULL, &owned), "");
    const char *clean = sl_report_text_clean("x\x01y", &owned);
    ck_assert_ptr_nonnull(owned);
    ck_assert_str_eq(clean, "x\xEF\xBF\xBDy");
    free(owned);
}
END_TEST

START_TEST(only_web_urls_are_links)
{
    ck_assert_int_eq(sl_report_url_is_linkable("https://www.ups.com/track?tracknum=1Z"), 1);
    ck_assert_int_eq(sl_report_url_is_linkable("HTTP://example.com/a"), 1);
    ck_assert_int_eq(sl_report_url_is_linkable("javascript:alert(1)"), 0);
    ck_assert_int_eq(sl_report_url_is_linkable(" https://x.com"), 0);
    ck_assert_int_eq(sl_report_url_is_linkable("https://x.com/a b"), 0);
    ck_assert_int_eq(sl_report_url_is_linkable("https://x.com/\n"), 0);
    ck_assert_int_eq(sl_report_url_is_linkable("data:text/html,<b>"), 0);
    ck_assert_int_eq(sl_report_url_is_linkable("https://"), 0);
    ck_assert_int_eq(sl_report_url_is_linkable(NULL), 0);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("report_text");
    TCase *tc = tcase_create("text");
    tcase_add_test(tc, markup_becomes_text);
    tcase_add_test(tc, plain_text_unchanged);
    tcase_add_test(tc, bad_bytes_become_replacement_characters);
    tcase_add_test(tc, clean_text_is_not_copied);
    tcase_add_test(tc, only_web_urls_are_links);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
