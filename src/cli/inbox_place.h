/* inbox_place.h: where an inbox's files are: a local folder (rename(2), inotify) or a folder
 * on an SFTP/FTPS server (remote.c: listings, stats, renames by quote commands; polling). One
 * table of operations per kind, so the inbox logic (inbox.c) is written once. Paths below are
 * relative to the inbox folder: NULL or "" for the folder itself, else one of its
 * subdirectories (processing, done, failed). */
#ifndef SHIPLOAD_CLI_INBOX_PLACE_H
#define SHIPLOAD_CLI_INBOX_PLACE_H

#include <time.h>
#include "shipload/error.h"
#include "shipload/remote.h"

typedef struct inbox_entry {
    char *name;
    long long size;               /* -1 unknown */
    time_t mtime;                 /* -1 unknown */
} inbox_entry;

typedef struct inbox_place inbox_place;

typedef struct inbox_place_ops {
    const char *kind;             /* "folder", "remote folder" */
    /* makes processing/, done/ and failed/ */
    int (*prepare)(inbox_place *place, sl_error *err);
    /* the regular files of sub (names; with size and time when with_facts) */
    int (*list)(inbox_place *place, const char *sub, int with_facts, inbox_entry **entries,
                size_t *count, sl_error *err);
    /* renames sub_a/a to sub_b/b, never replacing a file (-1 with errno-like detail in err) */
    int (*move)(inbox_place *place, const char *sub_a, const char *a, const char *sub_b,
                const char *b, sl_error *err);
    /* 1 when sub/name exists (remote: 0, the server refuses a rename onto a file anyway) */
    int (*exists)(inbox_place *place, const char *sub, const char *name);
    /* removes sub/name (a .done marker); failure is not an error */
    void (*remove)(inbox_place *place, const char *sub, const char *name);
    /* what shipload reads for sub/name: a path or a URL (caller frees) */
    char *(*locate)(const inbox_place *place, const char *sub, const char *name);
    /* waits for a change in the folder, at most timeout_ms; returns early on a signal */
    void (*wait)(inbox_place *place, long timeout_ms);
} inbox_place_ops;

struct inbox_place {
    const inbox_place_ops *ops;
    char *where;                  /* folder path, or folder URL ending in '/' */
    const sl_remote_options *remote;
    int watch_fd;                 /* inotify, local only; -1 */
};

/* The place for a folder path or URL (sftp://, ftps://). Returns 0 or -1 (err set). */
int inbox_place_init(inbox_place *place, const char *where, const sl_remote_options *remote,
                     int watch, sl_error *err);
void inbox_place_clear(inbox_place *place);
void inbox_entries_free(inbox_entry *entries, size_t count);

#endif
