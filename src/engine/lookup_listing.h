/* lookup_listing.h: the prefetch of order names by listing (issue 18; docs/architecture.md,
 * "Prefetch by listing"). Private to the engine: lookup.c calls it between the id and the name
 * lookups. */
#ifndef SHIPLOAD_ENGINE_LOOKUP_LISTING_H
#define SHIPLOAD_ENGINE_LOOKUP_LISTING_H

#include <stddef.h>
#include "shipload/error.h"
#include "shipload/http.h"
#include "shipload/lookup.h"
#include "shipload/match.h"
#include "shipload/outcome.h"
#include "shipload/platform.h"

/* Lists the store's open orders (not shipped, and partly shipped: one listing each) page by
 * page and keeps the orders the index has names for, when that costs fewer requests than one
 * lookup per name: the listing's size is learnt first (the platform's count, or, on numbered
 * pages without a count, one page asked at the break-even point), and the listing is read
 * only when its pages are fewer than the names. Numbered pages go concurrently (the client
 * paces them), cursor pages one after another; each page is decoded, its named orders kept,
 * the rest freed. Names the listing did not hold stay to fetch (the lookups after it). A
 * failed page only ends that listing early (its names fall back too); a 401 stops the client.
 * names: how many names are to fetch. Returns 0, or -1 when out of memory or libcurl fails. */
int sl_lookup_listing(sl_http *http, sl_order_index *index, const sl_platform *platform,
                      size_t names, size_t window,
                      sl_lookup_stats *stats, sl_error *err);

#endif
