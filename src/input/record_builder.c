/* record_builder.c: assembles one record's fields in buffers that are reused from record to
 * record, so reading a file makes no allocation per record once the buffers are big enough.
 * Also the encoding check of a finished record. Does not parse anything. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "input_internal.h"
#include "shipload/swar.h"
#include "shipload/utf8.h"

void sl_record_builder_reset(record_builder *b)
{
    b->bytes_len = 0;
    b->record.field_count = 0;
    b->record.bad_encoding = 0;
    b->record.malformed = 0;
    b->record.expected_fields = 0;
    b->failed = 0;
}

static int grow_fields(record_builder *b)
{
    if (b->record.field_count >= SL_INPUT_FIELDS_MAX)
        return -1;
    size_t cap = b->fields_cap ? b->fields_cap * 2 : 64;
    size_t *offsets = realloc(b->offsets, cap * sizeof(*offsets));
    if (offsets)
        b->offsets = offsets;
    char **fields = realloc(b->record.fields, cap * sizeof(*fields));
    if (fields)
        b->record.fields = fields;
    size_t *lengths = realloc(b->record.lengths, cap * sizeof(*lengths));
    if (lengths)
        b->record.lengths = lengths;
    if (!offsets || !fields || !lengths)
        return -1;
    b->fields_cap = cap;
    return 0;
}

static int grow_bytes(record_builder *b, size_t need)
{
    size_t cap = b->bytes_cap ? b->bytes_cap : 4096;
    while (cap < need)
        cap *= 2;
    char *bytes = realloc(b->bytes, cap);
    if (!bytes)
        return -1;
    b->bytes = bytes;
    b->bytes_cap = cap;
    return 0;
}

int sl_record_builder_grow(record_builder *b, size_t len)
{
    if (b->failed)
        return -1;
    if (b->record.field_count == b->fields_cap && grow_fields(b) != 0) {
        b->failed = 1;
        return -1;
    }
    if (b->bytes_len + len + 1 > b->bytes_cap && grow_bytes(b, b->bytes_len + len + 1) != 0) {
        b->failed = 1;
        return -1;
    }
    return 0;
}

/* Ends the field [start, at) of the line copied at base: its delimiter becomes its NUL. */
static inline int end_field(record_builder *b, size_t base, size_t start, size_t at)
{
    if (b->record.field_count == b->fields_cap && grow_fields(b) != 0) {   /* bytes: reserved */
        b->failed = 1;
        return -1;
    }
    b->bytes[base + at] = '\0';
    b->offsets[b->record.field_count] = base + start;
    b->record.lengths[b->record.field_count] = at - start;
    b->record.field_count++;
    return 0;
}

int sl_record_builder_add_split(record_builder *b, const char *line, size_t len, char delimiter)
{
    if ((b->failed || b->bytes_len + len + 1 > b->bytes_cap) &&
        sl_record_builder_grow(b, len) != 0)
        return -1;
    size_t base = b->bytes_len, start = 0, i = 0;
    char *copy = memcpy(b->bytes + base, line, len);
    copy[len] = '\0';
    b->bytes_len += len + 1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t delimiters = sl_swar_repeat((unsigned char)delimiter);
    for (; i + 8 <= len; i += 8) {   /* eight bytes at a time; a hit's lane is its position */
        uint64_t hits = sl_swar_zero_lanes_exact(sl_swar_load(copy + i) ^ delimiters);
        for (; hits; hits &= hits - 1) {
            size_t at = i + (size_t)(__builtin_ctzll(hits) >> 3);
            if (end_field(b, base, start, at) != 0)
                return -1;
            start = at + 1;
        }
    }
#endif
    for (; i < len; i++) {
        if (copy[i] != delimiter)
            continue;
        if (end_field(b, base, start, i) != 0)
            return -1;
        start = i + 1;
    }
    return end_field(b, base, start, len);
}

void sl_record_builder_finish(record_builder *b)
{
    for (size_t i = 0; i < b->record.field_count; i++)
        b->record.fields[i] = b->bytes + b->offsets[i];
}

/* Eight bytes at a time (sl_swar_not_ascii), the tail one by one. */
int sl_input_plain_ascii(const char *s, size_t len)
{
    uint64_t flags = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8)
        flags |= sl_swar_not_ascii(sl_swar_load(s + i));
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        flags |= c == 0 || c >= 0x80 ? SL_SWAR_HIGH_BITS : 0;
    }
    return flags == 0;
}

void sl_record_builder_check_encoding(record_builder *b)
{
    const sl_record *r = &b->record;
    int bad = 0;
    for (size_t i = 0; i < r->field_count && !bad; i++)
        bad = !sl_input_plain_ascii(r->fields[i], r->lengths[i]) &&
              ((r->lengths[i] && memchr(r->fields[i], '\0', r->lengths[i]) != NULL) ||
               !sl_utf8_valid(r->fields[i], r->lengths[i]));
    b->record.bad_encoding = bad;
}

void sl_record_builder_free(record_builder *b)
{
    free(b->bytes);
    free(b->offsets);
    free(b->record.fields);
    free(b->record.lengths);
    memset(b, 0, sizeof(*b));
}
