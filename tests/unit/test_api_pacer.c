/* test_api_pacer.c: the token bucket with AIMD (src/api/pacer.h) on a fake clock: the burst
 * and the pace of a known limit, a 429 that cuts once per window and holds until the bucket
 * drained, slow recovery never past the limit, the discovery of an unknown limit; and two
 * simulated stores driven millisecond by millisecond (a fixed window of 50 a second answering
 * Retry-After: 1, as store-sim's --rate-limit; Shoplazza's leaky bucket of 40 draining 2 a
 * second) with requests in flight, so that concurrency is part of what is tested. No wall
 * clock anywhere. */
#include <check.h>
#include <stdint.h>
#include <string.h>
#include "api/pacer.h"

/* How many starts the pacer allows at one instant. */
static int drain_now(sl_pacer *pacer, uint64_t now)
{
    int started = 0;
    while (sl_pacer_take(pacer, now) && started < 100000)
        started++;
    return started;
}

START_TEST(known_rate_allows_its_burst_then_its_pace)
{
    sl_pacer pacer;
    sl_pacer_init(&pacer, 2.0, 40, 1000);
    ck_assert_int_eq(drain_now(&pacer, 1000), 30);        /* three quarters of the bucket */
    ck_assert_uint_eq(sl_pacer_ready_at(&pacer, 1000), 1501);
    ck_assert_int_eq(sl_pacer_take(&pacer, 1400), 0);
    ck_assert_int_eq(sl_pacer_take(&pacer, 1501), 1);
    ck_assert_int_eq(sl_pacer_take(&pacer, 1501), 0);
    /* ten seconds later: 20 tokens, never more than the bucket */
    ck_assert_int_eq(drain_now(&pacer, 11501), 20);
    ck_assert_int_eq(drain_now(&pacer, 1000000), 40);
    ck_assert(sl_pacer_settled(&pacer) > 1.99 && sl_pacer_settled(&pacer) < 2.01);
}
END_TEST

START_TEST(rate_without_burst_is_one_at_a_time)
{
    sl_pacer pacer;
    sl_pacer_init(&pacer, 4.0, 0, 0);
    ck_assert_int_eq(drain_now(&pacer, 0), 1);
    ck_assert_int_eq(drain_now(&pacer, 250), 1);
    ck_assert_int_eq(drain_now(&pacer, 300), 0);
    ck_assert_int_eq(drain_now(&pacer, 10000), 1);        /* the bucket holds one */
}
END_TEST

START_TEST(unknown_limit_starts_unpaced)
{
    sl_pacer pacer;
    sl_pacer_init(&pacer, 0, 0, 0);
    ck_assert_int_eq(drain_now(&pacer, 0), 100000);
    ck_assert_uint_eq(sl_pacer_ready_at(&pacer, 5), 5);
    ck_assert(sl_pacer_settled(&pacer) == 0.0);
}
END_TEST

START_TEST(first_429_takes_what_the_store_let_through)
{
    sl_pacer pacer;
    sl_pacer_init(&pacer, 0, 0, 0);
    for (int i = 0; i < 60; i++)          /* 60 answers over the last second */
        sl_pacer_on_answer(&pacer, 1000 + (uint64_t)i * 15);
    long wait = sl_pacer_on_limited(&pacer, 1900, -1);
    ck_assert(pacer.rate > 53.9 && pacer.rate < 54.1);    /* 60 x 0.9 */
    ck_assert_int_eq(wait, 100);           /* a bucket of a tenth of a second, drained */
    ck_assert_int_eq(sl_pacer_take(&pacer, 1950), 0);     /* held */
    ck_assert_int_eq(sl_pacer_take(&pacer, 2000), 1);
}
END_TEST

START_TEST(a_429_cuts_once_per_window_and_holds_until_drained)
{
    sl_pacer pacer;
    sl_pacer_init(&pacer, 2.0, 40, 0);
    long wait = sl_pacer_on_limited(&pacer, 100, -1);
    ck_assert(pacer.rate > 1.59 && pacer.rate < 1.61);
    ck_assert_int_eq(wait, 25000);         /* 40 tokens at 1.6 a second */
    /* the others in flight answer 429 too: no further cut */
    sl_pacer_on_limited(&pacer, 150, -1);
    ck_assert_int_eq(sl_pacer_take(&pacer, 20000), 0);
    ck_assert_uint_eq(sl_pacer_ready_at(&pacer, 20000), 25150);
    ck_assert_int_eq(sl_pacer_take(&pacer, 25150), 1);    /* refilled meanwhile */
    sl_pacer_on_limited(&pacer, 26000, -1);               /* the retries' window: held again */
    ck_assert(pacer.rate > 1.59 && pacer.rate < 1.61);
    ck_assert_uint_eq(pacer.limited, 3);
    ck_assert_uint_eq(pacer.decreases, 1);
    ck_assert_uint_eq(sl_pacer_ready_at(&pacer, 26000), 51000);
    /* a 429 after the window cuts again */
    sl_pacer_on_limited(&pacer, 60000, 3000);
    ck_assert(pacer.rate > 1.27 && pacer.rate < 1.29);
    ck_assert_uint_eq(sl_pacer_ready_at(&pacer, 60000), 63000);   /* Retry-After */
}
END_TEST

START_TEST(recovery_is_slow_and_stops_at_the_limit)
{
    sl_pacer pacer;
    sl_pacer_init(&pacer, 50.0, 0, 0);
    sl_pacer_on_limited(&pacer, 0, 1000);
    ck_assert(pacer.rate > 39.9 && pacer.rate < 40.1);
    uint64_t now = 1000;
    for (int i = 0; i < 40; i++, now += 25)   /* one second of answers at 40 a second */
        sl_pacer_on_answer(&pacer, now);
    ck_assert(pacer.rate > 40.5 && pacer.rate < 41.5);    /* +1 a second */
    for (int i = 0; i < 5000; i++, now += 20)
        sl_pacer_on_answer(&pacer, now);
    ck_assert(pacer.rate == 50.0);
}
END_TEST

/* ---- simulated stores: requests in flight, answers after a latency ---- */

#define SIM_SLOTS 64

typedef struct sim {
    int concurrency;
    int latency_ms;
    uint64_t answer_at[SIM_SLOTS];  /* 0: slot idle */
    int limited[SIM_SLOTS];
    long retry_after;               /* the store's Retry-After in ms; -1: none */
    /* fixed windows */
    int window_limit;
    uint64_t window;
    int window_count;
    /* leaky bucket */
    double bucket, bucket_size, drain;
    uint64_t bucket_ms;
    unsigned long sent, refused;
} sim;

static int store_refuses(sim *s, uint64_t now)
{
    if (s->window_limit) {
        if (now / 1000 != s->window) {
            s->window = now / 1000;
            s->window_count = 0;
        }
        return ++s->window_count > s->window_limit;
    }
    s->bucket -= s->drain * (double)(now - s->bucket_ms) / 1000.0;
    if (s->bucket < 0)
        s->bucket = 0;
    s->bucket_ms = now;
    if (s->bucket + 1.0 > s->bucket_size + 1e-9)
        return 1;
    s->bucket += 1.0;
    return 0;
}

/* Runs until `requests` have been answered other than 429; returns the end time. */
static uint64_t simulate(sim *s, sl_pacer *pacer, unsigned long requests)
{
    unsigned long done = 0;
    uint64_t now = 0;
    for (; done < requests && now < 10000000; now++) {
        for (int i = 0; i < s->concurrency; i++) {
            if (!s->answer_at[i] || s->answer_at[i] > now)
                continue;
            s->answer_at[i] = 0;
            if (s->limited[i]) {
                sl_pacer_on_limited(pacer, now, s->retry_after);
            } else {
                sl_pacer_on_answer(pacer, now);
                done++;
            }
        }
        for (int i = 0; i < s->concurrency && done + 0 < requests; i++) {
            if (s->answer_at[i] || !sl_pacer_take(pacer, now))
                continue;
            s->sent++;
            s->limited[i] = store_refuses(s, now);
            s->refused += (unsigned long)s->limited[i];
            s->answer_at[i] = now + (uint64_t)s->latency_ms;
        }
    }
    return now;
}

START_TEST(finds_an_unknown_fixed_window_limit)
{
    sim s;
    memset(&s, 0, sizeof(s));
    s.concurrency = 8;
    s.latency_ms = 5;
    s.retry_after = 1000;
    s.window_limit = 50;
    sl_pacer pacer;
    sl_pacer_init(&pacer, 0, 0, 0);
    uint64_t end = simulate(&s, &pacer, 6000);
    double refused_share = (double)s.refused / (double)s.sent;
    double settled = sl_pacer_settled(&pacer);
    double achieved = 6000.0 * 1000.0 / (double)end;
    ck_assert_msg(refused_share < 0.05, "429s: %lu of %lu", s.refused, s.sent);
    ck_assert_msg(settled > 40.0 && settled < 60.0, "settled at %.1f", settled);
    ck_assert_msg(achieved > 40.0, "achieved %.1f a second", achieved);
}
END_TEST

START_TEST(keeps_under_a_known_leaky_bucket)
{
    sim s;
    memset(&s, 0, sizeof(s));
    s.concurrency = 8;
    s.latency_ms = 30;
    s.retry_after = -1;
    s.bucket_size = 40;
    s.drain = 2.0;
    sl_pacer pacer;
    sl_pacer_init(&pacer, 2.0, 40, 0);
    uint64_t end = simulate(&s, &pacer, 1000);
    ck_assert_uint_eq(s.refused, 0);
    /* (1000 - 30 at once) / 2 a second */
    ck_assert_msg(end >= 484000 && end <= 486000, "ended at %llu ms", (unsigned long long)end);
}
END_TEST

START_TEST(a_known_limit_too_high_comes_down)
{
    sim s;
    memset(&s, 0, sizeof(s));
    s.concurrency = 8;
    s.latency_ms = 30;
    s.retry_after = -1;
    s.bucket_size = 40;
    s.drain = 2.0;
    sl_pacer pacer;
    sl_pacer_init(&pacer, 10.0, 40, 0);   /* told 10 a second: the store drains 2 */
    uint64_t end = simulate(&s, &pacer, 1000);
    ck_assert_msg(end < 10000000, "never finished");
    /* each cut costs a bucket's worth of waiting and the 429s of what was in flight: a known
     * limit five times too high is found at a price, but found */
    ck_assert_msg((double)s.refused / (double)s.sent < 0.25, "429s: %lu of %lu", s.refused,
                  s.sent);
    ck_assert_msg(pacer.decreases >= 3 && pacer.rate < 8.0, "rate %.2f after %lu cuts",
                  pacer.rate, pacer.decreases);
}
END_TEST

static Suite *pacer_suite(void)
{
    Suite *suite = suite_create("api_pacer");
    TCase *tc = tcase_create("pacer");
    tcase_add_test(tc, known_rate_allows_its_burst_then_its_pace);
    tcase_add_test(tc, rate_without_burst_is_one_at_a_time);
    tcase_add_test(tc, unknown_limit_starts_unpaced);
    tcase_add_test(tc, first_429_takes_what_the_store_let_through);
    tcase_add_test(tc, a_429_cuts_once_per_window_and_holds_until_drained);
    tcase_add_test(tc, recovery_is_slow_and_stops_at_the_limit);
    tcase_add_test(tc, finds_an_unknown_fixed_window_limit);
    tcase_add_test(tc, keeps_under_a_known_leaky_bucket);
    tcase_add_test(tc, a_known_limit_too_high_comes_down);
    suite_add_tcase(suite, tc);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(pacer_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? 1 : 0;
}
