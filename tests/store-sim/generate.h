/* generate.h: deterministic store generation (--generate N --seed S). The same N and seed always
 * give the same document, byte for byte, so a manifest generator can read the written store
 * (--write-store) and produce manifests that match it. It only builds the document; loading it
 * is store_load.c's job. */
#ifndef SIM_GENERATE_H
#define SIM_GENERATE_H

#include <stdint.h>
#include <jansson.h>

/* Calls each(order, ctx) for the `count` orders in turn (the order object is borrowed: each
 * keeps a reference if it needs one). Stops at the first non-zero return and returns it;
 * -1 when out of memory. Memory does not grow with count. */
int sim_generate_each(long count, uint64_t seed, int (*each)(json_t *order, void *ctx),
                      void *ctx);
/* The whole document {"orders":[...]} (tests); NULL when out of memory. */
json_t *sim_generate_store(long count, uint64_t seed);
/* For platforms without packages: puts every line item of a generated order into one package
 * named package_id, which its fulfillments then name, and refunds one unit of the first item of
 * every 17th order (from the 6th, index % 17 == 5) when more than one of it is left to ship. */
void sim_generate_single_package(json_t *order, const char *package_id, long index);
/* UPS 1Z check digit over the 15 characters after "1Z" (exposed for the tests). */
int sim_ups_check_digit(const char *body15);

#endif
