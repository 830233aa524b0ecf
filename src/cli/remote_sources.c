/* remote_sources.c: remote sources on the command line: --ssh-key, --known-hosts,
 * --accept-new-host-key, --cacert and --header-file gathered for remote.c, a source opened
 * whether it is a path or a URL, and globs in remote URLs expanded before the sources are
 * read (the shell expands local ones). */
#include <stdlib.h>
#include <string.h>
#include "remote_sources.h"
#include "shipload/error.h"

void cli_remote_options(const cli_options *options, sl_remote_options *remote)
{
    memset(remote, 0, sizeof(*remote));
    remote->ssh_key = options->ssh_key;
    remote->known_hosts = options->known_hosts;
    remote->accept_new_host_key = options->accept_new_host_key;
    remote->cacert = options->cacert;
    remote->header_file = options->header_file;
    remote->connect_timeout_ms = options->timeout_ms;
}

sl_stream *cli_stream_open(const char *source, const cli_options *options, sl_error *err)
{
    if (!sl_remote_is_url(source))
        return sl_stream_open(source, options->encoding, err);
    sl_remote_options remote;
    cli_remote_options(options, &remote);
    return sl_remote_stream_open(source, &remote, options->encoding, err);
}

static int push(char ***list, size_t *count, char *item)
{
    char **grown = realloc(*list, (*count + 1) * sizeof(char *));
    if (!grown) {
        free(item);
        return -1;
    }
    *list = grown;
    grown[(*count)++] = item;
    return 0;
}

int cli_expand_sources(cli_options *options, const char *command, char ***owned,
                       size_t *owned_count)
{
    *owned = NULL;
    *owned_count = 0;
    int globs = 0;
    for (int i = 0; i < options->operand_count; i++)
        globs += sl_remote_is_url(options->operands[i]) && sl_remote_has_glob(options->operands[i]);
    if (!globs)
        return 0;
    sl_remote_options remote;
    cli_remote_options(options, &remote);
    char **list = NULL;
    size_t count = 0;
    for (int i = 0; i < options->operand_count; i++) {
        const char *operand = options->operands[i];
        if (!sl_remote_is_url(operand) || !sl_remote_has_glob(operand)) {
            char *copy = strdup(operand);
            if (!copy || push(&list, &count, copy) != 0)
                goto out_of_memory;
            continue;
        }
        char **urls = NULL;
        size_t url_count = 0;
        sl_error err = { "" };
        if (sl_remote_expand(operand, &remote, &urls, &url_count, &err) != 0) {
            fprintf(stderr, "shipload %s: %s\n", command, err.message);
            cli_free_sources(list, count);
            return SL_EXIT_FATAL;
        }
        if (url_count == 0 && !options->quiet)
            fprintf(stderr, "shipload %s: warning: %s: no file matches\n", command, operand);
        for (size_t k = 0; k < url_count; k++)
            if (push(&list, &count, urls[k]) != 0) {
                urls[k] = NULL;
                sl_remote_free_names(urls, url_count);
                goto out_of_memory;
            }
        free(urls);
    }
    *owned = list;
    *owned_count = count;
    options->operands = list;
    options->operand_count = (int)count;
    return 0;
out_of_memory:
    fprintf(stderr, "shipload %s: out of memory\n", command);
    cli_free_sources(list, count);
    return SL_EXIT_FATAL;
}

void cli_free_sources(char **owned, size_t owned_count)
{
    for (size_t i = 0; i < owned_count; i++)
        free(owned[i]);
    free(owned);
}
