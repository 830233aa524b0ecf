/* tracking_text.c: what a tracking-number cell holds when it is no tracking number (issue 14):
 * a placeholder someone typed for "not yet" (N/A, TBD, pending, -, 0, ...) or a spreadsheet's
 * error value (#N/A, #VALUE!), and a number a spreadsheet damaged by reading it as a number
 * (9.40011189922363E+21). Pure text tests: carrier shapes and the leading zeros a spreadsheet
 * drops are carrier.c's, deciding the row is validate.c's.
 *
 * Precision over reach: a placeholder is the whole cell (after case, spaces and punctuation are
 * set aside), never a prefix, so Amazon's TBA000000000000 is a number and TBA is not; digits
 * count as a placeholder only when they are all zeros. Scientific notation needs a mantissa
 * and an exponent with its sign (Excel and LibreOffice always write E+21), so no carrier's
 * alphanumeric number (1E5..., 2E123456) is taken for one. */
#include <string.h>
#include <strings.h>
#include "shipload/validate.h"

/* Placeholders, compared with their letters and digits only, ignoring case. */
static const char *const placeholders[] = {
    "na", "nan", "tbd", "tba", "tbc", "none", "null", "nil", "pending", "unknown", "nodata",
    "notracking", "notrackingnumber", "notavailable", "notapplicable", "notyet",
    "awaiting", "awaitingtracking", "tobeadvised", "tobeconfirmed", "tobedetermined", "x", "xx",
    "xxx", "xxxx", "test", "blank", "empty", "missing", "same", "seeabove", "sameasabove",
    "ditto", "untracked", "notracked", NULL
};

/* Spreadsheet error values, compared as written (case ignored). */
static const char *const spreadsheet_errors[] = {
    "#N/A", "#N/A N/A", "#VALUE!", "#REF!", "#NAME?", "#DIV/0!", "#NUM!", "#NULL!",
    "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#ERROR!", NULL
};

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The letters and digits of text, lower case, into out (cap bytes); -1 when they do not fit
 * (a long cell is no placeholder). */
static int letters_and_digits(const char *text, char *out, size_t cap)
{
    size_t used = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
        if (*s >= 0x80)
            return -1;   /* a placeholder is ASCII */
        if (!is_alnum(*s))
            continue;
        if (used + 1 >= cap)
            return -1;
        out[used++] = (char)((*s >= 'A' && *s <= 'Z') ? *s - 'A' + 'a' : *s);
    }
    out[used] = '\0';
    return 0;
}

static int all_zeros(const char *text)
{
    if (!*text)
        return 0;
    for (; *text; text++)
        if (*text != '0')
            return 0;
    return 1;
}

/* 1 when text holds a digit other than 0: no placeholder or error value does (the common
 * case, a real number, usually says so at its first or second character). */
static int has_nonzero_digit(const char *text)
{
    for (; *text; text++)
        if (*text >= '1' && *text <= '9')
            return 1;
    return 0;
}

int sl_tracking_is_placeholder(const char *number)
{
    char folded[32];
    if (!number || !*number || has_nonzero_digit(number))
        return 0;
    if (number[0] == '#')
        for (const char *const *e = spreadsheet_errors; *e; e++)
            if (strcasecmp(number, *e) == 0)
                return 1;
    if (letters_and_digits(number, folded, sizeof(folded)) != 0)
        return 0;
    if (!folded[0])
        return 1;   /* only punctuation: "-", "?", "--", "." */
    if (all_zeros(folded))
        return 1;
    for (const char *const *p = placeholders; *p; p++)   /* already letters only, lower case */
        if (strcmp(folded, *p) == 0)
            return 1;
    return 0;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int sl_tracking_is_scientific(const char *number)
{
    const char *s = number;
    if (!s || !is_digit(*s))
        return 0;
    while (is_digit(*s))
        s++;
    if (*s == '.' || *s == ',') {
        s++;
        if (!is_digit(*s))
            return 0;
        while (is_digit(*s))
            s++;
    }
    if (*s != 'E' && *s != 'e')
        return 0;
    s++;
    if (*s != '+' && *s != '-')
        return 0;
    s++;
    if (!is_digit(*s))
        return 0;
    while (is_digit(*s))
        s++;
    return *s == '\0';
}
