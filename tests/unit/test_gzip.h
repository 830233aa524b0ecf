/* test_gzip.h: bytes gzipped as one member by zlib, for the tests that read gzip (the input
 * stage's and the gzip engines'). Header-only, like test_input_util.h. */
#ifndef TEST_GZIP_H
#define TEST_GZIP_H

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* data gzipped as one member, into a malloc'd buffer. */
static inline unsigned char *gzip_bytes(const void *data, size_t len, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, (uLong)len) + 64;
    unsigned char *out = malloc(cap);
    ck_assert_ptr_nonnull(out);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out_len = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

#endif
