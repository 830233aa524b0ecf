/* test_input_csv.c: the CSV reader on real files: delimiter sniffing (each candidate, a quoted
 * delimiter not counted), quoting (quoted delimiter, doubled quote, newline inside quotes),
 * CRLF, BOM, blank lines, ragged rows (spec §12), headerless files, record numbers and start
 * lines, bad encodings flagged per record, gzip truncation named with the record count, and
 * limits: a 10 MB field, 100,000 columns, random binary. */
#include "test_input_util.h"
#include "input/input_internal.h"

typedef struct csv_result {
    sl_stream *stream;
    sl_reader *reader;
    sl_record **records;
    size_t count;
    int rc;                 /* the last sl_reader_next result */
    sl_error err;
} csv_result;

static void read_csv_file(csv_result *res, const char *path, const sl_csv_options *options,
                          sl_encoding encoding)
{
    memset(res, 0, sizeof(*res));
    res->stream = sl_stream_open(path, encoding, &res->err);
    ck_assert_msg(res->stream != NULL, "%s", res->err.message);
    res->reader = sl_csv_reader_new(res->stream, options, &res->err);
    ck_assert_msg(res->reader != NULL, "%s", res->err.message);
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

static void read_csv(csv_result *res, const char *text, int has_header)
{
    sl_csv_options options = { 0, has_header, 0 };
    read_csv_file(res, write_text("in.csv", text), &options, SL_ENCODING_AUTO);
    ck_assert_msg(res->rc == 0, "%s", res->err.message);
}

static void result_free(csv_result *res)
{
    for (size_t i = 0; i < res->count; i++)
        sl_record_free(res->records[i]);
    free(res->records);
    sl_reader_free(res->reader);
    sl_stream_close(res->stream);
}

static void assert_fields(const sl_record *record, size_t count, const char *const *values)
{
    ck_assert_uint_eq(record->field_count, count);
    for (size_t i = 0; i < count; i++) {
        ck_assert_str_eq(record->fields[i], values[i]);
        ck_assert_uint_eq(record->lengths[i], strlen(values[i]));
    }
}

#define FIELDS(...) (sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *)), \
                    (const char *[]){ __VA_ARGS__ }

/* ---- sniffing ---- */

START_TEST(sniffs_each_delimiter)
{
    static const struct {
        const char *text;
        char delimiter;
    } cases[] = {
        { "a,b,c\n1,2,3\n", ',' },
        { "a;b;c\n1;2;3\n", ';' },
        { "a\tb\tc\n1\t2\t3\n", '\t' },
        { "a|b|c\n1|2|3\n", '|' },
        { "\"x,y\";b;c\n1;2;3\n", ';' },   /* the comma inside quotes does not count */
        { "a;b,c;d\n", ';' },
        { "single\nrow\n", ',' },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        csv_result res;
        read_csv(&res, cases[i].text, 1);
        ck_assert_msg(sl_reader_delimiter(res.reader) == cases[i].delimiter, "case %zu", i);
        if (i < 5) {
            ck_assert_uint_eq(sl_reader_header(res.reader)->count, 3);
            ck_assert_uint_eq(res.records[0]->field_count, 3);
        }
        result_free(&res);
    }
}
END_TEST

START_TEST(given_delimiter_is_used)
{
    sl_csv_options options = { ';', 1, 0 };
    csv_result res;
    read_csv_file(&res, write_text("in.csv", "a,b;c\n1,2;3\n"), &options, SL_ENCODING_AUTO);
    ck_assert_int_eq(sl_reader_delimiter(res.reader), ';');
    assert_fields(res.records[0], FIELDS("1,2", "3"));
    result_free(&res);
}
END_TEST

/* ---- quoting ---- */

START_TEST(quoted_delimiter_and_doubled_quote)
{
    csv_result res;
    read_csv(&res, "name,note\n\"Smith, John\",\"He said \"\"hi\"\"\"\n", 1);
    ck_assert_uint_eq(res.count, 1);
    assert_fields(res.records[0], FIELDS("Smith, John", "He said \"hi\""));
    result_free(&res);
}
END_TEST

START_TEST(newline_inside_quotes_keeps_lines)
{
    csv_result res;
    read_csv(&res, "a,b\n\"line one\nline two\",x\nnext,y\n\"3\r\nlines\r\nhere\",z\nlast,w\n", 1);
    ck_assert_uint_eq(res.count, 4);
    assert_fields(res.records[0], FIELDS("line one\nline two", "x"));
    ck_assert_uint_eq(res.records[0]->line, 2);
    ck_assert_uint_eq(res.records[1]->line, 4);
    ck_assert_uint_eq(res.records[2]->line, 5);
    assert_fields(res.records[2], FIELDS("3\r\nlines\r\nhere", "z"));
    ck_assert_uint_eq(res.records[3]->line, 8);
    for (size_t i = 0; i < res.count; i++)
        ck_assert_uint_eq(res.records[i]->number, i + 1);
    result_free(&res);
}
END_TEST

START_TEST(crlf_lines)
{
    csv_result res;
    read_csv(&res, "a,b\r\n1,2\r\n3,4\r\n", 1);
    ck_assert_uint_eq(res.count, 2);
    assert_fields(res.records[0], FIELDS("1", "2"));
    assert_fields(res.records[1], FIELDS("3", "4"));
    ck_assert_uint_eq(res.records[1]->line, 3);
    ck_assert_str_eq(sl_reader_header(res.reader)->names[1], "b");
    result_free(&res);
}
END_TEST

START_TEST(bom_is_not_in_the_header)
{
    csv_result res;
    read_csv(&res, "\xEF\xBB\xBForder_number;tracking_number\n#1;1Z\n", 1);
    const sl_header *header = sl_reader_header(res.reader);
    ck_assert_uint_eq(header->count, 2);
    ck_assert_str_eq(header->names[0], "order_number");
    ck_assert_int_eq(sl_reader_delimiter(res.reader), ';');
    result_free(&res);
}
END_TEST

START_TEST(blank_lines_are_skipped)
{
    csv_result res;
    read_csv(&res, "a,b\n\n1,2\n   \n,\n3,4\n\n\n", 1);
    ck_assert_uint_eq(res.count, 2);
    ck_assert_uint_eq(res.records[0]->line, 3);
    ck_assert_uint_eq(res.records[1]->number, 2);
    ck_assert_uint_eq(res.records[1]->line, 6);
    result_free(&res);
}
END_TEST

START_TEST(last_line_without_newline)
{
    csv_result res;
    read_csv(&res, "a,b\n1,2\n3,\"4\"", 1);
    ck_assert_uint_eq(res.count, 2);
    assert_fields(res.records[1], FIELDS("3", "4"));
    result_free(&res);
}
END_TEST

START_TEST(values_are_kept_as_written)
{
    csv_result res;
    read_csv(&res, "a,b,c\n  padded  ,\t,\"\"\n", 1);
    assert_fields(res.records[0], FIELDS("  padded  ", "\t", ""));
    result_free(&res);
}
END_TEST

/* ---- ragged rows ---- */

START_TEST(ragged_rows)
{
    csv_result res;
    read_csv(&res, "a,b,c\n1,2\n1,2,3,,\n1,2,3,4\n1,2,3,,x\n1\n", 1);
    ck_assert_uint_eq(res.count, 5);
    /* missing trailing fields: padded */
    assert_fields(res.records[0], FIELDS("1", "2", ""));
    ck_assert_int_eq(res.records[0]->malformed, 0);
    ck_assert_uint_eq(res.records[0]->expected_fields, 3);
    /* extra trailing empty fields: trimmed */
    assert_fields(res.records[1], FIELDS("1", "2", "3"));
    ck_assert_int_eq(res.records[1]->malformed, 0);
    /* an extra value: malformed, kept whole */
    ck_assert_int_eq(res.records[2]->malformed, 1);
    ck_assert_uint_eq(res.records[2]->field_count, 4);
    ck_assert_uint_eq(res.records[2]->expected_fields, 3);
    ck_assert_int_eq(res.records[3]->malformed, 1);
    ck_assert_uint_eq(res.records[3]->field_count, 5);
    ck_assert_int_eq(res.records[4]->malformed, 0);
    assert_fields(res.records[4], FIELDS("1", "", ""));
    result_free(&res);
}
END_TEST

START_TEST(headerless_columns_by_number)
{
    csv_result res;
    read_csv(&res, "#1001|1Z9|UPS\n#1002|1Z8|UPS|extra\n", 0);
    const sl_header *header = sl_reader_header(res.reader);
    ck_assert_ptr_null(header->names);
    ck_assert_uint_eq(header->count, 3);
    ck_assert_uint_eq(res.count, 2);
    ck_assert_uint_eq(res.records[0]->number, 1);
    ck_assert_uint_eq(res.records[0]->line, 1);
    assert_fields(res.records[0], FIELDS("#1001", "1Z9", "UPS"));
    ck_assert_int_eq(res.records[1]->malformed, 1);
    result_free(&res);
}
END_TEST

START_TEST(start_reads_the_header_first)
{
    sl_csv_options options = { 0, 1, 0 };
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(write_text("in.csv", "x,y\n1,2\n"), SL_ENCODING_AUTO,
                                       &err);
    sl_reader *reader = sl_csv_reader_new(stream, &options, &err);
    ck_assert_int_eq(sl_reader_start(reader, &err), 0);
    ck_assert_uint_eq(sl_reader_header(reader)->count, 2);
    ck_assert_str_eq(sl_reader_header(reader)->names[0], "x");
    ck_assert_uint_eq(sl_reader_records_read(reader), 0);
    const sl_record *record;
    ck_assert_int_eq(sl_reader_next(reader, &record, &err), 1);
    ck_assert_str_eq(record->fields[1], "2");
    ck_assert_int_eq(sl_reader_next(reader, &record, &err), 0);
    ck_assert_int_eq(sl_reader_next(reader, &record, &err), 0);
    ck_assert_uint_eq(sl_reader_records_read(reader), 1);
    sl_reader_free(reader);
    sl_stream_close(stream);
}
END_TEST

START_TEST(header_only_and_empty)
{
    csv_result res;
    read_csv(&res, "a,b\r\n", 1);
    ck_assert_uint_eq(res.count, 0);
    ck_assert_uint_eq(sl_reader_header(res.reader)->count, 2);
    result_free(&res);
    read_csv(&res, "", 1);
    ck_assert_uint_eq(res.count, 0);
    ck_assert_uint_eq(sl_reader_header(res.reader)->count, 0);
    ck_assert_ptr_nonnull(sl_reader_header(res.reader)->names);
    result_free(&res);
    read_csv(&res, "", 0);
    ck_assert_uint_eq(res.count, 0);
    result_free(&res);
}
END_TEST

/* ---- encodings ---- */

START_TEST(invalid_utf8_flags_only_its_record)
{
    csv_result res;
    read_csv(&res, "a,b\n1,caf\xC3\xA9\n2,caf\xE9\n3,\xC0\xAF\n4,\xED\xA0\x80\n5,ok\n", 1);
    ck_assert_uint_eq(res.count, 5);
    ck_assert_int_eq(res.records[0]->bad_encoding, 0);
    ck_assert_int_eq(res.records[1]->bad_encoding, 1);   /* latin-1 byte */
    ck_assert_int_eq(res.records[2]->bad_encoding, 1);   /* overlong */
    ck_assert_int_eq(res.records[3]->bad_encoding, 1);   /* surrogate */
    ck_assert_int_eq(res.records[4]->bad_encoding, 0);
    result_free(&res);
}
END_TEST

START_TEST(nul_byte_flags_the_record)
{
    csv_result res;
    sl_csv_options options = { ',', 1, 0 };
    read_csv_file(&res, write_bytes("nul.csv", "a,b\n1,x\0y\n2,z\n", 14), &options,
                  SL_ENCODING_AUTO);
    ck_assert_int_eq(res.rc, 0);
    ck_assert_uint_eq(res.count, 2);
    ck_assert_int_eq(res.records[0]->bad_encoding, 1);
    ck_assert_uint_eq(res.records[0]->lengths[1], 3);
    ck_assert_int_eq(res.records[1]->bad_encoding, 0);
    result_free(&res);
}
END_TEST

START_TEST(windows1252_records)
{
    csv_result res;
    sl_csv_options options = { 0, 1, 0 };
    read_csv_file(&res, write_bytes("w.csv", "sku;name\nA;Caf\xE9\nB;x\x81y\n", 22), &options,
                  SL_ENCODING_WINDOWS1252);
    ck_assert_int_eq(res.rc, 0);
    ck_assert_uint_eq(res.count, 2);
    ck_assert_str_eq(res.records[0]->fields[1], "Caf\xC3\xA9");
    ck_assert_int_eq(res.records[0]->bad_encoding, 0);
    ck_assert_int_eq(res.records[1]->bad_encoding, 1);   /* 0x81 is undefined */
    result_free(&res);
}
END_TEST

START_TEST(latin1_records)
{
    csv_result res;
    sl_csv_options options = { 0, 1, 0 };
    read_csv_file(&res, write_bytes("l.csv", "a,b\nx,\xE9\x81\n", 9), &options,
                  SL_ENCODING_LATIN1);
    ck_assert_str_eq(res.records[0]->fields[1], "\xC3\xA9\xC2\x81");
    ck_assert_int_eq(res.records[0]->bad_encoding, 0);
    result_free(&res);
}
END_TEST

START_TEST(utf16le_excel_unicode_text)
{
    /* Excel "Unicode text": UTF-16LE, BOM, tabs, CRLF */
    const char *text = "order_number\ttracking_number\r\n#1001\t1Z\xC3\xA9\r\n";
    size_t n = strlen(text);
    unsigned char *u16 = malloc(2 + 2 * n);
    size_t at = 0;
    u16[at++] = 0xFF;
    u16[at++] = 0xFE;
    for (size_t i = 0; i < n; i++) {
        unsigned cp = (unsigned char)text[i];
        if (cp == 0xC3) {   /* é */
            cp = 0xE9;
            i++;
        }
        u16[at++] = (unsigned char)cp;
        u16[at++] = 0;
    }
    csv_result res;
    sl_csv_options options = { 0, 1, 0 };
    read_csv_file(&res, write_bytes("u16.txt", u16, at), &options, SL_ENCODING_AUTO);
    ck_assert_int_eq(res.rc, 0);
    ck_assert_int_eq(sl_reader_delimiter(res.reader), '\t');
    ck_assert_str_eq(sl_reader_header(res.reader)->names[0], "order_number");
    ck_assert_uint_eq(res.count, 1);
    assert_fields(res.records[0], FIELDS("#1001", "1Z\xC3\xA9"));
    ck_assert_int_eq(res.records[0]->bad_encoding, 0);
    result_free(&res);
    free(u16);
}
END_TEST

/* ---- gzip ---- */

START_TEST(gzipped_csv_reads_like_plain)
{
    csv_result res;
    sl_csv_options options = { 0, 1, 0 };
    read_csv_file(&res, write_gzip("in.csv.gz", "a;b\n1;2\n3;4\n"), &options, SL_ENCODING_AUTO);
    ck_assert_int_eq(res.rc, 0);
    ck_assert_uint_eq(res.count, 2);
    assert_fields(res.records[1], FIELDS("3", "4"));
    result_free(&res);
}
END_TEST

START_TEST(truncated_gzip_names_the_records_read)
{
    size_t rows = 20000;
    char *text = malloc(rows * 40 + 64);
    size_t at = (size_t)sprintf(text, "order_number,tracking_number\n");
    for (size_t i = 0; i < rows; i++)
        at += (size_t)sprintf(text + at, "#%zu,1Z999AA1012345678%zu\n", i, i % 10);
    size_t gz_len;
    unsigned char *gz = gzip_bytes(text, at, &gz_len);
    const char *path = write_bytes("orders.csv.gz", gz, gz_len / 2);
    csv_result res;
    sl_csv_options options = { 0, 1, 0 };
    read_csv_file(&res, path, &options, SL_ENCODING_AUTO);
    ck_assert_int_eq(res.rc, -1);
    ck_assert_uint_gt(res.count, 100);
    ck_assert_uint_lt(res.count, rows);
    ck_assert_uint_eq(sl_reader_records_read(res.reader), res.count);
    char expected[700];
    snprintf(expected, sizeof(expected), "%s: gzip stream is truncated after %zu records", path,
             res.count);
    ck_assert_str_eq(res.err.message, expected);
    /* the records before are whole and in order */
    for (size_t i = 0; i < res.count; i++) {
        char want[32];
        snprintf(want, sizeof(want), "#%zu", i);
        ck_assert_str_eq(res.records[i]->fields[0], want);
    }
    const sl_record *record;
    sl_error again = { "" };
    ck_assert_int_eq(sl_reader_next(res.reader, &record, &again), -1);   /* it stays failed */
    ck_assert_str_eq(again.message, expected);
    result_free(&res);
    free(gz);
    free(text);
}
END_TEST

/* ---- limits ---- */

START_TEST(ten_megabyte_field)
{
    size_t big = 10 * 1024 * 1024;
    char *text = malloc(big + 200);
    size_t at = (size_t)sprintf(text, "a,b,c\n#1,\"");
    memset(text + at, 'x', big);
    at += big;
    at += (size_t)sprintf(text + at, "\",1\n#2,y,2\n");
    csv_result res;
    sl_csv_options options = { 0, 1, 0 };
    read_csv_file(&res, write_bytes("big.csv", text, at), &options, SL_ENCODING_AUTO);
    ck_assert_int_eq(res.rc, 0);
    ck_assert_uint_eq(res.count, 2);
    ck_assert_uint_eq(res.records[0]->lengths[1], big);
    ck_assert_str_eq(res.records[0]->fields[2], "1");
    assert_fields(res.records[1], FIELDS("#2", "y", "2"));
    ck_assert_uint_eq(res.records[1]->line, 3);
    result_free(&res);
    free(text);
}
END_TEST

START_TEST(field_over_the_limit_is_an_error)
{
    size_t big = SL_INPUT_FIELD_MAX + 1024;
    char *text = malloc(big + 64);
    size_t at = (size_t)sprintf(text, "a,b\n1,2\n3,");
    memset(text + at, 'x', big);
    at += big;
    text[at++] = '\n';
    const char *path = write_bytes("huge.csv", text, at);
    free(text);
    csv_result res;
    sl_csv_options options = { 0, 1, 0 };
    read_csv_file(&res, path, &options, SL_ENCODING_AUTO);
    ck_assert_int_eq(res.rc, -1);
    ck_assert_uint_eq(res.count, 1);
    char expected[700];
    snprintf(expected, sizeof(expected),
             "%s: the record on line 3 has a field longer than 64 MB (after 1 record)", path);
    ck_assert_str_eq(res.err.message, expected);
    result_free(&res);
}
END_TEST

START_TEST(hundred_thousand_columns)
{
    size_t columns = 100000;
    char *text = malloc(columns * 10 + 100);
    size_t at = (size_t)sprintf(text, "a,b\n1,2\n#w");
    for (size_t i = 1; i < columns; i++)
        at += (size_t)sprintf(text + at, ",c%zu", i);
    at += (size_t)sprintf(text + at, "\n3,4\n");
    csv_result res;
    sl_csv_options options = { 0, 1, 0 };
    read_csv_file(&res, write_bytes("wide.csv", text, at), &options, SL_ENCODING_AUTO);
    ck_assert_int_eq(res.rc, 0);
    ck_assert_uint_eq(res.count, 3);
    ck_assert_int_eq(res.records[1]->malformed, 1);
    ck_assert_uint_eq(res.records[1]->field_count, columns);
    ck_assert_str_eq(res.records[1]->fields[columns - 1], "c99999");
    ck_assert_int_eq(res.records[2]->malformed, 0);
    result_free(&res);

    /* and as the header */
    at = 0;
    for (size_t i = 0; i < columns; i++)
        at += (size_t)sprintf(text + at, i ? "\tc%zu" : "c%zu", i);
    at += (size_t)sprintf(text + at, "\nonly\tfour\tfields\there\n");
    read_csv_file(&res, write_bytes("wide2.csv", text, at), &options, SL_ENCODING_AUTO);
    ck_assert_int_eq(res.rc, 0);
    ck_assert_uint_eq(sl_reader_header(res.reader)->count, columns);
    ck_assert_uint_eq(res.records[0]->field_count, columns);   /* padded */
    result_free(&res);
    free(text);
}
END_TEST

START_TEST(random_binary_does_not_crash)
{
    size_t len = 1 << 20;
    unsigned char *noise = malloc(len);
    unsigned x = 12345;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        noise[i] = (unsigned char)(x >> 16);
    }
    for (int header = 0; header <= 1; header++) {
        csv_result res;
        sl_csv_options options = { 0, header, 0 };
        read_csv_file(&res, write_bytes("noise.bin", noise, len), &options, SL_ENCODING_AUTO);
        ck_assert_int_ge(res.rc, -1);
        size_t flagged = 0;
        for (size_t i = 0; i < res.count; i++)
            flagged += res.records[i]->bad_encoding;
        ck_assert_uint_gt(flagged, 0);
        result_free(&res);
    }
    /* and gzipped noise that is not valid deflate data */
    noise[0] = 0x1F;
    noise[1] = 0x8B;
    noise[2] = 8;
    noise[3] = 0;
    csv_result res;
    sl_csv_options options = { ',', 1, 0 };
    read_csv_file(&res, write_bytes("noise.gz", noise, len), &options, SL_ENCODING_AUTO);
    ck_assert_int_eq(res.rc, -1);
    ck_assert_msg(strstr(res.err.message, "gzip stream is corrupt") != NULL, "%s",
                  res.err.message);
    result_free(&res);
    free(noise);
}
END_TEST

/* ---- the unquoted-line fast path gives exactly libcsv's records ---- */

static csv_result read_with_path(const char *path, int fast)
{
    csv_result res;
    memset(&res, 0, sizeof(res));
    sl_csv_options options = { ',', 1, 0 };
    res.stream = sl_stream_open(path, SL_ENCODING_AUTO, &res.err);
    res.reader = sl_csv_reader_new(res.stream, &options, &res.err);
    sl_csv_reader_set_fast_path(res.reader, fast);
    const sl_record *record;
    size_t cap = 0;
    while ((res.rc = sl_reader_next(res.reader, &record, &res.err)) == 1) {
        if (res.count == cap) {
            cap = cap ? cap * 2 : 64;
            res.records = realloc(res.records, cap * sizeof(*res.records));
        }
        res.records[res.count++] = sl_record_copy(record);
    }
    return res;
}

START_TEST(fast_path_matches_libcsv)
{
    /* with bytes that are not ASCII (valid UTF-8 é, a lone Latin-1 é) and NUL: the fast
     * path's one check of the line flags what the check of each field flags */
    static const char alphabet[] = "ab,,,\"\n\n\r  x;\t\xC3\xA9\xE9\0";
    /* and long fields: the split goes eight bytes at a time, a delimiter in any lane */
    static const char long_fields[] = "abcdefghijklmnopqrstuvwxyz0123456789,\n";
    unsigned x = 777;
    for (int round = 0; round < 60; round++) {
        const char *letters = round < 40 ? alphabet : long_fields;
        size_t letter_count = round < 40 ? sizeof(alphabet) - 1 : sizeof(long_fields) - 1;
        size_t len = 200 + (size_t)round * 700;
        char *text = malloc(len + 1);
        for (size_t i = 0; i < len; i++) {
            x = x * 1103515245u + 12345u;
            text[i] = letters[(x >> 16) % letter_count];
        }
        text[len] = '\0';
        const char *path = write_bytes("fuzz.csv", text, len);
        csv_result fast = read_with_path(path, 1);
        csv_result slow = read_with_path(path, 0);
        ck_assert_int_eq(fast.rc, slow.rc);
        ck_assert_uint_eq(fast.count, slow.count);
        ck_assert_uint_eq(sl_reader_header(fast.reader)->count,
                          sl_reader_header(slow.reader)->count);
        for (size_t i = 0; i < fast.count; i++) {
            const sl_record *a = fast.records[i], *b = slow.records[i];
            ck_assert_uint_eq(a->line, b->line);
            ck_assert_uint_eq(a->number, b->number);
            ck_assert_int_eq(a->malformed, b->malformed);
            ck_assert_int_eq(a->bad_encoding, b->bad_encoding);
            ck_assert_uint_eq(a->field_count, b->field_count);
            for (size_t k = 0; k < a->field_count; k++) {
                ck_assert_uint_eq(a->lengths[k], b->lengths[k]);
                ck_assert(memcmp(a->fields[k], b->fields[k], a->lengths[k]) == 0);
            }
        }
        result_free(&fast);
        result_free(&slow);
        free(text);
    }
}
END_TEST

START_TEST(sniff_helper)
{
    ck_assert_int_eq(sl_csv_sniff_delimiter("a|b|c;d", 7, '"'), '|');
    ck_assert_int_eq(sl_csv_sniff_delimiter("a,b;c", 5, '"'), ',');   /* a tie: ',' first */
    ck_assert_int_eq(sl_csv_sniff_delimiter("\"a;b;c\",d", 9, '"'), ',');
    ck_assert_int_eq(sl_csv_sniff_delimiter("", 0, '"'), ',');
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("input_csv");
    TCase *parse = tcase_create("parse");
    tcase_add_checked_fixture(parse, scratch_setup, scratch_teardown);
    tcase_add_test(parse, sniffs_each_delimiter);
    tcase_add_test(parse, given_delimiter_is_used);
    tcase_add_test(parse, sniff_helper);
    tcase_add_test(parse, fast_path_matches_libcsv);
    tcase_add_test(parse, quoted_delimiter_and_doubled_quote);
    tcase_add_test(parse, newline_inside_quotes_keeps_lines);
    tcase_add_test(parse, crlf_lines);
    tcase_add_test(parse, bom_is_not_in_the_header);
    tcase_add_test(parse, blank_lines_are_skipped);
    tcase_add_test(parse, last_line_without_newline);
    tcase_add_test(parse, values_are_kept_as_written);
    tcase_add_test(parse, ragged_rows);
    tcase_add_test(parse, headerless_columns_by_number);
    tcase_add_test(parse, start_reads_the_header_first);
    tcase_add_test(parse, header_only_and_empty);
    suite_add_tcase(suite, parse);

    TCase *encoding = tcase_create("encoding");
    tcase_add_checked_fixture(encoding, scratch_setup, scratch_teardown);
    tcase_add_test(encoding, invalid_utf8_flags_only_its_record);
    tcase_add_test(encoding, nul_byte_flags_the_record);
    tcase_add_test(encoding, windows1252_records);
    tcase_add_test(encoding, latin1_records);
    tcase_add_test(encoding, utf16le_excel_unicode_text);
    suite_add_tcase(suite, encoding);

    TCase *gzip = tcase_create("gzip");
    tcase_add_checked_fixture(gzip, scratch_setup, scratch_teardown);
    tcase_add_test(gzip, gzipped_csv_reads_like_plain);
    tcase_add_test(gzip, truncated_gzip_names_the_records_read);
    suite_add_tcase(suite, gzip);

    TCase *limits = tcase_create("limits");
    tcase_add_checked_fixture(limits, scratch_setup, scratch_teardown);
    tcase_set_timeout(limits, 120);
    tcase_add_test(limits, ten_megabyte_field);
    tcase_add_test(limits, hundred_thousand_columns);
    tcase_add_test(limits, field_over_the_limit_is_an_error);
    tcase_add_test(limits, random_binary_does_not_crash);
    suite_add_tcase(suite, limits);

    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
