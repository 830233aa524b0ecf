/* record.c: owned copies of reader records, for stages that keep records past the next read. */
#include <stdlib.h>
#include <string.h>
#include "shipload/record.h"

sl_record *sl_record_copy(const sl_record *record)
{
    sl_record *copy = calloc(1, sizeof(*copy));
    if (!copy)
        return NULL;
    *copy = *record;
    copy->fields = calloc(record->field_count ? record->field_count : 1, sizeof(char *));
    copy->lengths = calloc(record->field_count ? record->field_count : 1, sizeof(size_t));
    if (!copy->fields || !copy->lengths)
        goto fail;
    for (size_t i = 0; i < record->field_count; i++) {
        copy->fields[i] = malloc(record->lengths[i] + 1);
        if (!copy->fields[i])
            goto fail;
        memcpy(copy->fields[i], record->fields[i], record->lengths[i]);
        copy->fields[i][record->lengths[i]] = '\0';
        copy->lengths[i] = record->lengths[i];
    }
    return copy;
fail:
    copy->field_count = record->field_count;
    sl_record_free(copy);
    return NULL;
}

void sl_record_free(sl_record *record)
{
    if (!record)
        return;
    if (record->fields)
        for (size_t i = 0; i < record->field_count; i++)
            free(record->fields[i]);
    free(record->fields);
    free(record->lengths);
    free(record);
}
