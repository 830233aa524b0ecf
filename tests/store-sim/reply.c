/* reply.c: platform-neutral reply and request helpers: replies from JSON or text, query
 * parameters (single and repeated), the body as a JSON object, whole numbers. The error
 * bodies and paging of each platform are its front's (ecart_reply.c, shoplazza_*.c, ...). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "routes.h"

void sim_reply_take(sim_reply *reply, int status, char *body, size_t len)
{
    free(reply->body);
    reply->status = status;
    reply->body = body;
    reply->len = len;
}

void sim_reply_json(sim_reply *reply, int status, json_t *json)
{
    char *text = json ? json_dumps(json, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    json_decref(json);
    if (!text) {
        sim_reply_take(reply, 500, strdup("\"out of memory\""), 16);
        return;
    }
    sim_reply_take(reply, status, text, strlen(text));
}

void sim_reply_text(sim_reply *reply, int status, const char *text)
{
    char *copy = strdup(text);
    sim_reply_take(reply, status, copy, copy ? strlen(copy) : 0);
}

void sim_reply_clear(sim_reply *reply)
{
    free(reply->body);
    memset(reply, 0, sizeof(*reply));
}

const char *sim_query(sim_request *request, const char *key)
{
    return request->query ? request->query(request->query_ctx, key) : NULL;
}

size_t sim_query_all(sim_request *request, const char *key, const char **values, size_t max)
{
    if (request->query_all)
        return request->query_all(request->query_ctx, key, values, max);
    const char *value = sim_query(request, key);
    if (!value || max == 0)
        return 0;
    values[0] = value;
    return 1;
}

json_t *sim_request_object(sim_request *request, char *message, size_t message_size)
{
    json_error_t error;
    json_t *json = request->body_len ? json_loadb(request->body, request->body_len, 0, &error)
                                     : NULL;
    if (!json_is_object(json)) {
        snprintf(message, message_size, "the body must be a JSON object%s%s",
                 json || !request->body_len ? "" : ": ", json || !request->body_len ? ""
                                                                          : error.text);
        json_decref(json);
        return NULL;
    }
    return json;
}

int sim_parse_whole(const char *text, long min, long max, long *out)
{
    if (!text || !*text || strspn(text, "0123456789") != strlen(text) || strlen(text) > 9)
        return -1;
    long value = strtol(text, NULL, 10);
    if (value < min || value > max)
        return -1;
    *out = value;
    return 0;
}
