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
        tpl = sl_template_load_file(path, err);
        if (tpl && strcmp(tpl->name, name) != 0) {
            sl_error_set(err, "%s: name: '%s' does not match the file name (expected '%s')", path,
                         tpl->name, name);
            sl_template_free(tpl);
            tpl = NULL;
        }
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

/* An export-only layout (an "export" section and no "fields") is not listed. A file that
 * cannot be parsed is listed, so that `templates list` names it as broken. */
static int is_import_template(const char *path)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root)
        return 1;
    int export_only = json_is_object(root) && json_object_get(root, "export") &&
                      !json_object_get(root, "fields");
    json_decref(root);
    return !export_only;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_name(char **names, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

/* Adds the import templates of one directory that an earlier directory did not name. */
static int list_dir(const char *dir, char ***names, size_t *count)
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
        if (!sl_tpl_name_valid(name) || has_name(*names, *count, name))
            continue;
        char path[PATH_MAX];
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name) >= sizeof(path))
            continue;
        if (!is_import_template(path))
            continue;
        char **grown = realloc(*names, (*count + 1) * sizeof(char *));
        if (!grown || !(grown[*count] = strdup(name))) {
            if (grown)
                *names = grown;
            rc = -1;
            break;
        }
        *names = grown;
        (*count)++;
    }
    closedir(handle);
    return rc;
}

char **sl_template_list(size_t *count, sl_error *err)
{
    *count = 0;
    size_t dir_count;
    char **dirs = sl_tpl_search_dirs(&dir_count, err);
    if (!dirs && dir_count == 0 && err && err->message[0])
        return NULL;
    char **names = NULL;
    for (size_t i = 0; i < dir_count; i++) {
        if (list_dir(dirs[i], &names, count) != 0) {
            sl_template_names_free(names, *count);
            sl_tpl_dirs_free(dirs, dir_count);
            *count = 0;
            sl_error_set(err, "out of memory");
            return NULL;
        }
    }
    sl_tpl_dirs_free(dirs, dir_count);
    if (*count > 1)
        qsort(names, *count, sizeof(char *), compare_names);
    return names;
}

void sl_template_names_free(char **names, size_t count)
{
    if (!names)
        return;
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}
