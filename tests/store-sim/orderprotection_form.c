/* orderprotection_form.c: OrderProtection's store form (store.h): a store file's order (the
 * contract's Order: sourceOrderId free text such as "#517AB", orderName, status OPEN or
 * CANCELLED, orderItems with refundedQuantity, fulfillments with the client's
 * sourceFulfillmentId) enters the core as an order with one package holding its items, and is
 * rendered back the same way, so /__sim/state and --write-store load again with --platform
 * orderprotection. Also what a generated order becomes here. It applies no rule of the API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "generate.h"
#include "orderprotection.h"

json_t *sim_op_string_list(json_t *value)
{
    if (!value || json_is_null(value))
        return json_array();
    if (json_is_string(value))
        return json_pack("[O]", value);
    if (!json_is_array(value))
        return NULL;
    for (size_t i = 0; i < json_array_size(value); i++)
        if (!json_is_string(json_array_get(value, i)))
            return NULL;
    return json_deep_copy(value);
}

/* An item id under sourceItemId or id (the public example's key), string or integer. */
static json_t *item_id(json_t *item)
{
    json_t *id = json_object_get(item, "sourceItemId");
    return id ? id : json_object_get(item, "id");
}

static json_t *core_fulfillment(json_t *fulfillment, const char *package_id, json_t *shipped,
                                char *err, size_t err_size)
{
    json_t *items = json_array();
    json_t *listed = json_object_get(fulfillment, "sourceItemIds");
    json_t *numbers = sim_op_string_list(json_object_get(fulfillment, "trackingNumber"));
    json_t *urls = sim_op_string_list(json_object_get(fulfillment, "trackingUrl"));
    int bad = !numbers || !urls;
    for (size_t i = 0; !bad && i < json_array_size(listed); i++) {
        json_t *entry = json_array_get(listed, i);
        json_t *id = item_id(entry);
        long quantity = sim_json_quantity(json_object_get(entry, "quantity"));
        bad = !(json_is_string(id) || json_is_integer(id)) || quantity < 0;
        if (bad)
            break;
        json_array_append_new(items, json_pack("{s:O, s:I}", "id", id, "quantity",
                                               (json_int_t)quantity));
        char key[64];
        if (json_is_integer(id))
            snprintf(key, sizeof(key), "%" JSON_INTEGER_FORMAT, json_integer_value(id));
        else
            snprintf(key, sizeof(key), "%s", json_string_value(id));
        json_t *sum = json_object_get(shipped, key);
        json_object_set_new(shipped, key,
                            json_integer(quantity + (sum ? json_integer_value(sum) : 0)));
    }
    json_t *tracking = bad ? NULL : sim_tracking_new(
        json_string_value(json_object_get(fulfillment, "trackingCompany")), NULL, numbers, urls);
    json_decref(numbers);
    json_decref(urls);
    if (bad) {
        snprintf(err, err_size, "fulfillment %s: sourceItemIds need an id and a whole quantity, "
                 "trackingNumber and trackingUrl strings",
                 json_string_value(json_object_get(fulfillment, "sourceFulfillmentId")));
        json_decref(items);
        return NULL;
    }
    const char *status = json_string_value(json_object_get(fulfillment, "fulfillmentStatus"));
    json_t *core = json_pack("{s:O?, s:s, s:s, s:o, s:o}", "id",
                             json_object_get(fulfillment, "sourceFulfillmentId"),
                             "packageId", package_id, "status", status ? status : "FULFILLED",
                             "tracking", tracking, "items", items);
    json_t *created = json_object_get(fulfillment, "createdAt");
    json_t *updated = json_object_get(fulfillment, "updatedAt");
    if (created)
        json_object_set(core, "createdAt", created);
    if (updated)
        json_object_set(core, "updatedAt", updated);
    return core;
}

static json_t *core_items(json_t *order_items, json_t *shipped)
{
    json_t *items = json_array();
    for (size_t i = 0; i < json_array_size(order_items); i++) {
        json_t *entry = json_array_get(order_items, i);
        json_t *id = item_id(entry);
        json_t *item = json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?}", "id", id,
                                 "sku", json_object_get(entry, "sku"),
                                 "name", json_object_get(entry, "name"),
                                 "quantity", json_object_get(entry, "quantity"),
                                 "refundedQuantity", json_object_get(entry, "refundedQuantity"));
        char key[64] = "";
        if (json_is_integer(id))
            snprintf(key, sizeof(key), "%" JSON_INTEGER_FORMAT, json_integer_value(id));
        else if (json_is_string(id))
            snprintf(key, sizeof(key), "%s", json_string_value(id));
        json_t *sum = json_object_get(shipped, key);
        json_object_set_new(item, "fulfilledQuantity",
                            json_integer(sum ? json_integer_value(sum) : 0));
        json_array_append_new(items, item);
    }
    return items;
}

static json_t *op_to_core(json_t *order, char *err, size_t err_size)
{
    const char *id = json_string_value(json_object_get(order, "sourceOrderId"));
    const char *name = json_string_value(json_object_get(order, "orderName"));
    const char *status = json_string_value(json_object_get(order, "status"));
    if (!id || !*id) {
        snprintf(err, err_size, "sourceOrderId missing or not a string");
        return NULL;
    }
    json_t *shipped = json_object(), *fulfillments = json_array();
    json_t *listed = json_object_get(order, "fulfillments");
    for (size_t i = 0; i < json_array_size(listed); i++) {
        json_t *core = core_fulfillment(json_array_get(listed, i), id, shipped, err, err_size);
        if (!core) {
            json_decref(shipped);
            json_decref(fulfillments);
            return NULL;
        }
        json_array_append_new(fulfillments, core);
    }
    json_t *core = json_pack("{s:s, s:s, s:s, s:o, s:O?, s:O?, s:[{s:s, s:o}], s:o}",
                             "id", id, "name", name ? name : id,
                             "status", status ? status : "OPEN", "items", json_array(),
                             "createdAt", json_object_get(order, "createdAt"),
                             "updatedAt", json_object_get(order, "updatedAt"),
                             "packages", "id", id, "items",
                             core_items(json_object_get(order, "orderItems"), shipped),
                             "fulfillments", fulfillments);
    json_decref(shipped);
    if (!core)
        snprintf(err, err_size, "a member has the wrong type");
    return core;
}

/* sourceOrderId and orderName "#<number>" (so paths always need percent-encoding), status
 * CANCELLED for canceled orders, OPEN otherwise; fulfillments FULFILLED. */
static void op_adapt_generated(json_t *order, long index)
{
    const char *name = json_string_value(json_object_get(order, "name"));
    char id[48];
    snprintf(id, sizeof(id), "%s", name ? name : "#0");
    const char *status = json_string_value(json_object_get(json_object_get(order, "status"),
                                                           "ecartapi"));
    int canceled = status && strcmp(status, "canceled") == 0;
    json_object_set_new(order, "id", json_string(id));
    json_object_set_new(order, "status", json_string(canceled ? "CANCELLED" : "OPEN"));
    sim_generate_single_package(order, id, index);
    json_t *fulfillments = json_object_get(order, "fulfillments");
    for (size_t i = 0; i < json_array_size(fulfillments); i++)
        json_object_set_new(json_array_get(fulfillments, i), "status",
                            json_string("FULFILLED"));
}

json_t *sim_op_render_fulfillment(const sim_fulfillment *fulfillment)
{
    char created[32], updated[32];
    json_t *items = json_array();
    for (size_t i = 0; i < fulfillment->item_count; i++)
        json_array_append_new(items, json_pack("{s:s, s:I}", "sourceItemId",
                                               fulfillment->items[i].id, "quantity",
                                               (json_int_t)fulfillment->items[i].quantity));
    const char *company = sim_tracking_string(fulfillment, "company");
    json_t *numbers = json_object_get(fulfillment->tracking, "numbers");
    json_t *urls = json_object_get(fulfillment->tracking, "urls");
    sim_format_time(fulfillment->created_at, created);
    sim_format_time(fulfillment->updated_at, updated);
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s}",
                     "sourceFulfillmentId", fulfillment->id,
                     "fulfillmentStatus", fulfillment->status, "sourceItemIds", items,
                     "trackingCompany", company ? json_string(company) : json_null(),
                     "trackingNumber", numbers ? json_deep_copy(numbers) : json_array(),
                     "trackingUrl", urls ? json_deep_copy(urls) : json_array(),
                     "createdAt", created, "updatedAt", updated);
}

json_t *sim_op_render_order(const sim_order *order)
{
    char created[32], updated[32];
    json_t *items = json_array();
    for (size_t p = 0; p < order->package_count; p++)
        for (size_t i = 0; i < order->packages[p].item_count; i++) {
            const sim_item *item = &order->packages[p].items[i];
            json_t *entry = json_pack("{s:s, s:o, s:I, s:I}", "sourceItemId", item->id,
                                      "sku", item->sku ? json_string(item->sku) : json_null(),
                                      "quantity", (json_int_t)item->quantity,
                                      "refundedQuantity", (json_int_t)item->refunded);
            if (item->name)
                json_object_set_new(entry, "name", json_string(item->name));
            json_array_append_new(items, entry);
        }
    json_t *fulfillments = json_array();
    for (size_t i = 0; i < order->fulfillment_count; i++)
        json_array_append_new(fulfillments, sim_op_render_fulfillment(&order->fulfillments[i]));
    sim_format_time(order->created_at, created);
    sim_format_time(atomic_load(&((sim_order *)order)->updated_at), updated);
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:s}",
                     "sourceOrderId", order->id, "orderName", order->name,
                     "status", order->status, "orderItems", items,
                     "fulfillments", fulfillments, "createdAt", created, "updatedAt", updated);
}

static sim_blob *op_order_text(const sim_order *order)
{
    json_t *json = sim_op_render_order(order);
    char *text = json ? json_dumps(json, JSON_COMPACT) : NULL;
    json_decref(json);
    sim_blob *blob = text ? sim_blob_new(text, strlen(text)) : NULL;
    free(text);
    return blob;
}

const sim_store_form sim_orderprotection_form = {
    "orderprotection", op_to_core, op_adapt_generated, op_order_text,
};
