/* fuzz_shoplazza.c: the Shoplazza adapter's response decoders (wrapped orders, one order,
 * fulfillments pages, count, write answers, carriers, the five error shapes) on the same
 * bytes, through its platform table, then the remaining-quantity recount on what decoded. */
#include "fuzz_platform.h"
#include "platform/shoplazza/shoplazza.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    sl_error err;
    fuzz_platform_decoders(&sl_shoplazza_platform, data, size);
    sl_order *order = NULL;
    if (sl_shoplazza_decode_order(body, size, &order, &err) == 0) {
        sl_shoplazza_recount(order);
        sl_order_free(order);
    }
    free(sl_shoplazza_error_message(body, size));
    return 0;
}
