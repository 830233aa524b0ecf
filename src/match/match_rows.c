/* match_rows.c: matching the run's rows, in row order, to orders, packages, items and
 * fulfillments (spec §6), with the remaining-quantity ledger that keeps two rows from claiming
 * the same unit. Per ship row: the order (order_index.c), then "already done" (a fulfillment
 * carrying one of the row's tracking numbers for its package or item: duplicate), then the
 * package (explicit reference, else the open package holding the item with enough left, else
 * the only open package), then the ledger claim, or a conflict when the store shipped it with
 * other tracking numbers. Update and cancel rows find their fulfillment by tracking number.
 * Rows already decided (invalid, skipped, ...) are left alone. Planning is the plan stage. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "shipload/validate.h"
#include "match/match_internal.h"

/* Candidates listed in a message, at most. */
#define LISTED_MAX 5

typedef struct row_context {
    order_entry *entry;
    const sl_order *order;
    sl_row *row;
    sl_match *match;
    const sl_match_options *options;
    const char *order_label;        /* the order's name, else its id, for messages */
} row_context;

/* ------------------------------------------------------------------ small predicates */

static int has_text(const char *text)
{
    return text && text[0];
}

/* 1 when the row gives no tracking URL or the fulfillment carries the same (a URL validation
 * derived is built for the comparison). */
static int url_same(const sl_row *row, const sl_fulfillment *fulfillment)
{
    sl_row_url room;
    const char *url = sl_row_tracking_url(row, &room);
    int same = !has_text(url) || (fulfillment->url && strcmp(fulfillment->url, url) == 0);
    sl_row_url_free(&room);
    return same;
}

static int fulfillment_active(const sl_fulfillment *fulfillment)
{
    return sl_fulfillment_active(fulfillment);
}

/* Canceled or refunded: nothing can be shipped from it. */
static int package_closed(const sl_unit *package)
{
    return package->status == SL_UNIT_STATUS_CANCELED ||
           package->status == SL_UNIT_STATUS_REFUNDED;
}

/* The id fulfillments name their unit by (its write_id, else its id). */
static const char *package_key(const sl_unit *package)
{
    return package->write_id ? package->write_id : package->id;
}

static const char *package_label(const sl_unit *package)
{
    return package->number ? package->number : package_key(package);
}

/* Where a row's item lies, for messages: "package 1001-1", or "order #1001" on platforms whose
 * orders have no packages of their own (their one unit is the order). */
static const char *unit_place(const row_context *ctx, const sl_unit *package, char *buf,
                              size_t cap)
{
    if (ctx->options && ctx->options->ignore_package_refs)
        snprintf(buf, cap, "order %s", ctx->order_label);
    else
        snprintf(buf, cap, "package %s", package_label(package));
    return buf;
}

/* A fulfillment that does not name its package could be on any: for "already done" that is
 * the safe reading (nothing is shipped twice). */
static int fulfillment_on_package(const sl_fulfillment *fulfillment, const sl_unit *package)
{
    return !fulfillment->unit_write_id ||
           strcmp(fulfillment->unit_write_id, package_key(package)) == 0;
}

static int fulfillment_has_tracking(const sl_fulfillment *fulfillment, const char *number)
{
    return sl_tracking_set_has((const char *const *)fulfillment->tracking_numbers,
                               fulfillment->tracking_count, number);
}

static int tracking_shared(const sl_row *row, const sl_fulfillment *fulfillment)
{
    for (size_t i = 0; i < row->tracking_count; i++)
        if (fulfillment_has_tracking(fulfillment, row->tracking_numbers[i]))
            return 1;
    return 0;
}

/* The same set of numbers, ignoring order, case and repeats. */
static int tracking_same_set(const sl_row *row, const sl_fulfillment *fulfillment)
{
    return sl_tracking_sets_equal((const char *const *)row->tracking_numbers,
                                  row->tracking_count,
                                  (const char *const *)fulfillment->tracking_numbers,
                                  fulfillment->tracking_count);
}

static int row_names_item(const sl_row *row)
{
    return has_text(sl_row_line_item_id(row)) || has_text(row->sku);
}

/* The row's item: by line item id when it gives one, else by SKU. */
static int item_matches(const sl_row *row, const sl_item *item)
{
    if (has_text(sl_row_line_item_id(row)))
        return item->id && strcmp(item->id, sl_row_line_item_id(row)) == 0;
    return item->sku && strcmp(item->sku, row->sku) == 0;
}

static const char *item_label_kind(const sl_row *row)
{
    return has_text(sl_row_line_item_id(row)) ? "line item" : "SKU";
}

static const char *item_label(const sl_row *row)
{
    return has_text(sl_row_line_item_id(row)) ? sl_row_line_item_id(row) : row->sku;
}

static long item_index_in(const sl_row *row, const sl_unit *package)
{
    for (size_t i = 0; i < package->item_count; i++)
        if (item_matches(row, &package->items[i]))
            return (long)i;
    return -1;
}

/* Whether line item id `id` is the row's item, looked up among the order's items. */
static int item_id_is_rows(const sl_order *order, const sl_row *row, const char *id)
{
    if (!id)
        return 0;
    if (has_text(sl_row_line_item_id(row)))
        return strcmp(id, sl_row_line_item_id(row)) == 0;
    for (size_t i = 0; i < order->item_count; i++)
        if (order->items[i].id && strcmp(order->items[i].id, id) == 0 &&
            item_matches(row, &order->items[i]))
            return 1;
    for (size_t p = 0; p < order->unit_count; p++)
        for (size_t i = 0; i < order->units[p].item_count; i++) {
            const sl_item *item = &order->units[p].items[i];
            if (item->id && strcmp(item->id, id) == 0 && item_matches(row, item))
                return 1;
        }
    return 0;
}

/* Whether fulfillment shipped (some of) the row's item: listed, or, for a fulfillment without
 * items (the whole package), held by its package. */
static int fulfillment_holds_item(const sl_order *order, const sl_fulfillment *fulfillment,
                                  const sl_row *row)
{
    for (size_t i = 0; i < fulfillment->item_count; i++)
        if (item_id_is_rows(order, row, fulfillment->items[i].id))
            return 1;
    if (fulfillment->item_count)
        return 0;
    for (size_t p = 0; p < order->unit_count; p++)
        if (fulfillment->unit_write_id &&
            fulfillment_on_package(fulfillment, &order->units[p]) &&
            item_index_in(row, &order->units[p]) >= 0)
            return 1;
    return !fulfillment->unit_write_id;
}

static long package_index(const sl_order *order, const sl_unit *package)
{
    return (long)(package - order->units);
}

/* Quantity left in the unit before the run (quantity - fulfilled quantity). */
static long initial_left(const sl_item *item)
{
    long left = item->quantity - item->fulfilled_quantity;
    return left > 0 ? left : 0;
}

static long package_initial_left(const sl_unit *package)
{
    long total = 0;
    for (size_t i = 0; i < package->item_count; i++)
        total += initial_left(&package->items[i]);
    return total;
}

/* Nothing left to ship in it before the run started. */
static int package_fully_shipped(const sl_unit *package)
{
    if (package->item_count)
        return package_initial_left(package) == 0;
    return package->status == SL_UNIT_STATUS_SHIPPED ||
           package->status == SL_UNIT_STATUS_DELIVERED;
}

/* ------------------------------------------------------------------ deciding */

static void decide(row_context *ctx, sl_status status, sl_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void decide(row_context *ctx, sl_status status, sl_code code, const char *fmt, ...)
{
    char message[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    ctx->match->op = SL_MATCH_NONE;
    sl_row_fail(ctx->row, status, code, "%s", message);
}

static int set_package(row_context *ctx, const char *fulfillment_order_id)
{
    return sl_row_set(&ctx->row->fulfillment_order_id, fulfillment_order_id);
}

static int act_on_fulfillment(row_context *ctx, sl_match_op op, const sl_fulfillment *target)
{
    ctx->match->op = op;
    ctx->match->part = (uint32_t)(target - ctx->order->fulfillments);
    if (set_package(ctx, target->unit_write_id) ||
        sl_row_set_fulfillment_id(ctx->row, target->id))
        return -1;
    return 0;
}

static int duplicate(row_context *ctx, const sl_fulfillment *done, const char *why)
{
    if (set_package(ctx, done->unit_write_id) ||
        sl_row_set_fulfillment_id(ctx->row, done->id))
        return -1;
    decide(ctx, SL_STATUS_DUPLICATE, SL_CODE_NONE, "%s (fulfillment %s)", why, done->id);
    return 0;
}

static void list_packages(char *buf, size_t cap, const sl_unit *const *packages,
                          size_t count)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < count && i < LISTED_MAX && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s (%s)", i ? ", " : "",
                                 package_key(packages[i]), package_label(packages[i]));
    if (count > LISTED_MAX && used < cap)
        snprintf(buf + used, cap - used, ", and %zu more", count - LISTED_MAX);
}

static void list_tracking(char *buf, size_t cap, const sl_fulfillment *fulfillment)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < fulfillment->tracking_count && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ";" : "",
                                 fulfillment->tracking_numbers[i]);
    if (!buf[0])
        snprintf(buf, cap, "no tracking number");
}

/* ------------------------------------------------------------------ conflicts */

/* The package (or the row's item in it; package NULL: anywhere in the order) was shipped
 * before with other tracking numbers. --on-conflict=update turns the row into a PUT of the one
 * fulfillment that did it; otherwise (skip, fail, or no single fulfillment) it is a conflict. */
static int conflict(row_context *ctx, const sl_unit *package, int item_row)
{
    const sl_fulfillment *found = NULL;
    size_t candidates = 0;
    for (size_t f = 0; f < ctx->order->fulfillment_count; f++) {
        const sl_fulfillment *fulfillment = &ctx->order->fulfillments[f];
        if (!fulfillment_active(fulfillment) ||
            (package && !fulfillment_on_package(fulfillment, package)) ||
            (item_row && !fulfillment_holds_item(ctx->order, fulfillment, ctx->row)))
            continue;
        if (!found)
            found = fulfillment;
        candidates++;
    }
    char what[256], tracking[256], place[160];
    if (item_row && package)
        snprintf(what, sizeof(what), "%s %s of %s", item_label_kind(ctx->row),
                 item_label(ctx->row), unit_place(ctx, package, place, sizeof(place)));
    else if (item_row)
        snprintf(what, sizeof(what), "%s %s", item_label_kind(ctx->row), item_label(ctx->row));
    else if (package)
        snprintf(what, sizeof(what), "%s", unit_place(ctx, package, place, sizeof(place)));
    else
        snprintf(what, sizeof(what), "every package of order %s", ctx->order_label);
    if (package && set_package(ctx, package_key(package)))
        return -1;
    if (ctx->options->on_conflict == SL_ON_CONFLICT_UPDATE && candidates == 1)
        return act_on_fulfillment(ctx, SL_MATCH_UPDATE, found);
    if (!found) {
        decide(ctx, SL_STATUS_CONFLICT, SL_CODE_ALREADY_FULFILLED_DIFFERENT_TRACKING,
               "%s already fulfilled (no fulfillment with this tracking number)", what);
        return 0;
    }
    list_tracking(tracking, sizeof(tracking), found);
    decide(ctx, SL_STATUS_CONFLICT, SL_CODE_ALREADY_FULFILLED_DIFFERENT_TRACKING,
           "%s already fulfilled with tracking %s (fulfillment %s%s)%s", what, tracking,
           found->id, candidates > 1 ? " and others" : "",
           ctx->options->on_conflict == SL_ON_CONFLICT_UPDATE
               ? "; cannot tell which fulfillment to update" : "");
    return 0;
}

/* ------------------------------------------------------------------ ledger claims */

static int create(row_context *ctx, const sl_unit *package, const sl_item *item,
                  long quantity)
{
    ctx->match->op = SL_MATCH_CREATE;
    ctx->match->part = (uint32_t)(package - ctx->order->units);
    ctx->match->item = item ? (uint32_t)(item - package->items) + 1 : 0;
    ctx->match->quantity = (int32_t)quantity;   /* at most the item's quantity */
    return set_package(ctx, package_key(package));
}

/* The row's item (index k of package): quantity, or 0 for all that remains of it. */
static int claim_item(row_context *ctx, const sl_unit *package, long k)
{
    long p = package_index(ctx->order, package);
    const sl_item *item = &package->items[k];
    long before = initial_left(item);
    int32_t *left = &sl_order_entry_left(ctx->entry, (size_t)p)[k];
    long wanted = ctx->row->quantity;
    if (before == 0)
        return conflict(ctx, package, 1);
    if (*left == 0 || wanted > *left) {
        char earlier[96] = "", place[160];
        if (*left < before)
            snprintf(earlier, sizeof(earlier), " (earlier rows of this run claim %ld)",
                     before - (long)*left);
        if (set_package(ctx, package_key(package)))
            return -1;
        if (wanted > 0)
            decide(ctx, SL_STATUS_UNMATCHED, SL_CODE_QUANTITY_EXCEEDS_REMAINING,
                   "quantity %ld exceeds the %ld remaining of %s %s in %s%s", wanted,
                   (long)*left, item_label_kind(ctx->row), item_label(ctx->row),
                   unit_place(ctx, package, place, sizeof(place)), earlier);
        else
            decide(ctx, SL_STATUS_UNMATCHED, SL_CODE_QUANTITY_EXCEEDS_REMAINING,
                   "nothing remains of %s %s in %s%s", item_label_kind(ctx->row),
                   item_label(ctx->row), unit_place(ctx, package, place, sizeof(place)),
                   earlier);
        return 0;
    }
    long claimed = wanted > 0 ? wanted : *left;
    *left -= claimed;
    return create(ctx, package, item, claimed);
}

/* All that remains of the package. Several such rows for one package make one fulfillment
 * carrying all their numbers (spec §7), so a package a row of this run took whole is joined. */
static int claim_whole(row_context *ctx, const sl_unit *package)
{
    long p = package_index(ctx->order, package);
    if (sl_order_entry_whole_claimed(ctx->entry, (size_t)p))
        return create(ctx, package, NULL, 0);
    if (package_fully_shipped(package))
        return conflict(ctx, package, 0);
    long left = 0;
    int32_t *remaining = sl_order_entry_left(ctx->entry, (size_t)p);
    for (size_t i = 0; i < package->item_count; i++)
        left += remaining[i];
    if (package->item_count && left == 0) {
        char place[160];
        if (set_package(ctx, package_key(package)))
            return -1;
        decide(ctx, SL_STATUS_UNMATCHED, SL_CODE_QUANTITY_EXCEEDS_REMAINING,
               "nothing remains in %s: earlier rows of this run claim all of it",
               unit_place(ctx, package, place, sizeof(place)));
        return 0;
    }
    for (size_t i = 0; i < package->item_count; i++)
        remaining[i] = 0;
    sl_order_entry_claim_whole(ctx->entry, (size_t)p);
    return create(ctx, package, NULL, 0);
}

/* A quantity without an item: the package's only item line, else the row cannot say what. */
static int claim_quantity(row_context *ctx, const sl_unit *package)
{
    char place[160];
    if (package->item_count == 1)
        return claim_item(ctx, package, 0);
    if (set_package(ctx, package_key(package)))
        return -1;
    decide(ctx, SL_STATUS_UNMATCHED, SL_CODE_ITEM_NOT_FOUND,
           "quantity %ld given without a SKU or line item, and %s holds %zu items",
           (long)ctx->row->quantity, unit_place(ctx, package, place, sizeof(place)),
           (size_t)package->item_count);
    return 0;
}

/* ------------------------------------------------------------------ choosing the package */

static const sl_unit *package_by_ref(const sl_order *order, const char *ref)
{
    static const size_t fields[] = { offsetof(sl_unit, write_id),
                                     offsetof(sl_unit, id), offsetof(sl_unit, number) };
    for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
        for (size_t p = 0; p < order->unit_count; p++) {
            const char *value = *(char *const *)((const char *)&order->units[p] + fields[f]);
            if (value && strcmp(value, ref) == 0)
                return &order->units[p];
        }
    return NULL;
}

/* The open packages holding the row's item; the ones with enough left come first. */
static int ship_item_without_package(row_context *ctx)
{
    const sl_order *order = ctx->order;
    const sl_unit *holders[64], *fitting[64];
    long holder_items[64], fitting_items[64];
    size_t holder_count = 0, fitting_count = 0, extra = 0;
    long needed = ctx->row->quantity > 0 ? ctx->row->quantity : 1, left_total = 0, before = 0;
    for (size_t p = 0; p < order->unit_count; p++) {
        const sl_unit *package = &order->units[p];
        long k = package_closed(package) ? -1 : item_index_in(ctx->row, package);
        if (k < 0)
            continue;
        if (holder_count == 64) {
            extra++;
            continue;
        }
        long left = sl_order_entry_left(ctx->entry, p)[k];
        left_total += left;
        before += initial_left(&package->items[k]);
        holders[holder_count] = package;
        holder_items[holder_count++] = k;
        if (left >= needed && !sl_order_entry_whole_claimed(ctx->entry, p)) {
            fitting[fitting_count] = package;
            fitting_items[fitting_count++] = k;
        }
    }
    if (fitting_count == 1)
        return claim_item(ctx, fitting[0], fitting_items[0]);
    char listed[320];
    if (fitting_count > 1) {
        list_packages(listed, sizeof(listed), fitting, fitting_count);
        decide(ctx, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_AMBIGUOUS,
               "%s %s is in several open packages of order %s: %s; give the package",
               item_label_kind(ctx->row), item_label(ctx->row), ctx->order_label, listed);
        return 0;
    }
    if (holder_count == 0) {
        decide(ctx, SL_STATUS_UNMATCHED, SL_CODE_ITEM_NOT_FOUND,
               "no %s %s in any open package of order %s", item_label_kind(ctx->row),
               item_label(ctx->row), ctx->order_label);
        return 0;
    }
    if (holder_count == 1 && !extra)
        return claim_item(ctx, holders[0], holder_items[0]);
    if (before == 0)                    /* shipped everywhere, with other numbers */
        return conflict(ctx, NULL, 1);
    list_packages(listed, sizeof(listed), holders, holder_count);
    decide(ctx, SL_STATUS_UNMATCHED, SL_CODE_QUANTITY_EXCEEDS_REMAINING,
           "no package of order %s has %ld of %s %s left (%ld in all, in %s)", ctx->order_label,
           needed, item_label_kind(ctx->row), item_label(ctx->row), left_total, listed);
    return 0;
}

/* No package and no item: the order's only open package. */
static int ship_without_package(row_context *ctx)
{
    const sl_order *order = ctx->order;
    const sl_unit *open[64], *shipped = NULL;
    size_t open_count = 0, shipped_count = 0;
    for (size_t p = 0; p < order->unit_count; p++) {
        const sl_unit *package = &order->units[p];
        if (package_closed(package))
            continue;
        if (package_fully_shipped(package)) {
            shipped = package;
            shipped_count++;
        } else if (open_count < 64) {
            open[open_count++] = package;
        } else {
            open_count++;
        }
    }
    if (open_count > 1) {
        char listed[320];
        list_packages(listed, sizeof(listed), open, open_count < 64 ? open_count : 64);
        decide(ctx, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_AMBIGUOUS,
               "order %s has %zu open packages: %s; give the package or the SKU",
               ctx->order_label, open_count, listed);
        return 0;
    }
    const sl_unit *package = open_count == 1 ? open[0] : shipped;
    if (open_count == 0 && shipped_count == 0) {
        decide(ctx, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_NOT_FOUND,
               "order %s has no package to ship", ctx->order_label);
        return 0;
    }
    if (open_count == 0 && shipped_count > 1)
        return conflict(ctx, NULL, 0);
    return ctx->row->quantity > 0 ? claim_quantity(ctx, package) : claim_whole(ctx, package);
}

static int unknown_package(row_context *ctx)
{
    const sl_unit *listed_packages[LISTED_MAX] = { NULL };
    size_t count = 0;
    for (size_t p = 0; p < ctx->order->unit_count && count < LISTED_MAX; p++)
        listed_packages[count++] = &ctx->order->units[p];
    char listed[320];
    list_packages(listed, sizeof(listed), listed_packages, count);
    decide(ctx, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_NOT_FOUND,
           "no package %s in order %s (its packages: %s)", ctx->row->package_ref,
           ctx->order_label, count ? listed : "none");
    return 0;
}

/* The first active fulfillment carrying one of the row's numbers for the package or item. */
static const sl_fulfillment *already_done(const row_context *ctx, const sl_unit *package)
{
    for (size_t f = 0; f < ctx->order->fulfillment_count; f++) {
        const sl_fulfillment *fulfillment = &ctx->order->fulfillments[f];
        if (!fulfillment_active(fulfillment) || !tracking_shared(ctx->row, fulfillment) ||
            (package && !fulfillment_on_package(fulfillment, package)) ||
            (row_names_item(ctx->row) &&
             !fulfillment_holds_item(ctx->order, fulfillment, ctx->row)))
            continue;
        return fulfillment;
    }
    return NULL;
}

/* The row's package reference, or NULL: on a platform without packages of its own
 * (options->ignore_package_refs) a reference is ignored and the row says so in a warning. */
static const char *package_ref(row_context *ctx)
{
    if (!has_text(ctx->row->package_ref))
        return NULL;
    if (ctx->options && ctx->options->ignore_package_refs) {
        sl_row_warn_as(ctx->row, SL_WARNING_PACKAGE_IGNORED,
                       "package_id %s ignored: the platform has no packages",
                       ctx->row->package_ref);
        return NULL;
    }
    return ctx->row->package_ref;
}

static int match_ship(row_context *ctx)
{
    const sl_unit *package = NULL;
    const char *ref = package_ref(ctx);
    if (ref && !(package = package_by_ref(ctx->order, ref)))
        return unknown_package(ctx);
    const sl_fulfillment *done = already_done(ctx, package);
    if (done)
        return duplicate(ctx, done, "tracking number already fulfilled");
    if (sl_order_entry_ledger(ctx->entry))
        return -1;
    if (!package)
        return row_names_item(ctx->row) ? ship_item_without_package(ctx)
                                         : ship_without_package(ctx);
    if (package_closed(package)) {
        char place[160];
        decide(ctx, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_NOT_FOUND, "%s is %s",
               unit_place(ctx, package, place, sizeof(place)),
               package->status_text ? package->status_text : "closed");
        return 0;
    }
    if (row_names_item(ctx->row)) {
        long k = item_index_in(ctx->row, package);
        if (k < 0) {
            char place[160];
            decide(ctx, SL_STATUS_UNMATCHED, SL_CODE_ITEM_NOT_FOUND, "no %s %s in %s",
                   item_label_kind(ctx->row), item_label(ctx->row),
                   unit_place(ctx, package, place, sizeof(place)));
            return 0;
        }
        return claim_item(ctx, package, k);
    }
    return ctx->row->quantity > 0 ? claim_quantity(ctx, package) : claim_whole(ctx, package);
}

/* ------------------------------------------------------------------ update and cancel */

/* The status an action=status row wants: its own, else the run's. */
static const char *wanted_status(const row_context *ctx)
{
    const char *own = sl_row_cols(ctx->row)->fulfillment_status;
    return has_text(own) ? own : ctx->options->default_status;
}

/* Two status words alike, ignoring ASCII case and spaces around them. */
static int same_status(const char *a, const char *b)
{
    while (a && (*a == ' ' || *a == '\t'))
        a++;
    size_t len = a ? strlen(a) : 0;
    while (len > 0 && (a[len - 1] == ' ' || a[len - 1] == '\t'))
        len--;
    return a && b && strlen(b) == len && strncasecmp(a, b, len) == 0;
}

/* action=status on the fulfillment found: nothing to send when it has that status already. */
static int change_status(row_context *ctx, const sl_fulfillment *active)
{
    const char *wanted = wanted_status(ctx);
    if (!wanted) {
        decide(ctx, SL_STATUS_INVALID, SL_CODE_BAD_VALUE,
               "a status row needs a fulfillment_status (a column, or --fulfillment-status)");
        return 0;
    }
    if (same_status(wanted, active->status_text))
        return duplicate(ctx, active, "fulfillment already has this status");
    return act_on_fulfillment(ctx, SL_MATCH_STATUS, active);
}

/* The fulfillment an update, cancel or status row names by its tracking numbers. */
static int match_change(row_context *ctx)
{
    const sl_unit *package = NULL;
    const char *ref = package_ref(ctx);
    if (ref && !(package = package_by_ref(ctx->order, ref)))
        return unknown_package(ctx);
    const sl_fulfillment *active = NULL, *canceled = NULL;
    size_t active_count = 0;
    char listed[320] = "";
    size_t used = 0;
    for (size_t f = 0; f < ctx->order->fulfillment_count; f++) {
        const sl_fulfillment *fulfillment = &ctx->order->fulfillments[f];
        if (!tracking_shared(ctx->row, fulfillment) ||
            (package && !fulfillment_on_package(fulfillment, package)))
            continue;
        if (!fulfillment_active(fulfillment)) {
            canceled = canceled ? canceled : fulfillment;
            continue;
        }
        if (used < sizeof(listed))
            used += (size_t)snprintf(listed + used, sizeof(listed) - used, "%s%s", used ? ", " : "",
                                     fulfillment->id);
        active = active ? active : fulfillment;
        active_count++;
    }
    char tracking[256];
    sl_row_tracking_joined(ctx->row, tracking, sizeof(tracking));
    int cancel = ctx->row->action == SL_ACTION_CANCEL;
    if (active_count > 1) {
        decide(ctx, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_AMBIGUOUS,
               "tracking %s is on several fulfillments of order %s: %s; give the package",
               tracking, ctx->order_label, listed);
        return 0;
    }
    if (!active && canceled && cancel)
        return duplicate(ctx, canceled, "already canceled");
    if (!active) {
        if (canceled)
            decide(ctx, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_NOT_FOUND,
                   "the fulfillment with tracking %s (%s) is canceled: nothing to update",
                   tracking, canceled->id);
        else
            decide(ctx, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_NOT_FOUND,
                   "no fulfillment with tracking %s in order %s to %s", tracking,
                   ctx->order_label, cancel ? "cancel" : "update");
        return 0;
    }
    if (cancel)
        return act_on_fulfillment(ctx, SL_MATCH_CANCEL, active);
    if (ctx->row->action == SL_ACTION_STATUS)
        return change_status(ctx, active);
    /* an update that changes nothing was done before (a re-run) */
    if (tracking_same_set(ctx->row, active) &&
        (!has_text(ctx->row->carrier) ||
         (active->company && strcasecmp(active->company, ctx->row->carrier) == 0)) &&
        url_same(ctx->row, active))
        return duplicate(ctx, active, "fulfillment already carries this tracking");
    return act_on_fulfillment(ctx, SL_MATCH_UPDATE, active);
}

/* ------------------------------------------------------------------ the run */

/* An order whose further reads failed or were never made cannot be matched safely. */
static int order_unready(row_context *ctx)
{
    if (ctx->entry->failed) {
        decide(ctx, ctx->entry->failed->status, ctx->entry->failed->code, "%s",
               ctx->entry->failed->message);
        return 1;
    }
    const char *missing = NULL;
    if (sl_order_needs_packages(ctx->order))
        missing = "packages";
    else if (sl_order_needs_fulfillments(ctx->order, ctx->row->action != SL_ACTION_SHIP))
        missing = "fulfillments";
    if (!missing)
        return 0;
    decide(ctx, SL_STATUS_NOT_ATTEMPTED, SL_CODE_RUN_STOPPED,
           "the %s of order %s were not read: the run stopped before", missing,
           ctx->order_label);
    return 1;
}

static int match_row(sl_order_index *index, sl_row *row, sl_match *match,
                     const sl_match_options *options)
{
    sl_order_lookup lookup;
    row_context ctx = { .row = row, .match = match, .options = options };
    ctx.entry = sl_order_index_resolve(index, row->order_ref, row->order_ref_kind, &lookup);
    if (lookup.order && (sl_row_set(&row->order_id, lookup.order->id) ||
                         sl_row_set(&row->order_name, lookup.order->name)))
        return -1;
    if (!ctx.entry) {
        decide(&ctx, lookup.status, lookup.code, "%s", lookup.message);
        return 0;
    }
    ctx.order = ctx.entry->order;
    ctx.order_label = ctx.order->name ? ctx.order->name : ctx.order->id;
    match->order = ctx.order;
    if (order_unready(&ctx))
        return 0;
    return row->action == SL_ACTION_SHIP ? match_ship(&ctx) : match_change(&ctx);
}

static void count_row(const sl_row *row, const sl_match *match, sl_match_counts *counts)
{
    switch (match->op) {
    case SL_MATCH_CREATE: counts->create++; return;
    case SL_MATCH_UPDATE:
    case SL_MATCH_STATUS: counts->update++; return;
    case SL_MATCH_CANCEL: counts->cancel++; return;
    case SL_MATCH_NONE: break;
    }
    if (row->status == SL_STATUS_DUPLICATE)
        counts->duplicate++;
    else if (row->status == SL_STATUS_CONFLICT)
        counts->conflict++;
    else if (row->status == SL_STATUS_UNMATCHED)
        counts->unmatched++;
    else
        counts->other++;
}

int sl_match_rows(sl_order_index *index, sl_row *rows, size_t count,
                  const sl_match_options *options, sl_match *matches, sl_match_counts *counts,
                  sl_error *err)
{
    static const sl_match_options defaults = { SL_ON_CONFLICT_SKIP, 0, NULL, NULL, NULL };
    if (!options)
        options = &defaults;
    for (size_t i = 0; i < count; i++) {
        memset(&matches[i], 0, sizeof(matches[i]));
        if (rows[i].status != SL_STATUS_PENDING)
            continue;
        if (match_row(index, &rows[i], &matches[i], options))
            return sl_error_set(err, "out of memory matching row %zu", (size_t)rows[i].record);
        if (counts)
            count_row(&rows[i], &matches[i], counts);
        if (options->row_matched)
            options->row_matched(&rows[i], options->row_matched_data);
    }
    return 0;
}
