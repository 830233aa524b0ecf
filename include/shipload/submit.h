/* submit.h: sends a plan (plan.h) through the HTTP client, each request built by the plan's
 * write encoder on the platform (platform.h), and writes every outcome back to the rows
 * (spec §7):
 *  - the requests of one order go one after another in `sequence` order; different orders go
 *    concurrently; orders are started gradually (options.active_orders at once), so a run of
 *    40,000 orders never holds 40,000 request bodies;
 *  - every bulk result is mapped by index to its planned fulfillment and through it to the
 *    rows (fulfillment id, HTTP status, the platform's error code as a row code); a refusal
 *    saying a client-chosen id exists already makes its rows duplicate;
 *  - a write whose outcome is unknown (timeout, reset, 5xx after sending, a 2xx that does not
 *    decode) is never re-sent blindly: the order's fulfillments are read back (after
 *    options.read_back_delay_ms, since a server may still be applying the write), what landed is
 *    settled as a success, and only what did not land is sent again (at most max_resends
 *    rounds; a malformed 2xx is never re-sent); a platform without read-back resends creates
 *    under client-chosen ids and fails the rest, outcome unknown;
 *  - a 401 stops the client at once (auth_failed); a stop (signal) leaves unstarted requests
 *    unsent: their rows stay pending for the caller to mark not_attempted. Unknown outcomes cut
 *    off by a stop are "parked": sl_submit_reconcile() reads them back afterwards on a fresh
 *    client (nothing is re-sent then).
 * No dry-run here: a dry run never calls it. */
#ifndef SHIPLOAD_SUBMIT_H
#define SHIPLOAD_SUBMIT_H

#include <stddef.h>
#include "shipload/error.h"
#include "shipload/http.h"
#include "shipload/journal.h"
#include "shipload/outcome.h"
#include "shipload/plan.h"
#include "shipload/row.h"

typedef struct sl_submit sl_submit;

typedef struct sl_submit_options {
    const sl_platform *platform; /* NULL: sl_platform_default() */
    size_t active_orders;       /* orders with a request queued or in flight; 0: 16 */
    int max_resends;            /* read-back + re-send rounds per request; 0: 3 */
    sl_api_health *health;      /* shared with the lookup; NULL: the submission's own */
    long read_back_delay_ms;    /* pause between a write whose outcome is unknown and the
                                   read-back of its order (a server may still be applying the
                                   write); the other orders' requests go on meanwhile (the
                                   client's timer, no sleep). 0: none; shipload import uses
                                   SL_SUBMIT_READ_BACK_DELAY_MS */
    sl_journal *journal;        /* the import's journal of writes (journal.h); NULL: none.
                                   Each write is journaled, and every line before it made
                                   durable, before it is sent; each settled row is journaled.
                                   A journal that cannot be written stops the client (the
                                   write and those after it stay unsent: pending) */
} sl_submit_options;

#define SL_SUBMIT_READ_BACK_DELAY_MS 1000

typedef struct sl_submit_stats {
    size_t writes;              /* write requests completed, re-sends included */
    size_t fulfillments_ok;     /* planned fulfillments settled as a success */
    size_t fulfillments_failed; /* ... as a failure */
    size_t unknown_outcomes;    /* writes completed with an unknown outcome */
    size_t read_backs;          /* pages of an order's fulfillments read to reconcile */
    size_t landed;              /* fulfillments of unknown writes found landed */
    size_t resent;              /* fulfillments sent again because they had not landed */
    size_t unresolved;          /* fulfillments left failed with their outcome unknown */
    int auth_failed;            /* a 401 stopped the run */
    int unreachable;            /* the API stopped answering: the client was stopped */
    int journal_failed;         /* the journal could not be written: the client was stopped */
} sl_submit_stats;

/* A submission of plan for rows (both borrowed; rows[i] are the rows given to sl_plan_build).
 * options may be NULL. NULL with err on allocation failure. */
sl_submit *sl_submit_new(const sl_plan *plan, sl_row *rows, const sl_submit_options *options,
                         sl_error *err);
void sl_submit_free(sl_submit *submit);

/* Sends every request and reconciles unknown outcomes, until done or the client stops.
 * -1 only on allocation failure or a libcurl failure (err set). */
int sl_submit_run(sl_submit *submit, sl_http *http, sl_error *err);

/* Whether unknown outcomes were parked by a stop (then call sl_submit_reconcile). */
int sl_submit_has_parked(const sl_submit *submit);

/* After a stop: reads back the orders of parked unknown outcomes through http (a client that
 * is not stopped), settles what landed, and fails what did not (never re-sent). */
int sl_submit_reconcile(sl_submit *submit, sl_http *http, sl_error *err);

/* Settles what is still parked as failed (outcome unknown). Rows never sent stay pending. */
void sl_submit_finish(sl_submit *submit);

/* Live counters (progress line) and the final ones. */
const sl_submit_stats *sl_submit_get_stats(const sl_submit *submit);

#endif
