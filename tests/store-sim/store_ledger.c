/* store_ledger.c: the quantities every platform's writes move, whatever the platform's rules
 * and words: a fulfillment recorded takes units from its package's items, a fulfillment
 * released (canceled) gives them back, and the derived statuses, the order's updatedAt, its
 * cached text and the store's counters follow. The caller holds the order's lock and has
 * checked the platform's rules; nothing here refuses a write or knows about HTTP or JSON
 * bodies. */
#include <stdlib.h>
#include <string.h>
#include "store.h"

long sim_item_remaining(const sim_item *item)
{
    return item->quantity - item->refunded - item->fulfilled;
}

ssize_t sim_package_item_index(const sim_package *package, const char *id, const char *sku)
{
    for (size_t i = 0; i < package->item_count; i++) {
        if (id && strcmp(package->items[i].id, id) == 0)
            return (ssize_t)i;
        if (!id && sku && package->items[i].sku && strcmp(package->items[i].sku, sku) == 0)
            return (ssize_t)i;
    }
    return -1;
}

static sim_fulfillment *append_fulfillment(sim_order *order)
{
    if (order->fulfillment_count == order->fulfillment_capacity) {
        size_t capacity = order->fulfillment_capacity ? order->fulfillment_capacity * 2 : 4;
        sim_fulfillment *grown = realloc(order->fulfillments, capacity * sizeof(*grown));
        if (!grown)
            return NULL;
        order->fulfillments = grown;
        order->fulfillment_capacity = capacity;
    }
    sim_fulfillment *fulfillment = &order->fulfillments[order->fulfillment_count++];
    memset(fulfillment, 0, sizeof(*fulfillment));
    return fulfillment;
}

sim_fulfillment *sim_order_record_fulfillment(sim_store *store, sim_order *order,
                                              sim_package *package, char *id,
                                              const long *wanted, int64_t now)
{
    sim_fulfillment_item *items = calloc(package->item_count + 1, sizeof(*items));
    char *status = strdup("shipped");
    char *package_id = strdup(package->id);
    sim_fulfillment *fulfillment = items && status && package_id ? append_fulfillment(order)
                                                                 : NULL;
    if (!fulfillment) {
        free(items);
        free(status);
        free(package_id);
        free(id);
        return NULL;
    }
    fulfillment->id = id;
    fulfillment->package_id = package_id;
    fulfillment->status = status;
    fulfillment->items = items;
    fulfillment->created_at = fulfillment->updated_at = now;
    for (size_t i = 0; i < package->item_count; i++) {
        if (wanted[i] <= 0)
            continue;
        package->items[i].fulfilled += wanted[i];
        items[fulfillment->item_count].id = strdup(package->items[i].id);
        items[fulfillment->item_count++].quantity = wanted[i];
    }
    package->updated_at = now;
    sim_order_derive_statuses(order);
    sim_order_touched(order, now);
    atomic_fetch_add(&store->fulfillments_created, 1);
    return fulfillment;
}

void sim_order_release_fulfillment(sim_store *store, sim_order *order,
                                   sim_fulfillment *fulfillment, int64_t now)
{
    sim_package *package = sim_order_find_package_by_id(order, fulfillment->package_id);
    for (size_t i = 0; package && i < fulfillment->item_count; i++) {
        ssize_t at = sim_package_item_index(package, fulfillment->items[i].id, NULL);
        if (at < 0)
            continue;
        sim_item *item = &package->items[at];
        item->fulfilled -= fulfillment->items[i].quantity;
        if (item->fulfilled < 0)
            item->fulfilled = 0;
    }
    if (package)
        package->updated_at = now;
    free(fulfillment->status);
    fulfillment->status = strdup("canceled");
    fulfillment->updated_at = now;
    sim_order_derive_statuses(order);
    sim_order_touched(order, now);
    atomic_fetch_add(&store->fulfillments_canceled, 1);
}

void sim_order_fulfillment_updated(sim_store *store, sim_order *order,
                                   sim_fulfillment *fulfillment, int64_t now)
{
    fulfillment->updated_at = now;
    sim_order_touched(order, now);
    atomic_fetch_add(&store->fulfillments_updated, 1);
}

json_t *sim_tracking_new(const char *company, const char *code, json_t *numbers, json_t *urls)
{
    json_t *number = json_array_get(numbers, 0);
    json_t *url = json_array_get(urls, 0);
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
                     "number", json_is_string(number) ? json_deep_copy(number) : json_null(),
                     "numbers", json_is_array(numbers) ? json_deep_copy(numbers) : json_array(),
                     "company", company ? json_string(company) : json_null(),
                     "companyId", code ? json_string(code) : json_null(),
                     "url", json_is_string(url) ? json_deep_copy(url) : json_null(),
                     "urls", json_is_array(urls) ? json_deep_copy(urls) : json_array());
}

const char *sim_tracking_string(const sim_fulfillment *fulfillment, const char *key)
{
    return json_string_value(json_object_get(fulfillment->tracking, key));
}
