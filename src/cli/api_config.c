/* api_config.c: the platform, the API's address and token for import and export
 * (api_config.h), and the engine's options made from them and the command line. Does not talk
 * to the network and never prints the token; wipes every copy it made (and the environment's)
 * and keeps the process undumpable while it holds one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include "api_config.h"
#include "remote_sources.h"
#include "shipload/validate.h"
#include "run.h"

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

/* --platform, else $SHIPLOAD_PLATFORM, else the default (ecart). */
static int choose_platform(const cli_options *options, cli_api_config *config, sl_error *err)
{
    const char *name = options->platform_name;
    const char *from = "--platform";
    if (!name) {
        name = getenv("SHIPLOAD_PLATFORM");
        from = "SHIPLOAD_PLATFORM";
    }
    if (!name || !name[0]) {
        config->platform = sl_platform_default();
        return 0;
    }
    int known = 0;
    config->platform = sl_platform_find(name, &known);
    if (!config->platform && known)
        return sl_error_set(err, "%s %s: not built yet: this version of shipload has no %s "
                                 "adapter", from, name, name);
    if (!config->platform)
        return sl_error_set(err, "%s %s: unknown platform (known: %s)", from, name,
                            sl_platform_names());
    return 0;
}

/* --batch-size within what the platform takes in one request; absent: its maximum, at most
 * 50 (one fulfillment per request on a platform without bulk creates). */
static int choose_batch_size(const cli_options *options, cli_api_config *config, sl_error *err)
{
    const sl_platform *platform = config->platform;
    size_t most = platform->create_bulk && platform->caps.bulk_max ? platform->caps.bulk_max : 1;
    if (options->batch_size > 0 && (size_t)options->batch_size > most)
        return sl_error_set(err, "--batch-size %ld: %s takes at most %zu fulfillment%s per "
                                 "request", options->batch_size, platform->title, most,
                            most == 1 ? "" : "s");
    config->batch_size = options->batch_size > 0 ? (size_t)options->batch_size
                                                 : (most < 50 ? most : 50);
    return 0;
}

/* --on-conflict=update needs a platform that can change a fulfillment's tracking. */
static int check_on_conflict(const cli_options *options, const cli_api_config *config,
                             sl_error *err)
{
    if (options->on_conflict == CLI_ON_CONFLICT_UPDATE && !config->platform->update)
        return sl_error_set(err, "--on-conflict=update: %s cannot change a fulfillment's "
                                 "tracking (use skip or fail)", config->platform->title);
    return 0;
}

/* --fulfillment-status: one of the platform's statuses, any case; none on a platform that
 * takes no status. */
static int choose_fulfillment_status(const cli_options *options, cli_api_config *config,
                                     sl_error *err)
{
    const sl_platform *platform = config->platform;
    char list[400];
    if (!options->fulfillment_status)
        return 0;
    if (!platform->fulfillment_statuses)
        return sl_error_set(err, "--fulfillment-status %s: %s takes no fulfillment status",
                            options->fulfillment_status, platform->title);
    config->fulfillment_status = sl_platform_status(platform, options->fulfillment_status);
    if (!config->fulfillment_status)
        return sl_error_set(err, "--fulfillment-status %s: %s has no such fulfillment status (one "
                                 "of %s)", options->fulfillment_status, platform->title,
                            sl_platform_status_list(platform, list, sizeof(list)));
    return 0;
}

int cli_api_config_load(const cli_options *options, cli_api_config *config, sl_error *err)
{
    memset(config, 0, sizeof(*config));
    if (choose_platform(options, config, err) != 0 || choose_batch_size(options, config, err) ||
        check_on_conflict(options, config, err) ||
        choose_fulfillment_status(options, config, err))
        return -1;
    const char *url = options->api_url ? options->api_url : getenv("SHIPLOAD_API_URL");
    const char *shop = options->shop ? options->shop : getenv("SHIPLOAD_SHOP");
    if (!url || !url[0])
        url = config->platform->default_base_url;
    if (config->platform->base_url)
        config->url = config->platform->base_url(url, shop && shop[0] ? shop : NULL, err);
    else if (!url)
        sl_error_set(err, "%s needs --api-url URL", config->platform->title);
    else if (!(config->url = strdup(url)))
        sl_error_set(err, "out of memory");
    if (!config->url)
        return -1;
    size_t len = strlen(config->url);
    while (len > 0 && config->url[len - 1] == '/')
        config->url[--len] = '\0';

    if (options->token_file) {
        if (!(config->token = cli_read_secret_file("--token-file", options->token_file, err))) {
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

long cli_today(void)
{
    char date[11];
    const char *given = getenv("SHIPLOAD_TODAY");
    if (given && sl_parse_date_iso(given, date) == 0)
        return sl_date_days(date);
    return (long)(time(NULL) / 86400);
}

void cli_engine_options(const cli_options *options, const cli_api_config *config,
                        sl_engine_options *engine)
{
    memset(engine, 0, sizeof(*engine));
    engine->platform = config ? config->platform : sl_platform_default();
    engine->api_url = config ? config->url : NULL;
    engine->token = config ? config->token : NULL;
    engine->concurrency = options->concurrency;
    engine->timeout_ms = options->timeout_ms;
    engine->max_attempts = options->max_attempts;
    engine->max_wait_ms = options->max_wait_s * 1000;
    engine->verbose = options->verbose;
    engine->template_name = options->template_name;
    engine->encoding_name = options->encoding_name;
    engine->encoding = options->encoding;
    engine->date_formats = options->date_formats;
    engine->date_format_count = options->date_format_count;
    engine->excel = options->excel;
    engine->verify_tracking = options->verify_tracking;
    engine->today = cli_today();
    engine->allow_shared_tracking = options->allow_shared_tracking;
    engine->notify = options->notify;
    engine->strict = options->strict;
    engine->sheet = options->sheet;
    engine->batch_size = config ? config->batch_size : 0;
    engine->on_conflict = (sl_on_conflict)options->on_conflict;
    engine->fulfillment_status = config ? config->fulfillment_status : NULL;
    engine->dry_run = options->dry_run;
    engine->progress = cli_options_show_progress(options);
    engine->interrupted = cli_interrupted;
    engine->rate_limit = options->rate_limit;
    if (!engine->rate_limit && config && config->platform->caps.rate_per_second > 0)
        engine->rate_limit = (long)config->platform->caps.rate_per_second;  /* its own pace */
    if (config)
        engine->rate_burst = (long)config->platform->caps.rate_burst;
    cli_remote_options(options, &engine->remote);
}
