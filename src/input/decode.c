/* decode.c: turning the bytes of a source into UTF-8: encoding names, byte-order marks, and
 * the UTF-16LE/BE, ISO-8859-1 and Windows-1252 decoders (tables, no iconv state). Bytes that
 * have no character (windows-1252's five undefined bytes, broken UTF-16) are passed on as
 * invalid UTF-8 so the record holding them is flagged bad_encoding. UTF-8 input is not
 * touched here (stream.c passes it through); this file does not read or buffer anything. */
#include <string.h>
#include <strings.h>
#include "input_internal.h"

static const struct {
    const char *name;
    sl_encoding encoding;
} encoding_names[] = {
    { "auto", SL_ENCODING_AUTO },          { "utf-8", SL_ENCODING_UTF8 },
    { "utf8", SL_ENCODING_UTF8 },          { "utf-16le", SL_ENCODING_UTF16LE },
    { "utf16le", SL_ENCODING_UTF16LE },    { "utf-16be", SL_ENCODING_UTF16BE },
    { "utf16be", SL_ENCODING_UTF16BE },    { "latin-1", SL_ENCODING_LATIN1 },
    { "latin1", SL_ENCODING_LATIN1 },      { "iso-8859-1", SL_ENCODING_LATIN1 },
    { "iso8859-1", SL_ENCODING_LATIN1 },   { "iso_8859-1", SL_ENCODING_LATIN1 },
    { "l1", SL_ENCODING_LATIN1 },          { "windows-1252", SL_ENCODING_WINDOWS1252 },
    { "windows1252", SL_ENCODING_WINDOWS1252 }, { "cp1252", SL_ENCODING_WINDOWS1252 },
    { "cp-1252", SL_ENCODING_WINDOWS1252 },
};

int sl_encoding_parse(const char *name, sl_encoding *out)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < sizeof(encoding_names) / sizeof(encoding_names[0]); i++) {
        if (strcasecmp(name, encoding_names[i].name) == 0) {
            *out = encoding_names[i].encoding;
            return 0;
        }
    }
    return -1;
}

static const struct {
    unsigned char bytes[3];
    size_t len;
    sl_encoding encoding;
} boms[] = {
    { { 0xEF, 0xBB, 0xBF }, 3, SL_ENCODING_UTF8 },
    { { 0xFF, 0xFE, 0 }, 2, SL_ENCODING_UTF16LE },
    { { 0xFE, 0xFF, 0 }, 2, SL_ENCODING_UTF16BE },
};

size_t sl_decode_bom(sl_encoding requested, const unsigned char *in, size_t len,
                  sl_encoding *active)
{
    *active = requested == SL_ENCODING_AUTO ? SL_ENCODING_UTF8 : requested;
    for (size_t i = 0; i < sizeof(boms) / sizeof(boms[0]); i++) {
        if (len >= boms[i].len && memcmp(in, boms[i].bytes, boms[i].len) == 0) {
            *active = boms[i].encoding;
            return boms[i].len;
        }
    }
    return 0;
}

/* Windows-1252 0x80..0x9F; 0 marks the five undefined bytes. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

static size_t put_code_point(char *out, unsigned cp)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* One byte that is never valid UTF-8, standing for input that has no character. */
#define INVALID_BYTE 0xFF

static size_t decode_single_byte(int windows, const unsigned char *in, size_t in_len,
                                 char *out, size_t out_cap, size_t *consumed)
{
    size_t i = 0, o = 0;
    while (i < in_len && o + 3 <= out_cap) {
        unsigned char b = in[i++];
        if (b < 0x80) {
            out[o++] = (char)b;
        } else if (windows && b < 0xA0) {
            unsigned cp = cp1252_high[b - 0x80];
            if (cp)
                o += put_code_point(out + o, cp);
            else
                out[o++] = (char)b;   /* undefined: a lone continuation byte, invalid UTF-8 */
        } else {
            o += put_code_point(out + o, b);
        }
    }
    *consumed = i;
    return o;
}

static unsigned utf16_unit(const unsigned char *p, int big_endian)
{
    return big_endian ? (unsigned)(p[0] << 8 | p[1]) : (unsigned)(p[1] << 8 | p[0]);
}

static size_t decode_utf16(int big_endian, const unsigned char *in, size_t in_len, int at_end,
                           char *out, size_t out_cap, size_t *consumed)
{
    size_t i = 0, o = 0;
    while (i + 2 <= in_len && o + 4 <= out_cap) {
        unsigned unit = utf16_unit(in + i, big_endian);
        if (unit < 0xD800 || unit > 0xDFFF) {
            o += put_code_point(out + o, unit);
            i += 2;
        } else if (unit <= 0xDBFF) {
            if (i + 4 > in_len) {
                if (!at_end)
                    break;   /* the low half may come with the next bytes */
                out[o++] = (char)INVALID_BYTE;
                i += 2;
                continue;
            }
            unsigned low = utf16_unit(in + i + 2, big_endian);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                o += put_code_point(out + o, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
                i += 4;
            } else {
                out[o++] = (char)INVALID_BYTE;   /* a high surrogate alone */
                i += 2;
            }
        } else {
            out[o++] = (char)INVALID_BYTE;       /* a low surrogate alone */
            i += 2;
        }
    }
    if (at_end && i + 1 == in_len && o < out_cap) {
        out[o++] = (char)INVALID_BYTE;           /* an odd byte at the end */
        i++;
    }
    *consumed = i;
    return o;
}

size_t sl_decode_chunk(sl_encoding encoding, const unsigned char *in, size_t in_len, int at_end,
                    char *out, size_t out_cap, size_t *consumed)
{
    switch (encoding) {
    case SL_ENCODING_UTF16LE:
    case SL_ENCODING_UTF16BE:
        return decode_utf16(encoding == SL_ENCODING_UTF16BE, in, in_len, at_end, out, out_cap,
                            consumed);
    case SL_ENCODING_LATIN1:
    case SL_ENCODING_WINDOWS1252:
        return decode_single_byte(encoding == SL_ENCODING_WINDOWS1252, in, in_len, out,
                                  out_cap, consumed);
    case SL_ENCODING_AUTO:
    case SL_ENCODING_UTF8:
    default: {
        size_t n = in_len < out_cap ? in_len : out_cap;
        memcpy(out, in, n);
        *consumed = n;
        return n;
    }
    }
}
