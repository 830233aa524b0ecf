/* api_config.h: where the commands that talk to the store (import, export) find it: the
 * platform (--platform, else $SHIPLOAD_PLATFORM, else ecart; an unknown or unbuilt one is an
 * error), the batch size within the platform's maximum, the base URL (--api-url, else
 * $SHIPLOAD_API_URL, else the platform's default) and the token (--token-file, else
 * $SHIPLOAD_API_TOKEN; never from argv). Reads them; prints nothing; the token is wiped from
 * memory by cli_api_config_clear. */
#ifndef SHIPLOAD_CLI_API_CONFIG_H
#define SHIPLOAD_CLI_API_CONFIG_H

#include "options.h"
#include "shipload/engine.h"
#include "shipload/error.h"
#include "shipload/platform.h"

typedef struct cli_api_config {
    const sl_platform *platform; /* --platform, $SHIPLOAD_PLATFORM, else ecart */
    size_t batch_size;          /* --batch-size, checked against the platform's maximum */
    const char *fulfillment_status; /* --fulfillment-status in the platform's spelling (its
                                   table's string); NULL: not given */
    char *url;                  /* without trailing slashes */
    char *token;                /* never printed, never written to a report */
    int was_dumpable;           /* PR_GET_DUMPABLE before the token was taken */
} cli_api_config;

/* Fills config; -1 with err set when the token is missing or its file unreadable (a
 * configuration error: exit 2). The token file holds the token alone: surrounding white space
 * is dropped, at most 8 KiB. */
int cli_api_config_load(const cli_options *options, cli_api_config *config, sl_error *err);
void cli_api_config_clear(cli_api_config *config);

/* The engine's options from the command line and (for import and export) the store's config;
 * config NULL for a command that does not talk to the store (validate, detect): no platform
 * is needed to read a source. Strings are borrowed from both. */
void cli_engine_options(const cli_options *options, const cli_api_config *config,
                        sl_engine_options *engine);

/* Today for the ship-date warnings: $SHIPLOAD_TODAY (YYYY-MM-DD: tests, a file of another day
 * fed again) or the clock's UTC date, in days since 1970-01-01. */
long cli_today(void);

/* A secret kept in a file (the token, SMTP credentials, the webhook key): its content without
 * surrounding white space, at most 8 KiB; NULL with err naming `option` and the path (never
 * the content). Free with cli_secret_free, which wipes it first. */
char *cli_read_secret_file(const char *option, const char *path, sl_error *err);
void cli_secret_free(char *secret);

#endif
