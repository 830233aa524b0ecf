/* check.c: `shipload check [options]`: the first-night checklist run alone (issue 15). Proves
 * what import and export would need, one line each on standard output ("ok:", "warning:",
 * "FAIL:"): the token is found (and its file is not readable by others), the API address is
 * safe, the preflight probe passes, the template loads, the report directory is writable with
 * free space. Reads no source and sends no write. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "api_config.h"
#include "commands.h"
#include "options.h"
#include "preflight.h"
#include "shipload/template.h"

#define LOW_SPACE_BYTES (100ull * 1024 * 1024)

typedef struct check_run {
    int status;                 /* the worst so far */
    int warnings;
} check_run;

static void say(check_run *run, int status, const char *fmt, const char *a, const char *b)
{
    const char *word = status == SL_EXIT_OK ? "ok" : "FAIL";
    printf("%s: ", word);
    printf(fmt, a, b);
    putchar('\n');
    if (status > run->status)
        run->status = status;
}

static void warn(check_run *run, const char *fmt, const char *a, const char *b)
{
    printf("warning: ");
    printf(fmt, a, b);
    putchar('\n');
    run->warnings++;
}

/* The token file should be readable by its owner alone (like ~/.ssh keys). */
static void check_token_file(check_run *run, const char *path)
{
    struct stat info;
    if (stat(path, &info) != 0)
        return;   /* cli_api_config_load says why */
    if (info.st_mode & (S_IRWXG | S_IRWXO)) {
        char mode[64];
        snprintf(mode, sizeof(mode), "%04o", (unsigned)(info.st_mode & 07777));
        warn(run, "--token-file %s can be read by others (mode %s): chmod 600 it", path, mode);
    } else {
        say(run, SL_EXIT_OK, "--token-file %s is readable by its owner only%s", path, "");
    }
}

static void check_api(check_run *run, const cli_options *options)
{
    cli_api_config api;
    sl_error err = { "" };
    if (options->token_file)
        check_token_file(run, options->token_file);
    if (cli_api_config_load(options, &api, &err) != 0) {
        say(run, SL_EXIT_USAGE, "%s%s", err.message, "");
        return;
    }
    say(run, SL_EXIT_OK, "token found (%s)",
        options->token_file ? "--token-file" : "$SHIPLOAD_API_TOKEN", "");
    cli_preflight preflight;
    int status = cli_preflight_run(options, &api, 0, &preflight);
    say(run, status, "%s%s", preflight.message, "");
    cli_api_config_clear(&api);
}

static void check_template(check_run *run, const cli_options *options)
{
    if (!options->template_name) {
        printf("skipped: no -t given: each file's template is detected at import\n");
        return;
    }
    sl_error err = { "" };
    sl_template *tpl = sl_template_load(options->template_name, &err);
    if (!tpl) {
        say(run, SL_EXIT_USAGE, "template %s: %s", options->template_name, err.message);
        return;
    }
    say(run, SL_EXIT_OK, "template %s loads (%s)", options->template_name, sl_template_name(tpl));
    sl_template_free(tpl);
}

/* The directory itself when it exists, else the one it would be created in. */
static void check_report_dir(check_run *run, const cli_options *options)
{
    const char *dir = options->report_dir ? options->report_dir : ".";
    char parent[4096];
    struct stat info;
    const char *probe = dir;
    if (stat(dir, &info) != 0) {
        snprintf(parent, sizeof(parent), "%s", dir);
        char *slash = strrchr(parent, '/');
        if (slash && slash != parent)
            *slash = '\0';
        else
            snprintf(parent, sizeof(parent), "%s", slash ? "/" : ".");
        probe = parent;
    } else if (!S_ISDIR(info.st_mode)) {
        say(run, SL_EXIT_USAGE, "report directory %s exists and is not a directory%s", dir, "");
        return;
    }
    if (access(probe, W_OK | X_OK) != 0) {
        say(run, SL_EXIT_USAGE, "report directory %s: %s", probe, strerror(errno));
        return;
    }
    struct statvfs space;
    if (statvfs(probe, &space) == 0) {
        unsigned long long free_bytes = (unsigned long long)space.f_bavail * space.f_frsize;
        char amount[64];
        snprintf(amount, sizeof(amount), "%.1f GiB free", (double)free_bytes / (1u << 30));
        if (free_bytes < LOW_SPACE_BYTES)
            warn(run, "report directory %s: only %s", probe, amount);
        else
            say(run, SL_EXIT_OK, "report directory %s is writable, %s", probe, amount);
    }
}

int cli_check(int argc, char **argv)
{
    cli_options options;
    if (cli_options_parse(&options, argc, argv, CLI_CHECK, "check") != 0)
        return SL_EXIT_USAGE;
    if (options.help) {
        cli_command_help(stdout, "check");
        return SL_EXIT_OK;
    }
    if (options.operand_count > 0) {
        fprintf(stderr, "shipload check: takes no SOURCE (see 'shipload check --help')\n");
        return SL_EXIT_USAGE;
    }
    check_run run = { SL_EXIT_OK, 0 };
    check_api(&run, &options);
    check_template(&run, &options);
    check_report_dir(&run, &options);
    printf("%s", run.status == SL_EXIT_OK ? "check: ready" : "check: not ready");
    printf(run.warnings ? " (%d warning%s)\n" : "\n", run.warnings, run.warnings == 1 ? "" : "s");
    fflush(stdout);
    return run.status;
}
