/* inbox.c: the inbox run. Lists the inbox, takes the files that are complete (unchanged for
 * --settle seconds, or with a NAME.done marker), and for each: journals the claim, renames it
 * into processing/ under a name never used before, hashes it, and either notes it as a
 * duplicate (the same bytes were done before) or imports it in a child process (the import
 * entry, as a unit: crash-isolated, its memory returned) with its report directory in the
 * state folder's processing/; then journals the outcome and moves report and file to done/
 * (exit 0 or 1) or failed/ (fatal). Every step is journaled before its effect (an outcome is
 * fsync'd before the file moves), so a run started after a crash finishes what it finds in
 * processing/: from its outcome when one was journaled, else by importing it again (the
 * import reads back what landed: rows already sent come out duplicate). With --watch it waits for the
 * folder to change (inotify) or polls a remote one. Reading and importing are import.c's. */
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <fnmatch.h>
#include "import.h"
#include "inbox.h"
#include "inbox_journal.h"
#include "inbox_place.h"
#include "remote_sources.h"
#include "run.h"

#define EXIT_LOCKED 75
#define LOCAL_WATCH_MAX_MS 60000L   /* a local --watch looks again at least this often */

/* Names a 3PL's uploader uses while a file is still being written, and our own markers. */
static const char *const partial_suffixes[] = { ".done", ".part", ".partial", ".tmp",
                                                ".filepart", ".crdownload", "~" };

typedef struct inbox_run {
    const cli_options *options;
    const cli_api_config *api;
    sl_remote_options remote;
    inbox_place place;            /* where the files are */
    char *pattern;                /* glob on names (the inbox's last segment), or NULL */
    char *state_dir;              /* journal and report directories (the inbox when local) */
    inbox_journal journal;
    int worst;                    /* worst exit status so far */
    size_t imported, duplicates;
} inbox_run;

static void say(const inbox_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const inbox_run *run, const char *fmt, ...)
{
    if (run->options->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("inbox: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void complain(const char *message)
{
    fprintf(stderr, "shipload import: inbox: %s\n", message);
}

static char *path_of(const char *a, const char *b, const char *c)
{
    char *out = NULL;
    return asprintf(&out, "%s/%s%s", a, b, c) < 0 ? NULL : out;
}

/* ---------------------------------------------------------------- which files */

static int has_suffix(const char *name, const char *suffix)
{
    size_t a = strlen(name), b = strlen(suffix);
    return a > b && strcmp(name + a - b, suffix) == 0;
}

/* A name the inbox considers at all: not hidden, not a partial upload, not a marker; the
 * pattern, if any, matches. */
static int candidate(const inbox_run *run, const char *name)
{
    if (name[0] == '.')
        return 0;
    for (size_t i = 0; i < sizeof(partial_suffixes) / sizeof(partial_suffixes[0]); i++)
        if (has_suffix(name, partial_suffixes[i]))
            return 0;
    return !run->pattern || fnmatch(run->pattern, name, FNM_PERIOD) == 0;
}

static int listed(const inbox_entry *entries, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(entries[i].name, name) == 0)
            return 1;
    return 0;
}

static int by_time_then_name(const void *a, const void *b)
{
    const inbox_entry *x = a, *y = b;
    if (x->mtime != y->mtime)
        return x->mtime < y->mtime ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* ---------------------------------------------------------------- names and report dirs */

/* 1 when name is in use: a file of processing/, done/ or failed/, or a name the journal saw. */
static int name_taken(inbox_run *run, const char *name)
{
    static const char *const subs[] = { "processing", "done", "failed" };
    if (inbox_journal_knows(&run->journal, name))
        return 1;
    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
        if (run->place.ops->exists(&run->place, subs[i], name))
            return 1;
    return 0;
}

/* A name for the claimed file that no file of processing/, done/ or failed/ has and the
 * journal never saw: NAME, else NAME with the UTC time before its extension (and -2, -3 ...). */
static char *unique_name(inbox_run *run, const char *name)
{
    if (!name_taken(run, name))
        return strdup(name);
    const char *dot = strchr(name + 1, '.');
    size_t stem = dot ? (size_t)(dot - name) : strlen(name);
    char stamp[32];
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &utc);
    for (int n = 1; n < 10000; n++) {
        char *candidate_name = NULL;
        char counter[16] = "";
        if (n > 1)
            snprintf(counter, sizeof(counter), "-%d", n);
        if (asprintf(&candidate_name, "%.*s-%s%s%s", (int)stem, name, stamp, counter,
                     dot ? dot : "") < 0)
            return NULL;
        if (!name_taken(run, candidate_name))
            return candidate_name;
        free(candidate_name);
    }
    return NULL;
}

/* Removes a report directory left by an interrupted attempt (its files, then itself). */
static void remove_report_dir(const char *dir)
{
    DIR *handle = opendir(dir);
    if (!handle)
        return;
    struct dirent *entry;
    while ((entry = readdir(handle)) != NULL)
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
            unlinkat(dirfd(handle), entry->d_name, 0);
    closedir(handle);
    rmdir(dir);
}

/* The report directory of claimed name in the state folder's sub. */
static char *report_dir(const inbox_run *run, const char *sub, const char *name)
{
    char *dir = NULL;
    return asprintf(&dir, "%s/%s/%s.report", run->state_dir, sub, name) < 0 ? NULL : dir;
}

/* For a duplicate: its report directory holds duplicate.json, naming the file done before. */
static int write_duplicate_note(const inbox_run *run, const char *name, const char *sha256,
                                const inbox_step *before, sl_error *err)
{
    char *dir = report_dir(run, "processing", name);
    char *tmp = dir ? path_of(dir, "duplicate.json", ".tmp") : NULL;
    char *final = dir ? path_of(dir, "duplicate.json", "") : NULL;
    char when[32];
    struct tm utc;
    gmtime_r(&before->when, &utc);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &utc);
    json_t *note = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "input", name, "sha256", sha256,
                             "duplicate_of", before->name, "imported", when, "status",
                             "not imported again: the same bytes were imported before",
                             "complete", 1);
    int rc = 0;
    if (!dir || !tmp || !final || !note)
        rc = sl_error_set(err, "out of memory");
    else if ((mkdir(dir, 0777) != 0 && errno != EEXIST) ||
             json_dump_file(note, tmp, JSON_INDENT(2)) != 0 || rename(tmp, final) != 0)
        rc = sl_error_set(err, "cannot write %s: %s", final, strerror(errno));
    json_decref(note);
    free(dir);
    free(tmp);
    free(final);
    return rc;
}

/* ---------------------------------------------------------------- one file */

/* The SHA-256 of sub/name's raw bytes. */
static int hash_file(inbox_run *run, const char *sub, const char *name, char sha256[65],
                     sl_error *err)
{
    char *source = run->place.ops->locate(&run->place, sub, name);
    if (!source)
        return sl_error_set(err, "out of memory");
    sl_stream *stream = sl_remote_is_url(source)
                            ? sl_remote_stream_open(source, &run->remote, SL_ENCODING_AUTO, err)
                            : sl_stream_open(source, SL_ENCODING_AUTO, err);
    int rc = -1;
    if (stream && sl_stream_hash_all(stream, err) == 0) {
        sl_stream_sha256_hex(stream, sha256);
        rc = 0;
    } else if (stream) {
        char detail[sizeof(err->message)];
        snprintf(detail, sizeof(detail), "%s", err->message);
        sl_error_set(err, "%s: %s", source, detail);
    }
    sl_stream_close(stream);
    free(source);
    return rc;
}

/* Copies what the child writes on its stderr to ours and to dir/import.log, until it ends. */
static void tee_log(int from, const char *dir)
{
    char *log_path = path_of(dir, "import.log", "");
    FILE *log = log_path ? fopen(log_path, "w") : NULL;
    char buffer[4096];
    for (;;) {
        ssize_t n = read(from, buffer, sizeof(buffer));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        fwrite(buffer, 1, (size_t)n, stderr);
        if (log)
            fwrite(buffer, 1, (size_t)n, log);
    }
    if (log)
        fclose(log);
    free(log_path);
}

/* Runs the import of source with reports in dir, in a child process whose stderr also goes to
 * dir/import.log (so a file that failed before any report was written still has its reason
 * beside it). Its exit status. */
static int import_in_child(inbox_run *run, const char *source, const char *dir)
{
    int log_pipe[2];
    if ((mkdir(dir, 0777) != 0 && errno != EEXIST) || pipe(log_pipe) != 0) {
        fprintf(stderr, "shipload import: inbox: %s: %s\n", dir, strerror(errno));
        return SL_EXIT_FATAL;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "shipload import: inbox: cannot start the import: %s\n", strerror(errno));
        close(log_pipe[0]);
        close(log_pipe[1]);
        return SL_EXIT_FATAL;
    }
    if (child == 0) {
        signal(SIGTERM, SIG_IGN);   /* the run stops after this file, not in its middle */
        /* if the run dies (kill -9), so does its import: a restarted run must never find an
         * orphan still sending for the file it resumes */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(SL_EXIT_FATAL);
        close(log_pipe[0]);
        dup2(log_pipe[1], STDERR_FILENO);
        close(log_pipe[1]);
        cli_options one = *run->options;
        char *operands[1] = { (char *)source };
        one.operands = operands;
        one.operand_count = 1;
        one.report_dir = dir;
        one.inbox = NULL;
        int status = cli_import_sources(&one, run->api);
        fflush(stdout);
        fflush(stderr);
        _exit(status);
    }
    close(log_pipe[1]);
    tee_log(log_pipe[0], dir);
    close(log_pipe[0]);
    int wait_status = 0;
    while (waitpid(child, &wait_status, 0) < 0)
        if (errno != EINTR)
            return SL_EXIT_FATAL;
    return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : SL_EXIT_FATAL;
}

/* The claimed file's last moves: its report directory (in the state folder), then itself. */
static int finish(inbox_run *run, const char *name, const char *state, sl_error *err)
{
    const char *dest = strcmp(state, "failed") == 0 ? "failed" : "done";
    char *from = report_dir(run, "processing", name), *to = report_dir(run, dest, name);
    int rc = 0;
    if (!from || !to)
        rc = sl_error_set(err, "out of memory");
    else if (rename(from, to) != 0 && errno != ENOENT)
        rc = sl_error_set(err, "cannot move %s to %s: %s", from, to, strerror(errno));
    free(from);
    free(to);
    if (rc == 0)
        rc = run->place.ops->move(&run->place, "processing", name, dest, name, err);
    return rc;
}

/* Imports (or notes as a duplicate) the file at processing/name, whose last journal step is
 * `last` (NULL or "claim": from the start; "start": again; an outcome: only the moves). */
static int take_claimed(inbox_run *run, const char *name, const inbox_step *last, sl_error *err)
{
    if (last && (strcmp(last->state, "done") == 0 || strcmp(last->state, "failed") == 0 ||
                 strcmp(last->state, "duplicate") == 0))
        return finish(run, name, last->state, err);
    char sha256[65] = "";
    if (hash_file(run, "processing", name, sha256, err) != 0)
        return -1;
    const inbox_step *before = inbox_journal_done(&run->journal, sha256);
    if (before) {
        if (inbox_journal_add(&run->journal, "duplicate", sha256, name, before->name, 1, err) != 0 ||
            write_duplicate_note(run, name, sha256, before, err) != 0)
            return -1;
        /* said even with -q (and in cron mode): the 3PL sent a file twice */
        fprintf(stderr, "inbox: %s: the same bytes were imported before as %s (sha256 %.16s...): "
                        "not imported again; moved to done/\n", name, before->name, sha256);
        run->duplicates++;
        return finish(run, name, "duplicate", err);
    }
    if (inbox_journal_add(&run->journal, "start", sha256, name, "", 0, err) != 0)
        return -1;
    char *dir = report_dir(run, "processing", name);
    char *source = run->place.ops->locate(&run->place, "processing", name);
    if (!dir || !source) {
        free(dir);
        free(source);
        return sl_error_set(err, "out of memory");
    }
    remove_report_dir(dir);   /* an attempt cut short before: its reports are redone */
    int status = import_in_child(run, source, dir);
    free(dir);
    free(source);
    if (cli_interrupted() == SIGINT && status == SL_EXIT_FATAL)
        return sl_error_set(err, "%s: interrupted; left in processing/ for the next run", name);
    run->worst = cli_exit_worst(run->worst, status);
    run->imported++;
    const char *state = status <= SL_EXIT_ROWS_FAILED ? "done" : "failed";
    char detail[32];
    snprintf(detail, sizeof(detail), "exit %d", status);
    if (inbox_journal_add(&run->journal, state, sha256, name, detail, 1, err) != 0)
        return -1;
    say(run, "%s: %s (exit %d): the file and its reports move to %s/", name, state, status,
        strcmp(state, "done") == 0 ? "done" : "failed");
    return finish(run, name, state, err);
}

/* Claims inbox file `entry` (journal first, then the rename) and takes it. */
static int claim_and_take(inbox_run *run, const inbox_entry *entry, int marker)
{
    sl_error err = { "" };
    int rc = 0;
    char *name = unique_name(run, entry->name);
    if (rc == 0 && !name)
        rc = sl_error_set(&err, "out of memory");
    if (rc == 0)
        rc = inbox_journal_add(&run->journal, "claim", "-", name, entry->name, 0, &err);
    if (rc == 0 && run->place.ops->move(&run->place, NULL, entry->name, "processing", name,
                                        &err) != 0) {
        say(run, "%s: not claimed (%s)", entry->name, err.message);   /* taken by someone else */
        free(name);
        return 0;
    }
    if (rc == 0 && marker) {
        char *marker_name = path_of(".", entry->name, ".done");
        if (marker_name)
            run->place.ops->remove(&run->place, NULL, marker_name + 2);
        free(marker_name);
    }
    if (rc == 0)
        rc = take_claimed(run, name, NULL, &err);
    if (rc != 0) {
        complain(err.message);
        run->worst = cli_exit_worst(run->worst, SL_EXIT_FATAL);
    }
    free(name);
    return rc;
}

/* ---------------------------------------------------------------- the run */

/* Files a crash (or an interrupt) left in processing/: taken first, from where they were. */
static void resume(inbox_run *run)
{
    inbox_entry *entries = NULL;
    size_t count = 0;
    sl_error err = { "" };
    if (run->place.ops->list(&run->place, "processing", 0, &entries, &count, &err) != 0) {
        complain(err.message);
        run->worst = cli_exit_worst(run->worst, SL_EXIT_FATAL);
        return;
    }
    for (size_t i = 0; i < count && !cli_interrupted(); i++) {
        /* processing/ is the run's own: a file without a step was claimed just before a crash
         * (the claim step is written without waiting for the disk) */
        if (has_suffix(entries[i].name, ".done"))
            continue;
        const inbox_step *last = inbox_journal_last(&run->journal, entries[i].name);
        say(run, "%s: found in processing/ (last step: %s): resumed", entries[i].name,
            last ? last->state : "none");
        if (take_claimed(run, entries[i].name, last, &err) != 0) {
            complain(err.message);
            run->worst = cli_exit_worst(run->worst, SL_EXIT_FATAL);
        }
    }
    inbox_entries_free(entries, count);
}

/* One look at the inbox: takes every complete file (oldest first). Sets *next_ms to when the
 * next file still settling will be complete (-1: none). Returns the number of files taken. */
static size_t sweep(inbox_run *run, long *next_ms)
{
    inbox_entry *entries = NULL;
    size_t count = 0, taken = 0;
    sl_error err = { "" };
    *next_ms = -1;
    if (run->place.ops->list(&run->place, NULL, 1, &entries, &count, &err) != 0) {
        complain(err.message);
        run->worst = cli_exit_worst(run->worst, SL_EXIT_FATAL);
        return 0;
    }
    qsort(entries, count, sizeof(*entries), by_time_then_name);
    time_t now = time(NULL);
    for (size_t i = 0; i < count && !cli_interrupted(); i++) {
        if (!candidate(run, entries[i].name))
            continue;
        char *marker = path_of(".", entries[i].name, ".done");
        int has_marker = marker && listed(entries, count, marker + 2);
        free(marker);
        long age = (long)(now - entries[i].mtime);
        if (!has_marker && age < run->options->settle_seconds) {
            long wait_ms = (run->options->settle_seconds - age) * 1000L + 100;
            if (*next_ms < 0 || wait_ms < *next_ms)
                *next_ms = wait_ms;
            continue;
        }
        claim_and_take(run, &entries[i], has_marker);
        taken++;
    }
    inbox_entries_free(entries, count);
    return taken;
}

static long watch_timeout(const inbox_run *run, long next_ms)
{
    long limit = run->place.ops == NULL || run->place.watch_fd >= 0
                     ? LOCAL_WATCH_MAX_MS
                     : run->options->poll_seconds * 1000L;
    return next_ms >= 0 && next_ms < limit ? next_ms : limit;
}

static int loop(inbox_run *run)
{
    resume(run);
    for (;;) {
        long next_ms = -1;
        size_t taken = cli_interrupted() ? 0 : sweep(run, &next_ms);
        if (cli_interrupted())
            break;
        if (!run->options->watch) {
            if (next_ms >= 0)
                say(run, "files still being written are left for the next run (--settle %ld)",
                    run->options->settle_seconds);
            break;
        }
        if (taken == 0)
            run->place.ops->wait(&run->place, watch_timeout(run, next_ms));
        if (cli_interrupted())
            break;
    }
    int signal_number = cli_interrupted();
    if (signal_number)
        return signal_number == SIGINT ? 130 : 143;
    return run->worst;
}

/* Splits the inbox into the folder and a glob on names (its last segment, when it has one). */
static int split_inbox(inbox_run *run, char **folder, sl_error *err)
{
    const char *inbox = run->options->inbox;
    const char *slash = strrchr(inbox, '/');
    int glob = slash ? strpbrk(slash + 1, "*?[") != NULL : strpbrk(inbox, "*?[") != NULL;
    if (!glob) {
        *folder = strdup(inbox);
        return *folder ? 0 : sl_error_set(err, "out of memory");
    }
    *folder = slash ? strndup(inbox, (size_t)(slash - inbox) + 1) : strdup(".");
    run->pattern = strdup(slash ? slash + 1 : inbox);
    return *folder && run->pattern ? 0 : sl_error_set(err, "out of memory");
}

static int state_prepare(inbox_run *run, sl_error *err)
{
    static const char *const subs[] = { "processing", "done", "failed" };
    if (mkdir(run->state_dir, 0777) != 0 && errno != EEXIST)
        return sl_error_set(err, "cannot create %s: %s", run->state_dir, strerror(errno));
    for (size_t i = 0; i < 3; i++) {
        char *dir = path_of(run->state_dir, subs[i], "");
        int rc = dir && (mkdir(dir, 0777) == 0 || errno == EEXIST)
                     ? 0
                     : sl_error_set(err, "cannot create %s: %s", dir ? dir : "",
                                    strerror(errno));
        free(dir);
        if (rc != 0)
            return -1;
    }
    char *journal_path = path_of(run->state_dir, ".shipload-journal", "");
    if (!journal_path)
        return sl_error_set(err, "out of memory");
    int rc = inbox_journal_open(&run->journal, journal_path, err);
    free(journal_path);
    return rc;
}

int cli_inbox_check(const cli_options *options)
{
    if (options->operand_count > 0) {
        fprintf(stderr, "shipload import: --inbox takes no SOURCE (the inbox names them)\n");
        return SL_EXIT_USAGE;
    }
    if (options->dry_run) {   /* a dry run's file would be journaled as done */
        fprintf(stderr, "shipload import: --dry-run does not go with --inbox (an inbox moves and "
                        "journals its files); dry-run the file itself\n");
        return SL_EXIT_USAGE;
    }
    if (sl_remote_is_url(options->inbox) && !options->report_dir) {
        fprintf(stderr, "shipload import: a remote --inbox needs -o DIR, a local folder for its "
                        "journal and reports\n");
        return SL_EXIT_USAGE;
    }
    if (options->template_name) {
        sl_error err = { "" };
        sl_template *tpl = sl_template_load(options->template_name, &err);
        if (!tpl) {
            fprintf(stderr, "shipload import: %s\n", err.message);
            return SL_EXIT_USAGE;
        }
        sl_template_free(tpl);
    }
    return SL_EXIT_OK;
}

int cli_inbox_run(const cli_options *options, const cli_api_config *api)
{
    inbox_run run;
    memset(&run, 0, sizeof(run));
    run.options = options;
    run.api = api;
    run.journal.fd = -1;
    cli_remote_options(options, &run.remote);
    if (sl_remote_is_url(options->inbox))   /* one connection for the run's own calls */
        run.remote.share = sl_remote_share_new();
    sl_error err = { "" };
    char *folder = NULL;
    int status = split_inbox(&run, &folder, &err) == 0 &&
                         inbox_place_init(&run.place, folder, &run.remote, options->watch,
                                          &err) == 0
                     ? SL_EXIT_OK
                     : SL_EXIT_USAGE;
    if (status == SL_EXIT_OK) {
        run.state_dir = strdup(options->report_dir ? options->report_dir : run.place.where);
        int rc = run.state_dir ? state_prepare(&run, &err) : sl_error_set(&err, "out of memory");
        if (rc == 0 && run.place.ops->prepare(&run.place, &err) != 0)
            rc = -1;
        status = rc == 0 ? SL_EXIT_OK : rc == 1 ? EXIT_LOCKED : SL_EXIT_FATAL;
    }
    int curl_ready = 0;
    if (status == SL_EXIT_OK) {
        /* once here, not in every import child: TLS and libcurl set up once for the run */
        curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
        status = loop(&run);
        say(&run, "%zu file%s imported, %zu duplicate%s not imported again", run.imported,
            run.imported == 1 ? "" : "s", run.duplicates, run.duplicates == 1 ? "" : "s");
    } else {
        complain(err.message);
    }
    inbox_journal_close(&run.journal);
    inbox_place_clear(&run.place);
    sl_remote_share_free(run.remote.share);
    free(run.state_dir);
    free(run.pattern);
    free(folder);
    if (curl_ready)
        curl_global_cleanup();
    return status;
}
