/* store_carriers.h: the store's carrier list for a run's writes (platform.h, read_carriers):
 * read once, only when the platform keeps one and a row about to be sent names a carrier;
 * mapped onto shipload's carriers (carrier_codes.h); each such row whose carrier is not on the
 * list gets a carrier_not_listed warning (it is sent by name only). Reads through the run's
 * HTTP client; plans and sends nothing. */
#ifndef SHIPLOAD_ENGINE_STORE_CARRIERS_H
#define SHIPLOAD_ENGINE_STORE_CARRIERS_H

#include <stddef.h>
#include "shipload/carrier_codes.h"
#include "shipload/http.h"
#include "shipload/match.h"
#include "shipload/platform.h"
#include "shipload/row.h"

/* The map for rows[i] with matches[i].op CREATE or UPDATE, or NULL when none is needed or the
 * list could not be read (the rows concerned are then warned, with the reason). Never fails
 * the run: carrier codes only help the store show the right carrier. */
sl_carrier_codes *sl_store_carriers_read(sl_http *http, const sl_platform *platform,
                                         sl_row *rows, const sl_match *matches, size_t count);

/* The plan's carrier_code callback (plan.h): data is the map. */
const char *sl_store_carriers_code(const char *carrier, void *data);

#endif
