/* shoplazza.c: Shoplazza's base URL, paths, create/update bodies, the decoders of its wrapped
 * answers and the remaining-quantity arithmetic (shoplazza.h). JSON through jansson. The error
 * map lives in shoplazza_errors.c. No I/O. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "shipload/url.h"
#include "platform/json_values.h"
#include "platform/shoplazza/shoplazza.h"

/* ---------------------------------------------------------------- base URL and paths */

char *sl_shoplazza_base_url(const char *api_url, const char *shop, sl_error *err)
{
    char *url = NULL;
    int rc = -1;
    if (api_url && *api_url) {
        size_t len = strlen(api_url);
        while (len > 0 && api_url[len - 1] == '/')
            len--;
        size_t plen = strlen(SL_SHOPLAZZA_API_PREFIX);
        int has_prefix = len >= plen && strncmp(api_url + len - plen, SL_SHOPLAZZA_API_PREFIX,
                                                plen) == 0;
        rc = asprintf(&url, "%.*s%s", (int)len, api_url, has_prefix ? "" : SL_SHOPLAZZA_API_PREFIX);
    } else if (shop && *shop) {
        if (strchr(shop, '/') || strchr(shop, ' ')) {
            sl_error_set(err, "--shop %s: give the store's name (NAME.myshoplaza.com) or its "
                              "domain, or --api-url for a full address", shop);
            return NULL;
        }
        rc = asprintf(&url, "https://%s%s%s", shop, strchr(shop, '.') ? "" : SL_SHOPLAZZA_HOST_SUFFIX,
                      SL_SHOPLAZZA_API_PREFIX);
    } else {
        sl_error_set(err, "Shoplazza needs the store: --shop NAME|DOMAIN, $SHIPLOAD_SHOP or "
                          "--api-url URL");
        return NULL;
    }
    if (rc < 0) {
        sl_error_set(err, "out of memory");
        return NULL;
    }
    return url;
}

char *sl_shoplazza_path_by_number(const char *number)
{
    if (!number)
        return NULL;
    char *bare = malloc(strlen(number) + 1), *at = bare;
    for (const char *c = number; bare && *c; c++)
        if (*c != '#' && *c != ' ' && *c != '\t')
            *at++ = *c;
    if (!bare)
        return NULL;
    *at = '\0';
    char *escaped = bare[0] ? sl_url_escape(bare) : NULL, *path = NULL;
    if (escaped && asprintf(&path, "/orders/number/%s", escaped) < 0)
        path = NULL;
    free(bare);
    free(escaped);
    return path;
}

static char *order_path(const char *order_id, const char *middle, const char *fulfillment_id,
                        const char *tail)
{
    char *order = sl_url_escape(order_id);
    char *fulfillment = fulfillment_id ? sl_url_escape(fulfillment_id) : NULL;
    char *path = NULL;
    if (order && (!fulfillment_id || fulfillment) &&
        asprintf(&path, "/orders/%s%s%s%s", order, middle, fulfillment ? fulfillment : "",
                 tail) < 0)
        path = NULL;
    free(order);
    free(fulfillment);
    return path;
}

char *sl_shoplazza_path_order(const char *order_id)
{
    return order_path(order_id, "", NULL, "");
}

char *sl_shoplazza_path_fulfillment(const char *order_id, const char *fulfillment_id)
{
    return fulfillment_id ? order_path(order_id, "/fulfillments/", fulfillment_id, "") : NULL;
}

char *sl_shoplazza_path_cancel(const char *order_id, const char *fulfillment_id)
{
    return fulfillment_id ? order_path(order_id, "/fulfillments/", fulfillment_id, "/cancel")
                          : NULL;
}

/* A growing "?a=b&c=d" query. */
typedef struct query {
    char *text;
    size_t len, cap;
    int failed;
} query;

/* key is written as given (already escaped); value is escaped. */
static void query_add(query *q, const char *key, const char *value)
{
    char *escaped = sl_url_escape(value);
    size_t need = q->len + strlen(key) + (escaped ? strlen(escaped) : 0) + 3;
    if (!escaped || q->failed) {
        q->failed = 1;
        free(escaped);
        return;
    }
    if (need > q->cap) {
        size_t cap = need * 2;
        char *grown = realloc(q->text, cap);
        if (!grown) {
            q->failed = 1;
            free(escaped);
            return;
        }
        q->text = grown;
        q->cap = cap;
    }
    q->len += (size_t)sprintf(q->text + q->len, "%c%s=%s", q->len ? '&' : '?', key, escaped);
    free(escaped);
}

static char *query_path(const char *base, query *q)
{
    char *path = NULL;
    if (!q->failed && asprintf(&path, "%s%s", base, q->text ? q->text : "") < 0)
        path = NULL;
    free(q->text);
    return path;
}

char *sl_shoplazza_path_orders_by_ids(const char *const *ids, size_t count)
{
    query q = { 0 };
    if (count == 0 || count > SL_SHOPLAZZA_MAX_IDS)
        return NULL;
    for (size_t i = 0; i < count; i++)
        query_add(&q, "ids", ids[i]);
    char size[16];
    snprintf(size, sizeof(size), "%zu", count);
    query_add(&q, "page_size", size);
    return query_path("/orders", &q);
}

/* The listing's filters, shared by the listing and its count. */
static void list_filters(query *q, const char *fulfillment_status, const char *updated_since)
{
    if (fulfillment_status)
        query_add(q, "fulfillment_status%5B%5D", fulfillment_status);
    query_add(q, "financial_status%5B%5D", "paid");
    query_add(q, "financial_status%5B%5D", "partially_refunded");
    if (updated_since)
        query_add(q, "updated_at_min", updated_since);
}

char *sl_shoplazza_path_count(const char *fulfillment_status, const char *updated_since)
{
    query q = { 0 };
    list_filters(&q, fulfillment_status, updated_since);
    return query_path("/orders/count", &q);
}

char *sl_shoplazza_path_list(const char *fulfillment_status, const char *updated_since,
                             const char *cursor, size_t page_size)
{
    query q = { 0 };
    char size[16];
    snprintf(size, sizeof(size), "%zu", page_size && page_size <= SL_SHOPLAZZA_PAGE_MAX
                                            ? page_size : (size_t)SL_SHOPLAZZA_PAGE_MAX);
    list_filters(&q, fulfillment_status, updated_since);
    query_add(&q, "page_size", size);
    if (cursor && *cursor)
        query_add(&q, "cursor", cursor);
    return query_path("/orders", &q);
}

char *sl_shoplazza_path_fulfillments(const char *order_id, const char *cursor)
{
    char *base = order_path(order_id, "/fulfillments", NULL, "");
    query q = { 0 };
    query_add(&q, "page_size", "250");
    if (cursor && *cursor)
        query_add(&q, "cursor", cursor);
    char *path = base ? query_path(base, &q) : (free(q.text), NULL);
    free(base);
    return path;
}

/* ---------------------------------------------------------------- bodies */

static int set_string(json_t *object, const char *key, const char *value)
{
    if (!value || !*value)
        return 0;
    json_t *string = json_string(value);        /* NULL on invalid UTF-8 */
    return string ? json_object_set_new(object, key, string) : -1;
}

static const char *tracking_url(const sl_shipment *shipment, size_t i)
{
    if (shipment->tracking_urls && shipment->tracking_urls[i])
        return shipment->tracking_urls[i];
    return i == 0 ? shipment->url : NULL;
}

/* tracking_number (the first), company, code, url; tracking_items when several numbers. */
static int encode_tracking(json_t *fulfillment, const sl_shipment *shipment)
{
    int rc = 0;
    if (shipment->tracking_count > 0)
        rc |= set_string(fulfillment, "tracking_number", shipment->tracking_numbers[0]);
    rc |= set_string(fulfillment, "tracking_company", shipment->company);
    rc |= set_string(fulfillment, "tracking_company_code", shipment->carrier_code);
    rc |= set_string(fulfillment, "tracking_url", tracking_url(shipment, 0));
    if (shipment->tracking_count < 2)
        return rc;
    json_t *items = json_array();
    for (size_t i = 0; items && i < shipment->tracking_count; i++) {
        json_t *item = json_object();
        rc |= set_string(item, "tracking_number", shipment->tracking_numbers[i]);
        rc |= set_string(item, "tracking_company", shipment->company);
        rc |= set_string(item, "tracking_company_code", shipment->carrier_code);
        rc |= set_string(item, "tracking_url", tracking_url(shipment, i));
        rc |= json_array_append_new(items, item);
    }
    return items ? rc | json_object_set_new(fulfillment, "tracking_items", items) : -1;
}

static char *wrap(json_t *fulfillment, int rc, sl_error *err)
{
    json_t *body = fulfillment && rc == 0 ? json_pack("{s:o}", "fulfillment", fulfillment)
                                          : (json_decref(fulfillment), NULL);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text)
        sl_error_set(err, "cannot encode the Shoplazza fulfillment (invalid UTF-8?)");
    return text;
}

char *sl_shoplazza_encode_create(const sl_shipment *shipment, sl_error *err)
{
    if (!shipment->items || shipment->item_count == 0) {
        sl_error_set(err, "Shoplazza needs the line items of every shipment");
        return NULL;
    }
    json_t *fulfillment = json_object(), *items = json_array();
    int rc = fulfillment && items ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < shipment->item_count; i++)
        rc |= json_array_append_new(items, json_pack("{s:s, s:I}", "id", shipment->items[i].id,
                                                     "ship_quantity",
                                                     (json_int_t)shipment->items[i].quantity));
    rc |= json_object_set_new(fulfillment, "line_items", items);
    rc |= encode_tracking(fulfillment, shipment);
    return wrap(fulfillment, rc, err);
}

char *sl_shoplazza_encode_update(const sl_shipment *shipment, sl_error *err)
{
    if (shipment->tracking_count == 0) {
        sl_error_set(err, "Shoplazza needs a tracking number to update a fulfillment");
        return NULL;
    }
    json_t *fulfillment = json_object();
    int rc = fulfillment ? encode_tracking(fulfillment, shipment) : -1;
    if (rc == 0 && shipment->notify_customer >= 0)
        rc = json_object_set_new(fulfillment, "send_email",
                                 json_boolean(shipment->notify_customer));
    return wrap(fulfillment, rc, err);
}

/* ---------------------------------------------------------------- decoders */

/* The "data" of a success answer: code Success or success. NULL with err set. */
static json_t *load_data(const char *body, size_t len, json_t **root, sl_error *err)
{
    json_error_t error;
    *root = json_loadb(body ? body : "", len, 0, &error);
    json_t *code = json_object_get(*root, "code");
    json_t *data = json_object_get(*root, "data");
    if (!json_is_object(*root) || !json_is_string(code) ||
        strcasecmp(json_string_value(code), "success") != 0 || !json_is_object(data)) {
        json_decref(*root);
        *root = NULL;
        sl_error_set(err, "Shoplazza: the answer is not {\"code\": \"Success\", \"data\": {...}}");
        return NULL;
    }
    return data;
}

static int append_fulfillment(sl_order *order, json_t *json, sl_error *err)
{
    char *id = sl_json_string_or_null(json_object_get(json, "id"));
    if (!id)
        return sl_error_set(err, "Shoplazza: a fulfillment has no id");
    size_t at = order->fulfillment_count;
    for (size_t i = 0; i < order->fulfillment_count; i++)
        if (strcmp(order->fulfillments[i].id, id) == 0)
            at = i;
    if (at == order->fulfillment_count) {
        sl_fulfillment *grown = realloc(order->fulfillments, (at + 2) * sizeof(*grown));
        if (!grown) {
            free(id);
            return sl_error_set(err, "out of memory");
        }
        order->fulfillments = grown;
        order->fulfillment_count++;
    } else {
        sl_fulfillment_clear(&order->fulfillments[at]);
    }
    sl_fulfillment *out = &order->fulfillments[at];
    memset(out, 0, sizeof(*out));
    out->id = id;
    out->status_text = sl_json_string_or_null(json_object_get(json, "status"));
    out->status = out->status_text && strcmp(out->status_text, "cancelled") == 0
                      ? SL_FULFILLMENT_STATUS_CANCELED : SL_FULFILLMENT_STATUS_ACTIVE;
    out->company = sl_json_string_or_null(json_object_get(json, "tracking_company"));
    out->url = sl_json_string_or_null(json_object_get(json, "tracking_url"));
    /* every fulfillment ships the order's one unit, whose key is the order id (fill_unit):
     * the read-back after an unknown outcome finds a create by unit, tracking and items */
    out->unit_write_id = order->id ? strdup(order->id)
                                   : sl_json_string_or_null(json_object_get(json, "order_id"));
    json_t *items = json_object_get(json, "tracking_items");
    out->tracking_numbers = calloc(json_array_size(items) + 2, sizeof(char *));
    char *first = sl_json_string_or_null(json_object_get(json, "tracking_number"));
    if (out->tracking_numbers && first && *first)
        out->tracking_numbers[out->tracking_count++] = first;
    else
        free(first);
    for (size_t i = 0; out->tracking_numbers && i < json_array_size(items); i++) {
        char *number = sl_json_string_or_null(json_object_get(json_array_get(items, i),
                                                      "tracking_number"));
        int seen = !number || !*number;
        for (size_t k = 0; !seen && k < out->tracking_count; k++)
            seen = strcmp(out->tracking_numbers[k], number) == 0;
        if (seen)
            free(number);
        else
            out->tracking_numbers[out->tracking_count++] = number;
    }
    json_t *lines = json_object_get(json, "line_items");
    out->items = calloc(json_array_size(lines) + 1, sizeof(sl_item));
    for (size_t i = 0; out->items && i < json_array_size(lines); i++) {
        json_t *line = json_array_get(lines, i);
        char *item_id = sl_json_string_or_null(json_object_get(line, "id"));
        if (!item_id)
            continue;
        out->items[out->item_count].id = item_id;
        out->items[out->item_count++].quantity =
            sl_quantity_clamp(sl_json_whole(json_object_get(line, "ship_quantity")));
    }
    return out->tracking_numbers && out->items ? 0 : sl_error_set(err, "out of memory");
}

void sl_shoplazza_recount(sl_order *order)
{
    for (size_t u = 0; u < order->unit_count; u++)
        for (size_t i = 0; i < order->units[u].item_count; i++) {
            sl_item *held = &order->units[u].items[i];
            held->fulfilled_quantity = 0;
            for (size_t f = 0; f < order->fulfillment_count; f++) {
                const sl_fulfillment *ful = &order->fulfillments[f];
                for (size_t k = 0; sl_fulfillment_active(ful) && k < ful->item_count; k++)
                    if (strcmp(ful->items[k].id, held->id) == 0)
                        held->fulfilled_quantity = sl_quantity_clamp(
                            (long long)held->fulfilled_quantity + ful->items[k].quantity);
            }
        }
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* The one unit (id = the order id, no write id) with ordered - refunded per line item. */
static int fill_unit(sl_order *order, json_t *lines, sl_error *err)
{
    size_t n = json_array_size(lines);
    sl_unit *unit = calloc(1, sizeof(*unit));
    order->units = unit;
    order->unit_count = unit ? 1 : 0;
    order->items = calloc(n + 1, sizeof(sl_item));
    if (!unit || !order->items || !(unit->items = calloc(n + 1, sizeof(sl_item))))
        return sl_error_set(err, "out of memory");
    unit->id = strdup(order->id);
    unit->status = order->status == SL_ORDER_STATUS_CANCELED ? SL_UNIT_STATUS_CANCELED
                                                             : SL_UNIT_STATUS_OPEN;
    unit->status_text = strdup(order->shipping_text ? order->shipping_text : "waiting");
    unit->items_known = 1;
    for (size_t i = 0; i < n; i++) {
        json_t *line = json_array_get(lines, i);
        char *id = sl_json_string_or_null(json_object_get(line, "id"));
        if (!id)
            return sl_error_set(err, "Shoplazza: line_items[%zu] has no id", i);
        json_t *ships = json_object_get(line, "requires_shipping");
        long quantity = sl_json_whole(json_object_get(line, "quantity"));
        long refunded = sl_json_whole(json_object_get(line, "refund_quantity_total"));
        sl_item *ordered = &order->items[order->item_count++];
        ordered->id = id;
        ordered->sku = sl_json_string_or_null(json_object_get(line, "sku"));
        ordered->name = sl_json_string_or_null(json_object_get(line, "product_title"));
        ordered->quantity = sl_quantity_clamp(quantity);
        if (json_is_false(ships))
            continue;       /* nothing to ship: not in the unit */
        sl_item *held = &unit->items[unit->item_count++];
        held->id = strdup(id);
        held->sku = dup_or_null(ordered->sku);
        held->name = dup_or_null(ordered->name);
        held->quantity = sl_quantity_clamp(quantity - refunded);
    }
    sl_shoplazza_recount(order);
    return 0;
}

typedef struct word_entry {
    const char *word;
    int value;
} word_entry;

static int lookup_word(const word_entry *table, size_t count, const char *word, int otherwise)
{
    for (size_t i = 0; word && i < count; i++)
        if (strcmp(table[i].word, word) == 0)
            return table[i].value;
    return word ? otherwise : 0;
}

#define LOOKUP(table, word, otherwise) \
    lookup_word(table, sizeof(table) / sizeof(table[0]), word, otherwise)

static const word_entry order_statuses[] = {
    { "opened", SL_ORDER_STATUS_OPEN },      { "placed", SL_ORDER_STATUS_OPEN },
    { "cancelled", SL_ORDER_STATUS_CANCELED }, { "finished", SL_ORDER_STATUS_CLOSED },
};

/* (ours, the simulator's rule) an order ships only when paid or partially refunded. */
static const word_entry payments[] = {
    { "paid", SL_PAYMENT_PAID }, { "partially_refunded", SL_PAYMENT_PAID },
};

static const word_entry shippings[] = {
    { "waiting", SL_ORDER_SHIPPING_NONE },  { "initialled", SL_ORDER_SHIPPING_NONE },
    { "partially_shipped", SL_ORDER_SHIPPING_PARTIAL },
    { "shipped", SL_ORDER_SHIPPING_FULL },  { "finished", SL_ORDER_SHIPPING_FULL },
};

/* The address of a shipping_address object; NULL when there is none (or out of memory: the
 * address only fills the export's columns). */
static sl_address *decode_address(json_t *json)
{
    if (!json_is_object(json))
        return NULL;
    sl_address *out = calloc(1, sizeof(*out));
    if (!out)
        return NULL;
    out->first_name = sl_json_string_or_null(json_object_get(json, "first_name"));
    out->last_name = sl_json_string_or_null(json_object_get(json, "last_name"));
    out->company = sl_json_string_or_null(json_object_get(json, "company"));
    out->address1 = sl_json_string_or_null(json_object_get(json, "address1"));
    out->address2 = sl_json_string_or_null(json_object_get(json, "address2"));
    out->city = sl_json_string_or_null(json_object_get(json, "city"));
    out->state_code = sl_json_string_or_null(json_object_get(json, "province_code"));
    out->postal_code = sl_json_string_or_null(json_object_get(json, "zip"));
    out->country_code = sl_json_string_or_null(json_object_get(json, "country_code"));
    out->phone = sl_json_string_or_null(json_object_get(json, "phone"));
    out->email = sl_json_string_or_null(json_object_get(json, "email"));
    return out;
}

static sl_order *decode_order_json(json_t *json, sl_error *err)
{
    sl_order *order = calloc(1, sizeof(*order));
    if (!order) {
        sl_error_set(err, "out of memory");
        return NULL;
    }
    int rc = 0;
    order->id = sl_json_string_or_null(json_object_get(json, "id"));
    order->number = sl_json_string_or_null(json_object_get(json, "number"));
    order->status_text = sl_json_string_or_null(json_object_get(json, "status"));
    order->status = LOOKUP(order_statuses, order->status_text, SL_ORDER_STATUS_OTHER);
    char *financial = sl_json_string_or_null(json_object_get(json, "financial_status"));
    order->payment = financial ? LOOKUP(payments, financial, SL_PAYMENT_UNPAID)
                               : SL_PAYMENT_UNKNOWN;
    free(financial);
    order->shipping_text = sl_json_string_or_null(json_object_get(json, "fulfillment_status"));
    order->shipping = LOOKUP(shippings, order->shipping_text, SL_ORDER_SHIPPING_OTHER);
    order->updated_at = sl_json_string_or_null(json_object_get(json, "updated_at"));
    order->shipping_address = decode_address(json_object_get(json, "shipping_address"));
    if (!order->id)
        rc = sl_error_set(err, "Shoplazza: the order has no id");
    /* (ours) the name is the number without its zero padding ("00001001" -> "#1001"), so a
     * row may give either form: the engine matches on the name or the number */
    const char *digits = order->number;
    while (digits && digits[0] == '0' && digits[1])
        digits++;
    if (rc == 0 && digits && asprintf(&order->name, "#%s", digits) < 0)
        rc = sl_error_set(err, "out of memory");
    json_t *fulfillments = json_object_get(json, "fulfillments");
    order->fulfillments = calloc(1, sizeof(sl_fulfillment));
    for (size_t i = 0; rc == 0 && i < json_array_size(fulfillments); i++)
        rc = append_fulfillment(order, json_array_get(fulfillments, i), err);
    order->fulfillments_known = json_is_array(fulfillments);
    if (rc == 0)
        rc = fill_unit(order, json_object_get(json, "line_items"), err);
    if (rc) {
        sl_order_free(order);
        return NULL;
    }
    return order;
}

int sl_shoplazza_decode_order(const char *body, size_t len, sl_order **order, sl_error *err)
{
    json_t *root;
    *order = NULL;
    json_t *data = load_data(body, len, &root, err);
    json_t *json = json_object_get(data, "order");
    if (data && !json_is_object(json)) {
        json_decref(root);
        return sl_error_set(err, "Shoplazza: the answer has no data.order");
    }
    if (data)
        *order = decode_order_json(json, err);
    json_decref(root);
    return *order ? 0 : -1;
}

static void cursor_next(json_t *data, sl_page_next *next)
{
    if (!next)
        return;
    memset(next, 0, sizeof(*next));
    json_t *cursor = json_object_get(data, "cursor");
    if (json_is_true(json_object_get(data, "has_more")) && json_is_string(cursor) &&
        *json_string_value(cursor)) {
        next->more = 1;
        next->page.number = 0;
        next->page.cursor = strdup(json_string_value(cursor));
        next->more = next->page.cursor != NULL;
    }
}

int sl_shoplazza_decode_orders(const char *body, size_t len, sl_order ***orders,
                               size_t *count, sl_page_next *next, sl_error *err)
{
    json_t *root;
    *orders = NULL;
    *count = 0;
    if (next)
        memset(next, 0, sizeof(*next));
    json_t *data = load_data(body, len, &root, err);
    if (!data)
        return -1;
    json_t *list = json_object_get(data, "orders");
    if (!json_is_array(list)) {
        json_decref(root);
        return sl_error_set(err, "Shoplazza: the answer has no data.orders array");
    }
    *orders = calloc(json_array_size(list) + 1, sizeof(sl_order *));
    int rc = *orders ? 0 : sl_error_set(err, "out of memory");
    for (size_t i = 0; rc == 0 && i < json_array_size(list); i++) {
        sl_order *order = decode_order_json(json_array_get(list, i), err);
        if (!order)
            rc = -1;
        else
            (*orders)[(*count)++] = order;
    }
    if (rc == 0)
        cursor_next(data, next);
    json_decref(root);
    if (rc) {
        sl_orders_free(*orders, *count);
        *orders = NULL;
        *count = 0;
    }
    return rc;
}

int sl_shoplazza_decode_fulfillments_into(const char *body, size_t len, sl_order *order,
                                          sl_page_next *next, sl_error *err)
{
    json_t *root;
    if (next)
        memset(next, 0, sizeof(*next));
    if (order->packed)
        return sl_error_set(err, "Shoplazza: cannot read fulfillments into a packed order");
    json_t *data = load_data(body, len, &root, err);
    if (!data)
        return -1;
    json_t *list = json_object_get(data, "fulfillments");
    int rc = json_is_array(list) ? 0 : sl_error_set(err, "Shoplazza: the answer has no "
                                                         "data.fulfillments array");
    for (size_t i = 0; rc == 0 && i < json_array_size(list); i++)
        rc = append_fulfillment(order, json_array_get(list, i), err);
    if (rc == 0) {
        cursor_next(data, next);
        if (!next || !next->more)
            order->fulfillments_known = 1;
        sl_shoplazza_recount(order);
    }
    json_decref(root);
    return rc;
}

int sl_shoplazza_decode_write(const char *body, size_t len, sl_write_result *result,
                              sl_error *err)
{
    json_t *root;
    memset(result, 0, sizeof(*result));
    json_t *data = load_data(body, len, &root, err);
    if (!data)
        return -1;
    result->success = 1;
    json_t *fulfillment = json_object_get(data, "fulfillment");
    result->fulfillment_id = sl_json_string_or_null(json_object_get(fulfillment, "id"));
    json_decref(root);
    return 0;
}

/* GET /orders/count: {"code","data":{"count":N}}. */
int sl_shoplazza_decode_count(const char *body, size_t len, size_t *count, sl_error *err)
{
    json_t *root;
    json_t *data = load_data(body, len, &root, err);
    if (!data)
        return -1;
    json_t *value = json_object_get(data, "count");
    int ok = json_is_integer(value) && json_integer_value(value) >= 0;
    if (ok)
        *count = (size_t)json_integer_value(value);
    json_decref(root);
    return ok ? 0 : sl_error_set(err, "Shoplazza: /orders/count has no count");
}

/* The probe asks /orders/count: a wrapped answer with a numeric count. */
int sl_shoplazza_decode_probe(const char *body, size_t len, sl_error *err)
{
    json_t *root;
    json_t *data = load_data(body, len, &root, err);
    if (!data)
        return -1;
    int ok = json_is_integer(json_object_get(data, "count"));
    json_decref(root);
    return ok ? 0 : sl_error_set(err, "Shoplazza: /orders/count has no count");
}

int sl_shoplazza_decode_carriers(const char *body, size_t len, sl_store_carrier **carriers,
                                 size_t *count, sl_error *err)
{
    json_t *root;
    *carriers = NULL;
    *count = 0;
    json_t *data = load_data(body, len, &root, err);
    if (!data)
        return -1;
    json_t *list = json_object_get(data, "tracking_carriers");
    if (!json_is_array(list)) {
        json_decref(root);
        return sl_error_set(err, "Shoplazza: /tracking/carriers has no tracking_carriers");
    }
    sl_store_carrier *out = calloc(json_array_size(list) + 1, sizeof(*out));
    size_t n = 0, i;
    json_t *entry;
    json_array_foreach(list, i, entry) {
        if (!out)
            break;
        const char *code = json_string_value(json_object_get(entry, "code"));
        if (!code || !*code)
            continue;
        out[n].code = strdup(code);
        out[n].name = sl_json_string_or_null(json_object_get(entry, "en_name"));
        if (!out[n++].code)
            break;
    }
    json_decref(root);
    if (!out || (n > 0 && !out[n - 1].code)) {
        sl_store_carriers_free(out, n);
        return sl_error_set(err, "out of memory");
    }
    *carriers = out;
    *count = n;
    return 0;
}
