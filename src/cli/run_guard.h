/* run_guard.h: what comes before a run that talks to the store's API (import, export) and
 * after it (issue 15): the per-store lock (exit 75 when another run holds it, before the API
 * is read), then the preflight (exit 2 or 3 before any source is read); at the end, the exit
 * status of a run stopped by a signal (128 + the signal). Prints the cause of a refusal. */
#ifndef SHIPLOAD_CLI_RUN_GUARD_H
#define SHIPLOAD_CLI_RUN_GUARD_H

#include "api_config.h"
#include "lock.h"
#include "options.h"

/* Takes the lock and runs the preflight. SL_EXIT_OK with the lock held, else the exit status
 * (75, 2, 3) with the cause printed as "shipload COMMAND: ..." and the lock released. With
 * `cause` non-NULL the message is copied there too (for a notification). */
int cli_run_guard_begin(const cli_options *options, const cli_api_config *api,
                        const char *command, cli_lock *lock, char *cause, size_t cause_cap);
/* Releases the lock; returns status, or 128 + the signal when SIGINT/SIGTERM stopped the run. */
int cli_run_guard_end(cli_lock *lock, int status);

#endif
