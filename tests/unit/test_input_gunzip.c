/* test_input_gunzip.c: sl_gunzip, the engine behind gzip sources, on members zlib made: the
 * bytes back whole and one byte in or out at a time, two members one after the other (the
 * second left unread until started), a bad CRC-32, a bad length, a bad header, and a member cut
 * short (no progress once the input ends). Built once per engine: the build's (ISA-L or zlib)
 * and, where that is ISA-L, once more with zlib (SL_TEST_GUNZIP_ENGINE names the expected one). */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "input/gunzip.h"
#include "test_gzip.h"

#ifndef SL_TEST_GUNZIP_ENGINE
#define SL_TEST_GUNZIP_ENGINE NULL
#endif

#define TEXT_LEN 200000

static unsigned char *text_make(void)
{
    unsigned char *text = malloc(TEXT_LEN);
    unsigned seed = 12345;
    for (size_t i = 0; i < TEXT_LEN; i++) {   /* CSV-like lines, some random bytes */
        seed = seed * 1103515245u + 12345u;
        text[i] = i % 61 == 60 ? '\n' : (seed >> 16) % 7 == 0 ? (unsigned char)(seed >> 8)
                                                                : (unsigned char)('A' + i % 26);
    }
    return text;
}

/* Inflates one member from in with at most in_step / out_step bytes a call; the status it
 * ended on, the bytes used and made. */
static sl_gunzip_status inflate_member(sl_gunzip *gunzip, const unsigned char *in, size_t len,
                                       size_t in_step, size_t out_step, unsigned char *out,
                                       size_t out_cap, size_t *used_all, size_t *made_all,
                                       const char **why)
{
    size_t used_total = 0, made_total = 0;
    sl_gunzip_status status = SL_GUNZIP_MORE;
    for (int idle = 0; idle < 2;) {
        size_t in_now = len - used_total < in_step ? len - used_total : in_step;
        size_t out_now = out_cap - made_total < out_step ? out_cap - made_total : out_step;
        size_t used = 0, made = 0;
        status = sl_gunzip_run(gunzip, in + used_total, in_now, &used, out + made_total, out_now,
                               &made, why);
        used_total += used;
        made_total += made;
        if (status != SL_GUNZIP_MORE)
            break;
        idle = used == 0 && made == 0 ? idle + 1 : 0;
    }
    *used_all = used_total;
    *made_all = made_total;
    return status;
}

static void assert_round_trip(size_t in_step, size_t out_step)
{
    unsigned char *text = text_make();
    size_t member_len;
    unsigned char *member = gzip_bytes(text, TEXT_LEN, &member_len);
    unsigned char *out = malloc(TEXT_LEN + 16);
    sl_gunzip *gunzip = sl_gunzip_new();
    ck_assert_ptr_nonnull(gunzip);
    size_t used, made;
    const char *why = NULL;
    ck_assert_int_eq(inflate_member(gunzip, member, member_len, in_step, out_step, out,
                                    TEXT_LEN + 16, &used, &made, &why),
                     SL_GUNZIP_MEMBER_END);
    ck_assert_uint_eq(used, member_len);
    ck_assert_uint_eq(made, TEXT_LEN);
    ck_assert(memcmp(out, text, TEXT_LEN) == 0);
    sl_gunzip_free(gunzip);
    free(out);
    free(member);
    free(text);
}

START_TEST(the_engine_is_the_expected_one)
{
    if (SL_TEST_GUNZIP_ENGINE)
        ck_assert_str_eq(sl_gunzip_engine(), SL_TEST_GUNZIP_ENGINE);
    else
        ck_assert(strcmp(sl_gunzip_engine(), "zlib") == 0 ||
                  strcmp(sl_gunzip_engine(), "isa-l") == 0);
}
END_TEST

START_TEST(a_member_comes_back_whole)
{
    assert_round_trip((size_t)-1, (size_t)-1);
}
END_TEST

START_TEST(one_byte_in_at_a_time)
{
    assert_round_trip(1, (size_t)-1);
}
END_TEST

START_TEST(one_byte_out_at_a_time)
{
    assert_round_trip((size_t)-1, 1);
}
END_TEST

START_TEST(two_members_one_after_the_other)
{
    unsigned char *text = text_make();
    size_t first_len, second_len;
    unsigned char *first = gzip_bytes(text, 1000, &first_len);
    unsigned char *second = gzip_bytes(text + 1000, TEXT_LEN - 1000, &second_len);
    unsigned char *both = malloc(first_len + second_len);
    memcpy(both, first, first_len);
    memcpy(both + first_len, second, second_len);
    unsigned char *out = malloc(TEXT_LEN);
    sl_gunzip *gunzip = sl_gunzip_new();
    size_t used, made, used2, made2;
    const char *why = NULL;
    ck_assert_int_eq(inflate_member(gunzip, both, first_len + second_len, 4096, 4096, out,
                                    TEXT_LEN, &used, &made, &why),
                     SL_GUNZIP_MEMBER_END);
    ck_assert_uint_eq(used, first_len);   /* the second member's bytes are left */
    ck_assert_uint_eq(made, 1000);
    sl_gunzip_start_member(gunzip);
    ck_assert_int_eq(inflate_member(gunzip, both + used, second_len, 4096, 4096, out + made,
                                    TEXT_LEN - made, &used2, &made2, &why),
                     SL_GUNZIP_MEMBER_END);
    ck_assert_uint_eq(used2, second_len);
    ck_assert_uint_eq(made + made2, TEXT_LEN);
    ck_assert(memcmp(out, text, TEXT_LEN) == 0);
    sl_gunzip_free(gunzip);
    free(out);
    free(both);
    free(second);
    free(first);
    free(text);
}
END_TEST

/* The member with the bits of mask flipped in the byte at offset (counted from the end when
 * from_end): CORRUPT, in zlib's words when want is given. */
static void assert_corrupt(size_t offset, int from_end, unsigned char mask, const char *want)
{
    unsigned char *text = text_make();
    size_t member_len;
    unsigned char *member = gzip_bytes(text, TEXT_LEN, &member_len);
    member[from_end ? member_len - offset : offset] ^= mask;
    unsigned char *out = malloc(TEXT_LEN + 16);
    sl_gunzip *gunzip = sl_gunzip_new();
    size_t used, made;
    const char *why = NULL;
    ck_assert_int_eq(inflate_member(gunzip, member, member_len, 4096, 65536, out,
                                    TEXT_LEN + 16, &used, &made, &why),
                     SL_GUNZIP_CORRUPT);
    ck_assert_ptr_nonnull(why);
    if (want)
        ck_assert_str_eq(why, want);
    sl_gunzip_free(gunzip);
    free(out);
    free(member);
    free(text);
}

START_TEST(a_bad_crc_is_corrupt)
{
    assert_corrupt(8, 1, 0x55, "incorrect data check");   /* the trailer's CRC-32 */
}
END_TEST

START_TEST(a_bad_length_is_corrupt)
{
    assert_corrupt(4, 1, 0x01, NULL);   /* the trailer's ISIZE: the engines word it apart */
}
END_TEST

START_TEST(a_bad_method_is_corrupt)
{
    assert_corrupt(2, 0, 0x55, "unknown compression method");   /* CM: 8 is deflate */
}
END_TEST

START_TEST(a_member_cut_short_stops_progressing)
{
    unsigned char *text = text_make();
    size_t member_len;
    unsigned char *member = gzip_bytes(text, TEXT_LEN, &member_len);
    unsigned char *out = malloc(TEXT_LEN + 16);
    for (size_t cut = 0; cut < member_len; cut += member_len / 7 + 1) {
        sl_gunzip *gunzip = sl_gunzip_new();
        size_t used, made;
        const char *why = NULL;
        ck_assert_int_eq(inflate_member(gunzip, member, cut, 4096, 65536, out, TEXT_LEN + 16,
                                        &used, &made, &why),
                         SL_GUNZIP_MORE);
        ck_assert_uint_eq(used, cut);
        ck_assert_uint_lt(made, TEXT_LEN);
        ck_assert(memcmp(out, text, made) == 0);   /* what came out is the text's start */
        sl_gunzip_free(gunzip);
    }
    free(out);
    free(member);
    free(text);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("input_gunzip");
    TCase *tc = tcase_create("gunzip");
    tcase_add_test(tc, the_engine_is_the_expected_one);
    tcase_add_test(tc, a_member_comes_back_whole);
    tcase_add_test(tc, one_byte_in_at_a_time);
    tcase_add_test(tc, one_byte_out_at_a_time);
    tcase_add_test(tc, two_members_one_after_the_other);
    tcase_add_test(tc, a_bad_crc_is_corrupt);
    tcase_add_test(tc, a_bad_length_is_corrupt);
    tcase_add_test(tc, a_bad_method_is_corrupt);
    tcase_add_test(tc, a_member_cut_short_stops_progressing);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
