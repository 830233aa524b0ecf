/* validate_internal.h: the parts of row validation that live in files of their own (private
 * to src/validate). */
#ifndef SHIPLOAD_VALIDATE_INTERNAL_H
#define SHIPLOAD_VALIDATE_INTERNAL_H

#include "shipload/validate.h"

/* 1 when text is NULL or holds only spaces, tabs and line breaks. */
static inline int sl_validate_is_blank(const char *text)
{
    if (!text)
        return 1;
    for (; *text; text++)
        if (*text != ' ' && *text != '\t' && *text != '\r' && *text != '\n')
            return 0;
    return 1;
}

/* Reads row->ship_date_text into row->ship_date (ship_date.c). Fails the row (bad_date,
 * ambiguous_date) and returns -1, or returns 0, with a warning when the date is far from
 * options->today. An empty date is fine. */
int sl_validate_ship_date(sl_row *row, const sl_validate_options *options);

/* The tracking number a derived tracking URL names: the row's first that is not blank (only
 * spaces, tabs or line breaks), or NULL (tracking_url.c). */
const char *sl_validate_url_number(const sl_row *row);

#endif
