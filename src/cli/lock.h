/* lock.h (docs/operations.md): one run per (platform, store) at a time (issue 15). An flock(2) on a file named
 * after the platform and a hash of the API's base URL, under $XDG_RUNTIME_DIR (else /tmp),
 * held from before the preflight to the end of the run; the kernel drops it when the process
 * ends, however it ends. Prints nothing. */
#ifndef SHIPLOAD_CLI_LOCK_H
#define SHIPLOAD_CLI_LOCK_H

#include <stddef.h>

typedef struct cli_lock {
    int fd;                     /* -1: not held */
    char path[512];
} cli_lock;

/* Takes the lock of (platform, api_url), waiting up to wait_s seconds (0: do not wait; a
 * signal ends the wait). 0 when held; 1 when another run holds it (holder_pid set when known,
 * else 0); -1 with why set when the lock file cannot be used. */
int cli_lock_take(cli_lock *lock, const char *platform, const char *api_url, long wait_s,
                  long *holder_pid, char *why, size_t why_cap);
void cli_lock_release(cli_lock *lock);

#endif
