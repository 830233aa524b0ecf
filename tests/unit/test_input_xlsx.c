/* test_input_xlsx.c: the .xlsx reader on workbooks built here part by part with libzip (so
 * each awkward case is exactly what the test says): shared strings (rich runs joined, phonetic
 * runs left out), inline strings, booleans, errors, sparse cells placed by their reference, a
 * 22-digit number that Excel stored as 9.4001118992236303E+21 coming out as digits, dates
 * stored as serial numbers in a built-in or a custom date style (1900 and 1904 systems, a time
 * of day), the first sheet or one named, the header row and a headerless first record, blank
 * rows skipped, ragged rows padded or malformed, and what is not a workbook. */
#include <zip.h>
#include "test_input_util.h"

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define RNS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

/* Writes a workbook of two sheets: "Data" (rows given) and "Other" (one cell). */
static char *write_workbook(const char *name, const char *rows, int date1904)
{
    static char path[600];
    snprintf(path, sizeof(path), "%s/%s", scratch, name);
    int error = 0;
    zip_t *zip = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &error);
    ck_assert_ptr_nonnull(zip);
    char workbook[800], sheet[8192];
    snprintf(workbook, sizeof(workbook),
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook " NS " " RNS ">"
             "<workbookPr date1904=\"%s\"/><sheets><sheet name=\"Data\" sheetId=\"1\" "
             "r:id=\"rId2\"/><sheet name=\"Other\" sheetId=\"2\" r:id=\"rId3\"/></sheets>"
             "</workbook>", date1904 ? "true" : "false");
    snprintf(sheet, sizeof(sheet), "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet " NS
             "><sheetData>%s</sheetData></worksheet>", rows);
    const char *parts[][2] = {
        { "xl/workbook.xml", workbook },
        { "xl/_rels/workbook.xml.rels",
          "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          "<Relationship Id=\"rId2\" Type=\"worksheet\" Target=\"worksheets/sheet1.xml\"/>"
          "<Relationship Id=\"rId3\" Type=\"worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
          "</Relationships>" },
        { "xl/styles.xml",
          "<styleSheet " NS "><numFmts count=\"1\"><numFmt numFmtId=\"164\" "
          "formatCode=\"dd/mm/yyyy;@\"/></numFmts><cellXfs count=\"4\"><xf numFmtId=\"0\"/>"
          "<xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"49\"/></cellXfs>"
          "</styleSheet>" },
        { "xl/sharedStrings.xml",
          "<sst " NS "><si><t>order_number</t></si><si><t>tracking_number</t></si>"
          "<si><r><t>#10</t></r><r><t>01</t></r><rPh><t>XX</t></rPh></si><si><t>UPS</t></si>"
          "</sst>" },
        { "xl/worksheets/sheet1.xml", sheet },
        { "xl/worksheets/sheet2.xml",
          "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>other"
          "</t></is></c></row></sheetData></worksheet>" },
    };
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        zip_source_t *source = zip_source_buffer(zip, parts[i][1], strlen(parts[i][1]), 0);
        ck_assert_ptr_nonnull(source);
        ck_assert_int_ge(zip_file_add(zip, parts[i][0], source, ZIP_FL_OVERWRITE), 0);
    }
    ck_assert_int_eq(zip_close(zip), 0);
    return path;
}

typedef struct opened {
    sl_stream *stream;
    sl_reader *reader;
} opened;

static opened open_book(const char *path, const char *sheet, int has_header)
{
    sl_error err = { "" };
    opened o;
    o.stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    ck_assert_msg(o.stream != NULL, "%s", err.message);
    ck_assert_int_eq(sl_stream_is_zip(o.stream), 1);
    o.reader = sl_xlsx_reader_new(o.stream, sheet, &err);
    ck_assert_ptr_nonnull(o.reader);
    ck_assert_msg(sl_reader_start(o.reader, &err) == 0, "%s", err.message);
    sl_xlsx_reader_set_header(o.reader, has_header);
    return o;
}

static void close_book(opened *o)
{
    sl_reader_free(o->reader);
    sl_stream_close(o->stream);
}

/* The record's fields joined with '|'. */
static const char *joined(const sl_record *r)
{
    static char out[1000];
    out[0] = '\0';
    for (size_t i = 0; i < r->field_count; i++) {
        size_t used = strlen(out);
        snprintf(out + used, sizeof(out) - used, "%s%s", i ? "|" : "", r->fields[i]);
    }
    return out;
}

static const char *const ROWS =
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
    "<c r=\"C1\" t=\"inlineStr\"><is><t>ship_date</t></is></c><c r=\"D1\" t=\"inlineStr\"><is>"
    "<t>quantity</t></is></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\"><v>9.4001118992236303E+21</v></c>"
    "<c r=\"C2\" s=\"1\"><v>46347</v></c><c r=\"D2\"><v>2</v></c></row>"
    "<row r=\"3\"/>"
    "<row r=\"5\"><c r=\"A5\"><v>1002</v></c><c r=\"B5\"><v>774891400101</v></c>"
    "<c r=\"C5\" s=\"2\"><v>46347.5</v></c><c r=\"D5\" t=\"b\"><v>1</v></c></row>"
    "<row r=\"6\"><c r=\"B6\" t=\"e\"><v>#N/A</v></c><c r=\"D6\"><v>0.30000000000000004</v></c>"
    "</row>"
    "<row r=\"7\"><c r=\"A7\" t=\"str\"><v>=formula text</v></c><c r=\"F7\" t=\"s\"><v>3</v>"
    "</c></row>"
    "<row r=\"8\"><c r=\"A8\" s=\"3\"><v>5001</v></c><c r=\"D8\"><v>-3</v></c></row>";

START_TEST(cells_come_out_as_the_user_saw_them)
{
    char *path = write_workbook("book.xlsx", ROWS, 0);
    opened o = open_book(path, NULL, 1);
    const sl_header *header = sl_reader_header(o.reader);
    ck_assert_uint_eq(header->count, 4);
    ck_assert_str_eq(header->names[0], "order_number");
    ck_assert_str_eq(header->names[2], "ship_date");
    const sl_record *r;
    sl_error err = { "" };
    ck_assert_int_eq(sl_reader_next(o.reader, &r, &err), 1);
    ck_assert_str_eq(joined(r), "#1001|9400111899223630000000|2026-11-21|2");
    ck_assert_uint_eq(r->line, 2);
    ck_assert_int_eq(sl_reader_next(o.reader, &r, &err), 1);   /* row 3 is blank: skipped */
    ck_assert_str_eq(joined(r), "1002|774891400101|2026-11-21T12:00:00|TRUE");
    ck_assert_uint_eq(r->line, 5);
    ck_assert_uint_eq(r->number, 2);
    ck_assert_int_eq(sl_reader_next(o.reader, &r, &err), 1);
    ck_assert_str_eq(joined(r), "|#N/A||0.3");                  /* padded, 15 digits */
    ck_assert_int_eq(sl_reader_next(o.reader, &r, &err), 1);
    ck_assert_int_eq(r->malformed, 1);                          /* F7 is past the header */
    ck_assert_int_eq(sl_reader_next(o.reader, &r, &err), 1);
    ck_assert_str_eq(joined(r), "5001|||-3");                   /* a text-formatted number */
    ck_assert_int_eq(r->malformed, 0);
    ck_assert_int_eq(sl_reader_next(o.reader, &r, &err), 0);
    ck_assert_uint_eq(sl_reader_records_read(o.reader), 5);
    close_book(&o);
}
END_TEST

START_TEST(the_1904_date_system)
{
    char *path = write_workbook("mac.xlsx", ROWS, 1);
    opened o = open_book(path, NULL, 1);
    const sl_record *r;
    sl_error err = { "" };
    ck_assert_int_eq(sl_reader_next(o.reader, &r, &err), 1);
    ck_assert_str_eq(r->fields[2], "2030-11-22");   /* 46347 days after 1904-01-01 */
    close_book(&o);
}
END_TEST

/* A number in a date style that is no date Excel shows (past 9999-12-31, negative, or far
 * beyond any date) is read as the number, as a user sees the cell's value. */
START_TEST(a_date_styled_number_that_is_no_date)
{
    static const char rows[] =
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
        "<c r=\"C1\" t=\"inlineStr\"><is><t>ship_date</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"C2\" s=\"1\"><v>3000000</v></c></row>"
        "<row r=\"3\"><c r=\"A3\"><v>2</v></c><c r=\"C3\" s=\"1\"><v>-5</v></c></row>"
        "<row r=\"4\"><c r=\"A4\"><v>3</v></c><c r=\"C4\" s=\"1\"><v>1E+300</v></c></row>"
        "<row r=\"5\"><c r=\"A5\"><v>4</v></c><c r=\"C5\" s=\"1\"><v>2958465</v></c></row>";
    char *path = write_workbook("nodate.xlsx", rows, 0);
    opened o = open_book(path, NULL, 1);
    const sl_record *r;
    sl_error err = { "" };
    ck_assert_int_eq(sl_reader_next(o.reader, &r, &err), 1);
    ck_assert_str_eq(r->fields[2], "3000000");
    ck_assert_int_eq(sl_reader_next(o.reader, &r, &err), 1);
    ck_assert_str_eq(r->fields[2], "-5");
    ck_assert_int_eq(sl_reader_next(o.reader, &r, &err), 1);
    ck_assert_str_ne(r->fields[2], "");                         /* the number, not a date */
    ck_assert_ptr_null(strchr(r->fields[2], '-'));
    ck_assert_int_eq(sl_reader_next(o.reader, &r, &err), 1);
    ck_assert_str_eq(r->fields[2], "9999-12-31");               /* the last date Excel shows */
    close_book(&o);
}
END_TEST

START_TEST(a_sheet_by_name_and_headerless)
{
    char *path = write_workbook("two.xlsx", ROWS, 0);
    opened o = open_book(path, "Other", 1);
    ck_assert_str_eq(sl_reader_header(o.reader)->names[0], "other");
    close_book(&o);

    o = open_book(path, NULL, 0);   /* the first row is a record, columns by number */
    ck_assert_ptr_null(sl_reader_header(o.reader)->names);
    ck_assert_uint_eq(sl_reader_header(o.reader)->count, 4);
    const sl_record *r;
    sl_error err = { "" };
    ck_assert_int_eq(sl_reader_next(o.reader, &r, &err), 1);
    ck_assert_str_eq(joined(r), "order_number|tracking_number|ship_date|quantity");
    ck_assert_uint_eq(r->line, 1);
    ck_assert_int_eq(sl_reader_next(o.reader, &r, &err), 1);
    ck_assert_uint_eq(r->line, 2);
    close_book(&o);

    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    sl_reader *reader = sl_xlsx_reader_new(stream, "Orders", &err);
    ck_assert_int_eq(sl_reader_start(reader, &err), -1);
    ck_assert_msg(strstr(err.message, "no sheet named 'Orders' (it has 'Data', 'Other')") != NULL,
                  "%s", err.message);
    sl_reader_free(reader);
    sl_stream_close(stream);
}
END_TEST

START_TEST(what_is_not_a_workbook)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/not.zip", scratch);
    FILE *fp = fopen(path, "wb");
    fputs("PK\x03\x04 this is not really a zip archive", fp);
    fclose(fp);
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    ck_assert_int_eq(sl_stream_is_zip(stream), 1);
    sl_reader *reader = sl_xlsx_reader_new(stream, NULL, &err);
    ck_assert_int_eq(sl_reader_start(reader, &err), -1);
    ck_assert_msg(strstr(err.message, "not a readable .xlsx workbook") != NULL, "%s",
                  err.message);
    sl_reader_free(reader);
    sl_stream_close(stream);
    snprintf(path, sizeof(path), "%s/plain.csv", scratch);
    fp = fopen(path, "wb");
    fputs("a,b\n1,2\n", fp);
    fclose(fp);
    stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    ck_assert_int_eq(sl_stream_is_zip(stream), 0);
    sl_stream_close(stream);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("input_xlsx");
    TCase *tc = tcase_create("xlsx");
    tcase_add_checked_fixture(tc, scratch_setup, scratch_teardown);
    tcase_add_test(tc, cells_come_out_as_the_user_saw_them);
    tcase_add_test(tc, the_1904_date_system);
    tcase_add_test(tc, a_date_styled_number_that_is_no_date);
    tcase_add_test(tc, a_sheet_by_name_and_headerless);
    tcase_add_test(tc, what_is_not_a_workbook);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
