/* fuzz_ecart.c: the Ecart adapter's response decoders (orders, one order, packages, packages
 * listing, fulfillments pages, bulk results, a single fulfillment, errors) on the same bytes.
 * The length picks the bulk's expected count (so that every byte stays JSON). */
#include "fuzz_util.h"
#include "platform/ecart/ecart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t expected = 1 + size % 4;
    const char *body = (const char *)data;
    size_t len = size;
    sl_error err;
    sl_order **orders = NULL;
    size_t count = 0;
    int next = 0;
    if (sl_ecart_decode_orders(body, len, &orders, &count, &next, &err) == 0) {
        for (size_t i = 0; i < count; i++) {   /* pages appended onto a decoded order */
            sl_ecart_decode_fulfillments_into(body, len, orders[i], &next, &err);
            sl_ecart_decode_packages_into(body, len, orders[i], &err);
        }
        sl_orders_free(orders, count);
    }
    sl_order *order = NULL;
    if (sl_ecart_decode_order(body, len, &order, &err) == 0)
        sl_order_free(order);
    sl_unit *packages = NULL;
    char **order_ids = NULL;
    if (sl_ecart_decode_packages(body, len, &packages, &order_ids, &count, &next, &err) == 0) {
        for (size_t i = 0; i < count; i++)
            free(order_ids[i]);
        free(order_ids);
        sl_units_free(packages, count);
    }
    sl_bulk_result results[SL_ECART_MAX_BULK];
    memset(results, 0, sizeof(results));
    sl_ecart_decode_bulk(body, len, results, expected, &err);
    for (size_t i = 0; i < SL_ECART_MAX_BULK; i++)
        sl_bulk_result_clear(&results[i]);
    char *id = NULL;
    sl_ecart_decode_fulfillment_id(body, len, &id, &err);
    free(id);
    char *code = NULL, *message = NULL;
    sl_ecart_decode_error(body, len, &code, &message);
    free(code);
    free(message);
    return 0;
}
