/* carrier.h: what shipload knows about carriers, from one table (src/validate/carrier_table.c):
 * canonical names and codes, aliases, tracking-URL patterns, tracking-number formats and their
 * check digits (UPS 1Z, USPS IMpb, UPU S10, FedEx 12/15/18/20/22/34 digit, DHL Express
 * 10/11 digit), and for the carriers whose published shapes are all known, the sentence that
 * says what their numbers look like.
 * Lookups only: deciding a row's outcome is sl_validate_row's job. No allocation except
 * sl_carrier_tracking_url (sl_carrier_tracking_url_write fills the caller's memory); no global
 * mutable state; safe to call from any thread. */
#ifndef SHIPLOAD_CARRIER_H
#define SHIPLOAD_CARRIER_H

#include <stddef.h>

/* How a format's check digit is computed. The "payload" is the format's checked span (with
 * any prefix the format prepends), the check character is excluded. */
typedef enum sl_check_kind {
    SL_CHECK_NONE = 0,
    SL_CHECK_UPS_MOD10,     /* 1Z: letters as (ASCII - 63) mod 10, weights 1,2,1,... from the
                               left, check = (10 - sum mod 10) mod 10 */
    SL_CHECK_MOD10_3_1,     /* GS1 style: weights 3,1,3,... from the right, check = (10 - sum
                               mod 10) mod 10 (USPS IMpb, FedEx Ground, SSCC) */
    SL_CHECK_MOD11_1_3_7,   /* FedEx Express: weights 1,3,7,... from the right, check = sum
                               mod 11 mod 10 */
    SL_CHECK_MOD7,          /* DHL Express: the payload as a number, mod 7 (check 0-6) */
    SL_CHECK_S10            /* UPU S10: weights 8,6,4,2,3,5,9,7, check = 11 - sum mod 11,
                               10 → 0, 11 → 5 */
} sl_check_kind;

/* One shape of tracking number a carrier uses. pattern: '#' a digit, '@' a letter, '?' a letter
 * or digit, "[..]" one of the listed characters, any other character itself (letters match
 * either case); each may be followed by {n} or {m,n}. */
typedef struct sl_number_format {
    const char *label;          /* "UPS 1Z", named in messages */
    const char *pattern;
    sl_check_kind check;
    unsigned char span_start;   /* first character covered by the check digit */
    unsigned char check_from_end; /* 1: the check digit is the last character */
    const char *check_prefix;   /* digits the algorithm counts before the span ("91"), or NULL */
    int infer;                  /* the shape alone names the carrier (used for inference) */
} sl_number_format;

typedef struct sl_carrier {
    const char *name;           /* canonical, as reports show it: "UPS", "DHL Express" */
    const char *code;           /* stable lowercase code: "ups", "dhl_express" */
    const char *tracking_url;   /* pattern, "{number}" stands for the tracking number */
    const char *const *aliases; /* NULL-terminated; a trailing " *" also accepts any words
                                   after it ("FedEx *" takes "FedEx 2Day") */
    const sl_number_format *formats; /* ends with an entry whose pattern is NULL */
    const char *shapes;         /* when formats are every shape the carrier publishes: what
                                   they look like, for messages ("UPS numbers are 1Z followed
                                   by 16 letters and digits"); NULL when not all are known (a
                                   number that fits none is then not judged by its shape) */
} sl_carrier;

/* The table, in a fixed order. */
size_t sl_carrier_count(void);
const sl_carrier *sl_carrier_at(size_t index);
/* The carrier's place in the table (sl_carrier_at(index) == carrier); sl_carrier_count() when
 * carrier is NULL or not one of the table's. The table has fewer than 255 carriers. */
size_t sl_carrier_index(const sl_carrier *carrier);

/* The carrier a written name means: its canonical name, code or an alias, ignoring case,
 * spaces and punctuation ("U.S. Postal Service", "dhl_express", "FedEx Home Delivery").
 * NULL when unknown. */
const sl_carrier *sl_carrier_find(const char *name);

/* The carrier whose format the number's shape alone identifies (1Z... → UPS, ...GB S10 → Royal
 * Mail, 96 + 20 digits → FedEx). NULL when no such format fits, or when inferring formats of
 * several carriers fit (ambiguous). Check digits play no part. */
const sl_carrier *sl_carrier_infer(const char *number);

/* 1 when one of the carrier's formats fits the number's shape. */
int sl_carrier_has_format(const sl_carrier *carrier, const char *number);

typedef enum sl_number_verdict {
    SL_NUMBER_UNKNOWN_FORMAT = 0,   /* no format of the carrier fits: nothing to check */
    SL_NUMBER_OK,                   /* a fitting format has no check digit or a right one */
    SL_NUMBER_BAD_CHECK_DIGIT       /* every fitting format has a check digit, all wrong */
} sl_number_verdict;

/* Checks the number against the carrier's formats. On SL_NUMBER_BAD_CHECK_DIGIT, reason (if
 * not NULL) gets e.g. "UPS 1Z check digit should be 6, not 8". */
sl_number_verdict sl_carrier_check_number(const sl_carrier *carrier, const char *number,
                                          char *reason, size_t reason_cap);

/* 1 when the carrier's shapes are all known (carrier->shapes) and the number fits none. */
int sl_carrier_misfits(const sl_carrier *carrier, const char *number);

/* When an all-digit number fits no shape of the carrier but does with 1 to 4 zeros put back
 * in front (a spreadsheet that read it as a number dropped them), and the restored number
 * passes that shape's check digit (or the shape itself starts with zeros): writes the
 * restored number to fixed and returns how many zeros it lost; else 0. */
int sl_carrier_lost_zeros(const sl_carrier *carrier, const char *number, char *fixed,
                          size_t fixed_cap);

/* The check character the format's algorithm gives for number (whose own check position is
 * ignored), or -1 if the number does not fit the format or its payload is not computable. */
int sl_number_format_check_digit(const sl_number_format *format, const char *number);

/* For generating samples: writes the right check digit into number (in place) for the first
 * of the carrier's check-digit formats that fits it; put any digit in the check position.
 * Returns 0, or -1 when no check-digit format of the carrier fits. */
int sl_carrier_set_check_digit(const sl_carrier *carrier, char *number);

/* The tracking URL for number from the carrier's pattern (the number percent-encoded where
 * needed). Caller frees. NULL on allocation failure. */
char *sl_carrier_tracking_url(const sl_carrier *carrier, const char *number);
/* The same URL into the caller's memory (a row's string block), like snprintf: writes what
 * fits in cap bytes, NUL-terminated when cap > 0, and returns the URL's length without its NUL
 * (0 when carrier or number is NULL): out held all of it when that is below cap. */
size_t sl_carrier_tracking_url_write(const sl_carrier *carrier, const char *number, char *out,
                                     size_t cap);

#endif
