/* store_load.c: reads a store document ({"orders":[...]}, the format of samples/store.json and of
 * GET /__sim/state; README.md) into a sim_store, and writes the state back out. Orders in a
 * platform's own file form go through its store form's to_core first; this file reads the
 * core form. Validates what
 * the rules depend on (ids present and unique, quantities whole and consistent) and names the
 * offending field; it applies no business rule itself. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store.h"
#include "strbuf.h"

typedef struct load_context {
    char *err;
    size_t err_size;
} load_context;

static int fail(load_context *ctx, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(ctx->err, ctx->err_size, format, args);
    va_end(args);
    return -1;
}

/* A string or integer field as a new string; NULL when missing or null. *bad set on wrong type. */
static char *take_string(json_t *object, const char *key, int *bad)
{
    json_t *value = json_object_get(object, key);
    char digits[32];
    if (!value || json_is_null(value))
        return NULL;
    if (json_is_string(value))
        return strdup(json_string_value(value));
    if (json_is_integer(value)) {
        snprintf(digits, sizeof(digits), "%" JSON_INTEGER_FORMAT, json_integer_value(value));
        return strdup(digits);
    }
    *bad = 1;
    return NULL;
}

/* {"ecartapi": "x"} or "x". */
static const char *status_text(json_t *object, const char *key)
{
    json_t *value = json_object_get(object, key);
    if (json_is_object(value))
        value = json_object_get(value, "ecartapi");
    return json_is_string(value) ? json_string_value(value) : NULL;
}

/* createdAt/updatedAt at the top level or under "dates"; fallback when absent. */
static int take_time(json_t *object, const char *key, int64_t fallback, int64_t *out)
{
    json_t *value = json_object_get(object, key);
    json_t *dates = json_object_get(object, "dates");
    if (!json_is_string(value) && json_is_object(dates))
        value = json_object_get(dates, key);
    *out = fallback;
    if (!value || json_is_null(value))
        return 0;
    return json_is_string(value) ? sim_parse_time(json_string_value(value), out) : -1;
}

static int load_item(json_t *json, sim_item *item, const char *where, load_context *ctx)
{
    int bad = 0;
    if (!json_is_object(json))
        return fail(ctx, "%s: expected an object", where);
    item->id = take_string(json, "id", &bad);
    item->sku = take_string(json, "sku", &bad);
    item->name = take_string(json, "name", &bad);
    item->quantity = sim_json_quantity(json_object_get(json, "quantity"));
    json_t *fulfilled = json_object_get(json, "fulfilledQuantity");
    item->fulfilled = fulfilled ? sim_json_quantity(fulfilled) : 0;
    json_t *refunded = json_object_get(json, "refundedQuantity");
    item->refunded = refunded && !json_is_null(refunded) ? sim_json_quantity(refunded) : 0;
    if (bad || !item->id || !*item->id)
        return fail(ctx, "%s.id: missing or not a string", where);
    if (item->quantity < 0 || item->fulfilled < 0 || item->fulfilled > item->quantity)
        return fail(ctx, "%s: quantity and fulfilledQuantity must be whole numbers with "
                         "0 <= fulfilledQuantity <= quantity", where);
    if (item->refunded < 0 || item->refunded + item->fulfilled > item->quantity)
        return fail(ctx, "%s: refundedQuantity must be a whole number with "
                         "refundedQuantity + fulfilledQuantity <= quantity", where);
    item->initial_fulfilled = item->fulfilled;
    return 0;
}

static int load_package(json_t *json, sim_order *order, sim_package *package, const char *where,
                        load_context *ctx)
{
    int bad = 0;
    char here[320];
    if (!json_is_object(json))
        return fail(ctx, "%s: expected an object", where);
    package->order = order;
    package->id = take_string(json, "id", &bad);
    package->fulfillment_order_id = take_string(json, "fulfillmentOrderId", &bad);
    package->number = take_string(json, "number", &bad);
    package->location_id = take_string(json, "locationId", &bad);
    package->type = take_string(json, "type", &bad);
    if (bad || !package->id || !*package->id)
        return fail(ctx, "%s: id missing or a field is not a string", where);
    const char *status = status_text(json, "status");
    int parsed = status ? sim_package_status_parse(status) : SIM_PKG_PENDING;
    if (parsed < 0)
        return fail(ctx, "%s.status: unknown package status \"%s\"", where, status);
    atomic_init(&package->status, parsed);
    package->initial_status = parsed;
    if (take_time(json, "createdAt", order->created_at, &package->created_at) ||
        take_time(json, "updatedAt", package->created_at, &package->updated_at))
        return fail(ctx, "%s.dates: not an ISO 8601 time", where);
    package->initial_updated_at = package->updated_at;
    json_t *items = json_object_get(json, "items");
    if (!json_is_array(items))
        return fail(ctx, "%s.items: missing or not an array", where);
    package->items = calloc(json_array_size(items) + 1, sizeof(sim_item));
    if (!package->items)
        return fail(ctx, "out of memory");
    for (size_t i = 0; i < json_array_size(items); i++) {
        snprintf(here, sizeof(here), "%s.items[%zu]", where, i);
        package->item_count = i + 1;
        if (load_item(json_array_get(items, i), &package->items[i], here, ctx))
            return -1;
    }
    return 0;
}

/* tracking: keeps the object, filling number/numbers and url/urls from each other. */
static json_t *normalize_tracking(json_t *tracking)
{
    json_t *copy = json_is_object(tracking) ? json_deep_copy(tracking) : json_object();
    json_t *number = json_object_get(copy, "number");
    json_t *numbers = json_object_get(copy, "numbers");
    if (json_is_string(number) && !json_is_array(numbers))
        json_object_set_new(copy, "numbers", json_pack("[O]", number));
    else if (json_is_array(numbers) && json_array_size(numbers) > 0 && !json_is_string(number))
        json_object_set(copy, "number", json_array_get(numbers, 0));
    json_t *url = json_object_get(copy, "url");
    json_t *urls = json_object_get(copy, "urls");
    if (json_is_string(url) && !json_is_array(urls))
        json_object_set_new(copy, "urls", json_pack("[O]", url));
    else if (json_is_array(urls) && json_array_size(urls) > 0 && !json_is_string(url))
        json_object_set(copy, "url", json_array_get(urls, 0));
    return copy;
}

static int load_fulfillment(json_t *json, sim_order *order, sim_fulfillment *fulfillment,
                            const char *where, load_context *ctx)
{
    int bad = 0;
    if (!json_is_object(json))
        return fail(ctx, "%s: expected an object", where);
    fulfillment->id = take_string(json, "id", &bad);
    fulfillment->fulfillment_order_id = take_string(json, "fulfillmentOrderId", &bad);
    fulfillment->package_id = take_string(json, "packageId", &bad);
    fulfillment->shipping_date = take_string(json, "shippingDate", &bad);
    fulfillment->location_id = take_string(json, "locationId", &bad);
    fulfillment->shipping_method = take_string(json, "shippingMethod", &bad);
    if (bad || !fulfillment->id)
        return fail(ctx, "%s: id missing or a field is not a string", where);
    const char *status = status_text(json, "status");
    fulfillment->status = strdup(status ? status : "shipped");
    fulfillment->tracking = normalize_tracking(json_object_get(json, "tracking"));
    fulfillment->notify_customer = json_is_true(json_object_get(json, "notifyCustomer"));
    if (take_time(json, "createdAt", order->created_at, &fulfillment->created_at) ||
        take_time(json, "updatedAt", fulfillment->created_at, &fulfillment->updated_at))
        return fail(ctx, "%s.dates: not an ISO 8601 time", where);
    /* Link to the package by fulfillmentOrderId or packageId, filling in the other. */
    sim_package *package = fulfillment->package_id
                               ? sim_order_find_package_by_id(order, fulfillment->package_id)
                               : sim_order_find_package_by_foid(order,
                                                                fulfillment->fulfillment_order_id);
    if (!package)
        return fail(ctx, "%s: names no package of its order", where);
    if (!fulfillment->package_id)
        fulfillment->package_id = strdup(package->id);
    if (!fulfillment->fulfillment_order_id && package->fulfillment_order_id)
        fulfillment->fulfillment_order_id = strdup(package->fulfillment_order_id);
    json_t *items = json_object_get(json, "items");
    size_t count = json_array_size(items);
    fulfillment->items = calloc(count + 1, sizeof(*fulfillment->items));
    if (!fulfillment->items)
        return fail(ctx, "out of memory");
    for (size_t i = 0; i < count; i++) {
        json_t *item = json_array_get(items, i);
        fulfillment->items[i].id = take_string(item, "id", &bad);
        fulfillment->items[i].quantity = sim_json_quantity(json_object_get(item, "quantity"));
        fulfillment->item_count = i + 1;
        if (bad || !fulfillment->items[i].id || fulfillment->items[i].quantity < 0)
            return fail(ctx, "%s.items[%zu]: needs an id and a whole quantity", where, i);
    }
    return 0;
}

int sim_order_load_fulfillments(sim_order *order, json_t *array, char *err, size_t err_size)
{
    load_context ctx = { err, err_size };
    char where[160];
    for (size_t i = 0; i < order->fulfillment_count; i++)
        sim_fulfillment_clear(&order->fulfillments[i]);
    order->fulfillment_count = 0;
    size_t count = json_array_size(array);
    if (count > order->fulfillment_capacity) {
        sim_fulfillment *grown = realloc(order->fulfillments, count * sizeof(*grown));
        if (!grown)
            return fail(&ctx, "out of memory");
        order->fulfillments = grown;
        order->fulfillment_capacity = count;
    }
    for (size_t i = 0; i < count; i++) {
        snprintf(where, sizeof(where), "order %s: fulfillments[%zu]", order->id, i);
        memset(&order->fulfillments[i], 0, sizeof(sim_fulfillment));
        order->fulfillment_count = i + 1;
        if (load_fulfillment(json_array_get(array, i), order, &order->fulfillments[i], where,
                             &ctx))
            return -1;
    }
    order->next_fulfillment_seq = (long)count + 1;
    return 0;
}

static int load_order_fields(json_t *json, sim_order *order, const char *where, load_context *ctx)
{
    int bad = 0;
    order->id = take_string(json, "id", &bad);
    order->number = take_string(json, "number", &bad);
    order->name = take_string(json, "name", &bad);
    order->shipping_method = take_string(json, "shippingMethod", &bad);
    if (bad || !order->id || !*order->id)
        return fail(ctx, "%s: id missing or a field is not a string", where);
    if (!order->number)
        order->number = strdup(order->name ? order->name + (*order->name == '#') : order->id);
    if (!order->name && asprintf(&order->name, "#%s", order->number) < 0)
        return fail(ctx, "out of memory");
    const char *status = status_text(json, "status");
    order->status = strdup(status ? status : "paid");
    order->financial_status = take_string(json, "financialStatus", &bad);
    if (bad)
        return fail(ctx, "%s.financialStatus: not a string", where);
    json_t *items = json_object_get(json, "items");
    json_t *address = json_object_get(json, "shippingAddress");
    order->items_json = json_is_array(items) ? json_dumps(items, JSON_COMPACT) : strdup("[]");
    order->shipping_address_json = address ? json_dumps(address, JSON_COMPACT | JSON_ENCODE_ANY)
                                           : strdup("null");
    if (!order->items_json || !order->shipping_address_json)
        return fail(ctx, "out of memory");
    order->requires_fulfillment_order_id =
        json_is_true(json_object_get(json, "requiresFulfillmentOrderId"));
    int64_t created = 0, updated = 0;
    if (take_time(json, "createdAt", 0, &created) || take_time(json, "updatedAt", created, &updated))
        return fail(ctx, "%s: createdAt/updatedAt not an ISO 8601 time", where);
    order->created_at = created;
    atomic_init(&order->updated_at, updated);
    order->initial_updated_at = updated;
    return 0;
}

static sim_order *load_order(json_t *json, size_t index, load_context *ctx)
{
    char where[160], here[240];
    snprintf(where, sizeof(where), "orders[%zu]", index);
    if (!json_is_object(json)) {
        fail(ctx, "%s: expected an object", where);
        return NULL;
    }
    sim_order *order = calloc(1, sizeof(*order));
    if (!order) {
        fail(ctx, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&order->lock, NULL);
    order->index = index;
    json_t *packages = json_object_get(json, "packages");
    json_t *fulfillments = json_object_get(json, "fulfillments");
    if (load_order_fields(json, order, where, ctx))
        return order;   /* the caller frees it with the store */
    if (packages && !json_is_array(packages)) {
        fail(ctx, "%s.packages: expected an array", where);
        return order;
    }
    order->packages = calloc(json_array_size(packages) + 1, sizeof(sim_package));
    if (!order->packages) {
        fail(ctx, "out of memory");
        return order;
    }
    for (size_t i = 0; i < json_array_size(packages); i++) {
        snprintf(here, sizeof(here), "%s.packages[%zu]", where, i);
        order->package_count = i + 1;
        if (load_package(json_array_get(packages, i), order, &order->packages[i], here, ctx))
            return order;
    }
    order->initial_fulfillments = json_array_size(fulfillments) > 0 ? json_deep_copy(fulfillments)
                                                                    : NULL;
    if (sim_order_load_fulfillments(order, order->initial_fulfillments, ctx->err, ctx->err_size))
        return order;
    sim_order_derive_statuses(order);
    ctx->err[0] = '\0';
    return order;
}

/* Appends to a growable array of pointers; -1 on OOM. */
static int push_pointer(void ***array, size_t *count, size_t *capacity, void *value)
{
    if (*count == *capacity) {
        size_t grown_capacity = *capacity ? *capacity * 2 : 64;
        void **grown = realloc(*array, grown_capacity * sizeof(void *));
        if (!grown)
            return -1;
        *array = grown;
        *capacity = grown_capacity;
    }
    (*array)[(*count)++] = value;
    return 0;
}

/* Names need not be unique (a platform aggregating sales channels can hold two #1001): the
 * name map points at the first order of a name, the next ones are chained behind it. */
static int index_name(sim_store *store, sim_order *order)
{
    const char *name = order->name + (*order->name == '#');
    int found = sim_map_put(&store->order_by_name, name, order);
    if (found != 1)
        return found;
    sim_order *last = sim_map_get(&store->order_by_name, name);
    while (last->next_same_name)
        last = last->next_same_name;
    last->next_same_name = order;
    return 0;
}

static int index_order(sim_store *store, sim_order *order, load_context *ctx)
{
    if (sim_map_put(&store->order_by_id, order->id, order) == 1)
        return fail(ctx, "order id %s appears twice", order->id);
    if (index_name(store, order) ||
        sim_map_put(&store->order_by_number, sim_order_number_key(order), order) < 0)
        return fail(ctx, "out of memory");
    for (size_t i = 0; i < order->package_count; i++) {
        sim_package *package = &order->packages[i];
        if (sim_map_put(&store->package_by_id, package->id, package) == 1)
            return fail(ctx, "package id %s appears twice", package->id);
        if (package->fulfillment_order_id &&
            sim_map_put(&store->package_by_foid, package->fulfillment_order_id, package) == 1)
            return fail(ctx, "fulfillmentOrderId %s appears twice",
                        package->fulfillment_order_id);
        if (push_pointer((void ***)&store->packages, &store->package_count,
                         &store->package_capacity, package))
            return fail(ctx, "out of memory");
    }
    return 0;
}

sim_store *sim_store_new(size_t expected_orders)
{
    sim_store *store = calloc(1, sizeof(*store));
    if (!store || sim_map_init(&store->order_by_id, expected_orders) ||
        sim_map_init(&store->order_by_name, expected_orders) ||
        sim_map_init(&store->package_by_id, expected_orders * 2) ||
        sim_map_init(&store->package_by_foid, expected_orders * 2) ||
        sim_map_init(&store->order_by_number, expected_orders)) {
        sim_store_free(store);
        return NULL;
    }
    store->form = &sim_ecart_form;
    return store;
}

void sim_store_set_form(sim_store *store, const sim_store_form *form)
{
    store->form = form ? form : &sim_ecart_form;
}

/* Loads one core-form order and indexes it. On failure the store keeps what it had (the order,
 * if it was added, stays owned by the store so that sim_store_free releases it). */
int sim_store_add_core_order(sim_store *store, json_t *json, char *err, size_t err_size)
{
    load_context ctx = { err, err_size };
    err[0] = '\0';
    sim_order *order = load_order(json, store->order_count, &ctx);
    if (!order)
        return -1;
    order->form = store->form;
    if (push_pointer((void ***)&store->orders, &store->order_count, &store->order_capacity,
                     order)) {
        sim_store_free_order(order);
        return fail(&ctx, "out of memory");
    }
    if (err[0])
        return -1;
    return index_order(store, order, &ctx);
}

int sim_store_add_order(sim_store *store, json_t *json, char *err, size_t err_size)
{
    if (!store->form->to_core)
        return sim_store_add_core_order(store, json, err, err_size);
    char inner[300];
    json_t *core = store->form->to_core(json, inner, sizeof(inner));
    if (!core) {
        snprintf(err, err_size, "orders[%zu]: %s", store->order_count, inner);
        return -1;
    }
    int failed = sim_store_add_core_order(store, core, err, err_size);
    json_decref(core);
    return failed;
}

sim_store *sim_store_from_json(json_t *document, char *err, size_t err_size)
{
    return sim_store_from_json_as(document, &sim_ecart_form, err, err_size);
}

sim_store *sim_store_from_json_as(json_t *document, const sim_store_form *form, char *err,
                                  size_t err_size)
{
    json_t *orders = json_object_get(document, "orders");
    if (!json_is_array(orders)) {
        snprintf(err, err_size, "the store document needs an \"orders\" array");
        return NULL;
    }
    sim_store *store = sim_store_new(json_array_size(orders));
    if (!store) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    sim_store_set_form(store, form);
    for (size_t i = 0; i < json_array_size(orders); i++)
        if (sim_store_add_order(store, json_array_get(orders, i), err, err_size)) {
            sim_store_free(store);
            return NULL;
        }
    return store;
}

/* ---- files: written stores load order by order; other documents whole ---- */

static size_t skip_space(const char *text, size_t len, size_t at)
{
    while (at < len && (text[at] == ' ' || text[at] == '\n' || text[at] == '\r' ||
                        text[at] == '\t'))
        at++;
    return at;
}

static int expect_token(const char *text, size_t len, size_t *at, const char *token)
{
    size_t token_len = strlen(token);
    *at = skip_space(text, len, *at);
    if (len - *at < token_len || memcmp(text + *at, token, token_len) != 0)
        return -1;
    *at += token_len;
    return 0;
}

/* A document shaped {"orders": [ ... ]} (what --write-store and samples/store.json hold) is
 * parsed one order at a time with jansson (JSON_DISABLE_EOF_CHECK), so a big store never
 * exists as one JSON tree. Returns 1 when the text has another shape (the caller then parses
 * the whole document), 0 with *out set, or -1 with a message. */
static int load_orders_one_by_one(const char *text, size_t len, const sim_store_form *form,
                                  sim_store **out, char *err, size_t err_size)
{
    size_t at = 0;
    *out = NULL;
    if (expect_token(text, len, &at, "{") || expect_token(text, len, &at, "\"orders\"") ||
        expect_token(text, len, &at, ":") || expect_token(text, len, &at, "["))
        return 1;
    sim_store *store = sim_store_new(1024);
    if (!store) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    sim_store_set_form(store, form);
    if (expect_token(text, len, &at, "]") == 0)     /* no orders */
        goto close_object;
    for (;;) {
        json_error_t error;
        at = skip_space(text, len, at);
        json_t *order = json_loadb(text + at, len - at, JSON_DISABLE_EOF_CHECK, &error);
        if (!order)
            goto other_shape;       /* the whole-document parse names the line */
        int failed = sim_store_add_order(store, order, err, err_size);
        json_decref(order);
        if (failed) {
            sim_store_free(store);
            return -1;
        }
        at += (size_t)error.position;
        if (expect_token(text, len, &at, ",") == 0)
            continue;
        if (expect_token(text, len, &at, "]") == 0)
            break;
        goto other_shape;
    }
close_object:
    if (expect_token(text, len, &at, "}") || skip_space(text, len, at) != len)
        goto other_shape;
    *out = store;
    return 0;
other_shape:
    sim_store_free(store);
    return 1;
}

static char *read_whole_file(const char *path, size_t *len)
{
    FILE *file = fopen(path, "rb");
    char *text = NULL;
    long size = -1;
    if (file && fseek(file, 0, SEEK_END) == 0 && (size = ftell(file)) >= 0 &&
        fseek(file, 0, SEEK_SET) == 0 && (text = malloc((size_t)size + 1)) != NULL &&
        fread(text, 1, (size_t)size, file) != (size_t)size) {
        free(text);
        text = NULL;
    }
    if (file)
        fclose(file);
    if (text) {
        text[size] = '\0';
        *len = (size_t)size;
    }
    return text;
}

sim_store *sim_store_load_file(const char *path, char *err, size_t err_size)
{
    return sim_store_load_file_as(path, &sim_ecart_form, err, err_size);
}

sim_store *sim_store_load_file_as(const char *path, const sim_store_form *form, char *err,
                                  size_t err_size)
{
    char inner[300];
    size_t len = 0;
    sim_store *store = NULL;
    char *text = read_whole_file(path, &len);
    if (!text) {
        snprintf(err, err_size, "%s: cannot read the file", path);
        return NULL;
    }
    int shape = load_orders_one_by_one(text, len, form, &store, inner, sizeof(inner));
    if (shape == 1) {
        json_error_t json_error;
        json_t *document = json_loadb(text, len, 0, &json_error);
        if (!document) {
            snprintf(inner, sizeof(inner), "line %d: %s", json_error.line, json_error.text);
        } else {
            store = sim_store_from_json_as(document, form, inner, sizeof(inner));
            json_decref(document);
        }
    }
    free(text);
    if (!store)
        snprintf(err, err_size, "%s: %s", path, inner);
    return store;
}

json_t *sim_store_dump(sim_store *store)
{
    json_t *orders = json_array();
    for (size_t i = 0; orders && i < store->order_count; i++) {
        sim_order *order = store->orders[i];
        pthread_mutex_lock(&order->lock);
        json_array_append_new(orders, sim_render_order(order));
        pthread_mutex_unlock(&order->lock);
    }
    return json_pack("{s:o}", "orders", orders);
}

/* One order per line, as rendered. */
char *sim_store_dump_text(sim_store *store, const char *prefix, size_t *len)
{
    sim_strbuf buf = { 0 };
    sim_strbuf_puts(&buf, "{");
    sim_strbuf_puts(&buf, prefix ? prefix : "");
    sim_strbuf_puts(&buf, "\"orders\":[");
    for (size_t i = 0; i < store->order_count; i++) {
        sim_blob *blob = sim_order_text(store->orders[i], 0);
        if (!blob) {
            buf.failed = 1;
            break;
        }
        sim_strbuf_puts(&buf, i ? ",\n" : "\n");
        sim_strbuf_append(&buf, blob->text, blob->len);
        sim_blob_release(blob);
    }
    sim_strbuf_puts(&buf, "\n]}\n");
    return sim_strbuf_finish(&buf, len);
}

/* One order per line, written as it is rendered: memory does not grow with the store. */
int sim_store_write_file(sim_store *store, const char *path, char *err, size_t err_size)
{
    FILE *file = fopen(path, "w");
    int failed = !file;
    if (file)
        fputs("{\"orders\":[", file);
    for (size_t i = 0; !failed && i < store->order_count; i++) {
        sim_blob *blob = sim_order_text(store->orders[i], 0);
        failed = !blob || fputs(i ? ",\n" : "\n", file) < 0 ||
                 fwrite(blob->text, 1, blob->len, file) != blob->len;
        sim_blob_release(blob);
    }
    if (file) {
        failed |= fputs("\n]}\n", file) < 0;
        failed |= fclose(file) != 0;
    }
    if (failed)
        snprintf(err, err_size, "%s: cannot write the store", path);
    return failed ? -1 : 0;
}
