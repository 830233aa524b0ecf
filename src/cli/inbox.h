/* inbox.h: `shipload import --inbox DIR|URL`: every complete file of a folder (local, or on an
 * SFTP/FTPS server) imported once, claimed into processing/ and moved to done/ or failed/ with
 * its report directory, a journal keyed by SHA-256 so the same bytes are not imported twice, a
 * file left in processing/ by a crash resumed, and --watch to keep going. */
#ifndef SHIPLOAD_CLI_INBOX_H
#define SHIPLOAD_CLI_INBOX_H

#include "api_config.h"
#include "options.h"

/* The checks of an inbox invocation (no SOURCE; a remote inbox needs -o for its journal and
 * reports; a -t template loads). Prints the problem; returns SL_EXIT_OK or SL_EXIT_USAGE. */
int cli_inbox_check(const cli_options *options);

/* Runs the inbox (once, or until SIGTERM/SIGINT with --watch). Returns the worst exit status of
 * the files imported (0 when there was nothing to do); 75 when another run holds the inbox;
 * 143/130 when a signal stopped a --watch run. */
int cli_inbox_run(const cli_options *options, const cli_api_config *api);

#endif
