/* error.h: errors returned as values (sl_error) and the stable tables of row error codes and
 * row statuses that every stage and every report uses. Does not print anything. */
#ifndef SHIPLOAD_ERROR_H
#define SHIPLOAD_ERROR_H

#include <stdarg.h>
#include <stddef.h>

/* A failure with its context, filled by the function that failed. */
typedef struct sl_error {
    char message[512];
} sl_error;

/* Sets err->message (err may be NULL). Always returns -1, so `return sl_error_set(...)` works. */
int sl_error_set(sl_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Row error codes (spec §8). The X-macro is the one table of their names. */
#define SL_CODE_TABLE(X)                                                  \
    X(SL_CODE_NONE, "")                                                   \
    X(SL_CODE_MISSING_ORDER_REF, "missing_order_ref")                     \
    X(SL_CODE_MISSING_TRACKING_NUMBER, "missing_tracking_number")         \
    X(SL_CODE_BAD_QUANTITY, "bad_quantity")                               \
    X(SL_CODE_BAD_DATE, "bad_date")                                       \
    X(SL_CODE_BAD_VALUE, "bad_value")                                     \
    X(SL_CODE_BAD_TRACKING_NUMBER, "bad_tracking_number")                 \
    X(SL_CODE_TRACKING_REUSED, "tracking_reused")                         \
    X(SL_CODE_AMBIGUOUS_DATE, "ambiguous_date")                           \
    X(SL_CODE_BAD_ENCODING, "bad_encoding")                               \
    X(SL_CODE_MALFORMED_RECORD, "malformed_record")                       \
    X(SL_CODE_ORDER_NOT_FOUND, "order_not_found")                         \
    X(SL_CODE_ORDER_AMBIGUOUS, "order_ambiguous")                         \
    X(SL_CODE_ORDER_CANCELED, "order_canceled")                           \
    X(SL_CODE_PACKAGE_NOT_FOUND, "package_not_found")                     \
    X(SL_CODE_PACKAGE_AMBIGUOUS, "package_ambiguous")                     \
    X(SL_CODE_ITEM_NOT_FOUND, "item_not_found")                           \
    X(SL_CODE_QUANTITY_EXCEEDS_REMAINING, "quantity_exceeds_remaining")   \
    X(SL_CODE_ALREADY_FULFILLED_DIFFERENT_TRACKING,                       \
      "already_fulfilled_different_tracking")                             \
    X(SL_CODE_API_REJECTED, "api_rejected")                               \
    X(SL_CODE_RATE_LIMITED, "rate_limited")                               \
    X(SL_CODE_SERVER_ERROR, "server_error")                               \
    X(SL_CODE_NETWORK_ERROR, "network_error")                             \
    X(SL_CODE_TIMEOUT, "timeout")                                         \
    X(SL_CODE_AUTH_FAILED, "auth_failed")                                 \
    /* not_attempted rows: what stopped the run before the row was sent */ \
    X(SL_CODE_INTERRUPTED, "interrupted")                                 \
    X(SL_CODE_RUN_STOPPED, "run_stopped")                                 \
    /* the direct platforms (docs/architecture.md) */                    \
    X(SL_CODE_ORDER_NOT_SHIPPABLE, "order_not_shippable")                 \
    X(SL_CODE_UNSUPPORTED_BY_PLATFORM, "unsupported_by_platform")         \
    X(SL_CODE_FULFILLMENT_NOT_FOUND, "fulfillment_not_found")

#define SL_ENUM_ENTRY(id, name) id,
typedef enum sl_code { SL_CODE_TABLE(SL_ENUM_ENTRY) SL_CODE_COUNT } sl_code;

/* Row statuses (spec §8), with whether each counts as a success. */
#define SL_STATUS_TABLE(X)                              \
    X(SL_STATUS_PENDING, "pending", 0)                  \
    X(SL_STATUS_SHIPPED, "shipped", 1)                  \
    X(SL_STATUS_UPDATED, "updated", 1)                  \
    X(SL_STATUS_CANCELED, "canceled", 1)                \
    X(SL_STATUS_DUPLICATE, "duplicate", 1)              \
    X(SL_STATUS_SKIPPED, "skipped", 1)                  \
    X(SL_STATUS_INVALID, "invalid", 0)                  \
    X(SL_STATUS_UNMATCHED, "unmatched", 0)              \
    X(SL_STATUS_CONFLICT, "conflict", 0)                \
    X(SL_STATUS_REJECTED, "rejected", 0)                \
    X(SL_STATUS_FAILED, "failed", 0)                    \
    X(SL_STATUS_NOT_ATTEMPTED, "not_attempted", 0)      \
    X(SL_STATUS_WOULD_SHIP, "would_ship", 1)            \
    X(SL_STATUS_WOULD_UPDATE, "would_update", 1)        \
    X(SL_STATUS_WOULD_CANCEL, "would_cancel", 1)        \
    X(SL_STATUS_VALID, "valid", 1)

#define SL_STATUS_ENUM_ENTRY(id, name, success) id,
typedef enum sl_status { SL_STATUS_TABLE(SL_STATUS_ENUM_ENTRY) SL_STATUS_COUNT } sl_status;

/* Warning kinds (issue 14): what a row's `warning` column says, counted per kind in
 * summary.json's "warnings". A warning never changes a row's status. Row kinds and the
 * source-level ones (a column the template does not read) share the one table. */
#define SL_WARNING_TABLE(X)                                                        \
    X(SL_WARNING_OTHER, "other")                                                   \
    X(SL_WARNING_FOREIGN_TRACKING_NUMBER, "foreign_tracking_number")               \
    X(SL_WARNING_TRACKING_NOT_VERIFIED, "tracking_not_verified")                   \
    X(SL_WARNING_TRACKING_REUSED, "tracking_reused")                               \
    X(SL_WARNING_SHIP_DATE_FUTURE, "ship_date_future")                             \
    X(SL_WARNING_SHIP_DATE_OLD, "ship_date_old")                                   \
    X(SL_WARNING_BAD_ENCODING_UNREAD, "bad_encoding_unread")                       \
    X(SL_WARNING_UNMAPPED_COLUMN, "unmapped_column")                               \
    X(SL_WARNING_PACKAGE_IGNORED, "package_ignored")                               \
    X(SL_WARNING_CARRIER_NOT_LISTED, "carrier_not_listed")

#define SL_WARNING_ENUM_ENTRY(id, name) id,
typedef enum sl_warning { SL_WARNING_TABLE(SL_WARNING_ENUM_ENTRY) SL_WARNING_COUNT } sl_warning;

const char *sl_code_name(sl_code code);
const char *sl_warning_name(sl_warning kind);
const char *sl_status_name(sl_status status);
int sl_status_is_success(sl_status status);

/* Process exit statuses (spec §9). */
enum {
    SL_EXIT_OK = 0,        /* every record ended in a success status */
    SL_EXIT_ROWS_FAILED = 1,
    SL_EXIT_USAGE = 2,     /* usage or configuration error, nothing read */
    SL_EXIT_FATAL = 3,     /* unreadable source, auth failure, API unreachable */
    SL_EXIT_LOCKED = 75,   /* EX_TEMPFAIL: another run holds the store's lock */
    SL_EXIT_SIGNAL_BASE = 128  /* + the signal: 130 SIGINT, 143 SIGTERM */
};

#endif
