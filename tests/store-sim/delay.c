/* delay.c: resumes suspended connections when their time comes (see delay.h); a binary min-heap
 * ordered by due time, one thread waiting on a condition variable with a deadline. */
#include <stdlib.h>
#include <time.h>
#include "delay.h"

int64_t sim_monotonic_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
}

static void heap_swap(sim_delay_entry *a, sim_delay_entry *b)
{
    sim_delay_entry t = *a;
    *a = *b;
    *b = t;
}

static void heap_push(sim_delay *delay, sim_delay_entry entry)
{
    size_t i = delay->count++;
    delay->heap[i] = entry;
    while (i > 0 && delay->heap[(i - 1) / 2].due_ns > delay->heap[i].due_ns) {
        heap_swap(&delay->heap[(i - 1) / 2], &delay->heap[i]);
        i = (i - 1) / 2;
    }
}

static sim_delay_entry heap_pop(sim_delay *delay)
{
    sim_delay_entry top = delay->heap[0];
    delay->heap[0] = delay->heap[--delay->count];
    for (size_t i = 0;;) {
        size_t smallest = i, left = 2 * i + 1, right = 2 * i + 2;
        if (left < delay->count && delay->heap[left].due_ns < delay->heap[smallest].due_ns)
            smallest = left;
        if (right < delay->count && delay->heap[right].due_ns < delay->heap[smallest].due_ns)
            smallest = right;
        if (smallest == i)
            break;
        heap_swap(&delay->heap[i], &delay->heap[smallest]);
        i = smallest;
    }
    return top;
}

static void *delay_thread(void *arg)
{
    sim_delay *delay = arg;
    pthread_mutex_lock(&delay->lock);
    while (!delay->stopping) {
        if (delay->count == 0) {
            pthread_cond_wait(&delay->wake, &delay->lock);
            continue;
        }
        int64_t now = sim_monotonic_ns();
        if (delay->heap[0].due_ns <= now) {
            sim_delay_entry entry = heap_pop(delay);
            MHD_resume_connection(entry.connection);
            continue;
        }
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        int64_t wait_ns = delay->heap[0].due_ns - now;
        until.tv_sec += wait_ns / 1000000000LL;
        until.tv_nsec += wait_ns % 1000000000LL;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&delay->wake, &delay->lock, &until);
    }
    while (delay->count > 0)
        MHD_resume_connection(heap_pop(delay).connection);
    pthread_mutex_unlock(&delay->lock);
    return NULL;
}

int sim_delay_start(sim_delay *delay)
{
    pthread_condattr_t attributes;
    pthread_mutex_init(&delay->lock, NULL);
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    pthread_cond_init(&delay->wake, &attributes);
    pthread_condattr_destroy(&attributes);
    delay->heap = NULL;
    delay->count = delay->capacity = 0;
    delay->stopping = 0;
    delay->started = pthread_create(&delay->thread, NULL, delay_thread, delay) == 0;
    return delay->started ? 0 : -1;
}

int sim_delay_suspend(sim_delay *delay, struct MHD_Connection *connection, long ms)
{
    pthread_mutex_lock(&delay->lock);
    if (delay->stopping) {
        pthread_mutex_unlock(&delay->lock);
        return -1;
    }
    if (delay->count == delay->capacity) {
        size_t capacity = delay->capacity ? delay->capacity * 2 : 64;
        sim_delay_entry *grown = realloc(delay->heap, capacity * sizeof(*grown));
        if (!grown) {
            pthread_mutex_unlock(&delay->lock);
            return -1;
        }
        delay->heap = grown;
        delay->capacity = capacity;
    }
    /* Suspend before the timer can see the entry, so a resume never precedes the suspend. */
    MHD_suspend_connection(connection);
    heap_push(delay, (sim_delay_entry){ sim_monotonic_ns() + (int64_t)ms * 1000000LL,
                                        connection });
    pthread_cond_signal(&delay->wake);
    pthread_mutex_unlock(&delay->lock);
    return 0;
}

void sim_delay_stop(sim_delay *delay)
{
    if (!delay->started)
        return;
    pthread_mutex_lock(&delay->lock);
    delay->stopping = 1;
    pthread_cond_signal(&delay->wake);
    pthread_mutex_unlock(&delay->lock);
    pthread_join(delay->thread, NULL);
    free(delay->heap);
    pthread_mutex_destroy(&delay->lock);
    pthread_cond_destroy(&delay->wake);
    delay->started = 0;
}
