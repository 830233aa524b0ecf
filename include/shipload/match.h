/* match.h: matching (spec §6) as pure logic over model.h's structs. No I/O: the engine's
 * lookup (src/engine/lookup.c, lookup.h) reads what the order index lists through the platform
 * (platform.h), hands the decoded orders back, and then matches the rows.
 *
 * The engine's sequence, each step one pass over the run's rows:
 *   1. sl_order_index_add_rows(): the distinct order references of the run.
 *   2. sl_order_index_ids_to_fetch(): ids (kind id, and auto), looked up in batches of the
 *      platform's caps.lookup_ids_max (or one by one); answers go to
 *      sl_order_index_add_id_answer().
 *   3. sl_order_index_names_to_fetch(): names (kind name, and auto refs no id answered), one
 *      lookup each (by name, every page, or by number); answers go to
 *      sl_order_index_add_name_answer().
 *   4. sl_order_index_orders_needing_packages(): read the units of each (the platform's
 *      read_units); then sl_order_index_orders_needing_fulfillments(): read the fulfillments
 *      of each. A fresh order needs neither read.
 *      A failed lookup or read goes to sl_order_index_fail_*(): its rows end with that outcome.
 *   5. sl_match_rows(): every pending row, in row order, gets its sl_match; the ledger of
 *      remaining quantities lives in the index, so rows may be matched in several calls.
 * Orders belong to the index; matches point into them, so orders must not change after step 5
 * while matches (or a plan built from them) are in use. */
#ifndef SHIPLOAD_MATCH_H
#define SHIPLOAD_MATCH_H

#include <stddef.h>
#include <stdint.h>
#include "shipload/model.h"
#include "shipload/error.h"
#include "shipload/row.h"

typedef struct sl_order_index sl_order_index;

sl_order_index *sl_order_index_new(void);       /* NULL on allocation failure */
void sl_order_index_free(sl_order_index *index); /* and every order it holds */

/* ---- references ---- */

/* The normalised name of an order reference: spaces trimmed, one leading '#' dropped, spaces
 * trimmed again ("  #1001 " → "1001"). Writes at most cap bytes; returns out. */
char *sl_order_name_normalise(const char *ref, char *out, size_t cap);

/* Registers one reference (kind as the row says; auto: id first, then name; an auto reference
 * starting with '#' is a name only). Repeats are free. -1 on allocation failure. */
int sl_order_index_add_ref(sl_order_index *index, const char *ref, sl_ref_kind kind);
/* The references of the rows still pending. */
int sl_order_index_add_rows(sl_order_index *index, const sl_row *rows, size_t count,
                            sl_error *err);

/* Ids not answered yet, in registration order: *ids a new array (free() it; NULL when *count is
 * 0) of strings borrowed from the index (valid while it lives). Send them in batches of the
 * platform's caps.lookup_ids_max. */
int sl_order_index_ids_to_fetch(const sl_order_index *index, const char ***ids, size_t *count,
                                sl_error *err);
/* The answer to GET /orders?ids= for ids (a batch as listed): takes every order and the array
 * itself (even on failure). Ids not among the answers are not found (as ids). */
int sl_order_index_add_id_answer(sl_order_index *index, const char *const *ids, size_t id_count,
                                 sl_order **orders, size_t order_count, sl_error *err);

/* Names to look up, as for ids (after the id answers are in, so that auto references no id
 * answered are included). A name is listed normalised ("1001"): the filter takes it with or
 * without '#'. */
int sl_order_index_names_to_fetch(sl_order_index *index, const char ***names, size_t *count,
                                  sl_error *err);
/* One page of the answer to GET /orders?name=: takes the orders and the array. Only orders
 * whose name or number normalises to `name` count (a server ignoring the filter changes
 * nothing); several distinct ones make the reference ambiguous. */
int sl_order_index_add_name_answer(sl_order_index *index, const char *name, sl_order **orders,
                                   size_t order_count, sl_error *err);

/* One page of a listing of the store's open orders (the prefetch of names, lookup.h): keeps
 * the orders whose name or number is a name still to look up and frees the others; takes the
 * orders and the array. *kept (may be NULL) gets how many were kept. The names stay to fetch
 * until sl_order_index_close_listing(). -1 only when out of memory. */
int sl_order_index_add_listed(sl_order_index *index, sl_order **orders, size_t order_count,
                              size_t *kept, sl_error *err);
/* The listing is over: the names it found orders for are answered (a name it did not hold is
 * still to fetch, by lookup). Returns how many names were answered. */
size_t sl_order_index_close_listing(sl_order_index *index);
/* The request id (the platform's answer header, http.h) of an answer that found no order for
 * an id (is_name 0) or a name: an order_not_found row's message ends with it, as
 * "(Request-Id: ...)". Ignored when the reference has orders, or answer_id is NULL or empty.
 * -1 when out of memory. */
int sl_order_index_note_answer_id(sl_order_index *index, int is_name, const char *ref_text,
                                  const char *answer_id);

/* A lookup or read that failed (transport, server error, interruption): the rows depending on
 * it end with status/code and the message (e.g. SL_STATUS_FAILED, SL_CODE_TIMEOUT). */
int sl_order_index_fail_ids(sl_order_index *index, const char *const *ids, size_t id_count,
                            sl_status status, sl_code code, const char *message);
int sl_order_index_fail_name(sl_order_index *index, const char *name, sl_status status,
                             sl_code code, const char *message);
int sl_order_index_fail_order(sl_order_index *index, const char *order_id, sl_status status,
                              sl_code code, const char *message);

/* Resolves a reference through the answers. Returns 0 with lookup->order set when the row can
 * use the order; -1 otherwise, with status/code/message saying how the row ends:
 * unmatched/order_not_found, order_ambiguous, order_canceled or order_not_shippable (order set
 * too), or the recorded
 * failure; a reference never looked up (an interrupted run) is not_attempted. */
typedef struct sl_order_lookup {
    sl_order *order;
    sl_status status;
    sl_code code;
    char message[320];
} sl_order_lookup;
int sl_order_index_lookup(const sl_order_index *index, const char *ref, sl_ref_kind kind,
                          sl_order_lookup *lookup);
/* The platform refuses to ship unpaid orders (caps.requires_payment): an unpaid order's rows
 * end unmatched/order_not_shippable, as do a closed order's on every platform. */
void sl_order_index_require_payment(sl_order_index *index, int required);
/* The platform finds orders by id only, and its id is the merchant's own reference (free text
 * such as "#517AB": OrderProtection's sourceOrderId): every reference, whatever its kind, is
 * that id, as written (spaces around trimmed, '#' kept). Set before adding references. */
void sl_order_index_refs_are_ids(sl_order_index *index, int yes);
sl_order *sl_order_index_find_id(const sl_order_index *index, const char *order_id);
size_t sl_order_index_order_count(const sl_order_index *index);
/* Once every read is in (the lookup's last step): each order is repacked into one allocation
 * (sl_order_pack), read-only from then on. An order that cannot be packed stays as it is. */
void sl_order_index_pack(sl_order_index *index);
/* The same for one order whose last read is in (order_id may be the old order's own id; the
 * old sl_order is freed, so pointers to it must be dropped). */
void sl_order_index_pack_order(sl_order_index *index, const char *order_id);
/* Once every row is matched: frees what only the lookups and matching use (the references,
 * the maps by id and by name, the remaining-quantity ledger, the failures), keeping the orders
 * the matches point to. The index then answers nothing (find_id gives NULL, its order count
 * stays); only sl_order_index_free may follow. */
void sl_order_index_keep_orders_only(sl_order_index *index);

/* ---- further reads (step 4) ---- */

/* Some package summary lacks its items: GET /orders/{id}/packages is needed. */
int sl_order_needs_packages(const sl_order *order);
/* Something of the order was shipped already: a unit item with a fulfilled quantity > 0, a
 * unit shipped or delivered, or an order shipping state other than "none" (a missing
 * status counts as shipped only while some package's items are unknown). */
int sl_order_has_shipped(const sl_order *order);
/* Fulfillments must be read before matching (they carry the tracking numbers that make a row a
 * duplicate, and name the fulfillment an update or cancel acts on): not read yet, and the
 * order has shipped something or a row wants to update/cancel. Best asked after the packages
 * read. */
int sl_order_needs_fulfillments(const sl_order *order, int has_update_or_cancel);

/* The distinct orders the pending rows resolve to that need that read, in first-row order: a
 * new array (free() it; the orders stay the index's). */
int sl_order_index_orders_needing_packages(sl_order_index *index, const sl_row *rows,
                                           size_t count, sl_order ***orders, size_t *order_count,
                                           sl_error *err);
int sl_order_index_orders_needing_fulfillments(sl_order_index *index, const sl_row *rows,
                                               size_t count, sl_order ***orders,
                                               size_t *order_count, sl_error *err);

/* ---- row matching (step 5) ---- */

/* --on-conflict: what a ship row does when its package (or item) was already fulfilled with
 * other tracking numbers. Same order as the CLI's enumeration. SKIP and FAIL both leave the row
 * `conflict` / already_fulfilled_different_tracking and send nothing (`skipped` is the status
 * of a template rule, spec §8, and the row must reach rejects.csv with its code); whether FAIL
 * also stops the run is the engine's decision (sl_match_counts.conflict). UPDATE turns the row
 * into a PUT of that fulfillment with the row's tracking. */
typedef enum sl_on_conflict {
    SL_ON_CONFLICT_SKIP = 0,
    SL_ON_CONFLICT_UPDATE,
    SL_ON_CONFLICT_FAIL
} sl_on_conflict;

typedef struct sl_match_options {
    sl_on_conflict on_conflict;
    int ignore_package_refs;    /* the platform has no packages of its own (caps.has_units 0):
                                   a row's package_id is ignored, with a warning */
    const char *default_status; /* action=status rows without a fulfillment_status of their
                                   own want this one (--fulfillment-status); NULL: none */
    /* Called with each row matching has just decided or matched, before the next (may be
     * NULL): the engine gives the row shared copies of its order id, name and fulfillment
     * order id there, so that a million rows never hold their own copies all at once. */
    void (*row_matched)(sl_row *row, void *data);
    void *row_matched_data;
} sl_match_options;

typedef enum sl_match_op {
    SL_MATCH_NONE = 0,          /* nothing to send: the row's status says why */
    SL_MATCH_CREATE,            /* a new fulfillment of package (for item, or all that remains) */
    SL_MATCH_UPDATE,            /* PUT fulfillment with the row's tracking */
    SL_MATCH_CANCEL,            /* cancel fulfillment */
    SL_MATCH_STATUS             /* a new status for fulfillment (action=status) */
} sl_match_op;

/* One row's match. The row itself gets order_id and fulfillment_order_id (and fulfillment_id
 * for update, cancel, status and duplicate), or its final status: duplicate, conflict, unmatched, ...
 * One per row of an import, so kept to 24 bytes (was 40): the package, item or fulfillment is
 * named by its index in the order (read it with the functions below, each only under its op),
 * the claimed quantity is 32 bits (quantities are at most SL_QUANTITY_MAX) and the op a byte. */
typedef struct sl_match {
    const sl_order *order;
    uint32_t part;                      /* CREATE: the package's index in order->units; UPDATE,
                                           CANCEL, STATUS: the fulfillment's in
                                           order->fulfillments */
    uint32_t item;                      /* CREATE of one item: its index in the package's items
                                           + 1; 0: the whole remaining package */
    int32_t quantity;                   /* with item: units claimed in the ledger (> 0) */
    unsigned char op;                   /* an sl_match_op */
} sl_match;

_Static_assert(sizeof(void *) != 8 || sizeof(sl_match) == 24, "a match is 24 bytes: an "
               "import holds one per row while it matches and plans");

/* CREATE: the package the row ships from. */
static inline const sl_unit *sl_match_package(const sl_match *match)
{
    return &match->order->units[match->part];
}

/* CREATE: the item the row ships, or NULL when it ships the whole remaining package. */
static inline const sl_item *sl_match_item(const sl_match *match)
{
    return match->item ? &sl_match_package(match)->items[match->item - 1] : NULL;
}

/* UPDATE, CANCEL, STATUS: the fulfillment the row acts on. */
static inline const sl_fulfillment *sl_match_fulfillment(const sl_match *match)
{
    return &match->order->fulfillments[match->part];
}

typedef struct sl_match_counts {
    size_t create, update, cancel;      /* rows to send (a status change counts as update) */
    size_t duplicate, conflict, unmatched, other;   /* rows decided here (other: failed, ...) */
} sl_match_counts;

/* Matches each pending row of rows[0..count) in row order (spec §6): matches[i] for rows[i]
 * (op NONE for rows decided before or here). counts may be NULL. -1 only when out of memory. */
int sl_match_rows(sl_order_index *index, sl_row *rows, size_t count,
                  const sl_match_options *options, sl_match *matches, sl_match_counts *counts,
                  sl_error *err);

/* ---- one parcel, one address (shared_tracking.c, after step 5) ---- */

/* A tracking number on rows of orders that do not all ship to one address: each such row that
 * would be sent becomes invalid/tracking_reused naming the other orders (its match op NONE).
 * Returns how many rows were refused. */
size_t sl_match_refuse_shared_tracking(sl_row *rows, sl_match *matches, size_t count);
/* 1 when two shipping addresses place a parcel at the same door (lines, city, state, postal
 * code, country; case, spaces and punctuation ignored). */
int sl_address_same_place(const sl_address *a, const sl_address *b);
/* A fingerprint (64 bits, never 0) of the place address names, as sl_address_same_place
 * compares it: equal places give equal keys. NULL counts as an address with no parts. */
uint64_t sl_address_place_key(const sl_address *address);
/* 1 when two orders ship to the same place: their addresses compared, or the place keys of
 * orders whose address was dropped (sl_order.place_key). */
int sl_orders_same_place(const sl_order *a, const sl_order *b);

#endif
