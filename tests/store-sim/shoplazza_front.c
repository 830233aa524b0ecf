/* shoplazza_front.c: the Shoplazza front (--platform shoplazza): every route of the contract
 * under /openapi/2026-01, the Access-Token header, answers wrapped in {"code", "message",
 * "data"}, the contract's error shapes for the core's codes (401 a bare "Unauthorized", 400/404/
 * 429 {"code", "message"}, 500 {"message"}, 503 {"error"}), a Request-Id on every answer, the
 * leaky bucket (40 requests draining 2 per second, --rate-limit N drains N), and the reads:
 * an order by id or by number (leading zeros ignored), the order list with its filters and
 * cursor paging, the count, an order's fulfillments and the carrier list. Writes are in
 * shoplazza_writes.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shoplazza.h"
#include "strbuf.h"

#define MAX_PAGE_SIZE 250
#define DEFAULT_PAGE_SIZE 10
#define MAX_IDS 250
#define MAX_FILTER_VALUES 16
#define BUCKET_SIZE 40
#define BUCKET_DRAIN 2

/* ---------------------------------------------------------------- answers */

void sim_shoplazza_reply_data(sim_reply *reply, int status, const char *code, json_t *data)
{
    sim_reply_json(reply, status, json_pack("{s:s, s:s, s:o}", "code", code, "message",
                                            "success", "data", data));
}

static const struct {
    sim_code code;
    const char *name;       /* the "code" member; NULL: another shape */
} error_names[] = {
    { SIM_INVALID_REQUEST, "InvalidParameter" },
    { SIM_ORDER_NOT_FOUND, "NotFound" },
    { SIM_FULFILLMENT_NOT_FOUND, "NotFound" },
    { SIM_ROUTE_NOT_FOUND, "NotFound" },
    { SIM_METHOD_NOT_ALLOWED, "MethodNotAllowed" },
    { SIM_PAYLOAD_TOO_LARGE, "PayloadTooLarge" },
    { SIM_RATE_LIMITED, "TooManyRequests" },
};

void sim_shoplazza_reply_error(sim_reply *reply, sim_code code, const char *message)
{
    int status = sim_code_http_status(code);
    if (code == SIM_UNAUTHORIZED) {
        sim_reply_text(reply, 401, "\"Unauthorized\"");
        return;
    }
    if (code == SIM_INTERNAL_ERROR) {
        sim_reply_json(reply, status, json_pack("{s:s}", "message", message));
        return;
    }
    if (code == SIM_SERVICE_UNAVAILABLE) {
        sim_reply_json(reply, status, json_pack("{s:s}", "error", message));
        return;
    }
    if (status == 422) {
        sim_shoplazza_unprocessable(reply, message);
        return;
    }
    const char *name = "InvalidParameter";
    for (size_t i = 0; i < sizeof(error_names) / sizeof(error_names[0]); i++)
        if (error_names[i].code == code)
            name = error_names[i].name;
    sim_reply_json(reply, status, json_pack("{s:s, s:s}", "code", name, "message", message));
}

void sim_shoplazza_unprocessable(sim_reply *reply, const char *message)
{
    sim_reply_json(reply, 422, json_pack("{s:[s]}", "errors", message));
}

static int shoplazza_authorize(const sim_app *app, const sim_request *request, sim_reply *reply)
{
    if (request->access_token && strcmp(request->access_token, app->token) == 0)
        return 0;
    sim_shoplazza_reply_error(reply, SIM_UNAUTHORIZED, NULL);
    return -1;
}

/* A Request-Id in the form of a UUID, distinct for every answer. */
static void shoplazza_stamp(sim_app *app, sim_reply *reply)
{
    unsigned long long n = atomic_fetch_add(&app->answers, 1) + 1;
    unsigned long long mixed = (n * 0x9E3779B97F4A7C15ULL) ^ (n >> 7);
    snprintf(reply->request_id, sizeof(reply->request_id), "%08llx-%04llx-4%03llx-8%03llx-%012llx",
             mixed >> 32, (mixed >> 16) & 0xffff, mixed & 0xfff, (n >> 12) & 0xfff,
             n & 0xffffffffffffULL);
}

/* The leaky bucket: 40 requests, draining 2 per second unless --rate-limit says. */
static void shoplazza_configure_faults(sim_fault_config *config)
{
    config->bucket_size = BUCKET_SIZE;
    config->bucket_drain = config->rate_limit > 0 ? (double)config->rate_limit : BUCKET_DRAIN;
    config->rate_limit = 0;
}

sim_order *sim_shoplazza_path_order(sim_app *app, sim_request *request, sim_reply *reply)
{
    sim_order *order = sim_store_order_by_id(app->store, request->params[0]);
    if (!order)
        sim_shoplazza_reply_error(reply, SIM_ORDER_NOT_FOUND, "order not found");
    return order;
}

/* {"code","message","data":{"order": ORDER}} from the order's cached text. */
static void reply_order(sim_reply *reply, sim_order *order)
{
    sim_blob *blob = sim_order_blob(order);
    sim_strbuf buf = { 0 };
    sim_strbuf_puts(&buf, "{\"code\":\"Success\",\"message\":\"success\",\"data\":{\"order\":");
    if (blob)
        sim_strbuf_append(&buf, blob->text, blob->len);
    else
        buf.failed = 1;
    sim_strbuf_puts(&buf, "}}");
    sim_blob_release(blob);
    size_t len = 0;
    char *body = sim_strbuf_finish(&buf, &len);
    if (body)
        sim_reply_take(reply, 200, body, len);
    else
        sim_shoplazza_reply_error(reply, SIM_INTERNAL_ERROR, "out of memory");
}

static void handle_order_get(sim_app *app, sim_request *request, sim_reply *reply)
{
    sim_order *order = sim_shoplazza_path_order(app, request, reply);
    if (order)
        reply_order(reply, order);
}

static void handle_order_by_number(sim_app *app, sim_request *request, sim_reply *reply)
{
    sim_order *order = sim_store_order_by_number(app->store, request->params[0]);
    if (!order)
        sim_shoplazza_reply_error(reply, SIM_ORDER_NOT_FOUND, "order not found");
    else
        reply_order(reply, order);
}

/* ---------------------------------------------------------------- paging and filters */

/* page_size (1..250, default 10) and cursor ("c" + the hex position to resume at). */
static int read_paging(sim_request *request, sim_reply *reply, long *page_size, size_t *start)
{
    const char *size_text = sim_query(request, "page_size");
    const char *cursor = sim_query(request, "cursor");
    char *end = NULL;
    *page_size = DEFAULT_PAGE_SIZE;
    *start = 0;
    if (size_text && sim_parse_whole(size_text, 1, MAX_PAGE_SIZE, page_size)) {
        sim_shoplazza_reply_error(reply, SIM_INVALID_REQUEST,
                                  "page_size must be a whole number from 1 to 250");
        return -1;
    }
    if (cursor && *cursor) {
        unsigned long long at = cursor[0] == 'c' ? strtoull(cursor + 1, &end, 16) : 0;
        if (cursor[0] != 'c' || !end || end == cursor + 1 || *end) {
            sim_shoplazza_reply_error(reply, SIM_INVALID_REQUEST, "invalid cursor");
            return -1;
        }
        *start = (size_t)at;
    }
    return 0;
}

static void cursor_text(size_t at, char out[32])
{
    snprintf(out, 32, "c%zx", at);
}

typedef struct value_set {
    const char *values[MAX_FILTER_VALUES];
    size_t count;
} value_set;

/* Every value of NAME[] and NAME (both spellings are accepted). */
static void read_values(sim_request *request, const char *name, value_set *set)
{
    char bracketed[64];
    snprintf(bracketed, sizeof(bracketed), "%s[]", name);
    set->count = sim_query_all(request, bracketed, set->values, MAX_FILTER_VALUES);
    set->count += sim_query_all(request, name, set->values + set->count,
                                MAX_FILTER_VALUES - set->count);
}

static int value_in(const value_set *set, const char *value)
{
    if (set->count == 0)
        return 1;
    for (size_t i = 0; value && i < set->count; i++)
        if (strcmp(set->values[i], value) == 0)
            return 1;
    return 0;
}

typedef struct order_filter {
    value_set fulfillment, financial, status;
    int has_min, has_max;
    int64_t min, max;
} order_filter;

static int read_filter(sim_request *request, sim_reply *reply, order_filter *filter)
{
    const char *min = sim_query(request, "updated_at_min");
    const char *max = sim_query(request, "updated_at_max");
    memset(filter, 0, sizeof(*filter));
    read_values(request, "fulfillment_status", &filter->fulfillment);
    read_values(request, "financial_status", &filter->financial);
    read_values(request, "status", &filter->status);
    filter->has_min = min && *min;
    filter->has_max = max && *max;
    if ((filter->has_min && sim_parse_time(min, &filter->min)) ||
        (filter->has_max && sim_parse_time(max, &filter->max))) {
        sim_shoplazza_reply_error(reply, SIM_INVALID_REQUEST,
                                  "updated_at_min and updated_at_max must be ISO 8601 times");
        return -1;
    }
    return 0;
}

static int order_matches(sim_order *order, const order_filter *filter)
{
    int64_t updated = atomic_load(&order->updated_at);
    return value_in(&filter->fulfillment, sim_shoplazza_fulfillment_status(order)) &&
           value_in(&filter->financial, order->financial_status) &&
           value_in(&filter->status, order->status) &&
           (!filter->has_min || updated >= filter->min) &&
           (!filter->has_max || updated <= filter->max);
}

/* The orders of ?ids= (in the order given, each once, unknown ones skipped) or every order.
 * Returns 1 when *orders is a new array, 0 when it is the store's, -1 after a 400. */
static int candidates(sim_app *app, sim_request *request, sim_reply *reply, sim_order ***orders,
                      size_t *count)
{
    const char *ids[MAX_IDS + 1];
    size_t given = sim_query_all(request, "ids", ids, MAX_IDS + 1);
    if (given == 0) {
        *orders = app->store->orders;
        *count = app->store->order_count;
        return 0;
    }
    if (given > MAX_IDS) {
        sim_shoplazza_reply_error(reply, SIM_INVALID_REQUEST, "ids takes at most 250 ids");
        return -1;
    }
    sim_order **found = calloc(given, sizeof(*found));
    if (!found) {
        sim_shoplazza_reply_error(reply, SIM_INTERNAL_ERROR, "out of memory");
        return -1;
    }
    size_t total = 0;
    for (size_t i = 0; i < given; i++) {
        sim_order *order = sim_store_order_by_id(app->store, ids[i]);
        int seen = 0;
        for (size_t j = 0; order && j < total; j++)
            seen |= found[j] == order;
        if (order && !seen)
            found[total++] = order;
    }
    *orders = found;
    *count = total;
    return 1;
}

static void handle_orders_list(sim_app *app, sim_request *request, sim_reply *reply)
{
    order_filter filter;
    long page_size;
    size_t start, count = 0, chosen = 0, next = 0;
    sim_order **orders = NULL;
    if (read_paging(request, reply, &page_size, &start) ||
        read_filter(request, reply, &filter))
        return;
    int owned = candidates(app, request, reply, &orders, &count);
    if (owned < 0)
        return;
    sim_strbuf buf = { 0 };
    sim_strbuf_puts(&buf, "{\"code\":\"Success\",\"message\":\"success\",\"data\":{\"orders\":[");
    int has_more = 0;
    for (size_t i = start; i < count; i++) {
        if (!order_matches(orders[i], &filter))
            continue;
        if (chosen == (size_t)page_size) {
            has_more = 1;
            next = i;
            break;
        }
        sim_blob *blob = sim_order_blob(orders[i]);
        if (!blob) {
            buf.failed = 1;
            break;
        }
        sim_strbuf_puts(&buf, chosen++ ? "," : "");
        sim_strbuf_append(&buf, blob->text, blob->len);
        sim_blob_release(blob);
    }
    char cursor[32] = "";
    if (has_more)
        cursor_text(next, cursor);
    sim_strbuf_printf(&buf, "],\"cursor\":\"%s\",\"has_more\":%s}}", cursor,
                      has_more ? "true" : "false");
    if (owned)
        free(orders);
    size_t len = 0;
    char *body = sim_strbuf_finish(&buf, &len);
    if (body)
        sim_reply_take(reply, 200, body, len);
    else
        sim_shoplazza_reply_error(reply, SIM_INTERNAL_ERROR, "out of memory");
}

static void handle_orders_count(sim_app *app, sim_request *request, sim_reply *reply)
{
    order_filter filter;
    size_t count = 0, matched = 0;
    sim_order **orders = NULL;
    if (read_filter(request, reply, &filter))
        return;
    int owned = candidates(app, request, reply, &orders, &count);
    if (owned < 0)
        return;
    for (size_t i = 0; i < count; i++)
        matched += order_matches(orders[i], &filter);
    if (owned)
        free(orders);
    sim_shoplazza_reply_data(reply, 200, "Success",
                             json_pack("{s:I}", "count", (json_int_t)matched));
}

static void handle_fulfillments_list(sim_app *app, sim_request *request, sim_reply *reply)
{
    long page_size;
    size_t start;
    sim_order *order = sim_shoplazza_path_order(app, request, reply);
    if (!order || read_paging(request, reply, &page_size, &start))
        return;
    json_t *list = json_array();
    pthread_mutex_lock(&order->lock);
    size_t end = start + (size_t)page_size;
    for (size_t i = start; i < order->fulfillment_count && i < end; i++)
        json_array_append_new(list,
                              sim_shoplazza_render_fulfillment(order, &order->fulfillments[i]));
    int has_more = order->fulfillment_count > end;
    pthread_mutex_unlock(&order->lock);
    char cursor[32] = "";
    if (has_more)
        cursor_text(end, cursor);
    sim_shoplazza_reply_data(reply, 200, "Success",
                             json_pack("{s:o, s:s, s:b}", "fulfillments", list, "cursor", cursor,
                                       "has_more", has_more));
}

/* ---------------------------------------------------------------- carriers */

static const struct {
    const char *code, *name;
} carriers[] = {
    { "ups", "UPS" }, { "usps", "USPS" }, { "fedex", "FedEx" }, { "dhl", "DHL Express" },
    { "dhl-ecommerce", "DHL eCommerce" }, { "canada-post", "Canada Post" },
    { "royal-mail", "Royal Mail" }, { "australia-post", "Australia Post" },
    { "dhl-germany", "DHL Paket" }, { "la-poste", "La Poste" }, { "postnl", "PostNL" },
    { "correos", "Correos" }, { "estafeta", "Estafeta" }, { "yunexpress", "YunExpress" },
    { "4px", "4PX" }, { "yanwen", "Yanwen" },
};

#define CARRIER_COUNT (sizeof(carriers) / sizeof(carriers[0]))

int sim_shoplazza_known_carrier(const char *code)
{
    for (size_t i = 0; code && i < CARRIER_COUNT; i++)
        if (strcmp(carriers[i].code, code) == 0)
            return 1;
    return 0;
}

static void handle_carriers(sim_app *app, sim_request *request, sim_reply *reply)
{
    (void)app;
    (void)request;
    json_t *list = json_array();
    for (size_t i = 0; i < CARRIER_COUNT; i++)
        json_array_append_new(list, json_pack("{s:s, s:s}", "code", carriers[i].code,
                                              "en_name", carriers[i].name));
    sim_shoplazza_reply_data(reply, 200, "Success",
                             json_pack("{s:o}", "tracking_carriers", list));
}

/* ---------------------------------------------------------------- the front */

#define B SIM_SHOPLAZZA_BASE

static const sim_route shoplazza_routes[] = {
    { "GET", B "/orders/count", handle_orders_count, 0, 0 },
    { "GET", B "/orders/number/{number}", handle_order_by_number, 0, 0 },
    { "GET", B "/orders", handle_orders_list, 0, 0 },
    { "GET", B "/orders/{order_id}", handle_order_get, 0, 0 },
    { "GET", B "/orders/{order_id}/fulfillments", handle_fulfillments_list, 0, 0 },
    { "POST", B "/orders/{order_id}/fulfillments", sim_shoplazza_create, 1, 0 },
    { "PUT", B "/orders/{order_id}/fulfillments/{fulfillment_id}", sim_shoplazza_update, 1, 0 },
    { "POST", B "/orders/{order_id}/fulfillments/{fulfillment_id}/cancel", sim_shoplazza_cancel,
      1, 0 },
    { "GET", B "/tracking/carriers", handle_carriers, 0, 0 },
    { "GET", "/__sim/state", sim_handle_admin_state, 0, 1 },
    { "GET", "/__sim/stats", sim_handle_admin_stats, 0, 1 },
    { "POST", "/__sim/reset", sim_handle_admin_reset, 0, 1 },
};

#define ROUTE_COUNT (sizeof(shoplazza_routes) / sizeof(shoplazza_routes[0]))

static const char *const shoplazza_labels[ROUTE_COUNT + 1] = {
    "GET " B "/orders/count",
    "GET " B "/orders/number/{number}",
    "GET " B "/orders",
    "GET " B "/orders/{order_id}",
    "GET " B "/orders/{order_id}/fulfillments",
    "POST " B "/orders/{order_id}/fulfillments",
    "PUT " B "/orders/{order_id}/fulfillments/{fulfillment_id}",
    "POST " B "/orders/{order_id}/fulfillments/{fulfillment_id}/cancel",
    "GET " B "/tracking/carriers",
    "GET /__sim/state",
    "GET /__sim/stats",
    "POST /__sim/reset",
    "unmatched",
};

const sim_front sim_front_shoplazza = {
    .name = "shoplazza",
    .routes = shoplazza_routes,
    .route_count = ROUTE_COUNT,
    .labels = shoplazza_labels,
    .form = &sim_shoplazza_form,
    .authorize = shoplazza_authorize,
    .reply_error = sim_shoplazza_reply_error,
    .retry_after = 0,
    .configure_faults = shoplazza_configure_faults,
    .stamp = shoplazza_stamp,
    .state_prefix = "\"platform\":\"shoplazza\",",
};
