/* order_index.c: the run's order references and the orders that answered them (match.h steps
 * 1–3): which ids and names to fetch, the answers indexed by id and by normalised name, the
 * recorded failures, and the resolution of one reference (not found, ambiguous, canceled).
 * It keeps only what matching needs of an order (see trim_order), so 400,000 orders stay small:
 * a reference is one allocation (its record and its key), an order's failure is allocated only
 * when one happens, both are found by key through 8-byte slots (key_index.h) that store no key,
 * and the texts orders repeat (SKUs, locations, status words) are held once, in the index's
 * text table. Row matching itself is match_rows.c. */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "match/match_internal.h"
#include "match/key_index.h"
#include "match/text_table.h"

/* Distinct repeated texts the index shares between its orders: a store's SKUs, locations,
 * status words and cities; past it, orders hold their own copies. */
#define SHARED_TEXTS_MAX 65536

typedef enum ref_state { REF_NEW = 0, REF_DONE, REF_FAILED } ref_state;

/* One distinct reference: an id, or a normalised name. Most references are answered by one
 * order, held without an array. */
typedef struct order_ref {
    union {
        order_entry *one;       /* entry_count 1 */
        order_entry **many;     /* entry_count > 1: the orders that answered (distinct) */
    } answers;
    failure *failed;            /* NULL: none */
    char *answer_id;            /* the request id of an answer that found no order, or NULL */
    unsigned entry_count;
    unsigned char is_name;
    unsigned char auto_name;    /* an id from an auto reference: look the name up if no order */
    unsigned char state;        /* ref_state */
    char map_key[];             /* "i:<id>" / "n:<name>": its key in the index's refs */
} order_ref;

/* The id or normalised name a reference stands for. */
static const char *ref_key(const order_ref *ref)
{
    return ref->map_key + 2;
}

static order_entry *ref_entry(const order_ref *ref, size_t i)
{
    return ref->entry_count == 1 ? ref->answers.one : ref->answers.many[i];
}

struct sl_order_index {
    sl_key_index *refs;         /* ref_list by map_key ("i:<id>" / "n:<name>") */
    order_ref **ref_list;       /* registration order */
    size_t ref_count, ref_cap;
    sl_key_index *orders;       /* entry_list by order id */
    order_entry **entry_list;
    size_t entry_count, entry_cap;
    sl_text_table *texts;       /* what the packed orders share; freed after them */
    int requires_payment;       /* unpaid orders are not shippable */
    int refs_are_ids;           /* every reference is an id (sl_order_index_refs_are_ids) */
};

void sl_order_index_require_payment(sl_order_index *index, int required)
{
    index->requires_payment = required;
}

void sl_order_index_refs_are_ids(sl_order_index *index, int yes)
{
    index->refs_are_ids = yes;
}

static int grow_array(void **array, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t new_cap = *cap ? *cap * 2 : 16;
    while (new_cap < need)
        new_cap *= 2;
    void *grown = realloc(*array, new_cap * size);
    if (!grown)
        return -1;
    *array = grown;
    *cap = new_cap;
    return 0;
}

static void failure_free(failure **failed)
{
    if (*failed)
        free((*failed)->message);
    free(*failed);
    *failed = NULL;
}

static int failure_set(failure **failed, sl_status status, sl_code code, const char *message)
{
    failure *made = malloc(sizeof(*made));
    char *copy = strdup(message ? message : "");
    if (!made || !copy) {
        free(made);
        free(copy);
        return -1;
    }
    failure_free(failed);
    *made = (failure){ status, code, copy };
    *failed = made;
    return 0;
}

static const char *ref_map_key(const void *index, size_t position)
{
    return ((const sl_order_index *)index)->ref_list[position]->map_key;
}

static const char *entry_order_id(const void *index, size_t position)
{
    return ((const sl_order_index *)index)->entry_list[position]->order->id;
}

sl_order_index *sl_order_index_new(void)
{
    sl_order_index *index = calloc(1, sizeof(*index));
    if (!index)
        return NULL;
    index->refs = sl_key_index_new(1024, ref_map_key, index);
    index->orders = sl_key_index_new(1024, entry_order_id, index);
    index->texts = sl_text_table_new(SHARED_TEXTS_MAX);
    if (!index->refs || !index->orders || !index->texts) {
        sl_order_index_free(index);
        return NULL;
    }
    return index;
}

/* An entry's ledger and failure, not its order. */
static void entry_forget(order_entry *entry)
{
    free(entry->ledger);
    entry->ledger = NULL;
    failure_free(&entry->failed);
}

static void entry_free(order_entry *entry)
{
    entry_forget(entry);
    sl_order_free(entry->order);
    free(entry);
}

/* The references and both maps. */
static void forget_refs(sl_order_index *index)
{
    for (size_t i = 0; i < index->ref_count; i++) {
        order_ref *ref = index->ref_list[i];
        if (ref->entry_count > 1)
            free(ref->answers.many);
        failure_free(&ref->failed);
        free(ref->answer_id);
        free(ref);
    }
    free(index->ref_list);
    index->ref_list = NULL;
    index->ref_count = index->ref_cap = 0;
    sl_key_index_free(index->refs);
    sl_key_index_free(index->orders);
    index->refs = index->orders = NULL;
}

void sl_order_index_keep_orders_only(sl_order_index *index)
{
    forget_refs(index);
    for (size_t i = 0; i < index->entry_count; i++)
        entry_forget(index->entry_list[i]);
}

void sl_order_index_free(sl_order_index *index)
{
    if (!index)
        return;
    forget_refs(index);
    for (size_t i = 0; i < index->entry_count; i++)
        entry_free(index->entry_list[i]);
    free(index->entry_list);
    sl_text_table_free(index->texts);
    free(index);
}

/* ------------------------------------------------------------------ references */

static void trim_copy(const char *text, char *out, size_t cap)
{
    if (cap == 0)
        return;
    while (*text && isspace((unsigned char)*text))
        text++;
    size_t len = strlen(text);
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    if (len >= cap)
        len = cap - 1;
    memcpy(out, text, len);
    out[len] = '\0';
}

char *sl_order_name_normalise(const char *ref, char *out, size_t cap)
{
    char trimmed[512];
    trim_copy(ref ? ref : "", trimmed, sizeof(trimmed));
    trim_copy(trimmed[0] == '#' ? trimmed + 1 : trimmed, out, cap);
    return out;
}

static order_ref *find_ref(const sl_order_index *index, int is_name, const char *key)
{
    char map_key[520];
    snprintf(map_key, sizeof(map_key), "%c:%s", is_name ? 'n' : 'i', key);
    size_t at = sl_key_index_find(index->refs, map_key);
    return at == SL_KEY_INDEX_NONE ? NULL : index->ref_list[at];
}

/* The entry of the order with this id, or NULL (also once the index keeps orders only). */
static order_entry *find_entry(const sl_order_index *index, const char *order_id)
{
    size_t at = order_id && index->orders ? sl_key_index_find(index->orders, order_id)
                                          : SL_KEY_INDEX_NONE;
    return at == SL_KEY_INDEX_NONE ? NULL : index->entry_list[at];
}

/* The reference for key, registered if new; NULL on allocation failure. */
static order_ref *intern_ref(sl_order_index *index, int is_name, const char *key)
{
    order_ref *ref = find_ref(index, is_name, key);
    if (ref)
        return ref;
    char map_key[520];
    snprintf(map_key, sizeof(map_key), "%c:%s", is_name ? 'n' : 'i', key);
    if (grow_array((void **)&index->ref_list, &index->ref_cap, index->ref_count + 1,
                   sizeof(*index->ref_list)))
        return NULL;
    size_t key_size = strlen(map_key) + 1;
    ref = calloc(1, offsetof(order_ref, map_key) + key_size);
    if (!ref)
        return NULL;
    memcpy(ref->map_key, map_key, key_size);
    index->ref_list[index->ref_count] = ref;
    if (sl_key_index_add(index->refs, index->ref_count)) {
        free(ref);
        return NULL;
    }
    ref->is_name = is_name;
    index->ref_count++;
    return ref;
}

/* An auto reference is a name only when it starts with '#': ids never do. */
static int auto_is_name(const char *trimmed)
{
    return trimmed[0] == '#';
}

int sl_order_index_add_ref(sl_order_index *index, const char *ref_text, sl_ref_kind kind)
{
    char trimmed[512], name[512];
    if (index->refs_are_ids)
        kind = SL_REF_ID;
    trim_copy(ref_text ? ref_text : "", trimmed, sizeof(trimmed));
    sl_order_name_normalise(trimmed, name, sizeof(name));
    if (kind == SL_REF_NAME || (kind == SL_REF_AUTO && auto_is_name(trimmed)))
        return name[0] && !intern_ref(index, 1, name) ? -1 : 0;
    if (!trimmed[0])
        return 0;
    order_ref *ref = intern_ref(index, 0, trimmed);
    if (!ref)
        return -1;
    if (kind == SL_REF_AUTO && name[0])
        ref->auto_name = 1;
    return 0;
}

int sl_order_index_add_rows(sl_order_index *index, const sl_row *rows, size_t count,
                            sl_error *err)
{
    for (size_t i = 0; i < count; i++) {
        if (rows[i].status != SL_STATUS_PENDING || !rows[i].order_ref)
            continue;
        if (sl_order_index_add_ref(index, rows[i].order_ref, rows[i].order_ref_kind))
            return sl_error_set(err, "out of memory registering order references");
    }
    return 0;
}

/* The keys of the refs passing `wanted`, as a new array. */
static int list_refs(const sl_order_index *index, int (*wanted)(const order_ref *),
                     const char ***keys, size_t *count, sl_error *err)
{
    size_t total = 0;
    *keys = NULL;
    *count = 0;
    for (size_t i = 0; i < index->ref_count; i++)
        total += wanted(index->ref_list[i]) ? 1 : 0;
    if (total == 0)
        return 0;
    const char **list = malloc(total * sizeof(*list));
    if (!list)
        return sl_error_set(err, "out of memory listing order references");
    for (size_t i = 0; i < index->ref_count; i++)
        if (wanted(index->ref_list[i]))
            list[(*count)++] = ref_key(index->ref_list[i]);
    *keys = list;
    return 0;
}

static int is_new_id(const order_ref *ref)
{
    return !ref->is_name && ref->state == REF_NEW;
}

static int is_new_name(const order_ref *ref)
{
    return ref->is_name && ref->state == REF_NEW;
}

int sl_order_index_ids_to_fetch(const sl_order_index *index, const char ***ids, size_t *count,
                                sl_error *err)
{
    return list_refs(index, is_new_id, ids, count, err);
}

int sl_order_index_names_to_fetch(sl_order_index *index, const char ***names, size_t *count,
                                  sl_error *err)
{
    /* auto references that no id answered fall back to their name */
    size_t known = index->ref_count;
    for (size_t i = 0; i < known; i++) {
        order_ref *ref = index->ref_list[i];
        if (ref->is_name || !ref->auto_name || ref->state != REF_DONE || ref->entry_count)
            continue;
        char name[512];
        sl_order_name_normalise(ref_key(ref), name, sizeof(name));
        if (!intern_ref(index, 1, name))
            return sl_error_set(err, "out of memory registering order names");
    }
    return list_refs(index, is_new_name, names, count, err);
}

/* ------------------------------------------------------------------ answers */

/* Drops what matching never reads, to keep a run's orders small: the address, of which only
 * the place it names counts (shared_tracking.c compares places: its fingerprint is kept), the
 * dates, the order-level items (the packages list the same line items, with their SKUs) and
 * item names. */
static void trim_order(sl_order *order)
{
    /* one parcel, one address (issue 14): the place, not the address */
    order->place_key = sl_address_place_key(order->shipping_address);
    sl_address_free(order->shipping_address);
    order->shipping_address = NULL;
    free(order->updated_at);
    free(order->shipping_method);
    order->updated_at = order->shipping_method = NULL;
    sl_items_free(order->items, order->item_count);
    order->items = NULL;
    order->item_count = 0;
    for (size_t p = 0; p < order->unit_count; p++)
        for (size_t i = 0; i < order->units[p].item_count; i++) {
            free(order->units[p].items[i].name);
            order->units[p].items[i].name = NULL;
        }
}

static void pack_entry(sl_order_index *index, order_entry *entry);

/* The entry for order, which the index takes; an order already held keeps its first copy.
 * An order that needs no further read (items and fulfillments known) is packed at once. */
static order_entry *adopt_order(sl_order_index *index, sl_order *order)
{
    order_entry *entry = find_entry(index, order->id);
    if (entry) {
        sl_order_free(order);
        return entry;
    }
    if (grow_array((void **)&index->entry_list, &index->entry_cap, index->entry_count + 1,
                   sizeof(*index->entry_list)))
        goto fail;
    entry = calloc(1, sizeof(*entry));
    if (!entry)
        goto fail;
    trim_order(order);
    entry->order = order;
    index->entry_list[index->entry_count] = entry;
    if (sl_key_index_add(index->orders, index->entry_count)) {
        free(entry);
        goto fail;
    }
    index->entry_count++;
    if (order->fulfillments_known && !sl_order_needs_packages(order))
        pack_entry(index, entry);
    return entry;
fail:
    sl_order_free(order);
    return NULL;
}

static int ref_add_entry(order_ref *ref, order_entry *entry)
{
    for (size_t i = 0; i < ref->entry_count; i++)
        if (ref_entry(ref, i) == entry)
            return 0;
    if (ref->entry_count == 0) {
        ref->answers.one = entry;
        ref->entry_count = 1;
        return 0;
    }
    order_entry **grown = ref->entry_count == 1 ? malloc(2 * sizeof(*grown))
                          : realloc(ref->answers.many, (ref->entry_count + 1) * sizeof(*grown));
    if (!grown)
        return -1;
    if (ref->entry_count == 1)
        grown[0] = ref->answers.one;
    ref->answers.many = grown;
    ref->answers.many[ref->entry_count++] = entry;
    return 0;
}

static void free_orders_from(sl_order **orders, size_t from, size_t count)
{
    for (size_t i = from; i < count; i++)
        sl_order_free(orders[i]);
    free(orders);
}

int sl_order_index_add_id_answer(sl_order_index *index, const char *const *ids, size_t id_count,
                                 sl_order **orders, size_t order_count, sl_error *err)
{
    for (size_t i = 0; i < id_count; i++) {
        order_ref *ref = find_ref(index, 0, ids[i]);
        if (ref && ref->state == REF_NEW)
            ref->state = REF_DONE;
    }
    for (size_t i = 0; i < order_count; i++) {
        sl_order *order = orders[i];
        order_ref *ref = order && order->id ? find_ref(index, 0, order->id) : NULL;
        if (!ref) {             /* not asked for: a server ignoring the filter */
            sl_order_free(order);
            continue;
        }
        order_entry *entry = adopt_order(index, order);
        if (!entry || ref_add_entry(ref, entry)) {
            free_orders_from(orders, i + 1, order_count);
            return sl_error_set(err, "out of memory indexing orders");
        }
        ref->state = REF_DONE;
    }
    free(orders);
    return 0;
}

static int order_answers_name(const sl_order *order, const char *name)
{
    char normalised[512];
    if (order->name && strcmp(sl_order_name_normalise(order->name, normalised,
                                                      sizeof(normalised)), name) == 0)
        return 1;
    return order->number && strcmp(sl_order_name_normalise(order->number, normalised,
                                                           sizeof(normalised)), name) == 0;
}

int sl_order_index_add_name_answer(sl_order_index *index, const char *name, sl_order **orders,
                                   size_t order_count, sl_error *err)
{
    char key[512];
    sl_order_name_normalise(name, key, sizeof(key));
    order_ref *ref = key[0] ? intern_ref(index, 1, key) : NULL;  /* listed or not, an answer */
    if (key[0] && !ref) {
        free_orders_from(orders, 0, order_count);
        return sl_error_set(err, "out of memory indexing orders");
    }
    if (ref && ref->state == REF_NEW)
        ref->state = REF_DONE;
    for (size_t i = 0; i < order_count; i++) {
        sl_order *order = orders[i];
        if (!ref || !order || !order->id || !order_answers_name(order, key)) {
            sl_order_free(order);
            continue;
        }
        order_entry *entry = adopt_order(index, order);
        if (!entry || ref_add_entry(ref, entry)) {
            free_orders_from(orders, i + 1, order_count);
            return sl_error_set(err, "out of memory indexing orders");
        }
    }
    free(orders);
    return 0;
}

/* The name ref still to fetch that a listed order's name or number answers, else NULL. */
static order_ref *listed_ref(const sl_order_index *index, const char *text)
{
    char key[512];
    if (!text)
        return NULL;
    sl_order_name_normalise(text, key, sizeof(key));
    order_ref *ref = key[0] ? find_ref(index, 1, key) : NULL;
    return ref && ref->state == REF_NEW ? ref : NULL;
}

int sl_order_index_add_listed(sl_order_index *index, sl_order **orders, size_t order_count,
                              size_t *kept, sl_error *err)
{
    size_t taken = 0;
    for (size_t i = 0; i < order_count; i++) {
        sl_order *order = orders[i];
        order_ref *by_name = order && order->id ? listed_ref(index, order->name) : NULL;
        order_ref *by_number = order && order->id ? listed_ref(index, order->number) : NULL;
        if (!by_name && !by_number) {
            sl_order_free(order);
            continue;
        }
        order_entry *entry = adopt_order(index, order);
        if (!entry || (by_name && ref_add_entry(by_name, entry)) ||
            (by_number && ref_add_entry(by_number, entry))) {
            free_orders_from(orders, i + 1, order_count);
            return sl_error_set(err, "out of memory indexing orders");
        }
        taken++;
    }
    free(orders);
    if (kept)
        *kept = taken;
    return 0;
}

size_t sl_order_index_close_listing(sl_order_index *index)
{
    size_t answered = 0;
    for (size_t i = 0; i < index->ref_count; i++) {
        order_ref *ref = index->ref_list[i];
        if (ref->is_name && ref->state == REF_NEW && ref->entry_count) {
            ref->state = REF_DONE;
            answered++;
        }
    }
    return answered;
}

/* ------------------------------------------------------------------ failures */

int sl_order_index_fail_ids(sl_order_index *index, const char *const *ids, size_t id_count,
                            sl_status status, sl_code code, const char *message)
{
    for (size_t i = 0; i < id_count; i++) {
        order_ref *ref = find_ref(index, 0, ids[i]);
        if (!ref || ref->state == REF_DONE)
            continue;
        if (failure_set(&ref->failed, status, code, message))
            return -1;
        ref->state = REF_FAILED;
    }
    return 0;
}

int sl_order_index_fail_name(sl_order_index *index, const char *name, sl_status status,
                             sl_code code, const char *message)
{
    char key[512];
    order_ref *ref = find_ref(index, 1, sl_order_name_normalise(name, key, sizeof(key)));
    if (!ref)
        return 0;
    if (failure_set(&ref->failed, status, code, message))
        return -1;
    ref->state = REF_FAILED;
    return 0;
}

int sl_order_index_fail_order(sl_order_index *index, const char *order_id, sl_status status,
                              sl_code code, const char *message)
{
    order_entry *entry = find_entry(index, order_id);
    if (!entry)
        return 0;
    return failure_set(&entry->failed, status, code, message);
}

int sl_order_index_note_answer_id(sl_order_index *index, int is_name, const char *ref_text,
                                  const char *answer_id)
{
    char key[512];
    if (!answer_id || !answer_id[0] || !ref_text)
        return 0;
    order_ref *ref = find_ref(index, is_name, is_name ? sl_order_name_normalise(ref_text, key,
                                                                               sizeof(key))
                                                      : ref_text);
    if (!ref || ref->entry_count > 0)
        return 0;
    char *copy = strdup(answer_id);
    if (!copy)
        return -1;
    free(ref->answer_id);
    ref->answer_id = copy;
    return 0;
}

/* ------------------------------------------------------------------ resolution */

static void lookup_fail(sl_order_lookup *lookup, sl_status status, sl_code code,
                        const char *fmt, const char *arg)
{
    lookup->status = status;
    lookup->code = code;
    snprintf(lookup->message, sizeof(lookup->message), fmt, arg);
}

static void lookup_failure(sl_order_lookup *lookup, const failure *failed)
{
    lookup->status = failed->status;
    lookup->code = failed->code;
    snprintf(lookup->message, sizeof(lookup->message), "%s", failed->message);
}

static void describe_ambiguity(const order_ref *ref, sl_order_lookup *lookup)
{
    size_t used = (size_t)snprintf(lookup->message, sizeof(lookup->message),
                                   "order name %s matches %u orders:", ref_key(ref),
                                   ref->entry_count);
    for (size_t i = 0; i < ref->entry_count && used < sizeof(lookup->message); i++) {
        const sl_order *order = ref_entry(ref, i)->order;
        used += (size_t)snprintf(lookup->message + used, sizeof(lookup->message) - used,
                                 "%s id %s (%s)", i ? "," : "", order->id,
                                 order->name ? order->name : "no name");
    }
    lookup->status = SL_STATUS_UNMATCHED;
    lookup->code = SL_CODE_ORDER_AMBIGUOUS;
}

/* Ends a not-found message with the id of the answer that found nothing, when the platform
 * names its answers (Shoplazza's Request-Id). */
static void append_answer_id(const order_ref *ref, sl_order_lookup *lookup)
{
    size_t used = strlen(lookup->message);
    if (ref && ref->answer_id && used + 1 < sizeof(lookup->message))
        snprintf(lookup->message + used, sizeof(lookup->message) - used,
                 " (Request-Id: %s)", ref->answer_id);
}

/* The entry of a resolved ref, or NULL with lookup filled. */
static order_entry *resolve_ref(const order_ref *ref, const char *shown,
                                sl_order_lookup *lookup)
{
    if (!ref || ref->state == REF_NEW) {
        lookup_fail(lookup, SL_STATUS_NOT_ATTEMPTED, SL_CODE_RUN_STOPPED,
                    "order %s was not looked up: the run stopped before its lookup", shown);
        return NULL;
    }
    if (ref->state == REF_FAILED) {
        lookup_failure(lookup, ref->failed);
        return NULL;
    }
    if (ref->entry_count == 0) {
        lookup_fail(lookup, SL_STATUS_UNMATCHED, SL_CODE_ORDER_NOT_FOUND,
                    ref->is_name ? "no order named %s" : "no order with id %s", shown);
        append_answer_id(ref, lookup);
        return NULL;
    }
    if (ref->entry_count > 1) {
        describe_ambiguity(ref, lookup);
        return NULL;
    }
    return ref_entry(ref, 0);
}

order_entry *sl_order_index_resolve(const sl_order_index *index, const char *ref_text,
                                    sl_ref_kind kind, sl_order_lookup *lookup)
{
    char trimmed[512], name[512];
    memset(lookup, 0, sizeof(*lookup));
    if (index->refs_are_ids)
        kind = SL_REF_ID;
    trim_copy(ref_text ? ref_text : "", trimmed, sizeof(trimmed));
    sl_order_name_normalise(trimmed, name, sizeof(name));
    order_entry *entry = NULL;
    int by_name = kind == SL_REF_NAME || (kind == SL_REF_AUTO && auto_is_name(trimmed));
    if (by_name ? !name[0] : !trimmed[0]) {
        lookup_fail(lookup, SL_STATUS_UNMATCHED, SL_CODE_ORDER_NOT_FOUND,
                    "empty order reference%s", "");
        return NULL;
    }
    if (by_name) {
        entry = resolve_ref(find_ref(index, 1, name), name, lookup);
    } else {
        const order_ref *id_ref = find_ref(index, 0, trimmed), *decided = id_ref;
        if (kind == SL_REF_AUTO && id_ref && id_ref->state == REF_DONE && !id_ref->entry_count)
            entry = resolve_ref(decided = find_ref(index, 1, name), name, lookup);
        else
            entry = resolve_ref(id_ref, trimmed, lookup);
        if (!entry && kind == SL_REF_AUTO && lookup->code == SL_CODE_ORDER_NOT_FOUND) {
            snprintf(lookup->message, sizeof(lookup->message),
                     "no order with id or name %.256s", trimmed);
            append_answer_id(decided && decided->answer_id ? decided : id_ref, lookup);
        }
    }
    if (!entry)
        return NULL;
    lookup->order = entry->order;
    if (entry->order->status == SL_ORDER_STATUS_CANCELED) {
        lookup->status = SL_STATUS_UNMATCHED;
        lookup->code = SL_CODE_ORDER_CANCELED;
        snprintf(lookup->message, sizeof(lookup->message), "order %s (id %s) is canceled",
                 entry->order->name ? entry->order->name : entry->order->id, entry->order->id);
        return NULL;
    }
    int unpaid = index->requires_payment && entry->order->payment == SL_PAYMENT_UNPAID;
    if (entry->order->status == SL_ORDER_STATUS_CLOSED || unpaid) {
        lookup->status = SL_STATUS_UNMATCHED;
        lookup->code = SL_CODE_ORDER_NOT_SHIPPABLE;
        snprintf(lookup->message, sizeof(lookup->message),
                 "order %s (id %s) cannot ship now: it is %s",
                 entry->order->name ? entry->order->name : entry->order->id, entry->order->id,
                 unpaid ? "not paid" : entry->order->status_text ? entry->order->status_text
                                                                 : "closed");
        return NULL;
    }
    return entry;
}

int sl_order_index_lookup(const sl_order_index *index, const char *ref, sl_ref_kind kind,
                          sl_order_lookup *lookup)
{
    return sl_order_index_resolve(index, ref, kind, lookup) ? 0 : -1;
}

sl_order *sl_order_index_find_id(const sl_order_index *index, const char *order_id)
{
    order_entry *entry = find_entry(index, order_id);
    return entry ? entry->order : NULL;
}

size_t sl_order_index_order_count(const sl_order_index *index)
{
    return index->entry_count;
}

static const char *share_text(void *texts, const char *text)
{
    return sl_text_table_intern(texts, text);
}

/* The order of entry copied into one allocation but for the texts it shares with other orders
 * (the index reads the order's id through the entry: it finds the copy's). */
static void pack_entry(sl_order_index *index, order_entry *entry)
{
    if (entry->order->packed)
        return;
    sl_order *packed = sl_order_pack_sharing(entry->order, share_text, index->texts);
    if (!packed)
        return;     /* out of memory: the unpacked order serves as well */
    sl_order_free(entry->order);
    entry->order = packed;
}

void sl_order_index_pack(sl_order_index *index)
{
    for (size_t i = 0; i < index->entry_count; i++)
        pack_entry(index, index->entry_list[i]);
}

void sl_order_index_pack_order(sl_order_index *index, const char *order_id)
{
    order_entry *entry = find_entry(index, order_id);
    if (entry)
        pack_entry(index, entry);
}

/* ------------------------------------------------------------------ the ledger */

/* One block: the packages' quantities (32 bits: an item holds at most SL_QUANTITY_MAX),
 * package after package, then one flag a package. */
int sl_order_entry_ledger(order_entry *entry)
{
    const sl_order *order = entry->order;
    if (entry->ledger || order->unit_count == 0)
        return 0;
    size_t items = 0;
    for (size_t p = 0; p < order->unit_count; p++)
        items += order->units[p].item_count;
    int32_t *ledger = calloc(1, items * sizeof(*ledger) + order->unit_count);
    if (!ledger)
        return -1;
    int32_t *next = ledger;
    for (size_t p = 0; p < order->unit_count; p++) {
        const sl_unit *package = &order->units[p];
        for (size_t i = 0; i < package->item_count; i++) {
            int32_t left = package->items[i].quantity - package->items[i].fulfilled_quantity;
            *next++ = left > 0 ? left : 0;
        }
    }
    entry->ledger = ledger;
    return 0;
}

int32_t *sl_order_entry_left(const order_entry *entry, size_t p)
{
    int32_t *left = entry->ledger;
    for (size_t q = 0; q < p; q++)
        left += entry->order->units[q].item_count;
    return left;
}

static unsigned char *whole_flags(const order_entry *entry)
{
    return (unsigned char *)sl_order_entry_left(entry, entry->order->unit_count);
}

int sl_order_entry_whole_claimed(const order_entry *entry, size_t p)
{
    return whole_flags(entry)[p];
}

void sl_order_entry_claim_whole(order_entry *entry, size_t p)
{
    whole_flags(entry)[p] = 1;
}
