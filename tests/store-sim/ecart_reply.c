/* ecart_reply.c: Ecart's error body ({"success": false, "error": {"code", "message"}}), its
 * paging parameters (limit 1..50, page >= 1) and page object, and its 400 for a body that is
 * not a JSON object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "routes.h"

#define MAX_LIMIT 50
#define DEFAULT_LIMIT 50

void sim_reply_error(sim_reply *reply, sim_code code, const char *message)
{
    json_t *json = json_pack("{s:b, s:{s:s, s:s}}", "success", 0, "error", "code",
                             sim_code_name(code), "message", message ? message : "");
    char *text = json ? json_dumps(json, JSON_COMPACT) : NULL;
    json_decref(json);
    if (!text)
        text = strdup("{\"success\":false}");
    sim_reply_take(reply, sim_code_http_status(code), text, text ? strlen(text) : 0);
}

static int parse_positive(const char *text, long *out)
{
    char *end = NULL;
    if (!text || !*text || strspn(text, "0123456789") != strlen(text) || strlen(text) > 9)
        return -1;
    *out = strtol(text, &end, 10);
    return *out >= 1 ? 0 : -1;
}

int sim_query_paging(sim_request *request, sim_reply *reply, long *limit, long *page)
{
    const char *limit_text = sim_query(request, "limit");
    const char *page_text = sim_query(request, "page");
    *limit = DEFAULT_LIMIT;
    *page = 1;
    if (limit_text && (parse_positive(limit_text, limit) || *limit > MAX_LIMIT)) {
        sim_reply_error(reply, SIM_INVALID_REQUEST, "limit must be a whole number from 1 to 50");
        return -1;
    }
    if (page_text && parse_positive(page_text, page)) {
        sim_reply_error(reply, SIM_INVALID_REQUEST, "page must be a whole number from 1");
        return -1;
    }
    return 0;
}

json_t *sim_page_object(long page, int has_next)
{
    return json_pack("{s:I, s:o}", "current", (json_int_t)page, "next",
                     has_next ? json_integer(page + 1) : json_null());
}

json_t *sim_request_json(sim_request *request, sim_reply *reply)
{
    char message[240];
    json_t *json = sim_request_object(request, message, sizeof(message));
    if (!json)
        sim_reply_error(reply, SIM_INVALID_REQUEST, message);
    return json;
}
