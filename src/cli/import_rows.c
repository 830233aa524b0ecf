/* import_rows.c: the rows and raw records of one import (import_rows.h). A record is copied
 * into a single block (struct, field pointers, lengths, bytes); with a spill file the block is
 * written there (its size first) and read back, pointers fixed, only for rejects.csv. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "import_rows.h"

void import_rows_init(import_rows *set)
{
    memset(set, 0, sizeof(*set));
}

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

sl_record *import_record_pack(const sl_record *record)
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

static int grow(import_rows *set)
{
    size_t cap = set->cap ? set->cap * 2 : 1024;
    sl_row *rows = realloc(set->rows, cap * sizeof(*rows));
    if (!rows)
        return -1;
    set->rows = rows;
    long *offsets = realloc(set->offsets, cap * sizeof(*offsets));
    if (!offsets)
        return -1;
    set->offsets = offsets;
    sl_record **records = realloc(set->records, (set->spill ? 1 : cap) * sizeof(*records));
    if (!records)
        return -1;
    set->records = records;
    set->cap = cap;
    return 0;
}

/* Appends the record to the spill file; offsets[count] says where (-1: no record). */
static int spill_record(import_rows *set, const sl_record *raw)
{
    if (!raw) {
        set->offsets[set->count] = -1;
        return 0;
    }
    sl_record *copy = import_record_pack(raw);
    if (!copy)
        return -1;
    size_t size = packed_size(raw);
    set->offsets[set->count] = ftell(set->spill);
    int failed = set->offsets[set->count] < 0 || fwrite(&size, sizeof(size), 1, set->spill) != 1 ||
                 fwrite(copy, size, 1, set->spill) != 1;
    free(copy);
    return failed ? -1 : 0;
}

int import_rows_add(import_rows *set, sl_row *row, const sl_record *raw)
{
    if (set->count == 0 && !set->spill && !set->spill_failed && !set->records) {
        set->spill = tmpfile();
        set->spill_failed = set->spill == NULL;
    }
    if (set->count == set->cap && grow(set) != 0)
        return -1;
    if (set->spill) {
        if (spill_record(set, raw) != 0)
            return -1;
    } else {
        set->records[set->count] = raw ? import_record_pack(raw) : NULL;
        if (raw && !set->records[set->count])
            return -1;
    }
    set->rows[set->count++] = *row;
    sl_row_init(row);
    return 0;
}

sl_record *import_rows_record(const import_rows *set, size_t i)
{
    if (i >= set->count)
        return NULL;
    if (!set->spill)
        return set->records[i] ? import_record_pack(set->records[i]) : NULL;
    size_t size = 0;
    if (set->offsets[i] < 0 || fflush(set->spill) != 0 ||
        fseek(set->spill, set->offsets[i], SEEK_SET) != 0 ||
        fread(&size, sizeof(size), 1, set->spill) != 1 || size < sizeof(sl_record))
        return NULL;
    sl_record *copy = malloc(size);
    if (!copy || fread(copy, size, 1, set->spill) != 1) {
        free(copy);
        return NULL;
    }
    relink(copy);
    fseek(set->spill, 0, SEEK_END);
    return copy;
}

void import_rows_free(import_rows *set)
{
    for (size_t i = 0; i < set->count; i++) {
        sl_row_clear(&set->rows[i]);
        if (!set->spill && set->records)
            free(set->records[i]);
    }
    if (set->spill)
        fclose(set->spill);
    free(set->rows);
    free(set->records);
    free(set->offsets);
    import_rows_init(set);
}
