/* inbox_journal.h: an inbox's memory of what it did, one line per step, appended before the
 * step's effect (the outcomes fsync'd): "claim" (a file is about to be renamed into processing/), "start"
 * (its import begins), "done" / "failed" (the import ended with this exit status), "duplicate"
 * (the same bytes were done before). Keyed by the file's name in processing/ (unique while it is
 * there) and its SHA-256. The file is locked while a run holds it. */
#ifndef SHIPLOAD_CLI_INBOX_JOURNAL_H
#define SHIPLOAD_CLI_INBOX_JOURNAL_H

#include <stddef.h>
#include <time.h>
#include "shipload/error.h"

typedef struct inbox_step {
    time_t when;
    char state[12];               /* claim, start, done, failed, duplicate */
    char sha256[65];              /* "-" when not known yet (claim) */
    char *name;                   /* the name in processing/ (and later done/ or failed/) */
    char *detail;                 /* claim: the name it had; done/failed: exit status;
                                     duplicate: the name of the file done before */
} inbox_step;

typedef struct inbox_journal {
    int fd;
    char *path;
    inbox_step *steps;
    size_t count, cap;
} inbox_journal;

/* Opens (creating) and reads the journal, and locks it. Returns 0, 1 when another run holds
 * it, -1 on an error (err set). */
int inbox_journal_open(inbox_journal *journal, const char *path, sl_error *err);
/* Appends a step; with durable, also makes it (and every step before) durable (fsync) before
 * returning. Names with a tab or a line break are refused. */
int inbox_journal_add(inbox_journal *journal, const char *state, const char *sha256,
                      const char *name, const char *detail, int durable, sl_error *err);
/* The last step about name, or NULL. */
const inbox_step *inbox_journal_last(const inbox_journal *journal, const char *name);
/* The last "done" step for these bytes, or NULL. */
const inbox_step *inbox_journal_done(const inbox_journal *journal, const char *sha256);
/* 1 when some step ever named name. */
int inbox_journal_knows(const inbox_journal *journal, const char *name);
void inbox_journal_close(inbox_journal *journal);

#endif
