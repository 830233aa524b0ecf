/* stats.c: request, fault and write counters (see stats.h). */
#include <stdio.h>
#include "stats.h"

static const int status_slots[SIM_STATS_STATUS_SLOTS] = {
    0, 200, 201, 207, 400, 401, 404, 405, 409, 413, 422, 429, 500, 502, 503, -1,
};

static const char *const fault_names[SIM_FAULT_KIND_COUNT] = {
    "none", "rateLimited", "dropped", "failed", "hung", "commitFailed",
};

const char *sim_fault_kind_name(sim_fault_kind kind)
{
    return kind < SIM_FAULT_KIND_COUNT ? fault_names[kind] : "none";
}

static size_t slot_of(int status)
{
    for (size_t i = 0; i < SIM_STATS_STATUS_SLOTS - 1; i++)
        if (status_slots[i] == status)
            return i;
    return SIM_STATS_STATUS_SLOTS - 1;      /* any other status */
}

void sim_stats_reset(sim_stats *stats)
{
    for (size_t r = 0; r < SIM_STATS_MAX_ROUTES; r++)
        for (size_t s = 0; s < SIM_STATS_STATUS_SLOTS; s++)
            atomic_store(&stats->counts[r][s], 0);
    for (size_t k = 0; k < SIM_FAULT_KIND_COUNT; k++)
        atomic_store(&stats->faults[k], 0);
    atomic_store(&stats->write_requests_applied, 0);
    atomic_store(&stats->total, 0);
}

void sim_stats_count(sim_stats *stats, size_t route, int status)
{
    if (route >= SIM_STATS_MAX_ROUTES)
        route = SIM_STATS_MAX_ROUTES - 1;
    atomic_fetch_add(&stats->counts[route][slot_of(status)], 1);
    atomic_fetch_add(&stats->total, 1);
}

void sim_stats_fault(sim_stats *stats, sim_fault_kind kind)
{
    if (kind > SIM_FAULT_NONE && kind < SIM_FAULT_KIND_COUNT)
        atomic_fetch_add(&stats->faults[kind], 1);
}

static const char *slot_name(size_t slot, char buffer[16])
{
    if (status_slots[slot] == 0)
        return "dropped";
    if (status_slots[slot] < 0)
        return "other";
    snprintf(buffer, 16, "%d", status_slots[slot]);
    return buffer;
}

json_t *sim_stats_json(sim_stats *stats, const char *const *labels, size_t route_count)
{
    json_t *by_route = json_object(), *by_status = json_object(), *faults = json_object();
    char buffer[16];
    for (size_t r = 0; r < route_count && r < SIM_STATS_MAX_ROUTES; r++) {
        json_t *statuses = json_object();
        for (size_t s = 0; s < SIM_STATS_STATUS_SLOTS; s++) {
            long count = atomic_load(&stats->counts[r][s]);
            if (count == 0)
                continue;
            const char *name = slot_name(s, buffer);
            json_object_set_new(statuses, name, json_integer(count));
            json_t *sum = json_object_get(by_status, name);
            json_object_set_new(by_status, name,
                                json_integer(count + (sum ? json_integer_value(sum) : 0)));
        }
        if (json_object_size(statuses) > 0)
            json_object_set_new(by_route, labels[r], statuses);
        else
            json_decref(statuses);
    }
    for (size_t k = 1; k < SIM_FAULT_KIND_COUNT; k++)
        json_object_set_new(faults, fault_names[k], json_integer(atomic_load(&stats->faults[k])));
    return json_pack("{s:I, s:o, s:o, s:o}", "total", (json_int_t)atomic_load(&stats->total),
                     "byRoute", by_route, "byStatus", by_status, "faults", faults);
}
