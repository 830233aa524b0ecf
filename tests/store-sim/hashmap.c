/* hashmap.c: string-keyed open-addressing hash table (see hashmap.h). Keys and values are
 * borrowed; the table never frees them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hashmap.h"

static uint64_t hash_bytes(const char *key, size_t len)
{
    uint64_t hash = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        hash ^= (unsigned char)key[i];
        hash *= 1099511628211ULL;
    }
    return hash;
}

int sim_map_init(sim_map *map, size_t expected)
{
    size_t capacity = 16;
    while (capacity < expected * 2 + 1)
        capacity *= 2;
    map->slots = calloc(capacity, sizeof(*map->slots));
    map->capacity = map->slots ? capacity : 0;
    map->count = 0;
    return map->slots ? 0 : -1;
}

void sim_map_clear(sim_map *map)
{
    free(map->slots);
    map->slots = NULL;
    map->capacity = map->count = 0;
}

static int grow(sim_map *map)
{
    sim_map bigger;
    if (sim_map_init(&bigger, map->capacity))
        return -1;
    for (size_t i = 0; i < map->capacity; i++)
        if (map->slots[i].key)
            sim_map_put(&bigger, map->slots[i].key, map->slots[i].value);
    free(map->slots);
    *map = bigger;
    return 0;
}

int sim_map_put(sim_map *map, const char *key, void *value)
{
    if ((map->count + 1) * 2 > map->capacity && grow(map))
        return -1;
    size_t mask = map->capacity - 1;
    size_t len = strlen(key);
    for (size_t i = hash_bytes(key, len) & mask;; i = (i + 1) & mask) {
        if (!map->slots[i].key) {
            map->slots[i].key = key;
            map->slots[i].value = value;
            map->count++;
            return 0;
        }
        if (strcmp(map->slots[i].key, key) == 0)
            return 1;
    }
}

void *sim_map_getn(const sim_map *map, const char *key, size_t len)
{
    if (!map->capacity)
        return NULL;
    size_t mask = map->capacity - 1;
    for (size_t i = hash_bytes(key, len) & mask; map->slots[i].key; i = (i + 1) & mask) {
        const char *candidate = map->slots[i].key;
        if (strncmp(candidate, key, len) == 0 && candidate[len] == '\0')
            return map->slots[i].value;
    }
    return NULL;
}

void *sim_map_get(const sim_map *map, const char *key)
{
    return key ? sim_map_getn(map, key, strlen(key)) : NULL;
}
