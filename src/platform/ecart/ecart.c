/* ecart.c: the Ecart adapter, the one module that knows the Ecart API's JSON
 * (docs/architecture.md, "Ecart"): request paths, request bodies, and the decoding of
 * response bodies into model.h's structs, status words into its enums. Every assumption that is not in Ecart's public
 * documents is marked "(ours)" here, so a real integration adjusts this file only.
 * It does no I/O (sl_http sends the requests) and takes no decision about rows.
 *
 * Decoding is lenient where the contract is: quantities as numbers or numeric strings, ids as
 * strings or integers, statuses as {"ecartapi": "..."} or a plain string, unknown fields ignored,
 * missing optional fields NULL/0. A body of the wrong shape is an error value naming the field. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "shipload/url.h"
#include "platform/ecart/ecart.h"

#define API_PREFIX "/api/v2"

/* ---------------------------------------------------------------- paths */

/* A growable string for building paths. */
typedef struct path_builder {
    char *text;
    size_t length, capacity;
    int failed;
} path_builder;

static void path_append(path_builder *path, const char *text)
{
    size_t add = strlen(text);
    if (path->failed)
        return;
    if (path->length + add + 1 > path->capacity) {
        size_t capacity = path->capacity ? path->capacity : 64;
        while (capacity < path->length + add + 1)
            capacity *= 2;
        char *grown = realloc(path->text, capacity);
        if (!grown) {
            path->failed = 1;
            return;
        }
        path->text = grown;
        path->capacity = capacity;
    }
    memcpy(path->text + path->length, text, add + 1);
    path->length += add;
}

static void path_append_escaped(path_builder *path, const char *value)
{
    char *escaped = sl_url_escape(value);
    if (!escaped) {
        path->failed = 1;
        return;
    }
    path_append(path, escaped);
    free(escaped);
}

static void path_append_number(path_builder *path, long number)
{
    char digits[32];
    snprintf(digits, sizeof(digits), "%ld", number);
    path_append(path, digits);
}

static char *path_finish(path_builder *path)
{
    if (path->failed) {
        free(path->text);
        return NULL;
    }
    return path->text;
}

/* "/api/v2/orders/{order_id}" plus an optional tail. */
static char *order_path(const char *order_id, const char *tail)
{
    if (!order_id || !*order_id)
        return NULL;
    path_builder path = { 0 };
    path_append(&path, API_PREFIX "/orders/");
    path_append_escaped(&path, order_id);
    if (tail)
        path_append(&path, tail);
    return path_finish(&path);
}

static char *fulfillment_path(const char *order_id, const char *fulfillment_id, const char *tail)
{
    if (!order_id || !*order_id || !fulfillment_id || !*fulfillment_id)
        return NULL;
    path_builder path = { 0 };
    path_append(&path, API_PREFIX "/orders/");
    path_append_escaped(&path, order_id);
    path_append(&path, "/fulfillments/");
    path_append_escaped(&path, fulfillment_id);
    if (tail)
        path_append(&path, tail);
    return path_finish(&path);
}

/* (ours) the `ids` filter: a comma list of at most 50 ids, commas literal. */
char *sl_ecart_path_orders_by_ids(const char *const *ids, size_t count)
{
    if (!ids || count == 0 || count > SL_ECART_MAX_IDS)
        return NULL;
    path_builder path = { 0 };
    path_append(&path, API_PREFIX "/orders?ids=");
    for (size_t i = 0; i < count; i++) {
        if (!ids[i] || !*ids[i]) {
            free(path.text);
            return NULL;
        }
        if (i > 0)
            path_append(&path, ",");
        path_append_escaped(&path, ids[i]);
    }
    path_append(&path, "&limit=");
    path_append_number(&path, SL_ECART_MAX_IDS);
    return path_finish(&path);
}

/* `name` is the exact order name, with or without '#' (sent as given, '#' escaped). */
char *sl_ecart_path_orders_by_name(const char *name, int page)
{
    if (!name || !*name)
        return NULL;
    path_builder path = { 0 };
    path_append(&path, API_PREFIX "/orders?name=");
    path_append_escaped(&path, name);
    path_append(&path, "&limit=");
    path_append_number(&path, SL_ECART_MAX_IDS);
    if (page > 1) {
        path_append(&path, "&page=");
        path_append_number(&path, page);
    }
    return path_finish(&path);
}

char *sl_ecart_path_order(const char *order_id)
{
    return order_path(order_id, NULL);
}

char *sl_ecart_path_order_packages(const char *order_id)
{
    return order_path(order_id, "/packages");
}

char *sl_ecart_path_order_fulfillments(const char *order_id, int page)
{
    char tail[64];
    if (page > 1)
        snprintf(tail, sizeof(tail), "/fulfillments?limit=%d&page=%d", SL_ECART_MAX_IDS, page);
    else
        snprintf(tail, sizeof(tail), "/fulfillments?limit=%d", SL_ECART_MAX_IDS);
    return order_path(order_id, tail);
}

char *sl_ecart_path_order_fulfillments_create(const char *order_id)
{
    return order_path(order_id, "/fulfillments");
}

char *sl_ecart_path_packages(const char *status, int page, int limit)
{
    if (limit <= 0 || limit > SL_ECART_MAX_IDS)
        limit = SL_ECART_MAX_IDS;
    path_builder path = { 0 };
    path_append(&path, API_PREFIX "/packages?limit=");
    path_append_number(&path, limit);
    if (status && *status) {
        path_append(&path, "&status=");
        path_append_escaped(&path, status);
    }
    if (page > 1) {
        path_append(&path, "&page=");
        path_append_number(&path, page);
    }
    return path_finish(&path);
}

/* (ours) the bulk endpoint is named by the seed; its body and answer are ours (see below). */
char *sl_ecart_path_bulk_fulfillments(const char *order_id)
{
    return order_path(order_id, "/packages/fulfillments");
}

char *sl_ecart_path_fulfillment(const char *order_id, const char *fulfillment_id)
{
    return fulfillment_path(order_id, fulfillment_id, NULL);
}

char *sl_ecart_path_fulfillment_cancel(const char *order_id, const char *fulfillment_id)
{
    return fulfillment_path(order_id, fulfillment_id, "/cancel");
}

/* ---------------------------------------------------------------- the preflight probe */

char *sl_ecart_path_probe(void)
{
    return strdup(API_PREFIX "/orders?limit=1");
}

int sl_ecart_probe_check(const char *body, size_t len, sl_error *err)
{
    sl_order **orders = NULL;
    size_t count = 0;
    if (sl_ecart_decode_orders(body, len, &orders, &count, NULL, err) != 0)
        return -1;
    sl_orders_free(orders, count);
    return 0;
}

/* ---------------------------------------------------------------- request bodies */

/* Sets key to a new JSON string when value is given; 0 on success. */
static int set_optional_string(json_t *object, const char *key, const char *value)
{
    if (!value)
        return 0;
    json_t *string = json_string(value);     /* NULL on invalid UTF-8 */
    return string ? json_object_set_new(object, key, string) : -1;
}

static json_t *encode_tracking(const sl_shipment *request)
{
    json_t *tracking = json_object();
    if (!tracking)
        return NULL;
    int failed = 0;
    if (request->tracking_count > 0 && request->tracking_numbers)
        failed |= set_optional_string(tracking, "number", request->tracking_numbers[0]);
    /* `numbers` only when there are several: the seed's minimal form is `number` alone. */
    if (request->tracking_count > 1 && request->tracking_numbers) {
        json_t *numbers = json_array();
        failed |= !numbers || json_object_set_new(tracking, "numbers", numbers);
        for (size_t i = 0; !failed && i < request->tracking_count; i++) {
            json_t *number = request->tracking_numbers[i] ? json_string(request->tracking_numbers[i])
                                                          : NULL;
            failed |= !number || json_array_append_new(numbers, number);
        }
    }
    failed |= set_optional_string(tracking, "company", request->company);
    failed |= set_optional_string(tracking, "url", request->url);
    if (failed) {
        json_decref(tracking);
        return NULL;
    }
    return tracking;
}

static json_t *encode_items(const sl_item *items, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; array && i < count; i++) {
        json_t *item = items[i].id ? json_pack("{s:s, s:I}", "id", items[i].id, "quantity",
                                               (json_int_t)items[i].quantity)
                                   : NULL;
        if (!item || json_array_append_new(array, item)) {
            json_decref(array);
            return NULL;
        }
    }
    return array;
}

/* The inner object of seed 000's create body. */
static json_t *encode_fulfillment(const sl_shipment *request)
{
    json_t *fulfillment = json_object();
    if (!fulfillment)
        return NULL;
    int failed = set_optional_string(fulfillment, "fulfillmentOrderId",
                                     request->unit_write_id);
    json_t *tracking = encode_tracking(request);
    failed |= !tracking || json_object_set_new(fulfillment, "tracking", tracking);
    if (!failed && request->item_count > 0) {   /* omitted: the whole remaining package */
        json_t *items = encode_items(request->items, request->item_count);
        failed |= !items || json_object_set_new(fulfillment, "items", items);
    }
    if (!failed && request->notify_customer >= 0)
        failed |= json_object_set_new(fulfillment, "notifyCustomer",
                                      json_boolean(request->notify_customer));
    failed |= set_optional_string(fulfillment, "locationId", request->location_id);
    failed |= set_optional_string(fulfillment, "shippingMethod", request->shipping_method);
    failed |= set_optional_string(fulfillment, "shippingDate", request->shipping_date);
    if (failed) {
        json_decref(fulfillment);
        return NULL;
    }
    return fulfillment;
}

static char *dump_and_free(json_t *json)
{
    if (!json)
        return NULL;
    char *text = json_dumps(json, JSON_COMPACT);
    json_decref(json);
    return text;
}

/* (ours) bulk request: {"fulfillments": [<create body's inner object>, ...]}, 1 to 50 entries. */
char *sl_ecart_encode_bulk(const sl_shipment *requests, size_t count)
{
    if (!requests || count == 0 || count > SL_ECART_MAX_BULK)
        return NULL;
    json_t *entries = json_array();
    for (size_t i = 0; entries && i < count; i++) {
        json_t *entry = encode_fulfillment(&requests[i]);
        if (!entry || json_array_append_new(entries, entry)) {
            json_decref(entries);
            return NULL;
        }
    }
    return entries ? dump_and_free(json_pack("{s:o}", "fulfillments", entries)) : NULL;
}

char *sl_ecart_encode_single(const sl_shipment *request)
{
    if (!request)
        return NULL;
    json_t *fulfillment = encode_fulfillment(request);
    return fulfillment ? dump_and_free(json_pack("{s:o}", "fulfillment", fulfillment)) : NULL;
}

/* ---------------------------------------------------------------- status words */

/* Ecart's status words (contract, "Objects") as model.h's enums. A word not listed gets the
 * table user's default; a missing status stays UNKNOWN (enum value 0). */
typedef struct status_word {
    const char *word;
    int value;
} status_word;

#define WORDS(table) { table, sizeof(table) / sizeof(table[0]) }
typedef struct status_words {
    const status_word *words;
    size_t count;
} status_words;

static const status_word order_status_words[] = {
    { "pending", SL_ORDER_STATUS_OPEN }, { "paid", SL_ORDER_STATUS_OPEN },
    { "canceled", SL_ORDER_STATUS_CANCELED },
};
static const status_word payment_status_words[] = {
    { "pending", SL_PAYMENT_UNPAID }, { "paid", SL_PAYMENT_PAID },
};
static const status_word shipping_status_words[] = {
    { "unfulfilled", SL_ORDER_SHIPPING_NONE }, { "partial", SL_ORDER_SHIPPING_PARTIAL },
    { "fulfilled", SL_ORDER_SHIPPING_FULL },
};
static const status_word unit_status_words[] = {
    { "pending", SL_UNIT_STATUS_OPEN }, { "shipped", SL_UNIT_STATUS_SHIPPED },
    { "delivered", SL_UNIT_STATUS_DELIVERED }, { "canceled", SL_UNIT_STATUS_CANCELED },
    { "refunded", SL_UNIT_STATUS_REFUNDED }, { "other", SL_UNIT_STATUS_OTHER },
};
static const status_word fulfillment_status_words[] = {
    { "canceled", SL_FULFILLMENT_STATUS_CANCELED },
};
static const status_words order_statuses = WORDS(order_status_words);
static const status_words payment_statuses = WORDS(payment_status_words);
static const status_words shipping_statuses = WORDS(shipping_status_words);
static const status_words unit_statuses = WORDS(unit_status_words);
static const status_words fulfillment_statuses = WORDS(fulfillment_status_words);

static int word_value(status_words table, const char *word, int otherwise)
{
    if (!word)
        return 0;
    for (size_t i = 0; i < table.count; i++)
        if (strcmp(table.words[i].word, word) == 0)
            return table.words[i].value;
    return otherwise;
}

const char *sl_ecart_shipping_word(sl_order_shipping shipping)
{
    for (size_t i = 0; i < shipping_statuses.count; i++)
        if (shipping_statuses.words[i].value == (int)shipping)
            return shipping_statuses.words[i].word;
    return NULL;
}

/* ---------------------------------------------------------------- decoding helpers */

/* Where in the body a value is, for error messages: "orders[3].items[1]". */
typedef struct location {
    char text[160];
} location;

static location locate(const location *parent, const char *field, long index)
{
    location here;
    int written;
    if (index >= 0)
        written = snprintf(here.text, sizeof(here.text), "%s%s%s[%ld]",
                           parent ? parent->text : "", parent && field ? "." : "",
                           field ? field : "", index);
    else
        written = snprintf(here.text, sizeof(here.text), "%s%s%s", parent ? parent->text : "",
                           parent ? "." : "", field ? field : "");
    if (written < 0)
        here.text[0] = '\0';   /* a long location is cut short; that is all */
    return here;
}

static int out_of_memory(sl_error *err)
{
    return sl_error_set(err, "out of memory decoding an API response");
}

/* Parses a response body that must be a JSON object. `what` names the answer for messages. */
static json_t *parse_body(const char *body, size_t len, const char *what, sl_error *err)
{
    if (!body || len == 0) {
        sl_error_set(err, "%s: empty response body", what);
        return NULL;
    }
    json_error_t json_error;
    json_t *root = json_loadb(body, len, 0, &json_error);
    if (!root) {
        sl_error_set(err, "%s: malformed JSON (line %d, column %d): %s", what, json_error.line,
                     json_error.column, json_error.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        sl_error_set(err, "%s: the body is not a JSON object", what);
        json_decref(root);
        return NULL;
    }
    /* Every body carries "success"; an explicit false is a refusal, whatever the status. */
    if (json_is_false(json_object_get(root, "success"))) {
        char *code = NULL, *message = NULL;
        json_t *error = json_object_get(root, "error");
        if (json_is_object(error)) {
            json_t *code_json = json_object_get(error, "code");
            json_t *message_json = json_object_get(error, "message");
            code = json_is_string(code_json) ? (char *)json_string_value(code_json) : NULL;
            message = json_is_string(message_json) ? (char *)json_string_value(message_json)
                                                   : NULL;
        }
        sl_error_set(err, "%s: the API answered success=false (%s: %s)", what,
                     code ? code : "no code", message ? message : "no message");
        json_decref(root);
        return NULL;
    }
    return root;
}

/* A string field: missing or null gives NULL (an error when required); integers are accepted
 * as ids are (their decimal form). */
static int take_string(json_t *object, const char *key, char **out, int required,
                       const location *where, sl_error *err)
{
    json_t *value = json_object_get(object, key);
    char digits[32];
    const char *text = NULL;
    *out = NULL;
    if (!value || json_is_null(value)) {
        if (required)
            return sl_error_set(err, "%s.%s: missing", where->text, key);
        return 0;
    }
    if (json_is_string(value)) {
        text = json_string_value(value);
    } else if (json_is_integer(value)) {
        snprintf(digits, sizeof(digits), "%" JSON_INTEGER_FORMAT, json_integer_value(value));
        text = digits;
    } else {
        return sl_error_set(err, "%s.%s: expected a string", where->text, key);
    }
    if (required && !*text)
        return sl_error_set(err, "%s.%s: empty", where->text, key);
    *out = strdup(text);
    return *out ? 0 : out_of_memory(err);
}

/* A quantity: a non-negative integer, as a JSON number or a numeric string ("1").
 * Missing or null gives 0. */
static int take_quantity(json_t *object, const char *key, long *out, const location *where,
                         sl_error *err)
{
    json_t *value = json_object_get(object, key);
    *out = 0;
    if (!value || json_is_null(value))
        return 0;
    if (json_is_integer(value)) {
        json_int_t number = json_integer_value(value);
        if (number < 0 || number > SL_QUANTITY_MAX)
            return sl_error_set(err, "%s.%s: out of range (%" JSON_INTEGER_FORMAT ")",
                                where->text, key, number);
        *out = (long)number;
        return 0;
    }
    if (json_is_real(value)) {
        double number = json_real_value(value);
        if (number < 0 || number > (double)SL_QUANTITY_MAX || number != (double)(long)number)
            return sl_error_set(err, "%s.%s: not a whole quantity (%g)", where->text, key, number);
        *out = (long)number;
        return 0;
    }
    if (json_is_string(value)) {
        const char *text = json_string_value(value);
        char *end = NULL;
        errno = 0;
        long number = strtol(text, &end, 10);
        if (!*text || *text == ' ' || *text == '+' || *text == '-' || *end || errno ||
            number > SL_QUANTITY_MAX)
            return sl_error_set(err, "%s.%s: not a quantity (\"%.40s\")", where->text, key, text);
        *out = number;
        return 0;
    }
    return sl_error_set(err, "%s.%s: expected a number or a numeric string", where->text, key);
}

/* An item's quantity: take_quantity's range (at most SL_QUANTITY_MAX) fits 32 bits. */
static int take_item_quantity(json_t *object, const char *key, int32_t *out,
                              const location *where, sl_error *err)
{
    long quantity = 0;
    int rc = take_quantity(object, key, &quantity, where, err);
    *out = (int32_t)quantity;
    return rc;
}

/* A string that may come wrapped in an object under inner_key, or plain: a status
 * {"ecartapi": "pending"} as in Ecart's answers, an address's {"code": "MX"}. */
static int take_wrapped(json_t *object, const char *key, const char *inner_key, char **out,
                        const location *where, sl_error *err)
{
    json_t *value = json_object_get(object, key);
    *out = NULL;
    if (!value || json_is_null(value))
        return 0;
    if (json_is_object(value)) {
        location inner = locate(where, key, -1);
        return take_string(value, inner_key, out, 0, &inner, err);
    }
    if (json_is_string(value))
        return take_string(object, key, out, 0, where, err);
    return sl_error_set(err, "%s.%s: expected an object or a string", where->text, key);
}

static int take_status(json_t *object, const char *key, char **out, const location *where,
                       sl_error *err)
{
    return take_wrapped(object, key, "ecartapi", out, where, err);
}

static int take_code(json_t *object, const char *key, char **out, const location *where,
                     sl_error *err)
{
    return take_wrapped(object, key, "code", out, where, err);
}

/* An array field: missing or null gives NULL (an error when required). */
static int take_array(json_t *object, const char *key, json_t **out, int required,
                      const location *where, sl_error *err)
{
    json_t *value = json_object_get(object, key);
    *out = NULL;
    if (!value || json_is_null(value)) {
        if (required)
            return sl_error_set(err, "%s.%s: missing", where->text, key);
        return 0;
    }
    if (!json_is_array(value))
        return sl_error_set(err, "%s.%s: expected an array", where->text, key);
    *out = value;
    return 0;
}

/* (ours) paging: {"page": {"current": 1, "next": 2 | null}}; absent means no next page. */
static int take_next_page(json_t *root, int *next_page, const location *where, sl_error *err)
{
    json_t *page = json_object_get(root, "page");
    long next = 0;
    if (next_page)
        *next_page = 0;
    if (!page || json_is_null(page))
        return 0;
    if (!json_is_object(page))
        return sl_error_set(err, "%s.page: expected an object", where->text);
    location here = locate(where, "page", -1);
    if (take_quantity(page, "next", &next, &here, err))
        return -1;
    if (next > 100000000)
        return sl_error_set(err, "%s.page.next: out of range", where->text);
    if (next_page)
        *next_page = (int)next;
    return 0;
}

/* ---------------------------------------------------------------- decoding objects */

/* An item: order line item, package item ((ours) fulfilledQuantity) or fulfillment item. */
static int decode_item(json_t *json, sl_item *item, int id_required, const location *where,
                       sl_error *err)
{
    memset(item, 0, sizeof(*item));
    if (!json_is_object(json))
        return sl_error_set(err, "%s: expected an object", where->text);
    if (take_string(json, "id", &item->id, id_required, where, err) ||
        take_string(json, "sku", &item->sku, 0, where, err) ||
        take_string(json, "name", &item->name, 0, where, err) ||
        take_item_quantity(json, "quantity", &item->quantity, where, err) ||
        take_item_quantity(json, "fulfilledQuantity", &item->fulfilled_quantity, where, err)) {
        sl_item_clear(item);
        return -1;
    }
    return 0;
}

static int decode_items(json_t *array, sl_item **items, size_t *count, int id_required,
                        const location *where, sl_error *err)
{
    size_t total = json_array_size(array);
    *items = NULL;
    *count = 0;
    if (total == 0)
        return 0;
    sl_item *decoded = calloc(total, sizeof(*decoded));
    if (!decoded)
        return out_of_memory(err);
    for (size_t i = 0; i < total; i++) {
        location here = locate(where, NULL, (long)i);
        if (decode_item(json_array_get(array, i), &decoded[i], id_required, &here, err)) {
            sl_items_free(decoded, i);
            return -1;
        }
    }
    *items = decoded;
    *count = total;
    return 0;
}

/* A package, standalone or as an order's summary. A summary without "items" leaves
 * items_known = 0: the caller reads GET /orders/{id}/packages. */
static int decode_package(json_t *json, sl_unit *package, char **order_id,
                          const location *where, sl_error *err)
{
    json_t *items = NULL;
    memset(package, 0, sizeof(*package));
    if (order_id)
        *order_id = NULL;
    if (!json_is_object(json))
        return sl_error_set(err, "%s: expected an object", where->text);
    if (take_string(json, "id", &package->id, 1, where, err) ||
        take_string(json, "fulfillmentOrderId", &package->write_id, 0, where, err) ||
        take_string(json, "number", &package->number, 0, where, err) ||
        take_string(json, "locationId", &package->location_id, 0, where, err) ||
        take_status(json, "status", &package->status_text, where, err) ||
        take_array(json, "items", &items, 0, where, err))
        goto fail;
    if (items) {
        location here = locate(where, "items", -1);
        size_t item_count = 0;
        if (decode_items(items, &package->items, &item_count, 1, &here, err))
            goto fail;
        package->item_count = (uint32_t)item_count;   /* an answer's array: far below 2^32 */
        package->items_known = 1;
    }
    if (order_id && take_string(json, "orderId", order_id, 0, where, err))
        goto fail;
    package->status = (sl_unit_status)word_value(unit_statuses, package->status_text,
                                                 SL_UNIT_STATUS_OTHER);
    return 0;
fail:
    sl_unit_clear(package);
    return -1;
}

static int decode_packages_array(json_t *array, sl_unit **packages, size_t *count,
                                 char ***order_ids, const location *where, sl_error *err)
{
    size_t total = json_array_size(array);
    *packages = NULL;
    *count = 0;
    if (order_ids)
        *order_ids = NULL;
    if (total == 0)
        return 0;
    sl_unit *decoded = calloc(total, sizeof(*decoded));
    char **ids = order_ids ? calloc(total, sizeof(*ids)) : NULL;
    if (!decoded || (order_ids && !ids)) {
        free(decoded);
        free(ids);
        return out_of_memory(err);
    }
    for (size_t i = 0; i < total; i++) {
        location here = locate(where, NULL, (long)i);
        if (decode_package(json_array_get(array, i), &decoded[i], ids ? &ids[i] : NULL, &here,
                           err)) {
            sl_units_free(decoded, i);
            for (size_t j = 0; ids && j < i; j++)
                free(ids[j]);
            free(ids);
            return -1;
        }
    }
    *packages = decoded;
    *count = total;
    if (order_ids)
        *order_ids = ids;
    return 0;
}

/* Tracking: `numbers` when it is a non-empty list, else the single `number`; `url`, else
 * the first of `urls`. */
static int decode_tracking(json_t *json, sl_fulfillment *fulfillment, const location *where,
                           sl_error *err)
{
    json_t *numbers = NULL, *urls = NULL;
    if (!json || json_is_null(json))
        return 0;
    if (!json_is_object(json))
        return sl_error_set(err, "%s: expected an object", where->text);
    if (take_array(json, "numbers", &numbers, 0, where, err) ||
        take_array(json, "urls", &urls, 0, where, err) ||
        take_string(json, "company", &fulfillment->company, 0, where, err) ||
        take_string(json, "url", &fulfillment->url, 0, where, err))
        return -1;
    size_t total = json_array_size(numbers);
    if (total > 0) {
        fulfillment->tracking_numbers = calloc(total, sizeof(char *));
        if (!fulfillment->tracking_numbers)
            return out_of_memory(err);
        for (size_t i = 0; i < total; i++) {
            json_t *number = json_array_get(numbers, i);
            if (!json_is_string(number))
                return sl_error_set(err, "%s.numbers[%zu]: expected a string", where->text, i);
            fulfillment->tracking_numbers[i] = strdup(json_string_value(number));
            if (!fulfillment->tracking_numbers[i])
                return out_of_memory(err);
            fulfillment->tracking_count = i + 1;
        }
    } else {
        char *number = NULL;
        if (take_string(json, "number", &number, 0, where, err))
            return -1;
        if (number) {
            fulfillment->tracking_numbers = malloc(sizeof(char *));
            if (!fulfillment->tracking_numbers) {
                free(number);
                return out_of_memory(err);
            }
            fulfillment->tracking_numbers[0] = number;
            fulfillment->tracking_count = 1;
        }
    }
    if (!fulfillment->url && json_array_size(urls) > 0) {
        json_t *url = json_array_get(urls, 0);
        if (!json_is_string(url))
            return sl_error_set(err, "%s.urls[0]: expected a string", where->text);
        fulfillment->url = strdup(json_string_value(url));
        if (!fulfillment->url)
            return out_of_memory(err);
    }
    return 0;
}

static int decode_fulfillment(json_t *json, sl_fulfillment *fulfillment, const location *where,
                              sl_error *err)
{
    json_t *items = NULL;
    memset(fulfillment, 0, sizeof(*fulfillment));
    if (!json_is_object(json))
        return sl_error_set(err, "%s: expected an object", where->text);
    location tracking = locate(where, "tracking", -1);
    location items_where = locate(where, "items", -1);
    if (take_string(json, "id", &fulfillment->id, 1, where, err) ||
        take_string(json, "fulfillmentOrderId", &fulfillment->unit_write_id, 0, where,
                    err) ||
        take_status(json, "status", &fulfillment->status_text, where, err) ||
        decode_tracking(json_object_get(json, "tracking"), fulfillment, &tracking, err) ||
        take_array(json, "items", &items, 0, where, err) ||
        (items && decode_items(items, &fulfillment->items, &fulfillment->item_count, 0,
                               &items_where, err))) {
        sl_fulfillment_clear(fulfillment);
        return -1;
    }
    fulfillment->status = (sl_fulfillment_status)word_value(
        fulfillment_statuses, fulfillment->status_text, SL_FULFILLMENT_STATUS_ACTIVE);
    return 0;
}

static int decode_fulfillments_array(json_t *array, sl_fulfillment **fulfillments,
                                     size_t *count, const location *where, sl_error *err)
{
    size_t total = json_array_size(array);
    *fulfillments = NULL;
    *count = 0;
    if (total == 0)
        return 0;
    sl_fulfillment *decoded = calloc(total, sizeof(*decoded));
    if (!decoded)
        return out_of_memory(err);
    for (size_t i = 0; i < total; i++) {
        location here = locate(where, NULL, (long)i);
        if (decode_fulfillment(json_array_get(array, i), &decoded[i], &here, err)) {
            sl_fulfillments_free(decoded, i);
            return -1;
        }
    }
    *fulfillments = decoded;
    *count = total;
    return 0;
}

/* *out: the address, allocated when the order has one (an object); left NULL otherwise. */
static int decode_address(json_t *json, sl_address **out, const location *where,
                          sl_error *err)
{
    static const struct {
        const char *key;
        size_t offset;
    } fields[] = {
        { "firstName", offsetof(sl_address, first_name) },
        { "lastName", offsetof(sl_address, last_name) },
        { "company", offsetof(sl_address, company) },
        { "address1", offsetof(sl_address, address1) },
        { "address2", offsetof(sl_address, address2) },
        { "city", offsetof(sl_address, city) },
        { "postalCode", offsetof(sl_address, postal_code) },
        { "phone", offsetof(sl_address, phone) },
        { "email", offsetof(sl_address, email) },
    };
    if (!json || json_is_null(json))
        return 0;
    if (!json_is_object(json))
        return sl_error_set(err, "%s: expected an object", where->text);
    sl_address_free(*out);      /* an order read into again */
    sl_address *address = *out = calloc(1, sizeof(*address));
    if (!address)
        return sl_error_set(err, "%s: out of memory", where->text);
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        char **field = (char **)((char *)address + fields[i].offset);
        if (take_string(json, fields[i].key, field, 0, where, err))
            return -1;
    }
    if (take_code(json, "state", &address->state_code, where, err) ||
        take_code(json, "country", &address->country_code, where, err))
        return -1;
    return 0;
}

/* The order's last update: `dates.updatedAt` as on packages, or a top-level `updatedAt`. */
static int decode_updated_at(json_t *json, char **updated_at, const location *where,
                             sl_error *err)
{
    json_t *dates = json_object_get(json, "dates");
    if (json_is_object(dates)) {
        location here = locate(where, "dates", -1);
        if (take_string(dates, "updatedAt", updated_at, 0, &here, err))
            return -1;
    }
    if (!*updated_at && take_string(json, "updatedAt", updated_at, 0, where, err))
        return -1;
    return 0;
}

static int decode_order_object(json_t *json, sl_order *order, const location *where,
                               sl_error *err)
{
    json_t *items = NULL, *packages = NULL, *fulfillments = NULL;
    if (!json_is_object(json))
        return sl_error_set(err, "%s: expected an object", where->text);
    location address = locate(where, "shippingAddress", -1);
    location items_where = locate(where, "items", -1);
    location packages_where = locate(where, "packages", -1);
    location fulfillments_where = locate(where, "fulfillments", -1);
    if (take_string(json, "id", &order->id, 1, where, err) ||
        take_string(json, "number", &order->number, 0, where, err) ||
        take_string(json, "name", &order->name, 0, where, err) ||
        take_status(json, "status", &order->status_text, where, err) ||
        take_status(json, "fulfillmentStatus", &order->shipping_text, where, err) ||
        decode_updated_at(json, &order->updated_at, where, err) ||
        take_string(json, "shippingMethod", &order->shipping_method, 0, where, err) ||
        decode_address(json_object_get(json, "shippingAddress"), &order->shipping_address,
                       &address, err) ||
        take_array(json, "items", &items, 0, where, err) ||
        take_array(json, "packages", &packages, 0, where, err) ||
        take_array(json, "fulfillments", &fulfillments, 0, where, err))
        return -1;
    order->status = (sl_order_status)word_value(order_statuses, order->status_text,
                                                SL_ORDER_STATUS_OTHER);
    order->payment = (sl_payment_status)word_value(payment_statuses, order->status_text,
                                                   SL_PAYMENT_UNKNOWN);
    order->shipping = (sl_order_shipping)word_value(shipping_statuses, order->shipping_text,
                                                    SL_ORDER_SHIPPING_OTHER);
    size_t count = 0;       /* an answer's array: far below 2^32 */
    if (items && decode_items(items, &order->items, &count, 0, &items_where, err))
        return -1;
    order->item_count = (uint32_t)count;
    count = 0;
    if (packages && decode_packages_array(packages, &order->units, &count, NULL,
                                          &packages_where, err))
        return -1;
    order->unit_count = (uint32_t)count;
    /* (ours) an order may carry its fulfillments inline; then they need no separate read. */
    if (fulfillments) {
        if (decode_fulfillments_array(fulfillments, &order->fulfillments, &count,
                                      &fulfillments_where, err))
            return -1;
        order->fulfillment_count = (uint32_t)count;
        order->fulfillments_known = 1;
    }
    return 0;
}

static sl_order *decode_order(json_t *json, const location *where, sl_error *err)
{
    sl_order *order = calloc(1, sizeof(*order));
    if (!order) {
        out_of_memory(err);
        return NULL;
    }
    if (decode_order_object(json, order, where, err)) {
        sl_order_free(order);
        return NULL;
    }
    return order;
}

/* ---------------------------------------------------------------- responses */

/* GET /orders: {"success":true,"orders":[...],"page":{"current":1,"next":2|null}} */
int sl_ecart_decode_orders(const char *body, size_t len, sl_order ***orders, size_t *count,
                           int *next_page, sl_error *err)
{
    const location root_where = { "orders response" };
    json_t *array = NULL;
    *orders = NULL;
    *count = 0;
    if (next_page)
        *next_page = 0;
    json_t *root = parse_body(body, len, root_where.text, err);
    if (!root)
        return -1;
    int page = 0;
    if (take_array(root, "orders", &array, 1, &root_where, err) ||
        take_next_page(root, &page, &root_where, err)) {
        json_decref(root);
        return -1;
    }
    size_t total = json_array_size(array);
    sl_order **decoded = calloc(total ? total : 1, sizeof(*decoded));
    if (!decoded) {
        json_decref(root);
        return out_of_memory(err);
    }
    for (size_t i = 0; i < total; i++) {
        location here = locate(&root_where, "orders", (long)i);
        decoded[i] = decode_order(json_array_get(array, i), &here, err);
        if (!decoded[i]) {
            sl_orders_free(decoded, i);
            json_decref(root);
            return -1;
        }
    }
    json_decref(root);
    *orders = decoded;
    *count = total;
    if (next_page)
        *next_page = page;
    return 0;
}

/* GET /orders/{id}: {"success":true,"order":{...}} */
int sl_ecart_decode_order(const char *body, size_t len, sl_order **order, sl_error *err)
{
    const location root_where = { "order response" };
    *order = NULL;
    json_t *root = parse_body(body, len, root_where.text, err);
    if (!root)
        return -1;
    json_t *json = json_object_get(root, "order");
    if (!json) {
        json_decref(root);
        return sl_error_set(err, "order response: \"order\" missing");
    }
    location here = locate(&root_where, "order", -1);
    *order = decode_order(json, &here, err);
    json_decref(root);
    return *order ? 0 : -1;
}

/* GET /orders/{id}/packages: {"success":true,"packages":[...]} with items. */
int sl_ecart_decode_packages_into(const char *body, size_t len, sl_order *order, sl_error *err)
{
    const location root_where = { "packages response" };
    json_t *array = NULL;
    sl_unit *packages = NULL;
    size_t count = 0;
    if (order->packed)
        return sl_error_set(err, "%s: order %s is packed (read-only)", root_where.text,
                            order->id);
    json_t *root = parse_body(body, len, root_where.text, err);
    if (!root)
        return -1;
    location here = locate(&root_where, "packages", -1);
    if (take_array(root, "packages", &array, 1, &root_where, err) ||
        decode_packages_array(array, &packages, &count, NULL, &here, err)) {
        json_decref(root);
        return -1;
    }
    json_decref(root);
    /* The standalone form always lists its items, even when the list is empty. */
    for (size_t i = 0; i < count; i++)
        packages[i].items_known = 1;
    sl_units_free(order->units, order->unit_count);
    order->units = packages;
    order->unit_count = count;
    return 0;
}

/* GET /packages: {"success":true,"packages":[...],"page":{...}}; each package's orderId. */
int sl_ecart_decode_packages(const char *body, size_t len, sl_unit **packages,
                             char ***order_ids, size_t *count, int *next_page, sl_error *err)
{
    const location root_where = { "packages response" };
    json_t *array = NULL;
    int page = 0;
    *packages = NULL;
    *count = 0;
    if (order_ids)
        *order_ids = NULL;
    if (next_page)
        *next_page = 0;
    json_t *root = parse_body(body, len, root_where.text, err);
    if (!root)
        return -1;
    location here = locate(&root_where, "packages", -1);
    sl_unit *decoded = NULL;
    char **ids = NULL;
    size_t total = 0;
    if (take_array(root, "packages", &array, 1, &root_where, err) ||
        take_next_page(root, &page, &root_where, err) ||
        decode_packages_array(array, &decoded, &total, &ids, &here, err)) {
        json_decref(root);
        return -1;
    }
    json_decref(root);
    for (size_t i = 0; i < total; i++)
        decoded[i].items_known = 1;
    *packages = decoded;
    *count = total;
    if (order_ids) {
        *order_ids = ids;
    } else {
        for (size_t i = 0; i < total; i++)
            free(ids[i]);
        free(ids);
    }
    if (next_page)
        *next_page = page;
    return 0;
}

/* GET /orders/{id}/fulfillments: {"success":true,"fulfillments":[...],"page":{...}}.
 * Appends the page to order->fulfillments; fulfillments_known = 1 once the last page is in. */
int sl_ecart_decode_fulfillments_into(const char *body, size_t len, sl_order *order,
                                      int *next_page, sl_error *err)
{
    const location root_where = { "fulfillments response" };
    json_t *array = NULL;
    sl_fulfillment *page_items = NULL;
    size_t page_count = 0;
    int page = 0;
    if (next_page)
        *next_page = 0;
    if (order->packed)
        return sl_error_set(err, "%s: order %s is packed (read-only)", root_where.text,
                            order->id);
    json_t *root = parse_body(body, len, root_where.text, err);
    if (!root)
        return -1;
    location here = locate(&root_where, "fulfillments", -1);
    if (take_array(root, "fulfillments", &array, 1, &root_where, err) ||
        take_next_page(root, &page, &root_where, err) ||
        decode_fulfillments_array(array, &page_items, &page_count, &here, err)) {
        json_decref(root);
        return -1;
    }
    json_decref(root);
    if (page_count > 0) {
        sl_fulfillment *grown = realloc(order->fulfillments,
                                        (order->fulfillment_count + page_count) *
                                            sizeof(*grown));
        if (!grown) {
            sl_fulfillments_free(page_items, page_count);
            return out_of_memory(err);
        }
        memcpy(grown + order->fulfillment_count, page_items, page_count * sizeof(*grown));
        order->fulfillments = grown;
        order->fulfillment_count += page_count;
        free(page_items);
    }
    if (page == 0)
        order->fulfillments_known = 1;
    if (next_page)
        *next_page = page;
    return 0;
}

/* An {"code": "...", "message": "..."} error object of a bulk result or an error body. */
static int take_error_object(json_t *json, char **code, char **message, const location *where,
                             sl_error *err)
{
    *code = NULL;
    *message = NULL;
    if (!json || json_is_null(json))
        return 0;
    if (json_is_string(json)) {     /* a bare message */
        *message = strdup(json_string_value(json));
        return *message ? 0 : out_of_memory(err);
    }
    if (!json_is_object(json))
        return sl_error_set(err, "%s: expected an object", where->text);
    if (take_string(json, "code", code, 0, where, err) ||
        take_string(json, "message", message, 0, where, err)) {
        free(*code);
        *code = NULL;
        return -1;
    }
    return 0;
}

/* One entry of a bulk answer's "results"; sets *index. */
static int decode_bulk_result(json_t *json, sl_bulk_result *result, long *index,
                              const location *where, sl_error *err)
{
    memset(result, 0, sizeof(*result));
    if (!json_is_object(json))
        return sl_error_set(err, "%s: expected an object", where->text);
    json_t *index_json = json_object_get(json, "index");
    if (!index_json || json_is_null(index_json))
        return sl_error_set(err, "%s.index: missing", where->text);
    if (take_quantity(json, "index", index, where, err))
        return -1;
    json_t *success = json_object_get(json, "success");
    if (!json_is_boolean(success))
        return sl_error_set(err, "%s.success: expected true or false", where->text);
    result->success = json_is_true(success);
    if (result->success) {
        json_t *fulfillment = json_object_get(json, "fulfillment");
        location here = locate(where, "fulfillment", -1);
        if (fulfillment && !json_is_null(fulfillment)) {
            if (!json_is_object(fulfillment))
                return sl_error_set(err, "%s: expected an object", here.text);
            if (take_string(fulfillment, "id", &result->fulfillment_id, 1, &here, err))
                return -1;
        }
        return 0;
    }
    location here = locate(where, "error", -1);
    return take_error_object(json_object_get(json, "error"), &result->error_code,
                             &result->error_message, &here, err);
}

/* (ours) bulk answer, 200 or 207: {"results":[{"index":i,"success":...,"fulfillment"|"error"}]},
 * exactly one result per entry. A missing, repeated or out-of-range index is an error. */
int sl_ecart_decode_bulk(const char *body, size_t len, sl_bulk_result *results, size_t expected,
                         sl_error *err)
{
    const location root_where = { "bulk response" };
    json_t *array = NULL;
    memset(results, 0, expected * sizeof(*results));
    json_t *root = parse_body(body, len, root_where.text, err);
    if (!root)
        return -1;
    if (take_array(root, "results", &array, 1, &root_where, err)) {
        json_decref(root);
        return -1;
    }
    size_t total = json_array_size(array);
    unsigned char *seen = calloc(expected ? expected : 1, 1);
    if (!seen) {
        json_decref(root);
        return out_of_memory(err);
    }
    int failed = 0;
    if (total != expected)
        failed = sl_error_set(err, "bulk response: %zu results for %zu entries", total, expected);
    for (size_t i = 0; !failed && i < total; i++) {
        location here = locate(&root_where, "results", (long)i);
        sl_bulk_result decoded;
        long index = -1;
        if (decode_bulk_result(json_array_get(array, i), &decoded, &index, &here, err)) {
            sl_bulk_result_clear(&decoded);
            failed = -1;
        } else if (index < 0 || (size_t)index >= expected || seen[index]) {
            failed = sl_error_set(err, "%s.index: %ld is %s", here.text, index,
                                  index >= 0 && (size_t)index < expected ? "repeated"
                                                                         : "out of range");
            sl_bulk_result_clear(&decoded);
        } else {
            seen[index] = 1;
            results[index] = decoded;
        }
    }
    free(seen);
    json_decref(root);
    if (failed) {
        for (size_t i = 0; i < expected; i++)
            sl_bulk_result_clear(&results[i]);
        return -1;
    }
    return 0;
}

/* A single fulfillment answer (create, PUT, cancel): {"success":true,"fulfillment":{"id":...}} */
int sl_ecart_decode_fulfillment_id(const char *body, size_t len, char **id, sl_error *err)
{
    const location root_where = { "fulfillment response" };
    *id = NULL;
    json_t *root = parse_body(body, len, root_where.text, err);
    if (!root)
        return -1;
    json_t *fulfillment = json_object_get(root, "fulfillment");
    location here = locate(&root_where, "fulfillment", -1);
    int failed = 0;
    if (!json_is_object(fulfillment))
        failed = sl_error_set(err, "%s: %s", here.text, fulfillment ? "expected an object"
                                                                    : "missing");
    else
        failed = take_string(fulfillment, "id", id, 1, &here, err);
    json_decref(root);
    return failed;
}

/* (ours) error body: {"success":false,"error":{"code":"orderNotFound","message":"..."}}.
 * Returns 0 when a code or a message was found. */
int sl_ecart_decode_error(const char *body, size_t len, char **code, char **message)
{
    *code = NULL;
    *message = NULL;
    if (!body || len == 0)
        return -1;
    json_t *root = json_loadb(body, len, 0, NULL);
    if (!json_is_object(root)) {
        json_decref(root);
        return -1;
    }
    const location where = { "error" };
    json_t *error = json_object_get(root, "error");
    if (!error) /* some answers put the message at the top level */
        error = json_object_get(root, "message");
    int failed = take_error_object(error, code, message, &where, NULL);
    json_decref(root);
    if (failed || (!*code && !*message)) {
        free(*code);
        free(*message);
        *code = *message = NULL;
        return -1;
    }
    return 0;
}
