/* test_template_load.c: the template loader. Every shipped template loads and says what it
 * should; the search path (SHIPLOAD_TEMPLATE_PATH first, a name found earlier hides a later
 * one, listing sorted and import-only); and the strict checks: unknown keys, bad values, bad
 * JSON and missing keys each fail with the file and the key path named. */
#include "test_template_util.h"

static const char *const shipped[] = { "cxml-shipnotice", "fedex-shipmanager", "generic-csv",
                                       "generic-xml", "shipstation-shipments", "sku-lines",
                                       "ups-worldship" };
#define SHIPPED_COUNT (sizeof(shipped) / sizeof(shipped[0]))

START_TEST(every_shipped_template_loads)
{
    for (size_t i = 0; i < SHIPPED_COUNT; i++) {
        sl_template *tpl = load_shipped(shipped[i]);
        ck_assert_str_eq(sl_template_name(tpl), shipped[i]);
        ck_assert_msg(strlen(sl_template_description(tpl)) > 10, "%s has no description",
                      shipped[i]);
        ck_assert_ptr_nonnull(strstr(sl_template_path(tpl), shipped[i]));
        sl_template_free(tpl);
    }
}
END_TEST

START_TEST(shipped_templates_say_what_they_should)
{
    sl_template *ups = load_shipped("ups-worldship");
    ck_assert_int_eq(sl_template_format(ups), SL_FORMAT_CSV);
    ck_assert_int_eq(sl_template_encoding(ups), SL_ENCODING_WINDOWS1252);
    size_t count;
    const char *const *formats = sl_template_date_formats(ups, &count);
    ck_assert_uint_ge(count, 1);
    ck_assert_str_eq(formats[0], "%Y%m%d");
    ck_assert_int_eq(sl_template_notify_default(ups), -1);
    ck_assert_int_eq(sl_template_verify_tracking(ups), 1);
    sl_template_free(ups);

    sl_template *cxml = load_shipped("cxml-shipnotice");
    ck_assert_int_eq(sl_template_format(cxml), SL_FORMAT_XML);
    ck_assert_int_eq(sl_template_encoding(cxml), SL_ENCODING_AUTO);
    sl_template_free(cxml);

    sl_template *station = load_shipped("shipstation-shipments");
    ck_assert_int_eq(sl_template_notify_default(station), 0);
    sl_template_free(station);
    sl_template *lines = load_shipped("sku-lines");
    ck_assert_int_eq(sl_template_notify_default(lines), 1);
    sl_template_free(lines);
}
END_TEST

START_TEST(list_is_sorted_and_holds_the_shipped_templates)
{
    use_template_path(NULL);
    size_t count = 0;
    sl_error err = { "" };
    char **names = sl_template_list(&count, &err);
    ck_assert_msg(names != NULL, "%s", err.message);
    for (size_t i = 0; i < SHIPPED_COUNT; i++) {
        int found = 0;
        for (size_t k = 0; k < count; k++)
            found |= strcmp(names[k], shipped[i]) == 0;
        ck_assert_msg(found, "%s not listed", shipped[i]);
    }
    for (size_t k = 1; k < count; k++)
        ck_assert_int_lt(strcmp(names[k - 1], names[k]), 0);
    sl_template_names_free(names, count);
}
END_TEST

#define MINIMAL_CSV(extra)                                                                    \
    "{\"name\": \"mine\", \"format\": \"csv\", " extra                                         \
    " \"fields\": {\"order_ref\": \"order\", \"tracking_numbers\": \"tracking\"}}"

START_TEST(search_path_order_listing_and_export_only_files)
{
    char *dir = make_scratch_dir();
    /* an earlier directory's generic-csv hides the shipped one */
    free(write_file(dir, "generic-csv.json",
                    "{\"name\": \"generic-csv\", \"description\": \"overridden\", \"format\": "
                    "\"csv\", \"fields\": {\"order_ref\": \"o\", \"tracking_numbers\": \"t\"}}"));
    free(write_file(dir, "mine.json", MINIMAL_CSV("")));
    free(write_file(dir, "export-only.json", "{\"name\": \"export-only\", \"export\": {}}"));
    free(write_file(dir, "broken.json", "{ not json"));
    free(write_file(dir, "README.txt", "not a template"));
    use_template_path(dir);

    sl_error err = { "" };
    sl_template *tpl = sl_template_load("generic-csv", &err);
    ck_assert_msg(tpl != NULL, "%s", err.message);
    ck_assert_str_eq(sl_template_description(tpl), "overridden");
    sl_template_free(tpl);

    size_t count = 0;
    char **names = sl_template_list(&count, &err);
    int mine = 0, generic = 0, export_only = 0, broken = 0, readme = 0;
    for (size_t i = 0; i < count; i++) {
        mine += strcmp(names[i], "mine") == 0;
        generic += strcmp(names[i], "generic-csv") == 0;
        export_only += strcmp(names[i], "export-only") == 0;
        broken += strcmp(names[i], "broken") == 0;
        readme += strcmp(names[i], "README") == 0;
    }
    ck_assert_int_eq(mine, 1);
    ck_assert_int_eq(generic, 1);      /* listed once though found twice */
    ck_assert_int_eq(export_only, 0);  /* export layouts are not import templates */
    ck_assert_int_eq(broken, 1);       /* listed, so `templates list` can name it as broken */
    ck_assert_int_eq(readme, 0);
    sl_template_names_free(names, count);

    /* by path, and by a name that is not there */
    char path[4200];
    snprintf(path, sizeof(path), "%s/mine.json", dir);
    tpl = sl_template_load(path, &err);
    ck_assert_msg(tpl != NULL, "%s", err.message);
    sl_template_free(tpl);
    ck_assert_ptr_null(sl_template_load("no-such-template", &err));
    ck_assert_ptr_nonnull(strstr(err.message, "no template named 'no-such-template'"));
    ck_assert_ptr_null(sl_template_load("Bad Name!", &err));
    ck_assert_ptr_nonnull(strstr(err.message, "not a template name"));

    /* a file whose "name" is not its file name, found by name */
    free(write_file(dir, "other.json", MINIMAL_CSV("")));
    ck_assert_ptr_null(sl_template_load("other", &err));
    ck_assert_ptr_nonnull(strstr(err.message, "other.json: name: 'mine' does not match"));
    remove_tree(dir);
    free(dir);
}
END_TEST

/* ---- strictness: each broken template fails naming the file and the key ---- */

typedef struct bad_case {
    const char *json;
    const char *expected;   /* must appear in the message, after "t.json: " */
} bad_case;

static const bad_case bad_cases[] = {
    { "{ \"name\": \"x\", ", "t.json:1:" },
    { "[1, 2]", "a template is a JSON object" },
    { "{\"name\": \"x\", \"name\": \"y\"}", "not valid JSON" },
    { MINIMAL_CSV("\"colour\": \"red\","), "colour: unknown key (expected one of: comment, name" },
    { "{\"format\": \"csv\", \"fields\": {}}", "name: missing" },
    { "{\"name\": \"Has Spaces\", \"format\": \"csv\"}", "name: 'Has Spaces' is not a valid name" },
    { "{\"name\": \"x\", \"fields\": {}}", "format: missing" },
    { "{\"name\": \"x\", \"format\": \"xls\"}", "format: unknown format 'xls'" },
    { "{\"name\": \"x\", \"format\": 3}", "format: must be \"csv\" or \"xml\", not an integer" },
    { MINIMAL_CSV("\"encoding\": \"klingon\","), "encoding: unknown encoding 'klingon'" },
    { MINIMAL_CSV("\"csv\": {\"delimiter\": \",,\"},"), "csv.delimiter: must be \"sniff\" or one" },
    { MINIMAL_CSV("\"csv\": {\"header\": \"yes\"},"), "csv.header: must be true or false" },
    { MINIMAL_CSV("\"csv\": {\"sep\": \";\"},"), "csv.sep: unknown key" },
    { MINIMAL_CSV("\"xml\": {\"record\": \"r\"},"), "xml: only for \"format\": \"xml\"" },
    { MINIMAL_CSV("\"date_formats\": [\"%Y-%Q\"],"), "date_formats[0]: '%Y-%Q': unknown conversion" },
    { MINIMAL_CSV("\"date_formats\": [\"today\"],"), "date_formats[0]: 'today' has no date conversion" },
    { MINIMAL_CSV("\"date_formats\": \"%Y\","), "date_formats: must be an array of strings" },
    { MINIMAL_CSV("\"notify_default\": \"Y\","), "notify_default: must be true or false" },
    { MINIMAL_CSV("\"verify_tracking\": 1,"), "verify_tracking: must be true or false" },
    { MINIMAL_CSV("\"detect\": {\"root\": \"x\"},"), "detect.root: only for XML templates" },
    { MINIMAL_CSV("\"detect\": {\"columns\": []},"), "detect.columns: must be a non-empty array" },
    { MINIMAL_CSV("\"detect\": {\"columns\": [\"a\", 2]},"), "detect.columns[1]: must be a column name" },
    { MINIMAL_CSV("\"csv\": {\"header\": false}, \"detect\": {\"columns\": [\"a\"]},"),
      "detect.columns: needs a header row (csv.header is false)" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"csv\": {\"header\": false}, \"fields\": "
      "{\"order_ref\": 1, \"tracking_numbers\": \"t\"}}",
      "fields.tracking_numbers.column: the file has no header (csv.header is false)" },
    { MINIMAL_CSV("\"export\": 5,"), "export: must be an object, not an integer" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"export\": {}}", "an export-only template" },
    { "{\"name\": \"x\", \"format\": \"csv\"}", "fields: missing" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"tracking_numbers\": \"t\"}}",
      "fields.order_ref: missing" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\"}}",
      "fields.tracking_numbers: missing" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_number\": \"t\"}}", "fields.tracking_number: unknown field" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_numbers\": \"t\", \"quantity\": {\"column\": \"q\", \"transforms\": "
      "[\"trim\", \"uper\"]}}}", "fields.quantity.transforms[1]: unknown transform 'uper'" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_numbers\": \"t\", \"quantity\": {\"column\": \"q\", \"colour\": 1}}}",
      "fields.quantity.colour: unknown key" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_numbers\": \"t\", \"sku\": {\"column\": 0}}}",
      "fields.sku.column: column numbers start at 1" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_numbers\": \"t\", \"sku\": {\"column\": \"s\", \"value\": \"X\"}}}",
      "fields.sku: needs exactly one of \"column\", \"value\" or \"xpath\"" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_numbers\": \"t\", \"sku\": {}}}", "fields.sku: needs exactly one of" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_numbers\": \"t\", \"sku\": true}}", "fields.sku: must be a column name" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_numbers\": \"t\", \"sku\": []}}", "fields.sku: an array of alternatives must" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_numbers\": \"t\", \"sku\": {\"column\": \"s\", \"kind\": \"id\"}}}",
      "fields.sku.kind: only for order_ref" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": {\"column\": \"o\", "
      "\"kind\": \"number\"}, \"tracking_numbers\": \"t\"}}",
      "fields.order_ref.kind: unknown kind 'number'" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_numbers\": \"t\", \"order_ref_kind\": {\"value\": \"number\"}}}",
      "fields.order_ref_kind.value: unknown kind 'number'" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_numbers\": \"t\", \"sku\": {\"column\": \"s\", \"split\": [\";\"]}}}",
      "fields.sku.split: only for tracking_numbers" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_numbers\": {\"column\": \"t\", \"split\": [\"\"]}}}",
      "fields.tracking_numbers.split[0]: must not be empty" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_numbers\": \"t\", \"carrier\": {\"value\": \"UPS\", \"transforms\": []}}}",
      "fields.carrier.transforms: not used with a constant" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_numbers\": \"t\", \"carrier\": {\"column\": \"c\", \"map\": {\"a\": 1}}}}",
      "fields.carrier.map.a: must be a string, not an integer" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_numbers\": \"t\", \"carrier\": {\"column\": \"c\", \"map\": {\"ups\": \"UPS\", "
      "\"UPS\": \"UPS\"}}}}", "fields.carrier.map.UPS: listed twice" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_numbers\": {\"xpath\": \"t\"}}}",
      "fields.tracking_numbers.xpath: only for XML templates" },
    { "{\"name\": \"x\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_numbers\": {\"column\": \"t\", \"level\": \"item\"}}}",
      "fields.tracking_numbers.level: only with xpath" },
    { MINIMAL_CSV("\"rules\": {},"), "rules: must be an array" },
    { MINIMAL_CSV("\"rules\": [{\"then\": \"skip\"}],"), "rules[0].when: missing" },
    { MINIMAL_CSV("\"rules\": [{\"when\": {\"column\": \"v\", \"equals\": \"Y\"}}],"),
      "rules[0].then: missing" },
    { MINIMAL_CSV("\"rules\": [{\"when\": {\"column\": \"v\", \"equals\": \"Y\"}, "
                  "\"then\": \"delete\"}],"), "rules[0].then: must be \"skip\"" },
    { MINIMAL_CSV("\"rules\": [{\"when\": {\"column\": \"v\"}, \"then\": \"skip\"}],"),
      "rules[0].when: needs exactly one test" },
    { MINIMAL_CSV("\"rules\": [{\"when\": {\"column\": \"v\", \"equals\": \"Y\", \"empty\": true},"
                  " \"then\": \"skip\"}],"), "rules[0].when: needs exactly one test" },
    { MINIMAL_CSV("\"rules\": [{\"when\": {\"value\": \"v\", \"equals\": \"Y\"}, "
                  "\"then\": \"skip\"}],"), "rules[0].when.value: unknown key" },
    { MINIMAL_CSV("\"rules\": [{\"when\": {\"column\": \"v\", \"in\": []}, \"then\": \"skip\"}],"),
      "rules[0].when.in: must not be empty" },
    { MINIMAL_CSV("\"rules\": [{\"when\": {\"column\": \"v\", \"equals\": \"Y\"}, "
                  "\"then\": \"cancel\", \"message\": \"m\"}],"),
      "rules[0].message: only for \"then\": \"skip\"" },
    { "{\"name\": \"x\", \"format\": \"xml\", \"fields\": {\"order_ref\": \"o\", "
      "\"tracking_numbers\": \"t\"}}", "xml: missing" },
    { "{\"name\": \"x\", \"format\": \"xml\", \"xml\": {}, \"fields\": {}}", "xml.record: missing" },
    { "{\"name\": \"x\", \"format\": \"xml\", \"xml\": {\"record\": \"a:b\"}, \"fields\": {}}",
      "xml.record: 'a:b' is not an element's local name" },
    { "{\"name\": \"x\", \"format\": \"xml\", \"xml\": {\"record\": \"r\", \"item\": \"a[[\"}, "
      "\"fields\": {}}", "xml.item: 'a[[' is not a valid XPath expression" },
    { "{\"name\": \"x\", \"format\": \"xml\", \"xml\": {\"record\": \"r\", \"namespaces\": "
      "{\"m\": 5}}, \"fields\": {}}", "xml.namespaces.m: must be a string" },
    { "{\"name\": \"x\", \"format\": \"xml\", \"xml\": {\"record\": \"r\"}, \"fields\": "
      "{\"order_ref\": \"m:order\", \"tracking_numbers\": \"t\"}}",
      "fields.order_ref.xpath: 'm:order': undeclared namespace prefix" },
    { "{\"name\": \"x\", \"format\": \"xml\", \"xml\": {\"record\": \"r\"}, \"fields\": "
      "{\"order_ref\": \"frobnicate(@a)\", \"tracking_numbers\": \"t\"}}",
      "fields.order_ref.xpath: 'frobnicate(@a)': unknown XPath function" },
    { "{\"name\": \"x\", \"format\": \"xml\", \"xml\": {\"record\": \"r\"}, \"fields\": "
      "{\"order_ref\": {\"column\": \"o\"}, \"tracking_numbers\": \"t\"}}",
      "fields.order_ref.column: not for an XML template (use xpath)" },
    { "{\"name\": \"x\", \"format\": \"xml\", \"xml\": {\"record\": \"r\"}, \"fields\": "
      "{\"order_ref\": {\"xpath\": \"@o\", \"level\": \"item\"}, \"tracking_numbers\": \"t\"}}",
      "fields.order_ref.level: \"item\" needs xml.item" },
    { "{\"name\": \"x\", \"format\": \"xml\", \"xml\": {\"record\": \"r\", \"item\": \"i\"}, "
      "\"fields\": {\"order_ref\": {\"xpath\": \"@o\", \"level\": \"line\"}, "
      "\"tracking_numbers\": \"t\"}}", "fields.order_ref.level: must be \"record\" or \"item\"" },
    { "{\"name\": \"x\", \"format\": \"xml\", \"xml\": {\"record\": \"r\"}, \"fields\": "
      "{\"order_ref\": {\"xpath\": \"@o\", \"name\": \"dup\"}, \"tracking_numbers\": "
      "{\"xpath\": \"t\", \"name\": \"dup\"}}}", "two XPaths are named 'dup'" },
    { "{\"name\": \"x\", \"format\": \"xml\", \"xml\": {\"record\": \"r\"}, \"detect\": "
      "{\"columns\": [\"a\"]}, \"fields\": {}}", "detect.columns: only for CSV templates" },
    { "{\"name\": \"x\", \"format\": \"xml\", \"xml\": {\"record\": \"r\"}, \"detect\": "
      "{\"root_namespace\": \"urn:x\"}, \"fields\": {}}", "detect.root_namespace: needs detect.root" },
};

START_TEST(broken_templates_name_the_file_and_the_key)
{
    const bad_case *bad = &bad_cases[_i];
    char message[600];
    sl_template *tpl = load_text("t.json", bad->json, message, sizeof(message));
    ck_assert_msg(tpl == NULL, "case %d loaded but should fail with '%s'", _i, bad->expected);
    ck_assert_msg(strstr(message, "t.json") != NULL, "case %d: no file name in '%s'", _i,
                  message);
    ck_assert_msg(strstr(message, bad->expected) != NULL, "case %d: expected '%s' in '%s'", _i,
                  bad->expected, message);
}
END_TEST

START_TEST(a_missing_file_is_named)
{
    sl_error err = { "" };
    ck_assert_ptr_null(sl_template_load_file("/nonexistent/dir/x.json", &err));
    ck_assert_ptr_nonnull(strstr(err.message, "/nonexistent/dir/x.json: cannot read"));
    ck_assert_ptr_null(sl_template_load("/nonexistent/dir/x.json", &err));
    ck_assert_ptr_nonnull(strstr(err.message, "/nonexistent/dir/x.json"));
}
END_TEST

/* An import template may also hold the export layout (read by `shipload export`). */
START_TEST(an_export_layout_beside_the_fields_is_left_alone)
{
    sl_template *tpl = load_ok(MINIMAL_CSV("\"export\": {\"columns\": [\"order_number\"]},"));
    ck_assert_str_eq(sl_template_name(tpl), "mine");
    sl_template_free(tpl);
}
END_TEST

START_TEST(good_template_with_every_feature_loads)
{
    sl_template *tpl = load_ok(
        "{\"name\": \"full\", \"description\": \"all of it\", \"comment\": \"c\", "
        "\"format\": \"csv\", \"encoding\": \"latin-1\", "
        "\"csv\": {\"delimiter\": \"\\t\", \"header\": true, \"quote\": \"'\"}, "
        "\"detect\": {\"columns\": [[\"order\", \"order_no\"], \"tracking\"]}, "
        "\"date_formats\": [\"%d/%m/%Y\", \"%Y%m%d\"], \"notify_default\": true, "
        "\"verify_tracking\": false, "
        "\"fields\": {\"order_ref\": [{\"column\": \"order_id\", \"kind\": \"id\"}, "
        "{\"column\": \"order\", \"kind\": \"name\", \"transforms\": [\"trim\", \"strip_hash\"]}], "
        "\"tracking_numbers\": {\"column\": \"tracking\", \"split\": [\";\", \" / \"]}, "
        "\"carrier\": {\"column\": 7, \"map\": {\"ups ground\": \"UPS\"}, \"default\": \"UPS\"}, "
        "\"location_id\": {\"value\": \"loc_1\"}, \"order_ref_kind\": {\"value\": \"auto\"}}, "
        "\"rules\": [{\"when\": {\"column\": \"void\", \"equals\": \"Y\"}, \"then\": \"skip\", "
        "\"message\": \"voided\"}, {\"when\": {\"column\": 3, \"in\": [\"X\", \"C\"]}, "
        "\"then\": \"cancel\"}, {\"when\": {\"column\": \"t\", \"empty\": false}, \"then\": \"ship\"}]}");
    ck_assert_str_eq(sl_template_name(tpl), "full");
    ck_assert_int_eq(sl_template_encoding(tpl), SL_ENCODING_LATIN1);
    ck_assert_int_eq(sl_template_notify_default(tpl), 1);
    ck_assert_int_eq(sl_template_verify_tracking(tpl), 0);
    size_t count;
    const char *const *formats = sl_template_date_formats(tpl, &count);
    ck_assert_uint_eq(count, 2);
    ck_assert_str_eq(formats[1], "%Y%m%d");
    sl_template_free(tpl);

    tpl = load_ok("{\"name\": \"x\", \"format\": \"xml\", \"xml\": {\"record\": \"shipment\", "
                  "\"namespace\": \"urn:example:asn\", \"item\": \"m:line\", \"namespaces\": "
                  "{\"m\": \"urn:example:asn\"}}, \"detect\": {\"root\": \"asn\", "
                  "\"root_namespace\": \"urn:example:asn\", \"elements\": [\"shipment\"]}, "
                  "\"fields\": {\"order_ref\": \"m:order\", \"tracking_numbers\": "
                  "{\"xpath\": \"m:tracking\", \"split\": [\";\"]}, \"sku\": {\"xpath\": \"@sku\", "
                  "\"level\": \"item\"}}, \"rules\": [{\"when\": {\"xpath\": \"@status\", "
                  "\"equals\": \"void\"}, \"then\": \"skip\"}]}");
    ck_assert_int_eq(sl_template_format(tpl), SL_FORMAT_XML);
    sl_template_free(tpl);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("template_load");
    TCase *tc = tcase_create("load");
    tcase_add_test(tc, every_shipped_template_loads);
    tcase_add_test(tc, shipped_templates_say_what_they_should);
    tcase_add_test(tc, list_is_sorted_and_holds_the_shipped_templates);
    tcase_add_test(tc, search_path_order_listing_and_export_only_files);
    tcase_add_test(tc, an_export_layout_beside_the_fields_is_left_alone);
    tcase_add_loop_test(tc, broken_templates_name_the_file_and_the_key, 0,
                        (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
    tcase_add_test(tc, a_missing_file_is_named);
    tcase_add_test(tc, good_template_with_every_feature_loads);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
