/* test_validate_parse.c: the typed values of a row (src/validate/parse.c): dates (ISO 8601 and
 * ISO date-times always, the template's formats, days that must exist: no 30 February, leap
 * years by the Gregorian rule), booleans, quantities (positive integers, empty = the whole
 * remaining quantity) and actions. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/validate.h"

static const char *const template_formats[] = { "%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%Y%m%d" };
#define TEMPLATE_FORMAT_COUNT 4

/* The date text parses to want (YYYY-MM-DD), or is rejected when want is NULL. */
static void expect_date(const char *text, const char *const *formats, size_t count,
                        const char *want)
{
    char out[11] = "garbage!!!";
    int rc = sl_parse_date(text, formats, count, out);
    if (want) {
        ck_assert_msg(rc == 0, "'%s' rejected", text ? text : "(null)");
        ck_assert_str_eq(out, want);
    } else {
        ck_assert_msg(rc == -1, "'%s' accepted as %s", text ? text : "(null)", out);
        ck_assert_str_eq(out, "");
    }
}

START_TEST(iso_dates)
{
    expect_date("2026-11-21", NULL, 0, "2026-11-21");
    expect_date("  2026-11-21\t", NULL, 0, "2026-11-21");
    expect_date("2026-01-01", NULL, 0, "2026-01-01");
    expect_date("2026-12-31", NULL, 0, "2026-12-31");
    expect_date("2026-13-01", NULL, 0, NULL);
    expect_date("2026-00-10", NULL, 0, NULL);
    expect_date("2026-01-00", NULL, 0, NULL);
    expect_date("2026-01-32", NULL, 0, NULL);
    expect_date("2026-11-21x", NULL, 0, NULL);
    expect_date("2026-1-21", NULL, 0, NULL);   /* ISO needs two-digit months */
    expect_date("21-11-2026", NULL, 0, NULL);
    expect_date("", NULL, 0, NULL);
    expect_date("   ", NULL, 0, NULL);
    expect_date("tomorrow", NULL, 0, NULL);
    expect_date(NULL, NULL, 0, NULL);
}
END_TEST

START_TEST(dates_must_exist)
{
    expect_date("2026-02-30", NULL, 0, NULL);    /* spec §12: no 30 February */
    expect_date("2026-02-29", NULL, 0, NULL);    /* 2026 is not a leap year */
    expect_date("2026-02-28", NULL, 0, "2026-02-28");
    expect_date("2024-02-29", NULL, 0, "2024-02-29");   /* divisible by 4 */
    expect_date("2000-02-29", NULL, 0, "2000-02-29");   /* divisible by 400 */
    expect_date("1900-02-29", NULL, 0, NULL);    /* by 100, not by 400 */
    expect_date("2100-02-29", NULL, 0, NULL);
    expect_date("2026-04-31", NULL, 0, NULL);
    expect_date("2026-06-31", NULL, 0, NULL);
    expect_date("2026-09-31", NULL, 0, NULL);
    expect_date("2026-11-31", NULL, 0, NULL);
    expect_date("2026-04-30", NULL, 0, "2026-04-30");
    /* the template's formats get the same rule: strptime alone takes 30 February */
    expect_date("02/30/2026", template_formats, TEMPLATE_FORMAT_COUNT, NULL);
    expect_date("30.02.2026", template_formats, TEMPLATE_FORMAT_COUNT, NULL);
    expect_date("20260230", template_formats, TEMPLATE_FORMAT_COUNT, NULL);
    expect_date("02/29/2028", template_formats, TEMPLATE_FORMAT_COUNT, "2028-02-29");
}
END_TEST

/* The fast reading of the usual cell agrees with the full one on every day of 1999-2031 (and
 * its day numbers follow each other), and declines whatever is not exactly YYYY-MM-DD. */
START_TEST(plain_iso_dates_read_as_the_full_reading_does)
{
    long previous = 0;
    for (int year = 1999; year <= 2031; year++)
        for (int month = 1; month <= 12; month++)
            for (int day = 1; day <= 32; day++) {
                char text[16], plain[11] = "", full[11] = "";
                long days = -1;
                snprintf(text, sizeof(text), "%04d-%02d-%02d", year, month, day);
                int plain_rc = sl_parse_date_plain_iso(text, plain, &days);
                int full_rc = sl_parse_date_iso(text, full);
                ck_assert_msg(plain_rc == full_rc, "%s: %d vs %d", text, plain_rc, full_rc);
                if (plain_rc != 0)
                    continue;
                ck_assert_str_eq(plain, full);
                ck_assert_int_eq(days, sl_date_days(full));
                ck_assert_msg(previous == 0 || days == previous + 1, "%s", text);
                previous = days;
            }
    static const char *const declined[] = { " 2026-11-21", "2026-11-21 ", "2026-11-21T10:00Z",
                                            "2026/11/21", "2026-1-21", "0999-01-01",
                                            "2026-11-2x", "2026-02-30", "", "x", NULL };
    for (const char *const *text = declined; *text; text++) {
        char out[11] = "kept";
        long days = 7;
        ck_assert_msg(sl_parse_date_plain_iso(*text, out, &days) == -1, "'%s' taken", *text);
    }
    char out[11];
    long days;
    ck_assert_int_eq(sl_parse_date_plain_iso("1970-01-01", out, &days), 0);
    ck_assert_int_eq(days, 0);
}
END_TEST

START_TEST(iso_date_times_use_the_date_part)
{
    expect_date("2026-11-21T16:42:10", NULL, 0, "2026-11-21");
    expect_date("2026-11-21T16:42", NULL, 0, "2026-11-21");
    expect_date("2026-11-21T16:42:10Z", NULL, 0, "2026-11-21");
    expect_date("2026-11-21T23:59:59.123+02:00", NULL, 0, "2026-11-21");
    expect_date("2026-11-21T00:00:00-0500", NULL, 0, "2026-11-21");
    expect_date("2026-11-21T00:00:00+05", NULL, 0, "2026-11-21");
    expect_date("2026-11-21 16:42:10", NULL, 0, "2026-11-21");   /* a space, as SQL writes */
    expect_date("2026-11-21t16:42:10z", NULL, 0, "2026-11-21");
    expect_date("2026-11-21T", NULL, 0, NULL);
    expect_date("2026-11-21T25:00", NULL, 0, NULL);
    expect_date("2026-11-21T16:60", NULL, 0, NULL);
    expect_date("2026-11-21T16:42:10.", NULL, 0, NULL);
    expect_date("2026-11-21T16:42:10+25:00", NULL, 0, NULL);
    expect_date("2026-11-21T16:42:10 junk", NULL, 0, NULL);
    expect_date("2026-11-21X16:42:10", NULL, 0, NULL);
    expect_date("2026-02-30T10:00:00Z", NULL, 0, NULL);   /* the date part must exist too */
}
END_TEST

START_TEST(dates_in_template_formats)
{
    expect_date("11/21/2026", template_formats, TEMPLATE_FORMAT_COUNT, "2026-11-21");
    expect_date("21.11.2026", template_formats, TEMPLATE_FORMAT_COUNT, "2026-11-21");
    expect_date("20261121", template_formats, TEMPLATE_FORMAT_COUNT, "2026-11-21");
    expect_date(" 11/21/2026 ", template_formats, TEMPLATE_FORMAT_COUNT, "2026-11-21");
    /* ISO 8601 is accepted whatever the template says */
    expect_date("2026-11-21T08:00:00Z", template_formats + 1, 1, "2026-11-21");
    /* without the format, the same text is no date */
    expect_date("11/21/2026", NULL, 0, NULL);
    expect_date("21.11.2026", template_formats, 2, NULL);
    /* the whole text must be consumed */
    expect_date("11/21/2026 extra", template_formats, TEMPLATE_FORMAT_COUNT, NULL);
    expect_date("13/21/2026", template_formats, TEMPLATE_FORMAT_COUNT, NULL);
    /* a format that names no year, month or day makes no date */
    static const char *const partial[] = { "%m/%d", "%H:%M" };
    expect_date("11/21", partial, 2, NULL);
    expect_date("10:30", partial, 2, NULL);
    /* a NULL entry in the list is skipped */
    static const char *const with_null[] = { NULL, "%d.%m.%Y" };
    expect_date("21.11.2026", with_null, 2, "2026-11-21");
}
END_TEST

START_TEST(booleans)
{
    static const char *const yes[] = { "Y", "y", "yes", "YES", "Yes", "true", "TRUE", "1",
                                       " Y ", NULL };
    static const char *const no[] = { "N", "n", "no", "NO", "false", "False", "0", "\tn", NULL };
    static const char *const bad[] = { "maybe", "", " ", "2", "yess", "t", "f", "ja", "-1",
                                       "Y N", NULL };
    for (const char *const *text = yes; *text; text++) {
        int value = -5;
        ck_assert_msg(sl_parse_bool(*text, &value) == 0 && value == 1, "'%s'", *text);
    }
    for (const char *const *text = no; *text; text++) {
        int value = -5;
        ck_assert_msg(sl_parse_bool(*text, &value) == 0 && value == 0, "'%s'", *text);
    }
    for (const char *const *text = bad; *text; text++) {
        int value = -5;
        ck_assert_msg(sl_parse_bool(*text, &value) == -1 && value == -5, "'%s' accepted", *text);
    }
    int value = -5;
    ck_assert_int_eq(sl_parse_bool(NULL, &value), -1);
}
END_TEST

START_TEST(quantities)
{
    static const struct { const char *text; long want; } good[] = {
        { "1", 1 }, { "12", 12 }, { " 3 ", 3 }, { "007", 7 }, { "1000000000", 1000000000L },
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        long value = -5;
        ck_assert_msg(sl_parse_quantity(good[i].text, &value) == 0, "'%s'", good[i].text);
        ck_assert_int_eq(value, good[i].want);
    }
    /* empty means the whole remaining quantity: 0 */
    long value = -5;
    ck_assert_int_eq(sl_parse_quantity("", &value), 0);
    ck_assert_int_eq(value, 0);
    value = -5;
    ck_assert_int_eq(sl_parse_quantity("  ", &value), 0);
    ck_assert_int_eq(value, 0);
    value = -5;
    ck_assert_int_eq(sl_parse_quantity(NULL, &value), 0);
    ck_assert_int_eq(value, 0);
    static const char *const bad[] = { "0", "00", "-1", "+1", "1.5", "2.0", "1,000", "1 000",
                                       "abc", "1e3", "0x10", "1000000001",
                                       "99999999999999999999999", "½", NULL };
    for (const char *const *text = bad; *text; text++)
        ck_assert_msg(sl_parse_quantity(*text, &value) == -1, "'%s' accepted", *text);
}
END_TEST

START_TEST(actions)
{
    static const struct { const char *text; sl_action want; } good[] = {
        { "ship", SL_ACTION_SHIP }, { "SHIP", SL_ACTION_SHIP }, { "", SL_ACTION_SHIP },
        { " ", SL_ACTION_SHIP }, { NULL, SL_ACTION_SHIP }, { "update", SL_ACTION_UPDATE },
        { " Update ", SL_ACTION_UPDATE }, { "cancel", SL_ACTION_CANCEL },
        { "CANCEL", SL_ACTION_CANCEL }, { "status", SL_ACTION_STATUS },
        { " Status", SL_ACTION_STATUS },
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        sl_action action = SL_ACTION_STATUS + 1;
        ck_assert_msg(sl_parse_action(good[i].text, &action) == 0, "'%s'",
                      good[i].text ? good[i].text : "(null)");
        ck_assert_int_eq(action, good[i].want);
    }
    static const char *const bad[] = { "refund", "ships", "cancelled", "void", "delete", "statuses",
                                       NULL };
    for (const char *const *text = bad; *text; text++) {
        sl_action action;
        ck_assert_msg(sl_parse_action(*text, &action) == -1, "'%s' accepted", *text);
    }
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("validate_parse");
    TCase *dates = tcase_create("dates");
    tcase_add_test(dates, iso_dates);
    tcase_add_test(dates, dates_must_exist);
    tcase_add_test(dates, iso_date_times_use_the_date_part);
    tcase_add_test(dates, plain_iso_dates_read_as_the_full_reading_does);
    tcase_add_test(dates, dates_in_template_formats);
    suite_add_tcase(suite, dates);
    TCase *values = tcase_create("values");
    tcase_add_test(values, booleans);
    tcase_add_test(values, quantities);
    tcase_add_test(values, actions);
    suite_add_tcase(suite, values);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
