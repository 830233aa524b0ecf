/* test_match_util.h: fixtures for the match and plan tests: orders written as JSON with single
 * quotes (decoded by the real Ecart adapter), rows built by hand, and a fake store that answers
 * the lookups and reads the order index asks for, counting the requests it would take. */
#ifndef TEST_MATCH_UTIL_H
#define TEST_MATCH_UTIL_H

#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "platform/ecart/ecart.h"
#include "shipload/match.h"
#include "shipload/row.h"

/* The text with every ' turned into " (fixtures need no quote inside a value). */
static inline char *dq(const char *single_quoted)
{
    char *text = strdup(single_quoted);
    ck_assert_ptr_nonnull(text);
    for (char *p = text; *p; p++)
        if (*p == '\'')
            *p = '"';
    return text;
}

/* {'success':true,'orders':[...]} decoded: a new array of orders. */
static inline sl_order **orders_from(const char *orders_array_sq, size_t *count)
{
    size_t len = strlen(orders_array_sq) + 64;
    char *wrapped = malloc(len);
    snprintf(wrapped, len, "{'success':true,'orders':%s}", orders_array_sq);
    char *body = dq(wrapped);
    free(wrapped);
    sl_order **orders = NULL;
    int next_page = 0;
    sl_error err = { "" };
    int rc = sl_ecart_decode_orders(body, strlen(body), &orders, count, &next_page, &err);
    if (rc)
        fprintf(stderr, "fixture: %s\n", err.message);
    ck_assert_int_eq(rc, 0);
    free(body);
    return orders;
}

static inline sl_order *order_from(const char *order_sq)
{
    size_t len = strlen(order_sq) + 4;
    char *array = malloc(len);
    snprintf(array, len, "[%s]", order_sq);
    size_t count = 0;
    sl_order **orders = orders_from(array, &count);
    free(array);
    ck_assert_uint_eq(count, 1);
    sl_order *order = orders[0];
    free(orders);
    return order;
}

/* A validated pending row. tracking: numbers separated by ';' (NULL: none). */
static inline void row_make(sl_row *row, size_t record, const char *order_ref, sl_ref_kind kind,
                     const char *package_ref, const char *sku, long quantity,
                     const char *tracking, sl_action action)
{
    sl_row_init(row);
    row->record = record;
    row->line = record + 1;
    sl_row_set(&row->order_ref, order_ref);
    row->order_ref_kind = kind;
    sl_row_set(&row->package_ref, package_ref);
    sl_row_set(&row->sku, sku);
    row->quantity = quantity;
    row->action = action;
    if (tracking) {
        char *copy = strdup(tracking), *save = NULL;
        for (char *number = strtok_r(copy, ";", &save); number;
             number = strtok_r(NULL, ";", &save)) {
            row->tracking_numbers = realloc(row->tracking_numbers,
                                            (row->tracking_count + 1) * sizeof(char *));
            row->tracking_numbers[row->tracking_count++] = strdup(number);
        }
        free(copy);
    }
    sl_row_set(&row->carrier, "UPS");
}

static inline void rows_clear(sl_row *rows, size_t count)
{
    for (size_t i = 0; i < count; i++)
        sl_row_clear(&rows[i]);
}

/* ------------------------------------------------------------------ a fake store */

/* The store's orders as a JSON array (single quotes). An order may carry 'fullPackages' (the
 * answer to GET /orders/{id}/packages) and 'allFulfillments' (GET /orders/{id}/fulfillments);
 * the adapter ignores both keys in order answers. Counts what a real run would send. */
typedef struct fake_store {
    const char *orders_sq;
    size_t id_requests, name_requests, package_reads, fulfillment_reads;
} fake_store;

static inline int normalised_equal(const char *value, const char *name)
{
    char normalised[512];
    return value && strcmp(sl_order_name_normalise(value, normalised, sizeof(normalised)),
                           name) == 0;
}

/* Keeps the orders `keep` accepts, frees the rest. */
static inline size_t filter_orders(sl_order **orders, size_t count,
                            int (*keep)(const sl_order *, const void *), const void *arg)
{
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        if (keep(orders[i], arg))
            orders[kept++] = orders[i];
        else
            sl_order_free(orders[i]);
    }
    return kept;
}

typedef struct id_batch {
    const char *const *ids;
    size_t count;
} id_batch;

static inline int keep_ids(const sl_order *order, const void *arg)
{
    const id_batch *batch = arg;
    for (size_t i = 0; i < batch->count; i++)
        if (strcmp(order->id, batch->ids[i]) == 0)
            return 1;
    return 0;
}

static inline int keep_name(const sl_order *order, const void *arg)
{
    return normalised_equal(order->name, arg) || normalised_equal(order->number, arg);
}

/* The store order's extra key as an answer body: {"success":true,"<as>":[...]}. */
static inline char *store_extra(const fake_store *store, const char *order_id, const char *key,
                         const char *as)
{
    char *text = dq(store->orders_sq);
    json_error_t error;
    json_t *orders = json_loads(text, 0, &error);
    free(text);
    ck_assert_ptr_nonnull(orders);
    char *body = NULL;
    size_t i;
    json_t *order;
    json_array_foreach(orders, i, order) {
        if (strcmp(json_string_value(json_object_get(order, "id")), order_id) != 0)
            continue;
        json_t *listed = json_object_get(order, key);
        json_t *answer = listed ? json_pack("{s:b,s:O}", "success", 1, as, listed)
                                : json_pack("{s:b,s:[]}", "success", 1, as);
        body = json_dumps(answer, 0);
        json_decref(answer);
    }
    json_decref(orders);
    ck_assert_ptr_nonnull(body);
    return body;
}

/* Steps 1–4 of match.h against the store. */
static inline void fake_lookups(fake_store *store, sl_order_index *index, const sl_row *rows,
                         size_t count)
{
    sl_error err = { "" };
    ck_assert_int_eq(sl_order_index_add_rows(index, rows, count, &err), 0);
    const char **ids = NULL;
    size_t id_count = 0;
    ck_assert_int_eq(sl_order_index_ids_to_fetch(index, &ids, &id_count, &err), 0);
    for (size_t first = 0; first < id_count; first += SL_ECART_MAX_IDS) {
        id_batch batch = { ids + first, id_count - first < SL_ECART_MAX_IDS
                                            ? id_count - first : SL_ECART_MAX_IDS };
        size_t order_count = 0;
        sl_order **orders = orders_from(store->orders_sq, &order_count);
        order_count = filter_orders(orders, order_count, keep_ids, &batch);
        store->id_requests++;
        ck_assert_int_eq(sl_order_index_add_id_answer(index, batch.ids, batch.count, orders,
                                                      order_count, &err), 0);
    }
    free(ids);
    const char **names = NULL;
    size_t name_count = 0;
    ck_assert_int_eq(sl_order_index_names_to_fetch(index, &names, &name_count, &err), 0);
    for (size_t n = 0; n < name_count; n++) {
        size_t order_count = 0;
        sl_order **orders = orders_from(store->orders_sq, &order_count);
        order_count = filter_orders(orders, order_count, keep_name, names[n]);
        store->name_requests++;
        ck_assert_int_eq(sl_order_index_add_name_answer(index, names[n], orders, order_count,
                                                        &err), 0);
    }
    free(names);
    sl_order **needing = NULL;
    size_t needing_count = 0;
    ck_assert_int_eq(sl_order_index_orders_needing_packages(index, rows, count, &needing,
                                                            &needing_count, &err), 0);
    for (size_t i = 0; i < needing_count; i++) {
        char *body = store_extra(store, needing[i]->id, "fullPackages", "packages");
        ck_assert_int_eq(sl_ecart_decode_packages_into(body, strlen(body), needing[i], &err), 0);
        free(body);
        store->package_reads++;
    }
    free(needing);
    ck_assert_int_eq(sl_order_index_orders_needing_fulfillments(index, rows, count, &needing,
                                                                &needing_count, &err), 0);
    for (size_t i = 0; i < needing_count; i++) {
        char *body = store_extra(store, needing[i]->id, "allFulfillments", "fulfillments");
        int next_page = -1;
        ck_assert_int_eq(sl_ecart_decode_fulfillments_into(body, strlen(body), needing[i],
                                                           &next_page, &err), 0);
        ck_assert_int_eq(next_page, 0);
        ck_assert_int_eq(needing[i]->fulfillments_known, 1);
        free(body);
        store->fulfillment_reads++;
    }
    free(needing);
}

/* Looks up and matches rows against the store: a new index the caller frees. */
static inline sl_order_index *match_against(fake_store *store, sl_row *rows, size_t count,
                                     sl_on_conflict on_conflict, sl_match *matches)
{
    sl_order_index *index = sl_order_index_new();
    ck_assert_ptr_nonnull(index);
    fake_lookups(store, index, rows, count);
    sl_match_options options = { .on_conflict = on_conflict };
    sl_error err = { "" };
    ck_assert_int_eq(sl_match_rows(index, rows, count, &options, matches, NULL, &err), 0);
    return index;
}

static inline int contains(const char *haystack, const char *needle)
{
    return haystack && strstr(haystack, needle) != NULL;
}

#endif
