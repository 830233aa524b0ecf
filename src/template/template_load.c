/* template_load.c: reads a template file (JSON, format in man/shipload-template.5) into a
 * struct sl_template, strictly: an unknown key, a value of the wrong type or out of its set, or a
 * missing required key fails with the file and the key path named
 * ("x.json: fields.quantity.transforms[1]: unknown transform 'uper' (...)").
 * It does not search for files (template_path.c) and does not read manifests. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <jansson.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>
#include "export_layout.h"
#include "template_internal.h"

#define KEY_MAX 256
#define MAX_COLUMN_NUMBER 100000

typedef struct loader {
    const char *path;
    sl_error *err;
    sl_template *tpl;
    int csv_header;           /* csv.header, known before fields are read */
    xmlDocPtr probe_doc;      /* a one-element document XPaths are tried on */
} loader;

/* "PATH: KEY: message"; always returns -1. */
static int fail(loader *ld, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(loader *ld, const char *key, const char *fmt, ...)
{
    char text[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (key && key[0])
        return sl_error_set(ld->err, "%s: %s: %s", ld->path, key, text);
    return sl_error_set(ld->err, "%s: %s", ld->path, text);
}

/* Key paths for messages ("fields.sku.map.UPS"); a path longer than KEY_MAX is cut. */
static void key_join(char *out, const char *parent, const char *child)
{
    int written;
    if (parent && parent[0])
        written = snprintf(out, KEY_MAX, "%s.%s", parent, child);
    else
        written = snprintf(out, KEY_MAX, "%s", child);
    if (written < 0)
        out[0] = '\0';
}

static void key_index(char *out, const char *parent, size_t index)
{
    if (snprintf(out, KEY_MAX, "%s[%zu]", parent, index) < 0)
        out[0] = '\0';
}

static int in_list(const char *key, const char *const *allowed)
{
    for (size_t i = 0; allowed[i]; i++)
        if (strcmp(allowed[i], key) == 0)
            return 1;
    return 0;
}

static int check_keys(loader *ld, json_t *object, const char *where, const char *const *allowed)
{
    const char *key;
    json_t *value;
    json_object_foreach(object, key, value) {
        if (in_list(key, allowed))
            continue;
        char expected[300] = "";
        size_t used = 0;
        for (size_t i = 0; allowed[i] && used < sizeof(expected); i++)
            used += (size_t)snprintf(expected + used, sizeof(expected) - used, "%s%s",
                                     i ? ", " : "", allowed[i]);
        char full[KEY_MAX];
        key_join(full, where, key);
        return fail(ld, full, "unknown key (expected one of: %s)", expected);
    }
    return 0;
}

static const char *type_name(const json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* A string value (non-empty unless allow_empty); *out is a copy. */
static int take_string(loader *ld, json_t *value, const char *key, int allow_empty, char **out)
{
    if (!json_is_string(value))
        return fail(ld, key, "must be a string, not %s", type_name(value));
    const char *text = json_string_value(value);
    if (!allow_empty && text[0] == '\0')
        return fail(ld, key, "must not be empty");
    if (strlen(text) != json_string_length(value))
        return fail(ld, key, "must not contain NUL characters");
    if (!(*out = strdup(text)))
        return fail(ld, key, "out of memory");
    return 0;
}

static int take_bool(loader *ld, json_t *value, const char *key, int *out)
{
    if (!json_is_boolean(value))
        return fail(ld, key, "must be true or false, not %s", type_name(value));
    *out = json_is_true(value);
    return 0;
}

/* An array of strings (at least one). */
static int take_strings(loader *ld, json_t *value, const char *key, char ***out, size_t *count)
{
    if (!json_is_array(value))
        return fail(ld, key, "must be an array of strings, not %s", type_name(value));
    size_t n = json_array_size(value);
    if (n == 0)
        return fail(ld, key, "must not be empty");
    *out = calloc(n, sizeof(char *));
    if (!*out)
        return fail(ld, key, "out of memory");
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        char item_key[KEY_MAX];
        key_index(item_key, key, i);
        if (take_string(ld, json_array_get(value, i), item_key, 0, &(*out)[i]) != 0)
            return -1;
        (*count)++;
    }
    return 0;
}

/* ---- XPath checks ---- */

typedef struct xpath_probe {
    int code;
} xpath_probe;

static void xpath_error(void *data, xmlErrorPtr error)
{
    xpath_probe *probe = data;
    if (probe->code == 0)
        probe->code = error && error->code ? error->code : -1;
}

static void quiet_generic_error(void *context, const char *fmt, ...)
{
    (void)context;
    (void)fmt;
}

/* Compiles the XPath and tries it on a one-element document, so that syntax errors,
 * undeclared prefixes and unknown functions are found when the template loads. */
static int check_xpath(loader *ld, const char *key, const char *xpath)
{
    if (!ld->probe_doc) {
        ld->probe_doc = xmlNewDoc(BAD_CAST "1.0");
        if (!ld->probe_doc)
            return fail(ld, key, "out of memory");
        xmlDocSetRootElement(ld->probe_doc, xmlNewNode(NULL, BAD_CAST "record"));
    }
    xmlXPathContextPtr context = xmlXPathNewContext(ld->probe_doc);
    if (!context)
        return fail(ld, key, "out of memory");
    xpath_probe probe = { 0 };
    context->error = xpath_error;
    context->userData = &probe;
    context->node = xmlDocGetRootElement(ld->probe_doc);
    for (size_t i = 0; i < ld->tpl->xml_namespace_count; i++)
        xmlXPathRegisterNs(context, BAD_CAST ld->tpl->xml_namespaces[i].prefix,
                           BAD_CAST ld->tpl->xml_namespaces[i].uri);
    /* libxml2 also reports some evaluation errors through its generic handler (to stderr):
     * silenced for the probe, then put back */
    xmlGenericErrorFunc saved_handler = xmlGenericError;
    void *saved_context = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet_generic_error);
    xmlXPathCompExprPtr compiled = xmlXPathCtxtCompile(context, BAD_CAST xpath);
    if (compiled) {
        xmlXPathObjectPtr result = xmlXPathCompiledEval(compiled, context);
        xmlXPathFreeObject(result);
        xmlXPathFreeCompExpr(compiled);
    } else if (probe.code == 0) {
        probe.code = -1;
    }
    xmlSetGenericErrorFunc(saved_context, saved_handler);
    xmlXPathFreeContext(context);
    if (probe.code == XML_XPATH_UNDEF_PREFIX_ERROR)
        return fail(ld, key, "'%s': undeclared namespace prefix (declare it in xml.namespaces)",
                    xpath);
    if (probe.code == XML_XPATH_UNKNOWN_FUNC_ERROR)
        return fail(ld, key, "'%s': unknown XPath function", xpath);
    if (probe.code != 0)
        return fail(ld, key, "'%s' is not a valid XPath expression", xpath);
    return 0;
}

/* An XML name without a prefix (what the reader matches the record element against). */
static int check_local_name(loader *ld, const char *key, const char *name)
{
    for (const char *c = name; *c; c++)
        if (*c == ':' || *c == '/' || *c == ' ' || *c == '<' || *c == '>' || *c == '"' ||
            *c == '\'' || *c == '[' || *c == '@')
            return fail(ld, key, "'%s' is not an element's local name (no prefix or path: "
                                 "give the namespace separately)", name);
    return 0;
}

/* ---- format, encoding, csv, xml ---- */

static int parse_format(loader *ld, json_t *root)
{
    json_t *value = json_object_get(root, "format");
    if (!value)
        return fail(ld, "format", "missing (\"csv\" or \"xml\")");
    if (!json_is_string(value))
        return fail(ld, "format", "must be \"csv\" or \"xml\", not %s", type_name(value));
    const char *text = json_string_value(value);
    if (strcmp(text, "csv") == 0)
        ld->tpl->format = SL_FORMAT_CSV;
    else if (strcmp(text, "xml") == 0)
        ld->tpl->format = SL_FORMAT_XML;
    else
        return fail(ld, "format", "unknown format '%s' (expected \"csv\" or \"xml\")", text);
    return 0;
}

static int parse_encoding(loader *ld, json_t *root)
{
    json_t *value = json_object_get(root, "encoding");
    ld->tpl->encoding = SL_ENCODING_AUTO;
    if (!value)
        return 0;
    if (!json_is_string(value))
        return fail(ld, "encoding", "must be a string, not %s", type_name(value));
    const char *text = json_string_value(value);
    if (strcmp(text, "auto") == 0)
        return 0;
    if (sl_encoding_parse(text, &ld->tpl->encoding) != 0)
        return fail(ld, "encoding", "unknown encoding '%s' (expected auto, utf-8, utf-16le, "
                                    "utf-16be, latin-1 or windows-1252)", text);
    return 0;
}

static int parse_single_char(loader *ld, json_t *value, const char *key, char *out)
{
    if (!json_is_string(value) || json_string_length(value) != 1)
        return fail(ld, key, "must be a one-character string");
    unsigned char c = (unsigned char)json_string_value(value)[0];
    if (c == '\n' || c == '\r' || c == '\0' || c >= 0x80)
        return fail(ld, key, "must be a printable ASCII character or a tab");
    *out = (char)c;
    return 0;
}

static int parse_csv(loader *ld, json_t *root)
{
    static const char *const keys[] = { "comment", "delimiter", "header", "quote", NULL };
    sl_template *tpl = ld->tpl;
    tpl->csv.delimiter = 0;
    tpl->csv.has_header = 1;
    tpl->csv.quote = '"';
    json_t *csv = json_object_get(root, "csv");
    if (!csv) {
        ld->csv_header = 1;
        return 0;
    }
    if (tpl->format != SL_FORMAT_CSV)
        return fail(ld, "csv", "only for \"format\": \"csv\"");
    if (!json_is_object(csv))
        return fail(ld, "csv", "must be an object, not %s", type_name(csv));
    if (check_keys(ld, csv, "csv", keys) != 0)
        return -1;
    json_t *delimiter = json_object_get(csv, "delimiter");
    if (delimiter && !(json_is_string(delimiter) &&
                       strcmp(json_string_value(delimiter), "sniff") == 0)) {
        if (!json_is_string(delimiter) || json_string_length(delimiter) != 1)
            return fail(ld, "csv.delimiter", "must be \"sniff\" or one character such as \",\" "
                                             "\";\" \"\\t\" \"|\"");
        if (parse_single_char(ld, delimiter, "csv.delimiter", &tpl->csv.delimiter) != 0)
            return -1;
    }
    json_t *header = json_object_get(csv, "header");
    if (header && take_bool(ld, header, "csv.header", &tpl->csv.has_header) != 0)
        return -1;
    json_t *quote = json_object_get(csv, "quote");
    if (quote && parse_single_char(ld, quote, "csv.quote", &tpl->csv.quote) != 0)
        return -1;
    if (tpl->csv.delimiter && tpl->csv.delimiter == tpl->csv.quote)
        return fail(ld, "csv.quote", "must differ from the delimiter");
    ld->csv_header = tpl->csv.has_header;
    return 0;
}

static int parse_namespaces(loader *ld, json_t *namespaces)
{
    sl_template *tpl = ld->tpl;
    if (!json_is_object(namespaces))
        return fail(ld, "xml.namespaces", "must be an object of prefix: URI, not %s",
                    type_name(namespaces));
    size_t n = json_object_size(namespaces);
    tpl->xml_namespaces = calloc(n ? n : 1, sizeof(sl_xml_namespace));
    if (!tpl->xml_namespaces)
        return fail(ld, "xml.namespaces", "out of memory");
    const char *prefix;
    json_t *uri;
    json_object_foreach(namespaces, prefix, uri) {
        char key[KEY_MAX];
        key_join(key, "xml.namespaces", prefix);
        if (prefix[0] == '\0' || strchr(prefix, ':') || strchr(prefix, ' '))
            return fail(ld, key, "not a namespace prefix");
        char *prefix_copy = strdup(prefix);
        char *uri_copy = NULL;
        if (!prefix_copy)
            return fail(ld, key, "out of memory");
        tpl->xml_namespaces[tpl->xml_namespace_count].prefix = prefix_copy;
        tpl->xml_namespace_count++;
        if (take_string(ld, uri, key, 0, &uri_copy) != 0)
            return -1;
        tpl->xml_namespaces[tpl->xml_namespace_count - 1].uri = uri_copy;
    }
    return 0;
}

static int parse_xml(loader *ld, json_t *root)
{
    static const char *const keys[] = { "comment", "record", "namespace", "item", "namespaces",
                                        "default_namespace", NULL };
    sl_template *tpl = ld->tpl;
    json_t *xml = json_object_get(root, "xml");
    if (tpl->format != SL_FORMAT_XML) {
        if (xml)
            return fail(ld, "xml", "only for \"format\": \"xml\"");
        return 0;
    }
    if (!xml)
        return fail(ld, "xml", "missing (an XML template names its record element)");
    if (!json_is_object(xml))
        return fail(ld, "xml", "must be an object, not %s", type_name(xml));
    if (check_keys(ld, xml, "xml", keys) != 0)
        return -1;
    json_t *value;
    if ((value = json_object_get(xml, "namespaces")) && parse_namespaces(ld, value) != 0)
        return -1;
    if ((value = json_object_get(xml, "default_namespace")) &&
        take_string(ld, value, "xml.default_namespace", 0, &tpl->xml_default_namespace) != 0)
        return -1;
    if (!(value = json_object_get(xml, "record")))
        return fail(ld, "xml.record", "missing (the local name of the record element)");
    if (take_string(ld, value, "xml.record", 0, &tpl->xml_record) != 0 ||
        check_local_name(ld, "xml.record", tpl->xml_record) != 0)
        return -1;
    if ((value = json_object_get(xml, "namespace")) &&
        take_string(ld, value, "xml.namespace", 0, &tpl->xml_record_namespace) != 0)
        return -1;
    if ((value = json_object_get(xml, "item")) &&
        (take_string(ld, value, "xml.item", 0, &tpl->xml_item) != 0 ||
         check_xpath(ld, "xml.item", tpl->xml_item) != 0))
        return -1;
    return 0;
}

/* ---- detect ---- */

static int parse_detect_columns(loader *ld, json_t *columns)
{
    sl_template *tpl = ld->tpl;
    if (!json_is_array(columns) || json_array_size(columns) == 0)
        return fail(ld, "detect.columns", "must be a non-empty array of column names");
    if (!ld->csv_header)
        return fail(ld, "detect.columns", "needs a header row (csv.header is false)");
    size_t n = json_array_size(columns);
    tpl->required = calloc(n, sizeof(tpl_required));
    if (!tpl->required)
        return fail(ld, "detect.columns", "out of memory");
    for (size_t i = 0; i < n; i++) {
        char key[KEY_MAX];
        key_index(key, "detect.columns", i);
        json_t *entry = json_array_get(columns, i);
        tpl_required *required = &tpl->required[i];
        tpl->required_count++;
        if (json_is_string(entry)) {
            required->names = calloc(1, sizeof(char *));
            if (!required->names)
                return fail(ld, key, "out of memory");
            required->count = 1;
            if (take_string(ld, entry, key, 0, &required->names[0]) != 0)
                return -1;
        } else if (json_is_array(entry)) {
            if (take_strings(ld, entry, key, &required->names, &required->count) != 0)
                return -1;
        } else {
            return fail(ld, key, "must be a column name or an array of alternative names, "
                                 "not %s", type_name(entry));
        }
    }
    return 0;
}

/* detect.row: [{ "column": N, "in": [...] | "prefix": "..." | "digits": N }, ...] */
static int parse_detect_row(loader *ld, json_t *row)
{
    static const char *const keys[] = { "comment", "column", "in", "prefix", "digits", NULL };
    sl_template *tpl = ld->tpl;
    if (!json_is_array(row) || json_array_size(row) == 0)
        return fail(ld, "detect.row", "must be a non-empty array of column tests");
    size_t n = json_array_size(row);
    tpl->row_tests = calloc(n, sizeof(tpl_row_test));
    if (!tpl->row_tests)
        return fail(ld, "detect.row", "out of memory");
    for (size_t i = 0; i < n; i++) {
        char key[KEY_MAX], sub[KEY_MAX];
        key_index(key, "detect.row", i);
        json_t *entry = json_array_get(row, i);
        tpl_row_test *test = &tpl->row_tests[tpl->row_test_count++];
        if (!json_is_object(entry))
            return fail(ld, key, "must be an object, not %s", type_name(entry));
        if (check_keys(ld, entry, key, keys) != 0)
            return -1;
        json_t *column = json_object_get(entry, "column");
        if (!json_is_integer(column) || json_integer_value(column) < 1 ||
            json_integer_value(column) > MAX_COLUMN_NUMBER)
            return fail(ld, key, "needs \"column\": a 1-based column number");
        test->column = (size_t)json_integer_value(column);
        json_t *in = json_object_get(entry, "in"), *prefix = json_object_get(entry, "prefix");
        json_t *digits = json_object_get(entry, "digits");
        if ((in != NULL) + (prefix != NULL) + (digits != NULL) != 1)
            return fail(ld, key, "needs exactly one test: \"in\", \"prefix\" or \"digits\"");
        if (in) {
            key_join(sub, key, "in");
            if (take_strings(ld, in, sub, &test->values, &test->value_count) != 0)
                return -1;
        } else if (prefix) {
            key_join(sub, key, "prefix");
            if (take_string(ld, prefix, sub, 0, &test->prefix) != 0)
                return -1;
        } else if (!json_is_integer(digits) || json_integer_value(digits) < 1 ||
                   json_integer_value(digits) > 64) {
            key_join(sub, key, "digits");
            return fail(ld, sub, "must be a number of digits (1 to 64)");
        } else {
            test->digits = (size_t)json_integer_value(digits);
        }
    }
    return 0;
}

static int parse_detect(loader *ld, json_t *root)
{
    static const char *const keys[] = { "comment", "columns", "row", "width", "root",
                                        "root_namespace", "elements", NULL };
    sl_template *tpl = ld->tpl;
    json_t *detect = json_object_get(root, "detect");
    if (!detect)
        return 0;
    if (!json_is_object(detect))
        return fail(ld, "detect", "must be an object, not %s", type_name(detect));
    if (check_keys(ld, detect, "detect", keys) != 0)
        return -1;
    json_t *value;
    int csv = tpl->format == SL_FORMAT_CSV;
    if ((value = json_object_get(detect, "columns"))) {
        if (!csv)
            return fail(ld, "detect.columns", "only for CSV templates (use root and elements)");
        if (parse_detect_columns(ld, value) != 0)
            return -1;
    }
    if ((value = json_object_get(detect, "row")) || json_object_get(detect, "width")) {
        if (!csv || ld->csv_header)
            return fail(ld, "detect.row", "only for CSV templates without a header (use "
                                          "columns)");
        if (value && parse_detect_row(ld, value) != 0)
            return -1;
        json_t *width = json_object_get(detect, "width");
        if (width) {
            if (!json_is_integer(width) || json_integer_value(width) < 1 ||
                json_integer_value(width) > MAX_COLUMN_NUMBER)
                return fail(ld, "detect.width", "must be a number of columns");
            tpl->detect_width = (size_t)json_integer_value(width);
        }
    }
    static const char *const xml_keys[] = { "root", "root_namespace", "elements", NULL };
    for (size_t i = 0; xml_keys[i]; i++) {
        char key[KEY_MAX];
        key_join(key, "detect", xml_keys[i]);
        if (csv && json_object_get(detect, xml_keys[i]))
            return fail(ld, key, "only for XML templates (use columns)");
    }
    if ((value = json_object_get(detect, "root")) &&
        (take_string(ld, value, "detect.root", 0, &tpl->detect_root) != 0 ||
         check_local_name(ld, "detect.root", tpl->detect_root) != 0))
        return -1;
    if ((value = json_object_get(detect, "root_namespace"))) {
        if (!tpl->detect_root)
            return fail(ld, "detect.root_namespace", "needs detect.root");
        if (take_string(ld, value, "detect.root_namespace", 0, &tpl->detect_root_namespace) != 0)
            return -1;
    }
    if ((value = json_object_get(detect, "elements"))) {
        if (take_strings(ld, value, "detect.elements", &tpl->detect_elements,
                         &tpl->detect_element_count) != 0)
            return -1;
        for (size_t i = 0; i < tpl->detect_element_count; i++) {
            char key[KEY_MAX];
            key_index(key, "detect.elements", i);
            if (check_local_name(ld, key, tpl->detect_elements[i]) != 0)
                return -1;
        }
    }
    return 0;
}

/* ---- dates, notify, verify ---- */

static int check_date_format(loader *ld, const char *key, const char *format)
{
    static const char conversions[] = "YymdebBhHIMSpjaATDFzZ%nt";
    int conversion_count = 0;
    for (const char *c = format; *c; c++) {
        if (*c != '%')
            continue;
        c++;
        if (*c == '\0' || !strchr(conversions, *c))
            return fail(ld, key, "'%s': unknown conversion '%%%c' (use strftime conversions "
                                 "such as %%Y %%m %%d %%b %%H %%M %%S)", format, *c ? *c : ' ');
        if (*c != '%' && *c != 'n' && *c != 't')
            conversion_count++;
    }
    if (conversion_count == 0)
        return fail(ld, key, "'%s' has no date conversion (such as %%Y-%%m-%%d)", format);
    return 0;
}

static int parse_dates_and_switches(loader *ld, json_t *root)
{
    sl_template *tpl = ld->tpl;
    json_t *value;
    if ((value = json_object_get(root, "date_formats"))) {
        if (take_strings(ld, value, "date_formats", &tpl->date_formats,
                         &tpl->date_format_count) != 0)
            return -1;
        for (size_t i = 0; i < tpl->date_format_count; i++) {
            char key[KEY_MAX];
            key_index(key, "date_formats", i);
            if (check_date_format(ld, key, tpl->date_formats[i]) != 0)
                return -1;
        }
    }
    tpl->notify_default = -1;
    if ((value = json_object_get(root, "notify_default")) && !json_is_null(value) &&
        take_bool(ld, value, "notify_default", &tpl->notify_default) != 0)
        return -1;
    tpl->verify_tracking = 1;
    if ((value = json_object_get(root, "verify_tracking")) &&
        take_bool(ld, value, "verify_tracking", &tpl->verify_tracking) != 0)
        return -1;
    return 0;
}

/* ---- fields ---- */

static int parse_kind(loader *ld, const char *key, json_t *value, sl_ref_kind *out)
{
    static const struct { const char *name; sl_ref_kind kind; } kinds[] = {
        { "id", SL_REF_ID }, { "name", SL_REF_NAME }, { "auto", SL_REF_AUTO } };
    if (!json_is_string(value))
        return fail(ld, key, "must be \"id\", \"name\" or \"auto\", not %s", type_name(value));
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i].name, json_string_value(value)) == 0) {
            *out = kinds[i].kind;
            return 0;
        }
    return fail(ld, key, "unknown kind '%s' (expected \"id\", \"name\" or \"auto\")",
                json_string_value(value));
}

static int parse_transforms(loader *ld, const char *where, json_t *value, tpl_source *source)
{
    char key[KEY_MAX];
    key_join(key, where, "transforms");
    if (!json_is_array(value))
        return fail(ld, key, "must be an array of transform names, not %s", type_name(value));
    if (json_array_size(value) > TPL_MAX_TRANSFORMS)
        return fail(ld, key, "at most %d transforms", TPL_MAX_TRANSFORMS);
    source->transform_count = 0;
    for (size_t i = 0; i < json_array_size(value); i++) {
        char item_key[KEY_MAX];
        key_index(item_key, key, i);
        json_t *item = json_array_get(value, i);
        if (!json_is_string(item))
            return fail(ld, item_key, "must be a transform name, not %s", type_name(item));
        int transform = sl_tpl_transform_lookup(json_string_value(item));
        if (transform < 0)
            return fail(ld, item_key, "unknown transform '%s' (expected trim, upper, lower, "
                                      "strip_hash or remove_spaces)", json_string_value(item));
        source->transforms[source->transform_count++] = (tpl_transform)transform;
    }
    return 0;
}

static int parse_map(loader *ld, const char *where, json_t *value, tpl_source *source)
{
    char key[KEY_MAX];
    key_join(key, where, "map");
    if (!json_is_object(value) || json_object_size(value) == 0)
        return fail(ld, key, "must be a non-empty object of \"value\": \"replacement\"");
    source->map = calloc(json_object_size(value), sizeof(tpl_map_entry));
    if (!source->map)
        return fail(ld, key, "out of memory");
    const char *from;
    json_t *to;
    json_object_foreach(value, from, to) {
        char entry_key[KEY_MAX];
        key_join(entry_key, key, from);
        for (size_t i = 0; i < source->map_count; i++)
            if (sl_tpl_equal_nocase(source->map[i].from, from))
                return fail(ld, entry_key, "listed twice (map keys are compared ignoring case)");
        tpl_map_entry *entry = &source->map[source->map_count];
        if (!(entry->from = strdup(from)))
            return fail(ld, entry_key, "out of memory");
        source->map_count++;
        if (take_string(ld, to, entry_key, 1, &entry->to) != 0)
            return -1;
    }
    return 0;
}

/* Where the value comes from: column, value or xpath (exactly one). */
static int parse_origin(loader *ld, const char *where, json_t *spec, tpl_source *source)
{
    json_t *column = json_object_get(spec, "column");
    json_t *constant = json_object_get(spec, "value");
    json_t *xpath = json_object_get(spec, "xpath");
    int given = (column != NULL) + (constant != NULL) + (xpath != NULL);
    if (given != 1)
        return fail(ld, where, "needs exactly one of \"column\", \"value\" or \"xpath\"");
    char key[KEY_MAX];
    int xml = ld->tpl->format == SL_FORMAT_XML;
    if (column) {
        key_join(key, where, "column");
        if (xml)
            return fail(ld, key, "not for an XML template (use xpath)");
        if (json_is_integer(column)) {
            json_int_t number = json_integer_value(column);
            if (number < 1 || number > MAX_COLUMN_NUMBER)
                return fail(ld, key, "column numbers start at 1 (got %lld)", (long long)number);
            source->kind = TPL_SOURCE_COLUMN_NUMBER;
            source->column_number = (size_t)number;
            return 0;
        }
        if (!json_is_string(column))
            return fail(ld, key, "must be a column name or a 1-based column number, not %s",
                        type_name(column));
        if (!ld->csv_header)
            return fail(ld, key, "the file has no header (csv.header is false): give a column "
                                 "number");
        source->kind = TPL_SOURCE_COLUMN_NAME;
        return take_string(ld, column, key, 0, &source->column_name);
    }
    if (constant) {
        key_join(key, where, "value");
        source->kind = TPL_SOURCE_CONSTANT;
        return take_string(ld, constant, key, 1, &source->constant);
    }
    key_join(key, where, "xpath");
    if (!xml)
        return fail(ld, key, "only for XML templates (use column)");
    source->kind = TPL_SOURCE_XPATH;
    if (take_string(ld, xpath, key, 0, &source->xpath) != 0)
        return -1;
    return check_xpath(ld, key, source->xpath);
}

/* level and name, for XPath sources only. */
static int parse_xpath_options(loader *ld, const char *where, json_t *spec, tpl_source *source,
                               const char *default_name)
{
    json_t *level = json_object_get(spec, "level");
    json_t *name = json_object_get(spec, "name");
    char key[KEY_MAX];
    if (source->kind != TPL_SOURCE_XPATH) {
        if (level) {
            key_join(key, where, "level");
            return fail(ld, key, "only with xpath");
        }
        if (name) {
            key_join(key, where, "name");
            return fail(ld, key, "only with xpath");
        }
        return 0;
    }
    if (level) {
        key_join(key, where, "level");
        const char *text = json_is_string(level) ? json_string_value(level) : "";
        if (strcmp(text, "item") == 0)
            source->item_level = 1;
        else if (strcmp(text, "record") != 0)
            return fail(ld, key, "must be \"record\" or \"item\"");
        if (source->item_level && !ld->tpl->xml_item)
            return fail(ld, key, "\"item\" needs xml.item (the item path)");
    }
    if (name) {
        key_join(key, where, "name");
        return take_string(ld, name, key, 0, &source->column_name);
    }
    if (!(source->column_name = strdup(default_name)))
        return fail(ld, where, "out of memory");
    return 0;
}

static int parse_aliases(loader *ld, const char *where, json_t *value, tpl_source *source);
static int parse_inherit(loader *ld, const char *where, const char *default_name, json_t *value,
                         tpl_source *source);

static int parse_source_object(loader *ld, tpl_field_id field, const char *where, json_t *spec,
                               tpl_source *source, const char *default_name)
{
    static const char *const keys[] = { "comment", "column", "value", "xpath", "level", "name",
                                        "kind", "transforms", "map", "default", "split", "aliases",
                                        "inherit", NULL };
    if (check_keys(ld, spec, where, keys) != 0 || parse_origin(ld, where, spec, source) != 0 ||
        parse_xpath_options(ld, where, spec, source, default_name) != 0)
        return -1;
    char key[KEY_MAX];
    json_t *value;
    if ((value = json_object_get(spec, "kind"))) {
        key_join(key, where, "kind");
        if (field != TPL_FIELD_ORDER_REF)
            return fail(ld, key, "only for order_ref");
        if (parse_kind(ld, key, value, &source->kind_value) != 0)
            return -1;
        source->has_kind = 1;
    }
    if (field == TPL_FIELD_ORDER_REF_KIND && source->kind == TPL_SOURCE_CONSTANT) {
        key_join(key, where, "value");
        sl_ref_kind ignored;
        if (parse_kind(ld, key, json_object_get(spec, "value"), &ignored) != 0)
            return -1;
    }
    int constant = source->kind == TPL_SOURCE_CONSTANT;
    static const char *const not_for_constants[] = { "transforms", "map", "default", NULL };
    for (size_t i = 0; constant && not_for_constants[i]; i++)
        if (json_object_get(spec, not_for_constants[i])) {
            key_join(key, where, not_for_constants[i]);
            return fail(ld, key, "not used with a constant \"value\"");
        }
    if ((value = json_object_get(spec, "transforms")) &&
        parse_transforms(ld, where, value, source) != 0)
        return -1;
    if ((value = json_object_get(spec, "map")) && parse_map(ld, where, value, source) != 0)
        return -1;
    if ((value = json_object_get(spec, "default"))) {
        key_join(key, where, "default");
        if (take_string(ld, value, key, 1, &source->default_value) != 0)
            return -1;
    }
    if ((value = json_object_get(spec, "aliases")) && parse_aliases(ld, where, value, source) != 0)
        return -1;
    if ((value = json_object_get(spec, "inherit")) &&
        parse_inherit(ld, where, default_name, value, source) != 0)
        return -1;
    if ((value = json_object_get(spec, "split"))) {
        key_join(key, where, "split");
        if (field != TPL_FIELD_TRACKING_NUMBERS)
            return fail(ld, key, "only for tracking_numbers");
        if (take_strings(ld, value, key, &source->separators, &source->separator_count) != 0)
            return -1;
        source->separator_lengths = calloc(source->separator_count, sizeof(size_t));
        if (!source->separator_lengths)
            return fail(ld, key, "out of memory");
        for (size_t i = 0; i < source->separator_count; i++) {
            source->separator_lengths[i] = strlen(source->separators[i]);
            source->separator_starts[(unsigned char)source->separators[i][0]] = 1;
        }
    }
    return 0;
}

static int parse_aliases(loader *ld, const char *where, json_t *value, tpl_source *source)
{
    char key[KEY_MAX];
    key_join(key, where, "aliases");
    if (source->kind != TPL_SOURCE_COLUMN_NAME)
        return fail(ld, key, "only with a column name");
    return take_strings(ld, value, key, &source->aliases, &source->alias_count);
}

/* "inherit": the columns (names or numbers; XPaths in an XML template) whose values key the
 * field's inheritance from an earlier record. Each key becomes a source of its own. */
static int parse_inherit(loader *ld, const char *where, const char *default_name, json_t *value,
                         tpl_source *source)
{
    char key[KEY_MAX];
    key_join(key, where, "inherit");
    if (source->kind == TPL_SOURCE_CONSTANT)
        return fail(ld, key, "not used with a constant \"value\"");
    const char *bracket = strchr(where, '[');
    int alternative = bracket && strcmp(bracket, "[0]") != 0;
    if (strstr(where, "tracking_numbers") || strstr(where, "order_ref_kind") || alternative)
        return fail(ld, key, "only on a single source of a text field (not tracking_numbers, "
                             "order_ref_kind or an alternative)");
    if (!json_is_array(value) || json_array_size(value) == 0)
        return fail(ld, key, "must be a non-empty array of key columns");
    size_t n = json_array_size(value);
    source->inherit_keys = calloc(n, sizeof(tpl_source));
    if (!source->inherit_keys)
        return fail(ld, key, "out of memory");
    int xml = ld->tpl->format == SL_FORMAT_XML;
    for (size_t i = 0; i < n; i++) {
        char item_key[KEY_MAX];
        key_index(item_key, key, i);
        json_t *entry = json_array_get(value, i);
        tpl_source *inherit_key = &source->inherit_keys[i];
        source->inherit_key_count++;
        inherit_key->transforms[0] = TPL_TRANSFORM_TRIM;
        inherit_key->transform_count = 1;
        if (json_is_integer(entry) && !xml) {
            json_int_t number = json_integer_value(entry);
            if (number < 1 || number > MAX_COLUMN_NUMBER)
                return fail(ld, item_key, "column numbers start at 1");
            inherit_key->kind = TPL_SOURCE_COLUMN_NUMBER;
            inherit_key->column_number = (size_t)number;
            continue;
        }
        if (json_is_array(entry) && !xml) {   /* a name and its aliases */
            if (take_strings(ld, entry, item_key, &inherit_key->aliases,
                             &inherit_key->alias_count) != 0)
                return -1;
            inherit_key->column_name = inherit_key->aliases[0];
            memmove(inherit_key->aliases, inherit_key->aliases + 1,
                    --inherit_key->alias_count * sizeof(char *));
        } else if (take_string(ld, entry, item_key, 0,
                               xml ? &inherit_key->xpath : &inherit_key->column_name) != 0) {
            return -1;
        }
        if (!xml) {
            if (!ld->csv_header)
                return fail(ld, item_key, "the file has no header: give a column number");
            inherit_key->kind = TPL_SOURCE_COLUMN_NAME;
            continue;
        }
        inherit_key->kind = TPL_SOURCE_XPATH;
        inherit_key->item_level = source->item_level;
        char name[KEY_MAX];
        snprintf(name, sizeof(name), "%s.key%zu", default_name, i + 1);
        if (check_xpath(ld, item_key, inherit_key->xpath) != 0)
            return -1;
        if (!(inherit_key->column_name = strdup(name)))
            return fail(ld, item_key, "out of memory");
    }
    return 0;
}

/* One source: a string (a column name, or an XPath in an XML template), a number (a column
 * number) or an object. Values are trimmed unless the source lists its own transforms. */
static int parse_source(loader *ld, tpl_field_id field, const char *where, json_t *spec,
                        tpl_source *source, const char *default_name)
{
    source->transforms[0] = TPL_TRANSFORM_TRIM;
    source->transform_count = 1;
    if (json_is_object(spec))
        return parse_source_object(ld, field, where, spec, source, default_name);
    if (!json_is_string(spec) && !json_is_integer(spec))
        return fail(ld, where, "must be a column name, a column number, an object or an array "
                               "of alternatives, not %s", type_name(spec));
    json_t *wrapped = json_object();
    if (!wrapped)
        return fail(ld, where, "out of memory");
    const char *origin = ld->tpl->format == SL_FORMAT_XML && json_is_string(spec) ? "xpath"
                                                                                   : "column";
    json_object_set(wrapped, origin, spec);
    int rc = parse_source_object(ld, field, where, wrapped, source, default_name);
    json_decref(wrapped);
    return rc;
}

static int parse_field(loader *ld, tpl_field_id id, json_t *spec)
{
    char where[KEY_MAX];
    key_join(where, "fields", sl_tpl_field_name(id));
    tpl_field *field = &ld->tpl->fields[id];
    int alternatives = json_is_array(spec);
    size_t n = alternatives ? json_array_size(spec) : 1;
    if (alternatives && n == 0)
        return fail(ld, where, "an array of alternatives must not be empty");
    field->sources = calloc(n, sizeof(tpl_source));
    if (!field->sources)
        return fail(ld, where, "out of memory");
    for (size_t i = 0; i < n; i++) {
        char item_where[KEY_MAX];
        char default_name[KEY_MAX];
        if (alternatives)
            key_index(item_where, where, i);
        else
            snprintf(item_where, sizeof(item_where), "%s", where);
        if (i == 0)
            snprintf(default_name, sizeof(default_name), "%s", sl_tpl_field_name(id));
        else
            snprintf(default_name, sizeof(default_name), "%s.%zu", sl_tpl_field_name(id), i + 1);
        field->source_count++;
        if (parse_source(ld, id, item_where, alternatives ? json_array_get(spec, i) : spec,
                         &field->sources[i], default_name) != 0)
            return -1;
    }
    return 0;
}

static int parse_fields(loader *ld, json_t *root)
{
    json_t *fields = json_object_get(root, "fields");
    if (!fields)
        return fail(ld, "fields", "missing (the canonical fields and where each comes from)");
    if (!json_is_object(fields))
        return fail(ld, "fields", "must be an object, not %s", type_name(fields));
    const char *name;
    json_t *spec;
    json_object_foreach(fields, name, spec) {
        int id = sl_tpl_field_lookup(name);
        if (id < 0) {
            char key[KEY_MAX];
            key_join(key, "fields", name);
            return fail(ld, key, "unknown field (fields are order_ref, order_ref_kind, "
                                 "package_ref, line_item_id, sku, quantity, tracking_numbers, "
                                 "carrier, carrier_code, tracking_url, ship_date, notify_customer, "
                                 "location_id, shipping_method, action, fulfillment_status)");
        }
        if (parse_field(ld, (tpl_field_id)id, spec) != 0)
            return -1;
    }
    if (!ld->tpl->fields[TPL_FIELD_ORDER_REF].source_count)
        return fail(ld, "fields.order_ref", "missing (every template maps the order reference)");
    if (!ld->tpl->fields[TPL_FIELD_TRACKING_NUMBERS].source_count)
        return fail(ld, "fields.tracking_numbers",
                    "missing (every template maps the tracking numbers)");
    return 0;
}

/* ---- rules ---- */

static int parse_outcome(loader *ld, const char *key, json_t *value, tpl_outcome *out)
{
    static const struct { const char *name; tpl_outcome outcome; } outcomes[] = {
        { "skip", TPL_OUTCOME_SKIP }, { "ship", TPL_OUTCOME_SHIP },
        { "update", TPL_OUTCOME_UPDATE }, { "cancel", TPL_OUTCOME_CANCEL } };
    if (!value)
        return fail(ld, key, "missing (\"skip\", \"ship\", \"update\" or \"cancel\")");
    for (size_t i = 0; json_is_string(value) && i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
        if (strcmp(outcomes[i].name, json_string_value(value)) == 0) {
            *out = outcomes[i].outcome;
            return 0;
        }
    return fail(ld, key, "must be \"skip\", \"ship\", \"update\" or \"cancel\"");
}

static int parse_test(loader *ld, const char *where, json_t *when, tpl_rule *rule)
{
    json_t *equals = json_object_get(when, "equals");
    json_t *in = json_object_get(when, "in");
    json_t *empty = json_object_get(when, "empty");
    char key[KEY_MAX];
    if ((equals != NULL) + (in != NULL) + (empty != NULL) != 1)
        return fail(ld, where, "needs exactly one test: \"equals\", \"in\" or \"empty\"");
    if (equals) {
        key_join(key, where, "equals");
        rule->test = TPL_TEST_EQUALS;
        rule->values = calloc(1, sizeof(char *));
        if (!rule->values)
            return fail(ld, key, "out of memory");
        rule->value_count = 1;
        return take_string(ld, equals, key, 1, &rule->values[0]);
    }
    if (in) {
        key_join(key, where, "in");
        rule->test = TPL_TEST_IN;
        return take_strings(ld, in, key, &rule->values, &rule->value_count);
    }
    key_join(key, where, "empty");
    int want_empty = 0;
    if (take_bool(ld, empty, key, &want_empty) != 0)
        return -1;
    rule->test = want_empty ? TPL_TEST_EMPTY : TPL_TEST_NOT_EMPTY;
    return 0;
}

static int parse_rule(loader *ld, size_t index, json_t *spec)
{
    static const char *const keys[] = { "comment", "when", "then", "message", NULL };
    static const char *const when_keys[] = { "column", "xpath", "level", "name", "equals", "in",
                                             "empty", "not", NULL };
    char where[KEY_MAX];
    key_index(where, "rules", index);
    tpl_rule *rule = &ld->tpl->rules[index];
    if (!json_is_object(spec))
        return fail(ld, where, "must be an object, not %s", type_name(spec));
    if (check_keys(ld, spec, where, keys) != 0)
        return -1;
    char key[KEY_MAX];
    key_join(key, where, "when");
    json_t *when = json_object_get(spec, "when");
    if (!when)
        return fail(ld, key, "missing (the condition)");
    if (!json_is_object(when))
        return fail(ld, key, "must be an object, not %s", type_name(when));
    if (check_keys(ld, when, key, when_keys) != 0)
        return -1;
    char default_name[32];
    snprintf(default_name, sizeof(default_name), "rule%zu", index + 1);
    if (parse_origin(ld, key, when, &rule->source) != 0 ||
        parse_xpath_options(ld, key, when, &rule->source, default_name) != 0 ||
        parse_test(ld, key, when, rule) != 0)
        return -1;
    json_t *negate = json_object_get(when, "not");
    if (negate) {
        char not_key[KEY_MAX];
        key_join(not_key, key, "not");
        if (take_bool(ld, negate, not_key, &rule->negate) != 0)
            return -1;
    }
    rule->source.transforms[0] = TPL_TRANSFORM_TRIM;
    rule->source.transform_count = 1;
    char label[64];
    const char *label_text = rule->source.column_name;
    if (rule->source.kind == TPL_SOURCE_XPATH)
        label_text = rule->source.xpath;
    else if (rule->source.kind == TPL_SOURCE_COLUMN_NUMBER) {
        snprintf(label, sizeof(label), "column %zu", rule->source.column_number);
        label_text = label;
    }
    if (!(rule->label = strdup(label_text)))
        return fail(ld, key, "out of memory");
    key_join(key, where, "then");
    if (parse_outcome(ld, key, json_object_get(spec, "then"), &rule->outcome) != 0)
        return -1;
    json_t *message = json_object_get(spec, "message");
    if (message) {
        key_join(key, where, "message");
        if (rule->outcome != TPL_OUTCOME_SKIP)
            return fail(ld, key, "only for \"then\": \"skip\"");
        return take_string(ld, message, key, 0, &rule->message);
    }
    return 0;
}

static int parse_rules(loader *ld, json_t *root)
{
    json_t *rules = json_object_get(root, "rules");
    if (!rules)
        return 0;
    if (!json_is_array(rules))
        return fail(ld, "rules", "must be an array, not %s", type_name(rules));
    size_t n = json_array_size(rules);
    ld->tpl->rules = calloc(n ? n : 1, sizeof(tpl_rule));
    if (!ld->tpl->rules)
        return fail(ld, "rules", "out of memory");
    for (size_t i = 0; i < n; i++) {
        ld->tpl->rule_count++;
        if (parse_rule(ld, i, json_array_get(rules, i)) != 0)
            return -1;
    }
    return 0;
}

/* ---- the XML reader's columns: one per XPath source, named ---- */

static int add_xml_column(loader *ld, const tpl_source *source, size_t *capacity)
{
    sl_template *tpl = ld->tpl;
    for (size_t i = 0; i < tpl->xml_column_count; i++)
        if (strcmp(tpl->xml_columns[i].name, source->column_name) == 0)
            return fail(ld, "fields", "two XPaths are named '%s' (give one a different "
                                      "\"name\")", source->column_name);
    if (tpl->xml_column_count == *capacity) {
        size_t grown_capacity = *capacity ? *capacity * 2 : 16;
        sl_xml_column *grown = realloc(tpl->xml_columns, grown_capacity * sizeof(*grown));
        if (!grown)
            return fail(ld, "fields", "out of memory");
        tpl->xml_columns = grown;
        *capacity = grown_capacity;
    }
    sl_xml_column *column = &tpl->xml_columns[tpl->xml_column_count++];
    column->name = source->column_name;
    column->xpath = source->xpath;
    column->item_level = source->item_level;
    return 0;
}

static int build_xml_columns(loader *ld)
{
    sl_template *tpl = ld->tpl;
    size_t capacity = 0;
    for (int id = 0; id < TPL_FIELD_COUNT; id++)
        for (size_t i = 0; i < tpl->fields[id].source_count; i++) {
            const tpl_source *source = &tpl->fields[id].sources[i];
            if (source->kind == TPL_SOURCE_XPATH && add_xml_column(ld, source, &capacity) != 0)
                return -1;
            for (size_t k = 0; k < source->inherit_key_count; k++)
                if (add_xml_column(ld, &source->inherit_keys[k], &capacity) != 0)
                    return -1;
        }
    for (size_t i = 0; i < tpl->rule_count; i++)
        if (tpl->rules[i].source.kind == TPL_SOURCE_XPATH &&
            add_xml_column(ld, &tpl->rules[i].source, &capacity) != 0)
            return -1;
    return 0;
}

/* ---- top level ---- */

static int parse_identity(loader *ld, json_t *root)
{
    sl_template *tpl = ld->tpl;
    json_t *name = json_object_get(root, "name");
    if (!name)
        return fail(ld, "name", "missing (the template's name, as given to -t)");
    if (take_string(ld, name, "name", 0, &tpl->name) != 0)
        return -1;
    if (!sl_tpl_name_valid(tpl->name))
        return fail(ld, "name", "'%s' is not a valid name (lowercase letters, digits, '-', '_' "
                                "and '.', at most 64 characters)", tpl->name);
    json_t *description = json_object_get(root, "description");
    if (description)
        return take_string(ld, description, "description", 1, &tpl->description);
    if (!(tpl->description = strdup("")))
        return fail(ld, "description", "out of memory");
    return 0;
}

static int parse_template(loader *ld, json_t *root)
{
    static const char *const keys[] = { "comment", "name", "description", "format", "encoding",
                                        "csv", "xml", "detect", "date_formats", "notify_default",
                                        "verify_tracking", "fields", "rules", "export", NULL };
    if (!json_is_object(root))
        return fail(ld, NULL, "a template is a JSON object, not %s", type_name(root));
    if (check_keys(ld, root, "", keys) != 0)
        return -1;
    /* "export" is the export layout (shipload export reads it); importing ignores it, but a
     * template that has only an export layout cannot read manifests */
    json_t *export_layout = json_object_get(root, "export");
    if (export_layout && !json_is_object(export_layout))
        return fail(ld, "export", "must be an object, not %s", type_name(export_layout));
    if (export_layout && !json_object_get(root, "fields"))
        return fail(ld, NULL, "an export-only template (no \"fields\"): it cannot read "
                              "manifests");
    if (parse_identity(ld, root) != 0 || parse_format(ld, root) != 0 ||
        parse_encoding(ld, root) != 0 || parse_csv(ld, root) != 0 ||
        parse_xml(ld, root) != 0 || parse_detect(ld, root) != 0 ||
        parse_dates_and_switches(ld, root) != 0 || parse_fields(ld, root) != 0 ||
        parse_rules(ld, root) != 0)
        return -1;
    if (export_layout &&   /* checked as strictly as the rest (src/template/export_layout.c) */
        sl_tpl_export_layout_check(ld->path, export_layout, ld->tpl->format, ld->err) != 0)
        return -1;
    if (ld->tpl->format == SL_FORMAT_XML)
        return build_xml_columns(ld);
    return 0;
}

/* jansson's reader for json_load_callback: the file in fread's chunks (json_load_file reads a
 * FILE a byte at a time, getc, which cost more than the parse when detection reads every
 * template). */
static size_t read_chunk(void *buffer, size_t len, void *file)
{
    size_t got = fread(buffer, 1, len, file);
    return got > 0 || !ferror(file) ? got : (size_t)-1;
}

json_t *sl_tpl_read_json(const char *path, sl_error *err)
{
    FILE *file = fopen(path, "rb");
    if (!file) {
        sl_error_set(err, "%s: cannot read the template: %s", path, strerror(errno));
        return NULL;
    }
    json_error_t jerr;
    json_t *root = json_load_callback(read_chunk, file, JSON_REJECT_DUPLICATES, &jerr);
    fclose(file);
    if (!root) {
        if (jerr.line > 0)
            sl_error_set(err, "%s:%d:%d: not valid JSON: %s", path, jerr.line, jerr.column,
                         jerr.text);
        else
            sl_error_set(err, "%s: not valid JSON: %s", path, jerr.text);
    }
    return root;
}

int sl_tpl_json_export_only(const json_t *root)
{
    return json_is_object(root) && json_object_get(root, "export") &&
           !json_object_get(root, "fields");
}

sl_template *sl_template_load_file(const char *path, sl_error *err)
{
    json_t *root = sl_tpl_read_json(path, err);
    if (!root)
        return NULL;
    sl_template *tpl = sl_tpl_from_json(path, root, err);
    json_decref(root);
    return tpl;
}

sl_template *sl_tpl_from_json(const char *path, json_t *root, sl_error *err)
{
    loader ld = { .path = path, .err = err, .csv_header = 1 };
    ld.tpl = calloc(1, sizeof(sl_template));
    int rc = -1;
    if (!ld.tpl)
        sl_error_set(err, "%s: out of memory", path);
    else if (!(ld.tpl->path = strdup(path)))
        sl_error_set(err, "%s: out of memory", path);
    else
        rc = parse_template(&ld, root);
    if (ld.probe_doc)
        xmlFreeDoc(ld.probe_doc);
    if (rc != 0) {
        sl_template_free(ld.tpl);
        return NULL;
    }
    return ld.tpl;
}
