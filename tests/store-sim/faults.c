/* faults.c: deterministic fault decisions (see faults.h). Draws come from splitmix64 over
 * (seed, request number, draw index), so they do not depend on thread timing beyond the order
 * in which requests arrive. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "faults.h"

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/* A uniform number in [0, 1) for draw `index` of request `number`. */
static double draw(uint64_t seed, uint64_t number, unsigned index)
{
    uint64_t bits = splitmix64(seed ^ splitmix64(number * 8 + index));
    return (double)(bits >> 11) / 9007199254740992.0;
}

void sim_faults_init(sim_faults *faults, const sim_fault_config *config)
{
    memset(faults, 0, sizeof(*faults));
    faults->config = *config;
    if (faults->config.hang_ms <= 0)
        faults->config.hang_ms = 60000;
    atomic_init(&faults->sequence, 0);
    pthread_mutex_init(&faults->window_lock, NULL);
}

void sim_faults_destroy(sim_faults *faults)
{
    pthread_mutex_destroy(&faults->window_lock);
}

void sim_faults_reset(sim_faults *faults)
{
    atomic_store(&faults->sequence, 0);
    pthread_mutex_lock(&faults->window_lock);
    faults->window_second = 0;
    faults->window_count = 0;
    faults->bucket_level = 0;
    faults->bucket_ns = 0;
    pthread_mutex_unlock(&faults->window_lock);
}

/* A leaky bucket on the monotonic clock: it drains bucket_drain requests per second; a request
 * that would overflow it is refused and not added. */
static int over_bucket(sim_faults *faults)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t now_ns = (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
    pthread_mutex_lock(&faults->window_lock);
    if (faults->bucket_ns > 0) {
        double drained = (double)(now_ns - faults->bucket_ns) / 1e9 * faults->config.bucket_drain;
        faults->bucket_level = faults->bucket_level > drained ? faults->bucket_level - drained
                                                              : 0.0;
    }
    faults->bucket_ns = now_ns;
    int over = faults->bucket_level + 1.0 > (double)faults->config.bucket_size + 1e-9;
    if (!over)
        faults->bucket_level += 1.0;
    pthread_mutex_unlock(&faults->window_lock);
    return over;
}

/* Fixed one-second windows on the monotonic clock. */
static int over_rate_limit(sim_faults *faults)
{
    struct timespec now;
    if (faults->config.bucket_size > 0)
        return over_bucket(faults);
    if (faults->config.rate_limit <= 0)
        return 0;
    clock_gettime(CLOCK_MONOTONIC, &now);
    pthread_mutex_lock(&faults->window_lock);
    if (now.tv_sec != faults->window_second) {
        faults->window_second = now.tv_sec;
        faults->window_count = 0;
    }
    int over = ++faults->window_count > faults->config.rate_limit;
    pthread_mutex_unlock(&faults->window_lock);
    return over;
}

void sim_faults_decide(sim_faults *faults, int is_write, sim_fault_decision *out)
{
    const sim_fault_config *config = &faults->config;
    uint64_t number = atomic_fetch_add(&faults->sequence, 1);
    memset(out, 0, sizeof(*out));
    if (over_rate_limit(faults)) {
        out->kind = SIM_FAULT_RATE_LIMITED;
        return;
    }
    if (config->drop_rate > 0 && draw(config->seed, number, 0) < config->drop_rate) {
        out->kind = SIM_FAULT_DROPPED;
        return;
    }
    if (config->fail_rate > 0 && draw(config->seed, number, 1) < config->fail_rate) {
        out->kind = SIM_FAULT_FAILED;
        return;
    }
    out->delay_ms = config->latency_ms;
    if (config->jitter_ms > 0)
        out->delay_ms += (long)((2.0 * draw(config->seed, number, 2) - 1.0) *
                                (double)config->jitter_ms);
    if (out->delay_ms < 0)
        out->delay_ms = 0;
    if (config->hang_rate > 0 && draw(config->seed, number, 3) < config->hang_rate) {
        out->kind = SIM_FAULT_HUNG;
        out->delay_ms = config->hang_ms;
    }
    if (is_write && config->commit_fail_rate > 0 &&
        draw(config->seed, number, 4) < config->commit_fail_rate)
        out->commit_fail = 1;
}

static int parse_long(const char *text, long *out)
{
    char *end = NULL;
    long value = strtol(text, &end, 10);
    if (end == text || value < 0 || value > 3600000)
        return -1;
    *out = value;
    return (int)(end - text);
}

int sim_faults_parse_latency(const char *text, long *ms, long *jitter)
{
    int used = parse_long(text, ms);
    *jitter = 0;
    if (used < 0)
        return -1;
    if (text[used] == '\0')
        return 0;
    if (text[used] != ',')
        return -1;
    int more = parse_long(text + used + 1, jitter);
    return more < 0 || text[used + 1 + more] != '\0' ? -1 : 0;
}

int sim_faults_parse_rate(const char *text, double *rate)
{
    char *end = NULL;
    double value = strtod(text, &end);
    if (end == text || *end || !(value >= 0.0 && value <= 1.0))
        return -1;
    *rate = value;
    return 0;
}
