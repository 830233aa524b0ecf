/* shared_tracking.c: one parcel, one address (issue 14). After matching, a tracking number on
 * rows of different orders is allowed only when those orders ship to the same address (a
 * combined shipment); otherwise every such row that would be sent ends invalid/tracking_reused
 * naming the other orders, and nothing is sent for it. Rows already decided (duplicate,
 * unmatched, ...) are left alone but their orders count: a number the store already holds on
 * order A is not sent to order B at another address. Addresses are compared on the parts that
 * place a parcel (address lines, city, state, postal code, country), ignoring case, spaces and
 * punctuation; names, phones and e-mails do not count. An import's orders keep only a
 * fingerprint of their place (sl_order.place_key), compared instead. Reads only what matching
 * resolved; no I/O. The caller decides whether the rule applies (--allow-shared-tracking). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shipload/match.h"

typedef struct numbered_row {
    const char *number;
    size_t row;
} numbered_row;

static int by_number(const void *a, const void *b)
{
    const numbered_row *x = a, *y = b;
    int order = strcmp(x->number, y->number);
    return order ? order : (x->row > y->row) - (x->row < y->row);
}

static int significant(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* a and b equal once case, spaces and punctuation are set aside (NULL as ""). */
static int same_text(const char *a, const char *b)
{
    const unsigned char *s = (const unsigned char *)(a ? a : "");
    const unsigned char *t = (const unsigned char *)(b ? b : "");
    for (;;) {
        while (*s && !significant(*s))
            s++;
        while (*t && !significant(*t))
            t++;
        if (!*s || !*t)
            return !*s && !*t;
        if (fold(*s++) != fold(*t++))
            return 0;
    }
}

int sl_address_same_place(const sl_address *a, const sl_address *b)
{
    static const sl_address none;
    a = a ? a : &none;
    b = b ? b : &none;
    return same_text(a->address1, b->address1) && same_text(a->address2, b->address2) &&
           same_text(a->city, b->city) && same_text(a->state_code, b->state_code) &&
           same_text(a->postal_code, b->postal_code) &&
           same_text(a->country_code, b->country_code);
}

/* FNV-1a over the significant bytes of each part as same_text sees them, a 0 after each part
 * (never one of them) so that parts do not run into each other. */
uint64_t sl_address_place_key(const sl_address *address)
{
    static const sl_address none;
    const sl_address *a = address ? address : &none;
    const char *parts[] = { a->address1, a->address2, a->city, a->state_code, a->postal_code,
                            a->country_code };
    uint64_t hash = 14695981039346656037ull;
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        for (const unsigned char *c = (const unsigned char *)(parts[i] ? parts[i] : ""); *c; c++)
            if (significant(*c))
                hash = (hash ^ fold(*c)) * 1099511628211ull;
        hash *= 1099511628211ull;          /* the 0 after the part */
    }
    return hash ? hash : 1;
}

static uint64_t place_key_of(const sl_order *order)
{
    return order->place_key ? order->place_key : sl_address_place_key(order->shipping_address);
}

int sl_orders_same_place(const sl_order *a, const sl_order *b)
{
    if (!a->place_key && !b->place_key)
        return sl_address_same_place(a->shipping_address, b->shipping_address);
    return place_key_of(a) == place_key_of(b);
}

static const char *order_label(const sl_order *order)
{
    return order->name && order->name[0] ? order->name : order->id ? order->id : "?";
}

/* The orders of group[0..n) other than mine, as "#1002, #1003" into out. */
static void other_orders(const numbered_row *group, size_t n, const sl_match *matches,
                         const sl_order *mine, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && used < cap; i++) {
        const sl_order *order = matches[group[i].row].order;
        int listed = order == mine;
        for (size_t j = 0; j < i && !listed; j++)
            listed = matches[group[j].row].order == order;
        if (!listed)
            used += (size_t)snprintf(out + used, cap - used, "%s%s", used ? ", " : "",
                                     order_label(order));
    }
}

/* One number's rows: refused when their orders do not all ship to the first one's address. */
static size_t judge_group(const numbered_row *group, size_t n, sl_row *rows, sl_match *matches)
{
    const sl_order *first = matches[group[0].row].order;
    int spread = 0;
    for (size_t i = 1; i < n && !spread; i++) {
        const sl_order *order = matches[group[i].row].order;
        spread = order != first &&
                 !sl_orders_same_place(order, first);
    }
    if (!spread)
        return 0;
    size_t refused = 0;
    for (size_t i = 0; i < n; i++) {
        sl_match *match = &matches[group[i].row];
        sl_row *row = &rows[group[i].row];
        if (match->op == SL_MATCH_NONE || row->status != SL_STATUS_PENDING)
            continue;
        char others[256];
        other_orders(group, n, matches, match->order, others, sizeof(others));
        sl_row_fail(row, SL_STATUS_INVALID, SL_CODE_TRACKING_REUSED,
                    "tracking number %s is also on order %s, which ships to another address: "
                    "one parcel goes to one address (--allow-shared-tracking to send it anyway)",
                    group[i].number, others);
        match->op = SL_MATCH_NONE;
        refused++;
    }
    return refused;
}

size_t sl_match_refuse_shared_tracking(sl_row *rows, sl_match *matches, size_t count)
{
    size_t pairs = 0;
    for (size_t i = 0; i < count; i++)
        if (matches[i].order)
            pairs += rows[i].tracking_count;
    numbered_row *numbered = malloc((pairs ? pairs : 1) * sizeof(*numbered));
    if (!numbered)
        return 0;   /* out of memory: the rule cannot be applied; nothing is refused */
    size_t used = 0;
    for (size_t i = 0; i < count; i++)
        for (size_t k = 0; matches[i].order && k < rows[i].tracking_count; k++)
            if (rows[i].tracking_numbers[k] && rows[i].tracking_numbers[k][0])
                numbered[used++] = (numbered_row){ rows[i].tracking_numbers[k], i };
    qsort(numbered, used, sizeof(*numbered), by_number);
    size_t refused = 0;
    for (size_t start = 0, end; start < used; start = end) {
        for (end = start + 1; end < used && strcmp(numbered[end].number,
                                                   numbered[start].number) == 0; end++)
            ;
        if (end - start > 1)
            refused += judge_group(numbered + start, end - start, rows, matches);
    }
    free(numbered);
    return refused;
}
