/* main.c: store-sim's command line: reads the flags, picks the platform front (--platform),
 * loads or generates the store in that platform's form, optionally writes it out, starts the
 * server, prints "listening on http://ADDR:PORT" as the first line
 * on stdout, and stops cleanly on SIGTERM or SIGINT. See README.md for every flag. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "front.h"
#include "generate.h"
#include "server.h"

#define SIM_VERSION "1.0"

typedef struct options {
    const char *store_path, *write_path, *log_path, *record_path, *token, *token_file;
    const char *bind_address, *platform;
    long port, generate, threads;
    int port_given;
    uint64_t seed;
    sim_fault_config faults;
} options;

static const char usage[] =
    "usage: store-sim --token TOKEN [--store FILE | --generate N [--seed S]] [options]\n"
    "  --platform NAME        the API to stand in for: ecart (default), shoplazza,\n"
    "                         orderprotection; the store file is in that platform's form\n"
    "  --token TOKEN          the API token clients must send (or --token-file FILE, or\n"
    "                         the SIM_TOKEN environment variable)\n"
    "  --store FILE           load the store from FILE (format: tests/store-sim/README.md)\n"
    "  --generate N           generate N orders deterministically (--seed S, default 1)\n"
    "  --write-store FILE     write the loaded or generated store to FILE; exits afterwards\n"
    "                         unless --port is given too\n"
    "  --port N               port to listen on (0, the default: any free port)\n"
    "  --bind ADDR            IPv4 address to bind (default 127.0.0.1)\n"
    "  --threads N            worker threads (default 2)\n"
    "  --log FILE             one line per request (never the token)\n"
    "  --record-requests FILE one JSON line per API request: method, path?query, body\n"
    "faults (deterministic under --fault-seed S, default 1):\n"
    "  --latency-ms MS[,JITTER]  delay every answer by MS +/- JITTER milliseconds\n"
    "  --rate-limit N         at most N requests per second; the rest get 429 (shoplazza:\n"
    "                         the leaky bucket of 40 drains N per second, default 2)\n"
    "  --fail-rate P          answer 503 to a fraction P of requests, applying nothing\n"
    "  --commit-fail-rate P   apply a fraction P of writes but answer 500\n"
    "  --drop-rate P          close the connection without an answer, applying nothing\n"
    "  --hang-rate P          apply, then answer only after --hang-ms MS (default 60000)\n";

enum {
    OPT_TOKEN = 256, OPT_TOKEN_FILE, OPT_STORE, OPT_GENERATE, OPT_SEED, OPT_WRITE_STORE,
    OPT_PORT, OPT_BIND, OPT_THREADS, OPT_LOG, OPT_LATENCY, OPT_RATE_LIMIT, OPT_FAIL_RATE,
    OPT_COMMIT_FAIL_RATE, OPT_DROP_RATE, OPT_HANG_RATE, OPT_HANG_MS, OPT_FAULT_SEED, OPT_HELP,
    OPT_VERSION, OPT_RECORD, OPT_PLATFORM
};

static const struct option long_options[] = {
    { "token", required_argument, NULL, OPT_TOKEN },
    { "token-file", required_argument, NULL, OPT_TOKEN_FILE },
    { "store", required_argument, NULL, OPT_STORE },
    { "generate", required_argument, NULL, OPT_GENERATE },
    { "seed", required_argument, NULL, OPT_SEED },
    { "write-store", required_argument, NULL, OPT_WRITE_STORE },
    { "port", required_argument, NULL, OPT_PORT },
    { "bind", required_argument, NULL, OPT_BIND },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "log", required_argument, NULL, OPT_LOG },
    { "record-requests", required_argument, NULL, OPT_RECORD },
    { "latency-ms", required_argument, NULL, OPT_LATENCY },
    { "rate-limit", required_argument, NULL, OPT_RATE_LIMIT },
    { "fail-rate", required_argument, NULL, OPT_FAIL_RATE },
    { "commit-fail-rate", required_argument, NULL, OPT_COMMIT_FAIL_RATE },
    { "drop-rate", required_argument, NULL, OPT_DROP_RATE },
    { "hang-rate", required_argument, NULL, OPT_HANG_RATE },
    { "hang-ms", required_argument, NULL, OPT_HANG_MS },
    { "fault-seed", required_argument, NULL, OPT_FAULT_SEED },
    { "help", no_argument, NULL, OPT_HELP },
    { "version", no_argument, NULL, OPT_VERSION },
    { "platform", required_argument, NULL, OPT_PLATFORM },
    { NULL, 0, NULL, 0 },
};

static int bad_value(const char *flag, const char *value)
{
    fprintf(stderr, "store-sim: %s: bad value \"%s\"\n", flag, value);
    return -1;
}

static int parse_count(const char *flag, const char *text, long min, long max, long *out)
{
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (end == text || *end || errno || value < min || value > max)
        return bad_value(flag, text);
    *out = value;
    return 0;
}

static int parse_rate(const char *flag, const char *text, double *out)
{
    return sim_faults_parse_rate(text, out) ? bad_value(flag, text) : 0;
}

static int parse_option(options *opts, int code, const char *arg)
{
    long value = 0;
    switch (code) {
    case OPT_TOKEN: opts->token = arg; return 0;
    case OPT_TOKEN_FILE: opts->token_file = arg; return 0;
    case OPT_STORE: opts->store_path = arg; return 0;
    case OPT_WRITE_STORE: opts->write_path = arg; return 0;
    case OPT_BIND: opts->bind_address = arg; return 0;
    case OPT_LOG: opts->log_path = arg; return 0;
    case OPT_RECORD: opts->record_path = arg; return 0;
    case OPT_PLATFORM:
        opts->platform = arg;
        return sim_front_named(arg) ? 0 : bad_value("--platform", arg);
    case OPT_GENERATE: return parse_count("--generate", arg, 0, 10000000, &opts->generate);
    case OPT_THREADS: return parse_count("--threads", arg, 1, 64, &opts->threads);
    case OPT_PORT:
        opts->port_given = 1;
        return parse_count("--port", arg, 0, 65535, &opts->port);
    case OPT_SEED:
    case OPT_FAULT_SEED:
        if (parse_count(code == OPT_SEED ? "--seed" : "--fault-seed", arg, 0, LONG_MAX, &value))
            return -1;
        *(code == OPT_SEED ? &opts->seed : &opts->faults.seed) = (uint64_t)value;
        return 0;
    case OPT_LATENCY:
        return sim_faults_parse_latency(arg, &opts->faults.latency_ms, &opts->faults.jitter_ms)
                   ? bad_value("--latency-ms", arg) : 0;
    case OPT_RATE_LIMIT: return parse_count("--rate-limit", arg, 0, 100000000,
                                            &opts->faults.rate_limit);
    case OPT_HANG_MS: return parse_count("--hang-ms", arg, 1, 3600000, &opts->faults.hang_ms);
    case OPT_FAIL_RATE: return parse_rate("--fail-rate", arg, &opts->faults.fail_rate);
    case OPT_COMMIT_FAIL_RATE:
        return parse_rate("--commit-fail-rate", arg, &opts->faults.commit_fail_rate);
    case OPT_DROP_RATE: return parse_rate("--drop-rate", arg, &opts->faults.drop_rate);
    case OPT_HANG_RATE: return parse_rate("--hang-rate", arg, &opts->faults.hang_rate);
    default: return -1;
    }
}

static int parse_options(int argc, char **argv, options *opts)
{
    int code;
    memset(opts, 0, sizeof(*opts));
    opts->bind_address = "127.0.0.1";
    opts->platform = "ecart";
    opts->threads = 2;
    opts->seed = 1;
    opts->faults.seed = 1;
    opts->faults.hang_ms = 60000;
    while ((code = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        if (code == OPT_HELP) {
            fputs(usage, stdout);
            exit(0);
        }
        if (code == OPT_VERSION) {
            puts("store-sim " SIM_VERSION);
            exit(0);
        }
        if (code == '?' || parse_option(opts, code, optarg))
            return -1;
    }
    if (optind < argc) {
        fprintf(stderr, "store-sim: unexpected argument \"%s\"\n", argv[optind]);
        return -1;
    }
    if (opts->store_path && opts->generate) {
        fprintf(stderr, "store-sim: --store and --generate exclude each other\n");
        return -1;
    }
    return 0;
}

/* The token from --token, --token-file or SIM_TOKEN (a new string), or NULL. */
static char *read_token(const options *opts)
{
    if (opts->token)
        return strdup(opts->token);
    if (opts->token_file) {
        FILE *file = fopen(opts->token_file, "r");
        char line[4096];
        if (!file || !fgets(line, sizeof(line), file)) {
            if (file)
                fclose(file);
            fprintf(stderr, "store-sim: --token-file: cannot read %s\n", opts->token_file);
            return NULL;
        }
        fclose(file);
        line[strcspn(line, "\r\n")] = '\0';
        return strdup(line);
    }
    const char *env = getenv("SIM_TOKEN");
    return env && *env ? strdup(env) : NULL;
}

typedef struct generate_target {
    sim_store *store;
    const sim_store_form *form;
    long index;
    char err[512];
} generate_target;

/* A generated order (core form) takes the platform's traits, then enters the store. */
static int add_generated(json_t *order, void *ctx)
{
    generate_target *target = ctx;
    if (target->form->adapt_generated)
        target->form->adapt_generated(order, target->index);
    target->index++;
    return sim_store_add_core_order(target->store, order, target->err, sizeof(target->err));
}

/* Generated orders go into the store one by one, so no whole document is ever held. */
static sim_store *generated_store(const options *opts, const sim_store_form *form, char *err,
                                  size_t err_size)
{
    generate_target target = { sim_store_new((size_t)opts->generate), form, 0, "" };
    if (!target.store) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    sim_store_set_form(target.store, form);
    if (sim_generate_each(opts->generate, opts->seed, add_generated, &target)) {
        snprintf(err, err_size, "generating the store: %s",
                 target.err[0] ? target.err : "out of memory");
        sim_store_free(target.store);
        return NULL;
    }
    return target.store;
}

static sim_store *build_store(const options *opts, const sim_store_form *form)
{
    char err[600];
    sim_store *store = opts->store_path
                           ? sim_store_load_file_as(opts->store_path, form, err, sizeof(err))
                           : generated_store(opts, form, err, sizeof(err));
    if (!store)
        fprintf(stderr, "store-sim: %s\n", err);
    return store;
}

static int serve(sim_app *app, const options *opts)
{
    char err[256];
    FILE *log = NULL;
    if (opts->log_path && !(log = fopen(opts->log_path, "a"))) {
        fprintf(stderr, "store-sim: --log: cannot open %s: %s\n", opts->log_path,
                strerror(errno));
        return 1;
    }
    /* Signals are taken by sigwait below; the server's threads inherit the mask. */
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    signal(SIGPIPE, SIG_IGN);
    sim_recorder recorder;
    if (sim_recorder_open(&recorder, opts->record_path)) {
        fprintf(stderr, "store-sim: --record-requests: cannot open %s: %s\n", opts->record_path,
                strerror(errno));
        if (log)
            fclose(log);
        return 1;
    }
    sim_server server;
    sim_server_options server_options = { opts->bind_address, (uint16_t)opts->port,
                                          (unsigned)opts->threads, log,
                                          opts->record_path ? &recorder : NULL };
    if (sim_server_start(&server, app, &server_options, err, sizeof(err))) {
        fprintf(stderr, "store-sim: %s\n", err);
        sim_recorder_close(&recorder);
        if (log)
            fclose(log);
        return 1;
    }
    printf("listening on http://%s:%u\n", opts->bind_address, (unsigned)server.port);
    fflush(stdout);
    int received = 0;
    sigwait(&signals, &received);
    sim_server_stop(&server);
    fprintf(stderr, "store-sim: stopped (%s)\n", received == SIGINT ? "SIGINT" : "SIGTERM");
    sim_recorder_close(&recorder);
    if (log)
        fclose(log);
    return 0;
}

int main(int argc, char **argv)
{
    options opts;
    if (parse_options(argc, argv, &opts)) {
        fputs(usage, stderr);
        return 2;
    }
    char *token = read_token(&opts);
    int serving = !opts.write_path || opts.port_given;
    if (serving && !token) {
        fprintf(stderr, "store-sim: a token is required (--token, --token-file or SIM_TOKEN)\n");
        return 2;
    }
    sim_app app;
    memset(&app, 0, sizeof(app));
    app.token = token;
    app.front = sim_front_named(opts.platform);
    app.store = build_store(&opts, app.front->form);
    if (!app.store) {
        free(token);
        return 2;
    }
    int status = 0;
    char err[256];
    if (opts.write_path && sim_store_write_file(app.store, opts.write_path, err, sizeof(err))) {
        fprintf(stderr, "store-sim: %s\n", err);
        status = 1;
    }
    if (status == 0 && serving) {
        if (app.front->configure_faults)
            app.front->configure_faults(&opts.faults);
        sim_faults_init(&app.faults, &opts.faults);
        status = serve(&app, &opts);
        sim_faults_destroy(&app.faults);
    }
    sim_store_free(app.store);
    free(token);
    return status;
}
