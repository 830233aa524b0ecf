/* transform.c: the value transforms a template can apply to a field (trim, upper, lower,
 * strip_hash, remove_spaces), value-map lookup, and the field/transform name tables. All work in
 * place on the mapper's buffer: no allocation per record. Letters are changed in ASCII only;
 * other bytes (UTF-8, or invalid bytes of a bad_encoding record) are left as they are. */
#include <stddef.h>
#include <string.h>
#include "shipload/swar.h"
#include "shipload/utf8.h"
#include "template_internal.h"

static const char *const field_names[TPL_FIELD_COUNT] = {
    [TPL_FIELD_ORDER_REF] = "order_ref",
    [TPL_FIELD_ORDER_REF_KIND] = "order_ref_kind",
    [TPL_FIELD_PACKAGE_REF] = "package_ref",
    [TPL_FIELD_LINE_ITEM_ID] = "line_item_id",
    [TPL_FIELD_SKU] = "sku",
    [TPL_FIELD_QUANTITY] = "quantity",
    [TPL_FIELD_TRACKING_NUMBERS] = "tracking_numbers",
    [TPL_FIELD_CARRIER] = "carrier",
    [TPL_FIELD_CARRIER_CODE] = "carrier_code",
    [TPL_FIELD_TRACKING_URL] = "tracking_url",
    [TPL_FIELD_SHIP_DATE] = "ship_date",
    [TPL_FIELD_NOTIFY_CUSTOMER] = "notify_customer",
    [TPL_FIELD_LOCATION_ID] = "location_id",
    [TPL_FIELD_SHIPPING_METHOD] = "shipping_method",
    [TPL_FIELD_ACTION] = "action",
    [TPL_FIELD_FULFILLMENT_STATUS] = "fulfillment_status",
};

static const char *const transform_names[TPL_TRANSFORM_COUNT] = {
    [TPL_TRANSFORM_TRIM] = "trim",
    [TPL_TRANSFORM_UPPER] = "upper",
    [TPL_TRANSFORM_LOWER] = "lower",
    [TPL_TRANSFORM_STRIP_HASH] = "strip_hash",
    [TPL_TRANSFORM_REMOVE_SPACES] = "remove_spaces",
};

const char *sl_tpl_field_name(tpl_field_id id)
{
    return (unsigned)id < TPL_FIELD_COUNT ? field_names[id] : "?";
}

int sl_tpl_field_lookup(const char *name)
{
    for (int i = 0; i < TPL_FIELD_COUNT; i++)
        if (strcmp(field_names[i], name) == 0)
            return i;
    return -1;
}

/* Where each field's text lives in a row (sl_row_part and offset); order_ref_kind and
 * tracking_numbers have no text slot (has_slot 0). */
static const struct {
    int has_slot;
    sl_row_part part;
    size_t offset;
} field_slots[TPL_FIELD_COUNT] = {
    [TPL_FIELD_ORDER_REF] = { 1, SL_ROW_PART_ROW, offsetof(sl_row, order_ref) },
    [TPL_FIELD_PACKAGE_REF] = { 1, SL_ROW_PART_ROW, offsetof(sl_row, package_ref) },
    [TPL_FIELD_LINE_ITEM_ID] = { 1, SL_ROW_PART_EXTRA, offsetof(sl_row_extra, line_item_id) },
    [TPL_FIELD_SKU] = { 1, SL_ROW_PART_ROW, offsetof(sl_row, sku) },
    [TPL_FIELD_QUANTITY] = { 1, SL_ROW_PART_COLUMNS, offsetof(sl_row_columns, quantity_text) },
    [TPL_FIELD_CARRIER] = { 1, SL_ROW_PART_ROW, offsetof(sl_row, carrier) },
    [TPL_FIELD_CARRIER_CODE] = { 1, SL_ROW_PART_COLUMNS,
                                 offsetof(sl_row_columns, carrier_code) },
    [TPL_FIELD_TRACKING_URL] = { 1, SL_ROW_PART_EXTRA, offsetof(sl_row_extra, tracking_url) },
    [TPL_FIELD_SHIP_DATE] = { 1, SL_ROW_PART_COLUMNS, offsetof(sl_row_columns, ship_date_text) },
    [TPL_FIELD_NOTIFY_CUSTOMER] = { 1, SL_ROW_PART_COLUMNS,
                                    offsetof(sl_row_columns, notify_text) },
    [TPL_FIELD_LOCATION_ID] = { 1, SL_ROW_PART_COLUMNS, offsetof(sl_row_columns, location_id) },
    [TPL_FIELD_SHIPPING_METHOD] = { 1, SL_ROW_PART_COLUMNS,
                                    offsetof(sl_row_columns, shipping_method) },
    [TPL_FIELD_ACTION] = { 1, SL_ROW_PART_COLUMNS, offsetof(sl_row_columns, action_text) },
    [TPL_FIELD_FULFILLMENT_STATUS] = { 1, SL_ROW_PART_COLUMNS,
                                       offsetof(sl_row_columns, fulfillment_status) },
};

char **sl_tpl_field_slot(sl_row *row, tpl_field_id id)
{
    if (!sl_tpl_field_has_slot(id))
        return NULL;
    return sl_row_part_slot(row, field_slots[id].part, field_slots[id].offset);
}

int sl_tpl_field_has_slot(tpl_field_id id)
{
    return (unsigned)id < TPL_FIELD_COUNT && field_slots[id].has_slot;
}

const char *sl_tpl_transform_name(tpl_transform transform)
{
    return (unsigned)transform < TPL_TRANSFORM_COUNT ? transform_names[transform] : "?";
}

int sl_tpl_transform_lookup(const char *name)
{
    for (int i = 0; i < TPL_TRANSFORM_COUNT; i++)
        if (strcmp(transform_names[i], name) == 0)
            return i;
    return -1;
}

static unsigned char ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

static unsigned char ascii_upper(unsigned char c)
{
    return (c >= 'a' && c <= 'z') ? (unsigned char)(c - 'a' + 'A') : c;
}

int sl_tpl_equal_nocase(const char *a, const char *b)
{
    while (*a && *b && ascii_lower((unsigned char)*a) == ascii_lower((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

/* U+00A0 (no-break space, C2 A0 in UTF-8): what a tracking number copied from a PDF holds. */
static inline size_t space_width(const char *value, size_t at, size_t len)
{
    if (sl_ascii_space((unsigned char)value[at]))
        return 1;
    if ((unsigned char)value[at] == 0xC2 && at + 1 < len && (unsigned char)value[at + 1] == 0xA0)
        return 2;
    return 0;
}

void sl_tpl_trim_span(const char **text, size_t *len)
{
    const char *value = *text;
    size_t n = *len;
    size_t start = 0;
    size_t width;
    while (start < n && (width = space_width(value, start, n)) > 0)
        start += width;
    size_t end = n;
    for (;;) {
        if (end > start && sl_ascii_space((unsigned char)value[end - 1]))
            end--;
        else if (end >= start + 2 && (unsigned char)value[end - 2] == 0xC2 &&
                 (unsigned char)value[end - 1] == 0xA0)
            end -= 2;
        else
            break;
    }
    *text = value + start;
    *len = end - start;
}

static size_t trim(char *value, size_t len)
{
    const char *start = value;
    sl_tpl_trim_span(&start, &len);
    if (start != value)
        memmove(value, start, len);
    return len;
}

size_t sl_tpl_remove_spaces(char *value, size_t len)
{
    size_t first = 0;   /* most values have no space: find the first byte that may start one */
    for (; first + 8 <= len; first += 8) {   /* eight bytes at a time: none <= ' ', none 0xC2 */
        uint64_t word = sl_swar_load(value + first);
        if (sl_swar_lanes_below(word, ' ' + 1) | sl_swar_zero_lanes(word ^ sl_swar_repeat(0xC2)))
            break;
    }
    while (first < len && (unsigned char)value[first] > ' ' && (unsigned char)value[first] != 0xC2)
        first++;
    size_t out = first;
    for (size_t at = first; at < len;) {
        size_t width = space_width(value, at, len);
        if (width > 0) {
            at += width;
            continue;
        }
        value[out++] = value[at++];
    }
    return out;
}

/* Leading '#' characters, after any leading spaces ("#1001" and " #1001" give "1001"). */
static size_t strip_hash(char *value, size_t len)
{
    size_t start = 0;
    while (start < len && sl_ascii_space((unsigned char)value[start]))
        start++;
    size_t hashes = start;
    while (hashes < len && value[hashes] == '#')
        hashes++;
    if (hashes == start)
        return len;
    memmove(value + start, value + hashes, len - hashes);
    return len - (hashes - start);
}

void sl_tpl_apply_transforms(const tpl_source *source, size_t first, char *value, size_t *len)
{
    size_t n = *len;
    for (size_t i = first; i < source->transform_count; i++) {
        switch (source->transforms[i]) {
        case TPL_TRANSFORM_TRIM:
            n = trim(value, n);
            break;
        case TPL_TRANSFORM_UPPER:
            for (size_t k = 0; k < n; k++)
                value[k] = (char)ascii_upper((unsigned char)value[k]);
            break;
        case TPL_TRANSFORM_LOWER:
            for (size_t k = 0; k < n; k++)
                value[k] = (char)ascii_lower((unsigned char)value[k]);
            break;
        case TPL_TRANSFORM_STRIP_HASH:
            n = strip_hash(value, n);
            break;
        case TPL_TRANSFORM_REMOVE_SPACES:
            n = sl_tpl_remove_spaces(value, n);
            break;
        default:
            break;
        }
    }
    value[n] = '\0';
    *len = n;
}

const char *sl_tpl_map_lookup(const tpl_source *source, const char *value)
{
    for (size_t i = 0; i < source->map_count; i++)
        if (sl_tpl_equal_nocase(source->map[i].from, value))
            return source->map[i].to;
    return NULL;
}
