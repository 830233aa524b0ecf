/* gunzip.c: one gzip member at a time, by ISA-L's igzip or by zlib (see gunzip.h). Each engine
 * is a struct and four functions; nothing else here. Neither looks for members or padding. */
#include <limits.h>
#include <stdlib.h>
#include "input/gunzip.h"

/* Input and output are handed over at most this much at a time (both engines count in 32-bit
 * lengths); the caller's buffers are far smaller. */
#define GUNZIP_SPAN_MAX ((size_t)UINT_MAX)

static size_t span(size_t len)
{
    return len < GUNZIP_SPAN_MAX ? len : GUNZIP_SPAN_MAX;
}

#ifdef SHIPLOAD_HAVE_ISAL

#include <isa-l/igzip_lib.h>

struct sl_gunzip {
    struct inflate_state state;
};

sl_gunzip *sl_gunzip_new(void)
{
    sl_gunzip *gunzip = malloc(sizeof(*gunzip));
    if (gunzip)
        sl_gunzip_start_member(gunzip);
    return gunzip;
}

void sl_gunzip_free(sl_gunzip *gunzip)
{
    free(gunzip);
}

void sl_gunzip_start_member(sl_gunzip *gunzip)
{
    isal_inflate_init(&gunzip->state);
    gunzip->state.crc_flag = ISAL_GZIP;   /* parse the header, check the trailer */
}

/* ISA-L's errors, in zlib's words where zlib has them. */
static const char *isal_reason(int rc)
{
    static const struct { int rc; const char *why; } reasons[] = {
        { ISAL_INVALID_BLOCK, "invalid block type" },
        { ISAL_INVALID_SYMBOL, "invalid code" },
        { ISAL_INVALID_LOOKBACK, "invalid distance too far back" },
        { ISAL_INVALID_WRAPPER, "incorrect header check" },
        { ISAL_UNSUPPORTED_METHOD, "unknown compression method" },
        { ISAL_INCORRECT_CHECKSUM, "incorrect data check" },
        { ISAL_NEED_DICT, "needs a preset dictionary" },
    };
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (reasons[i].rc == rc)
            return reasons[i].why;
    return "bad data";
}

sl_gunzip_status sl_gunzip_run(sl_gunzip *gunzip, const unsigned char *in, size_t in_len,
                               size_t *in_used, unsigned char *out, size_t out_cap,
                               size_t *out_made, const char **why)
{
    struct inflate_state *state = &gunzip->state;
    state->next_in = (uint8_t *)in;   /* read only: igzip's field is not const */
    state->avail_in = (uint32_t)span(in_len);
    state->next_out = out;
    state->avail_out = (uint32_t)span(out_cap);
    uint32_t in_given = state->avail_in, out_given = state->avail_out;
    int rc = isal_inflate(state);
    *in_used = in_given - state->avail_in;
    *out_made = out_given - state->avail_out;
    if (rc < 0 || rc == ISAL_NEED_DICT) {
        *why = isal_reason(rc);
        return SL_GUNZIP_CORRUPT;
    }
    return state->block_state == ISAL_BLOCK_FINISH ? SL_GUNZIP_MEMBER_END : SL_GUNZIP_MORE;
}

const char *sl_gunzip_engine(void)
{
    return "isa-l";
}

#else /* zlib */

#include <zlib.h>

struct sl_gunzip {
    z_stream z;   /* inflateInit2 done by sl_gunzip_new; inflateReset for each member */
};

sl_gunzip *sl_gunzip_new(void)
{
    sl_gunzip *gunzip = calloc(1, sizeof(*gunzip));
    if (!gunzip)
        return NULL;
    if (inflateInit2(&gunzip->z, 15 + 16) != Z_OK) {   /* 15-bit window, gzip wrapper */
        free(gunzip);
        return NULL;
    }
    return gunzip;
}

void sl_gunzip_free(sl_gunzip *gunzip)
{
    if (gunzip)
        inflateEnd(&gunzip->z);
    free(gunzip);
}

void sl_gunzip_start_member(sl_gunzip *gunzip)
{
    inflateReset(&gunzip->z);
}

sl_gunzip_status sl_gunzip_run(sl_gunzip *gunzip, const unsigned char *in, size_t in_len,
                               size_t *in_used, unsigned char *out, size_t out_cap,
                               size_t *out_made, const char **why)
{
    z_stream *z = &gunzip->z;
    z->next_in = (Bytef *)in;   /* read only: zlib's field is not const */
    z->avail_in = (uInt)span(in_len);
    z->next_out = out;
    z->avail_out = (uInt)span(out_cap);
    uInt in_given = z->avail_in, out_given = z->avail_out;
    int rc = inflate(z, Z_NO_FLUSH);
    *in_used = in_given - z->avail_in;
    *out_made = out_given - z->avail_out;
    switch (rc) {
    case Z_STREAM_END: return SL_GUNZIP_MEMBER_END;
    case Z_MEM_ERROR: return SL_GUNZIP_NO_MEMORY;
    case Z_NEED_DICT:
    case Z_DATA_ERROR:
    case Z_STREAM_ERROR:
        *why = z->msg ? z->msg : "bad data";
        return SL_GUNZIP_CORRUPT;
    default: return SL_GUNZIP_MORE;   /* Z_OK, Z_BUF_ERROR */
    }
}

const char *sl_gunzip_engine(void)
{
    return "zlib";
}

#endif
