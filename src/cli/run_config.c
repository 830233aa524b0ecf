/* run_config.c: `shipload run --config FILE [STORE...]`: the stores of a configuration file
 * (shipload-config(5), JSON read with jansson), each store's inbox run as `shipload import
 * --inbox` with the store's options, in a child process of its own (a store that fails or
 * crashes cannot stop the others), at most --jobs at once. The exit status is the worst of the
 * stores'. Secrets are never in the configuration: it names token files. SIGTERM/SIGINT are
 * passed on to the running stores, which finish their current file; no store starts after. */
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "commands.h"
#include "options.h"
#include "run.h"
#include "shipload/error.h"
#include "shipload/remote.h"

#define MAX_STORE_ARGS 64

/* How a store key becomes import options: a path (made absolute against the configuration's
 * folder), a string, a number or a flag pair. One table for every key. */
typedef enum key_kind { KEY_NAME, KEY_PATH, KEY_TEXT, KEY_NUMBER, KEY_BOOL } key_kind;

typedef struct store_key {
    const char *key;
    key_kind kind;
    const char *option;           /* the import option; for KEY_BOOL the one for true */
    const char *option_false;     /* KEY_BOOL: the option for false (NULL: none) */
    int required;
} store_key;

static const store_key store_keys[] = {
    { "name", KEY_NAME, NULL, NULL, 1 },
    { "platform", KEY_TEXT, "--platform", NULL, 0 },
    { "api_url", KEY_TEXT, "--api-url", NULL, 0 },
    { "token_file", KEY_PATH, "--token-file", NULL, 1 },
    { "inbox", KEY_PATH, "--inbox", NULL, 1 },
    { "report_dir", KEY_PATH, "--report-dir", NULL, 0 },
    { "template", KEY_TEXT, "--template", NULL, 0 },
    { "notify", KEY_BOOL, "--notify", "--no-notify", 0 },
    { "rate_limit", KEY_NUMBER, "--rate-limit", NULL, 0 },
    { "settle", KEY_NUMBER, "--settle", NULL, 0 },
    { "poll", KEY_NUMBER, "--poll", NULL, 0 },
    { "ssh_key", KEY_PATH, "--ssh-key", NULL, 0 },
    { "known_hosts", KEY_PATH, "--known-hosts", NULL, 0 },
    { "accept_new_host_key", KEY_BOOL, "--accept-new-host-key", NULL, 0 },
    { "cacert", KEY_PATH, "--cacert", NULL, 0 },
    { "header_file", KEY_PATH, "--header-file", NULL, 0 },
    { "mail_to", KEY_TEXT, "--mail-to", NULL, 0 },
    { "mail_credentials", KEY_PATH, "--mail-credentials", NULL, 0 },
    { "webhook", KEY_TEXT, "--webhook", NULL, 0 },
    { "webhook_secret_file", KEY_PATH, "--webhook-secret-file", NULL, 0 },
    { "notify_when", KEY_TEXT, "--notify-when", NULL, 0 },
};
#define STORE_KEY_COUNT (sizeof(store_keys) / sizeof(store_keys[0]))

/* Keys that would put a secret in the configuration. */
static const char *const secret_keys[] = { "token", "api_token", "password", "secret" };

typedef struct store_plan {
    const char *name;
    char *args[MAX_STORE_ARGS];   /* "import", options..., NULL; strings owned */
    int arg_count;
    pid_t pid;
    int status;
    int done;
} store_plan;

typedef struct run_config {
    json_t *root;
    char *folder;                 /* the configuration's folder, for relative paths */
    store_plan *stores;
    size_t count;
} run_config;

static int add_arg(store_plan *store, const char *text)
{
    if (store->arg_count + 2 > MAX_STORE_ARGS)
        return -1;
    store->args[store->arg_count] = strdup(text);
    if (!store->args[store->arg_count])
        return -1;
    store->arg_count++;
    store->args[store->arg_count] = NULL;
    return 0;
}

static int add_path(store_plan *store, const run_config *config, const char *path)
{
    if (path[0] == '/' || sl_remote_is_url(path) || !config->folder)
        return add_arg(store, path);
    char *full = NULL;
    if (asprintf(&full, "%s/%s", config->folder, path) < 0)
        return -1;
    int rc = add_arg(store, full);
    free(full);
    return rc;
}

/* One key of a store into import options. */
static int apply_key(store_plan *store, const run_config *config, const store_key *spec,
                     json_t *value, sl_error *err)
{
    const char *name = store->name ? store->name : "?";
    char number[32];
    switch (spec->kind) {
    case KEY_NAME:
        if (!json_is_string(value) || !json_string_length(value) ||
            strspn(json_string_value(value),
                   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
                json_string_length(value))
            return sl_error_set(err, "a store's name must be letters, digits, '.', '_' or '-'");
        store->name = json_string_value(value);
        return 0;
    case KEY_PATH:
    case KEY_TEXT:
        if (!json_is_string(value) || !json_string_length(value))
            return sl_error_set(err, "store %s: \"%s\" must be a non-empty string", name,
                                spec->key);
        if (add_arg(store, spec->option) != 0)
            return sl_error_set(err, "store %s: too many options", name);
        return (spec->kind == KEY_PATH ? add_path(store, config, json_string_value(value))
                                       : add_arg(store, json_string_value(value))) != 0
                   ? sl_error_set(err, "store %s: too many options", name)
                   : 0;
    case KEY_NUMBER:
        if (!json_is_integer(value) || json_integer_value(value) < 0)
            return sl_error_set(err, "store %s: \"%s\" must be a whole number", name, spec->key);
        snprintf(number, sizeof(number), "%lld", (long long)json_integer_value(value));
        return add_arg(store, spec->option) || add_arg(store, number)
                   ? sl_error_set(err, "store %s: too many options", name)
                   : 0;
    case KEY_BOOL:
        if (!json_is_boolean(value))
            return sl_error_set(err, "store %s: \"%s\" must be true or false", name, spec->key);
        if (json_is_true(value) || spec->option_false)
            return add_arg(store, json_is_true(value) ? spec->option : spec->option_false)
                       ? sl_error_set(err, "store %s: too many options", name)
                       : 0;
        return 0;
    }
    return 0;
}

static const store_key *key_spec(const char *key)
{
    for (size_t i = 0; i < STORE_KEY_COUNT; i++)
        if (strcmp(store_keys[i].key, key) == 0)
            return &store_keys[i];
    return NULL;
}

/* A store object into its import arguments. */
static int plan_store(store_plan *store, const run_config *config, json_t *object, size_t index,
                      sl_error *err)
{
    if (!json_is_object(object))
        return sl_error_set(err, "stores[%zu] is not an object", index);
    json_t *name = json_object_get(object, "name");
    if (!name)
        return sl_error_set(err, "stores[%zu] has no \"name\"", index);
    if (apply_key(store, config, key_spec("name"), name, err) != 0 || add_arg(store, "import"))
        return -1;
    for (size_t i = 0; i < sizeof(secret_keys) / sizeof(secret_keys[0]); i++)
        if (json_object_get(object, secret_keys[i]))
            return sl_error_set(err, "store %s: \"%s\": secrets do not go in the configuration; "
                                     "name a file with \"token_file\"", store->name,
                                secret_keys[i]);
    const char *key;
    json_t *value;
    json_object_foreach(object, key, value) {
        const store_key *spec = key_spec(key);
        if (!spec)
            return sl_error_set(err, "store %s: unknown key \"%s\"", store->name, key);
        if (spec->kind == KEY_NAME)
            continue;
        if (apply_key(store, config, spec, value, err) != 0)
            return -1;
    }
    for (size_t i = 0; i < STORE_KEY_COUNT; i++)
        if (store_keys[i].required && !json_object_get(object, store_keys[i].key))
            return sl_error_set(err, "store %s: \"%s\" is required", store->name,
                                store_keys[i].key);
    return 0;
}

static void config_free(run_config *config)
{
    for (size_t i = 0; i < config->count; i++)
        for (int k = 0; k < config->stores[i].arg_count; k++)
            free(config->stores[i].args[k]);
    free(config->stores);
    free(config->folder);
    json_decref(config->root);
    memset(config, 0, sizeof(*config));
}

static int config_load(run_config *config, const char *path, sl_error *err)
{
    memset(config, 0, sizeof(*config));
    json_error_t json_err;
    config->root = json_load_file(path, JSON_REJECT_DUPLICATES, &json_err);
    if (!config->root)
        return sl_error_set(err, "%s:%d: %s", path, json_err.line, json_err.text);
    const char *slash = strrchr(path, '/');
    config->folder = slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : NULL;
    json_t *stores = json_object_get(config->root, "stores");
    if (!json_is_object(config->root) || !json_is_array(stores) || !json_array_size(stores))
        return sl_error_set(err, "%s: needs {\"stores\": [ {...}, ... ]} with at least one store",
                            path);
    const char *key;
    json_t *value;
    json_object_foreach(config->root, key, value)
        if (strcmp(key, "stores") != 0)
            return sl_error_set(err, "%s: unknown key \"%s\"", path, key);
    config->stores = calloc(json_array_size(stores), sizeof(store_plan));
    if (!config->stores)
        return sl_error_set(err, "out of memory");
    for (size_t i = 0; i < json_array_size(stores); i++) {
        config->count++;
        if (plan_store(&config->stores[i], config, json_array_get(stores, i), i, err) != 0)
            return -1;
        for (size_t k = 0; k < i; k++)
            if (strcmp(config->stores[k].name, config->stores[i].name) == 0)
                return sl_error_set(err, "%s: two stores are named %s", path,
                                    config->stores[i].name);
    }
    return 0;
}

/* The stores to run: those named on the command line (all without names). */
static int select_stores(run_config *config, const cli_options *options, sl_error *err)
{
    for (int i = 0; i < options->operand_count; i++) {
        size_t k = 0;
        while (k < config->count && strcmp(config->stores[k].name, options->operands[i]) != 0)
            k++;
        if (k == config->count)
            return sl_error_set(err, "no store named %s in %s", options->operands[i],
                                options->config_file);
    }
    for (size_t k = 0; k < config->count; k++) {
        int wanted = options->operand_count == 0;
        for (int i = 0; i < options->operand_count; i++)
            wanted |= strcmp(config->stores[k].name, options->operands[i]) == 0;
        config->stores[k].done = !wanted;
        config->stores[k].status = -1;
    }
    return 0;
}

static int add_common(run_config *config, const cli_options *options)
{
    for (size_t k = 0; k < config->count; k++) {
        store_plan *store = &config->stores[k];
        if (add_arg(store, "--progress=never") || (options->watch && add_arg(store, "--watch")) ||
            (options->quiet && add_arg(store, "--quiet")) ||
            (options->verbose && add_arg(store, "--verbose")))
            return -1;
    }
    return 0;
}

static void start_store(store_plan *store, int quiet)
{
    fflush(stdout);
    fflush(stderr);
    store->pid = fork();
    if (store->pid == 0) {
        int status = cli_import(store->arg_count, store->args);
        fflush(stdout);
        fflush(stderr);
        _exit(status);
    }
    if (store->pid < 0) {
        fprintf(stderr, "shipload run: store %s: cannot start: %s\n", store->name,
                strerror(errno));
        store->status = SL_EXIT_FATAL;
        store->done = 1;
        return;
    }
    if (!quiet)
        fprintf(stderr, "run: store %s: started\n", store->name);
}

/* Waits for one store to end; records its status. Forwards a signal to the running stores. */
static void wait_one(run_config *config, int quiet, int *forwarded)
{
    int wait_status = 0;
    pid_t pid;
    while ((pid = waitpid(-1, &wait_status, 0)) < 0) {
        if (errno != EINTR)
            return;
        if (cli_interrupted() && !*forwarded) {
            for (size_t k = 0; k < config->count; k++)
                if (config->stores[k].pid > 0 && !config->stores[k].done)
                    kill(config->stores[k].pid, cli_interrupted());
            *forwarded = 1;
        }
    }
    for (size_t k = 0; k < config->count; k++) {
        store_plan *store = &config->stores[k];
        if (store->pid != pid)
            continue;
        store->done = 1;
        store->status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : SL_EXIT_FATAL;
        if (!quiet || store->status != SL_EXIT_OK)
            fprintf(stderr, "run: store %s: exit %d%s\n", store->name, store->status,
                    WIFEXITED(wait_status) ? "" : " (it was killed)");
    }
}

static int run_stores(run_config *config, const cli_options *options)
{
    size_t running = 0, next = 0;
    int forwarded = 0, worst = SL_EXIT_OK;
    for (;;) {
        while (!cli_interrupted() && running < (size_t)options->jobs && next < config->count) {
            store_plan *store = &config->stores[next++];
            if (store->done)
                continue;
            start_store(store, options->quiet);
            running += store->pid > 0;
        }
        if (running == 0)
            break;
        wait_one(config, options->quiet, &forwarded);
        running--;
    }
    for (size_t k = 0; k < config->count; k++)
        if (config->stores[k].status >= 0)
            worst = cli_exit_worst(worst, config->stores[k].status);
    int signal_number = cli_interrupted();
    return signal_number ? (signal_number == SIGINT ? 130 : 143) : worst;
}

int cli_run(int argc, char **argv)
{
    cli_options options;
    if (cli_options_parse(&options, argc, argv, CLI_RUN, "run") != 0)
        return SL_EXIT_USAGE;
    if (options.help) {
        cli_command_help(stdout, "run");
        return SL_EXIT_OK;
    }
    if (!options.config_file) {
        fprintf(stderr, "shipload run: --config FILE is needed (see 'shipload run --help')\n");
        return SL_EXIT_USAGE;
    }
    run_config config;
    sl_error err = { "" };
    if (config_load(&config, options.config_file, &err) != 0 ||
        select_stores(&config, &options, &err) != 0 ||
        (add_common(&config, &options) != 0 && sl_error_set(&err, "too many options")))
        goto usage;
    size_t selected = 0;
    for (size_t k = 0; k < config.count; k++)
        selected += !config.stores[k].done;
    if (options.watch && selected > (size_t)options.jobs) {
        sl_error_set(&err, "--watch runs every store at once: %zu stores need --jobs %zu",
                     selected, selected);
        goto usage;
    }
    cli_interrupt_install();
    int status = run_stores(&config, &options);
    config_free(&config);
    return status;
usage:
    fprintf(stderr, "shipload run: %s\n", err.message);
    config_free(&config);
    return SL_EXIT_USAGE;
}
