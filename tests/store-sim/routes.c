/* routes.c: the routing table and dispatch (see routes.h). Patterns are matched segment by
 * segment; "{name}" matches one non-empty segment and is copied into request->params. */
#include <string.h>
#include "routes.h"

static const sim_route route_table[] = {
    { "GET", "/api/v2/orders", sim_handle_orders_list, 0, 0 },
    { "GET", "/api/v2/orders/{orderId}", sim_handle_order_get, 0, 0 },
    { "GET", "/api/v2/orders/{orderId}/packages", sim_handle_order_packages, 0, 0 },
    { "POST", "/api/v2/orders/{orderId}/packages/fulfillments", sim_handle_bulk_create, 1, 0 },
    { "GET", "/api/v2/orders/{orderId}/fulfillments", sim_handle_fulfillments_list, 0, 0 },
    { "POST", "/api/v2/orders/{orderId}/fulfillments", sim_handle_fulfillment_create, 1, 0 },
    { "GET", "/api/v2/orders/{orderId}/fulfillments/{fulfillmentId}",
      sim_handle_fulfillment_get, 0, 0 },
    { "PUT", "/api/v2/orders/{orderId}/fulfillments/{fulfillmentId}",
      sim_handle_fulfillment_update, 1, 0 },
    { "POST", "/api/v2/orders/{orderId}/fulfillments/{fulfillmentId}/cancel",
      sim_handle_fulfillment_cancel, 1, 0 },
    { "GET", "/api/v2/packages", sim_handle_packages_list, 0, 0 },
    { "GET", "/api/v2/packages/{packageId}", sim_handle_package_get, 0, 0 },
    { "GET", "/__sim/state", sim_handle_admin_state, 0, 1 },
    { "GET", "/__sim/stats", sim_handle_admin_stats, 0, 1 },
    { "POST", "/__sim/reset", sim_handle_admin_reset, 0, 1 },
};

#define ROUTE_COUNT (sizeof(route_table) / sizeof(route_table[0]))

static const char *const route_labels[ROUTE_COUNT + 1] = {
    "GET /api/v2/orders",
    "GET /api/v2/orders/{orderId}",
    "GET /api/v2/orders/{orderId}/packages",
    "POST /api/v2/orders/{orderId}/packages/fulfillments",
    "GET /api/v2/orders/{orderId}/fulfillments",
    "POST /api/v2/orders/{orderId}/fulfillments",
    "GET /api/v2/orders/{orderId}/fulfillments/{id}",
    "PUT /api/v2/orders/{orderId}/fulfillments/{id}",
    "POST /api/v2/orders/{orderId}/fulfillments/{id}/cancel",
    "GET /api/v2/packages",
    "GET /api/v2/packages/{id}",
    "GET /__sim/state",
    "GET /__sim/stats",
    "POST /__sim/reset",
    "unmatched",
};

const sim_route *sim_route_at(size_t index)
{
    return index < ROUTE_COUNT ? &route_table[index] : NULL;
}

size_t sim_route_count(void)
{
    return ROUTE_COUNT;
}

const char *const *sim_route_labels(void)
{
    return route_labels;
}

/* Matches path against pattern, copying the {} segments into params. */
static int path_matches(const char *pattern, const char *path, sim_request *request)
{
    size_t param = 0;
    while (*pattern && *path) {
        if (*pattern != '/' || *path != '/')
            return 0;
        pattern++;
        path++;
        size_t pattern_len = strcspn(pattern, "/");
        size_t path_len = strcspn(path, "/");
        if (*pattern == '{') {
            if (path_len == 0 || path_len >= SIM_PARAM_SIZE || param >= SIM_MAX_PARAMS)
                return 0;
            if (request) {
                memcpy(request->params[param], path, path_len);
                request->params[param][path_len] = '\0';
            }
            param++;
        } else if (pattern_len != path_len || memcmp(pattern, path, path_len) != 0) {
            return 0;
        }
        pattern += pattern_len;
        path += path_len;
    }
    if (path[0] == '/' && path[1] == '\0')      /* a trailing slash is tolerated */
        path++;
    return *pattern == '\0' && *path == '\0';
}

int sim_route_find(const char *method, const char *path, sim_request *request, int *path_known)
{
    *path_known = 0;
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        if (!path_matches(route_table[i].pattern, path, NULL))
            continue;
        if (strcmp(route_table[i].method, method) == 0) {
            path_matches(route_table[i].pattern, path, request);
            return (int)i;
        }
        *path_known = 1;
    }
    return -1;
}

size_t sim_dispatch(sim_app *app, sim_request *request, sim_reply *reply)
{
    int path_known = 0;
    int index = sim_route_find(request->method, request->path, request, &path_known);
    memset(reply, 0, sizeof(*reply));
    if (index < 0) {
        sim_reply_error(reply, path_known ? SIM_METHOD_NOT_ALLOWED : SIM_ROUTE_NOT_FOUND,
                        path_known ? "method not allowed on this path" : "no such endpoint");
        return ROUTE_COUNT;
    }
    const sim_route *route = &route_table[index];
    if (!route->is_admin &&
        (!request->authorization || strcmp(request->authorization, app->token) != 0)) {
        sim_reply_error(reply, SIM_UNAUTHORIZED,
                        request->authorization ? "invalid access token"
                                               : "missing Authorization header");
        return (size_t)index;
    }
    route->handler(app, request, reply);
    return (size_t)index;
}
