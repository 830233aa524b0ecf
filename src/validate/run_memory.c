/* run_memory.c: what validation remembers from one row to the next within a run (issue 13, 14):
 * the first spelling of each carrier the table does not know ("DPD Local", "dpd local" and
 * "DPD-LOCAL" are then one carrier in the reports), and, when asked, the order each tracking
 * number was first seen on (a number on rows of different orders is warned about). Rows are
 * validated in input order on one thread; this holds no lock. Memory: one entry per distinct
 * unknown carrier (at most SPELLINGS_MAX) and per distinct tracking number. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/validate.h"

#define SPELLINGS_MAX 256

typedef struct spelling {
    char *key;          /* letters and digits, lower case */
    char *written;      /* the first spelling seen */
} spelling;

typedef struct seen_number {
    char *number;       /* NULL: an empty slot */
    char *order_ref;    /* normalised: spaces and a leading '#' dropped */
    size_t record;
} seen_number;

struct sl_validate_run {
    spelling spellings[SPELLINGS_MAX];
    size_t spelling_count;
    seen_number *numbers;   /* open addressing, capacity a power of two */
    size_t number_count, number_cap;
};

sl_validate_run *sl_validate_run_new(void)
{
    return calloc(1, sizeof(sl_validate_run));
}

void sl_validate_run_free(sl_validate_run *run)
{
    if (!run)
        return;
    for (size_t i = 0; i < run->spelling_count; i++) {
        free(run->spellings[i].key);
        free(run->spellings[i].written);
    }
    for (size_t i = 0; i < run->number_cap; i++) {
        free(run->numbers[i].number);
        free(run->numbers[i].order_ref);
    }
    free(run->numbers);
    free(run);
}

/* ---------------------------------------------------------------- spellings */

static char *fold_key(const char *text)
{
    char *key = malloc(strlen(text) + 1);
    if (!key)
        return NULL;
    size_t used = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
        if ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || *s >= 0x80)
            key[used++] = (char)*s;
        else if (*s >= 'A' && *s <= 'Z')
            key[used++] = (char)(*s - 'A' + 'a');
    }
    key[used] = '\0';
    return key;
}

const char *sl_validate_run_spelling(sl_validate_run *run, const char *written)
{
    if (!run || !written)
        return written;
    char *key = fold_key(written);
    if (!key || !key[0]) {
        free(key);
        return written;
    }
    for (size_t i = 0; i < run->spelling_count; i++) {
        if (strcmp(run->spellings[i].key, key) == 0) {
            free(key);
            return run->spellings[i].written;
        }
    }
    char *copy = run->spelling_count < SPELLINGS_MAX ? strdup(written) : NULL;
    if (!copy) {
        free(key);
        return written;
    }
    run->spellings[run->spelling_count++] = (spelling){ key, copy };
    return copy;
}

/* ---------------------------------------------------------------- tracking numbers */

static uint64_t hash_text(const char *text)
{
    uint64_t hash = 1469598103934665603ull;   /* FNV-1a */
    for (const unsigned char *s = (const unsigned char *)text; *s; s++)
        hash = (hash ^ *s) * 1099511628211ull;
    return hash;
}

static seen_number *slot_for(seen_number *table, size_t cap, const char *number)
{
    size_t at = (size_t)hash_text(number) & (cap - 1);
    while (table[at].number && strcmp(table[at].number, number) != 0)
        at = (at + 1) & (cap - 1);
    return &table[at];
}

static int grow_numbers(sl_validate_run *run)
{
    size_t cap = run->number_cap ? run->number_cap * 2 : 1024;
    seen_number *table = calloc(cap, sizeof(*table));
    if (!table)
        return -1;
    for (size_t i = 0; i < run->number_cap; i++)
        if (run->numbers[i].number)
            *slot_for(table, cap, run->numbers[i].number) = run->numbers[i];
    free(run->numbers);
    run->numbers = table;
    run->number_cap = cap;
    return 0;
}

/* The order reference without surrounding spaces and one leading '#'. */
static char *normalised_ref(const char *ref)
{
    while (*ref == ' ' || *ref == '\t')
        ref++;
    if (*ref == '#')
        ref++;
    while (*ref == ' ' || *ref == '\t')
        ref++;
    size_t len = strlen(ref);
    while (len > 0 && (ref[len - 1] == ' ' || ref[len - 1] == '\t'))
        len--;
    return strndup(ref, len);
}

int sl_validate_run_note_number(sl_validate_run *run, const char *number, const char *order_ref,
                                size_t record, const char **other_ref, size_t *other_record)
{
    *other_ref = NULL;
    *other_record = 0;
    if (!run || !number || !*number || !order_ref)
        return 0;
    if ((run->number_count + 1) * 4 > run->number_cap * 3 && grow_numbers(run) != 0)
        return 0;   /* out of memory: nothing remembered, nothing warned */
    char *ref = normalised_ref(order_ref);
    if (!ref)
        return 0;
    seen_number *slot = slot_for(run->numbers, run->number_cap, number);
    if (!slot->number) {
        char *copy = strdup(number);
        if (!copy) {
            free(ref);
            return 0;
        }
        *slot = (seen_number){ copy, ref, record };
        run->number_count++;
        return 0;
    }
    int other = strcmp(slot->order_ref, ref) != 0;
    free(ref);
    if (!other)
        return 0;
    *other_ref = slot->order_ref;
    *other_record = slot->record;
    return 1;
}
