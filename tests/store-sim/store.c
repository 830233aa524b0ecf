/* store.c: the store's lifecycle, lookups, derived statuses, time helpers and the table of
 * answer codes. Loading is in store_load.c, rendering in store_render.c, the write rules in
 * store_rules.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store.h"

static const struct {
    const char *name;
    int http_status;
} code_table[SIM_CODE_COUNT] = {
    [SIM_OK] = { "ok", 200 },
    [SIM_ORDER_NOT_FOUND] = { "orderNotFound", 404 },
    [SIM_PACKAGE_NOT_FOUND] = { "packageNotFound", 404 },
    [SIM_FULFILLMENT_NOT_FOUND] = { "fulfillmentNotFound", 404 },
    [SIM_FULFILLMENT_ORDER_ID_MISSING] = { "fulfillmentOrderIdMissing", 400 },
    [SIM_ORDER_CANCELED] = { "orderCanceled", 422 },
    [SIM_PACKAGE_ALREADY_FULFILLED] = { "packageAlreadyFulfilled", 422 },
    [SIM_PACKAGE_CANCELED] = { "packageCanceled", 422 },
    [SIM_ITEM_NOT_IN_PACKAGE] = { "itemNotInPackage", 422 },
    [SIM_QUANTITY_EXCEEDS_REMAINING] = { "quantityExceedsRemaining", 422 },
    [SIM_INVALID_QUANTITY] = { "invalidQuantity", 422 },
    [SIM_TRACKING_NUMBER_MISSING] = { "trackingNumberMissing", 422 },
    [SIM_FULFILLMENT_NOT_CANCELABLE] = { "fulfillmentNotCancelable", 422 },
    [SIM_FULFILLMENT_EXISTS] = { "fulfillmentExists", 409 },
    [SIM_INVALID_REQUEST] = { "invalidRequest", 400 },
    [SIM_UNAUTHORIZED] = { "unauthorized", 401 },
    [SIM_ROUTE_NOT_FOUND] = { "notFound", 404 },
    [SIM_METHOD_NOT_ALLOWED] = { "methodNotAllowed", 405 },
    [SIM_PAYLOAD_TOO_LARGE] = { "payloadTooLarge", 413 },
    [SIM_RATE_LIMITED] = { "rateLimited", 429 },
    [SIM_INTERNAL_ERROR] = { "internalError", 500 },
    [SIM_SERVICE_UNAVAILABLE] = { "serviceUnavailable", 503 },
};

const char *sim_code_name(sim_code code)
{
    return code < SIM_CODE_COUNT ? code_table[code].name : "internalError";
}

int sim_code_http_status(sim_code code)
{
    return code < SIM_CODE_COUNT ? code_table[code].http_status : 500;
}

static const char *const package_status_names[SIM_PKG_STATUS_COUNT] = {
    "pending", "shipped", "delivered", "canceled", "refunded", "other",
};

static const char *const fulfillment_state_names[SIM_FS_COUNT] = {
    "unfulfilled", "partial", "fulfilled",
};

static int parse_name(const char *const *names, int count, const char *name)
{
    for (int i = 0; name && i < count; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

const char *sim_package_status_name(int status)
{
    return status >= 0 && status < SIM_PKG_STATUS_COUNT ? package_status_names[status] : "other";
}

int sim_package_status_parse(const char *name)
{
    return parse_name(package_status_names, SIM_PKG_STATUS_COUNT, name);
}

const char *sim_fulfillment_state_name(int state)
{
    return state >= 0 && state < SIM_FS_COUNT ? fulfillment_state_names[state] : "unfulfilled";
}

int sim_fulfillment_state_parse(const char *name)
{
    return parse_name(fulfillment_state_names, SIM_FS_COUNT, name);
}

/* ---------------------------------------------------------------- blobs */

sim_blob *sim_blob_new(const char *text, size_t len)
{
    sim_blob *blob = malloc(sizeof(*blob) + len + 1);
    if (!blob)
        return NULL;
    atomic_init(&blob->refs, 1);
    blob->len = len;
    memcpy(blob->text, text, len);
    blob->text[len] = '\0';
    return blob;
}

sim_blob *sim_blob_ref(sim_blob *blob)
{
    if (blob)
        atomic_fetch_add(&blob->refs, 1);
    return blob;
}

void sim_blob_release(sim_blob *blob)
{
    if (blob && atomic_fetch_sub(&blob->refs, 1) == 1)
        free(blob);
}

/* ---------------------------------------------------------------- time */

int64_t sim_now(void)
{
    return (int64_t)time(NULL);
}

/* "2026-11-20", "2026-11-20T10:00:00Z", "2026-11-20T10:00:00.123+02:00" */
int sim_parse_time(const char *text, int64_t *out)
{
    struct tm tm = { 0 };
    int consumed = 0;
    if (!text || sscanf(text, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                        &consumed) != 3 || consumed != 10)
        return -1;
    const char *rest = text + consumed;
    long offset = 0;
    if (*rest == 'T' || *rest == ' ') {
        int used = 0;
        if (sscanf(rest + 1, "%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &used) != 3)
            return -1;
        rest += 1 + used;
        if (*rest == '.')
            for (rest++; *rest >= '0' && *rest <= '9'; rest++)
                ;
        if (*rest == '+' || *rest == '-') {
            int hours = 0, minutes = 0;
            if (sscanf(rest + 1, "%2d:%2d", &hours, &minutes) != 2)
                return -1;
            offset = (hours * 3600L + minutes * 60L) * (*rest == '-' ? -1 : 1);
            rest += 6;
        } else if (*rest == 'Z') {
            rest++;
        }
    }
    if (*rest)
        return -1;
    if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *out = (int64_t)timegm(&tm) - offset;
    return 0;
}

void sim_format_time(int64_t when, char out[32])
{
    time_t seconds = (time_t)when;
    struct tm tm;
    gmtime_r(&seconds, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---------------------------------------------------------------- lookups */

sim_order *sim_store_order_by_id(const sim_store *store, const char *id)
{
    return sim_map_get(&store->order_by_id, id);
}

sim_order *sim_store_order_by_name(const sim_store *store, const char *name)
{
    if (!name)
        return NULL;
    if (*name == '#')
        name++;
    return sim_map_get(&store->order_by_name, name);
}

int sim_order_has_name(const sim_order *order, const char *name)
{
    if (!name)
        return 0;
    return strcmp(order->name + (*order->name == '#'), name + (*name == '#')) == 0;
}

sim_package *sim_store_package_by_id(const sim_store *store, const char *id)
{
    sim_package *package = sim_map_get(&store->package_by_id, id);
    return package ? package : sim_map_get(&store->package_by_foid, id);
}

/* "00001001" and "1001" are the same number (an all-zero number keeps its last zero). */
static const char *number_key(const char *number)
{
    while (number[0] == '0' && number[1])
        number++;
    return number;
}

sim_order *sim_store_order_by_number(const sim_store *store, const char *number)
{
    if (!number)
        return NULL;
    if (*number == '#')
        number++;
    return *number ? sim_map_get(&store->order_by_number, number_key(number)) : NULL;
}

const char *sim_order_number_key(const sim_order *order)
{
    return number_key(order->number);
}

sim_package *sim_order_find_package_by_foid(sim_order *order, const char *foid)
{
    for (size_t i = 0; foid && i < order->package_count; i++)
        if (order->packages[i].fulfillment_order_id &&
            strcmp(order->packages[i].fulfillment_order_id, foid) == 0)
            return &order->packages[i];
    return NULL;
}

sim_package *sim_order_find_package_by_id(sim_order *order, const char *id)
{
    for (size_t i = 0; id && i < order->package_count; i++)
        if (strcmp(order->packages[i].id, id) == 0)
            return &order->packages[i];
    return NULL;
}

sim_fulfillment *sim_order_find_fulfillment(sim_order *order, const char *id)
{
    for (size_t i = 0; id && i < order->fulfillment_count; i++)
        if (strcmp(order->fulfillments[i].id, id) == 0)
            return &order->fulfillments[i];
    return NULL;
}

/* ---------------------------------------------------------------- derived state */

static int package_is_complete(const sim_package *package)
{
    for (size_t i = 0; i < package->item_count; i++)
        if (sim_item_remaining(&package->items[i]) > 0)
            return 0;
    return 1;
}

static int package_has_fulfilled(const sim_package *package)
{
    for (size_t i = 0; i < package->item_count; i++)
        if (package->items[i].fulfilled > 0)
            return 1;
    return 0;
}

/* Pending and shipped follow from the quantities; canceled, delivered, refunded and other are
 * set by the platform, not by fulfillments, and are kept. */
void sim_order_derive_statuses(sim_order *order)
{
    size_t open = 0, complete = 0, touched = 0;
    for (size_t i = 0; i < order->package_count; i++) {
        sim_package *package = &order->packages[i];
        int status = atomic_load(&package->status);
        if (status == SIM_PKG_CANCELED || status == SIM_PKG_REFUNDED)
            continue;
        open++;
        int done = package_is_complete(package);
        if (status == SIM_PKG_PENDING || status == SIM_PKG_SHIPPED)
            atomic_store(&package->status, done ? SIM_PKG_SHIPPED : SIM_PKG_PENDING);
        complete += done;
        touched += package_has_fulfilled(package);
    }
    int state = SIM_FS_UNFULFILLED;
    if (open > 0 && complete == open)
        state = SIM_FS_FULFILLED;
    else if (touched > 0)
        state = SIM_FS_PARTIAL;
    atomic_store(&order->fulfillment_state, state);
}

void sim_order_touched(sim_order *order, int64_t now)
{
    atomic_store(&order->updated_at, now);
    sim_blob_release(order->cache);
    order->cache = NULL;
}

/* ---------------------------------------------------------------- rendering cache */

sim_blob *sim_order_text(sim_order *order, int keep)
{
    const sim_store_form *form = order->form ? order->form : &sim_ecart_form;
    sim_blob *blob = NULL;
    pthread_mutex_lock(&order->lock);
    if (order->cache) {
        blob = sim_blob_ref(order->cache);
    } else {
        blob = form->order_text(order);
        if (keep)
            order->cache = sim_blob_ref(blob);
    }
    pthread_mutex_unlock(&order->lock);
    return blob;
}

sim_blob *sim_order_blob(sim_order *order)
{
    return sim_order_text(order, 1);
}

/* ---------------------------------------------------------------- reset and free */

void sim_fulfillment_clear(sim_fulfillment *fulfillment)
{
    free(fulfillment->id);
    free(fulfillment->fulfillment_order_id);
    free(fulfillment->package_id);
    json_decref(fulfillment->tracking);
    free(fulfillment->status);
    for (size_t i = 0; i < fulfillment->item_count; i++)
        free(fulfillment->items[i].id);
    free(fulfillment->items);
    free(fulfillment->shipping_date);
    free(fulfillment->location_id);
    free(fulfillment->shipping_method);
    memset(fulfillment, 0, sizeof(*fulfillment));
}

static void reset_order(sim_order *order)
{
    char err[200];
    pthread_mutex_lock(&order->lock);
    for (size_t i = 0; i < order->package_count; i++) {
        sim_package *package = &order->packages[i];
        for (size_t j = 0; j < package->item_count; j++)
            package->items[j].fulfilled = package->items[j].initial_fulfilled;
        atomic_store(&package->status, package->initial_status);
        package->updated_at = package->initial_updated_at;
    }
    /* The initial fulfillments loaded once already, so they load again. */
    if (sim_order_load_fulfillments(order, order->initial_fulfillments, err, sizeof(err)))
        fprintf(stderr, "store-sim: reset of order %s: %s\n", order->id, err);
    sim_order_derive_statuses(order);
    sim_order_touched(order, order->initial_updated_at);
    pthread_mutex_unlock(&order->lock);
}

void sim_store_reset(sim_store *store)
{
    for (size_t i = 0; i < store->order_count; i++)
        reset_order(store->orders[i]);
    atomic_store(&store->fulfillments_created, 0);
    atomic_store(&store->fulfillments_updated, 0);
    atomic_store(&store->fulfillments_canceled, 0);
}

static void free_package(sim_package *package)
{
    free(package->id);
    free(package->fulfillment_order_id);
    free(package->number);
    free(package->location_id);
    free(package->type);
    for (size_t i = 0; i < package->item_count; i++) {
        free(package->items[i].id);
        free(package->items[i].sku);
        free(package->items[i].name);
    }
    free(package->items);
}

void sim_store_free_order(sim_order *order)
{
    if (!order)
        return;
    pthread_mutex_destroy(&order->lock);
    free(order->id);
    free(order->number);
    free(order->name);
    free(order->status);
    free(order->financial_status);
    free(order->shipping_method);
    free(order->items_json);
    free(order->shipping_address_json);
    for (size_t i = 0; i < order->package_count; i++)
        free_package(&order->packages[i]);
    free(order->packages);
    for (size_t i = 0; i < order->fulfillment_count; i++)
        sim_fulfillment_clear(&order->fulfillments[i]);
    free(order->fulfillments);
    json_decref(order->initial_fulfillments);
    sim_blob_release(order->cache);
    free(order);
}

void sim_store_free(sim_store *store)
{
    if (!store)
        return;
    for (size_t i = 0; i < store->order_count; i++)
        sim_store_free_order(store->orders[i]);
    free(store->orders);
    free(store->packages);
    sim_map_clear(&store->order_by_id);
    sim_map_clear(&store->order_by_name);
    sim_map_clear(&store->package_by_id);
    sim_map_clear(&store->package_by_foid);
    sim_map_clear(&store->order_by_number);
    free(store);
}
