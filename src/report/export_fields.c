/* export_fields.c: the value an export field (include/shipload/export.h) has for one package
 * item line: a table from field to getter. It reads the decoded order, package and item; it
 * does not decide what is exported (src/api/export_select.c) or how it is written. */
#include <stdio.h>
#include <string.h>
#include "shipload/export.h"

typedef struct field_context {
    const sl_order *order;
    const sl_unit *package;
    const sl_export_line *line;
    char *buf;
    size_t cap;
} field_context;

typedef const char *(*field_getter)(const field_context *context);

static const char *text(const char *value)
{
    return value ? value : "";
}

static const char *number(const field_context *context, long value)
{
    snprintf(context->buf, context->cap, "%ld", value);
    return context->buf;
}

#define ORDER_GETTER(fn, member) \
    static const char *fn(const field_context *c) { return text(c->order->member); }
#define PACKAGE_GETTER(fn, member) \
    static const char *fn(const field_context *c) { return text(c->package->member); }
#define ADDRESS_GETTER(fn, member) \
    static const char *fn(const field_context *c) \
    { return text(c->order->shipping_address ? c->order->shipping_address->member : NULL); }

ORDER_GETTER(order_id, id)
ORDER_GETTER(order_number, number)
ORDER_GETTER(order_status, status_text)
ORDER_GETTER(fulfillment_status, shipping_text)
ORDER_GETTER(shipping_method, shipping_method)
PACKAGE_GETTER(package_id, id)
PACKAGE_GETTER(fulfillment_order_id, write_id)
PACKAGE_GETTER(package_number, number)
PACKAGE_GETTER(package_status, status_text)
PACKAGE_GETTER(location_id, location_id)
ADDRESS_GETTER(ship_first_name, first_name)
ADDRESS_GETTER(ship_last_name, last_name)
ADDRESS_GETTER(ship_company, company)
ADDRESS_GETTER(ship_address1, address1)
ADDRESS_GETTER(ship_address2, address2)
ADDRESS_GETTER(ship_city, city)
ADDRESS_GETTER(ship_state, state_code)
ADDRESS_GETTER(ship_postal_code, postal_code)
ADDRESS_GETTER(ship_country, country_code)
ADDRESS_GETTER(ship_phone, phone)
ADDRESS_GETTER(ship_email, email)

/* The name, or "#" and the number when the API gave no name. */
static const char *order_name(const field_context *c)
{
    if (c->order->name && c->order->name[0])
        return c->order->name;
    if (c->order->number && c->order->number[0]) {
        snprintf(c->buf, c->cap, "#%s", c->order->number);
        return c->buf;
    }
    return "";
}

static const char *line_item_id(const field_context *c)
{
    return text(c->line->item->id);
}

static const char *sku(const field_context *c)
{
    return text(c->line->item->sku);
}

/* Package items may come without a name: the order's line item of the same id has it. */
static const char *item_name(const field_context *c)
{
    const sl_item *item = c->line->item;
    if (item->name && item->name[0])
        return item->name;
    for (size_t i = 0; item->id && i < c->order->item_count; i++)
        if (c->order->items[i].id && strcmp(c->order->items[i].id, item->id) == 0)
            return text(c->order->items[i].name);
    return "";
}

static const char *quantity(const field_context *c)
{
    return number(c, c->line->remaining);
}

static const char *item_quantity(const field_context *c)
{
    return number(c, c->line->item->quantity);
}

static const char *fulfilled_quantity(const field_context *c)
{
    return number(c, c->line->item->fulfilled_quantity);
}

static const char *ship_name(const field_context *c)
{
    const sl_address *address = c->order->shipping_address;
    const char *first = text(address ? address->first_name : NULL);
    const char *last = text(address ? address->last_name : NULL);
    snprintf(c->buf, c->cap, "%s%s%s", first, first[0] && last[0] ? " " : "", last);
    return c->buf;
}

/* In the order of SL_EXPORT_FIELD_TABLE. */
static const field_getter getters[SL_EXPORT_FIELD_COUNT] = {
    [SL_EXPORT_ORDER_ID] = order_id,
    [SL_EXPORT_ORDER_NAME] = order_name,
    [SL_EXPORT_ORDER_NUMBER] = order_number,
    [SL_EXPORT_ORDER_STATUS] = order_status,
    [SL_EXPORT_FULFILLMENT_STATUS] = fulfillment_status,
    [SL_EXPORT_PACKAGE_ID] = package_id,
    [SL_EXPORT_FULFILLMENT_ORDER_ID] = fulfillment_order_id,
    [SL_EXPORT_PACKAGE_NUMBER] = package_number,
    [SL_EXPORT_PACKAGE_STATUS] = package_status,
    [SL_EXPORT_LOCATION_ID] = location_id,
    [SL_EXPORT_LINE_ITEM_ID] = line_item_id,
    [SL_EXPORT_SKU] = sku,
    [SL_EXPORT_ITEM_NAME] = item_name,
    [SL_EXPORT_QUANTITY] = quantity,
    [SL_EXPORT_ITEM_QUANTITY] = item_quantity,
    [SL_EXPORT_FULFILLED_QUANTITY] = fulfilled_quantity,
    [SL_EXPORT_SHIPPING_METHOD] = shipping_method,
    [SL_EXPORT_SHIP_NAME] = ship_name,
    [SL_EXPORT_SHIP_FIRST_NAME] = ship_first_name,
    [SL_EXPORT_SHIP_LAST_NAME] = ship_last_name,
    [SL_EXPORT_SHIP_COMPANY] = ship_company,
    [SL_EXPORT_SHIP_ADDRESS1] = ship_address1,
    [SL_EXPORT_SHIP_ADDRESS2] = ship_address2,
    [SL_EXPORT_SHIP_CITY] = ship_city,
    [SL_EXPORT_SHIP_STATE] = ship_state,
    [SL_EXPORT_SHIP_POSTAL_CODE] = ship_postal_code,
    [SL_EXPORT_SHIP_COUNTRY] = ship_country,
    [SL_EXPORT_SHIP_PHONE] = ship_phone,
    [SL_EXPORT_SHIP_EMAIL] = ship_email,
};

const char *sl_export_field_value(sl_export_field field, const sl_order *order,
                                  const sl_unit *package, const sl_export_line *line,
                                  char *buf, size_t cap)
{
    if ((int)field < 0 || field >= SL_EXPORT_FIELD_COUNT || !getters[field] || cap == 0)
        return "";
    field_context context = { order, package, line, buf, cap };
    return getters[field](&context);
}
