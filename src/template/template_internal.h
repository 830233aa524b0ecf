/* template_internal.h: the loaded form of a template, shared by the files of src/template (loader,
 * search path, detection, reader set-up, mapper). Nothing outside src/template sees it: other
 * stages go through include/shipload/template.h. */
#ifndef SHIPLOAD_TEMPLATE_INTERNAL_H
#define SHIPLOAD_TEMPLATE_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include "shipload/template.h"

/* The canonical fields a template can map (spec §4), in the order the mapper fills them. */
typedef enum tpl_field_id {
    TPL_FIELD_ORDER_REF = 0,
    TPL_FIELD_ORDER_REF_KIND,
    TPL_FIELD_PACKAGE_REF,
    TPL_FIELD_LINE_ITEM_ID,
    TPL_FIELD_SKU,
    TPL_FIELD_QUANTITY,
    TPL_FIELD_TRACKING_NUMBERS,
    TPL_FIELD_CARRIER,
    TPL_FIELD_CARRIER_CODE,
    TPL_FIELD_TRACKING_URL,
    TPL_FIELD_SHIP_DATE,
    TPL_FIELD_NOTIFY_CUSTOMER,
    TPL_FIELD_LOCATION_ID,
    TPL_FIELD_SHIPPING_METHOD,
    TPL_FIELD_ACTION,
    TPL_FIELD_FULFILLMENT_STATUS,
    TPL_FIELD_COUNT
} tpl_field_id;

/* Name of a canonical field ("order_ref", ...), and the reverse (-1 when unknown). */
const char *sl_tpl_field_name(tpl_field_id id);
int sl_tpl_field_lookup(const char *name);
/* The row's string slot for a field (in its repeating columns or its extra for some, made on
 * first use: sl_row_part_slot), NULL for the two that are not plain strings (order_ref_kind,
 * tracking_numbers) or when the columns or extra cannot be made (out of memory). */
char **sl_tpl_field_slot(sl_row *row, tpl_field_id id);
/* 1 when the field has a string slot (all but order_ref_kind and tracking_numbers). */
int sl_tpl_field_has_slot(tpl_field_id id);

/* Value transforms, applied in the order the template lists them. */
typedef enum tpl_transform {
    TPL_TRANSFORM_TRIM = 0,
    TPL_TRANSFORM_UPPER,
    TPL_TRANSFORM_LOWER,
    TPL_TRANSFORM_STRIP_HASH,
    TPL_TRANSFORM_REMOVE_SPACES,
    TPL_TRANSFORM_COUNT
} tpl_transform;

const char *sl_tpl_transform_name(tpl_transform transform);
int sl_tpl_transform_lookup(const char *name);   /* -1 when unknown */

#define TPL_MAX_TRANSFORMS 8

typedef enum tpl_source_kind {
    TPL_SOURCE_COLUMN_NAME = 0,  /* a header column, by name (case-insensitive) */
    TPL_SOURCE_COLUMN_NUMBER,    /* a column by 1-based number */
    TPL_SOURCE_CONSTANT,         /* the same value for every record */
    TPL_SOURCE_XPATH             /* an XML column the reader evaluates (named column_name) */
} tpl_source_kind;

typedef struct tpl_map_entry {
    char *from;   /* compared case-insensitively with the transformed value */
    char *to;
} tpl_map_entry;

/* Where one value comes from and how it is cleaned. A field has one or more of these
 * (alternatives: the first that gives a non-empty value wins). */
typedef struct tpl_source {
    tpl_source_kind kind;
    char *column_name;      /* COLUMN_NAME; for XPATH the reader's column name */
    size_t column_number;   /* COLUMN_NUMBER (1-based) */
    char *constant;         /* CONSTANT */
    char *xpath;            /* XPATH */
    int item_level;         /* XPATH: relative to the item (1) or to the record (0) */
    int has_kind;           /* order_ref only: which kind of reference this column holds */
    sl_ref_kind kind_value;
    tpl_transform transforms[TPL_MAX_TRANSFORMS];
    size_t transform_count;
    tpl_map_entry *map;
    size_t map_count;
    char *default_value;    /* used when the value comes out empty */
    char **separators;      /* tracking_numbers only: split the value on these */
    size_t *separator_lengths;
    size_t separator_count;
    unsigned char separator_starts[256];   /* 1 for a byte that begins some separator */
    char **aliases;         /* COLUMN_NAME: other names the column goes by, tried in order */
    size_t alias_count;
    struct tpl_source *inherit_keys;   /* the field's first source only: the columns whose
                                          values key the inheritance (see mapper.c) */
    size_t inherit_key_count;
} tpl_source;

typedef struct tpl_field {
    tpl_source *sources;    /* NULL/0 when the template does not map the field */
    size_t source_count;
} tpl_field;

typedef enum tpl_test { TPL_TEST_EQUALS = 0, TPL_TEST_IN, TPL_TEST_EMPTY, TPL_TEST_NOT_EMPTY } tpl_test;
typedef enum tpl_outcome {
    TPL_OUTCOME_SKIP = 0, TPL_OUTCOME_SHIP, TPL_OUTCOME_UPDATE, TPL_OUTCOME_CANCEL
} tpl_outcome;

/* "when this column/XPath value ... then skip / ship / update / cancel". */
typedef struct tpl_rule {
    tpl_source source;      /* COLUMN_NAME, COLUMN_NUMBER or XPATH; no transforms but trim */
    char *label;            /* the column or XPath as the template wrote it, for messages */
    tpl_test test;
    int negate;             /* "not": true: the rule applies when the test fails */
    char **values;          /* EQUALS: one; IN: several */
    size_t value_count;
    tpl_outcome outcome;
    char *message;          /* optional: replaces "skipped by rule: ..." */
} tpl_rule;

/* A condition on the first row of a headerless file (detect.row): its column's trimmed value
 * is one of `values` (ignoring case), starts with `prefix`, or is `digits` digits. */
typedef struct tpl_row_test {
    size_t column;          /* 1-based */
    char **values;
    size_t value_count;
    char *prefix;
    size_t digits;          /* 0: not tested */
} tpl_row_test;

/* A required column: any one of the names will do. */
typedef struct tpl_required {
    char **names;
    size_t count;
} tpl_required;

struct sl_template {
    char *path;
    char *name;
    char *description;
    sl_format format;
    sl_encoding encoding;

    sl_csv_options csv;

    /* XML: what the reader needs, owned here (the reader borrows it) */
    char *xml_record;
    char *xml_record_namespace;
    char *xml_item;
    char *xml_default_namespace; /* unprefixed element names in XPaths mean this namespace */
    sl_xml_namespace *xml_namespaces;
    size_t xml_namespace_count;
    sl_xml_column *xml_columns;
    size_t xml_column_count;

    /* detection */
    tpl_required *required;      /* CSV: columns the header must have */
    size_t required_count;
    tpl_row_test *row_tests;     /* CSV without a header: what its first row looks like */
    size_t row_test_count;
    size_t detect_width;         /* CSV without a header: its number of columns (0: any) */
    char *detect_root;           /* XML: root element (local name) */
    char *detect_root_namespace;
    char **detect_elements;      /* XML: elements that must appear */
    size_t detect_element_count;

    char **date_formats;
    size_t date_format_count;
    int notify_default;          /* -1 unset */
    int verify_tracking;

    tpl_field fields[TPL_FIELD_COUNT];
    tpl_rule *rules;
    size_t rule_count;
};

/* Number of conditions detection checks (0: the template is never detected). */
size_t sl_tpl_detect_weight(const sl_template *tpl);

/* ---- files (template_load.c) ---- */

/* A template file's JSON (read whole, then parsed), or NULL with err saying why. */
json_t *sl_tpl_read_json(const char *path, sl_error *err);
/* 1 when a file's JSON is an export layout only ("export" and no "fields"): not a template. */
int sl_tpl_json_export_only(const json_t *root);
/* The template a file's JSON describes (path names it in messages), or NULL with err set. */
sl_template *sl_tpl_from_json(const char *path, json_t *root, sl_error *err);

/* ---- search path (template_path.c) ---- */

/* The directories templates are searched in, in order; free with sl_tpl_dirs_free. */
char **sl_tpl_search_dirs(size_t *count, sl_error *err);
void sl_tpl_dirs_free(char **dirs, size_t count);
/* 1 when name is a valid template name ([a-z0-9][a-z0-9._-]*, at most 64 characters). */
int sl_tpl_name_valid(const char *name);
/* Each import template of the search path, loaded once, in name order (what
 * sl_template_list names): visit gets the template (it owns it then) or NULL with why it did
 * not load. -1 with err set when the path cannot be listed. */
typedef void (*sl_tpl_visit)(void *ctx, const char *name, sl_template *tpl,
                             const sl_error *load_err);
int sl_tpl_each(sl_tpl_visit visit, void *ctx, sl_error *err);

/* ---- value cleaning (transform.c) ---- */

/* Applies the source's transforms from index `first` in place to value[0..*len) (they only
 * shrink it); NUL-terminates. */
void sl_tpl_apply_transforms(const tpl_source *source, size_t first, char *value, size_t *len);
/* Narrows text[0..*len) to leave out the spaces (ASCII and U+00A0) at both ends. */
void sl_tpl_trim_span(const char **text, size_t *len);
/* The map's replacement for value, or NULL when no entry matches. */
const char *sl_tpl_map_lookup(const tpl_source *source, const char *value);
/* Removes every whitespace character (ASCII and U+00A0) in place; returns the new length. */
size_t sl_tpl_remove_spaces(char *value, size_t len);
int sl_tpl_equal_nocase(const char *a, const char *b);

/* ---- column names (column_names.c) ---- */

/* The key a header name is compared by: ASCII letters lowercased; spaces, tabs, '_', '-', '.'
 * and '#' dropped ("Order #" and "ORDER-NUMBER" -> "order", "ordernumber"). Writes at most
 * cap bytes (NUL included); returns the key's length. */
size_t sl_tpl_column_key(const char *name, char *out, size_t cap);
/* 1 when two column names have the same key. */
int sl_tpl_column_names_match(const char *a, const char *b);
/* Index of the first header name matching name, or (size_t)-1. */
size_t sl_tpl_find_column(char *const *names, size_t count, const char *name);
/* Index of the column a column-name source reads: its name, else its aliases in order. */
size_t sl_tpl_find_source_column(char *const *names, size_t count, const tpl_source *source);

/* ---- header words (column_vocab.c) ---- */

/* The canonical field a header name looks like ("qty", "Quantiy", "tracking #" ...), or -1.
 * *exact is 1 when the name is one of the field's usual names, 0 when it is one typo away.
 * *suggest is the usual name to suggest. */
int sl_tpl_column_looks_like(const char *header_name, int *exact, const char **suggest);

/* ---- inherited values (inherit_memory.c) ---- */

/* Values remembered by key, for fields that inherit from an earlier record sharing a key.
 * Bounded: two generations of at most `generation` entries; the older is dropped when the
 * newer fills up, so a key is remembered for at least `generation` records after it was put. */
typedef struct tpl_memory tpl_memory;
tpl_memory *sl_tpl_memory_new(size_t generation);
int sl_tpl_memory_put(tpl_memory *memory, const char *key, const char *value, size_t value_len);
const char *sl_tpl_memory_get(const tpl_memory *memory, const char *key);
void sl_tpl_memory_free(tpl_memory *memory);

#endif
