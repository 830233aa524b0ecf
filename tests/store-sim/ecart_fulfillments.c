/* handlers_fulfillments.c: the fulfillment endpoints: list and get (per order), create
 * (POST .../fulfillments, {"fulfillment": {...}}), bulk create (POST .../packages/fulfillments,
 * {"fulfillments": [...]}, 200 or 207 with one result per entry), update (PUT) and cancel.
 * They parse and answer; the rules are in store_rules.c. */
#include <string.h>
#include "routes.h"

#define MAX_BULK 50

static sim_order *path_order(sim_app *app, sim_request *request, sim_reply *reply)
{
    sim_order *order = sim_store_order_by_id(app->store, request->params[0]);
    if (!order)
        sim_reply_error(reply, SIM_ORDER_NOT_FOUND, "no order with this id");
    return order;
}

void sim_handle_fulfillments_list(sim_app *app, sim_request *request, sim_reply *reply)
{
    long limit, page;
    sim_order *order = path_order(app, request, reply);
    if (!order || sim_query_paging(request, reply, &limit, &page))
        return;
    json_t *list = json_array();
    size_t first = (size_t)(page - 1) * (size_t)limit;
    pthread_mutex_lock(&order->lock);
    for (size_t i = first; i < order->fulfillment_count && i < first + (size_t)limit; i++)
        json_array_append_new(list, sim_render_fulfillment(order, &order->fulfillments[i]));
    int has_next = order->fulfillment_count > first + (size_t)limit;
    pthread_mutex_unlock(&order->lock);
    sim_reply_json(reply, 200, json_pack("{s:b, s:o, s:o}", "success", 1, "fulfillments", list,
                                         "page", sim_page_object(page, has_next)));
}

void sim_handle_fulfillment_get(sim_app *app, sim_request *request, sim_reply *reply)
{
    sim_order *order = path_order(app, request, reply);
    if (!order)
        return;
    json_t *json = NULL;
    pthread_mutex_lock(&order->lock);
    sim_fulfillment *fulfillment = sim_order_find_fulfillment(order, request->params[1]);
    if (fulfillment)
        json = sim_render_fulfillment(order, fulfillment);
    pthread_mutex_unlock(&order->lock);
    if (!json) {
        sim_reply_error(reply, SIM_FULFILLMENT_NOT_FOUND, "no fulfillment with this id");
        return;
    }
    sim_reply_json(reply, 200, json_pack("{s:b, s:o}", "success", 1, "fulfillment", json));
}

static void reply_outcome(sim_reply *reply, sim_outcome *outcome, int success_status)
{
    if (outcome->code != SIM_OK) {
        sim_reply_error(reply, outcome->code, outcome->message);
        return;
    }
    reply->applied = 1;
    sim_reply_json(reply, success_status, json_pack("{s:b, s:O}", "success", 1, "fulfillment",
                                                    outcome->fulfillment));
}

/* {"fulfillment": {...}} of a create or update body, or NULL with a 400 reply. */
static json_t *fulfillment_body(sim_request *request, sim_reply *reply, json_t **root)
{
    *root = sim_request_json(request, reply);
    if (!*root)
        return NULL;
    json_t *inner = json_object_get(*root, "fulfillment");
    if (!json_is_object(inner)) {
        sim_reply_error(reply, SIM_INVALID_REQUEST, "the body needs a \"fulfillment\" object");
        return NULL;
    }
    return inner;
}

void sim_handle_fulfillment_create(sim_app *app, sim_request *request, sim_reply *reply)
{
    json_t *root = NULL;
    sim_order *order = path_order(app, request, reply);
    json_t *entry = order ? fulfillment_body(request, reply, &root) : NULL;
    if (entry) {
        sim_outcome outcome;
        sim_store_create(app->store, order, entry, &outcome);
        reply_outcome(reply, &outcome, 201);
        sim_outcome_clear(&outcome);
    }
    json_decref(root);
}

void sim_handle_fulfillment_update(sim_app *app, sim_request *request, sim_reply *reply)
{
    json_t *root = NULL;
    sim_order *order = path_order(app, request, reply);
    json_t *changes = order ? fulfillment_body(request, reply, &root) : NULL;
    if (changes) {
        sim_outcome outcome;
        sim_store_update(app->store, order, request->params[1], changes, &outcome);
        reply_outcome(reply, &outcome, 200);
        sim_outcome_clear(&outcome);
    }
    json_decref(root);
}

void sim_handle_fulfillment_cancel(sim_app *app, sim_request *request, sim_reply *reply)
{
    sim_order *order = path_order(app, request, reply);
    if (!order)
        return;
    sim_outcome outcome;
    sim_store_cancel(app->store, order, request->params[1], &outcome);
    reply_outcome(reply, &outcome, 200);
    sim_outcome_clear(&outcome);
}

void sim_handle_bulk_create(sim_app *app, sim_request *request, sim_reply *reply)
{
    sim_order *order = path_order(app, request, reply);
    json_t *root = order ? sim_request_json(request, reply) : NULL;
    if (!root)
        return;
    json_t *entries = json_object_get(root, "fulfillments");
    if (!json_is_array(entries) || json_array_size(entries) == 0 ||
        json_array_size(entries) > MAX_BULK) {
        sim_reply_error(reply, SIM_INVALID_REQUEST,
                        "the body needs a \"fulfillments\" array of 1 to 50 entries");
        json_decref(root);
        return;
    }
    size_t failures = 0;
    json_t *results = sim_store_bulk(app->store, order, entries, &failures);
    reply->applied = failures < json_array_size(entries);
    json_decref(root);
    sim_reply_json(reply, failures ? 207 : 200,
                   json_pack("{s:b, s:o}", "success", 1, "results", results));
}
