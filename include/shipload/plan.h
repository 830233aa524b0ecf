/* plan.h: planning (spec §7) as pure logic: the matched rows become fulfillments, and the
 * fulfillments become requests: bulk creates per order of at most batch_size entries, one PUT
 * per updated fulfillment, one cancel per canceled fulfillment. Each planned fulfillment knows
 * the rows it came from, so every result maps back to them. Also the reconciliation of writes
 * whose outcome is unknown, against the order as read back. No I/O.
 *
 * Grouping:
 *  - rows naming an item, for the same (order, package, tracking number set): one fulfillment,
 *    one item per line item, quantities summed; other tracking sets: separate partial ones;
 *  - rows without an item for one package: one fulfillment without items (all that remains)
 *    carrying every row's numbers, whatever their sets (they never merge with item rows);
 *  - update rows (and --on-conflict=update) per fulfillment: one PUT with every row's numbers;
 *  - cancel rows per fulfillment: one cancel;
 *  - status rows per fulfillment: one status update (the first row's status).
 * Everything is ordered by first row index: fulfillments within a request, and requests.
 * Requests of one order must be sent one after another in `sequence` order (a fulfillment
 * without items ships whatever earlier entries left); different orders may go concurrently.
 *
 * The plan borrows the rows (their array, which it reads the first rows from, and their strings:
 * the order id and fulfillment order id matching set on them, their tracking numbers and
 * columns), which must outlive it, unchanged; of the matched orders it keeps copies of what it
 * sends (item ids, the fulfillment an update names), so they may be freed once it is built. */
#ifndef SHIPLOAD_PLAN_H
#define SHIPLOAD_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include "shipload/error.h"
#include "shipload/match.h"
#include "shipload/platform.h"
#include "shipload/row.h"

typedef enum sl_plan_kind {
    SL_PLAN_CREATE = 0,         /* a new fulfillment (an entry of a bulk create, or one create) */
    SL_PLAN_UPDATE,             /* new tracking for an existing fulfillment */
    SL_PLAN_CANCEL,             /* cancel an existing fulfillment */
    SL_PLAN_STATUS              /* a new status for an existing fulfillment, nothing else */
} sl_plan_kind;

/* A planned fulfillment is small (a million-row import's plan has about 740,000): its lists
 * are offsets into the plan's (read them with sl_planned_rows and sl_planned_items), its
 * tracking numbers are its rows' (read them with sl_planned_tracking), and what its first row
 * and its request say is not copied into it (read it with sl_planned_order_id,
 * sl_planned_first_row, sl_planned_status and sl_planned_carrier_code). */
typedef struct sl_planned_fulfillment {
    const char *fulfillment_order_id;   /* the unit's write_id (Ecart's fulfillment order
                                           id); NULL: line items only */
    union {                             /* by kind, never both: read with
                                           sl_planned_fulfillment_id, sl_planned_items */
        const char *fulfillment_id;     /* UPDATE, CANCEL, STATUS: the store's fulfillment */
        uint32_t items_at;              /* CREATE: where its items start in the plan's list */
    } target;
    uint32_t rows_at;                   /* where its rows start in the plan's list */
    /* The counts and indexes below are 32 bits (a plan has fewer than UINT32_MAX rows) and
     * the flags a byte each: 40 bytes a planned fulfillment. */
    uint32_t item_count;                /* CREATE: id and quantity; 0: all that remains */
    uint32_t row_count;
    uint32_t request;                   /* the request carrying it */
    uint32_t entry;                     /* its index in that request (bulk results come by index) */
    unsigned char kind;                 /* an sl_plan_kind */
    signed char notify;                 /* 1, 0, or -1: omit */
    signed char notified;               /* what its rows' notified column says: 1 or 0 when
                                           the request carries the flag (omitted: 0, the
                                           platform's default), -1 when it carries none
                                           (cancel, status, or a platform without it) */
} sl_planned_fulfillment;

_Static_assert(sizeof(sl_planned_fulfillment) <= 40, "a planned fulfillment is 40 bytes");

/* 24 bytes (a million-row import's plan has about 410,000). */
typedef struct sl_planned_request {
    const char *order_id;
    uint32_t first;                     /* its fulfillments: [first, first + count) */
    uint32_t count;                     /* 1 for UPDATE, CANCEL and STATUS */
    uint32_t sequence;                  /* 0, 1, ... among the requests of the same order */
    unsigned char kind;                 /* an sl_plan_kind */
} sl_planned_request;

_Static_assert(sizeof(sl_planned_request) <= 24, "a planned request is 24 bytes");

typedef struct sl_plan_options {
    size_t batch_size;                  /* creates per request; 0: 50. The engine keeps it
                                           within the platform's caps.bulk_max (1 without
                                           bulk) */
    int default_notify;                 /* when no row says: 1, 0, or -1 to omit */
    int whole_as_items;                 /* a create of a whole unit lists the unit's remaining
                                           items (platforms whose writes name line items only:
                                           caps.has_units = 0) */
    /* The store's code for a canonical carrier name (carrier_codes.h), or NULL: asked when a
     * planned fulfillment is encoded (of its first row's carrier), so the function's data and
     * the strings it answers must outlive the plan. NULL function: no codes are sent. */
    const char *(*carrier_code)(const char *carrier, void *data);
    void *carrier_code_data;
    const char *default_status;         /* for rows without a fulfillment_status (the run's
                                           --fulfillment-status); NULL: the platform's. Must
                                           outlive the plan */
    int create_notifies;                /* caps.create_notifies: creates carry notify */
    int update_notifies;                /* caps.update_notifies */
    /* Where sl_plan_settle keeps a fulfillment id for the rows: a copy that outlives them (the
     * import's set keeps it with the rows' strings), which the rows of one planned
     * fulfillment share and never free (sl_row_share_fulfillment_id). NULL function, or NULL
     * answered (out of memory): each row gets a copy of its own. */
    char *(*keep_id)(const char *fulfillment_id, void *data);
    void *keep_id_data;
} sl_plan_options;

typedef struct sl_plan sl_plan;

/* Plans the pending rows that matches[i] says to send (op != NONE). NULL on allocation
 * failure, or when count is UINT32_MAX or more (rows are numbered in 32 bits). options may be
 * NULL (batch of 50, notify omitted). */
sl_plan *sl_plan_build(const sl_row *rows, const sl_match *matches, size_t count,
                       const sl_plan_options *options, sl_error *err);
/* The same, taking matches (a malloc'd array, freed whatever happens): they are freed as soon
 * as the rows are grouped, before the requests are packed, so that a million rows' matches
 * (24 MB) and the plan's requests are never held at once. */
sl_plan *sl_plan_build_taking(const sl_row *rows, sl_match *matches, size_t count,
                              const sl_plan_options *options, sl_error *err);
void sl_plan_free(sl_plan *plan);

size_t sl_plan_request_count(const sl_plan *plan);
const sl_planned_request *sl_plan_request(const sl_plan *plan, size_t request);
size_t sl_plan_fulfillment_count(const sl_plan *plan);
const sl_planned_fulfillment *sl_plan_fulfillment(const sl_plan *plan, size_t fulfillment);

/* What a planned fulfillment of plan holds or says. Its rows: indexes into the rows given to
 * sl_plan_build, ascending (row_count of them). */
const uint32_t *sl_planned_rows(const sl_plan *plan, const sl_planned_fulfillment *planned);
/* Its tracking numbers: its rows', each once (case aside), in row order, written into numbers,
 * which has room for sl_planned_tracking_room of them; returns how many. The plan keeps no
 * list of them (a million rows' would be 8 MB): they are read from the rows when asked. */
size_t sl_planned_tracking(const sl_plan *plan, const sl_planned_fulfillment *planned,
                           const char **numbers);
/* The room sl_planned_tracking needs: its rows' tracking numbers, repeats included. */
size_t sl_planned_tracking_room(const sl_plan *plan, const sl_planned_fulfillment *planned);
/* A create's items, id and quantity (item_count of them); NULL: all that remains, or not a
 * create. */
const sl_item *sl_planned_items(const sl_plan *plan, const sl_planned_fulfillment *planned);
/* The store's fulfillment an update, cancel or status update acts on; NULL for a create. */
const char *sl_planned_fulfillment_id(const sl_planned_fulfillment *planned);
/* Its order's id (its request's). */
const char *sl_planned_order_id(const sl_plan *plan, const sl_planned_fulfillment *planned);
/* Its first row, whose carrier (company), tracking URL, location, shipping method and ship
 * date it sends. */
const sl_row *sl_planned_first_row(const sl_plan *plan, const sl_planned_fulfillment *planned);
/* The first row's fulfillment_status, else the plan's default; NULL: the platform's default. */
const char *sl_planned_status(const sl_plan *plan, const sl_planned_fulfillment *planned);
/* The store's code for the first row's carrier (sl_plan_options.carrier_code), or NULL. */
const char *sl_planned_carrier_code(const sl_plan *plan, const sl_planned_fulfillment *planned);

/* The one write encoder: the request that sends the planned fulfillments entries[0..count)
 * (of one order and of one kind) on platform: a bulk create (platform->create_bulk; count up
 * to caps.bulk_max), a single create (count 1), an update, a cancel or a status update
 * (count 1). A planned status is sent in the platform's spelling (sl_platform_status). Client-chosen
 * fulfillment ids (platform->choose_fulfillment_id) are derived here, so a resend names the
 * same fulfillment. The dry run's requests.jsonl and the submission both call it, so what
 * --dry-run lists is what a real run sends. 0, or -1 with err (an unsupported write, more
 * entries than the platform takes, out of memory); out is then empty. */
int sl_plan_encode(const sl_plan *plan, const sl_platform *platform, sl_plan_kind kind,
                   const size_t *entries, size_t count, sl_platform_request *out,
                   sl_error *err);
/* The client-chosen id of a planned create on a platform that chooses ids
 * (choose_fulfillment_id): the id sl_plan_encode sends. -1 when the platform does not, or out
 * of memory. */
int sl_plan_client_id(const sl_plan *plan, const sl_platform *platform, size_t fulfillment,
                      char *out, size_t cap);
/* The same for a whole planned request. */
int sl_plan_encode_request(const sl_plan *plan, const sl_platform *platform, size_t request,
                           sl_platform_request *out, sl_error *err);

/* The kind's name as the journal of writes records it: create, update, cancel, status. */
const char *sl_plan_kind_name(sl_plan_kind kind);

/* The success status of a planned fulfillment's rows: shipped/updated/canceled, or would_*. */
sl_status sl_plan_success_status(sl_plan_kind kind, int dry_run);

/* Writes a planned fulfillment's outcome to each of its rows: status (a success status sets
 * rows still pending; a failure goes through sl_row_fail with code and message), the store's
 * fulfillment id (may be NULL: each row keeps what it had; else one copy the rows share when
 * the plan's options keep ids, sl_plan_options.keep_id) and the HTTP status (0: none). -1 on
 * allocation failure. */
int sl_plan_settle(const sl_plan *plan, size_t fulfillment, sl_row *rows, sl_status status,
                   sl_code code, const char *fulfillment_id, int http_status,
                   const char *message);

/* Reconciliation of writes with an unknown outcome (timeout, reset, 5xx after the body was
 * sent): for each planned fulfillment fulfillments[i] of one order, landed[i] becomes the id of
 * the fulfillment in read_back that it created or changed, or NULL when it did not land and
 * must be sent again. A create landed when an active fulfillment on the same package carries
 * the same tracking set (and, when it lists items, the same items); an update when the
 * fulfillment carries the planned numbers; a cancel when the fulfillment is canceled; a
 * status update when the fulfillment has the planned status.
 * taken_ids: fulfillments already accounted for (e.g. created by entries whose result is
 * known), never attributed again. read_back must have its fulfillments read
 * (fulfillments_known), else -1. landed[i] points into read_back. */
int sl_plan_reconcile(const sl_plan *plan, const size_t *fulfillments, size_t count,
                      const sl_order *read_back, const char *const *taken_ids,
                      size_t taken_count, const char **landed, sl_error *err);

#endif
