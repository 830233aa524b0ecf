/* test_report_export_writer.c: the export writer: CSV cells quoted only where needed (by
 * libcsv), the formula guard, line ends, gzip by name, XML through xmlTextWriter read back with
 * libxml2, nothing under the final name until finished (and a failed export leaves an older
 * file alone), and the field values (item name from the order, joined recipient name). */
#include <check.h>
#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "shipload/export.h"

/* ---- fixtures ---- */

static sl_item package_items[2];
static sl_item order_items[1];
static sl_unit package;
static sl_order order;
static sl_address ship_to;

static void setup(void)
{
    memset(&order, 0, sizeof(order));
    memset(&package, 0, sizeof(package));
    order_items[0] = (sl_item){ .id = "li_2", .sku = "MUG", .name = "Mug, \"white\"",
                                .quantity = 1 };
    package_items[0] = (sl_item){ .id = "li_1", .sku = "TSHIRT", .name = "T-shirt, blue",
                                  .quantity = 3, .fulfilled_quantity = 1 };
    package_items[1] = (sl_item){ .id = "li_2", .sku = "=MUG", .quantity = 1 };
    package = (sl_unit){ .id = "pk_1", .write_id = "fo_1", .number = "1001-1",
                         .location_id = "loc_1", .status = SL_UNIT_STATUS_OPEN,
                         .status_text = "pending", .items = package_items,
                         .item_count = 2, .items_known = 1 };
    order = (sl_order){ .id = "5001", .number = "1001", .name = "#1001",
                        .status = SL_ORDER_STATUS_OPEN, .status_text = "paid",
                        .shipping_method = "Standard", .items = order_items, .item_count = 1,
                        .units = &package, .unit_count = 1 };
    ship_to = (sl_address){ .first_name = "Ana", .last_name = "Ruiz",
                            .phone = "+52 81 0000 0000", .address1 = "Line one\nLine two" };
    order.shipping_address = &ship_to;
}

static sl_export_column col(const char *name, int field, const char *constant)
{
    return (sl_export_column){ .name = (char *)name, .field = field, .constant = (char *)constant };
}

static sl_export_column csv_columns[6];

static sl_export_layout csv_layout(void)
{
    csv_columns[0] = col("order_number", SL_EXPORT_ORDER_NAME, NULL);
    csv_columns[1] = col("sku", SL_EXPORT_SKU, NULL);
    csv_columns[2] = col("quantity", SL_EXPORT_QUANTITY, NULL);
    csv_columns[3] = col("tracking_number", -1, "");
    csv_columns[4] = col("item name", SL_EXPORT_ITEM_NAME, NULL);
    csv_columns[5] = col("phone", SL_EXPORT_SHIP_PHONE, NULL);
    return (sl_export_layout){ .format = SL_EXPORT_FORMAT_CSV, .delimiter = ',', .header = 1,
                               .formula_guard = 1, .columns = csv_columns, .column_count = 6 };
}

static char *read_all(const char *path)
{
    gzFile file = gzopen(path, "rb");   /* reads plain files as they are, too */
    ck_assert_ptr_nonnull(file);
    size_t cap = 1 << 16, len = 0;
    char *data = malloc(cap);
    int got;
    while ((got = gzread(file, data + len, (unsigned)(cap - 1 - len))) > 0)
        len += (size_t)got;
    gzclose(file);
    data[len] = '\0';
    return data;
}

static char *temp_dir(void)
{
    char *dir = strdup("/tmp/test_export_writer.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    return dir;
}

static int dir_entries(const char *dir)
{
    DIR *handle = opendir(dir);
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(handle)))
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
            count++;
    closedir(handle);
    return count;
}

static void remove_dir(char *dir)
{
    char command[300];
    snprintf(command, sizeof(command), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(command), 0);
    free(dir);
}

static char *write_export(const sl_export_layout *layout, const char *name, char **dir_out)
{
    char *dir = temp_dir();
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    sl_error err = { "" };
    sl_export_writer *writer = sl_export_writer_new(layout, path, &err);
    ck_assert_msg(writer != NULL, "%s", err.message);
    sl_export_line lines[2] = { { &package_items[0], 2 }, { &package_items[1], 1 } };
    size_t count = 2;
    ck_assert_int_eq(sl_export_writer_add(writer, &order, &package, lines, count, &err), 0);
    ck_assert_int_eq(sl_export_writer_finish(writer, &err), 0);
    ck_assert_uint_eq(sl_export_writer_rows(writer), 2);
    ck_assert_uint_eq(sl_export_writer_packages(writer), 1);
    sl_export_writer_free(writer);
    ck_assert_int_eq(dir_entries(dir), 1);   /* the file, no temporary left */
    *dir_out = dir;
    return read_all(path);
}

/* ---- CSV ---- */

START_TEST(csv_quotes_only_where_needed_and_guards_formulas)
{
    sl_export_layout layout = csv_layout();
    char *dir;
    char *text = write_export(&layout, "out.csv", &dir);
    ck_assert_str_eq(text,
                     "order_number,sku,quantity,tracking_number,item name,phone\n"
                     "#1001,TSHIRT,2,,\"T-shirt, blue\",'+52 81 0000 0000\n"
                     "#1001,'=MUG,1,,\"Mug, \"\"white\"\"\",'+52 81 0000 0000\n");
    free(text);
    remove_dir(dir);
}
END_TEST

START_TEST(csv_without_guard_with_crlf_semicolons_and_newlines_in_cells)
{
    sl_export_layout layout = csv_layout();
    layout.formula_guard = 0;
    layout.crlf = 1;
    layout.delimiter = ';';
    csv_columns[5] = col("address", SL_EXPORT_SHIP_ADDRESS1, NULL);
    char *dir;
    char *text = write_export(&layout, "out.csv", &dir);
    ck_assert_str_eq(text,
                     "order_number;sku;quantity;tracking_number;item name;address\r\n"
                     "#1001;TSHIRT;2;;T-shirt, blue;\"Line one\nLine two\"\r\n"
                     "#1001;=MUG;1;;\"Mug, \"\"white\"\"\";\"Line one\nLine two\"\r\n");
    free(text);
    remove_dir(dir);
}
END_TEST

START_TEST(a_name_ending_in_gz_is_gzipped)
{
    sl_export_layout layout = csv_layout();
    char *dir;
    char *text = write_export(&layout, "out.csv.gz", &dir);
    ck_assert_ptr_nonnull(strstr(text, "#1001,TSHIRT,2,"));
    free(text);
    char path[256];
    snprintf(path, sizeof(path), "%s/out.csv.gz", dir);
    FILE *file = fopen(path, "rb");
    unsigned char magic[2] = { 0, 0 };
    ck_assert_uint_eq(fread(magic, 1, 2, file), 2);
    fclose(file);
    ck_assert_uint_eq(magic[0], 0x1f);
    ck_assert_uint_eq(magic[1], 0x8b);
    remove_dir(dir);
}
END_TEST

START_TEST(nothing_appears_under_the_name_until_finished)
{
    sl_export_layout layout = csv_layout();
    char *dir = temp_dir();
    char path[256];
    snprintf(path, sizeof(path), "%s/out.csv", dir);
    FILE *old = fopen(path, "w");
    fputs("yesterday's export\n", old);
    fclose(old);
    sl_error err = { "" };
    sl_export_writer *writer = sl_export_writer_new(&layout, path, &err);
    sl_export_line lines[2] = { { &package_items[0], 2 }, { &package_items[1], 1 } };
    size_t count = 2;
    ck_assert_int_eq(sl_export_writer_add(writer, &order, &package, lines, count, &err), 0);
    ck_assert_int_eq(dir_entries(dir), 2);   /* the old file and the temporary */
    sl_export_writer_free(writer);           /* as after a failure: never finished */
    ck_assert_int_eq(dir_entries(dir), 1);
    char *text = read_all(path);
    ck_assert_str_eq(text, "yesterday's export\n");
    free(text);
    remove_dir(dir);
}
END_TEST

START_TEST(an_unwritable_place_is_an_error_naming_it)
{
    sl_export_layout layout = csv_layout();
    sl_error err = { "" };
    ck_assert_ptr_null(sl_export_writer_new(&layout, "/nonexistent-dir/out.csv", &err));
    ck_assert_ptr_nonnull(strstr(err.message, "/nonexistent-dir/out.csv"));
}
END_TEST

/* ---- XML ---- */

START_TEST(xml_writes_a_record_per_package_and_an_item_per_line)
{
    sl_export_column record_columns[] = { col("@order", SL_EXPORT_ORDER_NAME, NULL),
                                          col("package", SL_EXPORT_PACKAGE_ID, NULL),
                                          col("tracking", -1, ""),
                                          col("ship_name", SL_EXPORT_SHIP_NAME, NULL) };
    sl_export_column item_columns[] = { col("@sku", SL_EXPORT_SKU, NULL),
                                        col("@quantity", SL_EXPORT_QUANTITY, NULL),
                                        col("@name", SL_EXPORT_ITEM_NAME, NULL) };
    sl_export_layout layout = { .format = SL_EXPORT_FORMAT_XML, .xml_root = "shipments",
                                .xml_record = "shipment", .xml_item = "item",
                                .columns = record_columns, .column_count = 4,
                                .item_columns = item_columns, .item_column_count = 3 };
    char *dir;
    char *text = write_export(&layout, "out.xml", &dir);
    xmlDocPtr doc = xmlReadMemory(text, (int)strlen(text), "out.xml", NULL, XML_PARSE_NONET);
    ck_assert_msg(doc != NULL, "not XML: %s", text);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    ck_assert_str_eq((const char *)root->name, "shipments");
    xmlNodePtr shipment = xmlFirstElementChild(root);
    ck_assert_str_eq((const char *)shipment->name, "shipment");
    xmlChar *value = xmlGetProp(shipment, BAD_CAST "order");
    ck_assert_str_eq((const char *)value, "#1001");
    xmlFree(value);
    xmlNodePtr child = xmlFirstElementChild(shipment);
    ck_assert_str_eq((const char *)child->name, "package");
    value = xmlNodeGetContent(child);
    ck_assert_str_eq((const char *)value, "pk_1");
    xmlFree(value);
    child = xmlNextElementSibling(xmlNextElementSibling(child));
    value = xmlNodeGetContent(child);
    ck_assert_str_eq((const char *)value, "Ana Ruiz");
    xmlFree(value);
    xmlNodePtr item = xmlNextElementSibling(child);
    ck_assert_str_eq((const char *)item->name, "item");
    value = xmlGetProp(item, BAD_CAST "quantity");
    ck_assert_str_eq((const char *)value, "2");
    xmlFree(value);
    item = xmlNextElementSibling(item);
    value = xmlGetProp(item, BAD_CAST "name");
    ck_assert_str_eq((const char *)value, "Mug, \"white\"");   /* from the order's items */
    xmlFree(value);
    value = xmlGetProp(item, BAD_CAST "sku");
    ck_assert_str_eq((const char *)value, "=MUG");             /* no guard in XML */
    xmlFree(value);
    ck_assert_ptr_null(xmlNextElementSibling(item));
    ck_assert_ptr_null(xmlNextElementSibling(shipment));
    xmlFreeDoc(doc);
    free(text);
    remove_dir(dir);
}
END_TEST

START_TEST(an_empty_xml_export_is_a_root_element)
{
    sl_export_column columns[] = { col("@order", SL_EXPORT_ORDER_NAME, NULL) };
    sl_export_layout layout = { .format = SL_EXPORT_FORMAT_XML, .xml_root = "shipments",
                                .xml_record = "shipment", .xml_item = "item",
                                .columns = columns, .column_count = 1, .item_columns = columns,
                                .item_column_count = 1 };
    char *dir = temp_dir();
    char path[256];
    snprintf(path, sizeof(path), "%s/empty.xml", dir);
    sl_error err = { "" };
    sl_export_writer *writer = sl_export_writer_new(&layout, path, &err);
    ck_assert_int_eq(sl_export_writer_finish(writer, &err), 0);
    sl_export_writer_free(writer);
    char *text = read_all(path);
    xmlDocPtr doc = xmlReadMemory(text, (int)strlen(text), "empty.xml", NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(doc);
    ck_assert_ptr_null(xmlFirstElementChild(xmlDocGetRootElement(doc)));
    xmlFreeDoc(doc);
    free(text);
    remove_dir(dir);
}
END_TEST

/* ---- field values ---- */

START_TEST(field_values_fall_back_sensibly)
{
    char buf[64];
    sl_export_line line = { &package_items[1], 1 };
    ck_assert_str_eq(sl_export_field_value(SL_EXPORT_ITEM_NAME, &order, &package, &line, buf,
                                           sizeof(buf)), "Mug, \"white\"");
    order.name = NULL;
    ck_assert_str_eq(sl_export_field_value(SL_EXPORT_ORDER_NAME, &order, &package, &line, buf,
                                           sizeof(buf)), "#1001");
    ship_to.first_name = NULL;
    ck_assert_str_eq(sl_export_field_value(SL_EXPORT_SHIP_NAME, &order, &package, &line, buf,
                                           sizeof(buf)), "Ruiz");
    ck_assert_str_eq(sl_export_field_value(SL_EXPORT_SHIP_COMPANY, &order, &package, &line, buf,
                                           sizeof(buf)), "");
    ck_assert_str_eq(sl_export_field_value(SL_EXPORT_FULFILLED_QUANTITY, &order, &package,
                                           &line, buf, sizeof(buf)), "0");
    ck_assert_str_eq(sl_export_field_value(SL_EXPORT_FULFILLMENT_ORDER_ID, &order, &package,
                                           &line, buf, sizeof(buf)), "fo_1");
    ck_assert_str_eq(sl_export_field_value((sl_export_field)SL_EXPORT_FIELD_COUNT, &order,
                                           &package, &line, buf, sizeof(buf)), "");
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("report_export_writer");
    TCase *tc = tcase_create("writer");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, csv_quotes_only_where_needed_and_guards_formulas);
    tcase_add_test(tc, csv_without_guard_with_crlf_semicolons_and_newlines_in_cells);
    tcase_add_test(tc, a_name_ending_in_gz_is_gzipped);
    tcase_add_test(tc, nothing_appears_under_the_name_until_finished);
    tcase_add_test(tc, an_unwritable_place_is_an_error_naming_it);
    tcase_add_test(tc, xml_writes_a_record_per_package_and_an_item_per_line);
    tcase_add_test(tc, an_empty_xml_export_is_a_root_element);
    tcase_add_test(tc, field_values_fall_back_sensibly);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
