/* carrier_codes.c: a store's carrier list mapped onto shipload's carrier table
 * (carrier_codes.h). Each entry is resolved once, when the map is made; a lookup is a scan of
 * the list (a store lists tens of carriers, and the engine looks up each row once). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/carrier.h"
#include "shipload/carrier_codes.h"

typedef struct entry {
    char *code;
    char *key_name;             /* name, lowercase letters and digits only ("" when none) */
    char *key_code;             /* code, the same */
    const sl_carrier *carrier;  /* what the table calls it; NULL when unknown */
} entry;

struct sl_carrier_codes {
    entry *entries;
    size_t count;
};

/* "DHL-Germany" -> "dhlgermany": the form two spellings are compared in. */
static char *key_of(const char *text)
{
    size_t len = text ? strlen(text) : 0, n = 0;
    char *key = malloc(len + 1);
    for (size_t i = 0; key && i < len; i++)
        if (isalnum((unsigned char)text[i]))
            key[n++] = (char)tolower((unsigned char)text[i]);
    if (key)
        key[n] = '\0';
    return key;
}

static int entry_init(entry *e, const sl_store_carrier *given)
{
    e->code = strdup(given->code);
    e->key_name = key_of(given->name);
    e->key_code = key_of(given->code);
    if (!e->code || !e->key_name || !e->key_code)
        return -1;
    e->carrier = given->name && *given->name ? sl_carrier_find(given->name) : NULL;
    if (!e->carrier)
        e->carrier = sl_carrier_find(given->code);
    return 0;
}

sl_carrier_codes *sl_carrier_codes_new(const sl_store_carrier *list, size_t count)
{
    sl_carrier_codes *codes = calloc(1, sizeof(*codes));
    if (!codes)
        return NULL;
    codes->entries = calloc(count ? count : 1, sizeof(*codes->entries));
    if (!codes->entries) {
        free(codes);
        return NULL;
    }
    for (size_t i = 0; i < count; i++) {
        if (!list[i].code || !*list[i].code)
            continue;
        if (entry_init(&codes->entries[codes->count++], &list[i]) != 0) {
            sl_carrier_codes_free(codes);
            return NULL;
        }
    }
    return codes;
}

void sl_carrier_codes_free(sl_carrier_codes *codes)
{
    if (!codes)
        return;
    for (size_t i = 0; i < codes->count; i++) {
        free(codes->entries[i].code);
        free(codes->entries[i].key_name);
        free(codes->entries[i].key_code);
    }
    free(codes->entries);
    free(codes);
}

size_t sl_carrier_codes_count(const sl_carrier_codes *codes)
{
    return codes ? codes->count : 0;
}

const char *sl_carrier_codes_find(const sl_carrier_codes *codes, const char *carrier)
{
    if (!codes || !carrier || !*carrier)
        return NULL;
    const sl_carrier *known = sl_carrier_find(carrier);
    if (known) {
        for (size_t i = 0; i < codes->count; i++)
            if (codes->entries[i].carrier == known)
                return codes->entries[i].code;
    }
    char *key = key_of(carrier);
    const char *found = NULL;
    for (size_t i = 0; key && *key && !found && i < codes->count; i++) {
        const entry *e = &codes->entries[i];
        if ((!known || !e->carrier) &&
            (strcmp(e->key_name, key) == 0 || strcmp(e->key_code, key) == 0))
            found = e->code;
    }
    free(key);
    return found;
}
