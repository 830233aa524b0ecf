/* report_fs.c: the run's directory (mkdir -p) and report files written under temporary names
 * then renamed, so a reader never sees a half-written report. Knows nothing of CSV or JSON. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "report_fs.h"

#define REPORT_STDIO_BUFFER (256 * 1024)

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

int report_mkdir_p(const char *dir, sl_error *err)
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

int report_file_open(report_file *file, const char *dir, const char *name, sl_error *err)
{
    char suffix[32];
    memset(file, 0, sizeof(*file));
    snprintf(suffix, sizeof(suffix), ".%ld.tmp", (long)getpid());
    file->final_path = join_path(dir, "", name, "");
    file->temp_path = join_path(dir, ".", name, suffix);
    file->stdio_buffer = malloc(REPORT_STDIO_BUFFER);
    if (!file->final_path || !file->temp_path || !file->stdio_buffer) {
        report_file_discard(file);
        return sl_error_set(err, "out of memory");
    }
    int fd = open(file->temp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0 || !(file->fp = fdopen(fd, "w"))) {
        sl_error_set(err, "cannot write %s: %s", file->temp_path, strerror(errno));
        if (fd >= 0)
            close(fd);
        unlink(file->temp_path);
        report_file_discard(file);
        return -1;
    }
    setvbuf(file->fp, file->stdio_buffer, _IOFBF, REPORT_STDIO_BUFFER);
    return 0;
}

int report_file_failed(const report_file *file)
{
    return file->fp && ferror(file->fp);
}

static void release(report_file *file)
{
    free(file->final_path);
    free(file->temp_path);
    free(file->stdio_buffer);
    memset(file, 0, sizeof(*file));
}

int report_file_commit(report_file *file, sl_error *err)
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
        sl_error_set(err, "cannot write %s: %s", file->final_path, strerror(saved_errno));
        unlink(file->temp_path);
        release(file);
        return -1;
    }
    if (rename(file->temp_path, file->final_path) != 0) {
        sl_error_set(err, "cannot rename %s to %s: %s", file->temp_path, file->final_path,
                     strerror(errno));
        unlink(file->temp_path);
        release(file);
        return -1;
    }
    release(file);
    return 0;
}

void report_file_discard(report_file *file)
{
    if (file->fp) {
        fclose(file->fp);
        file->fp = NULL;
        unlink(file->temp_path);
    }
    release(file);
}
