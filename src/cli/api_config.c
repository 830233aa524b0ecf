/* api_config.c: the API's address and token for import and export (api_config.h). Does not
 * talk to the network and never prints the token; wipes every copy it made (and the
 * environment's) and keeps the process undumpable while it holds one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include "api_config.h"

#define TOKEN_FILE_MAX 8192

static const char token_space[] = " \t\r\n";

static void wipe(char *secret)
{
    if (secret)
        explicit_bzero(secret, strlen(secret));
}

/* While the process holds a token it cannot be dumped (no core file, no ptrace by another
 * user): a core would hold the token in several buffers, some of them libcurl's. */
static void hold_token(cli_api_config *config)
{
    config->was_dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* The file's content without surrounding white space, or NULL with err set. */
static char *read_token_file(const char *path, sl_error *err)
{
    FILE *file = fopen(path, "rb");
    if (!file) {
        sl_error_set(err, "--token-file %s: %s", path, strerror(errno));
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
        sl_error_set(err, "--token-file %s: larger than %d bytes, not a token", path,
                     TOKEN_FILE_MAX);
        return NULL;
    }
    while (got > 0 && strchr(token_space, content[got - 1]))
        content[--got] = '\0';
    size_t lead = strspn(content, token_space);
    memmove(content, content + lead, got - lead + 1);
    if (!content[0]) {
        free(content);
        sl_error_set(err, "--token-file %s: no token in the file", path);
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
        if (!(config->token = read_token_file(options->token_file, err))) {
            cli_api_config_clear(config);
            return -1;
        }
        hold_token(config);
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
    hold_token(config);
    explicit_bzero((char *)token, strlen(token));   /* the environment's copy: ours is enough */
    unsetenv("SHIPLOAD_API_TOKEN");
    return 0;
}

void cli_api_config_clear(cli_api_config *config)
{
    if (config->token && config->was_dumpable > 0)
        prctl(PR_SET_DUMPABLE, config->was_dumpable, 0, 0, 0);
    wipe(config->token);
    free(config->token);
    free(config->url);
    memset(config, 0, sizeof(*config));
}
