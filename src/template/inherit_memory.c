/* inherit_memory.c: the values a field remembers by key so that a later record sharing the key
 * can inherit them (a FedEx multi-piece shipment: only the master package's row carries the
 * reference; the other pieces carry the master tracking number). Open addressing over two
 * generations: when the newer fills up the older is dropped, so memory stays bounded whatever
 * the file's size, and a key is still known for at least a generation's worth of records after
 * it was put (the pieces of a shipment are written together). Knows nothing of templates. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "template_internal.h"

typedef struct generation {
    char **slots;        /* "key\0value\0" or NULL */
    size_t capacity;     /* a power of two, twice the entries allowed */
    size_t count;
} generation;

struct tpl_memory {
    generation newer, older;
    size_t limit;        /* entries per generation */
};

static uint64_t hash_key(const char *key)
{
    uint64_t hash = 1469598103934665603ULL;   /* FNV-1a */
    for (const unsigned char *c = (const unsigned char *)key; *c; c++)
        hash = (hash ^ *c) * 1099511628211ULL;
    return hash;
}

static int generation_init(generation *g, size_t limit)
{
    size_t capacity = 16;
    while (capacity < limit * 2)
        capacity *= 2;
    g->slots = calloc(capacity, sizeof(char *));
    g->capacity = capacity;
    g->count = 0;
    return g->slots ? 0 : -1;
}

static void generation_clear(generation *g)
{
    for (size_t i = 0; g->slots && i < g->capacity; i++)
        free(g->slots[i]);
    free(g->slots);
    g->slots = NULL;
    g->count = 0;
}

/* The slot holding key, or the empty slot where it would go. */
static char **find_slot(const generation *g, const char *key)
{
    size_t mask = g->capacity - 1;
    for (size_t at = (size_t)hash_key(key) & mask;; at = (at + 1) & mask)
        if (!g->slots[at] || strcmp(g->slots[at], key) == 0)
            return &g->slots[at];
}

tpl_memory *sl_tpl_memory_new(size_t limit)
{
    tpl_memory *memory = calloc(1, sizeof(*memory));
    if (!memory)
        return NULL;
    memory->limit = limit ? limit : 1;
    if (generation_init(&memory->newer, memory->limit) != 0 ||
        generation_init(&memory->older, memory->limit) != 0) {
        sl_tpl_memory_free(memory);
        return NULL;
    }
    return memory;
}

int sl_tpl_memory_put(tpl_memory *memory, const char *key, const char *value, size_t value_len)
{
    size_t key_len = strlen(key);
    char *entry = malloc(key_len + value_len + 2);
    if (!entry)
        return -1;
    memcpy(entry, key, key_len + 1);
    memcpy(entry + key_len + 1, value, value_len);
    entry[key_len + 1 + value_len] = '\0';
    char **slot = find_slot(&memory->newer, key);
    if (*slot) {
        free(*slot);
        *slot = entry;
        return 0;
    }
    if (memory->newer.count == memory->limit) {   /* newer is full: it becomes the older */
        generation_clear(&memory->older);
        memory->older = memory->newer;
        if (generation_init(&memory->newer, memory->limit) != 0) {
            free(entry);
            return -1;
        }
        slot = find_slot(&memory->newer, key);
    }
    *slot = entry;
    memory->newer.count++;
    return 0;
}

const char *sl_tpl_memory_get(const tpl_memory *memory, const char *key)
{
    char **slot = find_slot(&memory->newer, key);
    if (!*slot)
        slot = find_slot(&memory->older, key);
    return *slot ? *slot + strlen(*slot) + 1 : NULL;
}

void sl_tpl_memory_free(tpl_memory *memory)
{
    if (!memory)
        return;
    generation_clear(&memory->newer);
    generation_clear(&memory->older);
    free(memory);
}
