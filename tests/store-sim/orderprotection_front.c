/* orderprotection_front.c: the OrderProtection front (--platform orderprotection): the
 * contract's /v1 routes, "Authorization: Bearer TOKEN", the error body {"status": "error",
 * "message"} for every failure, 429 with Retry-After (only when --rate-limit asks), and the
 * rules: an order by its sourceOrderId (percent-decoded from the path: "%23517AB" is
 * "#517AB"), the cursor-paged order list, an order's fulfillments, create (201
 * {"status":"ok"}; 409 for a sourceFulfillmentId the order already has, never a second
 * fulfillment; 422 order cancelled, unknown item, quantity exceeds remaining) and the
 * status-only update. Quantities move through the core's ledger under the order's lock. */
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "orderprotection.h"
#include "strbuf.h"

#define MAX_PAGE_SIZE 100
#define DEFAULT_PAGE_SIZE 20

/* The contract's fulfillmentStatus enum (seed 004). */
static const char *const statuses[] = {
    "DELIVERED", "FULFILLED", "UNFULFILLED", "PARTIALLY_FULFILLED", "AWAITING_SHIPMENT",
    "SCHEDULED", "ON_HOLD", "ATTEMPTED_DELIVERY", "CARRIER_PICKED_UP", "CONFIRMED", "DELAYED",
    "FAILURE", "IN_TRANSIT", "LABEL_PRINTED", "LABEL_PURCHASED", "OUT_FOR_DELIVERY",
    "PICKED_UP", "READY_FOR_PICKUP",
};

#define STATUS_COUNT (sizeof(statuses) / sizeof(statuses[0]))

/* (ours) The enum's value for a status written in any case ("Fulfilled", the seed's own
 * example), or NULL. */
static const char *canonical_status(json_t *value)
{
    const char *text = json_string_value(value);
    for (size_t i = 0; text && i < STATUS_COUNT; i++)
        if (strcasecmp(statuses[i], text) == 0)
            return statuses[i];
    return NULL;
}

/* ---------------------------------------------------------------- answers */

static void op_reply_error(sim_reply *reply, sim_code code, const char *message)
{
    sim_reply_json(reply, sim_code_http_status(code),
                   json_pack("{s:s, s:s}", "status", "error", "message", message ? message : ""));
}

static void reply_ok(sim_reply *reply, int status)
{
    reply->applied = 1;
    sim_reply_text(reply, status, "{\"status\":\"ok\"}");
}

static int op_authorize(const sim_app *app, const sim_request *request, sim_reply *reply)
{
    const char *header = request->authorization;
    if (header && strncmp(header, "Bearer ", 7) == 0 && strcmp(header + 7, app->token) == 0)
        return 0;
    op_reply_error(reply, SIM_UNAUTHORIZED, header ? "invalid token"
                                                   : "missing Authorization: Bearer header");
    return -1;
}

static sim_order *path_order(sim_app *app, sim_request *request, sim_reply *reply)
{
    sim_order *order = sim_store_order_by_id(app->store, request->params[0]);
    if (!order)
        op_reply_error(reply, SIM_ORDER_NOT_FOUND, "order not found");
    return order;
}

/* ---------------------------------------------------------------- reads */

static void handle_order_get(sim_app *app, sim_request *request, sim_reply *reply)
{
    sim_order *order = path_order(app, request, reply);
    sim_blob *blob = order ? sim_order_blob(order) : NULL;
    if (!order)
        return;
    char *body = blob ? strdup(blob->text) : NULL;
    if (body)
        sim_reply_take(reply, 200, body, blob->len);
    else
        op_reply_error(reply, SIM_INTERNAL_ERROR, "out of memory");
    sim_blob_release(blob);
}

/* size (1..100, default 20) and cursor ("o" + the hex position of the last order seen). */
static int read_paging(sim_request *request, sim_reply *reply, long *size, size_t *start)
{
    const char *size_text = sim_query(request, "size");
    const char *cursor = sim_query(request, "cursor");
    char *end = NULL;
    *size = DEFAULT_PAGE_SIZE;
    *start = 0;
    if (size_text && sim_parse_whole(size_text, 1, MAX_PAGE_SIZE, size)) {
        op_reply_error(reply, SIM_INVALID_REQUEST, "size must be a whole number from 1 to 100");
        return -1;
    }
    if (cursor && *cursor) {
        unsigned long long last = cursor[0] == 'o' ? strtoull(cursor + 1, &end, 16) : 0;
        if (cursor[0] != 'o' || !end || end == cursor + 1 || *end) {
            op_reply_error(reply, SIM_INVALID_REQUEST, "invalid cursor");
            return -1;
        }
        *start = (size_t)last + 1;
    }
    return 0;
}

static void handle_orders_list(sim_app *app, sim_request *request, sim_reply *reply)
{
    long size;
    size_t start, chosen = 0, last = 0;
    if (read_paging(request, reply, &size, &start))
        return;
    sim_store *store = app->store;
    sim_strbuf buf = { 0 };
    sim_strbuf_puts(&buf, "{\"edges\":[");
    for (size_t i = start; i < store->order_count && chosen < (size_t)size; i++) {
        sim_blob *blob = sim_order_blob(store->orders[i]);
        if (!blob) {
            buf.failed = 1;
            break;
        }
        sim_strbuf_puts(&buf, chosen++ ? ",{\"node\":" : "{\"node\":");
        sim_strbuf_append(&buf, blob->text, blob->len);
        sim_strbuf_puts(&buf, "}");
        sim_blob_release(blob);
        last = i;
    }
    int has_next = chosen > 0 && last + 1 < store->order_count;
    sim_strbuf_puts(&buf, "],\"pageInfo\":{\"endCursor\":");
    if (chosen > 0)
        sim_strbuf_printf(&buf, "\"o%zx\"", last);
    else
        sim_strbuf_puts(&buf, "null");
    sim_strbuf_printf(&buf, ",\"hasNextPage\":%s},\"totalCount\":%zu}",
                      has_next ? "true" : "false", store->order_count);
    size_t len = 0;
    char *body = sim_strbuf_finish(&buf, &len);
    if (body)
        sim_reply_take(reply, 200, body, len);
    else
        op_reply_error(reply, SIM_INTERNAL_ERROR, "out of memory");
}

static void handle_fulfillments_list(sim_app *app, sim_request *request, sim_reply *reply)
{
    sim_order *order = path_order(app, request, reply);
    if (!order)
        return;
    json_t *list = json_array();
    pthread_mutex_lock(&order->lock);
    for (size_t i = 0; i < order->fulfillment_count; i++)
        json_array_append_new(list, sim_op_render_fulfillment(&order->fulfillments[i]));
    pthread_mutex_unlock(&order->lock);
    sim_reply_json(reply, 200, list);
}

/* ---------------------------------------------------------------- create */

typedef struct create_request {
    const char *fulfillment_id, *status;
    json_t *items;              /* sourceItemIds (borrowed) */
    json_t *numbers, *urls;     /* new arrays */
    const char *company;
} create_request;

static void create_request_clear(create_request *create)
{
    json_decref(create->numbers);
    json_decref(create->urls);
}

/* The body's shape (400 when wrong); the rules come later under the lock. */
static int read_create(json_t *body, create_request *create, char *message, size_t size)
{
    memset(create, 0, sizeof(*create));
    create->fulfillment_id = json_string_value(json_object_get(body, "sourceFulfillmentId"));
    create->status = canonical_status(json_object_get(body, "fulfillmentStatus"));
    create->items = json_object_get(body, "sourceItemIds");
    create->company = json_string_value(json_object_get(body, "trackingCompany"));
    create->numbers = sim_op_string_list(json_object_get(body, "trackingNumber"));
    create->urls = sim_op_string_list(json_object_get(body, "trackingUrl"));
    if (!create->fulfillment_id || !*create->fulfillment_id)
        snprintf(message, size, "sourceFulfillmentId is required");
    else if (!create->status)
        snprintf(message, size, "fulfillmentStatus is required and must be a value of the enum");
    else if (!json_is_array(create->items) || json_array_size(create->items) == 0)
        snprintf(message, size, "sourceItemIds is required (at least one item)");
    else if (!create->numbers || !create->urls)
        snprintf(message, size, "trackingNumber and trackingUrl must be arrays of strings");
    else
        return 0;
    return -1;
}

/* An entry's item id (sourceItemId or id; string or integer) into buffer. */
static const char *entry_item_id(json_t *entry, char buffer[64])
{
    json_t *id = json_object_get(entry, "sourceItemId");
    if (!id)
        id = json_object_get(entry, "id");
    if (json_is_integer(id)) {
        snprintf(buffer, 64, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
        return buffer;
    }
    return json_string_value(id);
}

/* wanted[i] per item; the code of the refusal, or SIM_OK. */
static sim_code wanted_quantities(const sim_package *package, json_t *items, long *wanted,
                                  char *message, size_t size)
{
    char buffer[64];
    for (size_t k = 0; k < json_array_size(items); k++) {
        json_t *entry = json_array_get(items, k);
        const char *id = entry_item_id(entry, buffer);
        ssize_t at = id ? sim_package_item_index(package, id, NULL) : -1;
        long quantity = sim_json_quantity(json_object_get(entry, "quantity"));
        if (at < 0) {
            snprintf(message, size, "unknown item %s", id ? id : "(no sourceItemId)");
            return SIM_ITEM_NOT_IN_PACKAGE;
        }
        if (quantity < 1) {
            snprintf(message, size, "item %s: quantity must be a whole number of at least 1",
                     id);
            return SIM_INVALID_REQUEST;
        }
        wanted[at] += quantity;
    }
    for (size_t i = 0; i < package->item_count; i++)
        if (wanted[i] > sim_item_remaining(&package->items[i])) {
            snprintf(message, size, "quantity exceeds remaining for item %s: %ld requested, "
                     "%ld remaining", package->items[i].id, wanted[i],
                     sim_item_remaining(&package->items[i]));
            return SIM_QUANTITY_EXCEEDS_REMAINING;
        }
    return SIM_OK;
}

/* The rules in the contract's order, the lock held: 409, then 422s, then the record. */
static sim_code create_locked(sim_store *store, sim_order *order, const create_request *create,
                              char *message, size_t size)
{
    if (sim_order_find_fulfillment(order, create->fulfillment_id)) {
        snprintf(message, size, "fulfillment exists: %s", create->fulfillment_id);
        return SIM_FULFILLMENT_EXISTS;
    }
    if (strcmp(order->status, "CANCELLED") == 0) {
        snprintf(message, size, "order cancelled");
        return SIM_ORDER_CANCELED;
    }
    sim_package *package = order->package_count ? &order->packages[0] : NULL;
    long *wanted = package ? calloc(package->item_count + 1, sizeof(long)) : NULL;
    if (!wanted) {
        snprintf(message, size, package ? "out of memory" : "unknown item");
        return package ? SIM_INTERNAL_ERROR : SIM_ITEM_NOT_IN_PACKAGE;
    }
    sim_code code = wanted_quantities(package, create->items, wanted, message, size);
    if (code == SIM_OK) {
        char *id = strdup(create->fulfillment_id);
        sim_fulfillment *fulfillment =
            id ? sim_order_record_fulfillment(store, order, package, id, wanted, sim_now())
               : NULL;
        if (fulfillment) {
            free(fulfillment->status);
            fulfillment->status = strdup(create->status);
            fulfillment->tracking = sim_tracking_new(create->company, NULL, create->numbers,
                                                     create->urls);
        } else {
            snprintf(message, size, "out of memory");
            code = SIM_INTERNAL_ERROR;
        }
    }
    free(wanted);
    return code;
}

static void handle_create(sim_app *app, sim_request *request, sim_reply *reply)
{
    char message[240];
    create_request create;
    sim_order *order = path_order(app, request, reply);
    json_t *body = order ? sim_request_object(request, message, sizeof(message)) : NULL;
    if (!order)
        return;
    if (!body || read_create(body, &create, message, sizeof(message))) {
        if (body)
            create_request_clear(&create);
        json_decref(body);
        op_reply_error(reply, SIM_INVALID_REQUEST, message);
        return;
    }
    pthread_mutex_lock(&order->lock);
    sim_code code = create_locked(app->store, order, &create, message, sizeof(message));
    pthread_mutex_unlock(&order->lock);
    create_request_clear(&create);
    json_decref(body);
    if (code == SIM_OK)
        reply_ok(reply, 201);
    else
        op_reply_error(reply, code, message);
}

/* ---------------------------------------------------------------- status update */

static void handle_update(sim_app *app, sim_request *request, sim_reply *reply)
{
    char message[240];
    sim_order *order = path_order(app, request, reply);
    json_t *body = order ? sim_request_object(request, message, sizeof(message)) : NULL;
    if (!order)
        return;
    const char *status = canonical_status(json_object_get(body, "status"));
    if (!body || !status || json_object_size(body) != 1) {
        op_reply_error(reply, SIM_INVALID_REQUEST,
                       body ? "the body is {\"status\": ENUM}: only the status can change"
                            : message);
        json_decref(body);
        return;
    }
    int found = 0;
    pthread_mutex_lock(&order->lock);
    sim_fulfillment *fulfillment = sim_order_find_fulfillment(order, request->params[1]);
    char *copy = fulfillment ? strdup(status) : NULL;
    if (copy) {
        found = 1;
        free(fulfillment->status);
        fulfillment->status = copy;
        sim_order_fulfillment_updated(app->store, order, fulfillment, sim_now());
    }
    pthread_mutex_unlock(&order->lock);
    json_decref(body);
    if (found)
        reply_ok(reply, 200);
    else
        op_reply_error(reply, SIM_FULFILLMENT_NOT_FOUND, "fulfillment not found");
}

/* ---------------------------------------------------------------- the front */

static const sim_route op_routes[] = {
    { "GET", "/v1/orders", handle_orders_list, 0, 0 },
    { "GET", "/v1/orders/{sourceOrderId}", handle_order_get, 0, 0 },
    { "GET", "/v1/orders/{sourceOrderId}/fulfillments", handle_fulfillments_list, 0, 0 },
    { "POST", "/v1/orders/{sourceOrderId}/fulfillments", handle_create, 1, 0 },
    { "PUT", "/v1/orders/{sourceOrderId}/fulfillments/{sourceFulfillmentId}", handle_update, 1,
      0 },
    { "GET", "/__sim/state", sim_handle_admin_state, 0, 1 },
    { "GET", "/__sim/stats", sim_handle_admin_stats, 0, 1 },
    { "POST", "/__sim/reset", sim_handle_admin_reset, 0, 1 },
};

#define ROUTE_COUNT (sizeof(op_routes) / sizeof(op_routes[0]))

static const char *const op_labels[ROUTE_COUNT + 1] = {
    "GET /v1/orders",
    "GET /v1/orders/{sourceOrderId}",
    "GET /v1/orders/{sourceOrderId}/fulfillments",
    "POST /v1/orders/{sourceOrderId}/fulfillments",
    "PUT /v1/orders/{sourceOrderId}/fulfillments/{sourceFulfillmentId}",
    "GET /__sim/state",
    "GET /__sim/stats",
    "POST /__sim/reset",
    "unmatched",
};

const sim_front sim_front_orderprotection = {
    .name = "orderprotection",
    .routes = op_routes,
    .route_count = ROUTE_COUNT,
    .labels = op_labels,
    .form = &sim_orderprotection_form,
    .authorize = op_authorize,
    .reply_error = op_reply_error,
    .retry_after = 1,
    .configure_faults = NULL,
    .stamp = NULL,
    .state_prefix = "\"platform\":\"orderprotection\",",
};
