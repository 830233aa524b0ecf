/* ecart_platform.c: the Ecart adapter's platform table (platform.h): its capabilities (bulk
 * creates of 50, lookups of 50 ids, lookup by name, numbered pages of 50, fulfillments read
 * back, update, cancel; the platform chooses fulfillment ids; no pace of its own), and thin
 * wrappers that turn ecart.c's paths, bodies and decoders into the table's shapes. No I/O. */
#include <stdlib.h>
#include <string.h>
#include "platform/ecart/ecart.h"

/* A request whose path (and body) the builder made; -1 when it could not. */
static int request(sl_http_method method, char *path, char *body, int needs_body,
                   const char *label, sl_platform_request *out, sl_error *err)
{
    return sl_platform_request_make(method, path, body, needs_body, "Ecart", label, out, err);
}

static int page_number(const sl_page *page)
{
    return page && page->number > 1 ? (int)page->number : 1;
}

static void next_page(int number, sl_page_next *next)
{
    if (!next)
        return;
    memset(next, 0, sizeof(*next));
    next->more = number > 0;
    next->page.number = number;
}

/* ---- lookups ---- */

static int lookup_ids(const char *const *ids, size_t count, sl_platform_request *out,
                      sl_error *err)
{
    return request(SL_HTTP_GET, sl_ecart_path_orders_by_ids(ids, count), NULL, 0,
                   SL_ECART_LABEL_ORDERS, out, err);
}

static int order_by_id(const char *id, sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_GET, sl_ecart_path_order(id), NULL, 0, SL_ECART_LABEL_ORDER, out,
                   err);
}

static int lookup_name(const char *name, const sl_page *page, sl_platform_request *out,
                       sl_error *err)
{
    return request(SL_HTTP_GET, sl_ecart_path_orders_by_name(name, page_number(page)), NULL, 0,
                   SL_ECART_LABEL_ORDERS, out, err);
}

static int decode_orders(const char *body, size_t len, sl_order ***orders, size_t *count,
                         sl_page_next *next, sl_error *err)
{
    int number = 0;
    int rc = sl_ecart_decode_orders(body, len, orders, count, &number, err);
    next_page(rc == 0 ? number : 0, next);
    return rc;
}

/* ---- further reads ---- */

static int read_units(const sl_order *order, sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_GET, sl_ecart_path_order_packages(order->id), NULL, 0,
                   SL_ECART_LABEL_ORDER_PACKAGES, out, err);
}

static int read_fulfillments(const sl_order *order, const sl_page *page,
                             sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_GET, sl_ecart_path_order_fulfillments(order->id, page_number(page)),
                   NULL, 0, SL_ECART_LABEL_ORDER_FULFILLMENTS, out, err);
}

static int decode_fulfillments_into(const char *body, size_t len, sl_order *order,
                                    sl_page_next *next, sl_error *err)
{
    int number = 0;
    int rc = sl_ecart_decode_fulfillments_into(body, len, order, &number, err);
    next_page(rc == 0 ? number : 0, next);
    return rc;
}

/* ---- the export listing ---- */

static int list_orders(const sl_list_filter *filter, const sl_page *page,
                       sl_platform_request *out, sl_error *err)
{
    const char *shipping = filter ? sl_ecart_shipping_word(filter->shipping) : NULL;
    int limit = filter && filter->page_size ? (int)filter->page_size : SL_ECART_MAX_IDS;
    return request(SL_HTTP_GET,
                   sl_export_path_orders_page(shipping, filter ? filter->updated_since : NULL,
                                              page_number(page), limit),
                   NULL, 0, SL_ECART_LABEL_ORDERS, out, err);
}

/* ---- writes ---- */

static int create_bulk(const char *order_id, const sl_shipment *shipments, size_t count,
                       sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_POST, sl_ecart_path_bulk_fulfillments(order_id),
                   sl_ecart_encode_bulk(shipments, count), 1, SL_ECART_LABEL_BULK, out, err);
}

static int create_one(const sl_shipment *shipment, sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_POST, sl_ecart_path_order_fulfillments_create(shipment->order_id),
                   sl_ecart_encode_single(shipment), 1, SL_ECART_LABEL_CREATE, out, err);
}

static int update(const char *order_id, const char *fulfillment_id,
                  const sl_shipment *shipment, sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_PUT, sl_ecart_path_fulfillment(order_id, fulfillment_id),
                   sl_ecart_encode_single(shipment), 1, SL_ECART_LABEL_UPDATE, out, err);
}

static int cancel(const char *order_id, const char *fulfillment_id, sl_platform_request *out,
                  sl_error *err)
{
    return request(SL_HTTP_POST, sl_ecart_path_fulfillment_cancel(order_id, fulfillment_id),
                   NULL, 0, SL_ECART_LABEL_CANCEL, out, err);
}

static int decode_bulk(const char *body, size_t len, sl_write_result *results, size_t expected,
                       sl_error *err)
{
    sl_bulk_result *decoded = calloc(expected ? expected : 1, sizeof(*decoded));
    if (!decoded)
        return sl_error_set(err, "out of memory");
    memset(results, 0, expected * sizeof(*results));
    int rc = sl_ecart_decode_bulk(body, len, decoded, expected, err);
    for (size_t i = 0; rc == 0 && i < expected; i++) {
        results[i].success = decoded[i].success;
        results[i].fulfillment_id = decoded[i].fulfillment_id;
        results[i].api_code = decoded[i].error_code;
        results[i].message = decoded[i].error_message;
        results[i].code = decoded[i].success ? SL_CODE_NONE
                                             : sl_ecart_row_code(decoded[i].error_code);
    }
    free(decoded);      /* its strings now belong to results */
    return rc;
}

/* A single write's 2xx answer: {"success":true,"fulfillment":{"id":...}}, or a refusal
 * ({"success":false,"error":{...}}, whatever the status): success 0 with the mapped code. -1
 * when the body says neither (it does not decode, or a member is missing). */
static int decode_write(const char *body, size_t len, sl_write_result *result, sl_error *err)
{
    memset(result, 0, sizeof(*result));
    if (sl_ecart_decode_fulfillment_id(body, len, &result->fulfillment_id, err) == 0) {
        result->success = 1;
        return 0;
    }
    char *code = NULL, *message = NULL;
    if (sl_ecart_decode_error(body, len, &code, &message) != 0)
        return -1;
    free(code);
    free(message);
    sl_platform_error mapped = { 0 };
    sl_ecart_error_map(200, body, len, &mapped);
    result->code = mapped.code;
    result->api_code = mapped.api_code;
    result->message = mapped.message;
    result->already_exists = mapped.already_exists;
    return 0;
}

/* ---- the preflight ---- */

static int probe(sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_GET, sl_ecart_path_probe(), NULL, 0, SL_ECART_LABEL_PROBE, out, err);
}

const sl_platform sl_ecart_platform = {
    .name = "ecart",
    .title = "Ecart",
    .default_base_url = "https://api.ecartapi.com",
    .auth_header = "Authorization",
    .auth_prefix = "",
    .caps = {
        .bulk_max = SL_ECART_MAX_BULK,
        .lookup_ids_max = SL_ECART_MAX_IDS,
        .list_page_max = SL_ECART_MAX_IDS,
        .list_paging = SL_PAGING_NUMBERED,
        .has_units = 1,
        .create_notifies = 1,       /* notifyCustomer */
        .update_notifies = 1,
    },
    .lookup_ids = lookup_ids,
    .order_by_id = order_by_id,
    .lookup_name = lookup_name,
    .decode_orders = decode_orders,
    .decode_order = sl_ecart_decode_order,
    .read_units = read_units,
    .decode_units_into = sl_ecart_decode_packages_into,
    .read_fulfillments = read_fulfillments,
    .decode_fulfillments_into = decode_fulfillments_into,
    .list_orders = list_orders,
    .create_bulk = create_bulk,
    .decode_bulk = decode_bulk,
    .create = create_one,
    .update = update,
    .cancel = cancel,
    .decode_write = decode_write,
    .probe = probe,
    .decode_probe = sl_ecart_probe_check,
    .api_prefix = SL_ECART_API_PREFIX,
    .error_map = sl_ecart_error_map,
};
