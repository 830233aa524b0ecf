/* order_reads.c: which looked-up orders need a further read before matching (match.h step 4):
 * the units' items when summaries lack them, the order's fulfillments when
 * something was already shipped (duplicates are recognised by the fulfillments' tracking
 * numbers) or a row updates or cancels. A fresh order needs neither, which keeps an import at
 * about two requests per order (one lookup, one bulk write). Sends nothing itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "match/match_internal.h"
#include "match/strmap.h"

int sl_order_needs_packages(const sl_order *order)
{
    for (size_t p = 0; p < order->unit_count; p++)
        if (!order->units[p].items_known)
            return 1;
    return 0;
}

int sl_order_has_shipped(const sl_order *order)
{
    for (size_t p = 0; p < order->unit_count; p++) {
        const sl_unit *package = &order->units[p];
        if (package->status == SL_UNIT_STATUS_SHIPPED ||
            package->status == SL_UNIT_STATUS_DELIVERED)
            return 1;
        for (size_t i = 0; i < package->item_count; i++)
            if (package->items[i].fulfilled_quantity > 0)
                return 1;
    }
    if (order->shipping != SL_ORDER_SHIPPING_UNKNOWN)
        return order->shipping != SL_ORDER_SHIPPING_NONE;
    /* no order-level status: the package items are the only witness */
    return sl_order_needs_packages(order);
}

int sl_order_needs_fulfillments(const sl_order *order, int has_update_or_cancel)
{
    if (order->fulfillments_known)
        return 0;
    return has_update_or_cancel || sl_order_has_shipped(order);
}

/* An order the pending rows resolve to, and whether one of them updates or cancels. */
typedef struct wanted_order {
    sl_order *order;
    int has_update_or_cancel;
} wanted_order;

/* The distinct orders of the pending rows, in first-row order. */
static int collect_orders(const sl_order_index *index, const sl_row *rows, size_t count,
                          wanted_order **wanted, size_t *wanted_count, sl_error *err)
{
    sl_strmap *seen = sl_strmap_new(count / 2 + 16);
    wanted_order *list = NULL;
    size_t used = 0, cap = 0;
    *wanted = NULL;
    *wanted_count = 0;
    if (!seen)
        return sl_error_set(err, "out of memory");
    for (size_t i = 0; i < count; i++) {
        sl_order_lookup lookup;
        if (rows[i].status != SL_STATUS_PENDING ||
            !sl_order_index_resolve(index, rows[i].order_ref, rows[i].order_ref_kind, &lookup))
            continue;
        int changes = rows[i].action != SL_ACTION_SHIP;
        uintptr_t slot = (uintptr_t)sl_strmap_get(seen, lookup.order->id);
        if (slot) {
            list[slot - 1].has_update_or_cancel |= changes;
            continue;
        }
        if (used == cap) {
            size_t new_cap = cap ? cap * 2 : 64;
            wanted_order *grown = realloc(list, new_cap * sizeof(*grown));
            if (!grown)
                goto oom;
            list = grown;
            cap = new_cap;
        }
        list[used] = (wanted_order){ lookup.order, changes };
        if (sl_strmap_put(seen, lookup.order->id, (void *)(uintptr_t)(used + 1)))
            goto oom;
        used++;
    }
    sl_strmap_free(seen);
    *wanted = list;
    *wanted_count = used;
    return 0;
oom:
    sl_strmap_free(seen);
    free(list);
    return sl_error_set(err, "out of memory");
}

static int orders_needing(sl_order_index *index, const sl_row *rows, size_t count,
                          int fulfillments, sl_order ***orders, size_t *order_count,
                          sl_error *err)
{
    wanted_order *wanted;
    size_t wanted_count;
    *orders = NULL;
    *order_count = 0;
    if (collect_orders(index, rows, count, &wanted, &wanted_count, err))
        return -1;
    sl_order **list = wanted_count ? malloc(wanted_count * sizeof(*list)) : NULL;
    if (wanted_count && !list) {
        free(wanted);
        return sl_error_set(err, "out of memory");
    }
    size_t used = 0;
    for (size_t i = 0; i < wanted_count; i++) {
        const sl_order *order = wanted[i].order;
        int needed = fulfillments
            ? sl_order_needs_fulfillments(order, wanted[i].has_update_or_cancel)
            : sl_order_needs_packages(order);
        if (needed)
            list[used++] = wanted[i].order;
    }
    free(wanted);
    if (used == 0) {
        free(list);
        list = NULL;
    }
    *orders = list;
    *order_count = used;
    return 0;
}

int sl_order_index_orders_needing_packages(sl_order_index *index, const sl_row *rows,
                                           size_t count, sl_order ***orders, size_t *order_count,
                                           sl_error *err)
{
    return orders_needing(index, rows, count, 0, orders, order_count, err);
}

int sl_order_index_orders_needing_fulfillments(sl_order_index *index, const sl_row *rows,
                                               size_t count, sl_order ***orders,
                                               size_t *order_count, sl_error *err)
{
    return orders_needing(index, rows, count, 1, orders, order_count, err);
}
