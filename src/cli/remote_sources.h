/* remote_sources.h: the command line's view of remote sources: the remote options taken from
 * cli_options, opening a source that may be a URL, and SOURCE operands whose last segment is a
 * glob (sftp://host/outbox/ *.csv) expanded into the files the server lists. */
#ifndef SHIPLOAD_CLI_REMOTE_SOURCES_H
#define SHIPLOAD_CLI_REMOTE_SOURCES_H

#include "options.h"
#include "shipload/remote.h"

/* The remote options of the command line (borrowed strings). */
void cli_remote_options(const cli_options *options, sl_remote_options *remote);

/* Opens a path, "-" or a remote URL as a stream. */
sl_stream *cli_stream_open(const char *source, const cli_options *options, sl_error *err);

/* Replaces options->operands by the list with every remote glob expanded (in place when there
 * is none). *owned is what to free with cli_free_sources afterwards (NULL when nothing was
 * expanded). A glob that matches nothing is said on stderr and dropped. Returns 0, or the exit
 * status of a failure (3: the server could not be listed), printed as "shipload COMMAND: ...". */
int cli_expand_sources(cli_options *options, const char *command, char ***owned,
                       size_t *owned_count);
void cli_free_sources(char **owned, size_t owned_count);

#endif
