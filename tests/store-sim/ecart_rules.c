/* ecart_rules.c: Ecart's write rules (the contract's, README.md): create (single and bulk,
 * partial by items, the whole remaining package when items are omitted), update (tracking,
 * notifyCustomer, status) and cancel. Quantities move through the core's ledger
 * (store_ledger.c). Each call takes the order's lock for the whole request, so concurrent
 * writes on one order are serialised and never oversell. Nothing here knows about HTTP. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store.h"

static int refuse(sim_outcome *out, sim_code code, const char *format, ...)
{
    va_list args;
    out->code = code;
    va_start(args, format);
    vsnprintf(out->message, sizeof(out->message), format, args);
    va_end(args);
    return -1;
}

void sim_outcome_clear(sim_outcome *outcome)
{
    json_decref(outcome->fulfillment);
    memset(outcome, 0, sizeof(*outcome));
}

long sim_json_quantity(json_t *value)
{
    if (json_is_integer(value)) {
        json_int_t number = json_integer_value(value);
        return number >= 0 && number <= 1000000000 ? (long)number : -1;
    }
    if (json_is_string(value)) {
        const char *text = json_string_value(value);
        size_t length = strlen(text);
        if (length == 0 || length > 9 || strspn(text, "0123456789") != length)
            return -1;
        return strtol(text, NULL, 10);
    }
    return -1;
}

/* A string or integer id field; NULL when absent or of another type. */
static const char *id_field(json_t *object, const char *key, char buffer[32])
{
    json_t *value = json_object_get(object, key);
    if (json_is_string(value))
        return json_string_value(value);
    if (json_is_integer(value)) {
        snprintf(buffer, 32, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
        return buffer;
    }
    return NULL;
}

#define remaining sim_item_remaining

static long package_remaining(const sim_package *package)
{
    long total = 0;
    for (size_t i = 0; i < package->item_count; i++)
        total += remaining(&package->items[i]);
    return total;
}

static int is_open(const sim_package *package)
{
    int status = atomic_load(&package->status);
    return status != SIM_PKG_CANCELED && status != SIM_PKG_REFUNDED &&
           package_remaining(package) > 0;
}

/* An entry that names no package: the order's single open package, or its only package. */
static sim_package *default_package(sim_order *order)
{
    sim_package *found = NULL;
    size_t open = 0;
    for (size_t i = 0; i < order->package_count; i++)
        if (is_open(&order->packages[i])) {
            found = &order->packages[i];
            open++;
        }
    if (open == 1)
        return found;
    if (open == 0 && order->package_count == 1)
        return &order->packages[0];
    return NULL;
}

static sim_package *resolve_package(sim_order *order, json_t *entry, sim_outcome *out)
{
    char foid_buffer[32], id_buffer[32];
    const char *foid = id_field(entry, "fulfillmentOrderId", foid_buffer);
    const char *package_id = id_field(entry, "packageId", id_buffer);
    sim_package *package = NULL;
    if (foid && *foid) {
        package = sim_order_find_package_by_foid(order, foid);
        if (!package)
            refuse(out, SIM_PACKAGE_NOT_FOUND,
                   "order %s has no package with fulfillmentOrderId %s", order->id, foid);
        return package;
    }
    if (order->requires_fulfillment_order_id) {
        refuse(out, SIM_FULFILLMENT_ORDER_ID_MISSING,
               "order %s requires fulfillmentOrderId on every fulfillment", order->id);
        return NULL;
    }
    if (package_id && *package_id) {
        package = sim_order_find_package_by_id(order, package_id);
        if (!package)
            refuse(out, SIM_PACKAGE_NOT_FOUND, "order %s has no package %s", order->id,
                   package_id);
        return package;
    }
    package = default_package(order);
    if (!package)
        refuse(out, SIM_FULFILLMENT_ORDER_ID_MISSING,
               "order %s has %zu packages: name one with fulfillmentOrderId", order->id,
               order->package_count);
    return package;
}

static int tracking_has_number(json_t *tracking)
{
    json_t *number = json_object_get(tracking, "number");
    json_t *numbers = json_object_get(tracking, "numbers");
    if (json_is_string(number) && *json_string_value(number))
        return 1;
    json_t *first = json_array_get(numbers, 0);
    return json_is_string(first) && *json_string_value(first);
}

/* Tracking as stored: every key present, number/numbers and url/urls consistent. */
static json_t *normalized_tracking(json_t *tracking)
{
    json_t *copy = json_object();
    static const char *const keys[] = { "number", "numbers", "company", "companyId", "url",
                                        "urls" };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_t *value = json_object_get(tracking, keys[i]);
        json_object_set_new(copy, keys[i], value ? json_deep_copy(value) : json_null());
    }
    json_t *number = json_object_get(copy, "number");
    json_t *numbers = json_object_get(copy, "numbers");
    if (!json_is_array(numbers) || json_array_size(numbers) == 0)
        json_object_set_new(copy, "numbers",
                            json_is_string(number) ? json_pack("[O]", number) : json_array());
    else if (!json_is_string(number) || !*json_string_value(number))
        json_object_set(copy, "number", json_array_get(numbers, 0));
    json_t *url = json_object_get(copy, "url");
    json_t *urls = json_object_get(copy, "urls");
    if (!json_is_array(urls) || json_array_size(urls) == 0)
        json_object_set_new(copy, "urls", json_is_string(url) ? json_pack("[O]", url)
                                                              : json_array());
    else if (!json_is_string(url))
        json_object_set(copy, "url", json_array_get(urls, 0));
    return copy;
}

/* Fills wanted[] (per package item) from the entry's items, or with everything remaining. */
static int wanted_quantities(const sim_package *package, json_t *items, long *wanted,
                             sim_outcome *out)
{
    char id_buffer[32];
    if (items && !json_is_null(items) && !json_is_array(items)) {
        refuse(out, SIM_INVALID_REQUEST, "items must be an array");
        return -1;
    }
    if (json_array_size(items) == 0) {   /* omitted: the whole remaining package */
        for (size_t i = 0; i < package->item_count; i++)
            wanted[i] = remaining(&package->items[i]);
        return 0;
    }
    for (size_t k = 0; k < json_array_size(items); k++) {
        json_t *item = json_array_get(items, k);
        const char *id = id_field(item, "id", id_buffer);
        json_t *sku = json_object_get(item, "sku");
        ssize_t at = sim_package_item_index(package, id, json_string_value(sku));
        if (at < 0) {
            refuse(out, SIM_ITEM_NOT_IN_PACKAGE, "item %s is not in package %s",
                   id ? id : json_is_string(sku) ? json_string_value(sku) : "(no id)",
                   package->id);
            return -1;
        }
        json_t *quantity_json = json_object_get(item, "quantity");
        long quantity = quantity_json && !json_is_null(quantity_json)
                            ? sim_json_quantity(quantity_json)
                            : remaining(&package->items[at]);
        if (quantity_json && !json_is_null(quantity_json) && quantity < 1) {
            refuse(out, SIM_INVALID_QUANTITY,
                   "item %s: quantity must be a whole number of at least 1",
                   package->items[at].id);
            return -1;
        }
        wanted[at] += quantity;
    }
    for (size_t i = 0; i < package->item_count; i++)
        if (wanted[i] > remaining(&package->items[i])) {
            refuse(out, SIM_QUANTITY_EXCEEDS_REMAINING,
                   "item %s: %ld requested, %ld remaining in package %s", package->items[i].id,
                   wanted[i], remaining(&package->items[i]), package->id);
            return -1;
        }
    long total = 0;
    for (size_t i = 0; i < package->item_count; i++)
        total += wanted[i];
    if (total == 0)
        return refuse(out, SIM_QUANTITY_EXCEEDS_REMAINING,
                      "nothing remains of the items named in package %s", package->id);
    return 0;
}

static char *new_fulfillment_id(sim_order *order)
{
    char *id = NULL;
    for (;;) {
        if (asprintf(&id, "ful_%s_%ld", order->number, order->next_fulfillment_seq++) < 0)
            return NULL;
        if (!sim_order_find_fulfillment(order, id))
            return id;
        free(id);
    }
}

static char *optional_string(json_t *entry, const char *key, const char *fallback)
{
    json_t *value = json_object_get(entry, key);
    if (json_is_string(value))
        return strdup(json_string_value(value));
    return fallback ? strdup(fallback) : NULL;
}

static char *today(int64_t now)
{
    char text[32];
    sim_format_time(now, text);
    text[10] = '\0';
    return strdup(text);
}

/* Applies a checked entry: quantities move, a fulfillment is recorded. */
static sim_fulfillment *apply_create(sim_store *store, sim_order *order, sim_package *package,
                                     json_t *entry, const long *wanted, int64_t now)
{
    char *id = new_fulfillment_id(order);
    sim_fulfillment *fulfillment =
        id ? sim_order_record_fulfillment(store, order, package, id, wanted, now) : NULL;
    if (!fulfillment)
        return NULL;
    fulfillment->fulfillment_order_id = package->fulfillment_order_id
                                            ? strdup(package->fulfillment_order_id) : NULL;
    fulfillment->tracking = normalized_tracking(json_object_get(entry, "tracking"));
    fulfillment->notify_customer = json_is_true(json_object_get(entry, "notifyCustomer"));
    fulfillment->shipping_date = optional_string(entry, "shippingDate", NULL);
    if (!fulfillment->shipping_date)
        fulfillment->shipping_date = today(now);
    fulfillment->location_id = optional_string(entry, "locationId", package->location_id);
    fulfillment->shipping_method = optional_string(entry, "shippingMethod",
                                                   order->shipping_method);
    return fulfillment;
}

/* One create entry, the order's lock held. */
static int create_locked(sim_store *store, sim_order *order, json_t *entry, int64_t now,
                          sim_outcome *out)
{
    memset(out, 0, sizeof(*out));
    if (!json_is_object(entry))
        return refuse(out, SIM_INVALID_REQUEST, "a fulfillment must be a JSON object");
    if (strcmp(order->status, "canceled") == 0)
        return refuse(out, SIM_ORDER_CANCELED, "order %s is canceled", order->id);
    sim_package *package = resolve_package(order, entry, out);
    if (!package)
        return -1;
    json_t *tracking = json_object_get(entry, "tracking");
    if (!json_is_object(tracking) || !tracking_has_number(tracking))
        return refuse(out, SIM_TRACKING_NUMBER_MISSING, "tracking.number is missing");
    int status = atomic_load(&package->status);
    if (status == SIM_PKG_CANCELED || status == SIM_PKG_REFUNDED)
        return refuse(out, SIM_PACKAGE_CANCELED, "package %s is %s", package->id,
                      sim_package_status_name(status));
    if (package_remaining(package) == 0 || status == SIM_PKG_DELIVERED)
        return refuse(out, SIM_PACKAGE_ALREADY_FULFILLED, "package %s has nothing left to ship",
                      package->id);
    long *wanted = calloc(package->item_count + 1, sizeof(long));
    if (!wanted)
        return refuse(out, SIM_INTERNAL_ERROR, "out of memory");
    int failed = wanted_quantities(package, json_object_get(entry, "items"), wanted, out);
    if (!failed) {
        sim_fulfillment *created = apply_create(store, order, package, entry, wanted, now);
        if (created)
            out->fulfillment = sim_render_fulfillment(order, created);
        else
            failed = refuse(out, SIM_INTERNAL_ERROR, "out of memory");
    }
    free(wanted);
    return failed;
}

void sim_store_create(sim_store *store, sim_order *order, json_t *entry, sim_outcome *out)
{
    int64_t now = sim_now();
    pthread_mutex_lock(&order->lock);
    create_locked(store, order, entry, now, out);
    pthread_mutex_unlock(&order->lock);
}

static json_t *bulk_result(size_t index, json_t *entry, const sim_outcome *outcome)
{
    char buffer[32];
    const char *foid = id_field(entry, "fulfillmentOrderId", buffer);
    json_t *result = json_pack("{s:I}", "index", (json_int_t)index);
    json_t *named = json_object_get(outcome->fulfillment, "fulfillmentOrderId");
    if (foid)
        json_object_set_new(result, "fulfillmentOrderId", json_string(foid));
    else if (named)
        json_object_set(result, "fulfillmentOrderId", named);
    else
        json_object_set_new(result, "fulfillmentOrderId", json_null());
    json_object_set_new(result, "success", json_boolean(outcome->code == SIM_OK));
    if (outcome->code == SIM_OK)
        json_object_set(result, "fulfillment", outcome->fulfillment);
    else
        json_object_set_new(result, "error",
                            json_pack("{s:s, s:s}", "code", sim_code_name(outcome->code),
                                      "message", outcome->message));
    return result;
}

json_t *sim_store_bulk(sim_store *store, sim_order *order, json_t *entries, size_t *failures)
{
    int64_t now = sim_now();
    json_t *results = json_array();
    *failures = 0;
    pthread_mutex_lock(&order->lock);
    for (size_t i = 0; i < json_array_size(entries); i++) {
        sim_outcome outcome;
        json_t *entry = json_array_get(entries, i);
        create_locked(store, order, entry, now, &outcome);
        if (outcome.code != SIM_OK)
            (*failures)++;
        json_array_append_new(results, bulk_result(i, entry, &outcome));
        sim_outcome_clear(&outcome);
    }
    pthread_mutex_unlock(&order->lock);
    return results;
}

/* ---------------------------------------------------------------- cancel and update */

static int cancel_locked(sim_store *store, sim_order *order, sim_fulfillment *fulfillment,
                          int64_t now, sim_outcome *out)
{
    if (strcmp(fulfillment->status, "canceled") == 0 ||
        strcmp(fulfillment->status, "delivered") == 0)
        return refuse(out, SIM_FULFILLMENT_NOT_CANCELABLE, "fulfillment %s is %s",
                      fulfillment->id, fulfillment->status);
    sim_order_release_fulfillment(store, order, fulfillment, now);
    out->fulfillment = sim_render_fulfillment(order, fulfillment);
    return 0;
}

void sim_store_cancel(sim_store *store, sim_order *order, const char *fulfillment_id,
                      sim_outcome *out)
{
    int64_t now = sim_now();
    memset(out, 0, sizeof(*out));
    pthread_mutex_lock(&order->lock);
    sim_fulfillment *fulfillment = sim_order_find_fulfillment(order, fulfillment_id);
    if (!fulfillment)
        refuse(out, SIM_FULFILLMENT_NOT_FOUND, "order %s has no fulfillment %s", order->id,
               fulfillment_id);
    else
        cancel_locked(store, order, fulfillment, now, out);
    pthread_mutex_unlock(&order->lock);
}

/* The merged tracking of an update: the old object with the given keys replaced. */
static json_t *merged_tracking(json_t *old, json_t *changes)
{
    json_t *merged = json_deep_copy(old);
    const char *key;
    json_t *value;
    json_object_foreach(changes, key, value)
        json_object_set(merged, key, value);
    /* a new number without numbers (or the reverse) replaces both */
    if (json_object_get(changes, "number") && !json_object_get(changes, "numbers"))
        json_object_del(merged, "numbers");
    else if (json_object_get(changes, "numbers") && !json_object_get(changes, "number"))
        json_object_del(merged, "number");
    if (json_object_get(changes, "url") && !json_object_get(changes, "urls"))
        json_object_del(merged, "urls");
    else if (json_object_get(changes, "urls") && !json_object_get(changes, "url"))
        json_object_del(merged, "url");
    json_t *normalized = normalized_tracking(merged);
    json_decref(merged);
    return normalized;
}

/* PUT may repeat the create body: items and fulfillmentOrderId are accepted when they are
 * those the fulfillment already has (absent is fine too). */
static int same_items(const sim_fulfillment *fulfillment, json_t *items)
{
    char buffer[32];
    if (!items || json_is_null(items))
        return 1;
    if (!json_is_array(items) || json_array_size(items) != fulfillment->item_count)
        return 0;
    for (size_t i = 0; i < fulfillment->item_count; i++) {
        json_t *item = json_array_get(items, i);
        const char *id = id_field(item, "id", buffer);
        if (!id || strcmp(id, fulfillment->items[i].id) != 0 ||
            sim_json_quantity(json_object_get(item, "quantity")) != fulfillment->items[i].quantity)
            return 0;
    }
    return 1;
}

static int same_package(const sim_fulfillment *fulfillment, json_t *foid)
{
    if (!foid || json_is_null(foid))
        return 1;
    return json_is_string(foid) && fulfillment->fulfillment_order_id &&
           strcmp(json_string_value(foid), fulfillment->fulfillment_order_id) == 0;
}

static int update_locked(sim_store *store, sim_order *order, sim_fulfillment *fulfillment,
                          json_t *changes, int64_t now, sim_outcome *out)
{
    json_t *tracking = json_object_get(changes, "tracking");
    json_t *notify = json_object_get(changes, "notifyCustomer");
    json_t *date = json_object_get(changes, "shippingDate");
    json_t *status = json_object_get(changes, "status");
    const char *status_text = json_is_object(status)
                                  ? json_string_value(json_object_get(status, "ecartapi"))
                                  : json_string_value(status);
    if (!same_items(fulfillment, json_object_get(changes, "items")))
        return refuse(out, SIM_INVALID_REQUEST,
                      "items of a fulfillment cannot change: cancel it and create another");
    if (!same_package(fulfillment, json_object_get(changes, "fulfillmentOrderId")))
        return refuse(out, SIM_INVALID_REQUEST,
                      "a fulfillment cannot move to another package");
    if ((tracking && !json_is_object(tracking)) || (notify && !json_is_boolean(notify)) ||
        (date && !json_is_string(date)) || (status && !status_text))
        return refuse(out, SIM_INVALID_REQUEST,
                      "tracking must be an object, notifyCustomer a boolean, shippingDate and "
                      "status strings");
    if (status_text && strcmp(status_text, "canceled") == 0)
        return cancel_locked(store, order, fulfillment, now, out);
    if (status_text && strcmp(fulfillment->status, "canceled") == 0)
        return refuse(out, SIM_INVALID_REQUEST, "fulfillment %s is canceled", fulfillment->id);
    json_t *new_tracking = tracking ? merged_tracking(fulfillment->tracking, tracking) : NULL;
    if (new_tracking && !tracking_has_number(new_tracking)) {
        json_decref(new_tracking);
        return refuse(out, SIM_TRACKING_NUMBER_MISSING, "tracking.number is missing");
    }
    if (new_tracking) {
        json_decref(fulfillment->tracking);
        fulfillment->tracking = new_tracking;
    }
    if (notify)
        fulfillment->notify_customer = json_is_true(notify);
    if (date) {
        free(fulfillment->shipping_date);
        fulfillment->shipping_date = strdup(json_string_value(date));
    }
    if (status_text) {
        free(fulfillment->status);
        fulfillment->status = strdup(status_text);
    }
    json_t *location = json_object_get(changes, "locationId");
    json_t *method = json_object_get(changes, "shippingMethod");
    if (json_is_string(location)) {
        free(fulfillment->location_id);
        fulfillment->location_id = strdup(json_string_value(location));
    }
    if (json_is_string(method)) {
        free(fulfillment->shipping_method);
        fulfillment->shipping_method = strdup(json_string_value(method));
    }
    sim_order_fulfillment_updated(store, order, fulfillment, now);
    out->fulfillment = sim_render_fulfillment(order, fulfillment);
    return 0;
}

void sim_store_update(sim_store *store, sim_order *order, const char *fulfillment_id,
                      json_t *changes, sim_outcome *out)
{
    int64_t now = sim_now();
    memset(out, 0, sizeof(*out));
    if (!json_is_object(changes)) {
        refuse(out, SIM_INVALID_REQUEST, "the body needs a \"fulfillment\" object");
        return;
    }
    pthread_mutex_lock(&order->lock);
    sim_fulfillment *fulfillment = sim_order_find_fulfillment(order, fulfillment_id);
    if (!fulfillment)
        refuse(out, SIM_FULFILLMENT_NOT_FOUND, "order %s has no fulfillment %s", order->id,
               fulfillment_id);
    else
        update_locked(store, order, fulfillment, changes, now, out);
    pthread_mutex_unlock(&order->lock);
}
