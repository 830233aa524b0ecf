/* faults.h: deterministic fault injection. Every API request draws its fate from the fault seed
 * and its arrival number (so a given seed and request order always give the same faults):
 * rate limiting (per wall-clock second), dropped connections, 503 failures, hangs, commit
 * failures (writes only) and added latency. The rate limit is either fixed one-second windows
 * or a leaky bucket (a front's choice). It decides; the server carries the decision out. */
#ifndef SIM_FAULTS_H
#define SIM_FAULTS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include "stats.h"

typedef struct sim_fault_config {
    long latency_ms, jitter_ms;     /* answer delay: latency ± jitter (uniform) */
    long rate_limit;                /* requests per second (fixed windows); 0 = none */
    long bucket_size;               /* > 0: a leaky bucket of this size instead (Shoplazza) */
    double bucket_drain;            /* requests per second the bucket drains */
    double fail_rate;               /* 503, nothing applied */
    double commit_fail_rate;        /* writes: applied, answered 500 */
    double drop_rate;               /* connection closed before processing, nothing applied */
    double hang_rate;               /* processed, answered after hang_ms */
    long hang_ms;                   /* 60000 */
    uint64_t seed;
} sim_fault_config;

typedef struct sim_fault_decision {
    sim_fault_kind kind;            /* NONE, RATE_LIMITED, DROPPED, FAILED or HUNG */
    int commit_fail;                /* a write: answer 500 after applying */
    long delay_ms;                  /* before answering */
} sim_fault_decision;

typedef struct sim_faults {
    sim_fault_config config;
    atomic_ullong sequence;
    pthread_mutex_t window_lock;
    int64_t window_second;
    long window_count;
    double bucket_level;            /* requests in the bucket at bucket_ns */
    int64_t bucket_ns;
} sim_faults;

void sim_faults_init(sim_faults *faults, const sim_fault_config *config);
void sim_faults_destroy(sim_faults *faults);
void sim_faults_reset(sim_faults *faults);      /* back to the first draw */
void sim_faults_decide(sim_faults *faults, int is_write, sim_fault_decision *out);
/* "MS" or "MS,JITTER"; a probability in [0,1]. Return -1 on a bad value. */
int sim_faults_parse_latency(const char *text, long *ms, long *jitter);
int sim_faults_parse_rate(const char *text, double *rate);

#endif
