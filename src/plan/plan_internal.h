/* plan_internal.h: the plan's layout, shared by the plan stage's files (build, requests,
 * reconciliation). Private to the plan stage. */
#ifndef SHIPLOAD_PLAN_INTERNAL_H
#define SHIPLOAD_PLAN_INTERNAL_H

#include "shipload/plan.h"

struct sl_plan {
    sl_planned_fulfillment *fulfillments;   /* request by request, entries in order */
    size_t fulfillment_count;
    sl_planned_request *requests;           /* by first row index */
    size_t request_count;
};

#endif
