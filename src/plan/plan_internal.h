/* plan_internal.h: the plan's layout, shared by the plan stage's files (build, requests,
 * reconciliation). Private to the plan stage. */
#ifndef SHIPLOAD_PLAN_INTERNAL_H
#define SHIPLOAD_PLAN_INTERNAL_H

#include "shipload/plan.h"

/* value, or NULL when it is NULL or empty: what a planned fulfillment sends of a row's text. */
static inline const char *sl_plan_text_or_null(const char *value)
{
    return value && value[0] ? value : NULL;
}

/* The planned fulfillments' row and item lists: each fulfillment's are a slice of these
 * (plan_build.c), which its offsets (rows_at, target.items_at) name (its tracking numbers are
 * its rows': sl_planned_tracking). texts
 * holds the plan's copies of what it sends of the orders (item ids, the fulfillment an update
 * names), so that the orders can be freed before the writes. */
typedef struct sl_plan_lists {
    uint32_t *rows;
    sl_item *items;
    char *texts;
} sl_plan_lists;

/* A planned fulfillment's slices of lists. */
static inline uint32_t *sl_plan_rows_of(const sl_plan_lists *lists,
                                        const sl_planned_fulfillment *planned)
{
    return lists->rows + planned->rows_at;
}

static inline sl_item *sl_plan_items_of(const sl_plan_lists *lists,
                                        const sl_planned_fulfillment *planned)
{
    return planned->kind == SL_PLAN_CREATE && planned->item_count
               ? lists->items + planned->target.items_at : NULL;
}

struct sl_plan {
    sl_planned_fulfillment *fulfillments;   /* request by request, entries in order */
    size_t fulfillment_count;
    sl_planned_request *requests;           /* by first row index */
    size_t request_count;
    sl_plan_lists lists;                    /* owned: what the fulfillments' lists point into */
    const sl_row *rows;                     /* borrowed: the rows it was built from */
    /* sl_plan_options': what the first rows' status and carrier code are derived with */
    const char *default_status;
    const char *(*carrier_code)(const char *carrier, void *data);
    void *carrier_code_data;
    char *(*keep_id)(const char *fulfillment_id, void *data);   /* sl_plan_options' */
    void *keep_id_data;
};

#endif
