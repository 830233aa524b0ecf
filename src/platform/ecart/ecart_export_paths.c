/* ecart_export_paths.c: the request path the export listing reads order pages with (the
 * table's list_orders). The query names the contract marks as ours stay here and in ecart.c;
 * percent-encoding is sl_url_escape's (libcurl). */
#include <stdio.h>
#include <stdlib.h>
#include "shipload/url.h"
#include "platform/ecart/ecart.h"

char *sl_export_path_orders_page(const char *fulfillment_status, const char *updated_since,
                                 int page, int limit)
{
    if (page < 1 || limit < 1 || limit > SL_ECART_MAX_IDS)
        return NULL;
    char *status = fulfillment_status ? sl_url_escape(fulfillment_status) : NULL;
    char *since = updated_since ? sl_url_escape(updated_since) : NULL;
    char *path = NULL;
    if ((!fulfillment_status || status) && (!updated_since || since) &&
        asprintf(&path, "/api/v2/orders?limit=%d&page=%d%s%s%s%s", limit, page,
                 status ? "&fulfillmentStatus=" : "", status ? status : "",
                 since ? "&updatedAt%5Bfrom%5D=" : "", since ? since : "") < 0)
        path = NULL;
    free(status);
    free(since);
    return path;
}
