/* server.h: the HTTP side of store-sim on libmicrohttpd (internal epoll thread pool): turns
 * requests into sim_request, applies the fault decision, dispatches, counts, logs, delays and
 * answers. Admin routes are answered only to loopback clients and are neither faulted nor
 * counted. It holds no business rule. */
#ifndef SIM_SERVER_H
#define SIM_SERVER_H

#include <stdint.h>
#include <stdio.h>
#include "delay.h"
#include "record.h"
#include "routes.h"

typedef struct sim_server {
    sim_app *app;
    struct MHD_Daemon *daemon;
    sim_delay delay;
    FILE *log;                      /* NULL: no request log */
    pthread_mutex_t log_lock;
    sim_recorder *recorder;         /* NULL: requests not recorded */
    uint16_t port;
} sim_server;

typedef struct sim_server_options {
    const char *bind_address;       /* "127.0.0.1" */
    uint16_t port;                  /* 0: any free port */
    unsigned threads;               /* worker threads, >= 1 */
    FILE *log;
    sim_recorder *recorder;         /* --record-requests; NULL: off */
} sim_server_options;

int sim_server_start(sim_server *server, sim_app *app, const sim_server_options *options,
                     char *err, size_t err_size);
void sim_server_stop(sim_server *server);

#endif
