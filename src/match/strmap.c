/* strmap.c: the string-keyed hash table of strmap.h: FNV-1a hashes, a power-of-two slot array
 * kept under 70% full, linear probing. It stores the hash with each slot so growing never
 * rehashes a key and most probes never compare strings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "match/strmap.h"

typedef struct slot {
    char *key;              /* NULL: empty */
    uint64_t hash;
    void *value;
} slot;

struct sl_strmap {
    slot *slots;
    size_t capacity;        /* a power of two */
    size_t count;
    int borrowing;          /* the keys are the caller's: never copied nor freed */
};

uint64_t sl_strmap_hash(const char *key)
{
    uint64_t hash = 14695981039346656037ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        hash ^= *p;
        hash *= 1099511628211ULL;
    }
    return hash;
}

sl_strmap *sl_strmap_new(size_t expected)
{
    sl_strmap *map = calloc(1, sizeof(*map));
    if (!map)
        return NULL;
    size_t capacity = 16;
    while (capacity < expected + expected / 2 + 1)
        capacity *= 2;
    map->slots = calloc(capacity, sizeof(*map->slots));
    if (!map->slots) {
        free(map);
        return NULL;
    }
    map->capacity = capacity;
    return map;
}

sl_strmap *sl_strmap_new_borrowing(size_t expected)
{
    sl_strmap *map = sl_strmap_new(expected);
    if (map)
        map->borrowing = 1;
    return map;
}

void sl_strmap_free(sl_strmap *map)
{
    if (!map)
        return;
    for (size_t i = 0; i < map->capacity && !map->borrowing; i++)
        free(map->slots[i].key);
    free(map->slots);
    free(map);
}

/* The slot holding key, or the empty slot where it would go. */
static slot *find_slot(const sl_strmap *map, const char *key, uint64_t hash)
{
    size_t mask = map->capacity - 1;
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        slot *candidate = &map->slots[i];
        if (!candidate->key || (candidate->hash == hash && strcmp(candidate->key, key) == 0))
            return candidate;
    }
}

void *sl_strmap_get(const sl_strmap *map, const char *key)
{
    slot *found = find_slot(map, key, sl_strmap_hash(key));
    return found->key ? found->value : NULL;
}

static int grow(sl_strmap *map)
{
    size_t capacity = map->capacity * 2;
    slot *slots = calloc(capacity, sizeof(*slots));
    if (!slots)
        return -1;
    for (size_t i = 0; i < map->capacity; i++) {
        slot *old = &map->slots[i];
        if (!old->key)
            continue;
        size_t j = (size_t)old->hash & (capacity - 1);
        while (slots[j].key)
            j = (j + 1) & (capacity - 1);
        slots[j] = *old;
    }
    free(map->slots);
    map->slots = slots;
    map->capacity = capacity;
    return 0;
}

int sl_strmap_put(sl_strmap *map, const char *key, void *value)
{
    if ((map->count + 1) * 10 > map->capacity * 7 && grow(map))
        return -1;
    uint64_t hash = sl_strmap_hash(key);
    slot *target = find_slot(map, key, hash);
    if (!target->key) {
        target->key = map->borrowing ? (char *)key : strdup(key);
        if (!target->key)
            return -1;
        target->hash = hash;
        map->count++;
    }
    target->value = value;
    return 0;
}

size_t sl_strmap_count(const sl_strmap *map)
{
    return map->count;
}
