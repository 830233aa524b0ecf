/* plan_request.c: reading a plan (plan.h): its requests and fulfillments; the one write
 * encoder (a planned write as the platform's request: method, path, body, label), which the dry
 * run's requests.jsonl and the real submission both use; and writing a fulfillment's outcome
 * back to the rows it came from. Sends nothing. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "shipload/validate.h"
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

const uint32_t *sl_planned_rows(const sl_plan *plan, const sl_planned_fulfillment *planned)
{
    return sl_plan_rows_of(&plan->lists, planned);
}

size_t sl_planned_tracking_room(const sl_plan *plan, const sl_planned_fulfillment *planned)
{
    const uint32_t *rows = sl_plan_rows_of(&plan->lists, planned);
    size_t room = 0;
    for (size_t r = 0; r < planned->row_count; r++)
        room += plan->rows[rows[r]].tracking_count;
    return room;
}

size_t sl_planned_tracking(const sl_plan *plan, const sl_planned_fulfillment *planned,
                           const char **numbers)
{
    const uint32_t *rows = sl_plan_rows_of(&plan->lists, planned);
    size_t count = 0;
    for (size_t r = 0; r < planned->row_count; r++) {
        const sl_row *row = &plan->rows[rows[r]];
        for (size_t i = 0; i < row->tracking_count; i++) {
            int known = 0;
            for (size_t t = 0; t < count && !known; t++)
                known = strcasecmp(numbers[t], row->tracking_numbers[i]) == 0;
            if (!known)
                numbers[count++] = row->tracking_numbers[i];
        }
    }
    return count;
}

const sl_item *sl_planned_items(const sl_plan *plan, const sl_planned_fulfillment *planned)
{
    return sl_plan_items_of(&plan->lists, planned);
}

const char *sl_planned_fulfillment_id(const sl_planned_fulfillment *planned)
{
    return planned->kind == SL_PLAN_CREATE ? NULL : planned->target.fulfillment_id;
}

const char *sl_planned_order_id(const sl_plan *plan, const sl_planned_fulfillment *planned)
{
    return plan->requests[planned->request].order_id;
}

const sl_row *sl_planned_first_row(const sl_plan *plan, const sl_planned_fulfillment *planned)
{
    return &plan->rows[plan->lists.rows[planned->rows_at]];
}

const char *sl_planned_status(const sl_plan *plan, const sl_planned_fulfillment *planned)
{
    const char *status = sl_row_cols(sl_planned_first_row(plan, planned))->fulfillment_status;
    return sl_plan_text_or_null(status) ? status : plan->default_status;
}

const char *sl_planned_carrier_code(const sl_plan *plan, const sl_planned_fulfillment *planned)
{
    const char *carrier = sl_planned_first_row(plan, planned)->carrier;
    if (!sl_plan_text_or_null(carrier) || !plan->carrier_code)
        return NULL;
    return plan->carrier_code(carrier, plan->carrier_code_data);
}

/* The platform's view of a planned fulfillment (pointers borrowed from the plan, its rows and
 * the platform; its tracking numbers are written into numbers, which has room for
 * sl_planned_tracking_room of them; a tracking URL validation derived is built into url: both
 * must outlive the shipment's encoding, sl_row_url_free after). */
static void planned_shipment(const sl_plan *plan, const sl_platform *platform,
                             const sl_planned_fulfillment *planned, sl_shipment *shipment,
                             const char **numbers, sl_row_url *url)
{
    const sl_row *first = sl_planned_first_row(plan, planned);
    size_t tracking_count = sl_planned_tracking(plan, planned, numbers);
    *shipment = (sl_shipment){
        .order_id = sl_planned_order_id(plan, planned),
        .unit_write_id = planned->fulfillment_order_id,
        .tracking_numbers = tracking_count ? numbers : NULL,
        .tracking_count = tracking_count,
        .company = sl_plan_text_or_null(first->carrier),
        .carrier_code = sl_planned_carrier_code(plan, planned),
        .url = sl_plan_text_or_null(sl_row_tracking_url(first, url)),
        .items = sl_plan_items_of(&plan->lists, planned),
        .item_count = planned->kind == SL_PLAN_CREATE ? planned->item_count : 0,
        .notify_customer = planned->notify,
        .location_id = sl_plan_text_or_null(sl_row_cols(first)->location_id),
        .shipping_method = sl_plan_text_or_null(sl_row_cols(first)->shipping_method),
        .shipping_date = sl_plan_text_or_null(first->ship_date),
        .status_word = sl_platform_status(platform, sl_planned_status(plan, planned)),
    };
}

/* A create of several fulfillments: the bulk endpoint, or (no bulk) a single create. */
static int encode_create(const sl_plan *plan, const sl_platform *platform,
                         const size_t *entries, size_t count, sl_platform_request *out,
                         sl_error *err)
{
    size_t room = 0;
    for (size_t i = 0; i < count; i++)
        room += sl_planned_tracking_room(plan, &plan->fulfillments[entries[i]]);
    sl_shipment *shipments = calloc(count, sizeof(*shipments));
    sl_row_url *urls = calloc(count, sizeof(*urls));   /* zeroed: each can be freed */
    const char **numbers = malloc((room ? room : 1) * sizeof(*numbers));
    char (*ids)[SL_FULFILLMENT_ID_MAX] = platform->choose_fulfillment_id
                                             ? calloc(count, sizeof(*ids)) : NULL;
    if (!shipments || !urls || !numbers || (platform->choose_fulfillment_id && !ids)) {
        free(shipments);
        free(urls);
        free(numbers);
        free(ids);
        return sl_error_set(err, "out of memory");
    }
    int rc = 0;
    const char **next_numbers = numbers;
    for (size_t i = 0; i < count && rc == 0; i++) {
        const sl_planned_fulfillment *planned = &plan->fulfillments[entries[i]];
        planned_shipment(plan, platform, planned, &shipments[i], next_numbers, &urls[i]);
        next_numbers += sl_planned_tracking_room(plan, planned);
        if (ids) {
            if (platform->choose_fulfillment_id(&shipments[i], ids[i], sizeof(ids[i])) != 0)
                rc = sl_error_set(err, "cannot derive a fulfillment id");
            shipments[i].fulfillment_id = ids[i];
        }
    }
    if (rc == 0) {
        if (platform->create_bulk)
            rc = platform->create_bulk(shipments[0].order_id, shipments, count, out, err);
        else if (count == 1)
            rc = platform->create(&shipments[0], out, err);
        else
            rc = sl_error_set(err, "%s has no bulk endpoint: %zu fulfillments in one request",
                              platform->title, count);
    }
    for (size_t i = 0; i < count; i++)
        sl_row_url_free(&urls[i]);
    free(shipments);
    free(urls);
    free(numbers);
    free(ids);
    return rc;
}

/* Room for planned's tracking numbers (sl_planned_tracking_room; never NULL unless out of
 * memory): free() it after the encoding. */
static const char **tracking_room(const sl_plan *plan, const sl_planned_fulfillment *planned)
{
    size_t room = sl_planned_tracking_room(plan, planned);
    return malloc((room ? room : 1) * sizeof(const char *));
}

int sl_plan_encode(const sl_plan *plan, const sl_platform *platform, sl_plan_kind kind,
                   const size_t *entries, size_t count, sl_platform_request *out, sl_error *err)
{
    memset(out, 0, sizeof(*out));
    size_t limit = platform->create_bulk && platform->caps.bulk_max ? platform->caps.bulk_max : 1;
    if (count == 0 || (kind != SL_PLAN_CREATE && count != 1) || count > limit)
        return sl_error_set(err, "a write of %zu fulfillments cannot be sent to %s", count,
                            platform->title);
    for (size_t i = 0; i < count; i++)
        if (entries[i] >= plan->fulfillment_count)
            return sl_error_set(err, "no planned fulfillment %zu", entries[i]);
    const sl_planned_fulfillment *first = &plan->fulfillments[entries[0]];
    const char *order_id = sl_planned_order_id(plan, first);
    const char *fulfillment_id = sl_planned_fulfillment_id(first);
    const char *status = kind == SL_PLAN_STATUS ? sl_planned_status(plan, first) : NULL;
    sl_shipment shipment;
    sl_row_url url;
    const char **numbers;
    int rc;
    switch (kind) {
    case SL_PLAN_CREATE:
        return encode_create(plan, platform, entries, count, out, err);
    case SL_PLAN_UPDATE:
        if (!platform->update)
            return sl_error_set(err, "%s cannot update a fulfillment", platform->title);
        if (!(numbers = tracking_room(plan, first)))
            return sl_error_set(err, "out of memory");
        planned_shipment(plan, platform, first, &shipment, numbers, &url);
        rc = platform->update(order_id, fulfillment_id, &shipment, out, err);
        sl_row_url_free(&url);
        free(numbers);
        return rc;
    case SL_PLAN_CANCEL:
        if (!platform->cancel)
            return sl_error_set(err, "%s cannot cancel a fulfillment", platform->title);
        return platform->cancel(order_id, fulfillment_id, out, err);
    case SL_PLAN_STATUS:
        if (!platform->update_status || !sl_platform_status(platform, status))
            return sl_error_set(err, "%s cannot set status '%s' on a fulfillment",
                                platform->title, status ? status : "");
        return platform->update_status(order_id, fulfillment_id,
                                       sl_platform_status(platform, status), out, err);
    }
    return sl_error_set(err, "unknown write kind");
}

int sl_plan_client_id(const sl_plan *plan, const sl_platform *platform, size_t fulfillment,
                      char *out, size_t cap)
{
    if (!platform->choose_fulfillment_id || fulfillment >= plan->fulfillment_count)
        return -1;
    const sl_planned_fulfillment *planned = &plan->fulfillments[fulfillment];
    const char **numbers = tracking_room(plan, planned);
    if (!numbers)
        return -1;
    sl_shipment shipment;
    sl_row_url url;
    planned_shipment(plan, platform, planned, &shipment, numbers, &url);
    int rc = platform->choose_fulfillment_id(&shipment, out, cap);
    sl_row_url_free(&url);
    free(numbers);
    return rc;
}

int sl_plan_encode_request(const sl_plan *plan, const sl_platform *platform, size_t request,
                           sl_platform_request *out, sl_error *err)
{
    if (request >= plan->request_count)
        return sl_error_set(err, "no planned request %zu", request);
    const sl_planned_request *planned = &plan->requests[request];
    size_t *entries = malloc(planned->count * sizeof(*entries));
    if (!entries)
        return sl_error_set(err, "out of memory");
    for (size_t i = 0; i < planned->count; i++)
        entries[i] = planned->first + i;
    int rc = sl_plan_encode(plan, platform, planned->kind, entries, planned->count, out, err);
    free(entries);
    return rc;
}

const char *sl_plan_kind_name(sl_plan_kind kind)
{
    static const char *const names[] = {
        [SL_PLAN_CREATE] = "create", [SL_PLAN_UPDATE] = "update",
        [SL_PLAN_CANCEL] = "cancel", [SL_PLAN_STATUS] = "status",
    };
    return (size_t)kind < sizeof(names) / sizeof(names[0]) && names[kind] ? names[kind] : "write";
}

sl_status sl_plan_success_status(sl_plan_kind kind, int dry_run)
{
    switch (kind) {
    case SL_PLAN_UPDATE:
    case SL_PLAN_STATUS: return dry_run ? SL_STATUS_WOULD_UPDATE : SL_STATUS_UPDATED;
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
    char *kept = fulfillment_id && plan->keep_id ? plan->keep_id(fulfillment_id,
                                                                 plan->keep_id_data) : NULL;
    const uint32_t *planned_rows = sl_plan_rows_of(&plan->lists, planned);
    for (size_t i = 0; i < planned->row_count; i++) {
        sl_row *row = &rows[planned_rows[i]];
        if (kept)       /* one copy for the fulfillment's rows, kept by the caller */
            sl_row_share_fulfillment_id(row, kept);
        else if (fulfillment_id && sl_row_set_fulfillment_id(row, fulfillment_id))
            return -1;
        if (http_status)
            row->http_status = http_status;
        if (!success) {
            sl_row_fail(row, status, code, "%s", message ? message : "");
            continue;
        }
        if (row->status == SL_STATUS_PENDING)
            row->status = status;
        row->notified = planned->notified;
        if (message && message[0])
            sl_row_warn(row, "%s", message);
    }
    return 0;
}
