/* ecart.h: the Ecart adapter's own functions (private to src/platform/ecart/): the one module
 * that knows the Ecart API's JSON and paths, including every assumption the contract marks as
 * ours (docs/architecture.md, "Ecart"). It builds request paths and bodies and decodes answers
 * into model.h's structs; it does no I/O. The engine reaches it only through the table in
 * ecart_platform.c (platform.h); the unit tests call these functions directly. Quantities are
 * accepted as numbers or numeric strings; unknown fields are ignored; a malformed body is an
 * error value, never a crash. */
#ifndef SHIPLOAD_ECART_H
#define SHIPLOAD_ECART_H

#include <stddef.h>
#include "shipload/error.h"
#include "shipload/model.h"
#include "shipload/platform.h"

/* ---- paths (relative to the API base URL, query strings percent-encoded) ---- */
/* Each returns a new string; the caller frees it (NULL: bad argument, e.g. more than 50 ids). */
#define SL_ECART_MAX_IDS 50             /* ids per GET /orders?ids=, and the page limit */
#define SL_ECART_MAX_BULK 50            /* entries per bulk request */

/* Endpoint labels for request statistics (sl_http's endpoint label, summary.json). */
#define SL_ECART_LABEL_ORDERS "GET /api/v2/orders"
#define SL_ECART_LABEL_ORDER "GET /api/v2/orders/{orderId}"
#define SL_ECART_LABEL_ORDER_PACKAGES "GET /api/v2/orders/{orderId}/packages"
#define SL_ECART_LABEL_ORDER_FULFILLMENTS "GET /api/v2/orders/{orderId}/fulfillments"
#define SL_ECART_LABEL_PACKAGES "GET /api/v2/packages"
#define SL_ECART_LABEL_BULK "POST /api/v2/orders/{orderId}/packages/fulfillments"
#define SL_ECART_LABEL_CREATE "POST /api/v2/orders/{orderId}/fulfillments"
#define SL_ECART_LABEL_UPDATE "PUT /api/v2/orders/{orderId}/fulfillments/{id}"
#define SL_ECART_LABEL_CANCEL "POST /api/v2/orders/{orderId}/fulfillments/{id}/cancel"

char *sl_ecart_path_orders_by_ids(const char *const *ids, size_t count);    /* ≤ 50 ids */
char *sl_ecart_path_orders_by_name(const char *name, int page);
char *sl_ecart_path_order(const char *order_id);
char *sl_ecart_path_order_packages(const char *order_id);
char *sl_ecart_path_order_fulfillments(const char *order_id, int page);
char *sl_ecart_path_packages(const char *status, int page, int limit);
char *sl_ecart_path_bulk_fulfillments(const char *order_id);
char *sl_ecart_path_fulfillment(const char *order_id, const char *fulfillment_id);
char *sl_ecart_path_fulfillment_cancel(const char *order_id, const char *fulfillment_id);
/* Added: POST target of a single create (the bulk endpoint is preferred). */
char *sl_ecart_path_order_fulfillments_create(const char *order_id);

/* ---- the preflight probe (issue 15; the platform table's probe and decode_probe) ----
 * One cheap authenticated read that proves the base URL, the platform and the token before
 * anything is sent: GET /api/v2/orders?limit=1. */
#define SL_ECART_API_PREFIX "/api/v2"
#define SL_ECART_LABEL_PROBE "GET /api/v2/orders (preflight)"
char *sl_ecart_path_probe(void);
/* 0 when a 2xx body is an Ecart orders list; -1 with err naming what it is not. */
int sl_ecart_probe_check(const char *body, size_t len, sl_error *err);

/* ---- request bodies ---- */

/* {"fulfillments":[...]} for the bulk endpoint; a new string the caller frees. */
char *sl_ecart_encode_bulk(const sl_shipment *requests, size_t count);
/* {"fulfillment":{...}} for single create or PUT update. */
char *sl_ecart_encode_single(const sl_shipment *request);

/* ---- responses ---- */

/* Decodes an orders list; *orders is a new array of count sl_order* (sl_orders_free).
 * *next_page is 0 when there is no next page. (ours) An order that carries its fulfillments
 * inline gets them decoded, with fulfillments_known = 1. Any decoder returns -1 with err naming
 * the field for a malformed or wrong-shaped body, or one with "success": false. */
int sl_ecart_decode_orders(const char *body, size_t len, sl_order ***orders, size_t *count,
                           int *next_page, sl_error *err);
int sl_ecart_decode_order(const char *body, size_t len, sl_order **order, sl_error *err);
/* Replaces order->units with the full packages list. */
int sl_ecart_decode_packages_into(const char *body, size_t len, sl_order *order, sl_error *err);
/* Packages list (GET /packages): *packages a new array (sl_units_free), and their order ids
 * (order_ids may be NULL to skip them; else free each id, then the array; an id is
 * NULL where the package did not name its order). */
int sl_ecart_decode_packages(const char *body, size_t len, sl_unit **packages,
                             char ***order_ids, size_t *count, int *next_page, sl_error *err);
/* Appends to order->fulfillments (call per page); fulfillments_known = 1 after the last page. */
int sl_ecart_decode_fulfillments_into(const char *body, size_t len, sl_order *order,
                                      int *next_page, sl_error *err);

typedef struct sl_bulk_result {
    int success;
    char *fulfillment_id;       /* on success */
    char *error_code;           /* the API's own code on failure, e.g. "quantityExceedsRemaining" */
    char *error_message;
} sl_bulk_result;

/* Decodes a 200/207 bulk answer: exactly `expected` results, one per entry, by index. */
int sl_ecart_decode_bulk(const char *body, size_t len, sl_bulk_result *results, size_t expected,
                         sl_error *err);
void sl_bulk_result_clear(sl_bulk_result *result);

/* A single fulfillment answer (PUT, cancel): its id. */
int sl_ecart_decode_fulfillment_id(const char *body, size_t len, char **id, sl_error *err);

/* {"success":false,"error":{"code","message"}}: the API's code and message (new strings). */
int sl_ecart_decode_error(const char *body, size_t len, char **code, char **message);

/* ---- status words, error codes, the export listing ---- */

/* The fulfillmentStatus filter word for a shipping state ("unfulfilled"); NULL: none. */
const char *sl_ecart_shipping_word(sl_order_shipping shipping);
/* The row error code for an API error code ("quantityExceedsRemaining" →
 * SL_CODE_QUANTITY_EXCEEDS_REMAINING); SL_CODE_API_REJECTED for a code not in the table
 * (ecart_errors.c). */
sl_code sl_ecart_row_code(const char *api_code);
/* The table's error_map. */
void sl_ecart_error_map(long http_status, const char *body, size_t len, sl_platform_error *out);
/* GET /api/v2/orders?limit=&page=[&fulfillmentStatus=][&updatedAt[from]=] (new string;
 * ecart_export_paths.c). */
char *sl_export_path_orders_page(const char *fulfillment_status, const char *updated_since,
                                 int page, int limit);

/* The adapter's table (ecart_platform.c), for the registry. */
extern const sl_platform sl_ecart_platform;

#endif
