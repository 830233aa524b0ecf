/* orderprotection_platform.c: the OrderProtection adapter's platform table (platform.h): its
 * capabilities (no bulk, one GET per order id, no lookup by name or number, no export
 * listing, fulfillments read back, no update of tracking, no cancel, a status-only update,
 * the fulfillmentStatus enum, client-chosen fulfillment ids, no pace of its own: the contract documents no rate limit) and thin wrappers
 * over orderprotection.c. No I/O. */
#include <stdlib.h>
#include <string.h>
#include "platform/orderprotection/orderprotection.h"

static int request(sl_http_method method, char *path, char *body, int needs_body,
                   const char *label, sl_platform_request *out, sl_error *err)
{
    return sl_platform_request_make(method, path, body, needs_body, "OrderProtection", label,
                                    out, err);
}

static int order_by_id(const char *id, sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_GET, sl_op_path_order(id), NULL, 0, SL_OP_LABEL_ORDER, out, err);
}

static int read_fulfillments(const sl_order *order, const sl_page *page,
                             sl_platform_request *out, sl_error *err)
{
    (void)page;     /* one array, no pages */
    return request(SL_HTTP_GET, sl_op_path_fulfillments(order->id), NULL, 0,
                   SL_OP_LABEL_FULFILLMENTS, out, err);
}

static int decode_fulfillments_into(const char *body, size_t len, sl_order *order,
                                    sl_page_next *next, sl_error *err)
{
    if (next)
        memset(next, 0, sizeof(*next));
    return sl_op_decode_fulfillments_into(body, len, order, err);
}

static int create(const sl_shipment *shipment, sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_POST, sl_op_path_fulfillments(shipment->order_id),
                   sl_op_encode_create(shipment, err), 1, SL_OP_LABEL_CREATE, out, err);
}

static int update_status(const char *order_id, const char *fulfillment_id, const char *status,
                         sl_platform_request *out, sl_error *err)
{
    return request(SL_HTTP_PUT, sl_op_path_fulfillment(order_id, fulfillment_id),
                   sl_op_encode_status(status, err), 1, SL_OP_LABEL_STATUS, out, err);
}

/* 201 {"status": "ok"}: no id echoed; the id is the one the shipment chose. */
static int decode_write(const char *body, size_t len, sl_write_result *result, sl_error *err)
{
    (void)body;
    (void)len;
    (void)err;
    memset(result, 0, sizeof(*result));
    result->success = 1;
    return 0;
}

const sl_platform sl_orderprotection_platform = {
    .name = "orderprotection",
    .title = "OrderProtection",
    .default_base_url = SL_OP_BASE_URL,
    .auth_header = "Authorization",
    .auth_prefix = "Bearer ",
    .caps = {
        .bulk_max = 0,
        .lookup_ids_max = 0,
        .orders_carry_fulfillments = 1,
        .has_units = 0,
    },
    .order_by_id = order_by_id,
    .decode_order = sl_op_decode_order,
    .read_fulfillments = read_fulfillments,
    .decode_fulfillments_into = decode_fulfillments_into,
    .create = create,
    .update_status = update_status,
    .decode_write = decode_write,
    .choose_fulfillment_id = sl_op_fulfillment_id,
    .fulfillment_statuses = sl_op_statuses,
    .error_map = sl_op_error_map,
};
