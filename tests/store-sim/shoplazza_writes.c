/* shoplazza_writes.c: the Shoplazza front's writes (contract, "Create body", "Update body",
 * "Business errors"): create (line_items with ship_quantity, 0 = all that remains; only
 * shippable orders; the 422 messages of the contract), update (tracking, send_email inside
 * "fulfillment"), cancel (the quantities become shippable again). Quantities move through the
 * core's ledger under the order's lock, so concurrent writes never oversell. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shoplazza.h"

/* (ours) An order ships when it is open (opened, placed) and paid (paid, partially_refunded):
 * anything else is "invalid status of the order". */
static const char *const open_statuses[] = { "opened", "placed" };
static const char *const paid_statuses[] = { "paid", "partially_refunded" };

static int listed(const char *const *names, size_t count, const char *value)
{
    for (size_t i = 0; value && i < count; i++)
        if (strcmp(names[i], value) == 0)
            return 1;
    return 0;
}

static int shippable(const sim_order *order)
{
    return listed(open_statuses, 2, order->status) &&
           listed(paid_statuses, 2, order->financial_status);
}

/* A UUID-shaped id derived from the order and a sequence number (deterministic). */
static char *new_fulfillment_id(sim_order *order)
{
    for (;;) {
        uint64_t hash = 1469598103934665603ULL;
        for (const char *c = order->id; *c; c++)
            hash = (hash ^ (unsigned char)*c) * 1099511628211ULL;
        uint64_t seq = (uint64_t)order->next_fulfillment_seq++;
        uint64_t mixed = (hash ^ (seq * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL;
        char *id = NULL;
        if (asprintf(&id, "%08llx-%04llx-4%03llx-a%03llx-%012llx",
                     (unsigned long long)(mixed >> 32),
                     (unsigned long long)((mixed >> 16) & 0xffff),
                     (unsigned long long)(mixed & 0xfff), (unsigned long long)(seq & 0xfff),
                     (unsigned long long)(hash & 0xffffffffffffULL)) < 0)
            return NULL;
        if (!sim_order_find_fulfillment(order, id))
            return id;
        free(id);
    }
}

typedef struct refusal {
    sim_code code;          /* SIM_OK: none */
    char message[160];
} refusal;

static int refuse(refusal *out, sim_code code, const char *message)
{
    out->code = code;
    snprintf(out->message, sizeof(out->message), "%s", message);
    return -1;
}

static void reply_refusal(sim_reply *reply, const refusal *refused)
{
    sim_shoplazza_reply_error(reply, refused->code, refused->message);
}

/* {"fulfillment": {...}} of the body, or NULL after a 400. */
static json_t *fulfillment_body(sim_request *request, sim_reply *reply, json_t **root)
{
    char message[240];
    *root = sim_request_object(request, message, sizeof(message));
    if (!*root) {
        sim_shoplazza_reply_error(reply, SIM_INVALID_REQUEST, message);
        return NULL;
    }
    json_t *inner = json_object_get(*root, "fulfillment");
    if (!json_is_object(inner)) {
        sim_shoplazza_reply_error(reply, SIM_INVALID_REQUEST, "fulfillment is required");
        return NULL;
    }
    return inner;
}

static int check_carrier(json_t *entry, refusal *out)
{
    const char *code = json_string_value(json_object_get(entry, "tracking_company_code"));
    if (code && *code && !sim_shoplazza_known_carrier(code))
        return refuse(out, SIM_QUANTITY_EXCEEDS_REMAINING, "invalid tracking_company_code");
    return 0;
}

/* wanted[i] per package item from line_items; ship_quantity 0 is all that remains. */
static int wanted_quantities(const sim_package *package, json_t *lines, long *wanted,
                             refusal *out)
{
    if (!json_is_array(lines) || json_array_size(lines) == 0)
        return refuse(out, SIM_ITEM_NOT_IN_PACKAGE, "invalid line_item id");
    for (size_t k = 0; k < json_array_size(lines); k++) {
        json_t *line = json_array_get(lines, k);
        const char *id = json_string_value(json_object_get(line, "id"));
        ssize_t at = id ? sim_package_item_index(package, id, NULL) : -1;
        if (at < 0)
            return refuse(out, SIM_ITEM_NOT_IN_PACKAGE, "invalid line_item id");
        json_t *given = json_object_get(line, "ship_quantity");
        if (!given || json_is_null(given))
            return refuse(out, SIM_INVALID_QUANTITY, "ShipQuantity is not provided");
        long quantity = json_is_integer(given) ? sim_json_quantity(given) : -1;
        if (quantity < 0)
            return refuse(out, SIM_INVALID_REQUEST, "ship_quantity must be a whole number");
        if (quantity == 0)
            quantity = sim_item_remaining(&package->items[at]) - wanted[at];
        if (quantity <= 0)
            return refuse(out, SIM_QUANTITY_EXCEEDS_REMAINING,
                          "fulfillment quantity is insufficient");
        wanted[at] += quantity;
    }
    for (size_t i = 0; i < package->item_count; i++)
        if (wanted[i] > sim_item_remaining(&package->items[i]))
            return refuse(out, SIM_QUANTITY_EXCEEDS_REMAINING,
                          "fulfillment quantity is insufficient");
    return 0;
}

/* The create, the order's lock held: the rendered fulfillment, or NULL with the refusal. */
static json_t *create_locked(sim_store *store, sim_order *order, json_t *entry, refusal *out)
{
    int64_t now = sim_now();
    if (!shippable(order)) {
        refuse(out, SIM_ORDER_CANCELED, "invalid status of the order");
        return NULL;
    }
    sim_package *package = order->package_count ? &order->packages[0] : NULL;
    long *wanted = package ? calloc(package->item_count + 1, sizeof(long)) : NULL;
    if (!package || !wanted) {
        free(wanted);
        refuse(out, package ? SIM_INTERNAL_ERROR : SIM_ITEM_NOT_IN_PACKAGE,
               package ? "out of memory" : "invalid line_item id");
        return NULL;
    }
    json_t *rendered = NULL;
    if (wanted_quantities(package, json_object_get(entry, "line_items"), wanted, out) == 0 &&
        check_carrier(entry, out) == 0) {
        char *id = new_fulfillment_id(order);
        sim_fulfillment *fulfillment =
            id ? sim_order_record_fulfillment(store, order, package, id, wanted, now) : NULL;
        if (fulfillment) {
            fulfillment->tracking = sim_shoplazza_tracking(entry);
            rendered = sim_shoplazza_render_fulfillment(order, fulfillment);
        } else {
            refuse(out, SIM_INTERNAL_ERROR, "out of memory");
        }
    }
    free(wanted);
    return rendered;
}

static void reply_fulfillment(sim_reply *reply, const char *code, json_t *fulfillment)
{
    reply->applied = 1;
    sim_shoplazza_reply_data(reply, 200, code, json_pack("{s:o}", "fulfillment", fulfillment));
}

void sim_shoplazza_create(sim_app *app, sim_request *request, sim_reply *reply)
{
    json_t *root = NULL;
    refusal refused = { SIM_OK, "" };
    sim_order *order = sim_shoplazza_path_order(app, request, reply);
    json_t *entry = order ? fulfillment_body(request, reply, &root) : NULL;
    if (entry) {
        pthread_mutex_lock(&order->lock);
        json_t *created = create_locked(app->store, order, entry, &refused);
        pthread_mutex_unlock(&order->lock);
        if (created)
            reply_fulfillment(reply, "Success", created);
        else
            reply_refusal(reply, &refused);
    }
    json_decref(root);
}

/* The tracking after an update: the body's numbers and URLs; company and code kept when the
 * body leaves them out. */
static json_t *updated_tracking(const sim_fulfillment *fulfillment, json_t *entry)
{
    json_t *tracking = sim_shoplazza_tracking(entry);
    static const char *const kept[] = { "company", "companyId" };
    for (size_t i = 0; i < 2; i++)
        if (json_is_null(json_object_get(tracking, kept[i])))
            json_object_set(tracking, kept[i], json_object_get(fulfillment->tracking, kept[i]));
    return tracking;
}

static json_t *update_locked(sim_store *store, sim_order *order, const char *fulfillment_id,
                             json_t *entry, refusal *out)
{
    sim_fulfillment *fulfillment = sim_order_find_fulfillment(order, fulfillment_id);
    if (!fulfillment) {
        refuse(out, SIM_FULFILLMENT_NOT_FOUND, "fulfillment not found");
        return NULL;
    }
    if (strcmp(fulfillment->status, "canceled") == 0) {
        refuse(out, SIM_FULFILLMENT_NOT_CANCELABLE, "fulfillment is cancelled");
        return NULL;
    }
    if (check_carrier(entry, out))
        return NULL;
    json_t *tracking = updated_tracking(fulfillment, entry);
    json_decref(fulfillment->tracking);
    fulfillment->tracking = tracking;
    json_t *send_email = json_object_get(entry, "send_email");
    if (json_is_boolean(send_email))
        fulfillment->notify_customer = json_is_true(send_email);
    sim_order_fulfillment_updated(store, order, fulfillment, sim_now());
    return sim_shoplazza_render_fulfillment(order, fulfillment);
}

void sim_shoplazza_update(sim_app *app, sim_request *request, sim_reply *reply)
{
    json_t *root = NULL;
    refusal refused = { SIM_OK, "" };
    sim_order *order = sim_shoplazza_path_order(app, request, reply);
    json_t *entry = order ? fulfillment_body(request, reply, &root) : NULL;
    const char *number = json_string_value(json_object_get(entry, "tracking_number"));
    if (entry && (!number || !*number)) {
        sim_shoplazza_reply_error(reply, SIM_INVALID_REQUEST, "tracking_number is required");
    } else if (entry && json_object_get(root, "send_email")) {
        sim_shoplazza_reply_error(reply, SIM_INVALID_REQUEST,
                                  "send_email belongs inside fulfillment (2026-01)");
    } else if (entry) {
        pthread_mutex_lock(&order->lock);
        json_t *updated = update_locked(app->store, order, request->params[1], entry, &refused);
        pthread_mutex_unlock(&order->lock);
        if (updated)
            reply_fulfillment(reply, "success", updated);
        else
            reply_refusal(reply, &refused);
    }
    json_decref(root);
}

void sim_shoplazza_cancel(sim_app *app, sim_request *request, sim_reply *reply)
{
    sim_order *order = sim_shoplazza_path_order(app, request, reply);
    if (!order)
        return;
    refusal refused = { SIM_OK, "" };
    json_t *canceled = NULL;
    pthread_mutex_lock(&order->lock);
    sim_fulfillment *fulfillment = sim_order_find_fulfillment(order, request->params[1]);
    if (!fulfillment) {
        refuse(&refused, SIM_FULFILLMENT_NOT_FOUND, "fulfillment not found");
    } else if (strcmp(fulfillment->status, "canceled") == 0) {
        refuse(&refused, SIM_FULFILLMENT_NOT_CANCELABLE, "fulfillment is already cancelled");
    } else {
        sim_order_release_fulfillment(app->store, order, fulfillment, sim_now());
        canceled = sim_shoplazza_render_fulfillment(order, fulfillment);
    }
    pthread_mutex_unlock(&order->lock);
    if (canceled)
        reply_fulfillment(reply, "Success", canceled);
    else
        reply_refusal(reply, &refused);
}
