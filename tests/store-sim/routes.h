/* routes.h: the simulator's HTTP-independent request and reply, routing (method and path
 * pattern to handler, over the routing table of the platform front in use; front.h) and
 * dispatch, which checks the token the front's way and calls the handler. The server
 * (server.c) turns libmicrohttpd requests into sim_request and sim_reply into responses; unit
 * tests call sim_dispatch directly. Faults are not applied here. */
#ifndef SIM_ROUTES_H
#define SIM_ROUTES_H

#include <stddef.h>
#include <jansson.h>
#include "faults.h"
#include "stats.h"
#include "store.h"

#define SIM_MAX_PARAMS 3
#define SIM_PARAM_SIZE 256

struct sim_front;

/* What the handlers share; set up by main. */
typedef struct sim_app {
    sim_store *store;
    sim_stats stats;
    sim_faults faults;
    const char *token;
    const struct sim_front *front;  /* the platform served; NULL means Ecart */
    atomic_ullong answers;          /* answers stamped so far (Request-Id) */
} sim_app;

typedef struct sim_request {
    const char *method;
    const char *path;
    const char *authorization;              /* the Authorization header, or NULL */
    const char *access_token;               /* the Access-Token header, or NULL */
    const char *(*query)(void *ctx, const char *key);
    /* Every value of a repeated parameter (?ids=a&ids=b), at most max; NULL: only query. */
    size_t (*query_all)(void *ctx, const char *key, const char **values, size_t max);
    void *query_ctx;
    const char *body;
    size_t body_len;
    char params[SIM_MAX_PARAMS][SIM_PARAM_SIZE];   /* the {...} segments, in order */
} sim_request;

typedef struct sim_reply {
    int status;
    char *body;                 /* malloc'd JSON */
    size_t len;
    int retry_after;            /* > 0: send Retry-After */
    int applied;                /* a write changed the store */
    char request_id[40];        /* non-empty: send Request-Id (fronts that stamp answers) */
} sim_reply;

typedef void (*sim_handler)(sim_app *app, sim_request *request, sim_reply *reply);

typedef struct sim_route {
    const char *method;
    const char *pattern;        /* "/api/v2/orders/{orderId}" */
    sim_handler handler;
    int is_write;
    int is_admin;               /* loopback only, no token */
} sim_route;

/* The front's route for method and path: its index, or -1 (then *path_known says whether
 * another method would have matched: 405 rather than 404). Fills request->params. */
int sim_route_find(const struct sim_front *front, const char *method, const char *path,
                   sim_request *request, int *path_known);

/* Routes, checks the token (not for admin routes) and runs the handler. Returns the route
 * index used for the stats (the front's route count for an unmatched request). */
size_t sim_dispatch(sim_app *app, sim_request *request, sim_reply *reply);

/* ---- reply helpers (reply.c: platform-neutral) ---- */
void sim_reply_take(sim_reply *reply, int status, char *body, size_t len);
void sim_reply_json(sim_reply *reply, int status, json_t *json);    /* steals json; 500 on OOM */
void sim_reply_text(sim_reply *reply, int status, const char *text); /* a literal JSON text */
void sim_reply_clear(sim_reply *reply);
const char *sim_query(sim_request *request, const char *key);
/* Every value of a query parameter that may repeat; falls back to the single value. */
size_t sim_query_all(sim_request *request, const char *key, const char **values, size_t max);
/* The request body parsed as a JSON object, or NULL with why in message. */
json_t *sim_request_object(sim_request *request, char *message, size_t message_size);
/* A whole number in [min, max] written in decimal; -1 otherwise. */
int sim_parse_whole(const char *text, long min, long max, long *out);

/* ---- Ecart's reply helpers (ecart_reply.c) ---- */
void sim_reply_error(sim_reply *reply, sim_code code, const char *message);  /* Ecart's body */
/* Query helpers: a 400 reply and -1 on a bad value. */
int sim_query_paging(sim_request *request, sim_reply *reply, long *limit, long *page);
json_t *sim_page_object(long page, int has_next);
/* The request body parsed as a JSON object, or NULL with a 400 reply. */
json_t *sim_request_json(sim_request *request, sim_reply *reply);

/* ---- Ecart handlers (ecart_*.c) and the admin endpoints every front shares (admin.c) ---- */
void sim_handle_orders_list(sim_app *app, sim_request *request, sim_reply *reply);
void sim_handle_order_get(sim_app *app, sim_request *request, sim_reply *reply);
void sim_handle_order_packages(sim_app *app, sim_request *request, sim_reply *reply);
void sim_handle_packages_list(sim_app *app, sim_request *request, sim_reply *reply);
void sim_handle_package_get(sim_app *app, sim_request *request, sim_reply *reply);
void sim_handle_fulfillments_list(sim_app *app, sim_request *request, sim_reply *reply);
void sim_handle_fulfillment_get(sim_app *app, sim_request *request, sim_reply *reply);
void sim_handle_fulfillment_create(sim_app *app, sim_request *request, sim_reply *reply);
void sim_handle_fulfillment_update(sim_app *app, sim_request *request, sim_reply *reply);
void sim_handle_fulfillment_cancel(sim_app *app, sim_request *request, sim_reply *reply);
void sim_handle_bulk_create(sim_app *app, sim_request *request, sim_reply *reply);
void sim_handle_admin_state(sim_app *app, sim_request *request, sim_reply *reply);
void sim_handle_admin_stats(sim_app *app, sim_request *request, sim_reply *reply);
void sim_handle_admin_reset(sim_app *app, sim_request *request, sim_reply *reply);

#endif
