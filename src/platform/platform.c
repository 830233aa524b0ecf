/* platform.c: what every platform adapter shares (platform.h): freeing the requests, pages,
 * write results and mapped errors that builders and decoders hand out. No platform's
 * knowledge lives here. */
#include <stdlib.h>
#include <string.h>
#include "shipload/platform.h"

void sl_platform_request_clear(sl_platform_request *request)
{
    if (!request)
        return;
    free(request->path);
    free(request->body);
    memset(request, 0, sizeof(*request));
}

void sl_page_clear(sl_page *page)
{
    if (!page)
        return;
    free(page->cursor);
    memset(page, 0, sizeof(*page));
}

void sl_write_result_clear(sl_write_result *result)
{
    if (!result)
        return;
    free(result->fulfillment_id);
    free(result->api_code);
    free(result->message);
    memset(result, 0, sizeof(*result));
}

void sl_platform_error_clear(sl_platform_error *error)
{
    if (!error)
        return;
    free(error->api_code);
    free(error->message);
    memset(error, 0, sizeof(*error));
}

void sl_store_carriers_free(sl_store_carrier *carriers, size_t count)
{
    for (size_t i = 0; carriers && i < count; i++) {
        free(carriers[i].code);
        free(carriers[i].name);
    }
    free(carriers);
}
