/* test_validate_carrier_codes.c: a store's carrier list mapped onto shipload's carriers
 * (carrier_codes.h): every canonical name of spec §12 onto a Shoplazza-shaped list (codes with
 * dashes, English names, DHL Express listed as "dhl", DHL Paket as "dhl-germany"), aliases and
 * codes as rows write them, carriers shipload does not know matched by name or code alone,
 * carriers the store does not list, the first entry winning, and an empty list. */
#include <check.h>
#include <stdlib.h>
#include "shipload/carrier_codes.h"

/* The list store-sim's Shoplazza front serves (tests/store-sim/shoplazza_front.c). */
static const sl_store_carrier store_list[] = {
    { "ups", "UPS" }, { "usps", "USPS" }, { "fedex", "FedEx" }, { "dhl", "DHL Express" },
    { "dhl-ecommerce", "DHL eCommerce" }, { "canada-post", "Canada Post" },
    { "royal-mail", "Royal Mail" }, { "australia-post", "Australia Post" },
    { "dhl-germany", "DHL Paket" }, { "la-poste", "La Poste" }, { "postnl", "PostNL" },
    { "correos", "Correos" }, { "estafeta", "Estafeta" }, { "yunexpress", "YunExpress" },
    { "4px", "4PX" }, { "yanwen", "Yanwen" },
};
#define STORE_COUNT (sizeof(store_list) / sizeof(store_list[0]))

static sl_carrier_codes *codes;

static void setup(void)
{
    codes = sl_carrier_codes_new(store_list, STORE_COUNT);
    ck_assert_ptr_nonnull(codes);
}

static void teardown(void)
{
    sl_carrier_codes_free(codes);
    codes = NULL;
}

/* spec §12's canonical names and the code each must get on this store */
static const struct { const char *name, *code; } canonical[] = {
    { "UPS", "ups" }, { "USPS", "usps" }, { "FedEx", "fedex" }, { "DHL Express", "dhl" },
    { "DHL eCommerce", "dhl-ecommerce" }, { "Canada Post", "canada-post" },
    { "Royal Mail", "royal-mail" }, { "Australia Post", "australia-post" },
    { "DHL Paket", "dhl-germany" }, { "La Poste", "la-poste" }, { "PostNL", "postnl" },
    { "Correos", "correos" }, { "Estafeta", "estafeta" },
};

START_TEST(canonical_names_map_to_store_codes)
{
    ck_assert_str_eq(sl_carrier_codes_find(codes, canonical[_i].name), canonical[_i].code);
}
END_TEST

START_TEST(aliases_and_codes_map_too)
{
    ck_assert_str_eq(sl_carrier_codes_find(codes, "U.S. Postal Service"), "usps");
    ck_assert_str_eq(sl_carrier_codes_find(codes, "dhl_express"), "dhl");
    ck_assert_str_eq(sl_carrier_codes_find(codes, "FedEx Home Delivery"), "fedex");
    ck_assert_str_eq(sl_carrier_codes_find(codes, "royal_mail"), "royal-mail");
}
END_TEST

START_TEST(carriers_shipload_does_not_know_match_by_name_or_code)
{
    ck_assert_str_eq(sl_carrier_codes_find(codes, "YunExpress"), "yunexpress");
    ck_assert_str_eq(sl_carrier_codes_find(codes, "Yun Express"), "yunexpress");
    ck_assert_str_eq(sl_carrier_codes_find(codes, "4px"), "4px");
    ck_assert_str_eq(sl_carrier_codes_find(codes, "YANWEN"), "yanwen");
}
END_TEST

START_TEST(carriers_not_listed_have_no_code)
{
    ck_assert_ptr_null(sl_carrier_codes_find(codes, "DPD"));          /* known to shipload */
    ck_assert_ptr_null(sl_carrier_codes_find(codes, "Evri"));
    ck_assert_ptr_null(sl_carrier_codes_find(codes, "Speedy Local Couriers"));
    ck_assert_ptr_null(sl_carrier_codes_find(codes, ""));
    ck_assert_ptr_null(sl_carrier_codes_find(codes, NULL));
    ck_assert_ptr_null(sl_carrier_codes_find(NULL, "UPS"));
}
END_TEST

START_TEST(a_known_carrier_never_takes_another_carriers_entry)
{
    /* "dhl" names DHL Express; DHL Paket must not fall back to it by text */
    static const sl_store_carrier list[] = { { "dhl", "DHL Express" } };
    sl_carrier_codes *few = sl_carrier_codes_new(list, 1);
    ck_assert_ptr_nonnull(few);
    ck_assert_ptr_null(sl_carrier_codes_find(few, "DHL Paket"));
    ck_assert_str_eq(sl_carrier_codes_find(few, "DHL Express"), "dhl");
    sl_carrier_codes_free(few);
}
END_TEST

START_TEST(first_entry_wins_and_codeless_entries_are_skipped)
{
    static const sl_store_carrier list[] = {
        { "", "UPS" }, { "ups-ground", "UPS" }, { "ups", "UPS" }, { NULL, "FedEx" },
    };
    sl_carrier_codes *few = sl_carrier_codes_new(list, 4);
    ck_assert_ptr_nonnull(few);
    ck_assert_uint_eq(sl_carrier_codes_count(few), 2);
    ck_assert_str_eq(sl_carrier_codes_find(few, "UPS"), "ups-ground");
    ck_assert_ptr_null(sl_carrier_codes_find(few, "FedEx"));
    sl_carrier_codes_free(few);
}
END_TEST

START_TEST(entries_without_a_name_are_known_by_code)
{
    static const sl_store_carrier list[] = { { "canada_post", NULL }, { "gls", NULL } };
    sl_carrier_codes *few = sl_carrier_codes_new(list, 2);
    ck_assert_ptr_nonnull(few);
    ck_assert_str_eq(sl_carrier_codes_find(few, "Canada Post"), "canada_post");
    ck_assert_str_eq(sl_carrier_codes_find(few, "GLS"), "gls");
    sl_carrier_codes_free(few);
}
END_TEST

START_TEST(an_empty_list_finds_nothing)
{
    sl_carrier_codes *none = sl_carrier_codes_new(NULL, 0);
    ck_assert_ptr_nonnull(none);
    ck_assert_uint_eq(sl_carrier_codes_count(none), 0);
    ck_assert_ptr_null(sl_carrier_codes_find(none, "UPS"));
    sl_carrier_codes_free(none);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("validate_carrier_codes");
    TCase *store = tcase_create("store_list");
    tcase_add_checked_fixture(store, setup, teardown);
    tcase_add_loop_test(store, canonical_names_map_to_store_codes, 0,
                        (int)(sizeof(canonical) / sizeof(canonical[0])));
    tcase_add_test(store, aliases_and_codes_map_too);
    tcase_add_test(store, carriers_shipload_does_not_know_match_by_name_or_code);
    tcase_add_test(store, carriers_not_listed_have_no_code);
    suite_add_tcase(suite, store);
    TCase *lists = tcase_create("lists");
    tcase_add_test(lists, a_known_carrier_never_takes_another_carriers_entry);
    tcase_add_test(lists, first_entry_wins_and_codeless_entries_are_skipped);
    tcase_add_test(lists, entries_without_a_name_are_known_by_code);
    tcase_add_test(lists, an_empty_list_finds_nothing);
    suite_add_tcase(suite, lists);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
