/* delay.h: a timer thread that resumes suspended libmicrohttpd connections when their delay
 * (added latency or a hang) is over, so that no worker thread sleeps. It does not build or
 * send responses; the server does that when the connection resumes. */
#ifndef SIM_DELAY_H
#define SIM_DELAY_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdint.h>

typedef struct sim_delay_entry {
    int64_t due_ns;
    struct MHD_Connection *connection;
} sim_delay_entry;

typedef struct sim_delay {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    sim_delay_entry *heap;
    size_t count, capacity;
    int stopping, started;
} sim_delay;

int sim_delay_start(sim_delay *delay);
/* Suspends the connection (the caller is in its access handler) and resumes it after ms.
 * Returns -1 when out of memory (the caller then answers at once). */
int sim_delay_suspend(sim_delay *delay, struct MHD_Connection *connection, long ms);
/* Resumes every waiting connection now and stops the thread. */
void sim_delay_stop(sim_delay *delay);
int64_t sim_monotonic_ns(void);

#endif
