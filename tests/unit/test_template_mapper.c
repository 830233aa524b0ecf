/* test_template_mapper.c: the mapper on hand-built headers and records. Binding (names
 * case-insensitive and trimmed, any order, extra columns ignored, numbers when headerless,
 * required columns), the source position and flags, every transform, value maps, defaults,
 * constants, alternatives (generic-csv's order_number → name, order_id → id), tracking numbers
 * split with inner spaces removed, skip rules (ups-worldship's Void Indicator) and rules that
 * turn a row into a cancel or an update, and values longer than the mapper's stack buffer. */
#include "test_template_util.h"

static const char *const generic_header[] = { "Order_Number", "tracking_number", "carrier",
                                              "sku", "quantity", "order_id", "extra",
                                              "ACTION", " ship_date " };

START_TEST(generic_csv_maps_by_name_in_any_order)
{
    sl_template *tpl = load_shipped("generic-csv");
    test_header h;
    header_set(&h, 9, generic_header);
    const char *values[] = { " #1001 ", "1Z999AA1 0123 456784", "UPS", "SKU-1", "2", "", "x",
                             " Cancel ", "2026-11-21" };
    test_record r;
    record_set(&r, 3, 5, 9, values);
    r.record.bad_encoding = 1;
    sl_row row;
    map_one(tpl, &h.header, &r.record, &row);
    ck_assert_uint_eq(row.record, 3);
    ck_assert_uint_eq(row.line, 5);
    ck_assert_int_eq(row.bad_encoding, 1);
    ck_assert_int_eq(row.malformed, 0);
    ck_assert_str_eq(row.order_ref, "#1001");       /* trimmed, '#' kept for matching */
    ck_assert_int_eq(row.order_ref_kind, SL_REF_NAME);
    ck_assert_uint_eq(row.tracking_count, 1);
    ck_assert_str_eq(row.tracking_numbers[0], "1Z999AA10123456784");
    ck_assert_str_eq(row.carrier, "UPS");
    ck_assert_str_eq(row.sku, "SKU-1");
    ck_assert_str_eq(sl_row_cols(&row)->quantity_text, "2");
    ck_assert_str_eq(sl_row_cols(&row)->action_text, "cancel");   /* trim + lower */
    ck_assert_str_eq(sl_row_cols(&row)->ship_date_text, "2026-11-21");
    ck_assert_ptr_null(row.package_ref);             /* no such column: absent, not an error */
    ck_assert_ptr_null(sl_row_given_tracking_url(&row));
    ck_assert_int_eq(row.status, SL_STATUS_PENDING);
    sl_row_clear(&row);
    sl_template_free(tpl);
}
END_TEST

START_TEST(generic_csv_order_id_is_an_id_and_wins)
{
    sl_template *tpl = load_shipped("generic-csv");
    test_header h;
    header_set(&h, 9, generic_header);
    const char *by_id[] = { "", "1Z999AA10123456784", "", "", "", " 5132352356607 ", "", "", "" };
    const char *both[] = { "#1001", "1Z999AA10123456784", "", "", "", "5132352356607", "", "",
                           "" };
    test_record r;
    sl_row row;
    record_set(&r, 1, 2, 9, by_id);
    map_one(tpl, &h.header, &r.record, &row);
    ck_assert_str_eq(row.order_ref, "5132352356607");
    ck_assert_int_eq(row.order_ref_kind, SL_REF_ID);
    ck_assert_ptr_null(sl_row_cols(&row)->action_text);
    sl_row_clear(&row);
    record_set(&r, 1, 2, 9, both);
    map_one(tpl, &h.header, &r.record, &row);
    ck_assert_str_eq(row.order_ref, "5132352356607");
    ck_assert_int_eq(row.order_ref_kind, SL_REF_ID);
    sl_row_clear(&row);

    /* a file with only order_number: the order_id alternative is simply absent */
    const char *names[] = { "order_number", "tracking_number" };
    const char *values[] = { "1002", "1Z999AA10123456784" };
    header_set(&h, 2, names);
    record_set(&r, 1, 2, 2, values);
    map_one(tpl, &h.header, &r.record, &row);
    ck_assert_str_eq(row.order_ref, "1002");
    ck_assert_int_eq(row.order_ref_kind, SL_REF_NAME);
    sl_row_clear(&row);
    sl_template_free(tpl);
}
END_TEST

/* Inner spaces go wherever they are: the scan for the first one goes eight bytes at a time,
 * so a space, tab or no-break space is put at every position of a long number. */
START_TEST(inner_spaces_removed_at_every_position)
{
    static const char number[] = "1Z999AA10123456784";
    static const char *const spaces[] = { " ", "\t", "\xC2\xA0" };
    sl_template *tpl = load_shipped("generic-csv");
    const char *names[] = { "order_number", "tracking_number" };
    test_header h;
    header_set(&h, 2, names);
    for (size_t kind = 0; kind < sizeof(spaces) / sizeof(spaces[0]); kind++) {
        for (size_t at = 1; at < sizeof(number) - 1; at++) {
            char spaced[64];
            snprintf(spaced, sizeof(spaced), "%.*s%s%s", (int)at, number, spaces[kind],
                     number + at);
            const char *values[] = { "#1001", spaced };
            test_record r;
            record_set(&r, 1, 2, 2, values);
            sl_row row;
            map_one(tpl, &h.header, &r.record, &row);
            ck_assert_uint_eq(row.tracking_count, 1);
            ck_assert_msg(strcmp(row.tracking_numbers[0], number) == 0, "'%s' gave '%s'", spaced,
                          row.tracking_numbers[0]);
            sl_row_clear(&row);
        }
    }
    sl_template_free(tpl);
}
END_TEST

START_TEST(tracking_numbers_split_and_lose_inner_spaces)
{
    sl_template *tpl = load_shipped("generic-csv");
    const char *names[] = { "order_number", "tracking_number" };
    test_header h;
    header_set(&h, 2, names);
    /* ';' and '|', spaces as carriers print them, a no-break space, empty pieces dropped */
    const char *values[] = { "#1", " 1Z 999 AA1 01 2345 6784 ; 9400 1118 9922 3631 0010 26|;"
                                   "7984\xc2\xa0" "3100 1049 | " };
    test_record r;
    record_set(&r, 1, 2, 2, values);
    sl_row row;
    map_one(tpl, &h.header, &r.record, &row);
    ck_assert_uint_eq(row.tracking_count, 3);
    ck_assert_str_eq(row.tracking_numbers[0], "1Z999AA10123456784");
    ck_assert_str_eq(row.tracking_numbers[1], "9400111899223631001026");
    ck_assert_str_eq(row.tracking_numbers[2], "798431001049");
    sl_row_clear(&row);

    const char *empty[] = { "#1", "  ;  | " };
    record_set(&r, 1, 2, 2, empty);
    map_one(tpl, &h.header, &r.record, &row);
    ck_assert_uint_eq(row.tracking_count, 0);
    sl_row_clear(&row);
    sl_template_free(tpl);
}
END_TEST

START_TEST(missing_required_column_fails_naming_it)
{
    sl_template *tpl = load_shipped("ups-worldship");
    const char *names[] = { "Reference 1", "Tracking Number", "Service Type" };
    test_header h;
    header_set(&h, 3, names);
    sl_error err = { "" };
    ck_assert_ptr_null(sl_mapper_new(tpl, &h.header, &err));
    ck_assert_ptr_nonnull(strstr(err.message, "no column 'Void Indicator'"));
    ck_assert_ptr_nonnull(strstr(err.message, "ups-worldship"));
    ck_assert_ptr_nonnull(strstr(err.message, "Reference 1, Tracking Number, Service Type"));
    sl_template_free(tpl);

    tpl = load_shipped("generic-csv");
    const char *no_order[] = { "tracking_number", "carrier" };
    header_set(&h, 2, no_order);
    ck_assert_ptr_null(sl_mapper_new(tpl, &h.header, &err));
    ck_assert_ptr_nonnull(strstr(err.message, "no column 'order_number' or 'order_id'"));
    /* a headerless source cannot feed a template that names its columns */
    header_set(&h, 2, NULL);
    ck_assert_ptr_null(sl_mapper_new(tpl, &h.header, &err));
    sl_template_free(tpl);
}
END_TEST

START_TEST(void_indicator_y_skips_the_row)
{
    sl_template *tpl = load_shipped("ups-worldship");
    const char *names[] = { "Void Indicator", "Collection Date", "Reference 1", "Tracking Number",
                            "Service Type" };
    test_header h;
    header_set(&h, 5, names);
    const char *voided[] = { "Y", "20261121", "3003", "1Z6F4V830271300313", "2nd Day Air" };
    const char *kept[] = { "N", "20261121", "3003", "1Z6F4V830271300322", "2nd Day Air" };
    test_record r;
    sl_row row;
    record_set(&r, 4, 5, 5, voided);
    map_one(tpl, &h.header, &r.record, &row);
    ck_assert_int_eq(row.status, SL_STATUS_SKIPPED);
    ck_assert_int_eq(row.code, SL_CODE_NONE);
    ck_assert_str_eq(row.message, "skipped by rule: Void Indicator = Y");
    ck_assert_str_eq(row.order_ref, "3003");           /* still mapped for the report */
    ck_assert_str_eq(row.carrier, "UPS");              /* the template's constant */
    ck_assert_str_eq(sl_row_cols(&row)->shipping_method, "2nd Day Air");
    sl_row_clear(&row);
    record_set(&r, 5, 6, 5, kept);
    map_one(tpl, &h.header, &r.record, &row);
    ck_assert_int_eq(row.status, SL_STATUS_PENDING);
    ck_assert_ptr_null(row.message);
    ck_assert_str_eq(sl_row_cols(&row)->ship_date_text, "20261121");
    sl_row_clear(&row);
    sl_template_free(tpl);
}
END_TEST

/* A template exercising transforms, maps, defaults, constants and rules on named columns. */
static const char *const rules_template =
    "{\"name\": \"rules\", \"format\": \"csv\", \"fields\": {"
    " \"order_ref\": {\"column\": \"Order\", \"transforms\": [\"trim\", \"strip_hash\"]},"
    " \"tracking_numbers\": {\"column\": \"Tracking\", \"transforms\": [\"upper\"]},"
    " \"sku\": {\"column\": \"SKU\", \"transforms\": [\"trim\", \"upper\"]},"
    " \"line_item_id\": {\"column\": \"Line\", \"transforms\": [\"lower\"]},"
    " \"package_ref\": {\"column\": \"Package\", \"transforms\": [\"remove_spaces\"]},"
    " \"quantity\": {\"column\": \"Qty\", \"default\": \"1\"},"
    " \"carrier\": {\"column\": \"Carrier\", \"map\": {\"ups ground\": \"UPS\", \"FDEG\": \"FedEx\"}},"
    " \"location_id\": {\"value\": \"loc_1\"},"
    " \"order_ref_kind\": \"Kind\","
    " \"action\": {\"column\": \"Cancelled\", \"map\": {\"Y\": \"cancel\", \"N\": \"ship\"}},"
    " \"notify_customer\": {\"column\": \"Notify\", \"transforms\": []}},"
    " \"rules\": ["
    "  {\"when\": {\"column\": \"Status\", \"equals\": \"void\"}, \"then\": \"skip\"},"
    "  {\"when\": {\"column\": \"Status\", \"in\": [\"corrected\", \"relabeled\"]}, \"then\": \"update\"},"
    "  {\"when\": {\"column\": \"Status\", \"equals\": \"returned\"}, \"then\": \"skip\","
    "   \"message\": \"a return, not a shipment\"},"
    "  {\"when\": {\"column\": \"Order\", \"empty\": true}, \"then\": \"skip\"}]}";

static const char *const rules_header[] = { "ORDER", "tracking", "sku", "line", "package", "qty",
                                            "carrier", "kind", "cancelled", "notify", "status" };

static void map_rules(const char *const *values, sl_row *row)
{
    sl_template *tpl = load_ok(rules_template);
    test_header h;
    header_set(&h, 11, rules_header);
    test_record r;
    record_set(&r, 1, 2, 11, values);
    map_one(tpl, &h.header, &r.record, row);
    sl_template_free(tpl);
}

START_TEST(transforms_maps_defaults_and_constants)
{
    const char *values[] = { "  ##1001 ", " 1z999aa10123456784 ", " sku-7 ", "LI_9", "49 03 84",
                             "", "UPS GROUND", "ID", "y", " yes ", "" };
    sl_row row;
    map_rules(values, &row);
    ck_assert_str_eq(row.order_ref, "1001");                /* trim, then strip every leading # */
    ck_assert_str_eq(row.tracking_numbers[0], "1Z999AA10123456784");   /* upper, spaces gone */
    ck_assert_str_eq(row.sku, "SKU-7");
    ck_assert_str_eq(sl_row_line_item_id(&row), "li_9");
    ck_assert_str_eq(row.package_ref, "490384");
    ck_assert_str_eq(sl_row_cols(&row)->quantity_text, "1");   /* default for an empty value */
    ck_assert_str_eq(row.carrier, "UPS");                   /* map, ignoring case */
    ck_assert_str_eq(sl_row_cols(&row)->location_id, "loc_1");   /* constant */
    ck_assert_int_eq(row.order_ref_kind, SL_REF_ID);        /* from a column */
    ck_assert_str_eq(sl_row_cols(&row)->action_text, "cancel");   /* "Y" → cancel */
    ck_assert_str_eq(sl_row_cols(&row)->notify_text, " yes ");   /* transforms: [] keeps spaces */
    ck_assert_int_eq(row.status, SL_STATUS_PENDING);
    sl_row_clear(&row);

    const char *unmapped[] = { "1002", "x", "", "", "", "3", "Purolator", "number", "N", "", "" };
    map_rules(unmapped, &row);
    ck_assert_str_eq(row.carrier, "Purolator");             /* not in the map: kept as written */
    ck_assert_str_eq(sl_row_cols(&row)->action_text, "ship");
    ck_assert_str_eq(sl_row_cols(&row)->quantity_text, "3");
    ck_assert_ptr_null(row.sku);
    ck_assert_int_eq(row.order_ref_kind, SL_REF_AUTO);      /* unknown kind: warned, auto */
    ck_assert_ptr_nonnull(strstr(sl_row_warning(&row), "order reference kind 'number'"));
    ck_assert_int_eq(row.status, SL_STATUS_PENDING);
    sl_row_clear(&row);
}
END_TEST

START_TEST(rules_skip_update_and_first_match_wins)
{
    sl_row row;
    const char *voided[] = { "1", "T", "", "", "", "", "", "", "", "", " VOID " };
    map_rules(voided, &row);
    ck_assert_int_eq(row.status, SL_STATUS_SKIPPED);
    ck_assert_str_eq(row.message, "skipped by rule: Status = VOID");
    sl_row_clear(&row);

    const char *relabeled[] = { "1", "T", "", "", "", "", "", "", "N", "", "Relabeled" };
    map_rules(relabeled, &row);
    ck_assert_int_eq(row.status, SL_STATUS_PENDING);
    ck_assert_str_eq(sl_row_cols(&row)->action_text, "update");   /* the rule overrides the field */
    sl_row_clear(&row);

    const char *returned[] = { "1", "T", "", "", "", "", "", "", "", "", "returned" };
    map_rules(returned, &row);
    ck_assert_int_eq(row.status, SL_STATUS_SKIPPED);
    ck_assert_str_eq(row.message, "a return, not a shipment");
    sl_row_clear(&row);

    const char *no_order[] = { "  ", "T", "", "", "", "", "", "", "", "", "" };
    map_rules(no_order, &row);
    ck_assert_int_eq(row.status, SL_STATUS_SKIPPED);
    ck_assert_str_eq(row.message, "skipped by rule: Order is empty");
    sl_row_clear(&row);

    /* void wins over the empty-order rule listed after it */
    const char *both[] = { "", "T", "", "", "", "", "", "", "", "", "void" };
    map_rules(both, &row);
    ck_assert_str_eq(row.message, "skipped by rule: Status = void");
    sl_row_clear(&row);
}
END_TEST

START_TEST(headerless_columns_by_number)
{
    sl_template *tpl = load_ok(
        "{\"name\": \"numbers\", \"format\": \"csv\", \"csv\": {\"header\": false, "
        "\"delimiter\": \"|\"}, \"fields\": {\"order_ref\": {\"column\": 2, \"kind\": \"name\"}, "
        "\"tracking_numbers\": 3, \"quantity\": 9, \"carrier\": {\"value\": \"USPS\"}}, "
        "\"rules\": [{\"when\": {\"column\": 1, \"equals\": \"Y\"}, \"then\": \"skip\"}]}");
    test_header h;
    header_set(&h, 3, NULL);
    const char *values[] = { "N", "100031", "9400 1118 9922 3631 0010 26" };
    test_record r;
    record_set(&r, 2, 2, 3, values);
    r.record.malformed = 1;
    sl_row row;
    map_one(tpl, &h.header, &r.record, &row);
    ck_assert_str_eq(row.order_ref, "100031");
    ck_assert_int_eq(row.order_ref_kind, SL_REF_NAME);
    ck_assert_str_eq(row.tracking_numbers[0], "9400111899223631001026");
    ck_assert_ptr_null(sl_row_cols(&row)->quantity_text);   /* column 9 is beyond the record */
    ck_assert_str_eq(row.carrier, "USPS");
    ck_assert_int_eq(row.malformed, 1);
    ck_assert_int_eq(row.status, SL_STATUS_PENDING);
    sl_row_clear(&row);

    const char *voided[] = { "Y", "100004", "9400111899223631001026" };
    record_set(&r, 1, 1, 3, voided);
    map_one(tpl, &h.header, &r.record, &row);
    ck_assert_int_eq(row.status, SL_STATUS_SKIPPED);
    ck_assert_str_eq(row.message, "skipped by rule: column 1 = Y");
    sl_row_clear(&row);
    sl_template_free(tpl);
}
END_TEST

START_TEST(values_longer_than_the_stack_buffer)
{
    sl_template *tpl = load_shipped("generic-csv");
    const char *names[] = { "order_number", "tracking_number", "sku" };
    test_header h;
    header_set(&h, 3, names);
    size_t long_len = 100000;
    char *long_value = malloc(long_len + 1);
    memset(long_value, 'A', long_len);
    long_value[0] = ' ';                 /* trimmed away */
    long_value[long_len] = '\0';
    char *long_tracking = malloc(3 * 5000 + 1);
    for (size_t i = 0; i < 5000; i++)
        memcpy(long_tracking + 3 * i, "1 ;", 3);
    long_tracking[3 * 5000] = '\0';
    const char *values[] = { "#1", long_tracking, long_value };
    test_record r;
    record_set(&r, 1, 2, 3, values);
    sl_row row;
    map_one(tpl, &h.header, &r.record, &row);
    ck_assert_uint_eq(strlen(row.sku), long_len - 1);
    ck_assert_uint_eq(row.tracking_count, 5000);
    ck_assert_str_eq(row.tracking_numbers[4999], "1");
    sl_row_clear(&row);
    free(long_value);
    free(long_tracking);
    sl_template_free(tpl);
}
END_TEST

START_TEST(one_mapper_many_records)
{
    sl_template *tpl = load_shipped("sku-lines");
    const char *names[] = { "Order Number", "Ship Date", "SKU", "Qty Shipped", "Carrier",
                            "Service Level", "Tracking Number" };
    test_header h;
    header_set(&h, 7, names);
    sl_error err = { "" };
    sl_mapper *mapper = sl_mapper_new(tpl, &h.header, &err);
    ck_assert_msg(mapper != NULL, "%s", err.message);
    for (size_t i = 1; i <= 1000; i++) {
        char order[16];
        snprintf(order, sizeof(order), "%zu", 2000 + i);
        const char *values[] = { order, "2026-11-21 16:42:10", "bulb-led-e26", "2", "FDEG",
                                 "FedEx Ground", "395622006019" };
        test_record r;
        record_set(&r, i, i + 1, 7, values);
        sl_row row;
        sl_row_init(&row);
        ck_assert_int_eq(sl_mapper_map(mapper, &r.record, &row), 0);
        ck_assert_str_eq(row.order_ref, order);
        ck_assert_int_eq(row.order_ref_kind, SL_REF_NAME);
        ck_assert_str_eq(row.sku, "BULB-LED-E26");
        ck_assert_str_eq(row.carrier, "FedEx");          /* SCAC code mapped */
        ck_assert_uint_eq(row.record, i);
        sl_row_clear(&row);
    }
    sl_mapper_free(mapper);
    sl_template_free(tpl);
}
END_TEST

/* A reused row with a string block (as validate's reading thread keeps them): the same values
 * as with plain malloc'd strings, whether they fit the block or overflow it, and strings of
 * the block replaced and freed safely (ASan checks the frees). */
START_TEST(rows_with_a_block_map_alike)
{
    sl_template *tpl = load_shipped("generic-csv");
    const char *names[] = { "order_number", "tracking_number", "sku", "carrier" };
    test_header h;
    header_set(&h, 4, names);
    sl_error err = { "" };
    sl_mapper *mapper = sl_mapper_new(tpl, &h.header, &err);
    ck_assert_msg(mapper != NULL, "%s", err.message);
    sl_row row;
    sl_row_init(&row);
    ck_assert_int_eq(sl_row_use_block(&row, 48), 0);   /* small: later strings overflow */
    char long_sku[200];
    memset(long_sku, 'S', sizeof(long_sku) - 1);
    long_sku[sizeof(long_sku) - 1] = '\0';
    for (size_t i = 1; i <= 50; i++) {
        char order[16];
        snprintf(order, sizeof(order), "#%zu", 1000 + i);
        const char *values[] = { order, "1Z999AA1 0123456784; 1Z999AA10123456785",
                                 i % 2 ? "SKU-1" : long_sku, "ups" };
        test_record r;
        record_set(&r, i, i + 1, 4, values);
        sl_row_reset(&row);
        ck_assert_ptr_nonnull(row.block);
        ck_assert_int_eq(sl_mapper_map(mapper, &r.record, &row), 0);
        ck_assert_str_eq(row.order_ref, order);
        ck_assert_uint_eq(row.tracking_count, 2);
        ck_assert_str_eq(row.tracking_numbers[0], "1Z999AA10123456784");
        ck_assert_str_eq(row.tracking_numbers[1], "1Z999AA10123456785");
        ck_assert_str_eq(row.sku, i % 2 ? "SKU-1" : long_sku);
        ck_assert_str_eq(row.carrier, "ups");
        ck_assert_int_eq(sl_row_replace(&row, &row.carrier, "UPS"), 0);
        ck_assert_int_eq(sl_row_replace(&row, &row.sku, NULL), 0);
        ck_assert_ptr_null(row.sku);
        ck_assert_str_eq(row.carrier, "UPS");
        sl_row_drop(&row, &row.order_ref);
        ck_assert_ptr_null(row.order_ref);
    }
    sl_row_clear(&row);
    ck_assert_ptr_null(row.block);
    sl_mapper_free(mapper);
    sl_template_free(tpl);
}
END_TEST

/* XML templates: the reader reports one column per XPath, named after the field (or its
 * "name"); the mapper binds those names like CSV columns. */
START_TEST(cxml_columns_map_with_the_operation_map)
{
    sl_template *tpl = load_shipped("cxml-shipnotice");
    const char *names[] = { "order_number", "sku", "buyer_part_id", "quantity", "tracking_number",
                            "carrier", "carrier_scac", "shipping_method", "ship_date", "action" };
    test_header h;
    header_set(&h, 10, names);
    const char *values[] = { "6001", "", "BUY-1", "2", "1Z 2R7 E55 03 9060 0121", "", "FDEG",
                             "ground", "2026-11-21T16:05:00-05:00", "delete" };
    test_record r;
    record_set(&r, 1, 24, 10, values);
    sl_row row;
    map_one(tpl, &h.header, &r.record, &row);
    ck_assert_str_eq(row.order_ref, "6001");
    ck_assert_int_eq(row.order_ref_kind, SL_REF_NAME);
    ck_assert_str_eq(row.sku, "BUY-1");                   /* second alternative */
    ck_assert_str_eq(row.tracking_numbers[0], "1Z2R7E550390600121");
    ck_assert_str_eq(row.carrier, "FedEx");               /* SCAC fallback, mapped */
    ck_assert_str_eq(sl_row_cols(&row)->action_text, "cancel");   /* operation="delete" */
    ck_assert_str_eq(sl_row_cols(&row)->ship_date_text, "2026-11-21T16:05:00-05:00");
    sl_row_clear(&row);
    sl_template_free(tpl);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("template_mapper");
    TCase *tc = tcase_create("mapper");
    tcase_add_test(tc, generic_csv_maps_by_name_in_any_order);
    tcase_add_test(tc, generic_csv_order_id_is_an_id_and_wins);
    tcase_add_test(tc, tracking_numbers_split_and_lose_inner_spaces);
    tcase_add_test(tc, inner_spaces_removed_at_every_position);
    tcase_add_test(tc, missing_required_column_fails_naming_it);
    tcase_add_test(tc, void_indicator_y_skips_the_row);
    tcase_add_test(tc, transforms_maps_defaults_and_constants);
    tcase_add_test(tc, rules_skip_update_and_first_match_wins);
    tcase_add_test(tc, headerless_columns_by_number);
    tcase_add_test(tc, values_longer_than_the_stack_buffer);
    tcase_add_test(tc, one_mapper_many_records);
    tcase_add_test(tc, rows_with_a_block_map_alike);
    tcase_add_test(tc, cxml_columns_map_with_the_operation_map);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
