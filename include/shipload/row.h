/* row.h: the canonical shipment row (spec §4) that flows through map → validate → match →
 * plan → submit → report. Each stage fills its own part; no stage rewrites an earlier part.
 * Every string is owned by the row and freed by sl_row_clear(). A row may also own a small
 * block (sl_row_use_block) from which its strings are carved instead of malloc'd one by one;
 * a string of a row that has one is replaced with sl_row_replace, never with free() or
 * sl_row_set. Rows without a block (the default) behave as plain malloc'd strings.
 *
 * The values of the columns that repeat from row to row (quantity, carrier code, ship date,
 * notify, location, shipping method, action, fulfillment status) live apart, in an
 * sl_row_columns the row points to: read them with sl_row_cols (never NULL), write them
 * through sl_row_own_columns. A row being mapped and validated owns its columns (carved from
 * its block like its strings); a row an import holds shares them with every row of the same
 * combination (engine/import_rows.h), so a held row pays one pointer for all eight.
 *
 * The fields most rows leave empty (the column with invalid bytes, the line item id, the
 * tracking URL the manifest gave, the warnings) live apart too, in an sl_row_extra the row
 * owns and points to only when one of them is set: read them with sl_row_warning,
 * sl_row_line_item_id, ... (NULL when absent), write them through sl_row_own_extra (the
 * mapped ones, like the row's strings) or sl_row_warn / sl_row_set_warnings. */
#ifndef SHIPLOAD_ROW_H
#define SHIPLOAD_ROW_H

#include <stddef.h>
#include <stdint.h>
#include "shipload/error.h"

typedef enum sl_ref_kind { SL_REF_AUTO = 0, SL_REF_ID, SL_REF_NAME } sl_ref_kind;
/* STATUS: a new status for an existing fulfillment, nothing else (a platform with
 * update_status, e.g. OrderProtection's status-only PUT). */
typedef enum sl_action {
    SL_ACTION_SHIP = 0, SL_ACTION_UPDATE, SL_ACTION_CANCEL, SL_ACTION_STATUS
} sl_action;

/* The string block of sl_row_use_block: its strings are carved from data. */
typedef struct sl_row_block {
    size_t size, used;
    _Alignas(void *) char data[];
} sl_row_block;

/* The repeating columns of a row (strings after transforms; NULL or "" when absent). */
typedef struct sl_row_columns {
    char *quantity_text;
    char *carrier_code;
    char *ship_date_text;
    char *notify_text;
    char *location_id;
    char *shipping_method;
    char *action_text;
    char *fulfillment_status;   /* a status in the platform's words ("IN_TRANSIT"), as mapped;
                                   checked against the platform's table by the engine */
} sl_row_columns;

/* The slots of the eight strings of columns c, in their order above: an initializer for an
 * array of char ** (or of char *const * when c is const). */
#define SL_ROW_COLUMN_SLOTS(c)                                                               \
    { &(c)->quantity_text, &(c)->carrier_code, &(c)->ship_date_text, &(c)->notify_text,      \
      &(c)->location_id, &(c)->shipping_method, &(c)->action_text, &(c)->fulfillment_status }

/* The fields of a row that most rows leave empty: made only for a row that has one
 * (sl_row_own_extra), owned by the row with its strings, freed by sl_row_clear. A row an import
 * holds has its line_item_id and tracking_url in the import's arena (engine/import_rows.h). */
typedef struct sl_row_extra {
    char *encoding_column;      /* the column with invalid bytes: one read (bad_encoding) or,
                                   when only unread columns have them, the first of those */
    char *line_item_id;         /* mapped by the template */
    char *tracking_url;         /* as the manifest (or a journal read back) gave it; one
                                   validation derives is not held here but named by the row's
                                   url_carrier: read it with sl_row_tracking_url */
    char *warning;              /* warning column: "; "-joined warnings, whatever the status */
    unsigned warning_kinds;     /* bit (1u << sl_warning) per kind of warning the row has */
} sl_row_extra;

/* Field order: pointers first, then the 4-byte fields, then the 2-byte and 1-byte ones, so
 * that a row has no padding between them: an import holds one per record (a million rows, a
 * million times each byte). The record and line numbers are held in 32 bits (a reader stops
 * with an error at a record or line past SL_RECORD_NUMBER_MAX, record.h), the quantity too
 * (validation caps it at 1,000,000,000), the enums in one byte each (their type named beside
 * them), the HTTP status in two. */
typedef struct sl_row {
    /* mapped by the template (strings after transforms; NULL or "" when absent) */
    char *order_ref;
    char *package_ref;          /* kept in the row: the manifests that name packages name them
                                   on most rows */
    char *sku;
    char **tracking_numbers;    /* after splitting and removing inner spaces */
    char *carrier;
    sl_row_columns *columns;    /* the repeating columns; NULL: none (read with sl_row_cols) */

    /* filled by matching, planning and submission */
    char *order_id;
    char *fulfillment_order_id;
    char *fulfillment_id;
    char *order_name;           /* the matched order's name ("#1001"), set by matching */

    /* outcome */
    char *message;              /* error_message column: the reason of a failure */
    sl_row_extra *extra;        /* what most rows leave empty; NULL: all of it (read with
                                   sl_row_warning ...) */

    /* storage (see sl_row_use_block): strings carved from block need no free of their own */
    sl_row_block *block;

    uint32_t record;            /* where it came from: the record's number (1-based) */
    uint32_t line;              /* and the line it starts on */
    int32_t quantity;           /* validation: 0 the whole remaining quantity, else at most
                                   1,000,000,000 */
    uint32_t tracking_count;    /* of tracking_numbers */
    unsigned short http_status; /* 0 when no request concerned the row */
    unsigned char order_ref_kind;   /* an sl_ref_kind: mapped */
    signed char notify;         /* validation: -1 unset, 0 no, 1 yes */
    unsigned char action;       /* an sl_action: validation */
    unsigned char status;       /* an sl_status: SL_STATUS_PENDING until a stage decides */
    unsigned char code;         /* an sl_code */

    char ship_date[11];         /* validation: YYYY-MM-DD or "" */
    signed char notified;       /* -1 no fulfillment sent (or planned) for the row; else
                                   whether it asked the platform to notify the customer */
    unsigned char bad_encoding; /* a column the template reads has invalid bytes */
    unsigned char encoding_1252_decodes;  /* those bytes would decode as Windows-1252 */
    unsigned char malformed;    /* copied from the record */
    unsigned char shared;       /* SL_ROW_SHARED_* bits: strings that are not the row's own */
    unsigned char url_carrier;  /* validation: 1 + the index (sl_carrier_at) of the carrier whose
                                   pattern gives the row's tracking URL from its first
                                   non-blank tracking number (built when read:
                                   sl_row_tracking_url, validate.h);
                                   0 when the row holds its URL in extra, or has none */
} sl_row;
/* 144 bytes on LP64, no padding (was 240 with the eight repeating columns in the row, 184 with
 * the record and line numbers and the quantity in 64 bits, 176 with the fields of
 * sl_row_extra in the row): an import holds one per record, so each byte here is a megabyte
 * at a million rows. */
_Static_assert(sizeof(void *) != 8 || sizeof(sl_row) == 144, "sl_row grew: an import holds "
               "one per record");

/* Strings a row points to but does not own (never freed through it). */
enum {
    SL_ROW_SHARED_MESSAGE = 1,  /* message (sl_row_fail_shared) */
    SL_ROW_SHARED_MATCHED = 2,  /* order_id, order_name, fulfillment_order_id
                                   (sl_row_share_matched) */
    SL_ROW_SHARED_COLUMNS = 4,  /* columns and its strings (sl_row_share_columns) */
    SL_ROW_SHARED_FULFILLMENT = 8   /* fulfillment_id (sl_row_share_fulfillment_id) */
};

/* Every repeating column NULL: what sl_row_cols gives for a row without columns. */
extern const sl_row_columns sl_row_no_columns;

/* The row's repeating columns, for reading: never NULL. */
static inline const sl_row_columns *sl_row_cols(const sl_row *row)
{
    return row->columns ? row->columns : &sl_row_no_columns;
}

/* Every field of sl_row_extra empty: what sl_row_ext gives for a row without one. */
extern const sl_row_extra sl_row_no_extra;

/* The row's rarely set fields, for reading: never NULL. */
static inline const sl_row_extra *sl_row_ext(const sl_row *row)
{
    return row->extra ? row->extra : &sl_row_no_extra;
}

/* Where a text of a row lives, for tables of texts by name: the row itself, its repeating
 * columns or its extra; with the text's offset in that struct. */
typedef enum { SL_ROW_PART_ROW, SL_ROW_PART_COLUMNS, SL_ROW_PART_EXTRA } sl_row_part;

/* The text at offset in part, for reading (NULL when unset). */
static inline const char *sl_row_part_text(const sl_row *row, sl_row_part part, size_t offset)
{
    const char *base = part == SL_ROW_PART_COLUMNS ? (const char *)sl_row_cols(row)
                       : part == SL_ROW_PART_EXTRA ? (const char *)sl_row_ext(row)
                                                   : (const char *)row;
    return *(char *const *)(base + offset);
}

static inline const char *sl_row_encoding_column(const sl_row *row)
{
    return sl_row_ext(row)->encoding_column;
}
static inline const char *sl_row_line_item_id(const sl_row *row)
{
    return sl_row_ext(row)->line_item_id;
}
/* The URL the manifest gave (NULL when none); sl_row_tracking_url (validate.h) also gives one
 * validation derives. */
static inline const char *sl_row_given_tracking_url(const sl_row *row)
{
    return sl_row_ext(row)->tracking_url;
}
static inline const char *sl_row_warning(const sl_row *row)
{
    return sl_row_ext(row)->warning;
}
static inline unsigned sl_row_warning_kinds(const sl_row *row)
{
    return sl_row_ext(row)->warning_kinds;
}

void sl_row_init(sl_row *row);
void sl_row_clear(sl_row *row);

/* Gives the row a block of `size` bytes for its strings (kept by sl_row_reset, freed by
 * sl_row_clear): a reader that reuses its rows then allocates almost nothing per row. -1 when
 * out of memory (the row then works without one). */
int sl_row_use_block(sl_row *row, size_t size);
/* Like sl_row_clear, but keeps the row's block for the next row. */
void sl_row_reset(sl_row *row);
/* size bytes (aligned for a pointer) owned by the row: from its block when they fit, else
 * malloc'd. NULL when out of memory. */
void *sl_row_alloc(sl_row *row, size_t size);
/* Frees *slot (unless it lies in the row's block) and sets it to NULL. */
void sl_row_drop(sl_row *row, char **slot);
/* Replaces *slot with a copy of value (NULL allowed), allocated with sl_row_alloc. -1 on
 * allocation failure (the slot is then unchanged). Safe whether the row has a block or not. */
int sl_row_replace(sl_row *row, char **slot, const char *value);

/* The row's own columns, for writing their strings (with sl_row_replace, or sl_row_set on a
 * row without a block): made on first use, all NULL, with sl_row_alloc. NULL when out of
 * memory. Never on a row whose columns are shared. */
sl_row_columns *sl_row_own_columns(sl_row *row);
/* Points the row at columns it does not own (which must outlive it, strings included),
 * freeing its own. Nothing may write them afterwards. */
void sl_row_share_columns(sl_row *row, sl_row_columns *columns);

/* The row's extra, for writing its strings like the row's own (encoding_column, line_item_id,
 * tracking_url: sl_row_replace, or sl_row_set on a row without a block; the warnings only
 * through sl_row_warn... and sl_row_set_warnings): made on first use, all empty, with
 * sl_row_alloc. NULL when out of memory. */
sl_row_extra *sl_row_own_extra(sl_row *row);

/* The slot of a text at offset in part, for writing: the columns or extra made on first use
 * (NULL: out of memory). */
static inline char **sl_row_part_slot(sl_row *row, sl_row_part part, size_t offset)
{
    char *base = part == SL_ROW_PART_COLUMNS ? (char *)sl_row_own_columns(row)
                 : part == SL_ROW_PART_EXTRA ? (char *)sl_row_own_extra(row)
                                             : (char *)row;
    return base ? (char **)(base + offset) : NULL;
}

/* Replaces *slot with a copy of value (NULL allowed). Returns -1 on allocation failure. */
int sl_row_set(char **slot, const char *value);

/* Decides the row's outcome. Keeps the first failure: does nothing if the row already failed. */
void sl_row_fail(sl_row *row, sl_status status, sl_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* sl_row_fail with a message the row does not own: many rows stopped for one reason share
 * one copy of it, which must outlive the rows (and is never freed through them). */
void sl_row_fail_shared(sl_row *row, sl_status status, sl_code code, const char *message);

/* Points order_id, order_name and fulfillment_order_id at equal copies the row does not own
 * (which must outlive it), freeing its own; NULL for a string the row does not have. When one
 * the row has is not given, nothing changes (all three are shared, or none). Nothing may set
 * those three afterwards. */
void sl_row_share_matched(sl_row *row, char *order_id, char *order_name,
                          char *fulfillment_order_id);

/* Points fulfillment_id at shared, a copy the row does not own (which must outlive it; NULL
 * allowed), dropping what the row had: the rows of one planned fulfillment share one copy of
 * the id the store gave it. */
void sl_row_share_fulfillment_id(sl_row *row, char *shared);
/* Sets fulfillment_id to a copy of value (NULL allowed) the row owns, whether it shared one
 * before or not (sl_row_set would free a shared one). -1 on allocation failure (the row is
 * then unchanged). */
int sl_row_set_fulfillment_id(sl_row *row, const char *value);

/* Adds a warning of kind SL_WARNING_OTHER to the row's warnings (appended with "; "), leaving
 * status and message alone. */
void sl_row_warn(sl_row *row, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds a warning of the given kind to the row's warnings and sets its bit in warning_kinds. */
void sl_row_warn_as(sl_row *row, sl_warning kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets the row's warnings to a copy of warning (NULL allowed) and their kinds to kinds, as a
 * journal read back gives them: an extra made only when either is set. -1 on allocation
 * failure. */
int sl_row_set_warnings(sl_row *row, const char *warning, unsigned kinds);

/* The ship date for reports: the validated YYYY-MM-DD, else the text as given (or NULL). */
const char *sl_row_ship_date(const sl_row *row);
/* The notified column: "yes", "no", or "" when no fulfillment was sent for the row. */
const char *sl_row_notified_text(const sl_row *row);

/* The tracking numbers joined with ';' into buf (truncated to cap). */
void sl_row_tracking_joined(const sl_row *row, char *buf, size_t cap);

#endif
