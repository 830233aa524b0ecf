/* preflight.h (docs/operations.md): what import, export and `shipload check` prove before anything is read or sent
 * (issue 15): the API's address is safe to send the token to (https, or http to loopback, or
 * --allow-http) and one cheap authenticated read (the platform adapter's probe) answers as the
 * platform with the token accepted. Redirects are never followed. Prints nothing itself. */
#ifndef SHIPLOAD_CLI_PREFLIGHT_H
#define SHIPLOAD_CLI_PREFLIGHT_H

#include <stddef.h>
#include "api_config.h"
#include "options.h"

typedef struct cli_preflight {
    int status;                 /* SL_EXIT_OK, SL_EXIT_USAGE (address, 404, redirect, not the
                                   platform) or SL_EXIT_FATAL (401, unreachable, 5xx) */
    long http_status;           /* of the probe's last attempt; 0: none received */
    int attempts;
    double seconds;             /* how long the probe took */
    char message[1200];         /* what was proved, or why not (never the token) */
} cli_preflight;

/* localhost, *.localhost, 127.0.0.0/8, ::1 (bracketed or not): traffic that never leaves the
 * machine, so plain http/smtp is acceptable there. */
int cli_is_loopback_host(const char *host);

/* Checks the address alone: SL_EXIT_OK, or SL_EXIT_USAGE with result->message set. */
int cli_preflight_check_url(const cli_options *options, const char *url, cli_preflight *result);

/* The address check, then the probe. Returns result->status. `progress` draws "waiting for the
 * API: retry N of M in S s" on stderr while the probe waits for a retry. */
int cli_preflight_run(const cli_options *options, const cli_api_config *api, int progress,
                      cli_preflight *result);

#endif
