/* key_index.c: the index of key_index.h: a power-of-two array of 8-byte slots kept under 70%
 * full, each the upper 32 bits of the key's hash (strmap.c's), so that most probes compare no
 * string, and position + 1 (0: empty). Growing hashes the keys again. */
#include <stdlib.h>
#include <string.h>
#include "match/key_index.h"
#include "match/strmap.h"

typedef struct slot {
    uint32_t hash;              /* the key hash's upper half */
    uint32_t position_1;        /* position + 1; 0: empty */
} slot;

struct sl_key_index {
    slot *slots;
    size_t capacity;            /* a power of two */
    size_t count;
    sl_key_of key_of;
    const void *owner;
};

sl_key_index *sl_key_index_new(size_t expected, sl_key_of key_of, const void *owner)
{
    sl_key_index *index = calloc(1, sizeof(*index));
    if (!index)
        return NULL;
    size_t capacity = 16;
    while (capacity < expected + expected / 2 + 1)
        capacity *= 2;
    index->slots = calloc(capacity, sizeof(*index->slots));
    if (!index->slots) {
        free(index);
        return NULL;
    }
    index->capacity = capacity;
    index->key_of = key_of;
    index->owner = owner;
    return index;
}

void sl_key_index_free(sl_key_index *index)
{
    if (!index)
        return;
    free(index->slots);
    free(index);
}

/* The lower half of the hash picks the first slot, the upper half is stored. */
static size_t first_slot(uint64_t hash, size_t capacity)
{
    return (size_t)hash & (capacity - 1);
}

size_t sl_key_index_find(const sl_key_index *index, const char *key)
{
    uint64_t hash = sl_strmap_hash(key);
    uint32_t stored = (uint32_t)(hash >> 32);
    size_t mask = index->capacity - 1;
    for (size_t i = first_slot(hash, index->capacity);; i = (i + 1) & mask) {
        const slot *candidate = &index->slots[i];
        if (!candidate->position_1)
            return SL_KEY_INDEX_NONE;
        size_t position = candidate->position_1 - 1;
        if (candidate->hash == stored &&
            strcmp(index->key_of(index->owner, position), key) == 0)
            return position;
    }
}

/* Places a slot of the given full hash into slots (no key compared: keys are distinct). */
static void place(slot *slots, size_t capacity, uint64_t hash, uint32_t position_1)
{
    size_t i = first_slot(hash, capacity);
    while (slots[i].position_1)
        i = (i + 1) & (capacity - 1);
    slots[i] = (slot){ (uint32_t)(hash >> 32), position_1 };
}

/* Growing needs each key's lower hash bits, which the slot does not hold: the key is hashed
 * again (once per record per doubling). */
static int grow(sl_key_index *index)
{
    size_t capacity = index->capacity * 2;
    slot *slots = calloc(capacity, sizeof(*slots));
    if (!slots)
        return -1;
    for (size_t i = 0; i < index->capacity; i++) {
        uint32_t position_1 = index->slots[i].position_1;
        if (position_1)
            place(slots, capacity, sl_strmap_hash(index->key_of(index->owner, position_1 - 1)),
                  position_1);
    }
    free(index->slots);
    index->slots = slots;
    index->capacity = capacity;
    return 0;
}

int sl_key_index_add(sl_key_index *index, size_t position)
{
    if (position >= UINT32_MAX)
        return -1;
    if ((index->count + 1) * 10 > index->capacity * 7 && grow(index))
        return -1;
    place(index->slots, index->capacity, sl_strmap_hash(index->key_of(index->owner, position)),
          (uint32_t)position + 1);
    index->count++;
    return 0;
}

size_t sl_key_index_count(const sl_key_index *index)
{
    return index->count;
}
