/* validate.h: judges a mapped row (spec §5, §12): required fields, quantity, dates, booleans,
 * actions, carrier names, tracking numbers (placeholders, spreadsheet damage, carrier shapes,
 * check digits). Decides `invalid` with the first
 * defect in the spec's order; never touches the network. */
#ifndef SHIPLOAD_VALIDATE_H
#define SHIPLOAD_VALIDATE_H

#include <stddef.h>
#include <stdint.h>
#include "shipload/row.h"

/* What validation remembers across the rows of one run (run_memory.c). */
typedef struct sl_validate_run sl_validate_run;

typedef struct sl_validate_options {
    const char *const *date_formats;  /* the template's, strftime-style, after ISO 8601: two
                                         that read different days make the date ambiguous */
    size_t date_format_count;
    int verify_tracking;              /* 0: a number that fails its carrier's shapes or check
                                         digit is only a warning */
    int default_notify;               /* -1 unset, 0, 1: used when the row has none */
    int skip_tracking_url;            /* 1: do not derive a missing tracking URL (the row's
                                         url_carrier stays 0) */
    sl_validate_run *run;             /* NULL: each row on its own (an unknown carrier kept
                                         exactly as written, no tracking numbers remembered) */
    int warn_shared_tracking;         /* 1 (validate, offline): a tracking number already seen
                                         on another order is a warning (needs run) */
    const char *const *user_date_formats; /* --date-format: when given, tried first and alone
                                         (the first that reads the date wins), then ISO */
    size_t user_date_format_count;
    long today;                       /* days since 1970-01-01 (sl_date_days); 0: no warning
                                         for ship dates far from today */
    int suggest_encoding;             /* the file was read as UTF-8 by default: invalid bytes
                                         that Windows-1252 decodes suggest --encoding */
} sl_validate_options;

/* Parses the row's typed fields and fails it (SL_STATUS_INVALID) on the first defect. Normalises
 * the carrier, infers a missing one, derives a missing tracking URL (unless skip_tracking_url:
 * row->url_carrier names the carrier, sl_row_tracking_url builds it when read).
 * Leaves skipped rows skipped unless they have an encoding or shape defect. */
void sl_validate_row(sl_row *row, const sl_validate_options *options);

/* Room for a row's tracking URL while one reader uses it (sl_row_tracking_url). */
typedef struct sl_row_url {
    char *spilled;              /* a URL too long for text, malloc'd; else NULL */
    char text[256];             /* a derived URL that fits (almost all) */
} sl_row_url;

/* The row's tracking URL. One the manifest gave is row->tracking_url, returned as it is; one
 * validation derived (row->url_carrier: the carrier's pattern and the first non-blank
 * tracking number) is not held by the row and is built here into room, in text when it fits,
 * else malloc'd (NULL then if out of memory). NULL or "" when the row has no URL. What is
 * returned lives as long as the row and room, until sl_row_url_free(room): call it after
 * every call (room needs no initialising; the row is not changed; any thread). */
const char *sl_row_tracking_url(const sl_row *row, sl_row_url *room);
void sl_row_url_free(sl_row_url *room);

sl_validate_run *sl_validate_run_new(void);      /* NULL when out of memory */
void sl_validate_run_free(sl_validate_run *run);
/* The first spelling seen in this run of a carrier name the table does not know, ignoring
 * case, spaces and punctuation (the name itself when first seen, or when run is NULL). */
const char *sl_validate_run_spelling(sl_validate_run *run, const char *written);
/* sl_carrier_find(name), remembered for the run's recent names (run NULL: not remembered). */
const struct sl_carrier *sl_validate_run_find_carrier(sl_validate_run *run, const char *name);
/* 1 with the date and its day number (sl_date_days) when text was kept for the run recently;
 * else 0. A date is kept (sl_validate_run_keep_date) only once read without a defect, under
 * the run's fixed options, so the same text reads the same. */
int sl_validate_run_recall_date(const sl_validate_run *run, const char *text, char date[11],
                                long *days);
void sl_validate_run_keep_date(sl_validate_run *run, const char *text, const char date[11],
                               long days);
/* Remembers that number is on order_ref (record). Returns 1 when it was seen on another order
 * (references compared without spaces and a leading '#'), with that order and record (borrowed
 * from run); else 0. Memory is fixed: a number seen long before (tens of thousands of numbers
 * back) may be forgotten; one repeated on nearby rows never is. */
int sl_validate_run_note_number(sl_validate_run *run, const char *number, const char *order_ref,
                                size_t record, const char **other_ref, size_t *other_record);
/* A hint that number will soon be noted: its slot of the run's memory is brought towards the
 * cache (no effect on any result). Returns the number's hash for
 * sl_validate_run_note_prefetched (not hashed twice), 0 when run or number is NULL or empty
 * (or out of memory). */
uint64_t sl_validate_run_prefetch(sl_validate_run *run, const char *number);
/* sl_validate_run_note_number for the number sl_validate_run_prefetch returned number_hash
 * for (0: nothing noted, returns 0). */
int sl_validate_run_note_prefetched(sl_validate_run *run, uint64_t number_hash,
                                    const char *order_ref, size_t record,
                                    const char **other_ref, size_t *other_record);

/* Exposed for tests and other stages. */
int sl_parse_date(const char *text, const char *const *formats, size_t count, char out[11]);
int sl_parse_date_iso(const char *text, char out[11]);                    /* ISO 8601 only */
int sl_parse_date_with(const char *text, const char *format, char out[11]); /* one format */
long sl_date_days(const char date[11]);   /* "YYYY-MM-DD" → days since 1970-01-01 */
/* The usual date cell, read at once: text exactly YYYY-MM-DD (no spaces, no time) and a real
 * date → 0, out and *days (sl_date_days) set as sl_parse_date_iso and sl_date_days would set
 * them; else -1 (the full reading decides). */
int sl_parse_date_plain_iso(const char *text, char out[11], long *days);
int sl_parse_bool(const char *text, int *out);        /* Y/N yes/no true/false 1/0; -1 if none */
int sl_parse_quantity(const char *text, long *out);   /* positive integer; empty → 0; -1 if bad */
int sl_parse_action(const char *text, sl_action *out);

/* What a tracking-number cell holds when it is none (tracking_text.c): 1 for a placeholder
 * (N/A, TBD, pending, -, ?, 0, all zeros, #N/A, ...), 1 for a number in scientific notation
 * (a spreadsheet read it as a number: 9.40011189922363E+21). */
int sl_tracking_is_placeholder(const char *number);
int sl_tracking_is_scientific(const char *number);

#endif
