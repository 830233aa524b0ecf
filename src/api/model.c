/* model.c: releasing the store's data structs of ecart.h (orders, packages, items, fulfillments,
 * bulk results). Building them is ecart.c's job; this file only frees what they own. */
#include <stdlib.h>
#include <string.h>
#include "shipload/ecart.h"

void sl_item_clear(sl_item *item)
{
    free(item->id);
    free(item->sku);
    free(item->name);
    memset(item, 0, sizeof(*item));
}

void sl_items_free(sl_item *items, size_t count)
{
    for (size_t i = 0; i < count; i++)
        sl_item_clear(&items[i]);
    free(items);
}

void sl_address_clear(sl_address *address)
{
    char **fields[] = { &address->first_name, &address->last_name, &address->company,
                        &address->address1, &address->address2, &address->city,
                        &address->state_code, &address->postal_code, &address->country_code,
                        &address->phone, &address->email };
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        free(*fields[i]);
        *fields[i] = NULL;
    }
}

void sl_package_clear(sl_package *package)
{
    if (!package)
        return;
    free(package->id);
    free(package->fulfillment_order_id);
    free(package->number);
    free(package->location_id);
    free(package->status);
    sl_items_free(package->items, package->item_count);
    memset(package, 0, sizeof(*package));
}

void sl_packages_free(sl_package *packages, size_t count)
{
    for (size_t i = 0; i < count; i++)
        sl_package_clear(&packages[i]);
    free(packages);
}

void sl_fulfillment_clear(sl_fulfillment *fulfillment)
{
    if (!fulfillment)
        return;
    free(fulfillment->id);
    free(fulfillment->fulfillment_order_id);
    for (size_t i = 0; i < fulfillment->tracking_count; i++)
        free(fulfillment->tracking_numbers[i]);
    free(fulfillment->tracking_numbers);
    free(fulfillment->company);
    free(fulfillment->url);
    free(fulfillment->status);
    sl_items_free(fulfillment->items, fulfillment->item_count);
    memset(fulfillment, 0, sizeof(*fulfillment));
}

void sl_fulfillments_free(sl_fulfillment *fulfillments, size_t count)
{
    for (size_t i = 0; i < count; i++)
        sl_fulfillment_clear(&fulfillments[i]);
    free(fulfillments);
}

void sl_order_free(sl_order *order)
{
    if (!order)
        return;
    if (order->packed) {    /* sl_order_pack: everything in one block */
        free(order);
        return;
    }
    free(order->id);
    free(order->number);
    free(order->name);
    free(order->status);
    free(order->fulfillment_status);
    free(order->updated_at);
    free(order->shipping_method);
    sl_address_clear(&order->shipping_address);
    sl_items_free(order->items, order->item_count);
    sl_packages_free(order->packages, order->package_count);
    sl_fulfillments_free(order->fulfillments, order->fulfillment_count);
    free(order);
}

void sl_orders_free(sl_order **orders, size_t count)
{
    if (!orders)
        return;
    for (size_t i = 0; i < count; i++)
        sl_order_free(orders[i]);
    free(orders);
}

void sl_bulk_result_clear(sl_bulk_result *result)
{
    if (!result)
        return;
    free(result->fulfillment_id);
    free(result->error_code);
    free(result->error_message);
    memset(result, 0, sizeof(*result));
}
