/* model_pack.c: an order copied into one allocation (sl_order_pack, model.h), or into one
 * stretch of a block its caller gives (sl_order_pack_into), so that the tens of thousands of
 * orders a run holds cost their bytes rather than a small allocation per string and per
 * array. One walk over the order does both passes: with no block it only adds up the size,
 * with one it copies. The structs and arrays come first, the strings after them all, so that
 * no string pads the next array to a pointer's alignment. With a table of shared texts
 * (sl_order_pack_sharing), the texts that repeat across orders point into it instead. Does not
 * decode or trim anything (order_index.c trims and owns the table and the blocks). */
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/model.h"

typedef struct packer {
    char *block;                /* NULL: measuring */
    size_t used;                /* of the structs and arrays, from the block's start */
    char *texts;                /* where the strings start (after the arrays); NULL: measuring */
    size_t texts_used;
    sl_text_share share;        /* NULL: every text copied */
    void *table;
} packer;

/* The arrays packed hold pointers, sizes and integers only: a pointer's alignment is theirs
 * (not max_align_t's 16, which would pad every array of 400,000 orders). */
_Static_assert(alignof(sl_order) <= alignof(void *) && alignof(sl_unit) <= alignof(void *) &&
               alignof(sl_item) <= alignof(void *) &&
               alignof(sl_fulfillment) <= alignof(void *) &&
               alignof(sl_address) <= alignof(void *),
               "packed arrays are aligned for a pointer");

/* size bytes at the next offset aligned for a pointer among the arrays, or (strings) the next
 * byte among the strings. */
static void *take(packer *p, size_t size, int aligned)
{
    if (!aligned) {
        size_t at = p->texts_used;
        p->texts_used = at + size;
        return p->texts ? p->texts + at : NULL;
    }
    size_t at = (p->used + alignof(void *) - 1) & ~(alignof(void *) - 1);
    p->used = at + size;
    return p->block ? p->block + at : NULL;
}

static char *pack_string(packer *p, const char *text)
{
    if (!text)
        return NULL;
    size_t size = strlen(text) + 1;
    char *copy = take(p, size, 0);
    if (copy)
        memcpy(copy, text, size);
    return copy;
}

/* A text that repeats across orders: the table's copy when it has one. */
static char *pack_shared(packer *p, const char *text)
{
    const char *shared = text && p->share ? p->share(p->table, text) : NULL;
    return shared ? (char *)shared : pack_string(p, text);  /* read-only, as all of a packed order */
}

static sl_item *pack_items(packer *p, const sl_item *items, size_t count)
{
    if (!items || count == 0)
        return NULL;
    sl_item *out = take(p, count * sizeof(*out), 1);
    for (size_t i = 0; i < count; i++) {
        sl_item copy = items[i];
        copy.id = pack_string(p, items[i].id);
        copy.sku = pack_shared(p, items[i].sku);
        copy.name = pack_shared(p, items[i].name);
        if (out)
            out[i] = copy;
    }
    return out;
}

static sl_unit *pack_units(packer *p, const sl_unit *packages, size_t count)
{
    if (!packages || count == 0)
        return NULL;
    sl_unit *out = take(p, count * sizeof(*out), 1);
    for (size_t i = 0; i < count; i++) {
        const sl_unit *from = &packages[i];
        sl_unit copy = *from;
        copy.id = pack_string(p, from->id);
        copy.write_id = pack_string(p, from->write_id);
        copy.number = pack_string(p, from->number);
        copy.location_id = pack_shared(p, from->location_id);
        copy.status_text = pack_shared(p, from->status_text);
        copy.items = pack_items(p, from->items, from->item_count);
        if (out)
            out[i] = copy;
    }
    return out;
}

static char **pack_strings(packer *p, char *const *strings, size_t count)
{
    if (!strings || count == 0)
        return NULL;
    char **out = take(p, count * sizeof(*out), 1);
    for (size_t i = 0; i < count; i++) {
        char *copy = pack_string(p, strings[i]);
        if (out)
            out[i] = copy;
    }
    return out;
}

static sl_fulfillment *pack_fulfillments(packer *p, const sl_fulfillment *fulfillments,
                                         size_t count)
{
    if (!fulfillments || count == 0)
        return NULL;
    sl_fulfillment *out = take(p, count * sizeof(*out), 1);
    for (size_t i = 0; i < count; i++) {
        const sl_fulfillment *from = &fulfillments[i];
        sl_fulfillment copy = *from;
        copy.id = pack_string(p, from->id);
        copy.unit_write_id = pack_string(p, from->unit_write_id);
        copy.tracking_numbers = pack_strings(p, from->tracking_numbers, from->tracking_count);
        copy.company = pack_shared(p, from->company);
        copy.url = pack_string(p, from->url);
        copy.status_text = pack_shared(p, from->status_text);
        copy.items = pack_items(p, from->items, from->item_count);
        if (out)
            out[i] = copy;
    }
    return out;
}

static sl_address *pack_address(packer *p, const sl_address *from)
{
    if (!from)
        return NULL;
    sl_address *out = take(p, sizeof(*out), 1);
    sl_address copy = {
        .first_name = pack_string(p, from->first_name),
        .last_name = pack_string(p, from->last_name),
        .company = pack_string(p, from->company),
        .address1 = pack_string(p, from->address1),
        .address2 = pack_string(p, from->address2),
        .city = pack_shared(p, from->city),
        .state_code = pack_shared(p, from->state_code),
        .postal_code = pack_string(p, from->postal_code),
        .country_code = pack_shared(p, from->country_code),
        .phone = pack_string(p, from->phone),
        .email = pack_string(p, from->email),
    };
    if (out)
        *out = copy;
    return out;
}

/* The walk: the order struct first, at the block's start. */
static void pack_order(packer *p, const sl_order *from)
{
    sl_order *out = take(p, sizeof(*out), 1);
    sl_order copy = *from;
    copy.id = pack_string(p, from->id);
    copy.number = pack_string(p, from->number);
    copy.name = pack_string(p, from->name);
    copy.status_text = pack_shared(p, from->status_text);
    copy.shipping_text = pack_shared(p, from->shipping_text);
    copy.updated_at = pack_string(p, from->updated_at);
    copy.shipping_method = pack_string(p, from->shipping_method);
    copy.shipping_address = pack_address(p, from->shipping_address);
    copy.items = pack_items(p, from->items, from->item_count);
    copy.units = pack_units(p, from->units, from->unit_count);
    copy.fulfillments = pack_fulfillments(p, from->fulfillments, from->fulfillment_count);
    if (out)
        *out = copy;
}

/* take NULL: malloc's block, packed = 1 (sl_order_pack_sharing). */
sl_order *sl_order_pack_into(const sl_order *order, sl_text_share share, void *table,
                             sl_block_take take, void *arena)
{
    packer measure = { NULL, 0, NULL, 0, share, table };
    pack_order(&measure, order);
    size_t size = measure.used + measure.texts_used;
    packer fill = { take ? take(arena, size) : malloc(size), 0, NULL, 0, share, table };
    if (!fill.block)
        return NULL;
    fill.texts = fill.block + measure.used;
    pack_order(&fill, order);
    ((sl_order *)fill.block)->packed = take ? 2 : 1;
    return (sl_order *)fill.block;
}

sl_order *sl_order_pack_sharing(const sl_order *order, sl_text_share share, void *table)
{
    return sl_order_pack_into(order, share, table, NULL, NULL);
}

sl_order *sl_order_pack(const sl_order *order)
{
    return sl_order_pack_sharing(order, NULL, NULL);
}
