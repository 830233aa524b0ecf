/* import_rows.c: the rows and raw records of one import (import_rows.h). A record is copied
 * into a single block (struct, field pointers, lengths, bytes); with a spill file the block is
 * written there (its size first; a row without a record writes a size of 0, so that entry i is
 * rows[i]'s) and read back, pointers fixed, only for rejects.csv, walking forward from the
 * last entry read. A row's
 * mapped strings are moved into an arena of 1 MiB chunks, freed all at once with the set; the
 * values of the columns that repeat from row to row (carrier, ship date, SKU, ...) are stored
 * once, in a vocabulary of at most VOCABULARY_MAX distinct values, and shared by the rows;
 * a row's sl_row_columns of such values is stored once per combination (at most
 * COMBINATIONS_MAX of them) and shared the same way. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/import_rows.h"
#include "match/strmap.h"

#define CHUNK_SIZE (1024 * 1024)
#define VOCABULARY_MAX 4096     /* distinct shared values; a value beyond them is copied */
#define COMBINATIONS_MAX 65536  /* distinct shared combinations of the repeating columns; a
                                   row with a new one beyond them has a copy of its own */

struct sl_import_chunk {
    sl_import_chunk *next;
    size_t used, size;
    _Alignas(max_align_t) char data[];
};

void sl_import_rows_init(sl_import_rows *set)
{
    memset(set, 0, sizeof(*set));
    set->vocabulary.max = VOCABULARY_MAX;
    set->combinations.max = COMBINATIONS_MAX;
    set->matched.max = SIZE_MAX;
}

/* ---------------------------------------------------------------- the strings' arena */

/* size bytes aligned for a pointer, from the newest chunk or a new one. */
static void *arena_alloc(sl_import_rows *set, size_t size)
{
    size = (size + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
    sl_import_chunk *chunk = set->chunks;
    if (!chunk || chunk->size - chunk->used < size) {
        size_t capacity = size > CHUNK_SIZE ? size : CHUNK_SIZE;
        chunk = malloc(sizeof(*chunk) + capacity);
        if (!chunk)
            return NULL;
        set->bytes += sizeof(*chunk) + capacity;
        chunk->next = set->chunks;
        chunk->used = 0;
        chunk->size = capacity;
        set->chunks = chunk;
    }
    void *at = chunk->data + chunk->used;
    chunk->used += size;
    return at;
}

/* A copy of text in the arena. NULL out of memory. */
static char *arena_strdup(sl_import_rows *set, const char *text)
{
    size_t len = strlen(text) + 1;
    char *copy = arena_alloc(set, len);
    return copy ? memcpy(copy, text, len) : NULL;
}

/* ---------------------------------------------------------------- the shared values */

/* Doubles the table (kept at most half full). -1 out of memory. */
static int strings_grow(sl_import_rows *set, sl_import_strings *table)
{
    size_t cap = table->cap ? table->cap * 2 : 64;
    char **slots = calloc(cap, sizeof(*slots));
    if (!slots)
        return -1;
    for (size_t i = 0; i < table->cap; i++) {
        char *value = table->slots[i];
        if (!value)
            continue;
        size_t at = (size_t)sl_strmap_hash(value) & (cap - 1);
        while (slots[at])
            at = (at + 1) & (cap - 1);
        slots[at] = value;
    }
    set->bytes += (cap - table->cap) * sizeof(*slots);
    free(table->slots);
    table->slots = slots;
    table->cap = cap;
    return 0;
}

/* The slot of key in table: the one holding it, or the empty one where it goes (room is made
 * first while the table is under its max). NULL out of memory. */
static char **strings_slot(sl_import_rows *set, sl_import_strings *table, const char *key)
{
    if (table->count * 2 >= table->cap && table->count < table->max &&
        strings_grow(set, table) != 0)
        return NULL;
    size_t at = (size_t)sl_strmap_hash(key) & (table->cap - 1);
    while (table->slots[at] && strcmp(table->slots[at], key) != 0)
        at = (at + 1) & (table->cap - 1);
    return &table->slots[at];
}

/* *shared: the table's copy of text, added if new; NULL when the table is full and text is not
 * in it (the row then keeps a copy of its own). -1 out of memory. */
static int strings_share(sl_import_rows *set, sl_import_strings *table, const char *text,
                         char **shared)
{
    *shared = NULL;
    char **slot = strings_slot(set, table, text);
    if (!slot)
        return -1;
    if (*slot) {
        *shared = *slot;
        return 0;
    }
    if (table->count >= table->max)
        return 0;
    char *copy = arena_strdup(set, text);
    if (!copy)
        return -1;
    *slot = copy;
    table->count++;
    *shared = copy;
    return 0;
}

/* ---------------------------------------------------------------- the shared combinations */

/* The hash of a combination: its pointers' identities (all the vocabulary's, or NULL). */
static size_t columns_hash(const sl_row_columns *columns)
{
    char *const *values[] = SL_ROW_COLUMN_SLOTS(columns);
    uint64_t hash = 0xcbf29ce484222325u;
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
        hash = (hash ^ (uint64_t)(uintptr_t)*values[i]) * 0x100000001b3u;
    return (size_t)(hash ^ (hash >> 29));
}

/* Doubles the table (kept at most half full). -1 out of memory. */
static int combinations_grow(sl_import_rows *set, sl_import_combinations *table)
{
    size_t cap = table->cap ? table->cap * 2 : 16;
    sl_row_columns **slots = calloc(cap, sizeof(*slots));
    if (!slots)
        return -1;
    for (size_t i = 0; i < table->cap; i++) {
        sl_row_columns *columns = table->slots[i];
        if (!columns)
            continue;
        size_t at = columns_hash(columns) & (cap - 1);
        while (slots[at])
            at = (at + 1) & (cap - 1);
        slots[at] = columns;
    }
    set->bytes += (cap - table->cap) * sizeof(*slots);
    free(table->slots);
    table->slots = slots;
    table->cap = cap;
    return 0;
}

/* *shared: the table's copy of the combination (of shared values only), added if new; NULL
 * when the table is full and it is not in it (the row then keeps a copy of its own). -1 out
 * of memory. */
static int columns_share(sl_import_rows *set, const sl_row_columns *combination,
                         sl_row_columns **shared)
{
    sl_import_combinations *table = &set->combinations;
    *shared = NULL;
    if (table->count * 2 >= table->cap && table->count < table->max &&
        combinations_grow(set, table) != 0)
        return -1;
    size_t at = columns_hash(combination) & (table->cap - 1);
    for (; table->slots[at]; at = (at + 1) & (table->cap - 1))
        if (memcmp(table->slots[at], combination, sizeof(*combination)) == 0) {
            *shared = table->slots[at];
            return 0;
        }
    if (table->count >= table->max)
        return 0;
    sl_row_columns *copy = arena_alloc(set, sizeof(*copy));
    if (!copy)
        return -1;
    *copy = *combination;
    table->slots[at] = copy;
    table->count++;
    *shared = copy;
    return 0;
}

/* ---------------------------------------------------------------- a row's strings */

/* The mapped strings of a row, besides its repeating columns: set by the template and
 * validation, read-only afterwards. The line item id and the tracking URL are in the row's
 * extra (extra: the row's, or an empty one of the caller's when it has none; the extra itself
 * stays the row's own, in memory of its own). */
#define MAPPED_STRINGS(row, extra)                                                           \
    { &(row)->order_ref, &(row)->package_ref, &(extra)->line_item_id, &(row)->sku,           \
      &(row)->carrier, &(extra)->tracking_url }
/* Which of them take their values from a small vocabulary, in the order above: not the
 * references, the line item id or the tracking URL (one per row or package). */
static const unsigned char shared_string[] = { 0, 0, 0, 1, 1, 0 };

/* What the row will point to for its repeating columns: the vocabulary's copy of each value,
 * and where one is not in the vocabulary (full) NULL: the row then has a copy of its own. */
typedef struct held_columns {
    sl_row_columns values;      /* the vocabulary's copies; NULL where the row's own is kept */
    int any;                    /* the row has a value in at least one of them */
    int own;                    /* a value outside the vocabulary: no sharing of the whole */
    size_t own_bytes;           /* the bytes of those values */
} held_columns;

/* The row's extra, or none (emptied) when it has none: for MAPPED_STRINGS. */
static sl_row_extra *extra_or(sl_row *row, sl_row_extra *none)
{
    memset(none, 0, sizeof(*none));
    return row->extra ? row->extra : none;
}

static size_t mapped_size(sl_row *row)
{
    sl_row_extra none;
    char **strings[] = MAPPED_STRINGS(row, extra_or(row, &none));
    char *const *values[] = SL_ROW_COLUMN_SLOTS(sl_row_cols(row));
    size_t bytes = row->tracking_count * sizeof(char *);
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        bytes += *strings[i] ? strlen(*strings[i]) + 1 : 0;
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
        bytes += *values[i] ? strlen(*values[i]) + 1 : 0;
    for (size_t i = 0; i < row->tracking_count; i++)
        bytes += strlen(row->tracking_numbers[i]) + 1;
    return bytes;
}

static char *copy_into(char **at, const char *text)
{
    size_t len = strlen(text) + 1;
    char *copy = memcpy(*at, text, len);
    *at += len;
    return copy;
}

/* Finds the vocabulary's copy of each of the row's repeating values. -1 out of memory. */
static int share_column_values(sl_import_rows *set, const sl_row *row, held_columns *held)
{
    memset(held, 0, sizeof(*held));
    char *const *values[] = SL_ROW_COLUMN_SLOTS(sl_row_cols(row));
    char **shared[] = SL_ROW_COLUMN_SLOTS(&held->values);
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        if (!*values[i])
            continue;
        held->any = 1;
        if (strings_share(set, &set->vocabulary, *values[i], shared[i]) != 0)
            return -1;
        if (!*shared[i]) {
            held->own = 1;
            held->own_bytes += strlen(*values[i]) + 1;
        }
    }
    return 0;
}

/* A copy of the row's columns of its own carved at *at, its values outside the vocabulary
 * copied after it (held->own_bytes): for a value the vocabulary is full for, or a
 * combination beyond COMBINATIONS_MAX. */
static sl_row_columns *copy_columns(const sl_row *row, const held_columns *held, char **at)
{
    sl_row_columns *columns = (sl_row_columns *)*at;
    *at += sizeof(*columns);
    *columns = held->values;
    char *const *values[] = SL_ROW_COLUMN_SLOTS(sl_row_cols(row));
    char **slots[] = SL_ROW_COLUMN_SLOTS(columns);
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
        if (*values[i] && !*slots[i])
            *slots[i] = copy_into(at, *values[i]);
    return columns;
}

/* Moves the row's mapped strings into the arena: the vocabulary's copy of a shared one, else
 * a copy of its own, the row's own freed through sl_row_clear on a row that holds only them.
 * Its repeating columns become NULL when it has none, else the one shared copy of their
 * combination, else (copy_columns) a copy of its own. -1 out of memory (the row unchanged). */
static int move_to_arena(sl_import_rows *set, sl_row *row)
{
    sl_row_extra none;
    char **strings[] = MAPPED_STRINGS(row, extra_or(row, &none));
    enum { COUNT = sizeof(strings) / sizeof(strings[0]) };
    _Static_assert(sizeof(shared_string) == COUNT, "one flag per mapped string");
    char *shared[COUNT] = { NULL };
    size_t bytes = row->tracking_count * sizeof(char *);
    for (size_t i = 0; i < row->tracking_count; i++)
        bytes += strlen(row->tracking_numbers[i]) + 1;
    for (size_t i = 0; i < COUNT; i++) {
        if (!*strings[i])
            continue;
        if (shared_string[i] && strings_share(set, &set->vocabulary, *strings[i], &shared[i]))
            return -1;
        bytes += shared[i] ? 0 : strlen(*strings[i]) + 1;
    }
    held_columns held;
    sl_row_columns *columns = NULL;
    if (share_column_values(set, row, &held) != 0 ||
        (held.any && !held.own && columns_share(set, &held.values, &columns) != 0))
        return -1;
    int own_columns = held.any && !columns;
    bytes += own_columns ? sizeof(sl_row_columns) + held.own_bytes : 0;
    char *block = bytes ? arena_alloc(set, bytes) : NULL;
    if (bytes && !block)
        return -1;
    char *at = block + row->tracking_count * sizeof(char *);
    if (own_columns)    /* right after the numbers' pointers: aligned like them */
        columns = copy_columns(row, &held, &at);
    sl_row originals;
    sl_row_init(&originals);
    char *owned[COUNT];     /* the row's own copies of its strings, malloc'd (no block) */
    char **numbers = row->tracking_count ? (char **)block : NULL;
    for (size_t i = 0; i < row->tracking_count; i++)
        numbers[i] = copy_into(&at, row->tracking_numbers[i]);
    originals.tracking_numbers = row->tracking_numbers;
    originals.tracking_count = row->tracking_count;
    row->tracking_numbers = numbers;
    for (size_t i = 0; i < COUNT; i++) {
        owned[i] = *strings[i];
        if (shared[i])
            *strings[i] = shared[i];
        else if (*strings[i])
            *strings[i] = copy_into(&at, *strings[i]);
    }
    originals.columns = row->columns;
    row->columns = NULL;
    if (columns)
        sl_row_share_columns(row, columns);
    sl_row_clear(&originals);
    for (size_t i = 0; i < COUNT; i++)
        free(owned[i]);
    return 0;
}

/* Forgets the arena's strings of a row before sl_row_clear frees the rest. */
static void release_mapped(sl_row *row)
{
    sl_row_extra none;
    char **strings[] = MAPPED_STRINGS(row, extra_or(row, &none));
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        *strings[i] = NULL;
    row->tracking_numbers = NULL;
    row->tracking_count = 0;
    row->columns = NULL;
    row->shared &= ~SL_ROW_SHARED_COLUMNS;
}

static void arena_free(sl_import_rows *set)
{
    while (set->chunks) {
        sl_import_chunk *next = set->chunks->next;
        free(set->chunks);
        set->chunks = next;
    }
}

/* ---------------------------------------------------------------- rows and records */

static size_t packed_size(const sl_record *record)
{
    size_t bytes = sizeof(sl_record) + record->field_count * (sizeof(char *) + sizeof(size_t));
    for (size_t i = 0; i < record->field_count; i++)
        bytes += record->lengths[i] + 1;
    return bytes;
}

/* Points fields and lengths of a packed block at its own storage. */
static void relink(sl_record *copy)
{
    size_t n = copy->field_count;
    copy->fields = (char **)(copy + 1);
    copy->lengths = (size_t *)(copy->fields + n);
    char *data = (char *)(copy->lengths + n);
    for (size_t i = 0; i < n; i++) {
        copy->fields[i] = data;
        data += copy->lengths[i] + 1;
    }
}

sl_record *sl_import_record_pack(const sl_record *record)
{
    size_t n = record->field_count;
    sl_record *copy = malloc(packed_size(record));
    if (!copy)
        return NULL;
    *copy = *record;
    copy->fields = (char **)(copy + 1);
    copy->lengths = (size_t *)(copy->fields + n);
    memcpy(copy->lengths, record->lengths, n * sizeof(size_t));
    relink(copy);
    for (size_t i = 0; i < n; i++) {
        memcpy(copy->fields[i], record->fields[i], record->lengths[i]);
        copy->fields[i][record->lengths[i]] = '\0';
    }
    return copy;
}

static int grow(sl_import_rows *set)
{
    size_t cap = set->cap ? set->cap * 2 : 1024;
    sl_row *rows = realloc(set->rows, cap * sizeof(*rows));
    if (!rows)
        return -1;
    set->rows = rows;
    sl_record **records = realloc(set->records, (set->spill ? 1 : cap) * sizeof(*records));
    if (!records)
        return -1;
    set->records = records;
    set->cap = cap;
    return 0;
}

/* Appends the row's entry to the spill file: the record's size and bytes, or a size of 0
 * when there is no record. */
static int spill_record(sl_import_rows *set, const sl_record *raw)
{
    size_t size = 0;
    if (!raw)
        return fwrite(&size, sizeof(size), 1, set->spill) != 1 ? -1 : 0;
    sl_record *copy = sl_import_record_pack(raw);
    if (!copy)
        return -1;
    size = packed_size(raw);
    int failed = fwrite(&size, sizeof(size), 1, set->spill) != 1 ||
                 fwrite(copy, size, 1, set->spill) != 1;
    free(copy);
    return failed ? -1 : 0;
}

int sl_import_rows_add(sl_import_rows *set, sl_row *row, const sl_record *raw)
{
    if (set->count == 0 && !set->spill && !set->spill_failed && !set->records) {
        set->spill_cursor = calloc(1, sizeof(*set->spill_cursor));
        set->spill = set->spill_cursor ? tmpfile() : NULL;
        set->spill_failed = set->spill == NULL;
    }
    if (set->count == set->cap && grow(set) != 0)
        return -1;
    set->value_bytes += mapped_size(row) + (raw ? packed_size(raw) : 0);
    if (move_to_arena(set, row) != 0)
        return -1;
    if (set->spill) {
        if (spill_record(set, raw) != 0)
            return -1;
    } else {
        set->records[set->count] = raw ? sl_import_record_pack(raw) : NULL;
        if (raw && !set->records[set->count])
            return -1;
        set->bytes += raw ? packed_size(raw) : 0;
    }
    set->rows[set->count++] = *row;
    sl_row_init(row);
    return 0;
}

/* ---------------------------------------------------------------- the matched orders */

/* The row's order id and name as the order's record holds them (see order_share), or NULLs
 * when the record's name is not the row's (the row then keeps its own copies). */
static void record_names(char *record_id, const char *order_name, char **shared_id,
                         char **shared_name)
{
    char *name = record_id[-1] ? record_id + strlen(record_id) + 1 : NULL;
    if ((name == NULL) != (order_name == NULL) || (name && strcmp(name, order_name) != 0))
        return;
    *shared_id = record_id;
    *shared_name = name;
}

/* The shared copies of a matched order's id and name: one record in the arena per order (a
 * byte saying whether it has a name, the id, the name), found by its id in the matched
 * table, which holds the id's address. One entry per order, not per text, keeps the table
 * small while matching (a million rows over 400,000 orders: 8 MB of slots). -1 out of
 * memory; *shared_id NULL when the row must keep its own copies. */
static int order_share(sl_import_rows *set, const char *order_id, const char *order_name,
                       char **shared_id, char **shared_name)
{
    *shared_id = *shared_name = NULL;
    char **slot = strings_slot(set, &set->matched, order_id);
    if (!slot)
        return -1;
    if (!*slot) {
        size_t id_size = strlen(order_id) + 1;
        size_t name_size = order_name ? strlen(order_name) + 1 : 0;
        char *record = arena_alloc(set, 1 + id_size + name_size);
        if (!record)
            return -1;
        record[0] = order_name != NULL;
        memcpy(record + 1, order_id, id_size);
        if (order_name)
            memcpy(record + 1 + id_size, order_name, name_size);
        *slot = record + 1;
        set->matched.count++;
    }
    record_names(*slot, order_name, shared_id, shared_name);
    return 0;
}

int sl_import_rows_share_row(sl_import_rows *set, sl_row *row)
{
    if (row->shared & SL_ROW_SHARED_MATCHED)
        return 0;
    char *order_id = NULL, *order_name = NULL, *unit = NULL;
    if (row->order_id &&
        order_share(set, row->order_id, row->order_name, &order_id, &order_name) != 0)
        return -1;
    if ((row->order_id && !order_id) || (row->order_name && !order_name))
        return 0;               /* a name its order's record does not hold: its own copies */
    /* a unit has about one row: a copy each costs less than an entry in the table, and none
     * when the row's package reference (in the arena) is that very id */
    if (row->fulfillment_order_id && row->package_ref &&
        strcmp(row->package_ref, row->fulfillment_order_id) == 0)
        unit = row->package_ref;
    else if (row->fulfillment_order_id &&
             !(unit = arena_strdup(set, row->fulfillment_order_id)))
        return -1;
    sl_row_share_matched(row, order_id, order_name, unit);
    return 0;
}

int sl_import_rows_share_matched(sl_import_rows *set)
{
    for (size_t i = 0; i < set->count; i++)
        if (sl_import_rows_share_row(set, &set->rows[i]) != 0)
            return -1;
    /* The records stay in the arena; their index served only to find them (a million rows
     * over 400,000 orders: 8 MB of slots, freed before the plan is built). */
    set->bytes -= set->matched.cap * sizeof(*set->matched.slots);
    free(set->matched.slots);
    set->matched.slots = NULL;
    set->matched.cap = set->matched.count = 0;
    return 0;
}

char *sl_import_rows_keep(sl_import_rows *set, const char *text)
{
    return arena_strdup(set, text);
}

void sl_import_rows_stop_pending(sl_import_rows *set, sl_code code, const char *why)
{
    char text[1024];    /* what sl_row_fail would keep of it */
    snprintf(text, sizeof(text), "%s", why ? why : "");
    char *shared = NULL;
    for (size_t i = 0; i < set->count; i++) {
        sl_row *row = &set->rows[i];
        if (row->status != SL_STATUS_PENDING)
            continue;
        if (!shared)
            shared = arena_strdup(set, text);
        if (shared)
            sl_row_fail_shared(row, SL_STATUS_NOT_ATTEMPTED, code, shared);
        else        /* out of memory: each row its own copy, as far as it goes */
            sl_row_fail(row, SL_STATUS_NOT_ATTEMPTED, code, "%s", text);
    }
}

/* The spill file positioned at entry i, walking forward from the cursor (from the beginning
 * when i is before it): each entry skipped costs its size's read and a seek. -1 when the file
 * cannot be read there. */
static int spill_seek(const sl_import_rows *set, size_t i)
{
    struct sl_import_spill_cursor *cursor = set->spill_cursor;
    if (i < cursor->next) {
        cursor->next = 0;
        cursor->at = 0;
    }
    if (fflush(set->spill) != 0 || fseek(set->spill, cursor->at, SEEK_SET) != 0)
        return -1;
    for (; cursor->next < i; cursor->next++) {
        size_t size;
        if (fread(&size, sizeof(size), 1, set->spill) != 1 ||
            fseek(set->spill, (long)size, SEEK_CUR) != 0) {
            cursor->next = 0;
            cursor->at = 0;
            fseek(set->spill, 0, SEEK_END);
            return -1;
        }
        cursor->at = ftell(set->spill);
    }
    return 0;
}

sl_record *sl_import_rows_record(const sl_import_rows *set, size_t i)
{
    if (i >= set->count)
        return NULL;
    if (!set->spill)
        return set->records[i] ? sl_import_record_pack(set->records[i]) : NULL;
    if (spill_seek(set, i) != 0)
        return NULL;
    struct sl_import_spill_cursor *cursor = set->spill_cursor;
    size_t size = 0;
    int have_size = fread(&size, sizeof(size), 1, set->spill) == 1;
    if (have_size && size == 0) {   /* the row has no record */
        cursor->next = i + 1;
        cursor->at = ftell(set->spill);
    }
    if (!have_size || size < sizeof(sl_record)) {
        if (!have_size || size > 0) {   /* a damaged entry: the next read starts over */
            cursor->next = 0;
            cursor->at = 0;
        }
        fseek(set->spill, 0, SEEK_END);
        return NULL;
    }
    sl_record *copy = malloc(size);
    if (!copy || fread(copy, size, 1, set->spill) != 1) {
        free(copy);
        fseek(set->spill, 0, SEEK_END);
        return NULL;
    }
    relink(copy);
    cursor->next = i + 1;
    cursor->at = ftell(set->spill);
    fseek(set->spill, 0, SEEK_END);
    return copy;
}

void sl_import_rows_shrink(sl_import_rows *set)
{
    if (set->count == 0 || set->count == set->cap)
        return;
    sl_row *rows = realloc(set->rows, set->count * sizeof(*rows));
    if (!rows)
        return;     /* still correct at the old capacity */
    set->rows = rows;
    if (!set->spill) {
        sl_record **records = realloc(set->records, set->count * sizeof(*records));
        if (!records)
            return;
        set->records = records;
    }
    set->cap = set->count;
}

static size_t bytes_per_row(const sl_import_rows *set)
{
    return sizeof(sl_row) + (set->spill ? 0 : sizeof(sl_record *));
}

size_t sl_import_rows_bytes(const sl_import_rows *set)
{
    size_t cap = set->count == set->cap ? (set->cap ? set->cap * 2 : 1024) : set->cap;
    return set->bytes + cap * bytes_per_row(set);
}

void sl_import_rows_clear(sl_import_rows *set)
{
    for (size_t i = 0; i < set->count; i++) {
        release_mapped(&set->rows[i]);
        sl_row_clear(&set->rows[i]);
        if (!set->spill && set->records)
            free(set->records[i]);
    }
    if (set->spill)
        fclose(set->spill);
    free(set->vocabulary.slots);
    free(set->combinations.slots);
    free(set->matched.slots);
    free(set->rows);
    free(set->records);
    free(set->spill_cursor);
    arena_free(set);
    sl_import_rows_init(set);
}
