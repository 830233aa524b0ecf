/* carrier_codes.h: a store's own carrier codes for shipload's carriers. A platform that keeps
 * a list of the carriers it accepts (Shoplazza's /tracking/carriers: code and name) wants its
 * code in a write; shipload knows carriers by canonical name (carrier.h). This maps one onto
 * the other: each entry of the store's list is recognised through the carrier table (its name,
 * else its code, as an alias: "DHL Paket" or "dhl-germany"), and a carrier the table does not
 * know matches an entry by name or code alone (case, spaces and punctuation ignored:
 * "YunExpress" = "yunexpress"). Pure lookups: no I/O, no warnings (the engine decides what an
 * unlisted carrier means for a row). */
#ifndef SHIPLOAD_CARRIER_CODES_H
#define SHIPLOAD_CARRIER_CODES_H

#include <stddef.h>
#include "shipload/platform.h"

typedef struct sl_carrier_codes sl_carrier_codes;

/* The map for a store's list (copied: the list may be freed afterwards). NULL when out of
 * memory. An empty list gives a map that finds nothing. */
sl_carrier_codes *sl_carrier_codes_new(const sl_store_carrier *list, size_t count);
void sl_carrier_codes_free(sl_carrier_codes *codes);

/* The store's code for a carrier as a row names it (canonical name, alias or code); NULL when
 * the store's list has no such carrier (or carrier is NULL or empty). The string belongs to
 * the map. The first entry of the list that matches wins. */
const char *sl_carrier_codes_find(const sl_carrier_codes *codes, const char *carrier);

/* Entries of the store's list. */
size_t sl_carrier_codes_count(const sl_carrier_codes *codes);

#endif
