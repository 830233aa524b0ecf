/* api_config.c: the API's address and token for import and export (api_config.h). Does not
 * talk to the network and never prints the token. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api_config.h"

#define TOKEN_FILE_MAX 8192

static const char token_space[] = " \t\r\n";

static void wipe(char *secret)
{
    if (!secret)
        return;
    volatile char *byte = secret;
    while (*byte)
        *byte++ = '\0';
}

void cli_secret_free(char *secret)
{
    wipe(secret);
    free(secret);
}

/* The file's content without surrounding white space, or NULL with err set. */
char *cli_read_secret_file(const char *option, const char *path, sl_error *err)
{
    FILE *file = fopen(path, "rb");
    if (!file) {
        sl_error_set(err, "%s %s: %s", option, path, strerror(errno));
        return NULL;
    }
    char *content = calloc(1, TOKEN_FILE_MAX + 1);
    size_t got = content ? fread(content, 1, TOKEN_FILE_MAX + 1, file) : 0;
    fclose(file);
    if (!content) {
        sl_error_set(err, "out of memory");
        return NULL;
    }
    if (got > TOKEN_FILE_MAX) {
        wipe(content);
        free(content);
        sl_error_set(err, "%s %s: larger than %d bytes, not a secret", option, path,
                     TOKEN_FILE_MAX);
        return NULL;
    }
    while (got > 0 && strchr(token_space, content[got - 1]))
        content[--got] = '\0';
    size_t lead = strspn(content, token_space);
    memmove(content, content + lead, got - lead + 1);
    if (!content[0]) {
        free(content);
        sl_error_set(err, "%s %s: the file is empty", option, path);
        return NULL;
    }
    return content;
}

int cli_api_config_load(const cli_options *options, cli_api_config *config, sl_error *err)
{
    memset(config, 0, sizeof(*config));
    const char *url = options->api_url ? options->api_url : getenv("SHIPLOAD_API_URL");
    if (!(config->url = strdup(url && url[0] ? url : CLI_DEFAULT_API_URL)))
        return sl_error_set(err, "out of memory");
    size_t len = strlen(config->url);
    while (len > 0 && config->url[len - 1] == '/')
        config->url[--len] = '\0';

    if (options->token_file) {
        if (!(config->token = cli_read_secret_file("--token-file", options->token_file, err))) {
            cli_api_config_clear(config);
            return -1;
        }
        return 0;
    }
    const char *token = getenv("SHIPLOAD_API_TOKEN");
    if (!token || !token[0]) {
        cli_api_config_clear(config);
        return sl_error_set(err, "no API token: set SHIPLOAD_API_TOKEN or give --token-file "
                                 "FILE (never on the command line)");
    }
    if (!(config->token = strdup(token))) {
        cli_api_config_clear(config);
        return sl_error_set(err, "out of memory");
    }
    return 0;
}

void cli_api_config_clear(cli_api_config *config)
{
    wipe(config->token);
    free(config->token);
    free(config->url);
    memset(config, 0, sizeof(*config));
}
