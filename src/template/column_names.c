/* column_names.c: how a template's column names meet a file's header names. Names are compared
 * by a key that ignores ASCII case, spaces, '_', '-', '.' and '#', so that "Order Number",
 * "order_number", "ORDER-NUMBER" and "Order No." (key "orderno") are told apart only by their
 * words; a source may list aliases, tried after its own name. Does not bind fields (mapper.c). */
#include <string.h>
#include "template_internal.h"

#define KEY_CAP 256

static int ignored(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '_' || c == '-' ||
           c == '.' || c == '#';
}

size_t sl_tpl_column_key(const char *name, char *out, size_t cap)
{
    size_t len = 0;
    if (cap == 0)
        return 0;
    for (const unsigned char *c = (const unsigned char *)name; *c && len + 1 < cap; c++) {
        if (ignored(*c))
            continue;
        out[len++] = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
    }
    out[len] = '\0';
    return len;
}

int sl_tpl_column_names_match(const char *a, const char *b)
{
    char key_a[KEY_CAP], key_b[KEY_CAP];
    size_t len_a = sl_tpl_column_key(a, key_a, sizeof(key_a));
    size_t len_b = sl_tpl_column_key(b, key_b, sizeof(key_b));
    return len_a == len_b && memcmp(key_a, key_b, len_a) == 0 &&
           (len_a > 0 || strcmp(a, b) == 0);
}

size_t sl_tpl_find_column(char *const *names, size_t count, const char *name)
{
    if (!names)
        return (size_t)-1;
    char wanted[KEY_CAP], have[KEY_CAP];
    size_t wanted_len = sl_tpl_column_key(name, wanted, sizeof(wanted));
    if (wanted_len == 0)
        return (size_t)-1;
    for (size_t i = 0; i < count; i++)
        if (names[i] && sl_tpl_column_key(names[i], have, sizeof(have)) == wanted_len &&
            memcmp(have, wanted, wanted_len) == 0)
            return i;
    return (size_t)-1;
}

size_t sl_tpl_find_source_column(char *const *names, size_t count, const tpl_source *source)
{
    size_t column = sl_tpl_find_column(names, count, source->column_name);
    for (size_t i = 0; column == (size_t)-1 && i < source->alias_count; i++)
        column = sl_tpl_find_column(names, count, source->aliases[i]);
    return column;
}
