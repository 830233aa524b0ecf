/* key_index.h: a hash index of a list the caller keeps (its references, its orders) by a string
 * key each record carries: open addressing with linear probing like strmap.h, but a slot is 8
 * bytes (32 bits of the key's hash and the record's position in the list), not 24, because the
 * index stores neither keys nor values: it reads a record's key through the caller's key_of.
 * 400,000 orders then cost 8 MB of slots, not 25. No deletion; positions below 2^32 - 1. */
#ifndef SHIPLOAD_MATCH_KEY_INDEX_H
#define SHIPLOAD_MATCH_KEY_INDEX_H

#include <stddef.h>
#include <stdint.h>

/* The key of the record at position in the list of owner (stable while it is indexed). */
typedef const char *(*sl_key_of)(const void *owner, size_t position);

typedef struct sl_key_index sl_key_index;

#define SL_KEY_INDEX_NONE SIZE_MAX      /* sl_key_index_find: no record has the key */

/* NULL on allocation failure. */
sl_key_index *sl_key_index_new(size_t expected, sl_key_of key_of, const void *owner);
void sl_key_index_free(sl_key_index *index);
/* Indexes the record at position, whose key no indexed record has. -1 out of memory or past
 * the positions an index holds. */
int sl_key_index_add(sl_key_index *index, size_t position);
/* The position of the record whose key is key, or SL_KEY_INDEX_NONE. */
size_t sl_key_index_find(const sl_key_index *index, const char *key);
size_t sl_key_index_count(const sl_key_index *index);

#endif
