/* test_input_stream.c: sl_stream on real files: a missing path, a directory and an empty file;
 * gzip (one member, several members, truncated, corrupt, plain data named .gz); the SHA-256 and
 * size of the raw bytes; peeking without consuming; and decoding (UTF-8 BOM, UTF-16LE/BE with
 * and without BOM, broken UTF-16, ISO-8859-1, Windows-1252 and its undefined bytes). */
#include "test_input_util.h"
#include "shipload/utf8.h"

static char *read_path(const char *path, sl_encoding encoding, size_t *len, int *rc)
{
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, encoding, &err);
    ck_assert_msg(stream != NULL, "%s", err.message);
    char *all = read_all(stream, len, rc);
    sl_stream_close(stream);
    return all;
}

/* ---- opening ---- */

START_TEST(missing_path_names_it)
{
    sl_error err = { "" };
    const char *path = scratch_path("no-such-file.csv");
    ck_assert_ptr_null(sl_stream_open(path, SL_ENCODING_AUTO, &err));
    char expected[600];
    snprintf(expected, sizeof(expected), "%s: No such file or directory", path);
    ck_assert_str_eq(err.message, expected);
}
END_TEST

START_TEST(directory_is_refused)
{
    sl_error err = { "" };
    ck_assert_ptr_null(sl_stream_open(scratch, SL_ENCODING_AUTO, &err));
    char expected[600];
    snprintf(expected, sizeof(expected), "%s: not a file (a directory)", scratch);
    ck_assert_str_eq(err.message, expected);
}
END_TEST

START_TEST(empty_file_reads_nothing)
{
    const char *path = write_bytes("empty.csv", "", 0);
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    ck_assert_ptr_nonnull(stream);
    const char *data;
    size_t len = 99;
    ck_assert_int_eq(sl_stream_peek(stream, 10, &data, &len, &err), 0);
    ck_assert_uint_eq(len, 0);
    char buf[16];
    ck_assert_int_eq(sl_stream_read(stream, buf, sizeof(buf), &err), 0);
    ck_assert_int_eq(sl_stream_is_gzip(stream), 0);
    ck_assert_uint_eq(sl_stream_raw_bytes(stream), 0);
    char hex[65];
    sl_stream_sha256_hex(stream, hex);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sl_stream_close(stream);
}
END_TEST

START_TEST(plain_file_size_and_sha256)
{
    const char *path = write_text("abc.csv", "abc");
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    size_t len;
    int rc;
    char *all = read_all(stream, &len, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_str_eq(all, "abc");
    ck_assert_uint_eq(sl_stream_raw_bytes(stream), 3);
    char hex[65];
    sl_stream_sha256_hex(stream, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ck_assert_str_eq(sl_stream_name(stream), path);
    free(all);
    sl_stream_close(stream);
}
END_TEST

/* ---- gzip ---- */

static char *numbered_lines(size_t count)
{
    char *text = malloc(count * 32 + 1);
    size_t at = 0;
    for (size_t i = 0; i < count; i++)
        at += (size_t)sprintf(text + at, "line %zu,value %zu\n", i, i * 7);
    text[at] = '\0';
    return text;
}

START_TEST(gzip_single_member)
{
    char *text = numbered_lines(20000);
    const char *path = write_gzip("one.gz", text);
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    size_t len;
    int rc;
    char *all = read_all(stream, &len, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(sl_stream_is_gzip(stream), 1);
    ck_assert_uint_eq(len, strlen(text));
    ck_assert(strcmp(all, text) == 0);
    struct stat st;
    stat(path, &st);
    ck_assert_uint_eq(sl_stream_raw_bytes(stream), (unsigned long long)st.st_size);
    free(all);
    free(text);
    sl_stream_close(stream);
}
END_TEST

START_TEST(gzip_multi_member_read_whole)
{
    size_t len_a, len_b;
    unsigned char *a = gzip_bytes("first,member\n", 13, &len_a);
    char *big = numbered_lines(5000);
    unsigned char *b = gzip_bytes(big, strlen(big), &len_b);
    unsigned char *both = malloc(len_a + len_b + len_a);
    memcpy(both, a, len_a);
    memcpy(both + len_a, b, len_b);
    memcpy(both + len_a + len_b, a, len_a);   /* cat a.gz b.gz a.gz */
    const char *path = write_bytes("multi.gz", both, len_a + len_b + len_a);
    size_t len;
    int rc;
    char *all = read_path(path, SL_ENCODING_AUTO, &len, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(len, 13 + strlen(big) + 13);
    ck_assert(strncmp(all, "first,member\n", 13) == 0);
    ck_assert(strncmp(all + 13, big, strlen(big)) == 0);
    ck_assert_str_eq(all + 13 + strlen(big), "first,member\n");
    free(all);
    free(big);
    free(a);
    free(b);
    free(both);
}
END_TEST

START_TEST(gzip_truncated_is_an_error)
{
    char *text = numbered_lines(20000);
    size_t gz_len;
    unsigned char *gz = gzip_bytes(text, strlen(text), &gz_len);
    const char *path = write_bytes("cut.gz", gz, gz_len / 2);
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    size_t len;
    int rc;
    char *all = read_all(stream, &len, &rc);
    ck_assert_int_eq(rc, -1);
    ck_assert_uint_gt(len, 0);                 /* what came before the cut was delivered */
    ck_assert(strncmp(all, text, len) == 0);
    char buf[10];
    ck_assert_int_eq(sl_stream_read(stream, buf, sizeof(buf), &err), -1);   /* it stays */
    ck_assert_str_eq(err.message, "gzip stream is truncated");
    free(all);
    free(gz);
    free(text);
    sl_stream_close(stream);
}
END_TEST

START_TEST(gzip_cut_in_the_header)
{
    const unsigned char header_only[] = { 0x1F, 0x8B, 0x08, 0x00 };
    const char *path = write_bytes("head.gz", header_only, sizeof(header_only));
    size_t len;
    int rc;
    char *all = read_path(path, SL_ENCODING_AUTO, &len, &rc);
    ck_assert_int_eq(rc, -1);
    ck_assert_uint_eq(len, 0);
    free(all);
}
END_TEST

START_TEST(gzip_corrupt_is_an_error)
{
    char *text = numbered_lines(2000);
    size_t gz_len;
    unsigned char *gz = gzip_bytes(text, strlen(text), &gz_len);
    for (size_t i = 20; i < 60; i++)
        gz[i] ^= 0x5A;
    const char *path = write_bytes("bad.gz", gz, gz_len);
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    size_t len;
    int rc;
    char *all = read_all(stream, &len, &rc);
    ck_assert_int_eq(rc, -1);
    char buf[4];
    sl_stream_read(stream, buf, sizeof(buf), &err);
    ck_assert_msg(strstr(err.message, "gzip stream is corrupt") != NULL, "%s", err.message);
    free(all);
    free(gz);
    free(text);
    sl_stream_close(stream);
}
END_TEST

START_TEST(gzip_trailing_garbage_is_an_error)
{
    size_t gz_len;
    unsigned char *gz = gzip_bytes("a,b\n", 4, &gz_len);
    unsigned char *with = malloc(gz_len + 5);
    memcpy(with, gz, gz_len);
    memcpy(with + gz_len, "junk!", 5);
    const char *path = write_bytes("junk.gz", with, gz_len + 5);
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    size_t len;
    int rc;
    char *all = read_all(stream, &len, &rc);
    ck_assert_int_eq(rc, -1);
    ck_assert_str_eq(all, "a,b\n");
    sl_stream_read(stream, (char *)with, 1, &err);
    ck_assert_str_eq(err.message, "gzip stream is corrupt: unexpected bytes after member 1");
    free(all);
    free(gz);
    free(with);
    sl_stream_close(stream);
}
END_TEST

START_TEST(not_gzip_despite_the_name)
{
    const char *path = write_text("plain.csv.gz", "order_number\n#1\n");
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    size_t len;
    int rc;
    char *all = read_all(stream, &len, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(sl_stream_is_gzip(stream), 0);
    ck_assert_str_eq(all, "order_number\n#1\n");
    free(all);
    sl_stream_close(stream);
}
END_TEST

START_TEST(gzip_sha256_is_of_the_raw_bytes)
{
    size_t gz_len;
    unsigned char *gz = gzip_bytes("abc", 3, &gz_len);
    const char *gz_path = write_bytes("abc.gz", gz, gz_len);
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(gz_path, SL_ENCODING_AUTO, &err);
    size_t len;
    int rc;
    free(read_all(stream, &len, &rc));
    char hex[65];
    sl_stream_sha256_hex(stream, hex);
    ck_assert_str_ne(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ck_assert_uint_eq(strlen(hex), 64);
    ck_assert_uint_eq(sl_stream_raw_bytes(stream), gz_len);
    sl_stream_close(stream);
    free(gz);
}
END_TEST

/* ---- peeking ---- */

START_TEST(peek_does_not_consume)
{
    const char *path = write_gzip("peek.gz", "hello,world\nsecond,line\n");
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    const char *data;
    size_t len;
    ck_assert_int_eq(sl_stream_peek(stream, 5, &data, &len, &err), 0);
    ck_assert_uint_eq(len, 5);
    ck_assert(memcmp(data, "hello", 5) == 0);
    ck_assert_int_eq(sl_stream_peek(stream, 1000, &data, &len, &err), 0);
    ck_assert_uint_eq(len, 24);
    size_t all_len;
    int rc;
    char *all = read_all(stream, &all_len, &rc);
    ck_assert_str_eq(all, "hello,world\nsecond,line\n");
    ck_assert_int_eq(sl_stream_peek(stream, 1, &data, &len, &err), -1);   /* too late */
    ck_assert_int_eq(sl_stream_set_encoding(stream, SL_ENCODING_LATIN1, &err), -1);
    free(all);
    sl_stream_close(stream);
}
END_TEST

START_TEST(encoding_can_change_after_a_peek)
{
    const char *path = write_bytes("cafe.csv", "caf\xE9\n", 5);
    sl_error err = { "" };
    sl_stream *stream = sl_stream_open(path, SL_ENCODING_AUTO, &err);
    const char *data;
    size_t len;
    ck_assert_int_eq(sl_stream_peek(stream, 100, &data, &len, &err), 0);
    ck_assert_uint_eq(len, 5);
    ck_assert_int_eq(sl_stream_set_encoding(stream, SL_ENCODING_WINDOWS1252, &err), 0);
    size_t all_len;
    int rc;
    char *all = read_all(stream, &all_len, &rc);
    ck_assert_str_eq(all, "caf\xC3\xA9\n");
    free(all);
    sl_stream_close(stream);
}
END_TEST

/* ---- decoding ---- */

START_TEST(utf8_bom_is_dropped)
{
    const char *path = write_text("bom.csv", "\xEF\xBB\xBForder_number\n");
    size_t len;
    int rc;
    char *all = read_path(path, SL_ENCODING_AUTO, &len, &rc);
    ck_assert_str_eq(all, "order_number\n");
    free(all);
    all = read_path(path, SL_ENCODING_UTF8, &len, &rc);
    ck_assert_str_eq(all, "order_number\n");
    free(all);
}
END_TEST

START_TEST(utf16le_with_bom)
{
    /* "a,é\n€😀" */
    const unsigned char bytes[] = { 0xFF, 0xFE, 'a', 0, ',', 0, 0xE9, 0, '\n', 0,
                                    0xAC, 0x20, 0x3D, 0xD8, 0x00, 0xDE };
    const char *path = write_bytes("u16le.csv", bytes, sizeof(bytes));
    size_t len;
    int rc;
    char *all = read_path(path, SL_ENCODING_AUTO, &len, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_str_eq(all, "a,\xC3\xA9\n\xE2\x82\xAC\xF0\x9F\x98\x80");
    free(all);
}
END_TEST

START_TEST(utf16be_with_and_without_bom)
{
    const unsigned char bom[] = { 0xFE, 0xFF, 0, 'a', 0, 0xE9 };
    const char *path = write_bytes("u16be.csv", bom, sizeof(bom));
    size_t len;
    int rc;
    char *all = read_path(path, SL_ENCODING_AUTO, &len, &rc);
    ck_assert_str_eq(all, "a\xC3\xA9");
    free(all);
    path = write_bytes("u16be-nobom.csv", bom + 2, sizeof(bom) - 2);
    all = read_path(path, SL_ENCODING_UTF16BE, &len, &rc);
    ck_assert_str_eq(all, "a\xC3\xA9");
    free(all);
}
END_TEST

START_TEST(utf16_gzipped_large)
{
    /* 300,000 UTF-16LE "é\n" pairs, gzipped: units split across buffer ends must decode. */
    size_t count = 300000;
    unsigned char *u16 = malloc(2 + count * 4);
    u16[0] = 0xFF;
    u16[1] = 0xFE;
    for (size_t i = 0; i < count; i++) {
        u16[2 + 4 * i] = 0xE9;
        u16[3 + 4 * i] = 0;
        u16[4 + 4 * i] = '\n';
        u16[5 + 4 * i] = 0;
    }
    size_t gz_len;
    unsigned char *gz = gzip_bytes(u16, 2 + count * 4, &gz_len);
    const char *path = write_bytes("big16.gz", gz, gz_len);
    size_t len;
    int rc;
    char *all = read_path(path, SL_ENCODING_AUTO, &len, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(len, count * 3);
    ck_assert(sl_utf8_valid(all, len));
    ck_assert(memcmp(all + len - 3, "\xC3\xA9\n", 3) == 0);
    free(all);
    free(gz);
    free(u16);
}
END_TEST

START_TEST(broken_utf16_becomes_invalid_utf8)
{
    /* a lone high surrogate, a lone low surrogate, then an odd byte at the end */
    const unsigned char bytes[] = { 0xFF, 0xFE, 0x3D, 0xD8, 'x', 0, 0x00, 0xDE, 'y', 0, 'z' };
    const char *path = write_bytes("broken16.csv", bytes, sizeof(bytes));
    size_t len;
    int rc;
    char *all = read_path(path, SL_ENCODING_AUTO, &len, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert(!sl_utf8_valid(all, len));
    ck_assert_ptr_nonnull(memchr(all, 'x', len));
    ck_assert_ptr_nonnull(memchr(all, 'y', len));
    free(all);
}
END_TEST

START_TEST(latin1_decodes)
{
    const char *path = write_bytes("latin1.csv", "\xE9\xFF\x80\xA9", 4);
    size_t len;
    int rc;
    char *all = read_path(path, SL_ENCODING_LATIN1, &len, &rc);
    ck_assert_str_eq(all, "\xC3\xA9\xC3\xBF\xC2\x80\xC2\xA9");   /* é ÿ U+0080 © */
    free(all);
}
END_TEST

START_TEST(windows1252_decodes)
{
    const char *path = write_bytes("cp1252.csv", "caf\xE9 \x80 \x93x\x94 \x99", 12);
    size_t len;
    int rc;
    char *all = read_path(path, SL_ENCODING_WINDOWS1252, &len, &rc);
    ck_assert_str_eq(all, "caf\xC3\xA9 \xE2\x82\xAC \xE2\x80\x9Cx\xE2\x80\x9D \xE2\x84\xA2");
    ck_assert(sl_utf8_valid(all, len));
    free(all);
}
END_TEST

START_TEST(windows1252_undefined_bytes_are_invalid)
{
    const unsigned char undefined[] = { 0x81, 0x8D, 0x8F, 0x90, 0x9D };
    for (size_t i = 0; i < sizeof(undefined); i++) {
        unsigned char bytes[3] = { 'a', undefined[i], 'b' };
        const char *path = write_bytes("undefined.csv", bytes, 3);
        size_t len;
        int rc;
        char *all = read_path(path, SL_ENCODING_WINDOWS1252, &len, &rc);
        ck_assert_int_eq(rc, 0);
        ck_assert_msg(!sl_utf8_valid(all, len), "byte 0x%02X", undefined[i]);
        ck_assert_int_eq(all[0], 'a');
        ck_assert_int_eq(all[len - 1], 'b');
        free(all);
    }
}
END_TEST

START_TEST(invalid_utf8_passes_through)
{
    const char *path = write_bytes("bad8.csv", "caf\xE9\n", 5);
    size_t len;
    int rc;
    char *all = read_path(path, SL_ENCODING_AUTO, &len, &rc);
    ck_assert_uint_eq(len, 5);
    ck_assert(!sl_utf8_valid(all, len));
    free(all);
}
END_TEST

START_TEST(encoding_names)
{
    static const struct {
        const char *name;
        sl_encoding encoding;
    } names[] = {
        { "utf-8", SL_ENCODING_UTF8 },          { "UTF8", SL_ENCODING_UTF8 },
        { "utf-16le", SL_ENCODING_UTF16LE },    { "UTF-16BE", SL_ENCODING_UTF16BE },
        { "latin-1", SL_ENCODING_LATIN1 },      { "ISO-8859-1", SL_ENCODING_LATIN1 },
        { "windows-1252", SL_ENCODING_WINDOWS1252 }, { "cp1252", SL_ENCODING_WINDOWS1252 },
        { "auto", SL_ENCODING_AUTO },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        sl_encoding got = (sl_encoding)-1;
        ck_assert_int_eq(sl_encoding_parse(names[i].name, &got), 0);
        ck_assert_int_eq(got, names[i].encoding);
    }
    sl_encoding got;
    ck_assert_int_eq(sl_encoding_parse("ebcdic", &got), -1);
    ck_assert_int_eq(sl_encoding_parse(NULL, &got), -1);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("input_stream");
    TCase *open = tcase_create("open");
    tcase_add_checked_fixture(open, scratch_setup, scratch_teardown);
    tcase_add_test(open, missing_path_names_it);
    tcase_add_test(open, directory_is_refused);
    tcase_add_test(open, empty_file_reads_nothing);
    tcase_add_test(open, plain_file_size_and_sha256);
    suite_add_tcase(suite, open);

    TCase *gzip = tcase_create("gzip");
    tcase_add_checked_fixture(gzip, scratch_setup, scratch_teardown);
    tcase_add_test(gzip, gzip_single_member);
    tcase_add_test(gzip, gzip_multi_member_read_whole);
    tcase_add_test(gzip, gzip_truncated_is_an_error);
    tcase_add_test(gzip, gzip_cut_in_the_header);
    tcase_add_test(gzip, gzip_corrupt_is_an_error);
    tcase_add_test(gzip, gzip_trailing_garbage_is_an_error);
    tcase_add_test(gzip, not_gzip_despite_the_name);
    tcase_add_test(gzip, gzip_sha256_is_of_the_raw_bytes);
    suite_add_tcase(suite, gzip);

    TCase *peek = tcase_create("peek");
    tcase_add_checked_fixture(peek, scratch_setup, scratch_teardown);
    tcase_add_test(peek, peek_does_not_consume);
    tcase_add_test(peek, encoding_can_change_after_a_peek);
    suite_add_tcase(suite, peek);

    TCase *decode = tcase_create("decode");
    tcase_add_checked_fixture(decode, scratch_setup, scratch_teardown);
    tcase_add_test(decode, utf8_bom_is_dropped);
    tcase_add_test(decode, utf16le_with_bom);
    tcase_add_test(decode, utf16be_with_and_without_bom);
    tcase_add_test(decode, utf16_gzipped_large);
    tcase_add_test(decode, broken_utf16_becomes_invalid_utf8);
    tcase_add_test(decode, latin1_decodes);
    tcase_add_test(decode, windows1252_decodes);
    tcase_add_test(decode, windows1252_undefined_bytes_are_invalid);
    tcase_add_test(decode, invalid_utf8_passes_through);
    tcase_add_test(decode, encoding_names);
    suite_add_tcase(suite, decode);

    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
