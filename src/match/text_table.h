/* text_table.h: one copy of each text that many orders repeat (SKUs, location ids, status
 * words, cities), which the order index's packed orders point into instead of holding a copy
 * each (sl_order_pack_sharing, model.h). Bounded: once it holds its limit of distinct texts it
 * adds no more and the caller copies, so a store whose texts never repeat costs little more
 * than before. No deletion. */
#ifndef SHIPLOAD_MATCH_TEXT_TABLE_H
#define SHIPLOAD_MATCH_TEXT_TABLE_H

#include <stddef.h>

typedef struct sl_text_table sl_text_table;

sl_text_table *sl_text_table_new(size_t max_texts);   /* NULL on allocation failure */
/* Frees the table and its copies: whatever points into them must be gone first. */
void sl_text_table_free(sl_text_table *table);
/* The table's copy of text, added when new and there is room; NULL when the table is full or
 * out of memory. Stable: once it returned a copy, an equal text gets that copy ever after. */
const char *sl_text_table_intern(sl_text_table *table, const char *text);
size_t sl_text_table_count(const sl_text_table *table);

#endif
