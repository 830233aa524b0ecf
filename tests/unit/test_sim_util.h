/* test_sim_util.h: a small store for the simulator's unit tests (test_sim_*.c), and helpers to
 * read it back. Orders: "o1" (#1, packages p1 {a:3, b:1} and p2 {c:2}), "o2" (#2, requires
 * fulfillmentOrderId, p3 {d:2}), "o3" (#3, canceled, p4 canceled {e:1}), "o4" (#4, p5 {f:1}
 * already shipped by ful_4_1), "o5" (#5, p6 canceled {g:1} and p7 {h:2}). */
#ifndef TEST_SIM_UTIL_H
#define TEST_SIM_UTIL_H

#include <check.h>
#include <string.h>
#include "store.h"

static const char test_store_json[] =
    "{\"orders\":["
    "{\"id\":\"o1\",\"number\":\"1\",\"name\":\"#1\",\"status\":{\"ecartapi\":\"paid\"},"
    " \"createdAt\":\"2026-11-20T10:00:00Z\",\"updatedAt\":\"2026-11-20T10:00:00Z\","
    " \"packages\":["
    "  {\"id\":\"p1\",\"fulfillmentOrderId\":\"f1\",\"items\":["
    "    {\"id\":\"a\",\"sku\":\"SKU-A\",\"quantity\":3,\"fulfilledQuantity\":0},"
    "    {\"id\":\"b\",\"sku\":\"SKU-B\",\"quantity\":\"1\"}]},"
    "  {\"id\":\"p2\",\"fulfillmentOrderId\":\"f2\",\"items\":[{\"id\":\"c\",\"quantity\":2}]}]},"
    "{\"id\":\"o2\",\"name\":\"#2\",\"requiresFulfillmentOrderId\":true,"
    " \"createdAt\":\"2026-11-21T10:00:00Z\",\"updatedAt\":\"2026-11-21T12:00:00Z\","
    " \"packages\":[{\"id\":\"p3\",\"fulfillmentOrderId\":\"f3\",\"items\":[{\"id\":\"d\",\"quantity\":2}]}]},"
    "{\"id\":\"o3\",\"name\":\"#3\",\"status\":\"canceled\","
    " \"createdAt\":\"2026-11-22T10:00:00Z\","
    " \"packages\":[{\"id\":\"p4\",\"fulfillmentOrderId\":\"f4\",\"status\":{\"ecartapi\":\"canceled\"},"
    "  \"items\":[{\"id\":\"e\",\"quantity\":1}]}]},"
    "{\"id\":\"o4\",\"name\":\"#4\",\"createdAt\":\"2026-11-23T10:00:00Z\","
    " \"packages\":[{\"id\":\"p5\",\"fulfillmentOrderId\":\"f5\","
    "  \"items\":[{\"id\":\"f\",\"quantity\":1,\"fulfilledQuantity\":1}]}],"
    " \"fulfillments\":[{\"id\":\"ful_4_1\",\"fulfillmentOrderId\":\"f5\","
    "  \"tracking\":{\"number\":\"TRK4\"},\"items\":[{\"id\":\"f\",\"quantity\":1}]}]},"
    "{\"id\":\"o5\",\"name\":\"#5\",\"createdAt\":\"2026-11-24T10:00:00Z\","
    " \"packages\":[{\"id\":\"p6\",\"fulfillmentOrderId\":\"f6\",\"status\":\"canceled\","
    "  \"items\":[{\"id\":\"g\",\"quantity\":1}]},"
    "  {\"id\":\"p7\",\"fulfillmentOrderId\":\"f7\",\"items\":[{\"id\":\"h\",\"quantity\":2}]}]}"
    "]}";

static inline sim_store *test_store_new(void)
{
    char err[300];
    json_error_t error;
    json_t *document = json_loads(test_store_json, 0, &error);
    ck_assert_msg(document != NULL, "test store JSON: %s", error.text);
    sim_store *store = sim_store_from_json(document, err, sizeof(err));
    ck_assert_msg(store != NULL, "test store: %s", err);
    json_decref(document);
    return store;
}

static inline long test_fulfilled(sim_store *store, const char *package_id, const char *item_id)
{
    sim_package *package = sim_store_package_by_id(store, package_id);
    ck_assert_ptr_nonnull(package);
    for (size_t i = 0; i < package->item_count; i++)
        if (strcmp(package->items[i].id, item_id) == 0)
            return package->items[i].fulfilled;
    ck_abort_msg("no item %s in %s", item_id, package_id);
    return -1;
}

static inline int test_package_status(sim_store *store, const char *package_id)
{
    return atomic_load(&sim_store_package_by_id(store, package_id)->status);
}

static inline int test_order_state(sim_store *store, const char *order_id)
{
    return atomic_load(&sim_store_order_by_id(store, order_id)->fulfillment_state);
}

/* Parses a JSON literal (tests only). */
static inline json_t *test_json(const char *text)
{
    json_error_t error;
    json_t *json = json_loads(text, 0, &error);
    ck_assert_msg(json != NULL, "bad test JSON %s: %s", text, error.text);
    return json;
}

/* Creates one fulfillment from a JSON entry on an order; returns the outcome code. */
static inline sim_code test_create(sim_store *store, const char *order_id, const char *entry_text)
{
    json_t *entry = test_json(entry_text);
    sim_outcome outcome;
    sim_store_create(store, sim_store_order_by_id(store, order_id), entry, &outcome);
    sim_code code = outcome.code;
    sim_outcome_clear(&outcome);
    json_decref(entry);
    return code;
}

#endif
