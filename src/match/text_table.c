/* text_table.c: the table of repeated texts of text_table.h: a borrowing strmap from each text
 * to its one copy, and the list of copies, which the table owns. */
#include <stdlib.h>
#include <string.h>
#include "match/strmap.h"
#include "match/text_table.h"

struct sl_text_table {
    sl_strmap *copies;          /* text → its copy (the key is the copy itself) */
    char **owned;               /* the copies, to free */
    size_t count, cap, max;
};

sl_text_table *sl_text_table_new(size_t max_texts)
{
    sl_text_table *table = calloc(1, sizeof(*table));
    if (!table)
        return NULL;
    table->copies = sl_strmap_new_borrowing(256);
    if (!table->copies) {
        sl_text_table_free(table);
        return NULL;
    }
    table->max = max_texts;
    return table;
}

void sl_text_table_free(sl_text_table *table)
{
    if (!table)
        return;
    sl_strmap_free(table->copies);
    for (size_t i = 0; i < table->count; i++)
        free(table->owned[i]);
    free(table->owned);
    free(table);
}

/* Room in owned for one more copy. */
static int make_room(sl_text_table *table)
{
    if (table->count < table->cap)
        return 0;
    size_t cap = table->cap ? table->cap * 2 : 256;
    char **grown = realloc(table->owned, cap * sizeof(*grown));
    if (!grown)
        return -1;
    table->owned = grown;
    table->cap = cap;
    return 0;
}

const char *sl_text_table_intern(sl_text_table *table, const char *text)
{
    const char *copy = sl_strmap_get(table->copies, text);
    if (copy || table->count == table->max)
        return copy;
    char *made = make_room(table) ? NULL : strdup(text);
    if (!made || sl_strmap_put(table->copies, made, made)) {
        free(made);
        return NULL;
    }
    table->owned[table->count++] = made;
    return made;
}

size_t sl_text_table_count(const sl_text_table *table)
{
    return table->count;
}
