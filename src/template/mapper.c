/* mapper.c: applies a template to records. sl_mapper_new binds every field source and rule to
 * a column of the header once (names case-insensitive and trimmed, any order, extra columns
 * ignored; numbers when headerless); sl_mapper_map then fills a canonical row per record:
 * source position and flags, cleaned strings, tracking numbers split with their inner spaces
 * removed, and the template's rules (skip, or turn the row into ship/update/cancel).
 * It never judges values (validation does). It runs once per record, so it works in place on
 * a stack buffer and allocates only the strings the row keeps (with sl_row_alloc: from the
 * row's block when it has one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/utf8.h"
#include "template_internal.h"

#define NO_COLUMN ((size_t)-1)
#define STACK_VALUE 1024

/* A field source bound to its column, kept small and together so the per-record loop over
 * the fields reads one short array instead of the (large) template sources. */
typedef struct bound_source {
    const tpl_source *source;
    size_t column;
    int trim_only;      /* the value is the trimmed raw span: no copy needed */
} bound_source;

/* A field that inherits its value from an earlier record sharing a key. */
typedef struct inherit_binding {
    size_t *key_columns;
    size_t key_count;
    tpl_memory *memory;    /* mutable through the const mapper: the run's memory */
} inherit_binding;

#define INHERIT_GENERATION 65536   /* keys remembered per generation (inherit_memory.c) */
#define KEY_VALUE_MAX 256

struct sl_mapper {
    const sl_template *tpl;
    inherit_binding inherit[TPL_FIELD_COUNT];
    unsigned char *read_columns;             /* per column: 1 when something reads it (header
                                                columns, and any further one bound by number) */
    size_t column_count;
    char **notices;                          /* columns that look important but are not read */
    size_t notice_count;
    bound_source *fields;                    /* every field's sources, field after field */
    size_t field_first[TPL_FIELD_COUNT + 1]; /* field id's sources: [first[id], first[id+1]) */
    size_t *rule_columns;                    /* per rule: its column */
    tpl_field_id active[TPL_FIELD_COUNT];    /* the fields with a source, in field order */
    size_t active_count;
    const sl_header *header;                 /* borrowed: names for encoding messages */
};

/* ---- binding ---- */

/* 1 when the source's value is its trimmed raw span: no other transform, map or default. */
static int trim_only(const tpl_source *source)
{
    return source->kind != TPL_SOURCE_CONSTANT && source->transform_count == 1 &&
           source->transforms[0] == TPL_TRANSFORM_TRIM && source->map_count == 0 &&
           !source->default_value;
}

/* 1 when a bound source can only ever give "": a column the input lacks, without a default or
 * a map (no transform makes "" longer), so map_field would try it for nothing on every row. */
static int always_empty(const bound_source *entry)
{
    const tpl_source *source = entry->source;
    return source->kind != TPL_SOURCE_CONSTANT && entry->column == NO_COLUMN &&
           !source->default_value && source->map_count == 0;
}

static size_t find_column(const sl_header *header, const char *name)
{
    if (!header || !header->names)
        return NO_COLUMN;
    return sl_tpl_find_column(header->names, header->count, name);
}

static int bind_source(const sl_template *tpl, const tpl_source *source, const sl_header *header,
                       size_t *column, sl_error *err)
{
    *column = NO_COLUMN;
    switch (source->kind) {
    case TPL_SOURCE_COLUMN_NUMBER:
        *column = source->column_number - 1;
        return 0;
    case TPL_SOURCE_COLUMN_NAME:
    case TPL_SOURCE_XPATH:
        if (!header || !header->names)
            return sl_error_set(err, "template %s reads columns by name ('%s') but the input has "
                                     "no header row", tpl->name, source->column_name);
        if (source->kind == TPL_SOURCE_XPATH) {   /* the reader's own names: exact */
            for (size_t i = 0; i < header->count && *column == NO_COLUMN; i++)
                if (header->names[i] && strcmp(header->names[i], source->column_name) == 0)
                    *column = i;
            return 0;
        }
        *column = sl_tpl_find_source_column(header->names, header->count, source);
        return 0;
    default:
        return 0;
    }
}

/* 1 when a header name can be echoed in a message: valid UTF-8, no control characters. */
static int printable_name(const char *name)
{
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        if ((*c < 0x20 && *c != '\t') || *c == 0x7F)
            return 0;
    return sl_utf8_valid(name, strlen(name));
}

/* "the header has: a, b, c, ..." for messages, or why the header cannot be shown. */
static void describe_header(const sl_header *header, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    if (!header || !header->names || header->count == 0) {
        snprintf(out, cap, "the header is empty");
        return;
    }
    for (size_t i = 0; i < header->count; i++)
        if (header->names[i] && !printable_name(header->names[i])) {
            snprintf(out, cap, "the first line is not text: binary data, or another "
                               "encoding (see --encoding)");
            return;
        }
    used = (size_t)snprintf(out, cap, "the header has: ");
    for (size_t i = 0; header && header->names && i < header->count && used + 8 < cap; i++) {
        if (i == 12) {
            snprintf(out + used, cap - used, ", ... (%zu columns)", header->count);
            return;
        }
        used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? ", " : "",
                                 header->names[i] ? header->names[i] : "");
    }
    if (used >= cap && cap > 4)
        strcpy(out + cap - 4, "...");
}

static int check_required(const sl_template *tpl, const sl_header *header, sl_error *err)
{
    if (tpl->format != SL_FORMAT_CSV || !tpl->csv.has_header)
        return 0;
    for (size_t i = 0; i < tpl->required_count; i++) {
        const tpl_required *required = &tpl->required[i];
        int found = 0;
        for (size_t k = 0; k < required->count && !found; k++)
            found = find_column(header, required->names[k]) != NO_COLUMN;
        if (found)
            continue;
        char wanted[200] = "";
        size_t used = 0;
        for (size_t k = 0; k < required->count && used < sizeof(wanted); k++)
            used += (size_t)snprintf(wanted + used, sizeof(wanted) - used, "%s'%s'",
                                     k ? " or " : "", required->names[k]);
        char seen[240];
        describe_header(header, seen, sizeof(seen));
        return sl_error_set(err, "no column %s, which template %s needs (%s)", wanted,
                            tpl->name, seen);
    }
    return 0;
}

/* Binds the key columns of the fields that inherit from an earlier record. -1 on allocation
 * failure (a key column the file lacks is simply never matched). */
static int bind_inheritance(sl_mapper *mapper, const sl_header *header, sl_error *err)
{
    for (int id = 0; id < TPL_FIELD_COUNT; id++) {
        const tpl_field *field = &mapper->tpl->fields[id];
        if (field->source_count == 0 || field->sources[0].inherit_key_count == 0)
            continue;
        const tpl_source *source = &field->sources[0];
        inherit_binding *binding = &mapper->inherit[id];
        binding->key_columns = calloc(source->inherit_key_count, sizeof(size_t));
        binding->memory = sl_tpl_memory_new(INHERIT_GENERATION);
        if (!binding->key_columns || !binding->memory)
            return -1;
        binding->key_count = source->inherit_key_count;
        for (size_t k = 0; k < source->inherit_key_count; k++)
            if (bind_source(mapper->tpl, &source->inherit_keys[k], header,
                            &binding->key_columns[k], err) != 0)
                return -1;
    }
    return 0;
}

static void mark_read(sl_mapper *mapper, size_t column)
{
    if (column != NO_COLUMN && column < mapper->column_count)
        mapper->read_columns[column] = 1;
}

static int add_notice(sl_mapper *mapper, const char *text)
{
    char **grown = realloc(mapper->notices, (mapper->notice_count + 1) * sizeof(char *));
    if (!grown)
        return -1;
    mapper->notices = grown;
    if (!(grown[mapper->notice_count] = strdup(text)))
        return -1;
    mapper->notice_count++;
    return 0;
}

/* The name the template reads a field from, for a suggestion (NULL when by number/XPath). */
static const char *field_column_name(const sl_template *tpl, int id)
{
    for (size_t i = 0; i < tpl->fields[id].source_count; i++)
        if (tpl->fields[id].sources[i].kind == TPL_SOURCE_COLUMN_NAME)
            return tpl->fields[id].sources[i].column_name;
    return NULL;
}

/* How many columns the read marks cover: the header's, and any column bound by number beyond
 * it (a headerless file), so that an encoding error is judged in the columns read (issue 14). */
static size_t read_column_span(const sl_mapper *mapper, size_t count)
{
    for (size_t i = 0; i < mapper->field_first[TPL_FIELD_COUNT]; i++)
        if (mapper->fields[i].column != NO_COLUMN && mapper->fields[i].column >= count)
            count = mapper->fields[i].column + 1;
    for (size_t i = 0; i < mapper->tpl->rule_count; i++)
        if (mapper->rule_columns[i] != NO_COLUMN && mapper->rule_columns[i] >= count)
            count = mapper->rule_columns[i] + 1;
    for (int id = 0; id < TPL_FIELD_COUNT; id++)
        for (size_t k = 0; k < mapper->inherit[id].key_count; k++)
            if (mapper->inherit[id].key_columns[k] != NO_COLUMN &&
                mapper->inherit[id].key_columns[k] >= count)
                count = mapper->inherit[id].key_columns[k] + 1;
    return count;
}

/* Which columns something reads, and a notice for each column left unread that looks like a
 * field (carrier, quantity, SKU, date, order, tracking) for which nothing in the file is read:
 * "column 'qty' is not read; did you mean 'quantity'?". -1 on allocation failure. */
static int note_columns(sl_mapper *mapper, const sl_header *header)
{
    size_t header_count = header ? header->count : 0;
    mapper->header = header;
    mapper->column_count = read_column_span(mapper, header_count);
    mapper->read_columns = calloc(mapper->column_count ? mapper->column_count : 1, 1);
    if (!mapper->read_columns)
        return -1;
    int field_read[TPL_FIELD_COUNT] = { 0 };
    for (int id = 0; id < TPL_FIELD_COUNT; id++)
        for (size_t i = mapper->field_first[id]; i < mapper->field_first[id + 1]; i++) {
            const bound_source *entry = &mapper->fields[i];
            mark_read(mapper, entry->column);
            if (entry->source->kind == TPL_SOURCE_CONSTANT ||
                (entry->column != NO_COLUMN && entry->column < header_count))
                field_read[id] = 1;
        }
    for (size_t i = 0; i < mapper->tpl->rule_count; i++)
        mark_read(mapper, mapper->rule_columns[i]);
    for (int id = 0; id < TPL_FIELD_COUNT; id++)
        for (size_t k = 0; k < mapper->inherit[id].key_count; k++)
            mark_read(mapper, mapper->inherit[id].key_columns[k]);
    if (!header || !header->names || mapper->tpl->format != SL_FORMAT_CSV)
        return 0;
    for (size_t c = 0; c < header->count; c++) {
        int exact;
        const char *suggest;
        int id = header->names[c] && !mapper->read_columns[c]
                     ? sl_tpl_column_looks_like(header->names[c], &exact, &suggest) : -1;
        if (id < 0 || field_read[id] || !printable_name(header->names[c]))
            continue;
        char text[400];
        const char *wanted = field_column_name(mapper->tpl, id);
        if (wanted)
            snprintf(text, sizeof(text), "column '%.80s' is not read; did you mean '%.80s'?",
                     header->names[c], wanted);
        else
            snprintf(text, sizeof(text), "column '%.80s' is not read: it looks like the %s, "
                     "which template %s does not read", header->names[c], suggest,
                     mapper->tpl->name);
        if (add_notice(mapper, text) != 0)
            return -1;
    }
    return 0;
}

size_t sl_mapper_notice_count(const sl_mapper *mapper)
{
    return mapper->notice_count;
}

const char *sl_mapper_notice(const sl_mapper *mapper, size_t index)
{
    return index < mapper->notice_count ? mapper->notices[index] : NULL;
}

int sl_mapper_remembers(const sl_mapper *mapper)
{
    for (size_t id = 0; id < TPL_FIELD_COUNT; id++)
        if (mapper->inherit[id].memory)
            return 1;
    return 0;
}

int sl_mapper_reads_column(const sl_mapper *mapper, size_t column)
{
    return column < mapper->column_count ? mapper->read_columns[column] : 0;
}

sl_mapper *sl_mapper_new(const sl_template *tpl, const sl_header *header, sl_error *err)
{
    if (check_required(tpl, header, err) != 0)
        return NULL;
    size_t field_sources = 0;
    for (int id = 0; id < TPL_FIELD_COUNT; id++)
        field_sources += tpl->fields[id].source_count;
    sl_mapper *mapper = calloc(1, sizeof(*mapper));
    if (!mapper) {
        sl_error_set(err, "out of memory");
        return NULL;
    }
    mapper->tpl = tpl;
    mapper->rule_columns = calloc(tpl->rule_count ? tpl->rule_count : 1, sizeof(size_t));
    mapper->fields = calloc(field_sources ? field_sources : 1, sizeof(bound_source));
    if (!mapper->rule_columns || !mapper->fields) {
        sl_error_set(err, "out of memory");
        goto fail;
    }
    size_t bound = 0;
    for (int id = 0; id < TPL_FIELD_COUNT; id++) {
        mapper->field_first[id] = bound;
        for (size_t i = 0; i < tpl->fields[id].source_count; i++) {
            bound_source *entry = &mapper->fields[bound];
            entry->source = &tpl->fields[id].sources[i];
            entry->trim_only = trim_only(entry->source) && id != TPL_FIELD_ORDER_REF_KIND;
            if (bind_source(tpl, entry->source, header, &entry->column, err) != 0)
                goto fail;
            if (!always_empty(entry))
                bound++;   /* else the slot is reused: the source is never tried */
        }
    }
    mapper->field_first[TPL_FIELD_COUNT] = bound;
    for (int id = 0; id < TPL_FIELD_COUNT; id++)
        if (mapper->field_first[id] < mapper->field_first[id + 1])
            mapper->active[mapper->active_count++] = (tpl_field_id)id;
    for (size_t i = 0; i < tpl->rule_count; i++)
        if (bind_source(tpl, &tpl->rules[i].source, header, &mapper->rule_columns[i], err) != 0)
            goto fail;
    if (bind_inheritance(mapper, header, err) != 0 || note_columns(mapper, header) != 0) {
        sl_error_set(err, "out of memory");
        goto fail;
    }
    return mapper;
fail:
    sl_mapper_free(mapper);
    return NULL;
}

void sl_mapper_free(sl_mapper *mapper)
{
    if (!mapper)
        return;
    for (int id = 0; id < TPL_FIELD_COUNT; id++) {
        free(mapper->inherit[id].key_columns);
        sl_tpl_memory_free(mapper->inherit[id].memory);
    }
    for (size_t i = 0; i < mapper->notice_count; i++)
        free(mapper->notices[i]);
    free(mapper->notices);
    free(mapper->read_columns);
    free(mapper->rule_columns);
    free(mapper->fields);
    free(mapper);
}

/* ---- mapping ---- */

/* A value being cleaned: on the stack when it fits, else on the heap. */
typedef struct value_buffer {
    char stack[STACK_VALUE];
    char *heap;
    char *text;        /* NUL-terminated current value (may point at a constant) */
    size_t len;
} value_buffer;

/* sl_tpl_trim_span, skipped when neither end can hold a space (nor U+00A0, C2 A0): the usual
 * value. Every byte sl_tpl_trim_span trims is <= ' ', or 0xC2 first or 0xA0 last. */
static inline void trim_span(const char **text, size_t *len)
{
    const unsigned char *value = (const unsigned char *)*text;
    if (*len > 0 && value[0] > ' ' && value[0] != 0xC2 && value[*len - 1] > ' ' &&
        value[*len - 1] != 0xA0)
        return;
    sl_tpl_trim_span(text, len);
}

static void raw_value(const sl_record *record, size_t column, const char **text, size_t *len)
{
    if (column == NO_COLUMN || column >= record->field_count || !record->fields[column]) {
        *text = "";
        *len = 0;
        return;
    }
    *text = record->fields[column];
    *len = record->lengths ? record->lengths[column] : strlen(record->fields[column]);
}

/* Reads and cleans one source's value into buf. -1 on allocation failure. */
static int source_value(const tpl_source *source, size_t column, const sl_record *record,
                        value_buffer *buf)
{
    if (source->kind == TPL_SOURCE_CONSTANT) {
        buf->text = source->constant;
        buf->len = strlen(source->constant);
        return 0;
    }
    const char *text;
    size_t len;
    raw_value(record, column, &text, &len);
    size_t first = 0;   /* a leading trim only narrows the span: done before the copy */
    if (source->transform_count > 0 && source->transforms[0] == TPL_TRANSFORM_TRIM) {
        trim_span(&text, &len);
        first = 1;
    }
    char *work = buf->stack;
    if (len >= sizeof(buf->stack)) {
        free(buf->heap);
        if (!(buf->heap = malloc(len + 1)))
            return -1;
        work = buf->heap;
    }
    memcpy(work, text, len);
    work[len] = '\0';
    sl_tpl_apply_transforms(source, first, work, &len);
    buf->text = work;
    buf->len = len;
    const char *mapped = source->map_count ? sl_tpl_map_lookup(source, work) : NULL;
    if (mapped) {
        buf->text = (char *)mapped;
        buf->len = strlen(mapped);
    }
    if (buf->len == 0 && source->default_value) {
        buf->text = source->default_value;
        buf->len = strlen(source->default_value);
    }
    return 0;
}

/* 1 when one of the source's separators starts at `at` and fits in the `left` bytes. */
static inline int separator_at(const tpl_source *source, const char *at, size_t left,
                               size_t *width)
{
    if (!source->separator_starts[(unsigned char)*at])
        return 0;
    for (size_t i = 0; i < source->separator_count; i++) {
        const char *separator = source->separators[i];
        size_t len = source->separator_lengths[i];
        if (len <= left && *at == separator[0] &&
            (len == 1 || memcmp(at, separator, len) == 0)) {
            *width = len;
            return 1;
        }
    }
    return 0;
}

/* One piece of a tracking-number cell, copied without its spaces; empty pieces are dropped. */
static int add_piece(const char *value, size_t len, sl_row *row, size_t capacity)
{
    char *piece = sl_row_alloc(row, len + 1);
    if (!piece)
        return -1;
    size_t piece_len = sl_tpl_remove_spaces(memcpy(piece, value, len), len);
    piece[piece_len] = '\0';
    if (piece_len == 0 || row->tracking_count == capacity) {
        sl_row_drop(row, &piece);
        return 0;
    }
    row->tracking_numbers[row->tracking_count++] = piece;
    return 0;
}

/* Splits on the source's separators; each piece loses its spaces; empty pieces are dropped.
 * The usual cell holds one number: one scan finds no separator and one copy is made. */
static int set_tracking(const tpl_source *source, const char *value, size_t len, sl_row *row)
{
    size_t pieces = 1;
    size_t width = 1;
    for (size_t at = 0; at < len; at++)
        if (source->separator_starts[(unsigned char)value[at]] &&
            separator_at(source, value + at, len - at, &width)) {
            pieces++;
            at += width - 1;
        }
    row->tracking_numbers = sl_row_alloc(row, pieces * sizeof(char *));
    if (!row->tracking_numbers)
        return -1;
    memset(row->tracking_numbers, 0, pieces * sizeof(char *));
    if (pieces == 1)
        return add_piece(value, len, row, pieces);
    size_t start = 0;
    for (size_t at = 0; at <= len; at++) {
        if (at < len && !separator_at(source, value + at, len - at, &width))
            continue;
        if (add_piece(value + start, at - start, row, pieces) != 0)
            return -1;
        if (at < len)
            at += width - 1;
        start = at + 1;
    }
    return 0;
}

static void set_ref_kind(const char *value, sl_row *row)
{
    static const struct { const char *name; sl_ref_kind kind; } kinds[] = {
        { "id", SL_REF_ID }, { "name", SL_REF_NAME }, { "auto", SL_REF_AUTO } };
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (sl_tpl_equal_nocase(kinds[i].name, value)) {
            row->order_ref_kind = kinds[i].kind;
            return;
        }
    sl_row_warn(row, "order reference kind '%s' is not id, name or auto: tried as both", value);
}

/* Like sl_row_replace, with the length already known. */
static int set_string(sl_row *row, char **slot, const char *text, size_t len)
{
    char *copy = sl_row_alloc(row, len + 1);
    if (!copy)
        return -1;
    memcpy(copy, text, len);
    copy[len] = '\0';
    if (*slot)
        sl_row_drop(row, slot);
    *slot = copy;
    return 0;
}

/* Fills one field from the first of its sources that gives a non-empty value. */
static int map_field(const sl_mapper *mapper, tpl_field_id id, const sl_record *record,
                     sl_row *row, value_buffer *buf, const tpl_source **winner)
{
    const char *text = NULL;
    size_t len = 0;
    *winner = NULL;
    for (size_t i = mapper->field_first[id]; i < mapper->field_first[id + 1] && !*winner; i++) {
        const bound_source *entry = &mapper->fields[i];
        if (entry->trim_only) {
            raw_value(record, entry->column, &text, &len);   /* the common case: no copy */
            trim_span(&text, &len);
        } else {
            if (source_value(entry->source, entry->column, record, buf) != 0)
                return -1;
            text = buf->text;
            len = buf->len;
        }
        if (len > 0)
            *winner = entry->source;
    }
    if (!*winner)
        return 0;
    if (id == TPL_FIELD_TRACKING_NUMBERS)
        return set_tracking(*winner, text, len, row);
    if (id == TPL_FIELD_ORDER_REF_KIND) {
        set_ref_kind(text, row);
        return 0;
    }
    char **slot = sl_tpl_field_slot(row, id);
    return slot ? set_string(row, slot, text, len) : -1;
}

static int test_holds(const tpl_rule *rule, const char *value)
{
    switch (rule->test) {
    case TPL_TEST_EMPTY: return value[0] == '\0';
    case TPL_TEST_NOT_EMPTY: return value[0] != '\0';
    default:
        for (size_t i = 0; i < rule->value_count; i++)
            if (sl_tpl_equal_nocase(rule->values[i], value))
                return 1;
        return 0;
    }
}

static int rule_holds(const tpl_rule *rule, const char *value)
{
    return test_holds(rule, value) != rule->negate;
}

static int apply_rule(const tpl_rule *rule, const char *value, sl_row *row)
{
    static const char *const actions[] = { [TPL_OUTCOME_SHIP] = "ship",
                                           [TPL_OUTCOME_UPDATE] = "update",
                                           [TPL_OUTCOME_CANCEL] = "cancel" };
    if (rule->outcome != TPL_OUTCOME_SKIP) {
        sl_row_columns *columns = sl_row_own_columns(row);
        return columns ? sl_row_replace(row, &columns->action_text, actions[rule->outcome]) : -1;
    }
    if (rule->message)
        sl_row_fail(row, SL_STATUS_SKIPPED, SL_CODE_NONE, "%s", rule->message);
    else if (rule->negate)
        sl_row_fail(row, SL_STATUS_SKIPPED, SL_CODE_NONE, "skipped by rule: %s = %s",
                    rule->label, value[0] ? value : "(empty)");
    else if (rule->test == TPL_TEST_EMPTY)
        sl_row_fail(row, SL_STATUS_SKIPPED, SL_CODE_NONE, "skipped by rule: %s is empty",
                    rule->label);
    else
        sl_row_fail(row, SL_STATUS_SKIPPED, SL_CODE_NONE, "skipped by rule: %s = %s",
                    rule->label, value);
    return 0;
}

/* The first rule whose condition holds applies; the others are not tried. */
static int apply_rules(const sl_mapper *mapper, const sl_record *record, sl_row *row,
                       value_buffer *buf)
{
    const sl_template *tpl = mapper->tpl;
    for (size_t i = 0; i < tpl->rule_count; i++) {
        const tpl_rule *rule = &tpl->rules[i];
        if (source_value(&rule->source, mapper->rule_columns[i], record, buf) != 0)
            return -1;
        if (rule_holds(rule, buf->text))
            return apply_rule(rule, buf->text, row);
    }
    return 0;
}

/* 1 when a field's bytes are not valid UTF-8 (or hold a NUL). */
static int field_bad(const sl_record *record, size_t column)
{
    const char *text = record->fields[column];
    size_t len = record->lengths ? record->lengths[column] : strlen(text);
    return (len && memchr(text, '\0', len) != NULL) || !sl_utf8_valid(text, len);
}

/* 1 when every byte would be a character in Windows-1252 (none of its five undefined ones). */
static int decodes_as_1252(const sl_record *record, size_t column)
{
    const unsigned char *text = (const unsigned char *)record->fields[column];
    size_t len = record->lengths ? record->lengths[column] : strlen((const char *)text);
    for (size_t i = 0; i < len; i++)
        if (text[i] == 0 || text[i] == 0x81 || text[i] == 0x8D || text[i] == 0x8F ||
            text[i] == 0x90 || text[i] == 0x9D)
            return 0;
    return 1;
}

/* A record with invalid bytes: bad_encoding only when a column the template reads has them
 * (that column is named); when only unread columns have them, the row goes on and validation
 * warns, naming the first. A record flagged without a bad field stays bad_encoding. */
static int place_bad_encoding(const sl_mapper *mapper, const sl_record *record, sl_row *row)
{
    size_t found = NO_COLUMN;
    int read = 0;
    for (size_t c = 0; c < record->field_count && !read; c++) {
        if (!field_bad(record, c))
            continue;
        read = sl_mapper_reads_column(mapper, c);
        if (read || found == NO_COLUMN)
            found = c;
    }
    if (found == NO_COLUMN)
        return 0;
    row->bad_encoding = read;
    row->encoding_1252_decodes = decodes_as_1252(record, found);
    char number[32];
    const char *name = number;
    if (mapper->header && mapper->header->names && found < mapper->header->count)
        name = mapper->header->names[found];
    else
        snprintf(number, sizeof(number), "%zu", found + 1);
    sl_row_extra *extra = sl_row_own_extra(row);
    return extra ? sl_row_replace(row, &extra->encoding_column, name) : -1;
}

/* The trimmed value of a key column, copied into out; 0 when empty or too long. */
static size_t key_value(const sl_record *record, size_t column, char *out, size_t cap)
{
    const char *text;
    size_t len;
    raw_value(record, column, &text, &len);
    sl_tpl_trim_span(&text, &len);
    if (len == 0 || len >= cap)
        return 0;
    memcpy(out, text, len);
    out[len] = '\0';
    return len;
}

/* A field with a value is remembered under each of its keys; an empty one takes the value
 * remembered under its first key. Returns 1 when the value was inherited, -1 on failure. */
static int inherit_field(const inherit_binding *binding, tpl_field_id id,
                         const sl_record *record, sl_row *row)
{
    if (!sl_tpl_field_has_slot(id))
        return 0;
    char **slot = sl_tpl_field_slot(row, id);
    char key[KEY_VALUE_MAX];
    if (!slot)
        return -1;
    if (*slot && (*slot)[0]) {
        for (size_t k = 0; k < binding->key_count; k++)
            if (key_value(record, binding->key_columns[k], key, sizeof(key)) > 0 &&
                sl_tpl_memory_put(binding->memory, key, *slot, strlen(*slot)) != 0)
                return -1;
        return 0;
    }
    if (key_value(record, binding->key_columns[0], key, sizeof(key)) == 0)
        return 0;
    const char *remembered = sl_tpl_memory_get(binding->memory, key);
    if (!remembered)
        return 0;
    return set_string(row, slot, remembered, strlen(remembered)) == 0 ? 1 : -1;
}

int sl_mapper_map(const sl_mapper *mapper, const sl_record *record, sl_row *row)
{
    row->record = (uint32_t)record->number;     /* both at most SL_RECORD_NUMBER_MAX */
    row->line = (uint32_t)record->line;
    row->bad_encoding = record->bad_encoding;
    row->malformed = record->malformed;
    value_buffer buf;
    buf.heap = NULL;
    int rc = 0;
    const tpl_source *order_ref_source = NULL;
    for (size_t i = 0; i < mapper->active_count && rc == 0; i++) {   /* the others stay unset */
        tpl_field_id id = mapper->active[i];
        const tpl_source *winner;
        rc = map_field(mapper, id, record, row, &buf, &winner);
        if (rc == 0 && mapper->inherit[id].memory) {
            int inherited = inherit_field(&mapper->inherit[id], id, record, row);
            if (inherited == 1)
                winner = &mapper->tpl->fields[id].sources[0];
            rc = inherited < 0 ? -1 : 0;
        }
        if (id == TPL_FIELD_ORDER_REF)
            order_ref_source = winner;
    }
    if (rc == 0 && order_ref_source && order_ref_source->has_kind)
        row->order_ref_kind = order_ref_source->kind_value;
    if (rc == 0)
        rc = apply_rules(mapper, record, row, &buf);
    if (rc == 0 && record->bad_encoding)
        rc = place_bad_encoding(mapper, record, row);
    free(buf.heap);
    return rc;
}
