/* shoplazza_errors.c: Shoplazza's five error shapes ({"code","message"}, {"message"},
 * {"error"}, {"errors": [...]}, a bare JSON string) read into one message, and the map of
 * status and message to shipload's row codes (contract, "Business errors"). No I/O. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "platform/shoplazza/shoplazza.h"

static char *first_string(json_t *value)
{
    if (json_is_array(value))
        value = json_array_get(value, 0);
    return json_is_string(value) ? strdup(json_string_value(value)) : NULL;
}

char *sl_shoplazza_error_message(const char *body, size_t len)
{
    json_error_t error;
    json_t *json = body && len ? json_loadb(body, len, JSON_DECODE_ANY, &error) : NULL;
    static const char *const keys[] = { "message", "error", "errors" };
    char *message = json_is_string(json) ? strdup(json_string_value(json)) : NULL;
    for (size_t i = 0; !message && json_is_object(json) && i < 3; i++)
        message = first_string(json_object_get(json, keys[i]));
    json_decref(json);
    return message;
}

/* 422 messages, whole (case ignored). */
static const struct {
    const char *message;
    sl_code code;
} unprocessable[] = {
    { "invalid line_item id", SL_CODE_ITEM_NOT_FOUND },
    { "invalid status of the order", SL_CODE_ORDER_NOT_SHIPPABLE },
    { "fulfillment quantity is insufficient", SL_CODE_QUANTITY_EXCEEDS_REMAINING },
};

static const struct {
    const char *message;
    sl_code code;
} not_found[] = {
    { "order not found", SL_CODE_ORDER_NOT_FOUND },
    { "fulfillment not found", SL_CODE_FULFILLMENT_NOT_FOUND },
};

void sl_shoplazza_error_map(long http_status, const char *body, size_t len,
                            sl_platform_error *out)
{
    memset(out, 0, sizeof(*out));
    out->message = sl_shoplazza_error_message(body, len);
    json_error_t error;
    json_t *json = body && len ? json_loadb(body, len, JSON_DECODE_ANY, &error) : NULL;
    json_t *code = json_object_get(json, "code");
    out->api_code = json_is_string(code) ? strdup(json_string_value(code))
                                         : out->message ? strdup(out->message) : NULL;
    json_decref(json);
    out->code = SL_CODE_API_REJECTED;
    if (http_status == 401 || http_status == 403)
        out->code = SL_CODE_AUTH_FAILED;
    if (http_status == 404)
        out->code = SL_CODE_ORDER_NOT_FOUND;
    for (size_t i = 0; http_status == 404 && out->message &&
                       i < sizeof(not_found) / sizeof(not_found[0]); i++)
        if (strcasecmp(out->message, not_found[i].message) == 0)
            out->code = not_found[i].code;
    for (size_t i = 0; http_status == 422 && out->message &&
                       i < sizeof(unprocessable) / sizeof(unprocessable[0]); i++)
        if (strcasecmp(out->message, unprocessable[i].message) == 0)
            out->code = unprocessable[i].code;
}
