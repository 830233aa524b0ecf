/* admin.c: the simulator's own endpoints, the same on every front, without token (the server
 * allows them from loopback only): GET /__sim/state (every order with its fulfillments, in the
 * front's store-file format), GET /__sim/stats (requests by the front's routes and status,
 * faults, writes applied) and POST /__sim/reset (the store as loaded, counters and fault
 * sequence back to zero). Their bodies are the simulator's own, not a platform's. */
#include "front.h"

void sim_handle_admin_state(sim_app *app, sim_request *request, sim_reply *reply)
{
    (void)request;
    size_t len = 0;
    char *text = sim_store_dump_text(app->store, sim_app_front(app)->state_prefix, &len);
    if (text)
        sim_reply_take(reply, 200, text, len);
    else
        sim_reply_text(reply, 500, "{\"success\":false,\"message\":\"out of memory\"}");
}

void sim_handle_admin_stats(sim_app *app, sim_request *request, sim_reply *reply)
{
    (void)request;
    sim_store *store = app->store;
    const sim_front *front = sim_app_front(app);
    json_t *requests = sim_stats_json(&app->stats, front->labels, front->route_count + 1);
    json_t *writes = json_pack("{s:I, s:I, s:I, s:I}",
                               "requestsApplied",
                               (json_int_t)atomic_load(&app->stats.write_requests_applied),
                               "fulfillmentsCreated",
                               (json_int_t)atomic_load(&store->fulfillments_created),
                               "fulfillmentsUpdated",
                               (json_int_t)atomic_load(&store->fulfillments_updated),
                               "fulfillmentsCanceled",
                               (json_int_t)atomic_load(&store->fulfillments_canceled));
    json_t *faults = json_incref(json_object_get(requests, "faults"));
    json_object_del(requests, "faults");
    sim_reply_json(reply, 200, json_pack("{s:b, s:o, s:o, s:o}", "success", 1, "requests",
                                         requests, "writes", writes, "faults", faults));
}

void sim_handle_admin_reset(sim_app *app, sim_request *request, sim_reply *reply)
{
    (void)request;
    sim_store_reset(app->store);
    sim_stats_reset(&app->stats);
    sim_faults_reset(&app->faults);
    sim_reply_json(reply, 200, json_pack("{s:b}", "success", 1));
}
