/* platform.c: what every platform adapter shares (platform.h): making and freeing the
 * requests, freeing the pages, write results and mapped errors that builders and decoders
 * hand out, and reading a platform's table of fulfillment statuses. No platform's knowledge
 * lives here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "shipload/platform.h"

void sl_platform_request_clear(sl_platform_request *request)
{
    if (!request)
        return;
    free(request->path);
    free(request->body);
    memset(request, 0, sizeof(*request));
}

int sl_platform_request_make(sl_http_method method, char *path, char *body, int needs_body,
                             const char *title, const char *label, sl_platform_request *out,
                             sl_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!path || (needs_body && !body)) {
        free(path);
        free(body);
        return err && err->message[0] ? -1
                                      : sl_error_set(err, "cannot build the %s request (%s)",
                                                     title, label);
    }
    *out = (sl_platform_request){ method, path, body, label };
    return 0;
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

const char *sl_platform_status(const sl_platform *platform, const char *text)
{
    if (!platform->fulfillment_statuses || !text)
        return NULL;
    while (*text == ' ' || *text == '\t')
        text++;
    size_t len = strlen(text);
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    for (const char *const *status = platform->fulfillment_statuses; *status; status++)
        if (strlen(*status) == len && strncasecmp(*status, text, len) == 0)
            return *status;
    return NULL;
}

const char *sl_platform_status_list(const sl_platform *platform, char *buf, size_t cap)
{
    size_t used = 0;
    if (cap)
        buf[0] = '\0';
    for (const char *const *status = platform->fulfillment_statuses; status && *status &&
                                                                      used < cap; status++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", used ? ", " : "", *status);
    return buf;
}
