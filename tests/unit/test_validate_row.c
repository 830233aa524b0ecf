/* test_validate_row.c: sl_validate_row (src/validate/validate.c) on mapped rows: one defect per
 * row, the first in the spec's order (§12: encoding, malformed record, order reference,
 * tracking number, quantity, date, other values, carrier check digit); cancel/update rows
 * need a tracking number; typed fields; carrier names normalised, inferred when missing, a
 * warning when a number belongs to another carrier; check digits enforced or (verify off)
 * only warned about; tracking URLs derived when missing (named by the row's url_carrier, built
 * by sl_row_tracking_url when read, however long), given ones kept; skipped rows stay
 * skipped. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/carrier.h"
#include "shipload/validate.h"

static const char *const formats[] = { "%Y-%m-%d", "%m/%d/%Y" };
static const sl_validate_options verify_on = { formats, 2, 1, -1, 0, NULL, 0, NULL, 0, 0, 0 };
static const sl_validate_options verify_off = { formats, 2, 0, -1, 0, NULL, 0, NULL, 0, 0, 0 };

#define GOOD_UPS "1Z999AA10123456784"          /* UPS's published example */
#define BAD_UPS "1Z999AA10123456785"           /* its last digit mistyped */
#define GOOD_USPS "9400111201080805483016"
#define BAD_USPS "9400111201080805483015"
#define GOOD_FEDEX "986578788855"
#define BAD_FEDEX "996578788855"

typedef struct fields {
    const char *order_ref, *numbers, *carrier, *quantity, *date, *notify, *action, *url;
} fields;

/* A row as the mapper leaves it; numbers are ';'-separated ("" is one empty number). */
static void row_make(sl_row *row, const fields *f)
{
    sl_row_init(row);
    row->record = 1;
    row->line = 2;
    ck_assert_int_eq(sl_row_set(&row->order_ref, f->order_ref), 0);
    ck_assert_int_eq(sl_row_set(&row->carrier, f->carrier), 0);
    ck_assert_int_eq(sl_row_set(&sl_row_own_columns(row)->quantity_text, f->quantity), 0);
    ck_assert_int_eq(sl_row_set(&sl_row_own_columns(row)->ship_date_text, f->date), 0);
    ck_assert_int_eq(sl_row_set(&sl_row_own_columns(row)->notify_text, f->notify), 0);
    ck_assert_int_eq(sl_row_set(&sl_row_own_columns(row)->action_text, f->action), 0);
    ck_assert_int_eq(sl_row_set(&sl_row_own_extra(row)->tracking_url, f->url), 0);
    if (!f->numbers)
        return;
    row->tracking_numbers = calloc(8, sizeof(char *));
    ck_assert_ptr_nonnull(row->tracking_numbers);
    const char *p = f->numbers;
    for (;;) {
        size_t len = strcspn(p, ";");
        ck_assert_uint_lt(row->tracking_count, 8);
        row->tracking_numbers[row->tracking_count] = strndup(p, len);
        ck_assert_ptr_nonnull(row->tracking_numbers[row->tracking_count]);
        row->tracking_count++;
        if (!p[len])
            break;
        p += len + 1;
    }
}

static sl_row validated(const fields *f, const sl_validate_options *options)
{
    sl_row row;
    row_make(&row, f);
    sl_validate_row(&row, options);
    return row;
}

/* The row's tracking URL as its readers get it is want (NULL: none). */
static void expect_url(const sl_row *row, const char *want)
{
    sl_row_url room;
    const char *url = sl_row_tracking_url(row, &room);
    if (want)
        ck_assert_str_eq(url, want);
    else
        ck_assert_msg(url == NULL, "unexpected URL %s", url);
    sl_row_url_free(&room);
}

static void expect_invalid(sl_row *row, sl_code code, const char *in_message)
{
    ck_assert_msg(row->status == SL_STATUS_INVALID, "status %s (%s)",
                  sl_status_name(row->status), row->message ? row->message : "");
    ck_assert_msg(row->code == code, "code %s, not %s (%s)", sl_code_name(row->code),
                  sl_code_name(code), row->message ? row->message : "");
    if (in_message)
        ck_assert_msg(row->message && strstr(row->message, in_message), "message '%s' lacks '%s'",
                      row->message ? row->message : "(null)", in_message);
}

static void expect_fine(sl_row *row)
{
    ck_assert_msg(row->status == SL_STATUS_PENDING && row->code == SL_CODE_NONE,
                  "status %s code %s (%s)", sl_status_name(row->status), sl_code_name(row->code),
                  row->message ? row->message : "");
}

/* ------------------------------------------------------------------ defect order */

/* A row with every defect; each step repairs the first one, and the next shows. */
START_TEST(one_defect_per_row_in_the_specs_order)
{
    fields f = { "", "", "UPS", "0", "2026-02-30", "maybe", "refund", NULL };
    sl_row row;

    row_make(&row, &f);
    row.bad_encoding = 1;
    row.malformed = 1;
    sl_validate_row(&row, &verify_on);
    expect_invalid(&row, SL_CODE_BAD_ENCODING, "not valid in its encoding");
    sl_row_clear(&row);

    row_make(&row, &f);
    row.malformed = 1;
    sl_validate_row(&row, &verify_on);
    expect_invalid(&row, SL_CODE_MALFORMED_RECORD, "number of fields");
    sl_row_clear(&row);

    row = validated(&f, &verify_on);
    expect_invalid(&row, SL_CODE_MISSING_ORDER_REF, "order reference");
    sl_row_clear(&row);

    f.order_ref = "#1001";
    row = validated(&f, &verify_on);
    expect_invalid(&row, SL_CODE_MISSING_TRACKING_NUMBER, "tracking number");
    sl_row_clear(&row);

    f.numbers = BAD_UPS;
    row = validated(&f, &verify_on);
    expect_invalid(&row, SL_CODE_BAD_QUANTITY, "'0'");
    sl_row_clear(&row);

    f.quantity = "2";
    row = validated(&f, &verify_on);
    expect_invalid(&row, SL_CODE_BAD_DATE, "'2026-02-30'");
    sl_row_clear(&row);

    f.date = "2026-02-28";
    row = validated(&f, &verify_on);
    expect_invalid(&row, SL_CODE_BAD_VALUE, "notify_customer 'maybe'");
    sl_row_clear(&row);

    f.notify = "yes";
    row = validated(&f, &verify_on);
    expect_invalid(&row, SL_CODE_BAD_VALUE, "action 'refund'");
    sl_row_clear(&row);

    f.action = "ship";
    row = validated(&f, &verify_on);
    expect_invalid(&row, SL_CODE_BAD_TRACKING_NUMBER,
                   "tracking number " BAD_UPS " fails its check digit: UPS 1Z check digit "
                   "should be 4, not 5");
    expect_url(&row, NULL);   /* an invalid row gets no URL */
    sl_row_clear(&row);

    f.numbers = GOOD_UPS;
    row = validated(&f, &verify_on);
    expect_fine(&row);
    ck_assert_int_eq(row.quantity, 2);
    ck_assert_str_eq(row.ship_date, "2026-02-28");
    ck_assert_int_eq(row.notify, 1);
    ck_assert_int_eq(row.action, SL_ACTION_SHIP);
    sl_row_clear(&row);
}
END_TEST

START_TEST(whitespace_only_references_are_missing)
{
    fields f = { "  ", GOOD_UPS, "UPS", NULL, NULL, NULL, NULL, NULL };
    sl_row row = validated(&f, &verify_on);
    expect_invalid(&row, SL_CODE_MISSING_ORDER_REF, NULL);
    sl_row_clear(&row);
    f.order_ref = "#1";
    f.numbers = " ; ";   /* every number empty */
    row = validated(&f, &verify_on);
    expect_invalid(&row, SL_CODE_MISSING_TRACKING_NUMBER, NULL);
    sl_row_clear(&row);
}
END_TEST

START_TEST(cancel_and_update_need_a_tracking_number)
{
    static const char *const actions[] = { "cancel", "update", "CANCEL" };
    for (size_t i = 0; i < 3; i++) {
        fields f = { "#1001", NULL, "UPS", NULL, NULL, NULL, actions[i], NULL };
        sl_row row = validated(&f, &verify_on);
        expect_invalid(&row, SL_CODE_MISSING_TRACKING_NUMBER, "needs one to name the fulfillment");
        sl_row_clear(&row);
        f.numbers = GOOD_UPS;
        row = validated(&f, &verify_on);
        expect_fine(&row);
        ck_assert_int_eq(row.action, i == 1 ? SL_ACTION_UPDATE : SL_ACTION_CANCEL);
        sl_row_clear(&row);
    }
    /* an unknown action without a number: the number is missing first (the spec's order) */
    fields f = { "#1001", NULL, "UPS", NULL, NULL, NULL, "refund", NULL };
    sl_row row = validated(&f, &verify_on);
    expect_invalid(&row, SL_CODE_MISSING_TRACKING_NUMBER, NULL);
    sl_row_clear(&row);
}
END_TEST

START_TEST(typed_fields_and_defaults)
{
    fields f = { "#1001", GOOD_UPS, "UPS", "", "2026-11-21T16:42:10Z", "", "", NULL };
    sl_validate_options notify_yes = verify_on;
    notify_yes.default_notify = 1;
    sl_row row = validated(&f, &notify_yes);
    expect_fine(&row);
    ck_assert_int_eq(row.quantity, 0);            /* empty: the whole remaining quantity */
    ck_assert_str_eq(row.ship_date, "2026-11-21");
    ck_assert_int_eq(row.notify, 1);              /* the default when the row has none */
    ck_assert_int_eq(row.action, SL_ACTION_SHIP);
    sl_row_clear(&row);

    f.notify = "N";
    f.date = "11/21/2026";                        /* one of the template's formats */
    row = validated(&f, &notify_yes);
    expect_fine(&row);
    ck_assert_int_eq(row.notify, 0);              /* the row's own value wins */
    ck_assert_str_eq(row.ship_date, "2026-11-21");
    sl_row_clear(&row);

    f.date = "21.11.2026";                        /* not among the formats given */
    row = validated(&f, &notify_yes);
    expect_invalid(&row, SL_CODE_BAD_DATE, NULL);
    sl_row_clear(&row);

    f.date = NULL;
    f.quantity = "1.5";
    row = validated(&f, NULL);                    /* no options: defaults, verification on */
    expect_invalid(&row, SL_CODE_BAD_QUANTITY, NULL);
    sl_row_clear(&row);

    f.quantity = "3";
    f.notify = NULL;
    row = validated(&f, NULL);
    expect_fine(&row);
    ck_assert_int_eq(row.notify, -1);
    ck_assert_str_eq(row.ship_date, "");
    sl_row_clear(&row);
}
END_TEST

/* ------------------------------------------------------------------ carriers */

START_TEST(aliases_become_canonical_names)
{
    static const char *const cases[][3] = {
        { "ups ground", "UPS", "ups" },
        { "United Parcel Service", "UPS", "ups" },
        { "FedEx Home Delivery", "FedEx", "fedex" },
        { "U.S. Postal Service", "USPS", "usps" },
        { "DHL", "DHL Express", "dhl_express" },
    };
    static const char *const numbers[] = { GOOD_UPS, GOOD_UPS, GOOD_FEDEX, GOOD_USPS,
                                           "3318810025" };
    for (size_t i = 0; i < 5; i++) {
        fields f = { "#1", numbers[i], cases[i][0], NULL, NULL, NULL, NULL, NULL };
        sl_row row = validated(&f, &verify_on);
        expect_fine(&row);
        ck_assert_str_eq(row.carrier, cases[i][1]);
        ck_assert_str_eq(sl_row_cols(&row)->carrier_code, cases[i][2]);
        ck_assert_ptr_null(row.message);
        sl_row_url room;
        const char *url = sl_row_tracking_url(&row, &room);
        ck_assert_ptr_nonnull(url);
        ck_assert_ptr_nonnull(strstr(url, numbers[i]));
        sl_row_url_free(&room);
        sl_row_clear(&row);
    }
}
END_TEST

START_TEST(a_carrier_code_alone_names_the_carrier)
{
    fields f = { "#1", GOOD_FEDEX, NULL, NULL, NULL, NULL, NULL, NULL };
    sl_row row;
    row_make(&row, &f);
    ck_assert_int_eq(sl_row_set(&sl_row_own_columns(&row)->carrier_code, "FDXG"), 0);
    sl_validate_row(&row, &verify_on);
    expect_fine(&row);
    ck_assert_str_eq(row.carrier, "FedEx");
    ck_assert_str_eq(sl_row_cols(&row)->carrier_code, "fedex");
    expect_url(&row, "https://www.fedex.com/fedextrack/?trknbr=" GOOD_FEDEX);
    sl_row_clear(&row);

    /* an unknown code: the number's shape decides, and the table's code replaces it */
    f.numbers = GOOD_UPS;
    row_make(&row, &f);
    ck_assert_int_eq(sl_row_set(&sl_row_own_columns(&row)->carrier_code, "ZZZZ"), 0);
    sl_validate_row(&row, &verify_on);
    expect_fine(&row);
    ck_assert_str_eq(row.carrier, "UPS");
    ck_assert_str_eq(sl_row_cols(&row)->carrier_code, "ups");
    sl_row_clear(&row);
}
END_TEST

START_TEST(unknown_carriers_are_kept_as_written)
{
    fields f = { "#1", GOOD_FEDEX, "Acme Freight", NULL, NULL, NULL, NULL, NULL };
    sl_row row = validated(&f, &verify_on);
    expect_fine(&row);
    ck_assert_str_eq(row.carrier, "Acme Freight");
    ck_assert_ptr_null(sl_row_cols(&row)->carrier_code);
    expect_url(&row, NULL);
    ck_assert_ptr_null(row.message);
    sl_row_clear(&row);
}
END_TEST

START_TEST(missing_carriers_are_inferred)
{
    static const char *const cases[][3] = {
        { GOOD_UPS, "UPS", "https://www.ups.com/track?tracknum=" GOOD_UPS },
        { GOOD_USPS, "USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels=" GOOD_USPS },
        { "RR473124829GB", "Royal Mail",
          "https://www.royalmail.com/track-your-item#/tracking-results/RR473124829GB" },
        { "9611020987654312345672", "FedEx",
          "https://www.fedex.com/fedextrack/?trknbr=9611020987654312345672" },
        { GOOD_UPS ";1Z5R89390357567127", "UPS",
          "https://www.ups.com/track?tracknum=" GOOD_UPS },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fields f = { "#1", cases[i][0], NULL, NULL, NULL, NULL, NULL, NULL };
        sl_row row = validated(&f, &verify_on);
        expect_fine(&row);
        ck_assert_str_eq(row.carrier, cases[i][1]);
        expect_url(&row, cases[i][2]);
        sl_row_clear(&row);
    }
}
END_TEST

/* Shapes several carriers use, or numbers of different carriers in one row: no carrier. */
START_TEST(inference_declines_when_ambiguous)
{
    static const char *const numbers[] = { GOOD_FEDEX, "3318810025", "JJD0099999999",
                                           GOOD_UPS ";" GOOD_USPS, "NOT-A-NUMBER" };
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        fields f = { "#1", numbers[i], "", NULL, NULL, NULL, NULL, NULL };
        sl_row row = validated(&f, &verify_on);
        expect_fine(&row);
        ck_assert_msg(row.carrier == NULL || row.carrier[0] == '\0', "%s → %s", numbers[i],
                      row.carrier);
        ck_assert_ptr_null(sl_row_cols(&row)->carrier_code);
        expect_url(&row, NULL);
        sl_row_clear(&row);
    }
}
END_TEST

START_TEST(numbers_of_another_carrier_get_a_warning)
{
    fields f = { "#1", GOOD_UPS, "FedEx Ground", NULL, NULL, NULL, NULL, NULL };
    sl_row row = validated(&f, &verify_on);
    expect_fine(&row);
    ck_assert_str_eq(row.carrier, "FedEx");   /* as written (normalised), not replaced */
    ck_assert_str_eq(sl_row_warning(&row),
                     "tracking number " GOOD_UPS " looks like a UPS number, not FedEx");
    ck_assert_uint_eq(sl_row_warning_kinds(&row), 1u << SL_WARNING_FOREIGN_TRACKING_NUMBER);
    sl_row_clear(&row);

    /* an unknown carrier name with a number whose shape names one */
    f.carrier = "Acme";
    row = validated(&f, &verify_on);
    expect_fine(&row);
    ck_assert_str_eq(sl_row_warning(&row),
                     "tracking number " GOOD_UPS " looks like a UPS number, not Acme");
    sl_row_clear(&row);

    /* a number of an ambiguous shape is no evidence: no warning */
    f.carrier = "DHL Paket";
    f.numbers = GOOD_FEDEX;
    row = validated(&f, &verify_on);
    expect_fine(&row);
    ck_assert_ptr_null(sl_row_warning(&row));
    sl_row_clear(&row);

    /* the foreign number is still held to its own carrier's check digit */
    f.carrier = "FedEx";
    f.numbers = BAD_UPS;
    row = validated(&f, &verify_on);
    expect_invalid(&row, SL_CODE_BAD_TRACKING_NUMBER, "UPS 1Z check digit should be 4, not 5");
    ck_assert_ptr_nonnull(strstr(sl_row_warning(&row), "looks like a UPS number, not FedEx"));
    sl_row_clear(&row);
}
END_TEST

START_TEST(every_number_is_checked)
{
    fields f = { "#1", GOOD_UPS ";" BAD_UPS, "UPS", NULL, NULL, NULL, NULL, NULL };
    sl_row row = validated(&f, &verify_on);
    expect_invalid(&row, SL_CODE_BAD_TRACKING_NUMBER, "tracking number " BAD_UPS " fails");
    sl_row_clear(&row);

    /* no carrier and two carriers' numbers: each is checked by its own carrier */
    f.carrier = NULL;
    f.numbers = GOOD_UPS ";" BAD_USPS;
    row = validated(&f, &verify_on);
    expect_invalid(&row, SL_CODE_BAD_TRACKING_NUMBER, "USPS IMpb check digit should be 6, not 5");
    sl_row_clear(&row);

    static const char *const bad[][2] = { { BAD_FEDEX, "FedEx" }, { BAD_USPS, "USPS" },
                                          { "3318810010", "DHL Express" },
                                          { "RR473124820GB", "Royal Mail" },
                                          { "1Z12345E0205271688", "UPS" } };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        fields g = { "#1", bad[i][0], bad[i][1], NULL, NULL, NULL, NULL, NULL };
        row = validated(&g, &verify_on);
        expect_invalid(&row, SL_CODE_BAD_TRACKING_NUMBER, bad[i][0]);
        sl_row_clear(&row);
    }
}
END_TEST

START_TEST(verify_off_only_warns)
{
    fields f = { "#1", BAD_UPS, "UPS", NULL, NULL, NULL, NULL, NULL };
    sl_row row = validated(&f, &verify_off);
    expect_fine(&row);
    ck_assert_str_eq(sl_row_warning(&row),
                     "tracking number " BAD_UPS " fails its check digit: UPS 1Z "
                     "check digit should be 4, not 5 (not verified)");
    ck_assert_uint_eq(sl_row_warning_kinds(&row), 1u << SL_WARNING_TRACKING_NOT_VERIFIED);
    expect_url(&row, "https://www.ups.com/track?tracknum=" BAD_UPS);
    sl_row_clear(&row);

    /* the other defects are still defects */
    f.quantity = "-2";
    row = validated(&f, &verify_off);
    expect_invalid(&row, SL_CODE_BAD_QUANTITY, NULL);
    sl_row_clear(&row);
}
END_TEST

START_TEST(given_tracking_urls_are_kept)
{
    fields f = { "#1", GOOD_UPS, "UPS", NULL, NULL, NULL, NULL, "https://example.com/t/1" };
    sl_row row = validated(&f, &verify_on);
    expect_fine(&row);
    ck_assert_str_eq(sl_row_given_tracking_url(&row), "https://example.com/t/1");
    ck_assert_uint_eq(row.url_carrier, 0);
    sl_row_url room;   /* the row's own string, not a copy */
    ck_assert_ptr_eq(sl_row_tracking_url(&row, &room), sl_row_given_tracking_url(&row));
    ck_assert_ptr_null(room.spilled);
    sl_row_url_free(&room);
    sl_row_clear(&row);
}
END_TEST

/* A missing URL is not stored: the row names the carrier (url_carrier, 1 + its index) and the
 * URL is built from the first number that is not blank when read; a blank given URL is
 * replaced like a missing one. */
START_TEST(derived_tracking_urls_are_named_not_stored)
{
    fields f = { "#1", ";" GOOD_UPS ";1Z5R89390357567127", "UPS", NULL, NULL, NULL, NULL,
                 "  " };
    sl_row row = validated(&f, &verify_on);
    expect_fine(&row);
    ck_assert_ptr_null(sl_row_given_tracking_url(&row));
    ck_assert_uint_eq(row.url_carrier, sl_carrier_index(sl_carrier_find("UPS")) + 1);
    sl_row_url room;
    const char *url = sl_row_tracking_url(&row, &room);
    ck_assert_str_eq(url, "https://www.ups.com/track?tracknum=" GOOD_UPS);
    ck_assert_ptr_eq(url, room.text);
    ck_assert_ptr_null(room.spilled);
    sl_row_url_free(&room);
    sl_row_clear(&row);

    /* a carrier inferred from the number names it the same way */
    f = (fields){ "#1", GOOD_USPS, NULL, NULL, NULL, NULL, NULL, NULL };
    row = validated(&f, &verify_on);
    ck_assert_str_eq(row.carrier, "USPS");
    ck_assert_ptr_null(sl_row_given_tracking_url(&row));
    ck_assert_uint_eq(row.url_carrier, sl_carrier_index(sl_carrier_find("USPS")) + 1);
    expect_url(&row, "https://tools.usps.com/go/TrackConfirmAction?tLabels=" GOOD_USPS);
    sl_row_clear(&row);
}
END_TEST

/* A URL longer than the room's text is malloc'd, whole, and freed by sl_row_url_free. */
START_TEST(long_derived_tracking_urls_are_whole)
{
    const sl_carrier *royal_mail = sl_carrier_find("Royal Mail");
    char number[400];
    for (size_t i = 0; i + 1 < sizeof(number); i++)
        number[i] = i % 3 ? 'A' : '&';   /* '&' is percent-encoded: three bytes each */
    number[sizeof(number) - 1] = '\0';
    char *numbers[] = { number };
    sl_row row;
    sl_row_init(&row);
    row.tracking_numbers = numbers;
    row.tracking_count = 1;
    row.url_carrier = (unsigned char)(sl_carrier_index(royal_mail) + 1);
    char *want = sl_carrier_tracking_url(royal_mail, number);
    ck_assert_uint_gt(strlen(want), sizeof(((sl_row_url *)0)->text));
    sl_row_url room;
    const char *url = sl_row_tracking_url(&row, &room);
    ck_assert_str_eq(url, want);
    ck_assert_ptr_eq(url, room.spilled);
    sl_row_url_free(&room);
    ck_assert_ptr_null(room.spilled);
    free(want);

    /* one that just fits (its NUL the text's last byte) stays in the room */
    size_t bare = sl_carrier_tracking_url_write(royal_mail, "", NULL, 0);
    number[sizeof(((sl_row_url *)0)->text) - 1 - bare] = '\0';
    for (size_t i = 0; number[i]; i++)
        number[i] = 'B';
    url = sl_row_tracking_url(&row, &room);
    ck_assert_uint_eq(strlen(url), sizeof(room.text) - 1);
    ck_assert_ptr_eq(url, room.text);
    sl_row_url_free(&room);
}
END_TEST

/* Without a tracking number (none, or only blank ones) there is nothing to build: the row's
 * own tracking_url (NULL here) is what readers get. */
START_TEST(no_tracking_number_no_derived_url)
{
    char blank[] = " ", empty[] = "";
    char *numbers[] = { blank, empty };
    sl_row row;
    sl_row_init(&row);
    row.url_carrier = (unsigned char)(sl_carrier_index(sl_carrier_find("UPS")) + 1);
    expect_url(&row, NULL);
    row.tracking_numbers = numbers;
    row.tracking_count = 2;
    expect_url(&row, NULL);

    /* validation names no carrier for a row without numbers */
    fields f = { "#1", NULL, "UPS", NULL, NULL, NULL, NULL, NULL };
    sl_row validated_row = validated(&f, &verify_on);
    ck_assert_uint_eq(validated_row.url_carrier, 0);
    expect_url(&validated_row, NULL);
    sl_row_clear(&validated_row);

    /* sl_carrier_index: the table's own only */
    sl_carrier copy = *sl_carrier_find("UPS");
    ck_assert_uint_eq(sl_carrier_index(&copy), sl_carrier_count());
    ck_assert_uint_eq(sl_carrier_index(NULL), sl_carrier_count());
    ck_assert_ptr_eq(sl_carrier_at(sl_carrier_index(sl_carrier_find("FedEx"))),
                     sl_carrier_find("FedEx"));
}
END_TEST

START_TEST(skip_tracking_url_builds_none_and_judges_alike)
{
    sl_validate_options no_url = verify_on;
    no_url.skip_tracking_url = 1;
    fields f = { "#1", GOOD_UPS, "UPS", NULL, NULL, NULL, NULL, NULL };
    sl_row row = validated(&f, &no_url);
    expect_fine(&row);
    ck_assert_str_eq(row.carrier, "UPS");
    ck_assert_uint_eq(row.url_carrier, 0);
    expect_url(&row, NULL);
    sl_row_clear(&row);
    f.numbers = BAD_UPS;   /* the check digit is still enforced */
    row = validated(&f, &no_url);
    expect_invalid(&row, SL_CODE_BAD_TRACKING_NUMBER, "check digit");
    sl_row_clear(&row);
}
END_TEST

/* ------------------------------------------------------------------ skipped rows */

/* ------------------------------------------------------------------ the run's memo */

/* A run remembers the carrier and the date of recent texts: every row judged with one reads
 * exactly as it does alone, through repeats, evictions (more dates than the memo holds), dates
 * that fail, and texts too long to be remembered. */
START_TEST(a_run_reads_each_text_as_a_row_alone_does)
{
    static const char *const carriers[] = { "ups ground", "UPS", "Unknown Co", "",
                                            "United Parcel Service of America Inc" };
    static const char *const odd_dates[] = { "2026-02-30", " 2026-11-03 ", "11/04/2026",
                                             "someday", "2026-11-05                  x" };
    sl_validate_options with_run = verify_on, alone = verify_on;
    with_run.run = sl_validate_run_new();
    with_run.today = alone.today = sl_date_days("2026-11-20");
    ck_assert_ptr_nonnull(with_run.run);
    for (int i = 0; i < 600; i++) {
        char date[32];
        if (i % 7 == 3)
            snprintf(date, sizeof(date), "%s", odd_dates[(i / 7) % 5]);
        else
            snprintf(date, sizeof(date), "2026-%02d-%02d", 8 + i % 4, 1 + (i * 13) % 28);
        fields f = { "#1", GOOD_UPS, carriers[i % 5], NULL, date, NULL, NULL, NULL };
        sl_row remembered = validated(&f, &with_run), fresh = validated(&f, &alone);
        ck_assert_int_eq(remembered.status, fresh.status);
        ck_assert_int_eq(remembered.code, fresh.code);
        ck_assert_str_eq(remembered.ship_date, fresh.ship_date);
        ck_assert_str_eq(remembered.message ? remembered.message : "",
                         fresh.message ? fresh.message : "");
        ck_assert_str_eq(sl_row_warning(&remembered) ? sl_row_warning(&remembered) : "",
                         sl_row_warning(&fresh) ? sl_row_warning(&fresh) : "");
        ck_assert_str_eq(remembered.carrier ? remembered.carrier : "",
                         fresh.carrier ? fresh.carrier : "");
        const char *remembered_code = sl_row_cols(&remembered)->carrier_code;
        const char *fresh_code = sl_row_cols(&fresh)->carrier_code;
        ck_assert_str_eq(remembered_code ? remembered_code : "", fresh_code ? fresh_code : "");
        sl_row_clear(&remembered);
        sl_row_clear(&fresh);
    }
    sl_validate_run_free(with_run.run);
}
END_TEST

static sl_row skipped_row(const fields *f)
{
    sl_row row;
    row_make(&row, f);
    sl_row_fail(&row, SL_STATUS_SKIPPED, SL_CODE_NONE, "skipped by rule: Void Indicator = Y");
    return row;
}

START_TEST(skipped_rows_stay_skipped)
{
    fields f = { "", BAD_UPS, "ups", "zero", "2026-02-30", "maybe", "refund", NULL };
    sl_row row = skipped_row(&f);
    sl_validate_row(&row, &verify_on);
    ck_assert_int_eq(row.status, SL_STATUS_SKIPPED);
    ck_assert_int_eq(row.code, SL_CODE_NONE);
    ck_assert_str_eq(row.message, "skipped by rule: Void Indicator = Y");
    ck_assert_str_eq(row.carrier, "UPS");   /* the report still shows the canonical name */
    sl_row_clear(&row);

    row = skipped_row(&f);
    row.bad_encoding = 1;
    sl_validate_row(&row, &verify_on);
    expect_invalid(&row, SL_CODE_BAD_ENCODING, NULL);
    sl_row_clear(&row);

    row = skipped_row(&f);
    row.malformed = 1;
    sl_validate_row(&row, &verify_on);
    expect_invalid(&row, SL_CODE_MALFORMED_RECORD, NULL);
    sl_row_clear(&row);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("validate_row");
    TCase *order = tcase_create("order");
    tcase_add_test(order, one_defect_per_row_in_the_specs_order);
    tcase_add_test(order, whitespace_only_references_are_missing);
    tcase_add_test(order, cancel_and_update_need_a_tracking_number);
    tcase_add_test(order, typed_fields_and_defaults);
    suite_add_tcase(suite, order);
    TCase *carriers = tcase_create("carriers");
    tcase_add_test(carriers, aliases_become_canonical_names);
    tcase_add_test(carriers, unknown_carriers_are_kept_as_written);
    tcase_add_test(carriers, a_carrier_code_alone_names_the_carrier);
    tcase_add_test(carriers, missing_carriers_are_inferred);
    tcase_add_test(carriers, inference_declines_when_ambiguous);
    tcase_add_test(carriers, numbers_of_another_carrier_get_a_warning);
    tcase_add_test(carriers, every_number_is_checked);
    tcase_add_test(carriers, verify_off_only_warns);
    tcase_add_test(carriers, given_tracking_urls_are_kept);
    tcase_add_test(carriers, skip_tracking_url_builds_none_and_judges_alike);
    tcase_add_test(carriers, derived_tracking_urls_are_named_not_stored);
    tcase_add_test(carriers, long_derived_tracking_urls_are_whole);
    tcase_add_test(carriers, no_tracking_number_no_derived_url);
    suite_add_tcase(suite, carriers);
    TCase *skipped = tcase_create("skipped");
    tcase_add_test(skipped, skipped_rows_stay_skipped);
    suite_add_tcase(suite, skipped);
    TCase *memo = tcase_create("memo");
    tcase_add_test(memo, a_run_reads_each_text_as_a_row_alone_does);
    suite_add_tcase(suite, memo);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
