/* plan_build.c: turns matched rows into planned fulfillments and requests (plan.h): groups rows
 * by (order, package, tracking set) or (order, package) for whole-package rows, or by the
 * fulfillment an update or cancel acts on, then packs each order's creates into bulk requests
 * of at most batch_size entries. Groups are met in row order, so first-row order needs no sort.
 * Passes over the rows keep a million-row plan small (docs/reliability.md, Memory): the first
 * numbers each row's group (by its key's hash, keeping no key, in a table of 8-byte slots and
 * a 32-bit group number per row); the second makes the groups, now counted, in one exact array
 * and counts what each will hold; the third fills the groups' row and item lists,
 * carved from exact blocks instead of growing arrays per fulfillment (each group keeps 32-bit
 * offsets into them; its tracking numbers are its rows', read when it is encoded). The matches are then done with (sl_plan_build_taking frees
 * them there), before the requests are packed; the groups' order ids, which packing needs and
 * a planned fulfillment does not keep (its request has it), are read from their first rows.
 * The plan borrows from the rows only: what it sends of an order is either the rows' (order id,
 * fulfillment order id, which matching set on them) or copied into the plan's texts block (item
 * ids, the fulfillment an update names), so the engine frees the orders before the writes.
 * Rows and groups are numbered in 32 bits: a plan of UINT32_MAX rows or more is refused.
 * Encoding and reconciliation are plan_request.c and plan_reconcile.c. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "match/strmap.h"
#include "plan/plan_internal.h"

#define DEFAULT_BATCH 50

/* A slot of the tables that find a group by its key (the first pass) and an order by its id
 * (request packing): 8 bytes, a 32-bit fragment of the key's hash and a 32-bit index. Neither
 * table keeps a key: a hit is confirmed by reading the key of the entry the index names. */
typedef struct index_slot {
    uint32_t hash;
    uint32_t index;             /* the entry's index + 1; 0: the slot is empty */
} index_slot;

/* Open addressing, at most 3/4 full, doubled when it is not (old and new slots coexist only
 * while it grows). */
typedef struct index_table {
    index_slot *slots;
    size_t cap, count;
} index_table;

/* Says whether the entry index (+ 1, as the slot holds it) has the key being looked up: 1 yes,
 * 0 no, -1 out of memory. */
typedef int (*same_key_fn)(const void *lookup, uint32_t index);

typedef struct builder {
    const sl_row *rows;
    const sl_match *matches;
    index_table groups;         /* the groups by key, each slot naming the group's first row
                                   (first pass only) */
    uint32_t *row_group;        /* per row: its group's index + 1; 0: the row is not planned */
    size_t group_count;
    sl_planned_fulfillment *gathered;   /* group_count of them, in first-row order */
    sl_plan_lists lists;        /* the groups' row and item lists (the plan's) */
    size_t text_bytes;          /* room the texts block needs (counted with the groups) */
    size_t texts_used;
    int whole_as_items;         /* sl_plan_options.whole_as_items */
} builder;

/* Room for one more element of an array that grows to the next power of two (its capacity is
 * implied by its count): for the orders' states while packing requests. */
static int make_room(void **array, size_t count, size_t size)
{
    if (count & (count - 1))
        return 0;               /* not a power of two: a free slot remains */
    void *grown = realloc(*array, (count ? count * 2 : 1) * size);
    if (!grown)
        return -1;
    *array = grown;
    return 0;
}

/* Room for one more element of one of the plan's big arrays, grown by a quarter (not doubled:
 * a million-row plan would leave up to half of its largest array unused). */
static int make_room_gently(void **array, size_t count, size_t *cap, size_t size)
{
    if (count < *cap)
        return 0;
    size_t grown_cap = *cap + *cap / 4 + 64;
    void *grown = realloc(*array, grown_cap * size);
    if (!grown)
        return -1;
    *array = grown;
    *cap = grown_cap;
    return 0;
}

/* ------------------------------------------------------------------ the tables by key */

/* The 64-bit hash of the key (sl_strmap_hash) folded to the slot's 32 bits. */
static uint32_t key_hash(const char *key)
{
    uint64_t hash = sl_strmap_hash(key);
    return (uint32_t)(hash ^ (hash >> 32));
}

/* Room for one more entry. -1 out of memory. */
static int table_make_room(index_table *table)
{
    if ((table->count + 1) * 4 <= table->cap * 3)
        return 0;
    size_t cap = table->cap ? table->cap * 2 : 1024;
    index_slot *slots = calloc(cap, sizeof(*slots));
    if (!slots)
        return -1;
    for (size_t i = 0; i < table->cap; i++) {
        if (!table->slots[i].index)
            continue;
        size_t at = table->slots[i].hash & (cap - 1);
        while (slots[at].index)
            at = (at + 1) & (cap - 1);
        slots[at] = table->slots[i];
    }
    free(table->slots);
    table->slots = slots;
    table->cap = cap;
    return 0;
}

/* The entry with the key same() looks for: 1 with *index set (+ 1, as the slot holds it); 0
 * when none, *at then the empty slot for it; -1 out of memory. Room must have been made. */
static int table_find(const index_table *table, uint32_t hash, same_key_fn same,
                      const void *lookup, uint32_t *index, size_t *at)
{
    size_t i = hash & (table->cap - 1);
    for (; table->slots[i].index; i = (i + 1) & (table->cap - 1)) {
        if (table->slots[i].hash != hash)
            continue;
        int found = same(lookup, table->slots[i].index);
        if (found)
            return found < 0 ? -1 : (*index = table->slots[i].index, 1);
    }
    *at = i;
    return 0;
}

static void table_add(index_table *table, size_t at, uint32_t hash, uint32_t index)
{
    table->slots[at] = (index_slot){ hash, index };
    table->count++;
}

static void table_free(index_table *table)
{
    free(table->slots);
    memset(table, 0, sizeof(*table));
}

/* ------------------------------------------------------------------ group keys */

/* A key being built: on the stack unless it outgrows the inline buffer. */
typedef struct text {
    char *data;
    size_t len, cap;
    char inline_data[256];
} text;

static void text_init(text *out)
{
    out->data = out->inline_data;
    out->len = 0;
    out->cap = sizeof(out->inline_data);
    out->data[0] = '\0';
}

static void text_clear(text *out)
{
    if (out->data != out->inline_data)
        free(out->data);
}

static int text_add(text *out, const char *part)
{
    size_t len = strlen(part);
    if (out->len + len + 1 > out->cap) {
        size_t cap = (out->len + len + 1) * 2;
        char *grown = out->data == out->inline_data ? malloc(cap) : realloc(out->data, cap);
        if (!grown)
            return -1;
        if (out->data == out->inline_data)
            memcpy(grown, out->inline_data, out->len + 1);
        out->data = grown;
        out->cap = cap;
    }
    memcpy(out->data + out->len, part, len + 1);
    out->len += len;
    return 0;
}

static int compare_tracking(const void *a, const void *b)
{
    return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* The row's tracking set as a key part: upper-cased, sorted, distinct, joined by \x1e. */
static int add_tracking_set(text *key, const sl_row *row)
{
    if (row->tracking_count == 0)
        return 0;
    const char *on_stack[16];
    const char **sorted = row->tracking_count <= 16 ? on_stack
                                                    : malloc(row->tracking_count * sizeof(*sorted));
    if (!sorted)
        return -1;
    memcpy(sorted, row->tracking_numbers, row->tracking_count * sizeof(*sorted));
    qsort(sorted, row->tracking_count, sizeof(*sorted), compare_tracking);
    int failed = 0;
    for (size_t i = 0; i < row->tracking_count && !failed; i++) {
        if (i && strcasecmp(sorted[i], sorted[i - 1]) == 0)
            continue;
        size_t start = key->len;
        failed = text_add(key, "\x1e") || text_add(key, sorted[i]);
        for (size_t c = start; !failed && c < key->len; c++)
            key->data[c] = (char)toupper((unsigned char)key->data[c]);
    }
    if (sorted != on_stack)
        free(sorted);
    return failed ? -1 : 0;
}

static const char *match_package_key(const sl_match *match)
{
    const sl_unit *package = sl_match_package(match);
    return package->write_id ? package->write_id : package->id;
}

/* What makes rows one fulfillment (plan.h). */
static int group_key(const sl_row *row, const sl_match *match, text *key)
{
    static const char *const tags[] = { [SL_MATCH_CREATE] = "C", [SL_MATCH_UPDATE] = "U",
                                        [SL_MATCH_CANCEL] = "X", [SL_MATCH_STATUS] = "S" };
    int whole = match->op == SL_MATCH_CREATE && !match->item;
    if (text_add(key, whole ? "W" : tags[match->op]) || text_add(key, "\x1f") ||
        text_add(key, match->order->id) || text_add(key, "\x1f"))
        return -1;
    if (match->op != SL_MATCH_CREATE)
        return text_add(key, sl_match_fulfillment(match)->id);
    if (text_add(key, match_package_key(match)))
        return -1;
    return whole ? 0 : add_tracking_set(key, row);
}

/* ------------------------------------------------------------------ the groups by key */

/* The first pass finds each row's group by its key's hash (no key is kept: a million rows' keys
 * would cost more than their plan), each slot naming the group's first row; equal hashes are
 * confirmed by building that row's key again. Groups are numbered in first-row order. */

typedef struct key_lookup {
    const builder *b;
    const char *key;
} key_lookup;

/* Whether the group whose first row is first_row (+ 1) has the key looked up. */
static int same_group_key(const void *data, uint32_t first_row)
{
    const key_lookup *lookup = data;
    size_t first = (size_t)first_row - 1;
    text other;
    text_init(&other);
    int failed = group_key(&lookup->b->rows[first], &lookup->b->matches[first], &other);
    int same = !failed && strcmp(other.data, lookup->key) == 0;
    text_clear(&other);
    return failed ? -1 : same;
}

/* The row's group, found by its key or numbered as new, into row_group. -1 out of memory. */
static int find_group(builder *b, size_t index)
{
    text key;
    text_init(&key);
    uint32_t hash = 0, first_row = 0;
    size_t at = 0;
    int found = group_key(&b->rows[index], &b->matches[index], &key) ||
                table_make_room(&b->groups) ? -1 : 0;
    if (found == 0) {
        hash = key_hash(key.data);
        key_lookup lookup = { b, key.data };
        found = table_find(&b->groups, hash, same_group_key, &lookup, &first_row, &at);
    }
    text_clear(&key);
    if (found < 0)
        return -1;
    if (found) {
        b->row_group[index] = b->row_group[first_row - 1];
        return 0;
    }
    table_add(&b->groups, at, hash, (uint32_t)(index + 1));
    b->row_group[index] = (uint32_t)++b->group_count;
    return 0;
}

/* ------------------------------------------------------------------ the groups' contents */

static sl_plan_kind kind_of(sl_match_op op)
{
    return op == SL_MATCH_UPDATE ? SL_PLAN_UPDATE
         : op == SL_MATCH_CANCEL ? SL_PLAN_CANCEL
         : op == SL_MATCH_STATUS ? SL_PLAN_STATUS : SL_PLAN_CREATE;
}

/* Group g, met at its first row (its status and carrier code are derived from that row when
 * it is encoded: sl_planned_status, sl_planned_carrier_code). */
static void new_group(builder *b, size_t g, const sl_row *row, const sl_match *match)
{
    sl_planned_fulfillment *planned = &b->gathered[g];
    memset(planned, 0, sizeof(*planned));
    planned->kind = kind_of(match->op);
    /* matching set these on the row (the order's id, the unit's key or the unit the
     * fulfillment shipped); the fulfillment an update names is copied when the row is filled */
    planned->fulfillment_order_id = row->fulfillment_order_id;
    planned->notify = row->notify;
}

/* The items of unit a whole-unit create lists on a platform without a "whole unit" form:
 * those with something left. */
static size_t remaining_item_count(const sl_unit *unit)
{
    size_t count = 0;
    for (size_t i = 0; i < unit->item_count; i++)
        count += unit->items[i].quantity - unit->items[i].fulfilled_quantity > 0;
    return count;
}

/* The room a copy of text takes in the plan's texts block. */
static size_t text_room(const char *text)
{
    return text ? strlen(text) + 1 : 0;
}

/* The row counted in its group (made at its first row): room for the row and its items; the
 * counts are upper bounds until the lists are filled. */
static void count_row(builder *b, size_t index, size_t *made)
{
    const sl_row *row = &b->rows[index];
    const sl_match *match = &b->matches[index];
    size_t group = b->row_group[index] - 1;
    sl_planned_fulfillment *planned = &b->gathered[group];
    if (group == *made) {       /* groups are numbered in first-row order */
        new_group(b, group, row, match);
        if (match->op != SL_MATCH_CREATE)
            b->text_bytes += text_room(sl_match_fulfillment(match)->id);
        ++*made;
    }
    planned->row_count++;
    if (match->op == SL_MATCH_CREATE && match->item) {
        planned->item_count++;
        b->text_bytes += text_room(sl_match_item(match)->id);
    } else if (match->op == SL_MATCH_CREATE && b->whole_as_items && planned->item_count == 0) {
        const sl_unit *unit = sl_match_package(match);
        planned->item_count = (uint32_t)remaining_item_count(unit);
        for (size_t i = 0; i < unit->item_count; i++)
            b->text_bytes += text_room(unit->items[i].id);
    }
}

/* Each group's lists carved from blocks sized by the counts, the counts then zeroed for
 * the filling to count again. -1 out of memory, or when a list would hold UINT32_MAX or more
 * (its offsets are 32 bits). */
static int carve_lists(builder *b)
{
    size_t rows = 0, items = 0;
    for (size_t g = 0; g < b->group_count; g++) {
        rows += b->gathered[g].row_count;
        items += b->gathered[g].item_count;
    }
    if (items >= UINT32_MAX)
        return -1;
    b->lists.rows = malloc((rows ? rows : 1) * sizeof(*b->lists.rows));
    b->lists.items = calloc(items ? items : 1, sizeof(*b->lists.items));
    b->lists.texts = malloc(b->text_bytes ? b->text_bytes : 1);
    if (!b->lists.rows || !b->lists.items || !b->lists.texts)
        return -1;
    rows = items = 0;
    for (size_t g = 0; g < b->group_count; g++) {
        sl_planned_fulfillment *planned = &b->gathered[g];
        planned->rows_at = (uint32_t)rows;
        if (planned->kind == SL_PLAN_CREATE)    /* the others' target is their fulfillment */
            planned->target.items_at = (uint32_t)items;
        rows += planned->row_count;
        items += planned->item_count;
        planned->row_count = planned->item_count = 0;
    }
    return 0;
}

/* The plan's copy of an order's text (NULL for NULL), in the texts block, whose room was
 * counted. */
static char *keep_text(builder *b, const char *text)
{
    if (!text)
        return NULL;
    size_t size = strlen(text) + 1;
    char *copy = memcpy(b->lists.texts + b->texts_used, text, size);
    b->texts_used += size;
    return copy;
}

/* One item per line item: a second row for the same item adds its quantity. Items carry
 * their id and quantity only (what a write sends). */
static void add_item(builder *b, sl_planned_fulfillment *planned, const sl_match *match)
{
    const sl_item *ordered = sl_match_item(match);
    sl_item *items = b->lists.items + planned->target.items_at;
    for (size_t i = 0; i < planned->item_count; i++)
        if (strcmp(items[i].id, ordered->id) == 0) {
            items[i].quantity += match->quantity;
            return;
        }
    sl_item *item = &items[planned->item_count++];
    item->id = keep_text(b, ordered->id);
    item->quantity = match->quantity;
}

/* A whole-unit create on a platform without a "whole unit" form: every item of the unit that
 * has something left, with what is left. */
static void add_remaining_items(builder *b, sl_planned_fulfillment *planned,
                                const sl_unit *unit)
{
    sl_item *items = b->lists.items + planned->target.items_at;
    for (size_t i = 0; i < unit->item_count; i++) {
        long left = unit->items[i].quantity - unit->items[i].fulfilled_quantity;
        if (left <= 0)
            continue;
        sl_item *item = &items[planned->item_count++];
        item->id = keep_text(b, unit->items[i].id);
        item->quantity = (int32_t)left;
    }
}

/* The row into its group's lists. */
static void fill_row(builder *b, size_t index)
{
    const sl_row *row = &b->rows[index];
    const sl_match *match = &b->matches[index];
    sl_planned_fulfillment *planned = &b->gathered[b->row_group[index] - 1];
    sl_plan_rows_of(&b->lists, planned)[planned->row_count++] = (uint32_t)index;
    if (planned->row_count == 1 && match->op != SL_MATCH_CREATE)
        planned->target.fulfillment_id = keep_text(b, sl_match_fulfillment(match)->id);
    if (planned->notify < 0)
        planned->notify = row->notify;
    if (match->op == SL_MATCH_CREATE && !match->item && b->whole_as_items) {
        if (planned->item_count == 0)
            add_remaining_items(b, planned, sl_match_package(match));
    } else if (match->op == SL_MATCH_CREATE && match->item) {
        add_item(b, planned, match);
    }
}

/* ------------------------------------------------------------------ requests */

/* Per order while packing: its first group (whose order id is the order's key), its bulk
 * request still taking entries, and its request count. */
typedef struct order_state {
    uint32_t first_group;
    uint32_t open_request;      /* index + 1; 0: none */
    uint32_t requests;
} order_state;

typedef struct order_lookup {
    const builder *b;
    const order_state *orders;
    const char *order_id;
} order_lookup;

/* Group g's order id: its first row's (matching set it), read until the fulfillments are laid
 * out (a planned fulfillment keeps none: its request has it). */
static const char *group_order_id(const builder *b, size_t g)
{
    return b->rows[b->lists.rows[b->gathered[g].rows_at]].order_id;
}

static int same_order(const void *data, uint32_t order)
{
    const order_lookup *lookup = data;
    const order_state *state = &lookup->orders[order - 1];
    return strcmp(group_order_id(lookup->b, state->first_group), lookup->order_id) == 0;
}

/* The state of group g's order (made when new). NULL out of memory. */
static order_state *order_of(const builder *b, index_table *table, order_state **orders,
                             size_t g)
{
    const char *order_id = group_order_id(b, g);
    uint32_t hash = key_hash(order_id), order = 0;
    size_t at = 0;
    order_lookup lookup = { b, *orders, order_id };
    if (table_make_room(table))
        return NULL;
    if (table_find(table, hash, same_order, &lookup, &order, &at))
        return &(*orders)[order - 1];
    if (make_room((void **)orders, table->count, sizeof(**orders)))
        return NULL;
    (*orders)[table->count] = (order_state){ (uint32_t)g, 0, 0 };
    table_add(table, at, hash, (uint32_t)(table->count + 1));
    return &(*orders)[table->count - 1];
}

/* Each group into a request: its order's open bulk create while that has room, else a new
 * request numbered in its order's sequence. */
static int pack_requests(builder *b, sl_plan *plan, size_t batch)
{
    index_table table = { 0 };      /* the orders by id */
    order_state *orders = NULL;
    size_t requests_cap = 0;
    int failed = 0;
    for (size_t g = 0; g < b->group_count && !failed; g++) {
        sl_planned_fulfillment *planned = &b->gathered[g];
        order_state *order = order_of(b, &table, &orders, g);
        if (!order) {
            failed = 1;
            break;
        }
        sl_planned_request *request = NULL;
        if (planned->kind == SL_PLAN_CREATE && order->open_request &&
            plan->requests[order->open_request - 1].count < batch)
            request = &plan->requests[order->open_request - 1];
        if (!request) {
            failed = make_room_gently((void **)&plan->requests, plan->request_count,
                                      &requests_cap, sizeof(*plan->requests));
            if (failed)
                break;
            request = &plan->requests[plan->request_count++];
            *request = (sl_planned_request){ group_order_id(b, g), 0, 0, order->requests++,
                                             planned->kind };
            if (planned->kind == SL_PLAN_CREATE)
                order->open_request = (uint32_t)plan->request_count;
        }
        planned->request = (uint32_t)(request - plan->requests);
        planned->entry = (uint32_t)request->count++;
    }
    table_free(&table);
    free(orders);
    return failed ? -1 : 0;
}

/* Where the planned fulfillment goes: its request's place, then its entry. */
static size_t place_of(const sl_plan *plan, const sl_planned_fulfillment *planned)
{
    return plan->requests[planned->request].first + planned->entry;
}

/* Lays the fulfillments out request by request, entries in order: a permutation applied in
 * place (each swap puts one fulfillment where it goes, which its request and entry say), so
 * the gathered array becomes the plan's without a copy or an array of places. */
static void lay_out(builder *b, sl_plan *plan)
{
    size_t next = 0, count = b->group_count;
    for (size_t r = 0; r < plan->request_count; r++) {
        plan->requests[r].first = (uint32_t)next;
        next += plan->requests[r].count;
    }
    sl_planned_fulfillment *all = b->gathered;
    for (size_t g = 0; g < count; g++)
        for (size_t to = place_of(plan, &all[g]); to != g; to = place_of(plan, &all[g])) {
            sl_planned_fulfillment moved = all[to];
            all[to] = all[g];
            all[g] = moved;
        }
    plan->fulfillments = all;
    plan->fulfillment_count = count;
    b->gathered = NULL;
    b->group_count = 0;
}

static void plan_lists_clear(sl_plan_lists *lists)
{
    free(lists->rows);
    free(lists->items);
    free(lists->texts);
    memset(lists, 0, sizeof(*lists));
}

/* What the notified column says of a planned fulfillment's rows: the flag its request
 * carries (omitted is the platform's default, no), or unknown (-1) when its kind of request
 * carries no flag on this platform. */
static int notified(const sl_planned_fulfillment *planned, const sl_plan_options *options)
{
    int carried = 0;
    if (options && planned->kind == SL_PLAN_CREATE)
        carried = options->create_notifies;
    else if (options && planned->kind == SL_PLAN_UPDATE)
        carried = options->update_notifies;
    return carried ? planned->notify > 0 : -1;
}

/* ------------------------------------------------------------------ the passes */

static int plannable(const builder *b, size_t i)
{
    return b->matches[i].op != SL_MATCH_NONE && b->rows[i].status == SL_STATUS_PENDING;
}

/* The passes over the rows (see the top of the file): each row's group, then the groups (an
 * exact array, made once their number is known) and their counts, then their lists. What
 * each pass alone needs is freed before the next allocates: the table before the groups, the
 * row_group array once the lists are filled. */
static int gather_and_fill(builder *b, size_t count)
{
    b->row_group = calloc(count ? count : 1, sizeof(*b->row_group));
    if (!b->row_group)
        return -1;
    for (size_t i = 0; i < count; i++)
        if (plannable(b, i) && find_group(b, i))
            return -1;
    table_free(&b->groups);         /* the groups are known: their table is not needed */
    if (b->group_count) {
        b->gathered = malloc(b->group_count * sizeof(*b->gathered));
        if (!b->gathered)
            return -1;
    }
    size_t made = 0;
    for (size_t i = 0; i < count; i++)
        if (b->row_group[i])
            count_row(b, i, &made);
    if (carve_lists(b))
        return -1;
    for (size_t i = 0; i < count; i++)
        if (b->row_group[i])
            fill_row(b, i);
    free(b->row_group);
    b->row_group = NULL;
    return 0;
}

/* The plan of the groups gathered: flags settled, requests packed, fulfillments laid out. */
static int pack(builder *b, sl_plan *plan, const sl_plan_options *options)
{
    size_t batch = options && options->batch_size ? options->batch_size : DEFAULT_BATCH;
    int default_notify = options ? options->default_notify : -1;
    for (size_t g = 0; g < b->group_count; g++) {
        if (b->gathered[g].notify < 0)
            b->gathered[g].notify = (signed char)default_notify;
        b->gathered[g].notified = (signed char)notified(&b->gathered[g], options);
    }
    int failed = pack_requests(b, plan, batch);     /* reads the lists: the first rows */
    plan->lists = b->lists;         /* the plan owns the lists from here */
    memset(&b->lists, 0, sizeof(b->lists));
    if (failed)
        return -1;
    lay_out(b, plan);
    return 0;
}

static void builder_clear(builder *b)
{
    table_free(&b->groups);
    free(b->row_group);
    free(b->gathered);
    plan_lists_clear(&b->lists);
}

/* sl_plan_build, freeing matches (when owned) as soon as the lists are filled. */
static sl_plan *build(const sl_row *rows, sl_match *owned, const sl_match *matches,
                      size_t count, const sl_plan_options *options, sl_error *err)
{
    if (count >= UINT32_MAX) {      /* rows and groups are numbered in 32 bits */
        free(owned);
        sl_error_set(err, "too many rows to plan: %zu (at most %lu)", count,
                     (unsigned long)UINT32_MAX - 1);
        return NULL;
    }
    builder b = { .rows = rows, .matches = matches,
                  .whole_as_items = options ? options->whole_as_items : 0 };
    sl_plan *plan = calloc(1, sizeof(*plan));
    if (plan)
        plan->rows = rows;
    if (plan && options) {
        plan->default_status = options->default_status;
        plan->carrier_code = options->carrier_code;
        plan->carrier_code_data = options->carrier_code_data;
        plan->keep_id = options->keep_id;
        plan->keep_id_data = options->keep_id_data;
    }
    int failed = !plan || gather_and_fill(&b, count);
    free(owned);                    /* the groups are filled: the matches are done with */
    b.matches = NULL;
    if (failed || pack(&b, plan, options)) {
        builder_clear(&b);
        sl_plan_free(plan);
        sl_error_set(err, "out of memory planning fulfillments");
        return NULL;
    }
    return plan;
}

sl_plan *sl_plan_build(const sl_row *rows, const sl_match *matches, size_t count,
                       const sl_plan_options *options, sl_error *err)
{
    return build(rows, NULL, matches, count, options, err);
}

sl_plan *sl_plan_build_taking(const sl_row *rows, sl_match *matches, size_t count,
                              const sl_plan_options *options, sl_error *err)
{
    return build(rows, matches, matches, count, options, err);
}

void sl_plan_free(sl_plan *plan)
{
    if (!plan)
        return;
    plan_lists_clear(&plan->lists);
    free(plan->fulfillments);
    free(plan->requests);
    free(plan);
}
