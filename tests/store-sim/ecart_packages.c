/* handlers_packages.c: GET /api/v2/orders/{orderId}/packages, GET /api/v2/packages (filters
 * status, orderId and locationId, paging; items included) and GET /api/v2/packages/{id} (a package id or a
 * fulfillmentOrderId). Each package is rendered under its order's lock. */
#include <stdlib.h>
#include <string.h>
#include "routes.h"

static json_t *locked_package(sim_package *package)
{
    pthread_mutex_lock(&package->order->lock);
    json_t *json = sim_render_package(package);
    pthread_mutex_unlock(&package->order->lock);
    return json;
}

void sim_handle_order_packages(sim_app *app, sim_request *request, sim_reply *reply)
{
    sim_order *order = sim_store_order_by_id(app->store, request->params[0]);
    if (!order) {
        sim_reply_error(reply, SIM_ORDER_NOT_FOUND, "no order with this id");
        return;
    }
    json_t *packages = json_array();
    pthread_mutex_lock(&order->lock);
    for (size_t i = 0; i < order->package_count; i++)
        json_array_append_new(packages, sim_render_package(&order->packages[i]));
    pthread_mutex_unlock(&order->lock);
    sim_reply_json(reply, 200, json_pack("{s:b, s:o}", "success", 1, "packages", packages));
}

void sim_handle_packages_list(sim_app *app, sim_request *request, sim_reply *reply)
{
    long limit, page;
    if (sim_query_paging(request, reply, &limit, &page))
        return;
    const char *status_text = sim_query(request, "status");
    const char *order_id = sim_query(request, "orderId");
    const char *location = sim_query(request, "locationId");
    if (location && !*location)
        location = NULL;
    int status = status_text && *status_text ? sim_package_status_parse(status_text) : -1;
    if (status_text && *status_text && status < 0) {
        sim_reply_error(reply, SIM_INVALID_REQUEST,
                        "status must be pending, shipped, delivered, canceled, refunded or other");
        return;
    }
    sim_package **candidates = app->store->packages;
    size_t count = app->store->package_count;
    sim_package *order_packages[64];
    if (order_id && *order_id) {
        sim_order *order = sim_store_order_by_id(app->store, order_id);
        count = 0;
        for (size_t i = 0; order && i < order->package_count && i < 64; i++)
            order_packages[count++] = &order->packages[i];
        candidates = order_packages;
    }
    json_t *packages = json_array();
    size_t skip = (size_t)(page - 1) * (size_t)limit, matched = 0, chosen = 0;
    int has_next = 0;
    for (size_t i = 0; i < count; i++) {
        if (status >= 0 && atomic_load(&candidates[i]->status) != status)
            continue;
        if (location && (!candidates[i]->location_id ||
                         strcmp(candidates[i]->location_id, location) != 0))
            continue;
        if (matched++ < skip)
            continue;
        if (chosen == (size_t)limit) {
            has_next = 1;
            break;
        }
        json_array_append_new(packages, locked_package(candidates[i]));
        chosen++;
    }
    sim_reply_json(reply, 200, json_pack("{s:b, s:o, s:o}", "success", 1, "packages", packages,
                                         "page", sim_page_object(page, has_next)));
}

void sim_handle_package_get(sim_app *app, sim_request *request, sim_reply *reply)
{
    sim_package *package = sim_store_package_by_id(app->store, request->params[0]);
    if (!package) {
        sim_reply_error(reply, SIM_PACKAGE_NOT_FOUND, "no package with this id");
        return;
    }
    sim_reply_json(reply, 200, json_pack("{s:b, s:o}", "success", 1, "package",
                                         locked_package(package)));
}
