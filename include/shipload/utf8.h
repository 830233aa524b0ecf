/* utf8.h: strict UTF-8 checking, the U+FFFD rendering of invalid bytes for reports, and ASCII
 * white space. */
#ifndef SHIPLOAD_UTF8_H
#define SHIPLOAD_UTF8_H

#include <stddef.h>

/* 1 when s[0..len) is strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF. */
int sl_utf8_valid(const char *s, size_t len);

/* Length (1 to 4) of the strict UTF-8 sequence at s[0..left), or 0 when it is invalid there
 * (a truncated sequence counts as invalid). left must be at least 1. */
size_t sl_utf8_sequence_length(const char *s, size_t left);

/* A new string where every invalid byte sequence is replaced by U+FFFD. Caller frees. */
char *sl_utf8_sanitize(const char *s, size_t len);

/* 1 for ASCII white space: isspace in the C locale (the one shipload runs in), without the
 * call. */
static inline int sl_ascii_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

#endif
