/* ecart_errors.c: the Ecart API's error codes (contract, "Business error codes") as row error
 * codes, and the platform table's error map: an error body {"success": false, "error":
 * {"code", "message"}} read into sl_platform_error. The table is adapter knowledge: a real
 * integration adjusts it here. Does no I/O. */
#include <stdlib.h>
#include <string.h>
#include "platform/ecart/ecart.h"

typedef struct api_code_entry {
    const char *api_code;
    sl_code code;
} api_code_entry;

/* The API's codes that have a row code of their own; every other one is api_rejected. */
static const api_code_entry api_codes[] = {
    { "orderNotFound", SL_CODE_ORDER_NOT_FOUND },
    { "orderCanceled", SL_CODE_ORDER_CANCELED },
    { "packageNotFound", SL_CODE_PACKAGE_NOT_FOUND },
    { "itemNotInPackage", SL_CODE_ITEM_NOT_FOUND },
    { "quantityExceedsRemaining", SL_CODE_QUANTITY_EXCEEDS_REMAINING },
    { "packageAlreadyFulfilled", SL_CODE_QUANTITY_EXCEEDS_REMAINING },
    { "invalidQuantity", SL_CODE_BAD_QUANTITY },
    { "trackingNumberMissing", SL_CODE_MISSING_TRACKING_NUMBER },
};

sl_code sl_ecart_row_code(const char *api_code)
{
    if (!api_code)
        return SL_CODE_API_REJECTED;
    for (size_t i = 0; i < sizeof(api_codes) / sizeof(api_codes[0]); i++)
        if (strcmp(api_codes[i].api_code, api_code) == 0)
            return api_codes[i].code;
    return SL_CODE_API_REJECTED;
}

void sl_ecart_error_map(long http_status, const char *body, size_t len, sl_platform_error *out)
{
    (void)http_status;      /* Ecart's codes say it all; the engine reads the status itself */
    memset(out, 0, sizeof(*out));
    sl_ecart_decode_error(body, len, &out->api_code, &out->message);
    out->code = sl_ecart_row_code(out->api_code);
}

void sl_bulk_result_clear(sl_bulk_result *result)
{
    if (!result)
        return;
    free(result->fulfillment_id);
    free(result->error_code);
    free(result->error_message);
    memset(result, 0, sizeof(*result));
}
