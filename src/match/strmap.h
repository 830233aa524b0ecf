/* strmap.h: a small string-keyed hash table (open addressing, linear probing) for the match and
 * plan stages, where orders, references and fulfillment groups number in the tens of thousands.
 * Keys are copied, or borrowed from the caller by a table made with sl_strmap_new_borrowing;
 * values are borrowed pointers the table never frees. No deletion. */
#ifndef SHIPLOAD_MATCH_STRMAP_H
#define SHIPLOAD_MATCH_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct sl_strmap sl_strmap;

sl_strmap *sl_strmap_new(size_t expected);          /* NULL on allocation failure */
/* A table that keeps the keys it is given, not copies (they must outlive it): a table of
 * 400,000 order ids then costs its slots only. */
sl_strmap *sl_strmap_new_borrowing(size_t expected);
void sl_strmap_free(sl_strmap *map);                /* frees the keys, never the values */

void *sl_strmap_get(const sl_strmap *map, const char *key);     /* NULL when absent */
int sl_strmap_put(sl_strmap *map, const char *key, void *value); /* replaces; -1 out of memory */
size_t sl_strmap_count(const sl_strmap *map);
/* The table's hash of a string (64-bit FNV-1a), for the tables of other stages that keep
 * their keys their own way. */
uint64_t sl_strmap_hash(const char *key);

#endif
