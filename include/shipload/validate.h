/* validate.h: judges a mapped row (spec §5, §12): required fields, quantity, dates, booleans,
 * actions, carrier names, tracking numbers (placeholders, spreadsheet damage, carrier shapes,
 * check digits). Decides `invalid` with the first
 * defect in the spec's order; never touches the network. */
#ifndef SHIPLOAD_VALIDATE_H
#define SHIPLOAD_VALIDATE_H

#include <stddef.h>
#include "shipload/row.h"

typedef struct sl_validate_options {
    const char *const *date_formats;  /* strftime-style; ISO 8601 always accepted */
    size_t date_format_count;
    int verify_tracking;              /* 0: a number that fails its carrier's shapes or check
                                         digit is only a warning */
    int default_notify;               /* -1 unset, 0, 1: used when the row has none */
    int skip_tracking_url;            /* 1: do not build a missing tracking URL (a caller that
                                         never uses it, like validate, saves the work) */
} sl_validate_options;

/* Parses the row's typed fields and fails it (SL_STATUS_INVALID) on the first defect. Normalises
 * the carrier, infers a missing one, builds a missing tracking URL (unless skip_tracking_url).
 * Leaves skipped rows skipped unless they have an encoding or shape defect. */
void sl_validate_row(sl_row *row, const sl_validate_options *options);

/* Exposed for tests and other stages. */
int sl_parse_date(const char *text, const char *const *formats, size_t count, char out[11]);
int sl_parse_bool(const char *text, int *out);        /* Y/N yes/no true/false 1/0; -1 if none */
int sl_parse_quantity(const char *text, long *out);   /* positive integer; empty → 0; -1 if bad */
int sl_parse_action(const char *text, sl_action *out);

/* What a tracking-number cell holds when it is none (tracking_text.c): 1 for a placeholder
 * (N/A, TBD, pending, -, ?, 0, all zeros, #N/A, ...), 1 for a number in scientific notation
 * (a spreadsheet read it as a number: 9.40011189922363E+21). */
int sl_tracking_is_placeholder(const char *number);
int sl_tracking_is_scientific(const char *number);

#endif
