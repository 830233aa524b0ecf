/* orderprotection.h: the OrderProtection adapter's own functions (private to
 * src/platform/orderprotection/): the one module that knows OrderProtection's JSON and paths and
 * every assumption its contract marks as ours (docs/architecture.md, "Adding a platform"). It
 * builds paths and bodies, derives the client-chosen sourceFulfillmentId, and decodes answers
 * into model.h's structs; it does no I/O. The engine reaches it only through the table in
 * orderprotection_platform.c; the unit tests call these functions directly. */
#ifndef SHIPLOAD_ORDERPROTECTION_H
#define SHIPLOAD_ORDERPROTECTION_H

#include <stddef.h>
#include "shipload/error.h"
#include "shipload/model.h"
#include "shipload/platform.h"

#define SL_OP_BASE_URL "https://api.production.orderprotection.com"
#define SL_OP_DEFAULT_STATUS "FULFILLED"

#define SL_OP_LABEL_ORDER "GET /v1/orders/{sourceOrderId}"
#define SL_OP_LABEL_FULFILLMENTS "GET /v1/orders/{sourceOrderId}/fulfillments"
#define SL_OP_LABEL_CREATE "POST /v1/orders/{sourceOrderId}/fulfillments"
#define SL_OP_LABEL_STATUS "PUT /v1/orders/{sourceOrderId}/fulfillments/{sourceFulfillmentId}"

/* The fulfillmentStatus enum (seed 004), SL_OP_DEFAULT_STATUS first, NULL-terminated. */
extern const char *const sl_op_statuses[];

/* Paths with the sourceOrderId percent-encoded ("#517AB" -> "%23517AB"); new strings. */
char *sl_op_path_order(const char *source_order_id);
char *sl_op_path_fulfillments(const char *source_order_id);
char *sl_op_path_fulfillment(const char *source_order_id, const char *source_fulfillment_id);

/* The status-only update's body, {"status": STATUS}; a new string, NULL with err set. */
char *sl_op_encode_status(const char *status, sl_error *err);

/* The create body of seed 004; a new string, NULL with err set (a shipment without items or
 * without its client-chosen id). */
char *sl_op_encode_create(const sl_shipment *shipment, sl_error *err);

/* (ours, shipload's rule) "sl-" + the first 24 hex digits of SHA-256 over the order id, the
 * item ids with quantities (sorted) and the tracking numbers (sorted), one per line:
 *   "<order id>\n" then "item <id> <quantity>\n" each, then "tracking <number>\n" each.
 * The order of items and numbers in the shipment does not change it. 0, or -1 when cap is too
 * small or out of memory. */
int sl_op_fulfillment_id(const sl_shipment *shipment, char *out, size_t cap);

/* GET /v1/orders/{id}: the order with one unit (id = the order id, no write id) whose items
 * hold what may still ship: quantity = ordered - refunded, fulfilled_quantity = the sum of the
 * fulfillments' quantities (every fulfillment counts: there is no cancel); fulfillments
 * decoded (fulfillments_known = 1). */
int sl_op_decode_order(const char *body, size_t len, sl_order **order, sl_error *err);
/* GET .../fulfillments: an array; replaces the order's fulfillments. */
int sl_op_decode_fulfillments_into(const char *body, size_t len, sl_order *order,
                                   sl_error *err);
/* {"status": "error", "message"} and the status: 404 order_not_found, 409 already_exists,
 * 422 by message (order cancelled, unknown item, quantity exceeds remaining). */
void sl_op_error_map(long http_status, const char *body, size_t len, sl_platform_error *out);

extern const sl_platform sl_orderprotection_platform;

#endif
