/* store.h: the simulator's neutral store model (orders, shipment units called packages, their
 * items, fulfillments), its lookups, the ledger every platform's rules write through (remaining
 * quantities, fulfillments recorded and released, statuses derived from them), and the answer
 * codes. Ecart's packages are packages; a Shoplazza or OrderProtection order has one package
 * holding its line items. Each platform's store file enters the model through its store form
 * (sim_store_form), which also renders an order the platform's way; the core form of an order
 * is the Ecart store-file form plus the neutral members documented in README.md
 * (refundedQuantity, financialStatus).
 * Thread-safety: the set of orders and packages is fixed after load; each order has its own
 * mutex that guards its mutable state (fulfilled quantities, fulfillments, cached JSON). Status
 * fields read by list filters without the lock are atomics. It knows nothing about HTTP. */
#ifndef SIM_STORE_H
#define SIM_STORE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>
#include "hashmap.h"

/* Every answer the simulator can give, with its contract code and HTTP status (store.c). */
typedef enum sim_code {
    SIM_OK = 0,
    SIM_ORDER_NOT_FOUND,
    SIM_PACKAGE_NOT_FOUND,
    SIM_FULFILLMENT_NOT_FOUND,
    SIM_FULFILLMENT_ORDER_ID_MISSING,
    SIM_ORDER_CANCELED,
    SIM_PACKAGE_ALREADY_FULFILLED,
    SIM_PACKAGE_CANCELED,
    SIM_ITEM_NOT_IN_PACKAGE,
    SIM_QUANTITY_EXCEEDS_REMAINING,
    SIM_INVALID_QUANTITY,
    SIM_TRACKING_NUMBER_MISSING,
    SIM_FULFILLMENT_NOT_CANCELABLE,
    SIM_FULFILLMENT_EXISTS,     /* 409 a client-chosen fulfillment id already used */
    SIM_INVALID_REQUEST,        /* 400 malformed body or parameter */
    SIM_UNAUTHORIZED,           /* 401 */
    SIM_ROUTE_NOT_FOUND,        /* 404 no such endpoint */
    SIM_METHOD_NOT_ALLOWED,     /* 405 */
    SIM_PAYLOAD_TOO_LARGE,      /* 413 */
    SIM_RATE_LIMITED,           /* 429 */
    SIM_INTERNAL_ERROR,         /* 500 (commit-fail fault) */
    SIM_SERVICE_UNAVAILABLE,    /* 503 (fail fault) */
    SIM_CODE_COUNT
} sim_code;

const char *sim_code_name(sim_code code);
int sim_code_http_status(sim_code code);

typedef enum sim_package_status {
    SIM_PKG_PENDING, SIM_PKG_SHIPPED, SIM_PKG_DELIVERED, SIM_PKG_CANCELED, SIM_PKG_REFUNDED,
    SIM_PKG_OTHER, SIM_PKG_STATUS_COUNT
} sim_package_status;

typedef enum sim_fulfillment_state {
    SIM_FS_UNFULFILLED, SIM_FS_PARTIAL, SIM_FS_FULFILLED, SIM_FS_COUNT
} sim_fulfillment_state;

const char *sim_package_status_name(int status);
int sim_package_status_parse(const char *name);         /* -1 when unknown */
const char *sim_fulfillment_state_name(int state);
int sim_fulfillment_state_parse(const char *name);      /* -1 when unknown */

/* A JSON text shared between threads by reference count (an order's cached rendering). */
typedef struct sim_blob {
    atomic_int refs;
    size_t len;
    char text[];
} sim_blob;

sim_blob *sim_blob_new(const char *text, size_t len);  /* refs = 1 */
sim_blob *sim_blob_ref(sim_blob *blob);
void sim_blob_release(sim_blob *blob);

typedef struct sim_item {
    char *id, *sku, *name;
    long quantity;
    long refunded;              /* refunded units (never shipped); 0 on Ecart */
    long fulfilled;             /* shipped by fulfillments not canceled */
    long initial_fulfilled;     /* as loaded, for reset */
} sim_item;

struct sim_order;
struct sim_store_form;

typedef struct sim_package {
    char *id, *fulfillment_order_id, *number, *location_id, *type;
    atomic_int status;          /* sim_package_status */
    int initial_status;
    sim_item *items;
    size_t item_count;
    int64_t created_at, updated_at, initial_updated_at;
    struct sim_order *order;
} sim_package;

typedef struct sim_fulfillment_item {
    char *id;
    long quantity;
} sim_fulfillment_item;

typedef struct sim_fulfillment {
    char *id, *fulfillment_order_id, *package_id;
    json_t *tracking;           /* {number, numbers, company, companyId, url, urls} */
    char *status;               /* the platform's word; "canceled" means released (the ledger) */
    sim_fulfillment_item *items;
    size_t item_count;
    int notify_customer;
    char *shipping_date, *location_id, *shipping_method;
    int64_t created_at, updated_at;
} sim_fulfillment;

typedef struct sim_order {
    pthread_mutex_t lock;
    char *id, *number, *name, *status, *shipping_method;
    char *financial_status;     /* payment status where the platform has one apart; or NULL */
    char *items_json;           /* order line items, compact JSON text as loaded */
    char *shipping_address_json;    /* compact JSON text as loaded ("null" when absent) */
    int requires_fulfillment_order_id;
    int64_t created_at;
    _Atomic int64_t updated_at;
    int64_t initial_updated_at;
    atomic_int fulfillment_state;   /* sim_fulfillment_state, derived */
    sim_package *packages;
    size_t package_count;
    sim_fulfillment *fulfillments;  /* guarded by lock */
    size_t fulfillment_count, fulfillment_capacity;
    json_t *initial_fulfillments;   /* as loaded, for reset; NULL when there were none */
    long next_fulfillment_seq;
    sim_blob *cache;                /* rendered order object, NULL when stale; under lock */
    size_t index;                   /* position in the store */
    struct sim_order *next_same_name;   /* the next order (store order) with this name, or NULL */
    const struct sim_store_form *form;  /* how the order is rendered (its store's form) */
} sim_order;

/* How a platform's store file enters the model and how its orders are shown (API answers,
 * /__sim/state, --write-store: one form, so a dump loads back). */
typedef struct sim_store_form {
    const char *name;
    /* One order of the platform's store file as a new core-form object, or NULL with a
     * message. NULL member: the file is in the core form already (Ecart). */
    json_t *(*to_core)(json_t *order, char *err, size_t err_size);
    /* Gives a generated core-form order (generate.c) the platform's traits, in place; NULL:
     * none. index counts from 0. */
    void (*adapt_generated)(json_t *order, long index);
    /* The order's JSON text the platform's way; the caller holds the order's lock. */
    sim_blob *(*order_text)(const sim_order *order);
} sim_store_form;

extern const sim_store_form sim_ecart_form;     /* the default */

typedef struct sim_store {
    sim_order **orders;
    size_t order_count, order_capacity;
    sim_package **packages;         /* every package, in store order */
    size_t package_count, package_capacity;
    sim_map order_by_id, order_by_name, package_by_id, package_by_foid;
    sim_map order_by_number;        /* number without leading zeros -> first such order */
    const sim_store_form *form;
    atomic_long fulfillments_created, fulfillments_updated, fulfillments_canceled;
} sim_store;

/* ---- store_load.c ---- */
/* Builds a store from a document {"orders":[...]} (the state-dump format; README.md). The
 * document is not kept. NULL with a message in err on a bad document. */
sim_store *sim_store_from_json(json_t *document, char *err, size_t err_size);
/* The same for a document in a platform's store-file form. */
sim_store *sim_store_from_json_as(json_t *document, const sim_store_form *form, char *err,
                                  size_t err_size);
/* Incremental building (used by --generate, order by order): an empty store (Ecart's form
 * until sim_store_set_form), then orders in the store's file form (add_order) or in the core
 * form (add_core_order). */
sim_store *sim_store_new(size_t expected_orders);
void sim_store_set_form(sim_store *store, const sim_store_form *form);
int sim_store_add_order(sim_store *store, json_t *order, char *err, size_t err_size);
int sim_store_add_core_order(sim_store *store, json_t *order, char *err, size_t err_size);
sim_store *sim_store_load_file(const char *path, char *err, size_t err_size);     /* Ecart */
sim_store *sim_store_load_file_as(const char *path, const sim_store_form *form, char *err,
                                  size_t err_size);
/* The whole state as {"orders":[...]} in Ecart's form, loadable again. Locks each order. */
json_t *sim_store_dump(sim_store *store);
/* The same as text, one order per line, built from each order's text (no big tree). The
 * prefix goes before "orders" (e.g. "\"success\":true,"); a new string, NULL on OOM. */
char *sim_store_dump_text(sim_store *store, const char *prefix, size_t *len);
int sim_store_write_file(sim_store *store, const char *path, char *err, size_t err_size);
/* Replaces order->fulfillments with those of a loaded array (used by load and reset). */
int sim_order_load_fulfillments(sim_order *order, json_t *array, char *err, size_t err_size);

/* ---- store.c ---- */
void sim_store_free(sim_store *store);
void sim_store_free_order(sim_order *order);     /* one order not (yet) in a store */
sim_order *sim_store_order_by_id(const sim_store *store, const char *id);
/* The first order (in store order) with this name, '#' optional; the others that share the
 * name follow through next_same_name (names need not be unique; ids are). NULL when none. */
sim_order *sim_store_order_by_name(const sim_store *store, const char *name);
int sim_order_has_name(const sim_order *order, const char *name);   /* '#' optional */
sim_package *sim_store_package_by_id(const sim_store *store, const char *id); /* or foid */
/* The first order whose number equals this one, leading zeros ignored ("1001" finds
 * "00001001"); NULL when none. */
sim_order *sim_store_order_by_number(const sim_store *store, const char *number);
const char *sim_order_number_key(const sim_order *order);  /* its number sans leading zeros */
/* Restores every order to its loaded state (fulfillments, quantities, statuses). */
void sim_store_reset(sim_store *store);
/* Recomputes package statuses and the order's fulfillmentStatus; caller holds the lock. */
void sim_order_derive_statuses(sim_order *order);
void sim_order_touched(sim_order *order, int64_t now);  /* bumps updatedAt, drops the cache */
sim_fulfillment *sim_order_find_fulfillment(sim_order *order, const char *id);
sim_package *sim_order_find_package_by_foid(sim_order *order, const char *foid);
sim_package *sim_order_find_package_by_id(sim_order *order, const char *id);
void sim_fulfillment_clear(sim_fulfillment *fulfillment);
int64_t sim_now(void);
int sim_parse_time(const char *text, int64_t *out);     /* ISO 8601 date or date-time (UTC) */
void sim_format_time(int64_t when, char out[32]);

/* ---- store_ledger.c: the quantities every platform's writes move (order lock held) ---- */
long sim_item_remaining(const sim_item *item);   /* quantity - refunded - fulfilled */
/* The index of the package's item with this id (or, without id, this SKU); -1 when none. */
ssize_t sim_package_item_index(const sim_package *package, const char *id, const char *sku);
/* Records a fulfillment of wanted[i] units of each package item (id is taken; status
 * "shipped", times now); the caller fills the platform's fields. NULL when out of memory. */
sim_fulfillment *sim_order_record_fulfillment(sim_store *store, sim_order *order,
                                              sim_package *package, char *id,
                                              const long *wanted, int64_t now);
/* Cancels: status "canceled", its quantities return to the package. */
void sim_order_release_fulfillment(sim_store *store, sim_order *order,
                                   sim_fulfillment *fulfillment, int64_t now);
/* A neutral tracking object {number, numbers, company, companyId (the carrier's code), url,
 * urls}; numbers and urls are arrays of strings (borrowed; NULL: empty). */
json_t *sim_tracking_new(const char *company, const char *code, json_t *numbers, json_t *urls);
/* A string member of a fulfillment's tracking ("number", "company", "companyId", "url"). */
const char *sim_tracking_string(const sim_fulfillment *fulfillment, const char *key);
/* Counts an update of a fulfillment's other fields (tracking, status) done by the caller. */
void sim_order_fulfillment_updated(sim_store *store, sim_order *order,
                                   sim_fulfillment *fulfillment, int64_t now);

/* The order's JSON text in its store's form, cached until the next write; takes the lock
 * itself. With keep = 0 a missing cache is not filled (for one-off dumps of the whole store). */
sim_blob *sim_order_text(sim_order *order, int keep);
sim_blob *sim_order_blob(sim_order *order);             /* sim_order_text(order, 1) */

/* ---- ecart_render.c: Ecart's JSON forms (caller holds the order lock) ---- */
json_t *sim_render_order(const sim_order *order);
json_t *sim_render_package(const sim_package *package);
json_t *sim_render_fulfillment(const sim_order *order, const sim_fulfillment *fulfillment);

/* ---- ecart_rules.c: Ecart's writes (each takes the order lock itself) ---- */
typedef struct sim_outcome {
    sim_code code;
    char message[200];
    json_t *fulfillment;        /* rendered, on success (new reference) */
} sim_outcome;

void sim_outcome_clear(sim_outcome *outcome);
/* One create entry (the inner object of {"fulfillment": {...}}). */
void sim_store_create(sim_store *store, sim_order *order, json_t *entry, sim_outcome *out);
/* A bulk request's entries: returns the results array (one per entry, in order) and sets
 * *failures to the number of refused entries. Entries are independent. */
json_t *sim_store_bulk(sim_store *store, sim_order *order, json_t *entries, size_t *failures);
void sim_store_update(sim_store *store, sim_order *order, const char *fulfillment_id,
                      json_t *changes, sim_outcome *out);
void sim_store_cancel(sim_store *store, sim_order *order, const char *fulfillment_id,
                      sim_outcome *out);
/* A quantity as a JSON integer or numeric string; -1 when it is neither or not >= 0. */
long sim_json_quantity(json_t *value);

#endif
