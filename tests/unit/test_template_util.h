/* test_template_util.h: helpers shared by the template unit tests: scratch directories and
 * files, loading a template from JSON text, and hand-built headers and records for the mapper.
 * Header-only (static functions) so each test executable stays one .c file. */
#ifndef TEST_TEMPLATE_UTIL_H
#define TEST_TEMPLATE_UTIL_H

#include <check.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "shipload/record.h"
#include "shipload/row.h"
#include "shipload/template.h"

static inline char *make_scratch_dir(void)
{
    char *dir = strdup("/tmp/shipload-template-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    return dir;
}

static inline void remove_tree(const char *dir)
{
    DIR *handle = opendir(dir);
    if (!handle)
        return;
    struct dirent *entry;
    while ((entry = readdir(handle)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name);
        unlink(path);
    }
    closedir(handle);
    rmdir(dir);
}

/* Writes text to dir/name; returns the path (caller frees). */
static inline char *write_file(const char *dir, const char *name, const char *text)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

/* The source tree's directory (SHIPLOAD_SOURCE_DIR, set by ctest). */
static inline const char *source_dir(void)
{
    const char *dir = getenv("SHIPLOAD_SOURCE_DIR");
    ck_assert_msg(dir != NULL, "SHIPLOAD_SOURCE_DIR is not set (run through ctest)");
    return dir;
}

/* Makes the shipped templates (and only extra_dir before them, when given) the search path. */
static inline void use_template_path(const char *extra_dir)
{
    char path[4096];
    if (extra_dir)
        snprintf(path, sizeof(path), "%s:%s/templates", extra_dir, source_dir());
    else
        snprintf(path, sizeof(path), "%s/templates", source_dir());
    setenv("SHIPLOAD_TEMPLATE_PATH", path, 1);
}

/* Loads a template from JSON text written to a scratch file named file_name. On failure returns
 * NULL and copies the error to message (when given). */
static inline sl_template *load_text(const char *file_name, const char *json, char *message, size_t cap)
{
    char *dir = make_scratch_dir();
    char *path = write_file(dir, file_name, json);
    sl_error err = { "" };
    sl_template *tpl = sl_template_load_file(path, &err);
    if (message)
        snprintf(message, cap, "%s", err.message);
    free(path);
    remove_tree(dir);
    free(dir);
    return tpl;
}

static inline sl_template *load_ok(const char *json)
{
    char message[600];
    sl_template *tpl = load_text("t.json", json, message, sizeof(message));
    ck_assert_msg(tpl != NULL, "template did not load: %s", message);
    return tpl;
}

static inline sl_template *load_shipped(const char *name)
{
    use_template_path(NULL);
    sl_error err = { "" };
    sl_template *tpl = sl_template_load(name, &err);
    ck_assert_msg(tpl != NULL, "%s: %s", name, err.message);
    return tpl;
}

/* A header of n names (NULL names: headerless). */
typedef struct test_header {
    sl_header header;
    char *names[64];
} test_header;

static inline void header_set(test_header *h, size_t count, const char *const *names)
{
    memset(h, 0, sizeof(*h));
    h->header.count = count;
    if (!names) {
        h->header.names = NULL;
        return;
    }
    for (size_t i = 0; i < count; i++)
        h->names[i] = (char *)names[i];
    h->header.names = h->names;
}

/* A record of n fields, borrowed strings. */
typedef struct test_record {
    sl_record record;
    char *fields[64];
    size_t lengths[64];
} test_record;

static inline void record_set(test_record *r, size_t number, size_t line, size_t count,
                       const char *const *values)
{
    memset(r, 0, sizeof(*r));
    r->record.number = number;
    r->record.line = line;
    r->record.field_count = count;
    r->record.expected_fields = count;
    for (size_t i = 0; i < count; i++) {
        r->fields[i] = (char *)values[i];
        r->lengths[i] = strlen(values[i]);
    }
    r->record.fields = r->fields;
    r->record.lengths = r->lengths;
}

/* Maps one record with a fresh mapper; the row must be cleared by the caller. */
static inline void map_one(const sl_template *tpl, const sl_header *header, const sl_record *record,
                    sl_row *row)
{
    sl_error err = { "" };
    sl_mapper *mapper = sl_mapper_new(tpl, header, &err);
    ck_assert_msg(mapper != NULL, "mapper: %s", err.message);
    sl_row_init(row);
    ck_assert_int_eq(sl_mapper_map(mapper, record, row), 0);
    sl_mapper_free(mapper);
}

static inline const char *or_empty(const char *s)
{
    return s ? s : "";
}

#endif
