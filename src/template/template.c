/* template.c: what a loaded template says (accessors), its release, and the reader it asks for
 * (sl_template_reader_new: CSV or XML options built from the template). Loading is
 * template_load.c's, searching template_path.c's, detection template_detect.c's. */
#include <stdlib.h>
#include "template_internal.h"

const char *sl_template_name(const sl_template *tpl)
{
    return tpl->name;
}

const char *sl_template_description(const sl_template *tpl)
{
    return tpl->description;
}

const char *sl_template_path(const sl_template *tpl)
{
    return tpl->path;
}

sl_format sl_template_format(const sl_template *tpl)
{
    return tpl->format;
}

sl_encoding sl_template_encoding(const sl_template *tpl)
{
    return tpl->encoding;
}

const char *const *sl_template_date_formats(const sl_template *tpl, size_t *count)
{
    *count = tpl->date_format_count;
    return (const char *const *)tpl->date_formats;
}

int sl_template_notify_default(const sl_template *tpl)
{
    return tpl->notify_default;
}

int sl_template_has_header(const sl_template *tpl)
{
    return tpl->format == SL_FORMAT_CSV && tpl->csv.has_header;
}

int sl_template_verify_tracking(const sl_template *tpl)
{
    return tpl->verify_tracking;
}

size_t sl_tpl_detect_weight(const sl_template *tpl)
{
    if (tpl->format == SL_FORMAT_CSV)
        return tpl->required_count + tpl->row_test_count + (tpl->detect_width ? 1 : 0);
    return (tpl->detect_root ? 1 : 0) + tpl->detect_element_count;
}

sl_reader *sl_template_reader_new(const sl_template *tpl, sl_stream *stream, sl_error *err)
{
    if (tpl->format == SL_FORMAT_CSV)
        return sl_csv_reader_new(stream, &tpl->csv, err);
    sl_xml_options options = {
        .record_element = tpl->xml_record,
        .record_namespace = tpl->xml_record_namespace,
        .item_xpath = tpl->xml_item,
        .default_namespace = tpl->xml_default_namespace,
        .namespaces = tpl->xml_namespaces,
        .namespace_count = tpl->xml_namespace_count,
        .columns = tpl->xml_columns,
        .column_count = tpl->xml_column_count,
    };
    return sl_xml_reader_new(stream, &options, err);
}

/* ---- release ---- */

static void free_strings(char **strings, size_t count)
{
    if (!strings)
        return;
    for (size_t i = 0; i < count; i++)
        free(strings[i]);
    free(strings);
}

static void free_source(tpl_source *source)
{
    free(source->column_name);
    free(source->constant);
    free(source->xpath);
    for (size_t i = 0; i < source->map_count; i++) {
        free(source->map[i].from);
        free(source->map[i].to);
    }
    free(source->map);
    free(source->default_value);
    free_strings(source->separators, source->separator_count);
    free(source->separator_lengths);
    free_strings(source->aliases, source->alias_count);
    for (size_t i = 0; i < source->inherit_key_count; i++)
        free_source(&source->inherit_keys[i]);
    free(source->inherit_keys);
}

void sl_template_free(sl_template *tpl)
{
    if (!tpl)
        return;
    free(tpl->path);
    free(tpl->name);
    free(tpl->description);
    free(tpl->xml_record);
    free(tpl->xml_record_namespace);
    free(tpl->xml_item);
    free(tpl->xml_default_namespace);
    for (size_t i = 0; i < tpl->xml_namespace_count; i++) {
        free((char *)tpl->xml_namespaces[i].prefix);
        free((char *)tpl->xml_namespaces[i].uri);
    }
    free(tpl->xml_namespaces);
    free(tpl->xml_columns);   /* its strings belong to the sources */
    for (size_t i = 0; i < tpl->required_count; i++)
        free_strings(tpl->required[i].names, tpl->required[i].count);
    free(tpl->required);
    for (size_t i = 0; i < tpl->row_test_count; i++) {
        free_strings(tpl->row_tests[i].values, tpl->row_tests[i].value_count);
        free(tpl->row_tests[i].prefix);
    }
    free(tpl->row_tests);
    free(tpl->detect_root);
    free(tpl->detect_root_namespace);
    free_strings(tpl->detect_elements, tpl->detect_element_count);
    free_strings(tpl->date_formats, tpl->date_format_count);
    for (int id = 0; id < TPL_FIELD_COUNT; id++) {
        for (size_t i = 0; i < tpl->fields[id].source_count; i++)
            free_source(&tpl->fields[id].sources[i]);
        free(tpl->fields[id].sources);
    }
    for (size_t i = 0; i < tpl->rule_count; i++) {
        free_source(&tpl->rules[i].source);
        free(tpl->rules[i].label);
        free_strings(tpl->rules[i].values, tpl->rules[i].value_count);
        free(tpl->rules[i].message);
    }
    free(tpl->rules);
    free(tpl);
}
