/* test_template_features.c: what real manifests need from templates. Header names that match
 * ignoring case, spaces, '_', '-', '.' and '#', and aliases (generic-csv reads "Order #",
 * "Tracking No", "Shipping Carrier", "Qty", "Date Shipped"); a field inherited from an earlier
 * record sharing a key (FedEx multi-piece shipments); rule conditions with "not"; an XML
 * default namespace taken off the record so XPaths need no prefix; notices for unread
 * columns that look like fields; and detection's messages: the closest template and what it
 * lacks, malformed XML with its line, EDI, a first line of data, headerless layouts by
 * detect.row, the template that reads more columns winning a tie, a forced XML template whose
 * record never occurs. */
#include "test_template_util.h"
#include "shipload/input.h"

static sl_mapper *mapper_for(const sl_template *tpl, const sl_header *header)
{
    sl_error err = { "" };
    sl_mapper *mapper = sl_mapper_new(tpl, header, &err);
    ck_assert_msg(mapper != NULL, "mapper: %s", err.message);
    return mapper;
}

START_TEST(column_keys_ignore_case_spaces_and_punctuation)
{
    sl_template *tpl = load_shipped("generic-csv");
    static const char *const names[] = { "ORDER-NUMBER", "Tracking.Number", " Carrier ",
                                         "qty", "Date Shipped" };
    test_header h;
    header_set(&h, 5, names);
    const char *values[] = { "#1001", "1Z8W2A470326110016", "UPS", "2", "2026-11-21" };
    test_record r;
    record_set(&r, 1, 2, 5, values);
    sl_row row;
    map_one(tpl, &h.header, &r.record, &row);
    ck_assert_str_eq(row.order_ref, "#1001");
    ck_assert_str_eq(row.tracking_numbers[0], "1Z8W2A470326110016");
    ck_assert_str_eq(row.carrier, "UPS");
    ck_assert_str_eq(sl_row_cols(&row)->quantity_text, "2");              /* alias Qty */
    ck_assert_str_eq(sl_row_cols(&row)->ship_date_text, "2026-11-21");    /* alias Date Shipped */
    sl_row_clear(&row);
    sl_template_free(tpl);
}
END_TEST

START_TEST(generic_csv_aliases_of_hand_made_files)
{
    sl_template *tpl = load_shipped("generic-csv");
    static const char *const names[] = { "Order #", "Tracking No", "Shipping Carrier", "Qty",
                                         "SKU" };
    test_header h;
    header_set(&h, 5, names);
    const char *values[] = { "1002", "9400111899223631001026", "USPS", "1", "A-1" };
    test_record r;
    record_set(&r, 1, 2, 5, values);
    sl_mapper *mapper = mapper_for(tpl, &h.header);
    ck_assert_uint_eq(sl_mapper_notice_count(mapper), 0);
    sl_row row;
    sl_row_init(&row);
    ck_assert_int_eq(sl_mapper_map(mapper, &r.record, &row), 0);
    ck_assert_str_eq(row.order_ref, "1002");
    ck_assert_int_eq(row.order_ref_kind, SL_REF_NAME);
    ck_assert_str_eq(row.carrier, "USPS");
    ck_assert_str_eq(sl_row_cols(&row)->quantity_text, "1");
    ck_assert_int_eq(sl_mapper_reads_column(mapper, 2), 1);
    sl_row_clear(&row);
    sl_mapper_free(mapper);
    sl_template_free(tpl);
}
END_TEST

START_TEST(unread_columns_that_look_like_fields_are_noticed)
{
    sl_template *tpl = load_shipped("fedex-shipmanager");
    static const char *const names[] = { "Tracking Number", "Customer Reference", "quantiy",
                                         "tracking_provider", "Weight", "Master Tracking Number",
                                         "Recipient Name" };
    test_header h;
    header_set(&h, 7, names);
    sl_mapper *mapper = mapper_for(tpl, &h.header);
    ck_assert_uint_eq(sl_mapper_notice_count(mapper), 1);   /* carrier is a constant: read */
    ck_assert_str_eq(sl_mapper_notice(mapper, 0), "column 'quantiy' is not read: it looks like "
                     "the quantity, which template fedex-shipmanager does not read");
    ck_assert_int_eq(sl_mapper_reads_column(mapper, 4), 0);
    ck_assert_int_eq(sl_mapper_reads_column(mapper, 5), 1);   /* an inheritance key */
    sl_mapper_free(mapper);
    sl_template_free(tpl);

    tpl = load_shipped("generic-csv");   /* a WooCommerce file read as generic-csv: its carrier
                                            column has an alias, its qty too: nothing lost */
    static const char *const woo[] = { "order_id", "tracking_provider", "tracking_number",
                                       "qty", "shipping_carier" };
    header_set(&h, 5, woo);
    mapper = mapper_for(tpl, &h.header);
    ck_assert_uint_eq(sl_mapper_notice_count(mapper), 0);   /* carrier is read already */
    sl_mapper_free(mapper);
    static const char *const typo[] = { "order_number", "tracking_number", "qty shiped" };
    header_set(&h, 3, typo);
    mapper = mapper_for(tpl, &h.header);
    ck_assert_uint_eq(sl_mapper_notice_count(mapper), 1);
    ck_assert_str_eq(sl_mapper_notice(mapper, 0),
                     "column 'qty shiped' is not read; did you mean 'quantity'?");
    sl_mapper_free(mapper);
    sl_template_free(tpl);
}
END_TEST

START_TEST(a_field_inherits_from_an_earlier_record_sharing_a_key)
{
    sl_template *tpl = load_shipped("fedex-shipmanager");
    static const char *const names[] = { "Tracking Numbers Tracking Number",
                                         "Tracking Numbers Master Tracking Number",
                                         "Package Customer Reference", "Package P.O. Number",
                                         "Recipient Contact Name" };
    test_header h;
    header_set(&h, 5, names);
    sl_mapper *mapper = mapper_for(tpl, &h.header);
    const char *rows[][5] = {
        { "774891400307", "774891400307", "4003", "", "A" },   /* the master */
        { "774891400101", "", "", "", "B" },                   /* unrelated, no reference */
        { "774891400318", "774891400307", "", "", "A" },       /* a piece: inherits 4003 */
        { "774891400400", "", "", "4004", "C" },               /* P.O. Number fallback */
        { "774891400329", "774891400999", "", "", "D" },       /* unknown master: empty */
    };
    const char *expected[] = { "4003", NULL, "4003", "4004", NULL };
    for (size_t i = 0; i < 5; i++) {
        test_record r;
        record_set(&r, i + 1, i + 2, 5, rows[i]);
        sl_row row;
        sl_row_init(&row);
        ck_assert_int_eq(sl_mapper_map(mapper, &r.record, &row), 0);
        if (expected[i]) {
            ck_assert_str_eq(or_empty(row.order_ref), expected[i]);
            ck_assert_int_eq(row.order_ref_kind, SL_REF_NAME);
        } else {
            ck_assert_str_eq(or_empty(row.order_ref), "");
        }
        sl_row_clear(&row);
    }
    sl_mapper_free(mapper);
    sl_template_free(tpl);
}
END_TEST

START_TEST(rule_conditions_with_not_and_in)
{
    sl_template *tpl = load_ok(
        "{\"name\": \"t\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
        "\"tracking_numbers\": \"t\"}, \"rules\": [{\"when\": {\"column\": \"status\", \"in\": "
        "[\"Printed\", \"Shipped\"], \"not\": true}, \"then\": \"skip\"}]}");
    static const char *const names[] = { "o", "t", "status" };
    test_header h;
    header_set(&h, 3, names);
    const char *printed[] = { "1", "X", "printed" }, *voided[] = { "1", "X", "Voided" };
    test_record r;
    sl_row row;
    record_set(&r, 1, 2, 3, printed);
    map_one(tpl, &h.header, &r.record, &row);
    ck_assert_int_eq(row.status, SL_STATUS_PENDING);
    sl_row_clear(&row);
    record_set(&r, 2, 3, 3, voided);
    map_one(tpl, &h.header, &r.record, &row);
    ck_assert_int_eq(row.status, SL_STATUS_SKIPPED);
    ck_assert_msg(strstr(or_empty(row.message), "status = Voided") != NULL, "%s",
                  or_empty(row.message));
    sl_row_clear(&row);
    sl_template_free(tpl);
    char message[400];
    ck_assert_ptr_null(load_text("bad.json",
        "{\"name\": \"bad\", \"format\": \"csv\", \"fields\": {\"order_ref\": \"o\", "
        "\"tracking_numbers\": {\"column\": \"t\", \"inherit\": [\"m\"]}}}",
        message, sizeof(message)));
    ck_assert_msg(strstr(message, "fields.tracking_numbers.inherit") != NULL, "%s", message);
}
END_TEST

/* Reads every record of a file through a template; returns the rows' order refs joined. */
static void read_refs(const char *tpl_name, const char *path, char *out, size_t cap)
{
    use_template_path(NULL);
    sl_error err = { "" };
    sl_template *tpl = sl_template_load(tpl_name, &err);
    ck_assert_msg(tpl != NULL, "%s", err.message);
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    ck_assert_msg(stream != NULL, "%s", err.message);
    sl_reader *reader = sl_template_reader_new(tpl, stream, &err);
    ck_assert_msg(reader != NULL, "%s", err.message);
    ck_assert_int_eq(sl_reader_start(reader, &err), 0);
    sl_mapper *mapper = mapper_for(tpl, sl_reader_header(reader));
    const sl_record *record;
    out[0] = '\0';
    while (sl_reader_next(reader, &record, &err) == 1) {
        sl_row row;
        sl_row_init(&row);
        ck_assert_int_eq(sl_mapper_map(mapper, record, &row), 0);
        size_t used = strlen(out);
        snprintf(out + used, cap - used, "%s%s/%s", used ? " " : "", or_empty(row.order_ref),
                 row.tracking_count ? row.tracking_numbers[0] : "");
        sl_row_clear(&row);
    }
    sl_mapper_free(mapper);
    sl_reader_free(reader);
    sl_stream_close(stream);
    sl_template_free(tpl);
}

START_TEST(default_namespace_needs_no_prefix)
{
    char path[4096], refs[1000];
    snprintf(path, sizeof(path), "%s/samples/ups-worldship-xml.xml", source_dir());
    read_refs("ups-worldship-xml", path, refs, sizeof(refs));   /* UTF-16, default namespace */
    ck_assert_str_eq(refs, "3101/1Z1V9E980303110100 3102/1Z1V9E980303110208 "
                           "3102/1Z1V9E980303110217 3103/1Z1V9E980303110306 "
                           "3103/1Z1V9E980303110404 /1Z1V9E980303110502");
    snprintf(path, sizeof(path), "%s/samples/stamps-com-batch.xml", source_dir());
    read_refs("stamps-com-batch", path, refs, sizeof(refs));
    ck_assert_str_eq(refs, "9001/9400111899223690010120 9002/9405511899223690020115 "
                           "9002/9405511899223690020283 9003/9400111899223690030166");
    snprintf(path, sizeof(path), "%s/samples/cxml-shipnotice-whole-order.xml", source_dir());
    read_refs("cxml-shipnotice", path, refs, sizeof(refs));   /* portions without items */
    ck_assert_str_eq(refs, "6101/1Z6H3M200303110106 6102/1Z6H3M200303110106");
}
END_TEST

static char *detect_text(const char *dir, const char *text, char *message, size_t cap)
{
    char *path = write_file(dir, "input", text);
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    ck_assert(stream != NULL);
    sl_template *tpl = sl_template_detect(stream, &err);
    char *name = tpl ? strdup(sl_template_name(tpl)) : NULL;
    snprintf(message, cap, "%s", err.message);
    sl_template_free(tpl);
    sl_stream_close(stream);
    free(path);
    return name;
}

START_TEST(detection_messages_tell_the_truth)
{
    use_template_path(NULL);
    char *dir = make_scratch_dir();
    char message[600];
    /* two of FedEx's four columns: the closest, and what it lacks */
    char *name = detect_text(dir, "Tracking Number,Recipient Contact Name,Weight\n1,2,3\n",
                             message, sizeof(message));
    ck_assert_ptr_null(name);
    ck_assert_msg(strstr(message, "closest: fedex-shipmanager, which lacks the columns "
                                  "'Tracking Numbers Master Tracking Number', "
                                  "'Package Customer Reference'") != NULL, "%s", message);
    /* malformed XML: its line, not "no template fits" */
    name = detect_text(dir, "<?xml version=\"1.0\"?>\n<shipments>\n<shipment order=\"1\">\n"
                            "<tracking>1Z</trackin>\n</shipment>\n</shipments>\n", message,
                       sizeof(message));
    ck_assert_ptr_null(name);
    ck_assert_msg(strstr(message, "malformed XML at line 4") != NULL, "%s", message);
    /* EDI */
    name = detect_text(dir, "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER"
                            "       *261121*0930*U*00401*000000901*0*P*>~GS*SH*S*R~", message,
                       sizeof(message));
    ck_assert_ptr_null(name);
    ck_assert_msg(strstr(message, "X12") && strstr(message, "does not read EDI"), "%s", message);
    name = detect_text(dir, "UNA:+.? 'UNB+UNOC:3+SENDER+RECEIVER+261121:0930+1'", message,
                       sizeof(message));
    ck_assert_ptr_null(name);
    ck_assert_msg(strstr(message, "EDIFACT") != NULL, "%s", message);
    /* a first line of data, not a header */
    name = detect_text(dir, "\"4411\",\"1Z8W2A470326110016\",\"UPS\"\n", message,
                       sizeof(message));
    ck_assert_ptr_null(name);
    ck_assert_msg(strstr(message, "looks like data, not a header") != NULL, "%s", message);
    /* a headerless export map recognised by what its first row holds */
    name = detect_text(dir, "\"N\",\"20261121\",\"3301\",\"1Z3X7K110303110106\","
                            "\"1Z3X7K110303110106\",\"Ground\",\"Blue Ridge\"\n", message,
                       sizeof(message));
    ck_assert_msg(name && strcmp(name, "ups-worldship-map") == 0, "%s", message);
    free(name);
    /* Title Case aliases: generic-csv */
    name = detect_text(dir, "Order #,Tracking No,Shipping Carrier,Qty\n1,2,3,4\n", message,
                       sizeof(message));
    ck_assert_msg(name && strcmp(name, "generic-csv") == 0, "%s", message);
    free(name);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(the_template_reading_more_columns_wins_a_tie)
{
    char *templates = make_scratch_dir();
    free(write_file(templates, "kappa-one.json",
                    "{\"name\": \"kappa-one\", \"format\": \"csv\", \"detect\": {\"columns\": "
                    "[\"k_order\", \"k_tracking\"]}, \"fields\": {\"order_ref\": \"k_order\", "
                    "\"tracking_numbers\": \"k_tracking\"}}"));
    free(write_file(templates, "kappa-two.json",
                    "{\"name\": \"kappa-two\", \"format\": \"csv\", \"detect\": {\"columns\": "
                    "[\"k_order\", \"k_tracking\"]}, \"fields\": {\"order_ref\": \"k_order\", "
                    "\"tracking_numbers\": \"k_tracking\", \"carrier\": \"k_carrier\"}}"));
    use_template_path(templates);
    char *dir = make_scratch_dir();
    char message[600];
    char *name = detect_text(dir, "k_order,k_tracking,k_carrier\n1,2,3\n", message,
                             sizeof(message));
    ck_assert_msg(name && strcmp(name, "kappa-two") == 0, "%s", message);
    free(name);
    name = detect_text(dir, "k_order,k_tracking\n1,2\n", message, sizeof(message));
    ck_assert_ptr_null(name);   /* both read the same columns: still a tie */
    ck_assert_msg(strstr(message, "several templates fit equally well") != NULL, "%s", message);
    remove_tree(dir);
    free(dir);
    remove_tree(templates);
    free(templates);
}
END_TEST

START_TEST(a_forced_xml_template_without_its_record_is_refused)
{
    use_template_path(NULL);
    char *dir = make_scratch_dir();
    char *path = write_file(dir, "notice.xml", "<?xml version=\"1.0\"?>\n<ShipNotice>"
                                               "<OrderNumber>1</OrderNumber></ShipNotice>\n");
    sl_error err = { "" };
    sl_template *tpl = sl_template_load("cxml-shipnotice", &err);
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    ck_assert_int_eq(sl_template_check_start(tpl, stream, &err), -1);
    ck_assert_msg(strstr(err.message, "no <ShipNoticeRequest> element") != NULL, "%s",
                  err.message);
    sl_stream_close(stream);
    sl_template_free(tpl);
    tpl = sl_template_load("shipstation-shipnotice", &err);
    stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    ck_assert_int_eq(sl_template_check_start(tpl, stream, &err), 0);
    sl_stream_close(stream);
    sl_template_free(tpl);
    free(path);
    remove_tree(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("template_features");
    TCase *tc = tcase_create("features");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, column_keys_ignore_case_spaces_and_punctuation);
    tcase_add_test(tc, generic_csv_aliases_of_hand_made_files);
    tcase_add_test(tc, unread_columns_that_look_like_fields_are_noticed);
    tcase_add_test(tc, a_field_inherits_from_an_earlier_record_sharing_a_key);
    tcase_add_test(tc, rule_conditions_with_not_and_in);
    tcase_add_test(tc, default_namespace_needs_no_prefix);
    tcase_add_test(tc, detection_messages_tell_the_truth);
    tcase_add_test(tc, the_template_reading_more_columns_wins_a_tie);
    tcase_add_test(tc, a_forced_xml_template_without_its_record_is_refused);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
