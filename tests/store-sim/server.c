/* server.c: libmicrohttpd glue (see server.h). One request context per request: the body is
 * gathered, then the request is decided in one go (fault, dispatch, stats, log); a delayed
 * answer suspends the connection and the delay thread resumes it. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "front.h"
#include "server.h"
#include "strbuf.h"

#define MAX_BODY (8u * 1024u * 1024u)

enum request_state { STATE_READING, STATE_WAITING };

typedef struct request_context {
    enum request_state state;
    sim_strbuf body;
    int too_large;
    sim_reply reply;
    int64_t start_ns;
} request_context;

static const char *mhd_query(void *connection, const char *key)
{
    return MHD_lookup_connection_value(connection, MHD_GET_ARGUMENT_KIND, key);
}

typedef struct query_values {
    const char *key;
    const char **values;
    size_t count, max;
} query_values;

static enum MHD_Result collect_value(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    query_values *wanted = cls;
    if (key && value && strcmp(key, wanted->key) == 0 && wanted->count < wanted->max)
        wanted->values[wanted->count++] = value;
    return MHD_YES;
}

static size_t mhd_query_all(void *connection, const char *key, const char **values, size_t max)
{
    query_values wanted = { key, values, 0, max };
    MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, collect_value, &wanted);
    return wanted.count;
}

static int is_loopback(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr)
        return 0;
    const struct sockaddr *address = info->client_addr;
    if (address->sa_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)address;
        return (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
    }
    if (address->sa_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)address;
        const unsigned char *bytes = v6->sin6_addr.s6_addr;
        if (IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr))
            return 1;
        return IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr) && bytes[12] == 127;
    }
    return 0;
}

static void log_request(sim_server *server, const char *method, const char *url, int status,
                        int64_t start_ns, sim_fault_kind fault, int commit_fail)
{
    if (!server->log)
        return;
    char when[32];
    sim_format_time(sim_now(), when);
    double ms = (double)(sim_monotonic_ns() - start_ns) / 1e6;
    pthread_mutex_lock(&server->log_lock);
    fprintf(server->log, "%s %s %s %d %.1fms%s%s\n", when, method, url, status, ms,
            fault != SIM_FAULT_NONE ? " fault=" : "",
            fault != SIM_FAULT_NONE ? sim_fault_kind_name(fault)
                                    : commit_fail ? " fault=commitFailed" : "");
    fflush(server->log);
    pthread_mutex_unlock(&server->log_lock);
}

static enum MHD_Result queue_reply(struct MHD_Connection *connection, request_context *context)
{
    sim_reply *reply = &context->reply;
    struct MHD_Response *response =
        MHD_create_response_from_buffer(reply->len, reply->body, MHD_RESPMEM_MUST_FREE);
    if (!response)
        return MHD_NO;
    reply->body = NULL;     /* owned by the response now */
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    if (reply->retry_after > 0) {
        char seconds[16];
        snprintf(seconds, sizeof(seconds), "%d", reply->retry_after);
        MHD_add_response_header(response, MHD_HTTP_HEADER_RETRY_AFTER, seconds);
    }
    if (reply->request_id[0])
        MHD_add_response_header(response, "Request-Id", reply->request_id);
    enum MHD_Result queued = MHD_queue_response(connection, (unsigned)reply->status, response);
    MHD_destroy_response(response);
    return queued;
}

static void fill_request(sim_request *request, struct MHD_Connection *connection,
                         const char *method, const char *url, request_context *context)
{
    memset(request, 0, sizeof(*request));
    request->method = method;
    request->path = url;
    request->authorization =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    request->access_token = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
                                                        "Access-Token");
    request->query = mhd_query;
    request->query_all = mhd_query_all;
    request->query_ctx = connection;
    request->body = context->body.data;
    request->body_len = context->body.len;
}

/* Admin routes: loopback only, no token, no faults, not counted. */
static enum MHD_Result answer_admin(sim_server *server, struct MHD_Connection *connection,
                                    sim_request *request, request_context *context)
{
    if (!is_loopback(connection))
        sim_front_error(server->app, &context->reply, SIM_ROUTE_NOT_FOUND,
                        "admin endpoints answer loopback clients only");
    else
        sim_dispatch(server->app, request, &context->reply);
    return queue_reply(connection, context);
}

/* The fault decision carried out around dispatch; returns the route index for the stats. */
static size_t answer_api(sim_server *server, sim_request *request, int is_write,
                         request_context *context, sim_fault_decision *decision)
{
    sim_app *app = server->app;
    const sim_front *front = sim_app_front(app);
    sim_reply *reply = &context->reply;
    int path_known;
    int route = sim_route_find(front, request->method, request->path, NULL, &path_known);
    size_t index = route < 0 ? front->route_count : (size_t)route;
    sim_faults_decide(&app->faults, is_write, decision);
    sim_stats_fault(&app->stats, decision->kind);
    switch (decision->kind) {
    case SIM_FAULT_DROPPED:
        return index;
    case SIM_FAULT_RATE_LIMITED:
        front->reply_error(reply, SIM_RATE_LIMITED, "rate limit exceeded");
        reply->retry_after = front->retry_after;
        sim_front_stamp(app, reply);
        return index;
    case SIM_FAULT_FAILED:
        front->reply_error(reply, SIM_SERVICE_UNAVAILABLE, "service unavailable (injected)");
        sim_front_stamp(app, reply);
        return index;
    default:
        break;
    }
    if (context->too_large)
        front->reply_error(reply, SIM_PAYLOAD_TOO_LARGE, "the body is larger than 8 MB");
    else
        index = sim_dispatch(app, request, reply);
    if (reply->applied)
        atomic_fetch_add(&app->stats.write_requests_applied, 1);
    if (decision->commit_fail) {
        sim_stats_fault(&app->stats, SIM_FAULT_COMMIT_FAILED);
        int applied = reply->applied;
        front->reply_error(reply, SIM_INTERNAL_ERROR, "internal error after commit (injected)");
        reply->applied = applied;
        reply->request_id[0] = '\0';   /* a new answer, a new Request-Id */
    }
    sim_front_stamp(app, reply);
    return index;
}

static enum MHD_Result process(sim_server *server, struct MHD_Connection *connection,
                               const char *url, const char *method, request_context *context)
{
    sim_request request;
    int path_known;
    fill_request(&request, connection, method, url, context);
    const sim_front *front = sim_app_front(server->app);
    int route = sim_route_find(front, method, url, NULL, &path_known);
    const sim_route *matched = route >= 0 ? &front->routes[route] : NULL;
    if (matched && matched->is_admin)
        return answer_admin(server, connection, &request, context);
    if (server->recorder)
        sim_recorder_write(server->recorder, connection, method, url, context->body.data,
                           context->body.len);
    sim_fault_decision decision;
    size_t index = answer_api(server, &request, matched && matched->is_write, context,
                              &decision);
    if (decision.kind == SIM_FAULT_DROPPED) {
        sim_stats_count(&server->app->stats, index, 0);
        log_request(server, method, url, 0, context->start_ns, decision.kind, 0);
        return MHD_NO;      /* closes the connection without an answer */
    }
    sim_stats_count(&server->app->stats, index, context->reply.status);
    log_request(server, method, url, context->reply.status, context->start_ns, decision.kind,
                decision.commit_fail);
    if (decision.delay_ms > 0) {
        context->state = STATE_WAITING;
        if (sim_delay_suspend(&server->delay, connection, decision.delay_ms) == 0)
            return MHD_YES;
    }
    return queue_reply(connection, context);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    sim_server *server = cls;
    request_context *context = *con_cls;
    if (!context) {
        context = calloc(1, sizeof(*context));
        if (!context)
            return MHD_NO;
        context->start_ns = sim_monotonic_ns();
        *con_cls = context;
        return MHD_YES;
    }
    if (context->state == STATE_WAITING)    /* resumed after its delay */
        return queue_reply(connection, context);
    if (*upload_data_size > 0) {
        if (context->body.len + *upload_data_size > MAX_BODY)
            context->too_large = 1;
        else
            sim_strbuf_append(&context->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return process(server, connection, url, method, context);
}

static void on_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)connection;
    (void)code;
    request_context *context = *con_cls;
    if (!context)
        return;
    free(context->body.data);
    sim_reply_clear(&context->reply);
    free(context);
    *con_cls = NULL;
}

int sim_server_start(sim_server *server, sim_app *app, const sim_server_options *options,
                     char *err, size_t err_size)
{
    struct sockaddr_in address;
    memset(server, 0, sizeof(*server));
    memset(&address, 0, sizeof(address));
    address.sin_family = AF_INET;
    address.sin_port = htons(options->port);
    if (inet_pton(AF_INET, options->bind_address, &address.sin_addr) != 1) {
        snprintf(err, err_size, "--bind: %s is not an IPv4 address", options->bind_address);
        return -1;
    }
    server->app = app;
    server->log = options->log;
    server->recorder = options->recorder;
    pthread_mutex_init(&server->log_lock, NULL);
    if (sim_delay_start(&server->delay)) {
        snprintf(err, err_size, "cannot start the delay thread");
        return -1;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_TURBO;
    server->daemon = MHD_start_daemon(
        flags, options->port, NULL, NULL, on_request, server,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&address,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(options->threads ? options->threads : 2),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)300,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)4000,
        MHD_OPTION_END);
    if (!server->daemon) {
        snprintf(err, err_size, "cannot listen on %s:%u", options->bind_address,
                 (unsigned)options->port);
        sim_delay_stop(&server->delay);
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(server->daemon,
                                                           MHD_DAEMON_INFO_BIND_PORT);
    server->port = info ? info->port : options->port;
    return 0;
}

void sim_server_stop(sim_server *server)
{
    sim_delay_stop(&server->delay);     /* delayed answers go out now */
    if (server->daemon) {
        struct timespec pause = { 0, 100 * 1000000L };
        nanosleep(&pause, NULL);        /* let resumed connections answer */
        MHD_stop_daemon(server->daemon);
        server->daemon = NULL;
    }
    pthread_mutex_destroy(&server->log_lock);
}
