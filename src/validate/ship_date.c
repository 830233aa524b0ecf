/* ship_date.c: a row's ship date (issue 14). With --date-format, its formats are tried first
 * and alone, in the order given (the first that reads the date wins), then ISO 8601. Without
 * it, ISO 8601 first, then every one of the template's formats: when two of them read the
 * text as different days (03/04/2026 as 4 March and 3 April) the date is ambiguous_date, since
 * guessing would ship with a wrong date; --date-format settles it. A date that nothing reads is
 * bad_date, naming the formats tried. A date more than a day ahead of today, or more than 90
 * days behind it, is only a warning (a typo in the year, an old file fed again). Parsing is
 * parse.c's; this file decides. The usual text, a plain YYYY-MM-DD without --date-format, is
 * read at once; another read on a recent row is not read again (the run's memo,
 * run_memory.c). */
#include <stdio.h>
#include <string.h>
#include "validate_internal.h"

#define FUTURE_DAYS 1
#define PAST_DAYS 90

/* "ISO 8601 (YYYY-MM-DD), %m/%d/%Y, %Y%m%d" into out. */
static void list_formats(const char *const *formats, size_t count, int iso_last, char *out,
                         size_t cap)
{
    size_t used = (size_t)snprintf(out, cap, "%s", iso_last ? "" : "ISO 8601 (YYYY-MM-DD)");
    for (size_t i = 0; i < count && used < cap; i++)
        used += (size_t)snprintf(out + used, cap - used, "%s%s", used ? ", " : "", formats[i]);
    if (iso_last && used < cap)
        snprintf(out + used, cap - used, "%sISO 8601 (YYYY-MM-DD)", used ? ", then " : "");
}

/* --date-format's formats, then ISO 8601. */
static int read_user_date(sl_row *row, const sl_validate_options *options)
{
    const char *text = sl_row_cols(row)->ship_date_text;
    for (size_t i = 0; i < options->user_date_format_count; i++)
        if (sl_parse_date_with(text, options->user_date_formats[i],
                               row->ship_date) == 0)
            return 0;
    if (sl_parse_date_iso(text, row->ship_date) == 0)
        return 0;
    char tried[512];
    list_formats(options->user_date_formats, options->user_date_format_count, 1, tried,
                 sizeof(tried));
    sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_BAD_DATE,
                "ship date '%s' is not a real date in the --date-format given (tried %s)",
                text, tried);
    return -1;
}

/* ISO 8601, then every template format; two that disagree make the date ambiguous. */
static int read_template_date(sl_row *row, const sl_validate_options *options)
{
    const char *text = sl_row_cols(row)->ship_date_text;
    if (sl_parse_date_iso(text, row->ship_date) == 0)
        return 0;
    const char *found_format = NULL;
    char found[11] = "";
    for (size_t i = 0; i < options->date_format_count; i++) {
        char date[11];
        const char *format = options->date_formats[i];
        if (sl_parse_date_with(text, format, date) != 0)
            continue;
        if (!found_format) {
            found_format = format;
            memcpy(found, date, sizeof(found));
        } else if (strcmp(found, date) != 0) {
            row->ship_date[0] = '\0';
            sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_AMBIGUOUS_DATE,
                        "ship date '%s' reads as %s (%s) and as %s (%s): give the file's format "
                        "with --date-format", text, found, found_format, date, format);
            return -1;
        }
    }
    if (found_format) {
        memcpy(row->ship_date, found, sizeof(found));
        return 0;
    }
    char tried[512];
    list_formats(options->date_formats, options->date_format_count, 0, tried, sizeof(tried));
    sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_BAD_DATE,
                "ship date '%s' is not a real date in %s; give the file's format with "
                "--date-format (e.g. --date-format '%%d/%%m/%%Y')", text, tried);
    return -1;
}

static void warn_far_from_today(sl_row *row, long today, long days)
{
    if (today <= 0)
        return;
    if (days > today + FUTURE_DAYS)
        sl_row_warn_as(row, SL_WARNING_SHIP_DATE_FUTURE,
                       "ship date %s is %ld days in the future", row->ship_date, days - today);
    else if (days < today - PAST_DAYS)
        sl_row_warn_as(row, SL_WARNING_SHIP_DATE_OLD,
                       "ship date %s is %ld days old", row->ship_date, today - days);
}

/* 1 when text is exactly YYYY-MM-DD, a real date, and no --date-format comes first: then
 * row->ship_date and *days are set, as the full reading would set them. */
static int read_plain_iso(sl_row *row, const sl_validate_options *options, const char *text,
                          long *days)
{
    return !options->user_date_format_count &&
           sl_parse_date_plain_iso(text, row->ship_date, days) == 0;
}

int sl_validate_ship_date(sl_row *row, const sl_validate_options *options)
{
    row->ship_date[0] = '\0';
    const char *given = sl_row_cols(row)->ship_date_text, *text = given;
    while (text && (*text == ' ' || *text == '\t'))
        text++;
    if (!text || !*text)
        return 0;
    long days;
    if (read_plain_iso(row, options, given, &days) ||
        sl_validate_run_recall_date(options->run, given, row->ship_date, &days)) {
        warn_far_from_today(row, options->today, days);   /* plain, or read on a recent row */
        return 0;
    }
    int rc = options->user_date_format_count ? read_user_date(row, options)
                                             : read_template_date(row, options);
    if (rc == 0) {
        days = sl_date_days(row->ship_date);
        sl_validate_run_keep_date(options->run, given, row->ship_date, days);
        warn_far_from_today(row, options->today, days);
    }
    return rc;
}
