/* report_fs.c: the run's directory (mkdir -p) and report files written under temporary names
 * then renamed, so a reader never sees a half-written report. Knows nothing of CSV or JSON. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "report_fs.h"

#define TEMP_OPEN_FLAGS (O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC)
#define TEMP_ATTEMPTS 100

#define REPORT_STDIO_BUFFER (256 * 1024)
#define WRITE_BEHIND (2 * 1024 * 1024)   /* bytes between two starts of write-back */
#define PAGE_MASK_BYTES 4095LL           /* write-back starts on whole pages */

static int make_one_dir(const char *path, sl_error *err)
{
    struct stat info;
    if (mkdir(path, 0777) == 0)
        return 0;
    if (errno == EEXIST && stat(path, &info) == 0 && S_ISDIR(info.st_mode))
        return 0;
    if (errno == EEXIST)
        return sl_error_set(err, "cannot create report directory %s: a file with that name exists",
                            path);
    return sl_error_set(err, "cannot create report directory %s: %s", path, strerror(errno));
}

int sl_report_mkdir_p(const char *dir, sl_error *err)
{
    if (!dir || !dir[0])
        return sl_error_set(err, "no report directory given");
    char *path = strdup(dir);
    if (!path)
        return sl_error_set(err, "out of memory");
    int rc = 0;
    /* each parent in turn: "a/b/c" makes "a", "a/b", then "a/b/c" */
    for (char *slash = strchr(path + 1, '/'); slash && rc == 0; slash = strchr(slash + 1, '/')) {
        if (slash[-1] == '/')
            continue;
        *slash = '\0';
        rc = make_one_dir(path, err);
        *slash = '/';
    }
    if (rc == 0)
        rc = make_one_dir(path, err);
    free(path);
    return rc;
}

static char *join_path(const char *dir, const char *prefix, const char *name, const char *suffix)
{
    size_t len = strlen(dir) + 1 + strlen(prefix) + strlen(name) + strlen(suffix) + 1;
    char *path = malloc(len);
    if (path)
        snprintf(path, len, "%s/%s%s%s", dir, prefix, name, suffix);
    return path;
}

static const struct { int error; const char *name; } errno_names[] = {
    { ENOSPC, "ENOSPC" }, { EDQUOT, "EDQUOT" }, { EIO, "EIO" }, { EROFS, "EROFS" },
    { EACCES, "EACCES" }, { EFBIG, "EFBIG" },
};

const char *sl_report_errno_text(int error, char *buf, size_t cap)
{
    for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
        if (errno_names[i].error == error) {
            snprintf(buf, cap, "%s (%s)", strerror(error), errno_names[i].name);
            return buf;
        }
    snprintf(buf, cap, "%s", error ? strerror(error) : "write error");
    return buf;
}

/* Writes a fresh random suffix into the last 12 characters before ".tmp" of path. */
static void randomize_suffix(char *path)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    unsigned char random[12];
    if (getrandom(random, sizeof(random), 0) != (ssize_t)sizeof(random))
        for (size_t i = 0; i < sizeof(random); i++)   /* unpredictable enough, and retried */
            random[i] = (unsigned char)(rand() ^ getpid() ^ (int)i);
    char *at = path + strlen(path) - 4 - sizeof(random);
    for (size_t i = 0; i < sizeof(random); i++)
        at[i] = digits[random[i] % (sizeof(digits) - 1)];
}

/* Creates the temporary file under a random name that nothing holds yet. */
static int open_temp(report_file *file)
{
    for (int attempt = 0; attempt < TEMP_ATTEMPTS; attempt++) {
        randomize_suffix(file->temp_path);
        int fd = open(file->temp_path, TEMP_OPEN_FLAGS, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

int sl_report_file_open(report_file *file, const char *dir, const char *name, sl_error *err)
{
    memset(file, 0, sizeof(*file));
    file->final_path = join_path(dir, "", name, "");
    file->temp_path = join_path(dir, ".", name, ".XXXXXXXXXXXX.tmp");
    file->stdio_buffer = malloc(REPORT_STDIO_BUFFER);
    if (!file->final_path || !file->temp_path || !file->stdio_buffer) {
        sl_report_file_discard(file);
        return sl_error_set(err, "out of memory");
    }
    int fd = open_temp(file);
    if (fd < 0 || !(file->fp = fdopen(fd, "w"))) {
        char why[128];
        sl_report_errno_text(errno, why, sizeof(why));
        sl_error_set(err, "cannot write %s in %s: %s", name, dir, why);
        if (fd >= 0) {
            close(fd);
            unlink(file->temp_path);
        }
        sl_report_file_discard(file);
        return -1;
    }
    setvbuf(file->fp, file->stdio_buffer, _IOFBF, REPORT_STDIO_BUFFER);
    return 0;
}

int sl_report_file_failed(const report_file *file)
{
    return file->fp && ferror_unlocked(file->fp);   /* asked after every row: no lock */
}

void sl_report_file_write_behind(report_file *file)
{
#ifdef SYNC_FILE_RANGE_WRITE
    if (!file->fp)
        return;
    long long at = (long long)ftello(file->fp) - REPORT_STDIO_BUFFER;   /* surely written out */
    if (at - file->behind < WRITE_BEHIND)
        return;
    at &= ~PAGE_MASK_BYTES;
    sync_file_range(fileno(file->fp), file->behind, at - file->behind, SYNC_FILE_RANGE_WRITE);
    file->behind = at;
#else
    (void)file;
#endif
}

static void release(report_file *file)
{
    free(file->final_path);
    free(file->temp_path);
    free(file->stdio_buffer);
    int error = file->error;
    memset(file, 0, sizeof(*file));
    file->error = error;   /* still there to be reported */
}

int sl_report_file_commit(report_file *file, sl_error *err)
{
    if (!file->fp)
        return 0;
    int failed = fflush(file->fp) != 0 || ferror(file->fp) || fsync(fileno(file->fp)) != 0;
    int saved_errno = errno;
    if (fclose(file->fp) != 0 && !failed) {
        failed = 1;
        saved_errno = errno;
    }
    file->fp = NULL;
    if (failed) {
        char why[128];
        file->error = saved_errno ? saved_errno : EIO;
        sl_error_set(err, "cannot write %s: %s", file->final_path,
                     sl_report_errno_text(file->error, why, sizeof(why)));
        unlink(file->temp_path);
        release(file);
        return -1;
    }
    if (rename(file->temp_path, file->final_path) != 0) {
        file->error = errno;
        sl_error_set(err, "cannot rename %s to %s: %s", file->temp_path, file->final_path,
                     strerror(errno));
        unlink(file->temp_path);
        release(file);
        return -1;
    }
    release(file);
    return 0;
}

void sl_report_file_discard(report_file *file)
{
    if (file->fp) {
        fclose(file->fp);
        file->fp = NULL;
        unlink(file->temp_path);
    }
    release(file);
}

int sl_report_reserve_open(report_file *reserve, const char *dir, unsigned long long bytes,
                        sl_error *err)
{
    if (sl_report_file_open(reserve, dir, "reserve", err) != 0)
        return -1;
    int rc = posix_fallocate(fileno(reserve->fp), 0, (off_t)bytes);
    if (rc == 0)
        return 0;
    char why[128];
    sl_error_set(err, "the report directory %s has no room for the reports (%llu KiB kept for "
                 "them): %s", dir, (bytes + 1023) / 1024,
                 sl_report_errno_text(rc, why, sizeof(why)));
    sl_report_file_discard(reserve);
    return -1;
}
