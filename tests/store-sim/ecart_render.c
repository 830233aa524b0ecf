/* ecart_render.c: Ecart's JSON forms of orders, packages and fulfillments that the API answers
 * with and that /__sim/state dumps (one form for both, so a dump loads back as a store), and
 * Ecart's store form (sim_ecart_form: the store file is the core form). The caller holds the
 * order's lock. Nothing here changes state. */
#include <stdlib.h>
#include <string.h>
#include "store.h"
#include "strbuf.h"

static json_t *string_or_null(const char *text)
{
    return text ? json_string(text) : json_null();
}

static json_t *status_object(const char *status)
{
    return json_pack("{s:s}", "ecartapi", status);
}

static json_t *dates_object(int64_t created, int64_t updated)
{
    char created_text[32], updated_text[32];
    sim_format_time(created, created_text);
    sim_format_time(updated, updated_text);
    return json_pack("{s:s, s:s}", "createdAt", created_text, "updatedAt", updated_text);
}

static json_t *render_package_items(const sim_package *package)
{
    json_t *items = json_array();
    for (size_t i = 0; i < package->item_count; i++) {
        const sim_item *item = &package->items[i];
        json_array_append_new(items, json_pack("{s:s, s:o, s:o, s:I, s:I}", "id", item->id,
                                               "sku", string_or_null(item->sku),
                                               "name", string_or_null(item->name),
                                               "quantity", (json_int_t)item->quantity,
                                               "fulfilledQuantity",
                                               (json_int_t)item->fulfilled));
    }
    return items;
}

json_t *sim_render_package(const sim_package *package)
{
    return json_pack("{s:s, s:o, s:s, s:o, s:o, s:s, s:o, s:o, s:o}",
                     "id", package->id,
                     "fulfillmentOrderId", string_or_null(package->fulfillment_order_id),
                     "orderId", package->order->id,
                     "number", string_or_null(package->number),
                     "locationId", string_or_null(package->location_id),
                     "type", package->type ? package->type : "default",
                     "status", status_object(sim_package_status_name(
                                   atomic_load(&package->status))),
                     "items", render_package_items(package),
                     "dates", dates_object(package->created_at, package->updated_at));
}

json_t *sim_render_fulfillment(const sim_order *order, const sim_fulfillment *fulfillment)
{
    json_t *items = json_array();
    for (size_t i = 0; i < fulfillment->item_count; i++)
        json_array_append_new(items, json_pack("{s:s, s:I}", "id", fulfillment->items[i].id,
                                               "quantity",
                                               (json_int_t)fulfillment->items[i].quantity));
    json_t *json = json_pack("{s:s, s:s, s:o, s:o, s:O, s:o, s:o, s:b, s:o}",
                             "id", fulfillment->id,
                             "orderId", order->id,
                             "fulfillmentOrderId",
                             string_or_null(fulfillment->fulfillment_order_id),
                             "packageId", string_or_null(fulfillment->package_id),
                             "tracking", fulfillment->tracking,
                             "status", status_object(fulfillment->status),
                             "items", items,
                             "notifyCustomer", fulfillment->notify_customer,
                             "shippingDate", string_or_null(fulfillment->shipping_date));
    if (fulfillment->location_id)
        json_object_set_new(json, "locationId", json_string(fulfillment->location_id));
    if (fulfillment->shipping_method)
        json_object_set_new(json, "shippingMethod", json_string(fulfillment->shipping_method));
    json_object_set_new(json, "dates",
                        dates_object(fulfillment->created_at, fulfillment->updated_at));
    return json;
}

/* The order object without its two read-only parts (items, shippingAddress), which are kept
 * as JSON text and either parsed in (sim_render_order) or spliced in (sim_order_text). */
static json_t *render_order_core(const sim_order *order)
{
    char created[32], updated[32];
    int64_t updated_at = atomic_load(&((sim_order *)order)->updated_at);
    sim_format_time(order->created_at, created);
    sim_format_time(updated_at, updated);
    json_t *packages = json_array();
    for (size_t i = 0; i < order->package_count; i++)
        json_array_append_new(packages, sim_render_package(&order->packages[i]));
    json_t *fulfillments = json_array();
    for (size_t i = 0; i < order->fulfillment_count; i++)
        json_array_append_new(fulfillments,
                              sim_render_fulfillment(order, &order->fulfillments[i]));
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:o, s:b, s:o, s:o}",
                     "id", order->id, "number", order->number, "name", order->name,
                     "status", status_object(order->status),
                     "fulfillmentStatus",
                     status_object(sim_fulfillment_state_name(
                         atomic_load(&((sim_order *)order)->fulfillment_state))),
                     "shippingMethod", string_or_null(order->shipping_method),
                     "createdAt", created, "updatedAt", updated,
                     "dates", dates_object(order->created_at, updated_at),
                     "requiresFulfillmentOrderId", order->requires_fulfillment_order_id,
                     "packages", packages, "fulfillments", fulfillments);
}

json_t *sim_render_order(const sim_order *order)
{
    json_t *json = render_order_core(order);
    json_t *items = json_loads(order->items_json, 0, NULL);
    json_t *address = json_loads(order->shipping_address_json, JSON_DECODE_ANY, NULL);
    json_object_set_new(json, "items", items ? items : json_array());
    json_object_set_new(json, "shippingAddress", address ? address : json_null());
    return json;
}

/* The order's text: the core dumped by jansson, then the stored items and address texts
 * (themselves dumped by jansson at load) added as the last two members. */
static sim_blob *render_order_text(const sim_order *order)
{
    json_t *json = render_order_core(order);
    char *core = json ? json_dumps(json, JSON_COMPACT) : NULL;
    json_decref(json);
    size_t core_len = core ? strlen(core) : 0;
    if (core_len < 2 || core[core_len - 1] != '}') {
        free(core);
        return NULL;
    }
    sim_strbuf buf = { 0 };
    sim_strbuf_append(&buf, core, core_len - 1);
    sim_strbuf_puts(&buf, ",\"items\":");
    sim_strbuf_puts(&buf, order->items_json);
    sim_strbuf_puts(&buf, ",\"shippingAddress\":");
    sim_strbuf_puts(&buf, order->shipping_address_json);
    sim_strbuf_puts(&buf, "}");
    free(core);
    size_t len = 0;
    char *text = sim_strbuf_finish(&buf, &len);
    sim_blob *blob = text ? sim_blob_new(text, len) : NULL;
    free(text);
    return blob;
}

const sim_store_form sim_ecart_form = { "ecart", NULL, NULL, render_order_text };
