/* test_match_rows.c: row matching (spec §6) against a small store: packages by reference, by
 * item and as the only open one; every matching error code; duplicates (also when nothing
 * remains, and on a re-run); the ledger across rows; conflicts under each --on-conflict;
 * update, cancel and status rows; rows decided earlier; orders whose reads failed or never happened. */
#include "test_match_util.h"

#define ITEM(id, sku, quantity, fulfilled) \
    "{'id':'" id "','sku':'" sku "','quantity':" #quantity ",'fulfilledQuantity':" #fulfilled "}"
#define FULFILLMENT(id, package, tracking, status, items) \
    "{'id':'" id "','fulfillmentOrderId':'" package "','tracking':{'numbers':[" tracking "]," \
    "'company':'UPS','url':'https://t/" id "'},'status':'" status "','items':[" items "]}"

static const char *const STORE = "["
    /* 1001: one package, two items, fresh */
    "{'id':'1','name':'#1001','status':'paid','fulfillmentStatus':'unfulfilled','packages':["
    " {'id':'p1','fulfillmentOrderId':'fo1','number':'1001-1','status':'pending','items':["
    ITEM("li1", "A", 3, 0) "," ITEM("li2", "B", 1, 0) "]}]},"
    /* 1002: two open packages both holding A */
    "{'id':'2','name':'#1002','status':'paid','fulfillmentStatus':'unfulfilled','packages':["
    " {'id':'p2a','fulfillmentOrderId':'fo2a','number':'1002-1','status':'pending','items':["
    ITEM("li2a", "A", 2, 0) "]},"
    " {'id':'p2b','fulfillmentOrderId':'fo2b','number':'1002-2','status':'pending','items':["
    ITEM("li2b", "A", 1, 0) "," ITEM("li2c", "C", 1, 0) "]}]},"
    /* 1003: shipped with T3; a canceled fulfillment carried TX */
    "{'id':'3','name':'#1003','status':'paid','fulfillmentStatus':'fulfilled','packages':["
    " {'id':'p3','fulfillmentOrderId':'fo3','number':'1003-1','status':'shipped','items':["
    ITEM("li3", "A", 1, 1) "]}],"
    " 'allFulfillments':[" FULFILLMENT("f3x", "fo3", "'TX'", "canceled", "{'id':'li3','quantity':1}")
    "," FULFILLMENT("f3", "fo3", "'T3'", "shipped", "{'id':'li3','quantity':1}") "]},"
    /* 1004: canceled */
    "{'id':'4','name':'#1004','status':'canceled','packages':[]},"
    /* 1005: two orders answer this name */
    "{'id':'5','name':'#1005','status':'paid','fulfillmentStatus':'unfulfilled','packages':[]},"
    "{'id':'6','number':'1005','status':'paid','fulfillmentStatus':'unfulfilled','packages':[]},"
    /* 1007: no package */
    "{'id':'7','name':'#1007','status':'paid','fulfillmentStatus':'unfulfilled','packages':[]},"
    /* 1008: one of two A shipped with T8 */
    "{'id':'8','name':'#1008','status':'paid','fulfillmentStatus':'partial','packages':["
    " {'id':'p8','fulfillmentOrderId':'fo8','number':'1008-1','status':'pending','items':["
    ITEM("li8", "A", 2, 1) "]}],"
    " 'allFulfillments':[" FULFILLMENT("f8", "fo8", "'T8'", "shipped", "{'id':'li8','quantity':1}") "]},"
    /* 1009: a canceled package and an open one */
    "{'id':'9','name':'#1009','status':'paid','fulfillmentStatus':'unfulfilled','packages':["
    " {'id':'p9x','fulfillmentOrderId':'fo9x','number':'1009-1','status':'canceled','items':["
    ITEM("li9x", "A", 1, 0) "]},"
    " {'id':'p9','fulfillmentOrderId':'fo9','number':'1009-2','status':'pending','items':["
    ITEM("li9", "A", 1, 0) "]}]},"
    /* 1010: two packages shipped (whole, without items) with different numbers, and one
     * number on both */
    "{'id':'10','name':'#1010','status':'paid','fulfillmentStatus':'fulfilled','packages':["
    " {'id':'p10a','fulfillmentOrderId':'fo10a','status':'shipped','items':[" ITEM("la", "A", 1, 1) "]},"
    " {'id':'p10b','fulfillmentOrderId':'fo10b','status':'shipped','items':[" ITEM("lb", "B", 1, 1) "]}],"
    " 'allFulfillments':[" FULFILLMENT("f10a", "fo10a", "'T10A','TS'", "shipped", "")
    "," FULFILLMENT("f10b", "fo10b", "'T10B','TS'", "shipped", "") "]}"
    "]";

#define MAX_ROWS 16

typedef struct run {
    sl_row rows[MAX_ROWS];
    sl_match matches[MAX_ROWS];
    size_t count;
    sl_order_index *index;
    fake_store store;
} run;

static run *run_new(void)
{
    run *r = calloc(1, sizeof(*r));
    r->store.orders_sq = STORE;
    return r;
}

static sl_row *add(run *r, const char *order, const char *package, const char *sku,
                   long quantity, const char *tracking, sl_action action)
{
    ck_assert_uint_lt(r->count, MAX_ROWS);
    sl_row *row = &r->rows[r->count];
    row_make(row, r->count + 1, order, SL_REF_NAME, package, sku, quantity, tracking, action);
    r->count++;
    return row;
}

static void run_match(run *r, sl_on_conflict on_conflict)
{
    r->index = match_against(&r->store, r->rows, r->count, on_conflict, r->matches);
}

static void run_free(run *r)
{
    rows_clear(r->rows, r->count);
    sl_order_index_free(r->index);
    free(r);
}

static void assert_create(const run *r, size_t i, const char *package_key, const char *item_id,
                          long quantity)
{
    const sl_match *match = &r->matches[i];
    const sl_row *row = &r->rows[i];
    if (match->op != SL_MATCH_CREATE)
        fprintf(stderr, "row %zu: %s %s %s\n", i, sl_status_name(row->status),
                sl_code_name(row->code), row->message ? row->message : "");
    ck_assert_int_eq(match->op, SL_MATCH_CREATE);
    ck_assert_int_eq(row->status, SL_STATUS_PENDING);
    ck_assert_str_eq(sl_match_package(match)->write_id, package_key);
    ck_assert_str_eq(row->fulfillment_order_id, package_key);
    ck_assert_str_eq(row->order_id, match->order->id);
    if (item_id) {
        ck_assert_ptr_nonnull(sl_match_item(match));
        ck_assert_str_eq(sl_match_item(match)->id, item_id);
        ck_assert_int_eq(match->quantity, quantity);
    } else {
        ck_assert_ptr_null(sl_match_item(match));
    }
}

static void assert_decided(const run *r, size_t i, sl_status status, sl_code code,
                           const char *fragment)
{
    const sl_row *row = &r->rows[i];
    if (row->status != status || row->code != code || !contains(row->message, fragment))
        fprintf(stderr, "row %zu: %s %s '%s' (wanted '%s')\n", i, sl_status_name(row->status),
                sl_code_name(row->code), row->message ? row->message : "", fragment);
    ck_assert_int_eq(r->matches[i].op, SL_MATCH_NONE);
    ck_assert_int_eq(row->status, status);
    ck_assert_int_eq(row->code, code);
    ck_assert(contains(row->message, fragment));
}

/* ------------------------------------------------------------------ packages and items */

START_TEST(whole_package_and_items)
{
    run *r = run_new();
    add(r, "#1001", NULL, NULL, 0, "1Z1", SL_ACTION_SHIP);
    run_match(r, SL_ON_CONFLICT_SKIP);
    assert_create(r, 0, "fo1", NULL, 0);
    ck_assert_str_eq(r->rows[0].order_id, "1");
    run_free(r);

    r = run_new();
    add(r, "#1001", NULL, "A", 2, "1Z1", SL_ACTION_SHIP);
    sl_row *by_line = add(r, "1001", NULL, NULL, 0, "1Z1", SL_ACTION_SHIP);
    sl_row_set(&sl_row_own_extra(by_line)->line_item_id, "li2");
    add(r, " #1001", NULL, "A", 0, "1Z2", SL_ACTION_SHIP);      /* the whole remainder: 1 */
    run_match(r, SL_ON_CONFLICT_SKIP);
    assert_create(r, 0, "fo1", "li1", 2);
    assert_create(r, 1, "fo1", "li2", 1);
    assert_create(r, 2, "fo1", "li1", 1);
    ck_assert_uint_eq(r->store.name_requests, 1);           /* three spellings, one lookup */
    run_free(r);
}
END_TEST

START_TEST(ledger_across_rows)
{
    run *r = run_new();
    add(r, "#1001", NULL, "A", 2, "T1", SL_ACTION_SHIP);
    add(r, "#1001", NULL, "A", 2, "T2", SL_ACTION_SHIP);    /* only 1 left */
    add(r, "#1001", NULL, "A", 1, "T2", SL_ACTION_SHIP);
    add(r, "#1001", NULL, "A", 0, "T3", SL_ACTION_SHIP);    /* nothing left */
    add(r, "#1001", NULL, NULL, 0, "T4", SL_ACTION_SHIP);   /* B is still there */
    add(r, "#1001", NULL, "B", 1, "T5", SL_ACTION_SHIP);    /* taken by the whole row */
    run_match(r, SL_ON_CONFLICT_SKIP);
    assert_create(r, 0, "fo1", "li1", 2);
    assert_decided(r, 1, SL_STATUS_UNMATCHED, SL_CODE_QUANTITY_EXCEEDS_REMAINING,
                   "quantity 2 exceeds the 1 remaining of SKU A in package 1001-1 "
                   "(earlier rows of this run claim 2)");
    ck_assert_str_eq(r->rows[1].fulfillment_order_id, "fo1");
    assert_create(r, 2, "fo1", "li1", 1);
    assert_decided(r, 3, SL_STATUS_UNMATCHED, SL_CODE_QUANTITY_EXCEEDS_REMAINING,
                   "nothing remains of SKU A");
    assert_create(r, 4, "fo1", NULL, 0);
    assert_decided(r, 5, SL_STATUS_UNMATCHED, SL_CODE_QUANTITY_EXCEEDS_REMAINING,
                   "exceeds the 0 remaining of SKU B");
    run_free(r);
}
END_TEST

/* Once matching is done the index keeps only the orders: the matches (what the plan reads)
 * still point at whole orders, and the index answers no more questions. */
START_TEST(orders_outlive_the_references)
{
    run *r = run_new();
    add(r, "#1001", NULL, "A", 2, "T1", SL_ACTION_SHIP);
    add(r, "#1001", NULL, NULL, 0, "T4", SL_ACTION_SHIP);
    run_match(r, SL_ON_CONFLICT_SKIP);
    size_t orders = sl_order_index_order_count(r->index);
    const char *id = r->matches[0].order->id;
    ck_assert_ptr_nonnull(sl_order_index_find_id(r->index, id));
    sl_order_index_keep_orders_only(r->index);
    ck_assert_uint_eq(sl_order_index_order_count(r->index), orders);
    ck_assert_ptr_null(sl_order_index_find_id(r->index, r->rows[0].order_id));
    assert_create(r, 0, "fo1", "li1", 2);
    assert_create(r, 1, "fo1", NULL, 0);
    ck_assert_str_eq(r->matches[1].order->name, "#1001");
    ck_assert_uint_ge(sl_match_package(&r->matches[1])->item_count, 1);
    run_free(r);
}
END_TEST

START_TEST(ledger_survives_separate_calls)
{
    run *r = run_new();
    add(r, "#1001", NULL, "A", 3, "T1", SL_ACTION_SHIP);
    add(r, "#1001", NULL, "A", 1, "T2", SL_ACTION_SHIP);
    r->index = sl_order_index_new();
    fake_lookups(&r->store, r->index, r->rows, 2);
    sl_error err = { "" };
    sl_match_counts counts = { 0 };
    ck_assert_int_eq(sl_match_rows(r->index, r->rows, 1, NULL, r->matches, &counts, &err), 0);
    ck_assert_int_eq(sl_match_rows(r->index, r->rows + 1, 1, NULL, r->matches + 1, &counts,
                                   &err), 0);
    assert_create(r, 0, "fo1", "li1", 3);
    assert_decided(r, 1, SL_STATUS_UNMATCHED, SL_CODE_QUANTITY_EXCEEDS_REMAINING, "exceeds");
    ck_assert_uint_eq(counts.create, 1);
    ck_assert_uint_eq(counts.unmatched, 1);
    run_free(r);
}
END_TEST

START_TEST(whole_rows_share_a_package)
{
    run *r = run_new();
    add(r, "#1001", NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    add(r, "#1001", NULL, NULL, 0, "T2", SL_ACTION_SHIP);   /* a second box: joins */
    add(r, "#1001", "fo1", NULL, 0, "T3", SL_ACTION_SHIP);
    run_match(r, SL_ON_CONFLICT_SKIP);
    assert_create(r, 0, "fo1", NULL, 0);
    assert_create(r, 1, "fo1", NULL, 0);
    assert_create(r, 2, "fo1", NULL, 0);
    run_free(r);
}
END_TEST

START_TEST(items_pick_their_package)
{
    run *r = run_new();
    add(r, "#1002", NULL, "A", 1, "T1", SL_ACTION_SHIP);    /* both packages could */
    add(r, "#1002", NULL, "A", 2, "T1", SL_ACTION_SHIP);    /* only 1002-1 has 2 */
    add(r, "#1002", NULL, "A", 1, "T1", SL_ACTION_SHIP);    /* now only 1002-2 has any */
    add(r, "#1002", NULL, "A", 1, "T1", SL_ACTION_SHIP);    /* none left anywhere */
    add(r, "#1002", NULL, "C", 0, "T1", SL_ACTION_SHIP);
    add(r, "#1002", NULL, "Z", 1, "T1", SL_ACTION_SHIP);
    add(r, "#1002", NULL, NULL, 0, "T1", SL_ACTION_SHIP);   /* two open packages */
    run_match(r, SL_ON_CONFLICT_SKIP);
    assert_decided(r, 0, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_AMBIGUOUS,
                   "SKU A is in several open packages of order #1002: fo2a (1002-1), "
                   "fo2b (1002-2)");
    assert_create(r, 1, "fo2a", "li2a", 2);
    assert_create(r, 2, "fo2b", "li2b", 1);
    assert_decided(r, 3, SL_STATUS_UNMATCHED, SL_CODE_QUANTITY_EXCEEDS_REMAINING,
                   "no package of order #1002 has 1 of SKU A left (0 in all");
    assert_create(r, 4, "fo2b", "li2c", 1);
    assert_decided(r, 5, SL_STATUS_UNMATCHED, SL_CODE_ITEM_NOT_FOUND,
                   "no SKU Z in any open package of order #1002");
    assert_decided(r, 6, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_AMBIGUOUS,
                   "order #1002 has 2 open packages: fo2a (1002-1), fo2b (1002-2)");
    run_free(r);
}
END_TEST

START_TEST(explicit_package_references)
{
    run *r = run_new();
    add(r, "#1002", "fo2b", "A", 1, "T1", SL_ACTION_SHIP);      /* fulfillmentOrderId */
    add(r, "#1002", "p2a", NULL, 0, "T2", SL_ACTION_SHIP);      /* package id */
    add(r, "#1002", "1002-2", "C", 1, "T3", SL_ACTION_SHIP);    /* package number */
    add(r, "#1002", "nope", "A", 1, "T4", SL_ACTION_SHIP);
    add(r, "#1002", "fo2a", "C", 1, "T5", SL_ACTION_SHIP);      /* C is not in 1002-1 */
    add(r, "#1009", "fo9x", NULL, 0, "T6", SL_ACTION_SHIP);     /* canceled package */
    add(r, "#1009", NULL, "A", 1, "T7", SL_ACTION_SHIP);        /* the open one only */
    run_match(r, SL_ON_CONFLICT_SKIP);
    assert_create(r, 0, "fo2b", "li2b", 1);
    assert_create(r, 1, "fo2a", NULL, 0);
    assert_create(r, 2, "fo2b", "li2c", 1);
    assert_decided(r, 3, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_NOT_FOUND,
                   "no package nope in order #1002 (its packages: fo2a (1002-1), fo2b (1002-2))");
    assert_decided(r, 4, SL_STATUS_UNMATCHED, SL_CODE_ITEM_NOT_FOUND,
                   "no SKU C in package 1002-1");
    assert_decided(r, 5, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_NOT_FOUND,
                   "package 1009-1 is canceled");
    assert_create(r, 6, "fo9", "li9", 1);
    run_free(r);
}
END_TEST

START_TEST(quantity_without_item)
{
    run *r = run_new();
    add(r, "#1009", NULL, NULL, 1, "T1", SL_ACTION_SHIP);       /* one item line: that one */
    add(r, "#1001", NULL, NULL, 1, "T2", SL_ACTION_SHIP);       /* two item lines */
    run_match(r, SL_ON_CONFLICT_SKIP);
    assert_create(r, 0, "fo9", "li9", 1);
    assert_decided(r, 1, SL_STATUS_UNMATCHED, SL_CODE_ITEM_NOT_FOUND,
                   "quantity 1 given without a SKU or line item, and package 1001-1 holds 2");
    run_free(r);
}
END_TEST

START_TEST(order_errors)
{
    run *r = run_new();
    add(r, "#1004", NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    add(r, "#1005", NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    add(r, "#9999", NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    add(r, "#1007", NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    sl_row *by_id = add(r, "4242", NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    by_id->order_ref_kind = SL_REF_ID;
    sl_row *by_auto = add(r, "1001", NULL, "B", 1, "T1", SL_ACTION_SHIP);
    by_auto->order_ref_kind = SL_REF_AUTO;                       /* no id 1001: the name */
    run_match(r, SL_ON_CONFLICT_SKIP);
    assert_decided(r, 0, SL_STATUS_UNMATCHED, SL_CODE_ORDER_CANCELED, "is canceled");
    ck_assert_str_eq(r->rows[0].order_id, "4");
    assert_decided(r, 1, SL_STATUS_UNMATCHED, SL_CODE_ORDER_AMBIGUOUS, "matches 2 orders");
    ck_assert_ptr_null(r->rows[1].order_id);
    assert_decided(r, 2, SL_STATUS_UNMATCHED, SL_CODE_ORDER_NOT_FOUND, "no order named 9999");
    assert_decided(r, 3, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_NOT_FOUND,
                   "order #1007 has no package to ship");
    assert_decided(r, 4, SL_STATUS_UNMATCHED, SL_CODE_ORDER_NOT_FOUND, "no order with id 4242");
    assert_create(r, 5, "fo1", "li2", 1);
    ck_assert_uint_eq(r->store.id_requests, 1);
    run_free(r);
}
END_TEST

/* ------------------------------------------------------------------ already done */

START_TEST(duplicates_whatever_remains)
{
    run *r = run_new();
    add(r, "#1003", NULL, NULL, 0, "T3", SL_ACTION_SHIP);
    add(r, "#1003", NULL, "A", 5, "T3", SL_ACTION_SHIP);        /* nothing remains: still dup */
    add(r, "#1003", "fo3", "A", 1, "t3", SL_ACTION_SHIP);       /* case of the number */
    add(r, "#1003", NULL, NULL, 0, "T0;T3", SL_ACTION_SHIP);    /* one of the row's numbers */
    add(r, "#1008", NULL, "A", 1, "T8", SL_ACTION_SHIP);        /* partial, done */
    add(r, "#1008", NULL, "A", 1, "T9", SL_ACTION_SHIP);        /* the other unit */
    add(r, "#1008", NULL, "A", 1, "T10", SL_ACTION_SHIP);       /* no more */
    run_match(r, SL_ON_CONFLICT_SKIP);
    for (size_t i = 0; i < 4; i++) {
        assert_decided(r, i, SL_STATUS_DUPLICATE, SL_CODE_NONE, "fulfillment f3");
        ck_assert_str_eq(r->rows[i].fulfillment_id, "f3");
        ck_assert_str_eq(r->rows[i].fulfillment_order_id, "fo3");
    }
    assert_decided(r, 4, SL_STATUS_DUPLICATE, SL_CODE_NONE, "f8");
    assert_create(r, 5, "fo8", "li8", 1);
    assert_decided(r, 6, SL_STATUS_UNMATCHED, SL_CODE_QUANTITY_EXCEEDS_REMAINING,
                   "exceeds the 0 remaining of SKU A in package 1008-1 (earlier rows of this "
                   "run claim 1)");
    run_free(r);
}
END_TEST

START_TEST(duplicates_are_per_package_and_item)
{
    /* T10A is on package fo10a only; TS on both */
    run *r = run_new();
    add(r, "#1010", "fo10b", NULL, 0, "T10A", SL_ACTION_SHIP);  /* other package: conflict */
    add(r, "#1010", "fo10b", NULL, 0, "TS", SL_ACTION_SHIP);
    add(r, "#1010", NULL, "B", 1, "T10B", SL_ACTION_SHIP);      /* whole fulfillment holds B */
    add(r, "#1010", NULL, "B", 1, "T10A", SL_ACTION_SHIP);      /* T10A did not ship B */
    run_match(r, SL_ON_CONFLICT_SKIP);
    assert_decided(r, 0, SL_STATUS_CONFLICT, SL_CODE_ALREADY_FULFILLED_DIFFERENT_TRACKING,
                   "package fo10b already fulfilled with tracking T10B;TS (fulfillment f10b)");
    assert_decided(r, 1, SL_STATUS_DUPLICATE, SL_CODE_NONE, "f10b");
    assert_decided(r, 2, SL_STATUS_DUPLICATE, SL_CODE_NONE, "f10b");
    assert_decided(r, 3, SL_STATUS_CONFLICT, SL_CODE_ALREADY_FULFILLED_DIFFERENT_TRACKING,
                   "SKU B of package fo10b already fulfilled with tracking T10B;TS");
    run_free(r);
}
END_TEST

START_TEST(rerun_is_all_duplicate)
{
    /* The store after a first run that shipped: 1001 whole with 1Z1 (two rows A, B), 1002 in
     * two partials. The same manifest again is all duplicate, with no quantity error. */
    const char *shipped = "["
        "{'id':'1','name':'#1001','fulfillmentStatus':'fulfilled','packages':["
        " {'id':'p1','fulfillmentOrderId':'fo1','status':'shipped','items':["
        ITEM("li1", "A", 3, 3) "," ITEM("li2", "B", 1, 1) "]}],"
        " 'allFulfillments':[" FULFILLMENT("n1", "fo1", "'1Z1'", "shipped",
                                           "{'id':'li1','quantity':3},{'id':'li2','quantity':1}")
        "]},"
        "{'id':'2','name':'#1002','fulfillmentStatus':'partial','packages':["
        " {'id':'p2a','fulfillmentOrderId':'fo2a','status':'pending','items':[" ITEM("li2a", "A", 2, 2) "]},"
        " {'id':'p2b','fulfillmentOrderId':'fo2b','status':'pending','items':["
        ITEM("li2b", "A", 1, 0) "," ITEM("li2c", "C", 1, 1) "]}],"
        " 'allFulfillments':[" FULFILLMENT("n2", "fo2a", "'1Z2'", "shipped", "{'id':'li2a','quantity':2}")
        "," FULFILLMENT("n3", "fo2b", "'1Z3'", "shipped", "{'id':'li2c','quantity':1}") "]}]";
    run *r = run_new();
    r->store.orders_sq = shipped;
    add(r, "#1001", NULL, "A", 3, "1Z1", SL_ACTION_SHIP);
    add(r, "#1001", NULL, "B", 1, "1Z1", SL_ACTION_SHIP);
    add(r, "#1002", NULL, "A", 2, "1Z2", SL_ACTION_SHIP);
    add(r, "#1002", NULL, "C", 1, "1Z3", SL_ACTION_SHIP);
    run_match(r, SL_ON_CONFLICT_SKIP);
    ck_assert_uint_eq(r->store.fulfillment_reads, 2);
    const char *ids[] = { "n1", "n1", "n2", "n3" };
    for (size_t i = 0; i < 4; i++) {
        assert_decided(r, i, SL_STATUS_DUPLICATE, SL_CODE_NONE, ids[i]);
        ck_assert_str_eq(r->rows[i].fulfillment_id, ids[i]);
    }
    run_free(r);
}
END_TEST

/* ------------------------------------------------------------------ conflicts */

START_TEST(conflict_under_each_policy)
{
    sl_on_conflict policies[] = { SL_ON_CONFLICT_SKIP, SL_ON_CONFLICT_FAIL,
                                  SL_ON_CONFLICT_UPDATE };
    for (size_t p = 0; p < 3; p++) {
        run *r = run_new();
        add(r, "#1003", NULL, NULL, 0, "T4", SL_ACTION_SHIP);
        add(r, "#1003", NULL, "A", 1, "T4", SL_ACTION_SHIP);
        add(r, "#1003", NULL, NULL, 0, "TX", SL_ACTION_SHIP);   /* only a canceled one had TX */
        add(r, "#1010", NULL, NULL, 0, "T5", SL_ACTION_SHIP);   /* two shipped packages */
        run_match(r, policies[p]);
        if (policies[p] == SL_ON_CONFLICT_UPDATE) {
            for (size_t i = 0; i < 3; i++) {
                ck_assert_int_eq(r->matches[i].op, SL_MATCH_UPDATE);
                ck_assert_str_eq(sl_match_fulfillment(&r->matches[i])->id, "f3");
                ck_assert_str_eq(r->rows[i].fulfillment_id, "f3");
                ck_assert_str_eq(r->rows[i].fulfillment_order_id, "fo3");
                ck_assert_int_eq(r->rows[i].status, SL_STATUS_PENDING);
            }
            assert_decided(r, 3, SL_STATUS_CONFLICT,
                           SL_CODE_ALREADY_FULFILLED_DIFFERENT_TRACKING,
                           "cannot tell which fulfillment to update");
        } else {
            assert_decided(r, 0, SL_STATUS_CONFLICT,
                           SL_CODE_ALREADY_FULFILLED_DIFFERENT_TRACKING,
                           "package 1003-1 already fulfilled with tracking T3 (fulfillment f3)");
            assert_decided(r, 1, SL_STATUS_CONFLICT,
                           SL_CODE_ALREADY_FULFILLED_DIFFERENT_TRACKING,
                           "SKU A of package 1003-1 already fulfilled");
            assert_decided(r, 2, SL_STATUS_CONFLICT,
                           SL_CODE_ALREADY_FULFILLED_DIFFERENT_TRACKING, "f3");
            assert_decided(r, 3, SL_STATUS_CONFLICT,
                           SL_CODE_ALREADY_FULFILLED_DIFFERENT_TRACKING,
                           "every package of order #1010");
            ck_assert_str_eq(r->rows[0].fulfillment_order_id, "fo3");
        }
        run_free(r);
    }
}
END_TEST

/* ------------------------------------------------------------------ update and cancel */

START_TEST(update_rows)
{
    run *r = run_new();
    add(r, "#1003", NULL, NULL, 0, "T3", SL_ACTION_UPDATE);     /* same number, same carrier */
    add(r, "#1003", NULL, NULL, 0, "T3;T5", SL_ACTION_UPDATE);  /* adds a number */
    sl_row *carrier = add(r, "#1003", NULL, NULL, 0, "T3", SL_ACTION_UPDATE);
    sl_row_set(&carrier->carrier, "FedEx");
    add(r, "#1003", NULL, NULL, 0, "T7", SL_ACTION_UPDATE);
    add(r, "#1003", NULL, NULL, 0, "TX", SL_ACTION_UPDATE);     /* canceled */
    add(r, "#1010", NULL, NULL, 0, "TS", SL_ACTION_UPDATE);     /* on two */
    add(r, "#1010", "fo10a", NULL, 0, "TS;T6", SL_ACTION_UPDATE);
    add(r, "#1001", NULL, NULL, 0, "T1", SL_ACTION_UPDATE);     /* fresh order: read anyway */
    run_match(r, SL_ON_CONFLICT_SKIP);
    assert_decided(r, 0, SL_STATUS_DUPLICATE, SL_CODE_NONE, "already carries");
    ck_assert_int_eq(r->matches[1].op, SL_MATCH_UPDATE);
    ck_assert_str_eq(sl_match_fulfillment(&r->matches[1])->id, "f3");
    ck_assert_str_eq(r->rows[1].fulfillment_id, "f3");
    ck_assert_int_eq(r->matches[2].op, SL_MATCH_UPDATE);
    assert_decided(r, 3, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_NOT_FOUND,
                   "no fulfillment with tracking T7 in order #1003 to update");
    assert_decided(r, 4, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_NOT_FOUND, "f3x) is canceled");
    assert_decided(r, 5, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_AMBIGUOUS,
                   "tracking TS is on several fulfillments of order #1010: f10a, f10b");
    ck_assert_int_eq(r->matches[6].op, SL_MATCH_UPDATE);
    ck_assert_str_eq(sl_match_fulfillment(&r->matches[6])->id, "f10a");
    assert_decided(r, 7, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_NOT_FOUND, "to update");
    ck_assert_uint_eq(r->store.fulfillment_reads, 3);
    run_free(r);
}
END_TEST

START_TEST(cancel_rows)
{
    run *r = run_new();
    add(r, "#1003", NULL, NULL, 0, "T3", SL_ACTION_CANCEL);
    add(r, "#1003", NULL, NULL, 0, "TX", SL_ACTION_CANCEL);     /* canceled before: done */
    add(r, "#1003", NULL, NULL, 0, "T7", SL_ACTION_CANCEL);
    add(r, "#1010", NULL, NULL, 0, "TS", SL_ACTION_CANCEL);
    add(r, "#1010", "fo10b", NULL, 0, "TS", SL_ACTION_CANCEL);
    add(r, "#1010", "nope", NULL, 0, "TS", SL_ACTION_CANCEL);
    run_match(r, SL_ON_CONFLICT_SKIP);
    ck_assert_int_eq(r->matches[0].op, SL_MATCH_CANCEL);
    ck_assert_str_eq(r->rows[0].fulfillment_id, "f3");
    assert_decided(r, 1, SL_STATUS_DUPLICATE, SL_CODE_NONE, "already canceled (fulfillment f3x)");
    assert_decided(r, 2, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_NOT_FOUND,
                   "no fulfillment with tracking T7 in order #1003 to cancel");
    assert_decided(r, 3, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_AMBIGUOUS, "f10a, f10b");
    ck_assert_int_eq(r->matches[4].op, SL_MATCH_CANCEL);
    ck_assert_str_eq(sl_match_fulfillment(&r->matches[4])->id, "f10b");
    assert_decided(r, 5, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_NOT_FOUND, "no package nope");
    run_free(r);
}
END_TEST

START_TEST(status_rows)
{
    run *r = run_new();
    sl_row *same = add(r, "#1003", NULL, NULL, 0, "T3", SL_ACTION_STATUS);
    /* f3's, any case */
    ck_assert_int_eq(sl_row_set(&sl_row_own_columns(same)->fulfillment_status, " SHIPPED"), 0);
    sl_row *other = add(r, "#1003", NULL, NULL, 0, "T3", SL_ACTION_STATUS);
    ck_assert_int_eq(sl_row_set(&sl_row_own_columns(other)->fulfillment_status, "DELIVERED"), 0);
    add(r, "#1003", NULL, NULL, 0, "T3", SL_ACTION_STATUS);     /* none, no run default */
    sl_row *unknown = add(r, "#1003", NULL, NULL, 0, "T7", SL_ACTION_STATUS);
    ck_assert_int_eq(sl_row_set(&sl_row_own_columns(unknown)->fulfillment_status, "DELIVERED"), 0);
    sl_row *gone = add(r, "#1003", NULL, NULL, 0, "TX", SL_ACTION_STATUS);
    ck_assert_int_eq(sl_row_set(&sl_row_own_columns(gone)->fulfillment_status, "DELIVERED"), 0);
    run_match(r, SL_ON_CONFLICT_SKIP);
    assert_decided(r, 0, SL_STATUS_DUPLICATE, SL_CODE_NONE, "already has this status");
    ck_assert_int_eq(r->matches[1].op, SL_MATCH_STATUS);
    ck_assert_str_eq(sl_match_fulfillment(&r->matches[1])->id, "f3");
    ck_assert_str_eq(r->rows[1].fulfillment_id, "f3");
    assert_decided(r, 2, SL_STATUS_INVALID, SL_CODE_BAD_VALUE, "needs a fulfillment_status");
    assert_decided(r, 3, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_NOT_FOUND, "no fulfillment with tracking T7");
    assert_decided(r, 4, SL_STATUS_UNMATCHED, SL_CODE_PACKAGE_NOT_FOUND, "is canceled");
    run_free(r);

    /* the run's --fulfillment-status stands in for a row without one */
    r = run_new();
    add(r, "#1003", NULL, NULL, 0, "T3", SL_ACTION_STATUS);
    r->index = sl_order_index_new();
    fake_lookups(&r->store, r->index, r->rows, r->count);
    sl_match_options options = { .on_conflict = SL_ON_CONFLICT_SKIP,
                                 .default_status = "IN_TRANSIT" };
    sl_error err = { "" };
    ck_assert_int_eq(sl_match_rows(r->index, r->rows, r->count, &options, r->matches, NULL, &err),
                     0);
    ck_assert_int_eq(r->matches[0].op, SL_MATCH_STATUS);
    run_free(r);
}
END_TEST

/* ------------------------------------------------------------------ the row hook */

typedef struct seen_rows {
    size_t count;
    size_t records[8];
    int had_order_id[8];
} seen_rows;

static void note_row(sl_row *row, void *data)
{
    seen_rows *seen = data;
    ck_assert_uint_lt(seen->count, 8);
    seen->records[seen->count] = row->record;
    seen->had_order_id[seen->count++] = row->order_id != NULL;
}

START_TEST(each_matched_row_is_handed_over_once_in_row_order)
{
    run *r = run_new();
    add(r, "#1001", NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    sl_row *invalid = add(r, "#1001", NULL, NULL, 0, "T2", SL_ACTION_SHIP);
    sl_row_fail(invalid, SL_STATUS_INVALID, SL_CODE_BAD_DATE, "bad date");
    add(r, "#9999", NULL, NULL, 0, "T3", SL_ACTION_SHIP);   /* no such order */
    add(r, "#1002", NULL, NULL, 0, "T4", SL_ACTION_SHIP);
    for (size_t i = 0; i < r->count; i++)
        r->rows[i].record = 10 + i;
    r->index = sl_order_index_new();
    fake_lookups(&r->store, r->index, r->rows, r->count);
    seen_rows seen = { 0 };
    sl_match_options options = { .on_conflict = SL_ON_CONFLICT_SKIP,
                                 .row_matched = note_row, .row_matched_data = &seen };
    sl_error err = { "" };
    ck_assert_int_eq(sl_match_rows(r->index, r->rows, r->count, &options, r->matches, NULL, &err),
                     0);
    /* the row decided before matching is not handed over; the unmatched one is */
    ck_assert_uint_eq(seen.count, 3);
    ck_assert_uint_eq(seen.records[0], 10);
    ck_assert_uint_eq(seen.records[1], 12);
    ck_assert_uint_eq(seen.records[2], 13);
    ck_assert_int_eq(seen.had_order_id[0], 1);     /* handed over with its strings set */
    ck_assert_int_eq(seen.had_order_id[1], 0);
    ck_assert_int_eq(seen.had_order_id[2], 1);
    run_free(r);
}
END_TEST

/* ------------------------------------------------------------------ what matching leaves */

START_TEST(decided_rows_are_left_alone)
{
    run *r = run_new();
    sl_row *invalid = add(r, "#1001", NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    sl_row_fail(invalid, SL_STATUS_INVALID, SL_CODE_BAD_DATE, "bad date");
    sl_row *skipped = add(r, "#1001", NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    skipped->status = SL_STATUS_SKIPPED;
    add(r, "#1001", NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    run_match(r, SL_ON_CONFLICT_SKIP);
    ck_assert_int_eq(r->matches[0].op, SL_MATCH_NONE);
    ck_assert_int_eq(r->rows[0].status, SL_STATUS_INVALID);
    ck_assert_int_eq(r->rows[0].code, SL_CODE_BAD_DATE);
    ck_assert_ptr_null(r->rows[0].order_id);
    ck_assert_int_eq(r->matches[1].op, SL_MATCH_NONE);
    ck_assert_int_eq(r->rows[1].status, SL_STATUS_SKIPPED);
    ck_assert_ptr_null(r->matches[1].order);
    assert_create(r, 2, "fo1", NULL, 0);    /* the ledger saw neither */
    run_free(r);
}
END_TEST

START_TEST(unread_or_failed_orders_are_not_matched)
{
    sl_row rows[3];
    sl_match matches[3];
    row_make(&rows[0], 1, "#1003", SL_REF_NAME, NULL, NULL, 0, "T3", SL_ACTION_SHIP);
    row_make(&rows[1], 2, "#1001", SL_REF_NAME, NULL, NULL, 0, "T1", SL_ACTION_SHIP);
    row_make(&rows[2], 3, "#1002", SL_REF_NAME, NULL, "C", 1, "T2", SL_ACTION_SHIP);
    sl_order_index *index = sl_order_index_new();
    sl_error err = { "" };
    ck_assert_int_eq(sl_order_index_add_rows(index, rows, 3, &err), 0);
    const char *names[] = { "1003", "1001", "1002" };
    for (size_t n = 0; n < 3; n++) {
        size_t count = 0;
        sl_order **orders = orders_from(STORE, &count);
        count = filter_orders(orders, count, keep_name, names[n]);
        ck_assert_int_eq(sl_order_index_add_name_answer(index, names[n], orders, count, &err),
                         0);
    }
    /* 1003 shipped, fulfillments never read; 1001's read failed; 1002 fine */
    ck_assert_int_eq(sl_order_index_fail_order(index, "1", SL_STATUS_FAILED,
                                               SL_CODE_NETWORK_ERROR,
                                               "reading the fulfillments of order #1001: "
                                               "connection reset"), 0);
    sl_match_counts counts = { 0 };
    ck_assert_int_eq(sl_match_rows(index, rows, 3, NULL, matches, &counts, &err), 0);
    ck_assert_int_eq(rows[0].status, SL_STATUS_NOT_ATTEMPTED);
    ck_assert_int_eq(rows[0].code, SL_CODE_RUN_STOPPED);
    ck_assert(contains(rows[0].message, "the fulfillments of order #1003 were not read"));
    ck_assert_int_eq(rows[1].status, SL_STATUS_FAILED);
    ck_assert_int_eq(rows[1].code, SL_CODE_NETWORK_ERROR);
    ck_assert(contains(rows[1].message, "connection reset"));
    ck_assert_str_eq(rows[1].order_id, "1");
    ck_assert_int_eq(matches[2].op, SL_MATCH_CREATE);
    ck_assert_uint_eq(counts.create, 1);
    ck_assert_uint_eq(counts.other, 2);
    rows_clear(rows, 3);
    sl_order_index_free(index);
}
END_TEST

START_TEST(counts_add_up)
{
    run *r = run_new();
    add(r, "#1001", NULL, NULL, 0, "T1", SL_ACTION_SHIP);       /* create */
    add(r, "#1003", NULL, NULL, 0, "T3", SL_ACTION_SHIP);       /* duplicate */
    add(r, "#1003", NULL, NULL, 0, "T4", SL_ACTION_SHIP);       /* conflict */
    add(r, "#9999", NULL, NULL, 0, "T4", SL_ACTION_SHIP);       /* unmatched */
    add(r, "#1003", NULL, NULL, 0, "T3;T9", SL_ACTION_UPDATE);  /* update */
    add(r, "#1003", NULL, NULL, 0, "T3", SL_ACTION_CANCEL);     /* cancel */
    r->index = sl_order_index_new();
    fake_lookups(&r->store, r->index, r->rows, r->count);
    sl_match_counts counts = { 0 };
    sl_error err = { "" };
    ck_assert_int_eq(sl_match_rows(r->index, r->rows, r->count, NULL, r->matches, &counts,
                                   &err), 0);
    ck_assert_uint_eq(counts.create, 1);
    ck_assert_uint_eq(counts.duplicate, 1);
    ck_assert_uint_eq(counts.conflict, 1);
    ck_assert_uint_eq(counts.unmatched, 1);
    ck_assert_uint_eq(counts.update, 1);
    ck_assert_uint_eq(counts.cancel, 1);
    ck_assert_uint_eq(counts.other, 0);
    run_free(r);
}
END_TEST

static Suite *rows_suite(void)
{
    Suite *suite = suite_create("match_rows");
    TCase *packages = tcase_create("packages");
    tcase_add_test(packages, whole_package_and_items);
    tcase_add_test(packages, ledger_across_rows);
    tcase_add_test(packages, ledger_survives_separate_calls);
    tcase_add_test(packages, orders_outlive_the_references);
    tcase_add_test(packages, whole_rows_share_a_package);
    tcase_add_test(packages, items_pick_their_package);
    tcase_add_test(packages, explicit_package_references);
    tcase_add_test(packages, quantity_without_item);
    tcase_add_test(packages, order_errors);
    suite_add_tcase(suite, packages);
    TCase *done = tcase_create("already_done");
    tcase_add_test(done, duplicates_whatever_remains);
    tcase_add_test(done, duplicates_are_per_package_and_item);
    tcase_add_test(done, rerun_is_all_duplicate);
    tcase_add_test(done, conflict_under_each_policy);
    suite_add_tcase(suite, done);
    TCase *changes = tcase_create("changes");
    tcase_add_test(changes, update_rows);
    tcase_add_test(changes, cancel_rows);
    tcase_add_test(changes, status_rows);
    tcase_add_test(changes, decided_rows_are_left_alone);
    tcase_add_test(changes, unread_or_failed_orders_are_not_matched);
    tcase_add_test(changes, counts_add_up);
    tcase_add_test(changes, each_matched_row_is_handed_over_once_in_row_order);
    suite_add_tcase(suite, changes);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(rows_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
