/* ecart.h: the store's data as shipload sees it (orders, packages, items, fulfillments) and the
 * Ecart adapter: the one module that knows the contract's JSON (../shared/contract/ecart-api.md),
 * including every (ours) assumption. It builds request paths and bodies and decodes responses
 * into these structs; it does no I/O. The engine (match, plan, submit, export) only sees the
 * structs. Quantities are accepted as numbers or numeric strings; unknown fields are ignored;
 * a malformed body is an error value, never a crash. */
#ifndef SHIPLOAD_ECART_H
#define SHIPLOAD_ECART_H

#include <stddef.h>
#include "shipload/error.h"

typedef struct sl_item {
    char *id;                   /* line item id */
    char *sku;
    char *name;
    long quantity;
    long fulfilled_quantity;    /* (ours) on package items; 0 on order items */
} sl_item;

typedef struct sl_package {
    char *id;
    char *fulfillment_order_id;
    char *number;
    char *location_id;
    char *status;               /* pending | shipped | delivered | canceled | refunded | other */
    sl_item *items;
    size_t item_count;
    int items_known;            /* 0 when the order summary omitted items */
} sl_package;

typedef struct sl_fulfillment {
    char *id;
    char *fulfillment_order_id;
    char **tracking_numbers;
    size_t tracking_count;
    char *company;
    char *url;
    char *status;               /* shipped | canceled | ... */
    sl_item *items;             /* id and quantity only */
    size_t item_count;
} sl_fulfillment;

typedef struct sl_address {
    char *first_name, *last_name, *company, *address1, *address2, *city, *state_code,
         *postal_code, *country_code, *phone, *email;
} sl_address;

typedef struct sl_order {
    char *id;
    char *number;               /* "1001" */
    char *name;                 /* "#1001" */
    char *status;               /* pending | paid | canceled | ... */
    char *fulfillment_status;   /* unfulfilled | partial | fulfilled */
    char *updated_at;
    char *shipping_method;
    sl_address shipping_address;
    sl_item *items;
    size_t item_count;
    sl_package *packages;
    size_t package_count;
    sl_fulfillment *fulfillments;
    size_t fulfillment_count;
    int fulfillments_known;     /* 1 once read with GET /orders/{id}/fulfillments */
    int packed;                 /* made by sl_order_pack: one allocation, read-only */
} sl_order;

void sl_order_free(sl_order *order);            /* frees the members and the order itself */
/* A copy of order (every string and array) in one allocation, packed = 1: sl_order_free()
 * frees it with one free(). Its members must not be freed or replaced one by one, nor read
 * into again (sl_ecart_decode_*_into refuse it). NULL on allocation failure. */
sl_order *sl_order_pack(const sl_order *order);
void sl_package_clear(sl_package *package);
void sl_fulfillment_clear(sl_fulfillment *fulfillment);
/* Added by the api stage: the arrays the decoders return, and their members. */
void sl_orders_free(sl_order **orders, size_t count);          /* each order, then the array */
void sl_packages_free(sl_package *packages, size_t count);     /* each package, then the array */
void sl_fulfillments_free(sl_fulfillment *fulfillments, size_t count);
void sl_items_free(sl_item *items, size_t count);
void sl_item_clear(sl_item *item);
void sl_address_clear(sl_address *address);

/* ---- paths (relative to the API base URL, query strings percent-encoded) ---- */
/* Each returns a new string; the caller frees it (NULL: bad argument, e.g. more than 50 ids). */
#define SL_ECART_MAX_IDS 50             /* ids per GET /orders?ids=, and the page limit */
/* The most an answer can need (sl_http_request.max_body): a listing holds at most a page of
 * SL_ECART_MAX_IDS resources of at most SL_ECART_RESOURCE_BYTES_MAX each (an order with a few
 * hundred line items); a write answers with its own fulfillments. */
#define SL_ECART_RESOURCE_BYTES_MAX ((size_t)256 * 1024)
#define SL_ECART_LISTING_BODY_MAX (SL_ECART_MAX_IDS * SL_ECART_RESOURCE_BYTES_MAX)
#define SL_ECART_WRITE_BODY_MAX ((size_t)4 * 1024 * 1024)
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
/* Added: a query value or path segment percent-encoded (RFC 3986 unreserved kept). */
char *sl_ecart_escape(const char *value);

/* ---- request bodies ---- */

typedef struct sl_fulfillment_request {
    const char *fulfillment_order_id;
    const char *const *tracking_numbers;
    size_t tracking_count;
    const char *company;
    const char *url;
    const sl_item *items;       /* id and quantity; NULL/0: the whole remaining package */
    size_t item_count;
    int notify_customer;        /* -1: omit */
    const char *location_id;
    const char *shipping_method;
    const char *shipping_date;  /* YYYY-MM-DD or NULL */
} sl_fulfillment_request;

/* {"fulfillments":[...]} for the bulk endpoint; a new string the caller frees. */
char *sl_ecart_encode_bulk(const sl_fulfillment_request *requests, size_t count);
/* {"fulfillment":{...}} for single create or PUT update. */
char *sl_ecart_encode_single(const sl_fulfillment_request *request);

/* ---- responses ---- */

/* Decodes an orders list; *orders is a new array of count sl_order* (sl_orders_free).
 * *next_page is 0 when there is no next page. (ours) An order that carries its fulfillments
 * inline gets them decoded, with fulfillments_known = 1. Any decoder returns -1 with err naming
 * the field for a malformed or wrong-shaped body, or one with "success": false. */
int sl_ecart_decode_orders(const char *body, size_t len, sl_order ***orders, size_t *count,
                           int *next_page, sl_error *err);
int sl_ecart_decode_order(const char *body, size_t len, sl_order **order, sl_error *err);
/* Replaces order->packages with the full packages list. */
int sl_ecart_decode_packages_into(const char *body, size_t len, sl_order *order, sl_error *err);
/* Packages list (GET /packages): *packages a new array (sl_packages_free), and their order ids
 * (order_ids may be NULL to skip them; else free each id, then the array; an id is
 * NULL where the package did not name its order). */
int sl_ecart_decode_packages(const char *body, size_t len, sl_package **packages,
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

#endif
