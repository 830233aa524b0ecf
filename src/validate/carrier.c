/* carrier.c: lookups over the carrier table (carrier_table.c): names and aliases, the shape of
 * tracking numbers (a tiny fixed-width pattern language, no regex compiled per row), check-digit
 * algorithms, inference and tracking URLs. Holds no state; does not judge rows (validate.c). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/carrier.h"

/* ---- names and aliases ---- */

static int significant(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c >= 0x80;
}

static unsigned char fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

/* How well text names alias: 0 no, 1 as a prefix followed by other words ("UPS Ground" for
 * "UPS *"), 2 exactly. Case, spaces and punctuation are ignored. One pass, no strlen: most
 * aliases differ from the text at their first letter. */
static int alias_match(const char *text, const char *alias)
{
    const unsigned char *t = (const unsigned char *)text;
    const unsigned char *a = (const unsigned char *)alias;
    for (;;) {
        while (*a && *a != '*' && !significant(*a))
            a++;
        while (*t && !significant(*t))
            t++;
        if (!*a || *a == '*')
            break;
        if (!*t || fold(*t) != fold(*a))
            return 0;
        t++;
        a++;
    }
    if (!*t)
        return 2;
    /* more words follow: a prefix match only for "... *" aliases, at a word boundary */
    return *a == '*' && !significant(t[-1]) ? 1 : 0;
}

/* Letters and digits of an alias (its weight when several prefixes match). */
static size_t significant_length(const char *text)
{
    size_t n = 0;
    for (; *text; text++)
        n += significant((unsigned char)*text);
    return n;
}

/* The first letter or digit of text, folded; 0 if none. */
static unsigned char first_significant(const char *text)
{
    while (*text && !significant((unsigned char)*text))
        text++;
    return fold((unsigned char)*text);
}

/* alias_match, after a one-character test that rules out most aliases. */
static int alias_match_from(const char *text, unsigned char text_first, const char *alias)
{
    return first_significant(alias) == text_first ? alias_match(text, alias) : 0;
}

const sl_carrier *sl_carrier_find(const char *name)
{
    unsigned char first = name ? first_significant(name) : 0;
    if (!first)
        return NULL;
    const sl_carrier *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < sl_carrier_count(); i++) {
        const sl_carrier *carrier = sl_carrier_at(i);
        if (alias_match_from(name, first, carrier->name) == 2 ||
            alias_match_from(name, first, carrier->code) == 2)
            return carrier;
        for (const char *const *alias = carrier->aliases; alias && *alias; alias++) {
            int how = alias_match_from(name, first, *alias);
            if (how == 2)
                return carrier;
            if (how == 1 && significant_length(*alias) > best_len) {  /* longest prefix wins */
                best = carrier;
                best_len = significant_length(*alias);
            }
        }
    }
    return best;
}

/* ---- the shape of a number ---- */

typedef struct element {
    char kind;          /* '#', '@', '?', '[' or 'l' (literal) */
    const char *set;    /* for '[': the listed characters */
    size_t set_len;
    char literal;
    unsigned min, max;
} element;

static unsigned parse_count(const char **p)
{
    unsigned n = 0;
    while (**p >= '0' && **p <= '9')
        n = n * 10 + (unsigned)(*(*p)++ - '0');
    return n;
}

/* Reads one element of the pattern at p; returns the rest of the pattern. */
static const char *parse_element(const char *p, element *e)
{
    e->set = NULL;
    e->set_len = 0;
    e->literal = 0;
    e->min = e->max = 1;
    if (*p == '#' || *p == '@' || *p == '?') {
        e->kind = *p++;
    } else if (*p == '[') {
        e->kind = '[';
        e->set = ++p;
        while (*p && *p != ']')
            p++;
        e->set_len = (size_t)(p - e->set);
        if (*p)
            p++;
    } else {
        e->kind = 'l';
        e->literal = *p++;
    }
    if (*p == '{') {
        p++;
        e->min = e->max = parse_count(&p);
        if (*p == ',') {
            p++;
            e->max = parse_count(&p);
        }
        if (*p == '}')
            p++;
    }
    return p;
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int element_fits(const element *e, unsigned char c)
{
    switch (e->kind) {
    case '#': return is_digit(c);
    case '@': return is_letter(c);
    case '?': return is_digit(c) || is_letter(c);
    case '[': return c && memchr(e->set, c, e->set_len) != NULL;
    default: return c && fold(c) == fold((unsigned char)e->literal);
    }
}

/* A table of 256 bytes that the compiler builds from a test of one character, F(c): the
 * per-character loops below (shapes, UPS check values, URL encoding) then cost a load a
 * character. */
#define BYTE_TABLE4(F, c) F(c), F((c) + 1), F((c) + 2), F((c) + 3)
#define BYTE_TABLE16(F, c) BYTE_TABLE4(F, c), BYTE_TABLE4(F, (c) + 4), BYTE_TABLE4(F, (c) + 8), \
                           BYTE_TABLE4(F, (c) + 12)
#define BYTE_TABLE64(F, c) BYTE_TABLE16(F, c), BYTE_TABLE16(F, (c) + 16), \
                           BYTE_TABLE16(F, (c) + 32), BYTE_TABLE16(F, (c) + 48)
#define BYTE_TABLE(F) { BYTE_TABLE64(F, 0), BYTE_TABLE64(F, 64), BYTE_TABLE64(F, 128), \
                        BYTE_TABLE64(F, 192) }

/* Each character's class for the runs of run_length (is_digit's and is_letter's tests). */
enum { CLASS_DIGIT = 1, CLASS_LETTER = 2 };
#define CHAR_CLASS(c)                                                                          \
    ((c) >= '0' && (c) <= '9'                                    ? CLASS_DIGIT                 \
     : ((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') ? CLASS_LETTER : 0)
static const unsigned char char_classes[256] = BYTE_TABLE(CHAR_CLASS);

/* How many characters at text (up to e->max) the element takes: element_fits in a loop, with
 * the kind decided once (the common kinds get a loop of their own). */
static unsigned run_length(const element *e, const unsigned char *text)
{
    unsigned taken = 0;
    switch (e->kind) {
    case '#':
        while (taken < e->max && (char_classes[text[taken]] & CLASS_DIGIT))
            taken++;
        break;
    case '?':
        while (taken < e->max && char_classes[text[taken]])
            taken++;
        break;
    default:
        while (taken < e->max && element_fits(e, text[taken]))
            taken++;
        break;
    }
    return taken;
}

/* 0 when the pattern's first element cannot take c: most formats are ruled out by the first
 * character, without parsing the pattern. 1 when it may. */
static int first_may_fit(const char *pattern, unsigned char c)
{
    if (pattern[1] == '{' && pattern[2] == '0')
        return 1;   /* an optional first element */
    switch (*pattern) {
    case '#': return is_digit(c);
    case '@': return is_letter(c);
    case '?': return is_digit(c) || is_letter(c);
    case '[': return 1;
    default: return c && fold(c) == fold((unsigned char)*pattern);
    }
}

/* Whole-string match. Fixed counts are matched in a loop; only {m,n} repetitions recurse to
 * backtrack (patterns are a few elements). */
static int pattern_matches(const char *pattern, const char *text)
{
    while (*pattern) {
        if (!first_may_fit(pattern, (unsigned char)*text))
            return 0;
        element e;
        const char *rest = parse_element(pattern, &e);
        unsigned taken = run_length(&e, (const unsigned char *)text);
        if (taken < e.min)
            return 0;
        if (e.min != e.max) {
            for (;; taken--) {
                if (pattern_matches(rest, text + taken))
                    return 1;
                if (taken == e.min)
                    return 0;
            }
        }
        pattern = rest;
        text += taken;
    }
    return *text == '\0';
}

int sl_carrier_has_format(const sl_carrier *carrier, const char *number)
{
    if (!carrier || !number)
        return 0;
    for (const sl_number_format *f = carrier->formats; f->pattern; f++)
        if (pattern_matches(f->pattern, number))
            return 1;
    return 0;
}

const sl_carrier *sl_carrier_infer(const char *number)
{
    if (!number || !*number)
        return NULL;
    const sl_carrier *found = NULL;
    for (size_t i = 0; i < sl_carrier_count(); i++) {
        const sl_carrier *carrier = sl_carrier_at(i);
        for (const sl_number_format *f = carrier->formats; f->pattern; f++) {
            if (!f->infer || !pattern_matches(f->pattern, number))
                continue;
            if (found && found != carrier)
                return NULL;   /* two carriers claim the shape: ambiguous */
            found = carrier;
            break;
        }
    }
    return found;
}

/* ---- check digits ---- */

/* One algorithm per check kind, over a contiguous payload (prefix and span): the check digit
 * 0-9, or -1 when a character is not one the algorithm takes. */
typedef int (*check_fn)(const unsigned char *payload, size_t len);

/* UPS 1Z: letters count as (ASCII - 63) mod 10 (A=2, ..., I=0, J=1, ...), weights 1,2,1,...
 * from the left. */
#define UPS_NOT_TAKEN 0xFF
#define UPS_VALUE(c)                                                                          \
    ((c) >= '0' && (c) <= '9'   ? (c) - '0'                                                   \
     : (c) >= 'A' && (c) <= 'Z' ? ((c) - 63) % 10                                             \
     : (c) >= 'a' && (c) <= 'z' ? ((c) - 'a' + 'A' - 63) % 10                                 \
                                : UPS_NOT_TAKEN)

static int check_ups_mod10(const unsigned char *p, size_t len)
{
    static const unsigned char values[256] = BYTE_TABLE(UPS_VALUE);
    unsigned sum = 0, not_taken_bits = 0;   /* UPS_NOT_TAKEN's high bit: a character not taken */
    size_t i = 0;
    for (; i + 2 <= len; i += 2) {     /* weights 1, 2, 1, ...: a pair at a time, no branch */
        unsigned first = values[p[i]], second = values[p[i + 1]];
        not_taken_bits |= first | second;
        sum += first + 2 * second;
    }
    if (i < len) {
        not_taken_bits |= values[p[i]];
        sum += values[p[i]];
    }
    return not_taken_bits & 0x80 ? -1 : (int)((10 - sum % 10) % 10);
}

/* GS1 / USPS IMpb: weights 3,1,3,... from the right. */
static int check_mod10_3_1(const unsigned char *p, size_t len)
{
    unsigned sum = 0;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(p[i]))
            return -1;
        sum += ((len - 1 - i) & 1) ? (unsigned)(p[i] - '0') : 3u * (unsigned)(p[i] - '0');
    }
    return (int)((10 - sum % 10) % 10);
}

/* FedEx: weights 1,3,7,1,3,7,... from the right; sum mod 11, then mod 10. */
static int check_mod11_1_3_7(const unsigned char *p, size_t len)
{
    static const unsigned weights[3] = { 1, 3, 7 };
    unsigned sum = 0;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(p[i]))
            return -1;
        sum += weights[(len - 1 - i) % 3] * (unsigned)(p[i] - '0');
    }
    return (int)(sum % 11 % 10);
}

/* DHL Express: the payload as a number, mod 7. */
static int check_mod7(const unsigned char *p, size_t len)
{
    unsigned rest = 0;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(p[i]))
            return -1;
        rest = (rest * 10 + (unsigned)(p[i] - '0')) % 7;
    }
    return (int)rest;
}

/* UPU S10: 8 digits weighted 8,6,4,2,3,5,9,7; 11 - sum mod 11, 10 -> 0, 11 -> 5. */
static int check_s10(const unsigned char *p, size_t len)
{
    static const unsigned weights[8] = { 8, 6, 4, 2, 3, 5, 9, 7 };
    if (len != 8)
        return -1;
    unsigned sum = 0;
    for (size_t i = 0; i < 8; i++) {
        if (!is_digit(p[i]))
            return -1;
        sum += weights[i] * (unsigned)(p[i] - '0');
    }
    int check = 11 - (int)(sum % 11);
    return check == 10 ? 0 : check == 11 ? 5 : check;
}

static const check_fn check_fns[] = {
    [SL_CHECK_NONE] = NULL,
    [SL_CHECK_UPS_MOD10] = check_ups_mod10,
    [SL_CHECK_MOD10_3_1] = check_mod10_3_1,
    [SL_CHECK_MOD11_1_3_7] = check_mod11_1_3_7,
    [SL_CHECK_MOD7] = check_mod7,
    [SL_CHECK_S10] = check_s10,
};

/* The check digit (0-9) of prefix followed by span[0..span_len), or -1. The payload is put
 * together on the stack: no allocation. */
static int compute_check(sl_check_kind kind, const char *prefix, const char *span, size_t span_len)
{
    unsigned char payload[64];
    size_t prefix_len = prefix ? strlen(prefix) : 0;
    if ((size_t)kind >= sizeof(check_fns) / sizeof(check_fns[0]) || !check_fns[kind] ||
        prefix_len + span_len == 0 || prefix_len + span_len > sizeof(payload))
        return -1;
    memcpy(payload, prefix ? prefix : "", prefix_len);
    memcpy(payload + prefix_len, span, span_len);
    return check_fns[kind](payload, prefix_len + span_len);
}

/* Where the format's check character sits in number (whose length is len), or -1. */
static long check_position(const sl_number_format *format, size_t len)
{
    if (format->check == SL_CHECK_NONE || format->check_from_end == 0 ||
        len < (size_t)format->span_start + format->check_from_end)
        return -1;
    return (long)(len - format->check_from_end);
}

/* The check character of a number already known to fit format, or -1. */
static int fitted_check_digit(const sl_number_format *format, const char *number, size_t len)
{
    long at = check_position(format, len);
    if (at < 0)
        return -1;
    int digit = compute_check(format->check, format->check_prefix, number + format->span_start,
                              (size_t)at - format->span_start);
    return digit < 0 ? -1 : '0' + digit;
}

int sl_number_format_check_digit(const sl_number_format *format, const char *number)
{
    if (!format || !format->pattern || !number || !pattern_matches(format->pattern, number))
        return -1;
    return fitted_check_digit(format, number, strlen(number));
}

sl_number_verdict sl_carrier_check_number(const sl_carrier *carrier, const char *number,
                                          char *reason, size_t reason_cap)
{
    if (!carrier || !number)
        return SL_NUMBER_UNKNOWN_FORMAT;
    const sl_number_format *failed = NULL;
    int expected = -1;
    char found = 0;
    size_t len = strlen(number);
    for (const sl_number_format *f = carrier->formats; f->pattern; f++) {
        if (!pattern_matches(f->pattern, number))
            continue;
        if (f->check == SL_CHECK_NONE)
            return SL_NUMBER_OK;
        int want = fitted_check_digit(f, number, len);
        char have = number[check_position(f, len)];
        if (want >= 0 && have == want)
            return SL_NUMBER_OK;
        if (!failed) {
            failed = f;
            expected = want;
            found = have;
        }
    }
    if (!failed)
        return SL_NUMBER_UNKNOWN_FORMAT;
    if (reason && reason_cap) {
        if (expected >= 0)
            snprintf(reason, reason_cap, "%s check digit should be %c, not %c", failed->label,
                     expected, found);
        else
            snprintf(reason, reason_cap, "%s check digit cannot be computed", failed->label);
    }
    return SL_NUMBER_BAD_CHECK_DIGIT;
}

int sl_carrier_misfits(const sl_carrier *carrier, const char *number)
{
    return carrier && carrier->shapes && number && !sl_carrier_has_format(carrier, number);
}

/* 1 when the restored number fits format as a number whose zeros were dropped would: its
 * check digit is right, or (no check digit) the shape itself starts with a zero. */
static int fits_restored(const sl_number_format *format, const char *restored)
{
    if (!pattern_matches(format->pattern, restored))
        return 0;
    if (format->check == SL_CHECK_NONE)
        return format->pattern[0] == '0';
    int want = fitted_check_digit(format, restored, strlen(restored));
    return want >= 0 && restored[check_position(format, strlen(restored))] == want;
}

int sl_carrier_lost_zeros(const sl_carrier *carrier, const char *number, char *fixed,
                          size_t fixed_cap)
{
    enum { MOST_ZEROS = 4 };
    size_t len = number ? strlen(number) : 0;
    if (!carrier || len == 0 || len + MOST_ZEROS + 1 > fixed_cap || number[0] == '0' ||
        sl_carrier_has_format(carrier, number))
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!is_digit((unsigned char)number[i]))
            return 0;
    for (int zeros = 1; zeros <= MOST_ZEROS; zeros++) {
        memset(fixed, '0', (size_t)zeros);
        memcpy(fixed + zeros, number, len + 1);
        for (const sl_number_format *f = carrier->formats; f->pattern; f++)
            if (fits_restored(f, fixed))
                return zeros;
    }
    fixed[0] = '\0';
    return 0;
}

int sl_carrier_set_check_digit(const sl_carrier *carrier, char *number)
{
    if (!carrier || !number)
        return -1;
    size_t len = strlen(number);
    for (const sl_number_format *f = carrier->formats; f->pattern; f++) {
        int want = f->check == SL_CHECK_NONE ? -1 : sl_number_format_check_digit(f, number);
        if (want < 0)
            continue;
        number[check_position(f, len)] = (char)want;
        return 0;
    }
    return -1;
}

/* ---- tracking URLs ---- */

/* Unreserved characters (RFC 3986): letters, digits, - . _ ~, in a BYTE_TABLE: the run of a
 * tracking number costs a load per character. */
#define URL_SAFE(c)                                                                            \
    (((unsigned)(((c) | 0x20) - 'a') < 26u) || ((unsigned)((c) - '0') < 10u) || (c) == '-' ||    \
     (c) == '.' || (c) == '_' || (c) == '~')
static const unsigned char url_safe[256] = BYTE_TABLE(URL_SAFE);

/* Puts c at out[used] when it fits below cap; returns the length with it. */
static inline size_t put(char *out, size_t cap, size_t used, char c)
{
    if (used < cap)
        out[used] = c;
    return used + 1;
}

/* Puts the len bytes of text at out[used] (as much as fits below cap); returns the length with
 * them. */
static inline size_t put_run(char *out, size_t cap, size_t used, const char *text, size_t len)
{
    if (used < cap)
        memcpy(out + used, text, cap - used < len ? cap - used : len);
    return used + len;
}

/* Appends number percent-encoded (as much as fits below cap); returns the length with it.
 * Runs of unreserved characters (a whole number, usually) are copied at once. */
static size_t put_encoded(char *out, size_t cap, size_t used, const char *number)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *s = (const unsigned char *)number;
    for (;;) {
        size_t safe = 0;
        while (url_safe[s[safe]])   /* NUL is not safe: the run ends there */
            safe++;
        used = put_run(out, cap, used, (const char *)s, safe);
        s += safe;
        if (!*s)
            return used;
        used = put(out, cap, used, '%');
        used = put(out, cap, used, hex[*s >> 4]);
        used = put(out, cap, used, hex[*s & 15]);
        s++;
    }
}

size_t sl_carrier_tracking_url_write(const sl_carrier *carrier, const char *number, char *out,
                                     size_t cap)
{
    static const char placeholder[] = "{number}";
    const size_t placeholder_len = sizeof(placeholder) - 1;
    size_t used = 0;
    if (!carrier || !number)
        return 0;
    for (const char *p = carrier->tracking_url; *p;) {   /* one pass over the pattern */
        const char *brace = strchr(p, '{');
        size_t run = brace ? (size_t)(brace - p) : strlen(p);
        used = put_run(out, cap, used, p, run);   /* the text up to a placeholder */
        p += run;
        if (!brace)
            break;
        if (strncmp(p, placeholder, placeholder_len) == 0) {
            used = put_encoded(out, cap, used, number);
            p += placeholder_len;
        } else {
            used = put(out, cap, used, *p++);
        }
    }
    if (cap > 0)
        out[used < cap ? used : cap - 1] = '\0';
    return used;
}

char *sl_carrier_tracking_url(const sl_carrier *carrier, const char *number)
{
    if (!carrier || !number)
        return NULL;
    size_t len = sl_carrier_tracking_url_write(carrier, number, NULL, 0);
    char *url = malloc(len + 1);
    if (url)
        sl_carrier_tracking_url_write(carrier, number, url, len + 1);
    return url;
}
