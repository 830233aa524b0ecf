/* test_template_detect.c: sl_template_detect on real streams. Every bundled sample (plain and
 * gzipped) is recognised as its own template; a CSV whose header fits no template, or an XML
 * document with another root, is refused naming what was seen and the templates tried; two
 * templates needing as many columns tie (an error naming both); the one needing more columns
 * wins; the peek does not consume the stream. Also the reader each template asks for. */
#include "test_template_util.h"
#include "shipload/input.h"

static const struct {
    const char *file;
    const char *template_name;
} samples[] = {
    { "generic-csv.csv", "generic-csv" },
    { "sku-lines.csv", "sku-lines" },
    { "ups-worldship.csv", "ups-worldship" },
    { "fedex-shipmanager.csv", "fedex-shipmanager" },
    { "shipstation-shipments.csv", "shipstation-shipments" },
    { "cxml-shipnotice.xml", "cxml-shipnotice" },
    { "generic-xml.xml", "generic-xml" },
    { "cxml-shipnotice-whole-order.xml", "cxml-shipnotice" },
    { "shipstation-shipnotice.xml", "shipstation-shipnotice" },
    { "stamps-com-batch.xml", "stamps-com-batch" },
    { "ups-worldship-out.Out", "ups-worldship-out" },
    { "ups-worldship-xml.xml", "ups-worldship-xml" },
    { "ups-worldship-map.csv", "ups-worldship-map" },
    { "woocommerce-ast.csv", "woocommerce-ast" },
};
#define SAMPLE_COUNT (sizeof(samples) / sizeof(samples[0]))

/* Detects path's template; returns its name (caller frees) or NULL with the error in message. */
static char *detect_path(const char *path, char *message, size_t cap)
{
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    ck_assert_msg(stream != NULL, "%s: %s", path, err.message);
    sl_template *tpl = sl_template_detect(stream, &err);
    char *name = tpl ? strdup(sl_template_name(tpl)) : NULL;
    if (message)
        snprintf(message, cap, "%s", err.message);
    sl_template_free(tpl);
    sl_stream_close(stream);
    return name;
}

static char *detect_text(const char *dir, const char *text, char *message, size_t cap)
{
    char *path = write_file(dir, "input", text);
    char *name = detect_path(path, message, cap);
    free(path);
    return name;
}

START_TEST(every_sample_is_its_own_template)
{
    use_template_path(NULL);
    for (size_t i = 0; i < SAMPLE_COUNT; i++) {
        for (int gzipped = 0; gzipped <= 1; gzipped++) {
            char path[4096];
            snprintf(path, sizeof(path), "%s/samples/%s%s", source_dir(), samples[i].file,
                     gzipped ? ".gz" : "");
            char message[600];
            char *name = detect_path(path, message, sizeof(message));
            ck_assert_msg(name != NULL, "%s: %s", path, message);
            ck_assert_str_eq(name, samples[i].template_name);
            free(name);
        }
    }
}
END_TEST

START_TEST(header_variants_still_fit)
{
    use_template_path(NULL);
    char *dir = make_scratch_dir();
    char message[600];
    /* the e2e layout: few columns, lowercase, another order */
    char *name = detect_text(dir, "order_number,tracking_number,carrier,sku,quantity\n"
                                  "#1001,1Z999AA10123456784,UPS,SKU-1,1\n", message, sizeof(message));
    ck_assert_msg(name && strcmp(name, "generic-csv") == 0, "%s", message);
    free(name);
    /* semicolons, upper case, spaces around names, order_id instead of order_number */
    name = detect_text(dir, " TRACKING_NUMBER ; Order_Id ;carrier\r\n1Z999AA10123456784;55;UPS\r\n",
                       message, sizeof(message));
    ck_assert_msg(name && strcmp(name, "generic-csv") == 0, "%s", message);
    free(name);
    /* tabs, quoted names, a header only */
    name = detect_text(dir, "\"Order #\"\t\"Tracking #\"\t\"Provider\"\t\"Ship Date\"\n", message,
                       sizeof(message));
    ck_assert_msg(name && strcmp(name, "shipstation-shipments") == 0, "%s", message);
    free(name);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(nothing_fits_names_what_was_seen_and_what_was_tried)
{
    use_template_path(NULL);
    char *dir = make_scratch_dir();
    char message[600];
    char *name = detect_text(dir, "alpha,beta\n1,2\n", message, sizeof(message));
    ck_assert_ptr_null(name);
    ck_assert_msg(strstr(message, "no template fits") != NULL, "%s", message);
    ck_assert_msg(strstr(message, "alpha, beta") != NULL, "%s", message);
    ck_assert_msg(strstr(message, "generic-csv") != NULL, "%s", message);
    ck_assert_msg(strstr(message, "ups-worldship") != NULL, "%s", message);

    name = detect_text(dir, "<?xml version=\"1.0\"?>\n<invoices><invoice/></invoices>\n", message,
                       sizeof(message));
    ck_assert_ptr_null(name);
    ck_assert_msg(strstr(message, "root element <invoices>") != NULL, "%s", message);
    ck_assert_msg(strstr(message, "cxml-shipnotice") != NULL, "%s", message);

    /* the root fits generic-xml but its record element never appears */
    name = detect_text(dir, "<shipments><note/></shipments>", message, sizeof(message));
    ck_assert_ptr_null(name);
    /* random bytes are not a crash */
    name = detect_text(dir, "\x01\x02\xff\xfe garbage\n\x80\x81", message, sizeof(message));
    ck_assert_ptr_null(name);
    ck_assert_msg(strstr(message, "no template fits") != NULL, "%s", message);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(a_tie_is_an_error_and_more_columns_win)
{
    char *templates = make_scratch_dir();
    free(write_file(templates, "zeta-one.json",
                    "{\"name\": \"zeta-one\", \"format\": \"csv\", \"detect\": {\"columns\": "
                    "[\"zeta_order\", \"zeta_tracking\"]}, \"fields\": {\"order_ref\": "
                    "\"zeta_order\", \"tracking_numbers\": \"zeta_tracking\"}}"));
    free(write_file(templates, "zeta-two.json",
                    "{\"name\": \"zeta-two\", \"format\": \"csv\", \"detect\": {\"columns\": "
                    "[\"zeta_tracking\", [\"zeta_order\", \"zeta_ref\"]]}, \"fields\": "
                    "{\"order_ref\": \"zeta_order\", \"tracking_numbers\": \"zeta_tracking\"}}"));
    free(write_file(templates, "zeta-three.json",
                    "{\"name\": \"zeta-three\", \"format\": \"csv\", \"detect\": {\"columns\": "
                    "[\"zeta_order\", \"zeta_tracking\", \"zeta_box\"]}, \"fields\": "
                    "{\"order_ref\": \"zeta_order\", \"tracking_numbers\": \"zeta_tracking\"}}"));
    use_template_path(templates);
    char *dir = make_scratch_dir();
    char message[600];
    char *name = detect_text(dir, "zeta_order,zeta_tracking\n1,2\n", message, sizeof(message));
    ck_assert_ptr_null(name);
    ck_assert_msg(strstr(message, "several templates fit equally well") != NULL, "%s", message);
    ck_assert_msg(strstr(message, "zeta-one") && strstr(message, "zeta-two"), "%s", message);

    name = detect_text(dir, "zeta_box,zeta_order,zeta_tracking\n1,2,3\n", message,
                       sizeof(message));
    ck_assert_msg(name && strcmp(name, "zeta-three") == 0, "%s", message);
    free(name);
    remove_tree(dir);
    free(dir);
    remove_tree(templates);
    free(templates);
}
END_TEST

/* Each file of the template path is read once: a file that is not JSON and one whose name
 * differs from its file's are named as not loading, an export layout is neither tried nor
 * named, and the template that fits is still found. `templates list` names the same files. */
START_TEST(broken_misnamed_and_export_only_files)
{
    char *templates = make_scratch_dir();
    free(write_file(templates, "kappa.json",
                    "{\"name\": \"kappa\", \"format\": \"csv\", \"detect\": {\"columns\": "
                    "[\"kappa_order\", \"kappa_tracking\"]}, \"fields\": {\"order_ref\": "
                    "\"kappa_order\", \"tracking_numbers\": \"kappa_tracking\"}}"));
    free(write_file(templates, "broken.json", "{\"name\": \"broken\", "));
    free(write_file(templates, "misnamed.json",
                    "{\"name\": \"other\", \"format\": \"csv\", \"detect\": {\"columns\": "
                    "[\"kappa_order\"]}, \"fields\": {\"order_ref\": \"kappa_order\", "
                    "\"tracking_numbers\": \"kappa_tracking\"}}"));
    free(write_file(templates, "layout.json",
                    "{\"name\": \"layout\", \"export\": {\"format\": \"csv\", \"columns\": "
                    "[{\"name\": \"order\", \"field\": \"order_name\"}]}}"));
    use_template_path(templates);
    char *dir = make_scratch_dir();
    char message[600];
    char *name = detect_text(dir, "kappa_tracking,kappa_order\n1,2\n", message, sizeof(message));
    ck_assert_msg(name && strcmp(name, "kappa") == 0, "%s", message);
    free(name);
    name = detect_text(dir, "lambda\n1\n", message, sizeof(message));
    ck_assert_ptr_null(name);
    ck_assert_msg(strstr(message, "could not load: broken, misnamed") != NULL, "%s", message);
    ck_assert_msg(strstr(message, "kappa") != NULL, "%s", message);
    ck_assert_msg(strstr(message, "layout") == NULL, "%s", message);
    size_t count = 0;
    sl_error err = { "" };
    char **names = sl_template_list(&count, &err);
    int listed = 0;   /* the bundled templates are on the path too */
    for (size_t i = 0; i < count; i++) {
        ck_assert_str_ne(names[i], "layout");
        listed += strcmp(names[i], "broken") == 0 || strcmp(names[i], "kappa") == 0 ||
                  strcmp(names[i], "misnamed") == 0;
        ck_assert(i == 0 || strcmp(names[i - 1], names[i]) < 0);   /* in name order */
    }
    ck_assert_int_eq(listed, 3);
    sl_template_names_free(names, count);
    sl_template *tpl = sl_template_load("misnamed", &err);
    ck_assert_ptr_null(tpl);
    ck_assert_msg(strstr(err.message, "does not match the file name") != NULL, "%s", err.message);
    remove_tree(dir);
    free(dir);
    remove_tree(templates);
    free(templates);
}
END_TEST

START_TEST(xml_root_namespace_is_checked)
{
    char *templates = make_scratch_dir();
    free(write_file(templates, "ns-asn.json",
                    "{\"name\": \"ns-asn\", \"format\": \"xml\", \"xml\": {\"record\": \"shipment\", "
                    "\"namespace\": \"urn:example:asn\", \"namespaces\": {\"a\": \"urn:example:asn\"}},"
                    " \"detect\": {\"root\": \"asn\", \"root_namespace\": \"urn:example:asn\", "
                    "\"elements\": [\"shipment\"]}, \"fields\": {\"order_ref\": \"a:order\", "
                    "\"tracking_numbers\": \"a:tracking\"}}"));
    use_template_path(templates);
    char *dir = make_scratch_dir();
    char message[600];
    char *name = detect_text(dir, "<asn xmlns=\"urn:example:asn\"><shipment/></asn>", message,
                             sizeof(message));
    ck_assert_msg(name && strcmp(name, "ns-asn") == 0, "%s", message);
    free(name);
    name = detect_text(dir, "<asn xmlns=\"urn:other\"><shipment/></asn>", message, sizeof(message));
    ck_assert_ptr_null(name);
    remove_tree(dir);
    free(dir);
    remove_tree(templates);
    free(templates);
}
END_TEST

START_TEST(detection_does_not_consume_the_stream)
{
    use_template_path(NULL);
    char path[4096];
    snprintf(path, sizeof(path), "%s/samples/generic-csv.csv", source_dir());
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    ck_assert_ptr_nonnull(stream);
    sl_template *tpl = sl_template_detect(stream, &err);
    ck_assert_msg(tpl != NULL, "%s", err.message);
    sl_reader *reader = sl_template_reader_new(tpl, stream, &err);
    ck_assert_msg(reader != NULL, "%s", err.message);
    ck_assert_int_eq(sl_reader_start(reader, &err), 0);
    const sl_header *header = sl_reader_header(reader);
    ck_assert_ptr_nonnull(header->names);
    ck_assert_str_eq(header->names[0], "order_number");
    sl_mapper *mapper = sl_mapper_new(tpl, header, &err);
    ck_assert_msg(mapper != NULL, "%s", err.message);
    const sl_record *record;
    ck_assert_int_eq(sl_reader_next(reader, &record, &err), 1);
    sl_row row;
    sl_row_init(&row);
    ck_assert_int_eq(sl_mapper_map(mapper, record, &row), 0);
    ck_assert_str_eq(row.order_ref, "#1001");
    ck_assert_uint_eq(row.record, 1);
    ck_assert_uint_eq(row.line, 2);
    sl_row_clear(&row);
    sl_mapper_free(mapper);
    sl_reader_free(reader);
    sl_template_free(tpl);
    sl_stream_close(stream);
}
END_TEST

/* The XML reader built from a template yields rows the mapper understands. */
START_TEST(cxml_sample_reads_one_row_per_item)
{
    use_template_path(NULL);
    char path[4096];
    snprintf(path, sizeof(path), "%s/samples/cxml-shipnotice.xml", source_dir());
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    ck_assert_ptr_nonnull(stream);
    sl_template *tpl = sl_template_load("cxml-shipnotice", &err);
    ck_assert_msg(tpl != NULL, "%s", err.message);
    sl_reader *reader = sl_template_reader_new(tpl, stream, &err);
    ck_assert_msg(reader != NULL, "%s", err.message);
    ck_assert_int_eq(sl_reader_start(reader, &err), 0);
    sl_mapper *mapper = sl_mapper_new(tpl, sl_reader_header(reader), &err);
    ck_assert_msg(mapper != NULL, "%s", err.message);
    const char *expected_orders[] = { "6001", "6001", "6001", "6001", "6002", "6002", "6002" };
    const char *expected_skus[] = { "TONER-HP-410X-K", "PAPER-LTR-CASE", "PEN-GEL-BLU-12",
                                    "PAPER-A4-WHT", "STAPLER-HD", "FOLDER-HANG-25",
                                    "LABEL-ADDR-3000" };
    const sl_record *record;
    size_t rows = 0;
    int rc;
    while ((rc = sl_reader_next(reader, &record, &err)) == 1) {
        sl_row row;
        sl_row_init(&row);
        ck_assert_int_eq(sl_mapper_map(mapper, record, &row), 0);
        ck_assert_uint_lt(rows, 7);
        ck_assert_str_eq(or_empty(row.order_ref), expected_orders[rows]);
        ck_assert_str_eq(or_empty(row.sku), expected_skus[rows]);
        ck_assert_uint_eq(row.tracking_count, 1);
        ck_assert_str_eq(row.tracking_numbers[0], "1Z2R7E550390600121");
        ck_assert_str_eq(or_empty(row.carrier), "UPS");
        ck_assert_str_eq(or_empty(sl_row_cols(&row)->action_text), "ship");
        sl_row_clear(&row);
        rows++;
    }
    ck_assert_msg(rc == 0, "%s", err.message);
    ck_assert_uint_eq(rows, 7);
    sl_mapper_free(mapper);
    sl_reader_free(reader);
    sl_template_free(tpl);
    sl_stream_close(stream);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("template_detect");
    TCase *tc = tcase_create("detect");
    tcase_add_test(tc, every_sample_is_its_own_template);
    tcase_add_test(tc, header_variants_still_fit);
    tcase_add_test(tc, nothing_fits_names_what_was_seen_and_what_was_tried);
    tcase_add_test(tc, a_tie_is_an_error_and_more_columns_win);
    tcase_add_test(tc, broken_misnamed_and_export_only_files);
    tcase_add_test(tc, xml_root_namespace_is_checked);
    tcase_add_test(tc, detection_does_not_consume_the_stream);
    tcase_add_test(tc, cxml_sample_reads_one_row_per_item);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
