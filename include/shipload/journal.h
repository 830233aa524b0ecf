/* journal.h: the import's append-only journal of writes (issue 19; docs/journal.md), the file
 * `journal.jsonl` in the run's report directory. JSON Lines: a header naming the run (its
 * source, the source's SHA-256, what reading it depended on), then, as the import goes, one
 * line per write about to be sent (the records it carries) and one line per row whose outcome
 * is known (the row as results.csv shows it). An import makes every line durable (fdatasync)
 * before it sends the next write, so after a crash or a full disk the journal names every
 * write that may have reached the store. The import removes the journal once its reports are
 * complete; `shipload report --rebuild DIR` makes the reports from a journal left behind.
 * The file is created O_EXCL|O_NOFOLLOW (never over another run's journal, never through a
 * planted link) and held under flock(LOCK_EX) while the run writes it. */
#ifndef SHIPLOAD_JOURNAL_H
#define SHIPLOAD_JOURNAL_H

#include <stddef.h>
#include "shipload/error.h"
#include "shipload/row.h"

#define SL_JOURNAL_NAME "journal.jsonl"
#define SL_JOURNAL_VERSION 1

/* What the journal's header says of the run: enough to read the source again the same way. */
typedef struct sl_journal_run {
    const char *command;            /* "import" */
    const char *source;             /* the source as given */
    const char *sha256_hex;         /* of its raw bytes; NULL: unknown */
    unsigned long long size;        /* raw bytes */
    const char *template_name;      /* the template used (given or detected) */
    const char *encoding;           /* --encoding as given; NULL: none */
    const char *sheet;              /* --sheet; NULL: none */
    const char *const *date_formats;/* --date-format, in order */
    size_t date_format_count;
    long today;                     /* the day the ship-date warnings were judged by */
    int verify_tracking, excel, strict, notify;   /* as in sl_engine_options */
    const char *platform;           /* the platform's name */
    const char *store;              /* the store's address as shown (no userinfo, no query) */
    size_t records;                 /* records read from the source */
} sl_journal_run;

typedef struct sl_journal sl_journal;

/* Creates dir/journal.jsonl and writes its header (made durable before this returns).
 * room: bytes allocated for the journal beyond its end at once (fallocate KEEP_SIZE) so that
 * a disk filling up meanwhile does not stop it (0: none; a file system that cannot is fine).
 * NULL with err when the file exists (a run that did not finish left it: rebuild first), is
 * not creatable, or there is no room. */
sl_journal *sl_journal_open(const char *dir, const sl_journal_run *run, unsigned long long room,
                            sl_error *err);

/* A write about to be sent: its kind ("create", "update", "cancel"), its order and its rows
 * (as they are before the answer, so a rebuild without the source still shows them). The
 * line is written at once (it survives the process being killed); sl_journal_sync makes it
 * durable. -1 once the journal cannot be written. */
int sl_journal_sending(sl_journal *journal, const char *kind, const char *order_id,
                       const sl_row *const *rows, size_t count);
/* A row whose outcome is known (any status but pending). -1 once the journal cannot be
 * written. */
int sl_journal_row(sl_journal *journal, const sl_row *row);
/* Makes every line written so far durable (fflush + fdatasync) when there is any new one.
 * 0, or -1 with err (the first failure is kept: every later call fails the same way). */
int sl_journal_sync(sl_journal *journal, sl_error *err);
/* The first failure ("DIR/journal.jsonl: No space left on device (ENOSPC)"), or NULL. */
const char *sl_journal_error(const sl_journal *journal);
const char *sl_journal_path(const sl_journal *journal);

/* Closes the journal; with remove, deletes the file (the run's reports are complete). */
void sl_journal_close(sl_journal *journal, int remove);

/* ---------------------------------------------------------------- reading it back */

typedef struct sl_journal_contents {
    /* the header */
    char *command, *source, *sha256_hex, *template_name, *encoding, *sheet, *platform, *store;
    char **date_formats;
    size_t date_format_count;
    unsigned long long size;
    long today;
    int verify_tracking, excel, strict, notify;
    size_t records;
    /* per record (1-based, records + 1 slots): whether a write carrying it was sent, and its
     * last outcome; status pending: no outcome, the row as it was sent (when sent) */
    unsigned char *sent;
    sl_row *outcomes;
    size_t outcome_count;           /* records with an outcome */
    size_t sent_count;              /* records sent (at least once) */
    size_t lines;                   /* lines read, header included */
    int torn_tail;                  /* the last line was cut short (a crash mid-write): ignored */
} sl_journal_contents;

/* Reads path. Fails (err) when the file is not a shipload journal or a line other than the
 * last does not decode. */
int sl_journal_read(const char *path, sl_journal_contents *out, sl_error *err);
void sl_journal_contents_clear(sl_journal_contents *contents);

/* 1 when another process holds the journal (a run still writing it), 0 when not, -1 on
 * error. */
int sl_journal_busy(const char *path, sl_error *err);

#endif
