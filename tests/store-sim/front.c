/* front.c: the table of platform fronts (--platform NAME) and the calls the core makes on the
 * front in use. */
#include <stdio.h>
#include <string.h>
#include "front.h"

static const sim_front *const fronts[] = {
    &sim_front_ecart, &sim_front_shoplazza, &sim_front_orderprotection,
};

const sim_front *sim_front_named(const char *name)
{
    for (size_t i = 0; name && i < sizeof(fronts) / sizeof(fronts[0]); i++)
        if (strcmp(fronts[i]->name, name) == 0)
            return fronts[i];
    return NULL;
}

const sim_front *sim_app_front(const sim_app *app)
{
    return app->front ? app->front : &sim_front_ecart;
}

void sim_front_error(const sim_app *app, sim_reply *reply, sim_code code, const char *message)
{
    sim_app_front(app)->reply_error(reply, code, message);
}

void sim_front_stamp(sim_app *app, sim_reply *reply)
{
    const sim_front *front = sim_app_front(app);
    if (front->stamp && !reply->request_id[0])
        front->stamp(app, reply);
}
