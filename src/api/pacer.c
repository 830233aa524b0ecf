/* pacer.c: the token bucket with AIMD of pacer.h. Times are the caller's milliseconds; rates
 * are per second. It decides when a request may start and how long a 429 holds the starts; it
 * does not start, retry or count requests (http.c does). */
#include <string.h>
#include "api/pacer.h"

#define DECREASE 0.8                /* a 429 cuts the rate to this share... */
#define DECREASE_FLOOR 0.5          /* ...or to what the store let through, not below this */
#define STEP_SHARE 0.025            /* additive increase per second, of the rate after a cut */
#define STEP_MIN 0.05
#define RATE_MIN 0.1
#define WINDOW_MS 1000              /* one cut per window: the 429s of requests in flight */
#define SLOT_MS 100                 /* SL_PACER_SLOTS of these make the last second */
#define START_SHARE 0.75            /* of the burst, in the bucket at the start */

static double burst_for(const sl_pacer *pacer, double rate)
{
    if (pacer->fixed_burst)
        return (double)pacer->fixed_burst;
    return rate / 10.0 > 1.0 ? rate / 10.0 : 1.0;
}

static double step_for(double rate)
{
    return rate * STEP_SHARE > STEP_MIN ? rate * STEP_SHARE : STEP_MIN;
}

void sl_pacer_init(sl_pacer *pacer, double rate, unsigned burst, uint64_t now_ms)
{
    memset(pacer, 0, sizeof(*pacer));
    pacer->fixed_burst = burst;
    pacer->refilled_ms = now_ms;
    if (rate > 0) {
        pacer->rate = rate;
        pacer->ceiling = rate;
        pacer->burst = burst_for(pacer, rate);
        pacer->tokens = pacer->burst * START_SHARE;
        if (pacer->tokens < 1.0)
            pacer->tokens = 1.0;
        pacer->step = step_for(rate);
    }
}

static void refill(sl_pacer *pacer, uint64_t now_ms)
{
    if (now_ms <= pacer->refilled_ms)
        return;
    if (pacer->rate > 0) {
        pacer->tokens += pacer->rate * (double)(now_ms - pacer->refilled_ms) / 1000.0;
        if (pacer->tokens > pacer->burst)
            pacer->tokens = pacer->burst;
    }
    pacer->refilled_ms = now_ms;
}

uint64_t sl_pacer_ready_at(const sl_pacer *pacer, uint64_t now_ms)
{
    uint64_t ready = now_ms;
    if (pacer->rate > 0) {
        sl_pacer now = *pacer;
        refill(&now, now_ms);
        if (now.tokens < 1.0)
            ready = now_ms + (uint64_t)((1.0 - now.tokens) * 1000.0 / now.rate) + 1;
    }
    return ready > pacer->hold_ms ? ready : pacer->hold_ms;
}

int sl_pacer_take(sl_pacer *pacer, uint64_t now_ms)
{
    if (now_ms < pacer->hold_ms)
        return 0;
    if (pacer->rate <= 0)
        return 1;
    refill(pacer, now_ms);
    if (pacer->tokens < 1.0)
        return 0;
    pacer->tokens -= 1.0;
    pacer->rate_sum += pacer->rate;
    pacer->paced_starts++;
    return 1;
}

/* Answers counted in the slots of the last second. */
static unsigned answers_last_second(const sl_pacer *pacer, uint64_t now_ms)
{
    uint64_t current = now_ms / SLOT_MS;
    unsigned total = 0;
    for (int i = 0; i < SL_PACER_SLOTS; i++)
        if (pacer->slot_count[i] && pacer->slot_time[i] + SL_PACER_SLOTS > current)
            total += pacer->slot_count[i];
    return total;
}

void sl_pacer_on_answer(sl_pacer *pacer, uint64_t now_ms)
{
    uint64_t slot = now_ms / SLOT_MS;
    int i = (int)(slot % SL_PACER_SLOTS);
    if (pacer->slot_time[i] != slot) {
        pacer->slot_time[i] = slot;
        pacer->slot_count[i] = 0;
    }
    pacer->slot_count[i]++;
    if (pacer->rate <= 0 || (pacer->ceiling > 0 && pacer->rate >= pacer->ceiling))
        return;
    refill(pacer, now_ms);
    pacer->rate += pacer->step / pacer->rate;   /* step per second at full pace */
    if (pacer->ceiling > 0 && pacer->rate > pacer->ceiling)
        pacer->rate = pacer->ceiling;
    pacer->burst = burst_for(pacer, pacer->rate);
}

/* The rate after a 429: what the store let through in the last second when nothing was known,
 * else a multiplicative cut (deeper when the store let fewer through, at most to half). */
static double cut_rate(const sl_pacer *pacer, uint64_t now_ms)
{
    double through = (double)answers_last_second(pacer, now_ms);
    if (pacer->rate <= 0)
        return through > 1.0 ? through * 0.9 : 1.0;
    double cut = pacer->rate * DECREASE;
    if (through > 0 && through < cut)
        cut = through > pacer->rate * DECREASE_FLOOR ? through : pacer->rate * DECREASE_FLOOR;
    return cut > RATE_MIN ? cut : RATE_MIN;
}

long sl_pacer_on_limited(sl_pacer *pacer, uint64_t now_ms, long retry_after_ms)
{
    pacer->limited++;
    refill(pacer, now_ms);
    int cut = now_ms >= pacer->window_end_ms;
    if (cut) {
        pacer->rate = cut_rate(pacer, now_ms);
        pacer->burst = burst_for(pacer, pacer->rate);
        pacer->step = step_for(pacer->rate);
        pacer->decreases++;
    }
    pacer->tokens = 0;
    long wait = retry_after_ms >= 0 ? retry_after_ms
                                    : (long)(pacer->burst * 1000.0 / pacer->rate + 0.5);
    uint64_t until = now_ms + (uint64_t)wait;
    if (until > pacer->hold_ms)
        pacer->hold_ms = until;
    if (cut)   /* the 429s of what was in flight, and of the retries at the hold's end */
        pacer->window_end_ms = pacer->hold_ms + WINDOW_MS;
    return wait;
}

double sl_pacer_settled(const sl_pacer *pacer)
{
    return pacer->paced_starts ? pacer->rate_sum / (double)pacer->paced_starts : 0.0;
}
