/* test_input_xml.c: the XML reader on real files: a namespaced cXML ShipNoticeRequest with an
 * item repeat (rows inherit the request's fields; an element of another namespace is not a
 * record), a record without items, columns without an item path, malformed documents (the
 * records before come out, the error names the line and the count), the "billion laughs"
 * entity bomb refused, external entities and DTDs never loaded, declared and BOM encodings,
 * a DOCTYPE declaring entities refused (no quadratic blow-up), bad XPaths refused up front,
 * truncated gzip (inside and after the document), and memory that stays flat on a big file. */
#include <sys/resource.h>
#include <time.h>
#include "test_input_util.h"

typedef struct xml_result {
    sl_stream *stream;
    sl_reader *reader;
    sl_record **records;
    size_t count;
    int rc;
    sl_error err;
} xml_result;

static void read_xml_file(xml_result *res, const char *path, const sl_xml_options *options)
{
    memset(res, 0, sizeof(*res));
    res->stream = sl_stream_open(path, SL_ENCODING_AUTO, &res->err);
    ck_assert_msg(res->stream != NULL, "%s", res->err.message);
    res->reader = sl_xml_reader_new(res->stream, options, &res->err);
    ck_assert_msg(res->reader != NULL, "%s", res->err.message);
    ck_assert_int_eq(sl_reader_start(res->reader, &res->err), 0);
    const sl_record *record;
    size_t cap = 0;
    while ((res->rc = sl_reader_next(res->reader, &record, &res->err)) == 1) {
        if (res->count == cap) {
            cap = cap ? cap * 2 : 16;
            res->records = realloc(res->records, cap * sizeof(*res->records));
        }
        res->records[res->count++] = sl_record_copy(record);
    }
}

static void result_free(xml_result *res)
{
    for (size_t i = 0; i < res->count; i++)
        sl_record_free(res->records[i]);
    free(res->records);
    sl_reader_free(res->reader);
    sl_stream_close(res->stream);
}

/* ---- a namespaced cXML ship notice ---- */

static const char cxml_doc[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE cXML SYSTEM \"http://xml.cxml.org/schemas/cXML/1.2.060/Fulfill.dtd\">\n"
    "<cXML xmlns=\"urn:test:cxml\" xmlns:o=\"urn:test:other\" payloadID=\"1@x\">\n"
    "  <Request>\n"
    "    <o:ShipNoticeRequest><ShipControl><ShipmentIdentifier>DECOY</ShipmentIdentifier>"
    "</ShipControl></o:ShipNoticeRequest>\n"
    "    <ShipNoticeRequest>\n"
    "      <ShipNoticeHeader shipmentID=\"ASN-1\" operation=\"new\" shipmentDate=\"2026-11-21\"/>\n"
    "      <ShipControl>\n"
    "        <CarrierIdentifier domain=\"companyName\">UPS</CarrierIdentifier>\n"
    "        <ShipmentIdentifier>1Z2R7E550390600121</ShipmentIdentifier>\n"
    "      </ShipControl>\n"
    "      <ShipNoticePortion>\n"
    "        <OrderReference orderID=\"6001\"/>\n"
    "        <ShipNoticeItem quantity=\"2\" lineNumber=\"1\">\n"
    "          <ItemID><SupplierPartID>TONER &amp; INK</SupplierPartID></ItemID>\n"
    "        </ShipNoticeItem>\n"
    "        <ShipNoticeItem quantity=\"4\" lineNumber=\"2\">\n"
    "          <ItemID><SupplierPartID><![CDATA[PAPER<A4>]]></SupplierPartID></ItemID>\n"
    "        </ShipNoticeItem>\n"
    "      </ShipNoticePortion>\n"
    "      <ShipNoticePortion>\n"
    "        <OrderReference orderID=\"6002\"/>\n"
    "        <ShipNoticeItem quantity=\"1\" lineNumber=\"1\">\n"
    "          <ItemID><SupplierPartID>STAPLER</SupplierPartID></ItemID>\n"
    "        </ShipNoticeItem>\n"
    "      </ShipNoticePortion>\n"
    "    </ShipNoticeRequest>\n"
    "  </Request>\n"
    "</cXML>\n";

static const sl_xml_namespace cxml_namespaces[] = { { "c", "urn:test:cxml" } };
static const sl_xml_column cxml_columns[] = {
    { "order", "../c:OrderReference/@orderID", 1 },
    { "sku", "c:ItemID/c:SupplierPartID", 1 },
    { "quantity", "@quantity", 1 },
    { "tracking", "c:ShipControl/c:ShipmentIdentifier", 0 },
    { "carrier", "c:ShipControl/c:CarrierIdentifier[@domain='companyName']", 0 },
    { "date", "c:ShipNoticeHeader/@shipmentDate", 0 },
    { "items", "count(.//c:ShipNoticeItem)", 0 },
};

static sl_xml_options cxml_options(void)
{
    sl_xml_options options = {
        .record_element = "ShipNoticeRequest",
        .record_namespace = "urn:test:cxml",
        .item_xpath = "c:ShipNoticePortion/c:ShipNoticeItem",
        .namespaces = cxml_namespaces,
        .namespace_count = 1,
        .columns = cxml_columns,
        .column_count = sizeof(cxml_columns) / sizeof(cxml_columns[0]),
    };
    return options;
}

START_TEST(cxml_one_row_per_item)
{
    sl_xml_options options = cxml_options();
    xml_result res;
    read_xml_file(&res, write_text("asn.xml", cxml_doc), &options);
    ck_assert_msg(res.rc == 0, "%s", res.err.message);
    ck_assert_uint_eq(res.count, 3);
    static const char *const expected[3][7] = {
        { "6001", "TONER & INK", "2", "1Z2R7E550390600121", "UPS", "2026-11-21", "3" },
        { "6001", "PAPER<A4>", "4", "1Z2R7E550390600121", "UPS", "2026-11-21", "3" },
        { "6002", "STAPLER", "1", "1Z2R7E550390600121", "UPS", "2026-11-21", "3" },
    };
    static const size_t lines[3] = { 14, 17, 23 };
    for (size_t i = 0; i < 3; i++) {
        ck_assert_uint_eq(res.records[i]->number, i + 1);
        ck_assert_uint_eq(res.records[i]->line, lines[i]);
        ck_assert_uint_eq(res.records[i]->field_count, 7);
        ck_assert_int_eq(res.records[i]->bad_encoding, 0);
        ck_assert_int_eq(res.records[i]->malformed, 0);
        for (size_t k = 0; k < 7; k++)
            ck_assert_str_eq(res.records[i]->fields[k], expected[i][k]);
    }
    const sl_header *header = sl_reader_header(res.reader);
    ck_assert_uint_eq(header->count, 7);
    ck_assert_str_eq(header->names[1], "sku");
    ck_assert_int_eq(sl_reader_delimiter(res.reader), ',');
    ck_assert_uint_eq(sl_reader_records_read(res.reader), 3);
    result_free(&res);
}
END_TEST

START_TEST(record_namespace_any_when_not_given)
{
    sl_xml_options options = cxml_options();
    options.record_namespace = NULL;   /* now the decoy in urn:test:other is a record too */
    xml_result res;
    read_xml_file(&res, write_text("asn.xml", cxml_doc), &options);
    ck_assert_int_eq(res.rc, 0);
    ck_assert_uint_eq(res.count, 4);
    ck_assert_str_eq(res.records[0]->fields[3], "DECOY");   /* its children: default ns */
    ck_assert_str_eq(res.records[0]->fields[1], "");        /* no items: item fields empty */
    ck_assert_uint_eq(res.records[0]->line, 5);
    ck_assert_str_eq(res.records[3]->fields[1], "STAPLER");
    result_free(&res);
}
END_TEST

START_TEST(record_without_items_gives_one_row)
{
    static const sl_xml_column columns[] = {
        { "order", "@order", 0 }, { "sku", "@sku", 1 }, { "tracking", "tracking", 0 },
    };
    sl_xml_options options = { "shipment", NULL, "item", NULL, 0, columns, 3, NULL };
    xml_result res;
    read_xml_file(&res, write_text("s.xml",
                                   "<shipments>\n"
                                   "<shipment order=\"#1\"><tracking>T1</tracking>"
                                   "<item sku=\"A\"/><item sku=\"B\"/></shipment>\n"
                                   "<shipment order=\"#2\"><tracking>T2</tracking></shipment>\n"
                                   "</shipments>\n"),
                  &options);
    ck_assert_int_eq(res.rc, 0);
    ck_assert_uint_eq(res.count, 3);
    ck_assert_str_eq(res.records[1]->fields[1], "B");
    ck_assert_str_eq(res.records[2]->fields[0], "#2");
    ck_assert_str_eq(res.records[2]->fields[1], "");
    ck_assert_str_eq(res.records[2]->fields[2], "T2");
    ck_assert_uint_eq(res.records[2]->line, 3);
    result_free(&res);
}
END_TEST

START_TEST(item_columns_without_item_path)
{
    static const sl_xml_column columns[] = { { "sku", "item/@sku", 1 }, { "id", "@id", 0 } };
    sl_xml_options options = { "r", NULL, NULL, NULL, 0, columns, 2, NULL };
    xml_result res;
    read_xml_file(&res, write_text("r.xml", "<a><r id=\"1\"><item sku=\"X\"/></r><r id=\"2\"/></a>"),
                  &options);
    ck_assert_int_eq(res.rc, 0);
    ck_assert_uint_eq(res.count, 2);
    ck_assert_str_eq(res.records[0]->fields[0], "X");
    ck_assert_str_eq(res.records[1]->fields[1], "2");
    result_free(&res);
}
END_TEST

/* ---- bad documents ---- */

static const sl_xml_column simple_columns[] = { { "id", "@id", 0 }, { "text", "string(.)", 0 } };

static sl_xml_options simple_options(void)
{
    sl_xml_options options = { "r", NULL, NULL, NULL, 0, simple_columns, 2, NULL };
    return options;
}

START_TEST(malformed_keeps_the_records_before)
{
    size_t cap = 200 * 64, at = 0;
    char *doc = malloc(cap);
    at += (size_t)sprintf(doc + at, "<root>\n");
    for (int i = 1; i <= 100; i++)
        at += (size_t)sprintf(doc + at, "<r id=\"%d\">record number %d</r>\n", i, i);
    at += (size_t)sprintf(doc + at, "<r id=\"bad\">oops</x>\n");
    for (int i = 101; i <= 110; i++)
        at += (size_t)sprintf(doc + at, "<r id=\"%d\">z</r>\n", i);
    sprintf(doc + at, "</root>\n");
    const char *path = write_text("broken.xml", doc);
    sl_xml_options options = simple_options();
    xml_result res;
    read_xml_file(&res, path, &options);
    ck_assert_int_eq(res.rc, -1);
    /* libxml2 is fed one tag at a time: every record before the error comes out */
    ck_assert_uint_eq(res.count, 100);
    for (size_t i = 0; i < res.count; i++) {
        char want[32];
        snprintf(want, sizeof(want), "%zu", i + 1);
        ck_assert_str_eq(res.records[i]->fields[0], want);
        ck_assert_uint_eq(res.records[i]->line, i + 2);
    }
    char expected[700];
    snprintf(expected, sizeof(expected),
             "%s: malformed XML at line 102: Opening and ending tag mismatch: r line 102 and x "
             "(after %zu records)", path, res.count);
    ck_assert_str_eq(res.err.message, expected);
    result_free(&res);
    free(doc);
}
END_TEST

START_TEST(not_xml_at_all)
{
    sl_xml_options options = simple_options();
    xml_result res;
    read_xml_file(&res, write_text("x.xml", "order,tracking\n1,2\n"), &options);
    ck_assert_int_eq(res.rc, -1);
    ck_assert_uint_eq(res.count, 0);
    ck_assert_msg(strstr(res.err.message, "malformed XML at line 1") != NULL, "%s",
                  res.err.message);
    result_free(&res);
    read_xml_file(&res, write_text("empty.xml", ""), &options);
    ck_assert_int_eq(res.rc, -1);
    result_free(&res);
}
END_TEST

START_TEST(billion_laughs_is_refused)
{
    static const char bomb[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE lolz [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        "]>\n"
        "<root><r id=\"1\">&lol9;</r><r id=\"2\">after</r></root>\n";
    sl_xml_options options = simple_options();
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    time_t start = time(NULL);
    xml_result res;
    read_xml_file(&res, write_text("bomb.xml", bomb), &options);
    getrusage(RUSAGE_SELF, &after);
    ck_assert_int_eq(res.rc, -1);
    ck_assert_uint_eq(res.count, 0);
    ck_assert_msg(strstr(res.err.message, "entit") != NULL, "%s", res.err.message);
    ck_assert_int_le(time(NULL) - start, 5);
    ck_assert_int_lt(after.ru_maxrss - before.ru_maxrss, 100 * 1024);   /* KB: no blow-up */
    result_free(&res);
}
END_TEST

START_TEST(external_entity_is_not_loaded)
{
    const char *secret = write_text("secret.txt", "TOP-SECRET-VALUE");
    char doc[1024];
    snprintf(doc, sizeof(doc),
             "<?xml version=\"1.0\"?>\n"
             "<!DOCTYPE root [ <!ENTITY xxe SYSTEM \"file://%s\"> ]>\n"
             "<root><r id=\"1\">a&xxe;b</r></root>\n", secret);
    sl_xml_options options = simple_options();
    xml_result res;
    const char *path = write_text("xxe.xml", doc);
    read_xml_file(&res, path, &options);
    ck_assert_int_eq(res.rc, -1);
    ck_assert_uint_eq(res.count, 0);
    char expected[700];
    snprintf(expected, sizeof(expected), "%s: the document declares entities in its DOCTYPE "
             "(xxe), which shipload refuses to expand (after 0 records)", path);
    ck_assert_str_eq(res.err.message, expected);
    result_free(&res);
}
END_TEST

/* One 100 KB entity used 200,000 times: 700 KB of file, 20 GB of text if expanded. */
START_TEST(quadratic_blowup_is_refused)
{
    size_t big = 100000, refs = 200000;
    char *doc = malloc(big + refs * 3 + 200);
    size_t at = (size_t)sprintf(doc, "<?xml version=\"1.0\"?><!DOCTYPE root [<!ENTITY e \"");
    memset(doc + at, 'A', big);
    at += big;
    at += (size_t)sprintf(doc + at, "\">]><root><r id=\"1\">");
    for (size_t i = 0; i < refs; i++, at += 3)
        memcpy(doc + at, "&e;", 3);
    sprintf(doc + at, "</r></root>\n");
    sl_xml_options options = simple_options();
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    xml_result res;
    read_xml_file(&res, write_text("quad.xml", doc), &options);
    getrusage(RUSAGE_SELF, &after);
    ck_assert_int_eq(res.rc, -1);
    ck_assert_uint_eq(res.count, 0);
    ck_assert_msg(strstr(res.err.message, "declares entities") != NULL, "%s", res.err.message);
    ck_assert_int_lt(after.ru_maxrss - before.ru_maxrss, 100 * 1024);
    result_free(&res);
    free(doc);
}
END_TEST

START_TEST(external_dtd_is_not_loaded)
{
    write_text("evil.dtd", "<!ENTITY leak \"TOP-SECRET-VALUE\">\n"
                           "<!ATTLIST r extra CDATA \"DEFAULTED\">\n");
    char doc[1024];
    snprintf(doc, sizeof(doc),
             "<?xml version=\"1.0\"?>\n<!DOCTYPE root SYSTEM \"file://%s/evil.dtd\">\n"
             "<root><r id=\"1\">x&leak;y</r></root>\n", scratch);
    static const sl_xml_column columns[] = { { "text", "string(.)", 0 },
                                             { "extra", "@extra", 0 } };
    sl_xml_options options = { "r", NULL, NULL, NULL, 0, columns, 2, NULL };
    xml_result res;
    read_xml_file(&res, write_text("dtd.xml", doc), &options);
    ck_assert_msg(res.rc == 0, "%s", res.err.message);
    ck_assert_uint_eq(res.count, 1);
    ck_assert_str_eq(res.records[0]->fields[0], "xy");    /* &leak; stays unknown */
    ck_assert_str_eq(res.records[0]->fields[1], "");      /* no DTD default attribute */
    result_free(&res);
}
END_TEST

START_TEST(bad_xpath_is_refused_up_front)
{
    static const sl_xml_column columns[] = { { "sku", "ItemID[", 0 } };
    sl_xml_options options = { "r", NULL, NULL, NULL, 0, columns, 1, NULL };
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(write_text("r.xml", "<r/>"), SL_ENCODING_AUTO, &err);
    ck_assert_ptr_null(sl_xml_reader_new(stream, &options, &err));
    ck_assert_str_eq(err.message, "column 'sku': 'ItemID[' is not a valid XPath expression");
    options.columns = simple_columns;
    options.column_count = 2;
    options.item_xpath = "///";
    ck_assert_ptr_null(sl_xml_reader_new(stream, &options, &err));
    ck_assert_str_eq(err.message, "item path '///' is not a valid XPath expression");
    options.item_xpath = NULL;
    options.record_element = NULL;
    ck_assert_ptr_null(sl_xml_reader_new(stream, &options, &err));
    sl_stream_close(stream);
}
END_TEST

START_TEST(undefined_prefix_fails_with_the_column)
{
    static const sl_xml_column columns[] = { { "sku", "q:ItemID", 0 } };
    sl_xml_options options = { "r", NULL, NULL, NULL, 0, columns, 1, NULL };
    xml_result res;
    read_xml_file(&res, write_text("r.xml", "<a><r/></a>"), &options);
    ck_assert_int_eq(res.rc, -1);
    ck_assert_msg(strstr(res.err.message, "column 'sku'") != NULL, "%s", res.err.message);
    result_free(&res);
}
END_TEST

/* ---- encodings ---- */

START_TEST(declared_latin1_is_decoded)
{
    const char doc[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a><r id=\"caf\xE9\"/></a>";
    sl_xml_options options = simple_options();
    xml_result res;
    read_xml_file(&res, write_bytes("l1.xml", doc, sizeof(doc) - 1), &options);
    ck_assert_msg(res.rc == 0, "%s", res.err.message);
    ck_assert_uint_eq(res.count, 1);
    ck_assert_str_eq(res.records[0]->fields[0], "caf\xC3\xA9");
    result_free(&res);
}
END_TEST

/* An invalid UTF-8 byte (a Latin-1 é in a UTF-8 document, and one split across the reader's
 * 64 KiB blocks) makes only its record bad_encoding; the others, before and after, come out. */
START_TEST(invalid_utf8_flags_only_its_record)
{
    size_t cap = 70 * 1024 + 4096, at = 0;
    char *doc = malloc(cap);
    at += (size_t)sprintf(doc + at, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>\n");
    at += (size_t)sprintf(doc + at, "<r id=\"1\">ok</r>\n<r id=\"2\">caf\xE9</r>\n<r id=\"3\">ok</r>\n");
    while (at < 65536 - 40)   /* filler records up to the first block's end */
        at += (size_t)sprintf(doc + at, "<r id=\"f\">x</r>\n");
    while (at < 65536 - 1 - 13)   /* so that the é's first byte ends the first block */
        doc[at++] = ' ';
    /* a valid two-byte é across the block boundary, then a lone continuation byte */
    at += (size_t)sprintf(doc + at, "<r id=\"4\">caf\xC3\xA9</r><r id=\"5\">\x80</r>\n</a>\n");
    ck_assert_uint_lt(at, cap);
    sl_xml_options options = simple_options();
    xml_result res;
    read_xml_file(&res, write_bytes("bad-utf8.xml", doc, at), &options);
    ck_assert_msg(res.rc == 0, "%s", res.err.message);
    ck_assert_uint_ge(res.count, 5);
    ck_assert_str_eq(res.records[0]->fields[0], "1");
    ck_assert_int_eq(res.records[0]->bad_encoding, 0);
    ck_assert_str_eq(res.records[1]->fields[0], "2");
    ck_assert_int_eq(res.records[1]->bad_encoding, 1);
    ck_assert_str_eq(res.records[1]->fields[1], "caf\xFF");
    ck_assert_int_eq(res.records[2]->bad_encoding, 0);
    const sl_record *split = res.records[res.count - 2], *lone = res.records[res.count - 1];
    ck_assert_str_eq(split->fields[0], "4");
    ck_assert_str_eq(split->fields[1], "caf\xC3\xA9");
    ck_assert_int_eq(split->bad_encoding, 0);
    ck_assert_str_eq(lone->fields[0], "5");
    ck_assert_int_eq(lone->bad_encoding, 1);
    result_free(&res);
    free(doc);
}
END_TEST

START_TEST(utf16le_xml_with_bom)
{
    const char *text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a><r id=\"\xE9\"/></a>";
    size_t n = strlen(text);
    unsigned char *u16 = malloc(2 + 2 * n);
    u16[0] = 0xFF;
    u16[1] = 0xFE;
    for (size_t i = 0; i < n; i++) {
        u16[2 + 2 * i] = (unsigned char)text[i];
        u16[3 + 2 * i] = 0;
    }
    sl_xml_options options = simple_options();
    xml_result res;
    read_xml_file(&res, write_bytes("u16.xml", u16, 2 + 2 * n), &options);
    ck_assert_msg(res.rc == 0, "%s", res.err.message);
    ck_assert_uint_eq(res.count, 1);
    ck_assert_str_eq(res.records[0]->fields[0], "\xC3\xA9");
    result_free(&res);
    free(u16);
}
END_TEST

START_TEST(unknown_declared_encoding_is_refused)
{
    sl_xml_options options = simple_options();
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(
        write_text("sj.xml", "<?xml version='1.0' encoding='Shift_JIS'?><a/>"), SL_ENCODING_AUTO,
        &err);
    ck_assert_ptr_null(sl_xml_reader_new(stream, &options, &err));
    ck_assert_msg(strstr(err.message, "'Shift_JIS'") != NULL, "%s", err.message);
    sl_stream_close(stream);
}
END_TEST

/* ---- gzip and size ---- */

START_TEST(truncated_gzip_xml)
{
    size_t records = 20000;
    char *doc = malloc(records * 64 + 64);
    size_t at = (size_t)sprintf(doc, "<root>\n");
    for (size_t i = 0; i < records; i++)
        at += (size_t)sprintf(doc + at, "<r id=\"%zu\">value %zu</r>\n", i, i * 13);
    at += (size_t)sprintf(doc + at, "</root>\n");
    size_t gz_len;
    unsigned char *gz = gzip_bytes(doc, at, &gz_len);
    const char *path = write_bytes("cut.xml.gz", gz, gz_len / 2);
    sl_xml_options options = simple_options();
    xml_result res;
    read_xml_file(&res, path, &options);
    ck_assert_int_eq(res.rc, -1);
    ck_assert_uint_gt(res.count, 1000);
    char expected[700];
    snprintf(expected, sizeof(expected), "%s: gzip stream is truncated after %zu records", path,
             res.count);
    ck_assert_str_eq(res.err.message, expected);
    result_free(&res);
    free(gz);
    free(doc);
}
END_TEST

/* The document is whole but the gzip trailer is cut: its records come out, then the error. */
START_TEST(gzip_cut_after_the_last_tag)
{
    const char *doc = "<root><r id=\"1\"/><r id=\"2\"/></root>\n";
    size_t gz_len;
    unsigned char *gz = gzip_bytes(doc, strlen(doc), &gz_len);
    const char *path = write_bytes("trailer.xml.gz", gz, gz_len - 4);
    sl_xml_options options = simple_options();
    xml_result res;
    read_xml_file(&res, path, &options);
    ck_assert_int_eq(res.rc, -1);
    ck_assert_uint_eq(res.count, 2);
    char expected[700];
    snprintf(expected, sizeof(expected), "%s: gzip stream is truncated after 2 records", path);
    ck_assert_str_eq(res.err.message, expected);
    result_free(&res);
    free(gz);
}
END_TEST

START_TEST(big_document_streams)
{
    size_t records = 300000;
    const char *path = scratch_path("big.xml");
    FILE *fp = fopen(path, "w");
    fprintf(fp, "<?xml version=\"1.0\"?>\n<root>\n");
    for (size_t i = 0; i < records; i++)
        fprintf(fp, "<r id=\"%zu\">text of record %zu, long enough to weigh something</r>\n", i,
                i);
    fprintf(fp, "</root>\n");
    fclose(fp);
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    sl_xml_options options = simple_options();
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    sl_reader *reader = sl_xml_reader_new(stream, &options, &err);
    const sl_record *record = NULL, *last = NULL;
    size_t count = 0, last_line = 0;
    int rc;
    while ((rc = sl_reader_next(reader, &record, &err)) == 1) {
        count++;
        last = record;
        last_line = record->line;
    }
    ck_assert_msg(rc == 0, "%s", err.message);
    ck_assert_uint_eq(count, records);
    ck_assert_ptr_nonnull(last);
    ck_assert_uint_eq(last_line, records + 2);   /* past libxml2's 65535-line field */
    getrusage(RUSAGE_SELF, &after);
#ifndef __SANITIZE_ADDRESS__
    /* A 22 MB document as a tree would take hundreds of MB; streamed it takes a few. (Under
     * AddressSanitizer freed memory sits in quarantine, so RSS says nothing there.) */
    ck_assert_int_lt(after.ru_maxrss - before.ru_maxrss, 32 * 1024);
#endif
    sl_reader_free(reader);
    sl_stream_close(stream);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("input_xml");
    TCase *records = tcase_create("records");
    tcase_add_checked_fixture(records, scratch_setup, scratch_teardown);
    tcase_add_test(records, cxml_one_row_per_item);
    tcase_add_test(records, record_namespace_any_when_not_given);
    tcase_add_test(records, record_without_items_gives_one_row);
    tcase_add_test(records, item_columns_without_item_path);
    suite_add_tcase(suite, records);

    TCase *bad = tcase_create("bad");
    tcase_add_checked_fixture(bad, scratch_setup, scratch_teardown);
    tcase_add_test(bad, malformed_keeps_the_records_before);
    tcase_add_test(bad, not_xml_at_all);
    tcase_add_test(bad, billion_laughs_is_refused);
    tcase_add_test(bad, external_entity_is_not_loaded);
    tcase_add_test(bad, quadratic_blowup_is_refused);
    tcase_add_test(bad, external_dtd_is_not_loaded);
    tcase_add_test(bad, bad_xpath_is_refused_up_front);
    tcase_add_test(bad, undefined_prefix_fails_with_the_column);
    suite_add_tcase(suite, bad);

    TCase *encoding = tcase_create("encoding");
    tcase_add_checked_fixture(encoding, scratch_setup, scratch_teardown);
    tcase_add_test(encoding, declared_latin1_is_decoded);
    tcase_add_test(encoding, utf16le_xml_with_bom);
    tcase_add_test(encoding, invalid_utf8_flags_only_its_record);
    tcase_add_test(encoding, unknown_declared_encoding_is_refused);
    suite_add_tcase(suite, encoding);

    TCase *size = tcase_create("size");
    tcase_add_checked_fixture(size, scratch_setup, scratch_teardown);
    tcase_set_timeout(size, 240);
    tcase_add_test(size, truncated_gzip_xml);
    tcase_add_test(size, gzip_cut_after_the_last_tag);
    tcase_add_test(size, big_document_streams);
    suite_add_tcase(suite, size);

    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
