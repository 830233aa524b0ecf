/* lookup.h: the reads matching needs (match.h steps 2-4), built and decoded by the platform
 * (platform.h) and driven through the HTTP client: distinct order ids in batches of the
 * platform's caps.lookup_ids_max (or one request per id without a batched lookup), then names
 * one by one (by the name filter, every page, or by order number), then the units of orders
 * whose summaries lack items and the fulfillments of orders that shipped something or that a
 * row updates or cancels. Requests are fed to the client gradually (a few per transfer slot),
 * not all at once. Each order is packed into one block (sl_order_pack_into) once its last read
 * is in. A failed read is recorded in the index (its rows end failed, rejected or
 * not_attempted); a 401 stops the client at once. Does not match rows: sl_match_rows() does
 * that afterwards. Part of the engine (src/engine/): this is where matching does I/O. */
#ifndef SHIPLOAD_LOOKUP_H
#define SHIPLOAD_LOOKUP_H

#include <stddef.h>
#include "shipload/error.h"
#include "shipload/http.h"
#include "shipload/match.h"
#include "shipload/outcome.h"
#include "shipload/platform.h"
#include "shipload/row.h"

typedef struct sl_lookup_stats {
    size_t id_batches;          /* lookups by id completed (a batch, or one id) */
    size_t name_pages;          /* lookups by name (pages) or by number completed */
    size_t package_reads;       /* reads of an order's units */
    size_t fulfillment_pages;   /* pages of an order's fulfillments */
    size_t failures;            /* reads that failed (their rows fail) */
    size_t listing_counts;      /* counts of the open-order listings asked (the prefetch) */
    size_t listing_pages;       /* pages of the open-order listings read */
    size_t listing_kept;        /* listed orders kept (a name of the manifest) */
    size_t listed_names;        /* names the listing answered (no lookup for them) */
    int auth_failed;            /* a 401 answered: the client was stopped */
    int unreachable;            /* the API stopped answering: the client was stopped */
} sl_lookup_stats;

typedef struct sl_lookup_options {
    const sl_platform *platform; /* NULL: sl_platform_default() */
    size_t queue_limit;         /* requests queued in the client at once; 0: 32 */
    sl_api_health *health;      /* shared with the submission; NULL: the lookup's own */
} sl_lookup_options;

/* Registers the pending rows' references in index and reads what matching needs. Returns 0
 * (also when reads failed or the client was stopped: the index records it), -1 only when
 * out of memory or when libcurl itself fails (err set). options may be NULL. */
int sl_lookup_orders(sl_http *http, sl_order_index *index, const sl_row *rows, size_t count,
                     const sl_lookup_options *options, sl_lookup_stats *stats, sl_error *err);

#endif
