/* api_config.h: where the commands that talk to the store (import, export) find the API: the
 * base URL (--api-url, else $SHIPLOAD_API_URL, else the contract's https://api.ecartapi.com) and
 * the token (--token-file, else $SHIPLOAD_API_TOKEN; never from argv). Reads them; prints
 * nothing; the token is wiped from memory by cli_api_config_clear. */
#ifndef SHIPLOAD_CLI_API_CONFIG_H
#define SHIPLOAD_CLI_API_CONFIG_H

#include "options.h"
#include "shipload/error.h"

#define CLI_DEFAULT_API_URL "https://api.ecartapi.com"

typedef struct cli_api_config {
    char *url;                  /* without trailing slashes */
    char *token;                /* never printed, never written to a report */
    int was_dumpable;           /* PR_GET_DUMPABLE before the token was taken */
} cli_api_config;

/* Fills config; -1 with err set when the token is missing or its file unreadable (a
 * configuration error: exit 2). The token file holds the token alone: surrounding white space
 * is dropped, at most 8 KiB. */
int cli_api_config_load(const cli_options *options, cli_api_config *config, sl_error *err);
void cli_api_config_clear(cli_api_config *config);

#endif
