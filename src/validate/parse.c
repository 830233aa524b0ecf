/* parse.c: the typed values of a row's text fields (spec §3, §12): dates (ISO 8601 always, plus
 * strftime-style formats, and the date must exist), booleans, quantities and actions. Strict:
 * the whole text must be consumed. Allocates nothing; does not touch rows (validate.c does). */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "shipload/utf8.h"
#include "shipload/validate.h"

/* text without surrounding white space, as [*start, *start + *len). */
static void trimmed(const char *text, const char **start, size_t *len)
{
    while (*text && sl_ascii_space((unsigned char)*text))
        text++;
    size_t n = strlen(text);
    while (n > 0 && sl_ascii_space((unsigned char)text[n - 1]))
        n--;
    *start = text;
    *len = n;
}

/* 1 when text (len bytes) equals one of words, ignoring case. */
static int one_of(const char *text, size_t len, const char *const *words)
{
    for (; *words; words++)
        if (strlen(*words) == len && strncasecmp(text, *words, len) == 0)
            return 1;
    return 0;
}

/* ---- dates ---- */

static int leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int date_exists(int year, int month, int day)
{
    static const int days_in_month[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1)
        return 0;
    int last = days_in_month[month - 1] + (month == 2 && leap_year(year));
    return day <= last;
}

/* Writes digits of value, zero-padded to width, at out. */
static void put_digits(char *out, int value, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        out[i] = (char)('0' + value % 10);
        value /= 10;
    }
}

static int write_date(int year, int month, int day, char out[11])
{
    if (!date_exists(year, month, day))
        return -1;
    put_digits(out, year, 4);   /* date_exists bounded every part */
    out[4] = '-';
    put_digits(out + 5, month, 2);
    out[7] = '-';
    put_digits(out + 8, day, 2);
    out[10] = '\0';
    return 0;
}

/* n digits at s as a number, or -1. */
static int digits_value(const char *s, int n)
{
    int value = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')   /* isdigit in the C locale, without the call */
            return -1;
        value = value * 10 + (s[i] - '0');
    }
    return value;
}

/* "Z", "+HH", "+HH:MM" or "+HHMM" (or with '-'), exactly len bytes. */
static int iso_zone_ok(const char *s, size_t len)
{
    if (len == 1 && (s[0] == 'Z' || s[0] == 'z'))
        return 1;
    if (len < 3 || (s[0] != '+' && s[0] != '-'))
        return 0;
    int hours = digits_value(s + 1, 2);
    if (hours < 0 || hours > 23)
        return 0;
    if (len == 3)
        return 1;
    const char *minutes_at = s + 3 + (s[3] == ':');
    size_t rest = len - (size_t)(minutes_at - s);
    int minutes = rest == 2 ? digits_value(minutes_at, 2) : -1;
    return minutes >= 0 && minutes <= 59;
}

/* "HH:MM[:SS[.fff]][zone]", exactly len bytes. */
static int iso_time_ok(const char *s, size_t len)
{
    if (len < 5 || s[2] != ':')
        return 0;
    int hours = digits_value(s, 2), minutes = digits_value(s + 3, 2);
    if (hours < 0 || hours > 24 || minutes < 0 || minutes > 59)
        return 0;
    size_t at = 5;
    if (at < len && s[at] == ':') {
        int seconds = len >= at + 3 ? digits_value(s + at + 1, 2) : -1;
        if (seconds < 0 || seconds > 60)
            return 0;
        at += 3;
        if (at < len && (s[at] == '.' || s[at] == ',')) {
            size_t digits = 0;
            for (at++; at < len && isdigit((unsigned char)s[at]); at++)
                digits++;
            if (digits == 0)
                return 0;
        }
    }
    return at == len || iso_zone_ok(s + at, len - at);
}

/* ISO 8601 "YYYY-MM-DD", optionally followed by 'T' (or a space) and a time. */
static int parse_iso(const char *s, size_t len, char out[11])
{
    if (len < 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int year = digits_value(s, 4), month = digits_value(s + 5, 2), day = digits_value(s + 8, 2);
    if (year < 0 || month < 0 || day < 0)
        return -1;
    if (len > 10) {
        if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
            return -1;
        if (!iso_time_ok(s + 11, len - 11))
            return -1;
    }
    return write_date(year, month, day, out);
}

/* One strftime-style format through strptime, which must consume everything. strptime alone
 * takes 30 February or 31 April, so the result is checked for existence. */
static int parse_with_format(const char *text, const char *format, char out[11])
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    tm.tm_mday = 0;
    tm.tm_mon = -1;
    tm.tm_year = -10000;   /* unset markers: a format without a year/month/day is no date */
    const char *end = strptime(text, format, &tm);
    if (!end)
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    if (*end || tm.tm_year == -10000 || tm.tm_mon < 0 || tm.tm_mday == 0)
        return -1;
    return write_date(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, out);
}

/* text trimmed into date (cap 128); -1 when empty or too long. */
static int trimmed_date(const char *text, char date[128])
{
    const char *start;
    size_t len;
    if (!text)
        return -1;
    trimmed(text, &start, &len);
    if (len == 0 || len >= 128)
        return -1;
    memcpy(date, start, len);
    date[len] = '\0';
    return 0;
}

int sl_parse_date_iso(const char *text, char out[11])
{
    char date[128];
    out[0] = '\0';
    if (trimmed_date(text, date) != 0 || parse_iso(date, strlen(date), out) != 0) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

int sl_parse_date_with(const char *text, const char *format, char out[11])
{
    char date[128];
    out[0] = '\0';
    if (!format || trimmed_date(text, date) != 0 || parse_with_format(date, format, out) != 0) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

int sl_parse_date(const char *text, const char *const *formats, size_t count, char out[11])
{
    if (sl_parse_date_iso(text, out) == 0)
        return 0;
    for (size_t i = 0; i < count; i++)
        if (sl_parse_date_with(text, formats[i], out) == 0)
            return 0;
    out[0] = '\0';
    return -1;
}

/* Days from 1970-01-01 (H. Hinnant's days from civil). */
static long days_from_civil(int year, int month, int day)
{
    year -= month <= 2;
    long era = (year >= 0 ? year : year - 399) / 400;
    long year_of_era = year - era * 400;
    long day_of_year = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

long sl_date_days(const char date[11])
{
    int year = digits_value(date, 4), month = digits_value(date + 5, 2);
    int day = digits_value(date + 8, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1)
        return 0;
    return days_from_civil(year, month, day);
}

int sl_parse_date_plain_iso(const char *text, char out[11], long *days)
{
    if (strnlen(text, 11) != 10 || text[4] != '-' || text[7] != '-')
        return -1;
    int year = digits_value(text, 4), month = digits_value(text + 5, 2);
    int day = digits_value(text + 8, 2);
    if (year < 0 || month < 0 || day < 0 || !date_exists(year, month, day))
        return -1;
    memcpy(out, text, 10);
    out[10] = '\0';
    *days = days_from_civil(year, month, day);
    return 0;
}

/* ---- booleans, quantities, actions ---- */

/* A one-letter boolean, the usual cell (Y, N, 1, 0): 1 or 0, or -1 when text is another. */
static int one_letter_bool(const char *text)
{
    if (!text[0] || text[1])
        return -1;
    switch (text[0]) {
    case 'Y': case 'y': case '1': return 1;
    case 'N': case 'n': case '0': return 0;
    default: return -1;
    }
}

int sl_parse_bool(const char *text, int *out)
{
    static const char *const yes[] = { "y", "yes", "true", "1", NULL };
    static const char *const no[] = { "n", "no", "false", "0", NULL };
    const char *start;
    size_t len;
    if (!text)
        return -1;
    int letter = one_letter_bool(text);
    if (letter >= 0) {
        *out = letter;
        return 0;
    }
    trimmed(text, &start, &len);
    if (one_of(start, len, yes)) {
        *out = 1;
        return 0;
    }
    if (one_of(start, len, no)) {
        *out = 0;
        return 0;
    }
    return -1;
}

/* Quantities above this are typing mistakes, not shipments. */
#define QUANTITY_MAX 1000000000L
_Static_assert(QUANTITY_MAX <= INT32_MAX, "a row holds its quantity in 32 bits");

int sl_parse_quantity(const char *text, long *out)
{
    const char *start;
    size_t len;
    *out = 0;
    if (!text)
        return 0;
    trimmed(text, &start, &len);
    if (len == 0)
        return 0;   /* the whole remaining quantity */
    long value = 0;
    for (size_t i = 0; i < len; i++) {
        if (start[i] < '0' || start[i] > '9')
            return -1;
        value = value * 10 + (start[i] - '0');
        if (value > QUANTITY_MAX)
            return -1;
    }
    if (value <= 0)
        return -1;
    *out = value;
    return 0;
}

int sl_parse_action(const char *text, sl_action *out)
{
    static const char *const ship[] = { "ship", NULL };
    static const char *const update[] = { "update", NULL };
    static const char *const cancel[] = { "cancel", NULL };
    static const char *const status[] = { "status", NULL };
    const char *start;
    size_t len;
    *out = SL_ACTION_SHIP;
    if (!text)
        return 0;
    trimmed(text, &start, &len);
    if (len == 0 || one_of(start, len, ship))
        return 0;
    if (one_of(start, len, update)) {
        *out = SL_ACTION_UPDATE;
        return 0;
    }
    if (one_of(start, len, cancel)) {
        *out = SL_ACTION_CANCEL;
        return 0;
    }
    if (one_of(start, len, status)) {
        *out = SL_ACTION_STATUS;
        return 0;
    }
    return -1;
}
