/* model.h: the store as the engine sees it, whatever the platform: orders, their line items,
 * shipment units, fulfillments and addresses, with statuses as enums. A platform adapter
 * (platform.h) decodes its answers into these structs and encodes writes from sl_shipment; the
 * engine (match, plan, submit, export) reads nothing else. No platform's JSON names appear
 * here, and no I/O happens here (docs/architecture.md, "The store model").
 *
 * Shipment units: the engine ships units. On Ecart a unit is a package (its id, the id its
 * fulfillments name it by, its items with their fulfilled quantities). A platform without packages
 * (Shoplazza, OrderProtection) gives each order ONE unit holding every line item, with
 * quantity = what was ordered less what was refunded and fulfilled_quantity = what its
 * fulfillments already ship (the adapter does the arithmetic), unit id = the order id and
 * write_id NULL: the engine's matching, ledger and planning then work unchanged, and the
 * adapter's write builders send line items only.
 *
 * Statuses: each carries the enum the engine decides on and the platform's own word
 * (`*_text`, e.g. "paid"), kept only for display and for the export's --order-status and
 * --status filters, which users write in their platform's words.
 *
 * Ownership: every string and array is owned by its struct (free with the functions below),
 * except in an order made by sl_order_pack, which is one allocation, by
 * sl_order_pack_sharing, whose repeated texts belong to the caller's table (see there), or by
 * sl_order_pack_into, whose block belongs to the caller's arena. */
#ifndef SHIPLOAD_MODEL_H
#define SHIPLOAD_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* The order as a whole. */
typedef enum sl_order_status {
    SL_ORDER_STATUS_UNKNOWN = 0,    /* the platform did not say */
    SL_ORDER_STATUS_OPEN,           /* may ship (Ecart pending/paid, OrderProtection OPEN) */
    SL_ORDER_STATUS_CANCELED,       /* rows against it are order_canceled */
    SL_ORDER_STATUS_CLOSED,         /* finished or otherwise refusing shipments:
                                       order_not_shippable */
    SL_ORDER_STATUS_OTHER           /* a word the adapter does not know: treated as open */
} sl_order_status;

typedef enum sl_payment_status {
    SL_PAYMENT_UNKNOWN = 0,         /* not said, or the platform does not care */
    SL_PAYMENT_UNPAID,              /* a platform with requires_payment refuses to ship it */
    SL_PAYMENT_PAID
} sl_payment_status;

/* How much of the order has shipped, as the platform summarises it. */
typedef enum sl_order_shipping {
    SL_ORDER_SHIPPING_UNKNOWN = 0,
    SL_ORDER_SHIPPING_NONE,         /* Ecart unfulfilled, Shoplazza waiting */
    SL_ORDER_SHIPPING_PARTIAL,
    SL_ORDER_SHIPPING_FULL,
    SL_ORDER_SHIPPING_OTHER
} sl_order_shipping;

typedef enum sl_unit_status {
    SL_UNIT_STATUS_UNKNOWN = 0,
    SL_UNIT_STATUS_OPEN,            /* waiting to ship (Ecart pending) */
    SL_UNIT_STATUS_SHIPPED,
    SL_UNIT_STATUS_DELIVERED,
    SL_UNIT_STATUS_CANCELED,
    SL_UNIT_STATUS_REFUNDED,
    SL_UNIT_STATUS_OTHER
} sl_unit_status;

typedef enum sl_fulfillment_status {
    SL_FULFILLMENT_STATUS_UNKNOWN = 0,
    SL_FULFILLMENT_STATUS_ACTIVE,   /* shipped, in transit, delivered, finished, ... */
    SL_FULFILLMENT_STATUS_CANCELED  /* counts for nothing: its quantities ship again */
} sl_fulfillment_status;

/* The most of one item a store's answer may say (a larger quantity is read as this much): a
 * row's quantity is at most 1,000,000,000 too (validation), so quantities fit 32 bits, and an
 * item is 32 bytes (a run holds one per line item of every order it matched). */
#define SL_QUANTITY_MAX 1000000000L

typedef struct sl_item {
    char *id;                   /* line item id */
    char *sku;
    char *name;
    int32_t quantity;           /* in a unit: the units it holds; on an order: as ordered */
    int32_t fulfilled_quantity; /* in a unit: already shipped; 0 on order items */
} sl_item;

/* quantity within [0, SL_QUANTITY_MAX]: what an item holds of a store's number. */
int32_t sl_quantity_clamp(long long quantity);

/* A shipment unit (see the top of the file). */
typedef struct sl_unit {
    char *id;                   /* Ecart: package id; elsewhere the order id */
    char *write_id;             /* the id a write names the unit by (Ecart's fulfillment
                                   order id); NULL: writes name line items only */
    char *number;               /* "1001-1"; NULL when the platform has none */
    char *location_id;
    char *status_text;          /* the platform's own word ("pending") */
    sl_item *items;
    uint32_t item_count;        /* 32 bits and the flags a byte each: a unit is 56 bytes */
    unsigned char status;       /* an sl_unit_status */
    unsigned char items_known;  /* 0 when the order summary omitted items (read them) */
} sl_unit;

typedef struct sl_fulfillment {
    char *id;
    char *unit_write_id;        /* the unit it shipped (its write_id); NULL: items only */
    char **tracking_numbers;
    size_t tracking_count;
    char *company;
    char *url;
    sl_fulfillment_status status;
    char *status_text;
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
    char *name;                 /* "#1001"; NULL where the platform has numbers only */
    char *status_text;          /* the platform's own word ("paid", "opened") */
    char *shipping_text;        /* "unfulfilled", "partial", ... */
    char *updated_at;
    char *shipping_method;
    sl_address *shipping_address;   /* NULL: none given, or dropped (see place_key) */
    sl_item *items;
    sl_unit *units;
    sl_fulfillment *fulfillments;
    uint64_t place_key;         /* set when an import drops the address (order_index.c):
                                   sl_address_place_key of it, never 0; 0 otherwise */
    /* counts 32 bits and the statuses and flags a byte each: an order is 120 bytes */
    uint32_t item_count;
    uint32_t unit_count;
    uint32_t fulfillment_count;
    unsigned char status;       /* an sl_order_status */
    unsigned char payment;      /* an sl_payment_status */
    unsigned char shipping;     /* an sl_order_shipping */
    unsigned char fulfillments_known;   /* 1 once the fulfillments were read (inline or by a
                                           read) */
    unsigned char packed;       /* made by sl_order_pack: one allocation, read-only (2: a
                                   block of its packer's arena, sl_order_pack_into) */
} sl_order;

/* ---- a write, as the engine plans it ---- */

/* One fulfillment to create (or, for an update, the new tracking of an existing one). Borrowed
 * pointers: the shipment owns nothing. */
typedef struct sl_shipment {
    const char *order_id;
    const char *unit_write_id;  /* the unit's write_id; NULL on platforms without units */
    const char *fulfillment_id; /* client-chosen id (platform.h: choose_fulfillment_id);
                                   NULL: the platform chooses */
    const char *const *tracking_numbers;
    size_t tracking_count;
    const char *const *tracking_urls;   /* one per tracking number, or NULL */
    const char *company;        /* canonical carrier name ("UPS") */
    const char *carrier_code;   /* the platform's code for it, when known */
    const char *url;            /* the first tracking URL */
    const sl_item *items;       /* id and quantity; NULL/0: everything that remains in the unit
                                   (an adapter without a "whole unit" form lists the unit's
                                   remaining items itself) */
    size_t item_count;
    int notify_customer;        /* -1: leave it to the platform */
    const char *location_id;
    const char *shipping_method;
    const char *shipping_date;  /* YYYY-MM-DD or NULL */
    const char *status_word;    /* a platform status to send (OrderProtection FULFILLED);
                                   NULL: the adapter's default */
} sl_shipment;

/* ---- ownership ---- */

void sl_order_free(sl_order *order);            /* the members and the order itself */
/* A copy of order (every string and array) in one allocation, packed = 1: sl_order_free()
 * frees it with one free(). Its members must not be freed or replaced one by one, nor read
 * into again (decoders refuse it). NULL on allocation failure. */
sl_order *sl_order_pack(const sl_order *order);
/* Where sl_order_pack_sharing finds a shared copy of a text many orders repeat: the copy, or
 * NULL to copy the text into the order. Once it returned a copy, it must return the same one
 * for an equal text. */
typedef const char *(*sl_text_share)(void *table, const char *text);
/* sl_order_pack, but the texts that repeat across orders (items' SKUs and names, units'
 * location ids and status words, the order's status words, fulfillments' carriers and status
 * words, the address's city, state and country) are taken from share(table, text) when it has
 * them, not copied: those copies must outlive the order. */
sl_order *sl_order_pack_sharing(const sl_order *order, sl_text_share share, void *table);
/* Where sl_order_pack_into puts an order: size bytes aligned for a pointer, which the arena
 * owns and frees (after the orders in them); NULL when out of memory. */
typedef void *(*sl_block_take)(void *arena, size_t size);
/* sl_order_pack_sharing, into the block take(arena, size) gives (no allocation of its own, so
 * no allocator's overhead an order): packed = 2, and sl_order_free() leaves the order to its
 * arena. take NULL: sl_order_pack_sharing. */
sl_order *sl_order_pack_into(const sl_order *order, sl_text_share share, void *table,
                             sl_block_take take, void *arena);
void sl_orders_free(sl_order **orders, size_t count);  /* each order, then the array */
void sl_unit_clear(sl_unit *unit);
void sl_units_free(sl_unit *units, size_t count);      /* each unit, then the array */
void sl_fulfillment_clear(sl_fulfillment *fulfillment);
void sl_fulfillments_free(sl_fulfillment *fulfillments, size_t count);
void sl_item_clear(sl_item *item);
void sl_items_free(sl_item *items, size_t count);
void sl_address_clear(sl_address *address);
void sl_address_free(sl_address *address);       /* the members and the address itself */

/* ---- questions the engine asks of the model ---- */

/* 1 when the fulfillment still counts (not canceled). */
int sl_fulfillment_active(const sl_fulfillment *fulfillment);
/* 1 when the unit is done: shipped, delivered, canceled or refunded. */
int sl_unit_closed(const sl_unit *unit);
/* 1 when number is one of set's count tracking numbers (case aside, as carriers print them
 * either way). */
int sl_tracking_set_has(const char *const *set, size_t count, const char *number);
/* 1 when both hold the same set of tracking numbers (order and repeats ignored): the one
 * comparison matching (duplicate) and reconciliation (landed) share. */
int sl_tracking_sets_equal(const char *const *a, size_t a_count, const char *const *b,
                           size_t b_count);

#endif
