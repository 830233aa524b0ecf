/* plan_build.c: turns matched rows into planned fulfillments and requests (plan.h): groups rows
 * by (order, package, tracking set) or (order, package) for whole-package rows, or by the
 * fulfillment an update or cancel acts on, then packs each order's creates into bulk requests
 * of at most batch_size entries. Groups are met in row order, so first-row order needs no sort.
 * Two passes over the rows keep a million-row plan small (docs/reliability.md, Memory): the
 * first finds each row's group (by its key's hash, keeping no key) and counts what the group
 * will hold, the second fills the groups' row, tracking and item lists, carved from three
 * exact blocks instead of three growing arrays per fulfillment. Encoding and reconciliation
 * are plan_request.c and plan_reconcile.c. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "match/strmap.h"
#include "plan/plan_internal.h"

#define DEFAULT_BATCH 50

/* A slot of the groups' table: the hash of a group's key and the group's first row. */
typedef struct group_slot {
    uint64_t hash;
    size_t first_row;           /* index + 1; 0: the slot is empty */
} group_slot;

typedef struct builder {
    const sl_row *rows;
    const sl_match *matches;
    group_slot *groups;         /* the groups by key (first pass only) */
    size_t group_cap, group_count;
    sl_planned_fulfillment *gathered;   /* in first-row order */
    size_t gathered_count, gathered_cap;
    size_t *row_group;          /* per row: its group's index + 1; 0: the row is not planned */
    sl_plan_lists lists;        /* the groups' row, tracking and item lists (the plan's) */
    int whole_as_items;         /* sl_plan_options.whole_as_items */
    const char *default_status; /* sl_plan_options.default_status */
    const sl_plan_options *options;
} builder;

/* Room for one more element of an array that grows to the next power of two (its capacity is
 * implied by its count): for the small per-order arrays of request packing. */
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
    const sl_unit *package = match->package;
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
        return text_add(key, match->fulfillment->id);
    if (text_add(key, match_package_key(match)))
        return -1;
    return whole ? 0 : add_tracking_set(key, row);
}

/* ------------------------------------------------------------------ gathering */

static sl_plan_kind kind_of(sl_match_op op)
{
    return op == SL_MATCH_UPDATE ? SL_PLAN_UPDATE
         : op == SL_MATCH_CANCEL ? SL_PLAN_CANCEL
         : op == SL_MATCH_STATUS ? SL_PLAN_STATUS : SL_PLAN_CREATE;
}

static sl_planned_fulfillment *new_group(builder *b, const sl_row *row, const sl_match *match)
{
    if (make_room_gently((void **)&b->gathered, b->gathered_count, &b->gathered_cap,
                         sizeof(*b->gathered)))
        return NULL;
    sl_planned_fulfillment *planned = &b->gathered[b->gathered_count++];
    memset(planned, 0, sizeof(*planned));
    planned->kind = kind_of(match->op);
    planned->order_id = match->order->id;
    if (match->op == SL_MATCH_CREATE) {
        planned->fulfillment_order_id = match_package_key(match);
    } else {
        planned->fulfillment_order_id = match->fulfillment->unit_write_id;
        planned->fulfillment_id = match->fulfillment->id;
    }
    planned->notify = row->notify;
    planned->first_row = row;
    if (sl_plan_text_or_null(row->carrier) && b->options && b->options->carrier_code)
        planned->carrier_code = b->options->carrier_code(row->carrier,
                                                         b->options->carrier_code_data);
    const char *status = sl_row_cols(row)->fulfillment_status;
    planned->status = sl_plan_text_or_null(status) ? status : b->default_status;
    return planned;
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

/* ------------------------------------------------------------------ the groups by key */

/* The groups are found by their key's 64-bit hash (sl_strmap_hash; open addressing, at most
 * 3/4 full), each slot naming the group's first row; equal hashes are confirmed by building
 * that row's key again. No key is kept: a million rows' keys would cost more than their plan. */

static size_t free_slot(const group_slot *slots, size_t cap, uint64_t hash)
{
    size_t at = (size_t)hash & (cap - 1);
    while (slots[at].first_row)
        at = (at + 1) & (cap - 1);
    return at;
}

/* Room for one more group. -1 out of memory. */
static int groups_make_room(builder *b)
{
    if ((b->group_count + 1) * 4 <= b->group_cap * 3)
        return 0;
    size_t cap = b->group_cap ? b->group_cap * 2 : 1024;
    group_slot *slots = calloc(cap, sizeof(*slots));
    if (!slots)
        return -1;
    for (size_t i = 0; i < b->group_cap; i++)
        if (b->groups[i].first_row)
            slots[free_slot(slots, cap, b->groups[i].hash)] = b->groups[i];
    free(b->groups);
    b->groups = slots;
    b->group_cap = cap;
    return 0;
}

/* The group whose key is key: 1 with *group set; 0 when none, *at then the empty slot for
 * it; -1 out of memory. */
static int find_group(const builder *b, const char *key, uint64_t hash, size_t *group,
                      size_t *at)
{
    size_t i = (size_t)hash & (b->group_cap - 1);
    for (; b->groups[i].first_row; i = (i + 1) & (b->group_cap - 1)) {
        if (b->groups[i].hash != hash)
            continue;
        size_t first = b->groups[i].first_row - 1;
        text other;
        text_init(&other);
        int failed = group_key(&b->rows[first], &b->matches[first], &other);
        int same = !failed && strcmp(other.data, key) == 0;
        text_clear(&other);
        if (failed)
            return -1;
        if (same) {
            *group = b->row_group[first] - 1;
            return 1;
        }
    }
    *at = i;
    return 0;
}

/* The row's group: found by its key, or made. NULL out of memory. */
static sl_planned_fulfillment *group_of(builder *b, size_t index)
{
    const sl_row *row = &b->rows[index];
    const sl_match *match = &b->matches[index];
    text key;
    text_init(&key);
    size_t group = 0, at = 0;
    int found = group_key(row, match, &key) || groups_make_room(b) ? -1 : 0;
    uint64_t hash = found == 0 ? sl_strmap_hash(key.data) : 0;
    if (found == 0)
        found = find_group(b, key.data, hash, &group, &at);
    text_clear(&key);
    if (found < 0)
        return NULL;
    if (found)
        return &b->gathered[group];
    sl_planned_fulfillment *planned = new_group(b, row, match);
    if (!planned)
        return NULL;
    b->groups[at] = (group_slot){ hash, index + 1 };   /* gather_row sets its row_group */
    b->group_count++;
    return planned;
}

/* ------------------------------------------------------------------ the two passes */

/* First pass: the row's group (made when new), and room counted in it for the row, its
 * tracking numbers and its items; the counts are upper bounds until the second pass. */
static int gather_row(builder *b, size_t index)
{
    const sl_row *row = &b->rows[index];
    const sl_match *match = &b->matches[index];
    sl_planned_fulfillment *planned = group_of(b, index);
    if (!planned)
        return -1;
    b->row_group[index] = (size_t)(planned - b->gathered) + 1;
    planned->row_count++;
    planned->tracking_count += row->tracking_count;
    if (match->op == SL_MATCH_CREATE && match->item)
        planned->item_count++;
    else if (match->op == SL_MATCH_CREATE && b->whole_as_items && planned->item_count == 0)
        planned->item_count = remaining_item_count(match->package);
    return 0;
}

/* Between the passes: each group's lists carved from three blocks sized by the counts, the
 * counts then zeroed for the second pass to fill. */
static int carve_lists(builder *b)
{
    size_t rows = 0, tracking = 0, items = 0;
    for (size_t g = 0; g < b->gathered_count; g++) {
        rows += b->gathered[g].row_count;
        tracking += b->gathered[g].tracking_count;
        items += b->gathered[g].item_count;
    }
    b->lists.rows = malloc((rows ? rows : 1) * sizeof(*b->lists.rows));
    b->lists.tracking = malloc((tracking ? tracking : 1) * sizeof(*b->lists.tracking));
    b->lists.items = calloc(items ? items : 1, sizeof(*b->lists.items));
    if (!b->lists.rows || !b->lists.tracking || !b->lists.items)
        return -1;
    rows = tracking = items = 0;
    for (size_t g = 0; g < b->gathered_count; g++) {
        sl_planned_fulfillment *planned = &b->gathered[g];
        planned->rows = b->lists.rows + rows;
        planned->tracking_numbers = planned->tracking_count ? b->lists.tracking + tracking
                                                            : NULL;
        planned->items = planned->item_count ? b->lists.items + items : NULL;
        rows += planned->row_count;
        tracking += planned->tracking_count;
        items += planned->item_count;
        planned->row_count = planned->tracking_count = planned->item_count = 0;
    }
    return 0;
}

/* Distinct tracking numbers (case aside), in row order: within the room the first pass
 * counted. */
static void add_tracking(sl_planned_fulfillment *planned, const sl_row *row)
{
    for (size_t i = 0; i < row->tracking_count; i++) {
        int known = 0;
        for (size_t t = 0; t < planned->tracking_count && !known; t++)
            known = strcasecmp(planned->tracking_numbers[t], row->tracking_numbers[i]) == 0;
        if (!known)
            planned->tracking_numbers[planned->tracking_count++] = row->tracking_numbers[i];
    }
}

/* One item per line item: a second row for the same item adds its quantity. */
static void add_item(sl_planned_fulfillment *planned, const sl_match *match)
{
    for (size_t i = 0; i < planned->item_count; i++)
        if (strcmp(planned->items[i].id, match->item->id) == 0) {
            planned->items[i].quantity += match->quantity;
            return;
        }
    sl_item *item = &planned->items[planned->item_count++];
    item->id = match->item->id;     /* borrowed from the order */
    item->sku = match->item->sku;
    item->quantity = match->quantity;
}

/* A whole-unit create on a platform without a "whole unit" form: every item of the unit that
 * has something left, with what is left. */
static void add_remaining_items(sl_planned_fulfillment *planned, const sl_unit *unit)
{
    for (size_t i = 0; i < unit->item_count; i++) {
        long left = unit->items[i].quantity - unit->items[i].fulfilled_quantity;
        if (left <= 0)
            continue;
        sl_item *item = &planned->items[planned->item_count++];
        item->id = unit->items[i].id;   /* borrowed from the order */
        item->sku = unit->items[i].sku;
        item->quantity = left;
    }
}

/* Second pass: the row into its group's lists. */
static void fill_row(builder *b, size_t index)
{
    const sl_row *row = &b->rows[index];
    const sl_match *match = &b->matches[index];
    sl_planned_fulfillment *planned = &b->gathered[b->row_group[index] - 1];
    planned->rows[planned->row_count++] = index;
    if (planned->notify < 0)
        planned->notify = row->notify;
    add_tracking(planned, row);
    if (match->op == SL_MATCH_CREATE && !match->item && b->whole_as_items) {
        if (planned->item_count == 0)
            add_remaining_items(planned, match->package);
    } else if (match->op == SL_MATCH_CREATE && match->item) {
        add_item(planned, match);
    }
}

/* ------------------------------------------------------------------ requests */

/* Per order while packing: its bulk request still taking entries, and its request count. */
typedef struct order_slot {
    size_t open_request;        /* index + 1; 0: none */
    size_t requests;
} order_slot;

static int pack_requests(builder *b, sl_plan *plan, size_t batch)
{
    sl_strmap *orders = sl_strmap_new_borrowing(b->gathered_count / 2 + 16);  /* ids: orders' */
    order_slot *slots = NULL;
    size_t slot_count = 0, requests_cap = 0;
    if (!orders)
        return -1;
    for (size_t g = 0; g < b->gathered_count; g++) {
        sl_planned_fulfillment *planned = &b->gathered[g];
        uintptr_t slot_index = (uintptr_t)sl_strmap_get(orders, planned->order_id);
        if (!slot_index) {
            if (make_room((void **)&slots, slot_count, sizeof(*slots)) ||
                sl_strmap_put(orders, planned->order_id, (void *)(uintptr_t)(slot_count + 1)))
                goto oom;
            slots[slot_count++] = (order_slot){ 0, 0 };
            slot_index = slot_count;
        }
        order_slot *slot = &slots[slot_index - 1];
        sl_planned_request *request = NULL;
        if (planned->kind == SL_PLAN_CREATE && slot->open_request &&
            plan->requests[slot->open_request - 1].count < batch)
            request = &plan->requests[slot->open_request - 1];
        if (!request) {
            if (make_room_gently((void **)&plan->requests, plan->request_count,
                                 &requests_cap, sizeof(*plan->requests)))
                goto oom;
            request = &plan->requests[plan->request_count++];
            *request = (sl_planned_request){ planned->kind, planned->order_id, 0, 0,
                                             slot->requests++ };
            if (planned->kind == SL_PLAN_CREATE)
                slot->open_request = plan->request_count;
        }
        planned->request = (size_t)(request - plan->requests);
        planned->entry = request->count++;
    }
    sl_strmap_free(orders);
    free(slots);
    return 0;
oom:
    sl_strmap_free(orders);
    free(slots);
    return -1;
}

/* Lays the fulfillments out request by request, entries in order: a permutation applied in
 * place, so the gathered array becomes the plan's without a second copy. */
static int lay_out(builder *b, sl_plan *plan)
{
    size_t next = 0, count = b->gathered_count;
    for (size_t r = 0; r < plan->request_count; r++) {
        plan->requests[r].first = next;
        next += plan->requests[r].count;
    }
    if (count == 0)
        return 0;
    size_t *place = malloc(count * sizeof(*place));
    if (!place)
        return -1;
    sl_planned_fulfillment *all = b->gathered;
    for (size_t g = 0; g < count; g++)
        place[g] = plan->requests[all[g].request].first + all[g].entry;
    for (size_t g = 0; g < count; g++)
        while (place[g] != g) {
            size_t to = place[g];
            sl_planned_fulfillment moved = all[to];
            all[to] = all[g];
            all[g] = moved;
            place[g] = place[to];
            place[to] = to;
        }
    free(place);
    sl_planned_fulfillment *exact = realloc(all, count * sizeof(*all));
    plan->fulfillments = exact ? exact : all;
    plan->fulfillment_count = count;
    b->gathered = NULL;
    b->gathered_count = 0;
    return 0;
}

static void plan_lists_clear(sl_plan_lists *lists)
{
    free(lists->rows);
    free(lists->tracking);
    free(lists->items);
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

/* The two passes over the plannable rows (see the top of the file). */
static int gather_and_fill(builder *b, size_t count)
{
    b->row_group = calloc(count ? count : 1, sizeof(*b->row_group));
    if (!b->row_group)
        return -1;
    for (size_t i = 0; i < count; i++)
        if (b->matches[i].op != SL_MATCH_NONE && b->rows[i].status == SL_STATUS_PENDING &&
            gather_row(b, i))
            return -1;
    free(b->groups);                /* the groups are known: their table is not needed */
    b->groups = NULL;
    if (carve_lists(b))
        return -1;
    for (size_t i = 0; i < count; i++)
        if (b->row_group[i])
            fill_row(b, i);
    free(b->row_group);
    b->row_group = NULL;
    return 0;
}

sl_plan *sl_plan_build(const sl_row *rows, const sl_match *matches, size_t count,
                       const sl_plan_options *options, sl_error *err)
{
    size_t batch = options && options->batch_size ? options->batch_size : DEFAULT_BATCH;
    int default_notify = options ? options->default_notify : -1;
    builder b = { .rows = rows, .matches = matches,
                  .whole_as_items = options ? options->whole_as_items : 0,
                  .default_status = options ? options->default_status : NULL,
                  .options = options };
    sl_plan *plan = calloc(1, sizeof(*plan));
    if (!plan || gather_and_fill(&b, count))
        goto oom;
    for (size_t g = 0; g < b.gathered_count; g++) {
        if (b.gathered[g].notify < 0)
            b.gathered[g].notify = default_notify;
        b.gathered[g].notified = notified(&b.gathered[g], options);
    }
    plan->lists = b.lists;          /* the plan owns the lists from here */
    memset(&b.lists, 0, sizeof(b.lists));
    if (pack_requests(&b, plan, batch) || lay_out(&b, plan))
        goto oom;
    return plan;
oom:
    free(b.groups);
    free(b.row_group);
    free(b.gathered);
    plan_lists_clear(&b.lists);
    sl_plan_free(plan);
    sl_error_set(err, "out of memory planning fulfillments");
    return NULL;
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
