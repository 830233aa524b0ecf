/* export_output.c: the bytes of an export, to standard output or to a temporary file in the
 * final file's directory that is renamed over the final name when complete (so a failure
 * leaves nothing under that name); gzip through zlib when the final name ends in ".gz".
 * It does not format anything (export_writer.c does). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "export_output.h"

static int ends_with(const char *text, const char *suffix)
{
    size_t len = strlen(text), suffix_len = strlen(suffix);
    return len >= suffix_len && strcmp(text + len - suffix_len, suffix) == 0;
}

/* "DIR/.NAME.tmp-XXXXXX" for mkstemp. */
static char *temp_name_for(const char *path)
{
    const char *slash = strrchr(path, '/');
    int dir_len = slash ? (int)(slash - path + 1) : 0;
    const char *base = slash ? slash + 1 : path;
    char *name = NULL;
    if (asprintf(&name, "%.*s.%s.tmp-XXXXXX", dir_len, path, base) < 0)
        return NULL;
    return name;
}

/* mkstemp makes the file 0600; an export is an ordinary file (0666 less the umask). */
static void usual_permissions(int fd)
{
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        /* keeping 0600 is safe; nothing to report */
    }
}

static int open_temp(export_output *out, const char *path, sl_error *err)
{
    if (!(out->final_path = strdup(path)) || !(out->temp_path = temp_name_for(path)))
        return sl_error_set(err, "%s: out of memory", path);
    out->fd = mkstemp(out->temp_path);
    if (out->fd < 0) {
        int saved = errno;
        free(out->temp_path);
        out->temp_path = NULL;
        return sl_error_set(err, "%s: cannot create the output: %s", path, strerror(saved));
    }
    usual_permissions(out->fd);
    if (ends_with(path, ".gz")) {
        int gz_fd = dup(out->fd);
        if (gz_fd < 0 || !(out->gz = gzdopen(gz_fd, "wb6"))) {
            if (gz_fd >= 0)
                close(gz_fd);
            return sl_error_set(err, "%s: cannot start gzip output", path);
        }
        gzbuffer(out->gz, 128 * 1024);
        return 0;
    }
    int file_fd = dup(out->fd);
    if (file_fd < 0 || !(out->file = fdopen(file_fd, "wb"))) {
        if (file_fd >= 0)
            close(file_fd);
        return sl_error_set(err, "%s: cannot open the output: %s", path, strerror(errno));
    }
    return 0;
}

int sl_export_output_open(export_output *out, const char *path, sl_error *err)
{
    memset(out, 0, sizeof(*out));
    out->fd = -1;
    if (strcmp(path, "-") == 0) {
        out->file = stdout;
        return 0;
    }
    if (open_temp(out, path, err) != 0) {
        sl_export_output_close(out);
        return -1;
    }
    return 0;
}

static int remember_failure(export_output *out, const char *what)
{
    if (!out->failed)
        snprintf(out->error, sizeof(out->error), "%s", what);
    out->failed = 1;
    return -1;
}

int sl_export_output_write(export_output *out, const void *data, size_t len)
{
    if (out->failed)
        return -1;
    if (len == 0)
        return 0;
    if (out->gz) {
        if (gzwrite(out->gz, data, (unsigned)len) != (int)len) {
            int code;
            const char *message = gzerror(out->gz, &code);
            return remember_failure(out, code == Z_ERRNO ? strerror(errno) : message);
        }
        return 0;
    }
    if (fwrite(data, 1, len, out->file) != len)
        return remember_failure(out, strerror(errno));
    return 0;
}

/* Closes the stream that wraps the descriptor; -1 when the last bytes could not be written. */
static int close_stream(export_output *out)
{
    int rc = 0;
    if (out->gz) {
        rc = gzclose(out->gz) == Z_OK ? 0 : remember_failure(out, "gzip output failed");
        out->gz = NULL;
    } else if (out->file && out->file != stdout) {
        rc = fclose(out->file) == 0 ? 0 : remember_failure(out, strerror(errno));
        out->file = NULL;
    }
    return rc;
}

int sl_export_output_commit(export_output *out, sl_error *err)
{
    const char *name = out->final_path ? out->final_path : "standard output";
    if (!out->final_path) {
        if (fflush(stdout) != 0)
            remember_failure(out, strerror(errno));
        if (out->failed)
            return sl_error_set(err, "%s: write failed: %s", name, out->error);
        out->committed = 1;
        return 0;
    }
    close_stream(out);
    if (!out->failed && fsync(out->fd) != 0)
        remember_failure(out, strerror(errno));
    if (close(out->fd) != 0 && !out->failed)
        remember_failure(out, strerror(errno));
    out->fd = -1;
    if (out->failed)
        return sl_error_set(err, "%s: write failed: %s (nothing was written under that name)",
                            name, out->error);
    if (rename(out->temp_path, out->final_path) != 0)
        return sl_error_set(err, "%s: cannot rename %s into place: %s", name, out->temp_path,
                            strerror(errno));
    out->committed = 1;
    return 0;
}

void sl_export_output_close(export_output *out)
{
    close_stream(out);
    if (out->fd >= 0)
        close(out->fd);
    out->fd = -1;
    if (out->temp_path && !out->committed)
        unlink(out->temp_path);
    free(out->temp_path);
    free(out->final_path);
    out->temp_path = out->final_path = NULL;
}
