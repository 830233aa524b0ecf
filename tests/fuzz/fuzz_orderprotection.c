/* fuzz_orderprotection.c: the OrderProtection adapter's response decoders (one order with its
 * items and fulfillments, the fulfillments array, write answers, the error shape with its
 * status) on the same bytes, through its platform table. */
#include "fuzz_platform.h"
#include "platform/orderprotection/orderprotection.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_platform_decoders(&sl_orderprotection_platform, data, size);
    return 0;
}
