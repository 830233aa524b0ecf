/* shoplazza.h: the Shoplazza adapter's own functions (private to src/platform/shoplazza/): the
 * one module that knows Shoplazza's Open API version, paths, JSON and every assumption its
 * contract marks as ours (docs/architecture.md, "Adding a platform"). It builds paths and
 * bodies and decodes answers into model.h's structs; it does no I/O. The engine reaches it
 * only through the table in shoplazza_platform.c; the unit tests call these directly. */
#ifndef SHIPLOAD_SHOPLAZZA_H
#define SHIPLOAD_SHOPLAZZA_H

#include <stddef.h>
#include "shipload/error.h"
#include "shipload/model.h"
#include "shipload/platform.h"

#define SL_SHOPLAZZA_API_VERSION "2026-01"
#define SL_SHOPLAZZA_API_PREFIX "/openapi/" SL_SHOPLAZZA_API_VERSION
#define SL_SHOPLAZZA_HOST_SUFFIX ".myshoplaza.com"
#define SL_SHOPLAZZA_MAX_IDS 250
#define SL_SHOPLAZZA_PAGE_MAX 250

#define SL_SHOPLAZZA_LABEL_BY_NUMBER "GET /orders/number/{number}"
#define SL_SHOPLAZZA_LABEL_ORDER "GET /orders/{order_id}"
#define SL_SHOPLAZZA_LABEL_ORDERS "GET /orders"
#define SL_SHOPLAZZA_LABEL_FULFILLMENTS "GET /orders/{order_id}/fulfillments"
#define SL_SHOPLAZZA_LABEL_CREATE "POST /orders/{order_id}/fulfillments"
#define SL_SHOPLAZZA_LABEL_UPDATE "PUT /orders/{order_id}/fulfillments/{fulfillment_id}"
#define SL_SHOPLAZZA_LABEL_CANCEL "POST /orders/{order_id}/fulfillments/{fulfillment_id}/cancel"
#define SL_SHOPLAZZA_LABEL_CARRIERS "GET /tracking/carriers"
#define SL_SHOPLAZZA_LABEL_COUNT "GET /orders/count"

/* The base URL: api_url (an origin) + the version prefix (kept when already there); else
 * shop: a NAME without dots -> https://NAME.myshoplaza.com, a DOMAIN -> https://DOMAIN, both
 * + the prefix. A new string; NULL with err set. */
char *sl_shoplazza_base_url(const char *api_url, const char *shop, sl_error *err);

/* Paths (new strings, ids percent-encoded). */
char *sl_shoplazza_path_by_number(const char *number);  /* '#' and spaces dropped */
char *sl_shoplazza_path_order(const char *order_id);
char *sl_shoplazza_path_orders_by_ids(const char *const *ids, size_t count);
/* GET /orders/count with the listing's filters. */
char *sl_shoplazza_path_count(const char *fulfillment_status, const char *updated_since);
int sl_shoplazza_decode_count(const char *body, size_t len, size_t *count, sl_error *err);
char *sl_shoplazza_path_list(const char *fulfillment_status, const char *updated_since,
                             const char *cursor, size_t page_size);
char *sl_shoplazza_path_fulfillments(const char *order_id, const char *cursor);
char *sl_shoplazza_path_fulfillment(const char *order_id, const char *fulfillment_id);
char *sl_shoplazza_path_cancel(const char *order_id, const char *fulfillment_id);

/* Bodies: {"fulfillment": {...}}; NULL with err set. */
char *sl_shoplazza_encode_create(const sl_shipment *shipment, sl_error *err);
char *sl_shoplazza_encode_update(const sl_shipment *shipment, sl_error *err);

/* Decoders of the wrapped answers ({"code": "Success"|"success", "data": {...}}). */
int sl_shoplazza_decode_order(const char *body, size_t len, sl_order **order, sl_error *err);
int sl_shoplazza_decode_orders(const char *body, size_t len, sl_order ***orders,
                               size_t *count, sl_page_next *next, sl_error *err);
int sl_shoplazza_decode_fulfillments_into(const char *body, size_t len, sl_order *order,
                                          sl_page_next *next, sl_error *err);
int sl_shoplazza_decode_write(const char *body, size_t len, sl_write_result *result,
                              sl_error *err);
int sl_shoplazza_decode_probe(const char *body, size_t len, sl_error *err);
/* /tracking/carriers: {"data": {"tracking_carriers": [{"code", "en_name"}, ...]}}; entries
 * without a code are skipped. */
int sl_shoplazza_decode_carriers(const char *body, size_t len, sl_store_carrier **carriers,
                                 size_t *count, sl_error *err);

/* Sets each unit item's fulfilled_quantity to the sum of ship_quantity over the order's
 * fulfillments that are not cancelled (quantity already holds ordered - refunded). */
void sl_shoplazza_recount(sl_order *order);

/* The message of any of the five error shapes (a new string or NULL). */
char *sl_shoplazza_error_message(const char *body, size_t len);
void sl_shoplazza_error_map(long http_status, const char *body, size_t len,
                            sl_platform_error *out);

extern const sl_platform sl_shoplazza_platform;

#endif
