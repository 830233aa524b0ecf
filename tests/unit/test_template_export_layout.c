/* test_template_export_layout.c: a template's "export" section: the shipped layouts load with
 * the columns the round trip needs; broken sections fail naming the file and the key, both
 * through sl_export_layout_load and through the import loader (sl_template_load_file); an
 * export-only template loads for export; a template without an export section is named. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shipload/export.h"
#include "shipload/template.h"

static char temp_path[64];

static const char *write_template(const char *json)
{
    snprintf(temp_path, sizeof(temp_path), "/tmp/test_export_layout_XXXXXX.json");
    int fd = mkstemps(temp_path, 5);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, json, strlen(json)), (ssize_t)strlen(json));
    close(fd);
    return temp_path;
}

static void use_source_templates(void)
{
    const char *source = getenv("SHIPLOAD_SOURCE_DIR");
    ck_assert_ptr_nonnull(source);
    char path[512];
    snprintf(path, sizeof(path), "%s/templates", source);
    setenv("SHIPLOAD_TEMPLATE_PATH", path, 1);
}

#define IMPORT_PART "\"name\": \"mine\", \"format\": \"csv\", \"fields\": {\"order_ref\": " \
                    "\"order_number\", \"tracking_numbers\": \"tracking_number\"}"

START_TEST(generic_csv_exports_the_columns_it_reads_back)
{
    use_source_templates();
    sl_error err = { "" };
    sl_export_layout *layout = sl_export_layout_load("generic-csv", &err);
    ck_assert_msg(layout != NULL, "%s", err.message);
    ck_assert_int_eq(layout->format, SL_EXPORT_FORMAT_CSV);
    ck_assert_int_eq(layout->delimiter, ',');
    static const char *const first[] = { "order_number", "order_id", "package_id", "sku",
                                         "quantity", "tracking_number", "carrier" };
    ck_assert_uint_ge(layout->column_count, 7);
    for (size_t i = 0; i < 7; i++)
        ck_assert_str_eq(layout->columns[i].name, first[i]);
    ck_assert_int_eq(layout->columns[0].field, SL_EXPORT_ORDER_NAME);
    ck_assert_int_eq(layout->columns[4].field, SL_EXPORT_QUANTITY);
    ck_assert_int_eq(layout->columns[5].field, -1);
    ck_assert_str_eq(layout->columns[5].constant, "");
    ck_assert_str_eq(layout->name, "generic-csv");
    sl_export_layout_free(layout);
}
END_TEST

START_TEST(generic_xml_and_sku_lines_have_layouts)
{
    use_source_templates();
    sl_error err = { "" };
    sl_export_layout *layout = sl_export_layout_load("generic-xml", &err);
    ck_assert_msg(layout != NULL, "%s", err.message);
    ck_assert_int_eq(layout->format, SL_EXPORT_FORMAT_XML);
    ck_assert_str_eq(layout->xml_root, "shipments");
    ck_assert_str_eq(layout->columns[1].name, "@order_id");
    ck_assert_int_eq(layout->columns[1].field, SL_EXPORT_ORDER_ID);
    sl_export_layout_free(layout);
    layout = sl_export_layout_load("sku-lines", &err);
    ck_assert_msg(layout != NULL, "%s", err.message);
    ck_assert_str_eq(layout->columns[0].name, "Order Number");
    sl_export_layout_free(layout);
}
END_TEST

START_TEST(a_template_without_export_is_named)
{
    use_source_templates();
    sl_error err = { "" };
    ck_assert_ptr_null(sl_export_layout_load("ups-worldship", &err));
    ck_assert_msg(strstr(err.message, "has no export layout") != NULL, "%s", err.message);
    ck_assert_ptr_null(sl_export_layout_load("no-such-template", &err));
    ck_assert_msg(strstr(err.message, "no template named 'no-such-template'"), "%s",
                  err.message);
}
END_TEST

START_TEST(an_export_only_template_loads_for_export)
{
    const char *path = write_template(
        "{\"name\": \"pick-list\", \"format\": \"xml\", \"export\": {\"root\": \"picks\", "
        "\"record\": \"pick\", \"item\": \"line\", \"columns\": [\"@order_name\"], "
        "\"item_columns\": [\"@sku\", {\"name\": \"qty\", \"field\": \"quantity\"}]}}");
    sl_error err = { "" };
    sl_export_layout *layout = sl_export_layout_load(path, &err);
    ck_assert_msg(layout != NULL, "%s", err.message);
    ck_assert_int_eq(layout->format, SL_EXPORT_FORMAT_XML);
    ck_assert_uint_eq(layout->item_column_count, 2);
    ck_assert_int_eq(layout->item_columns[1].field, SL_EXPORT_QUANTITY);
    sl_export_layout_free(layout);
    unlink(path);
}
END_TEST

typedef struct bad_case {
    const char *export_json;
    const char *message;
} bad_case;

static const bad_case bad_cases[] = {
    { "{\"columns\": [\"sku\", \"nope\"]}", "export.columns[1]: unknown export field 'nope'" },
    { "{\"columns\": []}", "export.columns: must be a non-empty array" },
    { "{}", "export.columns: missing" },
    { "{\"columns\": [\"sku\"], \"colour\": 1}", "export.colour: unknown key" },
    { "{\"columns\": [{\"name\": \"x\"}]}", "export.columns[0]: needs exactly one of" },
    { "{\"columns\": [{\"name\": \"x\", \"field\": \"sku\", \"value\": \"\"}]}",
      "needs exactly one of" },
    { "{\"columns\": [\"sku\", \"sku\"]}", "export.columns[1]: 'sku' is named twice" },
    { "{\"columns\": [\"sku\"], \"delimiter\": \"::\"}", "export.delimiter: must be one of" },
    { "{\"columns\": [\"sku\"], \"header\": \"yes\"}", "export.header: must be true or false" },
    { "{\"columns\": [\"sku\"], \"root\": \"r\"}", "export.root: only for XML export layouts" },
    { "{\"columns\": [\"sku\"], \"format\": \"json\"}", "export.format: must be" },
    { "{\"format\": \"xml\", \"root\": \"r\", \"record\": \"a b\", \"item\": \"i\", "
      "\"columns\": [\"sku\"], \"item_columns\": [\"sku\"]}",
      "export.record: 'a b' is not an XML name" },
    { "{\"format\": \"xml\", \"root\": \"r\", \"record\": \"p\", \"item\": \"i\", "
      "\"columns\": [\"sku\"]}", "export.item_columns: missing" },
    { "{\"format\": \"xml\", \"root\": \"r\", \"record\": \"p\", \"item\": \"i\", "
      "\"columns\": [{\"name\": \"1x\", \"value\": \"\"}], \"item_columns\": [\"sku\"]}",
      "'1x' is not an XML name" },
};

START_TEST(broken_sections_name_the_file_and_the_key)
{
    char json[1024];
    snprintf(json, sizeof(json), "{" IMPORT_PART ", \"export\": %s}",
             bad_cases[_i].export_json);
    const char *path = write_template(json);
    sl_error err = { "" };
    ck_assert_ptr_null(sl_export_layout_load(path, &err));
    ck_assert_msg(strstr(err.message, bad_cases[_i].message) != NULL, "\"%s\" lacks \"%s\"",
                  err.message, bad_cases[_i].message);
    ck_assert_ptr_nonnull(strstr(err.message, path));
    /* the import loader holds the section to the same rules */
    sl_error import_err = { "" };
    sl_template *tpl = sl_template_load_file(path, &import_err);
    ck_assert_ptr_null(tpl);
    ck_assert_msg(strstr(import_err.message, bad_cases[_i].message) != NULL,
                  "import: \"%s\" lacks \"%s\"", import_err.message, bad_cases[_i].message);
    unlink(path);
}
END_TEST

START_TEST(an_export_only_template_with_import_keys_is_refused)
{
    const char *path = write_template("{\"name\": \"x\", \"format\": \"csv\", \"detect\": {}, "
                                      "\"export\": {\"columns\": [\"sku\"]}}");
    sl_error err = { "" };
    ck_assert_ptr_null(sl_export_layout_load(path, &err));
    ck_assert_msg(strstr(err.message, "detect: unknown key in an export-only template"), "%s",
                  err.message);
    unlink(path);
}
END_TEST

START_TEST(field_names_round_trip)
{
    for (int i = 0; i < SL_EXPORT_FIELD_COUNT; i++)
        ck_assert_int_eq(sl_export_field_lookup(sl_export_field_name((sl_export_field)i)), i);
    ck_assert_int_eq(sl_export_field_lookup("tracking_number"), -1);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("template_export_layout");
    TCase *tc = tcase_create("layout");
    tcase_add_test(tc, generic_csv_exports_the_columns_it_reads_back);
    tcase_add_test(tc, generic_xml_and_sku_lines_have_layouts);
    tcase_add_test(tc, a_template_without_export_is_named);
    tcase_add_test(tc, an_export_only_template_loads_for_export);
    tcase_add_loop_test(tc, broken_sections_name_the_file_and_the_key, 0,
                        (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
    tcase_add_test(tc, an_export_only_template_with_import_keys_is_refused);
    tcase_add_test(tc, field_names_round_trip);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
