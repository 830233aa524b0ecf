/* store_carriers.c: one read of the store's carrier list before the writes (store_carriers.h),
 * its answer decoded by the platform, and the warnings of the rows whose carrier the store
 * does not list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/store_carriers.h"
#include "shipload/outcome.h"

#define CARRIERS_MAX_BODY ((size_t)4 * 1024 * 1024)

typedef struct carriers_read {
    const sl_platform *platform;
    sl_carrier_codes *codes;
    char why[500];              /* when codes is NULL: why the list is unknown */
} carriers_read;

static int names_carrier(const sl_row *row, const sl_match *match)
{
    return (match->op == SL_MATCH_CREATE || match->op == SL_MATCH_UPDATE) &&
           row->status == SL_STATUS_PENDING && row->carrier && row->carrier[0];
}

static void on_carriers(sl_http *http, const sl_http_response *response, void *user_data)
{
    (void)http;
    carriers_read *read = user_data;
    sl_store_carrier *list = NULL;
    size_t count = 0;
    sl_error err = { "" };
    if (!sl_http_response_ok(response)) {
        sl_api_outcome outcome;
        sl_api_outcome_classify(read->platform, response, "the store's carrier list", &outcome);
        snprintf(read->why, sizeof(read->why), "%s", outcome.message);
        return;
    }
    if (read->platform->decode_carriers(response->body, response->body_len, &list, &count,
                                        &err) != 0) {
        snprintf(read->why, sizeof(read->why), "the store's carrier list: %s", err.message);
        return;
    }
    read->codes = sl_carrier_codes_new(list, count);
    if (!read->codes)
        snprintf(read->why, sizeof(read->why), "the store's carrier list: out of memory");
    sl_store_carriers_free(list, count);
}

/* Asks for the list and waits for it (the only request in the client at this point). */
static void read_list(sl_http *http, carriers_read *read)
{
    sl_platform_request request = { 0 };
    sl_error err = { "" };
    snprintf(read->why, sizeof(read->why), "the store's carrier list was not read");
    if (read->platform->read_carriers(&request, &err) != 0) {
        snprintf(read->why, sizeof(read->why), "the store's carrier list: %s", err.message);
        return;
    }
    sl_http_request http_request = { .method = request.method, .path = request.path,
                                     .body = request.body, .endpoint = request.label,
                                     .done = on_carriers, .user_data = read,
                                     .max_body = CARRIERS_MAX_BODY };
    if (sl_http_enqueue(http, &http_request, &err) == 0 && sl_http_run(http, &err) != 0)
        snprintf(read->why, sizeof(read->why), "the store's carrier list: %s", err.message);
    sl_platform_request_clear(&request);
}

sl_carrier_codes *sl_store_carriers_read(sl_http *http, const sl_platform *platform,
                                         sl_row *rows, const sl_match *matches, size_t count)
{
    if (!platform->read_carriers || !platform->decode_carriers)
        return NULL;
    size_t wanted = 0;
    for (size_t i = 0; i < count; i++)
        wanted += names_carrier(&rows[i], &matches[i]);
    if (wanted == 0)
        return NULL;
    carriers_read read = { .platform = platform };
    read_list(http, &read);
    for (size_t i = 0; i < count; i++) {
        if (!names_carrier(&rows[i], &matches[i]) ||
            sl_carrier_codes_find(read.codes, rows[i].carrier))
            continue;
        if (read.codes)
            sl_row_warn_as(&rows[i], SL_WARNING_CARRIER_NOT_LISTED,
                           "carrier %s is not on the store's carrier list: sent by name only, "
                           "without a carrier code", rows[i].carrier);
        else
            sl_row_warn_as(&rows[i], SL_WARNING_CARRIER_NOT_LISTED,
                           "carrier %s sent by name only, without a carrier code (%s)",
                           rows[i].carrier, read.why);
    }
    return read.codes;
}

const char *sl_store_carriers_code(const char *carrier, void *data)
{
    return sl_carrier_codes_find(data, carrier);
}
