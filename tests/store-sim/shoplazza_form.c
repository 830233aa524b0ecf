/* shoplazza_form.c: Shoplazza's store form (store.h): a Shoplazza store file's order (the
 * contract's Order object: line_items with refund_quantity_total, fulfillments with
 * ship_quantity and status, financial_status, status, number) enters the core as an order with
 * one package holding its line items, and is rendered back the same way, so /__sim/state and
 * --write-store load again with --platform shoplazza. Also what a generated order becomes on
 * Shoplazza. It applies no rule of the API (shoplazza_writes.c does). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "generate.h"
#include "shoplazza.h"
#include "strbuf.h"

/* ---------------------------------------------------------------- the file into the core */

static const char *string_member(json_t *object, const char *key)
{
    return json_string_value(json_object_get(object, key));
}

/* The core's fulfillment status: "cancelled" is the ledger's "canceled". */
static const char *core_status(const char *status)
{
    if (!status)
        return "shipped";
    return strcmp(status, "cancelled") == 0 ? "canceled" : status;
}

/* tracking_items (or tracking_number alone) as the neutral tracking object. */
json_t *sim_shoplazza_tracking(json_t *fulfillment)
{
    json_t *numbers = json_array(), *urls = json_array();
    json_t *items = json_object_get(fulfillment, "tracking_items");
    const char *first = string_member(fulfillment, "tracking_number");
    const char *url = string_member(fulfillment, "tracking_url");
    if (first && *first)
        json_array_append_new(numbers, json_string(first));
    if (url && *url)
        json_array_append_new(urls, json_string(url));
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *item = json_array_get(items, i);
        const char *number = string_member(item, "tracking_number");
        const char *item_url = string_member(item, "tracking_url");
        if (number && *number && !(i == 0 && first && strcmp(first, number) == 0))
            json_array_append_new(numbers, json_string(number));
        if (item_url && *item_url && !(i == 0 && url && strcmp(url, item_url) == 0))
            json_array_append_new(urls, json_string(item_url));
    }
    json_t *tracking = sim_tracking_new(string_member(fulfillment, "tracking_company"),
                                        string_member(fulfillment, "tracking_company_code"),
                                        numbers, urls);
    json_decref(numbers);
    json_decref(urls);
    return tracking;
}

static json_t *core_fulfillment(json_t *fulfillment, const char *package_id, json_t *shipped,
                                char *err, size_t err_size)
{
    json_t *items = json_array();
    json_t *line_items = json_object_get(fulfillment, "line_items");
    const char *status = core_status(string_member(fulfillment, "status"));
    for (size_t i = 0; i < json_array_size(line_items); i++) {
        json_t *line = json_array_get(line_items, i);
        const char *id = string_member(line, "id");
        long quantity = sim_json_quantity(json_object_get(line, "ship_quantity"));
        if (!id || quantity < 0) {
            snprintf(err, err_size, "fulfillment %s: line_items[%zu] needs an id and a "
                     "whole ship_quantity", string_member(fulfillment, "id"), i);
            json_decref(items);
            return NULL;
        }
        json_array_append_new(items, json_pack("{s:s, s:I}", "id", id, "quantity",
                                               (json_int_t)quantity));
        if (strcmp(status, "canceled") != 0) {
            json_t *sum = json_object_get(shipped, id);
            json_object_set_new(shipped, id,
                                json_integer(quantity + (sum ? json_integer_value(sum) : 0)));
        }
    }
    json_t *core = json_pack("{s:O?, s:s, s:s, s:o, s:o, s:b}", "id",
                             json_object_get(fulfillment, "id"), "packageId", package_id,
                             "status", status, "tracking", sim_shoplazza_tracking(fulfillment),
                             "items", items, "notifyCustomer",
                             json_is_true(json_object_get(fulfillment, "send_email")));
    json_t *created = json_object_get(fulfillment, "created_at");
    json_t *updated = json_object_get(fulfillment, "updated_at");
    if (created)
        json_object_set(core, "createdAt", created);
    if (updated)
        json_object_set(core, "updatedAt", updated);
    return core;
}

static json_t *core_items(json_t *line_items, json_t *shipped)
{
    json_t *items = json_array();
    for (size_t i = 0; i < json_array_size(line_items); i++) {
        json_t *line = json_array_get(line_items, i);
        json_t *item = json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?}", "id",
                                 json_object_get(line, "id"), "sku", json_object_get(line, "sku"),
                                 "name", json_object_get(line, "product_title"), "quantity",
                                 json_object_get(line, "quantity"), "refundedQuantity",
                                 json_object_get(line, "refund_quantity_total"));
        json_t *sum = json_object_get(shipped, string_member(line, "id") ? string_member(line, "id")
                                                                         : "");
        json_object_set_new(item, "fulfilledQuantity", json_integer(sum ? json_integer_value(sum)
                                                                        : 0));
        json_array_append_new(items, item);
    }
    return items;
}

/* The order's one package is named after the order; its fulfilled quantities are what the
 * fulfillments that are not cancelled ship. */
static json_t *shoplazza_to_core(json_t *order, char *err, size_t err_size)
{
    const char *id = string_member(order, "id");
    json_t *number = json_object_get(order, "number");
    if (!json_is_object(order) || !id || !*id) {
        snprintf(err, err_size, "id missing or not a string");
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
    json_t *core = json_pack("{s:s, s:O?, s:s, s:s, s:o, s:O?, s:O?, s:O?, s:[{s:s, s:o}], s:o}",
                             "id", id, "number", number,
                             "status", string_member(order, "status")
                                           ? string_member(order, "status") : "opened",
                             "financialStatus", string_member(order, "financial_status")
                                                    ? string_member(order, "financial_status")
                                                    : "paid",
                             "items", json_array(),
                             "shippingAddress", json_object_get(order, "shipping_address"),
                             "createdAt", json_object_get(order, "created_at"),
                             "updatedAt", json_object_get(order, "updated_at"),
                             "packages", "id", id, "items",
                             core_items(json_object_get(order, "line_items"), shipped),
                             "fulfillments", fulfillments);
    json_decref(shipped);
    if (!core)
        snprintf(err, err_size, "a member has the wrong type");
    return core;
}

/* ---------------------------------------------------------------- generated orders */

/* The Ecart-shaped address of generate.c in Shoplazza's (Shopify-style) member names. */
static json_t *shoplazza_address(json_t *address)
{
    if (!json_is_object(address))
        return json_null();
    return json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}",
                     "first_name", json_object_get(address, "firstName"),
                     "last_name", json_object_get(address, "lastName"),
                     "company", json_object_get(address, "company"),
                     "address1", json_object_get(address, "address1"),
                     "address2", json_object_get(address, "address2"),
                     "city", json_object_get(address, "city"),
                     "province_code", json_object_get(json_object_get(address, "state"), "code"),
                     "zip", json_object_get(address, "postalCode"),
                     "country_code",
                     json_object_get(json_object_get(address, "country"), "code"),
                     "phone", json_object_get(address, "phone"),
                     "email", json_object_get(address, "email"));
}

/* Ids like the contract's ("633130-00000007"), numbers zero-padded to 8 digits, statuses in
 * Shoplazza's words: canceled orders are "cancelled" (financial_status "refunded"), payment
 * pending ones "pending"; fulfillments name the one package. */
static void shoplazza_adapt_generated(json_t *order, long index)
{
    const char *number = string_member(order, "number");
    long value = number ? strtol(number, NULL, 10) : index + 1;
    char id[40], padded[24];
    snprintf(id, sizeof(id), "633130-%08ld", value);
    snprintf(padded, sizeof(padded), "%08ld", value);
    const char *status = string_member(json_object_get(order, "status"), "ecartapi");
    int canceled = status && strcmp(status, "canceled") == 0;
    int pending = status && strcmp(status, "pending") == 0;
    json_object_set_new(order, "financialStatus",
                        json_string(canceled ? "refunded" : pending ? "pending" : "paid"));
    json_object_set_new(order, "status", json_string(canceled ? "cancelled" : "opened"));
    json_object_set_new(order, "id", json_string(id));
    json_object_set_new(order, "number", json_string(padded));
    json_object_del(order, "name");
    json_object_set_new(order, "requiresFulfillmentOrderId", json_false());
    json_object_set_new(order, "shippingAddress",
                        shoplazza_address(json_object_get(order, "shippingAddress")));
    sim_generate_single_package(order, id, index);
    json_t *fulfillments = json_object_get(order, "fulfillments");
    for (size_t i = 0; i < json_array_size(fulfillments); i++) {
        json_t *tracking = json_object_get(json_array_get(fulfillments, i), "tracking");
        json_object_set_new(tracking, "companyId", json_string("ups"));
    }
}

/* ---------------------------------------------------------------- the core rendered */

const char *sim_shoplazza_status(const char *core_status)
{
    return core_status && strcmp(core_status, "canceled") == 0 ? "cancelled" : core_status;
}

/* waiting | partially_shipped | shipped from the quantities; cancelled for a cancelled order */
const char *sim_shoplazza_fulfillment_status(const sim_order *order)
{
    static const char *const names[SIM_FS_COUNT] = { "waiting", "partially_shipped",
                                                     "shipped" };
    if (strcmp(order->status, "cancelled") == 0)
        return "cancelled";
    int state = atomic_load(&((sim_order *)order)->fulfillment_state);
    return state >= 0 && state < SIM_FS_COUNT ? names[state] : "waiting";
}

static json_t *nullable(const char *text)
{
    return text ? json_string(text) : json_null();
}

static json_t *tracking_items(const sim_fulfillment *fulfillment)
{
    json_t *items = json_array();
    json_t *numbers = json_object_get(fulfillment->tracking, "numbers");
    json_t *urls = json_object_get(fulfillment->tracking, "urls");
    for (size_t i = 0; i < json_array_size(numbers); i++)
        json_array_append_new(items, json_pack(
            "{s:O, s:o, s:o, s:O}", "tracking_number", json_array_get(numbers, i),
            "tracking_company", nullable(sim_tracking_string(fulfillment, "company")),
            "tracking_company_code", nullable(sim_tracking_string(fulfillment, "companyId")),
            "tracking_url", json_array_get(urls, i) ? json_array_get(urls, i) : json_null()));
    return items;
}

json_t *sim_shoplazza_render_fulfillment(const sim_order *order,
                                         const sim_fulfillment *fulfillment)
{
    char created[32], updated[32];
    const sim_package *package = order->package_count ? &order->packages[0] : NULL;
    json_t *lines = json_array();
    for (size_t i = 0; i < fulfillment->item_count; i++) {
        ssize_t at = package ? sim_package_item_index(package, fulfillment->items[i].id, NULL)
                             : -1;
        const sim_item *item = at >= 0 ? &package->items[at] : NULL;
        json_array_append_new(lines, json_pack("{s:s, s:o, s:o, s:I}", "id",
                                               fulfillment->items[i].id,
                                               "sku", nullable(item ? item->sku : NULL),
                                               "product_title", nullable(item ? item->name : NULL),
                                               "ship_quantity",
                                               (json_int_t)fulfillment->items[i].quantity));
    }
    sim_format_time(fulfillment->created_at, created);
    sim_format_time(fulfillment->updated_at, updated);
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s}",
                     "id", fulfillment->id, "order_id", order->id,
                     "status", sim_shoplazza_status(fulfillment->status),
                     "tracking_number", nullable(sim_tracking_string(fulfillment, "number")),
                     "tracking_company", nullable(sim_tracking_string(fulfillment, "company")),
                     "tracking_company_code",
                     nullable(sim_tracking_string(fulfillment, "companyId")),
                     "tracking_url", nullable(sim_tracking_string(fulfillment, "url")),
                     "tracking_items", tracking_items(fulfillment),
                     "line_items", lines, "created_at", created, "updated_at", updated);
}

static json_t *render_line_items(const sim_order *order)
{
    json_t *lines = json_array();
    for (size_t p = 0; p < order->package_count; p++)
        for (size_t i = 0; i < order->packages[p].item_count; i++) {
            const sim_item *item = &order->packages[p].items[i];
            json_array_append_new(lines, json_pack("{s:s, s:o, s:o, s:I, s:I, s:b}",
                                                   "id", item->id, "sku", nullable(item->sku),
                                                   "product_title", nullable(item->name),
                                                   "quantity", (json_int_t)item->quantity,
                                                   "refund_quantity_total",
                                                   (json_int_t)item->refunded,
                                                   "requires_shipping", 1));
        }
    return lines;
}

json_t *sim_shoplazza_render_order(const sim_order *order)
{
    char created[32], updated[32];
    sim_format_time(order->created_at, created);
    sim_format_time(atomic_load(&((sim_order *)order)->updated_at), updated);
    json_t *fulfillments = json_array();
    for (size_t i = 0; i < order->fulfillment_count; i++)
        json_array_append_new(fulfillments,
                              sim_shoplazza_render_fulfillment(order, &order->fulfillments[i]));
    json_t *address = json_loads(order->shipping_address_json, JSON_DECODE_ANY, NULL);
    return json_pack("{s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:s, s:s}",
                     "id", order->id, "number", order->number,
                     "financial_status", nullable(order->financial_status),
                     "fulfillment_status", sim_shoplazza_fulfillment_status(order),
                     "status", order->status, "line_items", render_line_items(order),
                     "fulfillments", fulfillments,
                     "shipping_address", address ? address : json_null(),
                     "created_at", created, "updated_at", updated);
}

static sim_blob *shoplazza_order_text(const sim_order *order)
{
    json_t *json = sim_shoplazza_render_order(order);
    char *text = json ? json_dumps(json, JSON_COMPACT) : NULL;
    json_decref(json);
    sim_blob *blob = text ? sim_blob_new(text, strlen(text)) : NULL;
    free(text);
    return blob;
}

const sim_store_form sim_shoplazza_form = {
    "shoplazza", shoplazza_to_core, shoplazza_adapt_generated, shoplazza_order_text,
};
