/* routes.c: routing over a front's table and dispatch (see routes.h). Patterns are matched
 * segment by segment; "{name}" matches one non-empty segment and is copied into
 * request->params (libmicrohttpd has already percent-decoded the path, so "%23517AB" arrives
 * as "#517AB"). */
#include <string.h>
#include "front.h"

/* Matches path against pattern, copying the {} segments into params. */
static int path_matches(const char *pattern, const char *path, sim_request *request)
{
    size_t param = 0;
    while (*pattern && *path) {
        if (*pattern != '/' || *path != '/')
            return 0;
        pattern++;
        path++;
        size_t pattern_len = strcspn(pattern, "/");
        size_t path_len = strcspn(path, "/");
        if (*pattern == '{') {
            if (path_len == 0 || path_len >= SIM_PARAM_SIZE || param >= SIM_MAX_PARAMS)
                return 0;
            if (request) {
                memcpy(request->params[param], path, path_len);
                request->params[param][path_len] = '\0';
            }
            param++;
        } else if (pattern_len != path_len || memcmp(pattern, path, path_len) != 0) {
            return 0;
        }
        pattern += pattern_len;
        path += path_len;
    }
    if (path[0] == '/' && path[1] == '\0')      /* a trailing slash is tolerated */
        path++;
    return *pattern == '\0' && *path == '\0';
}

int sim_route_find(const sim_front *front, const char *method, const char *path,
                   sim_request *request, int *path_known)
{
    *path_known = 0;
    for (size_t i = 0; i < front->route_count; i++) {
        const sim_route *route = &front->routes[i];
        if (!path_matches(route->pattern, path, NULL))
            continue;
        if (strcmp(route->method, method) == 0) {
            path_matches(route->pattern, path, request);
            return (int)i;
        }
        *path_known = 1;
    }
    return -1;
}

size_t sim_dispatch(sim_app *app, sim_request *request, sim_reply *reply)
{
    const sim_front *front = sim_app_front(app);
    int path_known = 0;
    int index = sim_route_find(front, request->method, request->path, request, &path_known);
    memset(reply, 0, sizeof(*reply));
    if (index < 0) {
        front->reply_error(reply, path_known ? SIM_METHOD_NOT_ALLOWED : SIM_ROUTE_NOT_FOUND,
                           path_known ? "method not allowed on this path" : "no such endpoint");
        sim_front_stamp(app, reply);
        return front->route_count;
    }
    const sim_route *route = &front->routes[index];
    if (route->is_admin) {
        route->handler(app, request, reply);
        return (size_t)index;
    }
    if (front->authorize(app, request, reply) == 0)
        route->handler(app, request, reply);
    sim_front_stamp(app, reply);
    return (size_t)index;
}
