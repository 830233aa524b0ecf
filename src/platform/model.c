/* model.c: releasing model.h's structs (orders, units, items, fulfillments) and the questions
 * the engine asks of them. Building them is each platform adapter's job. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "shipload/model.h"

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

int32_t sl_quantity_clamp(long long quantity)
{
    return quantity < 0 ? 0 : quantity > SL_QUANTITY_MAX ? (int32_t)SL_QUANTITY_MAX
                                                         : (int32_t)quantity;
}

void sl_address_free(sl_address *address)
{
    if (!address)
        return;
    sl_address_clear(address);
    free(address);
}

void sl_unit_clear(sl_unit *unit)
{
    if (!unit)
        return;
    free(unit->id);
    free(unit->write_id);
    free(unit->number);
    free(unit->location_id);
    free(unit->status_text);
    sl_items_free(unit->items, unit->item_count);
    memset(unit, 0, sizeof(*unit));
}

void sl_units_free(sl_unit *units, size_t count)
{
    for (size_t i = 0; i < count; i++)
        sl_unit_clear(&units[i]);
    free(units);
}

void sl_fulfillment_clear(sl_fulfillment *fulfillment)
{
    if (!fulfillment)
        return;
    free(fulfillment->id);
    free(fulfillment->unit_write_id);
    for (size_t i = 0; i < fulfillment->tracking_count; i++)
        free(fulfillment->tracking_numbers[i]);
    free(fulfillment->tracking_numbers);
    free(fulfillment->company);
    free(fulfillment->url);
    free(fulfillment->status_text);
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
    if (order->packed) {    /* sl_order_pack: everything in one block (2: the arena's) */
        if (order->packed == 1)
            free(order);
        return;
    }
    free(order->id);
    free(order->number);
    free(order->name);
    free(order->status_text);
    free(order->shipping_text);
    free(order->updated_at);
    free(order->shipping_method);
    sl_address_free(order->shipping_address);
    sl_items_free(order->items, order->item_count);
    sl_units_free(order->units, order->unit_count);
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

int sl_fulfillment_active(const sl_fulfillment *fulfillment)
{
    return fulfillment->status != SL_FULFILLMENT_STATUS_CANCELED;
}

int sl_unit_closed(const sl_unit *unit)
{
    switch (unit->status) {
    case SL_UNIT_STATUS_SHIPPED:
    case SL_UNIT_STATUS_DELIVERED:
    case SL_UNIT_STATUS_CANCELED:
    case SL_UNIT_STATUS_REFUNDED:
        return 1;
    default:
        return 0;
    }
}

int sl_tracking_set_has(const char *const *set, size_t count, const char *number)
{
    for (size_t i = 0; i < count; i++)
        if (strcasecmp(set[i], number) == 0)
            return 1;
    return 0;
}

/* Tracking numbers compare without regard to case (carriers print them either way). */
int sl_tracking_sets_equal(const char *const *a, size_t a_count, const char *const *b,
                           size_t b_count)
{
    for (size_t i = 0; i < a_count; i++)
        if (!sl_tracking_set_has(b, b_count, a[i]))
            return 0;
    for (size_t i = 0; i < b_count; i++)
        if (!sl_tracking_set_has(a, a_count, b[i]))
            return 0;
    return 1;
}
