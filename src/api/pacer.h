/* pacer.h: the client-side pace of requests to one store (docs/architecture.md, "Pacing"): a
 * token bucket of `burst` tokens refilled at `rate` per second, whose rate moves by AIMD:
 *  - a 429 cuts the rate (multiplicatively, once per congestion window, however many requests
 *    were in flight), empties the bucket, and, when the store named no Retry-After, holds every
 *    start until the bucket has refilled (the store's own bucket drained);
 *  - each other answer raises the rate a little (additively: about a fortieth of the rate the
 *    last 429 found, per second of traffic), never above the known limit.
 * A pacer with no limit known starts unpaced; its first 429 sets the rate from the answers of
 * the second before it (what the store just let through), and AIMD goes on from there.
 * Pure arithmetic on a clock the caller passes in (milliseconds): no I/O, no clock of its own,
 * so the unit test drives it with a fake clock. Used by http.c only; it knows nothing of
 * requests. */
#ifndef SHIPLOAD_API_PACER_H
#define SHIPLOAD_API_PACER_H

#include <stdint.h>

#define SL_PACER_SLOTS 10           /* the answers of the last second, in 100 ms slots */

typedef struct sl_pacer {
    double rate;                    /* tokens per second now; 0: unpaced (no limit known) */
    double ceiling;                 /* the known limit the rate recovers to; 0: none */
    double burst;                   /* bucket capacity, tokens */
    double tokens;
    double step;                    /* additive increase, per second of traffic */
    uint64_t refilled_ms;           /* tokens counted up to here */
    uint64_t hold_ms;               /* nothing starts before (a 429 without Retry-After) */
    uint64_t window_end_ms;         /* a 429 before this does not cut the rate again */
    unsigned fixed_burst;           /* the platform's burst; 0: a tenth of a second's worth */
    uint64_t slot_time[SL_PACER_SLOTS];  /* answers per 100 ms slot, for the discovery */
    unsigned slot_count[SL_PACER_SLOTS];
    unsigned long limited;          /* 429s seen */
    unsigned long decreases;        /* cuts of the rate */
    double rate_sum;                /* the rate at each paced start, summed */
    unsigned long paced_starts;
} sl_pacer;

/* rate: the known limit in requests per second (--rate-limit or the platform's; 0: none,
 * start unpaced); burst: the platform's bucket (0: a tenth of a second's worth, at least 1).
 * The bucket starts three quarters full (another client of the same token, the preflight,
 * may have used some of it). */
void sl_pacer_init(sl_pacer *pacer, double rate, unsigned burst, uint64_t now_ms);

/* When the next start may happen (now_ms or later). */
uint64_t sl_pacer_ready_at(const sl_pacer *pacer, uint64_t now_ms);

/* Takes a token for a start: 1 when one was there (the request may start), else 0. */
int sl_pacer_take(sl_pacer *pacer, uint64_t now_ms);

/* An answer that was not a 429: counts toward the discovery and raises the rate a little. */
void sl_pacer_on_answer(sl_pacer *pacer, uint64_t now_ms);

/* A 429. retry_after_ms: the store's Retry-After (-1: none). Returns the wait before that
 * request is tried again: retry_after_ms when given, else the time the bucket takes to
 * refill (the store's bucket to drain); the pacer holds every start that long too. */
long sl_pacer_on_limited(sl_pacer *pacer, uint64_t now_ms, long retry_after_ms);

/* The rate the run settled on: the mean of the rate over the paced starts (0: never paced). */
double sl_pacer_settled(const sl_pacer *pacer);

#endif
