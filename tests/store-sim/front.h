/* front.h: a platform front of the simulator: what differs between the platforms it can stand
 * in for (Ecart, Shoplazza, OrderProtection; --platform): the routing table and its stats
 * labels, how a request proves the token, the error body of each answer code the core itself
 * gives (401, unknown route, 405, 413, 429, 500, 503), what a rate-limited answer carries,
 * the headers stamped on every answer, how the fault flags map onto its rate limit, and the
 * store form (store.h: how its store file enters the neutral store model and how an order is
 * shown). The core (server, faults, stats, admin endpoints, the store and its ledger) calls
 * these members and never names a platform. */
#ifndef SIM_FRONT_H
#define SIM_FRONT_H

#include "routes.h"

typedef struct sim_front {
    const char *name;                   /* "ecart", the --platform value */
    const sim_route *routes;
    size_t route_count;
    const char *const *labels;          /* route_count + 1 stats labels ("unmatched" last) */
    const sim_store_form *form;
    /* 0 when the request carries the token; else the 401 answer is in reply. */
    int (*authorize)(const sim_app *app, const sim_request *request, sim_reply *reply);
    /* The platform's body and status for a code the core answers with. */
    void (*reply_error)(sim_reply *reply, sim_code code, const char *message);
    int retry_after;                    /* seconds sent with a 429; 0: no Retry-After */
    /* Adjusts the fault configuration after the flags are read (the rate limit's meaning);
     * NULL: as given. */
    void (*configure_faults)(sim_fault_config *config);
    /* Adds what every API answer carries (a Request-Id); NULL: nothing. */
    void (*stamp)(sim_app *app, sim_reply *reply);
    const char *state_prefix;           /* members before "orders" in /__sim/state */
} sim_front;

extern const sim_front sim_front_ecart;
extern const sim_front sim_front_shoplazza;
extern const sim_front sim_front_orderprotection;

/* The front named NAME ("ecart", "shoplazza", "orderprotection"), or NULL. */
const sim_front *sim_front_named(const char *name);
/* The front an app serves (Ecart when app->front is NULL). */
const sim_front *sim_app_front(const sim_app *app);
/* The front's error body for a core answer code. */
void sim_front_error(const sim_app *app, sim_reply *reply, sim_code code, const char *message);
/* Stamps the front's headers once (a reply that has its Request-Id keeps it). */
void sim_front_stamp(sim_app *app, sim_reply *reply);

#endif
