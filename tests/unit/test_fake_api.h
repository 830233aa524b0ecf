/* test_fake_api.h: a fake Ecart API for the engine's unit tests, run inside the test process
 * on libmicrohttpd (a thread per connection). It serves the order reads from a store written as
 * JSON (single quotes, as in test_match_util.h): GET /api/v2/orders?ids= and ?name=, /orders/{id},
 * /orders/{id}/packages ('fullPackages'), /orders/{id}/fulfillments ('allFulfillments' plus what
 * the test adds), and hands every other request (the writes, and reads of paths it does not
 * serve) to the test's own handler. It
 * records every request (method, path with query, body) and can answer 401 to everything. */
#ifndef TEST_FAKE_API_H
#define TEST_FAKE_API_H

#include <check.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "shipload/http.h"
#include "shipload/match.h"

#define FAKE_MAX_REQUESTS 512

typedef struct fake_api fake_api;

/* Answers a request the store part does not: sets *status and returns a new body (or NULL
 * for {"success":true}); status 0 drops the connection. Called under the server's lock. */
typedef char *(*fake_write_fn)(fake_api *api, const char *method, const char *path,
                               const char *body, int number, int *status);

struct fake_api {
    struct MHD_Daemon *daemon;
    char url[64];
    json_t *store;              /* array of orders */
    json_t *extra_fulfillments; /* order id → array, appended to 'allFulfillments' */
    fake_write_fn on_write;
    fake_write_fn on_read;      /* when set: asked first for every GET; NULL falls through to
                                   the store */
    void *data;                 /* for the test's handler */
    int deny_all;               /* 401 to everything */
    int read_status;            /* when set: every read answers this status */
    int delay_ms;               /* before every answer */
    int drop_from;              /* when > 0: request number drop_from and later get no answer */
    pthread_mutex_t lock;
    int count;
    char *method[FAKE_MAX_REQUESTS];
    char *path[FAKE_MAX_REQUESTS];
    char *body[FAKE_MAX_REQUESTS];
    int active, max_active;
};

typedef struct fake_upload {
    char *data;
    size_t length;
} fake_upload;

static inline void fake_sleep_ms(int ms)
{
    struct timespec pause = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&pause, &pause) != 0)
        ;
}

static inline char *fake_sq(const char *text)
{
    char *copy = strdup(text);
    for (char *p = copy; *p; p++)
        if (*p == '\'')
            *p = '"';
    return copy;
}

static enum MHD_Result fake_collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                        const char *value)
{
    (void)kind;
    char *path = cls;
    size_t len = strlen(path);
    snprintf(path + len, 1024 - len, "%s%s=%s", strchr(path, '?') ? "&" : "?", key,
             value ? value : "");
    return MHD_YES;
}

static inline char *fake_normalise(const char *name, char *out, size_t cap)
{
    return sl_order_name_normalise(name, out, cap);
}

static inline int fake_order_has_name(json_t *order, const char *name)
{
    char a[256], b[256], wanted[256];
    const char *order_name = json_string_value(json_object_get(order, "name"));
    const char *number = json_string_value(json_object_get(order, "number"));
    fake_normalise(name, wanted, sizeof(wanted));
    return (order_name && strcmp(fake_normalise(order_name, a, sizeof(a)), wanted) == 0) ||
           (number && strcmp(fake_normalise(number, b, sizeof(b)), wanted) == 0);
}

static inline int fake_id_listed(const char *id, const char *ids)
{
    size_t len = strlen(id);
    for (const char *p = ids; p && *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, id, n) == 0)
            return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

static inline json_t *fake_find_order(fake_api *api, const char *id)
{
    size_t i;
    json_t *order;
    json_array_foreach(api->store, i, order)
        if (strcmp(json_string_value(json_object_get(order, "id")), id) == 0)
            return order;
    return NULL;
}

/* The store's answer to a read, or NULL when the path is not a read. */
static inline char *fake_read(fake_api *api, struct MHD_Connection *connection,
                              const char *url, int *status)
{
    *status = 200;
    json_t *answer = NULL;
    if (strcmp(url, "/api/v2/orders") == 0) {
        const char *ids = MHD_lookup_connection_value(connection, MHD_GET_ARGUMENT_KIND, "ids");
        const char *name = MHD_lookup_connection_value(connection, MHD_GET_ARGUMENT_KIND, "name");
        json_t *orders = json_array();
        size_t i;
        json_t *order;
        json_array_foreach(api->store, i, order) {
            const char *id = json_string_value(json_object_get(order, "id"));
            if ((ids && fake_id_listed(id, ids)) || (name && fake_order_has_name(order, name)))
                json_array_append(orders, order);
        }
        answer = json_pack("{s:b,s:o,s:{s:i,s:n}}", "success", 1, "orders", orders, "page",
                           "current", 1, "next");
    } else if (strncmp(url, "/api/v2/orders/", 15) == 0) {
        char id[128] = "", tail[64] = "";
        sscanf(url + 15, "%127[^/]/%63s", id, tail);
        json_t *order = fake_find_order(api, id);
        if (!order) {
            *status = 404;
            answer = json_pack("{s:b,s:{s:s,s:s}}", "success", 0, "error", "code",
                               "orderNotFound", "message", "no such order");
        } else if (tail[0] == '\0') {
            answer = json_pack("{s:b,s:O}", "success", 1, "order", order);
        } else if (strcmp(tail, "packages") == 0) {
            json_t *packages = json_object_get(order, "fullPackages");
            answer = json_pack("{s:b,s:O}", "success", 1, "packages",
                               packages ? packages : json_object_get(order, "packages"));
        } else if (strcmp(tail, "fulfillments") == 0) {
            json_t *list = json_array();
            json_t *known = json_object_get(order, "allFulfillments");
            if (known)
                json_array_extend(list, known);
            json_t *added = json_object_get(api->extra_fulfillments, id);
            if (added)
                json_array_extend(list, added);
            answer = json_pack("{s:b,s:o,s:{s:i,s:n}}", "success", 1, "fulfillments", list,
                               "page", "current", 1, "next");
        } else {
            return NULL;
        }
    } else {
        return NULL;
    }
    char *text = json_dumps(answer, 0);
    json_decref(answer);
    return text;
}

static enum MHD_Result fake_handle(void *cls, struct MHD_Connection *connection,
                                   const char *url, const char *method, const char *version,
                                   const char *upload_data, size_t *upload_data_size,
                                   void **state)
{
    fake_api *api = cls;
    (void)version;
    if (!*state) {
        *state = calloc(1, sizeof(fake_upload));
        return MHD_YES;
    }
    fake_upload *upload = *state;
    if (*upload_data_size > 0) {
        upload->data = realloc(upload->data, upload->length + *upload_data_size + 1);
        memcpy(upload->data + upload->length, upload_data, *upload_data_size);
        upload->length += *upload_data_size;
        upload->data[upload->length] = '\0';
        *upload_data_size = 0;
        return MHD_YES;
    }
    char path[1024];
    snprintf(path, sizeof(path), "%s", url);
    MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, fake_collect_arg, path);
    pthread_mutex_lock(&api->lock);
    int number = api->count++;
    if (number < FAKE_MAX_REQUESTS) {
        api->method[number] = strdup(method);
        api->path[number] = strdup(path);
        api->body[number] = strdup(upload->data ? upload->data : "");
    }
    api->active++;
    if (api->active > api->max_active)
        api->max_active = api->active;
    pthread_mutex_unlock(&api->lock);
    if (api->delay_ms)
        fake_sleep_ms(api->delay_ms);

    pthread_mutex_lock(&api->lock);
    int status = 200;
    char *body = NULL;
    if (api->drop_from > 0 && number >= api->drop_from) {
        status = 0;
    } else if (api->deny_all) {
        status = 401;
        body = strdup("{\"success\":false,\"error\":{\"code\":\"unauthorized\",\"message\":\"bad token\"}}");
    } else if (strcmp(method, "GET") == 0 && api->read_status) {
        status = api->read_status;
        body = strdup("{\"success\":false,\"error\":{\"code\":\"unavailable\",\"message\":\"down\"}}");
    } else if (strcmp(method, "GET") == 0 && api->on_read &&
               (body = api->on_read(api, method, path, "", number, &status)) != NULL) {
        /* the test's own answer */
    } else if (strcmp(method, "GET") == 0 &&
               ((body = fake_read(api, connection, url, &status)) || !api->on_write)) {
        /* a read of the store */
    } else if (api->on_write) {
        body = api->on_write(api, method, path, upload->data ? upload->data : "", number, &status);
    }
    api->active--;
    pthread_mutex_unlock(&api->lock);
    if (status == 0) {
        free(body);
        return MHD_NO;
    }
    if (!body)
        body = strdup("{\"success\":true}");
    struct MHD_Response *response =
        MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(response, "Content-Type", "application/json");
    enum MHD_Result result = MHD_queue_response(connection, (unsigned)status, response);
    MHD_destroy_response(response);
    return result;
}

static void fake_completed(void *cls, struct MHD_Connection *connection, void **state,
                           enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)connection;
    (void)code;
    fake_upload *upload = *state;
    if (upload) {
        free(upload->data);
        free(upload);
    }
    *state = NULL;
}

static inline fake_api *fake_api_start(const char *store_sq)
{
    fake_api *api = calloc(1, sizeof(*api));
    char *text = fake_sq(store_sq);
    json_error_t error;
    api->store = json_loads(text, 0, &error);
    if (!api->store)
        fprintf(stderr, "fake store: %s at %d\n", error.text, error.position);
    ck_assert_ptr_nonnull(api->store);
    free(text);
    api->extra_fulfillments = json_object();
    pthread_mutex_init(&api->lock, NULL);
    api->daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
                                   0, NULL, NULL, fake_handle, api,
                                   MHD_OPTION_NOTIFY_COMPLETED, fake_completed, api,
                                   MHD_OPTION_END);
    ck_assert_ptr_nonnull(api->daemon);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(api->daemon, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(api->url, sizeof(api->url), "http://127.0.0.1:%u", (unsigned)info->port);
    return api;
}

static inline void fake_api_stop(fake_api *api)
{
    MHD_stop_daemon(api->daemon);
    for (int i = 0; i < api->count && i < FAKE_MAX_REQUESTS; i++) {
        free(api->method[i]);
        free(api->path[i]);
        free(api->body[i]);
    }
    json_decref(api->store);
    json_decref(api->extra_fulfillments);
    pthread_mutex_destroy(&api->lock);
    free(api);
}

/* Requests whose method is `method` and whose path starts with `prefix`. */
static inline int fake_count(fake_api *api, const char *method, const char *prefix)
{
    int n = 0;
    pthread_mutex_lock(&api->lock);
    for (int i = 0; i < api->count && i < FAKE_MAX_REQUESTS; i++)
        n += strcmp(api->method[i], method) == 0 &&
             strncmp(api->path[i], prefix, strlen(prefix)) == 0;
    pthread_mutex_unlock(&api->lock);
    return n;
}

/* Adds a fulfillment (single-quoted JSON) that GET /orders/{id}/fulfillments will list. */
static inline void fake_add_fulfillment(fake_api *api, const char *order_id, const char *sq)
{
    char *text = fake_sq(sq);
    json_t *fulfillment = json_loads(text, 0, NULL);
    free(text);
    ck_assert_ptr_nonnull(fulfillment);
    json_t *list = json_object_get(api->extra_fulfillments, order_id);
    if (!list) {
        list = json_array();
        json_object_set_new(api->extra_fulfillments, order_id, list);
    }
    json_array_append_new(list, fulfillment);
}

/* A client for the fake: fast back-off, no jitter surprises. */
static inline sl_http *fake_client(fake_api *api, int concurrency, int max_attempts)
{
    sl_http_options options;
    sl_http_options_init(&options);
    options.base_url = api->url;
    options.token = "T";
    options.concurrency = concurrency;
    options.max_attempts = max_attempts;
    options.backoff_base_ms = 5;
    options.backoff_max_ms = 20;
    options.timeout_ms = 5000;
    options.jitter_seed = 7;
    sl_error err = { "" };
    sl_http *http = sl_http_new(&options, &err);
    ck_assert_msg(http != NULL, "%s", err.message);
    return http;
}

#endif
