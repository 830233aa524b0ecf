/* lock.c: the per-store run lock of lock.h. The file holds the holder's pid (for the message
 * the second run prints); the lock itself is the flock, never the file's existence, so a
 * crashed run leaves nothing to clean up. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>
#include <openssl/sha.h>
#include "lock.h"
#include "run.h"

#define WAIT_STEP_MS 100

/* $XDG_RUNTIME_DIR/shipload-PLATFORM-HASH.lock, HASH the first 16 hex digits of SHA-256(url). */
static void lock_path(char *out, size_t cap, const char *platform, const char *api_url)
{
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)api_url, strlen(api_url), digest);
    char hex[17];
    for (int i = 0; i < 8; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    const char *dir = getenv("XDG_RUNTIME_DIR");
    if (!dir || !dir[0] || access(dir, W_OK) != 0)
        dir = "/tmp";
    snprintf(out, cap, "%s/shipload-%s-%s.lock", dir, platform, hex);
}

static long read_holder(int fd)
{
    char text[32] = "";
    ssize_t got = pread(fd, text, sizeof(text) - 1, 0);
    if (got <= 0)
        return 0;
    text[got] = '\0';
    return strtol(text, NULL, 10);
}

static void write_holder(int fd)
{
    char text[32];
    int len = snprintf(text, sizeof(text), "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) == 0 && pwrite(fd, text, (size_t)len, 0) != len)
        return;   /* only the message of a second run would lack the pid */
}

int cli_lock_take(cli_lock *lock, const char *platform, const char *api_url, long wait_s,
                  long *holder_pid, char *why, size_t why_cap)
{
    lock->fd = -1;
    *holder_pid = 0;
    lock_path(lock->path, sizeof(lock->path), platform, api_url);
    int fd = open(lock->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        snprintf(why, why_cap, "cannot open the run lock %s: %s", lock->path, strerror(errno));
        return -1;
    }
    long waited_ms = 0;
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            snprintf(why, why_cap, "cannot lock %s: %s", lock->path, strerror(errno));
            close(fd);
            return -1;
        }
        if (waited_ms >= wait_s * 1000 || cli_interrupted()) {
            *holder_pid = read_holder(fd);
            close(fd);
            return 1;
        }
        struct timespec step = { 0, WAIT_STEP_MS * 1000000L };
        nanosleep(&step, NULL);
        waited_ms += WAIT_STEP_MS;
    }
    write_holder(fd);
    lock->fd = fd;
    return 0;
}

void cli_lock_release(cli_lock *lock)
{
    if (lock->fd >= 0) {
        if (ftruncate(lock->fd, 0) != 0) {
            /* the pid left behind is only ever shown next to a lock that is held */
        }
        flock(lock->fd, LOCK_UN);
        close(lock->fd);
    }
    lock->fd = -1;
}
