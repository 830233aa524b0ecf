/* export_select.c: what is waiting to ship (spec §12): unit items with remaining quantity
 * (quantity - fulfilled quantity) > 0, in units that are not shipped, delivered, canceled or
 * refunded, of orders that are not canceled; --order-status, --status and --location narrow it
 * (in the platform's own status words). Pure functions over decoded orders: no I/O. */
#include <string.h>
#include "shipload/export.h"

static int in_list(const char *value, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(value, list[i]) == 0)
            return 1;
    return 0;
}

int sl_export_order_wanted(const sl_export_filter *filter, const sl_order *order)
{
    const char *status = order->status_text ? order->status_text : "";
    if (order->status == SL_ORDER_STATUS_CANCELED)
        return 0;
    if (filter && filter->order_statuses)
        return in_list(status, filter->order_statuses, filter->order_status_count);
    return 1;
}

static int package_wanted(const sl_export_filter *filter, const sl_unit *package)
{
    const char *status = package->status_text ? package->status_text : "";
    if (!package->items_known || sl_unit_closed(package))
        return 0;
    if (filter && filter->package_statuses &&
        !in_list(status, filter->package_statuses, filter->package_status_count))
        return 0;
    if (filter && filter->location_id &&
        (!package->location_id || strcmp(package->location_id, filter->location_id) != 0))
        return 0;
    return 1;
}

size_t sl_export_select_package(const sl_export_filter *filter, const sl_unit *package,
                                sl_export_line *lines)
{
    if (!package_wanted(filter, package))
        return 0;
    size_t count = 0;
    for (size_t i = 0; i < package->item_count; i++) {
        const sl_item *item = &package->items[i];
        long remaining = item->quantity - item->fulfilled_quantity;
        if (remaining > 0)
            lines[count++] = (sl_export_line){ item, remaining };
    }
    return count;
}
