/* export_layout.c: a template's "export" section (man/shipload-template.5, EXPORT LAYOUTS)
 * parsed into an sl_export_layout, strictly like the rest of the loader: an unknown key, a
 * value of the wrong type, an unknown field or a name XML cannot carry fails with the file and
 * the key named. Also the export field names (the vocabulary of columns). It does not fetch or
 * write anything: that is src/api/export_fetch.c and src/report/export_writer.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/tree.h>
#include "export_layout.h"
#include "template_internal.h"

#define KEY_MAX 256

static const char *const field_names[] = {
#define SL_EXPORT_FIELD_NAME(id, name, help) name,
    SL_EXPORT_FIELD_TABLE(SL_EXPORT_FIELD_NAME)
#undef SL_EXPORT_FIELD_NAME
};

const char *sl_export_field_name(sl_export_field field)
{
    if ((int)field < 0 || field >= SL_EXPORT_FIELD_COUNT)
        return "";
    return field_names[field];
}

int sl_export_field_lookup(const char *name)
{
    for (int i = 0; i < SL_EXPORT_FIELD_COUNT; i++)
        if (strcmp(field_names[i], name) == 0)
            return i;
    return -1;
}

static void free_columns(sl_export_column *columns, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(columns[i].name);
        free(columns[i].constant);
    }
    free(columns);
}

void sl_export_layout_free(sl_export_layout *layout)
{
    if (!layout)
        return;
    free_columns(layout->columns, layout->column_count);
    free_columns(layout->item_columns, layout->item_column_count);
    free(layout->xml_root);
    free(layout->xml_record);
    free(layout->xml_item);
    free(layout->name);
    free(layout->path);
    free(layout);
}

/* ---- parsing ---- */

typedef struct layout_parser {
    const char *path;
    sl_error *err;
    sl_export_layout *layout;
} layout_parser;

static int fail(layout_parser *lp, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(layout_parser *lp, const char *key, const char *fmt, ...)
{
    char text[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    return sl_error_set(lp->err, "%s: %s: %s", lp->path, key, text);
}

static int check_keys(layout_parser *lp, json_t *object, const char *where,
                      const char *const *allowed)
{
    const char *key;
    json_t *value;
    json_object_foreach(object, key, value) {
        size_t i = 0;
        while (allowed[i] && strcmp(allowed[i], key) != 0)
            i++;
        if (allowed[i])
            continue;
        char expected[300] = "";
        size_t used = 0;
        for (i = 0; allowed[i] && used < sizeof(expected); i++)
            used += (size_t)snprintf(expected + used, sizeof(expected) - used, "%s%s",
                                     i ? ", " : "", allowed[i]);
        char full[2 * KEY_MAX];   /* where (shorter than KEY_MAX), '.', the key cut to fit */
        snprintf(full, sizeof(full), "%s.%.*s", where, KEY_MAX - 2, key);
        return fail(lp, full, "unknown key (expected one of: %s)", expected);
    }
    return 0;
}

static int take_string(layout_parser *lp, json_t *value, const char *key, int allow_empty,
                       char **out)
{
    if (!json_is_string(value))
        return fail(lp, key, "must be a string");
    const char *text = json_string_value(value);
    if (!allow_empty && !text[0])
        return fail(lp, key, "must not be empty");
    if (strlen(text) != json_string_length(value))
        return fail(lp, key, "must not contain NUL characters");
    if (!(*out = strdup(text)))
        return fail(lp, key, "out of memory");
    return 0;
}

static int take_bool(layout_parser *lp, json_t *value, const char *key, int *out)
{
    if (!json_is_boolean(value))
        return fail(lp, key, "must be true or false");
    *out = json_is_true(value);
    return 0;
}

/* An XML element name, or "@name" for an attribute (xml = 1); CSV headers are free text. */
static int check_xml_name(layout_parser *lp, const char *key, const char *name, int attribute_ok)
{
    const char *local = name;
    if (attribute_ok && name[0] == '@')
        local++;
    if (xmlValidateName(BAD_CAST local, 0) != 0)
        return fail(lp, key, "'%s' is not an XML name%s", name,
                    attribute_ok ? " (or @name for an attribute)" : "");
    return 0;
}

static int field_from(layout_parser *lp, const char *key, const char *name)
{
    int field = sl_export_field_lookup(name);
    if (field >= 0)
        return field;
    char known[900] = "";
    size_t used = 0;
    for (int i = 0; i < SL_EXPORT_FIELD_COUNT && used < sizeof(known); i++)
        used += (size_t)snprintf(known + used, sizeof(known) - used, "%s%s", i ? ", " : "",
                                 field_names[i]);
    return fail(lp, key, "unknown export field '%s' (fields are %s)", name, known);
}

/* "field" (name and field the same; "@field" in XML), or {"name", "field"} or {"name", "value"}. */
static int parse_column(layout_parser *lp, const char *where, json_t *spec, int xml,
                        sl_export_column *column)
{
    static const char *const keys[] = { "comment", "name", "field", "value", NULL };
    column->field = -1;
    if (json_is_string(spec)) {
        if (take_string(lp, spec, where, 0, &column->name) != 0)
            return -1;
        /* an attribute's name without its '@' names the field */
        const char *field_name = xml && column->name[0] == '@' ? column->name + 1 : column->name;
        if ((column->field = field_from(lp, where, field_name)) < 0)
            return -1;
    } else if (json_is_object(spec)) {
        char key[KEY_MAX + 16];
        if (check_keys(lp, spec, where, keys) != 0)
            return -1;
        json_t *name = json_object_get(spec, "name");
        json_t *field = json_object_get(spec, "field");
        json_t *value = json_object_get(spec, "value");
        snprintf(key, sizeof(key), "%s.name", where);
        if (!name)
            return fail(lp, key, "missing (the column's header or element name)");
        if (take_string(lp, name, key, 0, &column->name) != 0)
            return -1;
        if ((field != NULL) == (value != NULL))
            return fail(lp, where, "needs exactly one of \"field\" or \"value\"");
        if (field) {
            char *field_name = NULL;
            snprintf(key, sizeof(key), "%s.field", where);
            if (take_string(lp, field, key, 0, &field_name) != 0)
                return -1;
            column->field = field_from(lp, key, field_name);
            free(field_name);
            if (column->field < 0)
                return -1;
        } else {
            snprintf(key, sizeof(key), "%s.value", where);
            if (take_string(lp, value, key, 1, &column->constant) != 0)
                return -1;
        }
    } else {
        return fail(lp, where, "must be a field name or an object {\"name\", \"field\" or "
                               "\"value\"}");
    }
    return xml ? check_xml_name(lp, where, column->name, 1) : 0;
}

static int parse_columns(layout_parser *lp, json_t *spec, const char *key, int xml,
                         sl_export_column **out, size_t *count)
{
    if (!spec)
        return fail(lp, key, "missing (the columns to write)");
    if (!json_is_array(spec) || json_array_size(spec) == 0)
        return fail(lp, key, "must be a non-empty array of columns");
    size_t n = json_array_size(spec);
    if (!(*out = calloc(n, sizeof(sl_export_column))))
        return fail(lp, key, "out of memory");
    for (size_t i = 0; i < n; i++) {
        char where[KEY_MAX];
        snprintf(where, sizeof(where), "%s[%zu]", key, i);
        (*count)++;
        if (parse_column(lp, where, json_array_get(spec, i), xml, &(*out)[i]) != 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp((*out)[j].name, (*out)[i].name) == 0)
                return fail(lp, where, "'%s' is named twice", (*out)[i].name);
    }
    return 0;
}

static int parse_format(layout_parser *lp, json_t *spec, sl_format template_format)
{
    json_t *format = json_object_get(spec, "format");
    lp->layout->format = template_format == SL_FORMAT_XML ? SL_EXPORT_FORMAT_XML
                                                          : SL_EXPORT_FORMAT_CSV;
    if (!format)
        return 0;
    const char *text = json_is_string(format) ? json_string_value(format) : "";
    if (strcmp(text, "csv") == 0)
        lp->layout->format = SL_EXPORT_FORMAT_CSV;
    else if (strcmp(text, "xml") == 0)
        lp->layout->format = SL_EXPORT_FORMAT_XML;
    else
        return fail(lp, "export.format", "must be \"csv\" or \"xml\"");
    return 0;
}

static int parse_csv_options(layout_parser *lp, json_t *spec)
{
    sl_export_layout *layout = lp->layout;
    json_t *value;
    if ((value = json_object_get(spec, "delimiter"))) {
        const char *text = json_is_string(value) ? json_string_value(value) : "";
        if (strlen(text) != 1 || !strchr(",;\t|", text[0]))
            return fail(lp, "export.delimiter", "must be one of \",\", \";\", \"\\t\" or \"|\"");
        layout->delimiter = text[0];
    }
    if ((value = json_object_get(spec, "header")) &&
        take_bool(lp, value, "export.header", &layout->header) != 0)
        return -1;
    if ((value = json_object_get(spec, "formula_guard")) &&
        take_bool(lp, value, "export.formula_guard", &layout->formula_guard) != 0)
        return -1;
    if ((value = json_object_get(spec, "line_end"))) {
        const char *text = json_is_string(value) ? json_string_value(value) : "";
        if (strcmp(text, "crlf") != 0 && strcmp(text, "lf") != 0)
            return fail(lp, "export.line_end", "must be \"lf\" or \"crlf\"");
        layout->crlf = strcmp(text, "crlf") == 0;
    }
    return parse_columns(lp, json_object_get(spec, "columns"), "export.columns", 0,
                         &layout->columns, &layout->column_count);
}

static int parse_xml_names(layout_parser *lp, json_t *spec)
{
    static const struct { const char *key, *label; size_t offset; } names[] = {
        { "root", "export.root", offsetof(sl_export_layout, xml_root) },
        { "record", "export.record", offsetof(sl_export_layout, xml_record) },
        { "item", "export.item", offsetof(sl_export_layout, xml_item) },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char **slot = (char **)((char *)lp->layout + names[i].offset);
        json_t *value = json_object_get(spec, names[i].key);
        if (!value)
            return fail(lp, names[i].label, "missing (the element's name)");
        if (take_string(lp, value, names[i].label, 0, slot) != 0 ||
            check_xml_name(lp, names[i].label, *slot, 0) != 0)
            return -1;
    }
    return 0;
}

static int parse_xml_options(layout_parser *lp, json_t *spec)
{
    sl_export_layout *layout = lp->layout;
    return parse_xml_names(lp, spec) != 0 ||
                   parse_columns(lp, json_object_get(spec, "columns"), "export.columns", 1,
                                 &layout->columns, &layout->column_count) != 0 ||
                   parse_columns(lp, json_object_get(spec, "item_columns"),
                                 "export.item_columns", 1, &layout->item_columns,
                                 &layout->item_column_count) != 0
               ? -1
               : 0;
}

/* Keys of the other format are refused, so that a typo does not pass silently. */
static int check_format_keys(layout_parser *lp, json_t *spec)
{
    static const char *const csv_only[] = { "delimiter", "header", "formula_guard", "line_end",
                                            NULL };
    static const char *const xml_only[] = { "root", "record", "item", "item_columns", NULL };
    int xml = lp->layout->format == SL_EXPORT_FORMAT_XML;
    const char *const *wrong = xml ? csv_only : xml_only;
    for (size_t i = 0; wrong[i]; i++)
        if (json_object_get(spec, wrong[i])) {
            char key[KEY_MAX];
            snprintf(key, sizeof(key), "export.%s", wrong[i]);
            return fail(lp, key, "only for %s export layouts", xml ? "CSV" : "XML");
        }
    return 0;
}

int sl_tpl_export_layout_parse(const char *path, json_t *spec, sl_format template_format,
                            sl_export_layout **out, sl_error *err)
{
    static const char *const keys[] = { "comment", "format", "delimiter", "header",
                                        "formula_guard", "line_end", "columns", "root",
                                        "record", "item", "item_columns", NULL };
    layout_parser lp = { .path = path, .err = err };
    *out = NULL;
    if (!json_is_object(spec))
        return fail(&lp, "export", "must be an object (the export layout)");
    if (!(lp.layout = calloc(1, sizeof(sl_export_layout))))
        return fail(&lp, "export", "out of memory");
    lp.layout->delimiter = ',';
    lp.layout->header = 1;
    lp.layout->formula_guard = 1;
    int rc = check_keys(&lp, spec, "export", keys);
    if (rc == 0)
        rc = parse_format(&lp, spec, template_format);
    if (rc == 0)
        rc = check_format_keys(&lp, spec);
    if (rc == 0)
        rc = lp.layout->format == SL_EXPORT_FORMAT_XML ? parse_xml_options(&lp, spec)
                                                       : parse_csv_options(&lp, spec);
    if (rc != 0) {
        sl_export_layout_free(lp.layout);
        return -1;
    }
    *out = lp.layout;
    return 0;
}

/* ---- loading a template's export layout ---- */

/* The first <dir>/<name>.json on the search path (caller frees), NULL with err set. */
static char *find_by_name(const char *name, sl_error *err)
{
    if (!sl_tpl_name_valid(name)) {
        sl_error_set(err, "'%s' is not a template name (lowercase letters, digits, '-', '_' "
                          "and '.'; or give a path to a .json file)", name);
        return NULL;
    }
    size_t dir_count = 0;
    char **dirs = sl_tpl_search_dirs(&dir_count, err);
    char *found = NULL;
    for (size_t i = 0; i < dir_count && !found; i++) {
        char *path = NULL;
        if (asprintf(&path, "%s/%s.json", dirs[i], name) < 0)
            break;
        if (access(path, F_OK) == 0)
            found = path;
        else
            free(path);
    }
    sl_tpl_dirs_free(dirs, dir_count);
    if (!found)
        sl_error_set(err, "no template named '%s' on the template search path", name);
    return found;
}

/* An import template (it has "fields") must load as one; an export-only file may hold only
 * these keys. */
static int check_rest_of_template(const char *path, json_t *root, sl_error *err)
{
    static const char *const export_only_keys[] = { "comment", "name", "description", "format",
                                                    "export", NULL };
    if (json_object_get(root, "fields")) {
        sl_template *tpl = sl_template_load_file(path, err);
        sl_template_free(tpl);
        return tpl ? 0 : -1;
    }
    layout_parser lp = { .path = path, .err = err };
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value) {
        size_t i = 0;
        while (export_only_keys[i] && strcmp(export_only_keys[i], key) != 0)
            i++;
        if (!export_only_keys[i])
            return fail(&lp, key, "unknown key in an export-only template (expected one of: "
                                  "comment, name, description, format, export)");
    }
    return 0;
}

static int template_format_of(layout_parser *lp, json_t *root, sl_format *format)
{
    json_t *value = json_object_get(root, "format");
    const char *text = json_is_string(value) ? json_string_value(value) : "";
    if (strcmp(text, "csv") == 0)
        *format = SL_FORMAT_CSV;
    else if (strcmp(text, "xml") == 0)
        *format = SL_FORMAT_XML;
    else
        return fail(lp, "format", "missing or not \"csv\" or \"xml\"");
    return 0;
}

static sl_export_layout *layout_from_root(const char *path, const char *wanted_name,
                                          json_t *root, sl_error *err)
{
    layout_parser lp = { .path = path, .err = err };
    sl_format format = SL_FORMAT_CSV;
    json_t *name = json_object_get(root, "name");
    if (!json_is_string(name) || !sl_tpl_name_valid(json_string_value(name))) {
        fail(&lp, "name", "missing or not a valid template name");
        return NULL;
    }
    if (wanted_name && strcmp(wanted_name, json_string_value(name)) != 0) {
        fail(&lp, "name", "'%s' does not match the file name (expected '%s')",
             json_string_value(name), wanted_name);
        return NULL;
    }
    json_t *spec = json_object_get(root, "export");
    if (!spec) {
        sl_error_set(err, "%s: template '%s' has no export layout (no \"export\" section)",
                     path, json_string_value(name));
        return NULL;
    }
    sl_export_layout *layout = NULL;
    if (template_format_of(&lp, root, &format) != 0 ||
        check_rest_of_template(path, root, err) != 0 ||
        sl_tpl_export_layout_parse(path, spec, format, &layout, err) != 0)
        return NULL;
    if (!(layout->name = strdup(json_string_value(name))) || !(layout->path = strdup(path))) {
        sl_export_layout_free(layout);
        sl_error_set(err, "%s: out of memory", path);
        return NULL;
    }
    return layout;
}

sl_export_layout *sl_export_layout_load(const char *name_or_path, sl_error *err)
{
    size_t len = strlen(name_or_path);
    int is_path = strchr(name_or_path, '/') != NULL ||
                  (len > 5 && strcmp(name_or_path + len - 5, ".json") == 0);
    char *path = is_path ? strdup(name_or_path) : find_by_name(name_or_path, err);
    if (!path) {
        if (is_path)
            sl_error_set(err, "out of memory");
        return NULL;
    }
    sl_export_layout *layout = NULL;
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        sl_error_set(err, "%s: cannot load the template: %s", path, jerr.text);
    else if (!json_is_object(root))
        sl_error_set(err, "%s: a template is a JSON object", path);
    else
        layout = layout_from_root(path, is_path ? NULL : name_or_path, root, err);
    json_decref(root);
    free(path);
    return layout;
}

int sl_tpl_export_layout_check(const char *path, json_t *spec, sl_format template_format,
                            sl_error *err)
{
    sl_export_layout *layout = NULL;
    if (sl_tpl_export_layout_parse(path, spec, template_format, &layout, err) != 0)
        return -1;
    sl_export_layout_free(layout);
    return 0;
}
