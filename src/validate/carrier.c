/* carrier.c: lookups over the carrier table (carrier_table.c): names and aliases, the shape of
 * tracking numbers (a tiny fixed-width pattern language, no regex compiled per row), check-digit
 * algorithms, inference and tracking URLs. Holds no state; does not judge rows (validate.c). */
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
 * "UPS *"), 2 exactly. Case, spaces and punctuation are ignored. */
static int alias_match(const char *text, const char *alias)
{
    size_t alias_len = strlen(alias);
    int prefix_ok = alias_len >= 2 && strcmp(alias + alias_len - 2, " *") == 0;
    if (prefix_ok)
        alias_len -= 2;
    const unsigned char *t = (const unsigned char *)text;
    size_t a = 0;
    for (;;) {
        while (a < alias_len && !significant((unsigned char)alias[a]))
            a++;
        while (*t && !significant(*t))
            t++;
        if (a == alias_len)
            break;
        if (!*t || fold(*t) != fold((unsigned char)alias[a]))
            return 0;
        t++;
        a++;
    }
    if (!*t)
        return 2;
    /* more words follow: a prefix match only if the alias ended at a word boundary */
    return prefix_ok && t > (const unsigned char *)text && !significant(t[-1]) ? 1 : 0;
}

static size_t significant_length(const char *text)
{
    size_t n = 0;
    for (; *text; text++)
        n += significant((unsigned char)*text);
    return n;
}

const sl_carrier *sl_carrier_find(const char *name)
{
    if (!name || !*name)
        return NULL;
    const sl_carrier *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < sl_carrier_count(); i++) {
        const sl_carrier *carrier = sl_carrier_at(i);
        if (alias_match(name, carrier->name) == 2 || alias_match(name, carrier->code) == 2)
            return carrier;
        for (const char *const *alias = carrier->aliases; alias && *alias; alias++) {
            int how = alias_match(name, *alias);
            if (how == 2)
                return carrier;
            size_t len = significant_length(*alias);
            if (how == 1 && len > best_len) {  /* the longest prefix wins */
                best = carrier;
                best_len = len;
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
    memset(e, 0, sizeof(*e));
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

/* Whole-string match; backtracks only over {m,n} repetitions (patterns are a few elements). */
static int pattern_matches(const char *pattern, const char *text)
{
    if (!*pattern)
        return *text == '\0';
    element e;
    const char *rest = parse_element(pattern, &e);
    unsigned taken = 0;
    while (taken < e.max && element_fits(&e, (unsigned char)text[taken]))
        taken++;
    if (taken < e.min)
        return 0;
    for (;;) {
        if (pattern_matches(rest, text + taken))
            return 1;
        if (taken == e.min)
            return 0;
        taken--;
    }
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

/* The value a payload character counts for, or -1 when the algorithm cannot take it. */
static int payload_value(sl_check_kind kind, unsigned char c)
{
    if (is_digit(c))
        return c - '0';
    if (kind == SL_CHECK_UPS_MOD10 && is_letter(c))
        return (fold(c) - 'a' + 'A' - 63) % 10;   /* A=2, B=3, ..., I=0, J=1, ... */
    return -1;
}

/* The check digit (0-9) of prefix followed by span[0..span_len), or -1. */
static int compute_check(sl_check_kind kind, const char *prefix, const char *span, size_t span_len)
{
    static const int s10_weights[8] = { 8, 6, 4, 2, 3, 5, 9, 7 };
    static const int fedex_weights[3] = { 1, 3, 7 };
    size_t prefix_len = prefix ? strlen(prefix) : 0;
    size_t total = prefix_len + span_len;
    if (total == 0 || (kind == SL_CHECK_S10 && total != 8))
        return -1;
    long sum = 0;
    for (size_t pos = 0; pos < total; pos++) {
        unsigned char c = (unsigned char)(pos < prefix_len ? prefix[pos] : span[pos - prefix_len]);
        int value = payload_value(kind, c);
        if (value < 0)
            return -1;
        size_t from_right = total - 1 - pos;
        switch (kind) {
        case SL_CHECK_UPS_MOD10: sum += value * (pos % 2 ? 2 : 1); break;
        case SL_CHECK_MOD10_3_1: sum += value * (from_right % 2 ? 1 : 3); break;
        case SL_CHECK_MOD11_1_3_7: sum += value * fedex_weights[from_right % 3]; break;
        case SL_CHECK_MOD7: sum = (sum * 10 + value) % 7; break;
        case SL_CHECK_S10: sum += value * s10_weights[pos]; break;
        default: return -1;
        }
    }
    switch (kind) {
    case SL_CHECK_UPS_MOD10:
    case SL_CHECK_MOD10_3_1: return (int)((10 - sum % 10) % 10);
    case SL_CHECK_MOD11_1_3_7: return (int)(sum % 11 % 10);
    case SL_CHECK_MOD7: return (int)sum;
    case SL_CHECK_S10: {
        int check = 11 - (int)(sum % 11);
        return check == 10 ? 0 : check == 11 ? 5 : check;
    }
    default: return -1;
    }
}

/* Where the format's check character sits in number (whose length is len), or -1. */
static long check_position(const sl_number_format *format, size_t len)
{
    if (format->check == SL_CHECK_NONE || format->check_from_end == 0 ||
        len < (size_t)format->span_start + format->check_from_end)
        return -1;
    return (long)(len - format->check_from_end);
}

int sl_number_format_check_digit(const sl_number_format *format, const char *number)
{
    if (!format || !format->pattern || !number || !pattern_matches(format->pattern, number))
        return -1;
    long at = check_position(format, strlen(number));
    if (at < 0)
        return -1;
    int digit = compute_check(format->check, format->check_prefix, number + format->span_start,
                              (size_t)at - format->span_start);
    return digit < 0 ? -1 : '0' + digit;
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
        int want = sl_number_format_check_digit(f, number);
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

static int url_safe(unsigned char c)
{
    return is_digit(c) || is_letter(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

char *sl_carrier_tracking_url(const sl_carrier *carrier, const char *number)
{
    static const char placeholder[] = "{number}";
    static const char hex[] = "0123456789ABCDEF";
    const size_t placeholder_len = sizeof(placeholder) - 1;
    if (!carrier || !number)
        return NULL;
    size_t encoded_len = 0;
    for (const unsigned char *s = (const unsigned char *)number; *s; s++)
        encoded_len += url_safe(*s) ? 1 : 3;
    size_t cap = strlen(carrier->tracking_url) + 1;
    for (const char *p = strstr(carrier->tracking_url, placeholder); p;
         p = strstr(p + placeholder_len, placeholder))
        cap += encoded_len;
    char *url = malloc(cap);
    if (!url)
        return NULL;
    char *out = url;
    for (const char *p = carrier->tracking_url; *p;) {
        if (strncmp(p, placeholder, placeholder_len) != 0) {
            *out++ = *p++;
            continue;
        }
        for (const unsigned char *s = (const unsigned char *)number; *s; s++) {
            if (url_safe(*s)) {
                *out++ = (char)*s;
            } else {
                *out++ = '%';
                *out++ = hex[*s >> 4];
                *out++ = hex[*s & 15];
            }
        }
        p += placeholder_len;
    }
    *out = '\0';
    return url;
}
