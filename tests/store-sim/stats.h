/* stats.h: request counters for GET /__sim/stats: by route (method and path pattern) and HTTP
 * status, the faults injected, and the writes applied. Lock-free (atomics); it does not decide
 * anything, it only counts. */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include <stdatomic.h>
#include <jansson.h>

#define SIM_STATS_MAX_ROUTES 24
#define SIM_STATS_STATUS_SLOTS 16       /* see status_slots in stats.c; slot 0 is "dropped" */

typedef enum sim_fault_kind {
    SIM_FAULT_NONE, SIM_FAULT_RATE_LIMITED, SIM_FAULT_DROPPED, SIM_FAULT_FAILED, SIM_FAULT_HUNG,
    SIM_FAULT_COMMIT_FAILED, SIM_FAULT_KIND_COUNT
} sim_fault_kind;

typedef struct sim_stats {
    atomic_long counts[SIM_STATS_MAX_ROUTES][SIM_STATS_STATUS_SLOTS];
    atomic_long faults[SIM_FAULT_KIND_COUNT];
    atomic_long write_requests_applied;
    atomic_long total;
} sim_stats;

void sim_stats_reset(sim_stats *stats);
/* status 0 means the connection was dropped without an answer. */
void sim_stats_count(sim_stats *stats, size_t route, int status);
void sim_stats_fault(sim_stats *stats, sim_fault_kind kind);
const char *sim_fault_kind_name(sim_fault_kind kind);
/* labels[i] names route i ("GET /api/v2/orders/{orderId}"). */
json_t *sim_stats_json(sim_stats *stats, const char *const *labels, size_t route_count);

#endif
