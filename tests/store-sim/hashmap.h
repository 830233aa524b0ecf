/* hashmap.h: a string-keyed hash table of borrowed pointers (open addressing, FNV-1a), used for
 * the store's lookups (order by id and name, package by id and fulfillmentOrderId). Built once
 * at load time, read concurrently afterwards; it does not copy or free keys or values and is not
 * safe to write from several threads at once. */
#ifndef SIM_HASHMAP_H
#define SIM_HASHMAP_H

#include <stddef.h>

typedef struct sim_map_slot {
    const char *key;
    void *value;
} sim_map_slot;

typedef struct sim_map {
    sim_map_slot *slots;
    size_t capacity;    /* a power of two */
    size_t count;
} sim_map;

int sim_map_init(sim_map *map, size_t expected);
void sim_map_clear(sim_map *map);
/* Returns 1 when the key was already there (the old value is kept), 0 when added, -1 on OOM. */
int sim_map_put(sim_map *map, const char *key, void *value);
void *sim_map_get(const sim_map *map, const char *key);
/* Length-bounded variant for keys that are not NUL-terminated. */
void *sim_map_getn(const sim_map *map, const char *key, size_t len);

#endif
