/* inbox_place.c: the two kinds of inbox folder behind one table of operations. Local: a
 * directory, renames with renameat2(RENAME_NOREPLACE) (a move to done/ or failed/ followed by
 * an fsync of that directory, so it survives a power loss), inotify to wake a --watch run. Remote (sftp://, ftps://):
 * remote.c's listing, stat and quote-command renames; a --watch run polls. Knows nothing of
 * journals or imports. */
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include "inbox_place.h"

static const char *const subdirs[] = { "processing", "done", "failed" };
#define SUBDIR_COUNT (sizeof(subdirs) / sizeof(subdirs[0]))

static char *join(const char *a, const char *b, const char *c)
{
    char *out = NULL;
    if (asprintf(&out, "%s%s%s", a, b, c) < 0)
        return NULL;
    return out;
}

static int push_entry(inbox_entry **entries, size_t *count, const char *name, long long size,
                      time_t mtime)
{
    inbox_entry *grown = realloc(*entries, (*count + 1) * sizeof(*grown));
    if (!grown)
        return -1;
    *entries = grown;
    grown[*count].name = strdup(name);
    grown[*count].size = size;
    grown[*count].mtime = mtime;
    if (!grown[*count].name)
        return -1;
    (*count)++;
    return 0;
}

void inbox_entries_free(inbox_entry *entries, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(entries[i].name);
    free(entries);
}

/* ---------------------------------------------------------------- local folder */

static char *local_path(const inbox_place *place, const char *sub, const char *name)
{
    char *dir = sub && *sub ? join(place->where, "/", sub) : strdup(place->where);
    if (!dir || !name)
        return dir;
    char *path = join(dir, "/", name);
    free(dir);
    return path;
}

static int local_prepare(inbox_place *place, sl_error *err)
{
    for (size_t i = 0; i < SUBDIR_COUNT; i++) {
        char *dir = local_path(place, subdirs[i], NULL);
        if (!dir)
            return sl_error_set(err, "out of memory");
        int rc = mkdir(dir, 0777) == 0 || errno == EEXIST ? 0 : -1;
        if (rc != 0)
            sl_error_set(err, "cannot create %s: %s", dir, strerror(errno));
        free(dir);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int local_list(inbox_place *place, const char *sub, int with_facts, inbox_entry **entries,
                      size_t *count, sl_error *err)
{
    (void)with_facts;
    *entries = NULL;
    *count = 0;
    char *dir_path = local_path(place, sub, NULL);
    DIR *dir = dir_path ? opendir(dir_path) : NULL;
    if (!dir) {
        sl_error_set(err, "cannot read %s: %s", dir_path ? dir_path : "the inbox",
                     strerror(errno));
        free(dir_path);
        return -1;
    }
    int rc = 0;
    struct dirent *entry;
    while (rc == 0 && (entry = readdir(dir)) != NULL) {
        struct stat st;
        if (fstatat(dirfd(dir), entry->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode))
            continue;   /* gone meanwhile, or a directory */
        if (push_entry(entries, count, entry->d_name, (long long)st.st_size, st.st_mtime) != 0)
            rc = sl_error_set(err, "out of memory");
    }
    closedir(dir);
    free(dir_path);
    return rc;
}

static void sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static int local_move(inbox_place *place, const char *sub_a, const char *a, const char *sub_b,
                      const char *b, sl_error *err)
{
    char *from = local_path(place, sub_a, a), *to = local_path(place, sub_b, b);
    char *dir_a = local_path(place, sub_a, NULL), *dir_b = local_path(place, sub_b, NULL);
    int rc = 0;
    if (!from || !to || !dir_a || !dir_b)
        rc = sl_error_set(err, "out of memory");
    else if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) != 0)
        rc = sl_error_set(err, "cannot move %s to %s: %s", from, to, strerror(errno));
    if (rc == 0 && sub_b && strcmp(sub_b, "processing") != 0)
        sync_dir(dir_b);   /* a final move survives a power loss (one journaled rename) */
    free(from);
    free(to);
    free(dir_a);
    free(dir_b);
    return rc;
}

static int local_exists(inbox_place *place, const char *sub, const char *name)
{
    char *path = local_path(place, sub, name);
    struct stat st;
    int found = path && lstat(path, &st) == 0;
    free(path);
    return found;
}

static void local_remove(inbox_place *place, const char *sub, const char *name)
{
    char *path = local_path(place, sub, name);
    if (path)
        unlink(path);
    free(path);
}

static char *local_locate(const inbox_place *place, const char *sub, const char *name)
{
    return local_path(place, sub, name);
}

/* Waits for a file to be written, moved in or touched (inotify), or the timeout. */
static void local_wait(inbox_place *place, long timeout_ms)
{
    if (place->watch_fd < 0) {
        poll(NULL, 0, (int)timeout_ms);
        return;
    }
    struct pollfd ready = { place->watch_fd, POLLIN, 0 };
    if (poll(&ready, 1, (int)timeout_ms) > 0) {
        char events[8192];
        while (read(place->watch_fd, events, sizeof(events)) > 0)
            ;   /* drained: the inbox is listed again anyway */
    }
}

static const inbox_place_ops local_ops = {
    "folder", local_prepare, local_list, local_move, local_exists, local_remove, local_locate, local_wait,
};

/* ---------------------------------------------------------------- remote folder */

static char *remote_url(const inbox_place *place, const char *sub, const char *name)
{
    char *escaped = name ? curl_easy_escape(NULL, name, 0) : NULL;
    char *url = NULL;
    if (name && !escaped)
        return NULL;
    if (sub && *sub)
        url = join(place->where, sub, "/");
    else
        url = strdup(place->where);
    if (url && escaped) {
        char *full = join(url, escaped, "");
        free(url);
        url = full;
    }
    curl_free(escaped);
    return url;
}

static int remote_prepare(inbox_place *place, sl_error *err)
{
    return sl_remote_dir_ops(place->where, place->remote, subdirs, SUBDIR_COUNT, NULL, NULL, NULL,
                             err);
}

/* Names of sub; with facts, each file's size and time (what is not a file is left out). */
static int remote_list(inbox_place *place, const char *sub, int with_facts, inbox_entry **entries,
                       size_t *count, sl_error *err)
{
    *entries = NULL;
    *count = 0;
    char *dir = remote_url(place, sub, NULL);
    char **names = NULL;
    size_t name_count = 0;
    int rc = dir ? sl_remote_list(dir, place->remote, &names, &name_count, err)
                 : sl_error_set(err, "out of memory");
    for (size_t i = 0; rc == 0 && i < name_count; i++) {
        int ours = 0;
        for (size_t k = 0; k < SUBDIR_COUNT; k++)
            ours |= !(sub && *sub) && strcmp(names[i], subdirs[k]) == 0;
        if (ours)
            continue;
        long long size = -1;
        time_t mtime = -1;
        if (with_facts) {
            char *url = remote_url(place, sub, names[i]);
            sl_error ignored = { "" };
            int stat_rc = url ? sl_remote_stat(url, place->remote, &size, &mtime, &ignored) : -1;
            free(url);
            if (stat_rc != 0 || mtime < 0)
                continue;   /* a directory, or gone meanwhile */
        }
        if (push_entry(entries, count, names[i], size, mtime) != 0)
            rc = sl_error_set(err, "out of memory");
    }
    sl_remote_free_names(names, name_count);
    free(dir);
    return rc;
}

static int remote_move(inbox_place *place, const char *sub_a, const char *a, const char *sub_b,
                       const char *b, sl_error *err)
{
    char *from = join(sub_a && *sub_a ? sub_a : "", sub_a && *sub_a ? "/" : "", a);
    char *to = join(sub_b && *sub_b ? sub_b : "", sub_b && *sub_b ? "/" : "", b);
    int rc = from && to ? sl_remote_dir_ops(place->where, place->remote, NULL, 0, from, to, NULL, err)
                        : sl_error_set(err, "out of memory");
    free(from);
    free(to);
    return rc;
}

static int remote_exists(inbox_place *place, const char *sub, const char *name)
{
    (void)place, (void)sub, (void)name;
    return 0;
}

static void remote_remove(inbox_place *place, const char *sub, const char *name)
{
    char *path = join(sub && *sub ? sub : "", sub && *sub ? "/" : "", name);
    sl_error ignored = { "" };
    if (path)
        sl_remote_dir_ops(place->where, place->remote, NULL, 0, NULL, NULL, path, &ignored);
    free(path);
}

static char *remote_locate(const inbox_place *place, const char *sub, const char *name)
{
    return remote_url(place, sub, name);
}

static void remote_wait(inbox_place *place, long timeout_ms)
{
    (void)place;
    poll(NULL, 0, (int)timeout_ms);   /* a signal ends it early */
}

static const inbox_place_ops remote_ops = {
    "remote folder", remote_prepare, remote_list, remote_move, remote_exists, remote_remove, remote_locate,
    remote_wait,
};

/* ---------------------------------------------------------------- set up */

int inbox_place_init(inbox_place *place, const char *where, const sl_remote_options *remote,
                     int watch, sl_error *err)
{
    memset(place, 0, sizeof(*place));
    place->watch_fd = -1;
    place->remote = remote;
    if (sl_remote_is_url(where)) {
        size_t len = strlen(where);
        place->where = len && where[len - 1] == '/' ? strdup(where) : join(where, "/", "");
        place->ops = &remote_ops;
        return place->where ? 0 : sl_error_set(err, "out of memory");
    }
    size_t len = strlen(where);
    while (len > 1 && where[len - 1] == '/')
        len--;
    place->where = strndup(where, len);
    place->ops = &local_ops;
    if (!place->where)
        return sl_error_set(err, "out of memory");
    struct stat st;
    if (stat(place->where, &st) != 0)
        return sl_error_set(err, "--inbox %s: %s", place->where, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return sl_error_set(err, "--inbox %s: not a directory", place->where);
    if (watch) {
        place->watch_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (place->watch_fd < 0 ||
            inotify_add_watch(place->watch_fd, place->where,
                              IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_ATTRIB) < 0)
            return sl_error_set(err, "--watch %s: inotify: %s", place->where, strerror(errno));
    }
    return 0;
}

void inbox_place_clear(inbox_place *place)
{
    if (place->watch_fd >= 0)
        close(place->watch_fd);
    free(place->where);
    memset(place, 0, sizeof(*place));
    place->watch_fd = -1;
}
