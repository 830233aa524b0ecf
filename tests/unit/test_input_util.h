/* test_input_util.h: helpers shared by the input-stage unit tests: a scratch directory made
 * with mkdtemp, files written from bytes (plain or gzipped with zlib), and readers opened over
 * them. Header-only (static functions) so each test executable stays one .c file. */
#ifndef TEST_INPUT_UTIL_H
#define TEST_INPUT_UTIL_H

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "shipload/input.h"
#include "test_gzip.h"

static char scratch[64];

static inline void scratch_setup(void)
{
    strcpy(scratch, "/tmp/shipload-input-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(scratch));
}

static inline void scratch_teardown(void)
{
    DIR *dir = opendir(scratch);
    if (!dir)
        return;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", scratch, entry->d_name);
        if (rmdir(path) != 0)
            unlink(path);
    }
    closedir(dir);
    rmdir(scratch);
}

/* scratch/name, in a static buffer per call site's use (copy it to keep it). */
static inline const char *scratch_path(const char *name)
{
    static char path[4][512];
    static int turn;
    turn = (turn + 1) % 4;
    snprintf(path[turn], sizeof(path[turn]), "%s/%s", scratch, name);
    return path[turn];
}

static inline const char *write_bytes(const char *name, const void *data, size_t len)
{
    const char *path = scratch_path(name);
    FILE *fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
    ck_assert_int_eq(fclose(fp), 0);
    return path;
}

static inline const char *write_text(const char *name, const char *text)
{
    return write_bytes(name, text, strlen(text));
}

static inline const char *write_gzip(const char *name, const char *text)
{
    size_t len;
    unsigned char *gz = gzip_bytes(text, strlen(text), &len);
    const char *path = write_bytes(name, gz, len);
    free(gz);
    return path;
}

/* Everything the stream gives, read with small reads; NUL-terminated, caller frees. */
static inline char *read_all(sl_stream *stream, size_t *len, int *rc)
{
    size_t cap = 4096, used = 0;
    char *all = malloc(cap);
    sl_error err = { "" };
    ssize_t n;
    while ((n = sl_stream_read(stream, all + used, 1000, &err)) > 0) {
        used += (size_t)n;
        if (cap - used < 1001) {
            cap *= 2;
            all = realloc(all, cap);
        }
    }
    all[used] = '\0';
    *len = used;
    *rc = (int)n;
    return all;
}

#endif
