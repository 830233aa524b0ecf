/* inbox_journal.c: the inbox journal as a tab-separated text file, one step a line:
 * "UTC-TIME<TAB>STATE<TAB>SHA256<TAB>NAME<TAB>DETAIL". Appended with O_APPEND (fsync'd when
 * asked); read
 * whole at start (a torn last line, left by a crash, is ignored); locked with flock so two runs
 * never share an inbox. Knows nothing of files or imports. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include "inbox_journal.h"

static int remember(inbox_journal *journal, time_t when, const char *state, const char *sha256,
                    const char *name, const char *detail)
{
    if (journal->count == journal->cap) {
        size_t cap = journal->cap ? journal->cap * 2 : 64;
        inbox_step *grown = realloc(journal->steps, cap * sizeof(*grown));
        if (!grown)
            return -1;
        journal->steps = grown;
        journal->cap = cap;
    }
    inbox_step *step = &journal->steps[journal->count];
    memset(step, 0, sizeof(*step));
    step->when = when;
    snprintf(step->state, sizeof(step->state), "%s", state);
    snprintf(step->sha256, sizeof(step->sha256), "%s", sha256);
    step->name = strdup(name);
    step->detail = strdup(detail ? detail : "");
    if (!step->name || !step->detail) {
        free(step->name);
        free(step->detail);
        return -1;
    }
    journal->count++;
    return 0;
}

static time_t parse_time(const char *text)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    if (!strptime(text, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return 0;
    return timegm(&tm);
}

/* One complete line ("...\n" removed) into a step; lines that do not parse are skipped. */
static int load_line(inbox_journal *journal, char *line)
{
    char *fields[5];
    int n = 0;
    for (char *cursor = line; n < 5; n++) {
        fields[n] = cursor;
        char *tab = strchr(cursor, '\t');
        if (!tab) {
            n++;
            break;
        }
        *tab = '\0';
        cursor = tab + 1;
    }
    if (n < 4 || strlen(fields[2]) > 64)
        return 0;
    return remember(journal, parse_time(fields[0]), fields[1], fields[2], fields[3],
                    n >= 5 ? fields[4] : "");
}

static int load(inbox_journal *journal, sl_error *err)
{
    FILE *file = fdopen(dup(journal->fd), "r");
    if (!file)
        return sl_error_set(err, "%s: %s", journal->path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    while (rc == 0 && (len = getline(&line, &cap, file)) > 0) {
        if (line[len - 1] != '\n')
            break;   /* torn by a crash: the step never happened */
        line[len - 1] = '\0';
        if (load_line(journal, line) != 0)
            rc = sl_error_set(err, "%s: out of memory", journal->path);
    }
    free(line);
    fclose(file);
    return rc;
}

int inbox_journal_open(inbox_journal *journal, const char *path, sl_error *err)
{
    memset(journal, 0, sizeof(*journal));
    journal->path = strdup(path);
    if (!journal->path)
        return sl_error_set(err, "out of memory");
    journal->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (journal->fd < 0)
        return sl_error_set(err, "cannot open the inbox journal %s: %s", path, strerror(errno));
    if (flock(journal->fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) {
            sl_error_set(err, "another shipload run is working on this inbox (%s is locked)",
                         path);
            return 1;
        }
        return sl_error_set(err, "cannot lock %s: %s", path, strerror(errno));
    }
    return load(journal, err);
}

int inbox_journal_add(inbox_journal *journal, const char *state, const char *sha256,
                      const char *name, const char *detail, int durable, sl_error *err)
{
    if (strpbrk(name, "\t\r\n") || (detail && strpbrk(detail, "\t\r\n")))
        return sl_error_set(err, "a file name with a tab or a line break cannot be journaled");
    char stamp[32];
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &utc);
    char *line = NULL;
    int len = asprintf(&line, "%s\t%s\t%s\t%s\t%s\n", stamp, state, sha256, name,
                       detail ? detail : "");
    if (len < 0)
        return sl_error_set(err, "out of memory");
    ssize_t written = write(journal->fd, line, (size_t)len);
    free(line);
    if (written != len || (durable && fsync(journal->fd) != 0))
        return sl_error_set(err, "cannot write the inbox journal %s: %s", journal->path,
                            strerror(errno));
    if (remember(journal, now, state, sha256, name, detail) != 0)
        return sl_error_set(err, "out of memory");
    return 0;
}

const inbox_step *inbox_journal_last(const inbox_journal *journal, const char *name)
{
    for (size_t i = journal->count; i-- > 0;)
        if (strcmp(journal->steps[i].name, name) == 0)
            return &journal->steps[i];
    return NULL;
}

const inbox_step *inbox_journal_done(const inbox_journal *journal, const char *sha256)
{
    for (size_t i = journal->count; i-- > 0;)
        if (strcmp(journal->steps[i].state, "done") == 0 &&
            strcmp(journal->steps[i].sha256, sha256) == 0)
            return &journal->steps[i];
    return NULL;
}

int inbox_journal_knows(const inbox_journal *journal, const char *name)
{
    return inbox_journal_last(journal, name) != NULL;
}

void inbox_journal_close(inbox_journal *journal)
{
    for (size_t i = 0; i < journal->count; i++) {
        free(journal->steps[i].name);
        free(journal->steps[i].detail);
    }
    free(journal->steps);
    if (journal->fd > 0)
        close(journal->fd);
    free(journal->path);
    memset(journal, 0, sizeof(*journal));
}
