/* fail_sync.c: an LD_PRELOAD shim for the e2e tests: fdatasync() on a file whose name ends with
 * FAIL_SYNC_NAME (default "journal.jsonl") succeeds FAIL_SYNC_AFTER times (default 0), then
 * fails with EIO, as a disk that breaks in the middle of a run would. Other files are synced as
 * usual. Built by the test that uses it (cc -shared -fPIC). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int names_the_file(int fd)
{
    const char *name = getenv("FAIL_SYNC_NAME");
    char link[64], target[4096];
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    ssize_t len = readlink(link, target, sizeof(target) - 1);
    if (len <= 0)
        return 0;
    target[len] = '\0';
    if (!name || !name[0])
        name = "journal.jsonl";
    size_t name_len = strlen(name);
    return (size_t)len >= name_len && strcmp(target + len - name_len, name) == 0;
}

int fdatasync(int fd)
{
    static int (*real_fdatasync)(int);
    static long synced;
    if (!real_fdatasync)
        real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    if (names_the_file(fd)) {
        const char *after = getenv("FAIL_SYNC_AFTER");
        if (synced >= (after ? atol(after) : 0)) {
            errno = EIO;
            return -1;
        }
        synced++;
    }
    return real_fdatasync(fd);
}
