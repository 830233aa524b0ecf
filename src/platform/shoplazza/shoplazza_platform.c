/* shoplazza_platform.c: the Shoplazza adapter's platform table (platform.h): its capabilities
 * (no bulk, batched lookups of 250 ids, lookup by number, cursor pages of 250, fulfillments
 * carried by the order and read back, update, cancel, payment required, a pace of 2 requests
 * per second with a burst of 40, the Request-Id kept) and thin wrappers over shoplazza.c. No
 * I/O. */
#include <stdlib.h>
#include <string.h>
#include "platform/shoplazza/shoplazza.h"

static int request(sl_http_method method, char *path, char *body, int needs_body,
                   const char *label, sl_platform_request *out, sl_error *err)
{
    return sl_platform_request_make(method, path, body, needs_body, "Shoplazza", label, out, err);
}

static int lookup_ids(const char *const *ids, size_t count, sl_platform_request *out,
                      sl_error *err)
{
    return request(SL_HTTP_GET, sl_shoplazza_path_orders_by_ids(ids, count), NULL, 0,
                   SL_SHOPLAZZA_LABEL_ORDERS, out, err);
}

static int order_by_id(const char *id, sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_GET, sl_shoplazza_path_order(id), NULL, 0, SL_SHOPLAZZA_LABEL_ORDER,
                   out, err);
}

static int order_by_number(const char *number, sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_GET, sl_shoplazza_path_by_number(number), NULL, 0,
                   SL_SHOPLAZZA_LABEL_BY_NUMBER, out, err);
}

static int read_fulfillments(const sl_order *order, const sl_page *page,
                             sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_GET,
                   sl_shoplazza_path_fulfillments(order->id, page ? page->cursor : NULL), NULL,
                   0, SL_SHOPLAZZA_LABEL_FULFILLMENTS, out, err);
}

static const char *shipping_word(sl_order_shipping shipping)
{
    return shipping == SL_ORDER_SHIPPING_PARTIAL ? "partially_shipped" : "waiting";
}

static int list_orders(const sl_list_filter *filter, const sl_page *page,
                       sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_GET,
                   sl_shoplazza_path_list(filter ? shipping_word(filter->shipping) : "waiting",
                                          filter ? filter->updated_since : NULL,
                                          page ? page->cursor : NULL,
                                          filter ? filter->page_size : 0),
                   NULL, 0, SL_SHOPLAZZA_LABEL_ORDERS, out, err);
}

static int count_orders(const sl_list_filter *filter, sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_GET,
                   sl_shoplazza_path_count(filter ? shipping_word(filter->shipping) : "waiting",
                                           filter ? filter->updated_since : NULL),
                   NULL, 0, SL_SHOPLAZZA_LABEL_COUNT, out, err);
}

static int create(const sl_shipment *shipment, sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_POST, sl_shoplazza_path_fulfillments(shipment->order_id, NULL),
                   sl_shoplazza_encode_create(shipment, err), 1, SL_SHOPLAZZA_LABEL_CREATE,
                   out, err);
}

static int update(const char *order_id, const char *fulfillment_id,
                  const sl_shipment *shipment, sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_PUT, sl_shoplazza_path_fulfillment(order_id, fulfillment_id),
                   sl_shoplazza_encode_update(shipment, err), 1, SL_SHOPLAZZA_LABEL_UPDATE,
                   out, err);
}

static int cancel(const char *order_id, const char *fulfillment_id, sl_platform_request *out,
                  sl_error *err)
{
    return request(SL_HTTP_POST, sl_shoplazza_path_cancel(order_id, fulfillment_id), NULL, 0,
                   SL_SHOPLAZZA_LABEL_CANCEL, out, err);
}

/* The preflight asks for the order count: cheap, and it needs the read_order scope every
 * lookup needs (the carrier list is read later, once, only before writes). */
static int probe(sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_GET, strdup("/orders/count"), NULL, 0, SL_SHOPLAZZA_LABEL_COUNT,
                   out, err);
}

static int read_carriers(sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_GET, strdup("/tracking/carriers"), NULL, 0,
                   SL_SHOPLAZZA_LABEL_CARRIERS, out, err);
}

const sl_platform sl_shoplazza_platform = {
    .name = "shoplazza",
    .title = "Shoplazza",
    .default_base_url = NULL,
    .base_url = sl_shoplazza_base_url,
    .auth_header = "Access-Token",
    .auth_prefix = "",
    .request_id_header = "Request-Id",
    .caps = {
        .bulk_max = 0,
        .lookup_ids_max = SL_SHOPLAZZA_MAX_IDS,
        .list_page_max = SL_SHOPLAZZA_PAGE_MAX,
        .list_paging = SL_PAGING_CURSOR,
        .orders_carry_fulfillments = 1,
        .requires_payment = 1,
        .has_units = 0,
        .create_notifies = 0,       /* no flag on create: the store's setting decides */
        .update_notifies = 1,       /* send_email */
        .rate_per_second = 2.0,
        .rate_burst = 40,
    },
    .lookup_ids = lookup_ids,
    .order_by_id = order_by_id,
    .order_by_number = order_by_number,
    .decode_orders = sl_shoplazza_decode_orders,
    .decode_order = sl_shoplazza_decode_order,
    .read_fulfillments = read_fulfillments,
    .decode_fulfillments_into = sl_shoplazza_decode_fulfillments_into,
    .list_orders = list_orders,
    .count_orders = count_orders,
    .decode_count = sl_shoplazza_decode_count,
    .create = create,
    .update = update,
    .cancel = cancel,
    .decode_write = sl_shoplazza_decode_write,
    .read_carriers = read_carriers,
    .decode_carriers = sl_shoplazza_decode_carriers,
    .probe = probe,
    .decode_probe = sl_shoplazza_decode_probe,
    .api_prefix = SL_SHOPLAZZA_API_PREFIX,
    .error_map = sl_shoplazza_error_map,
};
