/* fuzz_platform.h: what the store-answer harnesses share: every response decoder a platform's
 * table holds (orders, one order, units, fulfillments pages, count, bulk and single write
 * results, carriers, probe, error mapping) run on the same bytes. A decoder the platform
 * lacks (a NULL member) is skipped. Decoded orders are fed to the decoders that append to an
 * order, as the engine does with a second page. */
#ifndef SHIPLOAD_FUZZ_PLATFORM_H
#define SHIPLOAD_FUZZ_PLATFORM_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/platform.h"

#define FUZZ_BULK_MAX 8

static inline void fuzz_decode_into(const sl_platform *platform, const char *body, size_t len,
                                    sl_order *order)
{
    sl_error err;
    sl_page_next next = { 0 };
    if (platform->decode_fulfillments_into) {
        platform->decode_fulfillments_into(body, len, order, &next, &err);
        sl_page_clear(&next.page);
    }
    if (platform->decode_units_into)
        platform->decode_units_into(body, len, order, &err);
}

static inline void fuzz_decode_orders(const sl_platform *platform, const char *body, size_t len)
{
    sl_error err;
    sl_order **orders = NULL;
    size_t count = 0;
    sl_page_next next = { 0 };
    if (platform->decode_orders &&
        platform->decode_orders(body, len, &orders, &count, &next, &err) == 0) {
        for (size_t i = 0; i < count; i++)
            fuzz_decode_into(platform, body, len, orders[i]);
        sl_orders_free(orders, count);
    }
    sl_page_clear(&next.page);
    sl_order *order = NULL;
    if (platform->decode_order && platform->decode_order(body, len, &order, &err) == 0) {
        fuzz_decode_into(platform, body, len, order);
        sl_order_free(order);
    }
}

static inline void fuzz_decode_writes(const sl_platform *platform, const char *body, size_t len)
{
    sl_error err;
    sl_write_result results[FUZZ_BULK_MAX];
    if (platform->decode_bulk) {
        size_t expected = 1 + len % FUZZ_BULK_MAX;    /* the length picks the entries asked */
        memset(results, 0, sizeof(results));
        platform->decode_bulk(body, len, results, expected, &err);
        for (size_t i = 0; i < expected; i++)
            sl_write_result_clear(&results[i]);
    }
    if (platform->decode_write) {
        memset(results, 0, sizeof(results[0]));
        platform->decode_write(body, len, &results[0], &err);
        sl_write_result_clear(&results[0]);
    }
}

static inline void fuzz_decode_rest(const sl_platform *platform, const char *body, size_t len)
{
    sl_error err;
    size_t count = 0;
    if (platform->decode_count)
        platform->decode_count(body, len, &count, &err);
    sl_store_carrier *carriers = NULL;
    if (platform->decode_carriers &&
        platform->decode_carriers(body, len, &carriers, &count, &err) == 0)
        sl_store_carriers_free(carriers, count);
    if (platform->decode_probe)
        platform->decode_probe(body, len, &err);
    static const long statuses[] = { 400, 401, 403, 404, 409, 422, 429, 500 };
    sl_platform_error mapped = { 0 };
    if (platform->error_map) {
        platform->error_map(statuses[len % 8], body, len, &mapped);
        sl_platform_error_clear(&mapped);
    }
}

/* Every decoder of platform on data. */
static inline void fuzz_platform_decoders(const sl_platform *platform, const uint8_t *data,
                                          size_t size)
{
    const char *body = (const char *)data;
    fuzz_decode_orders(platform, body, size);
    fuzz_decode_writes(platform, body, size);
    fuzz_decode_rest(platform, body, size);
}

#endif
