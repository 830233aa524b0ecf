/* handlers_orders.c: GET /api/v2/orders (filters name, ids, fulfillmentStatus, status,
 * updatedAt[from], updatedAt[to]; paging) and GET /api/v2/orders/{orderId}. Bodies are
 * assembled from each order's cached JSON text, so no lock is held while a list is built. */
#include <stdlib.h>
#include <string.h>
#include "routes.h"
#include "strbuf.h"

#define MAX_IDS 50

typedef struct order_filter {
    int fulfillment_state;      /* -1: any */
    const char *status;         /* order status, NULL: any */
    int has_from, has_to;
    int64_t from, to;
} order_filter;

static int parse_time_bound(const char *text, int end_of_day, int64_t *out)
{
    if (sim_parse_time(text, out))
        return -1;
    if (end_of_day && strlen(text) == 10)   /* a date alone includes its whole day */
        *out += 86399;
    return 0;
}

static int parse_filter(sim_request *request, sim_reply *reply, order_filter *filter)
{
    const char *state = sim_query(request, "fulfillmentStatus");
    const char *from = sim_query(request, "updatedAt[from]");
    const char *to = sim_query(request, "updatedAt[to]");
    memset(filter, 0, sizeof(*filter));
    filter->fulfillment_state = state && *state ? sim_fulfillment_state_parse(state) : -1;
    if (state && *state && filter->fulfillment_state < 0) {
        sim_reply_error(reply, SIM_INVALID_REQUEST,
                        "fulfillmentStatus must be unfulfilled, partial or fulfilled");
        return -1;
    }
    filter->status = sim_query(request, "status");
    if (filter->status && !*filter->status)
        filter->status = NULL;
    filter->has_from = from && *from;
    filter->has_to = to && *to;
    if ((filter->has_from && parse_time_bound(from, 0, &filter->from)) ||
        (filter->has_to && parse_time_bound(to, 1, &filter->to))) {
        sim_reply_error(reply, SIM_INVALID_REQUEST,
                        "updatedAt[from] and updatedAt[to] must be ISO 8601 dates or times");
        return -1;
    }
    return 0;
}

static int order_matches(sim_order *order, const order_filter *filter)
{
    int64_t updated = atomic_load(&order->updated_at);
    if (filter->fulfillment_state >= 0 &&
        atomic_load(&order->fulfillment_state) != filter->fulfillment_state)
        return 0;
    if (filter->status && strcmp(order->status, filter->status) != 0)
        return 0;
    if (filter->has_from && updated < filter->from)
        return 0;
    if (filter->has_to && updated > filter->to)
        return 0;
    return 1;
}

/* The orders of ?name= (every order with that name, in store order) as a new array. */
static int orders_named(sim_app *app, const char *name, sim_order ***found, size_t *count)
{
    sim_order *first = sim_store_order_by_name(app->store, name);
    size_t total = 0;
    for (sim_order *order = first; order; order = order->next_same_name)
        total++;
    *found = calloc(total ? total : 1, sizeof(**found));
    if (!*found)
        return -1;
    for (sim_order *order = first; order; order = order->next_same_name)
        (*found)[(*count)++] = order;
    return 0;
}

/* The orders of ?ids= (in the order given, each once; with ?name= only those of that name) as
 * a new array; -1 after replying with the error. */
static int orders_by_ids(sim_app *app, const char *ids, const char *name, sim_reply *reply,
                         sim_order ***candidates, size_t *count)
{
    sim_order **found = calloc(MAX_IDS + 1, sizeof(*found));
    if (!found) {
        sim_reply_error(reply, SIM_INTERNAL_ERROR, "out of memory");
        return -1;
    }
    size_t total = 0, named = 0;
    for (const char *at = ids; *at;) {
        size_t len = strcspn(at, ",");
        if (len > 0 && ++named > MAX_IDS) {
            free(found);
            sim_reply_error(reply, SIM_INVALID_REQUEST, "ids takes at most 50 ids");
            return -1;
        }
        sim_order *order = len ? sim_map_getn(&app->store->order_by_id, at, len) : NULL;
        int seen = 0;
        for (size_t i = 0; order && i < total; i++)
            seen |= found[i] == order;
        if (order && !seen && (!name || sim_order_has_name(order, name)))
            found[total++] = order;
        at += len + (at[len] == ',');
    }
    *candidates = found;
    *count = total;
    return 0;
}

/* The orders named by ?ids= and/or ?name=, or every order. Returns 1 when *candidates is a new
 * array the caller frees, 0 when it is the store's own, -1 after replying with an error. */
static int candidate_orders(sim_app *app, sim_request *request, sim_reply *reply,
                            sim_order ***candidates, size_t *count)
{
    const char *ids = sim_query(request, "ids");
    const char *name = sim_query(request, "name");
    *candidates = NULL;
    *count = 0;
    if (ids)
        return orders_by_ids(app, ids, name, reply, candidates, count) ? -1 : 1;
    if (!name) {
        *candidates = app->store->orders;
        *count = app->store->order_count;
        return 0;
    }
    if (orders_named(app, name, candidates, count)) {
        sim_reply_error(reply, SIM_INTERNAL_ERROR, "out of memory");
        return -1;
    }
    return 1;
}

static void reply_orders(sim_reply *reply, sim_order **selected, size_t count, long page,
                         int has_next)
{
    sim_strbuf buf = { 0 };
    sim_strbuf_puts(&buf, "{\"success\":true,\"orders\":[");
    for (size_t i = 0; i < count; i++) {
        sim_blob *blob = sim_order_blob(selected[i]);
        if (!blob) {
            buf.failed = 1;
            break;
        }
        if (i > 0)
            sim_strbuf_append(&buf, ",", 1);
        sim_strbuf_append(&buf, blob->text, blob->len);
        sim_blob_release(blob);
    }
    sim_strbuf_printf(&buf, "],\"page\":{\"current\":%ld,\"next\":", page);
    if (has_next)
        sim_strbuf_printf(&buf, "%ld}}", page + 1);
    else
        sim_strbuf_puts(&buf, "null}}");
    size_t len = 0;
    char *body = sim_strbuf_finish(&buf, &len);
    if (body)
        sim_reply_take(reply, 200, body, len);
    else
        sim_reply_error(reply, SIM_INTERNAL_ERROR, "out of memory");
}

void sim_handle_orders_list(sim_app *app, sim_request *request, sim_reply *reply)
{
    order_filter filter;
    long limit, page;
    sim_order **candidates = NULL, *selected[50];
    size_t count = 0, chosen = 0, matched = 0;
    if (sim_query_paging(request, reply, &limit, &page) || parse_filter(request, reply, &filter))
        return;
    int owned = candidate_orders(app, request, reply, &candidates, &count);
    if (owned < 0)
        return;
    size_t skip = (size_t)(page - 1) * (size_t)limit;
    int has_next = 0;
    for (size_t i = 0; i < count; i++) {
        if (!order_matches(candidates[i], &filter))
            continue;
        if (matched++ < skip)
            continue;
        if (chosen == (size_t)limit) {
            has_next = 1;
            break;
        }
        selected[chosen++] = candidates[i];
    }
    if (owned)
        free(candidates);
    reply_orders(reply, selected, chosen, page, has_next);
}

void sim_handle_order_get(sim_app *app, sim_request *request, sim_reply *reply)
{
    sim_order *order = sim_store_order_by_id(app->store, request->params[0]);
    if (!order) {
        sim_reply_error(reply, SIM_ORDER_NOT_FOUND, "no order with this id");
        return;
    }
    sim_blob *blob = sim_order_blob(order);
    static const char head[] = "{\"success\":true,\"order\":";
    size_t len = blob ? sizeof(head) - 1 + blob->len + 1 : 0;
    char *body = blob ? malloc(len + 1) : NULL;
    if (!body) {
        sim_blob_release(blob);
        sim_reply_error(reply, SIM_INTERNAL_ERROR, "out of memory");
        return;
    }
    memcpy(body, head, sizeof(head) - 1);
    memcpy(body + sizeof(head) - 1, blob->text, blob->len);
    body[len - 1] = '}';
    body[len] = '\0';
    sim_blob_release(blob);
    sim_reply_take(reply, 200, body, len);
}
