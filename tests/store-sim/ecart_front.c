/* ecart_front.c: the Ecart front (the contract's /api/v2 routes; README.md): its routing table
 * and stats labels, the raw token in Authorization, its error body for the core's codes, and
 * Retry-After: 1 on a 429. The handlers are in ecart_orders.c, ecart_packages.c and
 * ecart_fulfillments.c, the rules in ecart_rules.c, the JSON forms in ecart_render.c. */
#include <string.h>
#include "front.h"

static const sim_route ecart_routes[] = {
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

#define ROUTE_COUNT (sizeof(ecart_routes) / sizeof(ecart_routes[0]))

static const char *const ecart_labels[ROUTE_COUNT + 1] = {
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

/* The raw token in Authorization (the contract's form; "Bearer TOKEN" is refused). */
static int ecart_authorize(const sim_app *app, const sim_request *request, sim_reply *reply)
{
    if (request->authorization && strcmp(request->authorization, app->token) == 0)
        return 0;
    sim_reply_error(reply, SIM_UNAUTHORIZED, request->authorization
                                                 ? "invalid access token"
                                                 : "missing Authorization header");
    return -1;
}

const sim_front sim_front_ecart = {
    .name = "ecart",
    .routes = ecart_routes,
    .route_count = ROUTE_COUNT,
    .labels = ecart_labels,
    .form = &sim_ecart_form,
    .authorize = ecart_authorize,
    .reply_error = sim_reply_error,
    .retry_after = 1,
    .configure_faults = NULL,
    .stamp = NULL,
    .state_prefix = "\"success\":true,",
};
