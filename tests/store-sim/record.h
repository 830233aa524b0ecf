/* record.h: --record-requests FILE: one JSON line per API request store-sim receives
 * ({"method", "path" with its query, "body"}), written before the request is answered, so
 * tests can compare a client's traffic byte for byte (tests/e2e/test_import_golden.sh).
 * It changes no answer and records no header (so never the token). Admin routes are not
 * recorded. */
#ifndef SIM_RECORD_H
#define SIM_RECORD_H

#include <microhttpd.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

typedef struct sim_recorder {
    FILE *file;                 /* NULL: recording off */
    pthread_mutex_t lock;
} sim_recorder;

/* Opens path for appending; -1 with errno set when it cannot. */
int sim_recorder_open(sim_recorder *recorder, const char *path);
void sim_recorder_close(sim_recorder *recorder);
/* One line for this request. The query is rebuilt from the connection's arguments in arrival
 * order, with their values decoded (as libmicrohttpd hands them over). No-op when off. */
void sim_recorder_write(sim_recorder *recorder, struct MHD_Connection *connection,
                        const char *method, const char *url, const char *body, size_t len);

#endif
