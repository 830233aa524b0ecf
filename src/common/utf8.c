/* utf8.c: strict UTF-8 checking (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF) and the rendering of invalid sequences as U+FFFD for reports. Does not convert
 * from other encodings; that is the input stage's job. */
#include <stdlib.h>
#include <string.h>
#include "shipload/utf8.h"

/* Length of the valid sequence at s (1..4), or 0 when the bytes there are not strict UTF-8. */
static size_t utf8_sequence_length(const unsigned char *s, size_t left)
{
    unsigned char lead = s[0];
    if (lead < 0x80)
        return 1;
    size_t need;
    unsigned char low = 0x80, high = 0xBF; /* range allowed for the second byte */
    if (lead >= 0xC2 && lead <= 0xDF)
        need = 2;
    else if (lead >= 0xE0 && lead <= 0xEF) {
        need = 3;
        if (lead == 0xE0)
            low = 0xA0;           /* overlong */
        else if (lead == 0xED)
            high = 0x9F;          /* surrogates */
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        need = 4;
        if (lead == 0xF0)
            low = 0x90;           /* overlong */
        else if (lead == 0xF4)
            high = 0x8F;          /* above U+10FFFF */
    } else
        return 0;
    if (left < need || s[1] < low || s[1] > high)
        return 0;
    for (size_t i = 2; i < need; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return need;
}

size_t sl_utf8_sequence_length(const char *s, size_t left)
{
    return utf8_sequence_length((const unsigned char *)s, left);
}

int sl_utf8_valid(const char *s, size_t len)
{
    const unsigned char *bytes = (const unsigned char *)s;
    size_t at = 0;
    while (at < len) {
        if (bytes[at] < 0x80) {
            at++;
            continue;
        }
        size_t step = utf8_sequence_length(bytes + at, len - at);
        if (step == 0)
            return 0;
        at += step;
    }
    return 1;
}

char *sl_utf8_sanitize(const char *s, size_t len)
{
    static const char replacement[] = "\xEF\xBF\xBD";
    const unsigned char *bytes = (const unsigned char *)s;
    char *out = malloc(len * 3 + 1); /* every byte may become U+FFFD */
    if (!out)
        return NULL;
    size_t at = 0, used = 0;
    while (at < len) {
        size_t step = utf8_sequence_length(bytes + at, len - at);
        if (step == 0) {
            memcpy(out + used, replacement, 3);
            used += 3;
            at++;
            continue;
        }
        memcpy(out + used, s + at, step);
        used += step;
        at += step;
    }
    out[used] = '\0';
    return out;
}
