/* template_path.c: where templates are found and which exist. The search path is
 * $SHIPLOAD_TEMPLATE_PATH (':'-separated), then <dir of the running binary>/../share/shipload/
 * templates, then the install directory, then the source tree's templates/ (both compile
 * definitions). A name found in an earlier directory hides the same name in a later one.
 * Loading by name and listing live here; parsing a template file is template_load.c's. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "template_internal.h"

#define MAX_NAME 64

int sl_tpl_name_valid(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > MAX_NAME)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 (i > 0 && (c == '-' || c == '_' || c == '.'));
        if (!ok)
            return 0;
    }
    return 1;
}

/* Appends a copy of dir unless it is empty or already listed. */
static int add_dir(char ***dirs, size_t *count, const char *dir, size_t len)
{
    if (len == 0)
        return 0;
    for (size_t i = 0; i < *count; i++)
        if (strlen((*dirs)[i]) == len && strncmp((*dirs)[i], dir, len) == 0)
            return 0;
    char **grown = realloc(*dirs, (*count + 1) * sizeof(char *));
    if (!grown)
        return -1;
    *dirs = grown;
    if (!(grown[*count] = strndup(dir, len)))
        return -1;
    (*count)++;
    return 0;
}

/* <dir of /proc/self/exe>/../share/shipload/templates, or "" when unknown. */
static void next_to_binary(char *out, size_t cap)
{
    char exe[PATH_MAX];
    out[0] = '\0';
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len <= 0)
        return;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return;
    *slash = '\0';
    snprintf(out, cap, "%s/../share/shipload/templates", exe);
}

char **sl_tpl_search_dirs(size_t *count, sl_error *err)
{
    char **dirs = NULL;
    *count = 0;
    int rc = 0;
    const char *env = getenv("SHIPLOAD_TEMPLATE_PATH");
    if (env) {
        for (const char *part = env; rc == 0;) {
            const char *colon = strchr(part, ':');
            size_t len = colon ? (size_t)(colon - part) : strlen(part);
            rc = add_dir(&dirs, count, part, len);
            if (!colon)
                break;
            part = colon + 1;
        }
    }
    char binary_dir[PATH_MAX + 64];
    next_to_binary(binary_dir, sizeof(binary_dir));
    if (rc == 0)
        rc = add_dir(&dirs, count, binary_dir, strlen(binary_dir));
#ifdef SHIPLOAD_INSTALL_TEMPLATE_DIR
    if (rc == 0)
        rc = add_dir(&dirs, count, SHIPLOAD_INSTALL_TEMPLATE_DIR,
                     strlen(SHIPLOAD_INSTALL_TEMPLATE_DIR));
#endif
#ifdef SHIPLOAD_SOURCE_TEMPLATE_DIR
    if (rc == 0)
        rc = add_dir(&dirs, count, SHIPLOAD_SOURCE_TEMPLATE_DIR,
                     strlen(SHIPLOAD_SOURCE_TEMPLATE_DIR));
#endif
    if (rc != 0) {
        sl_tpl_dirs_free(dirs, *count);
        *count = 0;
        sl_error_set(err, "out of memory");
        return NULL;
    }
    return dirs;
}

void sl_tpl_dirs_free(char **dirs, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(dirs[i]);
    free(dirs);
}

/* tpl as the template the file path names name, or NULL (tpl freed, err set) when its own
 * name differs: a template is loaded by its file's name. */
static sl_template *named_as_file(sl_template *tpl, const char *path, const char *name,
                                  sl_error *err)
{
    if (!tpl || strcmp(tpl->name, name) == 0)
        return tpl;
    sl_error_set(err, "%s: name: '%s' does not match the file name (expected '%s')", path,
                 tpl->name, name);
    sl_template_free(tpl);
    return NULL;
}

/* Loading by name: the first <dir>/<name>.json on the search path. */
static sl_template *load_by_name(const char *name, sl_error *err)
{
    if (!sl_tpl_name_valid(name)) {
        sl_error_set(err, "'%s' is not a template name (lowercase letters, digits, '-', '_' "
                          "and '.'; or give a path to a .json file)", name);
        return NULL;
    }
    size_t dir_count;
    char **dirs = sl_tpl_search_dirs(&dir_count, err);
    if (!dirs && dir_count == 0 && err && err->message[0])
        return NULL;
    sl_template *tpl = NULL;
    int found = 0;
    for (size_t i = 0; i < dir_count && !found; i++) {
        char path[PATH_MAX];
        if ((size_t)snprintf(path, sizeof(path), "%s/%s.json", dirs[i], name) >= sizeof(path))
            continue;
        if (access(path, F_OK) != 0)
            continue;
        found = 1;
        tpl = named_as_file(sl_template_load_file(path, err), path, name, err);
    }
    if (!found) {
        char searched[400] = "";
        size_t used = 0;
        for (size_t i = 0; i < dir_count && used < sizeof(searched); i++)
            used += (size_t)snprintf(searched + used, sizeof(searched) - used, "%s%s",
                                     i ? ", " : "", dirs[i]);
        sl_error_set(err, "no template named '%s' (searched: %s; see 'shipload templates list')",
                     name, dir_count ? searched : "no directories");
    }
    sl_tpl_dirs_free(dirs, dir_count);
    return tpl;
}

sl_template *sl_template_load(const char *name_or_path, sl_error *err)
{
    size_t len = strlen(name_or_path);
    int is_path = strchr(name_or_path, '/') != NULL ||
                  (len > 5 && strcmp(name_or_path + len - 5, ".json") == 0);
    if (is_path)
        return sl_template_load_file(name_or_path, err);
    return load_by_name(name_or_path, err);
}

/* ---- listing ---- */

/* A template file found on the search path. */
typedef struct listed_file {
    char *name;     /* the file's name without .json */
    char *path;
} listed_file;

static void listed_free(listed_file *files, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(files[i].name);
        free(files[i].path);
    }
    free(files);
}

static int has_name(const listed_file *files, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(files[i].name, name) == 0)
            return 1;
    return 0;
}

/* Adds the template files of one directory whose names an earlier directory did not give. */
static int list_dir(const char *dir, listed_file **files, size_t *count)
{
    DIR *handle = opendir(dir);
    if (!handle)
        return 0;   /* a directory of the path that does not exist is not an error */
    struct dirent *entry;
    int rc = 0;
    while (rc == 0 && (entry = readdir(handle)) != NULL) {
        size_t len = strlen(entry->d_name);
        if (len <= 5 || strcmp(entry->d_name + len - 5, ".json") != 0)
            continue;
        char name[MAX_NAME + 1];
        if (len - 5 > MAX_NAME)
            continue;
        memcpy(name, entry->d_name, len - 5);
        name[len - 5] = '\0';
        if (!sl_tpl_name_valid(name) || has_name(*files, *count, name))
            continue;
        char path[PATH_MAX];
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name) >= sizeof(path))
            continue;
        listed_file *grown = realloc(*files, (*count + 1) * sizeof(**files));
        if (!grown) {
            rc = -1;
            break;
        }
        *files = grown;
        grown[*count] = (listed_file){ strdup(name), strdup(path) };
        if (!grown[*count].name || !grown[*count].path) {
            free(grown[*count].name);
            free(grown[*count].path);
            rc = -1;
            break;
        }
        (*count)++;
    }
    closedir(handle);
    return rc;
}

static int compare_files(const void *a, const void *b)
{
    return strcmp(((const listed_file *)a)->name, ((const listed_file *)b)->name);
}

/* Every template file of the search path, in name order (an earlier directory's where two
 * give a name); NULL with *count 0 when there is none or on error (err set then). */
static listed_file *list_files(size_t *count, sl_error *err)
{
    *count = 0;
    size_t dir_count;
    char **dirs = sl_tpl_search_dirs(&dir_count, err);
    if (!dirs && dir_count == 0 && err && err->message[0])
        return NULL;
    listed_file *files = NULL;
    for (size_t i = 0; i < dir_count; i++) {
        if (list_dir(dirs[i], &files, count) != 0) {
            listed_free(files, *count);
            sl_tpl_dirs_free(dirs, dir_count);
            *count = 0;
            sl_error_set(err, "out of memory");
            return NULL;
        }
    }
    sl_tpl_dirs_free(dirs, dir_count);
    if (*count > 1)
        qsort(files, *count, sizeof(*files), compare_files);
    return files;
}

/* An export-only layout (an "export" section and no "fields") is not listed. A file that
 * cannot be parsed is listed, so that `templates list` names it as broken. */
static int is_import_template(const char *path)
{
    sl_error ignored = { "" };
    json_t *root = sl_tpl_read_json(path, &ignored);
    int export_only = root && sl_tpl_json_export_only(root);
    json_decref(root);
    return !export_only;
}

char **sl_template_list(size_t *count, sl_error *err)
{
    size_t file_count;
    listed_file *files = list_files(&file_count, err);
    char **names = file_count ? calloc(file_count, sizeof(char *)) : NULL;
    *count = 0;
    if (file_count && !names) {
        listed_free(files, file_count);
        sl_error_set(err, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < file_count; i++) {
        if (!is_import_template(files[i].path))
            continue;
        names[(*count)++] = files[i].name;   /* taken */
        files[i].name = NULL;
    }
    listed_free(files, file_count);
    return names;
}

int sl_tpl_each(sl_tpl_visit visit, void *ctx, sl_error *err)
{
    size_t count;
    listed_file *files = list_files(&count, err);
    if (!files && err && err->message[0])
        return -1;
    for (size_t i = 0; i < count; i++) {
        sl_error load_err = { "" };
        json_t *root = sl_tpl_read_json(files[i].path, &load_err);
        if (root && sl_tpl_json_export_only(root)) {
            json_decref(root);
            continue;
        }
        sl_template *tpl = root ? sl_tpl_from_json(files[i].path, root, &load_err) : NULL;
        json_decref(root);
        tpl = named_as_file(tpl, files[i].path, files[i].name, &load_err);
        visit(ctx, files[i].name, tpl, &load_err);
    }
    listed_free(files, count);
    return 0;
}

void sl_template_names_free(char **names, size_t count)
{
    if (!names)
        return;
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}
