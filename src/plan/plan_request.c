/* plan_request.c: reading a plan (plan.h): its requests and fulfillments, what each request
 * sends (method, statistics label, path and body through the Ecart adapter), and writing a
 * fulfillment's outcome back to the rows it came from. Sends nothing. */
#include <stdlib.h>
#include "plan/plan_internal.h"

size_t sl_plan_request_count(const sl_plan *plan)
{
    return plan->request_count;
}

const sl_planned_request *sl_plan_request(const sl_plan *plan, size_t request)
{
    return request < plan->request_count ? &plan->requests[request] : NULL;
}

size_t sl_plan_fulfillment_count(const sl_plan *plan)
{
    return plan->fulfillment_count;
}

const sl_planned_fulfillment *sl_plan_fulfillment(const sl_plan *plan, size_t fulfillment)
{
    return fulfillment < plan->fulfillment_count ? &plan->fulfillments[fulfillment] : NULL;
}

void sl_planned_fulfillment_request(const sl_planned_fulfillment *planned,
                                    sl_fulfillment_request *request)
{
    *request = (sl_fulfillment_request){
        .fulfillment_order_id = planned->fulfillment_order_id,
        .tracking_numbers = planned->tracking_numbers,
        .tracking_count = planned->tracking_count,
        .company = planned->company,
        .url = planned->url,
        .items = planned->kind == SL_PLAN_CREATE ? planned->items : NULL,
        .item_count = planned->kind == SL_PLAN_CREATE ? planned->item_count : 0,
        .notify_customer = planned->notify,
        .location_id = planned->location_id,
        .shipping_method = planned->shipping_method,
        .shipping_date = planned->shipping_date,
    };
}

const char *sl_plan_request_method(const sl_plan *plan, size_t request)
{
    return plan->requests[request].kind == SL_PLAN_UPDATE ? "PUT" : "POST";
}

const char *sl_plan_request_label(const sl_plan *plan, size_t request)
{
    switch (plan->requests[request].kind) {
    case SL_PLAN_UPDATE: return SL_ECART_LABEL_UPDATE;
    case SL_PLAN_CANCEL: return SL_ECART_LABEL_CANCEL;
    case SL_PLAN_CREATE: break;
    }
    return SL_ECART_LABEL_BULK;
}

char *sl_plan_request_path(const sl_plan *plan, size_t request)
{
    const sl_planned_request *planned = &plan->requests[request];
    const sl_planned_fulfillment *first = &plan->fulfillments[planned->first];
    switch (planned->kind) {
    case SL_PLAN_UPDATE: return sl_ecart_path_fulfillment(planned->order_id, first->fulfillment_id);
    case SL_PLAN_CANCEL:
        return sl_ecart_path_fulfillment_cancel(planned->order_id, first->fulfillment_id);
    case SL_PLAN_CREATE: break;
    }
    return sl_ecart_path_bulk_fulfillments(planned->order_id);
}

int sl_plan_request_body(const sl_plan *plan, size_t request, char **body, sl_error *err)
{
    const sl_planned_request *planned = &plan->requests[request];
    *body = NULL;
    if (planned->kind == SL_PLAN_CANCEL)
        return 0;
    sl_fulfillment_request entries[SL_ECART_MAX_BULK];
    if (planned->count == 0 || planned->count > SL_ECART_MAX_BULK)
        return sl_error_set(err, "request %zu has %zu entries", request, planned->count);
    for (size_t i = 0; i < planned->count; i++)
        sl_planned_fulfillment_request(&plan->fulfillments[planned->first + i], &entries[i]);
    *body = planned->kind == SL_PLAN_UPDATE ? sl_ecart_encode_single(&entries[0])
                                            : sl_ecart_encode_bulk(entries, planned->count);
    if (!*body)
        return sl_error_set(err, "cannot encode the request for order %s", planned->order_id);
    return 0;
}

sl_status sl_plan_success_status(sl_plan_kind kind, int dry_run)
{
    switch (kind) {
    case SL_PLAN_UPDATE: return dry_run ? SL_STATUS_WOULD_UPDATE : SL_STATUS_UPDATED;
    case SL_PLAN_CANCEL: return dry_run ? SL_STATUS_WOULD_CANCEL : SL_STATUS_CANCELED;
    case SL_PLAN_CREATE: break;
    }
    return dry_run ? SL_STATUS_WOULD_SHIP : SL_STATUS_SHIPPED;
}

int sl_plan_settle(const sl_plan *plan, size_t fulfillment, sl_row *rows, sl_status status,
                   sl_code code, const char *fulfillment_id, int http_status,
                   const char *message)
{
    const sl_planned_fulfillment *planned = &plan->fulfillments[fulfillment];
    int success = sl_status_is_success(status);
    for (size_t i = 0; i < planned->row_count; i++) {
        sl_row *row = &rows[planned->rows[i]];
        if (fulfillment_id && sl_row_set(&row->fulfillment_id, fulfillment_id))
            return -1;
        if (http_status)
            row->http_status = http_status;
        if (!success) {
            sl_row_fail(row, status, code, "%s", message ? message : "");
            continue;
        }
        if (row->status == SL_STATUS_PENDING)
            row->status = status;
        row->notified = planned->notify > 0;
        if (message && message[0])
            sl_row_warn(row, "%s", message);
    }
    return 0;
}
