/* submit_internal.h: what submit.c (chains of writes per order) and submit_reconcile.c (reading
 * an order back after a write with an unknown outcome) share. Private to the engine. */
#ifndef SHIPLOAD_SUBMIT_INTERNAL_H
#define SHIPLOAD_SUBMIT_INTERNAL_H

#include <stdint.h>
#include "shipload/engine.h"
#include "shipload/submit.h"

/* What a chain holds only while it needs it: the fulfillment ids its writes created (a
 * read-back of its own writes must not attribute them again) and a write with an unknown
 * outcome being reconciled. Allocated by the chain's first create answered or first unknown
 * outcome, freed when the chain is done for good (a parked chain keeps it until read back). */
typedef struct chain_reconcile {
    /* a write with an unknown outcome, being reconciled */
    size_t *unknown;            /* its planned fulfillments */
    char *unknown_message;
    sl_order *read_back;
    /* fulfillments of this order already attributed (never matched again by a read-back) */
    char **taken;
    uint32_t unknown_count;
    uint32_t taken_count, taken_cap;
    int unknown_http;
    unsigned char unknown_kind; /* an sl_plan_kind */
    unsigned char unknown_code; /* an sl_code */
    unsigned char no_resend;    /* a malformed 2xx: the write was answered, never re-send */
} chain_reconcile;

/* The requests of one order, sent one after another. A run has one chain per order it
 * writes to (hundreds of thousands in a million-row import), so it holds only what every
 * chain needs: counts and its place in submit's request array are 32 bits (a plan has fewer
 * than UINT32_MAX rows, so fewer requests), flags a byte each, its order id read from its first
 * request (sl_submit_chain_order), and the rest a pointer to what only a few chains at a time
 * need: 32 bytes a chain. */
typedef struct chain {
    chain_reconcile *reconciling; /* NULL while the chain needs none */
    uint32_t first_request;     /* its requests: order_requests[first_request...] in sequence */
    uint32_t request_count;
    uint32_t next;              /* the request being sent (or next to send) */
    int resends;
    unsigned char parked;       /* cut off by a stop: reconcile later */
    unsigned char finished;
} chain;

_Static_assert(sizeof(chain) <= 32, "a chain is 32 bytes");

struct sl_submit {
    const sl_plan *plan;
    const sl_platform *platform;
    sl_row *rows;
    sl_submit_options options;
    sl_submit_stats stats;
    uint32_t *order_requests;   /* every request index, grouped per chain */
    chain *chains;
    size_t chain_count;
    size_t next_chain;
    size_t active;              /* chains started and not finished */
    sl_http *http;
    sl_api_health own_health;   /* when options.health is NULL */
    int reconcile_only;         /* after a stop: read back, settle, send nothing */
    int out_of_memory;
};

/* A write of some planned fulfillments of one chain (a plan request, or a re-send). */
typedef struct write_request {
    sl_submit *submit;
    chain *chain;
    sl_plan_kind kind;
    size_t count;
    size_t entries[];           /* count planned fulfillments */
} write_request;

/* A new write of count entries (entries[] left to fill); NULL when out of memory. */
write_request *sl_submit_write_new(sl_submit *submit, chain *c, sl_plan_kind kind, size_t count);

/* submit.c */
const char *sl_submit_chain_order(const sl_submit *submit, const chain *c);  /* its order's id */
/* Notes a completed request in the API's health; stops the client when it is unreachable. */
void sl_submit_note_health(sl_submit *submit, sl_http *http, const sl_http_response *response);
void sl_submit_settle(sl_submit *submit, size_t fulfillment, sl_status status, sl_code code,
                   const char *fulfillment_id, int http_status, const char *message);
int sl_submit_take(chain *c, const char *fulfillment_id);
chain_reconcile *sl_submit_reconciling(chain *c);  /* made when missing; NULL: out of memory */
void sl_submit_send(sl_submit *submit, write_request *write);
void sl_submit_chain_advance(sl_submit *submit, chain *c);   /* the current request is done */
void sl_submit_chain_stop(sl_submit *submit, chain *c);      /* send nothing more for it */
void sl_submit_clear_unknown(chain *c);

/* submit_reconcile.c */
void sl_submit_read_back(sl_submit *submit, chain *c);
void sl_submit_fail_unknown(sl_submit *submit, chain *c, const char *why);

#endif
