/* platform.h: the interface between the engine and a store platform (Ecart, Shoplazza,
 * OrderProtection), in the manner of curl's protocol handlers: one constant table per platform
 * of capabilities, request builders, response decoders, its auth header and its error mapping.
 * The engine branches on the capabilities and on NULL members, never on a platform's name
 * (docs/architecture.md, "The platform interface" and "Adding a platform").
 *
 * Rules for adapters:
 *  - No I/O. Builders fill an sl_platform_request (method, path relative to the base URL with
 *    its query escaped, JSON body, statistics label); the engine sends it through sl_http and
 *    hands the answer to a decoder. The dry run writes the same requests to requests.jsonl, so
 *    what --dry-run shows is what a real run sends.
 *  - Decoders fill model.h's structs only (units, enums, computed remaining quantities), accept
 *    every shape the contract allows, ignore unknown fields, and return -1 with err naming the
 *    field for a malformed body: never a crash.
 *  - A NULL member means "this platform cannot": the engine takes the other branch (listed at
 *    each member) or ends the rows that need it unsupported_by_platform.
 *  - Every assumption that is not in the platform's public documents lives in its adapter
 *    (src/platform/<name>/), nowhere else.
 *
 * Builders return 0, or -1 with err set (bad argument, out of memory). Decoders return 0, or
 * -1 with err set. Strings they return are new (the caller frees them). */
#ifndef SHIPLOAD_PLATFORM_H
#define SHIPLOAD_PLATFORM_H

#include <stddef.h>
#include "shipload/error.h"
#include "shipload/http.h"
#include "shipload/model.h"

/* ---- requests and pages ---- */

typedef struct sl_platform_request {
    sl_http_method method;
    char *path;                 /* "/orders?ids=..." relative to the base URL, escaped */
    char *body;                 /* JSON; NULL: no body */
    const char *label;          /* static statistics label, e.g. "GET /orders" */
} sl_platform_request;

void sl_platform_request_clear(sl_platform_request *request);   /* frees path and body */
/* Fills out with a request built from path and body (both taken: freed on failure). NULL path,
 * or NULL body when needs_body, is a failure: -1 with err set to "cannot build the <title>
 * request (<label>)" unless a builder already said why in err. */
int sl_platform_request_make(sl_http_method method, char *path, char *body, int needs_body,
                             const char *title, const char *label, sl_platform_request *out,
                             sl_error *err);

/* Where a paged read goes on. The first page is { 1, NULL }. Numbered platforms fill number
 * (the engine may then ask several pages at once); cursor platforms fill cursor (the engine
 * reads pages one after another). */
typedef struct sl_page {
    long number;                /* > 0 on numbered platforms */
    char *cursor;               /* cursor platforms: the next page's cursor (owned) */
} sl_page;

/* A decoder's "what next": more = 0 when the answer was the last page. */
typedef struct sl_page_next {
    int more;
    sl_page page;               /* when more: the page to ask for next */
} sl_page_next;

void sl_page_clear(sl_page *page);

/* ---- answers to writes ---- */

/* The result of one fulfillment write (one bulk entry, one create, update or cancel). */
typedef struct sl_write_result {
    int success;
    char *fulfillment_id;       /* on success, when the answer names it (else NULL) */
    sl_code code;               /* on failure: the row's code (error_map) */
    char *api_code;             /* the platform's own code or message, for the row's message */
    char *message;
    int already_exists;         /* the write names a fulfillment the store already holds (a
                                   client-chosen id seen before): the row is duplicate */
} sl_write_result;

void sl_write_result_clear(sl_write_result *result);

/* An error answer (4xx/5xx) mapped to shipload's codes: code is SL_CODE_API_REJECTED with the
 * platform's code in api_code when the table does not know it. */
typedef struct sl_platform_error {
    sl_code code;
    char *api_code;             /* the platform's code or message ("invalid line_item id") */
    char *message;
    int already_exists;         /* as in sl_write_result (OrderProtection's 409) */
} sl_platform_error;

void sl_platform_error_clear(sl_platform_error *error);

/* ---- the store's carrier list ---- */

/* One carrier a store accepts: its code (what a write sends) and its name. */
typedef struct sl_store_carrier {
    char *code;
    char *name;                 /* may be NULL */
} sl_store_carrier;

void sl_store_carriers_free(sl_store_carrier *carriers, size_t count);

/* ---- what a platform can do ---- */

#define SL_FULFILLMENT_ID_MAX 64    /* bytes of a client-chosen fulfillment id, NUL included */

typedef enum sl_paging {
    SL_PAGING_NUMBERED = 0,     /* page=N: pages may be asked ahead, concurrently */
    SL_PAGING_CURSOR            /* each page names the next: one after another */
} sl_paging;

/* Filters of the export's order listing. */
typedef struct sl_list_filter {
    sl_order_shipping shipping; /* SL_ORDER_SHIPPING_NONE or _PARTIAL (one listing each) */
    const char *updated_since;  /* ISO 8601 or NULL */
    size_t page_size;           /* <= caps.list_page_max */
} sl_list_filter;

typedef struct sl_platform_caps {
    size_t bulk_max;            /* fulfillments per bulk request; 0: one per request (no bulk;
                                   --batch-size must then be 1 or absent) */
    size_t lookup_ids_max;      /* ids per batched lookup by id; 0: one GET per id */
    size_t list_page_max;       /* orders per page of the export listing */
    sl_paging list_paging;
    int orders_carry_fulfillments; /* orders arrive with every fulfillment: no separate read
                                   is needed before matching */
    int requires_payment;       /* an unpaid order is order_not_shippable before any write */
    int has_units;              /* orders hold units of their own (packages) that rows may
                                   name with package_id; 0: one unit per order, package_id is
                                   ignored with a warning */
    int create_notifies;        /* the create request carries the customer-notification flag
                                   (--notify); 0: the store's own setting decides */
    int update_notifies;        /* the same for the update request */
    double rate_per_second;     /* default pace; 0: none (only 429s slow the run) */
    unsigned rate_burst;        /* requests allowed at once before the pace applies */
} sl_platform_caps;

/* ---- the table ---- */

typedef struct sl_platform {
    const char *name;           /* "ecart": --platform and SHIPLOAD_PLATFORM */
    const char *title;          /* "Ecart API", for messages */
    const char *default_base_url;
    /* The base URL for what the user gave (--api-url or --shop); NULL member: given as is.
     * shop may be NULL. A new string; NULL with err set when unusable. */
    char *(*base_url)(const char *api_url, const char *shop, sl_error *err);
    /* Auth: the header sl_http sends, "<auth_header>: <auth_prefix><token>"
     * ("Authorization", "" | "Authorization", "Bearer " | "Access-Token", ""). */
    const char *auth_header;
    const char *auth_prefix;
    const char *request_id_header;  /* answer header kept with the row ("Request-Id"); NULL */
    sl_platform_caps caps;

    /* ---- order lookups (matching, spec §6) ---- */
    /* Batched lookup by id, at most caps.lookup_ids_max ids; answer: decode_orders. NULL: the
     * engine uses order_by_id per id. */
    int (*lookup_ids)(const char *const *ids, size_t count, sl_platform_request *out,
                      sl_error *err);
    /* One order by id; answer: decode_order (404: not found). */
    int (*order_by_id)(const char *id, sl_platform_request *out, sl_error *err);
    /* By order name, normalised ("1001"); may answer several orders over pages; answer:
     * decode_orders. NULL: no name filter (the engine uses order_by_number). */
    int (*lookup_name)(const char *name, const sl_page *page, sl_platform_request *out,
                       sl_error *err);
    /* By order number: at most one order; answer: decode_order (404: not found). NULL: none. */
    int (*order_by_number)(const char *number, sl_platform_request *out, sl_error *err);
    /* A list of orders: *orders a new array (sl_orders_free); next says whether more pages
     * follow (next may be NULL). An order carrying its fulfillments has fulfillments_known. */
    int (*decode_orders)(const char *body, size_t len, sl_order ***orders, size_t *count,
                         sl_page_next *next, sl_error *err);
    int (*decode_order)(const char *body, size_t len, sl_order **order, sl_error *err);

    /* ---- further reads of one order ---- */
    /* The order's units with their items, when an order arrived with units whose items are
     * not known (items_known = 0); answer: decode_units_into (replaces order->units). NULL:
     * orders always arrive complete. */
    int (*read_units)(const sl_order *order, sl_platform_request *out, sl_error *err);
    int (*decode_units_into)(const char *body, size_t len, sl_order *order, sl_error *err);
    /* The order's fulfillments, page by page; answer: decode_fulfillments_into (appends;
     * fulfillments_known = 1 after the last page). This is also the read-back that settles a
     * write whose outcome is unknown. NULL: no read-back: an unknown outcome is settled by a
     * resend under a client-chosen id (choose_fulfillment_id), else the rows end failed with
     * the outcome unknown and nothing is resent. */
    int (*read_fulfillments)(const sl_order *order, const sl_page *page,
                             sl_platform_request *out, sl_error *err);
    int (*decode_fulfillments_into)(const char *body, size_t len, sl_order *order,
                                    sl_page_next *next, sl_error *err);

    /* ---- the export listing ---- */
    /* One page of the orders that match filter; answer: decode_orders. NULL: no export. */
    int (*list_orders)(const sl_list_filter *filter, const sl_page *page,
                       sl_platform_request *out, sl_error *err);
    /* How many orders that listing holds; answer: decode_count. NULL: no count (a numbered
     * listing is then sized by asking one page far ahead; a cursor listing is not used to
     * prefetch names). */
    int (*count_orders)(const sl_list_filter *filter, sl_platform_request *out, sl_error *err);
    int (*decode_count)(const char *body, size_t len, size_t *count, sl_error *err);

    /* ---- writes (spec §7) ---- */
    /* Several fulfillments of one order in one request (1..caps.bulk_max); answer:
     * decode_bulk, one result per entry in order. NULL: create per shipment. */
    int (*create_bulk)(const char *order_id, const sl_shipment *shipments, size_t count,
                       sl_platform_request *out, sl_error *err);
    int (*decode_bulk)(const char *body, size_t len, sl_write_result *results,
                       size_t expected, sl_error *err);
    /* One fulfillment; answer: decode_write. Required. */
    int (*create)(const sl_shipment *shipment, sl_platform_request *out, sl_error *err);
    /* The new tracking of an existing fulfillment; answer: decode_write. NULL: update and
     * --on-conflict=update are unsupported_by_platform. */
    int (*update)(const char *order_id, const char *fulfillment_id,
                  const sl_shipment *shipment, sl_platform_request *out, sl_error *err);
    /* The status of an existing fulfillment, nothing else (status: one of
     * fulfillment_statuses); answer: decode_write. NULL: action=status rows are
     * unsupported_by_platform. */
    int (*update_status)(const char *order_id, const char *fulfillment_id, const char *status,
                         sl_platform_request *out, sl_error *err);
    /* Cancel a fulfillment; answer: decode_write. NULL: cancel rows are
     * unsupported_by_platform. */
    int (*cancel)(const char *order_id, const char *fulfillment_id, sl_platform_request *out,
                  sl_error *err);
    /* A 2xx answer to create, update or cancel: result->success = 1 and the fulfillment id
     * when the answer names one. */
    int (*decode_write)(const char *body, size_t len, sl_write_result *result, sl_error *err);
    /* Client-chosen fulfillment ids (at most SL_FULFILLMENT_ID_MAX bytes with the NUL): the id for this shipment, derived from what it ships so
     * that a resend names the same fulfillment (written into out, NUL-terminated). NULL: the
     * platform chooses ids, and a resend could create a second fulfillment. */
    int (*choose_fulfillment_id)(const sl_shipment *shipment, char *out, size_t cap);
    /* The fulfillment statuses a write may carry (a create's status, update_status), in the
     * platform's own spelling, NULL-terminated; the first is what a shipped row sends when
     * neither the row nor --fulfillment-status says. NULL: the platform takes no status
     * (--fulfillment-status is refused at start; a row's fulfillment_status is ignored with a
     * warning). */
    const char *const *fulfillment_statuses;

    /* ---- carrier codes ---- */
    /* The store's list of carrier codes, read once per run before writes that carry a
     * carrier; answer: decode_carriers (*carriers a new array, sl_store_carriers_free). The
     * engine maps each row's canonical carrier onto the list (carrier_codes.h) and passes the
     * store's code as sl_shipment.carrier_code; a carrier not on the list is sent by name
     * only, with a warning. NULL: no list (carrier_code stays NULL, no warning). */
    int (*read_carriers)(sl_platform_request *out, sl_error *err);
    int (*decode_carriers)(const char *body, size_t len, sl_store_carrier **carriers,
                           size_t *count, sl_error *err);

    /* ---- the preflight (issue 15) ---- */
    /* One cheap authenticated read that proves the base URL, the platform and the token before
     * any source is read; a 2xx answer goes to decode_probe: 0 when it is this platform's.
     * NULL probe: no preflight read (the address check only). */
    int (*probe)(sl_platform_request *out, sl_error *err);
    int (*decode_probe)(const char *body, size_t len, sl_error *err);
    /* The path prefix a base URL must not repeat (Ecart's version prefix), named in the
     * hint of a 404 answer to the probe; NULL: none. */
    const char *api_prefix;

    /* ---- errors ---- */
    /* Maps a non-2xx answer (status and body, either possibly empty) to shipload's codes.
     * Never fails: an unreadable body gives a code from the status alone. */
    void (*error_map)(long http_status, const char *body, size_t len, sl_platform_error *out);
} sl_platform;

/* ---- the registry (src/platform/registry.c): one line per platform ---- */

/* The platform called name; NULL when there is none by that name or it is not built (then
 * *known = 1). known may be NULL. */
const sl_platform *sl_platform_find(const char *name, int *known);
/* "ecart, shoplazza, orderprotection": every registered name, for messages. */
const char *sl_platform_names(void);
/* The default platform (ecart). */
const sl_platform *sl_platform_default(void);

/* ---- fulfillment statuses (src/platform/platform.c) ---- */

/* The platform's spelling of a status written in any case, spaces around ignored
 * ("in_transit" -> "IN_TRANSIT"): a string of its fulfillment_statuses; NULL when it has no
 * such status (or takes none). */
const char *sl_platform_status(const sl_platform *platform, const char *text);
/* Its statuses joined with ", " into buf (truncated to cap), for messages; returns buf. */
const char *sl_platform_status_list(const sl_platform *platform, char *buf, size_t cap);

#endif
