/* run_guard.c: the lock and the preflight before a run, the signal exit status after it
 * (run_guard.h). The order matters: the lock first, so a second run never reads the API. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "preflight.h"
#include "run.h"
#include "run_guard.h"

int cli_run_guard_begin(const cli_options *options, const cli_api_config *api,
                        const char *command, cli_lock *lock, char *cause, size_t cause_cap)
{
    char why[1200] = "";
    long holder = 0;
    int status = SL_EXIT_OK;
    int taken = cli_lock_take(lock, api->platform->name, api->url, options->wait_lock_s, &holder,
                              why, sizeof(why));
    if (taken == 1) {
        char pid_text[48] = "";
        if (holder > 0)
            snprintf(pid_text, sizeof(pid_text), " (pid %ld)", holder);
        snprintf(why, sizeof(why), "another shipload run%s holds the lock of %s %s (%s)%s; "
                 "nothing was read or sent (exit 75: try again later, or --wait-lock SECONDS)",
                 pid_text, api->platform->name, api->url, lock->path,
                 options->wait_lock_s ? " after waiting --wait-lock seconds" : "");
        status = SL_EXIT_LOCKED;
    } else if (taken < 0) {
        status = SL_EXIT_USAGE;
    } else if (options->no_preflight) {
        cli_preflight preflight;
        status = cli_preflight_check_url(options, api->url, &preflight);
        snprintf(why, sizeof(why), "%s", preflight.message);
    } else {
        cli_preflight preflight;
        status = cli_preflight_run(options, api, cli_options_show_progress(options), &preflight);
        snprintf(why, sizeof(why), "%s", preflight.message);
        if (status == SL_EXIT_OK && options->verbose)
            fprintf(stderr, "%s: preflight: %s\n", command, why);
    }
    if (status != SL_EXIT_OK) {
        fprintf(stderr, "shipload %s: %s\n", command, why);
        cli_lock_release(lock);
        if (cause)
            snprintf(cause, cause_cap, "%s", why);
    }
    return status;
}

int cli_run_guard_end(cli_lock *lock, int status)
{
    cli_lock_release(lock);
    int signal_number = cli_interrupted();
    return signal_number ? SL_EXIT_SIGNAL_BASE + signal_number : status;
}
