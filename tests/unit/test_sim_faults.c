/* test_sim_faults.c: fault decisions: each kind at about its configured rate and no other kind,
 * the same seed giving the same sequence, commit failures only on writes, latency with jitter
 * inside its band, the rate limit per second, the leaky bucket (Shoplazza's: full at 40, and a
 * front's configure_faults turning --rate-limit into its drain rate), and the flag parsers. */
#include <stdlib.h>
#include "faults.h"
#include "front.h"
#include "test_sim_util.h"

#define DRAWS 20000

static void count_kinds(const sim_fault_config *config, int is_write, long counts[],
                        long *commit_fails)
{
    sim_faults faults;
    sim_faults_init(&faults, config);
    memset(counts, 0, SIM_FAULT_KIND_COUNT * sizeof(long));
    *commit_fails = 0;
    for (int i = 0; i < DRAWS; i++) {
        sim_fault_decision decision;
        sim_faults_decide(&faults, is_write, &decision);
        counts[decision.kind]++;
        *commit_fails += decision.commit_fail;
    }
    sim_faults_destroy(&faults);
}

START_TEST(each_rate_alone)
{
    struct { double *field; sim_fault_kind kind; } cases[4];
    sim_fault_config config;
    long counts[SIM_FAULT_KIND_COUNT], commit_fails;
    for (int c = 0; c < 4; c++) {
        memset(&config, 0, sizeof(config));
        config.seed = 3;
        cases[0].field = &config.fail_rate;
        cases[0].kind = SIM_FAULT_FAILED;
        cases[1].field = &config.drop_rate;
        cases[1].kind = SIM_FAULT_DROPPED;
        cases[2].field = &config.hang_rate;
        cases[2].kind = SIM_FAULT_HUNG;
        cases[3].field = &config.commit_fail_rate;
        cases[3].kind = SIM_FAULT_COMMIT_FAILED;
        *cases[c].field = 0.2;
        count_kinds(&config, 1, counts, &commit_fails);
        long hits = cases[c].kind == SIM_FAULT_COMMIT_FAILED ? commit_fails : counts[cases[c].kind];
        ck_assert_msg(hits > DRAWS * 0.18 && hits < DRAWS * 0.22, "kind %d: %ld", c, hits);
        ck_assert_int_eq(counts[SIM_FAULT_NONE] + hits,
                         DRAWS + (cases[c].kind == SIM_FAULT_COMMIT_FAILED ? hits : 0));
        if (cases[c].kind != SIM_FAULT_COMMIT_FAILED)
            ck_assert_int_eq(commit_fails, 0);
    }
    /* commit failures never touch reads */
    memset(&config, 0, sizeof(config));
    config.commit_fail_rate = 0.5;
    count_kinds(&config, 0, counts, &commit_fails);
    ck_assert_int_eq(commit_fails, 0);
    ck_assert_int_eq(counts[SIM_FAULT_NONE], DRAWS);
}
END_TEST

START_TEST(same_seed_same_sequence)
{
    sim_fault_config config = { .fail_rate = 0.3, .drop_rate = 0.1, .seed = 11 };
    sim_faults a, b;
    sim_faults_init(&a, &config);
    sim_faults_init(&b, &config);
    int differs_from_other_seed = 0;
    sim_fault_config other_config = config;
    other_config.seed = 12;
    sim_faults other;
    sim_faults_init(&other, &other_config);
    for (int i = 0; i < 1000; i++) {
        sim_fault_decision x, y, z;
        sim_faults_decide(&a, 0, &x);
        sim_faults_decide(&b, 0, &y);
        sim_faults_decide(&other, 0, &z);
        ck_assert_int_eq(x.kind, y.kind);
        differs_from_other_seed |= x.kind != z.kind;
    }
    ck_assert(differs_from_other_seed);
    sim_faults_reset(&a);
    sim_faults_reset(&b);
    sim_fault_decision x, y;
    sim_faults_decide(&a, 0, &x);
    sim_faults_decide(&b, 0, &y);
    ck_assert_int_eq(x.kind, y.kind);
    sim_faults_destroy(&a);
    sim_faults_destroy(&b);
    sim_faults_destroy(&other);
}
END_TEST

START_TEST(latency_and_rate_limit)
{
    sim_fault_config config = { .latency_ms = 20, .jitter_ms = 5, .rate_limit = 100 };
    sim_faults faults;
    sim_faults_init(&faults, &config);
    long limited = 0, low = 1000, high = 0;
    for (int i = 0; i < 150; i++) {
        sim_fault_decision decision;
        sim_faults_decide(&faults, 0, &decision);
        if (decision.kind == SIM_FAULT_RATE_LIMITED) {
            limited++;
            continue;
        }
        low = decision.delay_ms < low ? decision.delay_ms : low;
        high = decision.delay_ms > high ? decision.delay_ms : high;
    }
    /* 150 decisions in well under a second: 50 refused, fewer if a second boundary fell
     * in between (then the new window lets 100 more through) */
    ck_assert_msg(limited > 0 && limited <= 50, "limited %ld", limited);
    ck_assert(low >= 15 && high <= 25 && high > low);
    sim_faults_destroy(&faults);
    long ms, jitter;
    double rate;
    ck_assert_int_eq(sim_faults_parse_latency("20", &ms, &jitter), 0);
    ck_assert_int_eq(ms, 20);
    ck_assert_int_eq(jitter, 0);
    ck_assert_int_eq(sim_faults_parse_latency("20,5", &ms, &jitter), 0);
    ck_assert_int_eq(jitter, 5);
    ck_assert_int_eq(sim_faults_parse_latency("20,", &ms, &jitter), -1);
    ck_assert_int_eq(sim_faults_parse_latency("x", &ms, &jitter), -1);
    ck_assert_int_eq(sim_faults_parse_rate("0.25", &rate), 0);
    ck_assert_int_eq(sim_faults_parse_rate("1.5", &rate), -1);
    ck_assert_int_eq(sim_faults_parse_rate("-0.1", &rate), -1);
}
END_TEST

/* A bucket that (practically) never drains: the first 40 pass, every later one is refused and
 * not added, and a reset empties it. No timing is assumed beyond a drain of 1e-6/s. */
START_TEST(leaky_bucket)
{
    sim_fault_config config;
    memset(&config, 0, sizeof(config));
    config.rate_limit = 5;
    sim_front_shoplazza.configure_faults(&config);
    ck_assert_int_eq(config.bucket_size, 40);
    ck_assert(config.bucket_drain == 5.0);
    ck_assert_int_eq(config.rate_limit, 0);
    memset(&config, 0, sizeof(config));
    sim_front_shoplazza.configure_faults(&config);
    ck_assert(config.bucket_drain == 2.0);
    config.bucket_drain = 1e-6;
    sim_faults faults;
    sim_faults_init(&faults, &config);
    for (int round = 0; round < 2; round++) {
        int passed = 0, refused = 0;
        for (int i = 0; i < 45; i++) {
            sim_fault_decision decision;
            sim_faults_decide(&faults, 0, &decision);
            if (decision.kind == SIM_FAULT_RATE_LIMITED)
                refused++;
            else
                passed += i < 40;
        }
        ck_assert_int_eq(passed, 40);
        ck_assert_int_eq(refused, 5);
        sim_faults_reset(&faults);
    }
    sim_faults_destroy(&faults);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("sim_faults");
    TCase *tc = tcase_create("faults");
    tcase_add_test(tc, each_rate_alone);
    tcase_add_test(tc, same_seed_same_sequence);
    tcase_add_test(tc, latency_and_rate_limit);
    tcase_add_test(tc, leaky_bucket);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
