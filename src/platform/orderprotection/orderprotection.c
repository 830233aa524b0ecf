/* orderprotection.c: OrderProtection's paths, the create body, the client-chosen
 * sourceFulfillmentId, the decoders of an order and of its fulfillments, and the error map
 * (orderprotection.h). JSON through jansson, SHA-256 through libcrypto. No I/O. */
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/url.h"
#include "platform/json_values.h"
#include "platform/orderprotection/orderprotection.h"

/* ---------------------------------------------------------------- paths */

static char *order_path(const char *source_order_id, const char *tail)
{
    char *escaped = sl_url_escape(source_order_id);
    char *path = NULL;
    if (escaped && asprintf(&path, "/v1/orders/%s%s", escaped, tail) < 0)
        path = NULL;
    free(escaped);
    return path;
}

char *sl_op_path_order(const char *source_order_id)
{
    return order_path(source_order_id, "");
}

char *sl_op_path_fulfillments(const char *source_order_id)
{
    return order_path(source_order_id, "/fulfillments");
}

char *sl_op_path_fulfillment(const char *source_order_id, const char *source_fulfillment_id)
{
    char *escaped = sl_url_escape(source_fulfillment_id);
    char *tail = NULL, *path = NULL;
    if (escaped && asprintf(&tail, "/fulfillments/%s", escaped) >= 0)
        path = order_path(source_order_id, tail);
    free(escaped);
    free(tail);
    return path;
}

/* ---------------------------------------------------------------- statuses */

/* The fulfillmentStatus enum of seed 004, FULFILLED (what a shipped row sends) first. */
const char *const sl_op_statuses[] = {
    SL_OP_DEFAULT_STATUS, "DELIVERED", "UNFULFILLED", "PARTIALLY_FULFILLED",
    "AWAITING_SHIPMENT", "SCHEDULED", "ON_HOLD", "ATTEMPTED_DELIVERY", "CARRIER_PICKED_UP",
    "CONFIRMED", "DELAYED", "FAILURE", "IN_TRANSIT", "LABEL_PRINTED", "LABEL_PURCHASED",
    "OUT_FOR_DELIVERY", "PICKED_UP", "READY_FOR_PICKUP", NULL,
};

char *sl_op_encode_status(const char *status, sl_error *err)
{
    json_t *body = json_pack("{s:s}", "status", status ? status : "");
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text)
        sl_error_set(err, "out of memory");
    return text;
}

/* ---------------------------------------------------------------- the create body */

char *sl_op_encode_create(const sl_shipment *shipment, sl_error *err)
{
    if (!shipment->items || shipment->item_count == 0) {
        sl_error_set(err, "OrderProtection needs the items of every shipment");
        return NULL;
    }
    if (!shipment->fulfillment_id) {
        sl_error_set(err, "OrderProtection needs a sourceFulfillmentId");
        return NULL;
    }
    json_t *items = json_array(), *numbers = json_array(), *urls = json_array();
    for (size_t i = 0; i < shipment->item_count; i++)
        json_array_append_new(items, json_pack("{s:s, s:I}", "sourceItemId",
                                               shipment->items[i].id, "quantity",
                                               (json_int_t)shipment->items[i].quantity));
    for (size_t i = 0; i < shipment->tracking_count; i++) {
        json_array_append_new(numbers, json_string(shipment->tracking_numbers[i]));
        const char *url = shipment->tracking_urls ? shipment->tracking_urls[i]
                                                  : i == 0 ? shipment->url : NULL;
        if (url && *url)
            json_array_append_new(urls, json_string(url));
    }
    json_t *body = json_pack("{s:o, s:s, s:s, s:o, s:o}", "sourceItemIds", items,
                             "fulfillmentStatus",
                             shipment->status_word ? shipment->status_word
                                                   : SL_OP_DEFAULT_STATUS,
                             "sourceFulfillmentId", shipment->fulfillment_id,
                             "trackingNumber", numbers, "trackingUrl", urls);
    if (body && shipment->company)
        json_object_set_new(body, "trackingCompany", json_string(shipment->company));
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text)
        sl_error_set(err, "out of memory");
    return text;
}

/* ---------------------------------------------------------------- sourceFulfillmentId */

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The hashed text's lines, sorted within their kind. */
static char *fulfillment_text(const sl_shipment *shipment)
{
    size_t count = shipment->item_count + shipment->tracking_count;
    char **lines = calloc(count + 1, sizeof(*lines));
    char *text = NULL;
    size_t made = 0, total = strlen(shipment->order_id) + 2;
    int failed = !lines;
    for (size_t i = 0; !failed && i < shipment->item_count; i++)
        failed = asprintf(&lines[made++], "item %s %ld\n", shipment->items[i].id,
                          (long)shipment->items[i].quantity) < 0;
    for (size_t i = 0; !failed && i < shipment->tracking_count; i++)
        failed = asprintf(&lines[made++], "tracking %s\n", shipment->tracking_numbers[i]) < 0;
    if (!failed) {
        qsort(lines, shipment->item_count, sizeof(*lines), compare_strings);
        qsort(lines + shipment->item_count, shipment->tracking_count, sizeof(*lines),
              compare_strings);
        for (size_t i = 0; i < made; i++)
            total += strlen(lines[i]);
        text = malloc(total);
    }
    if (text) {
        snprintf(text, total, "%s\n", shipment->order_id);
        for (size_t i = 0; i < made; i++)
            strcat(text, lines[i]);
    }
    for (size_t i = 0; lines && i < made; i++)
        free(lines[i]);
    free(lines);
    return text;
}

int sl_op_fulfillment_id(const sl_shipment *shipment, char *out, size_t cap)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    if (cap < 3 + 24 + 1 || !shipment->order_id)
        return -1;
    char *text = fulfillment_text(shipment);
    if (!text || EVP_Digest(text, strlen(text), digest, &digest_len, EVP_sha256(), NULL) != 1) {
        free(text);
        return -1;
    }
    free(text);
    memcpy(out, "sl-", 3);
    for (size_t i = 0; i < 12; i++)
        snprintf(out + 3 + 2 * i, 3, "%02x", digest[i]);
    return 0;
}

/* ---------------------------------------------------------------- decoders */

/* An item id under sourceItemId or id (the public example's key). */
static json_t *item_id(json_t *entry)
{
    json_t *id = json_object_get(entry, "sourceItemId");
    return id ? id : json_object_get(entry, "id");
}

/* trackingNumber / trackingUrl: an array of strings, or one string. */
static json_t *string_list(json_t *value)
{
    return json_is_string(value) ? json_pack("[O]", value) : json_incref(value);
}

/* unit_id: the order's one unit, which every fulfillment of the order ships from (the engine
 * compares a fulfillment's unit_write_id with the unit's write id, else its id). */
static int decode_fulfillment(json_t *json, const char *unit_id, sl_fulfillment *out,
                              sl_error *err)
{
    memset(out, 0, sizeof(*out));
    out->id = sl_json_string_or_null(json_object_get(json, "sourceFulfillmentId"));
    if (!out->id)
        return sl_error_set(err, "OrderProtection: a fulfillment has no sourceFulfillmentId");
    out->unit_write_id = unit_id ? strdup(unit_id) : NULL;
    out->status = SL_FULFILLMENT_STATUS_ACTIVE;     /* no cancel on this platform */
    out->status_text = sl_json_string_or_null(json_object_get(json, "fulfillmentStatus"));
    out->company = sl_json_string_or_null(json_object_get(json, "trackingCompany"));
    json_t *numbers = string_list(json_object_get(json, "trackingNumber"));
    json_t *urls = string_list(json_object_get(json, "trackingUrl"));
    out->url = sl_json_string_or_null(json_array_get(urls, 0));
    out->tracking_numbers = calloc(json_array_size(numbers) + 1, sizeof(char *));
    for (size_t i = 0; out->tracking_numbers && i < json_array_size(numbers); i++) {
        char *number = sl_json_string_or_null(json_array_get(numbers, i));
        if (number)
            out->tracking_numbers[out->tracking_count++] = number;
    }
    json_decref(numbers);
    json_decref(urls);
    json_t *items = json_object_get(json, "sourceItemIds");
    out->items = calloc(json_array_size(items) + 1, sizeof(sl_item));
    for (size_t i = 0; out->items && i < json_array_size(items); i++) {
        json_t *entry = json_array_get(items, i);
        char *id = sl_json_string_or_null(item_id(entry));
        if (!id)
            continue;
        out->items[out->item_count].id = id;
        out->items[out->item_count++].quantity =
            sl_quantity_clamp(sl_json_whole(json_object_get(entry, "quantity")));
    }
    return out->tracking_numbers && out->items ? 0 : sl_error_set(err, "out of memory");
}

static int decode_fulfillment_array(json_t *array, sl_order *order, sl_error *err)
{
    sl_fulfillments_free(order->fulfillments, order->fulfillment_count);
    order->fulfillments = calloc(json_array_size(array) + 1, sizeof(sl_fulfillment));
    order->fulfillment_count = 0;
    if (!order->fulfillments)
        return sl_error_set(err, "out of memory");
    for (size_t i = 0; i < json_array_size(array); i++) {
        if (decode_fulfillment(json_array_get(array, i), order->id,
                               &order->fulfillments[order->fulfillment_count], err)) {
            sl_fulfillment_clear(&order->fulfillments[order->fulfillment_count]);
            return -1;
        }
        order->fulfillment_count++;
    }
    order->fulfillments_known = 1;
    return 0;
}

/* The one unit: what may still ship of each item (remaining = quantity - fulfilled). */
static int fill_unit(sl_order *order, json_t *items, sl_error *err)
{
    sl_unit *unit = calloc(1, sizeof(*unit));
    order->units = unit;
    order->unit_count = unit ? 1 : 0;
    order->items = calloc(json_array_size(items) + 1, sizeof(sl_item));
    if (!unit || !order->items || !(unit->items = calloc(json_array_size(items) + 1,
                                                         sizeof(sl_item))))
        return sl_error_set(err, "out of memory");
    unit->id = strdup(order->id);
    unit->status = order->status == SL_ORDER_STATUS_CANCELED ? SL_UNIT_STATUS_CANCELED
                                                             : SL_UNIT_STATUS_OPEN;
    unit->status_text = strdup(order->status_text ? order->status_text : "OPEN");
    unit->items_known = 1;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *entry = json_array_get(items, i);
        char *id = sl_json_string_or_null(item_id(entry));
        if (!id)
            return sl_error_set(err, "OrderProtection: orderItems[%zu] has no sourceItemId", i);
        long quantity = sl_json_whole(json_object_get(entry, "quantity"));
        long refunded = sl_json_whole(json_object_get(entry, "refundedQuantity"));
        sl_item *ordered = &order->items[order->item_count++];
        ordered->id = id;
        ordered->sku = sl_json_string_or_null(json_object_get(entry, "sku"));
        ordered->name = sl_json_string_or_null(json_object_get(entry, "name"));
        ordered->quantity = sl_quantity_clamp(quantity);
        sl_item *held = &unit->items[unit->item_count++];
        held->id = strdup(id);
        held->sku = ordered->sku ? strdup(ordered->sku) : NULL;
        held->name = ordered->name ? strdup(ordered->name) : NULL;
        held->quantity = sl_quantity_clamp(quantity - refunded);
        for (size_t f = 0; f < order->fulfillment_count; f++)
            for (size_t k = 0; k < order->fulfillments[f].item_count; k++)
                if (strcmp(order->fulfillments[f].items[k].id, id) == 0)
                    held->fulfilled_quantity = sl_quantity_clamp(
                        (long long)held->fulfilled_quantity +
                        order->fulfillments[f].items[k].quantity);
    }
    return 0;
}

static sl_order_status order_status(const char *word)
{
    if (!word)
        return SL_ORDER_STATUS_UNKNOWN;
    if (strcmp(word, "OPEN") == 0)
        return SL_ORDER_STATUS_OPEN;
    if (strcmp(word, "CANCELLED") == 0)
        return SL_ORDER_STATUS_CANCELED;
    return SL_ORDER_STATUS_OTHER;
}

int sl_op_decode_order(const char *body, size_t len, sl_order **out, sl_error *err)
{
    json_error_t error;
    *out = NULL;
    json_t *json = json_loadb(body, len, 0, &error);
    if (!json_is_object(json)) {
        json_decref(json);
        return sl_error_set(err, "OrderProtection: the order is not a JSON object");
    }
    sl_order *order = calloc(1, sizeof(*order));
    int rc = order ? 0 : sl_error_set(err, "out of memory");
    if (rc == 0) {
        order->id = sl_json_string_or_null(json_object_get(json, "sourceOrderId"));
        order->name = sl_json_string_or_null(json_object_get(json, "orderName"));
        order->number = order->name ? strdup(order->name + (order->name[0] == '#'))
                                    : order->id ? strdup(order->id) : NULL;
        order->status_text = sl_json_string_or_null(json_object_get(json, "status"));
        order->status = order_status(order->status_text);
        order->updated_at = sl_json_string_or_null(json_object_get(json, "updatedAt"));
        if (!order->id)
            rc = sl_error_set(err, "OrderProtection: the order has no sourceOrderId");
    }
    if (rc == 0)
        rc = decode_fulfillment_array(json_object_get(json, "fulfillments"), order, err);
    if (rc == 0)
        rc = fill_unit(order, json_object_get(json, "orderItems"), err);
    json_decref(json);
    if (rc) {
        sl_order_free(order);
        return -1;
    }
    *out = order;
    return 0;
}

int sl_op_decode_fulfillments_into(const char *body, size_t len, sl_order *order,
                                   sl_error *err)
{
    json_error_t error;
    json_t *json = json_loadb(body, len, 0, &error);
    if (order->packed || !json_is_array(json)) {
        json_decref(json);
        return sl_error_set(err, "OrderProtection: the fulfillments are not a JSON array");
    }
    int rc = decode_fulfillment_array(json, order, err);
    json_decref(json);
    return rc;
}

/* ---------------------------------------------------------------- errors */

/* (ours) The 422 messages of the simulator's rules, by their start. */
static const struct {
    const char *start;
    sl_code code;
} unprocessable[] = {
    { "order cancelled", SL_CODE_ORDER_CANCELED },
    { "unknown item", SL_CODE_ITEM_NOT_FOUND },
    { "quantity exceeds remaining", SL_CODE_QUANTITY_EXCEEDS_REMAINING },
};

void sl_op_error_map(long http_status, const char *body, size_t len, sl_platform_error *out)
{
    json_error_t error;
    memset(out, 0, sizeof(*out));
    json_t *json = body && len ? json_loadb(body, len, 0, &error) : NULL;
    out->message = sl_json_string_or_null(json_object_get(json, "message"));
    json_decref(json);
    out->api_code = out->message ? strdup(out->message) : NULL;
    out->code = SL_CODE_API_REJECTED;
    if (http_status == 404)
        out->code = SL_CODE_ORDER_NOT_FOUND;
    if (http_status == 409) {
        out->code = SL_CODE_NONE;
        out->already_exists = 1;
    }
    for (size_t i = 0; http_status == 422 && out->message &&
                       i < sizeof(unprocessable) / sizeof(unprocessable[0]); i++)
        if (strncmp(out->message, unprocessable[i].start, strlen(unprocessable[i].start)) == 0)
            out->code = unprocessable[i].code;
}
