/* plan_reconcile.c: after a write whose outcome is unknown, tells which planned fulfillments
 * landed, from the order as read back (plan.h), so only the others are sent again. A store
 * fulfillment is attributed to one planned fulfillment at most: creates naming items are
 * matched first (items must agree when the store lists them), then whole-package creates.
 * Reading the order back is the engine's job. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "plan/plan_internal.h"

/* number is one of the planned fulfillment's (its rows'), case aside. */
static int planned_has(const sl_plan *plan, const sl_planned_fulfillment *planned,
                       const char *number)
{
    const uint32_t *rows = sl_planned_rows(plan, planned);
    for (size_t r = 0; r < planned->row_count; r++) {
        const sl_row *row = &plan->rows[rows[r]];
        for (size_t i = 0; i < row->tracking_count; i++)
            if (strcasecmp(row->tracking_numbers[i], number) == 0)
                return 1;
    }
    return 0;
}

/* The same set of tracking numbers (as sl_tracking_sets_equal compares them), read from the
 * planned fulfillment's rows without a list: each of its numbers is the store's, and each of
 * the store's is one of its. */
static int same_tracking(const sl_plan *plan, const sl_planned_fulfillment *planned,
                         const sl_fulfillment *fulfillment)
{
    const uint32_t *rows = sl_planned_rows(plan, planned);
    for (size_t r = 0; r < planned->row_count; r++) {
        const sl_row *row = &plan->rows[rows[r]];
        for (size_t i = 0; i < row->tracking_count; i++)
            if (!sl_tracking_set_has((const char *const *)fulfillment->tracking_numbers,
                                     fulfillment->tracking_count, row->tracking_numbers[i]))
                return 0;
    }
    for (size_t i = 0; i < fulfillment->tracking_count; i++)
        if (!planned_has(plan, planned, fulfillment->tracking_numbers[i]))
            return 0;
    return 1;
}

/* The store's items agree with the planned ones (same ids, same quantities). */
static int same_items(const sl_plan *plan, const sl_planned_fulfillment *planned,
                      const sl_fulfillment *fulfillment)
{
    const sl_item *items = sl_plan_items_of(&plan->lists, planned);
    if (fulfillment->item_count == 0)
        return 1;               /* not listed: cannot disagree */
    if (fulfillment->item_count != planned->item_count)
        return 0;
    for (size_t i = 0; i < planned->item_count; i++) {
        int found = 0;
        for (size_t j = 0; j < fulfillment->item_count && !found; j++)
            found = fulfillment->items[j].id &&
                    strcmp(fulfillment->items[j].id, items[i].id) == 0 &&
                    fulfillment->items[j].quantity == items[i].quantity;
        if (!found)
            return 0;
    }
    return 1;
}

static int created_by(const sl_plan *plan, const sl_planned_fulfillment *planned,
                      const sl_fulfillment *fulfillment)
{
    return sl_fulfillment_active(fulfillment) && fulfillment->unit_write_id &&
           planned->fulfillment_order_id &&
           strcmp(fulfillment->unit_write_id, planned->fulfillment_order_id) == 0 &&
           same_tracking(plan, planned, fulfillment) &&
           (planned->item_count == 0 || same_items(plan, planned, fulfillment));
}

static int changed_by(const sl_plan *plan, const sl_planned_fulfillment *planned,
                      const sl_fulfillment *fulfillment)
{
    if (!fulfillment->id || strcmp(fulfillment->id, sl_planned_fulfillment_id(planned)) != 0)
        return 0;
    if (planned->kind == SL_PLAN_CANCEL)
        return !sl_fulfillment_active(fulfillment);
    if (planned->kind == SL_PLAN_STATUS) {
        const char *status = sl_planned_status(plan, planned);
        return sl_fulfillment_active(fulfillment) && fulfillment->status_text &&
               status && strcasecmp(fulfillment->status_text, status) == 0;
    }
    return sl_fulfillment_active(fulfillment) && same_tracking(plan, planned, fulfillment);
}

static int is_taken(const sl_fulfillment *fulfillment, const char *const *taken_ids,
                    size_t taken_count)
{
    for (size_t i = 0; i < taken_count; i++)
        if (fulfillment->id && taken_ids[i] && strcmp(fulfillment->id, taken_ids[i]) == 0)
            return 1;
    return 0;
}

/* Pass 0: updates and cancels; 1: creates naming items; 2: whole-package creates. */
static int in_pass(const sl_planned_fulfillment *planned, int pass)
{
    if (planned->kind != SL_PLAN_CREATE)
        return pass == 0;
    return pass == (planned->item_count ? 1 : 2);
}

int sl_plan_reconcile(const sl_plan *plan, const size_t *fulfillments, size_t count,
                      const sl_order *read_back, const char *const *taken_ids,
                      size_t taken_count, const char **landed, sl_error *err)
{
    for (size_t i = 0; i < count; i++)
        landed[i] = NULL;
    if (!read_back->fulfillments_known)
        return sl_error_set(err, "order %s was read back without its fulfillments",
                            read_back->id ? read_back->id : "?");
    for (size_t i = 0; i < count; i++)
        if (fulfillments[i] >= plan->fulfillment_count)
            return sl_error_set(err, "no planned fulfillment %zu", fulfillments[i]);
    unsigned char *used = calloc(read_back->fulfillment_count + 1, 1);
    if (!used)
        return sl_error_set(err, "out of memory reconciling order %s", read_back->id);
    for (size_t f = 0; f < read_back->fulfillment_count; f++)
        used[f] = (unsigned char)is_taken(&read_back->fulfillments[f], taken_ids, taken_count);
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < count; i++) {
            const sl_planned_fulfillment *planned = &plan->fulfillments[fulfillments[i]];
            if (!in_pass(planned, pass))
                continue;
            for (size_t f = 0; f < read_back->fulfillment_count && !landed[i]; f++) {
                const sl_fulfillment *fulfillment = &read_back->fulfillments[f];
                int agrees = planned->kind == SL_PLAN_CREATE
                                 ? created_by(plan, planned, fulfillment)
                                 : changed_by(plan, planned, fulfillment);
                if (!agrees)
                    continue;
                /* an update or cancel names its fulfillment: taken or not, it is that one */
                if (planned->kind == SL_PLAN_CREATE) {
                    if (used[f])
                        continue;
                    used[f] = 1;
                }
                landed[i] = fulfillment->id;
            }
        }
    free(used);
    return 0;
}
