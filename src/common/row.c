/* row.c: life cycle of the canonical row and the helpers stages use to decide its outcome. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/row.h"

_Static_assert(SL_WARNING_COUNT <= 32, "warning_kinds holds one bit per warning kind");
_Static_assert(SL_CODE_COUNT <= 256 && SL_STATUS_COUNT <= 256 && SL_ACTION_STATUS < 256 &&
               SL_REF_NAME < 256, "a row holds its status, code, action and reference kind in "
               "one byte each");

void sl_row_init(sl_row *row)
{
    /* In two halves: GCC clears 128 bytes or more with a string instruction that is slow to
     * start (sl_row_reset runs once a record), each half with vector stores. */
    memset(row, 0, sizeof(*row) / 2);
    memset((char *)row + sizeof(*row) / 2, 0, sizeof(*row) - sizeof(*row) / 2);
    row->notify = -1;
    row->notified = -1;
    row->status = SL_STATUS_PENDING;
}

static int in_block(const sl_row *row, const void *p)
{
    if (!row->block)
        return 0;
    uintptr_t at = (uintptr_t)p, start = (uintptr_t)row->block->data;
    return at >= start && at < start + row->block->size;
}

void sl_row_drop(sl_row *row, char **slot)
{
    if (*slot && !in_block(row, *slot))
        free(*slot);
    *slot = NULL;
}

const sl_row_columns sl_row_no_columns;
const sl_row_extra sl_row_no_extra;

/* The row's string slots, all freed by sl_row_clear (with those of its own columns and of its
 * extra). */
static const size_t string_slots[] = {
    offsetof(sl_row, order_ref), offsetof(sl_row, package_ref), offsetof(sl_row, sku),
    offsetof(sl_row, carrier), offsetof(sl_row, order_id),
    offsetof(sl_row, fulfillment_order_id), offsetof(sl_row, fulfillment_id),
    offsetof(sl_row, message), offsetof(sl_row, order_name),
};

/* Frees p unless it lies in [start, end) (the row's block, read once by the caller: free() may
 * not change it, but the compiler cannot know). */
static inline void free_outside(void *p, uintptr_t start, uintptr_t end)
{
    if (p && ((uintptr_t)p < start || (uintptr_t)p >= end))
        free(p);
}

/* The row's block as [*start, *end) (empty without one), read once by the callers of
 * free_outside. */
static void block_range(const sl_row *row, uintptr_t *start, uintptr_t *end)
{
    *start = row->block ? (uintptr_t)row->block->data : 0;
    *end = row->block ? *start + row->block->size : 0;
}

/* Frees the row's own columns and their strings, those not in [start, end). */
static void free_columns(sl_row_columns *columns, uintptr_t start, uintptr_t end)
{
    if (!columns)
        return;
    char **strings[] = SL_ROW_COLUMN_SLOTS(columns);
    _Static_assert(sizeof(strings) == sizeof(*columns), "every string of the columns");
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        free_outside(*strings[i], start, end);
    free_outside(columns, start, end);
}

/* Frees the row's extra and its strings, those not in [start, end). */
static void free_extra(sl_row_extra *extra, uintptr_t start, uintptr_t end)
{
    if (!extra)
        return;
    char *strings[] = { extra->encoding_column, extra->line_item_id, extra->tracking_url,
                        extra->warning };
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        free_outside(strings[i], start, end);
    free_outside(extra, start, end);
}

/* Frees every string that is not in the block. */
static void free_strings(sl_row *row)
{
    uintptr_t start, end;
    block_range(row, &start, &end);
    if (row->shared & SL_ROW_SHARED_MESSAGE)
        row->message = NULL;
    if (row->shared & SL_ROW_SHARED_MATCHED)
        row->order_id = row->order_name = row->fulfillment_order_id = NULL;
    if (row->shared & SL_ROW_SHARED_FULFILLMENT)
        row->fulfillment_id = NULL;
    if (row->shared & SL_ROW_SHARED_COLUMNS)
        row->columns = NULL;
    for (size_t i = 0; i < sizeof(string_slots) / sizeof(string_slots[0]); i++)
        free_outside(*(char **)((char *)row + string_slots[i]), start, end);
    free_columns(row->columns, start, end);
    free_extra(row->extra, start, end);
    for (size_t i = 0; i < row->tracking_count; i++)
        free_outside(row->tracking_numbers[i], start, end);
    free_outside(row->tracking_numbers, start, end);
}

void sl_row_clear(sl_row *row)
{
    free_strings(row);
    free(row->block);
    sl_row_init(row);
}

void sl_row_reset(sl_row *row)
{
    free_strings(row);
    sl_row_block *block = row->block;
    sl_row_init(row);
    row->block = block;
    if (block)
        block->used = 0;
}

int sl_row_use_block(sl_row *row, size_t size)
{
    if (row->block)
        return 0;
    row->block = malloc(sizeof(*row->block) + size);
    if (!row->block)
        return -1;
    row->block->size = size;
    row->block->used = 0;
    return 0;
}

void *sl_row_alloc(sl_row *row, size_t size)
{
    sl_row_block *block = row->block;
    size_t at = block ? (block->used + sizeof(void *) - 1) & ~(sizeof(void *) - 1) : 0;
    if (block && size <= block->size && at <= block->size - size) {
        block->used = at + size;
        return block->data + at;
    }
    return malloc(size ? size : 1);
}

int sl_row_replace(sl_row *row, char **slot, const char *value)
{
    char *copy = NULL;
    if (value) {
        size_t len = strlen(value);
        if (!(copy = sl_row_alloc(row, len + 1)))
            return -1;
        memcpy(copy, value, len + 1);
    }
    sl_row_drop(row, slot);
    *slot = copy;
    return 0;
}

sl_row_columns *sl_row_own_columns(sl_row *row)
{
    if (!row->columns && (row->columns = sl_row_alloc(row, sizeof(*row->columns))))
        memset(row->columns, 0, sizeof(*row->columns));
    return row->columns;
}

void sl_row_share_columns(sl_row *row, sl_row_columns *columns)
{
    if (!(row->shared & SL_ROW_SHARED_COLUMNS)) {
        uintptr_t start, end;
        block_range(row, &start, &end);
        free_columns(row->columns, start, end);
    }
    row->columns = columns;
    row->shared |= SL_ROW_SHARED_COLUMNS;
}

sl_row_extra *sl_row_own_extra(sl_row *row)
{
    if (!row->extra && (row->extra = sl_row_alloc(row, sizeof(*row->extra))))
        memset(row->extra, 0, sizeof(*row->extra));
    return row->extra;
}

int sl_row_set(char **slot, const char *value)
{
    char *copy = NULL;
    if (value && !(copy = strdup(value)))
        return -1;
    free(*slot);
    *slot = copy;
    return 0;
}

/* Appends the formatted text to *slot, after "; " when it already holds text. */
static void append_text(char **slot, const char *fmt, va_list ap)
{
    char text[1024];
    vsnprintf(text, sizeof(text), fmt, ap);
    if (!*slot || !(*slot)[0]) {
        sl_row_set(slot, text);
        return;
    }
    size_t len = strlen(*slot) + 2 + strlen(text) + 1;
    char *joined = malloc(len);
    if (!joined)
        return;
    snprintf(joined, len, "%s; %s", *slot, text);
    free(*slot);
    *slot = joined;
}

/* 1 when the row may take a failure: it has none yet. */
static int may_fail(const sl_row *row)
{
    return row->code == SL_CODE_NONE && (row->status == SL_STATUS_PENDING ||
                                         sl_status_is_success(row->status));
}

/* Decides status and code, and forgets the message the row had. */
static void decide(sl_row *row, sl_status status, sl_code code)
{
    row->status = status;
    row->code = code;
    if (!(row->shared & SL_ROW_SHARED_MESSAGE))
        free(row->message);
    row->message = NULL;
    row->shared &= ~SL_ROW_SHARED_MESSAGE;
}

void sl_row_fail(sl_row *row, sl_status status, sl_code code, const char *fmt, ...)
{
    if (!may_fail(row))
        return;
    decide(row, status, code);
    va_list ap;
    va_start(ap, fmt);
    append_text(&row->message, fmt, ap);
    va_end(ap);
}

void sl_row_fail_shared(sl_row *row, sl_status status, sl_code code, const char *message)
{
    if (!may_fail(row))
        return;
    decide(row, status, code);
    row->message = (char *)message;
    if (message)
        row->shared |= SL_ROW_SHARED_MESSAGE;
}

/* Replaces *slot (the row's own) with shared. */
static void share(sl_row *row, char **slot, char *shared)
{
    sl_row_drop(row, slot);
    *slot = shared;
}

void sl_row_share_matched(sl_row *row, char *order_id, char *order_name,
                          char *fulfillment_order_id)
{
    if (row->shared & SL_ROW_SHARED_MATCHED)
        return;
    char **slots[] = { &row->order_id, &row->order_name, &row->fulfillment_order_id };
    char *given[] = { order_id, order_name, fulfillment_order_id };
    for (size_t i = 0; i < 3; i++)
        if (*slots[i] && !given[i])
            return;     /* all three shared, or none: the row frees all three or none */
    for (size_t i = 0; i < 3; i++)
        share(row, slots[i], given[i]);
    row->shared |= SL_ROW_SHARED_MATCHED;
}

/* Drops the row's fulfillment_id: freed when it is its own. */
static void drop_fulfillment_id(sl_row *row)
{
    if (row->shared & SL_ROW_SHARED_FULFILLMENT)
        row->fulfillment_id = NULL;
    else
        sl_row_drop(row, &row->fulfillment_id);
    row->shared &= ~SL_ROW_SHARED_FULFILLMENT;
}

void sl_row_share_fulfillment_id(sl_row *row, char *shared)
{
    drop_fulfillment_id(row);
    row->fulfillment_id = shared;
    if (shared)
        row->shared |= SL_ROW_SHARED_FULFILLMENT;
}

int sl_row_set_fulfillment_id(sl_row *row, const char *value)
{
    char *copy = NULL;
    if (value && !(copy = strdup(value)))
        return -1;
    drop_fulfillment_id(row);
    row->fulfillment_id = copy;
    return 0;
}

static void warn_as(sl_row *row, sl_warning kind, const char *fmt, va_list ap)
{
    if ((unsigned)kind >= SL_WARNING_COUNT)
        kind = SL_WARNING_OTHER;
    sl_row_extra *extra = sl_row_own_extra(row);
    if (!extra)
        return;
    extra->warning_kinds |= 1u << kind;
    append_text(&extra->warning, fmt, ap);
}

void sl_row_warn(sl_row *row, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    warn_as(row, SL_WARNING_OTHER, fmt, ap);
    va_end(ap);
}

void sl_row_warn_as(sl_row *row, sl_warning kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    warn_as(row, kind, fmt, ap);
    va_end(ap);
}

int sl_row_set_warnings(sl_row *row, const char *warning, unsigned kinds)
{
    if (!row->extra && !warning && !kinds)
        return 0;
    sl_row_extra *extra = sl_row_own_extra(row);
    if (!extra || sl_row_set(&extra->warning, warning) != 0)
        return -1;
    extra->warning_kinds = kinds;
    return 0;
}

void sl_row_tracking_joined(const sl_row *row, char *buf, size_t cap)
{
    size_t used = 0;
    if (cap == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < row->tracking_count && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ";" : "",
                                 row->tracking_numbers[i]);
}

const char *sl_row_ship_date(const sl_row *row)
{
    return row->ship_date[0] ? row->ship_date : sl_row_cols(row)->ship_date_text;
}

const char *sl_row_notified_text(const sl_row *row)
{
    return row->notified < 0 ? "" : row->notified ? "yes" : "no";
}
