/* test_validate_trust.c: the tracking-number rules of issue 14 in sl_validate_row and the
 * carrier table: the shapes of the carriers whose published shapes are all known (UPS, USPS,
 * FedEx, DHL Express), with their published example numbers accepted and wrong shapes refused
 * with the expected shape named; carriers whose shapes are not all known never refuse a
 * number by its shape; placeholders (missing_tracking_number); spreadsheet damage (scientific
 * notation, lost leading zeros, rounding) with the fix in the message; --no-verify-tracking
 * turning shapes into warnings but not the damage; the carriers users meet and ShipStation
 * codes, one spelling per unknown carrier, shared numbers warned about offline; ship dates
 * (--date-format first and alone, ambiguous_date, the formats tried in bad_date, warnings far
 * from today); encoding errors only where they matter. Example numbers:
 * jkeen/tracking_number_data (the test_numbers of its courier files), USPS Pub. 199, the UPU
 * S10 standard, DHL's shapes page. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/carrier.h"
#include "shipload/validate.h"

static const char *const formats[] = { "%Y-%m-%d" };
static const sl_validate_options verify_on = { formats, 1, 1, -1, 1, NULL, 0, NULL, 0, 0, 0 };
static const sl_validate_options verify_off = { formats, 1, 0, -1, 1, NULL, 0, NULL, 0, 0, 0 };

static sl_row validated(const char *number, const char *carrier,
                        const sl_validate_options *options)
{
    sl_row row;
    sl_row_init(&row);
    row.record = 1;
    row.line = 2;
    ck_assert_int_eq(sl_row_set(&row.order_ref, "#1001"), 0);
    ck_assert_int_eq(sl_row_set(&row.carrier, carrier), 0);
    row.tracking_numbers = calloc(1, sizeof(char *));
    ck_assert_ptr_nonnull(row.tracking_numbers);
    row.tracking_numbers[0] = strdup(number);
    row.tracking_count = 1;
    sl_validate_row(&row, options);
    return row;
}

/* The number for the carrier validates without a defect. */
static void expect_accepted(const char *number, const char *carrier)
{
    sl_row row = validated(number, carrier, &verify_on);
    ck_assert_msg(row.status == SL_STATUS_PENDING && row.code == SL_CODE_NONE,
                  "%s for %s: %s %s (%s)", number, carrier ? carrier : "(none)",
                  sl_status_name(row.status), sl_code_name(row.code),
                  row.message ? row.message : "");
    sl_row_clear(&row);
}

/* The number for the carrier is refused with code, its message holding part. */
static void expect_refused(const char *number, const char *carrier, sl_code code,
                           const char *part)
{
    sl_row row = validated(number, carrier, &verify_on);
    ck_assert_msg(row.status == SL_STATUS_INVALID && row.code == code,
                  "%s for %s: %s %s, expected invalid %s (%s)", number,
                  carrier ? carrier : "(none)", sl_status_name(row.status),
                  sl_code_name(row.code), sl_code_name(code), row.message ? row.message : "");
    ck_assert_msg(row.message && strstr(row.message, part), "%s: message '%s' lacks '%s'",
                  number, row.message ? row.message : "(null)", part);
    sl_row_clear(&row);
}

/* ------------------------------------------------------------------ shapes */

/* Published examples of every shape of the carriers with known shapes, and of the others. */
static const char *const accepted[][2] = {
    /* UPS: 1Z, waybills, SurePost and Mail Innovations USPS-style numbers */
    { "1Z5R89390357567127", "UPS" }, { "1Z879E930346834440", "UPS" },
    { "1Z410E7W0392751591", "UPS" }, { "1Z8V92A70367203024", "UPS" },
    { "1ZXX3150YW44070023", "UPS" }, { "1Z999AA10123456784", "UPS" },
    { "K2479825491", "UPS" }, { "J4603636537", "UPS" }, { "V0490119172", "UPS" },
    { "9400111206206406260787", "UPS SurePost" }, { "92748931507708513018050063", "UPS" },
    { "MI123456ABCDEFGHIJ0123", "UPS Mail Innovations" },
    /* USPS: IMpb (with and without 420 + ZIP), legacy 20-digit, S10 of any post, GXG */
    { "9400111206206406260787", "USPS" }, { "420787459400111206206406260787", "USPS" },
    { "9405803699300124287899", "USPS" }, { "9434611206206406227577", "USPS" },
    { "4201002334249200190132607600833457", "USPS" }, { "9505511069605048600624", "USPS" },
    { "92748931507708513018050063", "USPS" }, { "03071790000523483741", "USPS" },
    { "71123456789123456787", "USPS" }, { "9101123456789000000013", "USPS" },
    { "EA123456785US", "USPS" }, { "LZ123456785CN", "usps" }, { "8200000000", "USPS" },
    { "9400111201080805483016", "Stamps.com" }, { "9400111201080805483016", "stamps_com" },
    /* FedEx: Express 12, Ground 15, 96 + 20, SSCC-18/20, 34, 32, door tag, Freight PRO */
    { "986578788855", "FedEx" }, { "477179081230", "FedEx" }, { "799531274483", "FedEx" },
    { "041441760228964", "FedEx Ground" }, { "568283610012000", "FedEx" },
    { "9611020987654312345672", "FedEx" }, { "000123450000000027", "FedEx" },
    { "1001921334250001000300779017972697", "FedEx" },
    { "9622001900000000000000776632517510", "FedEx" },
    { "32971514560102447849175802862014", "FedEx" }, { "DT123456789012", "FedEx" },
    { "1234567890", "FedEx Freight" }, { "986578788855", "fedex_walleted" },
    /* DHL Express: 10/11-digit waybills, piece IDs, and other DHL services' numbers */
    { "3318810025", "DHL Express" }, { "73891051146", "DHL Express" },
    { "8487135506", "DHL" }, { "JJD0099999999", "DHL Express" },
    { "JVGL0999999990", "DHL Express" }, { "JD014600003828280400", "DHL" },
    { "123456789012", "DHL" }, { "60120172242323", "DHL" }, { "3SABCD1234567", "DHL" },
    { "GM2951173225174494", "DHL" }, { "3318810025", "dhl_express_worldwide" },
    /* carriers whose shapes are not all known: their published ones, and anything else */
    { "09980000020033F", "DPD" }, { "008182709980000020033350276C", "DPD" },
    { "ABC123", "DPD" }, { "12345678901", "GLS" }, { "H01HYA0004567890", "Evri" },
    { "C11031500001879", "OnTrac" }, { "D10011354453707", "OnTrac" },
    { "LX17635036", "LaserShip" }, { "1LS717793482164", "LaserShip" },
    { "320595463938", "Purolator" }, { "KYV009956937", "Purolator" },
    { "JJD0002257639032011", "Yodel" }, { "JD0002242617644732", "Yodel" },
    { "AB1234567", "Parcelforce" }, { "0073938000549297", "Canada Post" },
    { "RR473124829GB", "Royal Mail" }, { "whatever-123", "Acme Freight" },
    /* Amazon's TBA numbers are numbers, not the placeholder TBA */
    { "TBA502887274000", "Amazon" },
};

START_TEST(published_examples_are_accepted)
{
    for (size_t i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++)
        expect_accepted(accepted[i][0], accepted[i][1]);
}
END_TEST

START_TEST(wrong_shapes_are_refused_naming_the_shape)
{
    static const char *const refused[][3] = {
        { "1Z123456789", "UPS", "UPS numbers are 1Z followed by 16 letters and digits" },
        { "1Z5R8939035756712", "UPS", "does not fit UPS's shapes" },       /* one short */
        { "12345678", "UPS Ground", "UPS numbers are 1Z" },
        { "940011120620640626078", "USPS", "USPS numbers are 20 to 34 digits" },
        { "ABC123", "USPS", "does not fit USPS's shapes" },
        { "12345", "FedEx", "FedEx numbers are 12, 15, 20, 22, 32 or 34 digits" },
        { "98657878885512345", "FedEx", "does not fit FedEx's shapes" },
        { "123", "DHL Express", "DHL Express numbers are 10 or 11 digits" },
        { "ABCDEFGHIJ", "DHL", "does not fit DHL Express's shapes" },
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        expect_refused(refused[i][0], refused[i][1], SL_CODE_BAD_TRACKING_NUMBER, refused[i][2]);
}
END_TEST

START_TEST(shapes_and_check_digits_stay_apart)
{
    /* a right shape with a wrong check digit still names the check digit */
    expect_refused("1Z5R89390357567128", "UPS", SL_CODE_BAD_TRACKING_NUMBER,
                   "UPS 1Z check digit should be 7, not 8");
    /* another carrier's number is a warning, judged by its own carrier, not refused by shape */
    sl_row row = validated("1Z5R89390357567127", "FedEx", &verify_on);
    ck_assert_int_eq(row.status, SL_STATUS_PENDING);
    ck_assert_ptr_nonnull(strstr(sl_row_warning(&row), "looks like a UPS number, not FedEx"));
    sl_row_clear(&row);
    /* no carrier: nothing to hold the shape to */
    expect_accepted("12345", NULL);
}
END_TEST

START_TEST(no_verify_turns_shapes_into_warnings)
{
    sl_row row = validated("1Z123456789", "UPS", &verify_off);
    ck_assert_int_eq(row.status, SL_STATUS_PENDING);
    ck_assert_ptr_nonnull(strstr(sl_row_warning(&row), "UPS numbers are 1Z followed by 16"));
    ck_assert_ptr_nonnull(strstr(sl_row_warning(&row), "(not verified)"));
    ck_assert_uint_eq(sl_row_warning_kinds(&row), 1u << SL_WARNING_TRACKING_NOT_VERIFIED);
    sl_row_clear(&row);
}
END_TEST

START_TEST(carrier_table_shapes)
{
    static const char *const complete[] = { "UPS", "USPS", "FedEx", "DHL Express" };
    size_t with_shapes = 0;
    for (size_t i = 0; i < sl_carrier_count(); i++)
        with_shapes += sl_carrier_at(i)->shapes != NULL;
    ck_assert_uint_eq(with_shapes, sizeof(complete) / sizeof(complete[0]));
    for (size_t i = 0; i < sizeof(complete) / sizeof(complete[0]); i++) {
        const sl_carrier *carrier = sl_carrier_find(complete[i]);
        ck_assert_ptr_nonnull(carrier);
        ck_assert_ptr_nonnull(carrier->shapes);
        ck_assert_ptr_nonnull(strstr(carrier->shapes, complete[i]));
    }
    ck_assert_int_eq(sl_carrier_misfits(sl_carrier_find("UPS"), "1Z123"), 1);
    ck_assert_int_eq(sl_carrier_misfits(sl_carrier_find("UPS"), "1Z5R89390357567127"), 0);
    ck_assert_int_eq(sl_carrier_misfits(sl_carrier_find("DPD"), "1Z123"), 0);
    ck_assert_int_eq(sl_carrier_misfits(NULL, "1Z123"), 0);
}
END_TEST

/* ------------------------------------------------------------------ placeholders */

START_TEST(placeholders_are_missing_tracking_numbers)
{
    static const char *const placeholders[] = {
        "N/A", "n/a", "NA", "TBD", "TBA", "tbc", "none", "NULL", "pending", "Pending ", "-",
        "--", "?", "#N/A", "#VALUE!", "#REF!", "0", "00000", "000000000000", "x", "XXX",
        "unknown", "Not available", "no tracking", "N.A.", "nan",
    };
    for (size_t i = 0; i < sizeof(placeholders) / sizeof(placeholders[0]); i++) {
        ck_assert_msg(sl_tracking_is_placeholder(placeholders[i]), "'%s'", placeholders[i]);
        expect_refused(placeholders[i], "UPS", SL_CODE_MISSING_TRACKING_NUMBER,
                       "a placeholder, not a tracking number");
    }
    /* even with verification off, and for a carrier without known shapes */
    sl_row row = validated("TBD", "Acme", &verify_off);
    ck_assert_int_eq(row.code, SL_CODE_MISSING_TRACKING_NUMBER);
    sl_row_clear(&row);
}
END_TEST

START_TEST(numbers_that_look_like_words_are_not_placeholders)
{
    static const char *const numbers[] = { "TBA502887274000", "NA123456789US", "0001",
                                           "1Z5R89390357567127", "X1", "NONE1", "10", "" };
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
        ck_assert_msg(!sl_tracking_is_placeholder(numbers[i]), "'%s'", numbers[i]);
    ck_assert(!sl_tracking_is_placeholder(NULL));
}
END_TEST

/* ------------------------------------------------------------------ spreadsheet damage */

START_TEST(scientific_notation_is_damage)
{
    static const char *const damaged[] = { "9.40011189922363E+021", "9.40011189922363E+21",
                                           "9,40011189922363E+21", "1.23457E+11", "9E+21",
                                           "4.2e-05" };
    for (size_t i = 0; i < sizeof(damaged) / sizeof(damaged[0]); i++) {
        ck_assert_msg(sl_tracking_is_scientific(damaged[i]), "'%s'", damaged[i]);
        expect_refused(damaged[i], "USPS", SL_CODE_BAD_TRACKING_NUMBER, "scientific notation");
        expect_refused(damaged[i], NULL, SL_CODE_BAD_TRACKING_NUMBER,
                       "format the column as text");
    }
    static const char *const numbers[] = { "1E5ABC", "2E123456", "1Z5R89390357567127",
                                           "9E21", "E+21", "9.4E+", "9.E+21" };
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
        ck_assert_msg(!sl_tracking_is_scientific(numbers[i]), "'%s'", numbers[i]);
    /* refused even with verification off: it is no number at all */
    sl_row row = validated("9.40011189922363E+21", "USPS", &verify_off);
    ck_assert_int_eq(row.code, SL_CODE_BAD_TRACKING_NUMBER);
    sl_row_clear(&row);
}
END_TEST

START_TEST(lost_leading_zeros_are_damage)
{
    /* USPS legacy 0307 1790 0005 2348 3741 read as a number */
    expect_refused("3071790000523483741", "USPS", SL_CODE_BAD_TRACKING_NUMBER,
                   "lost its leading zero (03071790000523483741 is a USPS number)");
    /* DHL Paket's 00340434 prefix, for the carrier and with none (the shape names it) */
    expect_refused("340434123456789012", "DHL Paket", SL_CODE_BAD_TRACKING_NUMBER,
                   "lost its leading zeros (00340434123456789012 is a DHL Paket number)");
    expect_refused("340434123456789012", NULL, SL_CODE_BAD_TRACKING_NUMBER,
                   "format the column as text");
    char fixed[64];
    ck_assert_int_eq(sl_carrier_lost_zeros(sl_carrier_find("DHL Paket"), "340434123456789012",
                                           fixed, sizeof(fixed)), 2);
    ck_assert_str_eq(fixed, "00340434123456789012");
    /* a number that fits as it is lost nothing */
    ck_assert_int_eq(sl_carrier_lost_zeros(sl_carrier_find("USPS"), "03071790000523483741",
                                           fixed, sizeof(fixed)), 0);
    ck_assert_int_eq(sl_carrier_lost_zeros(sl_carrier_find("FedEx"), "986578788855", fixed,
                                           sizeof(fixed)), 0);
    /* a carrier without known shapes keeps a number that only a check digit would restore */
    expect_accepted("73938000549297", "Canada Post");
}
END_TEST

START_TEST(rounded_numbers_get_the_fix)
{
    /* 9400111899223197428490 shown by a spreadsheet with 15 significant digits */
    expect_refused("9400111899223190000000", "USPS", SL_CODE_BAD_TRACKING_NUMBER,
                   "a spreadsheet may have rounded it to 15 digits");
}
END_TEST

/* ------------------------------------------------------------------ carriers users meet */

START_TEST(carriers_users_meet_and_shipstation_codes)
{
    static const char *const names[][2] = {
        { "DPD", "DPD" }, { "dpd local", "DPD" }, { "GLS", "GLS" }, { "gls_us", "GLS" },
        { "Evri", "Evri" }, { "Hermes", "Evri" }, { "myHermes", "Evri" }, { "OnTrac", "OnTrac" },
        { "LaserShip", "LaserShip" }, { "Purolator", "Purolator" }, { "purolator_ca", "Purolator" },
        { "Yodel", "Yodel" }, { "Parcelforce", "Parcelforce" },
        { "Parcelforce Worldwide", "Parcelforce" },
        { "Australia Post", "Australia Post" }, { "AusPost", "Australia Post" },
        { "Canada Post", "Canada Post" }, { "canada_post", "Canada Post" },
        { "stamps_com", "USPS" }, { "Stamps.com", "USPS" }, { "endicia", "USPS" },
        { "usps_walleted", "USPS" }, { "fedex", "FedEx" }, { "fedex_walleted", "FedEx" },
        { "ups", "UPS" }, { "ups_walleted", "UPS" }, { "dhl_express_worldwide", "DHL Express" },
        { "dhl_global_mail", "DHL eCommerce" }, { "royal_mail", "Royal Mail" },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const sl_carrier *carrier = sl_carrier_find(names[i][0]);
        ck_assert_msg(carrier != NULL, "'%s' is unknown", names[i][0]);
        ck_assert_msg(strcmp(carrier->name, names[i][1]) == 0, "'%s' -> %s, not %s",
                      names[i][0], carrier->name, names[i][1]);
    }
    char *url = sl_carrier_tracking_url(sl_carrier_find("Evri"), "H01HYA0004567890");
    ck_assert_str_eq(url, "https://www.evri.com/track/parcel/H01HYA0004567890");
    free(url);
    /* OnTrac's and LaserShip's own shapes name them */
    ck_assert_ptr_eq(sl_carrier_infer("C11031500001879"), sl_carrier_find("OnTrac"));
    ck_assert_ptr_eq(sl_carrier_infer("1LS717793482164"), sl_carrier_find("LaserShip"));
}
END_TEST

START_TEST(an_unknown_carrier_keeps_its_first_spelling)
{
    sl_validate_run *run = sl_validate_run_new();
    ck_assert_ptr_nonnull(run);
    sl_validate_options o = verify_on;
    o.run = run;
    static const char *const written[] = { "Acme Freight", "ACME FREIGHT", "acme-freight",
                                           " Acme  Freight " };
    for (size_t i = 0; i < sizeof(written) / sizeof(written[0]); i++) {
        sl_row row = validated("ACME123", written[i], &o);
        ck_assert_str_eq(row.carrier, "Acme Freight");
        sl_row_clear(&row);
    }
    sl_row row = validated("ACME123", "Acme Logistics", &o);   /* another carrier */
    ck_assert_str_eq(row.carrier, "Acme Logistics");
    sl_row_clear(&row);
    row = validated("ACME123", "acme freight", &verify_on);     /* no run: as written */
    ck_assert_str_eq(row.carrier, "acme freight");
    sl_row_clear(&row);
    sl_validate_run_free(run);
}
END_TEST

/* The prefetch hint remembers nothing and accepts any argument; its hash notes the number as
 * the number itself would. */
START_TEST(prefetch_is_only_a_hint)
{
    sl_validate_run *run = sl_validate_run_new();
    sl_validate_run_prefetch(NULL, "1Z5R89390357567127");
    sl_validate_run_prefetch(run, NULL);
    sl_validate_run_prefetch(run, "");
    sl_validate_run_prefetch(run, "1Z5R89390357567127");
    const char *other_ref;
    size_t other_record;
    ck_assert_int_eq(sl_validate_run_note_number(run, "1Z5R89390357567127", "#1001", 1,
                                                 &other_ref, &other_record), 0);
    uint64_t hash = sl_validate_run_prefetch(run, "1Z5R89390357567127");
    ck_assert_uint_ne(hash, 0);
    ck_assert_int_eq(sl_validate_run_note_prefetched(run, hash, "#1002", 2, &other_ref,
                                                     &other_record), 1);
    ck_assert_str_eq(other_ref, "1001");
    ck_assert_uint_eq(other_record, 1);
    ck_assert_int_eq(sl_validate_run_note_number(run, "1Z5R89390357567127", "#1003", 3,
                                                 &other_ref, &other_record), 1);
    ck_assert_uint_eq(sl_validate_run_prefetch(run, ""), 0);
    ck_assert_int_eq(sl_validate_run_note_prefetched(run, 0, "#1004", 4, &other_ref,
                                                     &other_record), 0);
    sl_validate_run_free(run);
}
END_TEST

/* Where a number was first seen comes back whole for order references of every length up to
 * 55 bytes (the origin is written a word at a time), and cut to 55 bytes beyond. */
START_TEST(first_order_comes_back_at_every_length)
{
    sl_validate_run *run = sl_validate_run_new();
    char ref[80], number[32], expected[80];
    for (size_t len = 1; len <= 70; len++) {
        for (size_t i = 0; i < len; i++)
            ref[i] = (char)('A' + (i * 7 + len) % 26);
        ref[len] = '\0';
        snprintf(number, sizeof(number), "1Z999AA1%010zu", len);
        const char *other_ref;
        size_t other_record;
        ck_assert_int_eq(sl_validate_run_note_number(run, number, ref, len * 3, &other_ref,
                                                     &other_record), 0);
        ck_assert_int_eq(sl_validate_run_note_number(run, number, "#OTHER", len * 3 + 1,
                                                     &other_ref, &other_record), 1);
        snprintf(expected, sizeof(expected), "%.55s", ref);
        ck_assert_str_eq(other_ref, expected);
        ck_assert_uint_eq(other_record, len * 3);
    }
    sl_validate_run_free(run);
}
END_TEST

START_TEST(shared_numbers_are_warned_about_offline)
{
    sl_validate_run *run = sl_validate_run_new();
    sl_validate_options o = verify_on;
    o.run = run;
    o.warn_shared_tracking = 1;
    const char *orders[] = { "#1001", " 1001 ", "#1002" };
    for (int i = 0; i < 3; i++) {
        sl_row row;
        sl_row_init(&row);
        row.record = (size_t)i + 1;
        sl_row_set(&row.order_ref, orders[i]);
        sl_row_set(&row.carrier, "UPS");
        row.tracking_numbers = calloc(1, sizeof(char *));
        row.tracking_numbers[0] = strdup("1Z5R89390357567127");
        row.tracking_count = 1;
        sl_validate_row(&row, &o);
        ck_assert_int_eq(row.status, SL_STATUS_PENDING);
        if (i < 2) {   /* the same order, written two ways */
            ck_assert_ptr_null(sl_row_warning(&row));
        } else {
            ck_assert_uint_eq(sl_row_warning_kinds(&row), 1u << SL_WARNING_TRACKING_REUSED);
            ck_assert_ptr_nonnull(strstr(sl_row_warning(&row), "also on order 1001 (record 1)"));
        }
        sl_row_clear(&row);
    }
    sl_validate_run_free(run);
}
END_TEST

/* ------------------------------------------------------------------ dates */

static sl_row dated(const char *date, const sl_validate_options *options)
{
    sl_row row;
    sl_row_init(&row);
    ck_assert_int_eq(sl_row_set(&row.order_ref, "#1001"), 0);
    ck_assert_int_eq(sl_row_set(&sl_row_own_columns(&row)->ship_date_text, date), 0);
    row.tracking_numbers = calloc(1, sizeof(char *));
    row.tracking_numbers[0] = strdup("1Z5R89390357567127");
    row.tracking_count = 1;
    sl_validate_row(&row, options);
    return row;
}

static const char *const us_and_eu[] = { "%m/%d/%Y", "%d/%m/%Y" };
static const char *const day_first[] = { "%d/%m/%Y" };

START_TEST(two_template_formats_that_disagree_are_ambiguous)
{
    sl_validate_options o = { us_and_eu, 2, 1, -1, 1, NULL, 0, NULL, 0, 0, 0 };
    sl_row row = dated("03/04/2026", &o);
    ck_assert_int_eq(row.code, SL_CODE_AMBIGUOUS_DATE);
    ck_assert_ptr_nonnull(strstr(row.message, "reads as 2026-03-04 (%m/%d/%Y) and as 2026-04-03 "
                                              "(%d/%m/%Y)"));
    ck_assert_ptr_nonnull(strstr(row.message, "--date-format"));
    sl_row_clear(&row);
    row = dated("13/04/2026", &o);   /* only one format reads it */
    ck_assert_int_eq(row.status, SL_STATUS_PENDING);
    ck_assert_str_eq(row.ship_date, "2026-04-13");
    sl_row_clear(&row);
    row = dated("04/04/2026", &o);   /* both read the same day */
    ck_assert_str_eq(row.ship_date, "2026-04-04");
    sl_row_clear(&row);
}
END_TEST

START_TEST(date_format_is_tried_first_and_alone)
{
    sl_validate_options o = { us_and_eu, 2, 1, -1, 1, NULL, 0, day_first, 1, 0, 0 };
    sl_row row = dated("03/04/2026", &o);
    ck_assert_int_eq(row.status, SL_STATUS_PENDING);
    ck_assert_str_eq(row.ship_date, "2026-04-03");   /* 3 April, as --date-format says */
    sl_row_clear(&row);
    row = dated("2026-04-03", &o);                  /* then ISO 8601 */
    ck_assert_str_eq(row.ship_date, "2026-04-03");
    sl_row_clear(&row);
    row = dated("04/13/2026", &o);                  /* the template's US format is not tried */
    ck_assert_int_eq(row.code, SL_CODE_BAD_DATE);
    ck_assert_ptr_nonnull(strstr(row.message, "--date-format given (tried %d/%m/%Y, then ISO"));
    sl_row_clear(&row);
}
END_TEST

START_TEST(bad_date_lists_the_formats_tried)
{
    sl_validate_options o = { us_and_eu, 2, 1, -1, 1, NULL, 0, NULL, 0, 0, 0 };
    sl_row row = dated("2026-02-30", &o);
    ck_assert_int_eq(row.code, SL_CODE_BAD_DATE);
    ck_assert_ptr_nonnull(strstr(row.message, "ISO 8601 (YYYY-MM-DD), %m/%d/%Y, %d/%m/%Y"));
    ck_assert_ptr_nonnull(strstr(row.message, "give the file's format with --date-format"));
    sl_row_clear(&row);
}
END_TEST

START_TEST(ship_dates_far_from_today_are_warnings)
{
    char today_text[11] = "2026-12-01";
    sl_validate_options o = { us_and_eu, 2, 1, -1, 1, NULL, 0, NULL, 0,
                              sl_date_days(today_text), 0 };
    ck_assert_int_eq(sl_date_days("1970-01-02"), 1);
    ck_assert_int_eq(sl_date_days("2000-03-01") - sl_date_days("2000-02-28"), 2);
    static const struct { const char *date; unsigned kinds; const char *part; } cases[] = {
        { "2026-12-02", 0, NULL },                       /* tomorrow: a time zone away */
        { "2026-12-03", 1u << SL_WARNING_SHIP_DATE_FUTURE, "2026-12-03 is 2 days in the future" },
        { "2027-12-01", 1u << SL_WARNING_SHIP_DATE_FUTURE, "365 days in the future" },
        { "2026-09-02", 0, NULL },                       /* 90 days */
        { "2026-09-01", 1u << SL_WARNING_SHIP_DATE_OLD, "2026-09-01 is 91 days old" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sl_row row = dated(cases[i].date, &o);
        ck_assert_int_eq(row.status, SL_STATUS_PENDING);
        ck_assert_msg(sl_row_warning_kinds(&row) == cases[i].kinds, "%s: kinds %u", cases[i].date,
                      sl_row_warning_kinds(&row));
        if (cases[i].part)
            ck_assert_msg(strstr(sl_row_warning(&row), cases[i].part), "%s: '%s'", cases[i].date,
                          sl_row_warning(&row));
        sl_row_clear(&row);
    }
}
END_TEST

/* ------------------------------------------------------------------ encoding */

START_TEST(encoding_errors_only_where_they_matter)
{
    sl_validate_options o = { formats, 1, 1, -1, 1, NULL, 0, NULL, 0, 0, 1 };
    sl_row row;
    sl_row_init(&row);
    sl_row_set(&row.order_ref, "#1");
    row.tracking_numbers = calloc(1, sizeof(char *));
    row.tracking_numbers[0] = strdup("1Z5R89390357567127");
    row.tracking_count = 1;
    sl_row_set(&sl_row_own_extra(&row)->encoding_column, "Note");
    row.encoding_1252_decodes = 1;
    sl_validate_row(&row, &o);
    ck_assert_int_eq(row.status, SL_STATUS_PENDING);
    ck_assert_uint_eq(sl_row_warning_kinds(&row), 1u << SL_WARNING_BAD_ENCODING_UNREAD);
    ck_assert_ptr_nonnull(strstr(sl_row_warning(&row),
                                 "column 'Note' has bytes that are not valid"));
    ck_assert_ptr_nonnull(strstr(sl_row_warning(&row), "--encoding windows-1252"));
    sl_row_clear(&row);

    sl_row_init(&row);
    sl_row_set(&sl_row_own_extra(&row)->encoding_column, "Carrier");
    row.bad_encoding = 1;
    row.encoding_1252_decodes = 1;
    sl_validate_row(&row, &o);
    ck_assert_int_eq(row.code, SL_CODE_BAD_ENCODING);
    ck_assert_ptr_nonnull(strstr(row.message, "column 'Carrier' has bytes"));
    ck_assert_ptr_nonnull(strstr(row.message, "read it with --encoding windows-1252"));
    sl_row_clear(&row);

    o.suggest_encoding = 0;   /* read with an encoding given: no hint */
    sl_row_init(&row);
    sl_row_set(&sl_row_own_extra(&row)->encoding_column, "Carrier");
    row.bad_encoding = 1;
    row.encoding_1252_decodes = 1;
    sl_validate_row(&row, &o);
    ck_assert_ptr_null(strstr(row.message, "--encoding"));
    sl_row_clear(&row);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("validate_trust");
    TCase *shapes = tcase_create("shapes");
    tcase_add_test(shapes, published_examples_are_accepted);
    tcase_add_test(shapes, wrong_shapes_are_refused_naming_the_shape);
    tcase_add_test(shapes, shapes_and_check_digits_stay_apart);
    tcase_add_test(shapes, no_verify_turns_shapes_into_warnings);
    tcase_add_test(shapes, carrier_table_shapes);
    suite_add_tcase(suite, shapes);
    TCase *placeholders = tcase_create("placeholders");
    tcase_add_test(placeholders, placeholders_are_missing_tracking_numbers);
    tcase_add_test(placeholders, numbers_that_look_like_words_are_not_placeholders);
    suite_add_tcase(suite, placeholders);
    TCase *damage = tcase_create("damage");
    tcase_add_test(damage, scientific_notation_is_damage);
    tcase_add_test(damage, lost_leading_zeros_are_damage);
    tcase_add_test(damage, rounded_numbers_get_the_fix);
    suite_add_tcase(suite, damage);
    TCase *carriers = tcase_create("carriers");
    tcase_add_test(carriers, carriers_users_meet_and_shipstation_codes);
    tcase_add_test(carriers, an_unknown_carrier_keeps_its_first_spelling);
    tcase_add_test(carriers, shared_numbers_are_warned_about_offline);
    tcase_add_test(carriers, prefetch_is_only_a_hint);
    tcase_add_test(carriers, first_order_comes_back_at_every_length);
    suite_add_tcase(suite, carriers);
    TCase *dates = tcase_create("dates");
    tcase_add_test(dates, two_template_formats_that_disagree_are_ambiguous);
    tcase_add_test(dates, date_format_is_tried_first_and_alone);
    tcase_add_test(dates, bad_date_lists_the_formats_tried);
    tcase_add_test(dates, ship_dates_far_from_today_are_warnings);
    suite_add_tcase(suite, dates);
    TCase *encoding = tcase_create("encoding");
    tcase_add_test(encoding, encoding_errors_only_where_they_matter);
    suite_add_tcase(suite, encoding);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
